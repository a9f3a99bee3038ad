//! `subsoil compare` as a user meets it: the four built-in deals side by side, the JSON a script reads,
//! the same bytes on any number of threads, a deal variant written as a two-line file, and bad input
//! refused with exit status 2 and nothing on standard output.

mod common;

use common::{scratch, subsoil, text};

use std::process::Output;

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

const DEALS: [&str; 4] = [
    "ukraine-feb-2025-draft",
    "ukraine-feb-2025-framework",
    "ukraine-mar-2025-draft",
    "ukraine-final-2025",
];

/// Paths for the thread-count test: in release builds (as the CI runs the tests) three blocks, the last
/// one partial, so Latin hypercube and Sobol errors come from the spread between blocks; in debug
/// builds, many times slower, a single partial block.
const PATHS: &str = if cfg!(debug_assertions) { "1000" } else { "9000" };

#[test]
fn the_four_deals_print_side_by_side_with_differences_from_the_first() {
    let mut args = vec!["compare"];
    args.extend(DEALS);
    args.extend(["--paths", "200", "--details"]);
    let out = subsoil(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    // Columns drop the shared `ukraine-` prefix; the legend gives the full names.
    let header = s.lines().find(|l| l.starts_with("Deal")).expect("the deal section");
    for label in ["feb-2025-draft", "feb-2025-framework", "mar-2025-draft", "final-2025"] {
        assert!(header.contains(label), "{header}");
    }
    for name in DEALS {
        assert!(s.lines().any(|l| l.trim_start().starts_with(&name[8..]) && l.contains(name)));
    }
    for want in [
        "Comparison of 4 scenarios on common random numbers — Monte Carlo, 200 paths",
        "partner-receipts ($m)",
        "partner-npv ($m)",
        "partner-capital ($m nominal)",
        "host-payments-max-gdp-share (%)",
        "fund-value ($m)",
        "partner-first-distribution",
        "Δ mean ± paired (unpaired)",
        "Projects and the state's receipts",
    ] {
        assert!(s.contains(want), "the table lacks {want:?}:\n{s}");
    }
    // The $500bn target exists only in the February draft: a figure there, "—" under the other three.
    let target = s.lines().find(|l| l.starts_with("P(partner-target-reached)")).expect("target");
    assert_eq!(target.matches('—').count(), 3, "{target}");
    assert!(target.contains('%'), "{target}");
    // The first column has no difference; the other three have one each.
    let diff = s.lines().find(|l| l.contains("Δ mean ± paired (unpaired)")).expect("Δ row");
    assert_eq!(diff.matches(" ± ").count(), 4, "{diff}");
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

#[test]
fn the_four_deals_fit_120_columns_one_line_an_output() {
    let mut args = vec!["compare"];
    args.extend(DEALS);
    args.extend(["--paths", "200"]);
    let out = subsoil(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    let widest = s.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(widest <= 120, "a line of {widest} characters:\n{s}");
    // One line an output: the mean and its error under each version.
    let receipts = s.lines().find(|l| l.starts_with("partner-receipts ($m)")).expect("row");
    assert_eq!(receipts.matches(" ±").count(), 4, "{receipts}");
    assert!(!s.contains("Δ mean"), "differences only with --details");
    assert!(s.lines().count() < 60, "{} lines", s.lines().count());
}

#[test]
fn json_has_the_manifest_each_scenario_and_the_differences() {
    let mut args = vec!["compare"];
    args.extend(&DEALS[1..]);
    args.extend(["--paths", "300", "--seed", "4", "--format", "json"]);
    let v = json(&subsoil(&args));
    let m = &v["manifest"];
    assert_eq!(m["mode"], "compare");
    assert_eq!(m["seed"], 4);
    assert_eq!(m["paths"], 300);
    assert_eq!(m["sampler"], "random");
    assert_eq!(m["block_size"], 4096);
    assert_eq!(m["se_method"], "iid");
    assert!(m["subsoil_version"].is_string());
    assert!(m.get("threads").is_none(), "the thread count must not be in the output");
    let ids = m["scenarios"].as_array().expect("scenarios in the manifest");
    assert_eq!(ids.len(), 3);
    for (id, name) in ids.iter().zip(&DEALS[1..]) {
        assert_eq!(id["scenario"], *name);
        assert_eq!(id["scenario_hash"].as_str().map(str::len), Some(16), "{id}");
    }
    let scenarios = v["scenarios"].as_array().expect("scenarios");
    assert_eq!(scenarios.len(), 3);
    for s in scenarios {
        let receipts = &s["metrics"]["partner-receipts"];
        for key in ["mean", "se", "p10", "p50", "p90"] {
            assert!(receipts[key].is_number(), "{}: partner-receipts lacks {key}", s["scenario"]);
        }
        assert!(s["probabilities"]["partner-aid-repaid"]["ci95"].is_array());
        assert!(s["events"]["partner-first-distribution"]["by_horizon"]["p"].is_number());
    }
    let diffs = v["differences"].as_array().expect("differences");
    assert_eq!(diffs.len(), 2);
    for (d, name) in diffs.iter().zip(&DEALS[2..]) {
        assert_eq!(d["scenario"], *name);
        assert_eq!(d["from"], DEALS[1]);
        let x = &d["metrics"]["host-payments"];
        for key in ["n", "mean", "se_paired", "se_unpaired"] {
            assert!(x[key].is_number(), "host-payments lacks {key}: {x}");
        }
        // The difference is the difference of the two columns' means, up to rounding.
        let mean =
            |i: usize| scenarios[i]["metrics"]["host-payments"]["mean"].as_f64().expect("mean");
        let i = if *name == DEALS[2] { 1 } else { 2 };
        let got = x["mean"].as_f64().expect("mean");
        assert!((got - (mean(i) - mean(0))).abs() <= 1e-9 * mean(0).abs().max(1.0), "{x}");
        assert!(d["probabilities"]["ceasefire-by-2030"]["se_paired"].is_number());
        assert!(d["events"]["ceasefire"]["mean"].is_number());
    }
}

#[test]
fn a_scenario_compared_with_itself_shows_differences_of_exactly_zero() {
    let v = json(&subsoil(&[
        "compare",
        "ukraine-final-2025",
        "ukraine-final-2025",
        "--paths",
        "300",
        "--format",
        "json",
    ]));
    let d = &v["differences"][0];
    let mut seen = 0;
    for section in ["metrics", "probabilities", "events"] {
        for (name, x) in d[section].as_object().expect("section") {
            assert_eq!(x["mean"].as_f64(), Some(0.0), "{section} {name}");
            assert_eq!(x["se_paired"].as_f64(), Some(0.0), "{section} {name}");
            seen += 1;
        }
    }
    assert!(seen > 20, "only {seen} differences");
    assert!(d["metrics"]["partner-receipts"]["se_unpaired"].as_f64().is_some_and(|x| x > 0.0));
}

#[test]
fn the_same_seed_prints_the_same_bytes_on_one_and_two_threads() {
    for (format, sampler) in [("json", "lhs"), ("table", "sobol")] {
        let args = |threads| {
            let mut a = vec!["compare", "ukraine-mar-2025-draft", "ukraine-final-2025"];
            a.extend(["--paths", PATHS, "--seed", "11", "--sampler", sampler]);
            a.extend(["--format", format, "--threads", threads]);
            a
        };
        let one = subsoil(&args("1"));
        let two = subsoil(&args("2"));
        assert!(one.status.success(), "{}", text(&one.stderr));
        assert!(
            one.stdout == two.stdout,
            "{format}/{sampler}: output differs between 1 and 2 threads"
        );
        if format == "json" {
            let v: serde_json::Value = serde_json::from_slice(&one.stdout).expect("json");
            // Two full blocks of 4,096 give between-block errors; fewer give none (a stratified sample).
            let method = if PATHS == "9000" { "between-blocks" } else { "none" };
            assert_eq!(v["manifest"]["se_method"], method);
        }
    }
}

#[test]
fn a_deal_variant_written_as_a_file_is_compared_with_its_base() {
    // The example of `subsoil compare --help`: the final agreement with distributions from 2030.
    let dir = scratch("variant");
    let path = dir.join("my-final-variant.toml");
    std::fs::write(
        &path,
        "format-version = 1\nextends = \"ukraine-final-2025\"\n[metadata]\nname = \"final-lock-up-2030\"\n[deal]\nlock-up-until = 2030\n",
    )
    .expect("write");
    let v = json(&subsoil(&[
        "compare",
        "ukraine-final-2025",
        path.to_str().expect("utf-8 path"),
        "--paths",
        "400",
        "--seed",
        "3",
        "--format",
        "json",
    ]));
    let x = &v["differences"][0]["metrics"]["partner-receipts"];
    let (mean, paired, unpaired) = (
        x["mean"].as_f64().expect("mean"),
        x["se_paired"].as_f64().expect("se"),
        x["se_unpaired"].as_f64().expect("se"),
    );
    // Measured with seed 3: the lock-up moves the partner's receipts by about 30 paired standard
    // errors, and the paired error is about a third of the unpaired one; 5 and 0.6 leave wide margins.
    assert!(mean.abs() > 5.0 * paired, "{x}");
    assert!(paired < 0.6 * unpaired, "{x}");
    assert_eq!(v["manifest"]["scenarios"][1]["scenario"], "final-lock-up-2030");
}

#[test]
fn bad_input_is_refused_with_exit_status_2_and_nothing_on_stdout() {
    let dir = scratch("bad");
    let broken = dir.join("broken.toml");
    std::fs::write(
        &broken,
        "format-version = 1\nextends = \"ukraine-final-2025\"\n[fiscal]\ncit-rate = 18\n",
    )
    .expect("write");
    let broken = broken.to_str().expect("utf-8 path");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["compare", "ukraine-final-2025"], "SCENARIO"),
        (vec!["compare", "ukraine-final-2025", "no-such-scenario"], "ukraine-mar-2025-draft"),
        (vec!["compare", "ukraine-final-2025", broken], "fiscal.cit-rate"),
        (
            vec!["compare", "ukraine-final-2025", "ukraine-mar-2025-draft", "--paths", "0"],
            "--paths",
        ),
        (
            vec!["compare", "ukraine-final-2025", "ukraine-mar-2025-draft", "--sampler", "halton"],
            "possible values: random, lhs, sobol",
        ),
        (
            vec![
                "compare",
                "ukraine-final-2025",
                "ukraine-mar-2025-draft",
                "--set",
                "rates.valuation=12",
            ],
            "rates.valuation",
        ),
        (
            vec!["compare", "ukraine-final-2025", "ukraine-mar-2025-draft", "--format", "yaml"],
            "--format",
        ),
    ];
    for (args, want) in cases {
        let out = subsoil(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
        assert!(out.stdout.is_empty(), "{args:?}: nothing may be written on bad input");
        let err = text(&out.stderr);
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn run_by_a_discrete_input_reports_each_case_beside_the_mixture() {
    // The final agreement credits new US military aid at 0, 0.5bn or 2bn a year (50/30/20%) for five
    // years (2026-2030) on top of the partner's 75m of cash: its capital account is 75m, 2,575m or
    // 10,075m in the three cases, whatever else happens on a path.
    let out =
        subsoil(&["run", "--by", "deal.credits[0].per-year", "--paths", "500", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v = json(&out);
    let scenarios = v["scenarios"].as_array().expect("scenarios");
    let names: Vec<&str> = scenarios.iter().map(|s| s["scenario"].as_str().unwrap()).collect();
    assert_eq!(names, ["all cases", "0 (50%)", "5e8 (30%)", "2e9 (20%)"]);
    let capital = |k: usize| scenarios[k]["metrics"]["partner-capital"]["mean"].as_f64().unwrap();
    for (k, want) in [(1, 75e6), (2, 2_575e6), (3, 10_075e6)] {
        assert!((capital(k) - want).abs() < 1e-3, "{}: {} vs {want}", names[k], capital(k));
    }
    // The credits change nothing the host pays: the same paths give the same payments in every case.
    let host = |k: usize| scenarios[k]["metrics"]["host-payments"]["mean"].as_f64().unwrap();
    assert_eq!(host(1), host(3));
    for bad in [&["run", "--by", "rates.investor-base"][..], &["run", "--by", "no.such.input"][..]]
    {
        let out = subsoil(bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(out.stdout.is_empty());
    }
}

const EXPLAIN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../subsoil-engine/tests/data/explain");

#[test]
fn explain_shares_the_difference_among_the_terms_that_differ() {
    let (a, b) = (format!("{EXPLAIN}/a.toml"), format!("{EXPLAIN}/b.toml"));
    let out = subsoil(&["compare", &a, &b, "--explain", "--paths", "300", "--format", "json"]);
    let v = json(&out);
    assert_eq!(v["manifest"]["mode"], "explain");
    assert_eq!(v["manifest"]["terms"], serde_json::json!(["deal.cash", "deal.credits"]));
    assert_eq!(v["manifest"]["mixtures"], 4);
    let capital = &v["outputs"]["partner-capital"];
    let cash = capital["terms"]["deal.cash"]["mean"].as_f64().expect("number");
    assert!((cash - 100e6).abs() < 1e-3, "{cash}");
    let total = capital["difference"]["mean"].as_f64().expect("number");
    let credits = capital["terms"]["deal.credits"]["mean"].as_f64().expect("number");
    assert!((cash + credits - total).abs() < 1e-3 * total.abs(), "{cash} + {credits} vs {total}");
    let out = subsoil(&["compare", &a, &b, "--explain", "--paths", "100"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(s.contains("Terms that differ: deal.cash, deal.credits"), "{s}");
    assert!(s.contains("A = explain-a, B = "), "{s}");
    assert!(
        s.lines().any(|l| l.trim_start().starts_with("deal.cash") && l.contains("+100.0")),
        "{s}"
    );
}

#[test]
fn explain_refuses_other_than_two_scenarios_and_invalid_mixtures() {
    let a = format!("{EXPLAIN}/a.toml");
    let out = subsoil(&["compare", &a, &a, &a, "--explain", "--paths", "10"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).contains("exactly two scenarios"));
    let dir = scratch("explain-invalid");
    let b = dir.join("eu.toml");
    std::fs::write(
        &b,
        format!(
            "format-version = 1\nextends = {a:?}\n[metadata]\nname = \"eu\"\n[deal.parties.eu]\nname = \"EU\"\n[[deal.tiers]]\nkind = \"rest\"\nparty = \"eu\"\n"
        ),
    )
    .expect("write");
    let out = subsoil(&["compare", &a, b.to_str().expect("utf-8"), "--explain", "--paths", "10"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = text(&out.stderr);
    assert!(err.contains("1 of the 4 mixtures"), "{err}");
    assert!(err.contains("with deal.tiers from"), "{err}");
}

#[test]
fn compare_by_a_discrete_input_splits_every_scenario_that_has_it() {
    // The March draft has no military-aid credits, so it stays one column; the final agreement is shown
    // as it is and then once per credit case (0, 0.5bn, 2bn a year; 50/30/20%), on common random
    // numbers. Each case fixes the partner's capital account (75m, 2,575m, 10,075m: see run --by), and
    // the mixture's mean is the cases' means weighted by their probabilities within four of its
    // standard errors (the mixture draws the case on each path; the weights are the probabilities only
    // in expectation).
    let out = subsoil(&[
        "compare",
        "ukraine-mar-2025-draft",
        "ukraine-final-2025",
        "--by",
        "deal.credits[0].per-year",
        "--paths",
        "500",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v = json(&out);
    let scenarios = v["scenarios"].as_array().expect("scenarios");
    let names: Vec<&str> = scenarios.iter().map(|s| s["scenario"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "ukraine-mar-2025-draft",
            "ukraine-final-2025",
            "final-2025 0 (50%)",
            "final-2025 5e8 (30%)",
            "final-2025 2e9 (20%)"
        ]
    );
    let metric = |k: usize, m: &str, stat: &str| scenarios[k]["metrics"][m][stat].as_f64().unwrap();
    for (k, want) in [(2, 75e6), (3, 2_575e6), (4, 10_075e6)] {
        let got = metric(k, "partner-capital", "mean");
        assert!((got - want).abs() < 1e-3, "{}: {got} vs {want}", names[k]);
    }
    let mixed = 0.5 * 75e6 + 0.3 * 2_575e6 + 0.2 * 10_075e6;
    let (mean, se) = (metric(1, "partner-capital", "mean"), metric(1, "partner-capital", "se"));
    assert!((mean - mixed).abs() <= 4.0 * se, "{mean} vs {mixed} (se {se})");
    // The host's payments do not depend on the credits: the same in every case, path by path.
    assert_eq!(metric(1, "host-payments", "mean"), metric(4, "host-payments", "mean"));
    // An input no scenario has, and a continuous one, are refused with status 2 and nothing on stdout.
    for input in ["no.such.input", "rates.investor-base"] {
        let out =
            subsoil(&["compare", "ukraine-mar-2025-draft", "ukraine-final-2025", "--by", input]);
        assert_eq!(out.status.code(), Some(2), "{input}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn scenarios_in_different_dollars_or_years_are_refused_naming_both() {
    // The Ukrainian deal is in 2026 dollars over 2026-2075, the Sicomines deal in 2008 dollars over
    // 2008-2042: a table headed by the first one's dollars and years, or their differences, would mix
    // them.
    let dir = scratch("calendars");
    let out_dir = dir.join("out");
    let out_arg = out_dir.to_str().expect("utf-8 path");
    for extra in [&[][..], &["--details"], &["--format", "json"], &["--out", out_arg]] {
        let mut args = vec!["compare", "ukraine-final-2025", "drc-sicomines-2024", "--paths", "64"];
        args.extend(extra);
        let out = subsoil(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?} wrote to stdout");
        let err = text(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains(
                "compare needs scenarios measured in the same dollars and years: ukraine-final-2025 is \
                 in 2026 US dollars over 2026-2075, drc-sicomines-2024 in 2008 US dollars over \
                 2008-2042; run them separately with `subsoil run`"
            ),
            "{err}"
        );
    }
    // Nothing written, not even a partial folder.
    assert_eq!(std::fs::read_dir(&dir).expect("dir").count(), 0);
    // A horizon alone is enough to differ.
    let path = dir.join("shorter.toml");
    std::fs::write(
        &path,
        "format-version = 1\nextends = \"ukraine-final-2025\"\n[metadata]\nname = \"final-to-2060\"\n[time]\nhorizon-years = 35\n",
    )
    .expect("write");
    let out = subsoil(&[
        "compare",
        "ukraine-final-2025",
        path.to_str().expect("utf-8 path"),
        "--paths",
        "64",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = text(&out.stderr);
    assert!(err.contains("final-to-2060 in 2026 US dollars over 2026-2060"), "{err}");
}

#[test]
fn the_means_table_writes_probabilities_as_run_does_never_a_bare_zero() {
    // No path of 256 repays the aid under the final agreement, and every one has new receipts by
    // 2035: bounds of the 95% interval, as `run` writes them, not "0%" and "100%".
    let args = ["ukraine-mar-2025-draft", "ukraine-final-2025", "--paths", "256"];
    let out = subsoil(&[&["compare"][..], &args].concat());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    let row = |name: &str| {
        s.lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("{name}:\n{s}"))
            .to_string()
    };
    let repaid = row("P(partner-aid-repaid)");
    assert_eq!(repaid.matches("< 1.5% (95%)").count(), 2, "{repaid}");
    let receipts = row("P(new-receipts-by-2035)");
    assert_eq!(receipts.matches("> 98.5% (95%)").count(), 2, "{receipts}");
    for line in [&repaid, &receipts] {
        assert!(!line.contains(" 0%") && !line.contains(" 100%"), "{line}");
    }
    // The same words as `run` for the same probability.
    let run = subsoil(&["run", "ukraine-final-2025", "--paths", "256"]);
    let run = text(&run.stdout);
    let ceasefire = run.lines().find(|l| l.starts_with("P(ceasefire-by-2030)")).expect("row");
    let estimate = ceasefire.trim_start_matches("P(ceasefire-by-2030)").trim();
    assert!(row("P(ceasefire-by-2030)").ends_with(estimate), "{estimate}\n{s}");
}
