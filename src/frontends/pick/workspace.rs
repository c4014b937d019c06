//! The page's view of a workspace: the stories (folders with a `story.json`), their scenes and
//! candidates, and what has been picked. Only names that stay inside the workspace are accepted,
//! and a folder that is half-written (no manifest yet, a broken one, missing images) still shows.

use std::path::{Path, PathBuf};

use crate::file_format::FileError;
use crate::generate::cache::is_address;
use crate::layout::{self, Layout};
use crate::runtime::manifest::{SceneEntry, StoryManifest};
use crate::story::picks::Picks;

pub struct PickWorkspace {
    root: PathBuf,
    layout: Layout,
}

/// One story as the page shows it.
#[derive(Debug, Default)]
pub struct StoryView {
    pub slug: String,
    pub title: String,
    pub scenes: Vec<SceneView>,
    /// The script that made it, to run again for a render.
    pub script: Option<PathBuf>,
    pub workdir: Option<PathBuf>,
    /// The last rendered video, when it is there.
    pub video: Option<PathBuf>,
    /// Why the story cannot be shown in full (a manifest being written, a broken picks file).
    pub problem: Option<String>,
}

#[derive(Debug, Default)]
pub struct SceneView {
    pub index: usize,
    pub text: String,
    pub prompt: String,
    /// Content addresses, in candidate order (`None`: the image is not a file the page knows).
    pub candidates: Vec<Option<String>>,
    pub picked: Option<usize>,
}

impl StoryView {
    pub fn picked_count(&self) -> usize {
        self.scenes.iter().filter(|s| s.picked.is_some()).count()
    }
}

impl PickWorkspace {
    pub fn new(root: &Path) -> std::io::Result<Self> {
        let root = std::fs::canonicalize(root)?;
        // A workspace is a folder: a file given by mistake must not be served as one.
        if !root.is_dir() {
            return Err(std::io::Error::other("it is not a folder"));
        }
        Ok(Self {
            layout: Layout::new(&root),
            root,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// A story's folder, if `slug` names one directly inside the workspace.
    pub fn story_dir(&self, slug: &str) -> Option<PathBuf> {
        let plain = !slug.is_empty()
            && slug != "."
            && slug != ".."
            && !slug.contains(['/', '\\', '\0', ':']);
        if !plain {
            return None;
        }
        let dir = std::fs::canonicalize(self.root.join(slug)).ok()?;
        (dir.parent() == Some(self.root.as_path()) && dir.is_dir()).then_some(dir)
    }

    /// A cached image by its content address.
    pub fn image(&self, address: &str) -> Option<PathBuf> {
        if !is_address(address) {
            return None;
        }
        let path = self.layout.image(address);
        path.is_file().then_some(path)
    }

    /// A file the page may serve: it exists and is inside the workspace once links are resolved.
    pub fn inside(&self, path: &Path) -> Option<PathBuf> {
        let path = std::fs::canonicalize(path).ok()?;
        (path.starts_with(&self.root) && path.is_file()).then_some(path)
    }

    /// Every story of the workspace, by title.
    pub fn stories(&self) -> Vec<StoryView> {
        let mut stories: Vec<StoryView> = self
            .layout
            .story_dirs()
            .iter()
            .filter_map(|dir| self.story(&dir.file_name()?.to_string_lossy()))
            .collect();
        stories.sort_by_key(|s| s.title.to_lowercase());
        stories
    }

    /// One story; `None` when `slug` is not a story folder of this workspace.
    pub fn story(&self, slug: &str) -> Option<StoryView> {
        let dir = self.story_dir(slug)?;
        let mut view = StoryView {
            slug: slug.to_string(),
            title: slug.to_string(),
            ..Default::default()
        };
        let manifest = match StoryManifest::read(&layout::manifest_in(&dir)) {
            Ok(Some(m)) => m,
            // A newer storyreel's manifest: say so, rather than "being written".
            Err(e @ FileError::Newer { .. }) => {
                view.problem = Some(e.to_string());
                return Some(view);
            }
            Err(e) => {
                view.problem = Some(format!("story.json cannot be read yet ({e})"));
                return Some(view);
            }
            Ok(None) => {
                view.problem = Some("no candidates yet (story.json is not written)".into());
                return Some(view);
            }
        };
        if !manifest.title.is_empty() {
            view.title = manifest.title;
        }
        view.script = manifest.script.map(PathBuf::from);
        view.workdir = manifest.workdir.map(PathBuf::from);
        view.video = manifest.video.and_then(|v| self.inside(Path::new(&v.path)));
        view.scenes = scenes_of(&manifest.scenes);
        match Picks::load(&dir) {
            Ok(picks) => apply(&picks, &mut view.scenes),
            Err(e) => view.problem = Some(e.to_string()),
        }
        Some(view)
    }
}

fn scenes_of(scenes: &[SceneEntry]) -> Vec<SceneView> {
    scenes
        .iter()
        .enumerate()
        .map(|(i, s)| SceneView {
            index: s.index.unwrap_or(i),
            text: s.text.clone(),
            prompt: s.prompt.clone(),
            candidates: s
                .candidates
                .iter()
                .map(|a| a.clone().filter(|a| is_address(a)))
                .collect(),
            picked: s.picked,
        })
        .collect()
}

/// A recorded pick (the newest word: it is what the next run restores; else the latest earlier
/// one among the candidates) overrides the manifest's.
fn apply(picks: &Picks, scenes: &mut [SceneView]) {
    for scene in scenes {
        let found = picks.recorded(&scene.text).find_map(|wanted| {
            scene
                .candidates
                .iter()
                .position(|c| c.as_deref() == Some(wanted.as_str()))
        });
        if found.is_some() {
            scene.picked = found;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace() -> (tempfile::TempDir, PickWorkspace) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("ws/tale")).unwrap();
        std::fs::write(dir.path().join("secret.txt"), "no").unwrap();
        let ws = PickWorkspace::new(&dir.path().join("ws")).unwrap();
        (dir, ws)
    }

    #[test]
    fn names_that_leave_the_workspace_are_refused() {
        let (dir, ws) = workspace();
        assert!(ws.story_dir("tale").is_some());
        for bad in [
            "..", ".", "", "../ws", "tale/..", "/etc", "..\\x", "cache/ab",
        ] {
            assert!(ws.story_dir(bad).is_none(), "{bad} accepted");
        }
        assert!(ws.inside(&dir.path().join("secret.txt")).is_none());
        assert!(ws
            .inside(&dir.path().join("ws/tale/../../secret.txt"))
            .is_none());
        assert!(ws.image("../../secret").is_none());
        assert!(
            ws.image(&"A".repeat(64)).is_none(),
            "upper case is not an address"
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path(), dir.path().join("ws/link")).unwrap();
            assert!(
                ws.story_dir("link").is_none(),
                "a link out of the workspace"
            );
        }
    }

    #[test]
    fn a_half_written_story_still_shows() {
        let (_dir, ws) = workspace();
        let tale = ws.root().join("tale");
        // No manifest yet.
        let view = ws.story("tale").unwrap();
        assert!(view.problem.as_deref().unwrap().contains("not written"));
        // A manifest cut short.
        std::fs::write(tale.join("story.json"), "{\"title\": \"Ta").unwrap();
        let view = ws.story("tale").unwrap();
        assert!(view.problem.unwrap().contains("cannot be read yet"));
        assert_eq!(ws.stories().len(), 1);
        // A manifest whose images are not in the cache (yet), and a broken picks file.
        let a = "a".repeat(64);
        let manifest = serde_json::json!({
            "title": "Tale",
            "scenes": [{ "index": 0, "text": "Once.", "prompt": "p", "candidates": [a, null], "picked": null }],
            "video": { "path": "/nowhere.mp4" },
        });
        std::fs::write(tale.join("story.json"), manifest.to_string()).unwrap();
        std::fs::write(tale.join("picks.json"), "{").unwrap();
        let view = ws.story("tale").unwrap();
        assert_eq!(view.title, "Tale");
        assert_eq!(view.scenes[0].candidates.len(), 2);
        assert!(ws.image(&a).is_none());
        assert!(view.video.is_none());
        assert!(view.problem.unwrap().contains("picks.json"));
    }

    #[test]
    fn a_manifest_of_a_newer_storyreel_is_named_on_the_page() {
        let (_dir, ws) = workspace();
        let manifest = serde_json::json!({ "version": 7, "title": "Tale", "scenes": "renamed" });
        std::fs::write(ws.root().join("tale/story.json"), manifest.to_string()).unwrap();
        let problem = ws.story("tale").unwrap().problem.unwrap();
        assert!(
            problem.ends_with("story.json was written by a newer storyreel (format 7); this one reads up to 1 — upgrade storyreel"),
            "{problem}"
        );
    }

    #[test]
    fn recorded_picks_show_over_the_manifest() {
        let (_dir, ws) = workspace();
        let (a, b) = ("a".repeat(64), "b".repeat(64));
        let manifest = serde_json::json!({
            "title": "Tale",
            "scenes": [{ "text": "Once.", "candidates": [a, b], "picked": 0 }],
        });
        std::fs::write(ws.root().join("tale/story.json"), manifest.to_string()).unwrap();
        Picks::update(&ws.root().join("tale"), |p| {
            p.picks.insert("Once.".into(), b.clone());
        })
        .unwrap();
        assert_eq!(ws.story("tale").unwrap().scenes[0].picked, Some(1));
    }
}
