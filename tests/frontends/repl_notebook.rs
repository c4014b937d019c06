//! Notebook-like semantics in the REPL and scripts: `;` silences a cell, `:save` keeps what
//! succeeded, `:help` shows every member of a name, and errors name the cell and line.

use std::process::Output;

use crate::common;

/// `storyreel repl` in `dir`, fed `input` through a pipe.
fn repl_in(dir: &tempfile::TempDir, input: &str) -> Output {
    common::piped_repl(dir, &[], input)
}

#[test]
fn a_trailing_semicolon_silences_a_cells_value() {
    let (out, _dir) = common::run_script(
        "// %%\nlet s = story(\"T\", \"Once.\");\ns.split(#{ by: \"sentences\" });\n// %%\n\"shown\"\n// %%\n\"hidden\";   // a comment after the ;\n",
        &[],
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert_eq!(common::stdout(&out), "shown\n");
    let dir = tempfile::tempdir().unwrap();
    let out = repl_in(&dir, "1 + 1\n2 + 2;\n");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "2\n");
}

/// The storyboard is `sd_generate(s)`'s value, so it follows the same rule: shown as a cell's
/// last value, quiet after `;` or mid-cell.
#[test]
fn a_storyboard_shows_only_as_a_cells_last_value() {
    let story = "let s = story(\"T\", \"Once upon a time.\\n\\nThe end came.\");\ns.split(#{ min_words: 1 });\n";
    let (out, _dir) = common::run_script(
        &format!("// %%\n{story}// %%\nsd_generate(s, #{{ n: 1 }});\n// %%\nsd_generate(s, #{{ n: 1 }});\n\"after\"\n"),
        &[],
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert_eq!(common::stdout(&out), "after\n");
    let (out, _dir) = common::run_script(
        &format!("// %%\n{story}// %%\nsd_generate(s, #{{ n: 1 }})\n"),
        &[],
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
    let text = common::stdout(&out);
    assert!(text.starts_with("T — storyboard\nsheet: "), "{text}");
    assert!(text.contains("scene 1"), "{text}");
}

#[test]
fn save_writes_only_the_cells_that_succeeded() {
    let dir = tempfile::tempdir().unwrap();
    let out = repl_in(
        &dir,
        "let a = 1;\nlet b = missing + 1;\nlet c = a + 1;\n:save saved.rhai\n",
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("saved 2 cells"), "{stdout}");
    let saved = std::fs::read_to_string(dir.path().join("saved.rhai")).unwrap();
    assert_eq!(saved, "// %%\nlet a = 1;\n\n// %%\nlet c = a + 1;\n");
}

#[test]
fn errors_at_the_prompt_say_cell_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = repl_in(
        &dir,
        "let a = 1;\nlet s = story(\"T\", \"Once.\"); s.charcters\n",
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error in cell 2, line 1:"), "{stderr}");
    assert!(!stderr.contains("<input>"), "{stderr}");
}

#[test]
fn help_shows_every_member_of_a_name_and_the_options_of_split() {
    let dir = tempfile::tempdir().unwrap();
    let out = repl_in(&dir, ":help pick\ncharacters?\nsplit?\n:help fps\n");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("s.pick(") && stdout.contains("sc.pick(k)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("s.characters -> [Character]")
            && stdout.contains("sc.characters -> [string]"),
        "{stdout}"
    );
    // Each option with what it takes, its default and its meaning.
    let line = |name: &str| {
        stdout
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no line for {name}: {stdout}"))
    };
    assert!(line("min_words").contains("default 12"), "{stdout}");
    assert!(line("max_words").contains("default 45"), "{stdout}");
    let sentences = line("sentences");
    assert!(
        sentences.contains("sentences per scene") && sentences.contains("default 2"),
        "{stdout}"
    );
    // An option's name finds the primitives that take it.
    assert!(
        stdout.contains("fps: an option of render(story, #{")
            && stdout.contains("frames per second — an integer from 1 to 120; default 30"),
        "{stdout}"
    );
}
