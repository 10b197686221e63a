/// mimalloc instead of the system allocator: a build allocates and frees
/// millions of short strings from two threads, where glibc's malloc spent a
/// seventh of the build (see docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    congkhai::cli::main()
}
