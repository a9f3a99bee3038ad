//! Lowering of royalty rates that change: rates given by year (`royalty-rate = { by-year = … }` on a
//! product or a project's product) and the fiscal regime's uncertain changes (`[fiscal]
//! rent-change-*`). Runs after every project, the licensing flows' included, is on the model, so the
//! inputs it adds come after all others and the slots of a scenario without them do not move.

use std::collections::HashMap;

use subsoil_core::Model;
use subsoil_core::rent::RentChanges;
use subsoil_core::series::Series;

use crate::diag::Diagnostics;
use crate::inputs::Inputs;
use crate::lower_series::check_covers;
use crate::quantity::Quantity;
use crate::sections::{self, Root};
use crate::typed::Entries;

/// Sets each project product's schedule of royalty rates, each project's stabilisation, and the
/// regime's changes.
pub(crate) fn lower_rent(s: &Root, model: &mut Model, inputs: &mut Inputs, d: &mut Diagnostics) {
    let (from, to) = (model.time.start_year, model.time.end_year());
    let product_rate: HashMap<&str, &Quantity> = s
        .products
        .entries
        .iter()
        .filter_map(|(id, p)| Some((id.as_str(), p.royalty_rate.as_ref()?)))
        .collect();
    for q in product_rate.values() {
        if let Some(series) = &q.series {
            check_covers(q, series, from, to, "the simulated years are", d);
        }
    }
    // Each written list of products, by the id of the model's projects that use it.
    let mut lists: HashMap<String, &Entries<sections::ProjectProduct>> = HashMap::new();
    let mut stabilised: HashMap<&str, bool> = HashMap::new();
    for (id, p) in &s.projects.entries {
        lists.insert(id.clone(), &p.products);
        stabilised.insert(id.as_str(), p.stabilised);
    }
    for f in &s.licensing_flows.items {
        if let Some(id) = &f.id {
            lists.insert(format!("licensing-flows.{}.permit-", id.value), &f.project.products);
        }
    }
    // One schedule per written rate (a flow's pool shares its template's).
    let mut index: HashMap<String, u32> = HashMap::new();
    let mut schedules: Vec<Series> = Vec::new();
    for project in &mut model.projects {
        let key = match project.id.rfind(".permit-") {
            Some(i) => project.id[..i + ".permit-".len()].to_string(),
            None => project.id.clone(),
        };
        project.stabilised = stabilised.get(project.id.as_str()).copied().unwrap_or(false);
        let Some(list) = lists.get(&key) else { continue };
        for pp in &mut project.products {
            let pid = model.products[pp.product].id.as_str();
            let own = list
                .entries
                .iter()
                .find(|(k, _)| k == pid)
                .and_then(|(_, x)| x.royalty_rate.as_ref());
            let q = match own {
                Some(q) => q,
                None => match product_rate.get(pid) {
                    Some(q) => q,
                    None => continue,
                },
            };
            let Some(series) = &q.series else { continue };
            if own.is_some() {
                check_covers(q, series, from, to, "the simulated years are", d);
            }
            let k = *index.entry(q.path.clone()).or_insert_with(|| {
                schedules.push(series.to_model());
                schedules.len() as u32 - 1
            });
            pp.royalty_by_year = Some(k);
            project.rates_by_year = true;
        }
    }
    model.royalty_schedules = schedules;
    let series = s.products.entries.iter().filter_map(|(_, p)| p.royalty_rate.as_ref());
    let series =
        series.chain(s.projects.entries.iter().flat_map(|(_, p)| {
            p.products.entries.iter().filter_map(|(_, x)| x.royalty_rate.as_ref())
        }));
    crate::lower_series::mark_scales(series, inputs);
    model.fiscal.rent_changes = rent_changes(&s.fiscal, inputs, d);
}

/// `[fiscal] rent-change-*`: none without a hazard; a hazard needs a factor.
fn rent_changes(
    f: &sections::Fiscal,
    inputs: &mut Inputs,
    d: &mut Diagnostics,
) -> Option<RentChanges> {
    let hazard = f.rent_change_hazard.as_ref()?;
    let Some(factor) = &f.rent_change_factor else {
        d.error(
            hazard.location.clone(),
            "fiscal.rent-change-factor",
            "missing required field `rent-change-factor` (ratio ≥ 1): the size of a change of the royalty rates, required with `rent-change-hazard`",
        );
        return None;
    };
    Some(RentChanges {
        hazard: inputs.param(hazard),
        factor: inputs.param(factor),
        up: inputs.param(&f.rent_change_up),
        stream: inputs.stream("fiscal.rent-changes"),
    })
}
