//! Renders a short demo video from generated pictures: `cargo run --example render_demo -- OUT.mp4`.

use std::sync::atomic::AtomicBool;
use storyreel::render::{render, RenderOptions, RenderScene, Voice};

fn main() {
    let out = std::env::args().nth(1).unwrap_or_else(|| "demo.mp4".into());
    let dir = std::env::temp_dir().join("storyreel-demo");
    std::fs::create_dir_all(&dir).unwrap();
    let texts = [
        "In the beginning the gods gathered in the darkness at Teotihuacan.",
        "Who will carry the light, they asked, and a humble god stepped forward.",
        "He leapt into the fire and rose into the sky as the fifth sun.",
    ];
    let scenes: Vec<RenderScene> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let path = dir.join(format!("scene{i}.png"));
            let img = image::RgbImage::from_fn(576, 1024, |x, y| {
                let grid = (x / 48 + y / 48) % 2 == 0;
                let base = [
                    (x * 255 / 576) as u8,
                    (y * 255 / 1024) as u8,
                    60 + 60 * i as u8,
                ];
                image::Rgb(if grid { base } else { base.map(|c| c / 2) })
            });
            img.save(&path).unwrap();
            RenderScene::new(i, path, *t)
        })
        .collect();
    let opts = RenderOptions {
        out: out.into(),
        width: std::env::var("W")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(540),
        height: std::env::var("H")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(960),
        voice: Voice::parse(&std::env::var("VOICE").unwrap_or_else(|_| "espeak:en-us".into()))
            .unwrap(),
        title: Some("The Fifth Sun".into()),
        encoder: storyreel::render::EncoderChoice::parse(
            &std::env::var("ENCODER").unwrap_or_else(|_| "auto".into()),
        )
        .unwrap(),
        caption_style: storyreel::render::CaptionStyle {
            highlight: Some([255, 221, 0]),
            ..Default::default()
        },
        ..RenderOptions::default()
    };
    let video = render(&scenes, &opts, &|_, _| {}, &AtomicBool::new(false)).unwrap_or_else(|e| {
        eprintln!("error: {e}");
        std::process::exit(1)
    });
    println!("{video:?}");
    let sheet =
        storyreel::render::contact_sheet(&scenes, &video.path.with_extension("sheet.png")).unwrap();
    let gif = storyreel::render::animatic(&scenes, &video.path.with_extension("gif")).unwrap();
    println!("{} {}", sheet[0].display(), gif.display());
}
