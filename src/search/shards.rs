//! The term index: each record's terms, the vocabulary, the shard depth,
//! and the shards in tinysearch's format.

use std::collections::BTreeMap;

use congkhai_fold::{
    MARKED, Term, marked_words, number_key, number_term, term_shard_key, unmark, words,
};
use rayon::prelude::*;
// Hashing millions of short terms: FxHash is several times faster than
// SipHash, and nothing here is keyed by untrusted input an attacker can pick.
use rustc_hash::FxHashMap as HashMap;
use tinysearch::PostId;

use super::MAX_SHARD_BYTES;
use super::records::Doc;

/// The terms one thread has seen, numbered, and the terms of each raw body
/// token: the same syllables come back in every record, and folding them is
/// the costly part. A record's terms are gathered as numbers, so that
/// removing its repeated words compares numbers, not strings.
#[derive(Default)]
pub(super) struct Interner {
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

/// The distinct terms of one record, packed into one string: a
/// record has a few hundred short terms, and ten thousand records of them
/// as separate `String`s were the largest thing a build held in memory.
pub(super) struct Packed {
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

/// The terms of a record: every word as a body term and as it is spelled,
/// title and number words also as title terms, and the joined number.
pub(super) fn terms(doc: &Doc, interner: &mut Interner) -> Packed {
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
    // In the interner's order, not the strings': the shards sort their
    // (term, record) pairs anyway, and sorting a few hundred strings per
    // record was most of this stage.
    let terms: Vec<&str> = ids
        .iter()
        .map(|&id| interner.terms[id as usize].as_str())
        .collect();
    Packed::new(&terms)
}

/// Bytes a shard spends on each record it mentions: tinysearch keeps, per
/// shard, the list of its records (an empty title, the gap to the previous
/// record as text, an empty meta), so deeper shards repeat records more often.
const BYTES_PER_RECORD: usize = 5;

/// The distinct terms of the index, numbered in sorted order, and each
/// record's terms as those numbers. The depth estimate and the shards work
/// on numbers: at 100 000 records there are 20 million postings, and
/// slicing and hashing a string for each of them, once per depth tried,
/// took seconds.
pub(super) struct Vocabulary<'a> {
    terms: Vec<&'a str>,
    /// How many records have each term.
    counts: Vec<usize>,
    /// Per record, the numbers of its terms.
    records: Vec<Vec<u32>>,
}

impl<'a> Vocabulary<'a> {
    pub(super) fn new(all_terms: &'a [Packed]) -> Self {
        let mut counted = term_counts(all_terms);
        drop_single_spellings(&mut counted);
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
            .map(|p| p.iter().filter_map(|t| number.get(t).copied()).collect())
            .collect();
        Self {
            terms,
            counts,
            records,
        }
    }

    /// The shard keys at a depth, in order, and the shard of each term.
    fn shards_at(&self, depth: usize) -> (Vec<String>, Vec<u32>) {
        let of_term: Vec<String> = self
            .terms
            .par_iter()
            .map(|t| term_shard_key(t, depth))
            .collect();
        let mut keys = of_term.clone();
        keys.par_sort_unstable();
        keys.dedup();
        let shard_of = of_term
            .iter()
            .map(|k| keys.binary_search(k).unwrap_or(0) as u32)
            .collect();
        (keys, shard_of)
    }
}

/// Removes the spelled terms of words spelled only one way in the whole
/// site: every record with such a word has the same spelling, so it cannot
/// change the order of results, and most words need no spelled terms.
fn drop_single_spellings(counted: &mut HashMap<&str, usize>) {
    let mut spellings: HashMap<String, usize> = HashMap::default();
    for t in counted.keys() {
        if let Some(m) = spelled(t) {
            *spellings.entry(unmark(m)).or_default() += 1;
        }
    }
    counted.retain(|t, _| spelled(t).is_none_or(|m| spellings[&unmark(m)] > 1));
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
fn largest_shard(v: &Vocabulary<'_>, depth: usize) -> usize {
    let (keys, shard_of) = v.shards_at(depth);
    let mut sizes = vec![0usize; keys.len()];
    for (id, t) in v.terms.iter().enumerate() {
        sizes[shard_of[id] as usize] += t.len() + 3 + v.counts[id];
    }
    let terms_only = sizes.iter().copied().max().unwrap_or(0);
    if terms_only > MAX_SHARD_BYTES {
        return terms_only;
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
pub(super) fn choose_depth(v: &Vocabulary<'_>) -> usize {
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
pub(super) fn shards(v: Vocabulary<'_>, depth: usize) -> Result<BTreeMap<String, Vec<u8>>, String> {
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

/// The start of tinysearch's compact exact index (`Storage::to_bytes`).
const MAGIC: &[u8] = b"tinysearch\x02";

fn varint(out: &mut Vec<u8>, n: usize) {
    // Writing to a vector cannot fail.
    let _ = leb128::write::unsigned(out, n as u64);
}

/// One shard from its (term, record) pairs in record order, in tinysearch's
/// compact exact format: the magic; the posts as bincode; the number of
/// terms, the length of the vocabulary and the terms joined by newlines;
/// per term its posting count and gaps (LEB128 numbers). tinysearch builds
/// this only from a `SearchIndex` made of documents and string sets, which
/// took most of a large build's index time, so it is written here, and a
/// test checks the bytes against tinysearch's own builder.
fn shard_bytes(vocabulary: &[&str], mut pairs: Vec<u64>) -> Result<Vec<u8>, String> {
    // Records by their number in this shard, as tinysearch numbers them.
    // A post names its record by the gap from the previous post's record
    // (the first by its number): mostly "1" or "2", which compress to
    // almost nothing, where whole numbers were a third of a shard.
    let mut posts = Vec::new();
    let mut last = None;
    for p in &mut pairs {
        let doc = *p as u32;
        if last != Some(doc) {
            posts.push(PostId {
                title: String::new(),
                url: (doc - last.map_or(0, |l| l)).to_string(),
                meta: String::new(),
            });
            last = Some(doc);
        }
        *p = (*p >> 32) << 32 | (posts.len() - 1) as u64;
    }
    pairs.sort_unstable();
    let posts = bincode::serde::encode_to_vec(&posts, bincode::config::standard())
        .map_err(|e| e.to_string())?;
    // The terms in order, each with where its postings start in `pairs`.
    let mut terms: Vec<(usize, usize)> = Vec::new();
    for (i, p) in pairs.iter().enumerate() {
        let term = (p >> 32) as usize;
        if terms.last().is_none_or(|&(t, _)| t != term) {
            terms.push((term, i));
        }
    }
    let vocabulary_len: usize = terms.iter().map(|&(t, _)| vocabulary[t].len() + 1).sum();
    let mut out = Vec::with_capacity(MAGIC.len() + posts.len() + vocabulary_len + pairs.len() * 2);
    out.extend_from_slice(MAGIC);
    varint(&mut out, posts.len());
    out.extend_from_slice(&posts);
    varint(&mut out, terms.len());
    varint(&mut out, vocabulary_len);
    for &(t, _) in &terms {
        out.extend_from_slice(vocabulary[t].as_bytes());
        out.push(b'\n');
    }
    for (k, &(_, start)) in terms.iter().enumerate() {
        let end = terms.get(k + 1).map_or(pairs.len(), |&(_, s)| s);
        varint(&mut out, end - start);
        let mut previous = 0;
        for (j, p) in pairs[start..end].iter().enumerate() {
            let local = (*p as u32) as usize;
            varint(&mut out, if j == 0 { local } else { local - previous });
            previous = local;
        }
    }
    Ok(out)
}

/// A shard key as a file name (keys hold folded letters and digit letters).
pub fn shard_file(key: &str) -> String {
    if key.is_empty() {
        return "index.bin".to_string();
    }
    let hex: String = key.bytes().map(|b| format!("{b:02x}")).collect();
    format!("index-{hex}.bin")
}

#[cfg(test)]
mod tests {
    use super::*;
    use tinysearch::{ExactIndexBackend, IndexBackend, IndexedDocument, Storage};

    /// Builds shards of `texts` at every depth and compares each with what
    /// tinysearch's own builder makes of the same records.
    fn same_as_tinysearch(texts: &[Vec<&str>], left_out: &[&str]) {
        let all: Vec<Packed> = texts.iter().map(|t| Packed::new(t)).collect();
        let kept = |t: &&&str| !left_out.contains(*t);
        for depth in 0..3 {
            let fast = shards(Vocabulary::new(&all), depth).expect("builds");
            let mut keys: Vec<String> = texts
                .iter()
                .flatten()
                .filter(kept)
                .map(|t| term_shard_key(t, depth))
                .collect();
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(fast.keys().cloned().collect::<Vec<_>>(), keys);
            for key in keys {
                let mut previous = 0;
                let documents = texts
                    .iter()
                    .enumerate()
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
                assert_eq!(fast[&key], reference, "shard {key:?} at depth {depth}");
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
