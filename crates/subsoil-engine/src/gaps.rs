//! Why the base case and the Monte Carlo mean of a metric can differ, in one line.
//!
//! The base case sets every input at its median; the Monte Carlo mean averages the paths. The two
//! agree only for a result that moves linearly with symmetric inputs. A gap is reported when the
//! base case is more than a quarter of the mean away from it and the gap is more than four standard
//! errors (so it is not noise), and it is explained by what the run itself shows: either the base
//! case sits near the paths' median and a long tail pulls the mean, or the result of median inputs is
//! not even the median result (thresholds: a project is built or not, credits are repaid before
//! anything is paid out). In that case the base case is rerun with each discrete input (a case chosen
//! among several, such as which credits count) at each of its other values, and the one that moves
//! the metric most is named with what the metric would be there.

use subsoil_core::{BaseCase as AtValues, PathOutcome, Workspace, simulate};
use subsoil_risk::Dist;
use subsoil_scenario::Scenario;

use crate::metrics::METRICS;
use crate::report::{MetricStats, RunResult};

/// Smallest gap between the base case and the mean, as a share of the mean, that is reported.
pub const GAP_SHARE: f64 = 0.25;

/// A metric whose base case and Monte Carlo mean differ.
#[derive(Clone, Debug, PartialEq)]
pub struct Gap {
    /// The metric.
    pub metric: &'static str,
    /// Its value in the base case.
    pub base_case: f64,
    /// Its Monte Carlo mean.
    pub mean: f64,
    /// The paths' median.
    pub median: f64,
    /// The paths' 90th percentile.
    pub p90: f64,
    /// Why they differ.
    pub reason: Reason,
}

/// Why a base case and a mean differ.
#[derive(Clone, Debug, PartialEq)]
pub enum Reason {
    /// The base case is near the paths' median; the distribution's tail pulls the mean away.
    Skewed,
    /// The base case is far from the paths' median too: the result does not respond evenly to its
    /// inputs. The discrete input that moves the base case most, if any does.
    Uneven(Option<Decisive>),
}

/// A discrete input whose value in the base case decides much of a metric.
#[derive(Clone, Debug, PartialEq)]
pub struct Decisive {
    /// The input's name.
    pub input: String,
    /// Its value in the base case (its median).
    pub median: f64,
    /// The other value that moves the metric most.
    pub value: f64,
    /// That value's probability.
    pub probability: f64,
    /// The metric in the base case with the input at `value`.
    pub metric_there: f64,
}

/// How a base case `bc` stands against a mean `mean` (standard error `se`) and median `median`:
/// `None` when the gap is within [`GAP_SHARE`] of the mean or four standard errors; otherwise whether
/// the base case is near the median (within [`GAP_SHARE`] of it, or of the mean when the median is 0).
pub fn classify(bc: f64, mean: f64, se: f64, median: f64) -> Option<bool> {
    let gap = (bc - mean).abs();
    if !(gap > GAP_SHARE * mean.abs() && gap > 4.0 * se) {
        return None;
    }
    let scale = if median != 0.0 { median.abs() } else { mean.abs() };
    Some((bc - median).abs() <= GAP_SHARE * scale)
}

/// The base case of `s` with its inputs at `values` (one per slot).
fn at(s: &Scenario, values: &[f64], ws: &mut Workspace, out: &mut PathOutcome) {
    simulate(&s.model, &AtValues { scalars: values }, ws, out);
}

/// Every other value of every discrete input of `s`: `(slot, value, probability)`.
fn alternatives(s: &Scenario, medians: &[f64]) -> Vec<(usize, f64, f64)> {
    let mut list = Vec::new();
    for (slot, input) in s.inputs.list.iter().enumerate() {
        let values: Vec<(f64, f64)> = match &input.dist {
            Dist::Discrete(d) => d.values().iter().copied().zip(d.probabilities()).collect(),
            Dist::Bernoulli(b) => vec![(0.0, 1.0 - b.p()), (1.0, b.p())],
            _ => continue,
        };
        list.extend(
            values
                .into_iter()
                .filter(|&(v, p)| v != medians[slot] && p > 0.0)
                .map(|(v, p)| (slot, v, p)),
        );
    }
    list
}

/// The metrics of `r` whose base case differs from the mean (see the module's documentation).
pub fn gaps(s: &Scenario, r: &RunResult) -> Vec<Gap> {
    let medians = s.inputs.medians();
    let mut ws = Workspace::new(&s.model);
    let mut out = PathOutcome::new(&s.model, false);
    at(s, &medians, &mut ws, &mut out);
    let flagged: Vec<(&MetricStats, f64, bool, usize)> = r
        .metrics
        .iter()
        .filter_map(|m| {
            let def = METRICS.iter().position(|d| d.name == m.name)?;
            let bc = (METRICS[def].value)(&s.model, &out);
            let d = &m.stats;
            Some((m, bc, classify(bc, d.mean, d.se, d.p50)?, def))
        })
        .collect();
    // Each metric far from its median: the other values of the discrete inputs, one at a time.
    let mut decisive: Vec<Option<Decisive>> = vec![None; flagged.len()];
    if flagged.iter().any(|f| !f.2) {
        let mut values = medians.clone();
        for (slot, v, p) in alternatives(s, &medians) {
            values[slot] = v;
            at(s, &values, &mut ws, &mut out);
            values[slot] = medians[slot];
            for ((_, bc, near, def), best) in flagged.iter().zip(&mut decisive) {
                let there = (METRICS[*def].value)(&s.model, &out);
                let moved = (there - bc).abs();
                let larger = best.as_ref().is_none_or(|b| moved > (b.metric_there - bc).abs());
                if !near && moved > GAP_SHARE * bc.abs().max(f64::MIN_POSITIVE) && larger {
                    *best = Some(Decisive {
                        input: s.inputs.list[slot].name.clone(),
                        median: medians[slot],
                        value: v,
                        probability: p,
                        metric_there: there,
                    });
                }
            }
        }
    }
    flagged
        .into_iter()
        .zip(decisive)
        .map(|((m, bc, near, _), decisive)| Gap {
            metric: m.name,
            base_case: bc,
            mean: m.stats.mean,
            median: m.stats.p50,
            p90: m.stats.p90,
            reason: if near { Reason::Skewed } else { Reason::Uneven(decisive) },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::classify;

    #[test]
    fn gaps_are_reported_only_when_large_and_beyond_noise() {
        // 299 against a mean of 805 (se 7.7): 506 > 201 and > 31, reported; the median 420 is 121
        // away, more than 105, so not near it.
        assert_eq!(classify(299.0, 805.0, 7.7, 420.0), Some(false));
        // Base case 400 near the median 420 (20 ≤ 105): a skewed distribution.
        assert_eq!(classify(400.0, 805.0, 7.7, 420.0), Some(true));
        // 700 against 805: 105 ≤ 201, not reported.
        assert_eq!(classify(700.0, 805.0, 7.7, 420.0), None);
        // A large gap within the noise: 299 against 805 with se 200 (506 ≤ 800).
        assert_eq!(classify(299.0, 805.0, 200.0, 420.0), None);
        // Median 0 (most paths pay nothing): near it is judged against the mean.
        assert_eq!(classify(0.0, 50.0, 1.0, 0.0), Some(true));
    }
}
