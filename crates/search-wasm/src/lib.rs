//! The search engine that runs in the reader's browser.
//!
//! The site ships its term index as tinysearch shards (built natively by
//! `congkhai build`); this engine loads the shards a query needs at run time,
//! folds the query with the same function the index was built with, and
//! answers with the matching record numbers. It knows nothing about any
//! particular site, so one compiled module serves every site.
//!
//! A large site's shards come in blocks of records, newest first: the page
//! loads the first block of each shard a query needs, asks for the results
//! over the blocks loaded so far, and loads more only while its first page
//! could still change — [`Engine::best`] is the highest score a record of a
//! block not loaded yet could reach, so results scoring that much are final
//! (later blocks hold later records, which rank after them on equal
//! scores). The shards of record numbers are whole, so the records whose
//! number the query is are all known from the start, and rank first.
//!
//! Matching: every word must match (AND), or the query is the record's
//! number (while typed, the start of it); finished words match whole words,
//! the last word while it is being typed matches as a prefix. Ranking, from
//! the strongest: the query is the record's number (those records rank
//! among themselves by record order alone); each word found spelled
//! exactly as typed, diacritics included (only when the reader typed any);
//! each word found in the record's title. The page shows equal scores in
//! record order, which is newest first.
#![cfg_attr(not(target_arch = "wasm32"), forbid(unsafe_code))]

use std::collections::{BTreeMap, BTreeSet, HashMap};

use congkhai_fold::{MIN_PREFIX_CHARS, Query, Term, is_whole_shard, number_prefix, number_term};

/// Score of an exact number match: above everything else.
pub const NUMBER_BONUS: u32 = 1_000_000;
/// Score of each word spelled exactly as typed: above any number of title
/// words, so that `Đặng` finds Đặng before Đảng.
pub const SPELLING_BONUS: u32 = 1_000;

/// One loaded shard, read lazily: tinysearch's own decoder builds every
/// term as a `String` and every posting list as a vector, which took about
/// 100 ms per shard of a 10 000-record site in a browser; a query needs a
/// handful of terms. So the engine keeps the shard's bytes, notes where each
/// term and posting list starts, and decodes only the lists it looks up.
///
/// The layout is tinysearch's compact exact index (`Storage::to_bytes`): a
/// magic string; the posts, as bincode; the number of terms and the length
/// of the vocabulary, then the terms joined by newlines; per term, the count
/// and gaps of its posting list. Lengths and gaps are LEB128 numbers.
/// A test checks every lookup against tinysearch's own decoding.
struct Shard {
    bytes: Vec<u8>,
    /// Per post, its record number (posts name records by the gap from the
    /// previous post's record).
    records: Vec<u32>,
    /// Per term, where it starts and ends in `bytes`.
    terms: Vec<(u32, u32)>,
    /// Per term, where its posting list starts in `bytes`.
    postings: Vec<u32>,
}

const MAGIC: &[u8] = b"tinysearch\x02";

/// Errors are plain words: formatting the libraries' error values would
/// link number and float formatting into the engine every reader loads.
type Read<T> = Result<T, &'static str>;

fn number(bytes: &[u8], at: &mut usize) -> Read<usize> {
    let mut rest = bytes.get(*at..).ok_or("truncated")?;
    let before = rest.len();
    let n = leb128::read::unsigned(&mut rest).map_err(|_| "bad number")?;
    *at += before - rest.len();
    usize::try_from(n).map_err(|_| "number too large")
}

fn section<'a>(bytes: &'a [u8], at: &mut usize, len: usize) -> Read<&'a [u8]> {
    let end = at.checked_add(len).ok_or("truncated")?;
    let s = bytes.get(*at..end).ok_or("truncated")?;
    *at = end;
    Ok(s)
}

/// A length as bincode's standard configuration writes it: below 251 in one
/// byte, else a marker byte and 2, 4 or 8 little-endian bytes.
fn bincode_len(bytes: &[u8], at: &mut usize) -> Read<usize> {
    let first = *bytes.get(*at).ok_or("truncated")?;
    *at += 1;
    let width = match first {
        0..=250 => return Ok(usize::from(first)),
        251 => 2,
        252 => 4,
        253 => 8,
        _ => return Err("bad length"),
    };
    let mut n = 0u64;
    for (i, &b) in section(bytes, at, width)?.iter().enumerate() {
        n |= u64::from(b) << (8 * i);
    }
    usize::try_from(n).map_err(|_| "number too large")
}

/// The record of each post: tinysearch's posts (`PostId`: title, url,
/// meta) as bincode, whose url is the gap from the previous post's record.
/// Read by hand: decoding the posts through serde, even borrowed, was most
/// of a block's loading time (a million-record query loads ~100 blocks).
fn records(posts: &[u8]) -> Read<Vec<u32>> {
    let mut at = 0;
    let count = bincode_len(posts, &mut at)?;
    // Each post takes at least three bytes.
    let mut records = Vec::with_capacity(count.min(posts.len() / 3));
    let mut record = 0u32;
    for _ in 0..count {
        let title = bincode_len(posts, &mut at)?;
        section(posts, &mut at, title)?;
        let url = bincode_len(posts, &mut at)?;
        let digits = section(posts, &mut at, url)?;
        if digits.is_empty() {
            return Err("a post is not a number");
        }
        let mut gap = 0u32;
        for &d in digits {
            if !d.is_ascii_digit() {
                return Err("a post is not a number");
            }
            gap = gap
                .checked_mul(10)
                .and_then(|g| g.checked_add(u32::from(d - b'0')))
                .ok_or("a post is out of range")?;
        }
        let meta = bincode_len(posts, &mut at)?;
        section(posts, &mut at, meta)?;
        record = record.checked_add(gap).ok_or("a post is out of range")?;
        records.push(record);
    }
    if at != posts.len() {
        return Err("bad posts");
    }
    Ok(records)
}

impl Shard {
    fn from_bytes(bytes: Vec<u8>) -> Read<Self> {
        if !bytes.starts_with(MAGIC) {
            return Err("not a tinysearch index");
        }
        let mut at = MAGIC.len();
        let len = number(&bytes, &mut at)?;
        let records = records(section(&bytes, &mut at, len)?)?;
        let count = number(&bytes, &mut at)?;
        let len = number(&bytes, &mut at)?;
        let start = at;
        let vocabulary = section(&bytes, &mut at, len)?;
        let mut terms = Vec::with_capacity(count);
        let mut from = start;
        for (i, &b) in vocabulary.iter().enumerate() {
            if b == b'\n' {
                terms.push((from as u32, (start + i) as u32));
                from = start + i + 1;
            }
        }
        if terms.len() != count {
            return Err("vocabulary does not match its count");
        }
        let mut postings = Vec::with_capacity(count);
        for _ in 0..count {
            postings.push(at as u32);
            for _ in 0..number(&bytes, &mut at)? {
                number(&bytes, &mut at)?;
            }
        }
        if at != bytes.len() {
            return Err("trailing bytes");
        }
        Ok(Self {
            bytes,
            records,
            terms,
            postings,
        })
    }

    fn term(&self, (a, b): (u32, u32)) -> &[u8] {
        &self.bytes[a as usize..b as usize]
    }

    /// Adds the records of term `i`'s posting list to `out`, in order.
    fn list(&self, i: usize, out: &mut Vec<u32>) {
        let mut at = self.postings[i] as usize;
        let n = number(&self.bytes, &mut at).unwrap_or(0);
        let mut post = 0usize;
        for k in 0..n {
            let Ok(gap) = number(&self.bytes, &mut at) else {
                return;
            };
            post = if k == 0 { gap } else { post + gap };
            if let Some(&record) = self.records.get(post) {
                out.push(record);
            }
        }
    }

    /// Records with `term` (that whole term when it ends a word, else every
    /// term it begins), in order, each once.
    fn lookup(&self, term: &Term) -> Vec<u32> {
        let t = term.as_str().as_bytes();
        let first = self.terms.partition_point(|&r| self.term(r) < t);
        let mut out = Vec::new();
        let mut lists = 0;
        for (i, &r) in self.terms.iter().enumerate().skip(first) {
            if !term.finds(self.term(r)) {
                break;
            }
            self.list(i, &mut out);
            lists += 1;
        }
        if lists > 1 {
            out.sort_unstable();
            out.dedup();
        }
        out
    }
}

/// Which blocks of a shard hold each of its ranking terms (title words and
/// exact spellings), as `congkhai build` writes it next to a shard's blocks:
/// the number of terms; per term, in order, its length, its bytes and a bit
/// per block.
struct Summary {
    /// Per term, in order: the term and its bits.
    terms: Vec<(Vec<u8>, Vec<u8>)>,
}

impl Summary {
    fn from_bytes(bytes: &[u8], blocks: usize) -> Read<Self> {
        let mut at = 0;
        let count = number(bytes, &mut at)?;
        let mut terms = Vec::with_capacity(count.min(bytes.len()));
        for _ in 0..count {
            let len = number(bytes, &mut at)?;
            let term = section(bytes, &mut at, len)?.to_vec();
            let bits = section(bytes, &mut at, blocks.div_ceil(8))?.to_vec();
            terms.push((term, bits));
        }
        if at != bytes.len() {
            return Err("trailing bytes");
        }
        if terms.windows(2).any(|w| w[0].0 >= w[1].0) {
            return Err("terms out of order");
        }
        Ok(Self { terms })
    }

    /// Whether block `b` holds `term` (every term it begins, when it has no
    /// end mark).
    fn holds(&self, term: &Term, b: usize) -> bool {
        let t = term.as_str().as_bytes();
        let first = self.terms.partition_point(|(x, _)| x.as_slice() < t);
        self.terms[first..]
            .iter()
            .take_while(|(x, _)| term.finds(x))
            .any(|(_, bits)| bits.get(b / 8).is_some_and(|x| x & (1 << (b % 8)) != 0))
    }
}

/// The engine's state: the shard blocks and summaries loaded so far.
#[derive(Default)]
pub struct Engine {
    depth: usize,
    /// How many blocks every shard but a whole one has.
    blocks: usize,
    shards: HashMap<String, BTreeMap<usize, Shard>>,
    summaries: HashMap<String, Summary>,
}

impl Engine {
    /// An engine for a site's shards: their depth and blocks (from its
    /// manifest).
    pub fn new(depth: usize, blocks: usize) -> Self {
        Self {
            depth,
            blocks: blocks.max(1),
            ..Self::default()
        }
    }

    /// The terms a query looks up: per word, its body and title terms; the
    /// exact spellings when the reader typed diacritics; the number.
    fn terms(q: &Query) -> (Vec<(Term, Term)>, Vec<Term>, Option<Term>) {
        let spelled = q.marked.iter().flatten().map(|m| Term::marked(m)).collect();
        let number = has_digit(&q.number_key).then(|| number_term(&q.number_key));
        (q.terms(), spelled, number)
    }

    /// While a number is typed, the numbers that start so (same shard as
    /// the whole number: the key is at least as long as a shard key).
    fn number_begun(q: &Query) -> Option<Term> {
        let key = &q.number_key;
        let long = key.chars().count() >= MIN_PREFIX_CHARS;
        (q.typing && long && has_digit(key)).then(|| number_prefix(key))
    }

    /// The shard keys a query needs, in a stable order.
    pub fn plan(&self, query: &str) -> Vec<String> {
        let (words, spelled, number) = Self::terms(&Query::parse(query));
        let all = words
            .iter()
            .map(|(body, _)| body)
            .chain(&spelled)
            .chain(&number);
        let keys: BTreeSet<String> = all.map(|t| t.shard_key(self.depth)).collect();
        keys.into_iter().collect()
    }

    /// The shards of `query` whose block `block` is not loaded yet (a
    /// whole shard has only block 0).
    pub fn missing(&self, query: &str, block: usize) -> Vec<String> {
        self.plan(query)
            .into_iter()
            .filter(|k| block == 0 || !is_whole_shard(k))
            .filter(|k| !self.shards.get(k).is_some_and(|b| b.contains_key(&block)))
            .collect()
    }

    /// The shards of `query` whose summary is not loaded yet: a site of one
    /// block has none, nor has a whole shard.
    pub fn missing_summaries(&self, query: &str) -> Vec<String> {
        if self.blocks == 1 {
            return Vec::new();
        }
        self.plan(query)
            .into_iter()
            .filter(|k| !is_whole_shard(k) && !self.summaries.contains_key(k))
            .collect()
    }

    /// Loads the summary of a shard.
    pub fn load_summary(&mut self, key: &str, bytes: &[u8]) -> Result<(), &'static str> {
        let summary = Summary::from_bytes(bytes, self.blocks)?;
        self.summaries.insert(key.to_string(), summary);
        Ok(())
    }

    /// Loads block `block` of a shard from its bytes (the output of
    /// `Storage::to_bytes`).
    pub fn load(&mut self, key: &str, block: usize, bytes: &[u8]) -> Result<(), &'static str> {
        let shard = Shard::from_bytes(bytes.to_vec())?;
        self.shards
            .entry(key.to_string())
            .or_default()
            .insert(block, shard);
        Ok(())
    }

    /// Records of the first `blocks` blocks containing `term` (a prefix when
    /// it has no end mark), in order: blocks hold successive records.
    fn lookup(&self, term: &Term, blocks: usize) -> Vec<u32> {
        let key = term.shard_key(self.depth);
        let Some(loaded) = self.shards.get(&key) else {
            return Vec::new();
        };
        let blocks = if is_whole_shard(&key) { 1 } else { blocks };
        let mut out = Vec::new();
        for (_, shard) in loaded.range(..blocks) {
            out.extend(shard.lookup(term));
        }
        out
    }

    /// The highest score a record of the blocks from `from` on could reach
    /// for `query`: each word in its title, each spelled as typed, where the
    /// shards' summaries say some record of the block has it (without a
    /// summary, any block may). The records of the query's number, which
    /// score more, are all known from the start.
    pub fn best(&self, query: &str, from: usize) -> u32 {
        let (words, spelled, _) = Self::terms(&Query::parse(query));
        let most = best_of(words.len(), spelled.len());
        let may = |term: &Term, b: usize| {
            self.summaries
                .get(&term.shard_key(self.depth))
                .is_none_or(|s| s.holds(term, b))
        };
        let mut best = 0;
        for b in from..self.blocks {
            let titles = words.iter().filter(|(_, title)| may(title, b)).count();
            let spellings = spelled.iter().filter(|t| may(t, b)).count();
            best = best.max(best_of(titles, spellings));
            if best == most {
                break;
            }
        }
        best
    }

    /// Adds `bonus` to the score of every record of `term` already found.
    /// Both lists are in record order.
    fn bonus(&self, scores: &mut [(u32, u32)], term: &Term, bonus: u32, blocks: usize) {
        let found = self.lookup(term, blocks);
        let mut f = found.iter().peekable();
        for (d, s) in scores.iter_mut() {
            while f.next_if(|x| **x < *d).is_some() {}
            if f.peek() == Some(&&*d) {
                *s += bonus;
            }
        }
    }

    /// Matching records of the first `blocks` blocks with their scores,
    /// best first (then by record number). Only the blocks loaded for every
    /// shard of the query count, or a record could miss a word or a bonus
    /// that is in a block not loaded yet.
    pub fn search(&self, query: &str, blocks: usize) -> Vec<(u32, u32)> {
        let q = Query::parse(query);
        let (words, spelled, number) = Self::terms(&q);
        let mut scores = self.matches(&words, &spelled, blocks);
        if let Some(term) = &number {
            let top = NUMBER_BONUS.saturating_add(best_of(words.len(), spelled.len()));
            if let Some(begun) = Self::number_begun(&q) {
                scores = numbered_first(scores, &self.lookup(&begun, blocks), top);
            }
            // The whole number above the numbers it begins.
            let exact = self.lookup(term, blocks);
            scores = numbered_first(scores, &exact, top.saturating_add(1));
        }
        scores.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        scores
    }

    /// The records of the first `blocks` blocks with every word, scored,
    /// in record order.
    fn matches(&self, words: &[(Term, Term)], spelled: &[Term], blocks: usize) -> Vec<(u32, u32)> {
        // (record, score), in record order.
        let mut scores: Vec<(u32, u32)> = Vec::new();
        for (i, (body, title)) in words.iter().enumerate() {
            let found = self.lookup(body, blocks);
            if i == 0 {
                scores = found.into_iter().map(|d| (d, 0)).collect();
            } else {
                let mut f = found.iter().peekable();
                scores.retain(|(d, _)| {
                    while f.next_if(|x| **x < *d).is_some() {}
                    f.peek() == Some(&d)
                });
            }
            if scores.is_empty() {
                return Vec::new();
            }
            self.bonus(&mut scores, title, 1, blocks);
        }
        for term in spelled {
            self.bonus(&mut scores, term, SPELLING_BONUS, blocks);
        }
        scores
    }
}

/// The score of `titles` words found in the title and `spellings` spelled
/// as typed.
fn best_of(titles: usize, spellings: usize) -> u32 {
    let spellings = u32::try_from(spellings).unwrap_or(u32::MAX);
    let titles = u32::try_from(titles).unwrap_or(u32::MAX);
    titles.saturating_add(SPELLING_BONUS.saturating_mul(spellings))
}

/// The matches (record order) with the records of the query's number
/// (record order) added or set to `top`: a number query finds its
/// records even where their words differ ("21KL/TTR" for "21/KL-TTr").
fn numbered_first(matches: Vec<(u32, u32)>, numbered: &[u32], top: u32) -> Vec<(u32, u32)> {
    let mut out = Vec::with_capacity(matches.len() + numbered.len());
    let mut n = numbered.iter().copied().peekable();
    for (d, s) in matches {
        while let Some(x) = n.next_if(|&x| x < d) {
            out.push((x, top));
        }
        out.push((d, if n.next_if_eq(&d).is_some() { top } else { s }));
    }
    out.extend(n.map(|x| (x, top)));
    out
}

fn has_digit(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit())
}

#[cfg(target_arch = "wasm32")]
mod abi;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use tinysearch::PostId;
    use tinysearch::{ExactIndexBackend, IndexBackend, IndexedDocument, Storage};

    /// Every block loaded.
    const ALL: usize = usize::MAX;

    /// Builds the shards the way `congkhai build` does: body, title, spelled
    /// and number terms; blocks of `block` records; posts named by the gap
    /// from the previous record of the block.
    fn shards(
        docs: &[(&str, &str, &str)],
        depth: usize,
        block: usize,
    ) -> BTreeMap<(String, usize), Vec<u8>> {
        let mut by_key: BTreeMap<(String, usize), Vec<IndexedDocument>> = BTreeMap::new();
        let mut last: BTreeMap<(String, usize), usize> = BTreeMap::new();
        for (i, doc) in docs.iter().enumerate() {
            let mut mine: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for t in terms_of(doc) {
                mine.entry(t.shard_key(depth))
                    .or_default()
                    .push(t.into_string());
            }
            for (key, terms) in mine {
                let b = if is_whole_shard(&key) { 0 } else { i / block };
                let key = (key, b);
                let previous = last.insert(key.clone(), i).unwrap_or(0);
                let post = PostId {
                    title: String::new(),
                    url: (i - previous).to_string(),
                    meta: String::new(),
                };
                by_key
                    .entry(key)
                    .or_default()
                    .push(IndexedDocument::new(post, terms));
            }
        }
        by_key
            .into_iter()
            .map(|(key, documents)| {
                let bytes = Storage::from(ExactIndexBackend.build(documents))
                    .to_bytes()
                    .unwrap();
                (key, bytes)
            })
            .collect()
    }

    /// A record's terms as `congkhai build` makes them.
    fn terms_of((number, title, body): &(&str, &str, &str)) -> Vec<Term> {
        let all = format!("{number} {title} {body}");
        let mut terms: Vec<Term> = Vec::new();
        terms.extend(congkhai_fold::words(&all).iter().map(|w| Term::exact(w)));
        terms.extend(
            congkhai_fold::marked_words(&all)
                .iter()
                .map(|m| Term::marked(m)),
        );
        terms.extend(congkhai_fold::words(title).iter().map(|w| Term::title(w)));
        terms.push(number_term(&congkhai_fold::number_key(number)));
        terms
    }

    /// The summaries of the shards, as `congkhai build` writes them: per
    /// ranking term (title words, spellings), a bit per block holding it.
    fn summaries(
        docs: &[(&str, &str, &str)],
        depth: usize,
        block: usize,
    ) -> BTreeMap<String, Vec<u8>> {
        let blocks = docs.len().div_ceil(block);
        let mut held: BTreeMap<String, BTreeMap<String, Vec<u8>>> = BTreeMap::new();
        for (i, doc) in docs.iter().enumerate() {
            for t in terms_of(doc) {
                let s = t.as_str();
                if congkhai_fold::ranks(s) {
                    let bits = held
                        .entry(t.shard_key(depth))
                        .or_default()
                        .entry(s.to_string())
                        .or_insert_with(|| vec![0; blocks.div_ceil(8)]);
                    bits[i / block / 8] |= 1 << (i / block % 8);
                }
            }
        }
        held.into_iter()
            .map(|(key, terms)| {
                let mut out = Vec::new();
                leb128::write::unsigned(&mut out, terms.len() as u64).unwrap();
                for (term, bits) in terms {
                    leb128::write::unsigned(&mut out, term.len() as u64).unwrap();
                    out.extend_from_slice(term.as_bytes());
                    out.extend_from_slice(&bits);
                }
                (key, out)
            })
            .collect()
    }

    fn engine_of(docs: &[(&str, &str, &str)]) -> Engine {
        blocked(docs, docs.len().max(1), false)
    }

    /// An engine with every block loaded, and the summaries if `summed`.
    fn blocked(docs: &[(&str, &str, &str)], block: usize, summed: bool) -> Engine {
        let mut e = Engine::new(1, docs.len().div_ceil(block));
        for ((key, b), bytes) in shards(docs, 1, block) {
            e.load(&key, b, &bytes).unwrap();
        }
        if summed {
            // Every shard in blocks has a summary, if only of no terms.
            let mut made = summaries(docs, 1, block);
            let keys: BTreeSet<String> =
                shards(docs, 1, block).into_keys().map(|(k, _)| k).collect();
            for key in keys {
                if !is_whole_shard(&key) {
                    let bytes = made.remove(&key).unwrap_or(vec![0]);
                    e.load_summary(&key, &bytes).unwrap();
                }
            }
            assert!(made.is_empty());
        }
        e
    }

    fn engine() -> Engine {
        engine_of(&[
            (
                "15/KL-TTr",
                "Kết luận thanh tra việc quản lý đất đai",
                "Thu hồi 3.500 m² đất giao trái thẩm quyền",
            ),
            (
                "118/QĐ-UBND",
                "Cảnh cáo đối với Trần Văn B",
                "Kỷ luật công chức địa chính thu thuế",
            ),
            (
                "21/KL-TTr",
                "Kết luận thanh tra tài chính",
                "Thu hồi tiền chi sai; kỷ luật Đảng viên",
            ),
        ])
    }

    fn docs(r: Vec<(u32, u32)>) -> Vec<u32> {
        r.into_iter().map(|(d, _)| d).collect()
    }

    #[test]
    fn diacritics_and_case_do_not_matter() {
        let e = engine();
        assert_eq!(docs(e.search("ky luat ", ALL)), vec![1, 2]);
        assert_eq!(docs(e.search("KỶ LUẬT ", ALL)), vec![1, 2]);
        assert_eq!(docs(e.search("dang vien", ALL)), vec![2]);
    }

    #[test]
    fn finished_words_are_whole_words_and_the_last_is_a_prefix() {
        let e = engine();
        // "thu" as a finished word does not match "thuế" or "thẩm".
        assert_eq!(docs(e.search("thu hoi", ALL)), vec![0, 2]);
        assert_eq!(docs(e.search("thue ", ALL)), vec![1]);
        // While typing, "thu" also matches "thuế".
        assert_eq!(docs(e.search("thu", ALL)).len(), 3);
    }

    #[test]
    fn all_words_must_match() {
        assert_eq!(docs(engine().search("thu hoi dat ", ALL)), vec![0]);
        assert!(engine().search("thu hoi bien ", ALL).is_empty());
    }

    #[test]
    fn numbers_rank_first_and_title_words_next() {
        let e = engine();
        let r = e.search("21/KL-TTr", ALL);
        assert_eq!(r[0].0, 2);
        assert!(r[0].1 >= NUMBER_BONUS);
        // "ket luan" is in two titles; the decision does not contain it at all.
        let r = e.search("ket luan thanh tra ", ALL);
        assert_eq!(docs(r.clone()), vec![0, 2]);
        assert!(r.iter().all(|(_, s)| *s == 4));
        assert_eq!(e.search("tran van b", ALL)[0].0, 1);
        // The number written otherwise: its words differ, the number is found.
        assert_eq!(docs(e.search("21KL TTr", ALL)), vec![2]);
        assert!(e.search("21KL TTr", ALL)[0].1 >= NUMBER_BONUS);
        // While typed, the numbers it begins rank first; finished, only it.
        let e = engine_of(&[
            ("21/KL-TTr", "Kết luận", "Đất đai"),
            ("210/KL-TTr", "Kết luận", "Đất đai"),
            ("21/KL-UBND", "Kết luận", "Đất đai"),
            ("1/KL-TTr", "Kết luận", "Đất đai ngày 21"),
        ]);
        let typed = e.search("21/KL", ALL);
        assert_eq!(docs(typed.clone()), vec![0, 2, 3]);
        assert!(typed[..2].iter().all(|&(_, s)| s >= NUMBER_BONUS) && typed[2].1 < NUMBER_BONUS);
        let whole = e.search("21/KL-TTr", ALL);
        assert_eq!(whole[0].0, 0);
        assert!(
            whole[0].1 > whole[1].1,
            "the whole number above the ones it begins"
        );
    }

    #[test]
    fn exact_spellings_rank_first_then_titles() {
        let e = engine_of(&[
            ("1/QĐ", "Khiển trách Đặng Văn Q", "Vi phạm quy chế làm việc"),
            ("2/QĐ", "Kỷ luật Đảng ủy xã", "Đảng ủy vi phạm nguyên tắc"),
            (
                "3/KL",
                "Kết luận thanh tra",
                "Ông Đặng Văn Q đã ký hợp đồng; Đảng ủy họp",
            ),
            ("4/KL", "Kết luận thanh tra", "Đang xác minh"),
        ]);
        // Without diacritics every spelling counts alike: titles first.
        assert_eq!(docs(e.search("dang", ALL)), vec![0, 1, 2, 3]);
        // "Đặng": the records that spell it so (title first), then the rest.
        assert_eq!(docs(e.search("Đặng", ALL)), vec![0, 2, 1, 3]);
        // "Đảng": the party committee before Đặng Văn Q.
        assert_eq!(docs(e.search("Đảng", ALL)), vec![1, 2, 0, 3]);
        // Each word counts: both spelled as typed beats one.
        assert_eq!(docs(e.search("Đảng ủy", ALL)), vec![1, 2]);
        assert_eq!(docs(e.search("Đặng văn q ", ALL)), vec![0, 2]);
    }

    #[test]
    fn shards_are_planned_from_the_query() {
        let e = Engine::new(2, 1);
        assert_eq!(
            e.plan("thu hồi đất"),
            vec!["da", "ho", "th", "~dat", "~hoi", "~thu"]
        );
        assert_eq!(e.plan("thu hoi dat"), vec!["da", "ho", "th"]);
        assert_eq!(e.plan("21/KL"), vec!["'γβk", "kl", "γβ"]);
        assert!(e.plan("").is_empty());
    }

    /// tinysearch's exact index in its serde shape, to read a shard the
    /// library's way and compare.
    #[derive(serde::Deserialize)]
    struct IndexShape {
        data: DataShape,
    }

    #[derive(serde::Deserialize)]
    enum DataShape {
        Exact(ExactShape),
    }

    #[derive(serde::Deserialize)]
    struct ExactShape {
        posts: Vec<PostId>,
        terms: Vec<String>,
        postings: Vec<Vec<usize>>,
    }

    /// Three hundred records whose words, title words, spellings and
    /// numbers recur at different rates.
    fn many() -> Vec<(String, String, String)> {
        (0..300)
            .map(|i| {
                (
                    format!("{}/KL-TTr", i % 40),
                    format!(
                        "Kết luận số {i} về đất đai năm {}{}",
                        2000 + i % 27,
                        if i % 11 == 0 {
                            " của Đảng ủy"
                        } else {
                            ""
                        }
                    ),
                    format!(
                        "Đảng ủy xã {} thu hồi {} đồng; Đặng Văn {}",
                        i % 13,
                        i * 7,
                        i % 5
                    ),
                )
            })
            .collect()
    }

    fn borrowed(docs: &[(String, String, String)]) -> Vec<(&str, &str, &str)> {
        docs.iter()
            .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
            .collect()
    }

    /// Block by block, the results scoring [`Engine::best`] are exactly the
    /// first results over every record, and with every block loaded the
    /// results are those of one whole shard: the page may show them as soon
    /// as they are found.
    #[test]
    fn results_that_reach_the_best_score_are_final_block_by_block() {
        let docs = many();
        let refs = borrowed(&docs);
        let whole = engine_of(&refs);
        let block = 32;
        let queries = [
            "dang uy",
            "Đảng ủy",
            "Đặng",
            "dat dai ",
            "21/KL-TTr",
            "thu hoi 14",
            "ket luan so 3",
            "xa thu",
            "xyz",
        ];
        // Without summaries any block may give the best score; with them,
        // only the blocks that hold the words in a title or spelled so.
        let mut early = [0, 0];
        for (summed, early) in [false, true].into_iter().zip(&mut early) {
            let e = blocked(&refs, block, summed);
            for q in queries {
                let all = whole.search(q, ALL);
                assert_eq!(e.search(q, ALL), all, "{q}: every block");
                for blocks in 0..=refs.len().div_ceil(block) {
                    let best = e.best(q, blocks);
                    let found = e.search(q, blocks);
                    // Only the number's records come from blocks not loaded.
                    assert!(
                        found
                            .iter()
                            .all(|&(d, s)| (d as usize) < blocks * block || s >= NUMBER_BONUS),
                        "{q}"
                    );
                    let fin: Vec<(u32, u32)> =
                        found.into_iter().take_while(|&(_, s)| s >= best).collect();
                    assert_eq!(fin, all[..fin.len()], "{q}: {blocks} blocks, {summed}");
                    if blocks == 1 && fin.len() >= 3 {
                        *early += 1;
                    }
                }
            }
        }
        // The number and a title phrase fill a first page from the first
        // block; with summaries, so do words no title has ("xa thu").
        assert!(early[0] >= 2 && early[1] > early[0], "{early:?}");
        let e = blocked(&refs, block, true);
        // Every record of a number is found from the first block on.
        let numbered = whole
            .search("21/KL-TTr", ALL)
            .iter()
            .filter(|&&(_, s)| s >= NUMBER_BONUS)
            .count();
        let first = e.search("21/KL-TTr", 1);
        assert!(
            numbered > 3 && first.iter().filter(|&&(_, s)| s >= NUMBER_BONUS).count() == numbered
        );
    }

    #[test]
    fn lazy_reading_finds_what_tinysearch_decodes() {
        let docs = many();
        let refs = borrowed(&docs);
        for (_key, bytes) in shards(&refs, 1, refs.len()) {
            let lazy = Shard::from_bytes(bytes.clone()).unwrap();
            let index = Storage::from_bytes(&bytes).unwrap().filters;
            let config = bincode::config::standard();
            let encoded = bincode::serde::encode_to_vec(&index, config).unwrap();
            let (
                IndexShape {
                    data: DataShape::Exact(full),
                },
                _,
            ): (IndexShape, usize) = bincode::serde::decode_from_slice(&encoded, config).unwrap();
            let mut record = 0;
            let numbers: Vec<u32> = full
                .posts
                .iter()
                .map(|p| {
                    record += p.url.parse::<u32>().unwrap();
                    record
                })
                .collect();
            assert_eq!(lazy.terms.len(), full.terms.len());
            for (term, list) in full.terms.iter().zip(&full.postings) {
                let expected: BTreeSet<u32> = list.iter().map(|&p| numbers[p]).collect();
                let mut got = Vec::new();
                let i = full.terms.iter().position(|x| x == term).unwrap();
                lazy.list(i, &mut got);
                let got: BTreeSet<u32> = got.into_iter().collect();
                assert_eq!(got, expected, "{term}");
                assert_eq!(lazy.term(lazy.terms[i]), term.as_bytes());
            }
        }
    }

    #[test]
    fn malformed_shards_are_refused() {
        let mut e = Engine::new(0, 1);
        assert!(e.load("", 0, b"not an index").is_err());
        // Every cut of a real shard is refused, none panics.
        let (_, bytes) = shards(&[("1/KL", "Kết luận", "Đảng ủy")], 0, 1)
            .pop_first()
            .unwrap();
        for cut in 0..bytes.len() {
            assert!(e.load("", 0, &bytes[..cut]).is_err(), "cut at {cut}");
        }
        assert!(e.load("", 0, &bytes).is_ok());
        assert!(e.search("x", ALL).is_empty());
    }
}
