//! Scores the cast analysis on fairy tales: FantasyCoref's Grimm tales (CoNLL-2012 format, every
//! annotated entity a character), "who is in each scene" with scenes of 4 sentences, scored as
//! `cast_score` describes, the name-only baseline beside it.
//!
//! The data has no stated license and is not part of the project: give the path of a
//! `*.v4_gold_conll` file (for development, `data/GFT_split1/train.english.v4_gold_conll` of the
//! public repository emorynlp/FantasyCoref).
//!
//! The tokens are joined back into text (no space before punctuation, `` and '' as curly
//! quotes), a blank line after every scene, so the analysis sees each
//! scene as a paragraph. The gold head of a mention is found as in `litbank_eval`.
//!
//! Usage: `STORYREEL_FANTASYCOREF=FILE cargo run --release --example fantasycoref_eval
//! [--verbose DOC]` (or the file as the first argument).

mod cast_score;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use cast_score::{head_offset, Evaluation, GoldDoc, MAJOR};

/// Sentences per scene.
const SCENE_SENTENCES: usize = 4;

/// One token of a CoNLL sentence.
struct Word {
    text: String,
    pos: String,
    /// The coreference column: "-", "(12", "12)", "(12)", "(3|(12)".
    coref: String,
}

struct ConllDoc {
    id: String,
    sentences: Vec<Vec<Word>>,
}

fn main() {
    let (file, verbose) = cast_score::args();
    let Some(file) = file.or_else(|| std::env::var_os("STORYREEL_FANTASYCOREF").map(PathBuf::from))
    else {
        eprintln!(
            "give a FantasyCoref *.v4_gold_conll file as argument or in STORYREEL_FANTASYCOREF"
        );
        std::process::exit(2);
    };
    let conll = std::fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
    let mut eval = Evaluation::new(verbose);
    for doc in parse_conll(&conll) {
        eval.add(&doc.id, &gold_doc(&doc));
    }
    eval.finish(&format!("{SCENE_SENTENCES} sentences"));
}

fn parse_conll(conll: &str) -> Vec<ConllDoc> {
    let mut docs = Vec::new();
    let mut current: Option<ConllDoc> = None;
    let mut sentence: Vec<Word> = Vec::new();
    for line in conll.lines() {
        if let Some(rest) = line.strip_prefix("#begin document") {
            let id = rest
                .trim()
                .trim_start_matches('(')
                .replace(");", "")
                .replace(' ', "_");
            current = Some(ConllDoc {
                id,
                sentences: Vec::new(),
            });
            continue;
        }
        if line.starts_with("#end document") {
            if let Some(mut d) = current.take() {
                if !sentence.is_empty() {
                    d.sentences.push(std::mem::take(&mut sentence));
                }
                docs.push(d);
            }
            continue;
        }
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.is_empty() {
            if let Some(d) = current.as_mut() {
                if !sentence.is_empty() {
                    d.sentences.push(std::mem::take(&mut sentence));
                }
            }
            continue;
        }
        if cols.len() < 6 {
            continue;
        }
        sentence.push(Word {
            text: cols[3].to_string(),
            pos: cols[4].to_string(),
            coref: cols[cols.len() - 1].to_string(),
        });
    }
    docs
}

/// Whether a token attaches to the one before it without a space.
fn attaches_left(w: &str) -> bool {
    matches!(
        w,
        "," | "." | ";" | ":" | "!" | "?" | ")" | "]" | "''" | "”" | "'s" | "'" | "n't" | "'ll"
    ) || w.starts_with('\'') && w.len() <= 3
        || w == "n’t"
}

fn gold_doc(doc: &ConllDoc) -> GoldDoc {
    let mut text = String::new();
    let mut paragraph_starts = vec![0];
    // Byte span of every token, per sentence.
    let mut spans: Vec<Vec<(usize, usize)>> = Vec::new();
    let mut open_quote = false;
    for (s, sentence) in doc.sentences.iter().enumerate() {
        if s > 0 {
            if s % SCENE_SENTENCES == 0 {
                text.push_str("\n\n");
                paragraph_starts.push(text.len());
            } else {
                text.push(' ');
            }
        }
        let mut row = Vec::new();
        let mut after_open = true;
        for w in sentence {
            let shown = match w.text.as_str() {
                "``" => "“",
                "''" => "”",
                "-LRB-" => "(",
                "-RRB-" => ")",
                // A plain quote opens or closes by turns.
                "\"" if open_quote => "”",
                "\"" => "“",
                other => other,
            };
            if w.text == "\"" {
                open_quote = !open_quote;
            }
            if !after_open && !attaches_left(shown) {
                text.push(' ');
            }
            let start = text.len();
            text.push_str(shown);
            row.push((start, text.len()));
            after_open = matches!(shown, "“" | "(" | "[");
        }
        spans.push(row);
    }

    // Mentions from the coreference column, as (entity, sentence, first word, last word).
    let mut mentions: Vec<(String, usize, usize, usize)> = Vec::new();
    for (s, sentence) in doc.sentences.iter().enumerate() {
        let mut open: HashMap<String, Vec<usize>> = HashMap::new();
        for (k, w) in sentence.iter().enumerate() {
            if w.coref == "-" {
                continue;
            }
            for part in w.coref.split('|') {
                let id = part.trim_matches(|c| c == '(' || c == ')').to_string();
                if part.starts_with('(') && part.ends_with(')') {
                    mentions.push((id, s, k, k));
                } else if part.starts_with('(') {
                    open.entry(id).or_default().push(k);
                } else if part.ends_with(')') {
                    if let Some(first) = open.get_mut(&id).and_then(Vec::pop) {
                        mentions.push((id, s, first, k));
                    }
                }
            }
        }
    }

    let mut counts: HashMap<&str, usize> = HashMap::new();
    for (e, ..) in &mentions {
        *counts.entry(e.as_str()).or_default() += 1;
    }
    let mut heads = Vec::new();
    let mut head_info = HashMap::new();
    let mut triples = HashSet::new();
    let mut kinds: HashMap<(usize, String), [usize; 3]> = HashMap::new();
    let mut people = HashMap::new();
    for (e, s, first, last) in &mentions {
        let words: Vec<&str> = doc.sentences[*s][*first..=*last]
            .iter()
            .map(|w| w.text.as_str())
            .collect();
        let head = first + head_offset(&words);
        let (start, _) = spans[*s][head];
        let pos = doc.sentences[*s][head].pos.as_str();
        let kind = match pos {
            "NNP" | "NNPS" => 0,
            "PRP" | "PRP$" | "WP" | "WP$" => 2,
            _ => 1,
        };
        let scene = s / SCENE_SENTENCES;
        let major = counts[e.as_str()] >= MAJOR;
        people.insert(e.clone(), major);
        if major {
            triples.insert((scene, e.clone()));
        }
        kinds.entry((scene, e.clone())).or_default()[kind] += 1;
        heads.push((start, e.clone()));
        head_info.insert(
            start,
            (
                ["PROP", "NOM", "PRON"][kind].to_string(),
                words.join(" ").to_lowercase(),
            ),
        );
    }
    heads.sort();
    GoldDoc {
        text,
        paragraph_starts,
        heads,
        head_info,
        triples,
        kinds,
        people,
        unaligned_tokens: 0,
    }
}
