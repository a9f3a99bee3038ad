//! The error returned by distribution constructors.

use std::fmt;

/// Why a distribution could not be built. The message names the distribution, the parameter and
/// what was expected, e.g. `normal: sd = -1 is invalid; expected a finite value > 0`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum DistError {
    /// A parameter is NaN or infinite where a finite number is required.
    NotFinite {
        /// Distribution kind, e.g. `"triangular"`.
        dist: &'static str,
        /// Parameter name as written in scenario files, e.g. `"mode"`.
        param: &'static str,
        /// The value given.
        value: f64,
    },
    /// One element of a list parameter (values, weights, samples, CDF points) is NaN or infinite.
    ElementNotFinite {
        /// Distribution kind.
        dist: &'static str,
        /// List name, e.g. `"weights"`.
        param: &'static str,
        /// Zero-based position in the list.
        index: usize,
        /// The value given.
        value: f64,
    },
    /// A parameter that must be strictly positive is not.
    NotPositive {
        /// Distribution kind.
        dist: &'static str,
        /// Parameter name.
        param: &'static str,
        /// The value given.
        value: f64,
    },
    /// Two parameters must satisfy `lower < upper` and do not.
    NotLess {
        /// Distribution kind.
        dist: &'static str,
        /// Name of the parameter that must be smaller.
        lower: &'static str,
        /// Its value.
        lower_value: f64,
        /// Name of the parameter that must be larger.
        upper: &'static str,
        /// Its value.
        upper_value: f64,
    },
    /// A parameter lies outside the closed interval it must lie in.
    OutOfRange {
        /// Distribution kind.
        dist: &'static str,
        /// Parameter name.
        param: &'static str,
        /// The value given.
        value: f64,
        /// Smallest allowed value.
        min: f64,
        /// Largest allowed value.
        max: f64,
    },
    /// A parameter exceeds the largest value the implementation supports accurately.
    TooLarge {
        /// Distribution kind.
        dist: &'static str,
        /// Parameter name.
        param: &'static str,
        /// The value given.
        value: f64,
        /// Largest allowed value.
        max: f64,
    },
    /// Truncation bounds that leave (numerically) no probability between them.
    NoMass {
        /// Distribution kind.
        dist: &'static str,
        /// Lower bound, `-inf` if absent.
        lo: f64,
        /// Upper bound, `+inf` if absent.
        hi: f64,
    },
    /// `values` and `weights` have different lengths.
    LengthMismatch {
        /// Distribution kind.
        dist: &'static str,
        /// Number of values.
        values: usize,
        /// Number of weights.
        weights: usize,
    },
    /// A list parameter has too few entries.
    TooFew {
        /// Distribution kind.
        dist: &'static str,
        /// List name.
        param: &'static str,
        /// Entries given.
        got: usize,
        /// Entries required at least.
        need: usize,
    },
    /// A weight is negative.
    NegativeWeight {
        /// Zero-based position of the weight.
        index: usize,
        /// The value given.
        value: f64,
    },
    /// All weights are zero.
    ZeroTotalWeight,
    /// A list that must increase does not (CDF points).
    NotIncreasing {
        /// Distribution kind.
        dist: &'static str,
        /// What must increase, e.g. `"x"` or `"F"`.
        param: &'static str,
        /// Zero-based position of the offending point.
        index: usize,
        /// The value at `index - 1`.
        previous: f64,
        /// The value at `index`.
        value: f64,
        /// True when equal consecutive values are allowed (non-decreasing), false when the values
        /// must increase strictly.
        ties_allowed: bool,
    },
    /// The first CDF point does not have `F = 0`, or the last does not have `F = 1`.
    CdfEnd {
        /// `"first"` or `"last"`.
        which: &'static str,
        /// The value given.
        value: f64,
        /// The value required (0 or 1).
        expected: f64,
    },
}

impl fmt::Display for DistError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            DistError::NotFinite { dist, param, value } => {
                let value = Num(value);
                write!(f, "{dist}: {param} = {value} is invalid; expected a finite number")
            }
            DistError::ElementNotFinite { dist, param, index, value } => {
                let value = Num(value);
                write!(f, "{dist}: {param}[{index}] = {value} is invalid; expected a finite number")
            }
            DistError::NotPositive { dist, param, value } => {
                let value = Num(value);
                write!(f, "{dist}: {param} = {value} is invalid; expected a finite value > 0")
            }
            DistError::NotLess { dist, lower, lower_value, upper, upper_value } => {
                let (lower_value, upper_value) = (Num(lower_value), Num(upper_value));
                write!(
                    f,
                    "{dist}: {lower} = {lower_value} and {upper} = {upper_value} are invalid; \
                     expected {lower} < {upper}"
                )
            }
            DistError::OutOfRange { dist, param, value, min, max } => {
                let (value, min, max) = (Num(value), Num(min), Num(max));
                write!(
                    f,
                    "{dist}: {param} = {value} is invalid; expected a value in [{min}, {max}]"
                )
            }
            DistError::TooLarge { dist, param, value, max } => {
                let (value, max) = (Num(value), Num(max));
                write!(f, "{dist}: {param} = {value} is invalid; expected a value <= {max}")
            }
            DistError::NoMass { dist, lo, hi } => {
                let (lo, hi) = (Num(lo), Num(hi));
                write!(
                    f,
                    "{dist}: bounds [{lo}, {hi}] leave no probability; expected bounds that keep \
                     some of the untruncated distribution's mass (at least 1e-300)"
                )
            }
            DistError::LengthMismatch { dist, values, weights } => write!(
                f,
                "{dist}: {values} values but {weights} weights; expected one weight per value"
            ),
            DistError::TooFew { dist, param, got, need } => {
                write!(f, "{dist}: {param} has {got} entries; expected at least {need}")
            }
            DistError::NegativeWeight { index, value } => {
                let value = Num(value);
                write!(f, "discrete: weights[{index}] = {value} is invalid; expected weights >= 0")
            }
            DistError::ZeroTotalWeight => {
                write!(f, "discrete: all weights are 0; expected a positive total weight")
            }
            DistError::NotIncreasing { dist, param, index, previous, value, ties_allowed } => {
                let rule = if ties_allowed { "non-decreasing" } else { "strictly increasing" };
                let (previous, value) = (Num(previous), Num(value));
                write!(
                    f,
                    "{dist}: {param}[{index}] = {value} after {param}[{}] = {previous}; expected \
                     {param} {rule}",
                    index - 1
                )
            }
            DistError::CdfEnd { which, value, expected } => {
                let (value, expected) = (Num(value), Num(expected));
                write!(
                    f,
                    "empirical: the {which} CDF point has F = {value}; expected F = {expected}"
                )
            }
        }
    }
}

/// A number in a message: as written for ordinary magnitudes (`0.25`, `100000`), in scientific form for
/// huge or tiny ones (`1e300`, not a 301-digit integer).
struct Num(f64);

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let x = self.0;
        if x.is_finite() && x != 0.0 && (x.abs() >= 1e7 || x.abs() < 1e-4) {
            write!(f, "{x:e}")
        } else {
            write!(f, "{x}")
        }
    }
}

impl std::error::Error for DistError {}

/// Checks that `value` is finite.
pub(crate) fn finite(
    dist: &'static str,
    param: &'static str,
    value: f64,
) -> Result<f64, DistError> {
    if value.is_finite() { Ok(value) } else { Err(DistError::NotFinite { dist, param, value }) }
}

/// Checks that `value` is finite and strictly positive.
pub(crate) fn positive(
    dist: &'static str,
    param: &'static str,
    value: f64,
) -> Result<f64, DistError> {
    if value > 0.0 && value.is_finite() {
        Ok(value)
    } else {
        Err(DistError::NotPositive { dist, param, value })
    }
}

/// Checks `lower < upper` (both already known finite or infinite as the caller allows).
pub(crate) fn less(
    dist: &'static str,
    (lower, lower_value): (&'static str, f64),
    (upper, upper_value): (&'static str, f64),
) -> Result<(), DistError> {
    if lower_value < upper_value {
        Ok(())
    } else {
        Err(DistError::NotLess { dist, lower, lower_value, upper, upper_value })
    }
}

/// Checks `value <= max` (for a value already known to be finite).
pub(crate) fn at_most(
    dist: &'static str,
    param: &'static str,
    value: f64,
    max: f64,
) -> Result<f64, DistError> {
    if value <= max { Ok(value) } else { Err(DistError::TooLarge { dist, param, value, max }) }
}

/// Checks `min <= value <= max`.
pub(crate) fn within(
    dist: &'static str,
    param: &'static str,
    value: f64,
    (min, max): (f64, f64),
) -> Result<f64, DistError> {
    if min <= value && value <= max {
        Ok(value)
    } else {
        Err(DistError::OutOfRange { dist, param, value, min, max })
    }
}
