//! The properties the fuzz targets check, one function per target.
//!
//! Each takes any bytes and returns `Err` naming what broke; a panic inside
//! the engine is a failure too. The fuzz targets (`fuzz_targets/`) call
//! these under libFuzzer; the crate's test suite includes this file
//! (`tests/fuzz_corpus.rs`) and replays every committed corpus and
//! regression file through them on stable Rust.

use std::collections::HashSet;
use std::sync::OnceLock;

use jobmatch::index::VacancyIndex;
use jobmatch::market::{Market, MarketConfig};
use jobmatch::matcher::Matcher;
use jobmatch::rank::RankingConfig;
use jobmatch::region::gazetteer;
use jobmatch::taxonomy::{classify, taxonomy};
use jobmatch::{Date, RegionCode, Seeker};

/// A property check: `Err` names what broke.
pub type Check = fn(&[u8]) -> Result<(), String>;

/// The targets by name, as in `fuzz/Cargo.toml` and `fuzz/corpus/<name>/`.
pub const TARGETS: [(&str, Check); 10] = [
    ("ingest_levels", ingest_levels),
    ("ingest_place", ingest_place),
    ("ingest_record", ingest_record),
    ("ingest_salary", ingest_salary),
    ("jsonl_round_trip", jsonl_round_trip),
    ("query_ranking", query_ranking),
    ("ranking_config", ranking_config),
    ("region_lookup", region_lookup),
    ("text_analysis", text_analysis),
    ("title_coder", title_coder),
];

/// Vacancy and seeker JSON Lines: parsing never panics, and every record
/// that parses re-serialises and parses to the same value.
pub fn jsonl_round_trip(data: &[u8]) -> Result<(), String> {
    jobmatch::io::check_round_trip(data)
}

/// A small fixed market (400 vacancies in three segments) and its matcher.
fn matcher() -> &'static Matcher {
    static MATCHER: OnceLock<Matcher> = OnceLock::new();
    MATCHER.get_or_init(|| {
        let market = Market::new(MarketConfig {
            vacancies: 400,
            seekers: 10,
            seed: 11,
            ..Default::default()
        });
        let index = VacancyIndex::create_in_ram()
            .and_then(|index| {
                for i in 0..400 {
                    index.upsert(&market.vacancy(i))?;
                    if i % 150 == 149 {
                        index.commit()?;
                    }
                }
                index.commit()?;
                Ok(index)
            })
            .unwrap_or_else(|e| panic!("the fixed fuzz index: {e}"));
        let snapshot = index
            .snapshot()
            .unwrap_or_else(|e| panic!("the fixed fuzz snapshot: {e}"));
        let today = Date::new(2021, 3, 31).unwrap_or_else(|e| panic!("{e}"));
        Matcher::new(snapshot, RankingConfig::default(), today).unwrap_or_else(|e| panic!("{e}"))
    })
}

/// Counties the fixed market's vacancies are in and near.
const HOMES: [&str; 8] = [
    "510104", "510107", "500107", "500112", "510704", "511302", "513401", "500235",
];

/// Any bytes as a seeker (first bytes: k, home, commute, mobility flags;
/// the rest, split on `,` or new lines: skills, the first a desired title
/// when it ends in a space), ranked on the fixed market: scores finite and
/// in [0, 1], sorted, no vacancy twice, and equal to the exhaustive scan.
pub fn query_ranking(data: &[u8]) -> Result<(), String> {
    let [k, home, commute, flags, rest @ ..] = data else {
        return Ok(());
    };
    let k = usize::from(*k % 40);
    let home: RegionCode = HOMES[usize::from(*home) % HOMES.len()]
        .parse()
        .map_err(|e| format!("home: {e}"))?;
    let text = String::from_utf8_lossy(rest);
    let mut skills: Vec<String> = text.split([',', '\n']).map(str::to_owned).collect();
    let title = skills.first().filter(|s| s.ends_with(' ')).cloned();
    if title.is_some() {
        skills.remove(0);
    }
    let Ok(mut seeker) = Seeker::new("fuzz", skills, home) else {
        return Ok(()); // refused when made: a clear error, nothing to rank
    };
    seeker.commute_km = f64::from(*commute);
    seeker.mobility.relocate = flags & 1 == 1;
    if let Some(t) = title {
        seeker.titles = vec![t];
    }
    let m = matcher();
    let (fast, slow) = match (m.match_one(&seeker, k), m.match_exhaustive(&seeker, k)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(a), Err(b)) if a.to_string() == b.to_string() => return Ok(()),
        (a, b) => return Err(format!("indexed and exhaustive disagree: {a:?} vs {b:?}")),
    };
    if fast.matches.len() > k {
        return Err(format!("{} results for k = {k}", fast.matches.len()));
    }
    let mut seen = HashSet::new();
    for (i, r) in fast.matches.iter().enumerate() {
        if !(r.score.is_finite() && (0.0..=1.0).contains(&r.score)) {
            return Err(format!("score {} of {}", r.score, r.vacancy));
        }
        if !seen.insert(r.vacancy.as_str()) {
            return Err(format!("{} twice", r.vacancy));
        }
        if i > 0 && fast.matches[i - 1].score < r.score {
            return Err(format!("not sorted at {i}"));
        }
    }
    let pairs = |r: &jobmatch::matcher::MatchResult| -> Vec<(String, u64)> {
        r.matches
            .iter()
            .map(|x| (x.vacancy.clone(), x.score.to_bits()))
            .collect()
    };
    if pairs(&fast) != pairs(&slow) {
        return Err(format!(
            "indexed {:?} != exhaustive {:?}",
            pairs(&fast),
            pairs(&slow)
        ));
    }
    Ok(())
}

/// Any text as a ranking config: parsing never panics, a config that
/// parses is valid, and it re-serialises and parses to the same value.
pub fn ranking_config(data: &[u8]) -> Result<(), String> {
    let Ok(text) = std::str::from_utf8(data) else {
        return Ok(());
    };
    let Ok(config) = RankingConfig::from_json(text) else {
        return Ok(());
    };
    config
        .validate()
        .map_err(|e| format!("parsed but invalid: {e}"))?;
    let json = serde_json::to_string(&config).map_err(|e| format!("serialise: {e}"))?;
    let again = RankingConfig::from_json(&json).map_err(|e| format!("re-parse: {e}: {json}"))?;
    if again != config {
        return Err(format!("{config:?} became {again:?}"));
    }
    Ok(())
}

/// Any text as a region code or name: never panics; a code that parses
/// prints and parses to itself; a name or code that resolves names a
/// region whose own code and name resolve to it again.
pub fn region_lookup(data: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(data);
    if let Ok(code) = text.parse::<RegionCode>() {
        let again: RegionCode = code
            .to_string()
            .parse()
            .map_err(|e| format!("{code} does not re-parse: {e}"))?;
        if again != code {
            return Err(format!("{code} became {again}"));
        }
    }
    let g = gazetteer();
    let _ = g.find(&text);
    if let Ok(region) = g.resolve(&text) {
        let by_code = g
            .resolve(&region.code.to_string())
            .map_err(|e| format!("{}: its code does not resolve: {e}", region.name))?;
        if by_code.code != region.code {
            return Err(format!("{} resolves to {}", region.code, by_code.code));
        }
        if !g.find(&region.name).iter().any(|r| r.code == region.code) {
            return Err(format!("{} is not found by its name", region.name));
        }
    }
    Ok(())
}

/// Any text through folding and the analyzer: folding is idempotent, and
/// every word the analyzer gives is non-empty, folded, and is the folded
/// text at its offsets.
pub fn text_analysis(data: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(data);
    let folded = jobmatch::text::fold(&text);
    if jobmatch::text::fold(&folded) != folded {
        return Err(format!("fold is not idempotent on {text:?}"));
    }
    for w in jobmatch::text::words(&text) {
        if w.text.is_empty() {
            return Err(format!("an empty word in {text:?}"));
        }
        if folded.get(w.start..w.end) != Some(w.text.as_str()) {
            return Err(format!(
                "word {:?} at {}..{} is not the folded text there ({:?})",
                w.text,
                w.start,
                w.end,
                folded.get(w.start..w.end)
            ));
        }
    }
    let _ = jobmatch::text::terms(&text);
    Ok(())
}

/// Any text through the title coder (the first byte picks k): never
/// panics; at most k codes, each in the classification, confidences in
/// [0, 1] and sorted.
pub fn title_coder(data: &[u8]) -> Result<(), String> {
    let [k, rest @ ..] = data else {
        return Ok(());
    };
    let k = usize::from(*k % 10);
    let title = String::from_utf8_lossy(rest);
    let coded = classify(&title, k);
    if coded.len() > k {
        return Err(format!("{} codes for k = {k}", coded.len()));
    }
    for (i, c) in coded.iter().enumerate() {
        if !(0.0..=1.0).contains(&c.confidence) {
            return Err(format!("confidence {} for {}", c.confidence, c.code));
        }
        if !taxonomy().all().iter().any(|o| o.code == c.code) {
            return Err(format!("{} is not in the classification", c.code));
        }
        if i > 0 && coded[i - 1].confidence < c.confidence {
            return Err(format!("not sorted at {i}"));
        }
    }
    Ok(())
}

/// Any text as a salary: never panics; a salary read has its lowest amount
/// at most its highest, and a refusal names the field.
pub fn ingest_salary(data: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(data);
    match jobmatch::ingest::parse_salary(&text) {
        Ok(r) => {
            if let Some(s) = r.value
                && let (Some(a), Some(b)) = (s.min, s.max)
                && u32::from(a) > u32::from(b)
            {
                return Err(format!(
                    "`{text}`: min {} above max {}",
                    u32::from(a),
                    u32::from(b)
                ));
            }
            Ok(())
        }
        Err(e) if e.to_string().contains("salary") => Ok(()),
        Err(e) => Err(format!("`{text}`: an error that does not name the field: {e}")),
    }
}

/// Any text as a place: never panics; a place read is a county-level unit
/// of the gazetteer, and a refusal names the field.
pub fn ingest_place(data: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(data);
    match jobmatch::ingest::parse_place(&text) {
        Ok(r) => match gazetteer().lookup(r.value.region.get()) {
            Some(region) if region.level == jobmatch::region::Level::County => Ok(()),
            _ => Err(format!(
                "`{text}`: {} is not a county of the gazetteer",
                r.value.region
            )),
        },
        Err(e) if e.to_string().contains("location") => Ok(()),
        Err(e) => Err(format!("`{text}`: an error that does not name the field: {e}")),
    }
}

/// Any text as education, experience, headcount, date and skills: never
/// panics; values are in range; extracted spans point into the text.
pub fn ingest_levels(data: &[u8]) -> Result<(), String> {
    use jobmatch::ingest::{
        Field, extract_skills, parse_date, parse_education, parse_experience, parse_headcount,
    };
    let text = String::from_utf8_lossy(data);
    let _ = parse_education(&text);
    if let Ok(r) = parse_experience(&text)
        && r.value.is_some_and(|y| y > 50)
    {
        return Err(format!("`{text}`: {:?} years", r.value));
    }
    if let Ok(r) = parse_headcount(&text)
        && r.value == Some(0)
    {
        return Err(format!("`{text}`: 0 openings"));
    }
    let _ = parse_date(&text);
    for found in extract_skills(&text, Field::Description).found {
        if text.get(found.start..found.end).is_none() {
            return Err(format!(
                "`{text}`: span {}..{} is not in the text",
                found.start, found.end
            ));
        }
    }
    Ok(())
}

/// Any bytes as a line of raw postings: never panics; a posting ingested
/// is a valid vacancy whose interchange line reads back as itself.
pub fn ingest_record(data: &[u8]) -> Result<(), String> {
    use jobmatch::ingest::{RawVacancy, ingest_all, json_lines, to_json_line};
    for item in ingest_all(json_lines::<_, RawVacancy>(data), 16) {
        if let Ok(v) = item.result {
            v.record.validate().map_err(|e| format!("invalid vacancy: {e}"))?;
            let line = to_json_line(&v).map_err(|e| e.to_string())?;
            let back: jobmatch::Vacancy = serde_json::from_str(&line).map_err(|e| format!("{line}: {e}"))?;
            if back != v.record {
                return Err(format!("{line} reads back differently"));
            }
        }
    }
    Ok(())
}
