//! CSCO 2022 occupations: codes, hierarchy, names, aliases.

// Indexing here cannot panic: codes index the table they were validated against; hierarchy depths
// are 1..=4, the length of the credit table.
#![allow(clippy::indexing_slicing)]

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::{OnceLock, RwLock};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::text::fold;

/// A CSCO 2022 code such as `6-18-02-04` (major-middle-minor-occupation),
/// validated against the shipped classification.
///
/// Group codes are codes too: `6-18-00-00` is a middle group, `6-00-00-00`
/// a major group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OccupationCode(u32);

impl OccupationCode {
    /// The four parts: major (1 digit), middle, minor, occupation (2 each).
    pub fn parts(self) -> [u32; 4] {
        let n = self.0;
        [n / 1_000_000, n / 10_000 % 100, n / 100 % 100, n % 100]
    }

    /// Packed numeric form (`6-18-02-04` → `6180204`), for fast fields.
    pub fn packed(self) -> u32 {
        self.0
    }

    /// The code from its packed form, if it is in the classification.
    pub fn from_packed(n: u32) -> Option<OccupationCode> {
        known_entry(n).map(|_| OccupationCode(n))
    }

    /// The code truncated to a level: 1 = major, 2 = middle, 3 = minor group,
    /// 4 = the code itself. Not validated: a truncation may be a group that
    /// the source table lacks.
    pub fn truncate(self, level: usize) -> u32 {
        let p = self.parts();
        let keep = |i: usize, v: u32| if i < level { v } else { 0 };
        keep(0, p[0]) * 1_000_000 + keep(1, p[1]) * 10_000 + keep(2, p[2]) * 100 + keep(3, p[3])
    }

    /// The number of leading parts that are set (non-zero after the major
    /// group): 1 for a major group code up to 4 for an occupation.
    pub fn depth(self) -> usize {
        let p = self.parts();
        if p[3] != 0 {
            4
        } else if p[2] != 0 {
            3
        } else if p[1] != 0 {
            2
        } else {
            1
        }
    }

    /// The entry in the classification that holds it (the shipped one
    /// first, then any registered).
    pub fn occupation(self) -> &'static Occupation {
        // An OccupationCode is only made for a code some known
        // classification holds, and none is ever unregistered.
        known_entry(self.0).unwrap_or_else(|| &taxonomy().entries[0])
    }
}

impl FromStr for OccupationCode {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let bad = |why: &str| Error::invalid("occupation", format!("`{s}` {why}"));
        let b = s.as_bytes();
        let shape = b.len() == 10
            && b[1] == b'-'
            && b[4] == b'-'
            && b[7] == b'-'
            && [0, 2, 3, 5, 6, 8, 9].iter().all(|&i| b[i].is_ascii_digit());
        if !shape {
            return Err(bad("is not a CSCO code of the form 6-18-02-04"));
        }
        let d = |i: usize| u32::from(b[i] - b'0');
        let n = d(0) * 1_000_000 + (d(2) * 10 + d(3)) * 10_000 + (d(5) * 10 + d(6)) * 100 + d(8) * 10 + d(9);
        if known_entry(n).is_some() {
            Ok(OccupationCode(n))
        } else {
            Err(bad("is not in the CSCO 2022 classification"))
        }
    }
}

impl TryFrom<String> for OccupationCode {
    type Error = Error;
    fn try_from(s: String) -> Result<Self> {
        s.parse()
    }
}

impl From<OccupationCode> for String {
    fn from(c: OccupationCode) -> Self {
        c.to_string()
    }
}

impl fmt::Display for OccupationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d] = self.parts();
        write!(f, "{a}-{b:02}-{c:02}-{d:02}")
    }
}

/// Level of an entry in the classification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OccupationLevel {
    /// 大类 (8 of them).
    Major,
    /// 中类.
    Middle,
    /// 小类.
    Minor,
    /// 职业: a detailed occupation.
    Occupation,
}

/// One entry of the classification.
#[derive(Debug, Clone)]
pub struct Occupation {
    /// Its code.
    pub code: OccupationCode,
    /// Its level.
    pub level: OccupationLevel,
    /// The enclosing group, `None` for a major group.
    pub parent: Option<OccupationCode>,
    /// Official Chinese name.
    pub name: String,
    /// Marked as a digital occupation (数字职业) in the 2022 edition.
    pub digital: bool,
    /// Marked as a green occupation (绿色职业).
    pub green: bool,
    /// Job-board aliases (e.g. `CTO` for 首席技术官).
    pub aliases: Vec<String>,
}

/// The whole classification with lookups.
#[derive(Debug)]
pub struct Taxonomy {
    entries: Vec<Occupation>,
    by_code: HashMap<u32, usize>,
    by_name: HashMap<String, Vec<usize>>,
}

/// The classification shipped with the crate (parsed once, on first use).
// The shipped table is compiled in and parsed by the tests: it cannot fail
// here, whatever a user supplies.
#[allow(clippy::expect_used)]
pub fn taxonomy() -> &'static Taxonomy {
    static TAXONOMY: OnceLock<Taxonomy> = OnceLock::new();
    TAXONOMY.get_or_init(|| {
        Taxonomy::from_csv(include_str!("../../data/occupations.csv"))
            .expect("the shipped data/occupations.csv is valid (checked by tests)")
    })
}

/// Every classification this process knows: the shipped one, then those
/// registered by [`Taxonomy::register`]. An [`OccupationCode`] is valid when
/// one of them holds it.
fn known() -> &'static RwLock<Vec<&'static Taxonomy>> {
    static KNOWN: OnceLock<RwLock<Vec<&'static Taxonomy>>> = OnceLock::new();
    KNOWN.get_or_init(|| RwLock::new(vec![taxonomy()]))
}

/// The entry of this packed code in the first known classification that
/// holds it.
fn known_entry(code: u32) -> Option<&'static Occupation> {
    let known = known().read().unwrap_or_else(std::sync::PoisonError::into_inner);
    known
        .iter()
        .find_map(|t| t.by_code.get(&code).and_then(|&i| t.entries.get(i)))
}

impl Taxonomy {
    /// Makes this classification's codes valid [`OccupationCode`]s for the
    /// rest of the process and returns it with a `'static` lifetime
    /// (reference data lives as long as the process: it is leaked once). A
    /// code an earlier classification already holds keeps that one's entry
    /// for [`OccupationCode::occupation`].
    pub fn register(self) -> &'static Taxonomy {
        let t: &'static Taxonomy = Box::leak(Box::new(self));
        known()
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(t);
        t
    }

    /// Reads a classification from CSV text in the format of the shipped
    /// `data/occupations.csv` (code, level, parent code, name, flags,
    /// `|`-separated aliases).
    ///
    /// # Errors
    /// [`Error::Corrupt`] naming the first bad row.
    pub fn from_csv(text: &str) -> Result<Taxonomy> {
        #[derive(Deserialize)]
        struct Row {
            code: String,
            level: u8,
            parent_code: String,
            name: String,
            digital: u8,
            green: u8,
            aliases: String,
        }
        let rows: Vec<Row> = csv::Reader::from_reader(text.as_bytes())
            .deserialize()
            .collect::<std::result::Result<_, _>>()
            .map_err(|e| Error::Corrupt {
                reason: format!("data/occupations.csv: {e}"),
            })?;
        // Codes are packed first so that parents can be checked in one pass.
        let pack = |s: &str| -> Result<u32> {
            let digits: String = s.chars().filter(char::is_ascii_digit).collect();
            digits.parse().map_err(|_| Error::Corrupt {
                reason: format!("data/occupations.csv: bad code `{s}`"),
            })
        };
        let mut by_code = HashMap::new();
        for (i, r) in rows.iter().enumerate() {
            by_code.insert(pack(&r.code)?, i);
        }
        let mut entries = Vec::with_capacity(rows.len());
        for r in rows {
            let level = match r.level {
                1 => OccupationLevel::Major,
                2 => OccupationLevel::Middle,
                3 => OccupationLevel::Minor,
                _ => OccupationLevel::Occupation,
            };
            let parent = if r.parent_code.is_empty() {
                None
            } else {
                Some(OccupationCode(pack(&r.parent_code)?))
            };
            entries.push(Occupation {
                code: OccupationCode(pack(&r.code)?),
                level,
                parent,
                name: r.name,
                digital: r.digital == 1,
                green: r.green == 1,
                aliases: r
                    .aliases
                    .split('|')
                    .filter(|a| !a.is_empty())
                    .map(str::to_owned)
                    .collect(),
            });
        }
        // The source marks a few codes ending in -00 as occupations although
        // other occupations list them as parent (e.g. 6-20-03-00): those are
        // minor groups.
        let parents: std::collections::HashSet<u32> =
            entries.iter().filter_map(|e| e.parent.map(|p| p.0)).collect();
        for e in &mut entries {
            if e.level == OccupationLevel::Occupation && parents.contains(&e.code.0) {
                e.level = OccupationLevel::Minor;
            }
        }
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            for n in std::iter::once(&e.name).chain(&e.aliases) {
                let ids = by_name.entry(fold(n)).or_default();
                if !ids.contains(&i) {
                    ids.push(i);
                }
            }
        }
        Ok(Taxonomy {
            entries,
            by_code,
            by_name,
        })
    }

    /// Every entry, in code order.
    pub fn all(&self) -> &[Occupation] {
        &self.entries
    }

    /// The detailed occupations (level 4) only.
    pub fn occupations(&self) -> impl Iterator<Item = &Occupation> {
        self.entries
            .iter()
            .filter(|e| e.level == OccupationLevel::Occupation)
    }

    /// The entry for a code.
    pub fn get(&self, code: OccupationCode) -> &Occupation {
        // A code only another known classification holds: that one's entry.
        match self.by_code.get(&code.0).and_then(|&i| self.entries.get(i)) {
            Some(o) => o,
            None => code.occupation(),
        }
    }

    /// Entries whose official name or an alias equals `name` (width and case
    /// folded).
    pub fn find(&self, name: &str) -> Vec<&Occupation> {
        self.by_name
            .get(&fold(name))
            .map(|ids| ids.iter().map(|&i| &self.entries[i]).collect())
            .unwrap_or_default()
    }

    /// The code and its ancestors, from the code itself up to its major group.
    pub fn lineage(&self, code: OccupationCode) -> Vec<OccupationCode> {
        let mut out = vec![code];
        let mut cur = self.get(code).parent;
        while let Some(p) = cur {
            out.push(p);
            cur = self.get(p).parent;
        }
        out
    }

    /// How related two codes are, from the hierarchy: 1 for the same
    /// occupation (or when one is a group containing the other), 0.6 in the
    /// same minor group, 0.3 in the same middle group, 0.1 in the same major
    /// group, 0 otherwise.
    pub fn relatedness(&self, a: OccupationCode, b: OccupationCode) -> f64 {
        // One code being a group that contains the other counts as equal.
        relatedness_packed(a.packed(), b.packed())
    }
}

/// Relatedness of two codes by the number of leading parts they share,
/// when neither contains the other.
const BY_SHARED_PARTS: [f64; 5] = [0.0, 0.1, 0.3, 0.6, 1.0];

/// [`Taxonomy::relatedness`] on packed codes (see [`OccupationCode::packed`]),
/// for the ranker's hot loop; 0 when either code is 0 (unknown).
pub(crate) fn relatedness_packed(a: u32, b: u32) -> f64 {
    if a == 0 || b == 0 {
        return 0.0;
    }
    let (ca, cb) = (OccupationCode(a), OccupationCode(b));
    let (pa, pb) = (ca.parts(), cb.parts());
    let shared = pa.iter().zip(&pb).take_while(|(x, y)| x == y).count();
    if shared >= ca.depth().min(cb.depth()) {
        return 1.0;
    }
    BY_SHARED_PARTS[shared]
}

/// An index term for a vacancy's place in the hierarchy: its code's first
/// `l` parts (an ancestor, or the code itself), or the code exactly.
///
/// A vacancy coded `c` is indexed under [`path_terms`]`(c)`; a seeker coded
/// `o` looks for [`path_credits`]`(o)`. The credits of the terms a vacancy
/// holds sum to exactly `relatedness(o, c)`, so the terms' postings bound the
/// occupation signal of every vacancy: one that holds none of them earns
/// nothing from it. The ranker prunes with these bounds and still scores
/// from the code itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct PathTerm {
    /// Parts kept (1–4), or 0 for the code exactly. Parts, not depth:
    /// `1-01-00-01` and `1-01-00-02` share three parts.
    level: u8,
    /// Packed code, truncated to `level` parts.
    code: u32,
}

impl PathTerm {
    /// The term's text in the index (`p2.6180000`: first two parts 6-18;
    /// `e6180000`: coded 6-18 exactly).
    pub fn text(self) -> String {
        let mut out = String::with_capacity(12);
        self.write_text(&mut out);
        out
    }

    /// Appends the term's text to `out` (a query writes its terms' texts
    /// into one buffer).
    pub fn write_text(self, out: &mut String) {
        use std::fmt::Write;
        // Writing to a `String` cannot fail.
        let _ = match self.level {
            0 => write!(out, "e{}", self.code),
            l => write!(out, "p{l}.{}", self.code),
        };
    }
}

/// The terms a vacancy coded `c` is indexed under: its first `l` parts for
/// each `l` up to its depth, and its exact code when it is a group (no
/// seeker asks for an occupation's exact term: only ancestors have one in
/// [`path_credits`]).
pub(crate) fn path_terms(c: OccupationCode) -> Vec<PathTerm> {
    let depth = c.depth();
    let mut out: Vec<PathTerm> = (1..=depth)
        .map(|l| PathTerm {
            level: l as u8,
            code: c.truncate(l),
        })
        .collect();
    if depth < 4 {
        out.push(PathTerm {
            level: 0,
            code: c.packed(),
        });
    }
    out
}

/// The terms that earn a seeker coded `o` occupation credit, with what each
/// adds. A vacancy sharing `l` leading parts with `o` holds the prefix terms
/// of every level up to `l`, whose credits add up to the relatedness of `l`
/// shared parts; one at or below `o` also holds `o`'s own prefix term, and
/// one coded exactly at an ancestor of `o` holds that ancestor's exact term,
/// each topping the sum up to 1.
pub(crate) fn path_credits(o: OccupationCode) -> Vec<(PathTerm, f64)> {
    let depth = o.depth();
    let mut out = Vec::with_capacity(2 * depth);
    for l in 1..depth {
        let code = o.truncate(l);
        let prefix = PathTerm { level: l as u8, code };
        out.push((prefix, BY_SHARED_PARTS[l] - BY_SHARED_PARTS[l - 1]));
        // `1-01-00-01` truncated to three parts is `1-01`, whose exact term
        // belongs to level 2 only.
        if OccupationCode(code).depth() == l {
            out.push((PathTerm { level: 0, code }, 1.0 - BY_SHARED_PARTS[l]));
        }
    }
    out.push((
        PathTerm {
            level: depth as u8,
            code: o.packed(),
        },
        1.0 - BY_SHARED_PARTS[depth - 1],
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A vacancy's minor group is at least as related to any code as the
    /// vacancy's own code (the ranker's summaries keep only the group).
    #[test]
    fn a_minor_group_bounds_its_codes() {
        let codes: Vec<OccupationCode> = taxonomy().all().iter().map(|o| o.code).collect();
        for &o in &codes {
            for &c in &codes {
                let (exact, group) = (
                    relatedness_packed(o.packed(), c.packed()),
                    relatedness_packed(o.packed(), c.truncate(3)),
                );
                assert!(group >= exact, "{o} vs {c}: group {group} < code {exact}");
            }
        }
    }

    /// The bound the ranker prunes with is the signal itself, for every pair
    /// of codes in the classification.
    #[test]
    fn path_credits_sum_to_relatedness() {
        let codes: Vec<OccupationCode> = taxonomy().all().iter().map(|o| o.code).collect();
        let terms: Vec<Vec<PathTerm>> = codes.iter().map(|&c| path_terms(c)).collect();
        for &o in &codes {
            let credits = path_credits(o);
            for (c, held) in codes.iter().zip(&terms) {
                let sum: f64 = credits
                    .iter()
                    .filter(|(t, _)| held.contains(t))
                    .map(|(_, x)| x)
                    .sum();
                let r = relatedness_packed(o.packed(), c.packed());
                assert!(
                    (sum - r).abs() < 1e-12,
                    "{o} vs {c}: credits {sum}, relatedness {r}"
                );
            }
        }
    }

    fn code(s: &str) -> OccupationCode {
        s.parse().unwrap()
    }

    #[test]
    fn counts_per_level() {
        let t = taxonomy();
        let count = |l| t.all().iter().filter(|e| e.level == l).count();
        assert_eq!(count(OccupationLevel::Major), 8);
        assert_eq!(count(OccupationLevel::Middle), 72);
        // The source has 335 minor groups and 1,632 occupations, one of
        // which (6-20-03-00) is really a minor group with occupations under it.
        assert_eq!(count(OccupationLevel::Minor), 336);
        assert_eq!(count(OccupationLevel::Occupation), 1631);
    }

    #[test]
    fn every_parent_exists_and_codes_round_trip() {
        let t = taxonomy();
        for e in t.all() {
            if let Some(p) = e.parent {
                assert!(t.by_code.contains_key(&p.0), "{} has no parent {}", e.code, p);
                assert!(t.get(p).level < e.level);
            } else {
                assert_eq!(e.level, OccupationLevel::Major);
            }
            assert_eq!(code(&e.code.to_string()), e.code);
        }
    }

    #[test]
    fn lookups() {
        let t = taxonomy();
        let welder = t.get(code("6-18-02-04"));
        assert_eq!(welder.name, "焊工");
        assert!(t.find("焊工").iter().any(|o| o.code == welder.code));
        assert!(t.find("cto").iter().any(|o| o.name == "企业经理"));
        let lineage: Vec<String> = t.lineage(welder.code).iter().map(|c| c.to_string()).collect();
        assert_eq!(lineage[0], "6-18-02-04");
        assert_eq!(lineage.last().map(String::as_str), Some("6-00-00-00"));
    }

    #[test]
    fn bad_codes() {
        for bad in [
            "",
            "6180204",
            "6-18-02-4",
            "6-18-02-99",
            "x-18-02-04",
            "6-18-02-04 ",
        ] {
            assert!(bad.parse::<OccupationCode>().is_err(), "{bad}");
        }
    }

    #[test]
    fn relatedness_follows_the_hierarchy() {
        let t = taxonomy();
        let welder = code("6-18-02-04");
        assert_eq!(t.relatedness(welder, welder), 1.0);
        assert_eq!(t.relatedness(welder, code("6-18-00-00")), 1.0);
        let same_minor = t.relatedness(welder, code("6-18-02-01"));
        let same_middle = t.relatedness(welder, code("6-18-01-01"));
        let same_major = t.relatedness(welder, code("6-01-01-01"));
        let other = t.relatedness(welder, code("2-02-10-03"));
        assert!(same_minor > same_middle && same_middle > same_major && same_major > other);
        assert_eq!(other, 0.0);
    }
}
