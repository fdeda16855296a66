//! Another market plugged in as a value: a tiny fictional province (three
//! districts of province 97) and a handful of occupations, indexed, matched
//! and explained without touching the shipped Sichuan–Chongqing data.

use jobmatch::index::VacancyIndex;
use jobmatch::matcher::Matcher;
use jobmatch::rank::RankingConfig;
use jobmatch::reference::ReferenceData;
use jobmatch::region::Level;
use jobmatch::{Date, Seeker, Vacancy};

const REGIONS: &str = "\
level,adcode,name,prefecture_adcode,prefecture_name,province_adcode,province_name,lat,lon,coord_source,centroid_lat,centroid_lon,status,note
province,970000,虚构省,,,970000,虚构省,40.000000,120.000000,test,40.000000,120.000000,current,
prefecture,970100,甲市,970100,甲市,970000,虚构省,40.000000,120.000000,test,40.000000,120.000000,current,
county,970101,东城区,970100,甲市,970000,虚构省,40.000000,120.000000,test,40.000000,120.000000,current,
county,970102,西城区,970100,甲市,970000,虚构省,40.000000,119.850000,test,40.000000,119.850000,current,
county,970103,北山县,970100,甲市,970000,虚构省,40.700000,120.000000,test,40.700000,120.000000,current,
";

const OCCUPATIONS: &str = "\
code,level,parent_code,name,digital,green,aliases
4-00-00-00,1,,社会生产服务和生活服务人员,0,0,
4-03-00-00,2,4-00-00-00,住宿和餐饮服务人员,0,0,
4-03-02-00,3,4-03-00-00,餐饮服务人员,0,0,
4-03-02-01,4,4-03-02-00,中式烹调师,0,0,厨师|炒锅
6-00-00-00,1,,生产制造及有关人员,0,0,
6-18-00-00,2,6-00-00-00,机械制造基础加工人员,0,0,
6-18-02-00,3,6-18-00-00,金属加工人员,0,0,
6-18-02-04,4,6-18-02-00,焊工,0,0,电焊工|氩弧焊工
";

const SKILLS: &str = "\
name,name_en,aliases
焊接,Welding,电焊|氩弧焊
烹饪,Cooking,炒菜|厨艺
";

const PROFILES: &str = "\
code,skills
6-18-02-04,焊接
4-03-02-01,烹饪
";

fn fictional() -> ReferenceData {
    ReferenceData::from_csv(REGIONS, OCCUPATIONS, SKILLS, PROFILES).unwrap()
}

fn vacancy(id: &str, title: &str, skill: &str, region: &str) -> Vacancy {
    let mut v = Vacancy::new(id, title, region.parse().unwrap()).unwrap();
    v.skills = vec![skill.to_owned()];
    v
}

#[test]
fn a_fictional_market_is_indexed_matched_and_explained() {
    let reference = fictional();
    assert_eq!(reference.provinces().len(), 1);
    assert_eq!(reference.gazetteer().len(), 5);
    assert_eq!(
        reference.gazetteer().resolve("西城").unwrap().level,
        Level::County
    );
    let index = VacancyIndex::create_in_ram()
        .unwrap()
        .with_reference(reference.clone());
    for v in [
        vacancy("w-east", "电焊工", "电焊", "970101"),
        vacancy("w-west", "焊工", "焊接", "970102"),
        vacancy("w-north", "焊工", "焊接", "970103"),
        vacancy("c-east", "厨师", "炒菜", "970101"),
    ] {
        index.upsert(&v).unwrap();
    }
    index.commit().unwrap();
    let snapshot = index.snapshot().unwrap();
    assert!(snapshot.reference().same_as(&reference));
    let matcher = Matcher::new(
        snapshot,
        RankingConfig::default(),
        Date::new(2021, 3, 31).unwrap(),
    )
    .unwrap();

    // A welder in 东城 with a 20 km commute: 西城 is 12.8 km west, 北山 78 km
    // north, out of reach.
    let mut welder = Seeker::new("s1", vec!["氩弧焊".into()], "970101".parse().unwrap()).unwrap();
    welder.commute_km = 20.0;
    welder.titles = vec!["焊工".into()];
    let got: Vec<String> = matcher
        .match_one(&welder, 10)
        .unwrap()
        .matches
        .into_iter()
        .map(|m| m.vacancy)
        .collect();
    assert_eq!(got[..2], ["w-east", "w-west"], "{got:?}");
    assert!(!got.contains(&"w-north".to_owned()), "{got:?}");

    let why = matcher.explain(&welder, "w-west").unwrap();
    assert_eq!(
        why.skills[0].matched.as_deref(),
        Some("焊接"),
        "the fictional vocabulary's alias"
    );
    let occupation = why.signals.iter().find(|s| s.name == "occupation").unwrap();
    assert_eq!(
        occupation.value, 1.0,
        "the seeker's title coded by the fictional coder"
    );
    let far = matcher.explain(&welder, "w-north").unwrap();
    assert!(far.excluded.is_some(), "{far:?}");
    assert!((far.distance_km - 77.8).abs() < 1.0, "{}", far.distance_km);

    // Moving anywhere in the prefecture brings 北山 in.
    welder.mobility.regions = vec!["9701".parse().unwrap()];
    let got = matcher.match_one(&welder, 10).unwrap();
    assert!(got.matches.iter().any(|m| m.vacancy == "w-north"), "{got:?}");

    // The shipped market is untouched: its codes and names still resolve.
    let shipped = ReferenceData::sichuan_chongqing();
    assert_eq!(shipped.provinces().len(), 2);
    assert!(shipped.gazetteer().resolve("东城").is_err());
}

#[test]
fn bad_reference_tables_are_errors_naming_the_row() {
    let duplicate =
        format!("{REGIONS}county,970101,重复区,970100,甲市,970000,虚构省,40,120,test,40,120,current,\n");
    let e = ReferenceData::from_csv(&duplicate, OCCUPATIONS, SKILLS, PROFILES).unwrap_err();
    assert!(e.to_string().contains("line 7"), "{e}");
    let bad_level = REGIONS.replace("county,970103", "hamlet,970103");
    let e = ReferenceData::from_csv(&bad_level, OCCUPATIONS, SKILLS, PROFILES).unwrap_err();
    assert!(e.to_string().contains("hamlet"), "{e}");
}
