//! Yearly series reduced to fan charts: mean and percentiles per year.

use serde::{Deserialize, Serialize};

use crate::{Merge, QuantileSketch, Summary};

/// One year of a fan chart.
///
/// Percentiles are exact when every value of the year is a whole number (see [`Summary`]), else within
/// the sketch's relative accuracy (0.5% by default). A year in which no path had
/// a finite value has `n = 0` and every other field `NaN` (serialised to JSON as `null`), which a
/// chart draws as a gap.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FanPoint {
    /// Paths with a finite value this year.
    pub n: u64,
    /// Mean.
    pub mean: f64,
    /// Standard error of the mean (`NaN` with fewer than two values).
    pub se: f64,
    /// 5th percentile.
    pub p5: f64,
    /// 10th percentile.
    pub p10: f64,
    /// 25th percentile.
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75th percentile.
    pub p75: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 95th percentile.
    pub p95: f64,
}

impl FanPoint {
    fn from_summary(s: &Summary) -> Self {
        let q = |p| s.quantile(p).unwrap_or(f64::NAN);
        Self {
            n: s.count(),
            mean: s.moments().mean().unwrap_or(f64::NAN),
            se: s.moments().se().unwrap_or(f64::NAN),
            p5: q(0.05),
            p10: q(0.10),
            p25: q(0.25),
            p50: q(0.50),
            p75: q(0.75),
            p90: q(0.90),
            p95: q(0.95),
        }
    }
}

/// Streaming fan chart of a series with a fixed number of years.
///
/// ```
/// use subsoil_stats::FanSeries;
///
/// let mut fan = FanSeries::new(3);
/// fan.push_path(&[0.0, 1.0, 2.0]);
/// fan.push_path(&[0.0, 3.0, 6.0]);
/// let points = fan.fan();
/// assert_eq!(points.len(), 3);
/// assert_eq!(points[2].mean, 4.0);
/// assert_eq!(points[1].p5, 1.0);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct FanSeries {
    years: Vec<Summary>,
}

impl FanSeries {
    /// An empty series of `years` years with the default sketch accuracy.
    pub fn new(years: usize) -> Self {
        Self { years: vec![Summary::new(); years] }
    }

    /// An empty series of `years` years whose quantiles come from copies of `sketch` (which
    /// should be empty).
    pub fn with_sketch(years: usize, sketch: &QuantileSketch) -> Self {
        Self { years: vec![Summary::with_sketch(sketch.clone()); years] }
    }

    /// Number of years.
    pub fn len(&self) -> usize {
        self.years.len()
    }

    /// Whether the series has no years.
    pub fn is_empty(&self) -> bool {
        self.years.is_empty()
    }

    /// Adds one path's series, one value per year.
    ///
    /// # Panics
    ///
    /// When `path.len()` differs from [`len`](Self::len): the series shape is fixed by the run
    /// configuration, so a mismatch is a bug in the caller.
    #[inline]
    pub fn push_path(&mut self, path: &[f64]) {
        assert_eq!(path.len(), self.years.len(), "path length must equal the series length");
        for (year, &x) in self.years.iter_mut().zip(path) {
            year.push(x);
        }
    }

    /// The accumulator of year index `i`, if `i < len()`.
    pub fn year(&self, i: usize) -> Option<&Summary> {
        self.years.get(i)
    }

    /// Mean and percentiles per year.
    pub fn fan(&self) -> Vec<FanPoint> {
        self.years.iter().map(FanPoint::from_summary).collect()
    }
}

impl Merge for FanSeries {
    /// # Panics
    ///
    /// When the two series have different lengths or sketch parameters.
    fn merge(&mut self, other: &Self) {
        assert_eq!(self.years.len(), other.years.len(), "cannot merge series of different lengths");
        for (a, b) in self.years.iter_mut().zip(&other.years) {
            a.merge(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_without_finite_values_are_gaps() {
        let mut fan = FanSeries::new(2);
        fan.push_path(&[f64::NAN, 1.0]);
        let points = fan.fan();
        assert_eq!(points[0].n, 0);
        assert!(points[0].mean.is_nan() && points[0].p50.is_nan());
        assert_eq!((points[1].n, points[1].p50), (1, 1.0));
        assert!(points[1].se.is_nan());
    }

    #[test]
    fn merged_halves_equal_one_series() {
        let paths: Vec<[f64; 4]> = (0..500)
            .map(|i| {
                let x = f64::from(i);
                [x, -x * 0.5, (x * 0.37).sin() * 100.0, x * x]
            })
            .collect();
        let mut whole = FanSeries::new(4);
        paths.iter().for_each(|p| whole.push_path(p));
        let mut a = FanSeries::new(4);
        let mut b = FanSeries::new(4);
        paths[..123].iter().for_each(|p| a.push_path(p));
        paths[123..].iter().for_each(|p| b.push_path(p));
        a.merge(&b);
        let (fa, fw) = (a.fan(), whole.fan());
        for (x, y) in fa.iter().zip(&fw) {
            assert_eq!((x.n, x.p5, x.p50, x.p95), (y.n, y.p5, y.p50, y.p95));
            assert!((x.mean - y.mean).abs() <= 1e-12 * y.mean.abs().max(1.0));
        }
    }
}
