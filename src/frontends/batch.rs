//! `storyreel run`: scripts run one after another, unattended. A failing script does not stop
//! the others; a summary lists each one's outcome.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::batch_display::BatchDisplay;
use crate::runtime::cells::{parse_cells, parse_range, CellKind};
use crate::runtime::{Session, Workspace};

pub struct BatchOptions {
    pub scripts: Vec<PathBuf>,
    /// Cell selection such as `2..4`; all cells when `None`.
    pub cells: Option<String>,
    pub workspace: PathBuf,
}

#[derive(Debug)]
pub enum Outcome {
    Ok { cells: usize },
    Failed { reason: String },
    Interrupted,
}

/// Set by Ctrl-C: stops the running cell and the rest of the batch.
pub static STOP: AtomicBool = AtomicBool::new(false);

/// Runs every script; returns each script's outcome.
pub fn run_scripts(
    opts: &BatchOptions,
    current_interrupt: &Mutex<Option<Arc<AtomicBool>>>,
) -> Vec<(PathBuf, Outcome, f64)> {
    let workspace = Arc::new(Workspace::new(&opts.workspace));
    let color = std::io::stderr().is_terminal();
    let mut results = Vec::new();
    for script in &opts.scripts {
        if STOP.load(Ordering::Relaxed) {
            results.push((script.clone(), Outcome::Interrupted, 0.0));
            continue;
        }
        let started = Instant::now();
        if opts.scripts.len() > 1 {
            eprintln!("== {}", script.display());
        }
        let outcome = run_script(script, opts, &workspace, color, current_interrupt);
        results.push((script.clone(), outcome, started.elapsed().as_secs_f64()));
    }
    results
}

fn run_script(
    script: &Path,
    opts: &BatchOptions,
    workspace: &Arc<Workspace>,
    color: bool,
    current_interrupt: &Mutex<Option<Arc<AtomicBool>>>,
) -> Outcome {
    let source = match std::fs::read_to_string(script) {
        Ok(s) => s,
        Err(e) => {
            let reason = format!("cannot read {}: {e}", script.display());
            eprintln!("error: {reason}");
            return Outcome::Failed { reason };
        }
    };
    let cells = parse_cells(&source);
    let selected = match &opts.cells {
        Some(spec) => match parse_range(spec, cells.len()) {
            Ok(s) => s,
            Err(reason) => {
                eprintln!("error: {reason}");
                return Outcome::Failed { reason };
            }
        },
        None => (1..=cells.len()).collect(),
    };
    let display = Arc::new(BatchDisplay::new(workspace.clone()));
    let mut session = Session::new(display, Workspace::new(workspace.root()));
    session.set_script_dir(script.parent().map(Path::to_path_buf));
    session.set_script(Some(script.to_path_buf()));
    *current_interrupt.lock().unwrap() = Some(session.interrupt_flag());
    let file = script.display().to_string();
    let mut ran = 0;
    for cell in cells
        .iter()
        .filter(|c| selected.contains(&c.number) && c.kind == CellKind::Code)
    {
        match session.run_cell(&file, cell) {
            Ok(value) => {
                if let Some(output) = session.output_of(&value) {
                    session.display().show(&output);
                }
                ran += 1;
            }
            Err(err) => {
                eprint!("{}", err.render(color));
                if err.interrupted {
                    return Outcome::Interrupted;
                }
                let title = if cell.title.is_empty() {
                    String::new()
                } else {
                    format!(" \"{}\"", cell.title)
                };
                return Outcome::Failed {
                    reason: format!("cell {}{title}: {}", cell.number, err.message),
                };
            }
        }
    }
    Outcome::Ok { cells: ran }
}

/// The end-of-batch summary; returns whether every script succeeded.
pub fn print_summary(results: &[(PathBuf, Outcome, f64)]) -> bool {
    let failed = results
        .iter()
        .filter(|(_, o, _)| !matches!(o, Outcome::Ok { .. }))
        .count();
    if results.len() > 1 || failed > 0 {
        eprintln!("\nsummary:");
        for (path, outcome, secs) in results {
            let line = match outcome {
                Outcome::Ok { cells } => format!(
                    "  ok           {} ({cells} cells, {secs:.1} s)",
                    path.display()
                ),
                Outcome::Failed { reason } => {
                    format!("  FAILED       {}: {reason}", path.display())
                }
                Outcome::Interrupted => format!("  INTERRUPTED  {}", path.display()),
            };
            eprintln!("{line}");
        }
        eprintln!(
            "{} of {} scripts succeeded",
            results.len() - failed,
            results.len()
        );
    }
    failed == 0
}
