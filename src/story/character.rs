//! A character of the story: described once, injected into every scene it appears in.

use std::path::PathBuf;

#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Character {
    pub name: String,
    /// Other names, epithets and spellings that refer to the same character.
    pub aliases: Vec<String>,
    /// The visual description injected into prompts of scenes the character is in.
    pub description: String,
    /// Extra negative prompt for scenes with this character.
    pub negative: String,
    /// Seed used when this character dominates a scene.
    pub seed: Option<u64>,
    /// Reference image for IP-Adapter style identity transfer.
    pub reference: Option<PathBuf>,
    /// LoRA as `name:weight`.
    pub lora: Option<String>,
    /// The voice that reads this character's quoted speech ("piper:en_US-ryan-medium",
    /// "espeak:en-gb", …); `None` leaves it to the narrator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice: Option<String>,
    /// Excluded characters are kept in the cast but left out of prompts.
    pub excluded: bool,
    /// "male", "female", "neuter", "plural" or "unknown", as cast detection inferred it.
    pub gender: String,
    /// Descriptors found in the text ("her long golden hair"), offered as a description.
    pub suggested_description: String,
    /// Where the story mentions this character (names, epithets, pronouns), as byte spans.
    #[serde(skip)]
    pub mentions: Vec<(usize, usize)>,
}

impl Character {
    pub fn new(name: &str, description: &str) -> Self {
        Self {
            name: name.trim().to_string(),
            description: description.trim().to_string(),
            gender: "unknown".into(),
            ..Default::default()
        }
    }

    /// Takes another character's names and mentions into this one (for merges).
    pub fn absorb(&mut self, other: Character) {
        for name in std::iter::once(other.name).chain(other.aliases) {
            if !self.answers_to(&name) {
                self.aliases.push(name);
            }
        }
        self.mentions.extend(other.mentions);
        self.mentions.sort_unstable();
        self.mentions.dedup();
        if self.description.is_empty() {
            self.description = other.description;
        }
        if self.suggested_description.is_empty() {
            self.suggested_description = other.suggested_description;
        }
        if self.gender == "unknown" || self.gender.is_empty() {
            self.gender = other.gender;
        }
        self.seed = self.seed.or(other.seed);
        self.reference = self.reference.take().or(other.reference);
        self.lora = self.lora.take().or(other.lora);
        self.voice = self.voice.take().or(other.voice);
    }

    /// The name followed by the aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// Whether `name` is this character's name or one of its aliases (case-insensitive).
    pub fn answers_to(&self, name: &str) -> bool {
        let name = name.trim();
        self.names().any(|n| n.eq_ignore_ascii_case(name))
    }

    /// Whether the name or an alias occurs in `text` as whole words.
    pub fn is_named_in(&self, text: &str) -> bool {
        self.names()
            .filter(|n| !n.is_empty())
            .any(|n| contains_words(text, n))
    }
}

/// Finds `needle` in `haystack` with word boundaries on both sides (case-insensitive).
pub fn contains_words(haystack: &str, needle: &str) -> bool {
    let hay = haystack.to_lowercase();
    let needle = needle.to_lowercase();
    let mut from = 0;
    while let Some(pos) = hay[from..].find(&needle) {
        let start = from + pos;
        let end = start + needle.len();
        let before = hay[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after = hay[end..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        if before && after {
            return true;
        }
        from = start + needle.chars().next().map_or(1, char::len_utf8);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_whole_words_only() {
        let mut c = Character::new("Mime", "a dwarf smith");
        assert!(c.is_named_in("Then Mime forged a sword."));
        assert!(!c.is_named_in("The mimesis of art."));
        c.aliases.push("the smith".into());
        assert!(c.is_named_in("The smith laughed."));
        assert!(c.answers_to("THE SMITH"));
    }
}
