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
    assert_eq!(image.sidecar.info["worker_name"], "Volunteer GPU");
    assert_eq!(image.sidecar.made.unwrap().height, 768);

    // The key went in the header and nowhere else.
    assert_eq!(server.state.keys.lock().unwrap()[0], KEY);
    for entry in walkdir(dir.path()) {
        let text = String::from_utf8_lossy(&std::fs::read(&entry).unwrap()).to_string();
        assert!(!text.contains(KEY), "{entry:?} holds the key");
    }
    assert!(!serde_json::to_string(&image.sidecar).unwrap().contains(KEY));
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
    let mut config = config(&server, "HORDE_TEST_KEY_FAULTS", Some(KEY));
    // The Horde keeps a request no worker can take for 20 minutes: it is waited on,
    // saying so, for `retry_for`.
    config.retry_for = Duration::from_millis(400);
    let generator = Generator::new(config, dir.path().to_path_buf()).unwrap();
    server.set_mode(Mode::Impossible);
    let said_no_worker = AtomicBool::new(false);
    let started = std::time::Instant::now();
    let error = generator
        .generate(
            vec![request(1)],
            false,
            &|p| {
                if p.no_worker {
                    said_no_worker.store(true, Ordering::SeqCst);
                }
            },
            &AtomicBool::new(false),
        )
        .remove(0)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("no Horde worker online could make this request for 0.4 s"),
        "{error}"
    );
    assert!(started.elapsed() >= Duration::from_millis(400));
    assert!(said_no_worker.load(Ordering::SeqCst));
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
    server.set_mode(Mode::Invalid);
    let error = failure_of(&generator, request(1));
    assert!(
        error.contains("HTTP 400")
            && error.contains("Input payload validation failed")
            && error.contains("params.steps: 200 is greater than the maximum of 150"),
        "{error}"
    );
}

#[test]
fn a_request_is_sent_as_the_horde_reads_it() {
    let server = Horde::start(0);
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(&server, "HORDE_TEST_KEY_SHAPE", Some(KEY));
    config.sampler = Some("DPM++ 2M Karras".into());
    let generator = Generator::new(config, dir.path().to_path_buf()).unwrap();
    let mut req = request(5);
    req.cfg = 7.125;
    req.width = 520;
    let image = generate(&generator, vec![req]).remove(0).unwrap();
    let sent = server.state.submitted.lock().unwrap()[0].clone();
    // The A1111 name becomes the Horde's, its scheduler `karras`.
    assert_eq!(sent["params"]["sampler_name"], "k_dpmpp_2m");
    assert_eq!(sent["params"]["karras"], true);
    // At most 2 decimals (else 400 BadCFGDecimals), a size the Horde takes.
    assert_eq!(sent["params"]["cfg_scale"], 7.13);
    assert_eq!(sent["params"]["width"], 512);
    assert_eq!(image.sidecar.made.unwrap().width, 512);
    // Safe for work unless the script says otherwise, and censored if not.
    assert_eq!(sent["nsfw"], false);
    assert_eq!(sent["censor_nsfw"], true);
    let agent = server.state.agents.lock().unwrap()[0].clone();
    let parts: Vec<&str> = agent.splitn(3, ':').collect();
    assert!(
        parts.len() == 3 && parts[0] == "storyreel" && !parts[1].is_empty() && !parts[2].is_empty(),
        "{agent}"
    );
    // A plain scheduler is `karras: false`; the Horde's own sampler names pass as they are.
    let mut config = self::config(&server, "HORDE_TEST_KEY_SHAPE", Some(KEY));
    config.sampler = Some("k_euler".into());
    config.scheduler = Some("normal".into());
    let generator = Generator::new(config, dir.path().to_path_buf()).unwrap();
    generate(&generator, vec![request(6)]).remove(0).unwrap();
    let sent = server.state.submitted.lock().unwrap()[1].clone();
    assert_eq!(sent["params"]["sampler_name"], "k_euler");
    assert_eq!(sent["params"]["karras"], false);
}

#[test]
fn a_job_whose_workers_failed_says_so() {
    let server = Horde::start(0);
    let dir = tempfile::tempdir().unwrap();
    let generator = Generator::new(
        config(&server, "HORDE_TEST_KEY_RESTARTED", Some(KEY)),
        dir.path().to_path_buf(),
    )
    .unwrap();
    server.set_mode(Mode::WorkersFailed);
    let error = failure_of(&generator, request(1));
    assert!(
        error.contains("workers failed") && !error.contains("unusable answer"),
        "{error}"
    );
}

#[test]
fn an_image_the_horde_lost_says_so() {
    let server = Horde::start(0);
    let dir = tempfile::tempdir().unwrap();
    let generator = Generator::new(
        config(&server, "HORDE_TEST_KEY_LOST", Some(KEY)),
        dir.path().to_path_buf(),
    )
    .unwrap();
    server.set_mode(Mode::Lost);
    let error = failure_of(&generator, request(1));
    assert!(
        error.contains("the Horde lost the image") && !error.contains("base64"),
        "{error}"
    );
}

#[test]
fn a_403_says_what_the_horde_says_not_always_the_key() {
    let server = Horde::start(0);
    let dir = tempfile::tempdir().unwrap();
    let generator = Generator::new(
        config(&server, "HORDE_TEST_KEY_403", Some(KEY)),
        dir.path().to_path_buf(),
    )
    .unwrap();
    server.set_mode(Mode::NoKudos);
    let error = failure_of(&generator, request(1));
    assert!(
        error.contains("HTTP 403")
            && error.contains("kudos up front")
            && error.contains("[KudosUpfront]")
            && !error.contains("was refused"),
        "{error}"
    );
}

#[test]
fn warnings_and_a_lora_the_worker_could_not_load_are_shown_and_not_cached() {
    let server = Horde::start(0);
    let dir = tempfile::tempdir().unwrap();
    let generator = Generator::new(
        config(&server, "HORDE_TEST_KEY_WARN", Some(KEY)),
        dir.path().to_path_buf(),
    )
    .unwrap();
    *server.state.warnings.lock().unwrap() = vec![serde_json::json!({
        "code": "StepsTooMany",
        "message": "This model allows at most 30 steps.",
    })];
    server.set_mode(Mode::LoraFailed);
    let mut req = request(7);
    req.loras = vec![Lora::parse("Magnagothica:0.7").unwrap()];
    let image = generate(&generator, vec![req.clone()]).remove(0).unwrap();
    let said = image.warnings.join("\n");
    assert!(
        said.contains("at most 30 steps") && said.contains("StepsTooMany"),
        "{said}"
    );
    assert!(
        said.contains("lora \"Magnagothica\": download_failed") && said.contains("not cached"),
        "{said}"
    );
    assert!(image.sidecar.not_honoured.is_some(), "{:?}", image.sidecar);
    // Made without its LoRA, it does not answer the request next time: it is asked again.
    server.set_mode(Mode::Works);
    let again = generate(&generator, vec![req]).remove(0).unwrap();
    assert!(!again.cached);
    assert_eq!(server.state.submitted.lock().unwrap().len(), 2);
}

#[test]
fn a_worker_making_the_image_shows_processing_not_place_0() {
    let server = Horde::start(3);
    let dir = tempfile::tempdir().unwrap();
    let generator = Generator::new(
        config(&server, "HORDE_TEST_KEY_PROCESSING", Some(KEY)),
        dir.path().to_path_buf(),
    )
    .unwrap();
    server.set_mode(Mode::Processing);
    let seen = std::sync::Mutex::new(Vec::new());
    generator
        .generate(
            vec![request(1)],
            false,
            &|p| seen.lock().unwrap().push((p.queue, p.processing)),
            &AtomicBool::new(false),
        )
        .remove(0)
        .unwrap();
    let seen = seen.into_inner().unwrap();
    assert!(seen.iter().any(|(_, p)| p.is_some()), "{seen:?}");
    assert!(seen.iter().all(|(q, _)| q.is_none()), "{seen:?}");
}

#[test]
fn a_model_the_horde_does_not_list_now_is_a_warning_unless_a_typo() {
    let server = Horde::start(0);
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(&server, "HORDE_TEST_KEY_NEWMODEL", Some(KEY));
    config.models = vec!["Juggernaut XL".into()];
    let generator = Generator::new(config, dir.path().to_path_buf()).unwrap();
    let warnings = generator.check_names(&AtomicBool::new(false)).unwrap();
    assert!(
        warnings.len() == 1 && warnings[0].contains("lists no model \"Juggernaut XL\" now"),
        "{warnings:?}"
    );
    generate(&generator, vec![request(1)]).remove(0).unwrap();
    let sent = &server.state.submitted.lock().unwrap()[0];
    assert_eq!(sent["models"], serde_json::json!(["Juggernaut XL"]));
}

#[test]
fn a1111_pointed_at_the_horde_says_it_is_the_horde() {
    let server = Horde::start(0);
    let dir = tempfile::tempdir().unwrap();
    let generator = Generator::new(
        BackendConfig::new(BackendKind::A1111).with_urls([server.url.as_str()]),
        dir.path().to_path_buf(),
    )
    .unwrap();
    let error = failure_of(&generator, request(1));
    assert!(
        error.contains("the AI Horde") && error.contains("backend(\"horde\""),
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
            "backend(\"horde\", #{{ url: \"{}\", models: [\"deliberate\"], apikey: \"HORDE_TEST_KEY_SCRIPT\", nsfw: true }});\n\
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
    // `nsfw: true` allows NSFW images and so asks for no censoring.
    assert_eq!(
        (sent["nsfw"].clone(), sent["censor_nsfw"].clone()),
        (true.into(), false.into())
    );
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
    refused(
        "backend(\"a1111\", #{ nsfw: true });",
        "option \"nsfw\" is for the \"horde\" backend only",
    );
}

/// Runs a batch and collects the progress reports' rate-limit countdowns.
fn generate_watching(
    generator: &Generator,
    requests: Vec<ImageRequest>,
) -> (
    Vec<Result<storyreel::generate::GeneratedImage, storyreel::generate::GenerateError>>,
    Vec<Option<u32>>,
) {
    let seen = std::sync::Mutex::new(Vec::new());
    let results = generator.generate(
        requests,
        false,
        &|p| seen.lock().unwrap().push(p.rate_limited),
        &AtomicBool::new(false),
    );
    (results, seen.into_inner().unwrap())
}

#[test]
fn a_busy_horde_with_retry_after_is_waited_out_and_costs_no_try() {
    let server = Horde::start(0);
    let dir = tempfile::tempdir().unwrap();
    let generator = Generator::new(
        config(&server, "HORDE_TEST_KEY_BUSY_RA", Some(KEY)),
        dir.path().to_path_buf(),
    )
    .unwrap();
    server.busy_for(Duration::from_millis(2500), Some(1));
    let (results, seen) = generate_watching(&generator, vec![request(11), request(12)]);
    for (seed, result) in [11, 12].into_iter().zip(&results) {
        let image = result.as_ref().unwrap_or_else(|e| panic!("{seed}: {e}"));
        assert_eq!(color_of(image), seed_color(seed));
    }
    // More 429s than an image has tries on a server, yet it was made.
    let limited = server.limited("11");
    assert!(
        limited.len() >= storyreel::generate::pool::TRIES_PER_SERVER as usize,
        "{limited:?}"
    );
    // Each `Retry-After: 1` was honoured.
    for pair in limited.windows(2) {
        assert!(
            pair[1] - pair[0] >= Duration::from_millis(950),
            "{limited:?}"
        );
    }
    // The progress said the server is rate-limiting, counting down to the next ask.
    assert!(seen.contains(&Some(1)), "{seen:?}");
    assert_eq!(seen.last(), Some(&None), "{seen:?}");
}

#[test]
fn a_busy_horde_without_retry_after_is_backed_off_from() {
    let server = Horde::start(0);
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(&server, "HORDE_TEST_KEY_BUSY", Some(KEY));
    config.concurrency = 3;
    let generator = Generator::new(config, dir.path().to_path_buf()).unwrap();
    server.busy_for(Duration::from_millis(1500), None);
    let (results, seen) = generate_watching(&generator, (21..24).map(request).collect());
    for (seed, result) in (21..24).zip(&results) {
        let image = result.as_ref().unwrap_or_else(|e| panic!("{seed}: {e}"));
        assert_eq!(color_of(image), seed_color(seed));
    }
    let limited = server.state.limited.lock().unwrap().len();
    assert!(limited >= 2, "{limited} answers were 429");
    assert!(seen.iter().any(Option::is_some), "{seen:?}");
    // Backing off means asking a few times a second at most, not in a tight loop.
    assert!(limited <= 12, "{limited} answers were 429");
}

#[test]
fn the_wait_for_a_busy_horde_is_bounded_by_retry_for() {
    let server = Horde::start(0);
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(&server, "HORDE_TEST_KEY_BUSY_LONG", Some(KEY));
    config.retry_for = Duration::from_millis(1500);
    let generator = Generator::new(config, dir.path().to_path_buf()).unwrap();
    server.busy_for(Duration::from_secs(3600), Some(1));
    let started = std::time::Instant::now();
    let error = failure_of(&generator, request(31));
    let took = started.elapsed();
    assert!(
        error.contains("rate-limiting")
            && error.contains("2 per 1 second")
            && error.contains("`retry_for`")
            && !error.contains("tries"),
        "{error}"
    );
    assert!(
        took >= Duration::from_millis(1500) && took < Duration::from_secs(6),
        "{took:?}"
    );
    assert!(server.state.submitted.lock().unwrap().is_empty());
}

#[test]
fn one_script_is_paced_under_the_hordes_limit_per_key() {
    let server = Horde::start(0);
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(&server, "HORDE_TEST_KEY_PACED", Some(KEY));
    config.concurrency = 4;
    let generator = Generator::new(config, dir.path().to_path_buf()).unwrap();
    let results = generate(&generator, (41..47).map(request).collect());
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(server.state.submitted.lock().unwrap().len(), 6);
    assert!(server.state.limited.lock().unwrap().is_empty());
}

#[test]
fn two_scripts_sharing_a_key_both_complete() {
    let server = Horde::start(0);
    std::env::set_var("HORDE_TEST_KEY_SHARED", KEY);
    let script = |take: u32| {
        format!(
            "backend(\"horde\", #{{ url: \"{}\", models: [\"deliberate\"], apikey: \"HORDE_TEST_KEY_SHARED\", concurrency: 3 }});\n\
             sd_generate(\"a fox in the snow, take {take}\", #{{ n: 6, width: 64, height: 64, steps: 4, seed: {take}00 }});\n",
            server.url
        )
    };
    let (one, two) = std::thread::scope(|s| {
        let one = s.spawn(|| common::run_script(&script(1), &[]));
        let two = s.spawn(|| common::run_script(&script(2), &[]));
        (one.join().unwrap(), two.join().unwrap())
    });
    for (out, _dir) in [&one, &two] {
        let said = common::stderr(out);
        assert!(out.status.success(), "{said}");
        assert!(!said.contains("failed"), "{said}");
    }
    assert_eq!(server.state.submitted.lock().unwrap().len(), 12);
    // Together they asked faster than the Horde allows one key, and waited it out.
    assert!(!server.state.limited.lock().unwrap().is_empty());
}
