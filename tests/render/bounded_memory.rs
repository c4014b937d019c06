//! Each input that once grew memory without bound now ends with a clear error, checked in a
//! child process under a hard address-space cap (setrlimit): past the cap the process would die
//! without a word, so a clear message proves the program stopped itself in time.

use crate::common;
use crate::generate_support;

use common::{stderr, BIN};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};

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
    (capped(&mut command).output().unwrap(), dir)
}

/// The command, run under [`ADDRESS_SPACE_CAP`].
fn capped(command: &mut Command) -> &mut Command {
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
    command
}

/// `storyreel ARGS` under the cap, stdin from `stdin` (else empty): it must end within seconds
/// with exit code 1 and `expected` in its error.
fn assert_cli_refuses(args: &[&str], stdin: Option<&str>, expected: &str) {
    let dir = tempfile::tempdir().unwrap();
    let input = match stdin {
        Some(path) => Stdio::from(std::fs::File::open(path).unwrap()),
        None => Stdio::null(),
    };
    let started = std::time::Instant::now();
    let out = capped(
        Command::new(BIN)
            .args(args)
            .current_dir(dir.path())
            .env("STORYREEL_HISTORY", "")
            .stdin(input),
    )
    .output()
    .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{args:?}\n{err}");
    assert!(
        err.contains(expected),
        "{args:?}: expected {expected:?} in:\n{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        started.elapsed().as_secs() < 20,
        "{args:?} took {:?}",
        started.elapsed()
    );
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

const OUT_OF_MEMORY: &str = "out of memory: the script needs more than 512 MB";

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
        "out of memory: the script needs more than 64 MB",
    );
}

#[test]
fn one_operation_cannot_pass_the_limit() {
    // Each would allocate gigabytes in one step (or abort the program), before any check
    // between operations could stop it.
    for source in [
        "let s = \"\";\ns.pad(3000000000, \"x\");",
        "let s = \"\";\ns.pad(3000000000, 'x');",
        "let b = blob(100000000000);",
        "let a = [];\na.pad(100000000000, 0);",
    ] {
        assert_clear_error(source, "out of memory");
    }
}

#[test]
fn every_file_the_program_reads_must_be_a_regular_file() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("zero.rhai");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    let link = link.to_str().unwrap();
    let not_regular = "is not a regular file";
    assert_cli_refuses(&["run", "/dev/zero"], None, not_regular);
    assert_cli_refuses(&["run", link], None, not_regular);
    assert_cli_refuses(&["run", "/dev/urandom"], None, not_regular);
    assert_cli_refuses(&["repl", "/dev/zero"], None, not_regular);
    assert_cli_refuses(
        &["nb", "import", "/dev/zero", "-o", "x.rhai"],
        None,
        not_regular,
    );
    assert_cli_refuses(
        &["nb", "export", "/dev/zero", "-o", "x.ipynb"],
        None,
        not_regular,
    );
    assert_cli_refuses(
        &["kernel", "--connection-file", "/dev/zero"],
        None,
        not_regular,
    );
    assert_cli_refuses(
        &["repl", "--no-images", "--out", "ws"],
        Some("/dev/zero"),
        "input line 1 is longer than 1 MB",
    );
    assert_clear_error(
        "let s = story(\"T\", \"Anna walked to the mill.\");\nsd_generate(s);\nrender(s, #{ encoder: \"builtin\", caption_style: #{ font: \"/dev/zero\" } });",
        "cannot load font /dev/zero: \"/dev/zero\" is not a regular file",
    );
}

#[test]
fn a_connection_file_of_megabytes_is_refused_by_size() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("kernel.json");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(10 << 20)
        .unwrap();
    assert_cli_refuses(
        &["kernel", "--connection-file", big.to_str().unwrap()],
        None,
        "is larger than the 64 KB a connection file may have",
    );
}

/// A server that answers everything with a body without end (`status` 200), or of 1 GiB
/// (`status` 500): a stream of 64 KiB chunks, sent as fast as it is read.
fn flooding_server(status: u16) -> String {
    use axum::body::{Body, Bytes};
    let handler = move || async move {
        let chunk = Bytes::from(vec![b'x'; 64 << 10]);
        let chunks =
            futures_util::stream::repeat_with(move || Ok::<_, std::io::Error>(chunk.clone()));
        let body = if status == 200 {
            Body::from_stream(chunks)
        } else {
            Body::from_stream(futures_util::StreamExt::take(chunks, 16 << 10))
        };
        axum::response::Response::builder()
            .status(status)
            .body(body)
            .unwrap()
    };
    generate_support::spawn_server(axum::Router::new().fallback(handler))
}

/// Runs a script, waits for it, and returns its output with its peak resident memory in MB.
fn run_measured(source: &str) -> (std::process::Output, u64) {
    run_measured_within(source, "2G")
}

/// As [`run_measured`], with the script memory limit `limit` (`STORYREEL_MAX_MEMORY`).
// The child is reaped by `wait4`, which also reports its peak memory.
#[allow(clippy::zombie_processes)]
fn run_measured_within(source: &str, limit: &str) -> (std::process::Output, u64) {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("s.rhai");
    std::fs::write(&script, source).unwrap();
    let mut child = Command::new(BIN)
        .arg("run")
        .arg(&script)
        .arg("--out")
        .arg(dir.path().join("ws"))
        .env("OPENAI_API_KEY", "sk-test-flood")
        .env("STORYREEL_MAX_MEMORY", limit)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = Vec::new();
    child.stderr.take().unwrap().read_to_end(&mut err).unwrap();
    let mut status = 0;
    // SAFETY: rusage is plain data filled by wait4 for this child only.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    assert_eq!(unsafe { libc::wait4(pid, &mut status, 0, &mut usage) }, pid);
    let output = std::process::Output {
        status: std::os::unix::process::ExitStatusExt::from_raw(status),
        stdout: Vec::new(),
        stderr: err,
    };
    (output, usage.ru_maxrss as u64 / 1024)
}

#[test]
fn server_bodies_are_read_up_to_a_cap_whatever_their_size() {
    let endless = flooding_server(200);
    let huge_error = flooding_server(500);
    for (kind, url, expected) in [
        (
            "a1111",
            endless.clone(),
            "larger than the 64 MB an answer may have",
        ),
        (
            "openai",
            format!("{endless}/v1"),
            "larger than the 64 MB an answer may have",
        ),
        ("a1111", huge_error.clone(), "xxxx"),
        ("openai", format!("{huge_error}/v1"), "xxxx"),
    ] {
        let started = std::time::Instant::now();
        let (out, peak_mb) = run_measured(&format!(
            "backend(\"{kind}\", #{{ url: \"{url}\", retry_for: 0 }});\nsd_generate(\"a heron\");\n"
        ));
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{kind} {url}: {err}");
        assert!(
            err.contains(expected),
            "{kind} {url}: {}",
            &err[..err.len().min(2000)]
        );
        assert!(
            err.len() < 64 << 10,
            "{kind}: an error of {} bytes",
            err.len()
        );
        // Measured: 85 MB for an endless answer, 18 MB for the 1 GiB error body.
        assert!(peak_mb < 250, "{kind} {url}: peak {peak_mb} MB");
        assert!(
            started.elapsed().as_secs() < 30,
            "{kind} {url}: {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn one_step_cannot_take_a_script_past_its_memory_limit() {
    // Each step doubles what the script holds, and copies all of it while the old value is
    // still held: checked only between steps, these peaked at 1.6 and 1.8 times the limit.
    for source in [
        "let x = \"ab\";\nloop { x += x; }",
        "let a = [1];\nfor i in 0..60 { a = [a, a]; }",
    ] {
        let (out, peak_mb) = run_measured_within(source, "512M");
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{source}: {err}");
        assert!(
            err.contains("out of memory: the script needs more than 512 MB (the memory limit"),
            "{source}: {err}"
        );
        assert!(peak_mb < 512, "{source}: peak {peak_mb} MB");
    }
}
