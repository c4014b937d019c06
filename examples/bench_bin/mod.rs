//! The `storyreel` binary a benchmark runs: `STORYREEL_BIN`, else the one built beside the
//! example in the same profile.

use std::path::PathBuf;

pub fn storyreel() -> PathBuf {
    let path = std::env::var_os("STORYREEL_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let exe = std::env::current_exe().unwrap();
            exe.parent().unwrap().parent().unwrap().join("storyreel")
        });
    assert!(
        path.exists(),
        "{} not found: cargo build first (same profile), or set STORYREEL_BIN",
        path.display()
    );
    path
}
