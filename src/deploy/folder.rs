//! A deploy to a folder (a web server's document root, a mounted share):
//! the same staging, lock and atomic swap as a build ([`Staging`]), so that
//! the folder holds either the old site or the new one, never a mix, and is
//! replaced only if it is empty, absent or a congkhai output with nothing
//! of anyone else's in it. Unchanged files are linked from its previous
//! contents instead of written again.

use std::fs;
use std::path::Path;

use rayon::prelude::*;

use super::{Output, Report, refused};
use crate::write::owner::{self, MANIFEST, parse_manifest};
use crate::write::{Sink, Staging, WriteError, same_bytes};

pub fn deploy(output: &Output, target: &Path, dry_run: bool) -> Result<Report, WriteError> {
    deploy_into(output, target, dry_run).map_err(with_deploy_hint)
}

/// The build's refusals (from [`owner`]) say what to do with `--out`; a
/// deploy names its target another way, so every refusal here gets the
/// deploy's hint.
fn with_deploy_hint(e: WriteError) -> WriteError {
    match e {
        WriteError::Refused { vi, en, .. } => WriteError::Refused {
            vi,
            en,
            hint_vi: "congkhai chỉ thay một thư mục chưa có, trống, hoặc do congkhai công bố mà không chứa tệp của ai khác; chọn thư mục đích khác, hoặc chuyển các tệp đó đi".into(),
            hint_en: "congkhai replaces only a folder that is absent, empty, or published by congkhai with nothing else in it; choose another target, or move those files elsewhere".into(),
        },
        other => other,
    }
}

fn deploy_into(output: &Output, target: &Path, dry_run: bool) -> Result<Report, WriteError> {
    refuse_inside(output, target)?;
    let resolved = owner::target(&output.root, target)?;
    let stale = stale(output, &resolved.path);
    if dry_run {
        return Ok(plan(output, &resolved.path, stale));
    }
    let staging = Staging::begin(&output.root, target)?;
    output
        .files
        .par_iter()
        .try_for_each(|f| staging.put(&f.path, &output.read_checked(f)?))
        .map_err(|e| {
            WriteError::system(
                format!("không chép được vào {}: {e}", target.display()),
                format!("cannot copy into {}: {e}", target.display()),
            )
        })?;
    let (uploaded, unchanged) = staging.written_and_kept();
    let uploaded_bytes = staging.written_bytes();
    staging.commit()?.wait();
    Ok(Report {
        uploaded,
        uploaded_bytes,
        unchanged,
        deleted: stale.len(),
        plan: Vec::new(),
    })
}

/// What a deploy would write, keep and remove, without a staging folder.
fn plan(output: &Output, target: &Path, stale: Vec<String>) -> Report {
    let mut report = Report::default();
    for f in &output.files {
        let same = output
            .read(&f.path)
            .is_ok_and(|b| same_bytes(&target.join(&f.path), &b).is_some());
        if same {
            report.unchanged += 1;
        } else {
            report.uploaded += 1;
            report.uploaded_bytes += f.size;
            report.plan.push(format!("+ {}", f.path));
        }
    }
    report.deleted = stale.len();
    report
        .plan
        .extend(stale.into_iter().map(|p| format!("- {p}")));
    report
}

/// The files of the folder's current site that the new one no longer has.
fn stale(output: &Output, target: &Path) -> Vec<String> {
    let Some(old) = fs::read_to_string(target.join(MANIFEST))
        .ok()
        .and_then(|t| parse_manifest(&t))
    else {
        return Vec::new();
    };
    old.into_keys()
        .filter(|p| {
            output
                .files
                .binary_search_by(|f| f.path.as_str().cmp(p))
                .is_err()
        })
        .collect()
}

/// A target inside the output itself would be copied into the copy.
fn refuse_inside(output: &Output, target: &Path) -> Result<(), WriteError> {
    let root = owner::resolve(&output.root)?;
    let place = owner::resolve(target)?;
    if place.starts_with(&root) {
        return Err(refused(
            format!(
                "{} nằm trong chính đầu ra {}",
                target.display(),
                root.display()
            ),
            format!(
                "{} is inside the output {} itself",
                target.display(),
                root.display()
            ),
            "chọn một thư mục ở ngoài đầu ra",
            "choose a folder outside the output",
        ));
    }
    Ok(())
}
