//! Benchmark of the core on a generated scenario: parse, validate, compute, serialize.
//!
//! ```sh
//! python3 ../shared/bench/gen_workbook.py --rows 1000000 --seed 1 --out /tmp/b1m.xlsx --json /tmp/b1m.json
//! cargo run --release -p mecenat --example bench_core -- /tmp/b1m.json [repeats] [--pretty]
//! ```
//! With `--features mecenat/phase-timings`, the computation also prints each of its phases.
//! Prints the median wall time of each phase over the repeats, entries per second, and the
//! CPU time of the computation (robust when the machine is shared).

// Timings are seconds as floats: no money goes through them.
#![allow(clippy::float_arithmetic, clippy::cast_precision_loss)]

use std::time::Instant;

/// CPU seconds (user + system) of this process so far, from /proc/self/stat (Linux).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|x| x.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // Fields 14 and 15 of stat (utime, stime) are at 11 and 12 after the command name.
    (ticks(11) + ticks(12)) / 100.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let pretty = args.iter().any(|a| a == "--pretty");
    let mut args = args.into_iter().filter(|a| a != "--pretty");
    let path = args
        .next()
        .ok_or("usage: bench_core FILE.json [repeats] [--pretty]")?;
    let repeats: usize = args.next().map_or(Ok(3), |s| s.parse())?;
    let bytes = std::fs::read(&path)?;
    let (mut parse, mut validate, mut compute, mut serialize) = (vec![], vec![], vec![], vec![]);
    let mut compute_cpu = vec![];
    let mut n = 0;
    for _ in 0..repeats {
        let t = Instant::now();
        let raw = mecenat::RawScenario::from_json_slice(&bytes)?;
        parse.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        let s = mecenat::Scenario::from_raw(&raw)?;
        drop(raw);
        // Freeing the raw tables ends at the allocator's next request (glibc consolidates
        // its free lists then): count it with validation, not with the computation.
        let c0 = cpu_seconds();
        validate.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        let r = mecenat::compute(&s, &mecenat::Options::default())?;
        compute.push(t.elapsed().as_secs_f64());
        compute_cpu.push(cpu_seconds() - c0);
        let t = Instant::now();
        let mut out = Vec::with_capacity(400 << 20);
        r.write_json(&mut out, pretty)?;
        serialize.push(t.elapsed().as_secs_f64());
        n = r.entries.len();
        std::hint::black_box(out.len());
    }
    let (p, v, c, w) = (
        median(parse),
        median(validate),
        median(compute),
        median(serialize),
    );
    println!("entries {n}  parse {p:.3} s  validate {v:.3} s  compute {c:.3} s  serialize {w:.3} s  total {:.3} s", p + v + c + w);
    let eps = n as f64 / c;
    println!(
        "compute: {eps:.0} entries/s (wall); {:.3} CPU s over both cores",
        median(compute_cpu)
    );
    Ok(())
}
