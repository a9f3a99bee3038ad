//! The beta distribution, optionally scaled from `[0, 1]` to `[lo, hi]`.

use super::error::{DistError, finite, less, positive};
use crate::special::{beta_inc_both, beta_inc_inv_with, ln_beta};

/// Beta(`alpha`, `beta`) on `[lo, hi]`: `X = lo + (hi - lo) B` with `B` standard beta.
///
/// Quantiles come from this crate's inverse regularised incomplete beta function (Newton's method
/// on a continued fraction; see [`crate::special`] for its accuracy). A quantile costs a few
/// continued-fraction evaluations, so it is slower than a normal quantile: see the crate docs for
/// measured rates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Beta {
    alpha: f64,
    beta: f64,
    lo: f64,
    width: f64,
    ln_b: f64,
}

impl Beta {
    /// Standard beta on `[0, 1]`; `alpha` and `beta` finite and `> 0`.
    pub fn new(alpha: f64, beta: f64) -> Result<Self, DistError> {
        Self::scaled(alpha, beta, 0.0, 1.0)
    }

    /// Beta scaled to `[lo, hi]`; `lo < hi`, both finite.
    pub fn scaled(alpha: f64, beta: f64, lo: f64, hi: f64) -> Result<Self, DistError> {
        Self::build("beta", alpha, beta, lo, hi)
    }

    /// Shared constructor; `dist` names the kind in error messages (PERT reuses it).
    pub(crate) fn build(
        dist: &'static str,
        alpha: f64,
        beta: f64,
        lo: f64,
        hi: f64,
    ) -> Result<Self, DistError> {
        positive(dist, "alpha", alpha)?;
        positive(dist, "beta", beta)?;
        finite(dist, "lo", lo)?;
        finite(dist, "hi", hi)?;
        less(dist, ("lo", lo), ("hi", hi))?;
        let width = finite(dist, "hi - lo", hi - lo)?;
        Ok(Beta { alpha, beta, lo, width, ln_b: ln_beta(alpha, beta) })
    }

    /// First shape parameter.
    pub fn alpha(&self) -> f64 {
        self.alpha
    }

    /// Second shape parameter.
    pub fn beta(&self) -> f64 {
        self.beta
    }

    /// Lower end of the support.
    pub fn lo(&self) -> f64 {
        self.lo
    }

    /// Upper end of the support.
    pub fn hi(&self) -> f64 {
        self.lo + self.width
    }

    /// Inverse CDF.
    #[inline]
    pub fn quantile(&self, u: f64) -> f64 {
        self.lo + self.width * beta_inc_inv_with(self.alpha, self.beta, u, self.ln_b)
    }

    /// CDF, the regularised incomplete beta function of `(x - lo) / (hi - lo)`.
    pub fn cdf(&self, x: f64) -> f64 {
        beta_inc_both(self.alpha, self.beta, (x - self.lo) / self.width, self.ln_b).0
    }

    /// `lo + (hi - lo) α / (α + β)`.
    pub fn mean(&self) -> f64 {
        self.lo + self.width * self.alpha / (self.alpha + self.beta)
    }

    /// `(hi - lo)² α β / ((α + β)² (α + β + 1))`.
    pub fn variance(&self) -> f64 {
        let s = self.alpha + self.beta;
        self.width * self.width * self.alpha * self.beta / (s * s * (s + 1.0))
    }

    /// `quantile(0.5)`.
    pub fn median(&self) -> f64 {
        self.quantile(0.5)
    }

    /// `(lo, hi)`.
    pub fn support(&self) -> (f64, f64) {
        (self.lo, self.hi())
    }
}
