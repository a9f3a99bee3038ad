//! A summary's histogram: counts of the values themselves, not a shape drawn from percentiles.

use subsoil_stats::{Histogram, Summary};

#[test]
fn whole_numbers_are_counted_exactly() {
    // 0 six times, 1..=9 once each, 100 twice and one NaN: bins [0, 5), [5, 10), [10, 200].
    let mut s = Summary::new();
    let values =
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 100.0, 100.0];
    for x in values {
        s.push(x);
    }
    s.push(f64::NAN);
    let h = s.histogram(vec![0.0, 5.0, 10.0, 200.0]).unwrap();
    assert_eq!(h.counts(), &[10, 5, 2]);
    assert_eq!((h.underflow(), h.overflow(), h.non_finite()), (0, 0, 1));
}

#[test]
fn values_away_from_the_edges_are_counted_where_they_belong() {
    // 5.25, 15.25, …, 995.25 and their negatives: the nearest value to any edge (multiples of 100)
    // is 4.75 away, far more than the sketch's 0.5% relative error, so every bin holds exactly 10.
    let mut s = Summary::new();
    for i in 0..100 {
        let x = 10.0 * f64::from(i) + 5.25;
        s.push(x);
        s.push(-x);
    }
    let edges: Vec<f64> = (-10..=10).map(|k| 100.0 * f64::from(k)).collect();
    let h = s.histogram(edges).unwrap();
    assert_eq!(h.counts(), &[10; 20]);
    assert_eq!(h.total(), 200);
}

#[test]
fn a_skewed_sample_differs_from_direct_counting_only_next_to_an_edge() {
    // A lognormal-like sample (exp of a fixed sequence): the histogram from the summary and one fed
    // every value directly may differ only by values within 0.5% of an edge, which may fall on
    // either side of it.
    let mut s = Summary::new();
    let edges: Vec<f64> = (0..=20).map(|k| 0.5 * f64::from(k)).collect();
    let mut direct = Histogram::new(edges.clone()).unwrap();
    let mut near_edge = 0u64;
    for i in 0..20_000u32 {
        let u = (f64::from(i) + 0.5) / 20_000.0;
        let x = (2.0 * (u - 0.5)).exp() * 1.3;
        s.push(x);
        direct.push(x);
        if edges.iter().any(|&e| (x - e).abs() <= 0.0051 * x) {
            near_edge += 1;
        }
    }
    let h = s.histogram(edges).unwrap();
    let moved: u64 = h.counts().iter().zip(direct.counts()).map(|(a, b)| a.abs_diff(*b)).sum();
    assert!(moved <= 2 * near_edge, "{moved} values moved; {near_edge} lie next to an edge");
    assert_eq!(h.total(), direct.total());
    assert!(near_edge < 2_000, "the test's edges are not too dense: {near_edge}");
}
