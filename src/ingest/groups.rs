//! Priority groups in a registration's words: `退役军人`, `应届毕业生`,
//! `农民工`, `登记失业`. Public employment services serve these groups
//! first, and people say they belong to one wherever they write about
//! themselves: in a field of its own (`人员类别`), among their skills
//! (`退伍军人，身体好`), in their experience (`应届毕业生`) or about
//! themselves.

use crate::model::PriorityGroup;
use crate::text::fold;

/// Words that name a priority group, longest first where one holds another
/// (general usage and the names the services use).
const CUES: [(&str, PriorityGroup); 24] = [
    ("高校毕业生", PriorityGroup::Graduate),
    ("应届毕业生", PriorityGroup::Graduate),
    ("应届生", PriorityGroup::Graduate),
    ("应届", PriorityGroup::Graduate),
    ("毕业生", PriorityGroup::Graduate),
    ("进城务工", PriorityGroup::MigrantWorker),
    ("外出务工", PriorityGroup::MigrantWorker),
    ("农民工", PriorityGroup::MigrantWorker),
    ("退役军人", PriorityGroup::Veteran),
    ("退伍军人", PriorityGroup::Veteran),
    ("转业军人", PriorityGroup::Veteran),
    ("复员军人", PriorityGroup::Veteran),
    ("退役", PriorityGroup::Veteran),
    ("退伍", PriorityGroup::Veteran),
    ("登记失业", PriorityGroup::Unemployed),
    ("失业", PriorityGroup::Unemployed),
    ("待业", PriorityGroup::Unemployed),
    ("下岗", PriorityGroup::Unemployed),
    ("就业困难", PriorityGroup::HardToEmploy),
    ("残疾人", PriorityGroup::HardToEmploy),
    ("建档立卡", PriorityGroup::PovertyAlleviated),
    ("脱贫", PriorityGroup::PovertyAlleviated),
    ("贫困户", PriorityGroup::PovertyAlleviated),
    ("低保", PriorityGroup::HardToEmploy),
];

/// Words that, right before a cue, say the person is not of that group
/// (`非应届`, `不是退役军人`).
const NEGATIONS: [&str; 3] = ["非", "不是", "不属于"];

/// The priority groups a text names, in first-seen order, each once; a cue
/// right after a negation names none.
///
/// ```
/// use jobmatch::ingest::parse_groups;
/// use jobmatch::PriorityGroup;
/// assert_eq!(parse_groups("退伍军人，身体好"), [PriorityGroup::Veteran]);
/// assert_eq!(parse_groups("2024届应届毕业生、登记失业"), [PriorityGroup::Graduate, PriorityGroup::Unemployed]);
/// assert!(parse_groups("非应届，有三年经验").is_empty());
/// ```
pub fn parse_groups(text: &str) -> Vec<PriorityGroup> {
    let folded = fold(text);
    let mut out = Vec::new();
    let mut rest = folded.as_str();
    while let Some(c) = rest.chars().next() {
        let hit = CUES.iter().find(|(w, _)| rest.starts_with(w));
        let Some(&(word, group)) = hit else {
            rest = rest.get(c.len_utf8()..).unwrap_or_default();
            continue;
        };
        let before = folded.get(..folded.len() - rest.len()).unwrap_or_default();
        rest = rest.get(word.len()..).unwrap_or_default();
        // `失业保险` is insurance everyone pays, not a group.
        let insurance = rest.starts_with("保险");
        if !insurance && !NEGATIONS.iter().any(|n| before.ends_with(n)) && !out.contains(&group) {
            out.push(group);
        }
    }
    out
}

/// Whether a typed item says nothing but a group (`退伍军人`, `应届生`):
/// it is no skill.
pub(crate) fn only_a_group(item: &str) -> bool {
    let folded = fold(item);
    let t = folded.trim();
    let t = t.strip_prefix("我是").unwrap_or(t);
    let t = ["人员", "身份", "优先"]
        .iter()
        .find_map(|s| t.strip_suffix(s))
        .unwrap_or(t);
    CUES.iter().any(|(w, _)| *w == t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_groups_people_name_themselves() {
        use PriorityGroup::*;
        let cases: [(&str, &[PriorityGroup]); 9] = [
            ("退役军人", &[Veteran]),
            ("我是退伍军人，会开车", &[Veteran]),
            ("农民工，在工地干过五年", &[MigrantWorker]),
            ("下岗再就业", &[Unemployed]),
            ("建档立卡脱贫户", &[PovertyAlleviated]),
            ("应届毕业生", &[Graduate]),
            ("不是应届生", &[]),
            ("缴纳过失业保险", &[]),
            ("焊接、叉车", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(parse_groups(text), want, "{text}");
        }
        assert!(only_a_group("退伍军人") && only_a_group("退役军人身份") && only_a_group("应届生"));
        assert!(!only_a_group("焊接") && !only_a_group("退伍军人，会开车"));
    }
}
