//! The ranker's view of a segment: its fast fields read once into plain
//! arrays.
//!
//! tantivy's columns are compressed and read through dynamic dispatch; the
//! ranker touches a dozen values per candidate, so each segment's columns
//! are decoded once into `Vec`s (about 45 bytes a vacancy) when a snapshot
//! first sees the segment. Segments never change, so the view is cached by
//! segment id and shared by every later snapshot: a commit only pays for the
//! segments it created.

// Indexing here cannot panic: every array is built here with one entry per doc id (or per region, or
// per block) and read with ids below those counts.
#![allow(clippy::indexing_slicing)]

use std::ops::Range;

use tantivy::columnar::StrColumn;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, SegmentReader, TERMINATED};

use super::schema::NONE_U64;
use crate::error::{Error, Result};
use crate::region::{Gazetteer, Point};

/// Sentinel for "absent" in the u8 columns.
pub const NONE_U8: u8 = u8::MAX;
/// Sentinel for "absent" in the salary columns.
pub const NONE_U32: u32 = u32::MAX;

/// Doc ids per block for block-level distance bounds.
pub const BLOCK: usize = 128;

/// Eight bytes per vacancy from which an upper bound of every column signal
/// can be computed: the search reads it before the columns themselves.
///
/// A candidate's columns lie in half a dozen arrays; its summary is one
/// read, and the search reads the summaries of a batch of candidates in a
/// loop of their own, so that their cache misses overlap (15 MB at 1.88M
/// vacancies). Each field is exact or rounded in
/// the direction that can only raise its signal: the occupation to its minor
/// group, pay up to 10 CNY, requirements down, and out-of-range values to
/// the most favourable one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary(u64);

impl Summary {
    const OCCUPATION: (u32, u32) = (0, 17);
    const PAY: (u32, u32) = (17, 16);
    const POSTED: (u32, u32) = (33, 16);
    const EDUCATION: (u32, u32) = (49, 4);
    const EXPERIENCE: (u32, u32) = (53, 4);
    const INDUSTRY: (u32, u32) = (57, 5);
    /// Industry code for "none given".
    const INDUSTRY_NONE: u8 = 30;
    /// Industry code for a value out of range: bounded as a preferred one.
    const INDUSTRY_ANY: u8 = 31;

    /// Summarises one vacancy's column values (sentinels as in the columns).
    pub fn new(
        occupation: u32,
        pay: u32,
        posted: i32,
        education: u8,
        experience: u8,
        industry: u8,
    ) -> Summary {
        let group = (occupation / 100).min(Self::max(Self::OCCUPATION));
        let pay = match pay {
            NONE_U32 => 0,
            p => p.div_ceil(10).clamp(1, Self::max(Self::PAY)),
        };
        let posted = match posted {
            i32::MIN => 0,
            p => p.clamp(1, Self::max(Self::POSTED) as i32) as u32,
        };
        // An absent requirement scores as no requirement.
        let requirement = |x: u8| if x == NONE_U8 { 0 } else { u32::from(x.min(15)) };
        let industry = match industry {
            NONE_U8 => Self::INDUSTRY_NONE,
            i if i < Self::INDUSTRY_NONE => i,
            _ => Self::INDUSTRY_ANY,
        };
        let put = |(at, _): (u32, u32), v: u32| u64::from(v) << at;
        Summary(
            put(Self::OCCUPATION, group)
                | put(Self::PAY, pay)
                | put(Self::POSTED, posted)
                | put(Self::EDUCATION, requirement(education))
                | put(Self::EXPERIENCE, requirement(experience))
                | put(Self::INDUSTRY, u32::from(industry)),
        )
    }

    const fn max((_, bits): (u32, u32)) -> u32 {
        (1 << bits) - 1
    }

    #[inline]
    fn get(self, (at, bits): (u32, u32)) -> u32 {
        ((self.0 >> at) & ((1 << bits) - 1)) as u32
    }

    /// The packed minor group (the code with its last part zeroed), 0 when
    /// unknown.
    #[inline]
    pub fn occupation_group(self) -> u32 {
        self.get(Self::OCCUPATION) * 100
    }

    /// At least what the vacancy pays at best, or [`NONE_U32`].
    #[inline]
    pub fn pay_ceiling(self) -> u32 {
        match self.get(Self::PAY) {
            0 => NONE_U32,
            p if p == Self::max(Self::PAY) => NONE_U32 - 1,
            p => p * 10,
        }
    }

    /// The posting date or a later one (days since epoch; `i32::MIN` when
    /// undated, `i32::MAX` when beyond the range kept).
    #[inline]
    pub fn posted_no_earlier(self) -> i32 {
        match self.get(Self::POSTED) {
            0 => i32::MIN,
            p if p == Self::max(Self::POSTED) => i32::MAX,
            p => p as i32,
        }
    }

    /// The education rank required or a lower one (0 when none is given).
    #[inline]
    pub fn education_at_most(self) -> u8 {
        self.get(Self::EDUCATION) as u8
    }

    /// The years of experience required or fewer (0 when none are given).
    #[inline]
    pub fn experience_at_most(self) -> u8 {
        self.get(Self::EXPERIENCE) as u8
    }

    /// The industry index, [`NONE_U8`] when none is given, `None` when it
    /// is out of the range kept (bound as the best).
    #[inline]
    pub fn industry(self) -> Option<u8> {
        match self.get(Self::INDUSTRY) as u8 {
            Self::INDUSTRY_NONE => Some(NONE_U8),
            Self::INDUSTRY_ANY => None,
            i => Some(i),
        }
    }
}

/// One segment's fast fields as plain arrays, indexed by doc id.
pub struct SegmentColumns {
    /// Number of doc ids in the segment (alive or not).
    pub max_doc: u32,
    /// Latitude, degrees.
    pub lat: Vec<f32>,
    /// Longitude, degrees.
    pub lon: Vec<f32>,
    /// Dense region position (see [`crate::region::Region::dense`]).
    pub region: Vec<u16>,
    /// What the vacancy pays at best (its highest salary, else its lowest),
    /// CNY, or [`NONE_U32`]: all the salary signal reads.
    pub pay: Vec<u32>,
    /// Education rank, or [`NONE_U8`].
    pub education: Vec<u8>,
    /// Years of experience, or [`NONE_U8`].
    pub experience: Vec<u8>,
    /// Industry index, or [`NONE_U8`].
    pub industry: Vec<u8>,
    /// Packed occupation code, 0 when unknown.
    pub occupation: Vec<u32>,
    /// Posted, days since epoch (`i32::MIN` when absent).
    pub posted: Vec<i32>,
    /// Expires, days since epoch (`i32::MAX` when absent).
    pub expires: Vec<i32>,
    /// Openings.
    pub headcount: Vec<u32>,
    /// Employer key (0 when unknown).
    pub employer: Vec<u64>,
    /// Doc ids `0..remote_end` are the remote vacancies (the sort key puts
    /// them first).
    pub remote_end: u32,
    /// For each dense region, its doc-id range (empty when absent).
    pub region_ranges: Vec<Range<u32>>,
    /// For each dense region, the largest distance (km) from the region's
    /// gazetteer centroid to any vacancy of the region in this segment: with
    /// the triangle inequality it bounds every vacancy's distance from a
    /// seeker from below, so whole regions can be skipped safely.
    pub region_radius_km: Vec<f64>,
    /// Centre (lat, lon) of each block of [`BLOCK`] doc ids.
    pub block_centre: Vec<(f32, f32)>,
    /// Largest distance (km) from a block's centre to any of its vacancies.
    pub block_radius_km: Vec<f64>,
    /// Distinct canonical skills of each vacancy (at most 255 counted).
    pub skill_count: Vec<u8>,
    /// Each vacancy's column values in eight bytes, for bounds.
    pub summary: Vec<Summary>,
    /// Each doc's id term ordinal (ordinals sort like the ids).
    id_ord: Vec<u32>,
    /// The ids by ordinal, concatenated; `id_offsets[o]..id_offsets[o + 1]`.
    id_bytes: Vec<u8>,
    id_offsets: Vec<u32>,
    /// Per text field, the terms of each doc, read on first use and kept
    /// as long as the segment ([`super::Snapshot::segment_terms`]).
    pub(crate) terms: std::sync::Mutex<Vec<(tantivy::schema::Field, std::sync::Arc<SegmentTerms>)>>,
    /// What a later stage works out of this segment alone (the skill →
    /// occupation model's counts), with the number of its docs deleted when
    /// it was worked out (deletes only grow, so the number names the set):
    /// kept, so that a commit counts only the segments it wrote or deleted
    /// from. Typed by the stage that reads it: the columns come first in
    /// the flow and know nothing of it.
    pub(crate) derived: std::sync::Mutex<Option<(u32, std::sync::Arc<dyn std::any::Any + Send + Sync>)>>,
}

impl SegmentColumns {
    /// Decodes a segment's fast fields.
    ///
    /// # Errors
    /// [`Error::Corrupt`] when a field is missing or the sort order is broken.
    pub fn load(seg: &SegmentReader, gaz: &Gazetteer) -> Result<SegmentColumns> {
        let ff = seg.fast_fields();
        let max_doc = seg.max_doc();
        let corrupt = |what: &str| Error::Corrupt {
            reason: format!("segment {}: {what}", seg.segment_id().short_uuid_string()),
        };
        let u64col = |name: &str| ff.u64(name).map_err(|e| corrupt(&format!("{name}: {e}")));
        let read_u64 = |name: &str| -> Result<Vec<u64>> {
            let col = u64col(name)?;
            Ok((0..max_doc).map(|d| col.first(d).unwrap_or(NONE_U64)).collect())
        };
        let lat_col = ff.f64("lat").map_err(|e| corrupt(&format!("lat: {e}")))?;
        let lon_col = ff.f64("lon").map_err(|e| corrupt(&format!("lon: {e}")))?;
        let posted_col = ff.i64("posted").map_err(|e| corrupt(&format!("posted: {e}")))?;
        let expires_col = ff.i64("expires").map_err(|e| corrupt(&format!("expires: {e}")))?;
        let narrow_u8 = |v: Vec<u64>| -> Vec<u8> {
            v.into_iter()
                .map(|x| u8::try_from(x).unwrap_or(NONE_U8))
                .collect()
        };
        let narrow_u32 = |v: Vec<u64>| -> Vec<u32> {
            v.into_iter()
                .map(|x| u32::try_from(x).unwrap_or(NONE_U32))
                .collect()
        };
        let region_codes = read_u64("region_code")?;
        let mut region = Vec::with_capacity(max_doc as usize);
        for &code in &region_codes {
            let dense = u32::try_from(code)
                .ok()
                .and_then(|c| gaz.lookup(c))
                .map(|r| r.dense)
                .ok_or_else(|| corrupt(&format!("unknown region code {code}")))?;
            region.push(dense);
        }
        let sort_key = read_u64(super::schema::SORT_KEY)?;
        if sort_key.windows(2).any(|w| w[0] > w[1]) {
            return Err(corrupt("documents are not sorted by region"));
        }
        let remote_end = sort_key.partition_point(|&k| k == 0) as u32;
        // Each region must be one run of doc ids: the ranker skips whole runs.
        let mut region_ranges = vec![0..0; gaz.len()];
        let mut start = remote_end as usize;
        while start < region.len() {
            let dense = region[start];
            let end = start + region[start..].partition_point(|&r| r == dense);
            let slot = &mut region_ranges[usize::from(dense)];
            if slot.start != slot.end {
                return Err(corrupt("documents are not grouped by region"));
            }
            *slot = start as u32..end as u32;
            start = end;
        }
        let lat: Vec<f32> = (0..max_doc)
            .map(|d| lat_col.first(d).unwrap_or(0.0) as f32)
            .collect();
        let lon: Vec<f32> = (0..max_doc)
            .map(|d| lon_col.first(d).unwrap_or(0.0) as f32)
            .collect();
        let mut region_radius_km = vec![0.0; gaz.len()];
        for (dense, range) in region_ranges.iter().enumerate() {
            if let Some(r) = gaz.by_dense(dense as u16) {
                let c = Point::new(r.centroid.lat(), r.centroid.lon());
                region_radius_km[dense] = range
                    .clone()
                    .map(|d| c.distance_km(lat[d as usize], lon[d as usize]))
                    .fold(0.0, f64::max);
            }
        }
        // Blocks of BLOCK docs: a centre and the largest distance from it.
        let blocks = (max_doc as usize).div_ceil(BLOCK);
        let mut block_centre = Vec::with_capacity(blocks);
        let mut block_radius_km = Vec::with_capacity(blocks);
        for b in 0..blocks {
            let docs = b * BLOCK..((b + 1) * BLOCK).min(max_doc as usize);
            let n = docs.len() as f64;
            let clat = docs.clone().map(|d| f64::from(lat[d])).sum::<f64>() / n;
            let clon = docs.clone().map(|d| f64::from(lon[d])).sum::<f64>() / n;
            let c = Point::new(clat, clon);
            let r = docs.map(|d| c.distance_km(lat[d], lon[d])).fold(0.0, f64::max);
            block_centre.push((clat as f32, clon as f32));
            block_radius_km.push(r);
        }
        let ids: StrColumn = ff
            .str("id")
            .map_err(|e| corrupt(&format!("id: {e}")))?
            .ok_or_else(|| corrupt("id column missing"))?;
        // Ids are read once, in ordinal order, from the column's dictionary:
        // looking one up later would decompress a dictionary block each time.
        let mut id_bytes = Vec::new();
        let mut id_offsets = vec![0u32];
        let mut stream = ids
            .dictionary()
            .stream()
            .map_err(|e| corrupt(&format!("id dictionary: {e}")))?;
        while stream.advance() {
            id_bytes.extend_from_slice(stream.key());
            id_offsets.push(u32::try_from(id_bytes.len()).map_err(|_| corrupt("ids exceed 4 GiB"))?);
        }
        let num_ids = id_offsets.len() - 1;
        let id_ord: Vec<u32> = (0..max_doc)
            .map(|d| ids.term_ords(d).next().map_or(u32::MAX, |o| o as u32))
            .collect();
        if id_ord.iter().any(|&o| o as usize >= num_ids) {
            return Err(corrupt("a document has no id"));
        }
        let pay: Vec<u32> = narrow_u32(read_u64("salary_max")?)
            .into_iter()
            .zip(narrow_u32(read_u64("salary_min")?))
            .map(|(max, min)| if max != NONE_U32 { max } else { min })
            .collect();
        let education = narrow_u8(read_u64("education")?);
        let experience = narrow_u8(read_u64("experience")?);
        let industry = narrow_u8(read_u64("industry")?);
        let occupation = narrow_u32(read_u64("occupation")?);
        // Days since epoch, `absent` where a vacancy has none.
        let days = |col: &tantivy::columnar::Column<i64>, absent: i32| -> Vec<i32> {
            (0..max_doc)
                .map(|d| {
                    col.first(d).map_or(absent, |x| {
                        x.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
                    })
                })
                .collect()
        };
        let posted = days(&posted_col, i32::MIN);
        let skill_count: Vec<u8> = read_u64("skill_count")?
            .into_iter()
            .map(|c| c.min(255) as u8)
            .collect();
        let summary = (0..max_doc as usize)
            .map(|d| {
                Summary::new(
                    occupation[d],
                    pay[d],
                    posted[d],
                    education[d],
                    experience[d],
                    industry[d],
                )
            })
            .collect();
        Ok(SegmentColumns {
            max_doc,
            lat,
            lon,
            region,
            pay,
            education,
            experience,
            industry,
            occupation,
            posted,
            expires: days(&expires_col, i32::MAX),
            headcount: narrow_u32(read_u64("headcount")?),
            employer: read_u64("employer_key")?,
            remote_end,
            region_ranges,
            region_radius_km,
            block_centre,
            block_radius_km,
            skill_count,
            summary,
            id_ord,
            id_bytes,
            id_offsets,
            terms: std::sync::Mutex::default(),
            derived: std::sync::Mutex::default(),
        })
    }

    /// The id term ordinal of a doc (ordinals sort like ids within the segment).
    #[inline]
    pub fn id_ord(&self, doc: DocId) -> u64 {
        u64::from(self.id_ord[doc as usize])
    }

    /// The vacancy id of a doc.
    pub fn id_str(&self, doc: DocId) -> &str {
        let o = self.id_ord[doc as usize] as usize;
        let bytes = &self.id_bytes[self.id_offsets[o] as usize..self.id_offsets[o + 1] as usize];
        // Ids were indexed from Rust strings, so the bytes are UTF-8.
        std::str::from_utf8(bytes).unwrap_or_default()
    }

    /// The vacancy id of a doc, owned.
    pub fn id(&self, doc: DocId) -> String {
        self.id_str(doc).to_owned()
    }
}

/// `(doc, term)` pairs, docs below `max_doc`, grouped by doc (a counting
/// sort: linear in the pairs, where sorting them all was most of the time
/// at 1.88M vacancies), each doc's terms sorted: the offsets (one per doc,
/// and the end) and the terms.
// Docs come from the segment's postings, all below `max_doc`, the length
// of `counts` less one; cursors stay below their doc's end offset.
#[allow(clippy::indexing_slicing)]
pub(crate) fn by_doc(pairs: &[(u32, u32)], max_doc: u32) -> (Vec<u32>, Vec<u32>) {
    let mut off = vec![0u32; max_doc as usize + 1];
    for &(doc, _) in pairs {
        off[doc as usize + 1] += 1;
    }
    for d in 1..off.len() {
        off[d] += off[d - 1];
    }
    let mut cursor: Vec<u32> = off[..max_doc as usize].to_vec();
    let mut ids = vec![0u32; pairs.len()];
    for &(doc, id) in pairs {
        let c = &mut cursor[doc as usize];
        ids[*c as usize] = id;
        *c += 1;
    }
    for d in 0..max_doc as usize {
        ids[off[d] as usize..off[d + 1] as usize].sort_unstable();
    }
    (off, ids)
}

/// One segment's terms of one field, by doc: the segment's own
/// dictionary (names in its order) and, per doc, the ordinals of the terms
/// it holds (sorted). A segment never changes, so this is read once and
/// kept with the segment's columns: a snapshot after a commit reads only
/// the new segments' ([`super::Snapshot::segment_terms`]).
pub(crate) struct SegmentTerms {
    names: Vec<String>,
    offsets: Vec<u32>,
    ids: Vec<u32>,
}

impl SegmentTerms {
    /// Reads a segment's terms of `field` (every doc, deleted or not).
    ///
    /// # Errors
    /// [`Error::Index`] or [`Error::Io`] on a read failure.
    pub fn read(seg: &tantivy::SegmentReader, field: Field, max_doc: u32) -> Result<SegmentTerms> {
        let inv = seg.inverted_index(field)?;
        let mut names = Vec::new();
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        let mut stream = inv.terms().stream().map_err(Error::io_unnamed)?;
        while stream.advance() {
            let ord = names.len() as u32;
            names.push(String::from_utf8_lossy(stream.key()).into_owned());
            let mut postings = inv
                .read_postings_from_terminfo(stream.value(), IndexRecordOption::Basic)
                .map_err(Error::io_unnamed)?;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                pairs.push((doc, ord));
                doc = postings.advance();
            }
        }
        let (offsets, ids) = by_doc(&pairs, max_doc);
        Ok(SegmentTerms { names, offsets, ids })
    }

    /// The segment's dictionary: term names by ordinal.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Per doc, where its ordinals start in [`SegmentTerms::ids`] (and the
    /// end).
    pub fn offsets(&self) -> &[u32] {
        &self.offsets
    }

    /// Every doc's ordinals, doc after doc.
    pub fn ids(&self) -> &[u32] {
        &self.ids
    }

    /// The ordinals of a doc's terms, sorted.
    pub fn of_doc(&self, doc: u32) -> &[u32] {
        let (a, b) = (
            self.offsets.get(doc as usize).copied().unwrap_or(0) as usize,
            self.offsets.get(doc as usize + 1).copied().unwrap_or(0) as usize,
        );
        self.ids.get(a..b).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::by_doc;

    /// The counting sort gives what sorting every pair gives.
    #[test]
    fn grouping_by_doc_equals_sorting_the_pairs() {
        let mut state = 7u64;
        let mut next = |n: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 33) % n) as u32
        };
        for max_doc in [0u32, 1, 5, 300] {
            let pairs: Vec<(u32, u32)> = if max_doc == 0 {
                Vec::new()
            } else {
                (0..1_000).map(|_| (next(u64::from(max_doc)), next(50))).collect()
            };
            let (off, ids) = by_doc(&pairs, max_doc);
            let mut sorted = pairs.clone();
            sorted.sort_unstable();
            assert_eq!(off.len(), max_doc as usize + 1);
            assert_eq!(ids, sorted.iter().map(|p| p.1).collect::<Vec<_>>());
            for doc in 0..max_doc {
                let n = sorted.iter().filter(|p| p.0 == doc).count() as u32;
                assert_eq!(off[doc as usize + 1] - off[doc as usize], n);
            }
        }
    }
}
