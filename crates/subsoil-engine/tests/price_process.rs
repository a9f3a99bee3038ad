//! The simulated price process against its analytic law. With `x = ln(real price)`, `κ = ln 2 / half-life`,
//! `μ = ln(long-run level)`: `E[x_n] = μ + (x_0 − μ)·e^(−κn)` and `Var[x_n] = σ²(1 − e^(−2κn)) / (2κ)`.
//!
//! Tolerance: 3 standard errors of the estimate (the standard error of a sample variance is taken as
//! `Var·√(2/(N−1))`, exact for normal samples, which these are). The seed is fixed, so the test gives the
//! same answer on every run; 3 SE was chosen so that a correct process fails with a probability of about
//! 0.3% per comparison for a random seed, while a wrong drift or variance of a few percent is caught.

use subsoil_core::{PathOutcome, Workspace, simulate};
use subsoil_engine::{PathRandomness, SamplerKind, ScalarDraws};
use subsoil_risk::Sampler;

const PATHS: u64 = 20_000;
const SEED: u64 = 3;

#[test]
fn log_price_mean_and_variance_match_the_ou_law_at_1_5_and_20_years() {
    let sets: Vec<String> = [
        "time.horizon-years=21",
        "products.ore.price=150",
        "products.ore.long-run=100",
        "products.ore.volatility=0.3",
        "products.ore.half-life=4",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/worked-example/scenario.toml");
    let s = subsoil_scenario::load(path, &sets).unwrap_or_else(|e| panic!("{}", e.render()));
    let draws =
        ScalarDraws::new(&s.inputs, Sampler::new(SamplerKind::Random, SEED), &[]).expect("draws");
    let mut scratch = draws.scratch();
    let mut ws = Workspace::new(&s.model);
    let mut out = PathOutcome::new(&s.model, false);
    let years = [1usize, 5, 20];
    let mut sum = [0.0; 3];
    let mut sum2 = [0.0; 3];
    for p in 0..PATHS {
        draws.fill(p, &mut scratch);
        simulate(
            &s.model,
            &PathRandomness { seed: SEED, path: p, scalars: scratch.values() },
            &mut ws,
            &mut out,
        );
        let prices = out.price_series(0);
        for (i, &n) in years.iter().enumerate() {
            let x = prices[n].ln();
            sum[i] += x;
            sum2[i] += x * x;
        }
    }
    let kappa = std::f64::consts::LN_2 / 4.0;
    let (mu, x0, sigma) = (100f64.ln(), 150f64.ln(), 0.3);
    let n = PATHS as f64;
    for (i, &yrs) in years.iter().enumerate() {
        let mean_true = mu + (x0 - mu) * (-kappa * yrs as f64).exp();
        let var_true = sigma * sigma * (1.0 - (-2.0 * kappa * yrs as f64).exp()) / (2.0 * kappa);
        let mean = sum[i] / n;
        let var = (sum2[i] - n * mean * mean) / (n - 1.0);
        let se_mean = (var_true / n).sqrt();
        let se_var = var_true * (2.0 / (n - 1.0)).sqrt();
        assert!(
            (mean - mean_true).abs() < 3.0 * se_mean,
            "year {yrs}: mean {mean} vs {mean_true} (se {se_mean})"
        );
        assert!(
            (var - var_true).abs() < 3.0 * se_var,
            "year {yrs}: variance {var} vs {var_true} (se {se_var})"
        );
    }
}
