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
pub mod notebook;
mod symbols;
pub mod wire;
mod worker;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::sync::mpsc;
use zeromq::{Socket, SocketRecv, SocketSend, ZmqMessage};

use connection::ConnectionInfo;
use handlers::{reply_type, Answer, Kernel};
use iopub::Iopub;
use wire::{Message, Signer};
use worker::WorkerHandle;

/// Serves until a `shutdown_request` arrives; then the process exits.
pub fn serve(connection_file: &Path) -> Result<(), String> {
    let info = ConnectionInfo::read(connection_file)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(run(info))
}

async fn run(info: ConnectionInfo) -> Result<(), String> {
    let signer = Signer::new(&info.key);
    let bind = |name: &'static str, port: u16| {
        let endpoint = info.endpoint(port);
        move |e: zeromq::ZmqError| format!("cannot bind the {name} socket to {endpoint}: {e}")
    };
    let mut shell = zeromq::RouterSocket::new();
    shell
        .bind(&info.endpoint(info.shell_port))
        .await
        .map_err(bind("shell", info.shell_port))?;
    let mut control = zeromq::RouterSocket::new();
    control
        .bind(&info.endpoint(info.control_port))
        .await
        .map_err(bind("control", info.control_port))?;
    let mut stdin = zeromq::RouterSocket::new();
    stdin
        .bind(&info.endpoint(info.stdin_port))
        .await
        .map_err(bind("stdin", info.stdin_port))?;
    let mut iopub_socket = zeromq::PubSocket::new();
    iopub_socket
        .bind(&info.endpoint(info.iopub_port))
        .await
        .map_err(bind("iopub", info.iopub_port))?;
    let mut heartbeat = zeromq::RepSocket::new();
    heartbeat
        .bind(&info.endpoint(info.hb_port))
        .await
        .map_err(bind("heartbeat", info.hb_port))?;

    let session_id = uuid::Uuid::new_v4().to_string();
    let (queue, outgoing) = mpsc::unbounded_channel();
    let iopub = Iopub::new(&session_id, queue);
    let kernel = Arc::new(Kernel {
        session_id,
        iopub: iopub.clone(),
        worker: WorkerHandle::spawn(iopub),
        connection: info.clone(),
    });

    tokio::spawn(publish(iopub_socket, outgoing, signer.clone()));
    tokio::spawn(echo(heartbeat));
    tokio::spawn(exit_with_parent());
    let requests = |socket, kernel, signer| Requests {
        socket,
        kernel,
        signer,
    };
    tokio::spawn(requests(control, kernel.clone(), signer.clone()).serve());
    requests(shell, kernel, signer).serve().await;
    drop(stdin);
    Ok(())
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
}

impl Requests {
    async fn serve(mut self) {
        loop {
            if let Some(request) = self.next().await {
                self.answer(&request).await;
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
        match self.kernel.handle(request).await {
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
        // A zero timeout takes only what has already arrived.
        while let Ok(queued) = tokio::time::timeout(Duration::ZERO, self.next()).await {
            let Some(queued) = queued else { continue };
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
        while launched_by_jupyter {
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
