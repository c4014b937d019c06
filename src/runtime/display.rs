//! What a front-end must be able to show. The runtime produces `Output`s; each front-end
//! (batch, REPL, Jupyter) decides how they look.

use std::path::PathBuf;

use crate::server_message::neutralise_controls;

/// A value a front-end can show.
#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    Text(String),
    Table(Table),
    Image(ImageItem),
    /// Numbered candidates, shown side by side.
    Sheet(Sheet),
    /// A chart rendered to an image.
    Chart(ImageItem),
    Video(VideoItem),
}

#[derive(Clone, Debug, PartialEq)]
pub struct ImageItem {
    pub path: PathBuf,
    pub width: u32,
    pub height: u32,
    pub caption: String,
}

/// How a sheet marks a scene's current pick in its caption: "✓ picked 2" (the number stays
/// last, for the badge); every sheet (terminal, notebook, PNG) frames that tile.
pub const PICKED_MARK: &str = "✓ picked";

/// Whether a sheet tile's caption marks it as the current pick.
pub fn is_picked(caption: &str) -> bool {
    caption.starts_with(PICKED_MARK)
}

#[derive(Clone, Debug, PartialEq)]
pub struct Sheet {
    pub title: String,
    pub images: Vec<ImageItem>,
    /// Scenes whose candidates a front-end may offer to pick by clicking; empty when the
    /// sheet is only to look at.
    pub pick: Vec<super::picking::PickRow>,
}

/// What `sd_generate(story)` returns: each scene's first candidate, shown as a sheet when it
/// is a cell's last value, so a trailing `;` or a later statement keeps it quiet.
#[derive(Clone, Debug, PartialEq)]
pub struct Storyboard(pub Sheet);

#[derive(Clone, Debug, PartialEq)]
pub struct VideoItem {
    pub path: PathBuf,
    pub width: u32,
    pub height: u32,
    pub duration_secs: f64,
    pub poster: Option<PathBuf>,
}

impl ImageItem {
    /// `path (WxH)`.
    pub fn file_and_size(&self) -> String {
        format!("{} ({}x{})", self.path.display(), self.width, self.height)
    }

    /// `[caption] path (WxH)`, without the brackets when there is no caption.
    pub fn describe(&self) -> String {
        if self.caption.is_empty() {
            self.file_and_size()
        } else {
            format!("[{}] {}", self.caption, self.file_and_size())
        }
    }
}

impl Sheet {
    /// One indented line per image, numbered by its caption, for text front-ends.
    pub fn listing(&self) -> String {
        let lines: Vec<String> = self
            .images
            .iter()
            .map(|i| format!("  [{}] {}", i.caption, i.file_and_size()))
            .collect();
        lines.join("\n")
    }
}

impl VideoItem {
    /// `video: path (WxH, 12.3 s)`.
    pub fn describe(&self) -> String {
        format!(
            "video: {} ({}x{}, {:.1} s)",
            self.path.display(),
            self.width,
            self.height,
            self.duration_secs
        )
    }
}

/// Progress of a long operation; `id` identifies the display to update in place.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    pub id: String,
    pub label: String,
    pub done: u64,
    pub total: u64,
    /// What is counted, plural: "images", "frames".
    pub unit: &'static str,
    pub eta_secs: Option<f64>,
    pub finished: bool,
}

impl Progress {
    /// `564/3339 frames`.
    pub fn count(&self) -> String {
        format!("{}/{} {}", self.done, self.total, self.unit)
            .trim_end()
            .to_string()
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(title: &str, columns: &[&str]) -> Self {
        Self {
            title: title.to_string(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// Aligned plain text; cells wider than `max_cell` characters wrap onto more lines.
    pub fn to_text(&self, max_cell: usize) -> String {
        let max_cell = max_cell.max(8);
        let wrapped: Vec<Vec<Vec<String>>> = self
            .rows
            .iter()
            // Cells quote story text: escapes in it must not drive the terminal.
            .map(|r| {
                r.iter()
                    .map(|c| wrap(&neutralise_controls(c), max_cell))
                    .collect()
            })
            .collect();
        let mut widths: Vec<usize> = self.columns.iter().map(|c| c.chars().count()).collect();
        for row in &wrapped {
            for (i, cell) in row.iter().enumerate() {
                if i < widths.len() {
                    let w = cell.iter().map(|l| l.chars().count()).max().unwrap_or(0);
                    widths[i] = widths[i].max(w);
                }
            }
        }
        let line = |cells: &[&str]| -> String {
            let padded: Vec<String> = cells
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{c:<w$}", w = widths.get(i).copied().unwrap_or(0)))
                .collect();
            padded.join("  ").trim_end().to_string()
        };
        let mut out = String::new();
        if !self.title.is_empty() {
            out.push_str(&neutralise_controls(&self.title));
            out.push('\n');
        }
        let header: Vec<&str> = self.columns.iter().map(String::as_str).collect();
        out.push_str(&line(&header));
        out.push('\n');
        let rules: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        out.push_str(&line(&rules.iter().map(String::as_str).collect::<Vec<_>>()));
        for row in &wrapped {
            let height = row.iter().map(Vec::len).max().unwrap_or(1);
            for k in 0..height {
                let cells: Vec<&str> = row
                    .iter()
                    .map(|c| c.get(k).map_or("", String::as_str))
                    .collect();
                out.push('\n');
                out.push_str(&line(&cells));
            }
        }
        out
    }

    pub fn to_html(&self) -> String {
        let esc = html_escape;
        let mut out = String::from("<table>");
        if !self.title.is_empty() {
            out.push_str(&format!("<caption>{}</caption>", esc(&self.title)));
        }
        out.push_str("<thead><tr>");
        for c in &self.columns {
            // Front-ends right-align or centre headers by default; they belong over their cells.
            out.push_str(&format!("<th style=\"text-align:left\">{}</th>", esc(c)));
        }
        out.push_str("</tr></thead><tbody>");
        for row in &self.rows {
            out.push_str("<tr>");
            for c in row {
                out.push_str(&format!("<td style=\"text-align:left\">{}</td>", esc(c)));
            }
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table>");
        out
    }
}

/// Splits text into lines of at most `width` characters at spaces (longer words are cut).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let mut word = word.to_string();
        loop {
            let current = lines.last_mut().expect("never empty");
            let used = current.chars().count();
            let needed = word.chars().count() + usize::from(used > 0);
            if used + needed <= width {
                if used > 0 {
                    current.push(' ');
                }
                current.push_str(&word);
                break;
            }
            if used == 0 {
                let head: String = word.chars().take(width).collect();
                word = word.chars().skip(width).collect();
                current.push_str(&head);
            }
            lines.push(String::new());
            if word.is_empty() {
                break;
            }
        }
    }
    if lines.len() > 1 && lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

pub fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A front-end: where text, rich outputs and progress go.
pub trait Display: Send + Sync {
    /// Standard output of the script (`print`).
    fn stdout(&self, text: &str);
    /// Diagnostics: warnings, `debug`, errors.
    fn stderr(&self, text: &str);
    fn show(&self, output: &Output);
    fn progress(&self, progress: &Progress);
    /// Clears what the running cell has shown so far (Jupyter's `clear_output`); with `wait`, the
    /// clearing happens when the next output arrives, which avoids flicker. Terminals ignore it.
    fn clear(&self, wait: bool) {
        let _ = wait;
    }
}

/// A display that keeps everything, for tests and for front-ends that render later.
#[derive(Default)]
pub struct Recorder {
    pub events: std::sync::Mutex<Vec<Recorded>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Recorded {
    Stdout(String),
    Stderr(String),
    Show(Output),
    Progress(Progress),
}

impl Display for Recorder {
    fn stdout(&self, text: &str) {
        self.events
            .lock()
            .unwrap()
            .push(Recorded::Stdout(text.to_string()));
    }
    fn stderr(&self, text: &str) {
        self.events
            .lock()
            .unwrap()
            .push(Recorded::Stderr(text.to_string()));
    }
    fn show(&self, output: &Output) {
        self.events
            .lock()
            .unwrap()
            .push(Recorded::Show(output.clone()));
    }
    fn progress(&self, progress: &Progress) {
        self.events
            .lock()
            .unwrap()
            .push(Recorded::Progress(progress.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_and_escape() {
        let mut t = Table::new("", &["#", "text"]);
        t.row(vec!["0".into(), "a <b>".into()]);
        t.row(vec!["10".into(), "long text here".into()]);
        assert_eq!(
            t.to_text(9),
            "#   text\n--  ---------\n0   a <b>\n10  long text\n    here"
        );
        assert!(t.to_html().contains("a &lt;b&gt;"));
    }
}
