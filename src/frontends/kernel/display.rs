//! The kernel's `Display`: what a cell prints and shows becomes IOPub messages that belong to
//! the request being executed. Outputs become MIME bundles, richest first.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Mutex;

use base64::Engine as _;
use serde_json::{json, Map, Value};

use super::iopub::Iopub;
use super::wire::Message;
use crate::runtime::display::{html_escape, Display, ImageItem, Output, Progress, VideoItem};

pub struct KernelDisplay {
    iopub: Iopub,
    /// The request whose outputs these are; kept after the cell ends so late output still lands.
    parent: Mutex<Option<Message>>,
    /// Progress displays already created in this cell (later reports update them in place).
    progress_ids: Mutex<HashSet<String>>,
    /// A finished progress display, which the next output of the cell replaces in place.
    finished_progress: Mutex<Option<String>>,
}

impl KernelDisplay {
    pub fn new(iopub: Iopub) -> Self {
        Self {
            iopub,
            parent: Mutex::new(None),
            progress_ids: Mutex::new(HashSet::new()),
            finished_progress: Mutex::new(None),
        }
    }

    pub fn begin(&self, request: &Message) {
        *self.parent.lock().unwrap() = Some(request.clone());
        self.progress_ids.lock().unwrap().clear();
        *self.finished_progress.lock().unwrap() = None;
    }

    fn publish(&self, msg_type: &str, content: Value) {
        if let Some(parent) = self.parent.lock().unwrap().as_ref() {
            self.iopub.publish(parent, msg_type, content);
        }
    }

    fn stream(&self, name: &str, text: &str) {
        self.publish("stream", json!({ "name": name, "text": text }));
    }
}

impl Display for KernelDisplay {
    fn stdout(&self, text: &str) {
        self.stream("stdout", text);
    }

    fn stderr(&self, text: &str) {
        self.stream("stderr", text);
    }

    fn show(&self, output: &Output) {
        let (data, metadata) = bundle(output);
        // The result of a finished batch takes the place of its progress bar.
        if let Some(id) = self.finished_progress.lock().unwrap().take() {
            self.publish(
                "update_display_data",
                json!({ "data": data, "metadata": metadata, "transient": { "display_id": id } }),
            );
            return;
        }
        self.publish(
            "display_data",
            json!({ "data": data, "metadata": metadata, "transient": {} }),
        );
    }

    fn progress(&self, p: &Progress) {
        *self.finished_progress.lock().unwrap() = p.finished.then(|| p.id.clone());
        let first = self.progress_ids.lock().unwrap().insert(p.id.clone());
        let msg_type = if first {
            "display_data"
        } else {
            "update_display_data"
        };
        self.publish(
            msg_type,
            json!({
                "data": progress_bundle(p),
                "metadata": {},
                "transient": { "display_id": p.id },
            }),
        );
    }

    fn clear(&self, wait: bool) {
        self.publish("clear_output", json!({ "wait": wait }));
    }
}

/// The MIME bundle and its metadata for an output.
pub fn bundle(output: &Output) -> (Value, Value) {
    let mut data = Map::new();
    let mut metadata = Map::new();
    match output {
        Output::Text(text) => {
            data.insert("text/plain".into(), text.clone().into());
        }
        Output::Table(table) => {
            data.insert("text/html".into(), table.to_html().into());
            data.insert("text/plain".into(), table.to_text(100).into());
        }
        Output::Image(item) | Output::Chart(item) => {
            data.insert("text/plain".into(), item.describe().into());
            if let Some((mime, b64)) = encoded(&item.path) {
                data.insert(mime.into(), b64.into());
                // Tall story frames would fill the screen at full size.
                let width = shown_width(item, 512);
                metadata.insert(mime.into(), json!({ "width": width }));
            }
        }
        Output::Sheet(sheet) => {
            let text: Vec<String> = sheet.images.iter().map(ImageItem::describe).collect();
            data.insert(
                "text/html".into(),
                sheet_html(&sheet.title, &sheet.images).into(),
            );
            data.insert("text/plain".into(), text.join("\n").into());
        }
        Output::Video(video) => {
            data.insert("text/html".into(), video_html(video).into());
            data.insert("text/plain".into(), video.describe().into());
        }
    }
    (Value::Object(data), Value::Object(metadata))
}

fn shown_width(item: &ImageItem, max_height: u32) -> u32 {
    if item.height <= max_height {
        item.width
    } else {
        (item.width * max_height / item.height.max(1)).max(1)
    }
}

/// The file's MIME type and base64 content; `None` when unreadable.
fn encoded(path: &Path) -> Option<(&'static str, String)> {
    let bytes = std::fs::read(path).ok()?;
    let mime = if bytes.starts_with(&[0xff, 0xd8]) {
        "image/jpeg"
    } else {
        "image/png"
    };
    Some((
        mime,
        base64::engine::general_purpose::STANDARD.encode(bytes),
    ))
}

fn data_uri(path: &Path) -> Option<String> {
    encoded(path).map(|(mime, b64)| format!("data:{mime};base64,{b64}"))
}

/// Numbered candidates side by side, so the user can pick one by its number.
fn sheet_html(title: &str, images: &[ImageItem]) -> String {
    let mut html = String::from("<div>");
    if !title.is_empty() {
        html.push_str(&format!("<div><b>{}</b></div>", html_escape(title)));
    }
    html.push_str("<div style=\"display:flex;flex-wrap:wrap;gap:8px\">");
    for item in images {
        let img = data_uri(&item.path)
            .map(|src| format!("<img src=\"{src}\" style=\"height:256px\"/>"))
            .unwrap_or_else(|| html_escape(&item.path.display().to_string()));
        html.push_str(&format!(
            "<figure style=\"margin:0;text-align:center\">{img}<figcaption>{}</figcaption></figure>",
            html_escape(&item.caption)
        ));
    }
    html.push_str("</div></div>");
    html
}

/// A `<video>` with its poster inlined; the source is relative to the kernel's directory when
/// possible, which is the notebook's, so the notebook server can serve it.
fn video_html(video: &VideoItem) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let src = video
        .path
        .strip_prefix(&cwd)
        .unwrap_or(&video.path)
        .display()
        .to_string();
    let poster = video
        .poster
        .as_deref()
        .and_then(data_uri)
        .map(|p| format!(" poster=\"{p}\""))
        .unwrap_or_default();
    let width = video.width.min(360);
    format!(
        "<video controls width=\"{width}\"{poster} src=\"{}\"></video><div><code>{}</code></div>",
        html_escape(&src),
        html_escape(&video.path.display().to_string())
    )
}

fn progress_bundle(p: &Progress) -> Value {
    let eta = p
        .eta_secs
        .filter(|_| !p.finished)
        .map(|s| format!(", {s:.0} s left"))
        .unwrap_or_default();
    let done = if p.finished { " ✓" } else { "" };
    let text = format!("{}: {}{eta}{done}", p.label, p.count());
    json!({
        "text/plain": text,
        "text/html": format!(
            "<progress value=\"{}\" max=\"{}\"></progress> {}",
            p.done,
            p.total.max(1),
            html_escape(&text)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::display::Table;

    #[test]
    fn tables_are_html_and_text() {
        let mut t = Table::new("Cast", &["name"]);
        t.row(vec!["Siegfried".into()]);
        let (data, _) = bundle(&Output::Table(t));
        assert!(data["text/html"].as_str().unwrap().contains("<td"));
        assert!(data["text/plain"].as_str().unwrap().contains("Siegfried"));
    }

    #[test]
    fn progress_is_one_display_updated_in_place() {
        let (queue, mut sent) = tokio::sync::mpsc::unbounded_channel();
        let display = KernelDisplay::new(Iopub::new("s", queue));
        let request = Message {
            identities: vec![],
            header: crate::frontends::kernel::wire::new_header("c", "execute_request"),
            parent_header: json!({}),
            metadata: json!({}),
            content: json!({}),
            buffers: vec![],
        };
        display.begin(&request);
        let mut p = Progress {
            id: "gen-1".into(),
            label: "generating".into(),
            done: 0,
            total: 4,
            unit: "images",
            eta_secs: Some(3.0),
            finished: false,
        };
        display.progress(&p);
        (p.done, p.finished) = (4, true);
        display.progress(&p);
        display.clear(true);
        let first = sent.try_recv().unwrap();
        let second = sent.try_recv().unwrap();
        assert_eq!(first.msg_type(), "display_data");
        assert_eq!(second.msg_type(), "update_display_data");
        assert_eq!(second.content["transient"]["display_id"], "gen-1");
        assert_eq!(
            second.content["data"]["text/plain"],
            "generating: 4/4 images ✓"
        );
        assert_eq!(second.parent_header["msg_id"], request.msg_id());
        assert_eq!(sent.try_recv().unwrap().msg_type(), "clear_output");
        // The result of the finished batch replaces its bar; later outputs are new displays.
        p.finished = true;
        display.progress(&p);
        let _ = sent.try_recv().unwrap();
        display.show(&Output::Text("result".into()));
        display.show(&Output::Text("after".into()));
        let replaced = sent.try_recv().unwrap();
        assert_eq!(replaced.msg_type(), "update_display_data");
        assert_eq!(replaced.content["transient"]["display_id"], "gen-1");
        assert_eq!(replaced.content["data"]["text/plain"], "result");
        assert_eq!(sent.try_recv().unwrap().msg_type(), "display_data");
    }

    #[test]
    fn videos_are_players_with_their_path() {
        let video = VideoItem {
            path: "renders/suns.mp4".into(),
            width: 576,
            height: 1024,
            duration_secs: 42.0,
            poster: None,
        };
        let (data, _) = bundle(&Output::Video(video));
        let html = data["text/html"].as_str().unwrap();
        assert!(html.starts_with("<video controls width=\"360\" src=\"renders/suns.mp4\">"));
        assert_eq!(
            data["text/plain"],
            "video: renders/suns.mp4 (576x1024, 42.0 s)"
        );
    }

    #[test]
    fn unreadable_images_still_say_where_they_are() {
        let item = ImageItem {
            path: "missing.png".into(),
            width: 576,
            height: 1024,
            caption: "2".into(),
        };
        let (data, _) = bundle(&Output::Image(item.clone()));
        assert_eq!(data["text/plain"], "[2] missing.png (576x1024)");
        assert!(data.get("image/png").is_none());
        assert_eq!(shown_width(&item, 512), 288);
    }
}
