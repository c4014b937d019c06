//! The built-in encoder (no ffmpeg needed to write), the contact sheet and the animatic.

use crate::render_common;

use render_common::*;
use std::sync::atomic::AtomicBool;
use storyreel::render::{
    animatic, contact_sheet, render, EncoderChoice, RenderOptions, RenderScene, Voice,
};

#[test]
fn builtin_encoder_writes_a_decodable_silent_mp4() {
    let dir = tempfile::tempdir().unwrap();
    let scenes = vec![
        RenderScene::new(
            0,
            pattern_image(dir.path(), "a.png", (288, 512), 200),
            "First scene words here.",
        ),
        RenderScene::new(
            1,
            pattern_image(dir.path(), "b.png", (288, 512), 60),
            "Second.",
        ),
    ];
    let opts = RenderOptions {
        out: dir.path().join("builtin.mp4"),
        width: 180,
        height: 320,
        encoder: EncoderChoice::Builtin,
        voice: Voice::Espeak("en-us".into()),
        min_scene_secs: 1.0,
        ..RenderOptions::default()
    };
    let video = render(&scenes, &opts, &|_, _| {}, &AtomicBool::new(false)).unwrap();
    assert_eq!(video.encoder, "builtin");
    assert!(!video.has_audio);
    assert!(
        video.warnings.iter().any(|w| w.contains("narration")),
        "{:?}",
        video.warnings
    );
    let bytes = std::fs::read(&video.path).unwrap();
    assert_eq!(&bytes[4..8], b"ftyp");
    // Fast start: the index comes before the media, so playback can begin while downloading.
    let top = top_level_boxes(&bytes);
    let at = |kind: &str| {
        top.iter()
            .position(|k| k == kind)
            .unwrap_or_else(|| panic!("{top:?}"))
    };
    assert!(at("moov") < at("mdat"), "{top:?}");
    if !require("ffprobe") {
        return;
    }
    let v = probe_stream(&video.path, "v:0", true);
    assert_eq!(field(&v, "codec_name"), "h264");
    assert_eq!(field(&v, "width"), "180");
    assert_eq!(field(&v, "nb_read_frames"), video.frames.to_string());
    let duration: f64 = field(&v, "duration").parse().unwrap();
    assert!(
        (duration - video.duration_secs).abs() <= 1.0 / 30.0 + 1e-6,
        "{duration}"
    );
    // The whole file announces the same length to a player, to the millisecond.
    let announced = probe_container_duration(&video.path);
    assert!(
        (announced - video.duration_secs).abs() < 0.002,
        "container says {announced} s, timeline {} s",
        video.duration_secs
    );
}

#[test]
fn contact_sheet_shows_every_scene() {
    let dir = tempfile::tempdir().unwrap();
    let mut scenes: Vec<RenderScene> = (0..5)
        .map(|i| {
            let img = pattern_image(dir.path(), &format!("{i}.png"), (288, 512), 40 * i as u8);
            RenderScene::new(
                i,
                img,
                "Ünïcödé text of the scene, long enough to wrap over lines 東京",
            )
        })
        .collect();
    scenes[2].image = None;
    let pages = contact_sheet(&scenes, &dir.path().join("sheet.png")).unwrap();
    assert_eq!(pages.len(), 1);
    let sheet = image::open(&pages[0]).unwrap();
    // Four columns, two rows of 270-pixel-wide thumbnails.
    assert_eq!(sheet.width(), 4 * 286);
    assert!(sheet.height() > 2 * 480);
}

#[test]
fn a_long_story_makes_a_contact_sheet_of_several_bounded_pages() {
    let dir = tempfile::tempdir().unwrap();
    let img = dir.path().join("scene.png");
    image::RgbImage::from_pixel(90, 160, image::Rgb([200, 40, 40]))
        .save(&img)
        .unwrap();
    let count = storyreel::render::SCENES_PER_PAGE * 2 + 5;
    let scenes: Vec<RenderScene> = (0..count)
        .map(|i| RenderScene::new(i, img.clone(), "A scene."))
        .collect();
    let out = dir.path().join("sheet.png");
    let pages = contact_sheet(&scenes, &out).unwrap();
    assert_eq!(
        pages,
        [
            out.clone(),
            dir.path().join("sheet-2.png"),
            dir.path().join("sheet-3.png")
        ]
    );
    let full = image::open(&pages[0]).unwrap();
    let last = image::open(&pages[2]).unwrap();
    assert!(
        full.width() <= 1200 && full.height() <= 8 * 600,
        "{}x{}",
        full.width(),
        full.height()
    );
    assert!(
        last.height() < full.height(),
        "the last page holds only its 5 scenes"
    );
}

#[test]
fn animatic_is_a_gif_with_a_frame_per_scene() {
    use image::AnimationDecoder;
    let dir = tempfile::tempdir().unwrap();
    let scenes: Vec<RenderScene> = (0..3)
        .map(|i| {
            RenderScene::new(
                i,
                pattern_image(dir.path(), &format!("{i}.png"), (288, 512), 80),
                "a few words",
            )
        })
        .collect();
    let out = animatic(&scenes, &dir.path().join("a.gif")).unwrap();
    let file = std::io::BufReader::new(std::fs::File::open(out).unwrap());
    let frames = image::codecs::gif::GifDecoder::new(file)
        .unwrap()
        .into_frames()
        .collect_frames()
        .unwrap();
    assert_eq!(frames.len(), 3);
    assert_eq!(frames[0].buffer().width(), 180);
}

/// The kinds of an MP4's top-level boxes, in file order.
fn top_level_boxes(bytes: &[u8]) -> Vec<String> {
    let mut kinds = Vec::new();
    let mut at = 0;
    while at + 8 <= bytes.len() {
        let size = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        kinds.push(String::from_utf8_lossy(&bytes[at + 4..at + 8]).into_owned());
        assert!(size >= 8, "box {} has size {size}", kinds.last().unwrap());
        at += size;
    }
    kinds
}
