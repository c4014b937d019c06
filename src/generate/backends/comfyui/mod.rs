//! ComfyUI client: upload inputs, `POST /prompt`, follow the websocket for step
//! progress and completion (or poll `/history` if the socket fails), then `/view`.

mod graph;
mod messages;
mod upload;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use futures_util::StreamExt;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use super::http::{png_from_bytes, Http};
use super::identify::explain_missing_route;
use super::{Job, Output, Stage, StepSink};
use crate::generate::capabilities::Capabilities;
use crate::generate::config::{BackendConfig, BackendKind};
use crate::generate::error::GenerateError;
use crate::generate::request::ImageRequest;

pub use graph::{builtin, patch, GraphError, Uploaded};

const HISTORY_POLL: Duration = Duration::from_millis(250);

pub struct ComfyUi {
    pub http: Http,
    model: Option<String>,
    /// The user's workflow (API format) and its path for messages; None = built-in graph.
    workflow: Option<(Value, String)>,
    /// Newer servers also serve every route under `/api`; switched on after a 404 or 405.
    api_prefix: AtomicBool,
    /// Prompts submitted and not yet seen through; on cancel they are removed from
    /// the server's queue (an interrupt only stops the one running).
    pending: Mutex<Vec<String>>,
}

/// What the chosen graph cannot do, as (technique, hint), checked before any request.
pub fn unsupported(
    config: &BackendConfig,
    request: &ImageRequest,
) -> Option<(&'static str, &'static str)> {
    match &config.workflow {
        None if request.reference.is_some() => Some((
            "reference images with the built-in graph",
            "give a `workflow` (API format) with IPAdapter nodes fed by a LoadImage node",
        )),
        Some(_) if request.init_image.is_some() => Some((
            "img2img with a custom workflow",
            "leave `workflow` unset to use the built-in img2img graph",
        )),
        _ => None,
    }
}

fn next_client_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    format!(
        "storyreel-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

impl ComfyUi {
    pub fn new(config: &BackendConfig, url: &str) -> Result<Self, GenerateError> {
        let workflow = match &config.workflow {
            Some(path) => {
                let shown = path.display().to_string();
                let text = std::fs::read(path)
                    .map_err(|e| GenerateError::io("cannot read the workflow", path, e))?;
                let value: Value =
                    serde_json::from_slice(&text).map_err(|e| GenerateError::Workflow {
                        path: shown.clone(),
                        message: format!("it is not JSON: {e}"),
                    })?;
                graph::check_api_format(&value).map_err(|e| GenerateError::Workflow {
                    path: shown.clone(),
                    message: e.to_string(),
                })?;
                Some((value, shown))
            }
            None => None,
        };
        // A URL given with the `/api` prefix works like one without.
        let base = url.strip_suffix("/api").unwrap_or(url);
        Ok(ComfyUi {
            http: Http::new(base, config.timeout)?,
            model: config.model.clone(),
            workflow,
            api_prefix: AtomicBool::new(false),
            pending: Mutex::new(Vec::new()),
        })
    }

    fn route(&self, path: &str) -> String {
        let prefix = if self.api_prefix.load(Ordering::Relaxed) {
            "/api"
        } else {
            ""
        };
        self.http.at(&format!("{prefix}{path}"))
    }

    pub async fn generate(&self, job: &Job, step: StepSink<'_>) -> Result<Output, GenerateError> {
        let r = &job.request;
        if let (Some(_), Some((workflow, path))) = (&r.reference, &self.workflow) {
            if !graph::has_reference_input(workflow) {
                return Err(GenerateError::Workflow {
                    path: path.clone(),
                    message: graph::GraphError::NoReferenceLoader.to_string(),
                });
            }
        }
        let mut files = Uploaded::default();
        if let Some(bytes) = &job.reference_png {
            files.reference = Some(self.upload(bytes).await?);
        }
        if let Some(bytes) = &job.init_png {
            files.init = Some(self.upload(bytes).await?);
        }
        let (base, shown) = match &self.workflow {
            Some((workflow, path)) => (workflow.clone(), path.clone()),
            None => (
                builtin(job.model.as_deref().or(self.model.as_deref())),
                "(built-in graph)".to_string(),
            ),
        };
        let graph = patch(
            &base,
            r,
            job.model.as_deref().or(self.model.as_deref()),
            &files,
        )
        .map_err(|e| GenerateError::Workflow {
            path: shown,
            message: e.to_string(),
        })?;

        let client_id = next_client_id();
        let socket = self.connect(&client_id).await;
        let prompt_id = self.submit(&graph, &client_id).await?;
        self.pending.lock().unwrap().push(prompt_id.clone());
        // Not reached when the caller drops this future (cancel): the id stays pending.
        let result = self.collect(socket, &prompt_id, graph, step).await;
        self.pending.lock().unwrap().retain(|id| *id != prompt_id);
        result
    }

    async fn collect(
        &self,
        socket: Option<messages::Socket>,
        prompt_id: &str,
        graph: Value,
        step: StepSink<'_>,
    ) -> Result<Output, GenerateError> {
        let finished = async {
            match socket {
                Some(socket) => self.follow(socket, prompt_id, step).await,
                None => Ok(Vec::new()),
            }
        };
        let sent = tokio::time::timeout(self.http.timeout, finished)
            .await
            .map_err(|_| GenerateError::Timeout {
                url: self.http.url.clone(),
                secs: self.http.timeout.as_secs_f64(),
            })??;
        let history = tokio::time::timeout(self.http.timeout, self.history(prompt_id))
            .await
            .map_err(|_| GenerateError::Timeout {
                url: self.http.url.clone(),
                secs: self.http.timeout.as_secs_f64(),
            })??;
        let png = match messages::first_image(&history) {
            Some(image) => self.view(&image).await?,
            // `SaveImageWebsocket` leaves no history output, only binary frames.
            None => match sent.into_iter().last() {
                Some(bytes) => png_from_bytes(&self.http, bytes)?,
                None => {
                    return Err(self.http.bad(format!(
                        "prompt {prompt_id} finished without an output image"
                    )))
                }
            },
        };
        Ok(Output::new(
            png,
            json!({ "prompt_id": prompt_id, "graph": graph, "status": history["status"] }),
        ))
    }

    async fn connect(&self, client_id: &str) -> Option<messages::Socket> {
        let ws = self.route("/ws").replacen("http", "ws", 1);
        let url = format!("{ws}?clientId={client_id}");
        let connecting = tokio_tungstenite::connect_async(url);
        match tokio::time::timeout(Duration::from_secs(10), connecting).await {
            Ok(Ok((socket, _))) => Some(socket),
            _ => None,
        }
    }

    /// `POST /prompt`; a 400 carries `error` and `node_errors` which are quoted.
    async fn submit(&self, graph: &Value, client_id: &str) -> Result<String, GenerateError> {
        let body = json!({ "prompt": graph, "client_id": client_id });
        let mut answer = self
            .http
            .send_raw(self.http.client.post(self.route("/prompt")).json(&body))
            .await?;
        // 405 too: the web UI's static route answers POSTs to paths it does not serve.
        if matches!(answer.0, 404 | 405) && !self.api_prefix.load(Ordering::Relaxed) {
            self.api_prefix.store(true, Ordering::Relaxed);
            answer = self
                .http
                .send_raw(self.http.client.post(self.route("/prompt")).json(&body))
                .await?;
        }
        let (status, bytes) = answer;
        let reply: Option<Value> = serde_json::from_slice(&bytes).ok();
        match (status, reply) {
            (200, Some(reply)) => {
                if let Some(message) = messages::rejection(&reply) {
                    return Err(GenerateError::Rejected {
                        url: self.http.url.clone(),
                        message,
                    });
                }
                reply["prompt_id"]
                    .as_str()
                    .map(String::from)
                    .ok_or_else(|| self.http.bad("the reply to /prompt has no prompt_id"))
            }
            (400, Some(reply)) => Err(GenerateError::Rejected {
                url: self.http.url.clone(),
                message: messages::rejection(&reply).unwrap_or_else(|| reply.to_string()),
            }),
            (status, _) => {
                let error = GenerateError::Server {
                    url: self.http.url.clone(),
                    status,
                    message: crate::server_message::server_message(status, &bytes),
                };
                let route = "POST /prompt";
                Err(explain_missing_route(&self.http, BackendKind::ComfyUi, route, error).await)
            }
        }
    }

    /// Reads websocket messages for our prompt until it is done; returns PNGs sent as
    /// binary frames. A dropped socket is not an error: `/history` is polled next.
    async fn follow(
        &self,
        mut socket: messages::Socket,
        prompt_id: &str,
        step: StepSink<'_>,
    ) -> Result<Vec<Vec<u8>>, GenerateError> {
        let mut binary_images = Vec::new();
        while let Some(Ok(message)) = socket.next().await {
            match message {
                Message::Text(text) => {
                    let Ok(event) = serde_json::from_str::<Value>(text.as_str()) else {
                        continue;
                    };
                    match messages::classify(&event, prompt_id) {
                        messages::Event::Step(at, of) => step(Stage::Step(at, of)),
                        messages::Event::Done => break,
                        messages::Event::Failed(message) => {
                            return Err(GenerateError::Failed {
                                url: self.http.url.clone(),
                                message,
                            })
                        }
                        messages::Event::Interrupted => return Err(GenerateError::Cancelled),
                        messages::Event::Other => {}
                    }
                }
                Message::Binary(bytes) => binary_images.extend(messages::binary_png(&bytes)),
                Message::Close(_) => break,
                _ => {}
            }
        }
        Ok(binary_images)
    }

    /// `GET /history/{id}` until the prompt shows up (it is `{}` while running).
    async fn history(&self, prompt_id: &str) -> Result<Value, GenerateError> {
        loop {
            let body = self
                .http
                .send(
                    self.http
                        .client
                        .get(self.route(&format!("/history/{prompt_id}"))),
                )
                .await?;
            let reply = self.http.parse_json(&body)?;
            if let Some(entry) = reply.get(prompt_id) {
                if entry["status"]["status_str"] == "error" {
                    return Err(GenerateError::Failed {
                        url: self.http.url.clone(),
                        message: messages::history_error(entry),
                    });
                }
                if entry["status"]["completed"] != false {
                    return Ok(entry.clone());
                }
            }
            tokio::time::sleep(HISTORY_POLL).await;
        }
    }

    async fn view(&self, image: &messages::ImageRef) -> Result<Vec<u8>, GenerateError> {
        let query = [
            ("filename", &image.filename),
            ("subfolder", &image.subfolder),
            ("type", &image.kind),
        ];
        let bytes = self
            .http
            .send(self.http.client.get(self.route("/view")).query(&query))
            .await?;
        png_from_bytes(&self.http, bytes)
    }

    /// Uploads an input image under a content-derived name (so repeats overwrite
    /// an identical file) and returns the name to put into `LoadImage`.
    async fn upload(&self, png: &[u8]) -> Result<String, GenerateError> {
        let form = upload::Form::for_png(png);
        let request = self
            .http
            .client
            .post(self.route("/upload/image"))
            .header("content-type", form.content_type)
            .body(form.body);
        let reply = self.http.parse_json(&self.http.send(request).await?)?;
        let stored = reply["name"]
            .as_str()
            .ok_or_else(|| self.http.bad("the upload reply has no `name`"))?;
        Ok(match reply["subfolder"].as_str() {
            Some(sub) if !sub.is_empty() => format!("{sub}/{stored}"),
            _ => stored.to_string(),
        })
    }

    pub async fn interrupt(&self) {
        let queued: Vec<String> = std::mem::take(&mut *self.pending.lock().unwrap());
        // The queue first: an interrupt alone would start the next queued prompt.
        if !queued.is_empty() {
            let body = json!({ "delete": queued });
            let request = self.http.client.post(self.route("/queue")).json(&body);
            self.http.stop(request).await;
        }
        let interrupt = self
            .http
            .client
            .post(self.route("/interrupt"))
            .header(reqwest::header::CONTENT_LENGTH, "0");
        self.http.stop(interrupt).await;
    }

    /// Checkpoints, samplers, schedulers and LoRAs from `/object_info`.
    pub async fn capabilities(&self) -> Result<Capabilities, GenerateError> {
        let info = |class: &'static str| async move {
            let request = self
                .http
                .client
                .get(self.route(&format!("/object_info/{class}")));
            match self.http.send(request).await {
                Ok(body) => Ok(self.http.parse_json(&body).unwrap_or(Value::Null)),
                Err(GenerateError::Server { status: 404, .. }) => Ok(Value::Null),
                Err(e) => Err(e),
            }
        };
        // An input's choices: `[[a, b]]`, or `["COMBO", {"options": [a, b]}]` in newer servers.
        let choices = |spec: &Value, class: &str, input: &str| -> Vec<String> {
            let spec = &spec[class]["input"]["required"][input];
            let list = match &spec[0] {
                Value::Array(items) => Some(items),
                _ => spec[1]["options"].as_array(),
            };
            list.map(|items| {
                items
                    .iter()
                    .filter_map(|i| i.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
        };
        let checkpoints = info("CheckpointLoaderSimple").await?;
        let sampler = info("KSampler").await?;
        let loras = choices(&info("LoraLoader").await?, "LoraLoader", "lora_name");
        Ok(Capabilities {
            url: self.http.url.clone(),
            kind: Some(BackendKind::ComfyUi),
            // A workflow brings its own checkpoint loader; the list still checks a given `model`.
            models: choices(&checkpoints, "CheckpointLoaderSimple", "ckpt_name"),
            samplers: choices(&sampler, "KSampler", "sampler_name"),
            schedulers: choices(&sampler, "KSampler", "scheduler"),
            loras: loras.iter().cloned().zip(loras.iter().cloned()).collect(),
        })
    }

    /// The server and its graph; its lists follow from [`Self::capabilities`]
    /// (asked here too, so an unreachable server is an error).
    pub async fn describe(&self) -> Result<String, GenerateError> {
        let body = self
            .http
            .send(
                self.http
                    .client
                    .get(self.route("/object_info/CheckpointLoaderSimple")),
            )
            .await?;
        self.http.parse_json(&body)?;
        let graph = match &self.workflow {
            Some((_, path)) => format!("workflow {path}"),
            None => "built-in SD txt2img graph".into(),
        };
        Ok(format!("comfyui at {} ({graph})", self.http.url))
    }
}
