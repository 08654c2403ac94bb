//! The rejection kinds are stable codes, the same in every face: each is a distinct
//! snake_case code, and the Python package's `RejectionKind` lists exactly these.

use mecenat::scenario::RejectionKind;
use std::path::Path;

#[test]
fn kinds_are_distinct_snake_case_codes() {
    let codes: Vec<String> = RejectionKind::ALL.iter().map(|k| k.code()).collect();
    let mut sorted = codes.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), codes.len(), "duplicate codes: {codes:?}");
    for c in &codes {
        assert!(
            !c.is_empty() && c.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
            "{c:?} is not snake_case"
        );
    }
}

#[test]
fn the_python_enum_lists_the_same_codes() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let text = std::fs::read_to_string(repo.join("python/mecenat/_records.py")).unwrap();
    let start = text
        .find("class RejectionKind(StrEnum):")
        .expect("python/mecenat/_records.py defines RejectionKind");
    let body = &text[start..];
    let end = body[1..].find("\nclass ").map_or(body.len(), |i| i + 1);
    let python: Vec<String> = body[..end]
        .lines()
        .filter_map(|l| {
            let (_, v) = l.trim().split_once(" = \"")?;
            v.strip_suffix('"').map(str::to_string)
        })
        .collect();
    let rust: Vec<String> = RejectionKind::ALL.iter().map(|k| k.code()).collect();
    assert_eq!(python, rust);
}
