//! Neural voices that run in process, on the CPU, with no server: Piper voices through ONNX
//! Runtime (loaded at run time), Kokoro-82M through the same, their phonemes from espeak-ng,
//! fetched on first use, and a cache of each sentence's audio by content.

pub mod cache;
pub mod fetch;
pub mod kokoro;
pub mod kokoro_fetch;
mod npz;
mod phonemes;
pub mod piper;
pub mod runtime;

use std::path::PathBuf;

/// A sentence's sound: 16-bit mono samples at `rate`.
#[derive(Debug, Clone, PartialEq)]
pub struct Audio {
    pub rate: u32,
    pub samples: Vec<i16>,
}

impl Audio {
    pub fn duration_secs(&self) -> f64 {
        self.samples.len() as f64 / self.rate as f64
    }
}

/// What stops a neural voice, worded for the person rendering.
#[derive(Debug, thiserror::Error)]
pub enum VoiceError {
    #[error(
        "neural voices need the ONNX Runtime library, which was not found ({looked}); {}",
        runtime::HOW_TO_GET
    )]
    RuntimeMissing { looked: String },
    #[error("cannot use the ONNX Runtime library {}: {reason}; {}", path.display(), runtime::HOW_TO_GET)]
    RuntimeUnusable { path: PathBuf, reason: String },
    #[error("unknown {kind} voice {name:?}{}; {}", suggestion.as_ref().map(|s| format!(" (did you mean {s:?}?)")).unwrap_or_default(), have_list(kind, have))]
    UnknownVoice {
        /// "Piper" or "Kokoro".
        kind: &'static str,
        name: String,
        suggestion: Option<String>,
        have: Vec<String>,
    },
    #[error("voice model {} is unusable: {reason}", path.display())]
    BadModel { path: PathBuf, reason: String },
    #[error("cannot fetch {kind} voice {name:?} from {url}: {reason}")]
    Fetch {
        kind: &'static str,
        name: String,
        url: String,
        reason: String,
    },
    #[error("cannot make phonemes: {0}")]
    Phonemes(String),
    #[error("the voice {} failed: {reason}", model.display())]
    Synthesis { model: PathBuf, reason: String },
    #[error("voice cache {}: {source}", path.display())]
    Cache {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn have_list(kind: &str, have: &[String]) -> String {
    if kind == "Kokoro" {
        format!("Kokoro voices: {}", have.join(", "))
    } else if have.is_empty() {
        "no Piper voice is here yet; name a published voice such as \"piper:en_US-lessac-medium\" \
         (fetched on first use) or give a model file, \"piper:/path/to/voice.onnx\""
            .into()
    } else {
        format!("voices here: {}", have.join(", "))
    }
}
