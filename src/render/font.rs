//! Fonts: one shipped inside the binary, a user's font file, and system fonts as a fallback for
//! glyphs (CJK, rare accents) the main font lacks.

use super::error::RenderError;
use ab_glyph::{Font, FontArc, GlyphId};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use crate::fonts::SANS_BOLD as DEFAULT_FONT;

/// A main font plus the shared system fallback list.
#[derive(Clone)]
pub struct Fonts {
    main: FontArc,
}

impl Fonts {
    /// The font shipped inside the binary.
    pub fn embedded() -> Fonts {
        static FONT: OnceLock<FontArc> = OnceLock::new();
        let main = FONT
            .get_or_init(|| FontArc::try_from_slice(DEFAULT_FONT).expect("embedded font parses"))
            .clone();
        Fonts { main }
    }

    /// A font file chosen by the user, or the embedded one.
    pub fn load(path: Option<&Path>) -> Result<Fonts, RenderError> {
        let Some(path) = path else {
            return Ok(Fonts::embedded());
        };
        let bytes = std::fs::read(path).map_err(|e| RenderError::BadFont {
            path: path.into(),
            reason: e.to_string(),
        })?;
        let main = FontArc::try_from_vec(bytes).map_err(|e| RenderError::BadFont {
            path: path.into(),
            reason: e.to_string(),
        })?;
        Ok(Fonts { main })
    }

    /// The font to draw `c` with and its glyph: the main font when it has the glyph, else the
    /// first system font that has it, else the main font's "missing" box.
    pub fn glyph_for(&self, c: char) -> (FontArc, GlyphId) {
        let id = self.main.glyph_id(c);
        if id.0 != 0 || c.is_whitespace() {
            return (self.main.clone(), id);
        }
        match system_fallback().font_for(c) {
            Some(font) => {
                let id = font.glyph_id(c);
                (font, id)
            }
            None => (self.main.clone(), id),
        }
    }
}

/// System fonts, opened lazily one by one only when a glyph is missing.
struct Fallback {
    files: Vec<PathBuf>,
    loaded: Mutex<FallbackState>,
}

#[derive(Default)]
struct FallbackState {
    /// `None`: not opened yet; `Some(None)`: not a usable font.
    fonts: Vec<Option<Option<FontArc>>>,
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
        // Bold faces first: captions are bold.
        files.sort_by_key(|p| !p.to_string_lossy().to_lowercase().contains("bold"));
        Fallback {
            loaded: Mutex::new(FallbackState {
                fonts: vec![None; files.len()],
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
    fn font_for(&self, c: char) -> Option<FontArc> {
        let mut state = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = state.by_char.get(&c) {
            return found.and_then(|i| state.fonts[i].clone().flatten());
        }
        let mut found = None;
        for (i, path) in self.files.iter().enumerate() {
            if state.fonts[i].is_none() {
                state.fonts[i] = Some(
                    std::fs::read(path)
                        .ok()
                        .and_then(|b| FontArc::try_from_vec(b).ok()),
                );
            }
            if let Some(Some(font)) = &state.fonts[i] {
                if font.glyph_id(c).0 != 0 {
                    found = Some(i);
                    break;
                }
            }
        }
        state.by_char.insert(c, found);
        found.and_then(|i| state.fonts[i].clone().flatten())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_font_has_latin_and_accents() {
        let f = Fonts::embedded();
        for c in ['A', 'é', 'ß'] {
            assert_ne!(f.glyph_for(c).1 .0, 0, "{c}");
        }
    }

    #[test]
    fn missing_glyph_comes_from_a_system_font() {
        // U+02EF is in DejaVu Sans (Debian's fonts-dejavu-core) but not in its bold face.
        if !Path::new("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").exists() {
            eprintln!("SKIPPED: no DejaVu Sans system font to fall back on");
            return;
        }
        let f = Fonts::embedded();
        assert_eq!(f.main.glyph_id('\u{2EF}').0, 0);
        let (font, id) = f.glyph_for('\u{2EF}');
        assert_ne!(id.0, 0);
        assert_eq!(font.glyph_id('\u{2EF}'), id);
    }
}
