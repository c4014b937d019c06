//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod skip;
pub use skip::skip;

pub const BIN: &str = env!("CARGO_BIN_EXE_storyreel");

pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Writes `source` as a script in a fresh temp dir and runs it with `storyreel run`.
pub fn run_script(source: &str, extra: &[&str]) -> (Output, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("story.rhai");
    std::fs::write(&script, source).unwrap();
    let out = Command::new(BIN)
        .arg("run")
        .arg(&script)
        .arg("--out")
        .arg(dir.path().join("ws"))
        .args(extra)
        .current_dir(dir.path())
        .output()
        .unwrap();
    (out, dir)
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// Whether a program is on PATH; a missing one fails under `STORYREEL_STRICT_TESTS=1`.
pub fn require(program: &str, why: &str) -> bool {
    let found = Command::new(program).arg("-version").output().is_ok()
        || Command::new(program).arg("--version").output().is_ok();
    if !found {
        skip(&format!("{program} is not installed ({why})"));
    }
    found
}

/// A running `storyreel pick` page, stopped when dropped (however the test ends).
pub struct PickPage {
    child: std::process::Child,
    /// The URL it printed, token included.
    pub url: String,
}

impl Drop for PickPage {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `storyreel pick WS --no-browser` and waits for the URL it prints.
pub fn start_pick_page(ws: &Path) -> PickPage {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(BIN)
        .arg("pick")
        .arg(ws)
        .arg("--no-browser")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut page = PickPage {
        child,
        url: String::new(),
    };
    page.url = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find_map(|l| {
            l.trim()
                .strip_prefix("http://")
                .map(|u| format!("http://{u}"))
        })
        .expect("storyreel pick prints its URL");
    page
}

/// Runs `storyreel repl ARGS` in `dir`, fed `input` through a pipe.
pub fn piped_repl(dir: &tempfile::TempDir, args: &[&str], input: &str) -> Output {
    let mut child = Command::new(BIN)
        .arg("repl")
        .args(args)
        .arg("--out")
        .arg(dir.path().join("ws"))
        .current_dir(dir.path())
        .env("STORYREEL_HISTORY", "")
        // A non-interactive "editor" for :edit: it rewrites the cell in place.
        .env("VISUAL", "sed -i s/20/30/")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// What [`run_on_small_disk`] saw.
pub struct SmallDiskRun {
    pub output: Output,
    /// Every file left on the small disk (path inside it, size in bytes), filler excepted.
    pub files: Vec<(String, u64)>,
}

/// Runs `storyreel ARGS` with a 2 MB tmpfs at `mount` (an empty folder) holding only `free_kb`
/// KB of free space, as a disk that fills during the run. The tmpfs lives in a private mount
/// namespace (`unshare`), so nothing outside the run sees it and it goes when the run ends.
/// `None` (SKIPPED, a failure under `STORYREEL_STRICT_TESTS=1`) where mount namespaces are not
/// allowed.
pub fn run_on_small_disk(
    mount: &Path,
    free_kb: u64,
    args: &[&std::ffi::OsStr],
) -> Option<SmallDiskRun> {
    let allowed = Command::new("unshare")
        .args(["-rm", "true"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !allowed {
        skip(
            "`unshare -rm` (a private mount namespace, to mount a small disk) is not allowed here",
        );
        return None;
    }
    let listing = mount.with_extension("listing");
    let script = r#"mount -t tmpfs -o size=2m tmpfs "$1" || exit 97
head -c $(( 2048 * 1024 - $2 * 1024 )) /dev/zero > "$1/.filler" 2>/dev/null
mount_dir=$1; listing=$3; shift 3
"$@"; rc=$?
cd "$mount_dir" && find . -type f ! -name .filler -printf '%P %s\n' > "$listing"
exit $rc"#;
    let output = Command::new("unshare")
        .args(["-rm", "sh", "-c", script, "sh"])
        .arg(mount)
        .arg(free_kb.to_string())
        .arg(&listing)
        .arg(BIN)
        .args(args)
        .output()
        .unwrap();
    assert_ne!(
        output.status.code(),
        Some(97),
        "cannot mount a tmpfs: {}",
        stderr(&output)
    );
    let files = std::fs::read_to_string(&listing)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let (name, size) = l.rsplit_once(' ')?;
            Some((name.to_string(), size.parse().ok()?))
        })
        .collect();
    Some(SmallDiskRun { output, files })
}
