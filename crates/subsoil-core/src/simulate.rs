//! One simulated path: the year loop over war and peace, prices, and every project's stages, decisions,
//! cash flows and payments to the state.
//!
//! [`simulate`] is a pure function of the model and the path's [`Randomness`]; it writes into a
//! caller-owned [`PathOutcome`] and uses a caller-owned [`Workspace`], so the hot loop allocates nothing
//! once both are sized. It draws the path's terms ([`PathTerms`]) and starts the path, then runs each year
//! in phases (prices, stages, decisions, operations, the economy, the fund) and ends with the path's
//! summary. Each phase takes what it reads and writes explicitly.

use crate::conflict::ConflictPath;
use crate::decisions::{Valuer, decisions_year};
use crate::flows::{PermitTables, flows_year};
use crate::fund::{FundPath, fund_value};
use crate::model::{Control, Model, Stage, TerminalValue};
use crate::operations::{economy_year, operations_year};
use crate::outcome::{DealOutcome, PathOutcome, ProjectStatus};
use crate::param::Randomness;
use crate::prices::Market;
use crate::project::Phase;
use crate::series::Powers;
use crate::stages::{PathProjects, stages_year};
use crate::stages::{accessible, live, live_ranges};
use crate::terms::PathTerms;
use crate::valuation::Expectations;
use crate::valuation::{project_value_from, span};
use crate::year::PathYear;

/// Scratch space reused across paths.
#[derive(Clone, Debug, Default)]
pub struct Workspace {
    /// Price index by year index, through the year after the horizon.
    index: Vec<f64>,
    /// `(1 + inflation)^(year − base year)` through the year after the horizon, for a constant rate.
    inflation: Powers,
    /// `(1 + real GDP growth)^(year − base year)` by year index.
    growth: Powers,
    /// The fiscal regime's factor on royalty rates by year index (`crate::rent`).
    rent: Vec<f64>,
    market: Market,
    conflict: ConflictPath,
    projects: PathProjects,
    fund: FundPath,
    expect: Expectations,
    permits: PermitTables,
}

impl Workspace {
    /// Scratch space sized for `model`.
    pub fn new(model: &Model) -> Workspace {
        Workspace {
            index: vec![1.0; model.time.horizon as usize + 1],
            inflation: Powers::default(),
            growth: Powers::default(),
            rent: vec![1.0; model.time.horizon as usize],
            market: Market::new(model.products.len()),
            conflict: ConflictPath::default(),
            projects: PathProjects::new(model.projects.len()),
            fund: FundPath::default(),
            expect: Expectations::default(),
            permits: PermitTables::default(),
        }
    }

    /// `(1 + real GDP growth)^(year − base year)` in year index `t` (filled by `start_path`).
    #[inline]
    fn growth_factor(&self, t: u32) -> f64 {
        self.growth.values()[t as usize]
    }

    /// Year index `t` of the path as the phases see it.
    fn year(&self, model: &Model, t: u32) -> PathYear {
        PathYear {
            t,
            year: model.time.year(t),
            index: self.index[t as usize],
            at_war: self.conflict.at_war[t as usize],
        }
    }
}

/// Runs one path of `model` with the chance `r` describes, writing the results into `out`.
pub fn simulate<R: Randomness>(model: &Model, r: &R, ws: &mut Workspace, out: &mut PathOutcome) {
    out.reset(model);
    let terms = PathTerms::draw(model, r);
    out.leak_receipts = terms.leakage.receipts;
    start_path(model, r, &terms, ws, out);
    let mut discount = model.time.discounting.first_year(terms.valuation);
    for t in 0..model.time.horizon {
        let y = ws.year(model, t);
        prices_year(model, r, y, &mut ws.market, out);
        stages_year(model, r, &terms.stages, y, &ws.conflict, &mut ws.projects);
        let permits = &mut ws.permits;
        flows_year(model, r, &terms, y, &ws.conflict, &mut ws.projects, permits, out);
        // A year without a candidate has no decision to take (every reader of the expectations resets
        // them first); kept with a trace or a ledger, which shows that skipping it changes nothing.
        if !ws.projects.candidates.is_empty() || out.trace.is_some() || out.ledger.is_some() {
            let private_real = terms.private_hurdle(ws.conflict.years_of_peace[t as usize]);
            let valuer = Valuer { market: &ws.market, expect: &mut ws.expect };
            let (projects, fund) = (&mut ws.projects, &mut ws.fund);
            decisions_year(model, &terms, y, private_real, valuer, projects, fund, out);
        }
        let (market, projects) = (&mut ws.market, &mut ws.projects);
        let rent = ws.rent[t as usize];
        operations_year(model, r, &terms, y, rent, discount, &ws.conflict, market, projects, out);
        economy_year(&terms, y, ws.growth_factor(t), out);
        let prices = &ws.market.price_nominal;
        fund_year(model, r, &terms, y, &mut ws.fund, &ws.projects, prices, out);
        discount /= 1.0 + terms.valuation;
    }
    end_path(model, r, &terms, ws, out);
    // What `PathOutcome::reset` clears for the next path: the rows of the projects live on this one.
    out.written.clear();
    out.written.extend(live_ranges(model, &ws.projects.flow_used));
    // And what the fund's reset clears for it: the stakes of the same projects.
    ws.fund.end(out.written.iter().cloned());
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
    // Macro: a constant inflation rate per path, or an inflation path, escalates real amounts to nominal.
    match &model.inflation_path {
        None => {
            let since_base = time.start_year - time.base_year;
            let powers =
                ws.inflation.of(1.0 + terms.inflation, since_base, time.horizon as usize + 1);
            ws.index.copy_from_slice(powers);
        }
        Some(path) => {
            let scale = model.macro_.inflation.at(r);
            let slots = &mut ws.index[..=time.horizon as usize];
            crate::series::index_path(path, scale, time.start_year, time.base_year, slots);
        }
    }
    let (since_base, h) = (time.start_year - time.base_year, time.horizon as usize);
    ws.growth.of(1.0 + terms.economy.gdp_growth, since_base, h);
    crate::rent::draw_factors(model, r, &mut ws.rent);
    // Conflict: the whole timeline and every deposit's control, drawn up front.
    ws.conflict.draw(model, r);
    let before = i32::try_from(ws.conflict.peace_before_start).unwrap_or(i32::MAX);
    out.ceasefire_year = ws.conflict.first_peace.map(|c| time.year(c).saturating_sub(before));
    out.war_breakdowns = ws.conflict.breakdowns;
    out.settlement = ws.conflict.settlement;
    ws.market.start(model, r);
    ws.projects.start(model, r, terms.leakage.capex_excess);
    // The live projects at the start: a parked project of a flow's pool has no book value (lowering
    // gives it none) and starts from empty books when a permit develops it.
    for i in live(model, &ws.projects.flow_used) {
        let bv = model.projects[i].tax_book_value.at(r) * ws.index[0];
        if bv > 0.0 {
            ws.projects.states[i].ops.tax.depreciate(bv, terms.tax.depreciation_years);
        }
    }
    ws.projects.refresh_busy(model);
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
    market.set_year(y.t);
    let h = out.horizon;
    for k in 0..model.products.len() {
        let real = market.real(k);
        market.price_nominal[k] = real * y.index;
        out.price_real[k * h + y.t as usize] = real;
    }
}

/// The year's fund, when the deal has one: its contributions from the year's receipts reaching the
/// budget, from exogenous streams and from the projects' dividends, shares linked to the year's nominal
/// `prices`, its part of each project's free cash flow (`projects`), the waterfall.
#[allow(clippy::too_many_arguments)]
fn fund_year<R: Randomness>(
    model: &Model,
    r: &R,
    terms: &PathTerms,
    y: PathYear,
    fund: &mut FundPath,
    projects: &PathProjects,
    prices: &[f64],
    out: &mut PathOutcome,
) {
    if !model.deal.active() {
        return;
    }
    let reserve = terms.investing.map_or(0.0, |inv| inv.reserve);
    let t = y.t as usize;
    let receipts = out.years[t].receipts;
    let ledger = out.ledger.as_mut();
    // Only the projects operations visited may have a flow (see `PathProjects::busy`), unless
    // operations visited every project (with a ledger or a trace).
    let flowing = (out.trace.is_none()).then_some(&projects.busy);
    let (years, outputs) = (&projects.years, &projects.outputs);
    out.fund[t] =
        fund.year(&model.deal, r, y, reserve, &receipts, years, outputs, prices, flowing, ledger);
    let horizon = out.horizon;
    if let Some(trace) = out.fund_trace.as_mut() {
        fund.record(t, horizon, reserve * y.index, trace);
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
            &ws.projects.states,
            live(model, &ws.projects.flow_used),
            &ws.conflict,
            &ws.market,
            &mut ws.expect,
            &ws.index,
        );
        out.deal = DealOutcome::of_path(model, r, out, terms.valuation);
    }
    let last = model.time.horizon - 1;
    terminal_values(model, terms, ws, out);
    for (i, st) in ws.projects.states.iter().enumerate() {
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

/// Marks the projects that still build, produce or close after the horizon and, when the scenario asks
/// for it, adds to each one's NPV its remaining free cash flow on the prices expected in the last year,
/// discounted at the valuation rate to the start year. A project whose site cannot be worked in the last
/// year is valued at nothing; one whose site is occupied then is not marked either, as occupation is
/// never reversed: it has no flows after the horizon.
fn terminal_values(model: &Model, terms: &PathTerms, ws: &mut Workspace, out: &mut PathOutcome) {
    let h = model.time.horizon;
    let last = h - 1;
    let count = model.time.terminal_value == TerminalValue::ExpectedFlows;
    if count {
        ws.expect.reset(model.products.len());
    }
    let rate = terms.nominal(terms.valuation);
    let index_next = ws.index[h as usize];
    let discount = (1.0 + terms.valuation).powf(-(f64::from(h) + model.time.discounting.offset()));
    let at_war = ws.conflict.at_war[last as usize];
    for (i, st) in ws.projects.states.iter().enumerate() {
        if matches!(st.ops.phase, Phase::Idle | Phase::Done) {
            continue;
        }
        let control = ws.conflict.control(model.projects[i].deposit, last);
        if control == Control::Occupied {
            continue;
        }
        out.projects[i].runs_past_horizon = true;
        let works = accessible(control, at_war);
        if !count || !works {
            continue;
        }
        ws.expect.fill(&ws.market, &st.actual, span(&st.actual) + 1);
        let mut ops = st.ops;
        let pv = project_value_from(
            &mut ops,
            &st.actual,
            &ws.expect,
            1,
            index_next,
            terms.tax,
            terms.inflation,
            rate,
        );
        let real = pv / index_next * discount;
        out.projects[i].terminal_value_real = real;
        out.projects[i].npv_real += real;
    }
}
