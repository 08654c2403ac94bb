//! Feeds mutated and truncated scenarios to the reader and the engine and asserts there is
//! never a panic: every input ends in a report or an error.

use std::path::Path;

use serde_json::Value;

/// Deterministic xorshift, so a failure names a reproducible mutation.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap()
    }
}

fn seeds() -> Vec<Value> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut out = Vec::new();
    for dir in [repo.join("../shared/cases"), repo.join("fixtures/cases")] {
        for f in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let p = f.unwrap().path();
            let v: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            out.push(v["scenario"].clone());
        }
    }
    out.push(
        serde_json::from_str(
            &std::fs::read_to_string(repo.join("fixtures/demo/scenario.json")).unwrap(),
        )
        .unwrap(),
    );
    assert!(out.len() > 10);
    out
}

const ODD_VALUES: &[&str] = &[
    "null",
    "true",
    "1.5",
    "-1",
    "0",
    "\"\"",
    "\"-0\"",
    "\"1e9\"",
    "\"99999999999999999999999999999\"",
    "\"0.0000001\"",
    "\"2025-02-30\"",
    "\"0000-01-01\"",
    "\"9999-12-31\"",
    "\"-262144-01-01\"",
    "[]",
    "{}",
    "\"=1+1\"",
    "\"é\"",
    "18446744073709551615",
    "-9223372036854775808",
    "\"NaN\"",
    "\"  \"",
];

fn mutate(v: &mut Value, rng: &mut Rng) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            let keys: Vec<String> = m.keys().cloned().collect();
            let k = &keys[rng.below(keys.len())];
            match rng.below(4) {
                0 => {
                    m.remove(k);
                }
                1 => {
                    let odd = ODD_VALUES[rng.below(ODD_VALUES.len())];
                    m.insert(k.clone(), serde_json::from_str(odd).unwrap());
                }
                _ => mutate(m.get_mut(k).unwrap(), rng),
            }
        }
        Value::Array(a) if !a.is_empty() => {
            let i = rng.below(a.len());
            match rng.below(4) {
                0 => {
                    a.remove(i);
                }
                1 => {
                    let x = a[i].clone();
                    a.push(x);
                }
                _ => mutate(&mut a[i], rng),
            }
        }
        _ => *v = serde_json::from_str(ODD_VALUES[rng.below(ODD_VALUES.len())]).unwrap(),
    }
}

fn run(text: &[u8], what: &str) {
    let r = std::panic::catch_unwind(|| {
        if let Ok(raw) = mecenat::RawScenario::from_json_slice(text) {
            if let Ok(s) = mecenat::Scenario::from_raw(&raw) {
                for cap in [mecenat::CapMethod::Rate, mecenat::CapMethod::Period] {
                    let opts = mecenat::Options {
                        cap_method: Some(cap),
                        strict: false,
                    };
                    if let Ok(r) = mecenat::compute(&s, &opts) {
                        let _ = r.to_json().expect("a report serializes");
                        let _ = r.to_text();
                    }
                }
            }
        }
    });
    assert!(
        r.is_ok(),
        "panic on {what}:\n{}",
        String::from_utf8_lossy(text)
    );
}

#[test]
fn mutated_scenarios_never_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let seeds = seeds();
    // The demo scenario (last) is large: it is only corrupted byte-wise below.
    let small = &seeds[..seeds.len() - 1];
    for round in 0..3000 {
        let mut v = small[round % small.len()].clone();
        for _ in 0..=rng.below(4) {
            mutate(&mut v, &mut rng);
        }
        run(v.to_string().as_bytes(), &format!("mutation round {round}"));
    }
}

#[test]
fn truncated_and_corrupted_bytes_never_panic() {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    for (i, seed) in seeds().iter().enumerate() {
        let text = seed.to_string().into_bytes();
        for _ in 0..40 {
            let cut = rng.below(text.len());
            run(&text[..cut], &format!("seed {i} truncated at {cut}"));
            let mut bytes = text.clone();
            let at = rng.below(bytes.len());
            bytes[at] = u8::try_from(rng.below(256)).unwrap();
            run(&bytes, &format!("seed {i} byte {at} corrupted"));
        }
    }
}
