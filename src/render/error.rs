//! Errors of the render module, worded for the person who runs the render.

use std::path::PathBuf;

/// Everything that can stop a render, a contact sheet or an animatic.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("nothing to render: the story has no scenes")]
    NoScenes,
    #[error("these scenes have no image: {}", list_scenes(.0))]
    MissingImages(Vec<usize>),
    #[error("scene {scene}: cannot read image {}: {reason}", path.display())]
    BadImage {
        scene: usize,
        path: PathBuf,
        reason: String,
    },
    #[error("cannot read music file {}: {reason}", path.display())]
    BadMusic { path: PathBuf, reason: String },
    #[error("invalid option `{option}` = {value:?}: {allowed}")]
    InvalidOption {
        option: &'static str,
        value: String,
        allowed: String,
    },
    #[error("cannot load font {}: {reason}", path.display())]
    BadFont { path: PathBuf, reason: String },
    #[error("text-to-speech failed for scene {scene} ({engine}): {reason}")]
    Tts {
        scene: usize,
        engine: String,
        reason: String,
    },
    #[error("{program} is not installed or not on PATH: {why}")]
    ToolMissing { program: &'static str, why: String },
    #[error("ffmpeg failed ({status}) while writing {}:\n{stderr_tail}", out.display())]
    Ffmpeg {
        out: PathBuf,
        status: String,
        stderr_tail: String,
    },
    #[error("built-in H.264 encoder failed: {0}")]
    Encoder(String),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A write failed for want of space (or quota, or the file-size limit); nothing was kept.
    #[error("the disk is full: cannot write in {} (free some space or write to another folder; nothing was saved under the final name)", folder(path))]
    DiskFull { path: PathBuf },
    /// An image the program would compose past its size limit (what is too large, and why).
    #[error("{0}")]
    TooLarge(String),
    #[error("render cancelled; no output written")]
    Cancelled,
    #[error(transparent)]
    Voice(#[from] super::voice::VoiceError),
}

impl RenderError {
    /// Wraps an I/O error with the file it concerns; a full disk says so.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        if is_disk_full(&source) {
            return RenderError::DiskFull { path: path.into() };
        }
        RenderError::Io {
            path: path.into(),
            source,
        }
    }

    /// An option error naming the value given and the values allowed.
    pub fn option(
        option: &'static str,
        value: impl Into<String>,
        allowed: impl Into<String>,
    ) -> Self {
        RenderError::InvalidOption {
            option,
            value: value.into(),
            allowed: allowed.into(),
        }
    }
}

fn list_scenes(scenes: &[usize]) -> String {
    scenes
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether a write failed for want of room: no space, over quota, or past the file-size limit.
pub fn is_disk_full(e: &std::io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(libc::ENOSPC | libc::EDQUOT | libc::EFBIG)
    )
}

/// The folder a file is written in, as shown to the user.
fn folder(path: &std::path::Path) -> String {
    match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => dir.display().to_string(),
        None => ".".into(),
    }
}
