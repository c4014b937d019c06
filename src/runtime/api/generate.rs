//! `backend(…)`, `sd_generate(…)`, `img2img(…)`, `character_sheet(…)` and picking candidates.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use rhai::{Array, Dynamic, Engine, ImmutableString, Map};

use super::handles::{CharacterRef, ImageRef, SceneRef, StoryRef};
use super::register_with_options;
use crate::generate::scenes::{prompt_requests, scene_requests, CandidateOptions};
use crate::generate::{BackendConfig, BackendKind, GenerateError, GeneratedImage, ImageRequest};
use crate::runtime::context::Context;
use crate::runtime::display::{ImageItem, Progress, Sheet, Storyboard};
use crate::runtime::options::{error, fail, interrupted, Options, RhaiResult};
use crate::runtime::picks::{pick, pick_all};
use crate::runtime::spec;
use crate::story::stable_hash;

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

    register_picking(engine, ctx);
}

fn err(e: GenerateError) -> Box<rhai::EvalAltResult> {
    error(e.to_string())
}

fn set_backend(ctx: &Context, kind: &str, opts: Map) -> RhaiResult<String> {
    let kind = BackendKind::parse(kind).map_err(err)?;
    let o = Options::new("backend", opts, spec::BACKEND)?;
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
        config.urls = list
            .into_iter()
            .map(|u| {
                u.into_string().or_else(|t| {
                    fail(format!(
                        "backend: option \"urls\" holds a {t}; expected an array of URL strings"
                    ))
                })
            })
            .collect::<RhaiResult<_>>()?;
    }
    config.model = o.string("model")?;
    config.sampler = o.string("sampler")?;
    config.scheduler = o.string("scheduler")?;
    config.steps = o.int("steps")?.map(|n| n as u32);
    config.cfg = o.float("cfg")?.map(|n| n as f32);
    if let Some(secs) = o.float("timeout")? {
        config.timeout = Duration::from_secs_f64(secs);
    }
    if let Some(n) = o.int("concurrency")? {
        config.concurrency = n as usize;
    }
    if let Some(secs) = o.float("retry_for")? {
        config.retry_for = Duration::from_secs_f64(secs);
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
    set_horde_options(&mut config, &o)?;
    if let Some(ip) = o.map("ip_adapter")? {
        if let Some(m) = ip.string("module")? {
            config.ip_adapter.module = m;
        }
        if let Some(m) = ip.string("model")? {
            config.ip_adapter.model = m;
        }
        if let Some(w) = ip.float("weight")? {
            config.ip_adapter.weight = w as f32;
        }
    }
    config.validate().map_err(err)?;
    let summary = summarize(&config);
    if ctx.checking() {
        // Checked like any backend but never contacted: images still come from the draft backend.
        let name = summary.trim_start_matches("backend: ").to_string();
        ctx.note_check(|r| r.backend = Some(name));
        return Ok(format!("{summary} (check mode: draft images instead)"));
    }
    check_servers(ctx, &config)?;
    let previous = ctx.generation.lock().unwrap().config().clone();
    let draft = config.kind == BackendKind::Draft;
    ctx.generation.lock().unwrap().set(config).map_err(err)?;
    if !draft {
        // Names the server lacks are found here, once, not once per image.
        match generator(ctx)?.check_names(&ctx.interrupt) {
            Ok(warnings) => {
                for warning in warnings {
                    ctx.warn(&format!("backend: {warning}"));
                }
            }
            Err(e) => {
                let _ = ctx.generation.lock().unwrap().set(previous);
                return Err(err(e));
            }
        }
    }
    Ok(summary)
}

/// Asks every server of the pool whether it answers and warns about those that do
/// not; never fails, as a script answered from the cache needs no server (the pool
/// waits for a server that comes back).
fn check_servers(ctx: &Context, config: &BackendConfig) -> RhaiResult<()> {
    let answers = crate::generate::backends::probe_servers(config);
    let down: Vec<String> = answers
        .iter()
        .filter_map(|(_, answer)| answer.as_ref().err().map(|e| e.to_string()))
        .collect();
    if !answers.is_empty() && down.len() == answers.len() {
        // Not an error yet: images already in the cache need no server. A batch that
        // needs one waits for it, up to `retry_for`.
        ctx.warn(&format!(
            "backend: no image server answered ({}); images in the cache are used as they are, \
             and an image that needs a server waits up to {} s for one (option `retry_for`)",
            down.join("; "),
            config.retry_for.as_secs_f64()
        ));
        return Ok(());
    }
    for problem in down {
        ctx.warn(&format!(
            "backend: {problem}; its work goes to the other servers until it answers"
        ));
    }
    Ok(())
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

fn candidate_options(ctx: &Context, o: &Options, default_n: usize) -> RhaiResult<CandidateOptions> {
    let n = o.int("n")?.map_or(default_n, |n| n as usize);
    Ok(CandidateOptions {
        n,
        seed: seed_option(ctx, o)?,
        steps: o.int("steps")?.map(|n| n as u32),
        cfg: o.float("cfg")?.map(|n| n as f32),
        width: o.int("width")?.map(|n| n as u32),
        height: o.int("height")?.map(|n| n as u32),
        negative: o.string("negative")?,
        sampler: o.string("sampler")?,
    })
}

/// The `seed` option, within what the current backend's server honours.
fn seed_option(ctx: &Context, o: &Options) -> RhaiResult<Option<u64>> {
    let Some(seed) = o.int("seed")? else {
        return Ok(None);
    };
    let kind = ctx.generation.lock().unwrap().config().kind;
    let max = kind.max_seed();
    if seed as u64 > max {
        return fail(format!(
            "option \"seed\" = {seed} is above {max}, the largest seed the \"{}\" backend honours \
             (sd-server reads a 32-bit signed seed and makes a larger one random, a different image every run); \
             choose a seed from 0 to {max}",
            kind.name()
        ));
    }
    Ok(Some(seed as u64))
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
        // What the pool says about its servers (one stopped answering, one is back), as it happens.
        for note in generator.take_notes() {
            ctx.warn(&format!("{what}: {note}"));
        }
        let step = match p.step {
            _ if p.rate_limited.is_some() => format!(
                " (the server is rate-limiting: asking again in {} s)",
                p.rate_limited.unwrap_or(0)
            ),
            _ if p.waiting => " (waiting for servers)".to_string(),
            Some((a, b)) => format!(" (step {a}/{b})"),
            None if p.no_worker => " (no worker online can make it yet: waiting for one)".into(),
            None => match (p.queue, p.processing) {
                (_, Some(secs)) => format!(" (processing: about {secs} s)"),
                (Some((place, secs)), _) => format!(" (queued: place {place}, about {secs} s)"),
                _ => String::new(),
            },
        };
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
    // Options first, once: a wrong size is one error, not a failure per candidate.
    if let Some(e) = requests.iter().find_map(|r| r.validate().err()) {
        return fail(format!("{what}: {e}"));
    }
    let kind = generator.config().kind;
    if let Some((r, made)) = requests
        .iter()
        .map(|r| (r, generator.made_size(r.width, r.height)))
        .find(|(r, made)| *made != (r.width, r.height))
    {
        // The sidecar records what was made.
        let server = match kind {
            BackendKind::Horde => "the AI Horde takes sizes of 64 to 3072 in multiples of 64",
            _ => "sd-server rounds sizes up to multiples of 64",
        };
        ctx.warn(&format!(
            "{what}: {server}: {}x{} is made as {}x{}",
            r.width, r.height, made.0, made.1
        ));
    }
    let results = generator.generate(requests, force, &progress, &ctx.interrupt);
    let done = results.iter().filter(|r| r.is_ok()).count();
    ctx.display.progress(&Progress {
        id,
        // Which backend made them: a script run from a later cell may not have set one.
        label: match kind {
            BackendKind::Draft => format!("{what} (draft sketches)"),
            kind => format!("{what} ({})", kind.name()),
        },
        done: done as u64,
        total,
        unit: "images",
        eta_secs: None,
        finished: true,
    });
    warn_once_each(ctx, what, &results, &labels);
    for note in generator.take_notes() {
        ctx.warn(&format!("{what}: {note}"));
    }
    let mut first_error = None;
    // Each distinct error once, naming the images it failed.
    let mut failures: Vec<(String, Vec<&str>)> = Vec::new();
    let images: Vec<Option<GeneratedImage>> = results
        .into_iter()
        .zip(&labels)
        .map(|(r, label)| match r {
            Ok(img) => Some(img),
            Err(e) => {
                if !matches!(e, GenerateError::Cancelled) {
                    let text = e.to_string();
                    match failures.iter_mut().find(|(t, _)| *t == text) {
                        Some((_, labels)) => labels.push(label),
                        None => failures.push((text, vec![label])),
                    }
                    ctx.failed_images.fetch_add(1, Ordering::Relaxed);
                }
                first_error.get_or_insert(e);
                None
            }
        })
        .collect();
    for (text, labels) in &failures {
        let whom = match labels.as_slice() {
            [one] => one.to_string(),
            [first, rest @ ..] => format!("{first} and {} more", rest.len()),
            [] => what.to_string(),
        };
        ctx.warn(&format!("{whom} failed: {text}"));
    }
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

/// What the servers said about the images, each distinct warning once, naming the
/// images it concerns (a model's limits would otherwise repeat for every image).
fn warn_once_each(
    ctx: &Context,
    what: &str,
    results: &[Result<GeneratedImage, GenerateError>],
    labels: &[String],
) {
    let mut said: Vec<(&str, Vec<&str>)> = Vec::new();
    for (result, label) in results.iter().zip(labels) {
        for warning in result.iter().flat_map(|image| &image.warnings) {
            match said.iter_mut().find(|(w, _)| *w == warning.as_str()) {
                Some((_, labels)) => labels.push(label),
                None => said.push((warning, vec![label])),
            }
        }
    }
    for (warning, labels) in said {
        let whom = match labels.as_slice() {
            [one] => one.to_string(),
            [first, rest @ ..] => format!("{first} and {} more", rest.len()),
            [] => what.to_string(),
        };
        ctx.warn(&format!("{whom}: {warning}"));
    }
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
    let o = Options::new("sd_generate", opts, spec::SD_GENERATE)?;
    let copts = candidate_options(ctx, &o, 1)?;
    let config = ctx.generation.lock().unwrap().config().clone();
    let format = crate::story::Format::default();
    let seed = stable_hash(prompt.as_bytes());
    let size = (format.width, format.height);
    let requests = prompt_requests(prompt, "", seed, size, &copts, &config, "candidate");
    let images = run_batch(ctx, "sd_generate", requests, &o)?;
    to_array(&images)
}

fn generate_scene(ctx: &Context, sc: &SceneRef, opts: Map) -> RhaiResult<Array> {
    let o = Options::new("sd_generate", opts, spec::SD_GENERATE)?;
    if o.has("scenes") {
        return fail("sd_generate: option \"scenes\" applies to a story, not to one scene");
    }
    let copts = candidate_options(ctx, &o, 4)?;
    let config = ctx.generation.lock().unwrap().config().clone();
    crate::runtime::picks::restore(ctx, &mut *sc.story()?);
    let requests = scene_requests(&*sc.story()?, sc.index, &copts, &config).map_err(err)?;
    let images = run_batch(ctx, &format!("scene {}", sc.index), requests, &o)?;
    attach(sc, &images)?;
    crate::runtime::picks::restore_and_report(ctx, &mut *sc.story()?, &[sc.index]);
    save_manifest(ctx, &sc.story);
    to_array(&images)
}

/// Stores a scene's candidates in order (failed ones leave no gap); the pick follows its image
/// (none when the image is not among the new candidates). The caller then brings back
/// recorded picks, once for all the scenes it attached to.
fn attach(sc: &SceneRef, images: &[Option<GeneratedImage>]) -> RhaiResult<()> {
    let mut story = sc.story()?;
    let scene = &mut story.scenes[sc.index];
    let picked = scene.image().cloned();
    scene.candidates = images.iter().flatten().map(|g| g.path.clone()).collect();
    scene.picked = picked.and_then(|p| scene.candidates.iter().position(|c| *c == p));
    Ok(())
}

/// The story's manifest names the new candidates, so the pick page can show them.
fn save_manifest(ctx: &Context, s: &StoryRef) {
    if let Err(e) = crate::runtime::manifest::write(ctx, &s.lock(), None) {
        ctx.warn(&format!("cannot write the story's story.json: {e}"));
    }
}

fn generate_story(ctx: &Context, s: &StoryRef, opts: Map) -> RhaiResult<Storyboard> {
    let o = Options::new("sd_generate", opts, spec::SD_GENERATE)?;
    let copts = candidate_options(ctx, &o, 4)?;
    let count = s.lock().scenes.len();
    let scenes: Vec<usize> = match o.raw("scenes") {
        None => (0..count).collect(),
        Some(v) => scene_list("sd_generate", v, count)?,
    };
    let config = ctx.generation.lock().unwrap().config().clone();
    let mut requests = Vec::new();
    {
        let mut story = s.lock();
        // Recorded prompts first: they change what is generated.
        crate::runtime::picks::restore(ctx, &mut story);
        for &i in &scenes {
            requests.extend(scene_requests(&story, i, &copts, &config).map_err(err)?);
        }
    }
    let total_scenes = scenes.len();
    let what = crate::runtime::check::plural(total_scenes, "scene");
    let images = run_batch(ctx, &what, requests, &o)?;
    let mut board = Vec::new();
    let mut pick = Vec::new();
    for (&i, chunk) in scenes.iter().zip(images.chunks(copts.n)) {
        let sc = SceneRef {
            story: s.clone(),
            index: i,
        };
        attach(&sc, chunk)?;
        pick.extend(crate::runtime::picking::PickRow::of(sc));
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
    crate::runtime::picks::restore_and_report(ctx, &mut s.lock(), &scenes);
    save_manifest(ctx, s);
    let title = format!("{} — storyboard", s.lock().title);
    Ok(Storyboard(Sheet {
        title,
        images: board,
        pick,
    }))
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
    let o = Options::new("img2img", opts, spec::IMG2IMG)?;
    let copts = candidate_options(ctx, &o, 1)?;
    let strength = o.float("strength")?.unwrap_or(0.55) as f32;
    let config = ctx.generation.lock().unwrap().config().clone();
    let mut requests = match &target {
        Target::Scene(sc) => {
            crate::runtime::picks::restore(ctx, &mut *sc.story()?);
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
        crate::runtime::picks::restore_and_report(ctx, &mut *sc.story()?, &[sc.index]);
        save_manifest(ctx, &sc.story);
    }
    to_array(&images)
}

fn character_sheet(ctx: &Context, ch: &CharacterRef, opts: Map) -> RhaiResult<Array> {
    let o = Options::new("character_sheet", opts, spec::CHARACTER_SHEET)?;
    let copts = candidate_options(ctx, &o, 4)?;
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
    // The character's own seed is sent as given, like a seed passed here.
    let mut copts = copts;
    copts.seed = copts.seed.or(c.seed);
    let mut requests = prompt_requests(
        &prompt,
        &c.negative,
        stable_hash(c.name.as_bytes()),
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

fn register_picking(engine: &mut Engine, ctx: &Arc<Context>) {
    let c = ctx.clone();
    engine.register_fn("pick", move |sc: &mut SceneRef, k: i64| -> RhaiResult<()> {
        pick(&c, &sc.story, sc.index, k)
    });
    let c = ctx.clone();
    engine.register_fn("pick", move |s: &mut StoryRef, picks: Map| -> RhaiResult<()> {
        let mut list = Vec::new();
        for (key, k) in picks {
            let Ok(i) = key.parse::<i64>() else {
                return fail(format!("pick: key \"{key}\" is not a scene number; write s.pick(#{{ \"0\": 2, \"3\": 1 }})"));
            };
            let Ok(k) = k.as_int() else {
                return fail(format!("pick: scene {i}: the candidate must be a number, not {k}"));
            };
            list.push((super::story::scene_at(s, i)?.index, k));
        }
        pick_all(&c, s, &list)
    });
    let c = ctx.clone();
    engine.register_fn(
        "pick",
        move |s: &mut StoryRef, picks: Array| -> RhaiResult<()> {
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
                list.push((super::story::scene_at(s, i as i64)?.index, k));
            }
            pick_all(&c, s, &list)
        },
    );
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
    let c = ctx.clone();
    engine.register_set(
        "image",
        move |sc: &mut SceneRef, img: ImageRef| -> RhaiResult<()> {
            // A hand-made image becomes a candidate of its own, and the pick.
            let k = {
                let mut story = sc.story()?;
                let scene = &mut story.scenes[sc.index];
                scene.candidates.push(img.path);
                scene.candidates.len() - 1
            };
            pick(&c, &sc.story, sc.index, k as i64)
        },
    );
    engine.register_get("picked", |sc: &mut SceneRef| -> RhaiResult<Dynamic> {
        Ok(sc.story()?.scenes[sc.index]
            .picked
            .map_or(Dynamic::UNIT, |k| Dynamic::from(k as i64)))
    });
}

/// `models`, `apikey` and `poll_secs`, which only the AI Horde takes.
fn set_horde_options(config: &mut BackendConfig, o: &Options) -> RhaiResult<()> {
    let horde = config.kind == BackendKind::Horde;
    let only_horde = |name: &str| {
        fail(format!(
            "backend: option \"{name}\" is for the \"horde\" backend only"
        ))
    };
    if let Some(value) = o.raw("models") {
        if !horde {
            return only_horde("models");
        }
        let Some(list) = value.clone().try_cast::<Array>() else {
            return fail(format!(
                "backend: option \"models\" is {value}; expected an array of model names"
            ));
        };
        config.models = list
            .into_iter()
            .map(|m| {
                m.into_string().or_else(|t| {
                    fail(format!(
                        "backend: option \"models\" holds a {t}; expected model name strings"
                    ))
                })
            })
            .collect::<RhaiResult<_>>()?;
    }
    if horde {
        if let Some(model) = config.model.take() {
            config.models.insert(0, model);
        }
    }
    if let Some(var) = o.string("apikey")? {
        if !horde {
            return only_horde("apikey");
        }
        // A name, never the key itself: the key stays in the environment.
        if var.is_empty() || !var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return fail("backend: option \"apikey\" is the NAME of an environment variable holding the AI Horde key (e.g. \"STORYREEL_HORDE_KEY\"), not the key");
        }
        config.auth_env = Some(var);
    }
    if let Some(nsfw) = o.bool("nsfw")? {
        if !horde {
            return only_horde("nsfw");
        }
        config.nsfw = nsfw;
    }
    // The Horde asks clients not to check more often than once a second.
    if let Some(secs) = o.float("poll_secs")? {
        if !horde {
            return only_horde("poll_secs");
        }
        config.poll = Duration::from_secs_f64(secs);
    }
    Ok(())
}
