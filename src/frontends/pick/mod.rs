//! `storyreel pick`: a local web page to pick a night's work. It lists every story of a
//! workspace, shows each scene's candidates side by side, records a click (or a key) in the
//! story's `picks.json` at once, and renders the story again in the background.
//!
//! Loopback only, a secret token in every URL, same-origin changes, files from the workspace
//! only; HTML made on the server, no build step.

pub mod guard;
pub mod pages;
pub mod render_job;
pub mod thumbs;
pub mod workspace;

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;

use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use crate::frontends::error_text::said_once;
use crate::story::picks::Picks;
use render_job::{log_tail, Jobs};
use thumbs::{thumbnail, Size};
use workspace::PickWorkspace;

pub struct PickOptions {
    pub workspace: PathBuf,
    /// 0: any free port.
    pub port: u16,
    pub open_browser: bool,
}

#[derive(Clone)]
pub struct AppState {
    pub ws: Arc<PickWorkspace>,
    pub token: String,
    pub port: u16,
    pub jobs: Jobs,
}

impl AppState {
    pub fn new(ws: PickWorkspace, token: String, port: u16) -> Self {
        Self {
            ws: Arc::new(ws),
            token,
            port,
            jobs: Jobs::default(),
        }
    }
}

/// Every route of the page, behind the token and origin checks.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/s/{slug}", get(story))
        .route("/s/{slug}/pick", post(pick))
        .route("/s/{slug}/render", post(render))
        .route("/s/{slug}/status", get(status))
        .route("/thumb/{size}/{address}", get(thumb))
        .route("/video/{slug}", get(video))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::check,
        ))
        .with_state(state)
}

/// The folder to serve is not there (or not a folder): the command had nothing to work on.
#[derive(Debug, thiserror::Error)]
#[error(
    "no workspace at {} ({source}); run a story first (storyreel run story.rhai) or name the folder: storyreel pick DIR",
    path.display()
)]
pub struct NoWorkspace {
    pub path: PathBuf,
    source: std::io::Error,
}

/// Serves the page until the process is stopped.
pub fn run(opts: PickOptions) -> anyhow::Result<()> {
    let ws = PickWorkspace::new(&opts.workspace).map_err(|source| NoWorkspace {
        path: opts.workspace.clone(),
        source,
    })?;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the web server")?;
    runtime.block_on(serve(ws, &opts))
}

async fn serve(ws: PickWorkspace, opts: &PickOptions) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", opts.port))
        .await
        .with_context(|| format!("cannot listen on 127.0.0.1:{}", opts.port))?;
    let port = listener.local_addr()?.port();
    let token = guard::new_token();
    let url = format!("http://127.0.0.1:{port}/?t={token}");
    println!(
        "storyreel pick: serving the stories in {}\n    {url}\nCtrl-C stops it.",
        ws.root().display()
    );
    use std::io::Write;
    let _ = std::io::stdout().flush();
    if opts.open_browser {
        open_browser(&url);
    }
    axum::serve(listener, router(AppState::new(ws, token, port)))
        .await
        .context("the web server stopped")
}

/// Opens the URL in the user's browser where there is one to open.
fn open_browser(url: &str) {
    let command: Option<(&str, Vec<&str>)> = if cfg!(target_os = "macos") {
        Some(("open", vec![url]))
    } else if cfg!(windows) {
        Some(("cmd", vec!["/C", "start", "", url]))
    } else if std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some()
    {
        Some(("xdg-open", vec![url]))
    } else {
        None
    };
    let Some((program, args)) = command else {
        return;
    };
    let opened = std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = opened {
        eprintln!("(could not open a browser with {program}: {e}; open the URL above)");
    }
}

fn not_found(what: &str) -> Response {
    (StatusCode::NOT_FOUND, format!("storyreel pick: {what}")).into_response()
}

fn html(body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

/// File system work off the async threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f)
        .await
        .expect("a page task panicked")
}

async fn index(State(app): State<AppState>) -> Response {
    let ws = app.ws.clone();
    let stories = blocking(move || ws.stories()).await;
    html(pages::index(
        &app.ws.root().display().to_string(),
        &stories,
        &app.token,
    ))
}

#[derive(serde::Deserialize)]
struct StoryQuery {
    focus: Option<usize>,
    error: Option<String>,
}

async fn story(
    State(app): State<AppState>,
    UrlPath(slug): UrlPath<String>,
    Query(q): Query<StoryQuery>,
) -> Response {
    let ws = app.ws.clone();
    let jobs = app.jobs.clone();
    let token = app.token.clone();
    blocking(move || {
        let Some(view) = ws.story(&slug) else {
            return not_found(&format!("no story \"{slug}\" in this workspace"));
        };
        let job = jobs.state(&slug);
        let log = match (&job, ws.story_dir(&slug)) {
            (Some(_), Some(dir)) => log_tail(&dir, 6),
            _ => Vec::new(),
        };
        let present = |a: &str| ws.image(a).is_some();
        let plan = render_plan(&view);
        html(pages::story(&pages::StoryPage {
            story: &view,
            token: &token,
            job,
            log,
            present: &present,
            focus: q.focus,
            message: q.error,
            plan,
        }))
    })
    .await
}

/// What Render would run: the script, whether its text calls `render(` (a script without one
/// would run, make nothing and look like success), and the last video's name.
fn render_plan(view: &workspace::StoryView) -> pages::RenderPlan {
    let name = |p: &std::path::Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| p.display().to_string())
    };
    let Some(script) = &view.script else {
        return pages::RenderPlan::default();
    };
    let renders = std::fs::read_to_string(script)
        .map(|text| text.contains("render("))
        .unwrap_or(false);
    pages::RenderPlan {
        script: Some(name(script)),
        renders,
        video: view.video.as_deref().map(name),
    }
}

/// The render's progress for the page's script: state, status line and the log's last lines.
async fn status(State(app): State<AppState>, UrlPath(slug): UrlPath<String>) -> Response {
    let (ws, jobs) = (app.ws.clone(), app.jobs.clone());
    blocking(move || {
        let Some(dir) = ws.story_dir(&slug) else {
            return not_found(&format!("no story \"{slug}\" in this workspace"));
        };
        let job = jobs.state(&slug);
        let state = match &job {
            Some(render_job::JobState::Running { .. }) => "running",
            Some(render_job::JobState::Done { .. }) => "done",
            Some(render_job::JobState::Failed { .. }) => "failed",
            None => "none",
        };
        let log = if job.is_some() {
            log_tail(&dir, 6)
        } else {
            Vec::new()
        };
        let video = ws.story(&slug).is_some_and(|v| v.video.is_some());
        json_response(
            StatusCode::OK,
            serde_json::json!({
                "state": state,
                "status": pages::job_status(&job, &log),
                "log": log.join("\n"),
                "video": video,
            }),
        )
    })
    .await
}

fn json_response(status: StatusCode, value: serde_json::Value) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        value.to_string(),
    )
        .into_response()
}

/// Whether the page's script sent the request (it wants JSON, not a page).
fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.starts_with("application/json"))
}

#[derive(serde::Deserialize)]
struct PickForm {
    scene: usize,
    k: usize,
}

async fn pick(
    State(app): State<AppState>,
    UrlPath(slug): UrlPath<String>,
    headers: HeaderMap,
    Form(form): Form<PickForm>,
) -> Response {
    let (ws, name) = (app.ws.clone(), slug.clone());
    let result = blocking(move || -> anyhow::Result<(usize, usize)> {
        let view = ws.story(&name).context("no such story")?;
        let dir = ws.story_dir(&name).context("no such story")?;
        let scene = view
            .scenes
            .iter()
            .find(|s| s.index == form.scene)
            .with_context(|| format!("the story has no scene {}", form.scene))?;
        let address = scene
            .candidates
            .get(form.k)
            .cloned()
            .flatten()
            .with_context(|| format!("scene {} has no candidate {}", form.scene, form.k))?;
        Picks::update(&dir, |p| p.choose(&scene.text, &address))?;
        let now = ws.story(&name).context("no such story")?;
        Ok((now.picked_count(), now.scenes.len()))
    })
    .await
    .map_err(|e| said_once(&e));
    if wants_json(&headers) {
        return match result {
            Ok((picked, scenes)) => json_response(
                StatusCode::OK,
                serde_json::json!({ "picked": picked, "scenes": scenes }),
            ),
            Err(e) => json_response(StatusCode::BAD_REQUEST, serde_json::json!({ "error": e })),
        };
    }
    back(&app, &slug, form.scene, result.err())
}

async fn render(State(app): State<AppState>, UrlPath(slug): UrlPath<String>) -> Response {
    let (ws, jobs, name) = (app.ws.clone(), app.jobs.clone(), slug.clone());
    let result = blocking(move || -> anyhow::Result<()> {
        let view = ws.story(&name).context("no such story")?;
        let dir = ws.story_dir(&name).context("no such story")?;
        let script = view
            .script
            .context("the story's script is unknown: run it once with storyreel run")?;
        jobs.start(&name, &dir, ws.root(), &script, view.workdir.as_deref())
    })
    .await
    .map_err(|e| said_once(&e));
    back(&app, &slug, 0, result.err())
}

/// Back to the story page, with the keyboard at the scene that changed (its tile has
/// `autofocus`; no `#fragment`, which would defeat it) and an error to show if any.
fn back(app: &AppState, slug: &str, scene: usize, error: Option<String>) -> Response {
    let error = error
        .map(|e| format!("&error={}", url_escape(&e)))
        .unwrap_or_default();
    Redirect::to(&format!(
        "/s/{}?t={}&focus={scene}{error}",
        url_escape(slug),
        app.token
    ))
    .into_response()
}

/// Percent-encodes everything but unreserved characters.
fn url_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn thumb(
    State(app): State<AppState>,
    UrlPath((size, address)): UrlPath<(String, String)>,
) -> Response {
    let Some(size) = Size::parse(&size) else {
        return not_found("thumbnail sizes are s and l");
    };
    let ws = app.ws.clone();
    let bytes = blocking(move || std::fs::read(thumbnail(&ws, &address, size)?).ok()).await;
    match bytes {
        // Content-addressed: the same URL is always the same picture.
        Some(b) => (
            [
                (header::CONTENT_TYPE, "image/jpeg"),
                (
                    header::CACHE_CONTROL,
                    "private, max-age=31536000, immutable",
                ),
            ],
            b,
        )
            .into_response(),
        None => not_found("no such image in the cache"),
    }
}

async fn video(State(app): State<AppState>, UrlPath(slug): UrlPath<String>) -> Response {
    let ws = app.ws.clone();
    let bytes = blocking(move || std::fs::read(ws.story(&slug)?.video?).ok()).await;
    match bytes {
        Some(b) => (
            [
                (header::CONTENT_TYPE, "video/mp4"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            b,
        )
            .into_response(),
        None => not_found("this story has no rendered video"),
    }
}
