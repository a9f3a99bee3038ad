//! Licensing flows worked by hand (tests/data/flows/permits.toml): a flow of four permits a year in
//! 2026-2028 at US$1m each, half of them developed into a small copper mine, on neutral defaults (no
//! inflation, no leakage, at peace), with the scenario's own mine never built.

use subsoil_core::{PathOutcome, Stream, Workspace, simulate};
use subsoil_engine::{PathRandomness, ScalarDraws, base_case};
use subsoil_risk::{Sampler, SamplerKind};

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/flows/permits.toml");

fn load(sets: &[&str]) -> subsoil_scenario::Scenario {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    subsoil_scenario::load(FILE, &sets).unwrap_or_else(|e| panic!("{}", e.render()))
}

fn new_receipts(out: &PathOutcome, t: usize, s: Stream) -> f64 {
    out.years[t].receipts.get(s, true) / 1e6
}

#[test]
fn fixed_count_and_fee_give_these_receipts_year_by_year() {
    let s = load(&[]);
    let (_, out) = base_case(&s);
    // The base case draws the median count: Poisson(4) has P(≤3) = 0.4335 and P(≤4) = 0.6288, so 4
    // permits a year; Binomial(4, 0.5) has P(≤1) = 0.3125, P(≤2) = 0.6875, so 2 of them developed.
    assert_eq!(&out.permits[..4], &[4, 4, 4, 0]);
    assert_eq!(&out.developed[..4], &[2, 2, 2, 0]);
    // Fees: 4 × US$1m in each year of the flow, new, nothing else that year.
    for t in 0..3 {
        assert_eq!(new_receipts(&out, t, Stream::LicenceFee), 4.0, "fees in year {t}");
    }
    assert_eq!(new_receipts(&out, 3, Stream::LicenceFee), 0.0);
    // A permit of year y starts its two-year lag in y + 1, is ready in y + 3 and, always built, spends its
    // one year of construction then (US$10m), producing in y + 4 .. y + 6: the 2026 permits 2030-2032,
    // the 2027 ones 2031-2033, the 2028 ones 2032-2034. Each mine: 1,000 t × US$9,000 = US$9m revenue,
    // royalty 3.5% = US$0.315m; taxable profit 9 − 0.315 − opex 5.2 − depreciation 1.0 (10 years
    // straight line of 10) = 2.485, tax 30% = US$0.7455m.
    let mines = [0, 0, 0, 0, 2, 4, 6, 4, 2, 0];
    for (t, &n) in mines.iter().enumerate() {
        let n = f64::from(n);
        let royalty = new_receipts(&out, t, Stream::Royalty);
        let tax = new_receipts(&out, t, Stream::CorporateTax);
        assert!((royalty - 0.315 * n).abs() < 1e-9, "royalty {royalty} in year {t}");
        assert!((tax - 0.7455 * n).abs() < 1e-9, "tax {tax} in year {t}");
        let capex = out.years[t].capex_nominal / 1e6;
        let built = if (3..6).contains(&t) { 20.0 } else { 0.0 };
        assert!((capex - built).abs() < 1e-9, "capex {capex} in year {t}");
    }
    // Nothing is existing.
    assert!(out.years.iter().all(|y| y.receipts.total(false) == 0.0));
    // The developed permits produce from 2030, but they are not the scenario's own projects: no new mine
    // by 2030 (the scenario's mine is never built).
    let p = subsoil_engine::PROBABILITIES.iter().find(|p| p.name == "new-mine-by-2030").unwrap();
    assert!(!(p.happens)(&s.model, &out), "a developed permit counted as a new mine");
}

#[test]
fn the_peace_multiplier_scales_the_mean_count() {
    // At peace throughout, the mean is 4 × 2 = 8: Poisson(8) has P(≤7) = 0.4530, P(≤8) = 0.5925.
    // Binomial(8, 0.5) has median 4; the validation asks for room: 8 × 0.5 = 4 developed on average,
    // whose 99.9% quantile is 11, and 8 × 2 permits well under 40.
    let s = load(&[
        "licensing-flows[0].peace-multiplier=2",
        "licensing-flows[0].max-permits-per-year=40",
        "licensing-flows[0].max-projects-per-year=12",
    ]);
    let (_, out) = base_case(&s);
    assert_eq!(&out.permits[..3], &[8, 8, 8]);
    assert_eq!(&out.developed[..3], &[4, 4, 4]);
    assert_eq!(new_receipts(&out, 0, Stream::LicenceFee), 8.0);
}

#[test]
fn maxima_too_small_for_the_mean_are_refused_with_the_room_needed() {
    let sets = vec!["licensing-flows[0].max-permits-per-year=8".to_string()];
    let err = subsoil_scenario::load(FILE, &sets).expect_err("refused").render();
    assert!(err.contains("licensing-flows[0].max-permits-per-year"), "{err}");
    assert!(err.contains("use at least 11"), "{err}");
    let sets = vec!["licensing-flows[0].max-projects-per-year=3".to_string()];
    let err = subsoil_scenario::load(FILE, &sets).expect_err("refused").render();
    assert!(err.contains("use at least 8"), "{err}");
}

#[test]
fn monte_carlo_counts_average_to_the_mean_and_pay_their_fees() {
    // 4,000 paths × 3 years of Poisson(4) counts: the mean count's standard error is
    // sqrt(4 / 12,000) = 0.018, so a tolerance of 0.1 is more than five standard errors (fixed seed: the
    // same number on every run). Every year's fees are exactly the count times the fee.
    let s = load(&[]);
    let draws =
        ScalarDraws::new(&s.inputs, Sampler::new(SamplerKind::Random, 7), &s.rank_correlations)
            .expect("usable");
    let mut scratch = draws.scratch();
    let mut ws = Workspace::new(&s.model);
    let mut out = PathOutcome::new(&s.model, false);
    let (mut permits, mut developed, mut years) = (0u64, 0u64, 0u64);
    for path in 0..4_000 {
        draws.fill(path, &mut scratch);
        simulate(
            &s.model,
            &PathRandomness { seed: 7, path, scalars: scratch.values() },
            &mut ws,
            &mut out,
        );
        for t in 0..3 {
            let n = out.permits[t];
            assert_eq!(new_receipts(&out, t, Stream::LicenceFee), f64::from(n));
            assert!(out.developed[t] <= n);
            permits += u64::from(n);
            developed += u64::from(out.developed[t]);
            years += 1;
        }
    }
    let mean = permits as f64 / years as f64;
    let share = developed as f64 / permits as f64;
    assert!((mean - 4.0).abs() < 0.1, "mean count {mean}");
    assert!((share - 0.5).abs() < 0.03, "developed share {share}");
}
