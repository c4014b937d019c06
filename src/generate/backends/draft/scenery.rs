//! Scenery behind the figures: sky props (moon and stars, sun, clouds, mountains,
//! buildings) and land props (waves, trees, fires), chosen by the prompt's words.

use super::canvas::{hsl, mix, Canvas};
use super::look::Look;
use super::panel::{Area, Rng, INK, PAPER};

pub fn draw_sky(canvas: &mut Canvas, look: &Look, area: Area, horizon: f32, rng: &mut Rng) {
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

pub fn draw_land(canvas: &mut Canvas, look: &Look, area: Area, horizon: f32, rng: &mut Rng) {
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
