//! The commands on the cells of the script given to `storyreel repl FILE`: `:cells`, `:run`,
//! `:next`, `:edit`.

use super::{Outcome, Repl};
use crate::runtime::cells::{parse_range, CellKind};
use anyhow::{bail, Context};

/// Runs `f` when a script is loaded; otherwise says how to load one.
pub fn with_script(repl: &mut Repl, f: impl FnOnce(&mut Repl)) {
    if repl.script.is_none() {
        eprintln!("no script loaded: start with `storyreel repl FILE.rhai`");
    } else {
        f(repl);
    }
}

pub fn run_cells(repl: &mut Repl, spec: &str) {
    if spec.is_empty() {
        eprintln!("usage: :run N, :run N..M (cells are numbered from 1; :cells lists them)");
        return;
    }
    let count = repl.script.as_ref().map_or(0, |s| s.cells.len());
    match parse_range(spec, count) {
        Ok(numbers) => {
            for number in numbers {
                if run_cell(repl, number) != Outcome::Ok {
                    break;
                }
            }
        }
        Err(message) => eprintln!("{}", message.replacen("cells: ", ":run ", 1)),
    }
}

pub fn next(repl: &mut Repl) {
    match repl.script.as_ref().and_then(|s| s.next_code_cell()) {
        Some(number) => {
            run_cell(repl, number);
        }
        None => println!("no more cells: :cells lists them, :run N runs one again"),
    }
}

/// Runs one cell of the loaded script; markdown cells are skipped.
fn run_cell(repl: &mut Repl, number: usize) -> Outcome {
    let script = repl.script.as_ref().expect("checked by with_script");
    let Some(cell) = script.cell(number).cloned() else {
        return Outcome::Failed;
    };
    let file = script.file_name();
    if cell.kind == CellKind::Markdown {
        return Outcome::Ok;
    }
    if cell.title.is_empty() {
        println!("── cell {number}");
    } else {
        println!("── cell {number}: {}", cell.title);
    }
    // A script cell run is an input like any other: the prompt's number moves on.
    repl.count += 1;
    let outcome = repl.execute(cell.title.clone(), |s| s.run_cell(&file, &cell));
    if outcome == Outcome::Ok {
        if let Some(script) = repl.script.as_mut() {
            script.mark_ran(number);
        }
    }
    outcome
}

pub fn edit(repl: &mut Repl, arg: &str) {
    let script = repl.script.as_ref().expect("checked by with_script");
    let Some(cell) = arg.parse().ok().and_then(|n| script.cell(n)) else {
        eprintln!("usage: :edit N, with N from 1 to {}", script.cells.len());
        return;
    };
    let number = cell.number;
    match edit_in_editor(&cell.code) {
        Ok(code) => {
            repl.script.as_mut().unwrap().replace(number, code);
            println!("cell {number} updated (in this session only): :run {number} runs it");
        }
        Err(message) => eprintln!("error: {message:#}"),
    }
}

/// Opens `$VISUAL`, `$EDITOR` or `vi` on a temporary `.rhai` file and returns what was saved.
fn edit_in_editor(code: &str) -> anyhow::Result<String> {
    let file = tempfile::Builder::new()
        .prefix("storyreel-cell-")
        .suffix(".rhai")
        .tempfile()
        .context("cannot create a temporary file")?;
    std::fs::write(file.path(), code)?;
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .unwrap_or_else(|_| "vi".to_string());
    // $EDITOR may carry arguments, as in "code --wait".
    let mut words = editor.split_whitespace();
    let program = words.next().unwrap_or("vi");
    let status = std::process::Command::new(program)
        .args(words)
        .arg(file.path())
        .status()
        .with_context(|| format!("cannot start the editor \"{editor}\""))?;
    if !status.success() {
        bail!("the editor \"{editor}\" failed ({status}); the cell is unchanged");
    }
    Ok(std::fs::read_to_string(file.path())?)
}
