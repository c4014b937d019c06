//! The ONNX Runtime library, loaded at run time (never linked): from `ORT_DYLIB_PATH` (the
//! `ort` crate's convention) when set, else where `pip install onnxruntime` puts it, else the
//! system's library folders. A missing or too old library is an error that says how to get one.

use super::VoiceError;
use ort::environment::Environment;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// How a user gets the library, said by every error about it.
pub const HOW_TO_GET: &str = "install it with `pip install onnxruntime` (any Python; version 1.17 \
     or newer), or set ORT_DYLIB_PATH to a libonnxruntime.so";

static ENVIRONMENT: Mutex<Option<Environment>> = Mutex::new(None);

/// The process's ONNX Runtime environment, loading the library on first use.
pub fn environment() -> Result<Environment, VoiceError> {
    let mut held = ENVIRONMENT.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(env) = held.as_ref() {
        return Ok(env.clone());
    }
    let candidates = match std::env::var_os("ORT_DYLIB_PATH").filter(|v| !v.is_empty()) {
        // An explicit choice is the only one tried: a wrong path should not hide behind another.
        Some(path) => {
            let path = PathBuf::from(path);
            if !path.is_file() {
                return Err(VoiceError::RuntimeMissing {
                    looked: format!("ORT_DYLIB_PATH is {}, which is no file", path.display()),
                });
            }
            vec![path]
        }
        None => library_candidates(),
    };
    let Some(path) = candidates.first() else {
        return Err(VoiceError::RuntimeMissing {
            looked: "ORT_DYLIB_PATH is not set, and neither a pip-installed onnxruntime nor \
                     libonnxruntime.so in /usr/lib, /usr/local/lib was found"
                .into(),
        });
    };
    let unusable = |reason: String| VoiceError::RuntimeUnusable {
        path: path.clone(),
        reason,
    };
    let builder = ort::init_from(path).map_err(|e| unusable(e.to_string()))?;
    let env = builder
        .with_name("storyreel")
        .build()
        .map_err(|e| unusable(e.to_string()))?;
    *held = Some(env.clone());
    Ok(env)
}

/// The library a render would load, without loading it: `ORT_DYLIB_PATH` when it names a
/// file, else the first candidate found.
pub fn find_library() -> Option<PathBuf> {
    match std::env::var_os("ORT_DYLIB_PATH").filter(|v| !v.is_empty()) {
        Some(p) => Some(PathBuf::from(p)).filter(|p| p.is_file()),
        None => library_candidates().into_iter().next(),
    }
}

/// Where pip installs packages: the active virtual environment's, the user's, the system's.
pub fn site_packages() -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = Vec::new();
    if let Some(venv) = std::env::var_os("VIRTUAL_ENV") {
        roots.push(PathBuf::from(venv).join("lib"));
    }
    if let Some(home) = dirs::home_dir() {
        roots.push(home.join(".local/lib"));
    }
    roots.extend(["/usr/local/lib", "/usr/lib"].map(PathBuf::from));
    let mut found = Vec::new();
    for root in &roots {
        for python in python_dirs(root) {
            for packages in ["site-packages", "dist-packages"] {
                let dir = python.join(packages);
                if dir.is_dir() {
                    found.push(dir);
                }
            }
        }
    }
    // Wherever else the `python3` a user runs puts packages (pyenv, conda, Homebrew): asked
    // of Python itself, once per process.
    for dir in python_site_packages() {
        if dir.is_dir() && !found.contains(dir) {
            found.push(dir.clone());
        }
    }
    found
}

/// The site-packages folders of the `python3` on PATH, or none when there is no Python.
fn python_site_packages() -> &'static [PathBuf] {
    static DIRS: std::sync::OnceLock<Vec<PathBuf>> = std::sync::OnceLock::new();
    DIRS.get_or_init(|| {
        const ASK: &str =
            "import site; print('\\n'.join(site.getsitepackages() + [site.getusersitepackages()]))";
        std::process::Command::new("python3")
            .args(["-c", ASK])
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .output()
            .ok()
            .filter(|out| out.status.success())
            .map(|out| {
                String::from_utf8_lossy(&out.stdout)
                    .lines()
                    .map(|line| PathBuf::from(line.trim()))
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// Library files that exist, most specific first: pip's installs, then the system library
/// folders.
fn library_candidates() -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = site_packages()
        .iter()
        .filter_map(|p| library_in(&p.join("onnxruntime/capi")))
        .collect();
    for dir in [
        "/usr/local/lib",
        "/usr/lib",
        "/usr/lib/x86_64-linux-gnu",
        "/usr/lib/aarch64-linux-gnu",
    ] {
        found.extend(library_in(Path::new(dir)));
    }
    found
}

/// `python3*` folders under `lib`, and `python3` itself (Debian's dist-packages).
fn python_dirs(lib: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(lib) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("python3"))
        .map(|e| e.path())
        .collect();
    // The newest Python first.
    dirs.sort();
    dirs.reverse();
    dirs
}

/// `libonnxruntime.so`, or the newest versioned `libonnxruntime.so.1.N.M`, in `dir`.
fn library_in(dir: &Path) -> Option<PathBuf> {
    let plain = dir.join("libonnxruntime.so");
    if plain.is_file() {
        return Some(plain);
    }
    let mut versioned: Vec<(Vec<u32>, PathBuf)> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            let version = name.strip_prefix("libonnxruntime.so.")?;
            let numbers = version
                .split('.')
                .map(|n| n.parse().ok())
                .collect::<Option<Vec<u32>>>()?;
            Some((numbers, e.path()))
        })
        .collect();
    versioned.sort();
    versioned.pop().map(|(_, p)| p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_versioned_library_of_a_folder_is_found() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(library_in(dir.path()), None);
        for name in [
            "libonnxruntime.so.1.9.0",
            "libonnxruntime.so.1.22.1",
            "libonnxruntime_providers_shared.so",
        ] {
            std::fs::write(dir.path().join(name), b"").unwrap();
        }
        assert_eq!(
            library_in(dir.path()),
            Some(dir.path().join("libonnxruntime.so.1.22.1"))
        );
    }
}
