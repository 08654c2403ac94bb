//! The sheets of the report workbook a controller and a treasurer read (issue 16): the
//! demo's report opened with calamine has the Intercontrat, Impact, Journal and Annexe
//! sheets with the JSON report's figures; no number is left in the General format (read
//! from the workbook's XML: calamine does not give styles); the French workbook holds none
//! of the English words that leaked into it before; and, when LibreOffice is there, the
//! report prints on at most 25 pages with the Synthèse on the first one alone.

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Range, Reader, Xlsx};
use mecenat_xlsx::{Lang, ReportOptions};
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;
use serde_json::Value;

mod common;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn demo() -> mecenat::Report {
    let raw = mecenat::RawScenario::from_json_slice(
        &std::fs::read(repo().join("fixtures/demo/scenario.json")).unwrap(),
    )
    .unwrap();
    let s = mecenat::Scenario::from_raw(&raw).unwrap();
    mecenat::compute(&s, &mecenat::Options::default()).unwrap()
}

fn book(report: &mecenat::Report, lang: Lang) -> Vec<u8> {
    mecenat_xlsx::report_bytes_with(
        report,
        &ReportOptions {
            lang,
            ..ReportOptions::default()
        },
    )
    .unwrap()
}

fn sheet(book: &[u8], name: &str) -> Range<Data> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(book)).unwrap();
    wb.worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"))
}

fn cell(r: &Range<Data>, row: u32, col: u32) -> Data {
    r.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// A number cell, rounded to `dp` decimals (the JSON's precision).
fn number(d: &Data, dp: u32) -> Decimal {
    match d {
        Data::Float(x) => Decimal::from_f64(*x).unwrap().round_dp(dp),
        Data::Int(i) => Decimal::from(*i),
        other => panic!("not a number: {other:?}"),
    }
}

fn dec(v: &Value) -> Decimal {
    Decimal::from_str_exact(v.as_str().unwrap_or_else(|| panic!("not a decimal: {v}"))).unwrap()
}

/// The first row whose column A is `label`.
fn row_of(r: &Range<Data>, label: &str) -> u32 {
    (0..r.end().map_or(0, |e| e.0 + 1))
        .find(|&i| text(&cell(r, i, 0)) == label)
        .unwrap_or_else(|| panic!("no row {label:?}"))
}

#[test]
fn the_new_sheets_are_there_in_both_languages_after_the_forecast() {
    let report = demo();
    for (lang, names) in [
        (
            Lang::Fr,
            ["Prévisions", "Intercontrat", "Impact", "Journal", "Annexe"],
        ),
        (
            Lang::En,
            ["Forecast", "Bench", "Impact", "Journal", "Annex"],
        ),
    ] {
        let b = book(&report, lang);
        let wb: Xlsx<_> = Xlsx::new(Cursor::new(&b)).unwrap();
        let all = wb.sheet_names();
        let at = all.iter().position(|n| n == names[0]).unwrap();
        assert_eq!(&all[at..at + 5], &names, "{all:?}");
    }
}

#[test]
fn the_bench_sheet_shows_the_json_reports_figures() {
    let report = demo();
    let json = serde_json::to_value(&report).unwrap();
    let bench = json["bench"].as_array().unwrap();
    assert_eq!(bench.len(), 2, "the demo has bench days in 2025 and 2026");
    let v = sheet(&book(&report, Lang::Fr), "Intercontrat");
    let head = row_of(&v, "Entreprise");
    assert_eq!(text(&cell(&v, head, 12)), "Coût d'un jour inoccupé");
    for (i, b) in bench.iter().enumerate() {
        let r = head + 1 + i as u32;
        assert_eq!(text(&cell(&v, r, 1)), b["fiscal_year"].as_str().unwrap());
        for (c, key, dp) in [
            (2, "bench_days", 4),
            (3, "bench_cost", 2),
            (4, "donated_days", 4),
            (5, "donated_share", 4),
            (6, "donated_value", 2),
            (7, "donated_cost", 2),
            (8, "reduction_attributable", 2),
            (9, "net_cost", 2),
            (10, "reduction_share", 4),
            (12, "idle_day_cost", 2),
            (13, "donated_day_net_cost", 2),
        ] {
            assert_eq!(number(&cell(&v, r, c), dp), dec(&b[key]), "{key} {i}");
        }
        // Hand arithmetic: the net cost is the cost less the reduction attributable.
        assert_eq!(
            dec(&b["net_cost"]),
            dec(&b["donated_cost"]) - dec(&b["reduction_attributable"])
        );
        // The ratio is the net donated day over the idle day.
        let ratio = number(&cell(&v, r, 14), 6);
        assert_eq!(
            ratio,
            (dec(&b["donated_day_net_cost"]) / dec(&b["idle_day_cost"])).round_dp(6)
        );
    }
    // One sentence per year, naming its two day costs in French.
    let why = row_of(&v, "Pourquoi ce rapport");
    for (i, b) in bench.iter().enumerate() {
        let s = text(&cell(&v, why + 1 + i as u32, 0));
        let idle = mecenat::fr::fr_amount(dec(&b["idle_day_cost"]));
        assert!(s.contains(&format!("{idle} €")), "{s}");
        assert!(s.contains("jour inoccupé"), "{s}");
    }
}

#[test]
fn the_impact_sheet_shows_the_json_reports_figures() {
    let report = demo();
    let json = serde_json::to_value(&report).unwrap();
    let v = sheet(&book(&report, Lang::Fr), "Impact");
    let first = row_of(&v, "Par bénéficiaire et par année") + 2;
    let bens = json["beneficiaries"].as_array().unwrap();
    assert!(bens.len() >= 4);
    for (i, b) in bens.iter().enumerate() {
        let r = first + i as u32;
        assert_eq!(text(&cell(&v, r, 0)), b["beneficiary"].as_str().unwrap());
        assert_eq!(text(&cell(&v, r, 2)), b["period"].as_str().unwrap());
        for (c, key, dp) in [
            (3, "hours", 4),
            (4, "days", 4),
            (5, "fte", 4),
            (11, "value_donor_cost", 2),
        ] {
            assert_eq!(number(&cell(&v, r, c), dp), dec(&b[key]), "{key} row {i}");
        }
        assert_eq!(
            number(&cell(&v, r, 6), 0),
            Decimal::from(b["volunteers"].as_u64().unwrap())
        );
        if !b["value_cvn"].is_null() {
            assert_eq!(number(&cell(&v, r, 13), 2), dec(&b["value_cvn"]));
        }
    }
    // The projects, and the programme per year whose sums are the report's.
    let projects = json["projects"].as_array().unwrap();
    let p0 = row_of(&v, "Par projet") + 2;
    for (i, p) in projects.iter().enumerate() {
        let r = p0 + i as u32;
        assert_eq!(text(&cell(&v, r, 1)), p["project"].as_str().unwrap());
        assert_eq!(number(&cell(&v, r, 4), 4), dec(&p["days"]));
        assert_eq!(number(&cell(&v, r, 11), 4), dec(&p["continuity"]));
    }
    let periods = json["programme"]["periods"].as_array().unwrap();
    let g0 = row_of(&v, "Programme : par année et toutes années") + 2;
    for (i, p) in periods.iter().enumerate() {
        let r = g0 + i as u32;
        assert_eq!(text(&cell(&v, r, 0)), p["period"].as_str().unwrap());
        assert_eq!(number(&cell(&v, r, 1), 4), dec(&p["hours"]));
        assert_eq!(number(&cell(&v, r, 10), 2), dec(&p["value_donor_cost"]));
    }
    let all = g0 + periods.len() as u32;
    assert_eq!(text(&cell(&v, all, 0)), "Toutes années");
    let totals = &json["programme"]["totals"];
    assert_eq!(number(&cell(&v, all, 4), 4), dec(&totals["days"]));
    // Distinct counts, not sums: four associations over two years are four.
    assert_eq!(
        number(&cell(&v, all, 8), 0),
        Decimal::from(totals["beneficiaries"].as_u64().unwrap())
    );
}

#[test]
fn the_journal_and_annex_sheets_show_the_json_reports_lines_and_texts() {
    let report = demo();
    let json = serde_json::to_value(&report).unwrap();
    let b = book(&report, Lang::Fr);
    let v = sheet(&b, "Journal");
    let head = row_of(&v, "Bénéficiaire");
    let rows: Vec<u32> = (head + 1..v.end().unwrap().0 + 1)
        .filter(|&r| !text(&cell(&v, r, 5)).is_empty())
        .collect();
    let lines = json["journal"].as_array().unwrap();
    assert_eq!(rows.len(), lines.len());
    for (r, l) in rows.iter().zip(lines) {
        assert_eq!(text(&cell(&v, *r, 0)), l["beneficiary"].as_str().unwrap());
        assert_eq!(text(&cell(&v, *r, 5)), l["debit_account"].as_str().unwrap());
        assert_eq!(
            text(&cell(&v, *r, 7)),
            l["credit_account"].as_str().unwrap()
        );
        assert_eq!(number(&cell(&v, *r, 9), 2), dec(&l["amount"]));
    }
    // Each beneficiary's year totals its value for the accounts: no difference.
    let totals: Vec<u32> = (head + 1..v.end().unwrap().0 + 1)
        .filter(|&r| text(&cell(&v, r, 0)) == "Total")
        .collect();
    assert!(!totals.is_empty());
    for r in totals {
        assert_eq!(number(&cell(&v, r, 12), 2), Decimal::ZERO, "row {r}");
    }
    let a = sheet(&b, "Annexe");
    let texts: Vec<String> = a.used_cells().map(|(_, _, d)| text(d)).collect();
    for an in json["annex"].as_array().unwrap() {
        let t = an["text"].as_str().unwrap();
        assert!(texts.iter().any(|c| c == t), "annex text missing: {t}");
    }
}

/// The cellXfs number format of each style, and each sheet's XML, by sheet name.
fn styles_and_sheets(book: &[u8]) -> (HashMap<usize, u32>, Vec<(String, String)>) {
    let mut zip = zip::ZipArchive::new(Cursor::new(book)).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let workbook = read("xl/workbook.xml");
    let rels = read("xl/_rels/workbook.xml.rels");
    let styles = read("xl/styles.xml");
    let xfs = styles
        .split("<cellXfs")
        .nth(1)
        .unwrap()
        .split("</cellXfs>")
        .next()
        .unwrap();
    let fmt = xfs
        .split("<xf ")
        .skip(1)
        .enumerate()
        .map(|(i, x)| {
            let id = x
                .split("numFmtId=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .map_or(0, |s| s.parse().unwrap());
            (i, id)
        })
        .collect();
    let mut sheets = Vec::new();
    for s in workbook.split("<sheet ").skip(1) {
        let attr = |k: &str| {
            s.split(&format!("{k}=\""))
                .nth(1)
                .and_then(|x| x.split('"').next())
                .unwrap()
                .to_string()
        };
        let (name, rid) = (attr("name"), attr("r:id"));
        let target = rels
            .split("<Relationship ")
            .find(|x| x.contains(&format!("Id=\"{rid}\"")))
            .and_then(|x| x.split("Target=\"").nth(1))
            .and_then(|x| x.split('"').next())
            .unwrap()
            .to_string();
        sheets.push((name.replace("&amp;", "&"), read(&format!("xl/{target}"))));
    }
    (fmt, sheets)
}

/// Number cells in the General format (`(cell, value)`).
fn general_numbers(fmt: &HashMap<usize, u32>, xml: &str) -> Vec<(String, String)> {
    let mut bad = Vec::new();
    for c in xml.split("<c ").skip(1) {
        let head = c.split('>').next().unwrap();
        if head.contains("t=\"") || !c.contains("<v>") {
            continue;
        }
        let style = head
            .split("s=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .map_or(0, |s| s.parse().unwrap());
        if fmt.get(&style).copied().unwrap_or(0) == 0 {
            let v = c.split("<v>").nth(1).unwrap().split("</v>").next().unwrap();
            bad.push((head.to_string(), v.to_string()));
        }
    }
    bad
}

#[test]
fn no_number_is_left_in_the_general_format() {
    let report = demo();
    for lang in [Lang::Fr, Lang::En] {
        let (fmt, sheets) = styles_and_sheets(&book(&report, lang));
        let mut checked = 0;
        for (name, xml) in &sheets {
            checked += 1;
            let bad = general_numbers(&fmt, xml);
            // Only row numbers (whole, in column A of the row-by-row sheets) may stay General.
            let row_sheet = name.starts_with("Valorisation") || name.starts_with("Valuation");
            let wrong: Vec<_> = bad
                .iter()
                .filter(|(head, v)| !(row_sheet && head.contains("r=\"A") && !v.contains('.')))
                .collect();
            assert!(
                wrong.is_empty(),
                "{name}: numbers in the General format: {wrong:?}"
            );
        }
        assert!(checked >= 10, "{checked} sheets checked");
    }
    // The check sees General numbers where there are some.
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().write_number(0, 0, 411_641.11).unwrap();
    let (fmt, sheets) = styles_and_sheets(&wb.save_to_buffer().unwrap());
    assert_eq!(general_numbers(&fmt, &sheets[0].1).len(), 1);
}

#[test]
fn the_total_rows_and_the_2069_line_have_their_formats() {
    let (fmt, sheets) = styles_and_sheets(&book(&demo(), Lang::Fr));
    let styles = {
        let mut zip = zip::ZipArchive::new(Cursor::new(book(&demo(), Lang::Fr))).unwrap();
        let mut s = String::new();
        zip.by_name("xl/styles.xml")
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    let code_of = |id: u32| -> String {
        styles
            .split(&format!("<numFmt numFmtId=\"{id}\" formatCode=\""))
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or("")
            .replace("&quot;", "\"")
    };
    let xml_of = |name: &str| sheets.iter().find(|(n, _)| n == name).unwrap().1.clone();
    let synth = xml_of("Synthèse");
    let calc = xml_of("Calcul");
    // The fiscal years' table: header after the alerts, two years, the total row.
    let style_in = |xml: &str, cell: &str| -> String {
        let c = xml
            .split(&format!("<c r=\"{cell}\""))
            .nth(1)
            .unwrap_or_else(|| panic!("no cell {cell}"));
        let head = c.split('>').next().unwrap();
        let s: usize = head
            .split("s=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .map_or(0, |s| s.parse().unwrap());
        code_of(fmt[&s])
    };
    let style_of = |cell: &str| style_in(&synth, cell);
    let v = sheet(&book(&demo(), Lang::Fr), "Synthèse");
    let head = row_of(&v, "Entreprise") + 1;
    let total = head + 3;
    assert_eq!(text(&cell(&v, total - 1, 0)), "Total");
    assert_eq!(style_of(&format!("F{total}")), "#,##0.00 \"€\"");
    assert_eq!(style_of(&format!("N{}", head + 1)), "#,##0 \"€\"");
    assert_eq!(style_of(&format!("N{total}")), "#,##0 \"€\"");
    // The Calcul sheet's 2069-RCI line too.
    let c = sheet(&book(&demo(), Lang::Fr), "Calcul");
    let form = row_of(&c, "Ligne 2069-RCI-SD (euros entiers)") + 1;
    assert_eq!(style_in(&calc, &format!("C{form}")), "#,##0 \"€\"");
}

/// Words of the English report that leaked into the French workbook (issue 16).
const LEAKS: &[&str] = &[
    "general_interest",
    "public_utility",
    "refused by the beneficiary",
    "is not eligible",
    "volunteer's own time",
    "time_entries",
    "fiscal_years",
    "rate (taux",
    "h→j",
    "staff_lent",
    "people_trained",
    "sessions_held",
    "donor_cost",
    "retained",
    "excluded",
    "unknown employee",
    "no_new_gifts",
    "smic_hourly",
    "· ·",
    "oldest origin first",
    "highest rate first",
    "Rate of the tax reduction",
    "same entry",
];

#[test]
fn the_french_workbook_has_no_english_leak() {
    let report = demo();
    let b = book(&report, Lang::Fr);
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(&b)).unwrap();
    let mut found = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        for (r, c, d) in range.used_cells() {
            // Sources' first column is the parameter's name, the code the Loi sheet takes.
            if name == "Sources" && c == 0 {
                continue;
            }
            let t = text(d);
            for leak in LEAKS {
                if t.contains(leak) {
                    found.push(format!("{name}!R{}C{}: {leak} in {t:?}", r + 1, c + 1));
                }
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
    // The check finds a leak where there is one: the English workbook's statuses.
    let e = book(&report, Lang::En);
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(&e)).unwrap();
    let v = wb.worksheet_range("Valuation").unwrap();
    assert!(v.used_cells().any(|(_, _, d)| text(d) == "retained"));
}

#[test]
fn the_demos_report_prints_on_at_most_25_pages_the_summary_on_one() {
    if !common::soffice_or_skip() {
        return;
    }
    let tmp = std::env::temp_dir().join(format!("mecenat-print-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(tmp.join("profile")).unwrap();
    let xlsx = tmp.join("rapport.xlsx");
    std::fs::write(&xlsx, book(&demo(), Lang::Fr)).unwrap();
    let pdf = common::convert(&tmp.join("profile"), &[&xlsx], "pdf", &tmp).remove(0);
    let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout).to_string();
    let pages: u32 = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|p| p.trim().parse().unwrap())
        .unwrap_or_else(|| panic!("pdfinfo: {info}"));
    eprintln!("the demo's report prints on {pages} pages");
    assert!(pages <= 25, "{pages} pages");
    // Page 1 is the Synthèse (its title), page 2 already the Calcul sheet.
    let page = |n: u32| {
        let o = Command::new("pdftotext")
            .args(["-f", &n.to_string(), "-l", &n.to_string()])
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).to_string()
    };
    assert!(page(1).contains("rapport de mécénat de compétences"));
    assert!(page(2).contains("Calcul de la réduction"), "{}", page(2));
    let _ = std::fs::remove_dir_all(&tmp);
}

#[test]
fn rejections_are_announced_at_the_top_of_the_synthese_with_a_link() {
    let raw = mecenat::RawScenario::from_json(
        r#"{
      "companies": [{"id": "C1", "name": "Exemple Conseil SAS"}],
      "fiscal_years": [{"company": "C1", "start": "2025-01-01", "end": "2025-12-31", "turnover": "1000000"}],
      "beneficiaries": [{"id": "A1", "name": "Association Un"},
                        {"id": "A2", "name": "Club", "eligible": false}],
      "employees": [{"id": "E1", "company": "C1", "name": "Jeanne Martin", "annual_gross_salary": "48000",
                     "annual_employer_charges": "21600", "annual_working_days": "218"}],
      "time_entries": [
        {"employee": "E1", "beneficiary": "A1", "date": "2025-03-03", "days": "2"},
        {"employee": "E1", "beneficiary": "A2", "date": "2025-03-04", "days": "1"},
        {"employee": "E9", "beneficiary": "A1", "date": "2025-03-05", "days": "1"}]
    }"#,
    )
    .unwrap();
    let s = mecenat::Scenario::from_raw(&raw).unwrap();
    let report = mecenat::compute(&s, &mecenat::Options::default()).unwrap();
    assert_eq!(report.rejected.len(), 1);
    let b = book(&report, Lang::Fr);
    let v = sheet(&b, "Synthèse");
    // Hand arithmetic: one day of 69 600 € over 218 days, excluded (ineligible club).
    let alert = text(&cell(&v, 3, 0));
    assert!(alert.starts_with("⚠ 1 ligne rejetée"), "{alert}");
    assert!(alert.contains("319,27 €"), "{alert}");
    assert!(text(&cell(&v, 4, 0)).contains("feuille Rejets"));
    let (_, sheets) = styles_and_sheets(&b);
    let synth = &sheets.iter().find(|(n, _)| n == "Synthèse").unwrap().1;
    assert!(
        synth.contains("location=\"'Rejets'!A1\""),
        "the link to Rejets"
    );
    // The rejection and the notes in French, the employee's name beside the id.
    let rej = sheet(&b, "Rejets");
    assert_eq!(text(&cell(&rej, 1, 0)), "Temps");
    let reason = text(&cell(&rej, 1, 5));
    assert!(
        reason.starts_with("salarié inconnu") && reason.contains("« E9 »"),
        "{reason}"
    );
    let valo = sheet(&b, "Valorisation");
    assert_eq!(text(&cell(&valo, 1, 1)), "E1 · Jeanne Martin");
    assert!(text(&cell(&valo, 2, 15)).starts_with("bénéficiaire A2 non éligible"));
    assert!(text(&cell(&valo, 3, 15)).starts_with("salarié inconnu"));
}
