//! Who reads each part of a scene: a quotation the cast attributes to a character with a voice
//! of its own is read in that voice (the cast decides, as it does for "I" inside quotes: "said
//! the frog", "he said" resolved to the frog, turn-taking in a dialogue); narration, and speech
//! the cast gives to no one with a voice, in the narrator's.

use crate::story::cast::{self, CastCharacter};
use std::ops::Range;

/// The text cut into runs, in order and covering it all: `Some(k)` is read by the `k`-th
/// character of `names` (each character's names and aliases), `None` by the narrator.
pub fn runs(text: &str, names: &[Vec<String>]) -> Vec<(Range<usize>, Option<usize>)> {
    let quotes = quotations(text);
    let spoken = if quotes.is_empty() || names.is_empty() {
        Vec::new()
    } else {
        cast::quotations(text)
    };
    let mut out: Vec<(Range<usize>, Option<usize>)> = Vec::new();
    let mut push = |range: Range<usize>, who: Option<usize>| {
        if range.is_empty() {
            return;
        }
        match out.last_mut() {
            Some((last, w)) if *w == who => last.end = range.end,
            _ => out.push((range, who)),
        }
    };
    let mut at = 0;
    for q in &quotes {
        push(at..q.start, None);
        // The cast's quoted segments start at the first quoted word: the one inside `q`.
        let who = spoken
            .iter()
            .find(|(span, _)| span.start < q.end && q.start < span.end)
            .and_then(|(_, c)| c.as_ref())
            .and_then(|c| reader_of(c, names));
        push(q.clone(), who);
        at = q.end;
    }
    push(at..text.len(), None);
    out
}

/// The character of `names` that the cast's character is: the one sharing the longest name.
fn reader_of(c: &CastCharacter, names: &[Vec<String>]) -> Option<usize> {
    names
        .iter()
        .enumerate()
        .flat_map(|(k, ns)| ns.iter().map(move |n| (k, n.trim())))
        .filter(|(_, n)| !n.is_empty() && c.all_names().any(|m| m.eq_ignore_ascii_case(n)))
        .max_by_key(|(_, n)| n.len())
        .map(|(k, _)| k)
}

/// Byte ranges of the quotations, their marks included. A quotation left open ends with its
/// paragraph.
fn quotations(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match (c, open) {
            ('"', None) | ('“', None) => open = Some(i),
            ('"', Some(s)) | ('”', Some(s)) => {
                out.push(s..i + c.len_utf8());
                open = None;
            }
            ('\n', Some(s)) if text[i + 1..].starts_with('\n') => {
                out.push(s..i);
                open = None;
            }
            _ => {}
        }
    }
    if let Some(s) = open {
        out.push(s..text.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<Vec<String>> {
        vec![
            vec!["the frog".into(), "frog".into()],
            vec!["the princess".into()],
        ]
    }

    fn read(text: &str) -> Vec<(&str, Option<usize>)> {
        runs(text, &names())
            .into_iter()
            .map(|(r, w)| (&text[r], w))
            .collect()
    }

    #[test]
    fn quotations_go_to_the_character_their_attribution_names() {
        let text = "The ball fell. \"What ails you?\" said the frog. The princess said, \"My ball!\" Then she wept.";
        assert_eq!(
            read(text),
            vec![
                ("The ball fell. ", None),
                ("\"What ails you?\"", Some(0)),
                (" said the frog. The princess said, ", None),
                ("\"My ball!\"", Some(1)),
                (" Then she wept.", None),
            ]
        );
    }

    #[test]
    fn a_quotation_split_by_its_attribution_stays_with_one_speaker() {
        let text = "“Never mind,” answered the frog, “I can help.”";
        let r = read(text);
        assert_eq!(r[0], ("“Never mind,”", Some(0)));
        assert_eq!(r[2], ("“I can help.”", Some(0)));
    }

    #[test]
    fn unattributed_speech_and_unvoiced_names_stay_with_the_narrator() {
        // A speaker that is no character with a voice.
        let text = "\"Go away,\" said the king.";
        assert_eq!(read(text), vec![(text, None)]);
        // Speech the cast gives to no one.
        let text = "\"Go away.\" It rained all night.";
        assert_eq!(read(text), vec![(text, None)]);
        // Every byte is read by someone, once.
        let text = "A \"b\" said the frog \"c";
        let covered: usize = runs(text, &names()).iter().map(|(r, _)| r.len()).sum();
        assert_eq!(covered, text.len());
    }

    #[test]
    fn the_cast_resolves_he_said_and_turns_in_a_dialogue() {
        // "he said": the pronoun is the frog; no name stands beside the verb.
        let text = "The frog jumped out of the well. \"I can help,\" he said.";
        assert_eq!(read(text)[1], ("\"I can help,\"", Some(0)));
        // The last two quotes name no one: the princess was spoken to, so she answers, and
        // the frog speaks again in turn.
        let text = "The princess sat by the well and wept.\n\n\
                    \"Why do you weep, princess?\" asked the frog.\n\n\
                    \"My golden ball fell into the well,\" said the princess.\n\n\
                    \"What will you give me if I fetch it?\"\n\n\
                    \"Whatever you like, dear frog.\"";
        let voiced: Vec<(&str, Option<usize>)> = read(text)
            .into_iter()
            .filter(|(t, _)| t.starts_with('"'))
            .collect();
        assert_eq!(
            voiced.iter().map(|v| v.1).collect::<Vec<_>>(),
            vec![Some(0), Some(1), Some(0), Some(1)],
            "{voiced:?}"
        );
    }

    #[test]
    fn a_reply_with_no_attribution_goes_to_the_one_spoken_to() {
        let text = "The frog jumped out of the well. \"I can help,\" he said.\n\n\
                    \"Can you?\" asked the princess.\n\n\
                    \"I can fetch your ball.\"";
        let voiced: Vec<Option<usize>> = read(text)
            .into_iter()
            .filter(|(t, _)| t.starts_with('"'))
            .map(|(_, w)| w)
            .collect();
        assert_eq!(voiced, vec![Some(0), Some(1), Some(0)]);
    }
}
