//! Occupations inferred from skills, for seekers and vacancies that carry no
//! occupation and whose titles do not code: which occupations' vacancies in
//! the indexed market ask for these skills, weighted by how rare each skill
//! is.
//!
//! For every skill term of a snapshot the model counts the vacancies of each
//! occupation asking for it (the evidence: vacancies whose occupation was
//! given or coded from the title, never one inferred by this model). A code's *coverage* of a seeker's skills is how
//! consistently its vacancies ask for them, each skill weighted by its IDF:
//! `Σ idf(s)·n(s, c) / (n(c) + κ) / Σ idf(s)`, over the skills the market
//! knows, with `n(c)` the code's vacancies and κ = [`SMOOTHING`] so that an
//! occupation seen twice does not outvote one seen a thousand times. A skill
//! that every occupation asks for (沟通能力) counts for little beside 焊接.
//! Among the codes within [`NEAR_TIE`] of the best coverage, the one with the
//! most vacancies wins: with only 焊接 to go on, a welder is likelier than a
//! welding engineer where the market has more welders. Occupations of the
//! winner's own minor group that tie with it on both counts (coverage and
//! vacancies) are inferred beside it: with only 烹饪 to go on, in a market
//! with as many Chinese as Western cooks, both are credited.
//!
//! Each skill weighs its IDF times [`evidence_weight`] of its kind: a soft
//! skill (吃苦耐劳) is no evidence, a licence (C1驾照) names its occupations
//! and weighs [`LICENCE_EVIDENCE`] times a skill, so 驾驶 with C1驾照 is a
//! road driver, not a ship's pilot. A seeker of several trades gets one
//! occupation per trade ([`OccupationModel::infer_trades`]).
//!
//! The inference backs off along the hierarchy: the best occupation if its
//! coverage is at least `min_confidence`, else the best minor group, else the
//! best middle group, else none. The code found is used exactly as a given
//! one would be (a minor group earns full occupation credit on every vacancy
//! in it), and explanations say it was inferred and from which skills.
//!
//! A seeker is inferred at query time, with the model of the snapshot
//! searched. A vacancy is inferred when it is written
//! ([`crate::index::VacancyIndex::with_occupation_inference`]) and indexed
//! with the code found like a coded one, so that both directions score it
//! the same way and the search's bounds (the occupation's path terms) hold.
//! A bulk load counts every vacancy it reads and writes the ones
//! to infer last, with the model of the market as the load leaves it: equal
//! to the model learned from the snapshot after a load into an empty index.

// Indexing here cannot panic: term positions index the lists built here from the same terms.
#![allow(clippy::indexing_slicing)]

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, TERMINATED};

use super::Snapshot;
use super::schema::{OCCUPATION_SOURCE_FIELD, OccupationSource};
use super::terms::idf;
use crate::error::{Error, Result};
use crate::taxonomy::occupation::relatedness_packed;
use crate::taxonomy::{OccupationCode, SkillKind, SkillVocabulary};

/// Vacancies a code must have beyond those asking for a skill before its
/// coverage of that skill nears 1 (κ in the module docs).
pub const SMOOTHING: f64 = 5.0;

/// Codes whose coverage is within this share of the best are near-ties,
/// decided by the market's counts.
pub const NEAR_TIE: f64 = 0.1;

/// The coverage an inferred occupation or group must reach by default
/// (seekers: [`crate::rank::RankingConfig::infer_min_confidence`];
/// vacancies: [`crate::index::VacancyIndex::with_occupation_inference`]).
pub const DEFAULT_MIN_CONFIDENCE: f64 = 0.3;

/// What the market says of one skill term.
struct Evidence {
    /// IDF of the term over the snapshot.
    idf: f64,
    /// `(packed occupation, vacancies of it asking for the term)`.
    counts: Box<[(u32, u32)]>,
    /// Per level 1–4 (index `level - 1`), aligned with `counts`: the
    /// occupation's code at that level and that code's vacancies plus κ.
    /// Worked out when the model is learned: every seeker's inference
    /// reads them, and looking codes up in the classification per count
    /// was a tenth of preparing a service's saved seekers.
    levels: [Box<[(u32, f64)]>; 4],
    /// The middle group whose vacancies ask for it most (its trade).
    home: u32,
}

/// The skill → occupation model of one snapshot.
pub struct OccupationModel {
    terms: FastMap<String, Evidence>,
    /// Live vacancies per occupation (packed), and per group at every level
    /// (packed truncations).
    vacancies: FastMap<u32, u32>,
}

/// The model's maps, hashed by foldhash: every seeker's inference looks
/// its skills and codes up in them.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

impl std::fmt::Debug for OccupationModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OccupationModel")
            .field("terms", &self.terms.len())
            .finish()
    }
}

/// An occupation inferred from a seeker's skills.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Inference {
    /// The code inferred: an occupation, or a group when the skills point
    /// to a group but to none of its occupations in particular.
    pub code: OccupationCode,
    /// The code's coverage of the skills it was inferred from, in [0, 1]:
    /// how consistently its vacancies ask for them, weighted by rarity.
    pub confidence: f64,
    /// The seeker's skills (canonical) that voted for it, strongest first.
    pub from: Vec<String>,
}

/// How much a skill of this kind says about an occupation, as a factor of
/// its IDF: a soft skill (吃苦耐劳) says nothing; a licence (C1驾照, 焊工证)
/// is asked of few occupations and names them, so it weighs
/// [`LICENCE_EVIDENCE`] times a skill; a term the vocabulary does not know
/// weighs as a skill.
pub fn evidence_weight(kind: Option<SkillKind>) -> f64 {
    match kind {
        Some(SkillKind::Transversal) => 0.0,
        Some(SkillKind::Licence) => LICENCE_EVIDENCE,
        _ => 1.0,
    }
}

/// How many times a licence or certificate weighs a skill as evidence of
/// an occupation.
pub const LICENCE_EVIDENCE: f64 = 3.0;

/// Most occupations inferred for one seeker (one per trade).
pub const MAX_TRADES: usize = 3;

/// The weight another trade's skills must hold, as a share of the first
/// trade's (by IDF, licences counted once), to be inferred too.
pub const OTHER_TRADE: f64 = 0.4;

/// The share of an occupation's vacancies that must ask for a skill for the
/// occupation to explain it (a few freight drivers' postings asking for
/// 焊接 do not make welding a driver's skill).
pub const EXPLAINED_SHARE: f64 = 0.05;

/// A known skill with the market's evidence and its weight as evidence.
type Known<'s, 'm> = (&'s str, &'m Evidence, f64);

/// How much of a seeker's skills a trade holds: their IDF, a licence
/// counted as one skill (it names the trade, it is not more of it).
fn trade_weight(known: &[Known<'_, '_>]) -> f64 {
    known.iter().map(|k| k.1.idf).sum()
}

impl OccupationModel {
    /// Learns the model from a snapshot: one pass over the postings of its
    /// skill terms.
    ///
    /// # Errors
    /// [`Error::Index`] on a read failure.
    pub fn learn(snapshot: &Snapshot) -> Result<OccupationModel> {
        Ok(Tally::of_snapshot(snapshot)?.model())
    }

    /// Number of skill terms the model knows.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether the model knows no skill (an empty market).
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The coverage of canonical skill terms by the codes of one level of
    /// the hierarchy (1 = major group … 4 = occupation), best first, with
    /// near-ties (within [`NEAR_TIE`]) in order of the market's vacancies,
    /// then by code; empty when no skill is known. Every term weighs by
    /// its IDF alone (see [`OccupationModel::infer`] for kinds).
    pub fn coverage<S: AsRef<str>>(&self, skills: &[S], level: usize) -> Vec<(OccupationCode, f64)> {
        let known: Vec<Known<'_, '_>> = skills
            .iter()
            .filter_map(|s| self.terms.get(s.as_ref()).map(|e| (s.as_ref(), e, e.idf)))
            .collect();
        self.ranked(&known, level)
    }

    /// [`OccupationModel::coverage`] of the known skills, each weighing
    /// its evidence weight.
    fn ranked(&self, known: &[Known<'_, '_>], level: usize) -> Vec<(OccupationCode, f64)> {
        let weight: f64 = known.iter().map(|k| k.2).sum();
        // Level 0 truncates every code to none: nothing to rank.
        if weight <= 0.0 || level == 0 {
            return Vec::new();
        }
        // A code's share is linear in its occupations' counts: summed
        // straight into the code.
        let mut asked: FastMap<u32, f64> = FastMap::default();
        for &(_, e, w) in known {
            if w <= 0.0 {
                continue;
            }
            let codes = e.at_level(level).unwrap_or_default();
            for (&(_, n), &(c, d)) in e.counts.iter().zip(codes) {
                *asked.entry(c).or_default() += w * f64::from(n) / d;
            }
        }
        let mut out: Vec<(OccupationCode, f64)> = asked
            .into_iter()
            .filter_map(|(c, v)| OccupationCode::from_packed(c).map(|c| (c, (v / weight).min(1.0))))
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let Some(&(_, best)) = out.first() else {
            return out;
        };
        let near = out.partition_point(|&(_, v)| v >= best * (1.0 - NEAR_TIE));
        if let Some(head) = out.get_mut(..near) {
            head.sort_by(|a, b| {
                self.size(b.0.packed())
                    .total_cmp(&self.size(a.0.packed()))
                    .then(a.0.cmp(&b.0))
            });
        }
        out
    }

    /// Live vacancies of a packed code (an occupation or a group).
    fn size(&self, packed: u32) -> f64 {
        f64::from(self.vacancies.get(&packed).copied().unwrap_or(0))
    }

    /// The skills the market knows, with their weight as evidence (kinds
    /// from `vocab`); soft skills, which weigh nothing, left out.
    fn known<'s, S: AsRef<str>>(&self, skills: &'s [S], vocab: &SkillVocabulary) -> Vec<Known<'s, '_>> {
        skills
            .iter()
            .filter_map(|s| {
                let e = self.terms.get(s.as_ref())?;
                let w = e.idf * evidence_weight(vocab.kind_of_term(s.as_ref()));
                (w > 0.0).then_some((s.as_ref(), e, w))
            })
            .collect()
    }

    /// The skills the vacancies of a code (an occupation, or a group at its
    /// depth) ask for most, with the share of the code's coded vacancies
    /// that ask for each, best first (ties by term); at most `n`.
    pub fn asked_by(&self, code: OccupationCode, n: usize) -> Vec<(&str, f64)> {
        let level = code.depth();
        let size = self.size(code.packed());
        if size <= 0.0 {
            return Vec::new();
        }
        let mut out: Vec<(&str, f64)> = self
            .terms
            .iter()
            .filter_map(|(t, e)| {
                let asked = asked_of(e, code.packed(), level);
                (asked > 0).then(|| (t.as_str(), f64::from(asked) / size))
            })
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
        out.truncate(n);
        out
    }

    /// The occupation that canonical skill terms point to, backing off to
    /// the minor and then the middle group, if its coverage of them is at
    /// least `min_confidence`; `None` when no known skill is given or no
    /// code covers them well enough. Each skill weighs its IDF times
    /// [`evidence_weight`] of its kind in `vocab`: soft skills are no
    /// evidence, a licence is strong evidence.
    pub fn infer<S: AsRef<str>>(
        &self,
        skills: &[S],
        vocab: &SkillVocabulary,
        min_confidence: f64,
    ) -> Option<Inference> {
        self.infer_known(&self.known(skills, vocab), min_confidence)
    }

    /// The occupations of every trade the skills point to, the strongest
    /// first, at most [`MAX_TRADES`]. The first is [`OccupationModel::infer`]
    /// of all the skills when that finds one. Skills it does not explain
    /// (fewer than [`EXPLAINED_SHARE`] of its vacancies ask for them) are
    /// grouped by the middle group whose vacancies ask for them
    /// most; each group weighing at least [`OTHER_TRADE`] of the first
    /// trade's skills is inferred on its own skills and added (the
    /// occupation signal then credits the nearest of them). The first
    /// trade, when the skills alone found it, is followed by the
    /// occupations of its minor group that they cannot tell from it
    /// (near-ties; at most [`MAX_TRADES`] − 1, not counted as trades).
    /// When all the skills together point to no code (a seeker of several
    /// trades), the groups are inferred from the heaviest on. A welder who also cooks
    /// gets a welder and a cook.
    pub fn infer_trades<S: AsRef<str>>(
        &self,
        skills: &[S],
        vocab: &SkillVocabulary,
        min_confidence: f64,
    ) -> Vec<Inference> {
        self.infer_trades_hinted(skills, vocab, min_confidence, &[])
    }

    /// [`OccupationModel::infer_trades`], steered by what a seeker's titles
    /// say when the coder could not code them with confidence: `hints`
    /// are the codes the coder ranks for them with its confidences. The
    /// first trade is the hinted code (a hint itself, a group holding one
    /// or one a hint holds), among those covering the skills at least
    /// `min_confidence`, whose coverage times its hint's confidence is
    /// highest, backing off from occupations to groups as
    /// [`OccupationModel::infer`] does; the skills alone decide when no
    /// hinted code covers them well enough.
    /// A seeker who wants `幼儿园老师` and can play 钢琴 is a
    /// kindergarten teacher, not a piano tuner.
    pub fn infer_trades_hinted<S: AsRef<str>>(
        &self,
        skills: &[S],
        vocab: &SkillVocabulary,
        min_confidence: f64,
        hints: &[(OccupationCode, f32)],
    ) -> Vec<Inference> {
        let known = self.known(skills, vocab);
        let mut out: Vec<Inference> = Vec::new();
        let mut first_weight = 0.0;
        // Trades inferred (a trade's near-tied siblings are one trade).
        let mut trades = 0;
        let (first, siblings) = match self.hinted(&known, min_confidence, hints) {
            Some(hinted) => (Some(hinted), Vec::new()),
            None => {
                let occupations = self.ranked(&known, 4);
                match self.infer_ranked(&known, &occupations, min_confidence) {
                    Some(first) => {
                        let siblings = self.near_siblings(&known, &first, occupations, min_confidence);
                        (Some(first), siblings)
                    }
                    None => (None, Vec::new()),
                }
            }
        };
        let rest = match first {
            Some(first) => {
                let (code, level) = (first.code.packed(), first.code.depth());
                let size = self.size(code).max(1.0);
                let (explained, unexplained): (Vec<Known<'_, '_>>, Vec<Known<'_, '_>>) = known
                    .into_iter()
                    .partition(|k| f64::from(asked_of(k.1, code, level)) >= EXPLAINED_SHARE * size);
                first_weight = trade_weight(&explained);
                out.push(first);
                out.extend(siblings);
                trades += 1;
                unexplained
            }
            None => known,
        };
        // The rest by the middle group that asks for each most.
        let mut groups: Vec<(u32, f64, Vec<Known<'_, '_>>)> = Vec::new();
        for k in rest {
            let home = k.1.home;
            match groups.iter_mut().find(|g| g.0 == home) {
                Some(g) => {
                    g.1 += k.1.idf;
                    g.2.push(k);
                }
                None => groups.push((home, k.1.idf, vec![k])),
            }
        }
        groups.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        for (_, weight, members) in groups {
            if trades >= MAX_TRADES {
                break;
            }
            if first_weight > 0.0 && weight < OTHER_TRADE * first_weight {
                break;
            }
            let Some(next) = self.infer_known(&members, min_confidence) else {
                continue;
            };
            if out.iter().any(|i| i.code == next.code) {
                continue;
            }
            if first_weight <= 0.0 {
                first_weight = weight;
            }
            out.push(next);
            trades += 1;
        }
        out
    }

    /// The occupations of `first`'s minor group that neither the skills nor
    /// the market can tell from it: coverage within [`NEAR_TIE`] of the
    /// best and at least `min_confidence`, every skill asked for by at
    /// least [`EXPLAINED_SHARE`] of the vacancies of each, and vacancies
    /// within [`NEAR_TIE`] of `first`'s (which the counts picked among the
    /// near-ties); largest first, at most [`MAX_TRADES`] − 1. `ranked` is
    /// the occupations' ranking `first` was inferred from. A seeker who
    /// only says 烹饪, in a market with as many Chinese as Western cooks,
    /// is as likely either. None when `first` is a group.
    fn near_siblings(
        &self,
        known: &[Known<'_, '_>],
        first: &Inference,
        ranked: Vec<(OccupationCode, f64)>,
        min_confidence: f64,
    ) -> Vec<Inference> {
        if first.code.depth() < 4 {
            return Vec::new();
        }
        let Some(best) = ranked.iter().map(|r| r.1).reduce(f64::max) else {
            return Vec::new();
        };
        let minor = first.code.truncate(3);
        // Whether a code's vacancies ask for every one of the skills.
        let explains_all = |code: OccupationCode| {
            let size = self.size(code.packed()).max(1.0);
            known
                .iter()
                .all(|k| f64::from(asked_of(k.1, code.packed(), 4)) >= EXPLAINED_SHARE * size)
        };
        // A skill `first` does not explain may be what tells its siblings
        // apart (客运车辆 beside 驾驶 and C1驾照): then they are not tied.
        if !explains_all(first.code) {
            return Vec::new();
        }
        let first_size = self.size(first.code.packed());
        ranked
            .into_iter()
            .filter(|&(c, v)| {
                c != first.code
                    && c.depth() == 4
                    && c.truncate(3) == minor
                    && v >= best * (1.0 - NEAR_TIE)
                    && v >= min_confidence
                    && self.size(c.packed()) >= first_size * (1.0 - NEAR_TIE)
                    && explains_all(c)
            })
            .take(MAX_TRADES - 1)
            .map(|(c, v)| self.inference(known, c, v, 4))
            .collect()
    }

    /// The hinted code of [`OccupationModel::infer_trades_hinted`], by
    /// level as [`OccupationModel::infer_known`] backs off.
    fn hinted(
        &self,
        known: &[Known<'_, '_>],
        min_confidence: f64,
        hints: &[(OccupationCode, f32)],
    ) -> Option<Inference> {
        if hints.is_empty() {
            return None;
        }
        let support = |code: OccupationCode| {
            hints
                .iter()
                .filter(|(h, _)| relatedness_packed(h.packed(), code.packed()) >= 1.0)
                .map(|&(_, p)| f64::from(p))
                .fold(0.0, f64::max)
        };
        let (code, confidence, level) = [4, 3, 2].into_iter().find_map(|level| {
            self.ranked(known, level)
                .into_iter()
                .filter(|&(_, v)| v >= min_confidence)
                .map(|(c, v)| (c, v, v * support(c)))
                .filter(|&(_, _, joint)| joint > 0.0)
                .max_by(|a, b| a.2.total_cmp(&b.2).then(b.0.cmp(&a.0)))
                .map(|(c, v, _)| (c, v, level))
        })?;
        Some(self.inference(known, code, confidence, level))
    }

    fn infer_known(&self, known: &[Known<'_, '_>], min_confidence: f64) -> Option<Inference> {
        self.infer_ranked(known, &self.ranked(known, 4), min_confidence)
    }

    /// [`OccupationModel::infer_known`] given the occupations' ranking
    /// (`occupations`, [`OccupationModel::ranked`] at level 4), which the
    /// caller keeps for the near-tied siblings.
    fn infer_ranked(
        &self,
        known: &[Known<'_, '_>],
        occupations: &[(OccupationCode, f64)],
        min_confidence: f64,
    ) -> Option<Inference> {
        let confident = |&(code, v): &(OccupationCode, f64)| (v >= min_confidence).then_some((code, v));
        let (code, confidence, level) = match occupations.first().and_then(confident) {
            Some((code, v)) => (code, v, 4),
            None => [3, 2].into_iter().find_map(|level| {
                let (code, v) = self.ranked(known, level).first().and_then(confident)?;
                Some((code, v, level))
            })?,
        };
        Some(self.inference(known, code, confidence, level))
    }

    /// The inference of `code` (at `level`) with the skills its vacancies
    /// ask for, most telling first.
    fn inference(
        &self,
        known: &[Known<'_, '_>],
        code: OccupationCode,
        confidence: f64,
        level: usize,
    ) -> Inference {
        // Which skills its vacancies ask for, most telling first.
        let mut from: Vec<(f64, &str)> = known
            .iter()
            .map(|&(s, e, w)| (w * f64::from(asked_of(e, code.packed(), level)), s))
            .filter(|&(v, _)| v > 0.0)
            .collect();
        from.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        Inference {
            code,
            confidence,
            from: from.into_iter().map(|(_, s)| s.to_owned()).collect(),
        }
    }
}

/// The vacancies of a code (packed, at `level`) that ask for a term.
fn asked_of(e: &Evidence, code: u32, level: usize) -> u32 {
    let codes = e.at_level(level).unwrap_or_default();
    e.counts
        .iter()
        .zip(codes)
        .filter(|&(_, &(c, _))| c == code)
        .map(|(&(_, n), _)| n)
        .sum()
}

impl Evidence {
    /// The counts' codes at `level` with their sizes plus κ: a level past
    /// 4 keeps the whole code as 4 does; none for level 0.
    fn at_level(&self, level: usize) -> Option<&[(u32, f64)]> {
        self.levels.get(level.min(4).checked_sub(1)?).map(|l| &**l)
    }
}

/// The middle group whose coded vacancies ask for a term most (ties by
/// code), from its counts per occupation.
fn home_group(counts: &[(u32, u32)]) -> u32 {
    let mut by_group: Vec<(u32, u32)> = Vec::new();
    for &(o, n) in counts {
        let g = truncated(o, 2);
        match by_group.iter_mut().find(|x| x.0 == g) {
            Some(x) => x.1 += n,
            None => by_group.push((g, n)),
        }
    }
    by_group
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map_or(0, |x| x.0)
}

/// A skill term's document frequency and its live coded vacancies per
/// occupation (packed code, count; a code may repeat until the tally ends).
type TermCounts = (u64, Vec<(u32, u32)>);

/// What a model is learned from, summed over vacancies: per skill term its
/// document frequency and its evidence per occupation, the evidence per
/// occupation, and all vacancies. The evidence is every vacancy whose
/// occupation was given or coded from its title; those inferred from their
/// skills count in the frequencies only, so an inference never feeds the
/// next. Filled from a snapshot's postings or from vacancies as a load
/// writes them; tallies add up.
#[derive(Default)]
pub(crate) struct Tally {
    terms: HashMap<Vec<u8>, TermCounts>,
    /// Evidence per occupation (packed, level 4).
    vacancies: HashMap<u32, u32>,
    /// Every vacancy counted (the N of the IDF).
    total: u64,
}

impl Tally {
    /// The tally of a snapshot's live vacancies (the segments in parallel).
    pub(crate) fn of_snapshot(snapshot: &Snapshot) -> Result<Tally> {
        use rayon::prelude::*;
        let per_segment = (0..snapshot.segments().len())
            .into_par_iter()
            .map(|si| counts_of(snapshot, si))
            .collect::<Result<Vec<_>>>()?;
        let mut tally = Tally {
            total: snapshot.segments().iter().map(|s| u64::from(s.max_doc)).sum(),
            ..Tally::default()
        };
        for seg in per_segment {
            for &(occ, n) in &seg.vacancies {
                *tally.vacancies.entry(occ).or_default() += n;
            }
            for (term, (df, by_occ)) in &seg.terms {
                let entry = match tally.terms.get_mut(term.as_slice()) {
                    Some(e) => e,
                    None => tally.terms.entry(term.clone()).or_default(),
                };
                entry.0 += df;
                entry.1.extend_from_slice(by_occ);
            }
        }
        Ok(tally)
    }

    /// Counts one vacancy: its distinct canonical skill terms, and its
    /// occupation when it is evidence (given or coded from the title).
    pub(crate) fn add_vacancy(&mut self, evidence: Option<OccupationCode>, skills: &[String]) {
        self.total += 1;
        let occ = evidence.map(OccupationCode::packed);
        if let Some(o) = occ {
            *self.vacancies.entry(o).or_default() += 1;
        }
        for s in skills {
            let entry = match self.terms.get_mut(s.as_bytes()) {
                Some(e) => e,
                None => self.terms.entry(s.as_bytes().to_vec()).or_default(),
            };
            entry.0 += 1;
            if let Some(o) = occ {
                let by_occ = &mut entry.1;
                if by_occ.len() == by_occ.capacity() && by_occ.len() >= 64 {
                    // Summed in place before growing: a term's list stays
                    // within twice its distinct occupations.
                    compact(by_occ);
                }
                by_occ.push((o, 1));
            }
        }
    }

    /// Vacancies counted.
    pub(crate) fn vacancies(&self) -> u64 {
        self.total
    }

    /// Adds another tally to this one.
    pub(crate) fn add(&mut self, other: Tally) {
        self.total += other.total;
        for (occ, n) in other.vacancies {
            *self.vacancies.entry(occ).or_default() += n;
        }
        for (term, (df, by_occ)) in other.terms {
            let entry = self.terms.entry(term).or_default();
            entry.0 += df;
            entry.1.extend(by_occ);
        }
    }

    /// The model of these counts.
    pub(crate) fn model(self) -> OccupationModel {
        let total = self.total;
        let mut vacancies: FastMap<u32, u32> = FastMap::default();
        for (occ, n) in self.vacancies {
            // Once per distinct code of its lineage: an occupation coded
            // at three levels (会计专业人员 is 2-06-03-00, its own minor
            // group) is not its group's vacancies twice.
            let mut last = None;
            for level in 1..=4 {
                let code = truncated(occ, level);
                if last != Some(code) {
                    *vacancies.entry(code).or_default() += n;
                }
                last = Some(code);
            }
        }
        let size = |c: u32| f64::from(vacancies.get(&c).copied().unwrap_or(0));
        let terms = self
            .terms
            .into_iter()
            .filter_map(|(text, (df, mut by_occ))| {
                if by_occ.is_empty() {
                    return None;
                }
                compact(&mut by_occ);
                let levels = [1, 2, 3, 4].map(|level| {
                    by_occ
                        .iter()
                        .map(|&(o, _)| {
                            let c = truncated(o, level);
                            (c, size(c) + SMOOTHING)
                        })
                        .collect()
                });
                let evidence = Evidence {
                    idf: idf(total, df),
                    home: home_group(&by_occ),
                    counts: by_occ.into_boxed_slice(),
                    levels,
                };
                Some((String::from_utf8_lossy(&text).into_owned(), evidence))
            })
            .collect();
        OccupationModel { terms, vacancies }
    }
}

/// What one segment says: per skill term, its document frequency and its
/// live coded vacancies per occupation; live coded vacancies per occupation.
struct SegmentCounts {
    terms: Vec<(Vec<u8>, TermCounts)>,
    vacancies: Vec<(u32, u32)>,
}

/// The counts of segment `si`, kept with its columns while no doc of it is
/// deleted since: a commit counts only what it wrote or deleted from.
fn counts_of(snapshot: &Snapshot, si: usize) -> Result<Arc<SegmentCounts>> {
    let deleted = snapshot.segment_reader(si)?.num_deleted_docs();
    let cols = snapshot.segments().get(si);
    let kept = |c: &Arc<crate::index::columns::SegmentColumns>| {
        let k = c.derived.lock().ok()?;
        let (d, derived) = k.as_ref()?;
        (*d == deleted).then(|| derived.clone().downcast::<SegmentCounts>().ok())?
    };
    if let Some(counts) = cols.and_then(kept) {
        return Ok(counts);
    }
    // Counted outside the lock: two first counts may both run; one is kept.
    let counts = Arc::new(count_segment(snapshot, si)?);
    if let Some(mut k) = cols.and_then(|c| c.derived.lock().ok()) {
        *k = Some((deleted, counts.clone()));
    }
    Ok(counts)
}

/// Counts one segment: each live vacancy's occupation numbered densely once,
/// then every skill posting list tallied into a dense array.
fn count_segment(snapshot: &Snapshot, si: usize) -> Result<SegmentCounts> {
    const NONE: u32 = u32::MAX;
    let seg = snapshot.segment_reader(si)?;
    let Some(cols) = snapshot.segments().get(si) else {
        return Ok(SegmentCounts {
            terms: Vec::new(),
            vacancies: Vec::new(),
        });
    };
    let mut dense: HashMap<u32, u32> = HashMap::new();
    let mut codes: Vec<u32> = Vec::new();
    let mut sizes: Vec<u32> = Vec::new();
    let sources = seg
        .fast_fields()
        .u64(OCCUPATION_SOURCE_FIELD)
        .map_err(|e| Error::Corrupt {
            reason: format!("occupation source column: {e}"),
        })?;
    let of_doc: Vec<u32> = cols
        .occupation
        .iter()
        .enumerate()
        .map(|(doc, &occ)| {
            let inferred = sources.first(doc as u32).map(OccupationSource::from_stored);
            if occ == 0
                || seg.is_deleted(doc as u32)
                || matches!(inferred, Some(Some(OccupationSource::Skills { .. })))
            {
                return NONE;
            }
            let id = *dense.entry(occ).or_insert_with(|| {
                codes.push(occ);
                sizes.push(0);
                codes.len() as u32 - 1
            });
            sizes[id as usize] += 1;
            id
        })
        .collect();
    let inv = seg.inverted_index(snapshot.fields().skills)?;
    let mut stream = inv.terms().stream().map_err(Error::io_unnamed)?;
    let mut tally = vec![0u32; codes.len()];
    let mut touched: Vec<u32> = Vec::new();
    let mut terms = Vec::new();
    while stream.advance() {
        let info = stream.value();
        let mut postings = inv
            .read_postings_from_terminfo(info, IndexRecordOption::Basic)
            .map_err(Error::io_unnamed)?;
        let mut doc = postings.doc();
        while doc != TERMINATED {
            let id = of_doc.get(doc as usize).copied().unwrap_or(NONE);
            if id != NONE {
                if tally[id as usize] == 0 {
                    touched.push(id);
                }
                tally[id as usize] += 1;
            }
            doc = postings.advance();
        }
        let by_occ: Vec<(u32, u32)> = touched
            .drain(..)
            .map(|id| (codes[id as usize], std::mem::take(&mut tally[id as usize])))
            .collect();
        terms.push((stream.key().to_vec(), (u64::from(info.doc_freq), by_occ)));
    }
    Ok(SegmentCounts {
        terms,
        vacancies: codes.into_iter().zip(sizes).collect(),
    })
}

/// One entry per occupation, its counts summed, in code order.
fn compact(by_occ: &mut Vec<(u32, u32)>) {
    by_occ.sort_unstable_by_key(|&(o, _)| o);
    by_occ.dedup_by(|later, first| {
        let same = later.0 == first.0;
        if same {
            first.1 += later.1;
        }
        same
    });
}

/// A packed occupation truncated to a level of the hierarchy.
fn truncated(packed: u32, level: usize) -> u32 {
    OccupationCode::from_packed(packed).map_or(packed, |c| c.truncate(level))
}
