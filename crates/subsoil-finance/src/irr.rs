//! Internal rate of return for evenly spaced cash flows, with every root accounted for.
//!
//! The IRR is a rate `r > -1` with `Σ values[t] / (1+r)^t = 0` (`values[0]` at `t = 0`, the
//! [`crate::npv_t0`] convention; Excel, LibreOffice and numpy-financial agree on this).
//! A cash-flow series with more than one sign change can have several such rates — a mine with
//! closure costs after its revenue years is the usual example — so this module first finds
//! *all* of them ([`irr_all`]) and then picks one by a fixed rule ([`irr()`]) or by proximity to
//! a guess ([`irr_with_guess`]).
//!
//! How the roots are found is described on [`irr_all`].

use crate::roots::{count_sign_changes, rate_roots};

/// All internal rates of return `r > -1`, ascending.
///
/// Empty when there is no root: all values share one sign, all are zero, the slice is empty,
/// or it holds a `NaN` or infinite value. The number of roots never exceeds
/// [`sign_changes`]`(values)` (Descartes' rule of signs).
///
/// # How the roots are found
///
/// With `x = 1/(1+r)` the NPV is the polynomial `Σ values[t] x^t`; rates `r ≥ 0` are its roots in
/// `x ∈ (0, 1]` and rates `-1 < r ≤ 0` are the roots of the reversed polynomial in `y = 1+r ∈
/// (0, 1]`. On each unit interval the roots are isolated exactly: Descartes' rule of signs
/// settles the common one-sign-change case at once; otherwise the roots of a derivative (Rolle's
/// theorem, applied recursively) cut the interval into pieces holding at most one root each,
/// and each piece is searched with Brent's method. Nothing is sampled on a grid, so close pairs
/// of roots are not skipped; roots where the NPV only touches zero (double roots) are reported
/// once. Trailing and leading zeros do not change the roots.
///
/// Cost, measured with `cargo bench`: about 3 µs for 30 yearly flows with one sign change and
/// about 7 µs for a 27-year mine profile with closure costs (two sign changes); series with
/// hundreds of sign changes take milliseconds.
///
/// # Examples
///
/// ```
/// use subsoil_finance::irr_all;
///
/// // -100 + 230/(1+r) - 132/(1+r)^2 is zero at 10 % and at 20 %.
/// let roots = irr_all(&[-100.0, 230.0, -132.0]);
/// assert_eq!(roots.len(), 2);
/// assert!((roots[0] - 0.10).abs() < 1e-12 && (roots[1] - 0.20).abs() < 1e-12);
///
/// assert!(irr_all(&[1.0, 2.0, 3.0]).is_empty());
/// ```
pub fn irr_all(values: &[f64]) -> Vec<f64> {
    let terms: Vec<(f64, f64)> = values.iter().enumerate().map(|(t, &v)| (v, t as f64)).collect();
    rate_roots(&terms)
}

/// The internal rate of return, chosen deterministically when there are several.
///
/// The rule, applied to the roots from [`irr_all`]:
///
/// 1. no root → `None`;
/// 2. otherwise the **smallest non-negative root**, if any root is `≥ 0`;
/// 3. otherwise (all roots negative) the **root closest to zero**, i.e. the largest.
///
/// This is the choice numpy-financial's default selection makes in effect, and it reproduces
/// the published values: `[-100, 100, 0, -7]` has roots ≈ -0.6789 and -0.0833 → -0.0833;
/// `[-5, 10.5, 1, -8, 1]` has roots ≈ -0.8702, 0.0886 and 0.7096 → 0.0886. Reading: when a
/// project earns a non-negative return at some rate, report the most conservative such rate.
///
/// The result satisfies `npv_t0(r, values) ≈ 0` to rounding error.
///
/// # Examples
///
/// ```
/// use subsoil_finance::{irr, npv_t0};
///
/// let values = [-150_000.0, 15_000.0, 25_000.0, 35_000.0, 45_000.0, 60_000.0];
/// let r = irr(&values).unwrap_or(f64::NAN);
/// assert!((r - 0.0524).abs() < 1e-4);
/// assert!(npv_t0(r, &values).abs() < 1e-6);
///
/// // Several roots: the smallest non-negative one is returned.
/// let r = irr(&[-5.0, 10.5, 1.0, -8.0, 1.0]).unwrap_or(f64::NAN);
/// assert!((r - 0.0886).abs() < 1e-4);
///
/// // All flows of one sign: no rate makes the NPV zero.
/// assert_eq!(irr(&[1.0, 2.0, 3.0]), None);
/// ```
pub fn irr(values: &[f64]) -> Option<f64> {
    choose_root(&irr_all(values))
}

/// The internal rate of return nearest to `guess` (Excel's `IRR(values, guess)` intent).
///
/// Excel runs Newton's method from the guess and reports wherever it converges; this function
/// instead returns, among all roots from [`irr_all`], the one closest to `guess` (ties go to
/// the smaller root), which is what a guess is meant to express and does not depend on solver
/// details. `None` when there is no root or `guess` is not finite.
///
/// # Examples
///
/// ```
/// use subsoil_finance::irr_with_guess;
///
/// // Excel help: IRR(-70000, 12000, 15000; -10 %) = -44.4 %.
/// let r = irr_with_guess(&[-70_000.0, 12_000.0, 15_000.0], -0.1).unwrap_or(f64::NAN);
/// assert!((r + 0.444).abs() < 5e-4);
///
/// // With two roots (10 % and 20 %) the guess picks one.
/// let values = [-100.0, 230.0, -132.0];
/// let near_high = irr_with_guess(&values, 0.3).unwrap_or(f64::NAN);
/// assert!((near_high - 0.20).abs() < 1e-12);
/// ```
pub fn irr_with_guess(values: &[f64], guess: f64) -> Option<f64> {
    nearest_root(&irr_all(values), guess)
}

/// Number of sign changes in `values`, zeros ignored.
///
/// Descartes' rule of signs bounds the number of internal rates of return by this count: `0`
/// means no IRR, `1` means exactly one (a conventional investment), more means the IRR may not
/// be unique and reports should say which root they show.
///
/// # Examples
///
/// ```
/// use subsoil_finance::sign_changes;
///
/// assert_eq!(sign_changes(&[-100.0, 60.0, 60.0]), 1);
/// // Investment, revenue, then closure costs.
/// assert_eq!(sign_changes(&[-100.0, 0.0, 80.0, 80.0, -20.0]), 2);
/// ```
pub fn sign_changes(values: &[f64]) -> usize {
    count_sign_changes(values)
}

/// Applies the documented selection rule of [`irr()`] to ascending roots.
pub(crate) fn choose_root(roots: &[f64]) -> Option<f64> {
    roots.iter().copied().find(|&r| r >= 0.0).or_else(|| roots.last().copied())
}

/// The root closest to `guess`, ties to the smaller root.
pub(crate) fn nearest_root(roots: &[f64], guess: f64) -> Option<f64> {
    if !guess.is_finite() {
        return None;
    }
    roots.iter().copied().fold(None, |best: Option<f64>, r| match best {
        Some(b) if (b - guess).abs() <= (r - guess).abs() => Some(b),
        _ => Some(r),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_prefers_smallest_non_negative() {
        assert_eq!(choose_root(&[-0.5, 0.3, 0.7]), Some(0.3));
        assert_eq!(choose_root(&[-0.5, 0.0, 0.7]), Some(0.0));
        assert_eq!(choose_root(&[-0.7, -0.2]), Some(-0.2));
        assert_eq!(choose_root(&[]), None);
    }

    #[test]
    fn nearest_root_breaks_ties_downwards() {
        // Exactly representable values, so the tie is exact.
        assert_eq!(nearest_root(&[0.25, 0.75], 0.5), Some(0.25));
        assert_eq!(nearest_root(&[0.25, 0.75], 0.5625), Some(0.75));
        assert_eq!(nearest_root(&[0.1], f64::NAN), None);
        assert_eq!(nearest_root(&[], 0.1), None);
    }

    #[test]
    fn no_rate_for_degenerate_input() {
        assert_eq!(irr(&[]), None);
        assert_eq!(irr(&[0.0, 0.0]), None);
        assert_eq!(irr(&[-1.0]), None);
        assert_eq!(irr(&[-1.0, f64::NAN, 2.0]), None);
        assert_eq!(irr(&[-1.0, f64::INFINITY]), None);
    }

    #[test]
    fn zero_rate_root_is_found_once() {
        // Sum is zero: r = 0 is a root, and it is the only one.
        assert_eq!(irr_all(&[-100.0, 50.0, 50.0]), vec![0.0]);
        // (1 - x)^2: NPV touches zero at r = 0.
        assert_eq!(irr_all(&[1.0, -2.0, 1.0]), vec![0.0]);
    }

    #[test]
    fn leading_zeros_do_not_change_the_rate() {
        let a = irr(&[-100.0, 60.0, 60.0]);
        let b = irr(&[0.0, 0.0, -100.0, 60.0, 60.0]);
        assert!(a.is_some());
        assert_eq!(a.map(|r| (r * 1e12).round()), b.map(|r| (r * 1e12).round()));
    }
}
