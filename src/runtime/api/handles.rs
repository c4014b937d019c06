//! Script-side handles onto the domain: a story shared by every variable that refers to it,
//! and scenes and characters that point back into their story, so `s.scene(2).prompt = "…"`
//! edits the story itself.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::input_file::InputError;
use crate::story::{Character, Story};

#[derive(Clone)]
pub struct StoryRef(pub Arc<Mutex<Story>>);

impl StoryRef {
    pub fn new(story: Story) -> Self {
        Self(Arc::new(Mutex::new(story)))
    }

    pub fn lock(&self) -> MutexGuard<'_, Story> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[derive(Clone)]
pub struct SceneRef {
    pub story: StoryRef,
    pub index: usize,
}

/// A character on its own (from `character(…)`) or one that belongs to a story.
#[derive(Clone)]
pub enum CharacterRef {
    Detached(Arc<Mutex<Character>>),
    InStory { story: StoryRef, name: String },
}

impl CharacterRef {
    /// Reads the character; `None` when it was removed from its story.
    pub fn read<T>(&self, f: impl FnOnce(&Character) -> T) -> Option<T> {
        match self {
            Self::Detached(c) => Some(f(&c.lock().unwrap())),
            Self::InStory { story, name } => {
                let s = story.lock();
                s.character_index(name).map(|i| f(&s.characters[i]))
            }
        }
    }

    pub fn write<T>(&mut self, f: impl FnOnce(&mut Character) -> T) -> Option<T> {
        match self {
            Self::Detached(c) => Some(f(&mut c.lock().unwrap())),
            Self::InStory { story, name } => {
                let mut s = story.lock();
                s.character_index(name).map(|i| f(&mut s.characters[i]))
            }
        }
    }
}

/// An image file with its size.
#[derive(Clone, Debug, PartialEq)]
pub struct ImageRef {
    pub path: PathBuf,
    pub width: u32,
    pub height: u32,
}

/// Why an image file cannot be used; the message is the script error `image(…)` gives.
#[derive(Debug, thiserror::Error)]
pub enum ImageOpenError {
    #[error("image: cannot read \"{}\": {source}", path.display())]
    NotAnImage { path: PathBuf, source: InputError },
    #[error("image: {0}")]
    Unreadable(InputError),
}

impl ImageRef {
    pub fn open(path: PathBuf) -> Result<Self, ImageOpenError> {
        let (width, height) = crate::input_file::image_dimensions(&path).map_err(|e| match e {
            InputError::NotAnImage(_) => ImageOpenError::NotAnImage {
                path: path.clone(),
                source: e,
            },
            _ => ImageOpenError::Unreadable(e),
        })?;
        Ok(Self {
            path,
            width,
            height,
        })
    }
}

impl SceneRef {
    /// The story, checked to still have this scene (a new split may have removed it).
    pub fn story(&self) -> crate::runtime::options::RhaiResult<MutexGuard<'_, Story>> {
        let s = self.story.lock();
        if self.index >= s.scenes.len() {
            return crate::runtime::options::fail(format!(
                "scene {} no longer exists: the story was split again and now has {} scenes",
                self.index,
                s.scenes.len()
            ));
        }
        Ok(s)
    }
}

/// `s.scene[i]`: the indexable twin of `s.scene(i)`, so lookups can be assigned through.
#[derive(Clone)]
pub struct SceneLookup(pub StoryRef);

/// `s.character["Name"]`: the indexable twin of `s.character("Name")`.
#[derive(Clone)]
pub struct CharacterLookup(pub StoryRef);
