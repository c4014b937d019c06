//! Reading a story's text from a file: one rule for `story_file` and `storyreel characters`.

use std::path::{Path, PathBuf};

use crate::input_file::InputError;

/// The largest story file read: a long novel is about 2 MB, so this leaves room for any real
/// text while a device or a runaway file cannot fill memory.
pub const MAX_STORY_FILE_BYTES: u64 = 50 << 20;

/// What a story file is to [`crate::input_file`].
pub const STORY_FILE: crate::input_file::Kind = crate::input_file::Kind {
    what: "a story file",
    max_bytes: MAX_STORY_FILE_BYTES,
};

/// Why a story file gives no story.
#[derive(Debug, thiserror::Error)]
pub enum StoryFileError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error("\"{}\" is empty: a story file needs the story's text", path.display())]
    Empty { path: PathBuf },
}

/// The text of a regular UTF-8 file of at most [`MAX_STORY_FILE_BYTES`], line ends as `\n`.
pub fn read_story_text(path: &Path) -> Result<String, StoryFileError> {
    let text = crate::input_file::read_text(path, STORY_FILE)?;
    if text.trim().is_empty() {
        // Caught here, not at render: an empty story has no scenes to make anything of.
        return Err(StoryFileError::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(text.replace("\r\n", "\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_utf8_files_within_the_limit_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.txt");
        std::fs::write(&good, "Line one\r\nLine two").unwrap();
        assert_eq!(read_story_text(&good).unwrap(), "Line one\nLine two");

        let latin1 = dir.path().join("latin1.txt");
        std::fs::write(&latin1, b"first\ncaf\xe9").unwrap();
        let err = read_story_text(&latin1).unwrap_err().to_string();
        assert!(
            err.contains("not UTF-8") && err.contains("0xe9 on line 2"),
            "{err}"
        );

        let err = read_story_text(dir.path()).unwrap_err().to_string();
        assert!(err.contains("not a regular file"), "{err}");
        let err = read_story_text(Path::new("/dev/zero"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a regular file"), "{err}");

        let empty = dir.path().join("empty.txt");
        std::fs::write(&empty, " \n\n").unwrap();
        let err = read_story_text(&empty).unwrap_err().to_string();
        assert!(err.contains("is empty"), "{err}");

        let big = dir.path().join("big.txt");
        let f = std::fs::File::create(&big).unwrap();
        f.set_len(MAX_STORY_FILE_BYTES + 1).unwrap();
        let err = read_story_text(&big).unwrap_err().to_string();
        assert!(err.contains("larger than the 50 MB"), "{err}");
    }
}
