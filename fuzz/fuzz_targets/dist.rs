//! The distribution constructors with arbitrary parameters: each either refuses with an error that says
//! something, or gives a distribution whose quantiles are ordered, inside its support and not NaN, and
//! whose median, CDF, mean and variance can be asked for without a panic.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use subsoil_risk::{Dist, LognormalSpec};

fn build(u: &mut Unstructured<'_>) -> Result<std::result::Result<Dist, subsoil_risk::DistError>> {
    let kind: u8 = u.int_in_range(0..=16)?;
    let mut f = || -> Result<f64> { u.arbitrary::<f64>() };
    let (a, b, c, d) = (f()?, f()?, f()?, f()?);
    let spec = |k: u8| match k % 3 {
        0 => LognormalSpec::MedianP90 { median: a, p90: b },
        1 => LognormalSpec::MeanSd { mean: a, sd: b },
        _ => LognormalSpec::MedianSigma { median: a, sigma: b },
    };
    Ok(match kind {
        0 => Dist::fixed(a),
        1 => Dist::uniform(a, b),
        2 => Dist::triangular(a, b, c),
        3 => Dist::pert(a, b, c),
        4 => Dist::pert_with_lambda(a, b, c, d),
        5 => Dist::normal(a, b),
        6 => Dist::truncated_normal(a, b, Some(c), Some(d)),
        7 => Dist::truncated_normal(a, b, Some(c), None),
        8 => Dist::truncated_normal(a, b, None, Some(d)),
        9..=11 => Dist::lognormal(spec(kind)),
        12 => Dist::shifted_lognormal(c, spec(u.arbitrary::<u8>()?)),
        13 => Dist::beta(a, b),
        14 => Dist::beta_scaled(a, b, c, d),
        15 => {
            let n = u.int_in_range(0..=6)?;
            let mut values = Vec::new();
            let mut weights = Vec::new();
            for _ in 0..n {
                values.push(u.arbitrary::<f64>()?);
                weights.push(u.arbitrary::<f64>()?);
            }
            if u.arbitrary::<bool>()? {
                Dist::discrete(&values, &weights)
            } else {
                Dist::empirical_samples(&values)
            }
        }
        _ => {
            let n = u.int_in_range(0..=6)?;
            let mut points = Vec::new();
            for _ in 0..n {
                points.push((u.arbitrary::<f64>()?, u.arbitrary::<f64>()?));
            }
            if n == 1 { Dist::bernoulli(points[0].1) } else { Dist::empirical_cdf(&points) }
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(made) = build(&mut u) else { return };
    match made {
        Err(e) => assert!(!e.to_string().trim().is_empty(), "an error that says nothing: {e:?}"),
        Ok(dist) => {
            let (lo, hi) = dist.support();
            assert!(!(lo > hi), "support ({lo}, {hi}) of {dist:?}");
            let mut last = f64::NEG_INFINITY;
            for u in [1e-12, 0.001, 0.1, 0.25, 0.5, 0.75, 0.9, 0.999, 1.0 - 1e-12] {
                let x = dist.quantile(u);
                assert!(!x.is_nan(), "quantile({u}) is NaN for {dist:?}");
                assert!(x >= last, "quantile not ordered at {u}: {x} < {last} for {dist:?}");
                assert!(
                    x >= lo && x <= hi,
                    "quantile({u}) = {x} outside ({lo}, {hi}) for {dist:?}"
                );
                last = x;
                let _ = dist.cdf(x);
            }
            assert!(!dist.median().is_nan(), "median is NaN for {dist:?}");
            let _ = (dist.mean(), dist.variance(), dist.kind());
        }
    }
});
