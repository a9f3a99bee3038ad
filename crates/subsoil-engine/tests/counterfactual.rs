//! `counterfactual`: a scenario with and without its deal on the same paths. On a one-mine scenario
//! without uncertain inputs the mine is built only because the fund co-invests, and every measure is
//! the hand computation below (all paths are the same, so there is no Monte Carlo error).

use subsoil_engine::{RunConfig, counterfactual};

const FILE: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/counterfactual/fund-builds.toml");

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * b.abs().max(1.0)
}

#[test]
fn the_mine_the_fund_makes_worth_building_and_the_hosts_net_position() {
    let with = subsoil_scenario::load(FILE, &[]).unwrap_or_else(|e| panic!("{}", e.render()));
    let without =
        subsoil_scenario::mix::without_deal(FILE, &[]).unwrap_or_else(|e| panic!("{}", e.render()));
    assert!(!without.model.deal.active());
    let r = counterfactual(&with, &without, &RunConfig { threads: 2, ..RunConfig::new(300, 4) })
        .expect("runs");
    // At the 8% hurdle the mine (IRR 7.6%) waits for ever without the deal. With it, the partner's
    // $500m reaches the fund in 2026, and from 2027 the fund offers 30% of the equity at 5%: the blended
    // hurdle 0.3·5% + 0.7·8% = 7.1% is below the IRR, so the mine is built in 2027 and produces
    // 2029-2040 (a two-year build, twelve years of output).
    let m = |name: &str| r.measure(name).unwrap_or_else(|| panic!("{name}")).mean;
    assert_eq!(m("projects-built-only-with-deal"), 1.0);
    assert_eq!(m("projects-built-only-without-deal"), 0.0);
    assert_eq!(r.any_built_only_with.p, 1.0);
    assert_eq!(r.projects[0].only_with.p, 1.0);
    // Its state receipts (no inflation, so real = nominal, undiscounted): royalty 3.5% of $360m a year
    // for 12 years = 151.2; corporate tax 30% of (360 − 12.6 − 208 − 90 depreciation) = 14.82 a year for
    // the 10 years of depreciation and 30% of 139.4 = 41.82 for the last 2: 148.2 + 83.64 = 231.84.
    // In all $383.04m, every dollar of it only because of the deal.
    let receipts = 151.2e6 + 148.2e6 + 83.64e6;
    assert!(close(m("state-receipts-difference"), receipts), "{}", m("state-receipts-difference"));
    assert!(close(m("receipts-from-deal-projects"), receipts));
    // The host pays half its royalty into the fund, 75.6, and the fund (without tiers) pays nothing
    // out: its net position is 383.04 − 75.6 = 307.44.
    assert!(close(m("host-payments"), 75.6e6), "{}", m("host-payments"));
    assert_eq!(m("host-distributions"), 0.0);
    assert!(close(m("host-net"), receipts - 75.6e6), "{}", m("host-net"));
    assert_eq!(m("partner-receipts"), 0.0);
    for s in &r.measures {
        assert!(s.stats.se.abs() < 1e-6, "{}: every path is the same", s.measure.name);
    }
    // The two runs are those of the two scenarios.
    let run = subsoil_engine::run(&without, &RunConfig::new(300, 4)).expect("run");
    assert_eq!(
        r.without.metric("capex").map(|x| x.stats.mean),
        run.metric("capex").map(|x| x.stats.mean)
    );
}
