//! Renders that must fail, with a message a person can act on, and leave no output behind.

use crate::common;
use crate::render_common;

use render_common::*;
use std::sync::atomic::AtomicBool;
use storyreel::render::{
    animatic, contact_sheet, render, EncoderChoice, Fit, Music, RenderError, RenderOptions,
    RenderScene, Transition, Voice,
};

fn opts(out: std::path::PathBuf) -> RenderOptions {
    RenderOptions {
        out,
        width: 180,
        height: 320,
        preset: "ultrafast".into(),
        min_scene_secs: 1.0,
        ..RenderOptions::default()
    }
}

fn fail(scenes: &[RenderScene], o: &RenderOptions) -> RenderError {
    match render(scenes, o, &|_, _| {}, &AtomicBool::new(false)) {
        Ok(v) => panic!("render should have failed but wrote {}", v.path.display()),
        Err(e) => {
            assert!(!o.out.exists(), "a failed render left {}", o.out.display());
            e
        }
    }
}

#[test]
fn no_scenes_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let e = fail(&[], &opts(dir.path().join("v.mp4")));
    assert!(matches!(e, RenderError::NoScenes), "{e}");
    assert!(contact_sheet(&[], &dir.path().join("s.png")).is_err());
}

#[test]
fn scenes_without_image_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    let img = pattern_image(dir.path(), "a.png", (90, 160), 100);
    let mut scenes: Vec<RenderScene> = (0..4).map(|i| RenderScene::new(i, &img, "text")).collect();
    scenes[1].image = None;
    scenes[3].image = None;
    let e = fail(&scenes, &opts(dir.path().join("v.mp4")));
    assert!(e.to_string().contains("1, 3"), "{e}");
    assert!(animatic(&scenes, &dir.path().join("a.gif")).is_err());
}

#[test]
fn missing_and_broken_images_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let good = pattern_image(dir.path(), "good.png", (90, 160), 100);
    let broken = dir.path().join("broken.png");
    std::fs::write(&broken, b"\x89PNG\r\n\x1a\nthis is not really a png").unwrap();
    let gone = dir.path().join("gone.png");
    for bad in [&broken, &gone] {
        let scenes = vec![
            RenderScene::new(0, &good, "a"),
            RenderScene::new(7, bad, "b"),
        ];
        let e = fail(&scenes, &opts(dir.path().join("v.mp4")));
        let msg = e.to_string();
        assert!(matches!(e, RenderError::BadImage { scene: 7, .. }), "{msg}");
        assert!(
            msg.contains(bad.file_name().unwrap().to_str().unwrap()),
            "{msg}"
        );
        assert!(no_partial_files(dir.path()));
    }
}

#[test]
fn truncated_image_fails_mid_render_without_leaving_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let good = pattern_image(dir.path(), "good.png", (90, 160), 100);
    // The header is intact (so the up-front check passes) but the pixels are cut off.
    let full = std::fs::read(pattern_image(dir.path(), "full.png", (400, 400), 30)).unwrap();
    let truncated = dir.path().join("truncated.png");
    std::fs::write(&truncated, &full[..full.len() / 2]).unwrap();
    let scenes = vec![
        RenderScene::new(0, &good, "a"),
        RenderScene::new(1, &truncated, "b"),
    ];
    let mut o = opts(dir.path().join("v.mp4"));
    o.encoder = EncoderChoice::Builtin;
    let e = fail(&scenes, &o);
    assert!(e.to_string().contains("truncated.png"), "{e}");
    assert!(no_partial_files(dir.path()));
}

#[test]
fn unreadable_music_is_an_error() {
    if !require("ffmpeg") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let img = pattern_image(dir.path(), "a.png", (90, 160), 100);
    let noise = dir.path().join("song.mp3");
    std::fs::write(&noise, vec![7u8; 4000]).unwrap();
    for music in [noise, dir.path().join("absent.ogg")] {
        let mut o = opts(dir.path().join("v.mp4"));
        o.music = Some(Music::new(&music));
        let e = fail(&[RenderScene::new(0, &img, "hi")], &o);
        assert!(matches!(e, RenderError::BadMusic { .. }), "{e}");
        assert!(
            e.to_string()
                .contains(music.file_name().unwrap().to_str().unwrap()),
            "{e}"
        );
    }
}

#[test]
fn unknown_espeak_voice_is_a_tts_error() {
    if !require("ffmpeg") || !require("espeak-ng") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let img = pattern_image(dir.path(), "a.png", (90, 160), 100);
    let mut o = opts(dir.path().join("v.mp4"));
    o.voice = Voice::Espeak("zzzz".into());
    let e = fail(&[RenderScene::new(3, &img, "hello")], &o);
    assert!(matches!(e, RenderError::Tts { scene: 3, .. }), "{e}");
    assert!(e.to_string().contains("zzzz"), "{e}");
}

#[test]
fn cancelling_leaves_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let img = pattern_image(dir.path(), "a.png", (90, 160), 100);
    let o = RenderOptions {
        encoder: EncoderChoice::Builtin,
        ..opts(dir.path().join("v.mp4"))
    };
    let cancel = AtomicBool::new(false);
    let result = render(
        &[RenderScene::new(
            0,
            &img,
            "one two three four five six seven eight nine ten",
        )],
        &o,
        &|done, _| {
            if done > 0 {
                cancel.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        },
        &cancel,
    );
    assert!(matches!(result, Err(RenderError::Cancelled)), "{result:?}");
    assert!(!o.out.exists());
    assert!(no_partial_files(dir.path()));
}

#[test]
fn option_parsers_name_the_value_and_the_choices() {
    let e = Fit::parse("cove").unwrap_err().to_string();
    assert!(
        e.contains("\"cove\"") && e.contains("cover") && e.contains("contain"),
        "{e}"
    );
    assert_eq!(Transition::parse("Slide").unwrap(), Transition::Slide);
    assert_eq!(
        Voice::parse("espeak:fr").unwrap(),
        Voice::Espeak("fr".into())
    );
    assert!(Voice::parse("sam")
        .unwrap_err()
        .to_string()
        .contains("espeak:<voice>"));
    let e = opts("x.mp4".into());
    let odd = RenderOptions {
        width: 181,
        ..e.clone()
    };
    assert!(odd.validate().unwrap_err().to_string().contains("even"));
    let preset = RenderOptions {
        preset: "warp".into(),
        ..e
    };
    assert!(preset
        .validate()
        .unwrap_err()
        .to_string()
        .contains("veryfast"));
}

const FULL_DISK_RENDER: &str = r#"backend("draft");
let s = story("Full", "Anna walked to the mill.\n\nBoris met her at the gate.\n\nThe miller came out.\n\nThey ate bread by the river.\n\nA storm rolled in.\n\nThey ran home.");
s.split(#{ by: "paragraphs", max_words: 10, min_words: 1 });
sd_generate(s);
render(s, #{ out: OUT, format: "320x568", fps: 10, voice: "none", encoder: ENCODER })
"#;

/// The script of the full-disk renders, writing to `out` with `encoder`.
fn full_disk_script(
    dir: &std::path::Path,
    out: &std::path::Path,
    encoder: &str,
) -> std::path::PathBuf {
    let script = dir.join(format!("full-{encoder}.rhai"));
    let source = FULL_DISK_RENDER
        .replace("OUT", &format!("{:?}", out.display().to_string()))
        .replace("ENCODER", &format!("{encoder:?}"));
    std::fs::write(&script, source).unwrap();
    script
}

/// Renders six scenes onto a disk with `free_kb` KB left: an error that says the disk is full,
/// and nothing on that disk afterwards, neither under the final name nor half-written.
fn render_onto_full_disk(dir: &std::path::Path, encoder: &str, free_kb: u64) {
    let disk = dir.join(format!("disk-{encoder}-{free_kb}"));
    std::fs::create_dir(&disk).unwrap();
    let script = full_disk_script(dir, &disk.join("v.mp4"), encoder);
    let ws = dir.join("ws");
    let args = [
        "run".as_ref(),
        script.as_os_str(),
        "--out".as_ref(),
        ws.as_os_str(),
    ];
    let Some(run) = common::run_on_small_disk(&disk, free_kb, &args) else {
        return;
    };
    let err = common::stderr(&run.output);
    let case = format!("{encoder}, {free_kb} KB free");
    assert_eq!(run.output.status.code(), Some(1), "{case}: {err}");
    assert!(err.contains("the disk is full"), "{case}: {err}");
    assert!(!err.contains("video: "), "{case}: {err}");
    assert!(run.files.is_empty(), "{case}: left {:?}", run.files);
}

/// The size in KB of the video the script makes, rendered where there is room.
fn full_video_kb(dir: &std::path::Path, encoder: &str) -> u64 {
    let out = dir.join(format!("roomy-{encoder}.mp4"));
    let script = full_disk_script(dir, &out, encoder);
    let run = std::process::Command::new(common::BIN)
        .arg("run")
        .arg(&script)
        .arg("--out")
        .arg(dir.join("ws"))
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", common::stderr(&run));
    std::fs::metadata(&out).unwrap().len() / 1024
}

#[test]
fn a_full_disk_during_render_is_an_error_and_leaves_no_video() {
    let dir = tempfile::tempdir().unwrap();
    if common::require("ffmpeg", "ffmpeg's writes onto a full disk") {
        // With room for most of the video, ffmpeg wrote its media data, could not write the
        // index, and still exited 0; with less, it fails on its own.
        let kb = full_video_kb(dir.path(), "ffmpeg");
        render_onto_full_disk(dir.path(), "ffmpeg", kb * 3 / 4);
        render_onto_full_disk(dir.path(), "ffmpeg", kb / 3);
    }
    let kb = full_video_kb(dir.path(), "builtin");
    // The built-in encoder rewrites the file to move its index to the front: it needs room for
    // two copies.
    render_onto_full_disk(dir.path(), "builtin", kb * 3 / 2);
    render_onto_full_disk(dir.path(), "builtin", kb / 3);
}
