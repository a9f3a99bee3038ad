//! Lowering: the typed sections ([`crate::sections`]) → the model's types, with cross-field checks (ids
//! that refer to each other, product units, probabilities that must sum to one) and the registry of
//! uncertain inputs. [`lower`] calls one function per section, in the order that fixes the inputs' slots:
//! time and the economy here, then products (`lower_products.rs`), deposits and the conflict
//! (`lower_conflict.rs`), projects (`lower_projects.rs`), the deal (`lower_deal.rs`) and the
//! correlations (`lower_correlations.rs`).

use subsoil_core::{
    Date, Fiscal, Infrastructure, Leakage, Macro, Model, Newness, Param, Rates, Time,
};

use crate::deposits::{DepositRow, LicenceEvent, NewnessRules};
use crate::diag::{Diagnostics, Location, Sources};
use crate::inputs::Inputs;
use crate::quantity::{Quantity, fmt_num};
use crate::sections::Root;
use crate::typed::Site;

pub use crate::lower_correlations::RankCorrelation;
pub use crate::lower_products::MAX_LOG_PRICE_SD;

/// What lowering reads: the typed sections and the data files.
pub(crate) struct LowerInput<'a> {
    /// The typed sections.
    pub s: &'a Root,
    /// Deposits.
    pub deposits: &'a [DepositRow],
    /// Licence events.
    pub events: &'a [LicenceEvent],
    /// The files read, to say where a value that combines with another came from.
    pub sources: &'a Sources,
}

/// Builds the model; problems go to `d`.
pub(crate) fn lower(
    li: &LowerInput<'_>,
    d: &mut Diagnostics,
) -> (Model, Inputs, Vec<RankCorrelation>) {
    let s = li.s;
    let mut inputs = Inputs::default();
    let time = time(&s.time);
    let (macro_, rates, fiscal) = economy(s, &mut inputs);
    let (products, product_index) =
        crate::lower_products::products(&s.products, time.horizon, &mut inputs, d);
    let price_cholesky = crate::lower_correlations::prices(&s.correlations, &product_index, d);
    let rules = newness(s, time.start_year);
    let places = crate::lower_conflict::places(li, &mut inputs, d);
    let stages = crate::lower_conflict::stages(&s.stages, &mut inputs);
    let conflict = crate::lower_conflict::conflict(li, &places, time.start_year, &mut inputs, d);
    let leakage = Leakage {
        receipts: inputs.param(&s.leakage.receipts),
        capex_excess: inputs.param(&s.leakage.capex_excess),
    };
    let context = crate::lower_projects::Context {
        places: &places,
        products: &products,
        product_index: &product_index,
        fiscal: &fiscal,
        rules: &rules,
    };
    let projects = crate::lower_projects::projects(li, &context, &mut inputs, d);
    let infrastructure = Infrastructure {
        revenue: inputs.param(&s.infrastructure.revenue),
        growth: inputs.param(&s.infrastructure.growth),
    };
    let deal = crate::lower_deal::lower_deal(&s.deal, &product_index, &mut inputs, li.sources, d);
    let (y, m, dd) = rules.effective;
    let model = Model {
        time,
        macro_,
        rates,
        fiscal,
        products,
        price_cholesky,
        deposits: places.deposits,
        projects,
        stages,
        conflict,
        newness: Newness { effective: Date::new(y, m, dd) },
        leakage,
        oblasts: places.oblasts,
        infrastructure,
        deal,
    };
    let correlations = crate::lower_correlations::inputs(&s.input_correlations, &inputs, d);
    (model, inputs, correlations)
}

/// `[time]`: the base year is the start year unless given.
fn time(t: &crate::sections::Time) -> Time {
    Time {
        start_year: t.start_year,
        horizon: t.horizon_years,
        base_year: t.base_year.unwrap_or(t.start_year),
        terminal_value: t.terminal_value,
        discounting: t.discounting,
    }
}

/// `[macro]`, `[rates]` and `[fiscal]`.
fn economy(s: &Root, inputs: &mut Inputs) -> (Macro, Rates, Fiscal) {
    let (m, r, f) = (&s.macro_, &s.rates, &s.fiscal);
    let macro_ = Macro {
        us_inflation: inputs.param(&m.us_inflation),
        uah_per_usd: inputs.param(&m.uah_per_usd),
        uah_depreciation: inputs.param(&m.uah_depreciation),
        gdp: param_or_zero(inputs, &m.gdp),
        gdp_real_growth: inputs.param(&m.gdp_real_growth),
    };
    let rates = Rates {
        investor_base: param_or_zero(inputs, &r.investor_base),
        crp_war: inputs.param(&r.crp_war),
        crp_postwar: inputs.param(&r.crp_postwar),
        crp_peace: inputs.param(&r.crp_peace),
        postwar_years: r.postwar_years,
        valuation: param_or_zero(inputs, &r.valuation),
        // The partner's own rate, or the valuation rate when the scenario gives none.
        us_discount: param_or_zero(inputs, r.us_discount.as_ref().or(r.valuation.as_ref())),
    };
    let fiscal = Fiscal {
        cit_rate: param_or_zero(inputs, &f.cit_rate),
        depreciation_years: f.depreciation_years,
        psa_cost_recovery_limit: param_or_zero(inputs, &f.psa_cost_recovery_limit),
        psa_state_share: param_or_zero(inputs, &f.psa_state_share),
        licence_fee: inputs.param(&f.licence_fee),
    };
    (macro_, rates, fiscal)
}

/// Which receipts are new: the deal's effective date and switches; without a deal, what is awarded
/// during the simulation.
fn newness(s: &Root, start_year: i32) -> NewnessRules {
    let deal = &s.deal;
    NewnessRules {
        effective: deal.effective_date.unwrap_or((start_year, 1, 1)),
        renewals_count_as_new: deal.renewals_count_as_new,
        unexploited_count_as_new: deal.unexploited_count_as_new,
        restarts_count_as_new: deal.restarts_count_as_new,
    }
}

/// The parameter of a quantity without a default: `None` is an optional field not given (the model's
/// zero: no GDP, no PSA terms) or a required one that validation already refused, where a zero keeps
/// lowering going to find the other errors.
pub(crate) fn param_or_zero<'a>(inputs: &mut Inputs, q: impl Into<Option<&'a Quantity>>) -> Param {
    q.into().map_or(Param::Fixed(0.0), |x| inputs.param(x))
}

/// Checks that a quantity written with a unit uses the product's unit.
pub(crate) fn check_unit(q: Option<&Quantity>, want: &str, d: &mut Diagnostics) {
    if let Some(qt) = q
        && let Some(u) = &qt.unit
        && u != want
    {
        d.error(
            qt.location.clone(),
            &qt.path,
            format!("unit {u:?} does not match the product's unit: expected {want:?}"),
        );
    }
}

/// One of several probabilities that must sum to 1: its field's path, where it was written and its
/// value.
pub(crate) struct Part {
    /// Dotted path.
    pub path: String,
    /// Where it was written (`None`: the default).
    pub loc: Option<Location>,
    /// The probability.
    pub w: f64,
}

impl Part {
    /// The part a fixed quantity is.
    pub fn of(q: &Quantity) -> Part {
        Part { path: q.path.clone(), loc: q.location.clone(), w: q.median() }
    }
}

/// Checks that the probabilities `parts` of the table at `table` sum to 1 (within 1e-6). If not, the
/// error points at the value the user wrote (the latest one not in a built-in file), names the values
/// it combines with and where they come from; with no such value, at the table.
pub(crate) fn sums_to_one(
    sources: &Sources,
    table: &Site,
    parts: &[Part],
    d: &mut Diagnostics,
) -> bool {
    let sum: f64 = parts.iter().map(|p| p.w).sum();
    if (sum - 1.0).abs() <= 1e-6 {
        return true;
    }
    let name = table.path.as_str();
    let builtin = |loc: &Location| sources.get(loc.file).name.starts_with("builtin:");
    let blamed = parts
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.loc.as_ref().map(|l| (i, l)))
        .filter(|(_, l)| !builtin(l))
        .max_by_key(|(_, l)| l.file)
        .map(|(i, _)| i);
    let short = |p: &str| {
        p.strip_prefix(name).map_or(p.to_string(), |k| k.trim_start_matches('.').to_string())
    };
    let value = |i: usize| format!("{} = {}", short(&parts[i].path), fmt_num(parts[i].w));
    let whence = |i: usize| match &parts[i].loc {
        Some(Location { file, span: Some(span) }) => {
            let f = sources.get(*file);
            format!(" ({}:{})", f.name, f.line_col(span.start).0)
        }
        Some(Location { file, span: None }) => format!(" ({})", sources.get(*file).name),
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
                parts[b].loc.clone(),
                parts[b].path.clone(),
                format!(
                    "the probabilities of {name} must sum to 1; they sum to {sum}: {} here, with {}",
                    value(b),
                    others.join(" and ")
                ),
            );
        }
        None => {
            let all: Vec<String> = (0..parts.len()).map(value).collect();
            d.error(
                table.loc.clone(),
                name,
                format!("the probabilities must sum to 1; they sum to {sum} ({})", all.join(", ")),
            );
        }
    }
    false
}
