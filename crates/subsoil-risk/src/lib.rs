//! Uncertainty for subsoil: turns uniforms into model inputs.
//!
//! This crate knows nothing about scenarios, files or the model. It provides four things, all
//! pure functions of their arguments so that results are reproducible bit for bit:
//!
//! * [`Dist`]: validated probability distributions, sampled by inverse CDF with
//!   [`Dist::quantile`]. Constructors return [`DistError`]; sampling cannot fail.
//! * [`uniform`] and [`stream_id`]: random numbers addressed by `(seed, path, stream, k)` instead
//!   of drawn from a generator's state.
//! * [`Sampler`]: the uniform for one input on one path, pseudo-random, Latin hypercube or
//!   Owen-scrambled Sobol, stratified and randomised per block of paths.
//! * [`Copula`]: rank correlations between inputs through a Gaussian copula.
//!
//! # Example
//!
//! ```
//! use subsoil_risk::{Copula, Dist, InputKey, LognormalSpec, Sampler, SamplerKind, stream_id};
//!
//! // A capex overrun multiplier: never below 0.6, mean 1.14, long right tail.
//! let overrun = Dist::shifted_lognormal(0.6, LognormalSpec::MeanSd { mean: 1.14, sd: 0.3 })?;
//! let price = Dist::lognormal_median_p90(12_000.0, 18_000.0)?;
//!
//! let sampler = Sampler::new(SamplerKind::LatinHypercube, 42);
//! let keys = [InputKey::new(stream_id("capex-overrun"), 0), InputKey::new(stream_id("price"), 1)];
//! let copula = Copula::new(2, &[(0, 1, 0.3)])?;
//!
//! let path = 7;
//! let mut u = [sampler.unit(path, keys[0]), sampler.unit(path, keys[1])];
//! copula.apply(&mut u);
//! let (x, p) = (overrun.quantile(u[0]), price.quantile(u[1]));
//! assert!(x > 0.6 && p > 0.0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Numerical accuracy
//!
//! The normal CDF, its inverse and the incomplete beta function are implemented here (see
//! [`special`] for methods and error bounds): every continuous distribution satisfies
//! `cdf(quantile(u)) = u` to a relative 1e-9 or better in the smaller tail (`u` or `1 - u`) for `u`
//! from 1e-12 to `1 - 1e-12`, or as closely as the spacing of f64 near the quantile allows (for
//! example a uniform on `[2, 5]` at `u = 1e-12`), which the tests check.
//!
//! # Performance
//!
//! `cargo bench -p subsoil-risk` (benches/draws.rs) times each operation in a release build on one
//! thread against a baseline loop (one SplitMix64 step, about 1.5–1.8 ns) measured in the same run.
//! On the 2-core development machine, with other builds running (expect ±20%); quantile rows
//! include drawing their uniform:
//!
//! | operation | ns per call | million per second | × baseline |
//! |---|---|---|---|
//! | [`uniform`] | 9 | 107–110 | 5–6 |
//! | [`Sampler::unit`], Latin hypercube | 52–57 | 17–19 | 32–34 |
//! | [`Sampler::unit`], Sobol | 78 | 13 | 43–52 |
//! | normal quantile | 23–25 | 40–43 | 13–17 |
//! | lognormal / shifted lognormal quantile | 34–41 | 24–30 | 19–27 |
//! | triangular / truncated normal quantile | 24–30 | 33–41 | 13–20 |
//! | beta(2, 5) quantile | 310–325 | 3.1–3.2 | 170–216 |
//! | PERT(10, 12, 20) quantile | 437–444 | 2.3 | 240–294 |
//! | [`Copula::apply`], 3 inputs | 162–177 | 5.7–6.2 | 97–108 |
//!
//! A beta or PERT quantile starts from a 128-cell table built at construction (about 0.3 ms per
//! distribution) and finishes with one or two evaluations of the incomplete beta continued
//! fraction, so it costs about 15 normal quantiles. Shapes near the limit of `1e5` are slower
//! (about 5 µs per quantile).

pub mod copula;
pub mod dist;
mod linalg;
pub mod rng;
pub mod sampler;
pub mod special;

pub use copula::{Copula, CopulaError, MAX_GROUP, MAX_REPAIR, Repair, connected_groups};
pub use dist::{
    Bernoulli, Beta, Discrete, Dist, DistError, Empirical, Fixed, Lognormal, LognormalSpec, Normal,
    Pert, Triangular, TruncatedNormal, Uniform,
};
pub use rng::{std_normal, std_normals, stream_id, uniform};
pub use sampler::{InputKey, Sampler, SamplerError, SamplerKind};
