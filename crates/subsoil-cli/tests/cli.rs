//! The command line as a user meets it: the README's first command, JSON output, and bad input that must
//! give a located error with exit status 2 and never a panic.

mod common;

use common::{scratch, subsoil, text};

#[test]
fn the_base_case_prints_a_table_of_every_project_and_totals() {
    let out = subsoil(&["run", "--deterministic"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(s.contains("base case"));
    assert!(s.contains("dobra-lithium"));
    assert!(s.contains("total (50 projects, 2 flows)"), "{s}");
    for col in
        ["first prod.", "capex", "NPV", "IRR", "royalty", "new receipts", "existing receipts"]
    {
        assert!(s.contains(col), "missing column {col}");
    }
    assert!(!s.contains('\x1b'), "NO_COLOR must turn styles off");
}

#[test]
fn json_output_carries_the_manifest_and_the_same_totals() {
    let out = subsoil(&["run", "--deterministic", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(v["manifest"]["scenario"], "ukraine-final-2025");
    assert_eq!(v["manifest"]["mode"], "deterministic");
    let projects = v["projects"].as_array().expect("projects");
    // The 50 named projects and one row for each of the two licensing flows.
    assert_eq!(projects.len(), 52);
    let sum: f64 = projects.iter().map(|p| p["receipts_new"].as_f64().unwrap_or(f64::NAN)).sum();
    let total = v["totals"]["receipts_new"].as_f64().expect("total");
    assert!((sum - total).abs() <= 1e-6 * total.abs().max(1.0));
}

#[test]
fn set_overrides_change_the_answer() {
    let base = subsoil(&["run", "--deterministic", "--format", "json"]);
    let higher =
        subsoil(&["run", "--deterministic", "--format", "json", "--set", "fiscal.cit-rate=0.25"]);
    let a: serde_json::Value = serde_json::from_slice(&base.stdout).expect("json");
    let b: serde_json::Value = serde_json::from_slice(&higher.stdout).expect("json");
    let r = |v: &serde_json::Value| v["totals"]["receipts_existing"].as_f64().expect("number");
    assert!(r(&b) > r(&a), "a higher CIT must raise the state's receipts");
    assert_eq!(b["manifest"]["sets"][0], "fiscal.cit-rate=0.25");
}

/// Each malformed file must give exit status 2, name the file with a line and column, name the field
/// and say what was expected; a panic (exit status 101) fails the test.
#[test]
fn ten_malformed_scenarios_each_get_a_located_error_and_exit_status_2() {
    let dir = scratch("malformed");
    let base = "format-version = 1\nextends = \"ukraine-final-2025\"\n";
    let cases: Vec<(&str, Vec<u8>, Vec<&str>)> = vec![
        ("wrong-type.toml", format!("{base}[fiscal]\ncit-rate = \"high\"\n").into_bytes(), vec![":4:12", "fiscal.cit-rate", "expected a number"]),
        ("unknown-key.toml", format!("{base}[fiscal]\ncit_rate = 0.18\n").into_bytes(), vec![":4:", "unknown key `cit_rate`", "did you mean `cit-rate`"]),
        (
            "negative-capex.toml",
            format!("{base}[projects.dobra-lithium]\ncapex = {{ value = -5e8, unit = \"USD\", source = \"x\" }}\n").into_bytes(),
            vec![":4:9", "projects.dobra-lithium.capex", "cannot be negative"],
        ),
        ("percent-rate.toml", format!("{base}[fiscal]\ncit-rate = 18\n").into_bytes(), vec![":4:12", "fiscal.cit-rate", "write 0.18 for 18%"]),
        (
            "missing-field.toml",
            format!("{base}[projects.new-mine]\ndeposit = \"dobra_li\"\nconstruction-years = 2\nlife-years = 10\nproducts.lithium-spodumene = {{ capacity = 1e5 }}\n").into_bytes(),
            vec!["missing-field.toml:3:", "projects.new-mine.capex", "missing required field `capex`"],
        ),
        ("bad-extends.toml", b"format-version = 1\nextends = \"no-such-file.toml\"\n".to_vec(), vec![":2:11", "extends", "no-such-file.toml"]),
        ("circular-a.toml", b"format-version = 1\nextends = \"circular-b.toml\"\n".to_vec(), vec!["circular extends", "circular-a.toml", "circular-b.toml"]),
        ("empty.toml", Vec::new(), vec!["empty.toml:1:1", "empty scenario file"]),
        ("garbage.toml", vec![0x7f, 0x45, 0x4c, 0x46, 0xff, 0xfe, 0x00, 0x12, 0x80, 0x81], vec!["garbage.toml:1:5", "not UTF-8"]),
        (
            "absurd.toml",
            format!("{base}[time]\nhorizon-years = 100000000\n[projects.dobra-lithium]\ncapex = 1e30\n").into_bytes(),
            vec![":4:17", "time.horizon-years", "[1, 200]", ":6:9", "projects.dobra-lithium.capex", "outside [0, 1e14]"],
        ),
    ];
    std::fs::write(
        dir.join("circular-b.toml"),
        "format-version = 1\nextends = \"circular-a.toml\"\n",
    )
    .expect("write");
    for (name, body, expect) in &cases {
        let path = dir.join(name);
        std::fs::write(&path, body).expect("write");
        let out = subsoil(&["check", path.to_str().expect("utf-8 path")]);
        let err = text(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{name}: exit status {:?}\n{err}",
            out.status.code()
        );
        for e in expect {
            assert!(err.contains(e), "{name}: message lacks {e:?}:\n{err}");
        }
        assert!(!err.contains("panicked"), "{name} panicked:\n{err}");
        // `run` refuses the same file with the same status and writes nothing to stdout.
        let out = subsoil(&["run", path.to_str().expect("utf-8 path"), "--deterministic"]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert!(out.stdout.is_empty(), "{name}: nothing may be written on bad input");
    }
}

#[test]
fn every_error_in_a_file_is_reported_at_once() {
    let dir = scratch("many");
    let path = dir.join("many.toml");
    std::fs::write(
        &path,
        "format-version = 1\nextends = \"ukraine-final-2025\"\n[fiscal]\ncit-rate = 18\ndepreciation-years = 0\nbogus = 1\n",
    )
    .expect("write");
    let out = subsoil(&["check", path.to_str().expect("path")]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.contains("fiscal.cit-rate")
            && err.contains("fiscal.depreciation-years")
            && err.contains("bogus"),
        "{err}"
    );
    assert!(err.contains("3 errors found"), "{err}");
}

#[test]
fn a_bad_set_is_located_on_the_command_line() {
    let out = subsoil(&["run", "--deterministic", "--set", "rates.valuation=12"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("--set") && err.contains("rates.valuation"), "{err}");
}

#[test]
fn an_unknown_scenario_name_lists_the_builtins() {
    let out = subsoil(&["run", "no-such-scenario", "--deterministic"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("ukraine-final-2025"));
}

#[test]
fn the_scenario_reference_in_docs_is_current() {
    let out = subsoil(&["reference"]);
    assert!(out.status.success());
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/scenario-reference.md"
    ))
    .expect("docs/scenario-reference.md exists");
    assert!(
        committed == text(&out.stdout),
        "docs/scenario-reference.md is stale: regenerate it with `cargo run --release -- reference > docs/scenario-reference.md`"
    );
}

#[test]
fn the_base_case_table_ends_with_the_deal() {
    let out = subsoil(&["run", "--deterministic"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    let deal = &s[s.find("Deal: ").expect("a deal section")..];
    let total = s.find("total (50 projects").expect("the projects' total");
    assert!(s.find("Deal: ").expect("deal") > total, "the deal comes after the projects");
    for want in [
        "partner receipts ($m nominal)",
        "partner receipts ($m)",
        "partner capital account, cash and credits ($m nominal)",
        "partner NPV at",
        "host payments into the fund ($m)",
        "host payments, PV at the valuation rate ($m)",
        "largest yearly host payment (% of GDP)",
        "fund value at 2075 ($m)",
        "paid out to United States (DFC) ($m)",
    ] {
        assert!(deal.contains(want), "the deal section lacks {want:?}:\n{deal}");
    }
    // The base case of the final text: distributions after the ten-year lock-up, the aid never repaid.
    let line = |start: &str| {
        deal.lines().find(|l| l.starts_with(start)).unwrap_or_else(|| panic!("{start}:\n{deal}"))
    };
    assert!(line("first distribution to the partner").ends_with("2035"));
    assert!(line("aid given, 174,200.0 $m nominal, repaid").ends_with("not by 2075"));
    assert!(!deal.contains("deal target"), "the final text has no target");
    // The February draft has the $500bn target; the framework distributes nothing.
    let out = subsoil(&["run", "ukraine-feb-2025-draft", "--deterministic"]);
    let s = text(&out.stdout);
    assert!(s.contains("deal target, 500,000.0 $m nominal, reached"), "{s}");
    let out = subsoil(&["run", "ukraine-feb-2025-framework", "--deterministic"]);
    let s = text(&out.stdout);
    let first = s.lines().find(|l| l.starts_with("first distribution")).expect("line");
    assert!(first.ends_with("not by 2075"), "{first}");
    // A deal without a name is headed "Deal" alone, not "Deal: " and nothing.
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/revenue-backed-deal.toml");
    let out = subsoil(&["run", example, "--deterministic"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(s.lines().any(|l| l == "Deal; partner Lender"), "{s}");
}

#[test]
fn an_idle_operation_starts_idle_in_the_monte_carlo_table() {
    let out = subsoil(&["run", "--paths", "50"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    let row = s.lines().find(|l| l.starts_with("zavallia-graphite")).expect("zavallia-graphite");
    assert_eq!(row.split_whitespace().nth(1), Some("idle"), "{row}");
    assert!(!s.contains(" ready "), "no project starts \"ready\":\n{s}");
}

#[test]
fn the_base_case_prints_every_year_as_a_table_json_and_csv() {
    let table = subsoil(&["run", "--deterministic", "--yearly"]);
    assert!(table.status.success(), "{}", text(&table.stderr));
    let t = text(&table.stdout);
    assert!(t.contains("new receipts") && t.contains("\n2075 "), "{t}");
    let csv = subsoil(&["run", "--deterministic", "--yearly", "--format", "csv"]);
    assert!(csv.status.success());
    let c = text(&csv.stdout);
    assert!(c.starts_with("year,scope,id,item,tag,unit,value,real\n"));
    assert!(c.contains("\n2035,fund,us,payouts,,USD,"), "partner payouts by year");
    // The interest on the fund's cash is its own item and column: nothing in the first year (the fund
    // starts from nothing), something in the second.
    assert!(t.contains(" interest ") && t.contains("fund cash"), "{t}");
    assert!(c.contains("\n2026,fund,,interest,,USD,0,0\n"), "no interest in 2026");
    let second = c.lines().find(|l| l.starts_with("2027,fund,,interest,")).expect("2027 interest");
    let value: f64 = second.split(',').nth(6).unwrap().parse().unwrap();
    assert!(value > 0.0, "{second}");
    let json = subsoil(&["run", "--deterministic", "--yearly", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("valid JSON");
    assert_eq!(v["manifest"]["mode"], "deterministic-yearly");
    // The JSON holds the same rows as the CSV.
    assert_eq!(v["rows"].as_array().unwrap().len() + 1, c.lines().count());
}

/// The numbers of the yearly table's row for `year`, by column header (the header line is the one that
/// starts with "year").
fn yearly_row(table: &str, year: i32) -> std::collections::HashMap<String, f64> {
    let header = table.lines().find(|l| l.starts_with("year ")).expect("header");
    // Headers are separated by two or more spaces; a header may contain one.
    let names: Vec<String> =
        header.split("  ").map(str::trim).filter(|h| !h.is_empty()).map(str::to_owned).collect();
    let row = table.lines().find(|l| l.starts_with(&format!("{year} "))).expect("row");
    let cells: Vec<f64> =
        row.split_whitespace().map(|c| c.replace(',', "").parse().expect(c)).collect();
    assert_eq!(names.len(), cells.len(), "{header}\n{row}");
    names.into_iter().zip(cells).collect()
}

#[test]
fn the_yearly_tables_fund_columns_add_up_to_its_cash() {
    // Cash at a year's end = the year before's + paid in + dividends − invested − paid out + the real
    // interest (the nominal interest less inflation's erosion of the cash held, as all columns are in
    // base-year dollars). Before, the table left out cash paid in, payouts to the host and the stakes'
    // dividends, and showed nominal interest on real cash: 2027 160.7 + 6.5 + 4.7 ≠ 168.0 in 2028.
    // Each of the (up to 8) terms is rounded to 0.1, so a row may be off by 8 × 0.05.
    for scenario in ["ukraine-final-2025", "ukraine-mar-2025-draft"] {
        let out = subsoil(&["run", scenario, "--deterministic", "--yearly"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let t = text(&out.stdout);
        let mut cash = 0.0;
        let mut paid_out_total = 0.0;
        let mut real_interest_total = 0.0;
        for year in 2026..=2075 {
            let r = yearly_row(&t, year);
            let paid_out: f64 =
                r.iter().filter(|(k, _)| k.starts_with("paid to ")).map(|(_, v)| v).sum();
            let expected = cash + r["fund: paid in"] + r["dividends"] - r["invested"] - paid_out
                + r["real interest"];
            assert!(
                (expected - r["fund cash"]).abs() <= 0.4 + 1e-9,
                "{scenario} {year}: {expected:.2} against {}\n{t}",
                r["fund cash"]
            );
            cash = r["fund cash"];
            paid_out_total += paid_out;
            real_interest_total += r["real interest"];
        }
        // Both parties are paid, and inflation leaves less real interest than the nominal 3% would
        // give on cash of this size.
        assert!(paid_out_total > 100.0, "{scenario}: {paid_out_total}");
        assert!(real_interest_total < 40.0, "{scenario}: {real_interest_total}\n{t}");
    }
}

#[test]
fn yearly_and_csv_are_refused_where_they_do_not_apply() {
    for args in [&["run", "--yearly"][..], &["run", "--deterministic", "--format", "csv"][..]] {
        let out = subsoil(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn built_in_layers_are_listed_with_what_they_bring() {
    let out = subsoil(&["scenarios", "--layers"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let t = text(&out.stdout);
    for layer in ["ukraine-base", "ukraine-projects", "products", "macro", "ukraine-final-2025"] {
        assert!(t.lines().any(|l| l.starts_with(&format!("{layer} "))), "{layer} missing:\n{t}");
    }
    assert!(t.contains("projects (50)") && t.contains("products (15)"), "{t}");
    // A file that extends a listed layer by its name loads.
    let dir = scratch("layers");
    let f = dir.join("mine.toml");
    std::fs::write(
        &f,
        "format-version = 1\nextends = \"ukraine-base\"\n[metadata]\nname = \"no-deal\"\n",
    )
    .unwrap();
    let out = subsoil(&["check", f.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn a_far_base_case_is_explained_in_one_line() {
    // In the final agreement the military-aid credits are a discrete case: none (the median, taken
    // by the base case) or $2bn a year with probability 20%. The partner's receipts of the base case
    // are therefore far below the paths' mean, and the table names that input as the reason. With the
    // credits fixed at none, the explanation no longer names them.
    let out = subsoil(&["run", "--paths", "4000"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    let line = s.lines().find(|l| l.starts_with("partner-receipts ($m): base case")).expect(&s);
    assert!(
        line.contains("deal.credits[0].per-year = 0 USD, and at 2.00 bn USD (probability 20%)"),
        "{line}"
    );
    let fixed = subsoil(&["run", "--paths", "4000", "--set", "deal.credits[0].per-year = 0"]);
    assert!(fixed.status.success(), "{}", text(&fixed.stderr));
    assert!(!text(&fixed.stdout).contains("deal.credits[0].per-year ="), "{}", text(&fixed.stdout));
}

#[test]
fn every_money_output_names_the_scenarios_currency() {
    let mine =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../subsoil-engine/tests/data/minimal/one-mine.toml");
    let run = |extra: &[&str]| {
        let mut args = vec!["run", mine, "--deterministic", "--set", "macro.currency=\"EUR\""];
        args.extend_from_slice(extra);
        let out = subsoil(&args);
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    let v: serde_json::Value =
        serde_json::from_str(&run(&["--format", "json"])).expect("valid JSON");
    assert_eq!(v["manifest"]["currency"], "EUR");
    let table = run(&[]);
    assert!(table.contains("Money in millions of 2026 EUR"), "{table}");
    assert!(!table.contains('$') && !table.contains("US dollars"), "{table}");
    let csv = run(&["--yearly", "--format", "csv"]);
    assert!(csv.contains("2028,project,hill-mine,revenue,,EUR,"), "{csv}");
    assert!(!csv.contains(",USD,"), "{csv}");
    // A scenario in dollars says so too.
    let out = subsoil(&["run", mine, "--deterministic", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(v["manifest"]["currency"], "USD");
}

#[test]
fn a_comparison_names_its_currency_and_refuses_two() {
    let mine =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../subsoil-engine/tests/data/minimal/one-mine.toml");
    let eur = ["--set", "macro.currency=\"EUR\""];
    let compare = |extra: &[&str]| {
        let mut args = vec!["compare", mine, mine, "--paths", "64"];
        args.extend_from_slice(extra);
        subsoil(&args)
    };
    let out = compare(&[&eur[..], &["--format", "json"]].concat());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(v["manifest"]["currency"], "EUR");
    let table = text(&compare(&eur).stdout);
    assert!(table.contains("EUR m") && !table.contains('$'), "{table}");
    let v: serde_json::Value =
        serde_json::from_slice(&compare(&["--format", "json"]).stdout).expect("valid JSON");
    assert_eq!(v["manifest"]["currency"], "USD");
    // Scenarios in two currencies are refused: their differences would mix units.
    let dir = std::env::temp_dir().join(format!("subsoil-cli-currency-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let euro = dir.join("euro-mine.toml");
    std::fs::write(
        &euro,
        format!("format-version = 1\nextends = {mine:?}\n[macro]\ncurrency = \"EUR\"\n"),
    )
    .expect("write");
    let out = subsoil(&["compare", mine, euro.to_str().expect("utf-8"), "--paths", "64"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("different currencies") && err.contains("in USD") && err.contains("in EUR"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    // An explanation names the currency too, and refuses two as a comparison does.
    let longer = dir.join("longer-mine.toml");
    std::fs::write(
        &longer,
        format!("format-version = 1\nextends = {mine:?}\n[projects.hill-mine]\nlife-years = 15\n"),
    )
    .expect("write");
    let longer = longer.to_str().expect("utf-8");
    let explain = |extra: &[&str]| {
        let mut args = vec!["compare", mine, longer, "--explain", "--paths", "64"];
        args.extend_from_slice(extra);
        subsoil(&args)
    };
    let out = explain(&[&eur[..], &["--format", "json"]].concat());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(v["manifest"]["currency"], "EUR");
    let table = text(&explain(&eur).stdout);
    assert!(table.contains("EUR") && !table.contains('$'), "{table}");
    let out =
        subsoil(&["compare", mine, euro.to_str().expect("utf-8"), "--explain", "--paths", "64"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("different currencies"), "{}", text(&out.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn help_texts_offer_only_what_the_commands_do() {
    // merge has no --yearly, so no CSV: the help does not offer it and clap refuses it.
    let help = text(&subsoil(&["merge", "--help"]).stdout);
    assert!(!help.contains("csv") && !help.contains("--yearly"), "{help}");
    let out = subsoil(&["merge", "some-dir", "--format", "csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(
        text(&out.stderr).contains("invalid value 'csv' for '--format"),
        "{}",
        text(&out.stderr)
    );
    // inputs: the help names the table's columns, which have no mean (the JSON has it).
    let help = text(&subsoil(&["inputs", "--help"]).stdout);
    let table = text(&subsoil(&["inputs"]).stdout);
    let header = table.lines().next().expect("a header");
    assert!(!header.contains("mean"), "{header}");
    assert!(help.contains("p5, median and p95"), "{help}");
    assert!(help.contains("the mean too with --format json"), "{help}");
}
