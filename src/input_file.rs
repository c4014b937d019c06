//! One rule for every file the program reads: a regular file (a device may never end, a FIFO
//! blocks on open until someone writes), no larger than what it is can need, else a clear error
//! naming the file. Reading stays bounded even when the file grows while read.

use std::fs::File;
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// What a file is, and the most it may hold.
#[derive(Debug, Clone, Copy)]
pub struct Kind {
    /// As said in errors: "a script", "a font".
    pub what: &'static str,
    pub max_bytes: u64,
}

/// A `// %%` script: a long story pasted in is a few MB.
pub const SCRIPT: Kind = Kind {
    what: "a script",
    max_bytes: 16 << 20,
};
/// A notebook: cells plus saved outputs (images inline).
pub const NOTEBOOK: Kind = Kind {
    what: "a notebook",
    max_bytes: 64 << 20,
};
/// A font: the largest CJK collections are some 30 MB.
pub const FONT: Kind = Kind {
    what: "a font",
    max_bytes: 64 << 20,
};
/// A Jupyter connection file: a few hundred bytes of JSON.
pub const CONNECTION_FILE: Kind = Kind {
    what: "a connection file",
    max_bytes: 64 << 10,
};
/// An image given by path (a candidate, a reference image).
pub const IMAGE: Kind = Kind {
    what: "an image",
    max_bytes: 256 << 20,
};

/// A music file: ffmpeg streams it, but an hour of WAV is some 600 MB.
pub const MUSIC: Kind = Kind {
    what: "a music file",
    max_bytes: 2 << 30,
};

/// Why a file was not read; each names the file.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("cannot read \"{}\": {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("\"{}\" is not a regular file (a folder, device or pipe): give {what} file", path.display())]
    NotAFile { path: PathBuf, what: &'static str },
    #[error(
        "\"{}\" is larger than the {} {what} may have",
        path.display(),
        size_text(*max_bytes)
    )]
    TooLarge {
        path: PathBuf,
        what: &'static str,
        max_bytes: u64,
    },
    #[error("\"{}\" is not UTF-8 text: byte 0x{byte:02x} on line {line} (save it as UTF-8)", path.display())]
    NotUtf8 {
        path: PathBuf,
        byte: u8,
        line: usize,
    },
    /// The file was read, but its bytes are no image the decoder knows (the message does not
    /// name the file: the caller says which).
    #[error(transparent)]
    NotAnImage(#[from] image::ImageError),
}

/// Opens `path` for reading once it is known to be a regular file. The open itself never
/// blocks: a FIFO is opened non-blocking and refused.
pub fn open(path: &Path, kind: Kind) -> Result<File, InputError> {
    let cannot = |source| InputError::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    if !meta.is_file() {
        return Err(InputError::NotAFile {
            path: path.to_path_buf(),
            what: kind.what,
        });
    }
    if meta.len() > kind.max_bytes {
        return Err(too_big(path, kind));
    }
    Ok(file)
}

/// The bytes of a regular file of at most `kind.max_bytes`.
pub fn read(path: &Path, kind: Kind) -> Result<Vec<u8>, InputError> {
    let file = open(path, kind)?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut bytes = Vec::with_capacity(size.min(kind.max_bytes) as usize);
    // The file may grow while read: never take more than the limit.
    file.take(kind.max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| InputError::Read {
            path: path.to_path_buf(),
            source,
        })?;
    if bytes.len() as u64 > kind.max_bytes {
        return Err(too_big(path, kind));
    }
    Ok(bytes)
}

/// The text of a regular UTF-8 file of at most `kind.max_bytes`; bad bytes are named with
/// their line.
pub fn read_text(path: &Path, kind: Kind) -> Result<String, InputError> {
    String::from_utf8(read(path, kind)?).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        InputError::NotUtf8 {
            path: path.to_path_buf(),
            byte: e.as_bytes()[at],
            line: e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1,
        }
    })
}

/// The width and height of an image file, read from its header after the checks of [`open`].
pub fn image_dimensions(path: &Path) -> Result<(u32, u32), InputError> {
    let file = open(path, IMAGE)?;
    let reader = image::ImageReader::new(std::io::BufReader::new(file))
        .with_guessed_format()
        .map_err(|source| InputError::Read {
            path: path.to_path_buf(),
            source,
        })?;
    Ok(reader.into_dimensions()?)
}

fn too_big(path: &Path, kind: Kind) -> InputError {
    InputError::TooLarge {
        path: path.to_path_buf(),
        what: kind.what,
        max_bytes: kind.max_bytes,
    }
}

fn size_text(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{} MB", bytes >> 20)
    } else {
        format!("{} KB", bytes >> 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_pipes_folders_and_oversized_files_are_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        for path in [
            Path::new("/dev/zero"),
            Path::new("/dev/urandom"),
            dir.path(),
        ] {
            let err = read(path, SCRIPT).unwrap_err().to_string();
            assert!(err.contains("is not a regular file"), "{err}");
            assert!(err.contains("give a script file"), "{err}");
        }
        let link = dir.path().join("link.rhai");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        assert!(read(&link, SCRIPT)
            .unwrap_err()
            .to_string()
            .contains("is not a regular file"));

        // A FIFO nobody writes to: opening it must not wait for a writer.
        let fifo = dir.path().join("fifo");
        let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo with a valid C string.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        let err = read(&fifo, IMAGE).unwrap_err().to_string();
        assert!(err.contains("give an image file"), "{err}");

        let big = dir.path().join("big.json");
        std::fs::File::create(&big)
            .unwrap()
            .set_len(CONNECTION_FILE.max_bytes + 1)
            .unwrap();
        let err = read(&big, CONNECTION_FILE).unwrap_err().to_string();
        assert!(
            err.contains("is larger than the 64 KB a connection file may have"),
            "{err}"
        );
        let gone = read(&dir.path().join("gone"), FONT)
            .unwrap_err()
            .to_string();
        assert!(gone.starts_with("cannot read"), "{gone}");
    }

    #[test]
    fn text_must_be_utf8() {
        let dir = tempfile::tempdir().unwrap();
        let latin1 = dir.path().join("latin1.rhai");
        std::fs::write(&latin1, b"first\ncaf\xe9").unwrap();
        let err = read_text(&latin1, SCRIPT).unwrap_err().to_string();
        assert!(err.contains("0xe9 on line 2"), "{err}");
        std::fs::write(&latin1, "print(1);").unwrap();
        assert_eq!(read_text(&latin1, SCRIPT).unwrap(), "print(1);");
    }
}
