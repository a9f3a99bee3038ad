//! One scalar output of a run: moments and quantiles together.

use serde::{Deserialize, Serialize};

use crate::{Merge, Moments, QuantileInterval, QuantileSketch};

/// Report of one scalar output: what a table row or a JSON summary shows.
///
/// Means come from exact moments; percentiles come from the quantile sketch and are within its
/// relative accuracy (0.5% by default) of the sample order statistic of rank
/// [`rank(q, n)`](crate::rank). `min` and `max` are exact.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScalarStats {
    /// Number of finite values.
    pub n: u64,
    /// Number of non-finite values that were left out of every statistic.
    pub non_finite: u64,
    /// Mean.
    pub mean: f64,
    /// Sample standard deviation; `None` with a single value.
    pub sd: Option<f64>,
    /// Standard error of the mean (Monte Carlo error); `None` with a single value.
    pub se: Option<f64>,
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
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
}

/// Streaming summary of a scalar output: [`Moments`] and a [`QuantileSketch`] fed the same values.
///
/// ```
/// use subsoil_stats::Summary;
///
/// let mut s = Summary::new();
/// for i in 1..=99 {
///     s.push(f64::from(i));
/// }
/// let r = s.report().unwrap();
/// assert_eq!((r.n, r.min, r.max), (99, 1.0, 99.0));
/// assert!((r.p90 - 89.0).abs() <= 0.005 * 89.0); // rank ⌊0.9 · 98⌋ = 88, value 89
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    moments: Moments,
    sketch: QuantileSketch,
}

impl Summary {
    /// An empty summary with the default sketch accuracy.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty summary whose quantiles come from `sketch` (which should be empty), e.g. one
    /// built with [`QuantileSketch::with_params`].
    pub fn with_sketch(sketch: QuantileSketch) -> Self {
        Self { moments: Moments::new(), sketch }
    }

    /// Adds one value; non-finite values are only counted.
    #[inline]
    pub fn push(&mut self, x: f64) {
        self.moments.push(x);
        self.sketch.push(x);
    }

    /// Number of finite values.
    pub fn count(&self) -> u64 {
        self.moments.count()
    }

    /// Number of non-finite values skipped.
    pub fn non_finite(&self) -> u64 {
        self.moments.non_finite()
    }

    /// The moments.
    pub fn moments(&self) -> &Moments {
        &self.moments
    }

    /// The quantile sketch.
    pub fn sketch(&self) -> &QuantileSketch {
        &self.sketch
    }

    /// Estimate of the `q`-quantile; see [`QuantileSketch::quantile`].
    pub fn quantile(&self, q: f64) -> Option<f64> {
        self.sketch.quantile(q)
    }

    /// Confidence interval for the population `q`-quantile; see
    /// [`QuantileSketch::quantile_interval`].
    pub fn quantile_interval(&self, q: f64, z: f64) -> Option<QuantileInterval> {
        self.sketch.quantile_interval(q, z)
    }

    /// The report, or `None` when no finite value was pushed.
    pub fn report(&self) -> Option<ScalarStats> {
        let mean = self.moments.mean()?;
        let q = |p| self.sketch.quantile(p);
        Some(ScalarStats {
            n: self.moments.count(),
            non_finite: self.moments.non_finite(),
            mean,
            sd: self.moments.sd(),
            se: self.moments.se(),
            p5: q(0.05)?,
            p10: q(0.10)?,
            p25: q(0.25)?,
            p50: q(0.50)?,
            p75: q(0.75)?,
            p90: q(0.90)?,
            p95: q(0.95)?,
            min: self.moments.min()?,
            max: self.moments.max()?,
        })
    }
}

impl Merge for Summary {
    fn merge(&mut self, other: &Self) {
        self.moments.merge(&other.moments);
        self.sketch.merge(&other.sketch);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_is_none_until_a_finite_value_arrives() {
        let mut s = Summary::new();
        assert_eq!(s.report(), None);
        s.push(f64::NAN);
        assert_eq!(s.report(), None);
        assert_eq!(s.non_finite(), 1);
        s.push(4.0);
        let r = s.report().unwrap();
        assert_eq!((r.n, r.non_finite, r.mean, r.p5, r.p95, r.sd), (1, 1, 4.0, 4.0, 4.0, None));
    }

    #[test]
    fn report_serialises_to_json_with_named_fields() {
        let mut s = Summary::new();
        [1.0, 2.0, 3.0].into_iter().for_each(|x| s.push(x));
        let json = serde_json::to_value(s.report().unwrap()).unwrap();
        assert_eq!(json["n"], 3);
        assert_eq!(json["mean"], 2.0);
        assert_eq!(json["sd"], 1.0);
        assert_eq!(json["min"], 1.0);
    }
}
