//! Lowering of what is given year by year: price decks, capex phasing, exogenous revenue streams
//! (`[streams.<id>]`) and contribution shares that change by year, with their cross-field checks (years
//! a series must cover, shares that sum to one, stream and party ids).

use subsoil_core::deal::{Exogenous, Party};
use subsoil_core::project::MAX_PHASES;
use subsoil_core::series::{Outside, Scaled, Series};
use subsoil_core::{Param, Product, ProductByAge, Project, Time};

use crate::diag::Diagnostics;
use crate::inputs::Inputs;
use crate::quantity::{OutsideRule, Quantity, SeriesSpec, fmt_num};
use crate::sections;
use crate::typed::Entries;
use crate::vocab::Dollars;

/// Refuses a series whose rule outside is `error` when it leaves out a year of `from..=to`.
pub(crate) fn check_covers(
    q: &Quantity,
    s: &SeriesSpec,
    from: i32,
    to: i32,
    what: &str,
    d: &mut Diagnostics,
) {
    if s.outside != OutsideRule::Error || from > to {
        return;
    }
    if s.first > from || s.last() < to {
        d.error(
            q.location.clone(),
            format!("{}.by-year", q.path),
            format!(
                "the series gives {}–{} and `outside = \"error\"`, but {what} {from}–{to}: give every year or choose `hold-last` or `zero`",
                s.first,
                s.last()
            ),
        );
    }
}

/// A product priced by a deck follows it: its `price` (the deck's scale) is also its long-run level, its
/// long-run central value the scale's median. A product priced by one number needs its `long-run`.
pub(crate) fn deck(p: &sections::Product, product: &mut Product, time: &Time, d: &mut Diagnostics) {
    let Some(price) = &p.price else { return };
    match &price.series {
        Some(s) => {
            check_covers(price, s, time.start_year, time.end_year(), "the simulated years are", d);
            if let Some(lr) = &p.long_run {
                d.error(
                    lr.location.clone(),
                    &lr.path,
                    "a product priced by a deck takes no `long-run`: prices revert to the deck, scaled by its `scale`",
                );
            }
            product.deck = Some(s.to_model());
            product.long_run = product.price;
            product.long_run_central = price.median();
        }
        None if p.long_run.is_none() && !d.reported(&p.site.join("long-run")) => {
            let unit = p.unit.as_deref().map(str::trim).filter(|u| !u.is_empty());
            d.error(
                p.site.loc.clone(),
                p.site.join("long-run"),
                format!(
                    "missing required field `long-run` ({}): the long-run price level, required unless `price` is a deck by year",
                    crate::schema::Unit::UsdPerProductUnit.named(unit)
                ),
            );
        }
        None => {}
    }
}

/// A project's `capex-phasing`: one share per planned construction year (a fixed number of them), at most
/// [`MAX_PHASES`], summing to 1.
pub(crate) fn capex_phasing(p: &sections::Project, project: &mut Project, d: &mut Diagnostics) {
    let list = &p.capex_phasing;
    let shares: Vec<f64> = list.items.iter().map(Quantity::median).collect();
    let (at, path) = (list.site.loc.clone(), &list.site.path);
    if shares.is_empty() {
        if list.site.given() {
            d.error(at, path, "give one share per construction year");
        }
        return;
    }
    if shares.len() > MAX_PHASES {
        d.error(at, path, format!("at most {MAX_PHASES} construction years"));
        return;
    }
    let sum: f64 = shares.iter().sum();
    if (sum - 1.0).abs() > 1e-9 {
        d.error(at.clone(), path, format!("the shares sum to {}, not 1", fmt_num(sum)));
    }
    match project.construction_years {
        Param::Fixed(y) if y.round() as usize == shares.len() => {}
        Param::Fixed(y) => d.error(
            at,
            path,
            format!(
                "{} shares for {} construction years: give one share per planned construction year",
                shares.len(),
                fmt_num(y.round())
            ),
        ),
        Param::Slot(_) => {
            let years = p.construction_years.as_ref();
            d.error(
                years.and_then(|q| q.location.clone()),
                p.site.join("construction-years"),
                "a capex phasing needs a fixed number of construction years (one share per year)",
            );
        }
    }
    project.capex_phasing = shares;
}

/// `inflation` as a path by calendar year, or `None` for one rate every year. With `outside =
/// "error"` it must give every simulated year.
pub(crate) fn inflation_path(q: &Quantity, time: &Time, d: &mut Diagnostics) -> Option<Series> {
    let s = q.series.as_ref()?;
    check_covers(q, s, time.start_year, time.end_year(), "the simulated years are", d);
    Some(s.to_model())
}

/// A project's output and unit opex by production year (`by_age`, one per lowered product): kept when
/// any product gives one. A capacity schedule replaces the output profile, so a `profile` beside it is
/// refused; a schedule starts at production year 1; one whose rule outside is `error` needs a fixed life
/// no longer than it.
pub(crate) fn by_production_year(
    p: &sections::Project,
    project: &mut Project,
    by_age: Vec<ProductByAge>,
    d: &mut Diagnostics,
) {
    if by_age.iter().all(|b| b.capacity.is_none() && b.opex.is_none()) {
        return;
    }
    let life = match project.life_years {
        Param::Fixed(x) => Some(x.ceil()),
        Param::Slot(_) => None,
    };
    let mut capacity_schedule = None;
    for pp in p.products.entries.iter().map(|(_, pp)| pp) {
        for q in [pp.capacity.as_ref(), Some(&pp.opex)].into_iter().flatten() {
            let Some(s) = &q.series else { continue };
            let at = || (q.location.clone(), format!("{}.by-production-year", q.path));
            if s.first != 1 {
                let (loc, path) = at();
                d.error(loc, path, format!("the schedule starts at production year {}: give year 1, the first year of output, on", s.first));
            }
            if s.outside == OutsideRule::Error && life.is_none_or(|l| l > s.last() as f64) {
                let (loc, path) = at();
                let why = match life {
                    Some(l) => format!("`life-years` runs {} production years", fmt_num(l)),
                    None => "`life-years` is uncertain".into(),
                };
                d.error(
                    loc,
                    path,
                    format!(
                        "the schedule gives production years 1–{} and `outside = \"error\"`, but {why}: give a fixed life no longer than the schedule or choose `hold-last` or `zero`",
                        s.last()
                    ),
                );
            }
        }
        if pp.capacity.as_ref().is_some_and(|q| q.series.is_some()) && capacity_schedule.is_none() {
            capacity_schedule = pp.capacity.as_ref().map(|q| q.path.clone());
        }
    }
    if let Some(path) = capacity_schedule
        && p.profile.site.given()
    {
        d.error(
            p.profile.site.loc.clone(),
            &p.profile.site.path,
            format!(
                "`{path}` gives the output of each production year, ramp-up included: an output profile would apply on top of it; drop `profile` or give the capacity as one number"
            ),
        );
    }
    project.by_age = by_age;
}

/// `[streams.<id>]`: each stream's amount by year, its growth and the party that receives it (the host
/// when none is named). A stream whose receiver is not a party is reported and left out, so the
/// returned list may be shorter than the map.
pub(crate) fn streams(
    s: &Entries<sections::Stream>,
    parties: &[Party],
    time: &Time,
    inputs: &mut Inputs,
    d: &mut Diagnostics,
) -> Vec<Exogenous> {
    let (start, end) = (time.start_year, time.end_year());
    let mut out = Vec::new();
    for (id, st) in &s.entries {
        let Some(q) = &st.amount else { continue };
        let series = match &q.series {
            Some(s) => {
                check_covers(q, s, start, end, "the simulated years are", d);
                s.to_model()
            }
            // One amount every year: the amount is the scale of a series of ones.
            None => Series { first: start, values: vec![1.0], outside: Outside::Hold },
        };
        let Some(receiver) = receiver(st, parties, d) else { continue };
        out.push(Exogenous {
            id: id.clone(),
            amount: Scaled { scale: inputs.param(q), series },
            growth: inputs.param(&st.growth),
            real: st.dollars == Dollars::Real,
            receiver,
        });
    }
    out
}

/// The index of the party that receives a stream: the one it names, or the host when it names none (a
/// deal without exactly one host is refused where its parties are lowered).
fn receiver(st: &sections::Stream, parties: &[Party], d: &mut Diagnostics) -> Option<usize> {
    let Some(r) = &st.receiver else {
        return parties.iter().position(|p| p.host);
    };
    let found = parties.iter().position(|p| p.id == r.value);
    if found.is_none() {
        let known: Vec<&str> = parties.iter().map(|p| p.id.as_str()).collect();
        let message = if known.is_empty() {
            format!("no party {:?}: the receiver must be a party of [deal.parties]", r.value)
        } else {
            format!("no party {:?}; parties: {}", r.value, known.join(", "))
        };
        d.error(r.site.loc.clone(), &r.site.path, message);
    }
    found
}

/// The largest value of the series a quantity scales, or 1 when it is a single value.
pub(crate) fn series_top(q: &Quantity) -> f64 {
    q.series.as_ref().map_or(1.0, SeriesSpec::max)
}

/// Names the uncertain scale of every by-year series among `series` as what it is: a ratio, set through
/// `<field>.scale` (setting the field itself would replace the whole series).
pub(crate) fn mark_scales<'a>(series: impl Iterator<Item = &'a Quantity>, inputs: &mut Inputs) {
    for q in series.filter(|q| q.series.is_some()) {
        for input in inputs.list.iter_mut().filter(|i| i.name == q.path) {
            input.unit = "ratio".into();
            input.field = Some(format!("{}.scale", q.path));
        }
    }
}
