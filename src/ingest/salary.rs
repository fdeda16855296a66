//! Salaries as job boards write them: `4000-6000元/月`, `8千-1.2万·13薪`,
//! `15-20K`, `200元/天`, `年薪10万`, `面议`.

use super::{Read, refuse};
use crate::error::Result;
use crate::model::Cny;
use crate::text::fold;

/// Working days in a month (the statutory 21.75): a day rate × 21.75.
pub const WORKING_DAYS_PER_MONTH: f64 = 21.75;

/// Working hours in a day: an hourly rate × 8 × 21.75.
pub const HOURS_PER_DAY: f64 = 8.0;

/// Weeks in a month (52 / 12).
pub const WEEKS_PER_MONTH: f64 = 52.0 / 12.0;

/// Lowest and highest monthly amount taken as a salary: outside this a
/// number is a misreading (a phone number, a unit left out).
const PLAUSIBLE: (f64, f64) = (300.0, 1_000_000.0);

/// The period a salary is quoted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// Per hour.
    Hour,
    /// Per day.
    Day,
    /// Per week.
    Week,
    /// Per month (the default when none is written).
    Month,
    /// Per year.
    Year,
}

impl Period {
    /// The factor that turns an amount per this period into one per month.
    pub fn to_month(self) -> f64 {
        match self {
            Period::Hour => HOURS_PER_DAY * WORKING_DAYS_PER_MONTH,
            Period::Day => WORKING_DAYS_PER_MONTH,
            Period::Week => WEEKS_PER_MONTH,
            Period::Month => 1.0,
            Period::Year => 1.0 / 12.0,
        }
    }
}

/// A salary read from text, in CNY per month.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Salary {
    /// Lowest monthly amount (`None` for `5000以下`).
    pub min: Option<Cny>,
    /// Highest monthly amount (`None` for `5000以上`).
    pub max: Option<Cny>,
    /// The period it was quoted in.
    pub period: Period,
    /// Months paid a year when the posting says (`·13薪`), kept apart: the
    /// monthly amounts do not include it.
    pub months_paid: Option<u8>,
}

/// Reads a salary. `Ok(None)` for a blank field or `面议` (negotiable),
/// with how it was read.
///
/// ```
/// use jobmatch::ingest::parse_salary;
/// let s = parse_salary("8千-1.2万·13薪")?.value.unwrap();
/// assert_eq!((s.min.map(u32::from), s.max.map(u32::from), s.months_paid), (Some(8_000), Some(12_000), Some(13)));
/// let day = parse_salary("200元/天")?.value.unwrap();
/// assert_eq!(day.min.map(u32::from), Some(4_350)); // 200 × 21.75
/// assert!(parse_salary("面议")?.value.is_none());
/// # Ok::<(), jobmatch::Error>(())
/// ```
///
/// # Errors
/// [`crate::Error::Invalid`] (field `salary`) naming the text when it holds
/// no amount, an amount with no unit where one is needed (`8-12`), or an
/// implausible monthly amount.
pub fn parse_salary(text: &str) -> Result<Read<Option<Salary>>> {
    let folded: String = fold(text).chars().filter(|c| !c.is_whitespace()).collect();
    if folded.is_empty() {
        return Ok(Read::new(None, "blank"));
    }
    if ["面议", "面谈", "商议", "协商", "待定", "保密"]
        .iter()
        .any(|w| folded.contains(w))
    {
        return Ok(Read::new(None, "negotiable (面议)"));
    }
    let (rest, months_paid) = take_months(&folded);
    let period = period_of(&rest);
    let amounts = amounts(&rest);
    let (lo, hi) = match amounts.as_slice() {
        [] => return refuse("salary", text, "no amount in it"),
        [one] => {
            if rest.contains("以下") || rest.contains("以内") {
                (None, Some(*one))
            } else if ["以上", "起", "+", "不低于", "至少"]
                .iter()
                .any(|w| rest.contains(w))
            {
                (Some(*one), None)
            } else {
                (Some(*one), Some(*one))
            }
        }
        // A range written as one (`8000-15000`) is the pay, wherever it
        // stands among other amounts (`底薪4000+提成，综合8000-15000`);
        // else the first two amounts.
        [a, b, ..] => match amounts.windows(2).find(|w| w.first().is_some_and(|a| a.to_next)) {
            Some([a, b]) => (Some(*a), Some(*b)),
            _ => (Some(*a), Some(*b)),
        },
    };
    // A unit written once applies to both ends (`15-20k`, `1-1.5万`), the
    // range's own before any other amount's (`综合8-15k，底薪3000元`); a
    // range written without any unit is plain yuan.
    let unit = [hi, lo]
        .into_iter()
        .flatten()
        .find_map(|a| a.unit)
        .or_else(|| amounts.iter().rev().find_map(|a| a.unit));
    let value = |a: Option<Amount>| -> Option<f64> {
        a.map(|a| a.number * a.unit.or(unit).unwrap_or(1.0) * period.to_month())
    };
    let (lo, hi) = (value(lo), value(hi));
    let (lo, hi) = match (lo, hi) {
        (Some(a), Some(b)) if a > b => (Some(b), Some(a)),
        other => other,
    };
    for v in [lo, hi].into_iter().flatten() {
        if !(PLAUSIBLE.0..=PLAUSIBLE.1).contains(&v) {
            let hint = if unit.is_none() && v < PLAUSIBLE.0 {
                " (a unit such as 千, k or 万 missing?)"
            } else {
                ""
            };
            return refuse(
                "salary",
                text,
                &format!("{v:.0} CNY a month is not a plausible salary{hint}"),
            );
        }
    }
    let cny = |v: Option<f64>| v.map(|v| Cny::new(v.round() as i64)).transpose();
    let salary = Salary {
        min: cny(lo)?,
        max: cny(hi)?,
        period,
        months_paid,
    };
    let mut how = match period {
        Period::Month => "per month".to_owned(),
        p => format!("per {:?} × {:.2} = per month", p, p.to_month()).to_lowercase(),
    };
    if let Some(m) = months_paid {
        how.push_str(&format!(", {m} months paid a year (kept apart)"));
    }
    Ok(Read::new(Some(salary), how))
}

/// `·13薪` / `13薪` / `x13`: months paid a year, and the text without it.
fn take_months(s: &str) -> (String, Option<u8>) {
    let Some(at) = s.find('薪').filter(|at| *at > 0) else {
        return (s.to_owned(), None);
    };
    let before = &s[..at];
    let digits: String = before.chars().rev().take_while(char::is_ascii_digit).collect();
    let digits: String = digits.chars().rev().collect();
    match digits.parse::<u8>() {
        Ok(m) if (12..=24).contains(&m) => {
            let start = at - digits.len();
            let rest = s[..start].trim_end_matches(['·', '.', '*', '×', 'x', ',', '，', '/']);
            (format!("{rest}{}", &s[at + '薪'.len_utf8()..]), Some(m))
        }
        _ => (s.to_owned(), None),
    }
}

/// The period a salary text names (month when it names none).
fn period_of(s: &str) -> Period {
    let has = |words: &[&str]| words.iter().any(|w| s.contains(w));
    if has(&["小时", "/时", "时薪", "每时", "/h"]) {
        Period::Hour
    } else if has(&["/天", "/日", "日薪", "每天", "元天", "一天", "/d"]) {
        Period::Day
    } else if has(&["/周", "周薪", "每周", "/w"]) {
        Period::Week
    } else if has(&["年薪", "/年", "每年", "/y", "年收入"]) {
        Period::Year
    } else {
        Period::Month
    }
}

/// A number and the unit written right after it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Amount {
    number: f64,
    unit: Option<f64>,
    /// Joined to the next amount as a range (`8千-1.2万`, `3000至5000`).
    to_next: bool,
}

/// What joins the two ends of a range.
const RANGE_MARKS: [char; 7] = ['-', '~', '～', '—', '–', '至', '到'];

/// The amounts in a salary text, in order; a percentage (`提成5%`) is not
/// an amount.
fn amounts(s: &str) -> Vec<Amount> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(c) = chars.get(i) {
        if !c.is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while chars.get(i).is_some_and(|c| c.is_ascii_digit() || *c == '.') {
            i += 1;
        }
        let number: String = chars
            .get(start..i)
            .map(|c| c.iter().collect())
            .unwrap_or_default();
        let Ok(number) = number.trim_end_matches('.').parse::<f64>() else {
            continue;
        };
        let unit = match chars.get(i) {
            Some('k' | '千') => Some(1_000.0),
            Some('w' | '万') => Some(10_000.0),
            Some('元' | '块') => Some(1.0),
            _ => None,
        };
        if unit.is_some() {
            i += 1;
        }
        if matches!(chars.get(i), Some('%' | '％')) {
            continue;
        }
        let to_next = chars.get(i).is_some_and(|c| RANGE_MARKS.contains(c))
            && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        out.push(Amount {
            number,
            unit,
            to_next,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str) -> (Option<u32>, Option<u32>, Option<u8>) {
        let v = parse_salary(s).unwrap().value.unwrap();
        (v.min.map(u32::from), v.max.map(u32::from), v.months_paid)
    }

    #[test]
    fn the_forms_job_boards_write() {
        assert_eq!(read("4000-6000元/月"), (Some(4000), Some(6000), None));
        assert_eq!(read("8千-1.2万·13薪"), (Some(8000), Some(12000), Some(13)));
        assert_eq!(read("15-20K"), (Some(15000), Some(20000), None));
        assert_eq!(read("１５－２０ｋ"), (Some(15000), Some(20000), None));
        assert_eq!(read("年薪10万"), (Some(8333), Some(8333), None));
        assert_eq!(read("200元/天"), (Some(4350), Some(4350), None));
        assert_eq!(read("25元/小时"), (Some(4350), Some(4350), None));
        assert_eq!(read("5000以上"), (Some(5000), None, None));
        assert_eq!(read("3000元以下"), (None, Some(3000), None));
        assert_eq!(read("1-1.5万"), (Some(10000), Some(15000), None));
        assert_eq!(read("6k-8k*14薪"), (Some(6000), Some(8000), Some(14)));
        assert_eq!(read("月薪5500"), (Some(5500), Some(5500), None));
        // Base pay beside the range a posting promises in all, and a
        // commission's share, which is no amount.
        assert_eq!(
            read("底薪4000+提成，综合8000-15000"),
            (Some(8000), Some(15000), None)
        );
        assert_eq!(
            read("综合月薪6000至8000，底薪3500"),
            (Some(6000), Some(8000), None)
        );
        assert_eq!(read("底薪2500+提成5%"), (Some(2500), None, None));
        assert_eq!(read("综合8-15k，底薪3000元"), (Some(8000), Some(15000), None));
        assert_eq!(
            read("3000～5000元/月，另有全勤奖200"),
            (Some(3000), Some(5000), None)
        );
    }

    #[test]
    fn negotiable_and_blank_are_unknown_nonsense_is_refused() {
        assert!(parse_salary("面议").unwrap().value.is_none());
        assert!(parse_salary("薪资面议").unwrap().value.is_none());
        assert!(parse_salary("  ").unwrap().value.is_none());
        for bad in ["很高", "8-12", "13800138000", "abc"] {
            let e = parse_salary(bad).unwrap_err().to_string();
            assert!(e.contains("salary") && e.contains(bad), "{e}");
        }
    }
}
