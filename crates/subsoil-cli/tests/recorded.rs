//! Recorded outputs: the JSON that users quote, byte for byte.
//!
//! Each case below is one `subsoil` command; its standard output is compared with the file recorded under
//! `tests/recorded/`. A change to the code that is meant to leave results alone (a restructure, a speed-up)
//! must pass this test untouched. A change that alters results on purpose regenerates the recordings in the
//! same commit with
//!
//! ```sh
//! SUBSOIL_RECORD=1 cargo test --release -p subsoil-cli --test recorded
//! ```
//!
//! and adds a line to CHANGELOG.md saying what changed and why; `git diff` of the recordings then shows
//! every number that moved.

mod common;

use common::{subsoil, text};
use std::path::PathBuf;

/// (recording file, arguments). The four versions of the deal at 20,000 paths on the default sampler,
/// a Sobol run, and the deterministic base case of each version; the two Sicomines deals compared, and
/// the base case of each.
const CASES: &[(&str, &[&str])] = &[
    (
        "feb-draft.json",
        &["run", "ukraine-feb-2025-draft", "--paths", "20000", "--seed", "1", "--format", "json"],
    ),
    (
        "feb-framework.json",
        &[
            "run",
            "ukraine-feb-2025-framework",
            "--paths",
            "20000",
            "--seed",
            "1",
            "--format",
            "json",
        ],
    ),
    (
        "mar-draft.json",
        &["run", "ukraine-mar-2025-draft", "--paths", "20000", "--seed", "1", "--format", "json"],
    ),
    (
        "final.json",
        &["run", "ukraine-final-2025", "--paths", "20000", "--seed", "1", "--format", "json"],
    ),
    (
        "final-sobol.json",
        &[
            "run",
            "ukraine-final-2025",
            "--paths",
            "20000",
            "--seed",
            "3",
            "--sampler",
            "sobol",
            "--format",
            "json",
        ],
    ),
    (
        "compare-four.json",
        &[
            "compare",
            "ukraine-feb-2025-draft",
            "ukraine-feb-2025-framework",
            "ukraine-mar-2025-draft",
            "ukraine-final-2025",
            "--paths",
            "4096",
            "--seed",
            "5",
            "--format",
            "json",
        ],
    ),
    ("base-case-final.json", &["run", "ukraine-final-2025", "--deterministic", "--format", "json"]),
    (
        "base-case-feb-draft.json",
        &["run", "ukraine-feb-2025-draft", "--deterministic", "--format", "json"],
    ),
    (
        "base-case-mar-draft.json",
        &["run", "ukraine-mar-2025-draft", "--deterministic", "--format", "json"],
    ),
    (
        "compare-sicomines.json",
        &[
            "compare",
            "drc-sicomines-2008",
            "drc-sicomines-2024",
            "--paths",
            "4096",
            "--seed",
            "5",
            "--format",
            "json",
        ],
    ),
    (
        "base-case-sicomines-2008.json",
        &["run", "drc-sicomines-2008", "--deterministic", "--format", "json"],
    ),
    (
        "base-case-sicomines-2024.json",
        &["run", "drc-sicomines-2024", "--deterministic", "--format", "json"],
    ),
];

fn recording(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/recorded").join(name)
}

#[test]
fn outputs_equal_their_recordings() {
    let record = std::env::var_os("SUBSOIL_RECORD").is_some();
    let mut differ = Vec::new();
    for (file, args) in CASES {
        let out = subsoil(args);
        assert!(out.status.success(), "subsoil {}: {}", args.join(" "), text(&out.stderr));
        let path = recording(file);
        if record {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &out.stdout).unwrap();
            continue;
        }
        let want = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if want != out.stdout {
            let got = text(&out.stdout);
            let want = text(&want);
            let line = want.lines().zip(got.lines()).position(|(a, b)| a != b).unwrap_or(0);
            let show = |s: &str| s.lines().nth(line).unwrap_or("(end of output)").to_string();
            differ.push(format!(
                "{file} (subsoil {}): first difference at line {}:\n  recorded: {}\n  now:      {}",
                args.join(" "),
                line + 1,
                show(&want),
                show(&got)
            ));
        }
    }
    assert!(
        differ.is_empty(),
        "outputs differ from their recordings; if that is intended, regenerate with \
         `SUBSOIL_RECORD=1 cargo test --release -p subsoil-cli --test recorded` and say why in CHANGELOG.md\n{}",
        differ.join("\n")
    );
}
