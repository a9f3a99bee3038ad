//! Lowering of `[deal.fund-cash]`: the rate the fund's cash earns and what the fund pays out after the
//! lock-up.

use subsoil_core::deal::{CashRate, Distribution};

use crate::diag::Diagnostics;
use crate::inputs::Inputs;
use crate::sections;
use crate::vocab::{AfterLockUp, RateBasis};

/// The fund's cash rate and distribution policy; `retain-up-to` belongs to the `retain` policy only.
pub(crate) fn fund_cash(
    f: &sections::FundCash,
    inputs: &mut Inputs,
    d: &mut Diagnostics,
) -> (CashRate, Distribution) {
    let rate = CashRate {
        rate: inputs.param(&f.interest_rate),
        real: f.interest_basis == RateBasis::Real,
    };
    let up_to = f.retain_up_to.as_ref().map(|q| inputs.param(q));
    let distribution = match f.after_lock_up.value {
        AfterLockUp::AllAboveReserve => {
            if let Some(q) = &f.retain_up_to {
                d.error(
                    q.location.clone(),
                    &q.path,
                    "`retain-up-to` applies only with `after-lock-up = \"retain\"`: the default \
                     `all-above-reserve` pays out all cash above the reserve and commitments; set \
                     `after-lock-up = \"retain\"` or leave `retain-up-to` out",
                );
            }
            Distribution::AllAboveReserve
        }
        AfterLockUp::Retain => Distribution::Retain { up_to },
    };
    (rate, distribution)
}
