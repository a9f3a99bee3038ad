//! What a Monte Carlo run reports, declared once: scalar metrics, probabilities, yearly series and
//! time-to-event curves, each with its name, unit, section and description and a function that reads it
//! off one path. Adding an output is adding one entry to one of the tables below; the run, the JSON, the
//! tables and the documentation pick it up from there.
//!
//! Money is real (base-year US dollars): the model's nominal amounts divided by the path's price index,
//! unless its unit is [`Unit::NominalUsd`].

use serde::{Serialize, Serializer};
use subsoil_core::{Model, PathOutcome, ProjectStatus, Stage, Year};

/// What an output's numbers measure. Tables write each unit in one way; JSON writes [`Unit::name`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// US dollars of the base year: nominal amounts divided by the path's price index.
    RealUsd,
    /// US dollars of the years paid, as contracts count them.
    NominalUsd,
    /// A share of the host's GDP, as a fraction.
    ShareOfGdp,
    /// A number of projects.
    Projects,
    /// A share of something else (a target, the aid given), as a fraction.
    Fraction,
}

impl Unit {
    /// The unit as written in outputs (the `unit` of the JSON).
    pub const fn name(self) -> &'static str {
        match self {
            Unit::RealUsd => "USD (real, base year)",
            Unit::NominalUsd => "USD (nominal)",
            Unit::ShareOfGdp => "fraction",
            Unit::Projects => "projects",
            Unit::Fraction => "fraction",
        }
    }
}

impl Serialize for Unit {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// Where an output belongs when results are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// The projects and the state's receipts.
    Projects,
    /// The deal: the partner, the host's payments, the fund.
    Deal,
}

impl Section {
    /// The section's title in tables.
    pub const fn title(self) -> &'static str {
        match self {
            Section::Projects => "Projects and the state's receipts",
            Section::Deal => "Deal",
        }
    }
}

/// Whether an output applies to a model (a year it needs is simulated, the scenario has a deal, …).
pub type Applies = fn(&Model) -> bool;

/// A scalar output of a path.
#[derive(Clone, Copy, Debug)]
pub struct Metric {
    /// Name in outputs (kebab-case).
    pub name: &'static str,
    /// Unit.
    pub unit: Unit,
    /// Where it is grouped.
    pub section: Section,
    /// One sentence for readers.
    pub description: &'static str,
    /// Whether the metric is reported for a model (it is left out otherwise).
    pub applies: Applies,
    /// The value on one path, before [`Metric::value`] drops rounding residues of money.
    compute: fn(&Model, &PathOutcome) -> f64,
}

/// The largest money amount, in dollars, that [`Metric::value`] reports as zero: less than half a cent is
/// not money. Sums of many flows leave residues of about 1e-7 dollars where the exact answer is zero (a
/// credit repaid at the rate it is discounted at has an NPV of ±2e-7), and a threshold at zero (`P(x ≥ 0)`)
/// would count their signs.
pub const MONEY_RESIDUE: f64 = 0.005;

impl Metric {
    /// A metric of the projects and the state's receipts that applies to every model.
    pub const fn new(
        name: &'static str,
        unit: Unit,
        description: &'static str,
        value: fn(&Model, &PathOutcome) -> f64,
    ) -> Metric {
        Metric {
            name,
            unit,
            section: Section::Projects,
            description,
            applies: always,
            compute: value,
        }
    }

    /// A metric of the deal that applies to every model.
    pub const fn deal(
        name: &'static str,
        unit: Unit,
        description: &'static str,
        value: fn(&Model, &PathOutcome) -> f64,
    ) -> Metric {
        Metric { section: Section::Deal, ..Metric::new(name, unit, description, value) }
    }

    /// The value on one path; money of less than [`MONEY_RESIDUE`] either way is +0.
    #[inline]
    pub fn value(&self, model: &Model, out: &PathOutcome) -> f64 {
        let v = (self.compute)(model, out);
        match self.unit {
            Unit::RealUsd | Unit::NominalUsd if v.abs() < MONEY_RESIDUE => 0.0,
            _ => v,
        }
    }

    /// The same metric, reported only for models where `applies` holds.
    pub const fn when(self, applies: Applies) -> Metric {
        Metric { applies, ..self }
    }
}

/// An event that happens or not on a path; the run reports its probability.
#[derive(Clone, Copy, Debug)]
pub struct Probability {
    /// Name in outputs.
    pub name: &'static str,
    /// Where it is grouped.
    pub section: Section,
    /// One sentence for readers.
    pub description: &'static str,
    /// Whether the probability is reported for a model.
    pub applies: Applies,
    /// Whether the event happened on one path.
    pub happens: fn(&Model, &PathOutcome) -> bool,
}

impl Probability {
    /// A probability of the projects and the state's receipts that applies to every model.
    pub const fn new(
        name: &'static str,
        description: &'static str,
        happens: fn(&Model, &PathOutcome) -> bool,
    ) -> Probability {
        Probability { name, section: Section::Projects, description, applies: always, happens }
    }

    /// A probability of the deal that applies to every model.
    pub const fn deal(
        name: &'static str,
        description: &'static str,
        happens: fn(&Model, &PathOutcome) -> bool,
    ) -> Probability {
        Probability { section: Section::Deal, ..Probability::new(name, description, happens) }
    }

    /// The same probability, reported only for models where `applies` holds.
    pub const fn when(self, applies: Applies) -> Probability {
        Probability { applies, ..self }
    }
}

/// A yearly series of a path; the run reports it as a fan chart (mean and percentiles per year).
#[derive(Clone, Copy, Debug)]
pub struct Series {
    /// Name in outputs.
    pub name: &'static str,
    /// Unit.
    pub unit: Unit,
    /// Where it is grouped.
    pub section: Section,
    /// One sentence for readers.
    pub description: &'static str,
    /// Whether the series is reported for a model.
    pub applies: Applies,
    /// Appends the values of one path, year by year (one per simulated year), in one pass.
    pub values: fn(&Model, &PathOutcome, &mut Vec<f64>),
}

/// An event with a date: the run reports P(it has happened by year Y) for every simulated year.
#[derive(Clone, Copy, Debug)]
pub struct Event {
    /// Name in outputs.
    pub name: &'static str,
    /// Where it is grouped.
    pub section: Section,
    /// One sentence for readers.
    pub description: &'static str,
    /// Whether the curve is reported for a model.
    pub applies: Applies,
    /// Year index of its first occurrence on one path, or `None` if not within the horizon.
    pub first: fn(&Model, &PathOutcome) -> Option<u32>,
}

/// Scalar metrics, in report order.
#[rustfmt::skip]
pub const METRICS: &[Metric] = &[
    Metric::new("receipts-new", Unit::RealUsd, "State receipts from new licences over the horizon (royalty, PSA state share, licence fees, corporate tax), net of leakage.", receipts_new),
    Metric::new("receipts-existing", Unit::RealUsd, "State receipts from existing licences over the horizon, net of leakage.", receipts_existing),
    Metric::new("leakage-receipts", Unit::RealUsd, "State receipts from projects lost to leakage before reaching the budget over the horizon.", leakage_receipts),
    Metric::new("capex", Unit::RealUsd, "Initial capex spent on all projects over the horizon.", capex),
    Metric::new("revenue", Unit::RealUsd, "Revenue of all projects over the horizon.", revenue),
    Metric::new("npv-total", Unit::RealUsd, "Sum of the projects' NPVs of investor free cash flow at the valuation rate, to the start year.", npv_total),
    Metric::new("producing-2030", Unit::Projects, "Projects with output in 2030, the licensing flows' developed permits included.", producing_in::<2030>).when(simulates::<2030>),
    Metric::new("producing-2035", Unit::Projects, "Projects with output in 2035, the licensing flows' developed permits included.", producing_in::<2035>).when(simulates::<2035>),
    Metric::new("producing-2045", Unit::Projects, "Projects with output in 2045, the licensing flows' developed permits included.", producing_in::<2045>).when(simulates::<2045>),
    Metric::deal("partner-receipts", Unit::RealUsd, "Everything the deal's partner received from the fund over the horizon.", partner_receipts).when(has_partner),
    Metric::deal("partner-receipts-nominal", Unit::NominalUsd, "Everything the partner received from the fund over the horizon, in dollars of the years paid (as contracts count them).", partner_receipts_nominal).when(has_partner),
    Metric::deal("partner-capital", Unit::NominalUsd, "The partner's capital account at the horizon: its cash and the credits that brought no cash (counted aid).", partner_capital).when(has_partner),
    Metric::deal("partner-npv", Unit::RealUsd, "The partner's net present value at its discount rate, to the start year: receipts less cash paid in.", partner_npv).when(has_partner),
    Metric::deal("partner-npv-with-credits", Unit::RealUsd, "The partner's net present value counting its credits (aid or loans counted as its capital without cash reaching the fund) as its outlays in the years credited: receipts less cash paid in less credits, at its discount rate, to the start year.", partner_npv_with_credits).when(has_partner),
    Metric::deal("host-payments", Unit::RealUsd, "The host state's payments into the fund from its receipts, undiscounted.", host_payments).when(has_deal),
    Metric::deal("host-payments-pv", Unit::RealUsd, "The host's payments into the fund, present value at the valuation rate, to the start year.", host_payments_pv).when(has_deal),
    Metric::deal("host-receipts", Unit::RealUsd, "Everything the deal paid the host state: the fund's distributions to it and payments a rule directs to it, undiscounted.", host_receipts).when(has_host),
    Metric::deal("host-payments-max-gdp-share", Unit::ShareOfGdp, "The host's largest yearly payment into the fund as a share of its GDP.", host_payments_max_gdp).when(has_deal_and_gdp),
    Metric::deal("partner-target-shortfall", Unit::NominalUsd, "What the partner's cumulative nominal receipts at the horizon fall short of the deal's target (0 where it is reached).", partner_target_shortfall).when(has_target),
    Metric::deal("partner-target-share", Unit::Fraction, "The partner's cumulative nominal receipts at the horizon as a share of the deal's target (its largest value is the most of the target any path reaches).", partner_target_share).when(has_target),
    Metric::deal("partner-aid-shortfall", Unit::NominalUsd, "What the partner's cumulative nominal receipts at the horizon fall short of the aid it gave (0 where it is repaid).", partner_aid_shortfall).when(has_aid),
    Metric::deal("partner-aid-share", Unit::Fraction, "The partner's cumulative nominal receipts at the horizon as a share of the aid it gave.", partner_aid_share).when(has_aid),
    Metric::deal("fund-value", Unit::RealUsd, "The fund's value at the horizon: cash plus its stakes at the valuation rate (a stake is worth at least nothing: limited liability).", fund_value).when(has_deal),
];

/// Probabilities, in report order.
#[rustfmt::skip]
pub const PROBABILITIES: &[Probability] = &[
    Probability::new("ceasefire-by-2030", "The first year of peace after a general ceasefire is 2030 or earlier (a year is at peace when the ceasefire comes by its middle, so one in the second half of 2030 counts from 2031; a ceasefire that later breaks down still counts).", ceasefire_by::<2030>).when(at_war_and_simulates::<2030>),
    Probability::new("ceasefire-by-2035", "The first year of peace after a general ceasefire is 2035 or earlier (a year is at peace when the ceasefire comes by its middle, so one in the second half of 2035 counts from 2036; a ceasefire that later breaks down still counts).", ceasefire_by::<2035>).when(at_war_and_simulates::<2035>),
    Probability::new("new-mine-by-2030", "A project of the scenario's own list not yet built at the start has output in 2030 or earlier (a licensing flow's developed permits are left out: a hydrocarbon plot is a pair of wells, not a mine).", new_mine_by::<2030>).when(simulates::<2030>),
    Probability::new("new-lithium-mine-by-2035", "A lithium project not yet built at the start has output in 2035 or earlier.", new_lithium_by::<2035>).when(lithium_and_simulates::<2035>),
    Probability::new("new-receipts-by-2035", "The state has received something from new licences in 2035 or earlier.", new_receipts_by::<2035>).when(simulates::<2035>),
    Probability::deal("partner-target-reached", "The partner's cumulative nominal receipts reach the deal's target within the horizon.", partner_target_reached).when(has_target),
    Probability::deal("partner-aid-repaid", "The partner's cumulative nominal receipts reach the aid it gave within the horizon.", partner_aid_repaid).when(has_aid),
];

/// Yearly series, in report order.
#[rustfmt::skip]
pub const SERIES: &[Series] = &[
    Series { name: "receipts-new", unit: Unit::RealUsd, section: Section::Projects, description: "State receipts from new licences in the year, net of leakage.", applies: always, values: year_receipts_new },
    Series { name: "receipts-existing", unit: Unit::RealUsd, section: Section::Projects, description: "State receipts from existing licences in the year, net of leakage.", applies: always, values: year_receipts_existing },
    Series { name: "producing", unit: Unit::Projects, section: Section::Projects, description: "Projects with output in the year.", applies: always, values: year_producing },
    Series { name: "partner-receipts-cumulative", unit: Unit::RealUsd, section: Section::Deal, description: "The partner's receipts from the fund up to and including the year.", applies: has_partner, values: year_partner_cumulative },
    Series { name: "host-payments-gdp-share", unit: Unit::ShareOfGdp, section: Section::Deal, description: "The host's payments into the fund in the year as a share of its GDP.", applies: has_deal, values: year_host_gdp_share },
    Series { name: "fund-cash", unit: Unit::RealUsd, section: Section::Deal, description: "The fund's cash at the end of the year.", applies: has_deal, values: year_fund_cash },
];

/// Time-to-event curves, in report order.
#[rustfmt::skip]
pub const EVENTS: &[Event] = &[
    Event { name: "ceasefire", section: Section::Projects, description: "First year of peace after a general ceasefire.", applies: at_war, first: ceasefire },
    Event { name: "first-new-receipts", section: Section::Projects, description: "First year in which the state receives anything from new licences.", applies: always, first: first_new_receipts },
    Event { name: "partner-first-distribution", section: Section::Deal, description: "First year in which the partner receives a distribution from the fund.", applies: has_partner, first: partner_first_distribution },
    Event { name: "partner-target", section: Section::Deal, description: "First year in which the partner's cumulative nominal receipts reach the deal's target.", applies: has_target, first: partner_target },
    Event { name: "partner-aid-repaid", section: Section::Deal, description: "First year in which the partner's cumulative nominal receipts reach the aid it gave.", applies: has_aid, first: partner_aid },
];

/// Calendar years for which every project reports P(built by the year).
pub const BUILT_BY_YEARS: [Year; 3] = [2030, 2035, 2045];

fn always(_: &Model) -> bool {
    true
}

fn simulates<const Y: Year>(m: &Model) -> bool {
    in_horizon(m, Y)
}

/// Whether the scenario has a war whose end the ceasefire outputs are about (a country at peace has
/// none).
fn at_war(m: &Model) -> bool {
    !m.conflict.at_peace
}

fn at_war_and_simulates<const Y: Year>(m: &Model) -> bool {
    at_war(m) && in_horizon(m, Y)
}

/// Whether a project of the scenario has a lithium product, which the lithium outputs are about.
fn lithium_and_simulates<const Y: Year>(m: &Model) -> bool {
    in_horizon(m, Y)
        && m.projects.iter().any(|p| p.products.iter().any(|pp| is_lithium(m, pp.product)))
}

fn is_lithium(m: &Model, product: usize) -> bool {
    m.products[product].id.starts_with("lithium")
}

fn has_deal(m: &Model) -> bool {
    m.deal.active()
}

fn has_host(m: &Model) -> bool {
    m.deal.active() && m.deal.host().is_some()
}

fn has_deal_and_gdp(m: &Model) -> bool {
    // Without a GDP (an optional field) there is no share of it to report.
    m.deal.active() && m.macro_.gdp != subsoil_core::Param::Fixed(0.0)
}

fn has_partner(m: &Model) -> bool {
    m.deal.active() && m.deal.partner.is_some()
}

fn has_target(m: &Model) -> bool {
    has_partner(m) && m.deal.target.is_some()
}

fn has_aid(m: &Model) -> bool {
    has_partner(m) && m.deal.aid_given.is_some()
}

/// Whether calendar `year` is simulated by `model`.
pub fn in_horizon(model: &Model, year: Year) -> bool {
    (model.time.start_year..=model.time.end_year()).contains(&year)
}

/// Year index of calendar `year`, if simulated.
fn index_of(model: &Model, year: Year) -> Option<usize> {
    in_horizon(model, year).then(|| (year - model.time.start_year) as usize)
}

fn receipts_new(_: &Model, o: &PathOutcome) -> f64 {
    o.live_projects().map(|(_, p)| p.receipts_new_real).sum()
}

fn receipts_existing(_: &Model, o: &PathOutcome) -> f64 {
    o.live_projects().map(|(_, p)| p.receipts_existing_real).sum()
}

fn capex(_: &Model, o: &PathOutcome) -> f64 {
    o.live_projects().map(|(_, p)| p.capex_real).sum()
}

fn revenue(_: &Model, o: &PathOutcome) -> f64 {
    o.live_projects().map(|(_, p)| p.revenue_real).sum()
}

fn leakage_receipts(_: &Model, o: &PathOutcome) -> f64 {
    o.years.iter().map(|y| real(y.leakage_receipts, y.index)).sum()
}

fn npv_total(_: &Model, o: &PathOutcome) -> f64 {
    o.live_projects().map(|(_, p)| p.npv_real).sum()
}

fn producing_in<const Y: Year>(m: &Model, o: &PathOutcome) -> f64 {
    index_of(m, Y).and_then(|t| o.years.get(t)).map_or(f64::NAN, |y| f64::from(y.producing))
}

fn ceasefire_by<const Y: Year>(_: &Model, o: &PathOutcome) -> bool {
    o.ceasefire_year.is_some_and(|c| c <= Y)
}

/// Whether project `i` is a new mine: not yet producing or under construction at the start, and not an
/// idle operation waiting to restart (those start ready for a decision).
fn is_new_project(m: &Model, i: usize) -> bool {
    m.projects[i].stage < Stage::Ready
}

fn new_mine_by<const Y: Year>(m: &Model, o: &PathOutcome) -> bool {
    o.projects[..m.listed_projects()]
        .iter()
        .enumerate()
        .any(|(i, p)| p.first_production.is_some_and(|f| f <= Y) && is_new_project(m, i))
}

fn new_lithium_by<const Y: Year>(m: &Model, o: &PathOutcome) -> bool {
    o.live_projects().any(|(i, p)| {
        p.first_production.is_some_and(|f| f <= Y)
            && is_new_project(m, i)
            && m.projects[i].products.iter().any(|pp| is_lithium(m, pp.product))
    })
}

fn new_receipts_by<const Y: Year>(m: &Model, o: &PathOutcome) -> bool {
    let last = index_of(m, Y).map_or(0, |t| t + 1);
    o.years.iter().take(last).any(|y| y.receipts.total(true) > 0.0)
}

/// `x / index`: a year's nominal amount in real terms. Dividing by an index of exactly 1 (every year of
/// a path without inflation) gives `x` itself, so that division is left out.
#[inline]
fn real(x: f64, index: f64) -> f64 {
    if index == 1.0 { x } else { x / index }
}

fn year_receipts_new(_: &Model, o: &PathOutcome, values: &mut Vec<f64>) {
    values.extend(o.years.iter().map(|y| real(y.receipts.total(true), y.index)));
}

fn year_receipts_existing(_: &Model, o: &PathOutcome, values: &mut Vec<f64>) {
    values.extend(o.years.iter().map(|y| real(y.receipts.total(false), y.index)));
}

fn year_producing(_: &Model, o: &PathOutcome, values: &mut Vec<f64>) {
    values.extend(o.years.iter().map(|y| f64::from(y.producing)));
}

fn partner_receipts(_: &Model, o: &PathOutcome) -> f64 {
    o.deal.partner_receipts_real
}

fn partner_receipts_nominal(_: &Model, o: &PathOutcome) -> f64 {
    o.deal.partner_receipts_nominal
}

fn partner_target_shortfall(_: &Model, o: &PathOutcome) -> f64 {
    (o.deal.target - o.deal.partner_receipts_nominal).max(0.0)
}

fn partner_target_share(_: &Model, o: &PathOutcome) -> f64 {
    if o.deal.target > 0.0 { o.deal.partner_receipts_nominal / o.deal.target } else { 1.0 }
}

fn partner_aid_shortfall(_: &Model, o: &PathOutcome) -> f64 {
    (o.deal.aid_given - o.deal.partner_receipts_nominal).max(0.0)
}

fn partner_aid_share(_: &Model, o: &PathOutcome) -> f64 {
    if o.deal.aid_given > 0.0 { o.deal.partner_receipts_nominal / o.deal.aid_given } else { 1.0 }
}

fn partner_capital(_: &Model, o: &PathOutcome) -> f64 {
    o.deal.partner_capital
}

fn year_host_gdp_share(_: &Model, o: &PathOutcome, values: &mut Vec<f64>) {
    values.extend(o.years.iter().zip(&o.fund).map(|(y, f)| {
        let gdp = y.gdp_nominal;
        if gdp > 0.0 { f.contributions / gdp } else { f64::NAN }
    }));
}

fn partner_npv(_: &Model, o: &PathOutcome) -> f64 {
    o.deal.partner_npv_real
}

fn partner_npv_with_credits(_: &Model, o: &PathOutcome) -> f64 {
    o.deal.partner_npv_with_credits_real
}

fn host_receipts(_: &Model, o: &PathOutcome) -> f64 {
    o.deal.host_receipts_real
}

fn host_payments(_: &Model, o: &PathOutcome) -> f64 {
    o.deal.host_payments_real
}

fn host_payments_pv(_: &Model, o: &PathOutcome) -> f64 {
    o.deal.host_payments_pv_real
}

fn host_payments_max_gdp(_: &Model, o: &PathOutcome) -> f64 {
    o.deal.host_payments_max_gdp_share
}

fn fund_value(_: &Model, o: &PathOutcome) -> f64 {
    o.fund_value_real
}

fn partner_target_reached(_: &Model, o: &PathOutcome) -> bool {
    o.deal.target_year.is_some()
}

fn partner_aid_repaid(_: &Model, o: &PathOutcome) -> bool {
    o.deal.aid_year.is_some()
}

fn year_partner_cumulative(m: &Model, o: &PathOutcome, values: &mut Vec<f64>) {
    let partner = m.deal.partner.is_some();
    values.extend(o.fund.iter().map(|f| if partner { f.partner_received_real } else { f64::NAN }));
}

fn year_fund_cash(_: &Model, o: &PathOutcome, values: &mut Vec<f64>) {
    values.extend(o.fund.iter().zip(&o.years).map(|(f, y)| f.cash / y.index));
}

/// Year index of calendar `year` on a path, if simulated.
fn year_index(m: &Model, year: Option<Year>) -> Option<u32> {
    year.and_then(|y| index_of(m, y)).map(|t| t as u32)
}

fn partner_first_distribution(m: &Model, o: &PathOutcome) -> Option<u32> {
    year_index(m, o.deal.first_partner_distribution)
}

fn partner_target(m: &Model, o: &PathOutcome) -> Option<u32> {
    year_index(m, o.deal.target_year)
}

fn partner_aid(m: &Model, o: &PathOutcome) -> Option<u32> {
    year_index(m, o.deal.aid_year)
}

fn ceasefire(m: &Model, o: &PathOutcome) -> Option<u32> {
    // A ceasefire before the start year has happened by the first year.
    year_index(m, o.ceasefire_year.map(|y| y.max(m.time.start_year)))
}

fn first_new_receipts(_: &Model, o: &PathOutcome) -> Option<u32> {
    o.years.iter().position(|y| y.receipts.total(true) > 0.0).map(|t| t as u32)
}

/// The projects behind entry `e` of the per-project results: a listed project alone, or, after them, a
/// licensing flow's fee project and pool.
pub fn entry_projects(model: &Model, e: usize) -> std::ops::Range<usize> {
    let listed = model.listed_projects();
    match e.checked_sub(listed).and_then(|k| model.flows.get(k)) {
        Some(f) => f.fees_project..f.pool + f.pool_size,
        None => e..e + 1,
    }
}

/// Whether project `i` of a path is producing by calendar `year` (its first output came no later).
pub fn built_by(o: &PathOutcome, i: usize, year: Year) -> bool {
    o.projects[i].first_production.is_some_and(|f| f <= year)
}

/// Whether project `i`'s deposit is occupied at the horizon.
pub fn occupied(o: &PathOutcome, i: usize) -> bool {
    o.projects[i].occupied
}

/// Whether project `i` was abandoned at the end of a stage.
pub fn abandoned(o: &PathOutcome, i: usize) -> bool {
    o.projects[i].status == ProjectStatus::Abandoned
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An entry's name, and its unit where its table has units.
    type Entry = (&'static str, Option<Unit>);

    /// Every table, as its name in JSON and its entries.
    fn tables() -> [(&'static str, Vec<Entry>); 4] {
        [
            ("metrics", METRICS.iter().map(|m| (m.name, Some(m.unit))).collect()),
            ("probabilities", PROBABILITIES.iter().map(|p| (p.name, None)).collect()),
            ("series", SERIES.iter().map(|s| (s.name, Some(s.unit))).collect()),
            ("events", EVENTS.iter().map(|e| (e.name, None)).collect()),
        ]
    }

    #[test]
    fn names_are_unique_within_each_table() {
        // Each table is written to JSON as an object keyed by name, and read back by name
        // (`RunResult::metric` …): a repeated name would silently hide an output.
        for (table, entries) in tables() {
            for (i, (name, _)) in entries.iter().enumerate() {
                assert!(
                    !entries[..i].iter().any(|(n, _)| n == name),
                    "{table}: {name} appears twice"
                );
                assert!(
                    !name.is_empty()
                        && name
                            .bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                    "{table}: {name:?} is not kebab-case"
                );
            }
        }
    }

    #[test]
    fn every_output_and_unit_is_documented_in_the_output_schema() {
        // docs/output-schema.md is what users read to use the JSON: each table's names, and the unit
        // strings a metric or series can carry.
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/output-schema.md");
        let doc = std::fs::read_to_string(path).expect("docs/output-schema.md");
        // How the tables of the document write each unit.
        let short = |u: Unit| match u {
            Unit::RealUsd => "USD real",
            Unit::NominalUsd => "USD nominal",
            Unit::ShareOfGdp | Unit::Fraction => "fraction",
            Unit::Projects => "projects",
        };
        // The `unit` key of a metric (series have the same key).
        let key = doc.lines().find(|l| l.starts_with("| `unit` |")).expect("the `unit` key");
        for (table, entries) in tables() {
            let heading = format!("## `{table}`");
            let start = doc.find(&heading).unwrap_or_else(|| panic!("no section {heading}"));
            let section = &doc[start + heading.len()..];
            let section = &section[..section.find("\n## ").unwrap_or(section.len())];
            for (name, unit) in entries {
                let quoted = format!("`{name}`");
                let row = section
                    .lines()
                    .find(|l| l.split('|').nth(1).is_some_and(|c| c.contains(&quoted)))
                    .unwrap_or_else(|| panic!("{table}: {name} is not in its table in {path}"));
                if let Some(unit) = unit {
                    let cell = row.split('|').nth(2).map_or("", str::trim);
                    assert_eq!(cell, short(unit), "{table}: the unit of {name} in {path}");
                    assert!(
                        key.contains(&format!("`{}`", unit.name())),
                        "{path} does not list the unit {:?} of {name} ({table}) under the `unit` key",
                        unit.name()
                    );
                }
            }
        }
    }
}
