//! The scoring function: the one place a vacancy's signals and score are
//! computed, shared by the pruned search, the exhaustive scan and `explain`.

use super::config::{NUM_SIGNALS, signal};
use super::query::Query;
use crate::index::SegmentColumns;
use crate::index::columns::{NONE_U8, NONE_U32};
use crate::model::PriorityGroup;
use crate::taxonomy::relatedness_packed;

/// Why a vacancy can never be returned to a seeker.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Exclusion {
    Expired,
    OutOfReach { km: f64 },
    SalaryBelowMinimum,
}

/// The hard constraints; on success, the distance from home in km.
#[inline]
pub(crate) fn admit(q: &Query, cols: &SegmentColumns, doc: u32) -> Result<f64, Exclusion> {
    let d = doc as usize;
    if cols.expires[d] < q.today {
        return Err(Exclusion::Expired);
    }
    let km = q.reach.distance_km(cols, doc);
    if !q.reach.admits(doc < cols.remote_end, cols.region[d], km) {
        return Err(Exclusion::OutOfReach { km });
    }
    if q.require_salary
        && let Some(min) = q.salary_min
    {
        let pay = pay(cols, d);
        if pay != NONE_U32 && pay < min {
            return Err(Exclusion::SalaryBelowMinimum);
        }
    }
    Ok(km)
}

/// What a vacancy pays at best: its max, else its min.
#[inline]
fn pay(cols: &SegmentColumns, d: usize) -> u32 {
    if cols.salary_max[d] != NONE_U32 {
        cols.salary_max[d]
    } else {
        cols.salary_min[d]
    }
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
pub(crate) fn signals(
    q: &Query,
    si: usize,
    cols: &SegmentColumns,
    doc: u32,
    km: f64,
    mask: u128,
) -> [f64; NUM_SIGNALS] {
    let mut s = [0.0; NUM_SIGNALS];
    column_signals(q, si, cols, doc, &mut s);
    place_signals(q, cols, doc, km, &mut s);
    term_signals(q, cols, doc, mask, &mut s);
    s
}

/// The signals that come from the seeker's terms: skills and title.
///
/// Skills is `R × (½ + ½·P)`: `R` is the IDF-weighted share of the seeker's
/// skills the vacancy asks for, `P` the share of the vacancy's skills the
/// seeker has (by count). A vacancy asking for much the seeker lacks fits
/// less well; `P` only lowers the score, so `R` bounds it.
#[inline]
pub(crate) fn term_signals(
    q: &Query,
    cols: &SegmentColumns,
    doc: u32,
    mask: u128,
    s: &mut [f64; NUM_SIGNALS],
) {
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
    let count = f64::from(cols.skill_count[doc as usize]);
    let p = if count == 0.0 {
        1.0
    } else {
        (held / count).min(1.0)
    };
    s[signal::SKILLS] = (r * (0.5 + 0.5 * p)).min(1.0);
    s[signal::TITLE] = title.min(1.0);
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
pub(crate) fn column_signals(
    q: &Query,
    si: usize,
    cols: &SegmentColumns,
    doc: u32,
    s: &mut [f64; NUM_SIGNALS],
) {
    let d = doc as usize;
    let occ = cols.occupation[d];
    s[signal::OCCUPATION] = q
        .occupations
        .iter()
        .map(|&o| relatedness_packed(o, occ))
        .fold(0.0, f64::max);

    let pay = pay(cols, d);
    s[signal::SALARY] = match (q.salary_min, pay) {
        (_, NONE_U32) => q.salary_unknown,
        (None, _) => 1.0,
        (Some(min), p) if p >= min => 1.0,
        (Some(min), p) => (1.0 - f64::from(min - p) / (q.salary_tolerance * f64::from(min))).max(0.0),
    };

    let need = cols.education[d];
    s[signal::EDUCATION] = match (need, q.education) {
        (NONE_U8, _) | (0, _) => 1.0,
        (_, None) => 0.5,
        (n, Some(h)) if h >= n => 1.0,
        (n, Some(h)) => (1.0 - q.education_step * f64::from(n - h)).max(0.0),
    };

    let years = cols.experience[d];
    s[signal::EXPERIENCE] = match (years, q.experience) {
        (NONE_U8, _) | (0, _) => 1.0,
        (_, None) => 0.5,
        (n, Some(h)) if h >= n => 1.0,
        (n, Some(h)) => 1.0 - f64::from(n - h) / f64::from(n + 1),
    };

    let ind = cols.industry[d];
    s[signal::INDUSTRY] = if q.industries == 0 {
        1.0
    } else if ind == NONE_U8 {
        0.5
    } else if q.industries >> ind & 1 == 1 {
        1.0
    } else {
        0.0
    };

    s[signal::FRESHNESS] = f64::from(q.freshness[si][d]);

    s[signal::PRIORITY] = if q.groups.iter().any(|&g| suits(g, need, years)) {
        1.0
    } else {
        0.0
    };
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

/// Upper bound of the column signals: each at most 1 (occupation 0 for a
/// seeker with no occupation).
pub(crate) fn column_bound(q: &Query) -> f64 {
    let w = &q.weights;
    let occupation = if q.occupations.is_empty() {
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
