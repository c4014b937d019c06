//! Every sheet numbers its tiles itself: candidate sheets, storyboards and contact sheets show a
//! badge on real pictures (plain white, plain black), and the draft's own header stays visible.

use std::path::{Path, PathBuf};

use image::{Rgb, RgbImage};
use storyreel::frontends::batch_display::compose_sheet;
use storyreel::generate::backends::draft::render_png;
use storyreel::generate::ImageRequest;
use storyreel::render::{contact_sheet, RenderScene};
use storyreel::runtime::display::ImageItem;

const BADGE_FACE: [u8; 3] = [255, 214, 0];
const SHEET_BACKGROUND: [u8; 3] = [24, 24, 28];

fn plain(dir: &Path, name: &str, colour: u8) -> PathBuf {
    let path = dir.join(name);
    RgbImage::from_pixel(576, 1024, Rgb([colour; 3]))
        .save(&path)
        .unwrap();
    path
}

fn item(path: PathBuf, caption: &str) -> ImageItem {
    ImageItem {
        path,
        width: 576,
        height: 1024,
        caption: caption.into(),
    }
}

/// Badge-coloured pixels inside `x0..x1`, and a fingerprint of the badge's dark (digit) pixels.
fn badge_in(sheet: &RgbImage, x0: u32, x1: u32) -> (usize, Vec<(u32, u32)>) {
    let mut face = 0;
    let mut ink = Vec::new();
    let mut first: Option<(u32, u32)> = None;
    for y in 0..sheet.height() {
        for x in x0..x1.min(sheet.width()) {
            if sheet.get_pixel(x, y).0 == BADGE_FACE {
                face += 1;
                first.get_or_insert((x, y));
            }
        }
    }
    // The digits are the dark pixels enclosed by the badge's face, relative to its corner.
    if let Some((fx, fy)) = first {
        for y in fy..(fy + 60).min(sheet.height()) {
            for x in fx..(fx + 60).min(x1) {
                if sheet.get_pixel(x, y).0[0] < 60 && sheet.get_pixel(x, y).0[1] < 60 {
                    ink.push((x - fx, y - fy));
                }
            }
        }
    }
    (face, ink)
}

#[test]
fn candidate_sheets_number_plain_white_and_black_pictures() {
    let dir = tempfile::tempdir().unwrap();
    let images = vec![
        item(plain(dir.path(), "white.png", 255), "0"),
        item(plain(dir.path(), "black.png", 0), "1"),
        item(plain(dir.path(), "white2.png", 255), "2"),
    ];
    let out = dir.path().join("sheet.png");
    compose_sheet(&images, &out).unwrap();
    let sheet = image::open(&out).unwrap().to_rgb8();
    let third = sheet.width() / 3;
    let badges: Vec<_> = (0..3)
        .map(|i| badge_in(&sheet, i * third, (i + 1) * third))
        .collect();
    for (i, (face, ink)) in badges.iter().enumerate() {
        assert!(*face > 300, "tile {i} has {face} badge pixels");
        assert!(
            ink.len() > 20,
            "tile {i}'s badge has no digit ({} dark pixels)",
            ink.len()
        );
    }
    // Two white tiles with different numbers: the digits drawn differ.
    assert_ne!(badges[0].1, badges[2].1, "badges 0 and 2 look the same");
}

#[test]
fn storyboards_number_tiles_by_scene() {
    let dir = tempfile::tempdir().unwrap();
    let images = vec![
        item(plain(dir.path(), "a.png", 255), "scene 4"),
        item(plain(dir.path(), "b.png", 255), "scene 7"),
    ];
    let out = dir.path().join("board.png");
    compose_sheet(&images, &out).unwrap();
    let sheet = image::open(&out).unwrap().to_rgb8();
    let half = sheet.width() / 2;
    let (a, b) = (
        badge_in(&sheet, 0, half),
        badge_in(&sheet, half, sheet.width()),
    );
    assert!(a.0 > 300 && b.0 > 300);
    assert_ne!(a.1, b.1, "scene 4 and scene 7 carry the same badge");
}

#[test]
fn contact_sheets_number_plain_pictures() {
    let dir = tempfile::tempdir().unwrap();
    let scenes: Vec<RenderScene> = [255u8, 0, 255]
        .iter()
        .enumerate()
        .map(|(i, &c)| RenderScene::new(i, plain(dir.path(), &format!("{i}.png"), c), "A scene."))
        .collect();
    let pages = contact_sheet(&scenes, &dir.path().join("contact.png")).unwrap();
    assert_eq!(pages.len(), 1, "three scenes fit one page");
    let sheet = image::open(&pages[0]).unwrap().to_rgb8();
    let cell = sheet.width() / 3;
    let badges: Vec<_> = (0..3)
        .map(|i| badge_in(&sheet, i * cell, (i + 1) * cell))
        .collect();
    for (i, (face, ink)) in badges.iter().enumerate() {
        assert!(*face > 300, "scene {i} has {face} badge pixels");
        assert!(ink.len() > 20, "scene {i}'s badge has no digit");
    }
    assert_ne!(badges[0].1, badges[2].1);
}

#[test]
fn the_badge_leaves_the_draft_header_visible() {
    let dir = tempfile::tempdir().unwrap();
    let request = ImageRequest {
        prompt: "A dragon sleeps on gold in a dark cave".into(),
        seed: 7,
        width: 576,
        height: 1024,
        label: "scene 0 #0".into(),
        ..ImageRequest::default()
    };
    let path = dir.path().join("draft.png");
    std::fs::write(&path, render_png(&request).unwrap()).unwrap();
    let out = dir.path().join("sheet.png");
    compose_sheet(&[item(path.clone(), "0")], &out).unwrap();
    let sheet = image::open(&out).unwrap().to_rgb8();
    // The tile is the box of pixels that are not the sheet's background.
    let tile: Vec<(u32, u32)> = sheet
        .enumerate_pixels()
        .filter(|(_, _, p)| p.0 != SHEET_BACKGROUND)
        .map(|(x, y, _)| (x, y))
        .collect();
    let (x0, y0) = tile
        .iter()
        .fold((u32::MAX, u32::MAX), |a, &(x, y)| (a.0.min(x), a.1.min(y)));
    let (x1, y1) = tile
        .iter()
        .fold((0, 0), |a, &(x, y)| (a.0.max(x), a.1.max(y)));
    let (w, h) = (x1 - x0 + 1, y1 - y0 + 1);
    let expected = image::imageops::resize(
        &image::open(&path).unwrap().to_rgb8(),
        w,
        h,
        image::imageops::FilterType::Triangle,
    );
    // The draft header (label and seed) fills about the top tenth of the picture.
    for y in 0..h / 8 {
        for x in 0..w {
            assert_eq!(
                sheet.get_pixel(x0 + x, y0 + y),
                expected.get_pixel(x, y),
                "header pixel ({x}, {y}) changed"
            );
        }
    }
    let (face, _) = badge_in(&sheet, 0, sheet.width());
    assert!(face > 300, "the draft tile has its badge too");
}
