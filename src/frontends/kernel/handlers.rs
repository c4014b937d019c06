//! What the kernel answers on the shell and control channels.

use serde_json::{json, Value};

use super::connection::ConnectionInfo;
use super::iopub::Iopub;
use super::widgets::{Widgets, CONTROL_TARGET, TARGET};
use super::wire::{Message, PROTOCOL_VERSION};
use super::worker::WorkerHandle;

pub struct Kernel {
    pub session_id: String,
    pub iopub: Iopub,
    pub worker: WorkerHandle,
    /// Widget models, shared with the session thread that makes them.
    pub widgets: std::sync::Arc<std::sync::Mutex<Widgets>>,
    pub connection: ConnectionInfo,
}

/// What a request leads to.
pub enum Answer {
    Reply(Value),
    /// Reply, then stop the process (shutdown, or restart: Jupyter starts a new process).
    ReplyAndExit(Value),
    Nothing,
}

impl Kernel {
    /// Answers any request, shell or control (clients may send `kernel_info` on either).
    pub async fn handle(&self, msg: &Message) -> Answer {
        let content = &msg.content;
        let text = |key: &str| content[key].as_str().unwrap_or_default().to_string();
        let cursor = content["cursor_pos"].as_u64().unwrap_or(0) as usize;
        let worker = &self.worker;
        let reply = match msg.msg_type() {
            "kernel_info_request" => kernel_info(),
            "execute_request" => {
                let request = msg.clone();
                worker
                    .run(move |w| w.execute(&request))
                    .await
                    .unwrap_or_else(|| worker_gone("execute"))
            }
            "is_complete_request" => {
                let code = text("code");
                worker
                    .run(move |w| w.is_complete(&code))
                    .await
                    .unwrap_or_else(|| json!({ "status": "unknown" }))
            }
            "complete_request" => {
                let code = text("code");
                worker
                    .run(move |w| w.complete(&code, cursor))
                    .await
                    .unwrap_or_else(|| worker_gone("complete"))
            }
            "inspect_request" => {
                let code = text("code");
                worker
                    .run(move |w| w.inspect(&code, cursor))
                    .await
                    .unwrap_or_else(|| worker_gone("inspect"))
            }
            "history_request" => {
                let request = content.clone();
                worker
                    .run(move |w| w.history(&request))
                    .await
                    .unwrap_or_else(|| worker_gone("history"))
            }
            "comm_info_request" => {
                let target = content["target_name"].as_str();
                let mut widgets = self.widgets.lock().unwrap();
                if target == Some(TARGET) {
                    widgets.front_end_has_widgets();
                }
                json!({ "status": "ok", "comms": widgets.comm_info(target) })
            }
            "comm_open" => {
                let id = text("comm_id");
                if content["target_name"] == CONTROL_TARGET {
                    self.widgets.lock().unwrap().open_control(&id);
                } else {
                    // No other targets: close it at once so the frontend does not wait.
                    let close = json!({ "comm_id": id, "data": {} });
                    self.iopub.publish(msg, "comm_close", close);
                }
                return Answer::Nothing;
            }
            "comm_msg" => {
                self.comm_msg(msg).await;
                return Answer::Nothing;
            }
            "comm_close" => {
                self.widgets.lock().unwrap().close(&text("comm_id"));
                return Answer::Nothing;
            }
            "connect_request" => {
                let c = &self.connection;
                json!({
                    "status": "ok", "shell_port": c.shell_port, "iopub_port": c.iopub_port,
                    "stdin_port": c.stdin_port, "hb_port": c.hb_port, "control_port": c.control_port,
                })
            }
            "interrupt_request" => {
                self.worker.interrupt();
                json!({ "status": "ok" })
            }
            "shutdown_request" => {
                self.worker.interrupt();
                let restart = content["restart"].as_bool().unwrap_or(false);
                return Answer::ReplyAndExit(json!({ "status": "ok", "restart": restart }));
            }
            other => {
                eprintln!("storyreel kernel: ignoring unsupported message {other}");
                return Answer::Nothing;
            }
        };
        Answer::Reply(reply)
    }
}

impl Kernel {
    /// A request arrived while another is being answered (a cell running): a click on a pick
    /// button says at once that its pick waits for the cell.
    pub fn arrived(&self, msg: &Message) {
        let data = &msg.content["data"];
        let click = msg.msg_type() == "comm_msg"
            && data["method"] == "custom"
            && data["content"]["event"] == "click";
        if !click {
            return;
        }
        let id = msg.content["comm_id"].as_str().unwrap_or_default();
        let mut widgets = self.widgets.lock().unwrap();
        if let Some(state) = widgets
            .text(id, "description")
            .and_then(super::picker::pending)
        {
            widgets.update(&self.iopub, msg, id, state);
        }
    }

    /// A message on a widget's comm (or the control comm) from a front-end.
    async fn comm_msg(&self, msg: &Message) {
        let id = msg.content["comm_id"].as_str().unwrap_or_default();
        let data = &msg.content["data"];
        let method = data["method"].as_str().unwrap_or_default();
        {
            let mut widgets = self.widgets.lock().unwrap();
            match method {
                "request_states" if widgets.is_control(id) => {
                    widgets.send_all_states(&self.iopub, msg, id)
                }
                "request_state" => widgets.send_state(&self.iopub, msg, id),
                "update" => widgets.apply(id, &data["state"]),
                _ => {}
            }
        }
        if method == "custom" && data["content"]["event"] == "click" {
            let click = msg.clone();
            // Picks run on the session thread, in turn with cells.
            self.worker.run(move |w| w.click(&click)).await;
        }
    }
}

/// The reply's type for a request's type.
pub fn reply_type(request_type: &str) -> String {
    request_type.strip_suffix("_request").map_or_else(
        || format!("{request_type}_reply"),
        |base| format!("{base}_reply"),
    )
}

fn worker_gone(what: &str) -> Value {
    json!({
        "status": "error", "ename": "KernelError",
        "evalue": format!("the session thread has stopped; cannot {what}"), "traceback": [],
    })
}

pub fn kernel_info() -> Value {
    json!({
        "status": "ok",
        "protocol_version": PROTOCOL_VERSION,
        "implementation": "storyreel",
        "implementation_version": env!("CARGO_PKG_VERSION"),
        "language_info": language_info(),
        "banner": format!(
            "storyreel {} — stories as Rhai scripts. Type a primitive followed by ? for help (story?).",
            env!("CARGO_PKG_VERSION")
        ),
        "help_links": [],
        "debugger": false,
    })
}

/// What the kernel says about its language. Front-ends copy it into the notebook's metadata, so
/// exported notebooks carry exactly this and do not show as modified when they open.
pub fn language_info() -> Value {
    json!({
        "name": "rhai",
        "version": "1",
        "mimetype": "text/x-rhai",
        "file_extension": ".rhai",
        // Neither Pygments nor CodeMirror knows Rhai. JavaScript's modes fit it best: Rhai's
        // backtick strings are template strings with `${…}`, which Rust's mode lights up as code.
        "pygments_lexer": "javascript",
        "codemirror_mode": "javascript",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_types() {
        assert_eq!(reply_type("execute_request"), "execute_reply");
        assert_eq!(reply_type("kernel_info_request"), "kernel_info_reply");
    }
}
