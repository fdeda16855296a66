//! GB/T 4754-2017 industry sections.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A GB/T 4754-2017 section, `A` to `T` (国民经济行业分类 门类).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Industry(u8);

/// Chinese names of sections A..T (data/industries.csv, from GB/T 4754-2017)
/// and their English names as published in the NBS English edition of the
/// classification.
const SECTIONS: [(&str, &str); 20] = [
    (
        "农、林、牧、渔业",
        "Agriculture, forestry, animal husbandry and fishery",
    ),
    ("采矿业", "Mining"),
    ("制造业", "Manufacturing"),
    (
        "电力、热力、燃气及水生产和供应业",
        "Electricity, heat, gas and water production and supply",
    ),
    ("建筑业", "Construction"),
    ("批发和零售业", "Wholesale and retail trade"),
    ("交通运输、仓储和邮政业", "Transport, storage and postal services"),
    ("住宿和餐饮业", "Accommodation and catering"),
    (
        "信息传输、软件和信息技术服务业",
        "Information transmission, software and information technology services",
    ),
    ("金融业", "Finance"),
    ("房地产业", "Real estate"),
    ("租赁和商务服务业", "Leasing and business services"),
    (
        "科学研究和技术服务业",
        "Scientific research and technical services",
    ),
    (
        "水利、环境和公共设施管理业",
        "Water conservancy, environment and public facilities management",
    ),
    (
        "居民服务、修理和其他服务业",
        "Resident services, repair and other services",
    ),
    ("教育", "Education"),
    ("卫生和社会工作", "Health and social work"),
    ("文化、体育和娱乐业", "Culture, sports and entertainment"),
    (
        "公共管理、社会保障和社会组织",
        "Public administration, social security and social organisations",
    ),
    ("国际组织", "International organisations"),
];

impl Industry {
    /// All twenty sections, A to T.
    pub fn all() -> impl Iterator<Item = Industry> {
        (0..SECTIONS.len() as u8).map(Industry)
    }

    /// The section letter, `'A'`..`'T'`.
    pub fn letter(self) -> char {
        char::from(b'A' + self.0)
    }

    /// Position 0..20, for fast fields and tables.
    pub fn index(self) -> usize {
        usize::from(self.0)
    }

    /// The section at a position 0..20.
    pub fn from_index(i: usize) -> Option<Industry> {
        (i < SECTIONS.len()).then_some(Industry(i as u8))
    }

    /// Chinese name, e.g. `制造业`.
    // An `Industry` holds an index below `SECTIONS.len()` (its only
    // constructors check), so these lookups are in range.
    #[allow(clippy::indexing_slicing)]
    pub fn name_zh(self) -> &'static str {
        SECTIONS[self.index()].0
    }

    /// English name, e.g. `Manufacturing`.
    #[allow(clippy::indexing_slicing)]
    pub fn name_en(self) -> &'static str {
        SECTIONS[self.index()].1
    }
}

impl FromStr for Industry {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.as_bytes() {
            [c @ b'A'..=b'T'] => Ok(Industry(c - b'A')),
            _ => Err(Error::invalid(
                "industry",
                format!("`{s}` is not a GB/T 4754 section letter A..T"),
            )),
        }
    }
}

impl TryFrom<String> for Industry {
    type Error = Error;
    fn try_from(s: String) -> Result<Self> {
        s.parse()
    }
}

impl From<Industry> for String {
    fn from(i: Industry) -> Self {
        i.letter().to_string()
    }
}

impl fmt::Display for Industry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.letter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_match_the_shipped_table() {
        let mut rows = csv::Reader::from_reader(include_str!("../../data/industries.csv").as_bytes());
        let names: Vec<(String, String)> = rows
            .records()
            .map(|r| {
                let r = r.unwrap();
                (r[0].to_owned(), r[1].to_owned())
            })
            .collect();
        assert_eq!(names.len(), 20);
        for (ind, (code, name)) in Industry::all().zip(&names) {
            assert_eq!(&ind.to_string(), code);
            assert_eq!(ind.name_zh(), name);
        }
        assert!("U".parse::<Industry>().is_err());
        assert!("c".parse::<Industry>().is_err());
        assert_eq!("C".parse::<Industry>().unwrap().name_en(), "Manufacturing");
    }
}
