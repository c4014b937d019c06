//! Kokoro voices by name: `kokoro:af_heart` reads from the voices folder's `kokoro/`, fetched
//! there on first use from where Kokoro-82M is published for ONNX Runtime (the kokoro-onnx
//! project's model-files-v1.0 release: the int8 model and every voice's style table), each file
//! streamed to a temporary file, read no further than its pinned size, checked against its
//! pinned SHA-256 and only then moved into place. The model's phoneme vocabulary (not published
//! as a file there) is a copy of the one the model was trained with.

use super::fetch::{download, place};
use super::VoiceError;
use std::path::{Path, PathBuf};

/// Where Kokoro's ONNX files are published (a fixed release).
pub const DEFAULT_BASE_URL: &str =
    "https://github.com/thewh1teagle/kokoro-onnx/releases/download/model-files-v1.0";
/// Overrides [`DEFAULT_BASE_URL`] (a mirror, or a local copy).
pub const BASE_URL_VAR: &str = "STORYREEL_KOKORO_URL";

/// A file of a Kokoro release: its name there (and here), size and SHA-256.
#[derive(Clone, Debug)]
pub struct KokoroFile {
    pub name: String,
    pub size: u64,
    pub sha256: String,
}

/// The published files: the int8 model (88 MB, as fast on a CPU as the 310 MB one) and the
/// style tables of all 54 voices.
pub fn published() -> Vec<KokoroFile> {
    let file = |name: &str, size, sha256: &str| KokoroFile {
        name: name.into(),
        size,
        sha256: sha256.into(),
    };
    vec![
        file(
            "kokoro-v1.0.int8.onnx",
            92_361_271,
            "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb",
        ),
        file(
            "voices-v1.0.bin",
            28_214_398,
            "bca610b8308e8d99f32e6fe4197e7ec01679264efed0cac9140fe9c29f1fbf7d",
        ),
    ]
}

/// The voices of Kokoro-82M v1.0 (the first letter is the language, the second the gender):
/// a name is checked before anything is fetched.
pub const VOICES: &[&str] = &[
    "af_alloy",
    "af_aoede",
    "af_bella",
    "af_heart",
    "af_jessica",
    "af_kore",
    "af_nicole",
    "af_nova",
    "af_river",
    "af_sarah",
    "af_sky",
    "am_adam",
    "am_echo",
    "am_eric",
    "am_fenrir",
    "am_liam",
    "am_michael",
    "am_onyx",
    "am_puck",
    "am_santa",
    "bf_alice",
    "bf_emma",
    "bf_isabella",
    "bf_lily",
    "bm_daniel",
    "bm_fable",
    "bm_george",
    "bm_lewis",
    "ef_dora",
    "em_alex",
    "em_santa",
    "ff_siwis",
    "hf_alpha",
    "hf_beta",
    "hm_omega",
    "hm_psi",
    "if_sara",
    "im_nicola",
    "jf_alpha",
    "jf_gongitsune",
    "jf_nezumi",
    "jf_tebukuro",
    "jm_kumo",
    "pf_dora",
    "pm_alex",
    "pm_santa",
    "zf_xiaobei",
    "zf_xiaoni",
    "zf_xiaoxiao",
    "zf_xiaoyi",
    "zm_yunjian",
    "zm_yunxi",
    "zm_yunxia",
    "zm_yunyang",
];

/// The vocabulary of Kokoro-82M v1.0: IPA symbols to the model's token ids.
const VOCAB: &str = include_str!("kokoro_vocab.json");

/// Whether `dir` holds a Kokoro model and voices (what `KokoroVoice::load` reads).
pub fn is_complete(dir: &Path) -> bool {
    let names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    names.iter().any(|n| n.ends_with(".onnx"))
        && names
            .iter()
            .any(|n| n.ends_with(".npz") || (n.starts_with("voices") && n.ends_with(".bin")))
        && names.iter().any(|n| n == "vocab.json")
}

/// The Kokoro folder for voice `name`: `dir` itself when it already holds Kokoro, else `dir`
/// after fetching Kokoro into it from `$STORYREEL_KOKORO_URL` or [`DEFAULT_BASE_URL`].
/// `progress` hears one line per file.
pub fn resolve(name: &str, dir: &Path, progress: &dyn Fn(&str)) -> Result<PathBuf, VoiceError> {
    let base = std::env::var(BASE_URL_VAR)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| DEFAULT_BASE_URL.into());
    resolve_from(&base, &published(), name, dir, progress)
}

/// [`resolve`] with the files `files` under `base`.
pub fn resolve_from(
    base: &str,
    files: &[KokoroFile],
    name: &str,
    dir: &Path,
    progress: &dyn Fn(&str),
) -> Result<PathBuf, VoiceError> {
    // A folder already here is read as it is: its voices file says which voices it has.
    if is_complete(dir) {
        return Ok(dir.to_path_buf());
    }
    if !VOICES.contains(&name) {
        let suggestion = VOICES
            .iter()
            .map(|k| (strsim::jaro_winkler(k, &name.to_lowercase()), k))
            .filter(|(score, _)| *score > 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, k)| k.to_string());
        return Err(VoiceError::UnknownVoice {
            kind: "Kokoro",
            name: name.into(),
            suggestion,
            have: VOICES.iter().map(|v| v.to_string()).collect(),
        });
    }
    let base = base.trim_end_matches('/');
    let failed = |url: &str, reason: String| VoiceError::Fetch {
        kind: "Kokoro",
        name: name.into(),
        url: url.into(),
        reason,
    };
    let cache_error = |path: &Path, source: std::io::Error| VoiceError::Cache {
        path: path.into(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(|e| cache_error(dir, e))?;
    let mut fetched = Vec::new();
    for file in files {
        let url = format!("{base}/{}", file.name);
        progress(&format!(
            "fetching Kokoro voices (for {name}): {} ({:.1} MB) from {url}",
            file.name,
            file.size as f64 / 1e6
        ));
        let got = download(&url, dir, file.size).map_err(|r| failed(&url, r.to_string()))?;
        if !got.sha256.eq_ignore_ascii_case(&file.sha256) {
            return Err(failed(
                &url,
                format!(
                    "checksum mismatch: SHA-256 {}, expected {}",
                    got.sha256, file.sha256
                ),
            ));
        }
        fetched.push((dir.join(&file.name), got.file));
    }
    let mut vocab = tempfile::NamedTempFile::new_in(dir).map_err(|e| cache_error(dir, e))?;
    std::io::Write::write_all(&mut vocab, VOCAB.as_bytes()).map_err(|e| cache_error(dir, e))?;
    // All checked before any takes its name; the vocabulary last, as it completes the folder.
    fetched.push((dir.join("vocab.json"), vocab));
    place(fetched)?;
    Ok(dir.to_path_buf())
}
