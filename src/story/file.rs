//! Reading a story's text from a file: one rule for `story_file` and `storyreel characters`.

use std::io::Read;
use std::path::Path;

/// The largest story file read: a long novel is about 2 MB, so this leaves room for any real
/// text while a device or a runaway file cannot fill memory.
pub const MAX_STORY_FILE_BYTES: u64 = 50 << 20;

/// The text of a regular UTF-8 file of at most [`MAX_STORY_FILE_BYTES`], line ends as `\n`.
pub fn read_story_text(path: &Path) -> Result<String, String> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read \"{shown}\": {e}"))?;
    if !meta.is_file() {
        return Err(format!(
            "\"{shown}\" is not a regular file (a folder, device or pipe): give a text file"
        ));
    }
    let too_big = || {
        format!(
            "\"{shown}\" is larger than the {} MB a story file may have",
            MAX_STORY_FILE_BYTES >> 20
        )
    };
    if meta.len() > MAX_STORY_FILE_BYTES {
        return Err(too_big());
    }
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read \"{shown}\": {e}"))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The file may grow while read: never take more than the limit.
    file.take(MAX_STORY_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read \"{shown}\": {e}"))?;
    if bytes.len() as u64 > MAX_STORY_FILE_BYTES {
        return Err(too_big());
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        format!(
            "\"{shown}\" is not UTF-8 text: byte 0x{:02x} on line {line} (save it as UTF-8)",
            e.as_bytes()[at]
        )
    })?;
    if text.trim().is_empty() {
        // Caught here, not at render: an empty story has no scenes to make anything of.
        return Err(format!(
            "\"{shown}\" is empty: a story file needs the story's text"
        ));
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
        let err = read_story_text(&latin1).unwrap_err();
        assert!(
            err.contains("not UTF-8") && err.contains("0xe9 on line 2"),
            "{err}"
        );

        let err = read_story_text(dir.path()).unwrap_err();
        assert!(err.contains("not a regular file"), "{err}");
        let err = read_story_text(Path::new("/dev/zero")).unwrap_err();
        assert!(err.contains("not a regular file"), "{err}");

        let empty = dir.path().join("empty.txt");
        std::fs::write(&empty, " \n\n").unwrap();
        let err = read_story_text(&empty).unwrap_err();
        assert!(err.contains("is empty"), "{err}");

        let big = dir.path().join("big.txt");
        let f = std::fs::File::create(&big).unwrap();
        f.set_len(MAX_STORY_FILE_BYTES + 1).unwrap();
        let err = read_story_text(&big).unwrap_err();
        assert!(err.contains("larger than the 50 MB"), "{err}");
    }
}
