//! Faults found by users outside the Ukrainian case, each pinned with numbers worked out by hand.
//!
//! `tests/data/faults/one-mine.toml`: one mine, gold flat at $1,000/oz real, no inflation, no taxes, no
//! royalty, no opex, valuation rate 0, horizon 2026-2031. Its deposit `site` is licensed at the start; the
//! `licensed` stage lasts 0 years unless a test says otherwise, so the decision falls in 2026.
//! `tests/data/faults/fund-commitments.toml`: the same mine with a fund that co-invests.

use subsoil_core::PathOutcome;
use subsoil_engine::base_case;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/faults");

fn load(file: &str, sets: &[&str]) -> subsoil_scenario::Scenario {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    match subsoil_scenario::load(&format!("{DIR}/{file}"), &sets) {
        Ok(s) => s,
        Err(e) => panic!("{file} does not load:\n{}", e.render()),
    }
}

fn run(file: &str, sets: &[&str]) -> PathOutcome {
    base_case(&load(file, sets)).1
}

fn close(a: f64, b: f64, what: &str) {
    assert!((a - b).abs() <= 1e-6 * b.abs().max(1.0), "{what}: {a} vs {b}");
}

/// Yearly (capex, revenue) of project 0, nominal.
fn capex_revenue(out: &PathOutcome) -> Vec<(f64, f64)> {
    out.flows(0).expect("traced").iter().map(|f| (f.capex, f.revenue)).collect()
}

#[test]
fn a_zero_year_build_spends_its_capex_in_its_first_year() {
    // construction-years = 0, capex 300m, 100,000 oz a year for 5 years at $1,000: 2026 pays the capex and
    // produces; 2027-2030 produce. NPV at 0% = -300m + 5 × 100m = 200m.
    let out = run("one-mine.toml", &[]);
    let y = capex_revenue(&out);
    close(y[0].0, 300e6, "capex 2026");
    close(y[0].1, 100e6, "revenue 2026");
    for (t, (capex, revenue)) in y.iter().enumerate().take(5).skip(1) {
        close(*capex, 0.0, &format!("capex {}", 2026 + t));
        close(*revenue, 100e6, &format!("revenue {}", 2026 + t));
    }
    close(y[5].1, 0.0, "revenue 2031");
    close(out.projects[0].capex_nominal, 300e6, "capex over the horizon");
    close(out.projects[0].npv_real, 200e6, "NPV at 0%");
    assert_eq!(out.projects[0].first_production, Some(2026));
}

#[test]
fn a_zero_year_build_that_does_not_pay_is_not_built() {
    // Capex 600m against 5 × 100m of revenue: NPV at the 5% hurdle is -600m + 100m × (1 + 1/1.05 + … +
    // 1/1.05⁴) = -600m + 454.6m < 0, so the NPV rule does not build it.
    let out =
        run("one-mine.toml", &["projects.mine.decision=\"npv\"", "projects.mine.capex=600e6"]);
    assert_eq!(out.projects[0].decision_year, None);
    close(out.projects[0].capex_nominal, 0.0, "capex");
    // At 300m it pays (-300m + 454.6m > 0) and is built at once.
    let out = run("one-mine.toml", &["projects.mine.decision=\"npv\""]);
    assert_eq!(out.projects[0].decision_year, Some(2026));
}

#[test]
fn a_stage_of_d_years_delays_what_follows_by_d_years() {
    // The `licensed` stage starts at the beginning of 2026 and ends at 2026 + d; the decision falls in the
    // year that contains that moment (years are half-open: ending exactly at 2027.0 is 2027).
    for (d, decided) in [("0", 2026), ("1", 2027), ("2", 2028), ("1.5", 2027), ("0.99", 2026)] {
        let out = run(
            "one-mine.toml",
            &[&format!("stages.licensed.duration={d}"), "projects.mine.construction-years=1"],
        );
        assert_eq!(out.projects[0].decision_year, Some(decided), "licensed stage of {d} years");
        // A one-year build: capex in the decision year, first output the year after.
        assert_eq!(out.projects[0].first_production, Some(decided + 1), "d = {d}");
    }
}

#[test]
fn stages_in_a_row_add_up_their_durations() {
    // A second project on the deposit `field`, identified at the start: exploration 0.5 years, then
    // licensing by auction 0.5 (licence awarded at 2026 + 1.0, so in 2027, when the fee of 1m is paid),
    // then feasibility 0.3 (ready at 2027.3: decided in 2027).
    let s = load(
        "one-mine.toml",
        &[
            "stages.identified.duration=0.5",
            "stages.explored.duration=0.5",
            "stages.licensed.duration=0.3",
            "fiscal.licence-fee=1e6",
            "projects.field-mine.deposit=\"field\"",
            "projects.field-mine.decision=\"always\"",
            "projects.field-mine.construction-years=1",
            "projects.field-mine.life-years=1",
            "projects.field-mine.capex=1e6",
            "projects.field-mine.products.gold.capacity=1",
        ],
    );
    let out = base_case(&s).1;
    let field = s.model.projects.iter().position(|p| p.id == "field-mine").unwrap();
    let fees: Vec<f64> = out.flows(field).expect("traced").iter().map(|f| f.licence_fee).collect();
    close(fees[0], 0.0, "fee 2026");
    close(fees[1], 1e6, "fee 2027");
    assert_eq!(out.projects[field].decision_year, Some(2027));
}

#[test]
fn a_fractional_life_produces_part_of_its_last_year() {
    // life-years = 2.5 with a one-year build in 2026: full output in 2027 and 2028, half in 2029, nothing
    // after.
    let out = run(
        "one-mine.toml",
        &["projects.mine.life-years=2.5", "projects.mine.construction-years=1"],
    );
    let revenue: Vec<f64> = capex_revenue(&out).iter().map(|x| x.1).collect();
    for (t, want) in [0.0, 100e6, 100e6, 50e6, 0.0, 0.0].iter().enumerate() {
        close(revenue[t], *want, &format!("revenue {}", 2026 + t));
    }
}

#[test]
fn the_fund_keeps_what_it_owes_on_its_commitments() {
    // The partner pays 1,000m in 2026; lock-up until 2027. The mine is ready in 2027 (licensed stage of
    // 1.5 years), the fund commits 30% of its 300m capex (90m), paid 30m a year in 2027-2029. In 2027 it
    // pays the 30m call and keeps the 60m it still owes: it distributes 1,000m - 30m - 60m = 910m. It
    // then pays the 2028 and 2029 calls in full and ends with its 30% stake.
    let out = run("fund-commitments.toml", &[]);
    // Parties are ordered by id: `host` is 0, `us` is 1.
    close(out.fund[0].payouts[1], 0.0, "partner 2026 (locked up)");
    close(out.fund[1].payouts[1], 910e6, "partner 2027");
    close(out.fund[1].invested, 30e6, "call paid 2027");
    close(out.fund[2].invested, 30e6, "call paid 2028");
    close(out.fund[3].invested, 30e6, "call paid 2029");
    close(out.projects[0].fund_share, 0.3, "share offered");
    // The stake: 90m of 300m paid in.
    let fund_paid: f64 = out.fund.iter().map(|y| y.invested).sum();
    close(
        fund_paid / out.projects[0].capex_nominal,
        0.3,
        "the fund's share of the capital paid in",
    );
}

#[test]
fn the_fund_offers_from_what_is_left_after_each_commitment_of_the_year() {
    // A second mine on the same site, ready in 2027 too, with capex 4,000m. The fund's 1,000m orders the
    // two: the first mine (NPV > 0) before the second (NPV < 0), both built (`always`). The first takes the
    // 30% cap (90m committed); the second is offered what is left, 910m of 4,000m = 22.75% (not 25%, which
    // the room before the first commitment would give).
    let s = load(
        "fund-commitments.toml",
        &[
            "projects.mine2.deposit=\"site\"",
            "projects.mine2.decision=\"always\"",
            "projects.mine2.construction-years=3",
            "projects.mine2.life-years=5",
            "projects.mine2.capex=4000e6",
            "projects.mine2.products.gold.capacity=100000",
        ],
    );
    let out = base_case(&s).1;
    let mine2 = s.model.projects.iter().position(|p| p.id == "mine2").unwrap();
    assert_eq!(out.projects[0].decision_year, Some(2027));
    assert_eq!(out.projects[mine2].decision_year, Some(2027));
    close(out.projects[0].fund_share, 0.3, "first mine's share");
    close(out.projects[mine2].fund_share, 910.0 / 4000.0, "second mine's share");
}

#[test]
fn a_stake_is_worth_at_least_nothing() {
    // With a closure cost of 500m the mine's last years are a liability: horizon 2026-2034, production
    // 2030-2034, closure due in 2035. The fund's 30% stake would be worth 30% × -500m; limited liability
    // makes it worth 0, so the fund is worth its cash.
    let out =
        run("fund-commitments.toml", &["time.horizon-years=9", "projects.mine.closure-cost=500e6"]);
    let cash = out.fund.last().unwrap().cash;
    assert!(out.fund_value_real >= 0.0, "fund value {}", out.fund_value_real);
    close(out.fund_value_real, cash, "fund value = its cash");
}

#[test]
fn flows_after_the_horizon_are_flagged_and_can_be_counted() {
    // Horizon 2026-2028; the zero-year build produces 2026-2030. By default the NPV stops at the horizon:
    // -300m + 3 × 100m = 0, and the project is flagged as running past it, with a warning.
    let s = load("one-mine.toml", &["time.horizon-years=3"]);
    let (bc, out) = base_case(&s);
    assert!(out.projects[0].runs_past_horizon);
    close(out.projects[0].npv_real, 0.0, "NPV within the horizon");
    assert!(
        bc.warnings().iter().any(|w| w.contains("1 of 1 projects still run after the horizon"))
    );
    // With the expected flows counted: 2029 and 2030 at 100m each, at 0% = 200m more.
    let s =
        load("one-mine.toml", &["time.horizon-years=3", "time.terminal-value=\"expected-flows\""]);
    let (bc, out) = base_case(&s);
    close(out.projects[0].terminal_value_real, 200e6, "terminal value");
    close(out.projects[0].npv_real, 200e6, "NPV with the terminal value");
    assert!(bc.warnings().is_empty(), "{:?}", bc.warnings());
    // A project that ends within the horizon is not flagged.
    let out = run("one-mine.toml", &[]);
    assert!(!out.projects[0].runs_past_horizon);
}

#[test]
fn an_occupied_operation_does_not_run_after_the_horizon() {
    // Two operations producing at the start with five years left, over a three-year horizon: the one on
    // a site that can be worked runs past the horizon; the one on an occupied site never produces again
    // (occupation is not reversed), so it has no flows after the horizon to leave out. Before, both
    // were flagged ("2 of 2 projects still run after the horizon"; the Ukrainian scenarios counted the
    // Crimean shelf gas, occupied since 2014).
    let s = load("occupied-mine.toml", &[]);
    let (bc, out) = base_case(&s);
    let id = |name: &str| s.model.projects.iter().position(|p| p.id == name).unwrap();
    assert!(out.projects[id("working")].runs_past_horizon);
    assert!(!out.projects[id("cut-off")].runs_past_horizon);
    assert!(
        bc.warnings().iter().any(|w| w.contains("1 of 2 projects still run after the horizon")),
        "{:?}",
        bc.warnings()
    );
}
