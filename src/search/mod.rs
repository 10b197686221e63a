//! The **search** index: built natively at site-build time with tinysearch,
//! from text folded for Vietnamese, and written as static files that the
//! browser's WASM engine loads at run time.
//!
//! Files (under `/search/`):
//! - `manifest.json`: the shard depth, the list of shards, and the records
//!   per block and the number of blocks;
//! - `index-<key>.bin`: tinysearch shards (`Storage::to_bytes`), one per
//!   folded-term prefix, so a query downloads only the shards of its words;
//!   on a site of more than [`BLOCK`] records, that is the first block of
//!   the shard, `index-<key>.<b>.bin` the others (records `b * BLOCK ..`),
//!   and `index-<key>.s.bin` says which blocks hold each title word and
//!   spelling (see `blocks`);
//! - `index-27….bin` (keys starting with [`congkhai_fold::NUMBER_SHARD`]):
//!   record numbers, whole, never in blocks;
//! - `index-7e….bin` (keys starting with [`congkhai_fold::MARKED`]): the
//!   exact spellings of words that are spelled more than one way, loaded only
//!   when the reader typed diacritics, to rank those spellings first;
//! - `docs.json`: columns over all records for the facets (type, date,
//!   agency, sector, penalty, source of a conclusion), fetched on a large
//!   site only when the reader asks for every result counted;
//! - `meta/<k>.json`: what the result lines of records `k * CHUNK ..` show
//!   (address, title, number, type, date, agency, penalty);
//! - `x/<k>.json`: the texts of records `k * TEXT_CHUNK ..`, that a passage
//!   around the match is cut from under each result line, fetched once the
//!   lines are shown.
//!
//! Records are numbered newest first: results of equal score are shown in
//! that order, so the engine needs no dates to rank, and the first results
//! of a common query are neighbours that share a few metadata chunks.
//!
//! tinysearch's own pipeline numbers documents in hash-map order and removes
//! English stopwords (which are Vietnamese syllables once folded), so records
//! are fed to its exact backend directly, in a fixed order, with our terms.

mod blocks;
mod records;
mod shards;
mod spill;

use rayon::prelude::*;
use serde::Serialize;

use crate::derive::Derived;
use crate::site::strings::Strings;
use crate::write::Sink;
use blocks::{block_count, shard_file, shards};
use records::{Doc, Records, Row, table};
use shards::{Interner, Terms, Vocabulary, choose_depth, terms};
use spill::Spill;

/// A shard larger than this is split by a longer prefix, if that helps.
/// Shards compress about 4:1, so a first query downloads about 30 KB
/// gzipped per word while the site allows it (at 10 000 records "dang uy"
/// fetched 70 KB of shards at 1 MB, 19 KB at 128 KB).
pub const MAX_SHARD_BYTES: usize = 1 << 17;
/// Records per block of a shard. A query reads the blocks of its shards
/// newest first and stops as soon as its first page of results cannot
/// change (the engine knows the best score a record could still reach), so
/// a first search on a large site downloads the newest block of each word,
/// not every record that has it (a common word's list weighs ~770 KB
/// gzipped at a million records). A site of up to this many records has a
/// block per shard, as before blocks.
pub const BLOCK: usize = 1 << 15;

/// [`BLOCK`], or `CONGKHAI_SEARCH_BLOCK` records: tests make sites of a few
/// hundred records search block by block as a large site does.
fn block_size() -> usize {
    std::env::var("CONGKHAI_SEARCH_BLOCK")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &usize| n > 0)
        .unwrap_or(BLOCK)
}

/// Records per metadata chunk: small, because the results of a rare query
/// are spread over many chunks; the text of the passages is kept apart.
pub const CHUNK: usize = 32;
/// Records per text chunk: a file per record cost a tenth of a 10 000-record
/// build in file creation; eight keep a first search's passages near 50 KB.
pub const TEXT_CHUNK: usize = 8;
/// Record types, in the order of `docs.json`'s `types`.
pub use crate::site::SEARCH_TYPES as TYPES;

/// What one result line shows, in `meta/<k>.json`: address, title, number,
/// type (its place in the manifest's `types`), date (days since 1970),
/// agency and penalty. The line needs nothing else, so a large site's
/// first results wait for no table of every record (`docs.json` is 1.2 MB
/// gzipped at a million records; it is only needed to count the facets).
type Meta<'a> = (
    &'a str,
    &'a str,
    &'a str,
    u8,
    Option<i64>,
    Option<&'a str>,
    Option<&'a str>,
);

#[derive(Serialize)]
struct Manifest {
    version: u32,
    depth: usize,
    /// Each shard's first block; block `b` of the same shard is named
    /// with `.b` before `.bin`.
    shards: Vec<String>,
    docs: usize,
    /// Records per block, and how many blocks every shard has.
    block: usize,
    blocks: usize,
    /// The record types, as the result lines number them.
    types: [&'static str; 4],
    chunk: usize,
    text_chunk: usize,
}

/// What was written, for the build summary and the benchmark.
#[derive(Debug, Default, Clone, Copy)]
pub struct IndexStats {
    pub records: usize,
    pub depth: usize,
    pub shards: usize,
    pub index_bytes: usize,
    pub total_bytes: usize,
}

/// Writes one file; returns its size, for the statistics.
fn put(sink: &dyn Sink, path: &str, bytes: &[u8]) -> Result<usize, String> {
    sink.put(path, bytes).map_err(|e| format!("{path}: {e}"))?;
    Ok(bytes.len())
}

/// Builds and writes the search files of the site.
///
/// Each thing is let go once written, so that the peak is about one copy
/// of the postings, not the sum of every stage's copy: records are made
/// in chunks, newest first, their result lines and passages written and
/// their texts folded to terms at once; then `docs.json` from the rows;
/// then the vocabulary with its posting lists (the records' terms were
/// spilled to a temporary file as they were made, see [`spill`]);
/// then each shard, written as it is made.
pub fn write(
    d: &Derived<'_>,
    strings: [&Strings; 2],
    sink: &dyn Sink,
) -> Result<IndexStats, String> {
    let mut timer = crate::site::timer::Timer::new();
    let records = Records::new(d, strings);
    let order = records.newest_first();
    let agencies: Vec<&str> = d.site.agencies.iter().map(|a| a.label()).collect();
    timer.lap("search: order");
    let numbered = Terms::default();
    let spill = Spill::new().map_err(spill_error)?;
    let made: Vec<(Vec<Row>, usize)> = order
        .par_chunks(CHUNK)
        .enumerate()
        .map_init(
            || Interner::new(&numbered),
            |interner, (k, chunk)| {
                let docs: Vec<Doc> = chunk
                    .iter()
                    .map(|&which| records.doc(which))
                    .collect::<Result<_, String>>()?;
                let bytes = write_chunk(k, &docs, &agencies, sink)?;
                let terms: Vec<Vec<u32>> = docs.iter().map(|doc| terms(doc, interner)).collect();
                spill.put(k, &terms).map_err(spill_error)?;
                Ok((docs.iter().map(|doc| doc.row).collect(), bytes))
            },
        )
        .collect::<Result<_, String>>()?;
    let mut stats = IndexStats {
        records: order.len(),
        ..IndexStats::default()
    };
    let mut rows = Vec::with_capacity(order.len());
    for (r, bytes) in made {
        rows.extend(r);
        stats.total_bytes += bytes;
    }
    timer.lap("search: records, result lines, passages, terms");
    stats.total_bytes += put(sink, "search/docs.json", &json(&table(d, &rows))?)?;
    drop(rows);
    let spilled = spill.finish().map_err(spill_error)?;
    let vocabulary = Vocabulary::new(&spilled, numbered).map_err(spill_error)?;
    drop(spilled);
    timer.lap("search: vocabulary");
    let depth = choose_depth(&vocabulary);
    timer.lap("search: depth");
    let block = block_size();
    let built = shards(&vocabulary, depth, block, |key, part, bytes| {
        put(sink, &format!("search/{}", part.file(key)), bytes).map(drop)
    })?;
    timer.lap("search: shards");
    stats.depth = depth;
    stats.shards = built.len();
    stats.index_bytes = built.iter().map(|(_, n)| n).sum();
    stats.total_bytes += stats.index_bytes;
    let manifest = Manifest {
        version: 3,
        depth,
        shards: built.iter().map(|(k, _)| shard_file(k, 0)).collect(),
        docs: stats.records,
        block,
        blocks: block_count(stats.records, block),
        types: TYPES,
        chunk: CHUNK,
        text_chunk: TEXT_CHUNK,
    };
    stats.total_bytes += put(sink, "search/manifest.json", &json(&manifest)?)?;
    Ok(stats)
}

/// The temporary file takes about two bytes per term of each record (some
/// 400 MB at a million records) in the system's temporary folder.
fn spill_error(e: std::io::Error) -> String {
    format!(
        "tệp tạm của chỉ mục tìm kiếm trong / the search index's temporary file in {}: {e} \
         (đặt TMPDIR tới thư mục còn chỗ / set TMPDIR to a folder with room)",
        std::env::temp_dir().display()
    )
}

/// Metadata chunk `k` (`meta/<k>.json`: records `k * CHUNK ..`) and the
/// text chunks of the same records (`x/`); returns the bytes written.
fn write_chunk(
    k: usize,
    docs: &[Doc],
    agencies: &[&str],
    sink: &dyn Sink,
) -> Result<usize, String> {
    let metas: Vec<Meta<'_>> = docs
        .iter()
        .map(|x| {
            (
                x.path.as_str(),
                x.title.as_str(),
                x.number.as_str(),
                x.row.kind,
                x.row.date.map(records::day),
                x.row.agency.and_then(|a| agencies.get(a).copied()),
                x.row.penalty,
            )
        })
        .collect();
    let mut bytes = put(sink, &format!("search/meta/{k}.json"), &json(&metas)?)?;
    let first = k * (CHUNK / TEXT_CHUNK);
    for (j, chunk) in docs.chunks(TEXT_CHUNK).enumerate() {
        let texts: Vec<&str> = chunk.iter().map(|x| x.excerpt.as_str()).collect();
        bytes += put(
            sink,
            &format!("search/x/{}.json", first + j),
            &json(&texts)?,
        )?;
    }
    Ok(bytes)
}

// A metadata chunk holds whole text chunks, so that each is written once.
const _: () = assert!(CHUNK.is_multiple_of(TEXT_CHUNK));

fn json(value: &impl Serialize) -> Result<Vec<u8>, String> {
    serde_json::to_vec(value).map_err(|e| e.to_string())
}
