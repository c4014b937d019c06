//! Where the REPL's history lives: `$STORYREEL_HISTORY` (empty: no history), else
//! `storyreel/history` in the user's data folder (`~/.local/share` on Linux).

use std::path::PathBuf;

pub fn history_path() -> Option<PathBuf> {
    match std::env::var_os("STORYREEL_HISTORY") {
        Some(p) if p.is_empty() => None,
        Some(p) => Some(PathBuf::from(p)),
        None => dirs::data_dir().map(|d| d.join("storyreel").join("history")),
    }
}
