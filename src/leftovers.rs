//! Files a killed run left behind (`kill -9` runs no destructor): partial videos, render scratch
//! folders and half-written cache files carry the writer's PID in their names, so a later run
//! removes those whose writer is gone, or that are older than a day whoever wrote them.

use std::path::Path;
use std::time::{Duration, SystemTime};

const STALE_AFTER: Duration = Duration::from_secs(24 * 3600);

/// Whether a process with this id runs (signal 0 only probes; EPERM means it exists).
pub fn pid_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: kill with signal 0 sends nothing.
    unsafe { libc::kill(pid, 0) == 0 || *libc::__errno_location() == libc::EPERM }
}

/// The PID in `name` right after `marker`, up to the next non-digit.
pub fn pid_after(name: &str, marker: &str) -> Option<u32> {
    let rest = &name[name.find(marker)? + marker.len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Removes the entries of `dir` for which `pid_of` names a writer that is gone (never this
/// process's own), and those older than a day. Returns how many went.
pub fn sweep(dir: &Path, pid_of: impl Fn(&str) -> Option<u32>) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let me = std::process::id();
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(&pid_of) else {
            continue;
        };
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| SystemTime::now().duration_since(t).unwrap_or_default() > STALE_AFTER);
        if !old && (pid == me || pid_alive(pid)) {
            continue;
        }
        let path = entry.path();
        let gone = if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        removed += usize::from(gone.is_ok());
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_leftovers_of_dead_writers_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        // A PID above Linux's maximum (4194304) is never alive.
        let dead = dir.path().join(".clip.mp4.partial-99999999-0.mp4");
        let mine = dir
            .path()
            .join(format!(".clip.mp4.partial-{}-1.mp4", std::process::id()));
        let other = dir.path().join("clip.mp4");
        for f in [&dead, &mine, &other] {
            std::fs::write(f, b"x").unwrap();
        }
        let removed = sweep(dir.path(), |n| pid_after(n, ".partial-"));
        assert_eq!(removed, 1);
        assert!(!dead.exists() && mine.exists() && other.exists());
        assert!(pid_alive(std::process::id()));
        assert!(!pid_alive(99_999_999));
    }
}
