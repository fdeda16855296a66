//! `bench --raw`: the same generated market through the whole raw
//! pipeline (free-text postings → ingest → index), so that its quality can
//! be set beside the clean market's and the ingest's cost measured.

use jobmatch::ingest::RawVacancy;

use super::*;

/// What the raw pipeline cost when the index was built.
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct IngestTiming {
    /// Raw postings read.
    pub postings: u64,
    /// Of those, refused (the reasons are in the report `ingest` writes).
    pub refused: u64,
    /// Seconds to ingest them into clean JSON Lines (`jobmatch ingest`).
    pub ingest_s: f64,
    /// Postings ingested per second.
    pub postings_per_s: f64,
    /// Threads the ingest ran on.
    pub threads: usize,
    /// Seconds to index the clean file (`jobmatch index`).
    pub index_clean_s: f64,
    /// Seconds to index the raw postings directly (`jobmatch index --raw`).
    pub index_raw_s: f64,
}

/// Builds at `args.index` the index of the generated market's raw
/// postings, unless it holds it already: the build's seconds and what the
/// ingest cost (kept beside the index, so a later run reports it too).
pub(super) fn ensure_raw_market_index(
    args: &BenchArgs,
    quiet: bool,
) -> Result<(Option<f64>, Option<IngestTiming>)> {
    let index = &args.index;
    let wanted = Provenance::new(args.vacancies, args.seed, true);
    let timing_path = index.join("ingest.json");
    if wanted.built_in(index)? {
        let timing = std::fs::read(&timing_path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok());
        return Ok((None, timing));
    }
    let data = index.with_extension("raw-market");
    let config = MarketConfig {
        vacancies: args.vacancies,
        seekers: 0,
        seed: args.seed,
        ..Default::default()
    };
    if !quiet {
        eprintln!(
            "building the index: {} raw postings into {}",
            args.vacancies,
            data.display()
        );
    }
    let (postings, _) = commands::write_raw_market(&config, &data, quiet)?;
    let clean = data.join("vacancies.jsonl");
    let start = Instant::now();
    let report = commands::ingest_file::<RawVacancy>(&postings, None, None, &clean, true, quiet)?;
    let ingest_s = start.elapsed().as_secs_f64();
    let clean_index = index.with_extension("clean-index");
    let _ = std::fs::remove_dir_all(&clean_index);
    let start = Instant::now();
    commands::load(&clean, &clean_index, commands::Loading::default(), quiet)?;
    let index_clean_s = start.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&clean_index);
    let start = Instant::now();
    let how = commands::Loading {
        skip_bad: true,
        raw: true,
        ..commands::Loading::default()
    };
    let summary = commands::load(&postings, index, how, quiet)?;
    let index_raw_s = start.elapsed().as_secs_f64();
    if !quiet {
        eprintln!(
            "ingested {} postings in {ingest_s:.1} s; indexed the clean file in {index_clean_s:.1} s, the raw postings in {index_raw_s:.1} s ({} indexed)",
            report.records, summary.indexed
        );
    }
    let timing = IngestTiming {
        postings: report.records,
        refused: report.refused.len() as u64,
        ingest_s,
        postings_per_s: report.records as f64 / ingest_s.max(1e-9),
        threads: rayon::current_num_threads(),
        index_clean_s,
        index_raw_s,
    };
    ui::write_json(&timing_path, &timing)?;
    wanted.write(index)?;
    let _ = std::fs::remove_dir_all(&data);
    Ok((Some(index_raw_s), Some(timing)))
}
