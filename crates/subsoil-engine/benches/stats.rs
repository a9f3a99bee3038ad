//! Statistics absorption: a chunk of 128 recorded paths of the default scenario absorbed into the
//! run's statistics (moments, quantile sketches, fans, time-to-event curves).

#[path = "common/mod.rs"]
mod common;

use subsoil_core::{PathOutcome, Workspace, simulate};
use subsoil_engine::accumulate::{Chunk, Plan, Stats};

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 30, sample_size = 4)]
fn absorb_chunk(b: divan::Bencher<'_, '_>) {
    let s = common::scenario();
    let m = &s.model;
    let draws = common::drawer(&s);
    let mut scratch = draws.scratch();
    let plan = Plan::new(m);
    let mut chunk = Chunk::with_capacity(&plan, 128);
    let (mut ws, mut out) = (Workspace::new(m), PathOutcome::new(m, false));
    for p in 0..128 {
        let r = common::path(&draws, &mut scratch, p);
        simulate(m, &r, &mut ws, &mut out);
        chunk.record(&plan, m, &out);
    }
    let mut stats = Stats::new(&plan);
    b.bench_local(|| stats.absorb(&plan, &chunk));
}
