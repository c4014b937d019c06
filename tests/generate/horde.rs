//! The AI Horde client against a stand-in that follows the published `/api/v2`
//! contract: queued requests, the failure answers, cancelling, and the key.

use crate::common;
use crate::generate_support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use generate_support::horde::{Horde, Mode, KEY};
use generate_support::{color_of, failure_of, generate, seed_color};
use storyreel::generate::{BackendConfig, BackendKind, Generator, ImageRequest, Lora};

/// Each test names its own variable, so tests running at once do not interfere.
fn config(server: &Horde, key_env: &str, key: Option<&str>) -> BackendConfig {
    match key {
        Some(key) => std::env::set_var(key_env, key),
        None => std::env::remove_var(key_env),
    }
    let mut config = BackendConfig::new(BackendKind::Horde).with_urls([server.url.as_str()]);
    config.auth_env = Some(key_env.into());
    config.models = vec!["albedobase xl (sdxl)".into()];
    // Library callers may check fast; `backend("horde", …)` allows no less than 1 s.
    config.poll = Duration::from_millis(10);
    config.timeout = Duration::from_secs(20);
    config
}

fn request(seed: u64) -> ImageRequest {
    ImageRequest {
        negative: "blurry".into(),
        steps: 8,
        width: 512,
        height: 768,
        label: format!("scene 0 #{seed}"),
        ..ImageRequest::new("a fox in the snow", seed)
    }
}

#[test]
fn a_queued_request_is_checked_until_done_and_its_webp_collected() {
    let server = Horde::start(3);
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(&server, "HORDE_TEST_KEY_QUEUED", Some(KEY));
    config.sampler = Some("k_euler_a".into());
    let generator = Generator::new(config, dir.path().to_path_buf()).unwrap();
    let mut req = request(4242);
    req.loras = vec![Lora::parse("Magnagothica:0.7").unwrap()];
    let queue = std::sync::Mutex::new(Vec::new());
    let image = generator
        .generate(
            vec![req],
            false,
            &|p| queue.lock().unwrap().extend(p.queue),
            &AtomicBool::new(false),
        )
        .remove(0)
        .unwrap();

    assert_eq!(color_of(&image), seed_color(4242));
    // The queue place counts down in the progress reports: 3, 2, 1 (6, 4, 2 s to wait).
    assert_eq!(*queue.lock().unwrap(), vec![(3, 6), (2, 4), (1, 2)]);
    assert!(server.state.checks.load(Ordering::SeqCst) >= 4);
    let sent = &server.state.submitted.lock().unwrap()[0];
    assert_eq!(sent["prompt"], "a fox in the snow ### blurry");
    assert_eq!(sent["params"]["seed"], "4242");
    assert_eq!(sent["params"]["width"], 512);
    assert_eq!(sent["params"]["steps"], 8);
    assert_eq!(sent["params"]["n"], 1);
    assert_eq!(sent["params"]["sampler_name"], "k_euler_a");
    assert_eq!(sent["params"]["loras"][0]["name"], "Magnagothica");
    assert_eq!(sent["params"]["loras"][0]["model"], 0.7);
    // The name as the Horde lists it, not as typed.
    assert_eq!(sent["models"], serde_json::json!(["AlbedoBase XL (SDXL)"]));
    assert_eq!(sent["r2"], false);
    assert_eq!(image.info["info"]["worker_name"], "Volunteer GPU");
    assert_eq!(image.info["made"]["height"], 768);

    // The key went in the header and nowhere else.
    assert_eq!(server.state.keys.lock().unwrap()[0], KEY);
    for entry in walkdir(dir.path()) {
        let text = String::from_utf8_lossy(&std::fs::read(&entry).unwrap()).to_string();
        assert!(!text.contains(KEY), "{entry:?} holds the key");
    }
    assert!(!image.info.to_string().contains(KEY));
}

fn walkdir(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walkdir(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn no_key_set_means_the_anonymous_key() {
    let server = Horde::start(0);
    let dir = tempfile::tempdir().unwrap();
    let generator = Generator::new(
        config(&server, "HORDE_TEST_KEY_UNSET", None),
        dir.path().to_path_buf(),
    )
    .unwrap();
    generate(&generator, vec![request(1)]).remove(0).unwrap();
    assert_eq!(server.state.keys.lock().unwrap()[0], "0000000000");
}

#[test]
fn a_model_the_horde_lacks_is_refused_before_any_request() {
    let server = Horde::start(0);
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(&server, "HORDE_TEST_KEY_MODEL", Some(KEY));
    config.models = vec!["Deliberat".into()];
    let generator = Generator::new(config, dir.path().to_path_buf()).unwrap();
    let error = failure_of(&generator, request(1));
    assert!(
        error.contains("\"Deliberat\"") && error.contains("did you mean \"Deliberate\"?"),
        "{error}"
    );
    assert!(server.state.submitted.lock().unwrap().is_empty());
}

#[test]
fn impossible_and_faulted_requests_say_so() {
    let server = Horde::start(1);
    let dir = tempfile::tempdir().unwrap();
    let generator = Generator::new(
        config(&server, "HORDE_TEST_KEY_FAULTS", Some(KEY)),
        dir.path().to_path_buf(),
    )
    .unwrap();
    server.set_mode(Mode::Impossible);
    let error = failure_of(&generator, request(1));
    assert!(
        error.contains("no Horde worker now online can make this request"),
        "{error}"
    );
    server.set_mode(Mode::Faulted);
    let error = failure_of(&generator, request(2));
    assert!(error.contains("faulted"), "{error}");
    // Both requests given up were taken out of the Horde's queue.
    assert_eq!(server.state.deleted.lock().unwrap().len(), 2);
}

#[test]
fn a_refused_key_names_its_variable_and_never_shows_the_key() {
    let server = Horde::start(0);
    let dir = tempfile::tempdir().unwrap();
    let wrong = "wrong-key-SECRET-1357";
    let generator = Generator::new(
        config(&server, "HORDE_TEST_KEY_WRONG", Some(wrong)),
        dir.path().to_path_buf(),
    )
    .unwrap();
    let error = failure_of(&generator, request(1));
    assert!(
        error.contains("HTTP 401")
            && error.contains("No user matching sent API Key")
            && error.contains("HORDE_TEST_KEY_WRONG")
            && error.contains("aihorde.net/register"),
        "{error}"
    );
    assert!(!error.contains(wrong), "{error}");
    assert_eq!(server.state.keys.lock().unwrap()[0], wrong);
}

#[test]
fn a_validation_error_names_the_field() {
    let server = Horde::start(0);
    let dir = tempfile::tempdir().unwrap();
    let generator = Generator::new(
        config(&server, "HORDE_TEST_KEY_400", Some(KEY)),
        dir.path().to_path_buf(),
    )
    .unwrap();
    let mut req = request(1);
    req.width = 520;
    let error = failure_of(&generator, req);
    assert!(
        error.contains("HTTP 400")
            && error.contains("Input payload validation failed")
            && error.contains("params.width: 520 is not a multiple of 64"),
        "{error}"
    );
}

#[test]
fn a_rate_limit_says_to_wait() {
    let server = Horde::start(0);
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(&server, "HORDE_TEST_KEY_429", Some(KEY));
    config.retry_for = Duration::from_millis(300);
    let generator = Generator::new(config, dir.path().to_path_buf()).unwrap();
    server.set_mode(Mode::RateLimited);
    let error = failure_of(&generator, request(1));
    assert!(
        error.contains("HTTP 429") && error.contains("exceeded user limit"),
        "{error}"
    );
}

#[test]
fn cancelling_deletes_the_queued_request() {
    let server = Horde::start(0);
    let dir = tempfile::tempdir().unwrap();
    let generator = Generator::new(
        config(&server, "HORDE_TEST_KEY_CANCEL", Some(KEY)),
        dir.path().to_path_buf(),
    )
    .unwrap();
    server.set_mode(Mode::Stuck);
    let cancel = AtomicBool::new(false);
    let result = std::thread::scope(|s| {
        s.spawn(|| {
            while server.state.checks.load(Ordering::SeqCst) < 2 {
                std::thread::sleep(Duration::from_millis(5));
            }
            cancel.store(true, Ordering::SeqCst);
        });
        generator.generate(vec![request(1)], false, &|_| {}, &cancel)
    });
    assert!(result[0].is_err());
    let deleted = server.state.deleted.lock().unwrap().clone();
    assert_eq!(deleted, vec!["00000000-0000-4000-8000-000000000000"]);
}

#[test]
fn a_script_uses_the_horde_with_its_key_from_the_environment() {
    let server = Horde::start(0);
    std::env::set_var("HORDE_TEST_KEY_SCRIPT", KEY);
    let (out, _dir) = common::run_script(
        &format!(
            "backend(\"horde\", #{{ url: \"{}\", models: [\"deliberate\"], apikey: \"HORDE_TEST_KEY_SCRIPT\" }});\n\
             print(backend());\n\
             sd_generate(\"a fox in the snow\", #{{ width: 64, height: 64, steps: 4, seed: 9 }});\n",
            server.url
        ),
        &[],
    );
    let said = format!("{}{}", common::stdout(&out), common::stderr(&out));
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("AI Horde at") && said.contains("Deliberate"),
        "{said}"
    );
    assert!(!said.contains(KEY), "{said}");
    let sent = &server.state.submitted.lock().unwrap()[0];
    assert_eq!(sent["models"], serde_json::json!(["Deliberate"]));
    assert_eq!(sent["params"]["seed"], "9");
    assert!(server.state.keys.lock().unwrap().iter().all(|k| k == KEY));
}

#[test]
fn horde_options_are_checked_in_scripts() {
    let refused = |script: &str, expected: &str| {
        let (out, _dir) = common::run_script(script, &[]);
        let err = common::stderr(&out);
        assert!(
            !out.status.success() && err.contains(expected),
            "{script}: {err}"
        );
    };
    refused(
        "backend(\"horde\", #{ apikey: \"my secret key\" });",
        "is the NAME of an environment variable",
    );
    refused("backend(\"horde\", #{ poll_secs: 0.1 });", "poll_secs");
    refused(
        "backend(\"a1111\", #{ models: [\"x\"] });",
        "option \"models\" is for the \"horde\" backend only",
    );
}
