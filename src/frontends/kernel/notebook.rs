//! `storyreel nb export|import`: a `// %%` script and a Jupyter notebook (nbformat 4.5) hold the
//! same cells, so a story can move between editor and notebook. Outputs are not kept on import:
//! the script is the source of truth.

use anyhow::{anyhow, bail, Context};
use serde::Serialize;
use serde_json::{json, Value};

use super::handlers::language_info;
use super::install::{DEFAULT_NAME, DISPLAY_NAME};
use crate::runtime::cells::{format_cells, parse_cells, Cell, CellKind};

/// The notebook for a script, with no outputs, ready to run on the storyreel kernel.
pub fn export(script: &str) -> String {
    let cells: Vec<Value> = parse_cells(script).iter().map(notebook_cell).collect();
    let notebook = json!({
        "cells": cells,
        "metadata": {
            "kernelspec": { "display_name": DISPLAY_NAME, "language": "rhai", "name": DEFAULT_NAME },
            "language_info": language_info(),
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    });
    // Jupyter writes one-space indents and sorted keys; doing the same keeps diffs small.
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b" ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    notebook
        .serialize(&mut serializer)
        .expect("JSON serializes");
    String::from_utf8(out).expect("JSON is UTF-8") + "\n"
}

fn notebook_cell(cell: &Cell) -> Value {
    let mut metadata = json!({});
    if !cell.title.is_empty() {
        metadata["title"] = cell.title.clone().into();
    }
    // Stable ids keep re-exports diff-free.
    let id = format!("cell-{}", cell.number);
    let source = source_lines(&cell.code);
    match cell.kind {
        CellKind::Code => json!({
            "cell_type": "code", "execution_count": null, "id": id,
            "metadata": metadata, "outputs": [], "source": source,
        }),
        CellKind::Markdown => json!({
            "cell_type": "markdown", "id": id, "metadata": metadata, "source": source,
        }),
    }
}

/// nbformat's multiline strings: lines keeping their `\n`, except the last.
fn source_lines(text: &str) -> Vec<String> {
    let text = text.trim_matches('\n');
    text.split_inclusive('\n').map(str::to_string).collect()
}

/// The `// %%` script for a notebook; raw cells become prose.
pub fn import(notebook: &str) -> anyhow::Result<String> {
    let nb: Value = serde_json::from_str(notebook).context("not a notebook (invalid JSON)")?;
    let major = nb["nbformat"].as_u64().unwrap_or(0);
    if major != 4 {
        bail!("nbformat {major} is not supported; save it as nbformat 4");
    }
    let cells = nb["cells"]
        .as_array()
        .context("not a notebook: no \"cells\" list")?
        .iter()
        .enumerate()
        .map(|(i, c)| {
            Ok(Cell {
                number: i + 1,
                title: c["metadata"]["title"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                kind: match c["cell_type"].as_str() {
                    Some("code") => CellKind::Code,
                    _ => CellKind::Markdown,
                },
                code: joined_source(&c["source"], i + 1)?,
                first_line: 0,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(format_cells(&cells))
}

/// A cell's text; what was found instead when the source is not text (so nothing is lost quietly).
fn joined_source(source: &Value, cell: usize) -> anyhow::Result<String> {
    let shown = |v: &Value| {
        let text = v.to_string();
        match text.char_indices().nth(40) {
            Some((at, _)) => format!("{}…", &text[..at]),
            None => text,
        }
    };
    let not_text = |v: &Value| {
        anyhow!(
            "cell {cell}: \"source\" is {}; nbformat 4 wants text (a string or a list of strings)",
            shown(v)
        )
    };
    match source {
        Value::String(s) => Ok(s.clone()),
        Value::Null => Ok(String::new()),
        Value::Array(lines) => lines
            .iter()
            .map(|l| l.as_str().ok_or_else(|| not_text(l)))
            .collect(),
        other => Err(not_text(other)),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_source_that_is_not_text_is_an_error_naming_the_cell() {
        let nb = r#"{"nbformat":4,"nbformat_minor":5,"metadata":{},"cells":[
            {"cell_type":"code","metadata":{},"source":"let a = 1;","outputs":[]},
            {"cell_type":"code","metadata":{},"source":12345,"outputs":[]}]}"#;
        let err = super::import(nb).unwrap_err().to_string();
        assert!(err.starts_with("cell 2: \"source\" is 12345;"), "{err}");
        let nb = nb.replace("12345", r#"["ok", 7]"#);
        let err = super::import(&nb).unwrap_err().to_string();
        assert!(err.contains("is 7;"), "{err}");
    }

    use super::*;

    const SCRIPT: &str = "// %% [markdown] Intro\n// A *story*.\n//\n// Two paragraphs.\n\n// %% 1. The story\nlet s = story(\"T\", \"x\");\ns\n\n// %%\nprint(1);\n";

    #[test]
    fn round_trips_code_markdown_and_titles() {
        let nb = export(SCRIPT);
        let parsed: Value = serde_json::from_str(&nb).unwrap();
        assert_eq!(parsed["cells"][0]["cell_type"], "markdown");
        assert_eq!(
            parsed["cells"][0]["source"],
            json!(["A *story*.\n", "\n", "Two paragraphs."])
        );
        assert_eq!(parsed["cells"][1]["metadata"]["title"], "1. The story");
        assert_eq!(parsed["metadata"]["kernelspec"]["name"], "storyreel");
        assert_eq!(import(&nb).unwrap(), SCRIPT);
    }

    #[test]
    fn rejects_what_is_not_a_notebook() {
        assert!(import("{").is_err());
        assert!(import("{\"nbformat\": 3, \"cells\": []}")
            .unwrap_err()
            .to_string()
            .contains("nbformat 3"));
    }
}
