//! Which forms of discipline the law allows for whom, and when.
//!
//! The law changes, so this is a dated table with its legal citations rather
//! than conditions scattered through the code. To follow a new decree, add or
//! close a row here; nothing else needs to change.

use chrono::NaiveDate;

use super::vocab::{Penalty, Role};

/// One form of discipline as it applies to some roles during some period.
#[derive(Debug, Clone, Copy)]
pub struct Form {
    pub penalty: Penalty,
    pub roles: &'static [Role],
    /// First day the form applies (inclusive); `None` for "since before any record".
    pub valid_from: Option<(i32, u32, u32)>,
    /// Last day the form applies (inclusive); `None` while it is in force.
    pub valid_to: Option<(i32, u32, u32)>,
    /// The legal basis, as cited in messages and on the methodology page.
    pub basis: &'static str,
}

use Role::{
    Cadre, CivilServant, PartyMember, PartyOrganization, ProbationaryPartyMember, PublicEmployee,
};

const PARTY: &str =
    "Quy định 69-QĐ/TW ngày 06/7/2022 của Bộ Chính trị về kỷ luật tổ chức đảng, đảng viên vi phạm";
const CADRE: &str =
    "Luật Cán bộ, công chức (2008, sửa đổi 2019; Luật số 80/2025/QH15 từ 01/7/2025)";
const OFFICIAL_BEFORE_2025: &str = "Luật Cán bộ, công chức 2008 (sửa đổi 2019), Điều 79; Nghị định 112/2020/NĐ-CP — bãi bỏ từ 01/7/2025 theo Nghị định 172/2025/NĐ-CP";
const OFFICIAL: &str = "Luật Cán bộ, công chức; Nghị định 172/2025/NĐ-CP về xử lý kỷ luật cán bộ, công chức (từ 01/7/2025)";
const EMPLOYEE: &str = "Luật Viên chức 2010 (sửa đổi 2019), Điều 52; Nghị định 112/2020/NĐ-CP";

/// The table. A (penalty, role) pair is valid on a date when some row covers it.
pub const FORMS: &[Form] = &[
    Form {
        penalty: Penalty::Reprimand,
        roles: &[PartyMember, ProbationaryPartyMember, PartyOrganization],
        valid_from: None,
        valid_to: None,
        basis: PARTY,
    },
    Form {
        penalty: Penalty::Warning,
        roles: &[PartyMember, ProbationaryPartyMember, PartyOrganization],
        valid_from: None,
        valid_to: None,
        basis: PARTY,
    },
    Form {
        penalty: Penalty::Removal,
        roles: &[PartyMember],
        valid_from: None,
        valid_to: None,
        basis: PARTY,
    },
    Form {
        penalty: Penalty::Expulsion,
        roles: &[PartyMember],
        valid_from: None,
        valid_to: None,
        basis: PARTY,
    },
    Form {
        penalty: Penalty::Dissolution,
        roles: &[PartyOrganization],
        valid_from: None,
        valid_to: None,
        basis: PARTY,
    },
    Form {
        penalty: Penalty::Reprimand,
        roles: &[Cadre],
        valid_from: None,
        valid_to: None,
        basis: CADRE,
    },
    Form {
        penalty: Penalty::Warning,
        roles: &[Cadre],
        valid_from: None,
        valid_to: None,
        basis: CADRE,
    },
    Form {
        penalty: Penalty::Removal,
        roles: &[Cadre],
        valid_from: None,
        valid_to: None,
        basis: CADRE,
    },
    Form {
        penalty: Penalty::Recall,
        roles: &[Cadre],
        valid_from: None,
        valid_to: None,
        basis: CADRE,
    },
    Form {
        penalty: Penalty::Reprimand,
        roles: &[CivilServant],
        valid_from: None,
        valid_to: None,
        basis: OFFICIAL,
    },
    Form {
        penalty: Penalty::Warning,
        roles: &[CivilServant],
        valid_from: None,
        valid_to: None,
        basis: OFFICIAL,
    },
    Form {
        penalty: Penalty::Removal,
        roles: &[CivilServant],
        valid_from: None,
        valid_to: None,
        basis: OFFICIAL,
    },
    Form {
        penalty: Penalty::Dismissal,
        roles: &[CivilServant],
        valid_from: None,
        valid_to: None,
        basis: OFFICIAL,
    },
    Form {
        penalty: Penalty::SalaryDowngrade,
        roles: &[CivilServant],
        valid_from: None,
        valid_to: Some((2025, 6, 30)),
        basis: OFFICIAL_BEFORE_2025,
    },
    Form {
        penalty: Penalty::Demotion,
        roles: &[CivilServant],
        valid_from: None,
        valid_to: Some((2025, 6, 30)),
        basis: OFFICIAL_BEFORE_2025,
    },
    Form {
        penalty: Penalty::Reprimand,
        roles: &[PublicEmployee],
        valid_from: None,
        valid_to: None,
        basis: EMPLOYEE,
    },
    Form {
        penalty: Penalty::Warning,
        roles: &[PublicEmployee],
        valid_from: None,
        valid_to: None,
        basis: EMPLOYEE,
    },
    Form {
        penalty: Penalty::Removal,
        roles: &[PublicEmployee],
        valid_from: None,
        valid_to: None,
        basis: EMPLOYEE,
    },
    Form {
        penalty: Penalty::Dismissal,
        roles: &[PublicEmployee],
        valid_from: None,
        valid_to: None,
        basis: EMPLOYEE,
    },
];

fn date((y, m, d): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date in the penalty table")
}

impl Form {
    pub fn applies(&self, penalty: Penalty, role: Role, on: NaiveDate) -> bool {
        self.penalty == penalty
            && self.roles.contains(&role)
            && self.valid_from.is_none_or(|f| on >= date(f))
            && self.valid_to.is_none_or(|t| on <= date(t))
    }

    pub fn valid_to(&self) -> Option<NaiveDate> {
        self.valid_to.map(date)
    }
}

/// Why a penalty cannot be given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The role can never receive this penalty.
    NotForRole,
    /// The form existed for this role but was abolished before the decision.
    Abolished {
        since: NaiveDate,
        basis: &'static str,
    },
}

/// Checks a penalty for a role on the day it was decided.
pub fn check(penalty: Penalty, role: Role, on: NaiveDate) -> Result<&'static Form, Refusal> {
    if let Some(form) = FORMS.iter().find(|f| f.applies(penalty, role, on)) {
        return Ok(form);
    }
    match FORMS.iter().find(|f| {
        f.penalty == penalty && f.roles.contains(&role) && f.valid_to().is_some_and(|t| on > t)
    }) {
        Some(f) => Err(Refusal::Abolished {
            since: f
                .valid_to()
                .expect("checked")
                .succ_opt()
                .expect("not the last day"),
            basis: f.basis,
        }),
        None => Err(Refusal::NotForRole),
    }
}

/// Every penalty a role could receive on a date, in the table's order.
pub fn allowed_for(role: Role, on: NaiveDate) -> Vec<Penalty> {
    let mut out: Vec<Penalty> = Vec::new();
    for f in FORMS.iter().filter(|f| f.roles.contains(&role)) {
        if f.applies(f.penalty, role, on) && !out.contains(&f.penalty) {
            out.push(f.penalty);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn matches_the_design_table() {
        let on = d(2024, 1, 1);
        let yes = |p, r| check(p, r, on).is_ok();
        assert!(yes(Penalty::Expulsion, PartyMember));
        assert!(!yes(Penalty::Expulsion, Cadre));
        assert!(yes(Penalty::Dissolution, PartyOrganization));
        assert!(!yes(Penalty::Removal, PartyOrganization));
        assert!(yes(Penalty::Recall, Cadre));
        assert!(!yes(Penalty::Recall, CivilServant));
        assert!(yes(Penalty::Dismissal, PublicEmployee));
        assert!(!yes(Penalty::Dismissal, Cadre));
        assert!(!yes(Penalty::Removal, ProbationaryPartyMember));
        assert_eq!(
            allowed_for(ProbationaryPartyMember, on),
            vec![Penalty::Reprimand, Penalty::Warning]
        );
    }

    #[test]
    fn salary_downgrade_ends_on_1_july_2025() {
        assert!(check(Penalty::SalaryDowngrade, CivilServant, d(2025, 6, 30)).is_ok());
        assert_eq!(
            check(Penalty::Demotion, CivilServant, d(2025, 7, 1)).unwrap_err(),
            Refusal::Abolished {
                since: d(2025, 7, 1),
                basis: OFFICIAL_BEFORE_2025
            }
        );
        assert!(!allowed_for(CivilServant, d(2025, 7, 1)).contains(&Penalty::SalaryDowngrade));
        assert_eq!(
            check(Penalty::SalaryDowngrade, PublicEmployee, d(2024, 1, 1)).unwrap_err(),
            Refusal::NotForRole
        );
    }
}
