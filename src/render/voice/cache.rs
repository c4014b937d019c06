//! Each sentence's audio, stored under the hash of what made it (the voice model's content, the
//! settings and the text): a re-render synthesizes only what changed.

use super::{Audio, VoiceError};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

/// The sha256 of a model file, remembered per (path, size, modification time): hashing a
/// 60 MB model on every render would cost more than a cached render saves.
pub fn model_digest(path: &Path) -> Result<String, VoiceError> {
    type Key = (PathBuf, u64, Option<SystemTime>);
    static DIGESTS: Mutex<Option<HashMap<Key, String>>> = Mutex::new(None);
    let io = |source| VoiceError::Cache {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    let key = (path.to_path_buf(), meta.len(), meta.modified().ok());
    if let Some(d) = DIGESTS
        .lock()
        .unwrap()
        .get_or_insert_with(HashMap::new)
        .get(&key)
    {
        return Ok(d.clone());
    }
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    let digest = format!("{:x}", hasher.finalize());
    DIGESTS
        .lock()
        .unwrap()
        .get_or_insert_with(HashMap::new)
        .insert(key, digest.clone());
    Ok(digest)
}

/// The cache file of a sentence read by `voice` (an identity of the model and its settings).
pub fn key(voice: &str, text: &str) -> String {
    let mut h = Sha256::new();
    h.update(voice.as_bytes());
    h.update([0]);
    h.update(text.as_bytes());
    format!("{:x}", h.finalize())
}

/// Audio cached under `key`, if any (an unreadable entry counts as none).
pub fn load(dir: &Path, key: &str) -> Option<Audio> {
    let path = dir.join(format!("{key}.wav"));
    let info = crate::render::wav::read_info(&path).ok()?;
    let samples = crate::render::wav::read_mono(&path, &info).ok()?;
    Some(Audio {
        rate: info.rate,
        samples,
    })
}

/// Stores `audio` under `key`, atomically: a crash leaves no half entry.
pub fn store(dir: &Path, key: &str, audio: &Audio) -> Result<(), VoiceError> {
    let path = dir.join(format!("{key}.wav"));
    let io = |source| VoiceError::Cache {
        path: path.clone(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    let tmp = dir.join(format!(".{key}.{}.tmp", std::process::id()));
    let mut bytes =
        crate::render::wav::header_for(audio.rate, audio.samples.len() as u64 * 2).to_vec();
    bytes.extend(audio.samples.iter().flat_map(|s| s.to_le_bytes()));
    std::fs::write(&tmp, &bytes).map_err(io)?;
    std::fs::rename(&tmp, &path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io(e)
    })
}
