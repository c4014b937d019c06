//! The Rhai session lives on one dedicated thread; the socket tasks hand it jobs and await the
//! answers. Interrupts bypass the queue through the session's flag.

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex, OnceLock};

use serde_json::{json, Value};
use tokio::sync::oneshot;

use super::completion::complete;
use super::display::KernelDisplay;
use super::history::History;
use super::inspect::{help, help_request, inspect};
use super::iopub::Iopub;
use super::widgets::Widgets;
use super::wire::Message;
use crate::runtime::complete::{check, Completeness};
use crate::runtime::completion::builtin_names;
use crate::runtime::{ScriptError, Session, Workspace};

type Job = Box<dyn FnOnce(&mut Worker) + Send>;

/// Deep recursion in a debug build outgrows the default 2 MiB thread stack.
const STACK_BYTES: usize = 64 << 20;

pub struct WorkerHandle {
    jobs: mpsc::Sender<Job>,
    interrupt: Arc<OnceLock<Arc<AtomicBool>>>,
}

impl WorkerHandle {
    /// Starts the session thread; the session is built there, while the sockets come up.
    pub fn spawn(iopub: Iopub, widgets: Arc<Mutex<Widgets>>) -> Self {
        let (jobs, queue) = mpsc::channel::<Job>();
        let interrupt = Arc::new(OnceLock::new());
        let flag = interrupt.clone();
        std::thread::Builder::new()
            .name("rhai-session".into())
            .stack_size(STACK_BYTES)
            .spawn(move || {
                let display = Arc::new(KernelDisplay::new(iopub.clone(), widgets));
                let workspace = Workspace::new(Workspace::default_root());
                let session = Session::new(display.clone(), workspace);
                let _ = flag.set(session.interrupt_flag());
                let mut worker = Worker {
                    session,
                    display,
                    iopub,
                    builtins: OnceLock::new(),
                    history: History::default(),
                    execution_count: 0,
                };
                for job in queue {
                    // A panic is a bug, but it must not take the session and its variables down.
                    let _ = panic::catch_unwind(AssertUnwindSafe(|| job(&mut worker)));
                }
            })
            .expect("spawning the session thread");
        Self { jobs, interrupt }
    }

    /// Runs `f` on the session thread, after the jobs queued before it.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Worker) -> T + Send + 'static,
    ) -> Option<T> {
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move |w| {
            let _ = answer.send(f(w));
        });
        self.jobs.send(job).ok()?;
        answered.await.ok()
    }

    /// Stops the running cell (the session and its variables stay).
    pub fn interrupt(&self) {
        if let Some(flag) = self.interrupt.get() {
            flag.store(true, Ordering::Relaxed);
        }
    }
}

pub struct Worker {
    session: Session,
    display: Arc<KernelDisplay>,
    iopub: Iopub,
    builtins: OnceLock<Vec<String>>,
    history: History,
    execution_count: usize,
}

impl Worker {
    fn builtins(&self) -> &[String] {
        self.builtins
            .get_or_init(|| builtin_names(self.session.engine()))
    }

    /// Runs a cell; outputs go to IOPub as children of `request`. Returns the reply content.
    pub fn execute(&mut self, request: &Message) -> Value {
        let code = request.content["code"].as_str().unwrap_or_default();
        let silent = request.content["silent"].as_bool().unwrap_or(false);
        let store = !silent && request.content["store_history"].as_bool().unwrap_or(true);
        if store {
            self.execution_count += 1;
        }
        let count = self.execution_count;
        self.display.begin(request);
        if !silent {
            let input = json!({ "code": code, "execution_count": count });
            self.iopub.publish(request, "execute_input", input);
        }
        if let Some(name) = help_request(code) {
            let text = help(&self.session, self.builtins(), name);
            let page = json!({ "source": "page", "data": { "text/plain": text }, "start": 0 });
            return ok_reply(count, vec![page]);
        }
        let run = panic::catch_unwind(AssertUnwindSafe(|| self.session.run_input(code, count)));
        // However the cell ended, its progress displays go before its result or error.
        self.display.end();
        // A pick typed in the cell shows in the sheets offered for clicking.
        self.display.refresh_picks(request);
        match run.unwrap_or_else(|panic| Err(internal_error(panic))) {
            Ok(value) => {
                let shown = self
                    .session
                    .output_of(&value)
                    .map(|o| self.display.bundle_of(&o));
                if store {
                    let text = shown
                        .as_ref()
                        .and_then(|(data, _)| data["text/plain"].as_str());
                    self.history.record(count, code, text.map(str::to_string));
                }
                if let (Some((data, metadata)), false) = (shown, silent) {
                    let result = json!({
                        "execution_count": count, "data": data, "metadata": metadata,
                        // nbclient chokes on `transient: null`.
                        "transient": {},
                    });
                    self.iopub.publish(request, "execute_result", result);
                }
                ok_reply(count, Vec::new())
            }
            Err(err) => {
                if store {
                    self.history.record(count, code, None);
                }
                let error = error_content(&err);
                self.iopub.publish(request, "error", error.clone());
                let mut reply = error;
                reply["status"] = "error".into();
                reply["execution_count"] = count.into();
                reply
            }
        }
    }

    /// A click on a widget: a pick button picks its candidate, as `sc.pick(k)` would.
    pub fn click(&mut self, msg: &Message) {
        let button = msg.content["comm_id"].as_str().unwrap_or_default();
        let Some((row, k)) = self.display.clicked(button) else {
            return;
        };
        let picked = self.session.pick(&row, k);
        self.display.settle_click(msg, button);
        match picked {
            Ok(()) => self.display.refresh_picks(msg),
            Err(err) => {
                let text = err.render(false) + "\n";
                let stream = json!({ "name": "stderr", "text": text });
                self.iopub.publish(msg, "stream", stream);
            }
        }
    }

    pub fn is_complete(&self, code: &str) -> Value {
        match check(self.session.engine(), code) {
            Completeness::Complete => json!({ "status": "complete" }),
            Completeness::Incomplete => json!({ "status": "incomplete", "indent": "" }),
            Completeness::Invalid(_) => json!({ "status": "invalid" }),
        }
    }

    pub fn complete(&self, code: &str, cursor: usize) -> Value {
        complete(&self.session, self.builtins(), code, cursor)
    }

    pub fn inspect(&self, code: &str, cursor: usize) -> Value {
        inspect(&self.session, self.builtins(), code, cursor)
    }

    pub fn history(&self, request: &Value) -> Value {
        self.history.reply(request)
    }
}

fn ok_reply(count: usize, payload: Vec<Value>) -> Value {
    json!({
        "status": "ok",
        "execution_count": count,
        "payload": payload,
        // `null` here fails Jupyter's message schema.
        "user_expressions": {},
    })
}

/// A panic inside a primitive, reported as the cell's error.
fn internal_error(panic: Box<dyn Any + Send>) -> ScriptError {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    ScriptError {
        message: format!(
            "internal error (a bug in storyreel; the session is still usable): {what}"
        ),
        at: None,
        chain: Vec::new(),
        interrupted: false,
        is_syntax: false,
    }
}

/// An `error` message: the traceback is the terminal rendering (location, source, caret, calls).
fn error_content(err: &ScriptError) -> Value {
    let ename = if err.interrupted {
        "Interrupted"
    } else if err.is_syntax {
        "SyntaxError"
    } else {
        "ScriptError"
    };
    let rendered = err.render(false);
    let traceback: Vec<&str> = rendered.lines().collect();
    json!({ "ename": ename, "evalue": err.message, "traceback": traceback })
}
