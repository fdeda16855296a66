//! A seeker's words as index terms: canonical skills and title words, cut
//! the way the index cut the vacancies'. Retrieval and ranking both start
//! from these.

use tantivy::Term;

use super::schema::Fields;
use crate::model::Seeker;
use crate::taxonomy::SkillVocabulary;
use crate::text;

/// One term of a seeker: what the seeker wrote, the index term, its text.
pub(crate) type SeekerTerm = (String, Term, String);

/// Seekers' texts already worked out: a skill entry's items with their
/// canonical terms ([`entry_items`]), a title's terms ([`text::terms`]);
/// `None` when not known.
pub(crate) trait KnownTexts {
    /// A skill entry's items with their canonical terms.
    fn entry(&self, entry: &str) -> Option<&[(String, String)]>;
    /// A title's terms.
    fn title_terms(&self, title: &str) -> Option<&[String]>;
}

/// The seeker's distinct canonical skills (each entry's [`entry_items`])
/// and distinct title terms
/// (segmented like the index's titles), in first-seen order; read from
/// `known` where it holds them (a batch's memo, `memo::TextMemo`).
pub(crate) fn seeker_terms(
    fields: &Fields,
    seeker: &Seeker,
    vocab: &SkillVocabulary,
    known: Option<&dyn KnownTexts>,
) -> (Vec<SeekerTerm>, Vec<SeekerTerm>) {
    let mut skill_terms: Vec<SeekerTerm> = Vec::new();
    let mut add_skill = |typed: &str, c: String| {
        if !skill_terms.iter().any(|(_, _, x)| *x == c) {
            skill_terms.push((typed.to_owned(), Term::from_field_text(fields.skills, &c), c));
        }
    };
    for entry in &seeker.skills {
        match known.and_then(|m| m.entry(entry)) {
            Some(items) => items.iter().for_each(|(typed, c)| add_skill(typed, c.clone())),
            None => entry_items(vocab, entry)
                .into_iter()
                .for_each(|(typed, c)| add_skill(&typed, c)),
        }
    }
    let mut title_terms: Vec<SeekerTerm> = Vec::new();
    let mut add_title = |t: &str| {
        if !title_terms.iter().any(|(_, _, x)| x == t) {
            title_terms.push((t.to_owned(), Term::from_field_text(fields.title, t), t.to_owned()));
        }
    };
    for title in &seeker.titles {
        match known.and_then(|m| m.title_terms(title)) {
            Some(terms) => terms.iter().for_each(|t| add_title(t)),
            None => text::terms(title).iter().for_each(|t| add_title(t)),
        }
    }
    (skill_terms, title_terms)
}

/// The items of a seeker's skill entry (an entry holding a list is its
/// items, [`text::list_items`]) with their canonical terms. An item the
/// vocabulary does not know is read as a registration's skill item is
/// (`会电焊` → 焊接, `不会驾驶` → none; `区块链养蜂` stays itself, an
/// unknown skill).
pub(crate) fn entry_items(vocab: &SkillVocabulary, entry: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for item in text::list_items(entry) {
        if let Some(skill) = vocab.lookup(item).and_then(|id| vocab.get(id)) {
            out.push((item.to_owned(), text::fold(&skill.name)));
        } else {
            out.extend(
                crate::ingest::item_skills(item)
                    .iter()
                    .map(|s| (item.to_owned(), vocab.canonical(s))),
            );
        }
    }
    out.retain(|(_, c)| !c.is_empty());
    out
}

/// The index term of a canonical skill.
pub(crate) fn skill_term(fields: &Fields, canonical: &str) -> Term {
    Term::from_field_text(fields.skills, canonical)
}

/// The index term of a place in the occupation hierarchy.
pub(crate) fn occupation_term(fields: &Fields, path_term: &str) -> Term {
    Term::from_field_text(fields.occupation_path, path_term)
}

/// BM25's IDF: `ln(1 + (N − df + ½) / (df + ½))`, from the whole snapshot:
/// the weight of a skill or title term in the skills and title signals.
pub(crate) fn idf(n: u64, df: u64) -> f64 {
    let n = n.max(df) as f64;
    let df = df as f64;
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}
