//! What a quantity written in a scenario file means, pinned where the documentation states it.

use subsoil_scenario::Scenario;

/// The worked example of a shifted lognormal in docs/data-format.md.
const EXAMPLE: &str = r#"capex-overrun = { dist = "shifted-lognormal", shift = 0.7, median = 1.1, p90 = 1.6, unit = "ratio" }"#;

fn with_overrun(value: &str) -> Scenario {
    let set = format!("uncertainty.capex-overrun={value}");
    subsoil_scenario::load("ukraine-final-2025", &[set])
        .unwrap_or_else(|e| panic!("{}", e.render()))
}

#[test]
fn a_shifted_lognormals_median_and_p90_are_those_of_the_whole_variable() {
    // docs/data-format.md carries this example; the numbers below are worked out there by hand.
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/data-format.md"))
            .expect("docs/data-format.md");
    assert!(doc.contains(EXAMPLE), "docs/data-format.md no longer shows the worked example");
    assert!(
        !doc.contains("parametrisation of the part above the shift"),
        "the old wording is back"
    );

    let value = EXAMPLE.split_once(" = ").expect("key = value").1;
    let s = with_overrun(value);
    let q = s
        .quantities
        .iter()
        .find(|q| q.path == "uncertainty.capex-overrun")
        .expect("the quantity is listed");
    let d = &q.dist;
    // X = 0.7 + exp(μ + σZ) with μ = ln 0.4 and σ = ln(0.9/0.4)/Φ⁻¹(0.9) = 0.632772: the median of
    // X is 1.1 (not 0.7 + 1.1 = 1.8), its p90 1.6, its p10 0.7 + 0.4²/0.9 and its mean
    // 0.7 + 0.4·e^(σ²/2) = 1.188659.
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
    assert!(close(q.median(), 1.1), "median {}", q.median());
    assert!(close(d.quantile(0.5), 1.1), "median {}", d.quantile(0.5));
    assert!(close(d.quantile(0.9), 1.6), "p90 {}", d.quantile(0.9));
    assert!(close(d.quantile(0.1), 0.7 + 0.16 / 0.9), "p10 {}", d.quantile(0.1));
    let sigma = (0.9f64 / 0.4).ln() / 1.281_551_565_544_600_4;
    assert!(close(d.mean(), 0.7 + 0.4 * (sigma * sigma / 2.0).exp()), "mean {}", d.mean());
    assert!((d.mean() - 1.188_659).abs() < 1e-6, "mean {}", d.mean());
    assert_eq!(d.support().0, 0.7);
}

#[test]
fn a_shifted_lognormals_mean_and_sd_are_those_of_the_whole_variable() {
    // The built-in overrun: shift 0.7, mean 1.14, sd 0.30 of X itself.
    let s = with_overrun(
        r#"{ dist = "shifted-lognormal", shift = 0.7, mean = 1.14, sd = 0.30, unit = "ratio" }"#,
    );
    let q = s.quantities.iter().find(|q| q.path == "uncertainty.capex-overrun").expect("listed");
    assert!((q.dist.mean() - 1.14).abs() < 1e-12, "mean {}", q.dist.mean());
    assert!((q.dist.variance().sqrt() - 0.30).abs() < 1e-12, "sd {}", q.dist.variance().sqrt());
}
