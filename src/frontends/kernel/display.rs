//! The kernel's `Display`: what a cell prints and shows becomes IOPub messages that belong to
//! the request being executed. Outputs become MIME bundles, richest first.
//!
//! Progress displays appear only for work that lasts longer than [`PROGRESS_DELAY`] and are
//! gone when the work ends: replaced by the result it shows, or emptied when the cell ends,
//! however it ends (finished, failed, interrupted).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use super::iopub::Iopub;
use super::media::{display_sized, link, shown_size, video_source, VideoSource};
use super::picker::Pickers;
use super::widgets::{view, Widgets, VIEW_MIME};
use super::wire::Message;
use crate::runtime::display::{html_escape, Display, ImageItem, Output, Progress, VideoItem};

/// Shorter work shows no progress at all: a bar that flashes by is noise.
pub const PROGRESS_DELAY: Duration = Duration::from_millis(500);
/// Single images are shown at most this tall; sheet tiles at [`TILE_HEIGHT`].
const IMAGE_HEIGHT: u32 = 512;
const TILE_HEIGHT: u32 = 256;

pub struct KernelDisplay {
    iopub: Iopub,
    cell: Arc<Mutex<Cell>>,
    widgets: Arc<Mutex<Widgets>>,
    pickers: Mutex<Pickers>,
}

/// What the running cell has on screen.
#[derive(Default)]
struct Cell {
    /// The request whose outputs these are; kept after the cell ends so late output still lands.
    parent: Option<Message>,
    bars: HashMap<String, Bar>,
    /// A finished bar still on screen, which the next output of the cell replaces in place.
    finished: Option<String>,
}

struct Bar {
    latest: Progress,
    started: Instant,
    shown: bool,
}

impl Cell {
    fn publish(&self, iopub: &Iopub, msg_type: &str, content: Value) {
        if let Some(parent) = &self.parent {
            iopub.publish(parent, msg_type, content);
        }
    }

    fn show_bar(&mut self, iopub: &Iopub, id: &str) {
        let Some(bar) = self.bars.get_mut(id) else {
            return;
        };
        let msg_type = if bar.shown {
            "update_display_data"
        } else {
            "display_data"
        };
        bar.shown = true;
        let data = progress_bundle(&bar.latest);
        self.publish(iopub, msg_type, display(data, json!({}), Some(id)));
    }
}

impl KernelDisplay {
    pub fn new(iopub: Iopub, widgets: Arc<Mutex<Widgets>>) -> Self {
        Self {
            iopub,
            cell: Arc::new(Mutex::new(Cell::default())),
            widgets,
            pickers: Mutex::new(Pickers::default()),
        }
    }

    /// The MIME bundle of an output in this cell: candidates to pick become widgets where the
    /// front-end has them, with the static sheet in the same bundle for those that do not.
    pub fn bundle_of(&self, output: &Output) -> (Value, Value) {
        let (mut data, metadata) = bundle(output);
        let mut widgets = self.widgets.lock().unwrap();
        let parent = self.cell.lock().unwrap().parent.clone();
        if let (Output::Sheet(sheet), Some(parent)) = (output, parent) {
            if !sheet.pick.is_empty() && widgets.available() {
                let mut pickers = self.pickers.lock().unwrap();
                let root = pickers.build(&mut widgets, &self.iopub, &parent, sheet);
                data[VIEW_MIME] = view(&root);
            }
        }
        (data, metadata)
    }

    /// What a click on a widget button picks, if it is one of ours.
    pub fn clicked(&self, button: &str) -> Option<(crate::runtime::picking::PickRow, usize)> {
        self.pickers.lock().unwrap().clicked(button)
    }

    /// The clicked button shows its outcome (it showed the click as pending).
    pub fn settle_click(&self, parent: &Message, button: &str) {
        let mut widgets = self.widgets.lock().unwrap();
        self.pickers
            .lock()
            .unwrap()
            .settle(&mut widgets, &self.iopub, parent, button);
    }

    /// Highlights the picked tile of every scene shown for picking, as children of `parent`.
    pub fn refresh_picks(&self, parent: &Message) {
        let mut widgets = self.widgets.lock().unwrap();
        self.pickers
            .lock()
            .unwrap()
            .refresh(&mut widgets, &self.iopub, parent);
    }

    /// A cell starts: the widgets of its last run (and of deleted cells) are closed.
    pub fn begin(&self, request: &Message) {
        let closed = self
            .widgets
            .lock()
            .unwrap()
            .begin_cell(&self.iopub, request);
        self.pickers.lock().unwrap().forget(&closed);
        *self.cell.lock().unwrap() = Cell {
            parent: Some(request.clone()),
            ..Cell::default()
        };
    }

    /// The cell's work is over: progress displays still on screen are emptied.
    pub fn end(&self) {
        let mut cell = self.cell.lock().unwrap();
        let shown: Vec<String> = cell
            .bars
            .drain()
            .filter(|(_, bar)| bar.shown)
            .map(|(id, _)| id)
            .collect();
        cell.finished = None;
        for id in shown {
            cell.publish(
                &self.iopub,
                "update_display_data",
                display(json!({}), json!({}), Some(&id)),
            );
        }
    }

    fn publish(&self, msg_type: &str, content: Value) {
        self.cell
            .lock()
            .unwrap()
            .publish(&self.iopub, msg_type, content);
    }

    fn stream(&self, name: &str, text: &str) {
        self.publish("stream", json!({ "name": name, "text": text }));
    }

    /// Shows a bar that is still running once the delay has passed, even if no report comes.
    fn show_later(&self, id: String) {
        let cell = self.cell.clone();
        let iopub = self.iopub.clone();
        let parent = cell
            .lock()
            .unwrap()
            .parent
            .as_ref()
            .map(|p| p.msg_id().to_string());
        std::thread::spawn(move || {
            std::thread::sleep(PROGRESS_DELAY);
            let mut cell = cell.lock().unwrap();
            let same_cell = cell.parent.as_ref().map(|p| p.msg_id().to_string()) == parent;
            if same_cell && cell.bars.get(&id).is_some_and(|b| !b.shown) {
                cell.show_bar(&iopub, &id);
            }
        });
    }
}

/// A `display_data` / `update_display_data` content.
fn display(data: Value, metadata: Value, id: Option<&str>) -> Value {
    let transient = id.map_or(json!({}), |id| json!({ "display_id": id }));
    json!({ "data": data, "metadata": metadata, "transient": transient })
}

impl Display for KernelDisplay {
    fn stdout(&self, text: &str) {
        self.stream("stdout", text);
    }

    fn stderr(&self, text: &str) {
        self.stream("stderr", text);
    }

    fn show(&self, output: &Output) {
        let (data, metadata) = self.bundle_of(output);
        let mut cell = self.cell.lock().unwrap();
        // The result of a finished batch takes the place of its progress bar.
        if let Some(id) = cell.finished.take() {
            cell.bars.remove(&id);
            cell.publish(
                &self.iopub,
                "update_display_data",
                display(data, metadata, Some(&id)),
            );
            return;
        }
        cell.publish(&self.iopub, "display_data", display(data, metadata, None));
    }

    fn progress(&self, p: &Progress) {
        let mut cell = self.cell.lock().unwrap();
        let Some(bar) = cell.bars.get_mut(&p.id) else {
            if p.finished {
                return;
            }
            let bar = Bar {
                latest: p.clone(),
                started: Instant::now(),
                shown: false,
            };
            cell.bars.insert(p.id.clone(), bar);
            drop(cell);
            self.show_later(p.id.clone());
            return;
        };
        bar.latest = p.clone();
        let (shown, due) = (bar.shown, bar.started.elapsed() >= PROGRESS_DELAY);
        if p.finished {
            if shown {
                // Stays until the result replaces it or the cell ends.
                cell.finished = Some(p.id.clone());
            } else {
                cell.bars.remove(&p.id);
            }
        } else if shown || due {
            cell.show_bar(&self.iopub, &p.id);
        }
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
            // Tall story frames would fill the screen at full size.
            let (width, height) = shown_size(item.width, item.height, IMAGE_HEIGHT);
            // One copy of the picture, under its own type: no second one inside HTML, which
            // would double what a saved notebook holds.
            if let Some(shown) = display_sized(&item.path, width, height) {
                data.insert(shown.mime.into(), shown.base64().into());
                metadata.insert(shown.mime.into(), json!({ "width": width }));
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

/// `inner` as a link that opens the full file.
fn linked(path: &std::path::Path, inner: &str) -> String {
    format!(
        "<a href=\"{}\" target=\"_blank\" title=\"{}\">{inner}</a>",
        html_escape(&link(path)),
        html_escape(&path.display().to_string())
    )
}

/// Numbered candidates side by side, so the user can pick one by its number.
fn sheet_html(title: &str, images: &[ImageItem]) -> String {
    let mut html = String::from("<div>");
    if !title.is_empty() {
        html.push_str(&format!("<div><b>{}</b></div>", html_escape(title)));
    }
    html.push_str("<div style=\"display:flex;flex-wrap:wrap;gap:8px\">");
    for (k, item) in images.iter().enumerate() {
        let (width, height) = shown_size(item.width, item.height, TILE_HEIGHT);
        let img = display_sized(&item.path, width, height)
            .map(|shown| {
                let img = format!("<img src=\"{}\" style=\"height:256px\"/>", shown.data_uri());
                linked(&item.path, &img)
            })
            .unwrap_or_else(|| html_escape(&item.path.display().to_string()));
        // The same badge as the PNG sheets: bottom-left, clear of the picture's own header.
        let badge = format!(
            "<span style=\"position:absolute;left:6px;bottom:6px;min-width:1.6em;padding:2px 6px;\
             background:#ffd600;color:#000;border:2px solid #000;font:bold 20px sans-serif\">{}</span>",
            html_escape(&crate::render::badge::badge_label(&item.caption, k))
        );
        // The scene's current pick is framed, as on every sheet.
        let frame = if crate::runtime::display::is_picked(&item.caption) {
            "border:4px solid #2e7d32;"
        } else {
            "border:4px solid transparent;"
        };
        html.push_str(&format!(
            "<figure style=\"margin:0;text-align:center;{frame}\"><div style=\"position:relative\">{img}{badge}</div>\
             <figcaption>{}</figcaption></figure>",
            html_escape(&item.caption)
        ));
    }
    html.push_str("</div></div>");
    html
}

/// A `<video>` that plays wherever the notebook is opened: inline when small enough, else a
/// link relative to the notebook, with a note saying so. The poster is inline.
fn video_html(video: &VideoItem) -> String {
    let width = video.width.min(360);
    let poster = video
        .poster
        .as_deref()
        .and_then(|p| {
            let (w, h) = shown_size(video.width, video.height, IMAGE_HEIGHT);
            display_sized(p, w.min(width * 2), h)
        })
        .map(|p| format!(" poster=\"{}\"", p.data_uri()))
        .unwrap_or_default();
    let path = html_escape(&video.path.display().to_string());
    let (src, note) = match video_source(&video.path) {
        VideoSource::Embedded(uri) => (uri, String::new()),
        VideoSource::Linked { src, why } => {
            // The notebook server serves only what is under its folder, by relative path.
            let reach = if std::path::Path::new(&src).is_absolute() {
                "it is outside the notebook's folder, where the browser cannot reach it: open the file directly".to_string()
            } else {
                format!(
                    "the player loads <code>{}</code> from the notebook's folder, so it plays only while the notebook stays where it was run",
                    html_escape(&src)
                )
            };
            let note = format!(
                "<div>Not embedded, because {}: {reach}.</div>",
                html_escape(&why)
            );
            (src, note)
        }
    };
    format!(
        "<video controls width=\"{width}\"{poster} src=\"{}\"></video><div><a href=\"{}\" target=\"_blank\"><code>{path}</code></a></div>{note}",
        html_escape(&src),
        html_escape(&link(&video.path))
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

    fn request() -> Message {
        Message {
            identities: vec![],
            header: crate::frontends::kernel::wire::new_header("c", "execute_request"),
            parent_header: json!({}),
            metadata: json!({}),
            content: json!({}),
            buffers: vec![],
        }
    }

    fn report(id: &str, done: u64, finished: bool) -> Progress {
        Progress {
            id: id.into(),
            label: "generating".into(),
            done,
            total: 4,
            unit: "images",
            eta_secs: Some(3.0),
            finished,
        }
    }

    #[test]
    fn quick_work_shows_no_progress() {
        let (queue, mut sent) = tokio::sync::mpsc::unbounded_channel();
        let display = KernelDisplay::new(Iopub::new("s", queue), Default::default());
        display.begin(&request());
        display.progress(&report("quick", 0, false));
        display.progress(&report("quick", 4, true));
        display.end();
        std::thread::sleep(PROGRESS_DELAY * 2);
        assert!(sent.try_recv().is_err());
    }

    #[test]
    fn slow_work_shows_one_display_that_goes_away() {
        let (queue, mut sent) = tokio::sync::mpsc::unbounded_channel();
        let display = KernelDisplay::new(Iopub::new("s", queue), Default::default());
        let request = request();
        display.begin(&request);
        display.progress(&report("gen-1", 0, false));
        // No further report: the display appears anyway once the delay has passed.
        std::thread::sleep(PROGRESS_DELAY * 2);
        let first = sent.try_recv().unwrap();
        assert_eq!(first.msg_type(), "display_data");
        assert_eq!(first.content["transient"]["display_id"], "gen-1");
        assert_eq!(first.parent_header["msg_id"], request.msg_id());
        display.progress(&report("gen-1", 2, false));
        let second = sent.try_recv().unwrap();
        assert_eq!(second.msg_type(), "update_display_data");
        assert_eq!(
            second.content["data"]["text/plain"],
            "generating: 2/4 images, 3 s left"
        );
        // Finished and followed by nothing: emptied when the cell ends.
        display.progress(&report("gen-1", 4, true));
        assert!(sent.try_recv().is_err());
        display.end();
        let gone = sent.try_recv().unwrap();
        assert_eq!(gone.msg_type(), "update_display_data");
        assert_eq!(gone.content["data"], json!({}));

        // The result of a finished batch replaces its bar; later outputs are new displays.
        display.begin(&request);
        display.progress(&report("gen-2", 0, false));
        std::thread::sleep(PROGRESS_DELAY * 2);
        let _ = sent.try_recv().unwrap();
        display.progress(&report("gen-2", 4, true));
        display.show(&Output::Text("result".into()));
        display.show(&Output::Text("after".into()));
        display.end();
        let replaced = sent.try_recv().unwrap();
        assert_eq!(replaced.msg_type(), "update_display_data");
        assert_eq!(replaced.content["transient"]["display_id"], "gen-2");
        assert_eq!(replaced.content["data"]["text/plain"], "result");
        assert_eq!(sent.try_recv().unwrap().msg_type(), "display_data");
        assert!(sent.try_recv().is_err());
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
        assert!(html.contains("Not embedded, because it could not be read"));
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
    }

    #[test]
    fn a_sheet_frames_the_current_pick() {
        let item = |caption: &str| ImageItem {
            path: "missing.png".into(),
            width: 10,
            height: 10,
            caption: caption.into(),
        };
        let html = sheet_html("", &[item("0"), item("✓ picked 1")]);
        assert_eq!(
            html.matches("border:4px solid #2e7d32").count(),
            1,
            "{html}"
        );
        assert!(html.contains("<figcaption>✓ picked 1</figcaption>"));
    }

    #[test]
    fn an_image_is_stored_once_under_its_own_type() {
        let dir = tempfile::tempdir().unwrap();
        for (name, mime) in [("frame.png", "image/png"), ("animatic.gif", "image/gif")] {
            let path = dir.path().join(name);
            image::RgbImage::from_pixel(40, 30, image::Rgb([200, 10, 10]))
                .save(&path)
                .unwrap();
            let item = ImageItem {
                path,
                width: 40,
                height: 30,
                caption: String::new(),
            };
            let (data, metadata) = bundle(&Output::Image(item));
            let mut types: Vec<&String> = data.as_object().unwrap().keys().collect();
            types.sort();
            assert_eq!(types, [mime, "text/plain"], "{name}");
            assert_eq!(metadata[mime]["width"], 40);
        }
    }
}
