//! Everything a span needs on screen, prepared once when the span first appears and dropped
//! when it is over: the plate, the fitted camera move and the caption pages.

use super::captions::{build_pages, caption_px, CaptionPage};
use super::error::RenderError;
use super::font::Fonts;
use super::frame::Yuv;
use super::motion::{ken_burns, Motion, Rect01};
use super::options::{MotionMode, RenderOptions, RenderScene};
use super::plate;
use super::text::{draw_rgb, render_lines, wrap};
use super::timeline::{Span, SpanKind};

pub struct SpanAssets {
    pub plate: Yuv,
    /// Camera windows in normalised plate coordinates, already of the output's aspect.
    pub motion: Motion,
    pub captions: Vec<CaptionPage>,
}

pub fn build(
    span: &Span,
    scenes: &[RenderScene],
    opts: &RenderOptions,
    fonts: &Fonts,
    fps: u32,
) -> Result<SpanAssets, RenderError> {
    let out = (opts.width, opts.height);
    let out_aspect = opts.width as f64 / opts.height as f64;
    match span.kind {
        SpanKind::Scene(i) => {
            let scene = &scenes[i];
            let path = scene
                .image
                .as_ref()
                .ok_or(RenderError::MissingImages(vec![scene.index]))?;
            let img = plate::load_image(scene.index, path)?;
            let aspect = plate::plate_aspect(opts.fit, img.dimensions(), out);
            let motion = match (scene.motion, opts.motion) {
                (Some(m), _) => m,
                (None, MotionMode::KenBurns) => {
                    ken_burns(opts.seed, scene.index, aspect, out_aspect)
                }
                (None, MotionMode::None) => Motion::still(Rect01::FULL),
            }
            .fitted(aspect, out_aspect);
            let captions = if opts.captions {
                let end = span.frames as f64 / fps as f64;
                let speech = (span.speech.0.max(0.0), span.speech.1.min(end));
                build_pages(
                    &scene.text,
                    &opts.caption_style,
                    fonts,
                    out,
                    speech,
                    &span.voiced,
                    &span.segments,
                )
            } else {
                Vec::new()
            };
            Ok(SpanAssets {
                plate: plate::build(&img, opts.fit, out, motion.min_width()),
                motion,
                captions,
            })
        }
        SpanKind::Title => Ok(SpanAssets {
            plate: Yuv::from_rgb(&title_card(scenes, opts, fonts)?),
            motion: Motion::still(Rect01::FULL),
            captions: Vec::new(),
        }),
    }
}

/// The opening card: the title, large, over a blurred copy of the first picture.
pub fn title_card(
    scenes: &[RenderScene],
    opts: &RenderOptions,
    fonts: &Fonts,
) -> Result<image::RgbImage, RenderError> {
    let (w, h) = (opts.width, opts.height);
    let mut card = match scenes
        .first()
        .and_then(|s| s.image.as_ref().map(|p| (s.index, p)))
    {
        Some((index, path)) => plate::blurred_fill(&plate::load_image(index, path)?, w, h),
        None => image::RgbImage::from_pixel(w, h, image::Rgb([12, 12, 16])),
    };
    let title = opts.title.as_deref().unwrap_or_default();
    let words = super::breaks::words(title);
    if !words.is_empty() {
        let px = caption_px(&opts.caption_style, w, h) * 1.5;
        let lines = wrap(fonts, &words, px, w as f32 * 0.84);
        let mask = render_lines(fonts, &words, &lines, px, px * 0.08);
        let x = (w as i64 - mask.width as i64) / 2;
        let y = (h as i64 - mask.height as i64) / 2;
        draw_rgb(
            &mut card,
            &mask,
            x,
            y,
            opts.caption_style.color,
            opts.caption_style.stroke_color,
        );
    }
    Ok(card)
}
