//! Non-interactive stdin (`echo 'print(1+1)' | storyreel repl`): lines gather until the code is
//! complete, by the same check as the interactive prompt; no prompts are printed.

use std::io::BufRead;
use std::process::ExitCode;

use super::{Flow, Repl};
use crate::runtime::complete::{check, Completeness};

pub fn run(repl: &mut Repl) -> ExitCode {
    let mut buffer = String::new();
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        if buffer.is_empty() && super::is_repl_input(&line) {
            if repl.submit(&line) == Flow::Quit {
                return exit_code(repl);
            }
            continue;
        }
        buffer.push_str(&line);
        buffer.push('\n');
        if buffer.trim().is_empty() {
            buffer.clear();
            continue;
        }
        let complete = check(repl.session().engine(), &buffer) != Completeness::Incomplete;
        if complete {
            repl.run_code(buffer.trim_end());
            buffer.clear();
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
