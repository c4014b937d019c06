//! The Rhai engine of a session: limits, output hooks, interrupt, primitives and stdlib.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use rhai::{Dynamic, Engine, OptimizationLevel};

use super::context::Context;

pub fn build(ctx: &Arc<Context>) -> Engine {
    let mut engine = Engine::new();
    // Constant folding across cells would see stale values of the persistent scope.
    engine.set_optimization_level(OptimizationLevel::None);
    // Runaway scripts hit these instead of exhausting the stack. Memory is bounded in bytes by
    // `memory` (checked between operations): Rhai's own size limits re-measure a whole array
    // after each operation on it, which made `a.push(x)` in a loop quadratic.
    engine.set_max_call_levels(96);
    if !super::memory::counting() {
        // Embedded without the counting allocator (library use, in-process tests): Rhai's own
        // limits are the guard, at the price of their per-operation walk.
        engine.set_max_string_size(64 << 20);
        engine.set_max_array_size(1_000_000);
        engine.set_max_map_size(1_000_000);
    }
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
        if c.interrupt.load(Ordering::Relaxed) {
            Some(Dynamic::from("interrupted"))
        } else {
            super::memory::over_limit().then(|| Dynamic::from(super::memory::OVER_LIMIT))
        }
    });

    super::api::register_all(&mut engine, ctx);
    super::sizes::register(&mut engine);
    super::stdlib::register(&mut engine);
    engine
}
