//! `story.json` in the story's folder: the story, the script that made it, each scene's
//! candidates (by content address) and the picks used, and the last video. Written when
//! candidates are made and when a video is rendered; the pick page and cache pruning read it,
//! through [`StoryManifest`] only.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::context::Context;
use crate::file_format::{FileError, Format};
use crate::generate::cache::content_address;
use crate::generate::cache_upkeep::key_of_path;
use crate::generate::GenerateError;
use crate::render::{NarrationSegment, Video};
use crate::story::Story;

pub use crate::layout::MANIFEST as FILE;

/// Format 1 added `version` and `references`; format 0 (no version) reads as before.
pub const FORMAT: Format = Format {
    what: "story manifest",
    version: 1,
};

/// What `story.json` holds. Fields absent from an older file take their defaults.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StoryManifest {
    pub version: u32,
    /// The storyreel that wrote it.
    pub storyreel: String,
    pub title: String,
    /// The script that made the story and the folder it ran in (absolute), to run it again.
    pub script: Option<String>,
    pub workdir: Option<String>,
    pub scenes: Vec<SceneEntry>,
    /// The image each scene shows in a render: its pick, else its first candidate.
    pub picks: Vec<PickEntry>,
    /// Content addresses of the characters' reference images.
    pub references: Vec<String>,
    pub video: Option<VideoEntry>,
    /// The whole story as it serialises, for other tools; storyreel reads the fields above.
    pub story: Value,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SceneEntry {
    pub index: Option<usize>,
    pub text: String,
    pub prompt: String,
    /// Content addresses, in candidate order (`None`: an image that could not be read).
    pub candidates: Vec<Option<String>>,
    pub picked: Option<usize>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PickEntry {
    pub scene: usize,
    pub candidate: usize,
    /// False when the scene had no pick and shows its first candidate.
    pub picked: bool,
    pub address: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VideoEntry {
    pub path: String,
    pub width: u32,
    pub height: u32,
    pub fps: u32,
    pub frames: u64,
    pub duration_secs: f64,
    pub has_audio: bool,
    pub encoder: String,
    pub narration: Vec<NarrationSegment>,
    pub subtitles: Vec<String>,
}

/// Why the manifest was not written.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// The story's folder holds a manifest of a newer storyreel: it is left as it is.
    #[error(transparent)]
    Read(#[from] FileError),
    #[error(
        "cannot write {}: {source} (story.json records paths as UTF-8 text; choose folder and \
         file names that are UTF-8)",
        path.display()
    )]
    NotUtf8 {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error(transparent)]
    Write(#[from] GenerateError),
}

impl StoryManifest {
    /// The manifest at `path`; `None` when there is none.
    pub fn read(path: &Path) -> Result<Option<StoryManifest>, FileError> {
        FORMAT.read(path)
    }

    /// The cache keys of every image the story uses: its candidates, picks and references.
    pub fn images(&self) -> Vec<String> {
        let mut keys: Vec<String> = self
            .scenes
            .iter()
            .flat_map(|s| s.candidates.iter().flatten())
            .chain(self.picks.iter().filter_map(|p| p.address.as_ref()))
            .chain(&self.references)
            .cloned()
            .collect();
        // Format 0 named references only inside the embedded story: every image path there.
        if self.version == 0 {
            image_paths(&self.story, &mut keys);
        }
        keys
    }
}

fn image_paths(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::String(s) => found.extend(key_of_path(Path::new(s)).map(str::to_string)),
        Value::Array(items) => items.iter().for_each(|v| image_paths(v, found)),
        Value::Object(map) => map.values().for_each(|v| image_paths(v, found)),
        _ => {}
    }
}

/// Writes the manifest; without a video, the last rendered one stays named.
pub fn write(ctx: &Context, story: &Story, video: Option<&Video>) -> Result<(), ManifestError> {
    let path = ctx.workspace.layout().manifest(&story.slug());
    // A newer storyreel's manifest is not overwritten with less than it holds.
    let previous = StoryManifest::read(&path).or_else(|e| match e {
        FileError::Newer { .. } => Err(e),
        _ => Ok(None),
    })?;
    let video = match video {
        Some(v) => Some(VideoEntry {
            path: absolute(&v.path),
            width: v.width,
            height: v.height,
            fps: v.fps,
            frames: v.frames,
            duration_secs: v.duration_secs,
            has_audio: v.has_audio,
            encoder: v.encoder.to_string(),
            narration: v.narration.clone(),
            subtitles: v.subtitles.iter().map(|p| absolute(p)).collect(),
        }),
        None => previous.and_then(|m| m.video),
    };
    // A path that is not UTF-8 (a folder named in another encoding) has no JSON form.
    let story_json = serde_json::to_value(story).map_err(|source| ManifestError::NotUtf8 {
        path: path.clone(),
        source,
    })?;
    let (script, workdir) = ctx.script();
    let manifest = of_story(story, video, story_json, script, workdir);
    let bytes = serde_json::to_vec_pretty(&manifest).expect("a manifest always serialises");
    crate::generate::cache::write_atomic(&path, &bytes)?;
    Ok(())
}

fn of_story(
    story: &Story,
    video: Option<VideoEntry>,
    story_json: Value,
    script: Option<PathBuf>,
    workdir: Option<PathBuf>,
) -> StoryManifest {
    // Hand-made images are hashed from their bytes: each candidate once.
    let addresses: Vec<Vec<Option<String>>> = story
        .scenes
        .iter()
        .map(|s| s.candidates.iter().map(|c| content_address(c)).collect())
        .collect();
    let scenes = story
        .scenes
        .iter()
        .zip(&addresses)
        .enumerate()
        .map(|(i, (s, candidates))| SceneEntry {
            index: Some(i),
            text: s.text.clone(),
            prompt: story.prompt(i).text,
            candidates: candidates.clone(),
            picked: s.picked,
        })
        .collect();
    let picks = story
        .scenes
        .iter()
        .zip(&addresses)
        .enumerate()
        .filter_map(|(i, (s, candidates))| {
            let k = s.picked.or((!s.candidates.is_empty()).then_some(0))?;
            Some(PickEntry {
                scene: i,
                candidate: k,
                picked: s.picked.is_some(),
                address: candidates[k].clone(),
            })
        })
        .collect();
    let references = story
        .characters
        .iter()
        .filter_map(|c| c.reference.as_deref())
        .filter_map(key_of_path)
        .map(str::to_string)
        .collect();
    StoryManifest {
        version: FORMAT.version,
        storyreel: env!("CARGO_PKG_VERSION").to_string(),
        title: story.title.clone(),
        script: script.map(|p| absolute(&p)),
        workdir: workdir.map(|p| absolute(&p)),
        scenes,
        picks,
        references,
        video,
        story: story_json,
    }
}

fn absolute(p: &Path) -> String {
    std::path::absolute(p)
        .unwrap_or_else(|_| p.to_path_buf())
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::story::Character;

    #[test]
    fn a_manifest_reads_back_as_written_and_names_every_image_the_story_uses() {
        let (a, b, r) = ("a".repeat(64), "b".repeat(64), "c".repeat(64));
        let mut story = Story::new("Tale", "Once upon a time.\n\nThe end came.");
        story.scenes[0].candidates = vec![
            PathBuf::from(format!("/ws/cache/aa/{a}.png")),
            PathBuf::from(format!("/ws/cache/bb/{b}.png")),
        ];
        story.scenes[0].picked = Some(1);
        let mut ilse = Character::new("Ilse", "a girl");
        ilse.reference = Some(PathBuf::from(format!("/ws/cache/cc/{r}.png")));
        story.characters.push(ilse);
        let json = serde_json::to_value(&story).unwrap();
        let manifest = of_story(&story, None, json, Some("/s/tale.rhai".into()), None);
        assert_eq!(
            manifest.scenes[0].candidates,
            [Some(a.clone()), Some(b.clone())]
        );
        assert_eq!(manifest.picks[0].address.as_deref(), Some(b.as_str()));

        let bytes = serde_json::to_vec_pretty(&manifest).unwrap();
        let back: StoryManifest = FORMAT.parse(Path::new("story.json"), &bytes).unwrap();
        assert_eq!(back, manifest);
        assert_eq!(back.version, FORMAT.version);
        let images = back.images();
        for key in [&a, &b, &r] {
            assert!(images.contains(key), "{key} not protected");
        }
    }

    #[test]
    fn a_manifest_without_a_version_still_names_the_images_inside_its_story() {
        let r = "c".repeat(64);
        let old = serde_json::json!({
            "title": "Tale",
            "scenes": [{ "index": 0, "text": "Once.", "prompt": "p", "candidates": [null], "picked": null }],
            "picks": [],
            "video": null,
            "story": { "characters": [{ "name": "Ilse", "reference": format!("/ws/cache/cc/{r}.png") }] },
        });
        let back: StoryManifest = FORMAT
            .parse(Path::new("story.json"), old.to_string().as_bytes())
            .unwrap();
        assert_eq!((back.version, back.title.as_str()), (0, "Tale"));
        assert_eq!(back.images(), [r]);
    }
}
