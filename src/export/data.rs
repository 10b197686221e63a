//! The open-data files: one row type per dataset, with its columns documented
//! once (the doc comments, "Vietnamese / English"), which become the JSON
//! Schema descriptions and the column descriptions of the `/du-lieu/` page.

use schemars::JsonSchema;
use serde::Serialize;

use crate::derive::Derived;
use crate::model::amount::Area;
use crate::model::vocab::Vocab;
use crate::site::urls;

/// Joins list values for a flat cell (the same in JSON and CSV).
fn joined<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items.collect::<Vec<_>>().join("; ")
}

/// Một kết luận thanh tra / An inspection conclusion.
#[derive(Serialize, JsonSchema)]
pub struct ConclusionRow {
    /// Mã kết luận trên cổng / Id on the portal
    pub id: String,
    /// Số hiệu / Document number
    pub number: String,
    /// Tên kết luận / Title
    pub title: String,
    /// Mã cơ quan ban hành / Issuing agency id
    pub issued_by: String,
    /// Ngày ký (ISO 8601) / Date signed (ISO 8601)
    pub signed_on: String,
    /// Người ký / Signed by
    pub signed_by: String,
    /// Ngày công khai / Date published
    pub published_on: String,
    /// Mã đối tượng thanh tra / Inspected agency id
    pub inspected: String,
    /// Lĩnh vực / Sector
    pub sector: String,
    /// Loại cuộc thanh tra (planned, ad_hoc) / Kind of inspection
    pub kind: String,
    /// Đầu thời kỳ thanh tra / Start of the period inspected
    pub period_from: Option<String>,
    /// Cuối thời kỳ thanh tra / End of the period inspected
    pub period_to: Option<String>,
    /// Tiền sai phạm phát hiện (đồng) / Money found in violation (đồng)
    pub violations_money_vnd: Option<u64>,
    /// Đất sai phạm phát hiện (m²) / Land found in violation (m²)
    pub violations_land_m2: Option<Area>,
    /// Số kiến nghị / Number of recommendations
    pub recommendations: usize,
    /// Số kiến nghị đã hoàn thành / Recommendations done
    pub recommendations_done: usize,
    /// Số kiến nghị quá hạn / Recommendations overdue
    pub recommendations_overdue: usize,
    /// Địa chỉ trên cổng / Address on the portal
    pub url: String,
}

/// Một kiến nghị và tình trạng thực hiện / A recommendation and its follow-up.
#[derive(Serialize, JsonSchema)]
pub struct RecommendationRow {
    /// Mã kết luận / Conclusion id
    pub conclusion: String,
    /// Số hiệu kết luận / Conclusion number
    pub conclusion_number: String,
    /// Mã kiến nghị trong kết luận / Recommendation id within the conclusion
    pub id: String,
    /// Loại kiến nghị / Kind of recommendation
    pub kind: String,
    /// Nội dung / Text
    pub text: String,
    /// Mã đơn vị thực hiện / Responsible agency id
    pub responsible: String,
    /// Thời hạn / Due date
    pub due: Option<String>,
    /// Tiền kiến nghị thu hồi (đồng) / Money to recover (đồng)
    pub amount_vnd: Option<u64>,
    /// Đất kiến nghị thu hồi (m²) / Land to recover (m²)
    pub land_m2: Option<Area>,
    /// Trạng thái tính đến ngày lập dữ liệu / Status as of the build date
    pub status: String,
    /// Quá hạn (true/false) / Overdue (true/false)
    pub overdue: bool,
    /// Số ngày quá hạn / Days overdue
    pub days_overdue: i64,
    /// Ngày hoàn thành / Date done
    pub done_on: Option<String>,
    /// Hoàn thành đúng hạn (true/false; rỗng nếu chưa xong) / Done on time (empty if not done)
    pub on_time: Option<bool>,
    /// Tiền đã thu hồi, cộng dồn (đồng) / Money recovered so far (đồng)
    pub recovered_vnd: u64,
    /// Đất đã thu hồi, cộng dồn (m²) / Land recovered so far (m²)
    pub recovered_land_m2: Area,
    /// Ngày cập nhật gần nhất / Date of the last update
    pub updated_on: Option<String>,
    /// Quyết định đã thực hiện kiến nghị (mã, cách nhau bởi ;) / Decisions that carried it out (ids, ;-separated)
    pub decisions: String,
    /// Văn bản thực hiện / Document that carried it out
    pub document: Option<String>,
}

/// Một quyết định kỷ luật / A disciplinary decision.
#[derive(Serialize, JsonSchema)]
pub struct DecisionRow {
    /// Mã quyết định trên cổng / Id on the portal
    pub id: String,
    /// Số hiệu / Document number
    pub number: String,
    /// Loại kỷ luật (party, administrative) / Discipline track
    pub track: String,
    /// Mã cơ quan quyết định / Deciding agency id
    pub authority: String,
    /// Ngày quyết định / Date decided
    pub decided_on: String,
    /// Ngày công khai / Date published
    pub published_on: String,
    /// Cá nhân hay tổ chức / Person or organisation
    pub subject_type: String,
    /// Đối tượng theo luật / Legal status of the subject
    pub subject_role: String,
    /// Tên đối tượng / Name of the subject
    pub subject_name: String,
    /// Chức vụ khi vi phạm / Position at the time
    pub subject_position: Option<String>,
    /// Mã cơ quan của đối tượng / Subject's agency id
    pub subject_agency: Option<String>,
    /// Hình thức kỷ luật / Penalty
    pub penalty: String,
    /// Căn cứ pháp lý / Legal basis
    pub basis: String,
    /// Kết luận liên quan (mã, cách nhau bởi ;) / Related conclusions (ids, ;-separated)
    pub related: String,
    /// Kỳ họp / Session
    pub session: Option<String>,
    /// Hiệu lực (in_force, lifted, annulled) / Status
    pub status: String,
    /// Ngày thay đổi hiệu lực / Date the status changed
    pub status_on: Option<String>,
    /// Địa chỉ trên cổng / Address on the portal
    pub url: String,
}

/// Số liệu thu hồi của một đơn vị trong một kỳ / One agency's recovery figures for one period.
#[derive(Serialize, JsonSchema)]
pub struct RecoveryRow {
    /// Kỳ báo cáo (YYYY, YYYY-Qn, YYYY-MM) / Reporting period
    pub period: String,
    /// Mã đơn vị / Agency id
    pub agency: String,
    /// Tiền kiến nghị thu hồi (đồng) / Money recommended for recovery (đồng)
    pub recommended_vnd: u64,
    /// Tiền đã thu hồi (đồng) / Money recovered (đồng)
    pub recovered_vnd: u64,
    /// Đất kiến nghị thu hồi (m²) / Land recommended for recovery (m²)
    pub recommended_land_m2: Area,
    /// Đất đã thu hồi (m²) / Land recovered (m²)
    pub recovered_land_m2: Area,
    /// Ngày báo cáo / Date reported
    pub reported_on: Option<String>,
    /// Ghi chú / Note
    pub note: Option<String>,
}

/// Một cơ quan, đơn vị và bảng theo dõi của nó / An agency and its scorecard.
#[derive(Serialize, JsonSchema)]
pub struct AgencyRow {
    /// Mã cơ quan / Agency id
    pub id: String,
    /// Tên / Name
    pub name: String,
    /// Loại cơ quan / Kind of agency
    pub kind: String,
    /// Mã cơ quan cấp trên / Parent agency id
    pub parent: Option<String>,
    /// Số kiến nghị phải thực hiện / Recommendations to carry out
    pub recommendations: usize,
    /// Số kiến nghị đã đến hạn / Recommendations due
    pub due: usize,
    /// Số kiến nghị hoàn thành đúng hạn / Done on time
    pub done_on_time: usize,
    /// Số kiến nghị hoàn thành trễ hạn / Done late
    pub done_late: usize,
    /// Số kiến nghị quá hạn / Overdue
    pub overdue: usize,
    /// Tỷ lệ đúng hạn (0–1) / On-time rate (0–1)
    pub on_time_rate: Option<f64>,
    /// Đạt chỉ tiêu đúng hạn / Meets the on-time target
    pub meets_target: Option<bool>,
    /// Tiền kiến nghị thu hồi (đồng) / Money to recover (đồng)
    pub money_recommended_vnd: u64,
    /// Tiền đã thu hồi (đồng) / Money recovered (đồng)
    pub money_recovered_vnd: u64,
    /// Địa chỉ trên cổng / Address on the portal
    pub url: String,
}

fn iso(d: chrono::NaiveDate) -> String {
    d.to_string()
}

pub fn conclusions(d: &Derived<'_>, abs: &dyn Fn(&str) -> String) -> Vec<ConclusionRow> {
    d.site
        .conclusions
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let recs = &d.recs[d.recs_of[i].clone()];
            ConclusionRow {
                id: c.id().to_string(),
                number: c.number.value.0.clone(),
                title: c.title.0.clone(),
                issued_by: c.issued_by.value.0.clone(),
                signed_on: iso(c.signed_on),
                signed_by: c.signed_by.0.clone(),
                published_on: iso(c.published_on),
                inspected: c.inspected.value.0.clone(),
                sector: c.sector.id().into(),
                kind: c.kind.id().into(),
                period_from: c.period.map(|p| iso(p.from)),
                period_to: c.period.map(|p| iso(p.to)),
                violations_money_vnd: c.violations.and_then(|v| v.money_vnd).map(|v| v.0),
                violations_land_m2: c.violations.and_then(|v| v.land_m2),
                recommendations: recs.len(),
                recommendations_done: recs
                    .iter()
                    .filter(|r| r.state.status == crate::model::vocab::Status::Done)
                    .count(),
                recommendations_overdue: recs.iter().filter(|r| r.state.overdue).count(),
                url: abs(&urls::conclusion(c.id())),
            }
        })
        .collect()
}

pub fn recommendations(d: &Derived<'_>) -> Vec<RecommendationRow> {
    d.recs
        .iter()
        .map(|v| {
            let c = d.conclusion_of(v);
            let s = &v.state;
            RecommendationRow {
                conclusion: c.id().to_string(),
                conclusion_number: c.number.value.0.clone(),
                id: v.rec.id.value.clone(),
                kind: v.rec.kind.id().into(),
                text: v.rec.text.0.clone(),
                responsible: v.rec.responsible.value.0.clone(),
                due: v.rec.due.map(iso),
                amount_vnd: v.rec.amount_vnd.map(|a| a.0),
                land_m2: v.rec.land_m2,
                status: s.status.id().into(),
                overdue: s.overdue,
                days_overdue: s.days_overdue,
                done_on: s.done_on.map(iso),
                on_time: s.on_time,
                recovered_vnd: s.recovered_vnd.0,
                recovered_land_m2: s.recovered_land_m2,
                updated_on: s.updated_on.map(iso),
                decisions: joined(v.rec.decisions.iter().map(|r| r.value.as_str())),
                document: v.rec.document.as_ref().map(|x| x.0.clone()),
            }
        })
        .collect()
}

pub fn decisions(d: &Derived<'_>, abs: &dyn Fn(&str) -> String) -> Vec<DecisionRow> {
    d.site
        .decisions
        .iter()
        .map(|x| DecisionRow {
            id: x.id().to_string(),
            number: x.number.value.0.clone(),
            track: x.track.id().into(),
            authority: x.authority.value.0.clone(),
            decided_on: iso(x.decided_on),
            published_on: iso(x.published_on),
            subject_type: x.subject.kind.id().into(),
            subject_role: x.subject.role.id().into(),
            subject_name: x.subject.name.0.clone(),
            subject_position: x.subject.position.as_ref().map(|p| p.0.clone()),
            subject_agency: x.subject.agency.as_ref().map(|a| a.value.0.clone()),
            penalty: x.penalty.id().into(),
            basis: x.basis.to_string(),
            related: joined(x.related.iter().map(|r| r.value.as_str())),
            session: x.session.as_ref().map(|s| s.0.clone()),
            status: x.status.id().into(),
            status_on: x.status_on.map(iso),
            url: abs(&urls::decision(x.id())),
        })
        .collect()
}

pub fn recoveries(d: &Derived<'_>) -> Vec<RecoveryRow> {
    d.site
        .recoveries
        .iter()
        .map(|r| RecoveryRow {
            period: r.period.to_string(),
            agency: r.agency.value.0.clone(),
            recommended_vnd: r.recommended_vnd.0,
            recovered_vnd: r.recovered_vnd.0,
            recommended_land_m2: r.recommended_land_m2,
            recovered_land_m2: r.recovered_land_m2,
            reported_on: r.reported_on.map(iso),
            note: r.note.as_ref().map(|n| n.0.clone()),
        })
        .collect()
}

pub fn agencies(d: &Derived<'_>, abs: &dyn Fn(&str) -> String) -> Vec<AgencyRow> {
    let target = d.site.config.follow_up.on_time_target;
    d.site
        .agencies
        .iter()
        .zip(&d.cards)
        .map(|(a, card)| {
            let c = &card.responsible;
            let rate = c.on_time_rate();
            AgencyRow {
                id: a.id.value.0.clone(),
                name: a.name.0.clone(),
                kind: a.kind.id().into(),
                parent: a.parent.as_ref().map(|p| p.value.0.clone()),
                recommendations: c.total,
                due: c.rated,
                done_on_time: c.done_on_time,
                done_late: c.done_late,
                overdue: c.overdue,
                on_time_rate: rate,
                meets_target: c.verdict(target),
                money_recommended_vnd: c.money_recommended.0,
                money_recovered_vnd: c.money_recovered.0,
                url: abs(&urls::agency(a.id.value.as_str())),
            }
        })
        .collect()
}
