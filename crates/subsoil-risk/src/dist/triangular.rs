//! The triangular distribution with a lower bound, a mode and an upper bound.

use super::error::{DistError, finite, less, within};

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
    /// Triangular with `min <= mode <= max` and `min < max`, all finite.
    pub fn new(min: f64, mode: f64, max: f64) -> Result<Self, DistError> {
        const D: &str = "triangular";
        finite(D, "min", min)?;
        finite(D, "mode", mode)?;
        finite(D, "max", max)?;
        less(D, ("min", min), ("max", max))?;
        within(D, "mode", mode, (min, max))?;
        finite(D, "max - min", max - min)?;
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

    /// Inverse CDF: `min + sqrt(u (max-min)(mode-min))` below the mode,
    /// `max - sqrt((1-u)(max-min)(max-mode))` above it.
    #[inline]
    pub fn quantile(&self, u: f64) -> f64 {
        let u = u.clamp(0.0, 1.0);
        let width = self.max - self.min;
        if u < self.f_mode {
            self.min + (u * width * (self.mode - self.min)).sqrt()
        } else {
            self.max - ((1.0 - u) * width * (self.max - self.mode)).sqrt()
        }
    }

    /// Piecewise quadratic CDF.
    pub fn cdf(&self, x: f64) -> f64 {
        let width = self.max - self.min;
        if x <= self.min {
            0.0
        } else if x >= self.max {
            1.0
        } else if x <= self.mode {
            let d = x - self.min;
            d * d / (width * (self.mode - self.min))
        } else {
            let d = self.max - x;
            1.0 - d * d / (width * (self.max - self.mode))
        }
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
