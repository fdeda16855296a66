//! Education, experience, headcount and dates as postings write them:
//! `大专及以上`, `学历不限`, `1-3年`, `经验不限`, `应届生`, `招3人`,
//! `2024年3月1日`.

use super::{Read, refuse};
use crate::error::Result;
use crate::model::{Date, Education};
use crate::text::fold;

/// Words that mean "no requirement".
const ANY: [&str; 8] = ["不限", "无要求", "无需", "不需要", "无", "不要求", "均可", "any"];

/// Education levels by the words postings use, the most specific first.
pub(super) const EDUCATION_WORDS: [(&str, Education); 22] = [
    ("博士", Education::Doctorate),
    ("硕士", Education::Master),
    ("研究生", Education::Master),
    ("master", Education::Master),
    ("本科", Education::Bachelor),
    ("学士", Education::Bachelor),
    ("统招本", Education::Bachelor),
    ("bachelor", Education::Bachelor),
    ("大专", Education::Associate),
    ("专科", Education::Associate),
    ("高职", Education::Associate),
    ("大学专科", Education::Associate),
    ("中专", Education::Vocational),
    ("中技", Education::Vocational),
    ("技校", Education::Vocational),
    ("职高", Education::Vocational),
    ("中职", Education::Vocational),
    ("高中", Education::HighSchool),
    ("普高", Education::HighSchool),
    ("初中", Education::JuniorHigh),
    ("小学", Education::None),
    ("文盲", Education::None),
];

/// Reads an education requirement (or a seeker's attainment): the lowest
/// level the text names (`本科或硕士` asks for a bachelor's). `Ok(None)` for
/// blank or no requirement.
///
/// ```
/// use jobmatch::{Education, ingest::parse_education};
/// assert_eq!(parse_education("大专及以上")?.value, Some(Education::Associate));
/// assert_eq!(parse_education("学历不限")?.value, None);
/// # Ok::<(), jobmatch::Error>(())
/// ```
///
/// # Errors
/// [`crate::Error::Invalid`] (field `education`) naming a text with no
/// level in it.
pub fn parse_education(text: &str) -> Result<Read<Option<Education>>> {
    let folded = compact(text);
    if folded.is_empty() {
        return Ok(Read::new(None, "blank"));
    }
    let lowest = EDUCATION_WORDS
        .iter()
        .filter(|(w, _)| folded.contains(w))
        .map(|(_, e)| *e)
        .min();
    // `高中及以下` sets no minimum; `高中以下` is the level below.
    if lowest.is_some() && ["及以下", "或以下", "以内"].iter().any(|w| folded.contains(w)) {
        return Ok(Read::new(None, "at most a level: no minimum"));
    }
    let below = folded.contains("以下");
    match lowest {
        Some(e) if below => {
            let e = level_below(e);
            Ok(Read::new(
                Some(e),
                format!("{} (below the level named)", e.as_str()),
            ))
        }
        Some(e) => Ok(Read::new(
            Some(e),
            format!("{} (the lowest level named)", e.as_str()),
        )),
        None if ANY.iter().any(|w| folded.contains(w)) => Ok(Read::new(None, "no requirement")),
        None => refuse("education", text, "no education level in it"),
    }
}

/// The highest level below `e` (`高中以下` → 初中; 中专 and 高中 are
/// parallel, so 大专以下 is 高中).
fn level_below(e: Education) -> Education {
    match e {
        Education::Doctorate => Education::Master,
        Education::Master => Education::Bachelor,
        Education::Bachelor => Education::Associate,
        Education::Associate => Education::HighSchool,
        Education::Vocational | Education::HighSchool => Education::JuniorHigh,
        Education::JuniorHigh | Education::None => Education::None,
    }
}

/// Reads years of experience: the minimum of a range (`1-3年` → 1), `N年以上`
/// → N, Chinese numerals, months (`6个月` → 0). `Ok(None)` for blank; 0 for
/// none required or a new graduate.
///
/// ```
/// use jobmatch::ingest::parse_experience;
/// assert_eq!(parse_experience("1-3年")?.value, Some(1));
/// assert_eq!(parse_experience("三年以上")?.value, Some(3));
/// assert_eq!(parse_experience("应届生")?.value, Some(0));
/// # Ok::<(), jobmatch::Error>(())
/// ```
///
/// # Errors
/// [`crate::Error::Invalid`] (field `experience`) for a text with no number
/// of years, or more than 50.
pub fn parse_experience(text: &str) -> Result<Read<Option<u8>>> {
    let folded = compact(text);
    if folded.is_empty() {
        return Ok(Read::new(None, "blank"));
    }
    if ["应届", "在校", "毕业生", "实习", "无经验", "零基础", "新手"]
        .iter()
        .any(|w| folded.contains(w))
    {
        return Ok(Read::new(Some(0), "new graduate or no experience: 0"));
    }
    let digits = arabic(&folded);
    let first = numbers(&digits).into_iter().next();
    let months = digits.contains('月') && !digits.contains('年');
    match first.map(|n| if months { n / 12.0 } else { n }) {
        Some(years) if years <= 50.0 => {
            let how = if months {
                "months, as whole years"
            } else {
                "years (the minimum of a range)"
            };
            Ok(Read::new(Some(years.floor() as u8), how))
        }
        Some(years) => refuse("experience", text, &format!("{years:.0} years is not plausible")),
        None if ANY.iter().any(|w| folded.contains(w)) => Ok(Read::new(Some(0), "no requirement: 0")),
        None if folded.contains("半年") => Ok(Read::new(Some(0), "half a year: 0")),
        None if folded.contains("优先") => Ok(Read::new(Some(0), "preferred, not required: 0")),
        None => refuse("experience", text, "no number of years in it"),
    }
}

/// Reads a headcount: `招3人`, `5名`, `10-20人` (the first number); `若干` and
/// blank as unknown.
///
/// # Errors
/// [`crate::Error::Invalid`] (field `headcount`) for a text with no number,
/// or 0, or above 100,000.
pub fn parse_headcount(text: &str) -> Result<Read<Option<u32>>> {
    let folded = compact(text);
    if folded.is_empty() {
        return Ok(Read::new(None, "blank"));
    }
    if ["若干", "不限", "多名", "大量"]
        .iter()
        .any(|w| folded.contains(w))
    {
        return Ok(Read::new(None, "unstated (若干): the default 1"));
    }
    match numbers(&arabic(&folded)).into_iter().next() {
        Some(n) if (1.0..=100_000.0).contains(&n) && n.fract() == 0.0 => {
            Ok(Read::new(Some(n as u32), "openings"))
        }
        Some(n) => refuse("headcount", text, &format!("{n} openings is not plausible")),
        None => refuse("headcount", text, "no number in it"),
    }
}

/// Reads a date: `2024-03-01`, `2024/3/1`, `2024.03.01`, `2024年3月1日`,
/// `20240301`, with or without a time after it.
///
/// ```
/// use jobmatch::ingest::parse_date;
/// assert_eq!(parse_date("2024年3月1日")?.value.map(|d| d.to_string()), Some("2024-03-01".into()));
/// # Ok::<(), jobmatch::Error>(())
/// ```
///
/// # Errors
/// [`crate::Error::Invalid`] (field `date`) for a text that is not a date
/// in these forms, or not a day of the calendar.
pub fn parse_date(text: &str) -> Result<Read<Option<Date>>> {
    let folded = fold(text);
    let folded = folded.trim();
    if folded.is_empty() {
        return Ok(Read::new(None, "blank"));
    }
    // The date part: up to a space or `t` before a time.
    let day = folded.split([' ', 't']).next().unwrap_or("");
    let parts: Vec<&str> = day
        .split(['-', '/', '.', '年', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    let ymd: Option<(i16, i8, i8)> = match parts.as_slice() {
        [y, m, d] => y
            .parse()
            .ok()
            .zip(m.parse().ok())
            .zip(d.parse().ok())
            .map(|((y, m), d)| (y, m, d)),
        [compact] if compact.len() == 8 && compact.bytes().all(|b| b.is_ascii_digit()) => {
            let y = compact.get(0..4).and_then(|s| s.parse::<i16>().ok());
            let m = compact.get(4..6).and_then(|s| s.parse::<i8>().ok());
            let d = compact.get(6..8).and_then(|s| s.parse::<i8>().ok());
            y.zip(m).zip(d).map(|((y, m), d)| (y, m, d))
        }
        _ => None,
    };
    let Some((y, m, d)) = ymd.filter(|(y, _, _)| (1990..=2100).contains(y)) else {
        return refuse(
            "date",
            text,
            "not a date (YYYY-MM-DD, YYYY/M/D, YYYY年M月D日 or YYYYMMDD)",
        );
    };
    match Date::new(y, m, d) {
        Ok(date) => Ok(Read::new(Some(date), "date")),
        Err(_) => refuse("date", text, "not a day of the calendar"),
    }
}

/// Folded, without spaces.
fn compact(text: &str) -> String {
    fold(text).chars().filter(|c| !c.is_whitespace()).collect()
}

/// Chinese numerals up to 99 written as digits (`三` → `3`, `十二` → `12`,
/// `两` → `2`).
fn arabic(s: &str) -> String {
    let digit = |c: char| {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .or((c == '两').then_some(2))
    };
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c == '十' {
            let tens = i
                .checked_sub(1)
                .and_then(|p| chars.get(p))
                .and_then(|p| digit(*p));
            let ones = chars.get(i + 1).and_then(|n| digit(*n));
            // A preceding digit was already written: it becomes the tens.
            if tens.is_some() {
                out.pop();
            }
            out.push_str(&(tens.unwrap_or(1) * 10 + ones.unwrap_or(0)).to_string());
            i += if ones.is_some() { 2 } else { 1 };
            continue;
        }
        match digit(c) {
            Some(d) => out.push_str(&d.to_string()),
            None => out.push(c),
        }
        i += 1;
    }
    out
}

/// The numbers in a text, in order (`1.5` is one number).
fn numbers(s: &str) -> Vec<f64> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() || (c == '.' && !cur.is_empty()) {
            cur.push(c);
        } else if !cur.is_empty() {
            if let Ok(n) = cur.trim_end_matches('.').parse() {
                out.push(n);
            }
            cur.clear();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn education_forms() {
        let e = |s: &str| parse_education(s).unwrap().value;
        assert_eq!(e("本科及以上"), Some(Education::Bachelor));
        assert_eq!(e("统招本科"), Some(Education::Bachelor));
        assert_eq!(e("中专/技校"), Some(Education::Vocational));
        assert_eq!(e("高中以上学历"), Some(Education::HighSchool));
        assert_eq!(e("本科或硕士"), Some(Education::Bachelor));
        // Below a level is the level under it; at most a level sets no
        // minimum.
        assert_eq!(e("高中以下"), Some(Education::JuniorHigh));
        assert_eq!(e("初中以下"), Some(Education::None));
        assert_eq!(e("大专以下"), Some(Education::HighSchool));
        assert_eq!(e("高中及以下"), None);
        assert_eq!(e("不限"), None);
        assert!(parse_education("会电脑").is_err());
    }

    #[test]
    fn experience_forms() {
        let x = |s: &str| parse_experience(s).unwrap().value;
        assert_eq!(x("1-3年"), Some(1));
        assert_eq!(x("3年以上"), Some(3));
        assert_eq!(x("五年以上经验"), Some(5));
        assert_eq!(x("十年以上"), Some(10));
        assert_eq!(x("两年"), Some(2));
        assert_eq!(x("经验不限"), Some(0));
        assert_eq!(x("无需经验"), Some(0));
        assert_eq!(x("应届毕业生"), Some(0));
        assert_eq!(x("6个月以上"), Some(0));
        assert_eq!(x("半年以上"), Some(0));
        assert!(parse_experience("很多").is_err());
        assert!(parse_experience("80年").is_err());
        assert!(parse_experience("1000月").is_err());
        assert_eq!(x("有经验者优先"), Some(0));
    }

    #[test]
    fn dates_and_headcounts() {
        let d = |s: &str| parse_date(s).unwrap().value.map(|d| d.to_string());
        for s in [
            "2024-03-01",
            "2024/3/1",
            "2024.03.01",
            "2024年3月1日",
            "20240301",
            "2024-03-01 09:30:00",
        ] {
            assert_eq!(d(s).as_deref(), Some("2024-03-01"), "{s}");
        }
        assert!(parse_date("2024-02-30").is_err());
        assert!(parse_date("昨天").is_err());
        let h = |s: &str| parse_headcount(s).unwrap().value;
        assert_eq!(h("招3人"), Some(3));
        assert_eq!(h("10-20人"), Some(10));
        assert_eq!(h("若干"), None);
        assert_eq!(h("五名"), Some(5));
        assert!(parse_headcount("0人").is_err());
    }
}
