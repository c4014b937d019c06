//! Which references of a scene's narration the picture names: a pronoun becomes its character's
//! name only where that is sure and reads as a sentence, and an absent character's bare name
//! becomes their epithet or nothing.
//!
//! A pronoun is replaced when all of these hold:
//! - it refers to a character present in the scene, and is a subject ("she", "they", an "it"
//!   the cast found speaking or acting as an animal or thing) or a possessive ("his", "her
//!   ball"); an object ("him", "them", "saw her") is never replaced, and never made a possessive;
//! - its form agrees with the character ("he"/"his" a male one, "she"/"her" a female one,
//!   "they"/"their" a group): "them" for the lentils never becomes the two sisters;
//! - its sentence does not already name the character, nor has an earlier pronoun of the
//!   sentence been replaced by that name ("The princess dropped her golden ball", not "… the
//!   princess's golden ball");
//! - the cast's reading is not in doubt: the character was named within the last
//!   `ANTECEDENT_BYTES`, and no other character of the same gender was named since.

use std::collections::HashSet;

use super::cast::{is_third_person_pronoun, is_title};
use super::sentences::sentences;
use super::text::Span;
use super::visual::{capitalised_like, quoted_mask_after};

/// How far back (bytes, about two short paragraphs) the character must have been named.
const ANTECEDENT_BYTES: usize = 1500;

/// A character the rewrite knows: display name and where the story mentions them.
pub struct Referent<'a> {
    pub name: &'a str,
    pub mentions: &'a [Span],
    /// In the scene (pronouns may become the name); else the name itself is replaced.
    pub present: bool,
    /// What stands for an absent character's name: an epithet, or `None` to drop it.
    pub stand_in: Option<&'a str>,
    /// "male", "female", "neuter", "plural" or "unknown", as the cast inferred it.
    pub gender: &'a str,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Subject,
    Possessive,
    Object,
}

/// The span of `text` with pronouns of present characters named where sure, and absent bare
/// names replaced. `before`: the text of the span's paragraph before it, where a quotation that
/// goes on into the span may open.
pub fn replace_references(text: &str, span: Span, referents: &[Referent], before: &str) -> String {
    let slice = &text[span.0..span.1];
    let quoted = quoted_mask_after(before, slice);
    let sentence_spans = sentences(text, span);
    let sentence_of = |at: usize| {
        sentence_spans
            .iter()
            .copied()
            .find(|&(a, b)| a <= at && at < b)
            .unwrap_or(span)
    };
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut named: HashSet<(usize, usize)> = HashSet::new();
    for (k, r) in referents.iter().enumerate() {
        let mut mentions: Vec<Span> = r.mentions.to_vec();
        mentions.sort_unstable();
        for &(a, b) in &mentions {
            if a < span.0 || b > span.1 || quoted[a - span.0] || !r.present {
                continue;
            }
            let word = &text[a..b];
            let lower = word.to_lowercase();
            let Some(role) = role(&lower, &text[span.0..a], &text[b..span.1]) else {
                continue;
            };
            if role == Role::Object || !agrees(&lower, r.gender) {
                continue;
            }
            let sentence = sentence_of(a);
            if names_in(text, sentence, r) || !named.insert((k, sentence.0)) {
                continue;
            }
            if !sure(text, a, &lower, k, referents) {
                continue;
            }
            let mut name = r.name.to_string();
            if role == Role::Possessive {
                // "the sisters' ship", "Siegfried's sword".
                name.push_str(if r.gender == "plural" && name.ends_with('s') {
                    "'"
                } else {
                    "'s"
                });
            }
            edits.push((a - span.0, b - span.0, capitalised_like(word, &name)));
        }
        if !r.present && r.name.starts_with(char::is_uppercase) {
            absent_name_edits(slice, &quoted, r, &mut edits);
        }
    }
    apply(slice, edits)
}

/// An absent character's bare name becomes their epithet, or goes with its possessive ending
/// ("Alberich's ring" → "ring"): a name draws nothing.
fn absent_name_edits(
    slice: &str,
    quoted: &[bool],
    r: &Referent,
    edits: &mut Vec<(usize, usize, String)>,
) {
    let mut from = 0;
    while let Some(k) = slice[from..].find(r.name) {
        let (a, mut b) = (from + k, from + k + r.name.len());
        from = b;
        // "Mrs. Morel" where "Morel" is her absent husband: a titled name is someone's whole
        // name, kept as written.
        if !whole_word(slice, a, b) || quoted[a] || after_title(&slice[..a]) {
            continue;
        }
        if r.stand_in.is_none() {
            for ending in ["'s", "’s"] {
                if slice[b..].starts_with(ending) {
                    b += ending.len();
                }
            }
        }
        edits.push((a, b, r.stand_in.unwrap_or_default().to_string()));
    }
}

/// Whether the word just before (`before` ends where a name starts) is a title: "Mrs. ",
/// "King ".
fn after_title(before: &str) -> bool {
    if !before.ends_with(char::is_whitespace) {
        return false;
    }
    let word = before
        .split_whitespace()
        .next_back()
        .unwrap_or("")
        .trim_end_matches('.');
    is_title(&word.to_lowercase())
}

fn apply(slice: &str, mut edits: Vec<(usize, usize, String)>) -> String {
    edits.sort_by_key(|e| e.0);
    let mut out = String::with_capacity(slice.len());
    let mut at = 0;
    for (a, b, with) in edits {
        if a < at {
            continue;
        }
        out.push_str(&slice[at..a]);
        out.push_str(&with);
        at = b;
    }
    out.push_str(&slice[at..]);
    out
}

/// The role of a pronoun that may be replaced; `None` for a reflexive ("seated herself" stays:
/// "seated the princess" would be a second person) or a word that is no third-person pronoun.
fn role(lower: &str, before: &str, after: &str) -> Option<Role> {
    if lower.ends_with("self") || lower.ends_with("selves") {
        return None;
    }
    match lower {
        "he" | "she" | "they" => Some(Role::Subject),
        "his" | "its" | "their" | "hers" | "theirs" => Some(Role::Possessive),
        "him" | "them" => Some(Role::Object),
        "her" if her_is_possessive(after) => Some(Role::Possessive),
        "her" => Some(Role::Object),
        // The cast makes "it" a mention only where an animal or thing speaks or acts; it is that
        // character as the subject of a clause ("when it had got to the top, it knocked").
        "it" if clause_starts_before(before) => Some(Role::Subject),
        "it" => Some(Role::Object),
        _ if is_third_person_pronoun(lower) => Some(Role::Object),
        _ => None,
    }
}

/// Whether what comes before a word ends a clause: nothing, a stop or comma, or a conjunction.
fn clause_starts_before(before: &str) -> bool {
    let trimmed = before.trim_end();
    if trimmed.is_empty() || trimmed.ends_with(['.', '!', '?', ',', ';', ':', '"', '\u{201D}']) {
        return true;
    }
    let last = trimmed
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_lowercase();
    matches!(
        last.as_str(),
        "and"
            | "but"
            | "when"
            | "then"
            | "till"
            | "until"
            | "as"
            | "while"
            | "meantime"
            | "so"
            | "if"
            | "because"
            | "before"
            | "after"
    )
}

/// Whether the pronoun's form fits the character's gender and number.
fn agrees(lower: &str, gender: &str) -> bool {
    match lower {
        "he" | "him" | "his" => gender == "male",
        "she" | "her" | "hers" => gender == "female",
        "they" | "them" | "their" | "theirs" => gender == "plural",
        // An animal that speaks may be "he" elsewhere; never a group.
        "it" | "its" => gender != "plural",
        _ => false,
    }
}

/// Whether `sentence` already names the character: a mention that is no pronoun, or the name.
fn names_in(text: &str, sentence: Span, r: &Referent) -> bool {
    let inside = r.mentions.iter().any(|&(a, b)| {
        a >= sentence.0 && b <= sentence.1 && !is_pronoun(&text[a..b].to_lowercase())
    });
    inside || contains_words(&text[sentence.0..sentence.1], r.name)
}

/// Whether the cast's reading of the pronoun at `at` is sure: the character was named shortly
/// before, and no other character of the same gender was named since. An "it" comes from the
/// cast's rule for the animal or thing last named, so only the distance counts.
fn sure(text: &str, at: usize, lower: &str, k: usize, referents: &[Referent]) -> bool {
    let r = &referents[k];
    let named_before = |m: &Span| m.1 <= at && !is_pronoun(&text[m.0..m.1].to_lowercase());
    let Some(last) = r
        .mentions
        .iter()
        .filter(|m| named_before(m))
        .map(|m| m.1)
        .max()
    else {
        return false;
    };
    if at - last > ANTECEDENT_BYTES {
        return false;
    }
    if matches!(lower, "it" | "its") {
        return true;
    }
    !referents.iter().enumerate().any(|(j, other)| {
        j != k
            && other.gender == r.gender
            && other
                .mentions
                .iter()
                .any(|m| m.0 >= last && named_before(m))
    })
}

/// A pronoun of any person: what does not name a character.
fn is_pronoun(lower: &str) -> bool {
    is_third_person_pronoun(lower)
        || matches!(
            lower,
            "it" | "its"
                | "i"
                | "me"
                | "my"
                | "mine"
                | "myself"
                | "we"
                | "us"
                | "our"
                | "you"
                | "your"
                | "yours"
                | "thou"
                | "thee"
                | "thy"
                | "ye"
        )
}

/// "her eyes" (possessive) rather than "saw her." or "lift her through the window" (object): the
/// next word must be one a possessive can stand before.
fn her_is_possessive(after: &str) -> bool {
    let next = after.split_whitespace().next().unwrap_or("");
    if !next.starts_with(|c: char| c.is_alphabetic()) {
        return false;
    }
    let word = next
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    let adverb = word.ends_with("ly") && word.len() > 4;
    !(adverb || NOT_AFTER_POSSESSIVE.contains(&word.as_str()))
}

/// Words that follow an object "her", never a possessive one.
const NOT_AFTER_POSSESSIVE: &[&str] = &[
    "and", "but", "or", "nor", "to", "from", "with", "in", "into", "on", "onto", "upon", "at",
    "up", "down", "away", "out", "off", "back", "again", "that", "the", "a", "an", "by", "for",
    "as", "so", "very", "once", "now", "then", "through", "over", "under", "across", "along",
    "about", "around", "round", "after", "before", "behind", "beside", "near", "towards", "toward",
    "of", "till", "until", "when", "while", "if", "though", "because", "where", "how", "what",
    "why", "who", "whom", "which", "all", "both", "too", "still", "home", "here", "there", "is",
    "was", "were", "had", "has", "be", "been", "not", "no", "some", "any", "this", "these",
    "those", "his", "her", "their", "its", "my", "your", "our", "more", "most", "less", "just",
    "ever", "never", "always", "even", "only", "quite", "much", "well", "like", "than", "tight",
    "close", "closer", "free", "alone", "good-bye", "goodbye", "farewell", "go", "come", "be",
    "do", "feel", "see", "know", "think", "sit", "stand", "lie", "die", "live", "look", "get",
    "take", "make", "let", "help",
];

fn contains_words(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    let (hay, needle) = (hay.to_lowercase(), needle.to_lowercase());
    let mut from = 0;
    while let Some(k) = hay[from..].find(&needle) {
        let (a, b) = (from + k, from + k + needle.len());
        if whole_word(&hay, a, b) {
            return true;
        }
        from = b;
    }
    false
}

fn whole_word(s: &str, a: usize, b: usize) -> bool {
    let before = s[..a]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric());
    let after = s[b..].chars().next().is_none_or(|c| !c.is_alphanumeric());
    before && after
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    fn spans(text: &str, words: &[&str]) -> Vec<Span> {
        // The nth listed word is its nth occurrence in order of the list.
        let mut out = Vec::new();
        let mut from = 0;
        for w in words {
            let at = from + text[from..].find(w).expect("word in text");
            out.push((at, at + w.len()));
            from = at + w.len();
        }
        out
    }

    /// A character present in the scene, found at `mentions` (for the picture's tests too).
    pub(in crate::story) fn person<'a>(
        name: &'a str,
        mentions: &'a [Span],
        gender: &'a str,
    ) -> Referent<'a> {
        Referent {
            name,
            mentions,
            present: true,
            stand_in: None,
            gender,
        }
    }

    fn rewrite(text: &str, referents: &[Referent]) -> String {
        replace_references(text, (0, text.len()), referents, "")
    }

    #[test]
    fn an_absent_name_goes_but_a_titled_name_is_kept_whole() {
        let morel = Referent {
            name: "Morel",
            mentions: &[],
            present: false,
            stand_in: None,
            gender: "male",
        };
        // (The picture tidies the space left where the name went.)
        assert_eq!(
            rewrite("Morel's pit was far. Mrs. Morel did her work.", &[morel]),
            " pit was far. Mrs. Morel did her work."
        );
    }

    #[test]
    fn a_possessive_of_the_sentences_own_subject_stays_her() {
        let text = "The princess dropped her golden ball.";
        let m = spans(text, &["The princess", "her"]);
        assert_eq!(rewrite(text, &[person("the princess", &m, "female")]), text);
        // Named by a pronoun first: the first becomes the name, the possessive stays.
        let text = "The princess wept. She dropped her golden ball.";
        let m = spans(text, &["The princess", "She", "her"]);
        assert_eq!(
            rewrite(text, &[person("the princess", &m, "female")]),
            "The princess wept. The princess dropped her golden ball."
        );
    }

    #[test]
    fn an_object_pronoun_is_never_made_a_possessive_nor_replaced() {
        let text = "Mira slept. The moths lift her through the window.";
        let m = spans(text, &["Mira", "her"]);
        assert_eq!(rewrite(text, &[person("Mira", &m, "female")]), text);
        let text = "The princess lost her ball. A green frog brought the ball back to her.";
        let m = spans(text, &["The princess", "her", "her"]);
        assert_eq!(rewrite(text, &[person("the princess", &m, "female")]), text);
    }

    #[test]
    fn a_clause_that_names_its_referent_keeps_its_pronouns() {
        let text = "And here the Chancellor is, with a foggy glory round his head.";
        let m = spans(text, &["the Chancellor", "his"]);
        assert_eq!(rewrite(text, &[person("the Chancellor", &m, "male")]), text);
        let text = "The father asked his two step-daughters what he should bring back.";
        let m = spans(text, &["The father", "his", "he"]);
        assert_eq!(rewrite(text, &[person("the father", &m, "male")]), text);
    }

    #[test]
    fn things_are_never_resolved_to_a_character() {
        // The cast wrongly gave "them" (the lentils) to the two sisters: an object stays.
        let text = "The two sisters sat down. They had to pick them out again.";
        let m = spans(text, &["The two sisters", "They", "them"]);
        assert_eq!(
            rewrite(text, &[person("the two sisters", &m, "plural")]),
            "The two sisters sat down. The two sisters had to pick them out again."
        );
        // "they" of one woman, "he" of her: forms that do not agree stay.
        let text = "The witch laughed. Then they went home, and he slept.";
        let m = spans(text, &["The witch", "they", "he"]);
        assert_eq!(rewrite(text, &[person("the witch", &m, "female")]), text);
    }

    #[test]
    fn a_pronoun_in_doubt_stays() {
        // Two men named before "he": which one the cast chose, the picture does not guess.
        let text = "Gunther met Hagen. He drew his sword.";
        let g = spans(text, &["Gunther", "He"]);
        let h = spans(text, &["Hagen"]);
        assert_eq!(
            rewrite(
                text,
                &[person("Gunther", &g, "male"), person("Hagen", &h, "male")]
            ),
            text
        );
        // A woman and a man: sure.
        let text = "Brunhild met Hagen. She drew her sword.";
        let b = spans(text, &["Brunhild", "She"]);
        let h = spans(text, &["Hagen"]);
        assert_eq!(
            rewrite(
                text,
                &[
                    person("Brunhild", &b, "female"),
                    person("Hagen", &h, "male")
                ]
            ),
            "Brunhild met Hagen. Brunhild drew her sword."
        );
        // Named too long ago.
        let far = format!("Brunhild sat.{} She rose.", " The wind blew.".repeat(120));
        let b = spans(&far, &["Brunhild", "She"]);
        assert_eq!(rewrite(&far, &[person("Brunhild", &b, "female")]), far);
    }

    #[test]
    fn an_animal_known_as_it_acts_by_its_name() {
        let text = "The frog was gone. In the meantime it knocked a second time.";
        let m = spans(text, &["The frog", "it"]);
        assert_eq!(
            rewrite(text, &[person("the frog", &m, "male")]),
            "The frog was gone. In the meantime the frog knocked a second time."
        );
    }
}
