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

/// Passes a path's randomness through and records every normal asked for.
struct Recorder<'a> {
    inner: PathRandomness<'a>,
    normals: std::cell::RefCell<Vec<(u64, u32)>>,
}

impl subsoil_core::Randomness for Recorder<'_> {
    fn scalar(&self, slot: u32) -> f64 {
        self.inner.scalar(slot)
    }
    fn uniform(&self, stream: u64, k: u32) -> f64 {
        self.inner.uniform(stream, k)
    }
    fn normal(&self, stream: u64, k: u32) -> f64 {
        self.normals.borrow_mut().push((stream, k));
        self.inner.normal(stream, k)
    }
}

/// The markets draw a path's price shocks when it starts (`Market::start`), not year by year: that
/// gives the same prices only because every year after the first steps every product's price with the
/// normal of its shock stream for that year, and the random-number floor stays the same count only if
/// nothing else is drawn. On the built-in scenario (many products, correlated shocks, a dominant
/// producer), each path asks for exactly the normals `(shock stream of k, t)` for every product
/// `k` and year index `t` from 1 to the horizon's last, once each; and its prices are those of the same
/// path run again (the pre-drawn shocks do not leak from one path into the next).
#[test]
fn a_path_draws_each_products_price_shock_once_for_every_year_after_the_first() {
    let s = subsoil_scenario::load("ukraine-final-2025", &[])
        .unwrap_or_else(|e| panic!("{}", e.render()));
    let m = &s.model;
    let draws =
        ScalarDraws::new(&s.inputs, Sampler::new(SamplerKind::Random, SEED), &s.rank_correlations)
            .expect("draws");
    let mut scratch = draws.scratch();
    let mut ws = Workspace::new(m);
    let mut out = PathOutcome::new(m, false);
    let h = m.time.horizon;
    let mut expected: Vec<(u64, u32)> =
        m.products.iter().flat_map(|p| (1..h).map(move |t| (p.shock_stream, t))).collect();
    expected.sort_unstable();
    assert!(m.products.len() > 1 && h > 2);
    let shock_streams: Vec<u64> = m.products.iter().map(|p| p.shock_stream).collect();
    let mut first_prices = Vec::new();
    for p in [0u64, 1, 2, 0] {
        draws.fill(p, &mut scratch);
        let inner = PathRandomness { seed: SEED, path: p, scalars: scratch.values() };
        let r = Recorder { inner, normals: Default::default() };
        simulate(m, &r, &mut ws, &mut out);
        let mut got: Vec<(u64, u32)> =
            r.normals.into_inner().into_iter().filter(|(s, _)| shock_streams.contains(s)).collect();
        got.sort_unstable();
        assert_eq!(got, expected, "path {p}");
        if p == 0 {
            if first_prices.is_empty() {
                first_prices = out.price_real.clone();
            } else {
                assert_eq!(out.price_real, first_prices, "path 0 run again after paths 1 and 2");
            }
        }
    }
}

/// Each year's log price is the exact OU step from last year's with the correlated shock ε = L·z of
/// that year's independent normals z (one per product's shock stream), L the model's Cholesky factor
/// of the price shocks, ε_k summed over j = 0..=k from +0 (zeros of L left out): computed here from
/// that definition, year by year, for every product of the built-in scenario (correlated products),
/// bit for bit against the markets, which correlate a path's shocks when it starts. A step past the
/// years drawn at the start (the markets draw it then) follows the same definition.
#[test]
fn each_years_log_price_steps_with_that_years_correlated_shocks() {
    let s = subsoil_scenario::load("ukraine-final-2025", &[])
        .unwrap_or_else(|e| panic!("{}", e.render()));
    let m = &s.model;
    let n = m.products.len();
    assert!(
        (0..n).any(|k| (0..k).any(|j| m.price_cholesky[k * n + j] != 0.0)),
        "the scenario has correlated price shocks"
    );
    let draws =
        ScalarDraws::new(&s.inputs, Sampler::new(SamplerKind::Random, SEED), &s.rank_correlations)
            .expect("draws");
    let mut scratch = draws.scratch();
    let h = m.time.horizon;
    let mut market = subsoil_core::prices::Market::new(n);
    for path in [0u64, 5] {
        draws.fill(path, &mut scratch);
        let r = PathRandomness { seed: SEED, path, scalars: scratch.values() };
        market.start(m, &r);
        let mut want = market.log_price.clone();
        // Two steps past the horizon: years the start did not draw.
        for t in 1..h + 2 {
            let z: Vec<f64> = m
                .products
                .iter()
                .map(|p| subsoil_core::Randomness::normal(&r, p.shock_stream, t))
                .collect();
            for (k, w) in want.iter_mut().enumerate() {
                let mut e = 0.0;
                for (j, zj) in z.iter().enumerate().take(k + 1) {
                    let l = m.price_cholesky[k * n + j];
                    if l != 0.0 {
                        e += l * zj;
                    }
                }
                let ou = market.ou[k];
                *w = ou.mu + (*w - ou.mu) * ou.decay + ou.shock_sd * e;
            }
            market.step_prices(m, &r, t);
            for (k, (got, w)) in market.log_price.iter().zip(&want).enumerate() {
                assert_eq!(
                    got.to_bits(),
                    w.to_bits(),
                    "path {path} year index {t} product {k}: {got} vs {w}"
                );
            }
        }
    }
}
