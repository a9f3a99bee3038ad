//! One simulated path: the year loop over war and peace, prices, and every project's stages, decisions,
//! cash flows and payments to the state.
//!
//! [`simulate`] is a pure function of the model and the path's [`Randomness`]; it writes into a
//! caller-owned [`PathOutcome`] and uses a caller-owned [`Workspace`], so the hot loop allocates nothing
//! once both are sized.

use crate::conflict::ConflictPath;
use crate::fund::FundPath;
use crate::ledger::{Account, Ledger, Purpose};
use crate::model::{Control, Date, DecisionRule, Model, Profile, Regime, Stage};
use crate::outcome::{DealOutcome, PathOutcome, ProjectOutcome, ProjectStatus, Stream};
use crate::param::{Randomness, happens, yearly_probability};
use crate::prices::OuStep;
use crate::project::{Flows, MAX_PRODUCTS, Ops, Phase, Plan, Shape, Tax};

/// Sub-index offsets of a project's event stream.
const K_ABANDON: u32 = 0; // + 1000 × stage index + year
const K_DAMAGE: u32 = 5_000; // + year

/// Scratch space reused across paths.
#[derive(Clone, Debug, Default)]
pub struct Workspace {
    log_price: Vec<f64>,
    ou: Vec<OuStep>,
    central_mu: Vec<f64>,
    price_nominal: Vec<f64>,
    shocks: Vec<f64>,
    index: Vec<f64>,
    episodes: Vec<Episode>,
    new_supply: Vec<f64>,
    conflict: ConflictPath,
    projects: Vec<ProjectState>,
    fund: FundPath,
    accessible: Vec<bool>,
    fee: Vec<f64>,
    fcf: Vec<f64>,
    /// Projects ready for a decision this year: (year index they became ready, sort key, project).
    candidates: Vec<(u32, f64, usize)>,
    expect: Expectations,
}

impl Workspace {
    /// Scratch space sized for `model`.
    pub fn new(model: &Model) -> Workspace {
        let np = model.products.len();
        Workspace {
            log_price: vec![0.0; np],
            ou: vec![OuStep::default(); np],
            central_mu: vec![0.0; np],
            price_nominal: vec![0.0; np],
            shocks: vec![0.0; np],
            index: vec![1.0; model.time.horizon as usize + 1],
            episodes: vec![Episode::default(); np],
            new_supply: vec![0.0; np],
            conflict: ConflictPath::default(),
            projects: Vec::with_capacity(model.projects.len()),
            fund: FundPath::default(),
            accessible: vec![false; model.projects.len()],
            fee: vec![0.0; model.projects.len()],
            fcf: vec![0.0; model.projects.len()],
            candidates: Vec::with_capacity(model.projects.len()),
            expect: Expectations::default(),
        }
    }
}

/// The dominant producer's state on one product: sizes drawn once per path, the running episode.
#[derive(Clone, Copy, Debug, Default)]
struct Episode {
    /// Price multiplier of the running episode (1 when none).
    multiplier: f64,
    /// Years the running episode has left.
    left: u32,
    /// Whether the targeted cut has been used.
    cut_done: bool,
}

/// A project's state on a path.
#[derive(Clone, Copy, Debug)]
struct ProjectState {
    stage: Stage,
    stage_left: f64,
    licensed: bool,
    new: bool,
    abandoned: bool,
    reached_ready: bool,
    ready_since: u32,
    built_in_path: bool,
    ops: Ops,
    actual: Plan,
    planned: Plan,
    /// Capex beyond ordinary overruns (leakage), as a share of the actual capex.
    capex_excess: f64,
    /// The last valuation that found the project not worth building: its real rate and the observed log
    /// prices of its products then.
    last_no: Option<(f64, [f64; MAX_PRODUCTS])>,
}

/// Runs one path of `model` with the chance `r` describes, writing the results into `out`.
pub fn simulate<R: Randomness>(model: &Model, r: &R, ws: &mut Workspace, out: &mut PathOutcome) {
    let time = model.time;
    let horizon = time.horizon;
    out.reset(model);

    // Macro: a constant inflation rate per path escalates real amounts to nominal.
    let inflation = model.macro_.us_inflation.at(r);
    for t in 0..=horizon {
        ws.index[t as usize] = (1.0 + inflation).powi(time.year(t) - time.base_year);
    }

    // Conflict: the whole timeline and every deposit's control, drawn up front.
    ws.conflict.draw(model, r);
    out.ceasefire_year = ws.conflict.first_peace.map(|c| time.year(c));
    out.war_breakdowns = ws.conflict.breakdowns;
    out.settlement = ws.conflict.settlement;

    // Prices and the dominant producer.
    for (k, p) in model.products.iter().enumerate() {
        ws.log_price[k] = p.price.at(r).ln();
        ws.ou[k] = OuStep::new(p.long_run.at(r), p.volatility.at(r), p.half_life.at(r));
        ws.central_mu[k] = p.long_run_central.ln();
        ws.episodes[k] = Episode { multiplier: 1.0, left: 0, cut_done: false };
        ws.new_supply[k] = 0.0;
    }

    // Fiscal terms and rates of this path.
    let tax = Tax {
        cit_rate: model.fiscal.cit_rate.at(r),
        depreciation_years: model.fiscal.depreciation_years,
    };
    let valuation = model.rates.valuation.at(r);
    let investor_base = model.rates.investor_base.at(r);
    let crp =
        [model.rates.crp_war.at(r), model.rates.crp_postwar.at(r), model.rates.crp_peace.at(r)];
    let licence_fee_default = model.fiscal.licence_fee.at(r);
    let slowdown = model.stages.war_licensing_slowdown.at(r).max(1.0);
    let abandon: [f64; 4] = std::array::from_fn(|i| model.stages.abandon[i].at(r));
    let leak_receipts = model.leakage.receipts.at(r).clamp(0.0, 1.0);
    out.leak_receipts = leak_receipts;
    let capex_excess = model.leakage.capex_excess.at(r).max(0.0);
    let damage = [
        yearly_probability(model.conflict.damage_exposed.at(r)),
        yearly_probability(model.conflict.damage_other.at(r)),
        model.conflict.damage_repair.at(r),
    ];

    ws.projects.clear();
    for p in &model.projects {
        ws.projects.push(start_state(model, p, r, capex_excess));
    }
    for (i, p) in model.projects.iter().enumerate() {
        let bv = p.tax_book_value.at(r) * ws.index[0];
        if bv > 0.0 {
            ws.projects[i].ops.tax.depreciate(bv, tax.depreciation_years);
        }
    }

    // The deal's fund.
    let deal = &model.deal;
    let investing = deal.investing.as_ref().map(|inv| {
        (inv.equity_cap.at(r).clamp(0.0, 1.0), inv.reserve.at(r).max(0.0), inv.rate.at(r))
    });
    let fund_reserve_real = deal.investing.as_ref().map_or(0.0, |inv| inv.reserve.at(r).max(0.0));
    ws.fund.reset(deal, model.projects.len());
    let infra_revenue = model.infrastructure.revenue.at(r);
    let gdp = model.macro_.gdp.at(r);
    let gdp_growth = model.macro_.gdp_real_growth.at(r);
    let infra_growth = model.infrastructure.growth.at(r);

    let mut discount = 1.0;
    for t in 0..horizon {
        let year = time.year(t);
        let index = ws.index[t as usize];
        let at_war = ws.conflict.at_war[t as usize];
        if t > 0 {
            step_prices(model, r, ws, t);
        }
        step_episodes(model, r, ws, t);
        let h = horizon as usize;
        for k in 0..model.products.len() {
            let real = ws.log_price[k].exp() * ws.episodes[k].multiplier;
            ws.price_nominal[k] = real * index;
            out.price_real[k * h + t as usize] = real;
        }
        let premium = match ws.conflict.years_of_peace[t as usize] {
            u32::MAX => crp[0],
            since if since < model.rates.postwar_years => crp[1],
            _ => crp[2],
        };
        let private_real = investor_base + premium;
        let nominal = |real: f64| (1.0 + real) * (1.0 + inflation) - 1.0;

        // 1. Stages before the investment decision. A licence awarded this year is new if on or after
        //    the deal's effective date (awards are dated mid-year), and its holder pays the fee.
        ws.candidates.clear();
        for (i, p) in model.projects.iter().enumerate() {
            let accessible = accessible(ws.conflict.control(p.deposit, t), at_war);
            ws.accessible[i] = accessible;
            ws.fee[i] = 0.0;
            let st = &mut ws.projects[i];
            let awarded = advance_stages(
                st,
                p.event_stream,
                r,
                t,
                accessible,
                at_war,
                slowdown,
                &abandon,
                &p.stage_durations,
            );
            if awarded {
                st.new = Date::new(year, 7, 1) >= model.newness.effective;
                ws.fee[i] = p.licence_fee.map_or(licence_fee_default, |f| f.at(r)) * index;
            }
            if st.stage == Stage::Ready {
                if !st.reached_ready {
                    st.reached_ready = true;
                    st.ready_since = t;
                }
                if accessible && p.decision != DecisionRule::Never {
                    ws.candidates.push((st.ready_since, 0.0, i));
                }
            }
        }

        // 2. Investment decisions. When the fund co-invests, projects are taken in order of the year they
        //    became ready, then NPV per dollar of capex at the private hurdle; the fund offers its share
        //    from the cash it has and the decision uses the blended hurdle.
        ws.expect.reset(model.products.len());
        // The order matters only when the fund has cash to offer (its room only shrinks during the year).
        let fund_has_room = investing
            .is_some_and(|(_, reserve_real, _)| ws.fund.available(reserve_real * index) > 0.0);
        if fund_has_room && ws.candidates.len() > 1 {
            let mut candidates = std::mem::take(&mut ws.candidates);
            for c in candidates.iter_mut() {
                let planned = ws.projects[c.2].planned;
                let npv = ws.value_plan(&planned, index, tax, inflation, nominal(private_real));
                c.1 = -npv / (planned.capex * index).max(1.0);
            }
            candidates.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)));
            ws.candidates = candidates;
        }
        for c in 0..ws.candidates.len() {
            let i = ws.candidates[c].2;
            let p = &model.projects[i];
            let planned = ws.projects[i].planned;
            let mut share = 0.0;
            let mut rate = private_real;
            if let Some((cap, reserve_real, fund_rate)) = investing
                && qualifies(model, p, &ws.projects[i])
            {
                let capex = planned.capex * index;
                let room = ws.fund.available(reserve_real * index);
                share = if capex > 0.0 { cap.min(room / capex) } else { 0.0 };
                if share < 0.01 {
                    share = 0.0;
                }
                rate = share * fund_rate + (1.0 - share) * private_real;
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
                    for (o, &k) in observed.iter_mut().zip(&planned.product[..planned.n]) {
                        *o = ws.log_price[k] + ws.episodes[k].multiplier.ln();
                    }
                    let st = &ws.projects[i];
                    let unchanged_no = st.last_no.is_some_and(|(r, seen)| {
                        r == rate
                            && observed[..planned.n]
                                .iter()
                                .zip(&seen)
                                .all(|(now, then)| now <= then)
                    });
                    if unchanged_no {
                        false
                    } else {
                        let npv = ws.value_plan(&planned, index, tax, inflation, nominal(rate));
                        ws.projects[i].last_no = (npv <= 0.0).then_some((rate, observed));
                        npv > 0.0
                    }
                }
            };
            if build {
                let st = &mut ws.projects[i];
                st.stage = Stage::Construction;
                st.built_in_path = true;
                st.ops.start_building(&st.actual);
                out.projects[i].decision_year = Some(year);
                if share > 0.0 {
                    ws.fund.stakes[i].target_share = share;
                    ws.fund.stakes[i].committed = share * planned.capex * index;
                    out.projects[i].fund_share = share;
                }
            }
        }

        // 3. Construction, production, closure; war damage halts an operation for the year.
        let mut producing = 0u32;
        ws.new_supply.fill(0.0);
        for (i, p) in model.projects.iter().enumerate() {
            let works_here = ws.accessible[i];
            let prices = &ws.price_nominal;
            let st = &mut ws.projects[i];
            let producing_phase = matches!(st.ops.phase, Phase::Producing { .. });
            let mut repair = 0.0;
            let mut works = works_here;
            if at_war && works_here && producing_phase {
                let exposed = model.oblasts[model.deposits[p.deposit].primary_oblast].exposed;
                let hazard = if exposed { damage[0] } else { damage[1] };
                if happens(r.uniform(p.event_stream, K_DAMAGE + t), hazard) {
                    works = false;
                    repair = damage[2] * st.actual.capex * index;
                    out.projects[i].strikes += 1;
                }
            }
            let mut f = st.ops.year(&st.actual, |k| prices[k], index, tax, works);
            if repair > 0.0 {
                f.sustaining += repair;
                st.ops.tax.depreciate(repair, tax.depreciation_years);
            }
            f.licence_fee = ws.fee[i];
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
                    for j in 0..st.actual.n {
                        ws.new_supply[st.actual.product[j]] += f.quantity[j];
                    }
                }
            }
            let (new, excess) = (st.new, st.capex_excess);
            ws.fcf[i] = f.fcf();
            if let Some(l) = out.ledger.as_mut() {
                book_project(l, year, i, &f, leak_receipts, excess, !deal.active());
            }
            record(out, i, t, &f, new, index, discount, leak_receipts, excess);
        }
        let infra = infra_revenue * (1.0 + infra_growth).powi(year - time.base_year) * index;
        let yo = &mut out.years[t as usize];
        yo.producing = producing;
        yo.at_war = at_war;
        yo.index = index;
        yo.infrastructure_nominal = infra * (1.0 - leak_receipts);
        yo.gdp_nominal = gdp * (1.0 + gdp_growth).powi(year - time.base_year) * index;
        yo.leakage_receipts += infra * leak_receipts;
        if let Some(l) = out.ledger.as_mut() {
            l.pay(year, Account::Buyers, Account::Budget, Purpose::Infrastructure, infra);
            l.pay(year, Account::Budget, Account::Leakage, Purpose::Leakage, infra * leak_receipts);
        }

        // 4. The fund: contributions, cash and credits; its part of its projects' flows; the waterfall.
        if deal.active() {
            let mut fy = crate::fund::FundYear::default();
            let receipts = out.years[t as usize].receipts;
            ws.fund.pay_in(
                deal,
                r,
                year,
                t == 0,
                &receipts,
                infra * (1.0 - leak_receipts),
                &mut fy,
            );
            for i in 0..model.projects.len() {
                let fund_part = ws.fund.project_flow(i, ws.fcf[i], &mut fy);
                if let Some(l) = out.ledger.as_mut() {
                    let (p, f) = (Account::Project(i), Account::Fund);
                    let purpose =
                        if ws.fcf[i] < 0.0 { Purpose::CapitalCall } else { Purpose::Distribution };
                    l.pay(year, p, f, purpose, fund_part);
                    l.pay(year, p, Account::Investors, purpose, ws.fcf[i] - fund_part);
                }
            }
            if deal.lock_up_until.is_none_or(|y| year >= y) {
                ws.fund.distribute(deal, r, fund_reserve_real * index, &mut fy);
            }
            fy.cash = ws.fund.cash;
            if let Some(l) = out.ledger.as_mut() {
                book_fund(l, deal, year, &fy);
            }
            out.fund[t as usize] = fy;
        }
        discount /= 1.0 + valuation;
    }
    if deal.active() {
        out.capital = ws.fund.capital;
        out.fund_value_real = fund_value(model, ws, tax, inflation, valuation);
        out.deal = deal_outcome(model, r, out, valuation);
    }

    for (i, st) in ws.projects.iter().enumerate() {
        let po = &mut out.projects[i];
        let occupied_end =
            ws.conflict.control(model.projects[i].deposit, horizon - 1) == Control::Occupied;
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

/// Books the fund's year: contributions and cash in, payouts out (credits without cash are not transfers).
fn book_fund(l: &mut Ledger, deal: &crate::deal::Deal, year: i32, fy: &crate::fund::FundYear) {
    let treasury =
        |p: usize| if deal.parties[p].host { Account::Budget } else { Account::Party(p) };
    l.pay(year, Account::Budget, Account::Fund, Purpose::Contribution, fy.contributions);
    for p in 0..deal.parties.len() {
        l.pay(year, treasury(p), Account::Fund, Purpose::CashIn, fy.cash_in[p]);
        l.pay(year, Account::Fund, treasury(p), Purpose::Payout, fy.payouts[p]);
    }
}

/// The deal's headline results from the fund's yearly flows.
fn deal_outcome<R: Randomness>(
    model: &Model,
    r: &R,
    out: &PathOutcome,
    valuation: f64,
) -> DealOutcome {
    let deal = &model.deal;
    let us_rate = model.rates.us_discount.at(r);
    let target = deal.target.map(|p| p.at(r));
    let aid = deal.aid_given.map(|p| p.at(r));
    let mut d = DealOutcome::default();
    let (mut disc_us, mut disc_val) = (1.0, 1.0);
    for (t, (fy, y)) in out.fund.iter().zip(&out.years).enumerate() {
        let year = model.time.year(t as u32);
        let real = 1.0 / y.index;
        if let Some(p) = deal.partner {
            let got = fy.payouts[p];
            d.partner_receipts_nominal += got;
            d.partner_receipts_real += got * real;
            d.partner_npv_real += (got - fy.cash_in[p]) * real * disc_us;
            if got > 0.0 && d.first_partner_distribution.is_none() {
                d.first_partner_distribution = Some(year);
            }
            if target.is_some_and(|x| d.partner_receipts_nominal >= x) && d.target_year.is_none() {
                d.target_year = Some(year);
            }
            if aid.is_some_and(|x| d.partner_receipts_nominal >= x) && d.aid_year.is_none() {
                d.aid_year = Some(year);
            }
        }
        d.host_payments_real += fy.contributions * real;
        d.host_payments_pv_real += fy.contributions * real * disc_val;
        if y.gdp_nominal > 0.0 {
            d.host_payments_max_gdp_share =
                d.host_payments_max_gdp_share.max(fy.contributions / y.gdp_nominal);
        }
        disc_us /= 1.0 + us_rate;
        disc_val /= 1.0 + valuation;
    }
    d.partner_capital = deal.partner.map_or(0.0, |p| out.capital[p]);
    d
}

/// Whether work is possible at a deposit under this control.
fn accessible(control: Control, at_war: bool) -> bool {
    match control {
        Control::Ukraine => true,
        Control::Frontline => !at_war,
        Control::Occupied => false,
    }
}

/// Whether the fund may invest in a project.
fn qualifies(model: &Model, p: &crate::model::Project, st: &ProjectState) -> bool {
    let Some(inv) = &model.deal.investing else { return false };
    (!inv.new_only || st.new)
        && (inv.products.is_empty()
            || p.products.iter().any(|pp| inv.products.contains(&pp.product)))
}

/// The fund's value at the end of the horizon, real base-year USD: its cash plus its stakes, each its share of
/// the project's remaining free cash flow on expected prices from the year after the horizon, discounted at
/// the valuation rate. A stake whose site cannot be worked in the last year (occupied, or on the front line
/// during war) is valued at nothing.
fn fund_value(model: &Model, ws: &mut Workspace, tax: Tax, inflation: f64, valuation: f64) -> f64 {
    let h = model.time.horizon;
    let last = h - 1;
    let (index_last, index_next) = (ws.index[last as usize], ws.index[h as usize]);
    let mut value = ws.fund.cash;
    let rate = (1.0 + valuation) * (1.0 + inflation) - 1.0;
    let at_war = ws.conflict.at_war[last as usize];
    ws.expect.reset(model.products.len());
    for i in 0..ws.fund.stakes.len() {
        let share = ws.fund.stakes[i].share();
        let st = ws.projects[i];
        let works = accessible(ws.conflict.control(model.projects[i].deposit, last), at_war);
        if share <= 0.0 || !works || matches!(st.ops.phase, Phase::Idle | Phase::Done) {
            continue;
        }
        ws.expect_for(&st.actual, span(&st.actual) + 1);
        let mut ops = st.ops;
        let pv = project_value_from(
            &mut ops, &st.actual, &ws.expect, 1, index_next, tax, inflation, rate,
        );
        // A limited-liability stake: the fund can walk away from a project worth less than nothing.
        value += share * pv.max(0.0) / (1.0 + rate);
    }
    value / index_last
}

/// A project's state at the start of a path.
fn start_state<R: Randomness>(
    model: &Model,
    p: &crate::model::Project,
    r: &R,
    capex_excess: f64,
) -> ProjectState {
    let mut actual = realise_plan(model, p, r, true);
    actual.capex *= 1.0 + capex_excess;
    let planned = realise_plan(model, p, r, false);
    let mut stage = p.stage;
    if p.licensed && matches!(stage, Stage::Explored | Stage::Tender) {
        stage = Stage::Licensed;
    }
    let mut ops = Ops::idle();
    match stage {
        Stage::Construction => ops.start_building(&actual),
        Stage::Producing => {
            let age = match actual.shape {
                Shape::Ramp { years, .. } => years,
                Shape::Decline { .. } => 0,
            };
            ops.phase = Phase::Producing { age, left: actual.life };
        }
        Stage::Closed => ops.phase = Phase::Done,
        _ => {}
    }
    let stage_left = stage_index(stage).map_or(0.0, |s| p.stage_durations[s].at(r));
    ProjectState {
        stage,
        stage_left,
        licensed: p.licensed,
        new: p.licence_new,
        abandoned: false,
        reached_ready: false,
        ready_since: 0,
        built_in_path: false,
        ops,
        actual,
        planned,
        capex_excess: capex_excess / (1.0 + capex_excess),
        last_no: None,
    }
}

/// The project's figures on this path: `actual` applies the path's overrun, opex, output and schedule
/// draws; otherwise the plan an investor decides on.
fn realise_plan<R: Randomness>(
    model: &Model,
    p: &crate::model::Project,
    r: &R,
    actual: bool,
) -> Plan {
    let (overrun, opex_mult, output, slip) = if actual {
        (
            p.capex_overrun.at(r),
            p.opex_multiplier.at(r),
            p.production_factor.at(r),
            p.schedule_slip.at(r).max(0.0),
        )
    } else {
        (1.0, 1.0, 1.0, 0.0)
    };
    let planned_build = p.construction_years.at(r).round().max(0.0);
    let build_years =
        if planned_build > 0.0 { (planned_build * (1.0 + slip)).round() } else { 0.0 };
    let life = p.life_years.at(r).max(0.0);
    let mut plan = Plan {
        build_years: build_years as u32,
        life: life.ceil() as u32,
        last_year_share: if life > life.floor() { life - life.floor() } else { 1.0 },
        capex: p.capex.at(r) * overrun,
        sustaining: p.sustaining_capex.at(r),
        closure: p.closure_cost.at(r),
        n: p.products.len().min(MAX_PRODUCTS),
        product: [0; MAX_PRODUCTS],
        capacity: [0.0; MAX_PRODUCTS],
        opex: [0.0; MAX_PRODUCTS],
        royalty: [0.0; MAX_PRODUCTS],
        shape: match p.profile {
            Profile::RampPlateau { ramp_years, ramp_start } => {
                Shape::Ramp { years: ramp_years, start: ramp_start.at(r) }
            }
            Profile::Decline { rate } => Shape::Decline { rate: rate.at(r) },
        },
        psa: match p.regime {
            Regime::Royalty => None,
            Regime::Psa { cost_recovery_limit, state_share } => {
                Some((cost_recovery_limit.at(r), state_share.at(r)))
            }
        },
    };
    for (i, pp) in p.products.iter().take(MAX_PRODUCTS).enumerate() {
        plan.product[i] = pp.product;
        plan.capacity[i] = pp.capacity.at(r) * output;
        plan.opex[i] = pp.opex.at(r) * opex_mult;
        plan.royalty[i] = pp.royalty_rate.unwrap_or(model.products[pp.product].royalty_rate).at(r);
    }
    plan
}

/// Index of a pre-decision stage in [`crate::model::Project::stage_durations`].
fn stage_index(s: Stage) -> Option<usize> {
    match s {
        Stage::Identified => Some(0),
        Stage::Explored => Some(1),
        Stage::Tender => Some(2),
        Stage::Licensed => Some(3),
        _ => None,
    }
}

/// Moves a project through the stages before its investment decision and returns whether a licence was
/// awarded this year. Time in a stage passes only where work is possible; licensing (explored and tender
/// stages) is `slowdown` times slower during war. At the end of each stage the project may be abandoned.
/// Several short stages may end in one year. A stage of `d` years that starts at the beginning of year `t`
/// ends at `t + d`, and the next one starts in the year that contains that moment: a stage of one year
/// delays what follows by one year, one of 1.5 years by one (the next stage starts half-way through it).
#[allow(clippy::too_many_arguments)]
fn advance_stages<R: Randomness>(
    st: &mut ProjectState,
    stream: u64,
    r: &R,
    t: u32,
    accessible: bool,
    at_war: bool,
    slowdown: f64,
    abandon: &[f64; 4],
    durations: &[crate::param::Param; 4],
) -> bool {
    let mut awarded = false;
    if !accessible || st.abandoned {
        return false;
    }
    let mut budget = 1.0f64;
    while let Some(s) = stage_index(st.stage) {
        let speed = if at_war && matches!(st.stage, Stage::Explored | Stage::Tender) {
            1.0 / slowdown
        } else {
            1.0
        };
        // The stage ends `need` into the year; it ends in this year only if that is before the year's
        // end (a stage ending exactly at the end of the year ends in the next one).
        let need = st.stage_left.max(0.0) / speed;
        if need >= budget {
            st.stage_left -= budget * speed;
            break;
        }
        budget -= need;
        if happens(r.uniform(stream, K_ABANDON + s as u32 * 1000 + t), abandon[s]) {
            st.abandoned = true;
            st.stage = Stage::Closed;
            break;
        }
        st.stage = match st.stage {
            Stage::Identified if st.licensed => Stage::Licensed,
            Stage::Identified => Stage::Explored,
            Stage::Explored | Stage::Tender => {
                st.licensed = true;
                awarded = true;
                Stage::Licensed
            }
            _ => Stage::Ready,
        };
        st.stage_left = stage_index(st.stage).map_or(0.0, |n| durations[n].at(r));
    }
    awarded
}

/// Expected real prices by product and years ahead, as an investor knows them in the current year: today's
/// observed price (including any running episode) reverting to the scenario's central long-run level.
/// Filled lazily and reused by every decision of the year.
#[derive(Clone, Debug, Default)]
struct Expectations {
    by_product: Vec<Vec<f64>>,
}

impl Expectations {
    /// Forgets last year's expectations.
    fn reset(&mut self, products: usize) {
        self.by_product.resize_with(products, Vec::new);
        for v in &mut self.by_product {
            v.clear();
        }
    }
}

impl Workspace {
    /// NPV at the nominal rate `rate` of building `plan` this year (price index `index`) on the prices
    /// expected this year.
    fn value_plan(&mut self, plan: &Plan, index: f64, tax: Tax, inflation: f64, rate: f64) -> f64 {
        self.expect_for(plan, span(plan));
        expected_npv(plan, &self.expect, index, tax, inflation, rate)
    }

    /// Makes sure the expectations of the plan's products reach `years` ahead.
    fn expect_for(&mut self, plan: &Plan, years: usize) {
        for &k in &plan.product[..plan.n] {
            let v = &mut self.expect.by_product[k];
            if v.len() >= years {
                continue;
            }
            let observed = self.log_price[k] + self.episodes[k].multiplier.ln();
            let ou = &self.ou[k];
            let (mu, decay) = (self.central_mu[k], ou.decay);
            let j0 = v.len() as u32;
            let mut dev = (observed - mu) * decay.powi(j0 as i32);
            let mut var = ou.variance_ahead(j0);
            let (d2, s2) = (decay * decay, ou.shock_sd * ou.shock_sd);
            for _ in v.len()..years {
                v.push(expected_price(mu, dev, var));
                dev *= decay;
                var = var * d2 + s2;
            }
        }
    }
}

/// The expected (mean) price `exp(μ + deviation + variance/2)` for a log price whose expected deviation
/// from the long-run level `μ` and whose variance are given.
#[inline]
fn expected_price(mu: f64, dev: f64, var: f64) -> f64 {
    (mu + dev + 0.5 * var).exp()
}

/// Years an evaluation of `plan` looks ahead.
fn span(plan: &Plan) -> usize {
    (plan.build_years + plan.life + 2) as usize
}

/// NPV at the nominal rate `hurdle` of building now on the plan's figures and the prices expected this
/// year (`expect`, filled for the plan's products by [`Workspace::expect_for`]); `index0` is this year's
/// price index.
fn expected_npv(
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
fn project_value(
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
fn project_value_from(
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

/// One year of correlated price shocks.
fn step_prices<R: Randomness>(model: &Model, r: &R, ws: &mut Workspace, t: u32) {
    let n = model.products.len();
    for k in 0..n {
        ws.shocks[k] = r.normal(model.products[k].shock_stream, t);
    }
    for k in (0..n).rev() {
        // ε = L·z, computed in place from the last row up so each z is read before it is overwritten.
        let row = &model.price_cholesky[k * n..k * n + n];
        let mut e = 0.0;
        for (j, l) in row.iter().enumerate().take(k + 1) {
            e += l * ws.shocks[j];
        }
        ws.shocks[k] = e;
    }
    for k in 0..n {
        ws.log_price[k] = ws.ou[k].step(ws.log_price[k], ws.shocks[k]);
    }
}

/// Sub-index offsets of a product's episode stream.
const K_FLOOD: u32 = 0;
const K_CONTROLS: u32 = 10_000;
const K_CUT: u32 = 20_000;

/// The dominant producer's moves this year: a running episode goes on; otherwise a flood or export
/// controls may start; a targeted cut may answer last year's new supply.
fn step_episodes<R: Randomness>(model: &Model, r: &R, ws: &mut Workspace, t: u32) {
    for (k, p) in model.products.iter().enumerate() {
        let Some(d) = &p.dominant else { continue };
        let e = &mut ws.episodes[k];
        if e.left > 0 {
            e.left -= 1;
        }
        if e.left == 0 {
            e.multiplier = 1.0;
        }
        // A targeted cut answers the new supply of the previous year.
        if !e.cut_done
            && t > 0
            && let Some(world) = d.world_supply
            && ws.new_supply[k] / world.at(r).max(f64::MIN_POSITIVE) > d.cut_threshold.at(r)
        {
            e.cut_done = true;
            if happens(r.uniform(d.stream, K_CUT + t), d.cut_probability.at(r)) {
                // A cut during a running flood keeps the lower of the two prices.
                let cut = (1.0 - d.cut_size.at(r)).max(0.01);
                e.multiplier = if e.left > 0 { e.multiplier.min(cut) } else { cut };
                e.left = e.left.max(d.cut_years.at(r).round().max(1.0) as u32);
                continue;
            }
        }
        if e.left > 0 {
            continue;
        }
        if happens(r.uniform(d.stream, K_FLOOD + t), yearly_probability(d.flood_probability.at(r)))
        {
            e.multiplier = (1.0 - d.flood_drop.at(r)).max(0.01);
            e.left = d.flood_years.at(r).round().max(1.0) as u32;
        } else if happens(
            r.uniform(d.stream, K_CONTROLS + t),
            yearly_probability(d.export_control_probability.at(r)),
        ) {
            e.multiplier = 1.0 + d.export_control_jump.at(r);
            e.left = d.export_control_years.at(r).round().max(1.0) as u32;
        }
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
    if let Some(trace) = out.trace_new.as_mut() {
        trace[i * out.horizon + t as usize] = new;
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
