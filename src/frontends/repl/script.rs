//! The script given to `storyreel repl FILE`: its cells, which have run, and which comes next.

use std::path::{Path, PathBuf};

use crate::runtime::cells::{parse_cells, Cell, CellKind};

pub struct Script {
    pub path: PathBuf,
    pub cells: Vec<Cell>,
    /// `ran[i]`: cell `i + 1` has run since it was loaded, edited or the session reset.
    pub ran: Vec<bool>,
    /// Number of the last cell run (0 before any): `:next` runs the code cell after it.
    pub last: usize,
}

impl Script {
    pub fn load(path: &Path) -> Result<Self, crate::input_file::InputError> {
        let source = crate::input_file::read_text(path, crate::input_file::SCRIPT)?;
        let cells = parse_cells(&source);
        Ok(Self {
            path: path.to_path_buf(),
            ran: vec![false; cells.len()],
            cells,
            last: 0,
        })
    }

    /// The name errors use for this file.
    pub fn file_name(&self) -> String {
        self.path.display().to_string()
    }

    pub fn cell(&self, number: usize) -> Option<&Cell> {
        number.checked_sub(1).and_then(|i| self.cells.get(i))
    }

    /// The first code cell after the last one run.
    pub fn next_code_cell(&self) -> Option<usize> {
        self.cells
            .iter()
            .find(|c| c.number > self.last && c.kind == CellKind::Code)
            .map(|c| c.number)
    }

    pub fn mark_ran(&mut self, number: usize) {
        self.ran[number - 1] = true;
        self.last = number;
    }

    /// New code for a cell (from `:edit`); it counts as not run.
    pub fn replace(&mut self, number: usize, code: String) {
        self.cells[number - 1].code = code;
        self.ran[number - 1] = false;
    }

    pub fn forget_runs(&mut self) {
        self.ran.iter_mut().for_each(|r| *r = false);
        self.last = 0;
    }

    /// `:cells`: number, state (✓ run, → next), title or first line, size.
    pub fn listing(&self) -> String {
        let next = self.next_code_cell();
        let mut out = format!("{}\n", self.file_name());
        for cell in &self.cells {
            let mark = if self.ran[cell.number - 1] {
                "✓"
            } else if Some(cell.number) == next {
                "→"
            } else {
                " "
            };
            let label = match (cell.kind, cell.title.is_empty()) {
                (CellKind::Markdown, _) => format!("[markdown] {}", cell.title),
                (CellKind::Code, false) => cell.title.clone(),
                (CellKind::Code, true) => first_line(&cell.code),
            };
            let lines = match cell.code.trim_end().lines().count() {
                1 => "1 line".to_string(),
                n => format!("{n} lines"),
            };
            out.push_str(&format!(
                "  {mark} {:>2}  {}  ({lines})\n",
                cell.number,
                label.trim()
            ));
        }
        out
    }
}

fn first_line(code: &str) -> String {
    let line = code.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let short: String = line.trim().chars().take(50).collect();
    if short.len() < line.trim().len() {
        format!("{short}…")
    } else {
        short
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_skips_markdown_and_follows_the_last_run() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.rhai");
        std::fs::write(
            &path,
            "// %% one\nlet a = 1;\n// %% [markdown]\n// prose\n// %%\nlet b = 2;\n",
        )
        .unwrap();
        let mut script = Script::load(&path).unwrap();
        assert_eq!(script.next_code_cell(), Some(1));
        script.mark_ran(1);
        assert_eq!(script.next_code_cell(), Some(3));
        assert!(script.listing().contains("✓  1  one"));
        assert!(script.listing().contains("→  3  let b = 2;"));
        script.mark_ran(3);
        assert_eq!(script.next_code_cell(), None);
    }
}
