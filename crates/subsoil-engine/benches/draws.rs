//! A path's input draws: every uncertain input of the default scenario (sampler, copula, quantile
//! functions, clamps).

#[path = "common/mod.rs"]
mod common;

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 50, sample_size = 256)]
fn input_draws(b: divan::Bencher<'_, '_>) {
    let s = common::scenario();
    let draws = common::drawer(&s);
    let mut scratch = draws.scratch();
    let mut i = 0u64;
    b.bench_local(|| {
        draws.fill(i, &mut scratch);
        i += 1;
        divan::black_box(scratch.values()[0]);
    });
}
