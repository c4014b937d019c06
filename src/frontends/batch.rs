//! `storyreel run`: scripts run one after another, unattended. A failing script does not stop
//! the others; a summary lists each one's outcome.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::batch_display::BatchDisplay;
use crate::runtime::cells::{parse_cells, parse_range, Cell, CellKind};
use crate::runtime::check::plural;
use crate::runtime::{ScriptError, Session, Workspace};

pub struct BatchOptions {
    pub scripts: Vec<PathBuf>,
    /// Cell selection such as `2..4`; all cells when `None`.
    pub cells: Option<String>,
    pub workspace: PathBuf,
    /// Check mode: draft images, quick small renders in a temporary workspace, and a report of
    /// what the real run would do.
    pub check: bool,
}

#[derive(Debug)]
pub enum Outcome {
    /// `check`: in check mode, what the real run would generate and render.
    /// `failed_images`: images that failed while the script went on (kept work stays).
    Ok {
        cells: usize,
        check: Option<String>,
        failed_images: usize,
    },
    Failed {
        reason: String,
    },
    Interrupted,
}

/// Set by Ctrl-C: stops the running cell and the rest of the batch.
pub static STOP: AtomicBool = AtomicBool::new(false);

/// Runs every script; returns each script's outcome.
pub fn run_scripts(
    opts: &BatchOptions,
    current_interrupt: &Mutex<Option<Arc<AtomicBool>>>,
) -> Vec<(PathBuf, Outcome, f64)> {
    // Check mode never touches the real workspace: its images and renders are throw-away.
    let scratch = opts.check.then(tempfile::tempdir).transpose();
    let root = match &scratch {
        Ok(Some(dir)) => dir.path().to_path_buf(),
        Ok(None) => opts.workspace.clone(),
        Err(e) => {
            let reason = format!("cannot create a temporary workspace for --check: {e}");
            eprintln!("error: {reason}");
            return opts
                .scripts
                .iter()
                .map(|p| {
                    (
                        p.clone(),
                        Outcome::Failed {
                            reason: reason.clone(),
                        },
                        0.0,
                    )
                })
                .collect();
        }
    };
    let workspace = Arc::new(Workspace::new(&root));
    let color = std::io::stderr().is_terminal();
    // Every cell of every script is parsed before any runs: a typo in the last cell of the
    // last script must not wait for a night of generation to be found.
    let prepared: Vec<Result<Vec<Cell>, String>> = opts
        .scripts
        .iter()
        .map(|script| prepare(script, opts, &workspace, color))
        .collect();
    let mut results = Vec::new();
    for (script, cells) in opts.scripts.iter().zip(prepared) {
        if STOP.load(Ordering::Relaxed) {
            results.push((script.clone(), Outcome::Interrupted, 0.0));
            continue;
        }
        let cells = match cells {
            Ok(cells) => cells,
            Err(reason) => {
                results.push((script.clone(), Outcome::Failed { reason }, 0.0));
                continue;
            }
        };
        let started = Instant::now();
        if opts.scripts.len() > 1 {
            eprintln!("== {}", script.display());
        }
        let outcome = run_script(script, &cells, opts, &workspace, color, current_interrupt);
        results.push((script.clone(), outcome, started.elapsed().as_secs_f64()));
    }
    results
}

/// Reads a script, selects its cells and parses them all; the error is printed and returned.
fn prepare(
    script: &Path,
    opts: &BatchOptions,
    workspace: &Arc<Workspace>,
    color: bool,
) -> Result<Vec<Cell>, String> {
    let fail = |reason: String| {
        eprintln!("error: {reason}");
        Err(reason)
    };
    let source = match crate::input_file::read_text(script, crate::input_file::SCRIPT) {
        Ok(s) => s,
        Err(reason) => return fail(reason.to_string()),
    };
    let cells = parse_cells(&source);
    let selected = match &opts.cells {
        Some(spec) => match parse_range(spec, cells.len()) {
            Ok(s) => s,
            Err(reason) => return fail(reason),
        },
        None => (1..=cells.len()).collect(),
    };
    let cells: Vec<Cell> = cells
        .into_iter()
        .filter(|c| selected.contains(&c.number) && c.kind == CellKind::Code)
        .collect();
    let display = Arc::new(BatchDisplay::new(workspace.clone()));
    let session = Session::new(display, Workspace::new(workspace.root()));
    if let Err(err) = session.check_syntax(&script.display().to_string(), &cells) {
        eprint!("{}", err.render(color));
        return Err(failure_reason(&err, script));
    }
    Ok(cells)
}

fn failure_reason(err: &ScriptError, script: &Path) -> String {
    match &err.at {
        Some(at) => {
            let cell = &at.origin;
            let title = if cell.cell_title.is_empty() {
                String::new()
            } else {
                format!(" \"{}\"", cell.cell_title)
            };
            let kind = if err.is_syntax { "syntax error: " } else { "" };
            format!("cell {}{title}: {kind}{}", cell.cell_number, err.message)
        }
        None => format!("{}: {}", script.display(), err.message),
    }
}

fn run_script(
    script: &Path,
    cells: &[Cell],
    opts: &BatchOptions,
    workspace: &Arc<Workspace>,
    color: bool,
    current_interrupt: &Mutex<Option<Arc<AtomicBool>>>,
) -> Outcome {
    let display = Arc::new(BatchDisplay::new(workspace.clone()));
    let mut session = Session::new(display, Workspace::new(workspace.root()));
    if opts.check {
        session.set_check_mode();
    }
    session.set_script_dir(script.parent().map(Path::to_path_buf));
    session.set_script(Some(script.to_path_buf()));
    *current_interrupt.lock().unwrap() = Some(session.interrupt_flag());
    let file = script.display().to_string();
    let mut ran = 0;
    for cell in cells {
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
    Outcome::Ok {
        cells: ran,
        check: session.check_report().map(|r| r.summary()),
        failed_images: session
            .context()
            .failed_images
            .load(std::sync::atomic::Ordering::Relaxed),
    }
}

/// Exit code of a run in which every script ran to its end but images failed (after
/// `retry_for`, or refused by the server): an overnight run is not reported a success.
/// 1 stays "a script failed"; 2 is taken by command-line usage errors.
pub const IMAGES_FAILED_EXIT: u8 = 3;

/// The end-of-batch summary; returns the exit code: 0 when everything was made, 1 when
/// a script failed, [`IMAGES_FAILED_EXIT`] when only images failed.
pub fn print_summary(results: &[(PathBuf, Outcome, f64)]) -> u8 {
    let failed = results
        .iter()
        .filter(|(_, o, _)| !matches!(o, Outcome::Ok { .. }))
        .count();
    let lost_images: usize = results
        .iter()
        .map(|(_, o, _)| match o {
            Outcome::Ok { failed_images, .. } => *failed_images,
            _ => 0,
        })
        .sum();
    let checked = results
        .iter()
        .any(|(_, o, _)| matches!(o, Outcome::Ok { check: Some(_), .. }));
    if results.len() > 1 || failed > 0 || checked || lost_images > 0 {
        eprintln!("\nsummary{}:", if checked { " (check mode)" } else { "" });
        for (path, outcome, secs) in results {
            let line = match outcome {
                Outcome::Ok {
                    cells,
                    check,
                    failed_images,
                } => format!(
                    "  {}{} ({}, {secs:.1} s){}\n{}",
                    if *failed_images > 0 {
                        "PARTIAL      "
                    } else {
                        "ok           "
                    },
                    path.display(),
                    plural(*cells, "cell"),
                    if *failed_images > 0 {
                        format!(
                            ": {} not made; the images that were made are kept, and a re-run makes only the missing ones",
                            plural(*failed_images, "image")
                        )
                    } else {
                        String::new()
                    },
                    check.as_deref().unwrap_or_default()
                )
                .trim_end()
                .to_string(),
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
        if lost_images > 0 {
            eprintln!(
                "{} failed (exit code {IMAGES_FAILED_EXIT})",
                plural(lost_images, "image")
            );
        }
    }
    if failed > 0 {
        1
    } else if lost_images > 0 {
        IMAGES_FAILED_EXIT
    } else {
        0
    }
}
