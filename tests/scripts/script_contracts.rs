//! Small contracts of primitives: where `out` may point, options of the wrong type, aliases
//! that would swallow another character, and errors named after the primitive that met them.

use crate::common;

use common::{run_script, stderr, BIN};
use std::process::Command;

const TINY: &str = r#"backend("draft");
let s = story("Tiny", "Anna walked to the old mill at dawn.");
sd_generate(s);
"#;

fn render_err(out_option: &str) -> String {
    let (out, _dir) = run_script(
        &format!("{TINY}render(s, #{{ format: #{{ width: 90, height: 160 }}, voice: \"none\", out: {out_option} }});\n"),
        &[],
    );
    assert!(!out.status.success(), "out: {out_option} was accepted");
    stderr(&out)
}

#[test]
fn out_paths_that_name_no_video_file_are_clear_errors() {
    for bad in [r#""""#, r#"".""#, r#""..""#, r#""videos/""#, r#""~""#] {
        let err = render_err(bad);
        assert!(
            err.contains("render: option \"out\" is") && err.contains("give a video file name"),
            "{bad}: {err}"
        );
    }
    let err = render_err(r#""a\x00b.mp4""#);
    assert!(err.contains("contains a NUL character"), "{err}");
}

#[test]
fn a_tilde_in_out_is_the_home_folder() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("s.rhai");
    std::fs::write(
        &script,
        format!("{TINY}render(s, #{{ format: #{{ width: 90, height: 160 }}, voice: \"none\", out: \"~/clips/tiny.mp4\" }});\n"),
    )
    .unwrap();
    let out = Command::new(BIN)
        .arg("run")
        .arg(&script)
        .arg("--out")
        .arg(dir.path().join("ws"))
        .current_dir(dir.path())
        .env("HOME", dir.path().join("home"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.path().join("home/clips/tiny.mp4").exists());
    assert!(!dir.path().join("~").exists(), "no folder named ~");
}

#[test]
fn backend_options_of_the_wrong_type_are_refused() {
    let (out, _d) = run_script("backend(\"a1111\", #{ ip_adapter: 5 });", &[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("option \"ip_adapter\" is 5; expected a map"),
        "{err}"
    );
    let (out, _d) = run_script("backend(\"a1111\", #{ urls: [\"http://a\", 7] });", &[]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("\"urls\" holds a i64"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_alias_naming_a_described_character_asks_for_merge() {
    let (out, _d) = run_script(
        r#"let s = story("Ring", "Siegfried met Mime at the forge. Mime grumbled.");
let sieg = s.add(character("Siegfried", "young hero"));
s.add(character("Mime", "old dwarf smith"));
sieg.aliases = ["Mime"];
"#,
        &[],
    );
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("aliases: \"Mime\" is the character \"Mime\"")
            && err.contains("s.merge(\"Siegfried\", \"Mime\")"),
        "{err}"
    );
}

#[test]
fn merge_errors_say_merge_once() {
    let (out, _d) = run_script(
        r#"let s = story("Ring", "Siegfried met Mime.");
s.add(character("Siegfried", "young hero"));
s.merge("Siegfried", "Siegfried");
"#,
        &[],
    );
    let err = stderr(&out);
    assert!(err.contains("merge: \"Siegfried\" and"), "{err}");
    assert!(!err.contains("merge: merge:"), "{err}");
}

#[test]
fn contact_sheet_and_animatic_errors_carry_their_own_names() {
    for primitive in ["contact_sheet", "animatic"] {
        let (out, _d) = run_script(
            &format!("let s = story(\"Empty\", \"\");\n{primitive}(s);\n"),
            &[],
        );
        assert!(!out.status.success());
        let err = stderr(&out);
        assert!(
            err.contains(&format!("{primitive}: nothing to render")),
            "{err}"
        );
        assert!(!err.contains(": render: "), "{err}");
    }
}
