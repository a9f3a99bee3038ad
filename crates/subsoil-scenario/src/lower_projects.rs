//! Lowering of `[projects]`: each project's deposit, stage and licence, regime, decision rule,
//! products, output profile, its own draws of the shared uncertainties and of the stage durations.

use std::collections::HashMap;

use subsoil_core::project::MAX_PRODUCTS;
use subsoil_core::{
    Fiscal, Param, Product, ProductByAge, Profile, Project, ProjectProduct, Regime, Stage,
};

use crate::deposits::{LicenceEvent, NewnessRules, licence_state};
use crate::diag::Diagnostics;
use crate::inputs::Inputs;
use crate::lower_common::{LowerInput, check_unit, param_or_zero};
use crate::lower_conflict::Places;
use crate::quantity::Quantity;
use crate::sections;
use crate::typed::Located;
use crate::vocab::{ProfileKind, RegimeKind, RoyaltyBase};

/// What projects refer to, lowered before them.
pub(crate) struct Context<'a> {
    /// The deposits and oblasts.
    pub places: &'a Places,
    /// The products.
    pub products: &'a [Product],
    /// Index of each product by id.
    pub product_index: &'a HashMap<String, usize>,
    /// The fiscal regime (a PSA's default terms).
    pub fiscal: &'a Fiscal,
    /// Which licences are new.
    pub rules: &'a NewnessRules,
}

/// The projects, in file order; one whose deposit is unknown is reported and left out.
pub(crate) fn projects(
    li: &LowerInput<'_>,
    cx: &Context<'_>,
    inputs: &mut Inputs,
    d: &mut Diagnostics,
) -> Vec<Project> {
    let mut events_by_deposit: HashMap<&str, Vec<&LicenceEvent>> = HashMap::new();
    for e in li.events {
        events_by_deposit.entry(e.deposit_id.as_str()).or_default().push(e);
    }
    let mut out = Vec::new();
    for (id, p) in &li.s.projects.entries {
        let Some(dep) = &p.deposit else { continue };
        let Some(deposit) = deposit_of(li, cx, dep, d) else { continue };
        let row = &li.deposits[deposit];
        let stage = p.stage.unwrap_or(row.stage);
        let evs = events_by_deposit.get(dep.value.as_str()).map_or(&[][..], Vec::as_slice);
        let licence = licence_state(evs, stage, cx.rules);
        let regime = regime(li, p, cx.fiscal, inputs, d);
        let decision = p.decision.rule();
        let (products, by_age) = project_products(li, p, cx, inputs, d);
        let profile = match p.profile.kind {
            ProfileKind::Decline => {
                Profile::Decline { rate: inputs.param(&p.profile.decline_rate) }
            }
            ProfileKind::RampPlateau => Profile::RampPlateau {
                ramp_years: p.profile.ramp_years,
                ramp_start: inputs.param(&p.profile.ramp_start),
            },
        };
        let [capex_overrun, opex_multiplier, production_factor, schedule_slip] =
            uncertainties(li, p, stage == Stage::Producing, inputs);
        let stage_durations =
            li.s.stages.pre_decision().map(|(s, rule)| match rule.duration.as_ref() {
                Some(x) if passes_through(stage, licence.licensed, s) => {
                    inputs.param_named(&format!("{}.stages.{}.duration", p.site.path, s.name()), x)
                }
                _ => Param::Fixed(0.0),
            });
        let mut project = Project {
            id: id.clone(),
            name: p.name.clone().unwrap_or_else(|| row.name.clone()),
            deposit,
            stage,
            licensed: licence.licensed,
            licence_new: licence.new,
            regime,
            decision,
            construction_years: param_or_zero(inputs, &p.construction_years),
            life_years: param_or_zero(inputs, &p.life_years),
            capex: param_or_zero(inputs, &p.capex),
            sustaining_capex: inputs.param(&p.sustaining_capex),
            closure_cost: inputs.param(&p.closure_cost),
            licence_fee: p.licence_fee.as_ref().map(|x| inputs.param(x)),
            tax_book_value: inputs.param(&p.tax_book_value),
            products,
            profile,
            start_age: p.profile.start_age,
            capex_overrun,
            opex_multiplier,
            production_factor,
            schedule_slip,
            capex_phasing: Vec::new(),
            by_age: Vec::new(),
            // Rates by year and stabilisation are set after every project is lowered (lower_rent.rs).
            rates_by_year: false,
            stabilised: false,
            event_stream: inputs.stream(&format!("{}.events", p.site.path)),
            stage_durations,
        };
        crate::lower_series::capex_phasing(p, &mut project, d);
        crate::lower_series::by_production_year(p, &mut project, by_age, d);
        out.push(project);
    }
    out
}

/// Whether a project that starts at `start`, with a licence held or not, can pass through stage `s`
/// before its investment decision: stages only move on (identified → explored → licensed, tender →
/// licensed), and a licence held takes an identified, explored or tender project to licensed
/// (`subsoil_core::ProjectState`'s stage machine). The durations of the other stages are never read.
fn passes_through(start: Stage, licensed: bool, s: Stage) -> bool {
    let start = match start {
        Stage::Explored | Stage::Tender if licensed => Stage::Licensed,
        other => other,
    };
    match start {
        Stage::Identified => match s {
            Stage::Identified | Stage::Licensed => true,
            Stage::Explored => !licensed,
            _ => false,
        },
        Stage::Explored | Stage::Tender => s == start || s == Stage::Licensed,
        Stage::Licensed => s == Stage::Licensed,
        _ => false,
    }
}

/// The index of the deposit a project names, or an error listing some of the deposits.
fn deposit_of(
    li: &LowerInput<'_>,
    cx: &Context<'_>,
    dep: &Located<String>,
    d: &mut Diagnostics,
) -> Option<usize> {
    let found = cx.places.deposit_index.get(&dep.value).copied();
    if found.is_none() {
        let known: Vec<&str> = li.deposits.iter().map(|r| r.id.as_str()).collect();
        d.error(
            dep.site.loc.clone(),
            &dep.site.path,
            format!(
                "no deposit with id {:?} in the deposits file ({} deposits: {}…)",
                dep.value,
                known.len(),
                known.iter().take(5).copied().collect::<Vec<_>>().join(", ")
            ),
        );
    }
    found
}

/// The project's capex overrun, opex multiplier, production factor and schedule slip: its own, or its
/// own draw of the shared default of `[uncertainty]`. An operation producing at the start has measured
/// output: the shared production factor (a statistic of new mines) does not apply to it. A project with
/// no capex (a fixed zero) draws no overrun of it, and one with no construction no slip of it: such a
/// draw would change nothing and only list an input that moves no result.
fn uncertainties(
    li: &LowerInput<'_>,
    p: &sections::Project,
    producing: bool,
    inputs: &mut Inputs,
) -> [Param; 4] {
    let u = &li.s.uncertainty;
    // Without a draw of its own the project takes `neutral` when the default would move nothing.
    let mut own = |own: &Option<Quantity>, shared: &Quantity, neutral: Option<f64>| match own {
        Some(x) => inputs.param(x),
        None => match neutral {
            Some(x) => Param::Fixed(x),
            None => inputs.param_named(&p.site.join(field_key(&shared.path)), shared),
        },
    };
    // A fixed zero (or nothing written) has nothing to overrun or to slip.
    let none = |q: &Option<Quantity>| q.as_ref().is_none_or(|q| !q.uncertain && q.median() == 0.0);
    let (no_capex, no_build) = (none(&p.capex), none(&p.construction_years));
    [
        own(&p.capex_overrun, &u.capex_overrun, no_capex.then_some(1.0)),
        own(&p.opex_multiplier, &u.opex_multiplier, None),
        own(&p.production_factor, &u.production_factor, producing.then_some(1.0)),
        own(&p.schedule_slip, &u.schedule_slip, no_build.then_some(0.0)),
    ]
}

/// The last key of a dotted path (`uncertainty.capex-overrun` → `capex-overrun`).
fn field_key(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

/// The project's regime: a PSA takes its terms from `[projects.<id>.psa]` or, failing that, `[fiscal]`.
fn regime(
    li: &LowerInput<'_>,
    p: &sections::Project,
    fiscal: &Fiscal,
    inputs: &mut Inputs,
    d: &mut Diagnostics,
) -> Regime {
    let psa = &p.psa;
    let shared = &li.s.fiscal;
    // When `[fiscal]` itself is malformed its error says so; missing terms would only repeat it.
    let fiscal_broken = d.items.iter().any(|e| e.path == shared.site.path);
    if !fiscal_broken && p.regime.value == RegimeKind::Psa {
        for (own, own_key, given, shared_key) in [
            (
                &psa.cost_recovery_limit,
                "cost-recovery-limit",
                &shared.psa_cost_recovery_limit,
                "psa-cost-recovery-limit",
            ),
            (&psa.state_share, "state-share", &shared.psa_state_share, "psa-state-share"),
        ] {
            if own.is_none() && given.is_none() {
                d.error(
                    p.regime.site.loc.clone(),
                    &p.regime.site.path,
                    format!(
                        "a production-sharing agreement needs `{}` or `{}`",
                        psa.site.join(own_key),
                        shared.site.join(shared_key)
                    ),
                );
            }
        }
    }
    let regime = match p.regime.value {
        RegimeKind::Psa => Regime::Psa {
            cost_recovery_limit: psa
                .cost_recovery_limit
                .as_ref()
                .map_or(fiscal.psa_cost_recovery_limit, |x| inputs.param(x)),
            state_share: psa
                .state_share
                .as_ref()
                .map_or(fiscal.psa_state_share, |x| inputs.param(x)),
        },
        RegimeKind::Royalty => Regime::Royalty,
    };
    if p.regime.value != RegimeKind::Psa && psa.site.given() {
        d.error(
            psa.site.loc.clone(),
            &psa.site.path,
            "PSA terms given but `regime` is not \"psa\"",
        );
    }
    regime
}

/// The project's products (at most [`MAX_PRODUCTS`]), each a product of `[products]` in its units, and
/// each one's schedules by production year.
fn project_products(
    li: &LowerInput<'_>,
    p: &sections::Project,
    cx: &Context<'_>,
    inputs: &mut Inputs,
    d: &mut Diagnostics,
) -> (Vec<ProjectProduct>, Vec<ProductByAge>) {
    let list = &p.products;
    // An absent `products` is already reported as a missing field.
    if list.entries.is_empty() && list.site.given() {
        d.error(list.site.loc.clone(), &list.site.path, "a project needs at least one product");
    }
    if list.entries.len() > MAX_PRODUCTS {
        d.error(
            list.site.loc.clone(),
            &list.site.path,
            format!("at most {MAX_PRODUCTS} products per project"),
        );
    }
    let mut out = Vec::new();
    let mut by_age = Vec::new();
    for (pid, pp) in list.entries.iter().take(MAX_PRODUCTS) {
        let Some(&k) = cx.product_index.get(pid) else {
            let known: Vec<&str> = li.s.products.ids().collect();
            d.error(
                pp.site.loc.clone(),
                &pp.site.path,
                format!("no product {pid:?} in [products]; known: {}", known.join(", ")),
            );
            continue;
        };
        let unit = &cx.products[k].unit;
        check_unit(pp.capacity.as_ref(), &format!("{unit}/yr"), d);
        check_unit(Some(&pp.opex), &format!("USD/{unit}"), d);
        check_unit(Some(&pp.selling_costs), &format!("USD/{unit}"), d);
        let payable = inputs.param(&pp.payable);
        let selling_costs = inputs.param(&pp.selling_costs);
        let royalty_on_nsr = pp.royalty_base.value == RoyaltyBase::Nsr;
        let sold_as_is = matches!(payable, Param::Fixed(x) if x == 1.0)
            && matches!(selling_costs, Param::Fixed(x) if x == 0.0);
        if royalty_on_nsr && sold_as_is {
            let at = &pp.royalty_base.site;
            d.error(
                at.loc.clone(),
                &at.path,
                "a royalty on the net smelter return needs the product's `payable` share or `selling-costs` (without them it is the gross value)",
            );
        }
        out.push(ProjectProduct {
            product: k,
            capacity: param_or_zero(inputs, &pp.capacity),
            opex: inputs.param(&pp.opex),
            royalty_rate: pp.royalty_rate.as_ref().map(|x| inputs.param(x)),
            royalty_by_year: None,
            payable,
            selling_costs,
            royalty_on_nsr,
        });
        by_age.push(ProductByAge {
            capacity: pp.capacity.as_ref().and_then(|q| q.series.as_ref()).map(|s| s.to_model()),
            opex: pp.opex.series.as_ref().map(|s| s.to_model()),
        });
    }
    (out, by_age)
}
