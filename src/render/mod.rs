//! Rendering: picked scene images + narration text → a narrated, captioned vertical video, in
//! one streaming pass (timeline → compositor → encoder), plus a contact sheet and a GIF animatic.
//!
//! This module knows nothing of scripting or front-ends: it takes plain data
//! ([`RenderScene`], [`RenderOptions`]) and returns plain data ([`Video`]).

mod animatic;
mod assets;
mod audio;
pub mod badge;
mod breaks;
mod captions;
mod compose;
mod encode;
mod error;
mod font;
mod frame;
mod motion;
mod narration;
mod options;
mod output;
mod pipeline;
mod plate;
#[cfg(test)]
mod script_tests;
mod shape;
mod sheet;
mod speakers;
pub mod speech_timing;
mod subtitles;
mod text;
mod timeline;
mod tools;
mod tts;
pub mod voice;
mod wav;

pub use animatic::animatic;
pub use error::RenderError;
pub use motion::{Motion, Rect01};
pub use narration::{default_voice_dir, Counts as NarrationCounts};
pub use options::{
    parse_color, parse_format, parse_hw_encoder, parse_preset, CaptionPosition, CaptionStyle,
    CharacterVoice, EncoderChoice, Fit, MotionMode, Music, RenderOptions, RenderScene, Transition,
    Voice, HW_ENCODERS, PRESETS,
};
pub use pipeline::render;
pub use sheet::{contact_sheet, page_path, SCENES_PER_PAGE};
pub use voice::piper::PiperSettings;
pub use voice::VoiceError;

use std::path::PathBuf;

/// A finished video file.
#[derive(Debug, Clone, PartialEq)]
pub struct Video {
    pub path: PathBuf,
    pub duration_secs: f64,
    pub width: u32,
    pub height: u32,
    pub fps: u32,
    pub frames: u64,
    pub has_audio: bool,
    /// Which encoder wrote it: "ffmpeg" or "builtin".
    pub encoder: &'static str,
    /// Things the user should know (e.g. "narration needs ffmpeg").
    pub warnings: Vec<String>,
    /// Each part of the narration as spoken, in order.
    pub narration: Vec<NarrationSegment>,
    /// How many parts were synthesized, and how many came from the audio cache.
    pub narration_counts: NarrationCounts,
    /// The subtitle files written beside the video (`.srt`, `.vtt`), when asked for.
    pub subtitles: Vec<PathBuf>,
}

/// A part of the narration: its scene, who read it, its text, and when it is heard, in seconds
/// from the start of the video.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NarrationSegment {
    pub scene: usize,
    pub voice: String,
    pub text: String,
    pub start: f64,
    pub end: f64,
}

/// Whether ffmpeg is on PATH (the full-featured encoder).
pub fn ffmpeg_available() -> bool {
    tools::has_ffmpeg()
}
