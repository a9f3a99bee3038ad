//! `cdf(quantile(u)) = u` over a grid of `u` from 1e-12 to 1 - 1e-12, for every continuous
//! distribution; the generalised-inverse property for discrete ones; monotone quantiles; medians.
//!
//! Tolerance: a relative 1e-9 in the smaller tail (`u` or `1 - u`), unless the exact answer lies
//! between two adjacent floats, in which case `u` must lie between the CDF at those two floats
//! (where the quantile is steep relative to the spacing of f64 near it, no better is possible).

use subsoil_risk::{Dist, LognormalSpec};

const GRID: &[f64] = &[
    1e-12,
    1e-9,
    1e-6,
    1e-3,
    0.01,
    0.1,
    0.25,
    0.5,
    0.75,
    0.9,
    0.99,
    0.999,
    1.0 - 1e-6,
    1.0 - 1e-9,
    1.0 - 1e-12,
];

fn continuous() -> Vec<(&'static str, Dist)> {
    vec![
        ("uniform", Dist::uniform(2.0, 5.0).unwrap()),
        ("triangular", Dist::triangular(1.0, 2.0, 6.0).unwrap()),
        ("triangular-left", Dist::triangular(1.0, 1.0, 6.0).unwrap()),
        ("pert", Dist::pert(10.0, 12.0, 20.0).unwrap()),
        ("pert-lambda", Dist::pert_with_lambda(0.0, 0.7, 1.0, 8.0).unwrap()),
        ("normal", Dist::normal(100.0, 15.0).unwrap()),
        ("truncated", Dist::truncated_normal(0.0, 1.0, Some(-0.5), Some(2.0)).unwrap()),
        ("truncated-far", Dist::truncated_normal(0.0, 1.0, Some(4.0), None).unwrap()),
        ("truncated-left-tail", Dist::truncated_normal(0.0, 1.0, None, Some(-6.0)).unwrap()),
        ("lognormal", Dist::lognormal_median_p90(12_000.0, 18_000.0).unwrap()),
        ("lognormal-wide", Dist::lognormal_median_sigma(1.0, 2.5).unwrap()),
        (
            "shifted-lognormal",
            Dist::shifted_lognormal(0.6, LognormalSpec::MeanSd { mean: 1.14, sd: 0.3 }).unwrap(),
        ),
        ("beta", Dist::beta(2.0, 5.0).unwrap()),
        ("beta-u", Dist::beta_scaled(0.3, 0.4, -1.0, 3.0).unwrap()),
        ("beta-large", Dist::beta(400.0, 900.0).unwrap()),
        ("empirical", Dist::empirical_samples(&[3.1, 0.5, 2.2, 2.9, 7.0, 4.4, 1.0]).unwrap()),
        (
            "empirical-cdf",
            Dist::empirical_cdf(&[(0.0, 0.0), (1.0, 0.2), (4.0, 0.9), (10.0, 1.0)]).unwrap(),
        ),
    ]
}

/// True if `cdf(x) = u` to the stated tolerance, or `u` is bracketed by the neighbouring floats.
fn inverts(dist: &Dist, x: f64, u: f64) -> bool {
    let f = dist.cdf(x);
    let rel = if u < 0.5 { (f - u).abs() / u } else { ((1.0 - f) - (1.0 - u)).abs() / (1.0 - u) };
    let slack = 1e-9 * u.min(1.0 - u);
    rel < 1e-9 || (dist.cdf(x.next_down()) - slack <= u && u <= dist.cdf(x.next_up()) + slack)
}

#[test]
fn cdf_inverts_quantile_on_the_grid() {
    for (name, dist) in continuous() {
        for &u in GRID {
            let x = dist.quantile(u);
            assert!(x.is_finite(), "{name}: quantile({u}) = {x}");
            assert!(inverts(&dist, x, u), "{name}: u = {u}, x = {x}, cdf(x) = {}", dist.cdf(x));
        }
    }
}

#[test]
fn quantiles_are_monotone_and_inside_the_support() {
    for (name, dist) in continuous() {
        let (lo, hi) = dist.support();
        let mut previous = f64::NEG_INFINITY;
        for &u in GRID {
            let x = dist.quantile(u);
            assert!(x >= previous, "{name}: quantile decreases at u = {u}");
            assert!(lo <= x && x <= hi, "{name}: quantile({u}) = {x} outside [{lo}, {hi}]");
            previous = x;
        }
    }
}

#[test]
fn median_is_the_half_quantile() {
    for (name, dist) in continuous() {
        let m = dist.median();
        assert!((dist.cdf(m) - 0.5).abs() < 1e-9, "{name}: cdf(median) = {}", dist.cdf(m));
    }
    let normal = Dist::normal(3.0, 2.0).unwrap();
    assert_eq!(normal.median(), 3.0);
    let lognormal = Dist::lognormal_median_p90(12_000.0, 18_000.0).unwrap();
    assert!((lognormal.median() - 12_000.0).abs() < 1e-9);
    let p90 = lognormal.quantile(0.9);
    assert!((p90 - 18_000.0).abs() < 1e-8, "p90 = {p90}");
}

#[test]
fn discrete_quantile_is_the_generalised_inverse() {
    let dists = [
        Dist::discrete(&[10.0, 1.0, 5.0, 2.0], &[4.0, 1.0, 3.0, 2.0]).unwrap(),
        Dist::bernoulli(0.3).unwrap(),
        Dist::fixed(-2.0).unwrap(),
    ];
    for dist in &dists {
        for &u in GRID.iter().chain(&[0.1, 0.3, 0.6, 0.7]) {
            let x = dist.quantile(u);
            assert!(dist.cdf(x) >= u, "{}: cdf(quantile({u})) < u", dist.kind());
            assert!(dist.cdf(x.next_down()) < u, "{}: quantile({u}) not the smallest", dist.kind());
        }
    }
}

#[test]
fn out_of_range_uniforms_give_support_ends_without_panicking() {
    for (name, dist) in continuous() {
        let (lo, hi) = dist.support();
        assert_eq!(dist.quantile(0.0), lo, "{name}");
        assert_eq!(dist.quantile(1.0), hi, "{name}");
        assert_eq!(dist.quantile(-3.0), lo, "{name}");
        assert_eq!(dist.quantile(7.0), hi, "{name}");
        let _ = dist.quantile(f64::NAN);
        assert_eq!(dist.cdf(f64::NEG_INFINITY), 0.0, "{name}");
        assert_eq!(dist.cdf(f64::INFINITY), 1.0, "{name}");
    }
}
