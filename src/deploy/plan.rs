//! What a deploy to object storage must do, decided from the local output
//! and what the bucket holds, before anything is sent.
//!
//! A bucket prefix is congkhai's when it is empty or holds a published
//! manifest; every object there must be accounted for by that manifest or by
//! the journal of a deploy that was interrupted. Anything else is someone
//! else's, and the deploy stops without touching it.

use std::collections::{BTreeMap, BTreeSet};

use super::{Local, Output, Phase, SIGNATURE, refused};
use crate::write::WriteError;
use crate::write::owner::MANIFEST;

/// The object that lists what a deploy in progress may write, so that a
/// deploy interrupted before its manifest was sent can be resumed, and its
/// files recognised as congkhai's. Removed when a deploy completes.
pub const JOURNAL: &str = ".congkhai-deploy";

/// An object in the bucket, under the prefix.
#[derive(Debug, Clone)]
pub struct RemoteObject {
    pub size: u64,
    pub e_tag: Option<String>,
}

/// What the bucket holds under the prefix.
#[derive(Debug, Default)]
pub struct Remote {
    /// By path relative to the prefix.
    pub objects: BTreeMap<String, RemoteObject>,
    /// The published manifest, if there is one (path → SHA-256).
    pub manifest: Option<BTreeMap<String, String>>,
    /// The paths an interrupted deploy's journal lists.
    pub journal: BTreeSet<String>,
}

/// The uploads (in publishing order) and deletions a deploy makes.
#[derive(Debug)]
pub struct Plan<'a> {
    pub uploads: Vec<&'a Local>,
    pub unchanged: usize,
    pub deletions: Vec<String>,
}

impl Plan<'_> {
    pub fn upload_bytes(&self) -> u64 {
        self.uploads.iter().map(|l| l.size).sum()
    }
}

/// Decides the deploy, or refuses a bucket that is not congkhai's.
pub fn plan<'a>(output: &'a Output, remote: &Remote, place: &str) -> Result<Plan<'a>, WriteError> {
    refuse_strangers(remote, place)?;
    let mut uploads = Vec::new();
    let mut unchanged = 0;
    for local in &output.files {
        match remote.objects.get(&local.path) {
            Some(object) if same(local, object, remote.manifest.as_ref()) => unchanged += 1,
            _ => uploads.push(local),
        }
    }
    uploads.sort_by(|a, b| (Phase::of(&a.path), &a.path).cmp(&(Phase::of(&b.path), &b.path)));
    let published: BTreeSet<&str> = output.files.iter().map(|f| f.path.as_str()).collect();
    let deletions = remote
        .objects
        .keys()
        .filter(|p| p.as_str() != JOURNAL && !published.contains(p.as_str()))
        .cloned()
        .collect();
    Ok(Plan {
        uploads,
        unchanged,
        deletions,
    })
}

/// Whether the object already holds the local file's bytes: its `ETag` is
/// the MD5 of the bytes when it was sent in one request (as congkhai sends
/// them); a store whose `ETag`s are something else is trusted on its
/// published manifest instead.
fn same(local: &Local, object: &RemoteObject, manifest: Option<&BTreeMap<String, String>>) -> bool {
    if object.size != local.size {
        return false;
    }
    match object.e_tag.as_deref().map(|e| e.trim_matches('"')) {
        Some(tag) if tag.len() == 32 && tag.bytes().all(|b| b.is_ascii_hexdigit()) => {
            tag.eq_ignore_ascii_case(&local.md5)
        }
        _ => manifest.and_then(|m| m.get(&local.path)) == Some(&local.sha256),
    }
}

/// Refuses a prefix that holds objects no congkhai publication accounts for.
fn refuse_strangers(remote: &Remote, place: &str) -> Result<(), WriteError> {
    let ours = |p: &str| {
        p == MANIFEST
            || p == SIGNATURE
            || p == JOURNAL
            || remote.journal.contains(p)
            || remote.manifest.as_ref().is_some_and(|m| m.contains_key(p))
    };
    let strangers: Vec<&str> = remote
        .objects
        .keys()
        .map(String::as_str)
        .filter(|p| !ours(p))
        .collect();
    if strangers.is_empty() {
        return Ok(());
    }
    let shown = strangers
        .iter()
        .take(5)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    let more = match strangers.len() {
        n if n > 5 => format!(" (+{})", n - 5),
        _ => String::new(),
    };
    let objects = if strangers.len() == 1 {
        "object"
    } else {
        "objects"
    };
    let (vi, en) = if remote.manifest.is_none() && remote.journal.is_empty() {
        (
            format!(
                "{place} không phải một cổng congkhai (không có SHA256SUMS) mà đã có {} đối tượng: {shown}{more}",
                strangers.len()
            ),
            format!(
                "{place} is not a congkhai portal (no SHA256SUMS) and already holds {} {objects}: {shown}{more}",
                strangers.len()
            ),
        )
    } else {
        (
            format!(
                "{place} có {} đối tượng không thuộc lần công bố nào của congkhai: {shown}{more}",
                strangers.len()
            ),
            format!(
                "{place} holds {} {objects} that no congkhai publication wrote: {shown}{more}",
                strangers.len()
            ),
        )
    };
    Err(refused(
        vi,
        en,
        "không tải lên và không xoá gì; chọn một bucket hoặc thư mục (prefix) trống, hoặc chuyển các đối tượng đó đi",
        "nothing was uploaded or deleted; choose an empty bucket or prefix, or move those objects elsewhere",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(path: &str, body: &str) -> Local {
        use md5::Digest as _;
        Local {
            path: path.into(),
            size: body.len() as u64,
            sha256: super::super::hex(&sha2::Sha256::digest(body)),
            md5: super::super::hex(&md5::Md5::digest(body)),
        }
    }

    fn output(files: &[(&str, &str)]) -> Output {
        Output {
            root: "/nowhere".into(),
            files: files.iter().map(|(p, b)| local(p, b)).collect(),
        }
    }

    fn object(l: &Local) -> RemoteObject {
        RemoteObject {
            size: l.size,
            e_tag: Some(format!("\"{}\"", l.md5)),
        }
    }

    #[test]
    fn only_changed_files_go_out_in_order_and_stale_ones_are_removed() {
        let old = output(&[
            ("index.html", "cũ"),
            ("assets/style.css", "a"),
            ("ket-luan/bo/index.html", "x"),
            ("SHA256SUMS", "m1"),
        ]);
        let mut remote = Remote::default();
        for f in &old.files {
            remote.objects.insert(f.path.clone(), object(f));
        }
        remote.manifest = Some(
            old.files
                .iter()
                .map(|f| (f.path.clone(), f.sha256.clone()))
                .collect(),
        );
        let new = output(&[
            ("index.html", "mới"),
            ("assets/style.css", "a"),
            ("data/a.csv", "1"),
            ("ket-luan/moi/index.html", "y"),
            ("SHA256SUMS", "m2"),
        ]);
        let plan = plan(&new, &remote, "s3://b").unwrap();
        let order: Vec<&str> = plan.uploads.iter().map(|l| l.path.as_str()).collect();
        assert_eq!(
            order,
            [
                "index.html",
                "ket-luan/moi/index.html",
                "data/a.csv",
                "SHA256SUMS"
            ]
        );
        assert_eq!(plan.unchanged, 1);
        assert_eq!(plan.deletions, ["ket-luan/bo/index.html"]);
    }

    #[test]
    fn a_bucket_with_other_files_is_refused() {
        let new = output(&[("index.html", "x"), ("SHA256SUMS", "m")]);
        let mut remote = Remote::default();
        remote.objects.insert(
            "anh-cua-toi.jpg".into(),
            RemoteObject {
                size: 3,
                e_tag: None,
            },
        );
        let Err(WriteError::Refused { en, .. }) = plan(&new, &remote, "s3://b") else {
            panic!("refused");
        };
        assert!(
            en.contains("no SHA256SUMS") && en.contains("anh-cua-toi.jpg"),
            "{en}"
        );
        // With a manifest that does not list it: still someone else's.
        remote.manifest = Some(BTreeMap::new());
        let Err(WriteError::Refused { en, .. }) = plan(&new, &remote, "s3://b") else {
            panic!("refused");
        };
        assert!(en.contains("no congkhai publication"), "{en}");
    }

    #[test]
    fn an_interrupted_deploy_is_resumed_from_its_journal() {
        let new = output(&[
            ("index.html", "x"),
            ("trang/a/index.html", "a"),
            ("SHA256SUMS", "m"),
        ]);
        let mut remote = Remote::default();
        // The first deploy sent one page, then stopped: no manifest yet.
        let sent = &new.files[1];
        assert_eq!(sent.path, "trang/a/index.html");
        remote.objects.insert(sent.path.clone(), object(sent));
        remote.journal = new.files.iter().map(|f| f.path.clone()).collect();
        let plan = plan(&new, &remote, "s3://b").unwrap();
        assert_eq!(plan.unchanged, 1);
        assert_eq!(plan.uploads.len(), 2);
        assert!(plan.deletions.is_empty());
    }

    #[test]
    fn without_md5_etags_the_published_manifest_decides() {
        let new = output(&[("index.html", "x")]);
        let f = &new.files[0];
        let mut remote = Remote::default();
        remote.objects.insert(
            f.path.clone(),
            RemoteObject {
                size: f.size,
                e_tag: Some("\"abc-2\"".into()),
            },
        );
        remote.manifest = Some(BTreeMap::from([(f.path.clone(), f.sha256.clone())]));
        assert_eq!(plan(&new, &remote, "s3://b").unwrap().unchanged, 1);
        remote.manifest = Some(BTreeMap::from([(f.path.clone(), "0".repeat(64))]));
        assert_eq!(plan(&new, &remote, "s3://b").unwrap().unchanged, 0);
    }
}
