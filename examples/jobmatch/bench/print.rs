//! The bench on a terminal: tables and the latency picture.

use super::*;

/// A latency CDF, indexed against the exhaustive scan, on a log scale.
pub(super) fn plot(path: &std::path::Path, indexed: &[f64], scan: &[f64], r: &Report) -> Result<()> {
    use plotters::prelude::*;
    let draw_err = |e: &dyn std::fmt::Display| Error::Io {
        path: Some(path.to_owned()),
        source: std::io::Error::other(e.to_string()),
    };
    register_font()?;
    let root = BitMapBackend::new(path, (960, 540)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| draw_err(&e))?;
    let lo = indexed.first().copied().unwrap_or(0.01).max(0.01);
    let hi = scan.last().copied().unwrap_or(1000.0).max(lo * 10.0);
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!(
                "Latency per seeker, {} vacancies, top {} (scan: 2 seekers at once)",
                r.vacancies, r.top_k
            ),
            ("sans-serif", 20),
        )
        .margin(20)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d((lo * 0.8..hi * 1.2).log_scale(), 0.0..1.0)
        .map_err(|e| draw_err(&e))?;
    chart
        .configure_mesh()
        .x_desc("milliseconds (log scale)")
        .y_desc("share of seekers")
        .draw()
        .map_err(|e| draw_err(&e))?;
    for (data, color, label) in [
        (indexed, BLUE, "indexed (pruned)"),
        (scan, RED, "exhaustive scan"),
    ] {
        let n = data.len().max(1) as f64;
        chart
            .draw_series(LineSeries::new(
                data.iter()
                    .enumerate()
                    .map(|(i, &x)| (x.max(lo), (i + 1) as f64 / n)),
                color.stroke_width(2),
            ))
            .map_err(|e| draw_err(&e))?
            .label(label)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .position(SeriesLabelPosition::LowerRight)
        .draw()
        .map_err(|e| draw_err(&e))?;
    root.present().map_err(|e| draw_err(&e))?;
    Ok(())
}

/// Loads DejaVu Sans (Debian's fonts-dejavu-core) for plot labels, once.
pub fn register_font() -> Result<()> {
    cjk_font().map(|_| ())
}

/// Fonts with Chinese glyphs, tried before DejaVu Sans (which has none).
pub(super) const CJK_FONTS: [&str; 4] = [
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
];

/// Registers the plots' font, one with Chinese glyphs when the machine
/// has one (then `true`), else DejaVu Sans.
///
/// # Errors
/// No usable font at all.
pub fn cjk_font() -> Result<bool> {
    use plotters::style::FontStyle;
    static DONE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if let Some(&cjk) = DONE.get() {
        return Ok(cjk);
    }
    let latin = [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    ];
    let mut found = None;
    for (cjk, path) in CJK_FONTS
        .iter()
        .map(|p| (true, *p))
        .chain(latin.iter().map(|p| (false, *p)))
    {
        let Ok(bytes) = std::fs::read(path) else { continue };
        let font: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        if plotters::style::register_font("sans-serif", FontStyle::Normal, font).is_ok() {
            found = Some(cjk);
            break;
        }
    }
    let cjk = found.ok_or_else(|| Error::Invalid {
        field: "--plot".into(),
        reason: "no usable font found to draw labels: install fonts-dejavu-core (and fonts-wqy-microhei for Chinese names)".into(),
    })?;
    let _ = DONE.set(cjk);
    Ok(cjk)
}

pub(super) fn print(r: &Report) {
    println!(
        "jobmatch bench: {} vacancies, {} seekers, top {}, {} threads ({})\n",
        r.vacancies, r.seekers, r.top_k, r.threads, r.cpu
    );
    let mut rows = vec![
        vec![
            "latency, 1 thread (ms)".into(),
            format!(
                "min {:.3}  p50 {:.3}  p95 {:.3}  p99 {:.3}  max {:.3}",
                r.p_min_ms, r.p50_ms, r.p95_ms, r.p99_ms, r.p_max_ms
            ),
        ],
        vec![
            "throughput (seekers/s)".into(),
            format!(
                "1 thread {:.0}, {} threads {:.0} (×{:.2})",
                r.throughput_1t, r.threads, r.throughput_all, r.parallel_speedup
            ),
        ],
        vec![
            "exhaustive scan".into(),
            format!(
                "p50 {:.1} ms, {:.0} seekers/s on {} threads",
                r.scan_p50_ms, r.scan_throughput_all, r.threads
            ),
        ],
        vec![
            "indexed vs scan".into(),
            format!(
                "×{:.1} faster (p50), top-k mismatches {}",
                r.speedup_vs_scan, r.topk_mismatches
            ),
        ],
        vec![
            "quality (planted)".into(),
            format!("recall@10 {:.3}, MRR {:.3}", r.recall_at_10, r.mrr),
        ],
        vec![
            "quality (kind of job)".into(),
            format!(
                "precision@10 occupation {:.3}, minor group {:.3}, nDCG@10 {:.3}; skills-only seekers ({}): {:.3} / {:.3} / {:.3}",
                r.quality_all.precision_at_10_occupation,
                r.quality_all.precision_at_10_minor_group,
                r.quality_all.ndcg_at_10,
                r.quality_skills_only.seekers,
                r.quality_skills_only.precision_at_10_occupation,
                r.quality_skills_only.precision_at_10_minor_group,
                r.quality_skills_only.ndcg_at_10
            ),
        ],
        vec![
            "quality ceiling".into(),
            format!(
                "the most the vacancies in reach allow: precision@10 occupation {:.3}, minor group {:.3}",
                r.quality_ceiling.occupation, r.quality_ceiling.minor_group
            ),
        ],
        vec![
            "market health".into(),
            format!(
                "top 1% of vacancies take {:.1}% of slots; {:.1}% never shown; {:.2}% cross-border",
                100.0 * r.top1pct_share,
                100.0 * r.orphan_share,
                100.0 * r.cross_border_share
            ),
        ],
        vec![
            "index".into(),
            format!(
                "{:.0} MB on disk{}; reopen + first query {:.0} ms",
                r.index_bytes as f64 / 1e6,
                r.build_s
                    .map_or(String::new(), |b| format!(", built in {b:.1} s")),
                r.open_first_query_ms
            ),
        ],
    ];
    if let Some(t) = &r.ingest {
        rows.push(vec![
            "raw postings".into(),
            format!(
                "{} ingested in {:.1} s ({:.0}/s on {} threads, {} refused); index of the clean file {:.1} s, index --raw {:.1} s",
                t.postings, t.ingest_s, t.postings_per_s, t.threads, t.refused, t.index_clean_s, t.index_raw_s
            ),
        ]);
    }
    rows.extend([
        vec![
            "worst seeker".into(),
            format!(
                "{} skills, relocating anywhere, k = {}: {:.1} ms indexed ({}), {:.0} ms exhaustive; with a {} ms deadline {:.1} ms, {} matches{}",
                r.worst_seeker.skills,
                r.worst_seeker.k,
                r.worst_seeker.indexed_ms,
                if r.worst_seeker.exact {
                    "exact"
                } else {
                    "NOT exact"
                },
                r.worst_seeker.exhaustive_ms,
                r.worst_seeker.deadline_ms,
                r.worst_seeker.with_deadline_ms,
                r.worst_seeker.with_deadline_matches,
                if r.worst_seeker.with_deadline_truncated {
                    ", truncated"
                } else {
                    ""
                }
            ),
        ],
        vec![
            "live update".into(),
            format!("upsert 10,000 vacancies + commit: {:.2} s", r.upsert_10k_s),
        ],
        vec![
            "peak memory".into(),
            format!("{:.0} MB", r.peak_rss_bytes as f64 / 1e6),
        ],
    ]);
    ui::table(&["measure", "value"], &rows);
    println!("\nreproduce: {}", r.command);
}
