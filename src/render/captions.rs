//! Burned-in captions: the narration split into pages of at most `max_lines` lines, each page
//! shown while its words are spoken, optionally colouring the word being spoken.

use super::breaks::words as break_units;
use super::font::Fonts;
use super::frame::{rgb_to_yuv, Yuv};
use super::options::CaptionStyle;
use super::speech_timing::{word_times_in, TimedRange};
use super::text::{gap_widths, render_lines, word_widths, wrap_widths, TextMask};

/// One screenful of caption text, placed and timed.
pub struct CaptionPage {
    mask: TextMask,
    x: usize,
    y: usize,
    /// The mask at chroma resolution, made once rather than on every frame: each 2×2 block
    /// the text touches, averaged, with the word of its most covered pixel. At (`x`/2, `y`/2).
    chroma: TextMask,
    /// Seconds from the start of the scene.
    start: f64,
    end: f64,
    /// Spoken interval of each word of the page.
    word_times: Vec<(f64, f64)>,
}

/// Caption colours converted once to the frame's colour space.
#[derive(Clone, Copy)]
pub struct CaptionColors {
    fill: [u8; 3],
    stroke: [u8; 3],
    highlight: Option<[u8; 3]>,
}

impl CaptionColors {
    pub fn new(style: &CaptionStyle) -> Self {
        CaptionColors {
            fill: rgb_to_yuv(style.color),
            stroke: rgb_to_yuv(style.stroke_color),
            highlight: style.highlight.map(rgb_to_yuv),
        }
    }
}

/// Text height in pixels for a video of this size.
pub fn caption_px(style: &CaptionStyle, width: u32, height: u32) -> f32 {
    style
        .size
        .unwrap_or(width.min(height) as f32 * 0.085)
        .max(6.0)
}

/// One page of captions before it is drawn: its lines (word ranges) and when it shows.
pub struct PagePlan {
    pub lines: Vec<std::ops::Range<usize>>,
    /// Seconds from the start of the scene.
    pub start: f64,
    pub end: f64,
}

/// Cuts `text` into pages timed over the speech interval (seconds from the scene start), each
/// word when the voice says it: within its sentence's synthesized time where `segments` says,
/// by the pauses in `voiced` where the audio is known, else by word length, a fair proxy for
/// syllables. Returns the words, when each is said, and the pages. Subtitles use it too.
#[allow(clippy::too_many_arguments)]
pub fn plan_pages<'t>(
    text: &'t str,
    style: &CaptionStyle,
    fonts: &Fonts,
    (width, height): (u32, u32),
    speech: (f64, f64),
    voiced: &[(f64, f64)],
    segments: &[TimedRange],
) -> (Vec<&'t str>, Vec<(f64, f64)>, Vec<PagePlan>) {
    let words = break_units(text);
    if words.is_empty() {
        return (words, Vec::new(), Vec::new());
    }
    let px = caption_px(style, width, height);
    let max_width = width as f32 * 0.86;
    let speech = (speech.0, speech.1.max(speech.0 + 0.1));
    let word_times = word_times_in(text, &words, speech, voiced, segments);
    let pages = paginate(fonts, &words, px, max_width, style.max_lines.max(1));
    let count = pages.len();
    let plans = pages
        .into_iter()
        .enumerate()
        .map(|(i, lines)| {
            let first = lines[0].start;
            let last = lines[lines.len() - 1].end;
            let end = if i + 1 == count {
                word_times[last - 1].1 + 0.3
            } else {
                word_times[last].0
            };
            PagePlan {
                lines,
                start: word_times[first].0,
                end,
            }
        })
        .collect();
    (words, word_times, plans)
}

/// Lays out `text` as pages timed as [`plan_pages`] says, drawn and placed.
#[allow(clippy::too_many_arguments)]
pub fn build_pages(
    text: &str,
    style: &CaptionStyle,
    fonts: &Fonts,
    (width, height): (u32, u32),
    speech: (f64, f64),
    voiced: &[(f64, f64)],
    segments: &[TimedRange],
) -> Vec<CaptionPage> {
    let px = caption_px(style, width, height);
    let stroke = style.stroke_width.unwrap_or(px * 0.09).max(0.0);
    let (words, word_times, plans) = plan_pages(
        text,
        style,
        fonts,
        (width, height),
        speech,
        voiced,
        segments,
    );
    let centre_y = style.position.fraction() * height as f32;
    plans
        .into_iter()
        .map(|plan| {
            let page_lines = plan.lines.as_slice();
            let first = page_lines[0].start;
            let last = page_lines[page_lines.len() - 1].end;
            let mask = render_lines(fonts, &words, page_lines, px, stroke);
            let x = (width as usize).saturating_sub(mask.width) / 2;
            let y = (centre_y - mask.height as f32 / 2.0)
                .clamp(0.0, (height as usize).saturating_sub(mask.height) as f32)
                as usize;
            CaptionPage {
                chroma: chroma_mask(&mask, x, y),
                mask,
                x,
                y,
                start: plan.start,
                end: plan.end,
                word_times: word_times[first..last].to_vec(),
            }
        })
        .collect()
}

/// Cuts the words into pages of at most `max_lines` wrapped lines each (word ranges per line).
/// A full page ends at the last sentence end that leaves it at least half full, else at a
/// clause end, else before a word that opens a phrase, else where the lines run out.
fn paginate(
    fonts: &Fonts,
    words: &[&str],
    px: f32,
    max_width: f32,
    max_lines: usize,
) -> Vec<Vec<std::ops::Range<usize>>> {
    // Words are measured once: pages are tried several times.
    let widths = word_widths(fonts, words, px);
    let gaps = gap_widths(fonts, words, px);
    let lines_of = |from: usize, to: usize| -> Vec<std::ops::Range<usize>> {
        wrap_widths(&widths[from..to], &gaps[from..to], max_width)
            .into_iter()
            .map(|r| r.start + from..r.end + from)
            .collect()
    };
    let mut pages = Vec::new();
    let mut start = 0;
    while start < words.len() {
        let fits = lines_of(start, words.len());
        if fits.len() <= max_lines {
            pages.push(fits);
            break;
        }
        // The most words that fit on this page.
        let full = fits[max_lines - 1].end;
        let half = start + (full - start).div_ceil(2);
        let end = (half..=full)
            .rev()
            .filter(|&e| e > start)
            .max_by_key(|&e| (break_strength(words, e), e))
            .unwrap_or(full);
        pages.push(lines_of(start, end));
        start = end;
    }
    pages
}

/// How good a page break before word `i` is: 3 after a sentence, 2 after a clause, 1 before a
/// word that opens a phrase, 0 elsewhere.
fn break_strength(words: &[&str], i: usize) -> u8 {
    const OPENERS: &[&str] = &[
        "and", "but", "or", "nor", "so", "yet", "for", "because", "when", "while", "where",
        "which", "who", "whom", "whose", "that", "if", "though", "although", "as", "until",
        "before", "after", "then", "of", "to", "in", "on", "at", "with", "from", "into", "over",
        "under", "by", "through",
    ];
    if i >= words.len() {
        return 3;
    }
    let before = words[i - 1].trim_end_matches(['"', '\'', '’', '”', ')', '」', '』', '）']);
    if before.ends_with(['.', '!', '?', '…', '。', '！', '？']) {
        3
    } else if before.ends_with([',', ';', ':', '—', '–', '、', '，', '；', '：']) {
        2
    } else if OPENERS.contains(&words[i].to_lowercase().as_str()) {
        1
    } else {
        0
    }
}

/// Draws the page visible at `t` seconds into the scene, at opacity `alpha` (0..=256).
pub fn draw_at(frame: &mut Yuv, pages: &[CaptionPage], t: f64, alpha: u32, colors: CaptionColors) {
    if let Some(page) = pages.iter().find(|p| t >= p.start && t < p.end) {
        let spoken = colors
            .highlight
            .and_then(|_| page.word_times.iter().position(|&(a, b)| t >= a && t < b));
        draw_page(frame, page, spoken, alpha, colors);
    }
}

fn draw_page(
    frame: &mut Yuv,
    page: &CaptionPage,
    spoken: Option<usize>,
    alpha: u32,
    colors: CaptionColors,
) {
    let (fw, fh) = (frame.width, frame.height);
    let (cw, _) = frame.chroma_size();
    let m = &page.mask;
    let colour_of = |i: usize| match (spoken, colors.highlight) {
        (Some(w), Some(h)) if m.word[i] as usize == w => h,
        _ => colors.fill,
    };
    let (yp, up, vp) = frame.planes_mut();
    let mix = |dst: &mut u8, stroke_a: u32, fill_a: u32, stroke_c: u8, fill_c: u8| {
        let mut v = (*dst as u32 * (255 - stroke_a) + stroke_c as u32 * stroke_a) / 255;
        v = (v * (255 - fill_a) + fill_c as u32 * fill_a) / 255;
        *dst = v as u8;
    };
    let scaled = |a: u8| (a as u32 * alpha) >> 8;
    for my in 0..m.height {
        let y = page.y + my;
        if y >= fh {
            break;
        }
        for mx in 0..m.width {
            let x = page.x + mx;
            if x >= fw {
                break;
            }
            let i = my * m.width + mx;
            let (sa, fa) = (scaled(m.stroke[i]), scaled(m.fill[i]));
            if sa == 0 && fa == 0 {
                continue;
            }
            mix(
                &mut yp[y * fw + x],
                sa,
                fa,
                colors.stroke[0],
                colour_of(i)[0],
            );
        }
    }
    let c = &page.chroma;
    let (cx0, cy0) = (page.x / 2, page.y / 2);
    let colour_of_block = |o: usize| match (spoken, colors.highlight) {
        (Some(w), Some(h)) if c.word[o] as usize == w => h,
        _ => colors.fill,
    };
    for my in 0..c.height {
        let cy = cy0 + my;
        if cy >= fh.div_ceil(2) {
            break;
        }
        for mx in 0..c.width {
            let cx = cx0 + mx;
            if cx >= cw {
                break;
            }
            let o = my * c.width + mx;
            let (sa, fa) = (scaled(c.stroke[o]), scaled(c.fill[o]));
            if sa == 0 && fa == 0 {
                continue;
            }
            let fill = colour_of_block(o);
            let ci = cy * cw + cx;
            mix(&mut up[ci], sa, fa, colors.stroke[1], fill[1]);
            mix(&mut vp[ci], sa, fa, colors.stroke[2], fill[2]);
        }
    }
}

/// `mask`, placed at (`x`, `y`) in a frame, at chroma resolution (one sample per 2×2 block).
fn chroma_mask(mask: &TextMask, x: usize, y: usize) -> TextMask {
    let (cx0, cy0) = (x / 2, y / 2);
    let width = (x + mask.width).div_ceil(2) - cx0;
    let height = (y + mask.height).div_ceil(2) - cy0;
    let mut out = TextMask::blank(width, height);
    for my in 0..height {
        for mx in 0..width {
            let (mut stroke, mut fill, mut strongest) = (0u32, 0u32, None::<(u8, usize)>);
            for (dy, dx) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
                let (py, px) = (2 * (cy0 + my) + dy, 2 * (cx0 + mx) + dx);
                if py < y || px < x || py >= y + mask.height || px >= x + mask.width {
                    continue;
                }
                let i = (py - y) * mask.width + (px - x);
                stroke += mask.stroke[i] as u32;
                fill += mask.fill[i] as u32;
                if strongest.is_none_or(|(f, _)| mask.fill[i] > f) {
                    strongest = Some((mask.fill[i], i));
                }
            }
            let o = my * width + mx;
            out.stroke[o] = (stroke / 4) as u8;
            out.fill[o] = (fill / 4) as u8;
            out.word[o] = strongest.map_or(0, |(_, i)| mask.word[i]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page_texts(text: &str, size: (u32, u32)) -> Vec<String> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let style = CaptionStyle::default();
        let px = caption_px(&style, size.0, size.1);
        paginate(&Fonts::embedded(), &words, px, size.0 as f32 * 0.86, 2)
            .iter()
            .map(|lines| words[lines[0].start..lines.last().unwrap().end].join(" "))
            .collect()
    }

    #[test]
    fn pages_break_at_sentence_and_clause_ends() {
        let text = "The frog swam up from the deep water. \"Ah, old water-splasher, is it you?\" \
                    said the princess, and she laughed at him while the ball sank";
        let pages = page_texts(text, (360, 640));
        assert!(pages.len() >= 3, "{pages:?}");
        // A sentence end closes a page, and no page breaks inside a phrase.
        assert!(pages.iter().any(|p| p.ends_with("water.")), "{pages:?}");
        let words: Vec<&str> = text.split_whitespace().collect();
        let mut at = 0;
        for page in &pages[..pages.len() - 1] {
            at += page.split_whitespace().count();
            assert!(break_strength(&words, at) >= 1, "{pages:?}");
        }
        assert_eq!(
            pages.join(" "),
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        );
    }

    #[test]
    fn pages_cover_the_speech_in_order() {
        let style = CaptionStyle::default();
        let text = "Once upon a time a feathered serpent flew over the sleeping city and \
                    the people woke to see the fifth sun rise over the lake";
        let pages = build_pages(
            text,
            &style,
            &Fonts::embedded(),
            (360, 640),
            (0.5, 8.5),
            &[],
            &[],
        );
        assert!(pages.len() >= 2);
        assert!((pages[0].start - 0.5).abs() < 1e-9);
        for pair in pages.windows(2) {
            assert!(pair[0].end <= pair[1].start + 1e-9);
        }
        assert!(pages.last().unwrap().end >= 8.5);
    }

    #[test]
    fn a_japanese_paragraph_gets_time_for_every_caption_page() {
        // Over a hundred characters without a space: counted as one word, it had 0.4 s of speech
        // and its pages a frame each.
        let text =
            "むかしむかし、ある山のふもとの小さな村に、おじいさんとおばあさんがすんでいました。\
                おじいさんは毎日山へしばかりに、おばあさんは川へせんたくに行きました。\
                ある日、おばあさんが川でせんたくをしていると、大きな桃が流れてきました。";
        let words = crate::render::breaks::spoken_words(text);
        let secs =
            words as f64 / crate::render::options::RenderOptions::default().words_per_sec as f64;
        assert!(secs > 15.0, "{words} words, {secs} s");
        let style = CaptionStyle::default();
        let pages = build_pages(
            text,
            &style,
            &Fonts::embedded(),
            (360, 640),
            (0.0, secs),
            &[],
            &[],
        );
        assert!(pages.len() >= 3, "{}", pages.len());
        for page in &pages {
            // At 30 fps a second is 30 frames: long enough to read a page.
            assert!(
                page.end - page.start >= 1.0,
                "{} .. {}",
                page.start,
                page.end
            );
        }
    }
}
