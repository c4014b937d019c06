//! One image to make: everything that determines it, plus a label for messages.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::error::GenerateError;

/// Largest side accepted; beyond this every SD backend runs out of memory anyway.
pub const MAX_SIDE: u32 = 4096;
/// Most candidates one call may ask for per prompt (`n`).
pub const MAX_CANDIDATES: usize = 64;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lora {
    pub name: String,
    #[serde(serialize_with = "as_written")]
    pub weight: f32,
}

/// An `f32` as the decimal a person wrote (0.8, not 0.800000011920929) in sidecars.
fn as_written<S: serde::Serializer>(value: &f32, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(format!("{value}").parse().unwrap_or(f64::from(*value)))
}

fn as_written_opt<S: serde::Serializer>(
    value: &Option<f32>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => as_written(value, serializer),
        None => serializer.serialize_none(),
    }
}

impl Lora {
    /// Parses `"name"` or `"name:0.8"` (the form users write in scripts).
    pub fn parse(spec: &str) -> Result<Lora, GenerateError> {
        let bad = || GenerateError::InvalidOption {
            context: String::new(),
            option: "lora",
            value: format!("{spec:?}"),
            allowed: "\"name\" or \"name:weight\" with a weight between -5 and 5".into(),
        };
        let (name, weight) = match spec.rsplit_once(':') {
            Some((name, w)) => (name.trim(), w.trim().parse::<f32>().map_err(|_| bad())?),
            None => (spec.trim(), 1.0),
        };
        if name.is_empty() || !(-5.0..=5.0).contains(&weight) {
            return Err(bad());
        }
        Ok(Lora {
            name: name.to_string(),
            weight,
        })
    }
}

/// Read back from sidecars, where a field added later takes its default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageRequest {
    pub prompt: String,
    pub negative: String,
    pub seed: u64,
    pub steps: u32,
    #[serde(serialize_with = "as_written")]
    pub cfg: f32,
    pub width: u32,
    pub height: u32,
    pub sampler: Option<String>,
    pub scheduler: Option<String>,
    pub loras: Vec<Lora>,
    /// Character reference image (IP-Adapter on A1111, an IPAdapter chain on ComfyUI).
    pub reference: Option<PathBuf>,
    /// Start image for img2img; `strength` is how far to move away from it.
    pub init_image: Option<PathBuf>,
    #[serde(serialize_with = "as_written_opt")]
    pub strength: Option<f32>,
    /// Names of the characters present; the draft backend draws them as figures.
    pub characters: Vec<String>,
    /// Shown in messages and progress, e.g. "scene 3 #2"; not part of the image's identity.
    pub label: String,
}

impl Default for ImageRequest {
    fn default() -> Self {
        ImageRequest {
            prompt: String::new(),
            negative: String::new(),
            seed: 0,
            steps: 25,
            cfg: 7.0,
            width: 512,
            height: 512,
            sampler: None,
            scheduler: None,
            loras: Vec::new(),
            reference: None,
            init_image: None,
            strength: None,
            characters: Vec::new(),
            label: String::new(),
        }
    }
}

impl ImageRequest {
    pub fn new(prompt: impl Into<String>, seed: u64) -> Self {
        ImageRequest {
            prompt: prompt.into(),
            seed,
            ..ImageRequest::default()
        }
    }

    /// Checks what every backend needs, so a bad value fails before any request.
    pub fn validate(&self) -> Result<(), GenerateError> {
        let context = if self.label.is_empty() {
            String::new()
        } else {
            format!("{}: ", self.label)
        };
        let invalid = |option: &'static str, value: String, allowed: &str| {
            Err(GenerateError::InvalidOption {
                context: context.clone(),
                option,
                value,
                allowed: allowed.to_string(),
            })
        };
        for (option, side) in [("width", self.width), ("height", self.height)] {
            // The same bounds as a story's format and sd_generate's width and height options.
            if side < 64 || side % 8 != 0 || side > MAX_SIDE {
                return invalid(
                    option,
                    side.to_string(),
                    "a multiple of 8 between 64 and 4096 (e.g. 512, 576, 1024)",
                );
            }
        }
        if self.steps == 0 || self.steps > 150 {
            return invalid("steps", self.steps.to_string(), "1 to 150");
        }
        if !self.cfg.is_finite() || self.cfg < 0.0 || self.cfg > 30.0 {
            return invalid("cfg", self.cfg.to_string(), "a number from 0 to 30");
        }
        if let Some(strength) = self.strength {
            if !(0.0..=1.0).contains(&strength) {
                return invalid("strength", strength.to_string(), "a number from 0 to 1");
            }
            if self.init_image.is_none() {
                return invalid(
                    "strength",
                    strength.to_string(),
                    "only with an init image (img2img)",
                );
            }
        }
        if self.prompt.trim().is_empty() {
            return invalid("prompt", "\"\"".into(), "a non-empty text");
        }
        Ok(())
    }
}

/// Checks a candidate count `n` as given by a user.
pub fn validate_candidates(n: i64) -> Result<usize, GenerateError> {
    if n < 1 || n > MAX_CANDIDATES as i64 {
        return Err(GenerateError::InvalidOption {
            context: String::new(),
            option: "n",
            value: n.to_string(),
            allowed: format!("1 to {MAX_CANDIDATES}"),
        });
    }
    Ok(n as usize)
}
