//! What every piece bench shares: the default scenario, its drawer and the inputs of a path.

#![allow(dead_code)]

use subsoil_engine::{PathRandomness, ScalarDraws, Scratch};
use subsoil_risk::{Sampler, SamplerKind};
use subsoil_scenario::Scenario;

/// The seed of every piece bench.
pub const SEED: u64 = 1;

/// The built-in default scenario.
pub fn scenario() -> Scenario {
    match subsoil_scenario::load("ukraine-final-2025", &[]) {
        Ok(s) => s,
        Err(e) => panic!("the built-in scenario does not load:\n{}", e.render()),
    }
}

/// The scenario's drawer of uncertain inputs, pseudo-random.
pub fn drawer(s: &Scenario) -> ScalarDraws {
    ScalarDraws::new(&s.inputs, Sampler::new(SamplerKind::Random, SEED), &s.rank_correlations)
        .unwrap_or_else(|e| panic!("correlations: {e:?}"))
}

/// Inputs of `path`, filled into `scratch`, as the path's randomness.
pub fn path<'a>(draws: &ScalarDraws, scratch: &'a mut Scratch, path: u64) -> PathRandomness<'a> {
    draws.fill(path, scratch);
    PathRandomness { seed: SEED, path, scalars: scratch.values() }
}
