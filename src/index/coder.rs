//! How the index codes the titles of vacancies that carry no occupation:
//! [`crate::taxonomy::code_title`], memoised, or a coder of the caller's.

use std::path::Path;
use std::sync::Arc;

use super::write_beside;
use crate::reference::ReferenceData;
use crate::taxonomy::{
    Classifier, LabeledTitle, OccupationCode, Taxonomy, classifier, classifier_is_ready, install_shipped,
    shipped_fingerprint, taxonomy,
};

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

/// The file in which an index on disk keeps its trained title coder
/// ([`Classifier::to_bytes`], which carries its own checksum, after an
/// 8-byte [`Classifier::fingerprint`]),
/// so that reopening loads it (milliseconds) rather than training again
/// (about a second). A copy made for other coded titles or another
/// version of the coder is not used, and is replaced.
pub const CODER_FILE: &str = "title_coder.bin";

/// The coder saved in `dir` under `fingerprint`, if any and intact.
fn read_saved(dir: &Path, taxonomy: &Taxonomy, fingerprint: u64) -> Option<Classifier> {
    let bytes = std::fs::read(dir.join(CODER_FILE)).ok()?;
    let (key, rest) = bytes.split_first_chunk::<8>()?;
    if u64::from_le_bytes(*key) != fingerprint {
        return None;
    }
    Classifier::from_bytes(taxonomy, rest).ok()
}

/// Saves a coder in `dir`. Best effort: an index on a read-only disk
/// trains on every open.
fn save(dir: &Path, fingerprint: u64, coder: &Classifier) {
    let mut bytes = fingerprint.to_le_bytes().to_vec();
    bytes.extend(coder.to_bytes());
    let _ = write_beside(dir, CODER_FILE, &bytes);
}

/// Gets the shipped coder ready for an index in `dir`: loaded from the copy
/// kept there, or trained on a thread of its own while the index loads
/// (the first title to code waits for it) and then kept there.
pub(crate) fn prepare_shipped(dir: &Path) {
    if classifier_is_ready() {
        // Trained in this process already: keep a copy if there is none.
        if !dir.join(CODER_FILE).exists() {
            let dir = dir.to_owned();
            std::thread::spawn(move || save(&dir, shipped_fingerprint(), classifier()));
        }
        return;
    }
    let fingerprint = shipped_fingerprint();
    if let Some(coder) = read_saved(dir, taxonomy(), fingerprint) {
        install_shipped(coder);
        return;
    }
    let dir = dir.to_owned();
    std::thread::spawn(move || save(&dir, fingerprint, classifier()));
}

/// A coder trained on `examples`: the copy kept in `dir` when it was made
/// from the same examples, else trained now and kept there.
pub(crate) fn trained(dir: Option<&Path>, taxonomy: &Taxonomy, examples: &[LabeledTitle]) -> Classifier {
    let fingerprint = Classifier::fingerprint(taxonomy, examples);
    if let Some(coder) = dir.and_then(|d| read_saved(d, taxonomy, fingerprint)) {
        return coder;
    }
    let coder = Classifier::train(taxonomy, examples);
    if let Some(d) = dir {
        save(d, fingerprint, &coder);
    }
    coder
}
