//! What the kernel answers on the shell and control channels.

use serde_json::{json, Value};

use super::connection::ConnectionInfo;
use super::iopub::Iopub;
use super::wire::{Message, PROTOCOL_VERSION};
use super::worker::WorkerHandle;

pub struct Kernel {
    pub session_id: String,
    pub iopub: Iopub,
    pub worker: WorkerHandle,
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
            "comm_info_request" => json!({ "status": "ok", "comms": {} }),
            "comm_open" => {
                // No comm targets exist: close it at once so the frontend does not wait.
                let close = json!({ "comm_id": content["comm_id"], "data": {} });
                self.iopub.publish(msg, "comm_close", close);
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
        "language_info": {
            "name": "rhai",
            "version": "1",
            "mimetype": "text/x-rhai",
            "file_extension": ".rhai",
            // Rhai has no lexer of its own in Pygments or CodeMirror; Rust's fits its syntax.
            "pygments_lexer": "rust",
            "codemirror_mode": "rust",
        },
        "banner": format!(
            "storyreel {} — stories as Rhai scripts. Type a primitive followed by ? for help (story?).",
            env!("CARGO_PKG_VERSION")
        ),
        "help_links": [],
        "debugger": false,
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
