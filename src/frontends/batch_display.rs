//! Display for unattended runs: text to the terminal, images as file paths, sheets composed
//! into one PNG in the workspace.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;

use crate::runtime::display::{Display, ImageItem, Output, Progress};
use crate::runtime::Workspace;

pub struct BatchDisplay {
    workspace: Arc<Workspace>,
}

impl BatchDisplay {
    pub fn new(workspace: Arc<Workspace>) -> Self {
        Self { workspace }
    }

    fn sheet_file(&self, images: &[ImageItem]) -> Option<PathBuf> {
        let path = self.workspace.display_path("sheet", "png").ok()?;
        compose_sheet(images, &path).ok()?;
        Some(path)
    }
}

impl Display for BatchDisplay {
    fn stdout(&self, text: &str) {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
    }

    fn stderr(&self, text: &str) {
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }

    fn show(&self, output: &Output) {
        let text = match output {
            Output::Text(t) => t.clone(),
            Output::Table(t) => t.to_text(72),
            Output::Image(i) | Output::Chart(i) => format!("image: {}", i.file_and_size()),
            Output::Sheet(s) => {
                let mut lines = vec![s.listing()];
                if let Some(path) = self.sheet_file(&s.images) {
                    lines.insert(0, format!("sheet: {}", path.display()));
                }
                if !s.title.is_empty() {
                    lines.insert(0, s.title.clone());
                }
                lines.join("\n")
            }
            Output::Video(v) => v.describe(),
        };
        self.stdout(&format!("{text}\n"));
    }

    fn progress(&self, p: &Progress) {
        let stderr = std::io::stderr();
        if stderr.is_terminal() {
            let eta = p
                .eta_secs
                .map(|s| format!(", {s:.0} s left"))
                .unwrap_or_default();
            let end = if p.finished { "\n" } else { "" };
            let _ = write!(
                stderr.lock(),
                "\r\x1b[2K{}: {}{eta}{end}",
                p.label,
                p.count()
            );
        } else if p.finished {
            let _ = writeln!(stderr.lock(), "{}: {}", p.label, p.count());
        }
    }
}

/// Lays candidates side by side (at most four per row), scaled to a common height.
pub fn compose_sheet(images: &[ImageItem], out: &std::path::Path) -> image::ImageResult<()> {
    const CELL_H: u32 = 384;
    const GAP: u32 = 12;
    let thumbs: Vec<image::RgbImage> = images
        .iter()
        .filter_map(|i| image::open(&i.path).ok())
        .map(|img| {
            let w = (img.width() * CELL_H / img.height().max(1)).max(1);
            img.resize_exact(w, CELL_H, image::imageops::FilterType::Triangle)
                .to_rgb8()
        })
        .collect();
    let per_row = thumbs.len().clamp(1, 4);
    let rows: Vec<&[image::RgbImage]> = thumbs.chunks(per_row).collect();
    let width = rows
        .iter()
        .map(|r| r.iter().map(|t| t.width() + GAP).sum::<u32>() + GAP)
        .max()
        .unwrap_or(GAP);
    let height = rows.len() as u32 * (CELL_H + GAP) + GAP;
    let mut sheet = image::RgbImage::from_pixel(width, height, image::Rgb([24, 24, 28]));
    for (r, row) in rows.iter().enumerate() {
        let mut x = GAP;
        for thumb in *row {
            image::imageops::overlay(
                &mut sheet,
                thumb,
                x as i64,
                (GAP + r as u32 * (CELL_H + GAP)) as i64,
            );
            x += thumb.width() + GAP;
        }
    }
    sheet.save(out)
}
