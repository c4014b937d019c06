//! Minimal raster primitives for the draft sketches, written for speed: every
//! shape only visits the pixels of its bounding box, edges get cheap anti-aliasing.

use image::RgbImage;

pub type Rgb = [u8; 3];

pub struct Canvas {
    pub image: RgbImage,
}

impl Canvas {
    pub fn new(width: u32, height: u32) -> Self {
        Canvas {
            image: RgbImage::new(width, height),
        }
    }

    pub fn width(&self) -> i32 {
        self.image.width() as i32
    }

    pub fn height(&self) -> i32 {
        self.image.height() as i32
    }

    /// Mixes `color` into the pixel with opacity `alpha` (0..1); outside is ignored.
    #[inline]
    pub fn blend(&mut self, x: i32, y: i32, color: Rgb, alpha: f32) {
        if x < 0 || y < 0 || x >= self.width() || y >= self.height() || alpha <= 0.0 {
            return;
        }
        let px = self.image.get_pixel_mut(x as u32, y as u32);
        if alpha >= 1.0 {
            px.0 = color;
            return;
        }
        for (c, &target) in px.0.iter_mut().zip(color.iter()) {
            *c = (*c as f32 + (target as f32 - *c as f32) * alpha).round() as u8;
        }
    }

    /// Top-to-bottom gradient between two colours over rows `y0..y1`.
    pub fn vertical_gradient(&mut self, y0: i32, y1: i32, top: Rgb, bottom: Rgb) {
        let (y0, y1) = (y0.max(0), y1.min(self.height()));
        let span = (y1 - y0).max(1) as f32;
        let width = self.image.width();
        for y in y0..y1 {
            let t = (y - y0) as f32 / span;
            let color = mix(top, bottom, t);
            for x in 0..width {
                self.image.put_pixel(x, y as u32, image::Rgb(color));
            }
        }
    }

    pub fn fill_rect(&mut self, x0: i32, y0: i32, x1: i32, y1: i32, color: Rgb, alpha: f32) {
        for y in y0.max(0)..y1.min(self.height()) {
            for x in x0.max(0)..x1.min(self.width()) {
                self.blend(x, y, color, alpha);
            }
        }
    }

    /// Rectangle outline `thickness` pixels wide, drawn inside the rectangle.
    pub fn stroke_rect(&mut self, x0: i32, y0: i32, x1: i32, y1: i32, thickness: i32, color: Rgb) {
        self.fill_rect(x0, y0, x1, y0 + thickness, color, 1.0);
        self.fill_rect(x0, y1 - thickness, x1, y1, color, 1.0);
        self.fill_rect(x0, y0, x0 + thickness, y1, color, 1.0);
        self.fill_rect(x1 - thickness, y0, x1, y1, color, 1.0);
    }

    pub fn fill_circle(&mut self, cx: f32, cy: f32, r: f32, color: Rgb, alpha: f32) {
        let (x0, x1) = ((cx - r - 1.0) as i32, (cx + r + 1.0) as i32);
        let (y0, y1) = ((cy - r - 1.0) as i32, (cy + r + 1.0) as i32);
        for y in y0..=y1 {
            for x in x0..=x1 {
                let d = ((x as f32 + 0.5 - cx).powi(2) + (y as f32 + 0.5 - cy).powi(2)).sqrt();
                let coverage = (r - d + 0.5).clamp(0.0, 1.0);
                self.blend(x, y, color, coverage * alpha);
            }
        }
    }

    /// A line with round ends (a capsule), used for limbs and strokes.
    pub fn line(&mut self, a: (f32, f32), b: (f32, f32), width: f32, color: Rgb) {
        let r = width / 2.0;
        let (x0, x1) = (
            (a.0.min(b.0) - r - 1.0) as i32,
            (a.0.max(b.0) + r + 1.0) as i32,
        );
        let (y0, y1) = (
            (a.1.min(b.1) - r - 1.0) as i32,
            (a.1.max(b.1) + r + 1.0) as i32,
        );
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len2 = (dx * dx + dy * dy).max(1e-6);
        for y in y0..=y1 {
            for x in x0..=x1 {
                let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
                let t = (((px - a.0) * dx + (py - a.1) * dy) / len2).clamp(0.0, 1.0);
                let d = ((px - a.0 - t * dx).powi(2) + (py - a.1 - t * dy).powi(2)).sqrt();
                self.blend(x, y, color, (r - d + 0.5).clamp(0.0, 1.0));
            }
        }
    }

    /// Scanline fill of any simple polygon (even-odd rule).
    pub fn fill_polygon(&mut self, points: &[(f32, f32)], color: Rgb, alpha: f32) {
        if points.len() < 3 {
            return;
        }
        let top = points.iter().map(|p| p.1).fold(f32::MAX, f32::min).max(0.0) as i32;
        let bottom = points
            .iter()
            .map(|p| p.1)
            .fold(f32::MIN, f32::max)
            .min(self.height() as f32) as i32;
        let mut crossings: Vec<f32> = Vec::with_capacity(8);
        for y in top..=bottom {
            let sy = y as f32 + 0.5;
            crossings.clear();
            for i in 0..points.len() {
                let (a, b) = (points[i], points[(i + 1) % points.len()]);
                if (a.1 <= sy) != (b.1 <= sy) {
                    crossings.push(a.0 + (sy - a.1) / (b.1 - a.1) * (b.0 - a.0));
                }
            }
            crossings.sort_by(|a, b| a.total_cmp(b));
            for pair in crossings.chunks_exact(2) {
                for x in pair[0].round() as i32..pair[1].round() as i32 {
                    self.blend(x, y, color, alpha);
                }
            }
        }
    }

    /// Diagonal pencil hatching over `(x0, y0, x1, y1)`, the look of a rough sketch.
    pub fn hatch(
        &mut self,
        (x0, y0, x1, y1): (i32, i32, i32, i32),
        spacing: i32,
        color: Rgb,
        alpha: f32,
    ) {
        for y in y0.max(0)..y1.min(self.height()) {
            for x in x0.max(0)..x1.min(self.width()) {
                if (x + y).rem_euclid(spacing) == 0 {
                    self.blend(x, y, color, alpha);
                }
            }
        }
    }
}

pub fn mix(a: Rgb, b: Rgb, t: f32) -> Rgb {
    let t = t.clamp(0.0, 1.0);
    [0, 1, 2].map(|i| (a[i] as f32 + (b[i] as f32 - a[i] as f32) * t).round() as u8)
}

/// HSL (hue in degrees, saturation and lightness 0..1) to RGB.
pub fn hsl(h: f32, s: f32, l: f32) -> Rgb {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let hp = h.rem_euclid(360.0) / 60.0;
    let x = c * (1.0 - (hp % 2.0 - 1.0).abs());
    let (r, g, b) = match hp as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = l - c / 2.0;
    [r, g, b].map(|v| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8)
}
