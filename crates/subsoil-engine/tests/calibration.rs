//! Calibration of the producing operations against the official 2024 total of natural-resource payments.
//!
//! The built-in scenario models the operations producing today (gas by company, price regime and well
//! vintage; oil and condensate; iron ore; manganese; titanium and zircon; uranium; graphite; nickel) so
//! that the state's rent from them in the first simulated year can be checked against what the state
//! actually collected. The target is `reference.resource-payments-2024-uah` converted at
//! `reference.uah-per-usd-2024`, both read from the scenario (docs/data.md, "Producing operations and the
//! 2024 calibration"); the band is ±15%.
//!
//! The official figure counts what reached the budget, so the modelled figure is the royalty the state
//! receives in the first year (the year's royalty receipts, new and existing, net of leakage). The
//! royalty the operations pay before leakage is printed beside it.
//!
//! The base case is deterministic (every input at its median, no random events), so the ratio is a
//! fixed number for given data: the test cannot flake, and it fails when a data or model change moves
//! the modelled rent out of the band.

use subsoil_core::{Stage, Stream};
use subsoil_engine::base_case;
use subsoil_scenario::{Scenario, builtin, load};

/// Allowed relative distance between the modelled first-year rent and the official total.
const BAND: f64 = 0.15;

/// The median of the scenario quantity at `path`, which must be given in the scenario's files.
fn reference(s: &Scenario, path: &str) -> f64 {
    let q = s.quantities.iter().find(|q| q.path == path);
    q.unwrap_or_else(|| panic!("the scenario has no {path}")).median()
}

fn scenario() -> Scenario {
    match load(builtin::DEFAULT_SCENARIO, &[]) {
        Ok(s) => s,
        Err(e) => panic!("the built-in scenario does not load:\n{}", e.render()),
    }
}

#[test]
fn first_year_rent_of_producing_operations_matches_the_official_2024_total() {
    let s = scenario();
    let uah = reference(&s, "reference.resource-payments-2024-uah");
    let rate = reference(&s, "reference.uah-per-usd-2024");
    let target = uah / rate;

    let (_, out) = base_case(&s);
    let first = out.years.first().expect("at least one simulated year");
    let real = 1.0 / first.index;

    // Royalty paid in the first year, from the traced flows: every payer must be an operation that
    // was producing at the start, so the year's receipts are theirs alone.
    println!("{:<32} {:>9} {:>16}", "operation", "tag", "royalty (US$m)");
    let mut paid = 0.0;
    let mut producing = 0;
    for (i, p) in s.model.projects.iter().enumerate() {
        let flows = out.flows(i).expect("the base case traces every project-year's flows");
        let royalty = flows[0].royalty * real;
        if p.stage == Stage::Producing {
            producing += 1;
            paid += royalty;
            let tag = if p.licence_new { "new" } else { "existing" };
            println!("{:<32} {tag:>9} {:>16.1}", p.id, royalty / 1e6);
        } else {
            assert_eq!(
                royalty, 0.0,
                "{} pays royalty in the first year but was not producing",
                p.id
            );
        }
    }
    assert!(producing >= 10, "expected the producing operations, found {producing}");

    let received = (first.receipts.get(Stream::Royalty, true)
        + first.receipts.get(Stream::Royalty, false))
        * real;
    assert!(
        received > 0.0 && received <= paid * (1.0 + 1e-12),
        "receipts {received} vs paid {paid}"
    );
    let ratio = received / target;
    println!(
        "royalty paid US${:.1}m ({:.3} of the target); received after leakage US${:.1}m; \
         target UAH {:.1}bn / {rate} UAH/USD = US${:.1}m; ratio received / target = {ratio:.3}",
        paid / 1e6,
        paid / target,
        received / 1e6,
        uah / 1e9,
        target / 1e6
    );
    assert!(
        (ratio - 1.0).abs() <= BAND,
        "the state's first-year royalty US${:.1}m is {ratio:.3} of the 2024 total US${:.1}m, outside ±{BAND}",
        received / 1e6,
        target / 1e6
    );
}

#[test]
fn the_target_is_the_documented_conversion() {
    // The reference figures the calibration reads must be the ones docs/data.md states: UAH 47.7bn at
    // 40.15 UAH/USD, and the derived target in the same file must agree with their quotient.
    let s = scenario();
    let uah = reference(&s, "reference.resource-payments-2024-uah");
    let rate = reference(&s, "reference.uah-per-usd-2024");
    let usd = reference(&s, "reference.resource-payments-2024-usd");
    assert_eq!(uah, 47.7e9);
    assert_eq!(rate, 40.15);
    assert!((uah / rate - usd).abs() / usd < 1e-3, "{uah} / {rate} = {} ≠ {usd}", uah / rate);
}
