//! Content-addressed image cache: `<dir>/<2 hex>/<sha256>.png` plus a `.json` sidecar.
//!
//! The sidecar is written last and records the PNG's own hash, so a PNG that was
//! truncated or altered after the fact is detected and regenerated, never shown.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::error::GenerateError;

/// Bump when the meaning of a key changes, so old entries are simply not found.
pub const KEY_VERSION: u32 = 1;

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Key of a canonical JSON description of everything that determines an image.
pub fn key_of(identity: &Value) -> String {
    // serde_json's map is ordered by key, so the text is canonical.
    sha256_hex(identity.to_string().as_bytes())
}

/// A verified cache hit.
#[derive(Debug, Clone)]
pub struct CacheEntry {
    pub png: PathBuf,
    pub sidecar: Value,
}

#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    pub fn new(dir: PathBuf) -> Result<Self, GenerateError> {
        fs::create_dir_all(&dir)
            .map_err(|e| GenerateError::io("cannot create the cache folder", &dir, e))?;
        Ok(Cache { dir })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn png_path(&self, key: &str) -> PathBuf {
        self.dir.join(&key[..2]).join(format!("{key}.png"))
    }

    fn sidecar_path(&self, key: &str) -> PathBuf {
        self.dir.join(&key[..2]).join(format!("{key}.json"))
    }

    /// The entry for `key` if both files exist and the PNG matches its recorded hash.
    pub fn lookup(&self, key: &str) -> Option<CacheEntry> {
        let sidecar_path = self.sidecar_path(key);
        let sidecar: Value = serde_json::from_slice(&fs::read(&sidecar_path).ok()?).ok()?;
        let png_path = self.png_path(key);
        let png = fs::read(&png_path).ok()?;
        let recorded = sidecar.get("png_sha256")?.as_str()?;
        if !png.starts_with(PNG_SIGNATURE) || sha256_hex(&png) != recorded {
            return None;
        }
        // Pruning removes the least recently used entries first.
        super::cache_upkeep::touch(&sidecar_path);
        Some(CacheEntry {
            png: png_path,
            sidecar,
        })
    }

    /// Stores a PNG and its sidecar (to which `png_sha256` is added) atomically.
    pub fn store(
        &self,
        key: &str,
        png: &[u8],
        mut sidecar: Value,
    ) -> Result<CacheEntry, GenerateError> {
        if let Value::Object(map) = &mut sidecar {
            map.insert("png_sha256".into(), Value::String(sha256_hex(png)));
        }
        let png_path = self.png_path(key);
        write_atomic(&png_path, png)?;
        let text = serde_json::to_vec_pretty(&sidecar).expect("JSON values always serialise");
        write_atomic(&self.sidecar_path(key), &text)?;
        Ok(CacheEntry {
            png: png_path,
            sidecar,
        })
    }
}

/// The content address of an image file: its cache key when it lives in the cache (named
/// `<key>.png`), else the SHA-256 of its bytes (an image the user made). `None` when unreadable.
pub fn content_address(path: &Path) -> Option<String> {
    let stem = path.file_stem()?.to_str()?.to_ascii_lowercase();
    if is_address(&stem) {
        return Some(stem);
    }
    Some(sha256_hex(&fs::read(path).ok()?))
}

/// Whether `s` has the shape of a content address (so it can safely name a cache file).
pub fn is_address(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

pub const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Writes through a uniquely named temporary file and renames it into place, so a
/// reader (or a crash) never sees half a file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), GenerateError> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| GenerateError::io("cannot create", dir, e))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(
        ".{name}.{}.{}.tmp",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    // A full disk fails here: the half-written file goes, and the error names the file meant.
    fs::write(&tmp, bytes).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        GenerateError::io("cannot write", path, e)
    })?;
    fs::rename(&tmp, path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        GenerateError::io("cannot move into place", path, e)
    })
}
