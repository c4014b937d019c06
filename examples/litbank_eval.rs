//! Scores the cast analysis against LitBank's coreference gold, per paragraph ("who is in each
//! scene"), as described in the LitBank README of the shared data: `analyze` runs on
//! `excerpts/<doc>.txt`, one scene per blank-line paragraph, scored as `cast_score` describes.
//!
//! The gold head of a multi-word mention is its last word before a post-modifier ("James
//! Stevenson, Esq. of South Park" → "Stevenson"), a heuristic since LitBank has no heads.
//!
//! Usage: `cargo run --release --example litbank_eval [LITBANK_DIR] [--verbose DOC]`
//! (or `STORYREEL_LITBANK=DIR`; default `../shared/data/litbank`). `--verbose DOC` prints the
//! cast, the mapping and every paragraph that differs for one document (e.g.
//! `1342_pride_and_prejudice_brat`). Error analysis on stderr: see `cast_score`.

mod cast_score;

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use cast_score::{head_offset, Evaluation, GoldDoc, MAJOR};

fn main() {
    let (dir, verbose) = cast_score::args();
    let dir = dir
        .or_else(|| std::env::var_os("STORYREEL_LITBANK").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("../shared/data/litbank"));
    let per_paragraph = fs::read_to_string(dir.join("gold_characters_per_paragraph.tsv"))
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    let (gold_rows, people) = parse_gold_rows(&per_paragraph);

    let mut names: Vec<String> = fs::read_dir(dir.join("excerpts"))
        .expect("excerpts/")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();

    let mut eval = Evaluation::new(verbose);
    for name in &names {
        let doc_id = format!("{}_brat", name.trim_end_matches(".txt"));
        let gold = load_doc(&dir, name, &doc_id, &gold_rows, &people);
        eval.add(&doc_id, &gold);
    }
    eval.finish("paragraph");
}

type GoldRows = HashMap<String, Vec<(usize, String, [usize; 3])>>;

/// Per document, the (paragraph, entity) rows; and per (doc, entity), the total mention count.
fn parse_gold_rows(tsv: &str) -> (GoldRows, HashMap<(String, String), usize>) {
    let mut rows: GoldRows = HashMap::new();
    let mut counts: HashMap<(String, String), usize> = HashMap::new();
    for line in tsv.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 4 {
            continue;
        }
        let (doc, para, entity) = (f[0], f[1].parse().unwrap_or(0), f[2]);
        let n: usize = f[3].parse().unwrap_or(0);
        let kinds = [4, 5, 6].map(|k| f.get(k).and_then(|x| x.parse().ok()).unwrap_or(0));
        rows.entry(doc.to_string())
            .or_default()
            .push((para, entity.to_string(), kinds));
        *counts
            .entry((doc.to_string(), entity.to_string()))
            .or_default() += n;
    }
    (rows, counts)
}

fn load_doc(
    dir: &Path,
    name: &str,
    doc_id: &str,
    gold_rows: &GoldRows,
    counts: &HashMap<(String, String), usize>,
) -> GoldDoc {
    let text = fs::read_to_string(dir.join("excerpts").join(name)).expect("excerpt");
    let tokenised =
        fs::read_to_string(dir.join("tsv").join(format!("{doc_id}.txt"))).expect("tsv txt");
    let ann = fs::read_to_string(dir.join("tsv").join(format!("{doc_id}.ann"))).expect("tsv ann");

    // Align the gold tokens to byte offsets in the excerpt.
    let mut spans: Vec<Vec<Option<(usize, usize)>>> = Vec::new();
    let mut pos = 0usize;
    let mut unaligned = 0;
    for line in tokenised.lines() {
        let mut row = Vec::new();
        for tok in line.split(' ').filter(|t| !t.is_empty()) {
            let rest = &text[pos..];
            let skipped = rest.len() - rest.trim_start().len();
            let here = pos + skipped;
            let found = if text[here..].starts_with(tok) {
                Some(here)
            } else {
                let window_end = (here + 80).min(text.len());
                let window_end = (window_end..=text.len())
                    .find(|&e| text.is_char_boundary(e))
                    .unwrap_or(text.len());
                text[here..window_end].find(tok).map(|k| here + k)
            };
            match found {
                Some(s) => {
                    row.push(Some((s, s + tok.len())));
                    pos = s + tok.len();
                }
                None => {
                    unaligned += 1;
                    row.push(None);
                }
            }
        }
        spans.push(row);
    }

    let mut entity_of: HashMap<&str, &str> = HashMap::new();
    for line in ann.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() >= 3 && f[0] == "COREF" {
            entity_of.insert(f[1], f[2]);
        }
    }
    let mut heads = Vec::new();
    let mut head_info = HashMap::new();
    for line in ann.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 9 || f[0] != "MENTION" {
            continue;
        }
        let Some(entity) = entity_of.get(f[1]) else {
            continue;
        };
        let sent: usize = f[2].parse().unwrap_or(0);
        let (a, b): (usize, usize) = (f[3].parse().unwrap_or(0), f[5].parse().unwrap_or(0));
        let words: Vec<&str> = f[6].split(' ').collect();
        let head = a + head_offset(&words);
        if let Some(Some((s, _))) = spans.get(sent).and_then(|r| r.get(head.min(b))) {
            heads.push((*s, entity.to_string()));
            head_info.insert(*s, (f[8].to_string(), f[6].to_lowercase()));
        }
    }
    heads.sort();

    let paragraph_starts = paragraph_starts(&text);
    let mut people = HashMap::new();
    let mut triples = HashSet::new();
    let mut kinds = HashMap::new();
    for (para, entity, k) in gold_rows.get(doc_id).into_iter().flatten() {
        kinds.insert((*para, entity.clone()), *k);
        let n = counts
            .get(&(doc_id.to_string(), entity.clone()))
            .copied()
            .unwrap_or(0);
        let major = n >= MAJOR;
        people.insert(entity.clone(), major);
        if major {
            triples.insert((*para, entity.clone()));
        }
    }
    GoldDoc {
        text,
        paragraph_starts,
        heads,
        head_info,
        kinds,
        triples,
        people,
        unaligned_tokens: unaligned,
    }
}

/// The head of a gold mention: the last word before a post-modifier ("James Stevenson, Esq. of
/// Paragraph i starts after the i-th blank line.
fn paragraph_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let mut from = 0;
    while let Some(k) = text[from..].find("\n\n") {
        let s = from + k + 2;
        starts.push(s);
        from = s;
    }
    starts
}
