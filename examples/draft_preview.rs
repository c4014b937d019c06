//! Paints a few draft panels into a folder so a person can look at them:
//! `cargo run --example draft_preview -- /tmp/drafts`

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use storyreel::generate::{derive_seed, BackendConfig, Generator, ImageRequest};

fn main() {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "draft-preview".into()),
    );
    let generator = Generator::new(BackendConfig::draft(), out.clone()).expect("draft backend");
    let scenes = [
        (
            "Siegfried rides through the dark forest at night, the moon above the trees",
            vec!["Siegfried"],
            (576, 1024),
        ),
        (
            "The dragon Fafnir guards gold in a mountain cave; fire and smoke",
            vec!["Fafnir", "Siegfried"],
            (576, 1024),
        ),
        (
            "The little mermaid watches the ship on the sea at sunset",
            vec!["the little mermaid", "the prince", "the sea witch"],
            (1024, 576),
        ),
        ("A quiet village square in the morning", vec![], (512, 512)),
    ];
    let requests = scenes
        .iter()
        .enumerate()
        .map(|(i, (prompt, cast, (w, h)))| ImageRequest {
            characters: cast.iter().map(|s| s.to_string()).collect(),
            width: *w,
            height: *h,
            label: format!("scene {} #0", i + 1),
            ..ImageRequest::new(*prompt, derive_seed(42, prompt, 0, 0))
        })
        .collect();
    for result in generator.generate(requests, true, &|_| {}, &AtomicBool::new(false)) {
        match result {
            Ok(image) => println!("{}", image.path.display()),
            Err(e) => eprintln!("error: {e}"),
        }
    }
}
