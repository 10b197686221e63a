//! Timings of the stages of a build, for profiling (`CONGKHAI_TIMINGS=1`;
//! see docs/performance.md).

/// Prints how long each stage took, and the peak memory so far, when
/// `CONGKHAI_TIMINGS` is set (for profiling; see docs/performance.md).
pub struct Timer {
    on: bool,
    last: std::time::Instant,
}

impl Timer {
    pub fn new() -> Self {
        Self {
            on: std::env::var_os("CONGKHAI_TIMINGS").is_some(),
            last: std::time::Instant::now(),
        }
    }

    pub fn lap(&mut self, what: &str) {
        if self.on {
            eprintln!(
                "  {what}: {:.0} ms (peak {})",
                self.last.elapsed().as_secs_f64() * 1000.0,
                peak_memory()
            );
        }
        self.last = std::time::Instant::now();
    }
}

/// The peak resident memory of the process, where the system tells it.
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .map(|v| v.trim().to_string())
        })
        .unwrap_or_else(|| "?".into())
}

impl Default for Timer {
    fn default() -> Self {
        Self::new()
    }
}
