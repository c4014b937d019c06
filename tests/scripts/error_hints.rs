//! Errors point at the mistake and suggest the fix.

use crate::common;

use common::{run_script, stderr};

const STORY: &str = "let s = story(\"The Frog\", \"The princess sat by the well. The frog rose from the water.\\n\\nShe kissed the frog.\");\ns.split(#{ by: \"sentences\", sentences: 1 });\n";

fn error_of(source: &str) -> String {
    let (out, _dir) = run_script(source, &[]);
    assert!(!out.status.success(), "the script should fail");
    stderr(&out)
}

#[test]
fn a_missing_semicolon_is_shown_where_it_belongs() {
    let err = error_of("// %%\nlet a = 1;\nlet b = a + 1   // a comment\n\nprint(b);\n");
    assert!(err.contains("add ';' at the end of line 3"), "{err}");
    assert!(err.contains(":3:14: syntax error"), "{err}");
    let caret = format!("3 | let b = a + 1   // a comment\n  | {}^", " ".repeat(13));
    assert!(err.contains(&caret), "{err}");
}

#[test]
fn misspelt_members_functions_styles_and_characters_get_a_did_you_mean() {
    let err = error_of(&format!("{STORY}s.charcters\n"));
    assert!(
        err.contains("Unknown property 'charcters'") && err.contains("(did you mean characters?)"),
        "{err}"
    );
    let err = error_of(&format!("{STORY}sd_generat(s, #{{ n: 1 }});\n"));
    assert!(err.contains("(did you mean sd_generate?)"), "{err}");
    let err = error_of(&format!("{STORY}s.style = styles::storybok;\n"));
    assert!(err.contains("(did you mean styles::storybook?)"), "{err}");
    let err = error_of(&format!(
        "{STORY}s.add(character(\"the frog\"));\ns.character(\"frgo\").description = \"green\";\n"
    ));
    assert!(err.contains("Did you mean \"the frog\"?"), "{err}");
}

#[test]
fn a_character_is_found_without_its_article() {
    let (out, _dir) = run_script(
        &format!("{STORY}s.add(character(\"the frog\"));\nprint(s.character(\"frog\").name);\n"),
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(common::stdout(&out), "the frog\n");
}

#[test]
fn messages_name_the_right_primitive_and_hint_the_format() {
    let err = error_of(&format!(
        "{STORY}sd_generate(s, #{{ n: 1 }});\nrender(s, #{{ scenes: [9] }});\n"
    ));
    assert!(
        err.contains(
            "render: option \"scenes\" names scene 9; the story has 3 scenes, numbered 0 to 2"
        ),
        "{err}"
    );
    let err = error_of(&format!(
        "{STORY}sd_generate(s, #{{ n: 1 }});\nrender(s, #{{ format: \"9x16\" }});\n"
    ));
    assert!(err.contains("write \"9:16\""), "{err}");
    let err = error_of(&format!(
        "{STORY}sd_generate(s.scene(0), #{{ width: 500 }});\n"
    ));
    assert!(err.contains("between 64 and 4096"), "{err}");
}

#[test]
fn counts_are_singular_or_plural() {
    let err = error_of("let s = story(\"T\", \"Once.\");\ns.scene(3);\n");
    assert!(err.contains("the story has 1 scene, numbered 0"), "{err}");
    let (out, _dir) = run_script("let s = story(\"T\", \"Once.\");\nprint(s);\ns\n", &[]);
    let text = common::stdout(&out);
    assert!(
        text.contains("(1 scene, 0 characters)") && text.contains("1 scene, 1 word,"),
        "{text}"
    );
}

#[test]
fn picking_for_too_many_scenes_picks_nothing() {
    let err = error_of(&format!(
        "{STORY}sd_generate(s, #{{ n: 2 }});\ns.pick([1, 1, 1, 1]);\n"
    ));
    assert!(
        err.contains("4 picks given") && err.contains("nothing was picked"),
        "{err}"
    );
    let (out, _dir) = run_script(
        &format!("{STORY}sd_generate(s, #{{ n: 2 }});\ntry {{ s.pick(#{{ \"0\": 1, \"1\": 5 }}); }} catch {{}}\nprint(`nothing picked: ${{s.scene(0).picked == ()}}`);\n"),
        &[],
    );
    assert!(
        common::stdout(&out).contains("nothing picked: true"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn rendering_without_images_says_to_generate_first() {
    let err = error_of(&format!(
        "{STORY}sd_generate(s.scene(0), #{{ n: 1 }});\nrender(s);\n"
    ));
    assert!(
        err.contains("scenes 1, 2 have no image; run sd_generate(s) first"),
        "{err}"
    );
}

#[test]
fn assigning_through_add_says_to_keep_the_character_in_a_variable() {
    let err = error_of(&format!(
        "{STORY}s.add(character(\"the frog\")).description = \"green\";\n"
    ));
    assert!(
        err.contains("let c = s.add(character(…)); c.reference = …"),
        "{err}"
    );
}

#[test]
fn a_misspelt_lookup_in_an_assignment_names_the_method_meant() {
    let err = error_of(&format!(
        "{STORY}s.charcter(\"the frog\").description = \"green\";\n"
    ));
    assert!(
        err.contains("there is no method \"charcter\" (did you mean character?)"),
        "{err}"
    );
    assert!(!err.contains("keep it in a variable"), "{err}");
    let err = error_of(&format!("{STORY}s.scene(0).promt = \"x\";\n"));
    assert!(err.contains("(did you mean prompt?)"), "{err}");
}

#[test]
fn a_style_that_is_no_preset_lists_the_presets() {
    let err = error_of(&format!("{STORY}s.style = styles::impressionist;\n"));
    assert!(
        err.contains("the style presets are") && err.contains("styles::watercolor"),
        "{err}"
    );
}

#[test]
fn an_unknown_option_is_pointed_at_in_the_map() {
    let err = error_of(&format!("{STORY}sd_generate(s, #{{ n: 1, sed: 3 }});\n"));
    assert!(err.contains("unknown option \"sed\""), "{err}");
    let caret = format!("  | {}^", " ".repeat("sd_generate(s, #{ n: 1, ".len()));
    assert!(err.contains(&caret), "{err}");
}

#[test]
fn an_empty_story_file_is_refused_where_it_is_read() {
    let err = error_of("let s = story_file(\"empty.txt\");\n");
    // The file does not exist yet: the script's folder is the current one, looked at once.
    let looked = err.split("(looked at ").nth(1).expect(&err);
    let looked = &looked[..looked.find(')').unwrap()];
    assert!(
        looked.ends_with("empty.txt") && !looked.contains(", "),
        "{err}"
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.txt"), "\n  \n").unwrap();
    let script = dir.path().join("story.rhai");
    std::fs::write(
        &script,
        "let s = story_file(\"empty.txt\");\nprint(s.len());\n",
    )
    .unwrap();
    let out = std::process::Command::new(common::BIN)
        .arg("run")
        .arg(&script)
        .arg("--out")
        .arg(dir.path().join("ws"))
        .current_dir(dir.path())
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains("is empty: a story file needs the story's text"),
        "{err}"
    );
}
