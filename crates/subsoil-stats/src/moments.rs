//! Streaming mean, variance, minimum and maximum (Welford's update, Chan's merge).

use serde::{Deserialize, Serialize};

use crate::Merge;
use crate::state::MomentsState;

/// Count, mean, sum of squared deviations, minimum and maximum of a stream of values.
///
/// Values are added one at a time with Welford's update, and two accumulators combine with the
/// parallel formula of Chan, Golub and LeVeque, which is stable when one side is much larger
/// than the other. Non-finite values are skipped and counted in [`Moments::non_finite`].
///
/// Statistics that are undefined for the number of values seen are `None`: the mean, minimum
/// and maximum need one value, the standard deviation and standard error need two.
///
/// ```
/// use subsoil_stats::Moments;
///
/// let mut m = Moments::new();
/// assert_eq!(m.mean(), None);
/// for x in [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0] {
///     m.push(x);
/// }
/// assert_eq!(m.mean(), Some(5.0));
/// // Sample standard deviation (n − 1 in the denominator).
/// assert!((m.sd().unwrap() - (32.0_f64 / 7.0).sqrt()).abs() < 1e-12);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "MomentsState", into = "MomentsState")]
pub struct Moments {
    count: u64,
    mean: f64,
    m2: f64,
    min: f64,
    max: f64,
    non_finite: u64,
}

impl Default for Moments {
    fn default() -> Self {
        Self::new()
    }
}

impl Moments {
    /// An empty accumulator.
    pub const fn new() -> Self {
        Self {
            count: 0,
            mean: 0.0,
            m2: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            non_finite: 0,
        }
    }

    /// Adds one value. `NaN` and `±∞` are counted in [`Moments::non_finite`] and otherwise ignored.
    #[inline]
    pub fn push(&mut self, x: f64) {
        if !x.is_finite() {
            self.non_finite += 1;
            return;
        }
        self.count += 1;
        let delta = x - self.mean;
        self.mean += delta / self.count as f64;
        self.m2 += delta * (x - self.mean);
        self.min = self.min.min(x);
        self.max = self.max.max(x);
    }

    /// Number of finite values seen.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Number of non-finite values (`NaN`, `±∞`) that were skipped.
    pub fn non_finite(&self) -> u64 {
        self.non_finite
    }

    /// Arithmetic mean, or `None` before the first value.
    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then_some(self.mean)
    }

    /// Sample variance with `n − 1` in the denominator, or `None` with fewer than two values.
    pub fn variance(&self) -> Option<f64> {
        // Rounding can leave a tiny negative M2 for constant data; a variance is never negative.
        (self.count > 1).then(|| (self.m2 / (self.count - 1) as f64).max(0.0))
    }

    /// Sample standard deviation, or `None` with fewer than two values.
    pub fn sd(&self) -> Option<f64> {
        self.variance().map(f64::sqrt)
    }

    /// Standard error of the mean, `sd / √n`, or `None` with fewer than two values.
    ///
    /// This is the Monte Carlo error of [`Moments::mean`] when the values are independent draws.
    pub fn se(&self) -> Option<f64> {
        self.sd().map(|sd| sd / (self.count as f64).sqrt())
    }

    /// Smallest finite value, or `None` before the first value.
    pub fn min(&self) -> Option<f64> {
        (self.count > 0).then_some(self.min)
    }

    /// Largest finite value, or `None` before the first value.
    pub fn max(&self) -> Option<f64> {
        (self.count > 0).then_some(self.max)
    }

    /// Sum of squared deviations from the mean (Welford's `M2`), `0` before the first value.
    pub fn m2(&self) -> f64 {
        self.m2
    }

    /// `(count, mean, m2, min, max, non_finite)` as held (an empty accumulator's are `0, 0, 0, +∞,
    /// −∞`).
    pub(crate) fn parts(&self) -> (u64, f64, f64, f64, f64, u64) {
        (self.count, self.mean, self.m2, self.min, self.max, self.non_finite)
    }

    /// The accumulator whose [`parts`](Moments::parts) these are.
    pub(crate) fn from_parts(
        count: u64,
        mean: f64,
        m2: f64,
        min: f64,
        max: f64,
        non_finite: u64,
    ) -> Moments {
        Moments { count, mean, m2, min, max, non_finite }
    }
}

impl Merge for Moments {
    fn merge(&mut self, other: &Self) {
        self.non_finite += other.non_finite;
        if other.count == 0 {
            return;
        }
        if self.count == 0 {
            let non_finite = self.non_finite;
            *self = other.clone();
            self.non_finite = non_finite;
            return;
        }
        let na = self.count as f64;
        let nb = other.count as f64;
        let count = self.count + other.count;
        let n = count as f64;
        let delta = other.mean - self.mean;
        self.mean += delta * (nb / n);
        self.m2 += other.m2 + delta * delta * (na * nb / n);
        self.count = count;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_single_value_statistics_are_none_where_undefined() {
        let mut m = Moments::new();
        assert_eq!((m.mean(), m.sd(), m.se(), m.min(), m.max()), (None, None, None, None, None));
        m.push(3.5);
        assert_eq!((m.mean(), m.min(), m.max()), (Some(3.5), Some(3.5), Some(3.5)));
        assert_eq!((m.sd(), m.se()), (None, None));
    }

    #[test]
    fn non_finite_values_are_counted_and_skipped() {
        let mut m = Moments::new();
        for x in [1.0, f64::NAN, 3.0, f64::INFINITY, f64::NEG_INFINITY] {
            m.push(x);
        }
        assert_eq!(m.count(), 2);
        assert_eq!(m.non_finite(), 3);
        assert_eq!(m.mean(), Some(2.0));
        assert_eq!(m.max(), Some(3.0));
    }

    #[test]
    fn merge_with_empty_sides_keeps_the_data_and_adds_non_finite_counts() {
        let mut a = Moments::new();
        a.push(f64::NAN);
        let mut b = Moments::new();
        b.push(1.0);
        b.push(2.0);
        a.merge(&b);
        assert_eq!(a.count(), 2);
        assert_eq!(a.non_finite(), 1);
        assert_eq!(a.mean(), Some(1.5));
        let before = a.clone();
        a.merge(&Moments::new());
        assert_eq!(a, before);
    }

    #[test]
    fn constant_data_has_zero_sd() {
        let mut m = Moments::new();
        for _ in 0..1000 {
            m.push(0.1);
        }
        assert_eq!(m.sd(), Some(0.0));
    }
}
