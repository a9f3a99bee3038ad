//! A fixed (degenerate) value: no uncertainty.

use super::error::{DistError, finite};

/// A point mass at one value. Its quantile is that value for every `u`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fixed {
    value: f64,
}

impl Fixed {
    /// A point mass at `value`, which must be finite.
    pub fn new(value: f64) -> Result<Self, DistError> {
        Ok(Fixed { value: finite("fixed", "value", value)? })
    }

    /// The value.
    pub fn value(&self) -> f64 {
        self.value
    }

    /// Returns the value, whatever `u` is.
    #[inline]
    pub fn quantile(&self, _u: f64) -> f64 {
        self.value
    }

    /// 0 below the value, 1 from the value on.
    pub fn cdf(&self, x: f64) -> f64 {
        if x >= self.value { 1.0 } else { 0.0 }
    }

    /// The value.
    pub fn mean(&self) -> f64 {
        self.value
    }

    /// Zero.
    pub fn variance(&self) -> f64 {
        0.0
    }

    /// The value.
    pub fn median(&self) -> f64 {
        self.value
    }

    /// `(value, value)`.
    pub fn support(&self) -> (f64, f64) {
        (self.value, self.value)
    }
}
