//! Scripts end to end: the CLI, the README's examples, the cast, errors and hardening.
//!
//! One test binary per layer: each links once, which keeps a fresh `cargo test` short.
//! A test file is a module here; `cargo test --test scripts MODULE::` runs one.

#[path = "../common/mod.rs"]
mod common;

mod cache_cli;
mod cast_fairy_tales;
mod cast_stories;
mod error_hints;
mod hardening_cli;
mod readme;
mod run_check;
mod run_cli;
mod script_contracts;
mod script_pipeline;
