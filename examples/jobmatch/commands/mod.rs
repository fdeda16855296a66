//! The everyday commands, one module per family: `market` (generate),
//! `load` (index, update, delete, expire), `rank` (match, explain),
//! `report` (stats, classify); what they share is here.

mod assign;
mod guidance;
mod ingest;
mod learn;
mod load;
mod market;
mod rank;
mod report;
mod reverse;
mod simulate;

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::Instant;

use clap::Args;
use jobmatch::index::{LoadOptions, LoadSummary, OccupationSource, OnError, VacancyIndex};
use jobmatch::io::{JsonLines, JsonLinesWriter};
use jobmatch::market::{Market, MarketConfig};
use jobmatch::matcher::{MatchResult, Matcher};
use jobmatch::rank::RankingConfig;
use jobmatch::region::gazetteer;
use jobmatch::shard::{BuildOptions, MANIFEST_FILE, ShardSet, Sharding};
use jobmatch::stats::MarketStats;
use jobmatch::{Cny, Date, Error, Industry, RegionCode, RegionPrefix, Result, Seeker, Vacancy};
use serde::Serialize;

use crate::RankArgs;
use crate::ui;

pub use assign::{AssignArgs, assign};
pub use guidance::{GapsArgs, GuidanceArgs, TrainingArgs, gaps, guidance, training};
pub use ingest::{IngestArgs, ingest, ingest_file, raw_records};
pub use learn::{FitWeightsArgs, fit_weights_cmd};
pub use load::{Loading, delete, expire, index, load, shard};
pub use market::{generate, write_market, write_raw_market};
pub use rank::{ExplainArgs, MatchArgs, explain, print_explanation, print_matches, run_match};
pub use report::{ClassifyArgs, ProfilesArgs, classify, profiles, stats, teach_coder, verify};
pub use reverse::{AlertsArgs, CandidatesArgs, SeekersIndexArgs, alerts, candidates, seekers_index};
pub use simulate::{SimulateArgs, simulate};

pub fn load_config(path: Option<&Path>) -> Result<RankingConfig> {
    let Some(path) = path else {
        return Ok(RankingConfig::default());
    };
    let config: RankingConfig = read_config(path)?;
    config.validate()?;
    Ok(config)
}

/// A config file, TOML by its extension, else JSON (unknown keys are the
/// types' own errors).
pub fn read_config<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
        path: Some(path.to_owned()),
        source: e,
    })?;
    let parsed = if path.extension().is_some_and(|e| e == "toml") {
        toml::from_str(&text).map_err(|e| e.to_string())
    } else {
        serde_json::from_str(&text).map_err(|e| e.to_string())
    };
    parsed.map_err(|reason| Error::Config { reason })
}

fn parse_date(s: &str) -> Result<Date> {
    s.parse::<Date>().map_err(|_| Error::Invalid {
        field: "--today".into(),
        reason: format!("`{s}` is not a date YYYY-MM-DD"),
    })
}

/// The committed state of the index in `dir`, or of the shard set there
/// (read as one market).
pub fn open_snapshot(dir: &Path) -> Result<jobmatch::index::Snapshot> {
    if dir.join(MANIFEST_FILE).exists() {
        ShardSet::open(dir)?.snapshot()
    } else {
        VacancyIndex::open(dir)?.snapshot()
    }
}

/// A matcher over the index or shard set in `dir`, as the ranking arguments say.
pub fn open_matcher(dir: &Path, args: &RankArgs) -> Result<Matcher> {
    let config = load_config(args.config.as_deref())?;
    let snapshot = open_snapshot(dir)?;
    let today = match &args.today {
        Some(t) => parse_date(t)?,
        None => snapshot.latest_posted().unwrap_or(Date::new(2021, 3, 31)?),
    };
    Matcher::new(snapshot, config, today)
}
