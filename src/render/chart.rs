//! SVG charts drawn at build time: no script, no external library, readable
//! without JavaScript, and each one paired with a data table in the page.

use std::fmt::Write;

/// One bar group: a label and a value per series.
pub struct Group {
    pub label: String,
    pub values: Vec<f64>,
}

pub struct Chart<'a> {
    /// Unique within the page; used for `aria-labelledby`.
    pub id: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    /// Names of the series, for the legend.
    pub series: &'a [&'a str],
    pub groups: &'a [Group],
    /// Formats an axis value (money or area): the one measure of the chart.
    pub axis: &'a dyn Fn(f64) -> String,
}

/// The geometry of one layout. A chart is drawn twice: wide for screens
/// from 40rem, narrow for phones, where the wide one would shrink its text
/// to 5 px (CSS shows one of the two).
struct Layout {
    class: &'static str,
    /// Suffix of the element ids of this layout.
    suffix: &'static str,
    w: f64,
    h: f64,
    left: f64,
    top: f64,
    bottom: f64,
    /// Text size in the SVG's units; the narrow layout is drawn at about
    /// the size it is shown, so this is close to the size read.
    font: f64,
    ticks: u32,
    /// The narrowest band that still gets its label (the others are in
    /// the table beside the chart).
    min_band: f64,
}

const WIDE: Layout = Layout {
    class: "chart chart-wide",
    suffix: "",
    w: 720.0,
    h: 320.0,
    left: 92.0,
    top: 40.0,
    bottom: 56.0,
    font: 12.0,
    ticks: 4,
    min_band: 52.0,
};

const NARROW: Layout = Layout {
    class: "chart chart-narrow",
    suffix: "-n",
    w: 340.0,
    h: 300.0,
    left: 92.0,
    top: 56.0,
    bottom: 40.0,
    font: 13.0,
    ticks: 2,
    min_band: 64.0,
};

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

const FILLS: [&str; 3] = ["#9ec5e8", "#1f5f9e", "#6b8e23"];

/// The chart in both layouts, one after the other.
pub fn render(c: &Chart<'_>) -> String {
    let mut s = draw(c, &WIDE);
    s.push_str(&draw(c, &NARROW));
    s
}

fn draw(c: &Chart<'_>, l: &Layout) -> String {
    let mut s = String::with_capacity(8 * 1024);
    let (w, h, font) = (l.w, l.h, l.font);
    let _ = write!(
        s,
        r##"<svg class="{class}" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}{sx}-t {id}{sx}-d" xmlns="http://www.w3.org/2000/svg"><title id="{id}{sx}-t">{title}</title><desc id="{id}{sx}-d">{desc}</desc>"##,
        class = l.class,
        sx = l.suffix,
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
    let right = 12.0;
    let plot_w = w - l.left - right;
    let plot_h = h - l.top - l.bottom;
    let y = |v: f64| l.top + plot_h - v / max * plot_h;
    // Grid and the one axis.
    for i in 0..=l.ticks {
        let v = max * f64::from(i) / f64::from(l.ticks);
        let yy = y(v);
        let _ = write!(
            s,
            r##"<line class="grid" x1="{left}" x2="{x2}" y1="{yy:.1}" y2="{yy:.1}" stroke="#d0d7de" stroke-width="1"/><text class="axis" x="{tx}" y="{ty:.1}" text-anchor="end" font-size="{font}" fill="#3d4852">{label}</text>"##,
            left = l.left,
            x2 = w - right,
            tx = l.left - 6.0,
            ty = yy + font / 3.0,
            label = esc(&(c.axis)(v)),
        );
    }
    let n = c.groups.len().max(1) as f64;
    let band = plot_w / n;
    let bars = c.series.len().max(1) as f64;
    let bar_w = (band * 0.7 / bars).min(36.0);
    // Every label when they fit, otherwise every second or third (all are
    // in the table).
    let every = (l.min_band / band).ceil().max(1.0) as usize;
    for (gi, g) in c.groups.iter().enumerate() {
        let x0 = l.left + band * gi as f64 + (band - bar_w * bars) / 2.0;
        for (si, v) in g.values.iter().enumerate() {
            let top = y(*v);
            let _ = write!(
                s,
                r##"<rect class="bar s{si}" x="{x:.1}" y="{top:.1}" width="{bar_w:.1}" height="{bh:.1}" fill="{fill}"><title>{label}: {value}</title></rect>"##,
                x = x0 + bar_w * si as f64,
                bh = (l.top + plot_h - top).max(0.0),
                fill = FILLS[si % FILLS.len()],
                label = esc(c.series.get(si).copied().unwrap_or("")),
                value = esc(&(c.axis)(*v)),
            );
        }
        if gi % every == 0 {
            let _ = write!(
                s,
                r##"<text class="label" x="{cx:.1}" y="{ly}" text-anchor="middle" font-size="{font}" fill="#1b1f24">{label}</text>"##,
                cx = l.left + band * (gi as f64 + 0.5),
                ly = h - l.bottom + font + 6.0,
                label = esc(&g.label),
            );
        }
    }
    // The legend: one line per series on the narrow layout.
    let (mut lx, mut ly) = (l.left, 12.0);
    for (si, name) in c.series.iter().enumerate() {
        let _ = write!(
            s,
            r##"<rect x="{lx}" y="{ly}" width="14" height="14" fill="{}"/><text x="{tx}" y="{ty}" font-size="{font}" fill="#1b1f24">{}</text>"##,
            FILLS[si % FILLS.len()],
            esc(name),
            tx = lx + 20.0,
            ty = ly + 12.0,
        );
        if l.w < 400.0 {
            ly += font + 8.0;
        } else {
            lx += 28.0 + name.chars().count() as f64 * font * 0.55;
        }
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
            },
            Group {
                label: "<Q2>".into(),
                values: vec![200.0, 150.0],
            },
        ];
        let axis = |v: f64| format!("{v:.0}");
        let svg = render(&Chart {
            id: "c1",
            title: "Thu hồi",
            description: "Số kiến nghị và đã thu hồi",
            series: &["Kiến nghị", "Đã thu hồi"],
            groups: &groups,
            axis: &axis,
        });
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains(r#"role="img" aria-labelledby="c1-t c1-d""#));
        assert!(
            svg.contains(r#"aria-labelledby="c1-n-t c1-n-d""#),
            "a narrow layout"
        );
        assert!(svg.contains("&lt;Q2&gt;"), "labels are escaped");
        assert_eq!(
            svg.matches("<rect class=\"bar").count(),
            8,
            "four bars in each layout"
        );
        assert!(!svg.contains("<polyline"), "one measure: no second axis");
        assert!(!svg.contains("style=") && !svg.contains("<script"));
        assert_eq!(nice_max(7.3), 10.0);
        assert_eq!(nice_max(230.0), 250.0);
    }
}
