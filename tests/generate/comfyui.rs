//! Contract tests of the ComfyUI client against the stand-in server: the graph it
//! sends (built-in or a patched user workflow), the websocket flow, uploads, and
//! rejections, runtime errors, the `/api` prefix and interrupts.

use crate::generate_support;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use generate_support::comfyui::{ComfyUi, Fault};
use generate_support::{color_of, failure_of, generate, png_for_seed, seed_color};
use serde_json::{json, Value};
use storyreel::generate::{
    BackendConfig, BackendKind, GenerateError, Generator, ImageRequest, Lora,
};

fn config(url: &str) -> BackendConfig {
    let mut config = BackendConfig::new(BackendKind::ComfyUi).with_urls([url]);
    config.timeout = Duration::from_secs(20);
    // The stand-in has two checkpoints, so one must be named.
    config.model = Some("v1-5-pruned-emaonly.safetensors".into());
    config
}

fn request(seed: u64) -> ImageRequest {
    ImageRequest {
        negative: "blurry".into(),
        steps: 3,
        cfg: 6.5,
        width: 64,
        height: 96,
        label: format!("scene 1 #{seed}"),
        ..ImageRequest::new("a heron at dawn", seed)
    }
}

fn node<'a>(graph: &'a Value, class: &str) -> Vec<(&'a String, &'a Value)> {
    graph
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, n)| n["class_type"] == class)
        .collect()
}

#[test]
fn builtin_graph_carries_the_request_and_progress_comes_over_the_websocket() {
    let server = ComfyUi::start(Duration::from_millis(90));
    let dir = tempfile::tempdir().unwrap();
    let generator = Generator::new(config(&server.url), dir.path().to_path_buf()).unwrap();
    let steps = Mutex::new(Vec::new());
    let image = generator
        .generate(
            vec![request(31337)],
            false,
            &|p| steps.lock().unwrap().push(p.step),
            &AtomicBool::new(false),
        )
        .remove(0)
        .unwrap();

    let graph = &server.graphs()[0];
    let sampler = &graph["3"]["inputs"];
    assert_eq!(
        (sampler["seed"].as_u64(), sampler["steps"].as_u64()),
        (Some(31337), Some(3))
    );
    assert_eq!(sampler["cfg"].as_f64(), Some(6.5));
    assert_eq!(graph["6"]["inputs"]["text"], "a heron at dawn");
    assert_eq!(graph["7"]["inputs"]["text"], "blurry");
    assert_eq!(
        (
            graph["5"]["inputs"]["width"].as_u64(),
            graph["5"]["inputs"]["height"].as_u64()
        ),
        (Some(64), Some(96))
    );
    assert_eq!(color_of(&image), seed_color(31337));
    assert_eq!(image::image_dimensions(&image.path).unwrap(), (64, 96));

    let clients = server.state.socket_clients.lock().unwrap().clone();
    assert!(
        clients.iter().any(|c| c.starts_with("storyreel-")),
        "{clients:?}"
    );
    assert!(
        steps.lock().unwrap().contains(&Some((3, 3))),
        "{:?}",
        steps.lock().unwrap()
    );
    assert_eq!(image.sidecar.info["status"]["status_str"], "success");

    assert!(
        generate(&generator, vec![request(31337)])[0]
            .as_ref()
            .unwrap()
            .cached
    );
    assert_eq!(server.graphs().len(), 1, "rerun makes no request");
}

#[test]
fn loras_become_a_chain_of_lora_loaders() {
    let server = ComfyUi::start(Duration::ZERO);
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(&server.url);
    config.model = Some("dreamshaper_8.safetensors".into());
    let generator = Generator::new(config, dir.path().to_path_buf()).unwrap();
    let mut req = request(1);
    req.loras = vec![
        Lora::parse("quetzal:0.8").unwrap(),
        Lora::parse("codex.safetensors:0.5").unwrap(),
    ];
    generate(&generator, vec![req]).remove(0).unwrap();

    let graph = &server.graphs()[0];
    assert_eq!(
        graph["4"]["inputs"]["ckpt_name"],
        "dreamshaper_8.safetensors"
    );
    let loras = node(graph, "LoraLoader");
    assert_eq!(loras.len(), 2);
    let first = loras
        .iter()
        .find(|(_, n)| n["inputs"]["lora_name"] == "quetzal.safetensors")
        .unwrap();
    let second = loras
        .iter()
        .find(|(_, n)| n["inputs"]["lora_name"] == "codex.safetensors")
        .unwrap();
    assert_eq!(first.1["inputs"]["model"], json!(["4", 0]));
    assert_eq!(first.1["inputs"]["strength_model"].as_f64(), Some(0.8));
    assert_eq!(second.1["inputs"]["clip"], json!([first.0, 1]));
    assert_eq!(
        graph["3"]["inputs"]["model"],
        json!([second.0, 0]),
        "the sampler uses the LoRA'd model"
    );
    assert_eq!(
        graph["6"]["inputs"]["clip"],
        json!([second.0, 1]),
        "prompts use the LoRA'd CLIP"
    );
}

/// An exported API-format workflow with other ids, a conditioning combine and IPAdapter nodes.
fn user_workflow(dir: &std::path::Path) -> PathBuf {
    let workflow = json!({
        "20": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "v1-5-pruned-emaonly.safetensors"}},
        "21": {"class_type": "CLIPTextEncode", "inputs": {"clip": ["20", 1], "text": "old positive"}},
        "22": {"class_type": "CLIPTextEncode", "inputs": {"clip": ["20", 1], "text": "old negative"}},
        "23": {"class_type": "ConditioningCombine", "inputs": {"conditioning_1": ["21", 0], "conditioning_2": ["21", 0]}},
        "24": {"class_type": "EmptyLatentImage", "inputs": {"width": 512, "height": 512, "batch_size": 4}},
        "25": {"class_type": "LoadImage", "inputs": {"image": "example.png"}},
        "26": {"class_type": "IPAdapterUnifiedLoader", "inputs": {"model": ["20", 0], "preset": "PLUS FACE (portraits)"}},
        "27": {"class_type": "IPAdapterAdvanced", "inputs": {"model": ["26", 0], "ipadapter": ["26", 1], "image": ["25", 0], "weight": 0.7}},
        "30": {"class_type": "KSampler", "inputs": {"seed": 1, "steps": 20, "cfg": 8, "sampler_name": "euler", "scheduler": "normal", "denoise": 1,
               "model": ["27", 0], "positive": ["23", 0], "negative": ["22", 0], "latent_image": ["24", 0]}},
        "31": {"class_type": "VAEDecode", "inputs": {"samples": ["30", 0], "vae": ["20", 2]}},
        "32": {"class_type": "SaveImage", "inputs": {"filename_prefix": "x", "images": ["31", 0]}}
    });
    let path = dir.join("workflow_api.json");
    std::fs::write(&path, workflow.to_string()).unwrap();
    path
}

#[test]
fn user_workflow_is_patched_by_class_and_the_reference_is_uploaded() {
    let server = ComfyUi::start(Duration::ZERO);
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(&server.url);
    config.workflow = Some(user_workflow(dir.path()));
    config.sampler = Some("dpmpp_2m".into());
    let generator = Generator::new(config, dir.path().join("cache")).unwrap();
    let reference = dir.path().join("hero.png");
    std::fs::write(&reference, png_for_seed(5, 8, 8)).unwrap();
    let mut req = request(99);
    req.reference = Some(reference.clone());
    let image = generate(&generator, vec![req]).remove(0).unwrap();

    let graph = &server.graphs()[0];
    assert_eq!(
        graph["21"]["inputs"]["text"], "a heron at dawn",
        "positive found through ConditioningCombine"
    );
    assert_eq!(graph["22"]["inputs"]["text"], "blurry");
    assert_eq!(graph["30"]["inputs"]["seed"], 99);
    assert_eq!(graph["30"]["inputs"]["steps"], 3);
    assert_eq!(graph["30"]["inputs"]["sampler_name"], "dpmpp_2m");
    assert_eq!(
        graph["24"]["inputs"],
        json!({"width": 64, "height": 96, "batch_size": 1})
    );
    let uploaded = graph["25"]["inputs"]["image"].as_str().unwrap().to_string();
    let uploads = server.state.uploads.lock().unwrap();
    assert_eq!(
        uploads.get(&uploaded),
        Some(&std::fs::read(&reference).unwrap()),
        "LoadImage points at the uploaded reference"
    );
    assert_eq!(color_of(&image), seed_color(99));
}

#[test]
fn unpatchable_workflows_are_clear_errors() {
    let server = ComfyUi::start(Duration::ZERO);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no_sampler.json");
    std::fs::write(
        &path,
        json!({"1": {"class_type": "SaveImage", "inputs": {}}}).to_string(),
    )
    .unwrap();
    let mut cfg = config(&server.url);
    cfg.workflow = Some(path.clone());
    let error = failure_of(
        &Generator::new(cfg, dir.path().join("c")).unwrap(),
        request(1),
    );
    assert!(
        error.contains("no_sampler.json") && error.contains("no KSampler"),
        "{error}"
    );

    let ui = dir.path().join("ui.json");
    std::fs::write(
        &ui,
        json!({"nodes": [], "links": [], "version": 0.4}).to_string(),
    )
    .unwrap();
    let mut cfg = config(&server.url);
    cfg.workflow = Some(ui);
    let error = Generator::new(cfg, dir.path().join("c"))
        .err()
        .unwrap()
        .to_string();
    assert!(
        error.contains("UI format") && error.contains("API Format"),
        "{error}"
    );

    // A reference image with the built-in graph: said up front, nothing sent.
    let generator = Generator::new(config(&server.url), dir.path().join("c")).unwrap();
    let mut req = request(2);
    req.reference = Some(dir.path().join("any.png"));
    let error = failure_of(&generator, req);
    assert!(
        error.contains("comfyui backend does not support reference images"),
        "{error}"
    );
    assert!(server.graphs().is_empty());
}

#[test]
fn node_errors_and_execution_errors_quote_the_server() {
    let server = ComfyUi::start(Duration::ZERO);
    let dir = tempfile::tempdir().unwrap();
    // A model the server does not list fails before any request...
    let mut cfg = config(&server.url);
    cfg.model = Some("nope.safetensors".into());
    let unlisted = Generator::new(cfg, dir.path().join("a")).unwrap();
    let error = failure_of(&unlisted, request(1));
    assert!(
        error.contains("has no checkpoint (`ckpt_name`) \"nope.safetensors\"")
            && error.contains("v1-5-pruned-emaonly.safetensors"),
        "{error}"
    );
    assert_eq!(unlisted.requests_made(), 0);
    // ...and one inside a workflow is the server's node error, quoted.
    let workflow = dir.path().join("wf.json");
    let mut graph = storyreel::generate::backends::comfyui::builtin(Some("nope.safetensors"));
    graph["6"]["inputs"]["text"] = json!("a heron");
    std::fs::write(&workflow, graph.to_string()).unwrap();
    let mut cfg = config(&server.url);
    cfg.model = None;
    cfg.workflow = Some(workflow);
    let generator = Generator::new(cfg, dir.path().join("b")).unwrap();
    let error = failure_of(&generator, request(1));
    assert!(
        error.contains(&server.url)
            && error.contains("node 4 (CheckpointLoaderSimple)")
            && error.contains("ckpt_name: 'nope.safetensors' not in"),
        "{error}"
    );
    assert_eq!(
        generator.requests_made(),
        1,
        "a rejected workflow is not retried"
    );

    let generator = Generator::new(config(&server.url), dir.path().to_path_buf()).unwrap();
    let kept = generate(&generator, vec![request(2)]).remove(0).unwrap();
    server.set_fault(Fault::ExecutionError);
    let error = failure_of(&generator, request(3));
    assert!(
        error.contains(&server.url)
            && error.contains("would exceed allowed memory")
            && error.contains("KSampler"),
        "{error}"
    );
    assert!(kept.path.exists());
}

#[test]
fn api_prefix_is_tolerated() {
    let server = ComfyUi::start_with(Duration::ZERO, true, true);
    let dir = tempfile::tempdir().unwrap();
    let image = generate(
        &Generator::new(config(&server.url), dir.path().join("a")).unwrap(),
        vec![request(7)],
    )
    .remove(0)
    .unwrap();
    assert_eq!(color_of(&image), seed_color(7));
    let with_suffix = format!("{}/api", server.url);
    let image = generate(
        &Generator::new(config(&with_suffix), dir.path().join("b")).unwrap(),
        vec![request(8)],
    )
    .remove(0)
    .unwrap();
    assert_eq!(color_of(&image), seed_color(8));
}

#[test]
fn img2img_uploads_the_init_image_into_the_builtin_graph() {
    let server = ComfyUi::start(Duration::ZERO);
    let dir = tempfile::tempdir().unwrap();
    let init = dir.path().join("sheet.png");
    std::fs::write(&init, png_for_seed(4, 8, 8)).unwrap();
    let generator = Generator::new(config(&server.url), dir.path().join("cache")).unwrap();
    let mut req = request(12);
    req.init_image = Some(init);
    req.strength = Some(0.4);
    generate(&generator, vec![req]).remove(0).unwrap();
    let graph = &server.graphs()[0];
    let encode = node(graph, "VAEEncode");
    assert_eq!(encode.len(), 1);
    assert_eq!(
        graph["3"]["inputs"]["latent_image"],
        json!([encode[0].0, 0])
    );
    assert!((graph["3"]["inputs"]["denoise"].as_f64().unwrap() - 0.4).abs() < 1e-6);
    assert_eq!(server.state.uploads.lock().unwrap().len(), 1);
}

#[test]
fn cancel_interrupts_the_running_prompt_and_deletes_queued_ones() {
    let server = ComfyUi::start(Duration::from_millis(600));
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(&server.url);
    cfg.concurrency = 2;
    let generator = Generator::new(cfg, dir.path().to_path_buf()).unwrap();
    let cancel = AtomicBool::new(false);
    let results = std::thread::scope(|scope| {
        scope.spawn(|| {
            std::thread::sleep(Duration::from_millis(900));
            cancel.store(true, Ordering::SeqCst);
        });
        generator.generate((0..5).map(request).collect(), false, &|_| {}, &cancel)
    });
    // Both slots submit at once, so either of the first two may run (and finish) first.
    let finished = results.iter().filter(|r| r.is_ok()).count();
    let cancelled = results
        .iter()
        .filter(|r| matches!(r, Err(GenerateError::Cancelled)))
        .count();
    assert_eq!((finished, cancelled), (1, 4), "{results:?}");
    assert_eq!(server.state.interrupts.load(Ordering::SeqCst), 1);
    // One image was running, the next waited in the server's queue: both are deleted.
    assert_eq!(
        server.state.deleted.lock().unwrap().len(),
        2,
        "{:?}",
        server.state.deleted.lock().unwrap()
    );
}

#[test]
fn describe_lists_checkpoints_and_samplers() {
    let server = ComfyUi::start(Duration::ZERO);
    let generator = Generator::new(
        config(&server.url),
        tempfile::tempdir().unwrap().path().to_path_buf(),
    )
    .unwrap();
    let text = generator.describe().unwrap();
    assert!(
        text.contains("dreamshaper_8.safetensors")
            && text.contains("dpmpp_2m")
            && text.contains("karras"),
        "{text}"
    );
}
