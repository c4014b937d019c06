//! Stand-in AI Horde (`/api/v2`) following the published API: 202 `{id, kws}` on
//! submission, `check` answers that count a queue down, `status` with base64 WebP
//! generations (`r2: false`), `DELETE status` to cancel, `{message, rc}` errors,
//! the request-validation shape `{message, errors}`, and the image model list.
//! Like the real server it allows 2 submissions per second per key (429
//! `{"message": "2 per 1 second"}`, no `rc`), and it can be made busy for a while.

use std::io::Cursor;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use serde_json::{json, Value};

use super::{seed_color, spawn_server};

/// How the stand-in answers, to test the client's handling of each case.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Mode {
    /// Queued for `polls` checks, then done.
    #[default]
    Works,
    /// No worker can serve the request: `is_possible: false`.
    Impossible,
    /// The request failed on the Horde: `faulted: true`.
    Faulted,
    /// Too many parallel requests: 429 `TooManyPrompts`.
    RateLimited,
    /// Queued for ever (until cancelled).
    Stuck,
    /// Taken by a worker at once: `processing: 1`, `queue_position: 0` until done.
    Processing,
    /// Its workers failed twice: `done: true, faulted: false, restarted: 2`, no
    /// generations (`faulted` comes later, from a background task).
    WorkersFailed,
    /// The server lost the image: `img: "N/A"`.
    Lost,
    /// The worker could not download the LoRA: `gen_metadata` says so.
    LoraFailed,
    /// Submissions answer 403 `KudosUpfront`.
    NoKudos,
    /// Submissions answer the flask-restx validation shape for a field.
    Invalid,
}

pub const KEY: &str = "horde-key-SECRET-2468";

pub struct Shared {
    pub mode: Mutex<Mode>,
    /// Checks answered `done: false` before a request is done.
    pub polls: u32,
    pub submitted: Mutex<Vec<Value>>,
    pub keys: Mutex<Vec<String>>,
    /// `Client-Agent` of each submission.
    pub agents: Mutex<Vec<String>>,
    /// Sent back in the submission's answer, as for a request beyond a model's limits.
    pub warnings: Mutex<Vec<Value>>,
    pub checks: AtomicU32,
    pub deleted: Mutex<Vec<String>>,
    /// Seed and size of each request by id.
    seeds: Mutex<Vec<(String, String, u32, u32)>>,
    /// Every submission until then is answered 429, with this `Retry-After` (seconds) if set.
    pub busy: Mutex<Option<(Instant, Option<u32>)>>,
    /// Seed and arrival time of each submission answered 429.
    pub limited: Mutex<Vec<(String, Instant)>>,
    /// The per-key limit's current one-second window: key, start, submissions.
    window: Mutex<Vec<(String, Instant, u32)>>,
}

pub struct Horde {
    pub url: String,
    pub state: Arc<Shared>,
}

impl Horde {
    pub fn start(polls: u32) -> Horde {
        let state = Arc::new(Shared {
            mode: Mutex::new(Mode::Works),
            polls,
            submitted: Mutex::default(),
            keys: Mutex::default(),
            agents: Mutex::default(),
            warnings: Mutex::default(),
            checks: AtomicU32::new(0),
            deleted: Mutex::default(),
            seeds: Mutex::default(),
            busy: Mutex::default(),
            limited: Mutex::default(),
            window: Mutex::default(),
        });
        let router = Router::new()
            .route("/api/v2/generate/async", post(submit))
            .route("/api/v2/generate/check/{id}", get(check))
            .route("/api/v2/generate/status/{id}", get(status).delete(cancel))
            .route("/api/v2/status/models", get(models))
            .route("/api/v2/status/heartbeat", get(heartbeat))
            .with_state(state.clone());
        Horde {
            url: spawn_server(router),
            state,
        }
    }

    pub fn set_mode(&self, mode: Mode) {
        *self.state.mode.lock().unwrap() = mode;
    }

    /// Answers every submission 429 for `time` from now, with `Retry-After` if given.
    pub fn busy_for(&self, time: Duration, retry_after: Option<u32>) {
        *self.state.busy.lock().unwrap() = Some((Instant::now() + time, retry_after));
    }

    /// Arrival times of the 429 answers to submissions with this seed.
    pub fn limited(&self, seed: &str) -> Vec<Instant> {
        let limited = self.state.limited.lock().unwrap();
        limited
            .iter()
            .filter(|(s, _)| s == seed)
            .map(|(_, at)| *at)
            .collect()
    }
}

/// The rate limit's answer: no `rc`, `Retry-After` only when the test asks for it.
fn too_many(retry_after: Option<u32>) -> Response {
    let mut response = (
        StatusCode::TOO_MANY_REQUESTS,
        Json(json!({ "message": "2 per 1 second" })),
    )
        .into_response();
    if let Some(secs) = retry_after {
        response
            .headers_mut()
            .insert("retry-after", secs.to_string().parse().unwrap());
    }
    response
}

/// Whether this submission is over the limit of 2 per second per key (a fixed window).
fn over_limit(state: &Shared, key: &str) -> bool {
    let mut windows = state.window.lock().unwrap();
    let now = Instant::now();
    match windows.iter_mut().find(|(k, ..)| k == key) {
        Some((_, start, count)) if now.duration_since(*start) < Duration::from_secs(1) => {
            *count += 1;
            *count > 2
        }
        Some((_, start, count)) => {
            (*start, *count) = (now, 1);
            false
        }
        None => {
            windows.push((key.to_string(), now, 1));
            false
        }
    }
}

fn error(status: StatusCode, message: &str, rc: &str) -> Response {
    (status, Json(json!({ "message": message, "rc": rc }))).into_response()
}

async fn submit(
    State(state): State<Arc<Shared>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let key = headers
        .get("apikey")
        .and_then(|k| k.to_str().ok())
        .unwrap_or("")
        .to_string();
    state.keys.lock().unwrap().push(key.clone());
    let agent = headers.get("client-agent").and_then(|a| a.to_str().ok());
    state
        .agents
        .lock()
        .unwrap()
        .push(agent.unwrap_or("").to_string());
    if key != KEY && key != "0000000000" {
        return error(
            StatusCode::UNAUTHORIZED,
            "No user matching sent API Key. Have you remembered to register at https://stablehorde.net/register ?",
            "InvalidAPIKey",
        );
    }
    // The schema's limits (64 to 3072, `multiple=64`), as flask-restx reports them.
    let width = body["params"]["width"].as_u64().unwrap_or(512);
    let invalid = |field: &str, why: String| {
        (
            StatusCode::BAD_REQUEST,
            Json(json!({
                "errors": { field: why },
                "message": "Input payload validation failed",
            })),
        )
            .into_response()
    };
    if width % 64 != 0 || !(64..=3072).contains(&width) {
        return invalid("params.width", format!("{width} is not a multiple of 64"));
    }
    if *state.mode.lock().unwrap() == Mode::Invalid {
        return invalid(
            "params.steps",
            "200 is greater than the maximum of 150".into(),
        );
    }
    if let Some(sampler) = body["params"]["sampler_name"].as_str() {
        if !HORDE_SAMPLERS.contains(&sampler) {
            return invalid(
                "params.sampler_name",
                format!("'{sampler}' is not one of {HORDE_SAMPLERS:?}"),
            );
        }
    }
    // validation.py: at most 2 decimals, else BadCFGDecimals.
    let cfg = body["params"]["cfg_scale"].as_f64().unwrap_or(7.0);
    if ((cfg * 100.0).round() - cfg * 100.0).abs() > 1e-6 {
        return error(
            StatusCode::BAD_REQUEST,
            "cfg_scale must be a float with at most 2 decimals",
            "BadCFGDecimals",
        );
    }
    if *state.mode.lock().unwrap() == Mode::NoKudos {
        return error(
            StatusCode::FORBIDDEN,
            "This request requires 24 kudos to fulfil. As an anonymous or new user you need to have the kudos upfront.",
            "KudosUpfront",
        );
    }
    let busy = *state.busy.lock().unwrap();
    let busy = busy.filter(|(until, _)| Instant::now() < *until);
    if busy.is_some() || over_limit(&state, &key) {
        let seed = body["params"]["seed"].as_str().unwrap_or("").to_string();
        state.limited.lock().unwrap().push((seed, Instant::now()));
        return too_many(busy.and_then(|(_, retry_after)| retry_after));
    }
    if *state.mode.lock().unwrap() == Mode::RateLimited {
        return error(
            StatusCode::TOO_MANY_REQUESTS,
            "Parallel requests (1) exceeded user limit (1). Please try again later or request to increase your concurrency.",
            "TooManyPrompts",
        );
    }
    let mut submitted = state.submitted.lock().unwrap();
    let id = format!("00000000-0000-4000-8000-{:012}", submitted.len());
    let seed = body["params"]["seed"].as_str().unwrap_or("0").to_string();
    let height = body["params"]["height"].as_u64().unwrap_or(512) as u32;
    state
        .seeds
        .lock()
        .unwrap()
        .push((id.clone(), seed, width as u32, height));
    submitted.push(body);
    let mut answer = json!({ "id": id, "kudos": 10.0 });
    let warnings = state.warnings.lock().unwrap().clone();
    if !warnings.is_empty() {
        answer["warnings"] = Value::Array(warnings);
    }
    (StatusCode::ACCEPTED, Json(answer)).into_response()
}

fn known(state: &Shared, id: &str) -> Option<(String, u32, u32)> {
    let seeds = state.seeds.lock().unwrap();
    seeds
        .iter()
        .find(|(i, ..)| i == id)
        .map(|(_, s, w, h)| (s.clone(), *w, *h))
}

fn not_found(id: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        &format!("Request with ID {id} not found."),
        "RequestNotFound",
    )
}

/// The `RequestStatusCheck` fields; `done` once enough checks have passed.
fn progress(state: &Shared) -> Value {
    let mode = *state.mode.lock().unwrap();
    let seen = state.checks.fetch_add(1, Ordering::SeqCst);
    let works = matches!(
        mode,
        Mode::Works | Mode::Processing | Mode::Lost | Mode::LoraFailed
    );
    let done = (works && seen >= state.polls) || mode == Mode::WorkersFailed;
    let left = state.polls.saturating_sub(seen);
    let processing = mode == Mode::Processing && !done;
    let queue = if processing { 0 } else { left };
    json!({
        "finished": u32::from(done && works), "processing": u32::from(processing),
        "restarted": if mode == Mode::WorkersFailed { 2 } else { 0 },
        "waiting": u32::from(!done && !processing), "done": done, "faulted": mode == Mode::Faulted,
        "wait_time": left * 2, "queue_position": queue, "kudos": 10.0,
        "is_possible": mode != Mode::Impossible,
    })
}

async fn check(State(state): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    if known(&state, &id).is_none() {
        return not_found(&id);
    }
    Json(progress(&state)).into_response()
}

fn webp(seed: u64, width: u32, height: u32) -> String {
    let image = image::RgbImage::from_pixel(width, height, image::Rgb(seed_color(seed)));
    let mut bytes = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::WebP)
        .unwrap();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

async fn status(State(state): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let Some((seed, width, height)) = known(&state, &id) else {
        return not_found(&id);
    };
    let mut answer = progress(&state);
    let mode = *state.mode.lock().unwrap();
    let done = answer["done"] == true && mode != Mode::WorkersFailed;
    let img = if mode == Mode::Lost {
        "N/A".to_string()
    } else {
        webp(seed.parse().unwrap_or(0), width, height)
    };
    let metadata = if mode == Mode::LoraFailed {
        json!([{ "type": "lora", "value": "download_failed", "ref": "Magnagothica" }])
    } else {
        json!([])
    };
    answer["generations"] = if done {
        json!([{
            "img": img,
            "seed": seed, "id": format!("gen-{id}"), "censored": false,
            "worker_id": "w-1", "worker_name": "Volunteer GPU",
            "model": "AlbedoBase XL (SDXL)", "state": "ok", "gen_metadata": metadata,
        }])
    } else {
        json!([])
    };
    answer["shared"] = json!(false);
    Json(answer).into_response()
}

async fn cancel(State(state): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    if known(&state, &id).is_none() {
        return not_found(&id);
    }
    state.deleted.lock().unwrap().push(id);
    let mut answer = progress(&state);
    answer["generations"] = json!([]);
    Json(answer).into_response()
}

/// The Horde's sampler names (`consts.py`).
pub const HORDE_SAMPLERS: &[&str] = &[
    "k_lms",
    "k_heun",
    "k_euler",
    "k_euler_a",
    "k_dpm_2",
    "k_dpm_2_a",
    "k_dpm_fast",
    "k_dpm_adaptive",
    "k_dpmpp_2s_a",
    "k_dpmpp_2m",
    "dpmsolver",
    "k_dpmpp_sde",
    "lcm",
    "DDIM",
];

async fn heartbeat() -> Response {
    Json(json!({ "message": "OK", "version": "4.44.2" })).into_response()
}

async fn models(Query(query): Query<Vec<(String, String)>>) -> Response {
    let wanted = query
        .iter()
        .find(|(k, _)| k == "type")
        .map(|(_, v)| v.as_str());
    if wanted != Some("image") {
        return Json(json!([])).into_response();
    }
    let model = |name: &str, count: u32, eta: u32| {
        json!({ "name": name, "count": count, "performance": 1_000_000.0, "queued": 0.0,
                "jobs": 0.0, "eta": eta, "type": "image" })
    };
    Json(json!([
        model("AlbedoBase XL (SDXL)", 12, 30),
        model("Deliberate", 5, 12),
        model("stable_diffusion", 3, 8),
    ]))
    .into_response()
}
