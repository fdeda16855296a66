//! JSON Lines input: round trips and bad input.

use jobmatch::io::{JsonLines, JsonLinesWriter};
use jobmatch::{Error, Seeker, Vacancy};
use proptest::prelude::*;

use crate::arb;

fn parse_all<T: jobmatch::io::Record>(text: &str) -> (Vec<T>, Vec<Error>) {
    let mut errors = Vec::new();
    let good = JsonLines::new(text.as_bytes())
        .skip_bad(|e| errors.push(e))
        .collect();
    (good, errors)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn vacancies_round_trip(vs in prop::collection::vec(arb::vacancy(), 1..8)) {
        for v in &vs {
            v.validate().unwrap();
        }
        let mut w = JsonLinesWriter::new(Vec::new());
        for v in &vs {
            w.write(v).unwrap();
        }
        let bytes = w.finish().unwrap();
        let back: Vec<Vacancy> = JsonLines::new(&bytes[..]).collect::<Result<_, _>>().unwrap();
        prop_assert_eq!(back, vs);
    }

    #[test]
    fn seekers_round_trip(ss in prop::collection::vec(arb::seeker(), 1..8)) {
        let mut w = JsonLinesWriter::new(Vec::new());
        for s in &ss {
            s.validate().unwrap();
            w.write(s).unwrap();
        }
        let bytes = w.finish().unwrap();
        let back: Vec<Seeker> = JsonLines::new(&bytes[..]).collect::<Result<_, _>>().unwrap();
        prop_assert_eq!(back, ss);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        prop_assert!(jobmatch::io::check_round_trip(&bytes).is_ok());
    }
}

#[test]
fn a_mixed_file_yields_every_valid_record_and_one_error_per_bad_line() {
    let input = [
        r#"{"id":"v1","title":"焊工","skills":["电焊"],"region":"500107"}"#,
        r#"{"id":"v2","title":"普工","skills":["包装"],"region":"510104""#, // broken JSON
        r#"{"id":"v3","title":"普工","skills":"包装","region":"510104"}"#,  // wrong type
        "",
        r#"{"id":"v4","title":"司机","skills":[],"region":"110101"}"#, // unknown region
        r#"{"id":"v5","title":"司机","skills":[],"region":"510104","lat":NaN,"lon":104.0}"#,
        r#"{"id":"v6","title":"数控车床操作工","skills":["CNC"],"region":"510104","lat":30.6,"lon":104.1}"#,
        r#"{"id":"v7","title":"会计","skills":[],"region":"510104","salary_min":-5}"#,
        r#"{"id":"v8","title":"会计","skills":[],"region":"510104","salary_min":9000,"salary_max":5000}"#,
        r#"{"id":"v9","title":"会计","skills":[],"region":"510104","headcount":0}"#,
        r#"{"id":"v10","title":"会计","skills":[],"region":"510104","education":"phd"}"#,
        r#"{"id":"v11","title":"会计","region":"510104"}"#, // missing skills
        r#"{"id":"v12","title":"会计","skills":[],"region":"510104","lat":95.0,"lon":104.0}"#,
        r#"{"id":"v13","title":"会计","skills":[],"region":"510104","lat":30.0}"#,
        r#"{"id":"v14","title":"会计","skills":[],"region":"510104","posted":"2021-03-01","expires":"2021-02-01"}"#,
        r#"{"id":"v15","title":"  ","skills":[],"region":"510104"}"#,
        r#"{"id":"v16","title":"会计","skills":[""],"region":"510104"}"#,
        r#"{"id":"v17","title":"会计","skills":[],"region":"510104","occupation":"9-99-99-99"}"#,
        r#"{"id":"v18","title":"会计","skills":[],"region":"510104","unknown_field":true}"#, // valid: ignored
    ]
    .join("\n");
    let (good, errors) = parse_all::<Vacancy>(&input);
    let ids: Vec<&str> = good.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(ids, ["v1", "v6", "v18"]);
    let found: Vec<(u64, String)> = errors
        .iter()
        .map(|e| match e {
            Error::Parse { line, field, .. } => (*line, field.clone()),
            other => panic!("not a parse error: {other}"),
        })
        .collect();
    let expected: Vec<(u64, &str)> = vec![
        (2, "(line)"),
        (3, "skills"),
        (5, "region"),
        (6, "lat"),
        (8, "salary_min"),
        (9, "salary_min"),
        (10, "headcount"),
        (11, "education"),
        (12, "skills"),
        (13, "lat"),
        (14, "lon"),
        (15, "expires"),
        (16, "title"),
        (17, "skills[0]"),
        (18, "occupation"),
    ];
    let found_ref: Vec<(u64, &str)> = found.iter().map(|(l, f)| (*l, f.as_str())).collect();
    assert_eq!(found_ref, expected);
    for e in &errors {
        let msg = e.to_string();
        assert!(msg.starts_with("line "), "{msg}");
    }
    assert_eq!(
        errors[2].to_string(),
        "line 5: region: unknown region code `110101`"
    );
}

#[test]
fn seeker_errors_name_nested_fields() {
    let input = [
        r#"{"id":"s1","skills":["焊接"],"region":"500107","commute_km":20,"mobility":{"regions":["51"],"max_km":300}}"#,
        r#"{"id":"s2","skills":[],"region":"500107","mobility":{"regions":["99"]}}"#,
        r#"{"id":"s3","skills":[],"region":"500107","mobility":{"max_km":-1}}"#,
        r#"{"id":"s4","skills":[],"region":"500107","commute_km":"far"}"#,
        r#"{"id":"s5","skills":[],"region":"500107","groups":["astronaut"]}"#,
        r#"{"id":"s6","skills":[],"region":"500107","experience_years":-2}"#,
        r#"{"id":"s7","skills":["焊接","　 "],"region":"500107"}"#,
    ]
    .join("\n");
    let (good, errors) = parse_all::<Seeker>(&input);
    assert_eq!(good.len(), 1);
    assert_eq!(good[0].mobility.max_km, Some(300.0));
    let fields: Vec<String> = errors
        .iter()
        .map(|e| match e {
            Error::Parse { field, .. } => field.clone(),
            other => panic!("{other}"),
        })
        .collect();
    assert_eq!(
        fields,
        [
            "mobility.regions[0]",
            "mobility.max_km",
            "commute_km",
            "groups[0]",
            "experience_years",
            "skills[1]"
        ]
    );
}

#[test]
fn stop_at_first_error_is_the_caller_s_choice() {
    let input = "{\"id\":\"v1\",\"title\":\"a\",\"skills\":[],\"region\":\"510104\"}\nnot json\n{\"id\":\"v3\",\"title\":\"c\",\"skills\":[],\"region\":\"510104\"}\n";
    let all: Result<Vec<Vacancy>, Error> = JsonLines::new(input.as_bytes()).collect();
    assert!(matches!(all, Err(Error::Parse { line: 2, .. })));
}

#[test]
fn a_line_holding_an_array_is_called_one_not_a_field_index() {
    // serde would read the array as the record's fields in order and
    // name `[1]`; the line is named for what it is, in clean and raw input.
    let input = "[\"v1\", \"焊工\", [], \"510104\"]\n{\"id\":\"v2\",\"title\":\"b\",\"skills\":[],\"region\":\"510104\"}\n";
    let (good, errors) = parse_all::<Vacancy>(input);
    assert_eq!(good.len(), 1);
    let msg = errors.first().map(ToString::to_string).unwrap_or_default();
    assert!(msg.starts_with("line 1: (line): an array, not a record"), "{msg}");
    let raw: Vec<_> =
        jobmatch::ingest::json_lines::<_, jobmatch::ingest::RawVacancy>("  [1, 2]\n".as_bytes()).collect();
    let msg = match &raw[..] {
        [(1, Err(e))] => e.to_string(),
        _ => String::new(),
    };
    assert!(msg.contains("an array, not a record"), "{msg}");
}

#[test]
fn overlong_lines_are_rejected_without_losing_the_next() {
    let long = format!(
        "{{\"id\":\"v1\",\"title\":\"{}\",\"skills\":[],\"region\":\"510104\"}}",
        "x".repeat(5000)
    );
    let input = format!("{long}\n{{\"id\":\"v2\",\"title\":\"b\",\"skills\":[],\"region\":\"510104\"}}\n");
    let mut errors = Vec::new();
    let good: Vec<Vacancy> = JsonLines::new(input.as_bytes())
        .max_line_bytes(1024)
        .skip_bad(|e| errors.push(e))
        .collect();
    assert_eq!(good.len(), 1);
    assert_eq!(good[0].id, "v2");
    assert!(matches!(&errors[..], [Error::Parse { line: 1, .. }]));
}

#[test]
fn missing_coordinates_default_to_the_centroid() {
    let (good, _) = parse_all::<Vacancy>(r#"{"id":"v1","title":"a","skills":[],"region":"500103"}"#);
    let centroid = jobmatch::region::gazetteer()
        .get("500103".parse().unwrap())
        .centroid;
    assert_eq!(good[0].position(), centroid);
    assert_eq!(good[0].coordinates, None, "the record itself is not changed");
}

#[test]
fn a_failing_reader_is_a_machine_error_that_ends_the_stream() {
    struct Broken(bool);
    impl std::io::Read for Broken {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if std::mem::replace(&mut self.0, true) {
                return Err(std::io::Error::other("disk gone"));
            }
            let line = b"{\"id\":\"v1\",\"title\":\"a\",\"skills\":[],\"region\":\"510104\"}\n";
            buf[..line.len()].copy_from_slice(line);
            Ok(line.len())
        }
    }
    let mut it = JsonLines::<_, Vacancy>::new(std::io::BufReader::new(Broken(false)));
    assert!(it.next().unwrap().is_ok());
    let err = it.next().unwrap().unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err}");
    assert!(!err.is_user_error());
    assert!(err.to_string().contains("reading line 2"), "{err}");
    assert!(it.next().is_none());
}
