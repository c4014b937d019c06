//! Nothing a server sends reaches the user raw: secrets it echoes are redacted, escape sequences
//! are shown escaped, and bytes that are not an image are called what they are. Story text in
//! tables is neutralised the same way.

use crate::common;
use crate::generate_support;

use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use axum::{Json, Router};
use base64::Engine as _;
use common::{stderr, stdout, BIN};
use serde_json::{json, Value};
use std::process::Command;

/// Like OpenAI's `/v1/images/generations`, but hostile: prompt "echo" gets a 401 that quotes the
/// Authorization header between terminal escapes; prompt "junk" gets 16 bytes that start like
/// a GIF and are not one.
fn hostile_server() -> String {
    let generations = |headers: HeaderMap, Json(body): Json<Value>| async move {
        let auth = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        if body["prompt"].as_str().is_some_and(|p| p.contains("echo")) {
            let message =
                format!("Boom \x1b]0;PWNED-TITLE\x07\x1b[2J Incorrect API key provided: {auth}");
            let error = json!({"error": {"message": message, "type": "invalid_request_error"}});
            return (StatusCode::UNAUTHORIZED, Json(error)).into_response();
        }
        let junk = base64::engine::general_purpose::STANDARD
            .encode(b"GIF89a\x1b[2J\x00\x00\xff\xfe\x01\x02");
        Json(json!({"created": 1, "data": [{"b64_json": junk}]})).into_response()
    };
    let router = Router::new().route("/v1/images/generations", post(generations));
    generate_support::spawn_server(router)
}

fn run(source: &str) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("s.rhai");
    std::fs::write(&script, source).unwrap();
    Command::new(BIN)
        .arg("run")
        .arg(&script)
        .arg("--out")
        .arg(dir.path().join("ws"))
        .env("OPENAI_API_KEY", "sk-test-SECRET-4711")
        .output()
        .unwrap()
}

fn has_raw_controls(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
}

#[test]
fn an_echoed_key_and_escape_codes_never_reach_the_terminal() {
    let url = hostile_server();
    let out = run(&format!(
        "backend(\"openai\", #{{ url: \"{url}/v1\" }});\nsd_generate(\"echo the key\");\n"
    ));
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("answered HTTP 401"), "{err}");
    assert!(!err.contains("SECRET"), "the key leaked: {err}");
    assert!(err.contains("Bearer [redacted]"), "{err}");
    assert!(!has_raw_controls(&err), "raw control characters: {err:?}");
    assert!(err.contains(r"\u{1b}]0;PWNED-TITLE\u{7}"), "{err}");
}

#[test]
fn bytes_that_are_not_an_image_are_called_so() {
    let url = hostile_server();
    let out = run(&format!(
        "backend(\"openai\", #{{ url: \"{url}/v1\" }});\nsd_generate(\"junk please\");\n"
    ));
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("the server's answer was not an image: 16 bytes of binary data, beginning \"GIF89a\\x1b[2J\\x00\\x00\\xff\\xfe"),
        "{err}"
    );
    assert!(!has_raw_controls(&err), "{err:?}");
}

#[test]
fn escapes_in_story_text_are_neutralised_in_tables() {
    let out = run(
        "let s = story(\"Title \\x1b]0;PWNED\\x07\", \"Anna \\x1b[2J walked to the mill.\");\ns\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Anna"), "{text}");
    assert!(!has_raw_controls(&text), "{text:?}");
    assert!(text.contains(r"\u{1b}[2J"), "{text}");
}

const LONG_KEY: &str = "sk-proj-Q8vN3kLm2Xp9Tr4Wz7Yb1Hc6Jd0Fg5Ks";

/// Like OpenAI, but its 401 quotes the key in the form the prompt names: upper-cased, with
/// spaces between its characters, or only its first and last 12 characters.
fn quoting_server() -> String {
    let generations = |headers: HeaderMap, Json(body): Json<Value>| async move {
        let key = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("")
            .to_string();
        let prompt = body["prompt"].as_str().unwrap_or("");
        let quoted = if prompt.contains("upper") {
            key.to_uppercase()
        } else if prompt.contains("spaced") {
            key.chars().map(|c| format!("{c} ")).collect()
        } else {
            let n = key.len();
            format!("{}...{}", &key[..12.min(n)], &key[n.saturating_sub(12)..])
        };
        let message =
            format!("Incorrect API key provided: {quoted}. Find your key at the dashboard.");
        let error = json!({"error": {"message": message, "type": "invalid_request_error"}});
        (StatusCode::UNAUTHORIZED, Json(error)).into_response()
    };
    generate_support::spawn_server(Router::new().route("/v1/images/generations", post(generations)))
}

#[test]
fn a_key_quoted_in_any_form_is_redacted() {
    let url = quoting_server();
    for form in ["upper", "spaced", "ends"] {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("s.rhai");
        std::fs::write(
            &script,
            format!(
                "backend(\"openai\", #{{ url: \"{url}/v1\" }});\nsd_generate(\"{form} key\");\n"
            ),
        )
        .unwrap();
        let out = Command::new(BIN)
            .arg("run")
            .arg(&script)
            .arg("--out")
            .arg(dir.path().join("ws"))
            .env("OPENAI_API_KEY", LONG_KEY)
            .output()
            .unwrap();
        let err = stderr(&out);
        assert!(
            err.contains("Incorrect API key provided: [redacted]"),
            "{form}: {err}"
        );
        let letters: String = err
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_lowercase();
        for piece in ["q8vn3klm", "hc6jd0fg5ks", "2xp9tr4w"] {
            assert!(!letters.contains(piece), "{form}: {piece} leaked in {err}");
        }
        assert!(
            err.contains(". Find your key at the dashboard."),
            "{form}: {err}"
        );
    }
}
