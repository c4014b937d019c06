//! What the people of a scene hold: the thing a character present took or held in the narration
//! just before ("she took up the golden ball" → "holding the golden ball"), carried into a scene
//! that says little, as its place and time are, until the narration lets it go ("dropped the
//! ball"). Quoted speech is never read: a thing someone talks of is not in their hands.

use super::references::Referent;
use super::speech_marks::quoted_mask;
use super::visual::words;

/// How far back (bytes) a held thing is carried: a few paragraphs, like the time of day.
const CARRY_HELD: usize = 3000;

/// Verbs of taking or holding, right after their subject ("she took", "Jo held").
const TAKING: &[&str] = &[
    "took",
    "held",
    "holding",
    "carried",
    "carrying",
    "seized",
    "grasped",
    "clutched",
    "clutching",
    "gripped",
    "snatched",
    "picked",
    "lifted",
    "raised",
    "caught",
    "grabbed",
    "bore",
];

/// Verbs that let a thing go.
const LETTING_GO: &[&str] = &[
    "dropped", "threw", "flung", "laid", "put", "gave", "handed", "set", "hid", "lost", "let",
    "placed", "tossed", "buried", "sheathed",
];

/// Particles between the verb and its object ("picked up the ball").
const PARTICLES: &[&str] = &["up", "out", "hold", "of"];

/// Words that may stand between the subject and the verb ("she quickly took").
const ADVERBS_ALLOWED: usize = 1;

/// Determiners that open the held thing's noun phrase, and how the picture says them
/// (whose it is the picture does not know).
const DETERMINERS: &[(&str, &str)] = &[
    ("the", "the"),
    ("a", "a"),
    ("an", "an"),
    ("his", "the"),
    ("her", "the"),
    ("their", "the"),
    ("its", "the"),
    ("my", "the"),
];

/// Nouns after "took" and its kin that are no thing in a hand ("took a deep breath", "held her
/// tongue", "took the opportunity").
const NOT_THINGS: &[&str] = &[
    "breath",
    "opportunity",
    "care",
    "place",
    "part",
    "leave",
    "notice",
    "look",
    "seat",
    "step",
    "steps",
    "time",
    "advantage",
    "pains",
    "trouble",
    "interest",
    "tongue",
    "peace",
    "way",
    "turn",
    "chance",
    "liberty",
    "courage",
    "heart",
    "fancy",
    "view",
    "side",
    "head",
    "eyes",
    "breath",
    "attention",
    "offence",
    "hand",
    "hands",
    "arm",
    "arms",
    "face",
    "fire",
    "road",
    "lead",
    "road",
    "room",
    "ground",
    "position",
    "rest",
    "shelter",
    "refuge",
    "note",
    "aim",
    "charge",
    "possession",
    "measures",
    "walk",
    "silence",
    "matter",
    "voice",
    "thought",
    "thoughts",
    "idea",
    "opinion",
    "belief",
    "promise",
    "word",
    "words",
    "hope",
    "fear",
    "office",
    "post",
    "power",
    "control",
    "command",
    "sway",
    "form",
    "shape",
    "course",
    "oath",
];

/// Words that end the held thing's noun phrase.
const PHRASE_ENDS: &[&str] = &[
    "and", "in", "from", "out", "up", "to", "with", "into", "off", "on", "at", "by", "for", "as",
    "which", "that", "who", "but", "or", "under", "over", "before", "after", "down", "so", "then",
    "there", "here", "again", "now", "still", "back", "away", "tight", "fast", "close", "high",
    "aloft", "while", "when",
];

/// "holding the golden ball": the last thing a character present in the scene starting at byte
/// `start` took or held in the narration just before, unless it was let go since.
pub fn held(text: &str, start: usize, referents: &[Referent]) -> Option<String> {
    let mut from = start.saturating_sub(CARRY_HELD);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let window = &text[from..start];
    let quoted = quoted_mask(window, false);
    let ws: Vec<(usize, usize)> = words(window)
        .into_iter()
        .filter(|&(a, _)| !quoted[a])
        .collect();
    let lower: Vec<String> = ws
        .iter()
        .map(|&(a, b)| window[a..b].to_lowercase())
        .collect();
    // Whether punctuation (or a quotation) stands before word i: a phrase ends there.
    let breaks: Vec<bool> = (0..ws.len())
        .map(|i| i > 0 && !window[ws[i - 1].1..ws[i].0].trim().is_empty())
        .collect();
    let mut last: Option<(usize, String, String)> = None;
    for r in referents.iter().filter(|r| r.present) {
        for &(ma, mb) in r.mentions.iter().filter(|m| m.0 >= from && m.1 <= start) {
            let Some(k) = ws.iter().position(|&(a, _)| a + from >= mb) else {
                continue;
            };
            if ws
                .get(k)
                .is_some_and(|w| window[mb - from..w.0].contains(['.', ',', ';', '!', '?']))
            {
                continue;
            }
            if let Some((noun, phrase)) = taken_after(&lower, &breaks, k) {
                if last.as_ref().is_none_or(|l| l.0 < ma) {
                    last = Some((ma, noun, phrase));
                }
            }
        }
    }
    let (at, noun, phrase) = last?;
    // Let go since: "dropped the ball", "laid her sword down" after the taking.
    let after = lower
        .iter()
        .zip(&ws)
        .skip_while(|(_, &(a, _))| a + from <= at)
        .map(|(w, _)| w.as_str())
        .collect::<Vec<_>>();
    let let_go = after
        .windows(5)
        .any(|w| LETTING_GO.contains(&w[0]) && w[1..].contains(&noun.as_str()));
    (!let_go).then(|| format!("holding {phrase}"))
}

/// After the subject at word `k`: an adverb at most, a verb of taking, a particle, then "the
/// golden ball" — the noun and the phrase as the picture says it.
fn taken_after(lower: &[String], breaks: &[bool], k: usize) -> Option<(String, String)> {
    let verb = (k..=k + ADVERBS_ALLOWED)
        .find(|&i| lower.get(i).is_some_and(|w| TAKING.contains(&w.as_str())))?;
    if verb > k && !lower[k].ends_with("ly") || breaks[k..=verb].iter().skip(1).any(|&b| b) {
        return None;
    }
    let mut i = verb + 1;
    while lower
        .get(i)
        .is_some_and(|w| PARTICLES.contains(&w.as_str()))
    {
        i += 1;
    }
    let det = DETERMINERS
        .iter()
        .find(|d| lower.get(i).is_some_and(|w| w == d.0) && !breaks[i])?;
    // Up to two modifiers, then the noun: the phrase must end at punctuation or a word that
    // starts something else ("took the knife and went"), else it is no thing ("took the ball
    // she had").
    let mut phrase = vec![det.1.to_string()];
    let mut ended = false;
    for n in 1..=4 {
        let Some(w) = lower.get(i + n) else {
            ended = true;
            break;
        };
        let adverb = w.ends_with("ly") && w.len() > 4;
        if n > 1 && (breaks[i + n] || adverb || PHRASE_ENDS.contains(&w.as_str())) {
            ended = true;
            break;
        }
        if breaks[i + n] || !w.chars().all(|c| c.is_alphabetic() || c == '-') || n == 4 {
            break;
        }
        phrase.push(w.clone());
    }
    let noun = phrase.last()?.clone();
    (ended && phrase.len() > 1 && !NOT_THINGS.contains(&noun.as_str()))
        .then(|| (noun, phrase.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::story::text::Span;

    fn princess(mentions: &[Span]) -> Referent<'_> {
        Referent {
            name: "the princess",
            mentions,
            present: true,
            stand_in: None,
            gender: "female",
        }
    }

    #[test]
    fn a_thing_taken_just_before_is_held() {
        let s = "The princess picked up her golden ball, and went to the well. \"Ah!\"";
        let she = [(0, 12)];
        let end = s.len();
        assert_eq!(
            held(s, end, &[princess(&she)]).as_deref(),
            Some("holding the golden ball")
        );
        // Not by someone absent from the scene.
        let absent = Referent {
            present: false,
            ..princess(&she)
        };
        assert_eq!(held(s, end, &[absent]), None);
    }

    #[test]
    fn a_thing_let_go_or_no_thing_at_all_is_not_held() {
        let s = "The princess took her golden ball. She dropped the ball into the well.";
        let she = [(0, 12), (35, 38)];
        assert_eq!(held(s, s.len(), &[princess(&she)]), None);
        let s = "The princess took a deep breath.";
        assert_eq!(held(s, s.len(), &[princess(&[(0, 12)])]), None);
        // The noun phrase must end: "took the ball she had" is no thing.
        let s = "The princess took the ball she had found";
        assert_eq!(held(s, s.len(), &[princess(&[(0, 12)])]), None);
        // A thing in quoted speech is not in anyone's hands.
        let s = "The princess said, \"I took the key.\"";
        assert_eq!(held(s, s.len(), &[princess(&[(0, 12)])]), None);
    }
}
