//! The number badge every sheet draws on its tiles (candidate k, scene i), so a number is always
//! there whatever the backend painted. It sits in the tile's bottom-left corner: the top is where
//! pictures tend to carry their own header (the draft backend's label and seed).

use super::font::Fonts;
use super::text::{draw_rgb, render_line};
use image::RgbImage;

/// The badge's light face and its dark text and ring: one of the two contrasts with any picture.
const FACE: [u8; 3] = [255, 214, 0];
const INK: [u8; 3] = [0, 0, 0];

/// Badge height for a tile `tile_w` pixels wide: big enough to read when the sheet is shrunk to a
/// thumbnail (about a sixth of the tile), never smaller than 24 px.
pub fn badge_height(tile_w: u32) -> u32 {
    (tile_w / 6).clamp(24, 96)
}

/// Draws `label` in a badge whose bottom-left corner is inset from (`x`, `bottom`) of a tile
/// `tile_w` wide.
pub fn draw_badge(img: &mut RgbImage, label: &str, x: i64, bottom: i64, tile_w: u32) {
    let h = badge_height(tile_w) as i64;
    let inset = (h / 5).max(3);
    let fonts = Fonts::embedded();
    let mask = render_line(&fonts, label, h as f32 * 0.7, 0.0);
    let w = (mask.width as i64 + h / 3).max(h);
    let (x0, y0) = (x + inset, bottom - inset - h);
    let ring = (h / 12).max(2);
    fill(img, x0 - ring, y0 - ring, w + 2 * ring, h + 2 * ring, INK);
    fill(img, x0, y0, w, h, FACE);
    let tx = x0 + (w - mask.width as i64) / 2;
    let ty = y0 + (h - mask.height as i64) / 2;
    draw_rgb(img, &mask, tx, ty, INK, INK);
}

fn fill(img: &mut RgbImage, x: i64, y: i64, w: i64, h: i64, colour: [u8; 3]) {
    let (iw, ih) = (img.width() as i64, img.height() as i64);
    for py in y.max(0)..(y + h).min(ih) {
        for px in x.max(0)..(x + w).min(iw) {
            img.put_pixel(px as u32, py as u32, image::Rgb(colour));
        }
    }
}

/// The number a sheet item's caption carries ("scene 3" → "3", "2" → "2"), else its position.
pub fn badge_label(caption: &str, position: usize) -> String {
    caption
        .split_whitespace()
        .last()
        .filter(|w| w.chars().all(|c| c.is_ascii_digit()))
        .map_or_else(|| position.to_string(), str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_come_from_captions() {
        assert_eq!(badge_label("scene 12", 0), "12");
        assert_eq!(badge_label("3", 0), "3");
        assert_eq!(badge_label("a portrait", 5), "5");
    }

    #[test]
    fn the_badge_stays_in_the_bottom_corner_on_white_and_black() {
        for base in [[255u8; 3], [0u8; 3]] {
            let mut img = RgbImage::from_pixel(216, 384, image::Rgb(base));
            draw_badge(&mut img, "7", 0, 384, 216);
            let face = img.pixels().filter(|p| p.0 == FACE).count();
            assert!(face > 200, "badge face pixels: {face}");
            // The top half (where pictures carry headers) is untouched.
            assert!((0..192).all(|y| (0..216).all(|x| img.get_pixel(x, y).0 == base)));
        }
    }
}
