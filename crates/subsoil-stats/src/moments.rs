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
        // A value equal to the mean (a zero on every path so far, the usual case of a yearly output
        // before a project is built or after it closes) leaves the mean and the sum of squares as they
        // are: its update adds ±0 to each, which keeps the bits of a number that is not negative (only
        // -0 + +0 would change, to +0), so the division is left out.
        if delta != 0.0 || self.mean.is_sign_negative() || self.m2.is_sign_negative() {
            self.mean += delta / self.count as f64;
            self.m2 += delta * (x - self.mean);
        }
        self.min = self.min.min(x);
        self.max = self.max.max(x);
    }

    /// Adds `n` copies of `x` when that leaves the mean and the sum of squares as they are: `x` equal
    /// to the mean, neither of which is negative (see [`Moments::push`]); then only the count and the
    /// extremes change, to the state `n` calls of [`Moments::push`] would leave. Returns whether it
    /// did; otherwise nothing changed.
    #[inline]
    pub fn push_n_at_mean(&mut self, x: f64, n: u64) -> bool {
        let at_mean = x.is_finite()
            && x == self.mean
            && !self.mean.is_sign_negative()
            && !self.m2.is_sign_negative();
        if at_mean && n > 0 {
            self.count += n;
            self.min = self.min.min(x);
            self.max = self.max.max(x);
        }
        at_mean
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

    /// Welford's update in full, as [`Moments::push`] did before it left out the update of a value
    /// equal to the mean.
    fn push_in_full(m: &mut Moments, x: f64) {
        if !x.is_finite() {
            m.non_finite += 1;
            return;
        }
        m.count += 1;
        let delta = x - m.mean;
        m.mean += delta / m.count as f64;
        m.m2 += delta * (x - m.mean);
        m.min = m.min.min(x);
        m.max = m.max.max(x);
    }

    fn bits(m: &Moments) -> [u64; 6] {
        let f = |x: f64| x.to_bits();
        [m.count, f(m.mean), f(m.m2), f(m.min), f(m.max), m.non_finite]
    }

    #[test]
    fn copies_of_the_mean_pushed_at_once_leave_the_bits_of_pushing_them_one_by_one() {
        let starts = [
            Moments::new(),
            Moments { count: 3, mean: 0.0, m2: 0.0, min: -1.0, max: 1.0, non_finite: 0 },
            Moments { count: 3, mean: -0.0, m2: 0.0, min: -0.0, max: 0.0, non_finite: 0 },
            Moments { count: 2, mean: 2.5, m2: 0.5, min: 2.0, max: 3.0, non_finite: 1 },
            Moments { count: 2, mean: -3.0, m2: 0.0, min: -3.0, max: -3.0, non_finite: 0 },
        ];
        for start in starts {
            for x in [0.0, -0.0, 2.5, -3.0, 1.0, f64::NAN] {
                let (mut at_once, mut one_by_one) = (start.clone(), start.clone());
                if at_once.push_n_at_mean(x, 7) {
                    for _ in 0..7 {
                        one_by_one.push(x);
                    }
                    assert_eq!(bits(&at_once), bits(&one_by_one), "{x} onto {start:?}");
                } else {
                    assert_eq!(bits(&at_once), bits(&start), "{x} onto {start:?} changed it");
                    // Refused only where the update would move the mean or the sum of squares.
                    let moved = x.is_nan() || x != start.mean || start.mean.is_sign_negative();
                    assert!(moved, "{x} onto {start:?} refused");
                }
            }
        }
    }

    #[test]
    fn a_value_equal_to_the_mean_leaves_the_same_bits_as_the_full_update() {
        // Runs of zeros (of both signs), of a repeated value, values equal to a negative mean, and
        // starting states whose mean or sum of squares is -0 (which a full update turns into +0).
        let values = [
            0.0,
            0.0,
            -0.0,
            0.0,
            2.5,
            2.5,
            0.0,
            -0.0,
            1.25,
            1.25,
            -3.0,
            f64::NAN,
            -3.0,
            1e300,
            -1e300,
            0.0,
            7.0,
            7.0,
            7.0,
            -0.0,
        ];
        let starts = [
            Moments::new(),
            Moments { count: 3, mean: -0.0, m2: 0.0, min: -0.0, max: 0.0, non_finite: 0 },
            Moments { count: 3, mean: 0.0, m2: -0.0, min: 0.0, max: 0.0, non_finite: 0 },
            Moments { count: 2, mean: -3.0, m2: 0.0, min: -3.0, max: -3.0, non_finite: 0 },
            Moments { count: 2, mean: 2.5, m2: 0.0, min: 2.5, max: 2.5, non_finite: 0 },
        ];
        for start in starts {
            for first in 0..values.len() {
                let (mut fast, mut full) = (start.clone(), start.clone());
                for &x in values[first..].iter().chain(&values[..first]) {
                    fast.push(x);
                    push_in_full(&mut full, x);
                    assert_eq!(bits(&fast), bits(&full), "after {x} from {start:?}");
                }
            }
        }
    }

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
