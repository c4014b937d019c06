//! A Piper voice (VITS, exported to ONNX): `NAME.onnx` and its `NAME.onnx.json`, run in process
//! through ONNX Runtime. One sentence in, its samples out; loaded once per process and model.

use super::{phonemes, runtime, Audio, VoiceError};
use ort::session::Session;
use ort::value::Tensor;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// How a Piper voice reads: pace and the two noise scales of VITS (variation of the sound,
/// and of the phoneme lengths). `None` takes the voice's own settings from its `.onnx.json`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PiperSettings {
    /// 1.0 is the voice's pace; 1.2 reads 20% faster.
    pub speed: f32,
    pub noise_scale: Option<f32>,
    pub noise_w: Option<f32>,
}

impl Default for PiperSettings {
    fn default() -> Self {
        PiperSettings {
            speed: 1.0,
            noise_scale: None,
            noise_w: None,
        }
    }
}

#[derive(serde::Deserialize)]
struct Config {
    audio: AudioConfig,
    espeak: EspeakConfig,
    #[serde(default)]
    inference: Inference,
    phoneme_id_map: HashMap<String, Vec<i64>>,
    #[serde(default = "one")]
    num_speakers: u32,
}

fn one() -> u32 {
    1
}

#[derive(serde::Deserialize)]
struct AudioConfig {
    sample_rate: u32,
}

#[derive(serde::Deserialize)]
struct EspeakConfig {
    voice: String,
}

#[derive(serde::Deserialize)]
struct Inference {
    noise_scale: f32,
    length_scale: f32,
    noise_w: f32,
}

impl Default for Inference {
    fn default() -> Self {
        Inference {
            noise_scale: 0.667,
            length_scale: 1.0,
            noise_w: 0.8,
        }
    }
}

/// A loaded Piper voice. `Session::run` needs exclusive access: one sentence at a time, each
/// using the runtime's threads.
pub struct PiperVoice {
    pub model: PathBuf,
    config: Config,
    session: Mutex<Session>,
}

static LOADED: Mutex<Vec<(PathBuf, Arc<PiperVoice>)>> = Mutex::new(Vec::new());

impl PiperVoice {
    /// The voice of `model` (its `.onnx.json` beside it), loaded on first use.
    pub fn load(model: &Path) -> Result<Arc<PiperVoice>, VoiceError> {
        let mut loaded = LOADED.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, v)) = loaded.iter().find(|(p, _)| p == model) {
            return Ok(v.clone());
        }
        let bad = |reason: String| VoiceError::BadModel {
            path: model.to_path_buf(),
            reason,
        };
        let config_path = config_path(model);
        let text = std::fs::read_to_string(&config_path).map_err(|e| VoiceError::BadModel {
            path: config_path.clone(),
            reason: format!("{e} (a Piper voice is NAME.onnx with NAME.onnx.json beside it)"),
        })?;
        let config: Config = serde_json::from_str(&text).map_err(|e| VoiceError::BadModel {
            path: config_path.clone(),
            reason: format!("not a Piper voice configuration: {e}"),
        })?;
        if !model.is_file() {
            return Err(bad("no such file".into()));
        }
        let env = runtime::environment()?;
        let session = Session::builder(&env)
            .and_then(|mut b| b.commit_from_file(model))
            .map_err(|e| bad(format!("ONNX Runtime cannot load it: {e}")))?;
        let names: Vec<&str> = session.inputs().iter().map(|i| i.name()).collect();
        for needed in ["input", "input_lengths", "scales"] {
            if !names.contains(&needed) {
                return Err(bad(format!(
                    "not a Piper model: it has no input {needed:?} (its inputs: {})",
                    names.join(", ")
                )));
            }
        }
        let voice = Arc::new(PiperVoice {
            model: model.to_path_buf(),
            config,
            session: Mutex::new(session),
        });
        loaded.push((model.to_path_buf(), voice.clone()));
        Ok(voice)
    }

    pub fn sample_rate(&self) -> u32 {
        self.config.audio.sample_rate
    }

    /// The voice's settings with `settings` applied, as the model's `scales` input.
    fn scales(&self, settings: &PiperSettings) -> [f32; 3] {
        let i = &self.config.inference;
        [
            settings.noise_scale.unwrap_or(i.noise_scale),
            i.length_scale / settings.speed.max(0.1),
            settings.noise_w.unwrap_or(i.noise_w),
        ]
    }

    /// A description of the settings for cache keys: what changes the sound.
    pub fn settings_key(&self, settings: &PiperSettings) -> String {
        let [a, b, c] = self.scales(settings);
        format!("piper scales {a} {b} {c}")
    }

    /// Reads each text (sentences, typically) into its own audio.
    pub fn speak(
        &self,
        texts: &[&str],
        settings: &PiperSettings,
    ) -> Result<Vec<Audio>, VoiceError> {
        let phonemes = phonemes::phonemize(texts, &self.config.espeak.voice)?;
        let scales = self.scales(settings);
        phonemes
            .iter()
            .map(|p| {
                let ids = phonemes::ids(p, &self.config.phoneme_id_map);
                self.run(ids, scales)
            })
            .collect()
    }

    fn run(&self, ids: Vec<i64>, scales: [f32; 3]) -> Result<Audio, VoiceError> {
        let fail = |e: ort::Error| VoiceError::Synthesis {
            model: self.model.clone(),
            reason: e.to_string(),
        };
        let n = ids.len();
        let input = Tensor::from_array(([1usize, n], ids)).map_err(fail)?;
        let lengths = Tensor::from_array(([1usize], vec![n as i64])).map_err(fail)?;
        let scales = Tensor::from_array(([3usize], scales.to_vec())).map_err(fail)?;
        let mut session = self.session.lock().unwrap_or_else(|p| p.into_inner());
        let outputs = if self.config.num_speakers > 1 {
            let sid = Tensor::from_array(([1usize], vec![0i64])).map_err(fail)?;
            session.run(ort::inputs![
                "input" => input, "input_lengths" => lengths, "scales" => scales, "sid" => sid
            ])
        } else {
            session.run(ort::inputs![
                "input" => input, "input_lengths" => lengths, "scales" => scales
            ])
        }
        .map_err(fail)?;
        let (_, samples) = outputs[0].try_extract_tensor::<f32>().map_err(fail)?;
        Ok(Audio {
            rate: self.sample_rate(),
            samples: to_pcm(samples),
        })
    }
}

/// `NAME.onnx.json` beside `NAME.onnx`.
pub fn config_path(model: &Path) -> PathBuf {
    let mut name = model.as_os_str().to_owned();
    name.push(".json");
    PathBuf::from(name)
}

/// Float samples to 16-bit PCM, scaled as Piper does: the loudest sample at full scale.
fn to_pcm(samples: &[f32]) -> Vec<i16> {
    let peak = samples.iter().fold(0.0f32, |m, s| m.max(s.abs())).max(0.01);
    let gain = 32767.0 / peak;
    samples
        .iter()
        .map(|s| (s * gain).clamp(-32767.0, 32767.0) as i16)
        .collect()
}
