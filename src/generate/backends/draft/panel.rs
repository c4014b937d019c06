//! Composes one storyboard panel: header (label, seed), a picture of sky, ground,
//! props and labelled character figures, and the scene text as a caption.

use image::RgbImage;

use super::canvas::{Canvas, Rgb};
use super::figures::draw_figures;
use super::look::{fnv, look_of};
use super::scenery::{draw_land, draw_sky};
use super::text;

pub const PAPER: Rgb = [246, 242, 232];
pub const INK: Rgb = [34, 32, 38];

pub struct Sketch<'a> {
    pub prompt: &'a str,
    pub characters: &'a [String],
    pub seed: u64,
    pub width: u32,
    pub height: u32,
    pub label: &'a str,
}

/// splitmix64: a tiny fixed generator, so a sketch depends only on its inputs.
pub struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..hi`.
    pub fn range(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (self.next() >> 40) as f32 / (1u64 << 24) as f32 * (hi - lo)
    }
}

/// The picture area inside the panel.
#[derive(Clone, Copy)]
pub struct Area {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl Area {
    pub fn w(&self) -> f32 {
        self.x1 - self.x0
    }
    pub fn h(&self) -> f32 {
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
    // The caption box fits the scene text (up to 30% of the panel), so short
    // prompts leave more room for the picture.
    let caption_px = ((w - 2.0 * margin).min(h * 0.75) / 19.0).max(8.0);
    let line_h = text::line_height(caption_px);
    let max_lines = ((h * 0.3 - caption_px) / line_h).floor().max(1.0) as usize;
    let caption = text::wrap(sketch.prompt, caption_px, w - 2.0 * margin, max_lines);
    let caption_h = (caption.len() as f32 * line_h + caption_px * 1.2).max(h * 0.1);
    let area = Area {
        x0: margin,
        y0: margin + header,
        x1: w - margin,
        y1: h - margin - caption_h,
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
        (
            area.x0 as i32,
            horizon as i32,
            area.x1 as i32,
            area.y1 as i32,
        ),
        7,
        INK,
        0.12,
    );
    draw_figures(&mut canvas, sketch.characters, area, horizon, &mut rng);
    draw_frame(&mut canvas, sketch, area, margin, header);
    for (i, line) in caption.iter().enumerate() {
        let top = area.y1 + caption_px * 0.6 + i as f32 * line_h;
        text::draw(&mut canvas, area.x0, top, line, caption_px, INK);
    }
    canvas.image
}

/// Paper border and the header with label and seed.
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
}
