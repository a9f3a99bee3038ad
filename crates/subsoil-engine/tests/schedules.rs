//! Values given by production year: a project's output schedule (a ramp or a mine plan) and its unit
//! operating cost, each counted from the first year of output. Numbers by hand on the one-mine scenario
//! (a 2026-2027 build, so production year 1 is 2028; copper at a flat $9,000/t, royalty 3.5%, no
//! inflation).

use subsoil_core::project::Flows;
use subsoil_engine::base_case;

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/minimal/one-mine.toml");

/// The mine's flows in 2026, 2027, … under the overrides `sets`, or the rendered error.
fn years(sets: &[&str]) -> Result<Vec<Flows>, String> {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let s = subsoil_scenario::load(FILE, &sets).map_err(|e| e.render())?;
    let (_, out) = base_case(&s);
    Ok(out.flows(0).expect("traced").to_vec())
}

fn close(got: f64, want: f64) -> bool {
    (got - want).abs() <= 1e-6 * want.abs().max(1.0)
}

const SCHEDULE: &str = "projects.hill-mine.products.copper.capacity={ by-production-year = { 1 = 10000, 2 = 30000, 3 = 40000 }, outside = \"zero\" }";

#[test]
fn a_capacity_schedule_gives_each_production_years_output() {
    let y = years(&[SCHEDULE, "projects.hill-mine.life-years=4"]).unwrap_or_else(|e| panic!("{e}"));
    // Production years 1-3 are 2028-2030 (indices 2-4): 10,000, 30,000 and 40,000 t at $9,000/t give
    // $90m, $270m and $360m of revenue, royalties of 3.5% of that: $3.15m, $9.45m, $12.6m. Year 4
    // (2031) is outside the schedule, which is zero there: no output, though the mine still runs its
    // life out.
    let revenue = [0.0, 0.0, 90e6, 270e6, 360e6, 0.0, 0.0];
    let royalty = [0.0, 0.0, 3.15e6, 9.45e6, 12.6e6, 0.0, 0.0];
    for (t, f) in y.iter().take(7).enumerate() {
        assert!(close(f.revenue, revenue[t]), "year {t}: revenue {}", f.revenue);
        assert!(close(f.royalty, royalty[t]), "year {t}: royalty {}", f.royalty);
    }
    // Opex is $5,200/t of output: $52m, $156m, $208m.
    assert!(close(y[2].opex, 52e6) && close(y[3].opex, 156e6) && close(y[4].opex, 208e6));
    assert_eq!(y[5].quantity[0], 0.0);
    // Held after the years given, the last value runs to the end of the life.
    let held =
        years(&[&SCHEDULE.replace("\"zero\"", "\"hold-last\""), "projects.hill-mine.life-years=4"])
            .unwrap_or_else(|e| panic!("{e}"));
    assert!(close(held[5].revenue, 360e6), "{}", held[5].revenue);
    // The production factor multiplies every year of the schedule.
    let less = years(&[SCHEDULE, "projects.hill-mine.production-factor=0.5"])
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(close(less[2].revenue, 45e6) && close(less[4].royalty, 6.3e6));
}

#[test]
fn a_unit_opex_schedule_prices_each_production_years_output() {
    let y = years(&[
        "projects.hill-mine.products.copper.opex={ by-production-year = { 1 = 8000, 2 = 6000 } }",
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    // 40,000 t a year: $8,000/t in production year 1 (2028) is $320m, $6,000/t in year 2 and every year
    // after (held) is $240m.
    assert!(close(y[2].opex, 320e6), "{}", y[2].opex);
    assert!(close(y[3].opex, 240e6), "{}", y[3].opex);
    assert!(close(y[8].opex, 240e6), "{}", y[8].opex);
    // Its scale shifts the whole schedule: ×1.25 gives $10,000/t, $400m in 2028.
    let scaled = years(&[
        "projects.hill-mine.products.copper.opex={ by-production-year = { 1 = 8000, 2 = 6000 }, scale = 1.25 }",
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(close(scaled[2].opex, 400e6), "{}", scaled[2].opex);
}

#[test]
fn ambiguous_schedules_are_refused_where_written() {
    let err = years(&[SCHEDULE, "projects.hill-mine.profile.ramp-years=2"]).expect_err("refused");
    assert!(err.contains("projects.hill-mine.profile: `projects.hill-mine.products.copper.capacity` gives the output of each production year"), "{err}");
    let err = years(&[&SCHEDULE.replace("\"zero\"", "\"error\"")]).expect_err("refused");
    assert!(err.contains("the schedule gives production years 1–3 and `outside = \"error\"`, but `life-years` runs 12 production years"), "{err}");
    let err =
        years(&["projects.hill-mine.products.copper.capacity={ by-year = { 2028 = 10000 } }"])
            .expect_err("refused");
    assert!(
        err.contains("capacity.by-year: this field takes a schedule by production year"),
        "{err}"
    );
    let err = years(&[
        "projects.hill-mine.products.copper.capacity={ by-production-year = { 2 = 10000 } }",
    ])
    .expect_err("refused");
    assert!(err.contains("starts at production year 2"), "{err}");
}

#[test]
fn an_inflation_path_escalates_each_year_by_its_own_rate() {
    // 0% in 2026, 10% in 2027, 5% from 2028 (held): the index is 1, 1.1, 1.155, 1.21275. The $900m
    // capex is spent $450m and $495m; 2028's 40,000 t at $9,000/t sells for $360m × 1.155 = $415.8m, its
    // opex $208m × 1.155 = $240.24m; 2029's revenue is $360m × 1.21275 = $436.59m.
    let y = years(&["macro.inflation={ by-year = { 2026 = 0, 2027 = 0.10, 2028 = 0.05 } }"])
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(close(y[0].capex, 450e6) && close(y[1].capex, 495e6), "{} {}", y[0].capex, y[1].capex);
    assert!(close(y[2].revenue, 415.8e6), "{}", y[2].revenue);
    assert!(close(y[2].opex, 240.24e6), "{}", y[2].opex);
    assert!(close(y[3].revenue, 436.59e6), "{}", y[3].revenue);
    // A path's scale multiplies every rate: ×2 gives 20% and 10%, an index of 1.32 in 2028.
    let y =
        years(&["macro.inflation={ by-year = { 2026 = 0, 2027 = 0.10, 2028 = 0.05 }, scale = 2 }"])
            .unwrap_or_else(|e| panic!("{e}"));
    assert!(close(y[2].revenue, 360e6 * 1.32), "{}", y[2].revenue);
}

/// The base case's NPV of the mine and its flows, under `sets`.
fn npv_and_years(sets: &[&str]) -> (f64, Vec<Flows>) {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let s = subsoil_scenario::load(FILE, &sets).unwrap_or_else(|e| panic!("{}", e.render()));
    let (bc, out) = base_case(&s);
    (bc.projects[0].npv, out.flows(0).expect("traced").to_vec())
}

#[test]
fn a_deal_written_in_euros_gives_the_dollar_results_converted() {
    // At 1.25 USD per EUR: copper $9,000/t is EUR 7,200/t, opex $5,200/t EUR 4,160/t, capex $900m
    // EUR 720m. The same mine written in euros by hand, or in euros with its amounts in dollars
    // converted by the rate, gives every figure divided by 1.25.
    let (usd_npv, usd) = npv_and_years(&[]);
    let by_hand = [
        "macro.currency=\"EUR\"",
        "products.copper.price=7200",
        "products.copper.long-run=7200",
        "projects.hill-mine.capex=720e6",
        "projects.hill-mine.products.copper.opex=4160",
    ];
    let converted = [
        "macro.currency=\"EUR\"",
        "macro.exchange-rates.USD={ value = 1.25, unit = \"USD/EUR\" }",
        "products.copper.price={ value = 9000, unit = \"USD/t\" }",
        "products.copper.long-run={ value = 9000, unit = \"USD/t\" }",
        "projects.hill-mine.capex={ value = 900e6, unit = \"USD\" }",
        "projects.hill-mine.products.copper.opex={ value = 5200, unit = \"USD/t\" }",
    ];
    for sets in [&by_hand[..], &converted[..]] {
        let (npv, eur) = npv_and_years(sets);
        assert!(close(npv, usd_npv / 1.25), "{npv} vs {}", usd_npv / 1.25);
        for (e, u) in eur.iter().zip(&usd) {
            assert!(close(e.revenue, u.revenue / 1.25) && close(e.fcf(), u.fcf() / 1.25));
            assert!(close(e.royalty, u.royalty / 1.25) && close(e.cit, u.cit / 1.25));
        }
    }
    // 2028's revenue: 40,000 t × EUR 7,200 = EUR 288m.
    assert!(close(npv_and_years(&converted).1[2].revenue, 288e6));
    // An amount in a currency without a rate, or uncertain, is refused where it is written.
    let err = years(&[
        "macro.currency=\"EUR\"",
        "projects.hill-mine.capex={ value = 900e6, unit = \"USD\" }",
    ])
    .expect_err("refused");
    assert!(err.contains("projects.hill-mine.capex: an amount in USD in a scenario in EUR: give `macro.exchange-rates.USD`"), "{err}");
    let err = years(&[
        "macro.currency=\"EUR\"",
        "macro.exchange-rates.USD=1.25",
        "projects.hill-mine.capex={ dist = \"uniform\", min = 800e6, max = 1000e6, unit = \"USD\" }",
    ])
    .expect_err("refused");
    assert!(err.contains("converted at a fixed rate"), "{err}");
}

#[test]
fn a_stream_in_another_currency_is_converted_year_by_year() {
    // Covered through the deal language: a stream of EUR 100m a year in a scenario in USD, with
    // 1.0 EUR per USD in 2026 and 0.8 from 2027, is $100m in 2026 and $125m after.
    let sets: Vec<String> = [
        "macro.exchange-rates.EUR={ by-year = { 2026 = 1.0, 2027 = 0.8 }, unit = \"EUR/USD\" }",
        "deal.effective-date=2026-01-01",
        "deal.parties.host={ name = \"Host\", host = true }",
        "streams.tolls.amount={ by-year = { 2026 = 100e6, 2027 = 100e6, 2028 = 100e6 }, unit = \"EUR/yr\" }",
        "streams.tolls.receiver=\"host\"",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let s = subsoil_scenario::load(FILE, &sets).unwrap_or_else(|e| panic!("{}", e.render()));
    let stream = &s.model.deal.streams[0].amount.series;
    assert_eq!(stream.values, vec![100e6, 125e6, 125e6]);
}

#[test]
fn a_schedules_uncertain_scale_is_listed_as_a_ratio() {
    let sets = ["projects.hill-mine.products.copper.capacity={ by-production-year = { 1 = 10000, 2 = 40000 }, scale = { dist = \"uniform\", min = 0.8, max = 1.2 } }".to_string()];
    let s = subsoil_scenario::load(FILE, &sets).unwrap_or_else(|e| panic!("{}", e.render()));
    let path = "projects.hill-mine.products.copper.capacity";
    let input = s.inputs.list.iter().find(|i| i.name == path).expect("listed");
    assert_eq!(input.unit, "ratio");
    assert_eq!(input.field.as_deref(), Some(format!("{path}.scale").as_str()));
}
