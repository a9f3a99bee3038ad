//! `--out DIR`: the files a run writes, written whole or not at all.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{scratch, subsoil, text};

/// The names of the files in `dir`, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Hidden partial folders next to `dir`.
fn partials(parent: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(parent)
        .expect("parent")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().contains(".partial-")))
        .collect()
}

fn run_ok(args: &[&str]) -> std::process::Output {
    let out = subsoil(args);
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    out
}

#[test]
fn a_run_writes_its_files_and_the_same_bytes_on_one_and_two_threads() {
    let dir = scratch("out-threads");
    let (a, b) = (dir.join("one"), dir.join("two"));
    let common = ["run", "--paths", "3000", "--seed", "5", "--sampler", "lhs"];
    let one = run_ok(
        &[&common[..], &["--threads", "1", "--format", "json", "--out"], &[a.to_str().unwrap()]]
            .concat(),
    );
    run_ok(&[&common[..], &["--threads", "2", "--out"], &[b.to_str().unwrap()]].concat());
    let names = files(&a);
    for f in ["inputs.csv", "projects.csv", "report.html", "series.csv", "summary.json"] {
        assert!(names.contains(&f.to_string()), "{f} missing from {names:?}");
    }
    assert_eq!(names, files(&b));
    for f in &names {
        let (x, y) = (std::fs::read(a.join(f)).unwrap(), std::fs::read(b.join(f)).unwrap());
        assert!(x == y, "{f} differs between 1 and 2 threads");
    }
    assert!(partials(&dir).is_empty(), "{:?}", partials(&dir));

    // summary.json is what --format json prints, with the record added to the manifest.
    let printed: serde_json::Value = serde_json::from_slice(&one.stdout).unwrap();
    let mut saved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(a.join("summary.json")).unwrap()).unwrap();
    let manifest = saved["manifest"].as_object_mut().unwrap();
    let command = manifest.remove("command").expect("command");
    assert_eq!(
        command.as_str().unwrap(),
        "subsoil run ukraine-final-2025 --paths 3000 --seed 5 --sampler lhs"
    );
    let inputs = manifest.remove("inputs").expect("inputs");
    let inputs = inputs.as_array().unwrap();
    assert!(inputs.len() > 20, "{}", inputs.len());
    for key in ["name", "distribution", "median", "unit", "field", "provenance", "source"] {
        assert!(inputs[0].get(key).is_some(), "input without {key}: {}", inputs[0]);
    }
    let map = manifest.remove("map").expect("map");
    assert_eq!(map["areas"].as_array().unwrap().len(), 27, "Ukraine's oblasts");
    let deposits = map["deposits"].as_array().unwrap();
    assert!(deposits.len() > 20, "{}", deposits.len());
    assert!(
        deposits
            .iter()
            .all(|d| d["lon"].as_f64().unwrap() > 22.0 && d["lat"].as_f64().unwrap() > 44.0)
    );
    let deal = manifest.remove("deal").expect("deal terms");
    assert!(deal["aid_given_nominal"].as_f64().unwrap() > 1e9, "{deal}");
    // Only the saved summary counts each metric's paths in bins, for the report's histograms.
    let histograms = saved.as_object_mut().unwrap().remove("histograms").expect("histograms");
    let partner = &histograms["partner-receipts"];
    let counted: u64 =
        partner["counts"].as_array().unwrap().iter().map(|c| c.as_u64().unwrap()).sum();
    assert_eq!(counted + partner["overflow"].as_u64().unwrap(), 3000, "{partner}");
    assert_eq!(saved, printed);

    // The CSV files are tidy and complete.
    let series = std::fs::read_to_string(a.join("series.csv")).unwrap();
    assert!(series.starts_with("series,unit,year,statistic,value\n"), "{series}");
    assert!(series.contains("\npartner-receipts-cumulative,\"USD (real, base year)\",2030,p90,"));
    let projects = std::fs::read_to_string(a.join("projects.csv")).unwrap();
    let rows = printed["projects"].as_array().unwrap().len();
    assert_eq!(projects.lines().count(), rows + 1);
    let inputs_csv = std::fs::read_to_string(a.join("inputs.csv")).unwrap();
    assert!(
        inputs_csv
            .starts_with("name,distribution,p5,median,mean,p95,unit,field,provenance,source\n")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_deterministic_run_saves_the_yearly_csv_byte_for_byte() {
    let dir = scratch("out-deterministic");
    let out = dir.join("base");
    run_ok(&["run", "--deterministic", "--out", out.to_str().unwrap()]);
    let printed = run_ok(&["run", "--deterministic", "--yearly", "--format", "csv"]);
    assert!(std::fs::read(out.join("yearly.csv")).unwrap() == printed.stdout);
    assert_eq!(files(&out), ["inputs.csv", "projects.csv", "summary.json", "yearly.csv"]);
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["manifest"]["mode"], "deterministic");
    assert_eq!(summary["manifest"]["command"], "subsoil run ukraine-final-2025 --deterministic");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_folder_that_is_not_empty_is_refused_unless_forced() {
    let dir = scratch("out-nonempty");
    let out = dir.join("results");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("mine.txt"), "keep me").unwrap();
    let refused = subsoil(&["run", "--paths", "100", "--out", out.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused.stderr));
    assert!(refused.stdout.is_empty());
    assert!(text(&refused.stderr).contains("--force"), "{}", text(&refused.stderr));
    assert_eq!(files(&out), ["mine.txt"]);
    assert!(partials(&dir).is_empty());

    run_ok(&["run", "--paths", "100", "--out", out.to_str().unwrap(), "--force"]);
    assert!(files(&out).contains(&"summary.json".to_string()));
    assert!(!files(&out).contains(&"mine.txt".to_string()));

    // An empty folder is used as it is.
    let empty = dir.join("empty");
    std::fs::create_dir(&empty).unwrap();
    run_ok(&["run", "--paths", "100", "--out", empty.to_str().unwrap()]);
    assert!(files(&empty).contains(&"summary.json".to_string()));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_unusable_folder_is_bad_input() {
    let dir = scratch("out-bad");
    let file = dir.join("a-file");
    std::fs::write(&file, "x").unwrap();
    for target in [file.clone(), dir.join("missing").join("results")] {
        let out = subsoil(&["run", "--paths", "100", "--out", target.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{target:?}: {}", text(&out.stderr));
        assert!(out.stdout.is_empty());
    }
    let forced = subsoil(&["run", "--paths", "100", "--force"]);
    assert_eq!(forced.status.code(), Some(2), "--force without --out");
    assert!(partials(&dir).is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn compare_writes_its_files() {
    let dir = scratch("out-compare");
    let out = dir.join("versions");
    run_ok(&[
        "compare",
        "ukraine-mar-2025-draft",
        "ukraine-final-2025",
        "--paths",
        "500",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(files(&out), ["inputs.csv", "metrics.csv", "report.html", "summary.json"]);
    let page = std::fs::read(out.join("report.html")).unwrap();
    let html = String::from_utf8_lossy(&page);
    for id in ["headline", "when", "how-much", "differences", "manifest"] {
        assert!(html.contains(&format!("data-section=\"{id}\"")), "section {id} missing");
    }
    std::fs::remove_file(out.join("report.html")).unwrap();
    run_ok(&["report", out.to_str().unwrap()]);
    assert!(std::fs::read(out.join("report.html")).unwrap() == page, "re-rendered page differs");
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(
        summary["manifest"]["command"],
        "subsoil compare ukraine-mar-2025-draft ukraine-final-2025 --paths 500 --seed 1 --sampler random"
    );
    assert!(summary["manifest"]["scenarios"][1]["inputs"].as_array().unwrap().len() > 20);
    let metrics = std::fs::read_to_string(out.join("metrics.csv")).unwrap();
    assert!(metrics.contains("\nukraine-final-2025,metric,partner-receipts,"), "{metrics}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Starts a long run into `out`, waits until its partial folder exists and a second has passed, and
/// stops it with `signal` (`INT` or `KILL`).
fn interrupt(out: &Path, signal: &str) {
    let parent = out.parent().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_subsoil"))
        .args(["run", "--paths", "2000000", "--threads", "1", "--out", out.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("subsoil starts");
    let start = Instant::now();
    while partials(parent).is_empty() && start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(partials(parent).len(), 1, "the run makes its partial folder");
    std::thread::sleep(Duration::from_secs(1));
    assert!(child.try_wait().unwrap().is_none(), "the run is still going after a second");
    let pid = child.id().to_string();
    let sent = Command::new("kill").args([&format!("-{signal}"), &pid]).status().expect("kill");
    assert!(sent.success());
    let status = child.wait().unwrap();
    assert!(!status.success(), "{signal}: {status:?}");
    assert!(!out.exists(), "{signal} left {out:?}");
}

#[test]
fn an_interrupted_run_leaves_no_folder_and_the_next_run_cleans_up() {
    let dir = scratch("out-interrupted");
    let out = dir.join("results");
    for signal in ["INT", "KILL"] {
        interrupt(&out, signal);
        assert_eq!(partials(&dir).len(), 1, "{signal}: the dead run's partial folder is left");
        run_ok(&["run", "--paths", "100", "--out", out.to_str().unwrap()]);
        assert!(partials(&dir).is_empty(), "{signal}: {:?}", partials(&dir));
        assert!(files(&out).contains(&"summary.json".to_string()));
        std::fs::remove_dir_all(&out).unwrap();
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn subsoil_report_re_renders_the_page_byte_for_byte() {
    let dir = scratch("out-report");
    let out = dir.join("run");
    run_ok(&["run", "--paths", "1000", "--seed", "3", "--out", out.to_str().unwrap()]);
    let page = std::fs::read(out.join("report.html")).unwrap();
    let html = String::from_utf8(page.clone()).unwrap();
    for id in [
        "headline",
        "when",
        "how-much",
        "fans",
        "histograms",
        "projects",
        "map",
        "assumptions",
        "manifest",
    ] {
        assert!(html.contains(&format!("data-section=\"{id}\"")), "section {id} missing");
    }
    assert!(html.contains("subsoil run ukraine-final-2025 --paths 1000 --seed 3 --sampler random"));
    assert!(!html.contains("<script"), "the report needs no script");
    for external in ["src=\"http", "href=\"//", "@import", "url(http"] {
        assert!(!html.contains(external), "the report loads {external}");
    }
    std::fs::remove_file(out.join("report.html")).unwrap();
    let again = subsoil(&["report", out.to_str().unwrap()]);
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(std::fs::read(out.join("report.html")).unwrap() == page, "re-rendered page differs");
    assert_eq!(files(&out).len(), 5, "{:?}", files(&out));

    // A folder without a Monte Carlo summary is bad input, and nothing is written.
    let base = dir.join("base");
    run_ok(&["run", "--deterministic", "--out", base.to_str().unwrap()]);
    for (folder, words) in [(base.clone(), "Monte Carlo"), (dir.join("nothing"), "summary.json")] {
        let refused = subsoil(&["report", folder.to_str().unwrap()]);
        assert_eq!(refused.status.code(), Some(2), "{}", text(&refused.stderr));
        assert!(text(&refused.stderr).contains(words), "{}", text(&refused.stderr));
    }
    assert!(!base.join("report.html").exists());
    let broken = dir.join("broken");
    std::fs::create_dir(&broken).unwrap();
    std::fs::write(broken.join("summary.json"), "{ not json").unwrap();
    let refused = subsoil(&["report", broken.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused.stderr));
    assert_eq!(files(&broken), ["summary.json"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_scenario_names_its_own_boundaries_for_the_map() {
    // One copper mine in a made-up country of two areas: with `deposits.boundaries` the saved summary
    // carries those areas and the deposit placed at its site; without it there is no map.
    let dir = scratch("own-boundaries");
    let square =
        |x: f64| format!("[[[{x}, 0], [{}, 0], [{}, 1], [{x}, 1], [{x}, 0]]]", x + 1.0, x + 1.0);
    std::fs::write(
        dir.join("areas.geojson"),
        format!(
            "{{\"type\": \"FeatureCollection\", \"features\": [\
             {{\"type\": \"Feature\", \"properties\": {{\"name\": \"West\"}}, \"geometry\": {{\"type\": \"Polygon\", \"coordinates\": {}}}}},\
             {{\"type\": \"Feature\", \"properties\": {{\"name\": \"East\"}}, \"geometry\": {{\"type\": \"Polygon\", \"coordinates\": {}}}}}]}}",
            square(10.0),
            square(11.0)
        ),
    )
    .unwrap();
    let mine = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../subsoil-engine/tests/data/minimal/one-mine.toml"
    ))
    .unwrap();
    let with = mine.replace(
        "[deposits.sites.hill]\n",
        "[deposits]\nboundaries = \"areas.geojson\"\nboundaries-source = \"two squares drawn for this test\"\n[deposits.sites.hill]\nregion = \"East\"\nlat = 0.5\nlon = 11.25\n",
    );
    std::fs::write(dir.join("with.toml"), with).unwrap();
    std::fs::write(dir.join("without.toml"), &mine).unwrap();
    for (file, map) in [("with.toml", true), ("without.toml", false)] {
        let out = dir.join(format!("out-{file}"));
        let r = subsoil(&[
            "run",
            dir.join(file).to_str().unwrap(),
            "--paths",
            "200",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(r.status.success(), "{}", text(&r.stderr));
        let saved: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
        let m = &saved["manifest"]["map"];
        let html = std::fs::read_to_string(out.join("report.html")).unwrap();
        if map {
            let names: Vec<&str> = m["areas"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["name"].as_str().unwrap())
                .collect();
            assert_eq!(names, ["West", "East"]);
            assert_eq!(m["boundaries_source"], "two squares drawn for this test");
            assert_eq!(m["deposits"][0]["id"], "hill");
            assert_eq!(
                (m["deposits"][0]["lon"].as_f64(), m["deposits"][0]["located"].as_str()),
                (Some(11.25), Some("site"))
            );
            assert!(!html.contains("No map"), "the report draws the map");
            let receipts = m["deposits"][0]["receipts_mean"].as_f64().unwrap();
            assert_eq!(Some(receipts), saved["projects"][0]["receipts_mean"].as_f64());
            assert!(receipts > 0.0, "the mine pays royalty and tax");
        } else {
            assert!(m.is_null(), "{m}");
            assert!(html.contains("No map: the scenario names no boundaries"));
        }
    }
}

#[test]
fn the_reports_captions_say_what_the_charts_draw() {
    // The map's circles are the mean receipts over the paths (its legend said "in the base case"), and
    // the receipts chart's caption names no deal (it said "The final agreement's fund takes a share of
    // the new ones only" under every scenario, the Sicomines JV's too).
    let dir = scratch("out-captions");
    for (scenario, has_map) in [("ukraine-mar-2025-draft", true), ("drc-sicomines-2024", false)] {
        let out = dir.join(scenario);
        run_ok(&["run", scenario, "--paths", "500", "--out", out.to_str().unwrap()]);
        let page = String::from_utf8(std::fs::read(out.join("report.html")).unwrap()).unwrap();
        assert!(!page.contains("The final agreement's fund takes"), "{scenario}");
        assert!(page.contains("from the licences the scenario's deal counts as new"), "{scenario}");
        assert!(!page.contains("projects in the base case."), "{scenario}");
        let legend = "Circle area: the state&#39;s receipts from the deposit&#39;s projects, the mean over the paths.";
        assert_eq!(page.contains(legend), has_map, "{scenario}");
    }
}
