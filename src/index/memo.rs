//! What the queries of many seekers prepared together share, worked out
//! once per distinct text instead of once per seeker: each skill entry's
//! canonical items, each title's terms, and each skill or title term's
//! document frequency. (A title's code is memoised by the title coder.)
//!
//! Saved seekers repeat themselves: 100,000 of them type a few thousand
//! distinct titles and skill entries. Preparing them all (the reverse
//! direction, at every commit of a service) segmented every title and
//! folded every entry again; with a memo each is done once, in parallel,
//! and the per-seeker work reads a map no thread writes. A query prepared
//! with the memo is the query prepared without it, bit for bit: the memo
//! holds what the same functions return, and anything it lacks is worked
//! out as before.

use std::collections::HashMap;

use rayon::prelude::*;
use tantivy::Term;

use super::Snapshot;
use super::terms::{KnownTexts, entry_items, skill_term};
use crate::error::Result;
use crate::model::Seeker;
use crate::text;

/// A map of texts, hashed by foldhash (every seeker's every entry and
/// title is looked up).
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// The shared work of a batch of seekers' queries (see the module docs).
pub(crate) struct TextMemo {
    /// Skill entry → its items with their canonical terms.
    entries: FastMap<String, Vec<(String, String)>>,
    /// Title → its terms ([`text::terms`]).
    titles: FastMap<String, Vec<String>>,
    /// Skill and title terms → document frequency in the snapshot.
    doc_freqs: FastMap<Term, u64>,
}

impl TextMemo {
    /// The memo of `seekers`' texts against `snapshot`, worked out on the
    /// current rayon pool.
    ///
    /// # Errors
    /// An index read failure (a document frequency).
    pub fn new(snapshot: &Snapshot, seekers: &[Seeker]) -> Result<TextMemo> {
        let reference = snapshot.reference();
        let vocab = reference.skills();
        let fields = snapshot.fields();
        let distinct = |texts: &mut dyn Iterator<Item = &String>| -> Vec<String> {
            let mut seen: FastMap<&str, ()> = FastMap::default();
            texts
                .filter(|t| seen.insert(t.as_str(), ()).is_none())
                .cloned()
                .collect()
        };
        let entries: FastMap<String, Vec<(String, String)>> =
            distinct(&mut seekers.iter().flat_map(|s| s.skills.iter()))
                .into_par_iter()
                .map(|entry| {
                    let items = entry_items(vocab, &entry);
                    (entry, items)
                })
                .collect();
        let titles: FastMap<String, Vec<String>> =
            distinct(&mut seekers.iter().flat_map(|s| s.titles.iter()))
                .into_par_iter()
                .map(|title| {
                    let terms = text::terms(&title);
                    (title, terms)
                })
                .collect();

        // Every term a query asks the frequency of: the canonical skills,
        // the skills they imply, the title terms.
        let mut terms: FastMap<Term, ()> = FastMap::default();
        for (_, c) in entries.values().flatten() {
            terms.insert(skill_term(fields, c), ());
            for implied in vocab.of_term(c).map(|s| vocab.implied(s.id)).unwrap_or_default() {
                if let Some(skill) = vocab.get(implied) {
                    terms.insert(skill_term(fields, &text::fold(&skill.name)), ());
                }
            }
        }
        for t in titles.values().flatten() {
            terms.insert(Term::from_field_text(fields.title, t), ());
        }
        let doc_freqs = terms
            .into_keys()
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|term| Ok((snapshot.doc_freq(&term)?, term)))
            .collect::<Result<Vec<_>>>()?
            .into_iter()
            .map(|(n, term)| (term, n))
            .collect();
        Ok(TextMemo {
            entries,
            titles,
            doc_freqs,
        })
    }

    /// A term's document frequency, when known.
    pub fn doc_freq(&self, term: &Term) -> Option<u64> {
        self.doc_freqs.get(term).copied()
    }
}

impl KnownTexts for TextMemo {
    fn entry(&self, entry: &str) -> Option<&[(String, String)]> {
        self.entries.get(entry).map(Vec::as_slice)
    }

    fn title_terms(&self, title: &str) -> Option<&[String]> {
        self.titles.get(title).map(Vec::as_slice)
    }
}
