//! One simulated path: the year loop over war and peace, prices, and every project's stages, decisions,
//! cash flows and payments to the state.
//!
//! [`simulate`] is a pure function of the model and the path's [`Randomness`]; it writes into a
//! caller-owned [`PathOutcome`] and uses a caller-owned [`Workspace`], so the hot loop allocates nothing
//! once both are sized. It draws the path's terms ([`PathTerms`]) and starts the path, then runs each year
//! in phases (prices, stages, decisions, operations, the economy, the fund) and ends with the path's
//! summary. Each phase takes what it reads and writes explicitly.

use crate::conflict::ConflictPath;
use crate::fund::FundPath;
use crate::ledger::{Account, Ledger, Purpose};
use crate::model::{Control, DecisionRule, Model, Project, Stage};
use crate::outcome::{DealOutcome, PathOutcome, ProjectOutcome, ProjectStatus, Stream};
use crate::param::{Randomness, happens};
use crate::prices::Market;
use crate::project::{Flows, MAX_PRODUCTS, Phase};
use crate::stages::{Candidate, ProjectState, ProjectYear, stages_year};
use crate::streams::K_DAMAGE;
use crate::terms::PathTerms;
use crate::valuation::{Expectations, fund_value};
use crate::year::PathYear;

/// Scratch space reused across paths.
#[derive(Clone, Debug, Default)]
pub struct Workspace {
    /// Price index by year index, through the year after the horizon.
    index: Vec<f64>,
    market: Market,
    conflict: ConflictPath,
    projects: Vec<ProjectState>,
    /// Each project's current year, as the phases pass it on.
    project_years: Vec<ProjectYear>,
    fund: FundPath,
    candidates: Vec<Candidate>,
    expect: Expectations,
}

impl Workspace {
    /// Scratch space sized for `model`.
    pub fn new(model: &Model) -> Workspace {
        let n = model.projects.len();
        Workspace {
            index: vec![1.0; model.time.horizon as usize + 1],
            market: Market::new(model.products.len()),
            conflict: ConflictPath::default(),
            projects: Vec::with_capacity(n),
            project_years: vec![ProjectYear::default(); n],
            fund: FundPath::default(),
            candidates: Vec::with_capacity(n),
            expect: Expectations::default(),
        }
    }
}

/// Runs one path of `model` with the chance `r` describes, writing the results into `out`.
pub fn simulate<R: Randomness>(model: &Model, r: &R, ws: &mut Workspace, out: &mut PathOutcome) {
    out.reset(model);
    let terms = PathTerms::draw(model, r);
    start_path(model, r, &terms, ws, out);
    let mut discount = 1.0;
    for t in 0..model.time.horizon {
        let y = PathYear {
            t,
            year: model.time.year(t),
            index: ws.index[t as usize],
            at_war: ws.conflict.at_war[t as usize],
        };
        prices_year(model, r, y, &mut ws.market, out);
        stages_year(
            model,
            r,
            &terms.stages,
            y,
            &ws.conflict,
            &mut ws.projects,
            &mut ws.project_years,
            &mut ws.candidates,
        );
        let private_real =
            terms.investor_base + terms.crp.premium(ws.conflict.years_of_peace[t as usize]);
        decisions_year(
            model,
            &terms,
            y,
            private_real,
            Valuer { market: &ws.market, expect: &mut ws.expect },
            &mut ws.projects,
            &mut ws.fund,
            &mut ws.candidates,
            out,
        );
        operations_year(
            model,
            r,
            &terms,
            y,
            discount,
            &mut ws.market,
            &mut ws.projects,
            &mut ws.project_years,
            out,
        );
        economy_year(model, &terms, y, out);
        if model.deal.active() {
            let reserve = terms.investing.map_or(0.0, |inv| inv.reserve);
            let t = t as usize;
            let (receipts, infrastructure) =
                (out.years[t].receipts, out.years[t].infrastructure_nominal);
            out.fund[t] = ws.fund.year(
                &model.deal,
                r,
                y,
                reserve,
                &receipts,
                infrastructure,
                &ws.project_years,
                out.ledger.as_mut(),
            );
        }
        discount /= 1.0 + terms.valuation;
    }
    end_path(model, r, &terms, ws, out);
}

/// The path before its first year: the price index, the conflict's timeline, the markets, every project's
/// start and the fund.
fn start_path<R: Randomness>(
    model: &Model,
    r: &R,
    terms: &PathTerms,
    ws: &mut Workspace,
    out: &mut PathOutcome,
) {
    let time = model.time;
    // Macro: a constant inflation rate per path escalates real amounts to nominal.
    for t in 0..=time.horizon {
        ws.index[t as usize] = (1.0 + terms.inflation).powi(time.year(t) - time.base_year);
    }
    // Conflict: the whole timeline and every deposit's control, drawn up front.
    ws.conflict.draw(model, r);
    out.ceasefire_year = ws.conflict.first_peace.map(|c| time.year(c));
    out.war_breakdowns = ws.conflict.breakdowns;
    out.settlement = ws.conflict.settlement;
    ws.market.start(model, r);
    ws.projects.clear();
    for p in &model.projects {
        ws.projects.push(ProjectState::start(model, p, r, terms.leakage.capex_excess));
    }
    for (st, p) in ws.projects.iter_mut().zip(&model.projects) {
        let bv = p.tax_book_value.at(r) * ws.index[0];
        if bv > 0.0 {
            st.ops.tax.depreciate(bv, terms.tax.depreciation_years);
        }
    }
    ws.fund.reset(&model.deal, model.projects.len());
}

/// The year's prices: a correlated step (after the first year), the dominant producer's episodes, and the
/// year's nominal prices; records the real prices.
fn prices_year<R: Randomness>(
    model: &Model,
    r: &R,
    y: PathYear,
    market: &mut Market,
    out: &mut PathOutcome,
) {
    if y.t > 0 {
        market.step_prices(model, r, y.t);
    }
    market.step_episodes(model, r, y.t);
    let h = out.horizon;
    for k in 0..model.products.len() {
        let real = market.real(k);
        market.price_nominal[k] = real * y.index;
        out.price_real[k * h + y.t as usize] = real;
    }
}

/// What a valuation reads (the year's markets) and fills (the year's expectations).
struct Valuer<'a> {
    market: &'a Market,
    expect: &'a mut Expectations,
}

/// Phase 2 of a year: investment decisions at the private real hurdle `private_real`. When the fund
/// co-invests, projects are taken in order of the year they became ready, then NPV per dollar of capex at
/// the private hurdle; the fund offers its share from the cash it has and the decision uses the blended
/// hurdle.
#[allow(clippy::too_many_arguments)]
fn decisions_year(
    model: &Model,
    terms: &PathTerms,
    y: PathYear,
    private_real: f64,
    v: Valuer<'_>,
    projects: &mut [ProjectState],
    fund: &mut FundPath,
    candidates: &mut [Candidate],
    out: &mut PathOutcome,
) {
    let Valuer { market, expect } = v;
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
        }
        candidates.sort_by(|a, b| {
            a.ready_since
                .cmp(&b.ready_since)
                .then(a.key.total_cmp(&b.key))
                .then(a.project.cmp(&b.project))
        });
    }
    for c in candidates.iter() {
        let i = c.project;
        let p = &model.projects[i];
        let planned = projects[i].planned;
        let mut share = 0.0;
        let mut rate = private_real;
        if let Some(inv) = terms.investing
            && qualifies(model, p, &projects[i])
        {
            let capex = planned.capex * index;
            let room = fund.available(inv.reserve * index);
            share = if capex > 0.0 { inv.equity_cap.min(room / capex) } else { 0.0 };
            if share < 0.01 {
                share = 0.0;
            }
            rate = share * inv.rate + (1.0 - share) * private_real;
        }
        let build = match p.decision {
            DecisionRule::Always => true,
            DecisionRule::Never => false,
            DecisionRule::Npv => {
                // The expected NPV rises with every observed price (more revenue outweighs the extra
                // royalty, state share and tax), and its sign does not depend on the year's price
                // index. So a project found not worth building at this rate stays so while none of its
                // prices has risen since: it waits without a new valuation.
                let mut observed = [0.0; MAX_PRODUCTS];
                for (o, pp) in observed.iter_mut().zip(planned.products()) {
                    *o = market.observed(pp.product);
                }
                let seen_no = projects[i].last_no.is_some_and(|(r, seen)| {
                    r == rate
                        && observed[..planned.n].iter().zip(&seen).all(|(now, then)| now <= then)
                });
                if seen_no {
                    false
                } else {
                    let nominal = terms.nominal(rate);
                    let npv = expect.value_plan(market, &planned, index, tax, inflation, nominal);
                    projects[i].last_no = (npv <= 0.0).then_some((rate, observed));
                    npv > 0.0
                }
            }
        };
        if build {
            let st = &mut projects[i];
            st.stage = Stage::Construction;
            st.built_in_path = true;
            st.ops.start_building(&st.actual);
            out.projects[i].decision_year = Some(y.year);
            if share > 0.0 {
                fund.stakes[i].target_share = share;
                fund.stakes[i].committed = share * planned.capex * index;
                out.projects[i].fund_share = share;
            }
        }
    }
}

/// Whether the fund may invest in a project.
fn qualifies(model: &Model, p: &Project, st: &ProjectState) -> bool {
    let Some(inv) = &model.deal.investing else { return false };
    (!inv.new_only || st.new)
        && (inv.products.is_empty()
            || p.products.iter().any(|pp| inv.products.contains(&pp.product)))
}

/// Phase 3 of a year: construction, production and closure of every project; war damage halts an
/// operation for the year. Records each project's flows (discounted to the start by `discount`) and
/// its free cash flow in `years` for the fund; adds the output of projects built on the path to the
/// markets' new supply.
#[allow(clippy::too_many_arguments)]
fn operations_year<R: Randomness>(
    model: &Model,
    r: &R,
    terms: &PathTerms,
    y: PathYear,
    discount: f64,
    market: &mut Market,
    projects: &mut [ProjectState],
    years: &mut [ProjectYear],
    out: &mut PathOutcome,
) {
    let PathYear { t, year, index, at_war } = y;
    let (tax, damage, leak) = (terms.tax, terms.damage, terms.leakage.receipts);
    let mut producing = 0u32;
    market.new_supply.fill(0.0);
    for (i, p) in model.projects.iter().enumerate() {
        let works_here = years[i].accessible;
        let st = &mut projects[i];
        let producing_phase = matches!(st.ops.phase, Phase::Producing { .. });
        let mut repair = 0.0;
        let mut works = works_here;
        if at_war && works_here && producing_phase {
            let exposed = model.oblasts[model.deposits[p.deposit].primary_oblast].exposed;
            let hazard = if exposed { damage.exposed } else { damage.other };
            if happens(r.uniform(p.event_stream, K_DAMAGE + t), hazard) {
                works = false;
                repair = damage.repair * st.actual.capex * index;
                out.projects[i].strikes += 1;
            }
        }
        let prices = &market.price_nominal;
        let mut f = st.ops.year(&st.actual, |k| prices[k], index, tax, works);
        if repair > 0.0 {
            f.sustaining += repair;
            st.ops.tax.depreciate(repair, tax.depreciation_years);
        }
        f.licence_fee = years[i].fee;
        st.stage = match st.ops.phase {
            Phase::Idle => st.stage,
            Phase::Building(_) => Stage::Construction,
            Phase::Producing { .. } | Phase::Closing => Stage::Producing,
            Phase::Done => Stage::Closed,
        };
        if f.revenue > 0.0 {
            producing += 1;
            let po = &mut out.projects[i];
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
        years[i].fcf = f.fcf();
        if let Some(l) = out.ledger.as_mut() {
            book_project(l, year, i, &f, leak, excess, !model.deal.active());
        }
        record(out, i, t, &f, new, index, discount, leak, excess);
    }
    out.years[t as usize].producing = producing;
}

/// The year's economy outside the projects: the state's infrastructure revenue (less leakage) and GDP.
fn economy_year(model: &Model, terms: &PathTerms, y: PathYear, out: &mut PathOutcome) {
    let (e, leak) = (terms.economy, terms.leakage.receipts);
    let since_base = y.year - model.time.base_year;
    let infra = e.infrastructure * (1.0 + e.infrastructure_growth).powi(since_base) * y.index;
    let yo = &mut out.years[y.t as usize];
    yo.at_war = y.at_war;
    yo.index = y.index;
    yo.infrastructure_nominal = infra * (1.0 - leak);
    yo.gdp_nominal = e.gdp * (1.0 + e.gdp_growth).powi(since_base) * y.index;
    yo.leakage_receipts += infra * leak;
    if let Some(l) = out.ledger.as_mut() {
        l.pay(y.year, Account::Buyers, Account::Budget, Purpose::Infrastructure, infra);
        l.pay(y.year, Account::Budget, Account::Leakage, Purpose::Leakage, infra * leak);
    }
}

/// The end of the path: the fund's capital, value and headline results, and each project's status.
fn end_path<R: Randomness>(
    model: &Model,
    r: &R,
    terms: &PathTerms,
    ws: &mut Workspace,
    out: &mut PathOutcome,
) {
    if model.deal.active() {
        out.capital = ws.fund.capital;
        out.fund_value_real = fund_value(
            model,
            terms,
            &ws.fund,
            &ws.projects,
            &ws.conflict,
            &ws.market,
            &mut ws.expect,
            &ws.index,
        );
        out.deal = DealOutcome::of_path(model, r, out, terms.valuation);
    }
    let last = model.time.horizon - 1;
    for (i, st) in ws.projects.iter().enumerate() {
        let po = &mut out.projects[i];
        let occupied_end =
            ws.conflict.control(model.projects[i].deposit, last) == Control::Occupied;
        po.occupied = occupied_end;
        po.final_stage = st.stage;
        po.status = if st.abandoned {
            ProjectStatus::Abandoned
        } else if occupied_end && po.first_production.is_none() {
            ProjectStatus::Occupied
        } else if model.projects[i].stage >= Stage::Construction {
            ProjectStatus::Existing
        } else if po.decision_year.is_some() {
            ProjectStatus::Built
        } else if st.reached_ready {
            ProjectStatus::Waiting
        } else {
            ProjectStatus::PreDecision
        };
    }
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

/// Adds a project-year's flows to the outcome. The state's receipts are net of leakage.
#[allow(clippy::too_many_arguments)]
fn record(
    out: &mut PathOutcome,
    i: usize,
    t: u32,
    f: &Flows,
    new: bool,
    index: f64,
    discount: f64,
    leak: f64,
    capex_excess_share: f64,
) {
    let real = 1.0 / index;
    let kept = 1.0 - leak;
    let po: &mut ProjectOutcome = &mut out.projects[i];
    let fcf = f.fcf();
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
    if let Some(trace) = out.trace.as_mut() {
        trace[i * out.horizon + t as usize] = *f;
    }
    out.fcf_real[i * out.horizon + t as usize] = fcf * real;
    let y = &mut out.years[t as usize];
    let rc = &mut y.receipts;
    rc.add(Stream::Royalty, new, f.royalty * kept);
    rc.add(Stream::PsaStateShare, new, f.state_share * kept);
    rc.add(Stream::LicenceFee, new, f.licence_fee * kept);
    rc.add(Stream::CorporateTax, new, f.cit * kept);
    y.leakage_receipts += f.state_take() * leak;
    y.leakage_capex += f.capex * capex_excess_share;
    y.capex_nominal += f.capex;
    y.revenue_nominal += f.revenue;
}
