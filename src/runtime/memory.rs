//! How much memory a session's scripts may hold, in bytes, whatever holds it (arrays, maps,
//! strings, stories, images). The program's allocator counts live heap bytes; the engine checks
//! the count between operations and stops a script that holds more than the limit with a clear
//! error. This replaces Rhai's per-operation size walk, which re-measured a whole array after
//! every `push` and made growing one quadratic.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::OnceLock;

/// The default limit; `STORYREEL_MAX_MEMORY` (e.g. `8G`, `512M`) sets another.
pub const DEFAULT_LIMIT: usize = 2 << 30;
/// What a cell may add on top of what earlier cells left, when that is already past the
/// limit: enough to free things (`big = ()`), not enough to grow without bound.
const HEADROOM: usize = 64 << 20;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static COUNTING: AtomicBool = AtomicBool::new(false);
static CELL_CEILING: AtomicUsize = AtomicUsize::new(usize::MAX);

/// The program's allocator (`#[global_allocator]` in the `storyreel` binary): the system's,
/// counting live bytes.
pub struct CountingAllocator;

// SAFETY: every call is forwarded to `System` unchanged; only a counter is kept beside it.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if !p.is_null() {
            LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            LIVE.fetch_add(new_size, Ordering::Relaxed);
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        p
    }
}

impl CountingAllocator {
    /// Call once the allocator is installed: from then on the limit is enforced.
    pub fn enable(&self) {
        COUNTING.store(true, Ordering::Relaxed);
    }
}

/// Whether the counting allocator is the program's and the limit is enforced.
pub fn counting() -> bool {
    COUNTING.load(Ordering::Relaxed)
}

/// Heap bytes in use now (0 when the counting allocator is not the program's).
pub fn live_bytes() -> usize {
    LIVE.load(Ordering::Relaxed)
}

/// The limit in bytes: `STORYREEL_MAX_MEMORY`, else [`DEFAULT_LIMIT`].
pub fn limit() -> usize {
    static LIMIT: OnceLock<usize> = OnceLock::new();
    *LIMIT.get_or_init(|| {
        std::env::var("STORYREEL_MAX_MEMORY")
            .ok()
            .and_then(|v| crate::generate::cache_upkeep::parse_size(&v).ok())
            .and_then(|n| usize::try_from(n).ok())
            .filter(|&n| n > 0)
            .unwrap_or(DEFAULT_LIMIT)
    })
}

/// Called as a cell starts: it may use memory up to the limit, or a little more than earlier
/// cells left when they already hold more.
pub fn start_cell() {
    if COUNTING.load(Ordering::Relaxed) {
        let ceiling = limit().max(live_bytes().saturating_add(HEADROOM));
        CELL_CEILING.store(ceiling, Ordering::Relaxed);
    }
}

/// The most the running cell may hold, in bytes.
pub fn ceiling() -> usize {
    match CELL_CEILING.load(Ordering::Relaxed) {
        usize::MAX => limit(),
        c => c,
    }
}

/// Whether the running cell holds more than it may (checked between operations).
pub fn over_limit() -> bool {
    COUNTING.load(Ordering::Relaxed) && live_bytes() > CELL_CEILING.load(Ordering::Relaxed)
}

/// What the engine's stop token says when [`over_limit`] stopped a script.
pub const OVER_LIMIT: &str = "memory limit";

pub fn over_limit_message() -> String {
    format!(
        "out of memory: the script holds more than {} MB (the limit; set STORYREEL_MAX_MEMORY, e.g. 8G, for more); free large values with `name = ()`",
        limit() >> 20
    )
}
