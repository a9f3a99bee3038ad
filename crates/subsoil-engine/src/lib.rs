//! The engine: runs the model over paths and reduces the results. It only orchestrates: the model is
//! `subsoil-core`, inputs come from `subsoil-scenario`, random numbers from `subsoil-risk` and
//! statistics from `subsoil-stats`.
//!
//! - [`base_case()`]: one deterministic path with every input at its median.
//! - [`run()`]: the Monte Carlo run, reproducible bit for bit for any number of threads.
//! - [`compare()`]: several scenarios on common random numbers, with paired differences.
//!
//! ```no_run
//! use subsoil_engine::{RunConfig, SamplerKind, run};
//!
//! let scenario = subsoil_scenario::load("ukraine-final-2025", &[])?;
//! let config = RunConfig { sampler: SamplerKind::LatinHypercube, ..RunConfig::new(20_000, 7) };
//! let result = run(&scenario, &config)?;
//! let receipts = result.metric("receipts-new").map(|m| (m.stats.mean, m.stats.se));
//! println!("new receipts (real USD): {receipts:?}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod accumulate;
pub mod base_case;
pub mod compare;
pub mod draws;
pub mod gaps;
pub mod metrics;
pub mod per_path;
pub mod report;
pub mod run;
pub mod shard;
pub mod yearly;

pub use base_case::{BaseCase, ProjectRow, Totals, base_case};
pub use compare::{
    CompareResult, CompareShardState, Difference, Differences, compare, compare_observed,
    compare_shard, merge_compare,
};
pub use draws::{PathRandomness, ScalarDraws, Scratch};
pub use metrics::{EVENTS, METRICS, PROBABILITIES, SERIES, Section, Unit};
pub use per_path::{PathColumns, Rows, per_path};
pub use report::{
    BuiltBy, ByYear, Chance, Distribution, EventStats, Fan, FanYear, HISTOGRAM_BINS, Histograms,
    MetricHistogram, MetricStats, ProbabilityStats, ProjectStats, RunHeader, RunResult, SeMethod,
    SePartialBlock, TimeToEventStats,
};
pub use run::{DEFAULT_BLOCK_SIZE, Flow, RunConfig, RunError, run, run_observed, run_progressive};
pub use shard::{MergeError, Shard, ShardState, merge, run_shard};
pub use subsoil_risk::SamplerKind;
pub use yearly::{Yearly, yearly};
