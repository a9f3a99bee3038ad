//! Streaming, mergeable statistics for Monte Carlo runs.
//!
//! A simulation run produces one outcome per path and reduces it to statistics while it streams, so
//! memory does not grow with the number of paths. Every accumulator in this crate has the same
//! life cycle:
//!
//! 1. create a fresh, empty accumulator for a block of paths,
//! 2. `push` each path's output into it,
//! 3. [`Merge::merge`] the block results into a running total **in block order**.
//!
//! Each `merge` is a deterministic function of its two inputs (no hashing, no randomness, no
//! dependence on allocation or scheduling), so a run whose blocks are fixed by path index gives
//! bit-identical statistics on any number of threads.
//!
//! | accumulator | what it answers |
//! |---|---|
//! | [`Moments`] | mean, standard deviation, standard error, min, max |
//! | [`QuantileSketch`] | quantiles within a stated relative error, and confidence intervals for them |
//! | [`Summary`] | both of the above for one scalar output, reported as [`ScalarStats`] |
//! | [`TimeToEvent`] | P(event by year Y) with Wilson intervals, and the median year |
//! | [`Histogram`] | counts in caller-chosen bins |
//!
//! Not streaming: [`Saltelli`] turns the outputs of a Saltelli design into Sobol indices (Jansen's
//! estimators, bootstrap intervals) and [`spearman`] gives a rank correlation.
//!
//! Probabilities are [`Proportion`]s that carry their Wilson score interval and print themselves
//! honestly: no event in 20,000 paths reads `< 0.02% (95%)`, not `0 ± 0`.
//!
//! # Non-finite values
//!
//! `NaN` and `±∞` have no place in a mean or a quantile. Every scalar accumulator skips them and
//! counts them separately (`non_finite()`), so a model bug that produces them stays visible in the
//! output instead of silently poisoning it.
//!
//! # Example
//!
//! ```
//! use subsoil_stats::{Merge, Summary};
//!
//! // Two blocks of paths, each reduced into a fresh accumulator...
//! let mut first = Summary::new();
//! let mut second = Summary::new();
//! for i in 0..100 {
//!     first.push(f64::from(i));
//!     second.push(f64::from(i + 100));
//! }
//! // ...then merged in block order.
//! let mut total = Summary::new();
//! total.merge(&first);
//! total.merge(&second);
//!
//! let stats = total.report().expect("200 finite values were pushed");
//! assert_eq!(stats.n, 200);
//! assert!((stats.mean - 99.5).abs() < 1e-12);
//! assert!((stats.p50 - 99.0).abs() <= 99.0 * 0.005);
//! ```

#![deny(missing_docs)]
#![deny(missing_debug_implementations)]

mod histogram;
mod mapping;
mod moments;
mod normal;
mod proportion;
mod sketch;
mod sobol;
mod state;
mod store;
mod summary;
mod time_to_event;

pub use histogram::{Histogram, HistogramError};
pub use moments::Moments;
pub use proportion::{Confidence, ConfidenceError, Proportion};
pub use sketch::{
    DEFAULT_ALPHA, DEFAULT_MAX_BUCKETS, QuantileInterval, QuantileSketch, SketchError, rank,
};
pub use sobol::{RankCorrelation, Saltelli, SobolIndex, spearman};
pub use state::{Bits, MomentsState, SketchState, StateError};
pub use summary::{MAX_EXACT_DISTINCT, MAX_EXACT_INTEGER, ScalarStats, Summary};
pub use time_to_event::{TimeToEvent, YearInterval};

/// An accumulator that can absorb another accumulator of the same shape.
///
/// `a.merge(&b)` leaves `a` describing the union of the values pushed into `a` and `b`. The
/// result is a deterministic function of the two operands, so merging a fixed sequence of block
/// results in a fixed order always produces the same bits. Floating-point sums are not
/// associative, so merging the same blocks in a *different* order may change the last bits of
/// means and variances (never counts, quantile buckets or histograms, which are exact).
///
/// # Panics
///
/// Implementations panic when the two accumulators have different shapes (a different series
/// length, horizon, bin edges or sketch parameters). Accumulators of one run are all built from
/// the same configuration, so a mismatch is a bug in the caller, not a condition to recover from.
pub trait Merge {
    /// Absorbs `other` into `self`.
    fn merge(&mut self, other: &Self);
}
