//! Any text through the Vietnamese folding and query parsing: no panic, and
//! folding is idempotent.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let once = congkhai_fold::fold(text);
    assert_eq!(congkhai_fold::fold(&once), once);
    let _ = congkhai_fold::words(text);
    let _ = congkhai_fold::Query::parse(text).terms();
});
