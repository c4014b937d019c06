//! Fonts: one shipped inside the binary, a user's font file, and system fonts as a fallback for
//! scripts (Devanagari, CJK, emoji) the main font lacks.

use super::error::RenderError;
use ab_glyph::{Font, FontRef};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::fonts::SANS_BOLD as DEFAULT_FONT;

/// One font face, ready both to shape text and to draw its glyphs.
pub struct Face {
    /// Outlines, for rasterising.
    pub outline: FontRef<'static>,
    /// Tables for shaping (joining, reordering, ligatures, kerning).
    pub shaper: rustybuzz::Face<'static>,
}

impl Face {
    /// Font data lives as long as the program: shaping tables borrow it, and every face is
    /// made once (system fonts on first need, a user's font once per distinct file content).
    fn parse(data: &'static [u8], index: u32) -> Option<Face> {
        Some(Face {
            outline: FontRef::try_from_slice_and_index(data, index).ok()?,
            shaper: rustybuzz::Face::from_slice(data, index)?,
        })
    }

    /// Whether the face has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        self.outline.glyph_id(c).0 != 0
    }

    /// Pixels per font unit when the text is `px` tall (ascent to descent, as ab_glyph scales).
    pub fn px_per_unit(&self, px: f32) -> f32 {
        px / self.outline.height_unscaled()
    }
}

/// A main font plus the shared system fallback list.
#[derive(Clone)]
pub struct Fonts {
    main: Arc<Face>,
}

impl Fonts {
    /// The font shipped inside the binary.
    pub fn embedded() -> Fonts {
        static FONT: OnceLock<Arc<Face>> = OnceLock::new();
        let main = FONT
            .get_or_init(|| Arc::new(Face::parse(DEFAULT_FONT, 0).expect("embedded font parses")))
            .clone();
        Fonts { main }
    }

    /// A font file chosen by the user, or the embedded one.
    pub fn load(path: Option<&Path>) -> Result<Fonts, RenderError> {
        let Some(path) = path else {
            return Ok(Fonts::embedded());
        };
        let bad = |reason: String| RenderError::BadFont {
            path: path.into(),
            reason,
        };
        let bytes = crate::input_file::read(path, crate::input_file::FONT)
            .map_err(|e| bad(e.to_string()))?;
        FontRef::try_from_slice(&bytes).map_err(|e| bad(e.to_string()))?;
        let face = Face::parse(intern(bytes), 0)
            .ok_or_else(|| bad("its shaping tables cannot be read".into()))?;
        Ok(Fonts {
            main: Arc::new(face),
        })
    }

    /// The main font.
    pub fn main(&self) -> &Arc<Face> {
        &self.main
    }

    /// The face to draw `c` with, given the face of the character before it (`current`):
    /// marks and joiners stay with the face of what they attach to, so that a cluster is shaped
    /// by one font; otherwise the main font when it has the glyph, then the current face, then
    /// the first system font that has it, else the main font (which draws a "missing" box).
    pub fn face_for(&self, c: char, current: Option<&Arc<Face>>) -> Arc<Face> {
        if let Some(cur) = current {
            if attaches(c) {
                return cur.clone();
            }
        }
        if self.main.covers(c) || c.is_whitespace() {
            return self.main.clone();
        }
        if let Some(cur) = current.filter(|f| f.covers(c)) {
            return cur.clone();
        }
        system_fallback()
            .font_for(c)
            .unwrap_or_else(|| self.main.clone())
    }
}

/// Characters that belong to the cluster before them: combining marks (Devanagari vowel signs
/// and virama, Arabic harakat, accents), zero-width joiners and variation selectors.
fn attaches(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05C7 | 0x0610..=0x061A | 0x064B..=0x065F
        | 0x0670 | 0x06D6..=0x06ED | 0x0900..=0x0903 | 0x093A..=0x094F | 0x0951..=0x0957
        | 0x0962..=0x0963 | 0x0981..=0x0983 | 0x09BC..=0x09D7 | 0x0A01..=0x0A83 | 0x0ABC..=0x0ACD
        | 0x0B01..=0x0B03 | 0x0B3C..=0x0B57 | 0x0BBE..=0x0BCD | 0x0C00..=0x0C04 | 0x0C3E..=0x0C56
        | 0x0CBC..=0x0CD6 | 0x0D00..=0x0D03 | 0x0D3B..=0x0D57 | 0x0E31 | 0x0E34..=0x0E3A
        | 0x0E47..=0x0E4E | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x200C | 0x200D | 0x20D0..=0x20FF
        | 0x3099..=0x309A | 0xFE00..=0xFE0F | 0xFE20..=0xFE2F | 0x1F3FB..=0x1F3FF
        | 0xE0100..=0xE01EF)
}

/// Keeps one copy of each distinct font file the program is given, for its whole run.
fn intern(bytes: Vec<u8>) -> &'static [u8] {
    static SEEN: Mutex<Vec<&'static [u8]>> = Mutex::new(Vec::new());
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(known) = seen.iter().find(|d| **d == bytes.as_slice()) {
        return known;
    }
    let data: &'static [u8] = Box::leak(bytes.into_boxed_slice());
    seen.push(data);
    data
}

/// System fonts, opened lazily one by one only when a glyph is missing.
struct Fallback {
    files: Vec<PathBuf>,
    loaded: Mutex<FallbackState>,
}

/// A system font file's bytes and its character map.
type Opened = (&'static [u8], FontRef<'static>);

#[derive(Default)]
struct FallbackState {
    /// `None`: not opened yet; `Some(None)`: not a usable font. Opened files are only read for
    /// their character map until one is used, which then gets its shaping tables once.
    fonts: Vec<Option<Option<Opened>>>,
    faces: HashMap<usize, Arc<Face>>,
    by_char: HashMap<char, Option<usize>>,
}

fn system_fallback() -> &'static Fallback {
    static FALLBACK: OnceLock<Fallback> = OnceLock::new();
    FALLBACK.get_or_init(|| {
        let mut files = Vec::new();
        for dir in [
            "/usr/share/fonts",
            "/usr/local/share/fonts",
            "/Library/Fonts",
            "C:\\Windows\\Fonts",
        ] {
            collect_fonts(Path::new(dir), &mut files, 0);
        }
        if let Some(home) = std::env::var_os("HOME") {
            collect_fonts(&Path::new(&home).join(".fonts"), &mut files, 0);
            collect_fonts(&Path::new(&home).join(".local/share/fonts"), &mut files, 0);
        }
        // Bold faces first: captions are bold. Then by path, for the same choice on every run.
        files.sort_by_key(|p| {
            (
                !p.to_string_lossy().to_lowercase().contains("bold"),
                p.clone(),
            )
        });
        Fallback {
            loaded: Mutex::new(FallbackState {
                fonts: vec![None; files.len()],
                faces: HashMap::new(),
                by_char: HashMap::new(),
            }),
            files,
        }
    })
}

fn collect_fonts(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() && depth < 6 {
            collect_fonts(&path, out, depth + 1);
        } else if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
            if ["ttf", "otf", "ttc"].contains(&ext.to_ascii_lowercase().as_str()) {
                out.push(path);
            }
        }
    }
}

impl Fallback {
    fn font_for(&self, c: char) -> Option<Arc<Face>> {
        let mut state = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        let found = match state.by_char.get(&c) {
            Some(found) => *found,
            None => {
                let found = self.first_covering(&mut state, c);
                state.by_char.insert(c, found);
                found
            }
        };
        let i = found?;
        if let Some(face) = state.faces.get(&i) {
            return Some(face.clone());
        }
        let data = state.fonts[i].as_ref()?.as_ref()?.0;
        let face = Arc::new(Face::parse(data, 0)?);
        state.faces.insert(i, face.clone());
        Some(face)
    }

    fn first_covering(&self, state: &mut FallbackState, c: char) -> Option<usize> {
        for (i, path) in self.files.iter().enumerate() {
            if state.fonts[i].is_none() {
                // Held for the program's run, like the list itself.
                let bytes = crate::input_file::read(path, crate::input_file::FONT).ok();
                let usable = bytes.filter(|b| FontRef::try_from_slice(b).is_ok());
                state.fonts[i] = Some(usable.and_then(|b| {
                    let data: &'static [u8] = Box::leak(b.into_boxed_slice());
                    Some((data, FontRef::try_from_slice(data).ok()?))
                }));
            }
            // A glyph without an outline (a colour emoji bitmap) would draw nothing.
            if let Some(Some((_, font))) = &state.fonts[i] {
                let id = font.glyph_id(c);
                if id.0 != 0 && font.outline(id).is_some() {
                    return Some(i);
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_font_has_latin_accents_hebrew_and_arabic() {
        let f = Fonts::embedded();
        for c in ['A', 'é', 'ß', 'ש', 'ب'] {
            assert!(Arc::ptr_eq(&f.face_for(c, None), f.main()), "{c}");
        }
    }

    #[test]
    fn missing_glyph_comes_from_a_system_font() {
        // U+02EF is in DejaVu Sans (Debian's fonts-dejavu-core) but not in its bold face.
        if !Path::new("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").exists() {
            crate::test_skip::skip(
                "no DejaVu Sans system font to fall back on (fonts-dejavu-core)",
            );
            return;
        }
        let f = Fonts::embedded();
        assert!(!f.main().covers('\u{2EF}'));
        let face = f.face_for('\u{2EF}', None);
        assert!(face.covers('\u{2EF}'));
    }

    #[test]
    fn a_mark_stays_with_the_face_of_its_base() {
        let f = Fonts::embedded();
        let Some(other) = system_fallback().font_for('\u{2EF}') else {
            crate::test_skip::skip("no system font to fall back on (fonts-dejavu-core)");
            return;
        };
        // The acute accent is in the main font, but follows a letter drawn by another face.
        assert!(Arc::ptr_eq(&f.face_for('\u{301}', Some(&other)), &other));
        assert!(Arc::ptr_eq(&f.face_for('a', Some(&other)), f.main()));
    }
}
