//! Checking an index for damage end to end: every file against the
//! checksum tantivy wrote in its footer, then every live vacancy read back.

use std::path::Path;

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

    /// Checks the index in `dir` as [`VacancyIndex::verify`] does, but the
    /// checksums first, before opening it for search: opening reads every
    /// segment's footer, so a damaged file can stop it before `verify`
    /// could name the file. What `jobmatch verify` runs.
    ///
    /// # Errors
    /// As [`VacancyIndex::open`] and [`VacancyIndex::verify`].
    pub fn verify_dir(dir: impl AsRef<Path>) -> Result<Verified> {
        let dir = dir.as_ref();
        if !dir.join("meta.json").exists() {
            return Err(Error::IndexMissing { path: dir.to_owned() });
        }
        guarded("verifying the index", || {
            checksums(&tantivy::Index::open_in_dir(dir)?)
        })
        .map_err(|e| e.with_path(dir))?;
        VacancyIndex::open(dir)?.verify().map_err(|e| e.with_path(dir))
    }

    fn verify_unguarded(&self) -> Result<Verified> {
        checksums(&self.index)?;
        let snapshot = self.snapshot()?;
        let vacancies = snapshot.read_back_all()?;
        Ok(Verified {
            segments: self.index.searchable_segment_metas()?.len(),
            vacancies,
        })
    }
}

/// Every committed file against the checksum in its footer.
fn checksums(index: &tantivy::Index) -> Result<()> {
    let bad = index.validate_checksum()?;
    if bad.is_empty() {
        return Ok(());
    }
    let mut names: Vec<String> = bad.iter().map(|p| p.display().to_string()).collect();
    names.sort();
    Err(Error::Corrupt {
        reason: format!("checksum mismatch in {}", names.join(", ")),
    })
}
