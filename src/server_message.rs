//! What an HTTP server's error body says, whichever dialect it speaks: image servers and speech
//! servers share the shapes (FastAPI, A1111, ComfyUI, OpenAI-style).
//!
//! This is also the boundary where a server's text becomes ours: every text taken from a server
//! passes [`clean`], so no secret the program holds is echoed back to the user and no escape
//! sequence reaches a terminal.

use std::sync::Mutex;

use crate::redact::{redact, Secret};

use base64::Engine as _;
use serde_json::Value;

static SECRETS: Mutex<Vec<Secret>> = Mutex::new(Vec::new());

/// Registers a credential sent to a server (an API key, `user:pass`), so that any message that
/// quotes it back (a server echoing its `Authorization` header), in any form (see
/// [`crate::redact`]), shows `[redacted]` instead.
pub fn remember_secret(secret: &str) {
    if secret.trim().len() < 4 {
        return;
    }
    let mut forms = vec![secret.to_string()];
    forms.push(base64::engine::general_purpose::STANDARD.encode(secret));
    if let Some((_, pass)) = secret.split_once(':').filter(|(_, p)| p.len() >= 4) {
        forms.push(pass.to_string());
    }
    let mut secrets = SECRETS.lock().unwrap_or_else(|p| p.into_inner());
    for form in forms.iter().filter_map(|f| Secret::new(f)) {
        if !secrets.contains(&form) {
            secrets.push(form);
        }
    }
}

/// Text from a server (or a story) made safe to print: secrets redacted, `Bearer`/`Basic`
/// credentials hidden, and control characters (ANSI/OSC escapes that could retitle the window
/// or clear the screen) shown escaped. Newlines and tabs stay.
pub fn clean(text: &str) -> String {
    let text = redact(text, &SECRETS.lock().unwrap_or_else(|p| p.into_inner()));
    neutralise_controls(&hide_credentials(&text))
}

/// `Bearer TOKEN` and `Basic BASE64`, whatever the token: a server may echo a header the
/// program never registered (a key read by a library, a proxy's).
fn hide_credentials(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let found = ["Bearer ", "bearer ", "Basic ", "basic "]
            .iter()
            .filter_map(|scheme| rest.find(scheme).map(|at| (at, scheme.len())))
            .min();
        let Some((at, len)) = found else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..at + len]);
        rest = &rest[at + len..];
        let token = rest
            .find(|c: char| c.is_whitespace() || "\"',;)}]".contains(c))
            .unwrap_or(rest.len());
        if token >= 8 && rest[..token] != *"[redacted]" {
            out.push_str("[redacted]");
            rest = &rest[token..];
        }
    }
}

/// Control characters other than newline and tab, shown as `\u{1b}`: text stays readable and
/// the terminal interprets nothing.
pub fn neutralise_controls(text: &str) -> String {
    if !text.chars().any(is_unsafe_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if is_unsafe_control(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn is_unsafe_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// An error and each of its causes, outermost first: reqwest's own text is generic, and the
/// cause that helps ("Connection refused") sits at the end of the chain.
pub fn error_chain(error: &dyn std::error::Error) -> Vec<String> {
    let mut chain = vec![clean(&error.to_string())];
    let mut source = error.source();
    while let Some(cause) = source {
        chain.push(clean(&cause.to_string()));
        source = cause.source();
    }
    chain
}

/// The first bytes of a body, as text, for messages.
pub fn preview(body: &[u8]) -> String {
    clean(&String::from_utf8_lossy(&body[..body.len().min(120)]))
}

/// What a server sent instead of an image: its kind and first bytes, escaped.
pub fn not_an_image(body: &[u8]) -> String {
    let text = std::str::from_utf8(body).ok();
    let kind = match text.map(str::trim_start) {
        Some(t) if t.starts_with('{') || t.starts_with('[') => "JSON text",
        Some(t) if t.starts_with('<') => "HTML or XML",
        Some(_) => "text",
        None => "binary data",
    };
    let head: String = body
        .iter()
        .take(16)
        .flat_map(|&b| std::ascii::escape_default(b))
        .map(char::from)
        .collect();
    format!(
        "the server's answer was not an image: {} bytes of {kind}, beginning \"{}\"",
        body.len(),
        clean(&head)
    )
}

/// The human part of an error body, whatever the server's dialect:
/// FastAPI 422 `detail` lists, A1111's `{error, detail, errors}`, Forge's plain
/// `{detail}`, sd.cpp's `{error, message}`, ComfyUI's `{error:{message,details}}`, or text.
pub fn server_message(status: u16, body: &[u8]) -> String {
    clean(&dialect_message(status, body))
}

fn dialect_message(status: u16, body: &[u8]) -> String {
    let Ok(json) = serde_json::from_slice::<Value>(body) else {
        let text = preview(body).trim().to_string();
        return if text.is_empty() {
            format!("no message (HTTP {status})")
        } else {
            text
        };
    };
    if let Some(list) = json.get("detail").and_then(Value::as_array) {
        let parts: Vec<String> = list
            .iter()
            .map(|d| {
                let loc: Vec<String> = d
                    .get("loc")
                    .and_then(Value::as_array)
                    .map(|l| l.iter().skip(1).map(json_text).collect())
                    .unwrap_or_default();
                let msg = d.get("msg").map(json_text).unwrap_or_default();
                if loc.is_empty() {
                    msg
                } else {
                    format!("{}: {msg}", loc.join("."))
                }
            })
            .collect();
        return parts.join("; ");
    }
    let field = |name: &str| json.get(name).map(json_text).filter(|s| !s.is_empty());
    if let Some(error) = json.get("error").filter(|e| e.is_object()) {
        let message = error.get("message").map(json_text).unwrap_or_default();
        let details = error.get("details").map(json_text).unwrap_or_default();
        return [message, details]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(": ");
    }
    match (
        field("error"),
        field("errors")
            .or_else(|| field("detail"))
            .or_else(|| field("message")),
    ) {
        (Some(kind), Some(text)) if kind != text => format!("{kind}: {text}"),
        (Some(text), _) | (None, Some(text)) => text,
        (None, None) => preview(body),
    }
}

fn json_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_and_escapes_never_come_back_from_a_server() {
        remember_secret("sk-test-SECRET-4711");
        remember_secret("alice:pa55word");
        let echo =
            br#"{"error":{"message":"Incorrect API key provided: Bearer sk-test-SECRET-4711"}}"#;
        let shown = server_message(401, echo);
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(shown.contains("[redacted]"), "{shown}");
        let basic = "Authorization: Basic YWxpY2U6cGE1NXdvcmQ= rejected for alice:pa55word";
        let shown = server_message(401, basic.as_bytes());
        assert!(
            !shown.contains("YWxpY2U6cGE1NXdvcmQ") && !shown.contains("pa55word"),
            "{shown}"
        );
        // An unknown token after a scheme is hidden too.
        assert_eq!(clean("got Bearer abcdefghijkl."), "got Bearer [redacted]");

        let hostile = "Boom \x1b]0;PWNED-TITLE\x07 \x1b[2J\u{9b}31m\nnext\tline";
        let shown = server_message(500, hostile.as_bytes());
        assert!(
            !shown
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t'),
            "{shown:?}"
        );
        assert!(shown.contains("\\u{1b}]0;PWNED-TITLE\\u{7}"), "{shown}");
        assert!(shown.ends_with("\nnext\tline"), "{shown:?}");
    }

    #[test]
    fn non_image_answers_say_what_they_were() {
        let gif_magic = b"GIF89a\x1b[2J\x00\x00\xff\xfe\x01\x02";
        let said = not_an_image(gif_magic);
        assert!(
            said.starts_with("the server's answer was not an image: 16 bytes of binary data"),
            "{said}"
        );
        assert!(said.contains(r"GIF89a\x1b[2J\x00\x00\xff\xfe"), "{said}");
        assert!(!said.contains('\x1b'));
        assert!(not_an_image(b"<html>busy</html>")
            .contains("17 bytes of HTML or XML, beginning \"<html>busy</html\""));
    }

    #[test]
    fn every_error_dialect_yields_its_message() {
        let fastapi = br#"{"detail":[{"loc":["body","steps"],"msg":"value is not a valid integer","type":"type_error.integer"}]}"#;
        assert_eq!(
            server_message(422, fastapi),
            "steps: value is not a valid integer"
        );
        let middleware =
            br#"{"error":"OutOfMemoryError","detail":"","body":"","errors":"CUDA out of memory"}"#;
        assert_eq!(
            server_message(500, middleware),
            "OutOfMemoryError: CUDA out of memory"
        );
        assert_eq!(
            server_message(400, br#"{"detail":"Sampler not found"}"#),
            "Sampler not found"
        );
        assert_eq!(
            server_message(400, br#"{"error":"prompt required"}"#),
            "prompt required"
        );
        let sdcpp =
            br#"{"error":"server_error","message":"[json.exception.parse_error.101] parse error"}"#;
        assert_eq!(
            server_message(500, sdcpp),
            "server_error: [json.exception.parse_error.101] parse error"
        );
        let comfy = br#"{"error":{"type":"no_prompt","message":"No prompt provided","details":"","extra_info":{}},"node_errors":{}}"#;
        assert_eq!(server_message(400, comfy), "No prompt provided");
        assert_eq!(
            server_message(
                500,
                b"500 Internal Server Error\n\nServer got itself in trouble"
            ),
            "500 Internal Server Error\n\nServer got itself in trouble"
        );
        assert_eq!(server_message(404, b""), "no message (HTTP 404)");
    }
}
