//! The figures a synthetic market is calibrated to, each with its source.
//!
//! Published figures (`spec/market-facts.md`, March 2021) fix the industry
//! shares of demand and the graduates' cross-region flows. Where nothing is
//! published (which occupations an industry employs, salary levels, how
//! seekers split into priority groups), the tables below are modelling
//! assumptions, stated as such, chosen to look like the market and easy to
//! change.

use crate::model::{Education, PriorityGroup};

/// Share of demand per GB/T 4754 section, A..T, in percent.
///
/// C, O and F are Chongqing's published 2021 shares of openings. The other
/// 29.07% is spread over the remaining sections by assumed relative sizes
/// (construction, catering and transport large; mining, utilities and
/// international organisations small).
pub const INDUSTRY_SHARES: [f64; 20] = {
    const OTHERS: f64 = 100.0 - 47.89 - 16.45 - 6.59;
    // Relative sizes of the 17 other sections (sums to 40).
    const REL: [f64; 17] = [
        1.2, // A agriculture
        0.6, // B mining
        0.8, // D utilities
        7.0, // E construction
        4.5, // G transport, storage, post
        5.5, // H accommodation and catering
        3.5, // I information technology
        2.0, // J finance
        2.2, // K real estate
        3.6, // L leasing and business services
        1.6, // M research and technical services
        1.0, // N water, environment, public facilities
        2.3, // P education
        2.4, // Q health and social work
        1.0, // R culture, sports, entertainment
        0.7, // S public administration
        0.1, // T international organisations
    ];
    const SUM: f64 = 40.0;
    let mut out = [0.0; 20];
    let others_idx = [0, 1, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 15, 16, 17, 18, 19];
    let mut i = 0;
    while i < 17 {
        out[others_idx[i]] = OTHERS * REL[i] / SUM;
        i += 1;
    }
    out[2] = 47.89; // C manufacturing
    out[14] = 16.45; // O resident services, repair, other services
    out[5] = 6.59; // F wholesale and retail
    out
};

/// Which CSCO middle groups (`major-middle`) an industry's vacancies fall in,
/// with relative weights. Assumption: follows the correspondence the 2022
/// classification itself draws (its 4-xx service groups mirror the GB/T 4754
/// sections; 6-xx production groups mirror manufacturing divisions).
pub const INDUSTRY_OCCUPATIONS: [&[(&str, f64)]; 20] = [
    // A
    &[
        ("5-01", 30.0),
        ("5-02", 8.0),
        ("5-03", 25.0),
        ("5-04", 8.0),
        ("5-05", 14.0),
        ("2-03", 8.0),
        ("4-01", 7.0),
    ],
    // B
    &[("6-16", 60.0), ("2-02", 15.0), ("6-30", 15.0), ("3-02", 10.0)],
    // C
    &[
        ("6-18", 10.0),
        ("6-19", 6.0),
        ("6-20", 6.0),
        ("6-21", 4.0),
        ("6-22", 10.0),
        ("6-24", 7.0),
        ("6-25", 12.0),
        ("6-26", 2.0),
        ("6-01", 3.0),
        ("6-02", 4.0),
        ("6-04", 3.0),
        ("6-05", 5.0),
        ("6-06", 2.0),
        ("6-11", 3.0),
        ("6-12", 2.0),
        ("6-14", 3.0),
        ("6-15", 2.0),
        ("6-17", 2.0),
        ("6-31", 10.0),
        ("2-02", 7.0),
        ("4-02", 3.0),
        ("3-01", 3.0),
        ("4-01", 3.0),
    ],
    // D
    &[("6-28", 50.0), ("2-02", 20.0), ("4-11", 20.0), ("3-01", 10.0)],
    // E
    &[
        ("6-29", 55.0),
        ("2-02", 20.0),
        ("6-30", 15.0),
        ("3-01", 5.0),
        ("4-08", 5.0),
    ],
    // F
    &[
        ("4-01", 70.0),
        ("4-02", 12.0),
        ("3-01", 6.0),
        ("2-06", 8.0),
        ("4-07", 4.0),
    ],
    // G
    &[
        ("4-02", 55.0),
        ("6-30", 25.0),
        ("3-01", 10.0),
        ("2-04", 5.0),
        ("4-12", 5.0),
    ],
    // H
    &[("4-03", 85.0), ("3-01", 5.0), ("4-01", 10.0)],
    // I
    &[("4-04", 45.0), ("2-02", 40.0), ("4-13", 5.0), ("2-06", 10.0)],
    // J
    &[("4-05", 55.0), ("2-06", 40.0), ("3-01", 5.0)],
    // K
    &[("4-06", 70.0), ("2-06", 15.0), ("4-01", 15.0)],
    // L
    &[("4-07", 60.0), ("2-06", 20.0), ("3-01", 20.0)],
    // M
    &[("2-01", 30.0), ("2-02", 40.0), ("4-08", 30.0)],
    // N
    &[("4-09", 70.0), ("2-02", 15.0), ("5-05", 15.0)],
    // O
    &[("4-10", 55.0), ("4-12", 30.0), ("4-14", 15.0)],
    // P
    &[("2-08", 70.0), ("4-13", 25.0), ("3-01", 5.0)],
    // Q
    &[("2-05", 65.0), ("4-14", 20.0), ("4-10", 15.0)],
    // R
    &[("2-09", 35.0), ("2-10", 25.0), ("4-13", 40.0)],
    // S
    &[("3-01", 60.0), ("3-02", 20.0), ("2-07", 10.0), ("1-06", 10.0)],
    // T
    &[("3-01", 50.0), ("2-06", 50.0)],
];

/// Median monthly salary (CNY) per section, A..T. Assumption, in line with
/// the ordering of urban wages by industry in the Sichuan and Chongqing
/// statistical yearbooks (IT and finance highest, catering and resident
/// services lowest).
pub const MEDIAN_SALARY: [f64; 20] = [
    4000.0, 6500.0, 5500.0, 7000.0, 6500.0, 5000.0, 6000.0, 4200.0, 9500.0, 8500.0, 6000.0, 5500.0, 8000.0,
    4800.0, 4300.0, 6000.0, 6500.0, 5800.0, 5000.0, 7000.0,
];

/// Salary factor of a region class: the Chengdu and Chongqing cores pay
/// more than prefecture towns and counties (assumption).
pub const SALARY_BY_REGION_CLASS: [f64; 4] = [1.15, 1.0, 0.9, 0.8];

/// Relative weight of a county-level unit as a workplace, by class:
/// Chengdu's and Chongqing's core districts, the rest of Chengdu and of
/// Chongqing's urban districts, other prefectures' districts, and counties
/// and county-level cities (assumption: jobs cluster in the two cores).
pub const REGION_CLASS_WEIGHT: [f64; 4] = [14.0, 4.5, 2.5, 1.0];

/// Chongqing's core (主城) districts by code. The rest of `5001` are outer
/// districts.
pub const CHONGQING_CORE: [u32; 10] = [
    500103, 500104, 500105, 500106, 500107, 500108, 500109, 500112, 500113, 500157,
];

/// Education a vacancy asks for, by CSCO major group 1..8, as weights over
/// [`Education::ALL`] (assumption).
pub const EDUCATION_BY_MAJOR: [[f64; 8]; 8] = [
    [0.0, 0.0, 1.0, 1.0, 3.0, 4.0, 1.0, 0.0], // 1 managers
    [0.0, 0.0, 0.0, 0.5, 3.0, 5.0, 1.2, 0.3], // 2 professionals
    [0.0, 0.5, 2.0, 2.0, 3.0, 1.5, 0.0, 0.0], // 3 clerks
    [0.5, 2.5, 3.0, 2.0, 1.5, 0.5, 0.0, 0.0], // 4 service
    [3.0, 4.0, 1.5, 1.0, 0.3, 0.2, 0.0, 0.0], // 5 agriculture
    [1.0, 4.0, 3.0, 2.5, 0.8, 0.2, 0.0, 0.0], // 6 production
    [0.0, 1.0, 3.0, 1.0, 1.0, 0.0, 0.0, 0.0], // 7 military
    [3.0, 3.0, 2.0, 1.0, 0.5, 0.2, 0.0, 0.0], // 8 other
];

/// Salary factor by education asked (assumption).
pub fn salary_factor(education: Option<Education>) -> f64 {
    match education {
        Some(Education::Master) => 1.5,
        Some(Education::Doctorate) => 1.9,
        Some(Education::Bachelor) => 1.25,
        Some(Education::Associate) => 1.08,
        _ => 1.0,
    }
}

/// Graduates of the class of 2020 employed in the other region: 3.12% of
/// Sichuan's went to Chongqing, 8.06% of Chongqing's to Sichuan
/// (market-facts, "Cross-region mobility of new graduates").
pub const GRADUATES_TO_OTHER_REGION: [(u32, f64); 2] = [(51, 0.0312), (50, 0.0806)];

/// Graduates employed outside their home province at all: 24.90% of
/// Sichuan's; 100% − 66.24% = 33.76% of Chongqing's (market-facts).
pub const GRADUATES_LEAVING_PROVINCE: [(u32, f64); 2] = [(51, 0.2490), (50, 0.3376)];

/// Mobility of seekers outside the graduate group relative to graduates'
/// (assumption: no flow figure is published for them).
pub const NON_GRADUATE_MOBILITY: f64 = 0.5;

/// Share of seekers who would move within their province, to its capital
/// (`5101` Chengdu or `5001` Chongqing's urban districts) (assumption).
pub const MOVE_TO_CAPITAL: f64 = 0.10;

/// Share of seekers in each priority group (assumption; groups can overlap
/// except graduate and migrant worker).
pub const GROUP_SHARES: [(PriorityGroup, f64); 6] = [
    (PriorityGroup::Graduate, 0.22),
    (PriorityGroup::MigrantWorker, 0.30),
    (PriorityGroup::Veteran, 0.03),
    (PriorityGroup::Unemployed, 0.15),
    (PriorityGroup::HardToEmploy, 0.04),
    (PriorityGroup::PovertyAlleviated, 0.04),
];

/// Commute radii seekers state, km, with weights (assumption).
pub const COMMUTE_KM: [(f64, f64); 6] = [
    (10.0, 2.0),
    (15.0, 2.0),
    (20.0, 3.0),
    (30.0, 4.0),
    (40.0, 1.5),
    (50.0, 1.0),
];

/// Vacancies per employer: 155,000 vacancies from 9,242 employers in the
/// joint recruitment zone (market-facts) ≈ 16.8.
pub const VACANCIES_PER_EMPLOYER: f64 = 155_000.0 / 9_242.0;
