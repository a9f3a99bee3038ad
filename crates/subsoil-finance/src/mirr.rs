//! Modified internal rate of return.

/// Modified internal rate of return (Excel `MIRR`, numpy-financial `mirr`).
///
/// Negative flows are discounted to `t = 0` at `finance_rate`, positive flows are compounded to
/// the last period `n = values.len() - 1` at `reinvest_rate`, and the result is the rate that
/// turns the one into the other over `n` periods:
///
/// `MIRR = (FV(positive flows, reinvest_rate) / -PV(negative flows, finance_rate))^(1/n) - 1`
///
/// Unlike the IRR it is always unique. Returns `None` when there is no negative or no positive
/// value (Excel's `#DIV/0!`), when a rate is `≤ -1`, or when an input is not finite.
///
/// # Examples
///
/// ```
/// use subsoil_finance::mirr;
///
/// // LibreOffice help: MIRR(-5; 10; 15; 8; 50 %; 10 %) = 94.16 %.
/// let m = mirr(&[-5.0, 10.0, 15.0, 8.0], 0.5, 0.1).unwrap_or(f64::NAN);
/// assert!((m - 0.9416).abs() < 5e-5);
///
/// assert_eq!(mirr(&[39_000.0, 30_000.0, 21_000.0], 0.1, 0.12), None);
/// ```
pub fn mirr(values: &[f64], finance_rate: f64, reinvest_rate: f64) -> Option<f64> {
    if !(finance_rate > -1.0 && reinvest_rate > -1.0) || values.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let n_periods = values.len().checked_sub(1)?;
    let mut future_positive = 0.0;
    let mut present_negative = 0.0;
    for (t, &v) in values.iter().enumerate() {
        if v > 0.0 {
            future_positive += v * (1.0 + reinvest_rate).powi((n_periods - t) as i32);
        } else if v < 0.0 {
            present_negative += v / (1.0 + finance_rate).powi(t as i32);
        }
    }
    if !(future_positive > 0.0 && present_negative < 0.0) {
        return None;
    }
    let ratio = future_positive / -present_negative;
    let rate = ratio.powf(1.0 / n_periods as f64) - 1.0;
    rate.is_finite().then_some(rate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_period_hand_computation() {
        // -100 now, +121 at t = 2: grows at exactly 10 % a year whatever the rates.
        let m = mirr(&[-100.0, 0.0, 121.0], 0.05, 0.07).unwrap_or(f64::NAN);
        assert!((m - 0.1).abs() < 1e-14, "{m}");
    }

    #[test]
    fn none_without_both_signs_or_with_bad_rates() {
        assert_eq!(mirr(&[-1.0, -2.0], 0.1, 0.1), None);
        assert_eq!(mirr(&[], 0.1, 0.1), None);
        assert_eq!(mirr(&[-1.0, 2.0], -1.0, 0.1), None);
        assert_eq!(mirr(&[-1.0, 2.0], 0.1, f64::NAN), None);
        assert_eq!(mirr(&[-1.0, f64::INFINITY], 0.1, 0.1), None);
    }
}
