//! `agencies.yaml`: the registry of agencies every record refers to.

use chrono::NaiveDate;
use serde::Serialize;

use super::fields::Fields;
use super::id::Id;
use super::read::Ref;
use super::read::{FromNode, Reader, Spanned, Target, Text};
use super::schema;
use super::vocab::AgencyKind;
use crate::load::node::{Node, Value};

#[derive(Debug, Clone, Serialize)]
pub struct Agency {
    pub id: Spanned<Id>,
    pub name: Text,
    /// A shorter name for tables and charts (defaults to the name).
    pub short_name: Option<Text>,
    pub kind: AgencyKind,
    pub parent: Option<Ref>,
    /// The first day the agency no longer exists (dissolved or merged away).
    pub dissolved_on: Option<Spanned<NaiveDate>>,
    /// Who answers for its unfinished recommendations after `dissolved_on`.
    pub successor: Option<Ref>,
    /// Names it had before (`renamed_from` first, then `formerly`): readers
    /// search for the name on the documents they hold.
    pub formerly: Vec<Text>,
    /// Official contacts: published on purpose, so the privacy lint allows them.
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<Text>,
    pub address: Option<Text>,
}

const WHAT: (&str, &str) = ("cơ quan", "agency");

impl Agency {
    pub fn label(&self) -> &str {
        self.short_name.as_deref().unwrap_or(&self.name)
    }

    /// Whether the agency still existed on `day`.
    pub fn exists_on(&self, day: NaiveDate) -> bool {
        self.dissolved_on.as_ref().is_none_or(|d| day < d.value)
    }

    /// Reads the whole registry: a list of agencies.
    pub fn read_all(node: &Node, r: &mut Reader<'_>) -> Vec<Agency> {
        match &node.value {
            Value::List(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, n)| r.in_index(i, |r| Agency::from_node(n, r)))
                .collect(),
            _ => {
                r.wrong_kind(
                    node,
                    (
                        "một danh sách cơ quan (mỗi cơ quan bắt đầu bằng `- id:`)",
                        "a list of agencies (each starting with `- id:`)",
                    ),
                );
                Vec::new()
            }
        }
    }
}

impl FromNode for Agency {
    const EXPECTED: (&'static str, &'static str) = WHAT;
    fn from_node(node: &Node, r: &mut Reader<'_>) -> Option<Self> {
        let mut f = Fields::of_schema(node, r, &schema::AGENCY)?;
        let id: Option<Spanned<Id>> = f.req(r, "id");
        if let Some(id) = &id {
            r.in_key("id", |r| r.lint_privacy(id.value.as_str(), id.span));
        }
        let name = f.req(r, "name");
        let short_name = f.opt(r, "short_name");
        let kind = f.req(r, "kind");
        let parent = f.opt_ref(r, "parent", Target::Agency);
        let dissolved_on = f.opt::<Spanned<NaiveDate>>(r, "dissolved_on");
        let successor = f.opt_ref(r, "successor", Target::Agency);
        let renamed_from: Option<Text> = f.opt(r, "renamed_from");
        let formerly: Vec<Text> = renamed_from
            .into_iter()
            .chain(f.opt::<Vec<Text>>(r, "formerly").unwrap_or_default())
            .collect();
        if let (Some(s), None) = (&successor, &dissolved_on) {
            r.in_key("successor", |r| {
                r.error(
                    crate::diag::Code::AgencyLifecycle,
                    s.span,
                    crate::diag::msg(
                        "Có cơ quan kế thừa (`successor`) nhưng không có ngày thôi hoạt động (`dissolved_on`)",
                        "a successor (`successor`) without the day the agency ceased to exist (`dissolved_on`)",
                    ),
                );
            });
        }
        let phone = f.opt(r, "phone");
        let email = f.opt(r, "email");
        let website = f.opt(r, "website");
        let address = f.opt(r, "address");
        f.finish(r);
        if let (Some(id), true) = (&id, name.is_none() || kind.is_none()) {
            r.partial_ids.push(id.value.0.clone());
        }
        Some(Agency {
            id: id?,
            name: name?,
            short_name,
            kind: kind?,
            parent,
            dissolved_on,
            successor,
            formerly,
            phone,
            email,
            website,
            address,
        })
    }
}
