//! Non-interactive stdin (`echo 'print(1+1)' | storyreel repl`): lines gather until the code is
//! complete, by the same check as the interactive prompt; no prompts are printed.

use std::io::{BufRead, Read};
use std::process::ExitCode;

use super::{Flow, Repl};
use crate::runtime::complete::{check, Completeness, OpenScan};

/// The longest input line read: no code line is near it.
const MAX_LINE_BYTES: u64 = 1 << 20;

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
        match (&mut stdin)
            .take(MAX_LINE_BYTES + 1)
            .read_until(b'\n', &mut raw)
        {
            Ok(0) => break,
            Ok(_) => number += 1,
            Err(e) => {
                eprintln!("error: cannot read the input after line {number}: {e}");
                repl.failures += 1;
                break;
            }
        }
        // A device or a runaway producer (`< /dev/zero`) must not fill memory.
        let too_long = raw.len() as u64 > MAX_LINE_BYTES;
        if too_long || (buffer.len() + raw.len()) as u64 > crate::input_file::SCRIPT.max_bytes {
            eprintln!(
                "error: input line {number} {}; the rest of the input was not read",
                if too_long {
                    "is longer than 1 MB"
                } else {
                    "makes the open block larger than the 16 MB a script may have"
                }
            );
            repl.failures += 1;
            return exit_code(repl);
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
