//! Text layout and rasterisation into coverage masks (fill, stroke and which word each pixel
//! belongs to), shared by captions, the title card and the contact sheet.

use super::breaks::{glued, words as break_units};
use super::font::Fonts;
use super::shape::{paragraph_is_rtl, shape_line, Line};
use ab_glyph::{point, Font, GlyphId, PxScale, ScaleFont};

/// Coverage of a block of text, `width`×`height`, with a stroke around the glyphs.
pub struct TextMask {
    pub width: usize,
    pub height: usize,
    pub fill: Vec<u8>,
    pub stroke: Vec<u8>,
    /// Word index (relative to the block) of each pixel's glyph, for word highlighting.
    pub word: Vec<u16>,
}

impl TextMask {
    /// A mask with nothing drawn on it.
    pub fn blank(width: usize, height: usize) -> Self {
        let n = width * height;
        TextMask {
            width,
            height,
            fill: vec![0; n],
            stroke: vec![0; n],
            word: vec![0; n],
        }
    }
}

/// Width in pixels of `text` on one line.
pub fn text_width(fonts: &Fonts, text: &str, px: f32) -> f32 {
    let words = break_units(text);
    shape_line(fonts, &words, px, paragraph_is_rtl(&words)).width
}

/// Width in pixels of each word, shaped on its own in a paragraph made of `words`.
pub fn word_widths(fonts: &Fonts, words: &[&str], px: f32) -> Vec<f32> {
    let rtl = paragraph_is_rtl(words);
    words
        .iter()
        .map(|w| shape_line(fonts, &[w], px, rtl).width)
        .collect()
}

/// Width in pixels of the gap before each word: a space, or nothing before the first word
/// and between words of a script written without spaces.
pub fn gap_widths(fonts: &Fonts, words: &[&str], px: f32) -> Vec<f32> {
    let space = shape_line(fonts, &["", ""], px, false).width;
    (0..words.len())
        .map(|i| {
            if i == 0 || glued(words[i - 1], words[i]) {
                0.0
            } else {
                space
            }
        })
        .collect()
}

/// Greedy line breaking of `words` within `max_width`; returns the word-index range of each
/// line. A single word wider than the line gets a line of its own.
pub fn wrap(fonts: &Fonts, words: &[&str], px: f32, max_width: f32) -> Vec<std::ops::Range<usize>> {
    wrap_widths(
        &word_widths(fonts, words, px),
        &gap_widths(fonts, words, px),
        max_width,
    )
}

/// [`wrap`] given each word's width and the gap before it.
pub fn wrap_widths(widths: &[f32], gaps: &[f32], max_width: f32) -> Vec<std::ops::Range<usize>> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut width = 0.0;
    for (i, &w) in widths.iter().enumerate() {
        let space = gaps[i];
        if i > start && width + space + w > max_width {
            lines.push(start..i);
            start = i;
            width = w;
        } else {
            width += if i > start { space + w } else { w };
        }
    }
    if start < widths.len() {
        lines.push(start..widths.len());
    }
    lines
}

/// Rasterises lines of words, each line centred, with a stroke of `stroke_px` around glyphs.
/// Each line is laid out on its own in the direction of the paragraph `words` make.
pub fn render_lines(
    fonts: &Fonts,
    words: &[&str],
    lines: &[std::ops::Range<usize>],
    px: f32,
    stroke_px: f32,
) -> TextMask {
    let scale = PxScale::from(px);
    let scaled = fonts.main().outline.as_scaled(scale);
    let line_height = (scaled.ascent() - scaled.descent()) * 1.1;
    let margin = stroke_px.ceil() as usize + 2;
    let rtl = paragraph_is_rtl(words);
    let shaped: Vec<Line> = lines
        .iter()
        .map(|r| shape_line(fonts, &words[r.clone()], px, rtl))
        .collect();
    let max_w = shaped.iter().map(|l| l.width).fold(0.0, f32::max);
    let width = max_w.ceil() as usize + 2 * margin;
    let height = (line_height * lines.len() as f32).ceil() as usize + 2 * margin;
    let mut mask = TextMask::blank(width, height);
    let first_word = lines.first().map_or(0, |r| r.start);
    for (li, (range, line)) in lines.iter().zip(&shaped).enumerate() {
        let baseline = margin as f32 + li as f32 * line_height + scaled.ascent();
        let x0 = margin as f32 + (max_w - line.width) / 2.0;
        for g in &line.glyphs {
            let glyph =
                GlyphId(g.id).with_scale_and_position(scale, point(x0 + g.x, baseline - g.y));
            let Some(outline) = g.face.outline.outline_glyph(glyph) else {
                continue;
            };
            let b = outline.px_bounds();
            let word_id = (range.start + g.word - first_word) as u16;
            outline.draw(|gx, gy, cov| {
                let px_x = b.min.x as i64 + gx as i64;
                let px_y = b.min.y as i64 + gy as i64;
                if px_x < 0 || px_y < 0 || px_x >= width as i64 || px_y >= height as i64 {
                    return;
                }
                let i = px_y as usize * width + px_x as usize;
                let v = (cov * 255.0).round().clamp(0.0, 255.0) as u8;
                if v > mask.fill[i] {
                    mask.fill[i] = v;
                    mask.word[i] = word_id;
                }
            });
        }
    }
    dilate(&mut mask, stroke_px);
    mask
}

/// Rasterises `text` as a single line.
pub fn render_line(fonts: &Fonts, text: &str, px: f32, stroke_px: f32) -> TextMask {
    let words = break_units(text);
    let line = std::iter::once(0..words.len()).collect::<Vec<_>>();
    render_lines(fonts, &words, &line, px, stroke_px)
}

/// Stroke = the fill grown by a disc of radius `r`, anti-aliased at its edge. Also spreads word
/// indices into the stroke so that highlighting can colour a whole word.
fn dilate(mask: &mut TextMask, r: f32) {
    let (w, h) = (mask.width as i64, mask.height as i64);
    if r <= 0.0 {
        mask.stroke.copy_from_slice(&mask.fill);
        return;
    }
    let reach = r.ceil() as i64 + 1;
    let mut disc = Vec::new();
    for dy in -reach..=reach {
        for dx in -reach..=reach {
            let d = ((dx * dx + dy * dy) as f32).sqrt();
            let weight = (r + 0.5 - d).clamp(0.0, 1.0);
            if weight > 0.0 {
                disc.push((dx, dy, (weight * 256.0) as u32));
            }
        }
    }
    for y in 0..h {
        for x in 0..w {
            let f = mask.fill[(y * w + x) as usize] as u32;
            if f == 0 {
                continue;
            }
            for &(dx, dy, wt) in &disc {
                let (nx, ny) = (x + dx, y + dy);
                if nx < 0 || ny < 0 || nx >= w || ny >= h {
                    continue;
                }
                let v = ((f * wt) >> 8) as u8;
                let i = (ny * w + nx) as usize;
                if v > mask.stroke[i] {
                    mask.stroke[i] = v;
                    if mask.fill[i] == 0 {
                        mask.word[i] = mask.word[(y * w + x) as usize];
                    }
                }
            }
        }
    }
}

/// Draws a mask onto an RGB image at (`x0`, `y0`) with a fill and a stroke colour.
pub fn draw_rgb(
    img: &mut image::RgbImage,
    mask: &TextMask,
    x0: i64,
    y0: i64,
    fill: [u8; 3],
    stroke: [u8; 3],
) {
    let (iw, ih) = (img.width() as i64, img.height() as i64);
    for my in 0..mask.height as i64 {
        for mx in 0..mask.width as i64 {
            let (x, y) = (x0 + mx, y0 + my);
            if x < 0 || y < 0 || x >= iw || y >= ih {
                continue;
            }
            let i = (my * mask.width as i64 + mx) as usize;
            let (sa, fa) = (mask.stroke[i] as u32, mask.fill[i] as u32);
            if sa == 0 && fa == 0 {
                continue;
            }
            let p = img.get_pixel_mut(x as u32, y as u32);
            for c in 0..3 {
                let mut v = (p[c] as u32 * (255 - sa) + stroke[c] as u32 * sa) / 255;
                v = (v * (255 - fa) + fill[c] as u32 * fa) / 255;
                p[c] = v as u8;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_long_text_into_several_lines() {
        let fonts = Fonts::embedded();
        let words: Vec<&str> = "the quick brown fox jumps over the lazy dog"
            .split(' ')
            .collect();
        let lines = wrap(&fonts, &words, 40.0, 300.0);
        assert!(lines.len() >= 2);
        assert_eq!(lines.last().unwrap().end, words.len());
    }

    #[test]
    fn mask_has_fill_and_wider_stroke() {
        let fonts = Fonts::embedded();
        let m = render_line(&fonts, "Hi", 40.0, 3.0);
        let fill: usize = m.fill.iter().filter(|&&v| v > 128).count();
        let stroke: usize = m.stroke.iter().filter(|&&v| v > 128).count();
        assert!(fill > 50 && stroke > fill);
    }
}
