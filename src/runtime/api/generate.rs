//! `backend(…)`, `sd_generate(…)`, `img2img(…)`, `character_sheet(…)` and picking candidates.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use rhai::{Array, Dynamic, Engine, ImmutableString, Map};

use super::handles::{CharacterRef, ImageRef, SceneRef, StoryRef};
use super::register_with_options;
use crate::generate::scenes::{prompt_requests, scene_requests, CandidateOptions};
use crate::generate::{
    BackendConfig, BackendKind, GenerateError, GeneratedImage, ImageRequest, MAX_CANDIDATES,
};
use crate::runtime::context::Context;
use crate::runtime::display::{ImageItem, Output, Progress, Sheet};
use crate::runtime::options::{error, fail, interrupted, Options, RhaiResult};
use crate::story::stable_hash;

const BACKEND_OPTIONS: &[&str] = &[
    "url",
    "urls",
    "model",
    "sampler",
    "scheduler",
    "steps",
    "cfg",
    "timeout",
    "concurrency",
    "workflow",
    "auth",
    "ip_adapter",
];
const GENERATE_OPTIONS: &[&str] = &[
    "n", "seed", "steps", "cfg", "width", "height", "negative", "sampler", "force", "scenes",
];

pub fn register(engine: &mut Engine, ctx: &Arc<Context>) {
    register_with_options(engine, ctx, "backend", |c, kind: ImmutableString, opts| {
        set_backend(c, &kind, opts)
    });
    let c = ctx.clone();
    engine.register_fn("backend", move || describe_backend(&c));

    register_with_options(
        engine,
        ctx,
        "sd_generate",
        |c, prompt: ImmutableString, opts| generate_prompt(c, &prompt, opts),
    );
    register_with_options(engine, ctx, "sd_generate", |c, sc: SceneRef, opts| {
        generate_scene(c, &sc, opts)
    });
    register_with_options(engine, ctx, "sd_generate", |c, s: StoryRef, opts| {
        generate_story(c, &s, opts)
    });

    let c = ctx.clone();
    engine.register_fn("img2img", move |img: ImageRef, prompt: &str, opts: Map| {
        img2img(&c, &img, Target::Prompt(prompt.to_string()), opts)
    });
    let c = ctx.clone();
    engine.register_fn("img2img", move |img: ImageRef, sc: SceneRef, opts: Map| {
        img2img(&c, &img, Target::Scene(sc), opts)
    });
    let c = ctx.clone();
    engine.register_fn("img2img", move |img: ImageRef, prompt: &str| {
        img2img(&c, &img, Target::Prompt(prompt.to_string()), Map::new())
    });
    register_with_options(
        engine,
        ctx,
        "character_sheet",
        |c, ch: CharacterRef, opts| character_sheet(c, &ch, opts),
    );

    register_picking(engine);
}

fn err(e: GenerateError) -> Box<rhai::EvalAltResult> {
    error(e.to_string())
}

fn set_backend(ctx: &Context, kind: &str, opts: Map) -> RhaiResult<String> {
    let kind = BackendKind::parse(kind).map_err(err)?;
    let o = Options::new("backend", opts, BACKEND_OPTIONS)?;
    let mut config = BackendConfig::new(kind);
    if let Some(url) = o.string("url")? {
        config.urls = vec![url];
    }
    if let Some(urls) = o.raw("urls") {
        let Some(list) = urls.clone().try_cast::<Array>() else {
            return fail(format!(
                "backend: option \"urls\" is {urls}; expected an array of URLs"
            ));
        };
        config.urls = list.into_iter().map(|u| u.to_string()).collect();
    }
    config.model = o.string("model")?;
    config.sampler = o.string("sampler")?;
    config.scheduler = o.string("scheduler")?;
    config.steps = o.int("steps", 1, 500)?.map(|n| n as u32);
    config.cfg = o.float("cfg", 0.0, 50.0)?.map(|n| n as f32);
    if let Some(secs) = o.float("timeout", 1.0, 86_400.0)? {
        config.timeout = Duration::from_secs_f64(secs);
    }
    if let Some(n) = o.int("concurrency", 1, 64)? {
        config.concurrency = n as usize;
    }
    if let Some(path) = o.string("workflow")? {
        config.workflow = Some(
            ctx.resolve(&path)
                .or_else(|e| fail(format!("backend: workflow: {e}")))?,
        );
    }
    if let Some(var) = o.string("auth")? {
        // A name, never the secret itself: the secret stays in the environment.
        if var.contains(':') {
            return fail("backend: option \"auth\" is the NAME of an environment variable holding user:password (e.g. \"STORYREEL_A1111_AUTH\"), not the credentials");
        }
        config.auth_env = Some(var);
    }
    if let Some(map) = o
        .raw("ip_adapter")
        .and_then(|v| v.clone().try_cast::<Map>())
    {
        let ip = Options::new("backend ip_adapter", map, &["module", "model", "weight"])?;
        if let Some(m) = ip.string("module")? {
            config.ip_adapter.module = m;
        }
        if let Some(m) = ip.string("model")? {
            config.ip_adapter.model = m;
        }
        if let Some(w) = ip.float("weight", 0.0, 2.0)? {
            config.ip_adapter.weight = w as f32;
        }
    }
    let summary = summarize(&config);
    if ctx.checking() {
        // Checked like any backend, then noted: images still come from the draft backend.
        config.validate().map_err(err)?;
        let name = summary.trim_start_matches("backend: ").to_string();
        ctx.note_check(|r| r.backend = Some(name));
        return Ok(format!("{summary} (check mode: draft images instead)"));
    }
    ctx.generation.lock().unwrap().set(config).map_err(err)?;
    Ok(summary)
}

fn summarize(config: &BackendConfig) -> String {
    if config.kind == BackendKind::Draft {
        return "backend: draft (built in: storyboard sketches, no server needed)".into();
    }
    let model = config
        .model
        .as_deref()
        .map(|m| format!(", model {m}"))
        .unwrap_or_default();
    format!(
        "backend: {} at {}{model}",
        config.kind.name(),
        config.server_urls().join(", ")
    )
}

fn describe_backend(ctx: &Context) -> RhaiResult<String> {
    let generator = generator(ctx)?;
    let summary = summarize(generator.config());
    if generator.config().kind == BackendKind::Draft {
        return Ok(summary);
    }
    let report = generator.describe().map_err(err)?;
    Ok(format!("{summary}\n{report}"))
}

fn generator(ctx: &Context) -> RhaiResult<Arc<crate::generate::Generator>> {
    ctx.generation
        .lock()
        .unwrap()
        .generator(ctx.workspace.cache_dir())
        .map_err(err)
}

fn candidate_options(o: &Options, default_n: usize) -> RhaiResult<CandidateOptions> {
    let n = match o.raw("n") {
        Some(v) => match v.as_int() {
            Ok(n) => crate::generate::validate_candidates(n).map_err(err)?,
            Err(_) => {
                return fail(format!(
                "sd_generate: option \"n\" is {v}; allowed: an integer from 1 to {MAX_CANDIDATES}"
            ))
            }
        },
        None => default_n,
    };
    Ok(CandidateOptions {
        n,
        seed: o.int("seed", i64::MIN, i64::MAX)?.map(|s| s as u64),
        steps: o.int("steps", 1, 500)?.map(|n| n as u32),
        cfg: o.float("cfg", 0.0, 50.0)?.map(|n| n as f32),
        width: o.int("width", 64, 4096)?.map(|n| n as u32),
        height: o.int("height", 64, 4096)?.map(|n| n as u32),
        negative: o.string("negative")?,
        sampler: o.string("sampler")?,
    })
}

/// Runs a batch with live progress; warns about each failed image and errors only when every
/// image failed or the user interrupted (finished images are kept either way). `opts` may say
/// `force` (ignore the cache).
fn run_batch(
    ctx: &Context,
    what: &str,
    requests: Vec<ImageRequest>,
    opts: &Options,
) -> RhaiResult<Vec<Option<GeneratedImage>>> {
    let force = opts.bool("force")?.unwrap_or(false);
    ctx.note_check(|r| r.add_images(requests.len()));
    let mut requests = requests;
    if ctx.checking() {
        // Small sketches are enough to check a script: the render is small too.
        let small = |side: u32| (side / crate::runtime::check::RENDER_SCALE / 8 * 8).max(64);
        for r in &mut requests {
            (r.width, r.height) = (small(r.width), small(r.height));
        }
    }
    static BATCHES: AtomicUsize = AtomicUsize::new(0);
    let id = format!("sd_generate-{}", BATCHES.fetch_add(1, Ordering::Relaxed));
    let generator = generator(ctx)?;
    let labels: Vec<String> = requests.iter().map(|r| r.label.clone()).collect();
    let total = requests.len() as u64;
    let progress = |p: crate::generate::Progress| {
        let step = p
            .step
            .map(|(a, b)| format!(" (step {a}/{b})"))
            .unwrap_or_default();
        ctx.display.progress(&Progress {
            id: id.clone(),
            label: format!("{what}{step}"),
            done: p.done as u64,
            total,
            unit: "images",
            eta_secs: p.eta_secs,
            finished: false,
        });
    };
    let results = generator.generate(requests, force, &progress, &ctx.interrupt);
    let done = results.iter().filter(|r| r.is_ok()).count();
    ctx.display.progress(&Progress {
        id,
        label: what.to_string(),
        done: done as u64,
        total,
        unit: "images",
        eta_secs: None,
        finished: true,
    });
    let mut first_error = None;
    let images: Vec<Option<GeneratedImage>> = results
        .into_iter()
        .zip(&labels)
        .map(|(r, label)| match r {
            Ok(img) => Some(img),
            Err(e) => {
                if !matches!(e, GenerateError::Cancelled) {
                    ctx.warn(&format!("{label} failed: {e}"));
                }
                first_error.get_or_insert(e);
                None
            }
        })
        .collect();
    if ctx.interrupted() {
        return Err(interrupted(format!(
            "interrupted; {done} finished images were kept"
        )));
    }
    if done == 0 {
        if let Some(e) = first_error {
            return fail(format!("{what}: every image failed; the first error: {e}"));
        }
    }
    Ok(images)
}

fn to_image(g: &GeneratedImage) -> RhaiResult<ImageRef> {
    ImageRef::open(g.path.clone()).or_else(fail)
}

/// The images that were made, in order, as script values (failed ones leave no gap).
fn to_array(images: &[Option<GeneratedImage>]) -> RhaiResult<Array> {
    images
        .iter()
        .flatten()
        .map(|g| to_image(g).map(Dynamic::from))
        .collect()
}

fn generate_prompt(ctx: &Context, prompt: &str, opts: Map) -> RhaiResult<Array> {
    let o = Options::new("sd_generate", opts, GENERATE_OPTIONS)?;
    let copts = candidate_options(&o, 1)?;
    let config = ctx.generation.lock().unwrap().config().clone();
    let format = crate::story::Format::default();
    let seed = stable_hash(prompt.as_bytes());
    let size = (format.width, format.height);
    let requests = prompt_requests(prompt, "", seed, size, &copts, &config, "candidate");
    let images = run_batch(ctx, "sd_generate", requests, &o)?;
    to_array(&images)
}

fn generate_scene(ctx: &Context, sc: &SceneRef, opts: Map) -> RhaiResult<Array> {
    let o = Options::new("sd_generate", opts, GENERATE_OPTIONS)?;
    if o.has("scenes") {
        return fail("sd_generate: option \"scenes\" applies to a story, not to one scene");
    }
    let copts = candidate_options(&o, 4)?;
    let config = ctx.generation.lock().unwrap().config().clone();
    let requests = scene_requests(&*sc.story()?, sc.index, &copts, &config).map_err(err)?;
    let images = run_batch(ctx, &format!("scene {}", sc.index), requests, &o)?;
    attach(sc, &images)?;
    to_array(&images)
}

/// Stores a scene's candidates in order (failed ones leave no gap) and keeps a valid pick.
fn attach(sc: &SceneRef, images: &[Option<GeneratedImage>]) -> RhaiResult<()> {
    let mut story = sc.story()?;
    let scene = &mut story.scenes[sc.index];
    scene.candidates = images.iter().flatten().map(|g| g.path.clone()).collect();
    if scene.picked.is_some_and(|k| k >= scene.candidates.len()) {
        scene.picked = None;
    }
    Ok(())
}

fn generate_story(ctx: &Context, s: &StoryRef, opts: Map) -> RhaiResult<()> {
    let o = Options::new("sd_generate", opts, GENERATE_OPTIONS)?;
    let copts = candidate_options(&o, 4)?;
    let count = s.lock().scenes.len();
    let scenes: Vec<usize> = match o.raw("scenes") {
        None => (0..count).collect(),
        Some(v) => scene_list("sd_generate", v, count)?,
    };
    let config = ctx.generation.lock().unwrap().config().clone();
    let mut requests = Vec::new();
    {
        let story = s.lock();
        for &i in &scenes {
            requests.extend(scene_requests(&story, i, &copts, &config).map_err(err)?);
        }
    }
    let total_scenes = scenes.len();
    let what = crate::runtime::check::plural(total_scenes, "scene");
    let images = run_batch(ctx, &what, requests, &o)?;
    let mut board = Vec::new();
    for (&i, chunk) in scenes.iter().zip(images.chunks(copts.n)) {
        let sc = SceneRef {
            story: s.clone(),
            index: i,
        };
        attach(&sc, chunk)?;
        if let Some(first) = chunk.iter().flatten().next() {
            let img = to_image(first)?;
            board.push(ImageItem {
                path: img.path,
                width: img.width,
                height: img.height,
                caption: format!("scene {i}"),
            });
        }
    }
    ctx.display.show(&Output::Sheet(Sheet {
        title: format!("{} — storyboard", s.lock().title),
        images: board,
    }));
    Ok(())
}

/// `scenes: [0, 2, 5]` or `scenes: 0..8`, an option of `primitive`.
pub fn scene_list(primitive: &str, v: &Dynamic, count: usize) -> RhaiResult<Vec<usize>> {
    let items: Vec<i64> = if let Some(r) = v.clone().try_cast::<std::ops::Range<i64>>() {
        r.collect()
    } else if let Some(r) = v.clone().try_cast::<std::ops::RangeInclusive<i64>>() {
        r.collect()
    } else if let Some(a) = v.clone().try_cast::<Array>() {
        a.into_iter().map(|x| x.as_int().unwrap_or(-1)).collect()
    } else {
        return fail(format!("{primitive}: option \"scenes\" is {v}; expected an array of scene numbers or a range like 0..8"));
    };
    items
        .into_iter()
        .map(|i| {
            if i < 0 || i as usize >= count {
                fail(format!(
                    "{primitive}: option \"scenes\" names scene {i}; {}",
                    super::story::scene_range(count)
                ))
            } else {
                Ok(i as usize)
            }
        })
        .collect()
}

enum Target {
    Prompt(String),
    Scene(SceneRef),
}

fn img2img(ctx: &Context, img: &ImageRef, target: Target, opts: Map) -> RhaiResult<Array> {
    let mut allowed = GENERATE_OPTIONS.to_vec();
    allowed.push("strength");
    let o = Options::new("img2img", opts, &allowed)?;
    let copts = candidate_options(&o, 1)?;
    let strength = o.float("strength", 0.0, 1.0)?.unwrap_or(0.55) as f32;
    let config = ctx.generation.lock().unwrap().config().clone();
    let mut requests = match &target {
        Target::Scene(sc) => {
            scene_requests(&*sc.story()?, sc.index, &copts, &config).map_err(err)?
        }
        Target::Prompt(p) => {
            let size = (img.width, img.height);
            prompt_requests(
                p,
                "",
                stable_hash(p.as_bytes()),
                size,
                &copts,
                &config,
                "img2img",
            )
        }
    };
    for r in &mut requests {
        r.init_image = Some(img.path.clone());
        r.strength = Some(strength);
        // The start image sets the size unless the user chose one.
        r.width = copts.width.unwrap_or(img.width / 8 * 8);
        r.height = copts.height.unwrap_or(img.height / 8 * 8);
    }
    let images = run_batch(ctx, "img2img", requests, &o)?;
    if let Target::Scene(sc) = &target {
        attach(sc, &images)?;
    }
    to_array(&images)
}

fn character_sheet(ctx: &Context, ch: &CharacterRef, opts: Map) -> RhaiResult<Array> {
    let o = Options::new(
        "character_sheet",
        opts,
        &[
            "n", "seed", "steps", "cfg", "width", "height", "negative", "sampler", "force", "style",
        ],
    )?;
    let copts = candidate_options(&o, 4)?;
    let Some(c) = ch.read(Clone::clone) else {
        return fail("character_sheet: this character is no longer in its story");
    };
    let style = o.string("style")?.unwrap_or_default();
    let prompt = [
        format!("portrait of {}", c.name),
        c.description.clone(),
        style,
        "character sheet, neutral background, full face".into(),
    ]
    .into_iter()
    .filter(|p| !p.trim().is_empty())
    .collect::<Vec<_>>()
    .join(", ");
    let config = ctx.generation.lock().unwrap().config().clone();
    let seed = c.seed.unwrap_or_else(|| stable_hash(c.name.as_bytes()));
    let mut requests = prompt_requests(
        &prompt,
        &c.negative,
        seed,
        (512, 512),
        &copts,
        &config,
        &format!("{} portrait", c.name),
    );
    for r in &mut requests {
        r.characters = vec![c.name.clone()];
    }
    let images = run_batch(ctx, &format!("character sheet of {}", c.name), requests, &o)?;
    to_array(&images)
}

fn register_picking(engine: &mut Engine) {
    engine.register_fn("pick", |sc: &mut SceneRef, k: i64| -> RhaiResult<()> {
        pick(sc, k)
    });
    engine.register_fn("pick", |s: &mut StoryRef, picks: Map| -> RhaiResult<()> {
        let mut list = Vec::new();
        for (key, k) in picks {
            let Ok(i) = key.parse::<i64>() else {
                return fail(format!("pick: key \"{key}\" is not a scene number; write s.pick(#{{ \"0\": 2, \"3\": 1 }})"));
            };
            let Ok(k) = k.as_int() else {
                return fail(format!("pick: scene {i}: the candidate must be a number, not {k}"));
            };
            list.push((super::story::scene_at(s, i)?, k));
        }
        pick_all(list)
    });
    engine.register_fn("pick", |s: &mut StoryRef, picks: Array| -> RhaiResult<()> {
        let count = s.lock().scenes.len();
        if picks.len() > count {
            return fail(format!(
                "pick: {} given, one per scene from 0, but {}; nothing was picked",
                crate::runtime::check::plural(picks.len(), "pick"),
                super::story::scene_range(count)
            ));
        }
        let mut list = Vec::new();
        for (i, k) in picks.into_iter().enumerate() {
            let Ok(k) = k.as_int() else {
                return fail(format!(
                    "pick: scene {i}: the candidate must be a number, not {k}"
                ));
            };
            list.push((super::story::scene_at(s, i as i64)?, k));
        }
        pick_all(list)
    });
    engine.register_get("candidates", |sc: &mut SceneRef| -> RhaiResult<Array> {
        let paths = sc.story()?.scenes[sc.index].candidates.clone();
        paths
            .into_iter()
            .map(|p| ImageRef::open(p).map(Dynamic::from).or_else(fail))
            .collect()
    });
    engine.register_get("image", |sc: &mut SceneRef| -> RhaiResult<Dynamic> {
        let path = sc.story()?.scenes[sc.index].image().cloned();
        match path {
            Some(p) => Ok(Dynamic::from(ImageRef::open(p).or_else(fail)?)),
            None => Ok(Dynamic::UNIT),
        }
    });
    engine.register_set(
        "image",
        |sc: &mut SceneRef, img: ImageRef| -> RhaiResult<()> {
            // A hand-made image becomes a candidate of its own, and the pick.
            let mut story = sc.story()?;
            let scene = &mut story.scenes[sc.index];
            scene.candidates.push(img.path);
            scene.picked = Some(scene.candidates.len() - 1);
            Ok(())
        },
    );
    engine.register_get("picked", |sc: &mut SceneRef| -> RhaiResult<Dynamic> {
        Ok(sc.story()?.scenes[sc.index]
            .picked
            .map_or(Dynamic::UNIT, |k| Dynamic::from(k as i64)))
    });
}

/// Checks every pick before making any: all or nothing.
fn pick_all(mut picks: Vec<(SceneRef, i64)>) -> RhaiResult<()> {
    for (sc, k) in &picks {
        if let Err(why) = check_pick(sc, *k)? {
            return fail(format!("{why}; nothing was picked"));
        }
    }
    for (sc, k) in &mut picks {
        pick(sc, *k)?;
    }
    Ok(())
}

/// Why candidate `k` cannot be picked for the scene, if it cannot.
fn check_pick(sc: &SceneRef, k: i64) -> RhaiResult<Result<(), String>> {
    let n = sc.story()?.scenes[sc.index].candidates.len();
    if n == 0 {
        return Ok(Err(format!(
            "pick({k}): scene {} has no candidates yet; run sd_generate(s.scene({})) first",
            sc.index, sc.index
        )));
    }
    if k < 0 || k as usize >= n {
        let numbered = if n == 1 {
            "numbered 0".to_string()
        } else {
            format!("numbered 0 to {}", n - 1)
        };
        return Ok(Err(format!(
            "pick({k}): scene {} has {}, {numbered}",
            sc.index,
            crate::runtime::check::plural(n, "candidate")
        )));
    }
    Ok(Ok(()))
}

fn pick(sc: &mut SceneRef, k: i64) -> RhaiResult<()> {
    if let Err(why) = check_pick(sc, k)? {
        return fail(why);
    }
    sc.story()?.scenes[sc.index].picked = Some(k as usize);
    Ok(())
}
