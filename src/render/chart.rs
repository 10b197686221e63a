//! SVG charts drawn at build time: no script, no external library, readable
//! without JavaScript, and each one paired with a data table in the page.

use std::fmt::Write;

use crate::model::vocab::Language;

use super::format;

/// One bar group: a label and a value per series.
pub struct Group {
    pub label: String,
    pub values: Vec<f64>,
    /// A share (0–1) drawn as a line against the right axis.
    pub rate: Option<f64>,
}

pub struct Chart<'a> {
    /// Unique within the page; used for `aria-labelledby`.
    pub id: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    /// Names of the series, for the legend.
    pub series: &'a [&'a str],
    pub rate_name: Option<&'a str>,
    pub groups: &'a [Group],
    /// Formats an axis value (money or area).
    pub axis: &'a dyn Fn(f64) -> String,
    pub lang: Language,
}

const W: f64 = 720.0;
const H: f64 = 320.0;
const LEFT: f64 = 92.0;
const RIGHT: f64 = 52.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 56.0;

fn esc(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len());
    // Writing into a Vec cannot fail.
    let _ = tera::escape_html(s, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// A round number at or above `max` for the top of the axis.
fn nice_max(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(max.log10().floor());
    for step in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if step * magnitude >= max {
            return step * magnitude;
        }
    }
    10.0 * magnitude
}

pub fn render(c: &Chart<'_>) -> String {
    let mut s = String::with_capacity(8 * 1024);
    let _ = write!(
        s,
        r##"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-labelledby="{id}-t {id}-d" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{title}</title><desc id="{id}-d">{desc}</desc>"##,
        id = c.id,
        title = esc(c.title),
        desc = esc(c.description),
    );
    let max = nice_max(
        c.groups
            .iter()
            .flat_map(|g| g.values.iter().copied())
            .fold(0.0, f64::max),
    );
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let y = |v: f64| TOP + plot_h - v / max * plot_h;
    // Grid and left axis.
    for i in 0..=4 {
        let v = max * f64::from(i) / 4.0;
        let yy = y(v);
        let _ = write!(
            s,
            r##"<line class="grid" x1="{LEFT}" x2="{x2}" y1="{yy:.1}" y2="{yy:.1}" stroke="#d0d7de" stroke-width="1"/><text class="axis" x="{tx}" y="{ty:.1}" text-anchor="end" font-size="11" fill="#3d4852">{label}</text>"##,
            x2 = W - RIGHT,
            tx = LEFT - 6.0,
            ty = yy + 4.0,
            label = esc(&(c.axis)(v)),
        );
    }
    if c.rate_name.is_some() {
        for pct in [0, 50, 100] {
            let yy = TOP + plot_h - f64::from(pct) / 100.0 * plot_h;
            let _ = write!(
                s,
                r##"<text class="axis" x="{tx}" y="{ty:.1}" font-size="11" fill="#8a2b06">{label}</text>"##,
                tx = W - RIGHT + 6.0,
                ty = yy + 4.0,
                label = esc(&format::percent(f64::from(pct) / 100.0, c.lang)),
            );
        }
    }
    let n = c.groups.len().max(1) as f64;
    let band = plot_w / n;
    let bars = c.series.len().max(1) as f64;
    let bar_w = (band * 0.7 / bars).min(36.0);
    let fills = ["#9ec5e8", "#1f5f9e", "#6b8e23"];
    let mut points = Vec::new();
    for (gi, g) in c.groups.iter().enumerate() {
        let x0 = LEFT + band * gi as f64 + (band - bar_w * bars) / 2.0;
        for (si, v) in g.values.iter().enumerate() {
            let top = y(*v);
            let _ = write!(
                s,
                r##"<rect class="bar s{si}" x="{x:.1}" y="{top:.1}" width="{bar_w:.1}" height="{h:.1}" fill="{fill}"><title>{label}: {value}</title></rect>"##,
                x = x0 + bar_w * si as f64,
                h = (TOP + plot_h - top).max(0.0),
                fill = fills[si % fills.len()],
                label = esc(c.series.get(si).copied().unwrap_or("")),
                value = esc(&(c.axis)(*v)),
            );
        }
        let cx = LEFT + band * (gi as f64 + 0.5);
        // Every label when they fit, otherwise every other one (all are in the table).
        let every = if band < 52.0 { 2 } else { 1 };
        if gi % every == 0 {
            let _ = write!(
                s,
                r##"<text class="label" x="{cx:.1}" y="{ly}" text-anchor="middle" font-size="11" fill="#1b1f24">{label}</text>"##,
                ly = H - BOTTOM + 16.0,
                label = esc(&g.label),
            );
        }
        if let Some(rate) = g.rate {
            points.push((cx, TOP + plot_h - rate.clamp(0.0, 1.0) * plot_h, rate));
        }
    }
    if points.len() > 1 {
        let path: Vec<String> = points
            .iter()
            .map(|(x, y, _)| format!("{x:.1},{y:.1}"))
            .collect();
        let _ = write!(
            s,
            r##"<polyline class="rate" points="{}" fill="none" stroke="#c2410c" stroke-width="2.5"/>"##,
            path.join(" ")
        );
    }
    for (x, yy, rate) in &points {
        let _ = write!(
            s,
            r##"<circle class="rate-point" cx="{x:.1}" cy="{yy:.1}" r="4" fill="#c2410c"><title>{}</title></circle>"##,
            esc(&format::percent(*rate, c.lang))
        );
    }
    // Legend.
    let mut lx = LEFT;
    for (si, name) in c.series.iter().enumerate() {
        let _ = write!(
            s,
            r##"<rect x="{lx}" y="12" width="14" height="14" fill="{}"/><text x="{tx}" y="24" font-size="12" fill="#1b1f24">{}</text>"##,
            fills[si % fills.len()],
            esc(name),
            tx = lx + 20.0,
        );
        lx += 28.0 + name.chars().count() as f64 * 6.5;
    }
    if let Some(name) = c.rate_name {
        let _ = write!(
            s,
            r##"<line x1="{lx}" x2="{x2}" y1="19" y2="19" stroke="#c2410c" stroke-width="2.5"/><text x="{tx}" y="24" font-size="12" fill="#1b1f24">{}</text>"##,
            esc(name),
            x2 = lx + 16.0,
            tx = lx + 22.0,
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_is_accessible_static_svg() {
        let groups = vec![
            Group {
                label: "Q1/2026".into(),
                values: vec![100.0, 40.0],
                rate: Some(0.4),
            },
            Group {
                label: "<Q2>".into(),
                values: vec![200.0, 150.0],
                rate: Some(0.75),
            },
        ];
        let axis = |v: f64| format!("{v:.0}");
        let svg = render(&Chart {
            id: "c1",
            title: "Thu hồi",
            description: "Số kiến nghị và đã thu hồi",
            series: &["Kiến nghị", "Đã thu hồi"],
            rate_name: Some("Tỷ lệ"),
            groups: &groups,
            axis: &axis,
            lang: Language::Vi,
        });
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains(r#"role="img" aria-labelledby="c1-t c1-d""#));
        assert!(svg.contains("&lt;Q2&gt;"), "labels are escaped");
        assert_eq!(svg.matches("<rect class=\"bar").count(), 4);
        assert!(svg.contains("<polyline"));
        assert!(!svg.contains("style=") && !svg.contains("<script"));
        assert_eq!(nice_max(7.3), 10.0);
        assert_eq!(nice_max(230.0), 250.0);
    }
}
