//! The WebAssembly interface: plain functions over one reusable input buffer
//! and one reusable output buffer, so that memory does not grow per query.
//!
//! The page writes into the buffer returned by `input`, calls a function with
//! the lengths, then reads `output_len` bytes at `output_ptr`.
#![allow(unsafe_code)]

use std::sync::Mutex;

use super::Engine;

struct State {
    engine: Engine,
    input: Vec<u8>,
    output: Vec<u8>,
}

static STATE: Mutex<Option<State>> = Mutex::new(None);

fn with<T>(f: impl FnOnce(&mut State) -> T) -> T {
    let mut guard = STATE.lock().unwrap_or_else(|e| e.into_inner());
    let state = guard.get_or_insert_with(|| State {
        engine: Engine::new(0, 1),
        input: Vec::new(),
        output: Vec::new(),
    });
    f(state)
}

/// Starts over with the shard depth and blocks of the site's manifest.
#[unsafe(no_mangle)]
pub extern "C" fn configure(depth: u32, blocks: u32) {
    with(|s| s.engine = Engine::new(depth as usize, blocks as usize));
}

/// A buffer of at least `len` bytes for the next call's input.
#[unsafe(no_mangle)]
pub extern "C" fn input(len: u32) -> *mut u8 {
    with(|s| {
        s.input.clear();
        s.input.resize(len as usize, 0);
        s.input.as_mut_ptr()
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn output_ptr() -> *const u8 {
    with(|s| s.output.as_ptr())
}

#[unsafe(no_mangle)]
pub extern "C" fn output_len() -> u32 {
    with(|s| s.output.len() as u32)
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap_or("")
}

/// Input: the query. Output: the shard keys it needs whose block `block`
/// is not loaded yet, one per line (see `Engine::missing`).
#[unsafe(no_mangle)]
pub extern "C" fn plan(len: u32, block: u32) -> u32 {
    with(|s| {
        let missing = s
            .engine
            .missing(text(&s.input[..len as usize]), block as usize);
        s.output = missing.join("\n").into_bytes();
        missing.len() as u32
    })
}

/// Input: the query. Output: the shard keys whose summary it needs and
/// is not loaded yet, one per line.
#[unsafe(no_mangle)]
pub extern "C" fn summaries(len: u32) -> u32 {
    with(|s| {
        let missing = s.engine.missing_summaries(text(&s.input[..len as usize]));
        s.output = missing.join("\n").into_bytes();
        missing.len() as u32
    })
}

/// Input: the shard key, then its summary's bytes. Returns 1 when loaded.
#[unsafe(no_mangle)]
pub extern "C" fn load_summary(key_len: u32, data_len: u32) -> u32 {
    with(|s| {
        let (k, d) = (key_len as usize, data_len as usize);
        let key = text(&s.input[..k]).to_string();
        u32::from(s.engine.load_summary(&key, &s.input[k..k + d]).is_ok())
    })
}

/// Input: the shard key, then the bytes of the shard's block `block`.
/// Returns 1 when loaded.
#[unsafe(no_mangle)]
pub extern "C" fn load(key_len: u32, block: u32, data_len: u32) -> u32 {
    with(|s| {
        let (k, d) = (key_len as usize, data_len as usize);
        let key = text(&s.input[..k]).to_string();
        let loaded = s.engine.load(&key, block as usize, &s.input[k..k + d]);
        u32::from(loaded.is_ok())
    })
}

/// Input: the query. Returns the highest score a record of the blocks from
/// `from` on could reach.
#[unsafe(no_mangle)]
pub extern "C" fn best(len: u32, from: u32) -> u32 {
    with(|s| s.engine.best(text(&s.input[..len as usize]), from as usize))
}

/// Input: the query. Output: pairs of little-endian u32 (record, score)
/// over the first `blocks` blocks.
#[unsafe(no_mangle)]
pub extern "C" fn search(len: u32, blocks: u32) -> u32 {
    with(|s| {
        let hits = s
            .engine
            .search(text(&s.input[..len as usize]), blocks as usize);
        s.output.clear();
        for (doc, score) in &hits {
            s.output.extend_from_slice(&doc.to_le_bytes());
            s.output.extend_from_slice(&score.to_le_bytes());
        }
        hits.len() as u32
    })
}
