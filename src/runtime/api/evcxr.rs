//! Inline display in evcxr (the Rust Jupyter kernel): evcxr calls `evcxr_display()` on a cell's
//! last value, and reads MIME blocks from stdout. Behind the `evcxr` cargo feature.

use base64::Engine as _;

use super::handles::{ImageRef, StoryRef};
use super::show::scenes_table;

/// One evcxr MIME block.
pub fn mime_block(mime: &str, content: &str) -> String {
    format!("EVCXR_BEGIN_CONTENT {mime}\n{content}\nEVCXR_END_CONTENT\n")
}

fn png_or_jpeg(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(&[0xff, 0xd8]) {
        "image/jpeg"
    } else {
        "image/png"
    }
}

impl ImageRef {
    /// The image inline; its path when the file cannot be read.
    pub fn evcxr_display(&self) {
        print!("{}", self.evcxr_block());
    }

    pub fn evcxr_block(&self) -> String {
        match std::fs::read(&self.path) {
            Ok(bytes) => mime_block(
                png_or_jpeg(&bytes),
                &base64::engine::general_purpose::STANDARD.encode(&bytes),
            ),
            Err(e) => mime_block("text/plain", &format!("{}: {e}", self.path.display())),
        }
    }
}

impl StoryRef {
    /// The story's scene table.
    pub fn evcxr_display(&self) {
        print!("{}", self.evcxr_block());
    }

    pub fn evcxr_block(&self) -> String {
        mime_block("text/html", &scenes_table(&self.lock()).to_html())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::story::Story;

    #[test]
    fn formats_blocks_evcxr_understands() {
        let story = StoryRef::new(Story::new("T", "Once upon a time."));
        let block = story.evcxr_block();
        assert!(block.starts_with("EVCXR_BEGIN_CONTENT text/html\n<table>"));
        assert!(block.ends_with("\nEVCXR_END_CONTENT\n"));
        let missing = ImageRef {
            path: "nope.png".into(),
            width: 1,
            height: 1,
        };
        assert!(missing
            .evcxr_block()
            .starts_with("EVCXR_BEGIN_CONTENT text/plain\nnope.png"));
    }
}
