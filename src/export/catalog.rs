//! `data/catalog.jsonld`: a DCAT catalogue of the open data, which CKAN (the
//! software of Vietnamese open-data portals) and other harvesters read. The
//! context is written out in the file, so that it expands without fetching
//! anything.

use serde_json::{Value, json};

use super::{CHANGE_LOG, OutFile, Terms};
use crate::derive::Derived;
use crate::model::vocab::Language;
use crate::site::datasets::Dataset;
use crate::site::urls::{self, Urls};

pub use crate::site::urls::CATALOG;

fn distribution(url: String, media: &str, format: &str, bytes: usize, schema: &str) -> Value {
    json!({
        "@type": "dcat:Distribution",
        "dcat:downloadURL": {"@id": url},
        "dcat:accessURL": {"@id": url},
        "dcat:mediaType": media,
        "dct:format": format,
        "dcat:byteSize": {"@value": bytes.to_string(), "@type": "xsd:decimal"},
        "dct:conformsTo": {"@id": schema},
    })
}

fn texts(vi: &str, en: &str) -> Value {
    json!([{"@value": vi, "@language": "vi"}, {"@value": en, "@language": "en"}])
}

/// The catalogue of `sets`, and of the change log of `log_bytes` bytes.
pub fn catalog(
    d: &Derived<'_>,
    urls: &Urls,
    sets: &[Dataset],
    log_bytes: usize,
) -> Result<OutFile, String> {
    let cfg = &d.site.config;
    let terms = Terms::of(d);
    let abs = |p: &str| urls.absolute_asset(p);
    let date = json!({"@value": terms.as_of, "@type": "xsd:date"});
    let license = json!({"@id": terms.license_url});
    let publisher = json!({
        "@type": "foaf:Agent",
        "foaf:name": cfg.publisher.as_ref().map_or(&cfg.title.0, |p| &p.0),
    });
    let landing = json!({"@id": urls.absolute(Language::Vi, urls::DATA)});
    let mut datasets: Vec<Value> = sets
        .iter()
        .map(|s| {
            let schema = abs(&s.schema);
            json!({
                "@id": abs(&format!("/data/{}", s.name)),
                "@type": "dcat:Dataset",
                "dct:identifier": s.name,
                "dct:title": texts(&s.title_vi, &s.title_en),
                "dct:modified": date,
                "dct:license": license,
                "dct:publisher": publisher,
                "dcat:landingPage": landing,
                "dct:conformsTo": {"@id": schema},
                "dcat:distribution": [
                    distribution(abs(&s.json), "application/json", "JSON", s.json_bytes, &schema),
                    distribution(abs(&s.csv), "text/csv", "CSV", s.csv_bytes, &schema),
                ],
            })
        })
        .collect();
    let log_url = abs(&format!("/{CHANGE_LOG}"));
    datasets.push(json!({
        "@id": abs("/data/changes"),
        "@type": "dcat:Dataset",
        "dct:identifier": "changes",
        "dct:title": texts(
            "Nhật ký thay đổi (chuỗi băm SHA-256)",
            "Change log (SHA-256 hash chain)",
        ),
        "dct:modified": date,
        "dct:license": license,
        "dct:publisher": publisher,
        "dcat:landingPage": {"@id": urls.absolute(Language::Vi, urls::CHANGES)},
        "dcat:distribution": [{
            "@type": "dcat:Distribution",
            "dcat:downloadURL": {"@id": log_url},
            "dcat:accessURL": {"@id": log_url},
            "dcat:mediaType": "application/jsonl",
            "dct:format": "JSON Lines",
            "dcat:byteSize": {"@value": log_bytes.to_string(), "@type": "xsd:decimal"},
        }],
    }));
    let doc = json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": abs(&format!("/{CATALOG}")),
        "@type": "dcat:Catalog",
        "dct:title": {"@value": cfg.title.0, "@language": "vi"},
        "dct:description": cfg.description.as_ref().map(|x| json!({"@value": x.0, "@language": "vi"})),
        "dct:publisher": publisher,
        "dct:license": license,
        "dct:modified": date,
        "dct:language": {"@id": "http://id.loc.gov/vocabulary/iso639-1/vi"},
        "foaf:homepage": {"@id": urls.absolute(Language::Vi, urls::HOME)},
        "dcat:dataset": datasets,
    });
    let mut bytes = serde_json::to_vec_pretty(&doc).map_err(|e| e.to_string())?;
    bytes.push(b'\n');
    Ok(OutFile {
        path: CATALOG.into(),
        bytes,
    })
}
