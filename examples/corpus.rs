//! Generates a synthetic portal of N records for benchmarks, in the content
//! format of DESIGN.md: 40 % conclusions (3 recommendations each), 60 %
//! decisions, 120 agencies, quarterly recovery files, three pages. The text
//! is drawn from the source documents in `../shared/seeds/`. The same N and
//! seed always give the same files.
//!
//! ```sh
//! cargo run --release --example corpus -- 10000 /tmp/corpus-10k [--seed 1]
//! ```

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{Datelike, Duration, NaiveDate};
use congkhai::model::law;
use congkhai::model::privacy;
use congkhai::model::vocab::{Penalty, Role, Sector, Vocab};
use rand::rngs::ChaCha8Rng;
use rand::seq::IndexedRandom;
use rand::{RngExt, SeedableRng};

const AS_OF: (i32, u32, u32) = (2026, 11, 23);

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// Sentences of the seeds that are safe to publish (no digits that the
/// privacy lint could take for an identifier) and of a readable length.
fn sentences(seeds: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(seeds)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for s in flat.split_inclusive(['.', ';']) {
            let s = s
                .trim()
                .trim_start_matches(['-', '*', '#', '+', '•', ' '])
                .trim();
            let clean = s.chars().all(|c| {
                !c.is_control()
                    && !matches!(
                        c,
                        '*' | '#' | '<' | '>' | '|' | '_' | '`' | '[' | ']' | '"' | '\\'
                    )
            });
            if (60..400).contains(&s.len())
                && clean
                && privacy::scan(s).is_empty()
                && s.chars().next().is_some_and(char::is_uppercase)
            {
                out.push(s.to_string());
            }
        }
    }
    if out.is_empty() {
        out.push("Thanh tra tỉnh đã tiến hành thanh tra theo kế hoạch được phê duyệt và kết luận như sau.".into());
    }
    out
}

const SURNAMES: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý", "Hồ",
    "Mai", "Trịnh", "Đinh", "Phan", "Tạ", "Lưu", "Cao",
];
const MIDDLE: &[&str] = &["Văn", "Thị", "Minh", "Quang", "Đức", "Thanh", "Hữu", "Ngọc"];
const LETTERS: &[&str] = &[
    "A", "B", "C", "D", "E", "G", "H", "K", "L", "M", "N", "P", "Q", "R", "S", "T", "U", "V", "X",
    "Y",
];
const PLACES: &[&str] = &[
    "An", "Bình", "Tân", "Phú", "Hòa", "Sơn", "Đông", "Tây", "Nam", "Bắc", "Hưng", "Thịnh",
    "Phong", "Lạc", "Yên", "Long", "Thuận", "Mỹ", "Trung", "Hải",
];
const DEPARTMENTS: &[(&str, &str)] = &[
    ("so-tai-chinh", "Sở Tài chính"),
    ("so-xay-dung", "Sở Xây dựng"),
    ("so-y-te", "Sở Y tế"),
    ("so-giao-duc", "Sở Giáo dục và Đào tạo"),
    ("so-nong-nghiep", "Sở Nông nghiệp và Môi trường"),
    ("so-cong-thuong", "Sở Công thương"),
    ("so-noi-vu", "Sở Nội vụ"),
    ("so-tu-phap", "Sở Tư pháp"),
    ("so-van-hoa", "Sở Văn hóa, Thể thao và Du lịch"),
    ("so-khoa-hoc", "Sở Khoa học và Công nghệ"),
    ("ban-qlda", "Ban Quản lý dự án đầu tư xây dựng tỉnh"),
    ("bhxh-tinh", "Bảo hiểm xã hội tỉnh"),
];

struct Agency {
    id: String,
    name: String,
    kind: &'static str,
}

fn agencies() -> Vec<Agency> {
    let mut out = vec![
        Agency {
            id: "ubnd-tinh".into(),
            name: "Ủy ban nhân dân tỉnh".into(),
            kind: "people_committee",
        },
        Agency {
            id: "tinh-uy".into(),
            name: "Tỉnh ủy".into(),
            kind: "party_committee",
        },
        Agency {
            id: "ubkt-tinh-uy".into(),
            name: "Ủy ban Kiểm tra Tỉnh ủy".into(),
            kind: "inspection_committee",
        },
        Agency {
            id: "thanh-tra-tinh".into(),
            name: "Thanh tra tỉnh".into(),
            kind: "inspectorate",
        },
    ];
    out.extend(DEPARTMENTS.iter().map(|(id, name)| Agency {
        id: (*id).into(),
        name: (*name).into(),
        kind: "department",
    }));
    let mut n = 0;
    'outer: for a in PLACES {
        for b in PLACES {
            if a == b {
                continue;
            }
            let kind = if n % 3 == 0 { "phường" } else { "xã" };
            out.push(Agency {
                id: format!(
                    "ubnd-{}-{}",
                    if kind == "xã" { "xa" } else { "phuong" },
                    congkhai::model::id::slug(&format!("{a} {b}"))
                ),
                name: format!("UBND {kind} {a} {b}"),
                kind: "commune",
            });
            n += 1;
            if out.len() >= 120 {
                break 'outer;
            }
        }
    }
    out
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, v: &'a [T]) -> &'a T {
    v.choose(rng).expect("non-empty")
}

fn paragraph(rng: &mut ChaCha8Rng, s: &[String], n: usize) -> String {
    (0..n)
        .map(|_| pick(rng, s).as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn date_between(rng: &mut ChaCha8Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days().max(1);
    from + Duration::days(rng.random_range(0..span))
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(n), Some(out)) = (
        args.first().and_then(|a| a.parse::<usize>().ok()),
        args.get(1),
    ) else {
        eprintln!("usage: corpus N OUTDIR [--seed S]");
        std::process::exit(2);
    };
    let seed = args
        .iter()
        .position(|a| a == "--seed")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let root = PathBuf::from(out);
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let text = sentences(&seeds);
    for dir in ["conclusions", "decisions", "recoveries", "pages"] {
        std::fs::create_dir_all(root.join("content").join(dir))?;
    }
    std::fs::write(
        root.join("congkhai.toml"),
        "title = \"Cổng công khai (dữ liệu thử hiệu năng)\"\nbase_url = \"https://bench.example.gov.vn\"\n\n[publication]\nmax_days_after_signing = 30\n",
    )?;
    let agencies = agencies();
    let mut yaml = String::new();
    for a in &agencies {
        let _ = writeln!(
            yaml,
            "- id: {}\n  name: {}\n  kind: {}",
            a.id,
            quote(&a.name),
            a.kind
        );
    }
    std::fs::write(root.join("content/agencies.yaml"), yaml)?;
    let as_of = day(AS_OF.0, AS_OF.1, AS_OF.2);
    let start = day(2021, 1, 1);
    let n_conclusions = n * 2 / 5;
    let sectors: Vec<&str> = Sector::ALL.iter().map(|s| s.id()).collect();
    let mut conclusions: Vec<(String, NaiveDate)> = Vec::with_capacity(n_conclusions);
    let mut numbers: std::collections::HashMap<i32, u32> = Default::default();
    for i in 0..n_conclusions {
        let signed = date_between(&mut rng, start, as_of - Duration::days(20));
        let k = numbers.entry(signed.year()).or_default();
        *k += 1;
        let id = format!("kl-{}-{:06}", signed.year(), i);
        let inspected = &pick(&mut rng, &agencies[4..]).id;
        let mut f = String::new();
        let _ = writeln!(
            f,
            "---\nnumber: \"{}/KL-TTr\"\ntitle: {}",
            k,
            quote(&format!(
                "Kết luận thanh tra {} tại {}",
                paragraph(&mut rng, &text, 1)
                    .chars()
                    .take(90)
                    .collect::<String>()
                    .trim_end_matches(['.', ';', ','])
                    .to_lowercase(),
                agencies
                    .iter()
                    .find(|a| &a.id == inspected)
                    .map_or("", |a| a.name.as_str())
            ))
        );
        let _ = writeln!(
            f,
            "issued_by: thanh-tra-tinh\nsigned_on: {signed}\nsigned_by: \"Chánh Thanh tra tỉnh\"\npublished_on: {}\ninspected: {inspected}\nsector: {}\nkind: {}",
            signed + Duration::days(rng.random_range(1..9)),
            pick(&mut rng, &sectors),
            if rng.random_bool(0.8) {
                "planned"
            } else {
                "ad_hoc"
            }
        );
        f.push_str("recommendations:\n");
        for r in 1..=3 {
            let due = signed + Duration::days(rng.random_range(60..540));
            let (kind, amount) = match r {
                1 => (
                    "recover_money",
                    Some(rng.random_range(5..5000u64) * 1_000_000),
                ),
                2 => ("rectify", None),
                _ => (
                    *pick(
                        &mut rng,
                        &[
                            "discipline",
                            "refer_to_investigation",
                            "amend_policy",
                            "recover_land",
                        ],
                    ),
                    None,
                ),
            };
            let land = (kind == "recover_land").then(|| rng.random_range(50..9000u64));
            let _ = writeln!(
                f,
                "  - id: KN{r}\n    kind: {kind}\n    text: {}\n    responsible: {inspected}\n    due: {due}",
                quote(&paragraph(&mut rng, &text, 1))
            );
            if let Some(a) = amount {
                let _ = writeln!(f, "    amount_vnd: {a}");
            }
            if let Some(l) = land {
                let _ = writeln!(f, "    land_m2: {l}");
            }
            let first = signed + Duration::days(rng.random_range(10..60));
            if first < as_of && rng.random_bool(0.85) {
                f.push_str("    progress:\n");
                let _ = writeln!(f, "      - on: {first}\n        status: in_progress");
                if let Some(a) = amount {
                    let _ = writeln!(f, "        recovered_vnd: {}", a / 2);
                }
                if let Some(l) = land {
                    let _ = writeln!(f, "        recovered_land_m2: {}", l / 3);
                }
                let done = first + Duration::days(rng.random_range(10..500));
                if done < as_of && rng.random_bool(0.6) {
                    let _ = writeln!(
                        f,
                        "      - on: {done}\n        status: done\n        evidence: \"Báo cáo kết quả thực hiện ngày {}\"",
                        done.format("%d/%m/%Y")
                    );
                    if let Some(a) = amount {
                        let _ = writeln!(f, "        recovered_vnd: {a}");
                    }
                    if let Some(l) = land {
                        let _ = writeln!(f, "        recovered_land_m2: {l}");
                    }
                }
            }
        }
        f.push_str("---\n");
        for _ in 0..rng.random_range(2..5) {
            let sentences = rng.random_range(2..5);
            let _ = writeln!(f, "{}\n", paragraph(&mut rng, &text, sentences));
        }
        std::fs::write(root.join("content/conclusions").join(format!("{id}.md")), f)?;
        conclusions.push((id, signed));
    }
    let roles = [
        Role::PartyMember,
        Role::ProbationaryPartyMember,
        Role::PartyOrganization,
        Role::Cadre,
        Role::CivilServant,
        Role::PublicEmployee,
    ];
    let mut decision_numbers: std::collections::HashMap<(i32, bool), u32> = Default::default();
    for i in 0..(n - n_conclusions) {
        let decided = date_between(&mut rng, start, as_of - Duration::days(10));
        let role = *pick(&mut rng, &roles);
        let party = matches!(
            role,
            Role::PartyMember | Role::ProbationaryPartyMember | Role::PartyOrganization
        );
        let allowed = law::builtin().allowed_for(role, Some(false), decided);
        let p: Penalty = *pick(&mut rng, &allowed);
        let k = decision_numbers.entry((decided.year(), party)).or_default();
        *k += 1;
        let (number, authority) = if p == Penalty::Dissolution {
            (format!("{k}-QĐ/TU"), "tinh-uy")
        } else if party {
            (format!("{k}-QĐ/UBKTTU"), "ubkt-tinh-uy")
        } else {
            (format!("{k}/QĐ-UBND"), "ubnd-tinh")
        };
        let agency = &pick(&mut rng, &agencies[4..]).id;
        let name = if role == Role::PartyOrganization {
            format!(
                "Chi bộ {} {}",
                pick(&mut rng, PLACES),
                pick(&mut rng, PLACES)
            )
        } else {
            format!(
                "{} {} {}",
                pick(&mut rng, SURNAMES),
                pick(&mut rng, MIDDLE),
                pick(&mut rng, LETTERS)
            )
        };
        let mut f = String::new();
        let _ = writeln!(
            f,
            "---\nnumber: \"{number}\"\ntrack: {}\nauthority: {authority}\ndecided_on: {decided}\npublished_on: {}\nsubject:\n  type: {}\n  role: {}\n  name: {}\n  position: \"Cán bộ, công chức\"\n  leader: false\n  agency: {agency}\npenalty: {}",
            if party { "party" } else { "administrative" },
            decided + Duration::days(rng.random_range(1..6)),
            if role == Role::PartyOrganization {
                "organization"
            } else {
                "person"
            },
            role.id(),
            quote(&name),
            p.id(),
        );
        if rng.random_bool(0.3) {
            let (cid, signed) = pick(&mut rng, &conclusions);
            if *signed <= decided {
                let _ = writeln!(f, "related: [{cid}]");
            }
        }
        f.push_str("---\n");
        let _ = writeln!(
            f,
            "{}\n\n{}",
            paragraph(&mut rng, &text, 2),
            paragraph(&mut rng, &text, 2)
        );
        std::fs::write(
            root.join("content/decisions")
                .join(format!("qd-{}-{:06}.md", decided.year(), i)),
            f,
        )?;
    }
    let mut q = (2021, 1);
    while (q.0, q.1) <= (2026, 3) {
        let mut csv = String::from(
            "period,agency,recommended_vnd,recovered_vnd,recommended_land_m2,recovered_land_m2,reported_on,signed_by,note\n",
        );
        for a in agencies.iter().skip(4).step_by(4) {
            let rec = rng.random_range(10..4000u64) * 1_000_000;
            let _ = writeln!(
                csv,
                "{}-Q{},{},{rec},{},0,0,{},Chủ tịch UBND,",
                q.0,
                q.1,
                a.id,
                rec / 100 * rng.random_range(10..95u64),
                // Reports are signed in the first weeks after the quarter.
                day(q.0 + i32::from(q.1 == 4), q.1 % 4 * 3 + 1, 10)
            );
        }
        std::fs::write(
            root.join(format!("content/recoveries/{}-q{}.csv", q.0, q.1)),
            csv,
        )?;
        q = if q.1 == 4 {
            (q.0 + 1, 1)
        } else {
            (q.0, q.1 + 1)
        };
    }
    for (id, title) in [
        ("gioi-thieu", "Giới thiệu"),
        ("phuong-phap", "Phương pháp"),
        ("lien-he", "Liên hệ"),
    ] {
        std::fs::write(
            root.join(format!("content/pages/{id}.md")),
            format!(
                "---\ntitle: \"{title}\"\n---\n{}\n",
                paragraph(&mut rng, &text, 4)
            ),
        )?;
    }
    eprintln!(
        "{n} records ({n_conclusions} conclusions, {} decisions) in {}",
        n - n_conclusions,
        root.display()
    );
    Ok(())
}
