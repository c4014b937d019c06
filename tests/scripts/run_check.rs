//! Long runs fail early: `storyreel run` parses every cell before running any, and
//! `storyreel run --check` runs scripts end to end in seconds, without servers, so that the
//! errors a real run would meet late surface first.

use crate::common;

use common::{run_script, stderr, stdout, BIN};
use std::process::Command;

const STORY: &str = "let s = story(\"The Frog\", \"The princess sat by the well.\\n\\nThe frog rose from the water.\\n\\nShe kissed the frog.\");\ns.split(#{ by: \"sentences\", sentences: 1 });\n";

#[test]
fn a_syntax_error_in_the_last_cell_stops_the_script_before_its_first_cell_runs() {
    let (out, dir) = run_script(
        "// %% 1. Slow work\nprint(\"first cell ran\");\n// %% 2. Typo\nlet x = ;\n",
        &[],
    );
    assert!(!out.status.success());
    assert!(!stdout(&out).contains("first cell ran"), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "{}:4:9: syntax error in cell 2 \"2. Typo\"",
            dir.path().join("story.rhai").display()
        )),
        "{err}"
    );
    assert!(err.contains("FAILED"), "{err}");
}

#[test]
fn every_script_of_a_batch_is_parsed_before_the_first_runs() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.rhai");
    let bad = dir.path().join("bad.rhai");
    std::fs::write(&good, "print(\"good ran\");\n").unwrap();
    std::fs::write(&bad, "print(\"bad ran\");\nlet = 1;\n").unwrap();
    let out = Command::new(BIN)
        .args([
            "run",
            good.to_str().unwrap(),
            bad.to_str().unwrap(),
            "--out",
        ])
        .arg(dir.path().join("ws"))
        .output()
        .unwrap();
    let err = stderr(&out);
    // The syntax error is reported before the good script's output.
    let syntax_at = err.find("bad.rhai:2:5: syntax error").expect(&err);
    assert!(!err[..syntax_at].contains("== "), "{err}");
    assert_eq!(stdout(&out), "good ran\n");
    assert!(!out.status.success());
}

#[test]
fn check_uses_draft_images_whatever_the_backend_and_says_what_the_real_run_would_do() {
    let (out, dir) = run_script(
        &format!(
            "{STORY}// %%\nbackend(\"a1111\", #{{ url: \"http://127.0.0.1:9\", steps: 25 }});\nsd_generate(s, #{{ n: 2 }});\ns.pick([0, 1, 0]);\n// %%\nrender(s, #{{ out: \"frog.mp4\", captions: true }})\n"
        ),
        &["--check"],
    );
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("summary (check mode):"), "{err}");
    assert!(
        err.contains("would generate 6 images on a1111 at http://127.0.0.1:9"),
        "{err}"
    );
    assert!(
        err.contains("would render the-frog/frog.mp4 (1080x1920, 3 scenes, no narration"),
        "{err}"
    );
    // Nothing is left in the real workspace.
    let ws = dir.path().join("ws");
    assert!(
        !ws.exists() || std::fs::read_dir(&ws).unwrap().next().is_none(),
        "check mode wrote into the workspace"
    );
}

#[test]
fn check_surfaces_late_errors_a_missing_music_file_and_an_unknown_scene() {
    let (out, _dir) = run_script(
        &format!("{STORY}sd_generate(s, #{{ n: 1 }});\n// %%\nrender(s, #{{ music: \"missing.mp3\" }})\n"),
        &["--check"],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("music: file not found: \"missing.mp3\""),
        "{}",
        stderr(&out)
    );
    let (out, _dir) = run_script(
        &format!("{STORY}sd_generate(s, #{{ n: 1 }});\n// %%\nrender(s, #{{ scenes: [9] }})\n"),
        &["--check"],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains(
            "render: option \"scenes\" names scene 9; the story has 3 scenes, numbered 0 to 2"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn check_surfaces_a_bad_espeak_voice() {
    if !common::require("espeak-ng", "the check narrates with espeak-ng") {
        return;
    }
    let (out, _dir) = run_script(
        &format!("{STORY}sd_generate(s, #{{ n: 1 }});\n// %%\nrender(s, #{{ voice: \"espeak:en_US\" }})\n"),
        &["--check"],
    );
    assert!(!out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("en_US"), "{}", stderr(&out));
}
