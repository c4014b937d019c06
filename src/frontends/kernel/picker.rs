//! Candidates to pick by clicking, as standard Jupyter widgets: per scene a row of tiles, each
//! tile its candidate's picture over a "pick k" button. A click runs the scene's `sc.pick(k)` in
//! the session; the picked tile of every sheet showing that scene is then framed and its button
//! says so.

use std::collections::HashMap;

use bytes::Bytes;
use serde_json::{json, Value};

use super::iopub::Iopub;
use super::media::{display_sized, shown_size};
use super::widgets::{controls, reference, Widgets, LAYOUT};
use super::wire::Message;
use crate::runtime::display::{html_escape, Sheet};
use crate::runtime::picking::PickRow;

/// Tiles are as tall as the static sheet's.
const TILE_HEIGHT: u32 = 256;
const PICKED_BORDER: &str = "3px solid #2e7d32";
const OTHER_BORDER: &str = "3px solid transparent";

#[derive(Default)]
pub struct Pickers {
    /// `None` once its widgets are closed (its cell ran again).
    rows: Vec<Option<RowView>>,
    /// Button model id → (index in `rows`, candidate).
    buttons: HashMap<String, (usize, usize)>,
}

/// One scene's tiles as shown in one output.
struct RowView {
    row: PickRow,
    /// (button id, tile layout id) per candidate.
    tiles: Vec<(String, String)>,
    shown: Option<usize>,
}

impl Pickers {
    /// Opens the widgets of a sheet that has rows to pick from; returns the root model's id.
    pub fn build(
        &mut self,
        widgets: &mut Widgets,
        iopub: &Iopub,
        parent: &Message,
        sheet: &Sheet,
    ) -> String {
        let mut children = Vec::new();
        if !sheet.title.is_empty() {
            let title = format!("<b>{}</b>", html_escape(&sheet.title));
            children.push(widgets.open(
                iopub,
                parent,
                &controls("HTMLModel", "HTMLView"),
                json!({ "value": title }),
                vec![],
            ));
        }
        for row in &sheet.pick {
            let label = format!(
                "Scene {}: click <i>pick</i> under the candidate you want",
                row.index()
            );
            let html = controls("HTMLModel", "HTMLView");
            children.push(widgets.open(iopub, parent, &html, json!({ "value": label }), vec![]));
            children.push(self.row(widgets, iopub, parent, row));
        }
        let layout = widgets.open(iopub, parent, &LAYOUT, json!({}), vec![]);
        let children: Vec<Value> = children.iter().map(|id| reference(id)).collect();
        widgets.open(
            iopub,
            parent,
            &controls("VBoxModel", "VBoxView"),
            json!({ "children": children, "layout": reference(&layout) }),
            vec![],
        )
    }

    /// An HBox of tiles for one scene.
    fn row(
        &mut self,
        widgets: &mut Widgets,
        iopub: &Iopub,
        parent: &Message,
        row: &PickRow,
    ) -> String {
        let picked = row.picked();
        let at = self.rows.len();
        let mut tiles = Vec::new();
        let mut boxes = Vec::new();
        for (k, item) in row.candidates.iter().enumerate() {
            let chosen = picked == Some(k);
            let (width, height) = shown_size(item.width, item.height, TILE_HEIGHT);
            let mut image_state =
                json!({ "width": width.to_string(), "height": height.to_string() });
            let mut buffers = Vec::new();
            if let Some(shown) = display_sized(&item.path, width, height) {
                image_state["format"] = shown.mime.trim_start_matches("image/").into();
                buffers.push(("value", Bytes::from(shown.bytes)));
            }
            let image_class = controls("ImageModel", "ImageView");
            let image = widgets.open(iopub, parent, &image_class, image_state, buffers);
            let mut button_state = button(k, chosen);
            button_state["tooltip"] =
                format!("Pick candidate {k} of scene {} (sc.pick({k}))", row.index()).into();
            let button_class = controls("ButtonModel", "ButtonView");
            let button = widgets.open(iopub, parent, &button_class, button_state, vec![]);
            let layout = widgets.open(iopub, parent, &LAYOUT, frame(chosen), vec![]);
            let tile = widgets.open(
                iopub,
                parent,
                &controls("VBoxModel", "VBoxView"),
                json!({
                    "children": [reference(&image), reference(&button)],
                    "layout": reference(&layout),
                }),
                vec![],
            );
            self.buttons.insert(button.clone(), (at, k));
            tiles.push((button, layout));
            boxes.push(reference(&tile));
        }
        self.rows.push(Some(RowView {
            row: row.clone(),
            tiles,
            shown: picked,
        }));
        let layout = widgets.open(
            iopub,
            parent,
            &LAYOUT,
            json!({ "flex_flow": "row wrap" }),
            vec![],
        );
        widgets.open(
            iopub,
            parent,
            &controls("HBoxModel", "HBoxView"),
            json!({ "children": boxes, "layout": reference(&layout) }),
            vec![],
        )
    }

    /// What a click on `button` picks: the scene's row and the candidate.
    pub fn clicked(&self, button: &str) -> Option<(PickRow, usize)> {
        let &(at, k) = self.buttons.get(button)?;
        Some((self.rows[at].as_ref()?.row.clone(), k))
    }

    /// Forgets the rows whose widgets were closed.
    pub fn forget(&mut self, closed: &[String]) {
        for id in closed {
            if let Some((at, _)) = self.buttons.remove(id) {
                self.rows[at] = None;
            }
        }
        let live = &self.rows;
        self.buttons.retain(|_, (at, _)| live[*at].is_some());
    }

    /// The clicked button says what it shows now (its pick made, or not), whatever it said
    /// while the click waited.
    pub fn settle(&mut self, widgets: &mut Widgets, iopub: &Iopub, parent: &Message, id: &str) {
        let Some(&(at, k)) = self.buttons.get(id) else {
            return;
        };
        if let Some(view) = &self.rows[at] {
            let chosen = view.row.picked() == Some(k);
            widgets.update(iopub, parent, id, button(k, chosen));
        }
    }

    /// Brings every tile up to date with its scene's pick (after a click, or a pick typed in
    /// a cell), in every output that shows the scene.
    pub fn refresh(&mut self, widgets: &mut Widgets, iopub: &Iopub, parent: &Message) {
        for view in self.rows.iter_mut().flatten() {
            let picked = view.row.picked();
            if picked == view.shown {
                continue;
            }
            for (k, (button_id, layout)) in view.tiles.iter().enumerate() {
                let chosen = picked == Some(k);
                if chosen || view.shown == Some(k) {
                    widgets.update(iopub, parent, button_id, button(k, chosen));
                    widgets.update(iopub, parent, layout, frame(chosen));
                }
            }
            view.shown = picked;
        }
    }
}

/// What a clicked button says while its pick waits for the running cell.
pub fn pending(description: &str) -> Option<Value> {
    let k = description.strip_prefix("pick ")?;
    Some(json!({
        "description": format!("picking {k}… (after the running cell)"),
        "button_style": "warning",
    }))
}

fn button(k: usize, chosen: bool) -> Value {
    if chosen {
        json!({ "description": format!("✓ picked {k}"), "button_style": "success" })
    } else {
        json!({ "description": format!("pick {k}"), "button_style": "" })
    }
}

/// A tile's layout: framed when picked (a transparent frame keeps the others aligned).
fn frame(chosen: bool) -> Value {
    let border = if chosen { PICKED_BORDER } else { OTHER_BORDER };
    json!({
        "border_top": border, "border_right": border, "border_bottom": border, "border_left": border,
        "padding": "2px", "margin": "0 8px 8px 0", "align_items": "center",
    })
}
