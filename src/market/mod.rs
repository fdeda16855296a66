//! Synthetic markets calibrated to the published figures of the
//! Sichuan–Chongqing platform.
//!
//! A [`Market`] is a pure function of its [`MarketConfig`]: vacancy `i` and
//! seeker `j` are each generated from their own random stream (ChaCha8
//! seeded from the market seed and the record's number), so any record can be
//! regenerated on its own, the output does not depend on the number of
//! threads, and generation parallelises without coordination.
//!
//! Every seeker is *planted*: derived from one vacancy (its profile with
//! noise: skills dropped and added, a home within or just beyond the commute
//! radius), so ranking quality can be measured by where that vacancy lands
//! ([`Market::planted_vacancy`]).
//!
//! ```
//! use jobmatch::market::{Market, MarketConfig};
//! let market = Market::new(MarketConfig { vacancies: 1_000, seekers: 10, seed: 7, ..Default::default() });
//! let v = market.vacancy(0);
//! assert!(v.validate().is_ok());
//! assert_eq!(market.vacancy(0), v, "deterministic");
//! let s = market.seeker(3);
//! assert!(s.validate().is_ok());
//! ```

// Indexing here cannot panic: the generator indexes its own tables with positions it draws below
// their lengths.
#![allow(clippy::indexing_slicing)]

pub mod calibration;
mod geo;
mod raw;
mod sample;
mod text;
mod write;

use std::num::NonZeroU32;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::model::{Cny, Date, Education, Industry, Mobility, PriorityGroup, Seeker, Vacancy};
use crate::region::{Coordinates, Level, RegionCode, RegionPrefix, gazetteer};
use crate::taxonomy::{Occupation, OccupationCode, skills, taxonomy};
use calibration as cal;
use geo::{jitter, offset};
use sample::{Weighted, mix, normal, round_to};
use text::{EMPLOYER_WORDS, INDUSTRY_WORDS, POPULAR, description, vacancy_skills};

/// The seekers' willingness to move that makes the default job fair place
/// graduates across the border at the published rates (Sichuan → Chongqing
/// 3.12%, Chongqing → Sichuan 8.06%): fitted by `jobmatch simulate
/// --vacancies 300000 --seekers 100000 --calibrate` on seed 2021 and checked
/// on seed 2022 (2.80% / 8.66%, within ±1 pp). A calibration of the
/// generator to two published figures, not a prediction: the seekers'
/// stated willingness is below the placed flows because many cross-border
/// placements come from seekers who relocate anywhere or commute across
/// the border.
pub const FITTED_MOBILITY_SCALE: [f64; 2] = [0.762, 0.532];

/// The generator's version: the same seed and config give the same market
/// within a version. Bumped whenever a change to the generator changes what
/// it writes for some seed, so that a market (or an index of it) kept from
/// an earlier version is known to be another market (the CLI's `bench` and
/// `simulate` keep built indexes under it). 2: remote work only where the
/// occupation's name says no hands-on work on site.
pub const GENERATOR_VERSION: u32 = 2;

/// The size, seed and date of a synthetic market.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MarketConfig {
    /// Number of vacancies (the platform published about 1.88 million).
    pub vacancies: u64,
    /// Number of seekers.
    pub seekers: u64,
    /// Random seed: the same seed gives the same market.
    pub seed: u64,
    /// The market's "today": postings are dated in the 60 days before it,
    /// and some have expired by it.
    pub today: Date,
    /// How much more (or less) willing to move seekers of each province are
    /// than the published graduate flows say (`[Sichuan, Chongqing]`): the
    /// *input* that `simulate --calibrate` fits so that the *placed* flows
    /// match the published ones. Default [`FITTED_MOBILITY_SCALE`]; `[1, 1]`
    /// is the unfitted generator (the published rates taken as inputs).
    pub mobility_scale: [f64; 2],
    /// Share of vacancies that re-post an earlier one under another id, as
    /// when two provinces' feeds carry the same job (default 0): same
    /// employer, place, pay and skills, the title dressed differently. For
    /// measuring duplicate detection; [`Market::duplicate_of`] is the truth.
    pub duplicate_share: f64,
}

/// The platform's published number of vacancies.
pub const PLATFORM_VACANCIES: u64 = 1_880_000;

impl Default for MarketConfig {
    fn default() -> Self {
        MarketConfig {
            vacancies: PLATFORM_VACANCIES,
            seekers: 10_000,
            seed: 2021,
            // The joint figures were published in March 2021.
            today: Date::new(2021, 3, 31).unwrap_or_else(|_| unreachable!("a valid date")),
            mobility_scale: FITTED_MOBILITY_SCALE,
            duplicate_share: 0.0,
        }
    }
}

/// What a workplace region looks like to the generator.
#[derive(Debug, Clone, Copy)]
struct Place {
    code: RegionCode,
    class: usize,
}

/// A generator of vacancies and seekers.
#[derive(Debug)]
pub struct Market {
    config: MarketConfig,
    industries: Weighted<Industry>,
    occupations_by_industry: Vec<Weighted<OccupationCode>>,
    places: Weighted<Place>,
    counties: Vec<(RegionCode, Coordinates)>,
}

const STREAM_VACANCY: u64 = 1;
const STREAM_SEEKER: u64 = 2;
const STREAM_DUPLICATE: u64 = 3;

/// The share of an occupation's vacancies that are remote: only work done
/// at a screen can be (a digital occupation of the 2022 classification,
/// 数字职业), and not where the work is done to equipment or ground on
/// site: not where the classification puts it in a plant or a field (major
/// groups 5 and 6: a 炼钢工 is digital and works at a furnace), nor where
/// the occupation's name says it installs, repairs, surveys or keeps
/// machinery running ([`HANDS_ON`]: a 信息通信网络终端维修员 repairs
/// phones at a counter, a 工程测量员 measures on the building site). A
/// remote vacancy is in every seeker's reach, so a few remote welders or
/// phone repairers would lead every welder's and repairer's list from
/// hundreds of kilometres away.
fn remote_share(occ: &Occupation, major: usize) -> f64 {
    if occ.digital && !matches!(major, 5 | 6) && !hands_on(&occ.name) {
        0.15
    } else {
        0.0
    }
}

/// Words in an occupation's name for work done by hand on site:
/// installing, repairing, surveying, observing in the field, tending a
/// machine room or a building's systems.
const HANDS_ON: [&str; 9] = [
    "安装", "维修", "检修", "测量", "测绘", "勘", "观测", "机务", "楼宇",
];

/// Whether an occupation's name says its work is done by hand on site.
fn hands_on(name: &str) -> bool {
    HANDS_ON.iter().any(|w| name.contains(w))
}

fn region_class(code: RegionCode) -> usize {
    let r = code.region();
    let n = code.get();
    let is_district = r.name.ends_with('区');
    if cal::CHONGQING_CORE.contains(&n) || (n / 100 == 5101 && is_district && n <= 510117) {
        0
    } else if n / 100 == 5101 || n / 100 == 5001 {
        1
    } else if is_district {
        2
    } else {
        3
    }
}

impl Market {
    /// Prepares the generator's tables (cheap: milliseconds).
    pub fn new(config: MarketConfig) -> Market {
        let industries = Weighted::new(Industry::all().map(|i| (i, cal::INDUSTRY_SHARES[i.index()])));
        let vocab = skills();
        let occupations_by_industry = cal::INDUSTRY_OCCUPATIONS
            .iter()
            .map(|groups| {
                Weighted::new(groups.iter().flat_map(|&(prefix, w)| {
                    let members: Vec<_> = taxonomy()
                        .occupations()
                        .filter(|o| o.code.to_string().starts_with(prefix))
                        .filter(|o| !vocab.profile(o.code).is_empty())
                        .map(|o| (o.code, if o.aliases.is_empty() { 1.0 } else { 3.0 }))
                        .collect();
                    let sum: f64 = members.iter().map(|m| m.1).sum();
                    members.into_iter().map(move |(c, mw)| (c, w * mw / sum))
                }))
            })
            .collect();
        let places = Weighted::new(
            gazetteer()
                .all()
                .iter()
                .filter(|r| r.level == Level::County)
                .map(|r| {
                    let class = region_class(r.code);
                    (Place { code: r.code, class }, cal::REGION_CLASS_WEIGHT[class])
                }),
        );
        let counties = gazetteer()
            .all()
            .iter()
            .filter(|r| r.level == Level::County)
            .map(|r| (r.code, r.centroid))
            .collect();
        Market {
            config,
            industries,
            occupations_by_industry,
            places,
            counties,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &MarketConfig {
        &self.config
    }

    fn rng(&self, stream: u64, index: u64) -> ChaCha8Rng {
        ChaCha8Rng::seed_from_u64(mix(self.config.seed, stream, index))
    }

    /// Vacancy number `i` (ids are `v{i}`): an original posting, or with
    /// [`MarketConfig::duplicate_share`] a re-post of an earlier one (see
    /// [`Market::duplicate_of`]).
    pub fn vacancy(&self, i: u64) -> Vacancy {
        let Some(j) = self.duplicate_of(i) else {
            return self.original(i);
        };
        // The same job through the other feed: another id, the title
        // dressed differently, the skills in another order.
        let mut v = self.original(j);
        v.id = format!("v{i}");
        let mut rng = self.rng(STREAM_DUPLICATE, i);
        v.title = match rng.random_range(0..3) {
            0 => format!("急招{}", v.title),
            1 => format!("{}（五险一金）", v.title),
            _ => format!("{}【双休】", v.title),
        };
        if !v.skills.is_empty() {
            let by = rng.random_range(0..v.skills.len());
            v.skills.rotate_left(by);
        }
        v
    }

    /// The original posting that vacancy `i` re-posts, if it is a
    /// duplicate (never with the default `duplicate_share` of 0).
    pub fn duplicate_of(&self, i: u64) -> Option<u64> {
        let share = self.config.duplicate_share;
        if share.is_nan() || share <= 0.0 || i == 0 {
            return None;
        }
        let mut rng = self.rng(STREAM_DUPLICATE, i);
        if !rng.random_bool(share.min(1.0)) {
            return None;
        }
        // Of an earlier original: a re-post's original, if it picks one.
        let j = rng.random_range(0..i);
        Some(self.duplicate_of(j).unwrap_or(j))
    }

    fn original(&self, i: u64) -> Vacancy {
        let mut rng = self.rng(STREAM_VACANCY, i);
        let industry = self.industries.sample(&mut rng);
        let occupation = self.occupations_by_industry[industry.index()].sample(&mut rng);
        let place = self.places.sample(&mut rng);
        let occ = occupation.occupation();
        let major = occupation.parts()[0] as usize;

        let title = self.title(&mut rng, occ.name.as_str(), &occ.aliases, place.code);
        let skill_list = vacancy_skills(&mut rng, occupation);
        let education = if rng.random_bool(0.9) {
            let w = cal::EDUCATION_BY_MAJOR[major.clamp(1, 8) - 1];
            Some(Weighted::new(Education::ALL.into_iter().zip(w)).sample(&mut rng))
        } else {
            None
        };
        let experience = [0u8, 0, 0, 0, 1, 1, 2, 2, 3, 3, 3, 5, 5, 8][rng.random_range(0..14)];
        let (salary_min, salary_max) = if rng.random_bool(0.92) {
            let median = cal::MEDIAN_SALARY[industry.index()]
                * cal::SALARY_BY_REGION_CLASS[place.class]
                * cal::salary_factor(education)
                * (1.0 + 0.04 * f64::from(experience));
            // Log-normal spread around the median, σ = 0.25.
            let base = median * (0.25 * normal(&mut rng)).exp();
            let lo = round_to(base * 0.85, 100.0).max(1_000.0);
            let hi = round_to(lo * rng.random_range(1.15..1.8), 100.0);
            (Cny::new(lo as i64).ok(), Cny::new(hi as i64).ok())
        } else {
            (None, None) // 面议: negotiable
        };
        let headcount = {
            let p = if major == 6 { 0.25 } else { 0.45 };
            let mut n = 1u32;
            while n < 50 && !rng.random_bool(p) {
                n += 1;
            }
            NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)
        };
        let today = self.config.today;
        let posted = today.plus_days(-rng.random_range(0..60));
        let expires = posted.and_then(|p| p.plus_days(rng.random_range(20..120)));
        // The draw is made for every vacancy, so that whether one can be
        // remote changes nothing else about it.
        let remote = rng.random_bool(remote_share(occ, major));
        let centre = place.code.region().centroid;
        let coordinates = rng
            .random_bool(0.8)
            .then(|| jitter(&mut rng, centre, if place.class == 0 { 3.0 } else { 8.0 }));
        let employer = self.employer(&mut rng, industry, place.code);
        let description = description(
            &mut rng,
            &occ.name,
            &skill_list,
            education,
            experience,
            place.code,
        );
        Vacancy {
            id: format!("v{i}"),
            title,
            description: Some(description),
            employer: Some(employer),
            industry: Some(industry),
            occupation: rng.random_bool(0.5).then_some(occupation),
            skills: skill_list,
            region: place.code,
            coordinates,
            salary_min,
            salary_max,
            education,
            experience_years: Some(experience),
            headcount,
            remote,
            posted,
            expires,
            skill_evidence: Vec::new(),
        }
    }

    /// The true occupation of vacancy `i`, whether or not the vacancy
    /// record carries it (half of them leave it to be coded from the title).
    pub fn true_occupation(&self, i: u64) -> OccupationCode {
        let i = self.duplicate_of(i).unwrap_or(i);
        let mut rng = self.rng(STREAM_VACANCY, i);
        let industry = self.industries.sample(&mut rng);
        self.occupations_by_industry[industry.index()].sample(&mut rng)
    }

    /// The vacancy seeker `j` was derived from: one open on the market's
    /// `today` (a seeker planted from an expired vacancy could never find it).
    pub fn planted_vacancy(&self, j: u64) -> u64 {
        let n = self.config.vacancies.max(1);
        let first = mix(self.config.seed, STREAM_SEEKER ^ 0xA5A5, j) % n;
        let today = self.config.today;
        (0..64.min(n))
            .map(|step| (first + step) % n)
            .find(|&i| {
                let v = self.vacancy(i);
                !v.is_expired(today) && v.posted.is_none_or(|p| p <= today)
            })
            .unwrap_or(first)
    }

    /// Seeker number `j` (ids are `s{j}`), derived from vacancy
    /// [`Market::planted_vacancy`]`(j)`.
    pub fn seeker(&self, j: u64) -> Seeker {
        let mut rng = self.rng(STREAM_SEEKER, j);
        let planted_index = self.planted_vacancy(j);
        let planted = self.vacancy(planted_index);
        let occupation = planted
            .occupation
            .unwrap_or_else(|| self.true_occupation(planted_index));

        // Skills: the vacancy's, some dropped, a few of the occupation's
        // others or popular ones added.
        let mut skill_list: Vec<String> = planted
            .skills
            .iter()
            .filter(|_| rng.random_bool(0.8))
            .cloned()
            .collect();
        let profile = skills().profile(occupation);
        for _ in 0..rng.random_range(0..3) {
            let extra = if !profile.is_empty() && rng.random_bool(0.6) {
                let id = profile.get(rng.random_range(0..profile.len()));
                id.and_then(|&id| skills().get(id))
                    .map_or_else(String::new, |s| s.name.clone())
            } else {
                POPULAR[rng.random_range(0..POPULAR.len())].to_owned()
            };
            if !skill_list.contains(&extra) {
                skill_list.push(extra);
            }
        }

        // Groups.
        let mut groups = Vec::new();
        for (g, share) in cal::GROUP_SHARES {
            let excluded = g == PriorityGroup::MigrantWorker && groups.contains(&PriorityGroup::Graduate);
            if !excluded && rng.random_bool(share) {
                groups.push(g);
            }
        }
        let graduate = groups.contains(&PriorityGroup::Graduate);

        // Home: within or just beyond the commute radius of the vacancy.
        let commute_km = Weighted::new(cal::COMMUTE_KM).sample(&mut rng);
        let away = commute_km * rng.random_range(0.0..1.1);
        let bearing = rng.random_range(0.0..std::f64::consts::TAU);
        let home = offset(planted.position(), away, bearing);
        let region = self.nearest_county(home);

        let mobility = self.mobility(&mut rng, region, graduate);
        let education = planted.education.map(|e| {
            let shift: i16 = rng.random_range(-1..=2);
            let floor = if graduate { Education::Associate.rank() } else { 0 };
            let rank = (i16::from(e.rank()) + shift).clamp(i16::from(floor), 7) as u8;
            Education::from_rank(rank).unwrap_or(e)
        });
        let experience_years = if graduate {
            Some(0)
        } else {
            planted
                .experience_years
                .map(|y| (i16::from(y) + rng.random_range(-1..=4)).clamp(0, 40) as u8)
        };
        let salary_min = planted.salary_min.filter(|_| rng.random_bool(0.6)).and_then(|s| {
            Cny::new(round_to(f64::from(s.yuan()) * rng.random_range(0.8..1.05), 100.0) as i64).ok()
        });
        let occ = occupation.occupation();
        let title = if !occ.aliases.is_empty() && rng.random_bool(0.4) {
            occ.aliases[rng.random_range(0..occ.aliases.len())].clone()
        } else {
            occ.name.clone()
        };
        Seeker {
            id: format!("s{j}"),
            skills: skill_list,
            titles: vec![title],
            occupations: if rng.random_bool(0.6) {
                vec![occupation]
            } else {
                Vec::new()
            },
            region,
            coordinates: Some(home),
            commute_km,
            mobility,
            salary_min,
            education,
            experience_years,
            industries: planted
                .industry
                .filter(|_| rng.random_bool(0.4))
                .into_iter()
                .collect(),
            groups,
        }
    }

    fn mobility(&self, rng: &mut ChaCha8Rng, home: RegionCode, graduate: bool) -> Mobility {
        let province = home.get() / 10_000;
        let fitted = match province {
            51 => self.config.mobility_scale[0],
            50 => self.config.mobility_scale[1],
            _ => 1.0,
        };
        let fitted = if fitted.is_finite() { fitted.max(0.0) } else { 1.0 };
        let scale = fitted * if graduate { 1.0 } else { cal::NON_GRADUATE_MOBILITY };
        let rate = |table: &[(u32, f64); 2]| {
            table
                .iter()
                .find(|(p, _)| *p == province)
                .map_or(0.0, |(_, r)| r * scale)
        };
        let to_other = rate(&cal::GRADUATES_TO_OTHER_REGION);
        let leave = rate(&cal::GRADUATES_LEAVING_PROVINCE);
        let mut m = Mobility::default();
        let u: f64 = rng.random();
        if u < to_other {
            let other = if province == 51 { "50" } else { "51" };
            m.regions.extend(other.parse::<RegionPrefix>().ok());
        } else if u < leave {
            m.relocate = true;
            if rng.random_bool(0.5) {
                m.max_km = Some([100.0, 200.0, 300.0, 500.0][rng.random_range(0..4)]);
            }
        }
        if rng.random_bool(cal::MOVE_TO_CAPITAL) {
            let capital = if province == 51 { "5101" } else { "5001" };
            if let Ok(p) = capital.parse::<RegionPrefix>()
                && !home.is_in(p)
            {
                m.regions.push(p);
            }
        }
        m
    }

    fn nearest_county(&self, at: Coordinates) -> RegionCode {
        self.counties
            .iter()
            .min_by(|a, b| at.distance_km(a.1).total_cmp(&at.distance_km(b.1)))
            .map(|c| c.0)
            .unwrap_or_else(|| unreachable!("the gazetteer has counties"))
    }

    fn title(&self, rng: &mut ChaCha8Rng, name: &str, aliases: &[String], region: RegionCode) -> String {
        let core = if !aliases.is_empty() && rng.random_bool(0.6) {
            aliases[rng.random_range(0..aliases.len())].as_str()
        } else {
            name
        };
        let mut t = String::with_capacity(core.len() + 24);
        if rng.random_bool(0.12) {
            t.push_str(["急招", "高薪诚聘", "招聘"][rng.random_range(0..3)]);
        }
        if rng.random_bool(0.08) {
            let r = region.region();
            t.push_str(r.name.trim_end_matches(['区', '县', '市']));
        }
        t.push_str(core);
        if rng.random_bool(0.2) {
            t.push_str(
                [
                    "（五险一金）",
                    "（包吃住）",
                    "（双休）",
                    "+年终奖",
                    "（长白班）",
                    "（可实习）",
                ][rng.random_range(0..6)],
            );
        }
        t
    }

    fn employer(&self, rng: &mut ChaCha8Rng, industry: Industry, region: RegionCode) -> String {
        // Employers of a (section, region) cell: as many as its expected
        // vacancies divided by the published vacancies per employer.
        let share = cal::INDUSTRY_SHARES[industry.index()] / 100.0;
        let place_w = cal::REGION_CLASS_WEIGHT[region_class(region)] / self.places.total();
        let expected = self.config.vacancies as f64 * share * place_w;
        let cell_employers = (expected / cal::VACANCIES_PER_EMPLOYER).ceil().max(1.0) as u64;
        let e = rng.random_range(0..cell_employers);
        let h = mix(
            self.config.seed,
            u64::from(region.get()) * 32 + industry.index() as u64,
            e,
        );
        let town = region
            .region()
            .name
            .trim_end_matches(['区', '县', '市'])
            .to_owned();
        let word = EMPLOYER_WORDS[(h % EMPLOYER_WORDS.len() as u64) as usize];
        let word2 = EMPLOYER_WORDS[((h >> 20) % EMPLOYER_WORDS.len() as u64) as usize];
        let kind = INDUSTRY_WORDS[industry.index()];
        format!("{town}{word}{word2}{kind}有限公司")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn market(n: u64) -> Market {
        Market::new(MarketConfig {
            vacancies: n,
            seekers: 2_000,
            seed: 11,
            ..Default::default()
        })
    }

    #[test]
    fn records_are_valid_and_deterministic() {
        let m = market(5_000);
        for i in 0..500 {
            let v = m.vacancy(i);
            v.validate().unwrap();
            assert_eq!(v, m.vacancy(i));
        }
        for j in 0..200 {
            let s = m.seeker(j);
            s.validate().unwrap();
            assert_eq!(s, m.seeker(j));
        }
    }

    #[test]
    fn seekers_live_near_their_planted_vacancy() {
        let m = market(5_000);
        for j in 0..300 {
            let s = m.seeker(j);
            let v = m.vacancy(m.planted_vacancy(j));
            let km = s.position().distance_km(v.position());
            assert!(km <= s.commute_km * 1.1 + 0.01, "{km} > {}", s.commute_km);
        }
    }

    /// Of graduates, the share willing to move to the other region.
    fn stated_rates(scale: [f64; 2]) -> [f64; 2] {
        let m = Market::new(MarketConfig {
            vacancies: 20_000,
            seekers: 2_000,
            seed: 11,
            mobility_scale: scale,
            ..Default::default()
        });
        let (mut n, mut other) = ([0u32; 2], [0u32; 2]);
        for j in 0..40_000 {
            let mut rng = m.rng(99, j);
            let home = if j % 2 == 0 { "510104" } else { "500103" };
            let home: RegionCode = home.parse().unwrap();
            let mob = m.mobility(&mut rng, home, true);
            let k = (j % 2) as usize;
            n[k] += 1;
            let other_prefix = if k == 0 { "50" } else { "51" };
            if mob.regions.iter().any(|p| p.to_string() == other_prefix) {
                other[k] += 1;
            }
        }
        [0, 1].map(|k| f64::from(other[k]) / f64::from(n[k]))
    }

    #[test]
    fn graduate_flows_follow_the_published_rates_times_the_scale() {
        // Unfitted, the stated willingness is the published share employed
        // in the other region (3.12% / 8.06%) …
        let [sc, cq] = stated_rates([1.0, 1.0]);
        assert!((sc - 0.0312).abs() < 0.005, "Sichuan → Chongqing {sc}");
        assert!((cq - 0.0806).abs() < 0.008, "Chongqing → Sichuan {cq}");
        // … and the default (fitted) scale multiplies it.
        let [fsc, fcq] = FITTED_MOBILITY_SCALE;
        let [sc, cq] = stated_rates(FITTED_MOBILITY_SCALE);
        assert!((sc - 0.0312 * fsc).abs() < 0.003, "Sichuan → Chongqing {sc}");
        assert!((cq - 0.0806 * fcq).abs() < 0.006, "Chongqing → Sichuan {cq}");
        assert_eq!(MarketConfig::default().mobility_scale, FITTED_MOBILITY_SCALE);
    }

    /// Fails when the generator writes another market for the same seed:
    /// bump [`GENERATOR_VERSION`] and update the digest.
    #[test]
    fn the_market_of_a_seed_is_pinned_to_the_generator_version() {
        let m = market(20_000);
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for i in 0..20_000 {
            let line = serde_json::to_vec(&m.vacancy(i)).expect("a vacancy serialises");
            for b in line {
                h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        assert_eq!(
            (GENERATOR_VERSION, h),
            (2, 7451934046886576041),
            "the generated market changed: bump GENERATOR_VERSION and update the digest"
        );
    }

    #[test]
    fn work_by_hand_on_site_is_never_remote() {
        let occ = |name: &str| {
            taxonomy()
                .occupations()
                .find(|o| o.name == name)
                .unwrap_or_else(|| panic!("{name} is not in the classification"))
        };
        // Digital occupations of the 2022 edition, outside major groups 5 and 6.
        for name in [
            "信息通信网络终端维修员",
            "工程测量员",
            "信息通信网络机务员",
            "智能楼宇管理员",
        ] {
            let o = occ(name);
            assert!(o.digital, "{name}");
            assert_eq!(remote_share(o, o.code.parts()[0] as usize), 0.0, "{name}");
        }
        for name in ["计算机程序设计员", "互联网营销师", "云计算工程技术人员"] {
            let o = occ(name);
            assert!(remote_share(o, o.code.parts()[0] as usize) > 0.0, "{name}");
        }
    }

    #[test]
    fn only_screen_work_is_remote() {
        let m = market(40_000);
        let (mut remote, mut digital_office) = (0u32, 0u32);
        for i in 0..40_000 {
            let v = m.vacancy(i);
            let Some(code) = v.occupation else { continue };
            let (occ, major) = (code.occupation(), code.parts()[0]);
            let screen = occ.digital && major != 5 && major != 6 && !hands_on(&occ.name);
            assert!(!v.remote || screen, "{} ({}) is remote", v.id, occ.name);
            remote += u32::from(v.remote);
            digital_office += u32::from(screen);
        }
        // Remote work exists where it can be done: about the share drawn.
        let share = f64::from(remote) / f64::from(digital_office.max(1));
        assert!(
            remote > 0 && (share - 0.15).abs() < 0.05,
            "{remote} of {digital_office}"
        );
    }

    #[test]
    fn write_is_the_same_as_one_by_one() {
        let m = market(300);
        let mut out = Vec::new();
        assert_eq!(m.write_vacancies(&mut out, |_| {}).unwrap(), 300);
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 300);
        assert_eq!(lines[123], serde_json::to_string(&m.vacancy(123)).unwrap());
    }
}
