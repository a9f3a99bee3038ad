//! Probabilities estimated from path counts, with Wilson score intervals and honest formatting.

use serde::{Deserialize, Serialize};

use crate::Merge;
use crate::normal;

/// Rejected confidence level or z-value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfidenceError {
    /// The level is not strictly between 0 and 1 (or is NaN).
    Level,
    /// The z-value is not finite and positive.
    Z,
}

impl std::fmt::Display for ConfidenceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfidenceError::Level => {
                f.write_str("confidence level must lie strictly between 0 and 1")
            }
            ConfidenceError::Z => f.write_str("z-value must be finite and positive"),
        }
    }
}

impl std::error::Error for ConfidenceError {}

/// A two-sided confidence level together with its standard normal critical value `z`.
///
/// ```
/// use subsoil_stats::Confidence;
///
/// let c = Confidence::new(0.99).unwrap();
/// assert!((c.z() - 2.5758).abs() < 1e-4);
/// assert_eq!(c.label(), "99%");
/// assert_eq!(Confidence::P95.label(), "95%");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Confidence {
    level: f64,
    z: f64,
}

impl Confidence {
    /// 95% two-sided, `z = 1.959963984540054`.
    pub const P95: Confidence = Confidence { level: 0.95, z: 1.959_963_984_540_054 };

    /// 90% two-sided, `z = 1.6448536269514722`.
    pub const P90: Confidence = Confidence { level: 0.90, z: 1.644_853_626_951_472_2 };

    /// 99% two-sided, `z = 2.5758293035489004`.
    pub const P99: Confidence = Confidence { level: 0.99, z: 2.575_829_303_548_900_4 };

    /// The two-sided level `level` (e.g. `0.95`).
    ///
    /// # Errors
    ///
    /// [`ConfidenceError::Level`] unless `0 < level < 1`.
    pub fn new(level: f64) -> Result<Self, ConfidenceError> {
        if !(level > 0.0 && level < 1.0) {
            return Err(ConfidenceError::Level);
        }
        Ok(Self { level, z: normal::two_sided_z(level) })
    }

    /// The level that belongs to a critical value `z` (`z = 1.96` gives 95.0004%).
    ///
    /// # Errors
    ///
    /// [`ConfidenceError::Z`] unless `z` is finite and positive.
    pub fn from_z(z: f64) -> Result<Self, ConfidenceError> {
        if !(z > 0.0 && z.is_finite()) {
            return Err(ConfidenceError::Z);
        }
        Ok(Self { level: normal::two_sided_level(z), z })
    }

    /// The two-sided level, in `(0, 1)`.
    pub fn level(&self) -> f64 {
        self.level
    }

    /// The standard normal critical value.
    pub fn z(&self) -> f64 {
        self.z
    }

    /// The level as a short percentage: `"95%"`, `"99.9%"`, `"68.3%"`.
    pub fn label(&self) -> String {
        let pct = self.level * 100.0;
        // A level that is a round number to within 0.0005 points is printed as that number.
        for decimals in 0..=2 {
            let scale = 10f64.powi(decimals);
            if ((pct * scale).round() / scale - pct).abs() < 5e-4 {
                return format!("{pct:.prec$}%", prec = decimals as usize);
            }
        }
        format!("{pct:.1}%")
    }
}

/// A probability estimated as `hits` out of `n` paths.
///
/// ```
/// use subsoil_stats::{Confidence, Proportion};
///
/// let none = Proportion::new(0, 20_000);
/// assert_eq!(none.format(Confidence::P95), "< 0.02% (95%)");
/// let all = Proportion::new(20_000, 20_000);
/// assert_eq!(all.format(Confidence::P95), "> 99.98% (95%)");
/// let some = Proportion::new(2_460, 20_000);
/// assert_eq!(some.format(Confidence::P95), "12.3% [11.8, 12.8]");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proportion {
    /// Paths in which the event happened.
    pub hits: u64,
    /// Paths observed.
    pub n: u64,
}

impl Proportion {
    /// `hits` out of `n`. `hits` larger than `n` is a caller bug; it is capped at `n`.
    pub fn new(hits: u64, n: u64) -> Self {
        Self { hits: hits.min(n), n }
    }

    /// Counts one more path, in which the event did or did not happen.
    #[inline]
    pub fn push(&mut self, hit: bool) {
        self.n += 1;
        self.hits += u64::from(hit);
    }

    /// The estimate `hits / n`, or `None` when `n = 0`.
    pub fn p(&self) -> Option<f64> {
        (self.n > 0).then(|| self.hits as f64 / self.n as f64)
    }

    /// The binomial standard error `√(p(1 − p)/n)`, or `None` when `n = 0`.
    ///
    /// It is 0 when no path or every path had the event; use [`Proportion::wilson`] to say how
    /// large the probability could still be.
    pub fn se(&self) -> Option<f64> {
        self.p().map(|p| (p * (1.0 - p) / self.n as f64).sqrt())
    }

    /// The Wilson score interval `(lo, hi)` for the probability, with critical value `z` (1.96 for
    /// 95%).
    ///
    /// Unlike `p ± z·se` it stays inside `[0, 1]` and is not empty when `hits` is 0 or `n`: for
    /// `hits = 0` the upper end is `z²/(n + z²)`. With `n = 0` (or `z` negative or not finite,
    /// which is treated as `z = 0`) it is `(0, 1)` and `(p, p)` respectively.
    pub fn wilson(&self, z: f64) -> (f64, f64) {
        if self.n == 0 {
            return (0.0, 1.0);
        }
        let z = if z.is_finite() && z > 0.0 { z } else { 0.0 };
        let n = self.n as f64;
        let hits = self.hits.min(self.n);
        let p = hits as f64 / n;
        let z2 = z * z;
        let centre = p + z2 / (2.0 * n);
        let spread = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
        let scale = 1.0 + z2 / n;
        let lo = if hits == 0 { 0.0 } else { ((centre - spread) / scale).max(0.0) };
        let hi = if hits == self.n { 1.0 } else { ((centre + spread) / scale).min(1.0) };
        (lo, hi)
    }

    /// The estimate and its Wilson interval for a report, in percent.
    ///
    /// * no event: `"< 0.02% (95%)"`, the upper end of the interval rounded up;
    /// * every path: `"> 99.98% (95%)"`, the lower end rounded down;
    /// * otherwise `"12.3% [11.8, 12.8]"`, the ends rounded outwards;
    /// * `n = 0`: `"no paths"`.
    ///
    /// Each number gets enough decimals to show two significant digits of its distance from 0%
    /// or 100% (at least one decimal), so small probabilities stay readable: `"0.050% [0.034,
    /// 0.074]"`. A one-sided bound shows one significant digit of that distance.
    pub fn format(&self, confidence: Confidence) -> String {
        if self.n == 0 {
            return "no paths".to_owned();
        }
        let (lo, hi) = self.wilson(confidence.z());
        let label = confidence.label();
        if self.hits == 0 {
            let d = bound_decimals(hi * 100.0);
            return format!("< {}% ({label})", fixed(round_up(hi * 100.0, d), d));
        }
        if self.hits == self.n {
            let d = bound_decimals(100.0 - lo * 100.0);
            return format!("> {}% ({label})", fixed(round_down(lo * 100.0, d), d));
        }
        let p = self.hits as f64 / self.n as f64 * 100.0;
        let (lo, hi) = (lo * 100.0, hi * 100.0);
        let (dp, dl, dh) = (decimals(p), decimals(lo), decimals(hi));
        format!(
            "{}% [{}, {}]",
            fixed(p, dp),
            fixed(round_down(lo, dl), dl),
            fixed(round_up(hi, dh), dh)
        )
    }
}

impl Merge for Proportion {
    fn merge(&mut self, other: &Self) {
        self.hits += other.hits;
        self.n += other.n;
    }
}

/// Decimals that show two significant digits of the distance of `pct` from 0 or 100, at least 1.
fn decimals(pct: f64) -> usize {
    let dist = pct.min(100.0 - pct);
    if dist > 0.0 { (1 - dist.log10().floor() as i32).clamp(1, 12) as usize } else { 1 }
}

/// Decimals for a one-sided bound: one significant digit of its distance, at least 1.
fn bound_decimals(dist: f64) -> usize {
    if dist > 0.0 { (-(dist.log10().floor() as i32)).clamp(1, 12) as usize } else { 1 }
}

fn fixed(x: f64, decimals: usize) -> String {
    format!("{x:.decimals$}")
}

/// Rounds up at `decimals`, treating values within 1e-9 of a grid point as on it.
fn round_up(x: f64, decimals: usize) -> f64 {
    let scale = 10f64.powi(decimals as i32);
    (x * scale - 1e-9).ceil() / scale
}

/// Rounds down at `decimals`, treating values within 1e-9 of a grid point as on it.
fn round_down(x: f64, decimals: usize) -> f64 {
    let scale = 10f64.powi(decimals as i32);
    (x * scale + 1e-9).floor() / scale
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn wilson_matches_published_values() {
        // 0 of 20,000 at 95%: the upper end z²/(n + z²) = 1.92e-4 (the "< 0.02%" of the design).
        let (lo, hi) = Proportion::new(0, 20_000).wilson(Confidence::P95.z());
        assert_eq!(lo, 0.0);
        assert!(close(hi, 1.920_36e-4, 1e-9), "{hi}");
        // 81 of 263 at z = 1.96: [0.2553, 0.3662] (Wilson 1927 as tabulated by Newcombe 1998
        // and in textbook examples), recomputed here to four decimals.
        let (lo, hi) = Proportion::new(81, 263).wilson(1.96);
        assert!(close(lo, 0.2553, 5e-5) && close(hi, 0.3662, 5e-5), "{lo} {hi}");
        // Newcombe (1998), table II, example 1: 15/148 → [0.0624, 0.1605].
        let (lo, hi) = Proportion::new(15, 148).wilson(1.96);
        assert!(close(lo, 0.0624, 5e-5) && close(hi, 0.1605, 5e-5), "{lo} {hi}");
    }

    #[test]
    fn wilson_is_symmetric_and_inside_the_unit_interval() {
        for n in [1u64, 2, 7, 100, 12_345] {
            for hits in 0..=n.min(50) {
                let (lo, hi) = Proportion::new(hits, n).wilson(1.96);
                let (lo2, hi2) = Proportion::new(n - hits, n).wilson(1.96);
                assert!((0.0..=1.0).contains(&lo) && (0.0..=1.0).contains(&hi) && lo < hi);
                assert!(close(lo, 1.0 - hi2, 1e-12) && close(hi, 1.0 - lo2, 1e-12));
                let p = hits as f64 / n as f64;
                assert!(lo <= p && p <= hi);
            }
        }
    }

    #[test]
    fn p_and_se_are_none_without_paths() {
        let empty = Proportion::default();
        assert_eq!((empty.p(), empty.se()), (None, None));
        assert_eq!(empty.wilson(1.96), (0.0, 1.0));
        assert_eq!(empty.format(Confidence::P95), "no paths");
        let half = Proportion::new(50, 100);
        assert_eq!(half.p(), Some(0.5));
        assert_eq!(half.se(), Some(0.05));
    }

    #[test]
    fn formatting_of_small_and_extreme_probabilities() {
        let c = Confidence::P95;
        assert_eq!(Proportion::new(0, 10).format(c), "< 27.8% (95%)");
        assert_eq!(Proportion::new(10, 20_000).format(c), "0.050% [0.027, 0.093]");
        assert_eq!(Proportion::new(19_990, 20_000).format(c), "99.950% [99.907, 99.973]");
        assert_eq!(Proportion::new(1, 2).format(c), "50.0% [9.4, 90.6]");
        assert_eq!(Proportion::new(0, 20_000).format(Confidence::P99), "< 0.04% (99%)");
    }

    #[test]
    fn push_and_merge_count_paths() {
        let mut a = Proportion::default();
        [true, false, true].into_iter().for_each(|h| a.push(h));
        let mut b = Proportion::new(1, 5);
        b.merge(&a);
        assert_eq!(b, Proportion { hits: 3, n: 8 });
    }

    #[test]
    fn confidence_levels_and_labels() {
        assert_eq!(Confidence::new(1.0), Err(ConfidenceError::Level));
        assert_eq!(Confidence::from_z(-1.0), Err(ConfidenceError::Z));
        assert_eq!(Confidence::from_z(1.96).unwrap().label(), "95%");
        assert_eq!(Confidence::from_z(1.0).unwrap().label(), "68.3%");
        assert_eq!(Confidence::new(0.999).unwrap().label(), "99.9%");
        for c in [Confidence::P90, Confidence::P95, Confidence::P99] {
            let fresh = Confidence::new(c.level()).unwrap();
            assert!(close(fresh.z(), c.z(), 1e-12));
        }
    }
}
