//! Kokoro-82M through the same ONNX Runtime plumbing: one model for every voice, a voice being a
//! table of style vectors (an `.npz`, one (510, 1, 256) array per voice; an utterance of N
//! tokens takes row N), ids from the model's vocabulary over espeak-ng's IPA. 24 kHz.
//!
//! A Kokoro folder holds the model (`*.onnx`), the voices (`*.npz`, or Kokoro's `voices*.bin`,
//! the same format) and `vocab.json` (`{"vocab": {…}}` or the map itself).

use super::{npz, phonemes, runtime, Audio, VoiceError};
use ort::session::Session;
use ort::value::Tensor;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Kokoro's sample rate.
pub const SAMPLE_RATE: u32 = 24_000;
/// Most tokens one utterance may have (the style table's rows, less the two pads).
const MAX_TOKENS: usize = 508;
/// The phonemizer's language: Kokoro's English voices read espeak-ng's American IPA.
const ESPEAK_VOICE: &str = "en-us";

/// A Kokoro voice ready to read: the shared model, and this voice's style table.
pub struct KokoroVoice {
    pub folder: PathBuf,
    pub name: String,
    model: Arc<Model>,
    /// Rows of 256 floats.
    styles: Vec<f32>,
}

struct Model {
    path: PathBuf,
    session: Mutex<Session>,
    vocab: HashMap<char, i64>,
    ids_input: String,
    speed_is_int: bool,
}

static MODELS: Mutex<Vec<(PathBuf, Arc<Model>)>> = Mutex::new(Vec::new());

impl KokoroVoice {
    /// Voice `name` of the Kokoro folder `folder`.
    pub fn load(folder: &Path, name: &str) -> Result<KokoroVoice, VoiceError> {
        let bad = |path: &Path, reason: String| VoiceError::BadModel {
            path: path.to_path_buf(),
            reason,
        };
        let model_path = file_with(folder, |n| n.ends_with(".onnx"))
            .ok_or_else(|| bad(folder, "no Kokoro model (*.onnx) in this folder".into()))?;
        let voices_path = file_with(folder, |n| {
            n.ends_with(".npz") || (n.starts_with("voices") && n.ends_with(".bin"))
        })
        .ok_or_else(|| {
            bad(
                folder,
                "no Kokoro voices (*.npz or voices*.bin) in this folder".into(),
            )
        })?;
        let bytes = std::fs::read(&voices_path).map_err(|e| bad(&voices_path, e.to_string()))?;
        let mut tables = npz::read_f32(&bytes).map_err(|e| bad(&voices_path, e.to_string()))?;
        let Some((shape, styles)) = tables.remove(name) else {
            let mut have: Vec<String> = tables.keys().cloned().collect();
            have.sort();
            let suggestion = have
                .iter()
                .map(|k| (strsim::jaro_winkler(k, name), k))
                .filter(|(s, _)| *s > 0.8)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, k)| k.clone());
            return Err(VoiceError::UnknownVoice {
                kind: "Kokoro",
                name: name.into(),
                suggestion,
                have,
            });
        };
        if shape.last() != Some(&256) || styles.len() < 256 * (MAX_TOKENS + 1) {
            return Err(bad(
                &voices_path,
                format!("voice {name} has shape {shape:?}; Kokoro voices are (510, 1, 256)"),
            ));
        }
        Ok(KokoroVoice {
            folder: folder.to_path_buf(),
            name: name.to_string(),
            model: model(&model_path, folder)?,
            styles,
        })
    }

    /// The model file, for cache keys.
    pub fn model_path(&self) -> &Path {
        &self.model.path
    }

    /// Reads each text into its own audio; `speed` 1.0 is the voice's pace.
    pub fn speak(&self, texts: &[&str], speed: f32) -> Result<Vec<Audio>, VoiceError> {
        let phonemes = phonemes::phonemize(texts, ESPEAK_VOICE)?;
        phonemes
            .iter()
            .map(|p| {
                let mut ids: Vec<i64> = p
                    .chars()
                    .filter_map(|c| self.model.vocab.get(&c).copied())
                    .collect();
                ids.truncate(MAX_TOKENS);
                let style = self.styles[ids.len() * 256..(ids.len() + 1) * 256].to_vec();
                self.run(ids, style, speed)
            })
            .collect()
    }

    fn run(&self, ids: Vec<i64>, style: Vec<f32>, speed: f32) -> Result<Audio, VoiceError> {
        let fail = |e: ort::Error| VoiceError::Synthesis {
            model: self.model.path.clone(),
            reason: e.to_string(),
        };
        let mut padded = Vec::with_capacity(ids.len() + 2);
        padded.push(0);
        padded.extend(ids);
        padded.push(0);
        let n = padded.len();
        let ids = Tensor::from_array(([1usize, n], padded)).map_err(fail)?;
        let style = Tensor::from_array(([1usize, 256], style)).map_err(fail)?;
        let mut session = self.model.session.lock().unwrap_or_else(|p| p.into_inner());
        let outputs = if self.model.speed_is_int {
            let speed = Tensor::from_array(([1usize], vec![speed.round().max(1.0) as i32])).map_err(fail)?;
            session.run(ort::inputs![self.model.ids_input.as_str() => ids, "style" => style, "speed" => speed])
        } else {
            let speed = Tensor::from_array(([1usize], vec![speed])).map_err(fail)?;
            session.run(ort::inputs![self.model.ids_input.as_str() => ids, "style" => style, "speed" => speed])
        }
        .map_err(fail)?;
        let (_, samples) = outputs[0].try_extract_tensor::<f32>().map_err(fail)?;
        Ok(Audio {
            rate: SAMPLE_RATE,
            samples: samples
                .iter()
                .map(|s| (s * 32767.0).clamp(-32767.0, 32767.0) as i16)
                .collect(),
        })
    }
}

/// The first file of `dir` (by name) whose name passes `wanted`.
fn file_with(dir: &Path, wanted: impl Fn(&str) -> bool) -> Option<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| wanted(&n.to_string_lossy())))
        .collect();
    files.sort();
    files.into_iter().next()
}

/// The model of `path`, loaded once per process.
fn model(path: &Path, folder: &Path) -> Result<Arc<Model>, VoiceError> {
    let mut models = MODELS.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((_, m)) = models.iter().find(|(p, _)| p == path) {
        return Ok(m.clone());
    }
    let bad = |path: &Path, reason: String| VoiceError::BadModel {
        path: path.to_path_buf(),
        reason,
    };
    let vocab_path = folder.join("vocab.json");
    let text = std::fs::read_to_string(&vocab_path).map_err(|e| bad(&vocab_path, e.to_string()))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| bad(&vocab_path, e.to_string()))?;
    let map = json.get("vocab").unwrap_or(&json);
    let vocab: HashMap<char, i64> = map
        .as_object()
        .ok_or_else(|| bad(&vocab_path, "not a map of phonemes to ids".into()))?
        .iter()
        .filter_map(|(k, v)| {
            let mut chars = k.chars();
            match (chars.next(), chars.next(), v.as_i64()) {
                (Some(c), None, Some(id)) => Some((c, id)),
                _ => None,
            }
        })
        .collect();
    let env = runtime::environment()?;
    let session = Session::builder(&env)
        .and_then(|mut b| b.commit_from_file(path))
        .map_err(|e| bad(path, format!("ONNX Runtime cannot load it: {e}")))?;
    let names: Vec<String> = session
        .inputs()
        .iter()
        .map(|i| i.name().to_string())
        .collect();
    let ids_input = ["input_ids", "tokens"]
        .into_iter()
        .find(|n| names.iter().any(|m| m == n))
        .ok_or_else(|| {
            bad(
                path,
                format!("not a Kokoro model: its inputs are {}", names.join(", ")),
            )
        })?
        .to_string();
    if !names.iter().any(|n| n == "style") || !names.iter().any(|n| n == "speed") {
        return Err(bad(
            path,
            format!("not a Kokoro model: its inputs are {}", names.join(", ")),
        ));
    }
    let speed_is_int = session
        .inputs()
        .iter()
        .find(|i| i.name() == "speed")
        .is_some_and(|i| format!("{:?}", i.dtype()).contains("Int32"));
    let m = Arc::new(Model {
        path: path.to_path_buf(),
        session: Mutex::new(session),
        vocab,
        ids_input,
        speed_is_int,
    });
    models.push((path.to_path_buf(), m.clone()));
    Ok(m)
}
