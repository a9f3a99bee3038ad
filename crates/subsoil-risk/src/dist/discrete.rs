//! Discrete distributions: a finite list of weighted values, and the Bernoulli 0/1 variable.

use super::error::{DistError, within};

/// A finite distribution over `values` with probabilities proportional to `weights`.
///
/// Values are stored sorted, with duplicates merged and zero-weight values dropped, so the quantile
/// is non-decreasing in `u` (needed for stratified samplers and the copula).
#[derive(Debug, Clone, PartialEq)]
pub struct Discrete {
    values: Vec<f64>,
    /// `cumulative[i] = P(X <= values[i])`; the last entry is exactly 1.
    cumulative: Vec<f64>,
}

impl Discrete {
    /// Builds the distribution; values finite, weights finite and `>= 0` with a positive sum, one
    /// weight per value, at least one value.
    pub fn new(values: &[f64], weights: &[f64]) -> Result<Self, DistError> {
        const D: &str = "discrete";
        if values.len() != weights.len() {
            return Err(DistError::LengthMismatch {
                dist: D,
                values: values.len(),
                weights: weights.len(),
            });
        }
        if values.is_empty() {
            return Err(DistError::TooFew { dist: D, param: "values", got: 0, need: 1 });
        }
        for (index, &value) in values.iter().enumerate() {
            if !value.is_finite() {
                return Err(DistError::ElementNotFinite { dist: D, param: "values", index, value });
            }
        }
        for (index, &value) in weights.iter().enumerate() {
            if !value.is_finite() {
                return Err(DistError::ElementNotFinite {
                    dist: D,
                    param: "weights",
                    index,
                    value,
                });
            }
            if value < 0.0 {
                return Err(DistError::NegativeWeight { index, value });
            }
        }
        let total: f64 = weights.iter().sum();
        if !(total > 0.0 && total.is_finite()) {
            return Err(DistError::ZeroTotalWeight);
        }
        let mut pairs: Vec<(f64, f64)> = values
            .iter()
            .zip(weights)
            .filter(|&(_, &w)| w > 0.0)
            .map(|(&v, &w)| (v, w / total))
            .collect();
        pairs.sort_by(|x, y| x.0.total_cmp(&y.0));
        let mut merged: Vec<(f64, f64)> = Vec::with_capacity(pairs.len());
        for (v, p) in pairs {
            match merged.last_mut() {
                Some(last) if last.0 == v => last.1 += p,
                _ => merged.push((v, p)),
            }
        }
        let mut cumulative = Vec::with_capacity(merged.len());
        let mut acc = 0.0;
        for &(_, p) in &merged {
            acc += p;
            cumulative.push(acc);
        }
        if let Some(last) = cumulative.last_mut() {
            *last = 1.0;
        }
        Ok(Discrete { values: merged.into_iter().map(|(v, _)| v).collect(), cumulative })
    }

    /// The distinct values with positive probability, ascending.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// Probability of each value in [`Discrete::values`].
    pub fn probabilities(&self) -> impl Iterator<Item = f64> + '_ {
        self.cumulative.iter().scan(0.0, |prev, &c| {
            let p = c - *prev;
            *prev = c;
            Some(p)
        })
    }

    /// The smallest value `x` with `P(X <= x) >= u`.
    #[inline]
    pub fn quantile(&self, u: f64) -> f64 {
        let i = self.cumulative.partition_point(|&c| c < u);
        self.values[i.min(self.values.len() - 1)]
    }

    /// `P(X <= x)`.
    pub fn cdf(&self, x: f64) -> f64 {
        let i = self.values.partition_point(|&v| v <= x);
        if i == 0 { 0.0 } else { self.cumulative[i - 1] }
    }

    /// `Σ p_i x_i`.
    pub fn mean(&self) -> f64 {
        self.values.iter().zip(self.probabilities()).map(|(v, p)| v * p).sum()
    }

    /// `Σ p_i (x_i - mean)²`.
    pub fn variance(&self) -> f64 {
        let m = self.mean();
        self.values.iter().zip(self.probabilities()).map(|(v, p)| p * (v - m) * (v - m)).sum()
    }

    /// The lower median, `quantile(0.5)`.
    pub fn median(&self) -> f64 {
        self.quantile(0.5)
    }

    /// Smallest and largest values with positive probability.
    pub fn support(&self) -> (f64, f64) {
        (self.values[0], self.values[self.values.len() - 1])
    }
}

/// A 0/1 variable that is 1 with probability `p`.
///
/// The quantile is 1 when `u > 1 - p` and 0 otherwise, so it is non-decreasing in `u`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bernoulli {
    p: f64,
    threshold: f64,
}

impl Bernoulli {
    /// Bernoulli with success probability `p ∈ [0, 1]`.
    pub fn new(p: f64) -> Result<Self, DistError> {
        within("bernoulli", "p", p, (0.0, 1.0))?;
        Ok(Bernoulli { p, threshold: 1.0 - p })
    }

    /// Success probability.
    pub fn p(&self) -> f64 {
        self.p
    }

    /// 1.0 if `u > 1 - p`, else 0.0.
    #[inline]
    pub fn quantile(&self, u: f64) -> f64 {
        if u > self.threshold { 1.0 } else { 0.0 }
    }

    /// 0 below 0, `1 - p` on `[0, 1)`, 1 from 1 on.
    pub fn cdf(&self, x: f64) -> f64 {
        if x < 0.0 {
            0.0
        } else if x < 1.0 {
            self.threshold
        } else {
            1.0
        }
    }

    /// `p`.
    pub fn mean(&self) -> f64 {
        self.p
    }

    /// `p (1 - p)`.
    pub fn variance(&self) -> f64 {
        self.p * (1.0 - self.p)
    }

    /// `quantile(0.5)`: 1 if `p > 0.5`, else 0.
    pub fn median(&self) -> f64 {
        self.quantile(0.5)
    }

    /// `(0, 1)`, or the single possible value when `p` is 0 or 1.
    pub fn support(&self) -> (f64, f64) {
        if self.p == 0.0 {
            (0.0, 0.0)
        } else if self.p == 1.0 {
            (1.0, 1.0)
        } else {
            (0.0, 1.0)
        }
    }
}
