//! Times the plausibility warnings on a scenario file (issue 14, item 8):
//! `cargo run --release -p mecenat --example bench_plausibility -- /tmp/b1m.json 5`
//! prints the entries, the warnings and the median time of the runs.

fn main() -> Result<(), mecenat::Error> {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .map_or("fixtures/demo/scenario.json", String::as_str);
    let runs: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(5);
    let s = mecenat::read_json_file(std::path::Path::new(path))?;
    let mut times = Vec::new();
    let mut count = 0;
    for _ in 0..runs.max(1) {
        let t = std::time::Instant::now();
        count = mecenat::plausibility::warnings(&s).len();
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{} entries, {count} warnings, median {:.3} s over {} runs",
        s.time_entries.len(),
        times[times.len() / 2],
        times.len()
    );
    Ok(())
}
