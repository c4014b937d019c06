//! The Jupyter kernel: `storyreel kernel --connection-file F`.
//!
//! Five ZeroMQ sockets bound where the connection file says (pure-Rust `zeromq`, no libzmq):
//! shell and control (ROUTER) take requests, IOPub (PUB) broadcasts outputs, stdin (ROUTER) is
//! bound but unused (no `input()` yet), heartbeat (REP) echoes. Socket tasks share one tokio
//! thread; the Rhai session runs on its own thread (see `worker`), so control messages such as
//! interrupts are served while a cell runs.

mod completion;
pub mod connection;
mod display;
mod handlers;
mod history;
mod inspect;
pub mod install;
mod iopub;
mod media;
pub mod notebook;
mod picker;
mod symbols;
mod widgets;
pub mod wire;
mod worker;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use serde_json::{json, Value};
use tokio::sync::mpsc;
use zeromq::{Socket, SocketRecv, SocketSend, ZmqMessage};

use connection::ConnectionInfo;
use handlers::{reply_type, Answer, Kernel};
use iopub::Iopub;
use wire::{Message, Signer};
use worker::WorkerHandle;

/// Serves until a `shutdown_request` arrives; then the process exits.
pub fn serve(connection_file: &Path) -> anyhow::Result<()> {
    let info = ConnectionInfo::read(connection_file)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(run(info))
}

async fn run(info: ConnectionInfo) -> anyhow::Result<()> {
    let signer = Signer::new(&info.key);
    let shell = bind(zeromq::RouterSocket::new(), &info, "shell", info.shell_port).await?;
    let control = bind(
        zeromq::RouterSocket::new(),
        &info,
        "control",
        info.control_port,
    )
    .await?;
    // Bound so that clients can connect; nothing asks for input yet.
    let _stdin = bind(zeromq::RouterSocket::new(), &info, "stdin", info.stdin_port).await?;
    let iopub_socket = bind(zeromq::PubSocket::new(), &info, "iopub", info.iopub_port).await?;
    let heartbeat = bind(zeromq::RepSocket::new(), &info, "heartbeat", info.hb_port).await?;

    let session_id = uuid::Uuid::new_v4().to_string();
    let (queue, outgoing) = mpsc::unbounded_channel();
    let iopub = Iopub::new(&session_id, queue);
    let widgets = Arc::new(std::sync::Mutex::new(widgets::Widgets::default()));
    let kernel = Arc::new(Kernel {
        session_id,
        iopub: iopub.clone(),
        worker: WorkerHandle::spawn(iopub, widgets.clone()),
        widgets,
        connection: info.clone(),
    });

    tokio::spawn(publish(iopub_socket, outgoing, signer.clone()));
    tokio::spawn(echo(heartbeat));
    tokio::spawn(exit_with_parent());
    let requests = |socket, kernel, signer| Requests {
        socket,
        kernel,
        signer,
        waiting: Default::default(),
    };
    tokio::spawn(requests(control, kernel.clone(), signer.clone()).serve());
    requests(shell, kernel, signer).serve().await;
    Ok(())
}

async fn bind<S: Socket>(
    mut socket: S,
    info: &ConnectionInfo,
    name: &str,
    port: u16,
) -> anyhow::Result<S> {
    let endpoint = info.endpoint(port);
    socket
        .bind(&endpoint)
        .await
        .with_context(|| format!("cannot bind the {name} socket to {endpoint}"))?;
    Ok(socket)
}

/// Sends IOPub messages in the order they were made.
async fn publish(
    mut socket: zeromq::PubSocket,
    mut outgoing: mpsc::UnboundedReceiver<Message>,
    signer: Signer,
) {
    while let Some(msg) = outgoing.recv().await {
        if let Ok(frames) = ZmqMessage::try_from(msg.encode(&signer)) {
            if let Err(e) = socket.send(frames).await {
                eprintln!("storyreel kernel: iopub send failed: {e}");
            }
        }
    }
}

/// The heartbeat: whatever comes in goes back out, so Jupyter knows the process is alive.
async fn echo(mut socket: zeromq::RepSocket) {
    loop {
        match socket.recv().await {
            Ok(ping) => {
                let _ = socket.send(ping).await;
            }
            Err(e) => pause_after(&e).await,
        }
    }
}

/// Shell or control: one request at a time, each wrapped in busy/idle status on IOPub.
struct Requests {
    socket: zeromq::RouterSocket,
    kernel: Arc<Kernel>,
    signer: Signer,
    /// Requests that arrived while another was answered, in order.
    waiting: std::collections::VecDeque<Message>,
}

impl Requests {
    async fn serve(mut self) {
        loop {
            let request = match self.waiting.pop_front() {
                Some(r) => Some(r),
                None => self.next().await,
            };
            if let Some(request) = request {
                self.answer(&request).await;
            }
        }
    }

    /// Answers `request` while reading the requests that arrive meanwhile: they wait their
    /// turn, and those that should show at once that they wait (a click on a pick button
    /// while a cell runs) do.
    async fn handle(&mut self, request: &Message) -> Answer {
        let kernel = self.kernel.clone();
        let handled = kernel.handle(request);
        tokio::pin!(handled);
        loop {
            tokio::select! {
                answer = &mut handled => return answer,
                Some(next) = self.next() => {
                    kernel.arrived(&next);
                    self.waiting.push_back(next);
                }
            }
        }
    }

    /// The next request; `None` when it was dropped.
    async fn next(&mut self) -> Option<Message> {
        let frames = match self.socket.recv().await {
            Ok(frames) => frames.into_vec(),
            Err(e) => {
                pause_after(&e).await;
                return None;
            }
        };
        Message::decode(frames, &self.signer)
            // Unsigned or forged messages are dropped without an answer.
            .inspect_err(|e| eprintln!("storyreel kernel: dropped a message: {e}"))
            .ok()
    }

    async fn answer(&mut self, request: &Message) {
        self.kernel.iopub.status(request, "busy");
        match self.handle(request).await {
            Answer::Reply(content) => {
                // Before replying: whatever the client sends after seeing the error must run.
                if failed_and_stops(request, &content) {
                    self.abort_queued().await;
                }
                self.reply(request, content).await;
                self.kernel.iopub.status(request, "idle");
            }
            Answer::ReplyAndExit(content) => {
                self.reply(request, content).await;
                self.kernel.iopub.status(request, "idle");
                // Let ZeroMQ flush the reply and the idle status before the process ends.
                tokio::time::sleep(Duration::from_millis(100)).await;
                std::process::exit(0);
            }
            Answer::Nothing => self.kernel.iopub.status(request, "idle"),
        }
    }

    async fn reply(&mut self, request: &Message, content: Value) {
        let reply_type = reply_type(request.msg_type());
        let reply = request.child(&self.kernel.session_id, &reply_type, content);
        if let Ok(frames) = ZmqMessage::try_from(reply.encode(&self.signer)) {
            if let Err(e) = self.socket.send(frames).await {
                eprintln!("storyreel kernel: {reply_type} failed: {e}");
            }
        }
    }

    /// "Run all" queues every cell at once; after a failing cell the rest must not run against
    /// a half-built story, so (as ipykernel does) cells already waiting are answered `aborted`.
    async fn abort_queued(&mut self) {
        // What arrived during the cell first, then (a zero timeout) what has arrived since.
        loop {
            let queued = match self.waiting.pop_front() {
                Some(q) => q,
                None => match tokio::time::timeout(Duration::ZERO, self.next()).await {
                    Ok(Some(q)) => q,
                    Ok(None) => continue,
                    Err(_) => break,
                },
            };
            if queued.msg_type() != "execute_request" {
                Box::pin(self.answer(&queued)).await;
                continue;
            }
            self.kernel.iopub.status(&queued, "busy");
            self.reply(&queued, json!({ "status": "aborted" })).await;
            self.kernel.iopub.status(&queued, "idle");
        }
    }
}

fn failed_and_stops(request: &Message, reply: &Value) -> bool {
    request.msg_type() == "execute_request"
        && reply["status"] == "error"
        && request.content["stop_on_error"].as_bool().unwrap_or(true)
}

/// Exits when the Jupyter process that started the kernel is gone, so a killed server leaves no
/// orphan kernels behind. Jupyter names itself in `JPY_PARENT_PID`; a kernel started any other
/// way is left alone.
async fn exit_with_parent() {
    #[cfg(unix)]
    {
        let parent = std::os::unix::process::parent_id();
        let launched_by_jupyter =
            std::env::var("JPY_PARENT_PID").is_ok_and(|pid| pid.trim() == parent.to_string());
        if !launched_by_jupyter {
            return;
        }
        loop {
            tokio::time::sleep(Duration::from_secs(1)).await;
            if std::os::unix::process::parent_id() != parent {
                std::process::exit(0);
            }
        }
    }
}

/// A failing socket must not spin the CPU; peers that vanish are normal.
async fn pause_after(e: &zeromq::ZmqError) {
    eprintln!("storyreel kernel: receive failed: {e}");
    tokio::time::sleep(Duration::from_millis(50)).await;
}
