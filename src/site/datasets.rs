//! What is said of each published dataset: written by the export stage,
//! shown by the open-data page.

use serde::Serialize;

/// One column of a dataset, described in both languages.
#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub name: String,
    pub vi: String,
    pub en: String,
}

/// What the open-data page says about a dataset.
#[derive(Debug, Clone, Serialize)]
pub struct Dataset {
    pub name: &'static str,
    pub title_vi: String,
    pub title_en: String,
    pub rows: usize,
    pub json: String,
    pub json_bytes: usize,
    pub csv: String,
    pub csv_bytes: usize,
    pub schema: String,
    pub columns: Vec<Column>,
}
