//! `storyreel repl`: an interactive story session in the terminal, with images drawn inline.
//!
//! The session lives on the main thread; Ctrl-C only raises the session's interrupt flag, so a
//! runaway cell stops and every variable survives. Completion and the multi-line check read the
//! same session the cells run in, so they always see what is defined.

mod cell_commands;
mod commands;
mod completion;
mod display;
mod helper;
mod history;
mod interactive;
mod piped;
mod script;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use rhai::Dynamic;

use self::display::ReplDisplay;
use self::script::Script;
use crate::frontends::signals;
use crate::runtime::{ScriptError, Session, Workspace};

use self::history::history_path;

pub struct ReplOptions {
    /// A `// %%` script whose cells are loaded, not run.
    pub script: Option<PathBuf>,
    /// Print image paths only, never draw them.
    pub no_images: bool,
    pub workspace: PathBuf,
}

/// What the loop does after an input.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Flow {
    Continue,
    Quit,
}

/// How a piece of code ended.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    Ok,
    Failed,
    Interrupted,
}

pub(crate) struct Repl {
    /// Shared with the line editor's helper for completion and the completeness check.
    session: Arc<Mutex<Session>>,
    script: Option<Script>,
    /// A title per entry of `Session::inputs`, so `:save` keeps the script's cell titles.
    input_titles: Vec<String>,
    /// Inputs typed so far; numbers the prompt and names the cell in errors.
    count: usize,
    /// True while a cell runs: Ctrl-C then interrupts it instead of ending the program.
    running: Arc<AtomicBool>,
    /// Errors in colour: only when they go to a terminal.
    color: bool,
    /// Inputs that failed; a piped session exits non-zero when any did.
    failures: usize,
}

pub fn run(opts: ReplOptions) -> ExitCode {
    let interactive = std::io::stdin().is_terminal();
    let workspace = Arc::new(Workspace::new(&opts.workspace));
    let display = Arc::new(ReplDisplay::new(workspace, !opts.no_images));
    let session = Session::new(display, Workspace::new(&opts.workspace));
    let mut repl = Repl::new(session);
    if let Some(path) = &opts.script {
        if let Err(message) = repl.load_script(path) {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    }
    repl.install_interrupt(interactive);
    if interactive {
        interactive::run(&mut repl)
    } else {
        piped::run(&mut repl)
    }
}

/// Input the REPL answers itself, never code: `:commands` and `name?` queries.
pub(crate) fn is_repl_input(input: &str) -> bool {
    let trimmed = input.trim();
    trimmed.starts_with(':') || help_query(trimmed).is_some()
}

/// `story?`, `s.split?` (IPython's way to ask for a doc): the name asked about.
fn help_query(input: &str) -> Option<&str> {
    let name = input.strip_suffix('?')?;
    let is_path = name
        .chars()
        .all(|c| c.is_alphanumeric() || c == '_' || c == '.');
    (!name.is_empty() && is_path).then_some(name)
}

impl Repl {
    fn new(session: Session) -> Self {
        Self {
            session: Arc::new(Mutex::new(session)),
            script: None,
            input_titles: Vec::new(),
            count: 0,
            running: Arc::new(AtomicBool::new(false)),
            color: std::io::stderr().is_terminal(),
            failures: 0,
        }
    }

    fn session(&self) -> MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn load_script(&mut self, path: &Path) -> Result<(), crate::input_file::InputError> {
        let script = Script::load(path)?;
        self.session()
            .set_script_dir(path.parent().map(Path::to_path_buf));
        eprintln!(
            "loaded {} cells from {} (not run): :cells lists them, :next runs the next one",
            script.cells.len(),
            path.display()
        );
        self.script = Some(script);
        Ok(())
    }

    /// Ctrl-C stops the running cell; between cells of a piped session it ends the program
    /// (an interactive prompt reads Ctrl-C as a key, see `interactive`).
    fn install_interrupt(&self, interactive: bool) {
        let flag = self.session().interrupt_flag();
        let running = self.running.clone();
        let (term_flag, term_running) = (flag.clone(), running.clone());
        let _ = ctrlc::set_handler(move || {
            if running.load(Ordering::Relaxed) {
                flag.store(true, Ordering::Relaxed);
            } else if !interactive {
                std::process::exit(130);
            }
        });
        // SIGTERM stops a running cell like Ctrl-C (its partial files go), then `execute` ends
        // the program; at the prompt it ends it at once.
        signals::on_terminate(move || {
            if term_running.load(Ordering::Relaxed) {
                term_flag.store(true, Ordering::Relaxed);
            } else {
                let _ = crossterm::terminal::disable_raw_mode();
                std::process::exit(signals::TERMINATED_EXIT.into());
            }
        });
    }

    /// A line (or block) the user entered: a `:command` or code.
    fn submit(&mut self, input: &str) -> Flow {
        let trimmed = input.trim();
        if trimmed.starts_with(':') {
            return commands::run(self, trimmed);
        }
        // IPython's `name?`: the doc of a primitive or member.
        if let Some(name) = help_query(trimmed) {
            return commands::run(self, &format!(":help {name}"));
        }
        if !trimmed.is_empty() {
            self.run_code(input);
        }
        Flow::Continue
    }

    fn run_code(&mut self, code: &str) -> Outcome {
        self.count += 1;
        let number = self.count;
        self.execute(String::new(), |s| s.run_input(code, number))
    }

    /// Runs code on the session, shows its value or its error, and keeps `input_titles` in step.
    fn execute(
        &mut self,
        title: String,
        run: impl FnOnce(&mut Session) -> Result<Dynamic, ScriptError>,
    ) -> Outcome {
        let mut session = self.session.lock().unwrap_or_else(|p| p.into_inner());
        let before = session.inputs().len();
        self.running.store(true, Ordering::Relaxed);
        let result = run(&mut session);
        self.running.store(false, Ordering::Relaxed);
        if signals::terminating() {
            let _ = crossterm::terminal::disable_raw_mode();
            std::process::exit(signals::TERMINATED_EXIT.into());
        }
        if session.inputs().len() > before {
            self.input_titles.push(title);
        }
        match result {
            Ok(value) => {
                if let Some(output) = session.output_of(&value) {
                    session.display().show(&output);
                }
                Outcome::Ok
            }
            Err(err) if err.interrupted => {
                eprintln!("interrupted: the session and its variables are intact");
                Outcome::Interrupted
            }
            Err(err) => {
                eprint!("{}", err.render(self.color));
                self.failures += 1;
                Outcome::Failed
            }
        }
    }
}
