//! The **search** index: built natively at site-build time with tinysearch,
//! from text folded for Vietnamese, and written as static files that the
//! browser's WASM engine loads at run time.
//!
//! Files (under `/search/`):
//! - `manifest.json`: the shard depth and the list of shards;
//! - `index-<key>.bin`: tinysearch shards (`Storage::to_bytes`), one per
//!   folded-term prefix, so a query downloads only the shards of its words;
//! - `docs.json`: one small row per record for facets and ranking (type,
//!   year, agency, sector, penalty, date, source of a conclusion);
//! - `meta/<n>.json`: what a result shows (title, number, excerpt), in chunks
//!   of [`CHUNK`] records fetched only for the results displayed.
//!
//! tinysearch's own pipeline numbers documents in hash-map order and removes
//! English stopwords (which are Vietnamese syllables once folded), so records
//! are fed to its exact backend directly, in a fixed order, with our terms.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use congkhai_fold::{Term, number_key, number_term, words};
use rayon::prelude::*;
// Hashing millions of short terms: FxHash is several times faster than
// SipHash, and nothing here is keyed by untrusted input an attacker can pick.
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;
use tinysearch::{PostId, Storage};

use crate::derive::Derived;
use crate::markdown;
use crate::model::vocab::Vocab;
use crate::site::strings::Strings;
use crate::site::urls;
use crate::write::Sink;

/// Records per metadata chunk.
pub const CHUNK: usize = 100;
/// A shard larger than this is split by a longer prefix, if that helps.
/// Shards compress about 3:1, so a first query downloads at most about
/// 350 KB gzipped per word while the site allows it.
pub const MAX_SHARD_BYTES: usize = 1 << 20;
/// Characters of body text shown under a result.
const EXCERPT_CHARS: usize = 220;

/// Record types, in the order of `docs.json`'s `types`.
pub use crate::site::SEARCH_TYPES as TYPES;

/// One record as the search engine sees it.
struct Doc {
    kind: u8,
    path: String,
    /// What a result shows as its title (for a decision, the subject's name:
    /// the page prefixes the penalty in its own language).
    title: String,
    /// Words that count as title matches in the ranking.
    heading: String,
    number: String,
    date: Option<NaiveDate>,
    agency: Option<usize>,
    sector: Option<&'static str>,
    penalty: Option<&'static str>,
    /// A conclusion's source (inspection, party inspection, …).
    source: Option<&'static str>,
    excerpt: String,
    /// Searchable text that is not in the title.
    text: String,
}

#[derive(Serialize)]
struct Meta<'a> {
    u: &'a str,
    t: &'a str,
    n: &'a str,
    x: &'a str,
}

#[derive(Serialize)]
struct Manifest {
    version: u32,
    depth: usize,
    shards: Vec<String>,
    docs: usize,
    chunk: usize,
}

#[derive(Serialize)]
struct DocsTable<'a> {
    types: [&'static str; 4],
    agencies: Vec<(&'a str, &'a str)>,
    sectors: Vec<&'static str>,
    penalties: Vec<&'static str>,
    sources: Vec<&'static str>,
    /// type, year (0 if none), agency (-1), sector (-1), penalty (-1), date
    /// as yyyymmdd (0), source (-1).
    docs: Vec<[i64; 7]>,
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

fn excerpt(text: &str) -> String {
    let mut out = crate::source::first_chars(text, EXCERPT_CHARS).to_string();
    if out.len() < text.len() {
        if let Some(i) = out.rfind(' ') {
            out.truncate(i);
        }
        out.push('…');
    }
    out
}

/// Labels of a vocabulary value in both interface languages, so that readers
/// of either interface can type them.
fn labels(strings: &[&Strings; 2], group: &str, id: &str) -> String {
    format!(
        "{} {}",
        strings[0].label(group, id),
        strings[1].label(group, id)
    )
}

fn docs(d: &Derived<'_>, strings: [&Strings; 2]) -> Vec<Doc> {
    let site = d.site;
    let agency = |id: &str| d.agency_index.get(id).copied();
    let name = |id: &str| d.agency_name(id).to_string();
    let type_label = |k: &str| format!("{} {}", strings[0].get(k), strings[1].get(k));
    let mut out: Vec<Doc> = site
        .conclusions
        .par_iter()
        .enumerate()
        .map(|(i, c)| {
            let body = markdown::to_text(c.source.body());
            let mut text = format!(
                "{} {} {} {} {}",
                type_label("conclusion.list_title"),
                name(c.issued_by.value.as_str()),
                name(c.inspected.value.as_str()),
                labels(&strings, "sector", c.sector.id()),
                c.signed_on.year(),
            );
            for v in &d.recs[d.recs_of[i].clone()] {
                text.push(' ');
                text.push_str(&v.rec.text);
            }
            text.push(' ');
            text.push_str(&body);
            Doc {
                kind: 0,
                path: urls::conclusion(c.id()),
                title: c.title.0.clone(),
                heading: c.title.0.clone(),
                number: c.number.value.0.clone(),
                date: Some(c.signed_on),
                agency: agency(c.inspected.value.as_str()),
                sector: Some(c.sector.id()),
                penalty: None,
                source: Some(c.origin.id()),
                excerpt: excerpt(&body),
                text,
            }
        })
        .collect();
    out.par_extend(site.decisions.par_iter().map(|x| {
        let body = markdown::to_text(x.source.body());
        let text = format!(
            "{} {} {} {} {} {} {} {}",
            x.subject.position.as_deref().unwrap_or(""),
            name(x.authority.value.as_str()),
            x.subject
                .agency
                .as_ref()
                .map(|a| name(a.value.as_str()))
                .unwrap_or_default(),
            labels(&strings, "track", x.track.id()),
            labels(&strings, "role", x.subject.role.id()),
            x.session.as_deref().unwrap_or(""),
            x.decided_on.year(),
            body,
        );
        Doc {
            kind: 1,
            path: urls::decision(x.id()),
            title: x.subject.name.0.clone(),
            // "Quyết định kỷ luật: cảnh cáo Trần Văn B": readers name decisions so.
            heading: format!(
                "{} {} {}",
                type_label("decision.list_title"),
                labels(&strings, "penalty", x.penalty.id()),
                x.subject.name
            ),
            number: x.number.value.0.clone(),
            date: Some(x.decided_on),
            agency: agency(x.authority.value.as_str()),
            sector: None,
            penalty: Some(x.penalty.id()),
            source: None,
            excerpt: excerpt(&body),
            text,
        }
    }));
    out.extend(site.pages.iter().map(|p| {
        let body = markdown::to_text(p.source.body());
        Doc {
            kind: 2,
            path: urls::page(p.id()),
            title: p.title.0.clone(),
            heading: p.title.0.clone(),
            number: String::new(),
            date: None,
            agency: None,
            sector: None,
            penalty: None,
            source: None,
            excerpt: excerpt(&body),
            text: body,
        }
    }));
    out.extend(site.agencies.iter().enumerate().map(|(i, a)| {
        Doc {
            kind: 3,
            path: urls::agency(a.id.value.as_str()),
            title: a.name.0.clone(),
            // Former names count as the title: readers type the name on the
            // documents they hold, which may be older than a merger.
            heading: std::iter::once(&a.name)
                .chain(&a.formerly)
                .map(|n| n.0.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            number: String::new(),
            date: None,
            agency: Some(i),
            sector: None,
            source: None,
            penalty: None,
            excerpt: a
                .formerly
                .iter()
                .map(|n| n.0.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            text: format!(
                "{} {}",
                a.short_name.as_deref().unwrap_or(""),
                labels(&strings, "agency_kind", a.kind.id())
            ),
        }
    }));
    out
}

/// The terms one thread has seen, numbered, and the terms of each raw body
/// token: the same syllables come back in every record, and folding them is
/// the costly part. A record's terms are gathered as numbers, so that
/// removing its repeated words compares numbers, not strings.
#[derive(Default)]
struct Interner {
    terms: Vec<String>,
    ids: HashMap<String, u32>,
    tokens: HashMap<String, Vec<u32>>,
}

impl Interner {
    fn id(&mut self, term: String) -> u32 {
        if let Some(&id) = self.ids.get(&term) {
            return id;
        }
        let id = self.terms.len() as u32;
        self.terms.push(term.clone());
        self.ids.insert(term, id);
        id
    }

    /// Adds the body terms of every word of `text` to `out`.
    fn text(&mut self, text: &str, out: &mut Vec<u32>) {
        for token in text.split_whitespace() {
            if let Some(ids) = self.tokens.get(token) {
                out.extend_from_slice(ids);
                continue;
            }
            let ids: Vec<u32> = words(token)
                .iter()
                .map(|w| self.id(Term::exact(w).into_string()))
                .collect();
            out.extend_from_slice(&ids);
            self.tokens.insert(token.to_string(), ids);
        }
    }
}

/// The distinct terms of one record, packed into one string: a
/// record has a few hundred short terms, and ten thousand records of them
/// as separate `String`s were the largest thing a build held in memory.
struct Packed {
    text: String,
    ends: Vec<u32>,
}

impl Packed {
    fn new(terms: &[&str]) -> Self {
        let mut text = String::with_capacity(terms.iter().map(|t| t.len()).sum());
        let mut ends = Vec::with_capacity(terms.len());
        for t in terms {
            text.push_str(t);
            ends.push(text.len() as u32);
        }
        Self { text, ends }
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .map(|(a, &b)| &self.text[a as usize..b as usize])
    }
}

/// The terms of a record: every word as a body term, title and number words
/// also as title terms, and the joined number.
fn terms(doc: &Doc, interner: &mut Interner) -> Packed {
    let heading = format!("{} {}", doc.number, doc.heading);
    let mut ids: Vec<u32> = Vec::new();
    for w in words(&heading) {
        ids.push(interner.id(Term::title(&w).into_string()));
        ids.push(interner.id(Term::exact(&w).into_string()));
    }
    interner.text(&doc.text, &mut ids);
    if !doc.number.is_empty() {
        ids.push(interner.id(number_term(&number_key(&doc.number)).into_string()));
    }
    ids.sort_unstable();
    ids.dedup();
    // In the interner's order, not the strings': the shards sort their
    // (term, record) pairs anyway, and sorting a few hundred strings per
    // record was most of this stage.
    let terms: Vec<&str> = ids
        .iter()
        .map(|&id| interner.terms[id as usize].as_str())
        .collect();
    Packed::new(&terms)
}

/// The shard of a term at a depth.
fn key_of(term: &str, depth: usize) -> &str {
    crate::source::first_chars(term.trim_matches(congkhai_fold::END), depth)
}

/// Bytes a shard spends on each record it mentions: tinysearch keeps, per
/// shard, the list of its records (an empty title, the record number as
/// text, an empty meta), so deeper shards repeat records more often.
const BYTES_PER_RECORD: usize = 9;

/// The distinct terms of the index, numbered in sorted order, and each
/// record's terms as those numbers. The depth estimate and the shards work
/// on numbers: at 100 000 records there are 20 million postings, and
/// slicing and hashing a string for each of them, once per depth tried,
/// took seconds.
struct Vocabulary<'a> {
    terms: Vec<&'a str>,
    /// How many records have each term.
    counts: Vec<usize>,
    /// Per record, the numbers of its terms.
    records: Vec<Vec<u32>>,
}

impl<'a> Vocabulary<'a> {
    fn new(all_terms: &'a [Packed]) -> Self {
        let counted = term_counts(all_terms);
        let mut terms: Vec<&str> = counted.keys().copied().collect();
        terms.par_sort_unstable();
        let number: HashMap<&str, u32> = terms
            .iter()
            .enumerate()
            .map(|(i, t)| (*t, i as u32))
            .collect();
        let counts = terms.iter().map(|t| counted[t]).collect();
        let records = all_terms
            .par_iter()
            .map(|p| p.iter().map(|t| number[t]).collect())
            .collect();
        Self {
            terms,
            counts,
            records,
        }
    }

    /// The shard keys at a depth, in order, and the shard of each term.
    fn shards_at(&self, depth: usize) -> (Vec<&'a str>, Vec<u32>) {
        let mut keys: Vec<&str> = self.terms.iter().map(|t| key_of(t, depth)).collect();
        keys.sort_unstable();
        keys.dedup();
        let shard_of = self
            .terms
            .iter()
            .map(|t| keys.binary_search(&key_of(t, depth)).unwrap_or(0) as u32)
            .collect();
        (keys, shard_of)
    }
}

/// The estimated size of the largest shard at a depth: each term once with
/// about a byte per posting (postings are delta-encoded), and each record
/// the shard mentions.
fn largest_shard(v: &Vocabulary<'_>, depth: usize) -> usize {
    let (keys, shard_of) = v.shards_at(depth);
    let mut sizes = vec![0usize; keys.len()];
    for (id, t) in v.terms.iter().enumerate() {
        sizes[shard_of[id] as usize] += t.len() + 3 + v.counts[id];
    }
    if depth == 0 {
        // One shard, which mentions every record.
        return sizes.iter().sum::<usize>() + BYTES_PER_RECORD * v.records.len();
    }
    let mentions = v
        .records
        .par_iter()
        .fold(
            || (vec![0usize; keys.len()], Vec::new()),
            |(mut counts, mut mine), ids| {
                mine.clear();
                mine.extend(ids.iter().map(|&id| shard_of[id as usize]));
                mine.sort_unstable();
                mine.dedup();
                for &k in &mine {
                    counts[k as usize] += 1;
                }
                (counts, mine)
            },
        )
        .map(|(counts, _)| counts)
        .reduce(
            || vec![0usize; keys.len()],
            |mut a, b| {
                a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                a
            },
        );
    sizes
        .iter()
        .zip(mentions)
        .map(|(size, n)| size + BYTES_PER_RECORD * n)
        .max()
        .unwrap_or(0)
}

/// Every distinct term with the number of records that have it.
fn term_counts(all_terms: &[Packed]) -> HashMap<&str, usize> {
    all_terms
        .par_iter()
        .fold(HashMap::<&str, usize>::default, |mut counts, terms| {
            for t in terms.iter() {
                *counts.entry(t).or_default() += 1;
            }
            counts
        })
        .reduce(HashMap::default, |mut a, b| {
            for (k, n) in b {
                *a.entry(k).or_default() += n;
            }
            a
        })
}

/// The smallest depth (up to 2) at which no shard is estimated past
/// [`MAX_SHARD_BYTES`]; if there is none, the depth whose largest shard is
/// smallest. Deeper is not always smaller: the records repeated in every
/// shard can outweigh the postings spread over more shards.
fn choose_depth(v: &Vocabulary<'_>) -> usize {
    let mut best = (usize::MAX, 0);
    for depth in 0..3 {
        let largest = largest_shard(v, depth);
        if largest <= MAX_SHARD_BYTES {
            return depth;
        }
        best = best.min((largest, depth));
    }
    best.1
}

/// Builds the tinysearch shards for a depth: key → bytes, in key order.
///
/// A shard's postings are sorted pairs of numbers (term, record) instead of
/// strings: at 100 000 records this holds 20 million postings in 160 MB and
/// sorts them in seconds. Each record's numbers are freed as they are
/// spread, so the two never coexist whole.
fn shards(v: Vocabulary<'_>, depth: usize) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let (keys, shard_of) = v.shards_at(depth);
    // Per shard: (term << 32 | record), records in ascending order.
    let mut pairs: Vec<Vec<u64>> = vec![Vec::new(); keys.len()];
    for (doc, ids) in v.records.into_iter().enumerate() {
        for id in ids {
            pairs[shard_of[id as usize] as usize].push(u64::from(id) << 32 | doc as u64);
        }
    }
    let vocabulary = &v.terms;
    keys.par_iter()
        .zip(pairs)
        .map(|(key, pairs)| {
            let bytes = shard_bytes(vocabulary, pairs)?;
            Ok((key.to_string(), bytes))
        })
        .collect()
}

/// tinysearch's exact index as its serde representation spells it
/// (`SearchIndex { data: Exact(ExactIndex { posts, terms, postings }) }`).
/// tinysearch builds one only from documents, term sets and string maps,
/// which took three quarters of a large build's index time; this shape is
/// decoded into a `SearchIndex` instead, and a test checks that both ways
/// give the same bytes.
#[derive(Serialize)]
struct IndexShape<'a> {
    data: DataShape<'a>,
}

#[derive(Serialize)]
enum DataShape<'a> {
    Exact(ExactShape<'a>),
}

#[derive(Serialize)]
struct ExactShape<'a> {
    posts: Vec<PostId>,
    terms: Vec<&'a str>,
    postings: Vec<Vec<usize>>,
}

/// One shard from its (term, record) pairs in record order.
fn shard_bytes(vocabulary: &[&str], mut pairs: Vec<u64>) -> Result<Vec<u8>, String> {
    // Records by their number in this shard, as tinysearch numbers them.
    let mut posts = Vec::new();
    let mut last = None;
    for p in &mut pairs {
        let doc = *p as u32;
        if last != Some(doc) {
            last = Some(doc);
            posts.push(PostId {
                title: String::new(),
                url: doc.to_string(),
                meta: String::new(),
            });
        }
        *p = (*p >> 32) << 32 | (posts.len() - 1) as u64;
    }
    pairs.sort_unstable();
    let mut terms: Vec<&str> = Vec::new();
    let mut postings: Vec<Vec<usize>> = Vec::new();
    let mut current = None;
    for p in pairs {
        let (term, local) = ((p >> 32) as usize, (p as u32) as usize);
        if current != Some(term) {
            current = Some(term);
            terms.push(vocabulary[term]);
            postings.push(Vec::new());
        }
        if let Some(list) = postings.last_mut() {
            list.push(local);
        }
    }
    let shape = IndexShape {
        data: DataShape::Exact(ExactShape {
            posts,
            terms,
            postings,
        }),
    };
    let config = bincode::config::standard();
    let encoded = bincode::serde::encode_to_vec(&shape, config).map_err(|e| e.to_string())?;
    let (index, _): (tinysearch::SearchIndex, usize) =
        bincode::serde::decode_from_slice(&encoded, config).map_err(|e| e.to_string())?;
    Storage::from(index).to_bytes().map_err(|e| e.to_string())
}

/// A shard key as a file name (keys hold folded letters and digit letters).
pub fn shard_file(key: &str) -> String {
    if key.is_empty() {
        return "index.bin".to_string();
    }
    let hex: String = key.bytes().map(|b| format!("{b:02x}")).collect();
    format!("index-{hex}.bin")
}

fn put(sink: &dyn Sink, path: &str, bytes: &[u8], stats: &mut IndexStats) -> Result<(), String> {
    stats.total_bytes += bytes.len();
    sink.put(path, bytes).map_err(|e| format!("{path}: {e}"))
}

/// Builds and writes the search files of the site.
pub fn write(
    d: &Derived<'_>,
    strings: [&Strings; 2],
    sink: &dyn Sink,
) -> Result<IndexStats, String> {
    let mut timer = crate::site::timer::Timer::new();
    let mut docs = docs(d, strings);
    timer.lap("search: records");
    let all_terms: Vec<Packed> = docs
        .par_iter_mut()
        .map_init(Interner::default, |interner, doc| {
            let terms = terms(doc, interner);
            // Only the terms are needed from here on.
            doc.text = String::new();
            terms
        })
        .collect();
    timer.lap("search: terms");
    let vocabulary = Vocabulary::new(&all_terms);
    timer.lap("search: vocabulary");
    let depth = choose_depth(&vocabulary);
    timer.lap("search: depth");
    let built = shards(vocabulary, depth)?;
    timer.lap("search: shards");
    let mut stats = IndexStats {
        records: docs.len(),
        depth,
        shards: built.len(),
        ..IndexStats::default()
    };
    for (key, bytes) in &built {
        stats.index_bytes += bytes.len();
        put(
            sink,
            &format!("search/{}", shard_file(key)),
            bytes,
            &mut stats,
        )?;
    }
    let manifest = Manifest {
        version: 1,
        depth,
        shards: built.keys().map(|k| shard_file(k)).collect(),
        docs: docs.len(),
        chunk: CHUNK,
    };
    put(
        sink,
        "search/manifest.json",
        &serde_json::to_vec(&manifest).map_err(|e| e.to_string())?,
        &mut stats,
    )?;

    let sectors: Vec<&'static str> = crate::model::vocab::Sector::ALL
        .iter()
        .map(|s| s.id())
        .collect();
    let penalties: Vec<&'static str> = crate::model::vocab::Penalty::ALL
        .iter()
        .map(|s| s.id())
        .collect();
    let sources: Vec<&'static str> = crate::model::vocab::ConclusionSource::ALL
        .iter()
        .map(|s| s.id())
        .collect();
    let pos = |list: &[&str], v: Option<&str>| {
        v.and_then(|v| list.iter().position(|x| *x == v))
            .map_or(-1, |p| p as i64)
    };
    let table = DocsTable {
        types: TYPES,
        agencies: d
            .site
            .agencies
            .iter()
            .map(|a| (a.id.value.as_str(), a.label()))
            .collect(),
        docs: docs
            .iter()
            .map(|doc| {
                let date = doc.date.map_or(0, |x| {
                    i64::from(x.year()) * 10_000 + i64::from(x.month()) * 100 + i64::from(x.day())
                });
                [
                    i64::from(doc.kind),
                    doc.date.map_or(0, |x| i64::from(x.year())),
                    doc.agency.map_or(-1, |a| a as i64),
                    pos(&sectors, doc.sector),
                    pos(&penalties, doc.penalty),
                    date,
                    pos(&sources, doc.source),
                ]
            })
            .collect(),
        sectors,
        penalties,
        sources,
    };
    put(
        sink,
        "search/docs.json",
        &serde_json::to_vec(&table).map_err(|e| e.to_string())?,
        &mut stats,
    )?;
    for (n, chunk) in docs.chunks(CHUNK).enumerate() {
        let metas: Vec<Meta<'_>> = chunk
            .iter()
            .map(|x| Meta {
                u: &x.path,
                t: &x.title,
                n: &x.number,
                x: &x.excerpt,
            })
            .collect();
        put(
            sink,
            &format!("search/meta/{n}.json"),
            &serde_json::to_vec(&metas).map_err(|e| e.to_string())?,
            &mut stats,
        )?;
    }
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tinysearch::{ExactIndexBackend, IndexBackend, IndexedDocument};

    /// The fast builder must give exactly what tinysearch's own builder
    /// gives, or the browser's engine would read the shards wrong.
    #[test]
    fn shards_are_what_tinysearch_builds() {
        let texts = [
            vec!["anh", "binh", "cuong'"],
            vec!["binh", "dung"],
            vec![],
            vec!["anh", "dung", "''kl'"],
        ];
        let all: Vec<Packed> = texts.iter().map(|t| Packed::new(t)).collect();
        for depth in 0..3 {
            let fast = shards(Vocabulary::new(&all), depth).expect("builds");
            let mut keys: Vec<&str> = texts.iter().flatten().map(|t| key_of(t, depth)).collect();
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(fast.keys().map(String::as_str).collect::<Vec<_>>(), keys);
            for key in keys {
                let documents = texts
                    .iter()
                    .enumerate()
                    .filter(|(_, ts)| ts.iter().any(|t| key_of(t, depth) == key))
                    .map(|(doc, ts)| {
                        let post = PostId {
                            title: String::new(),
                            url: doc.to_string(),
                            meta: String::new(),
                        };
                        let mine = ts.iter().filter(|t| key_of(t, depth) == key);
                        IndexedDocument::new(post, mine.map(|t| t.to_string()))
                    })
                    .collect();
                let reference = Storage::from(ExactIndexBackend.build(documents))
                    .to_bytes()
                    .expect("encodes");
                assert_eq!(fast[key], reference, "shard {key:?} at depth {depth}");
            }
        }
    }
}
