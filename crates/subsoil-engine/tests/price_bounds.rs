//! Long-run price spreads against the bounds the data file states.
//!
//! Every product of the built-in Ukrainian case carries `long-run-p95-p5-max` in data/products.toml: the
//! widest spread of its real price that its history supports (for the products with a long real series,
//! the highest over the lowest real annual average; docs/data.md, "Long-run prices"). This test runs the
//! final agreement's Monte Carlo paths at a stated seed and number of paths, takes each product's real
//! price as sold (episodes and decks included) in the horizon's last year, 49 years after the start, when
//! the start price has long stopped mattering, and checks that its P95 over its P5 stays within the bound.
//!
//! Monte Carlo error: with n paths the k-th smallest of the prices estimates the quantile q = k / n with
//! a rank error of √(n q (1 − q)) paths (the binomial count of paths below the quantile). The check uses
//! the order statistics four such errors outward on both sides (P95 from above, P5 from below), so it
//! passes only when the true ratio is within the bound with a margin that the sampling error of 20,000
//! paths cannot cross (four standard errors: a one-sided chance below 0.00003 per quantile). The seed is
//! fixed, so the test gives the same numbers on every run and cannot flake; it fails when a data or model
//! change widens a product's long-run spread beyond its stated bound. The ratios are printed
//! (`cargo test --release -p subsoil-engine --test price_bounds -- --nocapture`).

use subsoil_core::{PathOutcome, Workspace, simulate};
use subsoil_engine::{PathRandomness, ScalarDraws};
use subsoil_risk::{Sampler, SamplerKind};
use subsoil_scenario::load;

/// Paths: the P5 and P95 each rest on 1,000 paths beyond them.
const PATHS: u64 = 20_000;
/// Seed of the run.
const SEED: u64 = 1;
/// Standard errors of rank by which each quantile is taken outward.
const RANK_ERRORS: f64 = 4.0;

/// The order statistic estimating quantile `q` of sorted `xs`, moved `shift` rank errors up (positive)
/// or down (negative).
fn quantile(xs: &[f64], q: f64, shift: f64) -> f64 {
    let n = xs.len() as f64;
    let rank = n * q + shift * (n * q * (1.0 - q)).sqrt();
    xs[(rank.round().max(0.0) as usize).min(xs.len() - 1)]
}

#[test]
fn every_product_s_long_run_spread_stays_within_its_stated_bound() {
    let s = match load("ukraine-final-2025", &[]) {
        Ok(s) => s,
        Err(e) => panic!("the final agreement does not load:\n{}", e.render()),
    };
    let model = &s.model;
    let last = model.time.horizon as usize - 1;
    let draws =
        ScalarDraws::new(&s.inputs, Sampler::new(SamplerKind::Random, SEED), &s.rank_correlations)
            .expect("the scenario's correlations are usable");
    let mut scratch = draws.scratch();
    let mut ws = Workspace::new(model);
    let mut out = PathOutcome::new(model, false);
    let mut prices = vec![Vec::with_capacity(PATHS as usize); model.products.len()];
    for path in 0..PATHS {
        draws.fill(path, &mut scratch);
        let r = PathRandomness { seed: SEED, path, scalars: scratch.values() };
        simulate(model, &r, &mut ws, &mut out);
        for (k, p) in prices.iter_mut().enumerate() {
            p.push(out.price_series(k)[last]);
        }
    }
    let mut failures = Vec::new();
    println!(
        "real price in {} over {PATHS} paths, seed {SEED}: P5, P50, P95, P95/P5, the ratio with each \
         quantile taken {RANK_ERRORS} rank errors outward, and the stated bound",
        model.time.year(last as u32)
    );
    for (k, product) in model.products.iter().enumerate() {
        let xs = &mut prices[k];
        assert!(
            xs.iter().all(|x| x.is_finite() && *x > 0.0),
            "{}: a price is not positive",
            product.id
        );
        xs.sort_by(f64::total_cmp);
        let (p5, p50, p95) =
            (quantile(xs, 0.05, 0.0), quantile(xs, 0.5, 0.0), quantile(xs, 0.95, 0.0));
        let wide = quantile(xs, 0.95, RANK_ERRORS) / quantile(xs, 0.05, -RANK_ERRORS);
        let Some(bound) = product.long_run_p95_p5_max else {
            failures.push(format!("{}: no long-run-p95-p5-max in its data", product.id));
            continue;
        };
        println!(
            "{:<20} {:>12.2} {:>12.2} {:>12.2} {:>7.2} {:>7.2} <= {bound}",
            product.id,
            p5,
            p50,
            p95,
            p95 / p5,
            wide
        );
        if wide > bound {
            failures.push(format!(
                "{}: P95/P5 of the real price in the last year is {:.2} ({:.2} with the Monte Carlo margin), \
                 above the stated bound {bound}",
                product.id,
                p95 / p5,
                wide
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_rank_margin_moves_the_quantile_by_four_binomial_errors() {
    // 20,000 sorted values 0..20,000: the 5% quantile is value 1,000; its rank error is
    // √(20,000 × 0.05 × 0.95) = 30.8, so four errors down is rank 1,000 − 123.3 = 876.7 → 877.
    let xs: Vec<f64> = (0..20_000).map(f64::from).collect();
    assert_eq!(quantile(&xs, 0.05, 0.0), 1_000.0);
    assert_eq!(quantile(&xs, 0.05, -4.0), 877.0);
    assert_eq!(quantile(&xs, 0.95, 4.0), 19_123.0);
}
