//! Render benchmark, printed as ratios measured in one run:
//!
//! 1. speed: rendering N s of 1080×1920 @30 (Ken Burns + fade + captions) through ffmpeg/libx264
//!    versus ffmpeg alone encoding N s of `testsrc2` at the same size, fps and preset;
//! 2. memory: peak resident memory (VmHWM) of a render M× longer versus a 1× render, each in a
//!    child process.
//!
//! `cargo run --release --example render_bench` (N = 60 s, renders of 60 s and 600 s);
//! `STORYREEL_BENCH_QUICK=1` shortens it to N = 10 s and renders of 30 s and 120 s.

mod peak_memory;

use peak_memory::peak_kb;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::Instant;
use storyreel::render::{render, RenderOptions, RenderScene};

const W: u32 = 1080;
const H: u32 = 1920;
const FPS: u32 = 30;
const PRESET: &str = "veryfast";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() == 4 && args[1] == "--child" {
        // Child mode: render `args[2]` seconds into folder `args[3]`, print peak memory.
        let secs: f64 = args[2].parse().expect("seconds");
        let dir = PathBuf::from(&args[3]);
        render_story(&dir, secs, &dir.join(format!("child-{secs}.mp4")));
        println!("VmHWM_KB={}", peak_kb());
        return;
    }
    let quick = std::env::var("STORYREEL_BENCH_QUICK").is_ok_and(|v| v == "1");
    let (speed_secs, short, long) = if quick {
        (10.0, 30.0, 120.0)
    } else {
        (60.0, 60.0, 600.0)
    };
    let dir = std::env::temp_dir().join(format!("storyreel-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();

    let t = Instant::now();
    ffmpeg_testsrc(speed_secs, &dir.join("baseline.mp4"));
    let baseline = t.elapsed().as_secs_f64();
    let t = Instant::now();
    render_story(&dir, speed_secs, &dir.join("story.mp4"));
    let ours = t.elapsed().as_secs_f64();
    println!(
        "speed: {speed_secs} s of {W}x{H}@{FPS}, preset {PRESET}, {} threads",
        rayon::current_num_threads()
    );
    println!("  ffmpeg testsrc2 alone : {baseline:7.2} s");
    println!("  storyreel render      : {ours:7.2} s");
    println!(
        "  ratio                 : {:7.3}x (target <= 1.25)",
        ours / baseline
    );

    let mem_short = child_peak(&dir, short);
    let mem_long = child_peak(&dir, long);
    println!("memory: peak RSS of the render process (ffmpeg excluded)");
    println!(
        "  {short:>5} s render : {:7.1} MB",
        mem_short as f64 / 1024.0
    );
    println!("  {long:>5} s render : {:7.1} MB", mem_long as f64 / 1024.0);
    println!(
        "  ratio            : {:7.3}x (target <= 1.10, and <= 400 MB)",
        mem_long as f64 / mem_short as f64
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A story of ~10 s scenes filling `secs`, pictures at Stable Diffusion's 576×1024.
fn render_story(dir: &Path, secs: f64, out: &Path) {
    let sentence = "The feathered serpent rose above the lake while the people of the valley \
                    watched the fifth sun climb slowly over the mountains of the east again";
    let scene_secs = 25.0 / 2.5 + 0.8;
    let count = (secs / scene_secs).round().max(1.0) as usize;
    let scenes: Vec<RenderScene> = (0..count)
        .map(|i| {
            let path = dir.join(format!("scene{}.png", i % 6));
            if !path.exists() {
                picture(i).save(&path).unwrap();
            }
            RenderScene::new(i, path, sentence)
        })
        .collect();
    let opts = RenderOptions {
        out: out.into(),
        width: W,
        height: H,
        fps: FPS,
        preset: PRESET.into(),
        ..RenderOptions::default()
    };
    render(&scenes, &opts, &|_, _| {}, &AtomicBool::new(false)).expect("render");
}

fn picture(i: usize) -> image::RgbImage {
    image::RgbImage::from_fn(576, 1024, |x, y| {
        let v =
            ((x as f32 * 0.05 + i as f32).sin() * (y as f32 * 0.03).cos() * 127.0 + 128.0) as u8;
        image::Rgb([
            v,
            (x * 255 / 576) as u8,
            (y * 255 / 1024) as u8 ^ (i as u8 * 40),
        ])
    })
}

fn ffmpeg_testsrc(secs: f64, out: &Path) {
    let status = Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-f", "lavfi", "-i"])
        .arg(format!("testsrc2=size={W}x{H}:rate={FPS}"))
        .args([
            "-t",
            &secs.to_string(),
            "-c:v",
            "libx264",
            "-preset",
            PRESET,
            "-crf",
            "21",
        ])
        .args([
            "-pix_fmt",
            "yuv420p",
            "-movflags",
            "+faststart",
            "-f",
            "mp4",
        ])
        .arg(out)
        .status()
        .expect("ffmpeg runs");
    assert!(status.success());
}

fn child_peak(dir: &Path, secs: f64) -> u64 {
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--child", &secs.to_string()])
        .arg(dir)
        .output()
        .expect("child runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM_KB=").and_then(|v| v.parse().ok()))
        .expect("child printed its peak memory")
}
