//! The normal distribution and the normal truncated to an interval.

use super::error::{DistError, finite, less, positive};
use crate::special::{norm_cdf, norm_inv, norm_pdf, norm_sf};

/// Normal with mean `mean` and standard deviation `sd`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Normal {
    mean: f64,
    sd: f64,
}

impl Normal {
    /// Normal with finite `mean` and finite `sd > 0`.
    pub fn new(mean: f64, sd: f64) -> Result<Self, DistError> {
        finite("normal", "mean", mean)?;
        positive("normal", "sd", sd)?;
        Ok(Normal { mean, sd })
    }

    /// Mean.
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// Standard deviation.
    pub fn sd(&self) -> f64 {
        self.sd
    }

    /// `mean + sd Φ⁻¹(u)`.
    #[inline]
    pub fn quantile(&self, u: f64) -> f64 {
        self.mean + self.sd * norm_inv(u)
    }

    /// `Φ((x - mean) / sd)`.
    pub fn cdf(&self, x: f64) -> f64 {
        norm_cdf((x - self.mean) / self.sd)
    }

    /// `sd²`.
    pub fn variance(&self) -> f64 {
        self.sd * self.sd
    }

    /// The mean.
    pub fn median(&self) -> f64 {
        self.mean
    }

    /// `(-inf, +inf)`.
    pub fn support(&self) -> (f64, f64) {
        (f64::NEG_INFINITY, f64::INFINITY)
    }
}

/// `(φ(z), z φ(z))`, both 0 at infinite `z`.
fn pdf_terms(z: f64) -> (f64, f64) {
    if z.is_infinite() {
        (0.0, 0.0)
    } else {
        let p = norm_pdf(z);
        (p, z * p)
    }
}

/// A normal distribution (`mean`, `sd` of the untruncated normal) conditioned on `[lo, hi]`; either
/// bound may be absent (infinite).
///
/// When the window lies entirely above the mean the computation runs on the upper tail
/// (`1 - Φ`), so windows far out in either tail keep their accuracy. For windows much narrower
/// than `sd` the distribution is close to uniform and the moments lose a few digits to
/// cancellation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TruncatedNormal {
    mean: f64,
    sd: f64,
    lo: f64,
    hi: f64,
    /// Standardised bounds.
    a: f64,
    b: f64,
    /// True when computing with upper-tail probabilities (the window is above the mean).
    upper: bool,
    /// `Φ(a)` (or `1 - Φ(a)` when `upper`).
    pa: f64,
    /// Probability of the window under the untruncated normal.
    mass: f64,
}

impl TruncatedNormal {
    /// Truncated normal; `sd > 0`, bounds finite when given and `lo < hi`, and the window must
    /// keep a probability of at least 1e-300 under the untruncated normal.
    pub fn new(mean: f64, sd: f64, lo: Option<f64>, hi: Option<f64>) -> Result<Self, DistError> {
        const D: &str = "truncated normal";
        finite(D, "mean", mean)?;
        positive(D, "sd", sd)?;
        let lo = match lo {
            Some(v) => finite(D, "lo", v)?,
            None => f64::NEG_INFINITY,
        };
        let hi = match hi {
            Some(v) => finite(D, "hi", v)?,
            None => f64::INFINITY,
        };
        less(D, ("lo", lo), ("hi", hi))?;
        let a = (lo - mean) / sd;
        let b = (hi - mean) / sd;
        let upper = a > 0.0;
        let (pa, pb) = if upper { (norm_sf(a), norm_sf(b)) } else { (norm_cdf(a), norm_cdf(b)) };
        let mass = (pb - pa).abs();
        if mass.is_nan() || mass < 1e-300 {
            return Err(DistError::NoMass { dist: D, lo, hi });
        }
        Ok(TruncatedNormal { mean, sd, lo, hi, a, b, upper, pa, mass })
    }

    /// Mean of the untruncated normal.
    pub fn location(&self) -> f64 {
        self.mean
    }

    /// Standard deviation of the untruncated normal.
    pub fn scale(&self) -> f64 {
        self.sd
    }

    /// Lower bound (`-inf` if absent).
    pub fn lo(&self) -> f64 {
        self.lo
    }

    /// Upper bound (`+inf` if absent).
    pub fn hi(&self) -> f64 {
        self.hi
    }

    /// Inverse CDF, clamped to `[lo, hi]` against rounding.
    #[inline]
    pub fn quantile(&self, u: f64) -> f64 {
        let u = u.clamp(0.0, 1.0);
        let z = if self.upper {
            -norm_inv(self.pa - u * self.mass)
        } else {
            norm_inv(self.pa + u * self.mass)
        };
        (self.mean + self.sd * z).clamp(self.lo, self.hi)
    }

    /// CDF.
    pub fn cdf(&self, x: f64) -> f64 {
        if x <= self.lo {
            return 0.0;
        }
        if x >= self.hi {
            return 1.0;
        }
        let z = (x - self.mean) / self.sd;
        let p = if self.upper {
            (self.pa - norm_sf(z)) / self.mass
        } else {
            (norm_cdf(z) - self.pa) / self.mass
        };
        p.clamp(0.0, 1.0)
    }

    /// `mean + sd (φ(a) - φ(b)) / Z`.
    pub fn mean(&self) -> f64 {
        let (pa, _) = pdf_terms(self.a);
        let (pb, _) = pdf_terms(self.b);
        self.mean + self.sd * (pa - pb) / self.mass
    }

    /// `sd² (1 + (a φ(a) - b φ(b)) / Z - ((φ(a) - φ(b)) / Z)²)`.
    pub fn variance(&self) -> f64 {
        let (pa, za) = pdf_terms(self.a);
        let (pb, zb) = pdf_terms(self.b);
        let shift = (pa - pb) / self.mass;
        self.sd * self.sd * (1.0 + (za - zb) / self.mass - shift * shift)
    }

    /// `quantile(0.5)`.
    pub fn median(&self) -> f64 {
        self.quantile(0.5)
    }

    /// `(lo, hi)`.
    pub fn support(&self) -> (f64, f64) {
        (self.lo, self.hi)
    }
}
