//! `--per-path`: paths.parquet, one row per path, read by pyarrow (`tests/python/read_paths.py`) and
//! written the same on any number of threads. The pyarrow check is skipped, with a message, only where
//! no Python with pyarrow is found (`$SUBSOIL_PYTHON`, else `python3`); `.ci/run` installs it in a venv
//! and sets `SUBSOIL_PYARROW_TESTS=required`, which turns a skip into a failure.

mod common;

use std::path::Path;
use std::process::Command;

use common::{scratch, subsoil, text};

fn run_ok(args: &[&str]) {
    let out = subsoil(args);
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
}

/// A Python that can import pyarrow.
fn python() -> Option<String> {
    let candidate = std::env::var("SUBSOIL_PYTHON").unwrap_or_else(|_| "python3".into());
    let ok = Command::new(&candidate)
        .args(["-c", "import pyarrow"])
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then_some(candidate)
}

#[test]
fn pyarrow_reads_one_row_per_path_with_the_inputs_and_outputs_of_summary_json() {
    let dir = scratch("parquet-pyarrow");
    let out = dir.join("run");
    run_ok(&[
        "run",
        "--paths",
        "5000",
        "--seed",
        "2",
        "--out",
        out.to_str().unwrap(),
        "--per-path",
    ]);
    assert!(out.join("paths.parquet").is_file());
    let Some(python) = python() else {
        assert!(
            std::env::var("SUBSOIL_PYARROW_TESTS").as_deref() != Ok("required"),
            "SUBSOIL_PYARROW_TESTS=required, but no Python with pyarrow was found"
        );
        eprintln!(
            "SKIPPED: no Python with pyarrow (python3 -m venv .venv && .venv/bin/pip install -r \
             tests/python/requirements.txt, then SUBSOIL_PYTHON=.venv/bin/python; .ci/run does)"
        );
        return;
    };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/python/read_paths.py");
    let checked = Command::new(python).arg(script).arg(&out).output().expect("python runs");
    println!("{}", text(&checked.stdout));
    assert!(
        checked.status.success(),
        "pyarrow's check failed:\n{}\n{}",
        text(&checked.stdout),
        text(&checked.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_parquet_file_is_the_same_on_one_and_two_threads() {
    let dir = scratch("parquet-threads");
    let (a, b) = (dir.join("one"), dir.join("two"));
    let common = ["run", "--paths", "4500", "--sampler", "sobol", "--per-path"];
    run_ok(&[&common[..], &["--threads", "1", "--out", a.to_str().unwrap()]].concat());
    run_ok(&[&common[..], &["--threads", "2", "--out", b.to_str().unwrap()]].concat());
    let (x, y) = (
        std::fs::read(a.join("paths.parquet")).unwrap(),
        std::fs::read(b.join("paths.parquet")).unwrap(),
    );
    assert!(x.len() > 1000 && x == y, "paths.parquet differs between 1 and 2 threads");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn per_path_needs_a_monte_carlo_run_into_a_folder() {
    let dir = scratch("parquet-refused");
    let out = dir.join("base");
    let refused =
        subsoil(&["run", "--deterministic", "--out", out.to_str().unwrap(), "--per-path"]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused.stderr));
    assert!(text(&refused.stderr).contains("Monte Carlo"), "{}", text(&refused.stderr));
    assert!(!out.exists());
    let compare = dir.join("compare");
    let refused = subsoil(&[
        "compare",
        "ukraine-mar-2025-draft",
        "ukraine-final-2025",
        "--paths",
        "10",
        "--out",
        compare.to_str().unwrap(),
        "--per-path",
    ]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused.stderr));
    assert!(!compare.exists());
    let no_out = subsoil(&["run", "--paths", "10", "--per-path"]);
    assert_eq!(no_out.status.code(), Some(2), "{}", text(&no_out.stderr));
    assert!(no_out.stdout.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}
