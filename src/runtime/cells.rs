//! Cells of a script file, marked with `// %%` lines (the Jupytext "percent" convention).

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellKind {
    Code,
    /// Prose: lines start with `// `, which is stripped.
    Markdown,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    /// 1-based position in the file, counting every cell.
    pub number: usize,
    pub title: String,
    pub kind: CellKind,
    pub code: String,
    /// 1-based file line of the cell's first code line.
    pub first_line: usize,
}

/// Splits a script into cells. Text before the first marker is a cell of its own when not blank.
pub fn parse_cells(source: &str) -> Vec<Cell> {
    let mut cells = Vec::new();
    let mut current: Option<(String, CellKind, usize, Vec<&str>)> =
        Some((String::new(), CellKind::Code, 1, Vec::new()));
    for (i, line) in source.lines().enumerate() {
        if let Some(rest) = line.trim_start().strip_prefix("// %%") {
            if let Some(cell) = current.take() {
                push(&mut cells, cell);
            }
            let rest = rest.trim();
            let (kind, title) = match rest.strip_prefix("[markdown]") {
                Some(t) => (CellKind::Markdown, t.trim()),
                None => (CellKind::Code, rest),
            };
            current = Some((title.to_string(), kind, i + 2, Vec::new()));
        } else if let Some(cell) = current.as_mut() {
            cell.3.push(line);
        }
    }
    if let Some(cell) = current {
        push(&mut cells, cell);
    }
    cells
}

fn push(
    cells: &mut Vec<Cell>,
    (title, kind, first_line, mut lines): (String, CellKind, usize, Vec<&str>),
) {
    // Blank lines between cells belong to no cell.
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    let is_preamble = cells.is_empty() && first_line == 1;
    if is_preamble && lines.iter().all(|l| l.trim().is_empty()) {
        return;
    }
    let code = match kind {
        CellKind::Code => lines.join("\n"),
        CellKind::Markdown => lines
            .iter()
            .map(|l| {
                let t = l.trim_start();
                t.strip_prefix("// ")
                    .or_else(|| t.strip_prefix("//"))
                    .unwrap_or(t)
            })
            .collect::<Vec<_>>()
            .join("\n"),
    };
    cells.push(Cell {
        number: cells.len() + 1,
        title,
        kind,
        code,
        first_line,
    });
}

/// Writes cells back as a `// %%` script.
pub fn format_cells(cells: &[Cell]) -> String {
    let mut out = String::new();
    for cell in cells {
        let marker = match (cell.kind, cell.title.is_empty()) {
            (CellKind::Markdown, true) => "// %% [markdown]".to_string(),
            (CellKind::Markdown, false) => format!("// %% [markdown] {}", cell.title),
            (CellKind::Code, true) => "// %%".to_string(),
            (CellKind::Code, false) => format!("// %% {}", cell.title),
        };
        out.push_str(&marker);
        out.push('\n');
        let body = match cell.kind {
            CellKind::Code => cell.code.clone(),
            CellKind::Markdown => cell
                .code
                .lines()
                .map(|l| format!("// {l}").trim_end().to_string())
                .collect::<Vec<_>>()
                .join("\n"),
        };
        out.push_str(body.trim_end_matches('\n'));
        out.push_str("\n\n");
    }
    out.trim_end().to_string() + "\n"
}

/// A set of cell numbers, as given on the command line: `3`, `2..4` (inclusive), `2..`, `..3`, `1,3,5..6`.
pub fn parse_range(spec: &str, count: usize) -> Result<Vec<usize>, String> {
    let mut out = Vec::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let bad = || {
            format!("cells: \"{part}\" is not a cell number or range; use e.g. 3, 2..4, 2.., ..3 or 1,3 (cells are numbered from 1; this script has {count})")
        };
        let (from, to) = match part.split_once("..") {
            Some((a, b)) => {
                let b = b.trim_start_matches('=');
                let from = if a.is_empty() {
                    1
                } else {
                    a.trim().parse().map_err(|_| bad())?
                };
                let to = if b.is_empty() {
                    count
                } else {
                    b.trim().parse().map_err(|_| bad())?
                };
                (from, to)
            }
            None => {
                let n = part.parse().map_err(|_| bad())?;
                (n, n)
            }
        };
        if from == 0 || to > count || from > to {
            return Err(format!(
                "cells: \"{part}\" is out of range; this script has cells 1 to {count}"
            ));
        }
        out.extend(from..=to);
    }
    if out.is_empty() {
        return Err(format!("cells: \"{spec}\" names no cell; use e.g. 3, 2..4, 2.., ..3 or 1,3 (this script has {count})"));
    }
    // Cells run in file order, each once, however the ranges were written ("3,1..2,2").
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCRIPT: &str = "let a = 1;\n// %% 1. The story\nlet s = 2;\n\n// %% [markdown] Notes\n// Some *prose*.\n// %%\nprint(a);\n";

    #[test]
    fn parses_titles_kinds_and_lines() {
        let cells = parse_cells(SCRIPT);
        assert_eq!(cells.len(), 4);
        assert_eq!(
            (cells[0].first_line, cells[0].code.as_str()),
            (1, "let a = 1;")
        );
        assert_eq!(
            (cells[1].title.as_str(), cells[1].first_line),
            ("1. The story", 3)
        );
        assert_eq!(
            (cells[2].kind, cells[2].code.as_str()),
            (CellKind::Markdown, "Some *prose*.")
        );
        assert_eq!((cells[3].number, cells[3].first_line), (4, 8));
    }

    #[test]
    fn round_trips_through_format() {
        let cells = parse_cells(SCRIPT);
        let again = parse_cells(&format_cells(&cells[1..]));
        assert_eq!(again[1].code, "Some *prose*.");
        assert_eq!(again[0].title, "1. The story");
    }

    #[test]
    fn ranges() {
        assert_eq!(parse_range("2..4", 5).unwrap(), [2, 3, 4]);
        assert_eq!(parse_range("..2,5", 5).unwrap(), [1, 2, 5]);
        assert_eq!(parse_range("4..", 5).unwrap(), [4, 5]);
        assert_eq!(parse_range("3,1..2,2", 5).unwrap(), [1, 2, 3]);
        assert!(parse_range("7", 5).unwrap_err().contains("1 to 5"));
        assert!(parse_range("x", 5).is_err());
    }
}
