//! The server pool against real HTTP servers that fail the way real ones do: a
//! server that is down, one that rejects a single prompt, one that is killed and
//! started again in the middle of a batch. No image a live server could make is lost.

use crate::common;
use crate::generate_support;

use std::sync::atomic::AtomicBool;
use std::sync::Mutex;
use std::time::Duration;

use generate_support::a1111::A1111;
use generate_support::{color_of, dead_url, generate, seed_color};
use storyreel::generate::{BackendConfig, BackendKind, Generator, ImageRequest};

/// A few hundred milliseconds per image, like a small model on a real GPU.
const IMAGE_TIME: Duration = Duration::from_millis(300);

fn config(urls: &[&str]) -> BackendConfig {
    let mut config = BackendConfig::new(BackendKind::A1111).with_urls(urls.iter().copied());
    config.timeout = Duration::from_secs(20);
    config
}

fn request(seed: u64) -> ImageRequest {
    ImageRequest {
        steps: 4,
        width: 64,
        height: 64,
        label: format!("scene 0 #{seed}"),
        ..ImageRequest::new(format!("a fox in the snow, take {seed}"), seed)
    }
}

fn assert_all_made(
    results: &[Result<storyreel::generate::GeneratedImage, storyreel::generate::GenerateError>],
) {
    for (seed, result) in results.iter().enumerate() {
        let image = result
            .as_ref()
            .unwrap_or_else(|e| panic!("image {seed} was lost: {e}"));
        assert_eq!(color_of(image), seed_color(seed as u64));
    }
}

#[test]
fn a_dead_server_in_the_pool_loses_no_image() {
    let live = A1111::start(IMAGE_TIME);
    let dead = dead_url();
    let dir = tempfile::tempdir().unwrap();
    // The dead server first, so it is asked before the live one is free.
    let generator = Generator::new(config(&[&dead, &live.url]), dir.path().into()).unwrap();
    let results = generate(&generator, (0..6).map(request).collect());
    assert_all_made(&results);
    assert_eq!(live.received().len(), 6);
}

#[test]
fn a_rejected_prompt_fails_only_its_candidate() {
    let server = A1111::start(IMAGE_TIME);
    server.reject_prompts_with("take 2");
    let dir = tempfile::tempdir().unwrap();
    let generator = Generator::new(config(&[&server.url]), dir.path().into()).unwrap();
    let results = generate(&generator, (0..5).map(request).collect());
    for (seed, result) in results.iter().enumerate() {
        if seed == 2 {
            let error = result.as_ref().unwrap_err().to_string();
            assert!(
                error.contains("CUDA out of memory") && error.contains(&server.url),
                "{error}"
            );
        } else {
            assert_eq!(color_of(result.as_ref().unwrap()), seed_color(seed as u64));
        }
    }
    // The rejected request is not repeated on the server that rejected it.
    assert_eq!(server.received().len(), 5);
}

#[test]
fn a_job_rejected_by_one_server_is_made_by_another() {
    let (picky, other) = (A1111::start(IMAGE_TIME), A1111::start(IMAGE_TIME));
    picky.reject_prompts_with("take");
    let dir = tempfile::tempdir().unwrap();
    let generator = Generator::new(config(&[&picky.url, &other.url]), dir.path().into()).unwrap();
    let results = generate(&generator, (0..4).map(request).collect());
    assert_all_made(&results);
    let tried_on_picky = picky.received().len();
    assert!(
        tried_on_picky <= 4,
        "each job tries a server at most once here: {tried_on_picky}"
    );
    assert_eq!(other.received().len(), 4);
}

#[test]
fn a_server_restarted_mid_batch_makes_everything_and_the_batch_waits_for_it() {
    let server = A1111::start(Duration::from_millis(200));
    let dir = tempfile::tempdir().unwrap();
    let generator = Generator::new(config(&[&server.url]), dir.path().into()).unwrap();
    let waited = Mutex::new(false);
    let progress = |p: storyreel::generate::Progress| {
        if p.waiting {
            *waited.lock().unwrap() = true;
        }
    };
    let results = std::thread::scope(|scope| {
        scope.spawn(|| {
            // Killed in the middle of the fourth image, back two seconds later.
            std::thread::sleep(Duration::from_millis(700));
            server.kill();
            std::thread::sleep(Duration::from_secs(2));
            server.revive();
        });
        generator.generate(
            (0..8).map(request).collect(),
            false,
            &progress,
            &AtomicBool::new(false),
        )
    });
    assert_all_made(&results);
    assert!(
        *waited.lock().unwrap(),
        "the progress says it waits for servers"
    );
}

#[test]
fn the_wait_for_servers_is_bounded_by_retry_for() {
    let dead = dead_url();
    let dir = tempfile::tempdir().unwrap();
    let mut short = config(&[&dead]);
    short.retry_for = Duration::from_secs(1);
    let generator = Generator::new(short, dir.path().into()).unwrap();
    let results = generate(&generator, (0..3).map(request).collect());
    for result in results {
        let error = result.unwrap_err().to_string();
        assert!(
            error.contains(&dead) && error.contains("cannot reach"),
            "{error}"
        );
    }
}

#[test]
fn a_server_dropping_out_and_coming_back_is_announced_and_the_time_left_moves() {
    let server = A1111::start(Duration::from_millis(200));
    let dir = tempfile::tempdir().unwrap();
    let generator = Generator::new(config(&[&server.url]), dir.path().into()).unwrap();
    let waiting_reports = Mutex::new(0);
    let progress = |p: storyreel::generate::Progress| {
        if p.waiting {
            *waiting_reports.lock().unwrap() += 1;
        }
    };
    let results = std::thread::scope(|scope| {
        scope.spawn(|| {
            std::thread::sleep(Duration::from_millis(500));
            server.kill();
            std::thread::sleep(Duration::from_millis(2500));
            server.revive();
        });
        generator.generate(
            (0..6).map(request).collect(),
            false,
            &progress,
            &AtomicBool::new(false),
        )
    });
    assert_all_made(&results);
    let notes = generator.take_notes().join("\n");
    assert!(
        notes.contains("cannot reach") && notes.contains("`retry_for`"),
        "{notes}"
    );
    assert!(notes.contains("answers again"), "{notes}");
    // Reported again each second of the wait, so the time left shown keeps moving.
    assert!(*waiting_reports.lock().unwrap() >= 2);
}

/// A script of one scene-less prompt batch against `url`.
fn script(url: &str, retry_for: f64) -> String {
    format!(
        "backend(\"a1111\", #{{ url: \"{url}\", sampler: \"euler_a\", retry_for: {retry_for} }});\n\
         // %%\n\
         let images = sd_generate(\"a fox in the snow\", #{{ n: 3, width: 64, height: 64, steps: 2, seed: 7 }});\n\
         print(`made ${{images.len()}}`);\n"
    )
}

fn run_in(dir: &std::path::Path, source: &str) -> std::process::Output {
    let path = dir.join("story.rhai");
    std::fs::write(&path, source).unwrap();
    std::process::Command::new(common::BIN)
        .arg("run")
        .arg(&path)
        .arg("--out")
        .arg(dir.join("ws"))
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn a_cached_script_runs_while_its_server_is_off() {
    let server = A1111::start(Duration::from_millis(20));
    let dir = tempfile::tempdir().unwrap();
    let source = script(&server.url, 5.0);
    let first = run_in(dir.path(), &source);
    assert!(first.status.success(), "{}", common::stderr(&first));
    assert_eq!(server.received().len(), 3);
    server.kill();
    let started = std::time::Instant::now();
    let second = run_in(dir.path(), &source);
    let err = common::stderr(&second);
    assert!(second.status.success(), "{err}");
    assert!(
        common::stdout(&second).contains("made 3"),
        "{}",
        common::stdout(&second)
    );
    assert!(
        err.contains("no image server answered") && err.contains("images in the cache are used"),
        "{err}"
    );
    // Nothing waited for the server: every image came from the cache.
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn a_run_that_lost_images_exits_3_and_keeps_the_rest() {
    let server = A1111::start(Duration::from_millis(20));
    server.reject_prompts_with("snow");
    let dir = tempfile::tempdir().unwrap();
    let source = format!(
        "backend(\"a1111\", #{{ url: \"{}\" }});\n\
         // %%\n\
         let kept = sd_generate(\"a fox in the meadow\", #{{ n: 2, width: 64, height: 64, steps: 2, seed: 7 }});\n\
         try {{ sd_generate(\"a fox in the snow\", #{{ n: 3, width: 64, height: 64, steps: 2, seed: 7 }}); }} catch (e) {{ print(\"lost them\"); }}\n\
         print(`kept ${{kept.len()}}`);\n",
        server.url
    );
    let out = run_in(dir.path(), &source);
    let err = common::stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("PARTIAL") && err.contains("3 images"), "{err}");
    // One message for the three images the same error failed.
    assert_eq!(err.matches("CUDA out of memory").count(), 1, "{err}");
    assert!(common::stdout(&out).contains("kept 2"));
}
