//! The built-in `draft` backend: a deterministic storyboard sketch per
//! (prompt, characters, seed, size) in milliseconds, with no server or GPU.

mod canvas;
mod figures;
mod look;
mod panel;
mod scenery;
mod text;

use std::io::Cursor;

use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use serde_json::json;

use super::{Job, Output};
use crate::generate::error::GenerateError;
use crate::generate::request::ImageRequest;

/// The part of a request's label the sketch shows: the candidate number ("#2" of "scene 3 #2"),
/// not the scene's place in the story, which an edit above it changes while its image must not.
pub fn drawn_label(label: &str) -> &str {
    match label.rfind(" #") {
        Some(at) => &label[at + 1..],
        None => label,
    }
}

/// Paints the sketch for a request and encodes it as PNG.
pub fn render_png(request: &ImageRequest) -> Result<Vec<u8>, GenerateError> {
    let image = panel::paint(&panel::Sketch {
        prompt: &request.prompt,
        characters: &request.characters,
        seed: request.seed,
        width: request.width,
        height: request.height,
        label: drawn_label(&request.label),
    });
    let mut png = Vec::new();
    // Fast deflate: the sketch is mostly flat colour, and speed is the point of a draft.
    let encoder = PngEncoder::new_with_quality(
        Cursor::new(&mut png),
        CompressionType::Fast,
        FilterType::Sub,
    );
    image
        .write_with_encoder(encoder)
        .map_err(|e| GenerateError::Other(format!("draft: cannot encode the sketch: {e}")))?;
    Ok(png)
}

pub async fn generate(job: &Job) -> Result<Output, GenerateError> {
    let request = job.request.clone();
    let png = tokio::task::spawn_blocking(move || render_png(&request))
        .await
        .map_err(|e| GenerateError::Other(format!("draft: painting failed: {e}")))??;
    // A draft is a preview: techniques a real backend would apply are listed, not failed.
    let mut ignored = Vec::new();
    if !job.request.loras.is_empty() {
        ignored.push("lora");
    }
    if job.request.reference.is_some() {
        ignored.push("reference");
    }
    if job.request.init_image.is_some() {
        ignored.push("init_image");
    }
    Ok(Output::new(
        png,
        json!({ "backend": "draft", "seed": job.request.seed, "ignored": ignored }),
    ))
}
