//! Each input that once grew memory without bound now ends with a clear error, checked in a
//! child process under a hard address-space cap (setrlimit): past the cap the process would die
//! without a word, so a clear message proves the program stopped itself in time.

mod common;

use common::{stderr, BIN};
use std::os::unix::process::CommandExt;
use std::process::Command;

/// Address space for the child: well above the script limits (at most 512 MB) (threads reserve virtual
/// memory of their own), far below what the inputs would take unchecked.
const ADDRESS_SPACE_CAP: u64 = 3 << 30;

fn run_capped(source: &str, limit: &str) -> (std::process::Output, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("s.rhai");
    std::fs::write(&script, source).unwrap();
    let mut command = Command::new(BIN);
    command
        .arg("run")
        .arg(&script)
        .arg("--out")
        .arg(dir.path().join("ws"))
        .current_dir(dir.path())
        .env("STORYREEL_MAX_MEMORY", limit);
    // SAFETY: only setrlimit, async-signal-safe, between fork and exec.
    unsafe {
        command.pre_exec(|| {
            let cap = libc::rlimit {
                rlim_cur: ADDRESS_SPACE_CAP,
                rlim_max: ADDRESS_SPACE_CAP,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &cap) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    (command.output().unwrap(), dir)
}

fn assert_clear_error(source: &str, expected: &str) {
    assert_clear_error_within(source, "512M", expected);
}

fn assert_clear_error_within(source: &str, limit: &str, expected: &str) {
    let (out, _dir) = run_capped(source, limit);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{source}\n{err}");
    assert!(
        err.contains(expected),
        "{source}\nexpected {expected:?} in:\n{err}"
    );
}

const OUT_OF_MEMORY: &str = "out of memory: the script holds more than 512 MB";

#[test]
fn devices_and_pipes_are_not_read_as_stories() {
    assert_clear_error("story_file(\"/dev/zero\");", "is not a regular file");
    assert_clear_error("story_file(\"/dev/urandom\");", "is not a regular file");
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo with a valid C string.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
    assert_clear_error(
        &format!("story_file({:?});", fifo.display().to_string()),
        "is not a regular file",
    );
}

#[test]
fn a_string_doubling_forever_stops_at_the_limit() {
    assert_clear_error("let s = \"x\";\nloop { s += s; }", OUT_OF_MEMORY);
}

#[test]
fn a_map_growing_forever_stops_at_the_limit() {
    assert_clear_error(
        "let v = \"v\";\nv.pad(100000, \"v\");\nlet m = #{};\nlet i = 0;\nloop { m[`k${i}`] = v + i; i += 1; }",
        OUT_OF_MEMORY,
    );
}

#[test]
fn an_array_growing_forever_stops_at_the_limit() {
    assert_clear_error(
        "let w = \"w\";\nw.pad(100000, \"w\");\nlet a = [];\nloop { a.push(w + a.len()); }",
        OUT_OF_MEMORY,
    );
}

#[test]
fn stories_count_against_the_limit() {
    // Each story copies its 4 MB text: 64 MB are reached after some 16 stories.
    assert_clear_error_within(
        "let text = \"Anna walked to the mill. \";\ntext.pad(4000000, \"x\");\nlet all = [];\nloop { all.push(story(\"T\", text)); }",
        "64M",
        "out of memory: the script holds more than 64 MB",
    );
}
