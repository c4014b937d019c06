//! How much memory a session's scripts may hold, in bytes, whatever holds it (arrays, maps,
//! strings, stories, images). The program's allocator counts live heap bytes (as the heap keeps
//! them, with its per-block overhead) and the highest count reached. The engine checks between
//! operations and stops, with a clear error, a script that holds more than the limit, or whose
//! last step grew it so much that a step twice that size would pass the limit: one operation
//! cannot be stopped half-way, and the next one in a run of them can be as large again (`[a, a]`
//! copies `a` twice) or twice as large (`s += s`). This replaces Rhai's per-operation size walk,
//! which re-measured a whole array after every `push` and made growing one quadratic.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::OnceLock;

/// The default limit; `STORYREEL_MAX_MEMORY` (e.g. `8G`, `512M`) sets another.
pub const DEFAULT_LIMIT: usize = 2 << 30;
/// What a cell may add on top of what earlier cells left, when that is already past the
/// limit: enough to free things (`big = ()`), not enough to grow without bound.
const HEADROOM: usize = 64 << 20;

static LIVE: AtomicUsize = AtomicUsize::new(0);
/// The highest [`LIVE`] since the last check, and [`LIVE`] at that check.
static PEAK: AtomicUsize = AtomicUsize::new(0);
static AT_CHECK: AtomicUsize = AtomicUsize::new(0);
static COUNTING: AtomicBool = AtomicBool::new(false);
static CELL_CEILING: AtomicUsize = AtomicUsize::new(usize::MAX);

/// The program's allocator (`#[global_allocator]` in the `storyreel` binary): the system's,
/// counting live bytes.
pub struct CountingAllocator;

/// What a block of `size` bytes takes from the heap: malloc's 8-byte header, rounded up to its
/// 16-byte granule, 32 at least. Small blocks (a two-item array is 32 bytes) cost half as much
/// again as they hold; counting only `size` let the resident size pass the limit by that much.
const fn footprint(size: usize) -> usize {
    let chunk = (size + 8 + 15) & !15;
    if chunk < 32 {
        32
    } else {
        chunk
    }
}

fn grow(bytes: usize) {
    let now = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    // A plain read first: a new peak is rare, a locked update on every block is not free.
    if now > PEAK.load(Ordering::Relaxed) {
        PEAK.fetch_max(now, Ordering::Relaxed);
    }
}

// SAFETY: every call is forwarded to `System` unchanged; only counters are kept beside it.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            grow(footprint(layout.size()));
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if !p.is_null() {
            grow(footprint(layout.size()));
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        LIVE.fetch_sub(footprint(layout.size()), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            let (old, new) = (footprint(layout.size()), footprint(new_size));
            if new >= old {
                grow(new - old);
            } else {
                LIVE.fetch_sub(old - new, Ordering::Relaxed);
            }
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
        let live = live_bytes();
        let ceiling = limit().max(live.saturating_add(HEADROOM));
        CELL_CEILING.store(ceiling, Ordering::Relaxed);
        // What happened between cells is no step of this one.
        PEAK.store(live, Ordering::Relaxed);
        AT_CHECK.store(live, Ordering::Relaxed);
    }
}

/// The most the running cell may hold, in bytes.
pub fn ceiling() -> usize {
    match CELL_CEILING.load(Ordering::Relaxed) {
        usize::MAX => limit(),
        c => c,
    }
}

/// Whether the running cell holds more than it may, or grew so much in its last step (up to
/// its highest point within the step) that a step twice that size would pass that. Checked
/// between operations, by the script's thread only.
pub fn over_limit() -> bool {
    if !COUNTING.load(Ordering::Relaxed) {
        return false;
    }
    let live = live_bytes();
    let peak = PEAK.load(Ordering::Relaxed).max(live);
    let step = peak.saturating_sub(AT_CHECK.load(Ordering::Relaxed));
    PEAK.store(live, Ordering::Relaxed);
    AT_CHECK.store(live, Ordering::Relaxed);
    live.saturating_add(step.saturating_mul(2)) > CELL_CEILING.load(Ordering::Relaxed)
}

/// What the engine's stop token says when [`over_limit`] stopped a script.
pub const OVER_LIMIT: &str = "memory limit";

pub fn over_limit_message() -> String {
    format!(
        "out of memory: the script needs more than {} MB (the memory limit; set STORYREEL_MAX_MEMORY, e.g. 8G, for more); free large values with `name = ()`",
        limit() >> 20
    )
}
