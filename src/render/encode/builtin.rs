//! The fallback encoder, compiled into the binary: OpenH264 for the video and the `mp4` crate
//! for the container, with the index moved to the front as ffmpeg's `+faststart` does. No audio:
//! narration needs ffmpeg.

use super::faststart::faststart;
use super::FrameSink;
use crate::render::error::RenderError;
use crate::render::frame::Yuv;
use mp4::{
    AvcConfig, FourCC, MediaConfig, Mp4Config, Mp4Sample, Mp4Writer, TrackConfig, TrackType,
};
use openh264::encoder::{
    Encoder, EncoderConfig, FrameRate, FrameType, IntraFramePeriod, QpRange, RateControlMode,
    VuiConfig,
};
use openh264::formats::YUVSource;
use openh264::OpenH264API;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

pub struct BuiltinSink {
    encoder: Encoder,
    file: Option<BufWriter<File>>,
    muxer: Option<Mp4Writer<BufWriter<File>>>,
    out: PathBuf,
    width: u32,
    height: u32,
    /// Track timescale ticks per frame.
    ticks: u32,
    timescale: u32,
    frames: u64,
}

/// A muxer error; a failed write keeps its cause (a full disk says so).
fn mux_error(out: &Path, e: mp4::Error) -> RenderError {
    match e {
        mp4::Error::IoError(io) => RenderError::io(out, io),
        other => RenderError::Encoder(format!("writing {}: {other}", out.display())),
    }
}

impl BuiltinSink {
    pub fn start(width: u32, height: u32, fps: u32, out: &Path) -> Result<Self, RenderError> {
        // Constant quality (no rate control): rate control would need frame skipping, and a
        // skipped frame would break the one-sample-per-timeline-frame contract.
        let config = EncoderConfig::new()
            .max_frame_rate(FrameRate::from_hz(fps as f32))
            .skip_frames(false)
            .rate_control_mode(RateControlMode::Off)
            .intra_frame_period(IntraFramePeriod::from_num_frames(fps * 2))
            .qp(QpRange::new(26, 30))
            .vui(VuiConfig::bt709());
        let encoder = Encoder::with_api_config(OpenH264API::from_source(), config)
            .map_err(|e| RenderError::Encoder(e.to_string()))?;
        let file = File::create(out).map_err(|e| RenderError::io(out, e))?;
        Ok(BuiltinSink {
            encoder,
            file: Some(BufWriter::new(file)),
            muxer: None,
            out: out.into(),
            width,
            height,
            ticks: 1000,
            timescale: fps * 1000,
            frames: 0,
        })
    }

    fn mux_err(&self, e: mp4::Error) -> RenderError {
        mux_error(&self.out, e)
    }

    /// Opens the MP4 once the first frame has produced the parameter sets it must declare.
    fn open_muxer(&mut self, sps: &[u8], pps: &[u8]) -> Result<(), RenderError> {
        let file = self.file.take().expect("muxer opened once");
        let config = Mp4Config {
            major_brand: FourCC::from(*b"isom"),
            minor_version: 512,
            compatible_brands: [b"isom", b"iso2", b"avc1", b"mp41"]
                .map(|b| FourCC::from(*b))
                .to_vec(),
            // The movie's clock is the track's: the muxer converts each frame's duration into
            // movie ticks with integer division, which at 1000 ticks/s lost a third of a
            // millisecond per frame at 30 fps (a 48.4 s video announced itself as 47.9 s).
            timescale: self.timescale,
        };
        let mut muxer = Mp4Writer::write_start(file, &config).map_err(|e| self.mux_err(e))?;
        let track = TrackConfig {
            track_type: TrackType::Video,
            timescale: self.timescale,
            language: "und".into(),
            media_conf: MediaConfig::AvcConfig(AvcConfig {
                width: self.width as u16,
                height: self.height as u16,
                seq_param_set: sps.to_vec(),
                pic_param_set: pps.to_vec(),
            }),
        };
        muxer.add_track(&track).map_err(|e| self.mux_err(e))?;
        self.muxer = Some(muxer);
        Ok(())
    }
}

/// Borrowed I420 frame as OpenH264 wants it.
struct YuvRef<'a>(&'a Yuv);

impl YUVSource for YuvRef<'_> {
    fn dimensions(&self) -> (usize, usize) {
        (self.0.width, self.0.height)
    }
    fn strides(&self) -> (usize, usize, usize) {
        let cw = self.0.chroma_size().0;
        (self.0.width, cw, cw)
    }
    fn y(&self) -> &[u8] {
        self.0.planes().0
    }
    fn u(&self) -> &[u8] {
        self.0.planes().1
    }
    fn v(&self) -> &[u8] {
        self.0.planes().2
    }
}

/// A NAL unit without its Annex-B start code.
fn strip_start_code(nal: &[u8]) -> &[u8] {
    if nal.starts_with(&[0, 0, 0, 1]) {
        &nal[4..]
    } else if nal.starts_with(&[0, 0, 1]) {
        &nal[3..]
    } else {
        nal
    }
}

impl FrameSink for BuiltinSink {
    fn write_frame(&mut self, frame: &Yuv) -> Result<(), RenderError> {
        let bitstream = self
            .encoder
            .encode(&YuvRef(frame))
            .map_err(|e| RenderError::Encoder(e.to_string()))?;
        let is_sync = matches!(bitstream.frame_type(), FrameType::IDR | FrameType::I);
        let (mut sps, mut pps) = (None, None);
        // MP4 stores NAL units length-prefixed, parameter sets in the track header.
        let mut sample = Vec::new();
        for l in 0..bitstream.num_layers() {
            let Some(layer) = bitstream.layer(l) else {
                continue;
            };
            for n in 0..layer.nal_count() {
                let Some(nal) = layer.nal_unit(n).map(strip_start_code) else {
                    continue;
                };
                match nal.first().map(|b| b & 0x1f) {
                    Some(7) => sps = Some(nal.to_vec()),
                    Some(8) => pps = Some(nal.to_vec()),
                    Some(_) => {
                        sample.extend_from_slice(&(nal.len() as u32).to_be_bytes());
                        sample.extend_from_slice(nal);
                    }
                    None => {}
                }
            }
        }
        if self.muxer.is_none() {
            let (Some(sps), Some(pps)) = (sps, pps) else {
                return Err(RenderError::Encoder(
                    "first frame carries no SPS/PPS".into(),
                ));
            };
            self.open_muxer(&sps, &pps)?;
        }
        let sample = Mp4Sample {
            start_time: self.frames * self.ticks as u64,
            duration: self.ticks,
            rendering_offset: 0,
            is_sync,
            bytes: sample.into(),
        };
        let muxer = self.muxer.as_mut().expect("opened above");
        muxer
            .write_sample(1, &sample)
            .map_err(|e| mux_error(&self.out, e))?;
        self.frames += 1;
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<(), RenderError> {
        let Some(mut muxer) = self.muxer.take() else {
            return Err(RenderError::Encoder("no frames were encoded".into()));
        };
        muxer.write_end().map_err(|e| self.mux_err(e))?;
        let mut file = muxer.into_writer();
        std::io::Write::flush(&mut file).map_err(|e| RenderError::io(&self.out, e))?;
        drop(file);
        faststart(&self.out).map_err(|e| RenderError::io(&self.out, e))
    }
}
