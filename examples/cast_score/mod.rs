//! Scoring shared by the cast evaluations (`litbank_eval`, `fantasycoref_eval`): "who is in each
//! scene" against a coreference gold standard.
//!
//! 1. run `analyze` on the document's text;
//! 2. map predicted characters one-to-one onto gold entities by mention overlap (a predicted
//!    mention matches a gold mention when it contains the gold mention's head token), greedily
//!    by overlap count;
//! 3. micro P/R/F1 over (doc, scene, character) triples for major characters (>= 5 gold
//!    mentions). A prediction mapped to a minor entity is ignored (a real but minor
//!    character); an unmatched prediction, or one mapped to a non-person entity, is a false
//!    positive in every scene where it appears.
//!
//! The name-only baseline (`analyze_names_only`) is scored the same way. A second, symmetric
//! figure also drops unmatched predictions with fewer than 5 mentions (minor on the predicted
//! side, as minor gold characters are on the gold side).
//!
//! Error analysis on stderr, for tuning: `CAST_DIAGNOSE=1` (accuracy per gold mention class,
//! error breakdown), with `CAST_SHOW_WRONG`, `CAST_SHOW_FN`, `CAST_SHOW_FP`,
//! `CAST_SHOW_UNMATCHED`, `CAST_SHOW_UNMAPPED`, `CAST_SHOW_MISSING` (major characters that no
//! prediction maps onto).

#[path = "score.rs"]
mod score;
use score::Score;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use storyreel::story::cast::{analyze, analyze_names_only, Cast};

/// Characters with at least this many gold mentions are "major".
pub const MAJOR: usize = 5;

pub struct GoldDoc {
    pub text: String,
    /// Byte start of every scene (a paragraph, or a run of sentences).
    pub paragraph_starts: Vec<usize>,
    /// (byte start of head token, entity) sorted by position.
    pub heads: Vec<(usize, String)>,
    /// Per head start: (kind PROP/NOM/PRON, lowercased mention text), for diagnostics.
    pub head_info: HashMap<usize, (String, String)>,
    /// Gold triples: (scene, entity) for major PER entities.
    pub triples: HashSet<(usize, String)>,
    /// (scene, entity) → gold mentions by kind: names, epithets, pronouns.
    pub kinds: HashMap<(usize, String), [usize; 3]>,
    /// PER entities and whether they are major.
    pub people: HashMap<String, bool>,
    pub unaligned_tokens: usize,
}

impl GoldDoc {
    /// Byte range of scene `i` of the text.
    pub fn scene_range(&self, i: usize) -> (usize, usize) {
        let end = self
            .paragraph_starts
            .get(i + 1)
            .copied()
            .unwrap_or(self.text.len());
        (self.paragraph_starts[i], end)
    }
}

fn print_totals(cast: Score, baseline: Score) {
    for (label, t) in [("cast (analyze)", cast), ("name-only baseline", baseline)] {
        println!(
            "  {label:<21} P {:.3}  R {:.3}  F1 {:.3}   (tp {} fp {} fn {})",
            t.p(),
            t.r(),
            t.f1(),
            t.tp,
            t.fp,
            t.fn_
        );
    }
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}
/// South Park" → "Stevenson"; "his wife" → "wife").
pub fn head_offset(words: &[&str]) -> usize {
    let cut = words
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, w)| {
            matches!(
                w.to_lowercase().as_str(),
                "," | "of"
                    | "who"
                    | "whom"
                    | "whose"
                    | "which"
                    | "that"
                    | "with"
                    | "in"
                    | "("
                    | "--"
                    | "at"
                    | "on"
                    | "from"
                    | "for"
                    | ";"
                    | ":"
                    | "to"
                    | "by"
                    | "as"
                    | "and"
                    | "or"
                    | "where"
            )
        })
        .map(|(i, _)| i)
        .unwrap_or(words.len());
    cut.saturating_sub(1)
}

fn paragraph_of(starts: &[usize], byte: usize) -> usize {
    starts.partition_point(|&s| s <= byte).saturating_sub(1)
}

/// Prints each major gold character that no predicted character maps onto, with its mentions.
fn show_missing(gold: &GoldDoc, mapped: &HashSet<&String>) {
    let mut missing: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (s, e) in &gold.heads {
        if gold.people.get(e) == Some(&true) && !mapped.contains(e) {
            if let Some((_, w)) = gold.head_info.get(s) {
                missing.entry(e.as_str()).or_default().push(w.as_str());
            }
        }
    }
    for (e, words) in missing {
        let shown: Vec<&str> = words.iter().take(12).copied().collect();
        eprintln!("MISSING {e} ({} mentions): {shown:?}", words.len());
    }
}

impl GoldDoc {
    /// The gold heads whose start lies in `bytes` (a predicted mention's span).
    fn heads_within(&self, bytes: std::ops::Range<usize>) -> &[(usize, String)] {
        let from = self.heads.partition_point(|(s, _)| *s < bytes.start);
        let to = self.heads.partition_point(|(s, _)| *s < bytes.end);
        &self.heads[from..to.max(from)]
    }
}

/// Per gold mention class ("PROP", "NOM", "PRON:he" …): correct, wrong character, missed.
type Diagnosis = BTreeMap<String, [usize; 3]>;

fn diagnose(gold: &GoldDoc, cast: &Cast, mapped: &HashMap<usize, String>, diag: &mut Diagnosis) {
    let mut predicted_at: HashMap<usize, Option<&String>> = HashMap::new();
    for c in &cast.characters {
        for m in &c.mentions {
            for (s, _) in gold.heads_within(m.start..m.end) {
                predicted_at.insert(*s, mapped.get(&c.id));
            }
        }
    }
    for (s, e) in &gold.heads {
        if gold.people.get(e) != Some(&true) {
            continue;
        }
        let Some((kind, words)) = gold.head_info.get(s) else {
            continue;
        };
        let key = if kind == "PRON" {
            format!("PRON:{words}")
        } else {
            kind.clone()
        };
        let slot = diag.entry(key).or_default();
        let show = std::env::var_os("CAST_SHOW_WRONG").is_some() && kind == "PRON";
        match predicted_at.get(s) {
            Some(Some(p)) if *p == e => slot[0] += 1,
            Some(p) => {
                slot[1] += 1;
                if show {
                    eprintln!(
                        "WRONG {words:?} gold {e} got {p:?}: {}",
                        context(&gold.text, *s)
                    );
                }
            }
            None => {
                slot[2] += 1;
                if show {
                    eprintln!("MISSED {words:?} gold {e}: {}", context(&gold.text, *s));
                }
            }
        }
    }
}

/// The text around byte `at`: 80 characters before, 20 after, on one line.
fn context(text: &str, at: usize) -> String {
    let a = text[..at].char_indices().rev().nth(80).map_or(0, |x| x.0);
    let b = text[at..]
        .char_indices()
        .nth(20)
        .map_or(text.len(), |x| at + x.0);
    text[a..b].replace('\n', " ")
}

fn score(
    gold: &GoldDoc,
    cast: &Cast,
    verbose: bool,
    diag: Option<&mut Diagnosis>,
    mut breakdown: Option<&mut BTreeMap<String, usize>>,
    symmetric: bool,
) -> Score {
    // Overlap counts between predicted characters and gold entities.
    let mut overlap: Vec<((usize, String), usize)> = Vec::new();
    {
        let mut counts: HashMap<(usize, &str), usize> = HashMap::new();
        for c in &cast.characters {
            for m in &c.mentions {
                for (_, e) in gold.heads_within(m.start..m.end) {
                    *counts.entry((c.id, e.as_str())).or_default() += 1;
                }
            }
        }
        for ((c, e), n) in counts {
            overlap.push(((c, e.to_string()), n));
        }
    }
    overlap.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut mapped: HashMap<usize, String> = HashMap::new();
    let mut taken: HashSet<String> = HashSet::new();
    for ((c, e), _) in overlap {
        if mapped.contains_key(&c) || taken.contains(&e) {
            continue;
        }
        taken.insert(e.clone());
        mapped.insert(c, e);
    }

    if let Some(d) = diag {
        diagnose(gold, cast, &mapped, d);
        // Gender agreement with the gold pronouns of the mapped entity.
        for c in &cast.characters {
            let Some(e) = mapped.get(&c.id) else { continue };
            let (mut he, mut she) = (0, 0);
            for (s, ent) in &gold.heads {
                if ent != e {
                    continue;
                }
                match gold.head_info.get(s).map(|x| x.1.as_str()) {
                    Some("he" | "him" | "his" | "himself") => he += 1,
                    Some("she" | "her" | "hers" | "herself") => she += 1,
                    _ => {}
                }
            }
            let truth = if he > she {
                "male"
            } else if she > he {
                "female"
            } else {
                continue;
            };
            let key = format!("gender {truth} -> {}", c.gender.as_str());
            d.entry(key).or_default()[0] += 1;
        }
    }
    let mut predicted: HashSet<(usize, String)> = HashSet::new();
    for c in &cast.characters {
        let label = match mapped.get(&c.id) {
            Some(e) => match gold.people.get(e) {
                Some(true) => e.clone(),
                Some(false) => continue, // a minor character: not scored
                None => format!("not-a-person:{e}"),
            },
            None => format!("unmatched:{}", c.id),
        };
        // The symmetric reading of "major": a prediction matching no major character is
        // scored only if it is major itself (>= MAJOR mentions).
        if symmetric && !gold.people.contains_key(&label) && c.mentions.len() < MAJOR {
            continue;
        }
        for m in &c.mentions {
            predicted.insert((paragraph_of(&gold.paragraph_starts, m.start), label.clone()));
        }
    }
    let tp = predicted.intersection(&gold.triples).count();
    if let Some(b) = breakdown.as_deref_mut() {
        let quoted = |para: usize| {
            let (start, end) = gold.scene_range(para);
            gold.text[start..end].contains(['"', '“', '‘'])
        };
        for t in &gold.triples {
            let k = if quoted(t.0) {
                "gold in quote paras"
            } else {
                "gold in narration paras"
            };
            *b.entry(k.to_string()).or_default() += 1;
            if predicted.contains(t) {
                *b.entry(format!("{k}: found")).or_default() += 1;
            }
        }
        if std::env::var_os("CAST_SHOW_FN").is_some() {
            for t in gold.triples.difference(&predicted) {
                if quoted(t.0) {
                    continue;
                }
                let (start, end) = gold.scene_range(t.0);
                let para: String = gold.text[start..end].chars().take(400).collect();
                let mut preds: Vec<&str> = predicted
                    .iter()
                    .filter(|p| p.0 == t.0)
                    .map(|p| p.1.as_str())
                    .collect();
                preds.sort();
                eprintln!(
                    "FN {} kinds {:?} pred {:?}\n   {}",
                    t.1,
                    gold.kinds.get(t),
                    preds,
                    para.replace('\n', " ")
                );
            }
        }
        for t in predicted.difference(&gold.triples) {
            let k = if quoted(t.0) {
                "fp in quote paras"
            } else {
                "fp in narration paras"
            };
            *b.entry(k.to_string()).or_default() += 1;
        }
    }
    if let Some(b) = breakdown {
        for t in predicted.difference(&gold.triples) {
            if std::env::var_os("CAST_SHOW_UNMATCHED").is_some() && !t.1.contains('-') {
                let id: usize =
                    t.1.rsplit(':')
                        .next()
                        .and_then(|x| x.parse().ok())
                        .unwrap_or(0);
                if let Some(c) = cast.characters.get(id) {
                    eprintln!(
                        "UNMATCHED {:?} ({} mentions) aliases {:?}",
                        c.name,
                        c.mentions.len(),
                        c.aliases
                    );
                }
            }
            if std::env::var_os("CAST_SHOW_FP").is_some() && !t.1.contains(':') {
                for c in &cast.characters {
                    if mapped.get(&c.id) != Some(&t.1) {
                        continue;
                    }
                    let spans: Vec<String> = c
                        .mentions
                        .iter()
                        .filter(|m| paragraph_of(&gold.paragraph_starts, m.start) == t.0)
                        .map(|m| format!("{:?}:{}", m.kind, &gold.text[m.start..m.end]))
                        .collect();
                    eprintln!("FP {} para {} via {:?}", t.1, t.0, spans);
                }
            }
            let k = if t.1.starts_with("unmatched:") {
                "fp unmatched cluster"
            } else if t.1.starts_with("not-a-person:") {
                "fp non-person entity"
            } else {
                "fp wrong paragraph"
            };
            *b.entry(k.to_string()).or_default() += 1;
        }
        let mapped_entities: HashSet<&String> = mapped.values().collect();
        if std::env::var_os("CAST_SHOW_MISSING").is_some() {
            show_missing(gold, &mapped_entities);
        }
        for t in gold.triples.difference(&predicted) {
            let k = if mapped_entities.contains(&t.1) {
                match gold.kinds.get(t) {
                    Some(k) if k[0] > 0 => "fn mapped, name in para",
                    Some(k) if k[2] > 0 => "fn mapped, pronoun in para",
                    _ => "fn mapped, epithet only",
                }
            } else {
                "fn entity unmapped"
            };
            if std::env::var_os("CAST_SHOW_UNMAPPED").is_some() && k == "fn mapped, name in para" {
                let (start, end) = gold.scene_range(t.0);
                let names: Vec<&str> = gold
                    .heads
                    .iter()
                    .filter(|(s, e)| *s >= start && *s < end && e == &t.1)
                    .filter_map(|(s, _)| gold.head_info.get(s))
                    .filter(|(k, _)| k == "PROP")
                    .map(|(_, w)| w.as_str())
                    .collect();
                eprintln!("UNMAPPED {} {:?}", t.1, names);
            }
            *b.entry(k.to_string()).or_default() += 1;
        }
    }
    let s = Score {
        tp,
        fp: predicted.len() - tp,
        fn_: gold.triples.len() - tp,
    };
    if verbose {
        let mut by_label: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for t in &predicted {
            by_label.entry(t.1.clone()).or_default().0 += 1;
        }
        for t in &gold.triples {
            by_label.entry(t.1.clone()).or_default().1 += 1;
        }
        for c in &cast.characters {
            eprintln!(
                "  #{} {:?} {} mentions -> {:?} aliases {:?}",
                c.id,
                c.name,
                c.mentions.len(),
                mapped.get(&c.id),
                c.aliases
            );
        }
        let last = gold.paragraph_starts.len();
        for para in 0..last {
            let mut p: Vec<&str> = predicted
                .iter()
                .filter(|t| t.0 == para)
                .map(|t| t.1.as_str())
                .collect();
            let mut g: Vec<&str> = gold
                .triples
                .iter()
                .filter(|t| t.0 == para)
                .map(|t| t.1.as_str())
                .collect();
            p.sort();
            g.sort();
            if p != g {
                let start = gold.paragraph_starts[para];
                let snippet: String = gold.text[start..]
                    .chars()
                    .take(70)
                    .collect::<String>()
                    .replace('\n', " ");
                eprintln!("  para {para}: {snippet}\n      pred {p:?}\n      gold {g:?}");
            }
        }
        for (label, (p, g)) in by_label {
            eprintln!("  {label:<50} predicted paragraphs {p:>3}  gold paragraphs {g:>3}");
        }
    }
    s
}

/// Runs the cast and the name-only baseline on one document after another, printing a row per
/// document, and the micro totals at the end.
pub struct Evaluation {
    verbose: Option<String>,
    documents: usize,
    unaligned: usize,
    total: Score,
    total_base: Score,
    total_sym: Score,
    total_base_sym: Score,
    diag: Diagnosis,
    breakdown: BTreeMap<String, usize>,
}

impl Evaluation {
    /// `verbose`: the id of a document whose cast, mapping and differing scenes go to stderr.
    pub fn new(verbose: Option<String>) -> Self {
        println!(
            "{:<52} {:>5} | {:>5} {:>5} {:>5} | {:>5} {:>5} {:>5}",
            "document", "gold", "P", "R", "F1", "P0", "R0", "F1_0"
        );
        Self {
            verbose,
            documents: 0,
            unaligned: 0,
            total: Score::default(),
            total_base: Score::default(),
            total_sym: Score::default(),
            total_base_sym: Score::default(),
            diag: Diagnosis::new(),
            breakdown: BTreeMap::new(),
        }
    }

    pub fn add(&mut self, doc_id: &str, gold: &GoldDoc) {
        self.documents += 1;
        self.unaligned += gold.unaligned_tokens;
        let cast = analyze(&gold.text);
        let base = analyze_names_only(&gold.text);
        let verbose = self.verbose.as_deref() == Some(doc_id);
        let s = score(
            gold,
            &cast,
            verbose,
            Some(&mut self.diag),
            Some(&mut self.breakdown),
            false,
        );
        let b = score(gold, &base, false, None, None, false);
        self.total_sym
            .add(score(gold, &cast, false, None, None, true));
        self.total_base_sym
            .add(score(gold, &base, false, None, None, true));
        self.total.add(s);
        self.total_base.add(b);
        println!(
            "{:<52} {:>5} | {:>5.2} {:>5.2} {:>5.2} | {:>5.2} {:>5.2} {:>5.2}",
            truncate(doc_id, 52),
            gold.triples.len(),
            s.p(),
            s.r(),
            s.f1(),
            b.p(),
            b.r(),
            b.f1()
        );
    }

    /// Prints the totals; `scenes` says what a scene is ("paragraph", "4 sentences").
    pub fn finish(self, scenes: &str) {
        if std::env::var_os("CAST_DIAGNOSE").is_some() {
            eprintln!("gold mentions of major characters: correct / other character / missed");
            let mut rows: Vec<_> = self.diag.iter().collect();
            rows.sort_by_key(|(_, v)| std::cmp::Reverse(v[0] + v[1] + v[2]));
            for (k, v) in rows.iter().take(25) {
                eprintln!("  {k:<20} {:>5} {:>5} {:>5}", v[0], v[1], v[2]);
            }
            for (k, v) in &self.breakdown {
                eprintln!("  {k:<24} {v:>5}");
            }
        }
        println!();
        println!(
            "documents: {}, gold tokens not aligned to the texts: {}",
            self.documents, self.unaligned
        );
        println!(
            "major characters (>= {MAJOR} mentions), micro over (doc, scene of one {scenes}, character):"
        );
        print_totals(self.total, self.total_base);
        println!(
            "symmetric variant (an unmatched prediction counts only if it has >= {MAJOR} mentions):"
        );
        print_totals(self.total_sym, self.total_base_sym);
    }
}

/// The command line of an evaluation: `[PATH] [--verbose NAME]`.
pub fn args() -> (Option<PathBuf>, Option<String>) {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut path: Option<PathBuf> = None;
    let mut verbose: Option<String> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--verbose" {
            verbose = it.next().cloned();
        } else {
            path = Some(PathBuf::from(a));
        }
    }
    (path, verbose)
}
