//! The project-year loop: every project of the default scenario, as drawn on a path, built and run
//! year by year through `Ops::year` until it is done, at its products' current prices.

#[path = "common/mod.rs"]
mod common;

use subsoil_core::prices::Market;
use subsoil_core::project::{Ops, Phase, Tax};
use subsoil_core::stages::PathProjects;

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 30, sample_size = 16)]
fn project_years(b: divan::Bencher<'_, '_>) {
    let s = common::scenario();
    let m = &s.model;
    let draws = common::drawer(&s);
    let mut scratch = draws.scratch();
    let r = common::path(&draws, &mut scratch, 0);
    let mut projects = PathProjects::new(m.projects.len());
    projects.start(m, &r, 0.0);
    let mut market = Market::new(m.products.len());
    market.start(m, &r);
    let tax = Tax { cit_rate: 0.18, depreciation_years: 10 };
    b.bench_local(|| {
        let mut fcf = 0.0;
        for st in &projects.states {
            let mut ops = Ops::idle();
            ops.start_building(&st.actual);
            let mut index = 1.0;
            while ops.phase != Phase::Done {
                let f = ops.year(&st.actual, |k| market.real(k) * index, index, tax, true);
                fcf += f.fcf();
                index *= 1.02;
            }
        }
        divan::black_box(fcf);
    });
}
