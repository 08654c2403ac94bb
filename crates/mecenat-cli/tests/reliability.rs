//! File safety and the command line's edges (issue 14): an output never replaces the
//! input, receipts never collide nor overwrite, writes are atomic (even under SIGKILL),
//! defects are exit 3, bad file types are named, a closed pipe is quiet. The inputs are in
//! fixtures/reliability/ (see its README).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/reliability")
        .join(name)
}

fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/demo/scenario.json")
}

/// A fresh, empty temporary directory for one test.
fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("mecenat-cli-rel-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn mecenat(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mecenat"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap()
}

/// Runs `mecenat ARGS...` (paths or words).
macro_rules! run {
    ($($a:expr),* $(,)?) => {
        mecenat(&[$(AsRef::<std::ffi::OsStr>::as_ref(&$a)),*])
    };
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The names in a directory, sorted.
fn names(d: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn assert_refused_as_input(o: &Output, what: &str) {
    assert_eq!(o.status.code(), Some(2), "{what}: {}", stderr(o));
    assert!(
        stderr(o).contains("never writes over its input"),
        "{what}: {}",
        stderr(o)
    );
}

#[test]
fn an_output_is_never_the_input() {
    let d = temp_dir("input");
    let s = d.join("s.json");
    std::fs::copy(demo(), &s).unwrap();
    let original = std::fs::read(&s).unwrap();
    let o = run!("template", "--from", s, "-o", d.join("s.xlsx"));
    assert!(o.status.success(), "{}", stderr(&o));
    let xlsx = d.join("s.xlsx");
    let workbook = std::fs::read(&xlsx).unwrap();
    std::fs::hard_link(&s, d.join("hard.json")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&s, d.join("soft.json")).unwrap();

    assert_refused_as_input(&run!("compute", s, "-o", s, "--format", "json"), "compute");
    assert_refused_as_input(&run!("compute", xlsx, "-o", xlsx), "compute xlsx");
    assert_refused_as_input(&run!("journal", s, "-o", s), "journal");
    assert_refused_as_input(&run!("template", "--from", s, "-o", s), "template");
    assert_refused_as_input(&run!("receipts", s, "-o", s), "receipts");
    let dotted = d.join(".").join("s.json");
    assert_refused_as_input(&run!("compute", s, "-o", dotted), "./s.json");
    let hard = d.join("hard.json");
    assert_refused_as_input(&run!("compute", s, "-o", hard), "hard link");
    assert_refused_as_input(&run!("journal", hard, "-o", s), "hard link as input");
    #[cfg(unix)]
    {
        let soft = d.join("soft.json");
        assert_refused_as_input(&run!("compute", s, "-o", soft), "symbolic link");
        assert_refused_as_input(&run!("compute", soft, "-o", s), "symbolic link input");
    }
    assert_eq!(std::fs::read(&s).unwrap(), original);
    assert_eq!(std::fs::read(&xlsx).unwrap(), workbook);
    // Another file is fine.
    let o = run!("compute", s, "-o", d.join("r.json"), "--format", "json");
    assert!(o.status.success(), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&d);
}

#[cfg(unix)]
#[test]
fn an_output_that_is_a_symbolic_link_is_refused() {
    let d = temp_dir("outlink");
    let elsewhere = d.join("elsewhere.txt");
    std::fs::write(&elsewhere, b"not a report").unwrap();
    let link = d.join("r.json");
    std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
    let o = run!("compute", demo(), "-o", link, "--format", "json");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("symbolic link"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&elsewhere).unwrap(), b"not a report");
    assert_eq!(names(&d), ["elsewhere.txt", "r.json"]);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn receipts_get_one_file_each_and_never_overwrite() {
    let d = temp_dir("receipts");
    let out = d.join("recus");
    let o = run!("receipts", fixture("colliding_ids.json"), "-o", out);
    assert!(o.status.success(), "{}", stderr(&o));
    let files = names(&out);
    assert_eq!(files.len(), 7, "{files:?}");
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), 7);
    assert!(files
        .iter()
        .all(|f| f.starts_with("recu_") && f.len() <= 160));
    assert!(
        files.iter().any(|f| f.contains("_C1_Elan_Solidaire_2025")),
        "{files:?}"
    );
    for f in &files {
        assert!(std::fs::read(out.join(f)).unwrap().starts_with(b"%PDF-"));
    }
    // A second run refuses, names the files and writes nothing.
    let mine = out.join(&files[0]);
    std::fs::write(&mine, b"signed by hand").unwrap();
    let o = run!("receipts", fixture("colliding_ids.json"), "-o", out);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("already exist"), "{}", stderr(&o));
    assert!(stderr(&o).contains(&files[0]), "{}", stderr(&o));
    assert_eq!(std::fs::read(&mine).unwrap(), b"signed by hand");
    let o = run!(
        "receipts",
        fixture("colliding_ids.json"),
        "-o",
        out,
        "--force"
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read(&mine).unwrap().starts_with(b"%PDF-"));
    assert_eq!(names(&out), files, "no temporary file left");
    #[cfg(unix)]
    {
        let outside = d.join("outside.txt");
        std::fs::write(&outside, b"outside the directory").unwrap();
        std::fs::remove_file(&mine).unwrap();
        std::os::unix::fs::symlink(&outside, &mine).unwrap();
        let o = run!(
            "receipts",
            fixture("colliding_ids.json"),
            "-o",
            out,
            "--force"
        );
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("symbolic link"), "{}", stderr(&o));
        assert_eq!(std::fs::read(&outside).unwrap(), b"outside the directory");
    }
    let help = String::from_utf8(run!("receipts", "--help").stdout).unwrap();
    assert!(
        help.contains("recu_NNNN_COMPANY_BENEFICIARY_FISCALYEAR.pdf"),
        "{help}"
    );
    assert!(help.contains("--force"), "{help}");
    let _ = std::fs::remove_dir_all(&d);
}

/// A JSON scenario of `n` time entries (100 employees, one beneficiary).
fn large_scenario(n: usize) -> String {
    use std::fmt::Write;
    let mut s = String::from(
        r#"{"companies":[{"id":"C1","name":"Exemple"}],
"fiscal_years":[{"company":"C1","start":"2025-01-01","end":"2025-12-31","turnover":"2000000"}],
"beneficiaries":[{"id":"A1","name":"Association"}],"employees":["#,
    );
    for e in 0..100 {
        let sep = if e == 0 { "" } else { "," };
        let _ = write!(
            s,
            r#"{sep}{{"id":"E{e}","company":"C1","annual_gross_salary":"48000","annual_employer_charges":"21600","annual_working_days":"218"}}"#
        );
    }
    s.push_str(r#"],"time_entries":["#);
    for i in 0..n {
        let sep = if i == 0 { "" } else { "," };
        let (month, day) = (1 + i / 100 % 12, 1 + i / 1200 % 28);
        let _ = write!(
            s,
            r#"{sep}{{"employee":"E{}","beneficiary":"A1","date":"2025-{month:02}-{day:02}","hours":"1"}}"#,
            i % 100
        );
    }
    s.push_str("]}");
    s
}

/// Whether the report is being written: the output changed from what it was (a writer
/// that truncates it), or a new file in the directory holds more than a megabyte of it.
fn writing_began(d: &Path, out: &Path, before: &[String], len: u64) -> bool {
    std::fs::metadata(out).map_or(true, |m| m.len() != len)
        || names(d)
            .iter()
            .filter(|n| !before.contains(n))
            .any(|n| std::fs::metadata(d.join(n)).is_ok_and(|m| m.len() > 1 << 20))
}

/// SIGKILL while the report is being written: the previous report stays whole.
#[test]
fn a_killed_run_leaves_the_previous_report_whole() {
    let d = temp_dir("kill");
    let big = d.join("big.json");
    std::fs::write(&big, large_scenario(200_000)).unwrap();
    let out = d.join("out.json");
    let previous = b"{\"previous\": \"report\"}\n".to_vec();
    let mut killed_while_writing = 0;
    for _attempt in 0..5 {
        std::fs::write(&out, &previous).unwrap();
        let before = names(&d);
        let mut child = Command::new(env!("CARGO_BIN_EXE_mecenat"))
            .args(["compute", "--format", "json", "-q", "-o"])
            .arg(&out)
            .arg(&big)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let finished = loop {
            if child.try_wait().unwrap().is_some() {
                break true;
            }
            if writing_began(&d, &out, &before, previous.len() as u64) {
                child.kill().unwrap();
                break child.try_wait().unwrap().is_some_and(|s| s.success());
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        };
        let _ = child.wait();
        let now = std::fs::read(&out).unwrap();
        if now == previous {
            assert!(!finished, "a successful run left the previous report");
            killed_while_writing += 1;
        } else {
            // The run ended before the kill: the report must then be complete.
            let v: serde_json::Value = serde_json::from_slice(&now)
                .unwrap_or_else(|e| panic!("a partial report replaced the previous one: {e}"));
            assert!(v.get("fiscal_years").is_some());
        }
        // A temporary file may be left by SIGKILL; it is never the report's name.
        for name in names(&d) {
            assert!(
                ["big.json", "out.json"].contains(&name.as_str())
                    || name.starts_with(".out.json.tmp-"),
                "{name}"
            );
            if name.starts_with(".out.json.tmp-") {
                let _ = std::fs::remove_file(d.join(name));
            }
        }
    }
    eprintln!("killed while writing in {killed_while_writing} of 5 runs");
    assert!(
        killed_while_writing > 0,
        "the run was never caught while writing"
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn a_defect_is_exit_3_and_leaves_the_previous_output() {
    let d = temp_dir("defect");
    let out = d.join("r.json");
    std::fs::write(&out, b"previous").unwrap();
    // A defect while the report is being written (injected: test builds only).
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_mecenat"))
        .args([
            "compute",
            &demo().to_string_lossy(),
            "-f",
            "json",
            "-q",
            "-o",
        ])
        .arg(&out)
        .env("MECENAT_INJECT_DEFECT", "1")
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(
        err.starts_with("mecenat: internal error (a defect, please report it):"),
        "{err}"
    );
    assert!(!err.contains("thread 'main'"), "{err}");
    assert_eq!(std::fs::read(&out).unwrap(), b"previous");
    assert_eq!(names(&d), ["r.json"], "no temporary file is left");
    // The salary that overflowed the arithmetic is now refused at validation: no defect.
    for name in ["s.json", "s.xlsx"] {
        let o = run!(
            "compute",
            fixture("overflow_salary.json"),
            "-q",
            "-o",
            d.join(name)
        );
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{name}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn unsupported_inputs_are_named() {
    let cases = [
        ("notes.txt", "unsupported file type"),
        ("old.xls", "save it as .xlsx"),
        ("utf16.json", "UTF-16"),
    ];
    for (file, want) in cases {
        let o = run!("compute", fixture(file), "-f", "json");
        assert_eq!(o.status.code(), Some(2), "{file}: {}", stderr(&o));
        assert!(stderr(&o).contains(want), "{file}: {}", stderr(&o));
        assert!(stderr(&o).contains(file), "{file}: {}", stderr(&o));
    }
    let o = run!("compute", fixture("notes.txt"));
    assert!(stderr(&o).contains(".json") && stderr(&o).contains(".xlsx"));
    // A UTF-8 byte order mark is skipped, as the library does: the scenario computes.
    let o = run!("compute", fixture("bom.json"), "-f", "json");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// A file that is not named .json and starts with `{` but is not JSON is an unsupported
/// file type naming the two accepted, not a bare "invalid JSON"; a bad .json names its file
/// (issue 12, item 6).
#[test]
fn a_brace_that_is_not_json_is_an_unsupported_type() {
    let d = temp_dir("brace");
    let notes = d.join("notes.txt");
    std::fs::write(&notes, "{ compte rendu de la réunion du 3 mars").unwrap();
    for args in [
        &["compute"][..],
        &["template", "-o", "t.xlsx", "--from"][..],
    ] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_mecenat"));
        let o = cmd.current_dir(&d).args(args).arg(&notes).output().unwrap();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("unsupported file type"), "{args:?}: {err}");
        assert!(err.contains(".json") && err.contains(".xlsx"), "{err}");
        assert!(
            err.contains("notes.txt") && !err.contains("invalid JSON"),
            "{err}"
        );
    }
    let bad = d.join("bad.json");
    std::fs::write(&bad, "{ \"companies\": [ }").unwrap();
    let o = run!("compute", bad, "-f", "json");
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.starts_with("mecenat: invalid JSON: "), "{err}");
    assert!(err.contains("bad.json") && err.contains("line 1"), "{err}");
    assert!(!d.join("t.xlsx").exists());
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn a_workbook_is_known_by_its_content() {
    let d = temp_dir("content");
    let xlsx = d.join("s.xlsx");
    let o = run!("template", "--from", demo(), "-o", xlsx);
    assert!(o.status.success(), "{}", stderr(&o));
    // template -o says what it wrote.
    assert!(
        stderr(&o).contains(&*xlsx.to_string_lossy()),
        "{}",
        stderr(&o)
    );
    let bare = d.join("scenario_sans_extension");
    std::fs::copy(&xlsx, &bare).unwrap();
    let a = run!("compute", xlsx, "-f", "json");
    let b = run!("compute", bare, "-f", "json");
    assert!(b.status.success(), "{}", stderr(&b));
    assert_eq!(a.stdout, b.stdout);
    let o = run!("template", "-o", d.join("vierge.xlsx"));
    assert!(o.status.success());
    assert!(stderr(&o).contains("vierge.xlsx"), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn a_scenario_without_data_says_so() {
    let o = run!("compute", fixture("no_data.json"), "-f", "json");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("aucune donnée"), "{}", stderr(&o));
    let o = run!("compute", demo(), "-f", "json");
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    for args in [&["compute", "-f", "json"][..], &["journal"][..]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mecenat"))
            .args(args)
            .arg(demo())
            .env_remove("RUST_BACKTRACE")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away at once, as `| head -0` would.
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).is_empty(), "{args:?}: {}", stderr(&o));
    }
}
