//! `generate`: a calibrated synthetic market to JSON Lines.

use super::*;

#[derive(Serialize)]
struct GenerateReport {
    vacancies: u64,
    seekers: u64,
    vacancies_bytes: u64,
    seekers_bytes: u64,
    seconds: f64,
    /// Vacancies that re-post an earlier one (`--duplicates`).
    duplicates_planted: u64,
}

/// `generate`: a market to `out/vacancies.jsonl` and `out/seekers.jsonl`
/// (with `raw`, the same market as a job board writes it, to
/// `out/postings.jsonl` and `out/registrations.jsonl`).
pub fn generate(config: MarketConfig, out: &Path, raw: bool, json: bool, quiet: bool) -> Result<()> {
    if !(0.0..=1.0).contains(&config.duplicate_share) {
        return Err(Error::Invalid {
            field: "--duplicates".into(),
            reason: format!("{} is not a share in [0, 1]", config.duplicate_share),
        });
    }
    let (vacancies, seekers) = (config.vacancies, config.seekers);
    let start = Instant::now();
    let (vpath, spath) = if raw {
        write_raw_market(&config, out, quiet)?
    } else {
        write_market(&config, out, quiet)?
    };
    let duplicates_planted = if config.duplicate_share > 0.0 {
        let market = jobmatch::market::Market::new(config.clone());
        (0..vacancies)
            .filter(|&i| market.duplicate_of(i).is_some())
            .count() as u64
    } else {
        0
    };
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let report = GenerateReport {
        vacancies,
        seekers,
        vacancies_bytes: size(&vpath),
        seekers_bytes: size(&spath),
        seconds: start.elapsed().as_secs_f64(),
        duplicates_planted,
    };
    if json {
        return ui::print_json(&report);
    }
    println!(
        "wrote {} vacancies ({:.1} MB) to {} and {} seekers to {} in {:.1} s",
        report.vacancies,
        report.vacancies_bytes as f64 / 1e6,
        vpath.display(),
        report.seekers,
        spath.display(),
        report.seconds
    );
    if duplicates_planted > 0 {
        println!("{duplicates_planted} of the vacancies re-post an earlier one under another id");
    }
    Ok(())
}

/// Writes a generated market as raw postings and registrations
/// (`postings.jsonl`, `registrations.jsonl`); returns the two files' paths.
pub fn write_raw_market(config: &MarketConfig, out: &Path, quiet: bool) -> Result<(PathBuf, PathBuf)> {
    std::fs::create_dir_all(out).map_err(|e| Error::Io {
        path: Some(out.to_owned()),
        source: e,
    })?;
    let market = Market::new(config.clone());
    let vpath = out.join("postings.jsonl");
    let bar = ui::progress(config.vacancies, "postings", quiet, false);
    market
        .write_raw_vacancies(ui::create(&vpath)?, |n| bar.set_position(n))
        .map_err(|e| e.with_path(&vpath))?;
    bar.finish_and_clear();
    let spath = out.join("registrations.jsonl");
    let bar = ui::progress(config.seekers, "registrations", quiet, false);
    market
        .write_raw_seekers(ui::create(&spath)?, |n| bar.set_position(n))
        .map_err(|e| e.with_path(&spath))?;
    bar.finish_and_clear();
    Ok((vpath, spath))
}

/// Writes a generated market; returns the two files' paths.
pub fn write_market(config: &MarketConfig, out: &Path, quiet: bool) -> Result<(PathBuf, PathBuf)> {
    std::fs::create_dir_all(out).map_err(|e| Error::Io {
        path: Some(out.to_owned()),
        source: e,
    })?;
    let market = Market::new(config.clone());
    let vpath = out.join("vacancies.jsonl");
    let bar = ui::progress(config.vacancies, "vacancies", quiet, false);
    market
        .write_vacancies(ui::create(&vpath)?, |n| bar.set_position(n))
        .map_err(|e| e.with_path(&vpath))?;
    bar.finish_and_clear();
    let spath = out.join("seekers.jsonl");
    let bar = ui::progress(config.seekers, "seekers", quiet, false);
    market
        .write_seekers(ui::create(&spath)?, |n| bar.set_position(n))
        .map_err(|e| e.with_path(&spath))?;
    bar.finish_and_clear();
    Ok((vpath, spath))
}
