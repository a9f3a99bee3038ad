//! The report in a real browser: `tests/browser/report.mjs` (Node, playwright-core driving Debian's
//! chromium) opens the `report.html` of a run and checks that it shows every section, makes no network
//! request, logs no error and plots the numbers of `summary.json`; it saves screenshots under
//! `target/tmp/browser-report/`. Skipped, with a message, only where node or chromium is not installed
//! (`.ci/run` installs both).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::text;

/// The browser the harness drives: `$CHROMIUM`, else Debian's.
fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// Skips the test with `why`, unless `SUBSOIL_BROWSER_TESTS=required` (as `.ci/run` sets) makes a
/// missing browser a failure.
fn skip(why: &str) {
    assert!(
        std::env::var("SUBSOIL_BROWSER_TESTS").as_deref() != Ok("required"),
        "SUBSOIL_BROWSER_TESTS=required, but {why}"
    );
    eprintln!("SKIPPED: {why}");
}

fn node_works() -> bool {
    Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success())
}

#[test]
fn the_report_opens_offline_without_errors_and_plots_the_summary() {
    if !node_works() {
        skip("node is not installed (apt-get install nodejs npm; .ci/run does)");
        return;
    }
    if !chromium().is_file() {
        skip(&format!(
            "no chromium at {} (apt-get install chromium, or set CHROMIUM; .ci/run does)",
            chromium().display()
        ));
        return;
    }
    let harness = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/browser");
    if !harness.join("node_modules/playwright-core").is_dir() {
        let ci = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&harness)
            .output()
            .expect("npm runs");
        assert!(
            ci.status.success(),
            "the browser harness needs its packages: run `npm ci` in {}\n{}",
            harness.display(),
            text(&ci.stderr)
        );
    }
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-report");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();
    let run_dir = out.join("run");
    let run = common::subsoil(&[
        "run",
        "--paths",
        "5000",
        "--seed",
        "11",
        "--out",
        run_dir.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let checked = Command::new("node")
        .arg(harness.join("report.mjs"))
        .arg(&run_dir)
        .arg(&out)
        .env("CHROMIUM", chromium())
        .output()
        .expect("node runs");
    println!("{}", text(&checked.stdout));
    assert!(
        checked.status.success(),
        "the browser check failed:\n{}\n{}",
        text(&checked.stdout),
        text(&checked.stderr)
    );
    assert!(out.join("report.png").is_file(), "no screenshot");
}
