//! The Monte Carlo run checked against answers known without it: the base case when nothing is uncertain,
//! closed forms for a probability and a mean, the 1/√n law, and the variance reduction of Latin hypercube
//! sampling. Every run uses a fixed seed, so each check is deterministic: the tolerances below say why
//! the check holds, and a check that passes once passes every time.

use subsoil_engine::{RunConfig, RunResult, SamplerKind, SeMethod, base_case, run};
use subsoil_scenario::Scenario;

fn worked_example(sets: &[&str]) -> Scenario {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/worked-example/scenario.toml");
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    match subsoil_scenario::load(path, &sets) {
        Ok(s) => s,
        Err(e) => panic!("worked example does not load:\n{}", e.render()),
    }
}

fn mc(s: &Scenario, config: RunConfig) -> RunResult {
    match run(s, &config) {
        Ok(r) => r,
        Err(e) => panic!("run failed: {e}"),
    }
}

/// Years after the start at which a ceasefire has come with probability `1 − e^(−hazard·k)`.
fn exponential_cdf(hazard: f64, k: f64) -> f64 {
    1.0 - (-hazard * k).exp()
}

#[test]
fn without_uncertain_inputs_every_path_is_the_base_case() {
    // The worked example fixes every input but the ceasefire timing, which does not touch its projects
    // (both are under construction in government-held territory), so every path is the base case.
    let s = worked_example(&[]);
    let (bc, _) = base_case(&s);
    let r = mc(&s, RunConfig { threads: 2, ..RunConfig::new(5_000, 3) });
    let expected = [
        ("receipts-new", bc.totals.receipts_new),
        ("receipts-existing", bc.totals.receipts_existing),
        ("capex", bc.totals.capex),
        ("revenue", bc.totals.revenue),
        ("npv-total", bc.totals.npv),
    ];
    for (name, want) in expected {
        let m = r.metric(name).unwrap_or_else(|| panic!("metric {name}"));
        let d = &m.stats;
        assert_eq!(d.n, 5_000, "{name}");
        // Identical values give an exact mean and a zero spread (Welford and Chan add zero deltas).
        assert_eq!(d.mean, want, "{name}");
        assert_eq!((d.sd, d.se, d.min, d.max), (0.0, 0.0, want, want), "{name}");
        // Percentiles come from the sketch: within its relative accuracy of 0.5%.
        for q in [d.p5, d.p10, d.p50, d.p90, d.p95] {
            assert!((q - want).abs() <= 0.005 * want.abs(), "{name}: {q} vs {want}");
        }
    }
    for (p, row) in r.projects.iter().zip(&bc.projects) {
        assert_eq!((p.npv.mean, p.npv.sd), (row.npv, 0.0), "{}", p.id);
        let first = row.first_production.expect("both projects produce");
        assert_eq!(p.first_production.median_year, Some(first), "{}", p.id);
    }
}

#[test]
fn the_ceasefire_curve_converges_on_the_exponential_law() {
    // With hazard h the first ceasefire comes after an exponential time T, and a year is at peace when T
    // falls before its middle, so P(peace by 2026 + k) = P(T ≤ k + ½) = 1 − e^(−h·(k + ½)).
    let h = 0.2;
    let s = worked_example(&["conflict.ceasefire-hazard=0.2"]);
    let r = mc(&s, RunConfig::new(20_000, 11));
    assert_eq!(r.header.se_method, SeMethod::Iid);
    let curve = &r.event("ceasefire").expect("ceasefire curve").curve;
    for point in &curve.by_year {
        let k = f64::from(point.year - 2026);
        let truth = exponential_cdf(h, k + 0.5);
        let se = (truth * (1.0 - truth) / 20_000.0).sqrt();
        // Four binomial standard errors: a seed that happened to miss would fail every time, and seed
        // 11 does not.
        assert!((point.p - truth).abs() <= 4.0 * se, "{}: {} vs {truth}", point.year, point.p);
    }
    let p = &r.probability("ceasefire-by-2030").expect("probability").chance;
    let truth = exponential_cdf(h, 4.5);
    assert!(p.ci95[0] <= truth && truth <= p.ci95[1], "{p:?} vs {truth}");
}

#[test]
fn latin_hypercube_puts_the_ceasefire_probability_within_one_stratum() {
    // The ceasefire depends on one uniform. A Latin hypercube puts exactly one point in each of the
    // 4,096 strata of every block, so the share of points below any level is within 1/4096 of it.
    let s = worked_example(&["conflict.ceasefire-hazard=0.2"]);
    let config = RunConfig { sampler: SamplerKind::LatinHypercube, ..RunConfig::new(5 * 4096, 5) };
    let r = mc(&s, config);
    assert_eq!(r.header.se_method, SeMethod::BetweenBlocks);
    let p = r.probability("ceasefire-by-2030").expect("probability").chance.p;
    let truth = exponential_cdf(0.2, 4.5);
    assert!((p - truth).abs() <= 1.0 / 4096.0, "{p} vs {truth}");
}

#[test]
fn the_mean_of_an_uncertain_capex_converges_with_the_square_root_law() {
    // Project a's capex uniform on [500, 1500] and b's fixed at 300: E[total capex] = 1300, and the
    // standard deviation of a uniform of width 1000 is 1000/√12.
    let s = worked_example(&["projects.a-royalty.capex={dist=\"uniform\",min=500,max=1500}"]);
    let sd = 1000.0 / 12f64.sqrt();
    let small = mc(&s, RunConfig::new(10_000, 2));
    let large = mc(&s, RunConfig::new(40_000, 2));
    for r in [&small, &large] {
        let d = &r.metric("capex").expect("capex").stats;
        // Four standard errors (see above); the sample sd is within 3% of the truth at n = 10,000
        // (its own standard error is about 0.6%).
        assert!((d.mean - 1300.0).abs() <= 4.0 * d.se, "{} ± {}", d.mean, d.se);
        assert!((d.sd / sd - 1.0).abs() < 0.03, "{} vs {sd}", d.sd);
    }
    // Four times the paths, half the error.
    let ratio = large.metric("capex").expect("capex").stats.se
        / small.metric("capex").expect("capex").stats.se;
    assert!((ratio - 0.5).abs() < 0.03, "{ratio}");

    // A Latin hypercube integrates a linear function of one input to within one stratum's width
    // (1000/4096 per block), far inside the random-sampling error.
    let lhs =
        mc(&s, RunConfig { sampler: SamplerKind::LatinHypercube, ..RunConfig::new(4 * 4096, 2) });
    let d = &lhs.metric("capex").expect("capex").stats;
    assert!((d.mean - 1300.0).abs() <= 1000.0 / 4096.0, "{}", d.mean);
    assert!(d.se < 1.0, "between-block error {} should be tiny", d.se);
}

#[test]
fn latin_hypercube_has_a_smaller_between_block_error_than_random_sampling() {
    // The worked example's capex is driven by one uniform input (project A's capex, 500 to 1,500, built
    // on every path): a monotone function of one input, which Latin hypercube sampling stratifies
    // exactly, so its between-block error is a small fraction of random sampling's (each block of 256
    // holds one draw in each 1/256 of the range): measured 0.003 of random sampling's sd/√n. Random
    // sampling of the same function would give about 1 (32 blocks: about 13% relative noise), so the
    // bound of 0.2 fails for any sampler that does not stratify; the seeds are fixed, so the outcome does
    // not change between runs, and it does not depend on the built-in data.
    let s = worked_example(&["projects.a-royalty.capex={dist=\"uniform\",min=500,max=1500}"]);
    let config = |sampler| RunConfig { sampler, block_size: 256, ..RunConfig::new(32 * 256, 4) };
    let random = mc(&s, config(SamplerKind::Random));
    let lhs = mc(&s, config(SamplerKind::LatinHypercube));
    let r = &random.metric("capex").expect("metric").stats;
    let l = &lhs.metric("capex").expect("metric").stats;
    let (r_blocks, l_blocks) = (
        r.se_between_blocks.expect("32 full blocks"),
        l.se_between_blocks.expect("32 full blocks"),
    );
    assert!(l_blocks < r_blocks, "lhs {l_blocks} vs random {r_blocks}");
    assert!(l_blocks < 0.2 * r.se_iid, "lhs {l_blocks} vs random sd/√n {}", r.se_iid);
    eprintln!("between-block error, Latin hypercube / random sd/√n: {:.4}", l_blocks / r.se_iid);
    // Each run reports the estimate that suits its sampler.
    assert_eq!(
        (random.header.se_method, lhs.header.se_method),
        (SeMethod::Iid, SeMethod::BetweenBlocks)
    );
    assert_eq!((r.se, l.se), (r.se_iid, l_blocks));
}

#[test]
fn results_do_not_depend_on_the_number_of_threads() {
    let s = worked_example(&[
        "conflict.ceasefire-hazard=0.3",
        "projects.a-royalty.capex={dist=\"uniform\",min=500,max=1500}",
    ]);
    for sampler in [SamplerKind::Random, SamplerKind::LatinHypercube, SamplerKind::Sobol] {
        // Several blocks and a partial last block, so chunks finish out of order on more threads.
        let config =
            |threads| RunConfig { threads, sampler, block_size: 512, ..RunConfig::new(3_000, 9) };
        let one = format!("{:?}", mc(&s, config(1)));
        for threads in [2, 3] {
            assert!(
                one == format!("{:?}", mc(&s, config(threads))),
                "{sampler}, {threads} threads"
            );
        }
    }
}

#[test]
fn a_different_seed_gives_different_results_and_the_same_seed_the_same() {
    let s = worked_example(&["conflict.ceasefire-hazard=0.3"]);
    let a = format!("{:?}", mc(&s, RunConfig::new(2_000, 1)));
    let b = format!("{:?}", mc(&s, RunConfig::new(2_000, 2)));
    let again = format!("{:?}", mc(&s, RunConfig::new(2_000, 1)));
    assert!(a != b);
    assert!(a == again);
}

#[test]
fn bad_configurations_are_errors_not_panics() {
    let s = worked_example(&[]);
    let none = run(&s, &RunConfig::new(0, 1)).expect_err("no paths");
    assert_eq!(none.to_string(), "paths = 0 is invalid; expected at least 1");
    let sobol =
        RunConfig { sampler: SamplerKind::Sobol, block_size: 1000, ..RunConfig::new(10, 1) };
    let err = run(&s, &sobol).expect_err("Sobol needs a power of two");
    assert!(err.to_string().contains("power of two"), "{err}");
}

#[test]
fn the_statistics_are_the_blocks_folded_in_block_order() {
    // Recompute one metric by hand, path by path in order into each block's moments, merging the blocks
    // in order, and compare bit for bit with a run on two threads: chunks may finish in any order, but
    // they are absorbed in path order and the blocks are merged in block order.
    use subsoil_core::{PathOutcome, Workspace, simulate};
    use subsoil_engine::{METRICS, PathRandomness, ScalarDraws};
    use subsoil_risk::Sampler;
    use subsoil_stats::{Merge, Moments, QuantileSketch};

    let s = match subsoil_scenario::load("ukraine-final-2025", &[]) {
        Ok(s) => s,
        Err(e) => panic!("the built-in scenario does not load:\n{}", e.render()),
    };
    let (paths, block) = (600u64, 256u32);
    let kind = SamplerKind::LatinHypercube;
    let config =
        RunConfig { threads: 2, sampler: kind, block_size: block, ..RunConfig::new(paths, 5) };
    let r = mc(&s, config);

    let metric = METRICS.iter().find(|m| m.name == "receipts-new").expect("registered");
    let sampler = Sampler::with_block_size(kind, 5, block).expect("valid block size");
    let draws = ScalarDraws::new(&s.inputs, sampler, &s.rank_correlations).expect("valid");
    let (mut scratch, mut ws, mut out) =
        (draws.scratch(), Workspace::new(&s.model), PathOutcome::new(&s.model, false));
    let (mut all, mut sketch) = (Moments::new(), QuantileSketch::new());
    let (mut this_block, mut block_means, mut prefix_means) =
        (Moments::new(), Moments::new(), Moments::new());
    for path in 0..paths {
        draws.fill(path, &mut scratch);
        let chance = PathRandomness { seed: 5, path, scalars: scratch.values() };
        simulate(&s.model, &chance, &mut ws, &mut out);
        let x = metric.value(&s.model, &out);
        sketch.push(x);
        this_block.push(x);
        if (path + 1) % u64::from(block) == 88 && path < 512 {
            prefix_means.push(this_block.mean().expect("88 paths"));
        }
        if (path + 1) % u64::from(block) == 0 {
            block_means.push(this_block.mean().expect("a full block"));
            all.merge(&this_block);
            this_block = Moments::new();
        }
    }
    all.merge(&this_block);
    let d = &r.metric("receipts-new").expect("metric").stats;
    assert_eq!(d.mean.to_bits(), all.mean().expect("paths").to_bits());
    assert_eq!(d.sd.to_bits(), all.sd().expect("paths").to_bits());
    assert_eq!(d.p50.to_bits(), sketch.quantile(0.5).expect("paths").to_bits());
    // Two full blocks of 256 and a partial one of 88, whose error is the spread of the full blocks'
    // means over their first 88 paths (see `SeContext::between_blocks`).
    let (n, full, last): (f64, f64, f64) = (600.0, 512.0, 88.0);
    let var_blocks = block_means.variance().expect("two blocks") / 2.0;
    let var_last = prefix_means.variance().expect("two prefixes");
    let se = ((full / n).powi(2) * var_blocks + (last / n).powi(2) * var_last).sqrt();
    assert!((d.se - se).abs() <= 1e-12 * se, "{} vs {se}", d.se);
    assert_eq!(r.header.se_method, SeMethod::BetweenBlocks);
}

#[test]
fn histograms_count_every_path() {
    // Each scalar metric's histogram counts every path once (bins and overflow; nothing lies below
    // the smallest value) and its bins run from the smallest value up; a count of projects has one too.
    let mut exact = 0;
    let s = subsoil_scenario::load("ukraine-final-2025", &[]).expect("the final agreement loads");
    let r = mc(&s, RunConfig { threads: 2, ..RunConfig::new(3_000, 5) });
    assert!(!r.histograms.is_empty());
    for h in &r.histograms {
        let m = r.metrics.iter().find(|m| m.name == h.name).expect("a metric");
        let total: u64 = h.histogram.counts().iter().sum::<u64>() + h.histogram.overflow();
        assert_eq!(total, m.stats.n, "{}", h.name);
        assert_eq!(h.histogram.underflow(), 0, "{}", h.name);
        assert_eq!(h.histogram.edges()[0], m.stats.min, "{}", h.name);
        assert_eq!(h.histogram.counts().len(), subsoil_engine::HISTOGRAM_BINS);
        if h.name == "producing-2045" {
            exact += 1;
        }
    }
    assert_eq!(exact, 1, "the count of projects producing in 2045 has a histogram");
}

#[test]
fn project_receipts_add_up_to_the_states_receipts() {
    // The state's receipts from each project, averaged over the paths, add up to the mean of its
    // receipts from new and existing licences (exogenous streams are not the state's receipts):
    // a mean of sums is the sum of means, up to rounding.
    let s = subsoil_scenario::load("ukraine-final-2025", &[]).expect("the final agreement loads");
    let r = mc(&s, RunConfig { threads: 2, ..RunConfig::new(2_000, 9) });
    let total: f64 = r.projects.iter().map(|p| p.receipts_mean).sum();
    let mean = |name: &str| r.metrics.iter().find(|m| m.name == name).expect(name).stats.mean;
    let state = mean("receipts-new") + mean("receipts-existing");
    assert!((total - state).abs() <= 1e-9 * state, "{total} vs {state}");
    assert!(r.projects.iter().any(|p| p.receipts_mean > 0.0));
}
