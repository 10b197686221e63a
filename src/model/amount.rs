//! Money and land amounts. Money is whole đồng, never a float: the figures
//! are published as public accounts and must add up exactly.

use crate::diag::Code;
use std::fmt;

use serde::Serialize;

use super::read::{FromNode, Reader};
use crate::diag::msg;
use crate::load::node::Node;

/// An amount of money in whole Vietnamese đồng.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct Vnd(pub u64);

/// A land area, stored in hundredths of a square metre so that sums are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Area(pub u64);

impl Area {
    pub fn from_m2(m2: u64) -> Self {
        Self(m2 * 100)
    }

    /// Whole and fractional square metres, e.g. (3500, 50) for 3 500,5 m².
    pub fn parts(self) -> (u64, u64) {
        (self.0 / 100, self.0 % 100)
    }

    pub fn m2(self) -> f64 {
        self.0 as f64 / 100.0
    }
}

impl std::ops::Add for Area {
    type Output = Area;
    fn add(self, o: Area) -> Area {
        Area(self.0.saturating_add(o.0))
    }
}

impl std::iter::Sum for Area {
    fn sum<I: Iterator<Item = Area>>(iter: I) -> Area {
        iter.fold(Area(0), |a, b| a + b)
    }
}

impl fmt::Display for Vnd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::ops::Add for Vnd {
    type Output = Vnd;
    fn add(self, o: Vnd) -> Vnd {
        Vnd(self.0.saturating_add(o.0))
    }
}

impl std::iter::Sum for Vnd {
    fn sum<I: Iterator<Item = Vnd>>(iter: I) -> Vnd {
        iter.fold(Vnd(0), |a, b| a + b)
    }
}

/// Areas are published as numbers of m²: whole when whole (3500), otherwise
/// with their decimals (3500.5).
impl Serialize for Area {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (whole, frac) = self.parts();
        if frac == 0 {
            s.serialize_u64(whole)
        } else {
            s.serialize_f64(self.m2())
        }
    }
}

/// In the open data, an area is a number of m² (whole when whole).
impl schemars::JsonSchema for Area {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "SquareMetres".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "number", "minimum": 0 })
    }
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, frac) = self.parts();
        if frac == 0 {
            write!(f, "{whole}")
        } else if frac % 10 == 0 {
            write!(f, "{whole}.{}", frac / 10)
        } else {
            write!(f, "{whole}.{frac:02}")
        }
    }
}

/// Why a written amount is not acceptable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountError {
    Negative,
    Decimal,
    Grouped,
    TooManyDecimals,
    NotANumber,
    TooLarge,
}

/// Parses whole đồng: digits only.
pub fn parse_vnd(text: &str) -> Result<Vnd, AmountError> {
    let t = text.trim();
    if t.starts_with('-') {
        return Err(AmountError::Negative);
    }
    if t.chars().all(|c| c.is_ascii_digit()) && !t.is_empty() {
        return t.parse().map(Vnd).map_err(|_| AmountError::TooLarge);
    }
    if is_grouped(t) {
        return Err(AmountError::Grouped);
    }
    if t.parse::<f64>().is_ok() {
        return Err(AmountError::Decimal);
    }
    Err(AmountError::NotANumber)
}

/// Parses m² with at most two decimals (`3500`, `3500.5`).
pub fn parse_area(text: &str) -> Result<Area, AmountError> {
    let t = text.trim();
    if t.starts_with('-') {
        return Err(AmountError::Negative);
    }
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(frac) {
        return Err(if is_grouped(t) {
            AmountError::Grouped
        } else {
            AmountError::NotANumber
        });
    }
    if frac.len() > 2 {
        return Err(if is_grouped(t) {
            AmountError::Grouped
        } else {
            AmountError::TooManyDecimals
        });
    }
    let whole: u64 = whole.parse().map_err(|_| AmountError::TooLarge)?;
    let frac: u64 = format!("{frac:0<2}").parse().unwrap_or(0);
    whole
        .checked_mul(100)
        .and_then(|w| w.checked_add(frac))
        .map(Area)
        .ok_or(AmountError::TooLarge)
}

/// `2.350.000.000` or `2,350,000,000`: thousands written with separators.
fn is_grouped(t: &str) -> bool {
    for sep in ['.', ',', ' '] {
        let groups: Vec<&str> = t.split(sep).collect();
        if groups.len() > 1
            && (1..=3).contains(&groups[0].len())
            && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit()))
            && groups[1..].iter().all(|g| g.len() == 3)
        {
            return true;
        }
    }
    false
}

fn report(node: &Node, r: &mut Reader<'_>, text: &str, e: AmountError, unit: (&str, &str)) {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let (code, m, hint) = match e {
        AmountError::Negative => (
            Code::NegativeAmount,
            msg(
                format!("Số âm không hợp lệ: `{text}`"),
                format!("negative amounts are not allowed: `{text}`"),
            ),
            None,
        ),
        AmountError::Decimal => (
            Code::DecimalMoney,
            msg(
                format!("Số tiền phải là số nguyên đồng, không có phần thập phân: `{text}`"),
                format!("money must be whole đồng, without decimals: `{text}`"),
            ),
            None,
        ),
        AmountError::Grouped => (
            Code::GroupedNumber,
            msg(
                format!("Không dùng dấu phân cách hàng nghìn trong số liệu: `{text}`"),
                format!("do not write thousands separators in figures: `{text}`"),
            ),
            Some(msg(
                format!("Viết liền: {digits}"),
                format!("Write it as: {digits}"),
            )),
        ),
        AmountError::TooManyDecimals => (
            Code::InvalidValue,
            msg(
                format!("Diện tích chỉ ghi tối đa 2 chữ số thập phân: `{text}`"),
                format!("areas take at most 2 decimals: `{text}`"),
            ),
            None,
        ),
        AmountError::NotANumber => (
            Code::InvalidType,
            msg(
                format!("`{text}` không phải một số {}", unit.0),
                format!("`{text}` is not a number of {}", unit.1),
            ),
            None,
        ),
        AmountError::TooLarge => (
            Code::InvalidValue,
            msg(
                format!("Số quá lớn: `{text}`"),
                format!("number too large: `{text}`"),
            ),
            None,
        ),
    };
    let d = r.error(code, node.span, m);
    if let Some(h) = hint {
        d.set_hint(h);
    }
}

impl FromNode for Vnd {
    const EXPECTED: (&'static str, &'static str) = ("số tiền (đồng)", "an amount of đồng");
    fn from_node(node: &Node, r: &mut Reader<'_>) -> Option<Self> {
        let s = r.scalar(node, Self::EXPECTED)?;
        parse_vnd(&s.text)
            .map_err(|e| report(node, r, s.text.trim(), e, ("đồng", "đồng")))
            .ok()
    }
}

impl FromNode for Area {
    const EXPECTED: (&'static str, &'static str) = ("diện tích (m²)", "an area in m²");
    fn from_node(node: &Node, r: &mut Reader<'_>) -> Option<Self> {
        let s = r.scalar(node, Self::EXPECTED)?;
        parse_area(&s.text)
            .map_err(|e| report(node, r, s.text.trim(), e, ("m²", "m²")))
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_whole_dong() {
        assert_eq!(parse_vnd("2350000000"), Ok(Vnd(2_350_000_000)));
        assert_eq!(parse_vnd("-5"), Err(AmountError::Negative));
        assert_eq!(parse_vnd("12.5"), Err(AmountError::Decimal));
        assert_eq!(parse_vnd("2.350.000.000"), Err(AmountError::Grouped));
        assert_eq!(parse_vnd("abc"), Err(AmountError::NotANumber));
        assert_eq!(
            parse_vnd("99999999999999999999999"),
            Err(AmountError::TooLarge)
        );
    }

    #[test]
    fn areas_keep_two_decimals_exactly() {
        assert_eq!(parse_area("3500"), Ok(Area(350_000)));
        assert_eq!(parse_area("3500.5"), Ok(Area(350_050)));
        assert_eq!(parse_area("0.25"), Ok(Area(25)));
        assert_eq!(parse_area("1.234.567"), Err(AmountError::Grouped));
        assert_eq!(parse_area("1.2345"), Err(AmountError::TooManyDecimals));
        assert_eq!(Area(350_050).to_string(), "3500.5");
        assert_eq!(serde_json::to_string(&Area(350_000)).unwrap(), "3500");
        assert_eq!(serde_json::to_string(&Area(350_050)).unwrap(), "3500.5");
    }
}
