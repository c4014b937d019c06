//! Neural narration benchmark, printed as ratios measured in one run, on the quickstart story:
//!
//! 1. narration: the Piper voice's synthesis time versus the audio it makes (real-time factor;
//!    goal ≤ 0.15), and espeak-ng's, sentence by sentence as a render reads them;
//! 2. render: wall time and peak memory (VmHWM) of the quickstart's 1080×1920 render with the
//!    Piper voice versus espeak-ng versus no voice, each in a child process, the audio cache off.
//!
//! `eval "$(.ci/voices)" && cargo run --release --example voice_bench`
//! (the voice from `STORYREEL_TEST_PIPER_VOICE`, ONNX Runtime from `ORT_DYLIB_PATH`).

mod peak_memory;

use peak_memory::peak_kb;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::Instant;
use storyreel::render::voice::piper::PiperVoice;
use storyreel::render::{render, PiperSettings, RenderOptions, RenderScene, Voice};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let voice = std::env::var("STORYREEL_TEST_PIPER_VOICE")
        .map(PathBuf::from)
        .expect("set STORYREEL_TEST_PIPER_VOICE (eval \"$(.ci/voices)\")");
    if args.len() == 4 && args[1] == "--child" {
        let dir = PathBuf::from(&args[3]);
        let secs = render_quickstart(&dir, &args[2], &voice);
        println!("WALL_S={secs:.3}");
        println!("VmHWM_KB={}", peak_kb());
        return;
    }
    let paragraphs = quickstart_paragraphs();
    let sentences: Vec<String> = paragraphs
        .iter()
        .flat_map(|p| {
            storyreel::story::sentences::sentences(p, (0, p.len()))
                .into_iter()
                .map(|(a, b)| p[a..b].to_string())
        })
        .collect();
    let texts: Vec<&str> = sentences.iter().map(String::as_str).collect();
    let words: usize = texts.iter().map(|t| t.split_whitespace().count()).sum();
    println!(
        "quickstart story: {} scenes, {} sentences, {words} words",
        paragraphs.len(),
        texts.len()
    );

    let t = Instant::now();
    let piper = PiperVoice::load(&voice).expect("the Piper voice loads");
    let load = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let audio = piper
        .speak(&texts, &PiperSettings::default())
        .expect("the Piper voice speaks");
    let neural_secs = t.elapsed().as_secs_f64();
    let neural_audio: f64 = audio.iter().map(|a| a.duration_secs()).sum();

    let dir = std::env::temp_dir().join(format!("storyreel-voice-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let t = Instant::now();
    let mut espeak_audio = 0.0;
    for (i, text) in texts.iter().enumerate() {
        let wav = dir.join(format!("espeak-{i}.wav"));
        let ok = Command::new("espeak-ng")
            .args(["-v", "en-us", "-s", "165", "-w"])
            .arg(&wav)
            .arg(text)
            .status()
            .expect("espeak-ng runs")
            .success();
        assert!(ok);
        // 16-bit mono: bytes after the 44-byte header, two per sample.
        let bytes = std::fs::metadata(&wav).unwrap().len().saturating_sub(44);
        espeak_audio += bytes as f64 / 2.0 / 22_050.0;
    }
    let espeak_secs = t.elapsed().as_secs_f64();
    let neural_rtf = neural_secs / neural_audio;
    let espeak_rtf = espeak_secs / espeak_audio;
    println!(
        "narration, Piper ({}): {neural_secs:.2} s for {neural_audio:.1} s of audio, RTF {neural_rtf:.3} (goal <= 0.15); model load {load:.2} s",
        voice.file_name().unwrap().to_string_lossy()
    );
    println!(
        "narration, espeak-ng:  {espeak_secs:.2} s for {espeak_audio:.1} s of audio, RTF {espeak_rtf:.3}; Piper/espeak time {:.1}x",
        neural_secs / espeak_secs
    );

    let exe = std::env::current_exe().unwrap();
    let mut results = Vec::new();
    for which in ["piper", "espeak", "none"] {
        let out = Command::new(&exe)
            .args(["--child", which])
            .arg(&dir)
            .output()
            .expect("child render");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{which}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let field = |k: &str| -> f64 {
            text.lines()
                .find_map(|l| l.strip_prefix(k))
                .and_then(|v| v.parse().ok())
                .unwrap_or(f64::NAN)
        };
        results.push((which, field("WALL_S="), field("VmHWM_KB=") / 1024.0));
    }
    let none_wall = results[2].1;
    for (which, wall, mb) in &results {
        println!(
            "render 1080x1920 @30, voice {which:6}: {wall:6.2} s wall ({:.2}x the silent render), peak {mb:.0} MB",
            wall / none_wall
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// The paragraphs of the quickstart's story (scripts/quickstart.rhai), one scene each.
fn quickstart_paragraphs() -> Vec<String> {
    let script = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/quickstart.rhai"),
    )
    .unwrap();
    let text = script
        .split('`')
        .nth(1)
        .expect("the story between backticks");
    text.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// Renders the quickstart's scenes over generated pictures; returns the wall time.
fn render_quickstart(dir: &Path, which: &str, voice: &Path) -> f64 {
    let scenes: Vec<RenderScene> = quickstart_paragraphs()
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let path = dir.join(format!("scene-{i}.png"));
            image::RgbImage::from_fn(576, 1024, |x, y| {
                image::Rgb([(x / 3) as u8, (y / 4) as u8, (i * 60) as u8])
            })
            .save(&path)
            .unwrap();
            RenderScene::new(i, path, text)
        })
        .collect();
    let opts = RenderOptions {
        out: dir.join(format!("quickstart-{which}.mp4")),
        voice: match which {
            "piper" => Voice::Piper {
                model: voice.display().to_string(),
                settings: PiperSettings::default(),
            },
            "espeak" => Voice::Espeak("en-us".into()),
            _ => Voice::None,
        },
        ..RenderOptions::default()
    };
    let t = Instant::now();
    render(&scenes, &opts, &|_, _| {}, &AtomicBool::new(false)).expect("render");
    t.elapsed().as_secs_f64()
}
