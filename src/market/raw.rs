//! The market written as a job board would write it: raw postings and
//! registrations ([`crate::ingest::RawVacancy`], [`crate::ingest::RawSeeker`])
//! of the same vacancies and seekers, so that the whole pipeline (raw →
//! ingest → index → match) can be measured against the clean market.
//!
//! Each field is written in one of the forms boards use, drawn per record:
//! salaries as `4000-6000元/月`, `4.5千-6千`, `5k-7k·13薪`, day and year
//! rates, `面议`; places as full addresses, district names or
//! `prefecture + county`, with the workplace's coordinates when the clean
//! record has them; education and experience in words; skills woven into
//! the description's sections under their aliases, licences in several
//! spellings, and a perk under 福利待遇 that names a skill the posting does
//! not ask for (which ingestion must not take). The written forms lose
//! what boards lose: a day or year rate is rounded, `·13薪` is kept apart.

// Indexing here cannot panic: positions are drawn below the lengths.
#![allow(clippy::indexing_slicing)]

use std::io::Write;

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::Market;
use crate::error::Result;
use crate::ingest::{RawSeeker, RawVacancy};
use crate::model::{Cny, Date, Education, PriorityGroup, Seeker, Vacancy};
use crate::region::{Level, RegionCode};
use crate::taxonomy::{SkillKind, skills};

const STREAM_RAW_VACANCY: u64 = 11;
const STREAM_RAW_SEEKER: u64 = 12;

/// Streets of no place name (a street must not read as another county).
const STREETS: [&str; 8] = [
    "人民路",
    "建设路",
    "解放路",
    "中山路",
    "滨江路",
    "工业园区",
    "科技园",
    "新华街",
];

/// Perks that name a skill, written under 福利待遇: not requirements.
const PERK_SKILLS: [&str; 4] = ["叉车", "驾驶", "Excel", "英语"];

fn pick<'a>(rng: &mut ChaCha8Rng, options: &[&'a str]) -> &'a str {
    options[rng.random_range(0..options.len())]
}

/// `4500` → `4.5`; `6000` → `6`.
fn thousands(y: u32) -> String {
    let k = f64::from(y) / 1000.0;
    let s = format!("{k:.1}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A salary in one of the written forms.
fn salary_text(rng: &mut ChaCha8Rng, lo: Option<Cny>, hi: Option<Cny>) -> String {
    let (Some(lo), Some(hi)) = (lo.map(u32::from), hi.map(u32::from)) else {
        return pick(rng, &["面议", "薪资面议", "面议（五险一金）"]).to_owned();
    };
    match rng.random_range(0..8) {
        0 => format!("{lo}-{hi}元/月"),
        1 => format!("{}千-{}千", thousands(lo), thousands(hi)),
        2 => format!("{}k-{}k", thousands(lo), thousands(hi)),
        3 => format!("{}-{}K·13薪", thousands(lo), thousands(hi)),
        4 => format!("月薪{lo}-{hi}"),
        5 => format!(
            "{}-{}元/天",
            (f64::from(lo) / 21.75).round(),
            (f64::from(hi) / 21.75).round()
        ),
        6 if lo >= 8_000 => format!(
            "年薪{}-{}万",
            f64::from(lo) * 12.0 / 10_000.0,
            f64::from(hi) * 12.0 / 10_000.0
        )
        .replace(".0万", "万"),
        _ => format!("{lo}-{hi}"),
    }
}

/// A place in one of the written forms, with coordinates when given.
/// A place as written, with a note after it (before any coordinates,
/// which end the text).
fn place_text(rng: &mut ChaCha8Rng, region: RegionCode, lat_lon: Option<(f64, f64)>, note: &str) -> String {
    let r = region.region();
    let prefecture = r.prefecture.region();
    let province = r.province.region();
    let street = pick(rng, &STREETS);
    let number = rng.random_range(1..300);
    let chongqing = r.province.get() == 500_000;
    let mut s = match rng.random_range(0..4) {
        0 if chongqing => format!("重庆市{}{street}{number}号", r.name),
        0 => format!("{}{}{}{street}{number}号", province.name, prefecture.name, r.name),
        1 if chongqing => format!("重庆{}", r.name),
        1 => format!("{}{}", prefecture.name, r.name),
        2 => format!("{}{street}", r.name),
        _ if chongqing => format!("重庆市{}", r.name),
        _ => format!(
            "{}省{}{}",
            province.name.trim_end_matches('省'),
            prefecture.name,
            r.name
        ),
    };
    // A county's name alone may be shared (市中区): name its prefecture too.
    if prefecture.level == Level::Prefecture && !s.contains(&prefecture.name) {
        let shared = crate::region::gazetteer().find(&r.name).len() > 1;
        if shared {
            s = format!("{}{s}", prefecture.name);
        }
    }
    s.push_str(note);
    if let Some((lat, lon)) = lat_lon {
        s.push_str(&format!("（{lat:.6},{lon:.6}）"));
    }
    s
}

fn education_text(rng: &mut ChaCha8Rng, e: Option<Education>) -> String {
    match e {
        None | Some(Education::None) => pick(rng, &["学历不限", "不限", ""]),
        Some(Education::JuniorHigh) => pick(rng, &["初中及以上", "初中以上学历", "初中"]),
        Some(Education::HighSchool) => pick(rng, &["高中及以上", "高中以上学历", "高中"]),
        Some(Education::Vocational) => pick(rng, &["中专及以上", "中专/技校", "中技以上"]),
        Some(Education::Associate) => pick(rng, &["大专及以上", "大专以上学历", "专科及以上"]),
        Some(Education::Bachelor) => pick(rng, &["本科及以上", "全日制本科", "本科以上学历"]),
        Some(Education::Master) => pick(rng, &["硕士及以上", "硕士研究生"]),
        Some(Education::Doctorate) => pick(rng, &["博士", "博士研究生"]),
    }
    .to_owned()
}

fn experience_text(rng: &mut ChaCha8Rng, years: Option<u8>) -> String {
    const CN: [&str; 11] = ["零", "一", "两", "三", "四", "五", "六", "七", "八", "九", "十"];
    match years {
        None => String::new(),
        Some(0) => pick(rng, &["经验不限", "应届生可", "无需经验", "不限"]).to_owned(),
        Some(n) => match rng.random_range(0..3) {
            0 => format!("{n}年以上"),
            1 => format!("{n}-{}年", n + 2),
            _ if usize::from(n) < CN.len() => format!("{}年以上经验", CN[usize::from(n)]),
            _ => format!("{n}年及以上"),
        },
    }
}

fn date_text(rng: &mut ChaCha8Rng, d: Option<Date>) -> String {
    let Some(d) = d else { return String::new() };
    let iso = d.to_string();
    let parts: Vec<&str> = iso.split('-').collect();
    let (y, m, day) = (parts[0], parts[1], parts[2]);
    let m1 = m.trim_start_matches('0');
    let d1 = day.trim_start_matches('0');
    match rng.random_range(0..4) {
        0 => iso,
        1 => format!("{y}/{m1}/{d1}"),
        2 => format!("{y}年{m1}月{d1}日"),
        _ => format!("{y}.{m}.{day}"),
    }
}

/// A skill as someone writes it: its name, an alias, or for a driving
/// licence another spelling of the class.
fn skill_text(rng: &mut ChaCha8Rng, name: &str) -> String {
    let vocab = skills();
    let Some(skill) = vocab.lookup(name).and_then(|id| vocab.get(id)) else {
        return name.to_owned();
    };
    if skill.kind == SkillKind::Licence && skill.name.ends_with("驾照") {
        let class = skill.name.trim_end_matches("驾照");
        return match rng.random_range(0..4) {
            0 => format!("{class}驾驶证"),
            1 => format!("驾照{class}"),
            2 => format!("{class}以上驾照"),
            _ => skill.name.clone(),
        };
    }
    // An alias a third of the time, when it reads back as the same skill.
    let aliases: Vec<&String> = skill
        .aliases
        .iter()
        .filter(|a| a.chars().count() >= 2 && vocab.lookup(a) == Some(skill.id))
        .collect();
    if !aliases.is_empty() && rng.random_bool(0.33) {
        return aliases[rng.random_range(0..aliases.len())].clone();
    }
    skill.name.clone()
}

impl Market {
    /// Vacancy `i` as a job board writes it (see the module docs).
    pub fn raw_vacancy(&self, i: u64) -> RawVacancy {
        let v = self.vacancy(i);
        let mut rng = self.rng(STREAM_RAW_VACANCY, i);
        raw_posting(&mut rng, &v)
    }

    /// Seeker `j` as a registration form holds it: desired jobs, skills as
    /// typed (licences in other spellings, `会…`), home address, expected
    /// salary, education and experience in words.
    pub fn raw_seeker(&self, j: u64) -> RawSeeker {
        let s = self.seeker(j);
        let mut rng = self.rng(STREAM_RAW_SEEKER, j);
        raw_registration(&mut rng, &s)
    }

    /// Writes the raw postings of vacancies `0..config.vacancies` as JSON
    /// Lines (see [`Market::write_vacancies`]).
    ///
    /// # Errors
    /// [`crate::Error::Io`] when writing fails.
    pub fn write_raw_vacancies<W: Write>(&self, out: W, progress: impl FnMut(u64)) -> Result<u64> {
        self.write_records(out, self.config.vacancies, progress, |i, buf| {
            serde_json::to_writer(&mut *buf, &self.raw_vacancy(i))
        })
    }

    /// Writes the raw registrations of seekers `0..config.seekers`.
    ///
    /// # Errors
    /// [`crate::Error::Io`] when writing fails.
    pub fn write_raw_seekers<W: Write>(&self, out: W, progress: impl FnMut(u64)) -> Result<u64> {
        self.write_records(out, self.config.seekers, progress, |j, buf| {
            serde_json::to_writer(&mut *buf, &self.raw_seeker(j))
        })
    }
}

fn raw_posting(rng: &mut ChaCha8Rng, v: &Vacancy) -> RawVacancy {
    let written: Vec<String> = v.skills.iter().map(|s| skill_text(rng, s)).collect();
    let (first, rest) = written
        .split_first()
        .map_or((None, &[][..]), |(f, r)| (Some(f), r));
    let edu = education_text(rng, v.education);
    let exp = experience_text(rng, v.experience_years);
    let mut duties = format!("岗位职责：从事{}工作", crate::ingest::job_of_title(&v.title));
    if let Some(f) = first {
        duties.push_str(&format!("，负责{f}相关工作"));
    }
    duties.push_str(pick(
        rng,
        &[
            "；按照公司规章制度和操作规程完成上级交办的各项任务，做好日常记录和交接；保持工作区域整洁，遵守安全生产规定",
            "；配合部门负责人完成月度目标，参与流程改进，及时反馈现场问题；做好设备和物料的日常检查与维护记录",
            "；服从工作安排，按时按质完成工作任务，协助同事处理突发情况，定期参加公司组织的业务学习和安全培训",
        ],
    ));
    let mut req = String::from("任职要求：");
    if !edu.is_empty() {
        req.push_str(&edu);
        req.push_str(if edu.ends_with("学历") {
            "，"
        } else {
            "学历，"
        });
    }
    if !rest.is_empty() {
        req.push_str(&format!("熟悉{}", rest.join("、")));
        req.push('，');
    }
    req.push_str(pick(rng, &["责任心强者优先", "能适应倒班", "服从安排"]));
    // A perk naming a skill the posting does not ask for.
    let asked: Vec<String> = v.skills.iter().map(|s| skills().canonical(s)).collect();
    let perk_skill = PERK_SKILLS
        .iter()
        .find(|p| !asked.contains(&skills().canonical(p)) && rng.random_bool(0.3));
    let perk = match perk_skill {
        Some(p) => format!("福利待遇：五险一金，免费{p}培训"),
        None => pick(
            rng,
            &[
                "福利待遇：五险一金，节假日福利",
                "福利待遇：包吃包住，月休四天",
                "福利待遇：周末双休",
            ],
        )
        .to_owned(),
    };
    let hours = pick(
        rng,
        &[
            "工作时间：早八点半至晚五点半，中午休息一个半小时，月休四天，旺季需配合加班，加班按国家规定支付加班费",
            "工作时间：两班倒，每班八小时，做六休一，夜班有夜班补贴，公司提供倒班宿舍，宿舍配有空调和热水器",
            "工作时间：朝九晚六，周末双休，法定节假日正常休息，每年组织一次员工体检和团队旅游",
        ],
    );
    let employer = v.employer.as_deref().unwrap_or("本公司");
    let intro = format!(
        "公司介绍：{employer}成立于{}年，是一家集生产、销售、服务于一体的{}企业，现有员工{}余人，注重人才培养，提供完善的晋升通道，欢迎有志之士加入",
        rng.random_range(1995..2020),
        pick(rng, &["综合性", "专业化", "成长型", "区域性"]),
        rng.random_range(2..50) * 10
    );
    let lat_lon = v.coordinates.map(|c| (c.lat(), c.lon()));
    // A remote job says so, in the place or at the description's end.
    let (note, remote) = match (v.remote, rng.random_range(0..4)) {
        (false, _) => ("", ""),
        (true, 0) => ("（可远程办公）", ""),
        (true, 1) => ("，支持远程", ""),
        (true, 2) => ("", "工作地点：居家办公，不限城市。"),
        (true, _) => ("", "本岗位为远程工作，线上沟通。"),
    };
    let location = place_text(rng, v.region, lat_lon, note);
    RawVacancy {
        id: Some(v.id.clone()),
        title: Some(v.title.clone()),
        employer: v.employer.clone(),
        salary: Some(salary_text(rng, v.salary_min, v.salary_max)),
        location: Some(location),
        education: Some(edu),
        experience: Some(exp),
        headcount: Some(match v.headcount.get() {
            1 if rng.random_bool(0.5) => "若干".to_owned(),
            n if rng.random_bool(0.5) => format!("招{n}人"),
            n => format!("{n}名"),
        }),
        description: Some(format!("{duties}。{req}。{perk}。{hours}。{intro}。{remote}")),
        posted: Some(date_text(rng, v.posted)),
        expires: Some(date_text(rng, v.expires)),
        industry: v.industry.map(|i| {
            if rng.random_bool(0.5) {
                i.letter().to_string()
            } else {
                i.name_zh().to_owned()
            }
        }),
        skills: None,
    }
}

fn raw_registration(rng: &mut ChaCha8Rng, s: &Seeker) -> RawSeeker {
    let typed: Vec<String> = s
        .skills
        .iter()
        .map(|k| {
            let t = skill_text(rng, k);
            let soft = skills().kind_of_term(&skills().canonical(k)) == Some(SkillKind::Transversal);
            if !soft && rng.random_bool(0.2) {
                format!("会{t}")
            } else {
                t
            }
        })
        .collect();
    let mut joined = String::new();
    for (i, t) in typed.iter().enumerate() {
        if i > 0 {
            joined.push_str(pick(rng, &["、", "，", " ", ","]));
        }
        joined.push_str(t);
    }
    let lat_lon = s.coordinates.map(|c| (c.lat(), c.lon()));
    RawSeeker {
        id: Some(s.id.clone()),
        desired: Some(s.titles.join(pick(rng, &["/", "、"]))),
        skills: Some(joined),
        location: Some(place_text(rng, s.region, lat_lon, "")),
        salary: s.salary_min.map(|m| match rng.random_range(0..3) {
            0 => format!("期望薪资 {}k", thousands(u32::from(m))),
            1 => format!("{}元以上", u32::from(m)),
            _ => format!("{}-{}", u32::from(m), u32::from(m) / 100 * 130),
        }),
        education: Some(education_text(rng, s.education)),
        experience: s.experience_years.map(|y| match y {
            0 if s.groups.contains(&PriorityGroup::Graduate) => "应届生".to_owned(),
            0 => "无经验".to_owned(),
            y => format!("{y}年"),
        }),
        about: None,
        // 人员类别, as a registration form records it.
        groups: (!s.groups.is_empty()).then(|| {
            let names: Vec<&str> = s.groups.iter().map(|g| g.name_zh()).collect();
            names.join(pick(rng, &["、", "，", " "]))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{ingest_seeker, ingest_vacancy};
    use crate::market::MarketConfig;

    /// The raw market reads back close to the clean one: the same place,
    /// salaries within rounding, the skills asked for.
    #[test]
    fn raw_postings_ingest_back_to_their_vacancies() {
        let m = Market::new(MarketConfig {
            vacancies: 400,
            seekers: 100,
            seed: 5,
            ..Default::default()
        });
        let (mut same_region, mut skills_kept, mut skills_total, mut salary_close, mut salaried) =
            (0, 0, 0, 0, 0);
        for i in 0..400 {
            let clean = m.vacancy(i);
            let raw = m.raw_vacancy(i);
            let got = ingest_vacancy(&raw, i + 1)
                .unwrap_or_else(|e| panic!("{raw:?}: {e}"))
                .record;
            same_region += usize::from(got.region == clean.region);
            let canon: Vec<String> = got.skills.iter().map(|s| skills().canonical(s)).collect();
            for s in &clean.skills {
                skills_total += 1;
                skills_kept += usize::from(canon.contains(&skills().canonical(s)));
            }
            if let (Some(a), Some(b)) = (clean.salary_min, got.salary_min) {
                salaried += 1;
                let (a, b) = (f64::from(u32::from(a)), f64::from(u32::from(b)));
                salary_close += usize::from((a - b).abs() / a < 0.02);
            }
            assert_eq!(got.posted, clean.posted, "{raw:?}");
            assert_eq!(got.remote, clean.remote, "{raw:?}");
            assert_eq!(
                got.education.filter(|e| *e != Education::None),
                clean.education.filter(|e| *e != Education::None),
                "{raw:?}"
            );
        }
        assert_eq!(same_region, 400);
        assert!(
            skills_kept as f64 / skills_total as f64 > 0.97,
            "{skills_kept}/{skills_total}"
        );
        assert!(
            salary_close as f64 / salaried as f64 > 0.97,
            "{salary_close}/{salaried}"
        );
        for j in 0..100 {
            let s = ingest_seeker(&m.raw_seeker(j), j + 1).unwrap().record;
            let clean = m.seeker(j);
            assert_eq!(s.region, clean.region);
            assert_eq!(s.groups, clean.groups, "{:?}", m.raw_seeker(j));
        }
    }
}
