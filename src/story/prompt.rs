//! Prompt composition: character blocks first (each within one CLIP window), then the scene's
//! picture text (subject and setting, see `visual`), then the style and the style suffix.

use super::character::Character;
use super::window;

/// Tokens CLIP reads in one window (77 minus start and end tokens).
pub const CLIP_WINDOW: usize = 75;

#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct ComposedPrompt {
    /// The prompt as one comma-separated string.
    pub text: String,
    /// The parts, for backends that encode them as separate chunks (A1111's `BREAK`).
    pub chunks: Vec<String>,
    /// Estimated CLIP tokens of `text`.
    pub tokens: usize,
    pub warnings: Vec<String>,
    /// True when the user's override replaced the composition.
    pub overridden: bool,
}

/// What a composed prompt shows of its scene (`s.prompt_from`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PromptFrom {
    /// The scene as a picture: `visual::picture_text`.
    #[default]
    Picture,
    /// The scene's text as written, quotations and all.
    Text,
}

impl PromptFrom {
    pub const NAMES: [&'static str; 2] = ["picture", "text"];

    pub fn as_str(self) -> &'static str {
        match self {
            PromptFrom::Picture => "picture",
            PromptFrom::Text => "text",
        }
    }

    /// `None` for a name that is neither "picture" nor "text".
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim().to_lowercase().as_str() {
            "picture" => Some(PromptFrom::Picture),
            "text" => Some(PromptFrom::Text),
            _ => None,
        }
    }
}

pub struct PromptParts<'a> {
    pub style: &'a str,
    /// The scene as a picture (`visual::picture_text`) or its text (`PromptFrom`).
    pub scene_text: &'a str,
    /// Names of every character in the scene, described or not: what the picture must show.
    pub present: &'a [&'a str],
    pub characters: &'a [&'a Character],
    pub suffix: &'a str,
    /// Tokens past which the backend's reading of the prompt degrades.
    pub limit: usize,
}

pub fn compose(parts: &PromptParts) -> ComposedPrompt {
    let mut warnings = Vec::new();
    let mut chunks: Vec<String> = parts
        .characters
        .iter()
        .map(|c| character_block(c, &mut warnings))
        .collect();
    let clean = |s: &str| s.trim().trim_matches(',').trim().to_string();
    let (style, suffix) = (clean(parts.style), clean(parts.suffix));
    // The scene shares its window with the style and suffix; never less than half of it.
    let around = estimate_tokens(&style) + estimate_tokens(&suffix) + 2;
    let budget = CLIP_WINDOW.saturating_sub(around).max(CLIP_WINDOW / 2);
    let scene = window::fit(&clean(parts.scene_text), budget, parts.present);
    let rest: Vec<String> = [scene, style, suffix]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    if !rest.is_empty() {
        chunks.push(rest.join(", "));
    }
    let text = chunks.join(", ");
    let tokens = estimate_tokens(&text);
    if tokens > parts.limit {
        warnings.push(format!(
            "prompt is about {tokens} CLIP tokens, past the {} the backend reads well; shorten the scene or descriptions, or raise prompt_limit",
            parts.limit
        ));
    }
    ComposedPrompt {
        text,
        chunks,
        tokens,
        warnings,
        overridden: false,
    }
}

/// A prompt the user wrote: used as is, still measured.
pub fn overridden(text: &str, limit: usize) -> ComposedPrompt {
    let tokens = estimate_tokens(text);
    let mut warnings = Vec::new();
    if tokens > limit {
        warnings.push(format!(
            "prompt is about {tokens} CLIP tokens, past the {limit} the backend reads well"
        ));
    }
    ComposedPrompt {
        text: text.to_string(),
        chunks: vec![text.to_string()],
        tokens,
        warnings,
        overridden: true,
    }
}

fn character_block(c: &Character, warnings: &mut Vec<String>) -> String {
    let block = if c.description.trim().is_empty() {
        c.name.clone()
    } else {
        format!("{}, {}", c.name, c.description.trim())
    };
    let tokens = estimate_tokens(&block);
    if tokens <= CLIP_WINDOW {
        return block;
    }
    warnings.push(format!(
        "the description of {} is about {tokens} CLIP tokens; only the first {CLIP_WINDOW} are used",
        c.name
    ));
    window::cut_to_tokens(&block, CLIP_WINDOW)
}

/// Estimates CLIP BPE tokens: common words are one token, long words a few, punctuation one each.
pub fn estimate_tokens(text: &str) -> usize {
    let mut tokens = 0;
    let mut word_len = 0;
    let flush = |len: &mut usize, tokens: &mut usize| {
        if *len > 0 {
            *tokens += 1 + len.saturating_sub(7).div_ceil(5);
            *len = 0;
        }
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            word_len += 1;
        } else {
            flush(&mut word_len, &mut tokens);
            if !c.is_whitespace() {
                tokens += 1;
            }
        }
    }
    flush(&mut word_len, &mut tokens);
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_come_first_then_scene_style_suffix() {
        let q = Character::new("Quetzalcoatl", "feathered serpent god");
        let chars = [&q];
        let p = compose(&PromptParts {
            style: "codex painting",
            scene_text: "Quetzalcoatl flew over the sea.",
            present: &["Quetzalcoatl"],
            characters: &chars,
            suffix: "highly detailed",
            limit: 150,
        });
        assert_eq!(
            p.text,
            "Quetzalcoatl, feathered serpent god, Quetzalcoatl flew over the sea., codex painting, highly detailed"
        );
        assert_eq!(p.chunks.len(), 2);
        assert!(p.warnings.is_empty());
    }

    #[test]
    fn long_descriptions_are_trimmed_to_one_window_with_a_warning() {
        let c = Character::new("Brunhild", &"shining armour ".repeat(60));
        let chars = [&c];
        let p = compose(&PromptParts {
            style: "",
            scene_text: "",
            present: &[],
            characters: &chars,
            suffix: "",
            limit: 500,
        });
        assert!(estimate_tokens(&p.chunks[0]) <= CLIP_WINDOW);
        assert!(p.warnings[0].contains("Brunhild"));
    }

    #[test]
    fn a_long_scene_keeps_who_is_there_within_one_window_with_the_style() {
        let scene = "Long ago, when wishing still helped one and the sun itself, which has seen \
                     so much, was astonished whenever it shone, many things were told that \
                     nobody remembers any more, and a great many more were never told at all. \
                     The princess sat by the well in the forest. The wind was cold and grey and \
                     strong all day long, and the leaves fell and fell and fell and fell.";
        let p = compose(&PromptParts {
            style: "watercolor, soft light",
            scene_text: scene,
            present: &["the princess"],
            characters: &[],
            suffix: "highly detailed",
            limit: 150,
        });
        let rest = p.chunks.last().unwrap();
        assert!(estimate_tokens(rest) <= CLIP_WINDOW, "{rest}");
        assert!(
            rest.starts_with("The princess sat by the well in the forest."),
            "{rest}"
        );
        assert!(
            rest.ends_with("watercolor, soft light, highly detailed"),
            "{rest}"
        );
    }

    #[test]
    fn token_estimate_is_close_for_plain_words() {
        assert_eq!(estimate_tokens("a red dragon, flying"), 5);
    }
}
