//! Probability distributions for uncertain inputs, sampled by inverse CDF.
//!
//! Every draw in subsoil is `dist.quantile(u)` with one uniform `u ∈ (0, 1)` per input per path,
//! which is what lets Latin hypercube, Sobol, common random numbers and the copula work on any
//! distribution. Constructors validate once and return [`DistError`]; after that, every method is
//! infallible, allocation-free and never panics (for `u` outside `(0, 1)` the quantile returns the
//! nearest end of the support, and `NaN` in gives `NaN` or an end of the support out).
//!
//! One file per kind: [`Fixed`], [`Uniform`], [`Triangular`], [`Pert`], [`Normal`],
//! [`TruncatedNormal`], [`Lognormal`] (plain or shifted, three parametrisations), [`Beta`],
//! [`Discrete`], [`Bernoulli`] and [`Empirical`]. [`Dist`] gathers them in one enum.

mod beta;
mod discrete;
mod empirical;
mod error;
mod fixed;
mod lognormal;
mod normal;
mod pert;
mod triangular;
mod uniform;

pub use beta::{Beta, MAX_SHAPE, MIN_SHAPE};
pub use discrete::{Bernoulli, Discrete};
pub use empirical::Empirical;
pub use error::DistError;
pub use fixed::Fixed;
pub use lognormal::{Lognormal, LognormalSpec};
pub use normal::{Normal, TruncatedNormal};
pub use pert::{DEFAULT_LAMBDA, MAX_LAMBDA, Pert};
pub use triangular::Triangular;
pub use uniform::Uniform;

/// A validated distribution of one uncertain scalar input.
///
/// Build one with the constructors below (or a kind's own `new`, then `Dist::from`). Match on the
/// variants to read a kind's parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum Dist {
    /// A point mass.
    Fixed(Fixed),
    /// Uniform on an interval.
    Uniform(Uniform),
    /// Triangular.
    Triangular(Triangular),
    /// PERT (a beta set by minimum, mode and maximum).
    Pert(Pert),
    /// Normal.
    Normal(Normal),
    /// Normal truncated to an interval.
    TruncatedNormal(TruncatedNormal),
    /// Lognormal, possibly shifted.
    Lognormal(Lognormal),
    /// Beta on `[0, 1]` or scaled to `[lo, hi]`.
    Beta(Beta),
    /// Finite list of weighted values.
    Discrete(Discrete),
    /// 0/1 with success probability `p`.
    Bernoulli(Bernoulli),
    /// Piecewise-linear CDF from samples or CDF points.
    Empirical(Empirical),
}

/// Calls `$body` with `$d` bound to the inner distribution, whatever its kind.
macro_rules! each {
    ($self:expr, $d:ident => $body:expr) => {
        match $self {
            Dist::Fixed($d) => $body,
            Dist::Uniform($d) => $body,
            Dist::Triangular($d) => $body,
            Dist::Pert($d) => $body,
            Dist::Normal($d) => $body,
            Dist::TruncatedNormal($d) => $body,
            Dist::Lognormal($d) => $body,
            Dist::Beta($d) => $body,
            Dist::Discrete($d) => $body,
            Dist::Bernoulli($d) => $body,
            Dist::Empirical($d) => $body,
        }
    };
}

impl Dist {
    /// A fixed value.
    pub fn fixed(x: f64) -> Result<Dist, DistError> {
        Fixed::new(x).map(Dist::Fixed)
    }

    /// Uniform on `[min, max]`, `min < max`.
    pub fn uniform(min: f64, max: f64) -> Result<Dist, DistError> {
        Uniform::new(min, max).map(Dist::Uniform)
    }

    /// Triangular with `min <= mode <= max`, `min < max`.
    pub fn triangular(min: f64, mode: f64, max: f64) -> Result<Dist, DistError> {
        Triangular::new(min, mode, max).map(Dist::Triangular)
    }

    /// PERT with the usual `λ = 4`.
    pub fn pert(min: f64, mode: f64, max: f64) -> Result<Dist, DistError> {
        Pert::new(min, mode, max, DEFAULT_LAMBDA).map(Dist::Pert)
    }

    /// PERT with shape `lambda > 0`.
    pub fn pert_with_lambda(min: f64, mode: f64, max: f64, lambda: f64) -> Result<Dist, DistError> {
        Pert::new(min, mode, max, lambda).map(Dist::Pert)
    }

    /// Normal, `sd > 0`.
    pub fn normal(mean: f64, sd: f64) -> Result<Dist, DistError> {
        Normal::new(mean, sd).map(Dist::Normal)
    }

    /// Normal truncated to `[lo, hi]`; either bound may be `None`.
    pub fn truncated_normal(
        mean: f64,
        sd: f64,
        lo: Option<f64>,
        hi: Option<f64>,
    ) -> Result<Dist, DistError> {
        TruncatedNormal::new(mean, sd, lo, hi).map(Dist::TruncatedNormal)
    }

    /// Lognormal from any [`LognormalSpec`].
    pub fn lognormal(spec: LognormalSpec) -> Result<Dist, DistError> {
        Lognormal::new(spec).map(Dist::Lognormal)
    }

    /// Lognormal with the given median and 90th percentile (`0 < median < p90`).
    pub fn lognormal_median_p90(median: f64, p90: f64) -> Result<Dist, DistError> {
        Self::lognormal(LognormalSpec::MedianP90 { median, p90 })
    }

    /// Lognormal with the given mean and standard deviation of the variable (`mean > 0`, `sd > 0`).
    pub fn lognormal_mean_sd(mean: f64, sd: f64) -> Result<Dist, DistError> {
        Self::lognormal(LognormalSpec::MeanSd { mean, sd })
    }

    /// Lognormal with the given median and log-standard-deviation `sigma`.
    pub fn lognormal_median_sigma(median: f64, sigma: f64) -> Result<Dist, DistError> {
        Self::lognormal(LognormalSpec::MedianSigma { median, sigma })
    }

    /// `shift + lognormal`, with the spec describing the shifted variable.
    pub fn shifted_lognormal(shift: f64, spec: LognormalSpec) -> Result<Dist, DistError> {
        Lognormal::shifted(shift, spec).map(Dist::Lognormal)
    }

    /// Beta on `[0, 1]`, `alpha, beta > 0`.
    pub fn beta(alpha: f64, beta: f64) -> Result<Dist, DistError> {
        Beta::new(alpha, beta).map(Dist::Beta)
    }

    /// Beta scaled to `[lo, hi]`.
    pub fn beta_scaled(alpha: f64, beta: f64, lo: f64, hi: f64) -> Result<Dist, DistError> {
        Beta::scaled(alpha, beta, lo, hi).map(Dist::Beta)
    }

    /// Weighted values; weights `>= 0` with a positive sum (normalised here).
    pub fn discrete(values: &[f64], weights: &[f64]) -> Result<Dist, DistError> {
        Discrete::new(values, weights).map(Dist::Discrete)
    }

    /// 1.0 with probability `p`, else 0.0.
    pub fn bernoulli(p: f64) -> Result<Dist, DistError> {
        Bernoulli::new(p).map(Dist::Bernoulli)
    }

    /// Empirical distribution of samples (R type 7 quantiles).
    pub fn empirical_samples(samples: &[f64]) -> Result<Dist, DistError> {
        Empirical::from_samples(samples).map(Dist::Empirical)
    }

    /// Empirical distribution through CDF points `(x, F)`.
    pub fn empirical_cdf(points: &[(f64, f64)]) -> Result<Dist, DistError> {
        Empirical::from_cdf_points(points).map(Dist::Empirical)
    }

    /// Inverse CDF at `u ∈ (0, 1)`: the draw for uniform `u`.
    ///
    /// Non-decreasing in `u`. Continuous kinds satisfy `cdf(quantile(u)) = u`; discrete kinds
    /// return the smallest `x` with `cdf(x) >= u`.
    #[inline]
    pub fn quantile(&self, u: f64) -> f64 {
        each!(self, d => d.quantile(u))
    }

    /// `P(X <= x)`.
    pub fn cdf(&self, x: f64) -> f64 {
        each!(self, d => d.cdf(x))
    }

    /// Median (the lower median for discrete kinds); this is the deterministic base case value.
    pub fn median(&self) -> f64 {
        each!(self, d => d.median())
    }

    /// Mean.
    pub fn mean(&self) -> f64 {
        each!(self, d => d.mean())
    }

    /// Variance.
    pub fn variance(&self) -> f64 {
        each!(self, d => d.variance())
    }

    /// `(lower, upper)` ends of the support, possibly infinite.
    pub fn support(&self) -> (f64, f64) {
        each!(self, d => d.support())
    }

    /// A short lower-case name of the kind, as used in error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Dist::Fixed(_) => "fixed",
            Dist::Uniform(_) => "uniform",
            Dist::Triangular(_) => "triangular",
            Dist::Pert(_) => "pert",
            Dist::Normal(_) => "normal",
            Dist::TruncatedNormal(_) => "truncated normal",
            Dist::Lognormal(l) if l.shift() != 0.0 => "shifted lognormal",
            Dist::Lognormal(_) => "lognormal",
            Dist::Beta(_) => "beta",
            Dist::Discrete(_) => "discrete",
            Dist::Bernoulli(_) => "bernoulli",
            Dist::Empirical(_) => "empirical",
        }
    }

    /// True for kinds whose quantile is continuous in `u` (everything except fixed, discrete and
    /// bernoulli).
    pub fn is_continuous(&self) -> bool {
        !matches!(self, Dist::Fixed(_) | Dist::Discrete(_) | Dist::Bernoulli(_))
    }
}

macro_rules! impl_from {
    ($($kind:ident),*) => {
        $(impl From<$kind> for Dist {
            fn from(d: $kind) -> Dist {
                Dist::$kind(d)
            }
        })*
    };
}

impl_from!(
    Fixed,
    Uniform,
    Triangular,
    Pert,
    Normal,
    TruncatedNormal,
    Lognormal,
    Beta,
    Discrete,
    Bernoulli,
    Empirical
);
