//! The class-8 journal export (`journal_fec`) quotes its text fields as in RFC 4180 (with
//! `;` as the separator) and never lets a spreadsheet take one for a formula; text without
//! such characters, like the demo's, is written as it is.

use mecenat::assoc::journal_fec;

fn journal(beneficiary_id: &str, company_name: &str) -> String {
    let s = mecenat::Scenario::from_json(
        &serde_json::json!({
            "companies": [{"id": "C1", "name": company_name}],
            "fiscal_years": [{"company": "C1", "start": "2025-01-01", "end": "2025-12-31",
                              "turnover": "2000000"}],
            "beneficiaries": [{"id": beneficiary_id, "name": "Association Exemple"}],
            "employees": [{"id": "E1", "company": "C1", "annual_gross_salary": "48000",
                           "annual_employer_charges": "21600", "annual_working_days": "218"}],
            "time_entries": [{"employee": "E1", "beneficiary": beneficiary_id,
                              "date": "2025-03-03", "days": "1"}]
        })
        .to_string(),
    )
    .unwrap();
    let r = mecenat::compute(&s, &mecenat::Options::default()).unwrap();
    journal_fec(&r, None)
}

/// Splits one line per RFC 4180 with `;` (a quoted field may hold `;` and doubled quotes).
fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                out.last_mut().unwrap().push('"');
            }
            '"' => quoted = !quoted,
            ';' if !quoted => out.push(String::new()),
            c => out.last_mut().unwrap().push(c),
        }
    }
    out
}

#[test]
fn a_formula_id_and_a_label_with_separator_and_quotes_are_quoted() {
    let csv = journal(r#"=HYPERLINK("x")"#, r#"Dupont; "Fils""#);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(lines.len(), 4, "{csv}");
    assert_eq!(
        lines[1],
        concat!(
            r#"CVN;Contributions volontaires en nature;"'=HYPERLINK(""x"")-2025-1";20251231;"#,
            r#"864;Personnel bénévole;;;"CVN-=HYPERLINK(""x"")-2025";20251231;"#,
            r#""Mécénat de compétences – 1 jour – Dupont; ""Fils""";319,27;0,00;;;;;"#
        )
    );
    assert_eq!(lines[3], "");
    for line in &lines[1..3] {
        let f = fields(line);
        assert_eq!(f.len(), 18, "{line}");
        assert_eq!(f[2], r#"'=HYPERLINK("x")-2025-1"#);
        assert_eq!(f[8], r#"CVN-=HYPERLINK("x")-2025"#);
        assert_eq!(f[10], r#"Mécénat de compétences – 1 jour – Dupont; "Fils""#);
    }
    assert_eq!(fields(lines[2])[11..13], ["0,00", "319,27"]);
}

#[test]
fn every_leading_formula_character_is_neutralised() {
    // (A leading tab or CR never reaches the journal: the scenario trims its ids.)
    for lead in ["=", "+", "-", "@"] {
        let id = format!("{lead}1");
        let csv = journal(&id, "Exemple SAS");
        let line = csv.split("\r\n").nth(1).unwrap();
        let f = fields(line);
        assert_eq!(f.len(), 18, "{line:?}");
        assert_eq!(f[2], format!("'{lead}1-2025-1"), "{line:?}");
        assert!(line.contains(&format!(";'{lead}1-2025-1;")), "{line:?}");
    }
}

#[test]
fn plain_text_is_written_as_it_is() {
    let csv = journal("A-1", "Octet Conseil SAS");
    let line = csv.split("\r\n").nth(1).unwrap();
    assert_eq!(
        line,
        "CVN;Contributions volontaires en nature;A-1-2025-1;20251231;864;\
         Personnel bénévole;;;CVN-A-1-2025;20251231;\
         Mécénat de compétences – 1 jour – Octet Conseil SAS;319,27;0,00;;;;;"
    );
}

#[test]
fn the_demo_journal_has_no_quoted_or_guarded_field() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/demo/scenario.json"
    );
    let s = mecenat::Scenario::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    let r = mecenat::compute(&s, &mecenat::Options::default()).unwrap();
    let csv = journal_fec(&r, None);
    assert!(csv.lines().count() > 10);
    for line in csv.lines() {
        assert!(!line.contains(['"', '\'']), "{line}");
        assert_eq!(line.split(';').count(), 18, "{line}");
    }
}
