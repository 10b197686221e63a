//! Counts the bytes the model holds, part by part: a counting allocator
//! around the system one measures the live heap (not RSS, which the
//! allocator's caching blurs) after loading, then again after letting each
//! part of the model go. What a leaner model would save is measured here
//! before it is built.
//!
//! usage: model_heap SITE AS_OF

use std::path::Path;
use std::process::ExitCode;

use stats_alloc::{INSTRUMENTED_SYSTEM, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<std::alloc::System> = &INSTRUMENTED_SYSTEM;

/// Bytes allocated and not yet freed.
fn live() -> usize {
    let s = GLOBAL.stats();
    // A reallocation's growth is counted as allocated, its shrinking as
    // freed.
    s.bytes_allocated.saturating_sub(s.bytes_deallocated)
}

fn mb(n: usize) -> String {
    format!("{:.1} MB", n as f64 / 1e6)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [site, as_of] = args.as_slice() else {
        eprintln!("usage: model_heap SITE AS_OF");
        return ExitCode::from(2);
    };
    let Ok(as_of) = chrono::NaiveDate::parse_from_str(as_of, "%Y-%m-%d") else {
        eprintln!("AS_OF is a date, YYYY-MM-DD");
        return ExitCode::from(2);
    };
    let (mut site, diags) = congkhai::cli::load_and_check(Path::new(site.as_str()), as_of);
    let mut last = live();
    println!("model: {} live", mb(last));
    let step = |what: &str, last: &mut usize| {
        let now = live();
        println!("{what:<28} {:>10}", mb(last.saturating_sub(now)));
        *last = now;
    };
    drop(diags);
    step("diagnostics", &mut last);
    drop(std::mem::take(&mut site.references));
    step("references", &mut last);
    for c in &mut site.conclusions {
        if let Some(c) = std::sync::Arc::get_mut(c) {
            drop(std::mem::take(&mut c.recommendations));
        }
    }
    step("recommendations", &mut last);
    drop(std::mem::take(&mut site.conclusions));
    step("conclusions (rest)", &mut last);
    drop(std::mem::take(&mut site.decisions));
    step("decisions", &mut last);
    drop(std::mem::take(&mut site.recoveries));
    step("recoveries", &mut last);
    drop(std::mem::take(&mut site.agencies));
    step("agencies", &mut last);
    drop(site);
    step("the rest", &mut last);
    ExitCode::SUCCESS
}
