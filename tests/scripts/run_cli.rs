//! `storyreel run` end to end: real scripts through the real binary.

use crate::common;

use common::{repo, run_script, stderr, stdout, BIN};
use std::process::Command;

#[test]
fn variables_and_functions_persist_across_cells() {
    let (out, _dir) = run_script(
        "// %% one\nlet x = 20;\nfn add(a, b) { a + b }\n// %% two\nlet y = add(x, 1);\n// %% three\nprint(add(y, y));\n",
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "42");
}

#[test]
fn last_value_of_a_cell_is_displayed_and_unit_is_not() {
    let (out, _dir) = run_script("// %%\nlet a = 1;\n// %%\n`shown ${a}`\n", &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "shown 1\n");
}

#[test]
fn a_list_of_characters_shows_as_a_table_of_them() {
    let (out, _dir) = run_script(
        "let s = story(\"T\", \"Once.\");\nlet m = s.add(character(\"Mime\", \"old dwarf smith\"));\nm.aliases = [\"the dwarf\"];\ns.add(character(\"Siegfried\", \"young hero\"));\ns.characters\n",
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("2 characters\n"), "{text}");
    let mime = text.lines().find(|l| l.starts_with("Mime ")).expect(&text);
    assert!(
        mime.contains("the dwarf") && mime.contains("old dwarf smith"),
        "{text}"
    );
    assert!(text.contains("Siegfried"), "{text}");
    assert!(!text.contains("CharacterRef"), "{text}");
}

#[test]
fn errors_show_file_line_column_cell_and_caret() {
    let (out, dir) = run_script(
        "// %% setup\nlet a = 1;\n\n// %% 2. Broken\nlet b = 2;\nlet c = a + missing;\n",
        &[],
    );
    assert!(!out.status.success());
    let err = stderr(&out);
    let script = dir.path().join("story.rhai");
    let expected = format!(
        "{}:6:13: error in cell 2 \"2. Broken\": Variable not found: missing",
        script.display()
    );
    assert!(err.contains(&expected), "{err}");
    assert!(
        err.contains("6 | let c = a + missing;\n  |             ^"),
        "{err}"
    );
}

#[test]
fn syntax_errors_point_at_the_file_line() {
    let (out, dir) = run_script("// %%\nlet ok = 1;\n// %%\nlet = 5;\n", &[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "{}:4:5: syntax error in cell 2",
            dir.path().join("story.rhai").display()
        )),
        "{err}"
    );
}

#[test]
fn errors_inside_functions_show_the_call_chain() {
    let (out, _dir) = run_script(
        "// %% defs\nfn inner(x) {\n  x.no_such_method()\n}\nfn outer(x) { inner(x) }\n// %% call\nouter(1);\n",
        &[],
    );
    let err = stderr(&out);
    assert!(err.contains(":3:5: error in cell 1 \"defs\""), "{err}");
    assert!(err.contains("in inner(), called at"), "{err}");
    assert!(
        err.contains("in outer(), called at") && err.contains(":7:1"),
        "{err}"
    );
}

#[test]
fn option_errors_name_the_option_the_value_and_what_is_allowed() {
    let (out, _dir) = run_script(
        "let s = story(\"T\", \"Once.\");\ns.split(#{ by: \"chapters\" });\n",
        &[],
    );
    let err = stderr(&out);
    assert!(
        err.contains("split: option \"by\" is \"chapters\"; allowed: \"paragraphs\", \"sentences\", \"markers\", \"words\""),
        "{err}"
    );
    let (out, _dir) = run_script(
        "let s = story(\"T\", \"Once.\");\ns.split(#{ max_word: 3 });\n",
        &[],
    );
    assert!(
        stderr(&out).contains("unknown option \"max_word\" (did you mean max_words?)"),
        "{}",
        stderr(&out)
    );
    let (out, _dir) = run_script(
        "let s = story(\"T\", \"Once.\");\ns.format = \"4:3\";\n",
        &[],
    );
    assert!(
        stderr(&out).contains("format is \"4:3\"; allowed: \"9:16\""),
        "{}",
        stderr(&out)
    );
    let (out, _dir) = run_script(
        "let s = story(\"T\", \"Once.\");\ns.format = #{ width: 500, height: 512 };\n",
        &[],
    );
    assert!(
        stderr(&out).contains("width is 500; it must be a multiple of 8"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn example_stories_split_within_max_words_and_not_after_titles() {
    for (file, max) in [
        ("little-mermaid.txt", 45),
        ("siegfried-bulfinch.txt", 30),
        ("aztec-suns-spence.txt", 60),
    ] {
        for by in ["paragraphs", "words"] {
            let path = repo(&format!("scripts/stories/{file}"));
            let script = format!(
                "let s = story_file(\"{}\");\ns.split(#{{ by: \"{by}\", max_words: {max} }});\nlet most = 0;\nfor sc in s.scenes {{ if sc.words > most {{ most = sc.words; }} }}\nprint(`${{s.len()}} ${{most}}`);\nfor sc in s.scenes {{ print(sc.text); }}\n",
                path.display()
            );
            let (out, _dir) = run_script(&script, &[]);
            assert!(out.status.success(), "{}", stderr(&out));
            let text = stdout(&out);
            let mut lines = text.lines();
            let summary: Vec<usize> = lines
                .next()
                .unwrap()
                .split(' ')
                .map(|n| n.parse().unwrap())
                .collect();
            assert!(summary[0] > 5, "{file} by {by}: only {} scenes", summary[0]);
            assert!(
                summary[1] <= max,
                "{file} by {by}: a scene has {} words (max {max})",
                summary[1]
            );
            for scene in lines {
                for title in ["Mr.", "Mrs.", "Dr.", "St."] {
                    assert!(
                        !scene.ends_with(title),
                        "{file}: scene split after {title}: {scene}"
                    );
                }
            }
        }
    }
}

#[test]
fn no_split_after_titles_in_a_story_with_them() {
    let (out, _dir) = run_script(
        "let s = story(\"T\", \"Mr. Bennet met Dr. Watson at St. Paul's. They spoke. Mrs. Hudson laughed.\");\ns.split(#{ by: \"sentences\", sentences: 1 });\nfor sc in s.scenes { print(sc.text); }\n",
        &[],
    );
    assert_eq!(
        stdout(&out),
        "Mr. Bennet met Dr. Watson at St. Paul's.\nThey spoke.\nMrs. Hudson laughed.\n"
    );
}

#[test]
fn prompts_compose_hand_added_characters_present_in_each_scene() {
    let (out, _dir) = run_script(
        r#"let s = story("T", "Mime forged a sword in the dark smithy.\n\nThe dragon slept on its gold in a cave far away.");
s.split(#{ min_words: 1 });
s.style = "woodcut";
s.suffix = "high detail";
s.add(character("Mime", "old dwarf smith"));
let d = s.add(character("Fafner", "black dragon"));
d.aliases = ["the dragon"];
print(s.scene(0).prompt);
print(s.scene(1).prompt);
print(s.scene(1).characters);
s.scene(1).prompt = "my own prompt";
print(s.scene(1).prompt);
s.scene(1).prompt = "";
d.excluded = true;
print(s.scene(1).prompt);
"#,
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<String> = stdout(&out).lines().map(String::from).collect();
    assert_eq!(
        lines[0],
        "Mime, old dwarf smith, Mime forged a sword in the dark smithy., woodcut, high detail"
    );
    assert_eq!(lines[1], "Fafner, black dragon, The dragon slept on its gold in a cave far away., woodcut, high detail");
    assert_eq!(lines[2], "[\"Fafner\"]");
    assert_eq!(lines[3], "my own prompt");
    assert_eq!(
        lines[4],
        "The dragon slept on its gold in a cave far away., woodcut, high detail"
    );
}

#[test]
fn style_presets_come_from_the_stdlib() {
    let (out, _dir) = run_script(
        "let s = story(\"T\", \"x\");\ns.style = styles::watercolor;\nprint(s.style == styles::get(\"watercolor\"));\nprint(styles::names().len() >= 12);\nstyles::get(\"nope\")\n",
        &[],
    );
    assert_eq!(stdout(&out), "true\ntrue\n");
    assert!(
        stderr(&out).contains("no style \"nope\"; available:"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_failing_script_does_not_stop_the_batch_and_the_summary_lists_each() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.rhai");
    let bad = dir.path().join("bad.rhai");
    let good2 = dir.path().join("good2.rhai");
    std::fs::write(&good, "print(\"first\");").unwrap();
    std::fs::write(&bad, "// %% oops\nthrow \"boom\";").unwrap();
    std::fs::write(&good2, "print(\"third\");").unwrap();
    let out = Command::new(BIN)
        .arg("run")
        .args([&good, &bad, &good2])
        .arg("--out")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "first\nthird\n");
    let err = stderr(&out);
    assert!(
        err.contains("ok ") && err.contains("good.rhai (1 cell,"),
        "{err}"
    );
    assert!(
        err.contains("FAILED") && err.contains("bad.rhai: cell 1 \"oops\": boom"),
        "{err}"
    );
    assert!(err.contains("2 of 3 scripts succeeded"), "{err}");
}

#[test]
fn cells_option_selects_a_range() {
    let (out, _dir) = run_script(
        "print(1);\n// %%\nprint(2);\n// %%\nprint(3);\n// %%\nprint(4);\n",
        &["--cells", "2..3"],
    );
    assert_eq!(stdout(&out), "2\n3\n");
    let (out, _dir) = run_script("print(1);\n", &["--cells", "5"]);
    assert!(
        stderr(&out).contains("this script has cells 1 to 1"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn missing_files_are_named() {
    let (out, _dir) = run_script("let s = story_file(\"nowhere/story.txt\");\n", &[]);
    assert!(
        stderr(&out).contains("story_file: file not found: \"nowhere/story.txt\""),
        "{}",
        stderr(&out)
    );
    let (out, _dir) = run_script("let i = image(\"story.rhai\");\n", &[]);
    assert!(
        stderr(&out).contains("image: cannot read"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn quickstart_runs_end_to_end_to_a_video() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args(["run", "scripts/quickstart.rhai", "--out"])
        .arg(dir.path())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    // Tables wrap long cells; compare with whitespace collapsed.
    let text = stdout(&out)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("Siegfried and the Dragon — 4 scenes"),
        "{text}"
    );
    assert!(text.contains("— cast"), "{text}");
    assert!(text.contains("— prompts"), "{text}");
    assert!(text.contains("Fafner, colossal black dragon"), "{text}");
    assert!(text.contains("storyboard"), "{text}");
    let video = dir.path().join("siegfried-and-the-dragon/quickstart.mp4");
    assert!(
        text.contains(&format!("video: {}", video.display())),
        "{text}"
    );
    assert!(std::fs::metadata(&video).unwrap().len() > 10_000);
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.path().join("siegfried-and-the-dragon/story.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(manifest["story"]["scenes"].as_array().unwrap().len(), 4);
    assert_eq!(manifest["story"]["scenes"][1]["picked"], 1);
}

#[test]
fn version_and_help_speak_to_a_newcomer() {
    let out = Command::new(BIN).arg("--version").output().unwrap();
    assert!(stdout(&out).starts_with("storyreel "));
    let out = Command::new(BIN).arg("run").arg("--help").output().unwrap();
    let help = stdout(&out);
    assert!(
        help.contains("--cells") && help.contains("--out") && help.contains("SCRIPT"),
        "{help}"
    );
}

#[test]
fn ctrl_c_interrupts_the_running_cell_and_reports_it() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("spin.rhai");
    std::fs::write(&script, "// %% spin\nprint(\"started\");\nloop { }\n").unwrap();
    let child = Command::new(BIN)
        .arg("run")
        .arg(&script)
        .arg("--out")
        .arg(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    let started = std::time::Instant::now();
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("interrupted") && err.contains("INTERRUPTED"),
        "{err}"
    );
}

#[test]
fn characters_json_has_the_documented_shape_with_character_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("story.txt");
    let text = "Æsa met Siegfried by the river.\n\nHe drew his sword. Siegfried laughed.\n";
    std::fs::write(&file, text).unwrap();
    let out = Command::new(BIN)
        .args(["characters", "--scenes", "paragraphs", "--json"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let chars: Vec<char> = text.chars().collect();
    let siegfried = json["characters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Siegfried")
        .unwrap();
    assert_eq!(siegfried["gender"], "male");
    for m in siegfried["mentions"].as_array().unwrap() {
        let (s, e) = (
            m[0].as_u64().unwrap() as usize,
            m[1].as_u64().unwrap() as usize,
        );
        let mention: String = chars[s..e].iter().collect();
        assert!(
            ["Siegfried", "He", "his"].contains(&mention.as_str()),
            "{mention}"
        );
    }
    let scenes = json["scenes"].as_array().unwrap();
    assert_eq!(scenes.len(), 2);
    assert_eq!(
        scenes[1]["start"],
        text.chars().position(|c| c == 'H').unwrap()
    );
    let id = &siegfried["id"];
    assert!(scenes
        .iter()
        .all(|s| s["characters"].as_array().unwrap().contains(id)));
}
