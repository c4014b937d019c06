//! HTTP plumbing shared by the server backends: one client per server, error
//! mapping that names the server, and turning whatever a server sends into a PNG.

use std::error::Error as _;
use std::io::Cursor;
use std::time::Duration;

use base64::Engine as _;
use reqwest::{Client, RequestBuilder};
use serde_json::Value;

use crate::generate::error::GenerateError;

#[derive(Debug, Clone)]
pub struct Http {
    pub client: Client,
    /// Base URL without a trailing slash; named in every error.
    pub url: String,
    pub timeout: Duration,
}

impl Http {
    pub fn new(url: &str, timeout: Duration) -> Result<Self, GenerateError> {
        let client = Client::builder()
            .connect_timeout(Duration::from_secs(10).min(timeout))
            .build()
            .map_err(|e| GenerateError::Other(format!("cannot set up an HTTP client: {e}")))?;
        Ok(Http {
            client,
            url: url.to_string(),
            timeout,
        })
    }

    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// Sends a request and returns the body of a 2xx answer; anything else becomes
    /// an error quoting the server's own message.
    pub async fn send(&self, request: RequestBuilder) -> Result<Vec<u8>, GenerateError> {
        let (status, body) = self.send_raw(request).await?;
        if (200..300).contains(&status) {
            Ok(body)
        } else {
            Err(GenerateError::Server {
                url: self.url.clone(),
                status,
                message: server_message(status, &body),
            })
        }
    }

    /// Like `send` but hands back any status, for routes whose errors carry structure.
    pub async fn send_raw(&self, request: RequestBuilder) -> Result<(u16, Vec<u8>), GenerateError> {
        let response = request
            .timeout(self.timeout)
            .send()
            .await
            .map_err(|e| self.transport_error(e))?;
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .await
            .map_err(|e| self.transport_error(e))?;
        Ok((status, body.to_vec()))
    }

    pub async fn get_json(&self, path: &str) -> Result<Value, GenerateError> {
        let body = self.send(self.client.get(self.at(path))).await?;
        self.parse_json(&body)
    }

    pub fn parse_json(&self, body: &[u8]) -> Result<Value, GenerateError> {
        serde_json::from_slice(body).map_err(|e| GenerateError::BadResponse {
            url: self.url.clone(),
            cause: format!("expected JSON ({e}); it began with {:?}", preview(body)),
        })
    }

    pub fn bad(&self, cause: impl Into<String>) -> GenerateError {
        GenerateError::BadResponse {
            url: self.url.clone(),
            cause: cause.into(),
        }
    }

    fn transport_error(&self, e: reqwest::Error) -> GenerateError {
        if e.is_timeout() {
            return GenerateError::Timeout {
                url: self.url.clone(),
                secs: self.timeout.as_secs_f64(),
            };
        }
        // reqwest's own text is generic; the root cause ("Connection refused") is what helps.
        let mut cause = e.to_string();
        let mut source = e.source();
        while let Some(inner) = source {
            cause = inner.to_string();
            source = inner.source();
        }
        GenerateError::Unreachable {
            url: self.url.clone(),
            cause,
        }
    }
}

fn preview(body: &[u8]) -> String {
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

/// Decodes a base64 image (bare or `data:` URL) into PNG bytes.
pub fn png_from_base64(http: &Http, encoded: &str) -> Result<Vec<u8>, GenerateError> {
    let bare = match encoded.split_once(";base64,") {
        Some((head, rest)) if head.starts_with("data:") => rest,
        _ => encoded,
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(bare.trim())
        .map_err(|e| http.bad(format!("the image is not valid base64 ({e})")))?;
    png_from_bytes(http, bytes)
}

/// Checks that bytes are a decodable image and returns them as PNG (re-encoding a
/// JPEG or other format), so the cache only ever holds PNGs.
pub fn png_from_bytes(http: &Http, bytes: Vec<u8>) -> Result<Vec<u8>, GenerateError> {
    let format = image::guess_format(&bytes).map_err(|_| {
        http.bad(format!(
            "the image data is not an image (it began with {:?})",
            preview(&bytes[..bytes.len().min(16)])
        ))
    })?;
    let decoded = image::load_from_memory_with_format(&bytes, format)
        .map_err(|e| http.bad(format!("the {format:?} image cannot be decoded: {e}")))?;
    if format == image::ImageFormat::Png {
        return Ok(bytes);
    }
    let mut png = Vec::new();
    decoded
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(|e| http.bad(format!("cannot convert the image to PNG: {e}")))?;
    Ok(png)
}

pub fn base64_of(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
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
