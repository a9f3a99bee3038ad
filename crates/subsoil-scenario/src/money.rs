//! Money in the scenario's currency: every amount written in another currency (its `unit` names an ISO
//! code other than `macro.currency`: `EUR`, `EUR/yr`, `EUR/t`) is converted on the validated tree, before
//! the typed sections are read, by `macro.exchange-rates` (units of that currency per unit of the
//! scenario's). A series by calendar year is converted at each year's rate; any other amount (real
//! base-year money, or a schedule by production year) at the base year's. An amount in another currency
//! must be fixed: a distribution is refused, since a converted distribution would be another shape.
//!
//! This pass reads `macro.currency`, `macro.exchange-rates` and `time` from the validated tree by path:
//! it runs before the typed sections exist, so that lowering only ever sees amounts in one currency.

use std::collections::BTreeMap;

use subsoil_risk::Dist;

use crate::diag::Diagnostics;
use crate::quantity::{Quantity, fmt_num};
use crate::schema::is_currency;
use crate::walk::{Val, Valid};

/// An exchange rate: a fixed one, or a path by calendar year (held before and after the years given).
enum Rate {
    Fixed(f64),
    ByYear(subsoil_core::series::Series),
}

impl Rate {
    fn at(&self, year: i32) -> f64 {
        match self {
            Rate::Fixed(x) => *x,
            Rate::ByYear(s) => s.at(year),
        }
    }
}

/// Converts every amount of `tree` written in another currency into the scenario's; problems go to `d`.
pub(crate) fn convert(tree: &mut Valid, d: &mut Diagnostics) {
    let currency = match tree.field("macro").and_then(|m| m.field("currency")) {
        Some(Valid { val: Val::Str(c), loc, path }) => {
            if !is_currency(c) {
                d.error(
                    loc.clone(),
                    path,
                    format!("{c:?} is not an ISO 4217 currency code (three capital letters, e.g. \"USD\", \"EUR\")"),
                );
                return;
            }
            c.clone()
        }
        _ => "USD".to_string(),
    };
    let base = base_year(tree);
    let mut rates: BTreeMap<String, Rate> = BTreeMap::new();
    if let Some(Valid { val: Val::Map(m), .. }) =
        tree.field("macro").and_then(|m| m.field("exchange-rates"))
    {
        for (code, v) in m {
            let Val::Quantity(q) = &v.val else { continue };
            if !is_currency(code) || *code == currency {
                let why = if *code == currency {
                    "the scenario's own currency needs no rate".to_string()
                } else {
                    format!("{code:?} is not an ISO 4217 currency code (three capital letters)")
                };
                d.error(q.location.clone(), &q.path, why);
                continue;
            }
            if let Some(u) = &q.unit
                && *u != format!("{code}/{currency}")
            {
                d.error(
                    q.location.clone(),
                    format!("{}.unit", q.path),
                    format!("unit {u:?}: a rate for {code} in a scenario in {currency} is written \"{code}/{currency}\""),
                );
            }
            let rate = match &q.series {
                Some(s) => Rate::ByYear(s.to_model()),
                None => Rate::Fixed(q.median()),
            };
            rates.insert(code.clone(), rate);
        }
    }
    visit(tree, &mut |v| {
        let Val::Quantity(q) = &mut v.val else { return };
        if q.path.starts_with("reference.")
            || q.path.starts_with("macro.exchange-rates.")
            || q.path == "macro.uah-per-usd"
        {
            return;
        }
        convert_one(q, &currency, &rates, base, d);
    });
}

/// The base year of real money: `time.base-year`, else `time.start-year`.
fn base_year(tree: &Valid) -> i32 {
    let time = tree.field("time");
    let year = |key: &str| match time.and_then(|t| t.field(key)).map(|v| &v.val) {
        Some(Val::Count(y)) => Some(*y as i32),
        _ => None,
    };
    year("base-year").or_else(|| year("start-year")).unwrap_or(2026)
}

fn visit(v: &mut Valid, f: &mut dyn FnMut(&mut Valid)) {
    f(v);
    match &mut v.val {
        Val::Table(t) => t.values_mut().for_each(|c| visit(c, f)),
        Val::Map(m) => m.iter_mut().for_each(|(_, c)| visit(c, f)),
        Val::Array(a) => a.iter_mut().for_each(|c| visit(c, f)),
        _ => {}
    }
}

/// Converts `q` when its unit names a currency other than `currency`.
fn convert_one(
    q: &mut Quantity,
    currency: &str,
    rates: &BTreeMap<String, Rate>,
    base: i32,
    d: &mut Diagnostics,
) {
    let Some(unit) = q.unit.clone() else { return };
    let (code, rest) = match unit.split_once('/') {
        Some((c, r)) => (c, Some(r)),
        None => (unit.as_str(), None),
    };
    if !is_currency(code) || code == currency {
        return;
    }
    let Some(rate) = rates.get(code) else {
        d.error(
            q.location.clone(),
            &q.path,
            format!(
                "an amount in {code} in a scenario in {currency}: give `macro.exchange-rates.{code}` ({code} per {currency}) or write it in {currency}"
            ),
        );
        return;
    };
    if q.uncertain && q.series.is_none() {
        d.error(
            q.location.clone(),
            &q.path,
            format!("an amount in {code} is converted at a fixed rate: give a fixed value (or a series) or write the distribution in {currency}"),
        );
        return;
    }
    let by_calendar_year = q.series.as_ref().is_some_and(|s| s.first >= 1900);
    match &mut q.series {
        Some(s) if by_calendar_year => {
            let first = s.first;
            for (i, v) in s.values.iter_mut().enumerate() {
                *v /= rate.at(first + i as i32);
            }
        }
        Some(s) => {
            let r = rate.at(base);
            s.values.iter_mut().for_each(|v| *v /= r);
        }
        None => {
            let r = rate.at(base);
            let x = q.median() / r;
            match Dist::fixed(x) {
                Ok(dist) => q.dist = dist,
                Err(_) => {
                    d.error(
                        q.location.clone(),
                        &q.path,
                        format!(
                            "{} {code} at {} {code}/{currency} is not a number",
                            fmt_num(q.median()),
                            fmt_num(r)
                        ),
                    );
                    return;
                }
            }
        }
    }
    q.unit = Some(match rest {
        Some(r) => format!("{currency}/{r}"),
        None => currency.to_string(),
    });
}
