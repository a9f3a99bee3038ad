//! Property: statistics do not depend on how a run cuts its paths into blocks.
//!
//! The engine reduces each block of paths, in path order, into moments of its own and merges the blocks
//! in block order; percentiles and counts go straight into the totals. That is what makes its results
//! independent of the thread count, and of how a run is split into shards (tested end to end in
//! `subsoil-engine/tests/monte_carlo.rs` and `shards.rs`). Reducing blocks of paths separately and
//! merging them in block order must give the same counts, quantile sketches, time-to-event curves and
//! histograms as one sequential fold, bit for bit, and means and standard deviations equal up to
//! floating-point rounding. A change to either reduction that breaks this would change a run's results
//! with its block size by more than rounding.
//!
//! Data come from fixed-seed generators, so the cases are the same on every run.

mod common;

use common::SplitMix64;
use subsoil_stats::{Histogram, Merge, Summary, TimeToEvent};

const YEARS: usize = 6;

/// Everything a run accumulates, for one block of paths.
#[derive(Debug)]
struct Block {
    npv: Summary,
    /// A yearly series as the engine keeps it: one summary per year.
    series: Vec<Summary>,
    target: TimeToEvent,
    histogram: Histogram,
}

impl Block {
    fn new() -> Self {
        Self {
            npv: Summary::new(),
            series: vec![Summary::new(); YEARS],
            target: TimeToEvent::new(YEARS as u32),
            histogram: Histogram::uniform(-50.0, 150.0, 20).unwrap(),
        }
    }

    fn push(&mut self, path: &Path) {
        self.npv.push(path.npv);
        for (year, &x) in self.series.iter_mut().zip(&path.series) {
            year.push(x);
        }
        self.target.push(path.year);
        self.histogram.push(path.npv);
    }
}

impl Merge for Block {
    fn merge(&mut self, other: &Self) {
        self.npv.merge(&other.npv);
        for (year, o) in self.series.iter_mut().zip(&other.series) {
            year.merge(o);
        }
        self.target.merge(&other.target);
        self.histogram.merge(&other.histogram);
    }
}

struct Path {
    npv: f64,
    series: [f64; YEARS],
    year: Option<u32>,
}

fn paths(rng: &mut SplitMix64, n: usize) -> Vec<Path> {
    (0..n)
        .map(|_| {
            let npv = match rng.below(20) {
                0 => 0.0,
                1 => f64::NAN,
                _ => 30.0 * rng.normal() + rng.lognormal(2.0, 1.0),
            };
            let mut level = 0.0;
            let series = std::array::from_fn(|_| {
                level += rng.lognormal(0.0, 1.0);
                level
            });
            let year = (rng.below(3) > 0).then(|| rng.below(YEARS as u64 + 2) as u32);
            Path { npv, series, year }
        })
        .collect()
}

fn reduce(chunk: &[Path]) -> Block {
    let mut b = Block::new();
    chunk.iter().for_each(|p| b.push(p));
    b
}

/// Blocks of `block` paths reduced separately, then merged in block order.
fn merged(paths: &[Path], block: usize) -> Block {
    let mut total = Block::new();
    for chunk in paths.chunks(block) {
        total.merge(&reduce(chunk));
    }
    total
}

/// Every percentile the sketch gives, as bits (the sketch's memory layout may differ with the order
/// values arrived in; what it reports may not).
fn quantiles(s: &Summary) -> Vec<Option<u64>> {
    (0..=100).map(|q| s.quantile(f64::from(q) / 100.0).map(f64::to_bits)).collect()
}

fn assert_close(a: Option<f64>, b: Option<f64>, what: &str) {
    match (a, b) {
        (Some(a), Some(b)) => {
            assert!((a - b).abs() <= 1e-12 * b.abs().max(1.0), "{what}: {a} vs {b}")
        }
        _ => assert_eq!(a, b, "{what}"),
    }
}

#[test]
fn merged_blocks_give_the_statistics_of_the_sequential_fold() {
    let mut rng = SplitMix64::new(2025);
    for case in 0..16 {
        let n = 1 + rng.below(12_000) as usize;
        let block = [1, 17, 1000, 4096][rng.below(4) as usize];
        let data = paths(&mut rng, n);
        let sequential = reduce(&data);
        let blocks = merged(&data, block);
        let at = format!("case {case}: n = {n}, block = {block}");
        // Counts, sketches, curves and histograms: exactly.
        assert_eq!(blocks.npv.count(), sequential.npv.count(), "{at}");
        assert_eq!(blocks.npv.non_finite(), sequential.npv.non_finite(), "{at}");
        assert_eq!(quantiles(&blocks.npv), quantiles(&sequential.npv), "{at}");
        assert_eq!(blocks.target, sequential.target, "{at}");
        assert_eq!(blocks.target.curve(), sequential.target.curve(), "{at}");
        assert_eq!(blocks.histogram, sequential.histogram, "{at}");
        for year in 0..YEARS {
            let (b, s) = (&blocks.series[year], &sequential.series[year]);
            assert_eq!(quantiles(b), quantiles(s), "{at}, year {year}");
        }
        // Moments: up to rounding.
        let (b, s) = (blocks.npv.moments(), sequential.npv.moments());
        assert_eq!((b.count(), b.min(), b.max()), (s.count(), s.min(), s.max()), "{at}");
        assert_close(b.mean(), s.mean(), &format!("{at}: mean"));
        assert_close(b.sd(), s.sd(), &format!("{at}: sd"));
        for (year, (b, s)) in blocks.series.iter().zip(&sequential.series).enumerate() {
            let at = format!("{at}: yearly mean, year {year}");
            assert_close(b.moments().mean(), s.moments().mean(), &at);
        }
    }
}
