//! The OpenAI-style client against a small stand-in `/v1/images/generations`.

use crate::generate_support;

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use generate_support::{png_for_seed, seed_color, spawn_server};
use serde_json::{json, Value};
use storyreel::generate::{BackendConfig, BackendKind, Generator, ImageRequest, Lora};

type Seen = Arc<Mutex<Vec<(Value, Option<String>)>>>;

fn start() -> (String, Seen) {
    let seen: Seen = Arc::default();
    let generations = |State(seen): State<Seen>, headers: HeaderMap, Json(body): Json<Value>| async move {
        let auth = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(String::from);
        seen.lock().unwrap().push((body, auth));
        let png = base64::engine::general_purpose::STANDARD.encode(png_for_seed(21, 32, 32));
        Json(json!({"created": 1, "data": [{"b64_json": png, "revised_prompt": "a revised fox"}]}))
    };
    let models = || async { Json(json!({"data": [{"id": "gpt-image-1"}]})) };
    let router = Router::new()
        .route("/v1/images/generations", post(generations))
        .route("/v1/models", get(models))
        .with_state(seen.clone());
    (spawn_server(router), seen)
}

#[test]
fn openai_style_request_reply_and_key_from_the_environment() {
    let (url, seen) = start();
    std::env::set_var("STORYREEL_TEST_OPENAI_KEY", "sk-test");
    let mut config = BackendConfig::new(BackendKind::OpenAi).with_urls([format!("{url}/v1")]);
    config.model = Some("gpt-image-1".into());
    config.auth_env = Some("STORYREEL_TEST_OPENAI_KEY".into());
    let dir = tempfile::tempdir().unwrap();
    let generator = Generator::new(config, dir.path().to_path_buf()).unwrap();
    let request = ImageRequest {
        width: 1024,
        height: 1024,
        ..ImageRequest::new("a fox", 21)
    };
    let image = generator
        .generate(
            vec![request.clone()],
            false,
            &|_| {},
            &AtomicBool::new(false),
        )
        .remove(0)
        .unwrap();

    let (body, auth) = seen.lock().unwrap()[0].clone();
    assert_eq!(
        body,
        json!({"model": "gpt-image-1", "prompt": "a fox", "n": 1, "size": "1024x1024", "response_format": "b64_json"})
    );
    assert_eq!(auth.as_deref(), Some("Bearer sk-test"));
    assert_eq!(
        image::open(&image.path)
            .unwrap()
            .to_rgb8()
            .get_pixel(0, 0)
            .0,
        seed_color(21)
    );
    assert_eq!(image.sidecar.info["revised_prompt"], "a revised fox");
    assert!(generator.describe().unwrap().contains("gpt-image-1"));

    // LoRAs cannot be honoured here: an error that says so, and nothing is sent.
    let mut with_lora = request;
    with_lora.loras = vec![Lora::parse("hero:0.7").unwrap()];
    let error = generator
        .generate(vec![with_lora], false, &|_| {}, &AtomicBool::new(false))
        .remove(0)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("openai backend does not support LoRAs"),
        "{error}"
    );
    assert_eq!(seen.lock().unwrap().len(), 1);
}
