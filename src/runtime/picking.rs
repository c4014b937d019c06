//! Picking a candidate from outside a script (a click in a notebook) runs the very `sc.pick(k)`
//! a script would, so a click and a typed pick do the same things.

use rhai::{Dynamic, Scope};

use super::api::handles::{SceneRef, StoryRef};
use super::display::ImageItem;
use super::errors::{Origin, ScriptError};
use super::Session;

/// A scene's candidates, offered for picking where the front-end can (Jupyter widgets).
#[derive(Clone)]
pub struct PickRow {
    pub scene: SceneRef,
    pub candidates: Vec<ImageItem>,
}

impl PickRow {
    /// The scene's row, with its candidates as they are now; `None` if it has none.
    pub fn of(scene: SceneRef) -> Option<Self> {
        let candidates = {
            let story = scene.story().ok()?;
            story.scenes[scene.index].candidates.clone()
        };
        let candidates: Vec<ImageItem> = candidates
            .into_iter()
            .enumerate()
            .map(|(k, path)| {
                let (width, height) = image::image_dimensions(&path).unwrap_or((0, 0));
                ImageItem {
                    path,
                    width,
                    height,
                    caption: k.to_string(),
                }
            })
            .collect();
        (!candidates.is_empty()).then_some(Self { scene, candidates })
    }

    pub fn index(&self) -> usize {
        self.scene.index
    }

    /// The scene's pick now (a script may have picked since the row was made).
    pub fn picked(&self) -> Option<usize> {
        let story = self.scene.story().ok()?;
        story.scenes[self.scene.index].picked
    }
}

impl PartialEq for PickRow {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.scene.story.0, &other.scene.story.0)
            && self.scene.index == other.scene.index
            && self.candidates == other.candidates
    }
}

impl std::fmt::Debug for PickRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PickRow")
            .field("scene", &self.scene.index)
            .field("candidates", &self.candidates.len())
            .finish()
    }
}

/// The scene, among the stories in `scope`, whose candidates are exactly `images`.
pub fn row_for(scope: &Scope, images: &[ImageItem]) -> Option<PickRow> {
    let paths: Vec<&std::path::Path> = images.iter().map(|i| i.path.as_path()).collect();
    scope.iter_raw().find_map(|(_, _, value)| {
        let story: StoryRef = value.read_lock::<StoryRef>()?.clone();
        let index = story.lock().scenes.iter().position(|sc| {
            !sc.candidates.is_empty()
                && sc
                    .candidates
                    .iter()
                    .map(|p| p.as_path())
                    .eq(paths.iter().copied())
        })?;
        PickRow::of(SceneRef { story, index })
    })
}

impl Session {
    /// Picks candidate `k` of the row's scene, exactly as `sc.pick(k)` in a cell would.
    pub fn pick(&self, row: &PickRow, k: usize) -> Result<(), ScriptError> {
        let mut scope = Scope::new();
        scope.push("sc", Dynamic::from(row.scene.clone()));
        scope.push("k", k as i64);
        let code = "sc.pick(k)";
        let origin = Origin {
            file: "<click>".into(),
            cell_number: 0,
            cell_title: String::new(),
            first_line: 1,
            code: code.into(),
        };
        self.engine()
            .eval_with_scope::<Dynamic>(&mut scope, code)
            .map(drop)
            .map_err(|e| ScriptError::from_eval(&e, &origin, &Default::default()))
    }
}
