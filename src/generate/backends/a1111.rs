//! AUTOMATIC1111 / Forge / SD.Next `/sdapi/v1` client, also used for
//! stable-diffusion.cpp's sd-server (LoRAs as an array, no `/progress`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use reqwest::RequestBuilder;
use serde_json::{json, Map, Value};

use super::http::{base64_of, png_from_base64, Http};
use super::identify::explain_missing_route;
use super::{decimal, Job, Output, Stage, StepSink};
use crate::generate::capabilities::Capabilities;
use crate::generate::config::{BackendConfig, BackendKind, IpAdapter};
use crate::generate::error::GenerateError;

/// How often `/progress` is asked while an image is being made.
const PROGRESS_EVERY: Duration = Duration::from_millis(500);
/// img2img denoising when the request does not say.
const DEFAULT_STRENGTH: f32 = 0.6;

pub struct A1111 {
    pub http: Http,
    sdcpp: bool,
    model: Option<String>,
    ip_adapter: IpAdapter,
    /// `user:pass` for `--api-auth`, read from the environment variable the user named.
    auth: Option<(String, String)>,
    /// Set once the server answers 404 to `/progress` (sd.cpp, old builds): stop asking.
    no_progress: AtomicBool,
}

impl A1111 {
    pub fn new(config: &BackendConfig, url: &str) -> Result<Self, GenerateError> {
        let auth = match &config.auth_env {
            Some(var) => {
                let value = std::env::var(var).unwrap_or_default();
                let (user, pass) =
                    value
                        .split_once(':')
                        .ok_or_else(|| GenerateError::InvalidOption {
                            context: "backend: ".into(),
                            option: "auth",
                            value: format!("{var:?}"),
                            allowed: "an environment variable holding user:password".into(),
                        })?;
                crate::server_message::remember_secret(&value);
                Some((user.to_string(), pass.to_string()))
            }
            None => None,
        };
        let sdcpp = config.kind == BackendKind::SdCpp;
        Ok(A1111 {
            http: Http::new(url, config.timeout)?,
            sdcpp,
            model: config.model.clone(),
            ip_adapter: config.ip_adapter.clone(),
            auth,
            no_progress: AtomicBool::new(sdcpp),
        })
    }

    fn with_auth(&self, request: RequestBuilder) -> RequestBuilder {
        match &self.auth {
            Some((user, pass)) => request.basic_auth(user, Some(pass)),
            None => request,
        }
    }

    /// The JSON body for txt2img or img2img.
    pub fn body(&self, job: &Job) -> Value {
        let r = &job.request;
        let mut prompt = r.prompt.clone();
        if !self.sdcpp {
            // A1111 reads LoRAs from prompt tags; sd.cpp passes tags to CLIP as text.
            for lora in &r.loras {
                prompt.push_str(&format!(" <lora:{}:{}>", lora.name, lora.weight));
            }
        }
        let mut body = Map::new();
        body.insert("prompt".into(), json!(prompt));
        body.insert("negative_prompt".into(), json!(r.negative));
        body.insert("seed".into(), json!(r.seed));
        body.insert("steps".into(), json!(r.steps));
        body.insert("cfg_scale".into(), decimal(r.cfg));
        body.insert("width".into(), json!(r.width));
        body.insert("height".into(), json!(r.height));
        body.insert("batch_size".into(), json!(1));
        body.insert("n_iter".into(), json!(1));
        body.insert("send_images".into(), json!(true));
        body.insert("save_images".into(), json!(false));
        if let Some(sampler) = &r.sampler {
            body.insert("sampler_name".into(), json!(sampler));
        }
        if let Some(scheduler) = &r.scheduler {
            body.insert("scheduler".into(), json!(scheduler));
        }
        if self.sdcpp {
            let loras: Vec<Value> = r
                .loras
                .iter()
                .map(|l| json!({"path": l.name, "multiplier": decimal(l.weight)}))
                .collect();
            if !loras.is_empty() {
                body.insert("lora".into(), Value::Array(loras));
            }
        } else if let Some(model) = job.model.as_ref().or(self.model.as_ref()) {
            body.insert(
                "override_settings".into(),
                json!({ "sd_model_checkpoint": model }),
            );
        }
        if let Some(reference) = &job.reference_png {
            let unit = json!({
                "enabled": true,
                "module": self.ip_adapter.module,
                "model": self.ip_adapter.model,
                "weight": decimal(self.ip_adapter.weight),
                "image": base64_of(reference),
                "control_mode": "Balanced",
                "resize_mode": "Crop and Resize",
                "guidance_start": 0.0,
                "guidance_end": 1.0,
                "pixel_perfect": true,
                "save_detected_map": false,
            });
            body.insert(
                "alwayson_scripts".into(),
                json!({ "ControlNet": { "args": [unit] } }),
            );
        }
        if let Some(init) = &job.init_png {
            body.insert("init_images".into(), json!([base64_of(init)]));
            body.insert(
                "denoising_strength".into(),
                decimal(r.strength.unwrap_or(DEFAULT_STRENGTH)),
            );
        }
        Value::Object(body)
    }

    pub async fn generate(&self, job: &Job, step: StepSink<'_>) -> Result<Output, GenerateError> {
        let route = if job.init_png.is_some() {
            "/sdapi/v1/img2img"
        } else {
            "/sdapi/v1/txt2img"
        };
        let post = self.http.send(
            self.with_auth(
                self.http
                    .client
                    .post(self.http.at(route))
                    .json(&self.body(job)),
            ),
        );
        let mut post = std::pin::pin!(post);
        let answer = loop {
            if self.no_progress.load(Ordering::Relaxed) {
                break post.await;
            }
            tokio::select! {
                answer = &mut post => break answer,
                _ = tokio::time::sleep(PROGRESS_EVERY) => self.report_progress(step).await,
            }
        };
        match answer {
            Ok(body) => self.parse(&body),
            Err(error) => {
                let kind = if self.sdcpp {
                    BackendKind::SdCpp
                } else {
                    BackendKind::A1111
                };
                let route = format!("POST {route}");
                Err(explain_missing_route(&self.http, kind, &route, error).await)
            }
        }
    }

    async fn report_progress(&self, step: StepSink<'_>) {
        let request = self.with_auth(
            self.http
                .client
                .get(self.http.at("/sdapi/v1/progress?skip_current_image=true")),
        );
        match self.http.send_raw(request).await {
            Ok((404, _)) => self.no_progress.store(true, Ordering::Relaxed),
            Ok((200, body)) => {
                let Ok(progress) = serde_json::from_slice::<Value>(&body) else {
                    return;
                };
                let state = &progress["state"];
                if let (Some(at), Some(of)) = (
                    state["sampling_step"].as_u64(),
                    state["sampling_steps"].as_u64(),
                ) {
                    if of > 0 {
                        step(Stage::Step(at as u32, of as u32));
                    }
                }
            }
            _ => {}
        }
    }

    /// `{images, parameters, info}` with `info` a JSON string (empty on sd.cpp) and
    /// ControlNet's detected maps after the generated image.
    fn parse(&self, body: &[u8]) -> Result<Output, GenerateError> {
        let reply = self.http.parse_json(body)?;
        let images = reply
            .get("images")
            .and_then(Value::as_array)
            .ok_or_else(|| self.http.bad("the reply has no `images` list"))?;
        let info = match reply.get("info") {
            Some(Value::String(text)) if !text.trim().is_empty() => {
                serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.clone()))
            }
            Some(Value::Object(map)) => Value::Object(map.clone()),
            _ => Value::Null,
        };
        let first = info
            .get("index_of_first_image")
            .and_then(Value::as_u64)
            .unwrap_or(0) as usize;
        let encoded = images.get(first).and_then(Value::as_str).ok_or_else(|| {
            self.http.bad(format!(
                "the reply has {} images, none at index {first}",
                images.len()
            ))
        })?;
        let seed_used = info.get("seed").and_then(Value::as_u64);
        let mut output = Output::new(png_from_base64(&self.http, encoded)?, info);
        output.seed_used = seed_used;
        Ok(output)
    }

    /// Asks the server to stop its running image; says so when it cannot (sd-server
    /// has no interrupt route: its image runs to the end, and the next waits for it).
    pub async fn interrupt(&self) -> Option<String> {
        let request = self.with_auth(self.http.empty_post("/sdapi/v1/interrupt"));
        match self.http.stop(request).await {
            Some(404 | 405) => Some(format!(
                "the server at {} cannot be interrupted (it has no /sdapi/v1/interrupt, as sd-server): \
                 the image it is making will finish, and its next request waits for it",
                self.http.url
            )),
            _ => None,
        }
    }

    /// The server's lists; a route it lacks (old builds) leaves its list empty.
    pub async fn capabilities(&self) -> Result<Capabilities, GenerateError> {
        let get = |path: &'static str| {
            let request = self.with_auth(self.http.client.get(self.http.at(path)));
            async move {
                match self.http.send(request).await {
                    Ok(body) => Ok(self.http.parse_json(&body).unwrap_or(Value::Null)),
                    Err(GenerateError::Server { status: 404, .. }) => Ok(Value::Null),
                    Err(e) => Err(e),
                }
            }
        };
        let field = |list: &Value, key: &str| -> Vec<String> {
            list.as_array()
                .map(|items| {
                    items
                        .iter()
                        .filter_map(|i| i[key].as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default()
        };
        let models = get("/sdapi/v1/sd-models").await?;
        let samplers = get("/sdapi/v1/samplers").await?;
        let schedulers = get("/sdapi/v1/schedulers").await?;
        // sd-server scans its LoRA folder on this call, and only then accepts paths in it.
        let loras = get("/sdapi/v1/loras").await?;
        let lora_names = field(&loras, "name");
        // sd-server wants the path under its LoRA folder; A1111 the name in a `<lora:…>` tag.
        let sent = if self.sdcpp {
            field(&loras, "path")
        } else {
            lora_names.clone()
        };
        Ok(Capabilities {
            url: self.http.url.clone(),
            kind: Some(if self.sdcpp {
                BackendKind::SdCpp
            } else {
                BackendKind::A1111
            }),
            models: field(&models, "title"),
            samplers: field(&samplers, "name"),
            schedulers: field(&schedulers, "name"),
            loras: lora_names.into_iter().zip(sent).collect(),
        })
    }

    /// The server and its loaded model; its lists follow from [`Self::capabilities`].
    pub async fn describe(&self) -> Result<String, GenerateError> {
        let request = self.with_auth(self.http.client.get(self.http.at("/sdapi/v1/options")));
        let options = self.http.parse_json(&self.http.send(request).await?)?;
        let current = options["sd_model_checkpoint"].as_str().unwrap_or("unknown");
        Ok(format!(
            "{} at {}\n  current model: {current}",
            if self.sdcpp {
                "stable-diffusion.cpp"
            } else {
                "a1111"
            },
            self.http.url,
        ))
    }
}
