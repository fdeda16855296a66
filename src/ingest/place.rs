//! Places as postings write them: `重庆市渝北区龙溪街道`, `成都高新区天府三街`,
//! `四川省绵阳市`, `九龙坡`, to a county-level code of the gazetteer.
//!
//! The longest gazetteer name in the text wins, a county over its
//! prefecture; a county name two prefectures share (`市中区`) is settled by
//! the prefecture the text names. Development zones, which are not legal
//! units, are read through `data/zones.csv` (each with its basis and
//! source). A text that names only a prefecture is read as the county that
//! holds the prefecture's seat (the nearest county seat), and says so. A
//! place outside Sichuan and Chongqing is refused with its province named,
//! never guessed.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::{Read, refuse};
use crate::error::{Error, Result};
use crate::region::{Coordinates, Gazetteer, Level, Region, RegionCode, Status, gazetteer};
use crate::text::fold;

/// A place read from text.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Place {
    /// The county-level unit.
    pub region: RegionCode,
    /// Coordinates, when the text gives them (`30.57,104.06`).
    pub coordinates: Option<Coordinates>,
}

/// Provinces outside the two the gazetteer covers, by the names addresses
/// use: a place in one is refused, naming it.
const OTHER_PROVINCES: [&str; 32] = [
    "北京",
    "天津",
    "河北",
    "山西",
    "内蒙古",
    "辽宁",
    "吉林",
    "黑龙江",
    "上海",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "广西",
    "海南",
    "贵州",
    "云南",
    "西藏",
    "陕西",
    "甘肃",
    "青海",
    "宁夏",
    "新疆",
    "台湾",
    "香港",
    "澳门",
];

/// A development zone of `data/zones.csv`.
#[derive(Debug, Clone)]
struct Zone {
    names: Vec<String>,
    region: RegionCode,
    basis: String,
}

/// The names a place text may hold, folded, each to what it means.
#[derive(Debug)]
struct Names {
    /// Gazetteer units by full and short names (several for `市中区`).
    units: HashMap<String, Vec<usize>>,
    zones: Vec<Zone>,
    /// Longest name, in characters.
    longest: usize,
}

/// The zones table shipped with the crate, parsed once.
// The shipped table is compiled in and parsed by the tests.
#[allow(clippy::expect_used)]
fn names() -> &'static Names {
    static NAMES: OnceLock<Names> = OnceLock::new();
    NAMES.get_or_init(|| {
        Names::new(gazetteer(), include_str!("../../data/zones.csv"))
            .expect("the shipped data/zones.csv is valid (checked by tests)")
    })
}

impl Names {
    fn new(g: &Gazetteer, zones_csv: &str) -> Result<Names> {
        let mut units: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, r) in g.all().iter().enumerate() {
            for name in unit_names(r) {
                let list = units.entry(fold(&name)).or_default();
                if !list.contains(&i) {
                    list.push(i);
                }
            }
        }
        #[derive(serde::Deserialize)]
        struct Row {
            name: String,
            aliases: String,
            adcode: String,
            basis: String,
            #[allow(dead_code)]
            source: String,
        }
        let mut zones = Vec::new();
        let mut rdr = csv::Reader::from_reader(zones_csv.as_bytes());
        for (i, row) in rdr.deserialize::<Row>().enumerate() {
            let row = row.map_err(|e| Error::Parse {
                line: i as u64 + 2,
                field: "(row)".into(),
                reason: format!("zones.csv: {e}"),
            })?;
            let region: RegionCode = row.adcode.parse()?;
            let mut names = vec![fold(&row.name)];
            names.extend(row.aliases.split('|').filter(|a| !a.is_empty()).map(fold));
            zones.push(Zone {
                names,
                region,
                basis: row.basis,
            });
        }
        let longest = units
            .keys()
            .chain(zones.iter().flat_map(|z| &z.names))
            .map(|n| n.chars().count())
            .max()
            .unwrap_or(0);
        Ok(Names {
            units,
            zones,
            longest,
        })
    }
}

/// The names a unit goes by in addresses: full (`九龙坡区`), without its
/// suffix (`九龙坡`), and for an autonomous unit its place name with and
/// without the level (`凉山州`, `凉山`, `峨边县`).
fn unit_names(r: &Region) -> Vec<String> {
    let mut out = vec![r.name.clone()];
    for suffix in ["自治州", "自治县", "新区", "市", "区", "县", "省"] {
        if let Some(stem) = r.name.strip_suffix(suffix)
            && stem.chars().count() >= 2
        {
            out.push(stem.to_owned());
            break;
        }
    }
    if r.name.ends_with("自治州") || r.name.ends_with("自治县") {
        let place: String = r.name.chars().take(2).collect();
        let level = if r.name.ends_with('州') { "州" } else { "县" };
        out.push(format!("{place}{level}"));
        out.push(place);
    }
    out
}

/// One name found in the text.
#[derive(Debug, Clone, Copy)]
enum Hit<'a> {
    Unit(&'a [usize]),
    Zone(&'a Zone),
}

/// Reads a place: a county-level code, and coordinates when the text ends
/// with them.
///
/// ```
/// use jobmatch::ingest::parse_place;
/// assert_eq!(parse_place("重庆市九龙坡区西彭镇")?.value.region.to_string(), "500107");
/// assert_eq!(parse_place("成都高新区天府三街")?.value.region.to_string(), "510107");
/// assert!(parse_place("贵州省贵阳市").is_err());
/// # Ok::<(), jobmatch::Error>(())
/// ```
///
/// # Errors
/// [`Error::Invalid`] (field `location`) naming the text when it is blank,
/// names a place outside Sichuan and Chongqing (the province named), only
/// Sichuan province, a county name it cannot settle, or nothing known.
pub fn parse_place(text: &str) -> Result<Read<Place>> {
    let g = gazetteer();
    let (text_only, coordinates) = split_coordinates(text);
    let folded: String = fold(text_only).chars().filter(|c| !c.is_whitespace()).collect();
    if folded.is_empty() {
        return refuse("location", text, "no place in it");
    }
    let names = names();
    let hits = scan(&folded, names);
    let units: Vec<&Region> = hits
        .iter()
        .filter_map(|h| match h {
            Hit::Unit(ids) => Some(*ids),
            Hit::Zone(_) => None,
        })
        .flat_map(|ids| ids.iter().filter_map(|i| g.all().get(*i)))
        .collect();
    let prefecture = units
        .iter()
        .find(|r| r.level == Level::Prefecture)
        .map(|r| r.code)
        .or_else(|| {
            units
                .iter()
                .find(|r| r.level == Level::Province && r.code.get() == 500_000)
                .map(|r| r.code)
        });
    let in_zone = |z: &Zone| {
        let how = format!("development zone → {} ({})", g.get(z.region).name, z.basis);
        Ok(Read::new(
            Place {
                region: z.region,
                coordinates,
            },
            how,
        ))
    };
    // A zone first: its name is longer and more precise than the city's.
    if let Some(z) = hits.iter().find_map(|h| match h {
        Hit::Zone(z) => Some(*z),
        Hit::Unit(_) => None,
    }) {
        return in_zone(z);
    }
    // A zone named without its city (`成都市高新区`), when the city is named.
    if let Some(p) = prefecture {
        let city: String = g.get(p).name.chars().take(2).collect();
        for z in &names.zones {
            if g.get(z.region).prefecture != p && g.get(z.region).province != p {
                continue;
            }
            if z.names.iter().any(|n| {
                n.strip_prefix(city.as_str())
                    .is_some_and(|short| short.chars().count() >= 3 && folded.contains(short))
            }) {
                return in_zone(z);
            }
        }
    }
    let counties: Vec<&Region> = units
        .iter()
        .copied()
        .filter(|r| r.level == Level::County)
        .collect();
    if !counties.is_empty() {
        // Settle a shared name by the prefecture named, else by the other
        // counties named (their prefecture).
        let in_context: Vec<&Region> = match prefecture {
            Some(p) => counties
                .iter()
                .copied()
                .filter(|r| r.prefecture == p || r.province == p)
                .collect(),
            None => counties.clone(),
        };
        let pick = |list: &[&Region]| -> Option<RegionCode> {
            let first = list.first()?;
            let same: Vec<&&Region> = list.iter().filter(|r| r.name == first.name).collect();
            (same.len() == 1).then_some(first.code)
        };
        if let Some(code) = pick(&in_context).or_else(|| pick(&counties)) {
            let r = g.get(code);
            let mut how = format!("county {}", r.name);
            if r.status == Status::Abolished2025 {
                how.push_str(" (abolished at the end of 2025; the code stays valid for data from before)");
            }
            return Ok(Read::new(
                Place {
                    region: code,
                    coordinates,
                },
                how,
            ));
        }
        let names: Vec<String> = counties
            .iter()
            .map(|r| format!("{} {}", r.code, r.name))
            .collect();
        return refuse(
            "location",
            text,
            &format!(
                "names a county that several prefectures have ({}); name the prefecture",
                names.join(", ")
            ),
        );
    }
    if let Some(p) = prefecture
        && let Some(seat) = seat_county(g, p)
    {
        let how = format!(
            "prefecture {} only: read as its seat county {}",
            g.get(p).name,
            seat.name
        );
        return Ok(Read::new(
            Place {
                region: seat.code,
                coordinates,
            },
            how,
        ));
    }
    if let Some(other) = OTHER_PROVINCES.iter().find(|p| folded.contains(*p)) {
        return refuse(
            "location",
            text,
            &format!("in {other}, outside Sichuan and Chongqing"),
        );
    }
    if units.iter().any(|r| r.level == Level::Province) {
        return refuse(
            "location",
            text,
            "names only the province: a prefecture or county is needed",
        );
    }
    refuse("location", text, "no Sichuan or Chongqing place in it")
}

/// Every known name in the text, longest first at each position, scanning
/// left to right without overlaps.
fn scan<'a>(folded: &str, names: &'a Names) -> Vec<Hit<'a>> {
    let chars: Vec<char> = folded.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let mut found = None;
        for len in (2..=names.longest.min(chars.len() - i)).rev() {
            let Some(window) = chars.get(i..i + len) else {
                continue;
            };
            let s: String = window.iter().collect();
            if let Some(z) = names.zones.iter().find(|z| z.names.contains(&s)) {
                found = Some((len, Hit::Zone(z)));
                break;
            }
            if let Some(ids) = names.units.get(&s) {
                found = Some((len, Hit::Unit(ids)));
                break;
            }
        }
        match found {
            Some((len, hit)) => {
                out.push(hit);
                i += len;
            }
            None => i += 1,
        }
    }
    out
}

/// The county of a prefecture (or of Chongqing) whose seat is nearest the
/// prefecture's seat.
fn seat_county(g: &Gazetteer, prefecture: RegionCode) -> Option<&Region> {
    let seat = g.get(prefecture).seat;
    g.all()
        .iter()
        .filter(|r| {
            r.level == Level::County && r.prefecture == prefecture && r.status != Status::Abolished2025
        })
        .min_by(|a, b| a.seat.distance_km(seat).total_cmp(&b.seat.distance_km(seat)))
}

/// `…（30.57, 104.06）` or `… 30.57,104.06` at the end of a place: the text
/// before and the coordinates, when they are valid ones.
fn split_coordinates(text: &str) -> (&str, Option<Coordinates>) {
    let trimmed = text.trim_end_matches([')', '）', ' ']);
    let tail_start = trimmed
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit() || matches!(c, '.' | ',' | '，' | ' ' | '-'))
        .last()
        .map(|(i, _)| i);
    let Some(at) = tail_start else {
        return (text, None);
    };
    let tail = trimmed.get(at..).unwrap_or("");
    let mut parts = tail.split([',', '，']).map(str::trim).filter(|p| !p.is_empty());
    let (Some(lat), Some(lon), None) = (parts.next(), parts.next(), parts.next()) else {
        return (text, None);
    };
    match (lat.parse::<f64>(), lon.parse::<f64>()) {
        (Ok(lat), Ok(lon)) => match Coordinates::new(lat, lon) {
            Ok(c) => (
                trimmed.get(..at).unwrap_or("").trim_end_matches(['(', '（', ' ']),
                Some(c),
            ),
            Err(_) => (text, None),
        },
        _ => (text, None),
    }
}

/// Words that say a job is done away from the workplace: a remote
/// vacancy scores as near for every seeker. Matched with spaces out.
const REMOTE_CUES: [&str; 9] = [
    "远程办公",
    "远程工作",
    "远程岗位",
    "可远程",
    "支持远程",
    "全远程",
    "居家办公",
    "在家办公",
    "线上办公",
];

/// The remote-work cue a text holds, if any (`马尔康市（可远程办公）`,
/// `工作地点：居家办公`).
///
/// ```
/// use jobmatch::ingest::remote_cue;
/// assert_eq!(remote_cue("成都市武侯区（可远程办公）"), Some("远程办公"));
/// assert_eq!(remote_cue("成都市武侯区，可远程"), Some("可远程"));
/// assert_eq!(remote_cue("工作地点：居家办公，不限城市"), Some("居家办公"));
/// assert_eq!(remote_cue("远程控制系统调试"), None);
/// ```
pub fn remote_cue(text: &str) -> Option<&'static str> {
    // Every cue holds one of these characters: most texts hold none.
    if !text.contains(['远', '居', '家', '线']) {
        return None;
    }
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    REMOTE_CUES.iter().copied().find(|c| compact.contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_remote_cue_passes_the_quick_check() {
        for cue in REMOTE_CUES {
            assert!(cue.contains(['远', '居', '家', '线']), "{cue}");
            assert_eq!(remote_cue(&format!("工作地点：{cue}")), Some(cue));
        }
    }

    fn code(s: &str) -> String {
        parse_place(s)
            .map(|r| r.value.region.to_string())
            .unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn addresses_districts_and_zones() {
        assert_eq!(code("重庆市九龙坡区西彭镇"), "500107");
        assert_eq!(code("重庆市渝北区龙溪街道"), "500112");
        assert_eq!(code("重庆两江新区"), "500157");
        assert_eq!(code("成都高新区天府三街"), "510107");
        assert_eq!(code("成都市高新区天府五街"), "510107");
        assert_eq!(code("九龙坡"), "500107");
        assert_eq!(code("四川省乐山市市中区"), "511102");
        assert_eq!(code("内江市市中区"), "511002");
        assert_eq!(code("凉山州西昌市"), "513401");
        assert_eq!(code("四川省绵阳市"), "510703");
        assert_eq!(code("成都市锦江区春熙路（30.657, 104.080）"), "510104");
        let c = parse_place("成都市锦江区 30.657,104.080")
            .unwrap()
            .value
            .coordinates
            .unwrap();
        assert!((c.lat() - 30.657).abs() < 1e-9);
    }

    #[test]
    fn outside_or_vague_places_are_refused_with_the_reason() {
        let e = code("贵州省贵阳市观山湖区");
        assert!(e.contains("贵州") && e.contains("outside"), "{e}");
        assert!(code("市中区").contains("several"), "{}", code("市中区"));
        assert!(code("四川省").contains("province"), "{}", code("四川省"));
        assert!(code("").contains("location"));
        assert!(code("火星").contains("no Sichuan"));
    }

    #[test]
    fn the_zones_table_parses_and_names_known_units() {
        let n = names();
        assert!(n.zones.len() >= 5);
        for z in &n.zones {
            assert!(gazetteer().lookup(z.region.get()).is_some(), "{:?}", z.names);
        }
    }
}
