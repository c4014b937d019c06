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

/// All the frames of one animatic hold at most this many pixels (about 50 MB of GIF colour
/// indices before compression): a long story gets smaller frames, down to [`MIN_WIDTH`].
pub const MAX_PIXELS: u64 = 50_000_000;
const MIN_WIDTH: u32 = 60;

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
    let (width, height) = frame_size(iw, ih, scenes.len())?;
    let partial = PartialFile::new(out)?;
    let file = File::create(partial.temp_path()).map_err(|e| RenderError::io(out, e))?;
    let gif_err = |e: image::ImageError| RenderError::io(out, std::io::Error::other(e));
    {
        let mut encoder = GifEncoder::new_with_speed(file, 20);
        encoder.set_repeat(Repeat::Infinite).map_err(gif_err)?;
        for scene in scenes {
            let path = scene.image.as_ref().expect("checked above");
            let mut frame = cover(&load_image(scene.index, path)?, width, height);
            let label = scene.index.to_string();
            let mask = render_line(&fonts, &label, 20.0, 2.5);
            draw_rgb(&mut frame, &mask, 4, 2, [255, 255, 255], [0, 0, 0]);
            // Speaking pace of 2.5 words a second, between 1 and 4 seconds a picture.
            let words = super::breaks::spoken_words(&scene.text) as f64;
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
    check_trailer(partial.temp_path())?;
    partial.commit()
}

/// The frame size for `frames` pictures of `iw`×`ih`: [`WIDTH`] wide, or narrower where the
/// frames would pass [`MAX_PIXELS`] in all; an error where even [`MIN_WIDTH`] is too wide.
fn frame_size(iw: u32, ih: u32, frames: usize) -> Result<(u32, u32), RenderError> {
    let height_at = |w: u32| {
        ((w as f64 * ih as f64 / iw.max(1) as f64).round() as u32).clamp(w / 3, w * 3) & !1
    };
    let pixels = |w: u32| frames as u64 * (w * height_at(w)) as u64;
    let width = (MIN_WIDTH..=WIDTH)
        .rev()
        .step_by(2)
        .find(|&w| pixels(w) <= MAX_PIXELS)
        .ok_or_else(|| {
            let small = MIN_WIDTH * height_at(MIN_WIDTH);
            RenderError::TooLarge(format!(
                "{frames} scenes are too many for one GIF: even at {MIN_WIDTH}×{} px a frame \
                 they pass its limit of {MAX_PIXELS} pixels in all (at most {} frames that size)",
                height_at(MIN_WIDTH),
                MAX_PIXELS / small as u64
            ))
        })?;
    Ok((width, height_at(width)))
}

/// The encoder writes a GIF's last byte (the trailer, `;`) as it is dropped, where a failed
/// write goes unseen: a file without it was cut short.
fn check_trailer(path: &std::path::Path) -> Result<(), RenderError> {
    use std::io::{Read, Seek, SeekFrom};
    let mut last = [0u8];
    std::fs::File::open(path)
        .and_then(|mut f| {
            f.seek(SeekFrom::End(-1))?;
            f.read_exact(&mut last)
        })
        .map_err(|e| RenderError::io(path, e))?;
    if last[0] == b';' {
        return Ok(());
    }
    if super::output::disk_nearly_full(path) {
        return Err(RenderError::DiskFull { path: path.into() });
    }
    Err(RenderError::Encoder(format!(
        "{} was not written to its end",
        path.display()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_shrink_with_the_story_and_stay_under_the_pixel_limit() {
        // Stable Diffusion's 576×1024: 180×320 frames for a short story.
        assert_eq!(frame_size(576, 1024, 12).unwrap(), (180, 320));
        let (w, h) = frame_size(576, 1024, 3_000).unwrap();
        assert!((MIN_WIDTH..WIDTH).contains(&w), "{w}");
        assert!(3_000 * (w * h) as u64 <= MAX_PIXELS);
        // Same shape, within a pixel of rounding.
        assert!(
            (h as f64 / w as f64 - 1024.0 / 576.0).abs() < 0.05,
            "{w}×{h}"
        );
        // The widest that fits: two pixels wider would pass the limit.
        let h2 = ((w + 2) as f64 * 1024.0 / 576.0).round() as u64 & !1;
        assert!(3_000 * (w as u64 + 2) * h2 > MAX_PIXELS);
    }

    #[test]
    fn a_story_too_long_for_one_gif_is_a_clear_error() {
        let err = frame_size(576, 1024, 10_000).unwrap_err().to_string();
        assert!(err.starts_with("10000 scenes are too many"), "{err}");
        assert!(err.contains(&MAX_PIXELS.to_string()), "{err}");
    }
}
