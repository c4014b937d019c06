//! End-to-end renders through ffmpeg, checked with ffprobe and by decoding frames.

use crate::render_common;

use render_common::*;
use std::sync::atomic::AtomicBool;
use storyreel::render::{
    render, CaptionStyle, EncoderChoice, Motion, MotionMode, Music, Rect01, RenderOptions,
    RenderScene, Transition, Video, Voice,
};

const W: u32 = 180;
const H: u32 = 320;

fn small_opts(out: std::path::PathBuf) -> RenderOptions {
    RenderOptions {
        out,
        width: W,
        height: H,
        fps: 30,
        preset: "ultrafast".into(),
        crf: 12,
        encoder: EncoderChoice::Ffmpeg,
        captions: false,
        min_scene_secs: 1.0,
        ..RenderOptions::default()
    }
}

fn run(scenes: &[RenderScene], opts: &RenderOptions) -> Video {
    render(scenes, opts, &|_, _| {}, &AtomicBool::new(false))
        .unwrap_or_else(|e| panic!("render failed: {e}"))
}

#[test]
fn ffmpeg_render_has_h264_stream_of_the_timeline_length() {
    if !require("ffmpeg") || !require("ffprobe") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let scenes = vec![
        RenderScene::new(
            0,
            pattern_image(dir.path(), "a.png", (288, 512), 200),
            "One two three four five.",
        ),
        RenderScene::new(
            1,
            pattern_image(dir.path(), "b.jpg", (512, 512), 90),
            "Six seven eight.",
        ),
    ];
    let opts = RenderOptions {
        captions: true,
        ..small_opts(dir.path().join("out/video.mp4"))
    };
    let done = std::cell::Cell::new(0);
    let video = render(
        &scenes,
        &opts,
        &|d, t| {
            assert!(d <= t);
            done.set(d);
        },
        &AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!(done.get(), video.frames);
    assert!(video.path.exists() && video.path.ends_with("out/video.mp4"));
    assert!(!video.has_audio);
    let v = probe_stream(&video.path, "v:0", true);
    assert_eq!(field(&v, "codec_name"), "h264");
    assert_eq!(field(&v, "width"), W.to_string());
    assert_eq!(field(&v, "height"), H.to_string());
    assert_eq!(field(&v, "pix_fmt"), "yuv420p");
    assert_eq!(field(&v, "r_frame_rate"), "30/1");
    assert_eq!(field(&v, "nb_read_frames"), video.frames.to_string());
    let duration: f64 = field(&v, "duration").parse().unwrap();
    assert!(
        (duration - video.duration_secs).abs() <= 1.0 / 30.0 + 1e-6,
        "{duration} vs {}",
        video.duration_secs
    );
    let announced = probe_container_duration(&video.path);
    assert!(
        (announced - video.duration_secs).abs() < 0.002,
        "container says {announced} s, timeline {} s",
        video.duration_secs
    );
    // 5 words / 2.5 + 2 * 0.4 padding = 2.8 s; 3 words → 1.2 + 0.8 = 2.0 s.
    assert_eq!(video.frames, 84 + 60);
    assert!(no_partial_files(&dir.path().join("out")));
}

#[test]
fn espeak_narration_adds_an_audio_stream_and_sets_durations() {
    if !require("ffmpeg") || !require("ffprobe") || !require("espeak-ng") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let text = "The feathered serpent rose over the lake and the fifth sun was born.";
    let scenes = vec![RenderScene::new(
        0,
        pattern_image(dir.path(), "a.png", (288, 512), 200),
        text,
    )];
    let mut opts = small_opts(dir.path().join("narrated.mp4"));
    opts.voice = Voice::Espeak("en-us".into());
    opts.captions = true;
    opts.caption_style.highlight = Some([255, 220, 0]);
    let video = run(&scenes, &opts);
    assert!(video.has_audio);
    let a = probe_stream(&video.path, "a:0", false);
    assert_eq!(field(&a, "codec_name"), "aac");
    let audio_secs: f64 = field(&a, "duration").parse().unwrap();
    assert!(
        (audio_secs - video.duration_secs).abs() < 0.1,
        "audio {audio_secs} s, video {} s",
        video.duration_secs
    );
    // espeak speaks these 13 words in about 4 s: the scene follows the voice, not the 1 s minimum.
    assert!(video.duration_secs > 3.0, "{}", video.duration_secs);
    let v = probe_stream(&video.path, "v:0", false);
    let duration: f64 = field(&v, "duration").parse().unwrap();
    assert!((duration - video.duration_secs).abs() <= 1.0 / 30.0 + 1e-6);
}

#[test]
fn music_is_mixed_in_and_looped() {
    if !require("ffmpeg") || !require("ffprobe") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // Half a second of tone, looped under a 2 s video.
    let music = dir.path().join("tone.wav");
    let status = std::process::Command::new("ffmpeg")
        .args([
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:duration=0.5",
        ])
        .arg(&music)
        .status()
        .unwrap();
    assert!(status.success());
    let scenes = vec![RenderScene::new(
        0,
        pattern_image(dir.path(), "a.png", (288, 512), 200),
        "Hello there friends.",
    )];
    let mut opts = small_opts(dir.path().join("music.mp4"));
    opts.music = Some(Music::new(&music));
    let video = run(&scenes, &opts);
    assert!(video.has_audio);
    let a = probe_stream(&video.path, "a:0", false);
    let audio_secs: f64 = field(&a, "duration").parse().unwrap();
    assert!(
        audio_secs > video.duration_secs - 0.1,
        "music looped to the video length: {audio_secs}"
    );
}

#[test]
fn ken_burns_moves_every_frame_at_a_steady_pace() {
    if !require("ffmpeg") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut scene = RenderScene::new(0, pattern_image(dir.path(), "a.png", (288, 512), 200), "");
    scene.motion = Some(Motion {
        from: Rect01::FULL,
        to: Rect01::new(0.2, 0.2, 0.6, 0.6),
    });
    let mut opts = small_opts(dir.path().join("zoom.mp4"));
    opts.min_scene_secs = 2.0;
    let video = run(&[scene], &opts);
    let frames = decode_frames(&video.path, "gray", W as usize, H as usize);
    assert_eq!(frames.len() as u64, video.frames);
    let steps: Vec<f64> = frames
        .windows(2)
        .map(|p| mean_diff(&p[0], &p[1], W as usize, 0..H as usize))
        .collect();
    let mut sorted = steps.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    for (i, s) in steps.iter().enumerate() {
        assert!(
            *s > 0.05,
            "frames {i} and {} are identical: the camera stopped",
            i + 1
        );
        assert!(
            *s < median * 2.5 + 0.5,
            "jump of {s:.2} between frames {i} and {} (median step {median:.2})",
            i + 1
        );
    }
}

#[test]
fn captions_draw_in_the_caption_area_only() {
    if !require("ffmpeg") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let scenes = vec![RenderScene::new(
        0,
        pattern_image(dir.path(), "a.png", (288, 512), 200),
        "Once upon a time there was a dragon.",
    )];
    let mut opts = small_opts(dir.path().join("plain.mp4"));
    opts.motion = MotionMode::None;
    let plain = run(&scenes, &opts);
    opts.out = dir.path().join("captioned.mp4");
    opts.captions = true;
    opts.caption_style = CaptionStyle::default();
    let captioned = run(&scenes, &opts);
    let mid = (plain.frames / 2) as usize;
    let a = &decode_frames(&plain.path, "gray", W as usize, H as usize)[mid];
    let b = &decode_frames(&captioned.path, "gray", W as usize, H as usize)[mid];
    let h = H as usize;
    let band = mean_diff(a, b, W as usize, h * 55 / 100..h * 90 / 100);
    let top = mean_diff(a, b, W as usize, 0..h * 40 / 100);
    assert!(band > 3.0, "caption band barely changed: {band:.2}");
    assert!(top < 1.0, "captions leaked outside their area: {top:.2}");
}

/// Two silent scenes, solid red then solid blue: transitions show plainly between them.
fn red_then_blue(dir: &std::path::Path) -> Vec<RenderScene> {
    vec![
        RenderScene::new(0, solid_image(dir, "r.png", (180, 320), [220, 20, 20]), ""),
        RenderScene::new(1, solid_image(dir, "b.png", (180, 320), [20, 20, 220]), ""),
    ]
}

#[test]
fn fade_midpoint_is_a_blend_and_cut_is_not() {
    if !require("ffmpeg") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let scenes = red_then_blue(dir.path());
    let mut opts = small_opts(dir.path().join("fade.mp4"));
    opts.motion = MotionMode::None;
    opts.min_scene_secs = 2.0;
    let pixel = |video: &Video, frame: usize| {
        let frames = decode_frames(&video.path, "rgb24", W as usize, H as usize);
        let centre = ((H as usize / 2) * W as usize + W as usize / 2) * 3;
        [frames[frame][centre], frames[frame][centre + 2]]
    };
    let faded = run(&scenes, &opts);
    // Scene 0 lasts 60 frames; the 15-frame fade is centred on frame 60.
    let [r, b] = pixel(&faded, 60);
    assert!(
        (90..=150).contains(&r) && (90..=150).contains(&b),
        "fade midpoint {r},{b} is not a blend"
    );
    let [r0, _] = pixel(&faded, 50);
    assert!(r0 > 200, "before the fade the first scene is intact: {r0}");
    opts.transition = Transition::Cut;
    opts.out = dir.path().join("cut.mp4");
    let cut = run(&scenes, &opts);
    let [r, b] = pixel(&cut, 60);
    assert!(
        r < 40 && b > 200,
        "a cut shows the next scene at once: {r},{b}"
    );
}

#[test]
fn slide_transition_and_title_card_render() {
    if !require("ffmpeg") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let scenes = red_then_blue(dir.path());
    let mut opts = small_opts(dir.path().join("slide.mp4"));
    opts.motion = MotionMode::None;
    opts.transition = Transition::Slide;
    opts.min_scene_secs = 2.0;
    opts.title = Some("The Myth".into());
    let video = run(&scenes, &opts);
    // 2.5 s title + 2 × 2 s scenes.
    assert_eq!(video.frames, 75 + 120);
    let frames = decode_frames(&video.path, "rgb24", W as usize, H as usize);
    let row = (H as usize / 2) * W as usize * 3;
    let mid = &frames[135][row..row + W as usize * 3];
    // Halfway through the slide: red on the left, blue on the right.
    assert!(
        mid[3 * 10] > 150 && mid[3 * 10 + 2] < 80,
        "left is the old scene"
    );
    assert!(
        mid[3 * 170 + 2] > 150 && mid[3 * 170] < 80,
        "right is the new scene"
    );
}

#[test]
fn contain_fit_letterboxes_a_wide_image_over_a_blurred_fill() {
    if !require("ffmpeg") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let scenes = vec![RenderScene::new(
        0,
        solid_image(dir.path(), "w.png", (640, 360), [240, 240, 240]),
        "",
    )];
    let mut opts = small_opts(dir.path().join("contain.mp4"));
    opts.motion = MotionMode::None;
    opts.fit = storyreel::render::Fit::Contain;
    let video = run(&scenes, &opts);
    let frame = &decode_frames(&video.path, "gray", W as usize, H as usize)[10];
    let at = |x: usize, y: usize| frame[y * W as usize + x];
    assert!(at(90, 160) > 200, "the image is in the middle");
    assert!(at(90, 20) < 180, "the border is the darkened fill");
}

#[test]
fn unavailable_hardware_encoder_falls_back_to_libx264() {
    if !require("ffmpeg") || !require("ffprobe") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let scenes = vec![RenderScene::new(
        0,
        pattern_image(dir.path(), "a.png", (288, 512), 200),
        "Hi.",
    )];
    let mut opts = small_opts(dir.path().join("hw.mp4"));
    opts.hw_encoder = Some("nvenc".into());
    let video = run(&scenes, &opts);
    // Either the machine has NVENC, or the render says it used libx264 instead.
    let fell_back = video
        .warnings
        .iter()
        .any(|w| w.contains("h264_nvenc") && w.contains("libx264"));
    let v = probe_stream(&video.path, "v:0", true);
    assert_eq!(field(&v, "codec_name"), "h264");
    assert_eq!(field(&v, "nb_read_frames"), video.frames.to_string());
    eprintln!("nvenc fallback used: {fell_back}");
    let bad = RenderOptions {
        hw_encoder: Some("warp-drive".into()),
        ..opts
    };
    assert!(bad
        .validate()
        .unwrap_err()
        .to_string()
        .contains("h264_nvenc"));
}

#[test]
fn caption_words_start_where_the_real_voice_resumes_after_a_pause() {
    use storyreel::render::speech_timing::{voiced_spans_of_file, word_times};
    if !require("espeak-ng") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("speech.wav");
    let text = "Once upon a time, in a kingdom by the sea, there lived a young prince. He loved the ocean.";
    let status = std::process::Command::new("espeak-ng")
        .args(["-v", "en-us", "-s", "165", "-w"])
        .arg(&wav)
        .arg(text)
        .status()
        .unwrap();
    assert!(status.success());
    let voiced = voiced_spans_of_file(&wav).unwrap();
    // Two commas and a full stop: at least three pauses between four stretches of voice.
    assert!(voiced.len() >= 4, "{voiced:?}");
    let words: Vec<&str> = text.split_whitespace().collect();
    let times = word_times(&words, (0.0, voiced.last().unwrap().1 + 0.5), &voiced);
    let resumes = |t: f64| voiced.iter().any(|v| (v.0 - t).abs() < 1e-9);
    for after in ["time,", "sea,", "prince."] {
        let next = words.iter().position(|w| *w == after).unwrap() + 1;
        assert!(
            resumes(times[next].0),
            "{:?} starts at {:.2} s, not where the voice resumes: {voiced:?}",
            words[next],
            times[next].0
        );
    }
}
