//! The pages, in both languages: rendered in parallel by a build, one at a
//! time as `serve` is asked for them.

use std::sync::Arc;

use super::generated::OpenData;
use super::{Inputs, ProduceError, Producer, Written};
use crate::derive::Derived;
use crate::render::{self, Datasets};
use crate::site::datasets::Dataset;
use crate::write::Sink;

pub struct Pages {
    pages: render::Pages,
    /// The open data, which the open-data page lists.
    data: Arc<OpenData>,
}

impl Pages {
    pub fn new(d: &Derived<'_>, data: Arc<OpenData>) -> Self {
        Pages {
            pages: render::Pages::new(d),
            data,
        }
    }

    /// Makes the plan of every page now, as a build must before rendering
    /// in parallel: the plan's own parallel work, started inside a page's
    /// task, could pick up another page's task that waits for the plan.
    /// `serve` leaves it to the first page that needs it.
    pub fn make_plan(&self, d: &Derived<'_>) {
        self.pages.plan(d);
    }
}

/// The open data of these inputs, as the open-data page asks for it: made
/// on first request, by whichever thread asks first.
struct DataOf<'a> {
    data: &'a OpenData,
    i: &'a Inputs<'a>,
}

impl Datasets for DataOf<'_> {
    fn datasets(&self) -> &[Dataset] {
        self.data.datasets(self.i)
    }
}

impl Producer for Pages {
    fn name(&self) -> &'static str {
        "pages"
    }

    fn depends_on(&self) -> &'static [&'static str] {
        &["open data"]
    }

    fn paths(&self, i: &Inputs<'_>) -> Vec<String> {
        self.pages.files(i.d, i.compiled)
    }

    fn produce(&self, i: &Inputs<'_>, path: &str) -> Option<Result<Vec<u8>, ProduceError>> {
        let job = self.pages.route(i.d, i.compiled, path)?;
        let data = DataOf {
            data: &self.data,
            i,
        };
        Some(
            self.pages
                .render(i.d, i.compiled, i.urls, &data, job)
                .map(|(_, html)| html)
                .map_err(ProduceError::from),
        )
    }

    fn produce_all(&self, i: &Inputs<'_>, sink: &dyn Sink) -> Result<Written, ProduceError> {
        let data = DataOf {
            data: &self.data,
            i,
        };
        let stats = self.pages.write(i.d, i.compiled, i.urls, &data, sink)?;
        Ok(Written {
            pages: stats.pages,
            files: stats.files,
            bytes: stats.bytes,
        })
    }
}
