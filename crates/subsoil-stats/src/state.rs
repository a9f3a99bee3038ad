//! The saved state of the accumulators, for runs split into shards and merged later.
//!
//! [`Moments`], [`QuantileSketch`], [`Summary`], [`Proportion`] and [`TimeToEvent`] serialise
//! (with serde) to a state from which the accumulator is rebuilt exactly: merging rebuilt states
//! gives the same bits as merging the originals. Floating-point numbers are written as the 16
//! hexadecimal digits of their IEEE-754 bits ([`Bits`]), so that nothing depends on how a reader
//! parses decimals and infinities survive (an empty accumulator's minimum is `+∞`).
//!
//! A state read from a file is checked as it is rebuilt: bad parameters, counts that overflow or
//! horizons that differ are errors, never panics.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::store::Store;
use crate::{Moments, QuantileSketch};

/// An `f64` saved exactly: the 16 lowercase hexadecimal digits of its bits (`"3ff0000000000000"` is
/// 1.0, `"7ff0000000000000"` is `+∞`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bits(pub f64);

impl Serialize for Bits {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{:016x}", self.0.to_bits()))
    }
}

impl<'de> Deserialize<'de> for Bits {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Bits, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Bits;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("16 hexadecimal digits (the bits of a 64-bit float)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Bits, E> {
                if v.len() != 16 {
                    return Err(E::invalid_value(de::Unexpected::Str(v), &self));
                }
                u64::from_str_radix(v, 16)
                    .map(|b| Bits(f64::from_bits(b)))
                    .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
            }
        }
        d.deserialize_str(V)
    }
}

/// [`Moments`] as saved: `[count, mean, m2, min, max, non_finite]`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MomentsState(pub u64, pub Bits, pub Bits, pub Bits, pub Bits, pub u64);

impl From<Moments> for MomentsState {
    fn from(m: Moments) -> Self {
        let (count, mean, m2, min, max, non_finite) = m.parts();
        MomentsState(count, Bits(mean), Bits(m2), Bits(min), Bits(max), non_finite)
    }
}

impl From<MomentsState> for Moments {
    fn from(s: MomentsState) -> Self {
        Moments::from_parts(s.0, s.1.0, s.2.0, s.3.0, s.4.0, s.5)
    }
}

/// [`QuantileSketch`] as saved: its parameters, exact counts and extremes, and the non-empty
/// buckets of each sign as `[key, count]` pairs (largest key first).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SketchState {
    /// Relative accuracy.
    pub alpha: Bits,
    /// Most buckets per sign.
    pub max_buckets: usize,
    /// Zeros seen.
    pub zeros: u64,
    /// Non-finite values skipped.
    pub non_finite: u64,
    /// Exact minimum (`+∞` when empty).
    pub min: Bits,
    /// Exact maximum (`−∞` when empty).
    pub max: Bits,
    /// Buckets of positive values.
    pub positive: Vec<(i32, u64)>,
    /// Buckets of negative values, by magnitude.
    pub negative: Vec<(i32, u64)>,
    /// Whether the lowest positive bucket absorbed smaller magnitudes.
    pub positive_collapsed: bool,
    /// Whether the lowest negative bucket absorbed smaller magnitudes.
    pub negative_collapsed: bool,
}

/// Why a saved state cannot be rebuilt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateError(pub String);

impl fmt::Display for StateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StateError {}

impl From<QuantileSketch> for SketchState {
    fn from(s: QuantileSketch) -> Self {
        let (positive, negative) = s.stores();
        SketchState {
            alpha: Bits(s.alpha()),
            max_buckets: positive.max_buckets(),
            zeros: s.zeros(),
            non_finite: s.non_finite(),
            min: Bits(s.raw_min()),
            max: Bits(s.raw_max()),
            positive: positive.iter_desc().collect(),
            negative: negative.iter_desc().collect(),
            positive_collapsed: positive.collapsed(),
            negative_collapsed: negative.collapsed(),
        }
    }
}

impl TryFrom<SketchState> for QuantileSketch {
    type Error = StateError;

    fn try_from(s: SketchState) -> Result<Self, StateError> {
        let bad = |what: &str| StateError(format!("quantile sketch: {what}"));
        let mut sketch = QuantileSketch::with_params(s.alpha.0, s.max_buckets)
            .map_err(|e| bad(&e.to_string()))?;
        let store = |buckets: &[(i32, u64)], collapsed: bool| -> Result<Store, StateError> {
            let mut total = 0u64;
            let mut store = Store::new(s.max_buckets);
            for &(key, count) in buckets {
                total = total.checked_add(count).ok_or_else(|| bad("counts overflow"))?;
                store.add(key, count);
            }
            store.mark_collapsed(collapsed);
            Ok(store)
        };
        let positive = store(&s.positive, s.positive_collapsed)?;
        let negative = store(&s.negative, s.negative_collapsed)?;
        positive
            .total()
            .checked_add(negative.total())
            .and_then(|n| n.checked_add(s.zeros))
            .ok_or_else(|| bad("counts overflow"))?;
        sketch.restore(positive, negative, s.zeros, s.non_finite, s.min.0, s.max.0);
        Ok(sketch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Merge, Summary};

    fn roundtrip<T: Serialize + serde::de::DeserializeOwned>(x: &T) -> T {
        serde_json::from_str(&serde_json::to_string(x).unwrap()).unwrap()
    }

    #[test]
    fn floats_are_saved_as_their_bits() {
        assert_eq!(serde_json::to_string(&Bits(1.0)).unwrap(), "\"3ff0000000000000\"");
        for x in [0.1, -0.0, f64::INFINITY, f64::MIN_POSITIVE / 8.0, 1e300] {
            assert_eq!(roundtrip(&Bits(x)).0.to_bits(), x.to_bits());
        }
        assert!(serde_json::from_str::<Bits>("\"3ff\"").is_err());
        assert!(serde_json::from_str::<Bits>("1.0").is_err());
    }

    #[test]
    fn rebuilt_accumulators_merge_to_the_same_bits() {
        // Values over 40 orders of magnitude collapse the lowest buckets of a small sketch.
        let mut a = Summary::with_sketch(QuantileSketch::with_params(0.01, 64).unwrap());
        let mut b = a.clone();
        for i in 0..500 {
            let x = (f64::from(i) - 250.0) * 10f64.powi(i % 40 - 20);
            if i % 3 == 0 { b.push(x) } else { a.push(x) }
        }
        a.push(f64::NAN);
        assert!(a.sketch().allocated_buckets().0 <= 64);
        let empty = Summary::new();
        assert_eq!(roundtrip(&empty), empty);
        let (ra, rb) = (roundtrip(&a), roundtrip(&b));
        assert_eq!((&ra, &rb), (&a, &b));
        let mut direct = a.clone();
        direct.merge(&b);
        let mut rebuilt = ra;
        rebuilt.merge(&rb);
        for q in [0.0, 0.05, 0.3, 0.5, 0.9, 1.0] {
            assert_eq!(direct.quantile(q).map(f64::to_bits), rebuilt.quantile(q).map(f64::to_bits));
        }
        assert_eq!(direct.moments(), rebuilt.moments());
    }

    #[test]
    fn bad_saved_sketches_are_errors() {
        let mut s: serde_json::Value = serde_json::to_value(QuantileSketch::new()).unwrap();
        s["max_buckets"] = 0.into();
        assert!(serde_json::from_value::<QuantileSketch>(s.clone()).is_err());
        s["max_buckets"] = 2048.into();
        s["positive"] = serde_json::json!([[3, u64::MAX], [2, 5]]);
        let err = serde_json::from_value::<QuantileSketch>(s).unwrap_err();
        assert!(err.to_string().contains("counts overflow"), "{err}");
    }
}
