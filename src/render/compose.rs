//! The compositor: turns a frame number into a picture, from the spans' assets.

use super::assets::SpanAssets;
use super::captions::{draw_at, CaptionColors};
use super::frame::{blend_into, sample_plane, PlaneView, Yuv};
use super::options::Transition;
use super::timeline::{FrameRecipe, Timeline};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

pub struct Compositor<'a> {
    pub timeline: &'a Timeline,
    pub colors: CaptionColors,
}

/// Assets of the spans currently on screen, by span index.
pub type LiveAssets = HashMap<usize, Arc<SpanAssets>>;

impl Compositor<'_> {
    /// Composes frame `f` into `out`, using `scratch` for the incoming span of a transition.
    pub fn compose(&self, f: u64, assets: &LiveAssets, out: &mut Yuv, scratch: &mut Yuv) {
        let w = out.width;
        match self.timeline.recipe(f) {
            FrameRecipe::Single { span } => {
                self.draw_span(span, f, &assets[&span], out, 0..w, 0);
                self.draw_captions(span, f, &assets[&span], out, 256);
            }
            FrameRecipe::Blend { from, p } => {
                let (a, b) = (&assets[&from], &assets[&(from + 1)]);
                let alpha = (p * 256.0).round() as u32;
                if self.timeline.transition == Transition::Slide {
                    // The next span pushes in from the right; even offsets keep chroma aligned.
                    let off = (((p * w as f64) / 2.0).round() as usize * 2).min(w);
                    self.draw_span(from, f, a, out, 0..w - off, -(off as isize));
                    self.draw_span(from + 1, f, b, out, w - off..w, (w - off) as isize);
                } else {
                    self.draw_span(from, f, a, out, 0..w, 0);
                    self.draw_span(from + 1, f, b, scratch, 0..w, 0);
                    blend_into(&mut out.data, &scratch.data, alpha);
                }
                self.draw_captions(from, f, a, out, 256 - alpha);
                self.draw_captions(from + 1, f, b, out, alpha);
            }
        }
    }

    /// Samples the span's camera window into columns `cols` of `dst`, shifted by `shift` pixels.
    fn draw_span(
        &self,
        span: usize,
        f: u64,
        a: &SpanAssets,
        dst: &mut Yuv,
        cols: Range<usize>,
        shift: isize,
    ) {
        let (w, h) = (dst.width as f64, dst.height as f64);
        let plate = &a.plate;
        let win = a.motion.at(self.timeline.motion_progress(span, f));
        let (pw, ph) = (plate.width as f64, plate.height as f64);
        let origin = (win.x * pw, win.y * ph);
        let step = (win.w * pw / w, win.h * ph / h);
        let (py, pu, pv) = plate.planes();
        let (pcw, pch) = plate.chroma_size();
        let dst_w = dst.width;
        let (dcw, _) = dst.chroma_size();
        let (dy, du, dv) = dst.planes_mut();
        let luma = PlaneView {
            data: py,
            width: plate.width,
            height: plate.height,
        };
        sample_plane(&luma, dy, dst_w, cols.clone(), shift, origin, step);
        // Chroma planes are half size: the same window at half the origin, same step.
        let ccols = cols.start / 2..cols.end.div_ceil(2).min(dcw);
        let corigin = (origin.0 / 2.0, origin.1 / 2.0);
        for (src, dst) in [(pu, du), (pv, dv)] {
            let view = PlaneView {
                data: src,
                width: pcw,
                height: pch,
            };
            sample_plane(&view, dst, dcw, ccols.clone(), shift / 2, corigin, step);
        }
    }

    fn draw_captions(&self, span: usize, f: u64, a: &SpanAssets, out: &mut Yuv, alpha: u32) {
        if alpha == 0 || a.captions.is_empty() {
            return;
        }
        draw_at(
            out,
            &a.captions,
            self.timeline.local_secs(span, f),
            alpha,
            self.colors,
        );
    }
}
