//! The files in `examples/`: every one loads and runs (the base case and a small Monte Carlo run, the
//! same on one and two threads), and each one's numbers are pinned by hand.
//!
//! - `schaft-creek-check.toml`: a one-mine check with a copper price deck by year, phased capex and three
//!   by-products; its NPV under each discounting convention, and under a deck shifted by its `scale`.
//! - `revenue-backed-deal.toml`: a deal on an exogenous stream whose share changes by year (5% for three
//!   years, 0% for two, 3% after) and stops at a cap; the yearly payments, and with the stream growing
//!   by a rate per year (nominal or real, from the first year of its series).

use subsoil_engine::{RunConfig, base_case, run};
use subsoil_scenario::Scenario;

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");

fn load(name: &str, sets: &[&str]) -> Scenario {
    let path = format!("{EXAMPLES}/{name}");
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    match subsoil_scenario::load(&path, &sets) {
        Ok(s) => s,
        Err(e) => panic!("{name} does not load:\n{}", e.render()),
    }
}

#[test]
fn every_example_runs_and_is_the_same_on_one_and_two_threads() {
    let mut names: Vec<String> = std::fs::read_dir(EXAMPLES)
        .expect("examples/")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    assert!(names.len() >= 2, "{names:?}");
    for name in &names {
        let s = load(name, &[]);
        let text = std::fs::read_to_string(format!("{EXAMPLES}/{name}")).expect("read");
        assert!(text.lines().count() < 40, "{name} has 40 lines or more");
        let (bc, _) = base_case(&s);
        assert!(bc.projects.iter().all(|p| p.npv.is_finite()), "{name}");
        let one = run(&s, &RunConfig { threads: 1, ..RunConfig::new(512, 7) }).expect("run");
        let two = run(&s, &RunConfig { threads: 2, ..RunConfig::new(512, 7) }).expect("run");
        assert_eq!(
            serde_json::to_string(&one).expect("json"),
            serde_json::to_string(&two).expect("json"),
            "{name}"
        );
    }
}

/// The Schaft Creek check's free cash flow by year (USD), 2026-2050, with copper at `scale` × its deck.
/// Build 2026-2028 ($2.65bn in shares 25/45/30%), 21 years of production 2029-2049 with no ramp, closure
/// $154m in 2050; pre-tax and no royalty, no inflation.
fn schaft_creek_flows(scale: f64) -> Vec<f64> {
    let (cu, au, mo, ag) = (238.095e6, 176_190.0, 10.762e6, 780_952.0);
    let deck = |y: i32| match y {
        2029 => 3.70,
        2030 => 3.50,
        _ => 3.25,
    };
    (2026..=2050)
        .map(|y| match y {
            2026 => -0.25 * 2.65e9,
            2027 => -0.45 * 2.65e9,
            2028 => -0.30 * 2.65e9,
            2050 => -154e6,
            _ => {
                let revenue = cu * scale * deck(y) + au * 1500.0 + mo * 10.0 + ag * 20.0;
                revenue - cu * 2.437 - 33.08e6
            }
        })
        .collect()
}

fn npv_at_8(flows: &[f64], offset: f64) -> f64 {
    flows.iter().enumerate().map(|(t, f)| f / 1.08f64.powf(t as f64 + offset)).sum()
}

#[test]
fn the_mine_check_matches_its_npv_by_hand_under_each_discounting_convention() {
    let flows = schaft_creek_flows(1.0);
    // On the deck, 2029 revenue: 238.095m lb × $3.70 + 176,190 oz × $1,500 + 10.762m lb × $10
    // + 780,952 oz × $20 = $1,268.476m; less opex 238.095m × $2.437 and sustaining $33.08m.
    assert!((flows[3] - (1_268.475_54e6 - 580.237_515e6 - 33.08e6)).abs() < 1.0, "{}", flows[3]);
    for (convention, offset) in [("start-of-year", 0.0), ("mid-year", 0.5), ("end-of-year", 1.0)] {
        let s = load("schaft-creek-check.toml", &[&format!("time.discounting=\"{convention}\"")]);
        let (bc, out) = base_case(&s);
        let hand = npv_at_8(&flows, offset);
        let got = bc.projects[0].npv;
        assert!((got - hand).abs() < 1e-9 * hand.abs(), "{convention}: {got} vs {hand}");
        // The phased capex and the by-products' revenue, year by year.
        let f = out.flows(0).expect("traced");
        assert!((f[0].capex - 662.5e6).abs() < 1e-3 && (f[1].capex - 1_192.5e6).abs() < 1e-3);
        assert!((f[2].capex - 795e6).abs() < 1e-3 && f[3].capex == 0.0);
        assert!((f[3].revenue - 1_268.475_54e6).abs() < 1.0, "{}", f[3].revenue);
    }
    // The end-of-year NPV quoted in the file's header: US$2.19bn.
    assert!((npv_at_8(&flows, 1.0) / 1e9 - 2.1875).abs() < 1e-3);
}

#[test]
fn a_scale_shifts_the_whole_deck_and_is_the_uncertain_input_named_by_the_field() {
    let s = load("schaft-creek-check.toml", &["products.copper.price.scale=1.1"]);
    let (bc, _) = base_case(&s);
    let hand = npv_at_8(&schaft_creek_flows(1.1), 1.0);
    assert!((bc.projects[0].npv - hand).abs() < 1e-9 * hand, "{} vs {hand}", bc.projects[0].npv);
    // Uncertain: one draw per path scales every year, and the input is named by the price's path.
    let s = load(
        "schaft-creek-check.toml",
        &["products.copper.price.scale={ dist = \"uniform\", min = 0.8, max = 1.2 }"],
    );
    let input = s.inputs.list.iter().find(|i| i.name == "products.copper.price").expect("input");
    // A ratio, set through the scale (setting the price itself would replace the deck).
    assert_eq!(
        (input.unit.as_str(), input.field.as_deref()),
        ("ratio", Some("products.copper.price.scale"))
    );
    // The base case is at the scale's median, 1.
    let (bc, _) = base_case(&s);
    let hand = npv_at_8(&schaft_creek_flows(1.0), 1.0);
    assert!((bc.projects[0].npv - hand).abs() < 1e-9 * hand);
}

#[test]
fn the_revenue_backed_deal_pays_the_hand_computed_amounts_and_stops_at_the_cap() {
    // Proceeds $1,000m in 2026 rising $100m a year (nominal); share 5% in 2026-2028, 0% in 2029-2030,
    // 3% from 2031; cap $250m. Payments: 50, 55, 60, 0, 0, 45 (cumulative 210), then 3% × 1,600 = 48
    // would pass the cap: 40 in 2032, nothing after.
    let want = [50.0, 55.0, 60.0, 0.0, 0.0, 45.0, 40.0, 0.0, 0.0, 0.0];
    let s = load("revenue-backed-deal.toml", &[]);
    let (bc, out) = base_case(&s);
    let host = s.model.deal.host().expect("host");
    let lender = s.model.deal.parties.iter().position(|p| p.id == "lender").expect("lender");
    for (t, w) in want.iter().enumerate() {
        let got = out.fund[t].contributions;
        assert!((got - w * 1e6).abs() < 1e-6, "{}: {got} vs {w}m", 2026 + t);
        // Paid by the state, the stream's receiver, and passed on to the lender by the `rest` tier.
        assert!((out.fund[t].from_streams[host] - w * 1e6).abs() < 1e-6);
        assert!((out.fund[t].payouts[lender] - w * 1e6).abs() < 1e-6);
    }
    let total: f64 = out.fund.iter().map(|f| f.contributions).sum();
    assert!((total - 250e6).abs() < 1e-6, "{total}");
    assert!((out.capital[host] - 250e6).abs() < 1e-6);
    assert!(bc.deal.is_some());
    // The yearly table shows the stream as the state receives it: $1,600m in 2032, held after 2033.
    let y = subsoil_engine::yearly(&s, &out);
    let stream: Vec<f64> = y
        .rows
        .iter()
        .filter(|r| r.item == "exogenous-stream" && r.id == "oil-exports")
        .map(|r| r.value)
        .collect();
    assert_eq!(stream.len(), 10);
    assert_eq!((stream[6], stream[9]), (1_600e6, 1_700e6));
    // The host pays what it contributes from its own stream: $250m, no inflation. A stream the lender
    // receives is paid in by the lender: the host pays nothing.
    let summary = bc.deal.as_ref().expect("deal");
    assert!((summary.host_payments - 250e6).abs() < 1e-3, "{}", summary.host_payments);
    let s = load("revenue-backed-deal.toml", &["streams.oil-exports.receiver=\"lender\""]);
    let (bc, out) = base_case(&s);
    assert!((out.fund[0].from_streams[lender] - 50e6).abs() < 1e-6);
    assert_eq!(bc.deal.as_ref().expect("deal").host_payments, 0.0);
    // Real dollars escalate with inflation: at 2% a year from the 2026 base year, 2027 pays
    // 5% × 1,100 × 1.02 = 56.1.
    let s = load(
        "revenue-backed-deal.toml",
        &["streams.oil-exports.dollars=\"real\"", "macro.us-inflation=0.02"],
    );
    let (_, out) = base_case(&s);
    assert!((out.fund[1].contributions - 56.1e6).abs() < 1e-3, "{}", out.fund[1].contributions);
}

#[test]
fn a_growing_stream_compounds_from_the_first_year_of_its_series() {
    // Proceeds $1,000m in 2026 rising $100m a year (nominal), now also growing 5% a year from 2026, the
    // series' first year: 2027 receives 1,100 × 1.05 = 1,155, 2031 1,500 × 1.05^5 = 1,914.4224.
    // Payments: 5% × 1,000 = 50, 5% × 1,155 = 57.75, 5% × 1,200 × 1.05^2 = 66.15, 0, 0,
    // 3% × 1,914.4224 = 57.4327 (cumulative 231.3327), then the cap leaves 18.6673 for 2032.
    let grow = "streams.oil-exports.growth=0.05";
    let s = load("revenue-backed-deal.toml", &[grow]);
    let (_, out) = base_case(&s);
    let g5 = 1.05f64.powi(5);
    let want = [50.0, 57.75, 66.15, 0.0, 0.0, 45.0 * g5, 250.0 - 173.9 - 45.0 * g5, 0.0];
    for (t, w) in want.iter().enumerate() {
        let got = out.fund[t].contributions;
        assert!((got - w * 1e6).abs() < 1e-4, "{}: {got} vs {w}m", 2026 + t);
    }
    let y = subsoil_engine::yearly(&s, &out);
    let stream = |year: i32| {
        let row = y
            .rows
            .iter()
            .find(|r| r.item == "exogenous-stream" && r.id == "oil-exports" && r.year == year);
        row.expect("a row a year").value
    };
    assert!((stream(2027) - 1_155e6).abs() < 1e-3, "{}", stream(2027));
    assert!((stream(2031) - 1_500e6 * g5).abs() < 1e-3, "{}", stream(2031));
    // Real dollars grow in real terms and are escalated with inflation on top: 2027 pays
    // 5% × 1,100 × 1.05 × 1.02 = 58.905 with 2% inflation from the 2026 base year.
    let real = ["streams.oil-exports.dollars=\"real\"", "macro.us-inflation=0.02", grow];
    let (_, out) = base_case(&load("revenue-backed-deal.toml", &real));
    assert!((out.fund[1].contributions - 58.905e6).abs() < 1e-3, "{}", out.fund[1].contributions);
    // One amount every year grows from the first simulated year: $1,000m gives 50, 52.5, 55.125.
    let (_, out) =
        base_case(&load("revenue-backed-deal.toml", &[grow, "streams.oil-exports.amount=1000e6"]));
    for (t, w) in [50.0, 52.5, 55.125].iter().enumerate() {
        let got = out.fund[t].contributions;
        assert!((got - w * 1e6).abs() < 1e-4, "{}: {got} vs {w}m", 2026 + t);
    }
    // A series that starts before the simulation compounds from its own first year: $1,000m given
    // from 2024 (held) is 1,000 × 1.05^2 = 1,102.5 in 2026, a payment of 55.125.
    let early = "streams.oil-exports.amount={ by-year = { 2024 = 1000e6 }, outside = \"hold-last\", unit = \"USD/yr\" }";
    let (_, out) = base_case(&load("revenue-backed-deal.toml", &[grow, early]));
    assert!((out.fund[0].contributions - 55.125e6).abs() < 1e-4, "{}", out.fund[0].contributions);
    // No growth given is no growth: the payments of the test above.
    let (_, out) = base_case(&load("revenue-backed-deal.toml", &[]));
    assert!((out.fund[1].contributions - 55e6).abs() < 1e-6);
}

#[test]
fn investors_value_a_project_on_the_deck_ahead_and_wait_for_it_to_turn() {
    // Copper at $0.50/lb through 2035 and the PEA's $3.25/lb from 2036: built in year Y, the mine
    // produces in Y+3..Y+23 on the deck. An investor at 8% builds in the first year whose NPV on the deck
    // ahead is positive; the observed price never moves, so only the deck can make the project worth
    // building (a valuation on today's price alone would wait for ever).
    let mut sets = vec![
        "projects.schaft-creek.decision=\"npv\"".to_string(),
        "time.horizon-years=40".to_string(),
    ];
    for y in 2026..=2036 {
        let p = if y < 2036 { "0.5" } else { "3.25" };
        sets.push(format!("products.copper.price.by-year.{y}={p}"));
    }
    let sets: Vec<&str> = sets.iter().map(String::as_str).collect();
    let s = load("schaft-creek-check.toml", &sets);
    let (cu, au, mo, ag) = (238.095e6, 176_190.0, 10.762e6, 780_952.0);
    let deck = |y: i32| if y < 2036 { 0.5 } else { 3.25 };
    let npv_if_built_in = |start: i32| -> f64 {
        (0..25)
            .map(|k| {
                let y = start + k;
                let f = match k {
                    0 => -0.25 * 2.65e9,
                    1 => -0.45 * 2.65e9,
                    2 => -0.30 * 2.65e9,
                    24 => -154e6,
                    _ => cu * deck(y) + au * 1500.0 + mo * 10.0 + ag * 20.0 - cu * 2.437 - 33.08e6,
                };
                f / 1.08f64.powi(k)
            })
            .sum()
    };
    let first = (2026..2060).find(|&y| npv_if_built_in(y) > 0.0).expect("worth building some year");
    assert!(first > 2026 && npv_if_built_in(2026) < 0.0, "{first}");
    let (bc, _) = base_case(&s);
    assert_eq!(bc.projects[0].decision_year, Some(first));
}
