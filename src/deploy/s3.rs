//! A deploy to S3-compatible object storage (AWS, and the storage that
//! Vietnamese clouds and CDNs offer), through the `object_store` crate.
//!
//! Endpoint, region and credentials come from the standard `AWS_*`
//! variables. The deploy reads what the prefix holds and its published
//! manifest ([`plan`](super::plan)), writes a journal of what it is about to
//! send, sends only new or changed files phase by phase ([`Phase`]: the
//! manifest and signature last), removes stale objects only after the new
//! manifest is in place, then removes the journal. Interrupted at any
//! moment, the published manifest still describes objects that are all
//! there; run again, the deploy resumes (files already sent are recognised
//! by their `ETag`).

use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::path::Path as StorePath;
use object_store::{
    Attribute, Attributes, BackoffConfig, ClientOptions, ObjectStore, PutOptions, RetryConfig,
};

use super::plan::{JOURNAL, Plan, Remote, RemoteObject, plan};
use super::{Output, Phase, Report};
use crate::write::owner::MANIFEST;
use crate::write::{WriteError, hook};

/// Requests in flight at once: enough to hide each request's round trip.
const PARALLEL: usize = 8;

/// What the progress bar is told: how many bytes the plan sends, then each
/// file's bytes as it arrives.
pub enum Progress {
    Planned(u64),
    Sent(u64),
}

/// Where the deploy goes.
pub struct Bucket<'a> {
    pub bucket: &'a str,
    pub prefix: &'a str,
    /// The address as the user wrote it, for messages.
    pub place: &'a str,
}

pub fn deploy(
    output: &Output,
    to: &Bucket,
    dry_run: bool,
    progress: &dyn Fn(Progress),
) -> Result<Report, WriteError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| WriteError::system(format!("không khởi động được: {e}"), e.to_string()))?;
    runtime.block_on(run(output, to, dry_run, progress))
}

async fn run(
    output: &Output,
    to: &Bucket<'_>,
    dry_run: bool,
    progress: &dyn Fn(Progress),
) -> Result<Report, WriteError> {
    let store = connect(to)?;
    let remote = read_remote(&store, to).await?;
    let plan = plan(output, &remote, to.place)?;
    let mut report = Report {
        uploaded: plan.uploads.len(),
        uploaded_bytes: plan.upload_bytes(),
        unchanged: plan.unchanged,
        deleted: plan.deletions.len(),
        plan: Vec::new(),
    };
    progress(Progress::Planned(report.uploaded_bytes));
    if dry_run {
        report.plan = plan
            .uploads
            .iter()
            .map(|l| format!("+ {}", l.path))
            .chain(plan.deletions.iter().map(|p| format!("- {p}")))
            .collect();
        return Ok(report);
    }
    // Nothing to do, unless an interrupted deploy left its journal behind.
    if plan.uploads.is_empty() && plan.deletions.is_empty() && remote.journal.is_empty() {
        return Ok(report);
    }
    write_journal(&store, to, output, &remote).await?;
    upload(&store, to, output, &plan, progress).await?;
    delete(&store, to, &plan.deletions).await?;
    let journal = key(to, JOURNAL);
    store
        .delete(&journal)
        .await
        .map_err(|e| remote_error(to, &e))?;
    Ok(report)
}

/// The store, with retries for transient failures (time-outs, 5xx, 429)
/// kept short enough that an unreachable endpoint is said within seconds.
fn connect(to: &Bucket) -> Result<impl ObjectStore, WriteError> {
    let endpoint = std::env::var("AWS_ENDPOINT_URL")
        .or_else(|_| std::env::var("AWS_ENDPOINT"))
        .unwrap_or_default();
    let mut builder = AmazonS3Builder::from_env()
        .with_bucket_name(to.bucket)
        .with_retry(RetryConfig {
            backoff: BackoffConfig {
                init_backoff: Duration::from_millis(200),
                max_backoff: Duration::from_secs(5),
                base: 2.0,
            },
            max_retries: 4,
            retry_timeout: Duration::from_secs(60),
        })
        .with_client_options(
            ClientOptions::new()
                .with_connect_timeout(Duration::from_secs(5))
                .with_timeout(Duration::from_secs(120)),
        );
    // Plain HTTP only to this machine, unless AWS_ALLOW_HTTP says otherwise:
    // credentials must not cross a network in the clear.
    if is_loopback_http(&endpoint) {
        builder = builder.with_allow_http(true);
    }
    builder.build().map_err(|e| {
        WriteError::Refused {
            vi: format!("không cấu hình được kho lưu trữ {}: {e}", to.place),
            en: format!("cannot configure the storage {}: {e}", to.place),
            hint_vi: "đặt AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (và AWS_REGION nếu cần)".into(),
            hint_en: "set AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (and AWS_REGION if needed)".into(),
        }
    })
}

/// Whether `endpoint` is plain HTTP to this machine itself (by its host,
/// not by how the address begins: `http://localhost.example.com` is not).
fn is_loopback_http(endpoint: &str) -> bool {
    url::Url::parse(endpoint).is_ok_and(|u| {
        u.scheme() == "http"
            && match u.host() {
                Some(url::Host::Domain(d)) => d == "localhost",
                Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                None => false,
            }
    })
}

fn key(to: &Bucket, path: &str) -> StorePath {
    if to.prefix.is_empty() {
        StorePath::from(path)
    } else {
        StorePath::from(format!("{}/{path}", to.prefix))
    }
}

/// Lists the prefix and reads its manifest and journal.
async fn read_remote(store: &impl ObjectStore, to: &Bucket<'_>) -> Result<Remote, WriteError> {
    let prefix = (!to.prefix.is_empty()).then(|| StorePath::from(to.prefix));
    let listed: Vec<_> = store
        .list(prefix.as_ref())
        .try_collect()
        .await
        .map_err(|e| remote_error(to, &e))?;
    let strip = if to.prefix.is_empty() {
        String::new()
    } else {
        format!("{}/", to.prefix)
    };
    let mut remote = Remote::default();
    for meta in listed {
        let path = meta.location.as_ref();
        let rel = path.strip_prefix(&strip).unwrap_or(path).to_string();
        remote.objects.insert(
            rel,
            RemoteObject {
                size: meta.size,
                e_tag: meta.e_tag,
            },
        );
    }
    if remote.objects.contains_key(MANIFEST) {
        let text = get_text(store, to, MANIFEST).await?;
        remote.manifest = Some(crate::write::owner::parse_manifest(&text).ok_or_else(|| {
            WriteError::Refused {
                vi: format!("{} có SHA256SUMS nhưng không đúng định dạng", to.place),
                en: format!("{} holds a SHA256SUMS that is not a manifest", to.place),
                hint_vi:
                    "không tải lên và không xoá gì; kiểm tra xem bucket có đúng là của cổng không"
                        .into(),
                hint_en: "nothing was uploaded or deleted; check that the bucket is the portal's"
                    .into(),
            }
        })?);
    }
    if remote.objects.contains_key(JOURNAL) {
        let text = get_text(store, to, JOURNAL).await?;
        remote.journal = text.lines().map(str::to_string).collect();
    }
    Ok(remote)
}

async fn get_text(
    store: &impl ObjectStore,
    to: &Bucket<'_>,
    path: &str,
) -> Result<String, WriteError> {
    let bytes = store
        .get(&key(to, path))
        .await
        .map_err(|e| remote_error(to, &e))?
        .bytes()
        .await
        .map_err(|e| remote_error(to, &e))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Records, before the first upload, every path this deploy may write (and
/// those an earlier interrupted one listed), so that they are known as
/// congkhai's if it is interrupted too.
async fn write_journal(
    store: &impl ObjectStore,
    to: &Bucket<'_>,
    output: &Output,
    remote: &Remote,
) -> Result<(), WriteError> {
    let mut paths: std::collections::BTreeSet<&str> =
        remote.journal.iter().map(String::as_str).collect();
    paths.extend(output.files.iter().map(|f| f.path.as_str()));
    let text: String = paths.into_iter().flat_map(|p| [p, "\n"]).collect();
    store
        .put(&key(to, JOURNAL), text.into())
        .await
        .map_err(|e| remote_error(to, &e))?;
    Ok(())
}

/// Sends the plan's files phase by phase; a phase starts only when the one
/// before has fully arrived.
async fn upload(
    store: &impl ObjectStore,
    to: &Bucket<'_>,
    output: &Output,
    plan: &Plan<'_>,
    progress: &dyn Fn(Progress),
) -> Result<(), WriteError> {
    for phase in Phase::ALL {
        let files = plan.uploads.iter().filter(|l| Phase::of(&l.path) == phase);
        let mut sent = futures::stream::iter(files)
            .map(|local| async move {
                let bytes = output.read_checked(local).map_err(|e| {
                    WriteError::system(
                        format!("không đọc được {}: {e}", local.path),
                        format!("cannot read {}: {e}", local.path),
                    )
                })?;
                let mut attributes = Attributes::new();
                attributes.insert(
                    Attribute::ContentType,
                    crate::site::media::content_type(&local.path).into(),
                );
                attributes.insert(
                    Attribute::CacheControl,
                    super::cache_control(&local.path).into(),
                );
                let options = PutOptions {
                    attributes,
                    ..PutOptions::default()
                };
                store
                    .put_opts(&key(to, &local.path), bytes.into(), options)
                    .await
                    .map_err(|e| remote_error(to, &e))?;
                Ok::<u64, WriteError>(local.size)
            })
            .buffer_unordered(PARALLEL);
        while let Some(size) = sent.next().await {
            progress(Progress::Sent(size?));
        }
        hook(phase.hook());
    }
    Ok(())
}

/// Removes the objects the new publication no longer has.
async fn delete(
    store: &impl ObjectStore,
    to: &Bucket<'_>,
    stale: &[String],
) -> Result<(), WriteError> {
    futures::stream::iter(stale)
        .map(|path| async move { store.delete(&key(to, path)).await })
        .buffer_unordered(PARALLEL)
        .try_collect::<Vec<()>>()
        .await
        .map_err(|e| remote_error(to, &e))?;
    Ok(())
}

/// What went wrong with the storage, said so that the user knows what to do.
fn remote_error(to: &Bucket, e: &object_store::Error) -> WriteError {
    // Each layer repeats the one below; the whole chain is searched, and
    // only the first layer and the root cause are shown.
    let mut chain = e.to_string();
    let mut root = chain.clone();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        root = s.to_string();
        chain.push_str(&root);
        source = s.source();
    }
    let has = |words: &[&str]| words.iter().any(|w| chain.contains(w));
    let refused = |vi: String, en: String, hint_vi: &str, hint_en: &str| WriteError::Refused {
        vi,
        en,
        hint_vi: hint_vi.into(),
        hint_en: hint_en.into(),
    };
    if matches!(
        e,
        object_store::Error::PermissionDenied { .. } | object_store::Error::Unauthenticated { .. }
    ) || has(&[
        "InvalidAccessKeyId",
        "SignatureDoesNotMatch",
        "AccessDenied",
        "403 Forbidden",
    ]) {
        return refused(
            format!(
                "{} từ chối khóa truy cập (sai khóa hoặc không có quyền ghi)",
                to.place
            ),
            format!(
                "{} refused the credentials (wrong keys, or no permission to write)",
                to.place
            ),
            "kiểm tra AWS_ACCESS_KEY_ID và AWS_SECRET_ACCESS_KEY; không có gì bị xoá",
            "check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; nothing was deleted",
        );
    }
    if has(&["NoSuchBucket"]) {
        return refused(
            format!("không có bucket {}", to.bucket),
            format!("there is no bucket {}", to.bucket),
            "tạo bucket trước (công cụ của nhà cung cấp), hoặc sửa tên trong địa chỉ s3://",
            "create the bucket first (with the provider's tools), or fix its name in the s3:// address",
        );
    }
    let endpoint = std::env::var("AWS_ENDPOINT_URL")
        .or_else(|_| std::env::var("AWS_ENDPOINT"))
        .unwrap_or_else(|_| "AWS".into());
    if has(&[
        "error sending request",
        "tcp connect",
        "dns error",
        "timed out",
    ]) {
        return WriteError::system(
            format!(
                "không kết nối được tới kho lưu trữ {endpoint} (đã thử lại nhiều lần): {root}. Kiểm tra AWS_ENDPOINT_URL và mạng; bản đã công bố vẫn nguyên vẹn, chạy lại để tiếp tục"
            ),
            format!(
                "cannot reach the storage at {endpoint} (retried several times): {root}. Check AWS_ENDPOINT_URL and the network; the published site is intact, run again to resume"
            ),
        );
    }
    let first = e.to_string();
    let first = first.split(": ").next().unwrap_or(&first);
    WriteError::system(
        format!(
            "kho lưu trữ {} báo lỗi: {first} ({root}); bản đã công bố vẫn nguyên vẹn, chạy lại để tiếp tục",
            to.place
        ),
        format!(
            "the storage {} failed: {first} ({root}); the published site is intact, run again to resume",
            to.place
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_allowed_only_to_this_machine() {
        for ok in [
            "http://127.0.0.1:9000",
            "http://localhost:9000/",
            "http://[::1]:9000",
        ] {
            assert!(is_loopback_http(ok), "{ok}");
        }
        for no in [
            "http://localhost.example.com",
            "http://127.0.0.1.example.com",
            "http://s3.example.vn",
            "https://127.0.0.1:9000",
            "",
        ] {
            assert!(!is_loopback_http(no), "{no}");
        }
    }
}
