//! What every primitive may need from the session: the display, the workspace, where relative
//! paths resolve, and the interrupt flag.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::display::Display;
use super::workspace::Workspace;

pub struct Context {
    pub display: Arc<dyn Display>,
    pub workspace: Workspace,
    pub interrupt: Arc<AtomicBool>,
    pub generation: super::generation::SharedGeneration,
    /// Files shown during the running cell, so a cell's value is not shown a second time.
    pub shown_files: Mutex<Vec<PathBuf>>,
    /// In check mode (`storyreel run --check`), what the real run would do.
    pub check: Mutex<Option<super::check::CheckReport>>,
    /// Images that failed in this session's batches (not cancelled ones): an unattended
    /// run that lost images must say so in its exit status.
    pub failed_images: AtomicUsize,
    script_dir: Mutex<Option<PathBuf>>,
    /// The script being run and the folder it was run from, named in the story's manifest so
    /// that the pick page can run it again.
    script: Mutex<(Option<PathBuf>, Option<PathBuf>)>,
}

impl Context {
    pub fn new(display: Arc<dyn Display>, workspace: Workspace) -> Self {
        Self {
            display,
            workspace,
            interrupt: Arc::new(AtomicBool::new(false)),
            generation: Default::default(),
            shown_files: Mutex::new(Vec::new()),
            check: Mutex::new(None),
            failed_images: AtomicUsize::new(0),
            script_dir: Mutex::new(None),
            script: Mutex::default(),
        }
    }

    pub fn set_script_dir(&self, dir: Option<PathBuf>) {
        *self.script_dir.lock().unwrap() = dir;
    }

    /// Remembers the script file being run, and the current folder it runs from.
    pub fn set_script(&self, script: Option<PathBuf>) {
        let cwd = script.as_ref().and_then(|_| std::env::current_dir().ok());
        *self.script.lock().unwrap() = (script, cwd);
    }

    /// The script being run and the folder it runs from, when known.
    pub fn script(&self) -> (Option<PathBuf>, Option<PathBuf>) {
        self.script.lock().unwrap().clone()
    }

    /// Whether the session only checks the script (draft images, quick renders).
    pub fn checking(&self) -> bool {
        self.check.lock().unwrap().is_some()
    }

    /// Notes something in the check report; nothing outside check mode.
    pub fn note_check(&self, f: impl FnOnce(&mut super::check::CheckReport)) {
        if let Some(report) = self.check.lock().unwrap().as_mut() {
            f(report);
        }
    }

    pub fn interrupted(&self) -> bool {
        self.interrupt.load(Ordering::Relaxed)
    }

    pub fn warn(&self, message: &str) {
        self.display.stderr(&format!("warning: {message}\n"));
    }

    /// Resolves a user's path: as given when absolute, else next to the script, else from the
    /// current directory. The error lists every place looked at.
    pub fn resolve(&self, path: &str) -> Result<PathBuf, FileNotFound> {
        let given = Path::new(path);
        let mut tried = Vec::new();
        if !given.is_absolute() {
            if let Some(dir) = self.script_dir.lock().unwrap().as_ref() {
                tried.push(dir.join(given));
            }
        }
        // A script run from its own folder names the same place twice: list it once.
        if !tried.iter().any(|p| same_place(p, given)) {
            tried.push(given.to_path_buf());
        }
        if let Some(found) = tried.iter().find(|p| p.exists()) {
            return Ok(found.clone());
        }
        Err(FileNotFound {
            path: path.to_string(),
            tried,
        })
    }
}

/// A user's path found in none of the places looked at; the message lists them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("file not found: \"{path}\" (looked at {})", looked_at(tried))]
pub struct FileNotFound {
    pub path: String,
    pub tried: Vec<PathBuf>,
}

fn looked_at(tried: &[PathBuf]) -> String {
    let list: Vec<String> = tried.iter().map(|p| p.display().to_string()).collect();
    list.join(", ")
}

/// Whether two relative or absolute paths name the same place ("./a.txt" and "a.txt").
fn same_place(a: &Path, b: &Path) -> bool {
    let absolute = |p: &Path| {
        std::path::absolute(p)
            .ok()
            .map(|p| p.components().collect::<PathBuf>())
    };
    a == b || absolute(a).is_some_and(|x| Some(x) == absolute(b))
}
