//! The signals: one table of what each is called, weighs by default and is
//! read from, and the function that computes each from plain values.
//!
//! Adding a signal is one place: a variant of [`Signal`] with its row in
//! [`Signal::ALL`], [`Signal::name`], [`Signal::default_weight`] and
//! `Signal::source`, and its function here. Weights, components,
//! explanations, the bounds by source and the JSON names all follow the
//! table.

use std::ops::{Index, IndexMut};

use serde::Serialize;

use crate::index::columns::{NONE_U8, NONE_U32};
pub(crate) use crate::index::terms::idf;
use crate::model::PriorityGroup;
use crate::taxonomy::SkillKind;

/// One signal of the score. Every signal is a number in [0, 1]; the score
/// is their weighted mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    /// The vacancy's skills the seeker holds: evidence of fit by rarity
    /// and kind, and coverage of what it asks (see the module's
    /// `skills` function); adding a skill never lowers it.
    Skills,
    /// CSCO occupation closeness.
    Occupation,
    /// Desired titles against the vacancy title.
    Title,
    /// Commute distance.
    Location,
    /// Willingness to move there.
    Mobility,
    /// Salary against the seeker's minimum.
    Salary,
    /// Education against the requirement.
    Education,
    /// Experience against the requirement.
    Experience,
    /// Industry preference.
    Industry,
    /// Posting age.
    Freshness,
    /// Priority-group policy boost.
    Priority,
}

/// Where the ranker reads a signal from, which decides how the search
/// bounds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// The seeker's terms in the vacancy's postings (bounded per term).
    Terms,
    /// Where the vacancy is (bounded per region range and per block).
    Place,
    /// The vacancy's columns (bounded by its eight-byte summary).
    Columns,
}

/// Number of signals.
pub const NUM_SIGNALS: usize = Signal::ALL.len();

impl Signal {
    /// Every signal, in the order of component vectors and of the score's
    /// sum.
    pub const ALL: [Signal; 11] = [
        Signal::Skills,
        Signal::Occupation,
        Signal::Title,
        Signal::Location,
        Signal::Mobility,
        Signal::Salary,
        Signal::Education,
        Signal::Experience,
        Signal::Industry,
        Signal::Freshness,
        Signal::Priority,
    ];

    /// The names, in [`Signal::ALL`] order.
    // Evaluated at compile time, where an index out of range fails the build.
    #[allow(clippy::indexing_slicing)]
    pub const NAMES: [&'static str; NUM_SIGNALS] = {
        let mut names = [""; NUM_SIGNALS];
        let mut i = 0;
        while i < NUM_SIGNALS {
            names[i] = Signal::ALL[i].name();
            i += 1;
        }
        names
    };

    /// Its name in configs, components and explanations.
    pub const fn name(self) -> &'static str {
        match self {
            Signal::Skills => "skills",
            Signal::Occupation => "occupation",
            Signal::Title => "title",
            Signal::Location => "location",
            Signal::Mobility => "mobility",
            Signal::Salary => "salary",
            Signal::Education => "education",
            Signal::Experience => "experience",
            Signal::Industry => "industry",
            Signal::Freshness => "freshness",
            Signal::Priority => "priority",
        }
    }

    /// Its default weight (weights need not sum to 1: the score divides by
    /// their sum). Skills weigh most: they are the strongest evidence of
    /// fit; the priority boost is off unless a service turns it on.
    pub const fn default_weight(self) -> f64 {
        match self {
            Signal::Skills => 0.35,
            Signal::Occupation => 0.10,
            Signal::Title => 0.10,
            Signal::Location => 0.12,
            Signal::Mobility => 0.05,
            Signal::Salary => 0.08,
            Signal::Education => 0.05,
            Signal::Experience => 0.05,
            Signal::Industry => 0.03,
            Signal::Freshness => 0.07,
            Signal::Priority => 0.0,
        }
    }

    /// Where the ranker reads it from.
    pub(crate) const fn source(self) -> Source {
        match self {
            Signal::Skills | Signal::Title => Source::Terms,
            Signal::Location | Signal::Mobility => Source::Place,
            Signal::Occupation
            | Signal::Salary
            | Signal::Education
            | Signal::Experience
            | Signal::Industry
            | Signal::Freshness
            | Signal::Priority => Source::Columns,
        }
    }

    /// The signal of this name.
    pub fn from_name(name: &str) -> Option<Signal> {
        Signal::ALL.into_iter().find(|s| s.name() == name)
    }

    /// Its position in component vectors.
    #[inline]
    pub const fn index(self) -> usize {
        self as usize
    }
}

/// One value per signal, indexed by [`Signal`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Signals<T>([T; NUM_SIGNALS]);

impl<T> Signals<T> {
    /// From an array in [`Signal::ALL`] order.
    pub const fn from_array(values: [T; NUM_SIGNALS]) -> Self {
        Signals(values)
    }

    /// Each signal with its value, in [`Signal::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = (Signal, &T)> + '_ {
        Signal::ALL.into_iter().zip(&self.0)
    }

    /// The values in [`Signal::ALL`] order.
    pub fn values(&self) -> &[T; NUM_SIGNALS] {
        &self.0
    }

    /// A value per signal, computed from each.
    pub fn from_fn(f: impl FnMut(Signal) -> T) -> Self {
        Signals(Signal::ALL.map(f))
    }

    /// Each value mapped.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Signals<U> {
        Signals(self.0.map(f))
    }
}

impl<T> Index<Signal> for Signals<T> {
    type Output = T;
    #[inline]
    fn index(&self, s: Signal) -> &T {
        // A `Signal` is always below NUM_SIGNALS: the array has a slot for
        // every variant.
        #[allow(clippy::indexing_slicing)]
        &self.0[s.index()]
    }
}

impl<T> IndexMut<Signal> for Signals<T> {
    #[inline]
    fn index_mut(&mut self, s: Signal) -> &mut T {
        #[allow(clippy::indexing_slicing)]
        &mut self.0[s.index()]
    }
}

impl Signals<f64> {
    /// `Σ self[s] · other[s]` over the signals of one source, in
    /// [`Signal::ALL`] order.
    #[inline]
    pub(crate) fn dot_of(&self, other: &Signals<f64>, source: Source) -> f64 {
        let mut total = 0.0;
        for s in Signal::ALL {
            if s.source() == source {
                total += self[s] * other[s];
            }
        }
        total
    }

    /// `Σ self[s]` over the signals of one source.
    #[inline]
    pub(crate) fn sum_of(&self, source: Source) -> f64 {
        let mut total = 0.0;
        for s in Signal::ALL {
            if s.source() == source {
                total += self[s];
            }
        }
        total
    }
}

/// The share of the skills signal that soft skills (transversal ones) can
/// give at most: they say little about fit, and a vacancy matched on them
/// alone never outranks one matched on any skill of the seeker's trade
/// (see [`Signal::Skills`]).
pub const TRANSVERSAL_SHARE: f64 = 0.05;

/// The least evidence of fit a skill carries, however common.
pub const SKILL_EVIDENCE_FLOOR: f64 = 0.15;

/// The IDF over which a skill's evidence closes most of the way from
/// [`SKILL_EVIDENCE_FLOOR`] to 1.
pub const SKILL_IDF_SCALE: f64 = 4.0;

/// A seeker skill's evidence of fit when a vacancy asks for it, from its
/// IDF in the market and its kind: `floor + (1 − floor)·(1 − e^(−idf/scale))`,
/// in [floor, 1): a rare skill (客运车辆, asked by one vacancy in a
/// thousand) says more (0.85) than one every tenth vacancy asks for (驾驶,
/// 0.52). A cross-sector skill (办公软件, 英语, CAD) says less about fit with
/// one vacancy than a trade's own skill of the same rarity: its evidence
/// above the floor is halved.
#[inline]
pub(crate) fn skill_evidence(idf: f64, kind: Option<SkillKind>) -> f64 {
    let reach = if kind == Some(SkillKind::CrossSector) {
        0.5
    } else {
        1.0
    };
    SKILL_EVIDENCE_FLOOR
        + (1.0 - SKILL_EVIDENCE_FLOOR) * reach * (1.0 - (-idf.max(0.0) / SKILL_IDF_SCALE).exp())
}

/// The share of the skills signal a tier can give: [`TRANSVERSAL_SHARE`]
/// for soft skills, the rest for all others.
#[inline]
pub(crate) fn skill_tier(transversal: bool) -> f64 {
    if transversal {
        TRANSVERSAL_SHARE
    } else {
        1.0 - TRANSVERSAL_SHARE
    }
}

/// The skills signal: `E · (½ + ½·P)`.
///
/// `E` is the evidence of fit of the vacancy's skills the seeker holds,
/// each once at the best credit any of the seeker's skills gives it,
/// combined as independent evidence (`1 − Π(1 − eᵢ)`) in two tiers:
/// `E = (1 − τ)·E_trade + τ·E_soft` with τ = [`TRANSVERSAL_SHARE`].
/// `miss_trade` and `miss_soft` are the products `Π(1 − eᵢ)` of each
/// tier. `P` is the share of the vacancy's `count` skills the seeker
/// covers (`held`, each skill's credit).
///
/// Why this form (and not the share of the seeker's skills a vacancy asks
/// for, which it replaced): a skill the seeker adds can only add a factor
/// below 1 to a product, or raise a credit, so **adding a skill never
/// lowers the signal** for any vacancy; a soft phrase, a licence, a skill
/// no vacancy asks for or a second trade dilutes nothing. A vacancy whose
/// skills the seeker covers better (more of them held, or fewer left
/// unheld) scores higher. The function is non-decreasing in every
/// argument's favourable direction (fewer misses, more held, fewer
/// skills), so the search bounds a set of terms it may hold with this same
/// function over that set (`score::TermBound`) and stays exact. A vacancy matched on one
/// trade skill scores at least `(1 − τ)·floor·½ ≈ 0.07` against at most τ
/// = 0.05 for one matched on soft skills alone.
#[inline]
pub(crate) fn skills(miss_trade: f64, miss_soft: f64, held: f64, count: u8) -> f64 {
    let covered = if count == 0 {
        1.0
    } else {
        (held / f64::from(count)).min(1.0)
    };
    skills_of(miss_trade, miss_soft, covered)
}

/// `E · (½ + ½·P)` for the tiers' misses and the share covered `P`.
#[inline]
fn skills_of(miss_trade: f64, miss_soft: f64, covered: f64) -> f64 {
    let evidence = skill_tier(false) * (1.0 - miss_trade) + skill_tier(true) * (1.0 - miss_soft);
    (evidence * (0.5 + 0.5 * covered)).clamp(0.0, 1.0)
}

/// `1 / n` for every skill count a vacancy can hold (a byte), rounded up.
// Indexing cannot panic: n < 256, the table's length.
#[allow(clippy::indexing_slicing)]
const RECIPROCAL_UP: [f64; 256] = {
    let mut t = [0.0; 256];
    let mut n = 1;
    while n < 256 {
        t[n] = (1.0 / n as f64).next_up();
        n += 1;
    }
    t
};

/// A bound of [`skills`] at least as high, computed without a division:
/// the search bounds every doc met on the essential lists with it, where
/// a division's latency was the costliest step. `held · (1/count rounded
/// up)` is at least `held / count` once rounded, and the rest is the same
/// non-decreasing arithmetic.
#[inline]
// Indexing cannot panic: a byte indexes a table of 256.
#[allow(clippy::indexing_slicing)]
pub(crate) fn skills_bound(miss_trade: f64, miss_soft: f64, held: f64, count: u8) -> f64 {
    let covered = if count == 0 {
        1.0
    } else {
        (held * RECIPROCAL_UP[usize::from(count)]).min(1.0)
    };
    skills_of(miss_trade, miss_soft, covered)
}

/// The location signal at `km` from home (not remote): full within
/// `full_km`, falling linearly to 0 at the commute radius.
#[inline]
pub(crate) fn location(km: f64, commute_km: f64, full_km: f64) -> f64 {
    if km <= full_km.min(commute_km) {
        1.0
    } else if km >= commute_km {
        0.0
    } else {
        1.0 - (km - full_km) / (commute_km - full_km)
    }
}

/// Pay against the seeker's minimum: non-decreasing in `pay`.
#[inline]
pub(crate) fn salary(min: Option<u32>, pay: u32, tolerance: f64, unknown: f64) -> f64 {
    match (min, pay) {
        (_, NONE_U32) => unknown,
        (None, _) => 1.0,
        (Some(min), p) if p >= min => 1.0,
        (Some(min), p) => (1.0 - f64::from(min - p) / (tolerance * f64::from(min))).max(0.0),
    }
}

/// The seeker's education rank against the rank asked: non-increasing in
/// `need`.
#[inline]
pub(crate) fn education(need: u8, have: Option<u8>, step: f64) -> f64 {
    match (need, have) {
        (NONE_U8, _) | (0, _) => 1.0,
        (_, None) => 0.5,
        (n, Some(h)) if h >= n => 1.0,
        (n, Some(h)) => (1.0 - step * f64::from(n - h)).max(0.0),
    }
}

/// The seeker's years against the years asked: non-increasing in `years`.
#[inline]
pub(crate) fn experience(years: u8, have: Option<u8>) -> f64 {
    match (years, have) {
        (NONE_U8, _) | (0, _) => 1.0,
        (_, None) => 0.5,
        (n, Some(h)) if h >= n => 1.0,
        (n, Some(h)) => 1.0 - f64::from(n - h) / f64::from(n + 1),
    }
}

/// The vacancy's industry against the seeker's preferences (bit i set =
/// industry index i preferred; 0 = no preference).
#[inline]
pub(crate) fn industry(preferred: u32, ind: u8) -> f64 {
    if preferred == 0 {
        1.0
    } else if ind == NONE_U8 {
        0.5
    } else if preferred.checked_shr(u32::from(ind)).unwrap_or(0) & 1 == 1 {
        1.0
    } else {
        0.0
    }
}

/// 1 when the vacancy suits one of the seeker's priority groups:
/// non-increasing in both requirements.
#[inline]
pub(crate) fn priority(groups: &[PriorityGroup], need: u8, years: u8) -> f64 {
    if groups.iter().any(|&g| suits(g, need, years)) {
        1.0
    } else {
        0.0
    }
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
    use super::*;

    #[test]
    fn the_table_is_complete_and_names_are_unique() {
        for (i, s) in Signal::ALL.iter().enumerate() {
            assert_eq!(s.index(), i, "{s:?} out of order");
            assert_eq!(Signal::from_name(s.name()), Some(*s));
        }
        let total: f64 = Signal::ALL.iter().map(|s| s.default_weight()).sum();
        assert!((total - 1.0).abs() < 1e-9, "default weights sum to {total}");
        let w = Signals::from_fn(Signal::default_weight);
        let ones = Signals::from_fn(|_| 1.0);
        let by_source = w.dot_of(&ones, Source::Terms)
            + w.dot_of(&ones, Source::Place)
            + w.dot_of(&ones, Source::Columns);
        assert!((by_source - total).abs() < 1e-12, "every signal has one source");
    }

    proptest::proptest! {
        /// The division-free bound never falls below the signal it bounds,
        /// and is that signal but for rounding.
        #[test]
        fn the_skills_bound_bounds_the_skills_signal(
            miss_trade in 0.0..=1.0f64,
            miss_soft in 0.0..=1.0f64,
            held_units in 0u32..600,
            quarter in proptest::bool::ANY,
            count in proptest::num::u8::ANY,
        ) {
            // Credits are sums of 1s and fractions such as ½ and 0.3.
            let held = f64::from(held_units) * if quarter { 0.25 } else { 0.3 };
            let exact = skills(miss_trade, miss_soft, held, count);
            let bound = skills_bound(miss_trade, miss_soft, held, count);
            proptest::prop_assert!(bound >= exact, "{bound} < {exact}");
            proptest::prop_assert!(bound - exact < 1e-12, "{bound} far above {exact}");
        }
    }
}
