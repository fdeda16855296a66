//! `match` and `explain`: seekers ranked, one inline or many from a file,
//! as tables on a terminal and JSON Lines in a pipe.

use super::*;

/// A seeker given on the command line.
#[derive(Args, Clone, Default)]
pub struct InlineSeeker {
    /// Skills, comma-separated (an inline seeker); 、，；; separate too.
    /// Read as the engine reads any seeker's: `会电焊` is 焊接, `不会驾驶` no skill.
    #[arg(long, value_delimiter = ',')]
    skills: Option<Vec<String>>,
    /// Desired titles, comma-separated.
    #[arg(long, value_delimiter = ',')]
    titles: Vec<String>,
    /// Home: a region code (6 digits), or a place as people write it, read as `ingest` reads one (`九龙坡`, `重庆市九龙坡区西彭镇`, `成都高新区`; a city alone is its seat county: `绵阳` is 涪城区).
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
        // A code as given; a name or an address as `ingest` reads a place
        // (a city named alone is its seat county, not its centroid, which
        // may lie 40 km out: 绵阳 is 涪城区; 成都高新区 is 武侯区).
        let named = |e: Error| match e {
            Error::Invalid { reason, .. } => Error::Invalid {
                field: "--region".into(),
                reason,
            },
            Error::UnknownRegion { code } => Error::Invalid {
                field: "--region".into(),
                reason: format!("unknown region code `{code}`"),
            },
            other => other,
        };
        let (region, coordinates) = if !region.is_empty() && region.bytes().all(|b| b.is_ascii_digit()) {
            (region.parse::<RegionCode>().map_err(named)?, None)
        } else {
            let place = jobmatch::ingest::parse_place(region).map_err(named)?.value;
            (place.region, place.coordinates)
        };
        let mut s = Seeker::new("cli", self.skills.clone().unwrap_or_default(), region)?;
        s.coordinates = coordinates;
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
    /// A job fair's outcome per vacancy (from `assign --vacancies-out`): each match gets the seeker's `fit`, the vacancy's `cutoff` and `likely` (fit at or above it); a table at a terminal, JSON Lines otherwise.
    #[arg(long, value_name = "FILE")]
    cutoffs: Option<PathBuf>,
    /// With --cutoffs: list the likely vacancies first (congestion-aware), each part in ranking order.
    #[arg(long, requires = "cutoffs")]
    congestion_aware: bool,
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
    if let Some(path) = &args.cutoffs {
        return match_with_chances(&matcher, &args, path);
    }
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
    let pool = crate::bench::pool(args.threads.unwrap_or(0))?;
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

/// `match --cutoffs`: every match with its chance, JSON Lines.
fn match_with_chances(matcher: &Matcher, args: &MatchArgs, path: &Path) -> Result<()> {
    use jobmatch::assign::{Chances, FitConfig, VacancyOutcome};
    let (reader, _, _) = ui::open_counted(path)?;
    let mut outcomes = Vec::new();
    for (n, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| Error::Io {
            path: Some(path.to_owned()),
            source: e,
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let v: VacancyOutcome = serde_json::from_str(&line).map_err(|e| {
            Error::Parse {
                line: n as u64 + 1,
                field: "(line)".into(),
                reason: e.to_string(),
            }
            .with_path(path)
        })?;
        outcomes.push(v);
    }
    let chances = Chances::new(matcher, FitConfig::default(), outcomes)?;
    let seekers: Vec<Seeker> = if args.seeker.given() {
        vec![args.seeker.build()?]
    } else {
        let p = args.seekers.clone().unwrap_or_else(|| PathBuf::from("-"));
        let reader: Box<dyn BufRead> = if p.as_os_str() == "-" {
            Box::new(std::io::stdin().lock())
        } else {
            Box::new(ui::open_counted(&p)?.0)
        };
        JsonLines::<_, Seeker>::new(reader)
            .collect::<Result<_>>()
            .map_err(|e| e.with_path(&p))?
    };
    let human = args.output.is_none() && ui::stdout_is_terminal();
    let mut out = output(args.output.as_deref())?;
    for (seeker, result) in seekers
        .iter()
        .zip(rank(matcher, &seekers, args.top, args.exhaustive))
    {
        let result = result?;
        let ranked = chances.rank(seeker, &result, args.congestion_aware)?;
        if human {
            print_chances(matcher, seeker, &ranked)?;
            println!();
            continue;
        }
        let matches = ranked
            .into_iter()
            .map(|(m, c)| {
                let mut v = serde_json::to_value(&m).map_err(|e| Error::Panic(e.to_string()))?;
                v["fit"] = serde_json::json!(c.fit);
                v["cutoff"] = serde_json::json!(c.cutoff);
                v["likely"] = serde_json::json!(c.likely);
                Ok(v)
            })
            .collect::<Result<Vec<_>>>()?;
        out.write(&ExplainedResult {
            seeker: &result.seeker,
            matches,
        })?;
    }
    out.finish().map(drop)
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

/// Prints one seeker's matches with their chances at a job fair.
fn print_chances(
    matcher: &Matcher,
    seeker: &Seeker,
    ranked: &[(jobmatch::matcher::Match, jobmatch::assign::Chance)],
) -> Result<()> {
    let mut rows = Vec::new();
    for (i, (m, c)) in ranked.iter().enumerate() {
        let (title, region) = match matcher.snapshot().vacancy(&m.vacancy)? {
            Some(v) => (v.title, gazetteer().get(v.region).name.clone()),
            None => Default::default(),
        };
        rows.push(vec![
            (i + 1).to_string(),
            m.vacancy.clone(),
            ui::clip(&title, 24),
            region,
            format!("{:.3}", m.score),
            format!("{:.3}", c.fit),
            c.cutoff
                .map_or_else(|| "not full".to_owned(), |x| format!("{x:.3}")),
            if c.likely { "likely" } else { "unlikely" }.to_owned(),
        ]);
    }
    print_seeker(seeker);
    ui::table(
        &[
            ">#", "vacancy", "title", "region", ">score", ">fit", ">cut-off", "chance",
        ],
        &rows,
    );
    Ok(())
}

fn print_seeker(seeker: &Seeker) {
    println!(
        "Seeker {}: skills {:?}, home {} {}, commute {} km",
        seeker.id,
        seeker.skills,
        seeker.region,
        seeker.region.region().name,
        seeker.commute_km
    );
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
    print_seeker(seeker);
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
    for i in e.inferred_occupation.iter().chain(&e.other_inferred_occupations) {
        println!(
            "  occupation {} {} inferred from {} (coverage {:.0}%)",
            i.code,
            jobmatch::taxonomy::taxonomy().get(i.code).name,
            i.from.join(", "),
            100.0 * i.confidence
        );
    }
    if let Some(o) = &e.vacancy_occupation {
        let how = match o.source {
            OccupationSource::Given => "given".to_owned(),
            OccupationSource::Title { confidence } => {
                format!("coded from its title, confidence {:.0}%", 100.0 * confidence)
            }
            OccupationSource::Skills { confidence } => {
                format!("inferred from its skills, coverage {:.0}%", 100.0 * confidence)
            }
        };
        println!(
            "  vacancy's occupation {} {} ({how})",
            o.code,
            jobmatch::taxonomy::taxonomy().get(o.code).name
        );
    }
    for (what, credits) in [("skill", &e.skills), ("title term", &e.title_terms)] {
        for c in credits.iter() {
            // A skill: its evidence and kind (a skill the vocabulary does not
            // know matches only the same words); a title term: its share.
            let weight = match (what, c.kind) {
                ("skill", Some(kind)) => format!("evidence {:.2}, {}", c.share, kind.name()),
                ("skill", None) => format!("evidence {:.2}, not in the vocabulary", c.share),
                _ => format!("share {:.2}", c.share),
            };
            match &c.matched {
                Some(m) if c.credit < 1.0 => {
                    println!("  {what} {} ({weight}): credit {:.2} via {m}", c.term, c.credit)
                }
                Some(_) => println!("  {what} {} ({weight}): matched", c.term),
                None => println!("  {what} {} ({weight}): not in the vacancy", c.term),
            }
            if let Some(at) = &c.asked_in {
                println!("    {at}");
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
