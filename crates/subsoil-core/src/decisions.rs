//! The year's investment decisions: which ready projects are built, at what hurdle, and the fund's share.

use crate::fund::FundPath;
use crate::model::{DecisionRule, Model, Project, Stage};
use crate::outcome::PathOutcome;
use crate::prices::Market;
use crate::project::{MAX_PRODUCTS, Plan, Tax};
use crate::stages::{NotWorthBuilding, PathProjects, PoolValued, ProjectState};
use crate::terms::InvestingTerms;
use crate::terms::PathTerms;
use crate::valuation::{Expectations, PlanFlows, span, value_planned};
use crate::year::PathYear;

/// What a valuation reads (the year's markets) and fills (the year's expectations).
pub struct Valuer<'a> {
    /// The year's markets.
    pub market: &'a Market,
    /// The year's expectations, filled as valuations need them.
    pub expect: &'a mut Expectations,
}

/// The year's investment decisions at the private real hurdle `private_real`. When the fund
/// co-invests, projects are taken in order of the year they became ready, then NPV per dollar of capex at
/// the private hurdle; the fund offers its share from the cash it has and the decision uses the blended
/// hurdle.
#[allow(clippy::too_many_arguments)]
pub fn decisions_year(
    model: &Model,
    terms: &PathTerms,
    y: PathYear,
    private_real: f64,
    v: Valuer<'_>,
    projects: &mut PathProjects,
    fund: &mut FundPath,
    out: &mut PathOutcome,
) {
    let Valuer { market, expect } = v;
    let PathProjects {
        states: projects,
        candidates,
        plan_flows,
        busy,
        pool_flows,
        pool_valued,
        pool_ordered,
        ..
    } = projects;
    let (index, tax, inflation) = (y.index, terms.tax, terms.inflation);
    expect.reset(model.products.len());
    expect.observe(market);
    // The order matters only when the fund has cash to offer (its room only shrinks during the year).
    let room0 = terms.investing.map(|inv| fund.available(inv.reserve * index));
    let fund_has_room = room0.is_some_and(|room| room > 0.0);
    if fund_has_room && candidates.len() > 1 {
        // Only the order of the candidates the fund may invest in matters: its room changes only when it
        // commits to one of them, and the others' offers and decisions do not read it. Among those, the
        // NPV orders only the candidates ready since the same year. The rest need no valuation here
        // (their decision values them when it must, to the same bits), except when every candidate is
        // valued for a trace or a ledger, which shows that skipping them changes no output.
        let value_all = out.trace.is_some() || out.ledger.is_some();
        for c in candidates.iter_mut() {
            c.fund_may = qualifies(model, &model.projects[c.project], &projects[c.project]);
        }
        // When the fund's room covers every candidate it may invest in at its largest share, whatever
        // it commits to the others, its offers do not depend on the order: the order then needs no
        // NPV. The candidates' decisions then come in the order of the year they became ready, and
        // their project (as the others' would among the ordered); the lengths of expected prices the
        // ordering would have asked are reserved in its order, so that the decisions' valuations
        // see the same expectations (see `Expectations::reserve`).
        let backs_all = !value_all
            && terms.investing.is_some_and(|inv| {
                let capex = candidates
                    .iter()
                    .filter(|c| c.fund_may)
                    .map(|c| projects[c.project].planned.capex * index);
                fund_backs_all(&inv, room0.unwrap_or(0.0), fund.cash, index, capex)
            });
        for a in 0..candidates.len() {
            let c = &candidates[a];
            let tied = c.fund_may
                && candidates
                    .iter()
                    .enumerate()
                    .any(|(b, d)| b != a && d.fund_may && d.ready_since == c.ready_since);
            if !(tied || value_all) {
                continue;
            }
            if backs_all {
                let planned = &projects[c.project].planned;
                expect.reserve(planned, span(planned));
                continue;
            }
            let c = &mut candidates[a];
            let planned = &projects[c.project].planned;
            let rate = terms.nominal(private_real);
            let mut flows =
                FlowsOf::new(model, plan_flows, pool_flows, pool_valued, c.project, y.t);
            // A twin in the project's pool valued this year at this rate found the same.
            let npv = match flows.twin_ordered(pool_ordered, rate) {
                Some(npv) => npv,
                None => {
                    let f = flows.ready(planned, tax, inflation);
                    let npv =
                        value_planned(market, expect, f, planned, index, tax, inflation, rate);
                    flows.keep_ordered(pool_ordered, rate, npv);
                    npv
                }
            };
            c.key = -npv / (planned.capex * index).max(1.0);
            c.npv_private = Some(npv);
        }
        // The order is total (project indexes differ), so an unstable sort, which needs no buffer, gives
        // the one order (without the NPVs, every key is 0).
        candidates.sort_unstable_by(|a, b| {
            a.ready_since
                .cmp(&b.ready_since)
                .then(a.key.total_cmp(&b.key))
                .then(a.project.cmp(&b.project))
        });
    }
    // The fund's room changes only when it commits: it is taken again after a commitment, not for each
    // candidate (a sum over the fund's open stakes).
    let mut room = room0;
    for c in candidates.iter() {
        let i = c.project;
        let p = &model.projects[i];
        let st = &projects[i];
        let (share, rate) = fund_offer(model, terms, index, private_real, p, st, fund, &mut room);
        let build = match p.decision {
            DecisionRule::Always => true,
            DecisionRule::Never => false,
            // Found not worth building at this hurdle, and none of its prices has risen since.
            DecisionRule::Npv if still_no(market, expect, st, rate) => false,
            DecisionRule::Npv => {
                // The same valuation as the ordering's when the fund's offer leaves the hurdle private.
                let known = c.npv_private.filter(|_| rate == private_real);
                let valuer = Valuer { market, expect };
                let flows = FlowsOf::new(model, plan_flows, pool_flows, pool_valued, i, y.t);
                worth_building(terms, index, rate, known, valuer, flows, &mut projects[i])
            }
        };
        if build {
            let st = &mut projects[i];
            st.stage = Stage::Construction;
            st.built_in_path = true;
            st.ops.start_building(&st.actual);
            busy.insert(i);
            out.projects[i].decision_year = Some(y.year);
            if share > 0.0 {
                fund.commit(i, share, share * st.planned.capex * index);
                room = None;
                out.projects[i].fund_share = share;
            }
        }
    }
}

/// The fund's offer to a project this year (price index `index`) and the hurdle it makes: the share of
/// the equity it takes (0 when it does not invest, or when its cash covers less than 1%) and the real
/// hurdle blended from its rate and the private one. `room` is the fund's cash available this year when
/// known (taken and kept here when not): `None` after every commitment.
#[allow(clippy::too_many_arguments)]
fn fund_offer(
    model: &Model,
    terms: &PathTerms,
    index: f64,
    private_real: f64,
    p: &Project,
    st: &ProjectState,
    fund: &FundPath,
    room: &mut Option<f64>,
) -> (f64, f64) {
    let Some(inv) = terms.investing else { return (0.0, private_real) };
    if !qualifies(model, p, st) {
        return (0.0, private_real);
    }
    let capex = st.planned.capex * index;
    let room = *room.get_or_insert_with(|| fund.available(inv.reserve * index));
    // Without room the share is 0 whatever the capex (0 / capex, or -0, is below 1%).
    let mut share = if capex > 0.0 && room != 0.0 { inv.equity_cap.min(room / capex) } else { 0.0 };
    if share < 0.01 {
        share = 0.0;
    }
    (share, share * inv.rate + (1.0 - share) * private_real)
}

/// Whether the project was found not worth building at the real hurdle `rate` and none of its prices has
/// risen since (see [`worth_building`]): then it still is not, and it waits without a new valuation.
/// Such a candidate changes nothing (no state, no expectations, no offer taken).
fn still_no(market: &Market, expect: &mut Expectations, st: &ProjectState, rate: f64) -> bool {
    let Some(no) = &st.last_no else { return false };
    let planned = &st.planned;
    // Along a price deck the expected prices move with the year, not with the observed price alone.
    no.rate == rate
        && !expect.on_deck(market, planned)
        && planned
            .products()
            .iter()
            .zip(&no.observed)
            .all(|(pp, then)| expect.observed(market, pp.product) <= *then)
}

/// Whether a project's plan has a positive expected NPV at the real hurdle `rate` this year (price index
/// `index`). The expected NPV rises with every observed price (more revenue outweighs the extra royalty,
/// state share and tax), and its sign does not depend on the year's price index. So a project found not
/// worth building at this rate stays so while none of its prices has risen since: it waits without a new
/// valuation ([`still_no`], which the caller asks first). A plan whose NPV before the state's share and
/// corporate tax (both never negative) is below zero is not worth building either, and needs no
/// valuation in full. `known` is the NPV at `rate` this year when it was computed already.
fn worth_building(
    terms: &PathTerms,
    index: f64,
    rate: f64,
    known: Option<f64>,
    v: Valuer<'_>,
    mut flows: FlowsOf<'_>,
    st: &mut ProjectState,
) -> bool {
    let Valuer { market, expect } = v;
    let planned = &st.planned;
    let mut observed = [0.0; MAX_PRODUCTS];
    for (o, pp) in observed.iter_mut().zip(planned.products()) {
        *o = expect.observed(market, pp.product);
    }
    let npv = match known {
        Some(npv) => npv,
        None => {
            // A twin in the project's pool valued this year at this rate found the same.
            let valued = match flows.twin_valued(rate) {
                Some(valued) => valued,
                None => {
                    let valued = value_new(terms, index, rate, market, expect, &mut flows, planned);
                    flows.keep_valued(rate, valued);
                    valued
                }
            };
            match valued {
                Some(npv) => npv,
                None => {
                    st.last_no = Some(NotWorthBuilding { rate, observed });
                    return false;
                }
            }
        }
    };
    st.last_no = (npv <= 0.0).then_some(NotWorthBuilding { rate, observed });
    npv > 0.0
}

/// The NPV of building the plan `planned` this year (price index `index`) at the real hurdle `rate`, or
/// `None` when it is surely below zero.
fn value_new(
    terms: &PathTerms,
    index: f64,
    rate: f64,
    market: &Market,
    expect: &mut Expectations,
    flows: &mut FlowsOf<'_>,
    planned: &Plan,
) -> Option<f64> {
    let nominal = terms.nominal(rate);
    let (tax, inflation) = (terms.tax, terms.inflation);
    let flows = flows.ready(planned, tax, inflation);
    // First on an upper bound of each expected price, which needs one exponential a product
    // rather than one a product-year; the expectations are reserved as the fill below would
    // have made them, so that later fills of the year give the same numbers.
    let years = span(planned);
    expect.reserve(planned, years);
    let mut bound = [0.0; MAX_PRODUCTS];
    let bounded = planned
        .products()
        .iter()
        .zip(&mut bound)
        .all(|(pp, b)| expect.bound(market, pp.product, years).map(|x| *b = x).is_some());
    if bounded && flows.surely_not_worth_below(&bound[..planned.n], nominal) {
        return None;
    }
    expect.fill(market, planned, years);
    if flows.surely_not_worth(expect, nominal) {
        // Below zero before taxes, so below zero after: no need to value it in full.
        return None;
    }
    Some(flows.value(expect, index, tax.cit_rate, nominal))
}

/// Project `i`'s plan flows among the path's (`all`), built on its first valuation on the path, in year
/// index `t`, and what the twins of its licensing flow's pool found.
struct FlowsOf<'a> {
    all: &'a mut [PlanFlows],
    /// See [`PathProjects::pool_flows`].
    pool_flows: &'a mut [Option<usize>],
    /// See [`PathProjects::pool_valued`].
    pool_valued: &'a mut [Option<PoolValued>],
    i: usize,
    t: u32,
    /// The licensing flow whose pool holds the project, if any.
    pool: Option<usize>,
}

impl<'a> FlowsOf<'a> {
    /// Project `i`'s flows in year index `t`.
    fn new(
        model: &Model,
        all: &'a mut [PlanFlows],
        pool_flows: &'a mut [Option<usize>],
        pool_valued: &'a mut [Option<PoolValued>],
        i: usize,
        t: u32,
    ) -> Self {
        let pool = model.flows.iter().position(|f| (f.pool..f.pool + f.pool_size).contains(&i));
        FlowsOf { all, pool_flows, pool_valued, i, t, pool }
    }

    /// The licensing flow whose pool holds the project, if any.
    fn pool(&self) -> Option<usize> {
        self.pool
    }

    /// What [`value_new`] found this year at the real hurdle `rate` for a project of the same pool.
    fn twin_valued(&self, rate: f64) -> Option<Option<f64>> {
        let v = self.pool_valued[self.pool()?]?;
        (v.t == self.t && v.rate == rate.to_bits()).then_some(v.npv)
    }

    /// Keeps what [`value_new`] found this year at `rate` for the project's pool.
    fn keep_valued(&mut self, rate: f64, npv: Option<f64>) {
        if let Some(k) = self.pool() {
            self.pool_valued[k] = Some(PoolValued { t: self.t, rate: rate.to_bits(), npv });
        }
    }

    /// What the ordering's valuation found this year at the nominal rate `rate` for a project of the
    /// same pool (`ordered`: see [`PathProjects::pool_ordered`]).
    fn twin_ordered(&self, ordered: &[Option<PoolValued>], rate: f64) -> Option<f64> {
        let v = ordered[self.pool()?]?;
        if v.t == self.t && v.rate == rate.to_bits() { v.npv } else { None }
    }

    /// Keeps what the ordering's valuation found this year at `rate` for the project's pool.
    fn keep_ordered(&self, ordered: &mut [Option<PoolValued>], rate: f64, npv: f64) {
        if let Some(k) = self.pool() {
            ordered[k] = Some(PoolValued { t: self.t, rate: rate.to_bits(), npv: Some(npv) });
        }
    }

    /// The flows of the plan `planned`, built unless they were on this path. A project of a licensing
    /// flow's pool reads those of the first project of its pool built on the path: the projects of a
    /// pool share every figure of their plans, so those flows are what a build would make, bit for bit
    /// (and the discounted sums they keep are a function of the flows and the rate asked).
    fn ready(&mut self, planned: &Plan, tax: Tax, inflation: f64) -> &mut PlanFlows {
        let pool = self.pool();
        let FlowsOf { all, pool_flows, i, .. } = self;
        let i = *i;
        if all[i].is_built() {
            return &mut all[i];
        }
        match pool.and_then(|k| pool_flows[k]) {
            Some(j) if all[j].is_built() => &mut all[j],
            _ => {
                all[i].build(planned, tax, inflation);
                if let Some(k) = pool {
                    pool_flows[k] = Some(i);
                }
                &mut all[i]
            }
        }
    }
}

/// Whether the fund (terms `inv`), with `room` to commit this year before any commitment, `cash` and a
/// price index `index`, offers each of the year's candidates it may invest in, of nominal capex
/// `capex`, the same share whatever it has committed to the others. A candidate offered less than 1% at
/// the whole room is offered nothing at any smaller one (its offer takes nothing); each of the others is
/// offered the equity cap when the room left after committing the cap to all the others covers its
/// own: when the room covers them all. The room (`FundPath::available`) only falls as commitments are
/// added to its sum, and a margin of 1e-9 of every amount in that sum keeps its rounding, in any order
/// of commitments, on the same side.
fn fund_backs_all(
    inv: &InvestingTerms,
    room: f64,
    cash: f64,
    index: f64,
    capex: impl Iterator<Item = f64>,
) -> bool {
    let cap = inv.equity_cap;
    let mut total = 0.0;
    for capex in capex {
        // As `fund_offer` at the whole room.
        let share = if capex > 0.0 { cap.min(room / capex) } else { 0.0 };
        if share < 0.01 {
            continue;
        }
        if share < cap {
            return false;
        }
        total += cap * capex;
    }
    let scale = cash.abs() + (inv.reserve * index).abs() + room + total;
    room - total >= 1e-9 * scale
}

/// Whether the fund may invest in a project.
fn qualifies(model: &Model, p: &Project, st: &ProjectState) -> bool {
    let Some(inv) = &model.deal.investing else { return false };
    (!inv.new_only || st.new)
        && (inv.products.is_empty()
            || p.products.iter().any(|pp| inv.products.contains(&pp.product)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fund backs every candidate it may invest in when its room covers the cap (30%) of all their
    /// capex: 100 covers 30 + 60 but not 30 + 75, nor 30 + 60 exactly (no margin for rounding). A
    /// candidate the whole room offers less than 1% (100 of 20,000 is 0.5%) is offered nothing in any
    /// order and takes no room; one offered more than 1% but less than the cap (100 of 5,000 is 2%)
    /// is offered less still after another commitment, so the order matters.
    #[test]
    fn the_fund_backs_all_when_its_room_covers_every_cap() {
        let inv = InvestingTerms { equity_cap: 0.3, reserve: 10.0, rate: 0.05 };
        let backs = |room: f64, capex: &[f64]| {
            // Index 2: the capex given are nominal, the reserve is real.
            fund_backs_all(&inv, room, room + 20.0 + 5.0, 2.0, capex.iter().copied())
        };
        assert!(backs(100.0, &[100.0, 200.0]));
        assert!(!backs(100.0, &[100.0, 250.0]));
        assert!(!backs(90.0, &[100.0, 200.0]));
        assert!(backs(100.0, &[100.0, 20_000.0]));
        assert!(!backs(100.0, &[100.0, 5_000.0]));
        // No capex: offered nothing.
        assert!(backs(100.0, &[0.0, 300.0]));
        assert!(backs(100.0, &[]));
    }
}
