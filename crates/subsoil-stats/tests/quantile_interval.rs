//! Confidence intervals for population quantiles read from the sketch.

mod common;

use common::{SplitMix64, sorted};
use subsoil_stats::QuantileSketch;

/// The interval contains the exact order statistics it is built from, `x_(j)` and `x_(k)`
/// (1-based ranks `⌊nq − zs⌋` and `⌈nq + zs⌉ + 1`): a deterministic property.
#[test]
fn interval_contains_the_exact_order_statistics() {
    let mut rng = SplitMix64::new(21);
    let values: Vec<f64> = (0..5_000).map(|_| rng.normal() * rng.lognormal(1.0, 1.0)).collect();
    let mut s = QuantileSketch::new();
    values.iter().for_each(|&x| s.push(x));
    let exact = sorted(&values);
    let n = values.len() as f64;
    for q in [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95] {
        let z = 1.96;
        let spread = z * (n * q * (1.0 - q)).sqrt();
        let j = (n * q - spread).floor() as usize;
        let k = (n * q + spread).ceil() as usize + 1;
        let ci = s.quantile_interval(q, z).unwrap();
        assert!(ci.lo <= exact[j - 1] && exact[k - 1] <= ci.hi, "q = {q}: {ci:?}");
        // Not wider than the order statistics plus the bucket width on each side.
        assert!(ci.lo >= exact[j - 1] - 0.011 * exact[j - 1].abs(), "q = {q}: {ci:?}");
        assert!(ci.hi <= exact[k - 1] + 0.011 * exact[k - 1].abs(), "q = {q}: {ci:?}");
        let estimate = s.quantile(q).unwrap();
        assert!(ci.lo <= estimate && estimate <= ci.hi);
    }
}

/// Share of `reps` samples of `n` values from `draw` whose interval for `q` contains `truth`.
fn coverage(q: f64, truth: f64, n: usize, reps: u64, draw: impl Fn(&mut SplitMix64) -> f64) -> f64 {
    let mut covered = 0;
    for rep in 0..reps {
        let mut rng = SplitMix64::new(1000 + rep);
        let mut s = QuantileSketch::new();
        (0..n).for_each(|_| s.push(draw(&mut rng)));
        let ci = s.quantile_interval(q, 1.96).unwrap();
        if ci.lo <= truth && truth <= ci.hi {
            covered += 1;
        }
    }
    f64::from(covered) / reps as f64
}

/// Coverage of the true population quantile over repeated samples, for a nominal 95%.
///
/// 400 samples of 1,000 standard lognormal values, whose q-quantile is `exp(Φ⁻¹(q))`. Seeds are
/// fixed, so the counts are the same on every run. Reading bucket edges makes the interval a
/// little conservative; the accepted band (93% to 99.5%) allows for that and for the normal
/// approximation to the binomial. (The binomial standard error of a coverage estimate from 400
/// samples is about 1.1 points.)
#[test]
fn intervals_cover_the_population_quantile_at_about_the_nominal_rate() {
    // Standard normal quantiles Φ⁻¹(q).
    for (q, zq) in [(0.05, -1.644_853_626_951_472_2), (0.5, 0.0), (0.9, 1.281_551_565_544_600_4)] {
        let rate = coverage(q, f64::exp(zq), 1_000, 400, |rng| rng.lognormal(0.0, 1.0));
        assert!((0.93..=0.995).contains(&rate), "q = {q}: coverage {rate}");
    }
}

/// When the sketch's 0.5% resolution is coarser than the sampling error (here values in [1, 2]),
/// the interval is wider than the order statistics alone would give: coverage stays at or above
/// the nominal rate rather than falling below it.
#[test]
fn coarse_resolution_errs_on_the_side_of_more_coverage() {
    for q in [0.05, 0.5, 0.9] {
        let rate = coverage(q, 1.0 + q, 1_000, 400, |rng| 1.0 + rng.uniform());
        assert!(rate >= 0.95, "q = {q}: coverage {rate}");
    }
}

#[test]
fn level_and_z_forms_agree() {
    let mut s = QuantileSketch::new();
    (1..=500).for_each(|i| s.push(f64::from(i)));
    assert_eq!(s.quantile_interval_at(0.5, 0.95), s.quantile_interval(0.5, 1.959_963_984_540_054));
    assert_eq!(s.quantile_interval_at(0.5, 1.0), None);
}
