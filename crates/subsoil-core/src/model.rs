//! The validated model: what one simulated path needs to know, after a scenario file has been read,
//! checked and lowered. Types here are plain data built by `subsoil-scenario`; the model trusts them
//! (lowering has enforced every constraint) and never fails.

use crate::param::Param;
pub use crate::year::Year;

/// A calendar date as an ordinal (days are only compared, never subtracted across months).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: Year,
    /// Month, 1–12.
    pub month: u8,
    /// Day of month, 1–31.
    pub day: u8,
}

impl Date {
    /// A date from its parts (lowering has checked them).
    pub const fn new(year: Year, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Everything one path needs.
#[derive(Clone, Debug)]
pub struct Model {
    /// Simulated years and the base year of real money.
    pub time: Time,
    /// Inflation, exchange rate, GDP.
    pub macro_: Macro,
    /// Discount and hurdle rates.
    pub rates: Rates,
    /// Taxes, royalties, PSA terms, licence fees.
    pub fiscal: Fiscal,
    /// Traded products and their price processes.
    pub products: Vec<Product>,
    /// Lower-triangular Cholesky factor (row-major, `products.len()²`) of the correlation of yearly
    /// log-price shocks; the identity when no correlations are given.
    pub price_cholesky: Vec<f64>,
    /// Deposits, fields and plots.
    pub deposits: Vec<Deposit>,
    /// Projects: each belongs to a deposit.
    pub projects: Vec<Project>,
    /// Durations and abandonment of the stages before an investment decision.
    pub stages: StageRules,
    /// War, ceasefire and occupation.
    pub conflict: Conflict,
    /// Which receipts count as "new" for the deal.
    pub newness: Newness,
    /// Receipts that never reach the budget, and capex lost beyond ordinary overruns.
    pub leakage: Leakage,
    /// Oblasts named by deposits, in order; deposits refer to them by index.
    pub oblasts: Vec<Oblast>,
    /// The deal and its fund.
    pub deal: crate::deal::Deal,
    /// Yearly flows of new permits, each permit that is developed a project of its flow's pool.
    pub flows: Vec<LicensingFlow>,
    /// Inflation by calendar year, when `inflation` is a path (its `Param` then the path's scale);
    /// `None` for one rate every year.
    pub inflation_path: Option<crate::series::Series>,
    /// The ISO 4217 code of the currency every amount is in (`USD` unless the scenario says otherwise).
    pub currency: String,
    /// Royalty rates given by year, referred to by [`ProjectProduct::royalty_by_year`].
    pub royalty_schedules: Vec<crate::series::Series>,
}

impl Model {
    /// The number of projects reported one by one: the scenario's own, which come before the projects
    /// of the licensing flows (see [`LicensingFlow`]).
    pub fn listed_projects(&self) -> usize {
        self.flows.first().map_or(self.projects.len(), |f| f.fees_project)
    }
}

/// A yearly flow of new permits (licences, PSAs) of one kind. Each simulated year from `first` to `last`
/// draws a number of permits, each paying `fee`; of these, a number are developed: each becomes the
/// next free project of the flow's pool (`pool`), licensed and new, which then goes through its
/// remaining stages, the investment decision, construction, war and prices like any other project. The
/// pool is allocated once, at `max_projects` per year, so the hot loop allocates nothing.
#[derive(Clone, Debug)]
pub struct LicensingFlow {
    /// Identifier.
    pub id: String,
    /// First year index in which permits are awarded.
    pub first: u32,
    /// Last year index in which permits are awarded (inclusive).
    pub last: u32,
    /// Mean permits per year while the war lasts (drawn once per path).
    pub rate: Param,
    /// Factor on the mean in years of peace.
    pub peace_multiplier: Param,
    /// Most permits counted in one year (the count is clamped to it).
    pub max_permits: u32,
    /// Fee per permit (real USD).
    pub fee: Param,
    /// Probability that a permit is developed into a project.
    pub production_probability: Param,
    /// Most permits developed in one year (the number is clamped to it).
    pub max_projects: u32,
    /// Stream of the yearly draws (the count and the number developed).
    pub stream: u64,
    /// Index in [`Model::projects`] of the project that pays the flow's permit fees (it has no products).
    pub fees_project: usize,
    /// Index in [`Model::projects`] of the first project of the pool.
    pub pool: usize,
    /// Number of projects in the pool: `max_projects` × the years from `first` to `last`.
    pub pool_size: usize,
}

/// An oblast (region) as named by the deposits file.
#[derive(Clone, Debug)]
pub struct Oblast {
    /// Name as in the data.
    pub name: String,
    /// Stream of this oblast's yearly draws (movement of the front), shared by all its deposits.
    pub stream: u64,
    /// Whether the front can move here while the war lasts.
    pub front: bool,
    /// Whether war damage here is at the exposed rate (within reach of artillery and drones).
    pub exposed: bool,
}

/// Leakage: the corruption argument as inputs.
#[derive(Clone, Copy, Debug)]
pub struct Leakage {
    /// Share of the state's receipts that never reaches the budget or the fund.
    pub receipts: Param,
    /// Capex spent beyond the global overrun statistics (fraction of capex).
    pub capex_excess: Param,
}

/// The simulated period.
#[derive(Clone, Copy, Debug)]
pub struct Time {
    /// First simulated year.
    pub start_year: Year,
    /// Number of simulated years.
    pub horizon: u32,
    /// Year whose dollars real amounts are expressed in.
    pub base_year: Year,
    /// Whether the projects' NPVs count their free cash flow after the horizon.
    pub terminal_value: TerminalValue,
    /// When in its year a flow is discounted from.
    pub discounting: Discounting,
}

/// When in its year a year's flow is taken to fall, for discounting to the start year.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Discounting {
    /// At the start: the first year's flow is not discounted (`(1 + r)^-t`).
    #[default]
    StartOfYear,
    /// At the middle (`(1 + r)^-(t + 0.5)`).
    MidYear,
    /// At the end (`(1 + r)^-(t + 1)`, as spreadsheets' NPV function).
    EndOfYear,
}

impl Discounting {
    /// Every choice, as scenario files write them.
    pub const NAMES: [&'static str; 3] = ["start-of-year", "mid-year", "end-of-year"];

    /// Name as written.
    pub const fn name(self) -> &'static str {
        match self {
            Discounting::StartOfYear => "start-of-year",
            Discounting::MidYear => "mid-year",
            Discounting::EndOfYear => "end-of-year",
        }
    }

    /// Years from the start of year `t` to the moment its flow is discounted from.
    pub const fn offset(self) -> f64 {
        match self {
            Discounting::StartOfYear => 0.0,
            Discounting::MidYear => 0.5,
            Discounting::EndOfYear => 1.0,
        }
    }

    /// The discount factor of the first year at `rate`.
    pub fn first_year(self, rate: f64) -> f64 {
        (1.0 + rate).powf(-self.offset())
    }
}

impl std::str::FromStr for Discounting {
    type Err = String;
    fn from_str(s: &str) -> Result<Discounting, String> {
        match s {
            "start-of-year" => Ok(Discounting::StartOfYear),
            "mid-year" => Ok(Discounting::MidYear),
            "end-of-year" => Ok(Discounting::EndOfYear),
            _ => Err(format!("expected one of {}", Discounting::NAMES.join(", "))),
        }
    }
}

/// What a project's NPV counts after the horizon.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TerminalValue {
    /// Nothing: flows after the horizon are left out.
    #[default]
    None,
    /// The project's remaining free cash flow on the prices expected in the last year, discounted at the
    /// valuation rate (as the fund's stakes are valued).
    ExpectedFlows,
}

impl TerminalValue {
    /// Every choice, as scenario files write them.
    pub const NAMES: [&'static str; 2] = ["none", "expected-flows"];

    /// Name as written.
    pub const fn name(self) -> &'static str {
        match self {
            TerminalValue::None => "none",
            TerminalValue::ExpectedFlows => "expected-flows",
        }
    }
}

impl std::str::FromStr for TerminalValue {
    type Err = String;
    fn from_str(s: &str) -> Result<TerminalValue, String> {
        match s {
            "none" => Ok(TerminalValue::None),
            "expected-flows" => Ok(TerminalValue::ExpectedFlows),
            _ => Err(format!("expected one of {}", TerminalValue::NAMES.join(", "))),
        }
    }
}

impl Time {
    /// The calendar year of year index `t`.
    #[inline]
    pub fn year(&self, t: u32) -> Year {
        self.start_year + t as Year
    }
    /// Last simulated year.
    pub fn end_year(&self) -> Year {
        self.start_year + self.horizon as Year - 1
    }
}

/// Macroeconomic paths (constant rates per path).
#[derive(Clone, Copy, Debug)]
pub struct Macro {
    /// Yearly inflation of the model's currency (fraction/yr); escalates real prices and costs to
    /// nominal money.
    pub inflation: Param,
    /// The host country's nominal GDP in the base year (in the model's currency).
    pub gdp: Param,
    /// Real GDP growth (fraction/yr).
    pub gdp_real_growth: Param,
}

/// Rates, all real (fraction/yr); nominal rates follow from the path's inflation.
#[derive(Clone, Copy, Debug)]
pub struct Rates {
    /// Base real hurdle of private investors.
    pub investor_base: Param,
    /// Country-risk premium added to the hurdle while the war lasts.
    pub crp_war: Param,
    /// Premium in the first `postwar_years` after a ceasefire.
    pub crp_postwar: Param,
    /// Premium in lasting peace.
    pub crp_peace: Param,
    /// Years after a ceasefire at the post-war premium.
    pub postwar_years: u32,
    /// Rate for the NPVs subsoil reports (war is explicit in the cash flows, so no premium).
    pub valuation: Param,
    /// Real rate at which the deal's partner discounts what it receives.
    pub partner_discount: Param,
}

/// The fiscal regime.
#[derive(Clone, Copy, Debug)]
pub struct Fiscal {
    /// Corporate income tax rate.
    pub cit_rate: Param,
    /// Years of straight-line tax depreciation.
    pub depreciation_years: u32,
    /// Default PSA cost-recovery limit (fraction of revenue after royalty, per year).
    pub psa_cost_recovery_limit: Param,
    /// Default state share of PSA profit production.
    pub psa_state_share: Param,
    /// Default fee (real USD) paid for a licence awarded during the simulation.
    pub licence_fee: Param,
    /// Uncertain changes of the royalty rates, if the scenario models them.
    pub rent_changes: Option<crate::rent::RentChanges>,
}

/// A traded product and its price process.
#[derive(Clone, Debug)]
pub struct Product {
    /// Identifier, e.g. `lithium-spodumene`.
    pub id: String,
    /// Unit of quantity, e.g. `t`.
    pub unit: String,
    /// Price in the start year (real base-year USD per unit).
    pub price: Param,
    /// Long-run level on this path: the median of the stationary price distribution.
    pub long_run: Param,
    /// The scenario's central long-run level: what investors expect prices to revert to.
    pub long_run_central: f64,
    /// Volatility of the log price (per √yr).
    pub volatility: Param,
    /// Half-life of mean reversion (years).
    pub half_life: Param,
    /// The host's royalty (subsoil rent) rate on this product; with a schedule by year, the factor on it
    /// (see [`ProjectProduct::royalty_by_year`]).
    pub royalty_rate: Param,
    /// The documented bound on the real price's P95 over its P5 across paths in a far year (a fact about
    /// the product's history that the simulated spread must respect; no step of a path reads it).
    pub long_run_p95_p5_max: Option<f64>,
    /// Stream of this product's yearly price shocks.
    pub shock_stream: u64,
    /// How the dominant producer may move the price, if one dominates.
    pub dominant: Option<Dominant>,
    /// A price deck: the median real price by calendar year (base-year USD per unit). With a deck,
    /// `price` and `long-run` are the deck's scale factor on the path (one draw shifts the whole deck),
    /// `long_run_central` its median, and shocks revert to the scaled deck.
    pub deck: Option<crate::series::Series>,
}

/// The dominant producer's moves on one product. Each magnitude and duration is drawn once per path (every
/// episode on a path has the same size); whether an episode starts is drawn every year.
#[derive(Clone, Copy, Debug)]
pub struct Dominant {
    /// World supply per year, in the product's unit (for the targeted cut).
    pub world_supply: Option<Param>,
    /// Yearly hazard of a supply flood (1/yr).
    pub flood_probability: Param,
    /// Fall of the price in a flood.
    pub flood_drop: Param,
    /// Years a flood lasts.
    pub flood_years: Param,
    /// Yearly hazard of export controls (1/yr).
    pub export_control_probability: Param,
    /// Rise of the price outside the dominant producer's market.
    pub export_control_jump: Param,
    /// Years export controls last.
    pub export_control_years: Param,
    /// Share of world supply from the scenario's new projects that provokes a targeted cut.
    pub cut_threshold: Param,
    /// Probability of a cut once the threshold is passed.
    pub cut_probability: Param,
    /// Fall of the price in a targeted cut.
    pub cut_size: Param,
    /// Years a cut lasts.
    pub cut_years: Param,
    /// Stream of the yearly episode draws.
    pub stream: u64,
}

/// Who controls a deposit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    /// Held by the host government away from any front: work is possible.
    Operable,
    /// Held by the host government but within reach of a front: nothing is built or run there during war.
    Contested,
    /// Occupied: lost while occupied.
    Occupied,
}

impl Control {
    /// Name as the scenario reference writes it (`[[projects]]`' `control`).
    pub fn name(self) -> &'static str {
        match self {
            Control::Operable => "operable",
            Control::Contested => "contested",
            Control::Occupied => "occupied",
        }
    }
}

/// A deposit's control at the start of the simulation.
#[derive(Clone, Copy, Debug)]
pub enum StartControl {
    /// Known.
    Known(Control),
    /// Unknown: a path draws 0 (operable), 1 (contested) or 2 (occupied) from this input.
    Drawn(Param),
}

/// A deposit, field or plot.
#[derive(Clone, Debug)]
pub struct Deposit {
    /// Identifier from the deposits file.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Oblast(s), `;`-separated as in the data.
    pub oblast: String,
    /// Index of the deposit's first-listed oblast in [`Model::oblasts`], which decides its exposure to the
    /// front, war damage and settlements.
    pub primary_oblast: usize,
    /// Control at the start.
    pub control: StartControl,
}

/// Project stages, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// Known occurrence: needs exploration.
    Identified,
    /// Explored, not licensed: needs a licence by auction.
    Explored,
    /// In a licence or PSA tender.
    Tender,
    /// Licensed: feasibility and permitting before an investment decision.
    Licensed,
    /// Ready for a final investment decision; re-evaluated yearly. Written `idle` in scenario files and
    /// outputs: a project that starts here is a licensed operation that has stopped and awaits a restart.
    Ready,
    /// Under construction.
    Construction,
    /// Producing.
    Producing,
    /// Closed (or never to produce).
    Closed,
}

impl Stage {
    /// Every stage, in order.
    pub const ALL: [Stage; 8] = [
        Stage::Identified,
        Stage::Explored,
        Stage::Tender,
        Stage::Licensed,
        Stage::Ready,
        Stage::Construction,
        Stage::Producing,
        Stage::Closed,
    ];

    /// The stages before an investment decision, in order: the stages with a duration and an
    /// abandonment probability ([`StageRules::abandon`], [`Project::stage_durations`]).
    pub const PRE_DECISION: [Stage; 4] =
        [Stage::Identified, Stage::Explored, Stage::Tender, Stage::Licensed];

    /// The names of [`Stage::ALL`], in order.
    pub const NAMES: [&'static str; 8] = {
        let mut names = [""; 8];
        let mut i = 0;
        while i < names.len() {
            names[i] = Stage::ALL[i].name();
            i += 1;
        }
        names
    };

    /// Name as written in scenario and data files and in outputs.
    pub const fn name(self) -> &'static str {
        match self {
            Stage::Identified => "identified",
            Stage::Explored => "explored",
            Stage::Tender => "tender",
            Stage::Licensed => "licensed",
            Stage::Ready => "idle",
            Stage::Construction => "construction",
            Stage::Producing => "producing",
            Stage::Closed => "closed",
        }
    }

    /// Index in [`Stage::PRE_DECISION`], for a stage before the investment decision.
    #[inline]
    pub const fn pre_decision_index(self) -> Option<usize> {
        match self {
            Stage::Identified => Some(0),
            Stage::Explored => Some(1),
            Stage::Tender => Some(2),
            Stage::Licensed => Some(3),
            _ => None,
        }
    }
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Stage {
    type Err = UnknownStage;
    fn from_str(s: &str) -> Result<Stage, UnknownStage> {
        Stage::ALL.into_iter().find(|st| st.name() == s).ok_or(UnknownStage)
    }
}

/// A name that is none of [`Stage::NAMES`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnknownStage;

impl std::fmt::Display for UnknownStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "expected one of {}", Stage::NAMES.join(", "))
    }
}

impl std::error::Error for UnknownStage {}

/// Rules for the stages before an investment decision. Durations are drawn per project (see
/// [`Project::stage_durations`]); abandonment probabilities and the war-time slowdown are shared.
#[derive(Clone, Copy, Debug)]
pub struct StageRules {
    /// Probability that a project is abandoned at the end of each of [`Stage::PRE_DECISION`], in order.
    pub abandon: [Param; 4],
    /// Factor by which licensing (explored and tender stages) is slower while the war lasts (≥ 1).
    pub war_licensing_slowdown: Param,
}

/// How a project pays the state.
#[derive(Clone, Copy, Debug)]
pub enum Regime {
    /// Royalty (subsoil rent) and corporate income tax.
    Royalty,
    /// Production-sharing agreement: royalty, cost recovery, a state share of profit production, and CIT.
    Psa {
        /// Cost recovery per year at most this share of revenue after royalty.
        cost_recovery_limit: Param,
        /// State share of profit production.
        state_share: Param,
    },
}

/// The investment-decision rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecisionRule {
    /// Build when the NPV at the investor's hurdle on the expected prices is positive.
    Npv,
    /// Build as soon as ready.
    Always,
    /// Never build.
    Never,
}

/// The output profile of a project over its life.
#[derive(Clone, Copy, Debug)]
pub enum Profile {
    /// Linear ramp from `ramp_start` of capacity in the first year to full capacity after `ramp_years`.
    RampPlateau {
        /// Years of ramp-up (0 = full output from the first year).
        ramp_years: u32,
        /// Output in the first year as a share of capacity.
        ramp_start: Param,
    },
    /// Exponential decline from capacity (gas and oil fields).
    Decline {
        /// Yearly decline rate.
        rate: Param,
    },
}

/// One product of a project.
#[derive(Clone, Copy, Debug)]
pub struct ProjectProduct {
    /// Index into [`Model::products`].
    pub product: usize,
    /// Plateau (or initial, for declines) output per year.
    pub capacity: Param,
    /// Cash operating cost per unit (real USD).
    pub opex: Param,
    /// Royalty rate for this project, overriding the product's. With `royalty_by_year`, the factor
    /// (1 unless uncertain) on the schedule.
    pub royalty_rate: Option<Param>,
    /// Index into [`Model::royalty_schedules`] when the rate (the project's own, or else the product's)
    /// is given by year.
    pub royalty_by_year: Option<u32>,
    /// Share of the output the buyer pays for (1 when sold as metal).
    pub payable: Param,
    /// Treatment and refining charges and freight per unit of output (real USD).
    pub selling_costs: Param,
    /// Whether the royalty is on the net smelter return (payable value less selling costs) rather than
    /// on the gross value of the output.
    pub royalty_on_nsr: bool,
}

/// A project product's values by production year (year 1 the first year of output), each the series its
/// constant's `Param` scales; `None` where the constant holds every year.
#[derive(Clone, Debug, Default)]
pub struct ProductByAge {
    /// Output per year, replacing the capacity.
    pub capacity: Option<crate::series::Series>,
    /// Cash operating cost per unit (real), replacing the opex.
    pub opex: Option<crate::series::Series>,
}

/// A project: one way a deposit may produce.
#[derive(Clone, Debug)]
pub struct Project {
    /// Identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Index into [`Model::deposits`].
    pub deposit: usize,
    /// Stage at the start of the simulation.
    pub stage: Stage,
    /// Whether the project holds a licence at the start.
    pub licensed: bool,
    /// Whether receipts from the licence held at the start count as new (see [`Newness`]).
    pub licence_new: bool,
    /// Fiscal regime.
    pub regime: Regime,
    /// Investment-decision rule.
    pub decision: DecisionRule,
    /// Years of construction in the plan.
    pub construction_years: Param,
    /// Years of production (for a producing operation: remaining years).
    pub life_years: Param,
    /// Initial capex in the plan (real USD).
    pub capex: Param,
    /// Sustaining capex per production year (real USD).
    pub sustaining_capex: Param,
    /// Closure cost, spent the year after production ends (real USD).
    pub closure_cost: Param,
    /// Fee for a licence awarded during the simulation (real USD); the fiscal default when `None`.
    pub licence_fee: Option<Param>,
    /// Undepreciated tax base of existing assets (real USD), depreciated from the start year.
    pub tax_book_value: Param,
    /// Products and capacities.
    pub products: Vec<ProjectProduct>,
    /// Whether a product's royalty rate is given by year.
    pub rates_by_year: bool,
    /// Whether the project's fiscal terms are stabilised (a PSA's stability clause): changes of the
    /// regime's royalty rates ([`crate::rent::RentChanges`]) do not reach it.
    pub stabilised: bool,
    /// Output profile.
    pub profile: Profile,
    /// For an operation producing at the start, the year of its profile it is in during the start year;
    /// `None`: past the ramp-up (or at the start of a decline).
    pub start_age: Option<u32>,
    /// As-built capex over plan (ratio).
    pub capex_overrun: Param,
    /// Opex over plan (ratio).
    pub opex_multiplier: Param,
    /// Output over plan (ratio).
    pub production_factor: Param,
    /// Construction slower than plan (fraction of planned years added).
    pub schedule_slip: Param,
    /// Capex phasing: the share of the initial capex spent in each planned construction year, in order
    /// (summing to 1); empty means evenly. A build of another length spreads the same cumulative profile
    /// over its years.
    pub capex_phasing: Vec<f64>,
    /// Output and unit opex by production year, one entry per product in order; empty when no product
    /// gives either by production year.
    pub by_age: Vec<ProductByAge>,
    /// Stream of this project's yearly events (stage abandonment, damage).
    pub event_stream: u64,
    /// This project's years in each of [`Stage::PRE_DECISION`] (peacetime), in order, each drawn per
    /// project from the stage's duration distribution.
    pub stage_durations: [Param; 4],
}

/// The deal's definition of "new" receipts.
#[derive(Clone, Copy, Debug)]
pub struct Newness {
    /// The deal's effective date: licences issued or re-awarded on or after it are new.
    pub effective: Date,
}

/// War and ceasefire.
#[derive(Clone, Debug)]
pub struct Conflict {
    /// Yearly hazard of a general ceasefire (1/yr), drawn once per path; also the hazard of a new
    /// ceasefire after renewed war.
    pub ceasefire_hazard: Param,
    /// Uniform that places the first ceasefire: time = −ln(u)/hazard years after the start.
    pub ceasefire_u: Param,
    /// Alternatively, the calendar year (fractional) of the first ceasefire, drawn once per path.
    pub ceasefire_year: Option<Param>,
    /// Whether the scenario has no conflict at all (a country at peace throughout).
    pub at_peace: bool,
    /// Probability that a ceasefire breaks down in its first year.
    pub breakdown_first_year: Param,
    /// Yearly hazard of renewed war after the first year of peace (1/yr).
    pub renewed_war_hazard: Param,
    /// Stream of the conflict's yearly draws.
    pub stream: u64,
    /// Settlement outcomes at the first ceasefire; the path draws one.
    pub settlements: Vec<Settlement>,
    /// Index into `settlements`, drawn once per path.
    pub settlement: Param,
    /// Yearly hazard, per front oblast while the war lasts, that the front advances over the oblast's
    /// frontline deposits.
    pub creep_hazard: Param,
    /// Yearly hazard (1/yr) of a production-halting strike on an operation in an exposed oblast, while the
    /// war lasts.
    pub damage_exposed: Param,
    /// The same elsewhere.
    pub damage_other: Param,
    /// Repair cost after a strike, as a share of the project's initial capex.
    pub damage_repair: Param,
}

/// A settlement outcome: which oblasts are lost when the war ends.
#[derive(Clone, Debug)]
pub struct Settlement {
    /// Name, e.g. `freeze on the line of contact`.
    pub name: String,
    /// Oblasts (indexes into [`Model::oblasts`]) whose deposits are occupied from the ceasefire on.
    pub lost_oblasts: Vec<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stage_name_parses_back_to_its_stage() {
        for (stage, name) in Stage::ALL.into_iter().zip(Stage::NAMES) {
            assert_eq!(stage.name(), name);
            assert_eq!(name.parse::<Stage>(), Ok(stage));
        }
        assert_eq!("ready".parse::<Stage>(), Err(UnknownStage));
        // ALL is in order, and the pre-decision stages are its first four with their indexes.
        assert!(Stage::ALL.windows(2).all(|w| w[0] < w[1]));
        for (i, s) in Stage::PRE_DECISION.into_iter().enumerate() {
            assert_eq!(Stage::ALL[i], s);
            assert_eq!(s.pre_decision_index(), Some(i));
        }
        assert!(Stage::ALL[4..].iter().all(|s| s.pre_decision_index().is_none()));
    }
}
