//! `picks.json` in a story's folder: which candidate (by its content address) was chosen for
//! which scene (by its text), and the user's prompts. Picks made anywhere (a script, the REPL, a
//! notebook, the pick page) land here and come back on the next run, so they survive re-runs
//! and re-splits.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::Story;

pub const FILE: &str = "picks.json";

#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Picks {
    /// Scene text → the chosen candidate's content address.
    #[serde(default)]
    pub picks: BTreeMap<String, String>,
    /// Scene text → the user's own prompt for it.
    #[serde(default)]
    pub prompts: BTreeMap<String, String>,
}

/// What `restore` brought back.
#[derive(Debug, Default, PartialEq)]
pub struct Restored {
    pub picks: usize,
    pub prompts: usize,
}

pub fn path_in(story_dir: &Path) -> PathBuf {
    story_dir.join(FILE)
}

impl Picks {
    /// The picks in a story folder; none when the file does not exist yet.
    pub fn load(story_dir: &Path) -> Result<Picks, String> {
        let path = path_in(story_dir);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| format!("{} is not a valid picks file: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Picks::default()),
            Err(e) => Err(format!("cannot read {}: {e}", path.display())),
        }
    }

    /// Writes through a temporary file renamed into place, so a reader never sees half of it.
    pub fn save(&self, story_dir: &Path) -> Result<(), String> {
        let fail =
            |e: std::io::Error| format!("cannot write {}: {e}", path_in(story_dir).display());
        std::fs::create_dir_all(story_dir).map_err(fail)?;
        let mut tmp = tempfile::NamedTempFile::new_in(story_dir).map_err(fail)?;
        let json = serde_json::to_vec_pretty(self).expect("maps of strings always serialise");
        tmp.write_all(&json).map_err(fail)?;
        tmp.persist(path_in(story_dir)).map_err(|e| fail(e.error))?;
        Ok(())
    }

    /// Loads, changes and saves the picks of a story folder; writers in this process take turns
    /// so that two picks at once both land.
    pub fn update(story_dir: &Path, change: impl FnOnce(&mut Picks)) -> Result<(), String> {
        static TURN: Mutex<()> = Mutex::new(());
        let _turn = TURN.lock().unwrap_or_else(|p| p.into_inner());
        let mut picks = Picks::load(story_dir)?;
        let before = picks.clone();
        change(&mut picks);
        if picks == before {
            return Ok(());
        }
        picks.save(story_dir)
    }

    /// Records that the scene with `text` shows the image at `address`.
    pub fn choose(&mut self, text: &str, address: &str) {
        self.picks.insert(text.to_string(), address.to_string());
    }

    /// Records scene `index`'s pick (by the address of its image) and its prompt.
    pub fn record_scene(&mut self, story: &Story, index: usize, address: Option<String>) {
        let Some(scene) = story.scenes.get(index) else {
            return;
        };
        if let Some(address) = address {
            self.choose(&scene.text, &address);
        }
        match &scene.prompt_override {
            Some(p) => self.prompts.insert(scene.text.clone(), p.clone()),
            None => self.prompts.remove(&scene.text),
        };
    }

    /// Gives scenes without a pick the recorded one, where the scene text and the candidate
    /// still exist, and scenes without a prompt of the user's the recorded one.
    /// `address_of` names a candidate file's content address.
    pub fn restore(
        &self,
        story: &mut Story,
        address_of: impl Fn(&Path) -> Option<String>,
    ) -> Restored {
        let mut restored = Restored::default();
        for scene in &mut story.scenes {
            if scene.prompt_override.is_none() {
                if let Some(p) = self.prompts.get(&scene.text) {
                    scene.prompt_override = Some(p.clone());
                    restored.prompts += 1;
                }
            }
            if scene.picked.is_some() {
                continue;
            }
            let Some(wanted) = self.picks.get(&scene.text) else {
                continue;
            };
            if let Some(k) = scene
                .candidates
                .iter()
                .position(|c| address_of(c).as_deref() == Some(wanted.as_str()))
            {
                scene.picked = Some(k);
                restored.picks += 1;
            }
        }
        restored
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::story::SplitOptions;

    fn story() -> Story {
        let mut s = Story::new("T", "Mime forged a sword.\n\nThe dragon slept on gold.");
        s.resplit(SplitOptions {
            min_words: 1,
            ..Default::default()
        });
        for (i, scene) in s.scenes.iter_mut().enumerate() {
            scene.candidates = (0..3).map(|k| format!("c{i}{k}.png").into()).collect();
        }
        s
    }

    fn address(p: &Path) -> Option<String> {
        Some(p.file_stem()?.to_string_lossy().to_string())
    }

    #[test]
    fn a_recorded_pick_comes_back_by_text_and_address() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = story();
        s.scenes[1].picked = Some(2);
        s.scenes[1].prompt_override = Some("a red dragon".into());
        Picks::update(dir.path(), |p| p.record_scene(&s, 1, Some("c12".into()))).unwrap();

        let mut again = story();
        let restored = Picks::load(dir.path())
            .unwrap()
            .restore(&mut again, address);
        assert_eq!(
            restored,
            Restored {
                picks: 1,
                prompts: 1
            }
        );
        assert_eq!(again.scenes[1].picked, Some(2));
        assert_eq!(
            again.scenes[1].prompt_override.as_deref(),
            Some("a red dragon")
        );
        assert_eq!(again.scenes[0].picked, None);
    }

    #[test]
    fn a_pick_already_made_wins_and_a_vanished_candidate_is_not_restored() {
        let dir = tempfile::tempdir().unwrap();
        let s = story();
        Picks::update(dir.path(), |p| {
            p.record_scene(&s, 0, Some("c02".into()));
            p.record_scene(&s, 1, Some("gone".into()));
        })
        .unwrap();
        let mut again = story();
        again.scenes[0].picked = Some(1);
        let restored = Picks::load(dir.path())
            .unwrap()
            .restore(&mut again, address);
        assert_eq!(restored.picks, 0);
        assert_eq!(again.scenes[0].picked, Some(1));
        assert_eq!(again.scenes[1].picked, None);
    }

    #[test]
    fn a_broken_file_is_an_error_naming_it_and_no_file_is_no_picks() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Picks::load(dir.path()).unwrap(), Picks::default());
        std::fs::write(path_in(dir.path()), "{ half").unwrap();
        let e = Picks::load(dir.path()).unwrap_err();
        assert!(e.contains("picks.json"), "{e}");
    }
}
