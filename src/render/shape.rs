//! One line of text laid out as readers of its script expect: cut into runs by direction (the
//! Unicode bidi algorithm, applied per line) and by the font that has the characters, each run
//! shaped (Arabic joining, Indic reordering, ligatures, kerning), the runs put in visual order.

use super::breaks::glued;
use super::font::{Face, Fonts};
use rustybuzz::UnicodeBuffer;
use std::ops::Range;
use std::sync::Arc;
use unicode_bidi::{BidiInfo, Level, ParagraphBidiInfo};

/// A glyph placed on a line.
pub struct Glyph {
    pub face: Arc<Face>,
    pub id: u16,
    /// Pen position from the line's left edge, in pixels.
    pub x: f32,
    /// Rise above the baseline, in pixels.
    pub y: f32,
    /// Index, among the line's words, of the word the glyph belongs to.
    pub word: usize,
}

/// A laid out line: glyphs from left to right as drawn.
pub struct Line {
    pub glyphs: Vec<Glyph>,
    pub width: f32,
}

/// Whether a paragraph made of `words` reads right to left: its first strong character is
/// Hebrew, Arabic or another right-to-left script (UAX #9, rules P2–P3).
pub fn paragraph_is_rtl(words: &[&str]) -> bool {
    words
        .iter()
        .map(|w| unicode_bidi::get_base_direction(*w))
        .find(|d| *d != unicode_bidi::Direction::Mixed)
        == Some(unicode_bidi::Direction::Rtl)
}

/// A stretch of one word (or one space) at one bidi level, drawn by one face.
struct Run {
    bytes: Range<usize>,
    /// The word's bytes, the context for shaping across a change of face or direction.
    word_bytes: Range<usize>,
    level: Level,
    face: Arc<Face>,
    word: usize,
}

/// Lays out `words`, separated by single spaces (none between [`glued`] ones), as one line of a paragraph that reads right
/// to left when `rtl`, at `px` pixels tall.
pub fn shape_line(fonts: &Fonts, words: &[&str], px: f32, rtl: bool) -> Line {
    let mut text = String::new();
    let mut spans = Vec::with_capacity(words.len());
    for (i, w) in words.iter().enumerate() {
        if i > 0 && !glued(words[i - 1], w) {
            text.push(' ');
        }
        spans.push(text.len()..text.len() + w.len());
        text.push_str(w);
    }
    let levels = bidi_levels(&text, rtl);
    let mut runs: Vec<Run> = Vec::new();
    for (wi, span) in spans.iter().enumerate() {
        if wi > 0 && !glued(words[wi - 1], words[wi]) {
            let at = span.start - 1;
            runs.push(Run {
                bytes: at..span.start,
                word_bytes: at..span.start,
                level: levels[at],
                face: fonts.main().clone(),
                word: wi - 1,
            });
        }
        let mut face: Option<Arc<Face>> = None;
        for (off, c) in words[wi].char_indices() {
            let at = span.start + off;
            let f = fonts.face_for(c, face.as_ref());
            let end = at + c.len_utf8();
            match runs.last_mut() {
                Some(r)
                    if r.word == wi
                        && r.bytes.end == at
                        && r.level == levels[at]
                        && Arc::ptr_eq(&r.face, &f) =>
                {
                    r.bytes.end = end
                }
                _ => runs.push(Run {
                    bytes: at..end,
                    word_bytes: span.clone(),
                    level: levels[at],
                    face: f.clone(),
                    word: wi,
                }),
            }
            face = Some(f);
        }
    }
    let run_levels: Vec<Level> = runs.iter().map(|r| r.level).collect();
    let mut glyphs = Vec::with_capacity(text.len());
    let mut pen = 0.0;
    for i in BidiInfo::reorder_visual(&run_levels) {
        pen = shape_run(&text, &runs[i], px, pen, &mut glyphs);
    }
    Line { glyphs, width: pen }
}

/// The embedding level of each byte of `text` as one line (rules up to L1 of UAX #9).
fn bidi_levels(text: &str, rtl: bool) -> Vec<Level> {
    let base = if rtl { Level::rtl() } else { Level::ltr() };
    let info = ParagraphBidiInfo::new(text, Some(base));
    if info.is_pure_ltr && !rtl {
        return vec![base; text.len()];
    }
    info.reordered_levels(0..text.len())
}

/// Shapes one run and appends its glyphs from pen position `pen`; returns the pen after it.
fn shape_run(text: &str, run: &Run, px: f32, mut pen: f32, out: &mut Vec<Glyph>) -> f32 {
    let mut buffer = UnicodeBuffer::new();
    buffer.push_str(&text[run.bytes.clone()]);
    buffer.set_pre_context(&text[run.word_bytes.start..run.bytes.start]);
    buffer.set_post_context(&text[run.bytes.end..run.word_bytes.end]);
    buffer.set_direction(if run.level.is_rtl() {
        rustybuzz::Direction::RightToLeft
    } else {
        rustybuzz::Direction::LeftToRight
    });
    buffer.guess_segment_properties();
    let shaped = rustybuzz::shape(&run.face.shaper, &[], buffer);
    let k = run.face.px_per_unit(px);
    for (info, pos) in shaped.glyph_infos().iter().zip(shaped.glyph_positions()) {
        out.push(Glyph {
            face: run.face.clone(),
            id: info.glyph_id as u16,
            x: pen + pos.x_offset as f32 * k,
            y: pos.y_offset as f32 * k,
            word: run.word,
        });
        pen += pos.x_advance as f32 * k;
    }
    pen
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(fonts: &Fonts, text: &str) -> Vec<u16> {
        let words = crate::render::breaks::words(text);
        let rtl = paragraph_is_rtl(&words);
        shape_line(fonts, &words, 40.0, rtl)
            .glyphs
            .iter()
            .map(|g| g.id)
            .collect()
    }

    fn nominal(fonts: &Fonts, c: char) -> u16 {
        ab_glyph::Font::glyph_id(&fonts.main().outline, c).0
    }

    #[test]
    fn latin_keeps_its_order_and_width() {
        let fonts = Fonts::embedded();
        let want: Vec<u16> = "ab".chars().map(|c| nominal(&fonts, c)).collect();
        assert_eq!(ids(&fonts, "ab"), want);
        let line = shape_line(&fonts, &["ab"], 40.0, false);
        assert!(line.width > 20.0 && line.glyphs[1].x > line.glyphs[0].x);
    }

    #[test]
    fn hebrew_is_drawn_right_to_left_with_digits_on_the_left() {
        let fonts = Fonts::embedded();
        // Logical "שלום 123": drawn as "123 םולש", the first letter rightmost.
        let got = ids(&fonts, "שלום 123");
        let want: Vec<u16> = "123 םולש".chars().map(|c| nominal(&fonts, c)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn arabic_letters_take_their_joined_forms() {
        let fonts = Fonts::embedded();
        let isolated = nominal(&fonts, 'ب');
        let joined = ids(&fonts, "بببب");
        assert_eq!(joined.len(), 4);
        // Final, medial, medial, initial (drawn left to right), none of them the isolated form.
        assert!(joined.iter().all(|&g| g != isolated), "{joined:?}");
        assert_eq!(joined[1], joined[2]);
        assert_ne!(joined[0], joined[1]);
        assert_ne!(joined[3], joined[1]);
        // A lone letter stays isolated.
        assert_eq!(ids(&fonts, "ب"), [isolated]);
    }

    #[test]
    fn odd_text_lays_out_without_panicking() {
        let fonts = Fonts::embedded();
        for text in [
            "\u{301}a \u{200D} \u{202E}abc\u{202C} x\u{2067}שלום\u{2069}y",
            "\u{1C}ب\u{1D} \u{FEFF} 😀👍🏽 a\u{94D}\u{93F} \u{E0100}",
            "\u{5D0}\u{5B0}\u{5B0}\u{5B0} ٣٤٥ 12:30 (א) [ب]",
        ] {
            let words: Vec<&str> = text.split_whitespace().collect();
            for rtl in [false, true] {
                let line = shape_line(&fonts, &words, 30.0, rtl);
                assert!(line.width.is_finite() && line.width > 0.0, "{text:?}");
                assert!(line.glyphs.iter().all(|g| g.word < words.len()));
            }
        }
    }

    #[test]
    fn a_left_to_right_paragraph_keeps_latin_first() {
        let fonts = Fonts::embedded();
        let words = ["I", "said", "שלום"];
        assert!(!paragraph_is_rtl(&words));
        let line = shape_line(&fonts, &words, 40.0, false);
        let first = &line.glyphs[0];
        assert_eq!(first.id, nominal(&fonts, 'I'));
        // The Hebrew word is last, its first letter (shin) at the far right.
        let last = line.glyphs.last().unwrap();
        assert_eq!((last.id, last.word), (nominal(&fonts, 'ש'), 2));
    }
}
