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

/// Positive Gauss–Legendre nodes and weights of the 8-point rule on `[-1, 1]`.
const GL8: [(f64, f64); 4] = [
    (0.960_289_856_497_536_2, 0.101_228_536_290_376_26),
    (0.796_666_477_413_626_7, 0.222_381_034_453_374_47),
    (0.525_532_409_916_329, 0.313_706_645_877_887_3),
    (0.183_434_642_495_649_8, 0.362_683_783_378_362),
];

/// `Φ(z) - Φ(a)` for `a <= z`, accurate in relative terms even when `z` is close to `a`.
///
/// Short intervals (where the density varies by at most a factor of about e) are integrated with
/// 8-point Gauss–Legendre, which is then exact to rounding; on longer ones the difference of the
/// two tail probabilities on the same side of 0 loses at most a few bits.
fn normal_mass(a: f64, z: f64) -> f64 {
    let h = z - a;
    if h <= 0.0 {
        return 0.0;
    }
    if h * a.abs().max(z.abs()).max(1.0) <= 1.0 {
        let (mid, half) = (0.5 * (a + z), 0.5 * h);
        let sum: f64 = GL8
            .iter()
            .map(|&(x, w)| w * (norm_pdf(mid - half * x) + norm_pdf(mid + half * x)))
            .sum();
        half * sum
    } else if a >= 0.0 {
        norm_sf(a) - norm_sf(z)
    } else {
        norm_cdf(z) - norm_cdf(a)
    }
}

/// A normal distribution (`mean`, `sd` of the untruncated normal) conditioned on `[lo, hi]`; either
/// bound may be absent (infinite).
///
/// The quantile starts from `Φ⁻¹` of the target probability (computed on the upper tail when the
/// window lies above the mean) and, when the draw falls so close to a bound that forming that
/// probability lost digits, polishes the result with Newton steps on an accurate
/// `Φ(z) - Φ(bound)`. Quantile and CDF therefore keep their relative accuracy near finite bounds
/// and in windows far out in either tail.
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
        let pa = if upper { norm_sf(a) } else { norm_cdf(a) };
        let mass = normal_mass(a, b);
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

    /// Inverse CDF, clamped to `[lo, hi]` against rounding; `u <= 0` gives `lo`, `u >= 1` gives
    /// `hi`.
    #[inline]
    pub fn quantile(&self, u: f64) -> f64 {
        if u <= 0.0 {
            return self.lo;
        }
        if u >= 1.0 {
            return self.hi;
        }
        let target = if self.upper { self.pa - u * self.mass } else { self.pa + u * self.mass };
        let mut z = if self.upper { -norm_inv(target) } else { norm_inv(target) };
        // Forming `target` rounds at the level of `target` itself; when the probability between
        // the draw and the nearer bound is far smaller than that, polish in that tail.
        let tail = u.min(1.0 - u) * self.mass;
        if tail < 1e-4 * target {
            z = self.polish(z, u);
        }
        (self.mean + self.sd * z).clamp(self.lo, self.hi)
    }

    /// Newton steps on the probability between `z` and the nearer bound.
    fn polish(&self, mut z: f64, u: f64) -> f64 {
        for _ in 0..4 {
            let z_in = z.clamp(self.a, self.b);
            let g = if u <= 0.5 {
                normal_mass(self.a, z_in) - u * self.mass
            } else {
                (1.0 - u) * self.mass - normal_mass(z_in, self.b)
            };
            let step = g / norm_pdf(z_in);
            if !step.is_finite() {
                return z_in;
            }
            z = z_in - step;
            if step.abs() <= 1e-15 * z.abs().max(1e-300) {
                break;
            }
        }
        z.clamp(self.a, self.b)
    }

    /// CDF, from the probability between `x` and the nearer bound.
    pub fn cdf(&self, x: f64) -> f64 {
        if x <= self.lo {
            return 0.0;
        }
        if x >= self.hi {
            return 1.0;
        }
        let z = (x - self.mean) / self.sd;
        let below = normal_mass(self.a, z) / self.mass;
        let p = if below <= 0.5 { below } else { 1.0 - normal_mass(z, self.b) / self.mass };
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
