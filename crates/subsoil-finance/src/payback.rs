//! Payback period, plain and discounted (convention documented on [`payback()`]).

/// Periods from `t = 0` until the cumulative cash flow first turns non-negative.
///
/// Convention (shared with [`discounted_payback`]):
///
/// * `values[t]` is the net flow of period `t`, with `values[0]` at `t = 0`.
/// * The cumulative position after period `k` is `C_k = Σ_{t≤k} values[t]` (discounted flows
///   `values[t] / (1+rate)^t` for [`discounted_payback`]).
/// * The payback period is the **first** time the cumulative position returns to `≥ 0` after
///   having been negative. Within the period `k` where that happens the flow is taken to arrive
///   evenly, so the result is interpolated linearly: `(k - 1) + (-C_{k-1}) / values[k]`.
/// * If the cumulative position is never negative there is nothing to pay back: `Some(0.0)`.
/// * If it never recovers, the result is `None`; likewise for an empty slice, a non-finite value
///   or (discounted) a rate `≤ -1`.
///
/// Only the first recovery counts: if late costs (closure, remediation) push the cumulative
/// position below zero again, the payback period still reports the first crossing. Check
/// [`crate::sign_changes`] or the cumulative curve when that matters.
///
/// # Examples
///
/// ```
/// use subsoil_finance::payback;
///
/// // -100 now, then 40 a year: after 2 years -20 is left, recovered half-way through year 3.
/// assert_eq!(payback(&[-100.0, 40.0, 40.0, 40.0]), Some(2.5));
/// // Investment in year 1 rather than year 0: the clock still starts at t = 0.
/// assert_eq!(payback(&[0.0, -100.0, 50.0, 50.0]), Some(3.0));
/// // Never recovered.
/// assert_eq!(payback(&[-100.0, 40.0, 40.0]), None);
/// // Nothing to recover.
/// assert_eq!(payback(&[10.0, 40.0]), Some(0.0));
/// ```
pub fn payback(values: &[f64]) -> Option<f64> {
    first_recovery(values.iter().copied())
}

/// Periods from `t = 0` until the cumulative *discounted* cash flow first turns non-negative.
///
/// Flows are discounted as in [`crate::npv_t0`] (`values[t] / (1+rate)^t`, the first value
/// undiscounted); otherwise the convention is that of [`payback()`], with interpolation on the
/// discounted flow of the crossing period. A project whose [`crate::npv_t0`] at `rate` is
/// negative at every horizon never pays back: `None`.
///
/// # Examples
///
/// ```
/// use subsoil_finance::{discounted_payback, payback};
///
/// let values = [-100.0, 60.0, 60.0, 60.0];
/// // At 10 %: -100, +54.55, +49.59 → recovered 0.94 of the way through year 2.
/// let years = discounted_payback(0.10, &values).unwrap_or(f64::NAN);
/// assert!((years - (1.0 + (100.0 - 60.0 / 1.1) / (60.0 / 1.21))).abs() < 1e-12);
/// // Discounting can only delay payback for positive rates.
/// assert!(years > payback(&values).unwrap_or(f64::NAN));
/// assert_eq!(discounted_payback(-1.0, &values), None);
/// ```
pub fn discounted_payback(rate: f64, values: &[f64]) -> Option<f64> {
    if rate.is_nan() || rate <= -1.0 {
        return None;
    }
    let factor = 1.0 / (1.0 + rate);
    let mut discount = 1.0;
    first_recovery(values.iter().map(|&v| {
        let present = v * discount;
        discount *= factor;
        present
    }))
}

/// The payback convention applied to a sequence of (possibly discounted) flows.
fn first_recovery(flows: impl Iterator<Item = f64>) -> Option<f64> {
    let mut cumulative = 0.0;
    let mut seen_any = false;
    let mut was_negative = false;
    for (t, flow) in flows.enumerate() {
        if !flow.is_finite() {
            return None;
        }
        seen_any = true;
        let before = cumulative;
        cumulative += flow;
        if before < 0.0 && cumulative >= 0.0 {
            // t ≥ 1 here, because the position before t = 0 is zero.
            return Some((t - 1) as f64 + (-before / flow).min(1.0));
        }
        was_negative |= cumulative < 0.0;
    }
    match (seen_any, was_negative) {
        (true, false) => Some(0.0),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_recovery_at_a_period_end() {
        assert_eq!(payback(&[-100.0, 50.0, 50.0, 10.0]), Some(2.0));
    }

    #[test]
    fn only_the_first_recovery_counts() {
        // Recovered at 1.5, negative again from year 3 (closure costs).
        assert_eq!(payback(&[-100.0, 50.0, 100.0, -80.0]), Some(1.5));
    }

    #[test]
    fn positive_start_then_dip_measures_the_dip() {
        // +50 at t = 0, -100 at t = 1 (cumulative -50), +100 at t = 2.
        assert_eq!(payback(&[50.0, -100.0, 100.0]), Some(1.5));
    }

    #[test]
    fn degenerate_inputs() {
        assert_eq!(payback(&[]), None);
        assert_eq!(payback(&[0.0, 0.0]), Some(0.0));
        assert_eq!(payback(&[-1.0, f64::NAN, 5.0]), None);
        assert_eq!(discounted_payback(f64::NAN, &[-1.0, 5.0]), None);
    }

    #[test]
    fn zero_rate_discounting_is_plain_payback() {
        let values = [-250.0, 30.0, 90.0, 90.0, 90.0, -10.0];
        assert_eq!(discounted_payback(0.0, &values), payback(&values));
        assert!(payback(&values).is_some());
    }
}
