//! Where a line of text may break: at spaces, and between the characters of scripts written
//! without spaces (Chinese, Japanese), though never before closing punctuation, a small kana or
//! the long-vowel mark, nor after an opening bracket (the kinsoku rules, simplified).

/// The units of `text` a line may break between, in reading order. Units of a script written
/// without spaces are put back together without one (see [`glued`]).
pub fn words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for word in text.split_whitespace() {
        let mut start = 0;
        let mut prev: Option<char> = None;
        for (i, c) in word.char_indices() {
            if let Some(p) = prev {
                if spaceless(p) && spaceless(c) && !closes(c) && !opens(p) {
                    out.push(&word[start..i]);
                    start = i;
                }
            }
            prev = Some(c);
        }
        out.push(&word[start..]);
    }
    out
}

/// How many words `text` is when read aloud, for its timing. Words are counted at spaces; text
/// of a script written without spaces between words counts by characters, about two to a word in
/// Chinese and Japanese and four in Thai, Lao, Khmer and Burmese (whose letters are shorter).
pub fn spoken_words(text: &str) -> usize {
    text.split_whitespace()
        .map(|word| {
            let (cjk, southeast) = word.chars().fold((0, 0), |(cjk, se), c| {
                (
                    cjk + usize::from(spaceless(c)),
                    se + usize::from(southeast_letter(c)),
                )
            });
            (cjk.div_ceil(2) + southeast.div_ceil(4)).max(1)
        })
        .sum()
}

/// Letters of Thai, Lao, Burmese and Khmer, written without spaces between words.
fn southeast_letter(c: char) -> bool {
    matches!(c as u32, 0x0E00..=0x0EFF | 0x1000..=0x109F | 0x1780..=0x17FF) && c.is_alphabetic()
}

/// Whether two neighbouring words are set without a space between them: the characters on
/// both sides of the gap belong to scripts written without spaces.
pub fn glued(before: &str, after: &str) -> bool {
    match (before.chars().next_back(), after.chars().next()) {
        (Some(a), Some(b)) => spaceless(a) && spaceless(b),
        _ => false,
    }
}

/// Han ideographs, kana, CJK punctuation and full-width forms. Hangul is not among them:
/// Korean puts spaces between words.
fn spaceless(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3040..=0x30FF | 0x31F0..=0x31FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// Characters a line must not start with.
fn closes(c: char) -> bool {
    "、。，．・：；！？）］｝」』】〕〉》〙〗ー〜ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ々〻ゝゞヽヾ｡｣､ｰ"
        .contains(c)
}

/// Characters a line must not end with.
fn opens(c: char) -> bool {
    "（［｛「『【〔〈《〘〖｢".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unspaced_scripts_are_measured_in_characters() {
        assert_eq!(spoken_words("Anna walked to the mill."), 5);
        // 20 characters of Japanese, 1 run: ten words, not one.
        assert_eq!(spoken_words("むかしむかし、あるところにおじいさんと"), 10);
        let thai = "กาลครั้งหนึ่งนานมาแล้วมีเจ้าหญิง";
        let letters = thai.chars().filter(|c| c.is_alphabetic()).count();
        assert_eq!(spoken_words(thai), letters.div_ceil(4));
        assert!(spoken_words(thai) >= 6, "{}", spoken_words(thai));
        assert_eq!(spoken_words("「はい」 yes"), 3);
    }

    #[test]
    fn spaced_scripts_break_at_spaces_only() {
        assert_eq!(
            words("  the frog, שלום  123 "),
            ["the", "frog,", "שלום", "123"]
        );
        assert_eq!(words("한국어 문장"), ["한국어", "문장"]);
    }

    #[test]
    fn japanese_breaks_between_characters_but_not_before_closing_marks() {
        assert_eq!(
            words("「むかし、ちょっと」"),
            ["「む", "か", "し、", "ちょっ", "と」"]
        );
        // A Latin name inside stays whole, glued to its neighbours.
        assert_eq!(words("私はJohnです"), ["私", "はJohnで", "す"]);
        assert!(glued("私", "はJohnで"));
        assert!(!glued("frog,", "שלום"));
        assert!(!glued("です", "OK"));
    }
}
