//! `storyreel repl` fed by a pipe: no prompts, multi-line input by the completeness check, and
//! an exit code that tells whether any input failed.

use std::process::Output;

use crate::common;

fn repl(input: &str) -> Output {
    common::piped_repl(&tempfile::tempdir().unwrap(), &[], input)
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
    assert!(
        stdout.contains("s.split(#{ by, max_words") && stdout.contains("\nOptions:\n  by "),
        "{stdout}"
    );
}

#[test]
fn a_loaded_script_runs_edits_and_saves_by_commands() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("story.rhai"),
        "// %% 1. Setup\nlet a = 20;\n// %% [markdown] Notes\n// prose\n// %% 3. Show\nprint(`a=${a}`);\n",
    )
    .unwrap();
    let input = ":cells\n:next\n:next\n:next\n:edit 1\n:run 1..3\n:run 9\n:save out.rhai\n";
    let out = common::piped_repl(&dir, &["story.rhai"], input);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("→  1  1. Setup"), "{stdout}");
    assert!(stdout.contains("[markdown] Notes"), "{stdout}");
    assert!(stdout.contains("a=20\n"), "{stdout}");
    assert!(stdout.contains("no more cells"), "{stdout}");
    assert!(stdout.contains("cell 1 updated"), "{stdout}");
    assert!(stdout.contains("a=30\n"), "{stdout}");
    assert!(stderr.contains("this script has cells 1 to 3"), "{stderr}");
    let saved = std::fs::read_to_string(dir.path().join("out.rhai")).unwrap();
    assert_eq!(
        saved,
        "// %% 1. Setup\nlet a = 20;\n\n// %% 3. Show\nprint(`a=${a}`);\n\n// %% 1. Setup\nlet a = 30;\n\n// %% 3. Show\nprint(`a=${a}`);\n"
    );
    // The script file itself is untouched by :edit.
    let original = std::fs::read_to_string(dir.path().join("story.rhai")).unwrap();
    assert!(original.contains("let a = 20;"));
}
