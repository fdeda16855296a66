//! The synthetic market reproduces the published figures.

use jobmatch::market::{Market, MarketConfig, calibration::INDUSTRY_SHARES};
use jobmatch::{Industry, Seeker, Vacancy};
use proptest::prelude::*;

#[test]
fn industry_shares_of_200k_vacancies_match_the_published_ones() {
    let n = 200_000u64;
    let market = Market::new(MarketConfig {
        vacancies: n,
        seekers: 0,
        seed: 42,
        ..Default::default()
    });
    let mut counts = [0u64; 20];
    for i in 0..n {
        let industry = market
            .vacancy(i)
            .industry
            .expect("the generator sets an industry");
        counts[industry.index()] += 1;
    }
    for (letter, published) in [('C', 47.89), ('O', 16.45), ('F', 6.59)] {
        let i = Industry::all().find(|x| x.letter() == letter).unwrap().index();
        let share = 100.0 * counts[i] as f64 / n as f64;
        assert!(
            (share - published).abs() <= 0.5,
            "{letter}: {share:.2}% vs {published}%"
        );
        assert_eq!(INDUSTRY_SHARES[i], published);
    }
    let others: u64 = Industry::all()
        .filter(|x| !"COF".contains(x.letter()))
        .map(|x| counts[x.index()])
        .sum();
    let share = 100.0 * others as f64 / n as f64;
    assert!((share - 29.07).abs() <= 0.5, "others {share:.2}%");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn generator_is_deterministic_and_valid(seed in any::<u64>(), n in 1u64..5_000) {
        let config = MarketConfig { vacancies: n, seekers: 20, seed, ..Default::default() };
        let a = Market::new(config.clone());
        let b = Market::new(config);
        let mut out_a = Vec::new();
        let mut out_b = Vec::new();
        let limit = n.min(200);
        for i in 0..limit {
            let v = a.vacancy(i);
            prop_assert!(v.validate().is_ok(), "{:?}", v.validate());
            out_a.push(serde_json::to_string(&v).unwrap());
            out_b.push(serde_json::to_string(&b.vacancy(i)).unwrap());
        }
        for j in 0..20 {
            let s = a.seeker(j);
            prop_assert!(s.validate().is_ok());
            prop_assert_eq!(&s, &b.seeker(j));
            let line = serde_json::to_string(&s).unwrap();
            let back: Seeker = serde_json::from_str(&line).unwrap();
            prop_assert_eq!(back, s);
        }
        prop_assert_eq!(out_a, out_b);
    }
}

#[test]
fn written_market_parses_back_completely() {
    let market = Market::new(MarketConfig {
        vacancies: 3_000,
        seekers: 300,
        seed: 5,
        ..Default::default()
    });
    let mut vbuf = Vec::new();
    market.write_vacancies(&mut vbuf, |_| {}).unwrap();
    let vs: Vec<Vacancy> = jobmatch::io::JsonLines::new(&vbuf[..])
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(vs.len(), 3_000);
    let mut sbuf = Vec::new();
    market.write_seekers(&mut sbuf, |_| {}).unwrap();
    let ss: Vec<Seeker> = jobmatch::io::JsonLines::new(&sbuf[..])
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(ss.len(), 300);
}
