//! `remove` in an extending file: what it names is taken out of the layers below before the file's own
//! tables apply, so a product can trade its inherited `long-run` for a price deck and a project or a
//! contribution rule can be dropped.

mod common;

use std::path::PathBuf;

fn dir() -> PathBuf {
    common::scratch("remove")
}

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
[projects.b]
deposit = "hill"
decision = "always"
construction-years = 0
life-years = 2
capex = 100
[projects.b.products.gold]
capacity = 1
"#;

fn load(top: &str) -> Result<subsoil_scenario::Scenario, String> {
    let d = dir();
    std::fs::write(d.join("base.toml"), BASE).expect("write");
    let path = d.join("top.toml");
    std::fs::write(&path, format!("format-version = 1\nextends = \"base.toml\"\n{top}"))
        .expect("write");
    subsoil_scenario::load(path.to_str().expect("utf-8"), &[]).map_err(|e| e.render())
}

#[test]
fn a_removed_project_and_an_inherited_long_run_are_gone() {
    let s = load("remove = [\"projects.b\"]\n").unwrap_or_else(|e| panic!("{e}"));
    let ids: Vec<&str> = s.model.projects.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["a"]);
    // Without `remove`, a deck over an inherited long-run is refused; with it, the product is on the deck.
    let deck =
        "[products.gold]\nprice = { by-year = { 2026 = 1200, 2027 = 1100 }, unit = \"USD/oz\" }\n";
    let err = load(deck).expect_err("refused");
    assert!(
        err.contains("products.gold.long-run: a product priced by a deck takes no `long-run`"),
        "{err}"
    );
    let s = load(&format!("remove = [\"products.gold.long-run\"]\n{deck}"))
        .unwrap_or_else(|e| panic!("{e}"));
    let deck = s.model.products[0].deck.as_ref().expect("deck");
    assert_eq!((deck.first, deck.values.as_slice()), (2026, &[1200.0, 1100.0][..]));
}

#[test]
fn removing_what_is_not_inherited_is_an_error_at_the_path() {
    let err = load("remove = [\"projects.c\"]\n").expect_err("refused");
    assert!(err.contains("remove: nothing inherited at \"projects.c\" to remove"), "{err}");
}
