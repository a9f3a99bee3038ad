//! Time-to-event curves against hand counts.

mod common;

use common::SplitMix64;
use subsoil_stats::{Merge, TimeToEvent};

#[test]
fn curves_are_monotone_and_match_direct_counts() {
    let mut rng = SplitMix64::new(31);
    let horizon = 25u32;
    let events: Vec<Option<u32>> =
        (0..20_000).map(|_| (rng.below(4) > 0).then(|| rng.below(30) as u32)).collect();
    // Two blocks merged in order, as the engine does.
    let mut total = TimeToEvent::new(horizon);
    for block in events.chunks(4096) {
        let mut t = TimeToEvent::new(horizon);
        block.iter().for_each(|&e| t.push(e));
        total.merge(&t);
    }
    let curve = total.curve();
    assert_eq!(curve.len(), horizon as usize);
    for (year, p) in &curve {
        let direct = events.iter().filter(|e| matches!(e, Some(y) if y <= year)).count() as u64;
        assert_eq!((p.hits, p.n), (direct, 20_000), "year {year}");
        let (lo, hi) = p.wilson(1.96);
        let estimate = p.p().unwrap();
        assert!(lo <= estimate && estimate <= hi);
    }
    for w in curve.windows(2) {
        assert!(w[0].1.hits <= w[1].1.hits);
        assert!(w[0].1.wilson(1.96).1 <= w[1].1.wilson(1.96).1);
    }
    // Median: first year with more than 10,000 of 20,000 paths.
    let median = curve.iter().find(|(_, p)| 2 * p.hits > p.n).map(|&(y, _)| y);
    assert_eq!(total.median_year(), median);
    assert!(median.is_some());
    let ci = total.median_year_interval(1.96).unwrap();
    assert!(ci.lo <= median && median <= ci.hi);
}
