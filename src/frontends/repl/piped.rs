//! Non-interactive stdin (`echo 'print(1+1)' | storyreel repl`): lines gather until the code is
//! complete, by the same check as the interactive prompt; no prompts are printed.

use std::io::BufRead;
use std::process::ExitCode;

use super::{Flow, Repl};
use crate::runtime::complete::{check, Completeness, OpenScan};

pub fn run(repl: &mut Repl) -> ExitCode {
    let mut buffer = String::new();
    // Tracks open brackets, strings and comments of `buffer` as it grows: a block is parsed
    // only once it may be complete, not once per line (which made long blocks quadratic).
    let mut scan = OpenScan::default();
    let mut stdin = std::io::stdin().lock();
    let mut raw = Vec::new();
    let mut number = 0;
    loop {
        raw.clear();
        match stdin.read_until(b'\n', &mut raw) {
            Ok(0) => break,
            Ok(_) => number += 1,
            Err(e) => {
                eprintln!("error: cannot read the input after line {number}: {e}");
                repl.failures += 1;
                break;
            }
        }
        let line = match std::str::from_utf8(&raw) {
            Ok(text) => text.trim_end_matches(['\n', '\r']),
            Err(e) => {
                eprintln!(
                    "error: input line {number} is not UTF-8 text (byte 0x{:02x} at column {}); \
                     the line was skipped",
                    raw[e.valid_up_to()],
                    e.valid_up_to() + 1
                );
                repl.failures += 1;
                continue;
            }
        };
        if buffer.is_empty() && super::is_repl_input(line) {
            if repl.submit(line) == Flow::Quit {
                return exit_code(repl);
            }
            continue;
        }
        buffer.push_str(line);
        buffer.push('\n');
        scan.feed(line);
        scan.feed("\n");
        if buffer.trim().is_empty() {
            buffer.clear();
            scan = OpenScan::default();
            continue;
        }
        let complete =
            !scan.is_open() && check(repl.session().engine(), &buffer) != Completeness::Incomplete;
        if complete {
            repl.run_code(buffer.trim_end());
            buffer.clear();
            scan = OpenScan::default();
        }
    }
    // Whatever is left is incomplete: running it reports what is missing.
    if !buffer.trim().is_empty() {
        repl.run_code(buffer.trim_end());
    }
    exit_code(repl)
}

/// Scripts piping into the REPL learn from the exit code whether any input failed.
fn exit_code(repl: &Repl) -> ExitCode {
    if repl.failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
