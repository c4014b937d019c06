//! What an HTTP server's error body says, whichever dialect it speaks: image servers and speech
//! servers share the shapes (FastAPI, A1111, ComfyUI, OpenAI-style).

use serde_json::Value;

/// An error and each of its causes, outermost first: reqwest's own text is generic, and the
/// cause that helps ("Connection refused") sits at the end of the chain.
pub fn error_chain(error: &dyn std::error::Error) -> Vec<String> {
    let mut chain = vec![error.to_string()];
    let mut source = error.source();
    while let Some(cause) = source {
        chain.push(cause.to_string());
        source = cause.source();
    }
    chain
}

/// The first bytes of a body, as text, for messages.
pub fn preview(body: &[u8]) -> String {
    String::from_utf8_lossy(&body[..body.len().min(120)]).into_owned()
}

/// The human part of an error body, whatever the server's dialect:
/// FastAPI 422 `detail` lists, A1111's `{error, detail, errors}`, Forge's plain
/// `{detail}`, sd.cpp's `{error, message}`, ComfyUI's `{error:{message,details}}`, or text.
pub fn server_message(status: u16, body: &[u8]) -> String {
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
    use super::server_message;

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
