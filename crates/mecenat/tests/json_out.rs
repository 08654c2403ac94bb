//! The report's JSON writer renders the entries on both cores, in blocks, around serde_json's
//! output for the rest: its bytes must be exactly serde_json's own, compact and pretty.

use std::path::Path;

fn both_ways(report: &mecenat::Report) {
    for pretty in [false, true] {
        let mut ours = Vec::new();
        report.write_json(&mut ours, pretty).unwrap();
        let theirs = if pretty {
            serde_json::to_vec_pretty(report).unwrap()
        } else {
            serde_json::to_vec(report).unwrap()
        };
        assert_eq!(ours.len(), theirs.len(), "pretty = {pretty}");
        assert!(ours == theirs, "pretty = {pretty}: the bytes differ");
        if pretty {
            assert_eq!(report.to_json().unwrap().as_bytes(), &theirs[..]);
        }
        // In pieces (the Python face's `str`): the shell first, then the entries' blocks
        // (all of them, counted), each piece valid UTF-8; head, blocks, tail give the bytes.
        let (mut text, mut end, mut counted, mut pieces) = (Vec::new(), Vec::new(), 0, 0);
        report
            .json_pieces(pretty, |p| {
                pieces += 1;
                match p {
                    mecenat::report::JsonPiece::Shell {
                        head,
                        tail,
                        entries,
                    } => {
                        assert_eq!((pieces, entries), (1, report.entries.len()));
                        assert!(std::str::from_utf8(&head).is_ok());
                        assert!(std::str::from_utf8(&tail).is_ok());
                        (text, end) = (head, tail);
                    }
                    mecenat::report::JsonPiece::Entries { bytes, count } => {
                        assert!(pieces > 1 && count > 0);
                        assert!(std::str::from_utf8(&bytes).is_ok());
                        counted += count;
                        text.extend_from_slice(&bytes);
                    }
                }
            })
            .unwrap();
        text.extend_from_slice(&end);
        assert!(text == theirs, "pretty = {pretty}: the pieces differ");
        assert_eq!(counted, report.entries.len());
        assert_eq!(pieces, 1 + report.entries.len().div_ceil(1 << 13));
        // And it reads back as the same document.
        let back: serde_json::Value = serde_json::from_slice(&ours).unwrap();
        assert_eq!(
            back["entries"].as_array().map(Vec::len),
            Some(report.entries.len())
        );
    }
}

#[test]
fn demo_report_is_serde_json_byte_for_byte() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let text = std::fs::read_to_string(repo.join("fixtures/demo/scenario.json")).unwrap();
    let s = mecenat::Scenario::from_json(&text).unwrap();
    let r = mecenat::compute(&s, &mecenat::Options::default()).unwrap();
    assert!(!r.entries.is_empty());
    both_ways(&r);
}

#[test]
fn many_entries_over_several_blocks_and_none() {
    // 20,011 entries: two full rounds of blocks and a partial one; a few rejected rows
    // (unknown beneficiary) and a volunteer's, with texts that need escaping.
    let mut entries = Vec::new();
    for i in 0..20_011 {
        let ben = if i % 997 == 0 { "NOPE" } else { "A1" };
        if i % 1_009 == 0 {
            entries.push(format!(
                r#"{{"volunteer": "Zoé \"la\" bénévole\n{i}", "beneficiary": "A1", "date": "2024-03-04", "hours": "3.5", "project": "=cmd|{i}"}}"#
            ));
        } else {
            entries.push(format!(
                r#"{{"employee": "E{}", "beneficiary": "{ben}", "date": "2024-{:02}-{:02}", "days": "{}"}}"#,
                i % 7,
                1 + i % 12,
                1 + i % 28,
                if i % 2 == 0 { "1" } else { "0.5" }
            ));
        }
    }
    let employees: Vec<String> = (0..7)
        .map(|k| {
            format!(
                r#"{{"id": "E{k}", "company": "C1", "annual_gross_salary": "{}", "annual_employer_charges": "20000", "annual_working_days": "218"}}"#,
                40_000 + 7_919 * k
            )
        })
        .collect();
    let json = format!(
        r#"{{"companies": [{{"id": "C1", "name": "Exemple Conseil SAS"}}],
        "fiscal_years": [{{"company": "C1", "start": "2024-01-01", "end": "2024-12-31", "turnover": "5500000"}}],
        "beneficiaries": [{{"id": "A1", "name": "Association \"Exemple\""}}],
        "employees": [{}],
        "time_entries": [{}]}}"#,
        employees.join(","),
        entries.join(",")
    );
    let s = mecenat::Scenario::from_json(&json).unwrap();
    let mut r = mecenat::compute(&s, &mecenat::Options::default()).unwrap();
    assert_eq!(r.entries.len(), 20_011);
    assert!(r
        .entries
        .iter()
        .any(|e| e.status == mecenat::report::Status::Rejected));
    both_ways(&r);
    r.entries.clear();
    both_ways(&r);
}
