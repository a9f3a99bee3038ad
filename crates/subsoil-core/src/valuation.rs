//! How an investor values a project in a given year: expected prices from the price observed that year,
//! and the present value of the project's free cash flow on them, run through the same [`Ops::year`] as
//! the path itself.
//!
//! An investment decision values a plan that is the same all along a path, with taxes and inflation that
//! are too: only the expected prices and the hurdle change from one valuation to the next. [`PlanFlows`]
//! therefore runs the plan's years once per path, on [`Ops::year`], and keeps what does not depend on
//! prices (output, capex, opex, sustaining capex, closure, depreciation); each valuation then adds the
//! revenue, royalty, PSA split and tax that do, and discounts. All of a plan's money scales with the price
//! index of the decision year, so the stream is kept at an index of 1 and its value multiplied by it.

use crate::prices::Market;
use crate::project::{MAX_PRODUCTS, Ops, Phase, Plan, PsaTerms, Tax};
use crate::tax;

/// Expected real prices by product and years ahead, as an investor knows them in the current year: today's
/// observed price (including any running episode) reverting to the scenario's central long-run level.
/// Filled lazily and reused by every valuation of the year.
///
/// A fill that reaches further than an earlier one of the year continues from where that one stopped
/// (restarting its recurrences there), so the numbers depend on the lengths asked for and their order.
/// [`Expectations::reserve`] records a length without computing it; the next [`Expectations::fill`]
/// computes every recorded length in order, so a reserved length gives the same numbers as a fill at the
/// time it was reserved.
///
/// The decisions of a year also keep here what they read of the year's markets once for every
/// candidate ([`Expectations::observe`]): each product's observed log price and its price bound.
#[derive(Clone, Debug, Default)]
pub struct Expectations {
    by_product: Vec<Vec<f64>>,
    /// Per product: lengths reserved and not computed yet, increasing.
    pending: Vec<Vec<usize>>,
    /// Per product: the observed log price of the year once asked ([`Expectations::observed`]), NaN
    /// before.
    observed: Vec<f64>,
    /// Per product: [`Expectations::price_bound`] over a length past which it no longer changes, once
    /// asked this year (NaN before).
    bound: Vec<f64>,
    /// Whether a product follows a deck.
    any_deck: bool,
    /// Per product: the exponent of the last bound past the length limit computed, as bits, and the
    /// bound, kept from year to year (a price at or below its long-run level gives the same exponent).
    bound_kept: Vec<(u64, f64)>,
}

impl Expectations {
    /// Forgets last year's expectations.
    pub fn reset(&mut self, products: usize) {
        self.by_product.resize_with(products, Vec::new);
        self.pending.resize_with(products, Vec::new);
        for v in &mut self.by_product {
            v.clear();
        }
        for p in &mut self.pending {
            p.clear();
        }
    }

    /// Starts a year of decisions on `market`: forgets the observed prices and bounds of another year.
    /// Call after [`Expectations::reset`], before [`Expectations::observed`] and
    /// [`Expectations::bound`], which read `market` once a year for every decision of the year.
    pub fn observe(&mut self, market: &Market) {
        let n = self.by_product.len();
        self.observed.clear();
        self.observed.resize(n, f64::NAN);
        self.bound.clear();
        self.bound.resize(n, f64::NAN);
        self.any_deck = (0..n).any(|k| market.has_deck(k));
        self.bound_kept.resize(n, (f64::NAN.to_bits(), f64::NAN));
    }

    /// Product `k`'s observed log price this year, as [`Market::observed`] gives it (read once a year,
    /// see [`Expectations::observe`]).
    #[inline]
    pub fn observed(&mut self, market: &Market, k: usize) -> f64 {
        if self.observed[k].is_nan() {
            self.observed[k] = market.observed(k);
        }
        self.observed[k]
    }

    /// Whether any of the plan's products follows a deck (see [`Expectations::observe`]).
    #[inline]
    pub fn on_deck(&self, market: &Market, plan: &Plan) -> bool {
        self.any_deck && plan.products().iter().any(|pp| market.has_deck(pp.product))
    }

    /// [`Expectations::price_bound`] of product `k` over `years` (the same bits) on the observed price of
    /// [`Expectations::observe`]. Past `1/(1 − d²)` years the bound no longer depends on the length, and
    /// is computed once a year.
    pub fn bound(&mut self, market: &Market, k: usize, years: usize) -> Option<f64> {
        if market.has_deck(k) {
            return None;
        }
        let d = market.ou[k].decay;
        // `price_bound` takes the smaller of the length and this (NaN: never the latter).
        let limit = 1.0 / (1.0 - d * d);
        let observed = self.observed(market, k);
        if (years as f64) < limit || limit.is_nan() {
            return Some(bound_on(market, observed, k, years));
        }
        if self.bound[k].is_nan() {
            let x = bound_exponent(market, observed, k, years);
            let kept = &mut self.bound_kept[k];
            if kept.0 != x.to_bits() {
                *kept = (x.to_bits(), x.exp() * (1.0 + 1e-6));
            }
            self.bound[k] = kept.1;
        }
        Some(self.bound[k])
    }

    /// Records that the expectations of the plan's products must reach `years` ahead, without computing
    /// them: the next [`Expectations::fill`] does, as a fill now would have.
    pub fn reserve(&mut self, plan: &Plan, years: usize) {
        for k in plan.products().iter().map(|pp| pp.product) {
            let reached = self.pending[k].last().copied().unwrap_or(self.by_product[k].len());
            if years > reached {
                self.pending[k].push(years);
            }
        }
    }

    /// Makes sure the expectations of the plan's products reach `years` ahead.
    pub fn fill(&mut self, market: &Market, plan: &Plan, years: usize) {
        self.reserve(plan, years);
        for k in plan.products().iter().map(|pp| pp.product) {
            let mut pending = std::mem::take(&mut self.pending[k]);
            for &len in &pending {
                extend(&mut self.by_product[k], market, k, len);
            }
            pending.clear();
            self.pending[k] = pending;
        }
    }

    /// An upper bound on product `k`'s expected price over the first `years` years ahead (as
    /// [`Expectations::fill`] computes them, whatever the lengths it is filled in), with a relative margin
    /// of 1e-6 over rounding; `None` along a deck. The expected log deviation from the long-run level
    /// shrinks towards 0 and the variance grows towards `s²/(1 − d²)` (with `d` the yearly decay and `s` the
    /// shock's deviation), and is at most `s²` a year: the price is at most `exp(μ + max(dev₀, 0) + v/2)`
    /// with `v = s²·min(years, 1/(1 − d²))`.
    pub fn price_bound(market: &Market, k: usize, years: usize) -> Option<f64> {
        if market.has_deck(k) {
            return None;
        }
        Some(bound_on(market, market.observed(k), k, years))
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

/// One year of a plan's flows that do not depend on prices, nominal at a price index of 1 in the
/// decision year.
#[derive(Clone, Copy, Debug, Default)]
struct CostYear {
    capex: f64,
    opex: f64,
    sustaining: f64,
    closure: f64,
    depreciation: f64,
}

/// How many rates' [`DiscountSums`] a plan's flows keep: a project is valued at the private hurdle (war,
/// the years after a ceasefire, peace) or at one blended with the fund's rate.
const SUMS_KEPT: usize = 4;

/// A plan's output by product and its costs, discounted at a nominal rate over its years.
#[derive(Clone, Copy, Debug)]
struct DiscountSums {
    /// The rate (NaN before any).
    rate: f64,
    output: [f64; MAX_PRODUCTS],
    costs: f64,
    /// The sum of the costs' sizes.
    costs_abs: f64,
}

impl Default for DiscountSums {
    fn default() -> Self {
        DiscountSums { rate: f64::NAN, output: [0.0; MAX_PRODUCTS], costs: 0.0, costs_abs: 0.0 }
    }
}

/// A plan's price-independent flows from an investment decision on, year by year, for the valuations of
/// one path (see the module's documentation). Built by [`PlanFlows::build`], valued by
/// [`PlanFlows::value`]; [`PlanFlows::clear`] forgets the plan (a new path) and keeps the room.
#[derive(Clone, Debug, Default)]
pub struct PlanFlows {
    built: bool,
    n: usize,
    products: [usize; MAX_PRODUCTS],
    royalty: [f64; MAX_PRODUCTS],
    /// Each product's payable share, selling costs per unit (real) and royalty base (see [`Ops::year`]).
    payable: [f64; MAX_PRODUCTS],
    selling: [f64; MAX_PRODUCTS],
    royalty_on_nsr: [bool; MAX_PRODUCTS],
    psa: Option<PsaTerms>,
    /// Whether every year's sales less royalty rise with every product's price (no negative output or
    /// payable share, a royalty rate of at most 1 on the net smelter return or at most the payable share on
    /// the gross value): [`PlanFlows::surely_not_worth_below`] needs it.
    monotone: bool,
    /// Discounted sums for [`PlanFlows::surely_not_worth_below`], at the last rates asked.
    sums: [DiscountSums; SUMS_KEPT],
    /// Where the next rate's sums go in `sums` (round robin).
    sums_next: usize,
    /// Output of each product times the year's price index, `n` a year.
    output: Vec<f64>,
    years: Vec<CostYear>,
}

impl PlanFlows {
    /// Forgets the plan, keeping the room.
    pub fn clear(&mut self) {
        self.built = false;
    }

    /// Whether [`PlanFlows::build`] has run since the last [`PlanFlows::clear`].
    pub fn is_built(&self) -> bool {
        self.built
    }

    /// Years the plan's valuation covers: until it is closed, at most [`span`].
    pub fn len(&self) -> usize {
        self.years.len()
    }

    /// Whether the plan covers no year.
    pub fn is_empty(&self) -> bool {
        self.years.is_empty()
    }

    /// Runs `plan`'s years from a decision (construction starts) with the path's taxes and inflation,
    /// at a price index of 1 in the decision year, and keeps their price-independent flows. The years are
    /// those [`project_value`] runs: [`span`] at most, until the project is closed.
    pub fn build(&mut self, plan: &Plan, tax: Tax, inflation: f64) {
        let n = plan.n;
        self.n = n;
        for (k, pp) in plan.products().iter().enumerate() {
            self.products[k] = pp.product;
            self.royalty[k] = pp.royalty;
            self.payable[k] = pp.payable;
            self.selling[k] = pp.selling;
            self.royalty_on_nsr[k] = pp.royalty_on_nsr;
        }
        self.psa = plan.psa;
        self.output.clear();
        self.years.clear();
        let mut ops = Ops::idle();
        ops.start_building(plan);
        let growth = 1.0 + inflation;
        let mut index = 1.0;
        for _ in 0..span(plan) {
            // Prices do not move any of the flows kept here, nor the project's phase.
            let f = ops.year(plan, |_| 0.0, index, tax, true);
            self.output.extend(f.quantity[..n].iter().map(|q| q * index));
            self.years.push(CostYear {
                capex: f.capex,
                opex: f.opex,
                sustaining: f.sustaining,
                closure: f.closure,
                depreciation: f.depreciation,
            });
            index *= growth;
            if ops.phase == Phase::Done {
                break;
            }
        }
        let rises = |k: usize| {
            let r = self.royalty[k];
            let royalty_ok = if self.royalty_on_nsr[k] { r <= 1.0 } else { r <= self.payable[k] };
            self.payable[k] >= 0.0 && r >= 0.0 && self.selling[k] >= 0.0 && royalty_ok
        };
        self.monotone = (0..n).all(rises) && self.output.iter().all(|w| *w >= 0.0);
        self.sums = [DiscountSums::default(); SUMS_KEPT];
        self.sums_next = 0;
        self.built = true;
    }

    /// What product `k`'s output `w` (quantity times price index) sells for at `price`, and its royalty,
    /// as [`Ops::year`] computes them: the payable value less selling costs, the royalty on the gross
    /// value or on that net smelter return.
    #[inline]
    fn sale(&self, k: usize, w: f64, price: f64) -> (f64, f64) {
        let gross = w * price;
        let sales = gross * self.payable[k] - w * self.selling[k];
        let base = if self.royalty_on_nsr[k] { sales.max(0.0) } else { gross };
        (sales, base * self.royalty[k])
    }

    /// Whether the plan is surely not worth building at the nominal rate `rate` on the expected prices
    /// (`expect`, filled as for [`PlanFlows::value`]): its NPV before the state's share of profit and
    /// corporate tax, which are never negative, is below zero by more than its rounding. The NPV
    /// [`PlanFlows::value`] computes is then below zero too, whatever the price index.
    pub fn surely_not_worth(&self, expect: &Expectations, rate: f64) -> bool {
        let n = self.n;
        let step = 1.0 / (1.0 + rate);
        let (mut npv, mut size, mut disc) = (0.0f64, 0.0f64, 1.0);
        for (j, c) in self.years.iter().enumerate() {
            let mut net = 0.0;
            for (k, w) in self.output[j * n..j * n + n].iter().enumerate() {
                let (sales, royalty) = self.sale(k, *w, expect.by_product[self.products[k]][j]);
                net += sales - royalty;
            }
            let costs = c.opex + c.capex + c.sustaining + c.closure;
            npv += (net - costs) * disc;
            size += (net + costs) * disc;
            disc *= step;
        }
        npv + 1e-9 * size < 0.0
    }

    /// Whether the plan is surely not worth building at the nominal rate `rate` when every product's price
    /// in every year is at most `bound` (by the plan's product order): its NPV before the state's share of
    /// profit and corporate tax at those bounds is below zero by more than twice the margin of
    /// [`PlanFlows::surely_not_worth`], over the size of every amount. Sales less royalty rise with the
    /// price (checked when the plan is built; without it the answer is `false`), so
    /// [`PlanFlows::surely_not_worth`] on prices below the bounds says the same, and the bound needs no
    /// expected price computed.
    ///
    /// At a price fixed over the years, a product's sales less royalty are its output times a rate whose
    /// sign does not depend on the output, so the NPV is each product's discounted output times that rate,
    /// less the discounted costs: sums kept for the last `rate` asked, costing O(products) a call.
    pub fn surely_not_worth_below(&mut self, bound: &[f64], rate: f64) -> bool {
        if !self.monotone {
            return false;
        }
        let kept = self.sums.iter().position(|s| s.rate.to_bits() == rate.to_bits());
        let at = match kept {
            Some(at) => at,
            None => {
                let at = self.sums_next;
                self.sums[at] = self.discount_sums(rate);
                self.sums_next = (at + 1) % SUMS_KEPT;
                at
            }
        };
        let sums = &self.sums[at];
        let (mut npv, mut size) = (-sums.costs, sums.costs_abs);
        for (k, &p) in bound.iter().enumerate().take(self.n) {
            let w = sums.output[k];
            // Per unit of output: what the sale less royalty makes at price p, and its terms' size.
            let sales = p * self.payable[k] - self.selling[k];
            let base = if self.royalty_on_nsr[k] { sales.max(0.0) } else { p };
            npv += w * (sales - base * self.royalty[k]);
            size += w * (p * (self.payable[k] + self.royalty[k]) + self.selling[k]);
        }
        npv + 2e-9 * size < 0.0
    }

    /// Each product's output and the costs, discounted at the nominal rate `rate` over the plan's years.
    fn discount_sums(&self, rate: f64) -> DiscountSums {
        let n = self.n;
        let step = 1.0 / (1.0 + rate);
        let mut sums = DiscountSums { rate, ..DiscountSums::default() };
        let mut disc = 1.0;
        for (j, c) in self.years.iter().enumerate() {
            for (k, w) in self.output[j * n..j * n + n].iter().enumerate() {
                sums.output[k] += w * disc;
            }
            let costs = c.opex + c.capex + c.sustaining + c.closure;
            sums.costs += costs * disc;
            sums.costs_abs += costs.abs() * disc;
            disc *= step;
        }
        sums
    }

    /// NPV at the nominal rate `rate` of building the plan in a year of price index `index0`, on the prices
    /// expected that year (`expect`, filled for the plan's products over [`PlanFlows::len`] years at
    /// least). The same flows as [`expected_npv`]: revenue, royalty, PSA split, corporate tax with its
    /// loss carried forward, and free cash flow, each year as [`Ops::year`] computes them.
    pub fn value(&self, expect: &Expectations, index0: f64, cit_rate: f64, rate: f64) -> f64 {
        let n = self.n;
        let step = 1.0 / (1.0 + rate);
        let (mut npv, mut disc, mut loss, mut pool) = (0.0, 1.0, 0.0, 0.0);
        for (j, c) in self.years.iter().enumerate() {
            let (mut revenue, mut royalty) = (0.0, 0.0);
            for (k, w) in self.output[j * n..j * n + n].iter().enumerate() {
                let (sales, r) = self.sale(k, *w, expect.by_product[self.products[k]][j]);
                revenue += sales;
                royalty += r;
            }
            let mut state_share = 0.0;
            if let Some(PsaTerms { cost_recovery_limit: limit, state_share: share }) = self.psa {
                let costs = c.capex + c.opex + c.sustaining + c.closure;
                state_share = tax::psa(&mut pool, revenue - royalty, costs, limit, share).1;
            }
            let profit = revenue - royalty - state_share - c.opex - c.depreciation - c.closure;
            let cit = tax::cit(&mut loss, profit, cit_rate);
            let fcf =
                revenue - c.opex - royalty - state_share - cit - c.capex - c.sustaining - c.closure;
            npv += fcf * disc;
            disc *= step;
        }
        // Every amount, and so the value, is proportional to the decision year's price index.
        npv * index0
    }
}

/// NPV at the nominal rate `rate` of building `plan` this year (price index `index`) on the prices
/// expected this year, from its price-independent flows `flows` (built for the plan on first use in a
/// path).
#[allow(clippy::too_many_arguments)]
pub fn value_planned(
    market: &Market,
    expect: &mut Expectations,
    flows: &mut PlanFlows,
    plan: &Plan,
    index: f64,
    tax: Tax,
    inflation: f64,
    rate: f64,
) -> f64 {
    if !flows.is_built() {
        flows.build(plan, tax, inflation);
    }
    expect.fill(market, plan, span(plan));
    flows.value(expect, index, tax.cit_rate, rate)
}

/// The expected (mean) price `exp(μ + deviation + variance/2)` for a log price whose expected deviation
/// from the long-run level `μ` and whose variance are given.
#[inline]
fn expected_price(mu: f64, dev: f64, var: f64) -> f64 {
    (mu + dev + 0.5 * var).exp()
}

/// [`Expectations::price_bound`] of product `k` over `years`, its observed log price `observed`.
#[inline]
fn bound_on(market: &Market, observed: f64, k: usize, years: usize) -> f64 {
    bound_exponent(market, observed, k, years).exp() * (1.0 + 1e-6)
}

/// The exponent of [`bound_on`]: [`expected_price`]'s at the largest deviation and variance.
#[inline]
fn bound_exponent(market: &Market, observed: f64, k: usize, years: usize) -> f64 {
    let ou = &market.ou[k];
    let mu = market.central_mu[k];
    let dev = (observed - mu).max(0.0);
    let (d2, s2) = (ou.decay * ou.decay, ou.shock_sd * ou.shock_sd);
    let var = s2 * (years as f64).min(1.0 / (1.0 - d2));
    mu + dev + 0.5 * var
}

/// Extends product `k`'s expected prices `v` to `years` ahead, its recurrences started where `v` ends.
fn extend(v: &mut Vec<f64>, market: &Market, k: usize, years: usize) {
    if v.len() >= years {
        return;
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
        return;
    }
    for _ in v.len()..years {
        v.push(expected_price(mu, dev, var));
        dev *= decay;
        var = var * d2 + s2;
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prices::OuStep;
    use crate::project::{PlanProduct, Shape};

    /// Two products on a market that reverts from above its long-run level.
    fn market() -> Market {
        let mut m = Market::new(2);
        m.log_price = vec![120f64.ln(), 9f64.ln()];
        m.ou = vec![OuStep::new(100.0, 0.3, 5.0), OuStep::new(10.0, 0.2, f64::INFINITY)];
        m.central_mu = vec![100f64.ln(), 10f64.ln()];
        m.episodes = vec![crate::prices::Episode { multiplier: 1.0, left: 0, cut_done: false }; 2];
        m
    }

    fn plan(psa: Option<PsaTerms>) -> Plan {
        let mut products = [PlanProduct::default(); MAX_PRODUCTS];
        // The first product is sold at its net smelter return with the royalty on it, the second as is.
        products[0] = PlanProduct {
            product: 1,
            capacity: 40.0,
            opex: 3.0,
            royalty: 0.05,
            payable: 0.9,
            selling: 0.5,
            royalty_on_nsr: true,
        };
        products[1] = PlanProduct {
            product: 0,
            capacity: 2.0,
            opex: 30.0,
            royalty: 0.1,
            payable: 1.0,
            selling: 0.0,
            royalty_on_nsr: false,
        };
        Plan {
            build_years: 3,
            life: 12,
            last_year_share: 0.4,
            capex: 900.0,
            sustaining: 8.0,
            closure: 60.0,
            n: 2,
            products,
            shape: Shape::Ramp { years: 2, start: 0.5 },
            psa,
            // Most of the capex in the last of the three years.
            phasing: crate::project::Phasing::of(&[0.2, 0.3, 0.5]),
            by_age: Vec::new(),
            shape_table: Vec::new(),
        }
    }

    /// The value from the precomputed stream is the value of running the plan's years on the expected
    /// prices, to rounding (the stream factors the decision year's price index out of every amount, which
    /// changes the order of multiplications only).
    #[test]
    fn the_stream_values_a_plan_as_running_its_years_does() {
        let tax = Tax { cit_rate: 0.18, depreciation_years: 7 };
        let psa = Some(PsaTerms { cost_recovery_limit: 0.6, state_share: 0.35 });
        for plan in [plan(None), plan(psa)] {
            for (index, inflation, rate) in
                [(1.0, 0.0, 0.1), (1.37, 0.025, 0.12), (2.5, 0.06, 0.03)]
            {
                let m = market();
                let mut expect = Expectations::default();
                expect.reset(2);
                let want = expect.value_plan(&m, &plan, index, tax, inflation, rate);
                let mut flows = PlanFlows::default();
                let got =
                    value_planned(&m, &mut expect, &mut flows, &plan, index, tax, inflation, rate);
                assert!(want.abs() > 10.0, "a value far from zero: {want}");
                assert!((got - want).abs() <= 1e-12 * want.abs(), "{got} against {want}");
                // The plan runs 3 years of construction, 12 of production and closes in the next.
                assert_eq!(flows.len(), 16);
            }
        }
    }

    /// The bound before taxes rules a plan out only where its full NPV is below zero, and does rule out
    /// plans far out of the money; a plan in the money is never ruled out.
    #[test]
    fn a_plan_ruled_out_before_taxes_is_worth_less_than_nothing() {
        let tax = Tax { cit_rate: 0.3, depreciation_years: 7 };
        let psa = Some(PsaTerms { cost_recovery_limit: 0.6, state_share: 0.35 });
        let (mut ruled_out, mut in_money) = (0, 0);
        for plan in [plan(None), plan(psa)] {
            for level in [0.05, 0.2, 0.5, 0.8, 1.0, 1.5, 3.0, 10.0] {
                let mut m = market();
                for x in &mut m.log_price {
                    *x += f64::ln(level);
                }
                let mut expect = Expectations::default();
                expect.reset(2);
                let mut flows = PlanFlows::default();
                let npv = value_planned(&m, &mut expect, &mut flows, &plan, 1.2, tax, 0.02, 0.1);
                if flows.surely_not_worth(&expect, 0.1) {
                    assert!(npv < 0.0, "ruled out at {level}× prices with an NPV of {npv}");
                    ruled_out += 1;
                }
                if npv > 0.0 {
                    in_money += 1;
                }
            }
        }
        assert!(ruled_out >= 2 && in_money >= 2, "{ruled_out} ruled out, {in_money} in the money");
    }

    /// A length reserved and computed later gives the numbers a fill at that time would have: the
    /// expectations depend on the lengths asked and their order, not on when they are computed.
    #[test]
    fn a_reserved_length_fills_as_a_fill_then_would_have() {
        let m = market();
        let p = plan(None);
        let (mut now, mut later) = (Expectations::default(), Expectations::default());
        now.reset(2);
        later.reset(2);
        for years in [4, 9, 9, 3, 17] {
            now.fill(&m, &p, years);
            later.reserve(&p, years);
        }
        later.fill(&m, &p, 23);
        now.fill(&m, &p, 23);
        for k in 0..2 {
            let (a, b) = (&now.by_product[k], &later.by_product[k]);
            assert_eq!(a.len(), 23);
            assert!(
                a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits()),
                "{a:?} against {b:?}"
            );
        }
    }

    /// The price bound is above every expected price over the years it covers (here 1.2× the long-run
    /// level reverting with a 5-year half-life, and 0.9× one that never reverts), and within 1% of the
    /// largest for the reverting product started above its level (whose first year is its largest).
    #[test]
    fn the_price_bound_is_above_every_expected_price() {
        let m = market();
        let p = plan(None);
        let mut expect = Expectations::default();
        expect.reset(2);
        expect.fill(&m, &p, 40);
        for k in 0..2 {
            let bound = Expectations::price_bound(&m, k, 40).unwrap();
            let top = expect.by_product[k].iter().copied().fold(0.0, f64::max);
            assert!(top <= bound, "product {k}: {top} above {bound}");
            if k == 0 {
                assert!(bound <= 1.01 * top * (0.5 * m.ou[0].variance_ahead(40)).exp());
            }
        }
    }

    /// The year's bound is `price_bound`'s, to the bit, whatever the lengths asked and their order: past
    /// `1/(1 − d²)` years (4.1 for the first product, which halves its deviation in 5 years) it is kept
    /// once, below that (and for the second product, which never reverts) it depends on the length.
    /// A new year's markets give new bounds; two years below the long-run level give the same (kept).
    #[test]
    fn the_year_s_bound_is_the_price_bound_of_every_length() {
        let mut m = market();
        let mut expect = Expectations::default();
        // Log price moves from year to year: up 10%, then the first product below its level, twice.
        for step in [0.1, -0.5, -0.2, 0.0] {
            expect.reset(2);
            expect.observe(&m);
            for years in [40, 3, 5, 1, 4, 17, 2, 40] {
                for k in 0..2 {
                    let want = Expectations::price_bound(&m, k, years).unwrap();
                    let got = expect.bound(&m, k, years).unwrap();
                    assert_eq!(got.to_bits(), want.to_bits(), "product {k}, {years} years");
                }
            }
            for k in 0..2 {
                assert_eq!(expect.observed(&m, k).to_bits(), m.observed(k).to_bits());
            }
            assert!(
                Expectations::price_bound(&m, 0, 3).unwrap()
                    < Expectations::price_bound(&m, 0, 40).unwrap()
            );
            // The next year, with an episode on the second product.
            for x in &mut m.log_price {
                *x += step;
            }
            m.episodes[1].multiplier = 1.5;
        }
        assert!(m.observed(0) < m.central_mu[0]);
    }

    /// The discounted sums kept for several rates answer as sums made afresh for each rate, asked in any
    /// order (more rates than are kept, each coming back).
    #[test]
    fn the_sums_kept_for_several_rates_answer_as_fresh_ones() {
        let tax = Tax { cit_rate: 0.3, depreciation_years: 7 };
        let p = plan(None);
        let mut kept = PlanFlows::default();
        kept.build(&p, tax, 0.02);
        let (mut yes, mut no) = (0, 0);
        let rates = [0.1, 0.02, 0.3, 0.1, 0.05, 0.5, 0.2, 0.02, 0.3, 0.1, 0.5, 0.05];
        for (j, &rate) in rates.iter().enumerate() {
            for level in [1.0, 8.0, 12.0, 20.0, 40.0] {
                let bound = [level, 10.0 * level];
                let mut fresh = PlanFlows::default();
                fresh.build(&p, tax, 0.02);
                let want = fresh.surely_not_worth_below(&bound, rate);
                assert_eq!(kept.surely_not_worth_below(&bound, rate), want, "ask {j}, {level}");
                if want { yes += 1 } else { no += 1 }
            }
        }
        assert!(yes >= 12 && no >= 12, "{yes} ruled out, {no} not");
    }

    /// A plan ruled out on bounds of its prices is ruled out on the expected prices below them, and so
    /// has an NPV below zero; on prices high enough it is not ruled out.
    #[test]
    fn a_plan_ruled_out_on_price_bounds_is_ruled_out_on_the_prices() {
        let tax = Tax { cit_rate: 0.3, depreciation_years: 7 };
        let (mut ruled_out, mut kept) = (0, 0);
        for level in [0.05, 0.2, 0.5, 0.8, 1.0, 1.5, 3.0, 10.0] {
            // The observed prices and their long-run levels, both scaled.
            let mut m = market();
            for x in m.log_price.iter_mut().chain(&mut m.central_mu) {
                *x += f64::ln(level);
            }
            let p = plan(None);
            let mut expect = Expectations::default();
            expect.reset(2);
            let mut flows = PlanFlows::default();
            let npv = value_planned(&m, &mut expect, &mut flows, &p, 1.2, tax, 0.02, 0.1);
            let bound: Vec<f64> = p
                .products()
                .iter()
                .map(|pp| Expectations::price_bound(&m, pp.product, span(&p)).unwrap())
                .collect();
            if flows.surely_not_worth_below(&bound, 0.1) {
                assert!(flows.surely_not_worth(&expect, 0.1), "at {level}×");
                assert!(npv < 0.0, "ruled out at {level}× prices with an NPV of {npv}");
                ruled_out += 1;
            } else {
                kept += 1;
            }
        }
        assert!(ruled_out >= 2 && kept >= 2, "{ruled_out} ruled out, {kept} kept");
    }
}
