//! Display for the REPL: images drawn in the terminal (kitty, iTerm2 or sixel where supported,
//! half-block characters otherwise, chosen by `viuer`), always with their path; numbered sheets;
//! progress bars that vanish when done.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::frontends::batch_display::{compose_sheet_pages, page_list};
use crate::runtime::display::{Display, ImageItem, Output, Progress, Sheet};
use crate::runtime::Workspace;

/// At most this many terminal rows for an image, so the prompt stays in view.
const MAX_ROWS: u32 = 24;
const MAX_COLS: u32 = 100;

pub struct ReplDisplay {
    workspace: Arc<Workspace>,
    /// Draw images, not only print their paths: wanted, and stdout is a terminal.
    draw_images: bool,
    bars: MultiProgress,
    active: Mutex<HashMap<String, ProgressBar>>,
}

impl ReplDisplay {
    pub fn new(workspace: Arc<Workspace>, images: bool) -> Self {
        Self {
            workspace,
            draw_images: images && std::io::stdout().is_terminal(),
            bars: MultiProgress::with_draw_target(ProgressDrawTarget::stderr()),
            active: Mutex::default(),
        }
    }

    /// Writes to stdout without tearing a progress bar that is on screen.
    fn print(&self, text: &str) {
        self.bars.suspend(|| {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes());
            let _ = out.flush();
        });
    }

    fn show_image(&self, item: &ImageItem) {
        self.draw(&item.path);
        self.print(&format!("image: {}\n", item.file_and_size()));
    }

    fn show_sheet(&self, sheet: &Sheet) {
        if !sheet.title.is_empty() {
            self.print(&format!("{}\n", sheet.title));
        }
        let composed = self
            .workspace
            .display_path("sheet", "png")
            .ok()
            .and_then(|path| compose_sheet_pages(&sheet.images, &path).ok());
        if let Some(pages) = &composed {
            // The first page only: a long storyboard's other pages are listed, not drawn.
            if let Some((cols, _)) = self.draw(&pages[0]) {
                if sheet.images.len() <= 4 {
                    self.print(&format!("{}\n", number_line(&sheet.images, cols)));
                }
            }
            self.print(&format!("sheet: {}\n", page_list(pages)));
        }
        self.print(&format!("{}\n", sheet.listing()));
    }

    /// Draws an image file at the cursor; returns the (columns, rows) used.
    fn draw(&self, path: &Path) -> Option<(u32, u32)> {
        if !self.draw_images {
            return None;
        }
        let img = image::open(path).ok()?;
        let graphics = detect_graphics_once();
        let (term_cols, term_rows) = viuer::terminal_size();
        let max_cols = (u32::from(term_cols).saturating_sub(2)).clamp(8, MAX_COLS);
        let max_rows = (u32::from(term_rows) * 2 / 3).clamp(4, MAX_ROWS);
        let (cols, rows) = fit_cells(img.width(), img.height(), max_cols, max_rows);
        let config = viuer::Config {
            absolute_offset: false,
            width: Some(cols),
            height: Some(rows),
            use_kitty: graphics,
            use_sixel: graphics,
            ..Default::default()
        };
        let mut drawn = None;
        self.bars
            .suspend(|| drawn = viuer::print(&img, &config).ok());
        drawn
    }
}

/// Asks the terminal once which graphics it supports, with echo off: viuer sends its queries
/// lazily, and in cooked mode the terminal's answers would be echoed onto the screen. viuer waits
/// for each answer without a time limit, so a terminal that answers no query at all (found first
/// with a status report, which every VT100 descendant answers) gets half-blocks, never a hang.
/// Returns whether graphics protocols may be tried.
fn detect_graphics_once() -> bool {
    static ANSWERS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ANSWERS.get_or_init(|| {
        let raw = crossterm::terminal::enable_raw_mode().is_ok();
        let answers = answers_status_report(std::time::Duration::from_secs(1));
        if answers {
            viuer::is_sixel_supported();
            viuer::get_kitty_support();
        }
        if raw {
            let _ = crossterm::terminal::disable_raw_mode();
        }
        answers
    })
}

/// Sends a device status report request (`ESC [ 5 n`) and waits up to `limit` for the `ESC [ 0 n`
/// that a working terminal sends back.
#[cfg(unix)]
fn answers_status_report(limit: std::time::Duration) -> bool {
    use std::os::fd::AsRawFd;
    let mut out = std::io::stdout();
    if out.write_all(b"\x1b[5n").and_then(|_| out.flush()).is_err() {
        return false;
    }
    let stdin = std::io::stdin();
    let fd = stdin.as_raw_fd();
    let deadline = std::time::Instant::now() + limit;
    let mut reply = Vec::new();
    while !reply.ends_with(b"n") {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let mut poll = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd, and `byte` outlives the read into it.
        let ready = unsafe { libc::poll(&mut poll, 1, left.as_millis() as libc::c_int) };
        if ready <= 0 {
            return false;
        }
        let mut byte = 0u8;
        if unsafe { libc::read(fd, (&mut byte as *mut u8).cast(), 1) } != 1 {
            return false;
        }
        reply.push(byte);
    }
    true
}

#[cfg(not(unix))]
fn answers_status_report(_limit: std::time::Duration) -> bool {
    true
}

/// The largest size in terminal cells that keeps the picture's proportions; a cell is about
/// twice as tall as it is wide.
fn fit_cells(width: u32, height: u32, max_cols: u32, max_rows: u32) -> (u32, u32) {
    let (w, h) = (width.max(1) as f64, height.max(1) as f64);
    let scale = (max_cols as f64 / w).min(2.0 * max_rows as f64 / h);
    let cols = (w * scale).round().max(1.0) as u32;
    let rows = (h * scale / 2.0).round().max(1.0) as u32;
    (cols.min(max_cols), rows.min(max_rows))
}

/// `[0]`, `[1]` … under the middle of each candidate of a one-row sheet `cols` wide.
fn number_line(images: &[ImageItem], cols: u32) -> String {
    let widths: Vec<f64> = images
        .iter()
        .map(|i| i.width as f64 / i.height.max(1) as f64)
        .collect();
    let total: f64 = widths.iter().sum();
    let mut line = String::new();
    let mut left = 0.0;
    for (image, w) in images.iter().zip(&widths) {
        let label = format!("[{}]", image.caption);
        let centre = (left + w / 2.0) / total * cols as f64;
        let at = (centre as usize).saturating_sub(label.len() / 2);
        let pad = at.saturating_sub(line.chars().count());
        line.push_str(&" ".repeat(pad));
        line.push_str(&label);
        line.push(' ');
        left += w;
    }
    line.trim_end().to_string()
}

impl Display for ReplDisplay {
    fn stdout(&self, text: &str) {
        self.print(text);
    }

    fn stderr(&self, text: &str) {
        self.bars.suspend(|| {
            let _ = std::io::stderr().lock().write_all(text.as_bytes());
        });
    }

    fn show(&self, output: &Output) {
        match output {
            Output::Text(t) => self.print(&format!("{t}\n")),
            Output::Table(t) => self.print(&format!("{}\n", t.to_text(72))),
            Output::Image(i) | Output::Chart(i) => self.show_image(i),
            Output::Sheet(s) => self.show_sheet(s),
            Output::Video(v) => {
                if let Some(poster) = &v.poster {
                    self.draw(poster);
                }
                self.print(&format!("{}\n", v.describe()));
            }
        }
    }

    fn progress(&self, p: &Progress) {
        let mut active = self.active.lock().unwrap_or_else(|e| e.into_inner());
        if p.finished {
            if let Some(bar) = active.remove(&p.id) {
                bar.finish_and_clear();
                self.bars.remove(&bar);
            }
            if !std::io::stderr().is_terminal() {
                eprintln!("{}: {}", p.label, p.count());
            }
            return;
        }
        // The time left is the caller's estimate when it has one: indicatif's own says
        // 0 s until the first of a few slow images is done.
        let images = p.unit == "images";
        let template = if p.eta_secs.is_some() || images {
            "{msg} [{bar:30}] {pos}/{len} {prefix}"
        } else {
            "{msg} [{bar:30}] {pos}/{len} {prefix} ({eta} left)"
        };
        let style = ProgressStyle::with_template(template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        let bar = active
            .entry(p.id.clone())
            .or_insert_with(|| self.bars.add(ProgressBar::new(p.total)));
        bar.set_style(style);
        bar.set_length(p.total);
        bar.set_position(p.done);
        bar.set_message(p.label.clone());
        bar.set_prefix(match p.eta_secs {
            Some(secs) => format!("{} ({secs:.0} s left)", p.unit),
            None if images => "images (estimating time left)".to_string(),
            None => p.unit.to_string(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_keep_proportions() {
        // A 9:16 picture is limited by height: 24 rows are 48 half-block pixels.
        assert_eq!(fit_cells(576, 1024, 100, 24), (27, 24));
        // A wide one by width.
        assert_eq!(fit_cells(1024, 512, 40, 24), (40, 10));
    }

    #[test]
    fn a_finished_progress_removes_its_bar() {
        let ws = tempfile::tempdir().unwrap();
        let display = ReplDisplay::new(Arc::new(Workspace::new(ws.path())), false);
        let step = |done, finished| Progress {
            id: "gen".into(),
            label: "generating".into(),
            done,
            total: 4,
            unit: "images",
            eta_secs: None,
            finished,
        };
        display.progress(&step(1, false));
        display.progress(&step(2, false));
        assert_eq!(display.active.lock().unwrap()["gen"].position(), 2);
        display.progress(&step(4, true));
        assert!(display.active.lock().unwrap().is_empty());
    }

    #[test]
    fn numbers_sit_under_their_candidates() {
        let item = |c: &str| ImageItem {
            path: "x.png".into(),
            width: 100,
            height: 100,
            caption: c.into(),
        };
        assert_eq!(
            number_line(&[item("0"), item("1")], 40),
            "         [0]                 [1]"
        );
    }
}
