//! Helpers shared by the render tests: generated pictures, tool checks, ffprobe/ffmpeg probes.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub use crate::common::skip;

/// Whether an external program is usable; when it is not, the test is skipped with a message,
/// or fails under `STORYREEL_STRICT_TESTS=1` (CI installs every tool).
pub fn require(program: &str) -> bool {
    let ok = Command::new(program)
        .arg(if program.starts_with("ff") {
            "-version"
        } else {
            "--version"
        })
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        skip(&format!("{program} is not installed: skipping this test"));
    }
    ok
}

/// A picture with structure everywhere (gradient, grid, disc) so that any camera move shows.
pub fn pattern_image(dir: &Path, name: &str, (w, h): (u32, u32), hue: u8) -> PathBuf {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let grid = (x / 16 + y / 16) % 2 == 0;
        let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
        let d = ((x as f32 - cx).powi(2) + (y as f32 - cy).powi(2)).sqrt();
        let disc = d < w.min(h) as f32 / 4.0;
        let r = (x * 255 / w) as u8;
        let g = (y * 255 / h) as u8;
        let b = if grid { hue } else { hue / 3 };
        if disc {
            image::Rgb([255 - r, 255 - g, 255 - b])
        } else {
            image::Rgb([r, g, b])
        }
    });
    let path = dir.join(name);
    img.save(&path).unwrap();
    path
}

pub fn solid_image(dir: &Path, name: &str, (w, h): (u32, u32), rgb: [u8; 3]) -> PathBuf {
    let path = dir.join(name);
    image::RgbImage::from_pixel(w, h, image::Rgb(rgb))
        .save(&path)
        .unwrap();
    path
}

/// `ffprobe` fields of a stream (`v:0` or `a:0`) as key=value pairs.
pub fn probe_stream(file: &Path, stream: &str, count_frames: bool) -> Vec<(String, String)> {
    let mut cmd = Command::new("ffprobe");
    cmd.args(["-v", "error", "-select_streams", stream]);
    if count_frames {
        cmd.arg("-count_frames");
    }
    let out = cmd
        .args(["-show_entries", "stream", "-of", "default=nw=1"])
        .arg(file)
        .output()
        .expect("ffprobe runs");
    assert!(
        out.status.success(),
        "ffprobe failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            l.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .collect()
}

/// The duration the container announces (what players show), in seconds.
pub fn probe_container_duration(file: &Path) -> f64 {
    let out = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-show_entries",
            "format=duration",
            "-of",
            "csv=p=0",
        ])
        .arg(file)
        .output()
        .expect("ffprobe runs");
    let text = String::from_utf8_lossy(&out.stdout);
    text.trim()
        .parse()
        .unwrap_or_else(|_| panic!("ffprobe gave no container duration: {text:?}"))
}

pub fn field<'a>(fields: &'a [(String, String)], key: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("ffprobe gave no {key}: {fields:?}"))
}

/// Every decoded frame as `pix_fmt` bytes ("gray" or "rgb24"), in order.
pub fn decode_frames(file: &Path, pix_fmt: &str, w: usize, h: usize) -> Vec<Vec<u8>> {
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(file)
        .args(["-f", "rawvideo", "-pix_fmt", pix_fmt, "-"])
        .output()
        .expect("ffmpeg runs");
    assert!(
        out.status.success(),
        "ffmpeg decode failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bpp = if pix_fmt == "gray" { 1 } else { 3 };
    out.stdout
        .chunks_exact(w * h * bpp)
        .map(|c| c.to_vec())
        .collect()
}

/// Mean absolute difference of two equally sized byte pictures, over rows `rows`.
pub fn mean_diff(a: &[u8], b: &[u8], row_bytes: usize, rows: std::ops::Range<usize>) -> f64 {
    let (s, e) = (rows.start * row_bytes, rows.end * row_bytes);
    let sum: u64 = a[s..e]
        .iter()
        .zip(&b[s..e])
        .map(|(x, y)| (*x as i64 - *y as i64).unsigned_abs())
        .sum();
    sum as f64 / (e - s) as f64
}

/// No file of `dir` carries a partial-render name.
pub fn no_partial_files(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .all(|e| !e.file_name().to_string_lossy().contains(".partial-"))
}

/// The Piper voice the tests read with (`STORYREEL_TEST_PIPER_VOICE`, a `.onnx` with its
/// `.onnx.json`) and ONNX Runtime (`ORT_DYLIB_PATH`), as `.ci/voices` fetches them; `None`
/// skips the test, which fails instead under `STORYREEL_STRICT_TESTS=1`.
pub fn piper_voice() -> Option<PathBuf> {
    let voice = std::env::var_os("STORYREEL_TEST_PIPER_VOICE").map(PathBuf::from);
    let runtime = std::env::var_os("ORT_DYLIB_PATH").map(PathBuf::from);
    let missing = match (&voice, &runtime) {
        (Some(v), _) if !v.is_file() => {
            format!("STORYREEL_TEST_PIPER_VOICE={} is no file", v.display())
        }
        (None, _) => "STORYREEL_TEST_PIPER_VOICE is not set".into(),
        (_, Some(r)) if !r.is_file() => format!("ORT_DYLIB_PATH={} is no file", r.display()),
        (_, None) => "ORT_DYLIB_PATH is not set".into(),
        _ => return voice,
    };
    skip(&format!(
        "{missing} (run `eval \"$(.ci/voices)\"`): skipping this test"
    ));
    None
}

/// The Kokoro folder the tests read with (`STORYREEL_TEST_KOKORO_DIR`: model, voices_ja.npz,
/// vocab.json, as `.ci/voices` makes it) when ONNX Runtime is there too; else a skip, or a
/// failure under `STORYREEL_STRICT_TESTS=1`.
pub fn kokoro_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("STORYREEL_TEST_KOKORO_DIR").map(PathBuf::from);
    let ok = dir.as_ref().is_some_and(|d| d.join("vocab.json").is_file())
        && std::env::var_os("ORT_DYLIB_PATH").is_some_and(|p| Path::new(&p).is_file());
    if ok {
        return dir;
    }
    let msg = "STORYREEL_TEST_KOKORO_DIR or ORT_DYLIB_PATH is not set (run `eval \"$(.ci/voices)\"`): skipping this test";
    skip(msg);
    None
}
