//! The reported Monte Carlo standard error against the spread it claims to describe: the same run
//! repeated under 40 seeds, for every sampler, with a final partial block (issue 16).

use subsoil_engine::{RunConfig, RunResult, SamplerKind, SeMethod, run};
use subsoil_scenario::Scenario;
use subsoil_stats::Moments;

/// The worked example with uncertain inputs that stratification helps and yearly price shocks that it
/// cannot (they are pseudo-random): total capex is project a's capex, uniform on [500, 1500], plus 300
/// times project b's overrun, a shifted lognormal (a sum of two scalar inputs, which Latin hypercube and
/// Sobol integrate far better than random sampling); NPV and revenue also depend on the prices.
fn scenario() -> Scenario {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/worked-example/scenario.toml");
    let sets = [
        r#"projects.a-royalty.capex={dist="uniform",min=500,max=1500}"#,
        r#"projects.b-psa.capex-overrun={dist="shifted-lognormal",shift=0.7,mean=1.14,sd=0.3}"#,
        "products.ore.volatility=0.3",
    ]
    .map(String::from);
    subsoil_scenario::load(path, &sets).unwrap_or_else(|e| panic!("{}", e.render()))
}

fn mc(s: &Scenario, config: RunConfig) -> RunResult {
    run(s, &config).unwrap_or_else(|e| panic!("run failed: {e}"))
}

/// For each metric: (the standard deviation of its mean over `seeds` runs, the root mean square of
/// the standard errors those runs reported).
fn observed_and_reported(
    s: &Scenario,
    config: RunConfig,
    seeds: u64,
    metrics: &[&str],
) -> Vec<(f64, f64)> {
    let mut means = vec![Moments::new(); metrics.len()];
    let mut se2 = vec![Moments::new(); metrics.len()];
    for seed in 1..=seeds {
        let r = mc(s, RunConfig { seed, ..config });
        for (k, name) in metrics.iter().enumerate() {
            let d = &r.metric(name).unwrap_or_else(|| panic!("metric {name}")).stats;
            means[k].push(d.mean);
            se2[k].push(d.se * d.se);
        }
    }
    means
        .iter()
        .zip(&se2)
        .map(|(m, v)| (m.sd().expect("seeds"), v.mean().expect("seeds").sqrt()))
        .collect()
}

#[test]
fn the_reported_standard_error_matches_the_spread_over_seeds_with_a_partial_last_block() {
    // Issue 16's case scaled down 16 times: 48 full blocks of 256 paths and a partial block of 212
    // (200,000 paths = 48 × 4,096 + 3,392 in the issue), where Latin hypercube and Sobol reported the
    // partial block's sd/√n and overstated their error 2 and 175 times. Here that estimate overstated
    // the capex mean's error 2.07 (Latin hypercube) and 4.06 (Sobol) times; the estimate from the full
    // blocks' prefixes is within 0.92–1.16 of the spread for every sampler and metric.
    //
    // Tolerance: the standard deviation of 40 means is itself an estimate with a relative standard
    // error of about 1/√(2·39) = 11%, and the reported se is averaged over the 40 runs (each from 48
    // blocks, about 10% apiece, so about 2% together). A correct estimate therefore lands within about
    // 12% of the observed spread, and a factor of 1.5 (ln 1.5 = 0.41, more than three standard errors of
    // the ratio's logarithm) cannot reject it by chance; the seeds are fixed, so the outcome is the same
    // on every run.
    check_samplers(256, 48 * 256 + 212);
}

#[test]
#[ignore = "issue 16's case at full size: 40 × 3 runs of 200,000 paths, about a minute in release"]
fn the_reported_standard_error_matches_the_spread_over_seeds_at_full_size() {
    // 48 full blocks of 4,096 and a partial block of 3,392; tolerance as above. The partial block's
    // sd/√n overstated the capex mean's error 2.24 (Latin hypercube) and 13.8 (Sobol) times; the
    // prefixes' estimate is within 0.96–1.08 of the spread for every sampler and metric.
    check_samplers(4096, 200_000);
}

/// Runs 40 seeds of `paths` paths in blocks of `block_size` for every sampler and checks that the
/// reported se of capex, NPV and revenue is within a factor 1.5 of the spread of their means.
fn check_samplers(block_size: u32, paths: u64) {
    let s = scenario();
    let metrics = ["capex", "npv-total", "revenue"];
    let mut report = String::new();
    let mut bad = Vec::new();
    for sampler in [SamplerKind::Random, SamplerKind::LatinHypercube, SamplerKind::Sobol] {
        let config = RunConfig { sampler, block_size, ..RunConfig::new(paths, 0) };
        let header = mc(&s, config).header;
        let want =
            if sampler == SamplerKind::Random { SeMethod::Iid } else { SeMethod::BetweenBlocks };
        assert_eq!(header.se_method, want, "{sampler}");
        for (name, (observed, reported)) in
            metrics.iter().zip(observed_and_reported(&s, config, 40, &metrics))
        {
            let ratio = reported / observed;
            report.push_str(&format!(
                "{sampler:>16} {name:>10}: observed {observed:.6e}, reported {reported:.6e}, ratio {ratio:.3}\n"
            ));
            if !(1.0 / 1.5..=1.5).contains(&ratio) {
                bad.push(format!("{sampler} {name}"));
            }
        }
    }
    println!("{report}");
    assert!(bad.is_empty(), "reported se off by more than a factor 1.5 for {bad:?}:\n{report}");
}

#[test]
fn the_paired_standard_error_matches_the_spread_over_seeds_with_a_partial_last_block() {
    // A comparison's paired differences get their error the same way. Project b's capex 400 instead of
    // 300 makes the capex difference 100 times b's overrun: one stratified input, so the partial block's
    // plain sd/√n would overstate the error most (it reported 1.59 and 1.46 times the spread for Latin
    // hypercube and Sobol). Tolerance as above (40 seeds, factor 1.5).
    let a = scenario();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/worked-example/scenario.toml");
    let sets = [
        r#"projects.a-royalty.capex={dist="uniform",min=500,max=1500}"#,
        r#"projects.b-psa.capex-overrun={dist="shifted-lognormal",shift=0.7,mean=1.14,sd=0.3}"#,
        "products.ore.volatility=0.3",
        "projects.b-psa.capex=400",
    ]
    .map(String::from);
    let b = subsoil_scenario::load(path, &sets).unwrap_or_else(|e| panic!("{}", e.render()));
    let mut report = String::new();
    let mut bad = Vec::new();
    for sampler in [SamplerKind::LatinHypercube, SamplerKind::Sobol] {
        let (mut means, mut se2) = (Moments::new(), Moments::new());
        for seed in 1..=40 {
            let config =
                RunConfig { sampler, block_size: 256, ..RunConfig::new(48 * 256 + 212, seed) };
            let r = subsoil_engine::compare(&[&a, &b], &config)
                .unwrap_or_else(|e| panic!("compare failed: {e}"));
            let d = r.differences[0].metric("capex").expect("capex difference");
            means.push(d.mean);
            se2.push(d.se_paired * d.se_paired);
        }
        let (observed, reported) = (means.sd().expect("seeds"), se2.mean().expect("seeds").sqrt());
        let ratio = reported / observed;
        report.push_str(&format!(
            "{sampler:>16} capex difference: observed {observed:.6e}, reported {reported:.6e}, ratio {ratio:.3}\n"
        ));
        if !(1.0 / 1.5..=1.5).contains(&ratio) {
            bad.push(sampler.to_string());
        }
    }
    println!("{report}");
    assert!(bad.is_empty(), "paired se off by more than a factor 1.5 for {bad:?}:\n{report}");
}
