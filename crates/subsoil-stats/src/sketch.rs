//! A mergeable quantile sketch with relative-error buckets (in the style of DDSketch).

use serde::{Deserialize, Serialize};

use crate::Merge;
use crate::mapping::{MAX_LOG2_GAP, Mapping};
use crate::normal;
use crate::state::SketchState;
use crate::store::Store;

/// Default relative accuracy of [`QuantileSketch`]: 0.5%.
pub const DEFAULT_ALPHA: f64 = 0.005;

/// Default maximum number of buckets per sign in a [`QuantileSketch`].
pub const DEFAULT_MAX_BUCKETS: usize = 2048;

/// Rejected [`QuantileSketch`] parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SketchError {
    /// `alpha` is not in `[0.000001, 0.5]` (or is NaN).
    Alpha,
    /// `max_buckets` is 0 or larger than 1,000,000.
    MaxBuckets,
}

impl std::fmt::Display for SketchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SketchError::Alpha => {
                f.write_str("relative accuracy alpha must lie in [0.000001, 0.5]")
            }
            SketchError::MaxBuckets => f.write_str("max buckets must lie in 1..=1000000"),
        }
    }
}

impl std::error::Error for SketchError {}

/// A confidence interval for a population quantile, read from a sketch.
///
/// `lo` is `-∞` (or `hi` is `+∞`) when the sample is too small for the order statistic that
/// would bound that side to exist: the data then cannot rule out any value on that side.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuantileInterval {
    /// Lower end.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
}

/// The 0-based rank of the order statistic that [`QuantileSketch::quantile`] estimates:
/// `⌊q·(n − 1)⌋`, for `q` in `[0, 1]` and `n ≥ 1`.
///
/// The product is computed in `f64`; when it falls within a few units in the last place below an
/// integer, that integer is used, so decimal quantiles such as `0.29` over 101 values give rank 29
/// as written rather than 28. Returns `None` when `n = 0` or `q` is outside `[0, 1]` or NaN.
///
/// ```
/// assert_eq!(subsoil_stats::rank(0.5, 11), Some(5));
/// assert_eq!(subsoil_stats::rank(0.5, 10), Some(4)); // lower median
/// assert_eq!(subsoil_stats::rank(0.29, 101), Some(29));
/// assert_eq!(subsoil_stats::rank(1.0, 10), Some(9));
/// ```
pub fn rank(q: f64, n: u64) -> Option<u64> {
    if n == 0 || !(0.0..=1.0).contains(&q) {
        return None;
    }
    let x = q * (n - 1) as f64;
    let mut r = x.floor();
    if (r + 1.0) - x <= 4.0 * f64::EPSILON * x {
        r += 1.0;
    }
    Some((r as u64).min(n - 1))
}

/// A mergeable quantile sketch with relative accuracy `alpha` and bounded memory.
///
/// # How it works
///
/// With accuracy `alpha` let `γ = (1 + alpha) / (1 − alpha)`. A positive value goes to a bucket
/// whose values all lie within a factor `γ` of each other, so the bucket's representative value
/// is within relative error `alpha` of every value in it. Keys come from a fast, portable
/// quasi-logarithm of the value's bits, `f(x) = e + t(4 − t)/3` for `x = 2^e·(1 + t)` with `t` in
/// `[0, 1)`, cut into buckets of width `w = (4/3)·ln γ`: about 75 buckets per factor of two at the
/// default `alpha` (an exact logarithm would need 69). Negative values are bucketed by magnitude in a second store, and
/// zeros (of either sign) are counted exactly. The sketch also keeps the exact minimum and maximum.
///
/// # Memory bound
///
/// Each sign holds at most `max_buckets` buckets (default [`DEFAULT_MAX_BUCKETS`] = 2,048, i.e.
/// at most 16 KiB of counts per sign). When the keys of one sign would span more than that, the
/// buckets nearest zero are folded into the lowest retained bucket. Let `M` be the largest
/// magnitude pushed with that sign, `w = (4/3)·ln γ` the bucket width in octaves and
/// `g = 0.0098` the largest gap between the quasi-logarithm and `log2`. Then:
///
/// * every value with `|x| ≥ M · 2^−((max_buckets − 1)·w − 2g)` keeps the relative-error
///   guarantee; with the defaults that factor is `2^27.27 ≈ 1.6·10^8`, so every value within
///   8.2 orders of magnitude of the largest magnitude of its sign is covered;
/// * a smaller value is reported with the right sign and an absolute error below
///   `M · 2^−((max_buckets − 2)·w − 2g)` (about `6.2·10^−9 · M` with the defaults).
///
/// [`guaranteed_range`](QuantileSketch::guaranteed_range) returns the factor for a given sketch.
///
/// # Determinism
///
/// The bucket of a value depends only on the value and on the largest key of its sign, so the
/// bucket counts after any sequence of pushes and merges equal those after pushing the same values
/// into one sketch in any order. Merging is exact: two halves merged give the same quantiles, bit
/// for bit, as one sketch fed everything. Bucket keys use only correctly rounded IEEE-754
/// operations, so they are also the same on every platform.
///
/// # Guarantee
///
/// For `q` in `[0, 1]` over `n` finite values, [`quantile`](QuantileSketch::quantile) estimates
/// the order statistic `x_(r)` (0-based, sorted ascending) with `r = rank(q, n) = ⌊q·(n − 1)⌋`,
/// and returns `v` with `|v − x_(r)| ≤ alpha·|x_(r)|` (up to rounding of order 1e-15), provided
/// `x_(r)` is within the memory bound's range; zeros are exact, and `q = 0` and `q = 1` give the
/// exact minimum and maximum.
///
/// Non-finite values are not sketched: they are counted in
/// [`non_finite`](QuantileSketch::non_finite) and excluded from `count` and every quantile.
///
/// ```
/// use subsoil_stats::QuantileSketch;
///
/// let mut s = QuantileSketch::new();
/// for i in 1..=1000 {
///     s.push(f64::from(i));
/// }
/// let p90 = s.quantile(0.9).unwrap(); // estimates x_(899) = 900
/// assert!((p90 - 900.0).abs() <= 0.005 * 900.0);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "SketchState", into = "SketchState")]
pub struct QuantileSketch {
    alpha: f64,
    mapping: Mapping,
    positive: Store,
    negative: Store,
    zeros: u64,
    non_finite: u64,
    min: f64,
    max: f64,
}

impl Default for QuantileSketch {
    fn default() -> Self {
        Self::new()
    }
}

/// Where a rank falls: in a bucket of one sign, or among the zeros.
#[derive(Clone, Copy, Debug)]
enum Slot {
    Negative(i32),
    Zero,
    Positive(i32),
}

impl QuantileSketch {
    /// A sketch with [`DEFAULT_ALPHA`] and [`DEFAULT_MAX_BUCKETS`].
    pub fn new() -> Self {
        Self::build(DEFAULT_ALPHA, DEFAULT_MAX_BUCKETS)
    }

    /// A sketch with relative accuracy `alpha` and at most `max_buckets` buckets per sign.
    ///
    /// # Errors
    ///
    /// [`SketchError::Alpha`] unless `0.000001 ≤ alpha ≤ 0.5`; [`SketchError::MaxBuckets`]
    /// unless `1 ≤ max_buckets ≤ 1,000,000`.
    pub fn with_params(alpha: f64, max_buckets: usize) -> Result<Self, SketchError> {
        if !(1e-6..=0.5).contains(&alpha) {
            return Err(SketchError::Alpha);
        }
        if !(1..=1_000_000).contains(&max_buckets) {
            return Err(SketchError::MaxBuckets);
        }
        Ok(Self::build(alpha, max_buckets))
    }

    fn build(alpha: f64, max_buckets: usize) -> Self {
        Self {
            alpha,
            mapping: Mapping::new(alpha),
            positive: Store::new(max_buckets),
            negative: Store::new(max_buckets),
            zeros: 0,
            non_finite: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }

    /// The relative accuracy `alpha`.
    pub fn alpha(&self) -> f64 {
        self.alpha
    }

    /// Adds one value. `NaN` and `±∞` are counted in [`non_finite`](Self::non_finite) only.
    #[inline]
    pub fn push(&mut self, x: f64) {
        self.push_n(x, 1);
    }

    /// Adds `n` copies of one value (the same state as `n` calls of [`QuantileSketch::push`]).
    #[inline]
    pub fn push_n(&mut self, x: f64, n: u64) {
        if n == 0 {
            return;
        }
        if !x.is_finite() {
            self.non_finite += n;
            return;
        }
        if x > 0.0 {
            self.positive.add(self.mapping.key(x), n);
        } else if x < 0.0 {
            self.negative.add(self.mapping.key(-x), n);
        } else {
            self.zeros += n;
        }
        self.min = self.min.min(x);
        self.max = self.max.max(x);
    }

    /// Number of finite values sketched.
    pub fn count(&self) -> u64 {
        self.positive.total() + self.negative.total() + self.zeros
    }

    /// Number of non-finite values that were skipped.
    pub fn non_finite(&self) -> u64 {
        self.non_finite
    }

    /// Exact smallest finite value, if any.
    pub fn min(&self) -> Option<f64> {
        (self.count() > 0).then_some(self.min)
    }

    /// Exact largest finite value, if any.
    pub fn max(&self) -> Option<f64> {
        (self.count() > 0).then_some(self.max)
    }

    /// The factor `F` of the memory bound: every value whose magnitude is at least `M / F`,
    /// where `M` is the largest magnitude of its sign, keeps the relative-error guarantee, and
    /// smaller values have an absolute error below `M · 2^w / F` (with `w` the bucket width in
    /// octaves, `2^w ≈ 1 + 1.34·alpha`). `F = 2^((max_buckets − 1)·w − 2·0.0098)`, about
    /// `1.6·10^8` with the defaults.
    pub fn guaranteed_range(&self) -> f64 {
        let w = self.mapping.width();
        let octaves = (self.positive.max_buckets() as f64 - 1.0) * w - 2.0 * MAX_LOG2_GAP;
        octaves.exp2()
    }

    /// The bucket width `w` in octaves (`log2` units): `(4/3)·ln((1 + alpha)/(1 − alpha))`.
    pub fn bucket_width_octaves(&self) -> f64 {
        self.mapping.width()
    }

    /// Buckets currently allocated for positive and for negative values; each is at most the
    /// `max_buckets` the sketch was built with.
    pub fn allocated_buckets(&self) -> (usize, usize) {
        (self.positive.allocated(), self.negative.allocated())
    }

    /// Estimate of the `q`-quantile: the order statistic of rank [`rank(q, n)`](rank), within
    /// the relative error stated on [`QuantileSketch`].
    ///
    /// Returns `None` when the sketch is empty or `q` is outside `[0, 1]`.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        self.value_at_rank(rank(q, self.count())?)
    }

    /// The order statistic of 0-based rank `r` as estimated by the sketch (exact for the first
    /// and last ranks), or `None` when `r ≥ count()`.
    pub fn value_at_rank(&self, r: u64) -> Option<f64> {
        let n = self.count();
        if r >= n {
            return None;
        }
        // The extremes are kept exactly.
        if r == 0 {
            return Some(self.min);
        }
        if r == n - 1 {
            return Some(self.max);
        }
        let v = match self.locate(r) {
            Slot::Negative(k) => -self.representative(k),
            Slot::Zero => 0.0,
            Slot::Positive(k) => self.representative(k),
        };
        Some(v.clamp(self.min, self.max))
    }

    /// Distribution-free confidence interval for the population `q`-quantile.
    ///
    /// The number of sample values below the population quantile is Binomial(n, q). With the
    /// normal approximation, `s = √(n·q·(1 − q))`, the interval runs from the order statistic of
    /// 1-based rank `j = ⌊n·q − z·s⌋` to that of rank `k = ⌈n·q + z·s⌉ + 1`, so that it covers the
    /// quantile with probability `P(j ≤ B ≤ k − 1) ≈ 2Φ(z) − 1` (or more) for continuous
    /// distributions. Each end is read from the sketch conservatively (the outer edge of the
    /// bucket holding that order statistic, clamped to the exact minimum and maximum), so the
    /// returned interval contains `[x_(j), x_(k)]`. A rank below 1 gives `lo = −∞` and a rank
    /// above `n` gives `hi = +∞`.
    ///
    /// Returns `None` when the sketch is empty, `q` is outside `[0, 1]` or `z` is negative or
    /// not finite.
    pub fn quantile_interval(&self, q: f64, z: f64) -> Option<QuantileInterval> {
        let n = self.count();
        if n == 0 || !(0.0..=1.0).contains(&q) || !(z >= 0.0 && z.is_finite()) {
            return None;
        }
        let nf = n as f64;
        let s = (nf * q * (1.0 - q)).sqrt();
        let j = (nf * q - z * s).floor();
        let k = (nf * q + z * s).ceil() + 1.0;
        let lo = if j < 1.0 { f64::NEG_INFINITY } else { self.lower_edge(j as u64 - 1) };
        let hi = if k > nf { f64::INFINITY } else { self.upper_edge(k as u64 - 1) };
        Some(QuantileInterval { lo, hi })
    }

    /// Like [`quantile_interval`](Self::quantile_interval) with a confidence level instead of
    /// `z` (e.g. `0.95`). Returns `None` also when `level` is not in `(0, 1)`.
    pub fn quantile_interval_at(&self, q: f64, level: f64) -> Option<QuantileInterval> {
        if !(level > 0.0 && level < 1.0) {
            return None;
        }
        self.quantile_interval(q, normal::two_sided_z(level))
    }

    /// Every non-empty bucket as `(value, count)`, from the most negative value up: a bucket's value
    /// is the one [`quantile`](Self::quantile) reports for it (within `alpha` of every value it holds,
    /// kept between the exact minimum and maximum), zeros are exact, non-finite values are left out.
    pub fn buckets(&self) -> impl Iterator<Item = (f64, u64)> + '_ {
        let clamp = |v: f64| v.clamp(self.min, self.max);
        let negative =
            self.negative.iter_desc().map(move |(k, c)| (clamp(-self.representative(k)), c));
        let zeros = (self.zeros > 0).then_some((0.0, self.zeros));
        let positive =
            self.positive.iter_asc().map(move |(k, c)| (clamp(self.representative(k)), c));
        negative.chain(zeros).chain(positive)
    }

    fn representative(&self, k: i32) -> f64 {
        self.mapping.representative(k)
    }

    /// Bounds `(lower, upper)` of the magnitudes in bucket `k` of `store`, widened by 1e-12 to
    /// absorb rounding; the lowest bucket of a collapsed store reaches down to zero.
    fn magnitude_bounds(&self, store: &Store, k: i32) -> (f64, f64) {
        const WIDEN: f64 = 1e-12;
        let upper = self.mapping.upper(k) * (1.0 + WIDEN);
        let lower = if store.collapsed() && store.min_key() == Some(k) {
            0.0
        } else {
            self.mapping.lower(k) * (1.0 - WIDEN)
        };
        (lower, upper)
    }

    /// Smallest value the order statistic of 0-based rank `r` can have.
    fn lower_edge(&self, r: u64) -> f64 {
        let v = match self.locate(r) {
            Slot::Negative(k) => -self.magnitude_bounds(&self.negative, k).1,
            Slot::Zero => 0.0,
            Slot::Positive(k) => self.magnitude_bounds(&self.positive, k).0,
        };
        v.clamp(self.min, self.max)
    }

    /// Largest value the order statistic of 0-based rank `r` can have.
    fn upper_edge(&self, r: u64) -> f64 {
        let v = match self.locate(r) {
            Slot::Negative(k) => -self.magnitude_bounds(&self.negative, k).0,
            Slot::Zero => 0.0,
            Slot::Positive(k) => self.magnitude_bounds(&self.positive, k).1,
        };
        v.clamp(self.min, self.max)
    }

    /// The bucket holding the order statistic of 0-based rank `r < count()`, walking from the
    /// most negative value upwards.
    fn locate(&self, r: u64) -> Slot {
        let mut seen = 0u64;
        for (k, c) in self.negative.iter_desc() {
            seen += c;
            if seen > r {
                return Slot::Negative(k);
            }
        }
        seen += self.zeros;
        if seen > r {
            return Slot::Zero;
        }
        for (k, c) in self.positive.iter_asc() {
            seen += c;
            if seen > r {
                return Slot::Positive(k);
            }
        }
        // Unreachable for valid ranks; the largest bucket is the closest answer.
        self.positive.max_key().map_or(Slot::Zero, Slot::Positive)
    }
}

impl Merge for QuantileSketch {
    /// # Panics
    ///
    /// When the two sketches were built with different `alpha` or `max_buckets`.
    fn merge(&mut self, other: &Self) {
        assert!(
            self.alpha.to_bits() == other.alpha.to_bits()
                && self.positive_bound() == other.positive_bound(),
            "cannot merge quantile sketches with different parameters",
        );
        self.positive.merge(&other.positive);
        self.negative.merge(&other.negative);
        self.zeros += other.zeros;
        self.non_finite += other.non_finite;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }
}

impl QuantileSketch {
    fn positive_bound(&self) -> usize {
        self.positive.max_buckets()
    }

    /// The stores of positive and negative magnitudes.
    pub(crate) fn stores(&self) -> (&Store, &Store) {
        (&self.positive, &self.negative)
    }

    /// Zeros counted.
    pub(crate) fn zeros(&self) -> u64 {
        self.zeros
    }

    /// The minimum as held (`+∞` when empty).
    pub(crate) fn raw_min(&self) -> f64 {
        self.min
    }

    /// The maximum as held (`−∞` when empty).
    pub(crate) fn raw_max(&self) -> f64 {
        self.max
    }

    /// Replaces the counts and extremes by saved ones.
    pub(crate) fn restore(
        &mut self,
        positive: Store,
        negative: Store,
        zeros: u64,
        non_finite: u64,
        min: f64,
        max: f64,
    ) {
        self.positive = positive;
        self.negative = negative;
        self.zeros = zeros;
        self.non_finite = non_finite;
        self.min = min;
        self.max = max;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_validated() {
        assert_eq!(QuantileSketch::with_params(0.0, 10), Err(SketchError::Alpha));
        assert_eq!(QuantileSketch::with_params(f64::NAN, 10), Err(SketchError::Alpha));
        assert_eq!(QuantileSketch::with_params(0.6, 10), Err(SketchError::Alpha));
        assert_eq!(QuantileSketch::with_params(1e-7, 10), Err(SketchError::Alpha));
        assert_eq!(QuantileSketch::with_params(0.01, 0), Err(SketchError::MaxBuckets));
        assert!(QuantileSketch::with_params(0.01, 1).is_ok());
    }

    #[test]
    fn empty_sketch_and_bad_q_give_none() {
        let mut s = QuantileSketch::new();
        assert_eq!(s.quantile(0.5), None);
        assert_eq!(s.quantile_interval(0.5, 1.96), None);
        s.push(1.0);
        assert_eq!(s.quantile(-0.1), None);
        assert_eq!(s.quantile(f64::NAN), None);
        assert_eq!(s.quantile_interval(0.5, -1.0), None);
        assert_eq!(s.quantile(0.5), Some(1.0));
    }

    #[test]
    fn extremes_are_exact_and_zeros_are_exact() {
        let mut s = QuantileSketch::new();
        for x in [-3.7, 0.0, -0.0, 0.0, 12.9] {
            s.push(x);
        }
        assert_eq!(s.quantile(0.0), Some(-3.7));
        assert_eq!(s.quantile(1.0), Some(12.9));
        assert_eq!(s.quantile(0.5), Some(0.0));
        assert_eq!(s.count(), 5);
    }

    #[test]
    fn non_finite_values_are_excluded() {
        let mut s = QuantileSketch::new();
        for x in [f64::NAN, 5.0, f64::INFINITY, f64::NEG_INFINITY] {
            s.push(x);
        }
        assert_eq!((s.count(), s.non_finite()), (1, 3));
        assert_eq!(s.quantile(1.0), Some(5.0));
    }

    #[test]
    fn huge_and_tiny_values_are_handled() {
        let mut s = QuantileSketch::new();
        for x in [f64::MAX, -f64::MAX, f64::from_bits(1), 1e-310, -1e300, 1e302] {
            s.push(x);
        }
        assert_eq!(s.quantile(1.0), Some(f64::MAX));
        assert_eq!(s.quantile(0.0), Some(-f64::MAX));
        for q in [0.2, 0.4, 0.6, 0.8] {
            assert!(s.quantile(q).unwrap().is_finite());
        }
        // 1e302 is within the guaranteed range of f64::MAX; 1e-310 is far below it and was
        // folded into the lowest bucket, keeping its sign and the absolute bound.
        assert!(f64::MAX / 1e302 < s.guaranteed_range());
        let v = s.value_at_rank(4).unwrap();
        assert!((v - 1e302).abs() <= 0.005 * 1e302 * (1.0 + 1e-12));
        let v = s.value_at_rank(3).unwrap();
        let bound = f64::MAX / s.guaranteed_range() * s.bucket_width_octaves().exp2();
        assert!(v > 0.0 && v <= bound, "{v} vs {bound}");
    }

    #[test]
    fn interval_is_unbounded_when_the_sample_is_too_small() {
        let mut s = QuantileSketch::new();
        for i in 1..=10 {
            s.push(f64::from(i));
        }
        let ci = s.quantile_interval(0.05, 1.96).unwrap();
        assert_eq!(ci.lo, f64::NEG_INFINITY);
        assert!(ci.hi.is_finite());
        let ci = s.quantile_interval(0.99, 1.96).unwrap();
        assert_eq!(ci.hi, f64::INFINITY);
    }
}
