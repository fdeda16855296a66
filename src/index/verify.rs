//! Checking an index for damage end to end: every file against the
//! checksum tantivy wrote in its footer, then every live vacancy read back.

use serde::Serialize;

use super::VacancyIndex;
use crate::error::{Error, Result, guarded};

/// What [`VacancyIndex::verify`] checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Verified {
    /// Committed segments.
    pub segments: usize,
    /// Live vacancies read back.
    pub vacancies: u64,
}

impl VacancyIndex {
    /// Checks the committed index for damage: every file of every segment
    /// against its checksum, then every live vacancy's stored fields and
    /// columns read back. A full read of the index (seconds per million
    /// vacancies): run it after a crash, a copy or a restore, or on a
    /// schedule, not per query. Opening does not check checksums, as
    /// tantivy does not; a damaged file it happens not to read can go
    /// unnoticed until `verify`.
    ///
    /// ```
    /// # use jobmatch::{index::VacancyIndex, Vacancy};
    /// let index = VacancyIndex::create_in_ram()?;
    /// index.upsert(&Vacancy::new("v1", "焊工", "500107".parse()?)?)?;
    /// index.commit()?;
    /// assert_eq!(index.verify()?.vacancies, 1);
    /// # Ok::<(), jobmatch::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Corrupt`] naming the files whose checksums fail, or the
    /// first vacancy that cannot be read back; [`Error::Index`] when
    /// tantivy cannot read the index at all.
    pub fn verify(&self) -> Result<Verified> {
        guarded("verifying the index", || self.verify_unguarded())
    }

    fn verify_unguarded(&self) -> Result<Verified> {
        let bad = self.index.validate_checksum()?;
        if !bad.is_empty() {
            let mut names: Vec<String> = bad.iter().map(|p| p.display().to_string()).collect();
            names.sort();
            return Err(Error::Corrupt {
                reason: format!("checksum mismatch in {}", names.join(", ")),
            });
        }
        let snapshot = self.snapshot()?;
        let vacancies = snapshot.read_back_all()?;
        Ok(Verified {
            segments: self.index.searchable_segment_metas()?.len(),
            vacancies,
        })
    }
}
