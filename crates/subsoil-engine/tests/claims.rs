//! Judging claims: the verdict follows the statistic's 95% interval against the threshold, a claim whose
//! interval straddles its threshold depends on the inputs that swing it most, and scenarios that
//! disagree are named. Every run has a fixed seed, so each check is deterministic.

use subsoil_engine::RunConfig;
use subsoil_engine::claims::{ClaimResult, Side, Swing, Verdict, decides, judge};
use subsoil_scenario::claims::{Holds, parse};

const PATHS: u64 = if cfg!(debug_assertions) { 100 } else { 400 };

fn config() -> RunConfig {
    RunConfig { threads: 2, ..RunConfig::new(PATHS, 9) }
}

fn claim(statistic: &str, holds: &str, threshold: f64, scenarios: &str, extra: &str) -> String {
    format!(
        "format-version = 1\n[[claims]]\nid = \"t\"\nclaim = \"a test\"\nsource = \"a test\"\n\
         statistic = \"{statistic}\"\nholds = \"{holds}\"\nthreshold = {threshold:e}\nreason = \"a test\"\n\
         scenarios = [{scenarios}]\n{extra}"
    )
}

#[test]
fn a_straddled_threshold_depends_on_the_inputs_that_swing_the_statistic_most() {
    // First the statistic itself: the final agreement's mean capex.
    let probe =
        parse(&claim("mean:capex", "above", 0.0, "\"ukraine-final-2025\"", "")).expect("parses");
    let r = judge(&probe, &[], &config(), &|_, _| {}).expect("judged");
    let j = &r[0].judged[0];
    assert_eq!(j.side, Side::Holds);
    assert_eq!(r[0].verdict, Verdict::Supported);
    // A threshold at the estimate lies inside the interval: the verdict depends on the swing inputs,
    // listed largest swing first; an input the scenario lacks is skipped.
    let swing = "swing = [\"no.such-input\", \"rates.investor-base\", \"leakage.capex-excess\"]\n";
    let text = claim("mean:capex", "above", j.interval.value, "\"ukraine-final-2025\"", swing);
    let r = judge(&parse(&text).expect("parses"), &[], &config(), &|_, _| {}).expect("judged");
    assert_eq!(r[0].judged[0].side, Side::Unclear);
    let Verdict::DependsOn { holds_under, fails_under, inputs } = &r[0].verdict else {
        panic!("{:?}", r[0].verdict)
    };
    assert!(holds_under.is_empty() && fails_under.is_empty());
    assert_eq!(r[0].swings.len(), 2, "the unknown input is skipped");
    assert!(r[0].swings[0].swing().abs() >= r[0].swings[1].swing().abs());
    assert_eq!(inputs[0], r[0].swings[0].input);
    assert!(r[0].verdict.label().starts_with("depends on "), "{}", r[0].verdict.label());
}

#[test]
fn scenarios_on_both_sides_are_named() {
    // Nothing reaches the US before 2030 under the final agreement (lock-up to 2035); the February
    // draft distributes from its first year.
    let text = claim(
        "by:partner-first-distribution:2030",
        "below",
        0.5,
        "\"ukraine-feb-2025-draft\", \"ukraine-final-2025\"",
        "",
    );
    let r = judge(&parse(&text).expect("parses"), &[], &config(), &|_, _| {}).expect("judged");
    assert_eq!(
        r[0].verdict,
        Verdict::DependsOn {
            holds_under: vec!["ukraine-final-2025".into()],
            fails_under: vec!["ukraine-feb-2025-draft".into()],
            inputs: vec![],
        }
    );
}

#[test]
fn the_built_in_claims_parse_and_their_facts_are_the_hand_counts() {
    let claims = subsoil_scenario::claims::builtin().expect("the built-in claims file parses");
    let value = |id: &str| {
        let c = claims.iter().find(|c| c.id == id).unwrap_or_else(|| panic!("{id}"));
        subsoil_scenario::claims::data_value(&c.statistic).expect("data").expect("a data claim")
    };
    // data/deposits.csv: 44 deposits, 17 producing; 4 list rare earths, 3 of them occupied
    // (Novopoltavske, Azovske, Mazurivske; Yastrubetske is not).
    assert_eq!(value("deposits-not-mines"), 27.0 / 44.0);
    assert_eq!(value("mostly-occupied"), 3.0 / 4.0);
    assert_eq!(value("not-rare-earths"), 40.0 / 44.0);
    assert_eq!(value("ree-puny"), 4.0 / 44.0);
    // data/macro.toml [reference]: GDP 2020 $155.582bn (the claim's $200bn was 2021), EITI 4.5%.
    assert_eq!(value("gdp-200bn-6pct"), 155.582e9);
    assert_eq!(value("gdp-200bn-6pct/mining-share"), 0.045);
}

/// The claim that the mean of explain/b.toml's partner capital is above its own mean (a threshold its
/// interval straddles), with the claim's `extra` lines, judged.
fn judge_at_the_mean_of_b(extra: &str) -> Vec<ClaimResult> {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/explain/b.toml");
    let scenarios = format!("{file:?}");
    let probe =
        parse(&claim("mean:partner-capital", "above", 0.0, &scenarios, "")).expect("parses");
    let r = judge(&probe, &[], &config(), &|_, _| {}).expect("judged");
    let mean = r[0].judged[0].interval.value;
    let text = claim("mean:partner-capital", "above", mean, &scenarios, extra);
    judge(&parse(&text).expect("parses"), &[], &config(), &|_, _| {}).expect("judged")
}

#[test]
fn a_claim_without_candidates_gets_the_full_tornado() {
    // explain/b.toml has one uncertain input, the partner's yearly credit; its capital account is the
    // $100m of cash plus two such credits, so a threshold at the mean is straddled and the credit is
    // what swings it: from 100 + 2·P10 to 100 + 2·P90 of uniform(0, 200), i.e. $140m to $460m.
    let r = judge_at_the_mean_of_b("");
    let Verdict::DependsOn { inputs, .. } = &r[0].verdict else { panic!("{:?}", r[0].verdict) };
    assert_eq!(inputs, &["deal.credits[0].per-year".to_string()]);
    let s = &r[0].swings[0];
    assert!((s.at_p10 - 140e6).abs() < 1.0 && (s.at_p90 - 460e6).abs() < 1.0, "{s:?}");
}

#[test]
fn an_input_decides_a_claim_only_with_both_ends_clear_on_opposite_sides() {
    let swing = |at_p10: f64, ci95_p10: [f64; 2], at_p90: f64, ci95_p90: [f64; 2]| Swing {
        scenario: "s".into(),
        input: "x".into(),
        at_p10,
        at_p90,
        ci95_p10,
        ci95_p90,
    };
    let below = Holds::Below(0.0);
    // Both ends at -0.05 pp, equal but for rounding, each interval across 0: no decision.
    let noise = swing(
        -0.000_500_000_000_000_002_2,
        [-0.0024, 0.0014],
        -0.000_500_000_000_000_000_4,
        [-0.0024, 0.0014],
    );
    assert!(noise.swing() != 0.0);
    assert!(!decides(&below, &noise));
    // Opposite sides, but one end's interval reaches the threshold.
    assert!(!decides(&below, &swing(-0.01, [-0.02, -0.001], 0.002, [-0.001, 0.005])));
    // Opposite sides, both clear, either way round.
    assert!(decides(&below, &swing(-0.01, [-0.02, -0.001], 0.004, [0.001, 0.007])));
    assert!(decides(&below, &swing(0.004, [0.001, 0.007], -0.01, [-0.02, -0.001])));
    // Without standard errors, an end is clear when it is more than a billionth of the larger of its
    // size, the threshold and 1 away from the threshold.
    let none = [f64::NAN; 2];
    assert!(!decides(&below, &swing(-2e-18, none, 2e-18, none)));
    assert!(decides(&below, &swing(-2e-9, none, 2e-9, none)));
    let above = Holds::Above(1e9);
    assert!(!decides(&above, &swing(1e9 - 0.5, none, 1e9 + 0.5, none)));
    assert!(decides(&above, &swing(1e9 - 2.0, none, 1e9 + 2.0, none)));
    // Both ends on the side where the claim holds: not a decision.
    assert!(!decides(&below, &swing(-0.02, [-0.03, -0.01], -0.01, [-0.02, -0.005])));
}

#[test]
fn a_straddled_claim_that_no_input_decides_is_not_settled_at_the_paths_run() {
    // explain/b.toml has one uncertain input, the partner's yearly credit. With a threshold at the mean
    // of its capital account the interval straddles it; a candidate the scenario does not have gives no
    // swing, so nothing decides the claim.
    let r = judge_at_the_mean_of_b("swing = [\"no.such-input\"]\n");
    assert_eq!(r[0].judged[0].side, Side::Unclear);
    assert_eq!(r[0].verdict, Verdict::Unsettled { paths: PATHS });
    assert_eq!(r[0].verdict.label(), format!("not settled at {PATHS} paths"));
}
