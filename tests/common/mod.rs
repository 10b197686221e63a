//! Helpers shared by the integration tests: run the real binary on fixture folders.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_congkhai"));
    cmd.env_remove("SOURCE_DATE_EPOCH").env("NO_COLOR", "1");
    cmd
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run congkhai")
}

/// `congkhai build SITE --out OUT --as-of DATE`, ready to run or spawn.
pub fn build_command(site: &Path, out: &Path, as_of: &str) -> Command {
    let mut cmd = bin();
    cmd.args([
        "build",
        site.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--as-of",
        as_of,
    ]);
    cmd
}

/// Runs `congkhai build SITE --out OUT --as-of DATE`.
pub fn build(site: &Path, out: &Path, as_of: &str) -> Output {
    build_command(site, out, as_of)
        .output()
        .expect("run congkhai")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

// Not every test file copies a folder.
#[allow(unused_imports)]
pub use congkhai_testkit::copy_dir;

/// Every file under `dir` with its bytes, in a stable order.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            out.push((
                entry.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(entry.path()).unwrap(),
            ));
        }
    }
    out
}

/// How many records of a kind the content of `site` holds: its `.md` files
/// under `content/<folder>/`. Tests count from the content they build, so
/// that editing the sample never breaks them.
pub fn records_in(site: &Path, folder: &str) -> usize {
    walkdir::WalkDir::new(site.join("content").join(folder))
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .count()
}

/// How many recommendations the conclusions of `site` hold: the list items
/// of their `recommendations:` key (`  - id:` lines).
pub fn recommendations_in(site: &Path) -> usize {
    walkdir::WalkDir::new(site.join("content/conclusions"))
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            std::fs::read_to_string(e.path())
                .unwrap()
                .lines()
                .filter(|l| l.trim_start().starts_with("- id:") && l.starts_with("  -"))
                .count()
        })
        .sum()
}

/// The rows of an open-data JSON file (`{"license": …, "rows": [...]}`).
pub fn data_rows(out: &Path, name: &str) -> Vec<serde_json::Value> {
    let file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join(format!("data/{name}.json"))).unwrap())
            .unwrap();
    file["rows"].as_array().expect("a rows array").clone()
}
