//! The `:commands` of the REPL.

use std::time::Instant;

use super::{Flow, Outcome, Repl};
use crate::runtime::cells::{format_cells, parse_range, Cell, CellKind};
use crate::runtime::display::Table;
use crate::runtime::docs;

/// Every command with its arguments and what it does (for `:help` and completion).
pub const COMMANDS: &[(&str, &str, &str)] = &[
    (
        ":help",
        "[NAME]",
        "this help, or the doc of a primitive or member (:help split, or split?)",
    ),
    (":vars", "", "variables and functions defined so far"),
    (":reset", "", "forget every variable and function"),
    (":backend", "", "the image backend in use"),
    (":time", "EXPR", "run EXPR and print how long it took"),
    (":cells", "", "the loaded script's cells (✓ run, → next)"),
    (":run", "N | N..M", "run cells of the loaded script"),
    (":next", "", "run the next cell of the loaded script"),
    (
        ":edit",
        "N",
        "edit cell N in $EDITOR (the file is not changed)",
    ),
    (
        ":save",
        "FILE",
        "write what ran in this session as a // %% script",
    ),
    (
        ":quit",
        "",
        "leave (also Ctrl-D, or Ctrl-C twice at an empty prompt)",
    ),
];

pub fn run(repl: &mut Repl, line: &str) -> Flow {
    let (name, arg) = line
        .split_once(char::is_whitespace)
        .map_or((line, ""), |(n, a)| (n, a.trim()));
    match name {
        ":help" | ":h" | ":?" => help(arg),
        ":vars" => vars(repl),
        ":reset" => reset(repl),
        ":backend" => println!("backend: {}", current_backend()),
        ":time" => time(repl, arg),
        ":cells" => with_script(repl, |r| print!("{}", r.script.as_ref().unwrap().listing())),
        ":run" => with_script(repl, |r| run_cells(r, arg)),
        ":next" => with_script(repl, next),
        ":edit" => with_script(repl, |r| edit(r, arg)),
        ":save" => save(repl, arg),
        ":quit" | ":q" | ":exit" => return Flow::Quit,
        _ => eprintln!("unknown command {name}: :help lists the commands"),
    }
    Flow::Continue
}

/// The backend that `sd_generate` would use.
// Hook: when the generate module lands, ask the session's context for its configured backend.
fn current_backend() -> &'static str {
    "draft"
}

fn help(name: &str) {
    if name.is_empty() {
        println!("Type Rhai code; it runs when complete (an open brace, bracket, string or /* continues it).");
        println!(
            "The last value of an input is shown: tables as text, images inline with their path.\n"
        );
        for (cmd, args, what) in COMMANDS {
            println!("  {:<18} {what}", format!("{cmd} {args}"));
        }
        println!("\nKeys: Tab completes, Up/Down and Ctrl-R search history, Ctrl-C stops a running cell.");
        let names: Vec<&str> = docs::primitives().map(|d| d.name).collect();
        println!("Primitives: {}", names.join(", "));
        return;
    }
    let name = name.trim_end_matches("()");
    // `s.split` names the member `split`; `Story.split` is found as it is.
    let found = docs::find(name).or_else(|| name.rsplit_once('.').and_then(|(_, m)| docs::find(m)));
    match found {
        Some(doc) => {
            println!("{}\n  {}", doc.signature, doc.summary);
            if !doc.options.is_empty() {
                println!("  options: {}", doc.options.join(", "));
            }
        }
        None => eprintln!("no doc for \"{name}\": :help lists the primitives"),
    }
}

fn vars(repl: &Repl) {
    let session = repl.session();
    let mut table = Table::new("", &["name", "type", "value"]);
    let mut seen = std::collections::HashSet::new();
    // A `let` run twice shadows: the last one counts.
    let vars: Vec<_> = session.scope().iter().collect();
    for (name, _constant, value) in vars.into_iter().rev() {
        if !seen.insert(name.to_string()) {
            continue;
        }
        let kind = session
            .engine()
            .map_type_name(value.type_name())
            .to_string();
        let shown = if value.is_string() || value.is_int() || value.is_float() || value.is_bool() {
            preview(&format!("{value:?}"), 60)
        } else {
            String::new()
        };
        table.row(vec![name.to_string(), kind, shown]);
    }
    table.rows.reverse();
    if table.rows.is_empty() {
        println!("no variables");
    } else {
        println!("{}", table.to_text(60));
    }
    let functions = session.function_names();
    if !functions.is_empty() {
        println!("functions: {}", functions.join(", "));
    }
}

/// The start of a long value, on one line.
fn preview(text: &str, max: usize) -> String {
    let flat = text.replace('\n', " ");
    if flat.chars().count() <= max {
        return flat;
    }
    let head: String = flat.chars().take(max - 1).collect();
    format!("{head}…")
}

fn reset(repl: &mut Repl) {
    repl.session().reset();
    repl.input_titles.clear();
    if let Some(script) = repl.script.as_mut() {
        script.forget_runs();
    }
    println!("session reset: every variable and function is forgotten");
}

fn time(repl: &mut Repl, expr: &str) {
    if expr.is_empty() {
        eprintln!("usage: :time EXPR");
        return;
    }
    let started = Instant::now();
    repl.run_code(expr);
    let secs = started.elapsed().as_secs_f64();
    if secs < 1.0 {
        println!("time: {:.3} ms", secs * 1000.0);
    } else {
        println!("time: {secs:.3} s");
    }
}

fn with_script(repl: &mut Repl, f: impl FnOnce(&mut Repl)) {
    if repl.script.is_none() {
        eprintln!("no script loaded: start with `storyreel repl FILE.rhai`");
    } else {
        f(repl);
    }
}

fn run_cells(repl: &mut Repl, spec: &str) {
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

fn next(repl: &mut Repl) {
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
    let outcome = repl.execute(cell.title.clone(), |s| s.run_cell(&file, &cell));
    if outcome == Outcome::Ok {
        if let Some(script) = repl.script.as_mut() {
            script.mark_ran(number);
        }
    }
    outcome
}

fn edit(repl: &mut Repl, arg: &str) {
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
        Err(message) => eprintln!("error: {message}"),
    }
}

/// Opens `$VISUAL`, `$EDITOR` or `vi` on a temporary `.rhai` file and returns what was saved.
fn edit_in_editor(code: &str) -> Result<String, String> {
    let file = tempfile::Builder::new()
        .prefix("storyreel-cell-")
        .suffix(".rhai")
        .tempfile()
        .map_err(|e| format!("cannot create a temporary file: {e}"))?;
    std::fs::write(file.path(), code).map_err(|e| e.to_string())?;
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
        .map_err(|e| format!("cannot start the editor \"{editor}\": {e}"))?;
    if !status.success() {
        return Err(format!(
            "the editor \"{editor}\" failed ({status}); the cell is unchanged"
        ));
    }
    std::fs::read_to_string(file.path()).map_err(|e| e.to_string())
}

fn save(repl: &Repl, path: &str) {
    if path.is_empty() {
        eprintln!("usage: :save FILE");
        return;
    }
    let session = repl.session();
    let cells: Vec<Cell> = session
        .inputs()
        .iter()
        .enumerate()
        .map(|(i, code)| Cell {
            number: i + 1,
            title: repl.input_titles.get(i).cloned().unwrap_or_default(),
            kind: CellKind::Code,
            code: code.clone(),
            first_line: 1,
        })
        .collect();
    if cells.is_empty() {
        eprintln!("nothing ran yet: nothing to save");
        return;
    }
    match std::fs::write(path, format_cells(&cells)) {
        Ok(()) => println!("saved {} cells to {path}", cells.len()),
        Err(e) => eprintln!("error: cannot write {path}: {e}"),
    }
}
