//! Files in progress: the video is written under a temporary name next to its final path and
//! renamed only once complete; scratch files live in a folder removed whatever happens.

use super::error::RenderError;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn unique_suffix() -> String {
    format!(
        "{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// An output file being written; removed on drop unless committed.
pub struct PartialFile {
    temp: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl PartialFile {
    /// Reserves a temporary name next to `target` (same folder, so the rename is atomic), and
    /// removes partial files there that killed runs left.
    pub fn new(target: &Path) -> Result<Self, RenderError> {
        if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| RenderError::io(dir, e))?;
        }
        let dir = target.parent().filter(|d| !d.as_os_str().is_empty());
        crate::leftovers::sweep(dir.unwrap_or(Path::new(".")), |name| {
            name.starts_with('.')
                .then(|| crate::leftovers::pid_after(name, ".partial-"))
                .flatten()
        });
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let ext = target
            .extension()
            .map(|e| e.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = target.with_file_name(format!(".{name}.partial-{}.{ext}", unique_suffix()));
        Ok(PartialFile {
            temp,
            target: target.into(),
            committed: false,
        })
    }

    pub fn temp_path(&self) -> &Path {
        &self.temp
    }

    /// Moves the finished file to its final name, once it is on the disk: a write the disk
    /// could not take may surface only at the flush.
    pub fn commit(mut self) -> Result<PathBuf, RenderError> {
        std::fs::File::open(&self.temp)
            .and_then(|f| f.sync_all())
            .map_err(|e| RenderError::io(&self.temp, e))?;
        std::fs::rename(&self.temp, &self.target).map_err(|e| RenderError::io(&self.target, e))?;
        self.committed = true;
        Ok(self.target.clone())
    }
}

impl Drop for PartialFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// Whether the file system holding `path` has (almost) no room left: a file that ends early
/// there was cut short by the full disk, whatever the program that wrote it said.
pub fn disk_nearly_full(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    let Ok(c_path) = std::ffi::CString::new(dir.unwrap_or(Path::new(".")).as_os_str().as_bytes())
    else {
        return false;
    };
    // SAFETY: statvfs fills the struct it is given from a valid C string.
    let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(c_path.as_ptr(), &mut stat) } != 0 {
        return false;
    }
    (stat.f_bavail as u64).saturating_mul(stat.f_frsize as u64) < NEARLY_FULL_BYTES
}

/// Room below which a disk counts as full: less than a second of any video.
const NEARLY_FULL_BYTES: u64 = 1 << 20;

const SCRATCH_PREFIX: &str = "storyreel-render-";

/// A scratch folder (narration clips, the mixed track), removed on drop; one a killed run left
/// is removed by the next.
pub struct WorkDir {
    pub path: PathBuf,
}

impl WorkDir {
    pub fn new() -> Result<Self, RenderError> {
        crate::leftovers::sweep(&std::env::temp_dir(), |name| {
            crate::leftovers::pid_after(name, SCRATCH_PREFIX)
                .filter(|_| name.starts_with(SCRATCH_PREFIX))
        });
        let path = std::env::temp_dir().join(format!("{SCRATCH_PREFIX}{}", unique_suffix()));
        std::fs::create_dir_all(&path).map_err(|e| RenderError::io(&path, e))?;
        Ok(WorkDir { path })
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
