//! Samplers: values strictly inside (0, 1), bitwise reproducibility, seeds that matter, one point
//! per stratum within each full block (Latin hypercube and Sobol), Sobol's two-dimensional
//! stratification, and independent randomisation of blocks (what the engine's between-block
//! standard errors rely on).

use subsoil_risk::sampler::{DEFAULT_BLOCK_SIZE, SOBOL_DIMENSIONS};
use subsoil_risk::{InputKey, Sampler, SamplerKind, stream_id, uniform};

const KINDS: [SamplerKind; 3] =
    [SamplerKind::Random, SamplerKind::LatinHypercube, SamplerKind::Sobol];

fn keys() -> Vec<InputKey> {
    vec![
        InputKey::new(stream_id("price.lithium"), 0),
        InputKey::new(stream_id("capex-overrun"), 1),
        InputKey::new(stream_id("ceasefire-year"), 17),
        InputKey::new(stream_id("leakage"), SOBOL_DIMENSIONS - 1),
        InputKey::new(stream_id("beyond-sobol"), SOBOL_DIMENSIONS + 44),
    ]
}

#[test]
fn values_are_strictly_inside_the_unit_interval() {
    let paths = (0..20_000u64).chain([u64::MAX - 1, u64::MAX, 1 << 40, (1 << 40) - 1]);
    let paths: Vec<u64> = paths.collect();
    for kind in KINDS {
        for seed in [0, 1, u64::MAX] {
            let sampler = Sampler::new(kind, seed);
            for key in keys() {
                for &p in &paths {
                    let u = sampler.unit(p, key);
                    assert!(u > 0.0 && u < 1.0, "{kind} seed {seed} path {p}: {u}");
                }
            }
        }
    }
}

#[test]
fn same_coordinates_give_bitwise_identical_values_and_seeds_matter() {
    for kind in KINDS {
        let a = Sampler::new(kind, 42);
        let b = Sampler::new(kind, 42);
        let c = Sampler::new(kind, 43);
        let mut same_as_other_seed = 0;
        for key in keys() {
            for p in (0..10_000u64).step_by(7) {
                assert_eq!(a.unit(p, key).to_bits(), b.unit(p, key).to_bits());
                same_as_other_seed += usize::from(a.unit(p, key) == c.unit(p, key));
            }
        }
        assert_eq!(same_as_other_seed, 0, "{kind}: seed 43 repeats seed 42's values");
    }
}

#[test]
fn random_sampler_is_the_public_uniform() {
    let sampler = Sampler::new(SamplerKind::Random, 9);
    for key in keys() {
        for p in 0..100 {
            assert_eq!(sampler.unit(p, key), uniform(9, p, key.stream, 0));
        }
    }
}

/// Asserts that the values at paths `block * size .. (block + 1) * size` have exactly one point
/// in each stratum `[s / size, (s + 1) / size)` (bounds as rounded to f64).
fn assert_one_per_stratum(values: &[f64], label: &str) {
    let n = values.len();
    let mut seen = vec![false; n];
    for &u in values {
        let mut s = ((u * n as f64) as usize).min(n - 1);
        // Settle rounding at stratum edges with the f64 bounds themselves.
        if u < s as f64 / n as f64 {
            s -= 1;
        } else if u >= (s + 1) as f64 / n as f64 {
            s += 1;
        }
        assert!(!seen[s], "{label}: stratum {s} hit twice");
        seen[s] = true;
    }
}

fn block_values(sampler: &Sampler, key: InputKey, block: u64) -> Vec<f64> {
    let size = u64::from(sampler.block_size());
    (block * size..(block + 1) * size).map(|p| sampler.unit(p, key)).collect()
}

#[test]
fn latin_hypercube_has_one_point_per_stratum_in_each_block() {
    for size in [DEFAULT_BLOCK_SIZE, 1000, 1, 7] {
        let sampler = Sampler::with_block_size(SamplerKind::LatinHypercube, 5, size).unwrap();
        for key in keys() {
            for block in [0, 1, 123_456] {
                let v = block_values(&sampler, key, block);
                assert_one_per_stratum(&v, &format!("LHS size {size} block {block}"));
            }
        }
    }
}

#[test]
fn latin_hypercube_orders_differ_between_blocks_and_inputs() {
    let sampler = Sampler::new(SamplerKind::LatinHypercube, 5);
    let strata = |key, block| -> Vec<usize> {
        block_values(&sampler, key, block).iter().map(|u| (u * 4096.0) as usize).collect()
    };
    let k = keys();
    let a = strata(k[0], 0);
    assert_ne!(a, strata(k[0], 1));
    assert_ne!(a, strata(k[1], 0));
    // Different inputs are not in lock-step: their strata are close to uncorrelated.
    let b = strata(k[1], 0);
    let r = rank_corr(&a, &b);
    assert!(r.abs() < 5.0 / 64.0, "strata correlated between inputs: {r}");
}

fn rank_corr(a: &[usize], b: &[usize]) -> f64 {
    let n = a.len() as f64;
    let m = (n - 1.0) / 2.0;
    let cov: f64 = a.iter().zip(b).map(|(&x, &y)| (x as f64 - m) * (y as f64 - m)).sum();
    cov / (n * (n * n - 1.0) / 12.0)
}

#[test]
fn sobol_has_one_point_per_stratum_and_is_a_net_in_two_dimensions() {
    for size in [DEFAULT_BLOCK_SIZE, 1 << 16, 256] {
        let sampler = Sampler::with_block_size(SamplerKind::Sobol, 77, size).unwrap();
        for key in keys() {
            for block in [0, 3] {
                let v = block_values(&sampler, key, block);
                assert_one_per_stratum(&v, &format!("Sobol size {size} dim {}", key.dim));
            }
        }
    }
    // Dimensions 0 and 1 of 4096 Owen-scrambled Sobol points: exactly one point in each cell of
    // a 64 x 64 grid (a (0, 12, 2)-net), in every block.
    let sampler = Sampler::new(SamplerKind::Sobol, 77);
    let (k0, k1) = (keys()[0], keys()[1]);
    for block in [0, 9] {
        let mut cells = vec![0u32; 4096];
        for p in block * 4096..(block + 1) * 4096 {
            let (x, y) = (sampler.unit(p, k0), sampler.unit(p, k1));
            cells[(x * 64.0) as usize * 64 + (y * 64.0) as usize] += 1;
        }
        assert!(cells.iter().all(|&c| c == 1), "block {block} is not a net");
    }
}

#[test]
fn blocks_are_independent_randomisations_with_small_within_block_error() {
    // Estimate E[u0 * u1] = 1/4 per block. Random sampling: block means vary with variance
    // Var(u0 u1) / n = (1/9 - 1/16) / n. Stratified samplers must vary far less, yet still vary
    // (identical blocks would make between-block standard errors zero and meaningless).
    let blocks = 64u64;
    let n = 1024u32;
    let (k0, k1) = (keys()[0], keys()[1]);
    let var_random = (1.0 / 9.0 - 1.0 / 16.0) / f64::from(n);
    for kind in KINDS {
        let sampler = Sampler::with_block_size(kind, 2024, n).unwrap();
        let means: Vec<f64> = (0..blocks)
            .map(|b| {
                let lo = b * u64::from(n);
                let hi = lo + u64::from(n);
                (lo..hi).map(|p| sampler.unit(p, k0) * sampler.unit(p, k1)).sum::<f64>()
                    / f64::from(n)
            })
            .collect();
        let grand = means.iter().sum::<f64>() / blocks as f64;
        let var = means.iter().map(|m| (m - grand).powi(2)).sum::<f64>() / (blocks - 1) as f64;
        // The estimate is unbiased: grand mean within 5 between-block standard errors.
        let se = (var / blocks as f64).sqrt();
        assert!((grand - 0.25).abs() < 5.0 * se, "{kind}: mean {grand} (se {se})");
        assert!(var > 0.0, "{kind}: all blocks identical");
        match kind {
            // Chi-square(63) bounds at 1e-4 around the random-sampling variance.
            SamplerKind::Random => assert!(var > 0.4 * var_random && var < 1.8 * var_random),
            // LHS removes the additive part of u0 u1 but not the interaction (u0 - 1/2)(u1 - 1/2),
            // which carries 1/144 of the 5/144 variance: expect about 1/7 of random's.
            SamplerKind::LatinHypercube => {
                assert!(var < 0.3 * var_random, "LHS variance {var} vs random {var_random}")
            }
            // Scrambled Sobol integrates this smooth function with error far below n^-1/2.
            SamplerKind::Sobol => {
                assert!(var < 0.01 * var_random, "Sobol variance {var} vs random {var_random}")
            }
        }
    }
}

#[test]
fn block_of_groups_consecutive_paths() {
    let sampler = Sampler::new(SamplerKind::LatinHypercube, 1);
    assert_eq!(sampler.block_of(0), 0);
    assert_eq!(sampler.block_of(4095), 0);
    assert_eq!(sampler.block_of(4096), 1);
    assert_eq!(sampler.block_size(), 4096);
    assert_eq!(sampler.kind(), SamplerKind::LatinHypercube);
    assert_eq!(sampler.seed(), 1);
}
