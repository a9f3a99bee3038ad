//! Each distribution, sampled by inverse CDF from 100,000 fixed-seed uniforms, passes a
//! goodness-of-fit test against an independent reference — statrs 0.19's CDFs, or closed forms
//! written here separately from the crate's code — and fails the same test against a reference with
//! a deliberately wrong parameter (a negative control showing the test has power). Sample mean and
//! variance match independently computed moments within 5 standard errors.
//!
//! Tolerances: KS at significance 0.001 (D < 1.9495 / sqrt(n) = 0.00616); chi-square at 0.001.
//! Negative controls are chosen so the wrong reference is at least 3 critical values away.

mod common;

use common::{N, chi_square, draws, ks_critical, ks_statistic, mean_var, variance_se};
use statrs::distribution::{
    Beta as SBeta, ChiSquared, Continuous, ContinuousCDF, LogNormal as SLogNormal,
    Normal as SNormal, Triangular as STriangular, Uniform as SUniform,
};
use statrs::statistics::Distribution;
use subsoil_risk::{Dist, LognormalSpec};

/// A reference CDF and its (mean, variance).
type Reference = (Box<dyn Fn(f64) -> f64>, (f64, f64));

/// A distribution under test with its independent references.
struct Case {
    dist: Dist,
    /// Reference CDF with the right parameters.
    cdf: Box<dyn Fn(f64) -> f64>,
    /// Reference CDF with one parameter deliberately wrong.
    wrong_cdf: Box<dyn Fn(f64) -> f64>,
    /// Reference mean and variance.
    moments: (f64, f64),
}

/// Runs the KS test, the negative control and the moment checks for one case.
fn check(name: &str, case: Case) {
    let x = draws(&case.dist, name, N);
    let crit = ks_critical(N, 0.001);
    let d = ks_statistic(&x, &case.cdf);
    assert!(d < crit, "{name}: KS D = {d:.5} >= critical {crit:.5} against the right reference");
    let d_wrong = ks_statistic(&x, &case.wrong_cdf);
    assert!(d_wrong > crit, "{name}: KS D = {d_wrong:.5} did not reject the wrong reference");

    let (mean, var) = case.moments;
    assert!(
        (case.dist.mean() - mean).abs() <= 1e-9 * mean.abs().max(var.sqrt()),
        "{name}: analytic mean {} vs reference {mean}",
        case.dist.mean()
    );
    assert!(
        (case.dist.variance() - var).abs() <= 1e-7 * var,
        "{name}: analytic variance {} vs reference {var}",
        case.dist.variance()
    );
    let (m, v) = mean_var(&x);
    let se_mean = (var / N as f64).sqrt();
    assert!((m - mean).abs() < 5.0 * se_mean, "{name}: sample mean {m} vs {mean} (se {se_mean})");
    let se_var = variance_se(&x);
    assert!((v - var).abs() < 5.0 * se_var, "{name}: sample variance {v} vs {var} (se {se_var})");
}

fn stat_moments(d: &impl Distribution<f64>) -> (f64, f64) {
    (d.mean().unwrap_or(f64::NAN), d.variance().unwrap_or(f64::NAN))
}

#[test]
fn uniform() {
    let right = SUniform::new(2.0, 5.0).unwrap();
    let wrong = SUniform::new(2.0, 5.2).unwrap();
    check(
        "uniform",
        Case {
            dist: Dist::uniform(2.0, 5.0).unwrap(),
            moments: stat_moments(&right),
            cdf: Box::new(move |x| right.cdf(x)),
            wrong_cdf: Box::new(move |x| wrong.cdf(x)),
        },
    );
}

#[test]
fn triangular() {
    // statrs orders the parameters (min, max, mode).
    let right = STriangular::new(1.0, 6.0, 2.0).unwrap();
    let wrong = STriangular::new(1.0, 6.0, 2.4).unwrap();
    check(
        "triangular",
        Case {
            dist: Dist::triangular(1.0, 2.0, 6.0).unwrap(),
            moments: stat_moments(&right),
            cdf: Box::new(move |x| right.cdf(x)),
            wrong_cdf: Box::new(move |x| wrong.cdf(x)),
        },
    );
}

/// A beta reference scaled to `[lo, hi]`.
fn scaled_beta(a: f64, b: f64, lo: f64, hi: f64) -> Reference {
    let d = SBeta::new(a, b).unwrap();
    let (m, v) = stat_moments(&d);
    let w = hi - lo;
    (Box::new(move |x| d.cdf(((x - lo) / w).clamp(0.0, 1.0))), (lo + w * m, w * w * v))
}

#[test]
fn pert_default_lambda() {
    // PERT(10, 12, 20): alpha = 1 + 4 * 2/10, beta = 1 + 4 * 8/10.
    let (cdf, moments) = scaled_beta(1.8, 4.2, 10.0, 20.0);
    // Wrong: the mode taken at 12.6 instead of 12.
    let (wrong_cdf, _) = scaled_beta(1.0 + 4.0 * 0.26, 1.0 + 4.0 * 0.74, 10.0, 20.0);
    assert!((moments.0 - (10.0 + 4.0 * 12.0 + 20.0) / 6.0).abs() < 1e-12);
    check("pert", Case { dist: Dist::pert(10.0, 12.0, 20.0).unwrap(), cdf, wrong_cdf, moments });
}

#[test]
fn pert_custom_lambda() {
    // lambda = 8 on [0, 1] with mode 0.7: alpha = 6.6, beta = 3.4.
    let (cdf, moments) = scaled_beta(6.6, 3.4, 0.0, 1.0);
    let (wrong_cdf, _) = scaled_beta(1.0 + 6.0 * 0.7, 1.0 + 6.0 * 0.3, 0.0, 1.0);
    check(
        "pert-lambda",
        Case { dist: Dist::pert_with_lambda(0.0, 0.7, 1.0, 8.0).unwrap(), cdf, wrong_cdf, moments },
    );
}

#[test]
fn normal() {
    let right = SNormal::new(100.0, 15.0).unwrap();
    let wrong = SNormal::new(101.5, 15.0).unwrap();
    check(
        "normal",
        Case {
            dist: Dist::normal(100.0, 15.0).unwrap(),
            moments: stat_moments(&right),
            cdf: Box::new(move |x| right.cdf(x)),
            wrong_cdf: Box::new(move |x| wrong.cdf(x)),
        },
    );
}

/// Mean and variance of a density on `[lo, hi]` by composite Simpson's rule (normalised).
fn simpson_moments(pdf: impl Fn(f64) -> f64, lo: f64, hi: f64) -> (f64, f64) {
    let steps = 20_000;
    let h = (hi - lo) / steps as f64;
    let (mut m0, mut m1, mut m2) = (0.0, 0.0, 0.0);
    for i in 0..=steps {
        let x = lo + i as f64 * h;
        let w = if i == 0 || i == steps {
            1.0
        } else if i % 2 == 1 {
            4.0
        } else {
            2.0
        };
        let p = w * pdf(x);
        m0 += p;
        m1 += p * x;
        m2 += p * x * x;
    }
    let mean = m1 / m0;
    (mean, m2 / m0 - mean * mean)
}

/// A truncated normal reference built from statrs's normal CDF and pdf.
fn truncated_reference(mean: f64, sd: f64, lo: f64, hi: f64) -> Reference {
    let n = SNormal::new(mean, sd).unwrap();
    let (fa, fb) = (n.cdf(lo), n.cdf(hi));
    let ilo = lo.max(mean - 12.0 * sd);
    let ihi = hi.min(mean + 12.0 * sd);
    let moments = simpson_moments(|x| n.pdf(x), ilo, ihi);
    (Box::new(move |x| ((n.cdf(x) - fa) / (fb - fa)).clamp(0.0, 1.0)), moments)
}

#[test]
fn truncated_normal_two_sided() {
    let (cdf, moments) = truncated_reference(0.0, 1.0, -0.5, 2.0);
    let (wrong_cdf, _) = truncated_reference(0.1, 1.0, -0.5, 2.0);
    check(
        "truncated-normal",
        Case {
            dist: Dist::truncated_normal(0.0, 1.0, Some(-0.5), Some(2.0)).unwrap(),
            cdf,
            wrong_cdf,
            moments,
        },
    );
}

#[test]
fn truncated_normal_lower_bound_only() {
    // A window entirely above the mean, which the crate computes on the upper tail.
    let (cdf, moments) = truncated_reference(5.0, 2.0, 6.0, f64::INFINITY);
    let (wrong_cdf, _) = truncated_reference(5.0, 2.2, 6.0, f64::INFINITY);
    check(
        "truncated-normal-lower",
        Case {
            dist: Dist::truncated_normal(5.0, 2.0, Some(6.0), None).unwrap(),
            cdf,
            wrong_cdf,
            moments,
        },
    );
}

#[test]
fn truncated_normal_upper_bound_only() {
    let (cdf, moments) = truncated_reference(0.05, 0.02, f64::NEG_INFINITY, 0.06);
    let (wrong_cdf, _) = truncated_reference(0.05, 0.02, f64::NEG_INFINITY, 0.058);
    check(
        "truncated-normal-upper",
        Case {
            dist: Dist::truncated_normal(0.05, 0.02, None, Some(0.06)).unwrap(),
            cdf,
            wrong_cdf,
            moments,
        },
    );
}

#[test]
fn truncated_normal_far_tail() {
    // Only 3e-5 of the untruncated mass remains: x > mean + 4 sd.
    let (cdf, moments) = truncated_reference(0.0, 1.0, 4.0, f64::INFINITY);
    let (wrong_cdf, _) = truncated_reference(0.0, 1.0, 4.02, f64::INFINITY);
    check(
        "truncated-normal-far",
        Case {
            dist: Dist::truncated_normal(0.0, 1.0, Some(4.0), None).unwrap(),
            cdf,
            wrong_cdf,
            moments,
        },
    );
}

/// A (shifted) lognormal reference from statrs with log-mean `mu` and log-sd `sigma`.
fn lognormal_reference(shift: f64, mu: f64, sigma: f64) -> Reference {
    let d = SLogNormal::new(mu, sigma).unwrap();
    let (m, v) = stat_moments(&d);
    (Box::new(move |x| if x <= shift { 0.0 } else { d.cdf(x - shift) }), (shift + m, v))
}

#[test]
fn lognormal_by_median_and_p90() {
    // sigma from statrs's own normal quantile, independent of the crate's constant.
    let z90 = SNormal::standard().inverse_cdf(0.9);
    let (cdf, moments) = lognormal_reference(0.0, 12_000f64.ln(), (1.5f64).ln() / z90);
    let (wrong_cdf, _) =
        lognormal_reference(0.0, 12_000f64.ln(), (19_000f64 / 12_000.0).ln() / z90);
    check(
        "lognormal-p90",
        Case {
            dist: Dist::lognormal_median_p90(12_000.0, 18_000.0).unwrap(),
            cdf,
            wrong_cdf,
            moments,
        },
    );
}

#[test]
fn lognormal_by_mean_and_sd() {
    let s2 = (1.0f64 + 0.4 * 0.4).ln();
    let (cdf, moments) = lognormal_reference(0.0, 100f64.ln() - s2 / 2.0, s2.sqrt());
    let s2w = (1.0f64 + 0.5 * 0.5).ln();
    let (wrong_cdf, _) = lognormal_reference(0.0, 100f64.ln() - s2w / 2.0, s2w.sqrt());
    assert!((moments.0 - 100.0).abs() < 1e-9 && (moments.1 - 1600.0).abs() < 1e-6);
    check(
        "lognormal-mean-sd",
        Case { dist: Dist::lognormal_mean_sd(100.0, 40.0).unwrap(), cdf, wrong_cdf, moments },
    );
}

#[test]
fn lognormal_by_median_and_sigma() {
    let (cdf, moments) = lognormal_reference(0.0, 50f64.ln(), 0.8);
    let (wrong_cdf, _) = lognormal_reference(0.0, 52f64.ln(), 0.8);
    check(
        "lognormal-sigma",
        Case { dist: Dist::lognormal_median_sigma(50.0, 0.8).unwrap(), cdf, wrong_cdf, moments },
    );
}

#[test]
fn shifted_lognormal_capex_overrun() {
    // Overrun multiplier: at least 0.6, mean 1.14, sd 0.3; the lognormal part has mean 0.54.
    let r2 = (0.3f64 / 0.54).powi(2);
    let s2 = r2.ln_1p();
    let (cdf, moments) = lognormal_reference(0.6, 0.54f64.ln() - s2 / 2.0, s2.sqrt());
    let (wrong_cdf, _) = lognormal_reference(0.55, 0.54f64.ln() - s2 / 2.0, s2.sqrt());
    let dist = Dist::shifted_lognormal(0.6, LognormalSpec::MeanSd { mean: 1.14, sd: 0.3 }).unwrap();
    assert!((dist.mean() - 1.14).abs() < 1e-12);
    check("shifted-lognormal", Case { dist, cdf, wrong_cdf, moments });
}

#[test]
fn shifted_lognormal_by_median_and_p90() {
    let z90 = SNormal::standard().inverse_cdf(0.9);
    // Median 1.3 and p90 2.0 of the variable; shift -0.5.
    let (cdf, moments) = lognormal_reference(-0.5, 1.8f64.ln(), (2.5f64 / 1.8).ln() / z90);
    let (wrong_cdf, _) = lognormal_reference(-0.5, 1.8f64.ln(), (2.7f64 / 1.8).ln() / z90);
    let dist =
        Dist::shifted_lognormal(-0.5, LognormalSpec::MedianP90 { median: 1.3, p90: 2.0 }).unwrap();
    check("shifted-lognormal-p90", Case { dist, cdf, wrong_cdf, moments });
}

#[test]
fn beta_standard() {
    let (cdf, moments) = scaled_beta(2.0, 5.0, 0.0, 1.0);
    let (wrong_cdf, _) = scaled_beta(2.2, 5.0, 0.0, 1.0);
    check("beta", Case { dist: Dist::beta(2.0, 5.0).unwrap(), cdf, wrong_cdf, moments });
}

#[test]
fn beta_scaled_u_shaped() {
    let (cdf, moments) = scaled_beta(0.7, 1.3, -1.0, 3.0);
    let (wrong_cdf, _) = scaled_beta(0.75, 1.3, -1.0, 3.0);
    check(
        "beta-scaled",
        Case { dist: Dist::beta_scaled(0.7, 1.3, -1.0, 3.0).unwrap(), cdf, wrong_cdf, moments },
    );
}

/// CDF of a piecewise-linear distribution through knots, by a plain scan (written independently
/// of the crate's binary search).
fn knots_cdf(knots: Vec<(f64, f64)>) -> impl Fn(f64) -> f64 {
    move |x| {
        let mut f = 0.0;
        for w in knots.windows(2) {
            let ((x0, f0), (x1, f1)) = (w[0], w[1]);
            if x >= x1 {
                f = f1;
            } else if x > x0 {
                f = f0 + (f1 - f0) * (x - x0) / (x1 - x0);
            }
        }
        if x >= knots[knots.len() - 1].0 { 1.0 } else { f }
    }
}

/// Moments of the same piecewise-linear distribution: uniform on each segment.
fn knots_moments(knots: &[(f64, f64)]) -> (f64, f64) {
    let (mut m1, mut m2) = (0.0, 0.0);
    for w in knots.windows(2) {
        let ((a, f0), (b, f1)) = (w[0], w[1]);
        let p = f1 - f0;
        m1 += p * (a + b) / 2.0;
        m2 += p * (a * a + a * b + b * b) / 3.0;
    }
    (m1, m2 - m1 * m1)
}

#[test]
fn empirical_from_samples_is_type_7() {
    let samples = [3.1, 0.5, 2.2, 2.2, 7.0, 4.4, 1.0];
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let knots: Vec<(f64, f64)> =
        sorted.iter().enumerate().map(|(i, &x)| (x, i as f64 / 6.0)).collect();
    let moments = knots_moments(&knots);
    let mut wrong = knots.clone();
    wrong[6].0 = 7.6;
    let dist = Dist::empirical_samples(&samples).unwrap();
    // Type 7 on (0.5, 1.0, 2.2, 2.2, 3.1, 4.4, 7.0): h = 6 u.
    assert_eq!(dist.quantile(0.5), 2.2);
    assert!((dist.quantile(0.25) - (1.0 + 0.5 * 1.2)).abs() < 1e-15);
    assert!((dist.quantile(0.9) - (4.4 + 0.4 * 2.6)).abs() < 1e-14);
    check(
        "empirical-samples",
        Case {
            dist,
            cdf: Box::new(knots_cdf(knots)),
            wrong_cdf: Box::new(knots_cdf(wrong)),
            moments,
        },
    );
}

#[test]
fn empirical_from_cdf_points_with_a_gap() {
    let knots = vec![(0.0, 0.0), (1.0, 0.2), (3.0, 0.2), (4.0, 0.9), (10.0, 1.0)];
    let moments = knots_moments(&knots);
    let wrong = vec![(0.0, 0.0), (1.0, 0.22), (3.0, 0.22), (4.0, 0.9), (10.0, 1.0)];
    let dist = Dist::empirical_cdf(&knots).unwrap();
    check(
        "empirical-cdf",
        Case {
            dist,
            cdf: Box::new(knots_cdf(knots)),
            wrong_cdf: Box::new(knots_cdf(wrong)),
            moments,
        },
    );
}

/// Chi-square test of draws of a finite distribution against probabilities over `values`.
fn chi_square_of(x: &[f64], values: &[f64], probs: &[f64]) -> f64 {
    let mut counts = vec![0u64; values.len()];
    for v in x {
        let i = values.iter().position(|w| w == v).expect("draw outside the support");
        counts[i] += 1;
    }
    let expected: Vec<f64> = probs.iter().map(|p| p * x.len() as f64).collect();
    chi_square(&counts, &expected)
}

#[test]
fn discrete_passes_chi_square_and_rejects_wrong_weights() {
    let dist = Dist::discrete(&[10.0, 1.0, 5.0, 2.0], &[4.0, 1.0, 3.0, 2.0]).unwrap();
    let x = draws(&dist, "discrete", N);
    let values = [1.0, 2.0, 5.0, 10.0];
    let crit = ChiSquared::new(3.0).unwrap().inverse_cdf(0.999);
    let stat = chi_square_of(&x, &values, &[0.1, 0.2, 0.3, 0.4]);
    assert!(stat < crit, "chi-square {stat} >= {crit}");
    let wrong = chi_square_of(&x, &values, &[0.1, 0.2, 0.31, 0.39]);
    assert!(wrong > crit, "wrong weights not rejected: {wrong}");
    // Moments: mean 0.1 + 0.4 + 1.5 + 4 = 6, variance 48.4 - 36 = 12.4.
    assert!((dist.mean() - 6.0).abs() < 1e-12);
    assert!((dist.variance() - 12.4).abs() < 1e-12);
    let (m, v) = mean_var(&x);
    assert!((m - 6.0).abs() < 5.0 * (12.4 / N as f64).sqrt());
    assert!((v - dist.variance()).abs() < 5.0 * variance_se(&x));
}

#[test]
fn discrete_merges_duplicates_and_drops_zero_weights() {
    let dist = Dist::discrete(&[5.0, 1.0, 5.0, 9.0], &[1.0, 1.0, 2.0, 0.0]).unwrap();
    let Dist::Discrete(d) = &dist else { panic!("not discrete") };
    assert_eq!(d.values(), &[1.0, 5.0]);
    let p: Vec<f64> = d.probabilities().collect();
    assert!((p[0] - 0.25).abs() < 1e-15 && (p[1] - 0.75).abs() < 1e-15);
    assert_eq!(dist.support(), (1.0, 5.0));
    assert_eq!(dist.quantile(0.25), 1.0);
    assert_eq!(dist.quantile(0.2500001), 5.0);
}

#[test]
fn bernoulli_passes_chi_square_and_rejects_wrong_p() {
    let dist = Dist::bernoulli(0.3).unwrap();
    let x = draws(&dist, "bernoulli", N);
    let crit = ChiSquared::new(1.0).unwrap().inverse_cdf(0.999);
    let stat = chi_square_of(&x, &[0.0, 1.0], &[0.7, 0.3]);
    assert!(stat < crit, "chi-square {stat} >= {crit}");
    let wrong = chi_square_of(&x, &[0.0, 1.0], &[0.69, 0.31]);
    assert!(wrong > crit, "wrong p not rejected: {wrong}");
    let (m, _) = mean_var(&x);
    assert!((m - 0.3).abs() < 5.0 * (0.21 / N as f64).sqrt());
    assert_eq!((dist.mean(), dist.variance()), (0.3, 0.3 * 0.7));
    assert_eq!(Dist::bernoulli(0.0).unwrap().quantile(1.0 - 1e-16), 0.0);
    assert_eq!(Dist::bernoulli(1.0).unwrap().quantile(1e-300), 1.0);
}

#[test]
fn fixed_is_constant() {
    let dist = Dist::fixed(3.5).unwrap();
    assert!(draws(&dist, "fixed", 1000).iter().all(|&x| x == 3.5));
    assert_eq!((dist.mean(), dist.variance(), dist.median()), (3.5, 0.0, 3.5));
    assert_eq!((dist.cdf(3.4999), dist.cdf(3.5)), (0.0, 1.0));
}

#[test]
fn stratified_samplers_feed_distributions_correctly() {
    use subsoil_risk::{InputKey, Sampler, SamplerKind, stream_id};
    let dist = Dist::normal(0.0, 1.0).unwrap();
    let right = SNormal::new(0.0, 1.0).unwrap();
    let wrong = SNormal::new(0.0, 1.05).unwrap();
    let key = InputKey::new(stream_id("price"), 3);
    for kind in [SamplerKind::LatinHypercube, SamplerKind::Sobol] {
        let sampler = Sampler::new(kind, 99);
        let x: Vec<f64> = (0..N as u64).map(|p| dist.quantile(sampler.unit(p, key))).collect();
        let crit = ks_critical(N, 0.001);
        let d = ks_statistic(&x, |v| right.cdf(v));
        assert!(d < crit, "{kind}: D = {d}");
        assert!(ks_statistic(&x, |v| wrong.cdf(v)) > crit, "{kind}: wrong sd not rejected");
    }
}
