//! The command line: parses arguments and wires the pipeline stages together.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

mod proof;

use crate::diag::{self, Diagnostic, Diagnostics};
use crate::model::{self, Site};

const EXIT_HELP: &str = "\
Mã thoát / exit codes:
  0  thành công (có thể có cảnh báo) / success (warnings allowed)
  1  nội dung có lỗi, không ghi gì / the content has errors, nothing was written
  2  sai cách dùng lệnh / usage error
  3  lỗi hệ thống (không ghi được tệp, cổng mạng bận…) / system error (cannot write, port busy…)";

#[derive(Parser, Debug)]
#[command(
    name = "congkhai",
    version,
    about = "Dựng cổng công khai kết quả thanh tra, kỷ luật và thu hồi tài sản thành trang web tĩnh.\nBuilds a transparency portal (inspections, discipline, recovered assets) as a static website.",
    after_help = EXIT_HELP
)]
pub struct Cli {
    /// Chỉ in lỗi / print errors only
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// In thêm chi tiết / print more detail
    #[arg(short, long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Tạo một cổng mới có dữ liệu mẫu / create a new portal with example records
    #[command(after_help = "Ví dụ / examples:\n  congkhai new cong-cua-toi\n  cd cong-cua-toi && congkhai serve\n\n".to_string() + EXIT_HELP)]
    New(NewArgs),
    /// Kiểm tra toàn bộ nội dung, không ghi gì / check all content, write nothing
    #[command(after_help = "Ví dụ / examples:\n  congkhai check\n  congkhai check duong/toi/cong --as-of 2026-06-30\n  congkhai check --format json > loi.json\n\n".to_string() + EXIT_HELP)]
    Check(CheckArgs),
    /// Kiểm tra rồi dựng trang web vào thư mục đầu ra / check, then build the site
    #[command(after_help = "Ví dụ / examples:\n  congkhai build\n  congkhai build duong/toi/cong --out /var/www/congkhai --as-of 2026-06-30\n\nĐầu ra chỉ được thay khi dựng thành công / the output is replaced only when the build succeeds.\n\n".to_string() + EXIT_HELP)]
    Build(BuildArgs),
    /// Nhập bảng tính Excel/CSV thành tệp nội dung / import a spreadsheet as content files
    #[command(after_help = "Ví dụ / examples:\n  congkhai import so-lieu-quy-1.xlsx\n  congkhai import ket-luan.xlsx --site duong/toi/cong --dry-run\n\nNhận dạng loại bảng từ dòng tiêu đề (tiếng Việt có/không dấu hoặc tiếng Anh): số liệu thu hồi, kết luận (kèm trang tính kiến nghị), quyết định kỷ luật.\nRecognises the table from its header row (Vietnamese or English): recoveries, conclusions (with a recommendations sheet), decisions.\n\n".to_string() + EXIT_HELP)]
    Import(ImportArgs),
    /// Tạo cặp khóa ký (minisign) / make a signing key pair (minisign)
    #[command(after_help = "Ví dụ / examples:\n  congkhai keygen --out ~/khoa-congkhai\n  CONGKHAI_KEY_PASSWORD=… congkhai keygen --out ~/khoa --password-env CONGKHAI_KEY_PASSWORD\n\nChép dòng thứ hai của congkhai.pub vào congkhai.toml: [signing] public_key = \"RW…\"; khi dựng đặt CONGKHAI_SIGNING_KEY=/duong/toi/congkhai.key.\nCopy the second line of congkhai.pub into congkhai.toml: [signing] public_key = \"RW…\"; when building set CONGKHAI_SIGNING_KEY=/path/to/congkhai.key.\n\n".to_string() + EXIT_HELP)]
    Keygen(KeygenArgs),
    /// Kiểm tra một bản sao có đúng bản đã công bố / check that a copy is what was published
    #[command(after_help = "Ví dụ / examples:\n  congkhai verify ban-sao --key congkhai.pub\n  congkhai verify ban-sao --extends changes-cu.jsonl\n  minisign -Vm ban-sao/SHA256SUMS -p congkhai.pub\n\nMã thoát / exit codes: 0 khớp / verified, 1 có sai khác / problems found, 2 sai cách dùng / usage error.".to_string())]
    Verify(VerifyArgs),
    /// Dựng và xem thử trên máy, tự tải lại khi sửa / build and preview locally with live reload
    #[command(after_help = "Ví dụ / examples:\n  congkhai serve\n  congkhai serve duong/toi/cong --port 8080 --open\n\nChỉ nghe trên 127.0.0.1. Khi nội dung có lỗi, trình duyệt hiện lỗi và vẫn giữ bản dựng tốt gần nhất.\nListens on 127.0.0.1 only. A broken edit shows its errors in the browser; the last good build stays served.\n\n".to_string() + EXIT_HELP)]
    Serve(ServeArgs),
    /// Công bố đầu ra đã dựng lên một thư mục hoặc kho S3 / publish the built output to a folder or S3 storage
    #[command(after_help = "Ví dụ / examples:\n  congkhai deploy /var/www/congkhai\n  congkhai deploy public s3://cong-khai/ban-chinh --dry-run\n  AWS_ENDPOINT_URL=https://s3.example.vn AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=… congkhai deploy s3://cong-khai\n\nChỉ gửi tệp mới hoặc đã đổi; tài nguyên trước, rồi trang, dữ liệu, cuối cùng là bản kê SHA256SUMS và chữ ký; xoá tệp cũ sau cùng. Bị ngắt giữa chừng thì chạy lại để tiếp tục.\nSends only new or changed files; assets first, then pages, data, and the SHA256SUMS manifest and signature last; stale files are removed after that. If interrupted, run again to resume.\n\n".to_string() + EXIT_HELP)]
    Deploy(DeployArgs),
}

#[derive(Args, Debug)]
pub struct DeployArgs {
    /// [DIR] TARGET: DIR là đầu ra đã dựng hoặc thư mục của cổng (mặc định .); TARGET là thư mục hoặc s3://bucket/thu-muc / DIR is the built output or the portal's folder (default .); TARGET is a folder or s3://bucket/prefix
    #[arg(num_args = 1..=2, value_names = ["DIR", "TARGET"], required = true)]
    pub places: Vec<String>,
    /// In kế hoạch (tệp sẽ gửi, giữ, xoá), không gửi gì / print the plan (files to send, keep, remove), send nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Args, Debug)]
pub struct NewArgs {
    /// Thư mục mới (phải trống hoặc chưa có) / the new folder (empty or absent)
    pub dir: PathBuf,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Thư mục của cổng / the portal's folder
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Cổng mạng / port
    #[arg(long, short, default_value_t = 1111)]
    pub port: u16,
    /// Mở trình duyệt / open a browser
    #[arg(long)]
    pub open: bool,
    #[command(flatten)]
    pub as_of: AsOfArg,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// Tệp .xlsx hoặc .csv / the .xlsx or .csv file
    pub file: PathBuf,
    /// Thư mục của cổng / the portal's folder
    #[arg(long, default_value = ".")]
    pub site: PathBuf,
    /// Chỉ in những gì sẽ thêm, sửa, giữ; không ghi gì / print what would be added, changed and kept; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Cho phép bảng xóa khỏi bản ghi đã có những gì bảng không có (kiến nghị, tiến độ, trường) / let the sheet remove from existing records what it does not have
    #[arg(long)]
    pub replace: bool,
    #[command(flatten)]
    pub as_of: AsOfArg,
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    /// Thư mục của cổng / the portal's folder
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Thư mục đầu ra (mặc định THƯ_MỤC/public) / output folder (default DIR/public)
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Bản công bố trước để so sánh và nối nhật ký thay đổi (mặc định: đầu ra cũ) / the previous publication to compare with and whose change log to extend (default: the output being replaced)
    #[arg(long, value_name = "DIR")]
    pub previous: Option<PathBuf>,
    #[command(flatten)]
    pub as_of: AsOfArg,
}

#[derive(Args, Debug)]
pub struct KeygenArgs {
    /// Thư mục ghi congkhai.pub và congkhai.key (ngoài thư mục cổng) / where to write congkhai.pub and congkhai.key (outside the site folder)
    #[arg(long, default_value = ".")]
    pub out: PathBuf,
    /// Tên biến môi trường chứa mật khẩu bảo vệ khóa bí mật; không có thì khóa không mật khẩu (cho máy dựng tự động) / the environment variable holding a password for the secret key; without it the key has none (for unattended builds)
    #[arg(long, value_name = "VAR")]
    pub password_env: Option<String>,
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// Thư mục bản sao cần kiểm tra / the copy to verify
    #[arg(default_value = "public")]
    pub dir: PathBuf,
    /// Khóa công khai tin cậy: dòng RW… hoặc tệp .pub (mặc định: khóa trong bản sao) / the public key to trust: an RW… line or a .pub file (default: the key in the copy)
    #[arg(long)]
    pub key: Option<String>,
    /// Bản nhật ký thay đổi cũ đã lưu: kiểm tra bản mới chỉ nối thêm / an older saved copy of the change log: check that the new one only extends it
    #[arg(long, value_name = "OLD_LOG")]
    pub extends: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Thư mục của cổng / the portal's folder
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    #[command(flatten)]
    pub as_of: AsOfArg,
    /// Định dạng kết quả / output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Args, Debug, Clone)]
pub struct AsOfArg {
    /// Ngày lập dữ liệu (YYYY-MM-DD); mặc định SOURCE_DATE_EPOCH hoặc hôm nay.
    /// The as-of date; defaults to SOURCE_DATE_EPOCH, else today.
    #[arg(long = "as-of", value_name = "DATE", value_parser = parse_as_of)]
    pub date: Option<NaiveDate>,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Khối dễ đọc, có trích dòng lỗi / readable blocks with the source line
    Human,
    /// Một đối tượng JSON mỗi chẩn đoán / one JSON object per diagnostic
    Json,
}

fn parse_as_of(s: &str) -> Result<NaiveDate, String> {
    model::read::parse_date(s).map_err(|m| format!("{} / {}", m.vi, m.en))
}

impl AsOfArg {
    /// `--as-of`, else `SOURCE_DATE_EPOCH` (for reproducible builds), else today.
    pub fn resolve(&self) -> Result<NaiveDate, String> {
        if let Some(d) = self.date {
            return Ok(d);
        }
        if let Some(epoch) = std::env::var_os("SOURCE_DATE_EPOCH") {
            let text = epoch.to_string_lossy();
            let secs: i64 = text.trim().parse().map_err(|_| {
                format!("SOURCE_DATE_EPOCH không phải số giây / SOURCE_DATE_EPOCH is not a number of seconds: {text}")
            })?;
            return chrono::DateTime::from_timestamp(secs, 0)
                .map(|d| d.date_naive())
                .ok_or_else(|| format!("SOURCE_DATE_EPOCH ngoài phạm vi / out of range: {text}"));
        }
        Ok(chrono::Local::now().date_naive())
    }
}

/// How much to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let verbosity = if cli.quiet {
        Verbosity::Quiet
    } else if cli.verbose {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
    };
    match cli.command {
        Command::Check(args) => check(&args, verbosity),
        Command::Build(args) => build(&args, verbosity),
        Command::Import(args) => import(&args, verbosity),
        Command::New(args) => new(&args, verbosity),
        Command::Serve(args) => serve(&args, verbosity),
        Command::Keygen(args) => proof::keygen(&args, verbosity),
        Command::Verify(args) => proof::verify(&args),
        Command::Deploy(args) => deploy(&args, verbosity),
    }
}

fn usage_error(text: &str) -> ExitCode {
    eprintln!("lỗi / error: {text}");
    ExitCode::from(2)
}

/// The as-of date of a command that works on the site folder `dir`, or the
/// usage error that stops it (a malformed date, a folder that is not there).
fn as_of_in(as_of: &AsOfArg, dir: &Path) -> Result<NaiveDate, ExitCode> {
    let date = as_of.resolve().map_err(|e| usage_error(&e))?;
    if !dir.is_dir() {
        return Err(usage_error(&format!(
            "không có thư mục {} / no such folder",
            dir.display()
        )));
    }
    Ok(date)
}

/// Loads and models a site, as `check` and `build` both do first. The
/// conclusions and decisions are read by the model, one at a time.
pub fn load_and_check(dir: &Path, as_of: NaiveDate) -> (Site, Diagnostics) {
    model::build(&crate::load::load_records_later(dir), as_of)
}

fn check(args: &CheckArgs, verbosity: Verbosity) -> ExitCode {
    let as_of = match as_of_in(&args.as_of, &args.dir) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let started = Instant::now();
    let (site, diags) = load_and_check(&args.dir, as_of);
    let errors = diags.errors();
    let warnings = diags.warnings();
    let list = diags.sorted();
    match args.format {
        Format::Json => print_json(&list),
        Format::Human => {
            print_human(&list, verbosity);
            if verbosity != Verbosity::Quiet || errors > 0 {
                eprintln!(
                    "{}",
                    summary(&site, errors, warnings, started.elapsed().as_secs_f64())
                );
            }
        }
    }
    if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn system_error(vi: &str, en: &str) -> ExitCode {
    eprintln!("lỗi / error: {vi}\n              {en}");
    ExitCode::from(3)
}

/// Prints an error and what to do about it.
fn error_with_hint(vi: &str, en: &str, hint_vi: &str, hint_en: &str) {
    eprintln!(
        "lỗi / error: {vi}\n              {en}\ngợi ý / help: {hint_vi}\n              {hint_en}"
    );
}

/// Reports why the output could not be written: a refused folder is a
/// usage error (exit 2) with what to do instead; anything else is the
/// machine's (exit 3).
fn write_error(e: &crate::write::WriteError) -> ExitCode {
    match e {
        crate::write::WriteError::Refused {
            vi,
            en,
            hint_vi,
            hint_en,
        } => {
            error_with_hint(vi, en, hint_vi, hint_en);
            ExitCode::from(2)
        }
        crate::write::WriteError::System { vi, en } => system_error(vi, en),
    }
}

/// Reports a build that stopped while writing its output, removes what it
/// had written (at a million records that takes minutes, so it is said)
/// and says that the previous output is as it was.
fn unfinished(
    failure: crate::produce::Failure,
    staging: crate::write::Staging,
    verbosity: Verbosity,
) -> ExitCode {
    use crate::produce::Failure;
    let code = match failure {
        Failure::Content(d) => {
            print_human(&[*d], verbosity);
            ExitCode::from(1)
        }
        Failure::System(e) => system_error(
            &format!("không dựng được: {e}"),
            &format!("cannot build: {e}"),
        ),
        Failure::Full(e) => {
            error_with_hint(
                &format!("không dựng được, ổ đĩa đã đầy: {e}"),
                &format!("cannot build, the disk is full: {e}"),
                "Giải phóng chỗ trống trên ổ chứa đầu ra, hoặc dựng vào ổ khác bằng `--out`",
                "Free some space on the disk that holds the output, or build onto another disk with `--out`",
            );
            ExitCode::from(3)
        }
    };
    if verbosity != Verbosity::Quiet {
        eprintln!("Đang xoá phần đã ghi dở… / removing what was written so far…");
    }
    drop(staging);
    eprintln!("Đầu ra cũ được giữ nguyên.\nThe previous output is unchanged.");
    code
}

fn build(args: &BuildArgs, verbosity: Verbosity) -> ExitCode {
    let as_of = match as_of_in(&args.as_of, &args.dir) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let started = Instant::now();
    let mut timer = crate::site::timer::Timer::new();
    let (site, diags) = load_and_check(&args.dir, as_of);
    timer.lap("load and model");
    let mut theme_diags = Vec::new();
    let files = crate::render::theme::files(&args.dir, &site.config.theme, &mut theme_diags);
    let mut all = diags;
    all.extend(theme_diags);
    let (errors, warnings) = (all.errors(), all.warnings());
    print_human(&all.sorted(), verbosity);
    if errors > 0 {
        eprintln!(
            "{}",
            summary(&site, errors, warnings, started.elapsed().as_secs_f64())
        );
        eprintln!(
            "Không dựng trang vì nội dung có lỗi; đầu ra cũ được giữ nguyên.\nNothing was built because the content has errors; the previous output is unchanged."
        );
        return ExitCode::from(1);
    }
    let signer = match proof::signer(site.config.signing_key.as_deref(), &args.dir) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let out = args.out.clone().unwrap_or_else(|| args.dir.join("public"));
    let urls = crate::render::urls::Urls::new(&site.config.base_url);
    let staging = match crate::write::Staging::begin(&args.dir, &out) {
        Ok(s) => s,
        Err(e) => return write_error(&e),
    };
    let previous = match proof::previous(args.previous.as_deref(), staging.previous_output(), as_of)
    {
        Ok(p) => p,
        Err(code) => return code,
    };
    timer.lap("previous publication");
    if verbosity != Verbosity::Quiet {
        for note in &staging.notes {
            eprintln!("lưu ý / note: {note}");
        }
    }
    let progress = Progress::new(verbosity);
    let sink = progress.wrap(&staging);
    let history = crate::produce::History {
        previous,
        signer: signer.as_ref(),
    };
    let report = crate::produce::build(&site, &files, &urls, &sink, history);
    progress.finish();
    let report = match report {
        Ok(r) => r,
        Err(failure) => return unfinished(failure, staging, verbosity),
    };
    if verbosity == Verbosity::Verbose {
        let index = report.search;
        eprintln!(
            "Tìm kiếm / search: {} hồ sơ / records, {} phân mảnh / shards (độ sâu / depth {}), {} KB chỉ mục / index, {} KB tổng / total",
            index.records,
            index.shards,
            index.depth,
            index.index_bytes / 1024,
            index.total_bytes / 1024
        );
    }
    timer.lap("produce");
    let target = staging.target().to_path_buf();
    let (written, kept) = staging.written_and_kept();
    let cleanup = match staging.commit() {
        Ok(c) => c,
        Err(e) => return write_error(&e),
    };
    timer.lap("commit");
    if verbosity != Verbosity::Quiet {
        let secs = started.elapsed().as_secs_f64();
        let mb = report.bytes as f64 / 1_048_576.0;
        let shown = target.display();
        eprintln!(
            "Đã dựng {} trang ({} tệp, {mb:.1} MB) từ {} hồ sơ vào {shown} trong {secs:.2} giây; {warnings} cảnh báo, số liệu tính đến {as_of}.\n\
             Built {} ({}, {mb:.1} MB) from {} into {shown} in {secs:.2} s; {}, as of {as_of}.",
            report.pages,
            report.files,
            site.record_count(),
            plural(report.pages, "page", "pages"),
            plural(report.files, "file", "files"),
            plural(site.record_count(), "record", "records"),
            plural(warnings, "warning", "warnings"),
        );
        if kept > 0 {
            eprintln!(
                "Ghi {written} tệp; {kept} tệp không đổi được giữ nguyên từ lần dựng trước.\n\
                 Wrote {}; kept {} unchanged from the previous build.",
                plural(written, "file", "files"),
                plural(kept, "file", "files"),
            );
        }
        eprintln!("{}", next_steps(&args.dir, &target));
    }
    cleanup.wait();
    timer.lap("remove the previous output");
    // The process ends here and the system takes its memory back at once;
    // freeing the model piece by piece first took 96 ms at 100 000 records.
    std::mem::forget(site);
    ExitCode::SUCCESS
}

fn deploy(args: &DeployArgs, verbosity: Verbosity) -> ExitCode {
    use crate::deploy::{Destination, Output};
    let (dir, target) = match args.places.as_slice() {
        [target] => (".", target.as_str()),
        [dir, target] => (dir.as_str(), target.as_str()),
        _ => return usage_error("cần TARGET / TARGET is required"),
    };
    let started = Instant::now();
    let prepared = Output::find(Path::new(dir))
        .and_then(Output::open)
        .and_then(|o| Destination::parse(target).map(|d| (o, d)));
    let (output, destination) = match prepared {
        Ok(p) => p,
        Err(e) => return write_error(&e),
    };
    let bar = Progress::bytes(verbosity);
    let done = match &destination {
        Destination::Folder(path) => crate::deploy::folder::deploy(&output, path, args.dry_run),
        Destination::Bucket { bucket, prefix } => {
            let to = crate::deploy::s3::Bucket {
                bucket,
                prefix,
                place: target,
            };
            crate::deploy::s3::deploy(&output, &to, args.dry_run, &|p| bar.deploy(p))
        }
    };
    bar.finish();
    let report = match done {
        Ok(r) => r,
        Err(e) => return write_error(&e),
    };
    if args.dry_run && verbosity != Verbosity::Quiet {
        for line in &report.plan {
            println!("{line}");
        }
    }
    if args.dry_run || verbosity != Verbosity::Quiet {
        let secs = started.elapsed().as_secs_f64();
        eprintln!("{}", deploy_summary(&report, target, args.dry_run, secs));
    }
    ExitCode::SUCCESS
}

/// What a deploy did, or with `--dry-run` would do, in both languages.
fn deploy_summary(r: &crate::deploy::Report, target: &str, dry_run: bool, secs: f64) -> String {
    let mb = r.uploaded_bytes as f64 / 1_048_576.0;
    let (sent, stale) = (
        plural(r.uploaded, "file", "files"),
        plural(r.deleted, "stale file", "stale files"),
    );
    let (n, kept, gone) = (r.uploaded, r.unchanged, r.deleted);
    if dry_run {
        format!(
            "--dry-run: sẽ gửi {n} tệp ({mb:.1} MB), giữ {kept} tệp không đổi, xoá {gone} tệp cũ ở {target}; chưa gửi gì.\n\
             --dry-run: would send {sent} ({mb:.1} MB), keep {kept} unchanged and remove {stale} at {target}; nothing was sent."
        )
    } else {
        format!(
            "Đã công bố lên {target}: gửi {n} tệp ({mb:.1} MB), giữ {kept} tệp không đổi, xoá {gone} tệp cũ, trong {secs:.2} giây.\n\
             Published to {target}: sent {sent} ({mb:.1} MB), kept {kept} unchanged, removed {stale}, in {secs:.2} s."
        )
    }
}

fn new(args: &NewArgs, verbosity: Verbosity) -> ExitCode {
    match crate::scaffold::create(&args.dir) {
        Ok(files) => {
            if verbosity != Verbosity::Quiet {
                for f in &files {
                    eprintln!("  {}", f.display());
                }
                let d = args.dir.display();
                eprintln!(
                    "Đã tạo cổng mới trong {d}. Tiếp theo: cd {d} && congkhai serve\nCreated a new portal in {d}. Next: cd {d} && congkhai serve"
                );
            }
            ExitCode::SUCCESS
        }
        Err(crate::scaffold::Error::NotEmpty) => usage_error(&format!(
            "thư mục {} đã có nội dung; chọn thư mục trống / {} is not empty; choose an empty folder",
            args.dir.display(),
            args.dir.display()
        )),
        Err(crate::scaffold::Error::Io(e)) => system_error(
            &format!("không tạo được: {e}"),
            &format!("cannot create: {e}"),
        ),
    }
}

fn serve(args: &ServeArgs, verbosity: Verbosity) -> ExitCode {
    let as_of = match as_of_in(&args.as_of, &args.dir) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let opts = crate::serve::Options {
        dir: args.dir.clone(),
        port: args.port,
        open: args.open,
        as_of,
        quiet: verbosity == Verbosity::Quiet,
    };
    match crate::serve::run(&opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lỗi / error: {e}");
            ExitCode::from(3)
        }
    }
}

fn import(args: &ImportArgs, verbosity: Verbosity) -> ExitCode {
    let as_of = match args.as_of.resolve() {
        Ok(d) => d,
        Err(e) => return usage_error(&e),
    };
    if !args.file.is_file() {
        return usage_error(&format!(
            "không có tệp {} / no such file",
            args.file.display()
        ));
    }
    if !args.site.join("congkhai.toml").is_file() {
        return usage_error(&format!(
            "{} không phải thư mục của một cổng (thiếu congkhai.toml); dùng --site / is not a portal folder (no congkhai.toml); use --site",
            args.site.display()
        ));
    }
    let options = crate::import::Options {
        replace: args.replace,
    };
    let plan = crate::import::plan(&args.site, &args.file, as_of, options);
    let errors = plan.errors();
    print_human(&plan.diagnostics, verbosity);
    if verbosity != Verbosity::Quiet || errors > 0 {
        eprint!("{}", plan.describe());
    }
    if errors > 0 {
        eprintln!(
            "{} lỗi; không ghi tệp nào. / {}; nothing was written.",
            errors,
            plural(errors, "error", "errors")
        );
        return ExitCode::from(1);
    }
    if plan.files.is_empty() {
        eprintln!(
            "Bảng không có dòng dữ liệu nào; không ghi tệp nào. / The table has no data rows; nothing was written."
        );
        return ExitCode::from(1);
    }
    let writes = plan.writes().count();
    let unchanged = plan.files.len() - writes;
    if args.dry_run {
        eprintln!(
            "--dry-run: sẽ ghi {writes} tệp, {unchanged} tệp không đổi; chưa ghi gì. / would write {}, {unchanged} unchanged; nothing was written.",
            plural(writes, "file", "files")
        );
        return ExitCode::SUCCESS;
    }
    match crate::import::apply(&args.site, &plan) {
        Ok(n) => {
            if verbosity != Verbosity::Quiet {
                eprintln!(
                    "Đã ghi {n} tệp ({unchanged} không đổi); chạy `congkhai build` để cập nhật cổng. / Wrote {} ({unchanged} unchanged); run `congkhai build` to update the portal.",
                    plural(n, "file", "files")
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => system_error(
            &format!("không ghi được: {e}"),
            &format!("cannot write: {e}"),
        ),
    }
}

/// What to do after a build: preview it, then publish it.
fn next_steps(dir: &std::path::Path, out: &std::path::Path) -> String {
    let dir = dir.display();
    let out = out.display();
    format!(
        "Tiếp theo: xem thử bằng `congkhai serve {dir}` (http://127.0.0.1:1111, tự dựng lại khi sửa); công bố bằng `congkhai deploy {out} s3://BUCKET/THƯ_MỤC` hoặc `congkhai deploy {out} THƯ_MỤC_WEB` (chỉ gửi tệp đã đổi), hay chép nguyên thư mục lên máy chủ web (docs/huong-dan.md §8).\n\
         Next: preview with `congkhai serve {dir}` (http://127.0.0.1:1111, rebuilt on every edit); publish with `congkhai deploy {out} s3://BUCKET/PREFIX` or `congkhai deploy {out} WEB_FOLDER` (sends only changed files), or copy the whole folder to any static web server (docs/huong-dan.md §8)."
    )
}

/// `1 file`, `2 files`.
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A progress bar on a terminal for builds that take a while.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    fn new(verbosity: Verbosity) -> Self {
        let show =
            verbosity != Verbosity::Quiet && std::io::IsTerminal::is_terminal(&std::io::stderr());
        let bar = show.then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} {pos} tệp / files {per_sec} {elapsed}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            bar
        });
        Self { bar }
    }

    /// A bar that fills with the bytes sent, for a deploy.
    fn bytes(verbosity: Verbosity) -> Self {
        let show =
            verbosity != Verbosity::Quiet && std::io::IsTerminal::is_terminal(&std::io::stderr());
        let bar = show.then(|| {
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:30} {bytes}/{total_bytes} {bytes_per_sec} {eta}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        });
        Self { bar }
    }

    fn deploy(&self, p: crate::deploy::s3::Progress) {
        if let Some(b) = &self.bar {
            match p {
                crate::deploy::s3::Progress::Planned(total) => b.set_length(total),
                crate::deploy::s3::Progress::Sent(n) => b.inc(n),
            }
        }
    }

    fn wrap<'a>(&'a self, inner: &'a dyn crate::write::Sink) -> Counting<'a> {
        Counting {
            inner,
            bar: self.bar.as_ref(),
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

/// A sink that advances the progress bar for every file.
struct Counting<'a> {
    inner: &'a dyn crate::write::Sink,
    bar: Option<&'a indicatif::ProgressBar>,
}

impl Counting<'_> {
    fn count(&self) {
        if let Some(b) = self.bar {
            b.inc(1);
        }
    }
}

impl crate::write::Sink for Counting<'_> {
    fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        self.inner.put(path, bytes)?;
        self.count();
        Ok(())
    }

    fn open(&self, path: &str) -> std::io::Result<Box<dyn crate::write::Stream + '_>> {
        let inner = self.inner.open(path)?;
        Ok(crate::write::Then::new(inner, |_| self.count()))
    }
}

pub fn print_human(list: &[Diagnostic], verbosity: Verbosity) {
    let colour = diag::use_colour(&std::io::stderr());
    let mut err = std::io::stderr().lock();
    for d in list {
        if verbosity == Verbosity::Quiet && !d.is_error() {
            continue;
        }
        let _ = writeln!(err, "{}\n", diag::render(d, colour));
    }
}

fn print_json(list: &[Diagnostic]) {
    let mut out = std::io::stdout().lock();
    for d in list {
        if let Ok(line) = serde_json::to_string(d) {
            let _ = writeln!(out, "{line}");
        }
    }
}

/// One line per language: what was checked and what was found.
pub fn summary(site: &Site, errors: usize, warnings: usize, secs: f64) -> String {
    let recs: usize = site
        .conclusions
        .iter()
        .map(|c| c.recommendations.len())
        .sum();
    let periods: std::collections::BTreeSet<_> = site.recoveries.iter().map(|r| r.period).collect();
    format!(
        "Đã kiểm tra {} kết luận ({recs} kiến nghị), {} quyết định kỷ luật, {} dòng số liệu thu hồi ({} kỳ), {} trang, {} cơ quan: {errors} lỗi, {warnings} cảnh báo ({secs:.2} giây).\n\
         Checked {} ({}), {}, {} ({}), {}, {}: {}, {} ({secs:.2} s).",
        site.conclusions.len(),
        site.decisions.len(),
        site.recoveries.len(),
        periods.len(),
        site.pages.len(),
        site.agencies.len(),
        plural(site.conclusions.len(), "conclusion", "conclusions"),
        plural(recs, "recommendation", "recommendations"),
        plural(site.decisions.len(), "decision", "decisions"),
        plural(site.recoveries.len(), "recovery row", "recovery rows"),
        plural(periods.len(), "period", "periods"),
        plural(site.pages.len(), "page", "pages"),
        plural(site.agencies.len(), "agency", "agencies"),
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
    )
}
