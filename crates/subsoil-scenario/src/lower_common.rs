//! What every section's lowering reads ([`LowerInput`]) and the checks they share: quantities as
//! parameters, product units, probabilities that sum to one.

use subsoil_core::Param;

use crate::deposits::{DepositRow, LicenceEvent};
use crate::diag::{Diagnostics, Location, Sources};
use crate::inputs::Inputs;
use crate::quantity::{Quantity, fmt_num};
use crate::schema::is_currency;
use crate::sections::Root;
use crate::typed::Site;

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

/// The parameter of a quantity without a default: `None` is an optional field not given (the model's
/// zero: no GDP, no PSA terms) or a required one that validation already refused, where a zero keeps
/// lowering going to find the other errors.
pub(crate) fn param_or_zero<'a>(inputs: &mut Inputs, q: impl Into<Option<&'a Quantity>>) -> Param {
    q.into().map_or(Param::Fixed(0.0), |x| inputs.param(x))
}

/// Checks that a quantity written with a unit uses the product's unit. Money per unit (`want`
/// `USD/<u>`) is in the scenario's currency by then (`money.rs`), so only the product's unit is compared.
pub(crate) fn check_unit(q: Option<&Quantity>, want: &str, d: &mut Diagnostics) {
    if let Some(qt) = q
        && let Some(u) = &qt.unit
        && !same_unit(u, want)
    {
        d.error(
            qt.location.clone(),
            &qt.path,
            format!("unit {u:?} does not match the product's unit: expected {want:?}"),
        );
    }
}

/// Whether a written unit is the unit wanted, where `USD/<u>` stands for money of any currency per `<u>`.
pub(crate) fn same_unit(written: &str, want: &str) -> bool {
    match want.strip_prefix("USD/") {
        Some(per) => written.split_once('/').is_some_and(|(c, u)| is_currency(c) && u == per),
        None => written == want,
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
