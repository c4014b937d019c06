//! Front-ends: the REPL, the Jupyter kernel, the pick page and the session they share.
//!
//! One test binary per layer: each links once, which keeps a fresh `cargo test` short.
//! A test file is a module here; `cargo test --test frontends MODULE::` runs one.

#[path = "../common/mod.rs"]
mod common;
#[path = "../support/kernel_client.rs"]
mod kernel_client;

mod kernel_jupyter;
mod pick_browser;
mod pick_http;
mod picks_persist;
mod repl_graphics;
mod repl_notebook;
mod repl_piped;
mod repl_pty;
mod session;
