//! Peak resident memory of this process, which the render and voice benchmarks print from a
//! child process so that each measured render starts from a fresh peak.

/// Peak resident set size of this process (`VmHWM`), in KiB; 0 where /proc cannot say.
pub fn peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
