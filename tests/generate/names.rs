//! Names checked against what the server lists (models, samplers, schedulers,
//! LoRAs) before any request, and translated into the server's own dialect.

use crate::common;
use crate::generate_support;

use std::time::Duration;

use generate_support::a1111::A1111;
use generate_support::comfyui::ComfyUi;
use generate_support::{failure_of, generate};
use storyreel::generate::{BackendConfig, BackendKind, Generator, ImageRequest, Lora};

fn config(kind: BackendKind, url: &str) -> BackendConfig {
    let mut config = BackendConfig::new(kind).with_urls([url]);
    config.timeout = Duration::from_secs(20);
    config
}

fn request() -> ImageRequest {
    ImageRequest {
        steps: 2,
        width: 64,
        height: 64,
        ..ImageRequest::new("a heron at dawn", 5)
    }
}

#[test]
fn unknown_names_fail_before_any_request_with_what_the_server_has() {
    let server = A1111::start(Duration::ZERO);
    let dir = tempfile::tempdir().unwrap();
    let mut wrong_model = config(BackendKind::A1111, &server.url);
    wrong_model.model = Some("dreamshaper_9".into());
    let error = failure_of(
        &Generator::new(wrong_model, dir.path().join("a")).unwrap(),
        request(),
    );
    assert!(
        error.contains("has no model \"dreamshaper_9\"")
            && error.contains("did you mean \"dreamshaper_8.safetensors [879db523c3]\"?"),
        "{error}"
    );

    let generator = Generator::new(
        config(BackendKind::A1111, &server.url),
        dir.path().join("b"),
    )
    .unwrap();
    let mut bad_sampler = request();
    bad_sampler.sampler = Some("nonsense".into());
    let error = failure_of(&generator, bad_sampler);
    assert!(
        error.contains("has no sampler \"nonsense\"") && error.contains("\"Euler a\""),
        "{error}"
    );
    let mut bad_scheduler = request();
    bad_scheduler.scheduler = Some("bogus".into());
    let error = failure_of(&generator, bad_scheduler);
    assert!(
        error.contains("has no scheduler \"bogus\"") && error.contains("\"karras\""),
        "{error}"
    );
    let mut bad_lora = request();
    bad_lora.loras = vec![Lora::parse("quetzl:0.8").unwrap()];
    let error = failure_of(&generator, bad_lora);
    assert!(error.contains("did you mean \"quetzal\"?"), "{error}");
    assert!(server.received().is_empty(), "nothing was sent");
}

#[test]
fn sampler_names_are_translated_between_dialects() {
    let a1111 = A1111::start(Duration::ZERO);
    let dir = tempfile::tempdir().unwrap();
    let generator =
        Generator::new(config(BackendKind::A1111, &a1111.url), dir.path().join("a")).unwrap();
    let mut comfy_style = request();
    comfy_style.sampler = Some("dpmpp_2m".into());
    comfy_style.scheduler = Some("karras".into());
    generate(&generator, vec![comfy_style]).remove(0).unwrap();
    let sent = &a1111.received()[0];
    assert_eq!(
        (sent["sampler_name"].as_str(), sent["scheduler"].as_str()),
        (Some("DPM++ 2M"), Some("karras"))
    );

    let comfy = ComfyUi::start(Duration::ZERO);
    let mut with_model = config(BackendKind::ComfyUi, &comfy.url);
    with_model.model = Some("dreamshaper_8".into());
    let generator = Generator::new(with_model, dir.path().join("b")).unwrap();
    let mut a1111_style = request();
    a1111_style.sampler = Some("DPM++ 2M Karras".into());
    a1111_style.loras = vec![Lora::parse("quetzal:0.5").unwrap()];
    generate(&generator, vec![a1111_style]).remove(0).unwrap();
    let graph = &comfy.graphs()[0];
    let nodes = graph.as_object().unwrap();
    let class = |c: &str| nodes.values().find(|n| n["class_type"] == c).unwrap()["inputs"].clone();
    assert_eq!(class("KSampler")["sampler_name"], "dpmpp_2m");
    assert_eq!(class("KSampler")["scheduler"], "karras");
    assert_eq!(
        class("CheckpointLoaderSimple")["ckpt_name"],
        "dreamshaper_8.safetensors"
    );
    assert_eq!(class("LoraLoader")["lora_name"], "quetzal.safetensors");
}

#[test]
fn comfyui_without_a_model_lists_its_checkpoints_when_it_has_several() {
    let comfy = ComfyUi::start(Duration::ZERO);
    let dir = tempfile::tempdir().unwrap();
    let generator =
        Generator::new(config(BackendKind::ComfyUi, &comfy.url), dir.path().into()).unwrap();
    let error = failure_of(&generator, request());
    assert!(
        error.contains("several checkpoints")
            && error.contains("v1-5-pruned-emaonly.safetensors")
            && error.contains("dreamshaper_8.safetensors"),
        "{error}"
    );
    assert!(comfy.graphs().is_empty());
}

#[test]
fn sd_server_gets_its_own_names_and_the_sidecar_records_the_size_made() {
    let server = A1111::start_sdcpp(Duration::ZERO);
    let dir = tempfile::tempdir().unwrap();
    let generator =
        Generator::new(config(BackendKind::SdCpp, &server.url), dir.path().into()).unwrap();
    let mut req = request();
    req.sampler = Some("Euler a".into());
    req.loras = vec![Lora::parse("villain:0.7").unwrap()];
    let image = generate(&generator, vec![req]).remove(0).unwrap();
    let sent = &server.received()[0];
    assert_eq!(sent["sampler_name"], "euler_a");
    assert_eq!(sent["lora"][0]["path"], "chars/villain.safetensors");
    assert_eq!(
        image.sidecar.made,
        Some(storyreel::generate::sidecar::Made {
            width: 64,
            height: 64
        })
    );
}

#[test]
fn a_wrong_sampler_is_said_once_at_backend_and_a_bad_size_once_before_any_request() {
    let server = A1111::start_sdcpp(Duration::ZERO);
    let (out, _dir) = common::run_script(
        &format!(
            "try {{ backend(\"sdcpp\", #{{ url: \"{url}\", sampler: \"Eulr a\" }}); }} catch (e) {{ print(`refused: ${{e}}`); }}\n\
             backend(\"sdcpp\", #{{ url: \"{url}\" }});\n\
             sd_generate(\"a heron at dawn\", #{{ n: 3, width: 100, height: 64, steps: 2 }});\n",
            url = server.url
        ),
        &[],
    );
    let (said, err) = (common::stdout(&out), common::stderr(&out));
    assert!(
        said.matches("refused:").count() == 1
            && said.contains("no sampler \"Eulr a\"")
            && said.contains("did you mean"),
        "{said}"
    );
    // The size is one error about the option, not a warning and a failure per candidate.
    assert!(!out.status.success());
    assert!(
        err.contains("is not allowed") && !err.contains("#1"),
        "{err}"
    );
    assert!(
        err.contains("a multiple of 8") && !err.contains("made as"),
        "{err}"
    );
    assert!(server.received().is_empty());
}

#[test]
fn a1111_pointed_at_sd_server_says_so_and_warns_of_its_rounding() {
    let server = A1111::start_sdcpp(Duration::ZERO);
    let (out, _dir) = common::run_script(
        &format!(
            "backend(\"a1111\", #{{ url: \"{}\" }});\n\
             sd_generate(\"a heron at dawn\", #{{ width: 72, height: 64, steps: 2, seed: 3 }});\n",
            server.url
        ),
        &[],
    );
    let err = common::stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("answers like stable-diffusion.cpp's sd-server")
            && err.contains("backend(\"sdcpp\"")
            && err.contains("72x64 is made as 128x64"),
        "{err}"
    );
    // Said once, at backend(), not again by the batch.
    assert_eq!(err.matches("answers like").count(), 1, "{err}");
}
