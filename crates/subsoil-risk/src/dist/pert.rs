//! The (modified) PERT distribution: a beta distribution set by minimum, most likely value and
//! maximum.

use super::beta::Beta;
use super::error::{DistError, at_most, finite, less, positive, within};

/// The usual PERT shape parameter, giving a mean of `(min + 4 mode + max) / 6`.
pub const DEFAULT_LAMBDA: f64 = 4.0;

/// Largest `lambda` accepted (the beta shapes stay below [`super::beta::MAX_SHAPE`]).
pub const MAX_LAMBDA: f64 = 1e4;

/// PERT(`min`, `mode`, `max`, `lambda`): a beta distribution on `[min, max]` with shapes
/// `α = 1 + λ (mode - min) / (max - min)` and `β = 1 + λ (max - mode) / (max - min)`.
///
/// Its mean is `(min + λ mode + max) / (λ + 2)`. Larger `λ` concentrates mass around the mode.
#[derive(Debug, Clone, PartialEq)]
pub struct Pert {
    mode: f64,
    lambda: f64,
    beta: Beta,
}

impl Pert {
    /// PERT with `min <= mode <= max`, `min < max` and `0 < lambda <= MAX_LAMBDA`, all finite.
    pub fn new(min: f64, mode: f64, max: f64, lambda: f64) -> Result<Self, DistError> {
        const D: &str = "pert";
        finite(D, "min", min)?;
        finite(D, "mode", mode)?;
        finite(D, "max", max)?;
        less(D, ("min", min), ("max", max))?;
        within(D, "mode", mode, (min, max))?;
        at_most(D, "lambda", positive(D, "lambda", lambda)?, MAX_LAMBDA)?;
        let width = finite(D, "max - min", max - min)?;
        let alpha = 1.0 + lambda * (mode - min) / width;
        let beta = 1.0 + lambda * (max - mode) / width;
        Ok(Pert { mode, lambda, beta: Beta::build(D, alpha, beta, min, max)? })
    }

    /// Lower bound.
    pub fn min(&self) -> f64 {
        self.beta.lo()
    }

    /// Most likely value.
    pub fn mode(&self) -> f64 {
        self.mode
    }

    /// Upper bound.
    pub fn max(&self) -> f64 {
        self.beta.hi()
    }

    /// Shape parameter λ.
    pub fn lambda(&self) -> f64 {
        self.lambda
    }

    /// The equivalent scaled beta distribution.
    pub fn as_beta(&self) -> &Beta {
        &self.beta
    }

    /// Inverse CDF.
    #[inline]
    pub fn quantile(&self, u: f64) -> f64 {
        self.beta.quantile(u)
    }

    /// CDF.
    pub fn cdf(&self, x: f64) -> f64 {
        self.beta.cdf(x)
    }

    /// `(min + λ mode + max) / (λ + 2)`.
    pub fn mean(&self) -> f64 {
        self.beta.mean()
    }

    /// Variance of the underlying scaled beta.
    pub fn variance(&self) -> f64 {
        self.beta.variance()
    }

    /// `quantile(0.5)`.
    pub fn median(&self) -> f64 {
        self.beta.median()
    }

    /// `(min, max)`.
    pub fn support(&self) -> (f64, f64) {
        self.beta.support()
    }
}
