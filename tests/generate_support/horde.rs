//! Stand-in AI Horde (`/api/v2`) following the published API: 202 `{id, kws}` on
//! submission, `check` answers that count a queue down, `status` with base64 WebP
//! generations (`r2: false`), `DELETE status` to cancel, `{message, rc}` errors,
//! the request-validation shape `{message, errors}`, and the image model list.

use std::io::Cursor;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

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
}

pub const KEY: &str = "horde-key-SECRET-2468";

pub struct Shared {
    pub mode: Mutex<Mode>,
    /// Checks answered `done: false` before a request is done.
    pub polls: u32,
    pub submitted: Mutex<Vec<Value>>,
    pub keys: Mutex<Vec<String>>,
    pub checks: AtomicU32,
    pub deleted: Mutex<Vec<String>>,
    /// Seed and size of each request by id.
    seeds: Mutex<Vec<(String, String, u32, u32)>>,
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
            checks: AtomicU32::new(0),
            deleted: Mutex::default(),
            seeds: Mutex::default(),
        });
        let router = Router::new()
            .route("/api/v2/generate/async", post(submit))
            .route("/api/v2/generate/check/{id}", get(check))
            .route("/api/v2/generate/status/{id}", get(status).delete(cancel))
            .route("/api/v2/status/models", get(models))
            .with_state(state.clone());
        Horde {
            url: spawn_server(router),
            state,
        }
    }

    pub fn set_mode(&self, mode: Mode) {
        *self.state.mode.lock().unwrap() = mode;
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
    if key != KEY && key != "0000000000" {
        return error(
            StatusCode::UNAUTHORIZED,
            "No user matching sent API Key. Have you remembered to register at https://stablehorde.net/register ?",
            "InvalidAPIKey",
        );
    }
    // The schema's `multiple=64` on width and height, as flask-restx reports it.
    let width = body["params"]["width"].as_u64().unwrap_or(512);
    if width % 64 != 0 {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({
                "errors": { "params.width": format!("{width} is not a multiple of 64") },
                "message": "Input payload validation failed",
            })),
        )
            .into_response();
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
    (StatusCode::ACCEPTED, Json(json!({ "id": id, "kws": 10.0 }))).into_response()
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
    let done = mode == Mode::Works && seen >= state.polls;
    let left = state.polls.saturating_sub(seen);
    json!({
        "finished": u32::from(done), "processing": 0, "restarted": 0,
        "waiting": u32::from(!done), "done": done, "faulted": mode == Mode::Faulted,
        "wait_time": left * 2, "queue_position": left, "kudos": 10.0,
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
    let done = answer["done"] == true;
    answer["generations"] = if done {
        json!([{
            "img": webp(seed.parse().unwrap_or(0), width, height),
            "seed": seed, "id": format!("gen-{id}"), "censored": false,
            "worker_id": "w-1", "worker_name": "Volunteer GPU",
            "model": "AlbedoBase XL (SDXL)", "state": "ok", "gen_metadata": [],
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
