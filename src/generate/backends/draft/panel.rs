//! Composes one storyboard panel: header (label, seed), a picture of sky, ground,
//! props and labelled character figures, and the scene text as a caption.

use image::RgbImage;

use super::canvas::{hsl, mix, Canvas, Rgb};
use super::look::{character_color, fnv, look_of, Look};
use super::text;

const PAPER: Rgb = [246, 242, 232];
const INK: Rgb = [34, 32, 38];
/// Figures beyond this are summarised as "+N more" so the panel stays legible.
const MAX_FIGURES: usize = 5;

pub struct Sketch<'a> {
    pub prompt: &'a str,
    pub characters: &'a [String],
    pub seed: u64,
    pub width: u32,
    pub height: u32,
    pub label: &'a str,
}

/// splitmix64: a tiny fixed generator, so a sketch depends only on its inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..hi`.
    fn range(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (self.next() >> 40) as f32 / (1u64 << 24) as f32 * (hi - lo)
    }
}

/// The picture area inside the panel.
#[derive(Clone, Copy)]
struct Area {
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
}

impl Area {
    fn w(&self) -> f32 {
        self.x1 - self.x0
    }
    fn h(&self) -> f32 {
        self.y1 - self.y0
    }
}

pub fn paint(sketch: &Sketch) -> RgbImage {
    let (w, h) = (sketch.width as f32, sketch.height as f32);
    let mut canvas = Canvas::new(sketch.width, sketch.height);
    let mut rng = Rng(sketch.seed ^ fnv(sketch.prompt));
    let unit = w.min(h);
    let margin = (unit / 40.0).max(2.0);
    let header = (unit * 0.075).max(10.0);
    let caption = (h * if h > w { 0.2 } else { 0.24 }).max(16.0);
    let area = Area {
        x0: margin,
        y0: margin + header,
        x1: w - margin,
        y1: h - margin - caption,
    };
    let look = look_of(sketch.prompt);
    let horizon = area.y0 + area.h() * rng.range(0.48, 0.66);

    canvas.vertical_gradient(
        area.y0 as i32,
        horizon as i32,
        look.sky_top,
        look.sky_bottom,
    );
    canvas.vertical_gradient(
        horizon as i32,
        area.y1 as i32,
        look.ground_top,
        look.ground_bottom,
    );
    draw_sky(&mut canvas, &look, area, horizon, &mut rng);
    draw_land(&mut canvas, &look, area, horizon, &mut rng);
    canvas.hatch(
        area.x0 as i32,
        horizon as i32,
        area.x1 as i32,
        area.y1 as i32,
        7,
        INK,
        0.12,
    );
    draw_figures(&mut canvas, sketch.characters, area, horizon, &mut rng);
    draw_frame(&mut canvas, sketch, area, margin, header);
    canvas.image
}

fn draw_sky(canvas: &mut Canvas, look: &Look, area: Area, horizon: f32, rng: &mut Rng) {
    let unit = area.w().min(area.h());
    if look.props.moon {
        for _ in 0..40 {
            let (x, y) = (rng.range(area.x0, area.x1), rng.range(area.y0, horizon));
            canvas.fill_circle(x, y, unit * 0.004 + 0.6, [250, 250, 220], 0.9);
        }
        let (x, y) = (
            rng.range(area.x0 + unit * 0.15, area.x1 - unit * 0.15),
            area.y0 + (horizon - area.y0) * 0.3,
        );
        canvas.fill_circle(x, y, unit * 0.08, [245, 240, 210], 1.0);
        canvas.fill_circle(
            x + unit * 0.03,
            y - unit * 0.015,
            unit * 0.07,
            look.sky_top,
            1.0,
        );
    }
    if look.props.sun {
        let (x, y) = (
            rng.range(area.x0 + unit * 0.15, area.x1 - unit * 0.15),
            area.y0 + (horizon - area.y0) * rng.range(0.25, 0.6),
        );
        canvas.fill_circle(x, y, unit * 0.13, [255, 236, 160], 0.35);
        canvas.fill_circle(x, y, unit * 0.09, [255, 214, 90], 1.0);
    }
    if look.props.clouds {
        for _ in 0..3 {
            let (x, y) = (
                rng.range(area.x0, area.x1),
                rng.range(area.y0 + unit * 0.08, horizon - unit * 0.05),
            );
            let color = mix(look.sky_bottom, [255, 255, 255], 0.6);
            for i in 0..4 {
                let r = unit * rng.range(0.04, 0.07);
                canvas.fill_circle(
                    x + i as f32 * unit * 0.05,
                    y + rng.range(-0.02, 0.02) * unit,
                    r,
                    color,
                    0.9,
                );
            }
        }
    }
    if look.props.mountains {
        let ridge = mix(look.sky_bottom, INK, 0.45);
        let mut x = area.x0 - unit * 0.2;
        while x < area.x1 {
            let span = unit * rng.range(0.35, 0.6);
            let peak = horizon - unit * rng.range(0.15, 0.35);
            canvas.fill_polygon(
                &[
                    (x, horizon + 1.0),
                    (x + span / 2.0, peak),
                    (x + span, horizon + 1.0),
                ],
                ridge,
                1.0,
            );
            canvas.fill_polygon(
                &[
                    (x + span * 0.42, peak + span * 0.08),
                    (x + span / 2.0, peak),
                    (x + span * 0.58, peak + span * 0.08),
                ],
                [240, 240, 245],
                0.85,
            );
            x += span * 0.7;
        }
    }
    if look.props.buildings {
        let wall = mix(look.sky_bottom, INK, 0.6);
        let count = rng.range(3.0, 6.0) as usize;
        for _ in 0..count {
            let bw = unit * rng.range(0.08, 0.16);
            let bh = unit * rng.range(0.12, 0.35);
            let x = rng.range(area.x0, area.x1 - bw);
            canvas.fill_rect(
                x as i32,
                (horizon - bh) as i32,
                (x + bw) as i32,
                horizon as i32 + 1,
                wall,
                1.0,
            );
            canvas.fill_polygon(
                &[
                    (x - 2.0, horizon - bh),
                    (x + bw / 2.0, horizon - bh - bw * 0.6),
                    (x + bw + 2.0, horizon - bh),
                ],
                wall,
                1.0,
            );
            let lit = if look.props.moon {
                [255, 220, 120]
            } else {
                mix(wall, PAPER, 0.5)
            };
            canvas.fill_rect(
                (x + bw * 0.4) as i32,
                (horizon - bh * 0.7) as i32,
                (x + bw * 0.6) as i32,
                (horizon - bh * 0.55) as i32,
                lit,
                1.0,
            );
        }
    }
}

fn draw_land(canvas: &mut Canvas, look: &Look, area: Area, horizon: f32, rng: &mut Rng) {
    let unit = area.w().min(area.h());
    if look.props.water {
        let foam = mix(look.ground_top, [255, 255, 255], 0.55);
        let mut y = horizon + unit * 0.04;
        while y < area.y1 {
            let x = rng.range(area.x0, area.x1 - unit * 0.2);
            canvas.line((x, y), (x + unit * 0.18, y), unit * 0.006 + 1.0, foam);
            y += unit * 0.05;
        }
    }
    if look.props.trees {
        let count = rng.range(4.0, 9.0) as usize;
        for _ in 0..count {
            let x = rng.range(area.x0, area.x1);
            let base = horizon + rng.range(0.0, 0.12) * area.h();
            let th = unit * rng.range(0.12, 0.24);
            let leaf = hsl(rng.range(95.0, 140.0), 0.45, 0.24);
            canvas.fill_rect(
                (x - unit * 0.008) as i32,
                (base - th * 0.3) as i32,
                (x + unit * 0.008) as i32,
                base as i32,
                [90, 60, 40],
                1.0,
            );
            canvas.fill_polygon(
                &[
                    (x - th * 0.3, base - th * 0.25),
                    (x, base - th),
                    (x + th * 0.3, base - th * 0.25),
                ],
                leaf,
                1.0,
            );
        }
    }
    if look.props.fire {
        let count = rng.range(2.0, 4.0) as usize;
        for _ in 0..count {
            let x = rng.range(area.x0 + unit * 0.1, area.x1 - unit * 0.1);
            let base = horizon + rng.range(0.05, 0.3) * area.h();
            for (scale, color) in [(1.0, [230, 80, 30]), (0.6, [255, 190, 60])] {
                let s = unit * 0.09 * scale;
                canvas.fill_polygon(
                    &[
                        (x - s * 0.6, base),
                        (x - s * 0.2, base - s * 1.4),
                        (x, base - s * 0.9),
                        (x + s * 0.25, base - s * 1.8),
                        (x + s * 0.6, base),
                    ],
                    color,
                    0.95,
                );
            }
        }
    }
}

/// Characters as simple figures in their own colours, each with a name tag.
fn draw_figures(canvas: &mut Canvas, names: &[String], area: Area, horizon: f32, rng: &mut Rng) {
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

/// Paper border, header with label and seed, and the caption with the scene text.
fn draw_frame(canvas: &mut Canvas, sketch: &Sketch, area: Area, margin: f32, header: f32) {
    let (w, h) = (canvas.width(), canvas.height());
    canvas.fill_rect(0, 0, w, area.y0 as i32, PAPER, 1.0);
    canvas.fill_rect(0, area.y1 as i32, w, h, PAPER, 1.0);
    canvas.fill_rect(0, 0, area.x0 as i32, h, PAPER, 1.0);
    canvas.fill_rect(area.x1 as i32, 0, w, h, PAPER, 1.0);
    let border = (margin / 3.0).max(1.0) as i32;
    canvas.stroke_rect(
        area.x0 as i32 - border,
        area.y0 as i32 - border,
        area.x1 as i32 + border,
        area.y1 as i32 + border,
        border,
        INK,
    );

    let px = header * 0.5;
    let top = margin + (header - text::line_height(px)) / 2.0 - border as f32;
    let label = if sketch.label.is_empty() {
        "storyboard"
    } else {
        sketch.label
    };
    text::draw(canvas, area.x0, top, label, px, INK);
    let stamp = format!("DRAFT · seed {}", sketch.seed);
    let stamp_w = text::width(&stamp, px);
    text::draw(canvas, area.x1 - stamp_w, top, &stamp, px, [170, 40, 40]);

    let px = (area.w().min(h as f32 * 0.75) / 19.0).max(8.0);
    let line_h = text::line_height(px);
    let room = (h as f32 - area.y1 - margin - px * 0.6).max(line_h);
    let lines = text::wrap(
        sketch.prompt,
        px,
        area.w(),
        (room / line_h).floor().max(1.0) as usize,
    );
    for (i, line) in lines.iter().enumerate() {
        text::draw(
            canvas,
            area.x0,
            area.y1 + px * 0.6 + i as f32 * line_h,
            line,
            px,
            INK,
        );
    }
}
