//! The search engine that runs in the reader's browser.
//!
//! The site ships its term index as tinysearch shards (built natively by
//! `congkhai build`); this engine loads the shards a query needs at run time,
//! folds the query with the same function the index was built with, and
//! answers with the matching record numbers. It knows nothing about any
//! particular site, so one compiled module serves every site.
//!
//! Matching: every word must match (AND); finished words match whole words,
//! the last word while it is being typed matches as a prefix. Scores count
//! the words found in a record's title, plus a large bonus when the query is
//! the record's number; the page sorts ties by date.
#![cfg_attr(not(target_arch = "wasm32"), forbid(unsafe_code))]

use std::collections::{BTreeMap, BTreeSet, HashMap};

use congkhai_fold::{Query, Term, number_term, shard_key};
use tinysearch::{SearchIndex, Storage};

/// Score of an exact number match: above any number of title words.
pub const NUMBER_BONUS: u32 = 1000;

/// The engine's state: the shards loaded so far.
#[derive(Default)]
pub struct Engine {
    depth: usize,
    shards: HashMap<String, SearchIndex>,
}

impl Engine {
    pub fn new(depth: usize) -> Self {
        Self {
            depth,
            shards: HashMap::new(),
        }
    }

    /// The shard keys a query needs, in a stable order.
    pub fn plan(&self, query: &str) -> Vec<String> {
        let q = Query::parse(query);
        let mut keys = BTreeSet::new();
        for (body, _) in q.terms() {
            keys.insert(shard_key(body.stem(), self.depth));
        }
        if has_digit(&q.number_key) {
            keys.insert(shard_key(number_term(&q.number_key).stem(), self.depth));
        }
        keys.into_iter().collect()
    }

    pub fn is_loaded(&self, key: &str) -> bool {
        self.shards.contains_key(key)
    }

    /// Loads a shard from its bytes (the output of `Storage::to_bytes`).
    pub fn load(&mut self, key: &str, bytes: &[u8]) -> Result<(), String> {
        let storage = Storage::from_bytes(bytes).map_err(|e| e.to_string())?;
        self.shards.insert(key.to_string(), storage.filters);
        Ok(())
    }

    /// Records containing `term` (a prefix when it has no end mark).
    fn lookup(&self, term: &Term) -> BTreeSet<u32> {
        let Some(index) = self.shards.get(&shard_key(term.stem(), self.depth)) else {
            return BTreeSet::new();
        };
        tinysearch::search(index, term.as_str(), usize::MAX)
            .into_iter()
            .filter_map(|post| post.url.parse().ok())
            .collect()
    }

    /// Matching records with their scores, best first (then by record number).
    pub fn search(&self, query: &str) -> Vec<(u32, u32)> {
        let q = Query::parse(query);
        let terms = q.terms();
        if terms.is_empty() {
            return Vec::new();
        }
        let mut scores: BTreeMap<u32, u32> = BTreeMap::new();
        for (i, (body, title)) in terms.iter().enumerate() {
            let found = self.lookup(body);
            if i == 0 {
                scores = found.into_iter().map(|d| (d, 0)).collect();
            } else {
                scores.retain(|d, _| found.contains(d));
            }
            if scores.is_empty() {
                return Vec::new();
            }
            for d in self.lookup(title) {
                if let Some(s) = scores.get_mut(&d) {
                    *s += 1;
                }
            }
        }
        if has_digit(&q.number_key) {
            for d in self.lookup(&number_term(&q.number_key)) {
                if let Some(s) = scores.get_mut(&d) {
                    *s += NUMBER_BONUS;
                }
            }
        }
        let mut out: Vec<(u32, u32)> = scores.into_iter().collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }
}

fn has_digit(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit())
}

#[cfg(target_arch = "wasm32")]
mod abi;

#[cfg(test)]
mod tests {
    use super::*;
    use tinysearch::{ExactIndexBackend, IndexBackend, IndexedDocument, PostId};

    /// Builds one shard the way `congkhai build` does.
    fn shard(docs: &[(&str, &str, &str)]) -> Vec<u8> {
        let documents = docs
            .iter()
            .enumerate()
            .map(|(i, (number, title, body))| {
                let mut terms: Vec<String> = Vec::new();
                for w in congkhai_fold::words(&format!("{number} {title} {body}")) {
                    terms.push(Term::exact(&w).into_string());
                }
                for w in congkhai_fold::words(&format!("{number} {title}")) {
                    terms.push(Term::title(&w).into_string());
                }
                terms.push(number_term(&congkhai_fold::number_key(number)).into_string());
                let post = PostId {
                    title: String::new(),
                    url: i.to_string(),
                    meta: String::new(),
                };
                IndexedDocument::new(post, terms)
            })
            .collect();
        Storage::from(ExactIndexBackend.build(documents))
            .to_bytes()
            .unwrap()
    }

    fn engine() -> Engine {
        let bytes = shard(&[
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
        ]);
        let mut e = Engine::new(0);
        e.load("", &bytes).unwrap();
        e
    }

    fn docs(r: Vec<(u32, u32)>) -> Vec<u32> {
        r.into_iter().map(|(d, _)| d).collect()
    }

    #[test]
    fn diacritics_and_case_do_not_matter() {
        let e = engine();
        assert_eq!(docs(e.search("ky luat ")), vec![1, 2]);
        assert_eq!(docs(e.search("KỶ LUẬT ")), vec![1, 2]);
        assert_eq!(docs(e.search("dang vien")), vec![2]);
    }

    #[test]
    fn finished_words_are_whole_words_and_the_last_is_a_prefix() {
        let e = engine();
        // "thu" as a finished word does not match "thuế" or "thẩm".
        assert_eq!(docs(e.search("thu hoi")), vec![0, 2]);
        assert_eq!(docs(e.search("thue ")), vec![1]);
        // While typing, "thu" also matches "thuế".
        assert_eq!(docs(e.search("thu")).len(), 3);
    }

    #[test]
    fn all_words_must_match() {
        assert_eq!(docs(engine().search("thu hoi dat ")), vec![0]);
        assert!(engine().search("thu hoi bien ").is_empty());
    }

    #[test]
    fn numbers_rank_first_and_title_words_next() {
        let e = engine();
        let r = e.search("21/KL-TTr");
        assert_eq!(r[0].0, 2);
        assert!(r[0].1 >= NUMBER_BONUS);
        // "ket luan" is in two titles; the decision does not contain it at all.
        let r = e.search("ket luan thanh tra ");
        assert_eq!(docs(r.clone()), vec![0, 2]);
        assert!(r.iter().all(|(_, s)| *s == 4));
        assert_eq!(e.search("tran van b")[0].0, 1);
    }

    #[test]
    fn shards_are_planned_from_the_query() {
        let e = Engine::new(2);
        assert_eq!(e.plan("thu hồi đất"), vec!["da", "ho", "th"]);
        assert_eq!(e.plan("21/KL"), vec!["kl", "γβ"]);
        assert!(e.plan("").is_empty());
    }

    #[test]
    fn malformed_shards_are_refused() {
        let mut e = Engine::new(0);
        assert!(e.load("", b"not an index").is_err());
        assert!(e.search("x").is_empty());
    }
}
