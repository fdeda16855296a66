//! The everyday commands: generate, index/update, match, explain, delete,
//! expire, stats.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::Instant;

use clap::Args;
use jobmatch::index::{LoadOptions, LoadSummary, OnError, VacancyIndex};
use jobmatch::io::{JsonLines, JsonLinesWriter};
use jobmatch::market::{Market, MarketConfig};
use jobmatch::matcher::{MatchResult, Matcher};
use jobmatch::rank::RankingConfig;
use jobmatch::region::gazetteer;
use jobmatch::stats::MarketStats;
use jobmatch::{Cny, Date, Error, Industry, RegionCode, RegionPrefix, Result, Seeker, Vacancy};
use serde::Serialize;

use crate::RankArgs;
use crate::ui;

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

/// `index` / `update`: load a JSON Lines file into an index.
pub fn index(
    input: &Path,
    dir: &Path,
    skip_bad: bool,
    json: bool,
    quiet: bool,
    must_exist: bool,
) -> Result<()> {
    let summary = load(input, dir, skip_bad, quiet, must_exist)?;
    if json {
        return ui::print_json(&summary);
    }
    println!(
        "indexed {} vacancies ({} replaced) in {:.1} s; rejected {}; index is {:.1} MB at {}",
        summary.indexed,
        summary.replaced,
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

/// Loads a file into an index (created unless `must_exist`).
pub fn load(input: &Path, dir: &Path, skip_bad: bool, quiet: bool, must_exist: bool) -> Result<LoadSummary> {
    let (reader, read_bytes, total_bytes) = ui::open_counted(input)?;
    let index = if must_exist {
        VacancyIndex::open(dir)?
    } else {
        VacancyIndex::open_or_create(dir)?
    };
    let bar = ui::progress(total_bytes, "indexing", quiet, true);
    let options = LoadOptions {
        on_error: if skip_bad { OnError::Skip } else { OnError::Stop },
        progress: Some(Box::new(|_: &LoadSummary| {
            bar.set_position(read_bytes.load(Ordering::Relaxed))
        })),
        max_errors_kept: 20,
    };
    let records = JsonLines::<_, Vacancy>::new(reader);
    let summary = index
        .bulk_load(records, options)
        .map_err(|e| e.with_path(input))?;
    index.close_writer()?;
    bar.finish_and_clear();
    Ok(summary)
}

/// Reads a ranking config from JSON or TOML (by extension).
pub fn load_config(path: Option<&Path>) -> Result<RankingConfig> {
    let Some(path) = path else {
        return Ok(RankingConfig::default());
    };
    let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
        path: Some(path.to_owned()),
        source: e,
    })?;
    let config = if path.extension().is_some_and(|e| e == "toml") {
        let c: RankingConfig = toml::from_str(&text).map_err(|e| Error::Config {
            reason: e.to_string(),
        })?;
        c.validate()?;
        c
    } else {
        RankingConfig::from_json(&text)?
    };
    Ok(config)
}

fn parse_date(s: &str) -> Result<Date> {
    s.parse::<Date>().map_err(|_| Error::Invalid {
        field: "--today".into(),
        reason: format!("`{s}` is not a date YYYY-MM-DD"),
    })
}

/// Opens an index and a matcher over its current state.
pub fn open_matcher(dir: &Path, args: &RankArgs) -> Result<Matcher> {
    let config = load_config(args.config.as_deref())?;
    let index = VacancyIndex::open(dir)?;
    let snapshot = index.snapshot()?;
    let today = match &args.today {
        Some(t) => parse_date(t)?,
        None => snapshot.latest_posted().unwrap_or(Date::new(2021, 3, 31)?),
    };
    Matcher::new(snapshot, config, today)
}

/// A seeker given on the command line.
#[derive(Args, Clone, Default)]
pub struct InlineSeeker {
    /// Skills, comma-separated (an inline seeker).
    #[arg(long, value_delimiter = ',')]
    skills: Option<Vec<String>>,
    /// Desired titles, comma-separated.
    #[arg(long, value_delimiter = ',')]
    titles: Vec<String>,
    /// Home region code (6 digits) or name (`九龙坡`).
    #[arg(long)]
    region: Option<String>,
    /// Farthest daily commute, km.
    #[arg(long)]
    commute_km: Option<f64>,
    /// Region prefixes the seeker would move to, comma-separated (`50`, `5101`).
    #[arg(long, value_delimiter = ',')]
    move_to: Vec<String>,
    /// Would move anywhere.
    #[arg(long)]
    relocate: bool,
    /// Farthest move, km.
    #[arg(long)]
    max_km: Option<f64>,
    /// Lowest acceptable monthly salary.
    #[arg(long)]
    salary_min: Option<i64>,
    /// Preferred industries (GB/T 4754 letters), comma-separated.
    #[arg(long, value_delimiter = ',')]
    industries: Vec<String>,
}

impl InlineSeeker {
    fn given(&self) -> bool {
        self.skills.is_some() || self.region.is_some()
    }

    fn build(&self) -> Result<Seeker> {
        let region = self.region.as_deref().ok_or_else(|| Error::Invalid {
            field: "--region".into(),
            reason: "an inline seeker needs a home region (code or name)".into(),
        })?;
        let region = gazetteer().resolve(region).map_err(|e| match e {
            Error::Invalid { reason, .. } => Error::Invalid {
                field: "--region".into(),
                reason,
            },
            other => other,
        })?;
        let region = region.code;
        let mut s = Seeker::new("cli", self.skills.clone().unwrap_or_default(), region)?;
        s.titles = self.titles.clone();
        if let Some(km) = self.commute_km {
            s.commute_km = km;
        }
        s.mobility.regions = self
            .move_to
            .iter()
            .map(|p| p.parse::<RegionPrefix>())
            .collect::<Result<_>>()?;
        s.mobility.relocate = self.relocate;
        s.mobility.max_km = self.max_km;
        s.salary_min = self.salary_min.map(Cny::new).transpose()?;
        s.industries = self
            .industries
            .iter()
            .map(|i| i.parse::<Industry>())
            .collect::<Result<_>>()?;
        s.validate()?;
        Ok(s)
    }
}

/// Arguments of `match`.
#[derive(Args)]
pub struct MatchArgs {
    /// Index directory.
    #[arg(long)]
    index: PathBuf,
    /// Seekers, JSON Lines (`-` for stdin; default stdin unless an inline seeker is given).
    #[arg(long)]
    seekers: Option<PathBuf>,
    /// How many vacancies per seeker.
    #[arg(long, default_value_t = 10)]
    top: usize,
    /// Write results here instead of stdout.
    #[arg(long)]
    output: Option<PathBuf>,
    /// Add each match's full explanation.
    #[arg(long)]
    explain: bool,
    /// Threads for batch matching (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Rank by scoring every vacancy instead of through the index (the reference).
    #[arg(long)]
    exhaustive: bool,
    /// Skip bad seeker lines (reported on stderr) instead of stopping.
    #[arg(long)]
    skip_bad: bool,
    #[command(flatten)]
    rank: RankArgs,
    #[command(flatten)]
    seeker: InlineSeeker,
}

#[derive(Serialize)]
struct ExplainedResult<'a> {
    seeker: &'a str,
    matches: Vec<serde_json::Value>,
}

/// `match`.
pub fn run_match(args: MatchArgs, quiet: bool) -> Result<()> {
    let matcher = open_matcher(&args.index, &args.rank)?;
    if args.seeker.given() {
        let seeker = args.seeker.build()?;
        let result = rank(&matcher, std::slice::from_ref(&seeker), args.top, args.exhaustive)
            .pop()
            .ok_or_else(|| Error::Panic("no result".into()))??;
        if ui::stdout_is_terminal() && args.output.is_none() {
            return print_matches(&matcher, &seeker, &result, args.explain);
        }
        let mut out = output(args.output.as_deref())?;
        write_result(&matcher, &mut out, &seeker, &result, args.explain)?;
        return out.finish().map(drop);
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .map_err(|e| Error::Panic(e.to_string()))?;
    let path = args.seekers.clone().unwrap_or_else(|| PathBuf::from("-"));
    let reader: Box<dyn BufRead> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let (r, _, _) = ui::open_counted(&path)?;
        Box::new(r)
    };
    let mut out = output(args.output.as_deref())?;
    // People at a terminal get tables; pipes and files get JSON Lines.
    let human = args.output.is_none() && ui::stdout_is_terminal();
    let mut lines = JsonLines::<_, Seeker>::new(reader);
    let started = Instant::now();
    let mut done = 0u64;
    let bar = ui::progress(0, "seekers", quiet || args.output.is_none(), false);
    loop {
        let mut batch = Vec::with_capacity(2048);
        for record in lines.by_ref() {
            match record {
                Ok(s) => batch.push(s),
                Err(e) if args.skip_bad => eprintln!("skipped: {}: {e}", path.display()),
                Err(e) => return Err(e.with_path(&path)),
            }
            if batch.len() == 2048 {
                break;
            }
        }
        if batch.is_empty() {
            break;
        }
        let results = pool.install(|| rank(&matcher, &batch, args.top, args.exhaustive));
        for (seeker, result) in batch.iter().zip(results) {
            if human {
                print_matches(&matcher, seeker, &result?, args.explain)?;
                println!();
            } else {
                write_result(&matcher, &mut out, seeker, &result?, args.explain)?;
            }
        }
        done += batch.len() as u64;
        bar.set_position(done);
    }
    bar.finish_and_clear();
    out.finish()?;
    if args.output.is_some() && !quiet {
        eprintln!(
            "ranked {done} seekers in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

fn rank(matcher: &Matcher, seekers: &[Seeker], k: usize, exhaustive: bool) -> Vec<Result<MatchResult>> {
    matcher.match_batch(seekers, k, exhaustive)
}

fn output(path: Option<&Path>) -> Result<JsonLinesWriter<Box<dyn Write>>> {
    let w: Box<dyn Write> = match path {
        Some(p) => Box::new(ui::create(p)?),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    Ok(JsonLinesWriter::new(w))
}

fn write_result(
    matcher: &Matcher,
    out: &mut JsonLinesWriter<Box<dyn Write>>,
    seeker: &Seeker,
    result: &MatchResult,
    explain: bool,
) -> Result<()> {
    if !explain {
        return out.write(result);
    }
    let matches = result
        .matches
        .iter()
        .map(|m| {
            let mut v = serde_json::to_value(m).map_err(|e| Error::Panic(e.to_string()))?;
            let e = matcher.explain(seeker, &m.vacancy)?;
            v["explain"] = serde_json::to_value(e).map_err(|e| Error::Panic(e.to_string()))?;
            Ok(v)
        })
        .collect::<Result<Vec<_>>>()?;
    out.write(&ExplainedResult {
        seeker: &result.seeker,
        matches,
    })
}

/// Prints one seeker's matches as a table.
pub fn print_matches(matcher: &Matcher, seeker: &Seeker, result: &MatchResult, explain: bool) -> Result<()> {
    let snapshot = matcher.snapshot();
    let mut rows = Vec::new();
    for (i, m) in result.matches.iter().enumerate() {
        let (title, employer, region) = match snapshot.vacancy(&m.vacancy)? {
            Some(v) => (v.title, v.employer, gazetteer().get(v.region).name.clone()),
            None => Default::default(),
        };
        let c = &m.components;
        let get = |n: &str| c.get(n).unwrap_or(0.0);
        rows.push(vec![
            (i + 1).to_string(),
            m.vacancy.clone(),
            ui::clip(&title, 24),
            ui::clip(&employer, 20),
            region,
            format!("{:.1}", m.distance_km),
            format!("{:.3}", m.score),
            format!("{:.2}", get("skills")),
            format!("{:.2}", get("location")),
            format!("{:.2}", get("mobility")),
            m.widened.map_or(String::new(), |w| format!("{w:?}")),
        ]);
    }
    println!(
        "Seeker {}: skills {:?}, home {} {}, commute {} km",
        seeker.id,
        seeker.skills,
        seeker.region,
        seeker.region.region().name,
        seeker.commute_km
    );
    ui::table(
        &[
            ">#",
            "vacancy",
            "title",
            "employer",
            "region",
            ">km",
            ">score",
            ">skills",
            ">location",
            ">mobility",
            "widened",
        ],
        &rows,
    );
    if explain {
        for m in &result.matches {
            println!();
            print_explanation(&matcher.explain(seeker, &m.vacancy)?);
        }
    }
    Ok(())
}

/// Prints an explanation for people.
pub fn print_explanation(e: &jobmatch::matcher::Explanation) {
    match (&e.score, &e.excluded) {
        (Some(score), _) => println!(
            "{} for {}: score {score:.4}, {:.1} km from home",
            e.vacancy, e.seeker, e.distance_km
        ),
        (None, Some(why)) => println!("{} for {}: EXCLUDED: {why}", e.vacancy, e.seeker),
        (None, None) => println!("{} for {}", e.vacancy, e.seeker),
    }
    let rows: Vec<Vec<String>> = e
        .signals
        .iter()
        .filter(|s| s.weight > 0.0)
        .map(|s| {
            vec![
                s.name.to_owned(),
                format!("{:.3}", s.value),
                format!("{:.3}", s.weight),
                format!("{:.4}", s.contribution),
            ]
        })
        .collect();
    ui::table(&["signal", ">value", ">weight", ">contribution"], &rows);
    for (what, credits) in [("skill", &e.skills), ("title term", &e.title_terms)] {
        for c in credits.iter() {
            match &c.matched {
                Some(m) if *m != jobmatch::taxonomy::skills().canonical(&c.term) && what == "skill" => {
                    println!(
                        "  {what} {} (share {:.2}): credit {:.2} via {m}",
                        c.term, c.share, c.credit
                    )
                }
                Some(_) => println!("  {what} {} (share {:.2}): matched", c.term, c.share),
                None => println!("  {what} {} (share {:.2}): not in the vacancy", c.term, c.share),
            }
        }
    }
}

/// Arguments of `explain`.
#[derive(Args)]
pub struct ExplainArgs {
    /// Index directory.
    #[arg(long)]
    index: PathBuf,
    /// The vacancy id.
    #[arg(long)]
    vacancy: String,
    /// Seekers file (JSON Lines) holding the seeker.
    #[arg(long)]
    seekers: Option<PathBuf>,
    /// The seeker's id in that file.
    #[arg(long)]
    seeker: Option<String>,
    /// Print as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    rank: RankArgs,
    #[command(flatten)]
    inline: InlineSeeker,
}

/// `explain`.
pub fn explain(args: ExplainArgs) -> Result<()> {
    let matcher = open_matcher(&args.index, &args.rank)?;
    let seeker = if args.inline.given() {
        args.inline.build()?
    } else {
        let (path, id) = match (&args.seekers, &args.seeker) {
            (Some(p), Some(id)) => (p, id),
            _ => {
                return Err(Error::Invalid {
                    field: "--seeker".into(),
                    reason: "give --seekers FILE --seeker ID, or an inline seeker (--skills … --region …)"
                        .into(),
                });
            }
        };
        let (reader, _, _) = ui::open_counted(path)?;
        let mut found = None;
        for record in JsonLines::<_, Seeker>::new(reader) {
            let s = record.map_err(|e| e.with_path(path))?;
            if &s.id == id {
                found = Some(s);
                break;
            }
        }
        found.ok_or_else(|| Error::Invalid {
            field: "--seeker".into(),
            reason: format!("no seeker `{id}` in {}", path.display()),
        })?
    };
    let e = matcher.explain(&seeker, &args.vacancy)?;
    if args.json {
        return ui::print_json(&e);
    }
    print_explanation(&e);
    Ok(())
}

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

/// `stats`.
pub fn stats(dir: &Path, seekers: Option<&Path>, json: bool) -> Result<()> {
    let index = VacancyIndex::open(dir)?;
    let snapshot = index.snapshot()?;
    let mut st = MarketStats::of(&snapshot);
    if let Some(path) = seekers {
        let (reader, _, _) = ui::open_counted(path)?;
        let all: Vec<Seeker> = JsonLines::new(reader)
            .collect::<Result<_>>()
            .map_err(|e| e.with_path(path))?;
        st = st.with_seekers(&all);
    }
    if json {
        return ui::print_json(&st);
    }
    let total = st.total.vacancies.max(1) as f64;
    println!(
        "{} vacancies, {} openings ({} remote)\n",
        st.total.vacancies, st.total.openings, st.remote
    );
    let rows: Vec<Vec<String>> = st
        .by_industry
        .iter()
        .map(|(k, c)| {
            let name = k
                .parse::<Industry>()
                .map_or("(none)".to_owned(), |i| i.name_zh().to_owned());
            vec![
                k.clone(),
                name,
                c.vacancies.to_string(),
                format!("{:.2}%", 100.0 * c.vacancies as f64 / total),
                c.openings.to_string(),
            ]
        })
        .collect();
    ui::table(
        &["section", "industry", ">vacancies", ">share", ">openings"],
        &rows,
    );
    println!();
    let name = |code: &str| {
        code.parse::<RegionCode>()
            .map_or(String::new(), |c| c.region().name.clone())
    };
    let region_rows = |map: &std::collections::BTreeMap<String, jobmatch::stats::Count>| -> Vec<Vec<String>> {
        let mut rows: Vec<_> = map.iter().collect();
        rows.sort_by(|a, b| b.1.vacancies.cmp(&a.1.vacancies).then(a.0.cmp(b.0)));
        rows.into_iter()
            .map(|(k, c)| {
                vec![
                    k.clone(),
                    name(k),
                    c.vacancies.to_string(),
                    c.openings.to_string(),
                    c.seekers.map_or("-".into(), |s| s.to_string()),
                    c.openings_per_seeker.map_or("-".into(), |r| format!("{r:.2}")),
                ]
            })
            .collect()
    };
    let headers = [
        "code",
        "name",
        ">vacancies",
        ">openings",
        ">seekers",
        ">openings/seeker",
    ];
    ui::table(&headers, &region_rows(&st.by_province));
    println!();
    ui::table(&headers, &region_rows(&st.by_prefecture));
    println!("\nTop 15 districts:");
    ui::table(
        &headers,
        &region_rows(&st.by_district)
            .into_iter()
            .take(15)
            .collect::<Vec<_>>(),
    );
    println!("\nBy CSCO major group:");
    let rows: Vec<Vec<String>> = st
        .by_major_group
        .iter()
        .map(|(k, c)| {
            let group = format!("{k}-00-00-00")
                .parse::<jobmatch::OccupationCode>()
                .map_or("(not coded)".to_owned(), |c| c.occupation().name.clone());
            vec![
                k.clone(),
                ui::clip(&group, 40),
                c.vacancies.to_string(),
                c.openings.to_string(),
            ]
        })
        .collect();
    ui::table(&["major", "group", ">vacancies", ">openings"], &rows);
    Ok(())
}

#[derive(Serialize)]
struct ClassifiedTitle<'a> {
    title: &'a str,
    codes: Vec<ClassifiedCode>,
}

#[derive(Serialize)]
struct ClassifiedCode {
    code: String,
    name: String,
    confidence: f32,
}

/// `classify`: one JSON line per input title, codes best first.
pub fn classify(input: Option<&Path>, top: usize) -> Result<()> {
    let reader: Box<dyn BufRead> = match input {
        Some(p) if p.as_os_str() != "-" => Box::new(ui::open_counted(p)?.0),
        _ => Box::new(std::io::stdin().lock()),
    };
    let mut out = JsonLinesWriter::new(std::io::BufWriter::new(std::io::stdout().lock()));
    let name = input.map_or("(stdin)".into(), |p| p.display().to_string());
    for (i, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| Error::Parse {
            line: i as u64 + 1,
            field: "(line)".into(),
            reason: format!("{name}: {e}"),
        })?;
        let title = line.trim();
        if title.is_empty() {
            continue;
        }
        let codes = jobmatch::taxonomy::classify(title, top)
            .into_iter()
            .map(|c| ClassifiedCode {
                code: c.code.to_string(),
                name: c.name,
                confidence: (c.confidence * 1000.0).round() / 1000.0,
            })
            .collect();
        out.write(&ClassifiedTitle { title, codes })?;
    }
    out.finish().map(drop)
}
