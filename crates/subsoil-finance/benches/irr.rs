//! Micro benchmark of the IRR root search (no framework: wall-clock over many calls).
//!
//! Run with `cargo bench -p subsoil-finance`. Prints nanoseconds per call for a conventional
//! series, a mine profile with closure costs (two sign changes) and an XIRR problem.

use std::hint::black_box;
use std::time::Instant;

use subsoil_finance::{Date, irr, irr_all, npv_t0, xirr};

fn time_per_call(label: &str, n_calls: u32, mut f: impl FnMut() -> Option<f64>) {
    let start = Instant::now();
    let mut n_some = 0_u32;
    for _ in 0..n_calls {
        n_some += u32::from(black_box(f()).is_some());
    }
    let nanos = start.elapsed().as_nanos() as f64 / f64::from(n_calls);
    println!("{label:<44} {nanos:>10.0} ns/call ({n_some} results)");
}

fn main() {
    let conventional: Vec<f64> =
        std::iter::once(-1000.0).chain((1..30).map(|t| 40.0 + f64::from(t))).collect();
    let mut mine = vec![-217_500.0, -217_500.0];
    mine.extend((0..25).map(|t| 108_466.8 - 7336.84 * f64::from(t)));
    let dates: Vec<Date> = (0..conventional.len())
        .filter_map(|i| Date::from_day_number(19_000 + 91 * i as i64))
        .collect();

    time_per_call("npv_t0, 30 flows", 1_000_000, || Some(npv_t0(black_box(0.08), &conventional)));
    time_per_call("irr, 30 flows, one sign change", 100_000, || irr(black_box(&conventional)));
    time_per_call("irr, 27-year mine with closure (2 changes)", 100_000, || irr(black_box(&mine)));
    time_per_call("irr_all, same mine", 100_000, || irr_all(black_box(&mine)).first().copied());
    time_per_call("xirr, 30 quarterly flows", 100_000, || xirr(black_box(&conventional), &dates));
}
