//! How problems in a scenario are reported as a user reads them: product-dependent units named in the
//! product's own unit, problems listed by file and line, and a bad `remove` entry that does not hide
//! the other problems of the files.

mod common;

use std::path::PathBuf;

fn dir() -> PathBuf {
    common::scratch("error-reports")
}

/// A valid one-mine scenario whose product, gold, is counted in ounces.
const BASE: &str = r#"format-version = 1
[metadata]
name = "base"
[rates]
investor-base = 0.08
valuation = 0.08
[fiscal]
cit-rate = 0.0
[products.gold]
name = "gold"
unit = "oz"
price = 1000
long-run = 1000
royalty-rate = 0.0
[deposits.sites.hill]
commodities = ["gold"]
[projects.a]
deposit = "hill"
decision = "always"
construction-years = 0
life-years = 2
capex = 100
[projects.a.products.gold]
capacity = 1
"#;

/// Loads `top`, which extends the base file, and returns the problems as printed.
fn load(top: &str) -> Result<subsoil_scenario::Scenario, subsoil_scenario::LoadError> {
    let d = dir();
    std::fs::write(d.join("base.toml"), BASE).expect("write");
    let path = d.join("top.toml");
    std::fs::write(&path, format!("format-version = 1\nextends = \"base.toml\"\n{top}"))
        .expect("write");
    subsoil_scenario::load(path.to_str().expect("utf-8"), &[])
}

fn errors(top: &str) -> String {
    match load(top) {
        Ok(_) => panic!("accepted:\n{top}"),
        Err(e) => e.render(),
    }
}

/// The `error:` lines of a report, each cut after the field path (the file name's folder left out).
fn headlines(report: &str) -> Vec<String> {
    report
        .lines()
        .filter_map(|l| l.strip_prefix("error: "))
        .map(|l| {
            let end = l.find(".toml:").map_or(0, |i| i + ".toml".len());
            let l = match l[..end].rfind('/') {
                Some(i) => &l[i + 1..],
                None => l,
            };
            let at: Vec<&str> = l.splitn(5, ':').take(4).map(str::trim).collect();
            at.join(":")
        })
        .collect()
}

#[test]
fn range_errors_of_product_dependent_units_name_the_products_unit() {
    let err = errors(
        "[products.gold]\nprice = 1e13\n[projects.a.products.gold]\ncapacity = -1\nopex = -5\n",
    );
    assert!(err.contains("products.gold.price: 1e13 is outside [1e-9, 1e12] (in USD/oz)"), "{err}");
    assert!(
        err.contains("projects.a.products.gold.capacity: -1 is outside [0, 1e15] (in oz/yr)"),
        "{err}"
    );
    assert!(
        err.contains("projects.a.products.gold.opex: -5 is outside [0, 1e12] (in USD/oz)"),
        "{err}"
    );
    assert!(!err.contains("<u>"), "{err}");
}

#[test]
fn a_missing_capacity_names_the_products_unit() {
    let err = errors(
        "[projects.b]\ndeposit = \"hill\"\nconstruction-years = 0\nlife-years = 2\ncapex = 1\n\
         [projects.b.products.gold]\nopex = 1\n",
    );
    assert!(err.contains("missing required field `capacity` (oz/yr)"), "{err}");
    assert!(!err.contains("<u>"), "{err}");
}

#[test]
fn a_product_of_unknown_unit_is_said_in_words() {
    // `silver` is defined nowhere: its unit is not known.
    let err = errors("[projects.a.products.silver]\ncapacity = -1\n");
    assert!(
        err.contains(
            "projects.a.products.silver.capacity: -1 is outside [0, 1e15] (in the product's unit per year)"
        ),
        "{err}"
    );
    assert!(!err.contains("<u>"), "{err}");
}

#[test]
fn problems_are_listed_by_file_then_line_then_column() {
    // Found in the schema's order (fiscal before products before projects), written the other way
    // round; the base file's problem (a --set would be elsewhere) comes after the top file's.
    let top = "[projects.a]\ncapex = -1\n[products.gold]\nprice = -1\n[fiscal]\ncit-rate = 7\n";
    let e = load(top).expect_err("refused");
    let report = e.render();
    let got = headlines(&report);
    assert_eq!(
        got,
        [
            "top.toml:4:9:projects.a.capex",
            "top.toml:6:9:products.gold.price",
            "top.toml:8:12:fiscal.cit-rate",
        ],
        "{report}"
    );
    // The list a program reads is in the same order.
    let paths: Vec<&str> = e.diagnostics.items.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths, ["projects.a.capex", "products.gold.price", "fiscal.cit-rate"]);
}

#[test]
fn problems_in_several_files_follow_the_load_order() {
    let d = dir();
    // The base has a problem at its last line, the top one at an early line of its own.
    let base = BASE.replace("capacity = 1\n", "capacity = 1\nopex = -2\n");
    std::fs::write(d.join("base.toml"), base).expect("write");
    let path = d.join("top.toml");
    std::fs::write(
        &path,
        "format-version = 1\nextends = \"base.toml\"\n[fiscal]\ncit-rate = 7\n[metadata]\ntitle = 5\n",
    )
    .expect("write");
    let e = subsoil_scenario::load(path.to_str().expect("utf-8"), &[]).expect_err("refused");
    let report = e.render();
    assert_eq!(
        headlines(&report),
        [
            "top.toml:4:12:fiscal.cit-rate",
            "top.toml:6:9:metadata.title",
            "base.toml:25:8:projects.a.products.gold.opex"
        ],
        "{report}"
    );
}

#[test]
fn a_bad_remove_entry_does_not_hide_the_other_problems() {
    let err = errors("remove = [\"projects.nope\", 3]\n[fiscal]\ncit-rate = 7\n");
    assert!(err.contains("remove: nothing inherited at \"projects.nope\" to remove"), "{err}");
    assert!(err.contains("remove[1]: expected an array of field paths"), "{err}");
    assert!(err.contains("fiscal.cit-rate: 7 is outside [0, 1]"), "{err}");
    assert!(err.contains("3 errors found"), "{err}");
}

#[test]
fn a_good_entry_next_to_a_bad_one_is_still_removed() {
    // `projects.a` goes; the check goes on without it, so nothing is said of its (removed) deposit or
    // products, and the only other problem is the file's own.
    let err = errors("remove = [\"projects.a\", \"projects.nope\"]\n[fiscal]\ncit-rate = 7\n");
    assert!(err.contains("nothing inherited at \"projects.nope\""), "{err}");
    assert!(err.contains("fiscal.cit-rate: 7 is outside [0, 1]"), "{err}");
    assert!(err.contains("2 errors found"), "{err}");
}

#[test]
fn a_remove_written_as_one_string_is_refused_but_still_applied_for_the_check() {
    // The path is plain: the check goes on as if it had been a list, so the deck over the removed
    // long-run is not refused as well.
    let deck =
        "[products.gold]\nprice = { by-year = { 2026 = 1200, 2027 = 1100 }, unit = \"USD/oz\" }\n";
    let err =
        errors(&format!("remove = \"products.gold.long-run\"\n{deck}[fiscal]\ncit-rate = 7\n"));
    assert!(err.contains("remove: expected an array of field paths"), "{err}");
    assert!(err.contains("fiscal.cit-rate: 7 is outside [0, 1]"), "{err}");
    assert!(!err.contains("takes no `long-run`"), "{err}");
    assert!(err.contains("2 errors found"), "{err}");
}

#[test]
fn a_missing_long_run_names_the_products_unit() {
    let err = errors(
        "[products.silver]\nname = \"silver\"\nunit = \"oz\"\nprice = 20\nroyalty-rate = 0.0\n",
    );
    assert!(
        err.contains("products.silver.long-run: missing required field `long-run` (USD/oz)"),
        "{err}"
    );
}
