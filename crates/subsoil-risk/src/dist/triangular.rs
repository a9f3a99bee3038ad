//! The triangular distribution with a lower bound, a mode and an upper bound.

use super::error::{DistError, at_most, finite, less, within};

/// Widest support accepted: the quantile multiplies two distances of this size, which must not
/// overflow (a width of 5e297 gave NaN quantiles).
pub const MAX_WIDTH: f64 = 1e150;

/// Triangular on `[min, max]` with its peak at `mode`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Triangular {
    min: f64,
    mode: f64,
    max: f64,
    /// `F(mode) = (mode - min) / (max - min)`.
    f_mode: f64,
}

impl Triangular {
    /// Triangular with `min <= mode <= max` and `min < max`, all finite, `max - min <= MAX_WIDTH`.
    pub fn new(min: f64, mode: f64, max: f64) -> Result<Self, DistError> {
        const D: &str = "triangular";
        finite(D, "min", min)?;
        finite(D, "mode", mode)?;
        finite(D, "max", max)?;
        less(D, ("min", min), ("max", max))?;
        within(D, "mode", mode, (min, max))?;
        at_most(D, "max - min", finite(D, "max - min", max - min)?, MAX_WIDTH)?;
        Ok(Triangular { min, mode, max, f_mode: (mode - min) / (max - min) })
    }

    /// Lower bound.
    pub fn min(&self) -> f64 {
        self.min
    }

    /// Most likely value.
    pub fn mode(&self) -> f64 {
        self.mode
    }

    /// Upper bound.
    pub fn max(&self) -> f64 {
        self.max
    }

    /// Inverse CDF: `min + sqrt(u w p)` below the mode and `max - sqrt((1-u) w q)` above it, with
    /// `w = max - min`, `p = mode - min`, `q = max - mode`.
    ///
    /// Whichever end of the support is nearer is used as the origin (the distance to the other
    /// end is rewritten without subtraction), so results near either bound keep their relative
    /// accuracy even when the mode sits on a bound.
    #[inline]
    pub fn quantile(&self, u: f64) -> f64 {
        let u = u.clamp(0.0, 1.0);
        let (w, p, q) = self.spans();
        if u < self.f_mode {
            let e = (u * w * p).sqrt();
            if e <= 0.5 * w { self.min + e } else { self.max - w * (q + (1.0 - u) * p) / (w + e) }
        } else {
            let d = ((1.0 - u) * w * q).sqrt();
            if d <= 0.5 * w { self.max - d } else { self.min + w * (p + u * q) / (w + d) }
        }
    }

    /// Piecewise quadratic CDF, evaluated without cancellation in either tail.
    pub fn cdf(&self, x: f64) -> f64 {
        let (w, p, q) = self.spans();
        if x <= self.min {
            return 0.0;
        }
        if x >= self.max {
            return 1.0;
        }
        let (e, d) = (x - self.min, self.max - x);
        if x <= self.mode {
            // F = e² / (w p); 1 - F = (w (mode - x) + e d) / (w p).
            let f = e * e / (w * p);
            if f <= 0.5 { f } else { 1.0 - (w * (self.mode - x) + e * d) / (w * p) }
        } else {
            // 1 - F = d² / (w q); F = (w (x - mode) + e d) / (w q).
            let g = d * d / (w * q);
            if g <= 0.5 { 1.0 - g } else { (w * (x - self.mode) + e * d) / (w * q) }
        }
    }

    /// `(max - min, mode - min, max - mode)`.
    fn spans(&self) -> (f64, f64, f64) {
        (self.max - self.min, self.mode - self.min, self.max - self.mode)
    }

    /// `(min + mode + max) / 3`.
    pub fn mean(&self) -> f64 {
        (self.min + self.mode + self.max) / 3.0
    }

    /// `(a² + b² + c² - ab - ac - bc) / 18`, computed from differences to avoid cancellation.
    pub fn variance(&self) -> f64 {
        let p = self.mode - self.min;
        let q = self.max - self.mode;
        (p * p + p * q + q * q) / 18.0
    }

    /// `quantile(0.5)`.
    pub fn median(&self) -> f64 {
        self.quantile(0.5)
    }

    /// `(min, max)`.
    pub fn support(&self) -> (f64, f64) {
        (self.min, self.max)
    }
}
