//! Fields renamed to generic names keep their former names: `[macro] us-inflation` is `inflation` and
//! `[rates] us-discount` is `partner-discount`. A file, a layer, a `--set`, a `remove` list, a lever, an
//! input correlation and a sensitivity group may name either; the model and its inputs carry the new
//! names. `[macro] uah-per-usd` and `uah-depreciation` are accepted and read by nothing.

use subsoil_scenario::{Scenario, load, load_text};

const BASE: &str = "format-version = 1\nextends = \"ukraine-final-2025\"\n";

fn model(s: &Scenario) -> String {
    format!("{:?}", s.model)
}

fn names(s: &Scenario) -> Vec<String> {
    s.inputs.list.iter().map(|i| i.name.clone()).collect()
}

fn loaded(name: &str, text: &str, sets: &[&str]) -> Scenario {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    load_text(name, text, &sets).unwrap_or_else(|e| panic!("{name}: {}", e.render()))
}

fn written(inflation: &str, discount: &str) -> String {
    format!(
        "{BASE}[macro]\n{inflation} = {{ dist = \"normal\", mean = 0.03, sd = 0.01, min = -0.01, max = 0.1, unit = \"fraction/yr\", assumption = \"test\" }}\n\
         [rates]\n{discount} = {{ dist = \"uniform\", min = 0.01, max = 0.05, unit = \"fraction/yr\", assumption = \"test\" }}\n\
         [[input-correlations]]\na = \"macro.{inflation}\"\nb = \"rates.{discount}\"\nrho = 0.4\n\
         [sensitivity.groups]\nmoney = [\"macro.{inflation}\", \"rates.{discount}\"]\n"
    )
}

#[test]
fn a_scenario_written_with_the_former_names_is_the_one_written_with_the_new_names() {
    let old = loaded("old.toml", &written("us-inflation", "us-discount"), &[]);
    let new = loaded("new.toml", &written("inflation", "partner-discount"), &[]);
    assert_eq!(model(&old), model(&new));
    assert_eq!(names(&old), names(&new));
    assert_eq!(format!("{:?}", old.rank_correlations), format!("{:?}", new.rank_correlations));
    assert_eq!(old.factor_groups.len(), 1);
    // The groups keep the patterns as written; they match the same inputs.
    for s in [&old, &new] {
        let g = &s.factor_groups[0];
        for name in ["macro.inflation", "rates.partner-discount"] {
            assert!(g.patterns.iter().any(|p| subsoil_scenario::glob_match(p, name)), "{name}");
        }
    }
    let n = names(&new);
    assert!(n.contains(&"macro.inflation".to_string()), "{n:?}");
    assert!(n.contains(&"rates.partner-discount".to_string()), "{n:?}");
    assert!(!n.iter().any(|x| x.contains("us-")), "{n:?}");
    // A renamed input keeps the random stream of its former name, so a seed draws what it drew before.
    let inflation = new.inputs.list.iter().find(|i| i.name == "macro.inflation").expect("input");
    assert_eq!(inflation.stream, subsoil_risk::stream_id("macro.us-inflation"));
    assert_eq!(new.inputs.slot_of("macro.us-inflation"), new.inputs.slot_of("macro.inflation"));
}

#[test]
fn the_built_in_data_and_a_layer_on_the_former_names_merge() {
    // The built-in layers write the new names; a layer above them may write the former ones and wins.
    let old = loaded("old.toml", &format!("{BASE}[macro]\nus-inflation = 0.04\n"), &[]);
    let new = loaded("new.toml", &format!("{BASE}[macro]\ninflation = 0.04\n"), &[]);
    assert_eq!(model(&old), model(&new));
    assert!(!names(&old).iter().any(|n| n.ends_with("inflation")));
}

#[test]
fn a_set_may_name_a_field_by_its_former_name() {
    let by_old = loaded("t.toml", BASE, &["macro.us-inflation=0.01", "rates.us-discount=0.05"]);
    let by_new = loaded("t.toml", BASE, &["macro.inflation=0.01", "rates.partner-discount=0.05"]);
    assert_eq!(model(&by_old), model(&by_new));
    let base = loaded("t.toml", BASE, &[]);
    assert_ne!(model(&by_old), model(&base));
    // So may a file's overrides, a lever and a remove list.
    let text = format!(
        "overrides = [\"macro.us-inflation=0.01\", \"rates.us-discount=0.05\"]\n{BASE}\
         [levers.flat]\nlabel = \"flat\"\nset = [\"macro.us-inflation=0\"]\n"
    );
    let by_file = loaded("o.toml", &text, &[]);
    assert_eq!(model(&by_file), model(&by_new));
    let removed = loaded("r.toml", &format!("remove = [\"macro.us-inflation\"]\n{BASE}"), &[]);
    let removed_new = loaded("r.toml", &format!("remove = [\"macro.inflation\"]\n{BASE}"), &[]);
    assert_eq!(model(&removed), model(&removed_new));
    assert_ne!(model(&removed), model(&base));
}

#[test]
fn both_names_in_one_table_are_an_error_at_the_second() {
    let text = format!("{BASE}[macro]\ninflation = 0.02\nus-inflation = 0.03\n");
    let e = load_text("both.toml", &text, &[]).unwrap_err().render();
    assert!(e.contains("both.toml:5:16: macro.us-inflation"), "{e}");
    assert!(e.contains("former name of `inflation`"), "{e}");
    let text = format!("{BASE}[rates]\nus-discount = 0.02\npartner-discount = 0.03\n");
    let e = load_text("both.toml", &text, &[]).unwrap_err().render();
    assert!(e.contains("both.toml:5:20: rates.partner-discount"), "{e}");
    assert!(e.contains("former name"), "{e}");
    assert_eq!(e.matches("error:").count(), 1, "{e}");
}

#[test]
fn the_hryvnia_fields_are_accepted_and_read_by_nothing() {
    let text = format!(
        "{BASE}[macro]\nuah-per-usd = 41.5\nuah-depreciation = {{ dist = \"normal\", mean = 0.05, sd = 0.04, min = -0.05, max = 0.3, unit = \"fraction/yr\", assumption = \"test\" }}\n"
    );
    let with = loaded("uah.toml", &text, &[]);
    let without = loaded("plain.toml", BASE, &[]);
    assert_eq!(model(&with), model(&without));
    assert!(!model(&with).contains("uah"), "the model carries no hryvnia field");
    assert!(!names(&with).iter().any(|n| n.contains("uah")), "{:?}", names(&with));
    // The built-in data keep their sourced figures as written quantities.
    let s = load("ukraine-final-2025", &[]).expect("loads");
    assert!(s.quantities.iter().any(|q| q.path == "macro.uah-per-usd"));
}
