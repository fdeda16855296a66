//! A seeker prepared for ranking against one snapshot.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::Term;

use super::config::RankingConfig;
use super::related::SkillRelations;
use super::signal::{self, Freshness, Signal, Signals, idf};
use crate::error::{Error, Result};
use crate::index::Snapshot;
use crate::index::inferred::{Inference, OccupationModel};
use crate::index::memo::TextMemo;
use crate::index::terms::{KnownTexts, SeekerTerm, occupation_term, seeker_terms, skill_term};
use crate::model::{Education, PriorityGroup, Seeker};
use crate::reference::TitleCodes;
use crate::region::RegionPrefix;
use crate::retrieve::{Constraints, Reach};
use crate::taxonomy::classify::trusted;
use crate::taxonomy::{OccupationCode, PathTerm, SkillKind, path_credits};

/// Most distinct terms one query may hold (a bit each in a `u128`).
pub(crate) const MAX_TERMS: usize = 128;

/// How sure a skill that is an occupation's name or alias makes the
/// inference of that occupation, as a hint ([`crate::index::OccupationModel::infer_trades_hinted`]):
/// as sure as the surest coded title, since the name was typed, not
/// guessed; the skills' coverage still has to reach the bar.
const SKILL_NAMES_TRADE: f32 = 1.0;

/// One distinct term of the query.
#[derive(Debug, Clone)]
pub(crate) struct QTerm {
    /// The index term; its text is [`QTerm::text`].
    pub term: Term,
    /// Most this term alone can add to the score (weighted, normalised).
    pub ub: f64,
    /// Which signal it serves, and so how its bound combines with others'.
    pub role: TermRole,
}

impl QTerm {
    /// The term's text (canonical skill, title word or occupation path),
    /// read from the term itself: a query holds each text once.
    pub fn text(&self) -> &str {
        // Text terms are made from `&str` only (skill, title and path terms).
        std::str::from_utf8(self.term.serialized_value_bytes()).unwrap_or_default()
    }
}

/// What a query term bounds, and how its bound combines with the others'
/// ([`super::score::TermBound`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum TermRole {
    /// A title term: its bounds add up.
    Title,
    /// An occupation term: it only bounds the occupation signal, which is
    /// scored from the vacancy's code; the bounds add up.
    Occupation,
    /// A skill term: its evidence combines as the skills signal combines
    /// it, so several skill terms together never bound more than the
    /// signal can give.
    Skill {
        /// `1 − evidence` (its factor in its tier's product).
        miss: f64,
        /// Its credit toward covering the vacancy's skills.
        credit: f64,
        /// A soft skill (the small tier).
        soft: bool,
    },
}

/// One seeker skill or title term: credited once, at the best of its options.
#[derive(Debug, Clone)]
pub(crate) struct Clause {
    /// [`Signal::Skills`] or [`Signal::Title`].
    pub signal: Signal,
    /// Title: share of the signal (IDF over the signal's total). Skills:
    /// the skill's evidence of fit ([`signal::skill_evidence`]).
    pub share: f64,
    /// A skill's kind, when the vocabulary knows it.
    pub kind: Option<SkillKind>,
    /// What the seeker wrote (for explanations).
    pub label: String,
    /// Terms that satisfy the clause, with their credit (1 for the term
    /// itself, less for a related skill).
    pub options: Vec<(usize, f64)>,
}

/// A skill term of the query, as the skills signal reads it
/// ([`super::score::term_signals`]): each of the vacancy's skills is
/// credited once, at the best any of the seeker's skills gives it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SkillTerm {
    /// Its position in [`Query::terms`] (its bit in a vacancy's mask).
    pub bit: u32,
    /// Its evidence of fit when a vacancy asks for it: the best of the
    /// seeker's skills' evidence times their credit for it.
    pub evidence: f64,
    /// Its credit toward covering the vacancy's skills: 1 for a skill the
    /// seeker holds, less for a related one.
    pub credit: f64,
    /// A transversal skill (its evidence counts in the small tier).
    pub transversal: bool,
}

/// A seeker prepared for one snapshot and config.
pub(crate) struct Query {
    pub terms: Vec<QTerm>,
    pub clauses: Vec<Clause>,
    /// The skill terms, in term order.
    pub skills: Vec<SkillTerm>,
    /// Normalised weights (sum to 1).
    pub weights: Signals<f64>,
    /// Reach, expiry and the salary minimum when it is a constraint.
    pub constraints: Constraints,
    /// Per dense region: the mobility prior of a move there (shared: it
    /// depends on the home province alone).
    pub prior: Arc<[f64]>,
    pub salary_min: Option<u32>,
    pub education: Option<u8>,
    pub experience: Option<u8>,
    /// Bit i = industry index i preferred; 0 = no preference.
    pub industries: u32,
    pub groups: Vec<PriorityGroup>,
    /// The seeker's occupations (packed): given, coded from the titles, or
    /// inferred from the skills (one per trade).
    pub occupations: Vec<u32>,
    /// How many of the skill clauses are the seeker's own skills (the
    /// first ones; the others are implied by them).
    pub own_skills: usize,
    /// Set when `occupations` were inferred from the seeker's skills.
    pub inferred: Vec<Inference>,
    /// The occupation signal is bounded by the occupation terms among
    /// `terms` (not by its weight).
    pub occupation_by_terms: bool,
    /// The freshness curve (tabulated once per matcher).
    pub freshness: Arc<Freshness>,
    pub full_credit_km: f64,
    pub education_step: f64,
    pub salary_tolerance: f64,
    pub salary_unknown: f64,
    /// Weighted education, experience and priority signals by the
    /// requirements a [`crate::index::columns::Summary`] keeps (see
    /// [`requirement_table`]; shared: many seekers have the same).
    pub requirements: Arc<[f64]>,
}

/// Total doc ids of a snapshot, deleted included, to match `doc_freq`.
fn total_docs(snapshot: &Snapshot) -> u64 {
    snapshot.segments().iter().map(|s| u64::from(s.max_doc)).sum()
}

/// What a matcher prepares once and every query of it shares.
pub(crate) struct Context<'a> {
    pub snapshot: &'a Snapshot,
    pub config: &'a RankingConfig,
    pub related: Option<&'a SkillRelations>,
    /// Occupations of skills, learned on first use (`None` when inference
    /// is off).
    pub occupations: &'a dyn Fn() -> Result<Option<&'a OccupationModel>>,
    /// The freshness curve.
    pub freshness: &'a Arc<Freshness>,
    /// Days since epoch.
    pub today: i32,
    /// Tables shared by the matcher's queries.
    pub tables: &'a QueryTables,
    /// The texts of the batch the seeker is prepared with, worked out once
    /// (none for a seeker prepared alone).
    pub memo: Option<&'a TextMemo>,
}

/// Seeker-independent tables a matcher's queries share: the mobility prior
/// from each home province (made with the matcher: a handful, and every
/// seeker's home is in the gazetteer), and the weighted education,
/// experience and priority table of each (education, experience, groups),
/// made on first use. Each costs a few hundred signal evaluations to make.
pub(crate) struct QueryTables {
    priors: Vec<(u32, Arc<[f64]>)>,
    requirements: std::sync::RwLock<HashMap<RequirementKey, Arc<[f64]>>>,
}

/// What a requirement table depends on, besides the matcher's config:
/// education, experience and the set of priority groups (as bits).
type RequirementKey = (Option<u8>, Option<u8>, u32);

/// Requirement tables one matcher remembers (beyond, they are made per
/// query: odd inputs cannot grow the memo without end).
const TABLES_KEPT: usize = 1 << 16;

impl QueryTables {
    /// The tables of a matcher with this config over this reference data.
    pub fn new(config: &RankingConfig, reference: &crate::reference::ReferenceData) -> QueryTables {
        let mut provinces: Vec<u32> = reference
            .gazetteer()
            .all()
            .iter()
            .map(|r| r.code.get() / 10_000)
            .collect();
        provinces.sort_unstable();
        provinces.dedup();
        let priors = provinces
            .into_iter()
            .map(|home| (home, prior_from(config, reference, home)))
            .collect();
        QueryTables {
            priors,
            requirements: std::sync::RwLock::default(),
        }
    }

    /// The mobility prior from a home province.
    fn prior(
        &self,
        config: &RankingConfig,
        reference: &crate::reference::ReferenceData,
        home: u32,
    ) -> Arc<[f64]> {
        self.priors
            .iter()
            .find(|(p, _)| *p == home)
            .map_or_else(|| prior_from(config, reference, home), |(_, t)| t.clone())
    }

    /// The requirement table under `key`, made by `make` when not yet kept.
    fn requirements(&self, key: RequirementKey, make: impl FnOnce() -> Arc<[f64]>) -> Arc<[f64]> {
        if let Ok(k) = self.requirements.read()
            && let Some(t) = k.get(&key)
        {
            return t.clone();
        }
        let t = make();
        // A poisoned lock only loses the memo.
        if let Ok(mut k) = self.requirements.write()
            && k.len() < TABLES_KEPT
        {
            k.entry(key).or_insert_with(|| t.clone());
        }
        t
    }
}

/// Per dense region, how willing a seeker from `home` is to move there.
fn prior_from(config: &RankingConfig, reference: &crate::reference::ReferenceData, home: u32) -> Arc<[f64]> {
    let mobility = config
        .mobility_prior
        .as_ref()
        .unwrap_or_else(|| reference.mobility_prior());
    reference
        .gazetteer()
        .all()
        .iter()
        .map(|r| mobility.between(home, r.code.get() / 10_000))
        .collect()
}

/// What a seeker's query is made of before any statistic of the market is
/// read: its skills as canonical terms (its own, then those they imply),
/// its title words and its reach. None of it changes while the seeker, the
/// reference data and the config do not, so the reverse direction keeps it
/// from one commit to the next ([`crate::reverse`]).
pub(crate) struct Read {
    /// `(label, term, text)`: the seeker's own skills, then those they
    /// imply.
    pub skills: Vec<SeekerTerm>,
    /// How many of `skills` are the seeker's own.
    pub own_skills: usize,
    /// `(label, term, text)` of each distinct title word.
    pub titles: Vec<SeekerTerm>,
    pub reach: Reach,
}

impl Read {
    /// Reads a seeker's skills, titles and reach. `commute_km` and
    /// `extra_moves` widen reach when broadening.
    ///
    /// # Errors
    /// More skills than the config allows.
    pub fn new(
        cx: &Context<'_>,
        seeker: &Seeker,
        commute_km: f64,
        extra_moves: &[RegionPrefix],
    ) -> Result<Read> {
        let Context {
            snapshot,
            config,
            memo,
            ..
        } = *cx;
        let f = snapshot.fields();
        let vocab = snapshot.reference().skills();
        let (mut skills, titles) = seeker_terms(f, seeker, vocab, memo.map(|m| m as &dyn KnownTexts));
        if skills.len() > config.max_skills_per_seeker {
            return Err(Error::TooLarge {
                what: "skills per seeker",
                limit: config.max_skills_per_seeker,
                actual: skills.len(),
            });
        }
        let mut implied_items = Vec::new();
        for (label, _, text) in &skills {
            for implied in vocab
                .of_term(text)
                .map(|s| vocab.implied(s.id))
                .unwrap_or_default()
            {
                let Some(skill) = vocab.get(implied) else { continue };
                let text = crate::text::fold(&skill.name);
                // Up to the skill limit, so that skills and title terms
                // always fit in one query.
                if skills.len() + implied_items.len() < config.max_skills_per_seeker
                    && !skills.iter().chain(&implied_items).any(|(_, _, c)| *c == text)
                {
                    implied_items.push((format!("{label} ⇒ {}", skill.name), skill_term(f, &text), text));
                }
            }
        }
        let own_skills = skills.len();
        skills.extend(implied_items);
        let reach = Reach::new(seeker, commute_km, extra_moves, snapshot.reference().gazetteer());
        Ok(Read {
            skills,
            own_skills,
            titles,
            reach,
        })
    }
}

impl Query {
    /// Prepares a seeker. `commute_km` and `extra_moves` widen reach when
    /// broadening.
    pub fn new(
        cx: &Context<'_>,
        seeker: &Seeker,
        commute_km: f64,
        extra_moves: &[RegionPrefix],
    ) -> Result<Query> {
        Query::from_read(cx, seeker, Read::new(cx, seeker, commute_km, extra_moves)?)
    }

    /// Prepares a seeker whose texts and reach are already read: `read` is
    /// what [`Read::new`] gives for `seeker` under this context's
    /// reference data and config.
    pub fn from_read(cx: &Context<'_>, seeker: &Seeker, read: Read) -> Result<Query> {
        let Context {
            snapshot,
            config,
            related,
            today,
            memo,
            ..
        } = *cx;
        let doc_freq = |term: &Term| match memo.and_then(|m| m.doc_freq(term)) {
            Some(n) => Ok(n),
            None => snapshot.doc_freq(term),
        };
        let f = snapshot.fields();
        let n = total_docs(snapshot);
        let raw = *config.weights.as_signals();
        let total: f64 = raw.values().iter().sum();
        let weights = raw.map(|w| w / total);

        let mut clauses: Vec<Clause> = Vec::new();
        let term_index = |term: Term, terms: &mut Vec<QTerm>| -> Result<usize> {
            if let Some(i) = terms.iter().position(|t| t.term == term) {
                return Ok(i);
            }
            if terms.len() >= MAX_TERMS {
                return Err(Error::TooLarge {
                    what: "distinct skill and title terms in one query",
                    limit: MAX_TERMS,
                    actual: terms.len() + 1,
                });
            }
            terms.push(QTerm {
                term,
                ub: 0.0,
                role: TermRole::Title,
            });
            Ok(terms.len() - 1)
        };

        // One clause per distinct canonical skill (the seeker's own, then
        // those they imply: a 焊工证 holder can weld) and per distinct title
        // term.
        let vocab = snapshot.reference().skills();
        let Read {
            skills: skill_items,
            own_skills,
            titles: title_items,
            reach,
        } = read;
        // Each skill, its related skills, each title word, and a few
        // occupation path terms.
        let mut terms: Vec<QTerm> = Vec::with_capacity(
            (skill_items.len() * (1 + config.related_per_skill) + title_items.len() + 8).min(MAX_TERMS),
        );
        for (label, term, text) in skill_items {
            let kind = vocab.kind_of_term(&text);
            let evidence = signal::skill_evidence(idf(n, doc_freq(&term)?), kind);
            let i = term_index(term, &mut terms)?;
            let mut options = vec![(i, 1.0)];
            // Partial credit for related skills (soft skills relate to
            // everything, so to nothing in particular).
            if let Some(rel) = related
                && kind != Some(SkillKind::Transversal)
            {
                for (other, r) in rel.related(&text) {
                    if terms.len() >= MAX_TERMS || vocab.kind_of_term(other) == Some(SkillKind::Transversal) {
                        continue;
                    }
                    let j = term_index(skill_term(f, other), &mut terms)?;
                    options.push((j, config.related_credit * f64::from(r)));
                }
            }
            clauses.push(Clause {
                signal: Signal::Skills,
                share: evidence,
                kind,
                label,
                options,
            });
        }
        if title_items.len() > config.max_title_terms {
            return Err(Error::TooLarge {
                what: "title terms per seeker",
                limit: config.max_title_terms,
                actual: title_items.len(),
            });
        }
        let mut weighted = Vec::with_capacity(title_items.len());
        for (label, term, _) in title_items {
            let w = idf(n, doc_freq(&term)?);
            weighted.push((label, term, w));
        }
        let total: f64 = weighted.iter().map(|x| x.2).sum();
        for (label, term, w) in weighted {
            let i = term_index(term, &mut terms)?;
            clauses.push(Clause {
                signal: Signal::Title,
                share: if total > 0.0 { w / total } else { 0.0 },
                kind: None,
                label,
                options: vec![(i, 1.0)],
            });
        }

        // Each skill term credited at the best any skill of the seeker gives
        // it; its bound is its tier's share of the skills weight times that
        // evidence (the signal is at most the sum of its terms' evidence,
        // see `signal::skills`). A title term's bound is its share.
        let mut skills: Vec<SkillTerm> = Vec::new();
        for c in &clauses {
            for &(i, credit) in &c.options {
                if c.signal == Signal::Title {
                    if let Some(t) = terms.get_mut(i) {
                        t.ub += weights[Signal::Title] * c.share * credit;
                    }
                    continue;
                }
                let evidence = c.share * credit;
                match skills.iter_mut().find(|s| s.bit as usize == i) {
                    Some(s) => {
                        s.evidence = s.evidence.max(evidence);
                        s.credit = s.credit.max(credit);
                    }
                    None => skills.push(SkillTerm {
                        bit: i as u32,
                        evidence,
                        credit,
                        transversal: terms
                            .get(i)
                            .is_some_and(|t| vocab.kind_of_term(t.text()) == Some(SkillKind::Transversal)),
                    }),
                }
            }
        }
        skills.sort_by_key(|s| s.bit);
        for s in &skills {
            if let Some(t) = terms.get_mut(s.bit as usize) {
                t.ub += weights[Signal::Skills] * signal::skill_tier(s.transversal) * s.evidence;
                t.role = TermRole::Skill {
                    miss: 1.0 - s.evidence,
                    credit: s.credit,
                    soft: s.transversal,
                };
            }
        }

        // Occupation: given, else coded from the desired titles as the index
        // codes vacancies, else inferred from the skills.
        let mut codes: Vec<OccupationCode> = seeker.occupations.clone();
        // Each desired title's codes, looked up once: the first codes the
        // title by the coding rule, all of them steer an inference.
        let title_codes: Vec<TitleCodes> = if codes.is_empty() {
            seeker
                .titles
                .iter()
                .map(|t| snapshot.reference().title_codes(t))
                .collect()
        } else {
            Vec::new()
        };
        for ranked in &title_codes {
            if let Some((code, _)) = trusted(ranked.first().copied())
                && !codes.contains(&code)
            {
                codes.push(code);
            }
        }
        let mut inferred = Vec::new();
        if codes.is_empty()
            && let Some(model) = (cx.occupations)()?
        {
            // The occupation is inferred from the seeker's own skills (the
            // first clauses): a skill a licence implies is no further
            // evidence of what the seeker does.
            let seeker_skills: Vec<&str> = clauses
                .iter()
                .take(own_skills)
                .filter_map(|c| c.options.first().and_then(|&(i, _)| terms.get(i)))
                .map(QTerm::text)
                .collect();
            // Titles the coder could not code with confidence still say
            // which codes are likely: they steer the inference. A seeker
            // who gives no title may name the trade among the skills: a
            // skill that is an occupation's very name or job-board alias
            // (会计, 电工, 保安) steers it likewise, toward whichever
            // occupation of that name covers the skills best. A title,
            // what the seeker wants, outranks it: 幼儿园老师 who plays 钢琴
            // is no piano tuner.
            let hints: Vec<(OccupationCode, f32)> = if seeker.titles.is_empty() {
                let taxonomy = snapshot.reference().taxonomy();
                seeker_skills
                    .iter()
                    .flat_map(|s| taxonomy.find(s))
                    .map(|o| (o.code, SKILL_NAMES_TRADE))
                    .collect()
            } else {
                title_codes.iter().flat_map(|c| c.iter().copied()).collect()
            };
            inferred = model.infer_trades_hinted(&seeker_skills, vocab, config.infer_min_confidence, &hints);
            codes.extend(inferred.iter().map(|i| i.code));
        }
        // The hierarchy's terms bound the occupation signal (see
        // `path_credits`): a vacancy holding none of them earns nothing from
        // it, so the search need not allow for it on every vacancy. Skipped
        // (the signal is then bounded by its weight) when the terms would
        // not fit in the query.
        let mut credits: Vec<(PathTerm, f64)> = Vec::new();
        for &code in &codes {
            for (t, credit) in path_credits(code) {
                let ub = weights[Signal::Occupation] * credit;
                match credits.iter_mut().find(|(x, _)| *x == t) {
                    Some(c) => c.1 = c.1.max(ub),
                    None => credits.push((t, ub)),
                }
            }
        }
        let occupation_by_terms =
            weights[Signal::Occupation] > 0.0 && terms.len() + credits.len() <= MAX_TERMS;
        if occupation_by_terms {
            let mut text = String::with_capacity(12);
            terms.extend(credits.into_iter().map(|(t, ub)| {
                text.clear();
                t.write_text(&mut text);
                QTerm {
                    term: occupation_term(f, &text),
                    ub,
                    role: TermRole::Occupation,
                }
            }));
        }

        let reference = snapshot.reference();
        let prior = cx.tables.prior(config, reference, reach.home_province());
        let salary_min = seeker.salary_min.map(|c| c.yuan());
        let constraints = Constraints::new(reach, today, salary_min.filter(|_| config.require_salary));
        let education = seeker.education.map(Education::rank);
        let experience = seeker.experience_years;
        let groups = seeker.groups.clone();
        let group_bits = groups.iter().fold(0u32, |bits, &g| bits | 1 << g as u32);
        let requirements = cx.tables.requirements((education, experience, group_bits), || {
            requirement_table(&weights, education, experience, &groups, config.education_step)
        });
        Ok(Query {
            terms,
            clauses,
            skills,
            weights,
            constraints,
            prior,
            salary_min,
            education,
            experience,
            industries: seeker.industries.iter().fold(0, |m, i| m | 1 << i.index()),
            groups,
            occupations: codes.iter().map(|c| c.packed()).collect(),
            own_skills,
            inferred,
            occupation_by_terms,
            freshness: cx.freshness.clone(),
            full_credit_km: config.full_credit_km,
            education_step: config.education_step,
            salary_tolerance: config.salary_tolerance,
            salary_unknown: config.salary_unknown,
            requirements,
        })
    }
}

/// The weighted education, experience and priority signals for every pair
/// of requirements a summary can hold (each below 16), indexed
/// `education << 4 | experience`: the summary bound reads them from a table.
fn requirement_table(
    w: &Signals<f64>,
    education: Option<u8>,
    experience: Option<u8>,
    groups: &[PriorityGroup],
    education_step: f64,
) -> Arc<[f64]> {
    (0..256u16)
        .map(|k| {
            let (need, years) = ((k >> 4) as u8, (k & 15) as u8);
            w[Signal::Education] * signal::education(need, education, education_step)
                + w[Signal::Experience] * signal::experience(years, experience)
                + w[Signal::Priority] * signal::priority(groups, need, years)
        })
        .collect()
}
