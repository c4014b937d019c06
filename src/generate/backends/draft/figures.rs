//! Characters as simple figures in their own colours, each with a name tag.

use super::canvas::{mix, Canvas, Rgb};
use super::look::character_color;
use super::panel::{Area, Rng, INK, PAPER};
use super::text;

/// Figures beyond this are summarised as "+N more" so the panel stays legible.
const MAX_FIGURES: usize = 5;

pub fn draw_figures(
    canvas: &mut Canvas,
    names: &[String],
    area: Area,
    horizon: f32,
    rng: &mut Rng,
) {
    let shown = &names[..names.len().min(MAX_FIGURES)];
    if shown.is_empty() {
        return;
    }
    let unit = area.w().min(area.h());
    let slot = area.w() / shown.len() as f32;
    let figure_h = (area.h() * 0.42).min(slot * 1.6);
    for (i, name) in shown.iter().enumerate() {
        let color = character_color(name);
        let cx = area.x0 + slot * (i as f32 + 0.5) + rng.range(-0.12, 0.12) * slot;
        let feet =
            (horizon + (area.y1 - horizon) * rng.range(0.35, 0.75)).min(area.y1 - unit * 0.02);
        let size = figure_h * rng.range(0.85, 1.05);
        figure(canvas, cx, feet, size, color, rng);
        let px = (unit * 0.045).max(9.0);
        let tag_w = text::width(name, px) + px * 0.8;
        let tag_top = feet - size - px * 1.9;
        let tag_x =
            (cx - tag_w / 2.0).clamp(area.x0 + 2.0, (area.x1 - tag_w - 2.0).max(area.x0 + 2.0));
        canvas.fill_rect(
            tag_x as i32,
            tag_top as i32,
            (tag_x + tag_w) as i32,
            (tag_top + px * 1.4) as i32,
            PAPER,
            0.92,
        );
        canvas.stroke_rect(
            tag_x as i32,
            tag_top as i32,
            (tag_x + tag_w) as i32,
            (tag_top + px * 1.4) as i32,
            2,
            color,
        );
        text::draw(canvas, tag_x + px * 0.4, tag_top + px * 0.15, name, px, INK);
    }
    if names.len() > MAX_FIGURES {
        let px = (unit * 0.04).max(9.0);
        let more = format!("+{} more", names.len() - MAX_FIGURES);
        text::draw(
            canvas,
            area.x1 - text::width(&more, px) - px,
            area.y0 + px,
            &more,
            px,
            PAPER,
        );
    }
}

fn figure(canvas: &mut Canvas, cx: f32, feet: f32, size: f32, color: Rgb, rng: &mut Rng) {
    let limb = (size * 0.06).max(2.0);
    let hip = feet - size * 0.42;
    let shoulder = feet - size * 0.75;
    let head_r = size * 0.11;
    let stride = size * rng.range(0.08, 0.16);
    let outline = mix(color, INK, 0.6);
    canvas.line((cx, hip), (cx - stride, feet), limb, outline);
    canvas.line((cx, hip), (cx + stride, feet), limb, outline);
    let half_top = size * 0.12;
    let half_bottom = size * 0.17;
    canvas.fill_polygon(
        &[
            (cx - half_top, shoulder),
            (cx + half_top, shoulder),
            (cx + half_bottom, hip + size * 0.04),
            (cx - half_bottom, hip + size * 0.04),
        ],
        color,
        1.0,
    );
    let wave = rng.range(-0.25, 0.2) * size;
    canvas.line(
        (cx - half_top, shoulder + limb),
        (cx - size * 0.3, shoulder + size * 0.25),
        limb,
        outline,
    );
    canvas.line(
        (cx + half_top, shoulder + limb),
        (cx + size * 0.3, shoulder + size * 0.2 + wave),
        limb,
        outline,
    );
    canvas.fill_circle(cx, shoulder - head_r * 1.05, head_r + 1.5, outline, 1.0);
    canvas.fill_circle(
        cx,
        shoulder - head_r * 1.05,
        head_r,
        mix(color, PAPER, 0.7),
        1.0,
    );
}
