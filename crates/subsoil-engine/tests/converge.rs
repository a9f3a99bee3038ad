//! `run_until_se` stops at the first block boundary, after at least 4 blocks, where the standard error
//! of the chosen statistic is at most the tolerance: the sequence of standard errors is computed here
//! with separate runs of 1, 2, 3, … blocks (a run of k blocks is what the progressive run reports at
//! its k-th boundary), and the stop must be the first qualifying k.

use std::sync::atomic::AtomicBool;

use subsoil_engine::{MetricRef, RunConfig, run, run_until_se};
use subsoil_scenario::Scenario;

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/sensitivity/one-mine.toml");
const BLOCK: u32 = 256;

fn load() -> Scenario {
    subsoil_scenario::load(FILE, &[]).unwrap_or_else(|e| panic!("{}", e.render()))
}

fn config(paths: u64) -> RunConfig {
    RunConfig { threads: 2, block_size: BLOCK, ..RunConfig::new(paths, 9) }
}

/// The standard errors of `name`'s statistic after 1..=n blocks, by separate runs.
fn ses(s: &Scenario, metric: &MetricRef, n: u64) -> Vec<f64> {
    (1..=n)
        .map(|k| {
            let r = run(s, &config(k * u64::from(BLOCK))).unwrap_or_else(|e| panic!("{e}"));
            metric.statistic(&r).expect("reported").1
        })
        .collect()
}

/// Checks the stop for a tolerance between the errors at two boundaries.
fn check(name: &str) {
    let s = load();
    let metric = MetricRef::find(&s.model, name).unwrap_or_else(|e| panic!("{e}"));
    let se = ses(&s, &metric, 16);
    // A tolerance that the error first meets at some boundary past the fourth: the error at boundary
    // 9 (1-based), nudged up by a part in a million so that rounding cannot decide.
    let tol = se[8] * (1.0 + 1e-6);
    let first = (4..=16).find(|&k| se[k as usize - 1] <= tol).expect("boundary 9 qualifies");
    assert!(first > 4, "{name}: the test needs a stop past the minimum ({se:?})");
    let cancel = AtomicBool::new(false);
    let cap = 16 * u64::from(BLOCK);
    let (result, c) =
        run_until_se(&s, &config(cap), &metric, tol, &cancel).unwrap_or_else(|e| panic!("{e}"));
    assert!(c.reached);
    assert_eq!(c.paths, first * u64::from(BLOCK), "{name}: {se:?} tol {tol}");
    assert_eq!(c.blocks, first);
    assert_eq!(result.header.paths, c.paths);
    assert_eq!(c.se, se[first as usize - 1]);
    let history: Vec<f64> = c.history.iter().map(|h| h.1).collect();
    assert_eq!(history, se[..first as usize]);
    // The stopped run is the run of that many paths.
    let again = run(&s, &config(c.paths)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(metric.statistic(&again), Some((c.estimate, c.se)));

    // Even an error small from the first block waits for the fourth boundary.
    let (_, c) = run_until_se(&s, &config(cap), &metric, se[0] * 10.0, &cancel)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.blocks, 4);
    // A tolerance never met runs to the cap and says so.
    let (_, c) =
        run_until_se(&s, &config(cap), &metric, 0.0, &cancel).unwrap_or_else(|e| panic!("{e}"));
    assert!(!c.reached);
    assert_eq!(c.paths, cap);
}

#[test]
fn a_mean_stops_at_the_first_block_boundary_past_four_where_its_error_is_within_tolerance() {
    check("revenue");
}

#[test]
fn a_probability_stops_the_same_way() {
    check("new-mine-by-2030");
}
