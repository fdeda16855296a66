//! Career guidance from the market: which skill would open the most and the
//! best vacancies within a seeker's reach ([`Guide::seeker`]), where
//! employers ask for skills local seekers lack ([`gaps`]), and what a
//! training programme would change at a job fair ([`training`]).
//!
//! A skill's gain for a seeker is measured against their current top k in
//! their own reach (no widening), whose k-th score is the bar θ: with the
//! skill added to the seeker, how many vacancies score above θ that did not
//! before (**entering**), how many fall below it (the other skills' shares
//! shrink when one is added: **leaving**), the net change, and how much the
//! mean of the top k scores rises. Exact: equal to matching the seeker with
//! the skill added ([`Guide::seeker_exhaustive`] recomputes by scanning
//! every vacancy; a property test holds them equal). Fast: one pruned
//! search per candidate skill under the floor θ the seeker's own ranking
//! set, which skips every range and block whose bound cannot reach θ.
//!
//! ```
//! use jobmatch::guidance::{Guide, GuidanceConfig};
//! use jobmatch::index::VacancyIndex;
//! use jobmatch::matcher::Matcher;
//! use jobmatch::rank::RankingConfig;
//! use jobmatch::{Date, Seeker, Vacancy};
//! let index = VacancyIndex::create_in_ram()?;
//! for i in 0..6 {
//!     let mut v = Vacancy::new(format!("v{i}"), "叉车司机", "500112".parse()?)?;
//!     let other = if i < 4 { "叉车" } else { "搬运" };
//!     v.skills = vec![other.into(), "仓储".into()];
//!     index.upsert(&v)?;
//! }
//! index.commit()?;
//! let matcher = Matcher::new(index.snapshot()?, RankingConfig::default(), Date::new(2021, 3, 31)?)?;
//! let guide = Guide::new(&matcher, GuidanceConfig { k: 2, ..Default::default() })?;
//! let seeker = Seeker::new("s1", vec!["仓储".into()], "500112".parse()?)?;
//! // The four forklift jobs rise above the seeker's 2nd match with 叉车.
//! let advice = guide.seeker(&seeker, 5)?;
//! assert_eq!(advice.skills[0].skill, "叉车");
//! assert_eq!(advice.skills[0].entering, 4);
//! assert_eq!(advice, guide.seeker_exhaustive(&seeker, 5)?);
//! # Ok::<(), jobmatch::Error>(())
//! ```

mod gaps;
mod training;

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::matcher::Matcher;
use crate::model::{Industry, Seeker};
use crate::rank::Signal;
use crate::rank::query::Query;
use crate::rank::search::{self, Allowance, SearchStats};
use crate::rank::topk::{Entry, TopK};
use crate::taxonomy::OccupationCode;
pub use gaps::{AreaGaps, AreaLevel, Blocked, Breakdown, Gap, GapConfig, GapReport, SkillArea, gaps};
pub use training::{Trainee, TrainingConfig, TrainingReport, TrainingSide, training};

/// How guidance is computed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GuidanceConfig {
    /// The k of the seeker's top k whose k-th score is the bar (default 10).
    pub k: usize,
    /// Candidate skills evaluated per seeker (default 40).
    pub candidates: usize,
    /// Vacancies above the bar counted exactly per skill (default 1,000):
    /// past it a gain is reported as at least this (`saturated`).
    pub count_cap: usize,
}

impl Default for GuidanceConfig {
    fn default() -> Self {
        GuidanceConfig {
            k: 10,
            candidates: 40,
            count_cap: 1_000,
        }
    }
}

impl GuidanceConfig {
    /// Checks the values.
    ///
    /// # Errors
    /// [`Error::Config`] naming a zero.
    pub fn validate(&self) -> Result<()> {
        for (name, v) in [
            ("k", self.k),
            ("candidates", self.candidates),
            ("count_cap", self.count_cap),
        ] {
            if v == 0 {
                return Err(Error::Config {
                    reason: format!("guidance {name} must be at least 1"),
                });
            }
        }
        Ok(())
    }
}

/// Why a skill was a candidate.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Source {
    /// Vacancies of an occupation the seeker targets (given, coded from
    /// their titles, or inferred from their skills) ask for it.
    Occupation {
        /// The CSCO code.
        code: String,
        /// Share of that occupation's vacancies asking for it.
        share: f64,
    },
    /// It is related to one of the seeker's skills (asked for by the same
    /// occupations).
    Related {
        /// The seeker's skill.
        to: String,
        /// Relatedness in [0, 1].
        relatedness: f64,
    },
    /// Given by the caller (a training programme's skills).
    Given,
}

impl Source {
    /// Why the skill helps, in words for the seeker.
    fn reason(&self) -> String {
        match self {
            Source::Occupation { code, share } => {
                let name = code.parse::<crate::taxonomy::OccupationCode>().map_or_else(
                    |_| code.clone(),
                    |c| crate::taxonomy::taxonomy().get(c).name.clone(),
                );
                format!("{:.0}% of {name} vacancies ask for it", 100.0 * share)
            }
            Source::Related { to, .. } => format!("vacancies that ask for your {to} often ask for it too"),
            Source::Given => {
                "a skill added counts wherever a vacancy asks for it, and lowers no match".to_owned()
            }
        }
    }

    fn strength(&self) -> f64 {
        match self {
            Source::Occupation { share, .. } => *share,
            Source::Related { relatedness, .. } => *relatedness,
            Source::Given => 1.0,
        }
    }
}

/// A place or industry and how many vacancies entering the seeker's reach
/// above the bar are there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    /// District name (`remote` for remote jobs) or industry name.
    pub name: String,
    /// Vacancies.
    pub vacancies: u64,
}

/// What adding skills would change for one seeker.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkillGain {
    /// The skill as the vocabulary names it, or the skills joined by `+`
    /// for a set.
    pub skill: String,
    /// Vacancies that would score above the bar and do not now.
    pub entering: u64,
    /// Vacancies above the bar now that would fall below it.
    pub leaving: u64,
    /// `entering − leaving`.
    pub net: i64,
    /// More than `count_cap` vacancies would be above the bar: `entering`
    /// and `net` are lower bounds.
    pub saturated: bool,
    /// Mean score of the top k now.
    pub top_mean_before: f64,
    /// Mean score of the top k with the skill.
    pub top_mean_after: f64,
    /// The districts of the entering vacancies, most first (up to 3).
    pub districts: Vec<Count>,
    /// Their industries, most first (up to 3).
    pub industries: Vec<Count>,
    /// Why the skill was considered.
    pub source: Source,
    /// One sentence for the seeker.
    pub explanation: String,
}

impl SkillGain {
    /// How much the top k's mean score rises.
    pub fn top_rise(&self) -> f64 {
        self.top_mean_after - self.top_mean_before
    }
}

/// The skills that would help one seeker most, best first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeekerGuidance {
    /// Seeker id.
    pub seeker: String,
    /// The k of the bar.
    pub k: usize,
    /// The bar: the k-th score now (`null` with fewer than k vacancies in
    /// reach: every vacancy in reach is in the top already).
    pub bar: Option<f64>,
    /// Vacancies above the bar now.
    pub above: u64,
    /// Candidate skills evaluated.
    pub evaluated: usize,
    /// The best, by net vacancies gained, then by the top k's rise, then
    /// by skill.
    pub skills: Vec<SkillGain>,
}

/// The seeker's standing now: the bar and what is above it.
struct Base {
    bar: Option<f64>,
    above: HashSet<(u32, u32)>,
    top_mean: f64,
}

/// Guidance over one matcher's market.
pub struct Guide<'m> {
    matcher: &'m Matcher,
    config: GuidanceConfig,
}

fn mean(xs: impl Iterator<Item = f64>) -> f64 {
    let (n, sum) = xs.fold((0usize, 0.0), |(n, s), x| (n + 1, s + x));
    if n == 0 { 0.0 } else { sum / n as f64 }
}

/// The seeker's skill terms as the query holds them (canonical).
fn held_skills(q: &Query) -> Vec<String> {
    let mut held: Vec<String> = q
        .clauses
        .iter()
        .filter(|c| c.signal == Signal::Skills)
        .flat_map(|c| c.options.iter().filter(|o| o.1 >= 1.0))
        .filter_map(|&(t, _)| q.terms.get(t).map(|t| t.text().to_owned()))
        .collect();
    held.sort();
    held.dedup();
    held
}

/// The top few names of a tally, most first (ties by name).
fn top_counts(tally: BTreeMap<String, u64>, n: usize) -> Vec<Count> {
    let mut v: Vec<Count> = tally
        .into_iter()
        .map(|(name, vacancies)| Count { name, vacancies })
        .collect();
    v.sort_by(|a, b| b.vacancies.cmp(&a.vacancies).then(a.name.cmp(&b.name)));
    v.truncate(n);
    v
}

fn ordinal(k: usize) -> String {
    let suffix = match (k % 10, k % 100) {
        (1, x) if x != 11 => "st",
        (2, x) if x != 12 => "nd",
        (3, x) if x != 13 => "rd",
        _ => "th",
    };
    format!("{k}{suffix}")
}

impl<'m> Guide<'m> {
    /// Guidance over `matcher`'s market.
    ///
    /// # Errors
    /// [`Error::Config`] for a bad config.
    pub fn new(matcher: &'m Matcher, config: GuidanceConfig) -> Result<Guide<'m>> {
        config.validate()?;
        Ok(Guide { matcher, config })
    }

    /// The config.
    pub fn config(&self) -> &GuidanceConfig {
        &self.config
    }

    /// The matcher whose market guides.
    pub fn matcher(&self) -> &Matcher {
        self.matcher
    }

    /// The skills worth evaluating for a seeker, strongest first: those the
    /// vacancies of their target occupations ask for most, and those
    /// related to their own skills; never one they hold.
    ///
    /// # Errors
    /// As [`Matcher::match_one`].
    pub fn candidates(&self, seeker: &Seeker) -> Result<Vec<(String, Source)>> {
        let q = self.matcher.prepare(seeker)?;
        self.candidates_of(&q)
    }

    fn candidates_of(&self, q: &Query) -> Result<Vec<(String, Source)>> {
        let held: HashSet<String> = held_skills(q).into_iter().collect();
        let n = self.config.candidates;
        let mut found: Vec<(String, Source)> = Vec::new();
        let model = self.matcher.market_model()?;
        for &packed in &q.occupations {
            let Some(code) = OccupationCode::from_packed(packed) else {
                continue;
            };
            for (t, share) in model.asked_by(code, n) {
                found.push((
                    t.to_owned(),
                    Source::Occupation {
                        code: code.to_string(),
                        share,
                    },
                ));
            }
        }
        if let Some(relations) = self.matcher.skill_relations() {
            for h in &held {
                for (t, c) in relations.related(h) {
                    found.push((
                        t.to_owned(),
                        Source::Related {
                            to: h.clone(),
                            relatedness: f64::from(c),
                        },
                    ));
                }
            }
        }
        found.sort_by(|a, b| b.1.strength().total_cmp(&a.1.strength()).then(a.0.cmp(&b.0)));
        let mut seen = HashSet::new();
        found.retain(|(t, _)| !held.contains(t) && seen.insert(t.clone()));
        found.truncate(n);
        Ok(found)
    }

    /// The `top` skills that would help the seeker most, each evaluated by
    /// a pruned search under the bar.
    ///
    /// # Errors
    /// As [`Matcher::match_one`] (an invalid seeker, a seeker at the skill
    /// limit, an index failure).
    pub fn seeker(&self, seeker: &Seeker, top: usize) -> Result<SeekerGuidance> {
        self.advise(seeker, top, false)
    }

    /// The same by scanning every vacancy for each candidate: the
    /// reference [`Guide::seeker`] must equal.
    ///
    /// # Errors
    /// As [`Guide::seeker`].
    pub fn seeker_exhaustive(&self, seeker: &Seeker, top: usize) -> Result<SeekerGuidance> {
        self.advise(seeker, top, true)
    }

    /// The seeker as guidance evaluates them: when their occupation is
    /// inferred from their skills, it is fixed as inferred (every trade at
    /// full credit), so that a skill learned is weighed for the trade the
    /// seeker has, and never changes what the seeker is taken for. With
    /// the occupation fixed, adding a skill never lowers a vacancy's score
    /// ([`crate::rank::Signal::Skills`]): no vacancy leaves the seeker's
    /// bar and no skill's net is negative. A seeker with occupations given,
    /// or titles that code, is returned as is.
    ///
    /// # Errors
    /// As [`Guide::seeker`].
    pub fn as_guided(&self, seeker: &Seeker) -> Result<Seeker> {
        let q = self.matcher.prepare(seeker)?;
        let mut fixed = seeker.clone();
        if seeker.occupations.is_empty() && !q.inferred.is_empty() {
            fixed.occupations = q.inferred.iter().map(|i| i.code).collect();
        }
        Ok(fixed)
    }

    fn advise(&self, seeker: &Seeker, top: usize, exhaustive: bool) -> Result<SeekerGuidance> {
        let seeker = &self.as_guided(seeker)?;
        let q = self.matcher.prepare(seeker)?;
        let base = self.base(seeker, &q, exhaustive)?;
        let candidates = self.candidates_of(&q)?;
        let mut gains = Vec::with_capacity(candidates.len());
        for (skill, source) in &candidates {
            gains.push(self.evaluate(
                seeker,
                &base,
                std::slice::from_ref(skill),
                source.clone(),
                exhaustive,
            )?);
        }
        gains.sort_by(|a, b| {
            b.net
                .cmp(&a.net)
                .then(b.top_rise().total_cmp(&a.top_rise()))
                .then(a.skill.cmp(&b.skill))
        });
        gains.truncate(top);
        Ok(SeekerGuidance {
            seeker: seeker.id.clone(),
            k: self.config.k,
            bar: base.bar,
            above: base.above.len() as u64,
            evaluated: candidates.len(),
            skills: gains,
        })
    }

    /// What adding `skills` (all of them) would change for the seeker.
    ///
    /// # Errors
    /// As [`Guide::seeker`].
    pub fn gain(&self, seeker: &Seeker, skills: &[String]) -> Result<SkillGain> {
        let mut one = self.gains(seeker, std::slice::from_ref(&skills.to_vec()))?;
        one.pop()
            .ok_or_else(|| Error::Panic("one set of skills gave no gain".into()))
    }

    /// [`Guide::gain`] of each set of skills, in order, the seeker's bar
    /// computed once.
    ///
    /// # Errors
    /// As [`Guide::seeker`].
    pub fn gains(&self, seeker: &Seeker, sets: &[Vec<String>]) -> Result<Vec<SkillGain>> {
        let seeker = &self.as_guided(seeker)?;
        let q = self.matcher.prepare(seeker)?;
        let base = self.base(seeker, &q, false)?;
        sets.iter()
            .map(|skills| self.evaluate(seeker, &base, skills, Source::Given, false))
            .collect()
    }

    /// The top k's scores of a seeker, searched or scanned.
    fn top_scores(&self, seeker: &Seeker, exhaustive: bool) -> Result<Vec<f64>> {
        let k = self.config.k;
        Ok(if exhaustive {
            self.matcher
                .match_exhaustive(seeker, k)?
                .matches
                .iter()
                .map(|m| m.score)
                .collect()
        } else {
            self.matcher
                .ranked_docs(seeker, k)?
                .into_iter()
                .map(|(.., s)| s)
                .collect()
        })
    }

    /// Every vacancy of the query's reach scoring above `bar` (up to the
    /// cap), best first.
    fn above(&self, q: &Query, bar: f64, exhaustive: bool) -> Result<Vec<Entry>> {
        let snapshot = self.matcher.snapshot();
        let mut top = TopK::new(self.config.count_cap, None, snapshot.segments());
        top.set_floor(bar);
        let mut stats = SearchStats::default();
        if exhaustive {
            search::scan(snapshot, q, &mut top, &mut stats)?;
        } else {
            search::search(snapshot, q, &mut top, &mut stats, &Allowance::default())?;
        }
        let mut found = top.into_entries();
        found.retain(|e| e.score > bar);
        Ok(found)
    }

    fn base(&self, seeker: &Seeker, q: &Query, exhaustive: bool) -> Result<Base> {
        let scores = self.top_scores(seeker, exhaustive)?;
        let bar = if scores.len() == self.config.k {
            scores.last().copied()
        } else {
            None
        };
        let above = match bar {
            Some(bar) => self
                .above(q, bar, exhaustive)?
                .into_iter()
                .map(|e| (e.segment, e.doc))
                .collect(),
            None => HashSet::new(),
        };
        Ok(Base {
            bar,
            above,
            top_mean: mean(scores.into_iter()),
        })
    }

    fn evaluate(
        &self,
        seeker: &Seeker,
        base: &Base,
        skills: &[String],
        source: Source,
        exhaustive: bool,
    ) -> Result<SkillGain> {
        let mut with = seeker.clone();
        with.skills.extend(skills.iter().cloned());
        let q = self.matcher.prepare(&with)?;
        let k = self.config.k;
        let cap = self.config.count_cap;
        let (mut entering, mut leaving, mut saturated) = (0u64, 0u64, false);
        let mut districts: BTreeMap<String, u64> = BTreeMap::new();
        let mut industries: BTreeMap<String, u64> = BTreeMap::new();
        let mut top_after = None;
        if let Some(bar) = base.bar {
            let found = self.above(&q, bar, exhaustive)?;
            saturated = found.len() >= cap;
            let snapshot = self.matcher.snapshot();
            let gazetteer = snapshot.reference().gazetteer();
            // Those above the bar now and still above it; the rest left.
            let mut stayed = 0u64;
            for e in &found {
                if base.above.contains(&(e.segment, e.doc)) {
                    stayed += 1;
                    continue;
                }
                entering += 1;
                let Some(cols) = snapshot.segments().get(e.segment as usize) else {
                    continue;
                };
                let d = e.doc as usize;
                let place = if e.doc < cols.remote_end {
                    "remote".to_owned()
                } else {
                    cols.region
                        .get(d)
                        .and_then(|&r| gazetteer.by_dense(r))
                        .map_or_else(|| "?".to_owned(), |r| r.name.clone())
                };
                *districts.entry(place).or_default() += 1;
                let industry = cols
                    .industry
                    .get(d)
                    .and_then(|&i| Industry::from_index(usize::from(i)))
                    .map_or("(no industry)", Industry::name_zh);
                *industries.entry(industry.to_owned()).or_default() += 1;
            }
            leaving = base.above.len() as u64 - stayed;
            // Without a cap per employer, the top k is the head of what
            // scores above the bar, when k of them do.
            if self.matcher.config().max_per_employer.is_none() && found.len() >= k {
                top_after = Some(mean(found.iter().take(k).map(|e| e.score)));
            }
        }
        let top_mean_after = match top_after {
            Some(m) => m,
            None => mean(self.top_scores(&with, exhaustive)?.into_iter()),
        };
        let net = entering as i64 - leaving as i64;
        let districts = top_counts(districts, 3);
        let industries = top_counts(industries, 3);
        // Named as the vocabulary writes them (`Excel`, not the index's
        // folded `excel`).
        let vocab = self.matcher.snapshot().reference().skills();
        let skill = skills
            .iter()
            .map(|s| vocab.name_of_term(s))
            .collect::<Vec<_>>()
            .join("+");
        let rise = top_mean_after - base.top_mean;
        let explanation = match (base.bar, districts.first()) {
            (None, _) => format!(
                "fewer than {k} vacancies are in reach: adding {skill} changes no count, and moves the mean of your matches by {rise:+.3} ({})",
                source.reason(),
            ),
            (Some(_), Some(d)) => format!(
                "adding {skill} brings {}{entering} more {} above your {} match ({net:+} net), most of them in {} {}; your top {k} rise by {rise:+.3} on average ({})",
                if saturated { "at least " } else { "" },
                if entering == 1 { "vacancy" } else { "vacancies" },
                ordinal(k),
                d.name,
                industries.first().map_or("", |i| i.name.as_str()),
                source.reason(),
            ),
            (Some(_), None) => format!(
                "adding {skill} brings no vacancy above your {} match ({net:+} net); your top {k} move by {rise:+.3} on average",
                ordinal(k)
            ),
        };
        Ok(SkillGain {
            skill,
            entering,
            leaving,
            net,
            saturated,
            top_mean_before: base.top_mean,
            top_mean_after,
            districts,
            industries,
            source,
            explanation,
        })
    }
}

/// The seekers of `seekers` sharing an id with another: guidance names
/// seekers by id.
pub(crate) fn check_unique(seekers: &[Seeker]) -> Result<()> {
    let mut seen = HashSet::with_capacity(seekers.len());
    for s in seekers {
        if !seen.insert(s.id.as_str()) {
            return Err(Error::Invalid {
                field: "id".into(),
                reason: format!("seeker id `{}` is given twice", s.id),
            });
        }
    }
    Ok(())
}
