//! Thin Rhai bindings of the domain. Each file registers one family of primitives.

pub mod character;
#[cfg(feature = "evcxr")]
pub mod evcxr;
pub mod handles;
pub mod image;
pub mod show;
pub mod story;

use std::sync::Arc;

use rhai::Engine;

use super::context::Context;

pub fn register_all(engine: &mut Engine, ctx: &Arc<Context>) {
    story::register(engine, ctx);
    character::register(engine, ctx);
    image::register(engine, ctx);
    show::register(engine, ctx);
}
