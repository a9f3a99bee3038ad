//! A worked example computed by hand, checked year by year against the model: a royalty project whose
//! tax loss is carried forward and whose licence was re-awarded after the deal's effective date (new
//! receipts), and a PSA project with a year in which cost recovery is capped (existing receipts).
//!
//! Inputs (tests/data/worked-example): zero inflation, flat price 100 USD/t, CIT 18%, straight-line tax
//! depreciation over 4 years, valuation rate 10%.

use subsoil_core::{Receipts, Stream};
use subsoil_engine::base_case;

const TOL: f64 = 1e-9;

/// One year of a project: (year, revenue, opex, royalty, cost recovery, state share, CIT, capex, closure,
/// depreciation, free cash flow).
type Row = (i32, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64);

// Project A (royalty regime). Capex 1000 over 2 years; output 10 t/yr with a one-year ramp starting at
// 50%; opex 50/t; royalty 10%; closure 100 the year after the last of 4 production years.
//
// 2026-27: capex 500 a year, capitalised.
// 2028: 5 t → revenue 500, opex 250, royalty 50; depreciation 1000/4 = 250 from the first production
//       year; taxable 500 − 50 − 250 − 250 = −50 → no tax, loss of 50 carried forward.
//       FCF 500 − 250 − 50 = 200.
// 2029: 10 t → revenue 1000, opex 500, royalty 100; taxable 1000 − 100 − 500 − 250 = 150, less the
//       loss of 50 = 100 → CIT 18. FCF 1000 − 500 − 100 − 18 = 382.
// 2030, 2031: taxable 150, no loss left → CIT 27. FCF 373.
// 2032: closure 100, a loss nothing can use. FCF −100.
// 2033: nothing.
const A: [Row; 8] = [
    (2026, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 500.0, 0.0, 0.0, -500.0),
    (2027, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 500.0, 0.0, 0.0, -500.0),
    (2028, 500.0, 250.0, 50.0, 0.0, 0.0, 0.0, 0.0, 0.0, 250.0, 200.0),
    (2029, 1000.0, 500.0, 100.0, 0.0, 0.0, 18.0, 0.0, 0.0, 250.0, 382.0),
    (2030, 1000.0, 500.0, 100.0, 0.0, 0.0, 27.0, 0.0, 0.0, 250.0, 373.0),
    (2031, 1000.0, 500.0, 100.0, 0.0, 0.0, 27.0, 0.0, 0.0, 250.0, 373.0),
    (2032, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 100.0, 0.0, -100.0),
    (2033, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
];

// Project B (PSA). Capex 300 in one year; 10 t/yr for 3 years at full output; opex 20/t; PSA royalty 2%;
// cost recovery at most 50% of revenue after royalty; state share 40% of profit production.
//
// 2026: capex 300 joins the cost pool (300). No revenue.
// 2027: revenue 1000, opex 200, royalty 20. Pool 300 + 200 = 500; limit 0.5 × 980 = 490 → recovery 490
//       (capped: 10 stays in the pool). Profit production 980 − 490 = 490 → state 196.
//       Depreciation 300/4 = 75. Taxable 1000 − 20 − 196 − 200 − 75 = 509 → CIT 91.62.
//       FCF 1000 − 200 − 20 − 196 − 91.62 = 492.38.
// 2028: pool 10 + 200 = 210 → recovery 210; profit production 770 → state 308.
//       Taxable 1000 − 20 − 308 − 200 − 75 = 397 → CIT 71.46. FCF 400.54.
// 2029: pool 200 → recovery 200; profit production 780 → state 312.
//       Taxable 1000 − 20 − 312 − 200 − 75 = 393 → CIT 70.74. FCF 397.26.
// 2030: closure (cost 0); the last depreciation of 75 is a loss. Nothing paid.
const B: [Row; 8] = [
    (2026, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 300.0, 0.0, 0.0, -300.0),
    (2027, 1000.0, 200.0, 20.0, 490.0, 196.0, 91.62, 0.0, 0.0, 75.0, 492.38),
    (2028, 1000.0, 200.0, 20.0, 210.0, 308.0, 71.46, 0.0, 0.0, 75.0, 400.54),
    (2029, 1000.0, 200.0, 20.0, 200.0, 312.0, 70.74, 0.0, 0.0, 75.0, 397.26),
    (2030, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 75.0, 0.0),
    (2031, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    (2032, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    (2033, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
];

fn scenario() -> subsoil_scenario::Scenario {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/worked-example/scenario.toml");
    match subsoil_scenario::load(path, &[]) {
        Ok(s) => s,
        Err(e) => panic!("worked example does not load:\n{}", e.render()),
    }
}

fn check(project: usize, expected: &[Row], out: &subsoil_core::PathOutcome, name: &str) {
    let flows = out.flows(project).expect("the base case traces flows");
    for (t, e) in expected.iter().enumerate() {
        let f = &flows[t];
        let got = [
            f.revenue,
            f.opex,
            f.royalty,
            f.cost_recovery,
            f.state_share,
            f.cit,
            f.capex,
            f.closure,
            f.depreciation,
            f.fcf(),
        ];
        let want = [e.1, e.2, e.3, e.4, e.5, e.6, e.7, e.8, e.9, e.10];
        let names = [
            "revenue",
            "opex",
            "royalty",
            "cost recovery",
            "state share",
            "CIT",
            "capex",
            "closure",
            "depreciation",
            "FCF",
        ];
        for k in 0..want.len() {
            assert!(
                (got[k] - want[k]).abs() < TOL,
                "{name} {}: {} is {}, expected {}",
                e.0,
                names[k],
                got[k],
                want[k]
            );
        }
    }
}

#[test]
fn the_royalty_project_matches_the_hand_computation_year_by_year() {
    let s = scenario();
    let (bc, out) = base_case(&s);
    let a = s.model.projects.iter().position(|p| p.id == "a-royalty").expect("project a");
    check(a, &A, &out, "a-royalty");
    // NPV at 10% to 2026 of the FCF column.
    let npv: f64 = A.iter().enumerate().map(|(t, r)| r.10 / 1.1f64.powi(t as i32)).sum();
    assert!((bc.projects[a].npv - npv).abs() < 1e-6);
    assert_eq!(bc.projects[a].first_production, Some(2028));
}

#[test]
fn the_psa_project_matches_the_hand_computation_year_by_year() {
    let s = scenario();
    let (_, out) = base_case(&s);
    let b = s.model.projects.iter().position(|p| p.id == "b-psa").expect("project b");
    check(b, &B, &out, "b-psa");
}

#[test]
fn receipts_from_the_re_awarded_licence_are_new_and_from_the_old_psa_existing() {
    let s = scenario();
    let (_, out) = base_case(&s);
    // New: project A's royalty and CIT. Existing: project B's royalty, state share and CIT.
    for (t, y) in out.years.iter().enumerate() {
        let r: &Receipts = &y.receipts;
        let a = &A[t];
        let b = &B[t];
        assert!((r.get(Stream::Royalty, true) - a.3).abs() < TOL, "year {}", a.0);
        assert!((r.get(Stream::CorporateTax, true) - a.6).abs() < TOL, "year {}", a.0);
        assert!((r.get(Stream::Royalty, false) - b.3).abs() < TOL, "year {}", b.0);
        assert!((r.get(Stream::PsaStateShare, false) - b.5).abs() < TOL, "year {}", b.0);
        assert!((r.get(Stream::CorporateTax, false) - b.6).abs() < TOL, "year {}", b.0);
        assert_eq!(r.get(Stream::PsaStateShare, true), 0.0);
    }
    // Under a deal that takes effect after the re-award, A's licence is existing.
    let later = subsoil_scenario::load(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/worked-example/scenario.toml"),
        &["deal.effective-date=2025-10-01".to_string()],
    )
    .expect("loads");
    let (_, out2) = base_case(&later);
    let new_total: f64 = out2.years.iter().map(|y| y.receipts.total(true)).sum();
    assert_eq!(new_total, 0.0);
}
