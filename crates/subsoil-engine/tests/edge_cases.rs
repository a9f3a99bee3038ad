//! Runs at the edges of what a scenario may ask: one path, a one-year horizon, every deposit occupied,
//! prices at the bottom of their range, a deal with no contributions, a horizon that ends before the
//! lock-up. Each gives sane, finite results or a clear error; and counts get exact percentiles.

use subsoil_core::{Control, StartControl};
use subsoil_engine::{RunConfig, RunResult, run};
use subsoil_scenario::{Scenario, load};

fn scenario(name: &str, sets: &[&str]) -> Scenario {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    match load(name, &sets) {
        Ok(s) => s,
        Err(e) => panic!("{name} does not load:\n{}", e.render()),
    }
}

fn mc(s: &Scenario, paths: u64) -> RunResult {
    match run(s, &RunConfig { threads: 2, ..RunConfig::new(paths, 7) }) {
        Ok(r) => r,
        Err(e) => panic!("run failed: {e}"),
    }
}

/// Every statistic of every metric is finite (or, for a spread of one path, undefined), and nothing
/// was left out as non-finite.
fn assert_sane(r: &RunResult, paths: u64) {
    for m in &r.metrics {
        let d = &m.stats;
        assert_eq!((d.n, d.non_finite), (paths, 0), "{}", m.name);
        for (what, x) in [
            ("mean", d.mean),
            ("p10", d.p10),
            ("p50", d.p50),
            ("p90", d.p90),
            ("min", d.min),
            ("max", d.max),
        ] {
            assert!(x.is_finite(), "{} {what} = {x}", m.name);
        }
        assert!(d.min <= d.p50 && d.p50 <= d.max, "{}: {} {} {}", m.name, d.min, d.p50, d.max);
    }
    for p in &r.probabilities {
        assert!((0.0..=1.0).contains(&p.chance.p), "{}: {}", p.name, p.chance.p);
    }
}

fn metric<'a>(r: &'a RunResult, name: &str) -> &'a subsoil_engine::Distribution {
    &r.metric(name).unwrap_or_else(|| panic!("metric {name}")).stats
}

#[test]
fn counts_of_projects_get_exact_percentiles_and_money_says_its_precision() {
    let s = scenario("ukraine-final-2025", &[]);
    let r = mc(&s, 2_000);
    for name in ["producing-2030", "producing-2035", "producing-2045"] {
        let d = metric(&r, name);
        assert_eq!(d.quantile_relative_error, 0.0, "{name}");
        for q in [d.p5, d.p10, d.p25, d.p50, d.p75, d.p90, d.p95] {
            assert_eq!(q, q.round(), "{name}: a count's percentile is a whole number, not {q}");
        }
    }
    let producing = r.fan("producing").expect("the producing series");
    assert_eq!(producing.quantile_relative_error, 0.0);
    assert!(producing.years.iter().all(|y| y.p50 == y.p50.round()));
    for name in ["npv-total", "revenue", "receipts-new"] {
        assert_eq!(metric(&r, name).quantile_relative_error, 0.005, "{name}");
    }
}

#[test]
fn one_path_has_a_mean_and_no_spread() {
    let s = scenario("ukraine-final-2025", &[]);
    let r = mc(&s, 1);
    assert_sane(&r, 1);
    for m in &r.metrics {
        let d = &m.stats;
        assert!(d.sd.is_nan() && d.se.is_nan(), "{}: a spread of one path is undefined", m.name);
        assert_eq!((d.min, d.max), (d.mean, d.mean), "{}", m.name);
    }
}

#[test]
fn a_one_year_horizon_runs_and_drops_what_lies_beyond_it() {
    let s = scenario("ukraine-final-2025", &["time.horizon-years=1"]);
    let r = mc(&s, 200);
    assert_sane(&r, 200);
    // No metric about a year past the horizon.
    assert!(r.metric("producing-2030").is_none());
    let fan = r.fan("producing").expect("the producing series");
    assert_eq!(fan.years.len(), 1);
}

#[test]
fn with_every_deposit_occupied_the_host_gets_nothing_from_projects() {
    let mut s = scenario("ukraine-final-2025", &[]);
    for d in &mut s.model.deposits {
        d.control = StartControl::Known(Control::Occupied);
    }
    let r = mc(&s, 200);
    assert_sane(&r, 200);
    // (The partner still gets back some of its own cash through the fund.)
    for name in ["receipts-new", "capex", "revenue", "host-payments"] {
        let d = metric(&r, name);
        assert_eq!((d.min, d.max), (0.0, 0.0), "{name}");
    }
    for name in ["producing-2030", "producing-2035", "producing-2045"] {
        assert_eq!(metric(&r, name).max, 0.0, "{name}");
    }
}

#[test]
fn zero_prices_are_refused_where_written_and_the_smallest_price_runs() {
    let err = match load("ukraine-final-2025", &["products.lithium-spodumene.price=0".to_string()])
    {
        Ok(_) => panic!("a zero price was accepted"),
        Err(e) => e.render(),
    };
    assert!(err.contains("products.lithium-spodumene.price"), "{err}");
    assert!(err.contains("outside [1e-9, 1e12]") || err.contains("1e-9"), "{err}");
    // At the smallest allowed price nothing lithium is built, and the results stay finite.
    let s = scenario(
        "ukraine-final-2025",
        &["products.lithium-spodumene.price=1e-9", "products.lithium-spodumene.long-run=1e-9"],
    );
    let r = mc(&s, 200);
    assert_sane(&r, 200);
    let p = r.probability("new-lithium-mine-by-2035").expect("the lithium probability");
    assert_eq!(p.chance.p, 0.0);
}

#[test]
fn a_deal_with_no_contributions_pays_nothing_in() {
    let s = scenario("ukraine-final-2025", &["deal.contributions=[]"]);
    assert!(s.model.deal.contributions.is_empty());
    let r = mc(&s, 200);
    assert_sane(&r, 200);
    for name in ["host-payments", "host-payments-pv", "host-payments-max-gdp-share"] {
        let d = metric(&r, name);
        assert_eq!((d.min, d.max), (0.0, 0.0), "{name}");
    }
}

#[test]
fn a_horizon_ending_before_the_lock_up_distributes_nothing() {
    // The final agreement locks distributions up; a horizon of 5 years ends before that.
    let s = scenario("ukraine-final-2025", &["time.horizon-years=5", "deal.lock-up-until=2040"]);
    let r = mc(&s, 200);
    assert_sane(&r, 200);
    let d = metric(&r, "partner-receipts");
    assert_eq!((d.min, d.max), (0.0, 0.0));
    let first = r.events.iter().find(|e| e.name == "partner-first-distribution").expect("event");
    assert_eq!(first.curve.by_horizon.p, 0.0);
    // The fund still holds what was paid in: its value is finite and not negative.
    let v = metric(&r, "fund-value");
    assert!(v.min >= 0.0, "{}", v.min);
}
