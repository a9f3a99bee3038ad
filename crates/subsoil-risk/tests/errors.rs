//! Every invalid parameter gives the matching error, whose message names the parameter and what
//! was expected; no constructor panics on any input, and every successfully built distribution
//! samples without panicking.

use subsoil_risk::{
    Copula, CopulaError, Dist, DistError, LognormalSpec, Sampler, SamplerError, SamplerKind,
};

/// Asserts that `result` is an error equal to `expected` whose message contains each of `words`.
#[track_caller]
fn assert_err(result: Result<Dist, DistError>, expected: DistError, words: &[&str]) {
    let err = result.expect_err("expected an error");
    let message = err.to_string();
    // NaN never equals itself, so compare NaN-carrying errors by their message.
    assert!(err == expected || message == expected.to_string(), "{err:?} != {expected:?}");
    for w in words {
        assert!(message.contains(w), "message {message:?} lacks {w:?}");
    }
}

fn not_positive(dist: &'static str, param: &'static str, value: f64) -> DistError {
    DistError::NotPositive { dist, param, value }
}

fn not_finite(dist: &'static str, param: &'static str, value: f64) -> DistError {
    DistError::NotFinite { dist, param, value }
}

fn not_less(
    dist: &'static str,
    lower: (&'static str, f64),
    upper: (&'static str, f64),
) -> DistError {
    DistError::NotLess {
        dist,
        lower: lower.0,
        lower_value: lower.1,
        upper: upper.0,
        upper_value: upper.1,
    }
}

#[test]
fn fixed_and_uniform() {
    assert_err(Dist::fixed(f64::NAN), not_finite("fixed", "value", f64::NAN), &["value = NaN"]);
    assert_err(
        Dist::uniform(3.0, 1.0),
        not_less("uniform", ("min", 3.0), ("max", 1.0)),
        &["min = 3", "max = 1", "expected min < max"],
    );
    assert_err(Dist::uniform(1.0, 1.0), not_less("uniform", ("min", 1.0), ("max", 1.0)), &[]);
    assert_err(Dist::uniform(f64::NAN, 1.0), not_finite("uniform", "min", f64::NAN), &["min"]);
    assert_err(
        Dist::uniform(0.0, f64::INFINITY),
        not_finite("uniform", "max", f64::INFINITY),
        &["max = inf", "finite"],
    );
    assert_err(
        Dist::uniform(-1e308, 1e308),
        not_finite("uniform", "max - min", f64::INFINITY),
        &["max - min"],
    );
}

#[test]
fn triangular_and_pert() {
    // Found by fuzzing (fuzz/regressions/dist/triangular-huge-width): the quantile's product of two
    // distances overflowed to a NaN.
    assert_err(
        Dist::triangular(-4.8627022233869215e297, -2.7656543118093693e283, 0.0),
        DistError::TooLarge {
            dist: "triangular",
            param: "max - min",
            value: 4.8627022233869215e297,
            max: 1e150,
        },
        &["max - min"],
    );

    assert_err(
        Dist::triangular(0.0, 5.0, 4.0),
        DistError::OutOfRange { dist: "triangular", param: "mode", value: 5.0, min: 0.0, max: 4.0 },
        &["mode = 5", "[0, 4]"],
    );
    assert_err(
        Dist::triangular(0.0, f64::NAN, 1.0),
        not_finite("triangular", "mode", f64::NAN),
        &["mode"],
    );
    assert_err(
        Dist::triangular(2.0, 2.0, 2.0),
        not_less("triangular", ("min", 2.0), ("max", 2.0)),
        &[],
    );
    assert_err(
        Dist::pert_with_lambda(0.0, 1.0, 2.0, 0.0),
        not_positive("pert", "lambda", 0.0),
        &["lambda = 0", "> 0"],
    );
    assert_err(
        Dist::pert_with_lambda(0.0, 1.0, 2.0, f64::NAN),
        not_positive("pert", "lambda", f64::NAN),
        &["lambda"],
    );
    assert_err(
        Dist::pert_with_lambda(0.0, 1.0, 2.0, 1e5),
        DistError::TooLarge { dist: "pert", param: "lambda", value: 1e5, max: 1e4 },
        &["lambda = 100000"],
    );
    assert_err(
        Dist::pert(0.0, -1.0, 2.0),
        DistError::OutOfRange { dist: "pert", param: "mode", value: -1.0, min: 0.0, max: 2.0 },
        &["pert", "mode"],
    );
}

#[test]
fn normal_and_truncated_normal() {
    assert_err(Dist::normal(0.0, 0.0), not_positive("normal", "sd", 0.0), &["sd = 0", "> 0"]);
    assert_err(Dist::normal(0.0, -2.0), not_positive("normal", "sd", -2.0), &["sd = -2"]);
    assert_err(Dist::normal(0.0, f64::NAN), not_positive("normal", "sd", f64::NAN), &["sd"]);
    assert_err(Dist::normal(f64::NAN, 1.0), not_finite("normal", "mean", f64::NAN), &["mean"]);
    let tn = "truncated normal";
    assert_err(
        Dist::truncated_normal(0.0, 1.0, Some(2.0), Some(1.0)),
        not_less(tn, ("lo", 2.0), ("hi", 1.0)),
        &["lo = 2", "hi = 1"],
    );
    assert_err(
        Dist::truncated_normal(0.0, 1.0, Some(f64::NAN), None),
        not_finite(tn, "lo", f64::NAN),
        &["lo"],
    );
    assert_err(
        Dist::truncated_normal(0.0, 1.0, Some(40.0), Some(50.0)),
        DistError::NoMass { dist: tn, lo: 40.0, hi: 50.0 },
        &["[40, 50]", "no probability"],
    );
    assert_err(Dist::truncated_normal(0.0, -1.0, None, None), not_positive(tn, "sd", -1.0), &[]);
}

#[test]
fn lognormal_parametrisations() {
    assert_err(
        Dist::lognormal_median_p90(10.0, 10.0),
        not_less("lognormal", ("median", 10.0), ("p90", 10.0)),
        &["median = 10", "p90 = 10", "expected median < p90"],
    );
    assert_err(
        Dist::lognormal_median_p90(10.0, 5.0),
        not_less("lognormal", ("median", 10.0), ("p90", 5.0)),
        &[],
    );
    assert_err(
        Dist::lognormal_median_p90(0.0, 5.0),
        not_positive("lognormal", "median", 0.0),
        &["median = 0"],
    );
    assert_err(
        Dist::lognormal_mean_sd(-1.0, 5.0),
        not_positive("lognormal", "mean", -1.0),
        &["mean = -1"],
    );
    assert_err(Dist::lognormal_mean_sd(1.0, 0.0), not_positive("lognormal", "sd", 0.0), &["sd"]);
    assert_err(
        Dist::lognormal_median_sigma(1.0, -0.1),
        not_positive("lognormal", "sigma", -0.1),
        &["sigma"],
    );
    let sl = "shifted lognormal";
    assert_err(
        Dist::shifted_lognormal(1.0, LognormalSpec::MeanSd { mean: 0.9, sd: 0.1 }),
        not_less(sl, ("shift", 1.0), ("mean", 0.9)),
        &["shift = 1", "mean = 0.9", "expected shift < mean"],
    );
    assert_err(
        Dist::shifted_lognormal(f64::NAN, LognormalSpec::MedianSigma { median: 1.0, sigma: 0.1 }),
        not_finite(sl, "shift", f64::NAN),
        &["shift"],
    );
    assert_err(
        Dist::shifted_lognormal(0.5, LognormalSpec::MedianP90 { median: 0.5, p90: 2.0 }),
        not_less(sl, ("shift", 0.5), ("median", 0.5)),
        &[],
    );
}

#[test]
fn beta() {
    assert_err(Dist::beta(0.0, 1.0), not_positive("beta", "alpha", 0.0), &["alpha = 0"]);
    assert_err(Dist::beta(1.0, -1.0), not_positive("beta", "beta", -1.0), &["beta = -1"]);
    assert_err(
        Dist::beta(f64::INFINITY, 1.0),
        not_positive("beta", "alpha", f64::INFINITY),
        &["alpha = inf"],
    );
    assert_err(
        Dist::beta(2.0, 2e5),
        DistError::TooLarge { dist: "beta", param: "beta", value: 2e5, max: 1e5 },
        &["beta = 200000", "<= 100000"],
    );
    // Found by fuzzing (fuzz/regressions/dist-beta-subnormal-shapes): shapes near the smallest doubles
    // gave NaN quantiles.
    assert_err(
        Dist::beta(2.0556834225e-314, 2.0722615e-317),
        DistError::OutOfRange {
            dist: "beta",
            param: "alpha",
            value: 2.0556834225e-314,
            min: 1e-3,
            max: 1e5,
        },
        &["alpha = ", "0.001"],
    );
    assert!(Dist::beta(1e-3, 1e-3).is_ok_and(|d| !d.quantile(1e-12).is_nan()));
    assert_err(
        Dist::beta_scaled(2.0, 2.0, 1.0, 1.0),
        not_less("beta", ("lo", 1.0), ("hi", 1.0)),
        &["lo = 1", "hi = 1"],
    );
}

#[test]
fn discrete_and_bernoulli() {
    let d = "discrete";
    assert_err(
        Dist::discrete(&[1.0, 2.0], &[1.0]),
        DistError::LengthMismatch { dist: d, values: 2, weights: 1 },
        &["2 values but 1 weights"],
    );
    assert_err(
        Dist::discrete(&[], &[]),
        DistError::TooFew { dist: d, param: "values", got: 0, need: 1 },
        &["at least 1"],
    );
    assert_err(
        Dist::discrete(&[1.0, 2.0], &[1.0, -0.5]),
        DistError::NegativeWeight { index: 1, value: -0.5 },
        &["weights[1] = -0.5", ">= 0"],
    );
    assert_err(
        Dist::discrete(&[1.0, 2.0], &[0.0, 0.0]),
        DistError::ZeroTotalWeight,
        &["all weights"],
    );
    assert_err(
        Dist::discrete(&[1.0, f64::NAN], &[1.0, 1.0]),
        DistError::ElementNotFinite { dist: d, param: "values", index: 1, value: f64::NAN },
        &["values[1]"],
    );
    assert_err(
        Dist::discrete(&[1.0, 2.0], &[f64::INFINITY, 1.0]),
        DistError::ElementNotFinite { dist: d, param: "weights", index: 0, value: f64::INFINITY },
        &["weights[0] = inf"],
    );
    assert_err(Dist::discrete(&[1.0, 2.0], &[f64::MAX, f64::MAX]), DistError::ZeroTotalWeight, &[]);
    assert_err(
        Dist::bernoulli(1.5),
        DistError::OutOfRange { dist: "bernoulli", param: "p", value: 1.5, min: 0.0, max: 1.0 },
        &["p = 1.5", "[0, 1]"],
    );
    assert!(Dist::bernoulli(f64::NAN).is_err());
}

#[test]
fn empirical() {
    let e = "empirical";
    assert_err(
        Dist::empirical_samples(&[1.0]),
        DistError::TooFew { dist: e, param: "samples", got: 1, need: 2 },
        &["samples has 1 entries", "at least 2"],
    );
    assert_err(
        Dist::empirical_samples(&[1.0, f64::NAN, 2.0]),
        DistError::ElementNotFinite { dist: e, param: "samples", index: 1, value: f64::NAN },
        &["samples[1]"],
    );
    assert_err(
        Dist::empirical_cdf(&[(0.0, 0.0), (0.0, 1.0)]),
        DistError::NotIncreasing {
            dist: e,
            param: "x",
            index: 1,
            previous: 0.0,
            value: 0.0,
            ties_allowed: false,
        },
        &["x[1] = 0 after x[0] = 0", "strictly increasing"],
    );
    assert_err(
        Dist::empirical_cdf(&[(0.0, 0.0), (1.0, 0.6), (2.0, 0.5), (3.0, 1.0)]),
        DistError::NotIncreasing {
            dist: e,
            param: "F",
            index: 2,
            previous: 0.6,
            value: 0.5,
            ties_allowed: true,
        },
        &["F[2] = 0.5", "non-decreasing"],
    );
    assert_err(
        Dist::empirical_cdf(&[(0.0, 0.1), (1.0, 1.0)]),
        DistError::CdfEnd { which: "first", value: 0.1, expected: 0.0 },
        &["first CDF point has F = 0.1", "expected F = 0"],
    );
    assert_err(
        Dist::empirical_cdf(&[(0.0, 0.0), (1.0, 0.99)]),
        DistError::CdfEnd { which: "last", value: 0.99, expected: 1.0 },
        &["last"],
    );
    assert_err(
        Dist::empirical_cdf(&[(0.0, 0.0), (f64::INFINITY, 1.0)]),
        DistError::ElementNotFinite { dist: e, param: "x", index: 1, value: f64::INFINITY },
        &["x[1] = inf"],
    );
}

#[test]
fn sampler_errors() {
    assert_eq!(
        Sampler::with_block_size(SamplerKind::Random, 1, 0),
        Err(SamplerError::ZeroBlockSize)
    );
    for bad in [1000, 1 << 17, 3] {
        let err = Sampler::with_block_size(SamplerKind::Sobol, 1, bad).unwrap_err();
        assert_eq!(err, SamplerError::SobolBlockSize { block_size: bad });
        assert!(err.to_string().contains("power of two"));
    }
    assert!(Sampler::with_block_size(SamplerKind::LatinHypercube, 1, 1000).is_ok());
    assert!(Sampler::with_block_size(SamplerKind::Sobol, 1, 1 << 16).is_ok());
}

#[test]
fn copula_errors() {
    assert_eq!(
        Copula::new(2, &[(0, 2, 0.5)]).unwrap_err(),
        CopulaError::IndexOutOfRange { pair: 0, index: 2, n: 2 }
    );
    assert_eq!(
        Copula::new(2, &[(1, 1, 0.5)]).unwrap_err(),
        CopulaError::SelfPair { pair: 0, index: 1 }
    );
    let err = Copula::new(3, &[(0, 1, 0.2), (1, 2, 1.5)]).unwrap_err();
    assert_eq!(err, CopulaError::OutOfRange { pair: 1, value: 1.5 });
    assert!(err.to_string().contains("pair 1") && err.to_string().contains("[-1, 1]"));
    assert!(matches!(
        Copula::new(2, &[(0, 1, f64::NAN)]).unwrap_err(),
        CopulaError::OutOfRange { pair: 0, .. }
    ));
    assert_eq!(
        Copula::new(2, &[(0, 1, 0.5), (1, 0, 0.4)]).unwrap_err(),
        CopulaError::Conflict { pair: 1, i: 1, j: 0, first: 0.5, second: 0.4 }
    );
    // The same correlation given twice (in either order) is accepted.
    assert!(Copula::new(2, &[(0, 1, 0.5), (1, 0, 0.5)]).is_ok());
}

/// Awkward values for every parameter position.
const ODD: &[f64] = &[
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    0.0,
    -0.0,
    f64::MIN_POSITIVE,
    5e-324,
    1e-300,
    -1.0,
    0.5,
    1.0,
    2.0,
    1e300,
    f64::MAX,
    -f64::MAX,
];

/// Samples a built distribution over awkward uniforms; none of it may panic.
fn exercise(dist: &Dist) {
    for u in [f64::NAN, -1.0, 0.0, 5e-324, 1e-300, 1e-12, 0.5, 1.0 - 1e-16, 1.0, 2.0] {
        let x = dist.quantile(u);
        let _ = dist.cdf(x);
    }
    let _ = (dist.mean(), dist.variance(), dist.median(), dist.support());
}

#[test]
fn constructors_never_panic_and_built_distributions_sample() {
    let mut built = 0;
    for &a in ODD {
        for &b in ODD {
            let mut results = vec![
                Dist::uniform(a, b),
                Dist::normal(a, b),
                Dist::truncated_normal(0.0, 1.0, Some(a), Some(b)),
                Dist::truncated_normal(a, b, Some(0.0), None),
                Dist::lognormal_median_p90(a, b),
                Dist::lognormal_mean_sd(a, b),
                Dist::lognormal_median_sigma(a, b),
                Dist::shifted_lognormal(a, LognormalSpec::MeanSd { mean: b, sd: 1.0 }),
                Dist::beta(a, b),
                Dist::beta_scaled(2.0, 3.0, a, b),
                Dist::discrete(&[a, b], &[b, a]),
                Dist::empirical_samples(&[a, b]),
                Dist::empirical_cdf(&[(a, 0.0), (b, 1.0)]),
                Dist::bernoulli(a),
                Dist::fixed(a),
            ];
            for &c in ODD {
                results.push(Dist::triangular(a, b, c));
                results.push(Dist::pert_with_lambda(a, b, c, 4.0));
                results.push(Dist::pert_with_lambda(0.0, 0.5, 1.0, c));
            }
            for r in results {
                match r {
                    Ok(dist) => {
                        built += 1;
                        exercise(&dist);
                    }
                    Err(e) => assert!(!e.to_string().is_empty()),
                }
            }
        }
    }
    assert!(built > 100, "only {built} distributions built");
}

#[test]
fn huge_and_tiny_values_are_written_compactly() {
    assert_err(
        Dist::pert_with_lambda(0.1, 0.2, 0.3, 1e300),
        DistError::TooLarge { dist: "pert", param: "lambda", value: 1e300, max: 1e4 },
        &["lambda = 1e300 is invalid", "<= 10000"],
    );
    let message =
        DistError::NotPositive { dist: "normal", param: "sd", value: -1e-320 }.to_string();
    assert!(message.contains("sd = -1e-320 is invalid"), "{message}");
    let message = DistError::NotPositive { dist: "normal", param: "sd", value: -0.25 }.to_string();
    assert!(message.contains("sd = -0.25 is invalid"), "{message}");
}
