//! Real roots of cash-flow power sums on the unit interval.
//!
//! Every rate-of-return problem in this crate reduces to finding the positive real roots of a
//! *power sum* `f(x) = Σ c_i · x^(e_i)` with real exponents `0 = e_0 < e_1 < …` (integers for
//! [`crate::irr()`], day fractions for [`crate::xirr`]). Rates `r ≥ 0` map to `x = 1/(1+r)` and
//! rates `-1 < r ≤ 0` map to `y = 1+r`, so both halves of the rate axis become a search on
//! `(0, 1]`, where no power can overflow.
//!
//! The search is exact in structure rather than grid based:
//!
//! * Descartes' rule of signs (which holds for real exponents too) bounds the number of positive
//!   roots by the number of sign changes in the coefficients. Zero changes: no root. One change:
//!   at most one simple root, found by checking the signs at the interval ends.
//! * Otherwise the roots of a derivative split the interval into pieces on which `f` has at
//!   most one root (Rolle). Either `f'` or `(x^(-E) f)'` is used — the first drops the lowest
//!   term, the second the highest — and both are again power sums with one term fewer, so the
//!   recursion ends. Their coefficient signs are `f`'s without one end term (all flipped, for
//!   the second), so sign changes never increase; dropping from the end with the shorter
//!   same-sign run makes them fall, and the recursion stop, quickly.
//! * Each piece is searched with Brent's method to full precision when `f` changes sign on it.
//!   A split point where `|f|` is within rounding error of zero is reported as a (tangent)
//!   root, so touching roots such as `(1 - x)^2` are not lost.

/// A power sum `Σ c_i · x^(e_i)` with non-zero coefficients and strictly increasing exponents,
/// the smallest of which is zero.
#[derive(Debug, Clone)]
pub(crate) struct PowerSum {
    coefs: Vec<f64>,
    exps: Vec<f64>,
    /// All exponents are whole numbers, which allows exact repeated multiplication.
    integral: bool,
}

impl PowerSum {
    /// Builds a power sum from `(coefficient, exponent)` pairs.
    ///
    /// Zero coefficients are dropped, equal exponents are merged and all exponents are shifted so
    /// that the smallest is zero (dividing by a power of `x` keeps the positive roots). Returns
    /// `None` when no non-zero term remains or any input is not finite.
    pub(crate) fn new(mut terms: Vec<(f64, f64)>) -> Option<PowerSum> {
        if terms.iter().any(|&(c, e)| !c.is_finite() || !e.is_finite()) {
            return None;
        }
        terms.sort_by(|a, b| a.1.total_cmp(&b.1));
        let mut coefs: Vec<f64> = Vec::with_capacity(terms.len());
        let mut exps: Vec<f64> = Vec::with_capacity(terms.len());
        for (c, e) in terms {
            match exps.last() {
                Some(&last) if last == e => {
                    if let Some(acc) = coefs.last_mut() {
                        *acc += c;
                    }
                }
                _ => {
                    coefs.push(c);
                    exps.push(e);
                }
            }
        }
        let keep: Vec<(f64, f64)> =
            coefs.into_iter().zip(exps).filter(|&(c, _)| c != 0.0).collect();
        let base = keep.first()?.1;
        let coefs = keep.iter().map(|&(c, _)| c).collect();
        let exps: Vec<f64> = keep.iter().map(|&(_, e)| e - base).collect();
        let integral = exps.iter().all(|e| e.fract() == 0.0 && *e < f64::from(i32::MAX));
        Some(PowerSum { coefs, exps, integral }.normalised())
    }

    /// Scales the coefficients so the largest magnitude is one (roots are unchanged).
    fn normalised(mut self) -> PowerSum {
        let max = self.coefs.iter().fold(0.0_f64, |m, c| m.max(c.abs()));
        if max > 0.0 && max.is_finite() {
            for c in &mut self.coefs {
                *c /= max;
            }
        }
        self
    }

    /// Number of sign changes in the coefficient sequence (Descartes' bound on positive roots).
    pub(crate) fn sign_changes(&self) -> usize {
        self.coefs.windows(2).filter(|w| (w[0] > 0.0) != (w[1] > 0.0)).count()
    }

    /// Value at `x ≥ 0` together with `Σ |c_i| x^(e_i)`, the scale of its rounding error.
    fn eval_with_scale(&self, x: f64) -> (f64, f64) {
        let mut sum = 0.0;
        let mut scale = 0.0;
        let mut power = 1.0;
        let mut prev_exp = 0.0;
        for (&c, &e) in self.coefs.iter().zip(&self.exps) {
            power = if self.integral {
                // Exponents are whole and below i32::MAX, checked in `new`. Consecutive
                // exponents (the common case for yearly flows) need one multiplication.
                let gap = e - prev_exp;
                if gap == 1.0 { power * x } else { power * x.powi(gap as i32) }
            } else {
                x.powf(e)
            };
            prev_exp = e;
            sum += c * power;
            scale += c.abs() * power;
        }
        (sum, scale)
    }

    /// Value at `x ≥ 0`.
    fn eval(&self, x: f64) -> f64 {
        self.eval_with_scale(x).0
    }

    /// A power sum with one term fewer whose positive roots split `(0, ∞)` into pieces on
    /// each of which `self` has at most one root. Returns `None` for a single term.
    ///
    /// Two choices, both by Rolle's theorem applied to a function with the same positive roots
    /// and the same sign as `f` up to a positive factor:
    ///
    /// * drop the lowest term: `f'(x) = x^(e_1 - 1) · Σ_{i≥1} c_i e_i x^(e_i - e_1)`;
    /// * drop the highest term (exponent `E`): `(x^(-E) f)'(x) = x^(-E-1) · Σ_{i<top} c_i (e_i - E)
    ///   x^(e_i)`.
    ///
    /// The end with the shorter run of same-signed coefficients is dropped, so a series such as
    /// capex, revenue, then many years of closure cost loses a sign change after two steps rather
    /// than after one step per closure year.
    fn splitting_sum(&self) -> Option<PowerSum> {
        let n_terms = self.coefs.len();
        if n_terms < 2 {
            return None;
        }
        let low_run = same_sign_run(self.coefs.iter());
        let high_run = same_sign_run(self.coefs.iter().rev());
        let (coefs, exps) = if low_run <= high_run {
            let base = self.exps[1];
            let coefs = self.coefs[1..].iter().zip(&self.exps[1..]).map(|(c, e)| c * e).collect();
            (coefs, self.exps[1..].iter().map(|e| e - base).collect())
        } else {
            let top = self.exps[n_terms - 1];
            let kept = n_terms - 1;
            let coefs = self.coefs[..kept]
                .iter()
                .zip(&self.exps[..kept])
                .map(|(c, e)| c * (e - top))
                .collect();
            (coefs, self.exps[..kept].to_vec())
        };
        Some(PowerSum { coefs, exps, integral: self.integral }.normalised())
    }

    /// All roots in `[lo, hi]` (with `0 ≤ lo < hi`), ascending, each listed once.
    pub(crate) fn roots_between(&self, lo: f64, hi: f64) -> Vec<f64> {
        let changes = self.sign_changes();
        if changes == 0 {
            return Vec::new();
        }
        let mut points = vec![lo];
        if changes > 1
            && let Some(splitter) = self.splitting_sum()
        {
            points.extend(splitter.roots_between(lo, hi).into_iter().filter(|&c| c > lo && c < hi));
        }
        points.push(hi);

        // Values at the split points; values lost in rounding count as exact zeros.
        let tol = 64.0 * (self.coefs.len() as f64) * f64::EPSILON;
        let values: Vec<f64> = points
            .iter()
            .map(|&p| {
                let (v, scale) = self.eval_with_scale(p);
                if v.abs() <= tol * scale { 0.0 } else { v }
            })
            .collect();

        let mut roots = Vec::new();
        for i in 0..points.len() {
            if values[i] == 0.0 {
                roots.push(points[i]);
            }
            if i + 1 < points.len() {
                let (fa, fb) = (values[i], values[i + 1]);
                if fa != 0.0 && fb != 0.0 && (fa > 0.0) != (fb > 0.0) {
                    roots.push(brent(|x| self.eval(x), points[i], points[i + 1], fa, fb));
                }
            }
        }
        roots.dedup();
        roots
    }
}

/// Length of the leading run of same-signed values (zero for an empty sequence).
fn same_sign_run<'a>(mut values: impl Iterator<Item = &'a f64>) -> usize {
    let Some(first) = values.next() else { return 0 };
    1 + values.take_while(|v| (**v > 0.0) == (*first > 0.0)).count()
}

/// Brent's method on a bracket `[a, b]` with `f(a)` and `f(b)` of opposite signs.
///
/// Combines inverse quadratic interpolation, the secant step and bisection; the bracket always
/// shrinks, and the result is accurate to a few units in the last place of `x`.
fn brent(f: impl Fn(f64) -> f64, a: f64, b: f64, fa: f64, fb: f64) -> f64 {
    // `b` is the best estimate, `c` the contrapoint (f(c) has the other sign), `a` the previous b.
    let (mut a, mut fa, mut b, mut fb) = (a, fa, b, fb);
    let (mut c, mut fc) = (a, fa);
    let mut step = b - a;
    let mut prev_step = step;
    for _ in 0..300 {
        if (fb > 0.0) == (fc > 0.0) {
            c = a;
            fc = fa;
            step = b - a;
            prev_step = step;
        }
        if fc.abs() < fb.abs() {
            (a, fa) = (b, fb);
            (b, fb) = (c, fc);
            (c, fc) = (a, fa);
        }
        let tol = 2.0 * f64::EPSILON * b.abs() + f64::MIN_POSITIVE;
        let half = 0.5 * (c - b);
        if half.abs() <= tol || fb == 0.0 {
            return b;
        }
        if prev_step.abs() >= tol && fa.abs() > fb.abs() {
            let s = fb / fa;
            let (mut p, mut q) = if a == c {
                (2.0 * half * s, 1.0 - s)
            } else {
                let qa = fa / fc;
                let rb = fb / fc;
                (
                    s * (2.0 * half * qa * (qa - rb) - (b - a) * (rb - 1.0)),
                    (qa - 1.0) * (rb - 1.0) * (s - 1.0),
                )
            };
            if p > 0.0 {
                q = -q;
            } else {
                p = -p;
            }
            if 2.0 * p < (3.0 * half * q - (tol * q).abs()).min((prev_step * q).abs()) {
                prev_step = step;
                step = p / q;
            } else {
                step = half;
                prev_step = half;
            }
        } else {
            step = half;
            prev_step = half;
        }
        (a, fa) = (b, fb);
        b += if step.abs() > tol { step } else { tol.copysign(half) };
        fb = f(b);
    }
    b
}

/// All rates `r > -1` at which `Σ v_i / (1+r)^(t_i) = 0`, ascending.
///
/// `terms` holds `(v_i, t_i)` pairs with `t_i ≥ 0` in any order. Returns an empty list when the
/// input is empty, all zero, or holds a non-finite number.
pub(crate) fn rate_roots(terms: &[(f64, f64)]) -> Vec<f64> {
    // r ≥ 0: x = 1/(1+r) in (0, 1], f(x) = Σ v_i x^(t_i).
    let Some(upper) = PowerSum::new(terms.to_vec()) else {
        return Vec::new();
    };
    // -1 < r ≤ 0: y = 1+r in (0, 1], y^T f(1/y) = Σ v_i y^(T - t_i).
    let t_max = terms.iter().fold(0.0_f64, |m, &(_, t)| m.max(t));
    let Some(lower) = PowerSum::new(terms.iter().map(|&(v, t)| (v, t_max - t)).collect()) else {
        return Vec::new();
    };
    let mut rates: Vec<f64> = lower
        .roots_between(0.0, 1.0)
        .into_iter()
        .filter(|&y| y > 0.0)
        .map(|y| y - 1.0)
        .chain(
            upper.roots_between(0.0, 1.0).into_iter().filter(|&x| x > 0.0).map(|x| 1.0 / x - 1.0),
        )
        .collect();
    rates.sort_by(f64::total_cmp);
    // r = 0 lies in both halves; merge copies that differ only by rounding.
    rates.dedup_by(|b, a| (*b - *a).abs() <= 1e-12 * a.abs().max(1.0));
    rates
}

/// Number of sign changes in a sequence, ignoring zeros.
pub(crate) fn count_sign_changes(values: &[f64]) -> usize {
    let signs: Vec<bool> = values.iter().filter(|v| **v != 0.0).map(|v| *v > 0.0).collect();
    signs.windows(2).filter(|w| w[0] != w[1]).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn finds_simple_roots_of_a_cubic() {
        // (x - 0.2)(x - 0.5)(x - 0.9) = x^3 - 1.6x^2 + 0.73x - 0.09
        let f = PowerSum::new(vec![(-0.09, 0.0), (0.73, 1.0), (-1.6, 2.0), (1.0, 3.0)]);
        let roots = f.map(|f| f.roots_between(0.0, 1.0)).unwrap_or_default();
        assert_eq!(roots.len(), 3, "{roots:?}");
        for (got, want) in roots.iter().zip([0.2, 0.5, 0.9]) {
            assert!(close(*got, want, 1e-14), "{got} vs {want}");
        }
    }

    #[test]
    fn finds_a_tangent_root() {
        // (1 - x)^2 touches zero at x = 1 without crossing.
        let f = PowerSum::new(vec![(1.0, 0.0), (-2.0, 1.0), (1.0, 2.0)]);
        let roots = f.map(|f| f.roots_between(0.0, 1.0)).unwrap_or_default();
        assert_eq!(roots, vec![1.0]);
    }

    #[test]
    fn tangent_root_inside_the_interval() {
        // (x - 0.5)^2 (x - 0.8): double root at 0.5, simple root at 0.8.
        // = x^3 - 1.8x^2 + 1.05x - 0.2
        let f = PowerSum::new(vec![(-0.2, 0.0), (1.05, 1.0), (-1.8, 2.0), (1.0, 3.0)]);
        let roots = f.map(|f| f.roots_between(0.0, 1.0)).unwrap_or_default();
        assert_eq!(roots.len(), 2, "{roots:?}");
        assert!(close(roots[0], 0.5, 1e-7), "{roots:?}");
        assert!(close(roots[1], 0.8, 1e-14), "{roots:?}");
    }

    #[test]
    fn merges_terms_and_drops_zeros() {
        let f = PowerSum::new(vec![(0.0, 0.0), (1.0, 2.0), (-3.0, 5.0), (2.0, 2.0)]);
        let f = f.map(|f| (f.coefs.clone(), f.exps.clone()));
        assert_eq!(f, Some((vec![1.0, -1.0], vec![0.0, 3.0])));
        assert!(PowerSum::new(vec![(0.0, 1.0)]).is_none());
        assert!(PowerSum::new(vec![(f64::NAN, 1.0), (1.0, 0.0)]).is_none());
    }

    #[test]
    fn rate_roots_cover_both_halves_of_the_axis() {
        // -100 + 230/(1+r) - 132/(1+r)^2 = 0 has roots r = 0.1 and r = 0.2.
        let roots = rate_roots(&[(-100.0, 0.0), (230.0, 1.0), (-132.0, 2.0)]);
        assert_eq!(roots.len(), 2, "{roots:?}");
        assert!(close(roots[0], 0.1, 1e-13) && close(roots[1], 0.2, 1e-13), "{roots:?}");
        // -100 + 50/(1+r) = 0 at r = -0.5.
        let roots = rate_roots(&[(-100.0, 0.0), (50.0, 1.0)]);
        assert_eq!(roots, vec![-0.5]);
    }

    #[test]
    fn counts_sign_changes_ignoring_zeros() {
        assert_eq!(count_sign_changes(&[-1.0, 0.0, 2.0, 0.0, -3.0, -1.0]), 2);
        assert_eq!(count_sign_changes(&[0.0, 0.0]), 0);
        assert_eq!(count_sign_changes(&[]), 0);
    }
}
