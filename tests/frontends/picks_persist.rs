//! Picks are never lost: every pick is recorded in the story's picks.json by scene text and
//! image content, the next run restores it (an explicit pick in the script wins), a re-split
//! keeps the work of unchanged scenes, and story.json names the picks a render used.

use crate::common;

use std::path::Path;
use std::process::Command;

use common::{stderr, stdout, BIN};
use serde_json::Value;

const STORY: &str = r#"
let s = story("Three Beats", "The fox ran. The fox slept.\n\nThe owl watched from the tree.\n\nMorning came over the hills.");
s.split(#{ min_words: 1 });
sd_generate(s, #{ n: 3 });
"#;

fn run(dir: &Path, name: &str, source: &str) -> (String, String) {
    let script = dir.join(name);
    std::fs::write(&script, source).unwrap();
    let out = Command::new(BIN)
        .arg("run")
        .arg(&script)
        .arg("--out")
        .arg(dir.join("ws"))
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    (stdout(&out), stderr(&out))
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn used(manifest: &Value, scene: usize) -> &Value {
    manifest["picks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["scene"] == scene)
        .unwrap()
}

const RENDER: &str =
    "render(s, #{ out: \"beats.mp4\", format: #{ width: 90, height: 160 }, fps: 4, voice: \"none\" });\n";

#[test]
fn a_pick_is_recorded_restored_and_overridden_by_the_script() {
    let dir = tempfile::tempdir().unwrap();
    let story_dir = dir.path().join("ws/three-beats");
    run(
        dir.path(),
        "a.rhai",
        &format!("{STORY}s.scene(1).pick(2);\ns.scene(2).prompt = \"dawn over green hills\";\n"),
    );
    let manifest = json(&story_dir.join("story.json"));
    let picks = json(&story_dir.join("picks.json"));
    let owl = "The owl watched from the tree.";
    assert_eq!(manifest["scenes"][1]["text"], owl);
    let chosen = manifest["scenes"][1]["candidates"][2].clone();
    assert_eq!(chosen.as_str().unwrap().len(), 64, "a content address");
    assert_eq!(picks["picks"][owl], chosen);
    assert_eq!(
        picks["prompts"]["Morning came over the hills."],
        "dawn over green hills"
    );
    assert!(manifest["script"].as_str().unwrap().ends_with("a.rhai"));

    // Another script over the same story, with no pick and no prompt: both come back, and the
    // render uses the recorded pick.
    let (out, _) = run(
        dir.path(),
        "b.rhai",
        &format!("{STORY}print(s.scene(1).picked);\nprint(s.scene(2).prompt);\n{RENDER}"),
    );
    assert!(out.contains("2\ndawn over green hills"), "{out}");
    let manifest = json(&story_dir.join("story.json"));
    assert_eq!(used(&manifest, 1)["candidate"], 2);
    assert_eq!(used(&manifest, 1)["picked"], true);
    assert_eq!(used(&manifest, 1)["address"], chosen);
    assert_eq!(
        used(&manifest, 0)["picked"],
        false,
        "scene 0 was never picked"
    );

    // An explicit pick in the script wins over the recorded one, and becomes the recorded one.
    run(
        dir.path(),
        "c.rhai",
        &format!("{STORY}s.scene(1).pick(0);\n{RENDER}"),
    );
    let manifest = json(&story_dir.join("story.json"));
    assert_eq!(used(&manifest, 1)["candidate"], 0);
    let picks = json(&story_dir.join("picks.json"));
    assert_eq!(picks["picks"][owl], manifest["scenes"][1]["candidates"][0]);
}

#[test]
fn a_recorded_pick_whose_candidate_is_gone_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    run(
        dir.path(),
        "a.rhai",
        &format!("{STORY}s.scene(1).pick(2);\n"),
    );
    // Only two candidates now: the recorded third one does not exist in this run.
    let (out, _) = run(
        dir.path(),
        "b.rhai",
        &format!(
            "{}print(s.scene(1).picked == ());\n",
            STORY.replace("n: 3", "n: 2")
        ),
    );
    assert!(out.trim_end().ends_with("true"), "{out}");
}

#[test]
fn a_resplit_keeps_the_work_of_unchanged_scenes_and_names_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let (out, err) = run(
        dir.path(),
        "a.rhai",
        &format!(
            "{STORY}s.scene(0).pick(1);\ns.scene(1).pick(2);\ns.scene(1).prompt = \"an owl\";\n\
             s.split(#{{ by: \"sentences\", sentences: 1 }});\n\
             print(s.len());\nprint(s.scene(2).text);\nprint(s.scene(2).picked);\n\
             print(s.scene(2).candidates.len());\nprint(s.scene(2).prompt);\nprint(s.scene(0).picked == ());\n"
        ),
    );
    assert!(
        out.contains("4\nThe owl watched from the tree.\n2\n3\nan owl\ntrue"),
        "{out}"
    );
    assert!(
        err.contains("scene 0 (\"The fox ran. The fox slept.\"): its 3 candidates, pick (1) could not be carried over"),
        "{err}"
    );
    assert!(!err.contains("scene 1 ("), "{err}");
}

/// The story with `before` put before its generation (a style, an edit of the text).
fn story_with(text_edit: impl Fn(&str) -> String, before: &str) -> String {
    let text = "The fox ran. The fox slept.\\n\\nThe owl watched from the tree.\\n\\nMorning came over the hills.";
    STORY
        .replace(text, &text_edit(text))
        .replace("sd_generate(", &format!("{before}sd_generate("))
}

fn candidates(manifest: &Value, scene: usize) -> Vec<Value> {
    manifest["scenes"][scene]["candidates"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn a_paragraph_added_above_keeps_every_scene_s_images_and_pick() {
    let dir = tempfile::tempdir().unwrap();
    let story_dir = dir.path().join("ws/three-beats");
    run(
        dir.path(),
        "a.rhai",
        &format!("{STORY}s.scene(1).pick(2);\ns.scene(2).pick(1);\n"),
    );
    let before = json(&story_dir.join("story.json"));
    // A paragraph that names no place nor time of day: the scenes after it keep their prompts.
    let prologue = |t: &str| format!("A prologue written long after the rest.\\n\\n{t}");
    let (out, err) = run(
        dir.path(),
        "b.rhai",
        &format!(
            "{}print(s.scene(2).picked);\nprint(s.scene(3).picked);\nprint(s.scene(1).picked == ());\n",
            story_with(prologue, "")
        ),
    );
    assert!(out.contains("2\n1\ntrue"), "{out}");
    assert!(!err.contains("not carried"), "{err}");
    let after = json(&story_dir.join("story.json"));
    assert_eq!(
        after["scenes"][0]["text"],
        "A prologue written long after the rest."
    );
    for old in 0..3 {
        assert_eq!(
            candidates(&after, old + 1),
            candidates(&before, old),
            "scene {old} moved down one place and kept its images"
        );
    }
}

#[test]
fn a_paragraph_that_sets_the_time_renews_only_the_scenes_that_take_it() {
    let dir = tempfile::tempdir().unwrap();
    run(
        dir.path(),
        "a.rhai",
        &format!("{STORY}s.scene(1).pick(2);\ns.scene(2).pick(1);\n"),
    );
    // "at dusk" is carried into the owl's scene, which names no time of day; the morning
    // scene has its own, so its prompt and pick stay.
    let prologue = |t: &str| format!("They set out at dusk.\\n\\n{t}");
    let (out, err) = run(
        dir.path(),
        "b.rhai",
        &format!(
            "{}print(s.scene(2).picked == ());\nprint(s.scene(3).picked);\n",
            story_with(prologue, "")
        ),
    );
    assert!(out.contains("true\n1"), "{out}");
    assert!(
        err.contains("scene 2 (\"The owl watched from the tree.\"): its prompt changed")
            && err.contains("the setting it takes from the text around it"),
        "{err}"
    );
    assert!(!err.contains("scene 3 ("), "{err}");
}

#[test]
fn a_new_style_names_the_picks_not_carried_and_the_old_style_brings_them_back() {
    let dir = tempfile::tempdir().unwrap();
    let style = "s.style = \"watercolour\";\n";
    run(
        dir.path(),
        "a.rhai",
        &format!("{STORY}s.scene(1).pick(2);\n"),
    );
    // A new style: new candidates, so no pick, and a warning that says which and why.
    let (out, err) = run(
        dir.path(),
        "b.rhai",
        &format!(
            "{}print(s.scene(1).picked == ());\ns.scene(1).pick(0);\n",
            story_with(str::to_string, style)
        ),
    );
    assert!(out.contains("true"), "{out}");
    assert!(
        err.contains("1 pick not carried over")
            && err.contains("scene 1 (\"The owl watched from the tree.\"): its prompt changed"),
        "{err}"
    );
    assert!(!err.contains("scene 0 ("), "scene 0 had no pick: {err}");
    // Back to no style: the first pick is back; the watercolour one is back with watercolour.
    let (out, err) = run(
        dir.path(),
        "c.rhai",
        &format!("{STORY}print(s.scene(1).picked);\n"),
    );
    assert!(out.contains('2'), "{out}");
    assert!(!err.contains("not carried"), "{err}");
    let (out, _) = run(
        dir.path(),
        "d.rhai",
        &format!(
            "{}print(s.scene(1).picked);\n",
            story_with(str::to_string, style)
        ),
    );
    assert!(out.contains('0'), "{out}");

    // In one run too: the pick follows its image, not its number, when the style changes.
    let (out, err) = run(
        dir.path(),
        "e.rhai",
        &format!(
            "{STORY}print(s.scene(1).picked);\n{style}sd_generate(s, #{{ n: 3 }});\nprint(s.scene(1).picked);\n\
             s.style = \"\";\nsd_generate(s, #{{ n: 3 }});\nprint(s.scene(1).picked);\n"
        ),
    );
    assert!(out.contains("2\n0\n2"), "{out}");
    assert!(!err.contains("not carried"), "{err}");
}

#[test]
fn an_edited_scene_text_is_named_with_the_text_its_pick_was_made_for() {
    let dir = tempfile::tempdir().unwrap();
    run(
        dir.path(),
        "a.rhai",
        &format!("{STORY}s.scene(1).pick(2);\ns.scene(2).pick(1);\n"),
    );
    let edit = |t: &str| t.replace("from the tree", "from the old oak tree");
    let (out, err) = run(
        dir.path(),
        "b.rhai",
        &format!(
            "{}print(s.scene(1).picked == ());\nprint(s.scene(2).picked);\n",
            story_with(edit, "")
        ),
    );
    assert!(out.contains("true\n1"), "{out}");
    assert!(
        err.contains(
            "scene 1 (\"The owl watched from the old oak …\"): its text changed; \
             the pick was made for \"The owl watched from the tree.\""
        ),
        "{err}"
    );
}

#[test]
fn a_candidate_sheet_marks_the_current_pick() {
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = run(
        dir.path(),
        "a.rhai",
        &format!("{STORY}s.scene(1).pick(2);\nsd_generate(s.scene(1), #{{ n: 3 }})\n"),
    );
    assert!(out.contains("[✓ picked 2]") && out.contains("[0]"), "{out}");
    assert_eq!(out.matches("✓ picked").count(), 1, "{out}");
    // The composed sheet frames that tile (the third of three 216-pixel tiles, 12 apart).
    let sheet = out
        .lines()
        .find_map(|l| l.strip_prefix("sheet: "))
        .expect("a composed sheet");
    let png = image::open(dir.path().join(sheet.trim()))
        .or_else(|_| image::open(sheet.trim()))
        .unwrap()
        .to_rgb8();
    let green = image::Rgb([46, 125, 50]);
    assert_eq!(*png.get_pixel(12 + 2 * 228 + 2, 14), green);
    assert_ne!(*png.get_pixel(12 + 2, 14), green);
}

#[test]
fn a_new_description_renews_only_the_scenes_of_that_character() {
    let dir = tempfile::tempdir().unwrap();
    run(
        dir.path(),
        "a.rhai",
        &format!("{STORY}s.scene(0).pick(1);\ns.scene(1).pick(2);\n"),
    );
    let describe = "s.character(\"the owl\").description = \"a snowy owl with amber eyes\";\n";
    let (out, err) = run(
        dir.path(),
        "b.rhai",
        &format!(
            "{}print(s.scene(0).picked);\nprint(s.scene(1).picked == ());\n",
            story_with(str::to_string, describe)
        ),
    );
    assert!(out.contains("1\ntrue"), "{out}");
    assert!(
        err.contains("scene 1 (\"The owl watched from the tree.\"): its prompt changed"),
        "{err}"
    );
    assert!(
        !err.contains("scene 0 ("),
        "the fox's scene kept its pick: {err}"
    );
}
