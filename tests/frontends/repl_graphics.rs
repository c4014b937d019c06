//! Terminals with graphics get images through their own protocol, chosen by what the terminal
//! answers (sixel in its device attributes, kitty to its graphics query) or announces (iTerm2,
//! in `TERM_PROGRAM`). The REPL
//! runs on a pseudo-terminal whose other end this test plays, answering the terminal queries.

use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use nix::pty::openpty;

use crate::common;

/// The far end of the REPL's pseudo-terminal.
struct FakeTerminal {
    child: Child,
    input: std::fs::File,
    output: Receiver<Vec<u8>>,
    seen: Vec<u8>,
    /// The reply to a primary device attributes query (`ESC [ c`).
    device_attributes: &'static str,
    /// Whether kitty graphics queries get an OK.
    kitty: bool,
    /// Where the next query to answer is looked for.
    scanned: usize,
    /// A terminal (or a pipe pretending to be one) that answers no query at all.
    silent: bool,
}

impl FakeTerminal {
    fn start(
        device_attributes: &'static str,
        kitty: bool,
        env: &[(&str, &str)],
    ) -> (Self, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let pty = openpty(None, None).unwrap();
        let child = Command::new(common::BIN)
            .args(["repl", "--out"])
            .arg(dir.path().join("ws"))
            .env("STORYREEL_HISTORY", "")
            .env_remove("TERM_PROGRAM")
            .env_remove("LC_TERMINAL")
            .envs(env.iter().copied())
            .stdin(Stdio::from(pty.slave.try_clone().unwrap()))
            .stdout(Stdio::from(pty.slave.try_clone().unwrap()))
            .stderr(Stdio::from(pty.slave))
            .spawn()
            .unwrap();
        let master = std::fs::File::from(pty.master);
        let input = master.try_clone().unwrap();
        let (tx, output) = channel();
        std::thread::spawn(move || {
            let mut master = master;
            let mut buf = [0u8; 8192];
            while let Ok(n) = master.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        let term = Self {
            child,
            input,
            output,
            seen: Vec::new(),
            device_attributes,
            kitty,
            scanned: 0,
            silent: false,
        };
        (term, dir)
    }

    fn contains(&self, needle: &[u8]) -> bool {
        self.seen.windows(needle.len()).any(|w| w == needle)
    }

    /// Reads until `needle` shows, answering device attribute queries on the way.
    fn wait_for(&mut self, needle: &str) {
        let started = Instant::now();
        while !self.contains(needle.as_bytes()) {
            let left = Duration::from_secs(15).saturating_sub(started.elapsed());
            let chunk = self.output.recv_timeout(left).unwrap_or_else(|_| {
                panic!(
                    "no {needle:?} in: {}",
                    String::from_utf8_lossy(&self.seen).escape_debug()
                )
            });
            self.seen.extend_from_slice(&chunk);
            self.answer_queries();
        }
    }

    /// Answers each terminal query once, in the order they were sent, as a terminal does.
    fn answer_queries(&mut self) {
        if self.silent {
            return;
        }
        let kitty_ok = if self.kitty {
            "\x1b_Gi=31;OK\x1b\\"
        } else {
            ""
        };
        let queries: [(&[u8], &str); 3] = [
            (b"\x1b[c", self.device_attributes),
            (b"\x1b[5n", "\x1b[0n"),
            (b"\x1b_Gi=31,", kitty_ok),
        ];
        loop {
            let rest = &self.seen[self.scanned..];
            let first = queries
                .iter()
                .filter_map(|(q, reply)| {
                    let at = rest.windows(q.len()).position(|w| w == *q)?;
                    Some((at, q.len(), *reply))
                })
                .min_by_key(|(at, _, _)| *at);
            let Some((at, len, reply)) = first else { break };
            self.input.write_all(reply.as_bytes()).unwrap();
            self.scanned += at + len;
        }
    }

    fn line(&mut self, text: &str) {
        self.input
            .write_all(format!("{text}\r").as_bytes())
            .unwrap();
    }
}

impl Drop for FakeTerminal {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn show_an_image(
    device_attributes: &'static str,
    kitty: bool,
    env: &[(&str, &str)],
) -> FakeTerminal {
    let (term, dir) = FakeTerminal::start(device_attributes, kitty, env);
    show_in(term, dir)
}

fn show_in(mut term: FakeTerminal, dir: tempfile::TempDir) -> FakeTerminal {
    let png = dir.path().join("pic.png");
    image::RgbImage::from_pixel(32, 48, image::Rgb([200, 40, 40]))
        .save(&png)
        .unwrap();
    term.wait_for("In [1]:");
    term.line(&format!("image(\"{}\")", png.display()));
    term.wait_for(&format!("image: {} (32x48)", png.display()));
    term.line(":quit");
    term
}

#[test]
fn a_sixel_terminal_gets_sixels() {
    // VT340-like: attribute 4 means sixel graphics.
    let term = show_an_image("\x1b[?63;1;4;22c", false, &[]);
    assert!(term.contains(b"\x1bP"), "no sixel (DCS) sequence was sent");
    assert!(!term.contains("▄".as_bytes()), "half-blocks drawn as well");
}

#[test]
fn an_iterm_terminal_gets_the_inline_image_protocol() {
    let term = show_an_image("\x1b[?62;22c", false, &[("TERM_PROGRAM", "iTerm.app")]);
    assert!(
        term.contains(b"\x1b]1337;File="),
        "no iTerm2 image sequence"
    );
}

#[test]
fn a_kitty_terminal_gets_the_kitty_protocol() {
    let term = show_an_image("\x1b[?62;22c", true, &[]);
    assert!(term.contains(b"\x1b_Gf=32,"), "no kitty image sequence");
}

#[test]
fn a_plain_terminal_gets_half_blocks() {
    let term = show_an_image("\x1b[?62;22c", false, &[]);
    assert!(term.contains("▄".as_bytes()), "no half-blocks");
    assert!(!term.contains(b"\x1b]1337;") && !term.contains(b"\x1bP"));
}

#[test]
fn a_terminal_that_answers_no_query_gets_half_blocks_without_hanging() {
    let (mut term, dir) = FakeTerminal::start("", false, &[]);
    term.silent = true;
    let started = Instant::now();
    let term = show_in(term, dir);
    assert!(term.contains("▄".as_bytes()), "no half-blocks");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
}
