//! `congkhai new`: a working portal to start from, with every field of every
//! record type commented in Vietnamese. The files live in `scaffold/` of this
//! repository and are built into the binary.

use std::path::{Path, PathBuf};

use include_dir::{Dir, DirEntry, include_dir};

static SCAFFOLD: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/scaffold");

pub enum Error {
    NotEmpty,
    Io(std::io::Error),
}

fn files<'a>(dir: &'a Dir<'a>, out: &mut Vec<&'a include_dir::File<'a>>) {
    for e in dir.entries() {
        match e {
            DirEntry::Dir(d) => files(d, out),
            DirEntry::File(f) => out.push(f),
        }
    }
}

/// Creates a portal in `dir`, which must be absent or empty. Returns the files written.
pub fn create(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    if dir.exists() && std::fs::read_dir(dir).map_err(Error::Io)?.next().is_some() {
        return Err(Error::NotEmpty);
    }
    let mut all = Vec::new();
    files(&SCAFFOLD, &mut all);
    let mut written = Vec::new();
    for f in all {
        let path = dir.join(f.path());
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(Error::Io)?;
        }
        std::fs::write(&path, f.contents()).map_err(Error::Io)?;
        written.push(path);
    }
    Ok(written)
}
