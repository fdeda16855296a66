//! Writing a market to JSON Lines, generated in parallel and written in order.

use std::io::Write;

use rayon::prelude::*;

use super::Market;
use crate::error::{Error, Result};

impl Market {
    /// Writes vacancies `0..config.vacancies` as JSON Lines, generating in
    /// parallel on the current rayon pool; `progress` is called with the
    /// number written so far.
    ///
    /// # Errors
    /// [`Error::Io`] when writing fails.
    pub fn write_vacancies<W: Write>(&self, out: W, progress: impl FnMut(u64)) -> Result<u64> {
        self.write_records(out, self.config.vacancies, progress, |i, buf| {
            serde_json::to_writer(&mut *buf, &self.vacancy(i))
        })
    }

    /// Writes seekers `0..config.seekers` as JSON Lines (see
    /// [`Market::write_vacancies`]).
    ///
    /// # Errors
    /// [`Error::Io`] when writing fails.
    pub fn write_seekers<W: Write>(&self, out: W, progress: impl FnMut(u64)) -> Result<u64> {
        self.write_records(out, self.config.seekers, progress, |j, buf| {
            serde_json::to_writer(&mut *buf, &self.seeker(j))
        })
    }

    pub(super) fn write_records<W: Write>(
        &self,
        mut out: W,
        count: u64,
        mut progress: impl FnMut(u64),
        one: impl Fn(u64, &mut Vec<u8>) -> serde_json::Result<()> + Sync,
    ) -> Result<u64> {
        const CHUNK: u64 = 4_096;
        const BATCH: u64 = CHUNK * 32;
        let mut written = 0;
        while written < count {
            let end = (written + BATCH).min(count);
            let chunks: Vec<(u64, u64)> = (written..end)
                .step_by(CHUNK as usize)
                .map(|s| (s, (s + CHUNK).min(end)))
                .collect();
            let buffers = chunks
                .par_iter()
                .map(|&(s, e)| {
                    let mut buf = Vec::with_capacity((e - s) as usize * 700);
                    for i in s..e {
                        one(i, &mut buf)?;
                        buf.push(b'\n');
                    }
                    Ok(buf)
                })
                .collect::<serde_json::Result<Vec<Vec<u8>>>>()
                .map_err(|e| Error::io_unnamed(e.into()))?;
            for b in &buffers {
                out.write_all(b).map_err(Error::io_unnamed)?;
            }
            written = end;
            progress(written);
        }
        out.flush().map_err(Error::io_unnamed)?;
        Ok(written)
    }
}
