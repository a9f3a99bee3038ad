//! How an investor values a project in a given year: expected prices from the price observed that year,
//! and the present value of the project's free cash flow on them, run through the same [`Ops::year`] as
//! the path itself.

use crate::prices::Market;
use crate::project::{Ops, Phase, Plan, Tax};

/// Expected real prices by product and years ahead, as an investor knows them in the current year: today's
/// observed price (including any running episode) reverting to the scenario's central long-run level.
/// Filled lazily and reused by every valuation of the year.
#[derive(Clone, Debug, Default)]
pub struct Expectations {
    by_product: Vec<Vec<f64>>,
}

impl Expectations {
    /// Forgets last year's expectations.
    pub fn reset(&mut self, products: usize) {
        self.by_product.resize_with(products, Vec::new);
        for v in &mut self.by_product {
            v.clear();
        }
    }

    /// Makes sure the expectations of the plan's products reach `years` ahead.
    pub fn fill(&mut self, market: &Market, plan: &Plan, years: usize) {
        for k in plan.products().iter().map(|pp| pp.product) {
            let v = &mut self.by_product[k];
            if v.len() >= years {
                continue;
            }
            let observed = market.observed(k);
            let ou = &market.ou[k];
            let (mu, decay) = (market.central_mu[k], ou.decay);
            let j0 = v.len() as u32;
            let mut dev = (observed - mu) * decay.powi(j0 as i32);
            let mut var = ou.variance_ahead(j0);
            let (d2, s2) = (decay * decay, ou.shock_sd * ou.shock_sd);
            if market.has_deck(k) {
                // Along a deck the expected deviation is priced on that year's deck level.
                let now = market.year_index() as usize;
                for j in v.len()..years {
                    v.push(expected_price(mu, dev, var) * market.deck(k, now + j));
                    dev *= decay;
                    var = var * d2 + s2;
                }
                continue;
            }
            for _ in v.len()..years {
                v.push(expected_price(mu, dev, var));
                dev *= decay;
                var = var * d2 + s2;
            }
        }
    }

    /// NPV at the nominal rate `rate` of building `plan` this year (price index `index`) on the prices
    /// expected this year.
    pub fn value_plan(
        &mut self,
        market: &Market,
        plan: &Plan,
        index: f64,
        tax: Tax,
        inflation: f64,
        rate: f64,
    ) -> f64 {
        self.fill(market, plan, span(plan));
        expected_npv(plan, self, index, tax, inflation, rate)
    }
}

/// The expected (mean) price `exp(μ + deviation + variance/2)` for a log price whose expected deviation
/// from the long-run level `μ` and whose variance are given.
#[inline]
fn expected_price(mu: f64, dev: f64, var: f64) -> f64 {
    (mu + dev + 0.5 * var).exp()
}

/// Years an evaluation of `plan` looks ahead.
pub fn span(plan: &Plan) -> usize {
    (plan.build_years + plan.life + 2) as usize
}

/// NPV at the nominal rate `hurdle` of building now on the plan's figures and the prices expected this
/// year (`expect`, filled for the plan's products by [`Expectations::fill`]); `index0` is this year's
/// price index.
pub fn expected_npv(
    plan: &Plan,
    expect: &Expectations,
    index0: f64,
    tax: Tax,
    inflation: f64,
    hurdle: f64,
) -> f64 {
    let mut ops = Ops::idle();
    ops.start_building(plan);
    project_value(&mut ops, plan, expect, index0, tax, inflation, hurdle)
}

/// Present value at the nominal rate `rate` of the rest of a project's free cash flow from its current state
/// on expected prices, from this year on.
pub fn project_value(
    ops: &mut Ops,
    plan: &Plan,
    expect: &Expectations,
    index0: f64,
    tax: Tax,
    inflation: f64,
    rate: f64,
) -> f64 {
    project_value_from(ops, plan, expect, 0, index0, tax, inflation, rate)
}

/// [`project_value`] starting `first` years ahead of the expectations' year, whose price index is
/// `index0`; discounted to that first year.
#[allow(clippy::too_many_arguments)]
pub fn project_value_from(
    ops: &mut Ops,
    plan: &Plan,
    expect: &Expectations,
    first: usize,
    index0: f64,
    tax: Tax,
    inflation: f64,
    rate: f64,
) -> f64 {
    let mut npv = 0.0;
    let mut disc = 1.0;
    let mut index = index0;
    let growth = 1.0 + inflation;
    let step = 1.0 / (1.0 + rate);
    for j in first..first + span(plan) {
        let price = |k: usize| expect.by_product[k][j] * index;
        let f = ops.year(plan, price, index, tax, true);
        npv += f.fcf() * disc;
        disc *= step;
        index *= growth;
        if ops.phase == Phase::Done {
            break;
        }
    }
    npv
}
