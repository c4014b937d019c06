//! `storyreel repl` fed by a pipe: no prompts, multi-line input by the completeness check, and
//! an exit code that tells whether any input failed.

use std::io::Write;
use std::process::{Command, Output, Stdio};

mod common;

fn repl(input: &str) -> Output {
    let ws = tempfile::tempdir().unwrap();
    let mut child = Command::new(common::BIN)
        .args(["repl", "--out"])
        .arg(ws.path())
        .env("STORYREEL_HISTORY", "")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn piped_code_runs_line_by_line_and_block_by_block() {
    let out = repl("print(1+1)\nfn add(a,\n        b) {\n  a + b\n}\n/* a comment\n   over lines */\nadd(40, 2)\n:quit\nprint(\"not reached\")\n");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout,
        "2\n42\n",
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success());
}

#[test]
fn piped_errors_show_the_caret_and_fail_the_exit_code() {
    let out = repl("let x = 1;\nx +* 2\nx\n");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("syntax error in cell 2"), "{stderr}");
    assert!(stderr.contains('^'), "{stderr}");
    assert!(
        !stderr.contains("\x1b["),
        "no colour when not a terminal: {stderr}"
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "1\n");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn piped_commands_work() {
    let out = repl("let s = story(\"T\", \"One.\");\n:vars\n:backend\n:help story\ns.split?\n");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("s     Story"), "{stdout}");
    assert!(stdout.contains("backend: draft"), "{stdout}");
    assert!(stdout.contains("story(title, text) -> Story"), "{stdout}");
    assert!(stdout.contains("options: by, max_words"), "{stdout}");
}
