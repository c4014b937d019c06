//! `storyreel run --check` on the four example scripts, beside their full run (the baseline,
//! measured in the same run). The check must take seconds: it exists so that a long run's late
//! errors surface before it.
//!
//! cargo build --release && cargo run --release --example check_bench
//! (`STORYREEL_BENCH_QUICK=1` skips the full run.)

mod bench_bin;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const SCRIPTS: &[&str] = &[
    "scripts/quickstart.rhai",
    "scripts/siegfried.rhai",
    "scripts/little-mermaid.rhai",
    "scripts/suns.rhai",
];

fn main() {
    let storyreel = bench_bin::storyreel();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scripts: Vec<PathBuf> = SCRIPTS.iter().map(|s| repo.join(s)).collect();

    let check = time(&storyreel, &scripts, &["--check"]);
    println!("run --check, 4 example scripts: {check:.2} s");
    if std::env::var("STORYREEL_BENCH_QUICK").as_deref() == Ok("1") {
        return;
    }
    let full = time(&storyreel, &scripts, &[]);
    println!("full run (draft images), same scripts: {full:.2} s");
    println!(
        "the check takes {:.1}% of the full run ({:.1}x faster)",
        100.0 * check / full,
        full / check
    );
}

/// Seconds `storyreel run ARGS SCRIPTS` takes in a fresh workspace; panics when it fails.
fn time(storyreel: &Path, scripts: &[PathBuf], args: &[&str]) -> f64 {
    let workspace = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let out = Command::new(storyreel)
        .arg("run")
        .args(args)
        .args(scripts)
        .arg("--out")
        .arg(workspace.path())
        .output()
        .unwrap();
    let secs = started.elapsed().as_secs_f64();
    assert!(
        out.status.success(),
        "storyreel run {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    secs
}
