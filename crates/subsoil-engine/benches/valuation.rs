//! A valuation: the expected NPV of building a project now, on the prices an investor expects (the
//! expectations refilled each time, as in a new year), for each project of the default scenario in turn:
//! by running the plan's years (`valuation`), and as a decision values it, from the plan's
//! price-independent flows built once per path (`valuation_from_flows`).

#[path = "common/mod.rs"]
mod common;

use subsoil_core::prices::Market;
use subsoil_core::project::Tax;
use subsoil_core::stages::PathProjects;
use subsoil_core::valuation::{Expectations, PlanFlows, value_planned};

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 50, sample_size = 64)]
fn valuation(b: divan::Bencher<'_, '_>) {
    let s = common::scenario();
    let m = &s.model;
    let draws = common::drawer(&s);
    let mut scratch = draws.scratch();
    let r = common::path(&draws, &mut scratch, 0);
    let mut projects = PathProjects::new(m.projects.len());
    projects.start(m, &r, 0.0);
    let mut market = Market::new(m.products.len());
    market.start(m, &r);
    let mut expect = Expectations::default();
    let tax = Tax { cit_rate: 0.18, depreciation_years: 10 };
    let mut i = 0;
    b.bench_local(|| {
        let plan = &projects.states[i % projects.states.len()].planned;
        expect.reset(m.products.len());
        i += 1;
        expect.value_plan(&market, plan, 1.1, tax, 0.02, 0.12)
    });
}

#[divan::bench(sample_count = 50, sample_size = 64)]
fn valuation_from_flows(b: divan::Bencher<'_, '_>) {
    let s = common::scenario();
    let m = &s.model;
    let draws = common::drawer(&s);
    let mut scratch = draws.scratch();
    let r = common::path(&draws, &mut scratch, 0);
    let mut projects = PathProjects::new(m.projects.len());
    projects.start(m, &r, 0.0);
    let mut market = Market::new(m.products.len());
    market.start(m, &r);
    let mut expect = Expectations::default();
    let tax = Tax { cit_rate: 0.18, depreciation_years: 10 };
    let mut flows = vec![PlanFlows::default(); projects.states.len()];
    let mut i = 0;
    b.bench_local(|| {
        let k = i % projects.states.len();
        let plan = &projects.states[k].planned;
        expect.reset(m.products.len());
        i += 1;
        value_planned(&market, &mut expect, &mut flows[k], plan, 1.1, tax, 0.02, 0.12)
    });
}
