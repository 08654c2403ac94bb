//! The module tree of every crate of the workspace flows one way: no two sibling modules
//! name each other, directly or through others (a module names another through
//! `crate::`, `super::` or a grouped `use crate::{…}`). Read as text, like
//! `shared/tools/modcycles.py`; a cycle fails the test with its modules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Module = Vec<String>;

/// Every module of a crate's `src` (its path of names) and its file.
fn modules(src: &Path) -> BTreeMap<Module, PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(src, &mut files);
    let mut out = BTreeMap::new();
    for f in files {
        let rel = f.strip_prefix(src).unwrap().with_extension("");
        let mut m: Module = rel
            .iter()
            .map(|c| c.to_string_lossy().into_owned())
            .collect();
        if matches!(m.last().map(String::as_str), Some("mod" | "lib" | "main")) {
            m.pop();
        }
        out.insert(m, f);
    }
    out
}

/// The paths a file names through `crate::`, `super::` and `use crate::{…}` groups.
fn references(text: &str, here: &[String]) -> Vec<Module> {
    let text: String = text
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let path_after = |rest: &str| -> Module {
        let mut out = Vec::new();
        let mut r = rest;
        loop {
            let n: String = r.chars().take_while(|&c| ident(c)).collect();
            if n.is_empty() {
                break;
            }
            r = &r[n.len()..];
            out.push(n);
            match r.strip_prefix("::") {
                Some(x) => r = x,
                None => break,
            }
        }
        out
    };
    let mut out = Vec::new();
    for (i, _) in text.match_indices("crate::") {
        let before = text[..i].chars().last();
        if before.is_some_and(ident) {
            continue;
        }
        let rest = &text[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner: String = group.chars().take_while(|&c| c != ';').collect();
            for part in inner.split(',') {
                let p = path_after(part.trim().trim_start_matches('{'));
                if !p.is_empty() {
                    out.push(p);
                }
            }
        } else {
            out.push(path_after(rest));
        }
    }
    let mut from = 0;
    while let Some(k) = text[from..].find("super::") {
        let i = from + k;
        from = i + 1;
        if text[..i]
            .chars()
            .last()
            .is_some_and(|c| ident(c) || c == ':')
        {
            continue;
        }
        let mut rest = &text[i..];
        let mut up = 0;
        while let Some(r) = rest.strip_prefix("super::") {
            up += 1;
            rest = r;
        }
        from = i + up * "super::".len();
        let base: Module = here[..here.len().saturating_sub(up)].to_vec();
        let mut p = base;
        p.extend(path_after(rest));
        out.push(p);
    }
    out
}

/// The strongly connected groups of more than one node.
fn cycles(nodes: &[Module], edges: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
    struct T<'a> {
        edges: &'a BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<Module, usize>,
        low: BTreeMap<Module, usize>,
        stack: Vec<Module>,
        on: BTreeSet<Module>,
        out: Vec<Vec<Module>>,
    }
    fn strong(t: &mut T, v: &Module) {
        let i = t.index.len();
        t.index.insert(v.clone(), i);
        t.low.insert(v.clone(), i);
        t.stack.push(v.clone());
        t.on.insert(v.clone());
        for w in t.edges.get(v).cloned().unwrap_or_default() {
            if !t.index.contains_key(&w) {
                strong(t, &w);
                let l = t.low[v].min(t.low[&w]);
                t.low.insert(v.clone(), l);
            } else if t.on.contains(&w) {
                let l = t.low[v].min(t.index[&w]);
                t.low.insert(v.clone(), l);
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(&w);
                let done = &w == v;
                comp.push(w);
                if done {
                    break;
                }
            }
            if comp.len() > 1 {
                t.out.push(comp);
            }
        }
    }
    let mut t = T {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for n in nodes {
        if !t.index.contains_key(n) {
            strong(&mut t, n);
        }
    }
    t.out
}

/// The cycles among sibling modules, per folder of a crate's `src`.
fn crate_cycles(src: &Path) -> Vec<String> {
    let mods = modules(src);
    let resolve = |p: &Module| -> Option<Module> {
        (1..=p.len())
            .rev()
            .map(|k| p[..k].to_vec())
            .find(|m| mods.contains_key(m))
    };
    let folders: BTreeSet<Module> = mods
        .keys()
        .filter(|m| !m.is_empty())
        .map(|m| m[..m.len() - 1].to_vec())
        .collect();
    let mut out = Vec::new();
    for folder in folders {
        let d = folder.len();
        let siblings: Vec<Module> = mods
            .keys()
            .filter(|m| m.len() == d + 1 && m[..d] == folder[..])
            .cloned()
            .collect();
        let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
        for (m, file) in &mods {
            if m.len() <= d || m[..d] != folder[..] {
                continue;
            }
            let a = m[..=d].to_vec();
            let text = std::fs::read_to_string(file).unwrap();
            for r in references(&text, m) {
                if let Some(t) = resolve(&r) {
                    if t.len() > d && t[..d] == folder[..] && t[..=d] != a[..] {
                        edges.entry(a.clone()).or_default().insert(t[..=d].to_vec());
                    }
                }
            }
        }
        for c in cycles(&siblings, &edges) {
            let mut names: Vec<String> = c.iter().map(|m| m.join("::")).collect();
            names.sort();
            out.push(format!("{}: {}", src.display(), names.join(" <-> ")));
        }
    }
    out
}

#[test]
fn no_module_cycle_in_any_crate() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut found = Vec::new();
    for e in std::fs::read_dir(&crates).unwrap().flatten() {
        let src = e.path().join("src");
        if src.is_dir() {
            found.extend(crate_cycles(&src));
        }
    }
    assert!(found.is_empty(), "module cycles:\n{}", found.join("\n"));
}

/// The checker finds a cycle when there is one (so that the test above can fail).
#[test]
fn a_cycle_is_found() {
    let dir = std::env::temp_dir().join(format!("mecenat-cycles-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("a")).unwrap();
    std::fs::write(dir.join("lib.rs"), "mod a; mod b; mod c;").unwrap();
    std::fs::write(dir.join("a/mod.rs"), "mod inner;").unwrap();
    std::fs::write(dir.join("a/inner.rs"), "use crate::b::X;").unwrap();
    std::fs::write(dir.join("b.rs"), "use super::c::Y; pub struct X;").unwrap();
    std::fs::write(dir.join("c.rs"), "use crate::{a::Z, b};").unwrap();
    let found = crate_cycles(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].ends_with(": a <-> b <-> c"), "{found:?}");
}

/// The Excel and PDF faces show the report's figures: they never read the legal parameter
/// files, so the law is applied once, in the core.
#[test]
fn the_faces_do_not_read_the_law() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut found = Vec::new();
    for face in ["mecenat-xlsx", "mecenat-pdf"] {
        for (_, file) in modules(&crates.join(face).join("src")) {
            let text = std::fs::read_to_string(&file).unwrap();
            for needle in ["mecenat::params", "Parameters", "params/"] {
                if text.contains(needle) {
                    found.push(format!("{}: {needle}", file.display()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "a face reads the law:\n{}",
        found.join("\n")
    );
}
