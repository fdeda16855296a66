//! proptest strategies for valid domain values.

use std::num::NonZeroU32;

use jobmatch::model::{Cny, Date, Education, Industry, Mobility, PriorityGroup, Seeker, Vacancy};
use jobmatch::region::{Coordinates, RegionCode, RegionPrefix, gazetteer};
use jobmatch::taxonomy::{OccupationCode, taxonomy};
use proptest::prelude::*;

pub fn region() -> impl Strategy<Value = RegionCode> {
    let codes: Vec<RegionCode> = gazetteer().all().iter().map(|r| r.code).collect();
    proptest::sample::select(codes)
}

pub fn prefix() -> impl Strategy<Value = RegionPrefix> {
    (region(), prop_oneof![Just(2usize), Just(4), Just(6)]).prop_map(|(c, len)| {
        c.to_string()[..len]
            .parse()
            .expect("a prefix of a known code is known")
    })
}

pub fn occupation() -> impl Strategy<Value = OccupationCode> {
    let codes: Vec<OccupationCode> = taxonomy().all().iter().map(|o| o.code).collect();
    proptest::sample::select(codes)
}

pub fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9]{1,12}",
        "[\u{4e00}-\u{9fa5}]{1,8}",
        "[ -~]{0,6}[a-z][\u{4e00}-\u{9fa5}\"\\\\ ]{0,6}",
    ]
}

pub fn coordinates() -> impl Strategy<Value = Option<Coordinates>> {
    proptest::option::of(
        (-90.0..=90.0f64, -180.0..=180.0f64).prop_map(|(a, b)| Coordinates::new(a, b).unwrap()),
    )
}

pub fn education() -> impl Strategy<Value = Option<Education>> {
    proptest::option::of(proptest::sample::select(Education::ALL.to_vec()))
}

pub fn industry() -> impl Strategy<Value = Industry> {
    (0usize..20).prop_map(|i| Industry::from_index(i).unwrap())
}

pub fn date() -> impl Strategy<Value = Date> {
    (0i32..30_000).prop_map(|d| Date::from_days_since_epoch(d).unwrap())
}

pub fn vacancy() -> impl Strategy<Value = Vacancy> {
    (
        (
            text(),
            text(),
            proptest::option::of(text()),
            proptest::option::of(text()),
        ),
        (
            proptest::option::of(industry()),
            proptest::option::of(occupation()),
            prop::collection::vec(text(), 0..6),
        ),
        (region(), coordinates()),
        (
            proptest::option::of(0u32..60_000),
            0u32..30_000,
            education(),
            proptest::option::of(0u8..40),
        ),
        (
            1u32..1000,
            any::<bool>(),
            proptest::option::of((date(), 0i32..400)),
        ),
    )
        .prop_map(
            |(
                (id, title, description, employer),
                (industry, occupation, skills),
                (region, coordinates),
                (lo, spread, education, years),
                (headcount, remote, window),
            )| {
                let salary_min = lo.map(|l| Cny::new(i64::from(l)).unwrap());
                let salary_max = lo.map(|l| Cny::new(i64::from(l + spread)).unwrap());
                Vacancy {
                    id,
                    title,
                    description,
                    employer,
                    industry,
                    occupation,
                    skills,
                    region,
                    coordinates,
                    salary_min,
                    salary_max,
                    education,
                    experience_years: years,
                    headcount: NonZeroU32::new(headcount).unwrap(),
                    remote,
                    posted: window.map(|w| w.0),
                    expires: window.map(|(d, len)| d.plus_days(len).unwrap()),
                    skill_evidence: Vec::new(),
                }
            },
        )
}

pub fn seeker() -> impl Strategy<Value = Seeker> {
    (
        (
            text(),
            prop::collection::vec(text(), 0..6),
            prop::collection::vec(text(), 0..3),
        ),
        (
            prop::collection::vec(occupation(), 0..3),
            region(),
            coordinates(),
            0.0..200.0f64,
        ),
        (
            prop::collection::vec(prefix(), 0..3),
            any::<bool>(),
            proptest::option::of(0.0..2000.0f64),
        ),
        (
            proptest::option::of(0i64..50_000),
            education(),
            proptest::option::of(0u8..40),
        ),
        (
            prop::collection::vec(industry(), 0..3),
            proptest::sample::subsequence(PriorityGroup::ALL.to_vec(), 0..3),
        ),
    )
        .prop_map(
            |(
                (id, skills, titles),
                (occupations, region, coordinates, commute_km),
                (regions, relocate, max_km),
                (salary, education, years),
                (industries, groups),
            )| Seeker {
                id,
                skills,
                titles,
                occupations,
                region,
                coordinates,
                commute_km,
                mobility: Mobility {
                    regions,
                    relocate,
                    max_km,
                },
                salary_min: salary.map(|s| Cny::new(s).unwrap()),
                education,
                experience_years: years,
                industries,
                groups,
            },
        )
}
