//! What kind of server answers at an address, asked when a generation route is
//! missing there, so the error can say which `backend(...)` kind would fit.

use std::time::Duration;

use serde_json::Value;

use super::http::Http;
use crate::generate::config::BackendKind;
use crate::generate::error::GenerateError;

/// Each question gets this long: the server already answered the failed request.
const ASK_TIMEOUT: Duration = Duration::from_secs(2);

/// Turns a 404/405 from a generation route into an error that names the route and
/// what the server seems to be; other errors pass unchanged.
pub async fn explain_missing_route(
    http: &Http,
    kind: BackendKind,
    route: &str,
    error: GenerateError,
) -> GenerateError {
    let GenerateError::Server { status, .. } = &error else {
        return error;
    };
    if !matches!(status, 404 | 405) {
        return error;
    }
    let hint = match identify(http).await {
        Some((found, name)) if found != kind => {
            format!(
                "it answers like {name}: use backend(\"{}\", …)",
                found.name()
            )
        }
        Some((_, name)) => format!(
            "it answers like {name}, but without this route: is it an older version, or started without its API?"
        ),
        None => "nothing there answers like an image server this tool knows (AUTOMATIC1111/Forge \
                 started with --api, sd-server, ComfyUI, an OpenAI-style server, the AI Horde): check the address and port"
            .to_string(),
    };
    GenerateError::MissingRoute {
        url: http.url.clone(),
        route: route.to_string(),
        status: *status,
        hint,
    }
}

/// The kind of server at `http`, with a name for people, when it is one we know.
pub async fn identify(http: &Http) -> Option<(BackendKind, &'static str)> {
    if let Some(stats) = ask(http, "/system_stats").await {
        if stats.get("system").is_some_and(Value::is_object) {
            return Some((BackendKind::ComfyUi, "ComfyUI"));
        }
    }
    if let Some(options) = ask(http, "/sdapi/v1/options").await {
        if options.is_object() {
            // sd-server has the A1111 routes but no `/progress`.
            return Some(match ask(http, "/sdapi/v1/progress").await {
                Some(_) => (BackendKind::A1111, "AUTOMATIC1111/Forge"),
                None => (BackendKind::SdCpp, "stable-diffusion.cpp's sd-server"),
            });
        }
    }
    if let Some(models) = ask(http, "/v1/models").await {
        if models.get("data").is_some_and(Value::is_array) {
            return Some((BackendKind::OpenAi, "an OpenAI-style server"));
        }
    }
    if let Some(beat) = ask(http, "/api/v2/status/heartbeat").await {
        if beat.get("version").is_some() {
            return Some((BackendKind::Horde, "the AI Horde"));
        }
    }
    None
}

/// The JSON of a 200 answer to a GET, if any, within [`ASK_TIMEOUT`] (bounded here:
/// `send_raw` sets the client's own, long, timeout on the request).
async fn ask(http: &Http, path: &str) -> Option<Value> {
    let request = http.client.get(http.at(path));
    match tokio::time::timeout(ASK_TIMEOUT, http.send_raw(request)).await {
        Ok(Ok((200, body))) => serde_json::from_slice(&body).ok(),
        _ => None,
    }
}
