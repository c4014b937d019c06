//! `story.json` in the story's folder: the story, the script that made it, each scene's
//! candidates (by content address) and the picks used, and the last video. Written when
//! candidates are made and when a video is rendered; the pick page reads it.

use std::path::Path;

use serde_json::{json, Value};

use super::context::Context;
use crate::generate::cache::content_address;
use crate::render::Video;
use crate::story::Story;

pub const FILE: &str = "story.json";

/// Writes the manifest; without a video, the last rendered one stays named.
pub fn write(ctx: &Context, story: &Story, video: Option<&Video>) -> Result<(), String> {
    let dir = ctx.workspace.story_dir(&story.slug());
    let path = dir.join(FILE);
    let video = match video {
        Some(v) => json!({
            "path": absolute(&v.path),
            "width": v.width,
            "height": v.height,
            "fps": v.fps,
            "frames": v.frames,
            "duration_secs": v.duration_secs,
            "has_audio": v.has_audio,
            "encoder": v.encoder,
            "narration": v.narration,
            "subtitles": v.subtitles.iter().map(|p| absolute(p)).collect::<Vec<_>>(),
        }),
        None => std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
            .and_then(|m| m.get("video").cloned())
            .unwrap_or(Value::Null),
    };
    // Hand-made images are hashed from their bytes: each candidate once.
    let addresses: Vec<Vec<Option<String>>> = story
        .scenes
        .iter()
        .map(|s| s.candidates.iter().map(|c| content_address(c)).collect())
        .collect();
    let scenes: Vec<Value> = story
        .scenes
        .iter()
        .zip(&addresses)
        .enumerate()
        .map(|(i, (s, candidates))| {
            json!({
                "index": i,
                "text": s.text,
                "prompt": story.prompt(i).text,
                "candidates": candidates,
                "picked": s.picked,
            })
        })
        .collect();
    // The image each scene shows in a render: its pick, else its first candidate.
    let picks: Vec<Value> = story
        .scenes
        .iter()
        .zip(&addresses)
        .enumerate()
        .filter_map(|(i, (s, candidates))| {
            let k = s.picked.or((!s.candidates.is_empty()).then_some(0))?;
            Some(json!({
                "scene": i,
                "candidate": k,
                "picked": s.picked.is_some(),
                "address": candidates[k],
            }))
        })
        .collect();
    // A path that is not UTF-8 (a folder named in another encoding) has no JSON form.
    let story_json = serde_json::to_value(story).map_err(|e| {
        format!(
            "cannot write {}: {e} (story.json records paths as UTF-8 text; choose folder and \
             file names that are UTF-8)",
            path.display()
        )
    })?;
    let (script, workdir) = ctx.script();
    let manifest = json!({
        "storyreel": env!("CARGO_PKG_VERSION"),
        "title": story.title,
        "script": script.map(|p| absolute(&p)),
        "workdir": workdir.map(|p| absolute(&p)),
        "scenes": scenes,
        "picks": picks,
        "video": video,
        "story": story_json,
    });
    let bytes = serde_json::to_vec_pretty(&manifest).map_err(|e| e.to_string())?;
    crate::generate::cache::write_atomic(&path, &bytes).map_err(|e| e.to_string())
}

fn absolute(p: &Path) -> String {
    std::path::absolute(p)
        .unwrap_or_else(|_| p.to_path_buf())
        .display()
        .to_string()
}
