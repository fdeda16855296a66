//! `simulate`: a generated market ranked, assigned and reported beside the
//! published figures.

use std::collections::BTreeMap;

use jobmatch::assign::{FitConfig, GroupOutcome, MarketOutcome, Policy, Preferences};
use jobmatch::market::PLATFORM_VACANCIES;

use super::*;

/// Arguments of `simulate`.
#[derive(Args)]
pub struct SimulateArgs {
    /// Vacancies of the generated market.
    #[arg(long, default_value_t = PLATFORM_VACANCIES)]
    pub vacancies: u64,
    /// Seekers of the generated market.
    #[arg(long, default_value_t = 400_000)]
    pub seekers: u64,
    /// Random seed.
    #[arg(long, default_value_t = 2021)]
    pub seed: u64,
    /// Length of each seeker's preference list.
    #[arg(long, default_value_t = 50)]
    pub top: usize,
    /// Priority policy (JSON or TOML); group rates are then reported with and without it.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Also assign with congestion-aware lists of the same length (each seeker's candidates, the likely ones first under predicted cut-offs) and compare.
    #[arg(long)]
    pub congestion: bool,
    /// With --congestion: how many of each seeker's ranked vacancies are candidates for the congestion-aware list (default: twice --top).
    #[arg(long)]
    pub candidates: Option<usize>,
    /// Index directory of the market (built there when missing; default: in the temp dir, kept for the next run).
    #[arg(long)]
    pub index: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Draw the flow map (districts sized by openings, coloured by openings per seeker, the strongest cross-prefecture placement flows) to this PNG.
    #[arg(long)]
    pub plot: Option<PathBuf>,
    /// Simulate a service's own market: its vacancies (JSON Lines, indexed into --index, or a directory beside them, when missing) …
    #[arg(long, value_name = "FILE", requires = "seekers_file", conflicts_with_all = ["calibrate", "mobility_scale"])]
    pub vacancies_file: Option<PathBuf>,
    /// … and its seekers (JSON Lines), instead of a generated market.
    #[arg(long, value_name = "FILE", requires = "vacancies_file")]
    pub seekers_file: Option<PathBuf>,
    /// Fit the seekers' willingness to move (per province) on --seed so that the placed graduates' cross-region rates match the published 3.12% / 8.06%, check the fit on --seed + 1, and report that run.
    #[arg(long)]
    pub calibrate: bool,
    /// Willingness to move, Sichuan and Chongqing, relative to the published flows (default: the fitted one, jobmatch::market::FITTED_MOBILITY_SCALE, e.g. from --calibrate; `1,1` for the unfitted generator).
    #[arg(long, value_delimiter = ',', value_name = "SC,CQ")]
    pub mobility_scale: Option<Vec<f64>>,
    /// Also run a fair in which each seeker is shown the top --shown vacancies and applies in its own order (--seekers-weights), and write its outcome log (JSON Lines `{"seeker", "vacancy", "outcome"}`), the input of `fit-weights`.
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
    /// With --log: how many vacancies each seeker is shown.
    #[arg(long, default_value_t = 10, requires = "log")]
    pub shown: usize,
    /// With --log: the seekers' own weights over the signals (a JSON or TOML map, signal → weight), by which they order what they are shown; default: the ranking's, with salary and location doubled (seekers who care more about pay and commute than the platform assumes). A simulation's assumption, not a finding.
    #[arg(long, value_name = "FILE", requires = "log")]
    pub seekers_weights: Option<PathBuf>,
}

/// One calibration step.
#[derive(Serialize, Clone)]
struct CalibrationStep {
    seed: u64,
    mobility_scale: [f64; 2],
    sc_to_cq: f64,
    cq_to_sc: f64,
}

/// Places the seekers of one market config: the outcome's graduate flows.
fn graduate_flows(
    matcher: &Matcher,
    config: &MarketConfig,
    top: usize,
) -> Result<jobmatch::assign::GraduateFlows> {
    let market = Market::new(config.clone());
    let seekers: Vec<Seeker> = (0..config.seekers).map(|j| market.seeker(j)).collect();
    let prefs = Preferences::rank(matcher, &seekers, top, &FitConfig::default())?;
    let a = prefs.assign(&Policy::default())?;
    Ok(MarketOutcome::of(&a, &prefs, matcher.snapshot(), &seekers).graduate_cross_region)
}

/// Fits `mobility_scale` on `config.seed`: a fixed point, each province's
/// scale multiplied by published / simulated until both rates are within
/// 0.2 pp or 10 steps have run.
fn calibrate(
    matcher: &Matcher,
    config: &MarketConfig,
    top: usize,
    quiet: bool,
) -> Result<Vec<CalibrationStep>> {
    let published = published();
    let targets = [published.graduate_sc_to_cq, published.graduate_cq_to_sc];
    let mut scale = config.mobility_scale;
    let mut steps = Vec::new();
    for _ in 0..10 {
        let cfg = MarketConfig {
            mobility_scale: scale,
            ..config.clone()
        };
        let f = graduate_flows(matcher, &cfg, top)?;
        let got = [f.sc_to_cq, f.cq_to_sc];
        steps.push(CalibrationStep {
            seed: config.seed,
            mobility_scale: scale,
            sc_to_cq: got[0],
            cq_to_sc: got[1],
        });
        if !quiet {
            eprintln!(
                "calibration: scale [{:.3}, {:.3}] → SC→CQ {:.2}%, CQ→SC {:.2}%",
                scale[0],
                scale[1],
                got[0] * 100.0,
                got[1] * 100.0
            );
        }
        if got.iter().zip(&targets).all(|(g, t)| (g - t).abs() < 0.002) {
            break;
        }
        for i in 0..2 {
            scale[i] *= targets[i] / got[i].max(1e-4);
        }
    }
    Ok(steps)
}

/// The published figures compared against (`spec/market-facts.md`).
#[derive(Serialize)]
struct Published {
    vacancies: u64,
    intentions: u64,
    industry_shares: BTreeMap<&'static str, f64>,
    graduate_sc_to_cq: f64,
    graduate_cq_to_sc: f64,
}

fn published() -> Published {
    Published {
        vacancies: 1_880_000,
        intentions: 400_000,
        industry_shares: BTreeMap::from([("C", 0.4789), ("O", 0.1645), ("F", 0.0659)]),
        graduate_sc_to_cq: 0.0312,
        graduate_cq_to_sc: 0.0806,
    }
}

/// Plain against congestion-aware lists of the same length.
#[derive(Serialize)]
struct Congestion {
    /// List length.
    top: usize,
    /// Candidates each congestion-aware list is drawn from.
    candidates: usize,
    /// Placed with the plain lists (each seeker's top `top`).
    plain_placed: usize,
    /// Placed were every seeker to list all their candidates: the most
    /// that reordering the candidates can place.
    candidates_placed: usize,
    /// Placed with congestion-aware lists whose chances come from the
    /// plain run's cut-offs (last fair's).
    aware_last_fair_placed: usize,
    /// Placed with congestion-aware lists whose chances come from the
    /// cut-offs of a mock fair over all candidates.
    aware_placed: usize,
    /// `aware / plain − 1`.
    gain: f64,
    /// The share of the gap between plain lists and all candidates that
    /// the congestion-aware lists close.
    gap_closed: f64,
    aware_blocking_pairs: usize,
}

#[derive(Serialize)]
struct SimulationReport {
    vacancies: u64,
    seekers: usize,
    placed: usize,
    unplaced: usize,
    openings: u64,
    filled: usize,
    by_group: BTreeMap<&'static str, GroupOutcome>,
    #[serde(skip_serializing_if = "Option::is_none")]
    by_group_without_policy: Option<BTreeMap<&'static str, GroupOutcome>>,
    by_industry: BTreeMap<String, jobmatch::assign::Share>,
    by_province: BTreeMap<String, u64>,
    flows: BTreeMap<String, u64>,
    prefecture_flows: BTreeMap<String, u64>,
    graduate_cross_region: jobmatch::assign::GraduateFlows,
    published: Published,
    /// Simulated minus published, in percentage points.
    difference_pp: BTreeMap<String, f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    congestion: Option<Congestion>,
    /// The willingness to move the seekers were generated with.
    mobility_scale: [f64; 2],
    /// With --calibrate: the fitting steps on the fitting seed (the report
    /// itself is of the check seed).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    calibration: Vec<CalibrationStep>,
    blocking_pairs: usize,
    blocking_pairs_checked: usize,
    build_s: Option<f64>,
    rank_s: f64,
    assign_s: f64,
    elapsed_s: f64,
}

/// `simulate`.
pub fn simulate(args: SimulateArgs, quiet: bool) -> Result<()> {
    let started = Instant::now();
    let policy = match &args.policy {
        Some(p) => super::assign::load_policy(p)?,
        None => Policy::default(),
    };
    let open = |seed: u64| -> Result<(Matcher, Option<f64>)> {
        let rank = RankArgs {
            config: None,
            today: None,
        };
        if let Some(file) = &args.vacancies_file {
            let dir = args.index.clone().unwrap_or_else(|| file.with_extension("index"));
            let build_s = crate::bench::ensure_file_index(&dir, file, quiet)?;
            return Ok((open_matcher(&dir, &rank)?, build_s));
        }
        let dir = match &args.index {
            Some(d) if seed == args.seed => d.clone(),
            Some(d) => d.with_extension(format!("seed{seed}")),
            // Named by the generator's version too: a later version's
            // market of the same seed is another market.
            None => std::env::temp_dir().join(format!(
                "jobmatch-sim-{}-{seed}-g{}",
                args.vacancies,
                jobmatch::market::GENERATOR_VERSION
            )),
        };
        let build_s = crate::bench::ensure_market_index(&dir, args.vacancies, seed, quiet)?;
        Ok((open_matcher(&dir, &rank)?, build_s))
    };
    let mut config = MarketConfig {
        vacancies: args.vacancies,
        seekers: args.seekers,
        seed: args.seed,
        ..Default::default()
    };
    if let Some(s) = &args.mobility_scale {
        config.mobility_scale = [
            s.first().copied().unwrap_or(1.0),
            s.get(1).copied().unwrap_or(1.0),
        ];
    }
    let (mut matcher, mut build_s) = open(args.seed)?;
    let mut calibration = Vec::new();
    if args.calibrate {
        calibration = calibrate(&matcher, &config, args.top, quiet)?;
        if let Some(last) = calibration.last() {
            config.mobility_scale = last.mobility_scale;
        }
        // The check: another market, generated with the fitted scale.
        config.seed = args.seed + 1;
        (matcher, build_s) = open(config.seed)?;
    }
    let seekers: Vec<Seeker> = match &args.seekers_file {
        Some(file) => crate::bench::read_seekers(file)?,
        None => {
            let market = Market::new(config.clone());
            (0..args.seekers).map(|j| market.seeker(j)).collect()
        }
    };
    let t = Instant::now();
    // Congestion-aware lists are drawn from more candidates (twice as many
    // by default).
    let long = if args.congestion {
        args.candidates.unwrap_or(args.top * 2).max(args.top)
    } else {
        args.top
    };
    let prefs = super::assign::rank_lists(&matcher, &seekers, long, quiet)?;
    let rank_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let plain_prefs = prefs.truncated(args.top);
    let a = plain_prefs.assign(&policy)?;
    let assign_s = t.elapsed().as_secs_f64();
    let without = args
        .policy
        .is_some()
        .then(|| plain_prefs.assign(&Policy::default()).map(|b| b.by_group()))
        .transpose()?;
    let congestion = if args.congestion {
        // Two predictions of the cut-offs: last fair's (the plain run), and
        // a mock fair in which everyone lists all their candidates.
        let last_fair = prefs.congestion_aware(&a, &policy, args.top).assign(&policy)?;
        let mock = prefs.assign(&policy)?;
        let aware = prefs.congestion_aware(&mock, &policy, args.top).assign(&policy)?;
        let (plain, all) = (a.placed() as f64, mock.placed() as f64);
        Some(Congestion {
            top: args.top,
            candidates: long,
            plain_placed: a.placed(),
            candidates_placed: mock.placed(),
            aware_last_fair_placed: last_fair.placed(),
            aware_placed: aware.placed(),
            gain: aware.placed() as f64 / plain.max(1.0) - 1.0,
            gap_closed: if all > plain {
                (aware.placed() as f64 - plain) / (all - plain)
            } else {
                0.0
            },
            aware_blocking_pairs: aware.blocking_pairs(10_000),
        })
    } else {
        None
    };
    if let Some(path) = &args.log {
        let weights = match &args.seekers_weights {
            Some(file) => read_config(file).map_err(|e| e.with_path(file))?,
            None => jobmatch::learn::seekers_own_weights(&matcher.config().weights),
        };
        let (log, _) = jobmatch::learn::simulate_log(&matcher, &seekers, args.shown, &weights)?;
        log.write(ui::create(path)?).map_err(|e| e.with_path(path))?;
    }
    let outcome = MarketOutcome::of(&a, &plain_prefs, matcher.snapshot(), &seekers);
    if let Some(path) = &args.plot {
        let stats = MarketStats::of(matcher.snapshot()).with_seekers(&seekers);
        let title = format!(
            "Job-fair placements: {} of {} seekers in {} vacancies (seed {})",
            a.placed(),
            seekers.len(),
            matcher.snapshot().num_vacancies(),
            config.seed
        );
        crate::flowmap::draw(path, &stats, &outcome.prefecture_flows, &title)?;
    }
    let pub_ = published();
    let mut difference_pp = BTreeMap::new();
    for (section, share) in &pub_.industry_shares {
        let got = outcome.by_industry.get(*section).map_or(0.0, |s| s.share);
        difference_pp.insert(format!("industry_{section}"), (got - share) * 100.0);
    }
    difference_pp.insert(
        "graduate_sc_to_cq".into(),
        (outcome.graduate_cross_region.sc_to_cq - pub_.graduate_sc_to_cq) * 100.0,
    );
    difference_pp.insert(
        "graduate_cq_to_sc".into(),
        (outcome.graduate_cross_region.cq_to_sc - pub_.graduate_cq_to_sc) * 100.0,
    );
    let report = SimulationReport {
        vacancies: matcher.snapshot().num_vacancies(),
        seekers: seekers.len(),
        placed: a.placed(),
        unplaced: seekers.len() - a.placed(),
        openings: outcome.openings,
        filled: a.filled(),
        by_group: a.by_group(),
        by_group_without_policy: without,
        by_industry: outcome.by_industry,
        by_province: outcome.by_province,
        flows: outcome.flows,
        prefecture_flows: outcome.prefecture_flows,
        graduate_cross_region: outcome.graduate_cross_region,
        published: pub_,
        difference_pp,
        congestion,
        mobility_scale: config.mobility_scale,
        calibration,
        blocking_pairs: a.blocking_pairs(10_000),
        blocking_pairs_checked: seekers.len().min(10_000),
        build_s,
        rank_s,
        assign_s,
        elapsed_s: started.elapsed().as_secs_f64(),
    };
    if args.json || !ui::stdout_is_terminal() {
        return ui::print_json(&report);
    }
    print(&report);
    Ok(())
}

fn print(r: &SimulationReport) {
    println!(
        "simulated {} vacancies ({} openings) and {} seekers: {} placed, {} unplaced; {} blocking pairs among {} checked\n",
        r.vacancies, r.openings, r.seekers, r.placed, r.unplaced, r.blocking_pairs, r.blocking_pairs_checked
    );
    let row = |label: String, got: f64, published: f64| {
        vec![
            label,
            format!("{:.2}%", got * 100.0),
            format!("{:.2}%", published * 100.0),
            format!("{:+.2}", (got - published) * 100.0),
        ]
    };
    let g = &r.graduate_cross_region;
    let rows: Vec<Vec<String>> = r
        .published
        .industry_shares
        .iter()
        .map(|(s, p)| {
            row(
                format!("filled openings in {s}"),
                r.by_industry.get(*s).map_or(0.0, |x| x.share),
                *p,
            )
        })
        .chain([
            row(
                "placed Sichuan graduates in Chongqing".into(),
                g.sc_to_cq,
                r.published.graduate_sc_to_cq,
            ),
            row(
                "placed Chongqing graduates in Sichuan".into(),
                g.cq_to_sc,
                r.published.graduate_cq_to_sc,
            ),
        ])
        .collect();
    ui::table(&["figure", ">simulated", ">published", ">pp"], &rows);
    println!();
    let rows: Vec<Vec<String>> = r
        .by_group
        .iter()
        .map(|(g, o)| {
            let mut row = vec![
                g.to_string(),
                o.seekers.to_string(),
                format!("{:.1}%", o.rate * 100.0),
            ];
            if let Some(w) = r.by_group_without_policy.as_ref().and_then(|w| w.get(g)) {
                row.push(format!("{:.1}%", w.rate * 100.0));
            }
            row
        })
        .collect();
    let mut headers = vec!["group", ">seekers", ">placed"];
    if r.by_group_without_policy.is_some() {
        headers.push(">without policy");
    }
    ui::table(&headers, &rows);
    println!();
    let rows: Vec<Vec<String>> = r
        .flows
        .iter()
        .map(|(f, n)| vec![f.clone(), n.to_string()])
        .collect();
    ui::table(&["flow (province)", ">placed"], &rows);
    if let Some(c) = &r.congestion {
        println!(
            "\ncongestion-aware lists of {} from {} candidates: {} placed against {} with plain lists ({:+.1}%; \
             {} with last fair's cut-offs; {} were everyone to list all candidates: {:.0}% of that gap closed)",
            c.top,
            c.candidates,
            c.aware_placed,
            c.plain_placed,
            c.gain * 100.0,
            c.aware_last_fair_placed,
            c.candidates_placed,
            c.gap_closed * 100.0
        );
    }
    println!(
        "\nranked in {:.1} s, assigned in {:.2} s, {:.1} s in all",
        r.rank_s, r.assign_s, r.elapsed_s
    );
}
