//! Lowering of `[products]`: each product's price process and its dominant producer's episodes, with
//! the product units and the spread of the log price checked.

use std::collections::HashMap;

use subsoil_core::{Dominant, Product, Time};

use crate::diag::Diagnostics;
use crate::inputs::Inputs;
use crate::lower_common::{check_unit, param_or_zero};
use crate::quantity::Quantity;
use crate::sections;
use crate::typed::Entries;

/// Largest standard deviation of a log price over the horizon that the model accepts. Beyond it the
/// expected price (median × e^(variance/2)) overflows double precision once multiplied by output and
/// the price index: at 10 the mean is already 5 × 10^21 times the median.
pub const MAX_LOG_PRICE_SD: f64 = 10.0;

/// The products in file order, and each id's index among them.
pub(crate) fn products(
    products: &Entries<sections::Product>,
    time: &Time,
    inputs: &mut Inputs,
    d: &mut Diagnostics,
) -> (Vec<Product>, HashMap<String, usize>) {
    let mut out = Vec::new();
    let mut index = HashMap::new();
    for (id, p) in &products.entries {
        let unit = p.unit.clone().unwrap_or_default();
        for price in [&p.price, &p.long_run] {
            check_unit(price.as_ref(), &format!("USD/{unit}"), d);
        }
        check_unit(p.world_supply.as_ref(), &format!("{unit}/yr"), d);
        let long_run_central = p.long_run.as_ref().map_or(1.0, Quantity::median);
        index.insert(id.clone(), out.len());
        let mut product = Product {
            id: id.clone(),
            unit,
            price: param_or_zero(inputs, &p.price),
            long_run: param_or_zero(inputs, &p.long_run),
            long_run_central,
            volatility: inputs.param(&p.volatility),
            half_life: inputs.param(&p.half_life),
            royalty_rate: param_or_zero(inputs, &p.royalty_rate),
            long_run_p95_p5_max: p.long_run_p95_p5_max.as_ref().map(Quantity::median),
            shock_stream: inputs.stream(&format!("{}.shock", p.site.path)),
            dominant: None,
            deck: None,
        };
        crate::lower_series::deck(p, &mut product, time, d);
        check_price_spread(p, time.horizon, d);
        if p.dominant_producer.site.given() {
            product.dominant = Some(dominant(p, inputs, d));
        }
        out.push(product);
    }
    (out, index)
}

/// `[products.<id>.dominant-producer]`, given: a targeted cut needs the product's world supply.
fn dominant(p: &sections::Product, inputs: &mut Inputs, d: &mut Diagnostics) -> Dominant {
    let dp = &p.dominant_producer;
    let world_supply = p.world_supply.as_ref().map(|x| inputs.param(x));
    if world_supply.is_none() && dp.cut_threshold.location.is_some() {
        d.error(
            dp.cut_threshold.location.clone(),
            &dp.cut_threshold.path,
            "a targeted cut needs the product's `world-supply`",
        );
    }
    Dominant {
        world_supply,
        flood_probability: inputs.param(&dp.flood_probability),
        flood_drop: inputs.param(&dp.flood_drop),
        flood_years: inputs.param(&dp.flood_years),
        export_control_probability: inputs.param(&dp.export_control_probability),
        export_control_jump: inputs.param(&dp.export_control_jump),
        export_control_years: inputs.param(&dp.export_control_years),
        cut_threshold: inputs.param(&dp.cut_threshold),
        cut_probability: inputs.param(&dp.cut_probability),
        cut_size: inputs.param(&dp.cut_size),
        cut_years: inputs.param(&dp.cut_years),
        stream: inputs.stream(&format!("{}.episodes", dp.site.path)),
    }
}

/// Refuses a price process whose log price spreads so far over the horizon that expected prices cannot
/// be computed: at the largest volatility and half-life the inputs allow, the log price's standard
/// deviation after `horizon` years is `σ √((1 − e^(−2κH)) / 2κ)`, `κ = ln 2 / half-life`.
fn check_price_spread(p: &sections::Product, horizon: u32, d: &mut Diagnostics) {
    let top = |x: &Quantity| x.dist.support().1.min(x.bounds.1);
    let (vol, half_life) = (top(&p.volatility), top(&p.half_life));
    let kappa = std::f64::consts::LN_2 / half_life;
    let h = f64::from(horizon);
    let var = vol * vol * (-(-2.0 * kappa * h).exp_m1()) / (2.0 * kappa);
    let sd = var.sqrt();
    if sd > MAX_LOG_PRICE_SD {
        d.error(
            p.volatility.location.clone().or_else(|| p.site.loc.clone()),
            &p.volatility.path,
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
