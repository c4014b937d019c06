//! The workspace folder: cache, one folder per story, renders, and files made for display
//! (where each lives: [`crate::layout`]).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::layout::Layout;

pub struct Workspace {
    layout: Layout,
    shown: AtomicUsize,
}

impl Workspace {
    /// `STORYREEL_HOME`, else `./storyreel-out`.
    pub fn default_root() -> PathBuf {
        std::env::var_os("STORYREEL_HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("storyreel-out"))
    }

    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            layout: Layout::new(root),
            shown: AtomicUsize::new(0),
        }
    }

    /// Where each file of the workspace lives.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    pub fn root(&self) -> &Path {
        self.layout.root()
    }

    pub fn cache_dir(&self) -> PathBuf {
        self.layout.cache_dir()
    }

    pub fn story_dir(&self, slug: &str) -> PathBuf {
        self.layout.story_dir(slug)
    }

    /// A fresh path for a file made to be shown (a sheet, a chart), created on demand.
    pub fn display_path(&self, stem: &str, ext: &str) -> std::io::Result<PathBuf> {
        let dir = self.layout.display_dir();
        std::fs::create_dir_all(&dir)?;
        // Never overwrite what an earlier run showed: take the next free number.
        loop {
            let n = self.shown.fetch_add(1, Ordering::Relaxed) + 1;
            let path = dir.join(format!("{stem}-{n:03}.{ext}"));
            if std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .is_ok()
            {
                return Ok(path);
            }
        }
    }
}
