//! The map from a positive magnitude to its bucket key in [`crate::QuantileSketch`].
//!
//! An exact logarithm costs more than the rest of a push together, and its last bit differs
//! between maths libraries. Instead the key comes from a quasi-logarithm built from the bits of the
//! `f64`: for `x = 2^e · (1 + t)` with `t` in `[0, 1)`,
//!
//! ```text
//! f(x) = e + t·(4 − t)/3
//! ```
//!
//! which is continuous, strictly increasing, equals `log2 x` at powers of two and stays within
//! [`MAX_LOG2_GAP`] of it in between. Within an octave `d(ln x)/df = 1/(m·P'(t))` with `m = 1 + t`
//! and `P(t) = t(4 − t)/3`, which lies in `[2/3, 3/4]`. Buckets of equal width
//! `w = (4/3)·ln γ` in `f` therefore span at most a factor `γ` in `x`, which is what the relative
//! accuracy needs; the price is about 8% more buckets than an exact logarithm would use (75 rather
//! than 69 per octave at alpha = 0.5%).
//!
//! Only IEEE-754 operations that are correctly rounded on every platform are used (bit
//! manipulation, `+ − × ÷`, `sqrt`, `ceil`), so a value's bucket is the same on every machine.

/// The largest gap `|f(x) − log2 x|`, attained inside each octave (about 0.0097), rounded up.
pub(crate) const MAX_LOG2_GAP: f64 = 0.0098;

/// Bucket geometry for one relative accuracy.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Mapping {
    /// Bucket width in units of `f`.
    width: f64,
    /// `1 / width`.
    inv_width: f64,
    /// `1 / (3·width)`.
    inv_width_3: f64,
}

const MANTISSA_BITS: u64 = (1 << 52) - 1;
const ONE_BITS: u64 = 0x3FF0_0000_0000_0000;

impl Mapping {
    /// The mapping for relative accuracy `alpha` in `(0, 0.5]`.
    pub(crate) fn new(alpha: f64) -> Self {
        let width = 4.0 / 3.0 * ln_gamma(alpha);
        Self { width, inv_width: 1.0 / width, inv_width_3: 1.0 / (3.0 * width) }
    }

    /// Bucket width in units of `f` (roughly octaves).
    pub(crate) fn width(&self) -> f64 {
        self.width
    }

    /// Bucket key of a positive finite magnitude: `⌈f(x) / w⌉`.
    #[inline]
    pub(crate) fn key(&self, magnitude: f64) -> i32 {
        let (mut bits, mut shift) = (magnitude.to_bits(), 0);
        if bits >> 52 == 0 {
            // Subnormal: scale into the normal range first (exact).
            bits = (magnitude * TWO_POW_64).to_bits();
            shift = 64;
        }
        let e = ((bits >> 52) as i32) - 1023 - shift;
        let t = f64::from_bits((bits & MANTISSA_BITS) | ONE_BITS) - 1.0;
        // f / w = e/w + t(4 − t)/(3w), with 1/(3w) precomputed to keep a division off the hot path.
        // |f| ≤ 1075, and the width is at least 1.3e-6 for alpha ≥ 1e-6, so this fits in i32.
        ceil_to_i32(f64::from(e) * self.inv_width + t * (4.0 - t) * self.inv_width_3)
    }

    /// Smallest magnitude of bucket `k` (exclusive): `f⁻¹((k − 1)·w)`.
    pub(crate) fn lower(&self, k: i32) -> f64 {
        inverse(f64::from(k - 1) * self.width)
    }

    /// Largest magnitude of bucket `k` (inclusive): `f⁻¹(k·w)`.
    pub(crate) fn upper(&self, k: i32) -> f64 {
        inverse(f64::from(k) * self.width)
    }

    /// The value with the same relative distance to both ends of bucket `k`:
    /// `2·lo·hi / (lo + hi)`. Its relative error to any value in the bucket is at most
    /// `(hi − lo)/(hi + lo) ≤ alpha`.
    pub(crate) fn representative(&self, k: i32) -> f64 {
        let (lo, hi) = (self.lower(k), self.upper(k));
        if hi.is_infinite() {
            // Only the bucket of values next to f64::MAX; the sketch clamps to its exact maximum.
            return f64::MAX;
        }
        // Written to avoid overflow of lo·hi for huge magnitudes.
        2.0 * lo * (hi / (lo + hi))
    }
}

/// `⌈v⌉` for `|v| < 2^31`, by truncation: `f64::ceil` is a library call on baseline x86-64, and
/// this is the hottest line of a push.
#[inline]
fn ceil_to_i32(v: f64) -> i32 {
    let t = v as i32;
    t + i32::from(f64::from(t) < v)
}

const TWO_POW_64: f64 = 18_446_744_073_709_551_616.0;

/// `f⁻¹(y)`: with `e = ⌊y⌋` and `r = y − e`, solve `t(4 − t)/3 = r` for `t = 2 − √(4 − 3r)`.
fn inverse(y: f64) -> f64 {
    let e = y.floor();
    let t = 2.0 - (4.0 - 3.0 * (y - e)).sqrt();
    scale_by_pow2(1.0 + t, e as i32)
}

/// `x · 2^e` for `x` in `[1, 2]`, exact unless the result is subnormal, and `+∞` past `f64::MAX`.
fn scale_by_pow2(x: f64, e: i32) -> f64 {
    let pow2 = |e: i32| f64::from_bits(((e + 1023) as u64) << 52);
    if e > 1023 {
        f64::INFINITY
    } else if e >= -1022 {
        x * pow2(e)
    } else {
        // Two steps so that every factor is a normal number; only the last product rounds.
        x * pow2((e + 64).max(-1022)) / TWO_POW_64
    }
}

/// `ln γ = ln((1 + alpha)/(1 − alpha)) = 2·atanh(alpha)`, by its power series so that it is the
/// same on every platform. Converges for `alpha ≤ 0.5` within 30 terms.
fn ln_gamma(alpha: f64) -> f64 {
    let a2 = alpha * alpha;
    let mut power = alpha;
    let mut sum = 0.0;
    let mut k = 0.0;
    while k < 200.0 {
        let term = power / (2.0 * k + 1.0);
        if term < sum * 1e-18 {
            break;
        }
        sum += term;
        power *= a2;
        k += 1.0;
    }
    2.0 * sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_ceiling_matches_ceil() {
        for v in [-3.5, -3.0, -2.999, -0.5, -0.0, 0.0, 1e-300, 0.5, 1.0, 1.0001, 2.5, 80_000.2] {
            assert_eq!(ceil_to_i32(v), v.ceil() as i32, "{v}");
        }
    }

    #[test]
    fn ln_gamma_matches_the_logarithm() {
        for alpha in [1e-6, 0.001, 0.005, 0.05, 0.5] {
            let exact = f64::ln_1p(alpha) - f64::ln_1p(-alpha);
            assert!((ln_gamma(alpha) - exact).abs() <= 1e-14 * exact, "alpha {alpha}");
        }
    }

    #[test]
    fn quasi_log_stays_close_to_log2_and_is_exact_at_powers_of_two() {
        let m = Mapping::new(0.005);
        let f = |x: f64| f64::from(m.key(x)) * m.width();
        for e in -30..30 {
            let x = 2f64.powi(e);
            // The key of a power of two is ⌈e / w⌉.
            assert_eq!(m.key(x), (f64::from(e) / m.width()).ceil() as i32);
        }
        let mut x = 1e-300;
        while x < 1e300 {
            // f(x) lies in ((k − 1)w, kw], and |f − log2| ≤ MAX_LOG2_GAP.
            assert!((f(x) - x.log2()).abs() <= MAX_LOG2_GAP + m.width(), "x = {x}");
            x *= 1.37;
        }
    }

    #[test]
    fn keys_are_monotone_and_buckets_are_consistent_with_their_edges() {
        let m = Mapping::new(0.005);
        let mut x = 1e-12;
        let mut last = i32::MIN;
        while x < 1e12 {
            let k = m.key(x);
            assert!(k >= last);
            last = k;
            let (lo, hi) = (m.lower(k), m.upper(k));
            assert!(lo * (1.0 - 1e-12) <= x && x <= hi * (1.0 + 1e-12), "x = {x}: ({lo}, {hi}]");
            assert!(hi / lo <= (1.005 / 0.995) * (1.0 + 1e-12));
            let r = m.representative(k);
            assert!((r - x).abs() <= 0.005 * x * (1.0 + 1e-12), "x = {x}, rep {r}");
            x *= 1.000_37;
        }
    }

    #[test]
    fn subnormals_and_extremes_have_keys_in_order() {
        let m = Mapping::new(0.005);
        let tiny = f64::from_bits(1);
        let keys = [tiny, 1e-310, f64::MIN_POSITIVE, 1.0, f64::MAX].map(|x| m.key(x));
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
        assert!(m.representative(m.key(1e-310)) > 0.0);
        let r = m.representative(m.key(1e-310));
        assert!((r - 1e-310).abs() <= 0.006 * 1e-310);
    }
}
