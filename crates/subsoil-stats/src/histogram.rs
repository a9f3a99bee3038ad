//! Histograms with bin edges chosen by the caller, for report charts.

use serde::Serialize;

use crate::{Merge, Proportion};

/// Rejected histogram bin edges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HistogramError {
    /// Fewer than two edges (at least one bin is needed).
    TooFewEdges,
    /// An edge is NaN or infinite.
    NonFiniteEdge,
    /// The edges are not strictly increasing.
    NotIncreasing,
}

impl std::fmt::Display for HistogramError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            HistogramError::TooFewEdges => "a histogram needs at least two bin edges",
            HistogramError::NonFiniteEdge => "histogram bin edges must be finite",
            HistogramError::NotIncreasing => "histogram bin edges must be strictly increasing",
        })
    }
}

impl std::error::Error for HistogramError {}

/// Counts of values in fixed bins `[e₀, e₁), [e₁, e₂), …, [e_{m−1}, e_m]` (the last bin includes
/// its upper edge), plus values below `e₀`, above `e_m` and non-finite ones.
///
/// ```
/// use subsoil_stats::Histogram;
///
/// let mut h = Histogram::new(vec![0.0, 1.0, 2.0]).unwrap();
/// for x in [-1.0, 0.0, 0.5, 1.0, 2.0, 3.0, f64::NAN] {
///     h.push(x);
/// }
/// assert_eq!(h.counts(), &[2, 2]);
/// assert_eq!((h.underflow(), h.overflow(), h.non_finite()), (1, 1, 1));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Histogram {
    edges: Vec<f64>,
    counts: Vec<u64>,
    underflow: u64,
    overflow: u64,
    non_finite: u64,
}

impl Histogram {
    /// A histogram with the given bin edges.
    ///
    /// # Errors
    ///
    /// When there are fewer than two edges, an edge is not finite, or the edges do not strictly
    /// increase.
    pub fn new(edges: Vec<f64>) -> Result<Self, HistogramError> {
        if edges.len() < 2 {
            return Err(HistogramError::TooFewEdges);
        }
        if !edges.iter().all(|e| e.is_finite()) {
            return Err(HistogramError::NonFiniteEdge);
        }
        if !edges.windows(2).all(|w| w[0] < w[1]) {
            return Err(HistogramError::NotIncreasing);
        }
        let bins = edges.len() - 1;
        Ok(Self { edges, counts: vec![0; bins], underflow: 0, overflow: 0, non_finite: 0 })
    }

    /// `bins` equal-width bins from `lo` to `hi`.
    ///
    /// # Errors
    ///
    /// [`HistogramError::TooFewEdges`] when `bins` is 0; otherwise as [`Histogram::new`] (e.g.
    /// when `lo ≥ hi`, or the bins are too narrow to be told apart in `f64`).
    pub fn uniform(lo: f64, hi: f64, bins: usize) -> Result<Self, HistogramError> {
        if bins == 0 {
            return Err(HistogramError::TooFewEdges);
        }
        let width = (hi - lo) / bins as f64;
        let mut edges: Vec<f64> = (0..bins).map(|i| lo + width * i as f64).collect();
        edges.push(hi);
        Self::new(edges)
    }

    /// Adds one value.
    #[inline]
    pub fn push(&mut self, x: f64) {
        self.push_n(x, 1);
    }

    /// Adds `n` copies of one value.
    pub fn push_n(&mut self, x: f64, n: u64) {
        if !x.is_finite() {
            self.non_finite += n;
            return;
        }
        let last = self.edges.len() - 1;
        if x < self.edges[0] {
            self.underflow += n;
        } else if x > self.edges[last] {
            self.overflow += n;
        } else {
            // Number of edges ≤ x, minus one, is the bin; x equal to the last edge joins the last bin.
            let bin = (self.edges.partition_point(|&e| e <= x) - 1).min(last - 1);
            self.counts[bin] += n;
        }
    }

    /// The bin edges.
    pub fn edges(&self) -> &[f64] {
        &self.edges
    }

    /// Count per bin.
    pub fn counts(&self) -> &[u64] {
        &self.counts
    }

    /// Values below the first edge.
    pub fn underflow(&self) -> u64 {
        self.underflow
    }

    /// Values above the last edge.
    pub fn overflow(&self) -> u64 {
        self.overflow
    }

    /// Non-finite values.
    pub fn non_finite(&self) -> u64 {
        self.non_finite
    }

    /// Finite values pushed, including those outside the edges.
    pub fn total(&self) -> u64 {
        self.underflow + self.overflow + self.counts.iter().sum::<u64>()
    }

    /// Share of finite values in bin `i` with its interval, or `None` if there is no such bin.
    pub fn fraction(&self, i: usize) -> Option<Proportion> {
        self.counts.get(i).map(|&c| Proportion::new(c, self.total()))
    }
}

impl Merge for Histogram {
    /// # Panics
    ///
    /// When the bin edges differ.
    fn merge(&mut self, other: &Self) {
        let same = self.edges.len() == other.edges.len()
            && self.edges.iter().zip(&other.edges).all(|(a, b)| a.to_bits() == b.to_bits());
        assert!(same, "cannot merge histograms with different bin edges");
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        self.underflow += other.underflow;
        self.overflow += other.overflow;
        self.non_finite += other.non_finite;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges_are_validated() {
        assert_eq!(Histogram::new(vec![1.0]).err(), Some(HistogramError::TooFewEdges));
        assert_eq!(Histogram::new(vec![0.0, f64::NAN]).err(), Some(HistogramError::NonFiniteEdge));
        assert_eq!(Histogram::new(vec![0.0, 1.0, 1.0]).err(), Some(HistogramError::NotIncreasing));
        assert_eq!(Histogram::uniform(1.0, 0.0, 4).err(), Some(HistogramError::NotIncreasing));
        assert_eq!(Histogram::uniform(0.0, 1.0, 0).err(), Some(HistogramError::TooFewEdges));
    }

    #[test]
    fn values_on_edges_go_to_the_bin_that_starts_there() {
        let mut h = Histogram::uniform(0.0, 10.0, 5).unwrap();
        assert_eq!(h.edges(), &[0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        for x in [0.0, 1.999, 2.0, 4.0, 9.9, 10.0, 10.000_001, -0.0] {
            h.push(x);
        }
        assert_eq!(h.counts(), &[3, 1, 1, 0, 2]);
        assert_eq!((h.overflow(), h.total()), (1, 8));
        assert_eq!(h.fraction(4), Some(Proportion::new(2, 8)));
        assert_eq!(h.fraction(5), None);
    }

    #[test]
    fn merge_adds_counts() {
        let mut a = Histogram::uniform(0.0, 1.0, 2).unwrap();
        let mut b = a.clone();
        a.push(0.1);
        b.push(0.9);
        b.push(-1.0);
        a.merge(&b);
        assert_eq!(a.counts(), &[1, 1]);
        assert_eq!(a.underflow(), 1);
    }
}
