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
    tokio::spawn(serve_requests(control, kernel.clone(), signer.clone()));
    serve_requests(shell, kernel, signer).await;
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
async fn serve_requests(mut socket: zeromq::RouterSocket, kernel: Arc<Kernel>, signer: Signer) {
    loop {
        let frames = match socket.recv().await {
            Ok(frames) => frames.into_vec(),
            Err(e) => {
                pause_after(&e).await;
                continue;
            }
        };
        let request = match Message::decode(frames, &signer) {
            Ok(request) => request,
            Err(e) => {
                // Unsigned or forged messages are dropped without an answer.
                eprintln!("storyreel kernel: dropped a message: {e}");
                continue;
            }
        };
        kernel.iopub.status(&request, "busy");
        let answer = kernel.handle(&request).await;
        let (content, exit) = match answer {
            Answer::Reply(content) => (Some(content), false),
            Answer::ReplyAndExit(content) => (Some(content), true),
            Answer::Nothing => (None, false),
        };
        if let Some(content) = content {
            let reply = request.child(&kernel.session_id, &reply_type(request.msg_type()), content);
            if let Ok(frames) = ZmqMessage::try_from(reply.encode(&signer)) {
                if let Err(e) = socket.send(frames).await {
                    eprintln!("storyreel kernel: reply failed: {e}");
                }
            }
        }
        kernel.iopub.status(&request, "idle");
        if exit {
            // Let ZeroMQ flush the reply and the idle status before the process ends.
            tokio::time::sleep(Duration::from_millis(100)).await;
            std::process::exit(0);
        }
    }
}

/// A failing socket must not spin the CPU; peers that vanish are normal.
async fn pause_after(e: &zeromq::ZmqError) {
    eprintln!("storyreel kernel: receive failed: {e}");
    tokio::time::sleep(Duration::from_millis(50)).await;
}
