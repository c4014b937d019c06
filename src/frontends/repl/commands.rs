//! The `:commands` of the REPL.

use std::sync::atomic::Ordering;
use std::time::Instant;

use super::cell_commands::{edit, next, run_cells, with_script};
use super::{Flow, Repl};
use crate::runtime::cells::{format_cells, Cell, CellKind};
use crate::runtime::display::Table;
use crate::runtime::spec;

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
        "write the cells that ran without error as a // %% script",
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
        ":backend" => backend(repl),
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

/// The configured backend, as `backend()` describes it (servers are asked how they are).
fn backend(repl: &Repl) {
    let session = repl.session();
    // The servers may be slow to answer: let Ctrl-C stop the wait.
    repl.running.store(true, Ordering::Relaxed);
    let answer = session.engine().eval::<String>("backend()");
    repl.running.store(false, Ordering::Relaxed);
    match answer {
        Ok(text) => println!("{text}"),
        // The primitive's own message, without the position of this hidden call.
        Err(e) => match *e {
            rhai::EvalAltResult::ErrorRuntime(message, _) => eprintln!("error: {message}"),
            other => eprintln!("error: {other}"),
        },
    }
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
        let names: Vec<&str> = spec::primitives().map(|s| s.name).collect();
        println!("Primitives: {}", names.join(", "));
        return;
    }
    let name = name.trim_end_matches("()");
    // `s.split` names the member `split`; `Story.split` is found as it is. A name several types
    // share (`pick`, `characters`) shows every one.
    let mut found = spec::find_all(name);
    if found.is_empty() {
        if let Some((_, member)) = name.rsplit_once('.') {
            found = spec::find_all(member);
        }
    }
    if found.is_empty() {
        match spec::option_help(name) {
            Some(text) => println!("{text}"),
            None => eprintln!("no doc for \"{name}\": :help lists the primitives"),
        }
    }
    for (i, spec) in found.iter().enumerate() {
        if i > 0 {
            println!();
        }
        println!("{}", spec.help());
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
        Ok(()) => println!(
            "saved {} to {path}",
            crate::runtime::check::plural(cells.len(), "cell")
        ),
        Err(e) => eprintln!("error: cannot write {path}: {e}"),
    }
}
