//! Generation: the draft backend, the stand-in servers of every kind, pools, errors, the real ComfyUI tier.
//!
//! One test binary per layer: each links once, which keeps a fresh `cargo test` short.
//! A test file is a module here; `cargo test --test generate MODULE::` runs one.

#[path = "../common/mod.rs"]
mod common;
#[path = "../generate_support/mod.rs"]
mod generate_support;

mod a1111;
mod comfyui;
mod draft;
mod errors;
mod horde;
mod names;
mod openai;
mod pool;
mod real_comfyui;
mod server_text;
mod stop;
