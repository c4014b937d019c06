//! Which bytes of a scene are quoted speech. Most stories mark speech with double quotes; some
//! (Dickens, Brontë, Haggard) with single ones, where "’" is also the apostrophe: a passage that
//! uses no double quote reads single quotes as speech, an opening one at a word's start and a
//! closing one after the speech's punctuation, and only in pairs ("'Tis", "the boys' caps" open
//! nothing).

/// Per byte of `s`: inside a quoted passage (quotes included), `open` when `s` starts inside
/// one; a double-quoted passage left open runs to the end.
pub fn quoted_mask(s: &str, open: bool) -> Vec<bool> {
    if !s.contains(['"', '\u{201C}', '\u{201D}']) && !open {
        return single_quoted_mask(s);
    }
    let mut mask = vec![open; s.len() + 1];
    let mut inside = open;
    for (i, c) in s.char_indices() {
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
}
