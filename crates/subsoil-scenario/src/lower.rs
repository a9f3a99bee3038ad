//! Lowering: the typed sections (`sections.rs`) → the model's types, with cross-field checks (ids
//! that refer to each other, product units, probabilities that must sum to one) and the registry of
//! uncertain inputs. `lower()` calls one function per section, in the order that fixes the inputs' slots:
//! time and the economy here, then products (`lower_products.rs`), deposits and the conflict
//! (`lower_conflict.rs`), projects (`lower_projects.rs`), the deal (`lower_deal.rs`) and the
//! correlations (`lower_correlations.rs`); what they share is in `lower_common.rs`.

use subsoil_core::{Date, Fiscal, Leakage, Macro, Model, Newness, Rates, Time};

use crate::deposits::NewnessRules;
use crate::diag::Diagnostics;
use crate::inputs::Inputs;
use crate::lower_common::param_or_zero;
use crate::sections::Root;

pub(crate) use crate::lower_common::LowerInput;
pub use crate::lower_correlations::RankCorrelation;
pub use crate::lower_products::MAX_LOG_PRICE_SD;

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
        crate::lower_products::products(&s.products, &time, &mut inputs, d);
    let price_cholesky = crate::lower_correlations::prices(&s.correlations, &product_index, d);
    let rules = newness(s, time.start_year);
    let places = crate::lower_conflict::places(li, &mut inputs, d);
    let stages = crate::lower_conflict::stages(&s.stages, &mut inputs);
    let conflict = crate::lower_conflict::conflict(li, &places, &mut inputs, d);
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
    let deal = crate::lower_deal::lower_deal(
        &s.deal,
        &s.streams,
        &time,
        &product_index,
        &projects,
        &mut inputs,
        li.sources,
        d,
    );
    // The scale of a series is a ratio, set through `<field>.scale`.
    let series = s.products.entries.iter().filter_map(|(_, p)| p.price.as_ref());
    let series = series.chain(s.deal.contributions.items.iter().filter_map(|c| c.share.as_ref()));
    let series = series.chain(s.streams.entries.iter().filter_map(|(_, st)| st.amount.as_ref()));
    let series = series.chain(std::iter::once(&s.macro_.inflation));
    let schedules = s.projects.entries.iter().flat_map(|(_, p)| p.products.entries.iter());
    let series = series.chain(schedules.flat_map(|(_, pp)| pp.capacity.iter().chain([&pp.opex])));
    crate::lower_series::mark_scales(series, &mut inputs);
    let (y, m, dd) = rules.effective;
    let mut model = Model {
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
        deal,
        // `[[licensing-flows]]` are lowered onto this model below (lower_flows.rs).
        flows: Vec::new(),
        inflation_path: crate::lower_series::inflation_path(&s.macro_.inflation, &time, d),
        currency: s.macro_.currency.clone(),
        royalty_schedules: Vec::new(),
    };
    crate::lower_flows::lower_flows(li.s, &mut model, &mut inputs, d);
    crate::lower_rent::lower_rent(li.s, &mut model, &mut inputs, d);
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
        inflation: inputs.param(&m.inflation),
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
        partner_discount: param_or_zero(
            inputs,
            r.partner_discount.as_ref().or(r.valuation.as_ref()),
        ),
    };
    let fiscal = Fiscal {
        cit_rate: param_or_zero(inputs, &f.cit_rate),
        depreciation_years: f.depreciation_years,
        psa_cost_recovery_limit: param_or_zero(inputs, &f.psa_cost_recovery_limit),
        psa_state_share: param_or_zero(inputs, &f.psa_state_share),
        licence_fee: inputs.param(&f.licence_fee),
        // Set with the rates by year, after every project (lower_rent.rs).
        rent_changes: None,
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
