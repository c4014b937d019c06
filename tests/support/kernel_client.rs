//! A minimal Jupyter client over the kernel's own wire code: starts a kernel process on free
//! ports and talks to its shell and IOPub sockets. Shared by tests and the benchmark.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use bytes::Bytes;
use serde_json::{json, Value};
use storyreel::frontends::kernel::wire::{new_header, Message, Signer};
use zeromq::{Socket, SocketRecv, SocketSend, ZmqMessage};

pub const KEY: &str = "a1b2c3-test-key";

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Writes a connection file with fresh ports; returns its content.
pub fn connection_file(path: &Path) -> Value {
    let info = json!({
        "transport": "tcp", "ip": "127.0.0.1", "key": KEY, "signature_scheme": "hmac-sha256",
        "shell_port": free_port(), "iopub_port": free_port(), "stdin_port": free_port(),
        "control_port": free_port(), "hb_port": free_port(), "kernel_name": "storyreel",
    });
    std::fs::write(path, info.to_string()).unwrap();
    info
}

/// The kernel process; killed when dropped.
pub struct KernelProcess(pub Child);

impl KernelProcess {
    /// `argv` with `{connection_file}` replaced, as Jupyter launches a kernelspec.
    pub fn start(argv: &[&str], connection: &Path, workspace: &Path) -> Self {
        let args: Vec<String> = argv
            .iter()
            .map(|a| a.replace("{connection_file}", &connection.display().to_string()))
            .collect();
        let child = Command::new(&args[0])
            .args(&args[1..])
            .env("STORYREEL_HOME", workspace)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting the kernel");
        Self(child)
    }
}

impl Drop for KernelProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub struct Client {
    pub shell: zeromq::DealerSocket,
    pub control: zeromq::DealerSocket,
    pub iopub: zeromq::SubSocket,
    pub signer: Signer,
    pub session: String,
}

impl Client {
    /// Connects as soon as the kernel has bound its ports.
    pub async fn connect(info: &Value) -> Self {
        let endpoint = |port: &str| format!("tcp://127.0.0.1:{}", info[port]);
        let mut shell = zeromq::DealerSocket::new();
        retry(&mut shell, &endpoint("shell_port")).await;
        let mut control = zeromq::DealerSocket::new();
        retry(&mut control, &endpoint("control_port")).await;
        let mut iopub = zeromq::SubSocket::new();
        retry(&mut iopub, &endpoint("iopub_port")).await;
        iopub.subscribe("").await.unwrap();
        Self {
            shell,
            control,
            iopub,
            signer: Signer::new(info["key"].as_str().unwrap()),
            session: uuid::Uuid::new_v4().to_string(),
        }
    }

    pub fn request(&self, msg_type: &str, content: Value) -> Message {
        Message {
            identities: Vec::new(),
            header: new_header(&self.session, msg_type),
            parent_header: json!({}),
            metadata: json!({}),
            content,
            buffers: Vec::new(),
        }
    }

    /// Sends on shell, signed with `signer` (the right key unless a test forges one).
    pub async fn send_signed(&mut self, msg: &Message, signer: &Signer) {
        let frames: Vec<Bytes> = msg.encode(signer);
        self.shell
            .send(ZmqMessage::try_from(frames).unwrap())
            .await
            .unwrap();
    }

    pub async fn send(&mut self, msg: &Message) {
        let signer = self.signer.clone();
        self.send_signed(msg, &signer).await;
    }

    /// The next shell reply, or `None` after `wait`.
    pub async fn shell_reply(&mut self, wait: Duration) -> Option<Message> {
        let frames = tokio::time::timeout(wait, self.shell.recv())
            .await
            .ok()?
            .ok()?;
        Some(Message::decode(frames.into_vec(), &self.signer).expect("kernel signs its replies"))
    }

    /// Sends and waits for the reply, retrying until the kernel's sockets are up.
    pub async fn ask(&mut self, msg_type: &str, content: Value) -> Message {
        let msg = self.request(msg_type, content);
        self.send(&msg).await;
        self.shell_reply(Duration::from_secs(30))
            .await
            .expect("the kernel replied")
    }

    /// IOPub messages of the request `msg_id`, up to the `idle` that ends it.
    pub async fn outputs_until_idle(&mut self, msg_id: &str) -> Vec<Message> {
        let mut seen = Vec::new();
        loop {
            let frames = tokio::time::timeout(Duration::from_secs(30), self.iopub.recv())
                .await
                .expect("IOPub went quiet")
                .unwrap();
            let msg = Message::decode(frames.into_vec(), &self.signer).unwrap();
            if msg.parent_header["msg_id"] != msg_id {
                continue;
            }
            let done = msg.msg_type() == "status" && msg.content["execution_state"] == "idle";
            seen.push(msg);
            if done {
                return seen;
            }
        }
    }
}

/// ZeroMQ's connect fails while nothing listens yet; try again every millisecond.
async fn retry(socket: &mut impl Socket, endpoint: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while let Err(e) = socket.connect(endpoint).await {
        assert!(
            std::time::Instant::now() < deadline,
            "cannot connect to {endpoint}: {e}"
        );
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}
