//! Composes one storyboard panel: header (label, seed), a picture of sky, ground,
//! props and labelled character figures, and the scene text printed above the picture.

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

/// Where the printed prompt goes, as fractions of the panel's height. A rendered video burns its
/// captions into the lower third and its Ken Burns crop may lose up to 13% at any edge, so the
/// prompt sits in the upper middle, clear of both.
const TEXT_TOP: f32 = 0.14;
const TEXT_BOTTOM: f32 = 0.45;

/// The panel's layout: the printed prompt's lines, the top of the first, and the picture area.
struct Layout {
    caption: Vec<String>,
    caption_px: f32,
    line_h: f32,
    text_top: f32,
    area: Area,
}

fn layout(sketch: &Sketch, margin: f32, header: f32) -> Layout {
    let (w, h) = (sketch.width as f32, sketch.height as f32);
    let caption_px = ((w - 2.0 * margin).min(h * 0.75) / 19.0).max(8.0);
    let line_h = text::line_height(caption_px);
    let text_top = (margin + header + caption_px * 0.3).max(h * TEXT_TOP);
    // At most 30% of the panel, and never past TEXT_BOTTOM: short prompts leave more room for
    // the picture.
    let room = (h * TEXT_BOTTOM - text_top).min(h * 0.3);
    let max_lines = (room / line_h).floor().max(1.0) as usize;
    let caption = text::wrap(sketch.prompt, caption_px, w - 2.0 * margin, max_lines);
    let area = Area {
        x0: margin,
        y0: text_top + caption.len() as f32 * line_h + caption_px * 0.5,
        x1: w - margin,
        y1: h - margin,
    };
    Layout {
        caption,
        caption_px,
        line_h,
        text_top,
        area,
    }
}

pub fn paint(sketch: &Sketch) -> RgbImage {
    let (w, h) = (sketch.width as f32, sketch.height as f32);
    let mut canvas = Canvas::new(sketch.width, sketch.height);
    let mut rng = Rng(sketch.seed ^ fnv(sketch.prompt));
    let unit = w.min(h);
    let margin = (unit / 40.0).max(2.0);
    let header = (unit * 0.075).max(10.0);
    let Layout {
        caption,
        caption_px,
        line_h,
        text_top,
        area,
    } = layout(sketch, margin, header);
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
        let top = text_top + i as f32 * line_h;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn sketch<'a>(prompt: &'a str, width: u32, height: u32) -> Sketch<'a> {
        Sketch {
            prompt,
            characters: &[],
            seed: 1,
            width,
            height,
            label: "scene 0",
        }
    }

    /// In a 9:16 video the captions fill about 62% to 80% of the height; under Ken Burns the
    /// frame shows a window 87% as tall as the image, anywhere from its top to its bottom.
    #[test]
    fn the_printed_prompt_stays_clear_of_the_caption_band_and_the_crop() {
        let long = "a very long prompt ".repeat(40);
        for (w, h) in [(576, 1024), (1024, 576), (512, 512)] {
            let s = sketch(&long, w, h);
            let unit = (w.min(h)) as f32;
            let l = layout(&s, (unit / 40.0).max(2.0), (unit * 0.075).max(10.0));
            let (top, bottom) = (l.text_top, l.text_top + l.caption.len() as f32 * l.line_h);
            let h = h as f32;
            assert!(top >= 0.13 * h, "{w}x{h}: text starts at {top}");
            // The lowest the caption band reaches into the image: 62% down a window at the top.
            assert!(bottom <= 0.62 * 0.87 * h, "{w}x{h}: text ends at {bottom}");
            assert!(l.area.y0 >= bottom && l.area.y1 > l.area.y0 + 0.4 * h);
        }
    }
}
