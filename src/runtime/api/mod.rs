//! Thin Rhai bindings of the domain. Each file registers one family of primitives.

pub mod cast;
pub mod character;
pub mod generate;
#[cfg(feature = "evcxr")]
pub mod evcxr;
pub mod handles;
pub mod image;
pub mod render;
pub mod show;
pub mod story;

use std::sync::Arc;

use rhai::Engine;

use super::context::Context;

pub fn register_all(engine: &mut Engine, ctx: &Arc<Context>) {
    story::register(engine, ctx);
    character::register(engine, ctx);
    cast::register(engine, ctx);
    generate::register(engine, ctx);
    image::register(engine, ctx);
    render::register(engine, ctx);
    show::register(engine, ctx);
}
