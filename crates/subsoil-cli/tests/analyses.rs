//! `subsoil sensitivity`, `subsoil run --until-se` and `subsoil solve` as a user meets them, on the
//! one-mine scenario of the engine's sensitivity tests, whose revenue is 12 years × long-run price ×
//! capacity (`crates/subsoil-engine/tests/data/sensitivity/one-mine.toml`).

mod common;

use common::{subsoil, text};

const MINE: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../subsoil-engine/tests/data/sensitivity/one-mine.toml");

fn json(args: &[&str]) -> serde_json::Value {
    let out = subsoil(args);
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

fn f(v: &serde_json::Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// Bad arguments: exit status 2, a message naming what is wrong, nothing on stdout.
fn refused(args: &[&str], says: &str) {
    let out = subsoil(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    assert!(out.stdout.is_empty(), "{args:?} wrote to stdout");
    let err = text(&out.stderr);
    assert!(err.contains(says), "{args:?}: {err}");
}

#[test]
fn solve_finds_the_capacity_that_gives_the_revenue_asked_for() {
    // With the long-run price fixed at $9,000/t, revenue is 12 × 9,000 × capacity on every path, so
    // revenue = $4.32bn at a capacity of 4.32e9 / 108,000 = 40,000 t/yr.
    let v = json(&[
        "solve",
        MINE,
        "--set",
        "products.copper.long-run=9000",
        "--vary",
        "projects.hill-mine.products.copper.capacity",
        "--range",
        "10000..100000",
        "--target",
        "mean(revenue) = 4.32bn",
        "--paths",
        "300",
        "--tol",
        "1",
        "--format",
        "json",
    ]);
    assert_eq!(v["reachable"], true);
    let root = f(&v["root"]);
    assert!((root - 40_000.0).abs() <= 1.0, "{root}");
    let [a, b] = [f(&v["bracket"][0]), f(&v["bracket"][1])];
    assert!(a <= 40_000.0 && 40_000.0 <= b && b - a <= 1.0, "{a} {b}");
    assert_eq!(v["statistic"], "mean(revenue)");
    // The statistic at both ends: 108,000 × 10,000 and × 100,000.
    assert!((f(&v["ends"][0]["estimate"]["value"]) - 1.08e9).abs() < 1.0);
    assert!((f(&v["ends"][1]["estimate"]["value"]) - 1.08e10).abs() < 10.0);

    // A target out of reach is said so, with the statistic at both ends, and is not an error.
    let out = subsoil(&[
        "solve",
        MINE,
        "--set",
        "products.copper.long-run=9000",
        "--vary",
        "projects.hill-mine.products.copper.capacity",
        "--range",
        "10000..100000",
        "--target",
        "revenue = $1tn",
        "--paths",
        "100",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(
        s.contains("Not reachable in range: mean(revenue) ($m) does not cross 1,000,000.0"),
        "{s}"
    );
    // Money as the run table writes it: $m with thousands separators.
    assert!(
        s.contains("(LO): mean(revenue) ($m) = 1,080.0 ± 0.0")
            && s.contains("(HI): mean(revenue) ($m) = 10,800.0 ± 0.0"),
        "{s}"
    );
}

#[test]
fn solve_finds_where_a_probability_crosses_its_target() {
    // Output starts after the build, rounded to whole years, from 2026: by 2030 only when the build
    // takes at most 4 years, so P(new mine by 2030) drops from 1 to 0 between 4 and 5 years (at 4.5,
    // where the rounding turns).
    let v = json(&[
        "solve",
        MINE,
        "--vary",
        "projects.hill-mine.construction-years",
        "--range",
        "0..10",
        "--target",
        "P(new-mine-by-2030) = 50%",
        "--paths",
        "200",
        "--format",
        "json",
    ]);
    let root = f(&v["root"]);
    assert!((4.0..=5.0).contains(&root), "{root}");
    assert_eq!(f(&v["ends"][0]["estimate"]["value"]), 1.0);
    assert_eq!(f(&v["ends"][1]["estimate"]["value"]), 0.0);
}

#[test]
fn solve_refuses_bad_arguments_with_status_2() {
    let base = ["solve", MINE, "--paths", "10"];
    let with =
        |extra: &[&'static str]| -> Vec<&str> { base.iter().chain(extra).copied().collect() };
    let cap = "projects.hill-mine.products.copper.capacity";
    refused(
        &with(&["--vary", "nope.x", "--range", "0..1", "--target", "revenue = 1"]),
        "no such field",
    );
    refused(
        &with(&["--vary", cap, "--range", "5..1", "--target", "revenue = 1"]),
        "LO must be below HI",
    );
    refused(
        &with(&["--vary", cap, "--range", "1..x", "--target", "revenue = 1"]),
        "is not a number",
    );
    refused(
        &with(&["--vary", cap, "--range", "1..5", "--target", "revenue"]),
        "expected \"STATISTIC = VALUE\"",
    );
    refused(
        &with(&["--vary", cap, "--range", "1..5", "--target", "P(revenue) = 0.5"]),
        "is a metric",
    );
    refused(
        &with(&["--vary", cap, "--range", "1..5", "--target", "nothing = 1"]),
        "no metric or probability called `nothing`",
    );
    refused(
        &with(&["--vary", cap, "--range", "1..5", "--target", "P(new-mine-by-2030) = 2"]),
        "between 0 and 1",
    );
    // A value the field does not accept is a located error of the scenario.
    refused(&with(&["--vary", cap, "--range", "-10..5", "--target", "revenue = 1"]), cap);
}

#[test]
fn until_se_stops_at_the_first_block_boundary_past_four_where_the_error_is_small_enough() {
    // The standard error of mean revenue after k blocks of 4,096 paths, by separate runs.
    let se: Vec<f64> = (1..=8)
        .map(|k: u64| {
            let paths = (k * 4096).to_string();
            let v = json(&["run", MINE, "--paths", &paths, "--format", "json"]);
            f(&v["metrics"]["revenue"]["se"])
        })
        .collect();
    // A tolerance first met at the sixth boundary (nudged up by a part in a million).
    let tol = se[5] * (1.0 + 1e-6);
    let first = (4..=8).find(|&k| se[k - 1] <= tol).expect("the sixth qualifies");
    assert!(first > 4, "{se:?}");
    let spec = format!("revenue={tol}");
    let v = json(&["run", MINE, "--paths", "100000", "--until-se", &spec, "--format", "json"]);
    let u = &v["until_se"];
    assert_eq!(u["reached"], true);
    assert_eq!(f(&u["paths"]) as usize, first * 4096, "{se:?}");
    assert_eq!(v["metrics"]["revenue"]["se"], serde_json::json!(se[first - 1]));
    // The table says how many paths it took.
    let out = subsoil(&["run", MINE, "--paths", "100000", "--until-se", &spec]);
    let s = text(&out.stdout);
    let paths = subsoil_engine::grouped((first * 4096) as u64);
    let want = format!("--until-se: stopped after {paths} paths ({first} blocks of 4,096)");
    assert!(s.contains(&want), "{s}");
    // At the cap, it says the tolerance was not reached.
    let out = subsoil(&["run", MINE, "--paths", "20000", "--until-se", "revenue=1"]);
    let s = text(&out.stdout);
    assert!(s.contains("--until-se: not reached: the path cap of 20,000 paths (5 blocks)"), "{s}");
    assert!(s.contains(" > 1; raise --paths"), "{s}");
    // A probability with a percentage.
    let v = json(&[
        "run",
        MINE,
        "--until-se",
        "new-mine-by-2030=1%",
        "--paths",
        "100000",
        "--format",
        "json",
    ]);
    assert_eq!(v["until_se"]["blocks"], 4);
    // Without --paths the cap is 1,000,000, not the default 10,000 (fewer than the rule's four blocks):
    // the same rule stops at the same four blocks.
    let v = json(&["run", MINE, "--until-se", "new-mine-by-2030=1%", "--format", "json"]);
    assert_eq!(v["until_se"]["reached"], true);
    assert_eq!(v["until_se"]["blocks"], 4);
    assert_eq!(v["manifest"]["paths"], 16384);
    refused(
        &["run", MINE, "--until-se", "revenue=1%"],
        "a percentage tolerance is for a probability",
    );
    refused(&["run", MINE, "--until-se", "revenue"], "expected METRIC=TOL");
    refused(&["run", MINE, "--until-se", "revenue=-1"], "not a positive number");
    refused(&["run", MINE, "--deterministic", "--until-se", "revenue=1"], "for a Monte Carlo run");
    // The run without the deal has no stopping rule: refused, not ignored.
    refused(
        &["run", "--counterfactual", "no-deal", "--until-se", "capex=1e20", "--paths", "8192"],
        "without --deterministic, --by or --counterfactual",
    );
}

#[test]
fn until_se_below_four_blocks_says_the_cap_is_too_small_for_the_rule() {
    // 5,000 paths are two blocks (one of 4,096 and one of 904): the rule needs four before a standard
    // error may stop it, however small the error. The message says so, not that the error was too big.
    let spec = "revenue=1e12";
    let out = subsoil(&["run", MINE, "--paths", "5000", "--until-se", spec]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    let want = "--until-se: not reached: the path cap of 5,000 paths is fewer than the 4 blocks of \
                4,096 (16,384 paths) the rule runs before a standard error may stop it; raise --paths \
                to at least 16,384 (the standard error of mean revenue at the cap: ";
    assert!(s.contains(want), "{s}");
    assert!(s.contains("; the tolerance: 1,000,000,000,000)"), "{s}");
    assert!(!s.contains(" > "), "{s}");
    // The standard error is written with thousands separators (three significant digits), not as `1.2e7`.
    let v = json(&["run", MINE, "--paths", "5000", "--until-se", spec, "--format", "json"]);
    let u = &v["until_se"];
    assert_eq!((&u["reached"], &u["blocks"]), (&serde_json::json!(false), &serde_json::json!(2)));
    let se = f(&u["se"]);
    assert!(se > 1e3 && se < 1e12, "{se}");
    let e = se.log10().floor() as i32;
    let rounded = (se / 10f64.powi(e - 2)).round() as u64 * 10u64.pow((e - 2) as u32);
    let written = format!("at the cap: {};", subsoil_engine::grouped(rounded));
    assert!(s.contains(&written), "{written} in {s}");
}

#[test]
fn sensitivity_prints_the_three_analyses_within_120_columns_and_as_json() {
    let out = subsoil(&["sensitivity", MINE, "--metric", "revenue", "--paths", "500"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    for heading in ["Tornado:", "Rank correlations", "Sobol indices"] {
        assert!(s.contains(heading), "{heading} missing:\n{s}");
    }
    for line in s.lines() {
        assert!(line.chars().count() <= 120, "wider than 120 columns: {line}");
    }
    let v =
        json(&["sensitivity", MINE, "--metric", "revenue", "--paths", "500", "--format", "json"]);
    assert_eq!(v["metric"], "revenue");
    assert_eq!(v["tornado"]["swings"][0]["input"], "projects.hill-mine.products.copper.capacity");
    assert_eq!(v["rank_correlations"][0]["input"], "projects.hill-mine.products.copper.capacity");
    assert_eq!(v["sobol"]["factors"][0]["factor"], "projects.*.products.copper.capacity");
    assert_eq!(v["sobol"]["rows"], 500);
    // A declared group on the command line, and only the analyses asked for.
    let v = json(&[
        "sensitivity",
        MINE,
        "--metric",
        "revenue",
        "--paths",
        "200",
        "--analyses",
        "sobol",
        "--group",
        "drivers=products.copper.long-run,*.capacity",
        "--format",
        "json",
    ]);
    assert!(v.get("tornado").is_none());
    assert_eq!(v["sobol"]["factors"][0]["factor"], "drivers");
    assert_eq!(v["sobol"]["factors"][0]["declared"], true);
    // The same seed gives the same bytes.
    let args =
        ["sensitivity", MINE, "--metric", "new-mine-by-2030", "--paths", "300", "--format", "json"];
    assert_eq!(subsoil(&args).stdout, subsoil(&args).stdout);
    refused(
        &["sensitivity", MINE, "--metric", "nothing"],
        "no metric or probability called `nothing`",
    );
    refused(&["sensitivity", MINE, "--metric", "revenue", "--group", "x"], "expected NAME=PATTERN");
    refused(
        &["sensitivity", MINE, "--metric", "revenue", "--group", "x=none.*"],
        "\"none.*\" matches no uncertain input",
    );
}

#[test]
fn sensitivity_of_a_scenario_without_uncertain_inputs_runs_and_says_so_once() {
    // The Sicomines scenarios have no uncertain input: the tornado has nothing to vary, and the run
    // says so once instead of refusing a --tornado-inputs that was never given.
    let args =
        ["sensitivity", "drc-sicomines-2024", "--metric", "partner-receipts", "--paths", "64"];
    let out = subsoil(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (s, err) = (text(&out.stdout), text(&out.stderr));
    let all = format!("{s}{err}");
    assert!(!all.contains("--tornado-inputs"), "{all}");
    assert_eq!(all.matches("no uncertain inputs").count(), 1, "{all}");
    // No empty tornado or rank table.
    assert!(!s.contains("Tornado:") && !s.contains("Rank correlations"), "{s}");
    assert!(s.lines().all(|l| l.chars().count() <= 120), "{s}");
    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let out = subsoil(&json_args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(v.get("tornado").is_none() && v.get("rank_correlations").is_none(), "{v}");
    assert_eq!(text(&out.stderr).matches("no uncertain inputs").count(), 1);
    // A pattern of the user's that matches nothing is still refused.
    refused(
        &["sensitivity", MINE, "--metric", "revenue", "--tornado-inputs", "nothing.*"],
        "--tornado-inputs \"nothing.*\" matches no uncertain input",
    );
    refused(
        &[
            "sensitivity",
            "drc-sicomines-2024",
            "--metric",
            "partner-receipts",
            "--tornado-inputs",
            "deal.*",
        ],
        "--tornado-inputs \"deal.*\" matches no uncertain input",
    );
}

#[test]
fn sensitivity_says_how_many_paths_each_analysis_ran() {
    let out = subsoil(&[
        "sensitivity",
        MINE,
        "--metric",
        "revenue",
        "--analyses",
        "sobol",
        "--rows",
        "40",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(!s.contains("1000 paths"), "{s}");
    assert!(s.contains("Seed 1, random sampling; Sobol design of 40 rows ("), "{s}");
}

#[test]
fn solve_over_a_whole_number_field_bisects_whole_numbers() {
    // Revenue counts the years of output within the horizon, so it grows with time.horizon-years, a
    // whole number: the bisection tries whole numbers only and ends on two neighbours.
    let args = [
        "solve",
        MINE,
        "--set",
        "products.copper.long-run=9000",
        "--set",
        "projects.hill-mine.construction-years=2",
        "--set",
        "projects.hill-mine.products.copper.capacity=40000",
        "--vary",
        "time.horizon-years",
        "--range",
        "2..40",
        "--target",
        "mean(revenue) = 2bn",
        "--paths",
        "50",
    ];
    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let v = json(&json_args);
    assert_eq!(v["reachable"], true);
    assert_eq!(v["whole_numbers"], true);
    for e in v["evaluations"].as_array().expect("evaluations") {
        let x = f(&e["x"]);
        assert_eq!(x.fract(), 0.0, "{x}");
    }
    let [a, b] = [f(&v["bracket"][0]), f(&v["bracket"][1])];
    // 40,000 t/yr × $9,000/t = $360m a year from 2028: $2bn is passed in the sixth year, 2033, the
    // eighth of a horizon from 2026.
    assert_eq!([a, b], [7.0, 8.0]);
    assert_eq!(f(&v["root"]), 8.0);
    let out = subsoil(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(s.contains("whole numbers"), "{s}");
    assert!(s.contains("time.horizon-years = 8 is the first"), "{s}");
    // Money as the run table writes it: $m with thousands separators.
    assert!(s.contains("at time.horizon-years = 7: mean(revenue) ($m) = 1,800.0 ± 0.0"), "{s}");
    assert!(s.contains("at time.horizon-years = 8: mean(revenue) ($m) = 2,160.0 ± 0.0"), "{s}");
    // A whole-number field refuses a fractional end of the range.
    refused(
        &[
            "solve",
            MINE,
            "--vary",
            "time.horizon-years",
            "--range",
            "2.5..40",
            "--target",
            "revenue = 2bn",
            "--paths",
            "10",
        ],
        "--range \"2.5..40\": time.horizon-years takes whole numbers",
    );
}

#[test]
fn solve_refuses_a_range_outside_the_fields_bounds_naming_the_range() {
    for (field, range, says) in [
        ("fiscal.cit-rate", "0..2", "--range \"0..2\": fiscal.cit-rate takes values in [0, 1]"),
        (
            "time.horizon-years",
            "2..400",
            "--range \"2..400\": time.horizon-years takes values in [1, 200]",
        ),
    ] {
        let args = [
            "solve",
            MINE,
            "--vary",
            field,
            "--range",
            range,
            "--target",
            "revenue = 2bn",
            "--paths",
            "10",
        ];
        refused(&args, says);
        let err = text(&subsoil(&args).stderr);
        assert!(!err.contains("--set"), "{err}");
    }
}

#[test]
fn money_within_half_a_cent_of_zero_is_zero_so_a_loan_repaid_at_its_discount_rate_counts_as_repaid()
{
    // All royalties of a mine at a flat price repay $200m of credits given in 2030 and $200m in 2031, at
    // 3%, and the partner discounts at 3%: the partner's receipts are worth what the credits were,
    // 200 + 200 / 1.03 = $394.174757m in 2030, and its NPV net of the credits is zero on every path. Sums
    // of the fund's flows leave about 1e-7 dollars of rounding, whose sign decided P(... >= 0).
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/scenarios/loan-at-peace.toml");
    let run = json(&["run", scenario, "--paths", "256", "--format", "json"]);
    let npv = &run["metrics"]["partner-npv"];
    assert!((f(&npv["mean"]) - (200e6 + 200e6 / 1.03)).abs() < 1.0, "{npv}");
    let net = &run["metrics"]["partner-npv-with-credits"];
    assert_eq!((f(&net["min"]), f(&net["max"])), (0.0, 0.0), "{net}");
    // So a target at zero is reached: every path repays at a share of 1, none at 0.5.
    let out = subsoil(&[
        "solve",
        scenario,
        "--vary",
        "deal.contributions[0].share",
        "--range",
        "0.5..1",
        "--target",
        "P(partner-npv-with-credits >= 0) = 0.5",
        "--paths",
        "256",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    assert!(printed.contains("= 1 (HI): P(partner-npv-with-credits >= 0) = 100.00%"), "{printed}");
    assert!(printed.contains("= 0.5 (LO): P(partner-npv-with-credits >= 0) = 0.00%"), "{printed}");
}

#[test]
fn a_country_at_peace_has_no_conflict_factor_in_its_sensitivity() {
    // Without [conflict] no front moves and no war starts or ends: the conflict's streams are never
    // drawn from, so no factor of the variance-based indices is made of them.
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/scenarios/loan-at-peace.toml");
    let v = json(&[
        "sensitivity",
        scenario,
        "--metric",
        "partner-receipts",
        "--paths",
        "256",
        "--format",
        "json",
    ]);
    let factors = v["factors"]["list"].as_array().expect("a list of factors");
    let names: Vec<&str> = factors.iter().filter_map(|f| f["name"].as_str()).collect();
    assert!(names.contains(&"products.bauxite"), "{names:?}");
    assert!(!names.contains(&"conflict"), "{names:?}");
    for f in factors {
        let streams = f["streams"].as_array().expect("streams");
        assert!(
            streams
                .iter()
                .filter_map(|s| s.as_str())
                .all(|s| !s.starts_with("oblasts.") && !s.starts_with("conflict.")),
            "{f}"
        );
    }
    // A pattern that names them matches nothing, and says so.
    refused(
        &[
            "sensitivity",
            scenario,
            "--metric",
            "partner-receipts",
            "--paths",
            "256",
            "--group",
            "war=conflict.*",
        ],
        "conflict.*",
    );
}
