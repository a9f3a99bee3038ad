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

/// The harness's packages, installed from its lock file when missing.
fn harness() -> PathBuf {
    let harness = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/browser");
    if !harness.join("node_modules/playwright-core").is_dir() {
        let ci = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&harness)
            .output()
            .expect("npm runs");
        assert!(
            ci.status.success(),
            "npm ci in {} failed\n{}",
            harness.display(),
            text(&ci.stderr)
        );
    }
    harness
}

#[test]
fn the_served_page_answers_controls_shares_its_state_and_downloads_what_the_cli_reproduces() {
    if !node_works() {
        skip("node is not installed (apt-get install nodejs npm; .ci/run does)");
        return;
    }
    if !chromium().is_file() {
        skip(&format!(
            "no chromium at {} (apt-get install chromium; .ci/run does)",
            chromium().display()
        ));
        return;
    }
    let harness = harness();
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-serve");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).expect("output folder");
    let malformed = out.join("malformed.toml");
    std::fs::write(&malformed, "format-version = 1\nextends = \"ukraine-final-2025\"\n\n[deal]\nlock-up-until = \"soon\"\n")
        .expect("write");
    let server = common::server::Server::start(&[]);
    let checked = Command::new("node")
        .arg(harness.join("serve.mjs"))
        .arg(server.url())
        .arg(&out)
        .arg(&malformed)
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
    for shot in [
        "serve-1-loaded",
        "serve-2-deal-and-leakage",
        "serve-3-shared-url",
        "serve-4-second-answer",
        "serve-5-malformed-upload",
        "serve-6-phone",
        "serve-7-phone-answers",
    ] {
        assert!(out.join(format!("{shot}.png")).is_file(), "no screenshot {shot}");
    }
    // The downloaded view, run on the command line, gives the numbers the page showed.
    let view: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("view.json")).expect("view.json"))
            .expect("JSON");
    let toml = std::fs::read_to_string(out.join("view.toml")).expect("view.toml");
    assert!(toml.contains("overrides = [") && toml.contains("leakage.receipts=0.25"), "{toml}");
    let (paths, seed) = (view["paths"].to_string(), view["seed"].to_string());
    let sampler = view["sampler"].as_str().expect("sampler").to_string();
    let run = common::subsoil(&[
        "run",
        out.join("view.toml").to_str().expect("utf-8"),
        "--paths",
        &paths,
        "--seed",
        &seed,
        "--sampler",
        &sampler,
        "--format",
        "json",
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let cli: serde_json::Value = serde_json::from_slice(&run.stdout).expect("JSON");
    // The manifest names the file (its hash and layers) and the page's overrides as --set; the file
    // holds them as `overrides`. Everything else must be equal.
    let strip = |mut v: serde_json::Value| {
        for k in ["scenario_hash", "layers", "sets"] {
            v["manifest"].as_object_mut().expect("manifest").remove(k);
        }
        v
    };
    assert_eq!(numbers_as_f64(strip(view["result"].clone())), numbers_as_f64(strip(cli)));
}

/// `v` with every number as a binary64: JavaScript writes a whole-valued float as `1`, not `1.0`.
fn numbers_as_f64(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::Number(n) => n.as_f64().map_or(Value::Null, |x| serde_json::json!(x)),
        Value::Array(a) => Value::Array(a.into_iter().map(numbers_as_f64).collect()),
        Value::Object(o) => {
            Value::Object(o.into_iter().map(|(k, v)| (k, numbers_as_f64(v))).collect())
        }
        other => other,
    }
}
