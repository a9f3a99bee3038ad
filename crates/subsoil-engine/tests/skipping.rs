//! The years operations skip add nothing: a path run the fast way (operations and the fund visit only the
//! projects with something to do, `PathProjects::busy`) gives, to the bits, the outcomes of the same path
//! with a trace kept, where operations run every live project every year and the fund visits them all.
//!
//! What the fast way skips: an idle project owing no fee with nothing in its tax books, and a closed one
//! owing no fee whatever its books still hold (their depreciation and carried loss can offset no profit
//! again: a closed project never produces); and, when the fund's room orders the year's candidates, the
//! valuations at the private hurdle of those whose place needs no NPV (the fund may not invest in them, or
//! no other candidate it may invest in became ready in the same year): the traced way values them all.

use subsoil_core::{PathOutcome, Workspace, simulate};
use subsoil_engine::{PathRandomness, SamplerKind, ScalarDraws};
use subsoil_risk::Sampler;
use subsoil_scenario::{builtin, load};

/// Paths per built-in scenario: enough for projects that close within the horizon with depreciation
/// left, wars that strike, and licensing flows' permits developed in the same year.
const PATHS: u64 = 60;
const SEED: u64 = 7;

/// Everything a path writes in both ways, as text (`{:?}` of a float gives its exact value).
fn common(out: &PathOutcome) -> String {
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        out.projects,
        out.years,
        out.fund,
        out.capital,
        out.fund_value_real.to_bits(),
        out.deal,
        out.permits,
        out.developed
    )
}

#[test]
fn skipped_years_change_no_output_of_any_built_in_scenario() {
    let mut closed_with_books = 0usize;
    for name in builtin::scenario_names() {
        let s = load(name, &[]).unwrap_or_else(|e| panic!("{name}: {}", e.render()));
        let draws = ScalarDraws::new(
            &s.inputs,
            Sampler::new(SamplerKind::Random, SEED),
            &s.rank_correlations,
        )
        .expect("valid correlations");
        let mut scratch = draws.scratch();
        let (mut ws_fast, mut ws_all) = (Workspace::new(&s.model), Workspace::new(&s.model));
        let mut fast = PathOutcome::new(&s.model, false);
        let mut all = PathOutcome::new(&s.model, true);
        for path in 0..PATHS {
            draws.fill(path, &mut scratch);
            let r = PathRandomness { seed: SEED, path, scalars: scratch.values() };
            simulate(&s.model, &r, &mut ws_fast, &mut fast);
            simulate(&s.model, &r, &mut ws_all, &mut all);
            assert!(common(&fast) == common(&all), "{name}, path {path}: the outputs differ");
            // The traced run shows the closed years the fast one skips: depreciation still claimed
            // after closure.
            let h = all.horizon;
            for i in 0..s.model.projects.len() {
                let flows = all.flows(i).expect("traced");
                let closed = flows.iter().position(|f| f.closure > 0.0);
                if let Some(c) = closed {
                    closed_with_books +=
                        flows[c + 1..h].iter().filter(|f| f.depreciation > 0.0).count();
                }
            }
        }
    }
    assert!(closed_with_books > 100, "closed project-years with depreciation: {closed_with_books}");
}
