//! Net present value under the two conventions in common use.
//!
//! Spreadsheets (Excel, LibreOffice, FormCalc, FileMaker) discount the *first* value one full
//! period; numpy-financial treats the first value as paid now, at `t = 0`. The two differ by
//! exactly one period of discounting: `npv_excel(r, v) = npv_t0(r, v) / (1 + r)`.
//!
//! The worked comparison is in the crate documentation.

/// Net present value with the first value at `t = 0`, undiscounted (numpy-financial `npv`).
///
/// `Σ_{t=0}^{n-1} values[t] / (1 + rate)^t`. This is the convention the rest of subsoil uses for
/// project and deal cash flows indexed from year 0, and the one under which [`crate::irr()`] is the
/// root of the NPV.
///
/// Returns `NaN` when `rate == -1` (the discount factor is infinite), as numpy-financial does, and
/// `0.0` for an empty slice. Rates below -1 are evaluated as written (whole powers of a negative
/// number), which is rarely meaningful.
///
/// # Examples
///
/// ```
/// use subsoil_finance::npv_t0;
///
/// let npv = npv_t0(0.10, &[-1000.0, 500.0, 500.0, 500.0]);
/// assert!((npv - 243.4259954921112).abs() < 1e-9);
///
/// // The first value is not discounted, so a single value is its own present value.
/// assert_eq!(npv_t0(0.10, &[-1000.0]), -1000.0);
/// assert!(npv_t0(-1.0, &[0.0, 1.0]).is_nan());
/// ```
pub fn npv_t0(rate: f64, values: &[f64]) -> f64 {
    if rate == -1.0 {
        return f64::NAN;
    }
    let factor = 1.0 / (1.0 + rate);
    // Horner's scheme in the discount factor: v0 + d(v1 + d(v2 + ...)).
    values.iter().rev().fold(0.0, |acc, &v| acc * factor + v)
}

/// Net present value with the first value discounted one period (Excel / LibreOffice `NPV`).
///
/// `Σ_{t=0}^{n-1} values[t] / (1 + rate)^(t+1)`, i.e. the flows are taken to fall at the *end* of
/// periods 1…n. Use it to reproduce spreadsheet figures; for a project whose first flow is paid
/// today use [`npv_t0`].
///
/// Returns `NaN` when `rate == -1` and `0.0` for an empty slice.
///
/// # Examples
///
/// ```
/// use subsoil_finance::{npv_excel, npv_t0};
///
/// let values = [-1000.0, 500.0, 500.0, 500.0];
/// let excel = npv_excel(0.10, &values);
/// assert!((excel - 221.29635953828267).abs() < 1e-9);
/// // One extra period of discounting compared with the t = 0 convention.
/// assert!((excel - npv_t0(0.10, &values) / 1.1).abs() < 1e-9);
///
/// // LibreOffice help: NPV(8.75 %; 10; 20; 30) = 49.43.
/// assert!((npv_excel(0.0875, &[10.0, 20.0, 30.0]) - 49.43).abs() < 0.005);
/// ```
pub fn npv_excel(rate: f64, values: &[f64]) -> f64 {
    if rate == -1.0 {
        return f64::NAN;
    }
    let factor = 1.0 / (1.0 + rate);
    let mut discount = factor;
    let mut sum = 0.0;
    for &v in values {
        sum += v * discount;
        discount *= factor;
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_flows_are_worth_nothing() {
        assert_eq!(npv_t0(0.05, &[]), 0.0);
        assert_eq!(npv_excel(0.05, &[]), 0.0);
    }

    #[test]
    fn zero_rate_is_the_plain_sum() {
        let values = [-3.0, 1.0, 1.5, 2.0];
        assert_eq!(npv_t0(0.0, &values), 1.5);
        assert_eq!(npv_excel(0.0, &values), 1.5);
    }

    #[test]
    fn rate_of_minus_one_is_nan_in_both_conventions() {
        assert!(npv_t0(-1.0, &[1.0, 2.0]).is_nan());
        assert!(npv_excel(-1.0, &[1.0, 2.0]).is_nan());
    }
}
