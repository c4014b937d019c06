//! Backends: one client per server URL, all behind the same small surface
//! (generate one image, interrupt, describe) so the pool can treat them alike.

pub mod a1111;
pub mod comfyui;
pub mod draft;
pub mod horde;
pub mod http;
pub mod identify;
pub mod openai;

use serde_json::{json, Value};

use super::capabilities::Capabilities;
use super::config::{BackendConfig, BackendKind};
use super::error::GenerateError;
use super::request::ImageRequest;

/// One image to make, with its files already read (so every server gets the same bytes).
#[derive(Debug, Clone)]
pub struct Job {
    pub request: ImageRequest,
    /// The checkpoint to use, as the server names it (None: the server's own choice).
    pub model: Option<String>,
    pub reference_png: Option<Vec<u8>>,
    pub init_png: Option<Vec<u8>>,
}

/// What a server made: the PNG and what it said about it.
#[derive(Debug, Clone)]
pub struct Output {
    pub png: Vec<u8>,
    pub info: Value,
    /// The seed the server says it used, when it says.
    pub seed_used: Option<u64>,
    /// What the server said about this image that a person should read.
    pub warnings: Vec<String>,
    /// Why the image is not what was asked (a LoRA a worker could not load): it is
    /// kept for this run, but not cached as the request's image.
    pub not_honoured: Option<String>,
}

impl Output {
    pub fn new(png: Vec<u8>, info: Value) -> Self {
        Output {
            png,
            info,
            seed_used: None,
            warnings: Vec::new(),
            not_honoured: None,
        }
    }
}

/// Where a running image is, as far as its server says.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Stage {
    /// Sampler step (step, of).
    Step(u32, u32),
    /// Waiting in a shared queue (the AI Horde): position and expected seconds.
    Queued { position: u32, wait_secs: u32 },
    /// A worker of a shared queue is making it: expected seconds.
    Processing { wait_secs: u32 },
    /// No worker online can take it now; it waits for one (the AI Horde).
    NoWorker,
}

/// Receives where an image is while it is being made.
pub type StepSink<'a> = &'a dyn Fn(Stage);

pub enum Client {
    Draft,
    A1111(a1111::A1111),
    ComfyUi(comfyui::ComfyUi),
    OpenAi(openai::OpenAi),
    Horde(horde::Horde),
}

impl Client {
    pub fn new(config: &BackendConfig, url: &str) -> Result<Self, GenerateError> {
        Ok(match config.kind {
            BackendKind::Draft => Client::Draft,
            BackendKind::A1111 | BackendKind::SdCpp => {
                Client::A1111(a1111::A1111::new(config, url)?)
            }
            BackendKind::ComfyUi => Client::ComfyUi(comfyui::ComfyUi::new(config, url)?),
            BackendKind::OpenAi => Client::OpenAi(openai::OpenAi::new(config, url)?),
            BackendKind::Horde => Client::Horde(horde::Horde::new(config, url)?),
        })
    }

    pub fn url(&self) -> &str {
        match self {
            Client::Draft => "draft",
            Client::A1111(c) => &c.http.url,
            Client::ComfyUi(c) => &c.http.url,
            Client::OpenAi(c) => &c.http.url,
            Client::Horde(c) => &c.http.url,
        }
    }

    pub async fn generate(&self, job: &Job, step: StepSink<'_>) -> Result<Output, GenerateError> {
        match self {
            Client::Draft => draft::generate(job).await,
            Client::A1111(c) => c.generate(job, step).await,
            Client::ComfyUi(c) => c.generate(job, step).await,
            Client::OpenAi(c) => c.generate(job).await,
            Client::Horde(c) => c.generate(job, step).await,
        }
    }

    /// Asks the server to stop what it is running; best effort. Says so when the
    /// server cannot be stopped.
    pub async fn interrupt(&self) -> Option<String> {
        match self {
            Client::Draft | Client::OpenAi(_) => None,
            Client::A1111(c) => c.interrupt().await,
            Client::ComfyUi(c) => {
                c.interrupt().await;
                None
            }
            Client::Horde(c) => {
                c.interrupt().await;
                None
            }
        }
    }

    /// Whether the server answers at all (see [`http::Http::probe`]).
    pub async fn probe(&self) -> Result<(), GenerateError> {
        match self {
            Client::Draft => Ok(()),
            Client::A1111(c) => c.http.probe().await,
            Client::ComfyUi(c) => c.http.probe().await,
            Client::OpenAi(c) => c.http.probe().await,
            Client::Horde(c) => c.http.probe().await,
        }
    }

    /// When the server at an `a1111` address is another kind (sd-server), that kind
    /// and a note saying which `backend(...)` fits it.
    pub async fn other_kind(&self) -> Option<(BackendKind, String)> {
        let Client::A1111(c) = self else {
            return None;
        };
        // Quick first: A1111 has `/progress`; only a server without it is looked at
        // closer. All of it bounded: a busy server must not hold up `backend()`.
        let look = async {
            let progress = c.http.client.get(c.http.at("/sdapi/v1/progress"));
            match c.http.send_raw(progress).await {
                Ok((404, _)) => identify::identify(&c.http).await,
                _ => None,
            }
        };
        match tokio::time::timeout(std::time::Duration::from_secs(2), look)
            .await
            .ok()
            .flatten()
        {
            Some((found, name)) if found != BackendKind::A1111 => Some((
                found,
                format!(
                    "the server at {} answers like {name}: use backend(\"{}\", …) for its dialect (sizes rounded to 64, LoRAs as an array, seeds below 2^31)",
                    c.http.url,
                    found.name()
                ),
            )),
            _ => None,
        }
    }

    /// What the server has, for the kinds that list it.
    pub async fn capabilities(&self) -> Result<Option<Capabilities>, GenerateError> {
        Ok(match self {
            Client::A1111(c) => Some(c.capabilities().await?),
            Client::ComfyUi(c) => Some(c.capabilities().await?),
            Client::Horde(c) => Some(c.capabilities().await?),
            Client::Draft | Client::OpenAi(_) => None,
        })
    }

    pub async fn describe(&self) -> Result<String, GenerateError> {
        match self {
            Client::Draft => Ok("draft: built-in storyboard sketches (no server)".into()),
            Client::A1111(c) => c.describe().await,
            Client::ComfyUi(c) => c.describe().await,
            Client::OpenAi(c) => c.describe().await,
            Client::Horde(c) => c.describe().await,
        }
    }
}

/// Probes every server of a configuration at once: each URL with whether it answered.
pub fn probe_servers(config: &BackendConfig) -> Vec<(String, Result<(), GenerateError>)> {
    if config.kind == BackendKind::Draft {
        return Vec::new();
    }
    let urls = config.server_urls();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            let error = || GenerateError::Other(format!("cannot start the async runtime: {e}"));
            return urls.into_iter().map(|u| (u, Err(error()))).collect();
        }
    };
    runtime.block_on(async {
        let probes = urls.iter().map(|url| async move {
            match Client::new(config, url) {
                Ok(client) => client.probe().await,
                Err(e) => Err(e),
            }
        });
        let answers = futures_util::future::join_all(probes).await;
        urls.into_iter().zip(answers).collect()
    })
}

/// Rejects techniques a backend cannot apply, before any request is sent.
pub fn check_supported(
    config: &BackendConfig,
    request: &ImageRequest,
) -> Result<(), GenerateError> {
    let unsupported = |technique, hint| {
        Err(GenerateError::Unsupported {
            backend: config.kind.name(),
            technique,
            hint,
        })
    };
    match config.kind {
        BackendKind::Draft | BackendKind::A1111 => Ok(()),
        BackendKind::SdCpp if request.reference.is_some() => unsupported(
            "reference images (IP-Adapter)",
            "use a LoRA, img2img from the reference, or the \"a1111\" backend with ControlNet",
        ),
        BackendKind::SdCpp => Ok(()),
        BackendKind::ComfyUi => match comfyui::unsupported(config, request) {
            Some((technique, hint)) => unsupported(technique, hint),
            None => Ok(()),
        },
        BackendKind::OpenAi if !request.loras.is_empty() => unsupported(
            "LoRAs",
            "use the \"a1111\", \"sdcpp\" or \"comfyui\" backend",
        ),
        BackendKind::OpenAi if request.reference.is_some() => unsupported(
            "reference images",
            "use the \"a1111\" backend with ControlNet IP-Adapter",
        ),
        BackendKind::OpenAi if request.init_image.is_some() => {
            unsupported("img2img", "use the \"a1111\" or \"comfyui\" backend")
        }
        BackendKind::OpenAi => Ok(()),
        BackendKind::Horde if request.reference.is_some() => unsupported(
            "reference images",
            "use a LoRA, or the \"a1111\" backend with ControlNet IP-Adapter",
        ),
        BackendKind::Horde if request.init_image.is_some() => {
            unsupported("img2img", "use the \"a1111\" or \"comfyui\" backend")
        }
        BackendKind::Horde => Ok(()),
    }
}

/// An `f32` as the decimal a person wrote (0.6, not 0.6000000238418579) for JSON.
pub fn decimal(value: f32) -> Value {
    format!("{value}")
        .parse::<f64>()
        .map(|v| json!(v))
        .unwrap_or(Value::Null)
}
