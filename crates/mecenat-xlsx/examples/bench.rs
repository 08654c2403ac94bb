//! Benchmark of the Excel face (not a timed test). Run each mode alone, in release, under
//! `/usr/bin/time -v` for the peak memory; see BENCHMARKS.md.
//!
//! ```text
//! cargo run --release -p mecenat-xlsx --example bench -- e2e FILE.xlsx OUT.xlsx
//! cargo run --release -p mecenat-xlsx --example bench -- read FILE.xlsx
//! cargo run --release -p mecenat-xlsx --example bench -- floor-read FILE.xlsx
//! cargo run --release -p mecenat-xlsx --example bench -- floor-write OUT.xlsx ROWS
//! cargo run --release -p mecenat-xlsx --example bench -- floor-same FILE.xlsx OUT.xlsx
//! ```

use std::path::Path;
use std::time::{Duration, Instant};

/// User + system CPU time of this process so far (all threads), from /proc/self/stat.
fn cpu_seconds() -> f64 {
    let ticks = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let after = s.rsplit(')').next()?.to_string();
            let f: Vec<&str> = after.split_whitespace().collect();
            Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
        })
        .unwrap_or(0);
    // Clock ticks are 1/100 s on Linux.
    Duration::from_millis(ticks * 10).as_secs_f64()
}

/// A memory figure of this process from /proc/self/status, in MiB (0 where unknown).
fn mem(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}

/// Prints a phase's time since `t`, the CPU and memory so far, and restarts `t`.
fn lap(what: &str, t: &mut Instant) {
    eprintln!(
        "{what:<28} {:>8.3} s   (CPU {:>7.2} s so far; RSS {} MiB, peak {} MiB)",
        t.elapsed().as_secs_f64(),
        cpu_seconds(),
        mem("VmRSS:"),
        mem("VmHWM:")
    );
    *t = Instant::now();
}

/// Reads a workbook with the importer and validates it, timing both (the raw tables are
/// freed before the computation, as in the command line).
fn read_validated(
    path: &str,
    t: &mut Instant,
) -> Result<mecenat::Scenario, Box<dyn std::error::Error>> {
    let raw = mecenat_xlsx::read_scenario(Path::new(path), &Default::default())?;
    lap("read (importer)", t);
    let s = mecenat::Scenario::from_raw(&raw)?;
    lap("validate (from_raw)", t);
    Ok(s)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = args.first().map(String::as_str).unwrap_or("");
    let t0 = Instant::now();
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
            let scenario = read_validated(&args[1], &mut t)?;
            let report = mecenat::compute(&scenario, &mecenat::Options::default())?;
            lap("compute", &mut t);
            let mut opts = mecenat_xlsx::ReportOptions::default();
            if let Ok(level) = std::env::var("MECENAT_DETAIL_LEVEL") {
                opts.detail_deflate_level = level.parse()?;
            }
            mecenat_xlsx::write_report_with(&report, &opts, Path::new(&args[2]))?;
            lap("write report", &mut t);
            eprintln!(
                "valuation rows {}, receipts {}, receipt employee rows {}",
                report.entries.len(),
                report.receipts.len(),
                report
                    .receipts
                    .iter()
                    .map(|r| r.employees.len())
                    .sum::<usize>()
            );
            for fy in &report.fiscal_years {
                eprintln!(
                    "{} {}: staff time {} reduction {}",
                    fy.company, fy.label, fy.donations.staff_time.0, fy.reduction.0
                );
            }
        }
        "core" => {
            let mut t = Instant::now();
            let scenario = read_validated(&args[1], &mut t)?;
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
            // The issue's floor for the write: rust_xlsxwriter alone, constant memory,
            // ROWS rows x 10 columns with a ROUND formula a row.
            use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
            let rows: u32 = args[2].parse()?;
            let mut t = Instant::now();
            let mut wb = Workbook::new();
            let money = Format::new().set_num_format("#,##0.00");
            let date = Format::new().set_num_format("dd/mm/yyyy");
            let ws = wb.add_worksheet_with_constant_memory()?;
            for r in 1..=rows {
                let rr = r + 1;
                let d = ExcelDateTime::from_serial_datetime(f64::from(45658 + r % 700))?;
                let cost = f64::from(60_000 + (r * 7919) % 90_000);
                ws.write_number(r, 0, f64::from(r))?;
                ws.write_string(r, 1, format!("E{:05}", (r * 7919) % 10_000))?;
                ws.write_string(r, 2, format!("B{:03}", (r * 31) % 200))?;
                ws.write_datetime_with_format(r, 3, &d, &date)?;
                ws.write_string(r, 4, if r % 2 == 0 { "2025" } else { "2026" })?;
                ws.write_number(r, 5, if r % 3 == 0 { 0.5 } else { 1.0 })?;
                ws.write_number_with_format(r, 6, cost, &money)?;
                ws.write_number_with_format(r, 7, 141_300.0, &money)?;
                ws.write_number(r, 8, 218.0)?;
                ws.write_formula_with_format(
                    r,
                    9,
                    Formula::new(format!("ROUND(F{rr}*MIN(G{rr},H{rr})/I{rr},2)"))
                        .set_result("473.27"),
                    &money,
                )?;
            }
            lap("rows written", &mut t);
            wb.save(&args[1])?;
            lap("saved", &mut t);
        }
        "floor-same" => {
            // The floor for exactly the detail cells the report writes: the valuation rows
            // (same columns, types, formats, formulas and values) and the receipts' employee
            // rows, taken from the real data beforehand (not timed), then written by
            // rust_xlsxwriter alone in constant memory.
            use rust_decimal::prelude::ToPrimitive;
            use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
            let (rows, receipt_rows) = {
                let raw = mecenat_xlsx::read_scenario(Path::new(&args[1]), &Default::default())?;
                let s = mecenat::Scenario::from_raw(&raw)?;
                let r = mecenat::compute(&s, &mecenat::Options::default())?;
                let f = |d: rust_decimal::Decimal| d.to_f64().unwrap_or_default();
                let rows: Vec<_> = r
                    .entries
                    .iter()
                    .zip(&s.time_entries)
                    .map(|(e, t)| {
                        let (q, unit) = match t.quantity {
                            mecenat::scenario::Quantity::Days(d) => (f(d), "j"),
                            mecenat::scenario::Quantity::Hours(h) => (f(h), "h"),
                        };
                        let cost = e.annual_cost.map_or(0.0, |m| f(m.0));
                        let cap = e.cost_cap.map(|m| f(m.0));
                        let basis = e.annual_units.map_or(1.0, |m| f(m.0));
                        let capped = match (e.annual_cost, e.cost_cap) {
                            (Some(c), Some(k)) => c.0.min(k.0),
                            (Some(c), None) => c.0,
                            _ => rust_decimal::Decimal::ZERO,
                        };
                        let unit_value = e
                            .annual_units
                            .filter(|a| !a.0.is_zero())
                            .map(|a| (capped / a.0).normalize().to_string())
                            .unwrap_or_default();
                        (
                            e.row as f64,
                            e.employee.clone().unwrap_or_default(),
                            e.beneficiary.clone().unwrap_or_default(),
                            e.date.map_or(0.0, |d| {
                                (d - chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap())
                                    .num_days() as f64
                            }),
                            e.company.clone().unwrap_or_default(),
                            e.fiscal_year.clone().unwrap_or_default(),
                            (q, unit, cost, cap, basis),
                            unit_value,
                            e.value
                                .map(|v| v.0.normalize().to_string())
                                .unwrap_or_default(),
                        )
                    })
                    .collect();
                let receipt_rows: Vec<_> = r
                    .receipts
                    .iter()
                    .flat_map(|rc| &rc.employees)
                    .map(|e| (e.name.clone(), f(e.days.0), f(e.hours.0), f(e.value.0)))
                    .collect();
                (rows, receipt_rows)
            };
            eprintln!(
                "cells ready: {} valuation rows, {} receipt rows",
                rows.len(),
                receipt_rows.len()
            );
            let mut t = Instant::now();
            let mut wb = Workbook::new();
            let money = Format::new().set_num_format("#,##0.00 \"€\"");
            let date = Format::new().set_num_format("dd/mm/yyyy");
            let ws = wb.add_worksheet_with_constant_memory()?;
            for (i, (row, who, ben, serial, company, fy, (q, unit, cost, cap, basis), uv, v)) in
                rows.iter().enumerate()
            {
                let r = i as u32 + 1;
                let rr = r + 1;
                ws.write_number(r, 0, *row)?;
                ws.write_string(r, 1, who.as_ref())?;
                ws.write_string(r, 2, ben.as_ref())?;
                ws.write_datetime_with_format(
                    r,
                    3,
                    &ExcelDateTime::from_serial_datetime(*serial)?,
                    &date,
                )?;
                ws.write_string(r, 4, company.as_ref())?;
                ws.write_string(r, 5, fy.as_ref())?;
                ws.write_number(r, 6, *q)?;
                ws.write_string(r, 7, *unit)?;
                ws.write_number_with_format(r, 9, *cost, &money)?;
                if let Some(k) = cap {
                    ws.write_number_with_format(r, 10, *k, &money)?;
                }
                ws.write_number(r, 11, *basis)?;
                let capped = if cap.is_some() {
                    format!("MIN(J{rr},K{rr})")
                } else {
                    format!("J{rr}")
                };
                ws.write_formula_with_format(
                    r,
                    12,
                    Formula::new(format!("{capped}/L{rr}")).set_result(uv),
                    &money,
                )?;
                ws.write_formula_with_format(
                    r,
                    13,
                    Formula::new(format!("ROUND(G{rr}*{capped}/L{rr},2)")).set_result(v),
                    &money,
                )?;
                ws.write_string(r, 14, "retenue")?;
            }
            let ws = wb.add_worksheet_with_constant_memory()?;
            for (i, (name, days, hours, value)) in receipt_rows.iter().enumerate() {
                let r = i as u32;
                ws.write_string(r, 0, name)?;
                ws.write_number(r, 1, *days)?;
                ws.write_number(r, 2, *hours)?;
                ws.write_number_with_format(r, 3, *value, &money)?;
            }
            lap("rows written", &mut t);
            wb.save(&args[2])?;
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
