//! What a server has — checkpoints, samplers, schedulers, LoRAs — asked once per
//! generator, so that a name it does not have is an error before any request, and
//! a name written in another server's dialect becomes the one this server uses.

mod names;
mod samplers;

pub use samplers::{HORDE_SAMPLERS, HORDE_SCHEDULERS};

use super::config::BackendKind;
use super::error::GenerateError;

/// The lists one server gave; an empty list means "not asked or not offered"
/// and lets any name through.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Capabilities {
    pub url: String,
    pub kind: Option<BackendKind>,
    pub models: Vec<String>,
    pub samplers: Vec<String>,
    pub schedulers: Vec<String>,
    /// LoRA names as people write them, each with what the server must be sent.
    pub loras: Vec<(String, String)>,
}

impl Capabilities {
    fn missing(&self, what: &'static str, wanted: &str, listed: &[String]) -> GenerateError {
        GenerateError::NotOnServer {
            url: self.url.clone(),
            what,
            value: wanted.to_string(),
            listing: names::listing(wanted, listed),
        }
    }

    /// The checkpoint to ask for. ComfyUI needs one named: with none given, its
    /// only checkpoint; the A1111 family keeps its loaded model.
    pub fn model(&self, wanted: Option<&str>) -> Result<Option<String>, GenerateError> {
        let comfy = self.kind == Some(BackendKind::ComfyUi);
        // The Horde matches model names exactly.
        let exact = comfy || self.kind == Some(BackendKind::Horde);
        match wanted {
            None if comfy => match self.models.as_slice() {
                [only] => Ok(Some(only.clone())),
                [] => Ok(None),
                _ => Err(GenerateError::Other(format!(
                    "the ComfyUI server at {} has several checkpoints and no `model` is set: \
                     name one with backend(\"comfyui\", #{{ model: … }}); {}",
                    self.url,
                    names::listing("", &self.models)
                ))),
            },
            None => Ok(None),
            Some(wanted) if self.models.is_empty() => Ok(Some(wanted.to_string())),
            Some(wanted) => match names::find(wanted, &self.models) {
                // A1111 finds its checkpoint from any of its names; ComfyUI needs the file.
                Some(found) if exact => Ok(Some(found.to_string())),
                Some(_) => Ok(Some(wanted.to_string())),
                None => Err(self.missing(
                    if comfy {
                        "checkpoint (`ckpt_name`)"
                    } else {
                        "model"
                    },
                    wanted,
                    &self.models,
                )),
            },
        }
    }

    /// A Horde model to ask for: the listed name when it is there; a name that is
    /// clearly a typo of a listed one is an error; any other is asked for as written,
    /// with a warning, as the Horde lists only models seen in the last 5 minutes.
    pub fn horde_model(&self, wanted: &str) -> Result<(String, Option<String>), GenerateError> {
        if self.models.is_empty() {
            return Ok((wanted.to_string(), None));
        }
        if let Some(found) = names::find(wanted, &self.models) {
            return Ok((found.to_string(), None));
        }
        if names::typo_of(wanted, &self.models).is_some() {
            return Err(self.missing("model", wanted, &self.models));
        }
        let warning = format!(
            "the AI Horde at {} lists no model {wanted:?} now (it lists the models a worker served in the last 5 minutes); it is asked for anyway, and waits for a worker that has it; {}",
            self.url,
            names::listing(wanted, &self.models)
        );
        Ok((wanted.to_string(), Some(warning)))
    }

    /// The sampler (and the scheduler its A1111-style name carries) as this server names them.
    pub fn sampler(
        &self,
        wanted: &str,
        scheduler: Option<&str>,
    ) -> Result<(String, Option<String>), GenerateError> {
        if self.samplers.is_empty() {
            return Ok((wanted.to_string(), scheduler.map(String::from)));
        }
        if let Some(found) = names::find(wanted, &self.samplers) {
            return Ok((found.to_string(), scheduler.map(String::from)));
        }
        let (base, carried) = samplers::split_scheduler(wanted);
        let found = samplers::synonyms(base)
            .into_iter()
            .find_map(|name| names::find(name, &self.samplers))
            .ok_or_else(|| self.missing("sampler", wanted, &self.samplers))?;
        let scheduler = scheduler.or(carried).map(String::from);
        Ok((found.to_string(), scheduler))
    }

    pub fn scheduler(&self, wanted: &str) -> Result<String, GenerateError> {
        if self.schedulers.is_empty() {
            return Ok(wanted.to_string());
        }
        names::find(wanted, &self.schedulers)
            .map(String::from)
            .ok_or_else(|| self.missing("scheduler", wanted, &self.schedulers))
    }

    /// What to send for the LoRA `wanted` (sd-server: its path under the LoRA folder).
    pub fn lora(&self, wanted: &str) -> Result<String, GenerateError> {
        // Horde workers fetch LoRAs from CivitAI by name or id; there is no list to check.
        if self.kind == Some(BackendKind::Horde) {
            return Ok(wanted.to_string());
        }
        let listed: Vec<String> = self.loras.iter().map(|(name, _)| name.clone()).collect();
        let sent: Vec<String> = self.loras.iter().map(|(_, send)| send.clone()).collect();
        if let Some(found) = names::find(wanted, &listed) {
            let at = listed.iter().position(|n| n == found).unwrap_or(0);
            return Ok(self.loras[at].1.clone());
        }
        if let Some(found) = names::find(wanted, &sent) {
            return Ok(found.to_string());
        }
        Err(self.missing("LoRA", wanted, &listed))
    }

    /// The lists, for `backend()`.
    pub fn describe(&self) -> String {
        let list = |items: &[String]| {
            if items.is_empty() {
                "(not listed)".to_string()
            } else {
                items.join(", ")
            }
        };
        let loras: Vec<String> = self.loras.iter().map(|(name, _)| name.clone()).collect();
        format!(
            "  models: {}\n  samplers: {}\n  schedulers: {}\n  loras: {}",
            list(&self.models),
            list(&self.samplers),
            list(&self.schedulers),
            list(&loras)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn names_become_the_servers_own() {
        let comfy = Capabilities {
            url: "http://c".into(),
            kind: Some(BackendKind::ComfyUi),
            models: strings(&["only.safetensors"]),
            samplers: strings(&["euler", "dpmpp_2m"]),
            schedulers: strings(&["normal", "karras"]),
            loras: vec![("hero.safetensors".into(), "hero.safetensors".into())],
        };
        assert_eq!(
            comfy.model(None).unwrap().as_deref(),
            Some("only.safetensors")
        );
        assert_eq!(
            comfy.sampler("DPM++ 2M Karras", None).unwrap(),
            ("dpmpp_2m".to_string(), Some("karras".to_string()))
        );
        assert_eq!(comfy.lora("hero").unwrap(), "hero.safetensors");
        let error = comfy.sampler("nonsense", None).unwrap_err().to_string();
        assert!(
            error.contains("\"nonsense\"") && error.contains("dpmpp_2m"),
            "{error}"
        );
        let sdcpp = Capabilities {
            url: "http://s".into(),
            kind: Some(BackendKind::SdCpp),
            samplers: strings(&["default", "euler_a", "dpm++2m"]),
            loras: vec![("hero".into(), "chars/hero.safetensors".into())],
            ..Default::default()
        };
        assert_eq!(sdcpp.sampler("Euler a", None).unwrap().0, "euler_a");
        assert_eq!(sdcpp.lora("hero").unwrap(), "chars/hero.safetensors");
        assert!(sdcpp.lora("villain").is_err());
    }
}
