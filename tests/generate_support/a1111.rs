//! Stand-in AUTOMATIC1111 `/sdapi/v1` server implementing the documented contract:
//! FastAPI 422 validation bodies, the `api_middleware` 500 shape, `info` as a JSON
//! string, ControlNet detected maps appended after the images, `/progress`,
//! `/interrupt`, optional HTTP Basic auth. One image at a time, like a real GPU.

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use serde_json::{json, Value};

use super::{png_for_seed, Running};

/// How a stand-in misbehaves, to test the client's error handling.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Fault {
    #[default]
    None,
    /// 500 with `{error, detail, body, errors}` as `api_middleware` sends.
    Error500,
    /// `images` holds text that is not base64.
    BadBase64,
    /// Valid base64 of bytes that are not an image.
    NotImage,
    /// Never answers within any sane timeout.
    Hang,
    /// FastAPI's 422 validation answer, as for a mistyped field.
    Reject422,
}

pub struct A1111 {
    pub url: String,
    pub state: Arc<Shared>,
    running: Mutex<Option<Running>>,
}

pub struct Shared {
    /// Time to make one image.
    pub delay: Duration,
    pub fault: Mutex<Fault>,
    /// Prompts containing this fail with an out-of-memory 500, as one too-large
    /// request does on a real server that then goes on working.
    pub reject_prompt: Mutex<Option<String>>,
    /// Bodies of every txt2img/img2img request, in arrival order.
    pub received: Mutex<Vec<Value>>,
    pub interrupts: AtomicU32,
    pub progress_polls: AtomicU32,
    pub images_made: AtomicU64,
    pub auth: Option<String>,
    /// Answers the list routes as stable-diffusion.cpp's sd-server does, and
    /// refuses LoRA paths that are not in its LoRA folder.
    pub sdcpp: bool,
    gpu: tokio::sync::Mutex<()>,
    step: AtomicU32,
    steps: AtomicU32,
    interrupted: AtomicBool,
}

impl A1111 {
    pub fn start(delay: Duration) -> A1111 {
        Self::start_with(delay, None)
    }

    /// `auth` is `user:pass`, required as HTTP Basic auth on every route.
    pub fn start_with(delay: Duration, auth: Option<&str>) -> A1111 {
        Self::start_as(delay, auth, false)
    }

    /// A stand-in stable-diffusion.cpp sd-server (same routes, its own list shapes).
    pub fn start_sdcpp(delay: Duration) -> A1111 {
        Self::start_as(delay, None, true)
    }

    fn start_as(delay: Duration, auth: Option<&str>, sdcpp: bool) -> A1111 {
        let state = Arc::new(Shared {
            delay,
            fault: Mutex::new(Fault::None),
            reject_prompt: Mutex::new(None),
            received: Mutex::new(Vec::new()),
            interrupts: AtomicU32::new(0),
            progress_polls: AtomicU32::new(0),
            images_made: AtomicU64::new(0),
            auth: auth.map(String::from),
            sdcpp,
            gpu: tokio::sync::Mutex::new(()),
            step: AtomicU32::new(0),
            steps: AtomicU32::new(0),
            interrupted: AtomicBool::new(false),
        });
        let running = Running::start(router(state.clone()), "127.0.0.1:0");
        A1111 {
            url: running.url.clone(),
            state,
            running: Mutex::new(Some(running)),
        }
    }

    /// The server process dies: connections drop, the port refuses.
    pub fn kill(&self) {
        if let Some(running) = self.running.lock().unwrap().take() {
            running.kill();
        }
    }

    /// Started again on the same port.
    pub fn revive(&self) {
        let addr = self.url.trim_start_matches("http://");
        let running = Running::start(router(self.state.clone()), addr);
        *self.running.lock().unwrap() = Some(running);
    }

    pub fn reject_prompts_with(&self, text: &str) {
        *self.state.reject_prompt.lock().unwrap() = Some(text.to_string());
    }

    pub fn set_fault(&self, fault: Fault) {
        *self.state.fault.lock().unwrap() = fault;
    }

    pub fn received(&self) -> Vec<Value> {
        self.state.received.lock().unwrap().clone()
    }
}

fn router(state: Arc<Shared>) -> Router {
    Router::new()
        .route("/sdapi/v1/txt2img", post(txt2img))
        .route("/sdapi/v1/img2img", post(img2img))
        .route("/sdapi/v1/progress", get(progress))
        .route("/sdapi/v1/interrupt", post(interrupt))
        .route("/sdapi/v1/sd-models", get(models))
        .route("/sdapi/v1/samplers", get(samplers))
        .route("/sdapi/v1/schedulers", get(schedulers))
        .route("/sdapi/v1/loras", get(loras))
        .route("/sdapi/v1/options", get(options))
        .with_state(state)
}

fn unauthorised(state: &Shared, headers: &HeaderMap) -> Option<Response> {
    let expected = state.auth.as_ref()?;
    let want = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(expected)
    );
    let got = headers.get("authorization").and_then(|v| v.to_str().ok());
    (got != Some(want.as_str())).then(|| {
        (
            StatusCode::UNAUTHORIZED,
            Json(json!({"detail": "Incorrect username or password"})),
        )
            .into_response()
    })
}

/// FastAPI's 422 for a field of the wrong type (pydantic v1 wording).
fn type_error(field: &str, kind: &str) -> Response {
    let (msg, ty) = match kind {
        "integer" => ("value is not a valid integer", "type_error.integer"),
        "float" => ("value is not a valid float", "type_error.float"),
        _ => ("str type expected", "type_error.str"),
    };
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({"detail": [{"loc": ["body", field], "msg": msg, "type": ty}]})),
    )
        .into_response()
}

fn validate(body: &Value) -> Result<(), Response> {
    for field in ["seed", "steps", "width", "height", "batch_size", "n_iter"] {
        if let Some(v) = body.get(field) {
            if !(v.is_i64() || v.is_u64()) {
                return Err(type_error(field, "integer"));
            }
        }
    }
    for field in ["cfg_scale", "denoising_strength"] {
        if let Some(v) = body.get(field) {
            if !v.is_number() {
                return Err(type_error(field, "float"));
            }
        }
    }
    for field in ["prompt", "negative_prompt", "sampler_name"] {
        if let Some(v) = body.get(field) {
            if !v.is_string() {
                return Err(type_error(field, "str"));
            }
        }
    }
    Ok(())
}

fn middleware_error(status: StatusCode, class: &str, detail: &str, errors: &str) -> Response {
    (
        status,
        Json(json!({"error": class, "detail": detail, "body": "", "errors": errors})),
    )
        .into_response()
}

async fn txt2img(state: State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    generate(state, headers, body, false).await
}

async fn img2img(state: State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    generate(state, headers, body, true).await
}

async fn generate(
    State(state): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
    img2img: bool,
) -> Response {
    if let Some(denied) = unauthorised(&state, &headers) {
        return denied;
    }
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return (StatusCode::UNPROCESSABLE_ENTITY, Json(json!({"detail": [{"loc": ["body", 0], "msg": "Expecting value", "type": "value_error.jsondecode"}]}))).into_response();
    };
    if let Err(response) = validate(&body) {
        return response;
    }
    if *state.fault.lock().unwrap() == Fault::Reject422 {
        return type_error("steps", "integer");
    }
    if state.sdcpp {
        for lora in body["lora"].as_array().into_iter().flatten() {
            let path = lora["path"].as_str().unwrap_or("");
            if !SDCPP_LORAS.iter().any(|(_, p)| *p == path) {
                return (
                    StatusCode::BAD_REQUEST,
                    Json(json!({"error": format!("invalid lora path: {path}")})),
                )
                    .into_response();
            }
        }
    }
    state.received.lock().unwrap().push(body.clone());
    if img2img && body.get("init_images").is_none() {
        return middleware_error(
            StatusCode::NOT_FOUND,
            "HTTPException",
            "Init image not found",
            "",
        );
    }
    let units: Vec<Value> = body["alwayson_scripts"]["ControlNet"]["args"]
        .as_array()
        .map(|units| {
            units
                .iter()
                .filter(|u| u["enabled"] == true)
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    if body["alwayson_scripts"]
        .as_object()
        .is_some_and(|s| s.keys().any(|k| !k.eq_ignore_ascii_case("controlnet")))
    {
        return middleware_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "HTTPException",
            "always on script not found",
            "",
        );
    }

    let fault = *state.fault.lock().unwrap();
    let _gpu = state.gpu.lock().await;
    state.interrupted.store(false, Ordering::SeqCst);
    let steps = body["steps"].as_u64().unwrap_or(50) as u32;
    state.steps.store(steps, Ordering::SeqCst);
    if fault == Fault::Hang {
        tokio::time::sleep(Duration::from_secs(3600)).await;
    }
    // Deadlines from the start, so timer rounding does not add up over the steps.
    let start = tokio::time::Instant::now();
    for step in 0..steps {
        if state.interrupted.load(Ordering::SeqCst) {
            break;
        }
        state.step.store(step, Ordering::SeqCst);
        tokio::time::sleep_until(start + state.delay * (step + 1) / steps).await;
    }
    state.step.store(0, Ordering::SeqCst);
    state.steps.store(0, Ordering::SeqCst);
    let rejected = state.reject_prompt.lock().unwrap().clone();
    let prompt = body["prompt"].as_str().unwrap_or("");
    match fault {
        _ if rejected.is_some_and(|text| prompt.contains(&text)) => {
            return middleware_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "OutOfMemoryError",
                "",
                "CUDA out of memory. Tried to allocate 9.00 GiB",
            )
        }
        Fault::Error500 => {
            return middleware_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "OutOfMemoryError",
                "",
                "CUDA out of memory. Tried to allocate 2.00 GiB",
            )
        }
        Fault::None | Fault::Hang | Fault::Reject422 => {}
        Fault::BadBase64 | Fault::NotImage => {
            let image = if fault == Fault::BadBase64 {
                "%%%not-base64%%%".to_string()
            } else {
                base64::engine::general_purpose::STANDARD.encode(b"<html>oops</html>")
            };
            return Json(json!({"images": [image], "parameters": body, "info": "{}"}))
                .into_response();
        }
    }
    state.images_made.fetch_add(1, Ordering::SeqCst);
    let mut seed = body["seed"].as_i64().filter(|s| *s >= 0).unwrap_or(1234) as u64;
    if state.sdcpp && seed > i32::MAX as u64 {
        // sd-server reads a 32-bit signed seed: a larger one overflows and it picks a
        // random seed, which it reports (sent 3014979400, used 4456723).
        seed = 4_456_723 + state.images_made.load(Ordering::SeqCst);
    }
    let (width, height) = (
        body["width"].as_u64().unwrap_or(512) as u32,
        body["height"].as_u64().unwrap_or(512) as u32,
    );
    let encode = |png: Vec<u8>| base64::engine::general_purpose::STANDARD.encode(png);
    let mut images = vec![encode(png_for_seed(seed, width, height))];
    // ControlNet appends one detected map per active unit after the generated images.
    for _ in &units {
        images.push(encode(png_for_seed(0, 64, 64)));
    }
    let info = json!({
        "prompt": body["prompt"], "all_prompts": [body["prompt"]], "negative_prompt": body["negative_prompt"],
        "seed": seed, "all_seeds": [seed], "subseed": 1, "width": width, "height": height,
        "sampler_name": body.get("sampler_name").cloned().unwrap_or(json!("Euler")), "cfg_scale": body["cfg_scale"],
        "steps": steps, "batch_size": 1, "sd_model_name": "standin-v1-5", "sd_model_hash": "6ce0161689",
        "index_of_first_image": 0, "infotexts": [format!("{}\nSteps: {steps}, Seed: {seed}", body["prompt"].as_str().unwrap_or(""))],
    });
    Json(json!({"images": images, "parameters": body, "info": info.to_string()})).into_response()
}

async fn progress(State(state): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    if let Some(denied) = unauthorised(&state, &headers) {
        return denied;
    }
    state.progress_polls.fetch_add(1, Ordering::SeqCst);
    if state.sdcpp {
        // sd-server has no `/progress`: 404 with an empty body.
        return StatusCode::NOT_FOUND.into_response();
    }
    let (step, steps) = (
        state.step.load(Ordering::SeqCst),
        state.steps.load(Ordering::SeqCst),
    );
    let fraction = if steps == 0 {
        0.0
    } else {
        step as f64 / steps as f64
    };
    Json(json!({
        "progress": fraction, "eta_relative": 0.0,
        "state": {"skipped": false, "interrupted": false, "stopping_generation": false, "job": "", "job_count": 0,
                  "job_timestamp": "0", "job_no": 0, "sampling_step": step, "sampling_steps": steps},
        "current_image": null, "textinfo": null,
    }))
    .into_response()
}

async fn interrupt(State(state): State<Arc<Shared>>) -> Response {
    state.interrupts.fetch_add(1, Ordering::SeqCst);
    if state.sdcpp {
        // sd-server has no interrupt route: 404, empty body; the image runs to its end.
        return StatusCode::NOT_FOUND.into_response();
    }
    state.interrupted.store(true, Ordering::SeqCst);
    Json(json!({})).into_response()
}

/// sd-server's LoRA folder: (name, path under the folder).
const SDCPP_LORAS: &[(&str, &str)] = &[
    ("hero", "hero.safetensors"),
    ("villain", "chars/villain.safetensors"),
];

async fn models(State(state): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    if let Some(denied) = unauthorised(&state, &headers) {
        return denied;
    }
    if state.sdcpp {
        // sd-server lists only the model it was started with, by its stem.
        return Json(json!([{"title": "sd15-random-f16", "model_name": "sd15-random-f16", "filename": "sd15-random-f16.safetensors", "hash": "8888888888", "sha256": "8888888888888888888888888888888888888888888888888888888888888888", "config": null}])).into_response();
    }
    let model = |name: &str, hash: &str| json!({"title": format!("{name}.safetensors [{hash}]"), "model_name": name, "hash": hash, "sha256": hash, "filename": format!("/models/Stable-diffusion/{name}.safetensors"), "config": null});
    Json(json!([
        model("standin-v1-5", "6ce0161689"),
        model("dreamshaper_8", "879db523c3"),
        model("sdxl", "31e35c80fc")
    ]))
    .into_response()
}

async fn samplers(State(state): State<Arc<Shared>>) -> Response {
    if state.sdcpp {
        let names = [
            "default",
            "euler",
            "euler_a",
            "heun",
            "dpm2",
            "dpm++2s_a",
            "dpm++2m",
            "dpm++2mv2",
            "ipndm",
            "ipndm_v",
            "lcm",
            "ddim_trailing",
            "tcd",
        ];
        return Json(
            names
                .iter()
                .map(|n| json!({"name": n, "aliases": [n], "options": {}}))
                .collect::<Vec<_>>(),
        )
        .into_response();
    }
    Json(json!([{"name": "DPM++ 2M", "aliases": ["k_dpmpp_2m"], "options": {}}, {"name": "DPM++ SDE", "aliases": ["k_dpmpp_sde"], "options": {}},
                {"name": "Euler a", "aliases": ["k_euler_a", "k_euler_ancestral"], "options": {"uses_ensd": "True"}}, {"name": "Euler", "aliases": ["k_euler"], "options": {}},
                {"name": "DDIM", "aliases": [], "options": {"default_eta_is_0": "True"}}, {"name": "UniPC", "aliases": [], "options": {}}])).into_response()
}

async fn schedulers(State(state): State<Arc<Shared>>) -> Response {
    if state.sdcpp {
        let names = [
            "default",
            "discrete",
            "normal",
            "karras",
            "exponential",
            "ays",
            "gits",
            "sgm_uniform",
            "simple",
        ];
        return Json(
            names
                .iter()
                .map(|n| json!({"name": n, "label": n}))
                .collect::<Vec<_>>(),
        )
        .into_response();
    }
    let entry = |name: &str, label: &str| json!({"name": name, "label": label, "aliases": null, "default_rho": -1, "need_inner_model": false});
    Json(json!([
        entry("automatic", "Automatic"),
        entry("uniform", "Uniform"),
        entry("karras", "Karras"),
        entry("exponential", "Exponential"),
        entry("sgm_uniform", "SGM Uniform")
    ]))
    .into_response()
}

async fn loras(State(state): State<Arc<Shared>>) -> Response {
    if state.sdcpp {
        return Json(
            SDCPP_LORAS
                .iter()
                .map(|(name, path)| json!({"name": name, "path": path}))
                .collect::<Vec<_>>(),
        )
        .into_response();
    }
    let lora = |name: &str| json!({"name": name, "alias": name, "path": format!("/models/Lora/{name}.safetensors"), "metadata": {}});
    Json(json!([lora("quetzal"), lora("codex"), lora("hero")])).into_response()
}

async fn options() -> Response {
    Json(json!({"sd_model_checkpoint": "standin-v1-5.safetensors [6ce0161689]", "samples_format": "png"})).into_response()
}
