//! Timings of the stages of a build, for profiling (`CONGKHAI_TIMINGS=1`;
//! see docs/performance.md).

/// Prints how long each stage took, the peak memory so far and the memory
/// held at its end (what the next stage starts from), when
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
                "  {what}: {:.0} ms ({})",
                self.last.elapsed().as_secs_f64() * 1000.0,
                memory()
            );
        }
        self.last = std::time::Instant::now();
    }
}

/// The peak and present resident memory of the process, where the system
/// tells them.
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map_or("?", str::trim)
            .to_string()
    };
    format!("peak {}, now {}", field("VmHWM:"), field("VmRSS:"))
}

impl Default for Timer {
    fn default() -> Self {
        Self::new()
    }
}
