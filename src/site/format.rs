//! Numbers and dates the way each interface language writes them:
//! `1.320.000.000 đồng`, `1,32 tỷ đồng`, `12/06/2025`, `3.500 m²`, `1,2 ha`.
//!
//! A figure and its unit are joined by no-break spaces (U+00A0), so that a
//! narrow column or phone never shows "27,6" on one line and "tỷ đồng" on
//! the next.

use std::sync::LazyLock;

use chrono::NaiveDate;
use chrono::format::{Item, StrftimeItems};

use crate::model::amount::{Area, Vnd};
use crate::model::vocab::Language;

/// The no-break space between a figure and its unit.
pub const NBSP: char = '\u{a0}';

/// Groups digits by three with `sep`.
fn group(n: u64, sep: char) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

fn separators(lang: Language) -> (char, char) {
    match lang {
        Language::Vi => ('.', ','),
        Language::En => (',', '.'),
    }
}

/// A whole number: `12.500` (vi), `12,500` (en).
pub fn number(n: u64, lang: Language) -> String {
    group(n, separators(lang).0)
}

/// A decimal with at most `places` decimals, trailing zeros removed.
pub fn decimal(x: f64, places: usize, lang: Language) -> String {
    let (thousands, point) = separators(lang);
    let text = format!("{x:.places$}");
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    let frac = frac.trim_end_matches('0');
    let whole = group(whole.parse().unwrap_or(0), thousands);
    if frac.is_empty() {
        whole
    } else {
        format!("{whole}{point}{frac}")
    }
}

/// The full amount: `1.320.000.000 đồng` / `1,320,000,000 VND`.
pub fn money(v: Vnd, lang: Language) -> String {
    match lang {
        Language::Vi => format!("{}{NBSP}đồng", number(v.0, lang)),
        Language::En => format!("{}{NBSP}VND", number(v.0, lang)),
    }
}

/// A rounded amount for summaries: `1,32 tỷ đồng`, `850 triệu đồng`.
pub fn money_short(v: Vnd, lang: Language) -> String {
    let n = v.0 as f64;
    let (scale, vi, en) = if n >= 1e9 {
        (1e9, "tỷ", "billion")
    } else if n >= 1e6 {
        (1e6, "triệu", "million")
    } else {
        return money(v, lang);
    };
    let x = decimal(n / scale, 2, lang);
    match lang {
        Language::Vi => format!("{x}{NBSP}{vi}{NBSP}đồng"),
        Language::En => format!("{x}{NBSP}{en}{NBSP}VND"),
    }
}

/// An area: m² below one hectare, hectares above.
pub fn area(a: Area, lang: Language) -> String {
    let m2 = a.m2();
    if m2 >= 10_000.0 {
        format!("{}{NBSP}ha", decimal(m2 / 10_000.0, 2, lang))
    } else {
        format!("{}{NBSP}m²", decimal(m2, 2, lang))
    }
}

/// The date patterns, parsed once: a build formats a few dates for every
/// table row and page, and parsing the pattern was most of the cost.
static DATE_VI: LazyLock<Vec<Item<'static>>> = LazyLock::new(|| parsed("%d/%m/%Y"));
static DATE_EN: LazyLock<Vec<Item<'static>>> = LazyLock::new(|| parsed("%-d\u{a0}%b\u{a0}%Y"));

fn parsed(pattern: &'static str) -> Vec<Item<'static>> {
    StrftimeItems::new(pattern).collect()
}

/// A file's size for a reader: KB below a megabyte, MB above, with a
/// no-break space before the unit.
pub fn file_size(bytes: u64, lang: Language) -> String {
    if bytes >= 1 << 20 {
        format!("{}\u{a0}MB", decimal(bytes as f64 / 1_048_576.0, 1, lang))
    } else {
        format!(
            "{}\u{a0}KB",
            decimal((bytes as f64 / 1024.0).max(0.1), 1, lang)
        )
    }
}

pub fn date(d: NaiveDate, lang: Language) -> String {
    let items = match lang {
        Language::Vi => &DATE_VI,
        Language::En => &DATE_EN,
    };
    d.format_with_items(items.iter()).to_string()
}

/// A share as a percentage: `87,5 %` / `87.5%`.
pub fn percent(rate: f64, lang: Language) -> String {
    let x = decimal(rate * 100.0, 1, lang);
    match lang {
        Language::Vi => format!("{x}{NBSP}%"),
        Language::En => format!("{x}%"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_the_vietnamese_way() {
        assert_eq!(
            money(Vnd(1_320_000_000), Language::Vi),
            "1.320.000.000 đồng"
        );
        assert_eq!(money(Vnd(1_320_000_000), Language::En), "1,320,000,000 VND");
        assert_eq!(
            money_short(Vnd(1_320_000_000), Language::Vi),
            "1,32 tỷ đồng"
        );
        assert_eq!(
            money_short(Vnd(12_500_000_000), Language::Vi),
            "12,5 tỷ đồng"
        );
        assert_eq!(
            money_short(Vnd(850_000_000), Language::Vi),
            "850 triệu đồng"
        );
        assert_eq!(
            money_short(Vnd(1_320_000_000), Language::En),
            "1.32 billion VND"
        );
        assert_eq!(money_short(Vnd(950_000), Language::Vi), "950.000 đồng");
        assert_eq!(money(Vnd(0), Language::Vi), "0 đồng");
    }

    #[test]
    fn a_figure_never_breaks_from_its_unit() {
        for text in [
            money_short(Vnd(27_600_000_000), Language::Vi),
            money(Vnd(1_000), Language::En),
            area(Area::from_m2(7894), Language::Vi),
            percent(0.567, Language::Vi),
            date(NaiveDate::from_ymd_opt(2025, 6, 12).unwrap(), Language::En),
        ] {
            assert!(!text.contains(' '), "{text:?}");
            assert!(text.contains(NBSP), "{text:?}");
        }
        assert_eq!(
            money_short(Vnd(27_600_000_000), Language::Vi),
            "27,6\u{a0}tỷ\u{a0}đồng"
        );
    }

    #[test]
    fn dates_land_and_percentages() {
        let d = NaiveDate::from_ymd_opt(2025, 6, 12).unwrap();
        assert_eq!(date(d, Language::Vi), "12/06/2025");
        assert_eq!(date(d, Language::En), "12 Jun 2025");
        assert_eq!(area(Area::from_m2(3500), Language::Vi), "3.500 m²");
        assert_eq!(area(Area(350_050), Language::Vi), "3.500,5 m²");
        assert_eq!(area(Area::from_m2(12_500), Language::Vi), "1,25 ha");
        assert_eq!(area(Area::from_m2(12_500), Language::En), "1.25 ha");
        assert_eq!(percent(0.875, Language::Vi), "87,5 %");
        assert_eq!(percent(0.9, Language::En), "90%");
        assert_eq!(number(1_234_567, Language::Vi), "1.234.567");
    }
}
