//! The fund's value at the end of a path: its cash and its stakes on expected prices.

use super::FundPath;
use crate::conflict::ConflictPath;
use crate::model::Model;
use crate::prices::Market;
use crate::project::Phase;
use crate::stages::{ProjectState, accessible};
use crate::terms::PathTerms;
use crate::valuation::{Expectations, project_value_from, span};

/// The fund's value at the end of the horizon, real base-year USD: its cash plus its stakes, each its share of
/// the project's remaining free cash flow on expected prices from the year after the horizon, discounted at
/// the valuation rate. A stake whose site cannot be worked in the last year (occupied, or on the front line
/// during war) is valued at nothing. `index` is the price index by year index, through the horizon. Only
/// the stakes of the projects in `live` (increasing) are read: the others hold nothing.
#[allow(clippy::too_many_arguments)]
pub fn fund_value(
    model: &Model,
    terms: &PathTerms,
    fund: &FundPath,
    projects: &[ProjectState],
    live: impl Iterator<Item = usize>,
    conflict: &ConflictPath,
    market: &Market,
    expect: &mut Expectations,
    index: &[f64],
) -> f64 {
    let h = model.time.horizon;
    let last = h - 1;
    let (index_last, index_next) = (index[last as usize], index[h as usize]);
    let mut value = fund.cash;
    let rate = terms.nominal(terms.valuation);
    let at_war = conflict.at_war[last as usize];
    expect.reset(model.products.len());
    for i in live {
        let share = fund.stakes[i].share();
        let st = &projects[i];
        let works = accessible(conflict.control(model.projects[i].deposit, last), at_war);
        if share <= 0.0 || !works || matches!(st.ops.phase, Phase::Idle | Phase::Done) {
            continue;
        }
        expect.fill(market, &st.actual, span(&st.actual) + 1);
        let mut ops = st.ops;
        let pv = project_value_from(
            &mut ops,
            &st.actual,
            expect,
            1,
            index_next,
            terms.tax,
            terms.inflation,
            rate,
        );
        // A limited-liability stake: the fund can walk away from a project worth less than nothing.
        value += share * pv.max(0.0) / (1.0 + rate);
    }
    value / index_last
}
