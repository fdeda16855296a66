//! Job alerts (percolation): the saved seekers whose top k a new vacancy
//! would enter.
//!
//! Each saved seeker keeps their current top k ([`Thresholds`], from a
//! forward ranking); the k-th entry is the bar. A vacancy enters when it
//! ranks before the k-th (higher score, or the same score and a smaller
//! vacancy id: the forward order), or at once when fewer than k are held.
//!
//! A feed is small next to the market, and a seeker's bar is high: so each
//! saved seeker is searched *forward* over the feed alone (indexed apart,
//! in RAM), with the pruned search under a floor at the bar, which finds
//! every vacancy scoring at least the floor and skips the rest by their
//! bounds. The seeker is prepared against the full market's snapshot, so
//! the scores are the ones `match` gives; the search is the forward one,
//! proven equal to the exhaustive scan.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::index::{Snapshot, VacancyIndex};
use crate::matcher::Matcher;
use crate::model::{Seeker, Vacancy};
use crate::rank::search::{self, SearchStats};
use crate::rank::topk::TopK;

/// One entry of a saved top k.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopEntry {
    /// Vacancy id.
    pub vacancy: String,
    /// Its score for the seeker.
    pub score: f64,
}

/// A seeker's saved top k: one line of a thresholds file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedTop {
    /// Seeker id.
    pub seeker: String,
    /// Best first (score descending, then vacancy id).
    pub top: Vec<TopEntry>,
}

impl crate::io::Record for SavedTop {
    fn from_json(bytes: &[u8]) -> std::result::Result<Self, crate::io::FieldError> {
        crate::io::parse_plain(bytes)
    }
}

/// Every saved seeker's current top k: what alerts compare with.
#[derive(Debug, Clone, PartialEq)]
pub struct Thresholds {
    k: usize,
    tops: HashMap<String, Vec<TopEntry>>,
}

/// A vacancy that would enter a seeker's top k.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    /// Seeker id.
    pub seeker: String,
    /// The new vacancy.
    pub vacancy: String,
    /// Its score for the seeker (what `match` gives the pair).
    pub score: f64,
    /// The vacancy it pushes out of the top k (`null` while fewer than k
    /// are held).
    pub replaces: Option<String>,
}

/// Whether `(score, vacancy)` ranks before `e` in the forward order.
fn before(score: f64, vacancy: &str, e: &TopEntry) -> bool {
    match score.total_cmp(&e.score) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal => vacancy < e.vacancy.as_str(),
    }
}

impl Thresholds {
    /// Each seeker's top `k` in their own reach, ranked forward by `matcher`
    /// (on the current rayon pool).
    ///
    /// # Errors
    /// As [`Matcher::match_one`], naming the seeker.
    pub fn compute(matcher: &Matcher, seekers: &[Seeker], k: usize) -> Result<Thresholds> {
        use rayon::prelude::*;
        let segments = matcher.snapshot().segments();
        let tops = seekers
            .par_iter()
            .map(|s| {
                let docs = matcher.ranked_docs(s, k)?;
                let top = docs
                    .into_iter()
                    .map(|(seg, doc, score)| TopEntry {
                        vacancy: segments.get(seg as usize).map_or_else(String::new, |c| c.id(doc)),
                        score,
                    })
                    .collect();
                Ok(SavedTop {
                    seeker: s.id.clone(),
                    top,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Thresholds::from_tops(k, tops)
    }

    /// Saved tops of k, e.g. read back from a file.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the seeker for a top longer than `k`, out of
    /// order, with a score that is not finite, or a seeker given twice.
    pub fn from_tops(k: usize, tops: impl IntoIterator<Item = SavedTop>) -> Result<Thresholds> {
        let mut out = HashMap::new();
        for t in tops {
            let bad = |reason: &str| Error::invalid(format!("seeker `{}`: top", t.seeker), reason.to_owned());
            if t.top.len() > k {
                return Err(bad(&format!("{} entries, more than k = {k}", t.top.len())));
            }
            if t.top.iter().any(|e| !e.score.is_finite()) {
                return Err(bad("scores must be finite"));
            }
            if t.top
                .windows(2)
                .any(|w| matches!(w, [a, b] if !before(a.score, &a.vacancy, b)))
            {
                return Err(bad(
                    "entries must be best first (score descending, then vacancy id)",
                ));
            }
            if out.insert(t.seeker.clone(), t.top).is_some() {
                return Err(bad("seeker given twice"));
            }
        }
        Ok(Thresholds { k, tops: out })
    }

    /// The k of every top.
    pub fn k(&self) -> usize {
        self.k
    }

    /// Saved seekers.
    pub fn len(&self) -> usize {
        self.tops.len()
    }

    /// Whether no seeker is saved.
    pub fn is_empty(&self) -> bool {
        self.tops.is_empty()
    }

    /// A seeker's saved top.
    pub fn top(&self, seeker: &str) -> Option<&[TopEntry]> {
        self.tops.get(seeker).map(Vec::as_slice)
    }

    /// Every saved top, in seeker id order.
    pub fn tops(&self) -> Vec<SavedTop> {
        let mut out: Vec<SavedTop> = self
            .tops
            .iter()
            .map(|(s, top)| SavedTop {
                seeker: s.clone(),
                top: top.clone(),
            })
            .collect();
        out.sort_by(|a, b| a.seeker.cmp(&b.seeker));
        out
    }

    /// The bar of a seeker: the k-th entry, `None` while fewer than k are
    /// held (anything in reach enters); not saved: no bar at all.
    fn bar(&self, seeker: &str) -> Option<Option<&TopEntry>> {
        let top = self.tops.get(seeker)?;
        Some(if top.len() >= self.k { top.last() } else { None })
    }

    /// The least score that may enter a seeker's top k: the k-th's
    /// (ties at it are broken by vacancy id), `−∞` while fewer than k are
    /// held; `None` for a seeker not saved (or k = 0), who is never alerted.
    pub(crate) fn floor(&self, seeker: &str) -> Option<f64> {
        if self.k == 0 {
            return None;
        }
        self.bar(seeker)
            .map(|kth| kth.map_or(f64::NEG_INFINITY, |e| e.score))
    }

    /// Whether a vacancy scoring `score` would enter the seeker's top k
    /// (false for a seeker not saved, or a vacancy already held).
    pub fn would_enter(&self, seeker: &str, vacancy: &str, score: f64) -> bool {
        let Some(top) = self.tops.get(seeker) else {
            return false;
        };
        if self.k == 0 || top.iter().any(|e| e.vacancy == vacancy) {
            return false;
        }
        match self.bar(seeker).flatten() {
            None => true,
            Some(kth) => before(score, vacancy, kth),
        }
    }

    /// Takes an alert in: the vacancy enters the seeker's top k, the k-th
    /// leaves it, and the bar rises. An alert that no longer applies (the
    /// bar rose past it) changes nothing; returns whether it applied.
    pub fn accept(&mut self, alert: &Alert) -> bool {
        if !self.would_enter(&alert.seeker, &alert.vacancy, alert.score) {
            return false;
        }
        let k = self.k;
        let Some(top) = self.tops.get_mut(&alert.seeker) else {
            return false;
        };
        let at = top.partition_point(|e| !before(alert.score, &alert.vacancy, e));
        top.insert(
            at,
            TopEntry {
                vacancy: alert.vacancy.clone(),
                score: alert.score,
            },
        );
        top.truncate(k);
        true
    }

    /// The entry a vacancy entering now would push out.
    pub(crate) fn replaced(&self, seeker: &str) -> Option<String> {
        self.bar(seeker).flatten().map(|e| e.vacancy.clone())
    }
}

/// The feed indexed apart, in RAM, as the market's index would index it.
pub(crate) struct Feed {
    snapshot: Snapshot,
}

impl Feed {
    /// Indexes the feed with the market's reference data and, for
    /// vacancies that carry no occupation and whose titles do not code,
    /// the market's skill → occupation model.
    pub fn new(market: &Matcher, feed: &[Vacancy]) -> Result<Feed> {
        let snapshot = market.snapshot();
        let mut index = VacancyIndex::create_in_ram()?
            .with_reference(snapshot.reference().clone())
            .with_threads(1);
        let inference = snapshot.vacancy_inference();
        if inference.is_some() && feed.iter().any(|v| v.occupation.is_none()) {
            index = index.inferring_as(inference, market.market_model()?.clone());
        } else {
            index = index.with_occupation_inference(None);
        }
        for v in feed {
            index.upsert(v)?;
        }
        index.commit()?;
        Ok(Feed {
            snapshot: index.snapshot()?,
        })
    }

    /// The feed's own snapshot.
    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }
}

/// The alerts of one saved seeker: every vacancy of the feed that would
/// enter their top k, best first. Searched, or (`exhaustive`) scanned.
pub(crate) fn alerts_of(
    matcher: &Matcher,
    feed: &Feed,
    thresholds: &Thresholds,
    seeker: &Seeker,
    exhaustive: bool,
    stats: &mut SearchStats,
) -> Result<Vec<Alert>> {
    let Some(bar) = thresholds.bar(&seeker.id) else {
        return Ok(Vec::new());
    };
    if thresholds.k == 0 {
        return Ok(Vec::new());
    }
    let q = matcher.prepare(seeker)?;
    let segments = feed.snapshot.segments();
    let n = feed.snapshot.num_vacancies() as usize;
    let mut top = TopK::new(n, None, segments);
    if let Some(kth) = bar {
        top.set_floor(kth.score);
    }
    if exhaustive {
        search::scan(&feed.snapshot, &q, &mut top, stats)?;
    } else {
        search::search(&feed.snapshot, &q, &mut top, stats, &search::Allowance::default())?;
    }
    let mut out = Vec::new();
    for e in top.into_entries() {
        let Some(cols) = segments.get(e.segment as usize) else {
            continue;
        };
        let vacancy = cols.id(e.doc);
        if thresholds.would_enter(&seeker.id, &vacancy, e.score) {
            out.push(Alert {
                seeker: seeker.id.clone(),
                vacancy,
                score: e.score,
                replaces: thresholds.replaced(&seeker.id),
            });
        }
    }
    Ok(out)
}
