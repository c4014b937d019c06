//! Sentence boundaries that survive the punctuation of real stories:
//! titles ("Mr.", "St.", "Dr."), initials ("J. R. R."), and ellipses inside quoted speech.

use super::cast::is_listed_abbreviation;
use super::text::{trim_span, Span};

/// Spans of the sentences inside `span` of `text`.
pub fn sentences(text: &str, span: Span) -> Vec<Span> {
    let slice = &text[span.0..span.1];
    let chars: Vec<(usize, char)> = slice.char_indices().collect();
    let mut spans = Vec::new();
    let mut start = 0;
    let mut in_quote = false;
    let mut i = 0;
    while i < chars.len() {
        let (_, c) = chars[i];
        match c {
            '"' => in_quote = !in_quote,
            '\u{201C}' => in_quote = true,
            '\u{201D}' => in_quote = false,
            '.' | '!' | '?' | '\u{2026}' => {
                let mut j = i;
                while j + 1 < chars.len() && matches!(chars[j + 1].1, '.' | '!' | '?' | '\u{2026}')
                {
                    j += 1;
                }
                let ellipsis =
                    c == '\u{2026}' || (j > i && chars[i..=j].iter().all(|x| x.1 == '.'));
                // Closing quotes and brackets belong to the sentence they end.
                let mut k = j + 1;
                let mut closes_quote = false;
                while k < chars.len() && is_closer(chars[k].1, in_quote) {
                    if is_quote(chars[k].1) {
                        closes_quote = true;
                        in_quote = false;
                    }
                    k += 1;
                }
                let ends = k >= chars.len()
                    || (chars[k].1.is_whitespace()
                        && starts_sentence(&chars, k)
                        && !(ellipsis && in_quote)
                        && !(c == '.'
                            && j == i
                            && !closes_quote
                            && abbreviation_before(&chars, i)));
                if ends && k < chars.len() {
                    spans.push((start, chars[k].0));
                    start = chars[k].0;
                }
                i = k;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    if start < slice.len() {
        spans.push((start, slice.len()));
    }
    spans
        .into_iter()
        .map(|(s, e)| trim_span(text, (span.0 + s, span.0 + e)))
        .filter(|(s, e)| e > s)
        .collect()
}

/// Whether a double quotation is still open after `s`, given whether one was open before it:
/// the reading `sentences` makes of straight and curly double quotes.
pub fn quote_open_after(s: &str, open: bool) -> bool {
    s.chars().fold(open, |open, c| match c {
        '"' => !open,
        '\u{201C}' => true,
        '\u{201D}' => false,
        _ => open,
    })
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\'' | '\u{201D}' | '\u{2019}')
}

fn is_closer(c: char, in_quote: bool) -> bool {
    matches!(c, ')' | ']' | '\u{201D}' | '\u{2019}' | '\'') || (c == '"' && in_quote)
}

/// The next non-space character opens a sentence: a capital, a digit or an opening quote.
fn starts_sentence(chars: &[(usize, char)], from: usize) -> bool {
    chars[from..]
        .iter()
        .map(|x| x.1)
        .find(|c| !c.is_whitespace())
        .is_none_or(|c| {
            c.is_uppercase()
                || c.is_numeric()
                || matches!(c, '"' | '\u{201C}' | '\'' | '\u{2018}' | '(' | '[')
        })
}

/// The word before the period at `dot` is an abbreviation.
fn abbreviation_before(chars: &[(usize, char)], dot: usize) -> bool {
    let mut s = dot;
    while s > 0 && (chars[s - 1].1.is_alphabetic() || chars[s - 1].1 == '.') {
        s -= 1;
    }
    let word: String = chars[s..dot].iter().map(|x| x.1).collect();
    is_abbreviation(&word)
}

/// Whether `word`, written before a period, abbreviates rather than ends a sentence: a listed
/// abbreviation ("Mr", "vol", "e.g") or a single capital initial ("J").
pub fn is_abbreviation(word: &str) -> bool {
    let single_initial = word.chars().count() == 1 && word.starts_with(char::is_uppercase);
    single_initial || is_listed_abbreviation(&word.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text, (0, text.len()))
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect()
    }

    #[test]
    fn splits_plain_sentences() {
        assert_eq!(
            split("One. Two! Three? Four"),
            ["One.", "Two!", "Three?", "Four"]
        );
    }

    #[test]
    fn keeps_titles_and_initials() {
        assert_eq!(
            split("Mr. Bennet met Dr. Jones at St. Paul's. J. R. R. Tolkien wrote it."),
            [
                "Mr. Bennet met Dr. Jones at St. Paul's.",
                "J. R. R. Tolkien wrote it."
            ]
        );
    }

    #[test]
    fn ellipsis_inside_quotes_does_not_split() {
        assert_eq!(
            split("\"Wait... Come back,\" she cried. He left."),
            ["\"Wait... Come back,\" she cried.", "He left."]
        );
    }

    #[test]
    fn quoted_sentence_then_narration() {
        assert_eq!(
            split("\"Go away!\" she said. \"Now.\" Then he went."),
            ["\"Go away!\" she said.", "\"Now.\"", "Then he went."]
        );
    }

    #[test]
    fn lowercase_after_period_does_not_split() {
        assert_eq!(
            split("It was 3 p.m. when he came."),
            ["It was 3 p.m. when he came."]
        );
    }
}
