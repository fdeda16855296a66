//! `stats`, `verify`, `classify` and `profiles`: market figures, index
//! checks and title coding.

use jobmatch::taxonomy::{Accuracy, Classifier, LabeledTitle, read_labeled_titles};

use super::*;

/// `verify`: checksums and a full read-back of an index.
pub fn verify(dir: &Path, json: bool) -> Result<()> {
    let started = Instant::now();
    let checked = VacancyIndex::verify_dir(dir)?;
    if json {
        return ui::print_json(&checked);
    }
    println!(
        "{}: intact ({} segments, {} vacancies read back, {:.1} s)",
        dir.display(),
        checked.segments,
        checked.vacancies,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `stats`: market figures from an index.
pub fn stats(dir: &Path, seekers: Option<&Path>, json: bool) -> Result<()> {
    let snapshot = open_snapshot(dir)?;
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

/// Arguments of `classify`.
#[derive(Args)]
pub struct ClassifyArgs {
    /// Titles, one per line (default: stdin).
    #[arg(long)]
    pub input: Option<PathBuf>,
    /// Codes per title.
    #[arg(long, default_value_t = 5)]
    pub top: usize,
    /// Coded titles to learn from instead of the shipped ones (CSV with `title`/`job_title` and `code`/`csco_code` columns, or JSON Lines of {"title", "code"}); repeat to join files.
    #[arg(long)]
    pub train: Vec<PathBuf>,
    /// Measure the coder on these coded titles (same formats) and print its accuracy instead of coding.
    #[arg(long)]
    pub evaluate: Option<PathBuf>,
    /// Measure by K-fold cross-validation over the --train titles instead of coding.
    #[arg(long, value_name = "K")]
    pub cross_validate: Option<usize>,
    /// Save the coder (trained with --train, or the shipped one) to FILE for `Classifier::from_bytes`.
    #[arg(long, value_name = "FILE")]
    pub save_model: Option<PathBuf>,
}

/// Trains the coder of the index in `dir` (created if missing) on coded
/// titles and keeps them with it.
pub fn teach_coder(dir: &Path, files: &[PathBuf], quiet: bool) -> Result<()> {
    let mut titles = Vec::new();
    for f in files {
        titles.extend(read_coded(f)?);
    }
    let started = Instant::now();
    VacancyIndex::open_or_create(dir)?.with_trained_coder(&titles)?;
    if !quiet {
        eprintln!(
            "the coder learned {} coded titles in {:.2} s; kept in {}",
            titles.len(),
            started.elapsed().as_secs_f64(),
            dir.join(jobmatch::index::CODED_TITLES_FILE).display()
        );
    }
    Ok(())
}

fn read_coded(path: &Path) -> Result<Vec<LabeledTitle>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
        path: Some(path.to_owned()),
        source: e,
    })?;
    Ok(read_labeled_titles(&text).map_err(|e| e.with_path(path))?.0)
}

/// `classify`: one JSON line per input title, codes best first; or the
/// coder's accuracy.
pub fn classify(args: ClassifyArgs) -> Result<()> {
    let taxonomy = jobmatch::taxonomy::taxonomy();
    let mut train = Vec::new();
    for p in &args.train {
        train.extend(read_coded(p)?);
    }
    if let Some(k) = args.cross_validate {
        if train.is_empty() {
            return Err(Error::Invalid {
                field: "--cross-validate".into(),
                reason: "needs coded titles to split (--train FILE)".into(),
            });
        }
        let started = Instant::now();
        let a = jobmatch::taxonomy::cross_validate(taxonomy, &train, k)?;
        print_accuracy(
            &format!("{k}-fold cross-validation over {} titles", train.len()),
            &a,
            started,
        );
        return Ok(());
    }
    let started = Instant::now();
    let trained;
    let coder: &Classifier = if args.train.is_empty() {
        jobmatch::taxonomy::classifier()
    } else {
        trained = Classifier::train(taxonomy, &train);
        eprintln!(
            "trained on {} coded titles in {:.2} s",
            train.len(),
            started.elapsed().as_secs_f64()
        );
        &trained
    };
    if let Some(path) = &args.save_model {
        std::fs::write(path, coder.to_bytes()).map_err(|e| Error::Io {
            path: Some(path.clone()),
            source: e,
        })?;
        eprintln!("saved the coder to {}", path.display());
        return Ok(());
    }
    if let Some(path) = &args.evaluate {
        let titles = read_coded(path)?;
        let started = Instant::now();
        let a = coder.accuracy(&titles);
        print_accuracy(&path.display().to_string(), &a, started);
        return Ok(());
    }
    let input = args.input.as_deref();
    let top = args.top;
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
        let codes = coder
            .classify(title, top)
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

/// An accuracy: a table on a terminal, JSON in a pipe.
fn print_accuracy(what: &str, a: &Accuracy, started: Instant) {
    let secs = started.elapsed().as_secs_f64();
    if ui::stdout_is_terminal() {
        println!("{what}: {} titles, {secs:.2} s", a.titles);
        let pct = |x: f64| format!("{:.1}%", 100.0 * x);
        ui::table(
            &["level", ">top-1", ">top-5"],
            &[
                vec!["minor group".into(), pct(a.minor_top1), pct(a.minor_top5)],
                vec![
                    "occupation".into(),
                    pct(a.occupation_top1),
                    pct(a.occupation_top5),
                ],
            ],
        );
    } else {
        println!(
            "{}",
            serde_json::json!({"evaluated": what, "accuracy": a, "seconds": secs})
        );
    }
}

/// Occupations `profiles` shows by default: two or three from each major
/// group that has occupations (CSCO's groups 7 and 8 have none).
const SHOWN_PROFILES: [&str; 15] = [
    "1-06-01-02",
    "2-02-10-03",
    "2-05-07-01",
    "2-06-01-01",
    "3-01-01-01",
    "3-02-03-01",
    "4-01-02-01",
    "4-02-02-01",
    "4-03-02-01",
    "4-12-04-01",
    "5-01-01-01",
    "5-03-01-01",
    "6-18-02-04",
    "6-23-04-02",
    "6-29-01-01",
];

/// Arguments of `profiles`.
#[derive(Args)]
pub struct ProfilesArgs {
    /// Occupation codes to show, comma-separated (default: a fixed list across the major groups).
    #[arg(long, value_delimiter = ',')]
    pub codes: Vec<String>,
    /// Show every occupation.
    #[arg(long, conflicts_with = "codes")]
    pub all: bool,
}

#[derive(Serialize)]
struct ProfileLine {
    code: String,
    name: String,
    skills: Vec<String>,
}

/// `profiles`: the shipped skill profiles of some occupations, to look at.
pub fn profiles(args: ProfilesArgs) -> Result<()> {
    let (taxonomy, vocab) = (jobmatch::taxonomy::taxonomy(), jobmatch::taxonomy::skills());
    let codes: Vec<jobmatch::taxonomy::OccupationCode> = if args.all {
        vocab.profiled_occupations().collect()
    } else if args.codes.is_empty() {
        SHOWN_PROFILES.iter().filter_map(|c| c.parse().ok()).collect()
    } else {
        args.codes
            .iter()
            .map(|c| {
                c.trim()
                    .parse::<jobmatch::taxonomy::OccupationCode>()
                    .map_err(|_| Error::Invalid {
                        field: "--codes".into(),
                        reason: format!("`{c}` is not a CSCO code like 6-18-02-04"),
                    })
            })
            .collect::<Result<_>>()?
    };
    let lines: Vec<ProfileLine> = codes
        .iter()
        .map(|&code| ProfileLine {
            code: code.to_string(),
            name: taxonomy.get(code).name.clone(),
            skills: vocab
                .profile(code)
                .iter()
                .filter_map(|&id| vocab.get(id).map(|s| s.name.clone()))
                .collect(),
        })
        .collect();
    if ui::stdout_is_terminal() {
        let rows: Vec<Vec<String>> = lines
            .iter()
            .map(|l| vec![l.code.clone(), l.name.clone(), l.skills.join(" | ")])
            .collect();
        ui::table(
            &["code", "occupation", "skill profile (most specific first)"],
            &rows,
        );
        Ok(())
    } else {
        let mut out = JsonLinesWriter::new(std::io::BufWriter::new(std::io::stdout().lock()));
        for l in &lines {
            out.write(l)?;
        }
        out.finish().map(drop)
    }
}
