//! Text for the sketches: an embedded DejaVu font (no system fonts needed),
//! measuring, word wrapping and anti-aliased drawing.

use std::sync::OnceLock;

use ab_glyph::{point, Font, FontRef, PxScale, ScaleFont};

use super::canvas::{Canvas, Rgb};

use crate::fonts::SANS_CONDENSED_BOLD as FONT_BYTES;

fn font() -> &'static FontRef<'static> {
    static FONT: OnceLock<FontRef<'static>> = OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(FONT_BYTES).expect("the embedded font is valid"))
}

pub fn width(text: &str, px: f32) -> f32 {
    let font = font().as_scaled(PxScale::from(px));
    let mut last = None;
    let mut total = 0.0;
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(prev) = last {
            total += font.kern(prev, id);
        }
        total += font.h_advance(id);
        last = Some(id);
    }
    total
}

/// Draws one line with its top at `top`; returns the line's width.
pub fn draw(canvas: &mut Canvas, x: f32, top: f32, text: &str, px: f32, color: Rgb) -> f32 {
    let scale = PxScale::from(px);
    let scaled = font().as_scaled(scale);
    let baseline = top + scaled.ascent();
    let mut caret = x;
    let mut last = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(prev) = last {
            caret += scaled.kern(prev, id);
        }
        let glyph = id.with_scale_and_position(scale, point(caret, baseline));
        caret += scaled.h_advance(id);
        last = Some(id);
        if let Some(outline) = font().outline_glyph(glyph) {
            let bounds = outline.px_bounds();
            outline.draw(|gx, gy, coverage| {
                canvas.blend(
                    bounds.min.x as i32 + gx as i32,
                    bounds.min.y as i32 + gy as i32,
                    color,
                    coverage,
                );
            });
        }
    }
    caret - x
}

pub fn line_height(px: f32) -> f32 {
    let scaled = font().as_scaled(PxScale::from(px));
    scaled.ascent() - scaled.descent() + scaled.line_gap()
}

/// Greedy word wrap to `max_width`; at most `max_lines`, the last one ending in "…"
/// when text was cut.
pub fn wrap(text: &str, px: f32, max_width: f32, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut cut = false;
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if width(&candidate, px) <= max_width || current.is_empty() {
            current = candidate;
            continue;
        }
        lines.push(std::mem::replace(&mut current, word.to_string()));
        if lines.len() == max_lines {
            cut = true;
            break;
        }
    }
    if !cut && !current.is_empty() {
        lines.push(current);
    }
    if cut {
        if let Some(last) = lines.last_mut() {
            while !last.is_empty() && width(&format!("{last}…"), px) > max_width {
                last.pop();
            }
            last.push('…');
        }
    }
    lines
}
