//! Statistical helpers shared by the integration tests.
//!
//! All tests draw from fixed seeds, so each statistic is a fixed number: a test passes or fails
//! the same way on every run and every machine. Critical values are chosen at small significance
//! levels (1e-3 or below) so that a correct implementation is far from the boundary.

#![allow(dead_code)]

use subsoil_risk::{Dist, stream_id, uniform};

/// Number of draws for distribution tests.
pub const N: usize = 100_000;

/// The seed used by the distribution tests (the deal's signature date).
pub const SEED: u64 = 20_250_430;

/// Kolmogorov–Smirnov critical value at significance `alpha` for `n` samples, from the asymptotic
/// distribution: `sqrt(-ln(alpha / 2) / 2) / sqrt(n)` (1.9495 / sqrt(n) at alpha = 0.001).
pub fn ks_critical(n: usize, alpha: f64) -> f64 {
    (-(alpha / 2.0).ln() / 2.0).sqrt() / (n as f64).sqrt()
}

/// `n` draws of `dist` by inverse CDF from independent uniforms on stream `name`.
pub fn draws(dist: &Dist, name: &str, n: usize) -> Vec<f64> {
    let s = stream_id(name);
    (0..n as u64).map(|p| dist.quantile(uniform(SEED, p, s, 0))).collect()
}

/// One-sample KS statistic `sup |F_n(x) - F(x)|` of `samples` against `cdf`.
///
/// Compares the empirical CDF just below each sample with `F(x-)` (taken as `F` at the previous
/// float) and at the sample with `F(x)`, so distributions with atoms (tied samples) are handled.
pub fn ks_statistic(samples: &[f64], cdf: impl Fn(f64) -> f64) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len() as f64;
    sorted
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            let below = cdf(x.next_down()) - i as f64 / n;
            let at = (i + 1) as f64 / n - cdf(x);
            below.max(at)
        })
        .fold(0.0, f64::max)
}

/// Pearson's chi-square statistic of observed counts against expected counts.
pub fn chi_square(observed: &[u64], expected: &[f64]) -> f64 {
    observed.iter().zip(expected).map(|(&o, &e)| (o as f64 - e).powi(2) / e).sum()
}

/// Sample mean and (n - 1)-denominator variance.
pub fn mean_var(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    let v = x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1.0);
    (m, v)
}

/// Standard error of the sample variance, from the sample fourth central moment:
/// `sqrt((m4 - s⁴) / n)`.
pub fn variance_se(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (m, v) = mean_var(x);
    let m4 = x.iter().map(|y| (y - m).powi(4)).sum::<f64>() / n;
    ((m4 - v * v) / n).sqrt()
}

/// Pearson correlation.
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let (mx, vx) = mean_var(x);
    let (my, vy) = mean_var(y);
    let n = x.len() as f64;
    let cov = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum::<f64>() / (n - 1.0);
    cov / (vx * vy).sqrt()
}

/// Ranks 0..n of `x` (no ties expected).
pub fn ranks(x: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut r = vec![0.0; x.len()];
    for (rank, &i) in idx.iter().enumerate() {
        r[i] = rank as f64;
    }
    r
}

/// Spearman rank correlation.
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    pearson(&ranks(x), &ranks(y))
}
