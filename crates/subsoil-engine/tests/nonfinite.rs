//! Valid input gives finite outputs, and an output that is not finite anyway is reported, not hidden.

use subsoil_engine::{RunConfig, base_case, run};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/nonfinite");

fn load(file: &str, sets: &[&str]) -> Result<subsoil_scenario::Scenario, String> {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    subsoil_scenario::load(&format!("{DIR}/{file}"), &sets).map_err(|e| e.render())
}

#[test]
fn a_price_process_too_wide_to_compute_is_refused_where_it_is_written() {
    // Volatility 5 with the file's 15-year half-life for gold: σ √((1 − e^(−2κH)) / 2κ) with κ = ln 2 / 15, H = 200
    // is 5 × √(10.82) = 16.4, beyond the bound of 10.
    let err = load("overflow.toml", &[]).expect_err("refused");
    assert!(err.contains("overflow.toml:17:14: products.gold.volatility"), "{err}");
    assert!(err.contains("standard deviation of 16.4"), "{err}");
    assert!(err.contains("products.iron-ore.volatility"), "{err}");
    // Just under the bound it loads: σ = 3 gives 9.87.
    assert!(
        load("overflow.toml", &["products.gold.volatility=3", "products.iron-ore.volatility=0.7"])
            .is_ok()
    );
}

#[test]
fn extreme_accepted_inputs_give_finite_outputs_on_every_path() {
    // Before, the pro-rata tier multiplied a payout near 1e157 by a capital account near 1e158 before
    // dividing, and the fund's value was not finite on most paths.
    let s = load("extreme.toml", &[]).unwrap_or_else(|e| panic!("{e}"));
    let r = run(&s, &RunConfig::new(2_000, 1)).expect("runs");
    for m in &r.metrics {
        assert_eq!(m.stats.non_finite, 0, "{} not finite on some paths", m.name);
    }
    assert!(r.warnings().is_empty(), "{:?}", r.warnings());
    let (bc, _) = base_case(&s);
    let nonfinite: Vec<String> =
        bc.warnings().into_iter().filter(|w| w.contains("not finite")).collect();
    assert!(nonfinite.is_empty(), "{nonfinite:?}");
}

#[test]
fn outputs_that_are_not_finite_are_named_in_the_warnings() {
    let s = load("extreme.toml", &["time.horizon-years=5"]).unwrap_or_else(|e| panic!("{e}"));
    let mut r = run(&s, &RunConfig::new(100, 1)).expect("runs");
    assert!(r.warnings().is_empty());
    let fund = r.metrics.iter_mut().find(|m| m.name == "fund-value").expect("fund value");
    fund.stats.non_finite = 3;
    assert_eq!(
        r.warnings(),
        vec![
            "fund-value is not finite on 3 of 100 paths; its statistics leave them out".to_string()
        ]
    );
    let (mut bc, _) = base_case(&s);
    bc.totals.npv = f64::NAN;
    let nonfinite: Vec<String> =
        bc.warnings().into_iter().filter(|w| w.contains("not finite")).collect();
    assert_eq!(nonfinite, vec!["total NPV is not finite in the base case".to_string()]);
}

#[test]
fn a_gdp_of_zero_is_refused() {
    // Shares of GDP divide by it: 0 (or a denormal) would make them infinite or hide them as 0%.
    for gdp in ["0", "1e-320", "999999"] {
        let err = load("extreme.toml", &[&format!("macro.gdp={gdp}")]).expect_err("refused");
        assert!(err.contains("macro.gdp") && err.contains("outside [1000000"), "{err}");
    }
}
