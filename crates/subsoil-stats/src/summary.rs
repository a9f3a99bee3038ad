//! One scalar output of a run: moments and quantiles together.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Histogram, HistogramError, Merge, Moments, QuantileInterval, QuantileSketch};

/// Report of one scalar output: what a table row or a JSON summary shows.
///
/// Means come from exact moments; percentiles are the sample order statistic of rank
/// [`rank(q, n)`](crate::rank), exactly when every value was a whole number (counts), else from the
/// quantile sketch within its relative accuracy (0.5% by default), as `quantile_relative_error`
/// says. `min` and `max` are exact.
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
    /// Largest relative error of the percentiles: 0 when they are exact.
    #[serde(default)]
    pub quantile_relative_error: f64,
}

/// Streaming summary of a scalar output: [`Moments`] and a [`QuantileSketch`] fed the same values.
///
/// While every finite value is a whole number of magnitude at most [`MAX_EXACT_INTEGER`] and there
/// are at most [`MAX_EXACT_DISTINCT`] distinct ones (counts of projects, of years), the summary also
/// keeps how many times each occurred, and its percentiles are the exact order statistics; the
/// first value that is not such a number drops the counts and the sketch answers from then on.
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    moments: Moments,
    sketch: QuantileSketch,
    /// Occurrences of each whole-number value, while every finite value has been one.
    integers: Option<BTreeMap<i64, u64>>,
}

/// Largest magnitude of a whole number counted exactly by a [`Summary`]: 2^53, up to which every whole
/// number is a distinct `f64` (money totals made of whole amounts, such as contributions of $75m and
/// $0.5bn a year, are counted too).
pub const MAX_EXACT_INTEGER: f64 = 9_007_199_254_740_992.0;

/// Most distinct whole numbers a [`Summary`] counts exactly before it relies on its sketch.
pub const MAX_EXACT_DISTINCT: usize = 4096;

impl Default for Summary {
    fn default() -> Self {
        Self::with_sketch(QuantileSketch::new())
    }
}

impl Summary {
    /// An empty summary with the default sketch accuracy.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty summary whose quantiles come from `sketch` (which should be empty), e.g. one
    /// built with [`QuantileSketch::with_params`].
    pub fn with_sketch(sketch: QuantileSketch) -> Self {
        Self { moments: Moments::new(), sketch, integers: Some(BTreeMap::new()) }
    }

    /// Adds one value; non-finite values are only counted.
    #[inline]
    pub fn push(&mut self, x: f64) {
        self.moments.push(x);
        self.push_quantiles(x);
    }

    /// Adds one value to the percentiles only: its moments arrive later, folded elsewhere and passed
    /// to [`Summary::merge_moments`] (a run folds each block's values on their own and merges the
    /// blocks in order, so that a run split into shards merges to the same bits).
    #[inline]
    pub fn push_quantiles(&mut self, x: f64) {
        self.push_quantiles_n(x, 1);
    }

    /// [`Summary::push_quantiles`] for each of `values`: runs of equal values (the same bits) are
    /// added at once, which leaves the same state, as the percentiles do not depend on the order or
    /// grouping of the values (tested). A run's yearly outputs are often the same number on many
    /// paths (nothing before a project is built, nothing after it closes).
    ///
    /// Returns the number of runs: 1 when every value had the same bits (0 for none).
    pub fn push_quantiles_many(&mut self, values: impl IntoIterator<Item = f64>) -> usize {
        let mut values = values.into_iter();
        let Some(mut run) = values.next() else { return 0 };
        let (mut n, mut runs) = (1, 1);
        for x in values {
            if x.to_bits() == run.to_bits() {
                n += 1;
            } else {
                self.push_quantiles_n(run, n);
                (run, n) = (x, 1);
                runs += 1;
            }
        }
        self.push_quantiles_n(run, n);
        runs
    }

    /// Adds `n` copies of `x` to the percentiles (the same state as `n` calls of
    /// [`Summary::push_quantiles`]).
    #[inline]
    fn push_quantiles_n(&mut self, x: f64, n: u64) {
        self.sketch.push_n(x, n);
        if !x.is_finite() {
            return;
        }
        if let Some(counts) = &mut self.integers {
            // A whole number: within ±2^53 truncation to i64 is exact, and gives `x` back only for a
            // whole `x` (`f64::fract` is a library call on baseline x86-64; this is two instructions).
            if x.abs() <= MAX_EXACT_INTEGER && (x as i64) as f64 == x {
                let k = x as i64;
                // One lookup for a value seen before, the usual case.
                if let Some(c) = counts.get_mut(&k) {
                    *c += n;
                    return;
                }
                if counts.len() < MAX_EXACT_DISTINCT {
                    counts.insert(k, n);
                    return;
                }
            }
            self.integers = None;
        }
    }

    /// Merges moments of values whose percentiles [`Summary::push_quantiles`] took.
    pub fn merge_moments(&mut self, moments: &Moments) {
        self.moments.merge(moments);
    }

    /// Counts of the values in the bins of `edges` (see [`Histogram`]). Exact while every value is a
    /// whole number; otherwise each bucket of the quantile sketch is counted in the bin holding its
    /// value, so a value within the sketch's relative error of an edge (0.5% by default) may be
    /// counted in the neighbouring bin, and every other value is counted where it belongs.
    ///
    /// # Errors
    ///
    /// As [`Histogram::new`] for bad edges.
    pub fn histogram(&self, edges: Vec<f64>) -> Result<Histogram, HistogramError> {
        let mut h = Histogram::new(edges)?;
        match &self.integers {
            Some(counts) if !counts.is_empty() => {
                for (&k, &n) in counts {
                    h.push_n(k as f64, n);
                }
            }
            _ => {
                for (x, n) in self.sketch.buckets() {
                    h.push_n(x, n);
                }
            }
        }
        h.push_n(f64::NAN, self.non_finite());
        Ok(h)
    }

    /// Whether the percentiles are exact order statistics (every value was a whole number); false
    /// when nothing finite was pushed.
    pub fn exact(&self) -> bool {
        self.integers.as_ref().is_some_and(|c| !c.is_empty())
    }

    /// Largest relative error of [`Summary::quantile`]: 0 when [`Summary::exact`], else the
    /// sketch's accuracy.
    pub fn quantile_relative_error(&self) -> f64 {
        if self.exact() { 0.0 } else { self.sketch.alpha() }
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

    /// The `q`-quantile: the order statistic of rank [`rank(q, n)`](crate::rank), exact when
    /// [`Summary::exact`], else as estimated by [`QuantileSketch::quantile`].
    pub fn quantile(&self, q: f64) -> Option<f64> {
        match &self.integers {
            Some(counts) if !counts.is_empty() => {
                let r = crate::rank(q, self.sketch.count())?;
                let mut below = 0u64;
                for (&v, &c) in counts {
                    below += c;
                    if r < below {
                        return Some(v as f64);
                    }
                }
                None
            }
            _ => self.sketch.quantile(q),
        }
    }

    /// Confidence interval for the population `q`-quantile; see
    /// [`QuantileSketch::quantile_interval`].
    pub fn quantile_interval(&self, q: f64, z: f64) -> Option<QuantileInterval> {
        self.sketch.quantile_interval(q, z)
    }

    /// The report, or `None` when no finite value was pushed.
    pub fn report(&self) -> Option<ScalarStats> {
        let mean = self.moments.mean()?;
        let q = |p| self.quantile(p);
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
            quantile_relative_error: self.quantile_relative_error(),
        })
    }
}

impl Merge for Summary {
    fn merge(&mut self, other: &Self) {
        self.moments.merge(&other.moments);
        self.sketch.merge(&other.sketch);
        self.integers = match (self.integers.take(), &other.integers) {
            (Some(mut a), Some(b)) => {
                for (&v, &c) in b {
                    *a.entry(v).or_insert(0) += c;
                }
                (a.len() <= MAX_EXACT_DISTINCT).then_some(a)
            }
            _ => None,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_get_exact_percentiles_and_say_so() {
        // 17 projects on 60% of paths, 18 on 40%: the sketch's bucket for 17 is not 17.
        let mut s = Summary::new();
        for i in 0..1000 {
            s.push(if i % 5 < 3 { 17.0 } else { 18.0 });
        }
        let r = s.report().unwrap();
        assert_eq!((r.p10, r.p50, r.p90), (17.0, 17.0, 18.0));
        assert_eq!(r.quantile_relative_error, 0.0);
        assert!(s.exact());
        let sketched = s.sketch().quantile(0.5).unwrap();
        assert_ne!(sketched, 17.0, "the sketch alone would not be exact here");
        // Merged halves stay exact and give the same answer.
        let (mut a, mut b) = (Summary::new(), Summary::new());
        for i in 0..1000 {
            let x = if i % 5 < 3 { 17.0 } else { 18.0 };
            if i < 300 { a.push(x) } else { b.push(x) }
        }
        a.merge(&b);
        let (ra, rs) = (a.report().unwrap(), s.report().unwrap());
        let pick = |r: &ScalarStats| [r.p5, r.p10, r.p25, r.p50, r.p75, r.p90, r.p95];
        assert_eq!(pick(&ra), pick(&rs));
        assert_eq!(ra.quantile_relative_error, 0.0);
    }

    #[test]
    fn one_fraction_hands_the_percentiles_back_to_the_sketch() {
        let mut s = Summary::new();
        for i in 0..100 {
            s.push(f64::from(i));
        }
        assert!(s.exact());
        s.push(0.5);
        assert!(!s.exact());
        assert_eq!(s.report().unwrap().quantile_relative_error, s.sketch().alpha());
        // A merge with a summary that is not exact is not exact.
        let mut t = Summary::new();
        t.push(3.0);
        t.merge(&s);
        assert!(!t.exact());
        // Non-finite values do not spoil exactness; nothing pushed is not exact.
        let mut u = Summary::new();
        assert!(!u.exact());
        u.push(f64::NAN);
        u.push(2.0);
        assert!(u.exact());
        assert_eq!(u.quantile(0.5), Some(2.0));
    }

    #[test]
    fn whole_numbers_are_counted_up_to_their_limits() {
        let mut s = Summary::new();
        for x in [-0.0, 0.0, -3.0, 2_575e6, MAX_EXACT_INTEGER, -MAX_EXACT_INTEGER, 7.0] {
            s.push_quantiles(x);
        }
        // -0.0 and 0.0 are one value; money in whole dollars and ±2^53 are still counted exactly.
        assert_eq!(s.integers.as_ref().map(|c| c.get(&0).copied()), Some(Some(2)));
        assert_eq!(s.integers.as_ref().map(|c| c.get(&2_575_000_000).copied()), Some(Some(1)));
        assert_eq!(s.integers.as_ref().map(BTreeMap::len), Some(6));
        let mut big = s.clone();
        // The next f64 after 2^53 (2^53 + 1 is not one).
        big.push_quantiles(MAX_EXACT_INTEGER + 2.0);
        assert!(big.integers.is_none(), "past 2^53 the sketch takes over");
        let mut half = s.clone();
        half.push_quantiles(-2.5);
        assert!(half.integers.is_none(), "a fraction hands the percentiles back");
        // At most MAX_EXACT_DISTINCT distinct values; one seen before is still counted after that.
        let mut full = Summary::new();
        for i in 0..MAX_EXACT_DISTINCT {
            full.push_quantiles(i as f64);
        }
        full.push_quantiles(3.0);
        assert_eq!(full.integers.as_ref().and_then(|c| c.get(&3).copied()), Some(2));
        full.push_quantiles(MAX_EXACT_DISTINCT as f64);
        assert!(full.integers.is_none());
    }

    /// A run absorbs a chunk's values into each sketch one output at a time rather than path by path
    /// (`subsoil_engine::accumulate`): the percentiles' state must not depend on the order of the
    /// values, including the sketch's collapsing of its lowest buckets and the exact counts. The state
    /// is compared as saved (non-empty buckets by key; how a store lays out its window in memory may
    /// differ) and through every percentile.
    #[test]
    fn the_percentiles_state_does_not_depend_on_the_order_of_the_values() {
        // Magnitudes over 30 orders (more buckets than a sketch keeps), both signs, zeros, fractions.
        let values: Vec<f64> = (0..3000)
            .map(|i| {
                let m =
                    10f64.powf(f64::from(i % 301) / 10.0 - 15.0) * (1.0 + f64::from(i % 7) / 9.0);
                match i % 5 {
                    0 => -m,
                    1 => 0.0,
                    _ => m,
                }
            })
            .collect();
        let mut reversed = values.clone();
        reversed.reverse();
        let mut interleaved: Vec<f64> = values.iter().copied().step_by(2).collect();
        interleaved.extend(values.iter().copied().skip(1).step_by(2));
        let mut whole: Vec<f64> = (0..500).map(|i| f64::from(i % 37 - 18)).collect();
        let summary = |v: &[f64]| {
            let mut s = Summary::new();
            v.iter().for_each(|&x| s.push_quantiles(x));
            s
        };
        let state = |v: &[f64]| {
            let s = summary(v);
            let quantiles: Vec<Option<f64>> =
                (0..=100).map(|q| s.quantile(f64::from(q) / 100.0)).collect();
            (serde_json::to_string(&s).expect("a summary serialises"), quantiles)
        };
        let forward = state(&values);
        // Added in runs of equal values, which the whole numbers below have many of.
        let grouped = |v: &[f64]| {
            let mut s = Summary::new();
            s.push_quantiles_many(v.iter().copied());
            let quantiles: Vec<Option<f64>> =
                (0..=100).map(|q| s.quantile(f64::from(q) / 100.0)).collect();
            (serde_json::to_string(&s).expect("a summary serialises"), quantiles)
        };
        assert_eq!(grouped(&values), forward);
        assert!(summary(&values).integers.is_none());
        assert!(summary(&values).sketch().count() == 3000);
        assert_eq!(state(&reversed), forward);
        assert_eq!(state(&interleaved), forward);
        let counted = state(&whole);
        assert!(summary(&whole).exact());
        whole.reverse();
        assert_eq!(state(&whole), counted);
        whole.sort_by(f64::total_cmp);
        assert_eq!(grouped(&whole), counted);
        // Runs of zeros of both signs, NaNs and a fraction among them.
        let mixed = [0.0, 0.0, -0.0, f64::NAN, f64::NAN, 2.0, 2.0, 2.5, 0.0, f64::INFINITY];
        assert_eq!(grouped(&mixed), state(&mixed));
        let mut sorted = whole.clone();
        sorted.extend([3.0; 40]);
        assert_eq!(grouped(&sorted), state(&sorted));
    }

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
