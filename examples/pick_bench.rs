//! The pick page on a big night's work, in one run:
//!   cargo run --release --example pick_bench
//! A workspace of 20 stories × 30 scenes × 4 candidates is made with the draft backend (the real
//! script path, so the real manifests), then the page is served on 127.0.0.1:
//! (a) the first story page, cold: target < 200 ms;
//! (b) the story page warm, against a baseline measured in the same run: the same number of bytes
//!     served as a static body by the same web stack (ratio printed);
//! (c) the page shows thumbnails, not full images, and they are kept: the second load of the 120
//!     thumbnails of a story against the first (ratio printed), and the thumbnail files counted.

use std::sync::Arc;
use std::time::{Duration, Instant};

use storyreel::frontends::pick::workspace::PickWorkspace;
use storyreel::frontends::pick::{router, AppState};
use storyreel::runtime::display::Recorder;
use storyreel::runtime::{Session, Workspace};

const STORIES: usize = 20;
const SCENES: usize = 30;
const CANDIDATES: usize = 4;
const RUNS: usize = 30;

fn make_workspace(root: &std::path::Path) {
    let mut session = Session::new(Arc::new(Recorder::default()), Workspace::new(root));
    for n in 0..STORIES {
        let text: Vec<String> = (0..SCENES)
            .map(|i| format!("In story {n}, scene {i}: the fox crossed the river at dusk while the owl watched from the oak."))
            .collect();
        let code = format!(
            "let s = story(\"Story {n}\", {text:?});\n\
             s.split(#{{ by: \"markers\" }});\n\
             s.format = #{{ width: 288, height: 512 }};\n\
             sd_generate(s, #{{ n: {CANDIDATES} }});\n\
             s.len()",
            text = text.join("\n---\n")
        );
        let scenes = session
            .run_input(&code, n + 1)
            .expect("the story script runs");
        assert_eq!(scenes.as_int().unwrap() as usize, SCENES);
    }
}

async fn get(client: &reqwest::Client, url: &str) -> (Duration, bytes::Bytes) {
    let start = Instant::now();
    let response = client.get(url).send().await.unwrap();
    assert!(
        response.status().is_success(),
        "{url}: {}",
        response.status()
    );
    let body = response.bytes().await.unwrap();
    (start.elapsed(), body)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    let start = Instant::now();
    // Generation runs its own runtime, so the workspace is made before the server's starts.
    make_workspace(&root);
    println!(
        "workspace: {STORIES} stories × {SCENES} scenes × {CANDIDATES} candidates made in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(measure(&root));
}

async fn measure(root: &std::path::Path) {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap();
    let port = listener.local_addr().unwrap().port();
    let token = "benchtoken".to_string();
    let app = AppState::new(PickWorkspace::new(root).unwrap(), token.clone(), port);
    tokio::spawn(async move { axum::serve(listener, router(app)).await.unwrap() });
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();

    let (_, index) = get(&client, &format!("{base}/?t={token}")).await;
    let index = String::from_utf8_lossy(&index).to_string();
    assert_eq!(index.matches("class=story").count(), STORIES);
    let page_url = format!("{base}/s/story-0?t={token}");
    let (cold, page) = get(&client, &page_url).await;
    let mut warm = Vec::new();
    for _ in 0..RUNS {
        warm.push(get(&client, &page_url).await.0);
    }
    let warm = median(warm);

    // Baseline: the same bytes as a static body, by the same server stack.
    let body = page.clone();
    let static_listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap();
    let static_port = static_listener.local_addr().unwrap().port();
    let static_app = axum::Router::new().route(
        "/page",
        axum::routing::get(move || {
            let body = body.clone();
            async move { ([("content-type", "text/html; charset=utf-8")], body) }
        }),
    );
    tokio::spawn(async move { axum::serve(static_listener, static_app).await.unwrap() });
    let static_url = format!("http://127.0.0.1:{static_port}/page");
    let mut baseline = Vec::new();
    for _ in 0..RUNS {
        baseline.push(get(&client, &static_url).await.0);
    }
    let baseline = median(baseline);
    println!(
        "(a) first story page ({} KiB), cold: {:.1} ms (target < 200 ms) {}",
        page.len() / 1024,
        ms(cold),
        if ms(cold) < 200.0 { "OK" } else { "SLOW" }
    );
    println!(
        "(b) story page warm: {:.2} ms; static body of the same size: {:.2} ms; ratio {:.1}",
        ms(warm),
        ms(baseline),
        warm.as_secs_f64() / baseline.as_secs_f64()
    );

    let page = String::from_utf8_lossy(&page).to_string();
    let thumbs: Vec<String> = page
        .split("src=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|s| s.starts_with("/thumb/s/"))
        .map(|s| format!("{base}{}", s.replace("&amp;", "&")))
        .collect();
    assert_eq!(
        thumbs.len(),
        SCENES * CANDIDATES,
        "one thumbnail per candidate"
    );
    assert!(
        !page.contains("/cache/"),
        "full images are never on the page"
    );
    let load_all = |urls: Vec<String>| {
        let client = client.clone();
        async move {
            let start = Instant::now();
            let mut bytes = 0;
            for u in &urls {
                bytes += get(&client, u).await.1.len();
            }
            (start.elapsed(), bytes)
        }
    };
    let (first, bytes) = load_all(thumbs.clone()).await;
    let (second, _) = load_all(thumbs.clone()).await;
    let kept = std::fs::read_dir(root.join("thumbs/s"))
        .unwrap()
        .flatten()
        .map(|d| std::fs::read_dir(d.path()).unwrap().count())
        .sum::<usize>();
    let full: u64 = std::fs::read_dir(root.join("cache"))
        .unwrap()
        .flatten()
        .flat_map(|d| std::fs::read_dir(d.path()).unwrap().flatten())
        .filter(|f| f.path().extension().is_some_and(|e| e == "png"))
        .map(|f| f.metadata().unwrap().len())
        .sum::<u64>()
        / (STORIES * SCENES * CANDIDATES) as u64;
    println!(
        "(c) {} thumbnails, {} KiB in all (a full image averages {} KiB): first load {:.0} ms, \
         second {:.0} ms (kept: ratio {:.2}); {kept} thumbnail files kept",
        thumbs.len(),
        bytes / 1024,
        full / 1024,
        ms(first),
        ms(second),
        second.as_secs_f64() / first.as_secs_f64()
    );
}
