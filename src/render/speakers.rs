//! Who reads each part of a scene: a quotation attributed to a character with a voice of its
//! own ("…," said the frog / the frog said, "…") is read in that voice; narration, and speech
//! the text does not attribute, in the narrator's.

use crate::story::cast::is_speech_verb;
use crate::story::character::contains_words;
use std::ops::Range;

/// How far around a quotation its attribution is looked for, in bytes.
const ATTRIBUTION_REACH: usize = 80;

/// The text cut into runs, in order and covering it all: `Some(k)` is read by the `k`-th
/// character of `names` (each character's names and aliases), `None` by the narrator.
pub fn runs(text: &str, names: &[Vec<String>]) -> Vec<(Range<usize>, Option<usize>)> {
    let quotes = quotations(text);
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
    for (i, q) in quotes.iter().enumerate() {
        push(at..q.start, None);
        let after_end = quotes.get(i + 1).map_or(text.len(), |n| n.start);
        let before_start = if i == 0 { 0 } else { quotes[i - 1].end };
        let who = speaker(&text[q.end..after_end], names, true)
            .or_else(|| speaker(&text[before_start..q.start], names, false));
        push(q.clone(), who);
        at = q.end;
    }
    push(at..text.len(), None);
    out
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

/// The character an attribution names with a speech verb: in the clause right `after` a
/// quotation ("…," said the frog), or at the end of the sentence before it (the frog said, "…").
fn speaker(context: &str, names: &[Vec<String>], after: bool) -> Option<usize> {
    let clause = if after {
        let end = context
            .char_indices()
            .find(|&(i, c)| matches!(c, '.' | '!' | '?' | '\n') || i >= ATTRIBUTION_REACH)
            .map_or(context.len(), |(i, _)| i);
        &context[..end]
    } else {
        let start = context
            .char_indices()
            .rev()
            .find(|&(i, c)| {
                matches!(c, '.' | '!' | '?' | '\n') || context.len() - i >= ATTRIBUTION_REACH
            })
            .map_or(0, |(i, c)| i + c.len_utf8());
        &context[start..]
    };
    let has_verb = clause
        .split(|c: char| !c.is_alphabetic())
        .any(|w| is_speech_verb(&w.to_lowercase()));
    if !has_verb {
        return None;
    }
    // The longest name that matches wins ("the frog king" over "the frog").
    names
        .iter()
        .enumerate()
        .flat_map(|(k, ns)| ns.iter().map(move |n| (k, n)))
        .filter(|(_, n)| !n.trim().is_empty() && contains_words(clause, n))
        .max_by_key(|(_, n)| n.len())
        .map(|(k, _)| k)
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
        // No speech verb: the frog is only mentioned.
        let text = "\"Go away.\" The frog sat still.";
        assert_eq!(read(text), vec![(text, None)]);
        // A speaker that is no character with a voice.
        let text = "\"Go away,\" said the king.";
        assert_eq!(read(text), vec![(text, None)]);
        // Every byte is read by someone, once.
        let text = "A \"b\" said the frog \"c";
        let covered: usize = runs(text, &names()).iter().map(|(r, _)| r.len()).sum();
        assert_eq!(covered, text.len());
    }
}
