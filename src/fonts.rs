//! The fonts shipped inside the binary (DejaVu, Bitstream Vera licence: see
//! `assets/fonts/DejaVu-LICENSE.txt`), embedded once and shared by every part that draws text.

/// DejaVu Sans Bold: captions, title cards, contact sheets.
pub static SANS_BOLD: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/DejaVuSans-Bold.ttf"
));

/// DejaVu Sans Condensed Bold: narrow labels, in draft sketches and charts.
pub static SANS_CONDENSED_BOLD: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/DejaVuSansCondensed-Bold.ttf"
));
