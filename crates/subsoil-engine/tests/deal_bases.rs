//! Deal bases beyond the state's receipts, pinned by hand on one mine (`tests/data/deal_bases/jv.toml`):
//! a project's dividends to a named equity holder, shares and credits that follow a price, and the part
//! of the dividends earned above a price, paid straight to a party.
//!
//! The mine: $100m built in 2030, 10,000 t of copper a year 2031-2035 at opex $4,000/t, no royalty,
//! corporate tax 30% after straight-line depreciation over 5 years ($20m a year from 2031) with losses
//! carried forward. Copper (deck, no inflation): 2031 $5,000, 2032 $6,600, 2033 $8,000, 2034 $10,000,
//! 2035 $13,000/t. Free cash flow ($m):
//!   2030  −100 (capex)
//!   2031  revenue 50 − opex 40 = 10; taxable 50 − 40 − 20 = −10, carried; tax 0          → fcf 10
//!   2032  66 − 40 = 26; taxable 6 − 10 carried = −4, carried; tax 0                     → fcf 26
//!   2033  80 − 40 = 40; taxable 20 − 4 = 16, tax 4.8                                    → fcf 35.2
//!   2034  100 − 40 = 60; taxable 40, tax 12                                             → fcf 48
//!   2035  130 − 40 = 90; taxable 70, tax 21                                             → fcf 69
//! Dividends are the positive part of the free cash flow: nothing in 2030 (a capital call, not carried
//! against later years). The state holds 20%: dividends 2, 5.2, 7.04, 9.6, 13.8 ($m, 2031-2035).
//!
//! Rule 0: half of the state's dividends: 1, 2.6, 3.52, 4.8, 6.9.
//! Rule 1: 40% of them times a factor linear from 0 at $6,000/t to 1 at $10,000/t, flat outside:
//!   2031 $5,000 (below)  factor 0                         → 0
//!   2032 $6,600          factor 600/4,000 = 0.15, × 0.4 × 5.2  → 0.312
//!   2033 $8,000          factor 0.5, × 0.4 × 7.04         → 1.408
//!   2034 $10,000 (at)    factor 1,   × 0.4 × 9.6          → 3.84
//!   2035 $13,000 (above) factor 1,   × 0.4 × 13.8         → 5.52
//! Rule 2: 30% of all owners' dividends earned above $12,000/t: 10,000 t × ($13,000 − $12,000) = $10m in
//!   2035 (under its $69m dividends), × 0.3 = 3; nothing before. Paid to the state in the year.
//! Credit: $10m a year 2031-2035 to the lender times a factor linear from 0 at $5,200/t to 1 at $8,000/t:
//!   2031 $5,000 → 0; 2032 $6,600 → 1,400/2,800 = 0.5 → 5; 2033-2035 → 10.
//! Waterfall: everything in the fund to the lender (`rest`), so the lender's payouts are rules 0 and 1.

use subsoil_engine::{base_case, yearly, yearly::Row};
use subsoil_scenario::Scenario;

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/deal_bases/jv.toml");

fn load(sets: &[&str]) -> Result<Scenario, String> {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    subsoil_scenario::load(FILE, &sets).map_err(|e| e.render())
}

/// The base case's rows of `item` for `id` by year, in $m.
fn series(rows: &[Row], id: &str, item: &str) -> Vec<(i32, f64)> {
    rows.iter().filter(|r| r.id == id && r.item == item).map(|r| (r.year, r.value / 1e6)).collect()
}

fn assert_years(got: &[(i32, f64)], want: &[(i32, f64)], what: &str) {
    for &(y, w) in want {
        let g = got.iter().find(|(gy, _)| *gy == y).map(|(_, v)| *v).unwrap_or(0.0);
        assert!((g - w).abs() < 1e-9, "{what} {y}: {g} vs hand {w}");
    }
}

#[test]
fn dividends_price_links_and_the_part_above_a_price_pay_the_hand_computed_amounts() {
    let s = load(&[]).unwrap_or_else(|e| panic!("{e}"));
    let (_, out) = base_case(&s);
    let fcf: Vec<f64> = (0..6).map(|t| out.flows(0).expect("traced")[t].fcf() / 1e6).collect();
    for (got, want) in fcf.iter().zip([-100.0, 10.0, 26.0, 35.2, 48.0, 69.0]) {
        assert!((got - want).abs() < 1e-9, "fcf {got} vs {want}");
    }
    let rows = yearly(&s, &out).rows;
    let rule =
        |k: usize| series(&rows, &format!("deal.contributions[{k}]"), "contributions-by-rule");
    let r0 = [(2030, 0.0), (2031, 1.0), (2032, 2.6), (2033, 3.52), (2034, 4.8), (2035, 6.9)];
    let r1 = [(2030, 0.0), (2031, 0.0), (2032, 0.312), (2033, 1.408), (2034, 3.84), (2035, 5.52)];
    let r2 = [(2030, 0.0), (2031, 0.0), (2032, 0.0), (2033, 0.0), (2034, 0.0), (2035, 3.0)];
    assert_years(&rule(0), &r0, "rule 0");
    assert_years(&rule(1), &r1, "rule 1");
    assert_years(&rule(2), &r2, "rule 2");
    let credits = [(2030, 0.0), (2031, 0.0), (2032, 5.0), (2033, 10.0), (2034, 10.0), (2035, 10.0)];
    assert_years(&series(&rows, "lender", "credits"), &credits, "credits");
    let lender: Vec<(i32, f64)> = r0.iter().zip(&r1).map(|(a, b)| (a.0, a.1 + b.1)).collect();
    assert_years(&series(&rows, "lender", "payouts"), &lender, "lender's payouts");
    assert_years(&series(&rows, "state", "payouts"), &r2, "state's payouts");
}
