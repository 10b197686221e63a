//! The term index: each record's terms, the vocabulary, the shard depth,
//! and the shards in tinysearch's format.

use congkhai_fold::{
    MARKED, Term, marked_words, number_key, number_term, term_shard_key, unmark, words,
};
use std::hash::BuildHasher;
use std::io;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

use rayon::prelude::*;
// Hashing millions of short terms: FxHash is several times faster than
// SipHash, and nothing here is keyed by untrusted input an attacker can pick.
use rustc_hash::FxHashMap as HashMap;

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
    pub(super) fn id(&self, term: &str) -> u32 {
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
    pub(super) fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }
}

/// The terms of a record, as numbers in order, each once: every word as a
/// body term and as it is spelled, title and number words also as title
/// terms, and the joined number.
pub(super) fn terms(doc: &Doc, interner: &mut Interner<'_>) -> Vec<u32> {
    let mut ids: Vec<u32> = Vec::new();
    // The number's words are not title words: the number ranks by its own
    // term, and as title words they were in every block of a large site,
    // so no block could be left out of a number query (see `blocks`).
    for w in words(&doc.heading) {
        ids.push(interner.id(Term::title(&w).into_string()));
    }
    interner.text(&doc.number, &mut ids);
    interner.text(&doc.heading, &mut ids);
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
    pub(super) terms: Packed,
    /// Where each term's list starts in `records`, and one past the last.
    starts: Vec<usize>,
    /// How many records each term has.
    counts: Vec<u32>,
    records: Vec<u8>,
    /// How many records there are.
    pub(super) docs: usize,
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
    pub(super) fn list(&self, id: u32) -> Postings<'_> {
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
    pub(super) fn shards_at(&self, depth: usize) -> (Vec<String>, Vec<Vec<u32>>) {
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
pub(super) struct Postings<'a> {
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
pub(super) fn mark(v: &Vocabulary, ids: &[u32], seen: &mut [u64]) -> usize {
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
