//! The skill vocabulary: canonical skills, their aliases, and occupations'
//! skill profiles.
//!
//! Vacancies and seekers list skills as free strings. [`SkillVocabulary::canonical`]
//! folds a string (width, case, spaces) and maps a known alias to its
//! canonical skill (`CNC` and `数控编程` → `数控`; `Java开发` → `Java`), so
//! that both sides of a match speak the same terms. Strings the vocabulary
//! does not know stay as their folded form: they still match each other.
//!
//! The vocabulary ships in `data/skills.csv`: about 65 cross-cutting skills
//! written by hand with English names and aliases, and a few thousand
//! keywords extracted from the CSCO 2022 definitions and task descriptions.
//! Each occupation's profile holds the keywords and hand-written skills
//! most specific to it by TF-IDF across all occupations (see
//! `data/tools/extract_skills.py`); only [`GENERIC_SKILLS`] may sit in many
//! profiles.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::taxonomy::occupation::{OccupationCode, taxonomy};
use crate::text::fold;

/// Skills that many kinds of work need (soft skills, office software,
/// operating and maintaining equipment, safety, inspection) or that name a
/// kind of work across manufacturing and construction (assembly, packaging,
/// site work). Any other skill is in at most [`MAX_SPECIFIC_SHARE`] of the
/// occupations' profiles.
pub const GENERIC_SKILLS: [&str; 10] = [
    "沟通能力",
    "团队合作",
    "办公软件",
    "设备操作",
    "设备维护",
    "安全生产",
    "质量检验",
    "装配",
    "包装",
    "施工管理",
];

/// The largest share of occupation profiles a skill outside
/// [`GENERIC_SKILLS`] appears in.
pub const MAX_SPECIFIC_SHARE: f64 = 0.05;

/// Position of a canonical skill in the vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SkillId(pub u32);

impl fmt::Display for SkillId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match skills().get(*self) {
            Some(s) => f.write_str(&s.name),
            None => write!(f, "skill #{}", self.0),
        }
    }
}

/// How widely a skill applies, after ESCO's skill reusability levels
/// (transversal, cross-sector, sector-specific, occupation-specific), plus
/// licences and certificates, which employers here ask for by name.
///
/// The kind decides how much a skill says: a transversal skill (吃苦耐劳,
/// 沟通能力) weighs little in the skills signal and is no evidence of an
/// occupation; a licence (C1驾照, 焊工证) is the strongest evidence of one.
/// The shipped vocabulary's kinds and how each was assigned are in
/// `data/skills.csv` (`kind`, `kind_basis`; `data/tools/assign_kinds.py`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkillKind {
    /// Applied within one occupation and its specialisms (数控, Java).
    Occupation,
    /// Specific to one broad sector of work, in several of its occupations
    /// (焊接, 设备维护).
    Sector,
    /// Relevant to occupations across several sectors (办公软件, CAD).
    CrossSector,
    /// A personal quality or social skill relevant to nearly any work
    /// (吃苦耐劳, 团队合作, 沟通能力).
    Transversal,
    /// A licence or certificate (C1驾照, 焊工证, 护士资格证).
    Licence,
}

impl SkillKind {
    /// Its name in the data and in explanations (`cross_sector`, `licence` …).
    pub const fn name(self) -> &'static str {
        match self {
            SkillKind::Occupation => "occupation",
            SkillKind::Sector => "sector",
            SkillKind::CrossSector => "cross_sector",
            SkillKind::Transversal => "transversal",
            SkillKind::Licence => "licence",
        }
    }
}

/// A canonical skill.
#[derive(Debug, Clone)]
pub struct Skill {
    /// Its id.
    pub id: SkillId,
    /// Canonical (Chinese, or the usual Latin) name.
    pub name: String,
    /// English name, when the vocabulary has one.
    pub name_en: Option<String>,
    /// Other names job boards use for it.
    pub aliases: Vec<String>,
    /// How widely it applies.
    pub kind: SkillKind,
    /// How the kind was assigned (a hand list, or the profiles that hold
    /// the skill), as the data says it.
    pub kind_basis: String,
    /// Skills that holding this one implies (a 焊工证 holder can weld; an
    /// A2 licence covers B2 and C1), directly; see
    /// [`SkillVocabulary::implied`] for the closure.
    pub implies: Vec<SkillId>,
}

/// Canonical skills with alias lookups and occupation profiles.
#[derive(Debug)]
pub struct SkillVocabulary {
    skills: Vec<Skill>,
    by_folded: HashMap<String, SkillId>,
    profiles: HashMap<u32, Vec<SkillId>>,
}

/// Suffixes that job boards add to a skill without changing it
/// (`Java开发`, `焊工证`, `沟通能力`): tried when a string is not known as is.
const NOISE_SUFFIXES: [&str; 9] = [
    "开发", "编程", "技术", "能力", "经验", "证书", "证", "操作", "技能",
];

/// Suffixes a licence or certificate is written with (`焊工资格证书`,
/// `叉车证书`, `电工上岗证`), longest first.
const LICENCE_SUFFIXES: [&str; 8] = [
    "资格证书",
    "执业证书",
    "资格证",
    "执业证",
    "上岗证",
    "操作证",
    "证书",
    "执照",
];

/// The class of a driving licence written as one (`c1`, `c1驾照`,
/// `驾照c1`, `b2驾驶证`, `a2照`), folded (`c1`); `None` for anything else.
/// The string is folded and without spaces.
fn driving_class(compact: &str) -> Option<String> {
    const WORDS: [&str; 7] = ["机动车驾驶证", "驾驶执照", "驾驶证", "驾照", "证", "照", "牌"];
    let mut rest = compact
        .trim_start_matches("持有")
        .trim_start_matches('持')
        .trim_start_matches('有');
    for w in WORDS {
        if let Some(r) = rest.strip_prefix(w) {
            rest = r;
            break;
        }
    }
    let bytes = rest.as_bytes();
    let (&letter, &digit) = (bytes.first()?, bytes.get(1)?);
    if !matches!(letter, b'a' | b'b' | b'c') || !matches!(digit, b'1'..=b'3') {
        return None;
    }
    let tail = rest.get(2..)?;
    if !(tail.is_empty() || WORDS.contains(&tail) || tail == "类驾照" || tail == "类驾驶证") {
        return None;
    }
    Some(format!("{}{}", char::from(letter), char::from(digit)))
}

/// The vocabulary shipped with the crate (parsed once, on first use).
// The shipped tables are compiled in and parsed by the tests: they cannot
// fail here, whatever a user supplies.
#[allow(clippy::expect_used)]
pub fn skills() -> &'static SkillVocabulary {
    static SKILLS: OnceLock<SkillVocabulary> = OnceLock::new();
    SKILLS.get_or_init(|| {
        SkillVocabulary::from_csv(
            include_str!("../../data/skills.csv"),
            include_str!("../../data/occupation_skills.csv"),
        )
        .expect("the shipped skill data is valid (checked by tests)")
    })
}

impl SkillVocabulary {
    /// Reads a vocabulary from CSV text in the format of the shipped
    /// `data/skills.csv` (name, English name, `|`-separated aliases) and
    /// `data/occupation_skills.csv` (occupation code, `|`-separated skills).
    /// Occupation codes must be valid (shipped or registered).
    ///
    /// # Errors
    /// [`Error::Corrupt`] naming the file and the first bad row.
    pub fn from_csv(skills_csv: &str, profiles_csv: &str) -> Result<SkillVocabulary> {
        #[derive(Deserialize)]
        struct SkillRow {
            name: String,
            name_en: String,
            aliases: String,
            // Vocabularies written before kinds existed have no such
            // columns: their skills are occupation-specific.
            #[serde(default)]
            kind: Option<SkillKind>,
            #[serde(default)]
            kind_basis: String,
            #[serde(default)]
            implies: String,
        }
        #[derive(Deserialize)]
        struct ProfileRow {
            code: String,
            skills: String,
        }
        let corrupt = |file: &str, e: &dyn fmt::Display| Error::Corrupt {
            reason: format!("{file}: {e}"),
        };
        let mut skills = Vec::new();
        let mut by_folded = HashMap::new();
        let mut implied_names: Vec<(SkillId, String)> = Vec::new();
        for row in csv::Reader::from_reader(skills_csv.as_bytes()).deserialize::<SkillRow>() {
            let row = row.map_err(|e| corrupt("data/skills.csv", &e))?;
            let kind = row.kind.unwrap_or(SkillKind::Occupation);
            let id = SkillId(skills.len() as u32);
            let aliases: Vec<String> = row
                .aliases
                .split('|')
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect();
            // A name or alias holding a list separator could never be met:
            // seekers' and vacancies' entries are split there.
            if let Some(listed) = std::iter::once(&row.name)
                .chain(&aliases)
                .chain(std::iter::once(&row.name_en))
                .find(|n| n.contains(crate::text::LIST_SEPARATORS))
            {
                return Err(corrupt(
                    "data/skills.csv",
                    &format!(
                        "skill `{}`: `{listed}` holds a list separator (one of 、，,；;)",
                        row.name
                    ),
                ));
            }
            // The canonical name wins over an alias of another skill.
            by_folded.insert(fold(&row.name), id);
            for a in aliases.iter().chain(std::iter::once(&row.name_en)) {
                if !a.is_empty() {
                    by_folded.entry(fold(a)).or_insert(id);
                }
            }
            for implied in row.implies.split('|').filter(|s| !s.is_empty()) {
                implied_names.push((id, implied.to_owned()));
            }
            skills.push(Skill {
                id,
                name: row.name,
                name_en: (!row.name_en.is_empty()).then_some(row.name_en),
                aliases,
                kind,
                kind_basis: row.kind_basis,
                implies: Vec::new(),
            });
        }
        for (id, name) in implied_names {
            let target = by_folded.get(&fold(&name)).copied().ok_or_else(|| {
                corrupt(
                    "data/skills.csv",
                    &format!("skill #{} implies unknown skill `{name}`", id.0),
                )
            })?;
            if let Some(skill) = skills.get_mut(id.0 as usize)
                && target != id
                && !skill.implies.contains(&target)
            {
                skill.implies.push(target);
            }
        }
        let mut vocab = SkillVocabulary {
            skills,
            by_folded,
            profiles: HashMap::new(),
        };
        for row in csv::Reader::from_reader(profiles_csv.as_bytes()).deserialize::<ProfileRow>() {
            let row = row.map_err(|e| corrupt("data/occupation_skills.csv", &e))?;
            let code: OccupationCode = row
                .code
                .parse()
                .map_err(|e| corrupt("data/occupation_skills.csv", &e))?;
            let ids = row
                .skills
                .split('|')
                .filter(|s| !s.is_empty())
                .map(|s| {
                    vocab
                        .lookup(s)
                        .ok_or_else(|| corrupt("data/occupation_skills.csv", &format!("unknown skill `{s}`")))
                })
                .collect::<Result<Vec<_>>>()?;
            vocab.profiles.insert(code.packed(), ids);
        }
        Ok(vocab)
    }

    /// Number of canonical skills.
    pub fn len(&self) -> usize {
        self.skills.len()
    }

    /// Whether the vocabulary is empty (never, for the shipped one).
    pub fn is_empty(&self) -> bool {
        self.skills.is_empty()
    }

    /// Every canonical skill.
    pub fn all(&self) -> &[Skill] {
        &self.skills
    }

    /// The skill with this id; `None` for an id that did not come from this
    /// vocabulary.
    pub fn get(&self, id: SkillId) -> Option<&Skill> {
        self.skills.get(id.0 as usize)
    }

    /// The canonical skill a free string names, if the vocabulary knows it
    /// (by canonical name, English name or alias, width, case and spaces
    /// folded; a driving licence by its class, `Ｃ１`, `c1驾驶证`, `驾照C1`;
    /// a licence by its stem, `焊工资格证书` as `焊工证`; or after dropping a
    /// suffix such as `开发` or `证`).
    ///
    /// ```
    /// use jobmatch::taxonomy::skills;
    /// let v = skills();
    /// let c1 = v.lookup("C1驾照");
    /// assert!(c1.is_some());
    /// assert_eq!(v.lookup("Ｃ１"), c1);
    /// assert_eq!(v.lookup("c1 驾驶证"), c1);
    /// assert_eq!(v.lookup("驾照C1"), c1);
    /// assert_eq!(v.lookup("焊工资格证书"), v.lookup("焊工证"));
    /// assert_ne!(v.lookup("焊工证"), v.lookup("焊接"));
    /// ```
    pub fn lookup(&self, s: &str) -> Option<SkillId> {
        let folded = fold(s);
        if let Some(&id) = self.by_folded.get(&folded) {
            return Some(id);
        }
        let compact: String = folded.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(&id) = self.by_folded.get(&compact) {
            return Some(id);
        }
        if let Some(class) = driving_class(&compact)
            && let Some(&id) = self.by_folded.get(&format!("{class}驾照"))
        {
            return Some(id);
        }
        // A licence written with another suffix: its stem with `证`, then
        // the stem itself (`叉车证书` → `叉车证`, `护士资格证书` → `护士证`).
        for suffix in LICENCE_SUFFIXES {
            if let Some(stem) = compact.strip_suffix(suffix).filter(|stem| !stem.is_empty()) {
                for candidate in [format!("{stem}证"), stem.to_owned()] {
                    if let Some(&id) = self.by_folded.get(&candidate) {
                        return Some(id);
                    }
                }
            }
        }
        NOISE_SUFFIXES.iter().find_map(|suffix| {
            compact
                .strip_suffix(suffix)
                .filter(|stem| !stem.is_empty())
                .and_then(|stem| self.by_folded.get(stem).copied())
        })
    }

    /// The skill of a canonical skill term (as [`SkillVocabulary::canonical`]
    /// gives it, already folded: no parsing); `None` for a term the
    /// vocabulary does not know.
    pub fn of_term(&self, term: &str) -> Option<&Skill> {
        self.by_folded.get(term).and_then(|&id| self.get(id))
    }

    /// How a user reads a canonical skill term: the vocabulary's name of
    /// its skill (`Excel` for the index's `excel`), or the term itself when
    /// the vocabulary does not know it.
    pub fn name_of_term<'a>(&'a self, term: &'a str) -> &'a str {
        self.of_term(term).map_or(term, |s| s.name.as_str())
    }

    /// The kind of a canonical skill term; `None` for a term the
    /// vocabulary does not know.
    pub fn kind_of_term(&self, term: &str) -> Option<SkillKind> {
        self.of_term(term).map(|s| s.kind)
    }

    /// The skills that holding `id` implies, directly or through others
    /// (an A2 licence: B1, B2, C1, C2 and 驾驶), without `id` itself, in
    /// the order found.
    pub fn implied(&self, id: SkillId) -> Vec<SkillId> {
        let mut out: Vec<SkillId> = Vec::new();
        let mut next = 0;
        let mut frontier = vec![id];
        while let Some(&at) = frontier.get(next) {
            next += 1;
            for &j in self.get(at).map(|s| s.implies.as_slice()).unwrap_or_default() {
                if j != id && !out.contains(&j) {
                    out.push(j);
                    frontier.push(j);
                }
            }
        }
        out
    }

    /// The term a skill string is indexed and matched under: the canonical
    /// name (folded) when the vocabulary knows it, else the folded string.
    ///
    /// ```
    /// use jobmatch::taxonomy::skills;
    /// assert_eq!(skills().canonical("ＣＮＣ"), skills().canonical("数控"));
    /// assert_eq!(skills().canonical("Java开发"), "java");
    /// assert_eq!(skills().canonical(" 某种新技能 "), "某种新技能");
    /// ```
    pub fn canonical(&self, s: &str) -> String {
        match self.lookup(s).and_then(|id| self.get(id)) {
            Some(skill) => fold(&skill.name),
            None => fold(s),
        }
    }

    /// The distinct non-empty canonical terms of a list of skill entries
    /// (an entry holding a list, `焊接，电焊`, is its items,
    /// [`crate::text::list_items`]), in first-seen order: the skill terms a
    /// vacancy is indexed with.
    pub fn canonical_distinct<S: AsRef<str>>(&self, skills: &[S]) -> Vec<String> {
        let mut seen: Vec<String> = Vec::with_capacity(skills.len());
        for item in skills.iter().flat_map(|s| crate::text::list_items(s.as_ref())) {
            let term = self.canonical(item);
            if !term.is_empty() && !seen.contains(&term) {
                seen.push(term);
            }
        }
        seen
    }

    /// The skills typical of an occupation, most characteristic first
    /// (empty for group codes and occupations without a profile).
    pub fn profile(&self, code: OccupationCode) -> &[SkillId] {
        self.profiles
            .get(&code.packed())
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// Occupations that have a skill profile.
    pub fn profiled_occupations(&self) -> impl Iterator<Item = OccupationCode> + '_ {
        taxonomy()
            .occupations()
            .map(|o| o.code)
            .filter(|c| self.profiles.contains_key(&c.packed()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_few_thousand_skills_and_a_profile_per_occupation() {
        let v = skills();
        assert!((2_000..20_000).contains(&v.len()), "{}", v.len());
        assert_eq!(v.profiled_occupations().count(), taxonomy().occupations().count());
        let welder: OccupationCode = "6-18-02-04".parse().unwrap();
        let names: Vec<&str> = v
            .profile(welder)
            .iter()
            .map(|&id| v.get(id).unwrap().name.as_str())
            .collect();
        assert!(names.contains(&"焊接"), "{names:?}");
    }

    #[test]
    fn profiles_are_distinctive() {
        let v = skills();
        let occupations: Vec<OccupationCode> = v.profiled_occupations().collect();
        let mut reach: HashMap<SkillId, usize> = HashMap::new();
        for &o in &occupations {
            let profile = v.profile(o);
            assert!(!profile.is_empty(), "{o} has an empty profile");
            let mut seen = profile.to_vec();
            seen.sort();
            seen.dedup();
            assert_eq!(seen.len(), profile.len(), "{o} lists a skill twice");
            for &id in profile {
                *reach.entry(id).or_default() += 1;
            }
        }
        let limit = (MAX_SPECIFIC_SHARE * occupations.len() as f64) as usize;
        for (id, n) in reach {
            let name = v.get(id).unwrap().name.as_str();
            assert!(
                GENERIC_SKILLS.contains(&name) || n <= limit,
                "{name} is in {n} profiles (limit {limit})"
            );
        }
        // Software and licences only where the work names them: no
        // programming language among the profiles of cooks, drivers and
        // farm workers (major groups 4-03, 4-02, 5).
        let software: Vec<SkillId> = ["Java", "Python", "C++", "SQL"]
            .iter()
            .filter_map(|s| v.lookup(s))
            .collect();
        assert_eq!(software.len(), 4);
        for &o in &occupations {
            let code = o.to_string();
            if code.starts_with("4-03") || code.starts_with("4-02") || code.starts_with('5') {
                assert!(
                    !v.profile(o).iter().any(|id| software.contains(id)),
                    "{code}: {:?}",
                    v.profile(o)
                );
            }
        }
    }

    #[test]
    fn kinds_are_read_and_checked() {
        let profiles = "code,skills\n";
        let v = SkillVocabulary::from_csv("name,name_en,aliases\n焊接,,\n", profiles).unwrap();
        assert_eq!(
            v.get(SkillId(0)).unwrap().kind,
            SkillKind::Occupation,
            "no kind column"
        );
        let csv = "name,name_en,aliases,kind,kind_basis,implies\n焊接,,,sector,x,\n焊工证,,,licence,y,焊接\n";
        let v = SkillVocabulary::from_csv(csv, profiles).unwrap();
        assert_eq!(v.get(SkillId(1)).unwrap().kind, SkillKind::Licence);
        assert_eq!(v.implied(SkillId(1)), vec![SkillId(0)]);
        let bad = "name,name_en,aliases,kind,kind_basis,implies\n焊接,,,soft-ish,x,\n";
        assert!(matches!(
            SkillVocabulary::from_csv(bad, profiles),
            Err(Error::Corrupt { .. })
        ));
        let dangling = "name,name_en,aliases,kind,kind_basis,implies\n焊工证,,,licence,y,焊接\n";
        assert!(matches!(
            SkillVocabulary::from_csv(dangling, profiles),
            Err(Error::Corrupt { .. })
        ));
    }

    #[test]
    fn aliases_fold_to_one_skill() {
        let v = skills();
        let cnc = v.lookup("数控").unwrap();
        assert_eq!(v.lookup("CNC"), Some(cnc));
        assert_eq!(v.lookup("ｃｎｃ"), Some(cnc));
        assert_eq!(v.lookup("数控编程"), Some(cnc));
        assert_eq!(v.get(cnc).unwrap().name_en.as_deref(), Some("CNC"));
        assert_eq!(v.lookup("Java开发"), v.lookup("java"));
        assert_eq!(v.lookup("电焊"), v.lookup("焊接"));
        // A licence is its own skill, which implies the skill.
        let licence = v.lookup("叉车证").unwrap();
        assert_ne!(Some(licence), v.lookup("叉车"));
        assert_eq!(v.get(licence).unwrap().kind, SkillKind::Licence);
        assert_eq!(v.implied(licence), vec![v.lookup("叉车").unwrap()]);
        assert_eq!(v.lookup("no such skill at all"), None);
    }
}
