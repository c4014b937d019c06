//! The last look at a finished video before it takes its final name: an encoder that ran out of
//! disk may still exit 0 (ffmpeg's `+faststart` pass does), leaving a file with no index.

use super::faststart::top_level_boxes;
use crate::render::error::RenderError;
use crate::render::output::disk_nearly_full;
use mp4::{BoxHeader, BoxType, MoovBox, ReadBox};
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

/// The largest index read back: a long video's `moov` is a few MB.
const MAX_MOOV_BYTES: u64 = 256 << 20;

/// Checks that `path` is a whole MP4: its boxes fill the file exactly, and it has media data and
/// an index that parses and names at least one track. A file cut short on a full disk is
/// reported as a full disk.
pub fn check_complete(path: &Path) -> Result<(), RenderError> {
    check_mp4(path).map_err(|why| {
        if disk_nearly_full(path) {
            RenderError::DiskFull { path: path.into() }
        } else {
            RenderError::Encoder(format!(
                "the encoder finished but {} is not a complete MP4: {why}",
                path.display()
            ))
        }
    })
}

/// What is wrong with a finished file; the message follows "… is not a complete MP4:".
#[derive(Debug, thiserror::Error)]
enum Mp4Defect {
    #[error("{0}")]
    Read(#[from] std::io::Error),
    #[error("{0}")]
    Index(#[from] mp4::Error),
    #[error("it has no index (moov box) or no media data (mdat box)")]
    Missing,
    #[error("its media data is empty")]
    EmptyMedia,
    #[error("its index is {0} bytes")]
    IndexTooLarge(u64),
    #[error("its index lists no track")]
    NoTrack,
}

fn check_mp4(path: &Path) -> Result<(), Mp4Defect> {
    let mut file = BufReader::new(File::open(path)?);
    let boxes = top_level_boxes(&mut file)?;
    let find = |kind: BoxType| boxes.iter().find(|(k, _)| *k == kind).map(|(_, s)| *s);
    let (Some(mdat), Some(moov)) = (find(BoxType::MdatBox), find(BoxType::MoovBox)) else {
        return Err(Mp4Defect::Missing);
    };
    if mdat.len <= 16 {
        return Err(Mp4Defect::EmptyMedia);
    }
    if moov.len > MAX_MOOV_BYTES {
        return Err(Mp4Defect::IndexTooLarge(moov.len));
    }
    file.seek(SeekFrom::Start(moov.start))?;
    let mut bytes = Vec::new();
    file.take(moov.len).read_to_end(&mut bytes)?;
    let mut cursor = std::io::Cursor::new(&bytes);
    let header = BoxHeader::read(&mut cursor)?;
    let moov = MoovBox::read_box(&mut cursor, header.size)?;
    if moov.traks.is_empty() {
        return Err(Mp4Defect::NoTrack);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_without_an_index_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let cut = dir.path().join("cut.mp4");
        // What ffmpeg left on a full disk: ftyp, free, and an mdat whose size was never patched.
        let mut bytes = Vec::new();
        bytes.extend_from_slice(&[0, 0, 0, 16]);
        bytes.extend_from_slice(b"ftypisom\0\0\x02\0");
        bytes.extend_from_slice(&[0, 0, 0, 8]);
        bytes.extend_from_slice(b"free");
        bytes.extend_from_slice(&[0, 0, 0, 0]);
        bytes.extend_from_slice(b"mdat");
        bytes.extend(std::iter::repeat_n(7u8, 5000));
        std::fs::write(&cut, &bytes).unwrap();
        let e = check_complete(&cut).unwrap_err().to_string();
        assert!(
            e.contains("not a complete MP4") && e.contains("no index"),
            "{e}"
        );

        let garbage = dir.path().join("garbage.mp4");
        std::fs::write(&garbage, b"\0\0\0\x10ftypisom\0\0\x02\0\0\0\x10mda").unwrap();
        assert!(check_complete(&garbage).is_err());
        assert!(check_complete(&dir.path().join("absent.mp4")).is_err());
    }
}
