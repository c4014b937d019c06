//! Work that must grow linearly with its input: `a.push(i)` in a session, and a long block
//! piped into the REPL. Each prints the time for N and for 2N with their ratio (2.0 is linear,
//! 4.0 quadratic); the REPL block is also set against `storyreel run` of the same code.
//!
//! Usage: `cargo build --release && cargo run --release --example growth_bench`
//! (`STORYREEL_BENCH_QUICK=1` for smaller sizes).

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Instant;

use storyreel::runtime::display::Recorder;
use storyreel::runtime::memory::CountingAllocator;
use storyreel::runtime::{Session, Workspace};

/// As in the `storyreel` binary: memory is bounded by counting bytes, not by Rhai's size walk.
#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

fn main() {
    ALLOCATOR.enable();
    let quick = std::env::var_os("STORYREEL_BENCH_QUICK").is_some();
    let pushes = if quick { 50_000 } else { 200_000 };
    let lines = if quick { 1_000 } else { 4_000 };

    let push = |n: usize| {
        let mut session = Session::new(
            Arc::new(Recorder::default()),
            Workspace::new("/nonexistent"),
        );
        let started = Instant::now();
        let len = session
            .run_input(
                &format!("let a = []; for i in 0..{n} {{ a.push(i); }} a.len()"),
                1,
            )
            .expect("pushes run");
        assert_eq!(len.as_int().ok(), Some(n as i64));
        started.elapsed().as_secs_f64()
    };
    let (one, two) = (push(pushes), push(2 * pushes));
    println!(
        "a.push(i): {pushes} in {one:.3} s, {} in {two:.3} s: ratio {:.2} (2.00 is linear)",
        2 * pushes,
        two / one
    );

    let Some(bin) = storyreel_binary() else {
        println!("piped REPL: SKIPPED (build the binary first: cargo build --release)");
        return;
    };
    let block = |n: usize| {
        let mut code = String::from("let total = 0;\nif true {\n");
        for i in 0..n {
            code.push_str(&format!("  total += {i};\n"));
        }
        code.push_str("}\nprint(total);\n");
        code
    };
    let (one, two) = (piped(&bin, &block(lines)), piped(&bin, &block(2 * lines)));
    let baseline = run(&bin, &block(2 * lines));
    println!(
        "piped REPL block: {lines} lines in {one:.3} s, {} in {two:.3} s: ratio {:.2} (2.00 is linear); `storyreel run` of the {}-line block {baseline:.3} s: REPL/run {:.2}",
        2 * lines,
        two / one,
        2 * lines,
        two / baseline
    );
}

/// The `storyreel` binary beside this example's (target/release/storyreel).
fn storyreel_binary() -> Option<std::path::PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let bin = exe.parent()?.parent()?.join("storyreel");
    bin.exists().then_some(bin)
}

fn piped(bin: &std::path::Path, code: &str) -> f64 {
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let mut child = Command::new(bin)
        .args(["repl", "--no-images", "--out"])
        .arg(dir.path())
        .env("STORYREEL_HISTORY", dir.path().join("history"))
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(code.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
    started.elapsed().as_secs_f64()
}

fn run(bin: &std::path::Path, code: &str) -> f64 {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("block.rhai");
    std::fs::write(&script, code).unwrap();
    let started = Instant::now();
    let status = Command::new(bin)
        .arg("run")
        .arg(&script)
        .arg("--out")
        .arg(dir.path())
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    started.elapsed().as_secs_f64()
}
