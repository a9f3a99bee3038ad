//! The engine: runs the model over paths and reduces the results. It only orchestrates: the model is
//! `subsoil-core`, inputs come from `subsoil-scenario`, random numbers from `subsoil-risk` and
//! statistics from `subsoil-stats`.
//!
//! - [`base_case()`]: one deterministic path with every input at its median.
//! - [`run()`]: the Monte Carlo run, reproducible bit for bit for any number of threads.
//! - [`compare()`]: several scenarios on common random numbers, with paired differences.
//! - [`run_until_se()`]: a run that adds blocks of paths until a standard error is small enough.
//! - [`estimate()`] and [`bisect()`]: a statistic of a run, and goal seek on common random numbers.
//! - [`claims::judge`]: the claims of the public debate, each judged on its statistic's interval.
//! - [`counterfactual()`]: a scenario with and without its deal on the same paths.
//! - [`explain()`]: the difference between two scenarios shared among the terms that differ (Shapley).
//! - [`tornado()`] and the rest of [`sensitivity`]: which inputs swing an output.
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
pub mod claims;
pub mod compare;
pub mod converge;
pub mod counterfactual;
pub mod draws;
pub mod explain;
pub mod gaps;
pub mod metrics;
pub mod per_path;
pub mod report;
pub mod run;
pub mod sensitivity;
pub mod shard;
pub mod solve;
pub mod yearly;

pub use base_case::{BaseCase, ProjectRow, Totals, base_case};
pub use compare::{
    CompareResult, CompareShardState, Difference, Differences, compare, compare_cancellable,
    compare_observed, compare_shard, compare_shard_cancellable, merge_compare,
};
pub use converge::{Convergence, MIN_BLOCKS, run_until_se};
pub use counterfactual::{Counterfactual, counterfactual, counterfactual_observed};
pub use draws::{MixedRandomness, PathRandomness, ScalarDraws, Scratch};
pub use explain::{Estimate, Explained, Explanation, OutputKind, explain, explain_observed};
pub use metrics::{EVENTS, METRICS, PROBABILITIES, SERIES, Section, Unit};
pub use per_path::{PathColumns, Rows, per_path, per_path_cancellable};
pub use report::{
    BuiltBy, ByYear, Chance, Distribution, EventStats, Fan, FanYear, HISTOGRAM_BINS, Histograms,
    MetricHistogram, MetricStats, ProbabilityStats, ProjectStats, RunHeader, RunResult, SeMethod,
    SePartialBlock, TimeToEventStats,
};
pub use run::{
    Calendar, DEFAULT_BLOCK_SIZE, Flow, RunConfig, RunError, run, run_observed, run_progressive,
};
pub use sensitivity::{MetricRef, SensitivityError, Swing, Tornado, tornado, tornado_of};
pub use shard::{MergeError, Shard, ShardState, merge, run_shard, run_shard_cancellable};
pub use solve::{Bisection, Statistic, bisect, bisect_whole, estimate};
pub use subsoil_risk::SamplerKind;
pub use yearly::{Yearly, yearly};

/// Most paths a run accepts (the command line's and the Python module's limit).
pub const MAX_PATHS: u64 = 100_000_000;

/// Most worker threads a run accepts, whatever the machine.
pub const MAX_THREADS: usize = 256;

/// Most worker threads a run accepts per core.
pub const MAX_THREADS_PER_CORE: usize = 4;

/// Whether `n` worker threads may be asked for: more threads than cores only slow a run down, and
/// thousands of them exhaust the machine, so at most [`MAX_THREADS_PER_CORE`] a core and [`MAX_THREADS`]
/// in all (0 uses every core). The error says why.
///
/// # Errors
///
/// A sentence naming the limit on this machine.
pub fn thread_limit(n: usize) -> Result<(), String> {
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    let most = (MAX_THREADS_PER_CORE * cores).min(MAX_THREADS);
    if n > most {
        return Err(format!(
            "{n} threads is too many: at most {most} ({MAX_THREADS_PER_CORE} a core on this machine's \
             {cores} core{}, and never more than {MAX_THREADS}); 0 uses every core",
            if cores == 1 { "" } else { "s" }
        ));
    }
    Ok(())
}

/// A whole number with thousands separators: `100,000,000`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}
