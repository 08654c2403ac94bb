//! The inputs of the fuzzing tests (shared by `mecenat`'s `tests/fuzz.rs` and the command
//! line's `tests/fuzz_cli.rs`): seeds (the golden cases, the bad inputs, the demo) and their
//! deterministic structural and byte mutations.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde_json::Value;

/// Deterministic xorshift64.
pub struct Rng(pub u64);

impl Rng {
    /// The next number.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// A number in 0..n.
    pub fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap()
    }
    /// True one time in `one_in`.
    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

/// The repository root (both crates are two levels below it).
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The seeds: (name, JSON value when it is JSON, bytes).
pub fn seeds() -> Vec<(String, Option<Value>, Vec<u8>)> {
    let mut out = Vec::new();
    for dir in [
        repo().join("../shared/cases"),
        repo().join("fixtures/cases"),
    ] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|f| f.unwrap().path())
            .collect();
        files.sort();
        for p in files {
            let v: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            let s = v["scenario"].clone();
            out.push((
                p.display().to_string(),
                Some(s.clone()),
                s.to_string().into_bytes(),
            ));
        }
    }
    let bad = repo().join("fixtures/bad");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&bad)
        .unwrap()
        .map(|f| f.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter(|p| !p.to_string_lossy().ends_with(".expect.json"))
        .collect();
    files.sort();
    for p in files {
        let bytes = std::fs::read(&p).unwrap();
        let v = serde_json::from_slice(&bytes).ok();
        out.push((p.display().to_string(), v, bytes));
    }
    assert!(out.len() > 40, "{} seeds", out.len());
    out
}

/// The demo scenario.
pub fn demo() -> Value {
    let p = repo().join("fixtures/demo/scenario.json");
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

/// Values a hostile or careless input holds.
const ODD_VALUES: &[&str] = &[
    "null",
    "true",
    "false",
    "1.5",
    "-1",
    "0",
    "-0",
    "\"\"",
    "\"-0\"",
    "\"1e9\"",
    "\"1_000\"",
    "\"0_._5\"",
    "\"1 2 3 4\"",
    "\"79228162514264337593543950335\"",
    "\"792281625142643375935439503350\"",
    "\"100000000000000000000000000\"",
    "\"1000000000000000\"",
    "\"999999999999999.99\"",
    "\"99999999999999.99\"",
    "\"999999.9999\"",
    "\"0.0000001\"",
    "\"0.0001\"",
    "\"366\"",
    "\"8784\"",
    "\"24\"",
    "\"2025-02-30\"",
    "\"0000-01-01\"",
    "\"9999-12-31\"",
    "\"2024-02-29\"",
    "\"-262144-01-01\"",
    "\"08:30\"",
    "[]",
    "{}",
    "\"=1+1\"",
    "\"é\"",
    "\"名前\"",
    "\"a/b\"",
    "18446744073709551615",
    "18446744073709551616",
    "100000000000000000000",
    "1234567890123456789012345678901234567890",
    "-9223372036854775808",
    "-9223372036854775809",
    "\"NaN\"",
    "\"  \"",
    "\"\\u0000\"",
    "\"\\ufeff1\"",
    "\"general_interest\"",
    "\"heritage\"",
    "\"smic_loaded\"",
    "\"rate\"",
    "\"refused\"",
    "\"in_kind\"",
    "\"period\"",
    "\"C1=1; C2=0\"",
];

/// One of the odd values.
pub fn odd(rng: &mut Rng) -> Value {
    serde_json::from_str(ODD_VALUES[rng.below(ODD_VALUES.len())]).unwrap()
}

/// One structural mutation somewhere in `v`.
pub fn mutate(v: &mut Value, rng: &mut Rng, depth: usize) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            let keys: Vec<String> = m.keys().cloned().collect();
            let k = keys[rng.below(keys.len())].clone();
            // The top level (tables) is mostly kept: its faults end at the reader.
            let action = if depth == 0 && !rng.chance(8) {
                7
            } else {
                rng.below(8)
            };
            match action {
                0 => {
                    m.remove(&k);
                }
                1 => {
                    m.insert(k, odd(rng));
                }
                2 => {
                    // A typo of the key.
                    let x = m.remove(&k).unwrap();
                    m.insert(format!("{k}s"), x);
                }
                3 => {
                    // Another key's value.
                    let other = keys[rng.below(keys.len())].clone();
                    let x = m[&other].clone();
                    m.insert(k, x);
                }
                _ if depth < 4 => mutate(m.get_mut(&k).unwrap(), rng, depth + 1),
                _ => {
                    m.insert(k, odd(rng));
                }
            }
        }
        Value::Array(a) if !a.is_empty() => {
            let i = rng.below(a.len());
            match rng.below(6) {
                0 => {
                    a.remove(i);
                }
                1 => {
                    // The same row imported again.
                    let x = a[i].clone();
                    a.push(x);
                }
                2 => {
                    let j = rng.below(a.len());
                    a.swap(i, j);
                }
                _ => mutate(&mut a[i], rng, depth + 1),
            }
        }
        _ => *v = odd(rng),
    }
}

/// One byte-level mutation of `b`.
pub fn mutate_bytes(b: &mut Vec<u8>, rng: &mut Rng, donor: &[u8]) {
    let n = b.len().max(1);
    match rng.below(9) {
        0 => b.truncate(rng.below(n)),
        1 => {
            let at = rng.below(n).min(b.len().saturating_sub(1));
            if let Some(x) = b.get_mut(at) {
                *x = u8::try_from(rng.below(256)).unwrap();
            }
        }
        2 => {
            let at = rng.below(n).min(b.len());
            let len = rng.below(64).min(b.len() - at);
            b.drain(at..at + len);
        }
        3 => {
            let at = rng.below(n).min(b.len());
            let from = rng.below(donor.len().max(1)).min(donor.len());
            let len = rng.below(200).min(donor.len() - from);
            let piece = donor[from..from + len].to_vec();
            b.splice(at..at, piece);
        }
        4 => {
            const TOKENS: &[&[u8]] = &[
                b"1e400",
                b"-",
                b"\"",
                b"\\",
                b"\\u",
                b"{",
                b"}",
                b"[",
                b"]",
                b",",
                b":",
                b"null",
                b"\xEF\xBB\xBF",
                b"\xFF",
                b"\xC3",
                b"\x00",
                b"9999999999999999999999",
                b"\"\\uD800\"",
                b"0.",
                b"-0",
                b"1E9",
            ];
            let at = rng.below(n).min(b.len());
            let t = TOKENS[rng.below(TOKENS.len())];
            b.splice(at..at, t.iter().copied());
        }
        5 => b
            .splice(0..0, b"\xEF\xBB\xBF".iter().copied())
            .for_each(drop),
        6 => {
            // As UTF-16, with or without its byte order mark.
            let text = String::from_utf8_lossy(b).into_owned();
            let mut out: Vec<u8> = if rng.chance(2) {
                vec![0xFF, 0xFE]
            } else {
                Vec::new()
            };
            out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            *b = out;
        }
        7 => {
            // Deeply nested.
            let depth = 1 + rng.below(300);
            let at = rng.below(n).min(b.len());
            b.splice(at..at, std::iter::repeat_n(b'[', depth));
        }
        _ => {
            let at = rng.below(n).min(b.len());
            let len = rng.below(100).min(b.len() - at);
            let piece = b[at..at + len].to_vec();
            b.splice(at..at, piece);
        }
    }
}

/// A number from the environment, or `default`.
pub fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// The bytes of case `case`: a seed (the demo one case in 200, it is large), a few
/// structural mutations when it is JSON, then byte mutations one case in four.
pub fn case_bytes(
    rng: &mut Rng,
    seeds: &[(String, Option<Value>, Vec<u8>)],
    demo: &Value,
) -> Vec<u8> {
    let (value, bytes) = if rng.chance(200) {
        (Some(demo.clone()), Vec::new())
    } else {
        let (_, v, b) = &seeds[rng.below(seeds.len())];
        (v.clone(), b.clone())
    };
    let mut bytes = match value {
        Some(mut v) => {
            for _ in 0..=rng.below(4) {
                mutate(&mut v, rng, 0);
            }
            v.to_string().into_bytes()
        }
        None => bytes,
    };
    if rng.chance(4) {
        let donor = seeds[rng.below(seeds.len())].2.clone();
        for _ in 0..=rng.below(3) {
            mutate_bytes(&mut bytes, rng, &donor);
        }
    }
    bytes
}
