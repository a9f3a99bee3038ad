//! The beta distribution, optionally scaled from `[0, 1]` to `[lo, hi]`.

use super::error::{DistError, at_most, finite, less, positive, within};
use crate::special::{beta_inc_both, beta_inc_inv_bracketed, beta_inc_inv_with, beta_pdf, ln_beta};

/// Largest shape parameter accepted. Beyond it the distribution is within a fraction of a percent
/// of a normal with a standard deviation below 0.2% of the range (use a normal instead), and
/// the continued fraction behind the quantile needs hundreds of terms.
pub const MAX_SHAPE: f64 = 1e5;

/// Smallest shape parameter accepted. Below it the distribution is two point masses at the ends to
/// within a thousandth of its probability, and shapes near the smallest doubles (about 1e-305 and
/// below) make the incomplete beta function, and so the quantile, NaN.
pub const MIN_SHAPE: f64 = 1e-3;

/// Beta(`alpha`, `beta`) on `[lo, hi]`: `X = lo + (hi - lo) B` with `B` standard beta.
///
/// Quantiles invert this crate's regularised incomplete beta function (see [`crate::special`]
/// for its accuracy). Construction tabulates the quantile at `u = i / 128` with its slope; a draw
/// starts from cubic Hermite interpolation in its cell, which is usually within 1e-9 of the
/// answer, and finishes with one or two bracketed Newton steps (one continued-fraction
/// evaluation each). Draws in the outermost cells use the general solver.
#[derive(Debug, Clone, PartialEq)]
pub struct Beta {
    alpha: f64,
    beta: f64,
    lo: f64,
    width: f64,
    ln_b: f64,
    table: QuantileTable,
}

/// Number of cells of the quantile table.
const CELLS: usize = 128;

/// Quantiles of the standard beta at `u = i / CELLS` and their slopes `dx/du = 1 / pdf(x)`.
#[derive(Debug, Clone, PartialEq)]
struct QuantileTable {
    xs: Box<[f64]>,
    slopes: Box<[f64]>,
}

impl QuantileTable {
    fn new(a: f64, b: f64, ln_b: f64) -> Self {
        let xs: Box<[f64]> =
            (0..=CELLS).map(|i| beta_inc_inv_with(a, b, i as f64 / CELLS as f64, ln_b)).collect();
        let slopes = xs.iter().map(|&x| 1.0 / beta_pdf(a, b, x, ln_b)).collect();
        QuantileTable { xs, slopes }
    }
}

impl Beta {
    /// Standard beta on `[0, 1]`; `alpha` and `beta` in `[MIN_SHAPE, MAX_SHAPE]`.
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
        at_most(dist, "alpha", positive(dist, "alpha", alpha)?, MAX_SHAPE)?;
        at_most(dist, "beta", positive(dist, "beta", beta)?, MAX_SHAPE)?;
        within(dist, "alpha", alpha, (MIN_SHAPE, MAX_SHAPE))?;
        within(dist, "beta", beta, (MIN_SHAPE, MAX_SHAPE))?;
        finite(dist, "lo", lo)?;
        finite(dist, "hi", hi)?;
        less(dist, ("lo", lo), ("hi", hi))?;
        let width = finite(dist, "hi - lo", hi - lo)?;
        let ln_b = ln_beta(alpha, beta);
        let table = QuantileTable::new(alpha, beta, ln_b);
        Ok(Beta { alpha, beta, lo, width, ln_b, table })
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
        self.lo + self.width * self.standard_quantile(u)
    }

    /// Quantile of the standard (unscaled) beta.
    fn standard_quantile(&self, u: f64) -> f64 {
        let t = u * CELLS as f64;
        // Outermost cells (and u outside (0, 1), and NaN) go to the general solver.
        if !(t >= 1.0 && t < (CELLS - 1) as f64) {
            return beta_inc_inv_with(self.alpha, self.beta, u, self.ln_b);
        }
        let i = t as usize;
        let s = t - i as f64;
        let (x0, x1) = (self.table.xs[i], self.table.xs[i + 1]);
        if x0.is_nan() || x1.is_nan() || x0 > x1 {
            // Only for shapes so extreme that the table could not be built (NaN entries).
            return beta_inc_inv_with(self.alpha, self.beta, u, self.ln_b);
        }
        // Cubic Hermite on the cell, slopes scaled to the cell's width in u.
        let h = 1.0 / CELLS as f64;
        let (m0, m1) = (self.table.slopes[i] * h, self.table.slopes[i + 1] * h);
        let s2 = s * s;
        let s3 = s2 * s;
        let guess = (2.0 * s3 - 3.0 * s2 + 1.0) * x0
            + (s3 - 2.0 * s2 + s) * m0
            + (-2.0 * s3 + 3.0 * s2) * x1
            + (s3 - s2) * m1;
        let shape = (self.alpha, self.beta, self.ln_b);
        beta_inc_inv_bracketed(shape, u, if guess.is_finite() { guess } else { x0 }, (x0, x1))
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
