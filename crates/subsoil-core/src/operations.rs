//! The year's operations: construction, production and closure of every project, war damage, the
//! economy outside the projects; what each project-year adds to the outcome and the ledger.

use crate::conflict::ConflictPath;
use crate::ledger::{Account, Ledger, Purpose};
use crate::model::{Model, Stage};
use crate::outcome::{PathOutcome, ProjectOutcome, Stream, YearOutcome};
use crate::param::{Randomness, happens};
use crate::prices::Market;
use crate::project::{Flows, Phase};
use crate::stages::{PathProjects, accessible};
use crate::streams::K_DAMAGE;
use crate::terms::PathTerms;
use crate::year::PathYear;

/// The year's construction, production and closure of every project at the year's royalty rates (`rent`
/// is the fiscal regime's factor on them, `crate::rent`); war damage halts an operation for the year. Records each project's flows (discounted to the start by `discount`) and
/// its free cash flow for the fund; adds the output of projects built on the path to the
/// markets' new supply.
#[allow(clippy::too_many_arguments)]
#[inline]
pub fn operations_year<R: Randomness>(
    model: &Model,
    r: &R,
    terms: &PathTerms,
    y: PathYear,
    rent: f64,
    discount: f64,
    conflict: &ConflictPath,
    market: &mut Market,
    projects: &mut PathProjects,
    out: &mut PathOutcome,
) {
    // Cleared only when a bit is set: a call of `fill` on these few entries costs more than the check.
    if market.new_supply.iter().any(|q| q.to_bits() != 0) {
        market.new_supply.fill(0.0);
    }
    // A year without a busy project adds nothing when quiet projects are skipped (see below; the
    // year's row starts at zero producing projects): most years of a path whose projects are all
    // closed or not yet started.
    if projects.busy.is_empty() && out.ledger.is_none() && out.trace.is_none() {
        return;
    }
    // One instance of the loop for each case of war and of skipping: the loop at peace has no war
    // damage to draw, and the loop skipping quiet projects walks the busy set alone, so neither carries
    // the other case's set-up (the compiler computes the damage draw's key before the loop).
    let skip = out.ledger.is_none() && out.trace.is_none();
    let (m, c) = (model, conflict);
    match (y.at_war, skip) {
        (false, true) => projects_year::<R, false, true>(
            m, r, terms, y, rent, discount, c, market, projects, out,
        ),
        (true, true) => {
            projects_year::<R, true, true>(m, r, terms, y, rent, discount, c, market, projects, out)
        }
        (false, false) => projects_year::<R, false, false>(
            m, r, terms, y, rent, discount, c, market, projects, out,
        ),
        (true, false) => projects_year::<R, true, false>(
            m, r, terms, y, rent, discount, c, market, projects, out,
        ),
    }
}

/// [`operations_year`]'s loop over the projects, in a year at war when `WAR` (`y.at_war`), skipping
/// quiet projects when `SKIP` (without a ledger or a trace).
// Kept a call: inlined into the path's loop, the year's loop over projects compiles to more instructions.
#[allow(clippy::too_many_arguments)]
#[inline(never)]
fn projects_year<R: Randomness, const WAR: bool, const SKIP: bool>(
    model: &Model,
    r: &R,
    terms: &PathTerms,
    y: PathYear,
    rent: f64,
    discount: f64,
    conflict: &ConflictPath,
    market: &mut Market,
    projects: &mut PathProjects,
    out: &mut PathOutcome,
) {
    let PathProjects { states: projects, years, outputs, busy, flow_used, .. } = projects;
    let PathYear { t, year, index, .. } = y;
    let at_war = WAR;
    let (tax, damage, leak) = (terms.tax, terms.damage, terms.leakage.receipts);
    let mut producing = 0u32;
    // Without a ledger or a trace to write, a project owing no fee that is closed, or idle with nothing
    // in its tax books, has nothing to do this year: its year would add zeros. A closed project's books
    // may still hold depreciation, which moves only its carried loss: it can never offset a profit again
    // (a closed project never produces) and nothing else reads a closed project's books. Such a project
    // leaves the busy set, and only the busy set is visited.
    let skip_quiet = SKIP;
    let keep_output = model.deal.uses_output();
    let owners = !model.deal.active();
    let mut f = Flows::default();
    // The year's conversion to real dollars and the share of the state's take that reaches the budget,
    // the same for every project.
    let c = Conversion { real: 1.0 / index, kept: 1.0 - leak, leak, discount };
    // The outcome's parts a project-year writes, and the year's row, taken once for the year.
    let PathOutcome {
        horizon,
        projects: outcomes,
        years: year_rows,
        fcf_real,
        trace,
        trace_new,
        ledger,
        ..
    } = out;
    let (h, ty) = (*horizon, t as usize);
    let yo = &mut year_rows[ty];
    // By project, all of one length: one bounds check of a project's index covers every table.
    let n = model.projects.len();
    let (model_projects, projects, years, outcomes) =
        (&model.projects[..n], &mut projects[..n], &mut years[..n], &mut outcomes[..n]);
    // Every live project when quiet ones are not skipped (the projects of the licensing flows' pools
    // that no permit developed are parked and stay out of the ledger and the trace).
    let mut live = crate::stages::live(model, flow_used);
    // The loop removes only the project it visits from `busy` and adds none (see `ProjectSet::next`).
    let mut at = busy.cursor();
    let mut next = if skip_quiet { busy.next(&mut at) } else { live.next() };
    while let Some(i) = next {
        next = if skip_quiet { busy.next(&mut at) } else { live.next() };
        let p = &model_projects[i];
        let st = &mut projects[i];
        let py = &mut years[i];
        if skip_quiet
            && py.fee == 0.0
            && match st.ops.phase {
                Phase::Done => true,
                Phase::Idle => st.ops.tax.is_quiet(),
                _ => false,
            }
        {
            py.fcf = 0.0;
            if keep_output {
                outputs[i] = [0.0; crate::project::MAX_PRODUCTS];
            }
            busy.remove(i);
            continue;
        }
        let po = &mut outcomes[i];
        let works_here = accessible(conflict.control(p.deposit, t), at_war);
        let producing_phase = matches!(st.ops.phase, Phase::Producing { .. });
        let mut repair = 0.0;
        let mut works = works_here;
        if at_war && works_here && producing_phase {
            let exposed = model.oblasts[model.deposits[p.deposit].primary_oblast].exposed;
            let hazard = if exposed { damage.exposed } else { damage.other };
            if happens(r.uniform(p.event_stream, K_DAMAGE + t), hazard) {
                works = false;
                repair = damage.repair * st.actual.capex * index;
                po.strikes += 1;
            }
        }
        if crate::rent::rates_vary(model, p)
            && (p.rates_by_year || st.rates_factor.to_bits() != rent.to_bits())
        {
            // Rates not given by year depend on the factor alone: written again only when it changes.
            crate::rent::set_rates(model, r, p, year, rent, &mut st.actual);
            st.rates_factor = rent;
        }
        let prices = &market.price_nominal;
        st.ops.year_into(&st.actual, |k| prices[k], index, tax, works, &mut f);
        if repair > 0.0 {
            f.sustaining += repair;
            st.ops.tax.depreciate(repair, tax.depreciation_years);
        }
        f.licence_fee = std::mem::take(&mut py.fee);
        st.stage = match st.ops.phase {
            Phase::Idle => st.stage,
            Phase::Building(_) => Stage::Construction,
            Phase::Producing { .. } | Phase::Closing => Stage::Producing,
            Phase::Done => Stage::Closed,
        };
        if f.revenue > 0.0 {
            producing += 1;
            if po.first_production.is_none() {
                po.first_production = Some(year);
            }
            if st.built_in_path {
                for (pp, q) in st.actual.products().iter().zip(&f.quantity) {
                    market.new_supply[pp.product] += q;
                }
            }
        }
        let (new, excess) = (st.new, st.capex_excess);
        let fcf = f.fcf();
        py.fcf = fcf;
        if keep_output {
            outputs[i] = f.quantity;
        }
        // Skipping quiet projects means there is neither a ledger nor a trace (`operations_year`).
        if !SKIP {
            if let Some(l) = ledger.as_mut() {
                book_project(l, year, i, &f, leak, excess, owners);
            }
            let slot = i * h + ty;
            if let Some(trace) = trace.as_mut() {
                trace[slot] = f;
                // Kept with the trace only (`PathOutcome::fcf_real`).
                fcf_real[slot] = fcf * c.real;
            }
            if let Some(trace) = trace_new.as_mut() {
                trace[slot] = new;
            }
        }
        record(po, yo, &f, fcf, new, c, excess);
    }
    yo.producing = producing;
}

/// The year's economy outside the projects: GDP. `growth` is `(1 + real GDP growth)^(year − base year)`.
pub fn economy_year(terms: &PathTerms, y: PathYear, growth: f64, out: &mut PathOutcome) {
    let e = terms.economy;
    let yo = &mut out.years[y.t as usize];
    yo.at_war = y.at_war;
    yo.index = y.index;
    yo.gdp_nominal = e.gdp * growth * y.index;
}

/// Books a project-year in the ledger: sales, costs (capex beyond ordinary overruns to leakage), the
/// state's take (and its leakage), and, without a fund, the free cash flow to or from private investors.
fn book_project(
    l: &mut Ledger,
    year: i32,
    i: usize,
    f: &Flows,
    leak: f64,
    excess_share: f64,
    owners: bool,
) {
    let p = Account::Project(i);
    let lost_capex = f.capex * excess_share;
    l.pay(year, Account::Buyers, p, Purpose::Sales, f.revenue);
    l.pay(
        year,
        p,
        Account::Suppliers,
        Purpose::Costs,
        f.opex + f.capex - lost_capex + f.sustaining + f.closure,
    );
    l.pay(year, p, Account::Leakage, Purpose::Leakage, lost_capex);
    let take = f.state_take();
    l.pay(year, p, Account::Budget, Purpose::StateTake, take);
    l.pay(year, Account::Budget, Account::Leakage, Purpose::Leakage, take * leak);
    if owners {
        let purpose = if f.fcf() < 0.0 { Purpose::CapitalCall } else { Purpose::Distribution };
        l.pay(year, p, Account::Investors, purpose, f.fcf());
    }
}

/// The year's factors from a project-year's nominal flows to what the outcome adds up: `real` is
/// 1 / the price index, `kept` the share of the state's take reaching the budget (1 − `leak`),
/// `discount` the valuation's discount factor to the start year.
#[derive(Clone, Copy)]
struct Conversion {
    real: f64,
    kept: f64,
    leak: f64,
    discount: f64,
}

/// Adds a project-year's flows (`fcf` is `f.fcf()`) to its project's outcome `po` and the year's row
/// `yo`. The state's receipts are net of leakage.
#[inline(always)]
fn record(
    po: &mut ProjectOutcome,
    yo: &mut YearOutcome,
    f: &Flows,
    fcf: f64,
    new: bool,
    c: Conversion,
    capex_excess_share: f64,
) {
    let Conversion { real, kept, leak, discount } = c;
    po.npv_real += fcf * real * discount;
    po.capex_nominal += f.capex;
    po.capex_real += f.capex * real;
    po.revenue_real += f.revenue * real;
    po.royalty_real += f.royalty * real;
    let take = f.state_take() * real * kept;
    if new {
        po.receipts_new_real += take;
    } else {
        po.receipts_existing_real += take;
    }
    let rc = &mut yo.receipts;
    rc.add(Stream::Royalty, new, f.royalty * kept);
    rc.add(Stream::PsaStateShare, new, f.state_share * kept);
    rc.add(Stream::LicenceFee, new, f.licence_fee * kept);
    rc.add(Stream::CorporateTax, new, f.cit * kept);
    yo.leakage_receipts += f.state_take() * leak;
    yo.leakage_capex += f.capex * capex_excess_share;
    yo.capex_nominal += f.capex;
    yo.revenue_nominal += f.revenue;
}
