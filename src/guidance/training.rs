//! What a training programme would change at a job fair: the priority
//! groups' seekers for whom the programme's skills would open the most
//! vacancies learn them, and the assignment runs again, side by side with
//! no training.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::{GuidanceConfig, Guide, held_skills};
use crate::assign::{Assignment, FitConfig, GroupOutcome, Policy};
use crate::error::{Error, Result};
use crate::matcher::Matcher;
use crate::model::{PriorityGroup, Seeker};

/// A programme and the job fair it is judged at.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingConfig {
    /// The skills the programme teaches.
    pub skills: Vec<String>,
    /// Seekers it trains.
    pub count: usize,
    /// The groups it admits (empty: any priority group).
    pub groups: Vec<PriorityGroup>,
    /// Length of each seeker's list at the fair (default 10).
    pub k: usize,
    /// The vacancy side's fit.
    pub fit: FitConfig,
    /// The fair's policy.
    pub policy: Policy,
}

impl Default for TrainingConfig {
    fn default() -> Self {
        TrainingConfig {
            skills: Vec::new(),
            count: 0,
            groups: Vec::new(),
            k: 10,
            fit: FitConfig::default(),
            policy: Policy::default(),
        }
    }
}

/// One seeker the programme trains.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trainee {
    /// Seeker id.
    pub seeker: String,
    /// The programme's skills they lacked, now added.
    pub added: Vec<String>,
    /// Vacancies the skills bring above their k-th match.
    pub entering: u64,
    /// Net of those that fall below.
    pub net: i64,
    /// Placed at the fair without training.
    pub placed_before: bool,
    /// Placed with it.
    pub placed_after: bool,
}

/// One side of the comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainingSide {
    /// Seekers placed.
    pub placed: u64,
    /// Of the trainees, placed.
    pub trainees_placed: u64,
    /// Openings filled.
    pub filled: u64,
    /// By priority group.
    pub by_group: BTreeMap<&'static str, GroupOutcome>,
}

/// The programme's expected effect.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainingReport {
    /// The skills taught.
    pub skills: Vec<String>,
    /// Seekers of the groups lacking at least one of them.
    pub eligible: u64,
    /// Those trained (the largest gains first).
    pub trainees: Vec<Trainee>,
    /// The fair without training.
    pub without: TrainingSide,
    /// The fair with it.
    pub with: TrainingSide,
}

fn side(a: &Assignment, trainees: &[usize]) -> TrainingSide {
    TrainingSide {
        placed: a.placed() as u64,
        trainees_placed: trainees
            .iter()
            .filter(|&&i| a.placements.get(i).is_some_and(|p| p.vacancy.is_some()))
            .count() as u64,
        filled: a.filled() as u64,
        by_group: a.by_group(),
    }
}

/// Trains the `count` seekers of the groups whose gain from the programme's
/// skills is largest (net vacancies above their k-th match, then the rise
/// of their top k, then input order), and runs the job-fair assignment with and
/// without.
///
/// # Errors
/// [`Error::Config`] for no skills or a count of 0; a seeker the matcher
/// refuses; as [`Assignment::run`].
pub fn training(matcher: &Matcher, seekers: &[Seeker], config: &TrainingConfig) -> Result<TrainingReport> {
    if config.skills.is_empty() || config.count == 0 {
        return Err(Error::Config {
            reason: "training: give at least one skill and a count of at least 1".into(),
        });
    }
    super::check_unique(seekers)?;
    let guide = Guide::new(
        matcher,
        GuidanceConfig {
            k: config.k,
            ..GuidanceConfig::default()
        },
    )?;
    let vocab = matcher.snapshot().reference().skills();
    let admitted = |s: &Seeker| {
        if config.groups.is_empty() {
            !s.groups.is_empty()
        } else {
            s.groups.iter().any(|g| config.groups.contains(g))
        }
    };
    // Each eligible seeker's missing skills and gain from them.
    let mut gains: Vec<(usize, Vec<String>, super::SkillGain)> = seekers
        .par_iter()
        .enumerate()
        .filter(|(_, s)| admitted(s))
        .map(|(i, s)| {
            let held = held_skills(&matcher.prepare(s)?);
            let missing: Vec<String> = config
                .skills
                .iter()
                .filter(|k| !held.contains(&vocab.canonical(k)))
                .cloned()
                .collect();
            if missing.is_empty() {
                return Ok(None);
            }
            let g = guide.gain(s, &missing)?;
            Ok(Some((i, missing, g)))
        })
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect();
    let eligible = gains.len() as u64;
    gains.sort_by(|a, b| {
        b.2.net
            .cmp(&a.2.net)
            .then(b.2.top_rise().total_cmp(&a.2.top_rise()))
            .then(a.0.cmp(&b.0))
    });
    gains.truncate(config.count);
    let mut trained: Vec<Seeker> = seekers.to_vec();
    for (i, missing, _) in &gains {
        if let Some(s) = trained.get_mut(*i) {
            s.skills.extend(missing.iter().cloned());
        }
    }
    let before = Assignment::run(matcher, seekers, config.k, &config.fit, &config.policy)?;
    let after = Assignment::run(matcher, &trained, config.k, &config.fit, &config.policy)?;
    let who: Vec<usize> = gains.iter().map(|g| g.0).collect();
    let placed = |a: &Assignment, i: usize| a.placements.get(i).is_some_and(|p| p.vacancy.is_some());
    let trainees = gains
        .into_iter()
        .map(|(i, added, g)| Trainee {
            seeker: seekers.get(i).map_or_else(String::new, |s| s.id.clone()),
            added,
            entering: g.entering,
            net: g.net,
            placed_before: placed(&before, i),
            placed_after: placed(&after, i),
        })
        .collect();
    Ok(TrainingReport {
        skills: config.skills.clone(),
        eligible,
        trainees,
        without: side(&before, &who),
        with: side(&after, &who),
    })
}
