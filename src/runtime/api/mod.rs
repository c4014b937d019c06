//! Thin Rhai bindings of the domain. Each file registers one family of primitives.

pub mod cast;
pub mod character;
#[cfg(feature = "evcxr")]
pub mod evcxr;
pub mod generate;
pub mod handles;
pub mod image;
pub mod render;
pub mod show;
pub mod story;

use std::sync::Arc;

use rhai::{Engine, Map};

use super::context::Context;
use super::options::RhaiResult;

pub fn register_all(engine: &mut Engine, ctx: &Arc<Context>) {
    story::register(engine, ctx);
    character::register(engine, ctx);
    cast::register(engine, ctx);
    generate::register(engine, ctx);
    image::register(engine, ctx);
    render::register(engine, ctx);
    show::register(engine, ctx);
}

/// Registers a primitive that takes an options map twice: `name(arg, #{ … })` and `name(arg)`.
pub fn register_with_options<A, R>(
    engine: &mut Engine,
    ctx: &Arc<Context>,
    name: &str,
    primitive: fn(&Context, A, Map) -> RhaiResult<R>,
) where
    A: Clone + Send + Sync + 'static,
    R: Clone + Send + Sync + 'static,
{
    let c = ctx.clone();
    engine.register_fn(name, move |arg: A, opts: Map| primitive(&c, arg, opts));
    let c = ctx.clone();
    engine.register_fn(name, move |arg: A| primitive(&c, arg, Map::new()));
}
