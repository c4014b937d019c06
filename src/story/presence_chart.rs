//! A chart of which character is in which scene: rows are characters, columns scenes.

use std::path::{Path, PathBuf};
use std::sync::Once;

use plotters::prelude::*;
use plotters::style::FontStyle;

use super::Story;

// The font ships inside the binary, so charts look the same on every machine.
use crate::fonts::SANS_CONDENSED_BOLD as FONT;

/// At most this many characters, the most mentioned first.
const MAX_ROWS: usize = 16;

/// Why the chart could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The plotting library refused to draw (its message).
    #[error("{0}")]
    Draw(String),
    #[error("chart buffer has the wrong size")]
    Buffer,
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: image::ImageError,
    },
}

fn draw_error(e: impl std::fmt::Display) -> ChartError {
    ChartError::Draw(e.to_string())
}

/// Draws the chart as a PNG; returns its size.
pub fn draw(story: &Story, out: &Path) -> Result<(u32, u32), ChartError> {
    static REGISTER: Once = Once::new();
    REGISTER.call_once(|| {
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT);
    });
    let mut rows: Vec<usize> = (0..story.characters.len())
        .filter(|&i| !story.characters[i].excluded)
        .collect();
    rows.sort_by_key(|&i| std::cmp::Reverse(story.characters[i].mentions.len()));
    rows.truncate(MAX_ROWS);
    let scenes = story.scenes.len().max(1);
    let (width, height) = (
        (260 + scenes * 14).clamp(640, 2400) as u32,
        (110 + rows.len().max(1) * 28) as u32,
    );
    let mut buffer = vec![255u8; (width * height * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buffer, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_error)?;
        let names: Vec<String> = rows
            .iter()
            .map(|&i| story.characters[i].name.clone())
            .collect();
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("{} — who is in which scene", story.title),
                ("sans-serif", 20),
            )
            .margin(12)
            .x_label_area_size(30)
            .y_label_area_size(200)
            .build_cartesian_2d(0..scenes, (0..rows.len().max(1)).into_segmented())
            .map_err(draw_error)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc("scene")
            .y_labels(rows.len().max(1))
            .y_label_formatter(&|y| match y {
                SegmentValue::CenterOf(i) => names.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .label_style(("sans-serif", 13))
            .draw()
            .map_err(draw_error)?;
        let presence: Vec<Vec<usize>> = (0..story.scenes.len())
            .map(|s| story.characters_in(s))
            .collect();
        let cells = rows.iter().enumerate().flat_map(|(row, &c)| {
            let colour = Palette99::pick(row).to_rgba();
            presence
                .iter()
                .enumerate()
                .filter(move |(_, present)| present.contains(&c))
                .map(move |(s, _)| {
                    Rectangle::new(
                        [
                            (s, SegmentValue::Exact(row)),
                            (s + 1, SegmentValue::Exact(row + 1)),
                        ],
                        colour.filled(),
                    )
                })
        });
        chart.draw_series(cells).map_err(draw_error)?;
        root.present().map_err(draw_error)?;
    }
    let img = image::RgbImage::from_raw(width, height, buffer).ok_or(ChartError::Buffer)?;
    img.save(out).map_err(|source| ChartError::Write {
        path: out.into(),
        source,
    })?;
    Ok((width, height))
}
