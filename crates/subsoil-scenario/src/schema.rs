//! The scenario schema, declared once: every section and field with its type, unit, default, constraints
//! and meaning. The validator walks files against it and `subsoil reference` prints it as
//! `docs/scenario-reference.md`, so the documentation cannot drift from what the loader accepts.

use subsoil_core::Stage;

use crate::deposits::ControlStatus;
use crate::vocab::{
    AfterLockUp, Compounding, DataStage, Decision, Dollars, InvestsIn, ProfileKind, RateBasis,
    ReceiptsName, RegimeKind, RoyaltyBase, TierKind,
};

/// One field of a table.
#[derive(Debug)]
pub struct Field {
    /// Key as written in files (kebab-case).
    pub key: &'static str,
    /// Type and constraints.
    pub ty: Ty,
    /// Whether the field must be present, or its default.
    pub req: Req,
    /// What the field means (one or two sentences).
    pub doc: &'static str,
}

/// Presence of a field.
#[derive(Clone, Copy, Debug)]
pub enum Req {
    /// Must be given.
    Required,
    /// May be omitted; the model then does without it.
    Optional,
    /// May be omitted; this number is used instead.
    Num(f64),
    /// May be omitted; this value (written as in a file) is used instead.
    Text(&'static str),
}

/// Field types.
#[derive(Debug)]
pub enum Ty {
    /// A quantity: a number, a quantity table with provenance, or a distribution.
    Quantity(Q),
    /// A whole number that cannot be uncertain.
    Count {
        /// Smallest allowed.
        min: i64,
        /// Largest allowed.
        max: i64,
    },
    /// A string.
    Str,
    /// One of these strings.
    Enum(&'static [&'static str]),
    /// `true` or `false`.
    Bool,
    /// A date `YYYY-MM-DD` (a TOML date or a string).
    Date,
    /// A table with these fields.
    Table(&'static [Field]),
    /// A table of named entries, each of the given type (e.g. `[products.<id>]`).
    Map {
        /// How the key is described in the reference, e.g. `<product-id>`.
        key: &'static str,
        /// Type of each entry.
        value: &'static Ty,
    },
    /// An array of values of the given type (e.g. `[[correlations]]`).
    Array(&'static Ty),
}

/// Constraints of a quantity.
#[derive(Clone, Copy, Debug)]
pub struct Q {
    /// Unit the value is written in.
    pub unit: Unit,
    /// Smallest allowed value (the whole support of a distribution must lie within the bounds).
    pub min: f64,
    /// Largest allowed value.
    pub max: f64,
    /// Whether the schema allows a distribution here.
    pub uncertain: bool,
    /// Whether the schema allows a year-by-year series here (`{ by-year = { … } }`).
    pub series: bool,
    /// Whether the schema allows a schedule by production year here (`{ by-production-year = { 1 = … } }`,
    /// year 1 the first year of output).
    pub by_age: bool,
}

/// Units of quantities.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A share, rate or probability: 0.18 means 18%.
    Fraction,
    /// A yearly rate.
    FractionPerYear,
    /// A hazard: expected events per year.
    PerYear,
    /// A duration in years.
    Years,
    /// A multiplier.
    Ratio,
    /// US dollars (real base-year dollars unless the field says otherwise).
    Usd,
    /// US dollars per year.
    UsdPerYear,
    /// US dollars per unit of a product (`USD/t`, `USD/lb` …).
    UsdPerProductUnit,
    /// Product units per year (`t/yr` …).
    ProductUnitPerYear,
    /// Hryvnia per US dollar.
    UahPerUsd,
    /// Hryvnia.
    Uah,
    /// Units of one currency per unit of another (`EUR/USD`).
    ExchangeRate,
    /// Volatility of a log price.
    LogPerSqrtYear,
    /// A calendar year (may be fractional).
    CalendarYear,
    /// Any unit (named reference facts).
    Any,
}

impl Unit {
    /// How the unit is written in files; product-dependent units show `<u>`.
    pub fn written(self) -> &'static str {
        match self {
            Unit::Fraction => "fraction",
            Unit::FractionPerYear => "fraction/yr",
            Unit::PerYear => "1/yr",
            Unit::Years => "yr",
            Unit::Ratio => "ratio",
            Unit::Usd => "USD",
            Unit::UsdPerYear => "USD/yr",
            Unit::UsdPerProductUnit => "USD/<u>",
            Unit::ProductUnitPerYear => "<u>/yr",
            Unit::UahPerUsd => "UAH/USD",
            Unit::Uah => "UAH",
            Unit::ExchangeRate => "<code>/<currency>",
            Unit::LogPerSqrtYear => "log/sqrt(yr)",
            Unit::CalendarYear => "year",
            Unit::Any => "any",
        }
    }

    /// How the unit reads in a message about a quantity of a product whose unit is `product`
    /// (`Some("t")`): `USD/t`, `t/yr`; in words when the product's unit is not known (`None`: the
    /// product is not defined or declares no unit). Other units read as [`Unit::written`].
    pub fn named(self, product: Option<&str>) -> String {
        match (self, product) {
            (Unit::UsdPerProductUnit, Some(u)) => format!("USD/{u}"),
            (Unit::ProductUnitPerYear, Some(u)) => format!("{u}/yr"),
            (Unit::UsdPerProductUnit, None) => "USD per unit of the product".to_string(),
            (Unit::ProductUnitPerYear, None) => "the product's unit per year".to_string(),
            (u, _) => u.written().to_string(),
        }
    }

    /// Whether a unit written in a file is acceptable here (product units are checked in lowering).
    pub fn accepts(self, written: &str) -> bool {
        let money = written.split_once('/').filter(|(c, _)| is_currency(c));
        match self {
            Unit::Usd => is_currency(written),
            Unit::UsdPerYear => money.is_some_and(|(_, u)| u == "yr"),
            Unit::UsdPerProductUnit => money.is_some_and(|(_, u)| !u.is_empty() && u != "yr"),
            Unit::ExchangeRate => money.is_some_and(|(_, u)| is_currency(u)),
            Unit::ProductUnitPerYear => written.strip_suffix("/yr").is_some_and(|u| !u.is_empty()),
            Unit::Any => true,
            Unit::Fraction => written == "fraction",
            u => written == u.written(),
        }
    }
}

/// How a map keyed by product ids names its key: its entries count in that product's unit.
pub const PRODUCT_KEY: &str = "<product-id>";

/// How a map keyed by currency codes names its key (its keys are ISO codes, not ids).
pub const CURRENCY_KEY: &str = "<ISO code>";

/// Whether `s` is written as an ISO 4217 currency code: three capital ASCII letters.
pub fn is_currency(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase())
}

const fn q(unit: Unit, min: f64, max: f64) -> Ty {
    Ty::Quantity(Q { unit, min, max, uncertain: true, series: false, by_age: false })
}
const fn q_fixed(unit: Unit, min: f64, max: f64) -> Ty {
    Ty::Quantity(Q { unit, min, max, uncertain: false, series: false, by_age: false })
}
/// A quantity that may also be a year-by-year series.
const fn q_series(unit: Unit, min: f64, max: f64) -> Ty {
    Ty::Quantity(Q { unit, min, max, uncertain: true, series: true, by_age: false })
}

/// A quantity that may also be a schedule by production year.
const fn q_by_age(unit: Unit, min: f64, max: f64) -> Ty {
    Ty::Quantity(Q { unit, min, max, uncertain: true, series: false, by_age: true })
}

/// Largest amount of money a field accepts: far above any real project, far below overflow.
pub const MAX_USD: f64 = 1e14;
const FRACTION: Ty = q(Unit::Fraction, 0.0, 1.0);
const RATE: Ty = q(Unit::FractionPerYear, -0.5, 1.0);
const DISCOUNT: Ty = q(Unit::FractionPerYear, -0.05, 1.0);

const METADATA: &[Field] = &[
    Field {
        key: "name",
        ty: Ty::Str,
        req: Req::Required,
        doc: "Short identifier of the scenario, e.g. `ukraine-final-2025`.",
    },
    Field {
        key: "title",
        ty: Ty::Str,
        req: Req::Optional,
        doc: "One-line title shown in reports.",
    },
    Field {
        key: "description",
        ty: Ty::Str,
        req: Req::Optional,
        doc: "What the scenario represents and what it leaves out.",
    },
];

const TIME: &[Field] = &[
    Field {
        key: "start-year",
        ty: Ty::Count { min: 1950, max: 2200 },
        req: Req::Num(2026.0),
        doc: "First simulated year. What is known before it (licences awarded, tenders won, deposits captured) is the initial state.",
    },
    Field {
        key: "horizon-years",
        ty: Ty::Count { min: 1, max: 200 },
        req: Req::Num(50.0),
        doc: "Number of simulated years.",
    },
    Field {
        key: "base-year",
        ty: Ty::Count { min: 1950, max: 2200 },
        req: Req::Optional,
        doc: "Year whose dollars prices and costs are entered in and real results are reported in. Defaults to `start-year`.",
    },
    Field {
        key: "terminal-value",
        ty: Ty::Enum(&subsoil_core::TerminalValue::NAMES),
        req: Req::Text("none"),
        doc: "What the projects' NPVs count after the horizon: `none` (flows after it are left out; a run warns when projects still run then) or `expected-flows` (each project still running is valued at its remaining free cash flow on the prices expected in the last year, discounted at the valuation rate, as the fund's stakes are). Receipts and the fund are counted within the horizon either way.",
    },
    Field {
        key: "discounting",
        ty: Ty::Enum(&subsoil_core::Discounting::NAMES),
        req: Req::Text("start-of-year"),
        doc: "When in its year a flow is discounted from, for every NPV and present value: `start-of-year` (the first year's flow is not discounted: (1 + r)^-t), `mid-year` ((1 + r)^-(t + 0.5)) or `end-of-year` ((1 + r)^-(t + 1), as a spreadsheet's NPV). Investment decisions do not depend on it (it scales every flow alike).",
    },
];

const MACRO: &[Field] = &[
    Field {
        key: "currency",
        ty: Ty::Str,
        req: Req::Text("USD"),
        doc: "The scenario's currency, an ISO 4217 code (three capital letters): every money field without a `unit`, or with a unit in it (`USD`, `USD/yr`, `USD/<u>` where the currency is USD), is in it, and every money output says it. An amount written in another currency (`unit = \"EUR\"`, `\"EUR/yr\"`, `\"EUR/t\"`) is converted by `exchange-rates`.",
    },
    Field {
        key: "exchange-rates",
        ty: Ty::Map {
            key: CURRENCY_KEY,
            value: &Ty::Quantity(Q {
                unit: Unit::ExchangeRate,
                min: 1e-9,
                max: 1e9,
                uncertain: false,
                series: true,
                by_age: false,
            }),
        },
        req: Req::Optional,
        doc: "Units of each other currency per unit of the scenario's currency: one fixed rate or a path by calendar year (`unit = \"EUR/USD\"`). An amount written in that currency is divided by it: an amount by calendar year (a price deck, a stream) at each year's rate, any other (real base-year money) at the base year's. An amount in another currency must be fixed (a number or a series), not a distribution.",
    },
    Field {
        key: "inflation",
        ty: q_series(Unit::FractionPerYear, -0.5, 1.0),
        req: Req::Num(0.0),
        doc: "Yearly inflation of the scenario's currency; escalates real prices and costs to nominal money. One rate drawn per path, or an inflation path by calendar year (each year's rate from the year before; the index is 1 in the base year; `scale` multiplies every rate). On a path, investors' nominal hurdles and expected price growth take the geometric mean of the path over the simulated years. Formerly `us-inflation`, a name still read as this field.",
    },
    Field {
        key: "uah-per-usd",
        ty: q(Unit::UahPerUsd, 0.01, 1e5),
        req: Req::Optional,
        doc: "Not read by any calculation: accepted so that files written for earlier versions load, and listed with the other quantities written (the built-in data record the hryvnia's rate here with its sources). Amounts in another currency are converted by `exchange-rates`.",
    },
    Field {
        key: "uah-depreciation",
        ty: RATE,
        req: Req::Optional,
        doc: "Not read by any calculation, and no uncertain input even when written as a distribution: accepted so that files written for earlier versions load. Another currency's rate by year is given in `exchange-rates`.",
    },
    Field {
        key: "gdp",
        ty: q(Unit::Usd, 1e6, MAX_USD),
        req: Req::Optional,
        doc: "The host country's nominal GDP in the base year, for ratios such as payments as a share of GDP (at least $1m: shares of GDP divide by it).",
    },
    Field {
        key: "gdp-real-growth",
        ty: RATE,
        req: Req::Num(0.0),
        doc: "Real GDP growth per year.",
    },
];

const RATES: &[Field] = &[
    Field {
        key: "investor-base",
        ty: DISCOUNT,
        req: Req::Required,
        doc: "Real base hurdle rate of private mining investors, before country risk.",
    },
    Field {
        key: "country-risk-premium-war",
        ty: DISCOUNT,
        req: Req::Num(0.0),
        doc: "Premium added to the hurdle while the war lasts.",
    },
    Field {
        key: "country-risk-premium-postwar",
        ty: DISCOUNT,
        req: Req::Num(0.0),
        doc: "Premium in the first `postwar-years` after a ceasefire; never in a scenario without `[conflict]`, which has no war to end.",
    },
    Field {
        key: "country-risk-premium-peace",
        ty: DISCOUNT,
        req: Req::Num(0.0),
        doc: "Premium in lasting peace: after the post-war years, and from the first year in a scenario without `[conflict]` (a country at peace throughout).",
    },
    Field {
        key: "postwar-years",
        ty: Ty::Count { min: 0, max: 100 },
        req: Req::Num(5.0),
        doc: "Years after a ceasefire at the post-war premium.",
    },
    Field {
        key: "valuation",
        ty: DISCOUNT,
        req: Req::Required,
        doc: "Real rate of the NPVs subsoil reports. It carries no premium for the risks the scenario models in the cash flows (prices, delays, and war, occupation and damage where `[conflict]` gives them).",
    },
    Field {
        key: "partner-discount",
        ty: DISCOUNT,
        req: Req::Optional,
        doc: "Real rate at which the deal's partner discounts what it receives (its present values); the valuation rate when not given. Formerly `us-discount`, a name still read as this field.",
    },
];

const FISCAL: &[Field] = &[
    Field {
        key: "cit-rate",
        ty: FRACTION,
        req: Req::Required,
        doc: "Corporate income tax rate on taxable profit.",
    },
    Field {
        key: "depreciation-years",
        ty: Ty::Count { min: 1, max: 60 },
        req: Req::Num(10.0),
        doc: "Years of straight-line tax depreciation of capital spending.",
    },
    Field {
        key: "psa-cost-recovery-limit",
        ty: FRACTION,
        req: Req::Optional,
        doc: "Under a PSA, the most of each year's revenue after royalty that may go to cost recovery.",
    },
    Field {
        key: "psa-state-share",
        ty: FRACTION,
        req: Req::Optional,
        doc: "Under a PSA, the state's share of profit production.",
    },
    Field {
        key: "licence-fee",
        ty: q(Unit::Usd, 0.0, MAX_USD),
        req: Req::Num(0.0),
        doc: "Fee (auction price) paid for a licence awarded during the simulation, where a project gives none.",
    },
    Field {
        key: "rent-change-hazard",
        ty: q(Unit::PerYear, 0.0, 10.0),
        req: Req::Optional,
        doc: "Yearly hazard that the royalty (rent) rates change. Each year a change happens with probability 1 − e^(−hazard) (drawn on the stream `fiscal.rent-changes`); from the next year on, every royalty rate of a project that is not `stabilised` is the rate of the scenario's law (its `royalty-rate`) times `rent-change-factor` (a rise, with probability `rent-change-up`) or divided by it (a cut), until the next change: the regime moves between these two levels, it does not drift. A rate never exceeds 1. Without it the rates never change.",
    },
    Field {
        key: "rent-change-factor",
        ty: q(Unit::Ratio, 1.0, 100.0),
        req: Req::Optional,
        doc: "Size of a change of the royalty rates, drawn once per path (every change on a path has this size); required with `rent-change-hazard`.",
    },
    Field {
        key: "rent-change-up",
        ty: FRACTION,
        req: Req::Num(0.5),
        doc: "Probability that a change of the royalty rates is a rise rather than a cut.",
    },
];

const DOMINANT: &[Field] = &[
    Field {
        key: "flood-probability",
        ty: q(Unit::PerYear, 0.0, 10.0),
        req: Req::Num(0.0),
        doc: "Yearly hazard of a supply flood by the dominant producer (a probability of 1 − e^−h each year with no episode running).",
    },
    Field {
        key: "flood-drop",
        ty: FRACTION,
        req: Req::Num(0.0),
        doc: "Fall of the price during a flood.",
    },
    Field {
        key: "flood-years",
        ty: q(Unit::Years, 0.0, 20.0),
        req: Req::Num(0.0),
        doc: "Duration of a flood.",
    },
    Field {
        key: "export-control-probability",
        ty: q(Unit::PerYear, 0.0, 10.0),
        req: Req::Num(0.0),
        doc: "Yearly hazard of export controls, which raise prices outside the dominant producer's market (a probability of 1 − e^−h each year with no episode running).",
    },
    Field {
        key: "export-control-jump",
        ty: q(Unit::Fraction, 0.0, 20.0),
        req: Req::Num(0.0),
        doc: "Rise of the price outside the dominant producer's market (0.5 = +50%).",
    },
    Field {
        key: "export-control-years",
        ty: q(Unit::Years, 0.0, 20.0),
        req: Req::Num(0.0),
        doc: "Duration of export controls.",
    },
    Field {
        key: "cut-threshold",
        ty: FRACTION,
        req: Req::Num(1.0),
        doc: "Share of world supply from the scenario's new projects that provokes a targeted price cut.",
    },
    Field {
        key: "cut-probability",
        ty: FRACTION,
        req: Req::Num(0.0),
        doc: "Probability that the dominant producer cuts prices once the threshold is passed.",
    },
    Field {
        key: "cut-size",
        ty: FRACTION,
        req: Req::Num(0.0),
        doc: "Fall of the price during a targeted cut.",
    },
    Field {
        key: "cut-years",
        ty: q(Unit::Years, 0.0, 20.0),
        req: Req::Num(0.0),
        doc: "Duration of a targeted cut.",
    },
];

const PRODUCT: &[Field] = &[
    Field {
        key: "name",
        ty: Ty::Str,
        req: Req::Required,
        doc: "What exactly is sold, e.g. `Lithium: spodumene concentrate (SC6)`.",
    },
    Field {
        key: "unit",
        ty: Ty::Str,
        req: Req::Required,
        doc: "Unit of quantity (`t`, `lb`, `oz`, `kcm` …); prices are `USD/<unit>`, capacities `<unit>/yr`.",
    },
    Field {
        key: "price",
        ty: q_series(Unit::UsdPerProductUnit, 1e-9, 1e12),
        req: Req::Required,
        doc: "Price in the start year, real base-year dollars; or by year, a price deck (see `long-run`).",
    },
    Field {
        key: "long-run",
        ty: q(Unit::UsdPerProductUnit, 1e-9, 1e12),
        req: Req::Optional,
        doc: "Long-run price level: the median of the stationary distribution. When uncertain, each path draws its own level while investors expect the median. Required unless `price` is a deck by year: a product on a deck has its median real price each year from the deck, its shocks revert to the deck, and the deck's `scale` is the path's long-run factor (investors expect its median).",
    },
    Field {
        key: "volatility",
        ty: q(Unit::LogPerSqrtYear, 0.0, 5.0),
        req: Req::Num(0.0),
        doc: "Volatility of the log price.",
    },
    Field {
        key: "half-life",
        ty: q(Unit::Years, 0.01, 1e4),
        req: Req::Num(1e4),
        doc: "Half-life of mean reversion of the log price (a very long half-life is a random walk).",
    },
    Field {
        key: "long-run-p95-p5-max",
        ty: q_fixed(Unit::Ratio, 1.0, 1e6),
        req: Req::Optional,
        doc: "The widest spread the product's real price may have far ahead: the most its P95 may be over its P5 across paths in a year long after the start, when the start price no longer matters. A documented fact about the product (for example the highest over the lowest real annual average price over a long history), not a mechanism: no path uses it; the engine's tests check the simulated spread against it.",
    },
    Field {
        key: "royalty-rate",
        ty: q_series(Unit::Fraction, 0.0, 1.0),
        req: Req::Required,
        doc: "The host country's royalty (subsoil rent) on the value of output; or by year, the rate of each calendar year (a legislated schedule; its `scale` multiplies every year's rate on a path). Investors value a plan at the start year's rate; each year's production pays that year's.",
    },
    Field {
        key: "world-supply",
        ty: q(Unit::ProductUnitPerYear, 0.0, 1e15),
        req: Req::Optional,
        doc: "World supply per year, for the dominant producer's reaction to new supply.",
    },
    Field {
        key: "dominant-producer-share",
        ty: FRACTION,
        req: Req::Optional,
        doc: "Share of world supply of the dominant producer.",
    },
    Field {
        key: "dominant-producer",
        ty: Ty::Table(DOMINANT),
        req: Req::Optional,
        doc: "How the dominant producer may move the price.",
    },
];

const CORRELATION: &[Field] = &[
    Field { key: "a", ty: Ty::Str, req: Req::Required, doc: "A product id." },
    Field { key: "b", ty: Ty::Str, req: Req::Required, doc: "Another product id." },
    Field {
        key: "rho",
        ty: q_fixed(Unit::Fraction, -1.0, 1.0),
        req: Req::Required,
        doc: "Rank correlation of the two products' yearly log-price shocks.",
    },
];

/// A deposit written in the scenario file.
const SITE: &[Field] = &[
    Field {
        key: "name",
        ty: Ty::Str,
        req: Req::Optional,
        doc: "Display name (defaults to the id).",
    },
    Field {
        key: "commodities",
        ty: Ty::Array(&Ty::Str),
        req: Req::Optional,
        doc: "Commodities, e.g. `[\"copper\", \"cobalt\"]`.",
    },
    Field {
        key: "region",
        ty: Ty::Str,
        req: Req::Text("all"),
        doc: "Region the deposit lies in (what `[conflict]` names in its region lists); one region by default.",
    },
    Field {
        key: "stage",
        ty: Ty::Enum(&DataStage::NAMES),
        req: Req::Text("licensed"),
        doc: "Stage at the start.",
    },
    Field {
        key: "control",
        ty: Ty::Enum(&ControlStatus::NAMES),
        req: Req::Text("operable"),
        doc: "Who controls the site: `operable` (work is possible), `contested` (on a front line: no work while a war lasts), `occupied` (no work), `unknown` (drawn from `[conflict.unknown-control]`). `ukraine` and `frontline`, the Ukrainian deposits file's names for `operable` and `contested`, are read too; a deposits file may write either spelling, and listings show the generic one.",
    },
    Field {
        key: "lat",
        ty: q_fixed(Unit::Any, -90.0, 90.0),
        req: Req::Optional,
        doc: "Latitude in degrees, for maps.",
    },
    Field {
        key: "lon",
        ty: q_fixed(Unit::Any, -180.0, 180.0),
        req: Req::Optional,
        doc: "Longitude in degrees, for maps.",
    },
    Field { key: "licence-holder", ty: Ty::Str, req: Req::Optional, doc: "Licence holder." },
    Field {
        key: "source",
        ty: Ty::Str,
        req: Req::Optional,
        doc: "Where the facts about the deposit come from.",
    },
];

const DEPOSITS: &[Field] = &[
    Field {
        key: "file",
        ty: Ty::Str,
        req: Req::Optional,
        doc: "CSV file of deposits, relative to the file that names it (columns in docs/data-format.md: `id`, `name`, `region`, `stage` and `control` are required). Give it, `sites`, or both.",
    },
    Field {
        key: "sites",
        ty: Ty::Map { key: "<deposit-id>", value: &Ty::Table(SITE) },
        req: Req::Optional,
        doc: "Deposits written here rather than in a CSV file (for a scenario of a few projects).",
    },
    Field {
        key: "events-file",
        ty: Ty::Str,
        req: Req::Optional,
        doc: "CSV file of licence events (issued, re-awarded, renewed, psa-signed, revoked, production-start, production-halt).",
    },
    Field {
        key: "boundaries",
        ty: Ty::Str,
        req: Req::Optional,
        doc: "GeoJSON file of the areas the deposits lie in, relative to the file that names it: a FeatureCollection of Polygon or MultiPolygon features, each with a `name` property that the deposits' regions use (the `region` column of a deposits file, `oblast` in Ukraine's; `region` of a site written inline). The report draws its map on it; without it a report has no map.",
    },
    Field {
        key: "boundaries-source",
        ty: Ty::Str,
        req: Req::Optional,
        doc: "Where the boundaries come from and how they were simplified (shown under the map).",
    },
];

const UNKNOWN_CONTROL: &[Field] = &[
    Field {
        key: "operable",
        ty: q_fixed(Unit::Fraction, 0.0, 1.0),
        req: Req::Num(0.5),
        doc: "Probability that a deposit of unknown control is held by the host government away from any front (work is possible).",
    },
    Field {
        key: "contested",
        ty: q_fixed(Unit::Fraction, 0.0, 1.0),
        req: Req::Num(0.25),
        doc: "Probability that it is held but within reach of a front (no work while a war lasts).",
    },
    Field {
        key: "occupied",
        ty: q_fixed(Unit::Fraction, 0.0, 1.0),
        req: Req::Num(0.25),
        doc: "Probability that it is occupied.",
    },
];

const SETTLEMENT: &[Field] = &[
    Field {
        key: "name",
        ty: Ty::Str,
        req: Req::Required,
        doc: "What the outcome is, e.g. `freeze on the line of contact`.",
    },
    Field {
        key: "probability",
        ty: q_fixed(Unit::Fraction, 0.0, 1.0),
        req: Req::Required,
        doc: "Probability of this outcome given a ceasefire (the outcomes' probabilities must sum to 1).",
    },
    Field {
        key: "lost-oblasts",
        ty: Ty::Array(&Ty::Str),
        req: Req::Optional,
        doc: "Regions (as the deposits name them) whose deposits are occupied from the ceasefire on.",
    },
];

const CONFLICT: &[Field] = &[
    Field {
        key: "ceasefire-hazard",
        ty: q(Unit::PerYear, 0.0, 100.0),
        req: Req::Optional,
        doc: "Yearly hazard of a general ceasefire; drawn once per path, so the time to a ceasefire is exponential given the draw. Zero means no ceasefire. Also the hazard of a new ceasefire after renewed war.",
    },
    Field {
        key: "ceasefire-year",
        ty: q(Unit::CalendarYear, 1950.0, 2300.0),
        req: Req::Optional,
        doc: "Instead of the hazard: the (fractional) calendar year of the first ceasefire, e.g. a distribution over years. A year is at war when the ceasefire comes after its middle: 2028.7 means war through 2028 and peace from 2029; 2028.3 means peace from 2028. A year before the start year is a ceasefire in the past: the path starts at peace, its post-war years count from that year (2020.3 for a start in 2026: peace from 2020, so 2026 is its seventh year of peace), it is reported as the ceasefire year, and the first year's chance of a breakdown (`breakdown-first-year`) has passed.",
    },
    Field {
        key: "breakdown-first-year",
        ty: FRACTION,
        req: Req::Num(0.0),
        doc: "Probability that a ceasefire breaks down in its first year; war then resumes with its rules.",
    },
    Field {
        key: "renewed-war-hazard",
        ty: q(Unit::PerYear, 0.0, 10.0),
        req: Req::Num(0.0),
        doc: "Yearly hazard of renewed war after the first year of peace.",
    },
    Field {
        key: "unknown-control",
        ty: Ty::Table(UNKNOWN_CONTROL),
        req: Req::Optional,
        doc: "Probabilities for deposits whose control is `unknown` (they must sum to 1). Fixed values: each path draws the control of each such deposit from them, independently of the others, so the uncertainty is in that draw; for any one deposit a distribution over a probability would act exactly like its mean, so give the mean.",
    },
    Field {
        key: "front-oblasts",
        ty: Ty::Array(&Ty::Str),
        req: Req::Optional,
        doc: "Regions (as the deposits name them) where the front can move while the war lasts.",
    },
    Field {
        key: "creep-hazard",
        ty: q(Unit::PerYear, 0.0, 10.0),
        req: Req::Num(0.0),
        doc: "Yearly hazard, per front region, that the front advances over the region's contested deposits (they are occupied from the next year). One draw per region and year, so neighbouring deposits move together. Deposits further back are not brought within reach of the front (no distances to the line are in the data).",
    },
    Field {
        key: "exposed-oblasts",
        ty: Ty::Array(&Ty::Str),
        req: Req::Optional,
        doc: "Regions (as the deposits name them) where operations face the exposed rate of war damage.",
    },
    Field {
        key: "damage-hazard-exposed",
        ty: q(Unit::PerYear, 0.0, 10.0),
        req: Req::Num(0.0),
        doc: "Yearly hazard of a production-halting strike on an operation in an exposed region while the war lasts (a strike costs the year's output).",
    },
    Field {
        key: "damage-hazard-other",
        ty: q(Unit::PerYear, 0.0, 10.0),
        req: Req::Num(0.0),
        doc: "The same elsewhere in territory the host holds.",
    },
    Field {
        key: "damage-repair",
        ty: q(Unit::Fraction, 0.0, 5.0),
        req: Req::Num(0.0),
        doc: "Repair cost after a strike, as a share of the project's initial capex.",
    },
    Field {
        key: "settlements",
        ty: Ty::Array(&Ty::Table(SETTLEMENT)),
        req: Req::Optional,
        doc: "Settlement outcomes at the first ceasefire; each path draws one.",
    },
];

const LEAKAGE: &[Field] = &[
    Field {
        key: "receipts",
        ty: FRACTION,
        req: Req::Num(0.0),
        doc: "Share of the state's receipts from subsoil use that never reaches the budget or the fund.",
    },
    Field {
        key: "capex-excess",
        ty: q(Unit::Fraction, 0.0, 5.0),
        req: Req::Num(0.0),
        doc: "Capex lost beyond the global overrun statistics (which already contain ordinary procurement losses), as a share of capex.",
    },
];

const SENSITIVITY: &[Field] = &[Field {
    key: "groups",
    ty: Ty::Map { key: "<group-name>", value: &Ty::Array(&Ty::Str) },
    req: Req::Optional,
    doc: "Factors of the variance-based (Sobol) indices: each group is one factor made of every uncertain input and yearly random stream whose name matches one of its patterns (`*` stands for any characters, dots included), e.g. `conflict = [\"conflict.*\", \"oblasts.*\"]` or `capex-overruns = [\"projects.*.capex-overrun\"]`. A name goes to the first group (in file order) that matches it; every pattern must match something. Inputs and streams in no group fall into default factors: one per product (`products.<id>`: its price inputs, shocks and episodes), one per kind of project input across projects (`projects.*.capex-overrun`, `projects.*.events`, …), `conflict` (with the oblasts' fronts) and one per other top-level section; default factors linked by a correlation between inputs or between price shocks are merged into one. `subsoil sensitivity --group NAME=PATTERN,...` adds groups before these. Correlated inputs belong in one group; `subsoil sensitivity` says when declared groups split them.",
}];

const INPUT_CORRELATION: &[Field] = &[
    Field {
        key: "a",
        ty: Ty::Str,
        req: Req::Required,
        doc: "Name of an uncertain input (`subsoil inputs` lists them), e.g. `projects.dobra-lithium.capex-overrun`.",
    },
    Field { key: "b", ty: Ty::Str, req: Req::Required, doc: "Name of another uncertain input." },
    Field {
        key: "rho",
        ty: q_fixed(Unit::Fraction, -1.0, 1.0),
        req: Req::Required,
        doc: "Rank (Spearman) correlation, imposed through a Gaussian copula.",
    },
];

const STAGE: &[Field] = &[
    Field {
        key: "duration",
        ty: q(Unit::Years, 0.0, 100.0),
        req: Req::Required,
        doc: "Years in the stage in peacetime, drawn per project. A stage of d years that starts at the beginning of a year ends d years later, and the next stage starts in the year that contains that moment: d = 1 delays what follows by one year, d = 1.5 also by one (the next stage starts half-way through that year), d = 0 not at all.",
    },
    Field {
        key: "abandon",
        ty: FRACTION,
        req: Req::Num(0.0),
        doc: "Probability that a project is abandoned at the end of the stage.",
    },
];

const STAGES: &[Field] = &[
    Field {
        key: Stage::Identified.name(),
        ty: Ty::Table(STAGE),
        req: Req::Optional,
        doc: "Exploration of an identified occurrence. Without it the stage takes no time and abandons nothing.",
    },
    Field {
        key: Stage::Explored.name(),
        ty: Ty::Table(STAGE),
        req: Req::Optional,
        doc: "Licensing of an explored, unlicensed deposit by auction. Without it the stage takes no time and abandons nothing.",
    },
    Field {
        key: Stage::Tender.name(),
        ty: Ty::Table(STAGE),
        req: Req::Optional,
        doc: "A licence or PSA tender under way. Without it the stage takes no time and abandons nothing.",
    },
    Field {
        key: Stage::Licensed.name(),
        ty: Ty::Table(STAGE),
        req: Req::Optional,
        doc: "Feasibility, permits and financing before an investment decision. Without it the stage takes no time and abandons nothing (a licensing flow's `lag` gives its projects' time in the stage; `abandon` here still applies to them).",
    },
    Field {
        key: "war-licensing-slowdown",
        ty: q(Unit::Ratio, 1.0, 100.0),
        req: Req::Num(1.0),
        doc: "Licensing (explored and tender stages) takes this many times longer while the war lasts.",
    },
];

const UNCERTAINTY: &[Field] = &[
    Field {
        key: "capex-overrun",
        ty: q(Unit::Ratio, 0.1, 20.0),
        req: Req::Num(1.0),
        doc: "As-built capex over plan, drawn per project (shifted lognormal in the literature).",
    },
    Field {
        key: "opex-multiplier",
        ty: q(Unit::Ratio, 0.1, 20.0),
        req: Req::Num(1.0),
        doc: "Operating cost over plan, drawn per project.",
    },
    Field {
        key: "production-factor",
        ty: q(Unit::Ratio, 0.0, 5.0),
        req: Req::Num(1.0),
        doc: "Output over plan, drawn per project (not for operations producing at the start, whose output is measured).",
    },
    Field {
        key: "schedule-slip",
        ty: q(Unit::Fraction, 0.0, 10.0),
        req: Req::Num(0.0),
        doc: "Construction slower than plan, as a share of planned years (0.25 = a quarter longer), drawn per project.",
    },
];

const PARTY: &[Field] = &[
    Field { key: "name", ty: Ty::Str, req: Req::Required, doc: "Display name." },
    Field {
        key: "host",
        ty: Ty::Bool,
        req: Req::Text("false"),
        doc: "Whether this is the host state: its budget receives the receipts and pays the contributions, which credit its capital account.",
    },
];

const CONTRIBUTION: &[Field] = &[
    Field {
        key: "stream",
        ty: Ty::Str,
        req: Req::Required,
        doc: "Which receipts: `royalty`, `psa-state-share`, `licence-fees`, `corporate-tax`, `resource-revenue` (royalty + PSA state share + licence fees), the id of an exogenous stream of `[streams]` (a state's port dividends, a pipeline's transit fees …), whose receiver pays the contributions and is credited with them, or `dividends`: the `holder`'s `equity-share` of the dividends of `projects`, a project's dividends in a year being the positive part of its free cash flow to its owners (after royalty, PSA state share, corporate tax, capex, sustaining capex, closure and fees; a year of negative free cash flow pays none and is not carried forward), as the fund's own stakes receive; the holder pays the contributions and is credited with them.",
    },
    Field {
        key: "receipts",
        ty: Ty::Enum(&ReceiptsName::NAMES),
        req: Req::Optional,
        doc: "Receipts from new licences (see `effective-date` and the two switches), existing ones, or all. Required for the state's receipts; an exogenous stream has no licences and takes none.",
    },
    Field {
        key: "share",
        ty: q_series(Unit::Fraction, 0.0, 1.0),
        req: Req::Required,
        doc: "Share paid into the fund; by year, a schedule (e.g. 0.05, 0.05, 0.05, 0, 0, 0.03 with `outside = \"hold-last\"`: 3% after).",
    },
    Field {
        key: "net-of-operating-expenses",
        ty: FRACTION,
        req: Req::Num(0.0),
        doc: "Share of the receipts the state spends operating them, deducted before the share is applied.",
    },
    Field {
        key: "from-year",
        ty: Ty::Count { min: 1950, max: 2300 },
        req: Req::Optional,
        doc: "First year the rule applies.",
    },
    Field {
        key: "until-year",
        ty: Ty::Count { min: 1950, max: 2300 },
        req: Req::Optional,
        doc: "Last year the rule applies.",
    },
    Field {
        key: "cap",
        ty: q(Unit::Usd, 0.0, MAX_USD),
        req: Req::Optional,
        doc: "Cumulative nominal cap of this rule: payments stop exactly at it, in the year it is reached.",
    },
    Field {
        key: "projects",
        ty: Ty::Array(&Ty::Str),
        req: Req::Optional,
        doc: "For `stream = \"dividends\"`: ids of the projects whose dividends the holder receives (required there, refused on other streams).",
    },
    Field {
        key: "holder",
        ty: Ty::Str,
        req: Req::Optional,
        doc: "For `stream = \"dividends\"`: id of the deal party that holds the equity, receives the dividends, pays the contributions from them and is credited with them.",
    },
    Field {
        key: "equity-share",
        ty: FRACTION,
        req: Req::Optional,
        doc: "For `stream = \"dividends\"`: the holder's share of each project's equity (1 for all the owners together).",
    },
    Field {
        key: "above-price",
        ty: Ty::Table(ABOVE_PRICE),
        req: Req::Optional,
        doc: "For `stream = \"dividends\"`: only the part of the dividends earned above a price of one product: each year, per project, its output of `product` times (the product's nominal price − `price`) when positive, at most the project's dividends, times the equity share (the gain from the price above the threshold when costs do not move with it, before payability, royalty and tax on the gain).",
    },
    Field {
        key: "price-link",
        ty: Ty::Table(PRICE_LINK),
        req: Req::Optional,
        doc: "A factor on `share` that follows a product's nominal price in the year: linear between `points`, flat outside them.",
    },
    Field {
        key: "paid-to",
        ty: Ty::Str,
        req: Req::Optional,
        doc: "Id of a deal party paid the rule's contributions directly in the year they come in, outside the waterfall and whatever the lock-up and reserve (money earmarked for it, e.g. a share of profit spent on a host's infrastructure); no capital account is credited. Without it the contributions go into the fund.",
    },
];

const ABOVE_PRICE: &[Field] = &[
    Field { key: "product", ty: Ty::Str, req: Req::Required, doc: "Product id." },
    Field {
        key: "price",
        ty: q(Unit::UsdPerProductUnit, 0.0, 1e12),
        req: Req::Required,
        doc: "The threshold price, nominal dollars per unit of the product (as contracts write it).",
    },
];

const PRICE_LINK: &[Field] = &[
    Field {
        key: "product",
        ty: Ty::Str,
        req: Req::Required,
        doc: "Product id whose nominal price in the year sets the factor.",
    },
    Field {
        key: "points",
        ty: Ty::Array(&Ty::Table(PRICE_POINT)),
        req: Req::Required,
        doc: "At least one point, prices strictly increasing: below the first price the first value, above the last the last value, linear in between (e.g. 0 at 5,200 and 1 at 8,000: nothing below $5,200/t, all above $8,000/t).",
    },
];

const PRICE_POINT: &[Field] = &[
    Field {
        key: "price",
        ty: q_fixed(Unit::UsdPerProductUnit, 0.0, 1e12),
        req: Req::Required,
        doc: "Nominal price per unit of the product.",
    },
    Field {
        key: "value",
        ty: q_fixed(Unit::Fraction, 0.0, 1.0),
        req: Req::Required,
        doc: "The factor at that price, from 0 to 1.",
    },
];

const STREAM: &[Field] = &[
    Field { key: "name", ty: Ty::Str, req: Req::Optional, doc: "Display name." },
    Field {
        key: "amount",
        ty: q_series(Unit::UsdPerYear, 0.0, MAX_USD),
        req: Req::Required,
        doc: "The money received each year: a by-year series (or one amount every year), with its `unit` and `source`; its `scale` shifts the whole series on a path. Contribution rules take no leakage off it.",
    },
    Field {
        key: "growth",
        ty: RATE,
        req: Req::Num(0.0),
        doc: "Growth of the amount per year, compounded from the first year of its series (the first simulated year for one amount): year Y receives the amount of Y times (1 + growth)^(Y - first year). Real growth when `dollars = \"real\"`, nominal growth when nominal.",
    },
    Field {
        key: "dollars",
        ty: Ty::Enum(&Dollars::NAMES),
        req: Req::Text("nominal"),
        doc: "Whether the amounts are nominal dollars of each year, as contracts write them, or real base-year dollars escalated with the path's inflation.",
    },
    Field {
        key: "receiver",
        ty: Ty::Str,
        req: Req::Optional,
        doc: "Id of the deal party that receives the stream; it pays the contributions from it and its capital account is credited with them. The host party when left out.",
    },
];

const CASH: &[Field] = &[
    Field { key: "party", ty: Ty::Str, req: Req::Required, doc: "Paying party's id." },
    Field {
        key: "year",
        ty: Ty::Count { min: 1950, max: 2300 },
        req: Req::Required,
        doc: "Year paid (amounts before the first simulated year are the fund's initial state).",
    },
    Field {
        key: "amount",
        ty: q(Unit::Usd, 0.0, MAX_USD),
        req: Req::Required,
        doc: "Amount, nominal dollars; credits the payer's capital account.",
    },
];

const CREDIT: &[Field] = &[
    Field { key: "party", ty: Ty::Str, req: Req::Required, doc: "Credited party's id." },
    Field {
        key: "from-year",
        ty: Ty::Count { min: 1950, max: 2300 },
        req: Req::Required,
        doc: "First year credited.",
    },
    Field {
        key: "until-year",
        ty: Ty::Count { min: 1950, max: 2300 },
        req: Req::Required,
        doc: "Last year credited (the same as `from-year` for a one-off credit).",
    },
    Field {
        key: "per-year",
        ty: q(Unit::Usd, 0.0, MAX_USD),
        req: Req::Required,
        doc: "Amount credited each year, nominal dollars; drawn once per path. Brings no cash.",
    },
    Field {
        key: "price-link",
        ty: Ty::Table(PRICE_LINK),
        req: Req::Optional,
        doc: "A factor on `per-year` that follows a product's nominal price in the year credited (credits dated before the first simulated year take that year's price): linear between `points`, flat outside them.",
    },
    Field {
        key: "what",
        ty: Ty::Str,
        req: Req::Optional,
        doc: "What is credited, e.g. `new military aid`.",
    },
];

const FUND: &[Field] = &[
    Field {
        key: "invests-in",
        ty: Ty::Enum(&InvestsIn::NAMES),
        req: Req::Text("new-projects"),
        doc: "Which projects the fund may co-invest in: those whose receipts are new, or any.",
    },
    Field {
        key: "products",
        ty: Ty::Array(&Ty::Str),
        req: Req::Optional,
        doc: "Only projects with one of these products qualify (all when omitted).",
    },
    Field {
        key: "equity-cap",
        ty: FRACTION,
        req: Req::Required,
        doc: "Most of a project's equity the fund takes.",
    },
    Field {
        key: "reserve",
        ty: q(Unit::Usd, 0.0, MAX_USD),
        req: Req::Num(0.0),
        doc: "Cash the fund keeps (real base-year dollars); only cash above it is invested or distributed.",
    },
    Field {
        key: "rate",
        ty: q(Unit::FractionPerYear, -0.05, 1.0),
        req: Req::Required,
        doc: "The fund's required real return; a project's hurdle is the blend of it and the private hurdle by the fund's share.",
    },
];

const FUND_CASH: &[Field] = &[
    Field {
        key: "interest-rate",
        ty: q(Unit::FractionPerYear, -0.1, 1.0),
        req: Req::Num(0.0),
        doc: "Yearly rate the fund's cash earns: on the cash held at the start of the year (the end of the previous one, after its payouts), credited at the end of the year before the waterfall, so it counts toward what is paid out; amounts paid in or out during the year earn nothing that year. 0 by default: cash earns nothing.",
    },
    Field {
        key: "interest-basis",
        ty: Ty::Enum(&RateBasis::NAMES),
        req: Req::Text("nominal"),
        doc: "Whether `interest-rate` is nominal, as contracts write rates, or real (the cash also keeps pace with the path's inflation: each year it grows by (1 + rate) × the year's inflation factor).",
    },
    Field {
        key: "after-lock-up",
        ty: Ty::Enum(&AfterLockUp::NAMES),
        req: Req::Text("all-above-reserve"),
        doc: "What the fund pays out each year from the lock-up year on: `all-above-reserve` sends all cash above the reserve and what it still owes on its commitments down the tiers; `retain` keeps cash for co-investment, paying out only what is above the reserve, the commitments and `retain-up-to` (nothing without it).",
    },
    Field {
        key: "retain-up-to",
        ty: q(Unit::Usd, 0.0, MAX_USD),
        req: Req::Optional,
        doc: "With `after-lock-up = \"retain\"`: most cash kept for co-investment beyond the reserve and the commitments (real base-year dollars, as the reserve); omitted, the fund keeps everything.",
    },
];

const TIER: &[Field] = &[
    Field {
        key: "kind",
        ty: Ty::Enum(&TierKind::NAMES),
        req: Req::Required,
        doc: "`return-capital`: all to `party` until its capital plus `hurdle` a year is returned; `pro-rata`: split by capital accounts; `rest`: everything left to `party`.",
    },
    Field {
        key: "party",
        ty: Ty::Str,
        req: Req::Optional,
        doc: "Party id (return-capital and rest).",
    },
    Field {
        key: "hurdle",
        ty: q(Unit::FractionPerYear, 0.0, 1.0),
        req: Req::Num(0.0),
        doc: "Yearly return on capital (return-capital), from the year each amount was credited.",
    },
    Field {
        key: "compounding",
        ty: Ty::Enum(&Compounding::NAMES),
        req: Req::Text("compound"),
        doc: "Whether the hurdle compounds.",
    },
    Field {
        key: "cap",
        ty: q(Unit::Usd, 0.0, MAX_USD),
        req: Req::Optional,
        doc: "Most paid under this tier, cumulative nominal.",
    },
];

const DEAL: &[Field] = &[
    Field { key: "name", ty: Ty::Str, req: Req::Optional, doc: "Name of the deal version." },
    Field {
        key: "effective-date",
        ty: Ty::Date,
        req: Req::Required,
        doc: "The deal's effective date: receipts from licences issued or re-awarded on or after it are new.",
    },
    Field {
        key: "renewals-count-as-new",
        ty: Ty::Bool,
        req: Req::Text("false"),
        doc: "Whether a licence renewed on or after the effective date counts as new.",
    },
    Field {
        key: "unexploited-count-as-new",
        ty: Ty::Bool,
        req: Req::Text("false"),
        doc: "Whether a licence issued before the effective date and never brought into production by then counts as new (an operation that had produced and was halted on the effective date is a restart, not unexploited).",
    },
    Field {
        key: "restarts-count-as-new",
        ty: Ty::Bool,
        req: Req::Text("false"),
        doc: "Whether a licence issued before the effective date whose operation had produced but was halted on that date counts as new when it restarts.",
    },
    Field {
        key: "parties",
        ty: Ty::Map { key: "<party-id>", value: &Ty::Table(PARTY) },
        req: Req::Optional,
        doc: "Parties to the fund (at least the host state and a partner); without parties the scenario has no fund.",
    },
    Field {
        key: "partner",
        ty: Ty::Str,
        req: Req::Optional,
        doc: "Id of the party whose receipts the headline questions are about (the aid giver or lender); defaults to the first non-host party.",
    },
    Field {
        key: "contributions",
        ty: Ty::Array(&Ty::Table(CONTRIBUTION)),
        req: Req::Optional,
        doc: "Rules moving shares of the host's receipts into the fund.",
    },
    Field {
        key: "contribution-cap",
        ty: q(Unit::Usd, 0.0, MAX_USD),
        req: Req::Optional,
        doc: "Cumulative nominal cap on all contributions from receipts together (e.g. the February draft's $500bn).",
    },
    Field {
        key: "allow-shares-above-one",
        ty: Ty::Bool,
        req: Req::Text("false"),
        doc: "Whether contribution rules may together take more than all of a stream: by default, rules whose shares (at the top of their ranges, net of the least operating expenses) add up past 1 on one stream, receipts and year are an error; `true` accepts them on purpose (the fund is then paid more than the host receives).",
    },
    Field {
        key: "cash",
        ty: Ty::Array(&Ty::Table(CASH)),
        req: Req::Optional,
        doc: "Scheduled cash contributions.",
    },
    Field {
        key: "credits",
        ty: Ty::Array(&Ty::Table(CREDIT)),
        req: Req::Optional,
        doc: "Capital-account credits that bring no cash (counted military aid, past aid).",
    },
    Field {
        key: "fund",
        ty: Ty::Table(FUND),
        req: Req::Optional,
        doc: "How the fund invests; without it the fund only collects and distributes.",
    },
    Field {
        key: "fund-cash",
        ty: Ty::Table(FUND_CASH),
        req: Req::Optional,
        doc: "The fund's cash: the rate it earns and what the fund pays out after the lock-up; without it cash earns nothing and everything above the reserve and commitments is paid out.",
    },
    Field {
        key: "lock-up-until",
        ty: Ty::Count { min: 1950, max: 2300 },
        req: Req::Optional,
        doc: "No distribution before this year.",
    },
    Field {
        key: "tiers",
        ty: Ty::Array(&Ty::Table(TIER)),
        req: Req::Optional,
        doc: "Distribution waterfall, paid in order each year from the cash above the reserve and above what the fund still owes on its commitments; without tiers the fund keeps everything.",
    },
    Field {
        key: "target",
        ty: q(Unit::Usd, 0.0, MAX_USD),
        req: Req::Optional,
        doc: "The deal's target for the partner's cumulative receipts (nominal), e.g. $500bn.",
    },
    Field {
        key: "aid-given",
        ty: q(Unit::Usd, 0.0, MAX_USD),
        req: Req::Optional,
        doc: "The aid the partner gave, to compare its cumulative receipts with (nominal).",
    },
];

const PROJECT_PRODUCT: &[Field] = &[
    Field {
        key: "capacity",
        ty: q_by_age(Unit::ProductUnitPerYear, 0.0, 1e15),
        req: Req::Required,
        doc: "Output per year at plateau (for a producing operation: current output; for a decline: initial output), or a schedule by production year that replaces it and the output profile.",
    },
    Field {
        key: "opex",
        ty: q_by_age(Unit::UsdPerProductUnit, 0.0, 1e12),
        req: Req::Num(0.0),
        doc: "Cash operating cost per unit, real base-year dollars (put all site costs on the main product), or a schedule by production year.",
    },
    Field {
        key: "royalty-rate",
        ty: q_series(Unit::Fraction, 0.0, 1.0),
        req: Req::Optional,
        doc: "Royalty rate for this project, overriding the product's (e.g. gas by well vintage); or by year, as the product's `royalty-rate`.",
    },
    Field {
        key: "payable",
        ty: FRACTION,
        req: Req::Num(1.0),
        doc: "Share of the output the buyer pays for (a smelter's payability of metal in concentrate; 1 for a product sold as is). The project's revenue is its net smelter return: payable value less `selling-costs`.",
    },
    Field {
        key: "selling-costs",
        ty: q(Unit::UsdPerProductUnit, 0.0, 1e12),
        req: Req::Num(0.0),
        doc: "Treatment and refining charges and freight per unit of output, real base-year dollars, deducted from the payable value.",
    },
    Field {
        key: "royalty-base",
        ty: Ty::Enum(&RoyaltyBase::NAMES),
        req: Req::Text("gross"),
        doc: "What the royalty is charged on: `gross`, the value of the output at the product's price, or `nsr`, the net smelter return (payable value less selling costs, at least zero).",
    },
];

const PROFILE: &[Field] = &[
    Field {
        key: "kind",
        ty: Ty::Enum(&ProfileKind::NAMES),
        req: Req::Text("ramp-plateau"),
        doc: "`ramp-plateau` for mines, `decline` for gas and oil fields.",
    },
    Field {
        key: "ramp-years",
        ty: Ty::Count { min: 0, max: 30 },
        req: Req::Num(0.0),
        doc: "Years of linear ramp-up to full output (ramp-plateau).",
    },
    Field {
        key: "start-age",
        ty: Ty::Count { min: 0, max: 200 },
        req: Req::Optional,
        doc: "For an operation producing at the start: the year of its profile it is in during the start year (0 = the profile's first year). Without it, a producing operation starts past its ramp-up (`ramp-years`) or at the start of its decline. A drilling programme under way on licences held, whose output rises as yearly cohorts of wells add up, starts at 0.",
    },
    Field {
        key: "ramp-start",
        ty: FRACTION,
        req: Req::Num(1.0),
        doc: "First-year output as a share of capacity (ramp-plateau).",
    },
    Field {
        key: "decline-rate",
        ty: q(Unit::FractionPerYear, 0.0, 1.0),
        req: Req::Num(0.0),
        doc: "Yearly exponential decline of output (decline).",
    },
];

const PSA: &[Field] = &[
    Field {
        key: "cost-recovery-limit",
        ty: FRACTION,
        req: Req::Optional,
        doc: "Overrides the fiscal cost-recovery limit for this PSA.",
    },
    Field {
        key: "state-share",
        ty: FRACTION,
        req: Req::Optional,
        doc: "Overrides the fiscal state share for this PSA.",
    },
];

const PROJECT: &[Field] = &[
    Field {
        key: "deposit",
        ty: Ty::Str,
        req: Req::Required,
        doc: "Id of the deposit (from the deposits file) the project belongs to.",
    },
    Field { key: "name", ty: Ty::Str, req: Req::Optional, doc: "Display name." },
    Field {
        key: "stage",
        ty: Ty::Enum(&Stage::NAMES),
        req: Req::Optional,
        doc: "Stage at the start; defaults to the deposit's stage. `idle`: a licensed operation that has stopped and restarts (after `construction-years`) when the decision rule finds it worth it; it needs no feasibility stage.",
    },
    Field {
        key: "regime",
        ty: Ty::Enum(&RegimeKind::NAMES),
        req: Req::Text("royalty"),
        doc: "Royalty and tax, or a production-sharing agreement.",
    },
    Field {
        key: "stabilised",
        ty: Ty::Bool,
        req: Req::Text("false"),
        doc: "Whether the project's fiscal terms are stabilised (a PSA's stability clause): changes of the royalty rates (`fiscal.rent-change-hazard`) do not reach it; a rate given by year still applies.",
    },
    Field {
        key: "decision",
        ty: Ty::Enum(&Decision::NAMES),
        req: Req::Text("npv"),
        doc: "Investment rule: build when the NPV at the investor's hurdle on the prices expected that year is positive; or always; or never.",
    },
    Field {
        key: "construction-years",
        ty: q(Unit::Years, 0.0, 30.0),
        req: Req::Required,
        doc: "Planned years of construction (rounded to whole years); the capex is spent evenly over them. With 0, the whole capex is spent in the first year, which also produces.",
    },
    Field {
        key: "life-years",
        ty: q(Unit::Years, 0.0, 200.0),
        req: Req::Required,
        doc: "Years of production (for a producing operation: years left from the start year). A fraction is a partial last year: 22.5 is 22 full years and a last year producing half a year's output (with half its sustaining capex).",
    },
    Field {
        key: "capex",
        ty: q(Unit::Usd, 0.0, MAX_USD),
        req: Req::Required,
        doc: "Initial capital cost in the plan, real base-year dollars (0 for a producing operation).",
    },
    Field {
        key: "capex-phasing",
        ty: Ty::Array(&q_fixed(Unit::Fraction, 0.0, 1.0)),
        req: Req::Optional,
        doc: "Share of the initial capex spent in each planned construction year, in order (one share per year of `construction-years`, which must then be fixed; at most 12; summing to 1). Without it the capex is spread evenly. A build that takes longer (schedule slip) spends the same cumulative profile stretched over its years.",
    },
    Field {
        key: "sustaining-capex",
        ty: q(Unit::UsdPerYear, 0.0, MAX_USD),
        req: Req::Num(0.0),
        doc: "Sustaining capital per production year.",
    },
    Field {
        key: "closure-cost",
        ty: q(Unit::Usd, 0.0, MAX_USD),
        req: Req::Num(0.0),
        doc: "Closure and rehabilitation, spent the year after production ends.",
    },
    Field {
        key: "licence-fee",
        ty: q(Unit::Usd, 0.0, MAX_USD),
        req: Req::Optional,
        doc: "Fee for a licence awarded during the simulation; the fiscal default when omitted.",
    },
    Field {
        key: "tax-book-value",
        ty: q(Unit::Usd, 0.0, MAX_USD),
        req: Req::Num(0.0),
        doc: "Undepreciated tax base of existing assets, depreciated from the start year.",
    },
    Field {
        key: "products",
        ty: Ty::Map { key: PRODUCT_KEY, value: &Ty::Table(PROJECT_PRODUCT) },
        req: Req::Required,
        doc: "Products with capacities and unit costs (at most 8).",
    },
    Field {
        key: "profile",
        ty: Ty::Table(PROFILE),
        req: Req::Optional,
        doc: "Output profile over the project's life.",
    },
    Field {
        key: "psa",
        ty: Ty::Table(PSA),
        req: Req::Optional,
        doc: "PSA terms of this project, if `regime = \"psa\"`.",
    },
    Field {
        key: "capex-overrun",
        ty: q(Unit::Ratio, 0.1, 20.0),
        req: Req::Optional,
        doc: "Overrides `[uncertainty] capex-overrun` for this project.",
    },
    Field {
        key: "opex-multiplier",
        ty: q(Unit::Ratio, 0.1, 20.0),
        req: Req::Optional,
        doc: "Overrides `[uncertainty] opex-multiplier`.",
    },
    Field {
        key: "production-factor",
        ty: q(Unit::Ratio, 0.0, 5.0),
        req: Req::Optional,
        doc: "Overrides `[uncertainty] production-factor`.",
    },
    Field {
        key: "schedule-slip",
        ty: q(Unit::Fraction, 0.0, 10.0),
        req: Req::Optional,
        doc: "Overrides `[uncertainty] schedule-slip`.",
    },
    Field {
        key: "analog",
        ty: Ty::Str,
        req: Req::Optional,
        doc: "Id of the analog study (data/analogs.toml) the figures were scaled from; shown in reports.",
    },
];

/// The project a developed permit of a licensing flow becomes: a project's economics without a deposit
/// or a starting stage (it starts licensed, with its flow's `lag` to go before the investment decision).
const FLOW_PROJECT: &[Field] = &[
    Field {
        key: "regime",
        ty: Ty::Enum(&["royalty", "psa"]),
        req: Req::Text("royalty"),
        doc: "Royalty and tax, or a production-sharing agreement (its terms in `psa` or the `[fiscal]` defaults).",
    },
    Field {
        key: "decision",
        ty: Ty::Enum(&["npv", "always", "never"]),
        req: Req::Text("npv"),
        doc: "Investment rule, as for a project.",
    },
    Field {
        key: "construction-years",
        ty: q(Unit::Years, 0.0, 30.0),
        req: Req::Required,
        doc: "Planned years of construction, as for a project.",
    },
    Field {
        key: "life-years",
        ty: q(Unit::Years, 0.0, 200.0),
        req: Req::Required,
        doc: "Years of production, as for a project.",
    },
    Field {
        key: "capex",
        ty: q(Unit::Usd, 0.0, MAX_USD),
        req: Req::Required,
        doc: "Initial capital cost of one developed permit, real base-year dollars.",
    },
    Field {
        key: "sustaining-capex",
        ty: q(Unit::UsdPerYear, 0.0, MAX_USD),
        req: Req::Num(0.0),
        doc: "Sustaining capital per production year.",
    },
    Field {
        key: "closure-cost",
        ty: q(Unit::Usd, 0.0, MAX_USD),
        req: Req::Num(0.0),
        doc: "Closure and rehabilitation, spent the year after production ends.",
    },
    Field {
        key: "products",
        ty: Ty::Map { key: PRODUCT_KEY, value: &Ty::Table(PROJECT_PRODUCT) },
        req: Req::Required,
        doc: "Products with capacities and unit costs (at most 8).",
    },
    Field {
        key: "profile",
        ty: Ty::Table(PROFILE),
        req: Req::Optional,
        doc: "Output profile over the project's life.",
    },
    Field {
        key: "psa",
        ty: Ty::Table(PSA),
        req: Req::Optional,
        doc: "PSA terms, if `regime = \"psa\"`.",
    },
    Field {
        key: "analog",
        ty: Ty::Str,
        req: Req::Optional,
        doc: "Id of the analog study (data/analogs.toml) or class the figures come from.",
    },
];

/// A yearly flow of new permits of one kind (`[[licensing-flows]]`).
const LICENSING_FLOW: &[Field] = &[
    Field {
        key: "id",
        ty: Ty::Str,
        req: Req::Required,
        doc: "Identifier (lowercase letters, digits and dashes, unique among the flows); names the flow's inputs (`licensing-flows.<id>.…`), streams and projects.",
    },
    Field { key: "name", ty: Ty::Str, req: Req::Optional, doc: "Display name." },
    Field {
        key: "region",
        ty: Ty::Str,
        req: Req::Required,
        doc: "Region (as the deposits name them: a deposits file's `region` column, or an inline site's `region`) whose control, front, settlements and war damage the flow's projects share; they start operable. No permits are awarded in a year the region cannot be worked (occupied, or contested during war).",
    },
    Field {
        key: "first-year",
        ty: Ty::Count { min: 1800, max: 3000 },
        req: Req::Optional,
        doc: "First calendar year in which permits are awarded; the start year when omitted. Years outside the simulated ones are not run.",
    },
    Field {
        key: "last-year",
        ty: Ty::Count { min: 1800, max: 3000 },
        req: Req::Optional,
        doc: "Last calendar year in which permits are awarded; the last simulated year when omitted.",
    },
    Field {
        key: "permits-per-year",
        ty: q(Unit::PerYear, 0.0, 500.0),
        req: Req::Required,
        doc: "Mean number of permits awarded a year while the war lasts (at peace when the scenario has no `[conflict]`). Drawn once per path; each year's count is Poisson with this mean (times `peace-multiplier` in a year of peace).",
    },
    Field {
        key: "peace-multiplier",
        ty: q(Unit::Ratio, 0.0, 10.0),
        req: Req::Num(1.0),
        doc: "Factor on the mean count in years of peace.",
    },
    Field {
        key: "max-permits-per-year",
        ty: Ty::Count { min: 1, max: 1000 },
        req: Req::Required,
        doc: "Most permits counted in one year; a count above it is clamped. Lowering refuses a maximum that the count would pass with probability above 0.1% at the largest mean.",
    },
    Field {
        key: "fee",
        ty: q(Unit::Usd, 0.0, MAX_USD),
        req: Req::Required,
        doc: "Fee (auction price or statutory fee) paid for each permit in the year of its award, real; a new receipt. Drawn once per path.",
    },
    Field {
        key: "production-probability",
        ty: FRACTION,
        req: Req::Required,
        doc: "Probability that a permit is developed: it becomes a project that goes on through `lag`, the investment decision, construction and production like any other; the others pay their fee only. Each year's number developed is binomial in that year's count.",
    },
    Field {
        key: "max-projects-per-year",
        ty: Ty::Count { min: 1, max: 200 },
        req: Req::Required,
        doc: "Most permits developed in one year (the flow's pool holds this many projects per year of the flow); a number above it is clamped. Lowering refuses a maximum passed with probability above 0.1% at the largest mean and probability.",
    },
    Field {
        key: "lag",
        ty: q(Unit::Years, 0.0, 50.0),
        req: Req::Required,
        doc: "Years from the start of the year after the award to readiness for the investment decision (exploration, feasibility, permitting): the developed project's `licensed` stage, during which it may be abandoned with `[stages.licensed] abandon` and which waits while its region cannot be worked.",
    },
    Field {
        key: "project",
        ty: Ty::Table(FLOW_PROJECT),
        req: Req::Required,
        doc: "Economics of one developed permit (the same for every permit of the flow; they differ in award year, timing, war damage and abandonment). Its uncertainties are the `[uncertainty]` defaults, drawn once per flow and path.",
    },
];

/// A lever: a named list of `--set` overrides that a page (or a reader) can pull as one.
pub const LEVER: &[Field] = &[
    Field {
        key: "label",
        ty: Ty::Str,
        req: Req::Required,
        doc: "What pulling the lever means, in words (shown next to its switch).",
    },
    Field {
        key: "group",
        ty: Ty::Str,
        req: Req::Optional,
        doc: "Levers of the same group are alternatives (cases of one question): at most one of them is pulled at a time.",
    },
    Field {
        key: "set",
        ty: Ty::Array(&Ty::Str),
        req: Req::Required,
        doc: "The overrides the lever stands for, each `path=value` as `--set` takes it; pulling the lever is the same as giving them with `--set`, in this order, before any other.",
    },
];

/// Sections of a scenario, in the order the reference lists them.
pub const ROOT: &[Field] = &[
    Field {
        key: "metadata",
        ty: Ty::Table(METADATA),
        req: Req::Required,
        doc: "Name and description.",
    },
    Field { key: "time", ty: Ty::Table(TIME), req: Req::Optional, doc: "Simulated years." },
    Field {
        key: "macro",
        ty: Ty::Table(MACRO),
        req: Req::Optional,
        doc: "Inflation, exchange rate and GDP.",
    },
    Field {
        key: "rates",
        ty: Ty::Table(RATES),
        req: Req::Required,
        doc: "Hurdle, valuation and partner discount rates (real).",
    },
    Field {
        key: "fiscal",
        ty: Ty::Table(FISCAL),
        req: Req::Required,
        doc: "The host country's fiscal regime for subsoil use.",
    },
    Field {
        key: "reference",
        ty: Ty::Map { key: "<fact-id>", value: &q(Unit::Any, f64::NEG_INFINITY, f64::INFINITY) },
        req: Req::Optional,
        doc: "Named facts that outputs and claims compare against (aid totals, official revenue figures …).",
    },
    Field {
        key: "products",
        ty: Ty::Map { key: PRODUCT_KEY, value: &Ty::Table(PRODUCT) },
        req: Req::Required,
        doc: "Traded products and their price processes.",
    },
    Field {
        key: "correlations",
        ty: Ty::Array(&Ty::Table(CORRELATION)),
        req: Req::Optional,
        doc: "Rank correlations of yearly log-price shocks between products. Correlations whose matrix is not positive definite are an error: they are used as written, never repaired.",
    },
    Field {
        key: "deposits",
        ty: Ty::Table(DEPOSITS),
        req: Req::Required,
        doc: "Where the deposits and their licence events are listed.",
    },
    Field {
        key: "conflict",
        ty: Ty::Table(CONFLICT),
        req: Req::Optional,
        doc: "War, ceasefire and occupation. Without it the country is at lasting peace: never at war, no ceasefire, no post-war years.",
    },
    Field {
        key: "stages",
        ty: Ty::Table(STAGES),
        req: Req::Optional,
        doc: "Durations and abandonment of the stages before an investment decision. A project starts at its stage and passes through each later one up to the decision (`identified`, `explored`, `tender`, `licensed`). Each stage's table is optional: a stage without one takes no time and abandons nothing, so a scenario whose projects all start at or past the decision needs none, and one without `[stages]` moves its projects to the decision in their first year. Give the table of every stage a project starts at or passes through when that stage takes time.",
    },
    Field {
        key: "uncertainty",
        ty: Ty::Table(UNCERTAINTY),
        req: Req::Optional,
        doc: "Project-level uncertainties applied to every project unless it overrides them.",
    },
    Field {
        key: "licensing-flows",
        ty: Ty::Array(&Ty::Table(LICENSING_FLOW)),
        req: Req::Optional,
        doc: "Yearly flows of new permits (licences, PSAs) of one kind each: a count with an uncertain mean, a fee per permit, and the permits developed into projects, all of whose receipts are new.",
    },
    Field {
        key: "input-correlations",
        ty: Ty::Array(&Ty::Table(INPUT_CORRELATION)),
        req: Req::Optional,
        doc: "Rank correlations between named uncertain inputs. Inputs linked by correlations, directly or through others, form a group with a Gaussian copula of its own (at most 2,000 inputs); correlations that are inconsistent (their matrix not positive definite) are an error at the group's first entry: they are used as written, never repaired, as the price correlations are.",
    },
    Field {
        key: "sensitivity",
        ty: Ty::Table(SENSITIVITY),
        req: Req::Optional,
        doc: "How `subsoil sensitivity` groups the uncertain inputs and random streams into factors.",
    },
    Field {
        key: "leakage",
        ty: Ty::Table(LEAKAGE),
        req: Req::Optional,
        doc: "Leakage: the corruption argument as inputs.",
    },
    Field {
        key: "deal",
        ty: Ty::Table(DEAL),
        req: Req::Optional,
        doc: "The deal: which receipts are new.",
    },
    Field {
        key: "streams",
        ty: Ty::Map { key: "<stream-id>", value: &Ty::Table(STREAM) },
        req: Req::Optional,
        doc: "Exogenous revenue streams: money a party receives that no project of the model produces (a country's oil export proceeds, port fees, a pipeline's transit fees). Deal contribution rules take one as their base by its id, as they take royalties.",
    },
    Field {
        key: "projects",
        ty: Ty::Map { key: "<project-id>", value: &Ty::Table(PROJECT) },
        req: Req::Required,
        doc: "Projects: each a way a deposit may produce.",
    },
    Field {
        key: "levers",
        ty: Ty::Map { key: "<lever-id>", value: &Ty::Table(LEVER) },
        req: Req::Optional,
        doc: "Named levers for contested assumptions that no single field holds (`subsoil serve` shows each as a switch): each stands for a list of `--set` overrides, so a command line reproduces it.",
    },
    Field {
        key: "remove",
        ty: Ty::Array(&Ty::Str),
        req: Req::Optional,
        doc: "What this file removes from the layers it extends, before its own tables apply: field paths such as `projects.old-mine`, `products.gold.long-run` or `deal.contributions[1]` (the entries after a removed array entry move up). A path that names nothing inherited is an error.",
    },
    Field {
        key: "overrides",
        ty: Ty::Array(&Ty::Str),
        req: Req::Optional,
        doc: "Overrides applied, in order, after every layer is merged and before any `--set` of the command line, each `path=value` as `--set` takes it (the file `subsoil serve` downloads records a page's settings this way). The outermost file that writes it wins.",
    },
];

/// Fields that earlier versions of the format had and this one removed, by path, each with what to write
/// instead: a file that still has one is refused with that advice rather than as an unknown key.
pub const REMOVED: &[(&str, &str)] = &[(
    "infrastructure",
    "`[infrastructure]` was removed: write the revenue as an exogenous stream `[streams.<id>]` (its \
     `revenue` as the stream's `amount`, its `growth` as the stream's `growth`, with `dollars = \"real\"`; \
     the host party receives it unless `receiver` names another) and give contribution rules \
     `stream = \"<id>\"` without `receipts`",
)];

/// What to write instead of a field at `path` that this version of the format removed.
pub fn removed(path: &str) -> Option<&'static str> {
    REMOVED.iter().find(|(p, _)| *p == path).map(|(_, advice)| *advice)
}

/// The field a dotted path names (`projects.dobra.capex`, `deal.tiers[0].hurdle`), if the schema has one:
/// map keys match any key, array items any index.
pub fn field_at(path: &str) -> Option<&'static Field> {
    let mut fields = ROOT;
    let mut parts = path.split('.').peekable();
    while let Some(part) = parts.next() {
        let key = part.split_once('[').map_or(part, |(k, _)| k);
        let f = fields.iter().find(|f| f.key == key)?;
        let mut ty = &f.ty;
        if let Ty::Array(inner) = ty
            && part.contains('[')
        {
            ty = inner;
        }
        if parts.peek().is_none() {
            return Some(f);
        }
        fields = match ty {
            Ty::Table(inner) => inner,
            Ty::Map { value: Ty::Table(inner), .. } => {
                // The next part is the map's key.
                parts.next()?;
                if parts.peek().is_none() {
                    return Some(f);
                }
                inner
            }
            _ => return None,
        };
    }
    None
}

#[cfg(test)]
mod field_at_tests {
    use super::field_at;

    #[test]
    fn paths_name_fields_through_maps_and_arrays() {
        assert_eq!(field_at("projects.any-id.capex").map(|f| f.key), Some("capex"));
        assert_eq!(field_at("deal.tiers[0].hurdle").map(|f| f.key), Some("hurdle"));
        assert_eq!(field_at("stages.licensed.duration").map(|f| f.key), Some("duration"));
        assert!(field_at("projects.any-id.stages.licensed.duration").is_none());
        assert!(field_at("conflict.ceasefire-timing").is_none());
    }
}
