//! Near-duplicate postings in a load: the same job arriving twice under
//! different ids, as when Sichuan's and Chongqing's feeds both carry it,
//! with the title dressed differently (`急招…`, `…（五险一金）`) and the
//! skills in another order.
//!
//! Two postings are one job when everything that makes a job is equal —
//! employer, place, the title once its asides are cleaned away (the title
//! coder's cleaning, folded), pay, education, experience, headcount,
//! occupation, remoteness — and their skills overlap by
//! [`MIN_SKILL_OVERLAP`] (Jaccard). An exact key on the normalised fields
//! suffices here (no MinHash): the fields that differ between feeds are the
//! noisy ones, and cleaning removes that noise. A posting without an
//! employer is never a duplicate.

use std::collections::HashMap;

use crate::model::Vacancy;
use crate::taxonomy::classify::clean;
use crate::text::fold;

/// Share of their skills (Jaccard) two postings with the same key must
/// share to be one job.
pub const MIN_SKILL_OVERLAP: f64 = 0.8;

/// The postings of a load so far, by key.
#[derive(Default)]
pub(crate) struct Duplicates {
    seen: HashMap<String, Vec<(String, Vec<String>)>>,
}

/// The normalised fields two postings of one job share, or `None` without
/// an employer.
fn key(v: &Vacancy) -> Option<String> {
    let employer = fold(v.employer.as_deref()?);
    if employer.trim().is_empty() {
        return None;
    }
    let title: String = clean(&v.title).chars().filter(|c| !c.is_whitespace()).collect();
    Some(format!(
        "{employer}\u{1f}{}\u{1f}{title}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}\u{1f}{}\u{1f}{:?}\u{1f}{}",
        v.region,
        v.salary_min,
        v.salary_max,
        v.education,
        v.experience_years,
        v.headcount,
        v.occupation,
        v.remote
    ))
}

/// Folded, sorted, distinct skills.
fn skill_set(v: &Vacancy) -> Vec<String> {
    let mut s: Vec<String> = v.skills.iter().map(|x| fold(x)).collect();
    s.sort();
    s.dedup();
    s
}

/// Jaccard overlap of two sorted sets (1 for two empty ones).
fn overlap(a: &[String], b: &[String]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut a_it, mut b_it) = (a.iter().peekable(), b.iter().peekable());
    let mut both = 0usize;
    while let (Some(x), Some(y)) = (a_it.peek(), b_it.peek()) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => {
                a_it.next();
            }
            std::cmp::Ordering::Greater => {
                b_it.next();
            }
            std::cmp::Ordering::Equal => {
                both += 1;
                a_it.next();
                b_it.next();
            }
        }
    }
    both as f64 / (a.len() + b.len() - both) as f64
}

impl Duplicates {
    /// The id of an earlier posting of the same job in this load, if any;
    /// otherwise remembers this one.
    pub(crate) fn earlier(&mut self, v: &Vacancy) -> Option<String> {
        let key = key(v)?;
        let skills = skill_set(v);
        let bucket = self.seen.entry(key).or_default();
        if let Some((id, _)) = bucket
            .iter()
            .find(|(id, s)| *id != v.id && overlap(s, &skills) >= MIN_SKILL_OVERLAP)
        {
            return Some(id.clone());
        }
        bucket.push((v.id.clone(), skills));
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posting(id: &str, title: &str, skills: &[&str]) -> Vacancy {
        let mut v = Vacancy::new(id, title, "500107".parse().unwrap()).unwrap();
        v.employer = Some("重庆某机械厂".into());
        v.skills = skills.iter().map(|s| (*s).to_owned()).collect();
        v
    }

    #[test]
    fn the_same_job_dressed_differently_is_one() {
        let mut d = Duplicates::default();
        assert_eq!(
            d.earlier(&posting("a", "焊工", &["焊接", "氩弧焊", "识图", "安全", "电焊"])),
            None
        );
        let again = posting(
            "b",
            "急招焊工（五险一金）",
            &["电焊", "焊接", "氩弧焊", "识图", "安全"],
        );
        assert_eq!(d.earlier(&again), Some("a".into()));
        // Another title, other skills, another employer: other jobs.
        assert_eq!(d.earlier(&posting("c", "电工", &["焊接"])), None);
        assert_eq!(d.earlier(&posting("d", "焊工", &["驾驶", "搬运"])), None);
        let mut elsewhere = posting("e", "焊工", &["焊接", "氩弧焊", "识图", "安全", "电焊"]);
        elsewhere.employer = Some("另一家厂".into());
        assert_eq!(d.earlier(&elsewhere), None);
        let mut nobody = posting("f", "焊工", &["焊接"]);
        nobody.employer = None;
        assert_eq!(d.earlier(&nobody), None);
    }
}
