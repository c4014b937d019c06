//! Speed of the cast analysis on a 100,000-word text made by concatenating the LitBank excerpts,
//! with the name-only baseline timed in the same run for a ratio.
//!
//! Usage: `cargo run --release --example cast_speed [LITBANK_DIR]`
//! (or `STORYREEL_LITBANK=DIR`; default `../shared/data/litbank`).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use storyreel::story::cast::{analyze, analyze_names_only, Cast};

const WORDS: usize = 100_000;
const RUNS: usize = 5;

fn main() {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("STORYREEL_LITBANK").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("../shared/data/litbank"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("excerpts"))
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.join("excerpts").display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let mut text = String::new();
    for f in &files {
        text.push_str(&std::fs::read_to_string(f).expect("excerpt"));
        text.push_str("\n\n");
    }
    // Cut at exactly WORDS whitespace-separated words.
    if let Some((cut, _)) = text
        .char_indices()
        .filter(|(i, c)| c.is_whitespace() && *i > 0 && !text[..*i].ends_with(char::is_whitespace))
        .nth(WORDS - 1)
    {
        text.truncate(cut);
    }
    let words = text.split_whitespace().count();

    let (full, cast) = best_of(|| analyze(&text));
    let (base, names) = best_of(|| analyze_names_only(&text));
    let secs = full.as_secs_f64();
    println!(
        "text: {words} words, {} bytes, from {} excerpts",
        text.len(),
        files.len()
    );
    println!(
        "analyze:            {:>8.1} ms  {:>10.0} words/s  ({} characters)",
        secs * 1e3,
        words as f64 / secs,
        cast.characters.len()
    );
    println!(
        "analyze_names_only: {:>8.1} ms  {:>10.0} words/s  ({} characters)",
        base.as_secs_f64() * 1e3,
        words as f64 / base.as_secs_f64(),
        names.characters.len()
    );
    println!(
        "ratio analyze / names-only: {:.2}x (best of {RUNS} runs each, one thread)",
        secs / base.as_secs_f64()
    );
}

fn best_of(f: impl Fn() -> Cast) -> (Duration, Cast) {
    let mut best = Duration::MAX;
    let mut last = Cast::default();
    for _ in 0..RUNS {
        let t = Instant::now();
        last = f();
        best = best.min(t.elapsed());
    }
    (best, last)
}
