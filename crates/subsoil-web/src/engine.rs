//! The engine's progressive run as the server calls it.

use std::sync::atomic::AtomicBool;

use subsoil_engine::run::Flow;
use subsoil_engine::{RunConfig, RunError, RunResult};
use subsoil_scenario::Scenario;

/// Runs `scenario` with `subsoil_engine::run_progressive`: `on_block` sees the result at each block
/// boundary (equal to a run of that many paths) and returns whether to go on; setting `cancel` stops
/// the workers within one chunk.
pub(crate) fn run(
    scenario: &Scenario,
    config: &RunConfig,
    cancel: &AtomicBool,
    on_block: &(dyn Fn(&RunResult) -> bool + Sync),
) -> Result<RunResult, RunError> {
    subsoil_engine::run_progressive(scenario, config, cancel, &|r| {
        if on_block(r) { Flow::Continue } else { Flow::Stop }
    })
}

/// Whether `e` says the run was cancelled.
pub(crate) fn cancelled(e: &RunError) -> bool {
    matches!(e, RunError::Cancelled)
}
