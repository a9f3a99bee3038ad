//! Present value and internal rate of return for irregularly dated cash flows.
//!
//! Excel's convention (also DAX and LibreOffice): the value dated `d_i` is discounted by
//! `(1 + rate)^((d_i - d_0) / 365)`, where `d_0` is the **first date in the list** and day
//! differences are actual calendar days. The divisor stays 365 in leap years, so a span that
//! contains 29 February counts as slightly more than a year. The first value is not discounted.
//!
//! As in Excel, no date may precede the first one; the rest may be in any order.

use crate::date::Date;
use crate::irr::{choose_root, nearest_root};
use crate::roots::rate_roots;

/// Days per year in the Excel `XNPV`/`XIRR` convention.
pub const DAYS_PER_YEAR: f64 = 365.0;

/// Net present value of dated flows at an annual `rate` (Excel `XNPV`).
///
/// `Σ values[i] / (1 + rate)^((dates[i] - dates[0]) / 365)`: day differences are actual calendar
/// days and the divisor stays 365 in leap years, so a span containing 29 February counts as
/// slightly more than a year. The first value is not discounted. As in Excel, no date may
/// precede `dates[0]`; the others may come in any order, and flows on the same day add up.
///
/// Returns `NaN` when the slices differ in length, a date precedes `dates[0]`, `rate ≤ -1`,
/// or a value is not finite; `0.0` for empty slices.
///
/// # Examples
///
/// ```
/// use subsoil_finance::{xnpv, Date};
///
/// // Excel help example: XNPV(9 %, …) = 2086.6476.
/// let dates: Vec<Date> = ["2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01"]
///     .iter()
///     .map(|s| s.parse())
///     .collect::<Result<_, _>>()?;
/// let values = [-10_000.0, 2750.0, 4250.0, 3250.0, 2750.0];
/// assert!((xnpv(0.09, &values, &dates) - 2086.6476).abs() < 1e-4);
/// # Ok::<(), subsoil_finance::DateError>(())
/// ```
pub fn xnpv(rate: f64, values: &[f64], dates: &[Date]) -> f64 {
    let Some(terms) = dated_terms(values, dates) else {
        return f64::NAN;
    };
    if rate <= -1.0 {
        return f64::NAN;
    }
    terms.iter().map(|&(v, years)| v / (1.0 + rate).powf(years)).sum()
}

/// All annual rates `r > -1` at which [`xnpv`] is zero, ascending.
///
/// Found like [`crate::irr_all`]: the flows form a power sum in `1/(1+r)` with real exponents,
/// to which Descartes' rule of signs and the derivative split apply unchanged. Empty when no
/// rate exists or the input is invalid (see [`xnpv`]).
///
/// # Examples
///
/// ```
/// use subsoil_finance::{xirr_all, Date};
///
/// let dates = [Date::new(2024, 1, 1)?, Date::new(2025, 1, 1)?];
/// // 366 days (leap year) at a 365-day divisor: a hair less than 10 % a year.
/// let roots = xirr_all(&[-100.0, 110.0], &dates);
/// assert_eq!(roots.len(), 1);
/// assert!((roots[0] - (1.1_f64.powf(365.0 / 366.0) - 1.0)).abs() < 1e-14);
/// # Ok::<(), subsoil_finance::DateError>(())
/// ```
pub fn xirr_all(values: &[f64], dates: &[Date]) -> Vec<f64> {
    dated_terms(values, dates).map(|terms| rate_roots(&terms)).unwrap_or_default()
}

/// Internal rate of return of dated flows (Excel `XIRR`), chosen like [`crate::irr()`].
///
/// Among the roots from [`xirr_all`]: the smallest non-negative one if any, else the one
/// closest to zero. `None` when there is no root or the input is invalid.
///
/// # Examples
///
/// ```
/// use subsoil_finance::{xirr, xnpv, Date};
///
/// let dates: Vec<Date> = ["2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01"]
///     .iter()
///     .map(|s| s.parse())
///     .collect::<Result<_, _>>()?;
/// let values = [-10_000.0, 2750.0, 4250.0, 3250.0, 2750.0];
/// let r = xirr(&values, &dates).unwrap_or(f64::NAN);
/// assert!((r - 0.373362535).abs() < 1e-8); // Excel help: 37.34 %
/// assert!(xnpv(r, &values, &dates).abs() < 1e-8);
/// # Ok::<(), subsoil_finance::DateError>(())
/// ```
pub fn xirr(values: &[f64], dates: &[Date]) -> Option<f64> {
    choose_root(&xirr_all(values, dates))
}

/// The root of [`xnpv`] nearest to `guess` (ties to the smaller), like
/// [`crate::irr_with_guess`]. `None` when there is no root or `guess` is not finite.
///
/// # Examples
///
/// ```
/// use subsoil_finance::{xirr_with_guess, Date};
///
/// let dates = [Date::new(2020, 1, 1)?, Date::new(2021, 1, 1)?];
/// let r = xirr_with_guess(&[-100.0, 150.0], &dates, 0.1).unwrap_or(f64::NAN);
/// assert!(r > 0.49 && r < 0.5);
/// # Ok::<(), subsoil_finance::DateError>(())
/// ```
pub fn xirr_with_guess(values: &[f64], dates: &[Date], guess: f64) -> Option<f64> {
    nearest_root(&xirr_all(values, dates), guess)
}

/// `(value, years since the first date)` pairs, or `None` for invalid input.
fn dated_terms(values: &[f64], dates: &[Date]) -> Option<Vec<(f64, f64)>> {
    if values.len() != dates.len() || values.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let Some(&start) = dates.first() else {
        return Some(Vec::new());
    };
    values
        .iter()
        .zip(dates)
        .map(|(&v, &date)| {
            let days = start.days_until(date);
            (days >= 0).then_some((v, days as f64 / DAYS_PER_YEAR))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> Date {
        match Date::new(y, m, d) {
            Ok(date) => date,
            Err(e) => panic!("bad test date: {e}"),
        }
    }

    #[test]
    fn one_year_of_365_days_matches_periodic_npv() {
        let dates = [date(2023, 1, 1), date(2024, 1, 1)];
        let got = xnpv(0.1, &[-100.0, 110.0], &dates);
        assert!(got.abs() < 1e-12, "{got}");
    }

    #[test]
    fn invalid_inputs_give_nan_or_none() {
        let dates = [date(2023, 1, 1), date(2022, 1, 1)];
        assert!(xnpv(0.1, &[-100.0, 110.0], &dates).is_nan());
        assert_eq!(xirr(&[-100.0, 110.0], &dates), None);
        assert!(xnpv(0.1, &[-100.0], &dates).is_nan());
        assert!(xnpv(-1.0, &[-100.0, 110.0], &[date(2022, 1, 1), date(2023, 1, 1)]).is_nan());
        assert_eq!(xnpv(0.1, &[], &[]), 0.0);
        assert_eq!(xirr(&[], &[]), None);
    }

    #[test]
    fn later_dates_may_come_in_any_order() {
        let values = [-100.0, 60.0, 60.0];
        let sorted = [date(2020, 1, 1), date(2021, 1, 1), date(2022, 1, 1)];
        let shuffled_values = [-100.0, 60.0, 60.0];
        let shuffled = [date(2020, 1, 1), date(2022, 1, 1), date(2021, 1, 1)];
        assert_eq!(xirr(&values, &sorted), xirr(&shuffled_values, &shuffled));
        assert!(xirr(&values, &sorted).is_some());
    }

    #[test]
    fn same_day_flows_are_combined() {
        let dates = [date(2020, 1, 1), date(2020, 1, 1), date(2021, 1, 1)];
        let combined = [date(2020, 1, 1), date(2021, 1, 1)];
        let a = xirr(&[-60.0, -40.0, 120.0], &dates);
        let b = xirr(&[-100.0, 120.0], &combined);
        assert!(a.is_some());
        assert_eq!(a, b);
    }
}
