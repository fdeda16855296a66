//! The scoring function: the one place a vacancy's signals and score are
//! computed, shared by the pruned search, the exhaustive scan and `explain`.

use super::config::{NUM_SIGNALS, signal};
use super::query::Query;
use crate::index::SegmentColumns;
use crate::index::columns::{NONE_U8, NONE_U32, Summary};
use crate::model::PriorityGroup;
use crate::retrieve::Exclusion;
use crate::taxonomy::relatedness_packed;

/// The hard constraints ([`crate::retrieve::Reach::admit`], then the minimum salary when
/// required); on success, the distance from home in km.
#[inline]
pub(crate) fn admit(q: &Query, cols: &SegmentColumns, doc: u32) -> Result<f64, Exclusion> {
    let km = q.reach.admit(cols, doc, q.today)?;
    if q.require_salary
        && let Some(min) = q.salary_min
    {
        let pay = cols.pay[doc as usize];
        if pay != NONE_U32 && pay < min {
            return Err(Exclusion::SalaryBelowMinimum);
        }
    }
    Ok(km)
}

/// The location signal at `km` (not remote).
#[inline]
pub(crate) fn location(q: &Query, km: f64) -> f64 {
    let r = q.reach.commute_km();
    let full = q.full_credit_km;
    if km <= full.min(r) {
        1.0
    } else if km >= r {
        0.0
    } else {
        1.0 - (km - full) / (r - full)
    }
}

/// Every signal of an admitted vacancy. `mask` has bit i set when the
/// vacancy holds query term i.
#[inline]
pub(crate) fn signals(q: &Query, cols: &SegmentColumns, doc: u32, km: f64, mask: u128) -> [f64; NUM_SIGNALS] {
    let mut s = [0.0; NUM_SIGNALS];
    column_signals(q, cols, doc, &mut s);
    place_signals(q, cols, doc, km, &mut s);
    term_signals(q, cols.skill_count[doc as usize], mask, &mut s);
    s
}

/// The signals that come from the seeker's terms: skills and title.
///
/// Skills is `R × (½ + ½·P)`: `R` is the IDF-weighted share of the seeker's
/// skills the vacancy asks for, `P` the share of the vacancy's skills the
/// seeker has (by count). A vacancy asking for much the seeker lacks fits
/// less well; `P` only lowers the score, so `R` bounds it.
#[inline]
pub(crate) fn term_signals(q: &Query, skill_count: u8, mask: u128, s: &mut [f64; NUM_SIGNALS]) {
    let mut r = 0.0;
    let mut held = 0.0;
    let mut title = 0.0;
    for c in &q.clauses {
        let mut best: f64 = 0.0;
        for &(i, credit) in &c.options {
            if mask >> i & 1 == 1 {
                best = best.max(credit);
            }
        }
        if c.signal == signal::SKILLS {
            r += c.share * best;
            held += best;
        } else {
            title += c.share * best;
        }
    }
    let count = f64::from(skill_count);
    let p = if count == 0.0 {
        1.0
    } else {
        (held / count).min(1.0)
    };
    s[signal::SKILLS] = (r * (0.5 + 0.5 * p)).min(1.0);
    s[signal::TITLE] = title.min(1.0);
}

/// Weighted sum of the term signals in `s` (skills and title).
#[inline]
pub(crate) fn term_part(q: &Query, s: &[f64; NUM_SIGNALS]) -> f64 {
    q.weights[signal::SKILLS] * s[signal::SKILLS] + q.weights[signal::TITLE] * s[signal::TITLE]
}

/// The signals that come from where the vacancy is: location and mobility.
#[inline]
pub(crate) fn place_signals(q: &Query, cols: &SegmentColumns, doc: u32, km: f64, s: &mut [f64; NUM_SIGNALS]) {
    let remote = doc < cols.remote_end;
    let within = remote || km <= q.reach.commute_km();
    s[signal::LOCATION] = if remote { 1.0 } else { location(q, km) };
    s[signal::MOBILITY] = if within {
        0.0
    } else {
        q.prior[usize::from(cols.region[doc as usize])]
    };
}

/// The signals read from the vacancy's columns alone (no distance, no
/// terms): occupation, salary, education, experience, industry, freshness,
/// priority. Cheap, so the search computes them first to prune.
#[inline]
pub(crate) fn column_signals(q: &Query, cols: &SegmentColumns, doc: u32, s: &mut [f64; NUM_SIGNALS]) {
    ColumnValues::read(cols, doc).signals(q, s);
}

/// What the ranker reads of one vacancy's columns to score it (all but
/// where it is), with the columns' sentinels.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ColumnValues {
    pub occupation: u32,
    pub pay: u32,
    pub posted: i32,
    pub education: u8,
    pub experience: u8,
    pub industry: u8,
    pub skill_count: u8,
}

impl ColumnValues {
    /// Reads a doc's values.
    #[inline]
    pub fn read(cols: &SegmentColumns, doc: u32) -> ColumnValues {
        let d = doc as usize;
        ColumnValues {
            occupation: cols.occupation[d],
            pay: cols.pay[d],
            posted: cols.posted[d],
            education: cols.education[d],
            experience: cols.experience[d],
            industry: cols.industry[d],
            skill_count: cols.skill_count[d],
        }
    }

    /// Their signals, written into `s`.
    #[inline]
    pub fn signals(self, q: &Query, s: &mut [f64; NUM_SIGNALS]) {
        s[signal::OCCUPATION] = occupation(q, self.occupation);
        s[signal::SALARY] = salary(q, self.pay);
        s[signal::EDUCATION] = education(q, self.education);
        s[signal::EXPERIENCE] = experience(q, self.experience);
        s[signal::INDUSTRY] = industry(q, self.industry);
        s[signal::FRESHNESS] = f64::from(q.freshness.at(self.posted));
        s[signal::PRIORITY] = priority(q, self.education, self.experience);
    }
}

/// An upper bound of [`column_part`] for a vacancy, from its eight-byte
/// summary alone: the same signal functions on values rounded the
/// favourable way (each signal is monotone in its value).
#[inline]
pub(crate) fn summary_bound(q: &Query, sm: Summary) -> f64 {
    let w = &q.weights;
    let requirements = usize::from(sm.education_at_most()) << 4 | usize::from(sm.experience_at_most());
    w[signal::OCCUPATION] * occupation(q, sm.occupation_group())
        + w[signal::SALARY] * salary(q, sm.pay_ceiling())
        + q.requirements[requirements]
        + w[signal::INDUSTRY] * sm.industry().map_or(1.0, |i| industry(q, i))
        + w[signal::FRESHNESS] * f64::from(q.freshness.at(sm.posted_no_earlier()))
}

/// The weighted education, experience and priority signals for every pair
/// of requirements a summary can hold (each below 16), indexed
/// `education << 4 | experience`: [`summary_bound`] reads them from a table.
pub(crate) fn requirement_table(q: &Query) -> Vec<f64> {
    let w = &q.weights;
    (0..256u16)
        .map(|k| {
            let (need, years) = ((k >> 4) as u8, (k & 15) as u8);
            w[signal::EDUCATION] * education(q, need)
                + w[signal::EXPERIENCE] * experience(q, years)
                + w[signal::PRIORITY] * priority(q, need, years)
        })
        .collect()
}

/// Closeness in the occupation hierarchy to the nearest of the seeker's
/// occupations. Never lower for a group than for any code in it.
#[inline]
fn occupation(q: &Query, occ: u32) -> f64 {
    q.occupations
        .iter()
        .map(|&o| relatedness_packed(o, occ))
        .fold(0.0, f64::max)
}

/// Pay against the seeker's minimum: non-decreasing in `pay`.
#[inline]
fn salary(q: &Query, pay: u32) -> f64 {
    match (q.salary_min, pay) {
        (_, NONE_U32) => q.salary_unknown,
        (None, _) => 1.0,
        (Some(min), p) if p >= min => 1.0,
        (Some(min), p) => (1.0 - f64::from(min - p) / (q.salary_tolerance * f64::from(min))).max(0.0),
    }
}

/// The seeker's education against the rank asked: non-increasing in `need`.
#[inline]
fn education(q: &Query, need: u8) -> f64 {
    match (need, q.education) {
        (NONE_U8, _) | (0, _) => 1.0,
        (_, None) => 0.5,
        (n, Some(h)) if h >= n => 1.0,
        (n, Some(h)) => (1.0 - q.education_step * f64::from(n - h)).max(0.0),
    }
}

/// The seeker's years against the years asked: non-increasing in `years`.
#[inline]
fn experience(q: &Query, years: u8) -> f64 {
    match (years, q.experience) {
        (NONE_U8, _) | (0, _) => 1.0,
        (_, None) => 0.5,
        (n, Some(h)) if h >= n => 1.0,
        (n, Some(h)) => 1.0 - f64::from(n - h) / f64::from(n + 1),
    }
}

/// The vacancy's industry against the seeker's preferences.
#[inline]
fn industry(q: &Query, ind: u8) -> f64 {
    if q.industries == 0 {
        1.0
    } else if ind == NONE_U8 {
        0.5
    } else if q.industries.checked_shr(u32::from(ind)).unwrap_or(0) & 1 == 1 {
        1.0
    } else {
        0.0
    }
}

/// 1 when the vacancy suits one of the seeker's priority groups:
/// non-increasing in both requirements.
#[inline]
fn priority(q: &Query, need: u8, years: u8) -> f64 {
    if q.groups.iter().any(|&g| suits(g, need, years)) {
        1.0
    } else {
        0.0
    }
}

/// Weighted sum of the column signals in `s` (the others still zero).
#[inline]
pub(crate) fn column_part(q: &Query, s: &[f64; NUM_SIGNALS]) -> f64 {
    let w = &q.weights;
    w[signal::OCCUPATION] * s[signal::OCCUPATION]
        + w[signal::SALARY] * s[signal::SALARY]
        + w[signal::EDUCATION] * s[signal::EDUCATION]
        + w[signal::EXPERIENCE] * s[signal::EXPERIENCE]
        + w[signal::INDUSTRY] * s[signal::INDUSTRY]
        + w[signal::FRESHNESS] * s[signal::FRESHNESS]
        + w[signal::PRIORITY] * s[signal::PRIORITY]
}

/// Whether a vacancy with these requirements suits a priority group: entry
/// jobs for graduates; no more than secondary vocational education asked of
/// migrant workers; low requirements for the unemployed and the
/// hard-to-employ; anything for veterans, whom employers may not turn away
/// for lack of civilian experience.
fn suits(group: PriorityGroup, education: u8, experience: u8) -> bool {
    let edu = |max: u8| education == NONE_U8 || education <= max;
    let exp = |max: u8| experience == NONE_U8 || experience <= max;
    match group {
        PriorityGroup::Graduate => exp(1),
        PriorityGroup::MigrantWorker => edu(3),
        PriorityGroup::Veteran => true,
        PriorityGroup::Unemployed | PriorityGroup::HardToEmploy | PriorityGroup::PovertyAlleviated => {
            edu(2) && exp(1)
        }
    }
}

/// The score of a set of signals: Σ wᵢ·sᵢ with normalised weights, summed in
/// signal order (both ranking paths sum the same way).
#[inline]
pub(crate) fn score(q: &Query, s: &[f64; NUM_SIGNALS]) -> f64 {
    let mut total = 0.0;
    for (w, v) in q.weights.iter().zip(s) {
        total += w * v;
    }
    total
}

/// Upper bound of the column signals of a vacancy holding no query term:
/// each at most 1; occupation 0 for a seeker with no occupation or when the
/// occupation terms bound it.
pub(crate) fn column_bound(q: &Query) -> f64 {
    let w = &q.weights;
    let occupation = if q.occupations.is_empty() || q.occupation_by_terms {
        0.0
    } else {
        w[signal::OCCUPATION]
    };
    occupation
        + w[signal::SALARY]
        + w[signal::EDUCATION]
        + w[signal::EXPERIENCE]
        + w[signal::INDUSTRY]
        + w[signal::FRESHNESS]
        + w[signal::PRIORITY]
}

/// Upper bound of location and mobility for vacancies of a range whose
/// distance is at least `min_km`.
pub(crate) fn place_bound(q: &Query, remote: bool, min_km: f64, moves_to: bool, province_prior: f64) -> f64 {
    let w = &q.weights;
    let location = if remote { 1.0 } else { location(q, min_km) };
    let mobility = if remote || !moves_to { 0.0 } else { province_prior };
    w[signal::LOCATION] * location + w[signal::MOBILITY] * mobility
}

/// The freshness signal as of one day: `2^(−age / half_life)`, 1 for a
/// posting dated that day or later, 0.5 when undated. It depends on no
/// seeker, so a matcher tabulates it once by age in days.
#[derive(Debug, Clone)]
pub(crate) struct Freshness {
    today: i32,
    half_life: f64,
    /// By age in days.
    table: Vec<f32>,
}

impl Freshness {
    /// Ages tabulated (older postings are computed when met).
    const DAYS: usize = 1024;

    /// The curve as of `today` (days since epoch).
    pub fn new(today: i32, half_life: f64) -> Freshness {
        let table = (0..Self::DAYS)
            .map(|age| Self::curve(age as f64, half_life))
            .collect();
        Freshness {
            today,
            half_life,
            table,
        }
    }

    fn curve(age: f64, half_life: f64) -> f32 {
        (-age / half_life).exp2() as f32
    }

    /// The signal of a posting dated `posted` (days since epoch,
    /// `i32::MIN` when undated): non-decreasing in a known `posted`.
    #[inline]
    pub fn at(&self, posted: i32) -> f32 {
        if posted == i32::MIN {
            return 0.5;
        }
        let age = self.today.saturating_sub(posted).max(0);
        match self.table.get(age as usize) {
            Some(&f) => f,
            None => Self::curve(f64::from(age), self.half_life),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use proptest::prelude::*;
    use proptest::sample::Index;

    use super::*;
    use crate::index::VacancyIndex;
    use crate::model::{Cny, Education, Industry, Seeker};
    use crate::rank::RankingConfig;
    use crate::rank::query::{Context, Query};
    use crate::region::RegionCode;
    use crate::taxonomy::taxonomy;

    fn sentinel_or<T: Copy + std::fmt::Debug + 'static>(
        none: T,
        some: impl Strategy<Value = T> + 'static,
    ) -> impl Strategy<Value = T> {
        prop_oneof![Just(none), some]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// The search skips a vacancy on its summary's bound before reading
        /// its columns, so that bound must never fall below the signals the
        /// columns give, for any values and any seeker.
        #[test]
        fn a_summary_bounds_the_column_signals(
            occupation in any::<Index>(),
            pay in sentinel_or(NONE_U32, prop_oneof![0u32..50_000, any::<u32>()]),
            posted in sentinel_or(i32::MIN, prop_oneof![20_000i32..20_500, any::<i32>()]),
            education in sentinel_or(NONE_U8, any::<u8>()),
            experience in sentinel_or(NONE_U8, any::<u8>()),
            industry in sentinel_or(NONE_U8, prop_oneof![0u8..20, any::<u8>()]),
            seeker_occupations in proptest::collection::vec(any::<Index>(), 0..3),
            salary_min in proptest::option::of(1i64..60_000),
            seeker_education in proptest::option::of(0usize..8),
            seeker_experience in proptest::option::of(0u8..40),
            industries in proptest::collection::vec(0usize..20, 0..3),
            groups in proptest::collection::vec(0usize..6, 0..3),
            weights in proptest::array::uniform11(0.01..1.0f64),
            salary_unknown in 0.0..=1.0f64,
            today in 20_000i32..20_500,
        ) {
            let codes: Vec<_> = taxonomy().all().iter().map(|o| o.code).collect();
            let mut seeker = Seeker::new("s", vec![], "510104".parse::<RegionCode>().unwrap()).unwrap();
            seeker.occupations = seeker_occupations.iter().map(|i| *i.get(&codes)).collect();
            seeker.salary_min = salary_min.map(|y| Cny::new(y).unwrap());
            seeker.education = seeker_education.map(|e| Education::ALL[e]);
            seeker.experience_years = seeker_experience;
            seeker.industries = industries.iter().filter_map(|&i| Industry::from_index(i)).collect();
            seeker.groups = groups.iter().map(|&g| PriorityGroup::ALL[g]).collect();
            let mut config = RankingConfig::default();
            let w = &mut config.weights;
            (w.skills, w.occupation, w.title, w.location, w.mobility, w.salary) =
                (weights[0], weights[1], weights[2], weights[3], weights[4], weights[5]);
            (w.education, w.experience, w.industry, w.freshness, w.priority) =
                (weights[6], weights[7], weights[8], weights[9], weights[10]);
            config.salary_unknown = salary_unknown;

            let index = VacancyIndex::create_in_ram().unwrap();
            let snapshot = index.snapshot().unwrap();
            let freshness = Arc::new(Freshness::new(today, config.freshness_half_life_days));
            let cx = Context { snapshot: &snapshot, config: &config, related: None, freshness: &freshness, today };
            let q = Query::new(&cx, &seeker, seeker.commute_km, &[]).unwrap();

            let values = ColumnValues {
                occupation: occupation.get(&codes).packed(),
                pay,
                posted,
                education,
                experience,
                industry,
                skill_count: 0,
            };
            let mut s = [0.0; NUM_SIGNALS];
            values.signals(&q, &mut s);
            let summary = Summary::new(values.occupation, pay, posted, education, experience, industry);
            let bound = summary_bound(&q, summary);
            prop_assert!(
                bound + 1e-12 >= column_part(&q, &s),
                "bound {bound} < exact {} for {values:?}",
                column_part(&q, &s)
            );
        }
    }
}
