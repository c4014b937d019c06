//! Contact sheet: one PNG showing every scene's picture with its number and text.

use super::error::RenderError;
use super::font::Fonts;
use super::options::RenderScene;
use super::output::PartialFile;
use super::plate::load_image;
use super::text::{draw_rgb, render_line, text_width, wrap};
use image::{imageops, imageops::FilterType, Rgb, RgbImage};
use std::path::{Path, PathBuf};

const COLUMNS: usize = 4;
const THUMB_W: u32 = 270;
const TEXT_LINES: usize = 4;
const BACKGROUND: Rgb<u8> = Rgb([24, 24, 28]);

/// Draws the storyboard into `out` (PNG), a page of at most [`SCENES_PER_PAGE`] scenes per
/// file: `out`, then `NAME-2.png`, `NAME-3.png`… Returns the pages in order.
pub fn contact_sheet(scenes: &[RenderScene], out: &Path) -> Result<Vec<PathBuf>, RenderError> {
    if scenes.is_empty() {
        return Err(RenderError::NoScenes);
    }
    scenes
        .chunks(SCENES_PER_PAGE)
        .enumerate()
        .map(|(page, chunk)| contact_sheet_page(chunk, &page_path(out, page)))
        .collect()
}

/// At most this many scenes (8 rows) on one contact sheet: however long the story, a page stays
/// under about 1,150×7,500 px (thumbnails are at most 810 px high).
pub const SCENES_PER_PAGE: usize = COLUMNS * 8;

/// Page `page` (from 0) of a paged image: `out` itself, then `NAME-2.EXT`, `NAME-3.EXT`…
pub fn page_path(out: &Path, page: usize) -> PathBuf {
    if page == 0 {
        return out.to_path_buf();
    }
    let stem = out
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = out
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    out.with_file_name(format!("{stem}-{}{ext}", page + 1))
}

/// Draws one page of the storyboard into `out` (PNG). Scenes without an image get an empty frame
/// saying so; an image that cannot be read is an error naming it.
fn contact_sheet_page(scenes: &[RenderScene], out: &Path) -> Result<PathBuf, RenderError> {
    let fonts = Fonts::embedded();
    let thumb_h = thumb_height(scenes);
    let text_px = 15.0;
    let line_h = (text_px * 1.25) as u32;
    let cell_w = THUMB_W + 16;
    let cell_h = thumb_h + 16 + line_h * (TEXT_LINES as u32 + 1) + 8;
    let cols = scenes.len().min(COLUMNS);
    let rows = scenes.len().div_ceil(COLUMNS);
    let mut sheet = RgbImage::from_pixel(cell_w * cols as u32, cell_h * rows as u32, BACKGROUND);
    for (k, scene) in scenes.iter().enumerate() {
        let x = (k % COLUMNS) as u32 * cell_w + 8;
        let y = (k / COLUMNS) as u32 * cell_h + 8;
        let thumb = match &scene.image {
            Some(path) => cover(&load_image(scene.index, path)?, THUMB_W, thumb_h),
            None => placeholder(&fonts, THUMB_W, thumb_h),
        };
        imageops::overlay(&mut sheet, &thumb, x as i64, y as i64);
        let bottom = (y + thumb_h) as i64;
        super::badge::draw_badge(
            &mut sheet,
            &scene.index.to_string(),
            x as i64,
            bottom,
            THUMB_W,
        );
        let text_y = y + thumb_h + 6;
        let words = super::breaks::words(&scene.text);
        let mut lines = wrap(&fonts, &words, text_px, THUMB_W as f32);
        let clipped = lines.len() > TEXT_LINES;
        lines.truncate(TEXT_LINES);
        for (li, range) in lines.iter().enumerate() {
            let mut line = words[range.clone()].join(" ");
            if clipped && li + 1 == TEXT_LINES {
                while !line.is_empty()
                    && text_width(&fonts, &format!("{line}…"), text_px) > THUMB_W as f32
                {
                    line.pop();
                }
                line.push('…');
            }
            let mask = render_line(&fonts, &line, text_px, 0.0);
            draw_rgb(
                &mut sheet,
                &mask,
                x as i64 - 2,
                (text_y + li as u32 * line_h) as i64,
                [225, 225, 225],
                [225, 225, 225],
            );
        }
    }
    let partial = PartialFile::new(out)?;
    sheet
        .save_with_format(partial.temp_path(), image::ImageFormat::Png)
        .map_err(|e| RenderError::io(out, std::io::Error::other(e)))?;
    partial.commit()
}

/// Thumbnail height from the first readable image's shape (stories share one format).
fn thumb_height(scenes: &[RenderScene]) -> u32 {
    scenes
        .iter()
        .filter_map(|s| s.image.as_ref())
        .find_map(|p| image::image_dimensions(p).ok())
        .map_or(THUMB_W * 16 / 9, |(w, h)| {
            (THUMB_W as f64 * h as f64 / w as f64).round() as u32
        })
        .clamp(THUMB_W / 3, THUMB_W * 3)
}

/// Resizes and centre-crops to fill `w`×`h`.
pub fn cover(img: &RgbImage, w: u32, h: u32) -> RgbImage {
    let scale = (w as f64 / img.width() as f64).max(h as f64 / img.height() as f64);
    let sw = ((img.width() as f64 * scale).ceil() as u32).max(w);
    let sh = ((img.height() as f64 * scale).ceil() as u32).max(h);
    let scaled = imageops::resize(img, sw, sh, FilterType::Triangle);
    imageops::crop_imm(&scaled, (sw - w) / 2, (sh - h) / 2, w, h).to_image()
}

fn placeholder(fonts: &Fonts, w: u32, h: u32) -> RgbImage {
    let mut img = RgbImage::from_pixel(w, h, Rgb([60, 60, 66]));
    let mask = render_line(fonts, "no image", 22.0, 0.0);
    let x = (w as i64 - mask.width as i64) / 2;
    let y = (h as i64 - mask.height as i64) / 2;
    draw_rgb(&mut img, &mask, x, y, [170, 170, 170], [170, 170, 170]);
    img
}
