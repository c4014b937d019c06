//! Reading what ComfyUI says: websocket events, `/prompt` rejections, history.

use serde_json::Value;
use tokio::net::TcpStream;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

pub enum Event {
    Step(u32, u32),
    Done,
    Failed(String),
    Interrupted,
    Other,
}

/// What a websocket message means for our prompt (messages of others are `Other`).
pub fn classify(event: &Value, prompt_id: &str) -> Event {
    let data = &event["data"];
    if data.get("prompt_id").and_then(Value::as_str) != Some(prompt_id) {
        return Event::Other;
    }
    match event["type"].as_str().unwrap_or("") {
        "progress" => match (data["value"].as_u64(), data["max"].as_u64()) {
            (Some(at), Some(of)) => Event::Step(at as u32, of as u32),
            _ => Event::Other,
        },
        // `executing` with `node: null` is the end signal, also after errors.
        "executing" if data["node"].is_null() => Event::Done,
        "execution_success" => Event::Done,
        "execution_error" => Event::Failed(format!(
            "node {} ({}) raised {}: {}",
            text(&data["node_id"]),
            text(&data["node_type"]),
            text(&data["exception_type"]),
            text(&data["exception_message"]).trim()
        )),
        "execution_interrupted" => Event::Interrupted,
        _ => Event::Other,
    }
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "?".into(),
        other => other.to_string(),
    }
}

/// Binary frame: u32be event (1 = image), u32be format (2 = PNG), then the bytes.
pub fn binary_png(frame: &[u8]) -> Option<Vec<u8>> {
    if frame.len() > 8 && frame[..4] == [0, 0, 0, 1] && frame[4..8] == [0, 0, 0, 2] {
        Some(frame[8..].to_vec())
    } else {
        None
    }
}

/// The message of a rejected prompt: `error` (a string in old builds, an object
/// in new ones) plus each node's errors. None when there is nothing to complain about.
pub fn rejection(reply: &Value) -> Option<String> {
    let mut parts = Vec::new();
    match &reply["error"] {
        Value::String(s) => parts.push(s.clone()),
        Value::Object(error) => {
            let message = error
                .get("message")
                .map(text)
                .unwrap_or_else(|| text(&error["type"]));
            let details = error.get("details").map(text).unwrap_or_default();
            parts.push(if details.is_empty() {
                message
            } else {
                format!("{message}: {details}")
            });
        }
        _ => {}
    }
    if let Some(nodes) = reply["node_errors"].as_object() {
        for (id, node) in nodes {
            for error in node["errors"].as_array().into_iter().flatten() {
                parts.push(format!(
                    "node {id} ({}): {}: {}",
                    text(&node["class_type"]),
                    text(&error["message"]),
                    text(&error["details"])
                ));
            }
        }
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// An error reported in a history entry's status messages.
pub fn history_error(entry: &Value) -> String {
    entry["status"]["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|m| m[0] == "execution_error")
        .map(|m| {
            format!(
                "node {} ({}): {}",
                text(&m[1]["node_id"]),
                text(&m[1]["node_type"]),
                text(&m[1]["exception_message"]).trim()
            )
        })
        .next()
        .unwrap_or_else(|| "the prompt ended with status \"error\"".into())
}

pub struct ImageRef {
    pub filename: String,
    pub subfolder: String,
    pub kind: String,
}

/// The first saved image in a history entry's outputs (by node id order).
pub fn first_image(entry: &Value) -> Option<ImageRef> {
    let outputs = entry["outputs"].as_object()?;
    let mut ids: Vec<&String> = outputs.keys().collect();
    ids.sort_by_key(|id| (id.parse::<u64>().unwrap_or(u64::MAX), id.to_string()));
    ids.into_iter().find_map(|id| {
        let image = outputs[id]["images"]
            .as_array()?
            .iter()
            .find(|i| i["type"] != "temp")?;
        Some(ImageRef {
            filename: image["filename"].as_str()?.to_string(),
            subfolder: image["subfolder"].as_str().unwrap_or("").to_string(),
            kind: image["type"].as_str().unwrap_or("output").to_string(),
        })
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn rejections_in_old_and_new_styles() {
        assert_eq!(
            rejection(&json!({"error": "no prompt", "node_errors": []})).unwrap(),
            "no prompt"
        );
        let structured = json!({"error": {"type": "no_prompt", "message": "No prompt provided", "details": "", "extra_info": {}}, "node_errors": {}});
        assert_eq!(rejection(&structured).unwrap(), "No prompt provided");
        let steps = json!({"error": {"type": "prompt_outputs_failed_validation", "message": "Prompt outputs failed validation", "details": ""},
            "node_errors": {"3": {"errors": [{"type": "value_smaller_than_min", "message": "Value 0 smaller than min of 1", "details": "steps: 0"}],
            "class_type": "KSampler"}}});
        assert_eq!(
            rejection(&steps).unwrap(),
            "Prompt outputs failed validation; node 3 (KSampler): Value 0 smaller than min of 1: steps: 0"
        );
        assert!(rejection(&json!({"prompt_id": "x", "number": 1, "node_errors": {}})).is_none());
    }

    #[test]
    fn only_our_prompt_counts_and_node_null_means_done() {
        let done = json!({"type": "executing", "data": {"node": null, "prompt_id": "a"}});
        assert!(matches!(classify(&done, "a"), Event::Done));
        assert!(matches!(classify(&done, "b"), Event::Other));
        let step = json!({"type": "progress", "data": {"value": 2, "max": 5, "prompt_id": "a", "node": "3"}});
        assert!(matches!(classify(&step, "a"), Event::Step(2, 5)));
        assert_eq!(
            binary_png(&[0, 0, 0, 1, 0, 0, 0, 2, 0x89, b'P']),
            Some(vec![0x89, b'P'])
        );
        assert_eq!(
            binary_png(&[0, 0, 0, 1, 0, 0, 0, 1, 0xff, 0xd8]),
            None,
            "JPEG previews are not results"
        );
    }
}
