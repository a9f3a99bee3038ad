//! End to end: a Monte Carlo run of 10,000 paths of the default scenario on one thread, statistics and
//! report included.

#[path = "common/mod.rs"]
mod common;

use subsoil_engine::{RunConfig, run};

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn run_10k(b: divan::Bencher<'_, '_>) {
    let s = common::scenario();
    let config = RunConfig { threads: 1, ..RunConfig::new(10_000, common::SEED) };
    b.bench_local(|| run(&s, &config).unwrap_or_else(|e| panic!("the run failed: {e}")));
}
