//! Sensitivity on a one-mine scenario whose revenue is the long-run price times the output
//! (`tests/data/sensitivity/one-mine.toml`): every number below is worked out by hand from the inputs'
//! distributions.

use subsoil_engine::{MetricRef, RunConfig, Tornado, tornado};
use subsoil_scenario::Scenario;

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/sensitivity/one-mine.toml");

/// z of the 90th percentile of the standard normal.
const Z90: f64 = 1.281_551_565_544_600_4;

fn load() -> Scenario {
    subsoil_scenario::load(FILE, &[]).unwrap_or_else(|e| panic!("{}", e.render()))
}

fn tornado_of(s: &Scenario, name: &str, paths: u64) -> Tornado {
    let metric = MetricRef::find(&s.model, name).unwrap_or_else(|e| panic!("{e}"));
    tornado(s, &metric, &RunConfig { threads: 2, ..RunConfig::new(paths, 11) }, &|_, _| {})
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_tornado_of_revenue_swings_by_the_percentiles_of_price_and_output() {
    let s = load();
    let t = tornado_of(&s, "revenue", 2_000);
    let order: Vec<&str> = t.swings.iter().map(|w| w.input.as_str()).collect();
    // Revenue = 12 years x long-run x capacity. Capacity: median 40,000 t, p90 52,000 t, so
    // p10 = 40,000² / 52,000 = 30,769.2 t (a lognormal is symmetric in logs). Long-run: median 9,000,
    // p90 11,000, p10 = 9,000² / 11,000 = 7,363.6 $/t.
    let (c10, c90) = (40_000.0 * 40_000.0 / 52_000.0, 52_000.0);
    let (l10, l90) = (9_000.0 * 9_000.0 / 11_000.0, 11_000.0);
    // E[long-run] = 9,000 exp(σ²/2) with σ = ln(11/9) / z90; E[capacity] likewise with ln(1.3).
    let sl = (11.0f64 / 9.0).ln() / Z90;
    let sc = 1.3f64.ln() / Z90;
    let (el, ec) = (9_000.0 * (sl * sl / 2.0).exp(), 40_000.0 * (sc * sc / 2.0).exp());
    // Swings: 12 (c90 − c10) E[L] = $2.32bn and 12 (l90 − l10) E[C] = $1.78bn; opex and the build
    // time do not move revenue (12 years of output fall inside the 50-year horizon either way).
    assert_eq!(
        order,
        [
            "projects.hill-mine.products.copper.capacity",
            "products.copper.long-run",
            "projects.hill-mine.products.copper.opex",
            "projects.hill-mine.construction-years",
        ]
    );
    let (cap, lr) = (&t.swings[0], &t.swings[1]);
    assert!((cap.p10 - c10).abs() < 1e-6 * c10 && (cap.p90 - c90).abs() < 1e-6 * c90, "{cap:?}");
    assert!((lr.p10 - l10).abs() < 1e-6 * l10 && (lr.p90 - l90).abs() < 1e-6 * l90, "{lr:?}");
    // On common random numbers both runs see the same long-run prices, so the ratio of the revenues
    // is the ratio of the capacities, exactly (to rounding).
    let ratio = cap.at_p90 / cap.at_p10;
    assert!((ratio - c90 / c10).abs() < 1e-9, "{ratio} vs {}", c90 / c10);
    let ratio = lr.at_p90 / lr.at_p10;
    assert!((ratio - l90 / l10).abs() < 1e-9, "{ratio} vs {}", l90 / l10);
    // The swing itself against its expectation: within 4 of its standard errors (a 1-in-15,000 event
    // for the fixed seed, which is anyway deterministic).
    for (w, expected) in [(cap, 12.0 * (c90 - c10) * el), (lr, 12.0 * (l90 - l10) * ec)] {
        assert!(w.se > 0.0);
        assert!(
            (w.swing - expected).abs() < 4.0 * w.se,
            "{}: {} vs {expected} ± {}",
            w.input,
            w.swing,
            w.se
        );
        // The mean of the differences is the difference of the means, up to rounding.
        assert!((w.swing - (w.at_p90 - w.at_p10)).abs() < 1e-12 * w.swing.abs());
    }
    for w in &t.swings[2..] {
        assert_eq!((w.swing, w.se), (0.0, 0.0), "{w:?}");
    }
    // The base: 12 E[L] E[C] = $4.47bn, within 4 standard errors.
    let expected = 12.0 * el * ec;
    assert!((t.base - expected).abs() < 4.0 * t.base_se, "{} vs {expected}", t.base);
}

#[test]
fn the_tornado_of_a_probability_swings_by_whole_paths() {
    let s = load();
    // The build takes 2 or 6 years (even odds): P10 = 2, P90 = 6. Built in 2 years, the mine produces
    // from 2028 (a new mine by 2030 on every path); in 6 years, from 2032 (on none). The swing is −1,
    // exactly, and no other input moves the probability.
    let t = tornado_of(&s, "new-mine-by-2030", 500);
    assert!(t.probability);
    let top = &t.swings[0];
    assert_eq!(top.input, "projects.hill-mine.construction-years");
    assert_eq!((top.p10, top.p90), (2.0, 6.0));
    assert_eq!((top.at_p10, top.at_p90, top.swing, top.se), (1.0, 0.0, -1.0, 0.0));
    assert!(t.swings[1..].iter().all(|w| w.swing == 0.0), "{:?}", t.swings);
    // Half the paths build in 2 years.
    assert!((t.base - 0.5).abs() < 4.0 * t.base_se, "{} ± {}", t.base, t.base_se);
}

#[test]
fn an_unknown_metric_names_what_the_scenario_reports() {
    let s = load();
    let err = MetricRef::find(&s.model, "partner-receipts").expect_err("no deal, no partner");
    let msg = err.to_string();
    assert!(msg.contains("`partner-receipts`") && msg.contains("revenue, npv-total"), "{msg}");
}
