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
use super::sidecar::{Sidecar, FORMAT};
use crate::file_format::FileError;
use crate::layout;

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
    pub sidecar: Sidecar,
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
        layout::cached_image(&self.dir, key)
    }

    /// The entry for `key` if both files exist and the PNG matches its recorded hash; a missing,
    /// broken or mismatched pair is a miss (the image is made again), a sidecar written by a
    /// newer storyreel an error (it is not overwritten).
    pub fn lookup(&self, key: &str) -> Result<Option<CacheEntry>, GenerateError> {
        let sidecar_path = layout::cached_sidecar(&self.dir, key);
        let sidecar: Sidecar = match FORMAT.read(&sidecar_path) {
            Ok(Some(sidecar)) => sidecar,
            Err(e @ FileError::Newer { .. }) => return Err(e.into()),
            Ok(None) | Err(_) => return Ok(None),
        };
        let png_path = self.png_path(key);
        let Ok(png) = fs::read(&png_path) else {
            return Ok(None);
        };
        if !png.starts_with(PNG_SIGNATURE) || sha256_hex(&png) != sidecar.png_sha256 {
            return Ok(None);
        }
        // Pruning removes the least recently used entries first.
        super::cache_upkeep::touch(&sidecar_path);
        Ok(Some(CacheEntry {
            png: png_path,
            sidecar,
        }))
    }

    /// Stores a PNG and its sidecar (stamped with the PNG's hash and the format) atomically.
    pub fn store(
        &self,
        key: &str,
        png: &[u8],
        mut sidecar: Sidecar,
    ) -> Result<CacheEntry, GenerateError> {
        sidecar.png_sha256 = sha256_hex(png);
        sidecar.version = FORMAT.version;
        let png_path = self.png_path(key);
        write_atomic(&png_path, png)?;
        let text = serde_json::to_vec_pretty(&sidecar).expect("a sidecar always serialises");
        write_atomic(&layout::cached_sidecar(&self.dir, key), &text)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hit_reads_its_typed_sidecar_and_one_of_a_newer_storyreel_is_an_error_not_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().to_path_buf()).unwrap();
        let key = "ab".repeat(32);
        let png = [PNG_SIGNATURE, b"pixels"].concat();
        let sidecar = Sidecar {
            backend: "draft".into(),
            seed_used: 7,
            ..Default::default()
        };
        cache.store(&key, &png, sidecar).unwrap();
        let hit = cache.lookup(&key).unwrap().unwrap();
        assert_eq!(hit.sidecar.seed_used, 7);
        assert_eq!(hit.sidecar.version, FORMAT.version);
        assert_eq!(hit.sidecar.png_sha256, sha256_hex(&png));

        let path = layout::cached_sidecar(dir.path(), &key);
        let mut json: Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
        json["version"] = 9.into();
        fs::write(&path, json.to_string()).unwrap();
        let e = cache.lookup(&key).unwrap_err().to_string();
        assert!(
            e.contains("was written by a newer storyreel (format 9); this one reads up to 1"),
            "{e}"
        );
        // A broken sidecar is only a miss: the image is made again.
        fs::write(&path, "{ half").unwrap();
        assert!(cache.lookup(&key).unwrap().is_none());
    }
}
