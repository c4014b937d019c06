//! One scene: a span of the story shown as one image while its text is narrated.

use std::path::PathBuf;

use super::text::Span;

#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Scene {
    pub index: usize,
    /// Byte span of the scene in the story's source text.
    pub span: Span,
    /// The scene's text with line wraps collapsed: what is narrated and captioned.
    pub text: String,
    /// The user's prompt, replacing the composed one.
    pub prompt_override: Option<String>,
    /// The characters the user put in this scene (names), replacing those detected.
    #[serde(default)]
    pub characters: Option<Vec<String>>,
    /// Generated candidate images, in candidate order.
    pub candidates: Vec<PathBuf>,
    /// The chosen candidate (index into `candidates`).
    pub picked: Option<usize>,
    /// A camera move of the user's: crop windows `[x, y, w, h]` (0..1 of the image) at the start
    /// and the end of the scene.
    pub motion: Option<[[f64; 4]; 2]>,
}

impl Scene {
    pub fn words(&self) -> usize {
        super::text::word_count(&self.text)
    }

    /// The picked image, if a pick was made and exists.
    pub fn image(&self) -> Option<&PathBuf> {
        self.picked.and_then(|k| self.candidates.get(k))
    }
}
