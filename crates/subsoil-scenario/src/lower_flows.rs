//! Lowering of `[[licensing-flows]]`, onto the model the other sections were lowered into: each flow
//! becomes a [`LicensingFlow`], a deposit in its region, a project that pays its permits' fees, and a
//! pool of projects (one per permit that may be developed: `max-projects-per-year` for each year of the
//! flow), all appended after the scenario's own projects so that the hot loop allocates nothing and the
//! reports list the scenario's projects apart.

use std::collections::HashMap;

use subsoil_core::flows::poisson_quantile;
use subsoil_core::{
    Control, DecisionRule, Deposit, Fiscal, LicensingFlow, Model, Param, Product, Profile, Project,
    ProjectProduct, Regime, Stage, StartControl, Time,
};

use crate::diag::Diagnostics;
use crate::inputs::Inputs;
use crate::lower_common::param_or_zero;
use crate::quantity::Quantity;
use crate::sections::{self, Root};
use crate::vocab::{Decision, ProfileKind, RegimeKind};
use crate::walk::valid_id;

/// Largest number of projects all flows' pools may hold together.
pub const MAX_POOL: usize = 20_000;
/// Largest probability that a year's count passes its stated maximum.
const CAP_TAIL: f64 = 0.001;

/// What the flows' lowering reads from the rest of the model.
struct FlowContext<'a> {
    products: &'a [Product],
    product_index: &'a HashMap<String, usize>,
    oblast_index: &'a HashMap<String, usize>,
    fiscal: &'a Fiscal,
    time: &'a Time,
}

/// Lowers every `[[licensing-flows]]` entry of the scenario `s` onto `model`: its flows, and their
/// deposits and projects appended after the model's own; problems go to `d`.
pub(crate) fn lower_flows(s: &Root, model: &mut Model, inputs: &mut Inputs, d: &mut Diagnostics) {
    let product_index: HashMap<String, usize> =
        model.products.iter().enumerate().map(|(i, p)| (p.id.clone(), i)).collect();
    let oblast_index: HashMap<String, usize> =
        model.oblasts.iter().enumerate().map(|(i, o)| (o.name.clone(), i)).collect();
    let cx = FlowContext {
        products: &model.products,
        product_index: &product_index,
        oblast_index: &oblast_index,
        fiscal: &model.fiscal,
        time: &model.time,
    };
    let (mut deposits, mut projects) = (Vec::new(), Vec::new());
    let (first_deposit, first_project) = (model.deposits.len(), model.projects.len());
    let mut flows = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut pooled = 0usize;
    for (k, fl) in s.licensing_flows.items.iter().enumerate() {
        let Some(id_at) = &fl.id else { continue };
        let id = id_at.value.as_str();
        if !valid_id(id) {
            d.error(
                id_at.site.loc.clone(),
                &id_at.site.path,
                format!("{id:?} is not a valid id: use lowercase letters, digits, `-` and `_`"),
            );
            continue;
        }
        if let Some(first) = seen.insert(id.to_string(), k) {
            d.error(
                id_at.site.loc.clone(),
                &id_at.site.path,
                format!("id {id:?} is already used by licensing-flows[{first}]"),
            );
            continue;
        }
        let at = Offsets {
            deposit: first_deposit + deposits.len(),
            project: first_project + projects.len(),
        };
        let Some(flow) = lower_flow(s, fl, &cx, id, at, &mut deposits, &mut projects, inputs, d)
        else {
            continue;
        };
        pooled += flow.pool_size;
        if pooled > MAX_POOL {
            d.error(
                fl.max_projects_per_year.as_ref().and_then(|m| m.site.loc.clone()),
                fl.site.join("max-projects-per-year"),
                format!(
                    "the flows' pools would hold {pooled} projects (max-projects-per-year × years of each flow); at most {MAX_POOL}"
                ),
            );
            break;
        }
        flows.push(flow);
    }
    model.deposits.extend(deposits);
    model.projects.extend(projects);
    model.flows = flows;
}

/// Where a flow's deposit and projects will sit in the model.
#[derive(Clone, Copy)]
struct Offsets {
    deposit: usize,
    project: usize,
}

/// The largest value of a quantity on any path.
fn top(q: Option<&Quantity>) -> Option<f64> {
    q.map(|x| x.dist.support().1.min(x.bounds.1))
}

#[allow(clippy::too_many_arguments)]
fn lower_flow(
    s: &Root,
    fl: &sections::LicensingFlow,
    cx: &FlowContext<'_>,
    id: &str,
    at_index: Offsets,
    deposits: &mut Vec<Deposit>,
    projects: &mut Vec<Project>,
    inputs: &mut Inputs,
    d: &mut Diagnostics,
) -> Option<LicensingFlow> {
    // Every check runs, so that one pass reports every problem of the flow.
    let primary_oblast = flow_region(fl, cx, d);
    let years = flow_years(fl, cx.time, d);
    let maxima = flow_maxima(fl, d);
    let regime = flow_regime(s, &fl.project, cx.fiscal, inputs, d);
    let products = flow_products(&fl.project, cx, inputs, d);
    let (
        Some(primary_oblast),
        Some(years),
        Some((max_permits, max_projects)),
        Some(regime),
        Some(products),
    ) = (primary_oblast, years, maxima, regime, products)
    else {
        return None;
    };
    let oblast = fl.region.as_ref().map_or("", |r| r.value.as_str());
    let template = flow_template(s, fl, id, regime, products, at_index.deposit, inputs);
    let name = fl.name.clone().unwrap_or_else(|| id.to_string());
    deposits.push(Deposit {
        id: format!("licensing-flows.{id}"),
        name: name.clone(),
        oblast: oblast.to_string(),
        primary_oblast,
        control: StartControl::Known(Control::Operable),
    });
    // The project that pays the permits' fees: no products, closed, new.
    let fees_project = at_index.project;
    projects.push(Project {
        id: format!("licensing-flows.{id}.fees"),
        name: format!("{name}: permit fees"),
        stage: Stage::Closed,
        products: Vec::new(),
        decision: DecisionRule::Never,
        capex: Param::Fixed(0.0),
        construction_years: Param::Fixed(0.0),
        life_years: Param::Fixed(0.0),
        sustaining_capex: Param::Fixed(0.0),
        closure_cost: Param::Fixed(0.0),
        event_stream: inputs.stream(&format!("licensing-flows.{id}.fees.events")),
        ..template.clone()
    });
    let pool_size = years.count * max_projects as usize;
    let pool = fees_project + 1;
    if pool_size <= MAX_POOL {
        for slot in 0..pool_size {
            projects.push(Project {
                id: format!("licensing-flows.{id}.permit-{slot}"),
                name: format!("{name}: developed permit {slot}"),
                event_stream: inputs
                    .stream(&format!("licensing-flows.{id}.permits[{slot}].events")),
                ..template.clone()
            });
        }
    }
    let start = cx.time.start_year;
    Some(LicensingFlow {
        id: id.to_string(),
        // A flow without simulated years has its first year after its last.
        first: if years.count == 0 { 1 } else { (years.first - start) as u32 },
        last: if years.count == 0 { 0 } else { (years.last - start) as u32 },
        rate: param_or_zero(inputs, &fl.permits_per_year),
        peace_multiplier: inputs.param(&fl.peace_multiplier),
        max_permits,
        fee: param_or_zero(inputs, &fl.fee),
        production_probability: param_or_zero(inputs, &fl.production_probability),
        max_projects,
        stream: inputs.stream(&format!("licensing-flows.{id}.permits")),
        fees_project,
        pool,
        pool_size,
    })
}

/// The index of the flow's region among the deposits' oblasts, or `None` after reporting that no
/// deposit lies there.
fn flow_region(
    fl: &sections::LicensingFlow,
    cx: &FlowContext<'_>,
    d: &mut Diagnostics,
) -> Option<usize> {
    let oblast = fl.region.as_ref().map_or("", |r| r.value.as_str());
    if let Some(&i) = cx.oblast_index.get(oblast) {
        return Some(i);
    }
    let mut names: Vec<&str> = cx.oblast_index.keys().map(String::as_str).collect();
    names.sort_unstable();
    let known = if names.is_empty() {
        "the scenario has no deposits, so no regions".to_string()
    } else {
        format!("names must match the deposits' regions: {}", names.join(", "))
    };
    d.error(
        fl.region.as_ref().and_then(|r| r.site.loc.clone()),
        fl.site.join("region"),
        format!("no deposit lies in region {oblast:?}; {known}"),
    );
    None
}

/// The simulated years of a flow: its first and last calendar years clipped to the horizon, and
/// how many there are (none when the flow lies wholly outside it).
struct FlowYears {
    first: i32,
    last: i32,
    count: usize,
}

/// The flow's simulated years, or `None` after reporting written years that contradict each other.
fn flow_years(fl: &sections::LicensingFlow, time: &Time, d: &mut Diagnostics) -> Option<FlowYears> {
    let (start, end) = (time.start_year, time.end_year());
    let first_year = fl.first_year.unwrap_or(start);
    let last_year = fl.last_year.as_ref().map_or(end, |y| y.value);
    // Written years that contradict each other are an error; a default start after a written last year
    // leaves the flow without simulated years.
    let both = fl.first_year.is_some() && fl.last_year.is_some();
    if both && first_year > last_year {
        d.error(
            fl.last_year.as_ref().and_then(|y| y.site.loc.clone()),
            fl.site.join("last-year"),
            format!("the last year {last_year} comes before the first year {first_year}"),
        );
        return None;
    }
    let (first, last) = (first_year.max(start), last_year.min(end));
    let count = if first > last { 0 } else { (last - first + 1) as usize };
    Some(FlowYears { first, last, count })
}

/// The yearly maxima of permits and developed permits, or `None` after reporting a maximum that
/// would clamp the count more often than [`CAP_TAIL`] at the largest mean.
fn flow_maxima(fl: &sections::LicensingFlow, d: &mut Diagnostics) -> Option<(u32, u32)> {
    let mut ok = true;
    let max_permits = fl.max_permits_per_year.as_ref().map_or(1, |m| m.value);
    let max_projects = fl.max_projects_per_year.as_ref().map_or(1, |m| m.value);
    let mean_top = top(fl.permits_per_year.as_ref()).unwrap_or(0.0)
        * top(Some(&fl.peace_multiplier)).unwrap_or(1.0).max(1.0);
    let needed = poisson_quantile(mean_top, 1.0 - CAP_TAIL, u32::MAX);
    if fl.permits_per_year.is_some() && needed > max_permits {
        d.error(
            fl.max_permits_per_year.as_ref().and_then(|m| m.site.loc.clone()),
            fl.site.join("max-permits-per-year"),
            format!(
                "{max_permits} would clamp the count too often: at the largest mean ({mean_top}) a year passes it with probability above {CAP_TAIL}; use at least {needed}"
            ),
        );
        ok = false;
    }
    // The developed permits of a Poisson count are Poisson with the mean times the probability.
    let developed_top = mean_top * top(fl.production_probability.as_ref()).unwrap_or(0.0);
    let needed = poisson_quantile(developed_top, 1.0 - CAP_TAIL, u32::MAX).min(max_permits);
    if fl.production_probability.is_some() && needed > max_projects {
        d.error(
            fl.max_projects_per_year.as_ref().and_then(|m| m.site.loc.clone()),
            fl.site.join("max-projects-per-year"),
            format!(
                "{max_projects} would clamp the permits developed too often: at the largest mean and probability a year passes it with probability above {CAP_TAIL}; use at least {needed}"
            ),
        );
        ok = false;
    }
    ok.then_some((max_permits, max_projects))
}

/// The regime of the flow's developed permits, or `None` after reporting missing or stray PSA terms.
fn flow_regime(
    s: &Root,
    fp: &sections::FlowProject,
    fiscal: &Fiscal,
    inputs: &mut Inputs,
    d: &mut Diagnostics,
) -> Option<Regime> {
    let pbase = &fp.site.path;
    let mut ok = true;
    let regime = match fp.regime.value {
        RegimeKind::Psa => {
            let psa = &fp.psa;
            for (own, own_q, shared, shared_q) in [
                (
                    "cost-recovery-limit",
                    &psa.cost_recovery_limit,
                    "fiscal.psa-cost-recovery-limit",
                    &s.fiscal.psa_cost_recovery_limit,
                ),
                (
                    "state-share",
                    &psa.state_share,
                    "fiscal.psa-state-share",
                    &s.fiscal.psa_state_share,
                ),
            ] {
                if own_q.is_none() && shared_q.is_none() {
                    d.error(
                        fp.regime.site.loc.clone(),
                        &fp.regime.site.path,
                        format!(
                            "a production-sharing agreement needs `{pbase}.psa.{own}` or `{shared}`"
                        ),
                    );
                    ok = false;
                }
            }
            Regime::Psa {
                cost_recovery_limit: psa
                    .cost_recovery_limit
                    .as_ref()
                    .map_or(fiscal.psa_cost_recovery_limit, |x| inputs.param(x)),
                state_share: psa
                    .state_share
                    .as_ref()
                    .map_or(fiscal.psa_state_share, |x| inputs.param(x)),
            }
        }
        RegimeKind::Royalty => {
            if fp.psa.site.given() {
                d.error(
                    fp.psa.site.loc.clone(),
                    &fp.psa.site.path,
                    "PSA terms given but `regime` is not \"psa\"",
                );
                ok = false;
            }
            Regime::Royalty
        }
    };
    ok.then_some(regime)
}

/// The products of the flow's developed permits, or `None` after reporting unknown products or
/// units that do not match them.
fn flow_products(
    fp: &sections::FlowProject,
    cx: &FlowContext<'_>,
    inputs: &mut Inputs,
    d: &mut Diagnostics,
) -> Option<Vec<ProjectProduct>> {
    let mut ok = true;
    let list = &fp.products;
    if list.entries.is_empty() && list.site.given() {
        d.error(list.site.loc.clone(), &list.site.path, "a project needs at least one product");
        ok = false;
    }
    if list.entries.len() > subsoil_core::project::MAX_PRODUCTS {
        d.error(
            list.site.loc.clone(),
            &list.site.path,
            format!("at most {} products per project", subsoil_core::project::MAX_PRODUCTS),
        );
        ok = false;
    }
    let mut products = Vec::new();
    for (pid, pp) in list.entries.iter().take(subsoil_core::project::MAX_PRODUCTS) {
        let Some(&i) = cx.product_index.get(pid) else {
            let known: Vec<&str> = cx.products.iter().map(|p| p.id.as_str()).collect();
            d.error(
                pp.site.loc.clone(),
                &pp.site.path,
                format!("no product {pid:?} in [products]; known: {}", known.join(", ")),
            );
            ok = false;
            continue;
        };
        let unit = &cx.products[i].unit;
        for (q, want) in
            [(pp.capacity.as_ref(), format!("{unit}/yr")), (Some(&pp.opex), format!("USD/{unit}"))]
        {
            if let Some(qt) = q
                && let Some(u) = &qt.unit
                && !crate::lower_common::same_unit(u, &want)
            {
                d.error(
                    qt.location.clone(),
                    &qt.path,
                    format!("unit {u:?} does not match the product's unit: expected {want:?}"),
                );
                ok = false;
            }
        }
        for q in [pp.capacity.as_ref(), Some(&pp.opex)].into_iter().flatten() {
            if q.series.is_some() {
                d.error(
                    q.location.clone(),
                    format!("{}.by-production-year", q.path),
                    "a licensing flow's projects take one capacity and one opex each, not a schedule by production year",
                );
                ok = false;
            }
        }
        products.push(ProjectProduct {
            product: i,
            capacity: param_or_zero(inputs, &pp.capacity),
            opex: inputs.param(&pp.opex),
            royalty_rate: pp.royalty_rate.as_ref().map(|x| inputs.param(x)),
            royalty_by_year: None,
            payable: inputs.param(&pp.payable),
            selling_costs: inputs.param(&pp.selling_costs),
            royalty_on_nsr: pp.royalty_base.value == crate::vocab::RoyaltyBase::Nsr,
        });
    }
    ok.then_some(products)
}

/// What every developed permit of the flow is, before its id, name and event stream: a licensed new
/// project of the flow's deposit, with the shared project uncertainties drawn once per flow and path.
fn flow_template(
    s: &Root,
    fl: &sections::LicensingFlow,
    id: &str,
    regime: Regime,
    products: Vec<ProjectProduct>,
    deposit: usize,
    inputs: &mut Inputs,
) -> Project {
    let fp = &fl.project;
    let profile = match fp.profile.kind {
        ProfileKind::Decline => Profile::Decline { rate: inputs.param(&fp.profile.decline_rate) },
        ProfileKind::RampPlateau => Profile::RampPlateau {
            ramp_years: fp.profile.ramp_years,
            ramp_start: inputs.param(&fp.profile.ramp_start),
        },
    };
    // The shared project uncertainties, drawn once per flow and path.
    let shared = |inputs: &mut Inputs, key: &str, q: &Quantity| -> Param {
        inputs.param_named(&format!("licensing-flows.{id}.{key}"), q)
    };
    let u = &s.uncertainty;
    let capex_overrun = shared(inputs, "capex-overrun", &u.capex_overrun);
    let opex_multiplier = shared(inputs, "opex-multiplier", &u.opex_multiplier);
    let production_factor = shared(inputs, "production-factor", &u.production_factor);
    let schedule_slip = shared(inputs, "schedule-slip", &u.schedule_slip);
    let lag = param_or_zero(inputs, &fl.lag);

    let decision = match fp.decision {
        Decision::Always => DecisionRule::Always,
        Decision::Never => DecisionRule::Never,
        Decision::Npv => DecisionRule::Npv,
    };
    Project {
        id: String::new(),
        name: String::new(),
        deposit,
        stage: Stage::Licensed,
        licensed: true,
        licence_new: true,
        regime,
        decision,
        construction_years: param_or_zero(inputs, &fp.construction_years),
        life_years: param_or_zero(inputs, &fp.life_years),
        capex: param_or_zero(inputs, &fp.capex),
        sustaining_capex: inputs.param(&fp.sustaining_capex),
        closure_cost: inputs.param(&fp.closure_cost),
        licence_fee: Some(Param::Fixed(0.0)),
        tax_book_value: Param::Fixed(0.0),
        products,
        profile,
        // A developed permit starts licensed, never producing.
        start_age: None,
        capex_overrun,
        opex_multiplier,
        production_factor,
        schedule_slip,
        capex_phasing: Vec::new(),
        by_age: Vec::new(),
        // Rates by year and stabilisation are set after every project is lowered (lower_rent.rs).
        rates_by_year: false,
        stabilised: false,
        event_stream: 0,
        stage_durations: [Param::Fixed(0.0), Param::Fixed(0.0), Param::Fixed(0.0), lag],
    }
}
