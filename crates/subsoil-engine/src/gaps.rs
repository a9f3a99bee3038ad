//! Why the base case and the Monte Carlo mean of a metric can differ, in one line.
//!
//! The base case sets every input at its median; the Monte Carlo mean averages the paths. The two
//! agree only for a result that moves linearly with symmetric inputs. A gap is reported when the
//! base case is more than a quarter of the mean away from it and the gap is more than four standard
//! errors (so it is not noise), and it is explained by what the run itself shows: either the base
//! case is a middling result (in the middle half of the paths, between their 25th and 75th
//! percentiles, and within a quarter of their median) and a long tail
//! on the side the mean lies pulls it away from the median, or the result of median inputs is not even
//! a middling result (thresholds: a project is built or not, credits are repaid before
//! anything is paid out). In that case the base case is rerun with each discrete input (a case chosen
//! among several, such as which credits count) at each of its other values, and the one that moves
//! the metric most is named with what the metric would be there.

use subsoil_core::{BaseCase as AtValues, PathOutcome, Workspace, simulate};
use subsoil_risk::Dist;
use subsoil_scenario::Scenario;

use crate::metrics::METRICS;
use crate::report::{Distribution, MetricStats, RunResult};

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
    /// Why they differ.
    pub reason: Reason,
}

/// Why a base case and a mean differ.
#[derive(Clone, Debug, PartialEq)]
pub enum Reason {
    /// The base case is in the middle half of the paths; the distribution's tail on the side of the
    /// mean pulls the mean away from the median.
    Skewed(Tail),
    /// The base case is far from the paths' median too: the result does not respond evenly to its
    /// inputs. The discrete input that moves the base case most, if any does.
    Uneven(Option<Decisive>),
}

/// The tail that pulls a mean away from its median.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tail {
    /// Whether it is the low tail (the mean below the median), else the high one.
    pub low: bool,
    /// The paths' 10th percentile for the low tail, their 90th for the high one.
    pub percentile: f64,
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

/// How a base case `bc` stands against a mean `mean` (standard error `se`) and the paths' quartiles
/// `[p25, p50, p75]`, each within the relative error `rel`: `None` when the gap is within
/// [`GAP_SHARE`] of the mean or four standard errors; otherwise whether the base case is a middling
/// result: in the middle half (widened by `rel` on each side) and within [`GAP_SHARE`] of the median
/// (or of the mean when the median is 0). Either alone is not enough: a base case 22% above the median
/// may be beyond the 90th percentile, and one at the 25th percentile of a result that takes a few
/// values may be a fraction of the median.
pub fn classify(bc: f64, mean: f64, se: f64, quartiles: [f64; 3], rel: f64) -> Option<bool> {
    let [p25, median, p75] = quartiles;
    let gap = (bc - mean).abs();
    if !(gap > GAP_SHARE * mean.abs() && gap > 4.0 * se) {
        return None;
    }
    let scale = if median != 0.0 { median.abs() } else { mean.abs() };
    let near_median = (bc - median).abs() <= GAP_SHARE * scale;
    let middle_half = bc >= p25 - rel * p25.abs() && bc <= p75 + rel * p75.abs();
    Some(near_median && middle_half)
}

/// The tail that pulls a mean away from its median: the low one (at the 10th percentile `p10`) when
/// the mean is below the median, else the high one (at the 90th, `p90`).
fn tail(mean: f64, median: f64, [p10, p90]: [f64; 2]) -> Tail {
    let low = mean < median;
    Tail { low, percentile: if low { p10 } else { p90 } }
}

fn tail_of(d: &Distribution) -> Tail {
    tail(d.mean, d.p50, [d.p10, d.p90])
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
            let bc = METRICS[def].value(&s.model, &out);
            let d = &m.stats;
            let quartiles = [d.p25, d.p50, d.p75];
            Some((m, bc, classify(bc, d.mean, d.se, quartiles, d.quantile_relative_error)?, def))
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
                let there = METRICS[*def].value(&s.model, &out);
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
            reason: if near { Reason::Skewed(tail_of(&m.stats)) } else { Reason::Uneven(decisive) },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{Tail, classify, tail};

    #[test]
    fn the_tail_named_is_on_the_side_of_the_mean() {
        // Mean below the median: the low tail, at P10, pulls it down.
        assert_eq!(tail(1669.3, 1773.0, [900.0, 2137.2]), Tail { low: true, percentile: 900.0 });
        // Mean above the median: the high tail, at P90.
        assert_eq!(tail(805.0, 420.0, [10.0, 2100.0]), Tail { low: false, percentile: 2100.0 });
    }

    #[test]
    fn gaps_are_reported_only_when_large_and_beyond_noise() {
        let q = [350.0, 420.0, 900.0];
        // 299 against a mean of 805 (se 7.7): 506 > 201 and > 31, reported; below the middle half
        // 350..900 and 121 from the median 420 (more than 105): not a middling result.
        assert_eq!(classify(299.0, 805.0, 7.7, q, 0.005), Some(false));
        // Base case 400 in the middle half and 20 from the median: a skewed distribution.
        assert_eq!(classify(400.0, 805.0, 7.7, q, 0.005), Some(true));
        // 700 against 805: 105 ≤ 201, not reported.
        assert_eq!(classify(700.0, 805.0, 7.7, q, 0.005), None);
        // A large gap within the noise: 299 against 805 with se 200 (506 ≤ 800).
        assert_eq!(classify(299.0, 805.0, 200.0, q, 0.005), None);
        // Most paths pay nothing: a base case of 0 is the median and in the middle half 0..0.
        assert_eq!(classify(0.0, 50.0, 1.0, [0.0, 0.0, 0.0], 0.0), Some(true));
    }

    #[test]
    fn a_base_case_beyond_the_middle_half_or_far_from_the_median_is_not_middling() {
        // drc-sicomines-2024, partner NPV ($m, 4,096 paths): base case 2,162.5, mean 1,669.3, median
        // 1,773.0 (22% away: "near" by the median rule alone), but above the 75th percentile 2,040
        // (the 90th is 2,137.2): the base case is at about the 96th percentile.
        let drc = [1410.0, 1773.0, 2040.0];
        assert_eq!(classify(2162.5, 1669.3, 8.0, drc, 0.005), Some(false));
        // ukraine-final-2025, the partner's capital ($m nominal), which takes a few values: the base
        // case 75 is at the 25th percentile (75.1 within the sketch's 0.5%), but the median is 2,570.
        assert_eq!(classify(75.0, 2911.9, 50.0, [75.1, 2570.0, 2570.0], 0.005), Some(false));
        // The sketch's relative error widens the middle half: 2,050 is within 0.5% of 2,040.
        assert_eq!(classify(2050.0, 1500.0, 8.0, drc, 0.005), Some(true));
        assert_eq!(classify(2050.0, 1500.0, 8.0, drc, 0.0), Some(false));
    }
}
