//! Sensitivity of one output to the uncertain inputs: which inputs swing it, and by how much.
//!
//! - [`tornado`]: one input at a time fixed at its 10th, then its 90th percentile, every other input
//!   drawn as usual; the two runs share their random numbers (common random numbers, through
//!   [`crate::compare()`]), so the swing is a paired difference whose Monte Carlo error comes from the
//!   per-path differences. Because every output is a Monte Carlo statistic of the runs, the swing works
//!   for probabilities as well as for means.
//!
//! The output is named by a [`MetricRef`]: a scalar metric (its mean is what swings) or a probability.
//!
//! Fixing an input replaces its distribution by a point mass at the percentile; inputs correlated with
//! it keep their own unconditional draws (the tornado is a one-at-a-time measure and says nothing about
//! joint moves; the variance-based indices do).

use std::fmt;

use serde::Serialize;
use subsoil_core::{Model, PathOutcome};
use subsoil_risk::Dist;
use subsoil_scenario::Scenario;

use crate::compare::compare;
use crate::metrics::{METRICS, Metric, PROBABILITIES, Probability};
use crate::report::RunResult;
use crate::run::{RunConfig, RunError, run};

/// The output a sensitivity analysis explains: a scalar metric (through its mean) or a probability.
#[derive(Clone, Copy, Debug)]
pub enum MetricRef {
    /// A scalar metric of [`METRICS`]; its mean over paths is the statistic.
    Metric(&'static Metric),
    /// A probability of [`PROBABILITIES`]; the share of paths on which the event happens.
    Probability(&'static Probability),
}

impl MetricRef {
    /// The metric or probability called `name` that applies to `model`.
    ///
    /// # Errors
    ///
    /// [`SensitivityError::UnknownMetric`] naming what the model reports.
    pub fn find(model: &Model, name: &str) -> Result<MetricRef, SensitivityError> {
        if let Some(m) = METRICS.iter().find(|m| m.name == name && (m.applies)(model)) {
            return Ok(MetricRef::Metric(m));
        }
        if let Some(p) = PROBABILITIES.iter().find(|p| p.name == name && (p.applies)(model)) {
            return Ok(MetricRef::Probability(p));
        }
        let known = METRICS
            .iter()
            .filter(|m| (m.applies)(model))
            .map(|m| m.name)
            .chain(PROBABILITIES.iter().filter(|p| (p.applies)(model)).map(|p| p.name))
            .collect();
        Err(SensitivityError::UnknownMetric { name: name.to_string(), known })
    }

    /// Its name in outputs.
    pub fn name(&self) -> &'static str {
        match self {
            MetricRef::Metric(m) => m.name,
            MetricRef::Probability(p) => p.name,
        }
    }

    /// Whether it is a probability.
    pub fn is_probability(&self) -> bool {
        matches!(self, MetricRef::Probability(_))
    }

    /// Its value on one path: the metric, or 1 when the event happens and 0 otherwise.
    pub fn value(&self, model: &Model, out: &PathOutcome) -> f64 {
        match self {
            MetricRef::Metric(m) => (m.value)(model, out),
            MetricRef::Probability(p) => f64::from(u8::from((p.happens)(model, out))),
        }
    }

    /// Its statistic in a run (the mean, or the probability) with its standard error.
    pub fn statistic(&self, result: &RunResult) -> Option<(f64, f64)> {
        match self {
            MetricRef::Metric(m) => result.metric(m.name).map(|s| (s.stats.mean, s.stats.se)),
            MetricRef::Probability(p) => {
                result.probability(p.name).map(|s| (s.chance.p, s.chance.se))
            }
        }
    }
}

/// Why a sensitivity analysis could not be made.
#[derive(Debug)]
#[non_exhaustive]
pub enum SensitivityError {
    /// No metric or probability of that name applies to the scenario.
    UnknownMetric {
        /// The name asked for.
        name: String,
        /// What the scenario reports.
        known: Vec<&'static str>,
    },
    /// A run could not start.
    Run(RunError),
}

impl fmt::Display for SensitivityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SensitivityError::UnknownMetric { name, known } => write!(
                f,
                "no metric or probability called `{name}` in this scenario; expected one of: {}",
                known.join(", ")
            ),
            SensitivityError::Run(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for SensitivityError {}

impl From<RunError> for SensitivityError {
    fn from(e: RunError) -> Self {
        SensitivityError::Run(e)
    }
}

/// One bar of a tornado: the output with one input at its 10th and at its 90th percentile.
#[derive(Clone, Debug, Serialize)]
pub struct Swing {
    /// The input, named as in the scenario.
    pub input: String,
    /// The input's 10th percentile (clamped to its bounds).
    pub p10: f64,
    /// The input's 90th percentile (clamped to its bounds).
    pub p90: f64,
    /// The statistic with the input fixed at `p10`.
    pub at_p10: f64,
    /// The statistic with the input fixed at `p90`.
    pub at_p90: f64,
    /// `at_p90 − at_p10`.
    pub swing: f64,
    /// Monte Carlo standard error of `swing`, from the paired per-path differences.
    pub se: f64,
}

/// A tornado: the statistic of the unchanged scenario and one swing per uncertain input.
#[derive(Clone, Debug, Serialize)]
pub struct Tornado {
    /// The output.
    pub metric: &'static str,
    /// Whether the statistic is a probability (else the mean of a metric).
    pub probability: bool,
    /// The statistic with every input drawn as usual.
    pub base: f64,
    /// Its standard error.
    pub base_se: f64,
    /// One swing per input, largest `|swing|` first (ties in registry order).
    pub swings: Vec<Swing>,
}

/// The scenario with input `slot` fixed at `value` (a point mass at the same slot, so every other
/// input keeps its draws).
fn with_fixed(scenario: &Scenario, slot: usize, value: f64) -> Scenario {
    let mut s = scenario.clone();
    if let Ok(d) = Dist::fixed(value) {
        s.inputs.list[slot].dist = d;
    }
    s
}

/// The `u`-quantile of input `slot`, clamped to its bounds.
fn percentile(scenario: &Scenario, slot: usize, u: f64) -> f64 {
    let input = &scenario.inputs.list[slot];
    input.dist.quantile(u).clamp(input.bounds.0, input.bounds.1)
}

/// The tornado of `metric` over every uncertain input of `scenario`: for each input, two runs of
/// `config` on common random numbers with the input fixed at its 10th, then its 90th percentile, and
/// one run of the scenario as it is for the base. `progress(done, total)` is called after each input.
///
/// The cost is `2 × inputs + 1` runs of `config.paths` paths.
///
/// # Errors
///
/// [`SensitivityError::Run`] when a run cannot start.
pub fn tornado(
    scenario: &Scenario,
    metric: &MetricRef,
    config: &RunConfig,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Tornado, SensitivityError> {
    let base = run(scenario, config)?;
    let (base, base_se) = metric.statistic(&base).unwrap_or((f64::NAN, f64::NAN));
    let n = scenario.inputs.list.len();
    let mut swings = Vec::with_capacity(n);
    for slot in 0..n {
        let (p10, p90) = (percentile(scenario, slot, 0.1), percentile(scenario, slot, 0.9));
        let (lo, hi) = (with_fixed(scenario, slot, p10), with_fixed(scenario, slot, p90));
        let r = compare(&[&lo, &hi], config)?;
        let (at_p10, _) = metric.statistic(&r.runs[0]).unwrap_or((f64::NAN, f64::NAN));
        let (at_p90, _) = metric.statistic(&r.runs[1]).unwrap_or((f64::NAN, f64::NAN));
        let d = match metric {
            MetricRef::Metric(m) => r.differences[0].metric(m.name),
            MetricRef::Probability(p) => r.differences[0].probability(p.name),
        };
        let (swing, se) = d.map_or((f64::NAN, f64::NAN), |d| (d.mean, d.se_paired));
        swings.push(Swing {
            input: scenario.inputs.list[slot].name.clone(),
            p10,
            p90,
            at_p10,
            at_p90,
            swing,
            se,
        });
        progress(slot + 1, n);
    }
    // Stable: equal swings (often zero) keep the registry's order.
    swings.sort_by(|a, b| b.swing.abs().total_cmp(&a.swing.abs()));
    Ok(Tornado {
        metric: metric.name(),
        probability: metric.is_probability(),
        base,
        base_se,
        swings,
    })
}
