//! Camera moves: crop windows over a scene's plate, interpolated with sub-pixel precision.

/// A rectangle in normalised plate coordinates (0..1 on both axes, origin top-left).
/// For `fit: cover` the plate is the image itself; for `contain` it is the letterboxed canvas.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect01 {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect01 {
    pub const FULL: Rect01 = Rect01 {
        x: 0.0,
        y: 0.0,
        w: 1.0,
        h: 1.0,
    };

    pub fn new(x: f64, y: f64, w: f64, h: f64) -> Self {
        Rect01 { x, y, w, h }
    }

    /// A window of `zoom`× magnification (>= 1) centred on (`cx`, `cy`) inside `frame`.
    pub fn zoomed(frame: Rect01, zoom: f64, cx: f64, cy: f64) -> Self {
        let w = frame.w / zoom.max(1.0);
        let h = frame.h / zoom.max(1.0);
        Rect01 {
            x: cx - w / 2.0,
            y: cy - h / 2.0,
            w,
            h,
        }
        .clamped()
    }

    fn lerp(a: Rect01, b: Rect01, t: f64) -> Rect01 {
        let l = |p: f64, q: f64| p + (q - p) * t;
        Rect01 {
            x: l(a.x, b.x),
            y: l(a.y, b.y),
            w: l(a.w, b.w),
            h: l(a.h, b.h),
        }
    }

    /// Shrinks oversize sides to 1 and moves the rectangle inside the unit square.
    pub fn clamped(self) -> Rect01 {
        let w = self.w.clamp(1e-3, 1.0);
        let h = self.h.clamp(1e-3, 1.0);
        Rect01 {
            x: self.x.clamp(0.0, 1.0 - w),
            y: self.y.clamp(0.0, 1.0 - h),
            w,
            h,
        }
    }

    /// The largest window of `out_aspect` (width / height in pixels) centred in this rectangle,
    /// on a plate of `plate_aspect`.
    pub fn fit_aspect(self, plate_aspect: f64, out_aspect: f64) -> Rect01 {
        let pixel_aspect = self.w * plate_aspect / self.h;
        let (w, h) = if pixel_aspect > out_aspect {
            (self.w * out_aspect / pixel_aspect, self.h)
        } else {
            (self.w, self.h * pixel_aspect / out_aspect)
        };
        Rect01 {
            x: self.x + (self.w - w) / 2.0,
            y: self.y + (self.h - h) / 2.0,
            w,
            h,
        }
    }
}

/// A camera move from one window to another over the scene's duration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Motion {
    pub from: Rect01,
    pub to: Rect01,
}

impl Motion {
    pub fn still(r: Rect01) -> Self {
        Motion { from: r, to: r }
    }

    /// The window at progress `t` (0..1); linear so the zoom speed is steady.
    pub fn at(&self, t: f64) -> Rect01 {
        Rect01::lerp(self.from, self.to, t.clamp(0.0, 1.0))
    }

    /// The windows made to the output aspect and kept inside the plate.
    pub fn fitted(&self, plate_aspect: f64, out_aspect: f64) -> Motion {
        Motion {
            from: self.from.clamped().fit_aspect(plate_aspect, out_aspect),
            to: self.to.clamped().fit_aspect(plate_aspect, out_aspect),
        }
    }

    /// Smallest window width in plate fractions, which sets the plate resolution needed.
    pub fn min_width(&self) -> f64 {
        self.from.w.min(self.to.w)
    }
}

/// How much the default Ken Burns move magnifies.
const KEN_BURNS_ZOOM: f64 = 1.15;

/// The default move for a scene: one of a few zooms and pans, picked from seed and scene index
/// so that consecutive scenes differ and re-renders are identical.
pub fn ken_burns(seed: u64, scene: usize, plate_aspect: f64, out_aspect: f64) -> Motion {
    let full = Rect01::FULL.fit_aspect(plate_aspect, out_aspect);
    let mut rng = SplitMix(seed ^ (scene as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let (cx, cy) = (full.x + full.w / 2.0, full.y + full.h / 2.0);
    // Spare room around the cover window decides whether a wide pan is worth it.
    let wide = full.w < 0.8;
    let tall = full.h < 0.8;
    let zoomed = |cx: f64, cy: f64| Rect01::zoomed(full, KEN_BURNS_ZOOM, cx, cy);
    let jitter = |r: &mut SplitMix| (r.next_f64() - 0.5) * 0.3;
    let kind = (rng.next_u64() % 5 + scene as u64) % 5;
    match kind {
        0 => Motion {
            from: full,
            to: zoomed(
                cx + jitter(&mut rng) * full.w,
                cy + jitter(&mut rng) * full.h,
            ),
        },
        1 => Motion {
            from: zoomed(
                cx + jitter(&mut rng) * full.w,
                cy + jitter(&mut rng) * full.h,
            ),
            to: full,
        },
        2 if wide => {
            let r = Rect01 { x: 0.0, ..full };
            Motion {
                from: r,
                to: Rect01 { x: 1.0 - r.w, ..r },
            }
        }
        2 | 3 => {
            // Pan sideways (or up/down on tall plates) at a constant slight zoom.
            let z = Rect01::zoomed(full, KEN_BURNS_ZOOM, cx, cy);
            let (dx, dy) = if tall && kind == 3 {
                (0.0, (full.h - z.h) / 2.0)
            } else {
                ((full.w - z.w) / 2.0, 0.0)
            };
            let sign = if rng.next_u64().is_multiple_of(2) {
                1.0
            } else {
                -1.0
            };
            Motion {
                from: Rect01 {
                    x: z.x - dx * sign,
                    y: z.y - dy * sign,
                    ..z
                },
                to: Rect01 {
                    x: z.x + dx * sign,
                    y: z.y + dy * sign,
                    ..z
                },
            }
        }
        _ => Motion {
            from: zoomed(cx - full.w * 0.06, cy + full.h * 0.06),
            to: zoomed(cx + full.w * 0.06, cy - full.h * 0.06),
        },
    }
}

/// Tiny deterministic generator (SplitMix64), enough to vary camera moves.
struct SplitMix(u64);

impl SplitMix {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_aspect_gives_output_shape() {
        let r = Rect01::FULL.fit_aspect(1.0, 9.0 / 16.0);
        assert!((r.w * 1.0 / r.h - 9.0 / 16.0).abs() < 1e-9);
        assert!((r.x + r.w / 2.0 - 0.5).abs() < 1e-9);
    }

    #[test]
    fn ken_burns_is_deterministic_and_inside_plate() {
        for i in 0..10 {
            let a = ken_burns(7, i, 0.5625, 0.5625);
            assert_eq!(a, ken_burns(7, i, 0.5625, 0.5625));
            for r in [a.from, a.to] {
                assert!(
                    r.x >= 0.0 && r.y >= 0.0 && r.x + r.w <= 1.0 + 1e-9 && r.y + r.h <= 1.0 + 1e-9
                );
            }
            assert_ne!(a.from, a.to);
        }
    }
}
