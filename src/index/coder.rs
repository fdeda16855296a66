//! How the index codes the titles of vacancies that carry no occupation:
//! [`crate::taxonomy::code_title`], memoised, or a coder of the caller's.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

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

/// The coder of a market's reference data, memoised by title.
pub fn coder_of(reference: &ReferenceData) -> TitleCoder {
    let classifier = reference.coder();
    type Memo = HashMap<String, Option<(OccupationCode, f32)>>;
    let memo: Mutex<Memo> = Mutex::new(HashMap::new());
    Arc::new(move |title: &str| {
        if let Ok(m) = memo.lock()
            && let Some(hit) = m.get(title)
        {
            return *hit;
        }
        let coded = classifier.code_title(title);
        if let Ok(mut m) = memo.lock() {
            if m.len() >= 500_000 {
                m.clear();
            }
            m.insert(title.to_owned(), coded);
        }
        coded
    })
}
