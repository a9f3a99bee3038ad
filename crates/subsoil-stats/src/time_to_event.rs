//! Time-to-event curves: the probability that an event has happened by each year.

use serde::{Deserialize, Serialize};

use crate::{Merge, Proportion};

/// A range of year indices; `None` at either end means "not within the horizon".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearInterval {
    /// Earliest year index (0 when the data cannot rule out any year).
    pub lo: Option<u32>,
    /// Latest year index, or `None` when the data cannot rule out "later than the horizon".
    pub hi: Option<u32>,
}

/// Counts, per path, the first year in which an event happened (e.g. "the US has received at
/// least the deal's target"), over a fixed horizon of years.
///
/// A path reports `Some(year_index)` for the first year of the event, or `None` when it did not
/// happen within the horizon. An index at or past the horizon counts as `None`.
///
/// ```
/// use subsoil_stats::TimeToEvent;
///
/// let mut t = TimeToEvent::new(3);
/// for year in [Some(0), Some(2), None, Some(2)] {
///     t.push(year);
/// }
/// let curve = t.curve();
/// assert_eq!(curve[0].1.hits, 1); // by year 0: one path of four
/// assert_eq!(curve[2].1.hits, 3); // by year 2: three of four
/// assert_eq!(t.median_year(), Some(2));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeToEvent {
    by_year: Vec<u64>,
    never: u64,
}

impl TimeToEvent {
    /// An empty accumulator over `horizon` years (indices `0..horizon`).
    pub fn new(horizon: u32) -> Self {
        Self { by_year: vec![0; horizon as usize], never: 0 }
    }

    /// Number of years in the horizon.
    pub fn horizon(&self) -> u32 {
        // The length came from a u32 in `new`.
        self.by_year.len() as u32
    }

    /// Records one path: the year index of its first event, or `None`.
    #[inline]
    pub fn push(&mut self, first_year: Option<u32>) {
        match first_year.and_then(|y| self.by_year.get_mut(y as usize)) {
            Some(count) => *count += 1,
            None => self.never += 1,
        }
    }

    /// Number of paths recorded.
    pub fn count(&self) -> u64 {
        self.never + self.by_year.iter().sum::<u64>()
    }

    /// Paths whose event happened first in each year.
    pub fn first_events_by_year(&self) -> &[u64] {
        &self.by_year
    }

    /// Paths without the event within the horizon.
    pub fn never(&self) -> u64 {
        self.never
    }

    /// P(event by year Y) for every year index Y, cumulative and therefore non-decreasing;
    /// [`Proportion::wilson`] gives each point's interval.
    pub fn curve(&self) -> Vec<(u32, Proportion)> {
        let n = self.count();
        let mut hits = 0;
        (0..self.horizon())
            .zip(&self.by_year)
            .map(|(year, &c)| {
                hits += c;
                (year, Proportion::new(hits, n))
            })
            .collect()
    }

    /// The first year by which more than half of the paths had the event, or `None` if that
    /// never happens within the horizon (or no path was recorded).
    pub fn median_year(&self) -> Option<u32> {
        let n = self.count();
        self.year_of_order_statistic(n / 2 + 1)
    }

    /// Distribution-free confidence interval for the population median year, from order
    /// statistics with the normal approximation to the binomial (see
    /// [`QuantileSketch::quantile_interval`](crate::QuantileSketch::quantile_interval)): ranks
    /// `⌊n/2 − z·√n/2⌋` and `⌈n/2 + z·√n/2⌉ + 1`. `None` when no path was recorded or `z` is
    /// negative or not finite.
    pub fn median_year_interval(&self, z: f64) -> Option<YearInterval> {
        let n = self.count();
        if n == 0 || !(z >= 0.0 && z.is_finite()) {
            return None;
        }
        let half = n as f64 / 2.0;
        let spread = z * (n as f64).sqrt() / 2.0;
        let j = (half - spread).floor();
        let k = (half + spread).ceil() + 1.0;
        let lo = if j < 1.0 { Some(0) } else { self.year_of_order_statistic(j as u64) };
        let hi = if k > n as f64 { None } else { self.year_of_order_statistic(k as u64) };
        Some(YearInterval { lo, hi })
    }

    /// Year of the `rank`-th earliest event (1-based), with non-events last.
    fn year_of_order_statistic(&self, rank: u64) -> Option<u32> {
        if rank == 0 {
            return None;
        }
        let mut seen = 0;
        for (year, &c) in (0..self.horizon()).zip(&self.by_year) {
            seen += c;
            if seen >= rank {
                return Some(year);
            }
        }
        None
    }
}

impl Merge for TimeToEvent {
    /// # Panics
    ///
    /// When the horizons differ.
    fn merge(&mut self, other: &Self) {
        assert_eq!(self.by_year.len(), other.by_year.len(), "cannot merge different horizons");
        for (a, b) in self.by_year.iter_mut().zip(&other.by_year) {
            *a += b;
        }
        self.never += other.never;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curve_matches_hand_counts_and_is_monotone() {
        let mut t = TimeToEvent::new(5);
        let events = [Some(1), None, Some(3), Some(1), Some(9), Some(0), None, Some(4), Some(1)];
        events.into_iter().for_each(|e| t.push(e));
        // Year 9 is past the horizon and counts as "never".
        assert_eq!((t.count(), t.never()), (9, 3));
        let hits: Vec<u64> = t.curve().iter().map(|(_, p)| p.hits).collect();
        assert_eq!(hits, vec![1, 4, 4, 5, 6]);
        assert!(t.curve().iter().all(|(_, p)| p.n == 9));
        let years: Vec<u32> = t.curve().iter().map(|&(y, _)| y).collect();
        assert_eq!(years, vec![0, 1, 2, 3, 4]);
        // 5 of 9 by year 3 is more than half; 4 of 9 by year 2 is not.
        assert_eq!(t.median_year(), Some(3));
    }

    #[test]
    fn median_needs_strictly_more_than_half() {
        let mut t = TimeToEvent::new(3);
        [Some(0), None].into_iter().for_each(|e| t.push(e));
        assert_eq!(t.median_year(), None);
        t.push(Some(2));
        assert_eq!(t.median_year(), Some(2));
        assert_eq!(TimeToEvent::new(3).median_year(), None);
    }

    #[test]
    fn median_interval_brackets_the_median() {
        let mut t = TimeToEvent::new(40);
        for i in 0..10_000u32 {
            // Years spread 0..30, a third of paths never.
            t.push((i % 3 != 0).then_some((i * 7) % 31));
        }
        let m = t.median_year().unwrap();
        let ci = t.median_year_interval(1.96).unwrap();
        let (lo, hi) = (ci.lo.unwrap(), ci.hi.unwrap());
        assert!(lo <= m && m <= hi && hi - lo <= 2, "{lo} {m} {hi}");
        let mut small = TimeToEvent::new(2);
        [Some(0), Some(1), None].into_iter().for_each(|e| small.push(e));
        assert_eq!(small.median_year_interval(1.96), Some(YearInterval { lo: Some(0), hi: None }));
    }
}
