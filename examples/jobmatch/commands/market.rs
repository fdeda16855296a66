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
    write_pair(
        config,
        out,
        quiet,
        ["postings", "registrations"],
        |m, part, file, progress| match part {
            0 => m.write_raw_vacancies(file, progress),
            _ => m.write_raw_seekers(file, progress),
        },
    )
}

/// Writes a generated market; returns the two files' paths.
pub fn write_market(config: &MarketConfig, out: &Path, quiet: bool) -> Result<(PathBuf, PathBuf)> {
    write_pair(
        config,
        out,
        quiet,
        ["vacancies", "seekers"],
        |m, part, file, progress| match part {
            0 => m.write_vacancies(file, progress),
            _ => m.write_seekers(file, progress),
        },
    )
}

/// Writes a market's vacancies (part 0) and seekers (part 1) to
/// `out/{name}.jsonl` with a progress bar each; the two paths.
fn write_pair(
    config: &MarketConfig,
    out: &Path,
    quiet: bool,
    names: [&str; 2],
    write: impl Fn(&Market, usize, std::io::BufWriter<std::fs::File>, &dyn Fn(u64)) -> Result<u64>,
) -> Result<(PathBuf, PathBuf)> {
    std::fs::create_dir_all(out).map_err(|e| Error::Io {
        path: Some(out.to_owned()),
        source: e,
    })?;
    let market = Market::new(config.clone());
    let mut paths = Vec::with_capacity(2);
    for (part, (name, count)) in names
        .into_iter()
        .zip([config.vacancies, config.seekers])
        .enumerate()
    {
        let path = out.join(format!("{name}.jsonl"));
        let bar = ui::progress(count, name, quiet, false);
        write(&market, part, ui::create(&path)?, &|n| bar.set_position(n)).map_err(|e| e.with_path(&path))?;
        bar.finish_and_clear();
        paths.push(path);
    }
    let seekers = paths.pop().unwrap_or_default();
    let vacancies = paths.pop().unwrap_or_default();
    Ok((vacancies, seekers))
}
