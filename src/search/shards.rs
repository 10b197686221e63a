//! The term index: each record's terms, the vocabulary, the shard depth,
//! and the shards in tinysearch's format.

use congkhai_fold::{
    MARKED, Term, is_whole_shard, marked_words, number_key, number_term, term_shard_key, unmark,
    words,
};
use std::hash::BuildHasher;
use std::io;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

use rayon::prelude::*;
// Hashing millions of short terms: FxHash is several times faster than
// SipHash, and nothing here is keyed by untrusted input an attacker can pick.
use rustc_hash::FxHashMap as HashMap;
use tinysearch::PostId;

use super::MAX_SHARD_BYTES;
use super::records::Doc;
use super::spill::Spilled;

/// Every distinct term of the site, numbered in the order threads first
/// met them. Records keep their terms as these numbers (four bytes each)
/// rather than as strings: at a million records their terms as strings
/// were 3.9 GB. The numbering depends on the threads' timing; the
/// vocabulary renumbers the terms in sorted order, so the output does not.
pub(super) struct Terms {
    /// Split by hash so that two threads rarely wait on one lock.
    shards: Vec<Mutex<HashMap<Box<str>, u32>>>,
    next: AtomicU32,
}

const TERM_LOCKS: usize = 64;

impl Default for Terms {
    fn default() -> Self {
        Self {
            shards: (0..TERM_LOCKS).map(|_| Mutex::default()).collect(),
            next: AtomicU32::new(0),
        }
    }
}

impl Terms {
    fn id(&self, term: &str) -> u32 {
        let lock = &self.shards[rustc_hash::FxBuildHasher.hash_one(term) as usize % TERM_LOCKS];
        // A poisoned lock means another thread panicked: the build fails
        // with that panic anyway.
        let mut map = lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(&id) = map.get(term) {
            return id;
        }
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        map.insert(term.into(), id);
        id
    }

    /// The terms by number.
    fn into_vec(self) -> Vec<Box<str>> {
        let mut all = vec![Box::<str>::default(); self.next.into_inner() as usize];
        for shard in self.shards {
            let map = shard
                .into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            for (term, id) in map {
                all[id as usize] = term;
            }
        }
        all
    }
}

/// One thread's memo of the terms it has numbered and of the terms of each
/// raw body token: the same syllables come back in every record, and
/// folding them is the costly part.
pub(super) struct Interner<'a> {
    terms: &'a Terms,
    ids: HashMap<String, u32>,
    tokens: HashMap<String, Vec<u32>>,
}

impl<'a> Interner<'a> {
    pub(super) fn new(terms: &'a Terms) -> Self {
        Self {
            terms,
            ids: HashMap::default(),
            tokens: HashMap::default(),
        }
    }

    fn id(&mut self, term: String) -> u32 {
        if let Some(&id) = self.ids.get(&term) {
            return id;
        }
        let id = self.terms.id(&term);
        self.ids.insert(term, id);
        id
    }

    /// Adds the body terms and the spelled terms of every word of `text` to
    /// `out`.
    fn text(&mut self, text: &str, out: &mut Vec<u32>) {
        for token in text.split_whitespace() {
            if let Some(ids) = self.tokens.get(token) {
                out.extend_from_slice(ids);
                continue;
            }
            let folded = words(token).into_iter().map(|w| Term::exact(&w));
            let spelled = marked_words(token).into_iter().map(|m| Term::marked(&m));
            let ids: Vec<u32> = folded
                .chain(spelled)
                .map(|t| self.id(t.into_string()))
                .collect();
            out.extend_from_slice(&ids);
            self.tokens.insert(token.to_string(), ids);
        }
    }
}

/// Strings packed into one: a vocabulary of millions of short terms as
/// separate `String`s would cost more in headers than in letters.
pub(super) struct Packed {
    text: String,
    ends: Vec<u32>,
}

impl Packed {
    fn new<S: AsRef<str>>(terms: &[S]) -> Self {
        let mut text = String::with_capacity(terms.iter().map(|t| t.as_ref().len()).sum());
        let mut ends = Vec::with_capacity(terms.len());
        for t in terms {
            text.push_str(t.as_ref());
            ends.push(text.len() as u32);
        }
        Self { text, ends }
    }

    /// Term `i`.
    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }
}

/// The terms of a record, as numbers in order, each once: every word as a
/// body term and as it is spelled, title and number words also as title
/// terms, and the joined number.
pub(super) fn terms(doc: &Doc, interner: &mut Interner<'_>) -> Vec<u32> {
    let heading = format!("{} {}", doc.number, doc.heading);
    let mut ids: Vec<u32> = Vec::new();
    for w in words(&heading) {
        ids.push(interner.id(Term::title(&w).into_string()));
    }
    interner.text(&heading, &mut ids);
    interner.text(&doc.text, &mut ids);
    if !doc.number.is_empty() {
        ids.push(interner.id(number_term(&number_key(&doc.number)).into_string()));
    }
    ids.sort_unstable();
    ids.dedup();
    ids.shrink_to_fit();
    ids
}

/// Bytes a shard spends on each record it mentions: tinysearch keeps, per
/// shard, the list of its records (an empty title, the gap to the previous
/// record as text, an empty meta), so deeper shards repeat records more often.
const BYTES_PER_RECORD: usize = 5;

/// The distinct terms of the index in sorted order, and each term's
/// records, newest first, as one list after another. The depth estimate
/// and the shards work on numbers: at 100 000 records there are 20 million
/// postings, and slicing and hashing a string for each of them, once per
/// depth tried, took seconds. No record's terms are kept as strings once
/// this is made: every per-record or per-pair copy of the postings was a
/// peak of the build at a million records. The lists are kept as gaps
/// between record numbers (LEB128), a byte or two a posting where a number
/// took four: at a million records, 0.9 GB as numbers.
pub(super) struct Vocabulary {
    terms: Packed,
    /// Where each term's list starts in `records`, and one past the last.
    starts: Vec<usize>,
    /// How many records each term has.
    counts: Vec<u32>,
    records: Vec<u8>,
    /// How many records there are.
    docs: usize,
}

/// The bytes a posting's gap takes.
fn gap_len(gap: u32) -> usize {
    let mut room = [0u8; 5];
    leb128::write::unsigned(&mut &mut room[..], u64::from(gap)).unwrap_or(room.len())
}

impl Vocabulary {
    /// Reads each record's terms (numbers from `terms`) twice from where
    /// they were spilled: to measure each term's list, then to write it.
    pub(super) fn new(records_terms: &Spilled, terms: Terms) -> io::Result<Self> {
        let strings = terms.into_vec();
        let mut counts = vec![0u32; strings.len()];
        let mut sizes = vec![0usize; strings.len()];
        let mut last = vec![0u32; strings.len()];
        records_terms.each(|doc, ids| {
            let doc = doc as u32;
            for &id in ids {
                let id = id as usize;
                counts[id] += 1;
                sizes[id] += gap_len(doc - last[id]);
                last[id] = doc;
            }
            Ok(())
        })?;
        let kept = kept_terms(&strings, &counts);
        let mut order: Vec<u32> = (0..strings.len() as u32)
            .filter(|&id| kept[id as usize])
            .collect();
        order.par_sort_unstable_by(|&a, &b| strings[a as usize].cmp(&strings[b as usize]));
        let mut sorted_of = vec![u32::MAX; strings.len()];
        let mut starts = Vec::with_capacity(order.len() + 1);
        starts.push(0);
        for (i, &id) in order.iter().enumerate() {
            sorted_of[id as usize] = i as u32;
            starts.push(starts[i] + sizes[id as usize]);
        }
        drop(sizes);
        let counts: Vec<u32> = order.iter().map(|&id| counts[id as usize]).collect();
        // Records in order, so each list comes out in record order.
        let mut next = starts[..order.len()].to_vec();
        drop(last);
        let mut last = vec![0u32; order.len()];
        let mut records = vec![0u8; starts[order.len()]];
        records_terms.each(|doc, ids| {
            let doc = doc as u32;
            for &id in ids {
                let sorted = sorted_of[id as usize] as usize;
                if let Some(at) = next.get_mut(sorted) {
                    // A list that outgrows what was measured is an error,
                    // not the start of the next list overwritten.
                    let mut room = &mut records[*at..starts[sorted + 1]];
                    *at += leb128::write::unsigned(&mut room, u64::from(doc - last[sorted]))?;
                    last[sorted] = doc;
                }
            }
            Ok(())
        })?;
        let docs = records_terms.len();
        let sorted: Vec<&str> = order.iter().map(|&id| &*strings[id as usize]).collect();
        Ok(Self {
            terms: Packed::new(&sorted),
            starts,
            counts,
            records,
            docs,
        })
    }

    /// The records of term `id`, in order.
    fn list(&self, id: u32) -> Postings<'_> {
        let id = id as usize;
        Postings {
            rest: &self.records[self.starts[id]..self.starts[id + 1]],
            left: self.counts[id] as usize,
            last: 0,
        }
    }

    /// The shard keys at a depth, in order, and the terms of each shard, in
    /// order. Worked out a block of terms at a time: a key string for every
    /// term, twice over, was the last growth of the search stage at a
    /// million records.
    fn shards_at(&self, depth: usize) -> (Vec<String>, Vec<Vec<u32>>) {
        // Tests make shards of a few terms: blocks of two merge across
        // blocks there too.
        const BLOCK: usize = if cfg!(test) { 2 } else { 1 << 16 };
        let terms = self.starts.len() - 1;
        let blocks: Vec<HashMap<String, Vec<u32>>> = (0..terms.div_ceil(BLOCK))
            .into_par_iter()
            .map(|b| {
                let mut of: HashMap<String, Vec<u32>> = HashMap::default();
                for id in b * BLOCK..terms.min((b + 1) * BLOCK) {
                    let key = term_shard_key(self.terms.get(id), depth);
                    of.entry(key).or_default().push(id as u32);
                }
                of
            })
            .collect();
        // Blocks in order, so each shard's terms stay in order.
        let mut shards: std::collections::BTreeMap<String, Vec<u32>> = Default::default();
        for of in blocks {
            for (key, ids) in of {
                shards.entry(key).or_default().extend(ids);
            }
        }
        shards.into_iter().unzip()
    }
}

/// A term's records, read from their gaps.
struct Postings<'a> {
    rest: &'a [u8],
    left: usize,
    last: u32,
}

impl Iterator for Postings<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        self.left = self.left.checked_sub(1)?;
        // Written by `Vocabulary::new` just before: a gap is always there.
        let gap = leb128::read::unsigned(&mut self.rest).unwrap_or(0) as u32;
        self.last += gap;
        Some(self.last)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for Postings<'_> {}

/// Which terms the index keeps: every term a record has, but for the
/// spelled terms of words spelled only one way in the whole site: every
/// record with such a word has the same spelling, so it cannot change the
/// order of results, and most words need no spelled terms.
fn kept_terms(strings: &[Box<str>], counts: &[u32]) -> Vec<bool> {
    let mut spellings: HashMap<String, usize> = HashMap::default();
    for (t, _) in strings.iter().zip(counts).filter(|(_, n)| **n > 0) {
        if let Some(m) = spelled(t) {
            *spellings.entry(unmark(m)).or_default() += 1;
        }
    }
    strings
        .iter()
        .zip(counts)
        .map(|(t, &n)| n > 0 && spelled(t).is_none_or(|m| spellings[&unmark(m)] > 1))
        .collect()
}

/// The spelling of a spelled term ([`Term::marked`]).
fn spelled(term: &str) -> Option<&str> {
    term.strip_prefix(MARKED)
        .map(|m| m.trim_end_matches(congkhai_fold::END))
}

/// The estimated size of the largest shard at a depth: each term once with
/// about a byte per posting (postings are delta-encoded), and each record
/// the shard mentions — the costly part, a pass over every posting, skipped
/// when the terms alone are already past [`MAX_SHARD_BYTES`].
fn largest_shard(v: &Vocabulary, depth: usize) -> usize {
    let (_, members) = v.shards_at(depth);
    let sizes: Vec<usize> = members
        .iter()
        .map(|ids| {
            ids.iter()
                .map(|&id| v.terms.get(id as usize).len() + 3 + v.list(id).len())
                .sum()
        })
        .collect();
    let terms_only = sizes.iter().copied().max().unwrap_or(0);
    if terms_only > MAX_SHARD_BYTES {
        return terms_only;
    }
    let mentions: Vec<usize> = members
        .par_iter()
        .map_init(
            || vec![0u64; v.docs.div_ceil(64)],
            |seen, ids| mentioned(v, ids, seen),
        )
        .collect();
    sizes
        .iter()
        .zip(mentions)
        .map(|(size, n)| size + BYTES_PER_RECORD * n)
        .max()
        .unwrap_or(0)
}

/// How many records have any of the terms `ids`; `seen` holds a bit per
/// record, all clear, and is left clear.
fn mentioned(v: &Vocabulary, ids: &[u32], seen: &mut [u64]) -> usize {
    if let [id] = ids {
        return v.list(*id).len();
    }
    let n = mark(v, ids, seen);
    for &id in ids {
        for doc in v.list(id) {
            seen[doc as usize / 64] = 0;
        }
    }
    n
}

/// Sets in `seen` (a bit per record) the bit of each record of the terms
/// `ids`; returns how many bits were newly set.
fn mark(v: &Vocabulary, ids: &[u32], seen: &mut [u64]) -> usize {
    let mut n = 0;
    for &id in ids {
        for doc in v.list(id) {
            let (word, bit) = (doc as usize / 64, 1u64 << (doc % 64));
            if seen[word] & bit == 0 {
                seen[word] |= bit;
                n += 1;
            }
        }
    }
    n
}

/// The smallest depth (up to 2) at which no shard is estimated past
/// [`MAX_SHARD_BYTES`]; if there is none, the depth whose largest shard is
/// smallest. Deeper is not always smaller: the records repeated in every
/// shard can outweigh the postings spread over more shards.
pub(super) fn choose_depth(v: &Vocabulary) -> usize {
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

/// Builds the tinysearch shards for a depth, each cut into blocks of
/// `block` records (see [`super::BLOCK`]; the shards of record numbers
/// are whole, see [`is_whole_shard`]), and hands each block to `put` with
/// its key and number as soon as its shard is made, so that they are never
/// all held at once (at a million records they are 780 MB). Every block of
/// every shard is written, empty or not, so that the engine can name the
/// files it needs from the manifest's key list alone. Returns the keys in
/// order, each with the bytes of all its blocks.
pub(super) fn shards(
    v: &Vocabulary,
    depth: usize,
    block: usize,
    put: impl Fn(&str, usize, &[u8]) -> Result<(), String> + Sync,
) -> Result<Vec<(String, usize)>, String> {
    let (keys, members) = v.shards_at(depth);
    keys.into_par_iter()
        .zip(members)
        .map_init(
            || Scratch {
                post_of: vec![0u32; v.docs],
                seen: vec![0u64; v.docs.div_ceil(64)],
            },
            |scratch, (key, ids)| {
                let mut size = 0;
                let block = if is_whole_shard(&key) { v.docs } else { block };
                for (b, bytes) in shard_blocks(v, &ids, block.max(1), scratch)?
                    .iter()
                    .enumerate()
                {
                    put(&key, b, bytes)?;
                    size += bytes.len();
                }
                Ok((key, size))
            },
        )
        .collect()
}

/// A thread's room for making shards: each record's post number in the
/// block being made, and a bit per record, left clear.
struct Scratch {
    post_of: Vec<u32>,
    seen: Vec<u64>,
}

/// Appends `value` as bincode, in the configuration tinysearch reads.
fn bincode_into(value: &impl serde::Serialize, out: &mut Vec<u8>) -> Result<(), String> {
    bincode::serde::encode_into_std_write(value, out, bincode::config::standard())
        .map(drop)
        .map_err(|e| e.to_string())
}

/// The start of tinysearch's compact exact index (`Storage::to_bytes`).
const MAGIC: &[u8] = b"tinysearch\x02";

fn varint(out: &mut Vec<u8>, n: usize) {
    // Writing to a vector cannot fail.
    let _ = leb128::write::unsigned(out, n as u64);
}

/// One block of a shard as it is being made: its posts (bincode, without
/// their count), and its terms with their posting lists.
#[derive(Default)]
struct Block {
    posts: usize,
    post_bytes: Vec<u8>,
    terms: usize,
    vocabulary: Vec<u8>,
    lists: Vec<u8>,
}

impl Block {
    /// Adds a term with its posting list (`n` post-number gaps in `gaps`).
    fn term(&mut self, term: &str, n: usize, gaps: &[u8]) {
        self.terms += 1;
        self.vocabulary.extend_from_slice(term.as_bytes());
        self.vocabulary.push(b'\n');
        varint(&mut self.lists, n);
        self.lists.extend_from_slice(gaps);
    }

    /// The block in tinysearch's compact exact format: the magic; the
    /// posts as bincode; the number of terms, the length of the vocabulary
    /// and the terms joined by newlines; per term its posting count and
    /// gaps (LEB128 numbers).
    fn finish(self) -> Result<Vec<u8>, String> {
        let mut posts = Vec::with_capacity(self.post_bytes.len() + 9);
        bincode_into(&self.posts, &mut posts)?;
        posts.extend_from_slice(&self.post_bytes);
        let mut out = Vec::with_capacity(
            MAGIC.len() + 20 + posts.len() + self.vocabulary.len() + self.lists.len(),
        );
        out.extend_from_slice(MAGIC);
        varint(&mut out, posts.len());
        out.extend_from_slice(&posts);
        varint(&mut out, self.terms);
        varint(&mut out, self.vocabulary.len());
        out.extend_from_slice(&self.vocabulary);
        out.extend_from_slice(&self.lists);
        Ok(out)
    }
}

/// The blocks of the shard of the terms `ids`, each a tinysearch index of
/// its own over records `b * block ..` (made in one pass over the shard's
/// postings). tinysearch builds this only from a `SearchIndex` made of
/// documents and string sets, which took most of a large build's index
/// time, so it is written here, and a test checks the bytes against
/// tinysearch's own builder, block by block.
fn shard_blocks(
    v: &Vocabulary,
    ids: &[u32],
    block: usize,
    scratch: &mut Scratch,
) -> Result<Vec<Vec<u8>>, String> {
    let Scratch { post_of, seen } = scratch;
    let mut blocks: Vec<Block> = (0..v.docs.div_ceil(block).max(1))
        .map(|_| Block::default())
        .collect();
    // The records of the shard, in order (tinysearch numbers them so),
    // marked a bit each: every posting of a shard of common words, copied
    // and sorted, was 0.4 GB of the build's peak at a million records.
    mark(v, ids, seen);
    // A post names its record by the gap from the previous post's record
    // (the first of a block by its number): mostly "1" or "2", which
    // compress to almost nothing, where whole numbers were a third of a
    // shard. Posts are encoded as they are made, not all held first.
    let mut last = 0;
    for (w, word) in seen.iter_mut().enumerate() {
        while *word != 0 {
            let doc = (w * 64) as u32 + word.trailing_zeros();
            *word &= *word - 1;
            let b = &mut blocks[doc as usize / block];
            if b.posts == 0 {
                last = 0;
            }
            post_of[doc as usize] = b.posts as u32;
            b.posts += 1;
            let made = PostId {
                title: String::new(),
                url: (doc - last).to_string(),
                meta: String::new(),
            };
            last = doc;
            bincode_into(&made, &mut b.post_bytes)?;
        }
    }
    // Each term's list, split where its records cross into the next block.
    let mut gaps = Vec::new();
    for &id in ids {
        let term = v.terms.get(id as usize);
        let (mut current, mut n, mut previous) = (usize::MAX, 0, 0);
        for doc in v.list(id) {
            let b = doc as usize / block;
            if b != current {
                if let Some(done) = blocks.get_mut(current) {
                    done.term(term, n, &gaps);
                }
                (current, n) = (b, 0);
                gaps.clear();
            }
            let post = post_of[doc as usize] as usize;
            varint(&mut gaps, if n == 0 { post } else { post - previous });
            previous = post;
            n += 1;
        }
        if let Some(done) = blocks.get_mut(current) {
            done.term(term, n, &gaps);
        }
    }
    blocks.into_iter().map(Block::finish).collect()
}

/// A shard block's file name: the shard key in hexadecimal (keys hold
/// folded letters and digit letters), then the block's number past the
/// first, so that a site of one block has the names it always had.
pub fn shard_file(key: &str, block: usize) -> String {
    let hex: String = key.bytes().map(|b| format!("{b:02x}")).collect();
    let stem = if key.is_empty() {
        "index".to_string()
    } else {
        format!("index-{hex}")
    };
    if block == 0 {
        format!("{stem}.bin")
    } else {
        format!("{stem}.{block}.bin")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tinysearch::{ExactIndexBackend, IndexBackend, IndexedDocument, Storage};

    /// Builds shards of `texts` at every depth and compares each with what
    /// tinysearch's own builder makes of the same records.
    fn same_as_tinysearch(texts: &[Vec<&str>], left_out: &[&str]) {
        // Numbered last record first, each record's terms backwards, so
        // that the vocabulary has to renumber them in sorted order.
        let terms = Terms::default();
        for t in texts.iter().rev().flat_map(|t| t.iter().rev()) {
            terms.id(t);
        }
        let all: Vec<Vec<u32>> = texts
            .iter()
            .map(|t| {
                let mut ids: Vec<u32> = t.iter().map(|s| terms.id(s)).collect();
                ids.sort_unstable();
                ids.dedup();
                ids
            })
            .collect();
        let vocabulary =
            Vocabulary::new(&super::super::spill::spilled(&all), terms).expect("read back");
        let kept = |t: &&&str| !left_out.contains(*t);
        for (depth, block) in [(0, 700), (1, 700), (2, 700), (1, 1), (1, 3), (2, 64)] {
            let made = std::sync::Mutex::new(std::collections::BTreeMap::new());
            let sizes = shards(&vocabulary, depth, block, |key, b, bytes| {
                let mut made = made.lock().expect("not poisoned");
                assert!(made.insert((key.to_string(), b), bytes.to_vec()).is_none());
                Ok(())
            })
            .expect("builds");
            let fast = made.into_inner().expect("not poisoned");
            let mut listed: Vec<(String, usize)> = Vec::new();
            for ((k, _), bytes) in &fast {
                match listed.last_mut() {
                    Some((last, n)) if last == k => *n += bytes.len(),
                    _ => listed.push((k.clone(), bytes.len())),
                }
            }
            assert_eq!(
                sizes, listed,
                "the shards are listed in order, with the size of all their blocks"
            );
            let mut keys: Vec<String> = texts
                .iter()
                .flatten()
                .filter(kept)
                .map(|t| term_shard_key(t, depth))
                .collect();
            keys.sort_unstable();
            keys.dedup();
            let blocks_of = |k: &str| {
                let block = if is_whole_shard(k) {
                    texts.len()
                } else {
                    block
                };
                texts.len().div_ceil(block.max(1)).max(1)
            };
            let expected: Vec<(String, usize)> = keys
                .iter()
                .flat_map(|k| (0..blocks_of(k)).map(move |b| (k.clone(), b)))
                .collect();
            assert_eq!(
                fast.keys().cloned().collect::<Vec<_>>(),
                expected,
                "every block of every shard, empty or not"
            );
            for (key, b) in expected {
                // Each block is tinysearch's index of its own records; its
                // first post names its record by number.
                let block = if is_whole_shard(&key) {
                    texts.len()
                } else {
                    block
                };
                let mut previous = 0;
                let documents = texts
                    .iter()
                    .enumerate()
                    .skip(b * block)
                    .take(block)
                    .filter(|(_, ts)| {
                        ts.iter()
                            .filter(kept)
                            .any(|t| term_shard_key(t, depth) == key)
                    })
                    .map(|(doc, ts)| {
                        let post = PostId {
                            title: String::new(),
                            url: (doc - previous).to_string(),
                            meta: String::new(),
                        };
                        previous = doc;
                        let mine = ts
                            .iter()
                            .filter(kept)
                            .filter(|t| term_shard_key(t, depth) == key);
                        IndexedDocument::new(post, mine.map(|t| t.to_string()))
                    })
                    .collect();
                let reference = Storage::from(ExactIndexBackend.build(documents))
                    .to_bytes()
                    .expect("encodes");
                assert_eq!(
                    fast[&(key.clone(), b)],
                    reference,
                    "shard {key:?}, block {b}, at depth {depth}, blocks of {block}"
                );
            }
        }
    }

    /// The fast builder must give exactly what tinysearch's own builder
    /// gives, or the browser's engine would read the shards wrong.
    #[test]
    fn shards_are_what_tinysearch_builds() {
        let dang = Term::marked(&congkhai_fold::marked("đảng")).into_string();
        let dang2 = Term::marked(&congkhai_fold::marked("Đặng")).into_string();
        let only = Term::marked(&congkhai_fold::marked("bình")).into_string();
        let texts = [
            vec!["anh", "binh", "cuong'", &dang, &only],
            vec!["binh", "dung", &dang2],
            vec![],
            vec!["anh", "dung", "''kl'", &dang],
        ];
        // "bình" is spelled one way only: its spelled term is left out.
        same_as_tinysearch(&texts, &[&only]);
    }

    /// Hundreds of records: posting gaps and post numbers past one byte.
    #[test]
    fn large_shards_are_what_tinysearch_builds() {
        let words = ["anh'", "binh'", "cuong'", "dung'", "''kl'", "ba'", "bo'"];
        let texts: Vec<Vec<&str>> = (0..700)
            .map(|i| {
                let mut t: Vec<&str> = words
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| i % (k * 97 + 2) == 0 || (i + k) % 5 == 0)
                    .map(|(_, w)| *w)
                    .collect();
                t.sort_unstable();
                t
            })
            .collect();
        same_as_tinysearch(&texts, &[]);
    }
}
