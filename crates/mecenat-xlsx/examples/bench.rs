//! Benchmark of the Excel face (not a timed test). Run each mode alone, in release, under
//! `/usr/bin/time -v` for the peak memory; see BENCHMARKS.md.
//!
//! ```text
//! cargo run --release -p mecenat-xlsx --example bench -- e2e FILE.xlsx OUT.xlsx
//! cargo run --release -p mecenat-xlsx --example bench -- read FILE.xlsx
//! cargo run --release -p mecenat-xlsx --example bench -- floor-read FILE.xlsx
//! cargo run --release -p mecenat-xlsx --example bench -- floor-write OUT.xlsx ROWS
//! ```

use std::path::Path;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = args.first().map(String::as_str).unwrap_or("");
    let t0 = Instant::now();
    let lap = |what: &str, t: &mut Instant| {
        eprintln!("{what:<28} {:>8.3} s", t.elapsed().as_secs_f64());
        *t = Instant::now();
    };
    match mode {
        "read" => {
            let mut t = Instant::now();
            let raw = mecenat_xlsx::read_scenario(Path::new(&args[1]), &Default::default())?;
            lap("read (importer)", &mut t);
            let rows: usize = raw.tables.iter().map(|t| t.rows.len()).sum();
            eprintln!("rows: {rows}");
        }
        "e2e" => {
            let mut t = Instant::now();
            let scenario = {
                let raw = mecenat_xlsx::read_scenario(Path::new(&args[1]), &Default::default())?;
                lap("read (importer)", &mut t);
                let s = mecenat::Scenario::from_raw(&raw)?;
                lap("validate (from_raw)", &mut t);
                s
            };
            let report = mecenat::compute(&scenario, &mecenat::Options::default())?;
            lap("compute", &mut t);
            mecenat_xlsx::write_report(
                &report,
                &scenario,
                mecenat_xlsx::Lang::Fr,
                Path::new(&args[2]),
            )?;
            lap("write report", &mut t);
            for fy in &report.fiscal_years {
                eprintln!(
                    "{} {}: staff time {} reduction {}",
                    fy.company, fy.label, fy.donations.staff_time.0, fy.reduction.0
                );
            }
        }
        "core" => {
            let mut t = Instant::now();
            let scenario = {
                let raw = mecenat_xlsx::read_scenario(Path::new(&args[1]), &Default::default())?;
                lap("read (importer)", &mut t);
                let s = mecenat::Scenario::from_raw(&raw)?;
                lap("validate (from_raw)", &mut t);
                s
            };
            lap("drop raw", &mut t);
            let report = mecenat::compute(&scenario, &mecenat::Options::default())?;
            lap("compute", &mut t);
            eprintln!("entries {}", report.entries.len());
        }
        "floor-read" => {
            use calamine::{Reader, Xlsx};
            let mut t = Instant::now();
            let mut wb: Xlsx<_> = calamine::open_workbook(&args[1])?;
            let mut cells = 0usize;
            for name in wb.sheet_names() {
                let range = wb.worksheet_range(&name)?;
                cells += range.used_cells().count();
            }
            lap("calamine worksheet_range", &mut t);
            eprintln!("cells: {cells}");
        }
        "floor-write" => {
            use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
            let rows: u32 = args[2].parse()?;
            let mut t = Instant::now();
            let mut wb = Workbook::new();
            let money = Format::new().set_num_format("#,##0.00");
            let date = Format::new().set_num_format("dd/mm/yyyy");
            let d = ExcelDateTime::from_ymd(2025, 3, 3)?;
            let ws = wb.add_worksheet_with_constant_memory()?;
            for r in 1..=rows {
                ws.write_number(r, 0, f64::from(r))?;
                ws.write_string(r, 1, "E000123")?;
                ws.write_string(r, 2, "B042")?;
                ws.write_datetime_with_format(r, 3, &d, &date)?;
                ws.write_string(r, 4, "2025")?;
                ws.write_number(r, 5, 1.0)?;
                ws.write_number_with_format(r, 6, 103_172.72, &money)?;
                ws.write_number_with_format(r, 7, 141_300.0, &money)?;
                ws.write_number(r, 8, 218.0)?;
                let rr = r + 1;
                ws.write_formula_with_format(
                    r,
                    9,
                    Formula::new(format!("=ROUND(F{rr}*MIN(G{rr},H{rr})/I{rr},2)"))
                        .set_result("473.27"),
                    &money,
                )?;
            }
            lap("rows written", &mut t);
            wb.save(&args[1])?;
            lap("saved", &mut t);
        }
        _ => {
            eprintln!("usage: bench read|e2e|floor-read|floor-write ...");
            std::process::exit(2);
        }
    }
    eprintln!("{:<28} {:>8.3} s", "total", t0.elapsed().as_secs_f64());
    Ok(())
}
