//! The continuous uniform distribution on `[min, max]`.

use super::error::{DistError, finite, less};

/// Uniform on `[min, max]` with `min < max`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Uniform {
    min: f64,
    width: f64,
}

impl Uniform {
    /// Uniform on `[min, max]`; both finite, `min < max` and `max - min` finite.
    pub fn new(min: f64, max: f64) -> Result<Self, DistError> {
        const D: &str = "uniform";
        finite(D, "min", min)?;
        finite(D, "max", max)?;
        less(D, ("min", min), ("max", max))?;
        let width = finite(D, "max - min", max - min)?;
        Ok(Uniform { min, width })
    }

    /// Lower bound.
    pub fn min(&self) -> f64 {
        self.min
    }

    /// Upper bound.
    pub fn max(&self) -> f64 {
        self.min + self.width
    }

    /// `min + u (max - min)`.
    #[inline]
    pub fn quantile(&self, u: f64) -> f64 {
        self.min + u.clamp(0.0, 1.0) * self.width
    }

    /// `(x - min) / (max - min)`, clamped to `[0, 1]`.
    pub fn cdf(&self, x: f64) -> f64 {
        ((x - self.min) / self.width).clamp(0.0, 1.0)
    }

    /// `(min + max) / 2`.
    pub fn mean(&self) -> f64 {
        self.min + 0.5 * self.width
    }

    /// `(max - min)² / 12`.
    pub fn variance(&self) -> f64 {
        self.width * self.width / 12.0
    }

    /// Same as the mean.
    pub fn median(&self) -> f64 {
        self.mean()
    }

    /// `(min, max)`.
    pub fn support(&self) -> (f64, f64) {
        (self.min, self.max())
    }
}
