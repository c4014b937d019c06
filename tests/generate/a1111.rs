//! Contract tests of the A1111 (and sd.cpp) client against the stand-in server:
//! what the client sends, what it makes of the answers, and every failure mode.

use crate::generate_support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use generate_support::a1111::{Fault, A1111};
use generate_support::{color_of, dead_url, failure_of, generate, seed_color};
use storyreel::generate::{
    BackendConfig, BackendKind, GenerateError, Generator, ImageRequest, Lora,
};

fn config(urls: &[&str]) -> BackendConfig {
    let mut config = BackendConfig::new(BackendKind::A1111).with_urls(urls.iter().copied());
    config.timeout = Duration::from_secs(20);
    config
}

fn request(seed: u64) -> ImageRequest {
    ImageRequest {
        negative: "blurry".into(),
        steps: 4,
        width: 64,
        height: 96,
        label: format!("scene 0 #{seed}"),
        ..ImageRequest::new("a fox in the snow", seed)
    }
}

#[test]
fn txt2img_sends_seed_loras_model_and_reads_string_info() {
    let server = A1111::start(Duration::from_millis(20));
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(&[&server.url]);
    config.model = Some("dreamshaper_8".into());
    config.sampler = Some("DPM++ 2M".into());
    let generator = Generator::new(config, dir.path().to_path_buf()).unwrap();
    let mut req = request(4242);
    req.loras = vec![
        Lora::parse("quetzal:0.8").unwrap(),
        Lora::parse("codex").unwrap(),
    ];
    let image = generate(&generator, vec![req]).remove(0).unwrap();

    let sent = &server.received()[0];
    assert_eq!(sent["seed"], 4242);
    assert_eq!(
        sent["prompt"],
        "a fox in the snow <lora:quetzal:0.8> <lora:codex:1>"
    );
    assert_eq!(sent["negative_prompt"], "blurry");
    assert_eq!(
        (
            sent["width"].as_u64(),
            sent["height"].as_u64(),
            sent["steps"].as_u64()
        ),
        (Some(64), Some(96), Some(4))
    );
    assert_eq!(
        sent["override_settings"]["sd_model_checkpoint"],
        "dreamshaper_8"
    );
    assert_eq!(
        sent["sampler_name"], "DPM++ 2M",
        "the backend's default sampler fills the gap"
    );
    assert!(sent.get("alwayson_scripts").is_none());

    assert_eq!(color_of(&image), seed_color(4242));
    assert_eq!(image.seed, 4242);
    // `info` arrived as a JSON string and is kept parsed in the sidecar.
    assert_eq!(image.sidecar.info["sd_model_name"], "standin-v1-5");
    assert_eq!(image.sidecar.info["all_seeds"][0], 4242);
    let sidecar: serde_json::Value =
        serde_json::from_slice(&std::fs::read(image.path.with_extension("json")).unwrap()).unwrap();
    assert_eq!(sidecar["request"]["seed"], 4242);

    // Rerun: from cache, no request reaches the server.
    let again = generate(
        &generator,
        vec![{
            let mut r = request(4242);
            r.loras = vec![
                Lora::parse("quetzal:0.8").unwrap(),
                Lora::parse("codex").unwrap(),
            ];
            r
        }],
    );
    assert!(again[0].as_ref().unwrap().cached);
    assert_eq!(server.received().len(), 1);
    assert_eq!(generator.requests_made(), 1);
}

#[test]
fn cache_key_ignores_the_url_but_not_the_model() {
    let (a, b) = (A1111::start(Duration::ZERO), A1111::start(Duration::ZERO));
    let dir = tempfile::tempdir().unwrap();
    generate(
        &Generator::new(config(&[&a.url]), dir.path().to_path_buf()).unwrap(),
        vec![request(1)],
    );
    let moved = Generator::new(config(&[&b.url]), dir.path().to_path_buf()).unwrap();
    assert!(
        generate(&moved, vec![request(1)])[0]
            .as_ref()
            .unwrap()
            .cached,
        "same model on another URL is the same image"
    );
    let mut other_model = config(&[&b.url]);
    other_model.model = Some("sdxl".into());
    let other = Generator::new(other_model, dir.path().to_path_buf()).unwrap();
    assert!(
        !generate(&other, vec![request(1)])[0]
            .as_ref()
            .unwrap()
            .cached
    );
}

#[test]
fn reference_image_becomes_an_ip_adapter_unit_and_the_map_is_skipped() {
    let server = A1111::start(Duration::ZERO);
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("quetzal.png");
    std::fs::write(&reference, generate_support::png_for_seed(9, 8, 8)).unwrap();
    let generator = Generator::new(config(&[&server.url]), dir.path().join("cache")).unwrap();
    let mut req = request(77);
    req.reference = Some(reference.clone());
    let image = generate(&generator, vec![req]).remove(0).unwrap();

    let sent = &server.received()[0];
    let units = sent["alwayson_scripts"]["ControlNet"]["args"]
        .as_array()
        .unwrap();
    assert_eq!(units.len(), 1);
    let unit = &units[0];
    assert_eq!(unit["enabled"], true);
    assert_eq!(unit["module"], "ip-adapter_clip_h");
    assert_eq!(unit["model"], "ip-adapter-plus-face_sd15");
    assert_eq!(unit["control_mode"], "Balanced");
    use base64::Engine as _;
    let sent_image = base64::engine::general_purpose::STANDARD
        .decode(unit["image"].as_str().unwrap())
        .unwrap();
    assert_eq!(sent_image, std::fs::read(&reference).unwrap());
    // The stand-in appended a detected map after the image: the client must not pick it.
    assert_eq!(color_of(&image), seed_color(77));

    // A different reference file is a different image (content hash in the key).
    std::fs::write(&reference, generate_support::png_for_seed(10, 8, 8)).unwrap();
    let mut req = request(77);
    req.reference = Some(reference);
    assert!(!generate(&generator, vec![req])[0].as_ref().unwrap().cached);
}

#[test]
fn img2img_sends_the_init_image_and_strength() {
    let server = A1111::start(Duration::ZERO);
    let dir = tempfile::tempdir().unwrap();
    let init = dir.path().join("sheet.png");
    std::fs::write(&init, generate_support::png_for_seed(3, 8, 8)).unwrap();
    let generator = Generator::new(config(&[&server.url]), dir.path().join("cache")).unwrap();
    let mut req = request(5);
    req.init_image = Some(init);
    req.strength = Some(0.45);
    generate(&generator, vec![req]).remove(0).unwrap();
    let sent = &server.received()[0];
    assert_eq!(sent["init_images"].as_array().unwrap().len(), 1);
    assert!((sent["denoising_strength"].as_f64().unwrap() - 0.45).abs() < 1e-6);
}

#[test]
fn sdcpp_gets_loras_as_an_array_and_no_progress_polling() {
    let server = A1111::start_sdcpp(Duration::from_millis(700));
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(&[&server.url]);
    config.kind = BackendKind::SdCpp;
    let generator = Generator::new(config, dir.path().to_path_buf()).unwrap();
    let mut req = request(8);
    req.loras = vec![Lora::parse("hero:0.6").unwrap()];
    generate(&generator, vec![req.clone()]).remove(0).unwrap();
    let sent = &server.received()[0];
    assert_eq!(
        sent["prompt"], "a fox in the snow",
        "sd.cpp does not parse <lora> tags"
    );
    assert_eq!(
        sent["lora"],
        serde_json::json!([{"path": "hero.safetensors", "multiplier": 0.6}]),
        "sd-server wants the path under its LoRA folder"
    );
    assert_eq!(server.state.progress_polls.load(Ordering::SeqCst), 0);

    req.reference = Some(dir.path().join("x.png"));
    let error = failure_of(&generator, req);
    assert!(
        error.contains("sdcpp backend does not support reference images"),
        "{error}"
    );
}

#[test]
fn progress_polls_report_sampler_steps() {
    let server = A1111::start(Duration::from_millis(1600));
    let dir = tempfile::tempdir().unwrap();
    let generator = Generator::new(config(&[&server.url]), dir.path().to_path_buf()).unwrap();
    let steps = Mutex::new(Vec::new());
    let mut req = request(1);
    req.steps = 8;
    generator.generate(
        vec![req],
        false,
        &|p| steps.lock().unwrap().push(p.step),
        &AtomicBool::new(false),
    );
    assert!(server.state.progress_polls.load(Ordering::SeqCst) >= 1);
    assert!(
        steps
            .lock()
            .unwrap()
            .iter()
            .any(|s| matches!(s, Some((_, 8)))),
        "{:?}",
        steps.lock().unwrap()
    );
}

#[test]
fn server_errors_name_the_server_and_quote_its_message() {
    let server = A1111::start(Duration::ZERO);
    let dir = tempfile::tempdir().unwrap();
    let generator = Generator::new(config(&[&server.url]), dir.path().to_path_buf()).unwrap();
    let kept = generate(&generator, vec![request(1)]).remove(0).unwrap();

    server.set_fault(Fault::Reject422);
    let error = failure_of(&generator, request(2));
    assert!(
        error.contains(&server.url)
            && error.contains("422")
            && error.contains("steps: value is not a valid integer"),
        "{error}"
    );
    assert_eq!(
        generator.requests_made(),
        2,
        "a 422 is the request's fault: not retried"
    );

    server.set_fault(Fault::Error500);
    let error = failure_of(&generator, request(3));
    assert!(
        error.contains(&server.url)
            && error.contains("500")
            && error.contains("CUDA out of memory"),
        "{error}"
    );

    server.set_fault(Fault::BadBase64);
    let error = failure_of(&generator, request(4));
    assert!(
        error.contains(&server.url) && error.contains("not valid base64"),
        "{error}"
    );

    server.set_fault(Fault::NotImage);
    let error = failure_of(&generator, request(5));
    assert!(
        error.contains(&server.url) && error.contains("not an image"),
        "{error}"
    );

    // What was generated before is still there and still served.
    assert!(kept.path.exists());
    assert!(
        generate(&generator, vec![request(1)])[0]
            .as_ref()
            .unwrap()
            .cached
    );
}

#[test]
fn timeout_and_unreachable_servers_are_clear_errors() {
    let server = A1111::start(Duration::ZERO);
    server.set_fault(Fault::Hang);
    let dir = tempfile::tempdir().unwrap();
    let mut slow = config(&[&server.url]);
    slow.timeout = Duration::from_millis(300);
    let error = failure_of(
        &Generator::new(slow, dir.path().to_path_buf()).unwrap(),
        request(1),
    );
    assert!(
        error.contains(&server.url)
            && error.contains("did not answer within 0.3 s")
            && error.contains("(3 tries over"),
        "{error}"
    );

    let dead = dead_url();
    let mut down = config(&[&dead]);
    down.retry_for = Duration::from_millis(500);
    let generator = Generator::new(down, dir.path().to_path_buf()).unwrap();
    let results = generate(&generator, vec![request(1), request(2)]);
    for result in results {
        let error = result.unwrap_err().to_string();
        assert!(
            error.contains(&dead) && error.contains("cannot reach"),
            "{error}"
        );
    }
}

#[test]
fn work_moves_off_a_failing_server_and_spreads_over_the_pool() {
    let (a, b) = (
        A1111::start(Duration::from_millis(50)),
        A1111::start(Duration::from_millis(50)),
    );
    let broken = A1111::start(Duration::ZERO);
    broken.set_fault(Fault::Error500);
    let dead = dead_url();
    let dir = tempfile::tempdir().unwrap();
    let generator = Generator::new(
        config(&[&a.url, &dead, &broken.url, &b.url]),
        dir.path().to_path_buf(),
    )
    .unwrap();
    let results = generate(&generator, (0..12).map(request).collect());
    for (seed, result) in results.iter().enumerate() {
        let image = result
            .as_ref()
            .unwrap_or_else(|e| panic!("request {seed}: {e}"));
        assert_eq!(color_of(image), seed_color(seed as u64));
    }
    let (made_a, made_b) = (a.received().len(), b.received().len());
    assert_eq!(made_a + made_b, 12);
    assert!(
        made_a >= 3 && made_b >= 3,
        "both healthy servers share the work: {made_a} / {made_b}"
    );
}

#[test]
fn cancel_interrupts_running_work_and_keeps_finished_images() {
    let server = A1111::start(Duration::from_millis(300));
    let dir = tempfile::tempdir().unwrap();
    let generator = Generator::new(config(&[&server.url]), dir.path().to_path_buf()).unwrap();
    let cancel = AtomicBool::new(false);
    // Cancel in the middle of the third image (one image takes 300 ms).
    let results = std::thread::scope(|scope| {
        scope.spawn(|| {
            std::thread::sleep(Duration::from_millis(750));
            cancel.store(true, Ordering::SeqCst);
        });
        generator.generate((0..20).map(request).collect(), false, &|_| {}, &cancel)
    });
    let finished = results.iter().filter(|r| r.is_ok()).count();
    assert!((1..20).contains(&finished), "{finished}");
    assert!(results[finished..]
        .iter()
        .all(|r| matches!(r, Err(GenerateError::Cancelled))));
    assert_eq!(
        server.state.interrupts.load(Ordering::SeqCst),
        1,
        "the running image must be interrupted once"
    );
    // The finished ones are in the cache.
    let rerun = generate(&generator, (0..finished as u64).map(request).collect());
    assert!(rerun.iter().all(|r| r.as_ref().unwrap().cached));
}

#[test]
fn basic_auth_comes_from_the_named_environment_variable() {
    let server = A1111::start_with(Duration::ZERO, Some("ana:s3cret"));
    let dir = tempfile::tempdir().unwrap();
    std::env::set_var("STORYREEL_TEST_A1111_AUTH", "ana:s3cret");
    let mut with_auth = config(&[&server.url]);
    with_auth.auth_env = Some("STORYREEL_TEST_A1111_AUTH".into());
    let generator = Generator::new(with_auth, dir.path().to_path_buf()).unwrap();
    generate(&generator, vec![request(1)]).remove(0).unwrap();
    assert!(generator.describe().unwrap().contains("standin-v1-5"));

    let error = failure_of(
        &Generator::new(config(&[&server.url]), dir.path().join("b")).unwrap(),
        request(2),
    );
    assert!(
        error.contains("401") && error.contains("Incorrect username or password"),
        "{error}"
    );
}

#[test]
fn describe_lists_models_and_samplers() {
    let server = A1111::start(Duration::ZERO);
    let generator = Generator::new(
        config(&[&server.url]),
        tempfile::tempdir().unwrap().path().to_path_buf(),
    )
    .unwrap();
    let text = generator.describe().unwrap();
    assert!(
        text.contains(&server.url)
            && text.contains("standin-v1-5.safetensors")
            && text.contains("Euler a"),
        "{text}"
    );
    let dead = dead_url();
    let error = Generator::new(config(&[&dead]), std::env::temp_dir())
        .unwrap()
        .describe()
        .unwrap_err()
        .to_string();
    assert!(error.contains(&dead), "{error}");
}

fn sdcpp(server: &A1111) -> BackendConfig {
    let mut config = config(&[&server.url]);
    config.kind = BackendKind::SdCpp;
    config
}

#[test]
fn a_seed_sd_server_cannot_read_is_refused_before_any_request() {
    let server = A1111::start_sdcpp(Duration::from_millis(20));
    let dir = tempfile::tempdir().unwrap();
    let generator = Generator::new(sdcpp(&server), dir.path().to_path_buf()).unwrap();
    let error = failure_of(&generator, request(3_000_000_000));
    assert!(
        error.contains("seed")
            && error.contains("3000000000")
            && error.contains("2147483647")
            && error.contains("32-bit"),
        "{error}"
    );
    assert!(server.received().is_empty());
    // The largest seed it reads goes through as given.
    let image = generate(&generator, vec![request(2_147_483_647)])
        .remove(0)
        .unwrap();
    assert_eq!(server.received()[0]["seed"], 2_147_483_647u64);
    assert_eq!(image.sidecar.seed_used, 2_147_483_647u64);
}

#[test]
fn a_seed_the_server_did_not_use_is_a_warning_and_not_cached() {
    // `a1111` pointed at sd-server: the seed goes out as given, and comes back replaced.
    let server = A1111::start_sdcpp(Duration::from_millis(20));
    let dir = tempfile::tempdir().unwrap();
    let generator = Generator::new(config(&[&server.url]), dir.path().to_path_buf()).unwrap();
    let notes = generator.check_names(&AtomicBool::new(false)).unwrap();
    assert!(
        notes.iter().any(
            |n| n.contains("answers like stable-diffusion.cpp's sd-server")
                && n.contains("backend(\"sdcpp\"")
        ),
        "{notes:?}"
    );
    let image = generate(&generator, vec![request(3_014_979_400)])
        .remove(0)
        .unwrap();
    let said = image.warnings.join("\n");
    // The stand-in, like sd-server, reports the random seed it used (4456723 and up).
    assert!(
        (4_456_723..4_456_800).contains(&image.seed),
        "{}",
        image.seed
    );
    assert!(
        said.contains(&format!("seed {}", image.seed))
            && said.contains("3014979400")
            && said.contains("not cached"),
        "{said}"
    );
    assert_eq!(image.sidecar.seed_used, image.seed);
    assert_eq!(image.sidecar.request.seed, 3_014_979_400u64);
    // Not the request's image: the next run asks again.
    let again = generate(&generator, vec![request(3_014_979_400)])
        .remove(0)
        .unwrap();
    assert!(!again.cached);
    assert_eq!(server.received().len(), 2);
}

#[test]
fn ctrl_c_on_sd_server_says_its_image_will_finish() {
    let server = A1111::start_sdcpp(Duration::from_millis(1500));
    let dir = tempfile::tempdir().unwrap();
    let generator = Generator::new(sdcpp(&server), dir.path().to_path_buf()).unwrap();
    let cancel = AtomicBool::new(false);
    let results = std::thread::scope(|scope| {
        scope.spawn(|| {
            while server.received().is_empty() {
                std::thread::sleep(Duration::from_millis(10));
            }
            cancel.store(true, Ordering::SeqCst);
        });
        generator.generate(vec![request(1)], false, &|_| {}, &cancel)
    });
    assert!(matches!(results[0], Err(GenerateError::Cancelled)));
    let notes = generator.take_notes().join("\n");
    assert!(
        notes.contains("cannot be interrupted") && notes.contains("will finish"),
        "{notes}"
    );
    assert!(!notes.contains("interrupted;"), "{notes}");
}

#[test]
fn lora_tags_in_a_prompt_reach_sd_server_as_loras() {
    let server = A1111::start_sdcpp(Duration::from_millis(20));
    let dir = tempfile::tempdir().unwrap();
    let generator = Generator::new(sdcpp(&server), dir.path().to_path_buf()).unwrap();
    let mut req = request(9);
    req.prompt = "a fox <lora:hero:0.8> in the snow".into();
    let image = generate(&generator, vec![req]).remove(0).unwrap();
    let sent = &server.received()[0];
    assert_eq!(sent["prompt"], "a fox in the snow");
    assert_eq!(
        sent["lora"],
        serde_json::json!([{"path": "hero.safetensors", "multiplier": 0.8}])
    );
    // The sidecar records the weight as written, not as an f32 widened.
    assert_eq!(
        serde_json::to_value(&image.sidecar).unwrap()["request"]["loras"][0]["weight"].to_string(),
        "0.8"
    );
}
