//! A job seeker: skills, home, reach and preferences.

use serde::{Deserialize, Serialize, Serializer};

use super::{
    Cny, Education, Industry, MAX_TEXT_BYTES, PriorityGroup, check_count, check_list, check_text,
    check_years, coordinates,
};
use crate::error::{Error, Result};
use crate::region::{Coordinates, RegionCode, RegionPrefix};
use crate::taxonomy::OccupationCode;

/// Farthest daily commute, in straight-line km, when a seeker gives none
/// (the interchange format's default).
pub const DEFAULT_COMMUTE_KM: f64 = 30.0;

/// Largest accepted distance in km (commute or move): well beyond the
/// ~1,100 km span of Sichuan and Chongqing.
pub const MAX_KM: f64 = 5_000.0;

/// Where beyond a daily commute a seeker would move for a job.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(try_from = "MobilityRecord")]
pub struct Mobility {
    /// Region prefixes the seeker would move to (`50`, `5101`, `500103`).
    pub regions: Vec<RegionPrefix>,
    /// Would move anywhere.
    pub relocate: bool,
    /// Farthest move in km, if limited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_km: Option<f64>,
}

impl Mobility {
    /// Whether the seeker would move at all.
    pub fn is_mobile(&self) -> bool {
        self.relocate || !self.regions.is_empty()
    }

    /// Whether the seeker would move to a vacancy in `region` at `km` from home.
    pub fn would_move_to(&self, region: RegionCode, km: f64) -> bool {
        let within = self.max_km.is_none_or(|max| km <= max);
        within && (self.relocate || self.regions.iter().any(|&p| region.is_in(p)))
    }

    fn validate(&self) -> Result<()> {
        check_count("mobility.regions", &self.regions)?;
        if let Some(km) = self.max_km {
            check_km("mobility.max_km", km)?;
        }
        Ok(())
    }
}

#[derive(Deserialize)]
struct MobilityRecord {
    #[serde(default)]
    regions: Vec<RegionPrefix>,
    #[serde(default)]
    relocate: bool,
    max_km: Option<f64>,
}

impl TryFrom<MobilityRecord> for Mobility {
    type Error = Error;
    fn try_from(r: MobilityRecord) -> Result<Mobility> {
        let m = Mobility {
            regions: r.regions,
            relocate: r.relocate,
            max_km: r.max_km,
        };
        m.validate()?;
        Ok(m)
    }
}

fn check_km(field: &str, km: f64) -> Result<()> {
    if km.is_finite() && (0.0..=MAX_KM).contains(&km) {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            format!("{km} is not a distance in 0..={MAX_KM} km"),
        ))
    }
}

/// A job seeker, as in the interchange format's `Seeker` record.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "SeekerRecord")]
pub struct Seeker {
    /// Unique seeker id.
    pub id: String,
    /// The seeker's skills, free strings.
    pub skills: Vec<String>,
    /// Desired job titles.
    pub titles: Vec<String>,
    /// CSCO 2022 codes of the desired occupations.
    pub occupations: Vec<OccupationCode>,
    /// Home county-level unit.
    pub region: RegionCode,
    /// Home coordinates; see [`Seeker::position`] for the default.
    pub coordinates: Option<Coordinates>,
    /// Farthest acceptable daily commute, straight-line km.
    pub commute_km: f64,
    /// Where the seeker would move.
    pub mobility: Mobility,
    /// Lowest acceptable monthly salary.
    pub salary_min: Option<Cny>,
    /// Highest education attained.
    pub education: Option<Education>,
    /// Years of experience.
    pub experience_years: Option<u8>,
    /// Preferred GB/T 4754 sections.
    pub industries: Vec<Industry>,
    /// Priority groups the seeker belongs to.
    pub groups: Vec<PriorityGroup>,
}

impl Seeker {
    /// A 128-bit digest of every field: two seekers with the same digest
    /// are, but for a collision no one will meet, the same seeker. The
    /// reverse direction keeps what it read of a seeker from one commit to
    /// the next while the digest holds.
    pub(crate) fn fingerprint(&self) -> u128 {
        use std::hash::{BuildHasher, Hash, Hasher};
        // Every field, so that one added is one hashed (or a build error).
        let Seeker {
            id,
            skills,
            titles,
            occupations,
            region,
            coordinates,
            commute_km,
            mobility:
                Mobility {
                    regions,
                    relocate,
                    max_km,
                },
            salary_min,
            education,
            experience_years,
            industries,
            groups,
        } = self;
        let mut digest = [0u64; 2];
        for (seed, out) in [0x6a6f_626d_6174_6368u64, 0x7265_7665_7273_6521]
            .into_iter()
            .zip(&mut digest)
        {
            let mut h = foldhash::quality::FixedState::with_seed(seed).build_hasher();
            id.hash(&mut h);
            skills.hash(&mut h);
            titles.hash(&mut h);
            occupations.len().hash(&mut h);
            for o in occupations {
                o.packed().hash(&mut h);
            }
            region.get().hash(&mut h);
            coordinates
                .map(|c| (c.lat().to_bits(), c.lon().to_bits()))
                .hash(&mut h);
            commute_km.to_bits().hash(&mut h);
            regions.len().hash(&mut h);
            for p in regions {
                p.digits().hash(&mut h);
            }
            relocate.hash(&mut h);
            max_km.map(f64::to_bits).hash(&mut h);
            salary_min.map(|c| c.yuan()).hash(&mut h);
            education.map(|e| e.rank()).hash(&mut h);
            experience_years.hash(&mut h);
            industries.len().hash(&mut h);
            for i in industries {
                i.index().hash(&mut h);
            }
            groups.len().hash(&mut h);
            for &g in groups {
                (g as u32).hash(&mut h);
            }
            *out = h.finish();
        }
        (u128::from(digest[0]) << 64) | u128::from(digest[1])
    }

    /// A seeker with the required fields, the default commute and every
    /// optional field unset.
    ///
    /// # Errors
    /// [`Error::Invalid`] when the id is blank or a skill is blank.
    pub fn new(id: impl Into<String>, skills: Vec<String>, region: RegionCode) -> Result<Seeker> {
        let s = Seeker {
            id: id.into(),
            skills,
            titles: Vec::new(),
            occupations: Vec::new(),
            region,
            coordinates: None,
            commute_km: DEFAULT_COMMUTE_KM,
            mobility: Mobility::default(),
            salary_min: None,
            education: None,
            experience_years: None,
            industries: Vec::new(),
            groups: Vec::new(),
        };
        s.validate()?;
        Ok(s)
    }

    /// Where the seeker lives: the coordinates, or the region's centroid.
    pub fn position(&self) -> Coordinates {
        self.coordinates.unwrap_or_else(|| self.region.region().centroid)
    }

    /// Checks every rule of the interchange format.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the first field at fault.
    pub fn validate(&self) -> Result<()> {
        check_text("id", &self.id, MAX_TEXT_BYTES)?;
        check_list("skills", &self.skills)?;
        check_list("titles", &self.titles)?;
        check_count("occupations", &self.occupations)?;
        check_count("industries", &self.industries)?;
        check_count("groups", &self.groups)?;
        check_km("commute_km", self.commute_km)?;
        self.mobility.validate()?;
        check_years("experience_years", self.experience_years)
    }
}

#[derive(Deserialize)]
pub(crate) struct SeekerRecord {
    id: String,
    skills: Vec<String>,
    #[serde(default)]
    titles: Vec<String>,
    #[serde(default)]
    occupations: Vec<OccupationCode>,
    region: RegionCode,
    lat: Option<f64>,
    lon: Option<f64>,
    commute_km: Option<f64>,
    #[serde(default)]
    mobility: Mobility,
    salary_min: Option<Cny>,
    education: Option<Education>,
    experience_years: Option<u8>,
    #[serde(default)]
    industries: Vec<Industry>,
    #[serde(default)]
    groups: Vec<PriorityGroup>,
}

impl TryFrom<SeekerRecord> for Seeker {
    type Error = Error;
    fn try_from(r: SeekerRecord) -> Result<Seeker> {
        let s = Seeker {
            id: r.id,
            skills: r.skills,
            titles: r.titles,
            occupations: r.occupations,
            region: r.region,
            coordinates: coordinates(r.lat, r.lon)?,
            commute_km: r.commute_km.unwrap_or(DEFAULT_COMMUTE_KM),
            mobility: r.mobility,
            salary_min: r.salary_min,
            education: r.education,
            experience_years: r.experience_years,
            industries: r.industries,
            groups: r.groups,
        };
        s.validate()?;
        Ok(s)
    }
}

#[derive(Serialize)]
struct SeekerWire<'a> {
    id: &'a str,
    skills: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    titles: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    occupations: &'a [OccupationCode],
    region: RegionCode,
    #[serde(skip_serializing_if = "Option::is_none")]
    lat: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lon: Option<f64>,
    commute_km: f64,
    #[serde(skip_serializing_if = "is_immobile")]
    mobility: &'a Mobility,
    #[serde(skip_serializing_if = "Option::is_none")]
    salary_min: Option<Cny>,
    #[serde(skip_serializing_if = "Option::is_none")]
    education: Option<Education>,
    #[serde(skip_serializing_if = "Option::is_none")]
    experience_years: Option<u8>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    industries: &'a [Industry],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    groups: &'a [PriorityGroup],
}

fn is_immobile(m: &&Mobility) -> bool {
    **m == Mobility::default()
}

impl Serialize for Seeker {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        SeekerWire {
            id: &self.id,
            skills: &self.skills,
            titles: &self.titles,
            occupations: &self.occupations,
            region: self.region,
            lat: self.coordinates.map(Coordinates::lat),
            lon: self.coordinates.map(Coordinates::lon),
            commute_km: self.commute_km,
            mobility: &self.mobility,
            salary_min: self.salary_min,
            education: self.education,
            experience_years: self.experience_years,
            industries: &self.industries,
            groups: &self.groups,
        }
        .serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::Seeker;
    use crate::model::{Cny, Education, Industry, PriorityGroup};

    /// One change to a seeker.
    type Change = Box<dyn Fn(&mut Seeker)>;

    /// A change to any field changes the digest a renewed state keeps a
    /// seeker by.
    #[test]
    fn any_change_changes_the_fingerprint() {
        let base = Seeker::new("s1", vec!["焊接".into()], "500107".parse().unwrap()).unwrap();
        let changes: Vec<Change> = vec![
            Box::new(|s| s.id = "s2".into()),
            Box::new(|s| s.skills.push("电工".into())),
            Box::new(|s| s.titles.push("电焊工".into())),
            Box::new(|s| s.occupations.push("6-18-02-04".parse().unwrap())),
            Box::new(|s| s.region = "500103".parse().unwrap()),
            Box::new(|s| s.coordinates = Some(crate::region::Coordinates::new(29.5, 106.5).unwrap())),
            Box::new(|s| s.commute_km = 31.0),
            Box::new(|s| s.mobility.regions.push("5101".parse().unwrap())),
            Box::new(|s| s.mobility.relocate = true),
            Box::new(|s| s.mobility.max_km = Some(100.0)),
            Box::new(|s| s.salary_min = Some(Cny::new(4000).unwrap())),
            Box::new(|s| s.education = Some(Education::Bachelor)),
            Box::new(|s| s.experience_years = Some(2)),
            Box::new(|s| s.industries.extend(Industry::all().take(1))),
            Box::new(|s| s.groups.push(PriorityGroup::Veteran)),
        ];
        let mut seen = vec![base.fingerprint()];
        for change in &changes {
            let mut s = base.clone();
            change(&mut s);
            let print = s.fingerprint();
            assert!(!seen.contains(&print), "{s:?}");
            seen.push(print);
        }
        assert_eq!(base.clone().fingerprint(), base.fingerprint());
    }
}
