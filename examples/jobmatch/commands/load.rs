//! `index`, `update`, `delete`, `expire`: building and changing an index.

use super::*;

/// `index` / `update`: load a JSON Lines file into an index.
pub fn index(input: &Path, dir: &Path, how: Loading, json: bool, quiet: bool) -> Result<()> {
    let summary = load(input, dir, how, quiet)?;
    if json {
        return ui::print_json(&summary);
    }
    println!(
        "indexed {} vacancies ({} replaced{}{}) in {:.1} s; rejected {}; index is {:.1} MB at {}",
        summary.indexed,
        summary.replaced,
        if how.merge_duplicates {
            format!(", {} near-duplicates merged", summary.merged)
        } else {
            String::new()
        },
        if summary.inferred > 0 {
            format!(", {} occupations inferred from skills", summary.inferred)
        } else {
            String::new()
        },
        summary.seconds,
        summary.rejected,
        summary.bytes_on_disk as f64 / 1e6,
        dir.display()
    );
    for e in &summary.errors {
        eprintln!("rejected: {}: {e}", input.display());
    }
    if summary.rejected as usize > summary.errors.len() {
        eprintln!(
            "… and {} more rejected lines",
            summary.rejected as usize - summary.errors.len()
        );
    }
    Ok(())
}

/// `shard`: split a JSON Lines file into a shard set.
pub fn shard(input: &Path, dir: &Path, by: Sharding, skip_bad: bool, json: bool, quiet: bool) -> Result<()> {
    let (reader, read_bytes, total_bytes) = ui::open_counted(input)?;
    let bar = ui::progress(total_bytes, "sharding", quiet, true);
    let records = JsonLines::<_, Vacancy>::new(reader)
        .inspect(|_| bar.set_position(read_bytes.load(Ordering::Relaxed)));
    let options = BuildOptions {
        on_error: if skip_bad { OnError::Skip } else { OnError::Stop },
        max_errors_kept: 20,
        ..BuildOptions::default()
    };
    let (set, summary) = ShardSet::build(dir, by, records, options).map_err(|e| e.with_path(input))?;
    bar.finish_and_clear();
    if json {
        return ui::print_json(&serde_json::json!({ "summary": summary, "shards": set.manifest().shards }));
    }
    println!(
        "indexed {} vacancies into {} shards by {by} ({} occupations inferred from skills) in {:.1} s; rejected {}; {:.1} MB at {}",
        summary.indexed,
        set.manifest().shards.len(),
        summary.inferred,
        summary.seconds,
        summary.rejected,
        summary.bytes_on_disk as f64 / 1e6,
        dir.display()
    );
    let rows: Vec<Vec<String>> = set
        .manifest()
        .shards
        .iter()
        .map(|s| vec![s.name.clone(), s.vacancies.to_string()])
        .collect();
    ui::table(&["shard", ">vacancies"], &rows);
    for e in &summary.errors {
        eprintln!("rejected: {}: {e}", input.display());
    }
    Ok(())
}

/// How a file is loaded.
#[derive(Debug, Clone, Copy, Default)]
pub struct Loading {
    /// Skip bad lines instead of stopping.
    pub skip_bad: bool,
    /// Merge near-duplicate postings.
    pub merge_duplicates: bool,
    /// The index must exist (`update`).
    pub must_exist: bool,
    /// The input holds raw postings, ingested on the way in.
    pub raw: bool,
}

/// Vacancies read one at a time, each a record or the error naming it.
pub type VacancyRecords = Box<dyn Iterator<Item = Result<Vacancy>>>;

/// The vacancies of a file: clean JSON Lines, or raw postings (`raw`)
/// ingested on the way in (JSON Lines or CSV by extension), with a bar of
/// the bytes read.
pub fn vacancy_records(
    input: &Path,
    raw: bool,
    quiet: bool,
) -> Result<(VacancyRecords, indicatif::ProgressBar)> {
    if raw {
        let (raw, bar) = super::raw_records::<jobmatch::ingest::RawVacancy>(input, None, None, quiet)?;
        let items = jobmatch::ingest::ingest_all(raw, 4096).map(|item| item.result.map(|i| i.record));
        return Ok((Box::new(items), bar));
    }
    let (reader, read_bytes, total_bytes) = ui::open_counted(input)?;
    let bar = ui::progress(total_bytes, "indexing", quiet, true);
    let shown = bar.clone();
    let lines = JsonLines::<_, Vacancy>::new(reader)
        .inspect(move |_| shown.set_position(read_bytes.load(Ordering::Relaxed)));
    Ok((Box::new(lines), bar))
}

/// Loads a file into an index (created unless `how.must_exist`).
pub fn load(input: &Path, dir: &Path, how: Loading, quiet: bool) -> Result<LoadSummary> {
    let index = if how.must_exist {
        VacancyIndex::open(dir)?
    } else {
        VacancyIndex::open_or_create(dir)?
    };
    let (records, bar) = vacancy_records(input, how.raw, quiet)?;
    let options = LoadOptions {
        on_error: if how.skip_bad {
            OnError::Skip
        } else {
            OnError::Stop
        },
        progress: None,
        max_errors_kept: 20,
        merge_duplicates: how.merge_duplicates,
        market_model: None,
    };
    let summary = index
        .bulk_load(records, options)
        .map_err(|e| e.with_path(input))?;
    index.close_writer()?;
    bar.finish_and_clear();
    Ok(summary)
}

/// Reads a ranking config from JSON or TOML (by extension).

#[derive(Serialize)]
struct ChangeReport {
    requested: usize,
    found: u64,
    remaining: u64,
}

/// Commits a change, releases the writer and reports what remains.
fn finish_change(index: &VacancyIndex, requested: usize, found: u64) -> Result<ChangeReport> {
    index.commit()?;
    index.close_writer()?;
    Ok(ChangeReport {
        requested,
        found,
        remaining: index.snapshot()?.num_vacancies(),
    })
}

/// `delete`.
pub fn delete(dir: &Path, ids: &[String], json: bool) -> Result<()> {
    let index = VacancyIndex::open(dir)?;
    let mut found = 0;
    for id in ids {
        found += u64::from(index.delete(id)?);
    }
    let report = finish_change(&index, ids.len(), found)?;
    if json {
        return ui::print_json(&report);
    }
    println!(
        "deleted {found} of {} ids ({} were not in the index); {} vacancies remain",
        ids.len(),
        ids.len() as u64 - found,
        report.remaining
    );
    Ok(())
}

/// `expire`.
pub fn expire(dir: &Path, today: Option<&str>, json: bool) -> Result<()> {
    let index = VacancyIndex::open(dir)?;
    let today = match today {
        Some(t) => parse_date(t)?,
        None => index
            .snapshot()?
            .latest_posted()
            .unwrap_or(Date::new(2021, 3, 31)?),
    };
    let found = index.expire(today)?;
    let report = finish_change(&index, 0, found)?;
    if json {
        return ui::print_json(&report);
    }
    println!(
        "expired {found} vacancies that ended before {today}; {} remain",
        report.remaining
    );
    Ok(())
}
