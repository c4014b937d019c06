//! `picks.json` in a story's folder: which candidate (by its content address) was chosen for
//! which scene (by its text), the picks made before it, and the user's prompts. Picks made
//! anywhere (a script, the REPL, a notebook, the pick page) land here and come back on the next
//! run, so they survive re-runs and re-splits; an earlier pick comes back with the style or
//! description it was made under.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::Story;
use crate::file_format::{FileError, Format};
use crate::layout;

pub use layout::PICKS as FILE;

/// Format 1 added `version`; format 0 (no version) has the same fields.
pub const FORMAT: Format = Format {
    what: "picks file",
    version: 1,
};

#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Picks {
    /// The format it was read in (written in [`FORMAT`]'s).
    #[serde(default)]
    pub version: u32,
    /// Scene text → the chosen candidate's content address.
    #[serde(default)]
    pub picks: BTreeMap<String, String>,
    /// Scene text → the picks it had before the current one, latest first: going back to an
    /// earlier style brings back the pick made under it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub earlier: BTreeMap<String, Vec<String>>,
    /// Scene text → the user's own prompt for it.
    #[serde(default)]
    pub prompts: BTreeMap<String, String>,
}

/// Earlier picks kept per scene text.
const EARLIER_KEPT: usize = 32;

/// What `restore` brought back, and the scenes whose pick it could not.
#[derive(Debug, Default, PartialEq)]
pub struct Restored {
    pub picks: usize,
    pub prompts: usize,
    pub not_carried: Vec<NotCarried>,
}

/// A scene with candidates but no pick, where one was made before.
#[derive(Debug, PartialEq)]
pub struct NotCarried {
    pub scene: usize,
    pub why: Lost,
}

#[derive(Debug, PartialEq)]
pub enum Lost {
    /// A pick is recorded for the scene's text, but none of its candidates is the picked image
    /// (or an earlier pick): they were made from another prompt or other settings.
    OtherCandidates { recorded: String },
    /// No pick is recorded for this text, but one is for a text much like it that no scene has
    /// any more: the scene's text was edited.
    TextChanged { recorded_text: String },
}

pub fn path_in(story_dir: &Path) -> PathBuf {
    layout::picks_in(story_dir)
}

impl Picks {
    /// The picks in a story folder; none when the file does not exist yet.
    pub fn load(story_dir: &Path) -> Result<Picks, FileError> {
        Ok(FORMAT.read(&path_in(story_dir))?.unwrap_or_default())
    }

    /// Writes through a temporary file renamed into place, so a reader never sees half of it.
    pub fn save(&self, story_dir: &Path) -> Result<(), FileError> {
        let fail = |source: std::io::Error| FileError::Write {
            path: path_in(story_dir),
            source,
        };
        std::fs::create_dir_all(story_dir).map_err(fail)?;
        let mut tmp = tempfile::NamedTempFile::new_in(story_dir).map_err(fail)?;
        let stamped = Picks {
            version: FORMAT.version,
            ..self.clone()
        };
        let json = serde_json::to_vec_pretty(&stamped).expect("maps of strings always serialise");
        tmp.write_all(&json).map_err(fail)?;
        tmp.persist(path_in(story_dir)).map_err(|e| fail(e.error))?;
        Ok(())
    }

    /// Loads, changes and saves the picks of a story folder; writers in this process take turns
    /// so that two picks at once both land. A file of a newer storyreel is left as it is.
    pub fn update(story_dir: &Path, change: impl FnOnce(&mut Picks)) -> Result<(), FileError> {
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

    /// Records that the scene with `text` shows the image at `address`; the pick it replaces
    /// is kept among the earlier ones.
    pub fn choose(&mut self, text: &str, address: &str) {
        let replaced = self.picks.insert(text.to_string(), address.to_string());
        let earlier = self.earlier.entry(text.to_string()).or_default();
        earlier.retain(|a| a != address);
        if let Some(old) = replaced.filter(|old| old != address) {
            earlier.retain(|a| *a != old);
            earlier.insert(0, old);
            earlier.truncate(EARLIER_KEPT);
        }
        if earlier.is_empty() {
            self.earlier.remove(text);
        }
    }

    /// The picks recorded for a scene text, the current one first.
    pub fn recorded(&self, text: &str) -> impl Iterator<Item = &String> {
        self.picks
            .get(text)
            .into_iter()
            .chain(self.earlier.get(text).into_iter().flatten())
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

    /// Gives scenes without a pick the recorded one (else the latest earlier one) that is among
    /// its candidates, and scenes without a prompt of the user's the recorded one; names the
    /// scenes with candidates but no pick where one was made before. `address_of` names a
    /// candidate file's content address.
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
            if scene.picked.is_some() || scene.candidates.is_empty() {
                continue;
            }
            let Some(current) = self.picks.get(&scene.text) else {
                continue;
            };
            let addresses: Vec<Option<String>> =
                scene.candidates.iter().map(|c| address_of(c)).collect();
            let found = self.recorded(&scene.text).find_map(|wanted| {
                addresses
                    .iter()
                    .position(|a| a.as_deref() == Some(wanted.as_str()))
            });
            match found {
                Some(k) => {
                    scene.picked = Some(k);
                    restored.picks += 1;
                }
                None => restored.not_carried.push(NotCarried {
                    scene: scene.index,
                    why: Lost::OtherCandidates {
                        recorded: current.clone(),
                    },
                }),
            }
        }
        restored.not_carried.extend(self.edited_texts(story));
        restored.not_carried.sort_by_key(|n| n.scene);
        restored
    }

    /// Scenes with candidates, no pick and no pick recorded for their text, whose text is much
    /// like a recorded one that no scene has any more (each recorded text named once).
    fn edited_texts(&self, story: &Story) -> Vec<NotCarried> {
        let live: std::collections::HashSet<&str> =
            story.scenes.iter().map(|s| s.text.as_str()).collect();
        let mut orphans: Vec<&String> = self
            .picks
            .keys()
            .filter(|t| !live.contains(t.as_str()))
            .collect();
        let mut found = Vec::new();
        for scene in &story.scenes {
            if scene.picked.is_some()
                || scene.candidates.is_empty()
                || self.picks.contains_key(&scene.text)
            {
                continue;
            }
            let best = orphans
                .iter()
                .enumerate()
                .map(|(i, t)| (likeness(t, &scene.text), i))
                .filter(|&(l, _)| l >= 0.5)
                .max_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((_, i)) = best {
                found.push(NotCarried {
                    scene: scene.index,
                    why: Lost::TextChanged {
                        recorded_text: orphans.remove(i).clone(),
                    },
                });
            }
        }
        found
    }
}

/// How much of the shorter text's words the other shares, 0 to 1 (case and punctuation aside):
/// an edited sentence still shares most of its words with what it was.
fn likeness(a: &str, b: &str) -> f64 {
    let words = |t: &str| -> std::collections::HashSet<String> {
        t.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let (a, b) = (words(a), words(b));
    let shorter = a.len().min(b.len());
    if shorter == 0 {
        return 0.0;
    }
    a.intersection(&b).count() as f64 / shorter as f64
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
                prompts: 1,
                not_carried: Vec::new(),
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
        assert_eq!(
            restored.not_carried,
            [NotCarried {
                scene: 1,
                why: Lost::OtherCandidates {
                    recorded: "gone".into()
                }
            }]
        );
    }

    #[test]
    fn an_earlier_pick_comes_back_with_its_candidates() {
        let mut p = Picks::default();
        let text = "The dragon slept on gold.";
        p.choose(text, "c11"); // under the first style
        p.choose(text, "new2"); // under a second style
        p.choose(text, "new2");
        assert_eq!(p.recorded(text).collect::<Vec<_>>(), ["new2", "c11"]);
        // Back to the first style: its candidates (c10, c11, c12) are back, and so is the pick.
        let mut again = story();
        let restored = p.restore(&mut again, address);
        assert_eq!(again.scenes[1].picked, Some(1));
        assert!(restored.not_carried.is_empty());
        // Picking the first again makes it current, the second earlier.
        p.choose(text, "c11");
        assert_eq!(p.recorded(text).collect::<Vec<_>>(), ["c11", "new2"]);
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<Picks>(&json).unwrap(), p);
    }

    #[test]
    fn an_edited_text_is_named_with_what_it_was() {
        let mut p = Picks::default();
        p.choose("The dragon slept on its gold.", "x");
        p.choose("A text from long ago about something else.", "y");
        let mut s = story();
        let restored = p.restore(&mut s, address);
        assert_eq!(
            restored.not_carried,
            [NotCarried {
                scene: 1,
                why: Lost::TextChanged {
                    recorded_text: "The dragon slept on its gold.".into()
                }
            }]
        );
        // A file written before earlier picks were kept still reads.
        let old: Picks = serde_json::from_str(r#"{"picks": {"a": "b"}, "prompts": {}}"#).unwrap();
        assert_eq!(old.recorded("a").collect::<Vec<_>>(), ["b"]);
    }

    #[test]
    fn a_broken_file_is_an_error_naming_it_and_no_file_is_no_picks() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Picks::load(dir.path()).unwrap(), Picks::default());
        std::fs::write(path_in(dir.path()), "{ half").unwrap();
        let e = Picks::load(dir.path()).unwrap_err().to_string();
        assert!(e.contains("picks.json"), "{e}");
    }

    #[test]
    fn picks_read_back_as_saved_and_a_newer_file_is_refused_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let mut p = Picks::default();
        p.choose("Once.", "a");
        p.choose("Once.", "b");
        p.prompts.insert("Once.".into(), "a fox".into());
        p.save(dir.path()).unwrap();
        let back = Picks::load(dir.path()).unwrap();
        assert_eq!(back.version, FORMAT.version);
        assert_eq!(Picks { version: 0, ..back }, p);

        let newer = r#"{"version": 99, "picks": {}, "chosen": {"Once.": "c"}}"#;
        std::fs::write(path_in(dir.path()), newer).unwrap();
        let e = Picks::update(dir.path(), |p| p.choose("Once.", "d")).unwrap_err();
        assert!(matches!(e, FileError::Newer { found: 99, .. }), "{e}");
        assert!(
            e.to_string().contains(
                "picks.json was written by a newer storyreel (format 99); this one reads up to 1"
            ),
            "{e}"
        );
        assert_eq!(std::fs::read_to_string(path_in(dir.path())).unwrap(), newer);
    }
}
