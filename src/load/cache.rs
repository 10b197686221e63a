//! Loaded files kept between loads, so that `serve` re-reads and re-parses
//! only the files that changed, and lists the site again only when a change
//! could alter the listing.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{Kind, Loaded, RawSite, classify, discover, finish, read_all};
use crate::diag::Diagnostic;
use crate::source::display_path;

/// What was loaded from one file, and the file's size and modification time
/// when it was read.
#[derive(Clone)]
struct Entry {
    stamp: Stamp,
    kind: Kind,
    loaded: Loaded,
    diags: Vec<Diagnostic>,
}

/// Loaded files kept between loads, so that `serve` re-reads and re-parses
/// only the files that changed.
pub struct Cache {
    root: PathBuf,
    entries: rustc_hash::FxHashMap<PathBuf, Entry>,
    /// The files the last listing of the site found, and its warnings: a
    /// load told which files were modified keeps them (see
    /// [`Cache::load_changed`]).
    listed: Option<Listing>,
    /// How many times the site was listed: a load told what changed should
    /// not list it.
    listings: usize,
}

/// What one changed path does to the last listing of the site.
enum Step {
    /// Nothing: the listing would not hold it (a hidden file, a backup, a
    /// file not under `content/`, or one made and removed again).
    Unchanged,
    /// A listed plain file of this kind, to read again if its time or size
    /// changed.
    Read(Kind),
    /// A plain file of this kind the listing did not hold, to list and read.
    Add(Kind),
    /// The listed file at this place is gone.
    Gone(usize),
}

/// The files a listing of the site found, and the warnings it gave.
type Listing = (Vec<(Kind, PathBuf)>, Vec<Diagnostic>);

/// A file's modification time and size.
type Stamp = (Option<std::time::SystemTime>, u64);

fn stamp(path: &Path) -> Stamp {
    std::fs::metadata(path).map_or((None, 0), |m| (m.modified().ok(), m.len()))
}

impl Cache {
    pub fn new(root: &Path) -> Self {
        Self {
            root: root.to_path_buf(),
            entries: Default::default(),
            listed: None,
            listings: 0,
        }
    }

    /// Loads the site, reading only new or changed files.
    pub fn load(&mut self) -> RawSite {
        self.load_counting().0
    }

    /// Loads the site, reading only new or changed files; also returns how
    /// many files were read.
    pub fn load_counting(&mut self) -> (RawSite, usize) {
        let (files, diags) = discover(&self.root);
        self.listings += 1;
        let read = self.refresh(&files.iter().collect::<Vec<_>>());
        // Files no longer there are forgotten.
        let mut before = std::mem::take(&mut self.entries);
        for (_, rel) in &files {
            if let Some(e) = before.remove(rel) {
                self.entries.insert(rel.clone(), e);
            }
        }
        let site = self.assemble(&files, diags.clone());
        self.listed = Some((files, diags));
        (site, read)
    }

    /// Loads the site when only the paths `changed` (relative to the site)
    /// may have been modified, made or removed since the last load, without
    /// listing the site again: at 100 000 records the listing and asking
    /// every file's time took most of a preview's rebuild, and editors that
    /// save by writing a new file and renaming it over the old one report a
    /// file made and one removed. Lists the site again, as [`Cache::load`]
    /// does, whenever the listing could come out otherwise than the change
    /// applied to the last one (see [`Cache::step`]).
    pub fn load_changed(&mut self, changed: &[PathBuf]) -> RawSite {
        let Some((mut files, diags)) = self.listed.take() else {
            return self.load();
        };
        let mut changed: Vec<&PathBuf> = changed.iter().collect();
        changed.sort();
        changed.dedup();
        let mut read = Vec::new();
        for rel in changed {
            match self.step(&files, &diags, rel) {
                Some(Step::Unchanged) => {}
                Some(Step::Read(kind)) => read.push((kind, rel.clone())),
                Some(Step::Add(kind)) => {
                    // Content files are listed in path order after the two
                    // at the top, as the walk finds them; a new file is
                    // under `content/` (see `step`).
                    let content = files.iter().position(|(_, r)| r.starts_with("content"));
                    let content = content.unwrap_or(files.len());
                    let at = content + files[content..].partition_point(|(_, r)| r < rel);
                    files.insert(at, (kind, rel.clone()));
                    read.push((kind, rel.clone()));
                }
                Some(Step::Gone(at)) => {
                    files.remove(at);
                    self.entries.remove(rel);
                }
                None => return self.load(),
            }
        }
        self.refresh(&read.iter().collect::<Vec<_>>());
        let site = self.assemble(&files, diags.clone());
        self.listed = Some((files, diags));
        site
    }

    /// What the path `rel`, reported changed, does to the last listing
    /// `files` (which gave the warnings `diags`); `None` when only listing
    /// again can tell: a folder or link made or removed, a file that would
    /// be listed with a warning, or one that was.
    fn step(&self, files: &[(Kind, PathBuf)], diags: &[Diagnostic], rel: &Path) -> Option<Step> {
        let top = rel == Path::new("congkhai.toml") || rel == Path::new("luat.toml");
        let mut below = rel.components().skip(1);
        if !top && !rel.starts_with("content") {
            return Some(Step::Unchanged); // not listed: read elsewhere, when used
        }
        if below.any(|c| c.as_os_str().to_string_lossy().starts_with('.')) {
            return Some(Step::Unchanged); // the walk skips hidden files and folders
        }
        let listed = files.iter().position(|(_, r)| r == rel);
        match (std::fs::symlink_metadata(self.root.join(rel)), listed) {
            (Ok(meta), Some(at)) if meta.is_file() => Some(Step::Read(files[at].0)),
            (Ok(meta), None) if meta.is_file() && !top => match classify(rel) {
                Some(kind) => Some(Step::Add(kind)),
                None if rel.to_string_lossy().ends_with('~') => Some(Step::Unchanged),
                None => None,
            },
            (Err(e), Some(at)) if e.kind() == std::io::ErrorKind::NotFound => Some(Step::Gone(at)),
            (Err(e), None) if e.kind() == std::io::ErrorKind::NotFound => {
                let shown = display_path(rel);
                let held = files.iter().any(|(_, r)| r.starts_with(rel))
                    || diags.iter().any(|d| Path::new(&d.file).starts_with(&shown));
                (!held).then_some(Step::Unchanged)
            }
            _ => None,
        }
    }

    /// Re-reads those of `files` whose time or size changed; returns how
    /// many were read.
    fn refresh(&mut self, files: &[&(Kind, PathBuf)]) -> usize {
        let root = &self.root;
        // Stamped before reading: an edit made while a file is read is seen
        // on the next load. In parallel: at 100 000 records, asking the
        // system for each file's time one by one took a third of a second.
        let entries = &self.entries;
        let stale: Vec<(&(Kind, PathBuf), Stamp)> = files
            .par_iter()
            .filter_map(|file| {
                let now = stamp(&root.join(&file.1));
                let known = entries.get(&file.1).map(|e| e.stamp);
                (known != Some(now)).then_some((*file, now))
            })
            .collect();
        let targets: Vec<&(Kind, PathBuf)> = stale.iter().map(|(file, _)| *file).collect();
        let fresh = read_all(root, &targets);
        let read = fresh.len();
        for (((kind, rel), stamp), (loaded, diags)) in stale.into_iter().zip(fresh) {
            let entry = Entry {
                stamp,
                kind: *kind,
                loaded,
                diags,
            };
            self.entries.insert(rel.clone(), entry);
        }
        read
    }

    /// The site made of the loaded `files`, in their order.
    fn assemble(&self, files: &[(Kind, PathBuf)], diagnostics: Vec<Diagnostic>) -> RawSite {
        let mut site = RawSite {
            root: self.root.clone(),
            diagnostics,
            ..RawSite::default()
        };
        for (_, rel) in files {
            if let Some(e) = self.entries.get(rel) {
                site.diagnostics.extend(e.diags.iter().cloned());
                site.insert(e.kind, e.loaded.clone());
            }
        }
        finish(site)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load;

    /// The records of a loaded site as (path, text), to compare two loads.
    fn texts(site: &RawSite) -> Vec<(String, String)> {
        [&site.conclusions, &site.decisions, &site.pages]
            .into_iter()
            .flatten()
            .map(|d| (d.file.display_path(), d.file.text.to_string()))
            .collect()
    }

    /// A copy of the valid site loaded into a cache, then its decision
    /// edited in place (the path returned).
    fn loaded_then_edited() -> (tempfile::TempDir, Cache, PathBuf) {
        let dir = crate::testing::valid_copy();
        let mut cache = Cache::new(dir.path());
        cache.load();
        let qd = PathBuf::from("content/decisions/qd-2025-118.md");
        let text = std::fs::read_to_string(dir.path().join(&qd)).unwrap();
        let edited = text.replace("trái thẩm quyền", "sai thẩm quyền");
        std::fs::write(dir.path().join(&qd), edited).unwrap();
        (dir, cache, qd)
    }

    /// The warnings of a loaded site, to compare two loads.
    fn warned(site: &RawSite) -> Vec<String> {
        site.diagnostics
            .iter()
            .map(|d| format!("{} {}", d.file, d.code))
            .collect()
    }

    /// Loads `changed` into the cache and checks that the site is what a
    /// fresh load gives, order and warnings included, and whether the cache
    /// had to list the site again.
    fn changed_as_fresh(cache: &mut Cache, root: &Path, changed: &[&str], lists: bool) -> RawSite {
        let changed: Vec<PathBuf> = changed.iter().map(PathBuf::from).collect();
        let before = cache.listings;
        let site = cache.load_changed(&changed);
        assert_eq!(cache.listings > before, lists, "{changed:?}");
        let fresh = load(root);
        assert_eq!(texts(&site), texts(&fresh), "{changed:?}");
        assert_eq!(warned(&site), warned(&fresh), "{changed:?}");
        site
    }

    /// What editors and tools do when saving — write in place, write a new
    /// file and rename it over the old one, keep a backup, leave a hidden
    /// swap file — and files made, removed or moved away with their folder:
    /// told the paths, the cache gives what a fresh listing gives.
    #[test]
    fn a_load_told_what_changed_gives_what_a_fresh_load_gives() {
        let (dir, mut cache, qd) = loaded_then_edited();
        let root = dir.path();
        let pages = root.join("content/pages");
        let page = "---\ntitle: Mới\n---\nTrang mới.\n";
        std::fs::write(pages.join("a-dau.md"), page).unwrap();
        std::fs::write(pages.join(".a-dau.md.swp"), "swap").unwrap();
        let site = changed_as_fresh(
            &mut cache,
            root,
            &[
                qd.to_str().unwrap(),
                "content/pages/a-dau.md",
                "content/pages/.a-dau.md.swp",
            ],
            false,
        );
        assert!(texts(&site).iter().any(|(p, _)| p.ends_with("a-dau.md")));

        // `sed -i`: a new file renamed over the old one.
        std::fs::write(pages.join("sedX1"), page.replace("Mới", "Sửa")).unwrap();
        std::fs::rename(pages.join("sedX1"), pages.join("a-dau.md")).unwrap();
        let site = changed_as_fresh(
            &mut cache,
            root,
            &["content/pages/sedX1", "content/pages/a-dau.md"],
            false,
        );
        assert!(texts(&site).iter().any(|(_, t)| t.contains("Sửa")));

        // A backup kept beside the file is not content and not warned of.
        std::fs::copy(pages.join("a-dau.md"), pages.join("a-dau.md~")).unwrap();
        changed_as_fresh(&mut cache, root, &["content/pages/a-dau.md~"], false);

        // A file that is not content is warned of, and no longer when gone.
        std::fs::write(pages.join("ghi-chu.txt"), "x").unwrap();
        let site = changed_as_fresh(&mut cache, root, &["content/pages/ghi-chu.txt"], true);
        assert!(warned(&site).iter().any(|w| w.contains("ghi-chu.txt")));
        std::fs::remove_file(pages.join("ghi-chu.txt")).unwrap();
        changed_as_fresh(&mut cache, root, &["content/pages/ghi-chu.txt"], true);

        std::fs::remove_file(pages.join("a-dau.md")).unwrap();
        let site = changed_as_fresh(&mut cache, root, &["content/pages/a-dau.md"], false);
        assert!(!texts(&site).iter().any(|(p, _)| p.ends_with("a-dau.md")));

        // A folder moved out of the site: only its own path is reported.
        let away = tempfile::tempdir().unwrap();
        std::fs::rename(root.join("content/decisions"), away.path().join("d")).unwrap();
        let site = changed_as_fresh(&mut cache, root, &["content/decisions"], true);
        assert!(site.decisions.is_empty());
        std::fs::rename(away.path().join("d"), root.join("content/decisions")).unwrap();
        let site = changed_as_fresh(&mut cache, root, &["content/decisions"], true);
        assert!(!site.decisions.is_empty());
    }

    /// The shortcut trusts the watcher: told only of a modification, it
    /// does not list the site (a file created meanwhile and not reported
    /// is not seen), and the next full load sees everything.
    #[test]
    fn a_load_told_of_a_modification_does_not_list_the_site() {
        let (dir, mut cache, qd) = loaded_then_edited();
        let root = dir.path();
        std::fs::write(
            root.join("content/pages/moi.md"),
            "---\ntitle: Mới\n---\nMới.\n",
        )
        .unwrap();
        let told = cache.load_changed(std::slice::from_ref(&qd));
        assert!(
            texts(&told)
                .iter()
                .any(|(_, t)| t.contains("sai thẩm quyền"))
        );
        assert!(!texts(&told).iter().any(|(p, _)| p.ends_with("moi.md")));
        assert!(
            texts(&cache.load())
                .iter()
                .any(|(p, _)| p.ends_with("moi.md"))
        );
    }

    /// A known file replaced by a link out of the site is not read through
    /// the shortcut: the listing skips the link, as a fresh load does.
    #[test]
    fn a_file_replaced_by_a_link_is_listed_again() {
        let dir = crate::testing::valid_copy();
        let root = dir.path();
        let outside = tempfile::tempdir().unwrap();
        let secret = outside.path().join("secret.md");
        std::fs::write(&secret, "---\ntitle: Bí mật\n---\nKhông được đọc.\n").unwrap();
        let mut cache = Cache::new(root);
        cache.load();
        let page = PathBuf::from("content/pages/gioi-thieu.md");
        std::fs::remove_file(root.join(&page)).unwrap();
        std::os::unix::fs::symlink(&secret, root.join(&page)).unwrap();
        let site = cache.load_changed(std::slice::from_ref(&page));
        assert!(
            !texts(&site)
                .iter()
                .any(|(_, t)| t.contains("Không được đọc"))
        );
        assert_eq!(texts(&site), texts(&load(root)));
    }
}
