//! Near-duplicate postings merged at load: measured on a generated market
//! with planted re-posts (`MarketConfig::duplicate_share`), looked up by
//! either id, kept across reopening.

use jobmatch::index::{ALIASES_FILE, LoadOptions, VacancyIndex};
use jobmatch::market::{Market, MarketConfig};

#[test]
fn planted_duplicates_are_merged_with_high_precision_and_recall() {
    let n = 20_000u64;
    let market = Market::new(MarketConfig {
        vacancies: n,
        seekers: 10,
        seed: 17,
        duplicate_share: 0.05,
        ..Default::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let index = VacancyIndex::create(dir.path()).unwrap();
    let summary = index
        .bulk_load(
            (0..n).map(|i| Ok(market.vacancy(i))),
            LoadOptions {
                merge_duplicates: true,
                ..Default::default()
            },
        )
        .unwrap();
    index.close_writer().unwrap();
    // The truth: which ids re-post which original.
    let root = |id: &str| -> u64 {
        let i: u64 = id.trim_start_matches('v').parse().unwrap();
        market.duplicate_of(i).unwrap_or(i)
    };
    let planted = (0..n).filter(|&i| market.duplicate_of(i).is_some()).count() as f64;
    let text = std::fs::read_to_string(dir.path().join(ALIASES_FILE)).unwrap();
    let merges: Vec<(String, String)> = text
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["alias"].as_str().unwrap().to_owned(),
                v["kept"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(merges.len() as u64, summary.merged);
    let right = merges.iter().filter(|(a, k)| root(a) == root(k)).count() as f64;
    let precision = right / merges.len().max(1) as f64;
    let recall = right / planted;
    println!(
        "{n} vacancies, {planted} planted re-posts: {} merged, precision {precision:.4}, recall {recall:.4}",
        merges.len()
    );
    assert!(precision >= 0.99, "precision {precision}");
    assert!(recall >= 0.95, "recall {recall}");
    assert_eq!(summary.indexed + summary.merged, n);

    // Either id finds the job; the aliases survive reopening; deleting by
    // an alias deletes the job.
    let (alias, kept) = merges[0].clone();
    let reopened = VacancyIndex::open(dir.path()).unwrap();
    let snapshot = reopened.snapshot().unwrap();
    assert_eq!(snapshot.vacancy(&alias).unwrap().unwrap().id, kept);
    assert_eq!(snapshot.num_vacancies(), summary.indexed);
    assert!(reopened.delete(&alias).unwrap());
    reopened.commit().unwrap();
    assert!(reopened.snapshot().unwrap().vacancy(&kept).unwrap().is_none());
}

/// Without the option nothing is merged, and a market without planted
/// re-posts is the market it always was.
#[test]
fn nothing_is_merged_unless_asked() {
    let market = Market::new(MarketConfig {
        vacancies: 2_000,
        seekers: 10,
        seed: 17,
        duplicate_share: 0.05,
        ..Default::default()
    });
    let index = VacancyIndex::create_in_ram().unwrap();
    let summary = index
        .bulk_load((0..2_000).map(|i| Ok(market.vacancy(i))), LoadOptions::default())
        .unwrap();
    assert_eq!((summary.indexed, summary.merged), (2_000, 0));
    let plain = Market::new(MarketConfig {
        vacancies: 2_000,
        seekers: 10,
        seed: 17,
        ..Default::default()
    });
    assert!((0..2_000).all(|i| plain.duplicate_of(i).is_none()));
}
