//! Keeping the image cache in bounds: how big it is, and removing what has not been used for a
//! while or what exceeds a size, least recently used first. An entry's sidecar modification time
//! is its last use (a cache hit touches it). Images a story still refers to are never removed.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// One cached image: its PNG, its sidecar, and when it was last used.
#[derive(Debug, Clone)]
pub struct StoredImage {
    pub png: PathBuf,
    pub sidecar: PathBuf,
    pub bytes: u64,
    pub last_used: SystemTime,
}

impl StoredImage {
    pub fn key(&self) -> &str {
        self.png.file_stem().and_then(|s| s.to_str()).unwrap_or("")
    }
}

/// Every entry of the cache at `dir`, least recently used first.
pub fn entries(dir: &Path) -> std::io::Result<Vec<StoredImage>> {
    let mut found = Vec::new();
    let shards = match fs::read_dir(dir) {
        Ok(shards) => shards,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(found),
        Err(e) => return Err(e),
    };
    for shard in shards {
        let shard = shard?.path();
        if !shard.is_dir() {
            continue;
        }
        for file in fs::read_dir(&shard)? {
            let png = file?.path();
            if png.extension().is_none_or(|e| e != "png") {
                continue;
            }
            let sidecar = png.with_extension("json");
            let (png_meta, sidecar_meta) = (fs::metadata(&png)?, fs::metadata(&sidecar).ok());
            found.push(StoredImage {
                bytes: png_meta.len() + sidecar_meta.as_ref().map_or(0, |m| m.len()),
                last_used: sidecar_meta
                    .and_then(|m| m.modified().ok())
                    .or_else(|| png_meta.modified().ok())
                    .unwrap_or(SystemTime::UNIX_EPOCH),
                png,
                sidecar,
            });
        }
    }
    found.sort_by_key(|e| e.last_used);
    Ok(found)
}

/// What to remove: entries unused for longer than `older_than`, then the least recently used
/// until the cache fits `max_bytes`.
#[derive(Debug, Clone, Default)]
pub struct PrunePolicy {
    pub older_than: Option<Duration>,
    pub max_bytes: Option<u64>,
}

#[derive(Debug, Default)]
pub struct PruneReport {
    pub removed: usize,
    pub removed_bytes: u64,
    pub kept: usize,
    pub kept_bytes: u64,
    /// Entries that the policy would have removed but a story still uses.
    pub protected: usize,
}

/// Removes entries by `policy`, never one whose key is in `in_use`; with `dry_run` only reports.
pub fn prune(
    dir: &Path,
    policy: &PrunePolicy,
    in_use: &HashSet<String>,
    dry_run: bool,
) -> std::io::Result<PruneReport> {
    let now = SystemTime::now();
    if !dry_run {
        remove_leftover_writes(dir);
    }
    let all = entries(dir)?;
    let mut remaining: u64 = all.iter().map(|e| e.bytes).sum();
    let mut report = PruneReport::default();
    for entry in all {
        let stale = policy.older_than.is_some_and(|age| {
            now.duration_since(entry.last_used)
                .is_ok_and(|idle| idle > age)
        });
        let over = policy.max_bytes.is_some_and(|max| remaining > max);
        if (stale || over) && in_use.contains(entry.key()) {
            report.protected += 1;
        } else if stale || over {
            if !dry_run {
                // The sidecar goes first: without it the PNG is no longer a hit.
                remove_if_present(&entry.sidecar)?;
                remove_if_present(&entry.png)?;
            }
            remaining -= entry.bytes;
            report.removed += 1;
            report.removed_bytes += entry.bytes;
            continue;
        }
        report.kept += 1;
        report.kept_bytes += entry.bytes;
    }
    Ok(report)
}

/// Half-written files (`.NAME.PID.N.tmp`, see `cache::write_atomic`) of runs that were killed.
fn remove_leftover_writes(dir: &Path) {
    let Ok(shards) = fs::read_dir(dir) else {
        return;
    };
    for shard in shards.flatten().filter(|s| s.path().is_dir()) {
        crate::leftovers::sweep(&shard.path(), |name| {
            let inner = name.strip_prefix('.')?.strip_suffix(".tmp")?;
            let mut parts = inner.rsplitn(3, '.');
            let (_counter, pid) = (parts.next()?, parts.next()?);
            pid.parse().ok()
        });
    }
}

/// The cache key a PNG path names, if it is a cache file name (a SHA-256 in hex): paths in
/// manifests may be relative to another folder, but the key identifies the image anywhere.
pub fn key_of_path(path: &Path) -> Option<&str> {
    let stem = path.file_stem()?.to_str()?;
    (path.extension()? == "png" && stem.len() == 64 && stem.bytes().all(|b| b.is_ascii_hexdigit()))
        .then_some(stem)
}

fn remove_if_present(path: &Path) -> std::io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Marks an entry as just used (its sidecar's modification time).
pub fn touch(sidecar: &Path) {
    if let Ok(file) = fs::File::options().append(true).open(sidecar) {
        let _ = file.set_modified(SystemTime::now());
    }
}

/// Why a size was not understood.
#[derive(Debug, PartialEq, thiserror::Error)]
pub enum SizeError {
    #[error("size {0:?}: the unit must be K, M, G or T")]
    Unit(String),
    #[error("size {0:?} is larger than any disk; give e.g. 500M or 2G")]
    TooLarge(String),
    #[error("size {0:?} is not a number with an optional unit (500M, 2G)")]
    NotANumber(String),
}

/// A size such as `500M`, `2G`, `1.5GB` or `800000` (bytes), in powers of 1024.
pub fn parse_size(text: &str) -> Result<u64, SizeError> {
    let t = text.trim().to_ascii_uppercase();
    let t = t
        .strip_suffix("IB")
        .or_else(|| t.strip_suffix('B'))
        .unwrap_or(&t);
    let (number, unit) = match t.char_indices().find(|(_, c)| c.is_ascii_alphabetic()) {
        Some((i, _)) => t.split_at(i),
        None => (t, ""),
    };
    let scale: u64 = match unit {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        "T" => 1 << 40,
        _ => return Err(SizeError::Unit(text.to_string())),
    };
    match number.trim().parse::<f64>() {
        // Past 2^63 bytes (8 EB) no disk holds it: a typo, not a size (`as u64` would saturate).
        Ok(n) if n >= 0.0 && n * scale as f64 <= (1u64 << 63) as f64 => {
            Ok((n * scale as f64) as u64)
        }
        Ok(n) if n > 0.0 => Err(SizeError::TooLarge(text.to_string())),
        _ => Err(SizeError::NotANumber(text.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(parse_size("800"), Ok(800));
        assert_eq!(parse_size("500M"), Ok(500 << 20));
        assert_eq!(parse_size("1.5GB"), Ok(3 << 29));
        assert_eq!(parse_size("2gib"), Ok(2 << 30));
        assert!(parse_size("2X").unwrap_err().to_string().contains("unit"));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("-1G").is_err());
        let huge = parse_size("99999999999999999999T").unwrap_err().to_string();
        assert!(huge.contains("larger than any disk"), "{huge}");
    }
}
