//! Which bytes of a scene are quoted speech. Most stories mark speech with double quotes; some
//! (Dickens, Brontë, Haggard) with single ones, where "’" is also the apostrophe: a passage that
//! uses no double quote reads single quotes as speech, an opening one at a word's start and a
//! closing one after the speech's punctuation, and only in pairs ("'Tis", "the boys' caps" open
//! nothing). Joyce marks it with a dash: a paragraph that opens with one ("—Tell me, Mulligan,
//! Stephen said quietly.") is speech to its end, but for its attribution ("Stephen said
//! quietly"). A quotation runs over paragraphs by opening each again: a paragraph break closes it.

use super::clause::{is_bare_attribution, is_inverted_tag};

/// Per byte of `s`: inside a quoted passage (quotes included), `open` when `s` starts inside
/// one; a double-quoted passage left open runs to the end.
pub fn quoted_mask(s: &str, open: bool) -> Vec<bool> {
    let mut mask = if !s.contains(['"', '\u{201C}', '\u{201D}']) && !open {
        single_quoted_mask(s)
    } else {
        double_quoted_mask(s, open)
    };
    dash_speech(s, &mut mask);
    mask
}

/// The mask of `s` read after `before`, the text of its paragraph that comes before it: a
/// quotation opened there (double, single, or a dash opening the paragraph) goes on into `s`.
pub fn quoted_mask_after(before: &str, s: &str) -> Vec<bool> {
    if before.is_empty() {
        return quoted_mask(s, false);
    }
    quoted_mask(&format!("{before}{s}"), false).split_off(before.len())
}

/// Where the paragraph holding byte `pos` starts: after the last blank line before it.
pub fn paragraph_start(text: &str, pos: usize) -> usize {
    let mut end = pos;
    while let Some(nl) = text[..end].rfind('\n') {
        let line_start = text[..nl].rfind('\n').map_or(0, |p| p + 1);
        if text[line_start..nl].trim().is_empty() {
            return nl + 1;
        }
        end = nl;
    }
    0
}

/// Byte offsets where the paragraphs of `s` start (0 first): after each blank line.
fn paragraph_starts(s: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let mut line_start = 0;
    let mut blank_before = false;
    for line in s.split_inclusive('\n') {
        let blank = line.trim().is_empty();
        if blank_before && !blank {
            starts.push(line_start);
        }
        blank_before = blank;
        line_start += line.len();
    }
    starts
}

fn double_quoted_mask(s: &str, open: bool) -> Vec<bool> {
    let mut mask = vec![open; s.len() + 1];
    let mut inside = open;
    let breaks = paragraph_starts(s);
    for (i, c) in s.char_indices() {
        // A quotation that goes on into the next paragraph opens again there.
        if i > 0 && breaks.binary_search(&i).is_ok() {
            inside = false;
        }
        let opens = c == '\u{201C}' || (c == '"' && !inside);
        let closes = c == '\u{201D}' || (c == '"' && inside);
        if opens {
            inside = true;
        }
        for m in &mut mask[i..i + c.len_utf8()] {
            *m = inside;
        }
        if closes {
            inside = false;
        }
    }
    mask
}

/// Marks the paragraphs of `s` that open with a dash ("—Tell me", "--What is your name?") as
/// speech, but for the clauses that attribute it ("Stephen said quietly", "said Buck
/// Mulligan"), which stay narration for the speaker to be read from.
fn dash_speech(s: &str, mask: &mut [bool]) {
    let starts = paragraph_starts(s);
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(s.len());
        let para = &s[start..end];
        let lead = para.len() - para.trim_start().len();
        let body = &para[lead..];
        let dash = ["\u{2014}", "\u{2015}", "--"]
            .iter()
            .find(|d| body.starts_with(**d))
            .map(|d| d.len());
        // "— I —", a heading, has a space after its dash; speech starts at once.
        let Some(dash) = dash.filter(|&d| body[d..].starts_with(|c: char| !c.is_whitespace()))
        else {
            continue;
        };
        let from = start + lead;
        let to = start + para.trim_end().len();
        for m in &mut mask[from..to] {
            *m = true;
        }
        // Attribution clauses, between punctuation marks, after the first.
        let mut clause_start = from + dash;
        for (i, c) in s[from + dash..to].char_indices() {
            let at = from + dash + i;
            if !matches!(c, ',' | '.' | '!' | '?' | ';' | ':') {
                continue;
            }
            let clause = &s[clause_start..at];
            if clause_start > from + dash
                && (is_bare_attribution(clause) || is_inverted_tag(clause))
            {
                for m in &mut mask[clause_start..=at] {
                    *m = false;
                }
            }
            clause_start = at + 1;
        }
    }
}

/// Single-quoted passages: `‘…’` or `'…'`, each opening at a word's start and closed after a
/// punctuation mark, before a non-letter; an opening without its close marks nothing.
fn single_quoted_mask(s: &str) -> Vec<bool> {
    let mut mask = vec![false; s.len() + 1];
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let is_mark = |c: char| c == '\'' || c == '\u{2018}' || c == '\u{2019}';
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        let before = k.checked_sub(1).map(|j| chars[j].1);
        let after = chars.get(k + 1).map(|x| x.1);
        let opens = (c == '\'' || c == '\u{2018}')
            && before.is_none_or(|b| b.is_whitespace() || matches!(b, '(' | '—' | '-'))
            && after.is_some_and(|a| a.is_alphanumeric() || a == '.' || a == '—');
        if !opens {
            k += 1;
            continue;
        }
        // A word or title set in quotes ("go ‘meandering’ about", "‘Do We Progress?’") is no
        // speech: it closes within four words, and no later mark pairs with its opening.
        let short = (k + 1..chars.len().min(k + 40))
            .take_while(|&j| chars[k + 1..j].iter().filter(|x| x.1 == ' ').count() < 4)
            .find(|&j| {
                is_mark(chars[j].1)
                    && chars[j].1 != '\u{2018}'
                    && chars[j - 1].1.is_alphabetic()
                    && chars.get(j + 1).is_none_or(|x| !x.1.is_alphanumeric())
            });
        if let Some(j) = short {
            k = j + 1;
            continue;
        }
        // The close: a mark after the speech's own punctuation ("story,'", "see.'"), before a
        // non-letter; "the boys' caps" closes nothing.
        let close = (k + 1..chars.len()).find(|&j| {
            let (_, m) = chars[j];
            is_mark(m)
                && m != '\u{2018}'
                && matches!(
                    chars[j - 1].1,
                    ',' | '.' | '!' | '?' | ';' | ':' | '—' | '-'
                )
                && chars.get(j + 1).is_none_or(|x| !x.1.is_alphanumeric())
        });
        match close {
            Some(j) => {
                let end = chars[j].0 + chars[j].1.len_utf8();
                for m in &mut mask[i..end] {
                    *m = true;
                }
                k = j + 1;
            }
            None => k += 1,
        }
    }
    mask
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(s: &str) -> String {
        let mask = quoted_mask(s, false);
        s.char_indices()
            .filter(|&(i, _)| mask[i])
            .map(|(_, c)| c)
            .collect()
    }

    #[test]
    fn double_quotes_mark_speech() {
        assert_eq!(quoted("\"Go,\" said he."), "\"Go,\"");
        assert_eq!(quoted("“Go,” said he’s friend."), "“Go,”");
    }

    #[test]
    fn single_quotes_mark_speech_where_no_double_quote_is_used() {
        assert_eq!(
            quoted("'The old story,' he said, shaking his head: 'no ring, I see.'"),
            "'The old story,''no ring, I see.'"
        );
        assert_eq!(
            quoted("‘Old friends,’ I said, ‘how long is it since we won’t?’"),
            "‘Old friends,’‘how long is it since we won’t?’"
        );
        // Apostrophes and an unclosed elision mark nothing.
        assert_eq!(quoted("'Tis the boys' caps, and John’s hat."), "");
    }

    #[test]
    fn a_paragraph_opening_with_a_dash_is_speech_but_for_its_attribution() {
        let s = "He cried:\n\n\u{2014}Will he come? The jejune jesuit!\n\n\u{2014}Tell me, \
                 Mulligan, Stephen said quietly.\n\n--What is your name?\n\nHe sat down.";
        assert_eq!(
            quoted(s),
            "\u{2014}Will he come? The jejune jesuit!\u{2014}Tell me, Mulligan,--What is your name?"
        );
        // A heading's dash stands apart from its words.
        assert_eq!(
            quoted("\u{2014} I \u{2014}\n\nStately, plump Buck Mulligan."),
            ""
        );
    }

    #[test]
    fn a_quotation_going_on_over_paragraphs_opens_again_in_each() {
        let s = "\"It was late. \n\n\"Then,\" he went on, \"we left.\"";
        assert_eq!(quoted(s), "\"It was late. \n\n\"Then,\"\"we left.\"");
    }

    #[test]
    fn a_quoted_word_is_no_speech_and_does_not_pair_with_a_later_quotation() {
        let s = "who go \u{2018}meandering\u{2019} about. She returned, \u{2018}Let us have no \
                 meandering.\u{2019}";
        assert_eq!(quoted(s), "\u{2018}Let us have no meandering.\u{2019}");
    }

    #[test]
    fn a_scene_is_read_after_what_its_paragraph_opened() {
        // A single-quoted quotation opened before the scene goes on into it.
        let before = "\u{2018}Old friends, ";
        let scene = "how long is it?\u{2019} I said.";
        let mask = quoted_mask_after(before, scene);
        let inside: String = scene
            .char_indices()
            .filter(|&(i, _)| mask[i])
            .map(|(_, c)| c)
            .collect();
        assert_eq!(inside, "how long is it?\u{2019}");
        assert_eq!(paragraph_start("A.\n\nB c.", 6), 4);
    }
}
