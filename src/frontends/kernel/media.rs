//! Files as notebook outputs carry them: images at the size they are shown (a saved notebook
//! holds those, not the full renders, and links the full file), videos inline when small enough
//! to play wherever the notebook is opened.

use std::io::Cursor;
use std::path::Path;

use base64::Engine as _;
use image::imageops::FilterType;

/// Past this a video is not embedded: base64 would add a third, and every save rewrites it.
pub const MAX_EMBEDDED_VIDEO: u64 = 4 << 20;

/// An encoded image: MIME type and bytes.
pub struct Encoded {
    pub mime: &'static str,
    pub bytes: Vec<u8>,
}

impl Encoded {
    pub fn base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(&self.bytes)
    }

    pub fn data_uri(&self) -> String {
        format!("data:{};base64,{}", self.mime, self.base64())
    }
}

/// The image at `path` scaled to fit `max_width` x `max_height`: the file itself when it
/// already fits, else a JPEG (a tenth of a PNG's size for generated pictures). A GIF (an
/// animatic) stays the GIF it is, under its own type: scaling would stop it. `None` when the
/// file cannot be read.
pub fn display_sized(path: &Path, max_width: u32, max_height: u32) -> Option<Encoded> {
    let bytes = std::fs::read(path).ok()?;
    let mime = if bytes.starts_with(&[0xff, 0xd8]) {
        "image/jpeg"
    } else if bytes.starts_with(b"GIF8") {
        return Some(Encoded {
            mime: "image/gif",
            bytes,
        });
    } else {
        "image/png"
    };
    let (width, height) = image::ImageReader::new(Cursor::new(&bytes))
        .with_guessed_format()
        .ok()?
        .into_dimensions()
        .ok()?;
    if width <= max_width && height <= max_height {
        return Some(Encoded { mime, bytes });
    }
    let img = image::load_from_memory(&bytes).ok()?;
    let small = img
        .resize(max_width, max_height, FilterType::Triangle)
        .to_rgb8();
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 88)
        .encode_image(&small)
        .ok()?;
    Some(Encoded {
        mime: "image/jpeg",
        bytes: jpeg,
    })
}

/// The size an image is shown at: its own, or scaled down to `max_height`.
pub fn shown_size(width: u32, height: u32, max_height: u32) -> (u32, u32) {
    if height <= max_height {
        (width, height)
    } else {
        ((width * max_height / height.max(1)).max(1), max_height)
    }
}

/// A path as a link in an output: relative to the kernel's directory (the notebook's) when
/// inside it, which is how the notebook server serves files.
pub fn link(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&cwd)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// How a video reaches the player.
pub enum VideoSource {
    /// Inline: plays wherever the notebook goes.
    Embedded(String),
    /// A link relative to the notebook, with why it is not inline.
    Linked { src: String, why: String },
}

pub fn video_source(path: &Path) -> VideoSource {
    let src = link(path);
    let size = std::fs::metadata(path).map(|m| m.len());
    let why = match size {
        Ok(n) if n <= MAX_EMBEDDED_VIDEO => match std::fs::read(path) {
            Ok(bytes) => {
                let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
                return VideoSource::Embedded(format!("data:{};base64,{b64}", video_mime(path)));
            }
            Err(e) => format!("it could not be read ({e})"),
        },
        Ok(n) => format!(
            "it is {:.1} MB, more than the {} MB embedded in a notebook",
            n as f64 / 1e6,
            MAX_EMBEDDED_VIDEO >> 20
        ),
        Err(e) => format!("it could not be read ({e})"),
    };
    VideoSource::Linked { src, why }
}

fn video_mime(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("webm") => "video/webm",
        Some("gif") => "image/gif",
        _ => "video/mp4",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_images_shrink_to_jpeg_small_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.png");
        // Busy like a generated picture, which PNG cannot squeeze the way it squeezes flat colour.
        let noise = |x: u32, y: u32, k: u32| {
            ((x.wrapping_mul(7919) ^ y.wrapping_mul(104_729) ^ k) % 251) as u8
        };
        image::RgbImage::from_fn(576, 1024, |x, y| {
            image::Rgb([noise(x, y, 1), noise(x / 2, y, 2), noise(x, y / 3, 3)])
        })
        .save(&big)
        .unwrap();
        let shown = display_sized(&big, 512, 512).unwrap();
        assert_eq!(shown.mime, "image/jpeg");
        let img = image::load_from_memory(&shown.bytes).unwrap();
        assert_eq!((img.width(), img.height()), (288, 512));
        assert!(shown.bytes.len() * 4 < std::fs::metadata(&big).unwrap().len() as usize);
        let kept = display_sized(&big, 576, 1024).unwrap();
        assert_eq!(kept.mime, "image/png");
        assert!(display_sized(&dir.path().join("missing.png"), 9, 9).is_none());
        // An animatic: a GIF, kept whole under its own type.
        let gif = dir.path().join("animatic.gif");
        image::RgbImage::from_pixel(600, 600, image::Rgb([9, 9, 9]))
            .save(&gif)
            .unwrap();
        let shown = display_sized(&gif, 64, 64).unwrap();
        assert_eq!(shown.mime, "image/gif");
        assert_eq!(shown.bytes, std::fs::read(&gif).unwrap());
        assert_eq!(shown_size(576, 1024, 512), (288, 512));
        assert_eq!(shown_size(100, 50, 512), (100, 50));
    }

    #[test]
    fn small_videos_are_inline_large_ones_say_why_not() {
        let dir = tempfile::tempdir().unwrap();
        let small = dir.path().join("small.mp4");
        std::fs::write(&small, b"not really a video").unwrap();
        assert!(
            matches!(video_source(&small), VideoSource::Embedded(uri) if uri.starts_with("data:video/mp4;base64,"))
        );
        let large = dir.path().join("large.mp4");
        let file = std::fs::File::create(&large).unwrap();
        file.set_len(MAX_EMBEDDED_VIDEO + 1).unwrap();
        let VideoSource::Linked { why, .. } = video_source(&large) else {
            panic!("a large video was embedded");
        };
        assert!(why.contains("4.2 MB"), "{why}");
    }
}
