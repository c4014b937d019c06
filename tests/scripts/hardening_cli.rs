//! The command line never panics or stops silently: closed pipes, bad bytes in piped input, an
//! unclosed comment, SIGTERM mid-render, and the leftovers of a killed run.

use crate::common;

use common::{run_script, stderr, stdout, BIN};
use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn a_closed_stdout_pipe_ends_the_program_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("story.txt");
    let paragraph = "Anna met Boris at the mill. She laughed and he frowned.\n\n";
    std::fs::write(&file, paragraph.repeat(2000)).unwrap();
    let mut child = Command::new(BIN)
        .args(["characters", "--json"])
        .arg(&file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reader goes away before anything is written, as `| head -0` would.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    assert_ne!(out.status.code(), Some(101), "{err}");
    assert!(
        out.status.success() || out.status.signal() == Some(libc::SIGPIPE),
        "{:?} {err}",
        out.status
    );
}

fn repl_with_input(input: &[u8]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(BIN)
        .args(["repl", "--no-images", "--out"])
        .arg(dir.path())
        .env("STORYREEL_HISTORY", dir.path().join("history"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn invalid_utf8_in_piped_repl_input_is_reported_and_the_rest_runs() {
    let out = repl_with_input(b"print(1)\n\xff\xfe bad\nprint(2)\n");
    assert_eq!(stdout(&out), "1\n2\n");
    let err = stderr(&out);
    assert!(
        err.contains("input line 2 is not UTF-8 text (byte 0xff at column 1)"),
        "{err}"
    );
    assert_eq!(out.status.code(), Some(1), "a skipped line is a failure");
}

#[test]
fn a_long_piped_block_runs_as_one_cell() {
    // Parsed once when complete, not once per line.
    let mut block = String::from("let total = 0;\nif true {\n");
    for i in 0..2000 {
        block.push_str(&format!("  total += {i};\n"));
    }
    block.push_str("}\nprint(total);\n");
    let out = repl_with_input(block.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), format!("{}\n", (0..2000).sum::<i64>()));
}

#[test]
fn an_unclosed_block_comment_is_an_error_not_a_silent_skip() {
    let (out, _dir) = run_script("print(1);\nlet a = 2; /* never closed\nprint(2);\n", &[]);
    assert!(!out.status.success());
    assert_eq!(stdout(&out), "", "nothing of the cell runs");
    let err = stderr(&out);
    assert!(err.contains("story.rhai:2:12"), "{err}");
    assert!(err.contains("`/*` comment is never closed"), "{err}");
    let out = repl_with_input(b"print(1);\n/* open\nprint(2);\n");
    assert_eq!(stdout(&out), "1\n");
    assert!(stderr(&out).contains("never closed"), "{}", stderr(&out));
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn characters_and_story_file_share_one_rule_on_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("latin1.txt");
    std::fs::write(&file, b"Anna met Boris.\n\nCaf\xe9 noir.").unwrap();
    let out = Command::new(BIN)
        .arg("characters")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("is not UTF-8 text: byte 0xe9 on line 3"),
        "{err}"
    );
    let (out, _d) = run_script(
        &format!("story_file({:?});", file.display().to_string()),
        &[],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("story_file: ") && stderr(&out).contains("byte 0xe9 on line 3"),
        "{}",
        stderr(&out)
    );
}

/// Waits until `dir` (recursively) holds a file whose name contains `part`.
fn wait_for_file(dir: &Path, part: &str, limit: Duration) -> Option<PathBuf> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if let Some(found) = find(dir, part) {
            return Some(found);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

fn find(dir: &Path, part: &str) -> Option<PathBuf> {
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        if path.file_name()?.to_string_lossy().contains(part) {
            return Some(path);
        }
        if path.is_dir() {
            if let Some(found) = find(&path, part) {
                return Some(found);
            }
        }
    }
    None
}

const LONG_RENDER: &str = r#"backend("draft");
let s = story("Long", "Anna walked to the old mill at dawn.");
sd_generate(s);
render(s, #{ format: #{ width: 320, height: 240 }, voice: "none", min_scene_secs: 120,
             encoder: "ENCODER", out: "long.mp4" });
"#;

/// Child processes of `pid` (any thread's).
fn children(pid: u32) -> Vec<u32> {
    let mut found = Vec::new();
    for task in std::fs::read_dir(format!("/proc/{pid}/task"))
        .into_iter()
        .flatten()
        .flatten()
    {
        if let Ok(text) = std::fs::read_to_string(task.path().join("children")) {
            found.extend(
                text.split_whitespace()
                    .filter_map(|p| p.parse::<u32>().ok()),
            );
        }
    }
    found
}

fn sigterm_mid_render(encoder: &str) {
    let dir = tempfile::tempdir().unwrap();
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let script = dir.path().join("long.rhai");
    std::fs::write(&script, LONG_RENDER.replace("ENCODER", encoder)).unwrap();
    let ws = dir.path().join("ws");
    let child = Command::new(BIN)
        .arg("run")
        .arg(&script)
        .arg("--out")
        .arg(&ws)
        .env("TMPDIR", &tmp)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let partial = wait_for_file(&ws, ".partial-", Duration::from_secs(60));
    assert!(partial.is_some(), "the render never started");
    std::thread::sleep(Duration::from_millis(300));
    let helpers = children(child.id());
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(143), "{err}");
    assert!(err.contains("interrupted"), "{err}");
    assert_eq!(find(&ws, ".partial-"), None, "the partial video is removed");
    assert_eq!(
        find(&ws, "long.mp4"),
        None,
        "no video is left as if finished"
    );
    assert_eq!(
        find(&tmp, "storyreel-render-"),
        None,
        "no scratch folder is left"
    );
    for pid in helpers {
        let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        assert!(
            state.is_empty() || state.contains(") Z "),
            "helper process {pid} still runs: {state}"
        );
    }
}

#[test]
fn sigterm_stops_a_render_like_ctrl_c_and_leaves_nothing_behind() {
    sigterm_mid_render("builtin");
    if common::require("ffmpeg", "the ffmpeg encoder is stopped on SIGTERM") {
        sigterm_mid_render("ffmpeg");
    }
}

/// Ctrl-C in a terminal reaches the whole foreground process group, ffmpeg included: the render
/// is reported as interrupted (not as ffmpeg failing), the summary says INTERRUPTED, and nothing
/// is left.
#[test]
fn ctrl_c_to_the_process_group_mid_render_is_reported_as_interrupted() {
    use std::os::unix::process::CommandExt;
    if !common::require("ffmpeg", "Ctrl-C reaches ffmpeg as well") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("long.rhai");
    std::fs::write(&script, LONG_RENDER.replace("ENCODER", "ffmpeg")).unwrap();
    let ws = dir.path().join("ws");
    let child = Command::new(BIN)
        .arg("run")
        .arg(&script)
        .arg("--out")
        .arg(&ws)
        .process_group(0)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let partial = wait_for_file(&ws, ".partial-", Duration::from_secs(60));
    assert!(partial.is_some(), "the render never started");
    std::thread::sleep(Duration::from_millis(300));
    Command::new("kill")
        .args(["-INT", "--", &format!("-{}", child.id())])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert!(err.contains("render interrupted"), "{err}");
    assert!(
        !err.contains("ffmpeg failed") && !err.contains("FAILED"),
        "{err}"
    );
    assert!(err.contains("INTERRUPTED"), "{err}");
    // As an interrupted generation ends: not 0, since the work did not finish.
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(find(&ws, ".partial-"), None, "the partial video is removed");
}

#[test]
fn leftovers_of_a_killed_run_are_removed_by_the_next_run_and_by_cache_prune() {
    let dir = tempfile::tempdir().unwrap();
    let (tmp, ws) = (dir.path().join("tmp"), dir.path().join("ws"));
    // A PID above Linux's maximum (4194304): its writer is surely gone.
    let story_dir = ws.join("tiny");
    let shard = ws.join("cache/ab");
    for d in [&tmp, &story_dir, &shard] {
        std::fs::create_dir_all(d).unwrap();
    }
    let partial = story_dir.join(".tiny.mp4.partial-99999999-0.mp4");
    let scratch = tmp.join("storyreel-render-99999999-3");
    let half = shard.join(".abcd.png.99999999.0.tmp");
    let live = story_dir.join(format!(".tiny.mp4.partial-{}-0.mp4", std::process::id()));
    std::fs::write(&partial, b"half a video").unwrap();
    std::fs::create_dir(&scratch).unwrap();
    std::fs::write(scratch.join("clip.wav"), b"RIFF").unwrap();
    std::fs::write(&half, b"half a png").unwrap();
    std::fs::write(&live, b"a render in progress").unwrap();
    let script = dir.path().join("tiny.rhai");
    std::fs::write(
        &script,
        r#"backend("draft");
let s = story("Tiny", "Anna walked to the old mill at dawn.");
sd_generate(s);
render(s, #{ format: #{ width: 90, height: 160 }, voice: "none", out: "tiny.mp4" });
"#,
    )
    .unwrap();
    let out = Command::new(BIN)
        .arg("run")
        .arg(&script)
        .arg("--out")
        .arg(&ws)
        .env("TMPDIR", &tmp)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(story_dir.join("tiny.mp4").exists());
    assert!(!partial.exists(), "a dead run's partial video is removed");
    assert!(live.exists(), "a running writer's partial video stays");
    assert!(!scratch.exists(), "a dead run's scratch folder is removed");
    let out = Command::new(BIN)
        .args(["cache", "prune", "--older-than", "1000", "--out"])
        .arg(&ws)
        .env("TMPDIR", &tmp)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !half.exists(),
        "a dead run's half-written cache file is removed"
    );
}

/// Runs `command` (stdout and stderr captured); fails the test if it has not ended within
/// `secs` seconds, killing it first.
fn output_within(command: &mut Command, secs: u64) -> std::process::Output {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!("still running after {secs} s: {}", stderr(&out));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

fn mkfifo(path: &Path) {
    let name = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo with a valid C string.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
}

#[test]
fn a_fifo_is_refused_at_once_as_script_image_or_music() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("f.fifo");
    mkfifo(&fifo);
    let out = output_within(
        Command::new(BIN)
            .arg("run")
            .arg(&fifo)
            .arg("--out")
            .arg(dir.path().join("ws")),
        10,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("is not a regular file"),
        "{}",
        stderr(&out)
    );
    let fifo = format!("{:?}", fifo.display().to_string());
    for source in [
        format!("image({fifo});"),
        format!("let s = story(\"T\", \"Anna walked to the mill.\");\nsd_generate(s);\nrender(s, #{{ voice: \"none\", music: {fifo} }});"),
    ] {
        let script = dir.path().join("s.rhai");
        std::fs::write(&script, &source).unwrap();
        let out = output_within(
            Command::new(BIN)
                .arg("run")
                .arg(&script)
                .arg("--out")
                .arg(dir.path().join("ws")),
            20,
        );
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{source}\n{err}");
        assert!(err.contains("is not a regular file"), "{source}\n{err}");
    }
}

#[test]
fn sigterm_ends_a_script_stuck_writing_into_an_unread_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("loud.rhai");
    std::fs::write(
        &script,
        "for i in 0..20000 { print(`line ${i} of a long listing`); }",
    )
    .unwrap();
    // stdout is a pipe nobody reads: the program blocks in a write once it is full.
    let mut child = Command::new(BIN)
        .arg("run")
        .arg(&script)
        .arg("--out")
        .arg(dir.path().join("ws"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert!(child.try_wait().unwrap().is_none(), "it should be blocked");
    let sent = Instant::now();
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if sent.elapsed() > Duration::from_secs(15) {
            let _ = child.kill();
            panic!("SIGTERM did not end the program within 15 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(143), "{status:?}");
}

#[test]
fn output_onto_a_full_device_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("story.txt");
    std::fs::write(
        &file,
        "Anna met Boris at the mill. She laughed.\n\n".repeat(200),
    )
    .unwrap();
    let out = Command::new(BIN)
        .arg("characters")
        .arg(&file)
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.contains("cannot write the output") && err.contains("No space left on device"),
        "{err}"
    );
}

#[test]
fn a_workspace_path_that_is_not_utf8_is_a_warning_not_a_panic() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("ok.rhai");
    std::fs::write(
        &script,
        "let s = story(\"T\", \"Anna walked to the mill.\");\nsd_generate(s);\n",
    )
    .unwrap();
    let ws = dir.path().join(std::ffi::OsStr::from_bytes(b"ws_\xff"));
    let out = Command::new(BIN)
        .arg("run")
        .arg(&script)
        .arg("--out")
        .arg(&ws)
        .output()
        .unwrap();
    let err = stderr(&out);
    // The images are made; only story.json, which records paths as UTF-8 text, is not written.
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.contains("warning: cannot write the story's story.json") && err.contains("UTF-8"),
        "{err}"
    );
}

#[test]
fn the_generation_on_a_full_disk_leaves_no_half_written_files() {
    let dir = tempfile::tempdir().unwrap();
    let disk = dir.path().join("disk");
    std::fs::create_dir(&disk).unwrap();
    let script = dir.path().join("many.rhai");
    std::fs::write(
        &script,
        "let s = story(\"Many\", \"Anna walked to the mill.\\n\\nBoris met her at the gate.\\n\\nThe miller came out.\\n\\nA storm rolled in.\");\ns.split(#{ by: \"paragraphs\", max_words: 8, min_words: 1 });\nsd_generate(s, #{ n: 4 });\n",
    )
    .unwrap();
    let args = [
        "run".as_ref(),
        script.as_os_str(),
        "--out".as_ref(),
        disk.as_os_str(),
    ];
    let Some(run) = common::run_on_small_disk(&disk, 40, &args) else {
        return;
    };
    let err = stderr(&run.output);
    assert_eq!(run.output.status.code(), Some(1), "{err}");
    assert!(err.contains("No space left on device"), "{err}");
    let half: Vec<_> = run
        .files
        .iter()
        .filter(|(n, _)| n.ends_with(".tmp"))
        .collect();
    assert!(half.is_empty(), "half-written files stayed: {half:?}");
}

#[test]
fn small_contracts_of_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("s.rhai");
    std::fs::write(&script, "print(1);\n").unwrap();
    let cases: [(&[&str], &str); 3] = [
        (
            &["pick", "/etc/passwd", "--no-browser"],
            "it is not a folder",
        ),
        (
            &[
                "run",
                script.to_str().unwrap(),
                "--cells",
                "",
                "--out",
                "ws",
            ],
            "names no cell",
        ),
        (
            &[
                "cache",
                "prune",
                "--max-size",
                "99999999999999999999T",
                "--out",
                "ws",
            ],
            "larger than any disk",
        ),
    ];
    for (args, expected) in cases {
        let out = output_within(Command::new(BIN).args(args).current_dir(dir.path()), 10);
        let err = stderr(&out);
        assert!(!out.status.success(), "{args:?} succeeded: {err}");
        assert!(err.contains(expected), "{args:?}: {err}");
    }
}

#[test]
fn a_command_error_is_one_line_with_its_context_each_part_said_once() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("s.rhai");
    std::fs::write(&script, "print(1);\n").unwrap();
    let missing = dir.path().join("no/such/folder/s.ipynb");
    let cases: [(Vec<&str>, String, i32); 3] = [
        (
            vec!["cache", "prune", "--max-size", "2X", "--out", "ws"],
            "error: cache prune: --max-size: size \"2X\": the unit must be K, M, G or T\n".into(),
            1,
        ),
        (
            vec!["nb", "export", script.to_str().unwrap(), "-o", missing.to_str().unwrap()],
            format!(
                "error: cannot write {}: No such file or directory (os error 2)\n",
                missing.display()
            ),
            1,
        ),
        (
            vec!["pick", "no-workspace-here", "--no-browser"],
            "error: no workspace at no-workspace-here (No such file or directory (os error 2)); run a story first (storyreel run story.rhai) or name the folder: storyreel pick DIR\n".into(),
            2,
        ),
    ];
    for (args, expected, code) in cases {
        let out = output_within(Command::new(BIN).args(&args).current_dir(dir.path()), 10);
        assert_eq!(stderr(&out), expected, "{args:?}");
        assert_eq!(out.status.code(), Some(code), "{args:?}");
    }
}
