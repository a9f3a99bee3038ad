//! Lowering of what is given year by year: price decks, capex phasing, exogenous revenue streams
//! (`[streams.<id>]`) and contribution shares that change by year, with their cross-field checks (years
//! a series must cover, shares that sum to one, stream and party ids).

use subsoil_core::deal::{Base, Deal, Exogenous, Which};
use subsoil_core::project::MAX_PHASES;
use subsoil_core::series::{Outside, Scaled, Series};
use subsoil_core::{Param, Product, Project, Time};

use crate::diag::Diagnostics;
use crate::inputs::Inputs;
use crate::quantity::{OutsideRule, SeriesSpec, fmt_num};
use crate::walk::Values;

/// The names of the state's receipt streams a contribution rule may take as its base.
const RECEIPT_STREAMS: [&str; 6] = [
    "royalty",
    "psa-state-share",
    "licence-fees",
    "corporate-tax",
    "resource-revenue",
    "infrastructure",
];

/// Ids of `[streams.<id>]`, in order.
pub fn stream_ids(v: &Values) -> Vec<String> {
    let mut ids: Vec<String> = v
        .locations
        .keys()
        .filter_map(|k| k.strip_prefix("streams."))
        .filter(|rest| !rest.contains('.'))
        .map(str::to_string)
        .collect();
    ids.sort_unstable();
    ids
}

/// The base of a contribution rule on `name` when it is not one of the state's named receipt streams:
/// an exogenous stream's, or (for a name that is neither, reported by [`lower_streams`]) infrastructure.
pub fn base_of(v: &Values, name: &str) -> Base {
    match stream_ids(v).iter().position(|id| id == name) {
        Some(i) if name != "infrastructure" => Base::Exogenous(i),
        _ => Base::Infrastructure,
    }
}

/// The largest value of the series a quantity at `path` scales, or 1 when it is a single value.
pub fn series_top(v: &Values, path: &str) -> f64 {
    v.q(path).and_then(|q| q.series.as_ref()).map_or(1.0, SeriesSpec::max)
}

/// Refuses a series whose rule outside is `error` when it leaves out a year of `from..=to`.
fn check_covers(
    v: &Values,
    path: &str,
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
            v.loc(path),
            format!("{path}.by-year"),
            format!(
                "the series gives {}–{} and `outside = \"error\"`, but {what} {from}–{to}: give every year or choose `hold-last` or `zero`",
                s.first,
                s.last()
            ),
        );
    }
}

/// Price decks and capex phasing: a product whose `price` is a by-year series follows it (its `price`
/// and `long-run` become the deck's scale); a project's `capex-phasing` shares. Products and projects are
/// in the order of `product_ids` and `project_ids` (projects that failed to lower are missing, and are
/// matched by id).
pub fn lower_schedules(
    v: &Values,
    time: &Time,
    products: &mut [Product],
    projects: &mut [Project],
    d: &mut Diagnostics,
) {
    let (start, end) = (time.start_year, time.end_year());
    for p in products.iter_mut() {
        let base = format!("products.{}", p.id);
        let price = format!("{base}.price");
        let long_run = format!("{base}.long-run");
        match v.q(&price).and_then(|q| q.series.as_ref().map(|s| (q, s))) {
            Some((q, s)) => {
                check_covers(v, &price, s, start, end, "the simulated years are", d);
                if v.locations.contains_key(&long_run) {
                    d.error(
                        v.loc(&long_run),
                        long_run.clone(),
                        "a product priced by a deck takes no `long-run`: prices revert to the deck, scaled by its `scale`",
                    );
                }
                p.deck = Some(s.to_model());
                p.long_run = p.price;
                p.long_run_central = q.median();
            }
            None => {
                if !v.locations.contains_key(&long_run) && v.q(&price).is_some() {
                    d.error(
                        v.loc(&base),
                        long_run,
                        "missing required field `long-run` (USD/<u>): the long-run price level, required unless `price` is a deck by year",
                    );
                }
            }
        }
    }
    for p in projects.iter_mut() {
        let base = format!("projects.{}", p.id);
        let path = format!("{base}.capex-phasing");
        let shares: Vec<f64> =
            (0..).map_while(|i| v.q(&format!("{path}[{i}]")).map(|q| q.median())).collect();
        if shares.is_empty() {
            if v.locations.contains_key(&path) {
                d.error(v.loc(&path), path, "give one share per construction year");
            }
            continue;
        }
        if shares.len() > MAX_PHASES {
            d.error(v.loc(&path), path, format!("at most {MAX_PHASES} construction years"));
            continue;
        }
        let sum: f64 = shares.iter().sum();
        if (sum - 1.0).abs() > 1e-9 {
            d.error(
                v.loc(&path),
                path.clone(),
                format!("the shares sum to {}, not 1", fmt_num(sum)),
            );
        }
        let years = format!("{base}.construction-years");
        match p.construction_years {
            Param::Fixed(y) if y.round() as usize == shares.len() => {}
            Param::Fixed(y) => d.error(
                v.loc(&path),
                path,
                format!(
                    "{} shares for {} construction years: give one share per planned construction year",
                    shares.len(),
                    fmt_num(y.round())
                ),
            ),
            Param::Slot(_) => d.error(
                v.loc(&years),
                years,
                "a capex phasing needs a fixed number of construction years (one share per year)",
            ),
        }
        p.capex_phasing = shares;
    }
}

/// Names the uncertain scale of every by-year series as what it is: a ratio, set through
/// `<field>.scale` (setting the field itself would replace the whole series).
fn mark_scales(v: &Values, inputs: &mut Inputs) {
    for input in &mut inputs.list {
        let Some(q) = v.q(&input.name) else { continue };
        if q.series.is_some() {
            input.unit = "ratio".into();
            input.field = Some(format!("{}.scale", input.name));
        }
    }
}

/// Exogenous streams and contribution shares by year, into the lowered `deal`: each stream's amount and
/// receiving party; each rule on a stream id gets its base; each rule whose share is a series gets its
/// schedule. Names that are neither a receipt stream nor a stream id are refused here.
pub fn lower_streams(
    v: &Values,
    time: &Time,
    deal: &mut Deal,
    inputs: &mut Inputs,
    d: &mut Diagnostics,
) {
    let (start, end) = (time.start_year, time.end_year());
    let ids = stream_ids(v);
    for id in &ids {
        let base = format!("streams.{id}");
        let amount = format!("{base}.amount");
        let receiver_path = format!("{base}.receiver");
        let Some(q) = v.q(&amount) else { continue };
        let series = match &q.series {
            Some(s) => {
                check_covers(v, &amount, s, start, end, "the simulated years are", d);
                s.to_model()
            }
            // One amount every year: the amount is the scale of a series of ones.
            None => Series { first: start, values: vec![1.0], outside: Outside::Hold },
        };
        let receiver = match v.str(&receiver_path) {
            Some(r) => match deal.parties.iter().position(|p| p.id == r) {
                Some(i) => i,
                None => {
                    let known: Vec<&str> = deal.parties.iter().map(|p| p.id.as_str()).collect();
                    d.error(
                        v.loc(&receiver_path),
                        receiver_path,
                        if known.is_empty() {
                            format!(
                                "no party {r:?}: the receiver must be a party of [deal.parties]"
                            )
                        } else {
                            format!("no party {r:?}; parties: {}", known.join(", "))
                        },
                    );
                    continue;
                }
            },
            None => continue,
        };
        deal.streams.push(Exogenous {
            id: id.clone(),
            amount: Scaled { scale: inputs.param(q), series },
            real: v.str(&format!("{base}.dollars")) == Some("real"),
            receiver,
        });
    }
    for (k, rule) in deal.contributions.iter_mut().enumerate() {
        let b = format!("deal.contributions[{k}]");
        let name = v.str(&format!("{b}.stream")).unwrap_or_default();
        let receipts = format!("{b}.receipts");
        let exogenous = !RECEIPT_STREAMS.contains(&name);
        if exogenous {
            match ids.iter().position(|id| id == name) {
                Some(i) => rule.base = Base::Exogenous(i),
                None => {
                    let mut known: Vec<String> =
                        RECEIPT_STREAMS.iter().map(|s| s.to_string()).collect();
                    known.extend(ids.iter().map(|id| format!("{id} (from [streams])")));
                    d.error(
                        v.loc(&format!("{b}.stream")),
                        format!("{b}.stream"),
                        format!(
                            "no stream {:?}; expected one of {}",
                            crate::layers::clip(name),
                            known.join(", ")
                        ),
                    );
                    continue;
                }
            }
            if v.locations.contains_key(&receipts) {
                d.error(
                    v.loc(&receipts),
                    receipts,
                    format!(
                        "stream {name:?} is exogenous: it has no licences, so leave out `receipts`"
                    ),
                );
            }
            rule.which = Which::All;
        } else if !v.locations.contains_key(&receipts) {
            d.error(
                v.loc(&b),
                receipts,
                "missing required field `receipts`: receipts from new licences, existing ones, or all (\"new\", \"existing\", \"all\")",
            );
        }
        let share = format!("{b}.share");
        if let Some(s) = v.q(&share).and_then(|q| q.series.as_ref()) {
            let from = rule.from_year.map_or(start, |y| y.max(start));
            let to = rule.until_year.map_or(end, |y| y.min(end));
            check_covers(v, &share, s, from, to, "the rule applies in", d);
            rule.schedule = Some(deal.schedules.len());
            deal.schedules.push(s.to_model());
        }
    }
    mark_scales(v, inputs);
}
