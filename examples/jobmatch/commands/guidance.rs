//! Career guidance: `guidance` (which skill to learn, per seeker), `gaps`
//! (per district or prefecture), `training` (a programme's effect at a job
//! fair).

use jobmatch::PriorityGroup;
use jobmatch::guidance::{
    AreaLevel, GapConfig, GapReport, GuidanceConfig, Guide, SeekerGuidance, TrainingConfig, TrainingReport,
    TrainingSide, gaps as gap_report, training as training_report,
};

use super::*;

/// Arguments of `guidance`.
#[derive(Args)]
pub struct GuidanceArgs {
    /// Index directory (or shard set).
    #[arg(long)]
    pub index: PathBuf,
    /// Seekers, JSON Lines (the seeker is looked up here by id).
    #[arg(long)]
    pub seekers: PathBuf,
    /// Seeker id (repeat for several).
    #[arg(long, required_unless_present = "bench")]
    pub seeker: Vec<String>,
    /// Measure instead: guidance for the first N seekers of the file, one at a time on one thread; the time per seeker (median, p90, max).
    #[arg(long, value_name = "N")]
    pub bench: Option<usize>,
    /// With --bench: also compute the first M seekers' guidance by scanning every vacancy and count the differences (must be 0).
    #[arg(long, value_name = "M", default_value_t = 0)]
    pub check: usize,
    /// Skills reported per seeker.
    #[arg(long, default_value_t = 5)]
    pub top: usize,
    /// The k of the seeker's top k whose k-th score is the bar.
    #[arg(long, default_value_t = 10)]
    pub k: usize,
    /// Candidate skills evaluated per seeker.
    #[arg(long, default_value_t = 40)]
    pub candidates: usize,
    /// Evaluate by scanning every vacancy (the reference) instead of searching.
    #[arg(long)]
    pub exhaustive: bool,
    #[command(flatten)]
    pub rank: RankArgs,
}

/// Arguments of `gaps`.
#[derive(Args)]
pub struct GapsArgs {
    /// Index directory (or shard set).
    #[arg(long)]
    pub index: PathBuf,
    /// Seekers, JSON Lines: the supply, by where they live.
    #[arg(long)]
    pub seekers: PathBuf,
    /// Only this district (or, with --prefectures, prefecture), by name or code.
    #[arg(long)]
    pub district: Option<String>,
    /// Count by prefecture instead of district.
    #[arg(long)]
    pub prefectures: bool,
    /// Gaps reported per area.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Seekers named per gap whose chances it blocks most (each resident lacking the skill is evaluated; 0 for none). Default: 5 with --district, else 0.
    #[arg(long)]
    pub blocked: Option<usize>,
    /// Areas printed on a terminal (all are in the JSON).
    #[arg(long, default_value_t = 10)]
    pub areas: usize,
    /// The skill mapped (default: the largest gap over all areas).
    #[arg(long)]
    pub skill: Option<String>,
    /// Draw the mapped skill's demand and supply by area to this PNG.
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,
    #[command(flatten)]
    pub rank: RankArgs,
}

/// Arguments of `training`.
#[derive(Args)]
pub struct TrainingArgs {
    /// Index directory (or shard set).
    #[arg(long)]
    pub index: PathBuf,
    /// Seekers, JSON Lines: the job fair's seekers.
    #[arg(long)]
    pub seekers: PathBuf,
    /// Skills the programme teaches, comma-separated.
    #[arg(long, value_delimiter = ',', required = true)]
    pub skills: Vec<String>,
    /// Seekers trained.
    #[arg(long)]
    pub count: usize,
    /// Priority groups admitted, comma-separated (default: any priority group).
    #[arg(long, value_delimiter = ',')]
    pub groups: Vec<String>,
    /// Length of each seeker's list at the fair.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// The fair's priority policy (JSON or TOML), as `assign --policy`.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Trainees printed on a terminal (all are in the JSON).
    #[arg(long, default_value_t = 10)]
    pub show: usize,
    #[command(flatten)]
    pub rank: RankArgs,
}

fn f3(x: f64) -> String {
    format!("{x:.3}")
}

fn print_guidance(g: &SeekerGuidance) {
    println!(
        "seeker {}: match no. {} scores {}; {} vacancies above it; {} skills evaluated",
        g.seeker,
        g.k,
        g.bar.map_or("— (fewer in reach)".to_owned(), f3),
        g.above,
        g.evaluated
    );
    let rows: Vec<Vec<String>> = g
        .skills
        .iter()
        .enumerate()
        .map(|(i, s)| {
            vec![
                (i + 1).to_string(),
                s.skill.clone(),
                format!("{}{}", if s.saturated { "≥" } else { "" }, s.entering),
                s.leaving.to_string(),
                format!("{:+}", s.net),
                format!("{:+.3}", s.top_rise()),
                s.districts
                    .iter()
                    .map(|d| format!("{} {}", d.name, d.vacancies))
                    .collect::<Vec<_>>()
                    .join(", "),
            ]
        })
        .collect();
    ui::table(
        &[
            ">#",
            "skill",
            ">entering",
            ">leaving",
            ">net",
            ">top-k rise",
            "where",
        ],
        &rows,
    );
    for s in &g.skills {
        println!("  · {}", s.explanation);
    }
    println!();
}

/// `guidance`.
pub fn guidance(args: GuidanceArgs) -> Result<()> {
    let matcher = open_matcher(&args.index, &args.rank)?;
    let seekers = crate::bench::read_seekers(&args.seekers)?;
    let guide = Guide::new(
        &matcher,
        GuidanceConfig {
            k: args.k,
            candidates: args.candidates,
            ..GuidanceConfig::default()
        },
    )?;
    if let Some(n) = args.bench {
        return bench(&guide, &seekers, n, args.top, args.check);
    }
    let mut out = Vec::new();
    for id in &args.seeker {
        let seeker = seekers
            .iter()
            .find(|s| &s.id == id)
            .ok_or_else(|| Error::Invalid {
                field: "--seeker".into(),
                reason: format!("no seeker `{id}` in {}", args.seekers.display()),
            })?;
        let g = if args.exhaustive {
            guide.seeker_exhaustive(seeker, args.top)?
        } else {
            guide.seeker(seeker, args.top)?
        };
        out.push(g);
    }
    if ui::stdout_is_terminal() {
        out.iter().for_each(print_guidance);
    } else {
        let mut w = JsonLinesWriter::new(std::io::BufWriter::new(std::io::stdout().lock()));
        for g in &out {
            w.write(g)?;
        }
        w.finish()?;
    }
    Ok(())
}

/// What `guidance --bench` measures.
#[derive(Serialize)]
struct GuidanceBench {
    vacancies: u64,
    seekers: usize,
    top: usize,
    k: usize,
    candidates_evaluated_mean: f64,
    /// Milliseconds per seeker, one thread.
    median_ms: f64,
    p90_ms: f64,
    max_ms: f64,
    /// Seekers checked against the exhaustive scan, and how many differ.
    checked: usize,
    mismatches: usize,
    exhaustive_median_ms: Option<f64>,
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    sorted
        .get(((sorted.len().saturating_sub(1)) as f64 * q).round() as usize)
        .copied()
        .unwrap_or(f64::NAN)
}

/// `guidance --bench N`.
fn bench(guide: &Guide<'_>, seekers: &[Seeker], n: usize, top: usize, check: usize) -> Result<()> {
    let n = n.min(seekers.len());
    let pool = crate::bench::pool(1)?;
    let (mut times, evaluated) = pool.install(|| -> Result<(Vec<f64>, usize)> {
        // The first query learns the occupation model: not a seeker's cost.
        if let Some(s) = seekers.first() {
            guide.seeker(s, top)?;
        }
        let mut times = Vec::with_capacity(n);
        let mut evaluated = 0;
        for s in seekers.iter().take(n) {
            let t = Instant::now();
            let g = guide.seeker(s, top)?;
            times.push(t.elapsed().as_secs_f64() * 1e3);
            evaluated += g.evaluated;
        }
        Ok((times, evaluated))
    })?;
    times.sort_by(f64::total_cmp);
    let mut mismatches = 0;
    let mut slow = Vec::new();
    for s in seekers.iter().take(check.min(n)) {
        let fast = guide.seeker(s, top)?;
        let t = Instant::now();
        let reference = guide.seeker_exhaustive(s, top)?;
        slow.push(t.elapsed().as_secs_f64() * 1e3);
        mismatches += usize::from(fast != reference);
    }
    slow.sort_by(f64::total_cmp);
    let report = GuidanceBench {
        vacancies: guide_vacancies(guide),
        seekers: n,
        top,
        k: guide.config().k,
        candidates_evaluated_mean: evaluated as f64 / n.max(1) as f64,
        median_ms: quantile(&times, 0.5),
        p90_ms: quantile(&times, 0.9),
        max_ms: times.last().copied().unwrap_or(f64::NAN),
        checked: slow.len(),
        mismatches,
        exhaustive_median_ms: (!slow.is_empty()).then(|| quantile(&slow, 0.5)),
    };
    if ui::stdout_is_terminal() {
        println!(
            "guidance, top {top} skills of {} candidates on average, {n} seekers, one thread, {} vacancies: median {:.1} ms, p90 {:.1} ms, max {:.1} ms",
            report.candidates_evaluated_mean.round(),
            report.vacancies,
            report.median_ms,
            report.p90_ms,
            report.max_ms
        );
        if report.checked > 0 {
            println!(
                "checked against the exhaustive scan: {} seekers, {} mismatches (exhaustive median {:.1} ms)",
                report.checked,
                report.mismatches,
                report.exhaustive_median_ms.unwrap_or(f64::NAN)
            );
        }
    } else {
        ui::print_json(&report)?;
    }
    if mismatches > 0 {
        return Err(Error::Corrupt {
            reason: format!("{mismatches} seekers' guidance differs from the exhaustive scan"),
        });
    }
    Ok(())
}

fn guide_vacancies(guide: &Guide<'_>) -> u64 {
    guide.matcher().snapshot().num_vacancies()
}

fn print_gaps(r: &GapReport, areas: usize) {
    for a in r.areas.iter().take(areas) {
        println!(
            "{} {} — {} open vacancies, {} openings, {} seekers live here",
            a.code, a.name, a.vacancies, a.openings, a.seekers
        );
        let rows: Vec<Vec<String>> = a
            .gaps
            .iter()
            .map(|g| {
                vec![
                    g.skill.clone(),
                    format!("{:.1}", g.demand),
                    g.supply.to_string(),
                    format!("{:.1}", g.gap),
                    g.by_industry.first().map_or(String::new(), |b| b.name.clone()),
                    g.by_major_group
                        .first()
                        .map_or(String::new(), |b| ui::clip(&b.name, 16)),
                    g.blocked
                        .iter()
                        .take(3)
                        .map(|b| format!("{} ({}{:+})", b.seeker, if b.saturated { "≥" } else { "" }, b.net))
                        .collect::<Vec<_>>()
                        .join(", "),
                ]
            })
            .collect();
        ui::table(
            &[
                "skill",
                ">demand",
                ">supply",
                ">gap",
                "industry",
                "major group",
                "seekers it blocks",
            ],
            &rows,
        );
        println!();
    }
    if r.areas.len() > areas {
        println!(
            "… {} more areas in the JSON (pipe the output)",
            r.areas.len() - areas
        );
    }
}

/// `gaps`.
pub fn gaps(args: GapsArgs, quiet: bool) -> Result<()> {
    let matcher = open_matcher(&args.index, &args.rank)?;
    let seekers = crate::bench::read_seekers(&args.seekers)?;
    let config = GapConfig {
        level: if args.prefectures {
            AreaLevel::Prefecture
        } else {
            AreaLevel::District
        },
        top: args.top,
        blocked: args
            .blocked
            .unwrap_or(if args.district.is_some() { 5 } else { 0 }),
        area: args.district.clone(),
        skill: args.skill.clone(),
        ..GapConfig::default()
    };
    if !quiet {
        eprintln!(
            "counting demand over {} vacancies and supply over {} seekers…",
            matcher.snapshot().num_vacancies(),
            seekers.len()
        );
    }
    let report = gap_report(&matcher, &seekers, &config)?;
    if let (Some(path), Some(skill)) = (&args.plot, &report.skill) {
        crate::gapmap::draw(path, &report.skill_by_area, skill, report.level)?;
        if !quiet {
            eprintln!("wrote {}", path.display());
        }
    }
    if ui::stdout_is_terminal() {
        print_gaps(&report, args.areas);
    } else {
        ui::print_json(&report)?;
    }
    Ok(())
}

fn side_row(name: &str, s: &TrainingSide, seekers: usize) -> Vec<String> {
    vec![
        name.to_owned(),
        s.placed.to_string(),
        format!("{:.1}%", 100.0 * s.placed as f64 / seekers.max(1) as f64),
        s.filled.to_string(),
        s.trainees_placed.to_string(),
    ]
}

fn print_training(r: &TrainingReport, seekers: usize, show: usize) {
    println!(
        "programme: {} — {} seekers of the groups lacked a skill of it; {} trained",
        r.skills.join(", "),
        r.eligible,
        r.trainees.len()
    );
    ui::table(
        &["", ">placed", ">rate", ">openings filled", ">trainees placed"],
        &[
            side_row("without training", &r.without, seekers),
            side_row("with training", &r.with, seekers),
        ],
    );
    let groups: Vec<Vec<String>> = r
        .without
        .by_group
        .iter()
        .map(|(g, before)| {
            let after = r.with.by_group.get(g).copied().unwrap_or_default();
            vec![
                (*g).to_owned(),
                before.seekers.to_string(),
                format!("{:.1}%", 100.0 * before.rate),
                format!("{:.1}%", 100.0 * after.rate),
            ]
        })
        .collect();
    println!();
    ui::table(&["group", ">seekers", ">placed without", ">placed with"], &groups);
    println!();
    let rows: Vec<Vec<String>> = r
        .trainees
        .iter()
        .take(show)
        .map(|t| {
            vec![
                t.seeker.clone(),
                t.added.join(", "),
                t.entering.to_string(),
                format!("{:+}", t.net),
                if t.placed_before { "yes" } else { "no" }.to_owned(),
                if t.placed_after { "yes" } else { "no" }.to_owned(),
            ]
        })
        .collect();
    ui::table(
        &[
            "trainee",
            "learns",
            ">entering",
            ">net",
            "placed before",
            "placed after",
        ],
        &rows,
    );
}

/// `training`.
pub fn training(args: TrainingArgs, quiet: bool) -> Result<()> {
    let groups = args
        .groups
        .iter()
        .map(|g| {
            serde_json::from_value::<PriorityGroup>(serde_json::Value::String(g.clone())).map_err(|_| Error::Invalid {
                field: "--groups".into(),
                reason: format!(
                    "`{g}` is not a priority group (graduate, migrant_worker, veteran, unemployed, hard_to_employ, poverty_alleviated)"
                ),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let policy = match &args.policy {
        Some(p) => super::assign::load_policy(p)?,
        None => jobmatch::assign::Policy::default(),
    };
    let matcher = open_matcher(&args.index, &args.rank)?;
    let seekers = crate::bench::read_seekers(&args.seekers)?;
    if !quiet {
        eprintln!(
            "choosing {} trainees among {} seekers and running the fair twice…",
            args.count,
            seekers.len()
        );
    }
    let report = training_report(
        &matcher,
        &seekers,
        &TrainingConfig {
            skills: args.skills.clone(),
            count: args.count,
            groups,
            k: args.top,
            policy,
            ..TrainingConfig::default()
        },
    )?;
    if ui::stdout_is_terminal() {
        print_training(&report, seekers.len(), args.show);
    } else {
        ui::print_json(&report)?;
    }
    Ok(())
}
