//! The interactive prompt: rustyline with history, completion and multi-line entry.
//!
//! At the prompt the terminal is in raw mode, so Ctrl-C arrives as a key, not a signal: it
//! clears the line, and pressed twice at an empty prompt it leaves. While a cell runs the
//! terminal is back in cooked mode and Ctrl-C is the signal that interrupts the cell.

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use rustyline::config::{CompletionType, Config};
use rustyline::error::ReadlineError;
use rustyline::history::FileHistory;
use rustyline::{
    Cmd, ConditionalEventHandler, Editor, Event, EventContext, EventHandler, KeyEvent, RepeatCount,
};

use super::helper::ReplHelper;
use super::{history_path, Flow, Repl};

/// Notes whether the line was empty when Ctrl-C was pressed, then interrupts as usual.
struct CtrlC(Arc<AtomicBool>);

impl ConditionalEventHandler for CtrlC {
    fn handle(&self, _: &Event, _: RepeatCount, _: bool, ctx: &EventContext) -> Option<Cmd> {
        self.0.store(ctx.line().is_empty(), Ordering::Relaxed);
        Some(Cmd::Interrupt)
    }
}

pub fn run(repl: &mut Repl) -> ExitCode {
    let mut editor = match new_editor(repl) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: cannot start the line editor: {e}");
            return ExitCode::FAILURE;
        }
    };
    let empty_ctrl_c = Arc::new(AtomicBool::new(false));
    editor.bind_sequence(
        KeyEvent::ctrl('C'),
        EventHandler::Conditional(Box::new(CtrlC(empty_ctrl_c.clone()))),
    );
    let history = history_path();
    if let Some(path) = &history {
        // A missing file is the first run; nothing to load.
        let _ = editor.load_history(path);
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
    }
    println!(
        "storyreel {} — Rhai story session. :help for commands, Tab completes, Ctrl-D quits.",
        env!("CARGO_PKG_VERSION")
    );
    let mut exit_armed = false;
    loop {
        let prompt = format!("In [{}]: ", repl.count + 1);
        match editor.readline(&prompt) {
            Ok(line) => {
                exit_armed = false;
                if line.trim().is_empty() {
                    continue;
                }
                let _ = editor.add_history_entry(line.as_str());
                if let Some(path) = &history {
                    // Appending after each entry keeps history even if the terminal dies.
                    let _ = editor.append_history(path);
                }
                if repl.submit(&line) == Flow::Quit {
                    break;
                }
            }
            Err(ReadlineError::Interrupted) => {
                if !empty_ctrl_c.load(Ordering::Relaxed) {
                    exit_armed = false;
                } else if exit_armed {
                    break;
                } else {
                    exit_armed = true;
                    eprintln!("(Ctrl-C again or Ctrl-D to quit)");
                }
            }
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                eprintln!("error: {e}");
                break;
            }
        }
    }
    ExitCode::SUCCESS
}

fn new_editor(repl: &Repl) -> rustyline::Result<Editor<ReplHelper, FileHistory>> {
    let config = Config::builder()
        .max_history_size(5000)?
        .history_ignore_dups(true)?
        .history_ignore_space(true)
        .completion_type(CompletionType::List)
        .completion_show_all_if_ambiguous(true)
        .build();
    let mut editor = Editor::with_config(config)?;
    editor.set_helper(Some(ReplHelper::new(repl.session.clone(), repl.color)));
    Ok(editor)
}
