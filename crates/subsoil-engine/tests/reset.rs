//! An outcome used for path after path, and for paths of other models in between, holds bit for bit what
//! a fresh outcome holds after the same path: `PathOutcome::reset` clears only what a path may have
//! written (the rows of its live projects, and the fund's results only after a model with a deal), and
//! that is all a path writes. Checked on every built-in scenario, the bench scenarios, and each of them
//! without its deal, in an order where a model with a deal and one without share an outcome.

mod every_scenario;

use subsoil_core::deal::Deal;
use subsoil_core::{Model, PathOutcome, Workspace, simulate};
use subsoil_engine::{PathRandomness, ScalarDraws};
use subsoil_risk::{Sampler, SamplerKind};
use subsoil_scenario::Scenario;

use every_scenario::scenarios;

/// Path `path` of `model` (with `scenario`'s inputs) written into `out`, as its debug text: every number
/// in the shortest form that reads back to the same bits, so equal texts mean equal bits.
fn path_into(scenario: &Scenario, model: &Model, path: u64, out: &mut PathOutcome) -> String {
    let sampler = Sampler::new(SamplerKind::Random, 7);
    let draws = ScalarDraws::new(&scenario.inputs, sampler, &scenario.rank_correlations)
        .expect("correlations");
    let mut scratch = draws.scratch();
    draws.fill(path, &mut scratch);
    let r = PathRandomness { seed: 7, path, scalars: scratch.values() };
    let mut ws = Workspace::new(model);
    simulate(model, &r, &mut ws, out);
    format!("{out:?}")
}

#[test]
fn a_reused_outcome_holds_what_a_fresh_one_holds_after_each_path() {
    let all = scenarios();
    assert!(all.len() >= 8, "the built-in and bench scenarios load");
    let mut with_deal = 0;
    for (name, s) in &all {
        let mut without = s.model.clone();
        without.deal = Deal::default();
        with_deal += usize::from(s.model.deal.active());
        // The model, then the same sizes without a deal, then the model again: the fund's results of
        // the first must not survive into the second, nor the second's reset skip the third's. A traced
        // outcome keeps the fund's trace of the model it was made for (runs make one per model), so
        // traced paths share an outcome within a model only.
        let mixed = [&s.model, &without, &s.model, &without, &without, &s.model];
        let orders: [(bool, &[&Model]); 3] = [
            (false, &mixed),
            (true, &[&s.model, &s.model, &s.model]),
            (true, &[&without, &without, &without]),
        ];
        for (trace, order) in orders {
            let mut reused = PathOutcome::new(order[0], trace);
            for (path, model) in order.iter().enumerate() {
                let path = path as u64;
                let got = path_into(s, model, path, &mut reused);
                let want = path_into(s, model, path, &mut PathOutcome::new(model, trace));
                assert!(got == want, "{name}, path {path}, trace {trace}: reused outcome differs");
            }
        }
    }
    assert!(with_deal >= 3, "scenarios with a deal are among them");
}
