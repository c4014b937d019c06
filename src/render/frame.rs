//! Planar YUV 4:2:0 pictures. Frames are composed directly in the encoders' format: sampling
//! 1.5 bytes per pixel instead of 3 and no colour conversion in the encoder roughly halves the
//! per-frame work compared with composing RGB.

/// A planar I420 picture (Y plane, then U, then V).
#[derive(Debug, Clone)]
pub struct Yuv {
    pub width: usize,
    pub height: usize,
    pub data: Vec<u8>,
}

impl Yuv {
    pub fn new(width: usize, height: usize) -> Self {
        let (cw, ch) = chroma_size(width, height);
        Yuv {
            width,
            height,
            data: vec![0; width * height + 2 * cw * ch],
        }
    }

    pub fn chroma_size(&self) -> (usize, usize) {
        chroma_size(self.width, self.height)
    }

    /// The three planes, mutably.
    pub fn planes_mut(&mut self) -> (&mut [u8], &mut [u8], &mut [u8]) {
        let luma = self.width * self.height;
        let (cw, ch) = self.chroma_size();
        let (y, rest) = self.data.split_at_mut(luma);
        let (u, v) = rest.split_at_mut(cw * ch);
        (y, u, v)
    }

    pub fn planes(&self) -> (&[u8], &[u8], &[u8]) {
        let luma = self.width * self.height;
        let (cw, ch) = self.chroma_size();
        let (y, rest) = self.data.split_at(luma);
        let (u, v) = rest.split_at(cw * ch);
        (y, u, v)
    }

    /// Converts an RGB image (BT.709, limited range), averaging chroma over 2×2 blocks.
    pub fn from_rgb(img: &image::RgbImage) -> Self {
        let (w, h) = (img.width() as usize, img.height() as usize);
        let mut out = Yuv::new(w, h);
        let (cw, ch) = out.chroma_size();
        let raw = img.as_raw();
        let (yp, up, vp) = out.planes_mut();
        for (i, px) in raw.chunks_exact(3).enumerate() {
            yp[i] = rgb_to_yuv([px[0], px[1], px[2]])[0];
        }
        for cy in 0..ch {
            for cx in 0..cw {
                let mut sum = [0u32; 3];
                let mut n = 0;
                for y in (2 * cy)..(2 * cy + 2).min(h) {
                    for x in (2 * cx)..(2 * cx + 2).min(w) {
                        let p = (y * w + x) * 3;
                        sum[0] += raw[p] as u32;
                        sum[1] += raw[p + 1] as u32;
                        sum[2] += raw[p + 2] as u32;
                        n += 1;
                    }
                }
                let avg = sum.map(|s| ((s + n / 2) / n) as u8);
                let yuv = rgb_to_yuv(avg);
                up[cy * cw + cx] = yuv[1];
                vp[cy * cw + cx] = yuv[2];
            }
        }
        out
    }
}

pub fn chroma_size(width: usize, height: usize) -> (usize, usize) {
    (width.div_ceil(2), height.div_ceil(2))
}

/// BT.709 limited-range conversion (what HD players assume and what we tag the stream as).
pub fn rgb_to_yuv(c: [u8; 3]) -> [u8; 3] {
    let (r, g, b) = (c[0] as f32, c[1] as f32, c[2] as f32);
    let y = 16.0 + (0.2126 * r + 0.7152 * g + 0.0722 * b) * 219.0 / 255.0;
    let u = 128.0 + (-0.1146 * r - 0.3854 * g + 0.5 * b) * 224.0 / 255.0;
    let v = 128.0 + (0.5 * r - 0.4542 * g - 0.0458 * b) * 224.0 / 255.0;
    [y.round() as u8, u.round() as u8, v.round() as u8]
}

/// Fixed-point source position of a destination pixel: index of the left/top sample and the
/// weight (0..=256) of the next one.
#[derive(Clone, Copy)]
struct Tap {
    index: u32,
    frac: u32,
}

/// Positions of `n` destination pixels whose centres map to `origin + (i + 0.5) * scale`
/// in a source line of `len` samples. Computed in f64 once per frame and line direction, so the
/// window moves by fractions of a pixel rather than whole pixels (no Ken Burns jitter).
fn taps(n: usize, origin: f64, scale: f64, len: usize) -> Vec<Tap> {
    (0..n)
        .map(|i| {
            let pos = (origin + (i as f64 + 0.5) * scale - 0.5).clamp(0.0, (len - 1) as f64);
            let index = (pos.floor() as usize).min(len.saturating_sub(2));
            let frac = ((pos - index as f64) * 256.0).round() as u32;
            Tap {
                index: index as u32,
                frac: frac.min(256),
            }
        })
        .collect()
}

/// A source plane and the window of it to sample.
pub struct PlaneView<'a> {
    pub data: &'a [u8],
    pub width: usize,
    pub height: usize,
}

/// Bilinear resampling of the window (`ox`, `oy`, step `sx`, `sy` source pixels per destination
/// pixel) into destination columns `cols` of a `dst_w`-wide plane, shifted right by `shift`.
#[allow(clippy::too_many_arguments)]
pub fn sample_plane(
    src: &PlaneView,
    dst: &mut [u8],
    dst_w: usize,
    cols: std::ops::Range<usize>,
    shift: isize,
    (ox, oy): (f64, f64),
    (sx, sy): (f64, f64),
) {
    if cols.is_empty() || src.width < 2 || src.height < 2 {
        return;
    }
    let dst_h = dst.len() / dst_w;
    let first = (cols.start as isize - shift) as f64;
    let xs = taps(cols.len(), ox + first * sx, sx, src.width);
    let ys = taps(dst_h, oy, sy, src.height);
    // Bilinear filtering is separable, and in integers exactly so: blend the two source rows
    // first over the columns the taps reach (contiguous, so the compiler vectorises it), then
    // each output pixel needs two reads instead of four.
    let lo = xs.first().map_or(0, |t| t.index as usize);
    let hi = xs.last().map_or(0, |t| t.index as usize + 2);
    let mut blended = vec![0u16; hi - lo];
    // Every tap reads samples `i` and `i + 1` of `blended`: checked here, once.
    let index: Vec<i32> = xs.iter().map(|t| (t.index as usize - lo) as i32).collect();
    let frac: Vec<i32> = xs.iter().map(|t| t.frac as i32).collect();
    assert!(index.iter().all(|&i| (i as usize) + 1 < blended.len()));
    let horizontal = horizontal_pass();
    for (row, ty) in ys.iter().enumerate() {
        let top = &src.data[ty.index as usize * src.width..][lo..hi];
        let bottom = &src.data[(ty.index as usize + 1) * src.width..][lo..hi];
        // Weights sum to 256, so a blended sample fits 16 bits (255 * 256).
        let (wy1, wy0) = (ty.frac as u16, 256 - ty.frac as u16);
        for ((b, &t), &u) in blended.iter_mut().zip(top).zip(bottom) {
            *b = t as u16 * wy0 + u as u16 * wy1;
        }
        let out = &mut dst[row * dst_w + cols.start..row * dst_w + cols.end];
        // SAFETY: the indices were checked against `blended` above, and `out`, `index` and
        // `frac` all hold one entry per column.
        unsafe { horizontal(&blended, &index, &frac, out) };
    }
}

/// Filters a row of vertically blended samples horizontally: `out[j]` from samples
/// `index[j]` and `index[j] + 1` of `blended`, the second weighted `frac[j]` of 256.
type HorizontalPass = unsafe fn(&[u16], &[i32], &[i32], &mut [u8]);

/// The fastest horizontal pass this processor runs: the render's hottest loop.
fn horizontal_pass() -> HorizontalPass {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        return horizontal_avx2;
    }
    horizontal_scalar
}

/// # Safety
/// Each `index[j] + 1` is below `blended.len()`; `index`, `frac` and `out` have equal lengths.
unsafe fn horizontal_scalar(blended: &[u16], index: &[i32], frac: &[i32], out: &mut [u8]) {
    for ((o, &i), &f) in out.iter_mut().zip(index).zip(frac) {
        let (a, b) = unsafe {
            (
                *blended.get_unchecked(i as usize) as u32,
                *blended.get_unchecked(i as usize + 1) as u32,
            )
        };
        let f = f as u32;
        *o = ((a * (256 - f) + b * f + 32768) >> 16) as u8;
    }
}

/// Eight columns at a time: one gather fetches each column's pair of neighbours.
///
/// # Safety
/// As [`horizontal_scalar`], and the processor has AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn horizontal_avx2(blended: &[u16], index: &[i32], frac: &[i32], out: &mut [u8]) {
    use std::arch::x86_64::*;
    let n = out.len();
    let mut j = 0;
    unsafe {
        let base = blended.as_ptr().cast::<i32>();
        let (low, full, round) = (
            _mm256_set1_epi32(0xffff),
            _mm256_set1_epi32(256),
            _mm256_set1_epi32(32768),
        );
        while j + 8 <= n {
            let i = _mm256_loadu_si256(index.as_ptr().add(j).cast());
            let f = _mm256_loadu_si256(frac.as_ptr().add(j).cast());
            // Byte offset 2 * index: the 32 bits there are samples `index` and `index + 1`.
            let pair = _mm256_i32gather_epi32::<2>(base, i);
            let a = _mm256_and_si256(pair, low);
            let b = _mm256_srli_epi32::<16>(pair);
            let sum = _mm256_add_epi32(
                _mm256_mullo_epi32(a, _mm256_sub_epi32(full, f)),
                _mm256_mullo_epi32(b, f),
            );
            let v = _mm256_srli_epi32::<16>(_mm256_add_epi32(sum, round));
            // 8 × i32 (each 0..=255) to 8 bytes; the packs work within 128-bit lanes.
            let bytes = _mm256_packus_epi16(_mm256_packus_epi32(v, v), _mm256_packus_epi32(v, v));
            let first = _mm_cvtsi128_si32(_mm256_castsi256_si128(bytes)) as u32 as u64;
            let second = _mm_cvtsi128_si32(_mm256_extracti128_si256::<1>(bytes)) as u32 as u64;
            out.as_mut_ptr()
                .add(j)
                .cast::<u64>()
                .write_unaligned(first | (second << 32));
            j += 8;
        }
        horizontal_scalar(blended, &index[j..], &frac[j..], &mut out[j..]);
    }
}

/// `dst = dst * (1 - alpha) + src * alpha`, alpha in 0..=256.
pub fn blend_into(dst: &mut [u8], src: &[u8], alpha: u32) {
    let keep = 256 - alpha;
    for (d, s) in dst.iter_mut().zip(src) {
        *d = ((*d as u32 * keep + *s as u32 * alpha + 128) >> 8) as u8;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_sampling_copies() {
        let data: Vec<u8> = (0..64).map(|i| (i * 3) as u8).collect();
        let src = PlaneView {
            data: &data,
            width: 8,
            height: 8,
        };
        let mut dst = vec![0u8; 64];
        sample_plane(&src, &mut dst, 8, 0..8, 0, (0.0, 0.0), (1.0, 1.0));
        assert_eq!(dst, data);
    }

    #[test]
    fn every_horizontal_pass_gives_the_same_bytes() {
        // A deterministic spread of samples, positions and weights, with a ragged tail.
        let blended: Vec<u16> = (0..400u32).map(|k| ((k * 7919) % 65281) as u16).collect();
        let index: Vec<i32> = (0..203).map(|k| k * 37 % 398).collect();
        let frac: Vec<i32> = (0..203).map(|k| k * 53 % 257).collect();
        let mut scalar = vec![0u8; 203];
        unsafe { horizontal_scalar(&blended, &index, &frac, &mut scalar) };
        let mut chosen = vec![0u8; 203];
        unsafe { horizontal_pass()(&blended, &index, &frac, &mut chosen) };
        assert_eq!(scalar, chosen);
        let exact = |j: usize| {
            let (a, b, f) = (
                blended[index[j] as usize] as u32,
                blended[index[j] as usize + 1] as u32,
                frac[j] as u32,
            );
            ((a * (256 - f) + b * f + 32768) >> 16) as u8
        };
        assert!((0..203).all(|j| scalar[j] == exact(j)));
    }

    #[test]
    fn half_pixel_shift_averages() {
        let data = vec![0u8, 100, 0, 100, 0, 100, 0, 100];
        let src = PlaneView {
            data: &data,
            width: 4,
            height: 2,
        };
        let mut dst = vec![0u8; 2];
        sample_plane(&src, &mut dst, 2, 0..2, 0, (0.5, 0.0), (1.0, 1.0));
        assert_eq!(dst, vec![50, 50]);
    }

    #[test]
    fn white_and_black_map_to_limited_range() {
        assert_eq!(rgb_to_yuv([255, 255, 255]), [235, 128, 128]);
        assert_eq!(rgb_to_yuv([0, 0, 0]), [16, 128, 128]);
    }
}
