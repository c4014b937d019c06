//! The Rhai engine of a session: limits, output hooks, interrupt, primitives and stdlib.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use rhai::{Dynamic, Engine, OptimizationLevel};

use super::context::Context;

pub fn build(ctx: &Arc<Context>) -> Engine {
    let mut engine = Engine::new();
    // Constant folding across cells would see stale values of the persistent scope.
    engine.set_optimization_level(OptimizationLevel::None);
    // Runaway scripts hit these instead of exhausting memory or the stack.
    engine.set_max_string_size(64 << 20);
    engine.set_max_array_size(1_000_000);
    engine.set_max_map_size(1_000_000);
    engine.set_max_call_levels(96);
    engine.set_max_expr_depths(256, 128);

    let c = ctx.clone();
    engine.on_print(move |s| c.display.stdout(&format!("{s}\n")));
    let c = ctx.clone();
    engine.on_debug(move |s, _source, pos| {
        let at = pos
            .line()
            .map(|l| format!("[line {l}] "))
            .unwrap_or_default();
        c.display.stderr(&format!("{at}{s}\n"));
    });
    let c = ctx.clone();
    engine.on_progress(move |_| {
        c.interrupt
            .load(Ordering::Relaxed)
            .then(|| Dynamic::from("interrupted"))
    });

    super::api::register_all(&mut engine, ctx);
    super::stdlib::register(&mut engine);
    engine
}
