//! One path of the default scenario: its inputs drawn, then `simulate`. Paths cycle over 0..1024.

#[path = "common/mod.rs"]
mod common;

use subsoil_core::{PathOutcome, Workspace, simulate};

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 30, sample_size = 64)]
fn one_path(b: divan::Bencher<'_, '_>) {
    let s = common::scenario();
    let draws = common::drawer(&s);
    let mut scratch = draws.scratch();
    let (mut ws, mut out) = (Workspace::new(&s.model), PathOutcome::new(&s.model, false));
    let mut i = 0u64;
    b.bench_local(|| {
        let r = common::path(&draws, &mut scratch, i % 1024);
        simulate(&s.model, &r, &mut ws, &mut out);
        i += 1;
    });
}
