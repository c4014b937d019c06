//! Every measure of the cast in one run: "who is in each scene" on the fairy-tale development set
//! (FantasyCoref's Grimm dev split, prepared by the shared `fantasy_prep.py`) and on LitBank, as
//! precision / recall / F1, then the speed on 100,000 words of LitBank beside the name-only
//! baseline timed in the same run.
//!
//! The scoring is the shared scorer's (`score_cast.py`) in Rust, so the figures are the project's:
//! the prediction of a document is the JSON of `storyreel characters FILE --scenes paragraphs
//! --json`; predicted characters map one-to-one onto gold entities by mention overlap, greedily;
//! micro P/R/F1 over (document, paragraph, character) triples for major gold characters (5+
//! mentions). A prediction mapped to a minor or non-character entity counts neither way.
//!
//! Usage: `cargo run --release --example cast_eval -- [--grimm DIR] [--litbank DIR]
//! [--write DIR] [--verbose] [--errors]`. DIR defaults: `STORYREEL_GRIMM_DEV`, else
//! `../../data/grimm-dev`; `STORYREEL_LITBANK`, else `../shared/data/litbank`. `--write DIR`
//! keeps each prediction as `DIR/<set>/<doc>.json` for `score_cast.py`; `--verbose` prints a row
//! per document; `--errors` lists, per document and paragraph, the missed gold characters (by
//! their first mention) and the wrongly placed predicted ones.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[path = "cast_score/score.rs"]
mod score;

use score::{ratio, Score};
use storyreel::frontends::characters::{scene_spans, to_json, SceneMode};
use storyreel::story::cast::{analyze, analyze_names_only};

const MAJOR: usize = 5;
const SPEED_WORDS: usize = 100_000;
const SPEED_RUNS: usize = 5;

struct Args {
    grimm: PathBuf,
    litbank: PathBuf,
    write: Option<PathBuf>,
    verbose: bool,
    errors: bool,
}

fn args() -> Args {
    let mut a = Args {
        grimm: std::env::var_os("STORYREEL_GRIMM_DEV")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("../../data/grimm-dev")),
        litbank: std::env::var_os("STORYREEL_LITBANK")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("../shared/data/litbank")),
        write: None,
        verbose: false,
        errors: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || {
            PathBuf::from(it.next().unwrap_or_else(|| {
                eprintln!("{arg} needs a folder");
                std::process::exit(2)
            }))
        };
        match arg.as_str() {
            "--grimm" => a.grimm = value(),
            "--litbank" => a.litbank = value(),
            "--write" => a.write = Some(value()),
            "--verbose" => a.verbose = true,
            "--errors" => a.errors = true,
            other => {
                eprintln!("unknown argument {other:?}; see the usage in examples/cast_eval.rs");
                std::process::exit(2);
            }
        }
    }
    a
}

fn main() {
    let a = args();
    for (set, dir) in [("grimm-dev", &a.grimm), ("litbank", &a.litbank)] {
        if !dir.join("excerpts").is_dir() {
            println!("{set:<10} SKIPPED: no {}", dir.join("excerpts").display());
            continue;
        }
        let out = a.write.as_ref().map(|w| w.join(set));
        let (s, docs) = score_set(dir, out.as_deref(), a.verbose, a.errors);
        println!(
            "{set:<10} precision={:.3} recall={:.3} f1={:.3} tp={} fp={} fn={}  ({} documents)",
            s.p(),
            s.r(),
            s.f1(),
            s.tp,
            s.fp,
            s.fn_,
            docs
        );
    }
    speed(&a.litbank);
}

/// A gold mention: entity, character span, and whether the entity is a character.
#[derive(Clone)]
struct Gold {
    entity: String,
    start: usize,
    end: usize,
    person: bool,
}

/// The set's score and how many documents it has.
fn score_set(dir: &Path, write: Option<&Path>, verbose: bool, errors: bool) -> (Score, usize) {
    let mut docs: Vec<String> = std::fs::read_dir(dir.join("excerpts"))
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter_map(|n| n.strip_suffix(".txt").map(str::to_string))
        .collect();
    docs.sort();
    if let Some(w) = write {
        std::fs::create_dir_all(w).expect("prediction folder");
    }
    let mut total = Score::default();
    for doc in &docs {
        let raw = std::fs::read_to_string(dir.join("excerpts").join(format!("{doc}.txt")))
            .expect("excerpt");
        let cast = analyze(&raw);
        let pred = to_json(&raw, &cast, &scene_spans(&raw, SceneMode::Paragraphs));
        if let Some(w) = write {
            std::fs::write(w.join(format!("{doc}.json")), pred.to_string()).expect("write");
        }
        let chars: Vec<char> = raw.chars().collect();
        let gold = load_gold(dir, doc, &chars);
        let (tp, fp, fn_) = score_doc(&chars, &gold, &pred, errors.then_some(doc.as_str()));
        if verbose {
            println!(
                "{doc}\tP={:.2}\tR={:.2}\ttp={tp} fp={fp} fn={fn_}",
                ratio(tp, tp + fp),
                ratio(tp, tp + fn_)
            );
        }
        total.add(Score { tp, fp, fn_ });
    }
    (total, docs.len())
}

/// Paragraph spans in characters, split at `\n[ \t]*\n+` as the shared scorer does.
fn paragraphs(text: &[char]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let (mut start, mut i) = (0, 0);
    let blank = |s: usize, e: usize| text[s..e].iter().all(|c| c.is_whitespace());
    while i < text.len() {
        if text[i] == '\n' {
            let mut j = i + 1;
            while j < text.len() && matches!(text[j], ' ' | '\t') {
                j += 1;
            }
            if j < text.len() && text[j] == '\n' {
                while j < text.len() && text[j] == '\n' {
                    j += 1;
                }
                if !blank(start, i) {
                    spans.push((start, i));
                }
                start = j;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    if !blank(start, text.len()) {
        spans.push((start, text.len()));
    }
    spans
}

fn load_gold(dir: &Path, doc: &str, raw: &[char]) -> Vec<Gold> {
    let json = dir.join("gold").join(format!("{doc}.json"));
    if json.exists() {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&json).expect("gold")).expect("json");
        return v["mentions"]
            .as_array()
            .expect("mentions")
            .iter()
            .map(|m| Gold {
                entity: m[0].as_str().unwrap_or_default().to_string(),
                start: m[1].as_u64().unwrap_or(0) as usize,
                end: m[2].as_u64().unwrap_or(0) as usize,
                person: m[3].as_bool().unwrap_or(false),
            })
            .collect();
    }
    brat_gold(dir, doc, raw)
}

/// A brat mention: first (sentence, token), last (sentence, token), and whether it is a person.
type BratMention = ((usize, usize), (usize, usize), bool);

/// LitBank's brat files: tokens aligned to the text through its non-space characters.
fn brat_gold(dir: &Path, doc: &str, raw: &[char]) -> Vec<Gold> {
    let tsv = dir.join("tsv");
    let sents = std::fs::read_to_string(tsv.join(format!("{doc}_brat.txt"))).expect("brat txt");
    let ann = std::fs::read_to_string(tsv.join(format!("{doc}_brat.ann"))).expect("brat ann");
    let raw_ns: Vec<usize> = (0..raw.len())
        .filter(|&i| !raw[i].is_whitespace())
        .collect();
    let mut tok_span: HashMap<(usize, usize), (usize, usize)> = HashMap::new();
    let mut k = 0;
    'lines: for (si, line) in sents.split('\n').enumerate() {
        for (ti, tok) in line.split(' ').enumerate() {
            let n = tok.chars().filter(|c| !c.is_whitespace()).count();
            if n == 0 {
                continue;
            }
            if k + n > raw_ns.len() {
                break 'lines;
            }
            tok_span.insert((si, ti), (raw_ns[k], raw_ns[k + n - 1] + 1));
            k += n;
        }
    }
    let mut ments: BTreeMap<String, BratMention> = BTreeMap::new();
    let mut coref: HashMap<String, String> = HashMap::new();
    for line in ann.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        let num = |i: usize| f.get(i).and_then(|x| x.parse().ok()).unwrap_or(0);
        match f.first() {
            Some(&"MENTION") if f.len() >= 6 => {
                let per = f[f.len() - 2] == "PER";
                ments.insert(f[1].to_string(), ((num(2), num(3)), (num(4), num(5)), per));
            }
            Some(&"COREF") if f.len() >= 3 => {
                coref.insert(f[1].to_string(), f[2].to_string());
            }
            _ => {}
        }
    }
    ments
        .iter()
        .filter_map(|(id, (a, b, per))| {
            let entity = coref.get(id)?;
            let (s, _) = tok_span.get(a)?;
            let (_, e) = tok_span.get(b)?;
            Some(Gold {
                entity: entity.clone(),
                start: *s,
                end: *e,
                person: *per,
            })
        })
        .collect()
}

/// The gold mention a predicted span stands for: the innermost gold span containing it, else the
/// largest gold span inside it.
fn matching(gold: &[Gold], s: usize, t: usize) -> Option<&Gold> {
    let inside = gold
        .iter()
        .filter(|g| g.start <= s && t <= g.end)
        .min_by_key(|g| g.end - g.start);
    inside.or_else(|| {
        gold.iter()
            .filter(|g| s <= g.start && g.end <= t)
            .max_by_key(|g| g.end - g.start)
    })
}

/// (tp, fp, fn) of one document; with `errors`, prints what was missed and what was wrong.
fn score_doc(
    raw: &[char],
    gold: &[Gold],
    pred: &serde_json::Value,
    errors: Option<&str>,
) -> (usize, usize, usize) {
    let paras = paragraphs(raw);
    let para_of = |pos: usize| paras.iter().position(|&(s, e)| s <= pos && pos < e);
    let people: HashSet<&str> = gold
        .iter()
        .filter(|g| g.person)
        .map(|g| g.entity.as_str())
        .collect();
    let mut count: HashMap<&str, usize> = HashMap::new();
    for g in gold {
        *count.entry(&g.entity).or_default() += 1;
    }
    let majors: HashSet<&str> = people
        .iter()
        .copied()
        .filter(|e| count[e] >= MAJOR)
        .collect();
    let truth: HashSet<(usize, String)> = gold
        .iter()
        .filter(|g| majors.contains(g.entity.as_str()))
        .filter_map(|g| Some((para_of(g.start)?, g.entity.clone())))
        .collect();
    let empty = Vec::new();
    let characters = pred["characters"].as_array().unwrap_or(&empty);
    // Overlap counts in first-seen order, then a stable sort, as Python's dict and sorted.
    let mut overlap: Vec<((u64, String), usize)> = Vec::new();
    for ch in characters {
        let id = ch["id"].as_u64().unwrap_or(0);
        for m in ch["mentions"].as_array().unwrap_or(&empty) {
            let (s, t) = (
                m[0].as_u64().unwrap_or(0) as usize,
                m[1].as_u64().unwrap_or(0) as usize,
            );
            if let Some(g) = matching(gold, s, t) {
                let key = (id, g.entity.clone());
                match overlap.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, n)) => *n += 1,
                    None => overlap.push((key, 1)),
                }
            }
        }
    }
    overlap.sort_by_key(|o| std::cmp::Reverse(o.1));
    let mut mapping: HashMap<u64, String> = HashMap::new();
    let mut used: HashSet<String> = HashSet::new();
    for ((cid, e), _) in overlap {
        if mapping.contains_key(&cid) || used.contains(&e) {
            continue;
        }
        used.insert(e.clone());
        mapping.insert(cid, e);
    }
    let mut predicted: HashSet<(usize, String)> = HashSet::new();
    for sc in pred["scenes"].as_array().unwrap_or(&empty) {
        let (ss, se) = (
            sc["start"].as_u64().unwrap_or(0) as usize,
            sc["end"].as_u64().unwrap_or(0) as usize,
        );
        let mut best = None;
        let mut bo = 0;
        for (i, &(s, e)) in paras.iter().enumerate() {
            let o = e.min(se) as i64 - s.max(ss) as i64;
            if o > bo {
                best = Some(i);
                bo = o;
            }
        }
        let Some(best) = best else { continue };
        for cid in sc["characters"].as_array().unwrap_or(&empty) {
            let cid = cid.as_u64().unwrap_or(0);
            match mapping.get(&cid) {
                None => {
                    predicted.insert((best, format!("__unmatched_{cid}")));
                }
                Some(e) if majors.contains(e.as_str()) => {
                    predicted.insert((best, e.clone()));
                }
                Some(_) => {}
            }
        }
    }
    let tp = predicted.intersection(&truth).count();
    let fp = predicted.difference(&truth).count();
    let fn_ = truth.difference(&predicted).count();
    if let Some(doc) = errors {
        let text_of = |g: &Gold| raw[g.start..g.end].iter().collect::<String>();
        let first_name = |e: &str| {
            gold.iter()
                .filter(|g| g.entity == e)
                .map(text_of)
                .max_by_key(|t| t.chars().next().is_some_and(char::is_uppercase) as u8)
                .unwrap_or_default()
        };
        let pred_name = |cid: u64| {
            characters
                .iter()
                .find(|c| c["id"].as_u64() == Some(cid))
                .and_then(|c| c["name"].as_str())
                .unwrap_or("?")
                .to_string()
        };
        let mapped_to: HashMap<&str, u64> = mapping.iter().map(|(c, e)| (e.as_str(), *c)).collect();
        let mut missed: Vec<&(usize, String)> = truth.difference(&predicted).collect();
        missed.sort();
        for (p, e) in missed {
            let how = match mapped_to.get(e.as_str()) {
                Some(&c) => format!("found as {:?} but not here", pred_name(c)),
                None => "never found".to_string(),
            };
            println!("{doc}\tFN\t¶{p}\t{}\t({how})", first_name(e));
        }
        let mut wrong: Vec<&(usize, String)> = predicted.difference(&truth).collect();
        wrong.sort();
        for (p, e) in wrong {
            let what = match e.strip_prefix("__unmatched_") {
                Some(cid) => format!(
                    "{:?} matches nobody",
                    pred_name(cid.parse().unwrap_or(u64::MAX))
                ),
                None => format!("{} not here", first_name(e)),
            };
            println!("{doc}\tFP\t¶{p}\t{what}");
        }
    }
    (tp, fp, fn_)
}

/// Seconds per 100,000 words of LitBank, best of a few runs.
fn speed(litbank: &Path) {
    let Ok(entries) = std::fs::read_dir(litbank.join("excerpts")) else {
        println!("speed      SKIPPED: no LitBank excerpts");
        return;
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let mut text = String::new();
    for f in &files {
        text.push_str(&std::fs::read_to_string(f).expect("excerpt"));
        text.push_str("\n\n");
    }
    let words: Vec<(usize, &str)> = text
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize + w.len(), w))
        .collect();
    if let Some(&(cut, _)) = words.get(SPEED_WORDS - 1) {
        text.truncate(cut);
    }
    let n = text.split_whitespace().count();
    let best_of = |f: fn(&str) -> storyreel::story::cast::Cast| {
        let mut best = Duration::MAX;
        for _ in 0..SPEED_RUNS {
            let t = Instant::now();
            std::hint::black_box(f(std::hint::black_box(&text)));
            best = best.min(t.elapsed());
        }
        best.as_secs_f64()
    };
    let full = best_of(analyze);
    let names_only = best_of(analyze_names_only);
    let per_100k = full * SPEED_WORDS as f64 / n as f64;
    println!(
        "speed      {per_100k:.3} s per 100k words ({n} words, best of {SPEED_RUNS}; target < 0.5 s); \
         {:.1}x the name-only baseline timed in the same run",
        full / names_only
    );
}
