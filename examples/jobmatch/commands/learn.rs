//! `fit-weights`: the signal weights fitted to an outcome log.

use jobmatch::learn::{FitOptions, OutcomeLog, WeightFit, fit_weights, with_weights};
use jobmatch::rank::Signal;

use super::*;

/// Arguments of `fit-weights`.
#[derive(Args)]
pub struct FitWeightsArgs {
    /// Index directory (or shard set) the log's vacancies are in.
    #[arg(long)]
    pub index: PathBuf,
    /// The log's seekers, JSON Lines.
    #[arg(long)]
    pub seekers: PathBuf,
    /// Outcome log, JSON Lines `{"seeker", "vacancy", "outcome": "shown"|"applied"|"hired"}`.
    #[arg(long)]
    pub log: PathBuf,
    /// Share of the seekers held out to measure the fit.
    #[arg(long, default_value_t = 0.2)]
    pub holdout: f64,
    /// Write the ranking config with the fitted weights here (JSON; everything else as --config).
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub rank: RankArgs,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// The report: the fit and the weights before it.
#[derive(Serialize)]
struct Report<'a> {
    #[serde(flatten)]
    fit: &'a WeightFit,
    weights_before: jobmatch::rank::Weights,
    elapsed_s: f64,
}

/// `fit-weights`: reads the log, fits, reports held-out nDCG@10 before and
/// after, and writes the fitted config.
pub fn fit_weights_cmd(args: FitWeightsArgs) -> Result<()> {
    let started = Instant::now();
    let matcher = open_matcher(&args.index, &args.rank)?;
    let seekers = crate::bench::read_seekers(&args.seekers)?;
    let (reader, _, _) = crate::ui::open_counted(&args.log)?;
    let log = OutcomeLog::read(reader).map_err(|e| e.with_path(&args.log))?;
    let options = FitOptions {
        holdout: args.holdout,
        ..FitOptions::default()
    };
    let fit = fit_weights(&matcher, &seekers, &log, &options)?;
    if let Some(path) = &args.output {
        ui::write_json(path, &with_weights(matcher.config(), &fit))?;
    }
    let report = Report {
        fit: &fit,
        weights_before: matcher.config().weights,
        elapsed_s: started.elapsed().as_secs_f64(),
    };
    if args.json || !ui::stdout_is_terminal() {
        return ui::print_json(&report);
    }
    println!(
        "{} log entries used ({} pairs of different outcomes trained on); {} with an unknown seeker, {} not shown to their seeker\n",
        fit.used, fit.pairs, fit.unknown_seeker, fit.not_shown
    );
    let rows: Vec<Vec<String>> = Signal::ALL
        .into_iter()
        .map(|s| {
            let before: f64 = report.weights_before.as_signals().values().iter().sum();
            vec![
                s.name().to_owned(),
                format!(
                    "{:.3}",
                    report.weights_before.get(s) / before.max(f64::MIN_POSITIVE)
                ),
                format!("{:.3}", fit.weights.get(s)),
            ]
        })
        .collect();
    ui::table(&["signal", ">before", ">fitted"], &rows);
    println!(
        "\nnDCG@10 on {} held-out seekers: {:.3} before, {:.3} fitted (training seekers: {:.3} → {:.3})",
        fit.after.seekers, fit.before.ndcg, fit.after.ndcg, fit.train_before, fit.train_after
    );
    if let Some(path) = &args.output {
        println!("config with the fitted weights written to {}", path.display());
    }
    Ok(())
}
