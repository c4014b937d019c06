//! The Jupyter widgets protocol (ipywidgets 8, protocol 2.1), spoken by the kernel itself:
//! each model lives here as its JSON state plus binary buffers, over one comm of target
//! `jupyter.widget`. Only the standard `@jupyter-widgets/base` and `controls` models are used,
//! so front-ends with ipywidgets need nothing else installed.
//!
//! A front-end with widgets announces itself: its widget manager opens a
//! `jupyter.widget.control` comm (or asks `comm_info` for `jupyter.widget`) as soon as it
//! connects. Until one has, outputs stay static.
//!
//! Models belong to the cell that made them (the `cellId` JupyterLab and Notebook 7 put in an
//! `execute_request`'s metadata): when that cell runs again, or is deleted, its models are
//! closed, so they neither pile up nor travel again with every reconnect.

use std::collections::BTreeMap;

use bytes::Bytes;
use serde_json::{json, Map, Value};

use super::iopub::Iopub;
use super::wire::Message;

pub const TARGET: &str = "jupyter.widget";
pub const CONTROL_TARGET: &str = "jupyter.widget.control";
pub const VIEW_MIME: &str = "application/vnd.jupyter.widget-view+json";
const PROTOCOL: &str = "2.1.0";
const MODULE_VERSION: &str = "2.0.0";

/// Which front-end class a model is: `("controls", "ButtonModel", "ButtonView")`.
pub struct Class {
    pub module: &'static str,
    pub model: &'static str,
    pub view: &'static str,
}

pub const LAYOUT: Class = Class {
    module: "@jupyter-widgets/base",
    model: "LayoutModel",
    view: "LayoutView",
};

pub const fn controls(model: &'static str, view: &'static str) -> Class {
    Class {
        module: "@jupyter-widgets/controls",
        model,
        view,
    }
}

struct Model {
    state: Map<String, Value>,
    /// State keys whose values are binary (an Image's `value`).
    buffers: BTreeMap<String, Bytes>,
}

#[derive(Default)]
pub struct Widgets {
    models: BTreeMap<String, Model>,
    /// A front-end with a widget manager has connected.
    available: bool,
    /// Open `jupyter.widget.control` comms.
    controls: std::collections::BTreeSet<String>,
    /// Cell id → the models its outputs opened.
    owners: BTreeMap<String, Vec<String>>,
    /// The cell running now, when the front-end said which.
    cell: Option<String>,
}

/// `IPY_MODEL_<id>`: how one model's state refers to another.
pub fn reference(id: &str) -> Value {
    format!("IPY_MODEL_{id}").into()
}

/// The display of a model, for a `display_data` bundle.
pub fn view(id: &str) -> Value {
    json!({ "model_id": id, "version_major": 2, "version_minor": 1 })
}

impl Widgets {
    pub fn available(&self) -> bool {
        self.available
    }

    pub fn front_end_has_widgets(&mut self) {
        self.available = true;
    }

    /// Creates a model and opens its comm; returns its id. Models referred to in `state` must
    /// have been opened before, so the front-end can resolve them.
    pub fn open(
        &mut self,
        iopub: &Iopub,
        parent: &Message,
        class: &Class,
        state: Value,
        buffers: Vec<(&str, Bytes)>,
    ) -> String {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let mut full = Map::new();
        for (key, value) in [
            ("_model_module", class.module),
            ("_model_module_version", MODULE_VERSION),
            ("_model_name", class.model),
            ("_view_module", class.module),
            ("_view_module_version", MODULE_VERSION),
            ("_view_name", class.view),
        ] {
            full.insert(key.into(), value.into());
        }
        if let Value::Object(state) = state {
            full.extend(state);
        }
        let model = Model {
            state: full,
            buffers: buffers
                .into_iter()
                .map(|(k, b)| (k.to_string(), b))
                .collect(),
        };
        let (data, buffers) = model.full_state();
        let content = json!({ "comm_id": id, "target_name": TARGET, "data": data });
        let metadata = json!({ "version": PROTOCOL });
        iopub.publish_with(parent, "comm_open", content, metadata, buffers);
        self.models.insert(id.clone(), model);
        if let Some(cell) = &self.cell {
            self.owners
                .entry(cell.clone())
                .or_default()
                .push(id.clone());
        }
        id
    }

    /// A cell starts running (`request` is its `execute_request`): the models of its earlier
    /// run and of cells the front-end deleted are closed, here and in every front-end. Returns
    /// the closed ids.
    pub fn begin_cell(&mut self, iopub: &Iopub, request: &Message) -> Vec<String> {
        let cell = request.metadata["cellId"].as_str().map(str::to_string);
        let mut gone: Vec<String> = request.metadata["deletedCells"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|c| c.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        gone.extend(cell.clone());
        let mut closed = Vec::new();
        for c in gone {
            for id in self.owners.remove(&c).unwrap_or_default() {
                if self.models.remove(&id).is_some() {
                    let content = json!({ "comm_id": id, "data": {} });
                    iopub.publish(request, "comm_close", content);
                    closed.push(id);
                }
            }
        }
        self.cell = cell;
        closed
    }

    /// Changes a model's state here and in every front-end.
    pub fn update(&mut self, iopub: &Iopub, parent: &Message, id: &str, changes: Value) {
        let Some(model) = self.models.get_mut(id) else {
            return;
        };
        let Value::Object(changes) = changes else {
            return;
        };
        let changed: Map<String, Value> = changes
            .into_iter()
            .filter(|(k, v)| model.state.get(k) != Some(v))
            .collect();
        if changed.is_empty() {
            return;
        }
        model.state.extend(changed.clone());
        let data = json!({ "method": "update", "state": changed, "buffer_paths": [] });
        Self::send(iopub, parent, id, data, Vec::new());
    }

    /// A string of a model's state (a button's description).
    pub fn text(&self, id: &str, key: &str) -> Option<&str> {
        self.models.get(id)?.state.get(key)?.as_str()
    }

    /// A value a front-end set (`update` from the front-end); kept so a reload shows it.
    pub fn apply(&mut self, id: &str, state: &Value) {
        if let (Some(model), Value::Object(state)) = (self.models.get_mut(id), state) {
            model.state.extend(state.clone());
        }
    }

    /// `request_state`: the model's whole state, as an `update`.
    pub fn send_state(&self, iopub: &Iopub, parent: &Message, id: &str) {
        if let Some(model) = self.models.get(id) {
            let (mut data, buffers) = model.full_state();
            data["method"] = "update".into();
            Self::send(iopub, parent, id, data, buffers);
        }
    }

    /// `request_states` on the control comm: every model at once, as `update_states`.
    pub fn send_all_states(&self, iopub: &Iopub, parent: &Message, control_id: &str) {
        let mut states = Map::new();
        let mut paths = Vec::new();
        let mut buffers = Vec::new();
        for (id, model) in &self.models {
            states.insert(
                id.clone(),
                json!({
                    "model_name": model.state["_model_name"],
                    "model_module": model.state["_model_module"],
                    "model_module_version": model.state["_model_module_version"],
                    "state": model.state,
                }),
            );
            // Paths from the top of `states`, through the wrapper: what ipywidgets'
            // `_remove_buffers` makes of the same dictionary, and what the widget manager
            // puts the buffers back by.
            for (key, bytes) in &model.buffers {
                paths.push(json!([id, "state", key]));
                buffers.push(bytes.clone());
            }
        }
        let data = json!({ "method": "update_states", "states": states, "buffer_paths": paths });
        Self::send(iopub, parent, control_id, data, buffers);
    }

    /// The comms of `target` (all when `None`), for `comm_info_reply`.
    pub fn comm_info(&self, target: Option<&str>) -> Value {
        let comms: Map<String, Value> = match target {
            Some(t) if t != TARGET => Map::new(),
            _ => self
                .models
                .keys()
                .map(|id| (id.clone(), json!({ "target_name": TARGET })))
                .collect(),
        };
        Value::Object(comms)
    }

    /// A front-end's widget manager opened the control comm: it has widgets.
    pub fn open_control(&mut self, id: &str) {
        self.available = true;
        self.controls.insert(id.to_string());
    }

    pub fn is_control(&self, id: &str) -> bool {
        self.controls.contains(id)
    }

    /// A comm the front-end closed.
    pub fn close(&mut self, id: &str) {
        self.models.remove(id);
        self.controls.remove(id);
    }

    fn send(iopub: &Iopub, parent: &Message, id: &str, data: Value, buffers: Vec<Bytes>) {
        let content = json!({ "comm_id": id, "data": data });
        let metadata = json!({ "version": PROTOCOL });
        iopub.publish_with(parent, "comm_msg", content, metadata, buffers);
    }
}

impl Model {
    /// `{state, buffer_paths}` and the buffers, binary values left out of the JSON.
    fn full_state(&self) -> (Value, Vec<Bytes>) {
        let paths: Vec<Value> = self.buffers.keys().map(|k| json!([k])).collect();
        let data = json!({ "state": self.state, "buffer_paths": paths });
        (data, self.buffers.values().cloned().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn models_open_update_and_list_with_binary_values() {
        let (queue, mut sent) = tokio::sync::mpsc::unbounded_channel();
        let iopub = Iopub::new("s", queue);
        let parent = Message {
            identities: vec![],
            header: super::super::wire::new_header("c", "execute_request"),
            parent_header: json!({}),
            metadata: json!({}),
            content: json!({}),
            buffers: vec![],
        };
        let mut widgets = Widgets::default();
        let image = controls("ImageModel", "ImageView");
        let png = Bytes::from_static(b"\x89PNG");
        let id = widgets.open(
            &iopub,
            &parent,
            &image,
            json!({ "format": "png" }),
            vec![("value", png.clone())],
        );
        let open = sent.try_recv().unwrap();
        assert_eq!(open.msg_type(), "comm_open");
        assert_eq!(open.content["target_name"], TARGET);
        assert_eq!(open.content["data"]["state"]["_model_name"], "ImageModel");
        assert_eq!(open.content["data"]["buffer_paths"], json!([["value"]]));
        assert!(open.content["data"]["state"].get("value").is_none());
        assert_eq!(open.buffers, vec![png]);
        assert_eq!(open.metadata["version"], PROTOCOL);

        widgets.update(
            &iopub,
            &parent,
            &id,
            json!({ "width": "100", "format": "png" }),
        );
        let update = sent.try_recv().unwrap();
        assert_eq!(update.content["data"]["state"], json!({ "width": "100" }));
        // Nothing changed, nothing sent.
        widgets.update(&iopub, &parent, &id, json!({ "width": "100" }));
        assert!(sent.try_recv().is_err());

        assert_eq!(widgets.comm_info(Some(TARGET))[&id]["target_name"], TARGET);
        assert_eq!(widgets.comm_info(Some("other")), json!({}));
        widgets.send_all_states(&iopub, &parent, "control");
        let states = sent.try_recv().unwrap();
        assert_eq!(states.content["data"]["method"], "update_states");
        assert_eq!(
            states.content["data"]["buffer_paths"],
            json!([[&id, "state", "value"]])
        );
        assert_eq!(
            states.content["data"]["states"][&id]["state"]["width"],
            "100"
        );
        widgets.close(&id);
        assert_eq!(widgets.comm_info(None), json!({}));
    }

    #[test]
    fn a_cell_run_again_closes_the_models_of_its_last_run() {
        let (queue, mut sent) = tokio::sync::mpsc::unbounded_channel();
        let iopub = Iopub::new("s", queue);
        let run = |cell: &str, deleted: &[&str]| Message {
            identities: vec![],
            header: super::super::wire::new_header("c", "execute_request"),
            parent_header: json!({}),
            metadata: json!({ "cellId": cell, "deletedCells": deleted }),
            content: json!({}),
            buffers: vec![],
        };
        let mut widgets = Widgets::default();
        let html = controls("HTMLModel", "HTMLView");
        let first = run("cell-a", &[]);
        assert!(widgets.begin_cell(&iopub, &first).is_empty());
        let a = widgets.open(&iopub, &first, &html, json!({}), vec![]);
        let other = run("cell-b", &[]);
        widgets.begin_cell(&iopub, &other);
        let b = widgets.open(&iopub, &other, &html, json!({}), vec![]);
        while sent.try_recv().is_ok() {}

        // Cell a again: its model is closed, b's stays.
        let again = run("cell-a", &[]);
        assert_eq!(widgets.begin_cell(&iopub, &again), std::slice::from_ref(&a));
        let close = sent.try_recv().unwrap();
        assert_eq!(close.msg_type(), "comm_close");
        assert_eq!(close.content["comm_id"], a.as_str());
        assert!(widgets.comm_info(None).get(&a).is_none());
        assert!(widgets.comm_info(None).get(&b).is_some());
        // Cell b deleted: closed with the next run of any cell.
        assert_eq!(widgets.begin_cell(&iopub, &run("cell-c", &["cell-b"])), [b]);
        // A front-end that names no cell closes nothing.
        let plain = Message {
            metadata: json!({}),
            ..run("", &[])
        };
        assert!(widgets.begin_cell(&iopub, &plain).is_empty());
        let c = widgets.open(&iopub, &plain, &html, json!({}), vec![]);
        assert!(widgets.begin_cell(&iopub, &plain).is_empty());
        assert!(widgets.comm_info(None).get(&c).is_some());
    }
}
