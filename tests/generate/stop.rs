//! Ctrl-C against a server that, like stable-diffusion.cpp's sd-server (cpp-httplib),
//! waits for a request body when a POST carries no `Content-Length`: the interrupt
//! must say it has none, so the server stops the running image at once.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use storyreel::generate::{BackendConfig, BackendKind, GenerateError, Generator, ImageRequest};

/// How long the server waits for a body that no header announced.
const BODY_WAIT: Duration = Duration::from_secs(5);

struct SdServer {
    url: String,
    /// Interrupts the server read completely and acted on.
    interrupts: Arc<AtomicU32>,
}

impl SdServer {
    fn start() -> SdServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let interrupts = Arc::new(AtomicU32::new(0));
        let seen = interrupts.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let seen = seen.clone();
                std::thread::spawn(move || serve(stream, &seen));
            }
        });
        SdServer { url, interrupts }
    }
}

fn serve(stream: TcpStream, interrupts: &AtomicU32) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    let _ = reader.read_line(&mut request_line);
    let mut length = None;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse::<usize>().ok();
            }
        }
    }
    match length {
        Some(n) => {
            let mut body = vec![0; n];
            let _ = reader.read_exact(&mut body);
        }
        // cpp-httplib reads a POST's body until its read timeout when none is announced.
        None if request_line.starts_with("POST ") => std::thread::sleep(BODY_WAIT),
        None => {}
    }
    let mut stream = stream;
    if request_line.starts_with("GET ") {
        // The list routes (models, samplers, LoRAs): nothing listed, so nothing checked.
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n[]",
        );
    } else if request_line.contains("/sdapi/v1/interrupt") {
        interrupts.fetch_add(1, Ordering::SeqCst);
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}",
        );
    } else {
        // Busy with an image for the rest of the test (requests run under a mutex).
        std::thread::sleep(Duration::from_secs(120));
    }
}

#[test]
fn ctrl_c_interrupts_an_sd_server_that_waits_for_a_body() {
    let server = SdServer::start();
    let dir = tempfile::tempdir().unwrap();
    let config = BackendConfig::new(BackendKind::SdCpp).with_urls([server.url.clone()]);
    let generator = Generator::new(config, dir.path().into()).unwrap();
    let cancel = AtomicBool::new(false);
    let results = std::thread::scope(|scope| {
        scope.spawn(|| {
            std::thread::sleep(Duration::from_millis(300));
            cancel.store(true, Ordering::SeqCst);
        });
        generator.generate(
            vec![ImageRequest::new("a fox in the snow", 3)],
            false,
            &|_| {},
            &cancel,
        )
    });
    assert!(matches!(results[0], Err(GenerateError::Cancelled)));
    // Without `Content-Length: 0` the server would still be waiting for a body
    // when the client gave up on the interrupt, and would never stop the image.
    assert_eq!(server.interrupts.load(Ordering::SeqCst), 1);
}
