//! The user's choice of who is in a scene (`sc.characters = […]`, `sc.add_character(…)`,
//! `sc.remove_character(…)`). A new split carries the choice over with the rest of the scene's work
//! (`carry.rs`).

use super::scene::Scene;
use super::{CharacterEditError, Story};

impl Story {
    /// Puts exactly these characters (names or aliases) in scene `scene`, whatever detection found.
    pub fn set_scene_characters(
        &mut self,
        scene: usize,
        names: &[String],
    ) -> Result<(), CharacterEditError> {
        let mut chosen: Vec<String> = Vec::new();
        for name in names {
            let i = self
                .character_index(name)
                .ok_or_else(|| self.unknown_character(name))?;
            let canonical = &self.characters[i].name;
            if !chosen.contains(canonical) {
                chosen.push(canonical.clone());
            }
        }
        self.scene_mut(scene)?.characters = Some(chosen);
        Ok(())
    }

    /// Adds a character to the scene's characters (detected or chosen before).
    pub fn add_scene_character(
        &mut self,
        scene: usize,
        name: &str,
    ) -> Result<(), CharacterEditError> {
        let mut names = self.scene_character_names(scene);
        names.push(name.to_string());
        self.set_scene_characters(scene, &names)
    }

    /// Takes a character out of the scene's characters (detected or chosen before).
    pub fn remove_scene_character(
        &mut self,
        scene: usize,
        name: &str,
    ) -> Result<(), CharacterEditError> {
        let i = self
            .character_index(name)
            .ok_or_else(|| self.unknown_character(name))?;
        let gone = self.characters[i].name.clone();
        let names: Vec<String> = self
            .scene_character_names(scene)
            .into_iter()
            .filter(|n| *n != gone)
            .collect();
        self.set_scene_characters(scene, &names)
    }

    fn scene_character_names(&self, scene: usize) -> Vec<String> {
        self.characters_in(scene)
            .into_iter()
            .map(|i| self.characters[i].name.clone())
            .collect()
    }

    fn scene_mut(&mut self, scene: usize) -> Result<&mut Scene, CharacterEditError> {
        let count = self.scenes.len();
        self.scenes
            .get_mut(scene)
            .ok_or(CharacterEditError::UnknownScene { scene, count })
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Character, SplitOptions};
    use super::*;

    #[test]
    fn a_refused_edit_says_which_kind_and_changes_nothing() {
        let mut s = Story::new("T", "Mime forged a sword.\n\nThe dragon slept on gold.");
        s.resplit(SplitOptions {
            min_words: 1,
            ..Default::default()
        });
        s.add_character(Character::new("Mime", "old dwarf smith"));
        let before = s.clone();

        let e = s.add_scene_character(0, "Mimi").unwrap_err();
        assert_eq!(
            e,
            CharacterEditError::UnknownCharacter {
                name: "Mimi".into(),
                known: s.character_names()
            }
        );
        let said = e.to_string();
        assert!(
            said.starts_with("no character named \"Mimi\"; the story has: ")
                && said.contains("Mime"),
            "{said}"
        );
        let e = s.add_scene_character(9, "Mime").unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("no scene 9; the story has {} scenes", s.scenes.len())
        );
        assert!(matches!(
            s.merge("Mime", "mime"),
            Err(CharacterEditError::AlreadySame { .. })
        ));
        assert_eq!(s, before);
    }
}
