//! The waterfall: the final agreement's fund over the horizon, fed each year with the receipts and
//! the state's receipts of one simulated path of the default scenario (replayed) and steady project
//! flows, contributions to payouts.

#[path = "common/mod.rs"]
mod common;

use subsoil_core::fund::FundPath;
use subsoil_core::stages::ProjectYear;
use subsoil_core::year::PathYear;
use subsoil_core::{PathOutcome, Workspace, simulate};

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 50, sample_size = 64)]
fn fund_horizon(b: divan::Bencher<'_, '_>) {
    let s = common::scenario();
    let m = &s.model;
    let draws = common::drawer(&s);
    let mut scratch = draws.scratch();
    let r = common::path(&draws, &mut scratch, 0);
    let (mut ws, mut out) = (Workspace::new(m), PathOutcome::new(m, false));
    simulate(m, &r, &mut ws, &mut out);
    // Every third project distributes, the others call capital: flows that keep every stake busy.
    let projects: Vec<ProjectYear> = (0..m.projects.len())
        .map(|i| ProjectYear { fee: 0.0, fcf: if i % 3 == 0 { 5e6 } else { -1e6 } })
        .collect();
    // No rule of the Ukrainian deals reads a price.
    let prices = vec![0.0; m.products.len()];
    let mut fund = FundPath::default();
    b.bench_local(|| {
        fund.reset(&m.deal, m.projects.len());
        for t in 0..m.time.horizon {
            let y = PathYear { t, year: m.time.year(t), index: 1.0, at_war: false };
            let yo = &out.years[t as usize];
            fund.year(&m.deal, &r, y, 0.0, &yo.receipts, &projects, &[], &prices, None, None);
        }
        divan::black_box(fund.cash)
    });
}
