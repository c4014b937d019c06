//! `Generator`: the blocking entry point. Checks requests, answers from the cache,
//! sends the rest through the pool and stores each result as soon as it arrives.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use serde_json::{json, Value};

use super::backends::{check_supported, Client, Job, Output, Stage};
use super::cache::{self, Cache};
use super::capabilities::Capabilities;
use super::config::{BackendConfig, BackendKind};
use super::error::GenerateError;
use super::pool::{Pool, Sink, Task};
use super::progress::{Progress, Tracker};
use super::request::ImageRequest;

/// Bump when the draft painter changes, so old sketches are repainted.
const DRAFT_VERSION: u32 = 1;
/// How long asking a server for its lists may take before the batch goes on without them.
const LISTS_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

#[derive(Debug, Clone)]
pub struct GeneratedImage {
    /// The PNG in the cache.
    pub path: PathBuf,
    pub seed: u64,
    /// True when no backend was asked this time.
    pub cached: bool,
    /// The sidecar: the parameters (`request`), the backend and server, and what
    /// the server reported (`info`).
    pub info: Value,
}

pub struct Generator {
    config: BackendConfig,
    cache: Cache,
    pool: Pool,
    /// Content hash of the ComfyUI workflow file, part of every key.
    workflow_hash: Option<String>,
    /// What the first server that answered has; asked once.
    capabilities: std::sync::OnceLock<Capabilities>,
    runtime: tokio::runtime::Runtime,
}

impl Generator {
    pub fn new(config: BackendConfig, cache_dir: PathBuf) -> Result<Self, GenerateError> {
        config.validate()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| GenerateError::Other(format!("cannot start the async runtime: {e}")))?;
        let (clients, slots) = if config.kind == BackendKind::Draft {
            // Painting is CPU-bound: one slot per core.
            let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
            (vec![Client::Draft], cores)
        } else {
            let clients = config
                .server_urls()
                .iter()
                .map(|url| Client::new(&config, url))
                .collect::<Result<Vec<_>, _>>()?;
            (clients, config.concurrency)
        };
        let workflow_hash = match &config.workflow {
            Some(path) => Some(cache::sha256_hex(&read(path, "cannot read the workflow")?)),
            None => None,
        };
        Ok(Generator {
            cache: Cache::new(cache_dir)?,
            pool: Pool::new(clients, slots, config.retry_for),
            workflow_hash,
            capabilities: std::sync::OnceLock::new(),
            config,
            runtime,
        })
    }

    pub fn config(&self) -> &BackendConfig {
        &self.config
    }

    /// Backend calls made so far; zero on a rerun answered from the cache.
    pub fn requests_made(&self) -> u64 {
        self.pool.requests_made()
    }

    /// What the servers report (models, samplers), one block per server.
    pub fn describe(&self) -> Result<String, GenerateError> {
        self.runtime.block_on(async {
            let mut parts = Vec::new();
            for client in self.pool.servers() {
                let mut part = client.describe().await?;
                if let Ok(Some(lists)) = client.capabilities().await {
                    part.push_str(&format!(
                        "\n  lists the names checked before each request:\n{}",
                        lists.describe()
                    ));
                }
                parts.push(part);
            }
            Ok(parts.join("\n"))
        })
    }

    /// What the server has, asked of the first server that answers (once it has).
    pub fn capabilities(&self, cancel: &AtomicBool) -> Option<&Capabilities> {
        if let Some(known) = self.capabilities.get() {
            return Some(known);
        }
        let fetched = self.runtime.block_on(async {
            for client in self.pool.servers() {
                let asked = tokio::time::timeout(LISTS_TIMEOUT, client.capabilities());
                let answer = tokio::select! {
                    answer = asked => answer,
                    _ = wait_for(cancel) => return None,
                };
                if let Ok(Ok(Some(lists))) = answer {
                    return Some(lists);
                }
            }
            None
        })?;
        Some(self.capabilities.get_or_init(|| fetched))
    }

    /// Makes every image (blocking), results in the order of `requests`. A failed
    /// image fails alone; on `cancel` queued work stops and finished work is kept.
    pub fn generate(
        &self,
        requests: Vec<ImageRequest>,
        force: bool,
        progress: &(dyn Fn(Progress) + Sync),
        cancel: &AtomicBool,
    ) -> Vec<Result<GeneratedImage, GenerateError>> {
        let total = requests.len();
        let results: RefCell<Vec<Option<Result<GeneratedImage, GenerateError>>>> =
            RefCell::new((0..total).map(|_| None).collect());
        let tracker = RefCell::new(Tracker::new(total));
        let mut files = FileReader::default();
        let lists = match self.config.kind {
            BackendKind::Draft | BackendKind::OpenAi => None,
            _ => self.capabilities(cancel),
        };
        let mut tasks = Vec::new();
        let mut keys = Vec::with_capacity(total);
        for (index, request) in requests.into_iter().enumerate() {
            let prepared = self.prepare(request, &mut files, lists);
            let (job, key) = match prepared {
                Ok(prepared) => prepared,
                Err(error) => {
                    results.borrow_mut()[index] = Some(Err(error));
                    tracker.borrow_mut().finished(false, false);
                    keys.push(String::new());
                    continue;
                }
            };
            let hit = if force { None } else { self.cache.lookup(&key) };
            if let Some(entry) = hit {
                results.borrow_mut()[index] = Some(Ok(GeneratedImage {
                    path: entry.png,
                    seed: job.request.seed,
                    cached: true,
                    info: entry.sidecar,
                }));
                tracker.borrow_mut().finished(true, false);
            } else {
                tasks.push(Task::new(index, job));
            }
            keys.push(key);
        }
        progress(tracker.borrow().snapshot());

        let jobs: HashMap<usize, (ImageRequest, Option<String>)> = tasks
            .iter()
            .map(|t| (t.index, (t.job.request.clone(), t.job.model.clone())))
            .collect();
        let deliver = |index: usize, outcome: Result<Output, GenerateError>| {
            let (request, model) = &jobs[&index];
            let stored =
                outcome.and_then(|output| self.store(&keys[index], request, model, output));
            tracker.borrow_mut().finished(stored.is_ok(), true);
            results.borrow_mut()[index] = Some(stored);
            progress(tracker.borrow().snapshot());
        };
        let step = |stage: Stage| {
            tracker.borrow_mut().set_stage(Some(stage));
            progress(tracker.borrow().snapshot());
        };
        let waiting = |waiting: bool| {
            tracker.borrow_mut().set_waiting(waiting);
            progress(tracker.borrow().snapshot());
        };
        let sink = Sink {
            deliver: &deliver,
            step: &step,
            waiting: &waiting,
        };
        if !tasks.is_empty() {
            self.runtime.block_on(self.pool.run(tasks, cancel, &sink));
        }
        results
            .into_inner()
            .into_iter()
            .map(|r| r.unwrap_or(Err(GenerateError::Cancelled)))
            .collect()
    }

    /// Validates a request, fills backend defaults, reads its files and computes its key.
    fn prepare(
        &self,
        mut request: ImageRequest,
        files: &mut FileReader,
        lists: Option<&Capabilities>,
    ) -> Result<(Job, String), GenerateError> {
        request.validate()?;
        if request.sampler.is_none() {
            request.sampler = self.config.sampler.clone();
        }
        if request.scheduler.is_none() {
            request.scheduler = self.config.scheduler.clone();
        }
        check_supported(&self.config, &request)?;
        let horde = self.config.kind == BackendKind::Horde;
        let mut model = if horde {
            horde_models(&self.config.models)
        } else {
            self.config.model.clone()
        };
        if let Some(lists) = lists {
            // Names as this server has them; a name it lacks fails here, before any request.
            // A workflow brings its own checkpoint unless a model is named.
            if horde {
                let found = self.config.models.iter().map(|m| lists.model(Some(m)));
                model = horde_models(
                    &found
                        .filter_map(Result::transpose)
                        .collect::<Result<Vec<_>, _>>()?,
                );
            } else if self.config.workflow.is_none() || self.config.model.is_some() {
                model = lists.model(self.config.model.as_deref())?;
            }
            if let Some(sampler) = &request.sampler {
                let (sampler, scheduler) = lists.sampler(sampler, request.scheduler.as_deref())?;
                request.sampler = Some(sampler);
                request.scheduler = scheduler;
            }
            if let Some(scheduler) = &request.scheduler {
                request.scheduler = Some(lists.scheduler(scheduler)?);
            }
            for lora in &mut request.loras {
                lora.name = lists.lora(&lora.name)?;
            }
        }
        let reference = match &request.reference {
            Some(path) => Some(files.read(path, "cannot read the reference image")?),
            None => None,
        };
        let init = match &request.init_image {
            Some(path) => Some(files.read(path, "cannot read the init image")?),
            None => None,
        };
        let key = cache::key_of(&self.identity(
            &request,
            model.as_deref(),
            reference.as_ref(),
            init.as_ref(),
        ));
        let job = Job {
            request,
            model,
            reference_png: reference.map(|(bytes, _)| bytes),
            init_png: init.map(|(bytes, _)| bytes),
        };
        Ok((job, key))
    }

    /// Everything that determines the image, and nothing that does not (URL, label
    /// on real backends): the cache key is the hash of this.
    fn identity(
        &self,
        r: &ImageRequest,
        model: Option<&str>,
        reference: Option<&(Vec<u8>, String)>,
        init: Option<&(Vec<u8>, String)>,
    ) -> Value {
        let draft = self.config.kind == BackendKind::Draft;
        json!({
            "v": cache::KEY_VERSION,
            "backend": self.config.kind.name(),
            "draft_version": draft.then_some(DRAFT_VERSION),
            "model": model,
            "workflow": self.workflow_hash,
            "prompt": r.prompt,
            "negative": r.negative,
            "seed": r.seed,
            "steps": r.steps,
            // Fixed precision so 7.0 and 7.000001 from float maths share a key.
            "cfg": format!("{:.3}", r.cfg),
            "width": r.width,
            "height": r.height,
            "sampler": r.sampler,
            "scheduler": r.scheduler,
            "loras": r.loras.iter().map(|l| json!([l.name, format!("{:.3}", l.weight)])).collect::<Vec<_>>(),
            "reference": reference.map(|(_, hash)| hash),
            "ip_adapter": reference.map(|_| &self.config.ip_adapter),
            "init_image": init.map(|(_, hash)| hash),
            "strength": r.strength.map(|s| format!("{s:.3}")),
            // Only the draft painter draws these; for servers they are already in the prompt.
            "characters": draft.then_some(&r.characters),
            "label": draft.then(|| super::backends::draft::drawn_label(&r.label)),
        })
    }

    fn store(
        &self,
        key: &str,
        request: &ImageRequest,
        model: &Option<String>,
        output: Output,
    ) -> Result<GeneratedImage, GenerateError> {
        // What was made, which is not always what was asked (sd-server rounds sizes up).
        let made = image::ImageReader::new(std::io::Cursor::new(&output.png))
            .with_guessed_format()
            .ok()
            .and_then(|reader| reader.into_dimensions().ok())
            .map(|(width, height)| json!({ "width": width, "height": height }));
        let sidecar = json!({
            "key": key,
            "backend": self.config.kind.name(),
            "model": model,
            "label": request.label,
            "request": request,
            "made": made,
            "info": output.info,
        });
        let entry = self.cache.store(key, &output.png, sidecar)?;
        Ok(GeneratedImage {
            path: entry.png,
            seed: request.seed,
            cached: false,
            info: entry.sidecar,
        })
    }
}

/// Reads each reference/init file once per batch, with its content hash.
#[derive(Default)]
struct FileReader {
    seen: HashMap<PathBuf, (Vec<u8>, String)>,
}

impl FileReader {
    fn read(
        &mut self,
        path: &Path,
        action: &'static str,
    ) -> Result<(Vec<u8>, String), GenerateError> {
        if let Some(found) = self.seen.get(path) {
            return Ok(found.clone());
        }
        let bytes = read(path, action)?;
        let hash = cache::sha256_hex(&bytes);
        self.seen
            .insert(path.to_path_buf(), (bytes.clone(), hash.clone()));
        Ok((bytes, hash))
    }
}

async fn wait_for(flag: &AtomicBool) {
    while !flag.load(std::sync::atomic::Ordering::Relaxed) {
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
}

fn read(path: &Path, action: &'static str) -> Result<Vec<u8>, GenerateError> {
    crate::input_file::read(path, crate::input_file::IMAGE)
        .map_err(|why| GenerateError::io(action, path, std::io::Error::other(why)))
}

/// The Horde's model list as one name for the cache key and the sidecar.
fn horde_models(models: &[String]) -> Option<String> {
    (!models.is_empty()).then(|| models.join(crate::generate::backends::horde::MODEL_SEPARATOR))
}
