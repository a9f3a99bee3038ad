//! One simulated path: the year loop over war and peace, prices, and every project's stages, decisions,
//! cash flows and payments to the state.
//!
//! [`simulate`] is a pure function of the model and the path's [`Randomness`]; it writes into a
//! caller-owned [`PathOutcome`] and uses a caller-owned [`Workspace`], so the hot loop allocates nothing
//! once both are sized.

use crate::conflict::ConflictPath;
use crate::model::{Control, Date, DecisionRule, Model, Profile, Regime, Stage};
use crate::outcome::{PathOutcome, ProjectOutcome, ProjectStatus, Stream};
use crate::param::{Randomness, happens, yearly_probability};
use crate::prices::{OuStep, expected_price};
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
    built_in_path: bool,
    ops: Ops,
    actual: Plan,
    planned: Plan,
    /// Capex beyond ordinary overruns (leakage), as a share of the actual capex.
    capex_excess: f64,
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

    let mut discount = 1.0;
    for t in 0..horizon {
        let year = time.year(t);
        let index = ws.index[t as usize];
        let at_war = ws.conflict.at_war[t as usize];
        if t > 0 {
            step_prices(model, r, ws, t);
        }
        step_episodes(model, r, ws, t);
        for k in 0..model.products.len() {
            ws.price_nominal[k] = ws.log_price[k].exp() * ws.episodes[k].multiplier * index;
        }
        let premium = match ws.conflict.years_of_peace[t as usize] {
            u32::MAX => crp[0],
            since if since < model.rates.postwar_years => crp[1],
            _ => crp[2],
        };
        let hurdle_nominal = (1.0 + investor_base + premium) * (1.0 + inflation) - 1.0;

        let mut producing = 0u32;
        ws.new_supply.fill(0.0);
        for (i, p) in model.projects.iter().enumerate() {
            let control = ws.conflict.control(p.deposit, t);
            let accessible = match control {
                Control::Ukraine => true,
                Control::Frontline => !at_war,
                Control::Occupied => false,
            };
            let mut st = ws.projects[i];
            let mut licence_fee = 0.0;

            // Stages before the investment decision. A licence awarded this year is new if on or after
            // the deal's effective date (awards are dated mid-year), and its holder pays the fee.
            let awarded = advance_stages(
                &mut st,
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
                licence_fee = p.licence_fee.map_or(licence_fee_default, |f| f.at(r)) * index;
            }

            // Investment decision.
            if st.stage == Stage::Ready {
                st.reached_ready = true;
                if accessible {
                    let build = match p.decision {
                        DecisionRule::Always => true,
                        DecisionRule::Never => false,
                        DecisionRule::Npv => {
                            expected_npv(&st.planned, ws, t, tax, inflation, hurdle_nominal) > 0.0
                        }
                    };
                    if build {
                        st.stage = Stage::Construction;
                        st.built_in_path = true;
                        st.ops.start_building(&st.actual);
                        out.projects[i].decision_year = Some(year);
                    }
                }
            }

            // War damage: a strike halts an operation for the year and costs a repair.
            let producing_phase = matches!(st.ops.phase, Phase::Producing { .. });
            let mut repair = 0.0;
            let mut works = accessible;
            if at_war && accessible && producing_phase {
                let exposed = model.oblasts[model.deposits[p.deposit].primary_oblast].exposed;
                let hazard = if exposed { damage[0] } else { damage[1] };
                if happens(r.uniform(p.event_stream, K_DAMAGE + t), hazard) {
                    works = false;
                    repair = damage[2] * st.actual.capex * index;
                    out.projects[i].strikes += 1;
                }
            }

            // Construction, production, closure.
            let prices = &ws.price_nominal;
            let mut f = st.ops.year(&st.actual, |k| prices[k], index, tax, works);
            if repair > 0.0 {
                f.sustaining += repair;
                st.ops.tax.depreciate(repair, tax.depreciation_years);
            }
            f.licence_fee = licence_fee;
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
            ws.projects[i] = st;
            record(out, i, t, &f, st.new, index, discount, leak_receipts, st.capex_excess);
        }
        let yo = &mut out.years[t as usize];
        yo.producing = producing;
        yo.at_war = at_war;
        yo.index = index;
        discount /= 1.0 + valuation;
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
        built_in_path: false,
        ops,
        actual,
        planned,
        capex_excess: capex_excess / (1.0 + capex_excess),
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
    let mut plan = Plan {
        build_years: build_years as u32,
        life: p.life_years.at(r).round().max(0.0) as u32,
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
/// Several short stages may end in one year.
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
        let need = st.stage_left.max(0.0) / speed;
        if need > budget {
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

/// NPV at the investor's nominal hurdle of building now on the plan's figures and the prices expected
/// this year: today's observed price (including any running episode) reverting to the scenario's central
/// long-run level.
fn expected_npv(plan: &Plan, ws: &Workspace, t: u32, tax: Tax, inflation: f64, hurdle: f64) -> f64 {
    let mut ops = Ops::idle();
    ops.start_building(plan);
    let mut npv = 0.0;
    let mut disc = 1.0;
    let index0 = ws.index[t as usize];
    let max_years = plan.build_years + plan.life + 2;
    for j in 0..max_years {
        let index = index0 * (1.0 + inflation).powi(j as i32);
        let price = |k: usize| {
            let observed = ws.log_price[k] + ws.episodes[k].multiplier.ln();
            expected_price(observed, ws.central_mu[k], ws.ou[k].decay, j) * index
        };
        let f = ops.year(plan, price, index, tax, true);
        npv += f.fcf() * disc;
        disc /= 1.0 + hurdle;
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
        if !e.cut_done && t > 0 {
            if let Some(world) = d.world_supply {
                let share = ws.new_supply[k] / world.at(r).max(f64::MIN_POSITIVE);
                if share > d.cut_threshold.at(r) {
                    e.cut_done = true;
                    if happens(r.uniform(d.stream, K_CUT + t), d.cut_probability.at(r)) {
                        e.multiplier = (1.0 - d.cut_size.at(r)).max(0.01);
                        e.left = d.cut_years.at(r).round().max(1.0) as u32;
                        continue;
                    }
                }
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
