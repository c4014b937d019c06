//! Errors that tell which server is which: a backend pointed at the wrong kind of
//! server, or at something that is no image server at all, says so and names the
//! `backend(...)` kind that would fit.

use crate::generate_support;

use std::time::Duration;

use generate_support::a1111::A1111;
use generate_support::comfyui::ComfyUi;
use generate_support::{failure_of, spawn_server};
use storyreel::generate::{BackendConfig, BackendKind, Generator, ImageRequest};

fn request() -> ImageRequest {
    ImageRequest {
        steps: 2,
        width: 64,
        height: 64,
        ..ImageRequest::new("a heron at dawn", 5)
    }
}

fn failure(kind: BackendKind, url: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let config = BackendConfig::new(kind).with_urls([url]);
    failure_of(
        &Generator::new(config, dir.path().into()).unwrap(),
        request(),
    )
}

#[test]
fn a1111_pointed_at_comfyui_says_it_is_comfyui() {
    let comfy = ComfyUi::start(Duration::ZERO);
    let error = failure(BackendKind::A1111, &comfy.url);
    assert!(
        error.contains("POST /sdapi/v1/txt2img")
            && error.contains("HTTP 405")
            && error.contains("ComfyUI")
            && error.contains("backend(\"comfyui\""),
        "{error}"
    );
}

#[test]
fn comfyui_pointed_at_a1111_says_it_is_a1111() {
    let a1111 = A1111::start(Duration::ZERO);
    let error = failure(BackendKind::ComfyUi, &a1111.url);
    assert!(
        error.contains("POST /prompt")
            && error.contains("AUTOMATIC1111")
            && error.contains("backend(\"a1111\""),
        "{error}"
    );
}

#[test]
fn an_address_with_no_image_server_says_to_check_it() {
    // Some other web service: every route is 404 with an empty body.
    let url = spawn_server(axum::Router::new());
    let error = failure(BackendKind::A1111, &url);
    assert!(
        error.contains("has no POST /sdapi/v1/txt2img (HTTP 404)")
            && error.contains("check the address and port"),
        "{error}"
    );
}
