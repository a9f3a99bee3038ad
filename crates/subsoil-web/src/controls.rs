//! The page's controls for the assumptions people argue about, for one scenario: each sets one or more
//! fields, `field = value × times`, as `--set` overrides, so the command line reproduces the page.

use serde_json::{Value, json};
use subsoil_scenario::{Quantity, Scenario};

/// The controls that apply to `s` (a control whose fields the scenario lacks is left out), each
/// `{id, label, unit, min, max, step, median, targets: [{field, times}]}`; `median` is the scenario's
/// own value (the median of its distribution), `null` when the control replaces a different field.
pub(crate) fn controls(s: &Scenario) -> Vec<Value> {
    let q = |path: &str| -> Option<&Quantity> { s.quantities.iter().find(|q| q.path == path) };
    let median = |path: &str| q(path).map(|q| q.dist.median());
    let mut out = Vec::new();
    let mut add = |id: &str,
                   label: &str,
                   unit: &str,
                   range: [f64; 3],
                   median: Option<f64>,
                   targets: Vec<(String, f64)>| {
        if targets.is_empty() {
            return;
        }
        let targets: Vec<Value> = targets
            .into_iter()
            .map(|(field, times)| json!({ "field": field, "times": times }))
            .collect();
        out.push(json!({
            "id": id, "label": label, "unit": unit,
            "min": range[0], "max": range[1], "step": range[2],
            "median": median, "targets": targets,
        }));
    };
    let time = &s.model.time;
    if q("conflict.ceasefire-hazard").is_some() || q("conflict.ceasefire-year").is_some() {
        let first = f64::from(time.start_year);
        add(
            "ceasefire-year",
            "Ceasefire year (peace from that year on)",
            "year",
            [first, first + f64::from(time.horizon) - 1.0, 1.0],
            median("conflict.ceasefire-year"),
            vec![("conflict.ceasefire-year".into(), 1.0)],
        );
    }
    let prices: Vec<(String, f64)> = s
        .quantities
        .iter()
        .filter(|q| q.path.starts_with("products.") && q.path.ends_with(".long-run"))
        .map(|q| (q.path.clone(), q.dist.median()))
        .filter(|(_, m)| m.is_finite())
        .collect();
    add(
        "prices",
        "Long-run prices, as a multiple of each product's median",
        "×",
        [0.25, 3.0, 0.05],
        (!prices.is_empty()).then_some(1.0),
        prices,
    );
    add(
        "capex-overrun",
        "Capex overrun (as built ÷ as planned, every project)",
        "ratio",
        [0.7, 3.0, 0.05],
        median("uncertainty.capex-overrun"),
        q("uncertainty.capex-overrun")
            .map(|_| ("uncertainty.capex-overrun".into(), 1.0))
            .into_iter()
            .collect(),
    );
    add(
        "leakage",
        "Leakage: share of receipts that never reach the budget",
        "fraction",
        [0.0, 0.5, 0.01],
        median("leakage.receipts"),
        q("leakage.receipts").map(|_| ("leakage.receipts".into(), 1.0)).into_iter().collect(),
    );
    // The premiums a path can use, set alike: in a country at peace (no `[conflict]`) only the peace
    // premium, which applies from the first year; after a war also the post-war premium, whether or not
    // the file writes it (its default would otherwise hold the years after a ceasefire apart).
    let (peace, postwar) =
        ("rates.country-risk-premium-peace", "rates.country-risk-premium-postwar");
    let (label, premiums): (&str, &[&str]) = if s.model.conflict.at_peace {
        ("Investors' country risk premium (a country at peace)", &[peace])
    } else {
        ("Investors' country risk premium in peace and after the war", &[peace, postwar])
    };
    let premiums: Vec<(String, f64)> = if premiums.iter().any(|p| q(p).is_some()) {
        premiums.iter().map(|p| (p.to_string(), 1.0)).collect()
    } else {
        Vec::new()
    };
    add("risk-premium", label, "fraction/yr", [0.0, 0.3, 0.005], median(peace), premiums);
    add(
        "equity-cap",
        "The fund's equity cap (most of a project it takes)",
        "fraction",
        [0.0, 1.0, 0.05],
        median("deal.fund.equity-cap"),
        q("deal.fund.equity-cap")
            .map(|_| ("deal.fund.equity-cap".into(), 1.0))
            .into_iter()
            .collect(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The risk-premium control of `toml`'s scenario: its label and the fields it sets.
    fn premium(toml: &str) -> Option<(String, Vec<String>)> {
        let s = subsoil_scenario::load_text("upload.toml", toml, &[]).expect("loads");
        let c = controls(&s).into_iter().find(|c| c["id"] == "risk-premium")?;
        let fields = c["targets"].as_array()?.iter().map(|t| t["field"].to_string()).collect();
        Some((c["label"].as_str()?.to_string(), fields))
    }

    const MINE: &str = r#"format-version = 1
[metadata]
name = "one-mine"
[rates]
investor-base = 0.08
valuation = 0.08
country-risk-premium-peace = 0.02
[fiscal]
cit-rate = 0.3
[products.copper]
name = "copper"
unit = "t"
price = 9000
long-run = 9000
royalty-rate = 0.035
[deposits.sites.hill]
commodities = ["copper"]
[projects.hill-mine]
deposit = "hill"
decision = "npv"
construction-years = 2
life-years = 12
capex = 900e6
[projects.hill-mine.products.copper]
capacity = 40000
opex = 5200
"#;

    #[test]
    fn the_risk_premium_control_sets_the_premiums_a_path_can_use() {
        // At peace (no `[conflict]`) only the peace premium ever applies.
        let (label, fields) = premium(MINE).expect("a control");
        assert!(label.contains("at peace"), "{label}");
        assert_eq!(fields, [r#""rates.country-risk-premium-peace""#]);
        // With a war, the years after its ceasefire too, though the file writes only the peace premium.
        let war = format!("{MINE}[conflict]\nceasefire-year = 2030\n");
        let (label, fields) = premium(&war).expect("a control");
        assert!(label.contains("after the war"), "{label}");
        assert_eq!(
            fields,
            [r#""rates.country-risk-premium-peace""#, r#""rates.country-risk-premium-postwar""#]
        );
        // A scenario that writes no premium has no control.
        let none = MINE.replace("country-risk-premium-peace = 0.02\n", "");
        assert_eq!(premium(&none), None);
    }
}
