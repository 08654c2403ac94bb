//! LibreOffice for the tests that open the library's workbooks with it (recalculation, .ods
//! round trips, printing): whether it is here, and a conversion in a throw-away profile.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Whether `soffice` runs here. Without it the test is skipped with a message, unless
/// `CI=true` or `MECENAT_REQUIRE_SOFFICE=1`, where it fails (scripts/test.sh installs
/// LibreOffice first).
pub fn soffice_or_skip() -> bool {
    let here = Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let required = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
        || std::env::var("MECENAT_REQUIRE_SOFFICE").is_ok_and(|v| v == "1");
    assert!(
        here || !required,
        "soffice (LibreOffice) is required here (CI=true or MECENAT_REQUIRE_SOFFICE=1): \
         install libreoffice-calc-nogui"
    );
    if !here {
        eprintln!("SKIPPED: soffice not found (set MECENAT_REQUIRE_SOFFICE=1 to make this fail)");
    }
    here
}

/// Converts each of `inputs` to `format` (`ods`, `xlsx`, `pdf`) into `outdir` with
/// LibreOffice headless, in the profile directory `profile` (throw-away: other LibreOffice
/// processes may be running, and a test may have put settings in it); returns the files
/// written, in the order of `inputs`.
pub fn convert(profile: &Path, inputs: &[&Path], format: &str, outdir: &Path) -> Vec<PathBuf> {
    let run = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            format,
            "--outdir",
        ])
        .arg(outdir)
        .args(inputs)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "soffice failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    inputs
        .iter()
        .map(|input| {
            let out = outdir.join(input.with_extension(format).file_name().unwrap());
            assert!(out.exists(), "soffice wrote no {}", out.display());
            out
        })
        .collect()
}
