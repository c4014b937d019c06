//! The sidecar beside each cached image (`<key>.json`): what it was made from and by whom, and
//! the hash of the PNG as stored, so an image altered after the fact is never shown.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::request::ImageRequest;
use crate::file_format::Format;

/// Format 1 added the `version`; files without one (format 0) have the same fields.
pub const FORMAT: Format = Format {
    what: "image sidecar",
    version: 1,
};

/// Every field has a default, so a sidecar written before a field existed still reads (and its
/// image stays a cache hit).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Sidecar {
    pub version: u32,
    pub key: String,
    /// The backend's name (`a1111`, `comfyui`, `draft`…).
    pub backend: String,
    pub model: Option<String>,
    /// How messages named the image ("scene 3 #2").
    pub label: String,
    /// What was asked.
    pub request: ImageRequest,
    /// The size the server made, which is not always the one asked.
    pub made: Option<Made>,
    pub seed_used: u64,
    /// Why the image is not what was asked (then it is stored under a key no request has).
    pub not_honoured: Option<String>,
    /// What the server reported, in its own words (free-form, by backend).
    pub info: Value,
    /// SHA-256 of the PNG as stored.
    pub png_sha256: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Made {
    pub width: u32,
    pub height: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sidecar_reads_back_as_written_and_an_old_one_still_reads() {
        let sidecar = Sidecar {
            version: FORMAT.version,
            key: "ab".repeat(32),
            backend: "a1111".into(),
            model: Some("sd15".into()),
            label: "scene 3 #2".into(),
            request: ImageRequest {
                prompt: "a fox".into(),
                cfg: 6.5,
                ..Default::default()
            },
            made: Some(Made {
                width: 512,
                height: 768,
            }),
            seed_used: 42,
            not_honoured: None,
            info: serde_json::json!({"sd_model_name": "sd15"}),
            png_sha256: "cd".repeat(32),
        };
        let path = std::path::Path::new("k.json");
        let bytes = serde_json::to_vec(&sidecar).unwrap();
        assert_eq!(FORMAT.parse::<Sidecar>(path, &bytes).unwrap(), sidecar);
        // Written before the format had a version, with fewer fields.
        let old: Sidecar = FORMAT
            .parse(
                path,
                br#"{"key": "k", "backend": "draft", "request": {"prompt": "p"}, "png_sha256": "x"}"#,
            )
            .unwrap();
        assert_eq!((old.version, old.request.prompt.as_str()), (0, "p"));
        assert_eq!(old.request.steps, ImageRequest::default().steps);
    }
}
