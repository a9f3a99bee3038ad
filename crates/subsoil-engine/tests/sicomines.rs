//! The built-in Sicomines deals: the year the infrastructure loans are repaid in the base case (every
//! input at its median, fixed prices), worked by hand from the scenario files' figures, and the 2024
//! amendment's price-linked terms at two other fixed copper prices.
//!
//! `drc-sicomines-2008`: copper $8,000/t, cobalt $30,000/t (70% payable), no inflation, no tax (the JV is
//! exempt), no royalty. Full output 253,500 t Cu and 5,180 t Co a year; the JV's free cash flow at full
//! output is
//!   253,500 × (8,000 − 4,500) + 5,180 × 30,000 × 0.7 = 887.25m + 108.78m = $996.03m.
//! Capex $3.2bn over 2008-2015 ($400m a year): negative free cash flow, so no dividends.
//! Output ramps linearly from 0.4931 of capacity in 2016 to all of it in 2022 (+0.5069 / 6 a year).
//! The infrastructure loans take 0.65 × 0.65 = 42.25% of the dividends of the whole JV (equity share 1),
//! a dividend being the positive part of the year's free cash flow ($m):
//!   2016  0.4931 × 996.03 = 491.14 → 207.51     2017  0.57758 × 996.03 = 575.29 → 243.06
//!   2018 278.61, 2019 314.17, 2020 349.72, 2021 385.27, 2022 on 996.03 → 420.82
//! The loans: $500m credited each year 2009-2014, interest 4.4% compounded on the balance at the end of
//! the year before. Balance B(y) = 1.044 B(y − 1) + credit − payment ($m, end of year):
//!   2009 500.00  2010 1,022.00  2011 1,566.97  2012 2,135.92  2013 2,729.90  2014 3,350.01
//!   2015 3,497.41  2016 3,443.79  2017 3,352.26  2018 3,221.14  2019 3,048.71  2020 2,833.13
//!   2021 2,572.52  2022 2,264.89  2023 1,943.72  2024 1,608.42  2025 1,258.37  2026 892.92
//!   2027 511.38  2028 113.06
//!   2029: 113.06 × 1.044 = 118.03 owed < 420.82 paid in: repaid in 2029, and the other 302.79 goes to
//!   the shareholders (the waterfall's `rest`).
//! (The earlier reading of "profit" as taxable profit after depreciation of $320m a year 2016-2025 gave
//! 2034: the dividends convention takes cash, not accounting profit.)
//!
//! `drc-sicomines-2024`: the same mine with a 1.2% royalty on turnover (what the JV is paid: cobalt's
//! 70% payable value, not its contained value), at full output
//! 0.012 × (253,500 × 8,000 + 5,180 × 30,000 × 0.7) = 0.012 × 2,136.78m = $25.64m, so free cash flow is
//! $970.39m and the loans' share 42.25% × 970.39 = 409.99 from 2022 (2016: 0.4931 × 970.39 = 478.50 →
//! 202.17; 2017 236.80; 2018 271.44; 2019 306.08; 2020 340.71; 2021 375.35). Loans: $100m a year
//! 2009-2023, $324m a year 2024-2040 (all of it: $8,000/t is the top of the taper):
//!   2015 799.48 (nothing repaid yet)  2016 732.49  2017 627.92  2018 484.11  2019 299.33  2020 71.79
//!   2021: 71.79 × 1.044 + 100 = 174.95 owed < 375.35: repaid in 2021; the other 200.41 goes to the
//!   shareholders. 2022-2023: each $100m is repaid in its year (309.99 going on); 2024-2040 each $324m
//!   (85.99 going on). (On the contained value, the royalty would be 0.012 × 2,183.40m = $26.20m a year,
//!   1.226% of turnover, and the shareholders' share from 2024 85.75.)
//! The price terms, at other flat copper prices (price and long-run level set together):
//!   $6,600/t: the $324m is (6,600 − 5,200) / (8,000 − 5,200) = 0.5 of it, $162m a year 2024-2040.
//!   $13,000/t: 30% of the copper output times $1,000 above $12,000/t goes to the DRC: in 2016
//!   0.3 × 0.4931 × 253,500 × 1,000 = $37.50m, from 2022 0.3 × 253,500 × 1,000 = $76.05m a year
//!   (far below the JV's dividends); the $324m is paid in full.

use subsoil_engine::{RunConfig, base_case, run, yearly, yearly::Row};
use subsoil_scenario::Scenario;

fn load(name: &str, sets: &[&str]) -> Scenario {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    match subsoil_scenario::load(name, &sets) {
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
fn the_2008_convention_repays_the_infrastructure_loans_in_2029_at_fixed_prices() {
    let s = load("drc-sicomines-2008", &[]);
    let (_, out) = base_case(&s);
    let rows = yearly(&s, &out).rows;
    let owed = series(&rows, "deal.tiers[0]", "owed");
    let gec = series(&rows, "gec", "payouts");
    let rest = series(&rows, "shareholders", "payouts");
    let close = |got: f64, want_m: f64| (got / 1e6 - want_m).abs() < 0.01;
    // The payments into the fund, as in the header.
    assert!(close(at(&gec, 2016), 207.51), "{}", at(&gec, 2016));
    assert!(close(at(&gec, 2017), 243.06), "{}", at(&gec, 2017));
    assert!(close(at(&gec, 2022), 420.82), "{}", at(&gec, 2022));
    // The balance at three points of the hand table.
    assert!(close(at(&owed, 2014), 3_350.01), "{}", at(&owed, 2014));
    assert!(close(at(&owed, 2020), 2_833.13), "{}", at(&owed, 2020));
    assert!(close(at(&owed, 2028), 113.06), "{}", at(&owed, 2028));
    // Repaid in 2029: the last payment is what was owed with a year's interest; the rest goes on.
    assert_eq!(repaid_in(&owed), Some(2029));
    assert!(close(at(&gec, 2029), 118.03), "{}", at(&gec, 2029));
    assert!(close(at(&rest, 2029), 302.79), "{}", at(&rest, 2029));
    assert_eq!(at(&rest, 2028), 0.0);
    assert_eq!(at(&gec, 2030), 0.0);
    // The lender's NPV counts the loans it made: at 6.1% real, end-of-year discounting to 2008, no
    // inflation, the $500m credited each year 2009-14 is worth Σ 500 / 1.061^(y − 2007) = 2,310.04, so
    // counting the credits takes that from the NPV of the repayments alone (a 4.4% loan valued at
    // 6.1% is worth less than it lent).
    let d = &out.deal;
    let credits_pv: f64 = (2009..=2014).map(|y| 500.0 / 1.061f64.powi(y - 2007)).sum();
    assert!((credits_pv - 2_310.04).abs() < 0.01, "{credits_pv}");
    let lent = (d.partner_npv_real - d.partner_npv_with_credits_real) / 1e6;
    assert!((lent - credits_pv).abs() < 0.01, "{lent}");
    assert!(d.partner_npv_with_credits_real < 0.0, "{}", d.partner_npv_with_credits_real);
    // No corporate tax: the JV is exempt, and nothing stands in for the loans' share any more.
    assert!(matches!(s.model.fiscal.cit_rate, subsoil_core::Param::Fixed(r) if r == 0.0));
}

#[test]
fn the_2024_amendment_repays_what_is_owed_in_2021_and_each_later_tranche_in_its_year() {
    let s = load("drc-sicomines-2024", &[]);
    let (_, out) = base_case(&s);
    let rows = yearly(&s, &out).rows;
    let owed = series(&rows, "deal.tiers[0]", "owed");
    let gec = series(&rows, "gec", "payouts");
    let rest = series(&rows, "shareholders", "payouts");
    let drc = series(&rows, "drc", "payouts");
    let close = |got: f64, want_m: f64| (got / 1e6 - want_m).abs() < 0.01;
    assert!(close(at(&gec, 2016), 202.17), "{}", at(&gec, 2016));
    assert!(close(at(&owed, 2015), 799.48), "{}", at(&owed, 2015));
    assert!(close(at(&owed, 2018), 484.11), "{}", at(&owed, 2018));
    assert!(close(at(&owed, 2020), 71.79), "{}", at(&owed, 2020));
    assert_eq!(repaid_in(&owed), Some(2021));
    assert!(close(at(&gec, 2021), 174.95), "{}", at(&gec, 2021));
    assert!(close(at(&rest, 2021), 200.41), "{}", at(&rest, 2021));
    for y in 2022..=2023 {
        assert!(close(at(&gec, y), 100.0) && close(at(&rest, y), 309.99), "{y}");
    }
    for y in 2024..=2040 {
        assert!(close(at(&gec, y), 324.0) && close(at(&rest, y), 85.99), "{y}");
        assert_eq!(at(&owed, y), 0.0);
    }
    // The royalty is 1.2% of turnover: of the revenue the JV is paid, every year.
    let revenue = series(&rows, "sicomines", "revenue");
    let royalty = series(&rows, "sicomines", "royalty");
    for (&(y, r), &(_, k)) in revenue.iter().zip(&royalty) {
        assert!((k - 0.012 * r).abs() <= 1e-6 * r.abs().max(1.0), "{y}: {k} on {r}");
    }
    // At $8,000/t nothing is earned above $12,000/t.
    assert!(drc.iter().all(|(_, v)| *v == 0.0));
}

#[test]
fn the_2024_price_terms_taper_the_tranches_below_8000_and_share_the_profit_above_12000() {
    let credits_at = |price: &str| {
        let sets =
            [format!("products.copper.price={price}"), format!("products.copper.long-run={price}")];
        let sets: Vec<&str> = sets.iter().map(String::as_str).collect();
        let s = load("drc-sicomines-2024", &sets);
        let (_, out) = base_case(&s);
        let rows = yearly(&s, &out).rows;
        (series(&rows, "gec", "credits"), series(&rows, "drc", "payouts"))
    };
    let close = |got: f64, want_m: f64| (got / 1e6 - want_m).abs() < 0.01;
    let (credits, drc) = credits_at("6600");
    assert!(close(at(&credits, 2023), 100.0), "{}", at(&credits, 2023));
    for y in 2024..=2040 {
        assert!(close(at(&credits, y), 162.0), "{y}: {}", at(&credits, y));
    }
    assert!(drc.iter().all(|(_, v)| *v == 0.0));
    let (credits, drc) = credits_at("13000");
    assert!(close(at(&credits, 2024), 324.0), "{}", at(&credits, 2024));
    assert_eq!(at(&drc, 2015), 0.0);
    assert!(close(at(&drc, 2016), 37.50), "{}", at(&drc, 2016));
    for y in 2022..=2040 {
        assert!(close(at(&drc, y), 76.05), "{y}: {}", at(&drc, y));
    }
}

/// What the DRC is paid is a metric of its own. At a flat $13,000/t (no inflation: real = nominal) the
/// 30% above $12,000/t pays 0.3 × 253,500 × 1,000 = $76.05m at full output, times the ramp's share of it
/// in 2016-2021 (0.4931 + k × 0.5069 / 6, k = 0..5: the shares sum to 6 × 0.4931 + 15 × 0.08448 = 4.2259,
/// so $321.38m), and $76.05m a year in 2022-2040 (19 years, $1,444.95m; the mine's life ends in 2040):
/// $1,766.33m. At $8,000/t, nothing.
#[test]
fn the_host_receipts_metric_counts_what_the_deal_pays_the_drc() {
    let receipts = |price: &str| {
        let sets =
            [format!("products.copper.price={price}"), format!("products.copper.long-run={price}")];
        let sets: Vec<&str> = sets.iter().map(String::as_str).collect();
        let s = load("drc-sicomines-2024", &sets);
        let (_, out) = base_case(&s);
        let m = subsoil_engine::metrics::METRICS
            .iter()
            .find(|m| m.name == "host-receipts")
            .expect("the host-receipts metric");
        assert!((m.applies)(&s.model));
        m.value(&s.model, &out)
    };
    let at_13000 = receipts("13000");
    assert!((at_13000 / 1e6 - 1_766.33).abs() < 0.05, "{at_13000}");
    assert_eq!(receipts("8000"), 0.0);
}

#[test]
fn both_deals_run_the_same_on_one_and_two_threads() {
    for name in ["drc-sicomines-2008", "drc-sicomines-2024"] {
        let s = load(name, &[]);
        let one = run(&s, &RunConfig { threads: 1, ..RunConfig::new(512, 7) }).expect("run");
        let two = run(&s, &RunConfig { threads: 2, ..RunConfig::new(512, 7) }).expect("run");
        assert_eq!(
            serde_json::to_string(&one).expect("json"),
            serde_json::to_string(&two).expect("json"),
            "{name}"
        );
    }
}
