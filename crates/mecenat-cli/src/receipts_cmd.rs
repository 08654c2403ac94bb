//! `mecenat receipts` (one PDF per receipt); `mecenat journal` is in `journal_cmd`.

use std::io::Write;
use std::path::Path;

use mecenat::Error;

fn report(scenario: &Path) -> Result<mecenat::Report, Error> {
    let s = crate::xlsx_cmd::read_any(scenario)?;
    let r = mecenat::compute(&s, &mecenat::Options::default())?;
    for x in &r.rejected {
        eprintln!("rejected: {x}");
    }
    Ok(r)
}

/// Writes one PDF per receipt of the scenario's report into `dir` and lists them on stdout;
/// existing files are refused unless `force`, and none may be the scenario itself.
pub(crate) fn receipts(scenario: &Path, dir: &Path, force: bool) -> Result<(), Error> {
    crate::refuse_input(scenario, dir)?;
    let r = report(scenario)?;
    for (i, rc) in r.receipts.iter().enumerate() {
        crate::refuse_input(
            scenario,
            &dir.join(mecenat_pdf::receipt_file_name(i + 1, rc)),
        )?;
    }
    let opts = mecenat_pdf::WriteOptions { force };
    let paths = mecenat_pdf::write_receipts_with(&r, dir, &opts)?;
    let mut out = std::io::stdout().lock();
    for (p, rc) in paths.iter().zip(&r.receipts) {
        let _ = writeln!(
            out,
            "{}\t{} -> {}, exercice {}: numéraire {} €, en nature {} €",
            p.display(),
            rc.company,
            rc.beneficiary,
            rc.fiscal_year,
            mecenat::assoc::fr_amount(rc.cash.0),
            mecenat::assoc::fr_amount(rc.in_kind.0)
        );
    }
    if paths.is_empty() {
        eprintln!("mecenat: no receipt to write (no retained gift to an eligible beneficiary)");
    }
    Ok(())
}
