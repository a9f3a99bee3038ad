//! Gaussian copula: requested Spearman correlations are reproduced within ±0.02 at 100,000 paths
//! (the standard error of a rank correlation there is about 0.003, so ±0.02 is over 6 standard
//! errors), margins stay uniform, inconsistent matrices are repaired and flagged, and the
//! in-place application leaves uncorrelated inputs untouched.

mod common;

use common::{N, ks_critical, ks_statistic, spearman};
use subsoil_risk::copula::spearman_to_pearson;
use subsoil_risk::{Copula, InputKey, Sampler, SamplerKind, stream_id};

/// Draws `N` paths of `n` uniforms, applies the copula, returns one column per input.
fn correlated(copula: &Copula, n: usize, kind: SamplerKind) -> Vec<Vec<f64>> {
    let sampler = Sampler::new(kind, 31);
    let keys: Vec<InputKey> =
        (0..n).map(|i| InputKey::new(stream_id(&format!("input-{i}")), i as u32)).collect();
    let mut columns = vec![Vec::with_capacity(N); n];
    let mut u = vec![0.0; n];
    for p in 0..N as u64 {
        for (slot, key) in u.iter_mut().zip(&keys) {
            *slot = sampler.unit(p, *key);
        }
        copula.apply(&mut u);
        for (column, &v) in columns.iter_mut().zip(&u) {
            column.push(v);
        }
    }
    columns
}

#[test]
fn two_inputs_reproduce_positive_and_negative_rank_correlations() {
    for rho in [0.6, -0.4] {
        let copula = Copula::new(2, &[(0, 1, rho)]).unwrap();
        assert!(!copula.was_repaired());
        for kind in [SamplerKind::Random, SamplerKind::LatinHypercube] {
            let c = correlated(&copula, 2, kind);
            let got = spearman(&c[0], &c[1]);
            assert!((got - rho).abs() < 0.02, "{kind}: requested {rho}, got {got}");
        }
    }
}

#[test]
fn three_inputs_reproduce_every_pair() {
    let pairs = [(0, 1, 0.5), (0, 2, -0.3), (2, 1, 0.2)];
    let copula = Copula::new(3, &pairs).unwrap();
    assert!(!copula.was_repaired());
    let c = correlated(&copula, 3, SamplerKind::Random);
    for (i, j, rho) in pairs {
        let got = spearman(&c[i], &c[j]);
        assert!((got - rho).abs() < 0.02, "pair ({i}, {j}): requested {rho}, got {got}");
        assert!((copula.spearman(i, j).unwrap() - rho).abs() < 1e-12);
    }
}

#[test]
fn margins_stay_uniform() {
    let copula = Copula::new(3, &[(0, 1, 0.7), (1, 2, -0.5)]).unwrap();
    let c = correlated(&copula, 3, SamplerKind::Random);
    let crit = ks_critical(N, 0.001);
    for (i, column) in c.iter().enumerate() {
        assert!(column.iter().all(|&u| u > 0.0 && u < 1.0));
        let d = ks_statistic(column, |u| u.clamp(0.0, 1.0));
        assert!(d < crit, "input {i}: KS D = {d}");
    }
}

#[test]
fn inconsistent_correlations_are_repaired_and_flagged() {
    // Two inputs strongly tied to a third but strongly opposed to each other: impossible.
    let copula = Copula::new(3, &[(0, 1, 0.9), (0, 2, 0.9), (1, 2, -0.9)]).unwrap();
    let repair = copula.repair().expect("repair not reported");
    assert!(repair.min_eigenvalue < 0.0, "{repair:?}");
    assert!(repair.max_change > 0.05, "{repair:?}");
    // The matrix in use is a valid correlation matrix with unit diagonal...
    let m = copula.pearson_matrix();
    for i in 0..3 {
        assert_eq!(m[i * 3 + i], 1.0);
        for j in 0..3 {
            assert_eq!(m[i * 3 + j], m[j * 3 + i]);
            assert!(m[i * 3 + j].abs() <= 1.0);
        }
    }
    // ...and the samples reproduce the rank correlations the copula reports after the repair.
    let c = correlated(&copula, 3, SamplerKind::Random);
    for (i, j) in [(0, 1), (0, 2), (1, 2)] {
        let want = copula.spearman(i, j).unwrap();
        let got = spearman(&c[i], &c[j]);
        assert!((got - want).abs() < 0.02, "pair ({i}, {j}): reported {want}, got {got}");
    }
    // Consistent matrices are left alone.
    assert!(Copula::new(3, &[(0, 1, 0.9), (0, 2, 0.9), (1, 2, 0.8)]).unwrap().repair().is_none());
}

#[test]
fn perfect_correlation_is_valid_and_exact() {
    let copula = Copula::new(2, &[(0, 1, 1.0)]).unwrap();
    assert!(!copula.was_repaired());
    let anti = Copula::new(2, &[(0, 1, -1.0)]).unwrap();
    for u0 in [1e-9, 0.1, 0.5, 0.77, 1.0 - 1e-9] {
        let mut u = [u0, 0.3];
        copula.apply(&mut u);
        assert!((u[1] - u[0]).abs() < 1e-12, "{u:?}");
        let mut v = [u0, 0.3];
        anti.apply(&mut v);
        assert!((v[1] - (1.0 - v[0])).abs() < 1e-12, "{v:?}");
    }
}

#[test]
fn inputs_outside_any_pair_are_untouched() {
    let copula = Copula::new(4, &[(0, 2, 0.5)]).unwrap();
    let mut u = [0.123456789, 0.987654321, 0.3, 0.314159265];
    copula.apply(&mut u);
    assert_eq!(u[1], 0.987654321);
    assert_eq!(u[3], 0.314159265);
    // Input 0 heads the Cholesky factor, so it passes through unchanged up to Φ(Φ⁻¹(u)).
    assert!((u[0] - 0.123456789).abs() < 1e-15);
    assert_ne!(u[2], 0.3);
}

#[test]
fn short_and_long_slices_do_not_panic() {
    let copula = Copula::new(3, &[(0, 1, 0.5), (1, 2, 0.5)]).unwrap();
    let mut short = [0.2, 0.9];
    copula.apply(&mut short);
    assert!(short.iter().all(|&u| u > 0.0 && u < 1.0));
    let mut long = [0.2, 0.9, 0.5, 0.42];
    copula.apply(&mut long);
    assert_eq!(long[3], 0.42);
    let mut empty: [f64; 0] = [];
    copula.apply(&mut empty);
    let none = Copula::new(0, &[]).unwrap();
    none.apply(&mut long);
}

#[test]
fn pearson_copula_correlates_normals() {
    let copula = Copula::from_pearson(2, &[(0, 1, -0.7)]).unwrap();
    assert_eq!(copula.pearson(0, 1), Some(-0.7));
    let s = stream_id("shock");
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for p in 0..N as u64 {
        let mut z = [subsoil_risk::std_normal(3, p, s, 0), subsoil_risk::std_normal(3, p, s, 1)];
        copula.apply_normals(&mut z);
        a.push(z[0]);
        b.push(z[1]);
    }
    let r = common::pearson(&a, &b);
    assert!((r + 0.7).abs() < 0.01, "correlation {r}");
    let (_, var_b) = common::mean_var(&b);
    assert!((var_b - 1.0).abs() < 0.02, "variance {var_b}");
}

#[test]
fn spearman_to_pearson_matches_the_closed_form() {
    assert!((spearman_to_pearson(1.0) - 1.0).abs() < 1e-15);
    assert!((spearman_to_pearson(-1.0) + 1.0).abs() < 1e-15);
    assert_eq!(spearman_to_pearson(0.0), 0.0);
    let r = spearman_to_pearson(0.5);
    assert!((r - 2.0 * (std::f64::consts::PI / 12.0).sin()).abs() < 1e-15);
}

fn chain(n: usize, rho: f64) -> Vec<(usize, usize, f64)> {
    (0..n - 1).map(|i| (i, i + 1, rho)).collect()
}

#[test]
fn a_long_consistent_chain_is_factorised_without_repair() {
    let c = match Copula::new(1000, &chain(1000, 0.3)) {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    };
    assert!(!c.was_repaired());
    let r = spearman_to_pearson(0.3);
    assert_eq!(c.pearson(0, 1), Some(r));
    assert_eq!(c.pearson(500, 501), Some(r));
    assert_eq!(c.pearson(0, 2), Some(0.0));
}

#[test]
fn inconsistent_correlations_are_repaired_up_to_the_bound_and_refused_beyond() {
    use subsoil_risk::{CopulaError, MAX_REPAIR};
    // Neighbours at rank correlation 0.8 (normal 0.81) on a chain longer than 3: not positive definite.
    match Copula::new(MAX_REPAIR, &chain(MAX_REPAIR, 0.8)) {
        Ok(c) => assert!(c.was_repaired()),
        Err(e) => panic!("{e}"),
    }
    match Copula::new(MAX_REPAIR + 1, &chain(MAX_REPAIR + 1, 0.8)) {
        Err(CopulaError::TooLargeToRepair { n }) => assert_eq!(n, MAX_REPAIR + 1),
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("an inconsistent group over the bound was accepted"),
    }
}

#[test]
fn independent_groups_are_found_apart() {
    use subsoil_risk::connected_groups;
    let groups = connected_groups(10, &[(0, 3), (3, 7), (2, 5), (9, 9)]);
    assert_eq!(groups, vec![vec![0, 3, 7], vec![2, 5], vec![9]]);
}
