//! The story model: text, scenes, characters and prompt composition. Knows nothing of Rhai.

pub mod carry;
pub mod cast;
pub mod character;
pub mod clause;
pub mod conversation;
pub mod edit_error;
pub mod file;
pub mod format;
pub mod heading;
pub mod held;
pub mod picks;
pub mod presence_chart;
pub mod prompt;
pub mod references;
pub mod scene;
pub mod scene_characters;
pub mod sentences;
pub mod setting;
pub mod speech_marks;
pub mod split;
pub mod text;
pub mod visual;
pub mod window;

pub use character::Character;
pub use edit_error::CharacterEditError;
pub use format::Format;
pub use prompt::ComposedPrompt;
pub use scene::Scene;
pub use split::{SplitOptions, SplitStrategy};

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Story {
    pub title: String,
    pub text: String,
    /// Leading style of every prompt ("watercolor, soft light").
    pub style: String,
    /// Trailing style of every prompt ("highly detailed").
    pub suffix: String,
    pub negative: String,
    pub format: Format,
    /// Seed from which every candidate's seed is derived.
    pub seed: u64,
    /// Estimated CLIP tokens past which a prompt warns.
    pub prompt_limit: usize,
    /// What a composed prompt shows of its scene: the picture, or the text as written.
    #[serde(default)]
    pub prompt_from: prompt::PromptFrom,
    pub split: SplitOptions,
    pub scenes: Vec<Scene>,
    pub characters: Vec<Character>,
}

impl Story {
    /// A story split into scenes with the default strategy.
    pub fn new(title: &str, text: &str) -> Self {
        let mut story = Self {
            title: title.trim().to_string(),
            text: text.replace("\r\n", "\n"),
            style: String::new(),
            suffix: String::new(),
            negative: String::new(),
            format: Format::default(),
            seed: stable_hash(title.trim().as_bytes()),
            prompt_limit: 150,
            prompt_from: prompt::PromptFrom::default(),
            split: SplitOptions::default(),
            scenes: Vec::new(),
            characters: Vec::new(),
        };
        story.resplit(SplitOptions::default());
        story.detect_cast();
        story
    }

    /// Finds the characters of the text with every mention (names, epithets, pronouns), keeping
    /// what the user set on characters already known by one of those names.
    pub fn detect_cast(&mut self) {
        let cast = cast::analyze(&self.text);
        for found in cast.characters {
            let mut detected = Character::new(&found.name, "");
            detected.aliases = found.aliases;
            detected.gender = found.gender.as_str().to_string();
            detected.suggested_description = found.suggested_description.unwrap_or_default();
            // An owner named in passing ("the king's castle") is not in the scene.
            detected.mentions = found
                .mentions
                .iter()
                .filter(|m| !m.possessive)
                .map(|m| (m.start, m.end))
                .collect();
            match self.index_known_as(&detected) {
                Some(i) => {
                    let mut mine = std::mem::take(&mut self.characters[i]);
                    mine.mentions.clear();
                    mine.absorb(detected);
                    self.characters[i] = mine;
                }
                None => self.characters.push(detected),
            }
        }
    }

    /// Merges `absorb` into `keep`: one character with both names and all mentions.
    pub fn merge(&mut self, keep: &str, absorb: &str) -> Result<(), CharacterEditError> {
        let k = self
            .character_index(keep)
            .ok_or_else(|| self.unknown_character(keep))?;
        let a = self
            .character_index(absorb)
            .ok_or_else(|| self.unknown_character(absorb))?;
        if k == a {
            return Err(CharacterEditError::AlreadySame {
                keep: keep.to_string(),
                absorb: absorb.to_string(),
            });
        }
        self.fold(k, a);
        Ok(())
    }

    /// Moves character `other` into character `keep`; returns where `keep` is afterwards.
    fn fold(&mut self, keep: usize, other: usize) -> usize {
        let absorbed = self.characters.remove(other);
        let keep = if other < keep { keep - 1 } else { keep };
        self.characters[keep].absorb(absorbed);
        keep
    }

    /// The character known by any of `character`'s names.
    fn index_known_as(&self, character: &Character) -> Option<usize> {
        self.characters
            .iter()
            .position(|c| character.names().any(|n| c.answers_to(n)))
    }

    /// Merges into character `index` every other character that answers to one of its names
    /// (after the user gives it an alias that detection found as a separate character).
    pub fn absorb_namesakes(&mut self, index: usize) {
        let mut i = 0;
        while i < self.characters.len() {
            let same = i != index && {
                let me = &self.characters[index];
                self.characters[i].names().any(|n| me.answers_to(n))
            };
            if same {
                let index = self.fold(index, i);
                return self.absorb_namesakes(index);
            }
            i += 1;
        }
    }

    /// The refusal for a name no character answers to, listing the story's characters.
    pub fn unknown_character(&self, name: &str) -> CharacterEditError {
        CharacterEditError::UnknownCharacter {
            name: name.to_string(),
            known: self.character_names(),
        }
    }

    /// The characters' names as a list for messages ("none yet" when there are none).
    pub fn character_names(&self) -> String {
        let names: Vec<&str> = self.characters.iter().map(|c| c.name.as_str()).collect();
        if names.is_empty() {
            "none yet".to_string()
        } else {
            names.join(", ")
        }
    }

    /// Splits the text again. Scenes whose text is unchanged keep their candidates, pick, prompt,
    /// chosen characters and camera move; returns one line per old scene whose work could not be carried over.
    pub fn resplit(&mut self, opts: SplitOptions) -> Vec<String> {
        let mut scenes: Vec<Scene> = split::split(&self.text, &opts)
            .into_iter()
            .enumerate()
            .map(|(index, span)| Scene {
                index,
                span,
                text: text::normalise_whitespace(&self.text[span.0..span.1]),
                ..Default::default()
            })
            .collect();
        let lost = carry::carry_over(std::mem::take(&mut self.scenes), &mut scenes);
        self.scenes = scenes;
        self.split = opts;
        lost
    }

    pub fn character_index(&self, name: &str) -> Option<usize> {
        self.characters.iter().position(|c| c.answers_to(name))
    }

    /// Adds a character, or updates the one known by that name: what the user gives wins, what
    /// detection found (mentions, other names, gender) is kept. Returns its index.
    pub fn add_character(&mut self, character: Character) -> usize {
        let name = character.name.clone();
        let i = match self.index_known_as(&character) {
            Some(i) => {
                let detected = std::mem::replace(&mut self.characters[i], character);
                self.characters[i].absorb(detected);
                i
            }
            None => {
                self.characters.push(character);
                self.characters.len() - 1
            }
        };
        self.absorb_namesakes(i);
        self.character_index(&name).unwrap_or(i)
    }

    /// Indices of the characters present in a scene: the user's choice for that scene if made,
    /// else those mentioned inside its span (a character detection never found, which has no
    /// mentions, when named in its text).
    pub fn characters_in(&self, scene: usize) -> Vec<usize> {
        let Some(s) = self.scenes.get(scene) else {
            return Vec::new();
        };
        if let Some(names) = &s.characters {
            let mut chosen: Vec<usize> = names
                .iter()
                .filter_map(|n| self.character_index(n))
                .collect();
            chosen.sort_unstable();
            chosen.dedup();
            return chosen;
        }
        self.characters
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                if c.mentions.is_empty() {
                    return c.is_named_in(&s.text);
                }
                c.mentions
                    .iter()
                    .any(|&(a, b)| a >= s.span.0 && b <= s.span.1)
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// The prompt of a scene: the user's override, else the composition.
    pub fn prompt(&self, scene: usize) -> ComposedPrompt {
        let Some(s) = self.scenes.get(scene) else {
            return ComposedPrompt::default();
        };
        if let Some(text) = &s.prompt_override {
            return prompt::overridden(text, self.prompt_limit);
        }
        let shown = self.pictured_scene(scene);
        if shown == scene {
            return self.composed(scene, "");
        }
        if self.scenes[shown].prompt_override.is_some() {
            return self.prompt(shown);
        }
        self.composed(shown, &heading::title(&s.text))
    }

    /// The scene whose picture scene `scene` shows: itself, except that a heading alone
    /// ("CHAPTER I") is a title card over the picture that opens what it heads, and is drawn
    /// with that scene's characters.
    pub fn pictured_scene(&self, scene: usize) -> usize {
        let Some(s) = self.scenes.get(scene) else {
            return scene;
        };
        if self.prompt_from != prompt::PromptFrom::Picture
            || s.prompt_override.is_some()
            || s.characters.is_some()
            || !heading::is_heading(&s.text)
        {
            return scene;
        }
        (scene + 1..self.scenes.len())
            .find(|&j| !heading::is_heading(&self.scenes[j].text))
            .unwrap_or(scene)
    }

    /// The composition of a scene's prompt, its picture opened by `title` where that is not
    /// named in it already.
    fn composed(&self, scene: usize, title: &str) -> ComposedPrompt {
        let s = &self.scenes[scene];
        let present_ids = self.characters_in(scene);
        let present: Vec<&Character> = present_ids
            .iter()
            .map(|&i| &self.characters[i])
            .filter(|c| !c.excluded && !c.description.trim().is_empty())
            .collect();
        let referents: Vec<visual::Referent> = self
            .characters
            .iter()
            .enumerate()
            .map(|(i, c)| visual::Referent {
                name: &c.name,
                mentions: &c.mentions,
                present: present_ids.contains(&i),
                stand_in: c
                    .aliases
                    .iter()
                    .map(String::as_str)
                    .find(|a| a.starts_with("the ") && !a.contains(char::is_uppercase)),
                gender: &c.gender,
            })
            .collect();
        let mut title = title.to_string();
        let mut scene_text = match self.prompt_from {
            prompt::PromptFrom::Picture => {
                // A heading the scene opens with ("CHAPTER I Chiswick Mall", then the chapter's
                // first paragraph) is no picture but its title.
                let span = match heading::leading(&self.text, s.span) {
                    Some((named, rest)) => {
                        title = named;
                        (rest, s.span.1)
                    }
                    None => s.span,
                };
                visual::picture_text(&self.text, span, &referents)
            }
            prompt::PromptFrom::Text => s.text.clone(),
        };
        if !title.is_empty() && !scene_text.to_lowercase().contains(&title.to_lowercase()) {
            scene_text = format!("{title}. {scene_text}");
        }
        let present_names: Vec<&str> = present_ids
            .iter()
            .map(|&i| self.characters[i].name.as_str())
            .collect();
        prompt::compose(&prompt::PromptParts {
            style: &self.style,
            scene_text: &scene_text,
            present: &present_names,
            characters: &present,
            suffix: &self.suffix,
            limit: self.prompt_limit,
        })
    }

    /// The negative prompt of a scene: the story's plus those of the characters present.
    pub fn negative_for(&self, scene: usize) -> String {
        let mut parts = vec![self.negative.trim().to_string()];
        for i in self.characters_in(self.pictured_scene(scene)) {
            let c = &self.characters[i];
            if !c.excluded {
                parts.push(c.negative.trim().to_string());
            }
        }
        parts.retain(|p| !p.is_empty());
        parts.join(", ")
    }

    /// A file-system friendly name for the story's workspace folder.
    pub fn slug(&self) -> String {
        let mut slug = String::new();
        for c in self.title.chars() {
            if c.is_alphanumeric() {
                slug.extend(c.to_lowercase());
            } else if !slug.ends_with('-') && !slug.is_empty() {
                slug.push('-');
            }
        }
        let slug = slug.trim_end_matches('-').to_string();
        if slug.is_empty() {
            "story".into()
        } else {
            slug
        }
    }
}

/// FNV-1a: a hash that never changes between Rust versions, so seeds stay reproducible.
pub fn stable_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_heading_alone_is_a_title_card_over_the_picture_it_opens() {
        let opening = "While the century was young, a coach drove up to the great iron gate of \
                       the academy, and Amelia stepped down from it with her trunk, smiling at \
                       the gardener, who had waited there since the morning for the coach.";
        let mut s = Story::new("T", &format!("CHAPTER I Chiswick Mall\n\n{opening}"));
        s.resplit(SplitOptions {
            max_words: 40,
            ..Default::default()
        });
        assert_eq!(s.scenes.len(), 2, "{:?}", s.scenes);
        let amelia = s.add_character(Character::new("Amelia", "girl in a white bonnet"));
        let title = s.prompt(0).text;
        assert!(
            title.starts_with("Amelia, girl in a white bonnet"),
            "{title}"
        );
        assert!(title.contains("Chiswick Mall. "), "{title}");
        assert!(title.contains("iron gate of the academy"), "{title}");
        assert_eq!(s.pictured_scene(0), 1);
        assert!(s.characters_in(1).contains(&amelia));
        // The user's word for the heading, or the scene it opens, is kept.
        s.scenes[1].prompt_override = Some("a coach at a gate".into());
        assert_eq!(s.prompt(0).text, "a coach at a gate");
        s.scenes[0].prompt_override = Some("a title card".into());
        assert_eq!(s.prompt(0).text, "a title card");
        // The scene's own text, as chosen, stays its text.
        s.scenes[0].prompt_override = None;
        s.prompt_from = prompt::PromptFrom::Text;
        assert_eq!(s.prompt(0).text, "CHAPTER I Chiswick Mall");
        // A heading merged into the scene after it is that scene's title, not its words.
        let s = Story::new(
            "T",
            "CHAPTER I Chiswick Mall\n\nA coach drove up to the gate.",
        );
        assert_eq!(s.scenes.len(), 1);
        assert_eq!(
            s.prompt(0).text,
            "Chiswick Mall. A coach drove up to the gate."
        );
    }

    #[test]
    fn hand_added_characters_join_scenes_that_name_them() {
        let mut s = Story::new("T", "Mime forged a sword.\n\nThe dragon slept in its cave, and the wind howled over the rocks all night long.");
        s.split.min_words = 1;
        s.resplit(SplitOptions {
            min_words: 1,
            ..Default::default()
        });
        let mime = s.add_character(Character::new("Mime", "old dwarf smith"));
        assert!(s.characters_in(0).contains(&mime));
        assert!(!s.characters_in(1).contains(&mime));
        assert!(s.prompt(0).text.starts_with("Mime, old dwarf smith"));
        s.characters[mime].excluded = true;
        assert!(!s.prompt(0).text.contains("dwarf"));
    }

    #[test]
    fn slug_and_seed_are_stable() {
        let s = Story::new("The Myth of the Suns!", "x");
        assert_eq!(s.slug(), "the-myth-of-the-suns");
        assert_eq!(s.seed, stable_hash(b"The Myth of the Suns!"));
    }
}
