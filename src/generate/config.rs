//! Which backend to talk to and how: the plain data behind `backend(kind, opts)`.

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::error::GenerateError;
use super::request::ImageRequest;

/// Long enough for a server restart (model loading included) in an overnight batch.
pub const DEFAULT_RETRY_FOR: Duration = Duration::from_secs(300);

/// sd-server's largest seed (`i32::MAX`).
pub const SDCPP_MAX_SEED: u64 = 2_147_483_647;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BackendKind {
    /// Built-in storyboard sketches; needs no server.
    Draft,
    /// AUTOMATIC1111, Forge and SD.Next (`/sdapi/v1`).
    A1111,
    /// stable-diffusion.cpp's sd-server: A1111 routes, LoRAs as an array, no `/progress`.
    SdCpp,
    ComfyUi,
    /// Any `/v1/images/generations` server (OpenAI, LocalAI, sd-server).
    OpenAi,
    /// The AI Horde: volunteer GPU workers behind a queued, asynchronous API.
    Horde,
}

impl BackendKind {
    pub const NAMES: &'static str =
        "\"draft\", \"a1111\", \"sdcpp\", \"comfyui\", \"openai\", \"horde\"";

    pub fn parse(name: &str) -> Result<Self, GenerateError> {
        match name.to_ascii_lowercase().as_str() {
            "draft" => Ok(BackendKind::Draft),
            "a1111" | "automatic1111" | "forge" | "sdnext" | "sd.next" => Ok(BackendKind::A1111),
            "sdcpp" | "sd.cpp" | "stable-diffusion.cpp" | "sd-server" => Ok(BackendKind::SdCpp),
            "comfyui" | "comfy" => Ok(BackendKind::ComfyUi),
            "openai" => Ok(BackendKind::OpenAi),
            "horde" | "aihorde" | "ai-horde" | "stablehorde" => Ok(BackendKind::Horde),
            _ => Err(GenerateError::InvalidOption {
                context: "backend: ".into(),
                option: "kind",
                value: format!("{name:?}"),
                allowed: format!("one of {}", Self::NAMES),
            }),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            BackendKind::Draft => "draft",
            BackendKind::A1111 => "a1111",
            BackendKind::SdCpp => "sdcpp",
            BackendKind::ComfyUi => "comfyui",
            BackendKind::OpenAi => "openai",
            BackendKind::Horde => "horde",
        }
    }

    /// The largest seed this kind's server honours: sd-server reads a 32-bit signed
    /// seed and makes a larger one random; the others take any seed we hand out.
    pub fn max_seed(self) -> u64 {
        match self {
            BackendKind::SdCpp => SDCPP_MAX_SEED,
            _ => super::seed::MAX_SEED,
        }
    }

    /// The size this kind's server makes for a requested one: sd-server rounds up to
    /// multiples of 64, the AI Horde takes 64 to 3072 in multiples of 64 (rounded here).
    pub fn made_size(self, width: u32, height: u32) -> (u32, u32) {
        match self {
            BackendKind::SdCpp => (width.div_ceil(64) * 64, height.div_ceil(64) * 64),
            BackendKind::Horde => super::backends::horde::made_size(width, height),
            _ => (width, height),
        }
    }

    fn default_url(self) -> Option<&'static str> {
        match self {
            BackendKind::Draft => None,
            BackendKind::A1111 => Some("http://127.0.0.1:7860"),
            BackendKind::SdCpp => Some("http://127.0.0.1:1234"),
            BackendKind::ComfyUi => Some("http://127.0.0.1:8188"),
            BackendKind::OpenAi => Some("https://api.openai.com"),
            BackendKind::Horde => Some("https://aihorde.net"),
        }
    }
}

/// IP-Adapter ControlNet unit used for character reference images on A1111.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IpAdapter {
    pub module: String,
    pub model: String,
    pub weight: f32,
}

impl Default for IpAdapter {
    fn default() -> Self {
        IpAdapter {
            module: "ip-adapter_clip_h".into(),
            model: "ip-adapter-plus-face_sd15".into(),
            weight: 0.7,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackendConfig {
    pub kind: BackendKind,
    /// One or more servers forming a pool; empty means the kind's usual local address.
    pub urls: Vec<String>,
    /// Checkpoint (or OpenAI model) name; part of the cache key, unlike the URL.
    pub model: Option<String>,
    /// Defaults for requests that do not name their own.
    pub sampler: Option<String>,
    pub scheduler: Option<String>,
    pub steps: Option<u32>,
    pub cfg: Option<f32>,
    /// Per request, covering queueing on the server.
    pub timeout: Duration,
    /// Requests in flight per server.
    pub concurrency: usize,
    /// How long a batch waits for a failing server to come back before its work fails.
    pub retry_for: Duration,
    /// ComfyUI API-format workflow file to patch instead of the built-in graph.
    pub workflow: Option<PathBuf>,
    /// Name of the environment variable with credentials (`user:pass` for A1111, a key for OpenAI).
    pub auth_env: Option<String>,
    pub ip_adapter: IpAdapter,
    /// AI Horde: the models any of which may make the image (empty: any model).
    pub models: Vec<String>,
    /// AI Horde: how often a queued request is checked.
    pub poll: Duration,
    /// AI Horde: whether images may be NSFW. Off (the default), the request says so
    /// and asks the Horde to censor what slips through.
    #[serde(default)]
    pub nsfw: bool,
}

impl BackendConfig {
    pub fn new(kind: BackendKind) -> Self {
        BackendConfig {
            kind,
            urls: Vec::new(),
            model: None,
            sampler: None,
            scheduler: None,
            steps: None,
            cfg: None,
            timeout: Duration::from_secs(600),
            concurrency: 1,
            retry_for: DEFAULT_RETRY_FOR,
            workflow: None,
            auth_env: None,
            ip_adapter: IpAdapter::default(),
            models: Vec::new(),
            poll: Duration::from_secs(1),
            nsfw: false,
        }
    }

    pub fn draft() -> Self {
        Self::new(BackendKind::Draft)
    }

    pub fn with_urls<S: Into<String>>(mut self, urls: impl IntoIterator<Item = S>) -> Self {
        self.urls = urls.into_iter().map(Into::into).collect();
        self
    }

    /// A request carrying this backend's defaults (steps, cfg, sampler, scheduler),
    /// for the caller to fill in the prompt, seed and whatever the user set.
    pub fn base_request(&self) -> ImageRequest {
        let plain = ImageRequest::default();
        ImageRequest {
            steps: self.steps.unwrap_or(plain.steps),
            cfg: self.cfg.unwrap_or(plain.cfg),
            sampler: self.sampler.clone(),
            scheduler: self.scheduler.clone(),
            ..plain
        }
    }

    /// The servers to use, normalised (no trailing slash), defaulting per kind.
    pub fn server_urls(&self) -> Vec<String> {
        let given: Vec<String> = self
            .urls
            .iter()
            .map(|u| u.trim().trim_end_matches('/').to_string())
            .collect();
        if given.is_empty() {
            self.kind
                .default_url()
                .map(String::from)
                .into_iter()
                .collect()
        } else {
            given
        }
    }

    /// Rejects option values no backend could use, naming the option.
    pub fn validate(&self) -> Result<(), GenerateError> {
        let invalid = |option: &'static str, value: String, allowed: &str| {
            Err(GenerateError::InvalidOption {
                context: "backend: ".into(),
                option,
                value,
                allowed: allowed.into(),
            })
        };
        if self.kind != BackendKind::Draft {
            for url in self.server_urls() {
                if !(url.starts_with("http://") || url.starts_with("https://")) {
                    return invalid("url", format!("{url:?}"), "an http:// or https:// address");
                }
            }
        }
        if self.concurrency == 0 || self.concurrency > 64 {
            return invalid("concurrency", self.concurrency.to_string(), "1 to 64");
        }
        if self.timeout.is_zero() {
            return invalid("timeout", "0".into(), "a positive number of seconds");
        }
        if let Some(steps) = self.steps {
            if steps == 0 || steps > 150 {
                return invalid("steps", steps.to_string(), "1 to 150");
            }
        }
        if let Some(cfg) = self.cfg {
            if !(0.0..=30.0).contains(&cfg) {
                return invalid("cfg", cfg.to_string(), "a number from 0 to 30");
            }
        }
        if self.workflow.is_some() && self.kind != BackendKind::ComfyUi {
            return invalid(
                "workflow",
                format!("{:?}", self.workflow),
                "only with the \"comfyui\" backend",
            );
        }
        if let Some(var) = &self.auth_env {
            // The Horde serves anonymous users when no key is set.
            if self.kind != BackendKind::Horde && std::env::var_os(var).is_none() {
                return invalid(
                    "auth",
                    format!("{var:?}"),
                    "the name of a set environment variable holding the credentials",
                );
            }
        }
        Ok(())
    }
}
