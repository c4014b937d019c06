//! Plates: each scene's picture prepared once (fitted, resized with a quality filter, converted
//! to YUV) at a resolution where the camera window maps about 1:1 to output pixels, so that the
//! per-frame bilinear sampling is both sharp and cheap.

use super::error::RenderError;
use super::frame::Yuv;
use super::options::Fit;
use image::{imageops, imageops::FilterType, RgbImage};
use std::path::Path;

/// Decodes a scene's image, naming the scene and the file on failure.
pub fn load_image(scene: usize, path: &Path) -> Result<RgbImage, RenderError> {
    let bad = |reason: String| RenderError::BadImage {
        scene,
        path: path.into(),
        reason,
    };
    let reader = image::ImageReader::open(path)
        .map_err(|e| bad(e.to_string()))?
        .with_guessed_format()
        .map_err(|e| bad(e.to_string()))?;
    let img = reader.decode().map_err(|e| bad(e.to_string()))?;
    if img.width() < 2 || img.height() < 2 {
        return Err(bad(format!(
            "image is only {}x{} pixels",
            img.width(),
            img.height()
        )));
    }
    Ok(img.to_rgb8())
}

/// Aspect ratio (width / height) of the plate built from an image of this size.
pub fn plate_aspect(fit: Fit, image: (u32, u32), out: (u32, u32)) -> f64 {
    match fit {
        Fit::Cover => image.0 as f64 / image.1 as f64,
        Fit::Contain => out.0 as f64 / out.1 as f64,
    }
}

/// Builds the RGB plate: the image itself (cover) or the image centred over a blurred enlarged
/// copy of itself (contain), sized so that a window `min_window` plate-widths wide spans at
/// least `out.0` pixels.
pub fn build_rgb(img: &RgbImage, fit: Fit, out: (u32, u32), min_window: f64) -> RgbImage {
    let aspect = plate_aspect(fit, img.dimensions(), out);
    let plate_w = (out.0 as f64 / min_window.max(0.25)).ceil().max(2.0);
    let plate_h = (plate_w / aspect).round().max(2.0);
    let (pw, ph) = (plate_w as u32, plate_h as u32);
    match fit {
        Fit::Cover => resize(img, pw, ph),
        Fit::Contain => {
            let mut canvas = blurred_fill(img, pw, ph);
            let scale = (pw as f64 / img.width() as f64).min(ph as f64 / img.height() as f64);
            let fw = ((img.width() as f64 * scale).round() as u32).clamp(1, pw);
            let fh = ((img.height() as f64 * scale).round() as u32).clamp(1, ph);
            let fg = resize(img, fw, fh);
            imageops::overlay(
                &mut canvas,
                &fg,
                ((pw - fw) / 2) as i64,
                ((ph - fh) / 2) as i64,
            );
            canvas
        }
    }
}

/// Builds the YUV plate used by the compositor.
pub fn build(img: &RgbImage, fit: Fit, out: (u32, u32), min_window: f64) -> Yuv {
    Yuv::from_rgb(&build_rgb(img, fit, out, min_window))
}

/// Catmull-Rom: sharper than triangle when enlarging SD images, much cheaper than Lanczos.
fn resize(img: &RgbImage, w: u32, h: u32) -> RgbImage {
    if img.dimensions() == (w, h) {
        return img.clone();
    }
    imageops::resize(img, w, h, FilterType::CatmullRom)
}

/// The image covering `w`×`h`, blurred and darkened: blurring a small copy and enlarging it is
/// far cheaper than a wide blur at full size.
pub fn blurred_fill(img: &RgbImage, w: u32, h: u32) -> RgbImage {
    let small_w = (w / 16).max(4);
    let small_h = (h / 16).max(4);
    let scale = (small_w as f64 / img.width() as f64).max(small_h as f64 / img.height() as f64);
    let cw = ((img.width() as f64 * scale).ceil() as u32).max(small_w);
    let ch = ((img.height() as f64 * scale).ceil() as u32).max(small_h);
    let covered = imageops::resize(img, cw, ch, FilterType::Triangle);
    let cropped = imageops::crop_imm(
        &covered,
        (cw - small_w) / 2,
        (ch - small_h) / 2,
        small_w,
        small_h,
    )
    .to_image();
    let mut blurred = imageops::blur(&cropped, 2.5);
    for p in blurred.pixels_mut() {
        p.0 = p.0.map(|c| (c as u32 * 3 / 5) as u8);
    }
    imageops::resize(&blurred, w, h, FilterType::Triangle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contain_plate_has_output_aspect_and_blurred_border() {
        let img = RgbImage::from_pixel(100, 100, image::Rgb([200, 50, 50]));
        let plate = build_rgb(&img, Fit::Contain, (90, 160), 1.0);
        assert_eq!(plate.width(), 90);
        assert_eq!(plate.height(), 160);
        // Top border is the darkened fill, the centre the image itself.
        assert!(plate.get_pixel(45, 5)[0] < 150);
        assert!(plate.get_pixel(45, 80)[0] > 190);
    }
}
