//! Rendering: video, narration, captions, sheets, errors and bounded memory.
//!
//! One test binary per layer: each links once, which keeps a fresh `cargo test` short.
//! A test file is a module here; `cargo test --test render MODULE::` runs one.

#[path = "../common/mod.rs"]
mod common;
#[path = "../generate_support/mod.rs"]
mod generate_support;
#[path = "../render_common/mod.rs"]
mod render_common;

mod bounded_memory;
mod builtin;
mod errors;
mod openai_tts;
mod sheet_numbers;
mod video;
mod voice;
