//! `generate`: a calibrated synthetic market to JSON Lines.

use super::*;

#[derive(Serialize)]
struct GenerateReport {
    vacancies: u64,
    seekers: u64,
    vacancies_bytes: u64,
    seekers_bytes: u64,
    seconds: f64,
}

/// `generate`: a market to `out/vacancies.jsonl` and `out/seekers.jsonl`.
pub fn generate(vacancies: u64, seekers: u64, seed: u64, out: &Path, json: bool, quiet: bool) -> Result<()> {
    let config = MarketConfig {
        vacancies,
        seekers,
        seed,
        ..Default::default()
    };
    let start = Instant::now();
    let (vpath, spath) = write_market(&config, out, quiet)?;
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let report = GenerateReport {
        vacancies,
        seekers,
        vacancies_bytes: size(&vpath),
        seekers_bytes: size(&spath),
        seconds: start.elapsed().as_secs_f64(),
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
    Ok(())
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
