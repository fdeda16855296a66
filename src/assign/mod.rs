//! Who gets which of the limited openings: capacity-aware stable
//! assignment (job fairs, placement drives).
//!
//! Ranking answers what fits a seeker; at a job fair each vacancy has a few
//! openings (`headcount`), and popular vacancies would otherwise get every
//! seeker. [`Assignment::run`] ranks each seeker's top k with a
//! [`Matcher`] (their preference list), lets each vacancy rank its
//! applicants by the vacancy-side [`fit`](FitConfig), and runs
//! seeker-proposing deferred acceptance: no vacancy exceeds its openings,
//! no seeker and vacancy would both rather have each other than what they
//! got (no blocking pair), the result is deterministic (ties by id) and the
//! best stable assignment for every seeker. A [`Policy`] can favour priority
//! groups (a fit bonus, or a soft reserve of each vacancy's openings).
//!
//! ```
//! use jobmatch::assign::{Assignment, FitConfig, Policy};
//! use jobmatch::index::VacancyIndex;
//! use jobmatch::matcher::Matcher;
//! use jobmatch::rank::RankingConfig;
//! use jobmatch::{Date, Seeker, Vacancy};
//! let index = VacancyIndex::create_in_ram()?;
//! let mut welder = Vacancy::new("v1", "焊工", "500107".parse()?)?;
//! welder.skills = vec!["焊接".into()]; // one opening (the default headcount)
//! index.upsert(&welder)?;
//! index.commit()?;
//! let matcher = Matcher::new(index.snapshot()?, RankingConfig::default(), Date::new(2021, 3, 31)?)?;
//! let seekers: Vec<Seeker> = ["s1", "s2"]
//!     .iter()
//!     .map(|id| Seeker::new(*id, vec!["焊接".into()], "500107".parse().unwrap()))
//!     .collect::<Result<_, _>>()?;
//! let a = Assignment::run(&matcher, &seekers, 10, &FitConfig::default(), &Policy::default())?;
//! assert_eq!(a.placed(), 1, "one opening, two seekers");
//! assert_eq!(a.blocking_pairs(usize::MAX), 0);
//! # Ok::<(), jobmatch::Error>(())
//! ```

mod deferred;
mod fit;
mod report;

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::matcher::Matcher;
use crate::model::{PriorityGroup, Seeker};
use deferred::Market;
use fit::{Applicant, VacancySkills};
pub use fit::{FitConfig, FitParts};
pub use report::{GraduateFlows, MarketOutcome, Share};

/// How the assignment favours priority groups (graduates, migrant workers,
/// veterans, the unemployed, …). Off by default.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    /// The groups favoured (none: no policy).
    pub groups: Vec<PriorityGroup>,
    /// Added to a favoured seeker's fit when vacancies rank applicants
    /// (default 0).
    pub fit_bonus: f64,
    /// Share of each vacancy's openings reserved for favoured seekers,
    /// rounded to the nearest opening (default 0). Reserved openings no
    /// favoured seeker takes go to anyone (a soft reserve).
    pub reserved_share: f64,
}

impl Policy {
    /// Checks the numbers.
    ///
    /// # Errors
    /// [`Error::Config`] naming the bad setting.
    pub fn validate(&self) -> Result<()> {
        if !(self.fit_bonus.is_finite() && (0.0..=1.0).contains(&self.fit_bonus)) {
            return Err(Error::Config {
                reason: "policy fit_bonus must be in [0, 1]".into(),
            });
        }
        if !(self.reserved_share.is_finite() && (0.0..=1.0).contains(&self.reserved_share)) {
            return Err(Error::Config {
                reason: "policy reserved_share must be in [0, 1]".into(),
            });
        }
        Ok(())
    }

    fn favours(&self, groups: &[PriorityGroup]) -> bool {
        groups.iter().any(|g| self.groups.contains(g))
    }

    fn reserved(&self, openings: u32) -> u32 {
        if self.groups.is_empty() {
            return 0;
        }
        ((f64::from(openings) * self.reserved_share).round() as u32).min(openings)
    }
}

/// A seeker's list by vacancy index: (vacancy, score, fit), best first.
#[derive(Debug, Clone)]
struct Indexed {
    id: String,
    groups: Vec<PriorityGroup>,
    choices: Vec<(u32, f64, f64)>,
}

/// A seeker's ranked list with fits: (segment, doc, score, fit).
type Ranked = Vec<(u32, u32, f64, f64)>;

/// Why a vacancy ranks a seeker where it does: the fit and its parts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FitExplanation {
    /// Seeker id.
    pub seeker: String,
    /// Vacancy id.
    pub vacancy: String,
    /// The fit, in [0, 1] (before any policy bonus).
    pub fit: f64,
    /// Each part's value.
    pub parts: FitParts,
    /// Each part's weight (normalised).
    pub weights: FitParts,
    /// The vacancy's skills the seeker has.
    pub skills_held: Vec<String>,
    /// The vacancy's skills the seeker lacks.
    pub skills_lacking: Vec<String>,
}

/// Explains fits on one matcher's snapshot (reads every vacancy's skills
/// once, when made).
pub struct FitExplainer<'m> {
    matcher: &'m Matcher,
    skills: VacancySkills,
    config: FitConfig,
}

impl<'m> FitExplainer<'m> {
    /// A prepared applicant's fit for a vacancy: (segment, doc, fit, parts).
    fn fit(&self, a: &Applicant, vacancy: &str) -> Result<(u32, u32, f64, FitParts)> {
        let snapshot = self.matcher.snapshot();
        let unknown = || Error::UnknownVacancy {
            id: vacancy.to_owned(),
        };
        let (seg, doc) = snapshot.find(vacancy)?.ok_or_else(unknown)?;
        let cols = snapshot.segments().get(seg).ok_or_else(unknown)?;
        let (f, parts) = fit::fit(&self.config, &self.skills, cols, seg as u32, doc, a);
        Ok((seg as u32, doc, f, parts))
    }

    /// An explainer of fits under `config`.
    ///
    /// # Errors
    /// An invalid config; an index read failure.
    pub fn new(matcher: &'m Matcher, config: FitConfig) -> Result<FitExplainer<'m>> {
        config.validate()?;
        Ok(FitExplainer {
            matcher,
            skills: VacancySkills::of(matcher.snapshot())?,
            config,
        })
    }

    /// The fit of a seeker for a vacancy, part by part.
    ///
    /// # Errors
    /// [`Error::UnknownVacancy`] when the snapshot has no such vacancy.
    pub fn explain(&self, seeker: &Seeker, vacancy: &str) -> Result<FitExplanation> {
        let a = Applicant::new(seeker, &self.skills, self.matcher.snapshot());
        let (seg, doc, f, parts) = self.fit(&a, vacancy)?;
        let (skills_held, skills_lacking) = fit::skill_names(&self.skills, seg, doc, &a);
        let c = &self.config;
        let total = c.skills + c.education + c.experience + c.distance;
        Ok(FitExplanation {
            seeker: seeker.id.clone(),
            vacancy: vacancy.to_owned(),
            fit: f,
            parts,
            weights: FitParts {
                skills: c.skills / total,
                education: c.education / total,
                experience: c.experience / total,
                distance: c.distance / total,
            },
            skills_held,
            skills_lacking,
        })
    }
}

/// A recommendation's chance under a job fair's cut-offs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Chance {
    /// The seeker's fit for the vacancy.
    pub fit: f64,
    /// The vacancy's cut-off (`None` when it was not full: anyone gets in).
    pub cutoff: Option<f64>,
    /// Whether the fit reaches the cut-off.
    pub likely: bool,
}

/// The chances of recommendations under the cut-offs of an assignment
/// (e.g. last week's job fair), and congestion-aware reordering of a
/// seeker's matches: the vacancies the seeker can likely get first.
pub struct Chances<'m> {
    explainer: FitExplainer<'m>,
    cutoffs: HashMap<String, Option<f64>>,
}

impl<'m> Chances<'m> {
    /// Chances on `matcher`'s snapshot under the cut-offs of `outcomes`
    /// (a vacancy not among them counts as not full).
    ///
    /// # Errors
    /// An invalid fit config; an index read failure.
    pub fn new(
        matcher: &'m Matcher,
        fit: FitConfig,
        outcomes: impl IntoIterator<Item = VacancyOutcome>,
    ) -> Result<Chances<'m>> {
        Ok(Chances {
            explainer: FitExplainer::new(matcher, fit)?,
            cutoffs: outcomes.into_iter().map(|v| (v.vacancy, v.cutoff)).collect(),
        })
    }

    /// The chance of a seeker at a vacancy.
    ///
    /// # Errors
    /// [`Error::UnknownVacancy`] when the snapshot has no such vacancy.
    pub fn of(&self, seeker: &Seeker, vacancy: &str) -> Result<Chance> {
        self.of_applicant(&self.applicant(seeker), vacancy)
    }

    fn applicant(&self, seeker: &Seeker) -> Applicant {
        Applicant::new(seeker, &self.explainer.skills, self.explainer.matcher.snapshot())
    }

    fn of_applicant(&self, a: &Applicant, vacancy: &str) -> Result<Chance> {
        let (_, _, fit, _) = self.explainer.fit(a, vacancy)?;
        let cutoff = self.cutoffs.get(vacancy).copied().flatten();
        Ok(Chance {
            fit,
            cutoff,
            likely: cutoff.is_none_or(|c| fit >= c),
        })
    }

    /// A seeker's matches with their chances, reordered when `aware`: the
    /// likely ones first, each part in ranking order (a permutation of the
    /// matches).
    ///
    /// # Errors
    /// As [`Chances::of`].
    pub fn rank(
        &self,
        seeker: &Seeker,
        result: &crate::matcher::MatchResult,
        aware: bool,
    ) -> Result<Vec<(crate::matcher::Match, Chance)>> {
        // The seeker's skills are looked up once, not once per match.
        let a = self.applicant(seeker);
        let mut out = result
            .matches
            .iter()
            .map(|m| Ok((m.clone(), self.of_applicant(&a, &m.vacancy)?)))
            .collect::<Result<Vec<_>>>()?;
        if aware {
            out.sort_by_key(|(_, c)| !c.likely);
        }
        Ok(out)
    }
}

/// One seeker's outcome: a line of `placements.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Placement {
    /// Seeker id.
    pub seeker: String,
    /// The vacancy the seeker got (`null` when unplaced).
    pub vacancy: Option<String>,
    /// Its position in the seeker's list, 1-based.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub choice: Option<usize>,
    /// The ranking score of the pair.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// The vacancy-side fit of the pair.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fit: Option<f64>,
}

/// One vacancy's outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VacancyOutcome {
    /// Vacancy id.
    pub vacancy: String,
    /// Its openings (headcount).
    pub openings: u32,
    /// Seekers admitted, best fit first.
    pub admitted: Vec<String>,
    /// The admission cut-off: the weakest admitted applicant's fit (with
    /// any policy bonus), when every opening is filled; `None` otherwise
    /// (anyone who applies gets in).
    pub cutoff: Option<f64>,
}

/// How one group of seekers fared.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct GroupOutcome {
    /// Seekers in the group.
    pub seekers: u64,
    /// Of those, placed.
    pub placed: u64,
    /// `placed / seekers`.
    pub rate: f64,
}

/// A seeker's preference list, precomputed (for [`Assignment::from_lists`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeekerList {
    /// Seeker id.
    pub seeker: String,
    /// The seeker's priority groups (what a policy may favour).
    #[serde(default)]
    pub groups: Vec<PriorityGroup>,
    /// The vacancies, best first.
    pub choices: Vec<Listed>,
}

/// One entry of a preference list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Listed {
    /// Vacancy id.
    pub vacancy: String,
    /// The ranking score (reported, not used to order: the list is ordered).
    pub score: f64,
    /// The vacancy-side fit of the seeker.
    pub fit: f64,
}

/// The outcome of a stable assignment, per seeker and per vacancy.
#[derive(Debug, Clone)]
pub struct Assignment {
    /// Per seeker, in input order.
    pub placements: Vec<Placement>,
    /// Per vacancy that appears on some list, by first appearance.
    pub vacancies: Vec<VacancyOutcome>,
    /// Proposals made by deferred acceptance.
    pub proposals: u64,
    /// Per seeker: its priority groups.
    groups: Vec<Vec<PriorityGroup>>,
    market: Market,
    outcome: deferred::Outcome,
}

impl Assignment {
    /// Ranks every seeker's top `k` (on the current rayon pool), computes
    /// each pair's fit, and assigns.
    ///
    /// # Errors
    /// A seeker the matcher refuses (named), an invalid config or policy,
    /// an index read failure.
    pub fn run(
        matcher: &Matcher,
        seekers: &[Seeker],
        k: usize,
        fit: &FitConfig,
        policy: &Policy,
    ) -> Result<Assignment> {
        Preferences::rank(matcher, seekers, k, fit)?.assign(policy)
    }
}

/// Every seeker's preference list with the fits of its pairs: ranked once,
/// assigned under any number of policies.
#[derive(Debug, Clone)]
pub struct Preferences {
    lists: Vec<Indexed>,
    vacancy_ids: Vec<String>,
    openings: Vec<u32>,
    /// Per vacancy: where it is in the snapshot ranked (segment, doc).
    docs: Vec<(u32, u32)>,
}

impl Preferences {
    /// Ranks every seeker's top `k` (on the current rayon pool) and
    /// computes each pair's fit.
    ///
    /// # Errors
    /// A seeker the matcher refuses (named), an invalid fit config, an
    /// index read failure.
    pub fn rank(matcher: &Matcher, seekers: &[Seeker], k: usize, fit: &FitConfig) -> Result<Preferences> {
        Preferences::rank_in_chunks(matcher, seekers, k, fit, seekers.len(), |_| {})
    }

    /// As [`Preferences::rank`], `chunk` seekers at a time, calling
    /// `progress` with the number ranked so far after each chunk (for a
    /// progress bar); the vacancies' skills are read once for all chunks.
    ///
    /// # Errors
    /// As [`Preferences::rank`].
    pub fn rank_in_chunks(
        matcher: &Matcher,
        seekers: &[Seeker],
        k: usize,
        fit: &FitConfig,
        chunk: usize,
        mut progress: impl FnMut(usize),
    ) -> Result<Preferences> {
        fit.validate()?;
        let skills = VacancySkills::of(matcher.snapshot())?;
        let mut parts = Vec::new();
        let mut done = 0;
        for part in seekers.chunks(chunk.max(1)) {
            parts.push(Preferences::rank_with(matcher, part, k, fit, &skills)?);
            done += part.len();
            progress(done);
        }
        Ok(match parts.len() {
            1 => parts.pop().unwrap_or_else(Preferences::empty),
            _ => Preferences::concat(parts),
        })
    }

    /// No lists.
    fn empty() -> Preferences {
        Preferences {
            lists: Vec::new(),
            vacancy_ids: Vec::new(),
            openings: Vec::new(),
            docs: Vec::new(),
        }
    }

    /// One chunk's lists, with the vacancies' skills already read.
    fn rank_with(
        matcher: &Matcher,
        seekers: &[Seeker],
        k: usize,
        fit: &FitConfig,
        skills: &VacancySkills,
    ) -> Result<Preferences> {
        let snapshot = matcher.snapshot();
        // Lists and fits in parallel; vacancies numbered afterwards, in
        // seeker order, so the numbering is deterministic.
        let ranked: Vec<Result<Ranked>> = seekers
            .par_iter()
            .map(|s| {
                let entries = matcher.ranked_docs(s, k)?;
                let a = Applicant::new(s, skills, snapshot);
                Ok(entries
                    .into_iter()
                    .filter_map(|(seg, doc, score)| {
                        let cols = snapshot.segments().get(seg as usize)?;
                        let (f, _) = fit::fit(fit, skills, cols, seg, doc, &a);
                        Some((seg, doc, score, f))
                    })
                    .collect())
            })
            .collect();
        let mut index: HashMap<(u32, u32), u32> = HashMap::new();
        let mut vacancy_ids: Vec<String> = Vec::new();
        let mut openings: Vec<u32> = Vec::new();
        let mut docs: Vec<(u32, u32)> = Vec::new();
        let mut lists = Vec::with_capacity(seekers.len());
        for (s, r) in seekers.iter().zip(ranked) {
            let entries = r.map_err(|e| e.naming("seeker", &s.id))?;
            let mut choices = Vec::with_capacity(entries.len());
            for (seg, doc, score, f) in entries {
                let v = *index.entry((seg, doc)).or_insert_with(|| {
                    let cols = snapshot.segments().get(seg as usize);
                    vacancy_ids.push(cols.map_or_else(String::new, |c| c.id(doc)));
                    docs.push((seg, doc));
                    openings.push(
                        cols.and_then(|c| c.headcount.get(doc as usize).copied())
                            .unwrap_or(1),
                    );
                    (vacancy_ids.len() - 1) as u32
                });
                choices.push((v, score, f));
            }
            lists.push(Indexed {
                id: s.id.clone(),
                groups: s.groups.clone(),
                choices,
            });
        }
        Ok(Preferences {
            lists,
            vacancy_ids,
            openings,
            docs,
        })
    }

    /// One set of lists from several ranked in parts (e.g. chunks of
    /// seekers, for progress), in the order given.
    pub fn concat(parts: Vec<Preferences>) -> Preferences {
        let mut out = Preferences::empty();
        let mut index: HashMap<String, u32> = HashMap::new();
        for p in parts {
            let remap: Vec<u32> = p
                .vacancy_ids
                .iter()
                .enumerate()
                .map(|(i, id)| {
                    *index.entry(id.clone()).or_insert_with(|| {
                        out.vacancy_ids.push(id.clone());
                        out.openings.push(p.openings.get(i).copied().unwrap_or(1));
                        out.docs.push(p.docs.get(i).copied().unwrap_or_default());
                        (out.vacancy_ids.len() - 1) as u32
                    })
                })
                .collect();
            for mut l in p.lists {
                for c in &mut l.choices {
                    c.0 = remap.get(c.0 as usize).copied().unwrap_or(c.0);
                }
                out.lists.push(l);
            }
        }
        out
    }

    /// The same lists cut to their first `k` entries.
    pub fn truncated(&self, k: usize) -> Preferences {
        let mut p = self.clone();
        for l in &mut p.lists {
            l.choices.truncate(k);
        }
        p
    }

    /// Congestion-aware lists of length `k`: each seeker's list reordered
    /// so that the vacancies the seeker can get under `assignment`'s
    /// cut-offs (not full, or the seeker's fit with any policy bonus at or
    /// above the cut-off) come first, each part in its ranking order, then
    /// cut to `k`. A permutation and truncation of the seeker's own list: no
    /// vacancy out of reach is added.
    ///
    /// `assignment` must come from these preferences (or a truncation or a
    /// reordering of them): its vacancies are matched by position.
    ///
    /// Which cut-offs to use: last fair's say little about vacancies that
    /// were then left alone. A mock fair in which every seeker lists all
    /// their candidates (`self.assign(policy)`) predicts them exactly: a
    /// seeker's first likely vacancy is then the one the mock fair gave
    /// them, so (without reserved seats, and up to ties in fit) the
    /// congestion-aware lists of any length place every seeker where the
    /// mock fair did, as many as the full lists would: the mock assignment
    /// is stable under the short lists, and nothing the seeker prefers is
    /// left above it (the rural hospitals theorem does the rest).
    pub fn congestion_aware(&self, assignment: &Assignment, policy: &Policy, k: usize) -> Preferences {
        let cutoffs: Vec<Option<f64>> = assignment.vacancies.iter().map(|v| v.cutoff).collect();
        let bonus = if policy.groups.is_empty() {
            0.0
        } else {
            policy.fit_bonus
        };
        let mut p = self.clone();
        for l in &mut p.lists {
            let b = if policy.favours(&l.groups) { bonus } else { 0.0 };
            let chance = |c: &(u32, f64, f64)| match cutoffs.get(c.0 as usize).copied().flatten() {
                Some(cut) => c.2 + b >= cut,
                None => true,
            };
            let (mut likely, unlikely): (Vec<_>, Vec<_>) = l.choices.iter().partition(|c| chance(c));
            likely.extend(unlikely);
            likely.truncate(k);
            l.choices = likely;
        }
        p
    }

    /// Each seeker's list reordered by `key(seeker, its list as ids)`: one
    /// number per entry, highest first (ties keep the ranking's order). A
    /// permutation of each list: the seekers' own order among what they
    /// were shown (what [`crate::learn`] simulates).
    ///
    /// # Errors
    /// The first error `key` returns.
    pub fn reordered<F>(&self, key: F) -> Result<Preferences>
    where
        F: Fn(usize, &[&str]) -> Result<Vec<f64>> + Sync,
    {
        let keys: Vec<Vec<f64>> = self
            .lists()
            .enumerate()
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|(i, (_, ids))| key(i, &ids))
            .collect::<Result<_>>()?;
        let mut p = self.clone();
        for (l, k) in p.lists.iter_mut().zip(keys) {
            let mut order: Vec<usize> = (0..l.choices.len()).collect();
            order.sort_by(|a, b| {
                let (x, y) = (
                    k.get(*a).copied().unwrap_or(0.0),
                    k.get(*b).copied().unwrap_or(0.0),
                );
                y.total_cmp(&x)
            });
            l.choices = order
                .into_iter()
                .filter_map(|i| l.choices.get(i).copied())
                .collect();
        }
        Ok(p)
    }

    /// Each seeker's list as vacancy ids, best first (for checks and
    /// reports).
    pub fn lists(&self) -> impl Iterator<Item = (&str, Vec<&str>)> + '_ {
        self.lists.iter().map(|l| {
            (
                l.id.as_str(),
                l.choices
                    .iter()
                    .filter_map(|c| self.vacancy_ids.get(c.0 as usize).map(String::as_str))
                    .collect(),
            )
        })
    }

    /// Seekers with a list.
    pub fn seekers(&self) -> usize {
        self.lists.len()
    }

    /// Entries over all lists.
    pub fn entries(&self) -> usize {
        self.lists.iter().map(|l| l.choices.len()).sum()
    }

    /// Assigns under a policy.
    ///
    /// # Errors
    /// [`Error::Config`] for an invalid policy.
    pub fn assign(&self, policy: &Policy) -> Result<Assignment> {
        policy.validate()?;
        Ok(Assignment::assign(
            &self.lists,
            &self.vacancy_ids,
            self.openings.clone(),
            policy,
        ))
    }
}

impl Assignment {
    /// Assigns from precomputed lists; `openings` gives each listed
    /// vacancy's openings (a vacancy missing from it has one).
    ///
    /// # Errors
    /// [`Error::Config`] for an invalid policy; [`Error::Invalid`] for a
    /// fit that is not finite (naming the seeker).
    pub fn from_lists(
        lists: Vec<SeekerList>,
        openings: &HashMap<String, u32>,
        policy: &Policy,
    ) -> Result<Assignment> {
        policy.validate()?;
        let mut index: HashMap<String, u32> = HashMap::new();
        let mut vacancy_ids = Vec::new();
        let mut caps = Vec::new();
        let mut out = Vec::with_capacity(lists.len());
        for l in lists {
            let mut choices = Vec::with_capacity(l.choices.len());
            for c in l.choices {
                if !c.fit.is_finite() || !c.score.is_finite() {
                    return Err(Error::invalid(
                        format!("seeker `{}`: choices", l.seeker),
                        format!("score and fit of `{}` must be finite", c.vacancy),
                    ));
                }
                let v = *index.entry(c.vacancy.clone()).or_insert_with(|| {
                    caps.push(openings.get(&c.vacancy).copied().unwrap_or(1));
                    vacancy_ids.push(c.vacancy.clone());
                    (vacancy_ids.len() - 1) as u32
                });
                choices.push((v, c.score, c.fit));
            }
            out.push(Indexed {
                id: l.seeker,
                groups: l.groups,
                choices,
            });
        }
        Ok(Assignment::assign(&out, &vacancy_ids, caps, policy))
    }

    fn assign(lists: &[Indexed], vacancy_ids: &[String], openings: Vec<u32>, policy: &Policy) -> Assignment {
        let mut order: Vec<usize> = (0..lists.len()).collect();
        order.sort_by(|&a, &b| lists.get(a).map(|l| &l.id).cmp(&lists.get(b).map(|l| &l.id)));
        let mut id_rank = vec![0u32; lists.len()];
        for (rank, &i) in order.iter().enumerate() {
            if let Some(r) = id_rank.get_mut(i) {
                *r = rank as u32;
            }
        }
        let bonus = if policy.groups.is_empty() {
            0.0
        } else {
            policy.fit_bonus
        };
        let market = Market {
            lists: lists
                .iter()
                .map(|l| l.choices.iter().map(|c| c.0).collect())
                .collect(),
            keys: lists
                .iter()
                .map(|l| {
                    let b = if policy.favours(&l.groups) { bonus } else { 0.0 };
                    l.choices.iter().map(|c| c.2 + b).collect()
                })
                .collect(),
            id_rank,
            priority: lists.iter().map(|l| policy.favours(&l.groups)).collect(),
            reserved: openings.iter().map(|&o| policy.reserved(o)).collect(),
            openings,
        };
        let outcome = deferred::run(&market);
        let placements = lists
            .iter()
            .zip(&outcome.choice)
            .map(|(l, got)| {
                let (id, choices) = (&l.id, &l.choices);
                let c = got.and_then(|c| choices.get(c as usize));
                Placement {
                    seeker: id.clone(),
                    vacancy: c.and_then(|c| vacancy_ids.get(c.0 as usize)).cloned(),
                    choice: got.map(|c| c as usize + 1),
                    score: c.map(|c| c.1),
                    fit: c.map(|c| c.2),
                }
            })
            .collect();
        let vacancies = outcome
            .admitted
            .iter()
            .enumerate()
            .map(|(v, admitted)| {
                let open = market.openings.get(v).copied().unwrap_or(0);
                let key_of = |s: u32| {
                    let si = s as usize;
                    let pos = market.lists.get(si)?.iter().position(|&x| x as usize == v)?;
                    market.keys.get(si)?.get(pos).copied()
                };
                VacancyOutcome {
                    vacancy: vacancy_ids.get(v).cloned().unwrap_or_default(),
                    openings: open,
                    admitted: admitted
                        .iter()
                        .filter_map(|&s| lists.get(s as usize).map(|l| l.id.clone()))
                        .collect(),
                    cutoff: if admitted.len() as u32 >= open && open > 0 {
                        admitted.iter().filter_map(|&s| key_of(s)).reduce(f64::min)
                    } else {
                        None
                    },
                }
            })
            .collect();
        Assignment {
            placements,
            vacancies,
            proposals: outcome.proposals,
            groups: lists.iter().map(|l| l.groups.clone()).collect(),
            market,
            outcome,
        }
    }

    /// Seekers and seekers placed, for everyone (`all`), for each priority
    /// group, and for seekers in none (`none`).
    pub fn by_group(&self) -> BTreeMap<&'static str, GroupOutcome> {
        let mut out: BTreeMap<&'static str, GroupOutcome> = BTreeMap::new();
        for (p, groups) in self.placements.iter().zip(&self.groups) {
            let placed = u64::from(p.vacancy.is_some());
            let names = groups
                .iter()
                .map(|g| g.as_str())
                .chain(groups.is_empty().then_some("none"))
                .chain(std::iter::once("all"));
            for name in names {
                let e = out.entry(name).or_default();
                e.seekers += 1;
                e.placed += placed;
            }
        }
        for e in out.values_mut() {
            e.rate = e.placed as f64 / e.seekers.max(1) as f64;
        }
        out
    }

    /// Seekers placed.
    pub fn placed(&self) -> usize {
        self.placements.iter().filter(|p| p.vacancy.is_some()).count()
    }

    /// Openings filled (= seekers placed).
    pub fn filled(&self) -> usize {
        self.outcome.admitted.iter().map(Vec::len).sum()
    }

    /// Openings of the vacancies on some list.
    pub fn openings(&self) -> u64 {
        self.market.openings.iter().map(|&o| u64::from(o)).sum()
    }

    /// Blocking pairs among the first `sample` seekers (by input order),
    /// found by brute force over their lists: 0 for a stable assignment.
    pub fn blocking_pairs(&self, sample: usize) -> usize {
        deferred::blocking_pairs(&self.market, &self.outcome, 0..self.placements.len().min(sample)).len()
    }
}
