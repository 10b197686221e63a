//! The shard files: each shard of the term index cut into blocks of
//! records in tinysearch's format, and a summary of which blocks hold the
//! terms that rank (see [`super::BLOCK`]).

use congkhai_fold::{is_whole_shard, ranks};
use rayon::prelude::*;
use tinysearch::PostId;

use super::shards::{Vocabulary, mark};

/// Builds the tinysearch shards for a depth, each cut into blocks of
/// `block` records (see [`super::BLOCK`]; the shards of record numbers
/// are whole, see [`is_whole_shard`]), and hands each file (a block, or the
/// summary of a shard of several blocks) to `put` with its key as soon as
/// its shard is made, so that they are never all held at once (at a
/// million records they are 800 MB). Every block of every shard is written,
/// empty or not, so that the engine can name the files it needs from the
/// manifest's key list alone. Returns the keys in order, each with the
/// bytes of all its files.
pub(super) fn shards(
    v: &Vocabulary,
    depth: usize,
    block: usize,
    put: impl Fn(&str, Part, &[u8]) -> Result<(), String> + Sync,
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
                let block = if is_whole_shard(&key) { v.docs } else { block };
                let (blocks, summary) = shard_blocks(v, &ids, block.max(1), scratch)?;
                let mut size = 0;
                for (b, bytes) in blocks.iter().enumerate() {
                    put(&key, Part::Block(b), bytes)?;
                    size += bytes.len();
                }
                if let Some(bytes) = summary {
                    put(&key, Part::Summary, &bytes)?;
                    size += bytes.len();
                }
                Ok((key, size))
            },
        )
        .collect()
}

/// How many blocks of `block` records a shard of `records` records has: at
/// least one, even empty.
pub(super) fn block_count(records: usize, block: usize) -> usize {
    records.div_ceil(block).max(1)
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

/// A shard's blocks, in order, and its summary if it has more than one.
type ShardFiles = (Vec<Vec<u8>>, Option<Vec<u8>>);

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
) -> Result<ShardFiles, String> {
    let Scratch { post_of, seen } = scratch;
    let mut blocks: Vec<Block> = (0..block_count(v.docs, block))
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
    let mut summary = (blocks.len() > 1).then(|| Summary::new(blocks.len()));
    for &id in ids {
        let term = v.terms.get(id as usize);
        let mut holders = summary
            .as_mut()
            .filter(|_| ranks(term))
            .map(|s| s.term(term));
        let (mut current, mut n, mut previous) = (usize::MAX, 0, 0);
        for doc in v.list(id) {
            let b = doc as usize / block;
            if b != current {
                if let Some(done) = blocks.get_mut(current) {
                    done.term(term, n, &gaps);
                }
                if let Some(bits) = holders.as_mut() {
                    bits[b / 8] |= 1 << (b % 8);
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
    let blocks = blocks
        .into_iter()
        .map(Block::finish)
        .collect::<Result<_, _>>()?;
    Ok((blocks, summary.map(Summary::finish)))
}

/// Which blocks of a shard hold each of its ranking terms ([`ranks`]), so
/// that the engine knows the best score the blocks it has not loaded could
/// give, without loading them: a number's other records, or a title phrase
/// the newest blocks lack, no longer mean loading every block. The engine's
/// own format: the number of terms; per term, in order, its length, its
/// bytes and a bit per block (block `b` is bit `b % 8` of byte `b / 8`).
struct Summary {
    bytes: Vec<u8>,
    terms: usize,
    width: usize,
}

impl Summary {
    fn new(blocks: usize) -> Self {
        Self {
            bytes: Vec::new(),
            terms: 0,
            width: blocks.div_ceil(8),
        }
    }

    /// Adds a term; returns its bits, all clear, to set.
    fn term(&mut self, term: &str) -> &mut [u8] {
        self.terms += 1;
        varint(&mut self.bytes, term.len());
        self.bytes.extend_from_slice(term.as_bytes());
        let at = self.bytes.len();
        self.bytes.resize(at + self.width, 0);
        &mut self.bytes[at..]
    }

    fn finish(self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.bytes.len() + 5);
        varint(&mut out, self.terms);
        out.extend_from_slice(&self.bytes);
        out
    }
}

/// A file of a shard: one of its blocks, or its summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Part {
    Block(usize),
    Summary,
}

impl Part {
    pub(super) fn file(self, key: &str) -> String {
        match self {
            Self::Block(b) => shard_file(key, b),
            Self::Summary => format!("{}.s.bin", stem(key)),
        }
    }
}

/// A shard block's file name: the shard key in hexadecimal (keys hold
/// folded letters and digit letters), then the block's number past the
/// first, so that a site of one block has the names it always had.
pub fn shard_file(key: &str, block: usize) -> String {
    if block == 0 {
        format!("{}.bin", stem(key))
    } else {
        format!("{}.{block}.bin", stem(key))
    }
}

/// A shard's file names without their ends: the key in hexadecimal.
fn stem(key: &str) -> String {
    if key.is_empty() {
        return "index".to_string();
    }
    let hex: String = key.bytes().map(|b| format!("{b:02x}")).collect();
    format!("index-{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::shards::Terms;
    use congkhai_fold::{Term, term_shard_key};
    use std::collections::BTreeMap;
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
            let sizes = shards(&vocabulary, depth, block, |key, part, bytes| {
                let mut made = made.lock().expect("not poisoned");
                assert!(
                    made.insert((key.to_string(), part), bytes.to_vec())
                        .is_none()
                );
                Ok(())
            })
            .expect("builds");
            let mut fast = made.into_inner().expect("not poisoned");
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
            let expected: Vec<(String, Part)> = keys
                .iter()
                .flat_map(|k| {
                    let n = blocks_of(k);
                    let summary = (n > 1).then_some(Part::Summary);
                    (0..n)
                        .map(Part::Block)
                        .chain(summary)
                        .map(|p| (k.clone(), p))
                })
                .collect();
            assert_eq!(
                fast.keys().cloned().collect::<Vec<_>>(),
                expected,
                "every block of every shard, empty or not, and a summary if there are blocks"
            );
            for (key, part) in expected {
                let Part::Block(b) = part else {
                    let made = fast.remove(&(key.clone(), part)).expect("made");
                    let got = summary_of(&made, blocks_of(&key));
                    let mut want: BTreeMap<String, Vec<usize>> = BTreeMap::new();
                    for (doc, ts) in texts.iter().enumerate() {
                        for t in ts.iter().filter(kept) {
                            if ranks(t) && term_shard_key(t, depth) == key {
                                let blocks = want.entry(t.to_string()).or_default();
                                if blocks.last() != Some(&(doc / block)) {
                                    blocks.push(doc / block);
                                }
                            }
                        }
                    }
                    assert_eq!(got, want, "summary of {key:?}, blocks of {block}");
                    continue;
                };
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
                    fast[&(key.clone(), part)],
                    reference,
                    "shard {key:?}, block {b}, at depth {depth}, blocks of {block}"
                );
            }
        }
    }

    /// A summary of `blocks` blocks read back: each term with the blocks
    /// that hold it.
    fn summary_of(bytes: &[u8], blocks: usize) -> BTreeMap<String, Vec<usize>> {
        let mut rest = bytes;
        let terms = leb128::read::unsigned(&mut rest).expect("a count");
        let mut out = BTreeMap::new();
        for _ in 0..terms {
            let len = leb128::read::unsigned(&mut rest).expect("a length") as usize;
            let (term, after) = rest.split_at(len);
            let (bits, after) = after.split_at(blocks.div_ceil(8));
            let held = (0..blocks).filter(|b| bits[b / 8] & (1 << (b % 8)) != 0);
            out.insert(
                String::from_utf8(term.to_vec()).expect("text"),
                held.collect(),
            );
            rest = after;
        }
        assert!(rest.is_empty(), "nothing after the last term");
        out
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
        let words = [
            "anh'", "binh'", "cuong'", "dung'", "''kl'", "ba'", "bo'", "'bo'", "'ba'",
        ];
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
