//! A chart of which character is in which scene: rows are characters, columns scenes.

use std::path::Path;
use std::sync::Once;

use plotters::prelude::*;
use plotters::style::FontStyle;

use super::Story;

// The font ships inside the binary, so charts look the same on every machine.
use crate::fonts::SANS_CONDENSED_BOLD as FONT;

/// At most this many characters, the most mentioned first.
const MAX_ROWS: usize = 16;

/// Draws the chart as a PNG; returns its size.
pub fn draw(story: &Story, out: &Path) -> Result<(u32, u32), String> {
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
        root.fill(&WHITE).map_err(|e| e.to_string())?;
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
            .map_err(|e| e.to_string())?;
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
            .map_err(|e| e.to_string())?;
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
        chart.draw_series(cells).map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    let img = image::RgbImage::from_raw(width, height, buffer)
        .ok_or("chart buffer has the wrong size")?;
    img.save(out)
        .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    Ok((width, height))
}
