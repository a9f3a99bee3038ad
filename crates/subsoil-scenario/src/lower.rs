//! Lowering: validated values → the model's types, with cross-field checks (ids that refer to each
//! other, product units, probabilities that must sum to one) and the registry of uncertain inputs.

use std::collections::{BTreeMap, HashMap};

use subsoil_core::{
    Conflict, Control, Date, DecisionRule, Deposit, Dominant, Fiscal, Infrastructure, Leakage,
    Macro, Model, Newness, Oblast, Param, Product, Profile, Project, ProjectProduct, Rates, Regime,
    Settlement, Stage, StageRules, StartControl, Time,
};
use subsoil_risk::Dist;

use crate::deposits::{ControlStatus, DepositRow, LicenceEvent, NewnessRules, licence_state};
use crate::diag::{Diagnostics, Location, Sources};
use crate::inputs::Inputs;
use crate::quantity::{Quantity, fmt_num};
use crate::walk::Values;

/// What lowering needs besides the validated values.
pub struct LowerInput<'a> {
    /// Validated values.
    pub values: &'a Values,
    /// Ids of products, in order.
    pub products: Vec<String>,
    /// Ids of projects, in order.
    pub projects: Vec<String>,
    /// Product ids per project, in order.
    pub project_products: HashMap<String, Vec<String>>,
    /// Number of `[[correlations]]` entries.
    pub correlations: usize,
    /// Number of `[[conflict.settlements]]` entries.
    pub settlements: usize,
    /// Number of `[[input-correlations]]` entries.
    pub input_correlations: usize,
    /// Shape of `[deal]`.
    pub deal: crate::lower_deal::DealShape,
    /// Deposits.
    pub deposits: &'a [DepositRow],
    /// Licence events.
    pub events: &'a [LicenceEvent],
    /// The files read, to say where a value that combines with another came from.
    pub sources: &'a crate::diag::Sources,
}

/// A rank correlation between two uncertain inputs: (slot, slot, Spearman ρ).
pub type RankCorrelation = (u32, u32, f64);

/// Builds the model; problems go to `d`.
pub fn lower(li: &LowerInput<'_>, d: &mut Diagnostics) -> (Model, Inputs, Vec<RankCorrelation>) {
    let v = li.values;
    let mut inputs = Inputs::default();
    let q = |path: &str| v.q(path);
    // Every quantity read below was either given and validated or defaulted; a missing one means the
    // validator already reported an error, so a neutral placeholder keeps lowering going.
    let p = |inputs: &mut Inputs, path: &str| -> Param {
        q(path).map_or(Param::Fixed(0.0), |x| inputs.param(x))
    };

    let start_year = v.count("time.start-year").unwrap_or(2026) as i32;
    let time = Time {
        start_year,
        horizon: v.count("time.horizon-years").unwrap_or(50) as u32,
        base_year: v.count("time.base-year").map_or(start_year, |y| y as i32),
        terminal_value: v
            .str("time.terminal-value")
            .and_then(|t| t.parse().ok())
            .unwrap_or_default(),
        discounting: v.str("time.discounting").and_then(|t| t.parse().ok()).unwrap_or_default(),
    };

    let macro_ = Macro {
        us_inflation: p(&mut inputs, "macro.us-inflation"),
        uah_per_usd: p(&mut inputs, "macro.uah-per-usd"),
        uah_depreciation: p(&mut inputs, "macro.uah-depreciation"),
        gdp: p(&mut inputs, "macro.gdp"),
        gdp_real_growth: p(&mut inputs, "macro.gdp-real-growth"),
    };
    let rates = Rates {
        investor_base: p(&mut inputs, "rates.investor-base"),
        crp_war: p(&mut inputs, "rates.country-risk-premium-war"),
        crp_postwar: p(&mut inputs, "rates.country-risk-premium-postwar"),
        crp_peace: p(&mut inputs, "rates.country-risk-premium-peace"),
        postwar_years: v.count("rates.postwar-years").unwrap_or(5) as u32,
        valuation: p(&mut inputs, "rates.valuation"),
        // The partner's own rate, or the valuation rate when the scenario gives none.
        us_discount: match q("rates.us-discount") {
            Some(x) => inputs.param(x),
            None => p(&mut inputs, "rates.valuation"),
        },
    };
    let fiscal = Fiscal {
        cit_rate: p(&mut inputs, "fiscal.cit-rate"),
        depreciation_years: v.count("fiscal.depreciation-years").unwrap_or(10) as u32,
        psa_cost_recovery_limit: p(&mut inputs, "fiscal.psa-cost-recovery-limit"),
        psa_state_share: p(&mut inputs, "fiscal.psa-state-share"),
        licence_fee: p(&mut inputs, "fiscal.licence-fee"),
    };

    // Products.
    let mut products = Vec::new();
    let mut product_index = HashMap::new();
    for id in &li.products {
        let base = format!("products.{id}");
        let unit = v.str(&format!("{base}.unit")).unwrap_or("").to_string();
        for field in ["price", "long-run"] {
            check_unit(v, &format!("{base}.{field}"), &format!("USD/{unit}"), d);
        }
        check_unit(v, &format!("{base}.world-supply"), &format!("{unit}/yr"), d);
        let long_run_central = q(&format!("{base}.long-run")).map_or(1.0, Quantity::median);
        product_index.insert(id.clone(), products.len());
        products.push(Product {
            id: id.clone(),
            unit,
            price: p(&mut inputs, &format!("{base}.price")),
            long_run: p(&mut inputs, &format!("{base}.long-run")),
            long_run_central,
            volatility: p(&mut inputs, &format!("{base}.volatility")),
            half_life: p(&mut inputs, &format!("{base}.half-life")),
            royalty_rate: p(&mut inputs, &format!("{base}.royalty-rate")),
            shock_stream: inputs.stream(&format!("{base}.shock")),
            dominant: None,
        });
        check_price_spread(v, &base, time.horizon, d);
        if v.locations.contains_key(&format!("{base}.dominant-producer")) {
            let dp = format!("{base}.dominant-producer");
            let world_supply = q(&format!("{base}.world-supply")).map(|x| inputs.param(x));
            if world_supply.is_none() && v.locations.contains_key(&format!("{dp}.cut-threshold")) {
                d.error(
                    v.loc(&format!("{dp}.cut-threshold")),
                    format!("{dp}.cut-threshold"),
                    "a targeted cut needs the product's `world-supply`",
                );
            }
            let dom = Dominant {
                world_supply,
                flood_probability: p(&mut inputs, &format!("{dp}.flood-probability")),
                flood_drop: p(&mut inputs, &format!("{dp}.flood-drop")),
                flood_years: p(&mut inputs, &format!("{dp}.flood-years")),
                export_control_probability: p(
                    &mut inputs,
                    &format!("{dp}.export-control-probability"),
                ),
                export_control_jump: p(&mut inputs, &format!("{dp}.export-control-jump")),
                export_control_years: p(&mut inputs, &format!("{dp}.export-control-years")),
                cut_threshold: p(&mut inputs, &format!("{dp}.cut-threshold")),
                cut_probability: p(&mut inputs, &format!("{dp}.cut-probability")),
                cut_size: p(&mut inputs, &format!("{dp}.cut-size")),
                cut_years: p(&mut inputs, &format!("{dp}.cut-years")),
                stream: inputs.stream(&format!("{dp}.episodes")),
            };
            if let Some(last) = products.last_mut() {
                last.dominant = Some(dom);
            }
        }
    }
    let price_cholesky = correlations(li, &product_index, d);

    // Deposits.
    let rules = NewnessRules {
        // Without a deal, "new" means awarded during the simulation.
        effective: v.dates.get("deal.effective-date").copied().unwrap_or((start_year, 1, 1)),
        renewals_count_as_new: v.bool("deal.renewals-count-as-new").unwrap_or(false),
        unexploited_count_as_new: v.bool("deal.unexploited-count-as-new").unwrap_or(false),
        restarts_count_as_new: v.bool("deal.restarts-count-as-new").unwrap_or(false),
    };
    let unknown = unknown_control(v, li.sources, d);
    let mut oblast_index: HashMap<String, usize> = HashMap::new();
    let mut oblasts: Vec<Oblast> = Vec::new();
    for row in li.deposits {
        for o in &row.oblasts {
            if !oblast_index.contains_key(o) {
                oblast_index.insert(o.clone(), oblasts.len());
                oblasts.push(Oblast {
                    name: o.clone(),
                    stream: inputs.stream(&format!("oblasts.{o}.front")),
                    front: false,
                    exposed: false,
                });
            }
        }
    }
    let known_oblasts = |path: &str, d: &mut Diagnostics| -> Vec<usize> {
        let mut out = Vec::new();
        for name in v.strings_at(path) {
            match oblast_index.get(name) {
                Some(&i) => out.push(i),
                None => {
                    let mut names: Vec<&str> = oblast_index.keys().map(String::as_str).collect();
                    names.sort_unstable();
                    d.error(v.loc(path), path, format!("no deposit lies in oblast {name:?}; names must match the deposits file's oblast column: {}", names.join(", ")));
                }
            }
        }
        out
    };
    for i in known_oblasts("conflict.front-oblasts", d) {
        oblasts[i].front = true;
    }
    for i in known_oblasts("conflict.exposed-oblasts", d) {
        oblasts[i].exposed = true;
    }
    let mut deposits = Vec::new();
    let mut deposit_index = HashMap::new();
    for row in li.deposits {
        let control = match row.control {
            ControlStatus::Ukraine => StartControl::Known(Control::Ukraine),
            ControlStatus::Frontline => StartControl::Known(Control::Frontline),
            ControlStatus::Occupied => StartControl::Known(Control::Occupied),
            ControlStatus::Unknown => StartControl::Drawn(match &unknown {
                Some(dist) => inputs.slot(
                    &format!("deposits.{}.control", row.id),
                    dist.clone(),
                    "the deposit's control is unknown: conflict.unknown-control",
                ),
                None => Param::Fixed(0.0),
            }),
        };
        deposit_index.insert(row.id.clone(), deposits.len());
        // Every row names an oblast (the deposits reader requires it).
        let primary_oblast =
            row.oblasts.first().and_then(|o| oblast_index.get(o)).copied().unwrap_or(0);
        deposits.push(Deposit {
            id: row.id.clone(),
            name: row.name.clone(),
            oblast: row.oblasts.join(";"),
            primary_oblast,
            control,
        });
    }
    let mut events_by_deposit: HashMap<&str, Vec<&LicenceEvent>> = HashMap::new();
    for e in li.events {
        events_by_deposit.entry(e.deposit_id.as_str()).or_default().push(e);
    }

    // Stages.
    let stage_names = Stage::PRE_DECISION.map(Stage::name);
    let abandon: [Param; 4] = std::array::from_fn(|i| {
        q(&format!("stages.{}.abandon", stage_names[i]))
            .map_or(Param::Fixed(0.0), |x| inputs.param(x))
    });
    let stages = StageRules {
        abandon,
        war_licensing_slowdown: p(&mut inputs, "stages.war-licensing-slowdown"),
    };

    let mut settlements = Vec::new();
    let mut weights = Vec::new();
    for k in 0..li.settlements {
        let base = format!("conflict.settlements[{k}]");
        settlements.push(Settlement {
            name: v.str(&format!("{base}.name")).unwrap_or_default().to_string(),
            lost_oblasts: known_oblasts(&format!("{base}.lost-oblasts"), d),
        });
        weights.push(q(&format!("{base}.probability")).map_or(0.0, Quantity::median));
    }
    let settlement = if settlements.is_empty() {
        Param::Fixed(0.0)
    } else {
        let parts: Vec<String> =
            (0..li.settlements).map(|k| format!("conflict.settlements[{k}].probability")).collect();
        sums_to_one(v, li.sources, "conflict.settlements", &parts, &weights, d);
        let values: Vec<f64> = (0..weights.len()).map(|i| i as f64).collect();
        match Dist::discrete(&values, &weights) {
            Ok(dist) if weights.len() > 1 => {
                inputs.slot("conflict.settlement", dist, "conflict.settlements[*].probability")
            }
            _ => Param::Fixed(0.0),
        }
    };
    // Without a `[conflict]` section the country is at peace: the first ceasefire came before the start.
    // With one, the first ceasefire comes from `ceasefire-year` or, failing that, `ceasefire-hazard`,
    // which also ends a war that resumes.
    let at_peace = v.loc("conflict").is_none();
    let hazard_given = q("conflict.ceasefire-hazard").is_some();
    let year_given = q("conflict.ceasefire-year").is_some();
    if !at_peace && !hazard_given && !year_given {
        d.error(
            v.loc("conflict"),
            "conflict",
            "give `ceasefire-hazard` or `ceasefire-year` (or leave out `[conflict]` for a country at peace)",
        );
    }
    if !at_peace && !hazard_given {
        for (key, what) in [
            ("breakdown-first-year", "a ceasefire that breaks down"),
            ("renewed-war-hazard", "renewed war"),
        ] {
            let path = format!("conflict.{key}");
            if q(&path).is_some_and(|x| x.dist.support().1.min(x.bounds.1) > 0.0) {
                d.error(
                    v.loc(&path),
                    path,
                    format!("{what} needs `conflict.ceasefire-hazard`, the hazard of the ceasefire that ends it"),
                );
            }
        }
    }
    let conflict = Conflict {
        ceasefire_hazard: p(&mut inputs, "conflict.ceasefire-hazard"),
        ceasefire_u: match Dist::uniform(0.0, 1.0) {
            Ok(u) if hazard_given && !year_given => inputs.slot(
                "conflict.ceasefire-timing",
                u,
                "where in the horizon the ceasefire falls, given conflict.ceasefire-hazard",
            ),
            _ => Param::Fixed(0.5),
        },
        at_peace,
        ceasefire_year: if at_peace {
            Some(Param::Fixed(f64::from(start_year) - 1.0))
        } else {
            q("conflict.ceasefire-year").map(|x| inputs.param(x))
        },
        breakdown_first_year: p(&mut inputs, "conflict.breakdown-first-year"),
        renewed_war_hazard: p(&mut inputs, "conflict.renewed-war-hazard"),
        stream: inputs.stream("conflict.events"),
        settlements,
        settlement,
        creep_hazard: p(&mut inputs, "conflict.creep-hazard"),
        damage_exposed: p(&mut inputs, "conflict.damage-hazard-exposed"),
        damage_other: p(&mut inputs, "conflict.damage-hazard-other"),
        damage_repair: p(&mut inputs, "conflict.damage-repair"),
    };
    let leakage = Leakage {
        receipts: p(&mut inputs, "leakage.receipts"),
        capex_excess: p(&mut inputs, "leakage.capex-excess"),
    };

    // Projects.
    let mut projects = Vec::new();
    for id in &li.projects {
        let base = format!("projects.{id}");
        let Some(dep_id) = v.str(&format!("{base}.deposit")) else { continue };
        let Some(&deposit) = deposit_index.get(dep_id) else {
            let known: Vec<&str> = li.deposits.iter().map(|r| r.id.as_str()).collect();
            d.error(
                v.loc(&format!("{base}.deposit")),
                format!("{base}.deposit"),
                format!(
                    "no deposit with id {dep_id:?} in the deposits file ({} deposits: {}…)",
                    known.len(),
                    known.iter().take(5).copied().collect::<Vec<_>>().join(", ")
                ),
            );
            continue;
        };
        let row = &li.deposits[deposit];
        // The schema admits only stage names.
        let stage = v
            .str(&format!("{base}.stage"))
            .map_or(Ok(row.stage), str::parse::<Stage>)
            .unwrap_or(Stage::Closed);
        let evs = events_by_deposit.get(dep_id).map_or(&[][..], Vec::as_slice);
        let licence = licence_state(evs, stage, &rules);
        // When `[fiscal]` itself is malformed its error says so; missing terms would only repeat it.
        let fiscal_broken = d.items.iter().any(|e| e.path == "fiscal");
        if !fiscal_broken && v.str(&format!("{base}.regime")) == Some("psa") {
            for (own, shared) in [
                ("cost-recovery-limit", "fiscal.psa-cost-recovery-limit"),
                ("state-share", "fiscal.psa-state-share"),
            ] {
                if q(&format!("{base}.psa.{own}")).is_none() && q(shared).is_none() {
                    d.error(
                        v.loc(&format!("{base}.regime")),
                        format!("{base}.regime"),
                        format!(
                            "a production-sharing agreement needs `{base}.psa.{own}` or `{shared}`"
                        ),
                    );
                }
            }
        }
        let regime = match v.str(&format!("{base}.regime")) {
            Some("psa") => Regime::Psa {
                cost_recovery_limit: q(&format!("{base}.psa.cost-recovery-limit"))
                    .map_or(fiscal.psa_cost_recovery_limit, |x| inputs.param(x)),
                state_share: q(&format!("{base}.psa.state-share"))
                    .map_or(fiscal.psa_state_share, |x| inputs.param(x)),
            },
            _ => Regime::Royalty,
        };
        if v.str(&format!("{base}.regime")) != Some("psa")
            && v.locations.contains_key(&format!("{base}.psa"))
        {
            d.error(
                v.loc(&format!("{base}.psa")),
                format!("{base}.psa"),
                "PSA terms given but `regime` is not \"psa\"",
            );
        }
        let decision = match v.str(&format!("{base}.decision")) {
            Some("always") => DecisionRule::Always,
            Some("never") => DecisionRule::Never,
            _ => DecisionRule::Npv,
        };
        let mut pproducts = Vec::new();
        let ids = li.project_products.get(id).cloned().unwrap_or_default();
        // An absent `products` is already reported as a missing field.
        if ids.is_empty() && v.locations.contains_key(&format!("{base}.products")) {
            d.error(
                v.loc(&format!("{base}.products")),
                format!("{base}.products"),
                "a project needs at least one product",
            );
        }
        if ids.len() > subsoil_core::project::MAX_PRODUCTS {
            d.error(
                v.loc(&format!("{base}.products")),
                format!("{base}.products"),
                format!("at most {} products per project", subsoil_core::project::MAX_PRODUCTS),
            );
        }
        for pid in ids.iter().take(subsoil_core::project::MAX_PRODUCTS) {
            let pbase = format!("{base}.products.{pid}");
            let Some(&k) = product_index.get(pid) else {
                d.error(
                    v.loc(&pbase),
                    pbase.clone(),
                    format!("no product {pid:?} in [products]; known: {}", li.products.join(", ")),
                );
                continue;
            };
            let unit = &products[k].unit;
            check_unit(v, &format!("{pbase}.capacity"), &format!("{unit}/yr"), d);
            check_unit(v, &format!("{pbase}.opex"), &format!("USD/{unit}"), d);
            pproducts.push(ProjectProduct {
                product: k,
                capacity: p(&mut inputs, &format!("{pbase}.capacity")),
                opex: p(&mut inputs, &format!("{pbase}.opex")),
                royalty_rate: q(&format!("{pbase}.royalty-rate")).map(|x| inputs.param(x)),
            });
        }
        let profile = match v.str(&format!("{base}.profile.kind")) {
            Some("decline") => {
                Profile::Decline { rate: p(&mut inputs, &format!("{base}.profile.decline-rate")) }
            }
            _ => Profile::RampPlateau {
                ramp_years: v.count(&format!("{base}.profile.ramp-years")).unwrap_or(0) as u32,
                ramp_start: p(&mut inputs, &format!("{base}.profile.ramp-start")),
            },
        };
        // Project-level uncertainties: the project's own, or its own draw of the shared default.
        // An operation producing at the start has measured output: the shared production factor (a
        // statistic of new mines) does not apply to it.
        let producing = stage == Stage::Producing;
        let own = |inputs: &mut Inputs, key: &str| -> Param {
            match q(&format!("{base}.{key}")) {
                Some(x) => inputs.param(x),
                None if producing && key == "production-factor" => Param::Fixed(1.0),
                None => q(&format!("uncertainty.{key}"))
                    .map_or(Param::Fixed(if key == "schedule-slip" { 0.0 } else { 1.0 }), |x| {
                        inputs.param_named(&format!("{base}.{key}"), x)
                    }),
            }
        };
        let capex_overrun = own(&mut inputs, "capex-overrun");
        let opex_multiplier = own(&mut inputs, "opex-multiplier");
        let production_factor = own(&mut inputs, "production-factor");
        let schedule_slip = own(&mut inputs, "schedule-slip");
        let stage_durations: [Param; 4] = std::array::from_fn(|i| {
            q(&format!("stages.{}.duration", stage_names[i])).map_or(Param::Fixed(0.0), |x| {
                inputs.param_named(&format!("{base}.stages.{}.duration", stage_names[i]), x)
            })
        });
        projects.push(Project {
            id: id.clone(),
            name: v.str(&format!("{base}.name")).unwrap_or(&row.name).to_string(),
            deposit,
            stage,
            licensed: licence.licensed,
            licence_new: licence.new,
            regime,
            decision,
            construction_years: p(&mut inputs, &format!("{base}.construction-years")),
            life_years: p(&mut inputs, &format!("{base}.life-years")),
            capex: p(&mut inputs, &format!("{base}.capex")),
            sustaining_capex: p(&mut inputs, &format!("{base}.sustaining-capex")),
            closure_cost: p(&mut inputs, &format!("{base}.closure-cost")),
            licence_fee: q(&format!("{base}.licence-fee")).map(|x| inputs.param(x)),
            tax_book_value: p(&mut inputs, &format!("{base}.tax-book-value")),
            products: pproducts,
            profile,
            capex_overrun,
            opex_multiplier,
            production_factor,
            schedule_slip,
            event_stream: inputs.stream(&format!("{base}.events")),
            stage_durations,
        });
    }

    let infrastructure = Infrastructure {
        revenue: p(&mut inputs, "infrastructure.revenue"),
        growth: p(&mut inputs, "infrastructure.growth"),
    };
    let deal =
        crate::lower_deal::lower_deal(v, &li.deal, &product_index, &mut inputs, li.sources, d);
    let flows = crate::lower_flows::lower_flows(
        v,
        &crate::lower_flows::FlowContext {
            products: &products,
            product_index: &product_index,
            oblast_index: &oblast_index,
            fiscal: &fiscal,
            time: &time,
        },
        &mut deposits,
        &mut projects,
        &mut inputs,
        d,
    );
    let (y, m, dd) = rules.effective;
    let model = Model {
        time,
        macro_,
        rates,
        fiscal,
        products,
        price_cholesky,
        deposits,
        projects,
        stages,
        conflict,
        newness: Newness { effective: Date::new(y, m, dd) },
        leakage,
        oblasts,
        infrastructure,
        deal,
        flows,
    };
    let correlations = input_correlations(li, &inputs, d);
    (model, inputs, correlations)
}

/// Resolves `[[input-correlations]]` to slots.
fn input_correlations(
    li: &LowerInput<'_>,
    inputs: &Inputs,
    d: &mut Diagnostics,
) -> Vec<RankCorrelation> {
    let v = li.values;
    let mut out = Vec::new();
    // The entry each pair of `out` comes from.
    let mut entry = Vec::new();
    for k in 0..li.input_correlations {
        let base = format!("input-correlations[{k}]");
        let slot = |key: &str, d: &mut Diagnostics| -> Option<u32> {
            let name = v.str(&format!("{base}.{key}"))?;
            match inputs.slot_of(name) {
                Some(s) => Some(s),
                None => {
                    let close: Vec<&str> = inputs
                        .list
                        .iter()
                        .map(|i| i.name.as_str())
                        .filter(|n| n.contains(name.rsplit('.').next().unwrap_or(name)))
                        .take(5)
                        .collect();
                    d.error(
                        v.loc(&format!("{base}.{key}")),
                        format!("{base}.{key}"),
                        format!(
                            "{name:?} is not an uncertain input of this scenario{}",
                            if close.is_empty() {
                                String::new()
                            } else {
                                format!("; similar: {}", close.join(", "))
                            }
                        ),
                    );
                    None
                }
            }
        };
        let (a, b) = (slot("a", d), slot("b", d));
        let rho = v.q(&format!("{base}.rho")).map_or(0.0, Quantity::median);
        if let (Some(a), Some(b)) = (a, b) {
            if a == b {
                d.error(v.loc(&base), base, "an input cannot be correlated with itself");
            } else {
                out.push((a, b, rho));
                entry.push(k);
            }
        }
    }
    check_correlated_groups(v, inputs.list.len(), &out, &entry, d);
    out
}

/// Each connected group of correlated inputs gets a copula on every run: one whose correlations are
/// inconsistent (a matrix that is not positive semi-definite) or that is too large is refused here, at
/// the group's first entry, as the price correlations are: correlations are used as written, never
/// repaired. (Consistent groups factorise in time linear in their size when they are chains or bands.)
fn check_correlated_groups(
    v: &Values,
    n: usize,
    pairs: &[RankCorrelation],
    entry: &[usize],
    d: &mut Diagnostics,
) {
    let links: Vec<(usize, usize)> =
        pairs.iter().map(|&(a, b, _)| (a as usize, b as usize)).collect();
    for group in subsoil_risk::connected_groups(n, &links) {
        if group.len() < 2 {
            continue;
        }
        let local = |s: u32| group.binary_search(&(s as usize)).ok();
        let mut first = None;
        let mut within = Vec::new();
        for (k, &(a, b, rho)) in pairs.iter().enumerate() {
            if let (Some(i), Some(j)) = (local(a), local(b)) {
                first.get_or_insert(entry[k]);
                within.push((i, j, rho));
            }
        }
        let k = first.unwrap_or(0);
        let base = format!("input-correlations[{k}]");
        match subsoil_risk::Copula::new(group.len(), &within) {
            Err(e) => d.error(v.loc(&base), base, format!("this entry links a group of inputs: {e}")),
            Ok(c) if c.was_repaired() => d.error(
                v.loc(&base),
                base,
                format!(
                    "this entry links a group of {} inputs whose correlations are inconsistent: their matrix is not positive definite (lower the largest correlations); correlations are used as written, never repaired",
                    group.len()
                ),
            ),
            Ok(_) => {}
        }
    }
}
/// Checks that a quantity written with a unit uses the product's unit.
fn check_unit(v: &Values, path: &str, want: &str, d: &mut Diagnostics) {
    if let Some(qt) = v.q(path)
        && let Some(u) = &qt.unit
        && u != want
    {
        d.error(
            qt.location.clone(),
            path,
            format!("unit {u:?} does not match the product's unit: expected {want:?}"),
        );
    }
}

/// The distribution of the control of a deposit whose control is unknown: 0 ukraine, 1 frontline,
/// 2 occupied. The schema admits only fixed probabilities here, so each quantity is its value.
fn unknown_control(v: &Values, sources: &Sources, d: &mut Diagnostics) -> Option<Dist> {
    let keys = ["ukraine", "frontline", "occupied"];
    let parts: Vec<String> = keys.iter().map(|k| format!("conflict.unknown-control.{k}")).collect();
    if parts.iter().all(|p| v.q(p).is_none()) {
        // No value, not even a default: `[conflict]` itself is missing or broken, and reported so.
        return None;
    }
    let w: Vec<f64> = parts.iter().map(|p| v.q(p).map_or(0.0, Quantity::median)).collect();
    if !sums_to_one(v, sources, "conflict.unknown-control", &parts, &w, d) {
        return None;
    }
    Dist::discrete(&[0.0, 1.0, 2.0], &w).ok()
}

/// Checks that probabilities `w` of the fields `parts` sum to 1 (within 1e-6). If not, the error points
/// at the value the user wrote (the latest one not in a built-in file), names the values it combines
/// with and where they come from; with no such value, at the table `table`.
fn sums_to_one(
    v: &Values,
    sources: &Sources,
    table: &str,
    parts: &[String],
    w: &[f64],
    d: &mut Diagnostics,
) -> bool {
    let sum: f64 = w.iter().sum();
    if (sum - 1.0).abs() <= 1e-6 {
        return true;
    }
    let builtin = |loc: &Location| sources.get(loc.file).name.starts_with("builtin:");
    let blamed = parts
        .iter()
        .enumerate()
        .filter_map(|(i, p)| v.loc(p).map(|l| (i, l)))
        .filter(|(_, l)| !builtin(l))
        .max_by_key(|(_, l)| l.file)
        .map(|(i, _)| i);
    let short = |p: &str| {
        p.strip_prefix(table).map_or(p.to_string(), |k| k.trim_start_matches('.').to_string())
    };
    let value = |i: usize| format!("{} = {}", short(&parts[i]), fmt_num(w[i]));
    let whence = |i: usize| match v.loc(&parts[i]) {
        Some(Location { file, span: Some(span) }) => {
            let f = sources.get(file);
            format!(" ({}:{})", f.name, f.line_col(span.start).0)
        }
        Some(Location { file, span: None }) => format!(" ({})", sources.get(file).name),
        None => " (the default)".to_string(),
    };
    let sum = fmt_num(sum);
    match blamed {
        Some(b) => {
            let others: Vec<String> = (0..parts.len())
                .filter(|&i| i != b)
                .map(|i| format!("{}{}", value(i), whence(i)))
                .collect();
            d.error(
                v.loc(&parts[b]),
                parts[b].clone(),
                format!(
                    "the probabilities of {table} must sum to 1; they sum to {sum}: {} here, with {}",
                    value(b),
                    others.join(" and ")
                ),
            );
        }
        None => {
            let all: Vec<String> = (0..parts.len()).map(value).collect();
            d.error(
                v.loc(table),
                table,
                format!("the probabilities must sum to 1; they sum to {sum} ({})", all.join(", ")),
            );
        }
    }
    false
}

/// Cholesky factor of the correlation matrix of yearly price shocks (Spearman ρ → Pearson 2 sin(πρ/6)).
fn correlations(
    li: &LowerInput<'_>,
    index: &HashMap<String, usize>,
    d: &mut Diagnostics,
) -> Vec<f64> {
    let n = li.products.len();
    let mut c = vec![0.0; n * n];
    for i in 0..n {
        c[i * n + i] = 1.0;
    }
    let v = li.values;
    let mut seen: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let mut reported = false;
    for k in 0..li.correlations {
        let base = format!("correlations[{k}]");
        let (Some(a), Some(b)) = (v.str(&format!("{base}.a")), v.str(&format!("{base}.b"))) else {
            continue;
        };
        let loc: Option<Location> = v.loc(&base);
        let (Some(&i), Some(&j)) = (index.get(a), index.get(b)) else {
            d.error(
                loc,
                base,
                format!("correlation between {a:?} and {b:?}: both must be product ids"),
            );
            continue;
        };
        if i == j {
            d.error(loc, base, format!("a product cannot be correlated with itself ({a:?})"));
            continue;
        }
        let key = (i.min(j), i.max(j));
        if let Some(prev) = seen.insert(key, k) {
            d.error(
                loc,
                base,
                format!("the pair {a:?}–{b:?} is already given in correlations[{prev}]"),
            );
            continue;
        }
        let rho = v.q(&format!("{base}.rho")).map_or(0.0, Quantity::median);
        // Out of [-1, 1] is reported where it was written; the matrix would only fail again.
        reported |= !(-1.0..=1.0).contains(&rho);
        let pearson = 2.0 * (std::f64::consts::PI * rho / 6.0).sin();
        c[i * n + j] = pearson;
        c[j * n + i] = pearson;
    }
    let pairs: Vec<(usize, usize, f64)> = (0..n)
        .flat_map(|i| (0..i).map(move |j| (i, j)))
        .filter(|&(i, j)| c[i * n + j] != 0.0)
        .map(|(i, j)| (i, j, c[i * n + j]))
        .collect();
    match subsoil_risk::Copula::from_pearson(n, &pairs) {
        Ok(copula) if !copula.was_repaired() => copula.cholesky().to_vec(),
        _ if reported => identity(n),
        _ => {
            d.error(v.loc("correlations"), "correlations", INCONSISTENT_PRICES);
            identity(n)
        }
    }
}

/// The one policy for correlations that cannot hold together (price shocks and uncertain inputs
/// alike): an error, never a silent repair, so the correlations a run uses are those written.
const INCONSISTENT_PRICES: &str = "the price correlations are inconsistent: their matrix is not positive definite (lower the largest correlations)";

fn identity(n: usize) -> Vec<f64> {
    let mut m = vec![0.0; n * n];
    for i in 0..n {
        m[i * n + i] = 1.0;
    }
    m
}

/// Largest standard deviation of a log price over the horizon that the model accepts. Beyond it the
/// expected price (median × e^(variance/2)) overflows double precision once multiplied by output and
/// the price index: at 10 the mean is already 5 × 10^21 times the median.
pub const MAX_LOG_PRICE_SD: f64 = 10.0;

/// Refuses a price process whose log price spreads so far over the horizon that expected prices cannot
/// be computed: at the largest volatility and half-life the inputs allow, the log price's standard
/// deviation after `horizon` years is `σ √((1 − e^(−2κH)) / 2κ)`, `κ = ln 2 / half-life`.
fn check_price_spread(v: &Values, base: &str, horizon: u32, d: &mut Diagnostics) {
    let top = |path: &str| v.q(path).map(|x| x.dist.support().1.min(x.bounds.1));
    let (Some(vol), Some(half_life)) =
        (top(&format!("{base}.volatility")), top(&format!("{base}.half-life")))
    else {
        return;
    };
    let kappa = std::f64::consts::LN_2 / half_life;
    let h = f64::from(horizon);
    let var = vol * vol * (-(-2.0 * kappa * h).exp_m1()) / (2.0 * kappa);
    let sd = var.sqrt();
    if sd > MAX_LOG_PRICE_SD {
        let path = format!("{base}.volatility");
        d.error(
            v.loc(&path).or_else(|| v.loc(base)),
            path,
            format!(
                "a volatility of {} with a half-life of {} years spreads the log price by a standard \
                 deviation of {:.1} over the {horizon}-year horizon; expected prices are then beyond what \
                 can be computed (at most {MAX_LOG_PRICE_SD}): lower the volatility or the half-life",
                crate::quantity::fmt_num(vol),
                crate::quantity::fmt_num(half_life),
                sd
            ),
        );
    }
}
