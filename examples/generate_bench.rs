//! Generation benchmark, printed as ratios against the ideal, in one run:
//!   cargo run --release --example generate_bench
//! (a) 30 scenes × 4 candidates on 4 stand-in A1111 servers that each make one
//!     image at a time in 200 ms: wall time / ideal (total work / servers), target <= 1.10;
//! (b) the same batch again: answered from the cache, zero requests, target < 0.2 s;
//! (c) the draft backend: 120 sketches at 576×1024, target < 3 s.

#[path = "../tests/generate_support/mod.rs"]
mod generate_support;

use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use generate_support::a1111::A1111;
use storyreel::generate::{derive_seed, BackendConfig, BackendKind, Generator, ImageRequest};

const SCENES: usize = 30;
const CANDIDATES: usize = 4;
const SERVERS: usize = 4;
const IMAGE_TIME: Duration = Duration::from_millis(200);

fn batch(width: u32, height: u32) -> Vec<ImageRequest> {
    (0..SCENES)
        .flat_map(|scene| (0..CANDIDATES).map(move |c| (scene, c)))
        .map(|(scene, c)| ImageRequest {
            width,
            height,
            steps: 20,
            characters: vec!["Quetzalcoatl".into(), "Tezcatlipoca".into()],
            label: format!("scene {scene} #{c}"),
            ..ImageRequest::new(
                format!("scene {scene}: the feathered serpent over the city of Tula at dusk"),
                derive_seed(1, &format!("scene {scene}"), 0, c),
            )
        })
        .collect()
}

fn run(generator: &Generator, requests: Vec<ImageRequest>, force: bool) -> (f64, usize) {
    let start = Instant::now();
    let results = generator.generate(requests, force, &|_| {}, &AtomicBool::new(false));
    let failed = results.iter().filter(|r| r.is_err()).count();
    (start.elapsed().as_secs_f64(), failed)
}

fn main() {
    let dir = std::env::temp_dir().join(format!("storyreel-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);

    let servers: Vec<A1111> = (0..SERVERS).map(|_| A1111::start(IMAGE_TIME)).collect();
    let config =
        BackendConfig::new(BackendKind::A1111).with_urls(servers.iter().map(|s| s.url.clone()));
    let generator = Generator::new(config, dir.join("pool")).expect("pool generator");
    let total = SCENES * CANDIDATES;
    let ideal = IMAGE_TIME.as_secs_f64() * total as f64 / SERVERS as f64;
    let (wall, failed) = run(&generator, batch(512, 512), false);
    let per_server: Vec<usize> = servers.iter().map(|s| s.received().len()).collect();
    println!(
        "(a) pool: {total} images on {SERVERS} servers in {wall:.2} s; ideal {ideal:.2} s; ratio {:.3}x (target <= 1.10); failed {failed}; per server {per_server:?}",
        wall / ideal
    );

    let before = generator.requests_made();
    let (cached, failed) = run(&generator, batch(512, 512), false);
    println!(
        "(b) cache rerun: {cached:.3} s ({:.3}x of the 0.2 s target); requests {} (target 0); failed {failed}",
        cached / 0.2,
        generator.requests_made() - before
    );

    let draft = Generator::new(BackendConfig::draft(), dir.join("draft")).expect("draft generator");
    let (painted, failed) = run(&draft, batch(576, 1024), true);
    println!("(c) draft: {total} sketches 576x1024 in {painted:.2} s ({:.3}x of the 3 s target); failed {failed}", painted / 3.0);
    let _ = std::fs::remove_dir_all(&dir);
}
