//! A heading standing alone as a scene ("CHAPTER I", "Chapter 1", "THE NIBELUNGEN LIED"): it says
//! nothing to draw, so its picture is the one that opens what it heads, titled with what the
//! heading names besides its number ("CHAPTER I Chiswick Mall" gives "Chiswick Mall").

/// Words that number a part of a book rather than name anything.
const NUMBERING: &[&str] = &[
    "chapter", "part", "book", "volume", "canto", "section", "act", "scene", "stave", "prologue",
    "epilogue",
];

/// Words a heading has at most.
const MAX_WORDS: usize = 10;

/// Whether `text` is a heading: a few words without a lowercase letter, or a numbering word
/// with its number ("Chapter 1").
pub fn is_heading(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() || words.len() > MAX_WORDS || !text.contains(char::is_alphanumeric) {
        return false;
    }
    let numbered = words.len() >= 2
        && NUMBERING.contains(&bare(words[0]).to_lowercase().as_str())
        && is_number(bare(words[1]));
    numbered || !text.contains(char::is_lowercase)
}

/// What a heading names besides its numbering, in title case ("The Nibelungen Lied"); empty
/// for "CHAPTER I" or "— I — [ 1 ]".
pub fn title(text: &str) -> String {
    text.split_whitespace()
        .map(bare)
        .filter(|w| {
            !w.is_empty() && !is_number(w) && !NUMBERING.contains(&w.to_lowercase().as_str())
        })
        .map(title_case)
        .collect::<Vec<_>>()
        .join(" ")
}

fn bare(word: &str) -> &str {
    word.trim_matches(|c: char| !c.is_alphanumeric())
}

/// Arabic or Roman numerals ("12", "XIV"); "I" alone counts, as headings number with it.
fn is_number(word: &str) -> bool {
    !word.is_empty()
        && (word.chars().all(|c| c.is_ascii_digit())
            || word.chars().all(|c| {
                matches!(
                    c.to_ascii_uppercase(),
                    'I' | 'V' | 'X' | 'L' | 'C' | 'D' | 'M'
                )
            }) && word.chars().all(|c| c.is_ascii_uppercase()))
}

/// "NIBELUNGEN" as "Nibelungen"; a word already in mixed case stays as written.
fn title_case(word: &str) -> String {
    if word.contains(char::is_lowercase) {
        return word.to_string();
    }
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| {
            first
                .to_uppercase()
                .chain(chars.flat_map(char::to_lowercase))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_are_told_from_short_sentences() {
        for heading in [
            "CHAPTER I",
            "Chapter 1",
            "CHAPTER I Chiswick Mall",
            "THE NIBELUNGEN LIED.",
            "— I — [ 1 ]",
            "PART I I",
        ] {
            assert!(is_heading(heading), "{heading}");
        }
        for sentence in [
            "Mary.",
            "The parson.",
            "a prison.",
            "Chapter and verse were quoted.",
        ] {
            assert!(!is_heading(sentence), "{sentence}");
        }
    }

    #[test]
    fn a_title_is_what_the_heading_names_besides_its_number() {
        assert_eq!(title("CHAPTER I Chiswick Mall"), "Chiswick Mall");
        assert_eq!(title("THE NIBELUNGEN LIED."), "The Nibelungen Lied");
        assert_eq!(title("Chapter 1"), "");
        assert_eq!(title("— I — [ 1 ]"), "");
    }
}
