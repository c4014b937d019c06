//! Display for unattended runs: text to the terminal, images as file paths, sheets composed
//! into one PNG in the workspace.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;

use crate::render::badge;
use crate::runtime::display::{Display, ImageItem, Output, Progress};
use crate::runtime::Workspace;

pub struct BatchDisplay {
    workspace: Arc<Workspace>,
    /// When the last progress line was written (`STORYREEL_PROGRESS_LINES`), to write at most
    /// two a second.
    last_line: std::sync::Mutex<Option<std::time::Instant>>,
}

impl BatchDisplay {
    pub fn new(workspace: Arc<Workspace>) -> Self {
        Self {
            workspace,
            last_line: Default::default(),
        }
    }

    /// Whether progress goes out as lines though stderr is no terminal: the pick page asks for
    /// it when it runs a render, to show its progress.
    fn progress_lines() -> bool {
        std::env::var_os("STORYREEL_PROGRESS_LINES").is_some_and(|v| v == "1")
    }

    fn sheet_file(&self, images: &[ImageItem]) -> Option<String> {
        let path = self.workspace.display_path("sheet", "png").ok()?;
        let pages = compose_sheet_pages(images, &path).ok()?;
        Some(page_list(&pages))
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
                if let Some(pages) = self.sheet_file(&s.images) {
                    lines.insert(0, format!("sheet: {pages}"));
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
        let eta = p
            .eta_secs
            .map(|s| format!(", {s:.0} s left"))
            .unwrap_or_default();
        if stderr.is_terminal() {
            let end = if p.finished { "\n" } else { "" };
            let _ = write!(
                stderr.lock(),
                "\r\x1b[2K{}: {}{eta}{end}",
                p.label,
                p.count()
            );
        } else if Self::progress_lines() {
            let mut last = self.last_line.lock().unwrap_or_else(|e| e.into_inner());
            let due = last.is_none_or(|t| t.elapsed().as_millis() >= 500);
            if p.finished || due {
                *last = Some(std::time::Instant::now());
                let eta = if p.finished { "" } else { eta.as_str() };
                let _ = writeln!(stderr.lock(), "{}: {}{eta}", p.label, p.count());
            }
        } else if p.finished {
            let _ = writeln!(stderr.lock(), "{}: {}", p.label, p.count());
        }
    }
}

/// At most this many images on one composed sheet; more make more pages (files), so a sheet of
/// a 10,000-scene storyboard never has to fit in memory at once.
pub const IMAGES_PER_PAGE: usize = 24;
const CELL_H: u32 = 384;

/// Composes `images` into pages of at most [`IMAGES_PER_PAGE`]: `out`, then `NAME-2.png`…
pub fn compose_sheet_pages(
    images: &[ImageItem],
    out: &std::path::Path,
) -> image::ImageResult<Vec<PathBuf>> {
    if images.is_empty() {
        return compose_sheet(images, out).map(|()| vec![out.to_path_buf()]);
    }
    images
        .chunks(IMAGES_PER_PAGE)
        .enumerate()
        .map(|(page, chunk)| {
            let path = crate::render::page_path(out, page);
            compose_sheet_from(chunk, page * IMAGES_PER_PAGE, &path).map(|()| path)
        })
        .collect()
}

/// `a.png` or `a.png, a-2.png (2 pages)`.
pub fn page_list(pages: &[PathBuf]) -> String {
    let names: Vec<String> = pages.iter().map(|p| p.display().to_string()).collect();
    match pages.len() {
        1 => names.join(""),
        n => format!("{} ({n} pages)", names.join(", ")),
    }
}

/// Lays candidates side by side (at most four per row), scaled to a common height, each with
/// its number badge; a very wide image is squeezed to four cells' width, so the sheet's size
/// stays bounded.
pub fn compose_sheet(images: &[ImageItem], out: &std::path::Path) -> image::ImageResult<()> {
    compose_sheet_from(images, 0, out)
}

/// [`compose_sheet`] for a later page, whose tiles are numbered from `first`.
/// A border `width` pixels wide inside the edges of `img`: the current pick's frame.
fn frame(img: &mut image::RgbImage, width: u32, colour: image::Rgb<u8>) {
    let (w, h) = img.dimensions();
    for y in 0..h {
        for x in 0..w {
            if x < width || y < width || x + width >= w || y + width >= h {
                img.put_pixel(x, y, colour);
            }
        }
    }
}

fn compose_sheet_from(
    images: &[ImageItem],
    first: usize,
    out: &std::path::Path,
) -> image::ImageResult<()> {
    const GAP: u32 = 12;
    let thumbs: Vec<image::RgbImage> = images
        .iter()
        .enumerate()
        .filter_map(|(k, i)| Some((k, i, image::open(&i.path).ok()?)))
        .map(|(k, item, img)| {
            let w = (img.width() * CELL_H / img.height().max(1)).clamp(1, 4 * CELL_H);
            let mut thumb = img
                .resize_exact(w, CELL_H, image::imageops::FilterType::Triangle)
                .to_rgb8();
            let label = badge::badge_label(&item.caption, first + k);
            badge::draw_badge(&mut thumb, &label, 0, CELL_H as i64, w);
            if crate::runtime::display::is_picked(&item.caption) {
                frame(&mut thumb, 8, image::Rgb([46, 125, 50]));
            }
            thumb
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
