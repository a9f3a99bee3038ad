//! Lowering of `[[licensing-flows]]`, onto the model the other sections were lowered into: each flow
//! becomes a [`LicensingFlow`], a deposit in its region, a project that pays its permits' fees, and a
//! pool of projects (one per permit that may be developed: `max-projects-per-year` for each year of the
//! flow), all appended after the scenario's own projects so that the hot loop allocates nothing and the
//! reports list the scenario's projects apart. It reads the validated tree by dotted path (its `Flat` view).

use std::collections::HashMap;

use subsoil_core::flows::poisson_quantile;
use subsoil_core::{
    Control, DecisionRule, Deposit, Fiscal, LicensingFlow, Model, Param, Product, Profile, Project,
    ProjectProduct, Regime, Stage, StartControl, Time,
};

use crate::diag::{Diagnostics, Location};
use crate::inputs::Inputs;
use crate::quantity::Quantity;
use crate::walk::{Val, Valid, valid_id};

/// Largest number of projects all flows' pools may hold together.
pub const MAX_POOL: usize = 20_000;
/// Largest probability that a year's count passes its stated maximum.
const CAP_TAIL: f64 = 0.001;

/// The validated values under `licensing-flows` (and the `[uncertainty]` defaults), by dotted path:
/// quantities, whole numbers and strings, and where each value that was written (not defaulted) sits.
#[derive(Default)]
struct Flat<'a> {
    quantities: HashMap<&'a str, &'a Quantity>,
    counts: HashMap<&'a str, i64>,
    strings: HashMap<&'a str, &'a str>,
    locations: HashMap<&'a str, Location>,
}

impl<'a> Flat<'a> {
    fn add(&mut self, v: &'a Valid) {
        if let Some(loc) = &v.loc {
            self.locations.insert(&v.path, loc.clone());
        }
        match &v.val {
            Val::Quantity(q) => {
                self.quantities.insert(&v.path, q);
            }
            Val::Count(n) => {
                self.counts.insert(&v.path, *n);
            }
            Val::Str(x) => {
                self.strings.insert(&v.path, x);
            }
            Val::Table(t) => t.values().for_each(|c| self.add(c)),
            Val::Map(m) => m.iter().for_each(|(_, c)| self.add(c)),
            Val::Array(a) => a.iter().for_each(|c| self.add(c)),
            Val::Bool(_) | Val::Date(_) => {}
        }
    }
    fn q(&self, path: &str) -> Option<&'a Quantity> {
        self.quantities.get(path).copied()
    }
    fn count(&self, path: &str) -> Option<i64> {
        self.counts.get(path).copied()
    }
    fn str(&self, path: &str) -> Option<&'a str> {
        self.strings.get(path).copied()
    }
    fn loc(&self, path: &str) -> Option<Location> {
        self.locations.get(path).cloned()
    }
    fn given(&self, path: &str) -> bool {
        self.locations.contains_key(path)
    }
}

/// What the flows' lowering reads from the rest of the model.
struct FlowContext<'a> {
    products: &'a [Product],
    product_index: &'a HashMap<String, usize>,
    oblast_index: &'a HashMap<String, usize>,
    fiscal: &'a Fiscal,
    time: &'a Time,
}

/// Lowers every `[[licensing-flows]]` entry of the validated tree `tree` onto `model`: its flows, and
/// their deposits and projects appended after the model's own; problems go to `d`.
pub(crate) fn lower_flows(
    tree: &Valid,
    model: &mut Model,
    inputs: &mut Inputs,
    d: &mut Diagnostics,
) {
    let mut v = Flat::default();
    for key in ["licensing-flows", "uncertainty"] {
        if let Some(t) = tree.field(key) {
            v.add(t);
        }
    }
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
    let count = (0..).take_while(|k| v.given(&format!("licensing-flows[{k}]"))).count();
    let mut flows = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut pooled = 0usize;
    for k in 0..count {
        let base = format!("licensing-flows[{k}]");
        let Some(id) = v.str(&format!("{base}.id")) else { continue };
        if !valid_id(id) {
            d.error(
                v.loc(&format!("{base}.id")),
                format!("{base}.id"),
                format!("{id:?} is not a valid id: use lowercase letters, digits, `-` and `_`"),
            );
            continue;
        }
        if let Some(first) = seen.insert(id.to_string(), k) {
            d.error(
                v.loc(&format!("{base}.id")),
                format!("{base}.id"),
                format!("id {id:?} is already used by licensing-flows[{first}]"),
            );
            continue;
        }
        let at = Offsets {
            deposit: first_deposit + deposits.len(),
            project: first_project + projects.len(),
        };
        let Some(flow) = lower_flow(&v, &cx, k, id, at, &mut deposits, &mut projects, inputs, d)
        else {
            continue;
        };
        pooled += flow.pool_size;
        if pooled > MAX_POOL {
            d.error(
                v.loc(&format!("{base}.max-projects-per-year")),
                format!("{base}.max-projects-per-year"),
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
fn top(v: &Flat<'_>, path: &str) -> Option<f64> {
    v.q(path).map(|x| x.dist.support().1.min(x.bounds.1))
}

#[allow(clippy::too_many_arguments)]
fn lower_flow(
    v: &Flat<'_>,
    cx: &FlowContext<'_>,
    k: usize,
    id: &str,
    at_index: Offsets,
    deposits: &mut Vec<Deposit>,
    projects: &mut Vec<Project>,
    inputs: &mut Inputs,
    d: &mut Diagnostics,
) -> Option<LicensingFlow> {
    let base = format!("licensing-flows[{k}]");
    let at = |key: &str| format!("{base}.{key}");
    let mut ok = true;

    // Where: a deposit of the flow in its oblast, held by the government at the start.
    let oblast = v.str(&at("region")).unwrap_or_default();
    let primary_oblast = match cx.oblast_index.get(oblast) {
        Some(&i) => i,
        None => {
            let mut names: Vec<&str> = cx.oblast_index.keys().map(String::as_str).collect();
            names.sort_unstable();
            let known = if names.is_empty() {
                "the scenario has no deposits, so no regions".to_string()
            } else {
                format!("names must match the deposits' oblasts or regions: {}", names.join(", "))
            };
            d.error(
                v.loc(&at("region")),
                at("region"),
                format!("no deposit lies in region {oblast:?}; {known}"),
            );
            ok = false;
            0
        }
    };

    // When: the years of the flow, within the horizon.
    let time = cx.time;
    let (start, end) = (time.start_year, time.end_year());
    let first_year = v.count(&at("first-year")).map_or(start, |y| y as i32);
    let last_year = v.count(&at("last-year")).map_or(end, |y| y as i32);
    // Written years that contradict each other are an error; a default start after a written last year
    // leaves the flow without simulated years.
    let both = v.count(&at("first-year")).is_some() && v.count(&at("last-year")).is_some();
    if both && first_year > last_year {
        d.error(
            v.loc(&at("last-year")),
            at("last-year"),
            format!("the last year {last_year} comes before the first year {first_year}"),
        );
        ok = false;
    }
    // Only the simulated years of the flow run: none when it lies wholly outside the horizon.
    let (first_year, last_year) = (first_year.max(start), last_year.min(end));
    let years = if first_year > last_year { 0 } else { (last_year - first_year + 1) as usize };

    // How many: the maxima must hold the count at the largest mean but for a tail of CAP_TAIL.
    let max_permits = v.count(&at("max-permits-per-year")).unwrap_or(1) as u32;
    let max_projects = v.count(&at("max-projects-per-year")).unwrap_or(1) as u32;
    let mean_top = top(v, &at("permits-per-year")).unwrap_or(0.0)
        * top(v, &at("peace-multiplier")).unwrap_or(1.0).max(1.0);
    let needed = poisson_quantile(mean_top, 1.0 - CAP_TAIL, u32::MAX);
    if v.q(&at("permits-per-year")).is_some() && needed > max_permits {
        d.error(
            v.loc(&at("max-permits-per-year")),
            at("max-permits-per-year"),
            format!(
                "{max_permits} would clamp the count too often: at the largest mean ({mean_top}) a year passes it with probability above {CAP_TAIL}; use at least {needed}"
            ),
        );
        ok = false;
    }
    // The developed permits of a Poisson count are Poisson with the mean times the probability.
    let developed_top = mean_top * top(v, &at("production-probability")).unwrap_or(0.0);
    let needed = poisson_quantile(developed_top, 1.0 - CAP_TAIL, u32::MAX).min(max_permits);
    if v.q(&at("production-probability")).is_some() && needed > max_projects {
        d.error(
            v.loc(&at("max-projects-per-year")),
            at("max-projects-per-year"),
            format!(
                "{max_projects} would clamp the permits developed too often: at the largest mean and probability a year passes it with probability above {CAP_TAIL}; use at least {needed}"
            ),
        );
        ok = false;
    }

    // What a developed permit is.
    let pbase = at("project");
    let pat = |key: &str| format!("{pbase}.{key}");
    let regime = match v.str(&pat("regime")) {
        Some("psa") => {
            for (own, shared) in [
                ("cost-recovery-limit", "fiscal.psa-cost-recovery-limit"),
                ("state-share", "fiscal.psa-state-share"),
            ] {
                if v.q(&pat(&format!("psa.{own}"))).is_none() && v.q(shared).is_none() {
                    d.error(
                        v.loc(&pat("regime")),
                        pat("regime"),
                        format!(
                            "a production-sharing agreement needs `{pbase}.psa.{own}` or `{shared}`"
                        ),
                    );
                    ok = false;
                }
            }
            Regime::Psa {
                cost_recovery_limit: v
                    .q(&pat("psa.cost-recovery-limit"))
                    .map_or(cx.fiscal.psa_cost_recovery_limit, |x| inputs.param(x)),
                state_share: v
                    .q(&pat("psa.state-share"))
                    .map_or(cx.fiscal.psa_state_share, |x| inputs.param(x)),
            }
        }
        _ => {
            if v.given(&pat("psa")) {
                d.error(
                    v.loc(&pat("psa")),
                    pat("psa"),
                    "PSA terms given but `regime` is not \"psa\"",
                );
                ok = false;
            }
            Regime::Royalty
        }
    };
    let decision = match v.str(&pat("decision")) {
        Some("always") => DecisionRule::Always,
        Some("never") => DecisionRule::Never,
        _ => DecisionRule::Npv,
    };
    let prefix = format!("{}.", pat("products"));
    let mut ids: Vec<&str> = v
        .locations
        .keys()
        .filter_map(|key| key.strip_prefix(prefix.as_str()))
        .filter(|rest| !rest.contains('.'))
        .collect();
    ids.sort_unstable();
    if ids.is_empty() && v.given(&pat("products")) {
        d.error(v.loc(&pat("products")), pat("products"), "a project needs at least one product");
        ok = false;
    }
    if ids.len() > subsoil_core::project::MAX_PRODUCTS {
        d.error(
            v.loc(&pat("products")),
            pat("products"),
            format!("at most {} products per project", subsoil_core::project::MAX_PRODUCTS),
        );
        ok = false;
    }
    let mut products = Vec::new();
    for pid in ids.iter().take(subsoil_core::project::MAX_PRODUCTS) {
        let pp = format!("{prefix}{pid}");
        let Some(&i) = cx.product_index.get(*pid) else {
            let known: Vec<&str> = cx.products.iter().map(|p| p.id.as_str()).collect();
            d.error(
                v.loc(&pp),
                pp.clone(),
                format!("no product {pid:?} in [products]; known: {}", known.join(", ")),
            );
            ok = false;
            continue;
        };
        let unit = &cx.products[i].unit;
        for (field, want) in [("capacity", format!("{unit}/yr")), ("opex", format!("USD/{unit}"))] {
            let path = format!("{pp}.{field}");
            if let Some(qt) = v.q(&path)
                && let Some(u) = &qt.unit
                && *u != want
            {
                d.error(
                    qt.location.clone(),
                    path,
                    format!("unit {u:?} does not match the product's unit: expected {want:?}"),
                );
                ok = false;
            }
        }
        let param = |inputs: &mut Inputs, path: &str| {
            v.q(path).map_or(Param::Fixed(0.0), |x| inputs.param(x))
        };
        products.push(ProjectProduct {
            product: i,
            capacity: param(inputs, &format!("{pp}.capacity")),
            opex: param(inputs, &format!("{pp}.opex")),
            royalty_rate: v.q(&format!("{pp}.royalty-rate")).map(|x| inputs.param(x)),
            payable: v.q(&format!("{pp}.payable")).map_or(Param::Fixed(1.0), |x| inputs.param(x)),
            selling_costs: param(inputs, &format!("{pp}.selling-costs")),
            royalty_on_nsr: v.str(&format!("{pp}.royalty-base")) == Some("nsr"),
        });
    }
    if !ok {
        return None;
    }

    let p =
        |inputs: &mut Inputs, path: &str| v.q(path).map_or(Param::Fixed(0.0), |x| inputs.param(x));
    let profile = match v.str(&pat("profile.kind")) {
        Some("decline") => Profile::Decline { rate: p(inputs, &pat("profile.decline-rate")) },
        _ => Profile::RampPlateau {
            ramp_years: v.count(&pat("profile.ramp-years")).unwrap_or(0) as u32,
            ramp_start: p(inputs, &pat("profile.ramp-start")),
        },
    };
    // The shared project uncertainties, drawn once per flow and path.
    let shared = |inputs: &mut Inputs, key: &str, neutral: f64| -> Param {
        v.q(&format!("uncertainty.{key}")).map_or(Param::Fixed(neutral), |x| {
            inputs.param_named(&format!("licensing-flows.{id}.{key}"), x)
        })
    };
    let capex_overrun = shared(inputs, "capex-overrun", 1.0);
    let opex_multiplier = shared(inputs, "opex-multiplier", 1.0);
    let production_factor = shared(inputs, "production-factor", 1.0);
    let schedule_slip = shared(inputs, "schedule-slip", 0.0);
    let lag = p(inputs, &at("lag"));
    let name = v.str(&at("name")).unwrap_or(id).to_string();

    let deposit = at_index.deposit;
    deposits.push(Deposit {
        id: format!("licensing-flows.{id}"),
        name: name.clone(),
        oblast: oblast.to_string(),
        primary_oblast,
        control: StartControl::Known(Control::Ukraine),
    });
    let template = Project {
        id: String::new(),
        name: String::new(),
        deposit,
        stage: Stage::Licensed,
        licensed: true,
        licence_new: true,
        regime,
        decision,
        construction_years: p(inputs, &pat("construction-years")),
        life_years: p(inputs, &pat("life-years")),
        capex: p(inputs, &pat("capex")),
        sustaining_capex: p(inputs, &pat("sustaining-capex")),
        closure_cost: p(inputs, &pat("closure-cost")),
        licence_fee: Some(Param::Fixed(0.0)),
        tax_book_value: Param::Fixed(0.0),
        products,
        profile,
        capex_overrun,
        opex_multiplier,
        production_factor,
        schedule_slip,
        capex_phasing: Vec::new(),
        event_stream: 0,
        stage_durations: [Param::Fixed(0.0), Param::Fixed(0.0), Param::Fixed(0.0), lag],
    };
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
    let pool_size = years * max_projects as usize;
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
    Some(LicensingFlow {
        id: id.to_string(),
        // A flow without simulated years has its first year after its last.
        first: if years == 0 { 1 } else { (first_year - start) as u32 },
        last: if years == 0 { 0 } else { (last_year - start) as u32 },
        rate: p(inputs, &at("permits-per-year")),
        peace_multiplier: p(inputs, &at("peace-multiplier")),
        max_permits,
        fee: p(inputs, &at("fee")),
        production_probability: p(inputs, &at("production-probability")),
        max_projects,
        stream: inputs.stream(&format!("licensing-flows.{id}.permits")),
        fees_project,
        pool,
        pool_size,
    })
}
