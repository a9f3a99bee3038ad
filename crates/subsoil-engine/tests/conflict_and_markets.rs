//! War and peace, the advancing front, settlements, war damage, the dominant producer and leakage, each
//! pinned on a small scenario with chosen random draws (tests/data/conflict): two producing operations
//! near the front in Donetsk, one far from it in Kirovohrad, 10 t/yr each at a flat 100 USD/t.
//!
//! Year indexes: 0 = 2026. A draw of 1.0 means "no event"; the tests set the draws that matter.

mod common;

use subsoil_core::streams::{
    K_BREAKDOWN, K_CEASEFIRE, K_CONTROLS, K_CUT, K_DAMAGE, K_FLOOD, K_FRONT,
};
use subsoil_core::{PathOutcome, Randomness, Workspace, simulate};
use subsoil_risk::stream_id;
use subsoil_scenario::Scenario;

use common::Scripted;

fn load(sets: &[&str]) -> Scenario {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/conflict/scenario.toml");
    subsoil_scenario::load(path, &sets).unwrap_or_else(|e| panic!("{}", e.render()))
}

fn run(s: &Scenario, draws: &[(&str, u32, f64)]) -> PathOutcome {
    let medians = s.inputs.medians();
    let uniforms = draws.iter().map(|(name, k, u)| ((stream_id(name), *k), *u)).collect();
    let r = Scripted { scalars: &medians, uniforms };
    let mut ws = Workspace::new(&s.model);
    let mut out = PathOutcome::new(&s.model, true);
    simulate(&s.model, &r, &mut ws, &mut out);
    out
}

fn index(s: &Scenario, id: &str) -> usize {
    s.model.projects.iter().position(|p| p.id == id).expect("project")
}

/// Years (0 = 2026) in which a project had output.
fn producing_years(s: &Scenario, out: &PathOutcome, id: &str) -> Vec<usize> {
    let flows = out.flows(index(s, id)).expect("traced");
    flows.iter().enumerate().filter(|(_, f)| f.revenue > 0.0).map(|(t, _)| t).collect()
}

#[test]
fn a_ceasefire_that_breaks_down_restores_the_war_until_a_new_one() {
    // First ceasefire in mid-2028: war 2026-2028, peace 2029. The first-year breakdown draw (0.1 ≤ 0.5)
    // ends it: war in 2030. A new ceasefire ends that war year (0.5 ≤ 1 − e^−1): peace from 2031.
    let s = load(&[]);
    let out = run(
        &s,
        &[("conflict.events", K_BREAKDOWN + 3, 0.1), ("conflict.events", K_CEASEFIRE + 4, 0.5)],
    );
    let war: Vec<bool> = out.years.iter().map(|y| y.at_war).collect();
    assert_eq!(war, [true, true, true, false, true, false, false, false, false, false]);
    assert_eq!(out.ceasefire_year, Some(2029));
    assert_eq!(out.war_breakdowns, 1);
    // Nothing runs near the front during war; the far operation runs throughout its five years.
    assert_eq!(producing_years(&s, &out, "east1"), [3, 5, 6, 7, 8, 9]);
    assert_eq!(producing_years(&s, &out, "west"), [0, 1, 2, 3, 4]);
}

#[test]
fn the_front_takes_both_deposits_of_an_oblast_at_once() {
    // One draw for Donetsk in 2026 (0.1 ≤ 1 − e^−1): both frontline deposits are occupied from 2027 and
    // never produce, even in peace.
    let s = load(&["conflict.creep-hazard=1.0"]);
    let out = run(&s, &[("oblasts.Donetsk.front", K_FRONT, 0.1)]);
    for id in ["east1", "east2"] {
        assert!(producing_years(&s, &out, id).is_empty(), "{id} produced");
        assert!(out.projects[index(&s, id)].occupied);
    }
    assert!(!out.projects[index(&s, "west")].occupied);
    // Without the draw, they produce from the first peace year.
    let calm = run(&s, &[]);
    assert_eq!(producing_years(&s, &calm, "east2")[0], 3);
}

#[test]
fn a_settlement_gives_up_its_oblasts_at_the_ceasefire() {
    let s = load(&[
        r#"conflict.settlements=[{ name = "loss of Donetsk", probability = 1.0, lost-oblasts = ["Donetsk"] }]"#,
    ]);
    let out = run(&s, &[]);
    assert_eq!(out.settlement, Some(0));
    assert!(producing_years(&s, &out, "east1").is_empty());
    assert!(out.projects[index(&s, "east1")].occupied);
    assert_eq!(producing_years(&s, &out, "west").len(), 5);
}

#[test]
fn a_strike_costs_a_year_of_output_but_not_a_year_of_life() {
    let s =
        load(&["conflict.exposed-oblasts=[\"Kirovohrad\"]", "conflict.damage-hazard-exposed=1.0"]);
    let out = run(&s, &[("projects.west.events", K_DAMAGE, 0.1)]);
    assert_eq!(producing_years(&s, &out, "west"), [1, 2, 3, 4, 5]);
    assert_eq!(out.projects[index(&s, "west")].strikes, 1);
}

#[test]
fn a_supply_flood_cuts_the_price_for_its_duration() {
    // A flood drawn in 2027 halves the price for two years; the OU path itself stays at 100.
    let s = load(&[
        "products.ore.dominant-producer={ flood-probability = 1.0, flood-drop = 0.5, flood-years = 2 }",
    ]);
    let out = run(&s, &[("products.ore.dominant-producer.episodes", K_FLOOD + 1, 0.1)]);
    let p = out.price_series(0);
    for (t, want) in [(0, 100.0), (1, 50.0), (2, 50.0), (3, 100.0), (4, 100.0)] {
        assert!((p[t] - want).abs() < 1e-9, "year {t}: {}", p[t]);
    }
    // The far operation's revenue follows: 1,000 a year, 500 in the flood years.
    let f = out.flows(index(&s, "west")).expect("traced");
    assert!((f[1].revenue - 500.0).abs() < 1e-9 && (f[3].revenue - 1000.0).abs() < 1e-9);
}

#[test]
fn leakage_takes_its_share_of_receipts_before_the_budget() {
    // West pays a royalty of 10 t × 100 × 10% = 100 a year; a quarter never reaches the budget.
    let s = load(&["leakage.receipts=0.25"]);
    let out = run(&s, &[]);
    let y = &out.years[0];
    let royalty: f64 = y.receipts.total(false) + y.receipts.total(true);
    assert!((royalty - 75.0).abs() < 1e-9, "{royalty}");
    assert!((y.leakage_receipts - 25.0).abs() < 1e-9);
}

#[test]
fn export_controls_raise_the_price_outside_the_dominant_market() {
    let s = load(&[
        "products.ore.dominant-producer={ export-control-probability = 1.0, export-control-jump = 1.0, export-control-years = 1 }",
    ]);
    let out = run(&s, &[("products.ore.dominant-producer.episodes", K_CONTROLS + 2, 0.1)]);
    let p = out.price_series(0);
    for (t, want) in [(1, 100.0), (2, 200.0), (3, 100.0)] {
        assert!((p[t] - want).abs() < 1e-9, "year {t}: {}", p[t]);
    }
}

#[test]
fn new_supply_past_the_threshold_provokes_a_targeted_cut() {
    // The new mine (decided in 2026, producing 100 t from 2027) is 10% of world supply (1,000 t), past the
    // 5% threshold: in 2028 the dominant producer cuts the price by 40% for two years, once.
    let s = load(&[
        "products.ore.dominant-producer={ cut-threshold = 0.05, cut-probability = 1.0, cut-size = 0.4, cut-years = 2 }",
    ]);
    let out = run(&s, &[("products.ore.dominant-producer.episodes", K_CUT + 2, 0.5)]);
    assert_eq!(producing_years(&s, &out, "newmine")[0], 1);
    let p = out.price_series(0);
    for (t, want) in [(1, 100.0), (2, 60.0), (3, 60.0), (4, 100.0), (5, 100.0)] {
        assert!((p[t] - want).abs() < 1e-9, "year {t}: {}", p[t]);
    }
    // Below the threshold nothing happens.
    let s = load(&[
        "products.ore.dominant-producer={ cut-threshold = 0.2, cut-probability = 1.0, cut-size = 0.4, cut-years = 2 }",
    ]);
    let out = run(&s, &[("products.ore.dominant-producer.episodes", K_CUT + 2, 0.5)]);
    assert!(out.price_series(0).iter().all(|p| (p - 100.0).abs() < 1e-9));
}

#[test]
fn ceasefire_by_a_year_counts_the_first_year_of_peace_under_the_mid_year_rule() {
    // `ceasefire-by-2030` holds when the first year of peace is 2030 or earlier, and a year is at peace
    // when the ceasefire comes by its middle: 2030.3 and 2030.5 count for 2030, 2030.7 (peace from
    // 2031) does not, and 2029.9 counts (peace from 2030).
    let by_2030 = subsoil_engine::PROBABILITIES
        .iter()
        .find(|p| p.name == "ceasefire-by-2030")
        .expect("registered");
    for (when, first_peace, counts) in [
        ("2030.3", 2030, true),
        ("2030.5", 2030, true),
        ("2030.7", 2031, false),
        ("2029.9", 2030, true),
        ("2029.5", 2029, true),
    ] {
        let s = load(&[&format!("conflict.ceasefire-year={when}")]);
        let out = run(&s, &[]);
        assert_eq!(out.ceasefire_year, Some(first_peace), "ceasefire at {when}");
        assert_eq!((by_2030.happens)(&s.model, &out), counts, "ceasefire at {when}");
    }
    // A ceasefire that breaks down in its first year (draw 0.1 ≤ 0.5 in 2030, year index 4) still
    // made 2030 a year of peace: it counts.
    let s = load(&["conflict.ceasefire-year=2030.3"]);
    let out = run(&s, &[("conflict.events", 10_000 + 4, 0.1)]);
    assert_eq!(out.war_breakdowns, 1);
    assert!(out.years[5].at_war);
    assert!((by_2030.happens)(&s.model, &out));
    // The description says so.
    for needle in ["first year of peace", "by its middle", "second half of 2030", "2031"] {
        assert!(by_2030.description.contains(needle), "{needle:?} in {:?}", by_2030.description);
    }
}

/// Every uniform is the smallest positive number (so every event of positive probability happens), and
/// each one asked for is logged by stream and sub-index.
struct Eager<'a> {
    scalars: &'a [f64],
    asked: std::cell::RefCell<Vec<(u64, u32)>>,
}

impl Randomness for Eager<'_> {
    fn scalar(&self, slot: u32) -> f64 {
        self.scalars[slot as usize]
    }
    fn uniform(&self, stream: u64, k: u32) -> f64 {
        self.asked.borrow_mut().push((stream, k));
        f64::MIN_POSITIVE
    }
    fn normal(&self, _stream: u64, _k: u32) -> f64 {
        0.0
    }
}

#[test]
fn a_conflict_event_of_no_probability_draws_no_uniform_and_never_happens() {
    // An event whose probability is zero, negative or not a number does not happen, whatever the draw:
    // the timeline skips its uniform on that fact, and no other draw depends on it (`Randomness`).
    for p in [0.0, -0.0, -1.0, f64::NAN] {
        for u in [f64::MIN_POSITIVE, 0.5, 1.0] {
            assert!(!subsoil_core::param::happens(u, p), "u {u}, p {p}");
        }
    }
    let run_eager = |sets: &[&str]| {
        let s = load(sets);
        let events = s.model.conflict.stream;
        let front = s.model.oblasts.iter().find(|o| o.front).expect("a front oblast").stream;
        let medians = s.inputs.medians();
        let r = Eager { scalars: &medians, asked: Default::default() };
        let mut ws = Workspace::new(&s.model);
        let mut out = PathOutcome::new(&s.model, true);
        simulate(&s.model, &r, &mut ws, &mut out);
        let asked = r.asked.into_inner();
        let on = |stream: u64| asked.iter().filter(|(st, _)| *st == stream).count();
        (out, on(events), on(front))
    };
    // Peace from 2026 that cannot break down: no draw on the conflict's stream, no year at war.
    let peace = ["conflict.ceasefire-year=2026.2", "conflict.breakdown-first-year=0"];
    let (out, drawn, _) = run_eager(&peace);
    assert_eq!(drawn, 0);
    assert!(out.years.iter().all(|y| !y.at_war));
    assert_eq!((out.war_breakdowns, out.ceasefire_year), (0, Some(2026)));
    // With a chance of breaking down in its first year, that year's draw (which happens) is asked for:
    // war in 2027, and a new ceasefire (hazard 1, drawn) ends it, so peace from 2028, whose first
    // year's draw breaks down again, and so on every other year.
    let (out, drawn, _) = run_eager(&["conflict.ceasefire-year=2026.2"]);
    assert!(drawn > 0);
    assert_eq!(out.war_breakdowns, 5);
    // War until mid-2028 with a front that cannot move (creep hazard 0): no draw for the front, and the
    // frontline deposits are never occupied.
    let (out, _, front_drawn) = run_eager(&[]);
    assert_eq!(front_drawn, 0);
    assert!(out.years[0].at_war);
}

#[test]
fn a_ceasefire_before_the_start_year_counts_its_post_war_years_from_its_own_year() {
    // The scenario starts in 2026 with the default 5 post-war years. `ceasefire-year` is a calendar
    // year, and one before the start is in the past: a ceasefire in 2022.3 made 2022 the first year of
    // peace, so 2026 is its fifth (years of peace 4, still post-war) and 2027 is at the peace premium;
    // one in 2020.3 (first year of peace 2020) leaves no post-war year in the horizon (years of peace
    // 6 and more: the peace premium, `CountryRisk::premium`); one in 2025.7 comes after the middle of
    // 2025, so 2026 is the first year of peace, as before. The path reports the year the peace began,
    // and no year is at war.
    use subsoil_core::conflict::ConflictPath;
    for (when, ceasefire, years_of_peace) in [
        ("2022.3", 2022, [4, 5, 6]),
        ("2020.3", 2020, [6, 7, 8]),
        ("2020.8", 2021, [5, 6, 7]),
        ("2025.5", 2025, [1, 2, 3]),
        ("2025.7", 2026, [0, 1, 2]),
    ] {
        let s = load(&[&format!("conflict.ceasefire-year={when}")]);
        let medians = s.inputs.medians();
        let r = Scripted { scalars: &medians, uniforms: Default::default() };
        let mut c = ConflictPath::default();
        c.draw(&s.model, &r);
        assert_eq!(c.years_of_peace[..3], years_of_peace, "ceasefire at {when}");
        assert!(c.at_war.iter().all(|w| !w), "ceasefire at {when}");
        let out = run(&s, &[]);
        assert_eq!(out.ceasefire_year, Some(ceasefire), "ceasefire at {when}");
        // The time-to-event curve of the ceasefire has it by the first year, not never.
        let event =
            subsoil_engine::EVENTS.iter().find(|e| e.name == "ceasefire").expect("registered");
        assert_eq!((event.first)(&s.model, &out), Some((ceasefire - 2026).max(0) as u32), "{when}");
    }
}
