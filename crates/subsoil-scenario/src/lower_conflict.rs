//! Lowering of where the deposits are and who holds them: the oblasts (regions) and deposits of the
//! data files with their control at the start, `[stages]`, and `[conflict]` (ceasefire, renewed war,
//! settlements, the advancing front and war damage).

use std::collections::HashMap;

use subsoil_core::{
    Conflict, Control, Deposit, Oblast, Param, Settlement, StageRules, StartControl,
};
use subsoil_risk::Dist;

use crate::deposits::ControlStatus;
use crate::diag::{Diagnostics, Sources};
use crate::inputs::Inputs;
use crate::lower_common::{LowerInput, Part, param_or_zero, sums_to_one};
use crate::sections;
use crate::typed::Items;

/// The oblasts and deposits, with each one's index by name or id.
pub(crate) struct Places {
    /// Oblasts in the order the deposits name them.
    pub oblasts: Vec<Oblast>,
    /// Index of each oblast by name.
    pub oblast_index: HashMap<String, usize>,
    /// Deposits in the data's order.
    pub deposits: Vec<Deposit>,
    /// Index of each deposit by id.
    pub deposit_index: HashMap<String, usize>,
}

impl Places {
    /// The regions (oblasts) `list` names, each an error at the list if no deposit lies in it.
    fn known_oblasts(&self, list: &Items<String>, d: &mut Diagnostics) -> Vec<usize> {
        let mut out = Vec::new();
        for name in &list.items {
            match self.oblast_index.get(name) {
                Some(&i) => out.push(i),
                None => {
                    let mut names: Vec<&str> =
                        self.oblast_index.keys().map(String::as_str).collect();
                    names.sort_unstable();
                    d.error(
                        list.site.loc.clone(),
                        &list.site.path,
                        format!(
                            "no deposit lies in region {name:?}; names must match the deposits' regions: {}",
                            names.join(", ")
                        ),
                    );
                }
            }
        }
        out
    }
}

/// The oblasts and deposits of the data, the front and exposed oblasts of `[conflict]`, and the control
/// at the start of each deposit (drawn from `[conflict.unknown-control]` where the data does not know).
pub(crate) fn places(li: &LowerInput<'_>, inputs: &mut Inputs, d: &mut Diagnostics) -> Places {
    let c = &li.s.conflict;
    // At lasting peace (no `[conflict]`) no front moves: its streams are never drawn from, so they are
    // not listed among the scenario's random streams (a sensitivity analysis would otherwise show a
    // `conflict` factor for a country at peace).
    let at_peace = !c.site.given();
    let unknown = unknown_control(&c.unknown_control, li.sources, d);
    let mut places = Places {
        oblasts: Vec::new(),
        oblast_index: HashMap::new(),
        deposits: Vec::new(),
        deposit_index: HashMap::new(),
    };
    for row in li.deposits {
        for o in &row.oblasts {
            if !places.oblast_index.contains_key(o) {
                places.oblast_index.insert(o.clone(), places.oblasts.len());
                places.oblasts.push(Oblast {
                    name: o.clone(),
                    stream: if at_peace {
                        subsoil_risk::stream_id(&format!("oblasts.{o}.front"))
                    } else {
                        inputs.stream(&format!("oblasts.{o}.front"))
                    },
                    front: false,
                    exposed: false,
                });
            }
        }
    }
    for i in places.known_oblasts(&c.front_oblasts, d) {
        places.oblasts[i].front = true;
    }
    for i in places.known_oblasts(&c.exposed_oblasts, d) {
        places.oblasts[i].exposed = true;
    }
    for row in li.deposits {
        let control = match row.control {
            ControlStatus::Operable => StartControl::Known(Control::Operable),
            ControlStatus::Contested => StartControl::Known(Control::Contested),
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
        places.deposit_index.insert(row.id.clone(), places.deposits.len());
        // Every row names an oblast (the deposits reader requires it).
        let primary_oblast =
            row.oblasts.first().and_then(|o| places.oblast_index.get(o)).copied().unwrap_or(0);
        places.deposits.push(Deposit {
            id: row.id.clone(),
            name: row.name.clone(),
            oblast: row.oblasts.join(";"),
            primary_oblast,
            control,
        });
    }
    places
}

/// The distribution of the control of a deposit whose control is unknown: 0 operable, 1 contested,
/// 2 occupied. The schema admits only fixed probabilities here, so each quantity is its value.
fn unknown_control(
    u: &sections::UnknownControl,
    sources: &Sources,
    d: &mut Diagnostics,
) -> Option<Dist> {
    let parts = [&u.operable, &u.contested, &u.occupied].map(Part::of);
    if !sums_to_one(sources, &u.site, &parts, d) {
        return None;
    }
    Dist::discrete(&[0.0, 1.0, 2.0], &parts.map(|p| p.w)).ok()
}

/// `[stages]`: abandonment at the end of each stage before the decision, and the war's slowdown. (The
/// durations are drawn per project: [`crate::lower_projects`].)
pub(crate) fn stages(s: &sections::Stages, inputs: &mut Inputs) -> StageRules {
    let abandon = s.pre_decision().map(|(_, rule)| inputs.param(&rule.abandon));
    StageRules { abandon, war_licensing_slowdown: inputs.param(&s.war_licensing_slowdown) }
}

/// `[conflict]`. Without it the country is at lasting peace ([`Conflict::at_peace`]): never at war, no
/// ceasefire and no post-war years. With it, the first ceasefire comes from `ceasefire-year` or, failing
/// that, `ceasefire-hazard`, which also ends a war that resumes.
pub(crate) fn conflict(
    li: &LowerInput<'_>,
    places: &Places,
    inputs: &mut Inputs,
    d: &mut Diagnostics,
) -> Conflict {
    let c = &li.s.conflict;
    let (settlements, settlement) = settlements(li, places, inputs, d);
    let at_peace = !c.site.given();
    let hazard_given = c.ceasefire_hazard.is_some();
    let year_given = c.ceasefire_year.is_some();
    if !at_peace && !hazard_given && !year_given {
        d.error(
            c.site.loc.clone(),
            &c.site.path,
            "give `ceasefire-hazard` or `ceasefire-year` (or leave out `[conflict]` for a country at peace)",
        );
    }
    if !at_peace && !hazard_given {
        for (q, what) in [
            (&c.breakdown_first_year, "a ceasefire that breaks down"),
            (&c.renewed_war_hazard, "renewed war"),
        ] {
            if q.dist.support().1.min(q.bounds.1) > 0.0 {
                d.error(
                    q.location.clone(),
                    &q.path,
                    format!("{what} needs `conflict.ceasefire-hazard`, the hazard of the ceasefire that ends it"),
                );
            }
        }
    }
    Conflict {
        ceasefire_hazard: param_or_zero(inputs, &c.ceasefire_hazard),
        ceasefire_u: match Dist::uniform(0.0, 1.0) {
            Ok(u) if hazard_given && !year_given => inputs.slot(
                "conflict.ceasefire-timing",
                u,
                "where in the horizon the ceasefire falls, given conflict.ceasefire-hazard",
            ),
            _ => Param::Fixed(0.5),
        },
        at_peace,
        ceasefire_year: c.ceasefire_year.as_ref().map(|x| inputs.param(x)),
        breakdown_first_year: inputs.param(&c.breakdown_first_year),
        renewed_war_hazard: inputs.param(&c.renewed_war_hazard),
        stream: if at_peace {
            subsoil_risk::stream_id("conflict.events")
        } else {
            inputs.stream("conflict.events")
        },
        settlements,
        settlement,
        creep_hazard: inputs.param(&c.creep_hazard),
        damage_exposed: inputs.param(&c.damage_hazard_exposed),
        damage_other: inputs.param(&c.damage_hazard_other),
        damage_repair: inputs.param(&c.damage_repair),
    }
}

/// `[[conflict.settlements]]` and the draw of one of them (an input when there are two or more).
fn settlements(
    li: &LowerInput<'_>,
    places: &Places,
    inputs: &mut Inputs,
    d: &mut Diagnostics,
) -> (Vec<Settlement>, Param) {
    let list = &li.s.conflict.settlements;
    let mut settlements = Vec::new();
    let mut parts = Vec::new();
    for s in &list.items {
        settlements.push(Settlement {
            name: s.name.clone().unwrap_or_default(),
            lost_oblasts: places.known_oblasts(&s.lost_oblasts, d),
        });
        parts.push(match &s.probability {
            Some(q) => Part::of(q),
            None => Part { path: s.site.join("probability"), loc: None, w: 0.0 },
        });
    }
    if settlements.is_empty() {
        return (settlements, Param::Fixed(0.0));
    }
    sums_to_one(li.sources, &list.site, &parts, d);
    let weights: Vec<f64> = parts.iter().map(|p| p.w).collect();
    let values: Vec<f64> = (0..weights.len()).map(|i| i as f64).collect();
    let settlement = match Dist::discrete(&values, &weights) {
        Ok(dist) if weights.len() > 1 => {
            inputs.slot("conflict.settlement", dist, "conflict.settlements[*].probability")
        }
        _ => Param::Fixed(0.0),
    };
    (settlements, settlement)
}
