//! The soundtrack: narration clips placed at their scenes' speech times in one mono track, and
//! the ffmpeg filter that mixes music under it (looped, faded, ducked while the voice speaks).

use super::error::RenderError;
use super::options::Music;
use super::timeline::Timeline;
use super::tools::tail_lines;
use super::wav::{MonoWriter, WavInfo, NARRATION_RATE};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A scene's synthesized narration.
#[derive(Debug, Clone)]
pub struct Clip {
    pub path: PathBuf,
    pub info: WavInfo,
    /// Where the voice sounds, in seconds from the clip's start.
    pub voiced: Vec<(f64, f64)>,
    /// The parts synthesized one by one, and when each is spoken in the clip.
    pub segments: Vec<super::narration::Spoken>,
}

/// Writes the narration track, exactly as long as the video: silence, then each clip at the
/// start of its span's speech interval.
pub fn write_narration(
    timeline: &Timeline,
    clips: &[Option<Clip>],
    out: &Path,
) -> Result<(), RenderError> {
    let io = |e| RenderError::io(out, e);
    let rate = NARRATION_RATE as f64;
    let total = (timeline.duration_secs() * rate).round() as u64;
    let mut w = MonoWriter::create(out).map_err(io)?;
    for span in &timeline.spans {
        let super::timeline::SpanKind::Scene(i) = span.kind else {
            continue;
        };
        let Some(clip) = clips.get(i).and_then(|c| c.as_ref()) else {
            continue;
        };
        let at =
            ((span.start_frame as f64 / timeline.fps as f64 + span.speech.0) * rate).round() as u64;
        w.silence(at.saturating_sub(w.samples())).map_err(io)?;
        let room = total.saturating_sub(w.samples());
        w.append_clip(&clip.path, &clip.info, room)
            .map_err(|e| RenderError::io(&clip.path, e))?;
    }
    w.silence(total.saturating_sub(w.samples())).map_err(io)?;
    w.finish().map_err(io)
}

/// Checks with ffmpeg that the music file decodes, so a bad file fails before rendering.
pub fn check_music(music: &Music) -> Result<(), RenderError> {
    let bad = |reason: String| RenderError::BadMusic {
        path: music.path.clone(),
        reason,
    };
    crate::input_file::open(&music.path, crate::input_file::MUSIC)
        .map_err(|e| bad(e.to_string()))?;
    let out = Command::new("ffmpeg")
        .args(["-hide_banner", "-v", "error", "-t", "0.5", "-i"])
        .arg(&music.path)
        .args(["-vn", "-f", "null", "-"])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| bad(format!("cannot run ffmpeg to check it: {e}")))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(bad(tail_lines(&stderr, 4)));
    }
    Ok(())
}

/// ffmpeg input arguments and filter graph producing the `[aout]` stream, given which inputs
/// exist: the narration WAV (input 1) and the music (input 1 or 2).
pub struct AudioGraph {
    pub inputs: Vec<std::ffi::OsString>,
    pub filter: Option<String>,
    /// What to `-map` for audio, if any.
    pub map: Option<String>,
}

pub fn graph(narration: Option<&Path>, music: Option<&Music>, duration: f64) -> AudioGraph {
    let mut inputs: Vec<std::ffi::OsString> = Vec::new();
    if let Some(n) = narration {
        inputs.extend(["-i".into(), n.as_os_str().to_owned()]);
    }
    let Some(music) = music else {
        return AudioGraph {
            map: narration.map(|_| "1:a".to_string()),
            inputs,
            filter: None,
        };
    };
    let music_input = if narration.is_some() { 2 } else { 1 };
    inputs.extend([
        "-stream_loop".into(),
        "-1".into(),
        "-i".into(),
        music.path.as_os_str().to_owned(),
    ]);
    let fade_out_start = (duration - music.fade_out_secs as f64).max(0.0);
    let music_chain = format!(
        "[{music_input}:a]aformat=sample_rates=48000:channel_layouts=stereo,atrim=0:{duration:.3},\
         volume={:.3},afade=t=in:d={:.3},afade=t=out:st={fade_out_start:.3}:d={:.3}",
        music.volume, music.fade_in_secs, music.fade_out_secs
    );
    let filter = match narration {
        None => format!("{music_chain}[aout]"),
        Some(_) if music.duck => format!(
            "{music_chain}[m];[1:a]aformat=sample_rates=48000:channel_layouts=stereo,asplit=2[v1][v2];\
             [m][v1]sidechaincompress=threshold=0.03:ratio=8:attack=30:release=500[md];\
             [md][v2]amix=inputs=2:duration=first:normalize=0[aout]"
        ),
        Some(_) => format!(
            "{music_chain}[m];[1:a]aformat=sample_rates=48000:channel_layouts=stereo[v];\
             [m][v]amix=inputs=2:duration=first:normalize=0[aout]"
        ),
    };
    AudioGraph {
        inputs,
        filter: Some(filter),
        map: Some("[aout]".into()),
    }
}
