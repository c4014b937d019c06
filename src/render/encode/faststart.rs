//! Moves an MP4's index (`moov`) in front of its media data (`mdat`), as ffmpeg's `+faststart`
//! does, so that a player or an upload page can start before the whole file has arrived. A muxer
//! can only write the index last, once every sample is known; this rewrites the finished file.

use mp4::{BoxHeader, BoxType, MoovBox, ReadBox, WriteBox};
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Cursor, Read, Seek, SeekFrom, Write};
use std::path::Path;

/// Where one top-level box sits in the file.
#[derive(Clone, Copy)]
pub(super) struct Span {
    pub start: u64,
    pub len: u64,
}

/// Rewrites `path` in place with its `moov` first. A file already in that order is left alone.
pub fn faststart(path: &Path) -> io::Result<()> {
    let mut file = BufReader::new(File::open(path)?);
    let boxes = top_level_boxes(&mut file)?;
    let find = |kind: BoxType| boxes.iter().find(|(k, _)| *k == kind).map(|(_, s)| *s);
    let (Some(ftyp), Some(mdat), Some(moov)) = (
        find(BoxType::FtypBox),
        find(BoxType::MdatBox),
        find(BoxType::MoovBox),
    ) else {
        return Err(invalid("an MP4 needs ftyp, mdat and moov boxes"));
    };
    if moov.start < mdat.start {
        return Ok(());
    }

    let mut moov_bytes = vec![0; moov.len as usize];
    file.seek(SeekFrom::Start(moov.start))?;
    file.read_exact(&mut moov_bytes)?;
    let moved = shift_chunk_offsets(&moov_bytes, moov.len)?;

    let partial = path.with_extension("faststart.part");
    let result = (|| {
        let mut out = BufWriter::new(File::create(&partial)?);
        copy_span(&mut file, ftyp, &mut out)?;
        out.write_all(&moved)?;
        // Whatever sat between ftyp and mdat (nothing, from our muxer) and the media data keep
        // their order; only the index moved ahead of them.
        copy_span(
            &mut file,
            Span {
                start: ftyp.start + ftyp.len,
                len: mdat.start + mdat.len - (ftyp.start + ftyp.len),
            },
            &mut out,
        )?;
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&partial, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result
}

/// The index with every chunk offset moved past the index itself, which now precedes the media.
fn shift_chunk_offsets(moov_bytes: &[u8], len: u64) -> io::Result<Vec<u8>> {
    let mut cursor = Cursor::new(moov_bytes);
    let header = BoxHeader::read(&mut cursor).map_err(mp4_error)?;
    let mut moov = MoovBox::read_box(&mut cursor, header.size).map_err(mp4_error)?;
    for trak in &mut moov.traks {
        let stbl = &mut trak.mdia.minf.stbl;
        if let Some(stco) = &mut stbl.stco {
            for offset in &mut stco.entries {
                *offset = u32::try_from(u64::from(*offset) + len)
                    .map_err(|_| invalid("media past 4 GiB needs 64-bit chunk offsets"))?;
            }
        }
        if let Some(co64) = &mut stbl.co64 {
            for offset in &mut co64.entries {
                *offset += len;
            }
        }
    }
    let mut moved = Vec::with_capacity(moov_bytes.len());
    moov.write_box(&mut moved).map_err(mp4_error)?;
    if moved.len() as u64 != len {
        // The offsets above assumed the index keeps its size when written again.
        return Err(invalid("the rewritten moov box changed size"));
    }
    Ok(moved)
}

pub(super) fn top_level_boxes(file: &mut BufReader<File>) -> io::Result<Vec<(BoxType, Span)>> {
    let end = file.seek(SeekFrom::End(0))?;
    file.seek(SeekFrom::Start(0))?;
    let mut boxes = Vec::new();
    let mut start = 0;
    while start < end {
        file.seek(SeekFrom::Start(start))?;
        let header = BoxHeader::read(file).map_err(mp4_error)?;
        // A 64-bit size was read as 16 header bytes, reported as size - 8.
        let len = match header.size {
            0 => end - start,
            size if file.stream_position()? - start == 16 => size + 8,
            size => size,
        };
        if len < 8 || start + len > end {
            return Err(invalid("a box runs past the end of the file"));
        }
        boxes.push((header.name, Span { start, len }));
        start += len;
    }
    Ok(boxes)
}

fn copy_span(from: &mut BufReader<File>, span: Span, to: &mut impl Write) -> io::Result<()> {
    from.seek(SeekFrom::Start(span.start))?;
    let copied = io::copy(&mut from.by_ref().take(span.len), to)?;
    if copied != span.len {
        return Err(invalid("the file ended inside a box"));
    }
    Ok(())
}

fn invalid(why: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, why.to_string())
}

fn mp4_error(e: mp4::Error) -> io::Error {
    invalid(&e.to_string())
}
