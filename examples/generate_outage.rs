//! A server outage in the middle of a batch, printed against the ideal in one run:
//!   cargo run --release --example generate_outage
//! 60 images over 3 stand-in A1111 servers (one image at a time each, 1 s per
//! image); one server is killed once 10 images are made and started again 20 s
//! later. Prints the images lost (target 0) and the wall time against the ideal
//! for the capacity that was alive: 3 servers, then 2 for 20 s, then 3 again.

#[path = "../tests/generate_support/mod.rs"]
mod generate_support;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use generate_support::a1111::A1111;
use storyreel::generate::{derive_seed, BackendConfig, BackendKind, Generator, ImageRequest};

const IMAGES: usize = 60;
const SERVERS: usize = 3;
const IMAGE_TIME: Duration = Duration::from_secs(1);
const KILL_AFTER: usize = 10;
const DOWN_FOR: Duration = Duration::from_secs(20);

/// Shortest time to make `IMAGES` when `SERVERS` work except one during the outage.
fn ideal(killed_at: f64) -> f64 {
    let per = IMAGE_TIME.as_secs_f64();
    let down = DOWN_FOR.as_secs_f64();
    let mut left = IMAGES as f64 * per;
    let phases = [
        (killed_at, SERVERS as f64),
        (down, SERVERS as f64 - 1.0),
        (f64::INFINITY, SERVERS as f64),
    ];
    let mut time = 0.0;
    for (length, capacity) in phases {
        let work = length * capacity;
        if work >= left {
            return time + left / capacity;
        }
        left -= work;
        time += length;
    }
    time
}

fn main() {
    let dir = std::env::temp_dir().join(format!("storyreel-outage-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let servers: Vec<A1111> = (0..SERVERS).map(|_| A1111::start(IMAGE_TIME)).collect();
    let config =
        BackendConfig::new(BackendKind::A1111).with_urls(servers.iter().map(|s| s.url.clone()));
    let generator = Generator::new(config, dir.clone()).expect("generator");
    let requests: Vec<ImageRequest> = (0..IMAGES)
        .map(|i| ImageRequest {
            steps: 20,
            label: format!("scene {} #{}", i / 4, i % 4),
            ..ImageRequest::new(
                format!("scene {}: the feathered serpent over Tula", i / 4),
                derive_seed(7, &format!("scene {}", i / 4), 0, i % 4),
            )
        })
        .collect();

    let done = AtomicUsize::new(0);
    let finished = AtomicBool::new(false);
    let start = Instant::now();
    let (results, wall, killed_at) = std::thread::scope(|scope| {
        let outage = scope.spawn(|| {
            while done.load(Ordering::SeqCst) < KILL_AFTER && !finished.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(5));
            }
            let killed_at = start.elapsed().as_secs_f64();
            servers[SERVERS - 1].kill();
            std::thread::sleep(DOWN_FOR);
            servers[SERVERS - 1].revive();
            killed_at
        });
        let progress = |p: storyreel::generate::Progress| {
            done.store(p.done, Ordering::SeqCst);
        };
        let results = generator.generate(requests, false, &progress, &AtomicBool::new(false));
        let wall = start.elapsed().as_secs_f64();
        finished.store(true, Ordering::SeqCst);
        (results, wall, outage.join().unwrap())
    });
    let lost = results.iter().filter(|r| r.is_err()).count();
    let ideal = ideal(killed_at);
    let per_server: Vec<u64> = servers
        .iter()
        .map(|s| s.state.images_made.load(Ordering::SeqCst))
        .collect();
    println!(
        "outage: {IMAGES} images on {SERVERS} servers, one killed after {KILL_AFTER} images ({killed_at:.1} s) and back {} s later",
        DOWN_FOR.as_secs()
    );
    println!("  images lost: {lost} (target 0)");
    println!(
        "  wall {wall:.1} s; ideal for the surviving capacity {ideal:.1} s; ratio {:.3}x; images per server {per_server:?}",
        wall / ideal
    );
    let _ = std::fs::remove_dir_all(&dir);
}
