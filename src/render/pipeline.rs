//! `render`: checks everything that can be checked up front, prepares the soundtrack, then
//! streams frames from the compositor (in parallel batches) to the encoder (on its own thread).

use super::assets::{self, SpanAssets};
use super::audio::{self, Clip};
use super::captions::CaptionColors;
use super::compose::{Compositor, LiveAssets};
use super::encode::builtin::BuiltinSink;
use super::encode::ffmpeg::{FfmpegSettings, FfmpegSink};
use super::encode::FrameSink;
use super::error::RenderError;
use super::font::Fonts;
use super::frame::Yuv;
use super::narration::{self, Counts, Readers};
use super::options::{parse_hw_encoder, EncoderChoice, RenderOptions, RenderScene};
use super::output::{PartialFile, WorkDir};
use super::timeline::{FrameRecipe, SceneTiming, Timeline, TimingRules};
use super::{subtitles, tools, NarrationSegment, Video};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, sync_channel, Receiver, SyncSender};
use std::sync::Arc;

/// How long the title card stays on screen.
const TITLE_SECS: f64 = 2.5;

/// Renders `scenes` into `opts.out`. `progress(done, total)` is called as frames are encoded;
/// setting `cancel` stops the render, leaving no output file.
pub fn render(
    scenes: &[RenderScene],
    opts: &RenderOptions,
    progress: &dyn Fn(u64, u64),
    cancel: &AtomicBool,
) -> Result<Video, RenderError> {
    opts.validate()?;
    check_images(scenes)?;
    let fonts = Fonts::load(opts.caption_style.font.as_deref())?;
    let mut warnings = Vec::new();
    let use_ffmpeg = choose_ffmpeg(opts, &mut warnings)?;
    let music = opts.music.as_ref().filter(|_| use_ffmpeg);
    if let Some(m) = music {
        audio::check_music(m)?;
    }
    let work = WorkDir::new()?;
    let (clips, counts) = if use_ffmpeg {
        narrate(scenes, opts, &work, cancel)?
    } else {
        (vec![None; scenes.len()], Counts::default())
    };
    let timeline = build_timeline(scenes, opts, &clips);
    let narration = if clips.iter().any(Option::is_some) {
        let path = work.path.join("narration.wav");
        audio::write_narration(&timeline, &clips, &path)?;
        Some(path)
    } else {
        None
    };
    let partial = PartialFile::new(&opts.out)?;
    let sink = open_sink(
        opts,
        &timeline,
        use_ffmpeg,
        narration.as_deref(),
        music,
        &partial,
        &mut warnings,
    )?;
    let has_audio = use_ffmpeg && (narration.is_some() || music.is_some());
    stream_frames(scenes, opts, &fonts, &timeline, sink, progress, cancel)?;
    super::encode::check_complete(partial.temp_path())?;
    let subtitle_files = if opts.subtitles {
        subtitles::write(scenes, opts, &fonts, &timeline, &opts.out)?
    } else {
        Vec::new()
    };
    let path = partial.commit()?;
    Ok(Video {
        narration: narration_segments(scenes, &timeline, &clips),
        narration_counts: counts,
        subtitles: subtitle_files,
        path,
        duration_secs: timeline.duration_secs(),
        width: opts.width,
        height: opts.height,
        fps: opts.fps,
        frames: timeline.total_frames,
        has_audio,
        encoder: if use_ffmpeg { "ffmpeg" } else { "builtin" },
        warnings,
    })
}

/// Whether ffmpeg encodes (else the built-in encoder), noting what the user loses without it.
fn choose_ffmpeg(opts: &RenderOptions, warnings: &mut Vec<String>) -> Result<bool, RenderError> {
    let use_ffmpeg = match opts.encoder {
        EncoderChoice::Builtin => false,
        EncoderChoice::Auto => tools::has_ffmpeg(),
        EncoderChoice::Ffmpeg if tools::has_ffmpeg() => true,
        EncoderChoice::Ffmpeg => {
            return Err(RenderError::ToolMissing {
                program: "ffmpeg",
                why: "encoder \"ffmpeg\" was asked for; install ffmpeg or use encoder \"auto\""
                    .into(),
            })
        }
    };
    if !use_ffmpeg && (!opts.voice.is_none() || opts.music.is_some()) {
        let why = match opts.encoder {
            EncoderChoice::Builtin => "the built-in encoder was chosen",
            _ => "ffmpeg is not installed",
        };
        warnings.push(format!(
            "{why}: the video has no sound; narration and music need ffmpeg"
        ));
    }
    Ok(use_ffmpeg)
}

/// Starts the encoder writing to the temporary output file.
fn open_sink(
    opts: &RenderOptions,
    timeline: &Timeline,
    use_ffmpeg: bool,
    narration: Option<&std::path::Path>,
    music: Option<&super::options::Music>,
    partial: &PartialFile,
    warnings: &mut Vec<String>,
) -> Result<Box<dyn FrameSink>, RenderError> {
    if !use_ffmpeg {
        let sink = BuiltinSink::start(opts.width, opts.height, opts.fps, partial.temp_path())?;
        return Ok(Box::new(sink));
    }
    let settings = FfmpegSettings {
        codec: video_codec(opts, warnings),
        width: opts.width,
        height: opts.height,
        fps: opts.fps,
        preset: &opts.preset,
        crf: opts.crf,
        duration_secs: timeline.duration_secs(),
        audio: audio::graph(narration, music, timeline.duration_secs()),
        draft_audio: opts.draft_audio,
    };
    Ok(Box::new(FfmpegSink::start(&settings, partial.temp_path())?))
}

/// libx264, or the hardware encoder asked for when it works on this machine.
fn video_codec(opts: &RenderOptions, warnings: &mut Vec<String>) -> &'static str {
    let Some(hw) = opts
        .hw_encoder
        .as_deref()
        .and_then(|h| parse_hw_encoder(h).ok())
    else {
        return "libx264";
    };
    match tools::ffmpeg_encoder_works(hw, opts.width, opts.height) {
        Ok(()) => hw,
        Err(why) => {
            warnings.push(format!(
                "hardware encoder {hw} does not work here ({why}); used libx264"
            ));
            "libx264"
        }
    }
}

/// Refuses an empty story or scenes without an image, listing every scene that lacks one.
pub(super) fn require_images(scenes: &[RenderScene]) -> Result<(), RenderError> {
    if scenes.is_empty() {
        return Err(RenderError::NoScenes);
    }
    let missing: Vec<usize> = scenes
        .iter()
        .filter(|s| s.image.is_none())
        .map(|s| s.index)
        .collect();
    if !missing.is_empty() {
        return Err(RenderError::MissingImages(missing));
    }
    Ok(())
}

/// [`require_images`], then reads every image's header so that a missing or broken file fails
/// before any work.
fn check_images(scenes: &[RenderScene]) -> Result<(), RenderError> {
    require_images(scenes)?;
    for s in scenes {
        let path = s.image.as_ref().expect("checked above");
        crate::input_file::image_dimensions(path).map_err(|e| RenderError::BadImage {
            scene: s.index,
            path: path.clone(),
            reason: e.to_string(),
        })?;
    }
    Ok(())
}

/// Synthesizes each scene's narration (scenes in parallel: espeak and speech servers gain from
/// it; a neural voice reads one sentence at a time, on all cores).
fn narrate(
    scenes: &[RenderScene],
    opts: &RenderOptions,
    work: &WorkDir,
    cancel: &AtomicBool,
) -> Result<(Vec<Option<Clip>>, Counts), RenderError> {
    if opts.voice.is_none() && opts.character_voices.iter().all(|c| c.voice.is_none()) {
        return Ok((vec![None; scenes.len()], Counts::default()));
    }
    let readers = Readers::prepare(opts)?;
    let cache = opts.audio_cache.as_deref();
    let done: Vec<Option<(Clip, Counts)>> = scenes
        .par_iter()
        .enumerate()
        .map(|(i, scene)| {
            if cancel.load(Ordering::Relaxed) {
                return Err(RenderError::Cancelled);
            }
            let path = work.path.join(format!("scene-{i}.wav"));
            narration::narrate_scene(scene, &readers, cache, &path)
        })
        .collect::<Result<_, _>>()?;
    let mut total = Counts::default();
    let clips = done
        .into_iter()
        .map(|d| {
            d.map(|(clip, c)| {
                total.synthesized += c.synthesized;
                total.cached += c.cached;
                clip
            })
        })
        .collect();
    Ok((clips, total))
}

/// Each spoken part with its scene and its time in the video.
fn narration_segments(
    scenes: &[RenderScene],
    timeline: &Timeline,
    clips: &[Option<Clip>],
) -> Vec<NarrationSegment> {
    let fps = timeline.fps as f64;
    let mut out = Vec::new();
    for span in &timeline.spans {
        let super::timeline::SpanKind::Scene(i) = span.kind else {
            continue;
        };
        let Some(clip) = clips.get(i).and_then(Option::as_ref) else {
            continue;
        };
        let at = span.start_frame as f64 / fps + span.speech.0;
        out.extend(clip.segments.iter().map(|s| NarrationSegment {
            scene: scenes[i].index,
            voice: s.voice.clone(),
            text: s.text.clone(),
            start: at + s.start,
            end: at + s.end,
        }));
    }
    out
}

fn build_timeline(
    scenes: &[RenderScene],
    opts: &RenderOptions,
    clips: &[Option<Clip>],
) -> Timeline {
    let timings: Vec<SceneTiming> = scenes
        .iter()
        .zip(clips)
        .map(|(s, c)| SceneTiming {
            audio_secs: c.as_ref().map(|c| c.info.duration_secs()),
            voiced: c.as_ref().map(|c| c.voiced.clone()).unwrap_or_default(),
            segments: c
                .as_ref()
                .map(|c| c.segments.iter().map(|s| s.timed()).collect())
                .unwrap_or_default(),
            words: super::breaks::spoken_words(&s.text),
        })
        .collect();
    let rules = TimingRules {
        fps: opts.fps,
        padding_secs: opts.padding_secs as f64,
        min_scene_secs: opts.min_scene_secs as f64,
        words_per_sec: opts.words_per_sec as f64,
        title_secs: opts
            .title
            .as_ref()
            .filter(|t| !t.trim().is_empty())
            .map(|_| TITLE_SECS),
        transition: opts.transition,
        transition_secs: opts.transition_secs as f64,
    };
    Timeline::build(&timings, &rules)
}

/// A batch of frame slots: the frame and a scratch picture for transitions.
type Batch = Vec<(Yuv, Yuv)>;

/// Composes frames in parallel batches and hands them to an encoder thread. Two batches
/// circulate between the two sides, so memory is fixed whatever the video's length.
fn stream_frames(
    scenes: &[RenderScene],
    opts: &RenderOptions,
    fonts: &Fonts,
    timeline: &Timeline,
    sink: Box<dyn FrameSink>,
    progress: &dyn Fn(u64, u64),
    cancel: &AtomicBool,
) -> Result<(), RenderError> {
    let (w, h) = (opts.width as usize, opts.height as usize);
    let batch_len = rayon::current_num_threads().max(2) * 2;
    let (to_writer, from_composer) = sync_channel::<Option<Batch>>(1);
    let (recycle, free_batches) = channel::<Batch>();
    for _ in 0..2 {
        let batch = (0..batch_len)
            .map(|_| (Yuv::new(w, h), Yuv::new(w, h)))
            .collect();
        recycle.send(batch).expect("receiver alive");
    }
    let writer = std::thread::spawn(move || write_frames(sink, from_composer, recycle));
    let compositor = Compositor {
        timeline,
        colors: CaptionColors::new(&opts.caption_style),
    };
    let composed = compose_all(
        &compositor,
        scenes,
        opts,
        fonts,
        &to_writer,
        &free_batches,
        progress,
        cancel,
    );
    if composed.is_ok() {
        let _ = to_writer.send(None);
    }
    drop(to_writer);
    let written = writer
        .join()
        .unwrap_or_else(|_| Err(RenderError::Encoder("encoder thread panicked".into())));
    // An encoder failure explains a composer that stopped because the encoder went away.
    match (composed, written) {
        (Err(RenderError::Cancelled), _) => Err(RenderError::Cancelled),
        (_, Err(e)) => Err(e),
        (Err(e), _) => Err(e),
        (Ok(()), Ok(())) => Ok(()),
    }
}

#[allow(clippy::too_many_arguments)]
fn compose_all(
    compositor: &Compositor,
    scenes: &[RenderScene],
    opts: &RenderOptions,
    fonts: &Fonts,
    to_writer: &SyncSender<Option<Batch>>,
    free_batches: &Receiver<Batch>,
    progress: &dyn Fn(u64, u64),
    cancel: &AtomicBool,
) -> Result<(), RenderError> {
    let timeline = compositor.timeline;
    let total = timeline.total_frames;
    let mut live = LiveAssets::new();
    let mut next = 0u64;
    while next < total {
        if cancel.load(Ordering::Relaxed) {
            return Err(RenderError::Cancelled);
        }
        let Ok(mut batch) = free_batches.recv() else {
            return Err(RenderError::Encoder("encoder stopped".into()));
        };
        let end = (next + batch.len() as u64).min(total);
        load_assets(&mut live, next..end, scenes, opts, fonts, timeline)?;
        batch.truncate((end - next) as usize);
        batch
            .par_iter_mut()
            .enumerate()
            .for_each(|(k, (frame, scratch))| {
                compositor.compose(next + k as u64, &live, frame, scratch)
            });
        if to_writer.send(Some(batch)).is_err() {
            return Err(RenderError::Encoder("encoder stopped".into()));
        }
        next = end;
        progress(next, total);
    }
    Ok(())
}

/// Makes sure the assets of every span visible in `frames` are loaded (building new ones in
/// parallel) and drops the others.
fn load_assets(
    live: &mut LiveAssets,
    frames: std::ops::Range<u64>,
    scenes: &[RenderScene],
    opts: &RenderOptions,
    fonts: &Fonts,
    timeline: &Timeline,
) -> Result<(), RenderError> {
    let mut needed = BTreeSet::new();
    for f in frames {
        match timeline.recipe(f) {
            FrameRecipe::Single { span } => needed.insert(span),
            FrameRecipe::Blend { from, .. } => needed.insert(from) | needed.insert(from + 1),
        };
    }
    live.retain(|k, _| needed.contains(k));
    let missing: Vec<usize> = needed
        .into_iter()
        .filter(|k| !live.contains_key(k))
        .collect();
    let built: Vec<(usize, SpanAssets)> = missing
        .par_iter()
        .map(|&i| {
            assets::build(&timeline.spans[i], scenes, opts, fonts, timeline.fps).map(|a| (i, a))
        })
        .collect::<Result<_, _>>()?;
    live.extend(built.into_iter().map(|(i, a)| (i, Arc::new(a))));
    Ok(())
}

/// The encoder side: writes frames until the composer says it is done (`None`), then closes
/// the file. A dropped channel without `None` means the render was abandoned.
fn write_frames(
    mut sink: Box<dyn FrameSink>,
    batches: Receiver<Option<Batch>>,
    recycle: std::sync::mpsc::Sender<Batch>,
) -> Result<(), RenderError> {
    while let Ok(message) = batches.recv() {
        let Some(batch) = message else {
            return sink.finish();
        };
        for (frame, _) in &batch {
            sink.write_frame(frame)?;
        }
        let _ = recycle.send(batch);
    }
    Ok(())
}
