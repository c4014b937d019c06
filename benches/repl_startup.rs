//! Start-up of `storyreel repl` to its first prompt, in a pseudo-terminal, against the start-up
//! of `storyreel --version` measured in the same run. Target: under 150 ms (release build).
//!
//! Run: `cargo bench --bench repl_startup`

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use nix::pty::{openpty, Winsize};

const RUNS: usize = 20;
const TARGET_MS: f64 = 150.0;

fn main() {
    let bin = env!("CARGO_BIN_EXE_storyreel");
    let dir = tempfile::tempdir().unwrap();
    // A full history file, as a long-time user has.
    let history = dir.path().join("history");
    let lines: Vec<String> = (0..1000).map(|i| format!("let x{i} = {i};")).collect();
    std::fs::write(&history, lines.join("\n")).unwrap();

    // Warm the file cache once before timing either.
    time_version(bin);
    time_to_prompt(bin, dir.path());

    let baseline = median((0..RUNS).map(|_| time_version(bin)).collect());
    let repl = median((0..RUNS).map(|_| time_to_prompt(bin, dir.path())).collect());
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "storyreel --version (process start, baseline): {:.1} ms",
        ms(baseline)
    );
    println!(
        "storyreel repl, start to first prompt:         {:.1} ms",
        ms(repl)
    );
    println!(
        "ratio repl / baseline: {:.2}x; target < {TARGET_MS} ms: {}",
        ms(repl) / ms(baseline),
        if ms(repl) < TARGET_MS {
            "met"
        } else {
            "MISSED"
        }
    );
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn time_version(bin: &str) -> Duration {
    let started = Instant::now();
    let status = Command::new(bin)
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    started.elapsed()
}

/// Spawns the REPL on a pseudo-terminal and reads until the prompt shows, then quits it.
fn time_to_prompt(bin: &str, dir: &std::path::Path) -> Duration {
    let size = Winsize {
        ws_row: 40,
        ws_col: 120,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    let pty = openpty(Some(&size), None).unwrap();
    let started = Instant::now();
    let mut child = Command::new(bin)
        .args(["repl", "--out"])
        .arg(dir.join("ws"))
        .env("STORYREEL_HISTORY", dir.join("history"))
        .stdin(Stdio::from(pty.slave.try_clone().unwrap()))
        .stdout(Stdio::from(pty.slave.try_clone().unwrap()))
        .stderr(Stdio::from(pty.slave))
        .spawn()
        .unwrap();
    let mut master = std::fs::File::from(pty.master);
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    let elapsed = loop {
        let n = master.read(&mut buf).expect("the REPL printed its prompt");
        assert!(n > 0, "the REPL ended before its prompt");
        seen.extend_from_slice(&buf[..n]);
        if seen.windows(7).any(|w| w == b"In [1]:") {
            break started.elapsed();
        }
    };
    master.write_all(b":quit\r").unwrap();
    child.wait().unwrap();
    elapsed
}
