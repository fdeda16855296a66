//! How the index codes the titles of vacancies that carry no occupation:
//! [`crate::taxonomy::code_title`], memoised, or a coder of the caller's.

use std::sync::Arc;

use crate::reference::ReferenceData;
use crate::taxonomy::OccupationCode;

/// Codes a title into an occupation when a vacancy carries none.
pub type TitleCoder = Arc<dyn Fn(&str) -> Option<(OccupationCode, f32)> + Send + Sync>;

/// The default coder: [`crate::taxonomy::code_title`] with the shipped
/// data, memoised by title (job boards repeat titles, so a load codes each
/// distinct title once).
pub fn default_coder() -> TitleCoder {
    coder_of(&ReferenceData::sichuan_chongqing())
}

/// The coder of a market's reference data ([`ReferenceData::code_title`],
/// memoised by title there).
pub fn coder_of(reference: &ReferenceData) -> TitleCoder {
    let reference = reference.clone();
    Arc::new(move |title: &str| reference.code_title(title))
}
