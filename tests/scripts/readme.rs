//! The README documents every primitive and member the runtime knows, and its examples run.

use crate::common;

use storyreel::runtime::spec::{self, Spec};

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

/// The text of the README section that opens with `heading`, up to the next one of its level.
fn section(readme: &str, heading: &str) -> String {
    let level = heading.split(' ').next().unwrap();
    let start = readme.find(&format!("\n{heading}\n")).expect(heading);
    let body = &readme[start + heading.len() + 2..];
    let end = body.find(&format!("\n{level} ")).unwrap_or(body.len());
    body[..end].to_string()
}

/// The code spans of the first cell of each table row in `text` (`\|` read as `|`).
fn first_cells(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .filter(|l| l.starts_with("| `"))
        .map(|line| {
            let line = line.replace("\\|", "\u{1}");
            let cell = line[1..]
                .split('|')
                .next()
                .unwrap_or("")
                .replace('\u{1}', "|");
            cell.split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect()
        })
        .collect()
}

/// How the README writes a primitive: its usage without the return type.
fn readme_form(spec: &Spec) -> String {
    let usage = spec.usage();
    match spec.returns {
        "" => usage,
        returns => usage
            .trim_end_matches(&format!(" -> {returns}"))
            .to_string(),
    }
}

#[test]
fn every_spec_is_in_the_readme() {
    let readme = readme();
    let missing: Vec<&str> = spec::all()
        .map(|s| s.short_name())
        .filter(|member| {
            !readme.contains(&format!("`{member}")) && !readme.contains(&format!(".{member}"))
        })
        .collect();
    assert!(missing.is_empty(), "README lacks: {missing:?}");
}

/// The README's table of primitives says what the spec says: each primitive's row opens with its
/// signature and every option of its map (render's, written `#{ … }`, are the rows of the Render
/// section's table), and no row names a primitive or member the spec does not know.
#[test]
fn the_primitives_table_agrees_with_the_spec() {
    let readme = readme();
    let primitives = section(&readme, "## Primitives");
    let cells = first_cells(&primitives);
    let spans: Vec<&String> = cells.iter().flatten().collect();
    let mut wrong = Vec::new();
    for spec in spec::primitives() {
        let form = readme_form(spec);
        let elided = spec.signature.replace("#{}", "#{ … }");
        if !spans
            .iter()
            .any(|s| **s == form || (spec.name == "render" && **s == elided))
        {
            wrong.push(format!("no row opens with `{form}`"));
        }
    }
    let render_options: Vec<String> = first_cells(&section(&readme, "## Render"))
        .into_iter()
        .flatten()
        .collect();
    let named: Vec<&str> = spec::RENDER.iter().map(|o| o.name).collect();
    for option in &named {
        if !render_options.iter().any(|o| o == option) {
            wrong.push(format!("the Render table lacks the option `{option}`"));
        }
    }
    for option in &render_options {
        if !named.contains(&option.as_str()) {
            wrong.push(format!(
                "the Render table has `{option}`, which render does not take"
            ));
        }
    }
    // Every name a row opens with is a primitive (`story(`) or a member (`s.title`, `sc.pick(k)`).
    for span in spans
        .iter()
        .filter(|s| !s.starts_with("styles::") && !s.starts_with("for "))
    {
        let head = span.split(['(', ' ']).next().unwrap_or(span);
        let name = head.rsplit('.').next().unwrap_or(head);
        let known = match head.split_once('.') {
            None => spec::get(name).is_some_and(|s| s.owner().is_none()),
            Some(_) => !spec::find_all(name).is_empty(),
        };
        if !known {
            wrong.push(format!("`{span}` has no spec"));
        }
    }
    assert!(
        wrong.is_empty(),
        "README and spec disagree:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn readme_opens_with_the_two_commands() {
    let readme = readme();
    let first_block = readme
        .split("```sh")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    assert!(first_block.contains("cargo run --release -- run scripts/quickstart.rhai"));
    assert!(first_block.contains("cargo test"));
    let ci = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/run")).unwrap();
    assert!(
        ci.lines().any(|l| l.trim() == "cargo test"),
        ".ci/run must run the README's test command"
    );
}

/// A ```rhai block of the README: the README line of its first code line, the code, and the
/// code a fragment needs first (an `<!-- context: … -->` comment on the line before the fence).
struct Block {
    line: usize,
    code: String,
    context: String,
}

fn rhai_blocks(readme: &str) -> Vec<Block> {
    let lines: Vec<&str> = readme.lines().collect();
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let fence = lines[i].trim_start();
        if fence.starts_with("```rhai") {
            let context = i
                .checked_sub(1)
                .and_then(|p| lines[p].trim().strip_prefix("<!-- context:"))
                .and_then(|c| c.strip_suffix("-->"))
                .unwrap_or("")
                .trim()
                .to_string();
            let end = (i + 1..lines.len())
                .find(|&j| lines[j].trim_start().starts_with("```"))
                .expect("an unclosed ```rhai block");
            blocks.push(Block {
                line: i + 2,
                code: lines[i + 1..end].join("\n"),
                context,
            });
            i = end;
        }
        i += 1;
    }
    blocks
}

/// `code  // comment` outside strings: the code and the comment.
fn split_comment(line: &str) -> (&str, Option<&str>) {
    let mut quote = None;
    let b = line.as_bytes();
    for i in 0..b.len() {
        match (quote, b[i]) {
            (Some(q), c) if c == q && b[i - 1] != b'\\' => quote = None,
            (None, c @ (b'"' | b'`')) => quote = Some(c),
            (None, b'/') if b.get(i + 1) == Some(&b'/') => {
                return (&line[..i], Some(line[i + 2..].trim()))
            }
            _ => {}
        }
    }
    (line, None)
}

/// A comment that is a Rhai value (`["Quetzalcoatl"]`, `4`, `"draft"`) claims what its line
/// returns; prose comments claim nothing.
fn claimed_value(comment: &str) -> Option<rhai::Dynamic> {
    rhai::Engine::new()
        .eval_expression::<rhai::Dynamic>(comment)
        .ok()
}

/// Runs every ```rhai block of the README as a script in `scripts/` (where the example stories
/// are), in check mode (no image server is needed: images come from the draft backend), and
/// compares each line that a comment says returns a value with what it returns.
#[test]
fn every_rhai_block_of_the_readme_runs_and_returns_what_its_comments_say() {
    use std::sync::Arc;
    use storyreel::runtime::{display::Recorder, Cell, CellKind, Session, Workspace};

    if !common::require(
        "espeak-ng",
        "the README's example renders with an espeak voice",
    ) {
        return;
    }
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let blocks = rhai_blocks(&readme);
    assert!(!blocks.is_empty(), "the README has no ```rhai block");
    let scripts = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts");
    let mut failures = Vec::new();
    let mut claims = 0;
    for block in &blocks {
        let dir = tempfile::tempdir().unwrap();
        let session = &mut Session::new(Arc::new(Recorder::default()), Workspace::new(dir.path()));
        session.set_check_mode();
        session.set_script_dir(Some(scripts.clone()));
        if !block.context.is_empty() {
            if let Err(e) = session.run_input(&block.context, 0) {
                failures.push(format!(
                    "README.md:{}: the block's context failed: {e}",
                    block.line
                ));
                continue;
            }
        }
        'cells: for cell in storyreel::runtime::parse_cells(&block.code) {
            if cell.kind != CellKind::Code {
                continue;
            }
            // A cell runs in pieces that end at each line whose value a comment claims.
            let lines: Vec<&str> = cell.code.lines().collect();
            let mut start = 0;
            while start < lines.len() {
                let claim = (start..lines.len()).find_map(|i| {
                    let (code, comment) = split_comment(lines[i]);
                    let value = claimed_value(comment?)?;
                    Some((
                        i,
                        code.trim_end().trim_end_matches(';').to_string(),
                        value,
                        comment?,
                    ))
                });
                let end = claim.as_ref().map_or(lines.len(), |c| c.0 + 1);
                let mut piece: Vec<String> =
                    lines[start..end].iter().map(|l| l.to_string()).collect();
                if let Some((_, code, ..)) = &claim {
                    *piece.last_mut().unwrap() = code.clone();
                }
                let readme_line = block.line + cell.first_line - 1 + start;
                let piece_cell = Cell {
                    code: piece.join("\n"),
                    first_line: readme_line,
                    ..cell.clone()
                };
                let got = match session.run_cell("README.md", &piece_cell) {
                    Ok(v) => v,
                    Err(e) => {
                        failures.push(e.to_string());
                        break 'cells;
                    }
                };
                if let Some((i, code, expected, comment)) = claim {
                    claims += 1;
                    if format!("{got:?}") != format!("{expected:?}") {
                        failures.push(format!(
                            "README.md:{}: `{}` returns {got:?}, but its comment says {comment}",
                            block.line + cell.first_line - 1 + i,
                            code.trim()
                        ));
                    }
                }
                start = end;
            }
        }
    }
    assert!(claims > 0, "no README comment claims a value any more");
    assert!(
        failures.is_empty(),
        "README examples fail:\n{}",
        failures.join("\n")
    );
}

/// Every signature `:help` shows is an example that runs, with its placeholders (`s`, `sc`,
/// `c`, `i`, `k`, `name`, …) bound; those with `…` stand for what the user writes and are
/// left out.
#[test]
fn every_help_signature_runs() {
    use std::sync::Arc;
    use storyreel::runtime::{display::Recorder, Session, Workspace};

    let dir = tempfile::tempdir().unwrap();
    // The file `c.reference = image("ref.png")` names.
    image::RgbImage::new(64, 64)
        .save(dir.path().join("ref.png"))
        .unwrap();
    let context = r#"
        let s = story("Mime", "Mime the dwarf forged a sword. Siegfried watched him. The dragon slept. Mime fled.");
        s.split(#{ by: "sentences", sentences: 1 });
        let c = s.add(character("Mime", "a dwarf"));
        s.add(character("Siegfried"));
        sd_generate(s, #{ n: 3 });
        let sc = s.scene(0);
        let img = sc.candidates[0];
        let v = render(s, #{ format: #{ width: 64, height: 112 }, fps: 4, captions: false });
        let i = 0; let k = 1; let wait = true;
        let name = "Mime"; let keep = "Mime"; let absorb = "Siegfried";
        let title = "T"; let text = "Once."; let prompt = "a fox"; let value = 1;
        let character = c; let path = img.path; let kind = "draft"; let story = s;
        let t = s.prompts;
        let x = 0.0; let y = 0.0; let w = 0.9; let h = 0.9;
    "#;
    let mut failures = Vec::new();
    let mut ran = 0;
    for doc in spec::all() {
        for example in doc.usage().split(" or ") {
            let code = example.split(" -> ").next().unwrap().trim();
            if is_notation(code) {
                continue;
            }
            let session =
                &mut Session::new(Arc::new(Recorder::default()), Workspace::new(dir.path()));
            session.set_check_mode();
            session.set_script_dir(Some(dir.path().to_path_buf()));
            let _ = session.run_input(context, 1).expect("the context runs");
            ran += 1;
            if let Err(e) = session.run_input(code, 2) {
                failures.push(format!("{}: `{code}`: {}", doc.name, e.message));
            }
        }
    }
    assert!(ran > 40, "only {ran} signatures ran");
    assert!(
        failures.is_empty(),
        ":help examples fail:\n{}",
        failures.join("\n")
    );
}

/// `…`, alternatives (`a | b`), optional arguments (`[, title]`) and option lists without
/// values (`#{ n, seed }`) describe code rather than being code.
fn is_notation(code: &str) -> bool {
    let bare_options = code.split("#{").skip(1).any(|rest| {
        let entry = rest.split([',', '}']).next().unwrap_or("");
        !entry.contains(':')
    });
    let optional_argument = code.split("([").skip(1).any(|rest| {
        let inner = rest.split("])").next().unwrap_or("");
        !inner.is_empty() && inner.chars().all(|c| c.is_alphanumeric() || c == '_')
    });
    code.contains('…')
        || code.contains(" | ")
        || code.contains("[, ")
        || optional_argument
        || bare_options
}
