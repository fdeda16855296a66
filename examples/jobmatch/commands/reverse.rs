//! The other direction: `seekers-index`, `candidates`, `alerts`.

use jobmatch::matcher::Explanation;
use jobmatch::region::RegionCode;
use jobmatch::reverse::{Alert, CandidateResult, SavedTop, SeekerIndex, SeekerMatcher, Thresholds};

use super::*;

/// Arguments of `seekers-index`.
#[derive(Args)]
pub struct SeekersIndexArgs {
    /// Seekers, JSON Lines.
    #[arg(long)]
    pub input: PathBuf,
    /// Seeker index directory (created when missing; seekers with an id already there are replaced).
    #[arg(long)]
    pub index: PathBuf,
    /// Skip bad lines (reported on stderr) instead of stopping.
    #[arg(long)]
    pub skip_bad: bool,
}

/// Arguments shared by `candidates` and `alerts`.
#[derive(Args, Clone)]
pub struct ReverseArgs {
    /// Seeker index directory (from `seekers-index`).
    #[arg(long)]
    pub seekers_index: PathBuf,
    /// Vacancy index directory.
    #[arg(long)]
    pub vacancies_index: PathBuf,
    /// Threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub rank: RankArgs,
}

/// Arguments of `candidates`.
#[derive(Args)]
#[command(group(clap::ArgGroup::new("which").required(true).multiple(true).args(["vacancy", "draft"])))]
pub struct CandidatesArgs {
    #[command(flatten)]
    pub common: ReverseArgs,
    /// Vacancy id (repeat for several).
    #[arg(long)]
    pub vacancy: Vec<String>,
    /// Vacancies not in the index (JSON Lines, e.g. drafts an employer is writing): each gets the seekers who would fit it, scored against the indexed market.
    #[arg(long)]
    pub draft: Option<PathBuf>,
    /// The drafts are raw postings (free-text fields, as `ingest` reads them; JSON Lines or CSV by extension), ingested on the way in.
    #[arg(long, requires = "draft")]
    pub raw: bool,
    /// Seekers per vacancy.
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    /// Add each pair's per-signal breakdown.
    #[arg(long)]
    pub explain: bool,
    /// Score every seeker instead of searching (the reference).
    #[arg(long)]
    pub exhaustive: bool,
}

/// Arguments of `alerts`.
#[derive(Args)]
pub struct AlertsArgs {
    #[command(flatten)]
    pub common: ReverseArgs,
    /// New or changed vacancies (JSON Lines): added to the vacancy index, then every saved seeker whose top k one would enter is alerted.
    #[arg(long)]
    pub new: PathBuf,
    /// The feed holds raw postings (free-text fields, as `ingest` reads them; JSON Lines or CSV by extension), ingested on the way in.
    #[arg(long)]
    pub raw: bool,
    /// Length of each saved seeker's top list.
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    /// Saved tops (JSON Lines, one per seeker): read when present (else ranked now), written back with the alerts accepted.
    #[arg(long)]
    pub thresholds: Option<PathBuf>,
    /// Write the alerts here (JSON Lines) instead of stdout.
    #[arg(long)]
    pub output: Option<PathBuf>,
}

/// `seekers-index`.
pub fn seekers_index(args: SeekersIndexArgs, quiet: bool) -> Result<()> {
    let started = Instant::now();
    let store = SeekerIndex::open_or_create(&args.index)?;
    let (reader, counter, total) = ui::open_counted(&args.input)?;
    let bar = ui::progress(total, "seekers", quiet, true);
    let (mut saved, mut skipped) = (0u64, 0u64);
    for (n, record) in JsonLines::<_, Seeker>::new(reader).enumerate() {
        let result = record.and_then(|s| store.upsert(&s));
        match result {
            Ok(()) => saved += 1,
            Err(e) if args.skip_bad && e.is_user_error() => {
                skipped += 1;
                eprintln!("skipped: {}: {e}", args.input.display());
            }
            Err(e) => return Err(e.with_path(&args.input)),
        }
        if n % 4096 == 0 {
            bar.set_position(counter.load(Ordering::Relaxed));
        }
    }
    bar.set_message("committing");
    store.commit()?;
    bar.finish_and_clear();
    if !quiet {
        eprintln!(
            "saved {saved} seekers ({skipped} skipped) in {:.1} s; the index holds {}",
            started.elapsed().as_secs_f64(),
            store.num_seekers()
        );
    }
    Ok(())
}

/// Opens the saved seekers and prepares them against `matcher`.
fn prepare(store: &SeekerIndex, matcher: Matcher, quiet: bool) -> Result<(SeekerMatcher, Vec<Seeker>)> {
    let seekers = store.seekers()?;
    let bar = ui::progress(seekers.len() as u64, "seekers prepared", quiet, false);
    let sm = SeekerMatcher::with_progress(matcher, &seekers, &|n| bar.set_position(n))?;
    bar.finish_and_clear();
    Ok((sm, seekers))
}

/// `candidates`.
pub fn candidates(args: CandidatesArgs, quiet: bool) -> Result<()> {
    let store = SeekerIndex::open(&args.common.seekers_index)?;
    let matcher = open_matcher(&args.common.vacancies_index, &args.common.rank)?;
    let pool = crate::bench::pool(args.common.threads.unwrap_or(0))?;
    let (sm, seekers) = pool.install(|| prepare(&store, matcher, quiet))?;
    let human = ui::stdout_is_terminal();
    let mut out = JsonLinesWriter::new(std::io::BufWriter::new(std::io::stdout().lock()));
    for v in &args.vacancy {
        let r = if args.exhaustive {
            sm.candidates_exhaustive(v, args.top)?
        } else {
            sm.candidates(v, args.top)?
        };
        let explained = if args.explain {
            r.candidates
                .iter()
                .map(|c| {
                    let s = seekers
                        .binary_search_by(|s| s.id.as_str().cmp(&c.seeker))
                        .ok()
                        .and_then(|i| seekers.get(i))
                        .ok_or_else(|| Error::Corrupt {
                            reason: format!("seeker `{}` was found but is not saved", c.seeker),
                        })?;
                    sm.explain(s, v)
                })
                .collect::<Result<Vec<_>>>()?
        } else {
            Vec::new()
        };
        let vacancy = sm.matcher().snapshot().vacancy(v)?.map(|s| (s.title, s.region));
        write_candidates(&mut out, human, args.explain, &r, vacancy, &explained)?;
    }
    if let Some(path) = &args.draft {
        let (drafts, bar) = super::load::vacancy_records(path, args.raw, true)?;
        bar.finish_and_clear();
        for v in drafts {
            let v = v.map_err(|e| e.with_path(path))?;
            let r = sm.candidates_for(&v, args.top).map_err(|e| e.with_path(path))?;
            // A draft's candidates carry their per-signal components; the
            // term-by-term explanation needs the vacancy indexed.
            write_candidates(&mut out, human, false, &r, Some((v.title.clone(), v.region)), &[])?;
        }
    }
    out.finish().map(drop)
}

/// One vacancy's candidates: a table on a terminal, a JSON line in a pipe.
fn write_candidates<W: Write>(
    out: &mut JsonLinesWriter<W>,
    human: bool,
    explain: bool,
    r: &CandidateResult,
    vacancy: Option<(String, RegionCode)>,
    explained: &[Explanation],
) -> Result<()> {
    if human {
        print_candidates(r, vacancy, explained);
        println!();
    } else if explain {
        let mut line = serde_json::to_value(r).map_err(|e| Error::Panic(e.to_string()))?;
        line["explain"] = serde_json::to_value(explained).map_err(|e| Error::Panic(e.to_string()))?;
        out.write(&line)?;
    } else {
        out.write(r)?;
    }
    Ok(())
}

fn print_candidates(r: &CandidateResult, vacancy: Option<(String, RegionCode)>, explained: &[Explanation]) {
    let (title, region) = match vacancy {
        Some((title, region)) => (title, format!("{region} {}", region.region().name)),
        None => Default::default(),
    };
    println!("Vacancy {}: {title}, {region}", r.vacancy);
    let rows: Vec<Vec<String>> = r
        .candidates
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let get = |n: &str| c.components.get(n).unwrap_or(0.0);
            vec![
                (i + 1).to_string(),
                c.seeker.clone(),
                format!("{:.1}", c.distance_km),
                format!("{:.3}", c.score),
                format!("{:.2}", get("skills")),
                format!("{:.2}", get("occupation")),
                format!("{:.2}", get("location")),
                format!("{:.2}", get("mobility")),
            ]
        })
        .collect();
    ui::table(
        &[
            ">#",
            "seeker",
            ">km",
            ">score",
            ">skills",
            ">occupation",
            ">location",
            ">mobility",
        ],
        &rows,
    );
    for e in explained {
        println!();
        print_explanation(e);
    }
}

/// `alerts`.
pub fn alerts(args: AlertsArgs, quiet: bool) -> Result<()> {
    let started = Instant::now();
    let store = SeekerIndex::open(&args.common.seekers_index)?;
    let index = VacancyIndex::open(&args.common.vacancies_index)?;
    // The day is fixed before the feed goes in: the saved tops were ranked
    // as of it.
    let mut rank = args.common.rank.clone();
    if rank.today.is_none() {
        let latest = index
            .snapshot()?
            .latest_posted()
            .unwrap_or(Date::new(2021, 3, 31)?);
        rank.today = Some(latest.to_string());
    }
    let pool = crate::bench::pool(args.common.threads.unwrap_or(0))?;
    let saved = match &args.thresholds {
        Some(p) if p.exists() => Some(read_thresholds(p, args.top)?),
        _ => None,
    };
    let thresholds = match saved {
        Some(t) => t,
        None => {
            let matcher = open_matcher(&args.common.vacancies_index, &rank)?;
            let seekers = store.seekers()?;
            if !quiet {
                eprintln!("ranking the top {} of {} saved seekers…", args.top, seekers.len());
            }
            pool.install(|| Thresholds::compute(&matcher, &seekers, args.top))?
        }
    };
    // The feed goes into the index; scores are then the ones `match` gives.
    let (records, bar) = super::load::vacancy_records(&args.new, args.raw, quiet)?;
    let feed = records
        .collect::<Result<Vec<_>>>()
        .map_err(|e| e.with_path(&args.new))?;
    bar.finish_and_clear();
    for v in &feed {
        index.upsert(v).map_err(|e| e.with_path(&args.new))?;
    }
    index.commit()?;
    drop(index);
    let matcher = open_matcher(&args.common.vacancies_index, &rank)?;
    let seekers = store.seekers()?;
    let t = Instant::now();
    let alerts = pool.install(|| jobmatch::reverse::alerts(&matcher, &seekers, &thresholds, &feed))?;
    let alert_s = t.elapsed().as_secs_f64();
    let human = args.output.is_none() && ui::stdout_is_terminal();
    if human {
        print_alerts(&alerts);
    } else {
        let w: Box<dyn Write> = match &args.output {
            Some(p) => Box::new(ui::create(p)?),
            None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
        };
        let mut out = JsonLinesWriter::new(w);
        for a in &alerts {
            out.write(a)?;
        }
        out.finish()?;
    }
    if let Some(path) = &args.thresholds {
        let mut t = thresholds;
        for a in &alerts {
            t.accept(a);
        }
        let mut w = JsonLinesWriter::new(ui::create(path)?);
        for top in t.tops() {
            w.write(&top).map_err(|e| e.with_path(path))?;
        }
        w.finish().map_err(|e| e.with_path(path))?;
    }
    if !quiet {
        eprintln!(
            "{} alerts for {} new vacancies and {} saved seekers; matched in {alert_s:.2} s, {:.1} s in all",
            alerts.len(),
            feed.len(),
            seekers.len(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

fn read_thresholds(path: &Path, k: usize) -> Result<Thresholds> {
    let (reader, _, _) = ui::open_counted(path)?;
    let tops = JsonLines::<_, SavedTop>::new(reader)
        .collect::<Result<Vec<_>>>()
        .map_err(|e| e.with_path(path))?;
    Thresholds::from_tops(k, tops).map_err(|e| e.with_path(path))
}

fn print_alerts(alerts: &[Alert]) {
    let rows: Vec<Vec<String>> = alerts
        .iter()
        .map(|a| {
            vec![
                a.vacancy.clone(),
                a.seeker.clone(),
                format!("{:.3}", a.score),
                a.replaces.clone().unwrap_or_else(|| "—".to_owned()),
            ]
        })
        .collect();
    ui::table(&["new vacancy", "seeker", ">score", "replaces"], &rows);
}
