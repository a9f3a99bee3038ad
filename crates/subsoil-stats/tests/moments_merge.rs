//! Welford pushes and Chan merges against a two-pass mean and variance.
//!
//! Data come from fixed seeds; the tolerance (1e-12 relative) is far above the rounding error of
//! either method on these sizes and far below any real mistake, so the test does not flake.

mod common;

use common::SplitMix64;
use subsoil_stats::{Merge, Moments};

fn two_pass(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0);
    (mean, var)
}

fn assert_rel(a: f64, b: f64, tol: f64, what: &str) {
    assert!((a - b).abs() <= tol * b.abs(), "{what}: {a} vs {b}");
}

#[test]
fn block_merge_matches_two_pass_statistics() {
    let mut rng = SplitMix64::new(11);
    // A large offset with a small spread is where naive sum-of-squares formulas fail.
    let values: Vec<f64> = (0..100_003).map(|_| 1e6 + 10.0 * rng.normal()).collect();
    let (mean, var) = two_pass(&values);
    let mut total = Moments::new();
    for block in values.chunks(4096) {
        let mut m = Moments::new();
        block.iter().for_each(|&x| m.push(x));
        total.merge(&m);
    }
    assert_eq!(total.count(), values.len() as u64);
    assert_rel(total.mean().unwrap(), mean, 1e-12, "mean");
    assert_rel(total.variance().unwrap(), var, 1e-12, "variance");
    let se = (var / values.len() as f64).sqrt();
    assert_rel(total.se().unwrap(), se, 1e-12, "se");
}

#[test]
fn uneven_merges_match_two_pass_statistics() {
    let mut rng = SplitMix64::new(12);
    let values: Vec<f64> = (0..50_000).map(|_| rng.lognormal(2.0, 1.0) - 5.0).collect();
    let (mean, var) = two_pass(&values);
    // Very unequal parts, including single values and an empty part.
    let cuts = [0, 1, 2, 3, 10, 10, 4_000, 49_990, 50_000];
    let mut total = Moments::new();
    for w in cuts.windows(2) {
        let mut m = Moments::new();
        values[w[0]..w[1]].iter().for_each(|&x| m.push(x));
        total.merge(&m);
    }
    assert_rel(total.mean().unwrap(), mean, 1e-12, "mean");
    assert_rel(total.variance().unwrap(), var, 1e-12, "variance");
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    assert_eq!((total.min(), total.max()), (Some(min), Some(max)));
}
