//! Sensitivity of one output to the uncertain inputs: which inputs swing it, and by how much.
//!
//! - [`tornado`]: one input at a time fixed at its 10th, then its 90th percentile, every other input
//!   drawn as usual; the two runs share their random numbers (common random numbers, through
//!   [`crate::compare()`]), so the swing is a paired difference whose Monte Carlo error comes from the
//!   per-path differences. Because every output is a Monte Carlo statistic of the runs, the swing works
//!   for probabilities as well as for means.
//!
//! - [`rank_correlations`]: Spearman's ρ of each input with the output over the paths of one run.
//! - [`sobol`]: variance-based first-order and total indices of [`Factors`], groups of inputs and
//!   yearly random streams (a product's whole price path, the conflict, every project's capex overrun),
//!   by a Saltelli design and Jansen's estimators ([`subsoil_stats::Saltelli`]), with bootstrap
//!   intervals. Correlated inputs in different factors are listed ([`Factors::split`]): the indices
//!   assume independent factors.
//!
//! The output is named by a [`MetricRef`]: a scalar metric (its mean is what swings) or a probability.
//!
//! Fixing an input replaces its distribution by a point mass at the percentile; inputs correlated with
//! it keep their own unconditional draws (the tornado is a one-at-a-time measure and says nothing about
//! joint moves; the variance-based indices do).

use std::fmt;

use serde::Serialize;
use subsoil_core::{Model, PathOutcome, Workspace, simulate};
use subsoil_risk::Dist;
use subsoil_scenario::Scenario;

use crate::compare::compare_observed;
use crate::draws::{MixedRandomness, PathRandomness, ScalarDraws, Scratch};
use crate::metrics::{METRICS, Metric, PROBABILITIES, Probability};
use crate::report::RunResult;
use crate::run::{RunConfig, RunError, Schedule, Work, drawer, prepare, run_observed};

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
            MetricRef::Metric(m) => m.value(model, out),
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

    /// The 95% interval of its statistic in a run: the mean ± 1.96 standard errors, or the
    /// probability's Wilson interval; `NaN` ends when the run has no standard errors.
    pub fn interval(&self, result: &RunResult) -> Option<[f64; 2]> {
        const Z95: f64 = 1.959_963_984_540_054;
        match self {
            MetricRef::Metric(m) => result
                .metric(m.name)
                .map(|s| [s.stats.mean - Z95 * s.stats.se, s.stats.mean + Z95 * s.stats.se]),
            MetricRef::Probability(p) => result.probability(p.name).map(|s| s.chance.ci95),
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
    /// No uncertain input has this name.
    UnknownInput(String),
    /// A factor group's pattern matches no input and no stream.
    UnmatchedPattern {
        /// The group.
        group: String,
        /// The pattern.
        pattern: String,
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
            SensitivityError::UnknownInput(name) => write!(
                f,
                "{name:?} is not an uncertain input of this scenario (`subsoil inputs` lists them)"
            ),
            SensitivityError::UnmatchedPattern { group, pattern } => write!(
                f,
                "group `{group}`: {pattern:?} matches no uncertain input and no random stream of \
                 this scenario (`subsoil inputs` lists the inputs; streams are named like \
                 `products.<id>.shock`, `projects.<id>.events`, `conflict.events`)"
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
    /// The 95% interval of `at_p10` in its own run ([`MetricRef::interval`]; not in the JSON).
    #[serde(skip)]
    pub ci95_at_p10: [f64; 2],
    /// The 95% interval of `at_p90`.
    #[serde(skip)]
    pub ci95_at_p90: [f64; 2],
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
/// one run of the scenario as it is for the base. `progress(n)` counts paths as they are done (a path
/// of the base run, or one under both settings of an input): `(inputs + 1) × config.paths` in all.
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
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Tornado, SensitivityError> {
    let slots: Vec<usize> = (0..scenario.inputs.list.len()).collect();
    tornado_over(scenario, metric, config, &slots, progress)
}

/// The tornado of `metric` over the named inputs only (for a quick answer on a large scenario, for
/// example the inputs with the largest rank correlations): `2 × inputs.len() + 1` runs.
///
/// # Errors
///
/// [`SensitivityError::UnknownInput`] for a name that is not an uncertain input of `scenario`; otherwise
/// as [`tornado`].
pub fn tornado_of(
    scenario: &Scenario,
    metric: &MetricRef,
    config: &RunConfig,
    inputs: &[&str],
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Tornado, SensitivityError> {
    let slots = inputs
        .iter()
        .map(|name| {
            scenario
                .inputs
                .slot_of(name)
                .map(|s| s as usize)
                .ok_or_else(|| SensitivityError::UnknownInput(name.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    tornado_over(scenario, metric, config, &slots, progress)
}

fn tornado_over(
    scenario: &Scenario,
    metric: &MetricRef,
    config: &RunConfig,
    slots: &[usize],
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Tornado, SensitivityError> {
    let base = run_observed(scenario, config, progress)?;
    let (base, base_se) = metric.statistic(&base).unwrap_or((f64::NAN, f64::NAN));
    let mut swings = Vec::with_capacity(slots.len());
    for &slot in slots {
        let (p10, p90) = (percentile(scenario, slot, 0.1), percentile(scenario, slot, 0.9));
        let (lo, hi) = (with_fixed(scenario, slot, p10), with_fixed(scenario, slot, p90));
        let r = compare_observed(&[&lo, &hi], config, progress)?;
        let (at_p10, _) = metric.statistic(&r.runs[0]).unwrap_or((f64::NAN, f64::NAN));
        let (at_p90, _) = metric.statistic(&r.runs[1]).unwrap_or((f64::NAN, f64::NAN));
        let none = [f64::NAN; 2];
        let ci95_at_p10 = metric.interval(&r.runs[0]).unwrap_or(none);
        let ci95_at_p90 = metric.interval(&r.runs[1]).unwrap_or(none);
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
            ci95_at_p10,
            ci95_at_p90,
        });
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

/// A factor of the variance-based indices: a set of uncertain inputs and yearly random streams that
/// move together (drawn from one sample or the other as a whole).
#[derive(Clone, Debug, Serialize)]
pub struct Factor {
    /// Its name: a declared group's, or the default factor's (`products.<id>`, `projects.*.<field>`,
    /// `conflict`, or a top-level section).
    pub name: String,
    /// Whether it was declared (on the command line or in `[sensitivity.groups]`).
    pub declared: bool,
    /// The inputs in it, by name.
    pub inputs: Vec<String>,
    /// The streams in it, by name.
    pub streams: Vec<String>,
    #[serde(skip)]
    slots: Vec<u32>,
    /// Stream ids, sorted.
    #[serde(skip)]
    stream_ids: Vec<u64>,
}

/// Two correlated inputs (or products with correlated price shocks) in different factors: their
/// factors are not independent, and their indices mix their effects.
#[derive(Clone, Debug, Serialize)]
pub struct SplitCorrelation {
    /// One input (or shock stream).
    pub a: String,
    /// The other.
    pub b: String,
    /// Their correlation (Spearman for inputs, of the normal shocks for prices).
    pub rho: f64,
    /// The factor of `a`.
    pub factor_a: String,
    /// The factor of `b`.
    pub factor_b: String,
}

/// The factors of a scenario, and the correlations they split.
#[derive(Clone, Debug, Serialize)]
pub struct Factors {
    /// Every factor, declared ones first (command line, then scenario), then the defaults in the order
    /// of their first input or stream.
    pub list: Vec<Factor>,
    /// Correlations between members of different factors (empty when every correlated pair shares a
    /// factor, as it should).
    pub split: Vec<SplitCorrelation>,
}

/// The default factor of an input or stream named `name`: `products.<id>` for a product's inputs and
/// streams; `projects.*.<rest>` for one kind of project input or stream across projects; `conflict`
/// for the conflict and the oblasts' fronts; otherwise the top-level section.
pub fn default_factor(name: &str) -> String {
    let parts: Vec<&str> = name.split('.').collect();
    match parts.as_slice() {
        ["products", id, _, ..] => format!("products.{id}"),
        ["projects", _, rest @ ..] if !rest.is_empty() => format!("projects.*.{}", rest.join(".")),
        ["oblasts", ..] | ["conflict", ..] => "conflict".to_string(),
        [first, ..] => (*first).to_string(),
        [] => name.to_string(),
    }
}

/// The factors of `scenario`: the groups of `declared` (the command line's first), then those of its
/// `[sensitivity.groups]`, then the default factors of whatever no group matched ([`default_factor`]).
/// An input or stream goes to the first group with a pattern that matches its name. Default factors
/// linked by a rank correlation between inputs or a correlation between price shocks are merged into
/// one; correlations across declared groups are listed in [`Factors::split`].
///
/// # Errors
///
/// [`SensitivityError::UnmatchedPattern`] for a pattern of `declared` that matches nothing.
pub fn factors(
    scenario: &Scenario,
    declared: &[subsoil_scenario::FactorGroup],
) -> Result<Factors, SensitivityError> {
    use subsoil_scenario::glob_match;
    for g in declared {
        if let Some(p) = g.patterns.iter().find(|p| !scenario.inputs.matches_any(p)) {
            return Err(SensitivityError::UnmatchedPattern {
                group: g.name.clone(),
                pattern: p.clone(),
            });
        }
    }
    let groups: Vec<&subsoil_scenario::FactorGroup> =
        declared.iter().chain(&scenario.factor_groups).collect();
    let mut list: Vec<Factor> = Vec::new();
    let mut index = std::collections::HashMap::<(bool, String), usize>::new();
    let mut place = |name: &str, list: &mut Vec<Factor>| -> usize {
        let (declared, key) =
            match groups.iter().find(|g| g.patterns.iter().any(|p| glob_match(p, name))) {
                Some(g) => (true, g.name.clone()),
                None => (false, default_factor(name)),
            };
        *index.entry((declared, key.clone())).or_insert_with(|| {
            list.push(Factor {
                name: key,
                declared,
                inputs: Vec::new(),
                streams: Vec::new(),
                slots: Vec::new(),
                stream_ids: Vec::new(),
            });
            list.len() - 1
        })
    };
    let mut slot_factor = Vec::with_capacity(scenario.inputs.list.len());
    for (slot, input) in scenario.inputs.list.iter().enumerate() {
        let f = place(&input.name, &mut list);
        list[f].inputs.push(input.name.clone());
        list[f].slots.push(slot as u32);
        slot_factor.push(f);
    }
    let mut stream_factor = std::collections::HashMap::new();
    for s in &scenario.inputs.streams {
        let f = place(&s.name, &mut list);
        list[f].streams.push(s.name.clone());
        list[f].stream_ids.push(s.id);
        stream_factor.insert(s.id, (f, s.name.clone()));
    }
    for f in &mut list {
        f.stream_ids.sort_unstable();
    }
    // Correlated pairs: (name, name, ρ, factor, factor).
    let mut pairs: Vec<(String, String, f64, usize, usize)> = Vec::new();
    for &(a, b, rho) in &scenario.rank_correlations {
        let (a, b) = (a as usize, b as usize);
        let names = (scenario.inputs.list[a].name.clone(), scenario.inputs.list[b].name.clone());
        pairs.push((names.0, names.1, rho, slot_factor[a], slot_factor[b]));
    }
    // Price shocks: products j < k are correlated when their shock correlation, row k of L·Lᵀ, is not 0.
    let products = &scenario.model.products;
    let n = products.len();
    let l = &scenario.model.price_cholesky;
    if l.len() == n * n {
        for k in 0..n {
            for j in 0..k {
                let rho: f64 = (0..=j).map(|m| l[k * n + m] * l[j * n + m]).sum();
                if rho.abs() < 1e-12 {
                    continue;
                }
                let (sa, sb) = (products[j].shock_stream, products[k].shock_stream);
                if let (Some((fa, na)), Some((fb, nb))) =
                    (stream_factor.get(&sa), stream_factor.get(&sb))
                {
                    pairs.push((na.clone(), nb.clone(), rho, *fa, *fb));
                }
            }
        }
    }
    // Default factors linked by a correlation become one factor (named after the first, with the
    // number of others); declared groups are left as declared.
    let mut root: Vec<usize> = (0..list.len()).collect();
    fn find(root: &mut [usize], mut x: usize) -> usize {
        while root[x] != x {
            root[x] = root[root[x]];
            x = root[x];
        }
        x
    }
    for p in &pairs {
        if !list[p.3].declared && !list[p.4].declared {
            let (a, b) = (find(&mut root, p.3), find(&mut root, p.4));
            let (lo, hi) = (a.min(b), a.max(b));
            root[hi] = lo;
        }
    }
    let roots: Vec<usize> = (0..list.len()).map(|i| find(&mut root, i)).collect();
    let mut merged: Vec<Factor> = Vec::new();
    let mut position = vec![usize::MAX; list.len()];
    let mut joined = vec![Vec::new(); list.len()];
    for (i, f) in list.into_iter().enumerate() {
        let r = roots[i];
        if r == i {
            position[i] = merged.len();
            joined[i].push(f.name.clone());
            merged.push(f);
        } else {
            position[i] = position[r];
            joined[r].push(f.name.clone());
            let m = &mut merged[position[r]];
            m.inputs.extend(f.inputs);
            m.streams.extend(f.streams);
            m.slots.extend(f.slots);
            m.stream_ids.extend(f.stream_ids);
        }
    }
    for (i, names) in joined.iter().enumerate() {
        if names.len() > 1 {
            let m = &mut merged[position[i]];
            m.name = match names.len() {
                2 => format!("{} + {}", names[0], names[1]),
                k => format!("{} + {} correlated", names[0], k - 1),
            };
            m.stream_ids.sort_unstable();
            m.slots.sort_unstable();
        }
    }
    let mut list = merged;
    let split = pairs
        .into_iter()
        .filter(|p| position[p.3] != position[p.4])
        .map(|(a, b, rho, fa, fb)| SplitCorrelation {
            a,
            b,
            rho,
            factor_a: list[position[fa]].name.clone(),
            factor_b: list[position[fb]].name.clone(),
        })
        .collect();
    // Declared groups first, in their order; default factors keep the order of their first member.
    list.sort_by_key(|f| {
        if f.declared { groups.iter().position(|g| g.name == f.name) } else { None }
            .unwrap_or(usize::MAX)
    });
    Ok(Factors { list, split })
}

/// How to make a Saltelli design.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SobolConfig {
    /// Rows of each of the matrices `A` and `B` (at least 2); the design simulates
    /// `rows × (factors + 2)` paths.
    pub rows: u64,
    /// Seed of every random number: row `i` of `A` is path `2i`, of `B` path `2i + 1`.
    pub seed: u64,
    /// Worker threads; 0 uses every core. Results do not depend on it.
    pub threads: usize,
    /// Bootstrap resamples for the intervals.
    pub resamples: usize,
}

/// One factor's indices.
#[derive(Clone, Debug, Serialize)]
pub struct FactorIndices {
    /// The factor.
    pub factor: String,
    /// Whether it was declared.
    pub declared: bool,
    /// Inputs in it.
    pub inputs: usize,
    /// Streams in it.
    pub streams: usize,
    /// Its indices.
    #[serde(flatten)]
    pub index: subsoil_stats::SobolIndex,
}

/// Variance-based indices of every factor.
#[derive(Clone, Debug, Serialize)]
pub struct SobolResult {
    /// The output.
    pub metric: &'static str,
    /// Rows of `A` and of `B`.
    pub rows: u64,
    /// Paths simulated: `rows × (factors + 2)`.
    pub paths: u64,
    /// Bootstrap resamples behind the intervals.
    pub resamples: usize,
    /// Mean of the output over the rows of `A` and `B`.
    pub mean: f64,
    /// Its variance, the denominator of every index.
    pub variance: f64,
    /// Each factor's indices, largest total first.
    pub factors: Vec<FactorIndices>,
    /// Correlations split between factors.
    pub split: Vec<SplitCorrelation>,
}

/// Grouped Sobol first-order and total indices of `metric` by a Saltelli design over `factors`,
/// Jansen's estimators, bootstrap intervals. Every path is drawn with pseudo-random numbers from the
/// seed; a hybrid row takes one factor's inputs and streams from its `B` path and all else from its `A`
/// path. `progress(n)` counts design rows as they are done.
///
/// # Errors
///
/// [`SensitivityError::Run`] when the design cannot start (fewer than 2 rows, threads).
pub fn sobol(
    scenario: &Scenario,
    metric: &MetricRef,
    factors: &Factors,
    config: &SobolConfig,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<SobolResult, SensitivityError> {
    if config.rows < 2 {
        return Err(SensitivityError::Run(RunError::NoPaths));
    }
    let run_config = RunConfig {
        threads: config.threads,
        sampler: subsoil_risk::SamplerKind::Random,
        ..RunConfig::new(config.rows, config.seed)
    };
    let (sampler, pool) = prepare(&run_config)?;
    let draws = drawer(scenario, sampler)?;
    let work = Design {
        model: &scenario.model,
        draws: &draws,
        seed: config.seed,
        metric: *metric,
        factors: &factors.list,
    };
    let schedule = Schedule::new(&run_config, progress);
    let values = pool.install(|| schedule.drive(&work, pool.current_num_threads()));
    let k = factors.list.len();
    let width = k + 2;
    let rows = values.len() / width;
    let column = |c: usize| (0..rows).map(|i| values[i * width + c]).collect::<Vec<f64>>();
    let (a, b) = (column(0), column(1));
    let ab: Vec<Vec<f64>> = (0..k).map(|g| column(g + 2)).collect();
    let indices =
        subsoil_stats::Saltelli { a: &a, b: &b, ab: &ab }.indices(config.resamples, config.seed);
    let finite: Vec<f64> = a.iter().chain(&b).copied().filter(|x| x.is_finite()).collect();
    let mean = finite.iter().sum::<f64>() / finite.len().max(1) as f64;
    let variance =
        finite.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (finite.len().max(2) - 1) as f64;
    let mut out: Vec<FactorIndices> = factors
        .list
        .iter()
        .zip(indices)
        .map(|(f, index)| FactorIndices {
            factor: f.name.clone(),
            declared: f.declared,
            inputs: f.inputs.len(),
            streams: f.streams.len(),
            index,
        })
        .collect();
    out.sort_by(|x, y| {
        let key = |f: &FactorIndices| if f.index.total.is_nan() { -1.0 } else { f.index.total };
        key(y).total_cmp(&key(x))
    });
    Ok(SobolResult {
        metric: metric.name(),
        rows: config.rows,
        paths: config.rows * width as u64,
        resamples: config.resamples,
        mean,
        variance,
        factors: out,
        split: factors.split.clone(),
    })
}

/// The rows of a Saltelli design: for each row, the output under `A`, `B` and each factor's hybrid.
struct Design<'a> {
    model: &'a Model,
    draws: &'a ScalarDraws,
    seed: u64,
    metric: MetricRef,
    factors: &'a [Factor],
}

impl Work for Design<'_> {
    type Local = (Workspace, PathOutcome, Scratch, Scratch, Vec<f64>);
    /// Row after row: `A`, `B`, then the hybrids in factor order.
    type Chunk = Vec<f64>;
    type Total = Vec<f64>;

    fn local(&self) -> Self::Local {
        let mixed = vec![0.0; self.draws.len()];
        (
            Workspace::new(self.model),
            PathOutcome::new(self.model, false),
            self.draws.scratch(),
            self.draws.scratch(),
            mixed,
        )
    }

    fn chunk(&self, paths: usize) -> Vec<f64> {
        Vec::with_capacity(paths * (self.factors.len() + 2))
    }

    fn total(&self) -> Vec<f64> {
        Vec::new()
    }

    fn simulate(&self, local: &mut Self::Local, first: u64, end: u64, chunk: &mut Vec<f64>) {
        let (ws, out, sa, sb, mixed) = local;
        chunk.clear();
        for row in first..end {
            let (pa, pb) = (2 * row, 2 * row + 1);
            self.draws.fill(pa, sa);
            self.draws.fill(pb, sb);
            for (path, scratch) in [(pa, &*sa), (pb, &*sb)] {
                let r = PathRandomness { seed: self.seed, path, scalars: scratch.values() };
                simulate(self.model, &r, ws, out);
                chunk.push(self.metric.value(self.model, out));
            }
            for f in self.factors {
                mixed.copy_from_slice(sa.values());
                for &s in &f.slots {
                    mixed[s as usize] = sb.values()[s as usize];
                }
                let r = MixedRandomness {
                    seed: self.seed,
                    a: pa,
                    b: pb,
                    scalars: mixed,
                    from_b: &f.stream_ids,
                };
                simulate(self.model, &r, ws, out);
                chunk.push(self.metric.value(self.model, out));
            }
        }
    }

    fn absorb(&self, total: &mut Vec<f64>, chunk: &Vec<f64>) {
        total.extend_from_slice(chunk);
    }

    fn end_block(&self, _: &mut Vec<f64>, _: bool) {}
}

/// One input's rank correlation with the output.
#[derive(Clone, Debug, Serialize)]
pub struct InputRank {
    /// The input.
    pub input: String,
    /// Its Spearman correlation with the output over the run's paths.
    #[serde(flatten)]
    pub rank: subsoil_stats::RankCorrelation,
}

/// Spearman rank correlations of every uncertain input with `metric` over the paths of one run of
/// `config` (the paths [`crate::run()`] would simulate), largest `|ρ|` first; inputs that do not vary
/// (ρ undefined) last. Keeps every path's inputs in memory: `paths × inputs` numbers.
///
/// # Errors
///
/// [`SensitivityError::Run`] when the run cannot start.
pub fn rank_correlations(
    scenario: &Scenario,
    metric: &MetricRef,
    config: &RunConfig,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<InputRank>, SensitivityError> {
    let (sampler, pool) = prepare(config)?;
    let draws = drawer(scenario, sampler)?;
    let work =
        Columns { model: &scenario.model, draws: &draws, seed: config.seed, metric: *metric };
    let schedule = Schedule::new(config, progress);
    let values = pool.install(|| schedule.drive(&work, pool.current_num_threads()));
    let width = draws.len() + 1;
    let rows = values.len() / width;
    let y: Vec<f64> = (0..rows).map(|i| values[i * width + draws.len()]).collect();
    let mut out: Vec<InputRank> = scenario
        .inputs
        .list
        .iter()
        .enumerate()
        .map(|(slot, input)| {
            let x: Vec<f64> = (0..rows).map(|i| values[i * width + slot]).collect();
            InputRank { input: input.name.clone(), rank: subsoil_stats::spearman(&x, &y) }
        })
        .collect();
    out.sort_by(|a, b| {
        let key = |r: &InputRank| if r.rank.rho.is_nan() { -1.0 } else { r.rank.rho.abs() };
        key(b).total_cmp(&key(a))
    });
    Ok(out)
}

/// Every path's inputs and output, row after row.
struct Columns<'a> {
    model: &'a Model,
    draws: &'a ScalarDraws,
    seed: u64,
    metric: MetricRef,
}

impl Work for Columns<'_> {
    type Local = (Workspace, PathOutcome, Scratch);
    type Chunk = Vec<f64>;
    type Total = Vec<f64>;

    fn local(&self) -> Self::Local {
        (Workspace::new(self.model), PathOutcome::new(self.model, false), self.draws.scratch())
    }

    fn chunk(&self, paths: usize) -> Vec<f64> {
        Vec::with_capacity(paths * (self.draws.len() + 1))
    }

    fn total(&self) -> Vec<f64> {
        Vec::new()
    }

    fn simulate(&self, local: &mut Self::Local, first: u64, end: u64, chunk: &mut Vec<f64>) {
        let (ws, out, scratch) = local;
        chunk.clear();
        for path in first..end {
            self.draws.fill(path, scratch);
            let r = PathRandomness { seed: self.seed, path, scalars: scratch.values() };
            simulate(self.model, &r, ws, out);
            chunk.extend_from_slice(scratch.values());
            chunk.push(self.metric.value(self.model, out));
        }
    }

    fn absorb(&self, total: &mut Vec<f64>, chunk: &Vec<f64>) {
        total.extend_from_slice(chunk);
    }

    fn end_block(&self, _: &mut Vec<f64>, _: bool) {}
}
