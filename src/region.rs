//! The Sichuan–Chongqing gazetteer: every province, prefecture and
//! county-level unit with its GB/T 2260 code, names and coordinates.
//!
//! The table ships inside the crate (`data/regions.csv`, see `data/SOURCES.md`
//! for where each column comes from). Codes are validated against it once, at
//! the boundary, so a [`RegionCode`] is always a unit the engine knows.
//!
//! ```
//! use jobmatch::region::{gazetteer, RegionCode, RegionPrefix};
//! let jinjiang: RegionCode = "510104".parse()?;
//! let yuzhong: RegionCode = "500103".parse()?;
//! assert!(jinjiang.is_in("5101".parse::<RegionPrefix>()?));
//! let km = gazetteer().distance_km(jinjiang, yuzhong);
//! assert!((250.0..290.0).contains(&km));
//! # Ok::<(), jobmatch::Error>(())
//! ```

// Indexing here cannot panic: a `RegionCode` exists only for a unit of the gazetteer (validated on
// construction), so its lookups are in range.
#![allow(clippy::indexing_slicing)]

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::{OnceLock, RwLock};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Mean Earth radius in km (IUGG), used for great-circle distances.
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// WGS84 coordinates, always finite and in range.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "(f64, f64)", into = "(f64, f64)")]
pub struct Coordinates {
    lat: f64,
    lon: f64,
}

impl Coordinates {
    /// Validated coordinates.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming `lat` or `lon` when a value is not finite or
    /// outside ±90 / ±180 degrees.
    pub fn new(lat: f64, lon: f64) -> Result<Self> {
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            return Err(Error::invalid(
                "lat",
                format!("{lat} is not a latitude in [-90, 90]"),
            ));
        }
        if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
            return Err(Error::invalid(
                "lon",
                format!("{lon} is not a longitude in [-180, 180]"),
            ));
        }
        Ok(Coordinates { lat, lon })
    }

    /// Latitude in degrees.
    pub fn lat(self) -> f64 {
        self.lat
    }

    /// Longitude in degrees.
    pub fn lon(self) -> f64 {
        self.lon
    }

    /// Great-circle (haversine) distance in km.
    pub fn distance_km(self, other: Coordinates) -> f64 {
        Point::from(self).distance_to(other.lat, other.lon)
    }
}

/// A lower bound of the great-circle distance (km) between two points of
/// [`Point::unit`]: the chord is never longer than the arc, less a rounding
/// margin.
#[inline]
pub fn chord_km(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    let d: f64 = a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum();
    (EARTH_RADIUS_KM * d.sqrt() - 1e-6).max(0.0)
}

/// A point prepared for many great-circle distances from it: its latitude's
/// cosine is computed once. The crate's one haversine: every distance, from
/// the gazetteer's to the ranker's over the index's `f32` columns, is
/// computed here.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    lat: f64,
    lon: f64,
    cos_lat: f64,
}

impl Point {
    /// A point at `lat`, `lon` degrees.
    pub fn new(lat: f64, lon: f64) -> Point {
        let lat = lat.to_radians();
        Point {
            lat,
            lon: lon.to_radians(),
            cos_lat: lat.cos(),
        }
    }

    /// Haversine distance in km to a point given in degrees.
    #[inline]
    pub fn distance_to(&self, lat: f64, lon: f64) -> f64 {
        let (lat2, lon2) = (lat.to_radians(), lon.to_radians());
        let s1 = ((lat2 - self.lat) * 0.5).sin();
        let s2 = ((lon2 - self.lon) * 0.5).sin();
        let a = s1 * s1 + self.cos_lat * lat2.cos() * s2 * s2;
        2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
    }

    /// The point on the unit sphere: the chord between two such points,
    /// times the earth's radius ([`chord_km`]), never exceeds their
    /// great-circle distance and costs no trigonometry once both are made.
    pub fn unit(lat: f64, lon: f64) -> [f64; 3] {
        let (lat, lon) = (lat.to_radians(), lon.to_radians());
        [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
    }

    /// Haversine distance in km to a position stored as `f32` degrees (the
    /// index's columns).
    #[inline]
    pub fn distance_km(&self, lat: f32, lon: f32) -> f64 {
        self.distance_to(f64::from(lat), f64::from(lon))
    }
}

impl From<Coordinates> for Point {
    fn from(c: Coordinates) -> Point {
        Point::new(c.lat, c.lon)
    }
}

impl TryFrom<(f64, f64)> for Coordinates {
    type Error = Error;
    fn try_from((lat, lon): (f64, f64)) -> Result<Self> {
        Coordinates::new(lat, lon)
    }
}

impl From<Coordinates> for (f64, f64) {
    fn from(c: Coordinates) -> Self {
        (c.lat, c.lon)
    }
}

/// Administrative level of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 省级: Sichuan province or Chongqing municipality.
    Province,
    /// 地级: a prefecture-level city or autonomous prefecture.
    Prefecture,
    /// 县级: district, county-level city, county or autonomous county.
    County,
}

/// Whether a code is in use (see `data/SOURCES.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// In use.
    Current,
    /// Abolished at the end of 2025 (still valid in older data).
    Abolished2025,
    /// Created at the end of 2025.
    New2025,
}

/// A validated 6-digit GB/T 2260 code of a unit in the gazetteer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode(u32);

impl RegionCode {
    /// The code as a number, e.g. `510104`.
    pub fn get(self) -> u32 {
        self.0
    }

    /// The province code (`510000` or `500000`).
    pub fn province(self) -> RegionCode {
        RegionCode(self.0 / 10_000 * 10_000)
    }

    /// The unit's entry in the gazetteer that holds it (the shipped one
    /// first, then any registered).
    pub fn region(self) -> &'static Region {
        // A RegionCode is only made for a code some known gazetteer holds,
        // and gazetteers are never unregistered.
        known_region(self.0).unwrap_or_else(|| &gazetteer().regions[0])
    }

    /// Whether the code falls under `prefix` (`50` = all of Chongqing,
    /// `5101` = Chengdu, a 6-digit prefix = the unit itself).
    pub fn is_in(self, prefix: RegionPrefix) -> bool {
        self.0 / 10u32.pow(6 - u32::from(prefix.len)) == prefix.digits
    }
}

impl FromStr for RegionCode {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let unknown = || Error::UnknownRegion { code: s.to_owned() };
        if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(unknown());
        }
        let n: u32 = s.parse().map_err(|_| unknown())?;
        if known_region(n).is_some() {
            Ok(RegionCode(n))
        } else {
            Err(unknown())
        }
    }
}

impl TryFrom<String> for RegionCode {
    type Error = Error;
    fn try_from(s: String) -> Result<Self> {
        s.parse()
    }
}

impl From<RegionCode> for String {
    fn from(c: RegionCode) -> Self {
        c.to_string()
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:06}", self.0)
    }
}

/// The 2, 4 or 6 leading digits of region codes: a province, a prefecture
/// (or Chongqing's `5001` urban districts / `5002` counties), or one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionPrefix {
    digits: u32,
    len: u8,
}

impl RegionPrefix {
    /// The prefix covering exactly one unit.
    pub fn of(code: RegionCode) -> RegionPrefix {
        RegionPrefix {
            digits: code.0,
            len: 6,
        }
    }

    /// The province a code is in, as a 2-digit prefix.
    pub fn province_of(code: RegionCode) -> RegionPrefix {
        RegionPrefix {
            digits: code.0 / 10_000,
            len: 2,
        }
    }

    /// Number of digits (2, 4 or 6).
    pub fn len(self) -> usize {
        usize::from(self.len)
    }

    /// Always false: a prefix has at least two digits.
    pub fn is_empty(self) -> bool {
        false
    }

    /// The prefix as a number (`51`, `5101`, `510104`): distinct prefixes
    /// are distinct numbers, their lengths differing by magnitude.
    pub(crate) fn digits(self) -> u32 {
        self.digits
    }

    /// Whether this prefix covers all of `other`.
    pub fn covers(self, other: RegionPrefix) -> bool {
        other.len >= self.len && other.digits / 10u32.pow(u32::from(other.len - self.len)) == self.digits
    }
}

impl FromStr for RegionPrefix {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let unknown = || Error::UnknownRegion { code: s.to_owned() };
        if !matches!(s.len(), 2 | 4 | 6) || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(unknown());
        }
        let digits: u32 = s.parse().map_err(|_| unknown())?;
        let prefix = RegionPrefix {
            digits,
            len: s.len() as u8,
        };
        let known = known().read().unwrap_or_else(std::sync::PoisonError::into_inner);
        if known.iter().any(|g| g.all().iter().any(|r| r.code.is_in(prefix))) {
            Ok(prefix)
        } else {
            Err(unknown())
        }
    }
}

impl TryFrom<String> for RegionPrefix {
    type Error = Error;
    fn try_from(s: String) -> Result<Self> {
        s.parse()
    }
}

impl From<RegionPrefix> for String {
    fn from(p: RegionPrefix) -> Self {
        p.to_string()
    }
}

impl fmt::Display for RegionPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:0width$}", self.digits, width = usize::from(self.len))
    }
}

/// One unit of the gazetteer.
#[derive(Debug, Clone)]
pub struct Region {
    /// Its code.
    pub code: RegionCode,
    /// Chinese name, e.g. `锦江区`.
    pub name: String,
    /// Administrative level.
    pub level: Level,
    /// The prefecture it belongs to (itself for a prefecture; `500000` for
    /// Chongqing's districts and counties, which have no real prefecture).
    pub prefecture: RegionCode,
    /// The province it belongs to.
    pub province: RegionCode,
    /// Seat of government (likely GCJ-02, up to ~0.5 km off WGS84).
    pub seat: Coordinates,
    /// Area-weighted centroid of the unit's polygon (WGS84): the position of
    /// a vacancy or seeker that gives no coordinates.
    pub centroid: Coordinates,
    /// Whether the code is in use.
    pub status: Status,
    /// Dense position of the unit in the gazetteer, `0..gazetteer().len()`.
    pub dense: u16,
}

/// All units of Sichuan and Chongqing, with lookups.
#[derive(Debug)]
pub struct Gazetteer {
    regions: Vec<Region>,
    by_code: HashMap<u32, usize>,
    by_name: HashMap<String, Vec<usize>>,
    /// Per dense unit, `false` and `true`: the move tables of the seekers
    /// who would move nowhere and anywhere (most seekers), shared.
    nowhere: std::sync::Arc<[bool]>,
    anywhere: std::sync::Arc<[bool]>,
}

/// The gazetteer shipped with the crate (parsed once, on first use): the
/// Sichuan–Chongqing one of [`crate::reference::ReferenceData::sichuan_chongqing`].
// The shipped table is compiled in and parsed by the tests: it cannot fail
// here, whatever a user supplies.
#[allow(clippy::expect_used)]
pub fn gazetteer() -> &'static Gazetteer {
    static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
    GAZETTEER.get_or_init(|| {
        Gazetteer::from_csv(include_str!("../data/regions.csv"))
            .expect("the shipped data/regions.csv is valid (checked by tests)")
    })
}

/// Every gazetteer this process knows: the shipped one, then those
/// registered by [`Gazetteer::register`]. A [`RegionCode`] is valid when one
/// of them holds it, so that codes stay plain validated values while another
/// market's gazetteer can be plugged in.
fn known() -> &'static RwLock<Vec<&'static Gazetteer>> {
    static KNOWN: OnceLock<RwLock<Vec<&'static Gazetteer>>> = OnceLock::new();
    KNOWN.get_or_init(|| RwLock::new(vec![gazetteer()]))
}

/// The unit with this code in the first known gazetteer that holds it.
fn known_region(code: u32) -> Option<&'static Region> {
    let known = known().read().unwrap_or_else(std::sync::PoisonError::into_inner);
    known.iter().find_map(|g| g.lookup(code))
}

impl Gazetteer {
    /// Per dense unit, whether a seeker would move there: everywhere, or
    /// into the units under `prefixes`. The tables of moving nowhere and
    /// anywhere are shared.
    pub(crate) fn moves_table<'a>(
        &self,
        anywhere: bool,
        prefixes: impl Iterator<Item = &'a RegionPrefix> + Clone,
    ) -> std::sync::Arc<[bool]> {
        if anywhere {
            return self.anywhere.clone();
        }
        if prefixes.clone().next().is_none() {
            return self.nowhere.clone();
        }
        self.regions
            .iter()
            .map(|r| prefixes.clone().any(|&p| r.code.is_in(p)))
            .collect()
    }

    /// Reads a gazetteer from CSV text in the format of the shipped
    /// `data/regions.csv` (see `data/SOURCES.md`): one row per unit with its
    /// level, code, name, parent codes and coordinates.
    ///
    /// # Errors
    /// [`Error::Parse`] naming the row and field of the first bad row.
    pub fn from_csv(text: &str) -> Result<Gazetteer> {
        #[derive(Deserialize)]
        struct Row {
            level: String,
            adcode: u32,
            name: String,
            prefecture_adcode: Option<u32>,
            province_adcode: u32,
            lat: f64,
            lon: f64,
            centroid_lat: f64,
            centroid_lon: f64,
            status: String,
        }
        let mut regions = Vec::new();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        for (i, row) in reader.deserialize::<Row>().enumerate() {
            let line = i as u64 + 2;
            let row = row.map_err(|e| Error::Parse {
                line,
                field: "(row)".into(),
                reason: e.to_string(),
            })?;
            let level = match row.level.as_str() {
                "province" => Level::Province,
                "prefecture" => Level::Prefecture,
                "county" => Level::County,
                other => {
                    return Err(Error::Parse {
                        line,
                        field: "level".into(),
                        reason: format!("unknown level `{other}`"),
                    });
                }
            };
            let status = match row.status.as_str() {
                "abolished_2025" => Status::Abolished2025,
                "new_2025" => Status::New2025,
                _ => Status::Current,
            };
            if !(100_000..=999_999).contains(&row.adcode)
                || row.adcode % 10_000 == 0 && level != Level::Province
            {
                return Err(Error::Parse {
                    line,
                    field: "adcode".into(),
                    reason: format!("`{}` is not a 6-digit code of a unit at its level", row.adcode),
                });
            }
            if regions.iter().any(|r: &Region| r.code.0 == row.adcode) {
                return Err(Error::Parse {
                    line,
                    field: "adcode".into(),
                    reason: format!("code {} appears twice", row.adcode),
                });
            }
            let dense = u16::try_from(i).map_err(|_| Error::Parse {
                line,
                field: "(row)".into(),
                reason: "more than 65,535 units".into(),
            })?;
            regions.push(Region {
                code: RegionCode(row.adcode),
                name: row.name,
                level,
                prefecture: RegionCode(row.prefecture_adcode.unwrap_or(row.province_adcode)),
                province: RegionCode(row.province_adcode),
                seat: Coordinates::new(row.lat, row.lon)?,
                centroid: Coordinates::new(row.centroid_lat, row.centroid_lon)?,
                status,
                dense,
            });
        }
        let by_code = regions.iter().enumerate().map(|(i, r)| (r.code.0, i)).collect();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, r) in regions.iter().enumerate() {
            by_name.entry(r.name.clone()).or_default().push(i);
            let short = short_name(&r.name);
            if short != r.name {
                by_name.entry(short.to_owned()).or_default().push(i);
            }
        }
        Ok(Gazetteer {
            nowhere: vec![false; regions.len()].into(),
            anywhere: vec![true; regions.len()].into(),
            regions,
            by_code,
            by_name,
        })
    }

    /// The one unit a person means by `text`: a 6-digit code, or a name
    /// (`九龙坡区` or its short form `九龙坡`).
    ///
    /// ```
    /// use jobmatch::region::gazetteer;
    /// assert_eq!(gazetteer().resolve("九龙坡")?.code.to_string(), "500107");
    /// assert_eq!(gazetteer().resolve("500107")?.name, "九龙坡区");
    /// # Ok::<(), jobmatch::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::UnknownRegion`] when nothing has that code or name;
    /// [`Error::Invalid`] (field `region`) listing the codes when the name
    /// is ambiguous.
    pub fn resolve(&self, text: &str) -> Result<&Region> {
        if let Ok(code) = text.parse::<RegionCode>() {
            return Ok(self.get(code));
        }
        match self.find(text).as_slice() {
            [one] => Ok(one),
            [] => Err(Error::UnknownRegion {
                code: text.to_owned(),
            }),
            many => Err(Error::invalid(
                "region",
                format!(
                    "`{text}` names {} units ({}): give the code",
                    many.len(),
                    many.iter()
                        .map(|r| r.code.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        }
    }

    /// Makes this gazetteer's codes valid [`RegionCode`]s for the rest of the
    /// process and returns it with a `'static` lifetime (reference data lives
    /// as long as the process: it is leaked once, never freed). A code that
    /// an earlier gazetteer already holds keeps that one's entry for
    /// [`RegionCode::region`]; indexes and matchers always use their own.
    pub fn register(self) -> &'static Gazetteer {
        let g: &'static Gazetteer = Box::leak(Box::new(self));
        known()
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(g);
        g
    }

    /// Every unit, provinces first, in the table's order.
    pub fn all(&self) -> &[Region] {
        &self.regions
    }

    /// Number of units.
    pub fn len(&self) -> usize {
        self.regions.len()
    }

    /// Always false: the shipped table is not empty.
    pub fn is_empty(&self) -> bool {
        self.regions.is_empty()
    }

    /// The unit with this code: this gazetteer's entry, or for a code
    /// only another known gazetteer holds, that one's.
    pub fn get(&self, code: RegionCode) -> &Region {
        self.lookup(code.0).unwrap_or_else(|| code.region())
    }

    /// The unit with this numeric code, if the gazetteer has it.
    pub fn lookup(&self, code: u32) -> Option<&Region> {
        self.by_code.get(&code).map(|&i| &self.regions[i])
    }

    /// The unit at a dense position (see [`Region::dense`]).
    pub fn by_dense(&self, dense: u16) -> Option<&Region> {
        self.regions.get(usize::from(dense))
    }

    /// Units with this Chinese name, full (`九龙坡区`) or without its
    /// suffix (`九龙坡`). Several units may share a name (`市中区`).
    pub fn find(&self, name: &str) -> Vec<&Region> {
        self.by_name
            .get(name.trim())
            .map(|ids| ids.iter().map(|&i| &self.regions[i]).collect())
            .unwrap_or_default()
    }

    /// County-level units under a prefix.
    pub fn counties_in(&self, prefix: RegionPrefix) -> impl Iterator<Item = &Region> {
        self.regions
            .iter()
            .filter(move |r| r.level == Level::County && r.code.is_in(prefix))
    }

    /// Great-circle distance in km between the centroids of two units.
    pub fn distance_km(&self, a: RegionCode, b: RegionCode) -> f64 {
        self.get(a).centroid.distance_km(self.get(b).centroid)
    }
}

/// A unit's name without its administrative suffix, for lookups by the
/// short form people use (`九龙坡区` → `九龙坡`).
fn short_name(name: &str) -> &str {
    const SUFFIXES: [&str; 7] = ["自治州", "自治县", "新区", "市", "区", "县", "省"];
    for s in SUFFIXES {
        if let Some(stem) = name.strip_suffix(s)
            && stem.chars().count() >= 2
        {
            return stem;
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> RegionCode {
        s.parse().unwrap()
    }

    #[test]
    fn the_chord_never_exceeds_the_distance() {
        let g = gazetteer();
        for a in g.all() {
            let p = Point::new(a.centroid.lat(), a.centroid.lon());
            let u = Point::unit(a.centroid.lat(), a.centroid.lon());
            for b in g.all() {
                let (lat, lon) = (b.centroid.lat(), b.centroid.lon());
                let (d, c) = (p.distance_to(lat, lon), chord_km(&u, &Point::unit(lat, lon)));
                // The chord falls short of the arc by about d³ / 24R².
                let short = d.powi(3) / (24.0 * EARTH_RADIUS_KM * EARTH_RADIUS_KM);
                assert!(
                    c <= d && d - c <= 1.01 * short + 1e-5,
                    "{} to {}: chord {c}, arc {d}",
                    a.code,
                    b.code
                );
            }
        }
    }

    #[test]
    fn counts_per_province_and_level() {
        let g = gazetteer();
        assert_eq!(g.len(), 245);
        let count = |p: &str, level| {
            let p: RegionPrefix = p.parse().unwrap();
            g.all()
                .iter()
                .filter(|r| r.level == level && r.code.is_in(p))
                .count()
        };
        assert_eq!(count("51", Level::Prefecture), 21);
        assert_eq!(count("51", Level::County), 183);
        assert_eq!(count("50", Level::County), 39);
        assert_eq!(count("51", Level::Province) + count("50", Level::Province), 2);
    }

    #[test]
    fn known_codes_names_and_coordinates() {
        let g = gazetteer();
        let jinjiang = g.get(code("510104"));
        assert_eq!(jinjiang.name, "锦江区");
        assert_eq!(jinjiang.prefecture, code("510100"));
        assert_eq!(jinjiang.province, code("510000"));
        assert!((jinjiang.centroid.lat() - 30.6).abs() < 0.2);
        assert!((jinjiang.centroid.lon() - 104.1).abs() < 0.2);
        let jiulongpo = g.find("九龙坡");
        assert_eq!(jiulongpo.len(), 1);
        assert_eq!(jiulongpo[0].code, code("500107"));
        assert_eq!(jiulongpo[0].prefecture, code("500000"));
        assert_eq!(g.find("市中区").len(), 2, "乐山 and 内江 both have one");
        assert_eq!(g.get(code("500157")).status, Status::New2025);
        assert_eq!(g.get(code("500112")).status, Status::Abolished2025);
    }

    #[test]
    fn chengdu_to_chongqing_core_is_about_270_km() {
        let km = gazetteer().distance_km(code("510104"), code("500103"));
        assert!((255.0..=285.0).contains(&km), "{km}");
        assert_eq!(gazetteer().distance_km(code("510104"), code("510104")), 0.0);
    }

    #[test]
    fn bad_codes_are_rejected() {
        for bad in ["", "51010", "5101044", "51010a", "110101", "510199", " 510104"] {
            assert!(
                matches!(bad.parse::<RegionCode>(), Err(Error::UnknownRegion { .. })),
                "{bad}"
            );
        }
        for bad in ["5", "511", "11", "5199", "110101"] {
            assert!(bad.parse::<RegionPrefix>().is_err(), "{bad}");
        }
    }

    #[test]
    fn prefixes() {
        let p = |s: &str| s.parse::<RegionPrefix>().unwrap();
        assert!(code("500103").is_in(p("50")));
        assert!(code("500103").is_in(p("5001")));
        assert!(!code("500103").is_in(p("51")));
        assert!(code("510104").is_in(p("510104")));
        assert!(p("51").covers(p("5101")));
        assert!(!p("5101").covers(p("51")));
        assert_eq!(p("5001").to_string(), "5001");
        assert_eq!(RegionPrefix::province_of(code("500103")).to_string(), "50");
    }

    #[test]
    fn coordinates_validate() {
        assert!(Coordinates::new(f64::NAN, 0.0).is_err());
        assert!(Coordinates::new(91.0, 0.0).is_err());
        assert!(Coordinates::new(0.0, -180.5).is_err());
        assert!(Coordinates::new(30.0, 104.0).is_ok());
    }
}
