//! A heading standing alone as a scene ("CHAPTER I", "Chapter 1", "THE NIBELUNGEN LIED"): it says
//! nothing to draw, so its picture is the one that opens what it heads, titled with what the
//! heading names besides its number ("CHAPTER I Chiswick Mall" gives "Chiswick Mall"). A scene
//! that opens with a heading draws what follows it, under the same title.

use super::text::{paragraphs, Span};

/// Words that number a part of a book rather than name anything.
const NUMBERING: &[&str] = &[
    "chapter",
    "part",
    "book",
    "volume",
    "canto",
    "section",
    "act",
    "scene",
    "stave",
    "prologue",
    "epilogue",
    "adventure",
    "chap",
];

/// Numbers written as words ("PART ONE", "CHAPTER TWELVE").
const NUMBER_WORDS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve",
];

/// Words a heading's line has at most.
const MAX_WORDS: usize = 10;

/// Whether `text` is headings only, each paragraph a few words without a lowercase letter or a
/// numbering word with its number ("Chapter 1").
pub fn is_heading(text: &str) -> bool {
    let paragraphs = paragraphs(text);
    !paragraphs.is_empty()
        && paragraphs
            .iter()
            .all(|&(a, b)| is_heading_paragraph(&text[a..b]))
}

fn is_heading_paragraph(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() || words.len() > MAX_WORDS || !text.contains(char::is_alphanumeric) {
        return false;
    }
    let numbered = words.len() >= 2 && is_numbering(bare(words[0])) && is_number(bare(words[1]));
    numbered || !text.contains(char::is_lowercase)
}

/// What headings name besides their numbering, in title case ("The Nibelungen Lied"), one
/// sentence each; empty for "CHAPTER I" or "— I — [ 1 ]". A number counts as numbering only
/// after a numbering word or where nothing else is written: "I AM BORN" keeps its "I".
pub fn title(text: &str) -> String {
    paragraphs(text)
        .into_iter()
        .map(|(a, b)| paragraph_title(&text[a..b]))
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(". ")
}

fn paragraph_title(text: &str) -> String {
    let words: Vec<&str> = text
        .split_whitespace()
        .map(bare)
        .filter(|w| !w.is_empty())
        .collect();
    if words.iter().all(|w| is_number(w) || is_numbering(w)) {
        return String::new();
    }
    let mut kept = Vec::new();
    let mut numbering = false;
    for w in words {
        // "CHAPTER I. I AM BORN": the numbering word takes one number, not the next word.
        let dropped = is_numbering(w) || (numbering && is_number(w));
        numbering = is_numbering(w);
        if !dropped {
            kept.push(title_case(w));
        }
    }
    kept.join(" ")
}

/// Where `span` of `text` opens with headings and goes on after them: their title and where
/// the rest starts.
pub fn leading(text: &str, span: Span) -> Option<(String, usize)> {
    let slice = &text[span.0..span.1];
    let paragraphs = paragraphs(slice);
    let count = paragraphs
        .iter()
        .take_while(|&&(a, b)| is_heading_paragraph(&slice[a..b]))
        .count();
    let rest = paragraphs.get(count).filter(|_| count > 0)?.0;
    Some((title(&slice[..rest]), span.0 + rest))
}

fn is_numbering(word: &str) -> bool {
    NUMBERING.contains(&word.to_lowercase().as_str())
}

fn bare(word: &str) -> &str {
    word.trim_matches(|c: char| !c.is_alphanumeric())
}

/// Arabic, Roman or written numbers ("12", "XIV", "ONE").
fn is_number(word: &str) -> bool {
    NUMBER_WORDS.contains(&word.to_lowercase().as_str())
        || !word.is_empty()
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
            "PART ONE\n\nCHAPTER I\n\nTHE EARLY MARRIED LIFE OF THE MORELS",
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
    fn a_scene_opening_with_a_heading_has_its_title_and_the_rest() {
        let text = "CHAPTER I Chiswick Mall\n\nWhile the century was young, a coach came.";
        let rest = text.find("While").unwrap();
        assert_eq!(
            leading(text, (0, text.len())),
            Some(("Chiswick Mall".to_string(), rest))
        );
        assert_eq!(leading(text, (rest, text.len())), None);
        assert_eq!(leading("CHAPTER I", (0, 9)), None);
        let text = "VOLUME I\n\nCHAPTER I\n\nEmma Woodhouse, handsome, clever, and rich.";
        let rest = text.find("Emma").unwrap();
        assert_eq!(leading(text, (0, text.len())), Some((String::new(), rest)));
        let prose = "The coach came.\n\nIt stopped.";
        assert_eq!(leading(prose, (0, prose.len())), None);
    }

    #[test]
    fn a_title_is_what_the_heading_names_besides_its_number() {
        assert_eq!(title("CHAPTER I Chiswick Mall"), "Chiswick Mall");
        assert_eq!(title("THE NIBELUNGEN LIED."), "The Nibelungen Lied");
        assert_eq!(title("Chapter 1"), "");
        assert_eq!(title("— I — [ 1 ]"), "");
        assert_eq!(title("CHAPTER I. I AM BORN"), "I Am Born");
        assert_eq!(
            title("THE SCARLET LETTER I. THE PRISON DOOR."),
            "The Scarlet Letter I The Prison Door"
        );
        assert_eq!(
            title("PART ONE\n\nCHAPTER I\n\nTHE EARLY LIFE"),
            "The Early Life"
        );
        assert_eq!(title("PART I. The Wild Land\n\nI"), "The Wild Land");
    }
}
