//! A scenario of one mine needs no boilerplate: without `[macro]`, `[conflict]`, `[stages]`, `[deal]` or a
//! deposits file it runs on documented neutral defaults (no inflation, exchange rate 1, at peace, no
//! stage durations, no fees, no deal), and its NPV is the hand computation below.

use subsoil_engine::base_case;

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/minimal/one-mine.toml");

fn load(sets: &[&str]) -> Result<subsoil_scenario::Scenario, String> {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    subsoil_scenario::load(FILE, &sets).map_err(|e| e.render())
}

#[test]
fn one_mine_runs_on_neutral_defaults_and_matches_the_hand_computation() {
    let s = load(&[]).unwrap_or_else(|e| panic!("{e}"));
    assert!(s.model.conflict.at_peace);
    assert!(!s.model.deal.active());
    let (bc, out) = base_case(&s);
    // Copper flat at $9,000/t (long-run level = price, no volatility), 40,000 t a year for 12 years
    // (2028-2039) after a two-year build of $900m (450 in 2026 and 2027). Royalty 3.5% of revenue,
    // opex $5,200/t, no sustaining capex or closure; corporate tax 30% after straight-line depreciation of
    // the capex over the default 10 years from first production (90 a year, 2028-2037).
    let revenue = 360.0;
    let royalty = 0.035 * revenue;
    let opex = 208.0;
    let mut fcf = vec![-450.0, -450.0];
    for year in 2028..=2039 {
        let depreciation = if year <= 2037 { 90.0 } else { 0.0 };
        let tax = 0.3 * (revenue - royalty - opex - depreciation);
        fcf.push(revenue - royalty - opex - tax);
    }
    // Start-of-year convention at 8% real, no inflation: flow of year t divided by 1.08^t.
    let npv: f64 =
        fcf.iter().enumerate().map(|(t, x)| x / 1.08f64.powi(t as i32)).sum::<f64>() * 1e6;
    let got = bc.projects[0].npv;
    assert!((got - npv).abs() < 1e-6 * npv.abs(), "NPV {got} vs hand {npv}");
    let flows = out.flows(0).expect("traced");
    assert!((flows[2].revenue - 360e6).abs() < 1.0);
    assert_eq!(bc.projects[0].first_production, Some(2028));
}

#[test]
fn a_conflict_section_needs_a_ceasefire_rule_and_renewed_war_needs_its_hazard() {
    let err = load(&["conflict.creep-hazard=0"]).expect_err("refused");
    assert!(err.contains("give `ceasefire-hazard` or `ceasefire-year`"), "{err}");
    let err = load(&["conflict.ceasefire-year=2030", "conflict.renewed-war-hazard=0.1"])
        .expect_err("refused");
    assert!(err.contains("renewed war needs `conflict.ceasefire-hazard`"), "{err}");
    // A war that ends in 2030: years to 2029 at war (the ceasefire comes at the start of 2030).
    let s = load(&["conflict.ceasefire-year=2030"]).unwrap_or_else(|e| panic!("{e}"));
    assert!(!s.model.conflict.at_peace);
    let (bc, _) = base_case(&s);
    assert_eq!(bc.ceasefire_year, Some(2030));
}

#[test]
fn a_psa_needs_its_terms_somewhere() {
    let err = load(&["projects.hill-mine.regime=\"psa\""]).expect_err("refused");
    assert!(err.contains("needs `projects.hill-mine.psa.cost-recovery-limit` or"), "{err}");
    assert!(
        load(&[
            "projects.hill-mine.regime=\"psa\"",
            "fiscal.psa-cost-recovery-limit=0.7",
            "fiscal.psa-state-share=0.3",
        ])
        .is_ok()
    );
}

#[test]
fn deposits_written_inline_take_generic_control_names() {
    let s = load(&["deposits.sites.hill.control=\"contested\"", "conflict.ceasefire-hazard=0"])
        .unwrap_or_else(|e| panic!("{e}"));
    // A contested site cannot be worked while the war lasts (here, the whole horizon).
    let (bc, _) = base_case(&s);
    assert_eq!(bc.projects[0].first_production, None);
    let err = load(&["deposits.sites.hill.control=\"enemy\""]).expect_err("refused");
    assert!(err.contains("deposits.sites.hill.control"), "{err}");
}

#[test]
fn every_discounting_convention_gives_its_hand_computed_npv() {
    // The flows of the first test, discounted from the start, the middle or the end of each year.
    let mut fcf = vec![-450.0, -450.0];
    for year in 2028..=2039 {
        let depreciation = if year <= 2037 { 90.0 } else { 0.0 };
        let tax = 0.3 * (360.0 - 0.035 * 360.0 - 208.0 - depreciation);
        fcf.push(360.0 - 0.035 * 360.0 - 208.0 - tax);
    }
    for (convention, offset) in [("start-of-year", 0.0), ("mid-year", 0.5), ("end-of-year", 1.0)] {
        let s = load(&[&format!("time.discounting=\"{convention}\"")])
            .unwrap_or_else(|e| panic!("{e}"));
        let npv: f64 = fcf
            .iter()
            .enumerate()
            .map(|(t, x)| x * 1.08f64.powf(-(t as f64 + offset)))
            .sum::<f64>()
            * 1e6;
        let got = base_case(&s).0.projects[0].npv;
        assert!((got - npv).abs() < 1e-6 * npv.abs(), "{convention}: NPV {got} vs hand {npv}");
        // The investment decision does not depend on it (it scales every flow alike): at a capex of $800m
        // the NPV rule builds in 2026, at $1bn never, under every convention.
        for (capex, built) in [("800e6", Some(2026)), ("1000e6", None)] {
            let s = load(&[
                &format!("time.discounting=\"{convention}\""),
                "projects.hill-mine.decision=\"npv\"",
                &format!("projects.hill-mine.capex={capex}"),
            ])
            .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(base_case(&s).0.projects[0].decision_year, built, "{convention} {capex}");
        }
    }
}

/// An IRR is the return of an investment: the mine built on the path has one, while the same mine already
/// producing at the start has none, even when its first years' flows are outlays (its output ramps up from
/// 20% of capacity, which does not cover the opex and $50m a year of sustaining capital) followed by
/// positive ones, flows an IRR could be computed for.
#[test]
fn only_a_project_built_on_the_path_has_an_irr() {
    let (built, _) = base_case(&load(&[]).unwrap_or_else(|e| panic!("{e}")));
    // The flows of the hand computation above: -450, -450, then 139.4 before tax, less 30% tax after
    // 90 of depreciation for ten years (124.58) and without it for two (97.58); their IRR, by
    // bisection, is 7.621931676%.
    let irr = built.projects[0].irr.expect("a built mine has an IRR");
    assert!((irr - 0.076_219_316_76).abs() < 1e-9, "IRR {irr}");
    let producing = load(&[
        "projects.hill-mine.stage=\"producing\"",
        "projects.hill-mine.profile.start-age=0",
        "projects.hill-mine.profile.ramp-years=4",
        "projects.hill-mine.profile.ramp-start=0.2",
        "projects.hill-mine.sustaining-capex=50e6",
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let (bc, out) = base_case(&producing);
    let flows = out.flows(0).expect("traced");
    let fcf: Vec<f64> = flows.iter().map(|f| f.fcf() / 1e6).collect();
    assert!(fcf[0] < -1.0 && fcf[2..12].iter().all(|x| *x > 0.0), "{fcf:?}");
    assert!(subsoil_finance::irr(&fcf[..12]).is_some());
    assert_eq!(bc.projects[0].irr, None);
}

/// A scenario without `[conflict]` is a country at peace from before its start: investors add the peace
/// premium to their hurdle from the first year on, the post-war premium never applies and no ceasefire
/// is reported. The post-war premium is for the years after a war's ceasefire.
#[test]
fn a_country_at_peace_prices_its_risk_at_the_peace_premium_from_the_first_year() {
    // The flows of the first test ($m) and their NPV at a real hurdle `r`, discounted from the decision
    // year (no inflation, flat prices: the same in whichever year the mine is decided).
    let mut fcf = vec![-450.0, -450.0];
    fcf.extend([124.58; 10]);
    fcf.extend([97.58; 2]);
    let npv =
        |r: f64| -> f64 { fcf.iter().enumerate().map(|(t, x)| x / (1.0 + r).powi(t as i32)).sum() };
    // With a base hurdle of 4%: 4% + 3% = 7% makes the mine worth building (NPV +$31.0m), 4% + 5% = 9%
    // does not (−$62.8m), and 4% + 50% certainly does not.
    assert!((npv(0.07) - 31.0).abs() < 0.05, "{}", npv(0.07));
    assert!((npv(0.09) + 62.8).abs() < 0.05, "{}", npv(0.09));
    assert!(npv(0.54) < -400.0);
    let mine = |sets: &[&str]| {
        let mut all = vec!["projects.hill-mine.decision=\"npv\"", "rates.investor-base=0.04"];
        all.extend_from_slice(sets);
        let s = load(&all).unwrap_or_else(|e| panic!("{e}"));
        let (bc, _) = base_case(&s);
        (bc.projects[0].decision_year, bc.ceasefire_year)
    };
    // At peace: the peace premium decides in 2026, the first year, whatever the post-war premium.
    let peace3_postwar50 =
        ["rates.country-risk-premium-peace=0.03", "rates.country-risk-premium-postwar=0.5"];
    assert_eq!(mine(&peace3_postwar50), (Some(2026), None));
    let peace5_postwar0 =
        ["rates.country-risk-premium-peace=0.05", "rates.country-risk-premium-postwar=0"];
    assert_eq!(mine(&peace5_postwar0), (None, None));
    // After a war whose ceasefire comes at the start of 2026, the first five years (2026-2030) are post-war:
    // at 4% + 50% the mine waits, and it is built in 2031 at the peace premium; at a post-war premium of
    // 0 (a 4% hurdle) it is built at once, though 9% would not build it later.
    let war = "conflict.ceasefire-year=2026";
    assert_eq!(mine(&[peace3_postwar50[0], peace3_postwar50[1], war]), (Some(2031), Some(2026)));
    assert_eq!(mine(&[peace5_postwar0[0], peace5_postwar0[1], war]), (Some(2026), Some(2026)));
}
