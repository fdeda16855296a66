//! `ingest` and `index --raw`: raw postings and registrations read into
//! the interchange format.

use std::io::Write as _;

use clap::ValueEnum;
use jobmatch::ingest::{
    Columns, IngestReport, Ingested, Item, Raw, RawSeeker, RawVacancy, ingest_all, json_lines, read_csv,
    to_json_line,
};
use rayon::prelude::*;

use super::*;

/// Input formats of `ingest`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RawFormat {
    /// JSON Lines of raw records (field names as in the guide).
    Jsonl,
    /// CSV with a header (common Chinese headers are known; map others with --columns).
    Csv,
}

/// Arguments of `ingest`.
#[derive(Args)]
pub struct IngestArgs {
    /// Raw records: JSON Lines or CSV.
    #[arg(long)]
    pub input: PathBuf,
    /// Input format (default: by extension, `.csv` is CSV).
    #[arg(long, value_enum)]
    pub format: Option<RawFormat>,
    /// CSV column mapping, `field=header,…` (e.g. `title=岗位名称,salary=薪资待遇`); unmapped fields try the common headers.
    #[arg(long)]
    pub columns: Option<String>,
    /// The records are seekers' registrations, not postings.
    #[arg(long)]
    pub seekers: bool,
    /// Clean JSON Lines out, one line per record that could be read, in input order.
    #[arg(long)]
    pub output: PathBuf,
    /// The report (JSON): counts per field parsed, defaulted and refused, the 20 most frequent refused values of each, and every record refused with its line, id and reason.
    #[arg(long)]
    pub report: PathBuf,
    /// Write the interchange records only, without the `ingest` extension field (how each field was read, each extracted skill's span and clause): about 40% of the size.
    #[arg(long)]
    pub no_provenance: bool,
    /// Exit 0 when records were refused (they are in the report either
    /// way); without it, refused records make the exit code 2 once
    /// everything else is written.
    #[arg(long)]
    pub skip_bad: bool,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Raw records with their lines.
pub type RawLines<R> = Box<dyn Iterator<Item = (u64, Result<R>)>>;

/// Raw records of a file with their lines, as JSON Lines or CSV, and the
/// progress bar that follows the reading.
pub fn raw_records<R: Raw + 'static>(
    input: &Path,
    format: Option<RawFormat>,
    columns: Option<&str>,
    quiet: bool,
) -> Result<(RawLines<R>, indicatif::ProgressBar)> {
    let format = format.unwrap_or(if input.extension().is_some_and(|e| e == "csv") {
        RawFormat::Csv
    } else {
        RawFormat::Jsonl
    });
    let (reader, read_bytes, total) = ui::open_counted(input)?;
    let bar = ui::progress(total, "ingesting", quiet, true);
    let shown = bar.clone();
    Ok(match format {
        RawFormat::Jsonl => (
            Box::new(
                json_lines::<_, R>(reader)
                    .inspect(move |_| shown.set_position(read_bytes.load(Ordering::Relaxed))),
            ),
            bar,
        ),
        RawFormat::Csv => {
            let columns = match columns {
                Some(spec) => Columns::parse(spec)?,
                None => Columns::defaults(),
            };
            let rows = read_csv::<_, R>(reader, &columns).map_err(|e| e.with_path(input))?;
            shown.set_position(total);
            (Box::new(rows.into_iter()), bar)
        }
    })
}

/// `ingest`.
pub fn ingest(args: IngestArgs, quiet: bool) -> Result<()> {
    let started = Instant::now();
    let (input, format, columns, output) = (&args.input, args.format, args.columns.as_deref(), &args.output);
    let provenance = !args.no_provenance;
    let report = if args.seekers {
        ingest_file::<RawSeeker>(input, format, columns, output, provenance, quiet)?
    } else {
        ingest_file::<RawVacancy>(input, format, columns, output, provenance, quiet)?
    };
    ui::write_json(&args.report, &report)?;
    let seconds = started.elapsed().as_secs_f64();
    if args.json || !ui::stdout_is_terminal() {
        ui::print_json(&serde_json::json!({
            "records": report.records,
            "written": report.written,
            "refused": report.refused.len(),
            "skills_extracted": report.skills_extracted,
            "seconds": seconds,
            "records_per_s": report.records as f64 / seconds.max(1e-9),
        }))?;
    } else {
        print_summary(&args, &report, seconds);
    }
    match report.refused.first() {
        Some(first) if !args.skip_bad => Err(Error::Invalid {
            field: args.input.display().to_string(),
            reason: format!(
                "{} of {} records refused, each named in {} (the first: {}); the other {} are written to {} (--skip-bad accepts refusals)",
                report.refused.len(),
                report.records,
                args.report.display(),
                first.reason,
                report.written,
                args.output.display()
            ),
        }),
        _ => {
            for r in report.refused.iter().take(5) {
                eprintln!("refused: {}", r.reason);
            }
            if report.refused.len() > 5 {
                eprintln!(
                    "… and {} more in {}",
                    report.refused.len() - 5,
                    args.report.display()
                );
            }
            Ok(())
        }
    }
}

/// The summary as a table on a terminal.
fn print_summary(args: &IngestArgs, report: &IngestReport, seconds: f64) {
    println!(
        "read {} records in {:.1} s ({:.0}/s): {} written to {}, {} refused (see {})\n",
        report.records,
        seconds,
        report.records as f64 / seconds.max(1e-9),
        report.written,
        args.output.display(),
        report.refused.len(),
        args.report.display()
    );
    let rows: Vec<Vec<String>> = report
        .fields
        .iter()
        .map(|(f, c)| {
            vec![
                (*f).to_owned(),
                c.parsed.to_string(),
                c.defaulted.to_string(),
                c.refused.to_string(),
                c.top_refused
                    .first()
                    .map(|(t, n)| format!("{} ×{n}", ui::clip(t, 30)))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    ui::table(
        &[
            "field",
            ">parsed",
            ">defaulted",
            ">refused",
            "most frequent refused",
        ],
        &rows,
    );
}

/// One record's line, id, and the record with its JSON line or the error.
type Written<C> = (u64, Option<String>, Result<(Ingested<C>, String)>);

/// Ingests a file of raw records into clean JSON Lines at `output` (with
/// the `ingest` extension field when `provenance`), in parallel chunks, in
/// input order; the report.
pub fn ingest_file<R: Raw + 'static>(
    input: &Path,
    format: Option<RawFormat>,
    columns: Option<&str>,
    output: &Path,
    provenance: bool,
    quiet: bool,
) -> Result<IngestReport>
where
    R::Clean: serde::Serialize,
{
    let (records, bar) = raw_records::<R>(input, format, columns, quiet)?;
    let mut out = ui::create(output)?;
    let mut report = IngestReport::default();
    // Ingested and written out as JSON in parallel chunks, in input order.
    let mut records = records.peekable();
    while records.peek().is_some() {
        let chunk: Vec<(u64, Result<R>)> = records.by_ref().take(8192).collect();
        let done: Vec<Written<R::Clean>> = ingest_all(chunk.into_iter(), 8192)
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|Item { line, id, result }| {
                let line_of = |ingested: &Ingested<R::Clean>| {
                    if provenance {
                        to_json_line(ingested)
                    } else {
                        serde_json::to_string(&ingested.record).map_err(|e| Error::Io {
                            path: None,
                            source: e.into(),
                        })
                    }
                };
                let written = result.and_then(|ingested| line_of(&ingested).map(|json| (ingested, json)));
                (line, id, written)
            })
            .collect();
        for (line, id, written) in done {
            match written {
                Ok((ingested, json)) => {
                    writeln!(out, "{json}").map_err(|e| Error::Io {
                        path: Some(output.to_owned()),
                        source: e,
                    })?;
                    report.add(&ingested);
                }
                Err(e) => report.refuse(line, id, &e),
            }
        }
    }
    out.flush().map_err(|e| Error::Io {
        path: Some(output.to_owned()),
        source: e,
    })?;
    bar.finish_and_clear();
    report.finish();
    Ok(report)
}
