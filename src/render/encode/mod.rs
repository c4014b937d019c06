//! Encoder sinks: composed frames go in one by one, an MP4 comes out.

pub mod builtin;
mod faststart;
pub mod ffmpeg;
mod verify;

pub use verify::check_complete;

use super::error::RenderError;
use super::frame::Yuv;

/// Something that turns a stream of equally sized I420 frames into a video file.
pub trait FrameSink: Send {
    fn write_frame(&mut self, frame: &Yuv) -> Result<(), RenderError>;
    /// Flushes and closes the file; only then is it complete.
    fn finish(self: Box<Self>) -> Result<(), RenderError>;
}
