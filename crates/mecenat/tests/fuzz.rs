//! Fuzzing of the JSON face (issue 14, "how it is checked"): structural and byte mutations
//! of the demo, the golden cases and the bad inputs, read, validated, checked for
//! plausibility, computed (both salary-cap readings in turn) and written as text and JSON,
//! in-process. Every case must end in a report or an error, never a panic.
//!
//! Bounded and deterministic: `MECENAT_FUZZ_CASES` cases (default 20,000, about 20 s in
//! the debug test profile) from `MECENAT_FUZZ_SEED` (default fixed). The longer run:
//!
//! ```sh
//! MECENAT_FUZZ_CASES=200000 cargo test --release -p mecenat --test fuzz -- --nocapture
//! ```
//!
//! prints its totals by outcome. A failing case is written to
//! `target/tmp/fuzz_failure.json` and named by its number, so that the seed and the number
//! reproduce it.

use std::collections::BTreeMap;
use std::path::Path;

#[path = "common/fuzz_gen.rs"]
mod fuzz_gen;

use fuzz_gen::{case_bytes, demo, env_number, seeds, Rng};

/// What became of one case.
fn outcome(bytes: &[u8], case: usize) -> String {
    let raw = match mecenat::RawScenario::from_json_slice(bytes) {
        Ok(r) => r,
        Err(e) => return format!("error: {}", kind(&e)),
    };
    let s = match mecenat::Scenario::from_raw(&raw) {
        Ok(s) => s,
        Err(e) => return format!("error: {}", kind(&e)),
    };
    let warnings = mecenat::plausibility::warnings(&s);
    let cap = if case.is_multiple_of(2) {
        mecenat::CapMethod::Rate
    } else {
        mecenat::CapMethod::Period
    };
    let opts = mecenat::Options {
        cap_method: Some(cap),
        strict: case.is_multiple_of(7),
    };
    match mecenat::compute(&s, &opts) {
        Ok(r) => {
            let _ = r.to_text();
            if let Err(e) = r.write_json(std::io::sink(), case.is_multiple_of(3)) {
                return format!("error writing: {}", kind(&e));
            }
            let rejected = if r.rejected.is_empty() {
                "none"
            } else {
                "some"
            };
            let warned = if warnings.is_empty() {
                ""
            } else {
                ", plausibility warnings"
            };
            format!("report ({rejected} rejected{warned})")
        }
        Err(e) => format!("error: {}", kind(&e)),
    }
}

fn kind(e: &mecenat::Error) -> &'static str {
    match e {
        mecenat::Error::Json { .. } => "json",
        mecenat::Error::Scenario { .. } => "scenario",
        mecenat::Error::Strict { .. } => "strict",
        mecenat::Error::Parameter { .. } => "parameter (a defect)",
        mecenat::Error::Io { .. } => "io",
        _ => "other",
    }
}

#[test]
fn fuzzed_json_never_panics() {
    let cases = usize::try_from(env_number("MECENAT_FUZZ_CASES", 20_000)).unwrap();
    let seed = env_number("MECENAT_FUZZ_SEED", 0x5EED_0F14_u64).max(1);
    let seeds = seeds();
    let demo = demo();
    let mut rng = Rng(seed);
    let mut totals: BTreeMap<String, usize> = BTreeMap::new();
    let t0 = std::time::Instant::now();
    for case in 0..cases {
        let bytes = case_bytes(&mut rng, &seeds, &demo);
        let result = std::panic::catch_unwind(|| outcome(&bytes, case));
        match result {
            Ok(o) => *totals.entry(o).or_default() += 1,
            Err(_) => {
                let p = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz_failure.json");
                std::fs::write(&p, &bytes).unwrap();
                panic!(
                    "case {case} (seed {seed:#x}) panicked; its input is {}",
                    p.display()
                );
            }
        }
    }
    eprintln!(
        "{cases} fuzzed cases (seed {seed:#x}) in {:.1} s:",
        t0.elapsed().as_secs_f64()
    );
    for (o, n) in &totals {
        eprintln!("{n:>9}  {o}");
    }
    // Not vacuous: the mutations reach every stage.
    for stage in ["error: json", "error: scenario", "report"] {
        let n: usize = totals
            .iter()
            .filter(|(o, _)| o.starts_with(stage))
            .map(|(_, n)| n)
            .sum();
        assert!(
            n * 50 >= cases,
            "only {n} cases end in {stage:?}: {totals:?}"
        );
    }
    assert!(!totals.keys().any(|o| o.contains("defect")), "{totals:?}");
}
