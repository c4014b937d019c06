//! Where a workspace keeps what storyreel makes, in one place, so no path is rebuilt by hand:
//!
//! ```text
//! <root>/<story slug>/story.json   the story manifest (runtime::manifest)
//! <root>/<story slug>/picks.json   the picks (story::picks)
//! <root>/<story slug>/…            the videos and subtitles rendered
//! <root>/cache/<2 hex>/<key>.png   an image, and <key>.json its sidecar (generate::cache)
//! <root>/cache/voices, cache/speech, cache/servers   voices, spoken lines, servers' lists
//! <root>/display                   sheets and charts made to be shown
//! <root>/thumbs/<size>/<2 hex>/<key>.jpg             the pick page's thumbnails
//! ```

use std::path::{Path, PathBuf};

/// The story manifest's name in a story folder.
pub const MANIFEST: &str = "story.json";
/// The picks' name in a story folder.
pub const PICKS: &str = "picks.json";

/// The paths of one workspace.
#[derive(Clone, Debug)]
pub struct Layout {
    root: PathBuf,
}

impl Layout {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A story's folder: its manifest, picks and renders.
    pub fn story_dir(&self, slug: &str) -> PathBuf {
        self.root.join(slug)
    }

    pub fn manifest(&self, slug: &str) -> PathBuf {
        manifest_in(&self.story_dir(slug))
    }

    pub fn picks(&self, slug: &str) -> PathBuf {
        picks_in(&self.story_dir(slug))
    }

    /// The image cache (see [`cached_image`]).
    pub fn cache_dir(&self) -> PathBuf {
        self.root.join("cache")
    }

    /// Downloaded voices.
    pub fn voices_dir(&self) -> PathBuf {
        self.cache_dir().join("voices")
    }

    /// Spoken lines, by what was said and how.
    pub fn speech_dir(&self) -> PathBuf {
        self.cache_dir().join("speech")
    }

    /// Sheets and charts made to be shown.
    pub fn display_dir(&self) -> PathBuf {
        self.root.join("display")
    }

    /// The cached image with content address `key`.
    pub fn image(&self, key: &str) -> PathBuf {
        cached_image(&self.cache_dir(), key)
    }

    /// The pick page's thumbnail of size `size` of the image `key`.
    pub fn thumbnail(&self, size: &str, key: &str) -> PathBuf {
        self.root
            .join("thumbs")
            .join(size)
            .join(fan_out(key))
            .join(format!("{key}.jpg"))
    }

    /// The folders directly inside the workspace that hold a story manifest.
    pub fn story_dirs(&self) -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(&self.root) else {
            return Vec::new();
        };
        entries
            .flatten()
            .map(|e| e.path())
            .filter(|dir| manifest_in(dir).exists())
            .collect()
    }
}

pub fn manifest_in(story_dir: &Path) -> PathBuf {
    story_dir.join(MANIFEST)
}

pub fn picks_in(story_dir: &Path) -> PathBuf {
    story_dir.join(PICKS)
}

/// `<cache>/<2 hex>/<key>.png`: images are spread over 256 folders by the first two characters
/// of their key, so no folder grows too long to list.
pub fn cached_image(cache_dir: &Path, key: &str) -> PathBuf {
    cache_dir.join(fan_out(key)).join(format!("{key}.png"))
}

/// The sidecar of a cached image: what it was made from (`<cache>/<2 hex>/<key>.json`).
pub fn cached_sidecar(cache_dir: &Path, key: &str) -> PathBuf {
    cache_dir.join(fan_out(key)).join(format!("{key}.json"))
}

/// The cache folder holding a cached image, from the image's path.
pub fn cache_of(image: &Path) -> Option<&Path> {
    image.parent()?.parent()
}

fn fan_out(key: &str) -> &str {
    key.get(..2).unwrap_or(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_image_its_sidecar_and_its_cache_are_found_from_one_another() {
        let ws = Layout::new("/ws");
        let key = "ab".repeat(32);
        let png = ws.image(&key);
        assert_eq!(png, Path::new("/ws/cache/ab").join(format!("{key}.png")));
        assert_eq!(cache_of(&png), Some(Path::new("/ws/cache")));
        assert_eq!(
            cached_sidecar(cache_of(&png).unwrap(), &key),
            png.with_extension("json")
        );
        assert_eq!(ws.manifest("tale"), Path::new("/ws/tale/story.json"));
        assert_eq!(ws.picks("tale"), Path::new("/ws/tale/picks.json"));
    }
}
