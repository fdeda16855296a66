//! Skills from text: vocabulary skills and licences found in titles,
//! descriptions and seekers' free skill strings, each with where it came
//! from.
//!
//! The text is folded (full width, case) and scanned for the vocabulary's
//! names and aliases, the longest at each position (a Latin name only as a
//! whole word), and for driving-licence classes written around 驾照 /
//! 驾驶证 (`C1以上驾照`, `驾照C1`). A description is read by sections: a
//! skill under 福利待遇 or 公司介绍 is not a requirement, nor one in a
//! clause that says it is not needed (`无需`, `不要求`, `不限`), nor a rule
//! the job keeps (`遵守安全生产规定`, `按照公司规章制度`).

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

use crate::taxonomy::{SkillId, skills};
use crate::text::{fold_char, word_starts};

/// Where in a record a skill was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The job title (or a seeker's desired job).
    Title,
    /// The description (or a seeker's self-description).
    Description,
    /// A free skills string.
    Skills,
}

impl Field {
    /// How an explanation says it: `asked for in the description`.
    pub fn name(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Description => "description",
            Field::Skills => "skills",
        }
    }
}

/// One skill found in text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Found {
    /// The vocabulary's name for it.
    pub skill: String,
    /// The field it was found in.
    pub field: Field,
    /// Byte range of the mention in the field's text.
    pub start: usize,
    /// End of the mention (exclusive).
    pub end: usize,
    /// The clause it was found in, as written (for explanations:
    /// "asked for in the description: 熟练使用氩弧焊").
    pub clause: String,
}

/// A mention that was not taken as a skill, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Passed {
    /// The vocabulary's name for it.
    pub skill: String,
    /// Why: `under 福利待遇`, `negated: 无需`.
    pub reason: String,
}

/// What extraction found in one text.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Extraction {
    /// Skills taken, in order of first mention, each once.
    pub found: Vec<Found>,
    /// Mentions passed over.
    pub passed: Vec<Passed>,
}

/// Section headers of a posting's description and whether what is under
/// them states requirements.
const SECTIONS: [(&str, bool); 22] = [
    ("岗位职责", true),
    ("工作职责", true),
    ("职位描述", true),
    ("岗位描述", true),
    ("工作内容", true),
    ("任职要求", true),
    ("任职资格", true),
    ("岗位要求", true),
    ("职位要求", true),
    ("招聘要求", true),
    ("技能要求", true),
    ("福利待遇", false),
    ("薪资福利", false),
    ("员工福利", false),
    ("福利", false),
    ("待遇", false),
    ("公司介绍", false),
    ("公司简介", false),
    ("企业简介", false),
    ("关于我们", false),
    ("联系方式", false),
    ("工作地点", false),
];

/// Words that make a clause say a skill is not needed (a posting) or not
/// held (a seeker: `不会焊接`, `没有叉车证`).
const NEGATIONS: [&str; 12] = [
    "无需",
    "无须",
    "不需要",
    "不需",
    "不要求",
    "不限",
    "不必",
    "可培养",
    "不会",
    "不懂",
    "不熟悉",
    "没有",
];

/// Verbs of compliance: what follows them closely is a rule the job
/// keeps (`遵守安全生产规定`, `按照公司规章制度`), not a skill it asks for.
const COMPLIANCE: [&str; 6] = ["遵守", "遵循", "遵照", "按照", "依照", "执行"];

/// How many characters may stand between a verb of compliance and the
/// rule it governs (`遵守公司各项规章制度`).
const COMPLIANCE_GAP: usize = 4;

/// Whether a section header, a negation or a verb of compliance may start
/// with `c`: the scan compares the lists only where one may (a test keeps
/// this in step with them).
#[inline]
fn may_start_cue(c: char) -> bool {
    matches!(
        c,
        '岗' | '工'
            | '职'
            | '任'
            | '招'
            | '技'
            | '福'
            | '薪'
            | '员'
            | '待'
            | '公'
            | '企'
            | '关'
            | '联'
            | '无'
            | '不'
            | '没'
            | '可'
            | '遵'
            | '按'
            | '依'
            | '执'
    )
}

/// Ends of clauses.
fn is_clause_end(c: char) -> bool {
    matches!(
        c,
        '，' | '。' | '；' | ';' | ',' | '！' | '!' | '？' | '?' | '\n' | '\r' | '、' | '|'
    )
}

/// The vocabulary's names and aliases, folded, by their first two
/// characters, longest first.
struct Dictionary {
    by_prefix: HashMap<(char, char), Vec<Name>>,
}

/// A name, folded, as characters, and its skill.
type Name = (Vec<char>, SkillId);

fn dictionary() -> &'static Dictionary {
    static DICT: OnceLock<Dictionary> = OnceLock::new();
    DICT.get_or_init(|| {
        let mut by_prefix: HashMap<(char, char), Vec<Name>> = HashMap::new();
        for skill in skills().all() {
            for name in std::iter::once(&skill.name).chain(&skill.aliases) {
                let folded = crate::text::fold(name);
                // An education level (`专科`, `本科`) is the education
                // field's, not a skill, wherever a posting writes it.
                if super::levels::EDUCATION_WORDS.iter().any(|(w, _)| *w == folded) {
                    continue;
                }
                let chars: Vec<char> = folded.chars().filter(|c| !c.is_whitespace()).collect();
                if let [a, b, ..] = chars.as_slice() {
                    by_prefix
                        .entry((*a, *b))
                        .or_default()
                        .push((chars.clone(), skill.id));
                }
            }
        }
        for list in by_prefix.values_mut() {
            list.sort_by_key(|n| std::cmp::Reverse(n.0.len()));
            list.dedup_by(|a, b| a.0 == b.0);
        }
        Dictionary { by_prefix }
    })
}

/// Folds one character for matching: width and case.
fn fold_match(c: char) -> char {
    let c = fold_char(c);
    if c.is_ascii() { c.to_ascii_lowercase() } else { c }
}

/// Words that open a posting's title without naming the job (`招聘`,
/// `急招`), longest first: `招聘` is also an alias of 人力资源.
const TITLE_OPENERS: [&str; 9] = [
    "高薪诚聘",
    "高薪招聘",
    "长期招聘",
    "招聘",
    "诚聘",
    "急招",
    "直招",
    "热招",
    "急聘",
];

/// A title as the job it names: recruiting words before it and bracketed
/// notes (`【双休】`, `（五险一金）`) removed.
///
/// ```
/// assert_eq!(jobmatch::ingest::job_of_title("急招：叉车司机【双休】"), "叉车司机");
/// ```
pub fn job_of_title(title: &str) -> String {
    let mut t = title.trim();
    for w in TITLE_OPENERS {
        if let Some(rest) = t.strip_prefix(w) {
            t = rest.trim_start_matches([':', '：', ' ']);
            break;
        }
    }
    let mut out = String::with_capacity(t.len());
    let mut depth = 0usize;
    for c in t.chars() {
        match c {
            '【' | '（' | '(' | '[' => depth += 1,
            '】' | '）' | ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Extracts the skills of one field's text (a title's recruiting words and
/// bracketed notes are not read: see [`job_of_title`]).
///
/// ```
/// use jobmatch::ingest::{Field, extract_skills};
/// let text = "任职要求：熟练使用氩弧焊，持C1驾照优先。福利待遇：免费学习叉车";
/// let e = extract_skills(text, Field::Description);
/// let names: Vec<&str> = e.found.iter().map(|f| f.skill.as_str()).collect();
/// assert!(names.contains(&"C1驾照"), "{names:?}");
/// assert!(!names.contains(&"叉车"), "{names:?}");
/// ```
pub fn extract_skills(text: &str, field: Field) -> Extraction {
    if field != Field::Title {
        return extract(text, field, true);
    }
    let job = job_of_title(text);
    let mut e = extract(&job, Field::Title, false);
    if job != text {
        // Spans point into the job's text when it is one piece of the
        // title, else at the title's start.
        let at = text.find(job.as_str());
        for f in &mut e.found {
            match at {
                Some(at) => (f.start, f.end) = (f.start + at, f.end + at),
                None => (f.start, f.end) = (0, 0),
            }
        }
    }
    e
}

/// Extraction proper. With `bounded`, a name of two Chinese characters is
/// taken only as a whole word (a description's `调试员工作` holds no `员工`);
/// a title is a compound job name, in which `电焊工` does hold `电焊`.
fn extract(text: &str, field: Field, bounded: bool) -> Extraction {
    let vocab = skills();
    let dict = dictionary();
    // Characters with their byte offsets, folded for matching; spaces out.
    let chars: Vec<(usize, char)> = text
        .char_indices()
        .map(|(i, c)| (i, fold_match(c)))
        .filter(|(_, c)| !c.is_whitespace())
        .collect();
    let folded: Vec<char> = chars.iter().map(|(_, c)| *c).collect();
    // Word boundaries, for names of two characters: `员工` is not in
    // `调试员工作`, nor `装工` in `安装工`. Longer names are specific enough.
    let starts = if bounded {
        word_starts(&folded.iter().collect::<String>())
    } else {
        Vec::new()
    };
    let at_boundary = |i: usize| starts.get(i).copied().unwrap_or(true);
    let byte_at = |i: usize| chars.get(i).map_or(text.len(), |(b, _)| *b);
    let mut out = Extraction::default();
    let mut requirement = true;
    let mut clause_start = 0;
    let mut negated = None::<&str>;
    // The last verb of compliance in the clause, and where it ends.
    let mut complies = None::<(&str, usize)>;
    let mut i = 0;
    while i < folded.len() {
        let c = folded.get(i).copied().unwrap_or(' ');
        let cue = may_start_cue(c);
        // A section header switches what the text under it states.
        if let Some((header, states)) = SECTIONS
            .iter()
            .filter(|_| cue)
            .find(|(h, _)| starts_with(&folded, i, h))
        {
            requirement = *states;
            i += header.chars().count();
            continue;
        }
        if is_clause_end(c) {
            clause_start = i + 1;
            negated = None;
            complies = None;
            i += 1;
            continue;
        }
        if cue && negated.is_none() {
            negated = NEGATIONS.iter().copied().find(|n| starts_with(&folded, i, n));
        }
        if cue && let Some(verb) = COMPLIANCE.iter().copied().find(|v| starts_with(&folded, i, v)) {
            complies = Some((verb, i + verb.chars().count()));
        }
        let hit = licence_class(&folded, i).or_else(|| {
            longest(dict, &folded, i).filter(|(len, _)| {
                let cjk = folded.get(i).is_some_and(|c| crate::text::is_cjk(*c));
                *len > 2 || !cjk || (at_boundary(i) && at_boundary(i + len))
            })
        });
        let Some((len, id)) = hit else {
            i += 1;
            continue;
        };
        let Some(skill) = vocab.get(id) else {
            i += len;
            continue;
        };
        // A verb of compliance governs the first name after it only.
        let governed = complies
            .take()
            .filter(|(_, end)| i >= *end && i - end <= COMPLIANCE_GAP);
        let reason = if !requirement {
            Some("in a section that does not state requirements (福利待遇, 公司介绍 …)".to_owned())
        } else if let Some(n) = negated {
            Some(format!("negated: {n}"))
        } else {
            governed.map(|(v, _)| format!("a rule to follow: {v}"))
        };
        match reason {
            Some(reason) => out.passed.push(Passed {
                skill: skill.name.clone(),
                reason,
            }),
            None if out.found.iter().any(|f| f.skill == skill.name) => {}
            None => {
                let end_clause = (i..folded.len())
                    .find(|j| folded.get(*j).is_some_and(|c| is_clause_end(*c)))
                    .unwrap_or(folded.len());
                out.found.push(Found {
                    skill: skill.name.clone(),
                    field,
                    start: byte_at(i),
                    end: byte_at(i + len),
                    clause: text
                        .get(byte_at(clause_start)..byte_at(end_clause))
                        .unwrap_or("")
                        .trim()
                        .to_owned(),
                });
            }
        }
        i += len;
    }
    out
}

/// Whether `word` (folded) starts at position `i`.
fn starts_with(chars: &[char], i: usize, word: &str) -> bool {
    (i..).zip(word.chars()).all(|(j, w)| chars.get(j) == Some(&w))
}

/// The longest vocabulary name at `i`: its length in characters and skill.
/// A name that starts or ends with a Latin letter or digit must not run on
/// into one (`go` is not in `google`).
fn longest(dict: &Dictionary, chars: &[char], i: usize) -> Option<(usize, SkillId)> {
    let (a, b) = (chars.get(i)?, chars.get(i + 1)?);
    let list = dict.by_prefix.get(&(*a, *b))?;
    let word = |c: Option<&char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    list.iter().find_map(|(name, id)| {
        let end = i + name.len();
        let matches = chars.get(i..end) == Some(name.as_slice());
        let latin_start = name.first().is_some_and(char::is_ascii_alphanumeric);
        let latin_end = name.last().is_some_and(char::is_ascii_alphanumeric);
        let runs_in = latin_start && i > 0 && word(chars.get(i - 1));
        let runs_on = latin_end && word(chars.get(end));
        let bounded = !(runs_in || runs_on);
        (matches && bounded).then_some((name.len(), *id))
    })
}

/// A driving-licence class at `i` (`c1`, `b2` …) with 驾照 / 驾驶证 / 驾驶 /
/// 照 within three characters either side: the licence and the class's
/// length.
fn licence_class(chars: &[char], i: usize) -> Option<(usize, SkillId)> {
    let (l, d) = (*chars.get(i)?, *chars.get(i + 1)?);
    if !matches!(l, 'a' | 'b' | 'c') || !matches!(d, '1'..='3') {
        return None;
    }
    if i > 0 && chars.get(i - 1).is_some_and(char::is_ascii_alphanumeric) {
        return None;
    }
    if chars.get(i + 2).is_some_and(char::is_ascii_alphanumeric) {
        return None;
    }
    let near = |c: &char| matches!(c, '驾' | '照');
    let before = chars
        .get(i.saturating_sub(3)..i)
        .is_some_and(|w| w.iter().any(near));
    let after = chars
        .get(i + 2..(i + 6).min(chars.len()))
        .is_some_and(|w| w.iter().any(near));
    if !(before || after) {
        return None;
    }
    // Take the licence words after the class too, so they are not matched
    // again as 驾照 (the C1 alias).
    let mut len = 2;
    for w in [
        "驾驶执照",
        "驾驶证",
        "驾照",
        "以上驾照",
        "及以上驾照",
        "以上驾驶证",
        "照",
    ] {
        if starts_with(chars, i + 2, w) {
            len = 2 + w.chars().count();
            break;
        }
    }
    skills().lookup(&format!("{l}{d}驾照")).map(|id| (len, id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<String> {
        extract_skills(text, Field::Description)
            .found
            .into_iter()
            .map(|f| f.skill)
            .collect()
    }

    #[test]
    fn skills_and_licences_in_prose() {
        let got = names("岗位职责：负责焊接作业，会使用叉车者优先；任职要求：持Ｃ１驾照，有焊工证");
        for want in ["焊接", "叉车", "C1驾照", "焊工证"] {
            assert!(got.iter().any(|g| g == want), "{want} not in {got:?}");
        }
        assert!(names("驾照C1以上，会开车").iter().any(|g| g == "C1驾照"));
        assert!(names("要求B2驾驶证").iter().any(|g| g == "B2驾照"));
    }

    #[test]
    fn benefits_company_and_negations_are_not_requirements() {
        let e = extract_skills(
            "任职要求：熟悉焊接。福利待遇：公司提供叉车培训",
            Field::Description,
        );
        assert_eq!(
            e.found.iter().map(|f| f.skill.as_str()).collect::<Vec<_>>(),
            ["焊接"]
        );
        assert!(e.passed.iter().any(|p| p.skill == "叉车"));
        let e = extract_skills("无需驾照，会焊接", Field::Description);
        assert!(!e.found.iter().any(|f| f.skill == "C1驾照"), "{e:?}");
        assert!(e.found.iter().any(|f| f.skill == "焊接"));
    }

    #[test]
    fn every_cue_starts_where_the_scan_looks_for_one() {
        let words = SECTIONS
            .iter()
            .map(|(h, _)| *h)
            .chain(NEGATIONS)
            .chain(COMPLIANCE);
        for w in words {
            let first = w.chars().next().map(fold_match);
            assert!(first.is_some_and(may_start_cue), "{w}");
        }
    }

    #[test]
    fn rules_the_job_keeps_are_not_skills_it_asks_for() {
        for text in [
            "岗位职责：严格遵守公司各项规章制度",
            "岗位职责：遵守安全生产规定，做好交接",
            "岗位职责：按照公司规章制度和操作规程完成任务",
            "岗位职责：执行安全操作规程",
        ] {
            let e = extract_skills(text, Field::Description);
            assert!(
                !e.found
                    .iter()
                    .any(|f| f.skill == "规章制度" || f.skill == "安全生产"),
                "{text}: {e:?}"
            );
            assert!(
                e.passed.iter().any(|p| p.reason.starts_with("a rule to follow")),
                "{text}: {e:?}"
            );
        }
        // What a job asks for stays, with or without such a verb nearby.
        for (text, want) in [
            ("任职要求：熟悉安全生产法规", "安全生产"),
            ("岗位职责：按照图纸进行焊接", "焊接"),
            ("岗位职责：遵守纪律，会电焊", "焊接"),
        ] {
            let e = extract_skills(text, Field::Description);
            assert!(e.found.iter().any(|f| f.skill == want), "{text}: {e:?}");
        }
    }

    #[test]
    fn spans_and_clauses_point_into_the_text() {
        let text = "任职要求：熟练使用氩弧焊，能吃苦耐劳";
        let e = extract_skills(text, Field::Description);
        for f in &e.found {
            let mention = text.get(f.start..f.end).unwrap();
            assert!(!mention.is_empty() && f.clause.contains(mention), "{f:?}");
        }
    }

    #[test]
    fn titles_are_read_for_the_job_they_name() {
        let title = "招聘电焊工（五险一金）";
        let e = extract_skills(title, Field::Title);
        let got: Vec<&str> = e.found.iter().map(|f| f.skill.as_str()).collect();
        assert!(got.contains(&"焊接") && !got.contains(&"人力资源"), "{got:?}");
        for f in &e.found {
            assert!(title.get(f.start..f.end).is_some(), "{f:?}");
        }
        assert_eq!(job_of_title("急招：叉车司机【双休】"), "叉车司机");
        let e = extract_skills("岗位职责：从事激光设备安装调试员工作", Field::Description);
        assert!(!e.found.iter().any(|f| f.skill == "员工"), "{e:?}");
        let e = extract_skills("任职要求：大专及以上学历，专科优先", Field::Description);
        assert!(e.found.is_empty(), "{e:?}");
    }

    #[test]
    fn latin_names_only_as_whole_words() {
        let got = names("熟悉Java和MySQL，了解google产品");
        assert!(got.iter().any(|g| g.eq_ignore_ascii_case("java")), "{got:?}");
        assert!(!got.iter().any(|g| g.eq_ignore_ascii_case("go")), "{got:?}");
    }

    #[test]
    fn a_bare_ai_is_no_machine_learning() {
        // Designers' postings list Illustrator as AI beside PS and CDR.
        let got = names("熟练使用PS、AI、CDR等设计软件");
        assert!(got.iter().any(|g| g == "平面设计"), "{got:?}");
        assert!(!got.iter().any(|g| g == "机器学习"), "{got:?}");
        let got = names("负责AI算法的研发与落地");
        assert!(got.iter().any(|g| g == "机器学习"), "{got:?}");
    }

    #[test]
    fn skills_postings_name_that_no_definition_gave() {
        let cases = [
            ("持挖掘机操作证，熟练开挖机", &["挖掘机操作证", "挖掘机"][..]),
            ("持一级建造师证，有市政项目经验", &["建造师证"][..]),
            ("会做川菜，有健康证", &["烹饪", "健康证"][..]),
            ("持有幼师资格证，会舞蹈", &["教师资格证"][..]),
            ("熟练使用用友、金蝶财务软件", &["会计"][..]),
            ("熟悉ERP系统", &["ERP"][..]),
        ];
        for (text, want) in cases {
            let got = names(text);
            for w in want {
                assert!(got.iter().any(|g| g == w), "{text}: {got:?}");
            }
        }
    }
}
