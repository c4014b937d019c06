//! The cast's word lists, kept as data in `data/*.txt` and read at compile time, so that tuning
//! against the development set is editing a list, not code. A line holds a word, optionally
//! followed by a value (a gender, a singular, a formal name); `#` starts a comment line.

use std::collections::HashMap;
use std::sync::OnceLock;

/// A list from one data file, parsed on first use.
pub(crate) struct WordList {
    source: &'static str,
    map: OnceLock<HashMap<&'static str, &'static str>>,
}

impl WordList {
    const fn new(source: &'static str) -> Self {
        WordList {
            source,
            map: OnceLock::new(),
        }
    }

    fn map(&self) -> &HashMap<&'static str, &'static str> {
        self.map.get_or_init(|| {
            self.source
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(|l| match l.split_once(char::is_whitespace) {
                    Some((w, v)) => (w, v.trim()),
                    None => (l, ""),
                })
                .collect()
        })
    }

    pub fn contains(&self, word: &str) -> bool {
        self.map().contains_key(word)
    }

    /// The value written after `word`.
    pub fn get(&self, word: &str) -> Option<&'static str> {
        self.map().get(word).copied()
    }
}

macro_rules! lists {
    ($($name:ident: $file:literal),* $(,)?) => {
        $(pub(crate) static $name: WordList = WordList::new(include_str!(concat!("data/", $file)));)*
        #[cfg(test)]
        pub(crate) static ALL: &[(&str, &WordList)] = &[$(($file, &$name)),*];
    };
}

lists! {
    ABBREVIATIONS: "abbreviations.txt",
    ANIMAL_KINDS: "animal_kinds.txt",
    ANIMALS: "animals.txt",
    CHARACTER_NOUNS: "character_nouns.txt",
    COMMON_PERSON_NOUNS: "common_person_nouns.txt",
    CONTRASTIVE_ADJECTIVES: "contrastive_adjectives.txt",
    ELLIPTIC_ADJECTIVES: "elliptic_adjectives.txt",
    FIRST_NAMES: "first_names.txt",
    FUNCTION_WORDS: "function_words.txt",
    GENERIC_ROLE_NOUNS: "generic_role_nouns.txt",
    HOUSEHOLD_KIN: "household_kin.txt",
    HONORIFICS: "honorifics.txt",
    IRREGULAR_PLURALS: "irregular_plurals.txt",
    IRREGULAR_VERBS: "irregular_verbs.txt",
    KIN_NOUNS: "kin_nouns.txt",
    KIN_TITLES: "kin_titles.txt",
    KNOWN_PLACES: "known_places.txt",
    NAME_PARTICLES: "name_particles.txt",
    NAMING_VERBS: "naming_verbs.txt",
    NEVER_NAMES: "never_names.txt",
    NICKNAMES: "nicknames.txt",
    PHRASE_ADJECTIVES: "phrase_adjectives.txt",
    PLACE_PREPOSITIONS: "place_prepositions.txt",
    PLAIN_CHILD_NOUNS: "plain_child_nouns.txt",
    PLACE_WORDS: "place_words.txt",
    PREDICATIVE_WORDS: "predicative_words.txt",
    ROLE_NOUNS: "role_nouns.txt",
    ROYAL_TITLES: "royal_titles.txt",
    RULER_TITLES: "ruler_titles.txt",
    SPEECH_VERBS: "speech_verbs.txt",
    TRANSFORMATION_VERBS: "transformation_verbs.txt",
    VISUAL_NOUNS: "visual_nouns.txt",
}

/// A gender written in a list.
pub(crate) fn gender(value: &str) -> super::model::Gender {
    use super::model::Gender;
    match value {
        "male" => Gender::Male,
        "female" => Gender::Female,
        _ => Gender::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_list_is_lowercase_words_with_known_values() {
        for (file, list) in ALL {
            assert!(!list.map().is_empty(), "{file} is empty");
            for (word, value) in list.map() {
                assert_eq!(*word, word.to_lowercase(), "{file}: {word}");
                let gendered = matches!(
                    *file,
                    "honorifics.txt" | "character_nouns.txt" | "first_names.txt"
                );
                if gendered {
                    assert!(
                        matches!(*value, "male" | "female" | "unknown"),
                        "{file}: {word} {value}"
                    );
                }
            }
        }
    }
}
