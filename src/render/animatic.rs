//! Animatic: a small looping GIF that shows each picture for about as long as its narration.

use super::error::RenderError;
use super::font::Fonts;
use super::options::RenderScene;
use super::output::PartialFile;
use super::plate::load_image;
use super::sheet::cover;
use super::text::{draw_rgb, render_line};
use image::codecs::gif::{GifEncoder, Repeat};
use image::{Delay, Frame, RgbaImage};
use std::fs::File;
use std::path::{Path, PathBuf};

const WIDTH: u32 = 180;

/// Writes the animatic GIF into `out`. Every scene needs an image.
pub fn animatic(scenes: &[RenderScene], out: &Path) -> Result<PathBuf, RenderError> {
    super::pipeline::require_images(scenes)?;
    let fonts = Fonts::embedded();
    let first = scenes[0].image.as_ref().expect("checked above");
    let (iw, ih) = image::image_dimensions(first).map_err(|e| RenderError::BadImage {
        scene: scenes[0].index,
        path: first.clone(),
        reason: e.to_string(),
    })?;
    let height = ((WIDTH as f64 * ih as f64 / iw as f64).round() as u32).clamp(60, 540) & !1;
    let partial = PartialFile::new(out)?;
    let file = File::create(partial.temp_path()).map_err(|e| RenderError::io(out, e))?;
    let gif_err = |e: image::ImageError| RenderError::io(out, std::io::Error::other(e));
    {
        let mut encoder = GifEncoder::new_with_speed(file, 20);
        encoder.set_repeat(Repeat::Infinite).map_err(gif_err)?;
        for scene in scenes {
            let path = scene.image.as_ref().expect("checked above");
            let mut frame = cover(&load_image(scene.index, path)?, WIDTH, height);
            let label = scene.index.to_string();
            let mask = render_line(&fonts, &label, 20.0, 2.5);
            draw_rgb(&mut frame, &mask, 4, 2, [255, 255, 255], [0, 0, 0]);
            // Speaking pace of 2.5 words a second, between 1 and 4 seconds a picture.
            let words = scene.text.split_whitespace().count() as f64;
            let ms = (words / 2.5 * 1000.0).clamp(1000.0, 4000.0) as u32;
            let rgba: RgbaImage = image::DynamicImage::ImageRgb8(frame).to_rgba8();
            encoder
                .encode_frame(Frame::from_parts(
                    rgba,
                    0,
                    0,
                    Delay::from_numer_denom_ms(ms, 1),
                ))
                .map_err(gif_err)?;
        }
    }
    partial.commit()
}
