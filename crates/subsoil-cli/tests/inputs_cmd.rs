//! `subsoil inputs`: the names it lists are the names `--set` and `[[input-correlations]]` take.

mod common;

use common::{scratch, subsoil, text};

fn inputs(args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["inputs", "--format", "json"];
    all.extend_from_slice(args);
    let out = subsoil(&all);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    v["inputs"].as_array().expect("inputs array").clone()
}

#[test]
fn every_listed_field_can_be_set_and_every_name_correlated() {
    let list = inputs(&[]);
    // The same count `subsoil check` reports for the default scenario.
    let check = text(&subsoil(&["check", "ukraine-final-2025"]).stdout);
    assert!(check.contains(&format!("{} uncertain inputs", list.len())), "{check}");
    // Every `field` accepts its median through --set, all at once.
    let sets: Vec<String> = list
        .iter()
        .filter_map(|i| Some(format!("{}={}", i["field"].as_str()?, i["median"].as_f64()?)))
        .collect();
    assert!(sets.len() > 200, "only {} settable inputs", sets.len());
    let mut args = vec!["check".to_string(), "ukraine-final-2025".to_string()];
    for s in &sets {
        args.push("--set".into());
        args.push(s.clone());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = subsoil(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // Every 25th name, derived inputs included, in a correlation.
    let names: Vec<&str> = list.iter().step_by(25).map(|i| i["name"].as_str().unwrap()).collect();
    let mut toml = String::from("format-version = 1\nextends = \"ukraine-final-2025\"\n");
    toml.push_str("[metadata]\nname = \"correlated\"\n");
    for w in names.windows(2) {
        toml.push_str(&format!(
            "[[input-correlations]]\na = \"{}\"\nb = \"{}\"\nrho = 0.1\n",
            w[0], w[1]
        ));
    }
    let dir = scratch("inputs-correlated");
    std::fs::write(dir.join("c.toml"), toml).unwrap();
    let out = subsoil(&["check", dir.join("c.toml").to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn inputs_carry_their_distribution_and_source() {
    let list = inputs(&["--grep", "dobra-lithium.capex-overrun"]);
    assert_eq!(list.len(), 1);
    let i = &list[0];
    assert_eq!(i["field"], "projects.dobra-lithium.capex-overrun");
    assert_eq!(i["distribution"], "shifted lognormal");
    assert!(i["p5"].as_f64().unwrap() < i["median"].as_f64().unwrap());
    assert!(i["median"].as_f64().unwrap() < i["p95"].as_f64().unwrap());
    assert!(!i["source"].as_str().unwrap().is_empty());
    // A project's copy of a shared stage duration is set through the shared field.
    let list = inputs(&["--grep", "dobra-lithium.stages.licensed.duration"]);
    assert_eq!(list[0]["field"], "stages.licensed.duration");
}

#[test]
fn a_bad_scenario_is_a_located_error() {
    let out = subsoil(&["inputs", "--set", "rates.valuation=\"x\""]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).contains("rates.valuation"), "{}", text(&out.stderr));
}
