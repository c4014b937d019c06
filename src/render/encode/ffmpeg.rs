//! The normal encoder: raw I420 frames piped into ffmpeg (libx264, AAC soundtrack).

use super::FrameSink;
use crate::render::audio::AudioGraph;
use crate::render::error::RenderError;
use crate::render::frame::Yuv;
use crate::render::tools::tail_lines;
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// What ffmpeg should produce.
pub struct FfmpegSettings<'a> {
    pub width: u32,
    pub height: u32,
    pub fps: u32,
    /// "libx264" or a hardware encoder already checked to work.
    pub codec: &'a str,
    pub preset: &'a str,
    pub crf: u32,
    pub duration_secs: f64,
    pub audio: AudioGraph,
    /// Mono 16 kHz audio from a fast coder (see `RenderOptions::draft_audio`).
    pub draft_audio: bool,
}

pub struct FfmpegSink {
    child: Child,
    stdin: Option<ChildStdin>,
    stderr: Arc<Mutex<VecDeque<String>>>,
    reader: Option<JoinHandle<()>>,
    out: PathBuf,
}

impl FfmpegSink {
    pub fn start(settings: &FfmpegSettings, out: &Path) -> Result<Self, RenderError> {
        let mut cmd = Command::new("ffmpeg");
        cmd.args(["-hide_banner", "-nostdin", "-loglevel", "error", "-y"]);
        cmd.args(["-f", "rawvideo", "-pix_fmt", "yuv420p"]);
        cmd.args(["-s", &format!("{}x{}", settings.width, settings.height)]);
        cmd.args(["-framerate", &settings.fps.to_string(), "-i", "pipe:0"]);
        cmd.args(&settings.audio.inputs);
        if let Some(filter) = &settings.audio.filter {
            cmd.args(["-filter_complex", filter]);
        }
        cmd.args(["-map", "0:v"]);
        if let Some(map) = &settings.audio.map {
            cmd.args(["-map", map, "-c:a", "aac"]);
            if settings.draft_audio {
                cmd.args([
                    "-aac_coder",
                    "fast",
                    "-b:a",
                    "32k",
                    "-ac",
                    "1",
                    "-ar",
                    "16000",
                ]);
            } else {
                cmd.args(["-b:a", "160k"]);
            }
        }
        if settings.codec == "libx264" {
            cmd.args(["-c:v", "libx264", "-preset", settings.preset]);
            // More encoder threads than x264's default (1.5 per core) let it keep every core
            // busy while the compositor shares them: measured on 2 cores, 3 per core rendered
            // 60 s of video 10% faster and more did not help.
            let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
            cmd.args(["-threads", &(cores * 3).min(16).to_string()]);
            cmd.args(["-crf", &settings.crf.to_string()]);
        } else {
            // Hardware encoders have their own presets; a bitrate is the portable control.
            let bps = settings.width as u64 * settings.height as u64 * settings.fps as u64 / 8;
            cmd.args(["-c:v", settings.codec, "-b:v", &bps.to_string()]);
        }
        cmd.args(["-pix_fmt", "yuv420p"]);
        // Frames are BT.709 limited range (see frame.rs); say so, so players agree.
        cmd.args([
            "-colorspace",
            "bt709",
            "-color_primaries",
            "bt709",
            "-color_trc",
            "bt709",
        ]);
        cmd.args(["-color_range", "tv", "-movflags", "+faststart"]);
        cmd.args(["-t", &format!("{:.6}", settings.duration_secs), "-f", "mp4"]);
        cmd.arg(out);
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().map_err(|e| RenderError::ToolMissing {
            program: "ffmpeg",
            why: e.to_string(),
        })?;
        let stdin = child.stdin.take();
        if let Some(pipe) = &stdin {
            widen_pipe(pipe);
        }
        let stderr = Arc::new(Mutex::new(VecDeque::new()));
        // Drain stderr continuously so ffmpeg never blocks on it; keep the last lines.
        let reader = child.stderr.take().map(|pipe| {
            let lines = Arc::clone(&stderr);
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    let mut l = lines.lock().unwrap_or_else(|e| e.into_inner());
                    if l.len() == 30 {
                        l.pop_front();
                    }
                    l.push_back(line);
                }
            })
        });
        Ok(FfmpegSink {
            child,
            stdin,
            stderr,
            reader,
            out: out.into(),
        })
    }

    /// Waits for ffmpeg and turns a failure into an error quoting its last words.
    fn wait(&mut self) -> Result<(), RenderError> {
        self.stdin.take();
        let status = self
            .child
            .wait()
            .map_err(|e| RenderError::io(&self.out, e))?;
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
        if status.success() {
            return Ok(());
        }
        let lines: Vec<String> = self
            .stderr
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .cloned()
            .collect();
        let full = [
            "No space left on device",
            "Disk quota exceeded",
            "File too large",
        ];
        if lines.iter().any(|l| full.iter().any(|f| l.contains(f))) {
            return Err(RenderError::DiskFull {
                path: self.out.clone(),
            });
        }
        Err(RenderError::Ffmpeg {
            out: self.out.clone(),
            status: status.to_string(),
            stderr_tail: tail_lines(&lines.join("\n"), 8),
        })
    }
}

impl FrameSink for FfmpegSink {
    fn write_frame(&mut self, frame: &Yuv) -> Result<(), RenderError> {
        let Some(stdin) = self.stdin.as_mut() else {
            return Err(RenderError::Encoder("ffmpeg input already closed".into()));
        };
        if let Err(e) = stdin.write_all(&frame.data) {
            // A broken pipe means ffmpeg died: its own message says why.
            self.wait()?;
            return Err(RenderError::io(&self.out, e));
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<(), RenderError> {
        self.wait()
    }
}

impl Drop for FfmpegSink {
    fn drop(&mut self) {
        // Abandoned (error or cancel): stop ffmpeg rather than leave it running.
        if self.stdin.take().is_some() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Asks for a 1 MiB pipe (Linux's default ceiling for unprivileged processes) instead of 64 KiB,
/// so a 3 MB frame crosses in a few writes rather than fifty wake-ups of each side.
#[cfg(target_os = "linux")]
fn widen_pipe(pipe: &std::process::ChildStdin) {
    use std::os::fd::AsRawFd;
    // SAFETY: F_SETPIPE_SZ on a pipe we own; failure leaves the default size.
    unsafe {
        libc::fcntl(pipe.as_raw_fd(), libc::F_SETPIPE_SZ, 1 << 20);
    }
}

#[cfg(not(target_os = "linux"))]
fn widen_pipe(_pipe: &std::process::ChildStdin) {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::tools::has_ffmpeg;

    #[test]
    fn ffmpeg_failure_quotes_its_stderr_and_names_the_file() {
        if !has_ffmpeg() {
            crate::test_skip::skip("ffmpeg is not installed");
            return;
        }
        let out =
            std::env::temp_dir().join(format!("storyreel-ffmpeg-fail-{}.mp4", std::process::id()));
        let settings = FfmpegSettings {
            width: 64,
            height: 64,
            fps: 30,
            codec: "libx264",
            preset: "no-such-preset",
            crf: 20,
            duration_secs: 1.0,
            audio: AudioGraph {
                inputs: Vec::new(),
                filter: None,
                map: None,
            },
            draft_audio: false,
        };
        let mut sink = Box::new(FfmpegSink::start(&settings, &out).unwrap());
        let frame = Yuv::new(64, 64);
        // ffmpeg rejects the preset once it sees the first frame; the pipe then breaks.
        let mut result = Ok(());
        for _ in 0..200 {
            result = sink.write_frame(&frame);
            if result.is_err() {
                break;
            }
        }
        let err = match result {
            Err(e) => e,
            Ok(()) => sink.finish().unwrap_err(),
        };
        let msg = err.to_string();
        assert!(matches!(err, RenderError::Ffmpeg { .. }), "{msg}");
        assert!(
            msg.contains("no-such-preset") || msg.to_lowercase().contains("preset"),
            "{msg}"
        );
        assert!(msg.contains(&out.display().to_string()), "{msg}");
        let _ = std::fs::remove_file(&out);
    }
}
