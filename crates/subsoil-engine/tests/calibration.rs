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

/// docs/data.md.
fn data_md() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/data.md");
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A number as docs/data.md writes it: `1,188.0`, `47.7bn`, `40.15`.
fn number(text: &str) -> f64 {
    let t = text.trim().trim_matches('*').replace(',', "");
    let (t, scale) = match t.strip_suffix("bn") {
        Some(t) => (t.to_string(), 1e9),
        None => (t, 1.0),
    };
    t.parse::<f64>().unwrap_or_else(|_| panic!("not a number: {text:?}")) * scale
}

/// The cells of the row of the calibration table whose first cell starts with `label`.
fn row(doc: &str, label: &str) -> Vec<String> {
    let line = doc
        .lines()
        .find(|l| l.starts_with(&format!("| {label}")))
        .unwrap_or_else(|| panic!("docs/data.md has no table row \"{label}\""));
    line.trim().trim_matches('|').split('|').map(|c| c.trim().to_string()).collect()
}

#[test]
fn the_target_is_the_documented_conversion() {
    // docs/data.md states the target as "UAH 47.7bn / 40.15 UAH/USD" and its dollar value in the hand
    // calibration table; the scenario's reference figures, which the calibration above reads, must be
    // those numbers, and the hand table must add up to the ratio it reports.
    let doc = data_md();
    let s = scenario();
    let target = row(&doc, "Target: ");
    let (uah_text, rate_text) = target[0]
        .strip_prefix("Target: UAH ")
        .and_then(|t| t.strip_suffix(" UAH/USD"))
        .and_then(|t| t.split_once(" / "))
        .unwrap_or_else(|| panic!("the target row reads {:?}", target[0]));
    let (uah, rate) = (number(uah_text), number(rate_text));
    let usd = number(target.last().expect("a rent column")) * 1e6;

    assert_eq!(reference(&s, "reference.resource-payments-2024-uah"), uah, "UAH total vs docs");
    assert_eq!(reference(&s, "reference.uah-per-usd-2024"), rate, "UAH/USD vs docs");
    let scenario_usd = reference(&s, "reference.resource-payments-2024-usd");
    assert!((scenario_usd - usd).abs() <= 0.05e6, "scenario target {scenario_usd} vs docs {usd}");
    assert!(
        (uah / rate - usd).abs() <= 0.05e6,
        "docs: {uah} / {rate} = {} is not the documented {usd}",
        uah / rate
    );
    let prose =
        format!("is the official 2024 total of UAH {uah_text} converted at {rate_text} UAH/USD");
    assert!(doc.contains(&prose), "docs/data.md's text must state the same conversion: {prose:?}");

    // The hand table: each row's rent is output × price × rate, the sum row adds them up and the ratio
    // row is the sum over the target.
    let start = doc.find("| operation | product | output").expect("the hand calibration table");
    let end = doc[start..].find("| **Sum**").map(|i| start + i).expect("the sum row");
    let mut sum = 0.0;
    for line in doc[start..end].lines().skip(2) {
        let cells: Vec<&str> = line.trim().trim_matches('|').split('|').map(str::trim).collect();
        let [operation, _, output, price, rate, rent] = cells[..] else {
            panic!("a calibration row has six cells: {line}");
        };
        let (computed, rent) = (number(output) * number(price) * number(rate) / 1e6, number(rent));
        assert!(
            (computed - rent).abs() <= 0.05 + 0.005 * rent,
            "{operation}: {output} × {price} × {rate} = {computed:.1}, the table says {rent}"
        );
        sum += rent;
    }
    let total = number(row(&doc, "**Sum**").last().expect("sum"));
    assert!((sum - total).abs() <= 0.05, "the rents add up to {sum:.1}, the sum row says {total}");
    let ratio = number(row(&doc, "**Ratio model / target**").last().expect("ratio"));
    assert!(
        (total * 1e6 / usd - ratio).abs() <= 0.005,
        "{total} / {} = {:.3}, the ratio row says {ratio}",
        usd / 1e6,
        total * 1e6 / usd
    );
}
