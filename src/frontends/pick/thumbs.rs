//! Thumbnails of cached images, made once and kept in `<workspace>/thumbs/`: the page shows
//! hundreds of candidates, and full-size PNGs would make it slow to load.

use std::path::PathBuf;

use image::codecs::jpeg::JpegEncoder;

use super::workspace::PickWorkspace;
use crate::generate::cache::write_atomic;

/// The sizes the page uses: a candidate tile, and the pick shown large.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Size {
    Small,
    Large,
}

impl Size {
    pub fn parse(name: &str) -> Option<Size> {
        match name {
            "s" => Some(Size::Small),
            "l" => Some(Size::Large),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Size::Small => "s",
            Size::Large => "l",
        }
    }

    /// Longest side in pixels.
    fn side(self) -> u32 {
        match self {
            Size::Small => 256,
            Size::Large => 640,
        }
    }
}

/// The thumbnail file of a cached image, made on first use; `None` when the image is not in the
/// cache (yet) or cannot be read.
pub fn thumbnail(ws: &PickWorkspace, address: &str, size: Size) -> Option<PathBuf> {
    let source = ws.image(address)?;
    let path = ws.layout().thumbnail(size.name(), address);
    if path.is_file() {
        return Some(path);
    }
    let image = image::open(&source).ok()?;
    let small = image.thumbnail(size.side(), size.side()).to_rgb8();
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, 85)
        .encode_image(&small)
        .ok()?;
    // Content-addressed: two requests making the same thumbnail write the same bytes.
    write_atomic(&path, &jpeg).ok()?;
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thumbnail_is_small_made_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let address = "ab".repeat(32);
        let png = dir.path().join("cache/ab").join(format!("{address}.png"));
        std::fs::create_dir_all(png.parent().unwrap()).unwrap();
        image::RgbImage::from_pixel(576, 1024, image::Rgb([200, 30, 30]))
            .save(&png)
            .unwrap();
        let ws = PickWorkspace::new(dir.path()).unwrap();
        let thumb = thumbnail(&ws, &address, Size::Small).unwrap();
        let (w, h) = image::image_dimensions(&thumb).unwrap();
        assert_eq!((w, h), (144, 256));
        // The second time, the kept thumbnail is served as it is, not made again.
        std::fs::write(&thumb, b"kept").unwrap();
        assert_eq!(thumbnail(&ws, &address, Size::Small).unwrap(), thumb);
        assert_eq!(std::fs::read(&thumb).unwrap(), b"kept");
        assert!(thumbnail(&ws, &"cd".repeat(32), Size::Large).is_none());
    }
}
