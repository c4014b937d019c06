//! External programs (ffmpeg, espeak-ng, curl): finding them and quoting their errors.

use std::process::{Command, Stdio};

/// Whether `program` runs (`program <version_flag>` exits successfully).
pub fn available(program: &str, version_flag: &str) -> bool {
    Command::new(program)
        .arg(version_flag)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

pub fn has_ffmpeg() -> bool {
    available("ffmpeg", "-version")
}

/// The last `n` non-empty lines of a program's error output, for error messages.
pub fn tail_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Why a trial encode failed: ffmpeg did not start, or it refused (its last lines of errors).
#[derive(Debug, thiserror::Error)]
pub enum EncoderTrialError {
    #[error("{0}")]
    NotRun(#[from] std::io::Error),
    #[error("{0}")]
    Refused(String),
}

/// Whether ffmpeg's `encoder` works on this machine (a hardware encoder may be compiled in
/// without the device or driver it needs): encodes a few frames to nowhere.
pub fn ffmpeg_encoder_works(
    encoder: &str,
    width: u32,
    height: u32,
) -> Result<(), EncoderTrialError> {
    let out = Command::new("ffmpeg")
        .args(["-hide_banner", "-v", "error", "-f", "lavfi", "-i"])
        .arg(format!("color=size={width}x{height}:duration=0.2:rate=30"))
        .args(["-c:v", encoder, "-pix_fmt", "yuv420p", "-f", "null", "-"])
        .stdin(Stdio::null())
        .output()?;
    if out.status.success() {
        Ok(())
    } else {
        Err(EncoderTrialError::Refused(tail_lines(
            &String::from_utf8_lossy(&out.stderr),
            2,
        )))
    }
}
