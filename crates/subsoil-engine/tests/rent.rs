//! Royalty rates by year and changes of the fiscal regime, pinned with numbers worked out by hand.
//!
//! `tests/data/rent/two-mines.toml`: two gold mines producing 100,000 oz a year from 2026 to 2030 at a
//! flat $1,000/oz real (revenue $100m a year each), no inflation, taxes or leakage, royalty 5%. `licence`
//! pays the fiscal regime's rates; `psa` is a stabilised production-sharing agreement (state share 0).
//! The regime's yearly draws are scripted: a change happens in year index `t` when the uniform at
//! `K_RENT_CHANGE + t` of the stream `fiscal.rent-changes` is at most the year's probability, and is a
//! rise when the uniform at `K_RENT_UP + t` is at most `rent-change-up`; every other uniform is 1 (no
//! event).

mod common;

use subsoil_core::streams::{K_RENT_CHANGE, K_RENT_UP};
use subsoil_core::{PathOutcome, Stream, Workspace, simulate};
use subsoil_risk::stream_id;
use subsoil_scenario::Scenario;

use common::Scripted;

fn load(sets: &[&str]) -> Scenario {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/rent/two-mines.toml");
    subsoil_scenario::load(path, &sets).unwrap_or_else(|e| panic!("{}", e.render()))
}

/// One path at the inputs' medians with the regime's draws `(sub-index, uniform)` scripted.
fn run(s: &Scenario, draws: &[(u32, f64)]) -> PathOutcome {
    let medians = s.inputs.medians();
    let stream = stream_id("fiscal.rent-changes");
    let uniforms = draws.iter().map(|&(k, u)| ((stream, k), u)).collect();
    let r = Scripted { scalars: &medians, uniforms };
    let mut ws = Workspace::new(&s.model);
    let mut out = PathOutcome::new(&s.model, true);
    simulate(&s.model, &r, &mut ws, &mut out);
    out
}

/// Royalty of project `i` in 2026-2031, US$m.
fn royalty(s: &Scenario, out: &PathOutcome, id: &str) -> Vec<f64> {
    let i = s.model.projects.iter().position(|p| p.id == id).expect("project");
    out.flows(i).expect("traced").iter().map(|f| f.royalty / 1e6).collect()
}

fn close(got: &[f64], want: &[f64], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}");
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() <= 1e-9, "{what}: {got:?} vs {want:?}");
    }
}

#[test]
fn a_rate_by_year_gives_each_year_its_royalty() {
    // 5%, 5%, 7% in 2026-2028 and the last held after: $100m x rate = 5, 5, 7, 7, 7; 2031 produces nothing.
    let by_year =
        "products.gold.royalty-rate={ by-year = { 2026 = 0.05, 2027 = 0.05, 2028 = 0.07 } }";
    let s = load(&[by_year]);
    let out = run(&s, &[]);
    close(&royalty(&s, &out, "licence"), &[5.0, 5.0, 7.0, 7.0, 7.0, 0.0], "hold-last");
    // A schedule applies to a stabilised PSA as well: it is the law when the PSA is signed.
    close(&royalty(&s, &out, "psa"), &[5.0, 5.0, 7.0, 7.0, 7.0, 0.0], "PSA");
    // The state receives it as royalty: 10, 10, 14, 14, 14 from both mines.
    let got: Vec<f64> =
        out.years.iter().map(|y| y.receipts.get(Stream::Royalty, false) / 1e6).collect();
    close(&got, &[10.0, 10.0, 14.0, 14.0, 14.0, 0.0], "royalty received");

    // Zero outside the years given: nothing after 2028.
    let zero = "products.gold.royalty-rate={ by-year = { 2026 = 0.05, 2027 = 0.05, 2028 = 0.07 }, outside = \"zero\" }";
    let s = load(&[zero]);
    close(&royalty(&s, &run(&s, &[]), "licence"), &[5.0, 5.0, 7.0, 0.0, 0.0, 0.0], "zero");

    // A project's own schedule overrides the product's, and its scale multiplies every year: 2 x (4%, 6%).
    let own = "projects.licence.products.gold.royalty-rate={ by-year = { 2026 = 0.04, 2027 = 0.06 }, scale = 2 }";
    let s = load(&[by_year, own]);
    let out = run(&s, &[]);
    close(&royalty(&s, &out, "licence"), &[8.0, 12.0, 12.0, 12.0, 12.0, 0.0], "own schedule");
    close(&royalty(&s, &out, "psa"), &[5.0, 5.0, 7.0, 7.0, 7.0, 0.0], "product schedule");
}

#[test]
fn a_change_of_the_regime_reaches_licences_from_the_next_year_and_not_a_stabilised_psa() {
    // Hazard 1/yr (probability 0.632 a year), factor 2. A change drawn in 2027 (year index 1) applies from
    // 2028: the licence pays 5, 5, then 10 (a rise) or 2.5 (a cut); the stabilised PSA pays 5 throughout.
    let sets = ["fiscal.rent-change-hazard=1", "fiscal.rent-change-factor=2"];
    let s = load(&sets);
    let rise = run(&s, &[(K_RENT_CHANGE + 1, 0.5), (K_RENT_UP + 1, 0.2)]);
    close(&royalty(&s, &rise, "licence"), &[5.0, 5.0, 10.0, 10.0, 10.0, 0.0], "rise");
    close(
        &royalty(&s, &rise, "psa"),
        &[5.0; 5].iter().copied().chain([0.0]).collect::<Vec<_>>(),
        "PSA",
    );
    let cut = run(&s, &[(K_RENT_CHANGE + 1, 0.5), (K_RENT_UP + 1, 0.7)]);
    close(&royalty(&s, &cut, "licence"), &[5.0, 5.0, 2.5, 2.5, 2.5, 0.0], "cut");

    // A change sets the level, it does not accumulate: rises in 2026 and 2028 give factors 1, 2, 2, 2, 2,
    // and a cut in 2028 after the rise 1, 2, 2, 0.5, 0.5. A uniform above the year's probability
    // (0.7 > 0.632) is no change.
    let twice = run(
        &s,
        &[
            (K_RENT_CHANGE, 0.1),
            (K_RENT_UP, 0.0),
            (K_RENT_CHANGE + 1, 0.7),
            (K_RENT_UP + 1, 0.0),
            (K_RENT_CHANGE + 2, 0.6),
            (K_RENT_UP + 2, 0.0),
        ],
    );
    close(&royalty(&s, &twice, "licence"), &[5.0, 10.0, 10.0, 10.0, 10.0, 0.0], "twice");
    let back = run(&s, &[(K_RENT_CHANGE, 0.1), (K_RENT_UP, 0.0), (K_RENT_CHANGE + 2, 0.6)]);
    close(&royalty(&s, &back, "licence"), &[5.0, 10.0, 10.0, 2.5, 2.5, 0.0], "rise then cut");

    // A rate never exceeds 1: factor 30 on 5% is 150%, paid as 100% (the whole $100m).
    let s = load(&["fiscal.rent-change-hazard=1", "fiscal.rent-change-factor=30"]);
    let capped = run(&s, &[(K_RENT_CHANGE, 0.1), (K_RENT_UP, 0.0)]);
    close(&royalty(&s, &capped, "licence"), &[5.0, 100.0, 100.0, 100.0, 100.0, 0.0], "capped");

    // With the stabilisation switched off, the PSA pays the changed rates too.
    let s = load(&[&sets[..], &["projects.psa.stabilised=false"]].concat());
    let rise = run(&s, &[(K_RENT_CHANGE + 1, 0.5), (K_RENT_UP + 1, 0.2)]);
    close(&royalty(&s, &rise, "psa"), &[5.0, 5.0, 10.0, 10.0, 10.0, 0.0], "PSA not stabilised");
}

#[test]
fn a_rate_by_year_moves_under_an_unchanged_regime_factor() {
    // Operations write a project's rates again only when the regime's factor changes, unless its rates
    // are given by year: then each year's schedule value counts though the factor stays. Schedule 5%, 5%,
    // 7% (the last held) and a rise by 2 drawn in 2026: factor 1, 2, 2, 2, 2, so the licence pays
    // 5, 10, 14, 14, 14; the stabilised PSA the schedule alone, 5, 5, 7, 7, 7.
    let by_year =
        "products.gold.royalty-rate={ by-year = { 2026 = 0.05, 2027 = 0.05, 2028 = 0.07 } }";
    let s = load(&["fiscal.rent-change-hazard=1", "fiscal.rent-change-factor=2", by_year]);
    let out = run(&s, &[(K_RENT_CHANGE, 0.1), (K_RENT_UP, 0.0)]);
    close(&royalty(&s, &out, "licence"), &[5.0, 10.0, 14.0, 14.0, 14.0, 0.0], "by year, rise");
    close(&royalty(&s, &out, "psa"), &[5.0, 5.0, 7.0, 7.0, 7.0, 0.0], "by year, PSA");
    // Without a schedule the factor alone moves the rate, back and forth: rise in 2026, cut in 2027, rise
    // in 2028 give factors 1, 2, 0.5, 2, 2.
    let s = load(&["fiscal.rent-change-hazard=1", "fiscal.rent-change-factor=2"]);
    let draws = [
        (K_RENT_CHANGE, 0.1),
        (K_RENT_UP, 0.0),
        (K_RENT_CHANGE + 1, 0.1),
        (K_RENT_CHANGE + 2, 0.1),
        (K_RENT_UP + 2, 0.0),
    ];
    let out = run(&s, &draws);
    close(&royalty(&s, &out, "licence"), &[5.0, 10.0, 2.5, 10.0, 10.0, 0.0], "back and forth");
}

#[test]
fn without_changes_or_schedules_the_rates_are_fixed() {
    // No hazard: the regime's stream is never read, and the scripted draws change nothing.
    let s = load(&[]);
    assert!(s.model.fiscal.rent_changes.is_none());
    let out = run(&s, &[(K_RENT_CHANGE, 0.0), (K_RENT_UP, 0.0)]);
    close(&royalty(&s, &out, "licence"), &[5.0, 5.0, 5.0, 5.0, 5.0, 0.0], "fixed");
    // A hazard without a factor is refused, with the field named.
    let e = match subsoil_scenario::load(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/rent/two-mines.toml"),
        &["fiscal.rent-change-hazard=0.2".to_string()],
    ) {
        Ok(_) => panic!("a hazard without a factor was accepted"),
        Err(e) => e,
    };
    assert!(e.render().contains("fiscal.rent-change-factor"), "{}", e.render());
}
