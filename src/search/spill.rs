//! Each record's term numbers, kept in an anonymous temporary file from the
//! moment its chunk of records is made until the vocabulary places them.
//!
//! Held in memory, every record's list of term numbers was alive when the
//! vocabulary allocated the posting lists of the same numbers: at a million
//! records the two copies were most of the search stage's 2.5 GB (see
//! docs/performance.md). The file is unlinked when made, so nothing is left
//! behind if the build stops, and is read twice in record order (once to
//! count each term's records, once to place them).

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::sync::{Mutex, PoisonError};

/// Chunks of records' term numbers, written in whatever order the threads
/// finish them.
pub(super) struct Spill {
    file: Mutex<(File, u64)>,
    /// For each chunk written: its number, where it starts, its length and
    /// how many records it holds.
    chunks: Mutex<Vec<Chunk>>,
}

#[derive(Clone, Copy)]
struct Chunk {
    k: usize,
    at: u64,
    len: usize,
    records: usize,
}

/// The records' term numbers, in record order.
pub(super) struct Spilled {
    file: File,
    chunks: Vec<Chunk>,
}

impl Spill {
    pub(super) fn new() -> io::Result<Self> {
        Ok(Self {
            file: Mutex::new((tempfile::tempfile()?, 0)),
            chunks: Mutex::default(),
        })
    }

    /// Adds chunk `k` (chunks are numbered from 0 in record order): its
    /// records' term numbers, each list sorted. Each list is written as its
    /// length then the gaps between its numbers (LEB128), about half the
    /// four bytes a number takes in memory.
    pub(super) fn put(&self, k: usize, records: &[Vec<u32>]) -> io::Result<()> {
        let mut bytes = Vec::new();
        for ids in records {
            leb128::write::unsigned(&mut bytes, ids.len() as u64)?;
            let mut previous = 0;
            for &id in ids {
                debug_assert!(id >= previous, "sorted term numbers");
                leb128::write::unsigned(&mut bytes, u64::from(id - previous))?;
                previous = id;
            }
        }
        let at = {
            let mut file = self.file.lock().unwrap_or_else(PoisonError::into_inner);
            let (file, end) = &mut *file;
            file.write_all(&bytes)?;
            let at = *end;
            *end += bytes.len() as u64;
            at
        };
        self.chunks
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Chunk {
                k,
                at,
                len: bytes.len(),
                records: records.len(),
            });
        Ok(())
    }

    /// Every chunk written, in record order.
    pub(super) fn finish(self) -> io::Result<Spilled> {
        let (file, _) = self
            .file
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let mut chunks = self
            .chunks
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        chunks.sort_unstable_by_key(|c| c.k);
        if chunks.iter().enumerate().any(|(i, c)| c.k != i) {
            return Err(io::Error::other("a chunk of search terms is missing"));
        }
        Ok(Spilled { file, chunks })
    }
}

impl Spilled {
    /// How many records there are.
    pub(super) fn len(&self) -> usize {
        self.chunks.iter().map(|c| c.records).sum()
    }

    /// Calls `f` with each record's number and its term numbers, in order,
    /// until it fails.
    pub(super) fn each(
        &self,
        mut f: impl FnMut(usize, &[u32]) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut file = &self.file;
        let mut bytes = Vec::new();
        let mut ids = Vec::new();
        let mut doc = 0;
        for c in &self.chunks {
            bytes.resize(c.len, 0);
            file.seek(SeekFrom::Start(c.at))?;
            file.read_exact(&mut bytes)?;
            let mut rest = &bytes[..];
            for _ in 0..c.records {
                ids.clear();
                let n = number(&mut rest)?;
                let mut id = 0;
                for _ in 0..n {
                    id = number(&mut rest)?
                        .checked_add(id)
                        .ok_or_else(|| io::Error::other("a search term number past 32 bits"))?;
                    ids.push(id);
                }
                f(doc, &ids)?;
                doc += 1;
            }
        }
        Ok(())
    }
}

fn number(rest: &mut &[u8]) -> io::Result<u32> {
    let n = leb128::read::unsigned(rest).map_err(|e| io::Error::other(e.to_string()))?;
    u32::try_from(n).map_err(|_| io::Error::other("a search term number past 32 bits"))
}

/// Spills `records` as one chunk: for tests.
#[cfg(test)]
pub(super) fn spilled(records: &[Vec<u32>]) -> Spilled {
    let spill = Spill::new().expect("a temporary file");
    spill.put(0, records).expect("written");
    spill.finish().expect("complete")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_come_back_in_order_whatever_order_chunks_were_written() {
        let chunks: Vec<Vec<Vec<u32>>> = vec![
            vec![vec![0, 5, 300], vec![]],
            vec![vec![u32::MAX - 1, u32::MAX]],
            vec![vec![7], vec![1, 2, 3], vec![128, 16_384]],
        ];
        let spill = Spill::new().unwrap();
        for k in [2, 0, 1] {
            spill.put(k, &chunks[k]).unwrap();
        }
        let spilled = spill.finish().unwrap();
        assert_eq!(spilled.len(), 6);
        // Read twice, as the vocabulary does.
        for _ in 0..2 {
            let mut back = Vec::new();
            spilled
                .each(|doc, ids| {
                    back.push((doc, ids.to_vec()));
                    Ok(())
                })
                .unwrap();
            let expected: Vec<(usize, Vec<u32>)> =
                chunks.iter().flatten().cloned().enumerate().collect();
            assert_eq!(back, expected);
        }
    }

    #[test]
    fn a_missing_chunk_is_an_error_not_a_shorter_index() {
        let spill = Spill::new().unwrap();
        spill.put(0, &[vec![1]]).unwrap();
        spill.put(2, &[vec![2]]).unwrap();
        assert!(spill.finish().is_err());
    }
}
