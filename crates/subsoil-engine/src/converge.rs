//! Convergence: a run that adds blocks of paths until the standard error of one statistic is small
//! enough.
//!
//! The run goes block by block ([`crate::run_progressive`]) and stops at the first block boundary,
//! after at least [`MIN_BLOCKS`] blocks, where the standard error of the chosen statistic (the mean of
//! a metric, or a probability) is at most the tolerance; or at the path cap. The result at a boundary
//! is the result of a run of that many paths, so the stopped run can be reproduced with `--paths`.

use std::sync::Mutex;
use std::sync::atomic::AtomicBool;

use serde::Serialize;
use subsoil_scenario::Scenario;

use crate::report::RunResult;
use crate::run::{Flow, RunConfig, RunError, run_progressive};
use crate::sensitivity::MetricRef;

/// Blocks a run goes through before its standard error is trusted to stop it.
pub const MIN_BLOCKS: u64 = 4;

/// How a run until a standard error ended.
#[derive(Clone, Debug, Serialize)]
pub struct Convergence {
    /// The statistic's output.
    pub metric: &'static str,
    /// Whether it is a probability (else the mean of a metric).
    pub probability: bool,
    /// The tolerance on its standard error.
    pub tolerance: f64,
    /// Paths run.
    pub paths: u64,
    /// Blocks run (the last may be partial when the cap is not a whole number of blocks).
    pub blocks: u64,
    /// The statistic at the stop.
    pub estimate: f64,
    /// Its standard error at the stop.
    pub se: f64,
    /// Whether the standard error reached the tolerance (else the run stopped at the path cap).
    pub reached: bool,
    /// The standard error at every block boundary, in order.
    pub history: Vec<(u64, f64)>,
}

/// Runs `scenario` block by block (`config.paths` is the cap) until the standard error of `metric`'s
/// statistic is at most `tolerance` at a block boundary after at least [`MIN_BLOCKS`] blocks.
///
/// # Errors
///
/// As [`crate::run()`]; [`RunError::Cancelled`] when `cancel` is set.
pub fn run_until_se(
    scenario: &Scenario,
    config: &RunConfig,
    metric: &MetricRef,
    tolerance: f64,
    cancel: &AtomicBool,
) -> Result<(RunResult, Convergence), RunError> {
    let history = Mutex::new(Vec::new());
    let block = u64::from(config.block_size);
    let result = run_progressive(scenario, config, cancel, &|r| {
        let se = metric.statistic(r).map_or(f64::NAN, |s| s.1);
        let mut h = history.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        h.push((r.header.paths, se));
        let blocks = r.header.paths.div_ceil(block);
        if blocks >= MIN_BLOCKS && se <= tolerance { Flow::Stop } else { Flow::Continue }
    })?;
    let history = history.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    let (estimate, se) = metric.statistic(&result).unwrap_or((f64::NAN, f64::NAN));
    let paths = result.header.paths;
    let convergence = Convergence {
        metric: metric.name(),
        probability: metric.is_probability(),
        tolerance,
        paths,
        blocks: paths.div_ceil(block),
        estimate,
        se,
        reached: paths.div_ceil(block) >= MIN_BLOCKS && se <= tolerance,
        history,
    };
    Ok((result, convergence))
}
