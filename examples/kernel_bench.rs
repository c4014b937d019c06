//! Kernel latency, beside ipykernel measured in the same run when it is installed:
//! start to `kernel_info_reply` and to the first cell's reply (medians of 10 starts), and the
//! `execute` round trip of a trivial cell (median of 200), to the reply and to the `idle` that
//! ends the cell.
//!
//! cargo build --release && cargo run --release --example kernel_bench
//! (STORYREEL_PYTHON picks the Python with ipykernel; STORYREEL_BIN the kernel binary.)

mod bench_bin;
#[path = "../tests/support/kernel_client.rs"]
mod kernel_client;

use std::process::Command;
use std::time::{Duration, Instant};

use kernel_client::{connection_file, runtime, Client, KernelProcess};
use serde_json::json;

const STARTS: usize = 10;
const EXECUTES: usize = 200;

struct Figures {
    start_ms: f64,
    first_cell_ms: f64,
    reply_ms: f64,
    idle_ms: f64,
}

fn main() {
    let storyreel = bench_bin::storyreel();
    let ours = measure(&[
        storyreel.to_str().unwrap(),
        "kernel",
        "--connection-file",
        "{connection_file}",
    ]);
    report("storyreel", &ours, None);

    let python = std::env::var("STORYREEL_PYTHON").unwrap_or_else(|_| "python3".into());
    let has_ipykernel = Command::new(&python)
        .args(["-c", "import ipykernel"])
        .output()
        .is_ok_and(|o| o.status.success());
    if has_ipykernel {
        let theirs = measure(&[
            &python,
            "-m",
            "ipykernel_launcher",
            "-f",
            "{connection_file}",
        ]);
        report("ipykernel", &theirs, Some(&ours));
    } else {
        println!("ipykernel: not installed for {python} (set STORYREEL_PYTHON), no baseline");
    }
}

fn measure(argv: &[&str]) -> Figures {
    let rt = runtime();
    let mut starts = Vec::new();
    let mut first_cells = Vec::new();
    let mut replies = Vec::new();
    let mut idles = Vec::new();
    for i in 0..STARTS {
        let dir = tempfile::tempdir().unwrap();
        let conn = dir.path().join("connection.json");
        let info = connection_file(&conn);
        let begun = Instant::now();
        let _kernel = KernelProcess::start(argv, &conn, &dir.path().join("ws"));
        rt.block_on(async {
            wait_for_heartbeat_port(&info).await;
            let mut client = Client::connect(&info).await;
            client.ask("kernel_info_request", json!({})).await;
            starts.push(begun.elapsed());
            client.ask("execute_request", json!({ "code": "1" })).await;
            first_cells.push(begun.elapsed());
            if i > 0 {
                return;
            }
            for _ in 0..EXECUTES {
                let cell = client.request(
                    "execute_request",
                    json!({ "code": "1", "silent": false, "store_history": true }),
                );
                let sent = Instant::now();
                client.send(&cell).await;
                client.shell_reply(Duration::from_secs(10)).await.unwrap();
                replies.push(sent.elapsed());
                client.outputs_until_idle(cell.msg_id()).await;
                idles.push(sent.elapsed());
            }
        });
    }
    Figures {
        start_ms: median_ms(&mut starts),
        first_cell_ms: median_ms(&mut first_cells),
        reply_ms: median_ms(&mut replies),
        idle_ms: median_ms(&mut idles),
    }
}

/// The heartbeat port is bound last. Polling it with plain TCP sees the kernel ready as soon as it
/// is; `zeromq`'s own connect retries with a 50 ms backoff, which would time the client instead.
async fn wait_for_heartbeat_port(info: &serde_json::Value) {
    let port = info["hb_port"].as_u64().unwrap() as u16;
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "the kernel never bound its ports"
        );
        tokio::time::sleep(Duration::from_micros(200)).await;
    }
}

fn median_ms(samples: &mut [Duration]) -> f64 {
    samples.sort();
    samples[samples.len() / 2].as_secs_f64() * 1e3
}

fn report(name: &str, f: &Figures, baseline: Option<&Figures>) {
    let vs = |pick: fn(&Figures) -> f64| match baseline {
        Some(b) => format!(" ({:.1}x storyreel)", pick(f) / pick(b)),
        None => String::new(),
    };
    println!("{name}:");
    println!(
        "  start to kernel_info_reply      {:8.1} ms{}",
        f.start_ms,
        vs(|f| f.start_ms)
    );
    println!(
        "  start to first cell's reply     {:8.1} ms{}",
        f.first_cell_ms,
        vs(|f| f.first_cell_ms)
    );
    println!(
        "  execute round trip, to reply    {:8.3} ms{}  (median of {EXECUTES})",
        f.reply_ms,
        vs(|f| f.reply_ms)
    );
    println!(
        "  execute round trip, to idle     {:8.3} ms{}",
        f.idle_ms,
        vs(|f| f.idle_ms)
    );
}
