//! Generated text: skills as employers write them, employer names, descriptions.

// Indexing here cannot panic: the generator indexes its own tables with
// positions it draws below their lengths.
#![allow(clippy::indexing_slicing)]

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::model::Education;
use crate::region::RegionCode;
use crate::taxonomy::{OccupationCode, skills};

/// Skills employers ask for across occupations (assumption): soft skills,
/// office software, a driving licence.
pub(super) const POPULAR: [&str; 8] = [
    "沟通能力",
    "团队合作",
    "办公软件",
    "Excel",
    "驾驶",
    "吃苦耐劳",
    "责任心",
    "英语",
];

pub(super) const EMPLOYER_WORDS: [&str; 32] = [
    "华", "鑫", "诚", "信", "达", "通", "盛", "恒", "宏", "泰", "瑞", "安", "新", "天", "顺", "德", "源",
    "升", "博", "川", "渝", "嘉", "锦", "蓉", "巴", "蜀", "兴", "隆", "合", "众", "和", "远",
];

pub(super) const INDUSTRY_WORDS: [&str; 20] = [
    "农业",
    "矿业",
    "制造",
    "能源",
    "建设",
    "商贸",
    "物流",
    "餐饮",
    "科技",
    "金融",
    "置业",
    "商务",
    "技术",
    "环境",
    "服务",
    "教育",
    "医疗",
    "文化",
    "公共服务",
    "国际",
];

/// A vacancy's skills: most of its occupation's profile (the first ones most
/// often), a popular skill now and then, and a share written as an alias or
/// in full-width characters, as job boards do.
pub(super) fn vacancy_skills(rng: &mut ChaCha8Rng, occupation: OccupationCode) -> Vec<String> {
    let vocab = skills();
    let profile = vocab.profile(occupation);
    let mut out: Vec<String> = Vec::with_capacity(8);
    for (rank, &id) in profile.iter().enumerate() {
        let p = (0.85 - 0.07 * rank as f64).max(0.25);
        if rng.random_bool(p) {
            // Profiles hold ids of the same vocabulary.
            let Some(skill) = vocab.get(id) else { continue };
            let written = if !skill.aliases.is_empty() && rng.random_bool(0.3) {
                skill.aliases[rng.random_range(0..skill.aliases.len())].clone()
            } else {
                skill.name.clone()
            };
            out.push(written);
        }
    }
    if out.is_empty()
        && let Some(&id) = profile.first()
        && let Some(skill) = vocab.get(id)
    {
        out.push(skill.name.clone());
    }
    if rng.random_bool(0.35) {
        let p = POPULAR[rng.random_range(0..POPULAR.len())];
        if !out.iter().any(|s| s == p) {
            out.push(p.to_owned());
        }
    }
    if rng.random_bool(0.05)
        && let Some(s) = out.iter_mut().find(|s| s.is_ascii())
    {
        *s = s
            .chars()
            .map(|c| {
                if c.is_ascii_graphic() {
                    char::from_u32(c as u32 + 0xFEE0).unwrap_or(c)
                } else {
                    c
                }
            })
            .collect();
    }
    out
}

pub(super) fn description(
    rng: &mut ChaCha8Rng,
    occupation: &str,
    skills: &[String],
    education: Option<Education>,
    years: u8,
    region: RegionCode,
) -> String {
    let edu = match education {
        None | Some(Education::None) => "学历不限",
        Some(Education::JuniorHigh) => "初中及以上学历",
        Some(Education::HighSchool) => "高中及以上学历",
        Some(Education::Vocational) => "中专及以上学历",
        Some(Education::Associate) => "大专及以上学历",
        Some(Education::Bachelor) => "本科及以上学历",
        Some(Education::Master) => "硕士及以上学历",
        Some(Education::Doctorate) => "博士学历",
    };
    let main = skills.first().map_or("相关", String::as_str);
    let other = skills.get(1).map_or("岗位", String::as_str);
    let exp = if years == 0 {
        "经验不限，可接受应届生".to_owned()
    } else {
        format!("{years}年以上相关工作经验")
    };
    let perk = [
        "五险一金，节假日福利",
        "包吃包住，月休四天",
        "周末双休，带薪年假",
        "绩效奖金，定期培训",
    ][rng.random_range(0..4)];
    format!(
        "岗位职责：从事{occupation}工作，负责{main}及{other}相关事务。任职要求：{edu}，{exp}，熟悉{main}。福利待遇：{perk}。工作地点：{}。",
        region.region().name
    )
}
