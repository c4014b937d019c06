//! Scene splitting strategies: paragraphs, sentences, marker lines, word budget.

use super::sentences::{quote_open_after, sentences};
use super::text::{paragraphs, trim_span, word_count, word_spans, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SplitStrategy {
    /// One scene per paragraph; short ones merged, long ones split at sentences.
    Paragraphs,
    /// A fixed number of sentences per scene.
    Sentences,
    /// Scenes separated by explicit marker lines (`---`).
    Markers,
    /// Sentences packed into scenes up to a word budget, ignoring paragraphs.
    Words,
}

impl SplitStrategy {
    pub const NAMES: &'static [&'static str] = &["paragraphs", "sentences", "markers", "words"];

    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "paragraphs" => Some(Self::Paragraphs),
            "sentences" => Some(Self::Sentences),
            "markers" => Some(Self::Markers),
            "words" => Some(Self::Words),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SplitOptions {
    pub by: SplitStrategy,
    /// No scene exceeds this many words (paragraphs and words strategies).
    pub max_words: usize,
    /// Paragraphs shorter than this are merged with a neighbour.
    pub min_words: usize,
    /// Sentences per scene (sentences strategy).
    pub sentences: usize,
    /// The line that separates scenes (markers strategy).
    pub marker: String,
}

impl Default for SplitOptions {
    fn default() -> Self {
        Self {
            by: SplitStrategy::Paragraphs,
            max_words: 45,
            min_words: 12,
            sentences: 2,
            marker: "---".into(),
        }
    }
}

/// Splits `text` into scene spans (byte offsets, trimmed, never empty).
pub fn split(text: &str, opts: &SplitOptions) -> Vec<Span> {
    let max = opts.max_words.max(1);
    match opts.by {
        SplitStrategy::Paragraphs => {
            let pieces: Vec<Span> = paragraphs(text)
                .into_iter()
                .flat_map(|p| pack_balanced(text, &speech_units(text, p, max), max))
                .collect();
            merge_short(text, pieces, opts.min_words, max)
        }
        SplitStrategy::Sentences => {
            let all = all_sentences(text);
            all.chunks(opts.sentences.max(1))
                .map(|c| (c[0].0, c[c.len() - 1].1))
                .collect()
        }
        SplitStrategy::Markers => markers(text, &opts.marker),
        SplitStrategy::Words => {
            let units: Vec<Span> = paragraphs(text)
                .into_iter()
                .flat_map(|p| speech_units(text, p, max))
                .collect();
            pack(text, &units, max)
        }
    }
}

/// The sentences of a paragraph, those a quotation runs across joined into one unit, so that
/// packing never cuts a speech in two; a quotation longer than `max` words keeps its sentences.
fn speech_units(text: &str, paragraph: Span, max: usize) -> Vec<Span> {
    let mut out = Vec::new();
    let mut group: Vec<Span> = Vec::new();
    let mut open = false;
    let sentences = sentences(text, paragraph);
    for (k, &s) in sentences.iter().enumerate() {
        group.push(s);
        open = quote_open_after(&text[s.0..s.1], open);
        if open && k + 1 < sentences.len() {
            continue;
        }
        let joined = (group[0].0, s.1);
        if group.len() > 1 && words_in(text, joined) <= max {
            out.push(joined);
        } else {
            out.append(&mut group);
        }
        group.clear();
    }
    out
}

fn all_sentences(text: &str) -> Vec<Span> {
    paragraphs(text)
        .into_iter()
        .flat_map(|p| sentences(text, p))
        .collect()
}

fn words_in(text: &str, span: Span) -> usize {
    word_count(&text[span.0..span.1])
}

/// Packs consecutive units greedily into spans of at most `max` words;
/// a unit longer than `max` is cut at clause punctuation, else between words.
fn pack(text: &str, units: &[Span], max: usize) -> Vec<Span> {
    let mut out = Vec::new();
    let mut current: Option<(Span, usize)> = None;
    for &unit in units
        .iter()
        .flat_map(|&u| cut_long(text, u, max))
        .collect::<Vec<_>>()
        .iter()
    {
        let n = words_in(text, unit);
        current = match current {
            Some((span, words)) if words + n <= max => Some(((span.0, unit.1), words + n)),
            Some((span, _)) => {
                out.push(span);
                Some((unit, n))
            }
            None => Some((unit, n)),
        };
    }
    out.extend(current.map(|(span, _)| span));
    out
}

/// Packs a paragraph into as few pieces as `pack` would, but of even length, so that a long
/// paragraph does not leave a short last sentence to be merged into the next paragraph's scene.
fn pack_balanced(text: &str, units: &[Span], max: usize) -> Vec<Span> {
    let units: Vec<Span> = units.iter().flat_map(|&u| cut_long(text, u, max)).collect();
    let total: usize = units.iter().map(|&u| words_in(text, u)).sum();
    let pieces = pack(text, &units, max).len().max(1);
    let target = total.div_ceil(pieces);
    let mut out = Vec::new();
    let mut current: Option<(Span, usize)> = None;
    for unit in units {
        let n = words_in(text, unit);
        current = match current {
            // Close a piece when the next unit takes it further from the even length than it is.
            Some((span, words))
                if words + n <= max && (words + n).abs_diff(target) <= words.abs_diff(target) =>
            {
                Some(((span.0, unit.1), words + n))
            }
            Some((span, _)) => {
                out.push(span);
                Some((unit, n))
            }
            None => Some((unit, n)),
        };
    }
    out.extend(current.map(|(span, _)| span));
    out
}

fn cut_long(text: &str, unit: Span, max: usize) -> Vec<Span> {
    let words = word_spans(text, unit);
    if words.len() <= max {
        return vec![unit];
    }
    let mut out = Vec::new();
    let mut first = 0;
    while words.len() - first > max {
        let window = &words[first..first + max];
        // Prefer ending a piece after a comma, semicolon or colon in the second half of the window.
        let cut = window
            .iter()
            .enumerate()
            .rev()
            .take(max / 2)
            .find(|(_, &(s, e))| text[s..e].ends_with([',', ';', ':']))
            .map_or(max, |(i, _)| i + 1);
        out.push((words[first].0, words[first + cut - 1].1));
        first += cut;
    }
    out.push((words[first].0, unit.1));
    out
}

/// Merges spans shorter than `min` words into a neighbour when the result stays within `max`.
fn merge_short(text: &str, pieces: Vec<Span>, min: usize, max: usize) -> Vec<Span> {
    let mut out: Vec<(Span, usize)> = Vec::new();
    for piece in pieces {
        let n = words_in(text, piece);
        if let Some(last) = out.last_mut() {
            let fits = last.1 + n <= max;
            if fits && (last.1 < min || n < min) {
                *last = ((last.0 .0, piece.1), last.1 + n);
                continue;
            }
        }
        out.push((piece, n));
    }
    out.into_iter().map(|(s, _)| s).collect()
}

fn markers(text: &str, marker: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim() == marker {
            spans.push((start, offset));
            start = offset + line.len();
        }
        offset += line.len();
    }
    spans.push((start, text.len()));
    spans
        .into_iter()
        .map(|s| trim_span(text, s))
        .filter(|(s, e)| e > s)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenes(text: &str, opts: &SplitOptions) -> Vec<String> {
        split(text, opts)
            .into_iter()
            .map(|(s, e)| super::super::text::normalise_whitespace(&text[s..e]))
            .collect()
    }

    #[test]
    fn short_paragraphs_merge_and_long_ones_split() {
        let text = "Short one.\n\nAnother short.\n\nA much longer paragraph here. It has two sentences in it.";
        let opts = SplitOptions {
            max_words: 8,
            min_words: 3,
            ..Default::default()
        };
        assert_eq!(
            scenes(text, &opts),
            [
                "Short one. Another short.",
                "A much longer paragraph here.",
                "It has two sentences in it."
            ]
        );
    }

    #[test]
    fn a_long_paragraph_keeps_its_last_short_sentence() {
        // Twenty words, one sentence.
        let twenty = |w: &str| format!("{} end.", vec![w; 19].join(" "));
        let text = format!(
            "{} {} This ball was her favourite plaything.\n\n{}",
            twenty("Aa"),
            twenty("Bb"),
            twenty("Cc")
        );
        let got = scenes(&text, &SplitOptions::default());
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(
            got[1].ends_with("This ball was her favourite plaything."),
            "{got:?}"
        );
        assert!(got[2].starts_with("Cc Cc"), "{got:?}");
    }

    #[test]
    fn no_scene_exceeds_max_words_even_for_a_run_on_sentence() {
        let text = "word ".repeat(100);
        let opts = SplitOptions {
            max_words: 30,
            ..Default::default()
        };
        let got = split(&text, &opts);
        assert_eq!(got.len(), 4);
        assert!(got.iter().all(|&s| words_in(&text, s) <= 30));
    }

    #[test]
    fn a_quotation_of_several_sentences_stays_in_one_scene() {
        let text = "The king sat in his hall all day long. He called to his daughter, \"Come \
                    here, my child. Bring me the cup. I am thirsty now.\" She brought the cup \
                    at once and he drank.";
        let opts = SplitOptions {
            max_words: 20,
            ..Default::default()
        };
        let quote = (
            text.find("\"Come").unwrap(),
            text.find("now.\"").unwrap() + 5,
        );
        let got = split(text, &opts);
        assert!(got.iter().all(|&s| words_in(text, s) <= 20), "{got:?}");
        for &(_, end) in &got[..got.len() - 1] {
            assert!(
                !(quote.0..quote.1).contains(&end),
                "cut inside the quote: {got:?}"
            );
        }
        let by_words = SplitOptions {
            by: SplitStrategy::Words,
            ..opts
        };
        let got = split(text, &by_words);
        for &(_, end) in &got[..got.len() - 1] {
            assert!(
                !(quote.0..quote.1).contains(&end),
                "cut inside the quote: {got:?}"
            );
        }
    }

    #[test]
    fn a_quotation_longer_than_max_words_is_cut_at_its_sentences() {
        let text = "\"One two three four five. Six seven eight nine ten. Eleven twelve.\" \
                    He left.";
        let opts = SplitOptions {
            max_words: 6,
            min_words: 1,
            ..Default::default()
        };
        assert_eq!(
            scenes(text, &opts),
            [
                "\"One two three four five.",
                "Six seven eight nine ten.",
                "Eleven twelve.\" He left."
            ]
        );
    }

    #[test]
    fn markers_and_sentences() {
        let text = "A. B.\n---\nC. D. E.\n";
        let by_marker = SplitOptions {
            by: SplitStrategy::Markers,
            ..Default::default()
        };
        assert_eq!(scenes(text, &by_marker), ["A. B.", "C. D. E."]);
        let by_sentence = SplitOptions {
            by: SplitStrategy::Sentences,
            sentences: 2,
            ..Default::default()
        };
        assert_eq!(
            scenes("Go. Run. Stop.", &by_sentence),
            ["Go. Run.", "Stop."]
        );
    }
}
