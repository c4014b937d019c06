//! The AI Horde (aihorde.net): volunteer GPU workers behind a queue. A request is
//! submitted, checked until a worker has made it, then collected; the key travels
//! only in the `apikey` header.

use std::sync::Mutex;
use std::time::Duration;

use reqwest::RequestBuilder;
use serde_json::{json, Value};

use super::http::{png_from_base64, png_from_bytes, Http};
use super::{decimal, Job, Output, Stage, StepSink};
use crate::generate::capabilities::Capabilities;
use crate::generate::config::{BackendConfig, BackendKind};
use crate::generate::error::GenerateError;
use crate::server_message::clean;

const DEFAULT_KEY_ENV: &str = "STORYREEL_HORDE_KEY";
/// The Horde's documented key for anonymous use (lowest queue priority).
pub const ANONYMOUS_KEY: &str = "0000000000";
/// Separates several model names inside `Job::model` (and so in the cache key).
pub const MODEL_SEPARATOR: &str = " | ";

pub struct Horde {
    pub http: Http,
    key: String,
    key_env: String,
    models: Vec<String>,
    poll: Duration,
    /// Submitted requests not yet collected: what Ctrl-C cancels.
    running: Mutex<Vec<String>>,
}

impl Horde {
    pub fn new(config: &BackendConfig, url: &str) -> Result<Self, GenerateError> {
        let key_env = config
            .auth_env
            .clone()
            .unwrap_or_else(|| DEFAULT_KEY_ENV.into());
        let key = std::env::var(&key_env)
            .ok()
            .map(|k| k.trim().to_string())
            .filter(|k| !k.is_empty())
            .unwrap_or_else(|| ANONYMOUS_KEY.into());
        if key != ANONYMOUS_KEY {
            crate::server_message::remember_secret(&key);
        }
        Ok(Horde {
            http: Http::new(url, config.timeout)?,
            key,
            key_env,
            models: config.models.clone(),
            poll: config.poll,
            running: Mutex::new(Vec::new()),
        })
    }

    fn keyed(&self, request: RequestBuilder) -> RequestBuilder {
        request.header("apikey", &self.key).header(
            "Client-Agent",
            concat!("storyreel:", env!("CARGO_PKG_VERSION"), ":"),
        )
    }

    pub fn body(&self, job: &Job) -> Value {
        let r = &job.request;
        let prompt = if r.negative.trim().is_empty() {
            r.prompt.clone()
        } else {
            format!("{} ### {}", r.prompt, r.negative)
        };
        let mut params = json!({
            "width": r.width,
            "height": r.height,
            "steps": r.steps,
            "cfg_scale": decimal(r.cfg),
            "seed": r.seed.to_string(),
            "n": 1,
        });
        if let Some(sampler) = &r.sampler {
            params["sampler_name"] = json!(sampler);
        }
        if !r.loras.is_empty() {
            let loras: Vec<Value> = r
                .loras
                .iter()
                .map(|l| json!({ "name": l.name, "model": decimal(l.weight), "clip": decimal(l.weight) }))
                .collect();
            params["loras"] = Value::Array(loras);
        }
        let models: Vec<String> = match &job.model {
            Some(joined) => joined.split(MODEL_SEPARATOR).map(String::from).collect(),
            None => self.models.clone(),
        };
        json!({ "prompt": prompt, "params": params, "models": models, "r2": false })
    }

    pub async fn generate(&self, job: &Job, step: StepSink<'_>) -> Result<Output, GenerateError> {
        let submit = self
            .keyed(
                self.http
                    .client
                    .post(self.http.at("/api/v2/generate/async")),
            )
            .json(&self.body(job));
        let (status, body) = self.http.send_raw(submit).await?;
        if status != 202 && status != 200 {
            return Err(self.refused(status, &body));
        }
        let id = self.http.parse_json(&body)?["id"]
            .as_str()
            .map(String::from)
            .ok_or_else(|| self.http.bad("the submission answer has no `id`"))?;
        self.running_mut().push(id.clone());
        let outcome = self.wait_and_collect(&id, step).await;
        self.running_mut().retain(|r| r != &id);
        if outcome.is_err() {
            // A request given up must not wait on in the Horde's queue, spending kudos.
            self.cancel(&id).await;
        }
        outcome
    }

    async fn cancel(&self, id: &str) {
        let path = format!("/api/v2/generate/status/{id}");
        self.http
            .stop(self.keyed(self.http.client.delete(self.http.at(&path))))
            .await;
    }

    fn running_mut(&self) -> std::sync::MutexGuard<'_, Vec<String>> {
        self.running.lock().unwrap_or_else(|p| p.into_inner())
    }

    async fn wait_and_collect(
        &self,
        id: &str,
        step: StepSink<'_>,
    ) -> Result<Output, GenerateError> {
        loop {
            tokio::time::sleep(self.poll).await;
            let check = self.get(&format!("/api/v2/generate/check/{id}")).await?;
            if check["faulted"].as_bool() == Some(true) {
                return Err(self.failed(format!(
                    "the Horde reports request {id} as faulted (a worker or the Horde failed on it); try again, perhaps with other `models`"
                )));
            }
            if check["is_possible"].as_bool() == Some(false) {
                return Err(self.failed(format!(
                    "no Horde worker now online can make this request (models: {}); choose other `models`, a smaller size or fewer steps",
                    self.models_text()
                )));
            }
            if check["done"].as_bool() == Some(true) {
                break;
            }
            step(Stage::Queued {
                position: check["queue_position"].as_u64().unwrap_or(0) as u32,
                wait_secs: check["wait_time"].as_u64().unwrap_or(0) as u32,
            });
        }
        let status = self.get(&format!("/api/v2/generate/status/{id}")).await?;
        let generation = status["generations"]
            .as_array()
            .and_then(|g| g.first())
            .ok_or_else(|| {
                self.http
                    .bad(format!("request {id} is done but has no generations"))
            })?;
        if generation["censored"].as_bool() == Some(true) {
            return Err(self.failed(format!(
                "the worker {:?}'s safety filter censored the image; change the prompt or seed",
                generation["worker_name"].as_str().unwrap_or("?")
            )));
        }
        let img = generation["img"]
            .as_str()
            .ok_or_else(|| self.http.bad("the generation has no `img`"))?;
        let png = if img.starts_with("http://") || img.starts_with("https://") {
            let bytes = self.http.send(self.http.client.get(img)).await?;
            png_from_bytes(&self.http, bytes)?
        } else {
            png_from_base64(&self.http, img)?
        };
        let info = json!({
            "horde_id": id,
            "seed": generation["seed"],
            "model": generation["model"],
            "worker_name": generation["worker_name"],
            "worker_id": generation["worker_id"],
            "kudos": status["kudos"],
        });
        Ok(Output { png, info })
    }

    async fn get(&self, path: &str) -> Result<Value, GenerateError> {
        let request = self.keyed(self.http.client.get(self.http.at(path)));
        let (status, body) = self.http.send_raw(request).await?;
        if !(200..300).contains(&status) {
            return Err(self.refused(status, &body));
        }
        self.http.parse_json(&body)
    }

    fn failed(&self, message: String) -> GenerateError {
        GenerateError::Failed {
            url: self.http.url.clone(),
            message,
        }
    }

    fn models_text(&self) -> String {
        if self.models.is_empty() {
            "any".into()
        } else {
            self.models.join(", ")
        }
    }

    /// An error answer (`{message, errors, rc}`) in words, with what to do about it.
    fn refused(&self, status: u16, body: &[u8]) -> GenerateError {
        let reply: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        let mut said = reply["message"]
            .as_str()
            .map(String::from)
            .unwrap_or_else(|| crate::server_message::server_message(status, body));
        if let Some(errors) = reply["errors"].as_object() {
            let fields: Vec<String> = errors
                .iter()
                .map(|(field, why)| {
                    format!("{field}: {}", why.as_str().unwrap_or(&why.to_string()))
                })
                .collect();
            if !fields.is_empty() {
                said.push_str(&format!(" ({})", fields.join("; ")));
            }
        }
        if let Some(rc) = reply["rc"].as_str() {
            said.push_str(&format!(" [{rc}]"));
        }
        let hint = match status {
            401 | 403 => format!(
                "; the API key in the environment variable {} was refused: register at https://aihorde.net/register for a key, or unset it to use the anonymous key",
                self.key_env
            ),
            429 => "; the Horde limits how often one key may ask: wait a little, or lower `concurrency`".into(),
            400 => "; the request's options are outside what the Horde accepts".into(),
            _ => String::new(),
        };
        GenerateError::Server {
            url: self.http.url.clone(),
            status,
            message: clean(&format!("{said}{hint}")),
        }
    }

    /// Cancels every request still queued or running on the Horde.
    pub async fn interrupt(&self) {
        let ids: Vec<String> = std::mem::take(&mut *self.running_mut());
        for id in ids {
            self.cancel(&id).await;
        }
    }

    async fn model_list(&self) -> Result<Vec<Value>, GenerateError> {
        let list = self.get("/api/v2/status/models?type=image").await?;
        Ok(list.as_array().cloned().unwrap_or_default())
    }

    pub async fn capabilities(&self) -> Result<Capabilities, GenerateError> {
        let models = self.model_list().await?;
        Ok(Capabilities {
            url: self.http.url.clone(),
            kind: Some(BackendKind::Horde),
            models: models
                .iter()
                .filter_map(|m| m["name"].as_str().map(String::from))
                .collect(),
            ..Capabilities::default()
        })
    }

    pub async fn describe(&self) -> Result<String, GenerateError> {
        let mut models = self.model_list().await?;
        models.sort_by_key(|m| std::cmp::Reverse(m["count"].as_u64().unwrap_or(0)));
        let shown: Vec<String> = models
            .iter()
            .take(20)
            .map(|m| {
                format!(
                    "{} ({} workers, about {} s queue)",
                    m["name"].as_str().unwrap_or("?"),
                    m["count"].as_u64().unwrap_or(0),
                    m["eta"].as_u64().unwrap_or(0)
                )
            })
            .collect();
        let key = if self.key == ANONYMOUS_KEY {
            format!("anonymous ({} is not set)", self.key_env)
        } else {
            format!("from {}", self.key_env)
        };
        Ok(format!(
            "AI Horde at {}\n  key: {key}\n  asking for models: {}\n  busiest models of {}: {}",
            self.http.url,
            self.models_text(),
            models.len(),
            shown.join(", ")
        ))
    }
}
