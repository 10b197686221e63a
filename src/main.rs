/// mimalloc instead of the system allocator: a build allocates and frees
/// millions of short strings from two threads, where glibc's malloc spent a
/// seventh of the build (see docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    // Where transparent huge pages are always on, every first touch of the
    // allocator's memory zeroes 2 MiB: a build spent more time clearing pages
    // than writing files. Small pages cost 10 % less time and memory; if the
    // kernel refuses, the build is only slower.
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    congkhai::cli::main()
}
