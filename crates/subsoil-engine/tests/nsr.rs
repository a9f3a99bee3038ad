//! Royalty bases as mines pay them: a product sold in concentrate earns its net smelter return (the
//! payable share of its value less treatment, refining and freight), and the royalty is on the gross value
//! or on that return, chosen per project product. Numbers by hand on the one-mine scenario.

use subsoil_engine::base_case;

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/minimal/one-mine.toml");

fn year_2028(sets: &[&str]) -> Result<subsoil_core::project::Flows, String> {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let s = subsoil_scenario::load(FILE, &sets).map_err(|e| e.render())?;
    let (_, out) = base_case(&s);
    // The mine builds in 2026-2027 and produces from 2028.
    Ok(out.flows(0).expect("traced")[2])
}

#[test]
fn revenue_is_the_net_smelter_return_and_the_royalty_takes_the_base_chosen() {
    // 40,000 t of copper a year at $9,000/t, royalty 3.5%.
    let plain = year_2028(&[]).unwrap_or_else(|e| panic!("{e}"));
    assert!((plain.revenue - 360e6).abs() < 1e-6);
    assert!((plain.royalty - 12.6e6).abs() < 1e-6);
    // 96.5% payable, $400/t of charges and freight: 40,000 × (9,000 × 0.965 − 400) = $331.4m. The royalty
    // on the gross value stays 3.5% of $360m; on the net smelter return it is 3.5% of $331.4m.
    let terms = [
        "projects.hill-mine.products.copper.payable=0.965",
        "projects.hill-mine.products.copper.selling-costs=400",
    ];
    let gross = year_2028(&terms).unwrap_or_else(|e| panic!("{e}"));
    assert!((gross.revenue - 331.4e6).abs() < 1e-3, "{}", gross.revenue);
    assert!((gross.royalty - 12.6e6).abs() < 1e-6, "{}", gross.royalty);
    let mut with_nsr = terms.to_vec();
    with_nsr.push("projects.hill-mine.products.copper.royalty-base=\"nsr\"");
    let nsr = year_2028(&with_nsr).unwrap_or_else(|e| panic!("{e}"));
    assert!((nsr.royalty - 0.035 * 331.4e6).abs() < 1e-3, "{}", nsr.royalty);
    assert!((nsr.revenue - 331.4e6).abs() < 1e-3);
}

#[test]
fn a_royalty_on_the_nsr_needs_selling_terms() {
    let err = year_2028(&["projects.hill-mine.products.copper.royalty-base=\"nsr\""])
        .expect_err("refused");
    assert!(err.contains("projects.hill-mine.products.copper.royalty-base: a royalty on the net smelter return needs"), "{err}");
}

#[test]
fn investors_decide_on_the_net_smelter_return() {
    // With $600m of capex the one-mine file is worth building at 8% when it decides by NPV: -300 in
    // 2026 and 2027, then 360 − 12.6 royalty − 208 opex − 30% tax after $60m of depreciation = 115.58 a
    // year for ten years and 97.58 for two, an NPV of +$215.0m (checked below). With $3,000/t of treatment, refining
    // and freight the mine earns 40,000 × 6,000 = $240m a year against $208m of opex (or $216m at 60%
    // payable) and never recovers its capex: an investor valuing it on its net smelter return waits for
    // ever (prices are flat).
    let built = |sets: &[&str]| {
        let mut all = vec!["projects.hill-mine.decision=\"npv\"", "projects.hill-mine.capex=600e6"];
        all.extend_from_slice(sets);
        let sets: Vec<String> = all.iter().map(|s| s.to_string()).collect();
        let s = subsoil_scenario::load(FILE, &sets).unwrap_or_else(|e| panic!("{}", e.render()));
        base_case(&s).0.projects[0].decision_year
    };
    assert_eq!(built(&[]), Some(2026));
    let mut fcf = vec![-300.0, -300.0];
    for year in 2028..=2039 {
        let depreciation = if year <= 2037 { 60.0 } else { 0.0 };
        let before_tax = 360.0 - 12.6 - 208.0;
        fcf.push(before_tax - 0.3 * (before_tax - depreciation));
    }
    let hand: f64 =
        fcf.iter().enumerate().map(|(t, x)| x / 1.08f64.powi(t as i32)).sum::<f64>() * 1e6;
    assert!((hand / 1e6 - 214.956).abs() < 1e-3, "{hand}");
    let sets = ["projects.hill-mine.capex=600e6".to_string()];
    let s = subsoil_scenario::load(FILE, &sets).unwrap_or_else(|e| panic!("{}", e.render()));
    let npv = base_case(&s).0.projects[0].npv;
    assert!((npv - hand).abs() < 1e-6 * hand, "{npv} vs {hand}");
    assert_eq!(built(&["projects.hill-mine.products.copper.selling-costs=3000"]), None);
    assert_eq!(built(&["projects.hill-mine.products.copper.payable=0.6"]), None);
}
