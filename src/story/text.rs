//! Plain-text helpers shared by splitting and prompt composition.

/// A byte span `[start, end)` into the story's source text.
pub type Span = (usize, usize);

/// Spans of blank-line-separated paragraphs, trimmed of surrounding whitespace.
pub fn paragraphs(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut start: Option<usize> = None;
    let mut last_end = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let blank = line.trim().is_empty();
        if blank {
            if let Some(s) = start.take() {
                spans.push((s, last_end));
            }
        } else {
            let lead = line.len() - line.trim_start().len();
            if start.is_none() {
                start = Some(offset + lead);
            }
            last_end = offset + line.trim_end().len();
        }
        offset += line.len();
    }
    if let Some(s) = start {
        spans.push((s, last_end));
    }
    spans
}

/// Collapses runs of whitespace (including the hard line wraps of plain-text books) to one space.
pub fn normalise_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// Spans of the words in `span`, as byte offsets into `text`.
pub fn word_spans(text: &str, span: Span) -> Vec<Span> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in text[span.0..span.1].char_indices() {
        let at = span.0 + i;
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                words.push((s, at));
                start = None;
            }
            (false, None) => start = Some(at),
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((s, span.1));
    }
    words
}

/// Trims whitespace off both ends of a span.
pub fn trim_span(text: &str, span: Span) -> Span {
    let slice = &text[span.0..span.1];
    let start = span.0 + (slice.len() - slice.trim_start().len());
    let end = span.0 + slice.trim_end().len();
    (start, end.max(start))
}

/// Byte → character offsets of one text, for tools that count characters. Built once, each
/// lookup is a binary search rather than a walk from the start.
pub struct CharOffsets {
    starts: Vec<usize>,
}

impl CharOffsets {
    pub fn new(text: &str) -> Self {
        Self {
            starts: text.char_indices().map(|(b, _)| b).collect(),
        }
    }

    pub fn of(&self, byte: usize) -> usize {
        self.starts.partition_point(|&b| b < byte)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_are_split_on_blank_lines_and_trimmed() {
        let text = "  One\nline two\n\n\n Two \n\nThree";
        let spans = paragraphs(text);
        let got: Vec<&str> = spans.iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(got, ["One\nline two", "Two", "Three"]);
    }

    #[test]
    fn char_offsets_count_characters_not_bytes() {
        let text = "æon Siegfried";
        let table = CharOffsets::new(text);
        let s = text.find('S').unwrap();
        assert_eq!(table.of(s), text[..s].chars().count());
        assert_eq!(table.of(text.len()), text.chars().count());
    }

    #[test]
    fn word_spans_follow_the_text() {
        let text = "a  bb\nccc";
        let got: Vec<&str> = word_spans(text, (0, text.len()))
            .iter()
            .map(|&(s, e)| &text[s..e])
            .collect();
        assert_eq!(got, ["a", "bb", "ccc"]);
    }
}
