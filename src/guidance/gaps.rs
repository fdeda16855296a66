//! Skill gaps by district or prefecture: what employers there ask for
//! against what the seekers who live there hold.
//!
//! **Demand** for a skill in an area: its open vacancies' openings
//! (headcount) that ask for it, each weighted by the skill's share of the
//! vacancy's skills (IDF over the vacancy's total, as a seeker's skills
//! share the skills signal), so a vacancy asking for one rare skill counts
//! it whole and one asking for ten counts each a little. **Supply**: the
//! seekers living in the area who hold it. The **gap** is demand − supply.
//! Each of an area's largest gaps is broken down by the vacancies'
//! industry and CSCO major group, and names the area's seekers whose
//! chances it blocks most: those lacking the skill for whom adding it
//! ([`super::Guide::gain`]) brings the most vacancies above their k-th
//! match.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use super::{GuidanceConfig, Guide, held_skills};
use crate::error::{Error, Result};
use crate::index::doc_terms::DocTerms;
use crate::index::terms::idf;
use crate::index::{SegmentColumns, Snapshot};
use crate::matcher::Matcher;
use crate::model::{Industry, Seeker};
use crate::region::{Level, Region};
use crate::taxonomy::{OccupationCode, taxonomy};

/// The areas gaps are counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AreaLevel {
    /// County-level districts.
    #[default]
    District,
    /// Prefectures (Chongqing's districts and counties as one).
    Prefecture,
}

/// What a gap report holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapConfig {
    /// Districts or prefectures.
    pub level: AreaLevel,
    /// Largest gaps reported per area (default 10).
    pub top: usize,
    /// Seekers named per gap whose chances it blocks most (default 5; 0:
    /// none). Each of the area's seekers lacking the skill is evaluated.
    pub blocked: usize,
    /// The k of the seekers' bar for the blocked seekers (default 10).
    pub k: usize,
    /// Report only the area with this name or code (default: all).
    pub area: Option<String>,
    /// Also report this skill's demand and supply in every area (for a
    /// map), in any spelling the vocabulary reads (`Excel`, `电焊`);
    /// default: the skill with the largest gap over all areas.
    pub skill: Option<String>,
}

impl Default for GapConfig {
    fn default() -> Self {
        GapConfig {
            level: AreaLevel::District,
            top: 10,
            blocked: 5,
            k: 10,
            area: None,
            skill: None,
        }
    }
}

/// Demand in one industry or major group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breakdown {
    /// Industry or major group name.
    pub name: String,
    /// Its part of the demand.
    pub demand: f64,
}

/// A seeker whose chances a gap blocks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Blocked {
    /// Seeker id.
    pub seeker: String,
    /// Vacancies the skill would bring above their k-th match.
    pub entering: u64,
    /// Net of those that would fall below it.
    pub net: i64,
    /// How much their top k's mean score would rise.
    pub top_rise: f64,
    /// More vacancies would be above their bar than the count cap
    /// ([`super::GuidanceConfig::count_cap`]): `entering` and `net` are
    /// lower bounds.
    pub saturated: bool,
}

/// One skill's gap in one area.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gap {
    /// The skill as the vocabulary names it.
    pub skill: String,
    /// Weighted openings asking for it.
    pub demand: f64,
    /// Seekers of the area holding it.
    pub supply: u64,
    /// `demand − supply`.
    pub gap: f64,
    /// Demand by the vacancies' industry, most first.
    pub by_industry: Vec<Breakdown>,
    /// Demand by the vacancies' CSCO major group, most first.
    pub by_major_group: Vec<Breakdown>,
    /// The area's seekers lacking it whom it would help most.
    pub blocked: Vec<Blocked>,
}

/// One area's gaps.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaGaps {
    /// Region code of the district or prefecture.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Open vacancies there.
    pub vacancies: u64,
    /// Their openings.
    pub openings: u64,
    /// Seekers living there.
    pub seekers: u64,
    /// The largest gaps, largest first.
    pub gaps: Vec<Gap>,
}

/// One skill in one area, for a map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkillArea {
    /// Region code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Centroid latitude and longitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Weighted openings asking for the skill.
    pub demand: f64,
    /// Seekers holding it.
    pub supply: u64,
}

/// The gaps of a market.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapReport {
    /// Districts or prefectures.
    pub level: AreaLevel,
    /// The areas reported, by largest gap first.
    pub areas: Vec<AreaGaps>,
    /// The skill mapped, as the vocabulary names it.
    pub skill: Option<String>,
    /// Its demand and supply in every area with either.
    pub skill_by_area: Vec<SkillArea>,
}

/// Per area: demand by skill, and (second pass) breakdowns.
#[derive(Default)]
struct AreaTally {
    vacancies: u64,
    openings: u64,
    demand: HashMap<u32, f64>,
    seekers: u64,
    supply: HashMap<String, u64>,
}

/// A skill term of an area: (term, demand, supply, gap).
type Candidate = (u32, f64, u64, f64);

fn area_of(region: &Region, level: AreaLevel) -> u32 {
    match level {
        AreaLevel::District => region.code.get(),
        AreaLevel::Prefecture => region.prefecture.get(),
    }
}

/// Calls `f` with every open vacancy that has a place (live, not expired,
/// not remote): its columns, doc, region, skill term ids and their total
/// IDF weight.
fn each_open<'s>(
    snapshot: &'s Snapshot,
    terms: &'s DocTerms,
    weights: &[f64],
    today: i32,
    mut f: impl FnMut(&SegmentColumns, u32, &'s Region, &'s [u32], f64),
) {
    let gazetteer = snapshot.reference().gazetteer();
    let weight = |t: &u32| weights.get(*t as usize).copied().unwrap_or(0.0);
    for ((si, cols), reader) in snapshot
        .segments()
        .iter()
        .enumerate()
        .zip(snapshot.segment_readers())
    {
        for doc in cols.remote_end..cols.max_doc {
            let open = !reader.is_deleted(doc) && cols.expires.get(doc as usize).is_some_and(|&e| e >= today);
            let Some(region) = cols.region.get(doc as usize).and_then(|&r| gazetteer.by_dense(r)) else {
                continue;
            };
            if open {
                let ids = terms.of_doc(si as u32, doc);
                f(cols, doc, region, ids, ids.iter().map(weight).sum());
            }
        }
    }
}

fn breakdown(m: BTreeMap<String, f64>) -> Vec<Breakdown> {
    let mut v: Vec<Breakdown> = m
        .into_iter()
        .map(|(name, demand)| Breakdown { name, demand })
        .collect();
    v.sort_by(|a, b| b.demand.total_cmp(&a.demand).then(a.name.cmp(&b.name)));
    v.truncate(5);
    v
}

/// The skill gaps of `matcher`'s market against `seekers` (by the areas
/// they live in), as `config` asks.
///
/// # Errors
/// [`Error::Invalid`] for an unknown area or a seeker the matcher refuses,
/// [`Error::Config`] for a zero `top` or `k`; an index failure.
pub fn gaps(matcher: &Matcher, seekers: &[Seeker], config: &GapConfig) -> Result<GapReport> {
    if config.top == 0 || config.k == 0 {
        return Err(Error::Config {
            reason: "gaps: top and k must be at least 1".into(),
        });
    }
    super::check_unique(seekers)?;
    let snapshot = matcher.snapshot();
    let gazetteer = snapshot.reference().gazetteer();
    let wanted: Option<u32> = match &config.area {
        None => None,
        Some(name) => {
            let r = gazetteer.resolve(name).map_err(|_| Error::Invalid {
                field: "area".into(),
                reason: format!("no district or prefecture `{name}` in the gazetteer"),
            })?;
            if config.level == AreaLevel::District && r.level != Level::County {
                return Err(Error::Invalid {
                    field: "area".into(),
                    reason: format!("`{name}` is not a district: name one, or count by prefecture"),
                });
            }
            Some(area_of(r, config.level))
        }
    };
    let terms = DocTerms::of(snapshot, snapshot.fields().skills)?;
    // Skills are counted by their index terms (folded: `excel`) and named
    // as the vocabulary names them (`Excel`).
    let vocab = snapshot.reference().skills();
    let named = |term: &str| vocab.name_of_term(term).to_owned();
    let n: u64 = snapshot.segments().iter().map(|s| u64::from(s.max_doc)).sum();
    let weights: Vec<f64> = terms.doc_freqs().iter().map(|&df| idf(n, df)).collect();
    let today = matcher.today().days_since_epoch();
    let mut areas: BTreeMap<u32, AreaTally> = BTreeMap::new();
    let weight = |t: u32| weights.get(t as usize).copied().unwrap_or(0.0);
    // Demand: every open vacancy's skills.
    each_open(
        snapshot,
        &terms,
        &weights,
        today,
        |cols, doc, region, ids, total| {
            let tally = areas.entry(area_of(region, config.level)).or_default();
            let openings = cols.headcount.get(doc as usize).copied().unwrap_or(1);
            tally.vacancies += 1;
            tally.openings += u64::from(openings);
            if total > 0.0 {
                for &t in ids {
                    *tally.demand.entry(t).or_default() += f64::from(openings) * weight(t) / total;
                }
            }
        },
    );
    // Supply: the seekers' canonical skills, by home area.
    let held: Vec<Vec<String>> = seekers
        .par_iter()
        .map(|s| Ok(held_skills(&matcher.prepare(s)?)))
        .collect::<Result<_>>()?;
    for (s, skills) in seekers.iter().zip(&held) {
        let region = gazetteer.get(s.region);
        let tally = areas.entry(area_of(region, config.level)).or_default();
        tally.seekers += 1;
        for h in skills {
            *tally.supply.entry(h.clone()).or_default() += 1;
        }
    }
    let gap_of = |tally: &AreaTally, t: u32| {
        let demand = tally.demand.get(&t).copied().unwrap_or(0.0);
        let supply = tally.supply.get(terms.name(t)).copied().unwrap_or(0);
        (demand, supply, demand - supply as f64)
    };
    // The largest gaps of each area reported.
    let mut chosen: Vec<(u32, Vec<Candidate>)> = Vec::new();
    for (&area, tally) in &areas {
        if wanted.is_some_and(|w| w != area) {
            continue;
        }
        let mut g: Vec<Candidate> = tally
            .demand
            .keys()
            .map(|&t| {
                let (d, s, gap) = gap_of(tally, t);
                (t, d, s, gap)
            })
            .filter(|x| x.3 > 0.0)
            .collect();
        g.sort_by(|a, b| b.3.total_cmp(&a.3).then(terms.name(a.0).cmp(terms.name(b.0))));
        g.truncate(config.top);
        chosen.push((area, g));
    }
    if let Some(w) = wanted
        && chosen.is_empty()
    {
        return Err(Error::Invalid {
            field: "area".into(),
            reason: format!("area {w} has no open vacancy and no seeker"),
        });
    }
    // Breakdowns of the chosen gaps: a second pass over their areas.
    let mut by_industry: HashMap<(u32, u32), BTreeMap<String, f64>> = HashMap::new();
    let mut by_major: HashMap<(u32, u32), BTreeMap<String, f64>> = HashMap::new();
    let wanted_pairs: HashMap<u32, Vec<u32>> = chosen
        .iter()
        .map(|(a, g)| (*a, g.iter().map(|x| x.0).collect()))
        .collect();
    each_open(
        snapshot,
        &terms,
        &weights,
        today,
        |cols, doc, region, ids, total| {
            let area = area_of(region, config.level);
            let Some(skills) = wanted_pairs.get(&area) else {
                return;
            };
            let openings = f64::from(cols.headcount.get(doc as usize).copied().unwrap_or(1));
            for &t in ids.iter().filter(|t| skills.contains(t)) {
                let part = openings * weight(t) / total;
                let industry = cols
                    .industry
                    .get(doc as usize)
                    .and_then(|&i| Industry::from_index(usize::from(i)))
                    .map_or("(no industry)", Industry::name_zh);
                *by_industry
                    .entry((area, t))
                    .or_default()
                    .entry(industry.to_owned())
                    .or_default() += part;
                let major = cols
                    .occupation
                    .get(doc as usize)
                    .and_then(|&o| OccupationCode::from_packed(o))
                    .and_then(|c| OccupationCode::from_packed(c.truncate(1)))
                    .map_or_else(
                        || "(no occupation)".to_owned(),
                        |c| taxonomy().get(c).name.clone(),
                    );
                *by_major.entry((area, t)).or_default().entry(major).or_default() += part;
            }
        },
    );
    // The blocked seekers: those of the area lacking the skill, by gain.
    let guide = Guide::new(
        matcher,
        GuidanceConfig {
            k: config.k,
            ..GuidanceConfig::default()
        },
    )?;
    let mut out = Vec::with_capacity(chosen.len());
    for (area, g) in chosen {
        let Some(tally) = areas.get(&area) else { continue };
        let skills: Vec<String> = g.iter().map(|x| terms.name(x.0).to_owned()).collect();
        // Each resident's gain from each gap skill they lack, their bar
        // computed once.
        let mut blocked: HashMap<&str, Vec<Blocked>> = HashMap::new();
        if config.blocked > 0 {
            let residents: Vec<(usize, &Seeker)> = seekers
                .iter()
                .enumerate()
                .filter(|(_, s)| area_of(gazetteer.get(s.region), config.level) == area)
                .collect();
            let per: Vec<Vec<(&str, Blocked)>> = residents
                .par_iter()
                .map(|&(i, s)| {
                    let lacking: Vec<&str> = skills
                        .iter()
                        .filter(|k| held.get(i).is_some_and(|h| !h.contains(k)))
                        .map(String::as_str)
                        .collect();
                    let sets: Vec<Vec<String>> = lacking.iter().map(|k| vec![(*k).to_owned()]).collect();
                    let gains = guide.gains(s, &sets)?;
                    Ok(lacking
                        .into_iter()
                        .zip(gains)
                        .map(|(k, g)| {
                            (
                                k,
                                Blocked {
                                    seeker: s.id.clone(),
                                    entering: g.entering,
                                    net: g.net,
                                    top_rise: g.top_rise(),
                                    saturated: g.saturated,
                                },
                            )
                        })
                        .collect())
                })
                .collect::<Result<_>>()?;
            for (k, b) in per.into_iter().flatten() {
                if b.entering > 0 || b.top_rise > 0.0 {
                    blocked.entry(k).or_default().push(b);
                }
            }
        }
        let mut gaps = Vec::with_capacity(g.len());
        for (t, demand, supply, gap) in g {
            let mut b = blocked.remove(terms.name(t)).unwrap_or_default();
            b.sort_by(|a, b| {
                b.net
                    .cmp(&a.net)
                    .then(b.top_rise.total_cmp(&a.top_rise))
                    .then(a.seeker.cmp(&b.seeker))
            });
            b.truncate(config.blocked);
            gaps.push(Gap {
                by_industry: breakdown(by_industry.remove(&(area, t)).unwrap_or_default()),
                by_major_group: breakdown(by_major.remove(&(area, t)).unwrap_or_default()),
                skill: named(terms.name(t)),
                demand,
                supply,
                gap,
                blocked: b,
            });
        }
        let code = area.to_string().parse::<crate::region::RegionCode>().ok();
        out.push(AreaGaps {
            code: area.to_string(),
            name: code.map_or_else(|| area.to_string(), |c| gazetteer.get(c).name.clone()),
            vacancies: tally.vacancies,
            openings: tally.openings,
            seekers: tally.seekers,
            gaps,
        });
    }
    out.sort_by(|a, b| {
        let top = |x: &AreaGaps| x.gaps.first().map_or(0.0, |g| g.gap);
        top(b).total_cmp(&top(a)).then(a.code.cmp(&b.code))
    });
    // The skill mapped: asked for (any spelling the vocabulary reads), or
    // the largest gap over all areas.
    let skill = config.skill.as_deref().map(|s| vocab.canonical(s)).or_else(|| {
        let mut total: HashMap<u32, f64> = HashMap::new();
        for tally in areas.values() {
            for &t in tally.demand.keys() {
                *total.entry(t).or_default() += gap_of(tally, t).2;
            }
        }
        total
            .into_iter()
            .max_by(|a, b| a.1.total_cmp(&b.1).then(terms.name(b.0).cmp(terms.name(a.0))))
            .map(|(t, _)| terms.name(t).to_owned())
    });
    let mut skill_by_area = Vec::new();
    if let Some(skill) = &skill {
        let t = terms.id(skill);
        for (&area, tally) in &areas {
            let demand = t.and_then(|t| tally.demand.get(&t).copied()).unwrap_or(0.0);
            let supply = tally.supply.get(skill).copied().unwrap_or(0);
            let Ok(code) = area.to_string().parse::<crate::region::RegionCode>() else {
                continue;
            };
            if demand == 0.0 && supply == 0 {
                continue;
            }
            let r = gazetteer.get(code);
            skill_by_area.push(SkillArea {
                code: area.to_string(),
                name: r.name.clone(),
                lat: r.centroid.lat(),
                lon: r.centroid.lon(),
                demand,
                supply,
            });
        }
    }
    Ok(GapReport {
        level: config.level,
        areas: out,
        skill: skill.as_deref().map(named),
        skill_by_area,
    })
}
