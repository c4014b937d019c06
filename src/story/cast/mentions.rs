//! Finds candidate mentions in the token stream: proper names, character noun phrases, pronouns.

use std::collections::{HashMap, HashSet};

use super::lexicon::{self, PronounInfo};
use super::model::{Gender, MentionKind};
use super::tokens::{Doc, Token};

#[derive(Clone, Debug)]
pub(crate) enum Detail {
    /// `words`: lowercased name words without the title; `title`: "mr", "king"…
    Name {
        words: Vec<String>,
        title: Option<String>,
        title_gender: Option<Gender>,
    },
    /// `determiner`: "the", "a", "his"…; `head`: the character noun; `modifiers`: words before it.
    Nominal {
        determiner: String,
        head: String,
        modifiers: Vec<String>,
        gender: Gender,
        plural: bool,
    },
    Pronoun(PronounInfo),
}

#[derive(Clone, Debug)]
pub(crate) struct RawMention {
    /// Token range, `last` inclusive.
    pub first: usize,
    pub last: usize,
    pub detail: Detail,
    /// Probably the grammatical subject: first in its clause.
    pub subject: bool,
}

impl RawMention {
    pub fn kind(&self) -> MentionKind {
        match self.detail {
            Detail::Name { .. } => MentionKind::Name,
            Detail::Nominal { .. } => MentionKind::Nominal,
            Detail::Pronoun(_) => MentionKind::Pronoun,
        }
    }
}

/// Occurrence counts of a word in lowercase and in capitalised mid-sentence form.
#[derive(Default, Clone, Copy)]
struct Casing {
    lower: u32,
    capitalised_inside: u32,
}

/// Nouns of the text that act as characters beyond the lexicon, and the noun each elliptic
/// adjective stands for ("the youngest" → "princess" where "youngest princess" is written).
#[derive(Default)]
pub(crate) struct TextNouns {
    speaking: HashSet<String>,
    elliptic: HashMap<String, String>,
}

impl TextNouns {
    fn character_noun(&self, lower: &str) -> Option<(Gender, bool)> {
        lexicon::character_noun(lower).or_else(|| {
            self.speaking
                .contains(lower)
                .then_some((Gender::Unknown, false))
        })
    }
}

/// Adjectives that stand alone for one of a family ("the youngest was so beautiful").
pub(crate) fn is_elliptic_adjective(lower: &str) -> bool {
    super::words::ELLIPTIC_ADJECTIVES.contains(lower)
}

/// Whatever speaks is a character: "said the louse", "the straw answered".
fn text_nouns(toks: &[Token]) -> TextNouns {
    let mut nouns = TextNouns::default();
    let plain = |t: &Token| {
        t.is_word
            && !t.capitalised
            && t.lower.len() > 2
            && t.lower.chars().all(|c| c.is_alphabetic() || c == '-')
            && !t.lower.starts_with('-')
            && !lexicon::is_function_word(&t.lower)
            && lexicon::pronoun(&t.lower).is_none()
            && !lexicon::looks_like_verb(&t.lower)
    };
    let mut elliptic: HashMap<(String, String), usize> = HashMap::new();
    let mut speaking: HashMap<String, usize> = HashMap::new();
    for (k, t) in toks.iter().enumerate() {
        if is_elliptic_adjective(&t.lower) {
            if let Some(n) = toks.get(k + 1) {
                if lexicon::character_noun(&n.lower).is_some_and(|(_, plural)| !plural) {
                    *elliptic
                        .entry((t.lower.clone(), n.lower.clone()))
                        .or_default() += 1;
                }
            }
        }
        if !lexicon::is_speech_verb(&t.lower) || matches!(t.lower.as_str(), "went" | "began") {
            continue;
        }
        // "said the louse," / "said the little cock,"
        if toks.get(k + 1).is_some_and(|d| d.lower == "the") {
            let run: Vec<&Token> = toks[k + 2..]
                .iter()
                .take(3)
                .take_while(|w| plain(w))
                .collect();
            let ends = toks.get(k + 2 + run.len()).is_some_and(|p| !p.is_word);
            if let (Some(last), true) = (run.last(), ends) {
                *speaking.entry(last.lower.clone()).or_default() += 1;
            }
        }
        // "the louse said", "the little tree said"
        if k >= 2 && plain(&toks[k - 1]) {
            let run = (1..=3)
                .take_while(|&b| k > b && plain(&toks[k - b]))
                .last()
                .unwrap_or(1);
            if k > run && toks[k - run - 1].lower == "the" {
                *speaking.entry(toks[k - 1].lower.clone()).or_default() += 1;
            }
        }
    }
    // Speaking twice, or once and named again: a lone "said the reflection" may be a figure
    // of speech, "A louse sat on the wall. … said the louse" is not.
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for t in toks {
        if speaking.contains_key(t.lower.as_str()) {
            *seen.entry(t.lower.as_str()).or_default() += 1;
        }
    }
    nouns.speaking = speaking
        .into_iter()
        .filter(|(w, n)| *n >= 2 || seen.get(w.as_str()).copied().unwrap_or(0) >= 2)
        .map(|(w, _)| w)
        .collect();
    let mut best: HashMap<String, (usize, String)> = HashMap::new();
    for ((adj, noun), n) in elliptic {
        let slot = best.entry(adj).or_insert((0, String::new()));
        if (n, std::cmp::Reverse(&noun)) > (slot.0, std::cmp::Reverse(&slot.1)) {
            *slot = (n, noun);
        }
    }
    nouns.elliptic = best.into_iter().map(|(a, (_, n))| (a, n)).collect();
    nouns
}

/// "the youngest", standing for the noun it is written with elsewhere.
fn elliptic_at(toks: &[Token], i: usize, nouns: &TextNouns) -> Option<(RawMention, usize)> {
    let [det, adj] = toks.get(i..i + 2)? else {
        return None;
    };
    let head = nouns.elliptic.get(&adj.lower)?;
    let next_is_noun = toks.get(i + 2).is_some_and(|n| {
        n.is_word
            && !lexicon::is_function_word(&n.lower)
            && !lexicon::looks_like_verb(&n.lower)
            && !n.capitalised
            && lexicon::pronoun(&n.lower).is_none()
    });
    if det.lower != "the" || adj.sentence != det.sentence || next_is_noun {
        return None;
    }
    let (gender, _) = lexicon::character_noun(head)?;
    Some((
        RawMention {
            first: i,
            last: i + 1,
            detail: Detail::Nominal {
                determiner: "the".into(),
                head: head.clone(),
                modifiers: vec![adj.lower.clone()],
                gender,
                plural: false,
            },
            subject: false,
        },
        i + 2,
    ))
}

pub(crate) fn find_mentions(doc: &Doc) -> Vec<RawMention> {
    let toks = &doc.tokens;
    let casing = casing_counts(toks);
    let nouns = text_nouns(toks);
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if let Some((m, next)) = name_at(toks, i, &casing) {
            out.push(m);
            i = next;
            continue;
        }
        if let Some((m, next)) = elliptic_at(toks, i, &nouns) {
            out.push(m);
            i = next;
            continue;
        }
        if let Some((m, next)) = nominal_at(toks, i, &nouns) {
            if m.first > i {
                if let Some(p) = lexicon::pronoun(&toks[i].lower) {
                    out.push(RawMention {
                        first: i,
                        last: i,
                        detail: Detail::Pronoun(p),
                        subject: false,
                    });
                }
            }
            out.push(m);
            // The head may be followed by a name ("the dragon Fafner"): keep scanning from it.
            i = next;
            continue;
        }
        let t = &toks[i];
        if t.is_word {
            let is_i = t.lower == "i";
            if let Some(p) = lexicon::pronoun(&t.lower) {
                // Lowercase "i" is a roman numeral or a typo, not the narrator; so is "I" in a
                // heading ("CHAPTER I", "— I —").
                if !is_i || (t.capitalised && !is_heading_numeral(toks, i)) {
                    out.push(RawMention {
                        first: i,
                        last: i,
                        detail: Detail::Pronoun(p),
                        subject: false,
                    });
                }
            }
        }
        i += 1;
    }
    for m in &mut out {
        m.subject = looks_like_subject(toks, m);
    }
    out
}

/// "I" after "Chapter" or "Book", or alone between dashes: a roman numeral.
fn is_heading_numeral(toks: &[Token], i: usize) -> bool {
    let prev = i.checked_sub(1).map(|p| &toks[p]);
    let after_heading_word = prev.is_some_and(|p| {
        matches!(
            p.lower.as_str(),
            "chapter" | "book" | "part" | "volume" | "canto" | "act" | "scene" | "section"
        )
    });
    let dash = |t: Option<&Token>| t.is_some_and(|t| matches!(t.lower.as_str(), "—" | "–" | "-"));
    after_heading_word || (dash(prev) && dash(toks.get(i + 1)))
}

fn casing_counts(toks: &[Token]) -> HashMap<&str, Casing> {
    let mut map: HashMap<&str, Casing> = HashMap::new();
    for t in toks.iter().filter(|t| t.is_word && !t.shouted) {
        let entry = map.entry(t.lower.as_str()).or_default();
        if !t.capitalised {
            entry.lower += 1;
        } else if !t.sentence_initial {
            entry.capitalised_inside += 1;
        }
    }
    map
}

fn capital_word(t: &Token) -> bool {
    t.is_word && t.capitalised && !t.lower.starts_with(|c: char| c.is_numeric())
}

/// Name particles allowed between capitalised words ("Ludwig van Beethoven").
fn is_particle(lower: &str) -> bool {
    super::words::NAME_PARTICLES.contains(lower)
}

fn name_at(
    toks: &[Token],
    i: usize,
    casing: &HashMap<&str, Casing>,
) -> Option<(RawMention, usize)> {
    let t = &toks[i];
    if !capital_word(t)
        || (lexicon::is_never_name(&t.lower) && lexicon::honorific(&t.lower).is_none())
    {
        return None;
    }
    // Collect the capitalised run (with dots after abbreviations and inner particles).
    let mut words: Vec<usize> = Vec::new();
    let mut j = i;
    let mut end = i;
    while j < toks.len() {
        let w = &toks[j];
        if capital_word(w)
            && w.lower != "i"
            && (!lexicon::is_never_name(&w.lower) || lexicon::honorific(&w.lower).is_some())
            && (words.is_empty() || w.sentence == toks[end].sentence)
        {
            words.push(j);
            end = j;
            j += 1;
            // "Mr." / "J." : skip the dot.
            if j < toks.len()
                && toks[j].lower == "."
                && toks[j].start == w.end
                && lexicon::is_abbreviation(&w.lower)
            {
                j += 1;
            }
            continue;
        }
        if !words.is_empty()
            && w.is_word
            && is_particle(&w.lower)
            && toks.get(j + 1).is_some_and(capital_word)
        {
            j += 1;
            continue;
        }
        break;
    }
    if words.is_empty() {
        return None;
    }
    // Shouted headings ("THE NIBELUNGEN LIED") are not names, unless every word is also written
    // as a name elsewhere ("ANTHONY PATCH" over a chapter about Anthony Patch).
    if words.iter().all(|&k| toks[k].shouted) {
        let known = |k: &usize| {
            casing
                .get(toks[*k].lower.as_str())
                .is_some_and(|c| c.capitalised_inside > 0 && c.lower == 0)
        };
        if !words.iter().all(known) {
            return None;
        }
    }
    let next = end + 1;
    // Split off leading titles.
    let mut title: Option<String> = None;
    let mut title_gender = None;
    let mut name_start = 0;
    while name_start < words.len() {
        let w = &toks[words[name_start]];
        match lexicon::honorific(&w.lower) {
            Some(g) if name_start + 1 < words.len() => {
                title = Some(w.lower.clone());
                title_gender = Some(g);
                name_start += 1;
            }
            _ => break,
        }
    }
    let name_words = &words[name_start..];
    // A lone title ("the King") is a common noun, handled by the nominal finder; but a
    // capitalised kin word used as a name ("for Mother was coming") is a name.
    if name_words.len() == 1 && title.is_none() {
        let w = &toks[name_words[0]];
        let after_determiner = i.checked_sub(1).is_some_and(|p| {
            matches!(
                toks[p].lower.as_str(),
                "the" | "a" | "an" | "his" | "her" | "my" | "your" | "our" | "their" | "'s"
            )
        });
        if lexicon::is_kin_title(&w.lower) && !after_determiner && !w.sentence_initial {
            return Some((
                RawMention {
                    first: i,
                    last: i,
                    detail: Detail::Name {
                        words: vec![w.lower.clone()],
                        title: None,
                        title_gender: lexicon::honorific(&w.lower),
                    },
                    subject: false,
                },
                i + 1,
            ));
        }
        if lexicon::honorific(&w.lower).is_some() || lexicon::is_never_name(&w.lower) {
            return None;
        }
        let c = casing.get(w.lower.as_str()).copied().unwrap_or_default();
        let known_first_name = lexicon::first_name_gender(&w.lower).is_some();
        // A word mostly written in lowercase is a common word capitalised by position.
        if c.lower > 0 && c.lower >= c.capitalised_inside && !known_first_name {
            return None;
        }
        // Only ever seen starting a sentence: a name only if never written in lowercase and
        // followed by a verb ("Siegfried rode"), unlike "Nonsense, …" or "Perhaps he …".
        if w.sentence_initial && c.capitalised_inside == 0 && !known_first_name {
            let next = toks.get(name_words[0] + 1);
            let after = toks.get(name_words[0] + 2);
            let verb_follows = next
                .is_some_and(|n| n.is_word && !n.capitalised && lexicon::looks_like_verb(&n.lower));
            // "Siegfried walks into…": a present-tense verb, known by what follows it.
            let present_verb = next.is_some_and(|n| {
                n.is_word
                    && !n.capitalised
                    && n.lower.len() > 3
                    && n.lower.ends_with('s')
                    && !n.lower.ends_with("ss")
            }) && after.is_some_and(|a| {
                matches!(
                    a.lower.as_str(),
                    "into"
                        | "to"
                        | "the"
                        | "a"
                        | "an"
                        | "his"
                        | "her"
                        | "at"
                        | "on"
                        | "in"
                        | "with"
                        | "from"
                        | "up"
                        | "down"
                        | "out"
                        | "away"
                        | "through"
                )
            });
            // "Mime the dwarf hammers…": a name with its epithet, acting; "Kill the prince and
            // come back" is an order.
            let acts = toks.get(name_words[0] + 3).is_some_and(|v| {
                v.is_word
                    && !v.capitalised
                    && !lexicon::is_function_word(&v.lower)
                    && (lexicon::looks_like_verb(&v.lower) || v.lower.ends_with('s'))
            });
            let epithet = next.is_some_and(|n| n.lower == "the")
                && after.is_some_and(|a| {
                    lexicon::character_noun(&a.lower).is_some_and(|(_, plural)| !plural)
                })
                && acts;
            if c.lower > 0 || !(verb_follows || present_verb || epithet) {
                return None;
            }
        }
    }
    if title.is_none() && name_words.len() > 1 {
        // A run that starts a sentence with a common word ("Soon Mime", "Because Sir Henry")
        // loses that word: it is never capitalised inside a sentence.
        let first = &toks[name_words[0]];
        let c = casing
            .get(first.lower.as_str())
            .copied()
            .unwrap_or_default();
        let known = lexicon::first_name_gender(&first.lower).is_some();
        if first.sentence_initial
            && !known
            && (c.lower > c.capitalised_inside || c.capitalised_inside == 0)
        {
            return name_at(toks, name_words[1], casing);
        }
    }
    // "Americans", "Italians": nationalities in the plural are groups, not characters;
    // a lone initial or "Co" is an abbreviation.
    if name_words.len() == 1 && title.is_none() {
        let w = &toks[name_words[0]].lower;
        if w.chars().count() == 1 || w == "co" {
            return None;
        }
        if w.len() > 5 && (w.ends_with("ans") || w.ends_with("ese")) {
            return None;
        }
    }
    let words_lower: Vec<String> = name_words.iter().map(|&k| toks[k].lower.clone()).collect();
    Some((
        RawMention {
            first: words[0],
            last: end,
            detail: Detail::Name {
                words: words_lower,
                title,
                title_gender,
            },
            subject: false,
        },
        next.max(i + 1),
    ))
}

/// Determiners that open a noun phrase, and whether the phrase is definite.
fn determiner(lower: &str) -> Option<bool> {
    match lower {
        "the" | "this" | "that" => Some(true),
        "a" | "an" | "one" | "another" => Some(false),
        "his" | "her" | "my" | "their" | "our" | "your" | "its" | "thy" | "'s" => Some(true),
        _ => None,
    }
}

fn nominal_at(toks: &[Token], i: usize, nouns: &TextNouns) -> Option<(RawMention, usize)> {
    let det = &toks[i];
    determiner(&det.lower)?;
    let mut modifiers = Vec::new();
    let mut j = i + 1;
    while j < toks.len() && j <= i + 5 {
        let w = &toks[j];
        if !w.is_word || w.sentence != det.sentence {
            return None;
        }
        if let Some((gender, plural)) = nouns.character_noun(&w.lower) {
            // Prefer the last noun of a compound ("the mermaid princess").
            let next_is_noun = toks
                .get(j + 1)
                .is_some_and(|n| n.is_word && nouns.character_noun(&n.lower).is_some());
            if !next_is_noun {
                // A possessive ("his wife", "Mary's sister") is not part of the span: it refers
                // to someone else, and a pronoun determiner is a mention of its own.
                let possessive = det.lower == "'s" || lexicon::pronoun(&det.lower).is_some();
                let m = RawMention {
                    first: if possessive { i + 1 } else { i },
                    last: j,
                    detail: Detail::Nominal {
                        determiner: det.lower.clone(),
                        head: singular(&w.lower, plural),
                        modifiers,
                        gender,
                        plural,
                    },
                    subject: false,
                };
                return Some((m, j + 1));
            }
        }
        let adjective = lexicon::is_phrase_adjective(&w.lower);
        if (lexicon::is_function_word(&w.lower) && !adjective)
            || lexicon::pronoun(&w.lower).is_some()
        {
            return None;
        }
        modifiers.push(w.lower.clone());
        j += 1;
    }
    None
}

fn singular(lower: &str, plural: bool) -> String {
    if !plural {
        return lower.to_string();
    }
    match lower {
        "men" => "man".into(),
        "women" => "woman".into(),
        "children" => "child".into(),
        "people" => "person".into(),
        _ => lower.trim_end_matches('s').to_string(),
    }
}

/// First mention of a clause: after a sentence start, a clause break or a conjunction.
fn looks_like_subject(toks: &[Token], m: &RawMention) -> bool {
    if let Detail::Pronoun(p) = &m.detail {
        return p.case == lexicon::Case::Subject;
    }
    let first = &toks[m.first];
    if m.first == 0 || first.sentence_initial {
        return true;
    }
    let prev = &toks[m.first - 1];
    prev.sentence != first.sentence
        || matches!(
            prev.lower.as_str(),
            "," | ";"
                | ":"
                | "\""
                | "“"
                | "and"
                | "but"
                | "then"
                | "when"
                | "while"
                | "as"
                | "that"
                | "so"
                | "till"
                | "until"
                | "now"
        )
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    fn texts(src: &str) -> Vec<(String, MentionKind)> {
        let doc = tokenize(src);
        find_mentions(&doc)
            .iter()
            .map(|m| {
                (
                    src[doc.tokens[m.first].start..doc.tokens[m.last].end].to_string(),
                    m.kind(),
                )
            })
            .collect()
    }

    #[test]
    fn good_poor_and_only_describe_a_character_noun() {
        let found = texts("They found the good servant and her only daughter. The poor man wept.");
        let names: Vec<&str> = found.iter().map(|(s, _)| s.as_str()).collect();
        for phrase in ["the good servant", "only daughter", "The poor man"] {
            assert!(names.contains(&phrase), "{phrase}: {names:?}");
        }
    }

    #[test]
    fn roman_one_in_a_heading_is_not_a_pronoun() {
        let found = texts("CHAPTER I\n\n— I —\n\nI said nothing.");
        let pronouns = found
            .iter()
            .filter(|(s, k)| s == "I" && *k == MentionKind::Pronoun)
            .count();
        assert_eq!(pronouns, 1, "{found:?}");
    }

    #[test]
    fn finds_names_titles_nominals_and_pronouns() {
        let found =
            texts("Then King Gunther met the little mermaid. She smiled at Mr. Bennet and him.");
        let names: Vec<&str> = found.iter().map(|(s, _)| s.as_str()).collect();
        assert!(names.contains(&"King Gunther"), "{names:?}");
        assert!(names.contains(&"the little mermaid"), "{names:?}");
        assert!(names.contains(&"Mr. Bennet"), "{names:?}");
        assert!(names.contains(&"She"));
        assert!(names.contains(&"him"));
        assert!(!names.contains(&"Then"));
    }
}
