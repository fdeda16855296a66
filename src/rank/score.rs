//! The scoring function: the one place a vacancy's signals and score are
//! computed for a prepared [`Query`], shared by the pruned search, the
//! exhaustive scan and `explain`, and the bounds the search prunes with,
//! computed by the same functions.

// Indexing here cannot panic: doc ids are below `max_doc`, the length of every column; dense regions
// below the gazetteer's size, the length of `prior`; a summary's
// requirements pair is below 256, the length of `requirements`.
#![allow(clippy::indexing_slicing)]

use super::query::{Query, TermRole};
use super::signal::{self, Signal, Signals, Source};
use crate::index::SegmentColumns;
use crate::index::columns::Summary;
use crate::retrieve::Exclusion;
use crate::taxonomy::relatedness_packed;

/// The hard constraints ([`crate::retrieve::Constraints::admit`]); on
/// success, the distance from home in km.
#[inline]
pub(crate) fn admit(q: &Query, cols: &SegmentColumns, doc: u32) -> Result<f64, Exclusion> {
    q.constraints.admit(cols, doc)
}

/// The location signal at `km` (not remote).
#[inline]
pub(crate) fn location(q: &Query, km: f64) -> f64 {
    signal::location(km, q.constraints.reach.commute_km(), q.full_credit_km)
}

/// Every signal of an admitted vacancy. `mask` has bit i set when the
/// vacancy holds query term i.
#[inline]
pub(crate) fn signals(q: &Query, cols: &SegmentColumns, doc: u32, km: f64, mask: u128) -> Signals<f64> {
    let mut s = Signals::default();
    column_signals(q, cols, doc, &mut s);
    place_signals(q, cols, doc, km, &mut s);
    term_signals(q, cols.skill_count[doc as usize], mask, &mut s);
    s
}

/// The signals that come from the seeker's terms: skills
/// ([`signal::skills`]: each skill term the vacancy holds adds its evidence
/// and its credit) and title (the IDF share of the seeker's title terms it
/// holds).
#[inline]
pub(crate) fn term_signals(q: &Query, skill_count: u8, mask: u128, s: &mut Signals<f64>) {
    let (mut miss_trade, mut miss_soft, mut held) = (1.0, 1.0, 0.0);
    for t in &q.skills {
        if mask >> t.bit & 1 == 1 {
            if t.transversal {
                miss_soft *= 1.0 - t.evidence;
            } else {
                miss_trade *= 1.0 - t.evidence;
            }
            held += t.credit;
        }
    }
    let mut title = 0.0;
    for c in &q.clauses {
        if c.signal != Signal::Title {
            continue;
        }
        let mut best: f64 = 0.0;
        for &(i, credit) in &c.options {
            if mask >> i & 1 == 1 {
                best = best.max(credit);
            }
        }
        title += c.share * best;
    }
    s[Signal::Skills] = signal::skills(miss_trade, miss_soft, held, skill_count);
    s[Signal::Title] = title.min(1.0);
}

/// An upper bound of the term signals' part of the score (skills, title,
/// and the occupation signal where its terms bound it) of a vacancy holding
/// at most the query terms added to it. Title and occupation terms add
/// their bounds; skill terms combine through [`signal::skills`] itself,
/// with their credits as the skills held, so that many skill terms bound
/// at most the skills weight; the more is known of the vacancy's number of
/// skills, the tighter the coverage part.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TermBound {
    occupation: f64,
    title: f64,
    miss_trade: f64,
    miss_soft: f64,
    held: f64,
}

impl TermBound {
    /// No term.
    pub const NONE: TermBound = TermBound {
        occupation: 0.0,
        title: 0.0,
        miss_trade: 1.0,
        miss_soft: 1.0,
        held: 0.0,
    };

    /// Adds a term of this role and bound.
    #[inline]
    pub fn add(&mut self, role: TermRole, ub: f64) {
        match role {
            TermRole::Title => self.title += ub,
            TermRole::Occupation => self.occupation += ub,
            TermRole::Skill { miss, credit, soft } => {
                if soft {
                    self.miss_soft *= miss;
                } else {
                    self.miss_trade *= miss;
                }
                self.held += credit;
            }
        }
    }

    /// The bound with one more term.
    #[inline]
    pub fn with(mut self, role: TermRole, ub: f64) -> TermBound {
        self.add(role, ub);
        self
    }

    /// The bound of both sets of terms (disjoint sets).
    #[inline]
    pub fn and(self, other: TermBound) -> TermBound {
        TermBound {
            occupation: self.occupation + other.occupation,
            title: self.title + other.title,
            miss_trade: self.miss_trade * other.miss_trade,
            miss_soft: self.miss_soft * other.miss_soft,
            held: self.held + other.held,
        }
    }

    /// Bound of the skills and title signals' part for a vacancy asking
    /// for at least `skills` skills (0 when unknown).
    #[inline]
    pub fn other(&self, q: &Query, skills: u8) -> f64 {
        self.title
            + q.weights[Signal::Skills]
                * signal::skills_bound(self.miss_trade, self.miss_soft, self.held, skills)
    }

    /// Bound of the whole terms' part (the vacancy's skills unknown).
    #[inline]
    pub fn total(&self, q: &Query) -> f64 {
        self.total_at(q, 0)
    }

    /// Bound of the whole terms' part for a vacancy asking for `skills`
    /// skills (or more; 0 when unknown).
    #[inline]
    pub fn total_at(&self, q: &Query, skills: u8) -> f64 {
        self.occupation + self.other(q, skills)
    }
}

/// Weighted sum of the term signals in `s` (skills and title).
#[inline]
pub(crate) fn term_part(q: &Query, s: &Signals<f64>) -> f64 {
    q.weights.dot_of(s, Source::Terms)
}

/// The signals that come from where the vacancy is: location and mobility.
#[inline]
pub(crate) fn place_signals(q: &Query, cols: &SegmentColumns, doc: u32, km: f64, s: &mut Signals<f64>) {
    let remote = doc < cols.remote_end;
    let within = remote || km <= q.constraints.reach.commute_km();
    s[Signal::Location] = if remote { 1.0 } else { location(q, km) };
    s[Signal::Mobility] = if within {
        0.0
    } else {
        q.prior[usize::from(cols.region[doc as usize])]
    };
}

/// The signals read from the vacancy's columns alone (no distance, no
/// terms): occupation, salary, education, experience, industry, freshness,
/// priority. Cheap, so the search computes them first to prune.
#[inline]
pub(crate) fn column_signals(q: &Query, cols: &SegmentColumns, doc: u32, s: &mut Signals<f64>) {
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
    pub fn signals(self, q: &Query, s: &mut Signals<f64>) {
        s[Signal::Occupation] = occupation(q, self.occupation);
        s[Signal::Salary] = salary(q, self.pay);
        s[Signal::Education] = signal::education(self.education, q.education, q.education_step);
        s[Signal::Experience] = signal::experience(self.experience, q.experience);
        s[Signal::Industry] = signal::industry(q.industries, self.industry);
        s[Signal::Freshness] = f64::from(q.freshness.at(self.posted));
        s[Signal::Priority] = signal::priority(&q.groups, self.education, self.experience);
    }
}

/// An upper bound of [`column_part`] for a vacancy, from its eight-byte
/// summary alone: the same signal functions on values rounded the
/// favourable way (each signal is monotone in its value).
#[inline]
pub(crate) fn summary_bound(q: &Query, sm: Summary) -> f64 {
    let w = &q.weights;
    let requirements = usize::from(sm.education_at_most()) << 4 | usize::from(sm.experience_at_most());
    w[Signal::Occupation] * occupation(q, sm.occupation_group())
        + w[Signal::Salary] * salary(q, sm.pay_ceiling())
        + q.requirements[requirements]
        + w[Signal::Industry] * sm.industry().map_or(1.0, |i| signal::industry(q.industries, i))
        + w[Signal::Freshness] * f64::from(q.freshness.at(sm.posted_no_earlier()))
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

/// Pay against the seeker's minimum.
#[inline]
fn salary(q: &Query, pay: u32) -> f64 {
    signal::salary(q.salary_min, pay, q.salary_tolerance, q.salary_unknown)
}

/// Weighted sum of the column signals in `s` (the others still zero).
#[inline]
pub(crate) fn column_part(q: &Query, s: &Signals<f64>) -> f64 {
    q.weights.dot_of(s, Source::Columns)
}

/// The score of a set of signals: Σ wᵢ·sᵢ with normalised weights, summed in
/// signal order (both ranking paths sum the same way).
#[inline]
pub(crate) fn score(q: &Query, s: &Signals<f64>) -> f64 {
    let mut total = 0.0;
    for (w, v) in q.weights.values().iter().zip(s.values()) {
        total += w * v;
    }
    total
}

/// Upper bound of the column signals of a vacancy holding no query term:
/// each at most 1; occupation 0 for a seeker with no occupation or when the
/// occupation terms bound it.
pub(crate) fn column_bound(q: &Query) -> f64 {
    let mut w = q.weights;
    if q.occupations.is_empty() || q.occupation_by_terms {
        w[Signal::Occupation] = 0.0;
    }
    w.sum_of(Source::Columns)
}

/// Upper bound of location and mobility for vacancies of a range whose
/// distance is at least `min_km`.
pub(crate) fn place_bound(q: &Query, remote: bool, min_km: f64, moves_to: bool, province_prior: f64) -> f64 {
    let w = &q.weights;
    let location = if remote { 1.0 } else { location(q, min_km) };
    let mobility = if remote || !moves_to { 0.0 } else { province_prior };
    w[Signal::Location] * location + w[Signal::Mobility] * mobility
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use proptest::prelude::*;
    use proptest::sample::Index;

    use super::*;
    use crate::index::VacancyIndex;
    use crate::index::columns::{NONE_U8, NONE_U32};
    use crate::model::{Cny, Education, Industry, PriorityGroup, Seeker};
    use crate::rank::RankingConfig;
    use crate::rank::query::{Context, Query};
    use crate::rank::signal::Freshness;
    use crate::region::RegionCode;
    use crate::taxonomy::taxonomy;

    fn sentinel_or<T: Copy + std::fmt::Debug + 'static>(
        none: T,
        some: impl Strategy<Value = T> + 'static,
    ) -> impl Strategy<Value = T> {
        prop_oneof![Just(none), some]
    }

    fn role() -> impl Strategy<Value = TermRole> {
        prop_oneof![
            Just(TermRole::Title),
            Just(TermRole::Occupation),
            (0.0..=1.0f64, 0.0..=1.0f64, any::<bool>()).prop_map(|(miss, credit, soft)| TermRole::Skill {
                miss,
                credit,
                soft
            }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// The search bounds a doc by the terms it probed and those it met
        /// on the essential lists, built apart and joined by `and`: the
        /// same bound, to rounding, as adding every term to one.
        #[test]
        fn joined_bounds_equal_one_bound_of_all_terms(
            terms in proptest::collection::vec((role(), 0.0..1.0f64), 0..20),
            split in any::<Index>(),
        ) {
            let at = if terms.is_empty() { 0 } else { split.index(terms.len() + 1) };
            let (a, b) = terms.split_at(at);
            let of = |ts: &[(TermRole, f64)]| ts.iter().fold(TermBound::NONE, |t, &(r, ub)| t.with(r, ub));
            let (joined, all) = (of(a).and(of(b)), of(&terms));
            for (x, y) in [
                (joined.occupation, all.occupation),
                (joined.title, all.title),
                (joined.miss_trade, all.miss_trade),
                (joined.miss_soft, all.miss_soft),
                (joined.held, all.held),
            ] {
                prop_assert!((x - y).abs() <= 1e-12 * (1.0 + y.abs()), "{joined:?} vs {all:?}");
            }
        }

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
            let config = RankingConfig {
                weights: crate::rank::Weights::from(Signals::from_array(weights)),
                salary_unknown,
                ..RankingConfig::default()
            };

            let index = VacancyIndex::create_in_ram().unwrap();
            let snapshot = index.snapshot().unwrap();
            let freshness = Arc::new(Freshness::new(today, config.freshness_half_life_days));
            let tables = crate::rank::query::QueryTables::new(&config, snapshot.reference());
            let cx = Context { snapshot: &snapshot, config: &config, related: None, occupations: &|| Ok(None), freshness: &freshness, today, tables: &tables, memo: None };
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
            let mut s = Signals::default();
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
