//! The quantile sketch against exact sorted quantiles, within its stated bound.
//!
//! Data come from a fixed-seed generator, so every run sees the same values; the bound checked is
//! the sketch's deterministic guarantee (relative error alpha, plus 1e-9 relative for rounding in
//! the logarithm), not a statistical tolerance, so these tests cannot flake.

mod common;

use common::{LEVELS, SplitMix64, exact_quantile, sorted};
use subsoil_stats::{Merge, QuantileSketch};

/// Asserts the relative-error guarantee at every level in `LEVELS`.
fn assert_within_alpha(sketch: &QuantileSketch, values: &[f64]) {
    let exact = sorted(values);
    let alpha = sketch.alpha();
    for q in LEVELS {
        let want = exact_quantile(&exact, q);
        let got = sketch.quantile(q).unwrap();
        let bound = alpha * want.abs() * (1.0 + 1e-9);
        assert!((got - want).abs() <= bound, "q = {q}: sketch {got}, exact {want}");
    }
}

fn sketch_of(values: &[f64]) -> QuantileSketch {
    let mut s = QuantileSketch::new();
    values.iter().for_each(|&x| s.push(x));
    s
}

#[test]
fn lognormal_data_within_alpha() {
    let mut rng = SplitMix64::new(1);
    let values: Vec<f64> = (0..200_000).map(|_| rng.lognormal(3.0, 1.5)).collect();
    assert_within_alpha(&sketch_of(&values), &values);
}

#[test]
fn negative_data_within_alpha() {
    let mut rng = SplitMix64::new(2);
    let values: Vec<f64> = (0..100_000).map(|_| -rng.lognormal(10.0, 2.0)).collect();
    assert_within_alpha(&sketch_of(&values), &values);
}

#[test]
fn mixed_sign_data_with_zeros_within_alpha() {
    // A net-present-value-like output: mostly losses near zero, a fat right tail, exact zeros
    // for paths where nothing was built.
    let mut rng = SplitMix64::new(3);
    let values: Vec<f64> = (0..150_000)
        .map(|_| match rng.below(10) {
            0 | 1 => 0.0,
            2..=5 => -rng.lognormal(0.0, 1.0),
            _ => rng.lognormal(1.0, 2.5),
        })
        .collect();
    assert_within_alpha(&sketch_of(&values), &values);
}

#[test]
fn other_accuracies_keep_their_own_bound() {
    let mut rng = SplitMix64::new(4);
    let values: Vec<f64> = (0..50_000).map(|_| rng.normal() * 1e3).collect();
    for alpha in [0.0001, 0.01, 0.05] {
        let mut s = QuantileSketch::with_params(alpha, 100_000).unwrap();
        values.iter().for_each(|&x| s.push(x));
        assert_within_alpha(&s, &values);
    }
}

#[test]
fn merged_halves_give_the_same_quantiles_as_one_sketch() {
    let mut rng = SplitMix64::new(5);
    let values: Vec<f64> = (0..100_000).map(|_| rng.normal() * rng.lognormal(0.0, 3.0)).collect();
    let whole = sketch_of(&values);
    for split in [0, 1, 4096, 50_000, 99_999] {
        let mut left = sketch_of(&values[..split]);
        left.merge(&sketch_of(&values[split..]));
        assert_eq!(left.count(), whole.count());
        for q in LEVELS {
            let (a, b) = (left.quantile(q).unwrap(), whole.quantile(q).unwrap());
            assert_eq!(a.to_bits(), b.to_bits(), "split {split}, q = {q}");
        }
    }
}

/// Grid resolution of the thirty-decade test: magnitudes are `10^(−15 + 30·k/GRID)`.
const GRID: usize = 1 << 20;

fn grid_magnitude(k: usize) -> f64 {
    10f64.powf(-15.0 + 30.0 * k as f64 / GRID as f64)
}

#[test]
fn ten_million_values_over_thirty_decades_stay_within_the_bucket_bound() {
    // Magnitudes log-uniform over 1e-15..1e15 on a fine grid, both signs, plus zeros: without the
    // bound the keys would span about 6,900 buckets per sign. The grid lets exact quantiles come
    // from counts per grid point instead of sorting ten million values.
    let mut rng = SplitMix64::new(6);
    let mut s = QuantileSketch::new();
    let (mut positive, mut negative, mut zeros) = (vec![0u32; GRID], vec![0u32; GRID], 0u64);
    for i in 0..10_000_000u64 {
        let k = rng.below(GRID as u64) as usize;
        let x = match i % 5 {
            0 => {
                zeros += 1;
                0.0
            }
            1 | 2 => {
                positive[k] += 1;
                grid_magnitude(k)
            }
            _ => {
                negative[k] += 1;
                -grid_magnitude(k)
            }
        };
        s.push(x);
        if i % 1_000_000 == 0 {
            let (pos, neg) = s.allocated_buckets();
            assert!(pos <= 2048 && neg <= 2048, "after {i} pushes: {pos} and {neg} buckets");
        }
    }
    let (pos, neg) = s.allocated_buckets();
    assert!(pos <= 2048 && neg <= 2048, "{pos} and {neg} buckets");
    assert_eq!(s.count(), 10_000_000);

    // Exact order statistics from the counts, walking from the most negative value upwards.
    let ascending = (0..GRID)
        .rev()
        .map(|k| (-grid_magnitude(k), u64::from(negative[k])))
        .chain(std::iter::once((0.0, zeros)))
        .chain((0..GRID).map(|k| (grid_magnitude(k), u64::from(positive[k]))));
    let exact_at = |r: u64| {
        let mut seen = 0;
        ascending.clone().find(|&(_, c)| {
            seen += c;
            seen > r
        })
    };

    // What the bound still guarantees: values within the factor F = `guaranteed_range()` of the
    // largest magnitude M of their sign keep relative error alpha; smaller ones have absolute
    // error below M·2^w/F.
    let range = s.guaranteed_range();
    assert!(range > 1e8, "the documented default covers more than eight decades: {range}");
    let step = s.bucket_width_octaves().exp2();
    let largest = |counts: &[u32]| counts.iter().rposition(|&c| c > 0).map_or(0.0, grid_magnitude);
    let mut checked_collapsed = 0;
    for q in LEVELS {
        let r = subsoil_stats::rank(q, s.count()).unwrap();
        let want = exact_at(r).unwrap().0;
        let got = s.quantile(q).unwrap();
        let m = largest(if want < 0.0 { &negative } else { &positive });
        let err = (got - want).abs();
        if want.abs() >= m / range {
            assert!(err <= 0.005 * want.abs() * (1.0 + 1e-9), "q = {q}: {got} vs {want}");
        } else {
            checked_collapsed += 1;
            assert!(err <= m / range * step, "q = {q}: {got} vs {want}");
            assert!(got.signum() == want.signum(), "q = {q}: sign of {got}");
        }
    }
    assert!(checked_collapsed > 0, "the test must exercise collapsed buckets");
    assert_eq!(s.quantile(1.0), Some(largest(&positive)));
    assert_eq!(s.quantile(0.0), Some(-largest(&negative)));
}

#[test]
fn collapsed_buckets_keep_sign_and_absolute_bound() {
    // A deliberately tiny sketch (32 buckets per sign, alpha 1%) over nine decades.
    let mut rng = SplitMix64::new(7);
    let values: Vec<f64> = (0..20_000).map(|_| 10f64.powf(9.0 * rng.uniform())).collect();
    let mut s = QuantileSketch::with_params(0.01, 32).unwrap();
    values.iter().for_each(|&x| s.push(x));
    assert!(s.allocated_buckets().0 <= 32);
    let largest = values.iter().copied().fold(0.0, f64::max);
    let exact_range = largest / s.guaranteed_range();
    let absolute = exact_range * s.bucket_width_octaves().exp2();
    let exact = sorted(&values);
    let mut checked_collapsed = 0;
    for q in LEVELS {
        let want = exact_quantile(&exact, q);
        let got = s.quantile(q).unwrap();
        if want >= exact_range {
            assert!((got - want).abs() <= 0.01 * want * (1.0 + 1e-9), "q = {q}");
        } else {
            checked_collapsed += 1;
            assert!(got > 0.0 && (got - want).abs() <= absolute, "q = {q}: {got} vs {want}");
        }
    }
    assert!(checked_collapsed > 5, "the test must exercise collapsed buckets");
}
