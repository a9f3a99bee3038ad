//! Price paths: every product's correlated OU steps and the dominant producer's episodes over the
//! horizon of the default scenario.

#[path = "common/mod.rs"]
mod common;

use subsoil_core::prices::Market;

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 50, sample_size = 64)]
fn price_paths(b: divan::Bencher<'_, '_>) {
    let s = common::scenario();
    let m = &s.model;
    let draws = common::drawer(&s);
    let mut scratch = draws.scratch();
    let mut market = Market::new(m.products.len());
    let mut i = 0u64;
    b.bench_local(|| {
        let r = common::path(&draws, &mut scratch, i % 1024);
        market.start(m, &r);
        for t in 0..m.time.horizon {
            if t > 0 {
                market.step_prices(m, &r, t);
            }
            market.step_episodes(m, &r, t);
        }
        i += 1;
        divan::black_box(market.real(0));
    });
}
