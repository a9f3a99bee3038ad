//! Throughput of the hot-path operations, printed as millions per second and as a multiple of a
//! baseline loop measured in the same run (so numbers from different machines compare).
//!
//! Run with `cargo bench -p subsoil-risk`. A plain `harness = false` main keeps the dependency
//! footprint at zero; each measurement takes the best of five repetitions.

use std::hint::black_box;
use std::time::Instant;

use subsoil_risk::{
    Copula, Dist, InputKey, LognormalSpec, Sampler, SamplerKind, stream_id, uniform,
};

/// Calls per repetition.
const N: u64 = 2_000_000;

/// Best time per call, in nanoseconds, over five repetitions of `N` calls.
fn time(mut f: impl FnMut(u64) -> f64) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let start = Instant::now();
        let mut acc = 0.0;
        for i in 0..N {
            acc += f(black_box(i));
        }
        black_box(acc);
        best = best.min(start.elapsed().as_secs_f64() * 1e9 / N as f64);
    }
    best
}

fn main() {
    // Baseline: one SplitMix64 step converted to a float, about the cheapest possible uniform.
    let baseline = time(|i| {
        let mut z = i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        (z >> 11) as f64
    });
    let s = stream_id("bench");
    let key = InputKey::new(s, 3);
    let lhs = Sampler::new(SamplerKind::LatinHypercube, 1);
    let sobol = Sampler::new(SamplerKind::Sobol, 1);
    let normal = Dist::normal(0.0, 1.0).unwrap();
    let lognormal = Dist::lognormal_median_p90(100.0, 150.0).unwrap();
    let shifted =
        Dist::shifted_lognormal(0.6, LognormalSpec::MeanSd { mean: 1.14, sd: 0.3 }).unwrap();
    let triangular = Dist::triangular(1.0, 2.0, 6.0).unwrap();
    let pert = Dist::pert(10.0, 12.0, 20.0).unwrap();
    let beta = Dist::beta(2.0, 5.0).unwrap();
    let truncated = Dist::truncated_normal(0.0, 1.0, Some(-0.5), Some(2.0)).unwrap();
    let discrete = Dist::discrete(&[1.0, 2.0, 5.0, 10.0], &[1.0, 2.0, 3.0, 4.0]).unwrap();
    let copula = Copula::new(3, &[(0, 1, 0.5), (1, 2, -0.3)]).unwrap();

    let rows: Vec<(&str, f64)> = vec![
        ("uniform", time(|i| uniform(1, i, s, 0))),
        ("Sampler::unit latin hypercube", time(|i| lhs.unit(i, key))),
        ("Sampler::unit sobol", time(|i| sobol.unit(i, key))),
        ("normal quantile", time(|i| normal.quantile(uniform(1, i, s, 0)))),
        ("lognormal quantile", time(|i| lognormal.quantile(uniform(1, i, s, 0)))),
        ("shifted lognormal quantile", time(|i| shifted.quantile(uniform(1, i, s, 0)))),
        ("triangular quantile", time(|i| triangular.quantile(uniform(1, i, s, 0)))),
        ("truncated normal quantile", time(|i| truncated.quantile(uniform(1, i, s, 0)))),
        ("discrete quantile (4 values)", time(|i| discrete.quantile(uniform(1, i, s, 0)))),
        ("beta(2, 5) quantile", time(|i| beta.quantile(uniform(1, i, s, 0)))),
        ("pert quantile", time(|i| pert.quantile(uniform(1, i, s, 0)))),
        (
            "copula apply (3 inputs)",
            time(|i| {
                let mut u = [uniform(1, i, s, 0), uniform(1, i, s, 1), uniform(1, i, s, 2)];
                copula.apply(&mut u);
                u[0] + u[1] + u[2]
            }),
        ),
    ];
    println!("baseline (SplitMix64 step): {baseline:.2} ns/call, {:.0} M/s", 1e3 / baseline);
    println!("{:<32} {:>10} {:>10} {:>12}", "operation", "ns/call", "M/s", "x baseline");
    for (name, ns) in rows {
        println!("{name:<32} {ns:>10.2} {:>10.1} {:>12.1}", 1e3 / ns, ns / baseline);
    }
}
