//! A scene's text as a picture description: quoted speech and the clauses that introduce it are
//! dropped (nothing visible is said), and so are speech tags and fragments left behind (`clause`);
//! pronouns become names where sure and absent people's names an epithet (`references`). A scene
//! of speech shows who speaks to whom (`conversation`), and a scene that says little takes the
//! place and time of the narration before it (`setting`).

use super::cast::is_speech_verb;
use super::clause::{is_bare_attribution, is_fragment, is_inverted_tag};
use super::conversation::{conversation, recent_talk};
use super::heading::is_heading;
use super::held::held;
use super::references::replace_references;
pub use super::references::Referent;
use super::sentences::{is_abbreviation, sentences};
use super::setting;
pub(super) use super::speech_marks::{paragraph_start, quoted_mask_after};
use super::text::{normalise_whitespace, Span};

/// Narration shorter than this (characters) says too little to stand alone: it takes the
/// setting, and in a scene of speech who speaks to whom.
const SHORT: usize = 40;

/// The picture text of `span` of the story `text`.
pub fn picture_text(text: &str, span: Span, referents: &[Referent]) -> String {
    let mut span = span;
    let mut narration = narration(text, span, referents);
    // A scene cut from the end of a long sentence ("a prison.") shows what the whole sentence
    // does, unless what is left of it names someone there already or the scene is speech.
    let thin = if narration.is_empty() {
        !has_speech(text, span)
    } else {
        narration.chars().count() < SHORT && !names_any(&narration, referents)
    };
    if thin {
        if let Some(start) = sentence_start_before(text, span.0) {
            let whole = self::narration(text, (start, span.1), referents);
            if whole.chars().count() > narration.chars().count() {
                (span, narration) = ((start, span.1), whole);
            }
        }
    }
    // A heading ("CHAPTER I", "THE NIBELUNGEN LIED") is no scene: nothing is carried into it.
    let heading = is_heading(&narration);
    if narration.chars().count() >= SHORT || heading {
        return narration;
    }
    let present: Vec<&str> = referents
        .iter()
        .filter(|r| r.present)
        .map(|r| r.name)
        .collect();
    let speech = has_speech(text, span);
    let talk = speech
        .then(|| conversation(text, span, referents))
        .flatten();
    let people: Vec<&str> = referents.iter().map(|r| r.name).collect();
    let setting = setting::Setting {
        held: held(text, span.0, referents),
        ..setting::carried(text, span.0, span.1, &people)
    };
    let names_someone = names_any(&narration, referents);
    match (narration.is_empty(), talk) {
        // "Tommy chuckled." in a scene of speech: who talks to whom, then what is shown.
        (false, Some(talk)) if !names_someone => {
            tidy(&format!("{}. {narration}", placed(&talk, &setting)))
        }
        // Narration takes only a place named before it, and only when it names none itself.
        (false, _) if setting::may_have_place(&narration) => narration,
        (false, _) => placed(
            &narration,
            &setting::Setting {
                // A place named after the scene is where it happens only a few paragraphs on.
                place: setting
                    .place
                    .clone()
                    .filter(|_| !setting.place_ahead || setting.ahead_near),
                ..setting.clone()
            },
        ),
        (true, Some(talk)) => placed(&talk, &setting),
        (true, None) if !present.is_empty() => placed(&present.join(" and "), &setting),
        // Speech with no one known in it: those named just before are the ones talking; the
        // words spoken are never the picture.
        (true, None) if speech => match recent_talk(span.0, referents) {
            Some(talk) => placed(&talk, &setting),
            None => placed("", &setting),
        },
        (true, None) => normalise_whitespace(&text[span.0..span.1]),
    }
}

/// Whether `span` holds quoted speech (or goes on with a quotation opened before it).
fn has_speech(text: &str, span: Span) -> bool {
    let before = &text[paragraph_start(text, span.0)..span.0];
    quoted_mask_after(before, &text[span.0..span.1]).contains(&true)
}

/// Whether `narration` names a character present in the scene.
fn names_any(narration: &str, referents: &[Referent]) -> bool {
    let lower = narration.to_lowercase();
    referents
        .iter()
        .any(|r| r.present && !r.name.is_empty() && lower.contains(&r.name.to_lowercase()))
}

/// The narration of `span` as a picture: speech, its tags and fragments dropped, pronouns named
/// where sure.
fn narration(text: &str, span: Span, referents: &[Referent]) -> String {
    // A scene may start inside a quotation that opened earlier in its paragraph.
    let before = &text[paragraph_start(text, span.0)..span.0];
    let edited = replace_references(text, span, referents, before);
    let narration = tidy(&drop_speech(&edited, before, true));
    if ends_mid_sentence(&text[span.0..span.1]) {
        showing(&without_dangling_clause(&narration))
    } else {
        showing(&narration)
    }
}

/// Where the sentence that byte `pos` falls inside starts, when the scene was cut inside it;
/// `None` at a sentence's or paragraph's start.
fn sentence_start_before(text: &str, pos: usize) -> Option<usize> {
    let para = paragraph_start(text, pos);
    if text[para..pos].trim().is_empty() || !ends_mid_sentence(&text[para..pos]) {
        return None;
    }
    sentences(text, (para, pos)).last().map(|s| s.0)
}

/// `picture` with the carried place and time it does not state already.
fn placed(picture: &str, carried: &setting::Setting) -> String {
    let lower = picture.to_lowercase();
    let setting = setting::Setting {
        place: carried
            .place
            .clone()
            .filter(|_| !setting::has_place(picture)),
        time: carried.time.clone().filter(|_| !setting::has_time(picture)),
        // A thing the picture names already is shown already.
        held: carried.held.clone().filter(|h| {
            h.rsplit(' ')
                .next()
                .is_none_or(|noun| !lower.contains(noun))
        }),
        ..carried.clone()
    };
    let picture = picture.trim_end().trim_end_matches(['.', '!', '?']);
    tidy(&format!("{picture}{}", setting.suffix()))
}

/// The narration without the sentences that show nothing: speech tags left behind (only the
/// tag's clause goes: "Said Tuppence severely, Tommy chuckled." keeps "Tommy chuckled.") and
/// fragments.
fn showing(narration: &str) -> String {
    let kept: Vec<String> = sentences(narration, (0, narration.len()))
        .into_iter()
        .filter_map(|(a, b)| {
            let sentence = narration[a..b].trim();
            let kept: String = clauses(sentence)
                .into_iter()
                .enumerate()
                .filter(|&(k, (clause, _))| {
                    !(is_bare_attribution(clause) || (k == 0 && is_inverted_tag(clause)))
                })
                .map(|(_, (clause, mark))| format!("{clause}{mark} "))
                .collect();
            let sentence = tidy(&kept);
            (!sentence.is_empty() && !is_fragment(&sentence)).then_some(sentence)
        })
        .collect();
    tidy(&kept.join(" "))
}

/// The clauses of a sentence, each with the mark that ends it (",", ";", ":" or ""): "It
/// murmured; and I understood" loses its tag as "Said Tuppence, Tommy chuckled" does.
fn clauses(sentence: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in sentence.char_indices() {
        let next_is_space = sentence[i + c.len_utf8()..].starts_with(' ');
        if matches!(c, ',' | ';' | ':') && next_is_space {
            out.push((&sentence[start..i], &sentence[i..i + 1]));
            start = i + 2;
        }
    }
    out.push((&sentence[start..], ""));
    out
}

/// A scene cut inside a long sentence ends at a comma or with no stop at all.
fn ends_mid_sentence(source: &str) -> bool {
    let end = source
        .trim_end()
        .trim_end_matches(['"', '\'', '\u{201d}', '\u{2019}', ')']);
    !end.ends_with(['.', '!', '?'])
}

/// "…was a well, and when the day was very warm." loses its last clause when the scene was cut
/// before that clause's main verb: a "when …" with nothing after it draws nothing.
fn without_dangling_clause(narration: &str) -> String {
    const OPENERS: &[&str] = &[
        "when", "whenever", "while", "as", "if", "because", "though", "although", "until", "till",
        "before", "after", "since", "where", "that", "so",
    ];
    let Some(comma) = narration.rfind(", ") else {
        return narration.to_string();
    };
    let mut words = narration[comma + 2..]
        .split_whitespace()
        .map(|w| w.to_lowercase());
    let first = words.next().unwrap_or_default();
    let opener = if matches!(first.as_str(), "and" | "but" | "or") {
        words.next().unwrap_or_default()
    } else {
        first
    };
    if OPENERS.contains(&opener.as_str()) {
        tidy(&format!("{}.", &narration[..comma]))
    } else {
        narration.to_string()
    }
}

pub(super) fn capitalised_like(original: &str, replacement: &str) -> String {
    if original.starts_with(char::is_uppercase) {
        let mut c = replacement.chars();
        match c.next() {
            Some(f) => f.to_uppercase().chain(c).collect(),
            None => String::new(),
        }
    } else {
        replacement.to_string()
    }
}

/// The narration without quoted passages and, when `attributions` is set, without the clauses
/// that attribute or introduce them ("said she;", "answered the frog,", "someone said to her,").
fn drop_speech(s: &str, before: &str, attributions: bool) -> String {
    let quoted = quoted_mask_after(before, s);
    // Narration pieces between quotes, each with whether a quote touches it before or after.
    let mut pieces: Vec<(String, bool, bool)> = Vec::new();
    let mut current = String::new();
    let mut after_quote = false;
    let mut prev_quoted = false;
    for (i, c) in s.char_indices() {
        if quoted[i] {
            if !prev_quoted {
                pieces.push((std::mem::take(&mut current), after_quote, true));
            }
            prev_quoted = true;
            continue;
        }
        if prev_quoted {
            after_quote = true;
            prev_quoted = false;
        }
        current.push(c);
    }
    pieces.push((current, after_quote, false));
    let mut out = String::new();
    for (piece, quote_before, quote_after) in pieces {
        let mut kept = piece.as_str().to_string();
        if quote_before && attributions {
            kept = strip_attribution_head(&kept);
        }
        if quote_after && attributions {
            kept = strip_speech_tail(&kept);
        }
        out.push(' ');
        out.push_str(&kept);
    }
    out
}

/// Words of `s` with their byte spans.
pub(super) fn words(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        let part = c.is_alphanumeric() || c == '\'' || c == '’' || c == '-';
        match (part, start) {
            (true, None) => start = Some(i),
            (false, Some(a)) => {
                out.push((a, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(a) = start {
        out.push((a, s.len()));
    }
    out
}

/// After a quote: `, said she; …` or ` answered the frog, …` loses the attribution, up to the
/// first punctuation after its speech verb.
fn strip_attribution_head(s: &str) -> String {
    let ws = words(s);
    let verb = ws
        .iter()
        .take(4)
        .position(|&(a, b)| is_speech_verb(&s[a..b].to_lowercase()));
    let Some(k) = verb else {
        return s.to_string();
    };
    // Nothing but punctuation before the first word, no new paragraph ("…jesuit! ¶ Ceasing,
    // he began to shave"), and no clause break before the verb.
    let lead = &s[..ws[0].0];
    if lead.trim().chars().any(char::is_alphanumeric)
        || lead.matches('\n').count() >= 2
        || s[..ws[k].0].contains(['.', '!', '?', ';'])
    {
        return s.to_string();
    }
    let rest = &s[ws[k].1..];
    match rest.find([',', ';', '.', '!', '?', ':']) {
        Some(p) => {
            let cut = &rest[p..];
            let keep_stop = cut.starts_with(['.', '!', '?']);
            let tail = cut[1..].to_string();
            if keep_stop {
                format!(". {tail}")
            } else {
                tail
            }
        }
        None => String::new(),
    }
}

/// Before a quote: `… and cried,` or `someone said to her,` loses the clause with the speech
/// verb, back to the previous clause break.
fn strip_speech_tail(s: &str) -> String {
    // A sentence ended before the quotation introduces nothing ("He looked down on the
    // water. —Our mighty mother!").
    if s.trim_end().ends_with(['.', '!', '?']) {
        return s.to_string();
    }
    let ws = words(s);
    // The last sentence break, not the stop of a title ("when Mrs. Hall answered").
    let last_break = s
        .match_indices(['.', '!', '?', ';'])
        .map(|(p, _)| p)
        .rfind(|&p| !ends_with_title(&s[..p]))
        .filter(|&p| s[p + 1..].trim().chars().any(char::is_alphanumeric));
    let from = last_break.map_or(0, |p| p + 1);
    let verb = ws
        .iter()
        .rposition(|&(a, b)| a >= from && is_speech_verb(&s[a..b].to_lowercase()));
    let Some(k) = verb else {
        return s.to_string();
    };
    // The clause starts after the last comma, or at "and", before the verb.
    let clause_start = ws[..k]
        .iter()
        .rev()
        .take_while(|&&(a, _)| a >= from)
        .find(|&&(a, b)| s[a..b].eq_ignore_ascii_case("and"))
        .map(|&(a, _)| a)
        .into_iter()
        .chain(s[from..ws[k].0].rfind(',').map(|p| from + p + 1))
        .max()
        .unwrap_or(from);
    let kept = s[..clause_start].trim_end();
    format!("{kept}.")
}

/// "… Mrs" before a stop: the stop is an abbreviation's, not a sentence's.
fn ends_with_title(before: &str) -> bool {
    let last = before
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    is_abbreviation(last)
}

/// Joins the pieces into clean sentences: no doubled or dangling punctuation.
fn tidy(s: &str) -> String {
    let mut out = String::new();
    for word in s.split_whitespace() {
        let is_punct = word.chars().all(|c| !c.is_alphanumeric());
        if is_punct {
            let mark = word.chars().find(|c| matches!(c, '.' | '!' | '?'));
            if let Some(m) = mark {
                push_stop(&mut out, m);
            } else if word.contains([',', ';']) && !out.is_empty() && !ends_with_stop(&out) {
                out.push(',');
            }
            continue;
        }
        // "6 o'clock, P.M. or thereabouts": an abbreviation's stop starts no sentence.
        let last = out.rsplit(' ').next().unwrap_or("");
        let stem = last
            .trim_start_matches(|c: char| !c.is_alphanumeric())
            .trim_end_matches('.');
        let abbreviation = stem.contains('.') || is_abbreviation(stem);
        let starts = out.is_empty() || (ends_with_stop(out.trim_end()) && !abbreviation);
        // A sentence left starting with "and" by a cut ("…," and she ran) starts after it.
        if starts && matches!(word.to_lowercase().as_str(), "and" | "but") {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        if starts {
            out.push_str(&capitalised_like("X", word));
        } else {
            out.push_str(word);
        }
    }
    let trimmed = out.trim().trim_end_matches([',', ';', ':', '-']);
    let mut result = trimmed.to_string();
    // Punctuation left doubled by the cuts: ", ." → "."; ",," → ",".
    for (bad, good) in [
        (",.", "."),
        (";.", "."),
        (",,", ","),
        (". .", "."),
        ("..", "."),
    ] {
        while result.contains(bad) {
            result = result.replace(bad, good);
        }
    }
    if !result.is_empty() && !ends_with_stop(&result) {
        result.push('.');
    }
    result
}

fn ends_with_stop(s: &str) -> bool {
    s.ends_with(['.', '!', '?'])
}

fn push_stop(out: &mut String, mark: char) {
    let t = out.trim_end().trim_end_matches([',', ';', ':', '-']).len();
    out.truncate(t);
    if !out.is_empty() && !ends_with_stop(out) {
        out.push(mark);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: &str) -> String {
        picture_text(s, (0, s.len()), &[])
    }

    #[test]
    fn quoted_speech_and_its_attribution_leave_no_fragments() {
        let s = "And as she lamented someone said to her, \"What ails you?\" She looked round \
                 and saw a frog. \"Ah! is it you?\" said she; \"I am weeping.\" \"Be quiet,\" \
                 answered the frog, \"I can help.\" The frog dived.";
        assert_eq!(plain(s), "She looked round and saw a frog. The frog dived.");
    }

    #[test]
    fn a_speech_verb_after_and_cuts_only_its_clause() {
        let s = "It knocked at the door and cried, \"Open the door!\" She ran to the door.";
        assert_eq!(plain(s), "It knocked at the door. She ran to the door.");
    }

    #[test]
    fn a_scene_that_starts_inside_a_quotation_loses_its_first_words() {
        let s = "The king said, \"Come here. Bring the cup,\" and she brought the cup to the \
                 hall.";
        let from = s.find("Bring").unwrap();
        // The quotation's speaker is read from before the scene.
        assert_eq!(
            picture_text(s, (from, s.len()), &[]),
            "The king speaking. She brought the cup to the hall."
        );
    }

    #[test]
    fn a_scene_that_ends_inside_a_quotation_loses_its_last_words() {
        let s = "The king sat in his hall, and he called, \"Come here. Bring the cup.\"";
        let to = s.find(" Bring").unwrap();
        assert_eq!(picture_text(s, (0, to), &[]), "The king sat in his hall.");
    }

    #[test]
    fn the_quotation_open_at_a_scene_start_is_read_from_its_paragraph_only() {
        let s = "He said, \"Go.\n\nThe king sat in his hall. \"Come,\" he said.";
        let from = s.find("The king").unwrap();
        assert_eq!(
            picture_text(s, (from, s.len()), &[]),
            "The king sat in his hall."
        );
    }

    #[test]
    fn a_scene_of_speech_shows_who_speaks_to_whom() {
        let s = "\"Be quiet,\" answered the frog, \"I can help you.\"";
        let frog = [(s.find("the frog").unwrap(), s.find(", \"I").unwrap())];
        let present = |name, mentions| Referent {
            name,
            mentions,
            present: true,
            stand_in: None,
            gender: "male",
        };
        assert_eq!(
            picture_text(s, (0, s.len()), &[present("the frog", &frog)]),
            "The frog speaking."
        );
        assert_eq!(
            picture_text(
                s,
                (0, s.len()),
                &[present("the frog", &frog), present("the princess", &[])]
            ),
            "The frog speaking to the princess."
        );
        // Where the narration before says where, the picture does too.
        let s = "The princess sat by the well. \"Why?\" answered the frog.";
        let frog = [(s.find("the frog").unwrap(), s.len() - 1)];
        assert_eq!(
            picture_text(
                s,
                (s.find("\"Why").unwrap(), s.len()),
                &[present("the frog", &frog)]
            ),
            "The frog speaking, by the well."
        );
    }

    #[test]
    fn a_scene_cut_inside_a_sentence_loses_its_dangling_clause() {
        let s = "Close by lay a great dark forest, and under an old lime-tree was a well, and \
                 when the day was very warm, the child went out into the forest.";
        let cut = s.find(" the child").unwrap();
        assert_eq!(
            picture_text(s, (0, cut), &[]),
            "Close by lay a great dark forest, and under an old lime-tree was a well."
        );
        // A clause that is a picture stays, and so does a whole sentence.
        let cut = s.find(", and when").unwrap() + 1;
        assert_eq!(
            picture_text(s, (0, cut), &[]),
            "Close by lay a great dark forest, and under an old lime-tree was a well."
        );
        let s = "The king sat in his hall, and when night fell he slept.";
        assert_eq!(picture_text(s, (0, s.len()), &[]), s);
    }

    #[test]
    fn a_reflexive_pronoun_stays_a_reflexive() {
        let s = "The princess came in. She seated herself at the table.";
        let at = |w: &str| s.find(w).unwrap();
        let she = [
            (0, 12),
            (at("She"), at("She") + 3),
            (at("herself"), at("herself") + 7),
        ];
        let referents = [Referent {
            name: "the princess",
            mentions: &she,
            present: true,
            stand_in: None,
            gender: "female",
        }];
        assert_eq!(
            picture_text(s, (0, s.len()), &referents),
            "The princess came in. The princess seated herself at the table."
        );
    }

    #[test]
    fn pronouns_become_names_where_sure_and_absent_names_their_epithet() {
        let s = "Siegfried slept. The princess wept. She picked up her ball, and Alberich's \
                 ring shone on his sword.";
        let at = |w: &str| s.find(w).unwrap();
        let her = [
            (at("The princess"), at("The princess") + 12),
            (at("She"), at("She") + 3),
            (at("her ball"), at("her ball") + 3),
        ];
        let him = [(0, 9), (at("his"), at("his") + 3)];
        let referents = [
            Referent {
                name: "the princess",
                mentions: &her,
                present: true,
                stand_in: None,
                gender: "female",
            },
            Referent {
                name: "Siegfried",
                mentions: &him,
                present: true,
                stand_in: None,
                gender: "male",
            },
            Referent {
                name: "Alberich",
                mentions: &[],
                present: false,
                stand_in: Some("the dwarf"),
                gender: "male",
            },
        ];
        assert_eq!(
            picture_text(s, (0, s.len()), &referents),
            "Siegfried slept. The princess wept. The princess picked up her ball, and the \
             dwarf's ring shone on Siegfried's sword."
        );
    }

    /// A woman present in the scene, found at `mentions`.
    fn woman<'a>(name: &'a str, mentions: &'a [Span]) -> Referent<'a> {
        super::super::references::tests::person(name, mentions, "female")
    }

    #[test]
    fn a_tag_between_semicolons_goes_as_one_between_commas_does() {
        let s = "The grey face still followed me. It murmured; and I understood that it desired \
                 to confess something.";
        assert_eq!(
            plain(s),
            "The grey face still followed me. I understood that it desired to confess something."
        );
    }

    #[test]
    fn dash_marked_speech_is_left_out_and_shows_its_speaker() {
        let s = "He laid the brush aside and, laughing with delight, cried:\n\n\u{2014}Will he \
                 come? The jejune jesuit!\n\nCeasing, he began to shave with care.";
        assert_eq!(
            plain(s),
            "He laid the brush aside and, laughing with delight. Ceasing, he began to shave with care."
        );
        let s = "Stephen stood up by the window.\n\n\u{2014}Tell me, Mulligan, \
                 Stephen said quietly.";
        let from = s.find('\u{2014}').unwrap();
        assert_eq!(
            picture_text(s, (from, s.len()), &[]),
            "Stephen speaking, by the window."
        );
    }

    #[test]
    fn a_scene_inside_a_quotation_shows_its_speaker_where_they_are_not_the_words() {
        let s = "Holmes stood in the room. \u{201c}No mention of that, Watson,\u{201d} said \
                 Holmes, \u{201c}but a country doctor. As to the adjectives, I said, amiable, \
                 unambitious, and absent-minded.\u{201d}";
        let from = s.find("As to").unwrap();
        assert_eq!(
            picture_text(s, (from, s.len()), &[]),
            "Holmes speaking, in the room."
        );
    }

    #[test]
    fn a_short_scene_carries_what_its_people_hold_with_place_and_time() {
        let s = "One evening the princess picked up her golden ball and sat down by the well.\n\n\
                 \"Ah!\" said the princess.";
        let she = [(12, 24), (s.rfind("the princess").unwrap(), s.len() - 1)];
        let from = s.find("\"Ah").unwrap();
        assert_eq!(
            picture_text(s, (from, s.len()), &[woman("the princess", &she)]),
            "The princess speaking, holding the golden ball, by the well, in the evening."
        );
    }

    #[test]
    fn a_heading_and_a_scene_with_no_place_near_carry_nothing() {
        let s = "CHAPTER I\n\nThe princess sat by the well.";
        assert_eq!(picture_text(s, (0, 9), &[]), "CHAPTER I");
        // No place anywhere: the picture names who, and no place is made up.
        let s = "\"Is he married or single?\" asked the princess.";
        let she = [(s.find("the princess").unwrap(), s.len() - 1)];
        assert_eq!(
            picture_text(s, (0, s.len()), &[woman("the princess", &she)]),
            "The princess speaking."
        );
    }

    #[test]
    fn a_scene_cut_from_the_end_of_a_long_sentence_shows_the_whole_sentence() {
        let s = "Before this ugly edifice was a grass-plot, much overgrown with burdock and \
                 pig-weed, which found something congenial in the soil of a prison.";
        let tail = s.find("a prison").unwrap();
        assert_eq!(picture_text(s, (tail, s.len()), &[]), s);
        // A tail that names someone there is their picture already; a whole sentence is its own.
        let s = "The night was long and the wind cold, and the princess slept.";
        let tail = s.find("the princess").unwrap();
        let her = [(tail, tail + "the princess".len())];
        assert_eq!(
            picture_text(s, (tail, s.len()), &[woman("the princess", &her)]),
            "The princess slept."
        );
        let whole = "The princess slept.";
        assert_eq!(plain(whole), whole);
    }

    #[test]
    fn an_abbreviations_stop_starts_no_sentence() {
        let s = "His face blazed till 6 o'clock, P.M. or thereabouts.";
        assert_eq!(plain(s), s);
    }
}
