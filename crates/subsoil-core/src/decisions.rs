//! The year's investment decisions: which ready projects are built, at what hurdle, and the fund's share.

use crate::fund::FundPath;
use crate::model::{DecisionRule, Model, Project, Stage};
use crate::outcome::PathOutcome;
use crate::prices::Market;
use crate::project::MAX_PRODUCTS;
use crate::stages::{NotWorthBuilding, PathProjects, ProjectState};
use crate::terms::PathTerms;
use crate::valuation::Expectations;
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
    let PathProjects { states: projects, candidates, .. } = projects;
    let (index, tax, inflation) = (y.index, terms.tax, terms.inflation);
    expect.reset(model.products.len());
    // The order matters only when the fund has cash to offer (its room only shrinks during the year).
    let fund_has_room =
        terms.investing.is_some_and(|inv| fund.available(inv.reserve * index) > 0.0);
    if fund_has_room && candidates.len() > 1 {
        for c in candidates.iter_mut() {
            let planned = &projects[c.project].planned;
            let rate = terms.nominal(private_real);
            let npv = expect.value_plan(market, planned, index, tax, inflation, rate);
            c.key = -npv / (planned.capex * index).max(1.0);
            c.npv_private = Some(npv);
        }
        // The order is total (project indexes differ), so an unstable sort, which needs no buffer, gives
        // the one order.
        candidates.sort_unstable_by(|a, b| {
            a.ready_since
                .cmp(&b.ready_since)
                .then(a.key.total_cmp(&b.key))
                .then(a.project.cmp(&b.project))
        });
    }
    for c in candidates.iter() {
        let i = c.project;
        let p = &model.projects[i];
        let (share, rate) = fund_offer(model, terms, index, private_real, p, &projects[i], fund);
        let build = match p.decision {
            DecisionRule::Always => true,
            DecisionRule::Never => false,
            DecisionRule::Npv => {
                // The same valuation as the ordering's when the fund's offer leaves the hurdle private.
                let known = c.npv_private.filter(|_| rate == private_real);
                worth_building(terms, index, rate, known, market, expect, &mut projects[i])
            }
        };
        if build {
            let st = &mut projects[i];
            st.stage = Stage::Construction;
            st.built_in_path = true;
            st.ops.start_building(&st.actual);
            out.projects[i].decision_year = Some(y.year);
            if share > 0.0 {
                fund.commit(i, share, share * st.planned.capex * index);
                out.projects[i].fund_share = share;
            }
        }
    }
}

/// The fund's offer to a project this year (price index `index`) and the hurdle it makes: the share of
/// the equity it takes (0 when it does not invest, or when its cash covers less than 1%) and the real
/// hurdle blended from its rate and the private one.
fn fund_offer(
    model: &Model,
    terms: &PathTerms,
    index: f64,
    private_real: f64,
    p: &Project,
    st: &ProjectState,
    fund: &FundPath,
) -> (f64, f64) {
    let Some(inv) = terms.investing else { return (0.0, private_real) };
    if !qualifies(model, p, st) {
        return (0.0, private_real);
    }
    let capex = st.planned.capex * index;
    let room = fund.available(inv.reserve * index);
    let mut share = if capex > 0.0 { inv.equity_cap.min(room / capex) } else { 0.0 };
    if share < 0.01 {
        share = 0.0;
    }
    (share, share * inv.rate + (1.0 - share) * private_real)
}

/// Whether a project's plan has a positive expected NPV at the real hurdle `rate` this year (price index
/// `index`). The expected NPV rises with every observed price (more revenue outweighs the extra royalty,
/// state share and tax), and its sign does not depend on the year's price index. So a project found not
/// worth building at this rate stays so while none of its prices has risen since: it waits without a new
/// valuation. `known` is the NPV at `rate` this year when it was computed already.
fn worth_building(
    terms: &PathTerms,
    index: f64,
    rate: f64,
    known: Option<f64>,
    market: &Market,
    expect: &mut Expectations,
    st: &mut ProjectState,
) -> bool {
    let planned = st.planned;
    let mut observed = [0.0; MAX_PRODUCTS];
    for (o, pp) in observed.iter_mut().zip(planned.products()) {
        *o = market.observed(pp.product);
    }
    // Along a price deck the expected prices move with the year, not with the observed price alone.
    let on_deck = planned.products().iter().any(|pp| market.has_deck(pp.product));
    let seen_no = !on_deck
        && st.last_no.is_some_and(|no| {
            no.rate == rate
                && observed[..planned.n].iter().zip(&no.observed).all(|(now, then)| now <= then)
        });
    if seen_no {
        return false;
    }
    let npv = known.unwrap_or_else(|| {
        let nominal = terms.nominal(rate);
        expect.value_plan(market, &planned, index, terms.tax, terms.inflation, nominal)
    });
    st.last_no = (npv <= 0.0).then_some(NotWorthBuilding { rate, observed });
    npv > 0.0
}

/// Whether the fund may invest in a project.
fn qualifies(model: &Model, p: &Project, st: &ProjectState) -> bool {
    let Some(inv) = &model.deal.investing else { return false };
    (!inv.new_only || st.new)
        && (inv.products.is_empty()
            || p.products.iter().any(|pp| inv.products.contains(&pp.product)))
}
