//! Stand-in ComfyUI server implementing the documented contract: `/prompt` with
//! validation (`node_errors`, `prompt_no_outputs`, both `no prompt` styles, a
//! text 500 for unknown classes), the websocket message flow for the submitting
//! client, `/history`, `/view`, `/upload/image`, `/interrupt`, `/object_info`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use tokio::sync::mpsc::{unbounded_channel, UnboundedSender};

use super::{png_for_seed, spawn_server};

const CLASSES: &[&str] = &[
    "KSampler",
    "KSamplerAdvanced",
    "CheckpointLoaderSimple",
    "EmptyLatentImage",
    "CLIPTextEncode",
    "VAEDecode",
    "SaveImage",
    "LoraLoader",
    "LoadImage",
    "VAEEncode",
    "IPAdapterUnifiedLoader",
    "IPAdapterAdvanced",
    "ConditioningCombine",
];
const CHECKPOINTS: &[&str] = &[
    "v1-5-pruned-emaonly.safetensors",
    "dreamshaper_8.safetensors",
];

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Fault {
    #[default]
    None,
    /// Accepts the prompt, then fails while running it (`execution_error`).
    ExecutionError,
}

pub struct ComfyUi {
    pub url: String,
    pub state: Arc<Shared>,
}

pub struct Shared {
    pub delay: Duration,
    /// Newer servers answer `no_prompt` as an object, older ones as a string.
    pub structured_errors: bool,
    pub fault: Mutex<Fault>,
    /// Every accepted graph, in order.
    pub graphs: Mutex<Vec<Value>>,
    pub uploads: Mutex<HashMap<String, Vec<u8>>>,
    pub interrupts: AtomicU32,
    pub socket_clients: Mutex<Vec<String>>,
    /// Prompt ids removed through `POST /queue {"delete": [...]}`.
    pub deleted: Mutex<Vec<String>>,
    sockets: Mutex<HashMap<String, UnboundedSender<Message>>>,
    history: Mutex<HashMap<String, Value>>,
    outputs: Mutex<HashMap<String, Vec<u8>>>,
    number: AtomicU32,
    interrupted: AtomicBool,
    gpu: tokio::sync::Mutex<()>,
}

impl ComfyUi {
    pub fn start(delay: Duration) -> ComfyUi {
        Self::start_with(delay, false, false)
    }

    /// `api_only`: routes only under `/api` (to check the client falls back to it).
    pub fn start_with(delay: Duration, api_only: bool, structured_errors: bool) -> ComfyUi {
        let state = Arc::new(Shared {
            delay,
            structured_errors,
            fault: Mutex::new(Fault::None),
            graphs: Mutex::new(Vec::new()),
            uploads: Mutex::new(HashMap::new()),
            interrupts: AtomicU32::new(0),
            socket_clients: Mutex::new(Vec::new()),
            deleted: Mutex::new(Vec::new()),
            sockets: Mutex::new(HashMap::new()),
            history: Mutex::new(HashMap::new()),
            outputs: Mutex::new(HashMap::new()),
            number: AtomicU32::new(0),
            interrupted: AtomicBool::new(false),
            gpu: tokio::sync::Mutex::new(()),
        });
        let routes = Router::new()
            .route("/prompt", post(prompt))
            .route("/history/{id}", get(history))
            .route("/view", get(view))
            .route("/upload/image", post(upload))
            .route("/interrupt", post(interrupt))
            .route("/queue", post(queue))
            .route("/object_info/{class}", get(object_info))
            .route("/system_stats", get(system_stats))
            .route("/ws", get(socket));
        let router = if api_only {
            Router::new().nest("/api", routes)
        } else {
            routes
        };
        let router = router.fallback(static_files);
        ComfyUi {
            url: spawn_server(router.with_state(state.clone())),
            state,
        }
    }

    pub fn set_fault(&self, fault: Fault) {
        *self.state.fault.lock().unwrap() = fault;
    }

    pub fn graphs(&self) -> Vec<Value> {
        self.state.graphs.lock().unwrap().clone()
    }
}

fn node_error(
    id: &str,
    class: &str,
    kind: &str,
    message: &str,
    details: &str,
    input: &str,
) -> Value {
    json!({"error": {"type": "prompt_outputs_failed_validation", "message": "Prompt outputs failed validation", "details": "", "extra_info": {}},
           "node_errors": {id: {"errors": [{"type": kind, "message": message, "details": details, "extra_info": {"input_name": input}}],
                                "dependent_outputs": ["9"], "class_type": class}}})
}

/// ComfyUI's checks, in the subset the client can trip over.
fn validate(graph: &Value) -> Result<(), Response> {
    let bad = |body: Value| Err((StatusCode::BAD_REQUEST, Json(body)).into_response());
    let Some(nodes) = graph.as_object() else {
        return bad(
            json!({"error": {"type": "prompt_no_outputs", "message": "Prompt has no outputs", "details": "", "extra_info": {}}, "node_errors": []}),
        );
    };
    for node in nodes.values() {
        if !CLASSES.contains(&node["class_type"].as_str().unwrap_or("")) {
            return Err((
                StatusCode::INTERNAL_SERVER_ERROR,
                "500 Internal Server Error\n\nServer got itself in trouble",
            )
                .into_response());
        }
    }
    if !nodes.values().any(|n| n["class_type"] == "SaveImage") {
        return bad(
            json!({"error": {"type": "prompt_no_outputs", "message": "Prompt has no outputs", "details": "", "extra_info": {}}, "node_errors": []}),
        );
    }
    for (id, node) in nodes {
        for (input, value) in node["inputs"].as_object().into_iter().flatten() {
            if let Some(link) = value.as_array() {
                if !nodes.contains_key(link[0].as_str().unwrap_or("")) {
                    return bad(node_error(
                        id,
                        node["class_type"].as_str().unwrap(),
                        "bad_linked_input",
                        "Bad linked input",
                        input,
                        input,
                    ));
                }
            }
        }
        match node["class_type"].as_str().unwrap() {
            "KSampler" => {
                for input in [
                    "seed",
                    "steps",
                    "cfg",
                    "positive",
                    "negative",
                    "model",
                    "latent_image",
                ] {
                    if node["inputs"].get(input).is_none() {
                        return bad(node_error(
                            id,
                            "KSampler",
                            "required_input_missing",
                            "Required input is missing",
                            input,
                            input,
                        ));
                    }
                }
                if node["inputs"]["steps"].as_u64().unwrap_or(0) < 1 {
                    let got = &node["inputs"]["steps"];
                    return bad(node_error(
                        id,
                        "KSampler",
                        "value_smaller_than_min",
                        &format!("Value {got} smaller than min of 1"),
                        &format!("steps: {got}"),
                        "steps",
                    ));
                }
            }
            "CheckpointLoaderSimple" => {
                let name = node["inputs"]["ckpt_name"].as_str().unwrap_or("");
                if !CHECKPOINTS.contains(&name) {
                    return bad(node_error(
                        id,
                        "CheckpointLoaderSimple",
                        "value_not_in_list",
                        "Value not in list",
                        &format!("ckpt_name: '{name}' not in {CHECKPOINTS:?}"),
                        "ckpt_name",
                    ));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

async fn prompt(State(state): State<Arc<Shared>>, body: Bytes) -> Response {
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "500 Internal Server Error\n\nServer got itself in trouble",
        )
            .into_response();
    };
    let number = state.number.fetch_add(1, Ordering::SeqCst);
    let Some(graph) = body.get("prompt").cloned() else {
        let error = if state.structured_errors {
            json!({"error": {"type": "no_prompt", "message": "No prompt provided", "details": "No prompt provided", "extra_info": {}}, "node_errors": {}})
        } else {
            json!({"error": "no prompt", "node_errors": []})
        };
        return (StatusCode::BAD_REQUEST, Json(error)).into_response();
    };
    if let Err(response) = validate(&graph) {
        return response;
    }
    state.graphs.lock().unwrap().push(graph.clone());
    let prompt_id = format!("p-{number:08}");
    let client = body["client_id"].as_str().unwrap_or("").to_string();
    tokio::spawn(run(state.clone(), prompt_id.clone(), client, graph));
    Json(json!({"prompt_id": prompt_id, "number": number, "node_errors": {}})).into_response()
}

/// Executes a prompt: one at a time, websocket messages to the submitting client only.
async fn run(state: Arc<Shared>, prompt_id: String, client: String, graph: Value) {
    let send = |kind: &str, data: Value| {
        if let Some(socket) = state.sockets.lock().unwrap().get(&client) {
            let _ = socket.send(Message::Text(
                json!({"type": kind, "data": data}).to_string().into(),
            ));
        }
    };
    let _gpu = state.gpu.lock().await;
    if state.deleted.lock().unwrap().contains(&prompt_id) {
        return;
    }
    state.interrupted.store(false, Ordering::SeqCst);
    send(
        "status",
        json!({"status": {"exec_info": {"queue_remaining": 1}}}),
    );
    send("execution_start", json!({"prompt_id": prompt_id}));
    send(
        "execution_cached",
        json!({"nodes": [], "prompt_id": prompt_id}),
    );
    let nodes = graph.as_object().unwrap();
    let (sampler_id, sampler) = nodes
        .iter()
        .find(|(_, n)| n["class_type"] == "KSampler")
        .map(|(k, v)| (k.clone(), v.clone()))
        .unwrap();
    let steps = sampler["inputs"]["steps"].as_u64().unwrap_or(1) as u32;
    let mut status = json!({"status_str": "success", "completed": true, "messages": []});
    let mut outputs = json!({});
    send(
        "executing",
        json!({"node": sampler_id, "prompt_id": prompt_id}),
    );
    let mut interrupted = false;
    let start = tokio::time::Instant::now();
    for step in 1..=steps {
        tokio::time::sleep_until(start + state.delay * step / steps).await;
        if state.interrupted.load(Ordering::SeqCst) {
            interrupted = true;
            break;
        }
        send(
            "progress",
            json!({"value": step, "max": steps, "prompt_id": prompt_id, "node": sampler_id}),
        );
    }
    if interrupted {
        send(
            "execution_interrupted",
            json!({"prompt_id": prompt_id, "node_id": sampler_id, "node_type": "KSampler", "executed": []}),
        );
        status = json!({"status_str": "error", "completed": false, "messages": [["execution_interrupted", {"prompt_id": prompt_id}]]});
    } else if *state.fault.lock().unwrap() == Fault::ExecutionError {
        let error = json!({"prompt_id": prompt_id, "node_id": sampler_id, "node_type": "KSampler", "executed": [],
                           "exception_message": "Allocation on device 0 would exceed allowed memory.\n", "exception_type": "torch.cuda.OutOfMemoryError",
                           "traceback": [], "current_inputs": {}, "current_outputs": {}});
        send("execution_error", error.clone());
        status = json!({"status_str": "error", "completed": false, "messages": [["execution_error", error]]});
    } else {
        let seed = sampler["inputs"]["seed"].as_u64().unwrap_or(0);
        let latent = nodes
            .values()
            .find(|n| n["class_type"] == "EmptyLatentImage");
        let (w, h) = latent.map_or((64, 64), |l| {
            (
                l["inputs"]["width"].as_u64().unwrap() as u32,
                l["inputs"]["height"].as_u64().unwrap() as u32,
            )
        });
        let filename = format!("storyreel_{prompt_id}_.png");
        state
            .outputs
            .lock()
            .unwrap()
            .insert(filename.clone(), png_for_seed(seed, w, h));
        let save = nodes
            .iter()
            .find(|(_, n)| n["class_type"] == "SaveImage")
            .map(|(k, _)| k.clone())
            .unwrap();
        let images = json!([{"filename": filename, "subfolder": "", "type": "output"}]);
        outputs = json!({save.clone(): {"images": images}});
        send(
            "executed",
            json!({"node": save, "output": {"images": images}, "prompt_id": prompt_id}),
        );
    }
    // History is filled just before the final `executing null`, as observed.
    state.history.lock().unwrap().insert(prompt_id.clone(), json!({"prompt": [0, prompt_id, graph, {"client_id": client}, []], "outputs": outputs, "status": status}));
    send(
        "status",
        json!({"status": {"exec_info": {"queue_remaining": 0}}}),
    );
    send("executing", json!({"node": null, "prompt_id": prompt_id}));
}

async fn history(State(state): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let entry = state.history.lock().unwrap().get(&id).cloned();
    Json(entry.map_or(json!({}), |e| json!({id: e}))).into_response()
}

async fn view(
    State(state): State<Arc<Shared>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let name = query.get("filename").cloned().unwrap_or_default();
    if name.contains("..") {
        return StatusCode::BAD_REQUEST.into_response();
    }
    match state.outputs.lock().unwrap().get(&name) {
        Some(png) => ([("content-type", "image/png")], png.clone()).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// A minimal multipart reader: the `image` part's filename and bytes.
async fn upload(State(state): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let Some(boundary) = content_type.split("boundary=").nth(1) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let delimiter = format!("--{boundary}");
    let text = body.to_vec();
    let parts = split(&text, delimiter.as_bytes());
    for part in parts {
        let Some(split_at) = find(part, b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&part[..split_at]).to_string();
        if !head.contains("name=\"image\"") {
            continue;
        }
        let name = head
            .split("filename=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or("upload.png")
            .to_string();
        let content = &part[split_at + 4..part.len() - 2];
        state
            .uploads
            .lock()
            .unwrap()
            .insert(name.clone(), content.to_vec());
        return Json(json!({"name": name, "subfolder": "", "type": "input"})).into_response();
    }
    StatusCode::BAD_REQUEST.into_response()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn split<'a>(mut data: &'a [u8], delimiter: &[u8]) -> Vec<&'a [u8]> {
    let mut parts = Vec::new();
    while let Some(at) = find(data, delimiter) {
        parts.push(&data[..at]);
        data = &data[at + delimiter.len()..];
    }
    parts
}

async fn interrupt(State(state): State<Arc<Shared>>) -> Response {
    state.interrupts.fetch_add(1, Ordering::SeqCst);
    state.interrupted.store(true, Ordering::SeqCst);
    StatusCode::OK.into_response()
}

async fn queue(State(state): State<Arc<Shared>>, Json(body): Json<Value>) -> Response {
    let ids = body["delete"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(String::from);
    state.deleted.lock().unwrap().extend(ids);
    Json(json!({})).into_response()
}

/// aiohttp's answers from the static web UI route on `/`: GET and HEAD only.
async fn static_files(method: axum::http::Method) -> Response {
    if method == axum::http::Method::GET || method == axum::http::Method::HEAD {
        (StatusCode::NOT_FOUND, "404: Not Found").into_response()
    } else {
        (StatusCode::METHOD_NOT_ALLOWED, "405: Method Not Allowed").into_response()
    }
}

async fn system_stats() -> Response {
    Json(json!({
        "system": {"os": "posix", "ram_total": 16_000_000_000u64, "ram_free": 9_000_000_000u64,
                   "comfyui_version": "0.3.40", "python_version": "3.12.3", "pytorch_version": "2.7.0",
                   "embedded_python": false, "argv": ["main.py"]},
        "devices": [{"name": "cpu", "type": "cpu", "index": null, "vram_total": 0, "vram_free": 0,
                     "torch_vram_total": 0, "torch_vram_free": 0}],
    }))
    .into_response()
}

async fn object_info(Path(class): Path<String>) -> Response {
    let info = match class.as_str() {
        "CheckpointLoaderSimple" => {
            json!({"CheckpointLoaderSimple": {"input": {"required": {"ckpt_name": [CHECKPOINTS]}}}})
        }
        "LoraLoader" => {
            json!({"LoraLoader": {"input": {"required": {"model": ["MODEL"], "clip": ["CLIP"], "lora_name": [["quetzal.safetensors", "codex.safetensors"]],
                   "strength_model": ["FLOAT", {"default": 1.0}], "strength_clip": ["FLOAT", {"default": 1.0}]}}}})
        }
        "KSampler" => {
            json!({"KSampler": {"input": {"required": {"sampler_name": [["euler", "dpmpp_2m"]], "scheduler": [["normal", "karras"]]}}}})
        }
        _ => json!({}),
    };
    Json(info).into_response()
}

async fn socket(
    State(state): State<Arc<Shared>>,
    Query(query): Query<HashMap<String, String>>,
    upgrade: WebSocketUpgrade,
) -> Response {
    let client = query
        .get("clientId")
        .cloned()
        .unwrap_or_else(|| "anonymous".into());
    upgrade.on_upgrade(move |socket| serve_socket(state, client, socket))
}

async fn serve_socket(state: Arc<Shared>, client: String, mut socket: WebSocket) {
    let (tx, mut rx) = unbounded_channel();
    state.socket_clients.lock().unwrap().push(client.clone());
    let hello = json!({"type": "status", "data": {"status": {"exec_info": {"queue_remaining": 0}}, "sid": client}});
    let _ = socket.send(Message::Text(hello.to_string().into())).await;
    // A preview frame first, as a real server sends while sampling (JPEG, type 1).
    let _ = socket
        .send(Message::Binary(
            vec![0, 0, 0, 1, 0, 0, 0, 1, 0xff, 0xd8].into(),
        ))
        .await;
    state.sockets.lock().unwrap().insert(client.clone(), tx);
    loop {
        tokio::select! {
            message = rx.recv() => match message {
                Some(message) => if socket.send(message).await.is_err() { break },
                None => break,
            },
            incoming = socket.recv() => if !matches!(incoming, Some(Ok(_))) { break },
        }
    }
    state.sockets.lock().unwrap().remove(&client);
}
