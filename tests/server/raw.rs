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
