//! HTTP plumbing shared by the server backends: one client per server, error
//! mapping that names the server, and turning whatever a server sends into a PNG.

use std::io::Cursor;
use std::time::Duration;

use base64::Engine as _;
use reqwest::{Client, RequestBuilder};
use serde_json::Value;

use crate::generate::error::GenerateError;
use crate::server_message::{error_chain, not_an_image, preview, server_message};

/// How long a request asking a server to stop may take: Ctrl-C returns within a
/// second even when two are needed (ComfyUI: the queue, then the running prompt).
const STOP_TIMEOUT: Duration = Duration::from_millis(450);

/// How long a probe waits for a connection and an answer.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

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
        let retry_after = retry_after(response.headers());
        let cap = body_cap(status);
        let (body, cut) = read_capped(response, cap)
            .await
            .map_err(|e| self.transport_error(e))?;
        if is_busy(status, retry_after.is_some(), &body) {
            return Err(GenerateError::Busy {
                url: self.url.clone(),
                status,
                message: server_message(status, &body),
                retry_after,
            });
        }
        if cut && (200..300).contains(&status) {
            return Err(self.bad(format!(
                "the answer is larger than the {} MB an answer may have; the rest was not read",
                cap >> 20
            )));
        }
        Ok((status, body))
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

    /// A POST without a body that says so: with no `Content-Length`, sd-server
    /// waits seconds for a body before it answers.
    pub fn empty_post(&self, path: &str) -> RequestBuilder {
        self.client
            .post(self.at(path))
            .header(reqwest::header::CONTENT_LENGTH, "0")
    }

    /// Sends a request asking the server to stop something; best effort, and quick.
    /// The answer's status, when one came.
    pub async fn stop(&self, request: RequestBuilder) -> Option<u16> {
        // Not through `send_raw`, whose timeout is the long one for images.
        let response = request.timeout(STOP_TIMEOUT).send().await.ok()?;
        let status = response.status().as_u16();
        let _ = read_capped(response, ERROR_BODY_CAP).await;
        Some(status)
    }

    /// Whether anything answers at this address. Any HTTP status will do, and so
    /// does a server that takes the connection but is too busy to answer quickly.
    pub async fn probe(&self) -> Result<(), GenerateError> {
        match self
            .client
            .head(self.at("/"))
            .timeout(PROBE_TIMEOUT)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if e.is_timeout() && !e.is_connect() => Ok(()),
            Err(e) => Err(self.transport_error(e)),
        }
    }

    fn transport_error(&self, e: reqwest::Error) -> GenerateError {
        if e.is_timeout() && !e.is_connect() {
            return GenerateError::Timeout {
                url: self.url.clone(),
                secs: self.timeout.as_secs_f64(),
            };
        }
        // The root cause ("Connection refused") is what helps.
        let cause = error_chain(&e).pop().unwrap_or_default();
        GenerateError::Unreachable {
            url: self.url.clone(),
            cause,
        }
    }
}

/// The most of an error body kept: a message needs kilobytes, and a hostile or broken server
/// may send gigabytes or never stop.
pub const ERROR_BODY_CAP: usize = 64 << 10;
/// The most an answer may hold: a batch of large images as base64 JSON is tens of MB.
pub const ANSWER_BODY_CAP: usize = 64 << 20;

/// How much of a body with this status is read.
pub fn body_cap(status: u16) -> usize {
    if (200..300).contains(&status) {
        ANSWER_BODY_CAP
    } else {
        ERROR_BODY_CAP
    }
}

/// At most `cap` bytes of a body, chunk by chunk, and whether more was coming; the rest is
/// never read (dropping the response closes the connection).
pub async fn read_capped(
    mut response: reqwest::Response,
    cap: usize,
) -> Result<(Vec<u8>, bool), reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = cap - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Ok((body, true));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body, false))
}

/// Whether an answer says "busy, ask later" rather than "this request is wrong":
/// 429 (rate limits, the Horde's 2 per second), a 503 that says when to come back,
/// and a 503 about a full queue (A1111 behind a queueing front, SD.Next).
fn is_busy(status: u16, has_retry_after: bool, body: &[u8]) -> bool {
    let full_queue = || {
        let text = String::from_utf8_lossy(&body[..body.len().min(2048)]).to_lowercase();
        text.contains("queue") && text.contains("full")
    };
    status == 429 || (status == 503 && (has_retry_after || full_queue()))
}

/// `Retry-After` in seconds (the HTTP-date form is rare from image servers; without a
/// number the pool backs off on its own).
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    let secs: f64 = value.trim().parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(86_400.0)))
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
    let format = image::guess_format(&bytes).map_err(|_| http.bad(not_an_image(&bytes)))?;
    let decoded = image::load_from_memory_with_format(&bytes, format).map_err(|e| {
        http.bad(format!(
            "{} (it starts like a {format:?} image, but: {e})",
            not_an_image(&bytes)
        ))
    })?;
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
