//! The built-in Sicomines deals: the year the infrastructure loans are repaid in the base case (every
//! input at its median, fixed prices), worked by hand from the scenario files' figures.
//!
//! `drc-sicomines-2008`: copper $8,000/t, cobalt $30,000/t (70% payable), no inflation. Full output
//! 253,500 t Cu and 5,180 t Co a year; the JV's profit before depreciation at full output is
//!   253,500 × (8,000 − 4,500) + 5,180 × 30,000 × 0.7 = 887.25m + 108.78m = $996.03m.
//! Capex $3.2bn over 2008-2015, depreciated over 10 years from first production (2016-2025): $320m a year.
//! Output ramps linearly from 0.4931 of capacity in 2016 to all of it in 2022 (+0.0845 a year).
//! The infrastructure loans' share of profit is 0.65 × 0.65 = 42.25%:
//!   2016  0.4931 × 996.03 − 320 = 171.14 → 72.31      2022-2025  996.03 − 320 = 676.03 → 285.62
//!   2017  0.5776 …                        → 107.86     2026 on    996.03       → 420.82
//!   2018 143.41, 2019 178.97, 2020 214.52, 2021 250.07 ($m)
//! The loans: $500m credited each year 2009-2014, interest 4.4% compounded on the balance at the end of
//! the year before. Balance B(y) = 1.044 B(y − 1) + credit − payment ($m, end of year):
//!   2009 500.00  2010 1,022.00  2011 1,566.97  2012 2,135.92  2013 2,729.90  2014 3,350.01
//!   2015 3,497.41  2016 3,578.99  2017 3,628.60  2018 3,644.85  2019 3,626.26  2020 3,571.30
//!   2021 3,478.36  2022 3,345.79  2023 3,207.38  2024 3,062.88  2025 2,912.03  2026 2,619.33
//!   2027 2,313.76  2028 1,994.74  2029 1,661.69  2030 1,313.98  2031 950.97  2032 571.99  2033 176.34
//!   2034: 176.34 × 1.044 = 184.10 owed < 420.82 paid in: repaid in 2034, and the other 236.72 goes to
//!   the shareholders (the waterfall's `rest`).
//!
//! `drc-sicomines-2024`: the same mine with a 1.2% royalty on gross value, at full output
//! 0.012 × (253,500 × 8,000 + 5,180 × 30,000) = $26.20m, so profit before depreciation is $969.83m and the loans'
//! share is 42.25% × (969.83 − 320) = 274.55 in 2022-2025 and 42.25% × 969.83 = 409.75 from 2026
//! (2016: 0.4931 × 969.83 − 320 = 158.22 → 66.85). Loans: $100m a year 2009-2023, $324m a year 2024-2040:
//!   2015 799.48 (nothing repaid yet)  2016 867.81  2018 908.24 (the peak)  2023 413.29
//!   2024 413.29 × 1.044 + 324 − 274.55 = 480.93  2025 551.53  2026 490.05 … 2032 59.97
//!   2033: 59.97 × 1.044 + 324 = 386.61 owed < 409.75: repaid in 2033; the other 23.15 goes to the
//!   shareholders. From 2034 to 2040 each year's $324m is repaid in its year, 85.75 going on.

use subsoil_engine::{RunConfig, base_case, run, yearly, yearly::Row};
use subsoil_scenario::Scenario;

fn load(name: &str) -> Scenario {
    match subsoil_scenario::load(name, &[]) {
        Ok(s) => s,
        Err(e) => panic!("{name} does not load:\n{}", e.render()),
    }
}

/// The base case's rows of `item` for `id`, by year.
fn series(rows: &[Row], id: &str, item: &str) -> Vec<(i32, f64)> {
    rows.iter().filter(|r| r.id == id && r.item == item).map(|r| (r.year, r.value)).collect()
}

fn at(s: &[(i32, f64)], year: i32) -> f64 {
    s.iter().find(|(y, _)| *y == year).map_or_else(|| panic!("no {year}"), |(_, v)| *v)
}

/// First year the return-capital tier owes nothing after having owed something.
fn repaid_in(owed: &[(i32, f64)]) -> Option<i32> {
    let first_owed = owed.iter().position(|(_, v)| *v > 0.0)?;
    owed[first_owed..].iter().find(|(_, v)| *v <= 0.0).map(|(y, _)| *y)
}

#[test]
fn the_2008_convention_repays_the_infrastructure_loans_in_2034_at_fixed_prices() {
    let s = load("drc-sicomines-2008");
    let (_, out) = base_case(&s);
    let rows = yearly(&s, &out).rows;
    let owed = series(&rows, "deal.tiers[0]", "owed");
    let gec = series(&rows, "gec", "payouts");
    let rest = series(&rows, "shareholders", "payouts");
    let close = |got: f64, want_m: f64| (got / 1e6 - want_m).abs() < 0.01;
    // The payments into the fund, as in the header.
    assert!(close(at(&gec, 2016), 72.31), "{}", at(&gec, 2016));
    assert!(close(at(&gec, 2022), 285.62), "{}", at(&gec, 2022));
    assert!(close(at(&gec, 2026), 420.82), "{}", at(&gec, 2026));
    // The balance at three points of the hand table.
    assert!(close(at(&owed, 2014), 3_350.01), "{}", at(&owed, 2014));
    assert!(close(at(&owed, 2025), 2_912.03), "{}", at(&owed, 2025));
    assert!(close(at(&owed, 2033), 176.34), "{}", at(&owed, 2033));
    // Repaid in 2034: the last payment is what was owed with a year's interest; the rest goes on.
    assert_eq!(repaid_in(&owed), Some(2034));
    assert!(close(at(&gec, 2034), 184.10), "{}", at(&gec, 2034));
    assert!(close(at(&rest, 2034), 236.72), "{}", at(&rest, 2034));
    assert_eq!(at(&rest, 2033), 0.0);
    assert_eq!(at(&gec, 2035), 0.0);
}

#[test]
fn the_2024_amendment_repays_what_is_owed_in_2033_and_each_later_tranche_in_its_year() {
    let s = load("drc-sicomines-2024");
    let (_, out) = base_case(&s);
    let rows = yearly(&s, &out).rows;
    let owed = series(&rows, "deal.tiers[0]", "owed");
    let gec = series(&rows, "gec", "payouts");
    let rest = series(&rows, "shareholders", "payouts");
    let close = |got: f64, want_m: f64| (got / 1e6 - want_m).abs() < 0.01;
    assert!(close(at(&gec, 2016), 66.85), "{}", at(&gec, 2016));
    assert!(close(at(&gec, 2026), 409.75), "{}", at(&gec, 2026));
    assert!(close(at(&owed, 2018), 908.24), "{}", at(&owed, 2018));
    assert!(close(at(&owed, 2024), 480.93), "{}", at(&owed, 2024));
    assert!(close(at(&owed, 2032), 59.97), "{}", at(&owed, 2032));
    assert_eq!(repaid_in(&owed), Some(2033));
    assert!(close(at(&gec, 2033), 386.61), "{}", at(&gec, 2033));
    assert!(close(at(&rest, 2033), 23.15), "{}", at(&rest, 2033));
    for y in 2034..=2040 {
        assert!(close(at(&gec, y), 324.0) && close(at(&rest, y), 85.75), "{y}");
        assert_eq!(at(&owed, y), 0.0);
    }
}

#[test]
fn both_deals_run_the_same_on_one_and_two_threads() {
    for name in ["drc-sicomines-2008", "drc-sicomines-2024"] {
        let s = load(name);
        let one = run(&s, &RunConfig { threads: 1, ..RunConfig::new(512, 7) }).expect("run");
        let two = run(&s, &RunConfig { threads: 2, ..RunConfig::new(512, 7) }).expect("run");
        assert_eq!(
            serde_json::to_string(&one).expect("json"),
            serde_json::to_string(&two).expect("json"),
            "{name}"
        );
    }
}
