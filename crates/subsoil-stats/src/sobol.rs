//! Variance-based (Sobol) sensitivity indices from a Saltelli design, by Jansen's estimators, with
//! bootstrap intervals; and Spearman rank correlations.
//!
//! The design has two independent samples of every factor, the rows of matrices `A` and `B`, and for each
//! factor (or group of factors) `g` the hybrid `A_B^g`: the rows of `A` with the columns of `g` taken
//! from `B`. With `f` the model, `y_A`, `y_B` and `y_g` its values on the rows, and `V` the variance of
//! the output (estimated from `y_A` and `y_B` together), Jansen's estimators are
//!
//! - first order: `S_g = (V − mean((y_B − y_g)²) / 2) / V`, the share of `V` explained by `g` alone;
//! - total: `T_g = mean((y_A − y_g)²) / 2 / V`, the share that involves `g` at all (alone or with
//!   other factors).
//!
//! For a group, these are the indices of the group as one factor: its first-order index counts the
//! interactions within the group, and it is not the sum of its members' indices.
//!
//! Intervals come from a bootstrap over the rows (the same resampled rows for every index), the
//! 2.5th and 97.5th percentiles of the resampled estimates; the resampling is a deterministic
//! function of the seed given.

use serde::Serialize;

/// One factor's indices, with their 95% bootstrap intervals.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct SobolIndex {
    /// First-order index.
    pub first: f64,
    /// 95% bootstrap interval of `first`.
    pub first_ci95: [f64; 2],
    /// Total index.
    pub total: f64,
    /// 95% bootstrap interval of `total`.
    pub total_ci95: [f64; 2],
}

/// The output of a Saltelli design: `a[i]`, `b[i]` and, for each factor `g`, `ab[g][i]`, the model
/// on row `i` of `A`, `B` and `A_B^g`. Rows with a non-finite value anywhere are left out.
#[derive(Clone, Copy, Debug)]
pub struct Saltelli<'a> {
    /// The model on the rows of `A`.
    pub a: &'a [f64],
    /// The model on the rows of `B`.
    pub b: &'a [f64],
    /// The model on the rows of each hybrid, one slice per factor, each as long as `a`.
    pub ab: &'a [Vec<f64>],
}

impl Saltelli<'_> {
    /// The rows whose values are all finite.
    fn finite_rows(&self) -> Vec<usize> {
        (0..self.a.len())
            .filter(|&i| {
                self.a[i].is_finite()
                    && self.b[i].is_finite()
                    && self.ab.iter().all(|y| y.get(i).is_some_and(|v| v.is_finite()))
            })
            .collect()
    }

    /// Jansen's first-order and total indices of every factor over the given rows (`NaN` when the
    /// output does not vary on them).
    fn estimate(&self, rows: &[usize]) -> Vec<(f64, f64)> {
        let n = rows.len() as f64;
        // Variance of y_A and y_B pooled, about their common mean (2n − 1 degrees of freedom).
        let mean = rows.iter().map(|&i| self.a[i] + self.b[i]).sum::<f64>() / (2.0 * n);
        let ss: f64 =
            rows.iter().map(|&i| (self.a[i] - mean).powi(2) + (self.b[i] - mean).powi(2)).sum();
        let v = ss / (2.0 * n - 1.0);
        self.ab
            .iter()
            .map(|y| {
                if v <= 0.0 || rows.is_empty() {
                    return (f64::NAN, f64::NAN);
                }
                let (mut db, mut da) = (0.0, 0.0);
                for &i in rows {
                    db += (self.b[i] - y[i]).powi(2);
                    da += (self.a[i] - y[i]).powi(2);
                }
                ((v - db / (2.0 * n)) / v, da / (2.0 * n) / v)
            })
            .collect()
    }

    /// Every factor's indices, with intervals from `resamples` bootstrap resamples of the rows drawn
    /// from `seed` (no interval, `[NaN, NaN]`, with fewer than 2 resamples).
    pub fn indices(&self, resamples: usize, seed: u64) -> Vec<SobolIndex> {
        let rows = self.finite_rows();
        let point = self.estimate(&rows);
        let k = point.len();
        let (mut firsts, mut totals) = (vec![Vec::new(); k], vec![Vec::new(); k]);
        let mut rng = SplitMix(seed);
        let mut pick = vec![0usize; rows.len()];
        for _ in 0..resamples {
            for p in &mut pick {
                *p = rows[rng.below(rows.len() as u64) as usize];
            }
            for (g, (s, t)) in self.estimate(&pick).into_iter().enumerate() {
                firsts[g].push(s);
                totals[g].push(t);
            }
        }
        let interval = |xs: &mut Vec<f64>| {
            xs.retain(|x| x.is_finite());
            if resamples < 2 || xs.len() < 2 {
                return [f64::NAN, f64::NAN];
            }
            xs.sort_by(f64::total_cmp);
            [percentile(xs, 0.025), percentile(xs, 0.975)]
        };
        point
            .into_iter()
            .enumerate()
            .map(|(g, (first, total))| SobolIndex {
                first,
                first_ci95: interval(&mut firsts[g]),
                total,
                total_ci95: interval(&mut totals[g]),
            })
            .collect()
    }
}

/// The `q`-quantile of sorted `xs` by linear interpolation between order statistics.
fn percentile(xs: &[f64], q: f64) -> f64 {
    let h = q * (xs.len() - 1) as f64;
    let (lo, frac) = (h.floor() as usize, h - h.floor());
    let hi = (lo + 1).min(xs.len() - 1);
    xs[lo] + frac * (xs[hi] - xs[lo])
}

/// A small deterministic generator for the bootstrap's row indices (SplitMix64).
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform on `0..n` (n > 0), by rejection so that no value is favoured.
    fn below(&mut self, n: u64) -> u64 {
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next();
            if x < zone {
                return x % n;
            }
        }
    }
}

/// A Spearman rank correlation with its approximate 95% interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct RankCorrelation {
    /// Spearman's ρ: the Pearson correlation of the ranks (ties share their mean rank).
    pub rho: f64,
    /// 95% interval by Fisher's z with the Fieller–Hartley–Pearson variance `1.06 / (n − 3)`.
    pub ci95: [f64; 2],
    /// Pairs used (both values finite).
    pub n: u64,
}

/// Spearman's rank correlation of `x` and `y` over the pairs where both are finite; `rho` is `NaN`
/// when either does not vary or there are fewer than 4 pairs.
pub fn spearman(x: &[f64], y: &[f64]) -> RankCorrelation {
    let (xs, ys): (Vec<f64>, Vec<f64>) = x
        .iter()
        .zip(y)
        .filter(|(a, b)| a.is_finite() && b.is_finite())
        .map(|(a, b)| (*a, *b))
        .unzip();
    let n = xs.len();
    let nan = RankCorrelation { rho: f64::NAN, ci95: [f64::NAN, f64::NAN], n: n as u64 };
    if n < 4 {
        return nan;
    }
    let (rx, ry) = (ranks(&xs), ranks(&ys));
    let m = (n as f64 + 1.0) / 2.0;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in rx.iter().zip(&ry) {
        sxy += (a - m) * (b - m);
        sxx += (a - m) * (a - m);
        syy += (b - m) * (b - m);
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return nan;
    }
    let rho = (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0);
    let z = rho.clamp(-0.999_999_999, 0.999_999_999).atanh();
    let half = 1.959_963_984_540_054 * (1.06 / (n as f64 - 3.0)).sqrt();
    RankCorrelation { rho, ci95: [(z - half).tanh(), (z + half).tanh()], n: n as u64 }
}

/// Ranks 1..=n, ties given their mean rank.
fn ranks(v: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..v.len()).collect();
    idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    let mut r = vec![0.0; v.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && v[idx[j + 1]] == v[idx[i]] {
            j += 1;
        }
        let mean = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            r[k] = mean;
        }
        i = j + 1;
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    /// Uniforms on [0, 1) for the tests' designs.
    fn uniforms(seed: u64) -> impl FnMut() -> f64 {
        let mut g = SplitMix(seed);
        move || (g.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A Saltelli design for `f` of `d` inputs uniform on [lo, hi], with the factor groups given as
    /// lists of columns: `(y_A, y_B, y_AB per group)`.
    fn design(
        f: impl Fn(&[f64]) -> f64,
        d: usize,
        (lo, hi): (f64, f64),
        groups: &[&[usize]],
        n: usize,
        seed: u64,
    ) -> (Vec<f64>, Vec<f64>, Vec<Vec<f64>>) {
        let mut u = uniforms(seed);
        let (mut ya, mut yb) = (Vec::with_capacity(n), Vec::with_capacity(n));
        let mut yab = vec![Vec::with_capacity(n); groups.len()];
        let mut row = vec![0.0; d];
        for _ in 0..n {
            let a: Vec<f64> = (0..d).map(|_| lo + (hi - lo) * u()).collect();
            let b: Vec<f64> = (0..d).map(|_| lo + (hi - lo) * u()).collect();
            ya.push(f(&a));
            yb.push(f(&b));
            for (g, cols) in groups.iter().enumerate() {
                row.copy_from_slice(&a);
                for &c in *cols {
                    row[c] = b[c];
                }
                yab[g].push(f(&row));
            }
        }
        (ya, yb, yab)
    }

    fn ishigami(x: &[f64]) -> f64 {
        let (a, b) = (7.0, 0.1);
        x[0].sin() + a * x[1].sin().powi(2) + b * x[2].powi(4) * x[0].sin()
    }

    /// Analytic indices of Ishigami with a = 7, b = 0.1 on U(−π, π)³:
    /// V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2, V1 = (1 + bπ⁴/5)²/2, V2 = a²/8, V3 = 0,
    /// V13 = b²π⁸ (1/18 − 1/50) = 8 b²π⁸ / 225, and no other interaction.
    fn ishigami_analytic() -> ([f64; 3], [f64; 3]) {
        let (a, b) = (7.0f64, 0.1f64);
        let (p4, p8) = (PI.powi(4), PI.powi(8));
        let v = a * a / 8.0 + b * p4 / 5.0 + b * b * p8 / 18.0 + 0.5;
        let v1 = 0.5 * (1.0 + b * p4 / 5.0).powi(2);
        let v2 = a * a / 8.0;
        let v13 = 8.0 * b * b * p8 / 225.0;
        ([v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v])
    }

    /// Ishigami, each input its own factor, N = 50,000 rows of pseudo-random A and B (200,000
    /// evaluations). Jansen's estimators have standard errors of about 0.005 here (the bootstrap
    /// intervals below are about ±0.01 wide), so 0.02 is four standard errors: the fixed seed makes
    /// the test deterministic, and any seed would pass with overwhelming probability.
    #[test]
    fn ishigami_indices_are_within_two_hundredths_of_the_analytic_ones() {
        let groups: [&[usize]; 3] = [&[0], &[1], &[2]];
        let (ya, yb, yab) = design(ishigami, 3, (-PI, PI), &groups, 50_000, 42);
        let got = Saltelli { a: &ya, b: &yb, ab: &yab }.indices(100, 7);
        let (first, total) = ishigami_analytic();
        // S = (0.314, 0.442, 0), T = (0.558, 0.442, 0.244).
        assert!((first[0] - 0.3139).abs() < 1e-3 && (total[2] - 0.2437).abs() < 1e-3);
        for g in 0..3 {
            let (s, t) = (got[g].first, got[g].total);
            assert!((s - first[g]).abs() < 0.02, "S{}: {s} vs {}", g + 1, first[g]);
            assert!((t - total[g]).abs() < 0.02, "T{}: {t} vs {}", g + 1, total[g]);
            let [lo, hi] = got[g].total_ci95;
            assert!(lo < t && t < hi && hi - lo < 0.05, "T{} interval {lo}..{hi}", g + 1);
        }
    }

    /// Y = X1 + X2·X3 with X uniform on [−1, 1]: Var X1 = 1/3, Var(X2 X3) = E X2² E X3² = 1/9, V = 4/9.
    /// E[Y | X2] = 0, so X2 alone explains nothing (S2 = 0), but the group {X2, X3} explains
    /// (1/9)/(4/9) = 1/4 and X1 the other 3/4, with no interaction between the groups (first-order =
    /// total). Ishigami's {X1, X3} as one factor: S = T = S1 + S13 = 1 − S2, since X2 interacts with
    /// nothing.
    #[test]
    fn a_group_of_inputs_gets_the_index_of_the_group_not_the_sum_of_its_members() {
        let f = |x: &[f64]| x[0] + x[1] * x[2];
        let groups: [&[usize]; 3] = [&[0], &[1, 2], &[1]];
        let (ya, yb, yab) = design(f, 3, (-1.0, 1.0), &groups, 50_000, 3);
        let got = Saltelli { a: &ya, b: &yb, ab: &yab }.indices(0, 0);
        let near = |x: f64, want: f64| (x - want).abs() < 0.02;
        assert!(near(got[0].first, 0.75) && near(got[0].total, 0.75), "{:?}", got[0]);
        assert!(near(got[1].first, 0.25) && near(got[1].total, 0.25), "{:?}", got[1]);
        assert!(near(got[2].first, 0.0) && near(got[2].total, 0.25), "{:?}", got[2]);
        assert!(got[0].first_ci95[0].is_nan(), "no resample, no interval");

        let groups: [&[usize]; 2] = [&[0, 2], &[1]];
        let (ya, yb, yab) = design(ishigami, 3, (-PI, PI), &groups, 50_000, 5);
        let got = Saltelli { a: &ya, b: &yb, ab: &yab }.indices(0, 0);
        let (first, _) = ishigami_analytic();
        let s13 = 1.0 - first[1];
        assert!(near(got[0].first, s13) && near(got[0].total, s13), "{:?}", got[0]);
    }

    #[test]
    fn a_constant_output_has_no_index_and_rows_with_non_finite_values_are_left_out() {
        let (a, b) = (vec![1.0; 10], vec![1.0; 10]);
        let got = Saltelli { a: &a, b: &b, ab: &[vec![1.0; 10]] }.indices(10, 1);
        assert!(got[0].first.is_nan() && got[0].total.is_nan());
        // y = x on one factor: S = T = 1; a NaN row changes nothing.
        let a = vec![0.0, 1.0, 2.0, 3.0, f64::NAN];
        let b = vec![3.0, 0.0, 1.0, 2.0, 1.0];
        let got = Saltelli { a: &a, b: &b, ab: std::slice::from_ref(&b) }.indices(0, 0);
        assert!((got[0].first - 1.0).abs() < 1e-12 && got[0].total > 0.9, "{:?}", got[0]);
    }

    #[test]
    fn spearman_uses_ranks_with_ties_at_their_mean() {
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        let y = [1.0, 8.0, 27.0, 64.0, 125.0];
        assert!((spearman(&x, &y).rho - 1.0).abs() < 1e-12);
        let yr: Vec<f64> = y.iter().rev().copied().collect();
        assert!((spearman(&x, &yr).rho + 1.0).abs() < 1e-12);
        // Ties: ranks (1, 2.5, 2.5, 4, 5) against (1, 2, 3, 4, 5), both about 3:
        // Σ products = 4 + 0.5 + 0 + 1 + 4 = 9.5, Σ squares 9.5 and 10.
        let xt = [1.0, 2.0, 2.0, 4.0, 5.0];
        let r = spearman(&xt, &x);
        assert!((r.rho - 9.5 / (9.5f64 * 10.0).sqrt()).abs() < 1e-12, "{r:?}");
        assert!(spearman(&[1.0; 5], &x).rho.is_nan());
        assert!(r.ci95[0] < r.rho && r.rho < r.ci95[1]);
    }
}
