//! Bad input never panics: thousands of mutated versions of real scenario files (lines deleted, duplicated
//! or swapped, characters replaced, numbers turned huge, negative, zero or into text) must each load or be
//! refused with located errors, never crash the loader.
//!
//! The mutations come from a fixed-seed generator, so every run checks the same cases.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

/// A small deterministic generator (SplitMix64).
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const REPLACEMENTS: &[&str] = &[
    "1e308",
    "-1",
    "0",
    "NaN",
    "\"text\"",
    "[]",
    "{}",
    "true",
    "2025-13-45",
    "-0.0",
    "1e-320",
    "99999999999",
    "[1, \"a\"]",
    "{ dist = \"beta\" }",
    "{ dist = \"normal\", mean = 1, sd = -1 }",
    "inf",
    "\"\"",
];

fn mutate(text: &str, g: &mut Gen) -> String {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    for _ in 0..1 + g.below(3) {
        if lines.is_empty() {
            break;
        }
        let i = g.below(lines.len());
        match g.below(6) {
            0 => {
                lines.remove(i);
            }
            1 => {
                let l = lines[i].clone();
                lines.insert(i, l);
            }
            2 => {
                let j = g.below(lines.len());
                lines.swap(i, j);
            }
            3 => {
                // Replace the value after `=` with something odd.
                if let Some(eq) = lines[i].find('=') {
                    let r = REPLACEMENTS[g.below(REPLACEMENTS.len())];
                    lines[i] = format!("{} {r}", &lines[i][..=eq]);
                }
            }
            4 => {
                // Replace one character.
                let chars: Vec<char> = lines[i].chars().collect();
                if !chars.is_empty() {
                    let k = g.below(chars.len());
                    let c = ['[', ']', '{', '"', '=', '.', '#', ',', 'x', '\u{0}'][g.below(10)];
                    lines[i] = chars
                        .iter()
                        .enumerate()
                        .map(|(n, ch)| if n == k { c } else { *ch })
                        .collect();
                }
            }
            _ => {
                // Cut the line short.
                let chars: Vec<char> = lines[i].chars().collect();
                let k = g.below(chars.len() + 1);
                lines[i] = chars[..k].iter().collect();
            }
        }
    }
    lines.join("\n")
}

/// A scenario that loads must also simulate without panicking, with every input at its median and at the
/// extreme draws a path can make (the 1e-9 and 1 − 1e-9 quantiles, clamped to the field's bounds).
fn simulate_at_extremes(s: &subsoil_scenario::Scenario, case: usize, text: &str) {
    use subsoil_core::{BaseCase, PathOutcome, Workspace, simulate};
    let mut ws = Workspace::new(&s.model);
    let mut out = PathOutcome::new(&s.model, false);
    for u in [0.5, 1e-9, 1.0 - 1e-9] {
        let scalars: Vec<f64> = s
            .inputs
            .list
            .iter()
            .map(|i| i.dist.quantile(u).clamp(i.bounds.0, i.bounds.1))
            .collect();
        let r = catch_unwind(AssertUnwindSafe(|| {
            simulate(&s.model, &BaseCase { scalars: &scalars }, &mut ws, &mut out)
        }));
        assert!(r.is_ok(), "case {case}: simulating at u = {u} panicked; the file was:\n{text}");
    }
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn mutated_scenario_files_never_panic_the_loader() {
    let dir = std::env::temp_dir().join(format!("subsoil-mutations-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    // A deal scenario (every deal feature) and a self-contained one with its own CSV files.
    let deal = std::fs::read_to_string(repo().join("scenarios/ukraine-mar-2025-draft.toml"))
        .expect("read");
    let worked_dir = repo().join("crates/subsoil-engine/tests/data/worked-example");
    let worked = std::fs::read_to_string(worked_dir.join("scenario.toml")).expect("read");
    for f in ["deposits.csv", "events.csv"] {
        std::fs::copy(worked_dir.join(f), dir.join(f)).expect("copy");
    }
    let mut g = Gen(20_261_126);
    let (mut ok, mut refused) = (0, 0);
    for case in 0..1_500 {
        let base = if case % 2 == 0 { &deal } else { &worked };
        let text = mutate(base, &mut g);
        let path = dir.join(format!("case-{case}.toml"));
        std::fs::write(&path, &text).expect("write");
        let spec = path.to_string_lossy().into_owned();
        let result = catch_unwind(AssertUnwindSafe(|| subsoil_scenario::load(&spec, &[])));
        match result {
            Ok(Ok(s)) => {
                ok += 1;
                simulate_at_extremes(&s, case, &text);
            }
            Ok(Err(e)) => {
                refused += 1;
                let shown = e.render();
                assert!(
                    shown.contains("error:"),
                    "case {case}: an error without a message:\n{text}"
                );
            }
            Err(_) => panic!("case {case} panicked the loader; the file was:\n{text}"),
        }
        let _ = std::fs::remove_file(&path);
    }
    // Both outcomes occur, so the mutations neither break every file nor leave them all intact.
    assert!(ok > 50 && refused > 50, "{ok} loaded, {refused} refused");
}

#[test]
fn mutated_csv_files_never_panic_the_loader() {
    let dir = std::env::temp_dir().join(format!("subsoil-csv-mutations-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let worked_dir = repo().join("crates/subsoil-engine/tests/data/worked-example");
    std::fs::copy(worked_dir.join("scenario.toml"), dir.join("scenario.toml")).expect("copy");
    let deposits = std::fs::read_to_string(worked_dir.join("deposits.csv")).expect("read");
    let events = std::fs::read_to_string(worked_dir.join("events.csv")).expect("read");
    let mut g = Gen(7);
    for case in 0..600 {
        let (d, e) = if case % 2 == 0 {
            (mutate(&deposits, &mut g), events.clone())
        } else {
            (deposits.clone(), mutate(&events, &mut g))
        };
        std::fs::write(dir.join("deposits.csv"), &d).expect("write");
        std::fs::write(dir.join("events.csv"), &e).expect("write");
        let spec = dir.join("scenario.toml").to_string_lossy().into_owned();
        let result = catch_unwind(AssertUnwindSafe(|| subsoil_scenario::load(&spec, &[])));
        assert!(result.is_ok(), "case {case} panicked the loader; deposits:\n{d}\nevents:\n{e}");
    }
}
