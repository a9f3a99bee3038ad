//! Lowering of the correlations: `[[correlations]]` between products' yearly price shocks (their Cholesky
//! factor) and `[[input-correlations]]` between uncertain inputs (slots). One policy for both: a matrix
//! that is not positive definite is an error at the entry that links it, never repaired, so the
//! correlations a run uses are those written. Both factorise through subsoil-risk's `Copula`.

use std::collections::{BTreeMap, HashMap};

use crate::diag::Diagnostics;
use crate::inputs::Inputs;
use crate::quantity::Quantity;
use crate::sections::Correlation;
use crate::typed::{Items, Located};

/// A rank correlation between two uncertain inputs: (slot, slot, Spearman ρ).
pub type RankCorrelation = (u32, u32, f64);

/// The message for inconsistent price correlations.
const INCONSISTENT_PRICES: &str = "the price correlations are inconsistent: their matrix is not positive definite (lower the largest correlations)";

fn rho(c: &Correlation) -> f64 {
    c.rho.as_ref().map_or(0.0, Quantity::median)
}

/// Cholesky factor of the correlation matrix of yearly price shocks (Spearman ρ → Pearson 2 sin(πρ/6)),
/// row-major over the products in `index` order.
pub(crate) fn prices(
    list: &Items<Correlation>,
    index: &HashMap<String, usize>,
    d: &mut Diagnostics,
) -> Vec<f64> {
    let n = index.len();
    let mut c = identity(n);
    let mut seen: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let mut reported = false;
    for (k, entry) in list.items.iter().enumerate() {
        let (Some(a), Some(b)) = (&entry.a, &entry.b) else { continue };
        let (a, b) = (&a.value, &b.value);
        let (loc, base) = (entry.site.loc.clone(), &entry.site.path);
        let (Some(&i), Some(&j)) = (index.get(a), index.get(b)) else {
            d.error(
                loc,
                base,
                format!("correlation between {a:?} and {b:?}: both must be product ids"),
            );
            continue;
        };
        if i == j {
            d.error(loc, base, format!("a product cannot be correlated with itself ({a:?})"));
            continue;
        }
        if let Some(prev) = seen.insert((i.min(j), i.max(j)), k) {
            let prev = &list.items[prev].site.path;
            d.error(loc, base, format!("the pair {a:?}–{b:?} is already given in {prev}"));
            continue;
        }
        let rho = rho(entry);
        // Out of [-1, 1] is reported where it was written; the matrix would only fail again.
        reported |= !(-1.0..=1.0).contains(&rho);
        let pearson = 2.0 * (std::f64::consts::PI * rho / 6.0).sin();
        c[i * n + j] = pearson;
        c[j * n + i] = pearson;
    }
    let pairs: Vec<(usize, usize, f64)> = (0..n)
        .flat_map(|i| (0..i).map(move |j| (i, j)))
        .filter(|&(i, j)| c[i * n + j] != 0.0)
        .map(|(i, j)| (i, j, c[i * n + j]))
        .collect();
    match subsoil_risk::Copula::from_pearson(n, &pairs) {
        Ok(copula) if !copula.was_repaired() => copula.cholesky().to_vec(),
        _ if reported => identity(n),
        _ => {
            d.error(list.site.loc.clone(), &list.site.path, INCONSISTENT_PRICES);
            identity(n)
        }
    }
}

fn identity(n: usize) -> Vec<f64> {
    let mut m = vec![0.0; n * n];
    for i in 0..n {
        m[i * n + i] = 1.0;
    }
    m
}

/// Resolves `[[input-correlations]]` to slots, and refuses a group of correlated inputs whose
/// correlations are inconsistent.
pub(crate) fn inputs(
    list: &Items<Correlation>,
    inputs: &Inputs,
    d: &mut Diagnostics,
) -> Vec<RankCorrelation> {
    let mut out = Vec::new();
    // The entry each pair of `out` comes from.
    let mut entry = Vec::new();
    for (k, c) in list.items.iter().enumerate() {
        let (a, b) = (slot(inputs, c.a.as_ref(), d), slot(inputs, c.b.as_ref(), d));
        if let (Some(a), Some(b)) = (a, b) {
            if a == b {
                d.error(
                    c.site.loc.clone(),
                    &c.site.path,
                    "an input cannot be correlated with itself",
                );
            } else {
                out.push((a, b, rho(c)));
                entry.push(k);
            }
        }
    }
    check_correlated_groups(list, inputs.list.len(), &out, &entry, d);
    out
}

/// The slot of the input an entry names, or an error naming similar inputs.
fn slot(inputs: &Inputs, name: Option<&Located<String>>, d: &mut Diagnostics) -> Option<u32> {
    let name = name?;
    let n = name.value.as_str();
    if let Some(s) = inputs.slot_of(n) {
        return Some(s);
    }
    let last = n.rsplit('.').next().unwrap_or(n);
    let close: Vec<&str> =
        inputs.list.iter().map(|i| i.name.as_str()).filter(|i| i.contains(last)).take(5).collect();
    let similar =
        if close.is_empty() { String::new() } else { format!("; similar: {}", close.join(", ")) };
    d.error(
        name.site.loc.clone(),
        &name.site.path,
        format!("{n:?} is not an uncertain input of this scenario{similar}"),
    );
    None
}

/// Each connected group of correlated inputs gets a copula on every run: one whose correlations are
/// inconsistent (a matrix that is not positive semi-definite) or that is too large is refused here, at
/// the group's first entry, as the price correlations are: correlations are used as written, never
/// repaired. (Consistent groups factorise in time linear in their size when they are chains or bands.)
fn check_correlated_groups(
    list: &Items<Correlation>,
    n: usize,
    pairs: &[RankCorrelation],
    entry: &[usize],
    d: &mut Diagnostics,
) {
    let links: Vec<(usize, usize)> =
        pairs.iter().map(|&(a, b, _)| (a as usize, b as usize)).collect();
    for group in subsoil_risk::connected_groups(n, &links) {
        if group.len() < 2 {
            continue;
        }
        let local = |s: u32| group.binary_search(&(s as usize)).ok();
        let mut first = None;
        let mut within = Vec::new();
        for (k, &(a, b, rho)) in pairs.iter().enumerate() {
            if let (Some(i), Some(j)) = (local(a), local(b)) {
                first.get_or_insert(entry[k]);
                within.push((i, j, rho));
            }
        }
        let site = &list.items[first.unwrap_or(0)].site;
        let (loc, base) = (site.loc.clone(), &site.path);
        match subsoil_risk::Copula::new(group.len(), &within) {
            Err(e) => d.error(loc, base, format!("this entry links a group of inputs: {e}")),
            Ok(c) if c.was_repaired() => d.error(
                loc,
                base,
                format!(
                    "this entry links a group of {} inputs whose correlations are inconsistent: their matrix is not positive definite (lower the largest correlations); correlations are used as written, never repaired",
                    group.len()
                ),
            ),
            Ok(_) => {}
        }
    }
}
