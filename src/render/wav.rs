//! Just enough WAV: read 16-bit PCM clips (what espeak-ng and TTS servers produce) and write
//! the mono narration track, streaming so that memory does not grow with the video's length.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

/// Sample rate of the narration track.
pub const NARRATION_RATE: u32 = 48_000;

/// Format and length of a PCM clip.
#[derive(Debug, Clone, Copy)]
pub struct WavInfo {
    pub rate: u32,
    pub channels: u16,
    pub data_offset: u64,
    pub data_len: u64,
}

impl WavInfo {
    pub fn duration_secs(&self) -> f64 {
        self.data_len as f64 / (self.rate as f64 * self.channels as f64 * 2.0)
    }
}

/// Why a WAV file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum WavError {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error("not a WAV file (too short)")]
    TooShort,
    #[error("not a WAV file (no RIFF/WAVE header)")]
    NotWav,
    #[error("WAV file has no data chunk")]
    NoData,
    #[error("unsupported WAV format (format {format}, {bits} bits); 16-bit PCM needed")]
    Unsupported { format: u16, bits: u16 },
    #[error("WAV data before its format")]
    DataBeforeFormat,
}

/// Reads the header of a 16-bit PCM WAV file.
pub fn read_info(path: &Path) -> Result<WavInfo, WavError> {
    let mut f = File::open(path)?;
    let file_len = f.metadata()?.len();
    let mut head = [0u8; 12];
    f.read_exact(&mut head).map_err(|_| WavError::TooShort)?;
    if &head[0..4] != b"RIFF" || &head[8..12] != b"WAVE" {
        return Err(WavError::NotWav);
    }
    let mut fmt = None;
    loop {
        let mut chunk = [0u8; 8];
        f.read_exact(&mut chunk).map_err(|_| WavError::NoData)?;
        let len = u32::from_le_bytes([chunk[4], chunk[5], chunk[6], chunk[7]]) as u64;
        let pos = f.stream_position()?;
        match &chunk[0..4] {
            b"fmt " => {
                let mut b = [0u8; 16];
                f.read_exact(&mut b)?;
                let format = u16::from_le_bytes([b[0], b[1]]);
                let channels = u16::from_le_bytes([b[2], b[3]]);
                let rate = u32::from_le_bytes([b[4], b[5], b[6], b[7]]);
                let bits = u16::from_le_bytes([b[14], b[15]]);
                if !(format == 1 || format == 0xFFFE) || bits != 16 || channels == 0 || rate == 0 {
                    return Err(WavError::Unsupported { format, bits });
                }
                fmt = Some((rate, channels));
            }
            b"data" => {
                let (rate, channels) = fmt.ok_or(WavError::DataBeforeFormat)?;
                // Streaming writers leave the size unset (0 or 0xFFFFFFFF): use the file's end.
                let data_len = if len == 0 || pos + len > file_len {
                    file_len - pos
                } else {
                    len
                };
                return Ok(WavInfo {
                    rate,
                    channels,
                    data_offset: pos,
                    data_len: data_len / (2 * channels as u64) * (2 * channels as u64),
                });
            }
            _ => {}
        }
        f.seek(SeekFrom::Start(pos + len + (len & 1)))?;
    }
}

/// The samples of a clip, its channels mixed down to mono.
pub fn read_mono(path: &Path, info: &WavInfo) -> std::io::Result<Vec<i16>> {
    let mut f = BufReader::new(File::open(path)?);
    f.seek(SeekFrom::Start(info.data_offset))?;
    let frames = info.data_len / (2 * info.channels as u64);
    let mut samples = Vec::with_capacity(frames as usize);
    let mut buf = vec![0u8; 2 * info.channels as usize];
    for _ in 0..frames {
        f.read_exact(&mut buf)?;
        let sum: i32 = buf
            .chunks_exact(2)
            .map(|b| i16::from_le_bytes([b[0], b[1]]) as i32)
            .sum();
        samples.push((sum / info.channels as i32) as i16);
    }
    Ok(samples)
}

/// Writes a mono 16-bit WAV at [`NARRATION_RATE`], sample by sample.
pub struct MonoWriter {
    out: BufWriter<File>,
    samples: u64,
}

impl MonoWriter {
    pub fn create(path: &Path) -> std::io::Result<Self> {
        let mut out = BufWriter::new(File::create(path)?);
        out.write_all(&header(0))?;
        Ok(MonoWriter { out, samples: 0 })
    }

    pub fn silence(&mut self, n: u64) -> std::io::Result<()> {
        for _ in 0..n {
            self.out.write_all(&[0, 0])?;
        }
        self.samples += n;
        Ok(())
    }

    pub fn samples(&self) -> u64 {
        self.samples
    }

    /// Appends a clip, mixed down to mono and linearly resampled, at most `max` samples.
    pub fn append_clip(&mut self, path: &Path, info: &WavInfo, max: u64) -> std::io::Result<u64> {
        let input: Vec<f32> = read_mono(path, info)?.into_iter().map(f32::from).collect();
        let frames = input.len() as u64;
        let ratio = info.rate as f64 / NARRATION_RATE as f64;
        let out_len = ((frames as f64 / ratio).floor() as u64).min(max);
        for i in 0..out_len {
            let pos = i as f64 * ratio;
            let j = pos.floor() as usize;
            let frac = (pos - j as f64) as f32;
            let a = input.get(j).copied().unwrap_or(0.0);
            let b = input.get(j + 1).copied().unwrap_or(a);
            let s = (a + (b - a) * frac).round().clamp(-32768.0, 32767.0) as i16;
            self.out.write_all(&s.to_le_bytes())?;
        }
        self.samples += out_len;
        Ok(out_len)
    }

    pub fn finish(mut self) -> std::io::Result<()> {
        self.out.flush()?;
        let mut f = self.out.into_inner().map_err(|e| e.into_error())?;
        f.seek(SeekFrom::Start(0))?;
        f.write_all(&header(self.samples * 2))?;
        f.sync_all()
    }
}

fn header(data_len: u64) -> [u8; 44] {
    header_for(NARRATION_RATE, data_len)
}

/// The 44-byte header of a mono 16-bit PCM WAV at `rate` with `data_len` bytes of samples.
pub fn header_for(rate: u32, data_len: u64) -> [u8; 44] {
    let mut h = [0u8; 44];
    let data_len = data_len.min(u32::MAX as u64 - 36) as u32;
    h[0..4].copy_from_slice(b"RIFF");
    h[4..8].copy_from_slice(&(36 + data_len).to_le_bytes());
    h[8..16].copy_from_slice(b"WAVEfmt ");
    h[16..20].copy_from_slice(&16u32.to_le_bytes());
    h[20..22].copy_from_slice(&1u16.to_le_bytes());
    h[22..24].copy_from_slice(&1u16.to_le_bytes());
    h[24..28].copy_from_slice(&rate.to_le_bytes());
    h[28..32].copy_from_slice(&(rate * 2).to_le_bytes());
    h[32..34].copy_from_slice(&2u16.to_le_bytes());
    h[34..36].copy_from_slice(&16u16.to_le_bytes());
    h[36..40].copy_from_slice(b"data");
    h[40..44].copy_from_slice(&data_len.to_le_bytes());
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_track_reads_back_with_its_length() {
        let dir = std::env::temp_dir().join(format!("storyreel-wav-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.wav");
        let mut w = MonoWriter::create(&path).unwrap();
        w.silence(NARRATION_RATE as u64).unwrap();
        w.finish().unwrap();
        let info = read_info(&path).unwrap();
        assert!((info.duration_secs() - 1.0).abs() < 1e-9);
        let mut w2 = MonoWriter::create(&dir.join("u.wav")).unwrap();
        assert_eq!(
            w2.append_clip(&path, &info, u64::MAX).unwrap(),
            NARRATION_RATE as u64
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
