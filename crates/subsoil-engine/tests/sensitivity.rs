//! Sensitivity on a one-mine scenario whose revenue is the long-run price times the output
//! (`tests/data/sensitivity/one-mine.toml`): every number below is worked out by hand from the inputs'
//! distributions.

use subsoil_engine::sensitivity::{
    Factors, SobolConfig, SobolResult, factors, rank_correlations, sobol,
};
use subsoil_engine::{MetricRef, RunConfig, Tornado, tornado, tornado_of};
use subsoil_scenario::FactorGroup;
use subsoil_scenario::Scenario;

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/sensitivity/one-mine.toml");

/// z of the 90th percentile of the standard normal.
const Z90: f64 = 1.281_551_565_544_600_4;

fn load() -> Scenario {
    subsoil_scenario::load(FILE, &[]).unwrap_or_else(|e| panic!("{}", e.render()))
}

fn tornado_for(s: &Scenario, name: &str, paths: u64) -> Tornado {
    let metric = MetricRef::find(&s.model, name).unwrap_or_else(|e| panic!("{e}"));
    tornado(s, &metric, &RunConfig { threads: 2, ..RunConfig::new(paths, 11) }, &|_| {})
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_tornado_of_revenue_swings_by_the_percentiles_of_price_and_output() {
    let s = load();
    let t = tornado_for(&s, "revenue", 2_000);
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
    let t = tornado_for(&s, "new-mine-by-2030", 500);
    assert!(t.probability);
    let top = &t.swings[0];
    assert_eq!(top.input, "projects.hill-mine.construction-years");
    assert_eq!((top.p10, top.p90), (2.0, 6.0));
    assert_eq!((top.at_p10, top.at_p90, top.swing, top.se), (1.0, 0.0, -1.0, 0.0));
    assert!(t.swings[1..].iter().all(|w| w.swing == 0.0), "{:?}", t.swings);
    // Half the paths build in 2 years.
    assert!((t.base - 0.5).abs() < 4.0 * t.base_se, "{} ± {}", t.base, t.base_se);
    // The same swing when only that input is asked for; an unknown name is an error.
    let metric = MetricRef::find(&s.model, "new-mine-by-2030").unwrap_or_else(|e| panic!("{e}"));
    let config = RunConfig { threads: 2, ..RunConfig::new(500, 11) };
    let only = ["projects.hill-mine.construction-years"];
    let t = tornado_of(&s, &metric, &config, &only, &|_| {}).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(t.swings.len(), 1);
    assert_eq!((t.swings[0].swing, t.swings[0].se), (-1.0, 0.0));
    let err = tornado_of(&s, &metric, &config, &["nope"], &|_| {}).expect_err("unknown");
    assert!(err.to_string().contains("\"nope\" is not an uncertain input"), "{err}");
}

#[test]
fn an_unknown_metric_names_what_the_scenario_reports() {
    let s = load();
    let err = MetricRef::find(&s.model, "partner-receipts").expect_err("no deal, no partner");
    let msg = err.to_string();
    assert!(msg.contains("`partner-receipts`") && msg.contains("revenue, npv-total"), "{msg}");
}

// Variance-based indices of revenue = 12 L C, with L (the long-run price) and C (the capacity)
// independent lognormals of log-sds σL = ln(11/9) / z90 = 0.1566 and σC = ln(1.3) / z90 = 0.2047.
// For a product of independent factors, Var(Y) ∝ E[L²] E[C²] − (E L E C)², and the part explained by L
// alone is Var(L) (E C)², so with E[X²] = (E X)² exp(σ²):
//   S_L = (exp(σL²) − 1) / (exp(σL² + σC²) − 1) = 0.3615,  S_C = (exp(σC²) − 1) / (same) = 0.6230,
// and, as the only other term is their interaction, T_L = 1 − S_C = 0.3770 and T_C = 1 − S_L = 0.6385.
// Opex, the build time and every stream (the copper price's shocks, the mine's events) do not move
// revenue: every index 0. At peace the conflict's streams are not drawn from and make no factor.

fn analytic() -> (f64, f64, f64, f64) {
    let sl2 = ((11.0f64 / 9.0).ln() / Z90).powi(2);
    let sc2 = (1.3f64.ln() / Z90).powi(2);
    let v = (sl2 + sc2).exp() - 1.0;
    let (s_l, s_c) = ((sl2.exp() - 1.0) / v, (sc2.exp() - 1.0) / v);
    (s_l, s_c, 1.0 - s_c, 1.0 - s_l)
}

/// Rows of the design: 8,192 rows × (5 factors + 2) = 57,344 paths of one mine (at peace: no conflict
/// factor). The bootstrap half-widths
/// of the two large indices are about 0.01 at this size, so 0.03 is about six standard errors; the
/// seed is fixed, so the test is deterministic.
const ROWS: u64 = 8_192;

fn sobol_of(s: &Scenario, groups: &[FactorGroup]) -> (Factors, SobolResult) {
    let metric = MetricRef::find(&s.model, "revenue").unwrap_or_else(|e| panic!("{e}"));
    let f = factors(s, groups).unwrap_or_else(|e| panic!("{e}"));
    let config = SobolConfig { rows: ROWS, seed: 3, threads: 2, resamples: 100 };
    let r = sobol(s, &metric, &f, &config, &|_| {}).unwrap_or_else(|e| panic!("{e}"));
    (f, r)
}

fn index<'a>(r: &'a SobolResult, name: &str) -> &'a subsoil_stats::SobolIndex {
    match r.factors.iter().find(|f| f.factor == name) {
        Some(f) => &f.index,
        None => panic!("no factor {name} in {:?}", r.factors),
    }
}

#[test]
fn sobol_indices_of_price_times_output_match_the_analytic_ones_through_the_scenario() {
    let s = load();
    let (f, r) = sobol_of(&s, &[]);
    let names: Vec<&str> = f.list.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "products.copper",
            "projects.*.products.copper.capacity",
            "projects.*.products.copper.opex",
            "projects.*.construction-years",
            "projects.*.events",
        ]
    );
    assert_eq!(f.list[0].streams, ["products.copper.shock"]);
    assert!(f.split.is_empty());
    assert_eq!(r.paths, ROWS * 7);
    let (s_l, s_c, t_l, t_c) = analytic();
    let price = index(&r, "products.copper");
    let output = index(&r, "projects.*.products.copper.capacity");
    for (what, got, want) in [
        ("S_L", price.first, s_l),
        ("T_L", price.total, t_l),
        ("S_C", output.first, s_c),
        ("T_C", output.total, t_c),
    ] {
        assert!((got - want).abs() < 0.03, "{what}: {got} vs {want}");
    }
    assert!(price.total_ci95[0] < t_l && t_l < price.total_ci95[1], "{price:?}");
    for name in
        ["projects.*.products.copper.opex", "projects.*.construction-years", "projects.*.events"]
    {
        // Hybrids that change nothing reproduce y_A exactly: the total index is 0, exactly.
        assert_eq!(index(&r, name).total, 0.0, "{name}");
    }
}

#[test]
fn a_declared_group_of_price_and_output_explains_all_of_revenue() {
    let s = load();
    let group = FactorGroup {
        name: "revenue-drivers".into(),
        patterns: vec!["products.copper.long-run".into(), "*.capacity".into()],
    };
    let (f, r) = sobol_of(&s, &[group]);
    assert_eq!(f.list[0].name, "revenue-drivers");
    assert!(f.list[0].declared);
    assert_eq!(f.list[0].inputs.len(), 2);
    // The price's shocks are left to the default factor of the copper market.
    let market = f.list.iter().find(|f| f.name == "products.copper").expect("a default factor");
    assert!(market.inputs.is_empty() && !market.declared);
    assert_eq!(market.streams, ["products.copper.shock"]);
    // The group holds everything revenue depends on: its hybrid is the B row, so S = 1 exactly, and
    // T = 1 up to the difference between the pooled and the sample variance.
    let g = index(&r, "revenue-drivers");
    assert!((g.first - 1.0).abs() < 1e-12, "{g:?}");
    assert!((g.total - 1.0).abs() < 0.03, "{g:?}");
    // A pattern that matches nothing is an error that names it.
    let bad = FactorGroup { name: "x".into(), patterns: vec!["nothing.*".into()] };
    let err = factors(&s, &[bad]).expect_err("unmatched");
    assert!(err.to_string().contains("\"nothing.*\" matches no uncertain input"), "{err}");
}

#[test]
fn correlated_inputs_share_a_default_factor_and_a_declared_split_is_reported() {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/sensitivity/correlated.toml");
    let s = subsoil_scenario::load(file, &[]).unwrap_or_else(|e| panic!("{}", e.render()));
    // By default the correlated long-run price and capacity join one factor.
    let f = factors(&s, &[]).unwrap_or_else(|e| panic!("{e}"));
    assert!(f.split.is_empty(), "{:?}", f.split);
    let joint = &f.list[0];
    assert_eq!(joint.name, "products.copper + projects.*.products.copper.capacity");
    assert_eq!(
        joint.inputs,
        ["products.copper.long-run", "projects.hill-mine.products.copper.capacity"]
    );
    assert_eq!(joint.streams, ["products.copper.shock"]);
    // A declared group that takes one of them splits the pair, and says so.
    let one = FactorGroup { name: "output".into(), patterns: vec!["*.capacity".into()] };
    let f = factors(&s, &[one]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(f.split.len(), 1);
    let split = &f.split[0];
    assert_eq!(
        (split.a.as_str(), split.b.as_str()),
        ("products.copper.long-run", "projects.hill-mine.products.copper.capacity")
    );
    assert_eq!((split.factor_a.as_str(), split.factor_b.as_str()), ("products.copper", "output"));
    assert_eq!(split.rho, 0.5);
    let together = FactorGroup {
        name: "both".into(),
        patterns: vec!["products.copper.long-run".into(), "*.capacity".into()],
    };
    assert!(factors(&s, &[together]).unwrap_or_else(|e| panic!("{e}")).split.is_empty());
}

#[test]
fn rank_correlations_of_price_and_output_with_revenue() {
    let s = load();
    let metric = MetricRef::find(&s.model, "revenue").unwrap_or_else(|e| panic!("{e}"));
    let config = RunConfig { threads: 2, ..RunConfig::new(4_000, 5) };
    let ranks = rank_correlations(&s, &metric, &config, &|_| {}).unwrap_or_else(|e| panic!("{e}"));
    // ln revenue = ln 12 + ln L + ln C is normal, and so are ln L and ln C; ranks do not change under
    // the logarithm, and for a bivariate normal of correlation r Spearman's ρ is (6/π) asin(r/2). With
    // r = σ/√(σL² + σC²): ρ(C) = 0.780, ρ(L) = 0.590; opex and the build time 0. At 4,000 paths the
    // standard error of ρ is about 0.01 or less; the tolerance 0.04 is four of them.
    let sl = (11.0f64 / 9.0).ln() / Z90;
    let sc = 1.3f64.ln() / Z90;
    let spearman = |r: f64| 6.0 / std::f64::consts::PI * (r / 2.0).asin();
    let want = [
        ("projects.hill-mine.products.copper.capacity", spearman(sc / sl.hypot(sc))),
        ("products.copper.long-run", spearman(sl / sl.hypot(sc))),
    ];
    for (r, (name, rho)) in ranks.iter().zip(want) {
        assert_eq!(r.input, name);
        assert!((r.rank.rho - rho).abs() < 0.04, "{name}: {} vs {rho}", r.rank.rho);
        assert!(r.rank.ci95[0] < rho && rho < r.rank.ci95[1], "{name}: {:?}", r.rank);
    }
    for r in &ranks[2..] {
        assert!(r.rank.rho.abs() < 0.04, "{}: {}", r.input, r.rank.rho);
    }
}
