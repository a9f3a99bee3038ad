//! The lognormal distribution, plain or shifted, in three parametrisations.

use super::error::{DistError, finite, less, positive};
use crate::special::{norm_cdf, norm_inv};

/// `Φ⁻¹(0.9)`: the standard normal 90th percentile.
const Z90: f64 = 1.281_551_565_544_600_4;

/// How a lognormal is specified. All values describe the variable itself, shift included: for a
/// shifted lognormal with shift `s`, `median` is the median of `X = s + exp(N(μ, σ²))`, not of the
/// exponential part.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LognormalSpec {
    /// Median and 90th percentile (`p90 > median`).
    MedianP90 {
        /// Median of the variable.
        median: f64,
        /// 90th percentile of the variable.
        p90: f64,
    },
    /// Mean and standard deviation of the variable (not of its logarithm).
    MeanSd {
        /// Mean of the variable.
        mean: f64,
        /// Standard deviation of the variable.
        sd: f64,
    },
    /// Median of the variable and `sigma`, the standard deviation of `ln(X - shift)`.
    MedianSigma {
        /// Median of the variable.
        median: f64,
        /// Standard deviation of the logarithm.
        sigma: f64,
    },
}

/// `X = shift + exp(μ + σ Z)` with `Z` standard normal. `shift = 0` is the plain lognormal.
///
/// Shifted lognormals model multipliers with a long right tail, for example a capex overrun factor
/// with mean 1.14 that cannot fall below 0.6.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lognormal {
    shift: f64,
    mu: f64,
    sigma: f64,
}

impl Lognormal {
    /// A plain lognormal (`shift = 0`); medians and means must be `> 0`.
    pub fn new(spec: LognormalSpec) -> Result<Self, DistError> {
        Self::build("lognormal", 0.0, spec)
    }

    /// `shift + lognormal`; medians and means must exceed `shift`.
    pub fn shifted(shift: f64, spec: LognormalSpec) -> Result<Self, DistError> {
        finite("shifted lognormal", "shift", shift)?;
        Self::build("shifted lognormal", shift, spec)
    }

    fn build(dist: &'static str, shift: f64, spec: LognormalSpec) -> Result<Self, DistError> {
        // Checks that a location parameter lies above the shift (or is positive when unshifted).
        let above_shift = |param: &'static str, value: f64| -> Result<f64, DistError> {
            finite(dist, param, value)?;
            if shift == 0.0 {
                positive(dist, param, value)?;
            } else {
                less(dist, ("shift", shift), (param, value))?;
            }
            finite(dist, param, value - shift)
        };
        let (mu, sigma) = match spec {
            LognormalSpec::MedianP90 { median, p90 } => {
                let m = above_shift("median", median)?;
                finite(dist, "p90", p90)?;
                less(dist, ("median", median), ("p90", p90))?;
                let sigma = ((p90 - shift) / m).ln() / Z90;
                (m.ln(), positive(dist, "sigma implied by median and p90", sigma)?)
            }
            LognormalSpec::MeanSd { mean, sd } => {
                let m = above_shift("mean", mean)?;
                positive(dist, "sd", sd)?;
                let r = sd / m;
                let var_log = (r * r).ln_1p();
                let sigma = positive(dist, "sigma implied by mean and sd", var_log.sqrt())?;
                (m.ln() - 0.5 * var_log, sigma)
            }
            LognormalSpec::MedianSigma { median, sigma } => {
                let m = above_shift("median", median)?;
                (m.ln(), positive(dist, "sigma", sigma)?)
            }
        };
        Ok(Lognormal { shift, mu: finite(dist, "mu", mu)?, sigma })
    }

    /// The shift (0 for a plain lognormal).
    pub fn shift(&self) -> f64 {
        self.shift
    }

    /// `μ`, the mean of `ln(X - shift)`.
    pub fn mu(&self) -> f64 {
        self.mu
    }

    /// `σ`, the standard deviation of `ln(X - shift)`.
    pub fn sigma(&self) -> f64 {
        self.sigma
    }

    /// `shift + exp(μ + σ Φ⁻¹(u))`.
    #[inline]
    pub fn quantile(&self, u: f64) -> f64 {
        self.shift + (self.mu + self.sigma * norm_inv(u)).exp()
    }

    /// `Φ((ln(x - shift) - μ) / σ)`, 0 at or below the shift.
    pub fn cdf(&self, x: f64) -> f64 {
        if x <= self.shift {
            return 0.0;
        }
        norm_cdf(((x - self.shift).ln() - self.mu) / self.sigma)
    }

    /// `shift + exp(μ + σ²/2)`.
    pub fn mean(&self) -> f64 {
        self.shift + (self.mu + 0.5 * self.sigma * self.sigma).exp()
    }

    /// `(exp(σ²) - 1) exp(2μ + σ²)`.
    pub fn variance(&self) -> f64 {
        let s2 = self.sigma * self.sigma;
        s2.exp_m1() * (2.0 * self.mu + s2).exp()
    }

    /// `shift + exp(μ)`.
    pub fn median(&self) -> f64 {
        self.shift + self.mu.exp()
    }

    /// `(shift, +inf)`.
    pub fn support(&self) -> (f64, f64) {
        (self.shift, f64::INFINITY)
    }
}
