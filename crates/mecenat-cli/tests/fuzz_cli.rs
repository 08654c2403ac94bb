//! Fuzzing of the command line (issue 14, "how it is checked"): mutated scenarios (the same
//! generator as `mecenat`'s `tests/fuzz.rs`) through every command that reads one: compute
//! as JSON (also strict), as text and as a workbook, journal, receipts, template --from. Every run must
//! end with exit 0, 1 or 2 and no panic.
//!
//! `MECENAT_FUZZ_CLI_CASES` runs (default 300, one command each, three at a time), from
//! `MECENAT_FUZZ_SEED`; a failing input is kept in `target/tmp/fuzz_cli/`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};

#[path = "../../mecenat/tests/common/fuzz_gen.rs"]
mod fuzz_gen;

use fuzz_gen::{case_bytes, demo, env_number, seeds, Rng};

const BIN: &str = env!("CARGO_BIN_EXE_mecenat");

const COMMANDS: &[&str] = &[
    "compute json",
    "compute strict",
    "compute text",
    "compute xlsx",
    "journal",
    "receipts",
    "template --from",
];

fn start(command: &str, input: &Path, out: &Path) -> Child {
    let (i, o) = (input.to_str().unwrap(), out.to_str().unwrap());
    let args: Vec<&str> = match command {
        "compute json" => vec!["compute", i, "--format", "json"],
        "compute strict" => vec!["compute", i, "--strict", "--format", "json"],
        "compute text" => vec!["compute", i],
        "compute xlsx" => vec!["compute", i, "-o", o],
        "journal" => vec!["journal", i],
        "receipts" => vec!["receipts", i, "-o", o],
        _ => vec!["template", "--from", i, "-o", o],
    };
    Command::new(BIN)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn fuzzed_scenarios_never_crash_the_command_line() {
    let cases = usize::try_from(env_number("MECENAT_FUZZ_CLI_CASES", 300)).unwrap();
    let seed = env_number("MECENAT_FUZZ_SEED", 0x5EED_0C11_u64).max(1);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz_cli");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (seeds, demo) = (seeds(), demo());
    let mut rng = Rng(seed);
    let mut totals: BTreeMap<(&str, i32), usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for batch in (0..cases).collect::<Vec<_>>().chunks(3) {
        let running: Vec<(usize, &str, Child)> = batch
            .iter()
            .map(|&case| {
                let command = COMMANDS[case % COMMANDS.len()];
                let input = dir.join(format!("case_{case}.json"));
                std::fs::write(&input, case_bytes(&mut rng, &seeds, &demo)).unwrap();
                let out = dir.join(format!("case_{case}_out"));
                let out = if command.starts_with("receipts") {
                    out
                } else {
                    out.with_extension("xlsx")
                };
                (case, command, start(command, &input, &out))
            })
            .collect();
        for (case, command, child) in running {
            let done = child.wait_with_output().unwrap();
            let code = done.status.code().unwrap_or(-1);
            let stderr = String::from_utf8_lossy(&done.stderr);
            *totals.entry((command, code)).or_default() += 1;
            if !(0..=2).contains(&code) || stderr.contains("panicked") {
                failures.push(format!("case {case} ({command}): exit {code}: {stderr}"));
            } else {
                let _ = std::fs::remove_file(dir.join(format!("case_{case}.json")));
            }
        }
    }
    eprintln!("{cases} command-line runs (seed {seed:#x}):");
    for ((command, code), n) in &totals {
        eprintln!("{n:>6}  {command}: exit {code}");
    }
    assert!(
        failures.is_empty(),
        "{} runs crashed (inputs kept in {}):\n{}",
        failures.len(),
        dir.display(),
        failures.join("\n")
    );
    // Not vacuous: some runs succeed, some refuse their input.
    let with = |c: i32| totals.iter().filter(|((_, k), _)| *k == c).count();
    assert!(with(0) > 0 && with(2) > 0, "{totals:?}");
}
