//! `Generator`: the blocking entry point. Checks requests, answers from the cache,
//! sends the rest through the pool and stores each result as soon as it arrives.

use std::borrow::Cow;
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
use super::sidecar::{self, Made, Sidecar};

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
    pub sidecar: Sidecar,
    /// What the server said about this image that a person should read (empty
    /// for cache hits: they were said when the image was made).
    pub warnings: Vec<String>,
}

pub struct Generator {
    config: BackendConfig,
    cache: Cache,
    pool: Pool,
    /// Content hash of the ComfyUI workflow file, part of every key.
    workflow_hash: Option<String>,
    /// What the first server that answered has; asked once.
    capabilities: std::sync::OnceLock<Capabilities>,
    /// The kind the server really is, when `check_names` found it is not the one set
    /// (sd-server at an `a1111` address): its sizes are warned about as its own.
    looks_like: std::sync::OnceLock<BackendKind>,
    /// What the pool said about its servers during the last batches, not yet read.
    notes: std::sync::Mutex<Vec<String>>,
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
            notes: std::sync::Mutex::default(),
            looks_like: std::sync::OnceLock::new(),
            config,
            runtime,
        })
    }

    pub fn config(&self) -> &BackendConfig {
        &self.config
    }

    /// The size the server makes for a requested one (see [`BackendKind::made_size`]),
    /// by the kind it really is when that is known.
    pub fn made_size(&self, width: u32, height: u32) -> (u32, u32) {
        let kind = self.looks_like.get().copied().unwrap_or(self.config.kind);
        kind.made_size(width, height)
    }

    /// What a person should know about the servers since the last call: one that
    /// cannot be interrupted, one that stopped answering or came back. Each once.
    pub fn take_notes(&self) -> Vec<String> {
        std::mem::take(&mut *self.notes.lock().unwrap_or_else(|p| p.into_inner()))
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

    /// Checks the backend's `model`, `sampler` and `scheduler` against what the server
    /// lists, once, before any image: an error for a name it lacks, and warnings
    /// (a Horde model not listed now, a server that is another kind than the one set).
    pub fn check_names(&self, cancel: &AtomicBool) -> Result<Vec<String>, GenerateError> {
        let mut warnings = Vec::new();
        if self.config.kind == BackendKind::A1111 {
            if let Some(first) = self.pool.servers().next() {
                if let Some((kind, note)) = self.runtime.block_on(first.other_kind()) {
                    let _ = self.looks_like.set(kind);
                    warnings.push(note);
                }
            }
        }
        let Some(lists) = self.capabilities(cancel) else {
            return Ok(warnings);
        };
        if self.config.kind == BackendKind::Horde {
            for model in &self.config.models {
                warnings.extend(lists.horde_model(model)?.1);
            }
        } else if self.config.workflow.is_none() || self.config.model.is_some() {
            lists.model(self.config.model.as_deref())?;
        }
        let mut scheduler = self.config.scheduler.clone();
        if let Some(sampler) = &self.config.sampler {
            scheduler = lists.sampler(sampler, scheduler.as_deref())?.1;
        }
        if let Some(scheduler) = &scheduler {
            lists.scheduler(scheduler)?;
        }
        Ok(warnings)
    }

    /// What the server has, asked of the first server that answers (once it has).
    pub fn capabilities(&self, cancel: &AtomicBool) -> Option<Cow<'_, Capabilities>> {
        if let Some(known) = self.capabilities.get() {
            return Some(Cow::Borrowed(known));
        }
        let fetched = self.runtime.block_on(async {
            for client in self.pool.servers() {
                let asked = tokio::time::timeout(LISTS_TIMEOUT, client.capabilities());
                let answer = tokio::select! {
                    answer = asked => answer,
                    _ = wait_for(cancel) => return None,
                };
                if let Ok(Ok(Some(lists))) = answer {
                    self.remember_lists(client.url(), &lists);
                    return Some(lists);
                }
            }
            None
        });
        let Some(fetched) = fetched else {
            // No server answers: the lists it gave last time name things as before, so
            // a script answered from the cache finds its images with the server off.
            // Not kept: the server is asked again when it is back.
            return self
                .pool
                .servers()
                .find_map(|client| self.remembered_lists(client.url()))
                .map(Cow::Owned);
        };
        Some(Cow::Borrowed(self.capabilities.get_or_init(|| fetched)))
    }

    fn lists_path(&self, url: &str) -> PathBuf {
        let name = cache::sha256_hex(format!("{}\n{url}", self.config.kind.name()).as_bytes());
        self.cache
            .dir()
            .join("servers")
            .join(format!("{name}.json"))
    }

    /// Keeps a server's lists for a run when it is off; best effort.
    fn remember_lists(&self, url: &str, lists: &Capabilities) {
        let path = self.lists_path(url);
        if let (Some(dir), Ok(text)) = (path.parent(), serde_json::to_vec_pretty(lists)) {
            let _ = std::fs::create_dir_all(dir).and_then(|_| std::fs::write(&path, text));
        }
    }

    fn remembered_lists(&self, url: &str) -> Option<Capabilities> {
        serde_json::from_slice(&std::fs::read(self.lists_path(url)).ok()?).ok()
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
            let prepared = self.prepare(request, &mut files, lists.as_deref());
            let (job, key) = match prepared {
                Ok(prepared) => prepared,
                Err(error) => {
                    results.borrow_mut()[index] = Some(Err(error));
                    tracker.borrow_mut().finished(false, false);
                    keys.push(String::new());
                    continue;
                }
            };
            let hit = if force {
                Ok(None)
            } else {
                self.cache.lookup(&key)
            };
            if let Err(error) = hit {
                // A sidecar from a newer storyreel: neither used nor overwritten.
                results.borrow_mut()[index] = Some(Err(error));
                tracker.borrow_mut().finished(false, false);
            } else if let Ok(Some(entry)) = hit {
                results.borrow_mut()[index] = Some(Ok(GeneratedImage {
                    path: entry.png,
                    seed: job.request.seed,
                    cached: true,
                    sidecar: entry.sidecar,
                    warnings: Vec::new(),
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
        let rate_limited = |secs: Option<u32>| {
            tracker.borrow_mut().set_rate_limited(secs);
            progress(tracker.borrow().snapshot());
        };
        let note = |note: String| {
            let mut notes = self.notes.lock().unwrap_or_else(|p| p.into_inner());
            if !notes.contains(&note) {
                notes.push(note);
            }
            drop(notes);
            // A progress report lets the caller read the note now.
            progress(tracker.borrow().snapshot());
        };
        let sink = Sink {
            deliver: &deliver,
            step: &step,
            waiting: &waiting,
            rate_limited: &rate_limited,
            note: &note,
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
        take_lora_tags(self.config.kind, &mut request)?;
        let max_seed = self.config.kind.max_seed();
        if request.seed > max_seed {
            // Sent anyway, it would silently become a random seed on the server.
            return Err(GenerateError::InvalidOption {
                context: format!("{}: ", request.label),
                option: "seed",
                value: request.seed.to_string(),
                allowed: format!(
                    "0 to {max_seed} on the \"{}\" backend (sd-server reads a 32-bit signed seed and makes a larger one random)",
                    self.config.kind.name()
                ),
            });
        }
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
                let found = self.config.models.iter().map(|m| lists.horde_model(m));
                model = horde_models(
                    &found
                        .map(|found| found.map(|(name, _)| name))
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
        mut output: Output,
    ) -> Result<GeneratedImage, GenerateError> {
        if let Some(used) = output.seed_used.filter(|used| *used != request.seed) {
            let why = format!(
                "the server made it with seed {used}, not the seed sent ({}), so another run gives another image",
                request.seed
            );
            output
                .warnings
                .push(format!("{why}; it is kept for now but not cached"));
            output.not_honoured.get_or_insert(why);
        }
        // An image that is not what was asked must not answer that request next time:
        // it is stored under a key no request has.
        let key = match &output.not_honoured {
            Some(_) => cache::key_of(
                &json!({ "not_honoured": key, "png": cache::sha256_hex(&output.png) }),
            ),
            None => key.to_string(),
        };
        let key = key.as_str();
        // What was made, which is not always what was asked (sd-server rounds sizes up).
        let made = image::ImageReader::new(std::io::Cursor::new(&output.png))
            .with_guessed_format()
            .ok()
            .and_then(|reader| reader.into_dimensions().ok())
            .map(|(width, height)| Made { width, height });
        let sidecar = Sidecar {
            version: sidecar::FORMAT.version,
            key: key.to_string(),
            backend: self.config.kind.name().to_string(),
            model: model.clone(),
            label: request.label.clone(),
            request: request.clone(),
            made,
            seed_used: output.seed_used.unwrap_or(request.seed),
            not_honoured: output.not_honoured,
            info: output.info,
            png_sha256: String::new(),
        };
        let entry = self.cache.store(key, &output.png, sidecar)?;
        Ok(GeneratedImage {
            path: entry.png,
            seed: output.seed_used.unwrap_or(request.seed),
            cached: false,
            sidecar: entry.sidecar,
            warnings: output.warnings,
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
        .map_err(|why| GenerateError::io(action, path, std::io::Error::other(why.to_string())))
}

/// `<lora:name:w>` tags written in a prompt, for the kinds that do not read them
/// (sd-server would send them to CLIP as text): taken out and applied like `c.lora`.
/// A1111 reads them itself; the draft painter ignores them.
fn take_lora_tags(kind: BackendKind, request: &mut ImageRequest) -> Result<(), GenerateError> {
    if matches!(kind, BackendKind::A1111 | BackendKind::Draft) || !request.prompt.contains("<lora:")
    {
        return Ok(());
    }
    let mut prompt = String::with_capacity(request.prompt.len());
    let mut rest = request.prompt.as_str();
    while let Some(start) = rest.find("<lora:") {
        let Some(len) = rest[start..].find('>') else {
            break;
        };
        prompt.push_str(&rest[..start]);
        let spec = &rest[start + "<lora:".len()..start + len];
        let lora =
            crate::generate::Lora::parse(spec).map_err(|_| GenerateError::InvalidOption {
                context: format!("{}: ", request.label),
                option: "prompt",
                value: format!("<lora:{spec}>"),
                allowed: "a LoRA tag as <lora:name:weight>".into(),
            })?;
        if !request.loras.iter().any(|l| l.name == lora.name) {
            request.loras.push(lora);
        }
        rest = &rest[start + len + 1..];
    }
    prompt.push_str(rest);
    request.prompt = prompt.split_whitespace().collect::<Vec<_>>().join(" ");
    Ok(())
}

/// The Horde's model list as one name for the cache key and the sidecar.
fn horde_models(models: &[String]) -> Option<String> {
    (!models.is_empty()).then(|| models.join(crate::generate::backends::horde::MODEL_SEPARATOR))
}
