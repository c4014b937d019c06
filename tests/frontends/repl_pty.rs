//! The REPL driven as a person would: the real binary in a tmux pseudo-terminal, keys typed
//! with `send-keys`, the screen read with `capture-pane`. Without tmux these tests skip, unless
//! STORYREEL_STRICT_TESTS=1, where a skip is a failure.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// Generous: the test machine may be busy. Only the Ctrl-C test times something, on purpose.
const PATIENCE: Duration = Duration::from_secs(15);

use crate::common;

fn tmux_available() -> bool {
    common::require("tmux", "the REPL tests drive it in a terminal")
}

/// One REPL in its own tmux server, with its own workspace and history file.
struct Term {
    socket: String,
    dir: TempDir,
}

impl Term {
    fn start(args: &[&str]) -> Option<Self> {
        let dir = tempfile::tempdir().unwrap();
        Self::start_in(dir, args)
    }

    /// Starts `storyreel repl ARGS` in `dir` (its history is `dir/history`).
    fn start_in(dir: TempDir, args: &[&str]) -> Option<Self> {
        if !tmux_available() {
            return None;
        }
        static N: AtomicUsize = AtomicUsize::new(0);
        let socket = format!(
            "storyreel-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let term = Self { socket, dir };
        let quoted: Vec<String> = args.iter().map(|a| quote(a)).collect();
        // Graphics protocols are detected from the environment too: clear what an outer
        // terminal (iTerm2, kitty) may have set, so tmux's own abilities decide.
        let shell = format!(
            "cd {dir} && env -u LC_TERMINAL -u KITTY_WINDOW_ID STORYREEL_HISTORY={history} {bin} repl --out {dir}/ws {args}; echo \"[exited $?]\"; sleep 60",
            dir = quote(term.path().to_str().unwrap()),
            history = quote(term.history().to_str().unwrap()),
            bin = quote(common::BIN),
            args = quoted.join(" "),
        );
        term.tmux(&["new-session", "-d", "-x", "120", "-y", "40", &shell]);
        term.wait_for("In [1]:");
        Some(term)
    }

    /// Ends the terminal, keeping its folder (and so the history file).
    fn stop(mut self) -> TempDir {
        std::mem::replace(&mut self.dir, tempfile::tempdir().unwrap())
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn history(&self) -> PathBuf {
        self.path().join("history")
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Types a line and presses Enter.
    fn line(&self, text: &str) {
        self.text(text);
        self.keys(&["Enter"]);
    }

    fn text(&self, text: &str) {
        // tmux reads a trailing `;` as a command separator unless escaped.
        let escaped = match text.strip_suffix(';') {
            Some(head) => format!("{head}\\;"),
            None => text.to_string(),
        };
        self.tmux(&["send-keys", "-l", &escaped]);
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys"];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    /// The screen and its scrollback.
    fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-S", "-500"])
    }

    /// Waits until the screen shows `needle`; how long it took.
    fn wait_for(&self, needle: &str) -> Duration {
        self.wait_until(needle, PATIENCE)
    }

    fn wait_until(&self, needle: &str, limit: Duration) -> Duration {
        let started = Instant::now();
        loop {
            if self.screen().contains(needle) {
                return started.elapsed();
            }
            if started.elapsed() > limit {
                panic!(
                    "waited {limit:?} for {needle:?}; the screen shows:\n{}",
                    self.screen()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        self.tmux(&["kill-server"]);
    }
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[test]
fn a_function_typed_over_three_lines_can_be_called() {
    let Some(t) = Term::start(&[]) else { return };
    t.line("fn triple(x) {");
    t.line("    x * 3");
    t.line("}");
    t.wait_for("In [2]:");
    t.line("triple(14)");
    t.wait_for("\n42\n");
}

#[test]
fn a_line_typed_ahead_after_a_wrong_one_still_runs() {
    let Some(t) = Term::start(&[]) else { return };
    // Both lines at once, as a fast typist or a paste delivers them.
    t.text("let q = 1 let r = 2");
    t.keys(&["Enter"]);
    t.text("3+3");
    t.keys(&["Enter"]);
    t.wait_for("add ';' at the end of line 1");
    t.wait_for("\n6\n");
    t.wait_for("In [3]:");
}

#[test]
fn tab_offers_the_members_of_a_story() {
    let Some(t) = Term::start(&[]) else { return };
    t.line("let s = story(\"T\", \"One.\\n\\nTwo.\");");
    t.wait_for("In [2]:");
    t.text("s.sce");
    t.keys(&["Tab"]);
    t.wait_for("s.scene");
    let screen = t.screen();
    assert!(
        screen
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["scene", "scenes"]),
        "completion list missing:\n{screen}"
    );
}

#[test]
fn run_executes_the_cells_of_a_loaded_script() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("story.rhai"),
        "// %% 1. Setup\nlet a = 20;\n// %% [markdown] Notes\n// prose\n// %% 3. Show\nprint(`a+1=${a + 1}`);\n",
    )
    .unwrap();
    let Some(t) = Term::start_in(dir, &["story.rhai"]) else {
        return;
    };
    t.wait_for("loaded 3 cells");
    t.line(":cells");
    t.wait_for("3. Show");
    t.line(":run 1..3");
    t.wait_for("a+1=21");
    // Two code cells ran: the prompt counts them.
    t.wait_for("In [3]:");
    t.line(":next");
    t.wait_for("no more cells");
    t.line("a");
    t.wait_for("\n20\n");
}

#[test]
fn ctrl_c_stops_a_runaway_cell_and_keeps_the_variables() {
    let Some(t) = Term::start(&[]) else { return };
    t.line("let keep = 7;");
    t.wait_for("In [2]:");
    t.line("loop {}");
    std::thread::sleep(Duration::from_millis(300));
    t.keys(&["C-c"]);
    let took = t.wait_until("interrupted", Duration::from_secs(1));
    eprintln!("Ctrl-C stopped the cell in {took:?}");
    t.line("keep * 6");
    t.wait_for("\n42\n");
}

#[test]
fn ctrl_c_twice_at_an_empty_prompt_leaves() {
    let Some(t) = Term::start(&[]) else { return };
    t.keys(&["C-c"]);
    t.wait_for("Ctrl-C again");
    t.keys(&["C-c"]);
    t.wait_for("[exited 0]");
}

#[test]
fn history_persists_across_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let Some(first) = Term::start_in(dir, &[]) else {
        return;
    };
    first.line("let remembered = 1234");
    first.wait_for("In [2]:");
    first.keys(&["C-d"]);
    first.wait_for("[exited 0]");
    let saved = std::fs::read_to_string(first.history()).unwrap();
    assert!(saved.contains("let remembered = 1234"), "{saved}");

    let second = Term::start_in(first.stop(), &[]).unwrap();
    second.keys(&["Up"]);
    second.wait_for("In [1]: let remembered = 1234");
    second.keys(&["C-u", "C-r"]);
    second.text("remem");
    second.wait_for("remem': let remembered = 1234");
}

#[test]
fn an_image_is_drawn_with_half_blocks_and_its_path() {
    let Some(t) = Term::start(&[]) else { return };
    let png = t.path().join("pic.png");
    image::RgbImage::from_fn(64, 96, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 2) as u8, 200])
    })
    .save(&png)
    .unwrap();
    t.line(&format!("image(\"{}\")", png.display()));
    t.wait_for(&format!("image: {} (64x96)", png.display()));
    let screen = t.screen();
    let blocks = screen.matches(['▄', '▀']).count();
    assert!(blocks > 100, "no half-block picture:\n{screen}");
    assert!(
        !screen.contains("[?"),
        "a terminal reply was echoed:\n{screen}"
    );
}

#[test]
fn no_images_prints_only_the_path() {
    let Some(t) = Term::start(&["--no-images"]) else {
        return;
    };
    let png = t.path().join("pic.png");
    image::RgbImage::new(8, 8).save(&png).unwrap();
    t.line(&format!("image(\"{}\")", png.display()));
    t.wait_for("image: ");
    assert!(!t.screen().contains('▄'));
}

#[test]
fn a_syntax_error_shows_the_caret() {
    let Some(t) = Term::start(&[]) else { return };
    t.line("let = 5");
    t.wait_for("syntax error");
    let screen = t.screen();
    assert!(screen.contains("1 | let = 5"), "{screen}");
    assert!(
        screen.lines().any(|l| l.trim_end() == "  |     ^"),
        "{screen}"
    );
    t.line("1 + 1");
    t.wait_for("\n2\n");
}

#[test]
fn help_and_save() {
    let Some(t) = Term::start(&[]) else { return };
    t.line(":help split");
    t.wait_for("s.split(#{ by, max_words");
    t.line("let answer = 42;");
    t.wait_for("In [2]:");
    t.line(":save saved.rhai");
    t.wait_for("saved 1 cell to");
    let saved = std::fs::read_to_string(t.path().join("saved.rhai")).unwrap();
    assert_eq!(saved, "// %%\nlet answer = 42;\n");
}

#[test]
fn a_sheet_of_candidates_shows_its_numbers() {
    let Some(t) = Term::start(&[]) else { return };
    t.line("sd_generate(\"a red fox in the snow\", #{ n: 3 })");
    t.wait_for("sheet: ");
    let screen = t.screen();
    let numbers = screen
        .lines()
        .find(|l| l.contains("[0]") && l.contains("[1]") && l.contains("[2]"));
    assert!(numbers.is_some(), "no numbers under the sheet:\n{screen}");
    assert!(screen.matches('▄').count() > 100, "no picture:\n{screen}");
    assert!(screen.contains("  [2] "), "no numbered paths:\n{screen}");
}

/// A busy AUTOMATIC1111 stand-in: it takes every generation and never finishes it, but answers
/// `/sdapi/v1/interrupt` at once, as the real server does while it works.
fn busy_image_server() -> u16 {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request_line = String::new();
                let _ = reader.read_line(&mut request_line);
                if request_line.contains("/sdapi/v1/interrupt") {
                    let mut stream = stream;
                    let _ = stream.write_all(
                        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}",
                    );
                } else {
                    // Busy: hold the request open for the rest of the test.
                    std::thread::sleep(Duration::from_secs(120));
                }
            });
        }
    });
    port
}

#[test]
fn ctrl_c_cancels_a_generation_waiting_on_a_server() {
    let Some(t) = Term::start(&[]) else { return };
    let port = busy_image_server();
    t.line("let kept = 5;");
    t.wait_for("In [2]:");
    t.line(&format!(
        "backend(\"a1111\", #{{ url: \"http://127.0.0.1:{port}\" }})"
    ));
    t.wait_for("In [3]:");
    t.line("sd_generate(\"a fox in the snow\")");
    t.wait_for("sd_generate [");
    t.keys(&["C-c"]);
    let took = t.wait_until("interrupted", Duration::from_secs(1));
    eprintln!("Ctrl-C cancelled the generation in {took:?}");
    t.line("kept + 1");
    t.wait_for("\n6\n");
}
