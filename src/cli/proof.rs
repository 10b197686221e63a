//! The commands and steps that make a publication provable: `keygen`,
//! `verify`, and what `build` reads before it renders (the signing key, the
//! previous output whose change log it extends).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{KeygenArgs, Verbosity, VerifyArgs};
use crate::published::sign::{self, KeyError, Signer};
use crate::published::verify::{self, Options};
use crate::published::{Previous, read_previous};

/// Prints a key problem with its hint; exit 1 (the site's configuration or
/// the key given to it is wrong).
fn key_error(e: &KeyError) -> ExitCode {
    eprintln!("lỗi / error: {}\n             {}", e.vi, e.en);
    eprintln!("gợi ý / hint: {}\n              {}", e.hint_vi, e.hint_en);
    ExitCode::from(1)
}

/// The signer of a build, or the exit code that stops it.
pub fn signer(public_key: Option<&str>, site: &Path) -> Result<Option<Signer>, ExitCode> {
    sign::signer(public_key, site).map_err(|e| key_error(&e))
}

/// What the previous publication held: the folder given with `--previous`,
/// else the output this build replaces.
pub fn previous(
    given: Option<&Path>,
    replaced: Option<&Path>,
    as_of: chrono::NaiveDate,
) -> Result<Previous, ExitCode> {
    if let Some(dir) = given
        && !dir.is_dir()
    {
        return Err(super::usage_error(&format!(
            "--previous: không có thư mục {} / no such folder",
            dir.display()
        )));
    }
    let Some(dir) = given.or(replaced) else {
        return Ok(Previous::default());
    };
    let previous = read_previous(dir).map_err(|e| {
        eprintln!(
            "lỗi / error: bản công bố trước không dùng được / the previous publication cannot be used\n  {e}"
        );
        eprintln!(
            "gợi ý / hint: nhật ký thay đổi chỉ được nối tiếp từ một bản nguyên vẹn; hãy chỉ --previous tới bản sao đúng của trang đang công bố.\n              the change log is only extended from an intact copy; point --previous at a true copy of the live site."
        );
        ExitCode::from(1)
    })?;
    if let Err(e) = crate::published::in_order(&previous, as_of) {
        eprintln!("lỗi / error: {}\n             {}", e.vi, e.en);
        eprintln!(
            "gợi ý / hint: nhật ký của {} đi tiếp theo thời gian; để thử với ngày cũ hơn, dựng vào thư mục khác (--out).\n              the log in {} runs forward in time; to try an earlier date, build into another folder (--out).",
            dir.display(),
            dir.display()
        );
        return Err(ExitCode::from(1));
    }
    Ok(previous)
}

pub fn keygen(args: &KeygenArgs, verbosity: Verbosity) -> ExitCode {
    let password = match &args.password_env {
        None => None,
        Some(var) => match std::env::var(var) {
            Ok(p) if !p.is_empty() => Some(p),
            _ => {
                return super::usage_error(&format!(
                    "biến {var} trống hoặc chưa đặt / the variable {var} is empty or unset"
                ));
            }
        },
    };
    match sign::keygen(&args.out, password) {
        Err(e) => key_error(&e),
        Ok((pub_path, line)) => {
            if verbosity != Verbosity::Quiet {
                let key = args.out.join("congkhai.key");
                eprintln!(
                    "Đã tạo {} và {}.\nCreated {} and {}.\n\n\
                     1. Thêm vào congkhai.toml / add to congkhai.toml:\n   [signing]\n   public_key = \"{line}\"\n\
                     2. Giữ {} ngoài thư mục cổng, không đưa vào git / keep it outside the site folder, never in git.\n\
                     3. Khi dựng / when building: CONGKHAI_SIGNING_KEY={} congkhai build",
                    pub_path.display(),
                    key.display(),
                    pub_path.display(),
                    key.display(),
                    key.display(),
                    key.display(),
                );
            }
            println!("{line}");
            ExitCode::SUCCESS
        }
    }
}

fn read_text(what: &str, path: &Path) -> Result<String, ExitCode> {
    std::fs::read_to_string(path).map_err(|e| {
        super::usage_error(&format!(
            "{what}: không đọc được {} / cannot read it: {e}",
            path.display()
        ))
    })
}

pub fn verify(args: &VerifyArgs) -> ExitCode {
    if !args.dir.is_dir() {
        return super::usage_error(&format!(
            "không có thư mục {} / no such folder",
            args.dir.display()
        ));
    }
    let key = match &args.key {
        Some(k) if Path::new(k).is_file() => match read_text("--key", &PathBuf::from(k)) {
            Ok(t) => Some(t),
            Err(code) => return code,
        },
        other => other.clone(),
    };
    let extends = match &args.extends {
        Some(p) => match read_text("--extends", p) {
            Ok(t) => Some(t),
            Err(code) => return code,
        },
        None => None,
    };
    let found = verify::verify(&args.dir, &Options { key, extends });
    for (vi, en) in &found.notes {
        eprintln!("ok: {vi}\n    {en}");
    }
    for (vi, en) in &found.problems {
        eprintln!("SAI / FAILED: {vi}\n              {en}");
    }
    if found.problems.is_empty() {
        eprintln!(
            "Bản sao khớp bản đã công bố: {} tệp đúng mã băm.\nThe copy is what was published; files matching their hashes: {}.",
            found.checked, found.checked
        );
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "{} sai khác; {} tệp đúng mã băm.\nProblems: {}; files matching their hashes: {}.",
            found.problems.len(),
            found.checked,
            found.problems.len(),
            found.checked
        );
        ExitCode::from(1)
    }
}
