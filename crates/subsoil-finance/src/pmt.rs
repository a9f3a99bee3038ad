//! Level payment of an annuity (loan instalments, sinking funds).

/// When in each period a payment falls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum When {
    /// At the end of each period (Excel `type = 0`, numpy-financial `when = "end"`).
    #[default]
    End,
    /// At the start of each period (Excel `type = 1`, numpy-financial `when = "begin"`).
    Begin,
}

/// Level payment per period that takes a present value `pv` to a future value `fv` over `nper`
/// periods at `rate` per period (Excel `PMT`, numpy-financial `pmt`).
///
/// Solves `fv + pv·(1+r)^n + pmt·(1 + r·w)·((1+r)^n - 1)/r = 0`, with `w = 1` for
/// [`When::Begin`] and `0` for [`When::End`]; at `rate == 0` it is `-(pv + fv)/nper`.
///
/// Sign convention as in Excel: money received is positive, money paid is negative, so a loan
/// received (`pv > 0`) gives a negative payment. `nper` may be fractional. Returns a non-finite
/// value when `nper == 0` or when the inputs make the annuity factor zero.
///
/// # Examples
///
/// ```
/// use subsoil_finance::{pmt, When};
///
/// // 200,000 over 15 years of monthly payments at 7.5 % a year (numpy-financial docstring).
/// let monthly = pmt(0.075 / 12.0, 180.0, 200_000.0, 0.0, When::End);
/// assert!((monthly + 1854.0247200054619).abs() < 1e-8);
///
/// // Paying at the start of each period costs slightly less per payment.
/// let begin = pmt(0.08 / 12.0, 10.0, 10_000.0, 0.0, When::Begin);
/// assert!((begin + 1030.16432717797).abs() < 1e-9);
///
/// // Zero rate: straight-line repayment.
/// assert_eq!(pmt(0.0, 60.0, 15_000.0, 0.0, When::End), -250.0);
/// ```
pub fn pmt(rate: f64, nper: f64, pv: f64, fv: f64, when: When) -> f64 {
    if rate == 0.0 {
        return -(pv + fv) / nper;
    }
    // (1+r)^n and (1+r)^n - 1, the latter without cancellation for small rates.
    let log_growth = nper * rate.ln_1p();
    let growth = log_growth.exp();
    let growth_minus_one = log_growth.exp_m1();
    let timing = match when {
        When::End => 1.0,
        When::Begin => 1.0 + rate,
    };
    -(fv + pv * growth) * rate / (timing * growth_minus_one)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payments_repay_the_loan() {
        // Amortise the balance with the computed payment: it must end at -fv.
        for when in [When::End, When::Begin] {
            let (rate, nper, pv, fv) = (0.01, 24.0, 5000.0, -1000.0);
            let payment = pmt(rate, nper, pv, fv, when);
            let mut balance = pv;
            for _ in 0..24 {
                if when == When::Begin {
                    balance += payment;
                }
                balance *= 1.0 + rate;
                if when == When::End {
                    balance += payment;
                }
            }
            assert!((balance + fv).abs() < 1e-9, "{when:?}: {balance}");
        }
    }

    #[test]
    fn zero_periods_is_not_finite() {
        assert!(!pmt(0.05, 0.0, 100.0, 0.0, When::End).is_finite());
        assert!(!pmt(0.0, 0.0, 100.0, 0.0, When::End).is_finite());
    }
}
