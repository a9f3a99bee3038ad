//! Empirical distributions: from samples (R's quantile type 7) or from points of a CDF.

use super::error::DistError;

/// A continuous distribution whose CDF is piecewise linear through knots `(x_i, F_i)`.
///
/// * [`Empirical::from_samples`] puts knot `i` at the `i`-th order statistic with
///   `F_i = i / (n - 1)`. Its quantile is R's type 7 (also the NumPy and pandas default):
///   with `h = (n - 1) u`, `Q(u) = x_⌊h⌋ + (h - ⌊h⌋)(x_⌊h⌋+1 - x_⌊h⌋)`. Its mean is the mean of the
///   interpolated distribution, which differs slightly from the sample mean.
/// * [`Empirical::from_cdf_points`] takes the knots as given: `x` strictly increasing, `F`
///   non-decreasing from exactly 0 to exactly 1 (a flat stretch of `F` is a gap in the support).
///
/// Between knots the variable is uniform, so quantile and CDF are exact inverses of each other.
#[derive(Debug, Clone, PartialEq)]
pub struct Empirical {
    xs: Vec<f64>,
    fs: Vec<f64>,
    /// True when `fs[i] = i / (n - 1)` (built from samples): the quantile then indexes directly.
    even: bool,
}

impl Empirical {
    /// From at least two finite samples (any order; ties allowed).
    pub fn from_samples(samples: &[f64]) -> Result<Self, DistError> {
        const D: &str = "empirical";
        if samples.len() < 2 {
            return Err(DistError::TooFew {
                dist: D,
                param: "samples",
                got: samples.len(),
                need: 2,
            });
        }
        for (index, &value) in samples.iter().enumerate() {
            if !value.is_finite() {
                return Err(DistError::ElementNotFinite {
                    dist: D,
                    param: "samples",
                    index,
                    value,
                });
            }
        }
        let mut xs = samples.to_vec();
        xs.sort_by(f64::total_cmp);
        let last = (xs.len() - 1) as f64;
        let fs = (0..xs.len()).map(|i| i as f64 / last).collect();
        Ok(Empirical { xs, fs, even: true })
    }

    /// From CDF points `(x, F)`: at least two, `x` finite and strictly increasing, `F`
    /// non-decreasing with `F = 0` at the first point and `F = 1` at the last.
    pub fn from_cdf_points(points: &[(f64, f64)]) -> Result<Self, DistError> {
        const D: &str = "empirical";
        if points.len() < 2 {
            return Err(DistError::TooFew { dist: D, param: "points", got: points.len(), need: 2 });
        }
        for (index, &(x, f)) in points.iter().enumerate() {
            if !x.is_finite() {
                return Err(DistError::ElementNotFinite { dist: D, param: "x", index, value: x });
            }
            if !f.is_finite() {
                return Err(DistError::ElementNotFinite { dist: D, param: "F", index, value: f });
            }
        }
        let first = points[0].1;
        if first != 0.0 {
            return Err(DistError::CdfEnd { which: "first", value: first, expected: 0.0 });
        }
        let last = points[points.len() - 1].1;
        if last != 1.0 {
            return Err(DistError::CdfEnd { which: "last", value: last, expected: 1.0 });
        }
        // All values are finite here, so plain comparisons are safe.
        for (index, pair) in points.windows(2).enumerate() {
            let ((x0, f0), (x1, f1)) = (pair[0], pair[1]);
            if x1 <= x0 {
                return Err(not_increasing("x", index + 1, x0, x1, false));
            }
            if f1 < f0 {
                return Err(not_increasing("F", index + 1, f0, f1, true));
            }
        }
        Ok(Empirical {
            xs: points.iter().map(|p| p.0).collect(),
            fs: points.iter().map(|p| p.1).collect(),
            even: false,
        })
    }

    /// The knots' `x` values, ascending.
    pub fn xs(&self) -> &[f64] {
        &self.xs
    }

    /// The knots' CDF values, non-decreasing from 0 to 1.
    pub fn fs(&self) -> &[f64] {
        &self.fs
    }

    /// Linear interpolation of the inverse CDF between knots.
    #[inline]
    pub fn quantile(&self, u: f64) -> f64 {
        let n = self.xs.len();
        let u = u.clamp(0.0, 1.0);
        if self.even {
            let h = (n - 1) as f64 * u;
            // `h` is finite and in [0, n-1]; NaN `u` casts to 0.
            let i = (h as usize).min(n - 2);
            let t = h - i as f64;
            return self.xs[i] + t * (self.xs[i + 1] - self.xs[i]);
        }
        // First knot with F >= u; knot 0 has F = 0, so for u > 0 this is at least 1.
        let i = self.fs.partition_point(|&f| f < u).clamp(1, n - 1);
        let (f0, f1) = (self.fs[i - 1], self.fs[i]);
        let t = if f1 > f0 { (u - f0) / (f1 - f0) } else { 0.0 };
        self.xs[i - 1] + t * (self.xs[i] - self.xs[i - 1])
    }

    /// Linear interpolation of the CDF between knots (right-continuous at tied samples).
    pub fn cdf(&self, x: f64) -> f64 {
        let n = self.xs.len();
        let i = self.xs.partition_point(|&v| v <= x);
        if i == 0 {
            return 0.0;
        }
        if i == n {
            return 1.0;
        }
        // xs[i-1] <= x < xs[i].
        let (x0, x1) = (self.xs[i - 1], self.xs[i]);
        let t = (x - x0) / (x1 - x0);
        self.fs[i - 1] + t * (self.fs[i] - self.fs[i - 1])
    }

    /// `Σ ΔF_i (x_i + x_{i+1}) / 2` over segments.
    pub fn mean(&self) -> f64 {
        self.segments().map(|(x0, x1, p)| p * 0.5 * (x0 + x1)).sum()
    }

    /// `Σ ΔF_i (x_i² + x_i x_{i+1} + x_{i+1}²) / 3 - mean²`, computed about the mean.
    pub fn variance(&self) -> f64 {
        let m = self.mean();
        self.segments()
            .map(|(x0, x1, p)| {
                let (a, b) = (x0 - m, x1 - m);
                p * (a * a + a * b + b * b) / 3.0
            })
            .sum()
    }

    /// `quantile(0.5)`.
    pub fn median(&self) -> f64 {
        self.quantile(0.5)
    }

    /// `(first knot, last knot)`.
    pub fn support(&self) -> (f64, f64) {
        (self.xs[0], self.xs[self.xs.len() - 1])
    }

    /// `(x_i, x_{i+1}, F_{i+1} - F_i)` for each segment.
    fn segments(&self) -> impl Iterator<Item = (f64, f64, f64)> + '_ {
        self.xs.windows(2).zip(self.fs.windows(2)).map(|(x, f)| (x[0], x[1], f[1] - f[0]))
    }
}

fn not_increasing(
    param: &'static str,
    index: usize,
    previous: f64,
    value: f64,
    ties_allowed: bool,
) -> DistError {
    DistError::NotIncreasing { dist: "empirical", param, index, previous, value, ties_allowed }
}
