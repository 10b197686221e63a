//! Outputs a stage makes all at once — the open data, the feeds, the search
//! index — and the theme's static files. A build writes them once; `serve`
//! makes them on the first request for one of their paths and keeps them.

use std::sync::{Mutex, OnceLock};

use super::{Inputs, ProduceError, Producer, Written, put};
use crate::export;
use crate::model::vocab::Language;
use crate::search;
use crate::site::datasets::Dataset;
use crate::write::{Files, Memory, Sink, Stream, Then};

/// Files a stage made, kept for requests (`serve`) or taken once by a
/// build's `produce_all`.
struct Kept {
    keep: bool,
    files: Mutex<Store>,
}

/// Where a stage's files are: not made yet, made and held, or made and
/// already handed to a build's sink (made once all the same: the open-data
/// page asks for the datasets after their files were written).
enum Store {
    Unmade,
    Made(Files),
    Taken,
}

impl Kept {
    fn new(keep: bool) -> Self {
        Kept {
            keep,
            files: Mutex::new(Store::Unmade),
        }
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Store>, ProduceError> {
        self.files
            .lock()
            .map_err(|_| ProduceError::System("poisoned".into()))
    }

    /// Fills the store once with what `make` gives.
    fn fill(&self, make: impl FnOnce() -> Result<Files, String>) -> Result<(), ProduceError> {
        let mut guard = self.lock()?;
        if matches!(*guard, Store::Unmade) {
            *guard = Store::Made(make().map_err(ProduceError::System)?);
        }
        Ok(())
    }

    fn get(&self, path: &str) -> Option<Vec<u8>> {
        match &*self.lock().ok()? {
            Store::Made(files) => files.get(path).cloned(),
            Store::Unmade | Store::Taken => None,
        }
    }

    fn paths(&self) -> Vec<String> {
        match self.lock().as_deref() {
            Ok(Store::Made(files)) => files.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }

    /// A build's way, when nothing asked for the files yet: `stream` hands
    /// each file to the sink as it is made, and none is kept. The lock is
    /// held meanwhile, so that whatever asks for what the stage made waits
    /// for it rather than making it all a second time (a build makes the
    /// open data before the pages that list it, so none waits there).
    fn stream(
        &self,
        sink: &dyn Sink,
        stream: impl FnOnce(&dyn Sink) -> Result<(), ProduceError>,
    ) -> Result<Written, ProduceError> {
        let mut guard = self.lock()?;
        if self.keep || !matches!(*guard, Store::Unmade) {
            drop(guard);
            return self.write(sink);
        }
        let counting = Counting::new(sink);
        stream(&counting)?;
        *guard = Store::Taken;
        Ok(counting.written())
    }

    /// Writes every file; a build lets them go after.
    fn write(&self, sink: &dyn Sink) -> Result<Written, ProduceError> {
        let mut guard = self.lock()?;
        let files = match std::mem::replace(&mut *guard, Store::Taken) {
            Store::Made(files) if self.keep => {
                *guard = Store::Made(files.clone());
                files
            }
            Store::Made(files) => files,
            Store::Unmade | Store::Taken => Files::new(),
        };
        drop(guard);
        let mut w = Written::default();
        for (path, bytes) in files {
            put(sink, &path, &bytes)?;
            w.files += 1;
            w.bytes += bytes.len() as u64;
        }
        Ok(w)
    }
}

fn by_path(files: Vec<export::OutFile>) -> Files {
    files.into_iter().map(|f| (f.path, f.bytes)).collect()
}

/// A producer that makes all its files in one go, under one folder.
trait AllAtOnce: Sync + Send {
    const NAME: &'static str;
    /// The folder its files are under (`data/`).
    const FOLDER: &'static str;
    fn kept(&self) -> &Kept;
    /// Makes the files once, if not yet made.
    fn make(&self, i: &Inputs<'_>) -> Result<(), ProduceError>;
    /// Whether `path` under its folder is nevertheless someone else's.
    fn foreign(&self, _i: &Inputs<'_>, _path: &str) -> bool {
        false
    }

    /// A build writes the files straight through as `stream` makes them
    /// ([`Kept::stream`]); `serve` makes them, keeps them and writes those.
    fn write_through(
        &self,
        i: &Inputs<'_>,
        sink: &dyn Sink,
        stream: impl FnOnce(&dyn Sink) -> Result<(), ProduceError>,
    ) -> Result<Written, ProduceError> {
        if self.kept().keep {
            self.make(i)?;
        }
        self.kept().stream(sink, stream)
    }
}

impl<T: AllAtOnce> Producer for T {
    fn name(&self) -> &'static str {
        T::NAME
    }

    fn paths(&self, i: &Inputs<'_>) -> Vec<String> {
        self.make(i).ok();
        self.kept().paths()
    }

    fn produce(&self, i: &Inputs<'_>, path: &str) -> Option<Result<Vec<u8>, ProduceError>> {
        if !path.starts_with(T::FOLDER) || self.foreign(i, path) {
            return None;
        }
        if let Err(e) = self.make(i) {
            return Some(Err(e));
        }
        self.kept().get(path).map(Ok)
    }

    fn produce_all(&self, i: &Inputs<'_>, sink: &dyn Sink) -> Result<Written, ProduceError> {
        self.make(i)?;
        self.kept().write(sink)
    }
}

/// The open data: CSV, JSON and their schemas.
pub struct OpenData {
    files: Kept,
    datasets: OnceLock<Vec<Dataset>>,
}

impl OpenData {
    pub fn new(keep: bool) -> Self {
        OpenData {
            files: Kept::new(keep),
            datasets: OnceLock::new(),
        }
    }

    /// What the open-data page says of each dataset; makes the data first
    /// if nobody has yet.
    pub fn datasets(&self, i: &Inputs<'_>) -> &[Dataset] {
        self.make(i).ok();
        self.datasets.get().map_or(&[], Vec::as_slice)
    }

    /// Writes the open data straight into `sink` (a build), each dataset's
    /// files as soon as they are made; `serve` makes and keeps them.
    pub fn write(&self, i: &Inputs<'_>, sink: &dyn Sink) -> Result<Written, ProduceError> {
        self.write_through(i, sink, |sink| {
            let sets = export::open_data(i.d, i.urls, sink)?;
            let _ = self.datasets.set(sets);
            Ok(())
        })
    }
}

impl AllAtOnce for OpenData {
    const NAME: &'static str = "open data";
    const FOLDER: &'static str = "data/";

    fn kept(&self) -> &Kept {
        &self.files
    }

    fn make(&self, i: &Inputs<'_>) -> Result<(), ProduceError> {
        self.files.fill(|| {
            let (files, sets) = export::open_data_files(i.d, i.urls).map_err(|e| e.to_string())?;
            let _ = self.datasets.set(sets);
            Ok(files)
        })
    }
}

/// The Atom feeds.
pub struct Feeds {
    files: Kept,
}

impl Feeds {
    pub fn new(keep: bool) -> Self {
        Feeds {
            files: Kept::new(keep),
        }
    }
}

impl AllAtOnce for Feeds {
    const NAME: &'static str = "feeds";
    const FOLDER: &'static str = "feeds/";

    fn kept(&self) -> &Kept {
        &self.files
    }

    fn make(&self, i: &Inputs<'_>) -> Result<(), ProduceError> {
        self.files.fill(|| {
            export::feeds::feeds(i.d, i.urls, i.compiled.strings(Language::Vi)).map(by_path)
        })
    }
}

/// The search index: shards and metadata chunks, written straight into the
/// output by a build (they are many, and never needed again).
pub struct SearchIndex {
    files: Kept,
    stats: OnceLock<search::IndexStats>,
}

impl SearchIndex {
    pub fn new(keep: bool) -> Self {
        SearchIndex {
            files: Kept::new(keep),
            stats: OnceLock::new(),
        }
    }

    /// How big the index came out, once it is made.
    pub fn stats(&self) -> search::IndexStats {
        self.stats.get().copied().unwrap_or_default()
    }

    fn strings<'a>(i: &'a Inputs<'_>) -> [&'a crate::site::strings::Strings; 2] {
        [
            i.compiled.strings(Language::Vi),
            i.compiled.strings(Language::En),
        ]
    }

    /// Writes the index straight into `sink` (a build), or, when the files
    /// are kept for requests, makes them first.
    pub fn write(&self, i: &Inputs<'_>, sink: &dyn Sink) -> Result<Written, ProduceError> {
        self.write_through(i, sink, |sink| {
            let stats = search::write(i.d, Self::strings(i), sink)?;
            let _ = self.stats.set(stats);
            Ok(())
        })
    }
}

impl AllAtOnce for SearchIndex {
    const NAME: &'static str = "search index";
    const FOLDER: &'static str = "search/";

    fn kept(&self) -> &Kept {
        &self.files
    }

    fn make(&self, i: &Inputs<'_>) -> Result<(), ProduceError> {
        self.files.fill(|| {
            let memory = Memory::default();
            let stats = search::write(i.d, Self::strings(i), &memory)?;
            let _ = self.stats.set(stats);
            Ok(memory.files.into_inner().unwrap_or_default())
        })
    }

    /// The search engine and script are the theme's static files.
    fn foreign(&self, i: &Inputs<'_>, path: &str) -> bool {
        i.files.statics.contains_key(path)
    }
}

/// A sink that counts what passes through it.
struct Counting<'a> {
    inner: &'a dyn Sink,
    files: std::sync::atomic::AtomicUsize,
    bytes: std::sync::atomic::AtomicU64,
}

impl<'a> Counting<'a> {
    fn new(inner: &'a dyn Sink) -> Self {
        Counting {
            inner,
            files: Default::default(),
            bytes: Default::default(),
        }
    }

    fn written(&self) -> Written {
        use std::sync::atomic::Ordering::Relaxed;
        Written {
            pages: 0,
            files: self.files.load(Relaxed),
            bytes: self.bytes.load(Relaxed),
        }
    }
}

impl Counting<'_> {
    fn count(&self, len: u64) {
        use std::sync::atomic::Ordering::Relaxed;
        self.files.fetch_add(1, Relaxed);
        self.bytes.fetch_add(len, Relaxed);
    }
}

impl Sink for Counting<'_> {
    fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        self.inner.put(path, bytes)?;
        self.count(bytes.len() as u64);
        Ok(())
    }

    fn open(&self, path: &str) -> std::io::Result<Box<dyn Stream + '_>> {
        Ok(Then::new(self.inner.open(path)?, |len| self.count(len)))
    }
}

/// The theme's static files (styles, scripts, the search engine).
pub struct Statics;

impl Producer for Statics {
    fn name(&self) -> &'static str {
        "static files"
    }

    fn paths(&self, i: &Inputs<'_>) -> Vec<String> {
        i.files.statics.keys().cloned().collect()
    }

    fn produce(&self, i: &Inputs<'_>, path: &str) -> Option<Result<Vec<u8>, ProduceError>> {
        i.files.statics.get(path).map(|b| Ok(b.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::Memory;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A build writes a stage's files and lets them go; asking the stage
    /// again afterwards (the open-data page asks for the datasets) must not
    /// make everything a second time.
    #[test]
    fn files_are_made_once_even_after_a_build_took_them() {
        let made = AtomicUsize::new(0);
        let make = || {
            made.fetch_add(1, Ordering::SeqCst);
            Ok(Files::from([("data/a.csv".to_string(), b"a".to_vec())]))
        };
        let kept = Kept::new(false);
        kept.fill(make).unwrap();
        assert_eq!(kept.write(&Memory::default()).unwrap().files, 1);
        kept.fill(make).unwrap();
        assert_eq!(made.load(Ordering::SeqCst), 1);
        assert!(
            kept.get("data/a.csv").is_none(),
            "a build's files are let go"
        );
        assert_eq!(
            kept.write(&Memory::default()).unwrap().files,
            0,
            "written once"
        );
    }

    /// A build streams a stage's files into its sink, holding none; the
    /// stage is then made, so asking again neither makes it a second time
    /// nor writes anything twice.
    #[test]
    fn a_build_streams_files_through_and_keeps_none() {
        let made = AtomicUsize::new(0);
        let kept = Kept::new(false);
        let sink = Memory::default();
        let stream = |sink: &dyn Sink| {
            made.fetch_add(1, Ordering::SeqCst);
            put(sink, "data/a.csv", b"ab")?;
            put(sink, "data/b.csv", b"c")
        };
        let w = kept.stream(&sink, stream).unwrap();
        assert_eq!((w.files, w.bytes), (2, 3));
        assert_eq!(sink.files.lock().unwrap().len(), 2);
        assert!(kept.get("data/a.csv").is_none(), "nothing is held");
        kept.fill(|| panic!("made again")).unwrap();
        assert_eq!(kept.stream(&sink, stream).unwrap().files, 0, "once");
        assert_eq!(made.load(Ordering::SeqCst), 1);
    }

    /// What a page asked for before the build wrote the stage (so it was
    /// made and held) is written from what is held, not made again.
    #[test]
    fn a_stage_made_before_the_build_wrote_it_is_written_as_made() {
        let kept = Kept::new(false);
        kept.fill(|| Ok(Files::from([("data/a.csv".to_string(), b"a".to_vec())])))
            .unwrap();
        let sink = Memory::default();
        let w = kept.stream(&sink, |_| panic!("made again")).unwrap();
        assert_eq!(w.files, 1);
        assert!(sink.files.lock().unwrap().contains_key("data/a.csv"));
    }

    /// `serve` keeps what it made: streaming would leave it nothing.
    #[test]
    fn served_stages_are_kept_not_streamed() {
        let kept = Kept::new(true);
        kept.fill(|| Ok(Files::from([("data/a.csv".to_string(), b"a".to_vec())])))
            .unwrap();
        let w = kept
            .stream(&Memory::default(), |_| panic!("streamed"))
            .unwrap();
        assert_eq!(w.files, 1);
        assert_eq!(kept.get("data/a.csv"), Some(b"a".to_vec()));
    }

    #[test]
    fn served_files_stay_after_writing() {
        let kept = Kept::new(true);
        kept.fill(|| Ok(Files::from([("data/a.csv".to_string(), b"a".to_vec())])))
            .unwrap();
        assert_eq!(kept.write(&Memory::default()).unwrap().files, 1);
        assert_eq!(kept.get("data/a.csv"), Some(b"a".to_vec()));
        assert_eq!(kept.paths(), ["data/a.csv"]);
    }
}
