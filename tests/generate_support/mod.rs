//! Stand-in image servers for the contract tests and the benchmark. Each runs on
//! its own thread and runtime at a free port on 127.0.0.1 and records what it was sent.

// Handlers return ready `Response`s as errors, the axum way.
#![allow(dead_code, clippy::result_large_err)]

pub mod a1111;
pub mod comfyui;
pub mod horde;

use std::io::Cursor;

/// Generates without progress reports or cancelling.
pub fn generate(
    generator: &storyreel::generate::Generator,
    requests: Vec<storyreel::generate::ImageRequest>,
) -> Vec<Result<storyreel::generate::GeneratedImage, storyreel::generate::GenerateError>> {
    generator.generate(
        requests,
        false,
        &|_| {},
        &std::sync::atomic::AtomicBool::new(false),
    )
}

/// The error message of one request that must fail.
pub fn failure_of(
    generator: &storyreel::generate::Generator,
    request: storyreel::generate::ImageRequest,
) -> String {
    generate(generator, vec![request])
        .remove(0)
        .unwrap_err()
        .to_string()
}

/// The colour of a generated image's first pixel: with [`png_for_seed`], which seed came back.
pub fn color_of(image: &storyreel::generate::GeneratedImage) -> [u8; 3] {
    image::open(&image.path)
        .unwrap()
        .to_rgb8()
        .get_pixel(0, 0)
        .0
}

/// A solid-colour PNG whose colour encodes the seed, so tests can tell which image came back.
pub fn png_for_seed(seed: u64, width: u32, height: u32) -> Vec<u8> {
    let color = seed_color(seed);
    let image = image::RgbImage::from_pixel(width, height, image::Rgb(color));
    let mut png = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png
}

pub fn seed_color(seed: u64) -> [u8; 3] {
    [(seed % 200) as u8 + 30, (seed / 200 % 200) as u8 + 30, 77]
}

/// Runs a server future on a thread of its own; returns once it is listening.
pub fn spawn_server(router: axum::Router) -> String {
    let running = Running::start(router, "127.0.0.1:0");
    let url = running.url.clone();
    std::mem::forget(running);
    url
}

/// A server that can be killed (every connection dropped at once, as when its
/// process dies) and started again on the same port.
pub struct Running {
    pub url: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Running {
    pub fn start(router: axum::Router, addr: &str) -> Running {
        let (tx, rx) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let addr = addr.to_string();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind(&addr).await.unwrap();
                tx.send(listener.local_addr().unwrap()).unwrap();
                tokio::select! {
                    served = axum::serve(listener, router) => served.unwrap(),
                    _ = stopped => {}
                }
            });
            // Dropping the runtime drops every open connection mid-request.
            runtime.shutdown_background();
        });
        Running {
            url: format!("http://{}", rx.recv().unwrap()),
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// Stops listening and drops every connection; returns once the port is free.
    pub fn kill(mut self) -> String {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        self.url.clone()
    }
}

/// An address where nothing listens: bind a port, then free it.
pub fn dead_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}
