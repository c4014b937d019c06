//! The AI Horde (aihorde.net): volunteer GPU workers behind a queue. A request is
//! submitted, checked until a worker has made it, then collected; the key travels
//! only in the `apikey` header.

use std::sync::Mutex;
use std::time::Duration;

use reqwest::RequestBuilder;
use serde_json::{json, Value};

use super::http::{png_from_base64, png_from_bytes, Http};
use super::{decimal, Job, Output, Stage, StepSink};
use crate::generate::capabilities::{Capabilities, HORDE_SAMPLERS, HORDE_SCHEDULERS};
use crate::generate::config::{BackendConfig, BackendKind};
use crate::generate::error::GenerateError;
use crate::server_message::clean;

const DEFAULT_KEY_ENV: &str = "STORYREEL_HORDE_KEY";
/// The Horde's documented key for anonymous use (lowest queue priority).
pub const ANONYMOUS_KEY: &str = "0000000000";
/// Separates several model names inside `Job::model` (and so in the cache key).
pub const MODEL_SEPARATOR: &str = " | ";
/// The Horde allows 2 submissions per second per key and 90 per minute per address:
/// one submission per 0.7 s from this program keeps a script under both.
pub const SUBMIT_EVERY: Duration = Duration::from_millis(700);

/// When the next submission to each Horde (by URL) may go, shared by every client of
/// the program, so two backends or pools on one Horde are paced together.
static NEXT_SUBMIT: Mutex<Vec<(String, tokio::time::Instant)>> = Mutex::new(Vec::new());

/// The size the Horde makes for a requested one: 64 to 3072 in multiples of 64
/// (it answers 400 to anything else), rounded to the nearest.
pub fn made_size(width: u32, height: u32) -> (u32, u32) {
    let side = |n: u32| ((n + 32) / 64 * 64).clamp(64, 3072);
    (side(width), side(height))
}

/// `name:version:contact`: the contact is `STORYREEL_HORDE_CONTACT` when set (a URL or
/// e-mail of your choosing), else the package's repository.
fn client_agent() -> String {
    let contact = std::env::var("STORYREEL_HORDE_CONTACT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .unwrap_or_else(|| {
            option_env!("CARGO_PKG_REPOSITORY")
                .filter(|r| !r.is_empty())
                .unwrap_or("unknown")
                .to_string()
        });
    format!("storyreel:{}:{}", env!("CARGO_PKG_VERSION"), contact.trim())
}

/// Waits for this submission's turn at the Horde at `url`.
async fn pace(url: &str) {
    let turn = {
        let mut next = NEXT_SUBMIT.lock().unwrap_or_else(|p| p.into_inner());
        let now = tokio::time::Instant::now();
        let at = match next.iter_mut().find(|(u, _)| u == url) {
            Some((_, at)) => at,
            None => {
                next.push((url.to_string(), now));
                &mut next.last_mut().expect("just pushed").1
            }
        };
        let turn = (*at).max(now);
        *at = turn + SUBMIT_EVERY;
        turn
    };
    tokio::time::sleep_until(turn).await;
}

pub struct Horde {
    pub http: Http,
    key: String,
    key_env: String,
    models: Vec<String>,
    poll: Duration,
    nsfw: bool,
    /// How long a request no worker can take now waits for one.
    retry_for: Duration,
    /// `Client-Agent`: `name:version:contact`, as the Horde asks of clients.
    agent: String,
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
            nsfw: config.nsfw,
            retry_for: config.retry_for,
            agent: client_agent(),
            running: Mutex::new(Vec::new()),
        })
    }

    fn keyed(&self, request: RequestBuilder) -> RequestBuilder {
        request
            .header("apikey", &self.key)
            .header("Client-Agent", &self.agent)
    }

    pub fn body(&self, job: &Job) -> Value {
        let r = &job.request;
        let prompt = if r.negative.trim().is_empty() {
            r.prompt.clone()
        } else {
            format!("{} ### {}", r.prompt, r.negative)
        };
        let (width, height) = made_size(r.width, r.height);
        // The Horde refuses a cfg with more than 2 decimals (400 BadCFGDecimals).
        let cfg = (decimal(r.cfg).as_f64().unwrap_or(7.0) * 100.0).round() / 100.0;
        let mut params = json!({
            "width": width,
            "height": height,
            "steps": r.steps,
            "cfg_scale": cfg,
            "seed": r.seed.to_string(),
            "n": 1,
            // The Horde assumes `karras: true` when it is not sent.
            "karras": r.scheduler.as_deref().is_none_or(|s| s.eq_ignore_ascii_case("karras")),
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
        // The Horde takes a request as NSFW unless told otherwise: then workers that take
        // only safe-for-work jobs skip it, and its censor never runs.
        json!({
            "prompt": prompt, "params": params, "models": models, "r2": false,
            "nsfw": self.nsfw, "censor_nsfw": !self.nsfw,
        })
    }

    pub async fn generate(&self, job: &Job, step: StepSink<'_>) -> Result<Output, GenerateError> {
        pace(&self.http.url).await;
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
        let answer = self.http.parse_json(&body)?;
        let id = answer["id"]
            .as_str()
            .map(String::from)
            .ok_or_else(|| self.http.bad("the submission answer has no `id`"))?;
        self.running_mut().push(id.clone());
        let outcome = self.wait_and_collect(&id, step).await.map(|mut output| {
            // Where the request exceeds a model's limits (StepsTooMany, SamplerMismatch, …).
            let said = answer["warnings"].as_array().into_iter().flatten();
            output.warnings.splice(
                0..0,
                said.map(|w| {
                    let code = w["code"].as_str().unwrap_or("warning");
                    format!(
                        "the Horde warns: {} [{code}]",
                        w["message"].as_str().unwrap_or(code)
                    )
                }),
            );
            output
        });
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
        let mut impossible_since: Option<tokio::time::Instant> = None;
        loop {
            tokio::time::sleep(self.poll).await;
            let check = match self.get(&format!("/api/v2/generate/check/{id}")).await {
                // Checking too often is no reason to give up a queued request.
                Err(GenerateError::Busy { retry_after, .. }) => {
                    tokio::time::sleep(retry_after.unwrap_or(self.poll)).await;
                    continue;
                }
                other => other?,
            };
            if check["faulted"].as_bool() == Some(true) {
                return Err(self.failed(format!(
                    "the Horde reports request {id} as faulted (a worker or the Horde failed on it); try again, perhaps with other `models`"
                )));
            }
            if check["done"].as_bool() == Some(true) {
                break;
            }
            let wait_secs = check["wait_time"].as_u64().unwrap_or(0) as u32;
            if check["is_possible"].as_bool() == Some(false) {
                // The Horde keeps such a request up to 20 minutes in case a worker comes
                // online: it waits, saying so, for up to `retry_for`.
                let since = *impossible_since.get_or_insert_with(tokio::time::Instant::now);
                if since.elapsed() > self.retry_for {
                    return Err(self.failed(format!(
                        "no Horde worker online could make this request for {} s (option `retry_for`; models: {}); choose other `models`, a smaller size or fewer steps",
                        self.retry_for.as_secs_f64(),
                        self.models_text()
                    )));
                }
                step(Stage::NoWorker);
            } else if check["processing"].as_u64().unwrap_or(0) > 0 {
                step(Stage::Processing { wait_secs });
            } else {
                step(Stage::Queued {
                    position: check["queue_position"].as_u64().unwrap_or(0) as u32,
                    wait_secs,
                });
            }
        }
        let status = self.get(&format!("/api/v2/generate/status/{id}")).await?;
        let Some(generation) = status["generations"].as_array().and_then(|g| g.first()) else {
            // `faulted` is set later by a background task: a request whose workers failed
            // ends done, not faulted, restarted, with nothing made.
            let restarted = status["restarted"].as_u64().unwrap_or(0);
            return Err(self.failed(if restarted > 0 {
                format!(
                    "the Horde's workers failed request {id} ({restarted} tried and gave up) and it made no image; try again later, or other `models`"
                )
            } else {
                format!("request {id} ended with no image (the Horde may have cancelled it); try again")
            }));
        };
        if generation["censored"].as_bool() == Some(true) {
            return Err(self.failed(format!(
                "the worker {:?}'s safety filter censored the image; change the prompt or seed",
                generation["worker_name"].as_str().unwrap_or("?")
            )));
        }
        let img = generation["img"]
            .as_str()
            .ok_or_else(|| self.http.bad("the generation has no `img`"))?;
        if img == "N/A" {
            return Err(self.failed(format!(
                "the Horde lost the image of request {id} (its `img` is \"N/A\": the upload from the worker failed); try again"
            )));
        }
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
            "gen_metadata": generation["gen_metadata"],
        });
        let mut output = Output::new(png, info);
        output.seed_used = match &generation["seed"] {
            Value::String(seed) => seed.parse().ok(),
            seed => seed.as_u64(),
        };
        for entry in generation["gen_metadata"].as_array().into_iter().flatten() {
            let (kind, value) = (
                entry["type"].as_str().unwrap_or("?"),
                entry["value"].as_str().unwrap_or("?"),
            );
            let what = match entry["ref"].as_str() {
                Some(name) => format!("{kind} {name:?}: {value}"),
                None => format!("{kind}: {value}"),
            };
            // e.g. `lora / download_failed`: the image was made without the LoRA.
            let why = format!(
                "the worker {:?} did not make it as asked ({what})",
                generation["worker_name"].as_str().unwrap_or("?")
            );
            output
                .warnings
                .push(format!("{why}; it is kept for now but not cached"));
            output.not_honoured.get_or_insert(why);
        }
        Ok(output)
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
        let rc = reply["rc"].as_str().unwrap_or("");
        let hint = match (status, rc) {
            (401, _) | (403, "InvalidAPIKey") => format!(
                "; the API key in the environment variable {} was refused: register at https://aihorde.net/register for a key, or unset it to use the anonymous key",
                self.key_env
            ),
            (_, "KudosUpfront") => "; this request costs more kudos up front than the account has: make it smaller or with fewer steps, or earn kudos (https://aihorde.net)".into(),
            (_, "TimeoutIP" | "UnsafeIP" | "TooManyNewIPs") => "; the Horde refuses requests from this address for now (abuse prevention): try again later".into(),
            (_, "AnonForbidden" | "BetaAnonForbidden") => format!(
                "; the anonymous key may not do this: put a key from https://aihorde.net/register in the environment variable {}",
                self.key_env
            ),
            (400, _) => "; the request's options are outside what the Horde accepts".into(),
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
        let owned = |names: &[&str]| names.iter().map(|n| n.to_string()).collect();
        Ok(Capabilities {
            url: self.http.url.clone(),
            kind: Some(BackendKind::Horde),
            models: models
                .iter()
                .filter_map(|m| m["name"].as_str().map(String::from))
                .collect(),
            samplers: owned(HORDE_SAMPLERS),
            schedulers: owned(HORDE_SCHEDULERS),
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
