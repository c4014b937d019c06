//! `storyreel kernel install|uninstall`: the kernelspec that makes JupyterLab, Notebook, VS Code
//! and nbclient list "storyreel (Rhai)" and launch `storyreel kernel --connection-file F`.

use std::f32::consts::{PI, TAU};
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context};
use serde_json::{json, Value};

pub const DEFAULT_NAME: &str = "storyreel";
pub const DISPLAY_NAME: &str = "storyreel (Rhai)";

/// Where kernelspecs go, as `jupyter kernelspec install` understands it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// The user's Jupyter data directory (the default).
    User,
    /// The active Python environment (virtualenv or conda), like `--sys-prefix`.
    SysPrefix,
    Prefix(PathBuf),
}

/// The `kernels` folder of a location.
pub fn kernels_dir(location: &Location) -> anyhow::Result<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let share = |prefix: PathBuf| prefix.join("share").join("jupyter").join("kernels");
    Ok(match location {
        Location::Prefix(dir) => share(dir.clone()),
        Location::SysPrefix => share(env("VIRTUAL_ENV").or_else(|| env("CONDA_PREFIX")).context(
            "--sys-prefix needs an active Python environment (VIRTUAL_ENV or \
                     CONDA_PREFIX); activate one, or use --prefix DIR",
        )?),
        Location::User => user_data_dir(env)?.join("kernels"),
    })
}

fn user_data_dir(env: impl Fn(&str) -> Option<PathBuf>) -> anyhow::Result<PathBuf> {
    if let Some(dir) = env("JUPYTER_DATA_DIR") {
        return Ok(dir);
    }
    if cfg!(windows) {
        return env("APPDATA")
            .map(|d| d.join("jupyter"))
            .context("APPDATA is not set");
    }
    let home = env("HOME").context("HOME is not set; use --prefix DIR")?;
    Ok(if cfg!(target_os = "macos") {
        home.join("Library").join("Jupyter")
    } else {
        env("XDG_DATA_HOME")
            .unwrap_or_else(|| home.join(".local").join("share"))
            .join("jupyter")
    })
}

/// Writes `kernel.json` and the logos; returns the kernelspec folder.
pub fn install(location: &Location, name: &str) -> anyhow::Result<PathBuf> {
    check_name(name)?;
    let dir = kernels_dir(location)?.join(name);
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(&dir)?;
        let spec = kernel_json(&launcher(), name);
        let text = serde_json::to_string_pretty(&spec).expect("JSON serializes");
        std::fs::write(dir.join("kernel.json"), text + "\n")?;
        for size in [32, 64] {
            std::fs::write(dir.join(format!("logo-{size}x{size}.png")), logo(size))?;
        }
        Ok(())
    };
    write().with_context(|| format!("cannot write the kernelspec in {}", dir.display()))?;
    Ok(dir)
}

pub fn uninstall(location: &Location, name: &str) -> anyhow::Result<PathBuf> {
    check_name(name)?;
    let dir = kernels_dir(location)?.join(name);
    if !dir.join("kernel.json").exists() {
        bail!("no kernelspec \"{name}\" in {}", dir.display());
    }
    std::fs::remove_dir_all(&dir).with_context(|| format!("cannot remove {}", dir.display()))?;
    Ok(dir)
}

/// Jupyter allows letters, digits, `.`, `-` and `_` in kernel names.
fn check_name(name: &str) -> anyhow::Result<()> {
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    ok.then_some(()).ok_or_else(|| {
        anyhow!("kernel name \"{name}\" is invalid: use letters, digits, '.', '-' or '_'")
    })
}

pub fn kernel_json(exe: &Path, name: &str) -> Value {
    let display_name = if name == DEFAULT_NAME {
        DISPLAY_NAME.to_string()
    } else {
        format!("{DISPLAY_NAME} [{name}]")
    };
    json!({
        "argv": [exe.display().to_string(), "kernel", "--connection-file", "{connection_file}"],
        "display_name": display_name,
        "language": "rhai",
        // Interrupts arrive as control messages, so the session and its variables survive them.
        "interrupt_mode": "message",
        "metadata": { "debugger": false },
    })
}

/// The executable to launch: the `storyreel` found on PATH when it is this program, so that an
/// upgrade that moves the real file (Homebrew, cargo install) does not break the kernelspec.
fn launcher() -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("storyreel"));
    let real = exe.canonicalize().unwrap_or_else(|_| exe.clone());
    let file_name = exe
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join(&file_name))
        .find(|candidate| candidate.canonicalize().ok().as_ref() == Some(&real))
        .unwrap_or(exe)
}

/// A film reel in storyreel orange, drawn rather than shipped as a binary file.
pub fn logo(size: u32) -> Vec<u8> {
    let c = size as f32 / 2.0;
    let r = c - 0.5;
    let image = image::RgbaImage::from_fn(size, size, |x, y| {
        let (dx, dy) = (x as f32 + 0.5 - c, y as f32 + 0.5 - c);
        let d = dx.hypot(dy);
        let hole = d < r * 0.13
            || (0..5).any(|k| {
                let a = k as f32 * TAU / 5.0 - PI / 2.0;
                (dx - a.cos() * r * 0.55).hypot(dy - a.sin() * r * 0.55) < r * 0.2
            });
        if d > r || hole {
            image::Rgba([0, 0, 0, 0])
        } else if d > r * 0.88 {
            image::Rgba([60, 40, 30, 255])
        } else {
            image::Rgba([232, 116, 59, 255])
        }
    });
    let mut png = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("PNG encoding in memory cannot fail");
    png
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installs_and_uninstalls_under_a_prefix() {
        let tmp = tempfile::tempdir().unwrap();
        let location = Location::Prefix(tmp.path().to_path_buf());
        let dir = install(&location, "storyreel").unwrap();
        assert_eq!(dir, tmp.path().join("share/jupyter/kernels/storyreel"));
        let spec: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("kernel.json")).unwrap())
                .unwrap();
        assert_eq!(spec["interrupt_mode"], "message");
        assert_eq!(spec["display_name"], "storyreel (Rhai)");
        assert_eq!(spec["argv"][4], Value::Null);
        assert_eq!(spec["argv"][3], "{connection_file}");
        assert_eq!(
            image::image_dimensions(dir.join("logo-64x64.png")).unwrap(),
            (64, 64)
        );
        uninstall(&location, "storyreel").unwrap();
        assert!(!dir.exists());
        assert!(install(&location, "bad name").is_err());
    }
}
