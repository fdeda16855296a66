//! Raw postings over HTTP: `POST /vacancies/raw` ingests as `jobmatch
//! ingest` does, all or none.

use super::*;

#[test]
fn raw_postings_are_ingested_all_or_none_and_served() {
    let dir = tempfile::tempdir().unwrap();
    let (_, idx) = fixture(dir.path(), 21);
    let server = start(&idx, &[]);
    let good = r#"{"id":"raw-1","title":"急招氩弧焊工","salary":"8千-1.2万·13薪","location":"重庆市九龙坡区西彭镇","education":"中专及以上","description":"任职要求：持焊工证。福利待遇：免费叉车培训"}"#;
    let far = r#"{"id":"raw-2","title":"司机","location":"广东省深圳市"}"#;
    // One posting out of reach: an error naming its line and id, nothing written.
    let (status, body) = call(&server, "POST", "/vacancies/raw", &format!("{good}\n{far}\n"));
    assert_eq!(status, 400, "{body}");
    let err = json(&body);
    assert_eq!(err["vacancy"], "raw-2", "{body}");
    assert!(body.contains("广东") && body.contains('2'), "{body}");
    call(&server, "POST", "/commit", "");
    let (status, _) = call(&server, "GET", "/vacancies/raw-1", "");
    assert_eq!(status, 404);
    // The good one alone is ingested, upserted and served after a commit.
    let (status, body) = call(&server, "POST", "/vacancies/raw", good);
    assert_eq!(status, 200, "{body}");
    let reply = json(&body);
    assert_eq!(reply["upserted"], 1);
    assert_eq!(reply["fields"]["salary"]["parsed"], 1, "{body}");
    let (status, _) = call(&server, "POST", "/commit", "");
    assert_eq!(status, 200);
    let (status, body) = call(&server, "GET", "/vacancies/raw-1", "");
    assert_eq!(status, 200, "{body}");
    let v = json(&body);
    assert_eq!(v["region"], "500107", "{body}");
    // The licence the description asks for is one of its skills: a seeker
    // holding it finds the posting first.
    let seeker = r#"{"id": "w", "skills": ["焊工资格证书"], "region": "500107", "commute_km": 10}"#;
    let (status, body) = call(&server, "POST", "/match?top=3", seeker);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("raw-1"), "{body}");
}

#[test]
fn raw_registrations_are_ingested_all_or_none_and_saved() {
    let dir = tempfile::tempdir().unwrap();
    let (_, idx) = fixture(dir.path(), 22);
    let sdx = dir.path().join("seekers");
    let server = start(&idx, &["--seekers", sdx.to_str().unwrap()]);
    let posting = r#"{"id":"raw-1","title":"急招电焊工","location":"重庆市九龙坡区","description":"任职要求：会电焊，持焊工证"}"#;
    assert_eq!(call(&server, "POST", "/vacancies/raw", posting).0, 200);
    let good = r#"{"id":"reg-1","desired":"电焊工","skills":"会电焊，焊工证、区块链养蜂 不会驾驶","location":"重庆市九龙坡区","salary":"期望薪资 6k"}"#;
    let far = r#"{"id":"reg-2","desired":"司机","skills":"驾驶","location":"广东省深圳市"}"#;
    // One registration out of reach: an error naming its line and id,
    // nothing saved.
    let (status, body) = call(&server, "POST", "/seekers/raw", &format!("{good}\n{far}\n"));
    assert_eq!(status, 400, "{body}");
    assert_eq!(json(&body)["seeker"], "reg-2", "{body}");
    call(&server, "POST", "/commit", "");
    assert_eq!(call(&server, "GET", "/seekers/reg-1", "").0, 404);
    // The good one alone is read as a person typed it and saved.
    let (status, body) = call(&server, "POST", "/seekers/raw", good);
    assert_eq!(status, 200, "{body}");
    assert_eq!(json(&body)["upserted"], 1);
    assert_eq!(json(&body)["fields"]["salary"]["parsed"], 1, "{body}");
    call(&server, "POST", "/commit", "");
    let (status, body) = call(&server, "GET", "/seekers/reg-1", "");
    assert_eq!(status, 200, "{body}");
    let s = json(&body);
    assert_eq!(s["region"], "500107", "{body}");
    let skills: Vec<&str> = s["skills"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|x| x.as_str())
        .collect();
    assert_eq!(skills, ["焊接", "焊工证", "区块链养蜂"], "{body}");
    // And the welding posting finds the welder first.
    let (status, body) = call(&server, "GET", "/vacancies/raw-1/candidates?top=3", "");
    assert_eq!(status, 200, "{body}");
    assert_eq!(json(&body)["candidates"][0]["seeker"], "reg-1", "{body}");
    // So does the same posting as a draft in free text, not yet posted,
    // with the vacancy it was read as; one without a title is a 400 naming it.
    let draft = r#"{"id":"draft-1","title":"电焊工（包吃住）","salary":"8千-1.2万","location":"重庆市九龙坡区西彭镇","description":"任职要求：会电焊，持焊工证"}"#;
    let (status, body) = call(&server, "POST", "/candidates/raw?top=3", draft);
    assert_eq!(status, 200, "{body}");
    let reply = json(&body);
    assert_eq!(reply["candidates"][0]["seeker"], "reg-1", "{body}");
    assert_eq!(reply["read_as"]["region"], "500107", "{body}");
    assert_eq!(reply["read_as"]["salary_min"], 8000, "{body}");
    let (status, body) = call(
        &server,
        "POST",
        "/candidates/raw",
        r#"{"id":"draft-2","location":"成都市"}"#,
    );
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("title"), "{body}");
}
