//! The results of a Monte Carlo run: plain data, serialisable, derived from the run's accumulators.
//!
//! Every mean carries its Monte Carlo standard error and every probability its Wilson interval. With
//! pseudo-random sampling the standard error of a mean is the usual `sd/√n`. With Latin hypercube and
//! Sobol sampling paths within a block are not independent, so `sd/√n` would be wrong (too large, as a
//! rule); each block is an independent randomisation, and the standard error comes from the spread of
//! the full blocks' means instead. A final partial block of `n_last` paths is stratified too (its paths
//! are the first `n_last` of a block's design), so its error comes from the spread of the full blocks'
//! means over their first `n_last` paths, which are randomised exactly as it is. [`SeMethod`] says which
//! estimate a run used.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use subsoil_core::{Model, Year};
use subsoil_stats::{Confidence, Histogram, Proportion, Summary, TimeToEvent};

use crate::accumulate::{BlockMeans, Plan, Stats, Tracked, TrackedProportion};
use crate::metrics::Unit;

/// Critical value of the 95% intervals.
const Z95: f64 = 1.959_963_984_540_054;

/// How the standard errors of a run were estimated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SeMethod {
    /// `sd/√n` over independent paths (pseudo-random sampling).
    Iid,
    /// From the spread of the means of full blocks, each an independent randomisation (Latin hypercube
    /// and Sobol with at least two full blocks); a final partial block's share from the spread of the
    /// full blocks' means over as many first paths as it holds.
    BetweenBlocks,
    /// None yet: Latin hypercube or Sobol sampling with fewer than two full blocks. Paths within a
    /// block are not independent, so `sd/√n` does not measure the error, and the spread of block means
    /// needs two blocks; every standard error of the run is `NaN` (`null` in JSON).
    None,
}

/// How the standard error of a final partial block of paths enters a run's standard errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SePartialBlock {
    /// Every block is full.
    None,
    /// Like every path, by `sd/√n` (the run's [`SeMethod`] is `iid`).
    Iid,
    /// From the spread of the full blocks' means over as many first paths as the partial block holds
    /// (the run's [`SeMethod`] is `between-blocks`).
    FullBlockPrefixes,
    /// Not estimated: the run has no standard errors yet (its [`SeMethod`] is `none`).
    NotEstimated,
}

impl SeMethod {
    /// Name as printed.
    pub fn name(self) -> &'static str {
        match self {
            SeMethod::Iid => "iid",
            SeMethod::BetweenBlocks => "between-blocks",
            SeMethod::None => "none",
        }
    }
}

/// Distribution of a scalar over the paths. Money is real base-year USD. A statistic that is not
/// defined (no finite value, or a standard deviation of one value) is `NaN`, written `null` in JSON.
#[derive(Clone, Debug, Serialize)]
pub struct Distribution {
    /// Paths with a finite value.
    pub n: u64,
    /// Paths whose value was not finite (left out of every statistic; 0 unless the model has a bug).
    pub non_finite: u64,
    /// Mean.
    pub mean: f64,
    /// Standard deviation over paths.
    pub sd: f64,
    /// Monte Carlo standard error of the mean (by the run's [`SeMethod`]).
    pub se: f64,
    /// 5th percentile.
    pub p5: f64,
    /// 10th percentile.
    pub p10: f64,
    /// 25th percentile.
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75th percentile.
    pub p75: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// Largest relative error of the percentiles: 0 when they are exact (every value a whole number,
    /// such as a count of projects), else the quantile sketch's 0.005.
    pub quantile_relative_error: f64,
    /// `sd/√n`, whatever the method.
    #[serde(skip)]
    pub se_iid: f64,
    /// The between-block estimate, when at least two full blocks ran (computed for every sampler).
    #[serde(skip)]
    pub se_between_blocks: Option<f64>,
}

/// A scalar metric's distribution.
#[derive(Clone, Debug, Serialize)]
pub struct MetricStats {
    /// Name.
    #[serde(skip)]
    pub name: &'static str,
    /// Unit.
    pub unit: Unit,
    /// What it is.
    pub description: &'static str,
    /// Its distribution.
    #[serde(flatten)]
    pub stats: Distribution,
}

/// A probability with its standard error and Wilson interval.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Chance {
    /// Paths in which the event happened.
    pub hits: u64,
    /// Paths.
    pub n: u64,
    /// Estimate.
    pub p: f64,
    /// Monte Carlo standard error (by the run's [`SeMethod`]).
    pub se: f64,
    /// 95% Wilson score interval `[lo, hi]`.
    pub ci95: [f64; 2],
}

impl Chance {
    /// As printed: `"54.1% [53.4, 54.8]"`, or `"< 0.02% (95%)"` when no path had the event.
    pub fn display(&self) -> String {
        Proportion::new(self.hits, self.n).format(Confidence::P95)
    }
}

/// A named probability.
#[derive(Clone, Debug, Serialize)]
pub struct ProbabilityStats {
    /// Name.
    #[serde(skip)]
    pub name: &'static str,
    /// What the event is.
    pub description: &'static str,
    /// Its probability.
    #[serde(flatten)]
    pub chance: Chance,
}

/// One year of a fan chart.
#[derive(Clone, Debug, Serialize)]
pub struct FanYear {
    /// Calendar year.
    pub year: Year,
    /// Mean.
    pub mean: f64,
    /// Monte Carlo standard error of the mean.
    pub se: f64,
    /// 5th percentile.
    pub p5: f64,
    /// 10th percentile.
    pub p10: f64,
    /// 25th percentile.
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75th percentile.
    pub p75: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 95th percentile.
    pub p95: f64,
}

/// A yearly series as a fan chart.
#[derive(Clone, Debug, Serialize)]
pub struct Fan {
    /// Name.
    #[serde(skip)]
    pub name: &'static str,
    /// Unit.
    pub unit: Unit,
    /// What it is.
    pub description: &'static str,
    /// Largest relative error of the percentiles of any year: 0 when they are all exact.
    pub quantile_relative_error: f64,
    /// One entry per simulated year.
    pub years: Vec<FanYear>,
}

/// P(event by year Y) for one year.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct ByYear {
    /// Calendar year.
    pub year: Year,
    /// P(the event has happened in this year or earlier).
    pub p: f64,
    /// 95% Wilson interval.
    pub ci95: [f64; 2],
}

/// When an event first happens.
#[derive(Clone, Debug, Serialize)]
pub struct TimeToEventStats {
    /// The first year by which more than half of the paths had the event; `None` (null) if that does
    /// not happen within the horizon.
    pub median_year: Option<Year>,
    /// Distribution-free 95% interval for the median year; a `null` upper end means "possibly after
    /// the horizon".
    pub median_year_ci95: [Option<Year>; 2],
    /// P(not within the horizon).
    pub never: f64,
    /// P(within the horizon), with its standard error and Wilson interval.
    pub by_horizon: Chance,
    /// Cumulative curve, one entry per simulated year.
    pub by_year: Vec<ByYear>,
}

/// A named time-to-event curve.
#[derive(Clone, Debug, Serialize)]
pub struct EventStats {
    /// Name.
    #[serde(skip)]
    pub name: &'static str,
    /// What the event is.
    pub description: &'static str,
    /// The curve.
    #[serde(flatten)]
    pub curve: TimeToEventStats,
}

/// P(built by a year) for one project.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct BuiltBy {
    /// Calendar year.
    pub year: Year,
    /// The probability that the project has had output by the end of `year`.
    #[serde(flatten)]
    pub chance: Chance,
}

/// One project's results over the paths.
#[derive(Clone, Debug, Serialize)]
pub struct ProjectStats {
    /// Project id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Deposit id.
    pub deposit: String,
    /// Stage at the start, as written in scenario files (`idle` for an idle operation that starts
    /// ready for a restart decision).
    pub start_stage: &'static str,
    /// NPV of the investor's free cash flow at the valuation rate, to the start year (real).
    pub npv: Distribution,
    /// Mean of the state's receipts from the project over the horizon (royalty, PSA state share,
    /// licence fees, corporate tax; new and existing licences; real, net of leakage).
    pub receipts_mean: f64,
    /// P(producing by the year) for 2030, 2035 and 2045 (those within the horizon).
    pub built_by: Vec<BuiltBy>,
    /// Year of first output.
    pub first_production: TimeToEventStats,
    /// P(its deposit is occupied at the horizon).
    pub occupied: Chance,
    /// P(abandoned at the end of a stage).
    pub abandoned: Chance,
}

/// How a run was made: everything needed to reproduce it besides the scenario. It does not include the
/// number of threads, on which no result depends.
#[derive(Clone, Debug, Serialize)]
pub struct RunHeader {
    /// Paths run.
    pub paths: u64,
    /// Seed.
    pub seed: u64,
    /// `random`, `latin-hypercube` or `sobol`.
    pub sampler: String,
    /// Paths per block.
    pub block_size: u32,
    /// Blocks (the last may be partial).
    pub blocks: u64,
    /// How standard errors were estimated.
    pub se_method: SeMethod,
    /// Paths in the final partial block (0 when every block is full).
    pub partial_block_paths: u64,
    /// How the final partial block's error was estimated.
    pub se_partial_block: SePartialBlock,
    /// First simulated year.
    pub start_year: Year,
    /// Last simulated year.
    pub end_year: Year,
    /// Year whose dollars money is in.
    pub base_year: Year,
}

/// Everything a Monte Carlo run reports.
///
/// Serialising it writes the results only (`metrics`, `probabilities`, `series`, `events`,
/// `projects`); the [`RunHeader`] is serialised on its own, so that a caller can put it into a
/// manifest.
#[derive(Clone, Debug, Serialize)]
pub struct RunResult {
    /// How the run was made.
    #[serde(skip)]
    pub header: RunHeader,
    /// Scalar metrics, keyed by name.
    #[serde(serialize_with = "keyed")]
    pub metrics: Vec<MetricStats>,
    /// Probabilities, keyed by name.
    #[serde(serialize_with = "keyed")]
    pub probabilities: Vec<ProbabilityStats>,
    /// Fan charts, keyed by name.
    #[serde(serialize_with = "keyed")]
    pub series: Vec<Fan>,
    /// Time-to-event curves, keyed by name.
    #[serde(serialize_with = "keyed")]
    pub events: Vec<EventStats>,
    /// Per project, in scenario order.
    pub projects: Vec<ProjectStats>,
    /// The paths of each scalar metric counted in bins, keyed by name (left out of the run's JSON;
    /// a saved `summary.json` has them for its report).
    #[serde(skip)]
    pub histograms: Vec<MetricHistogram>,
}

/// How a scalar metric's paths spread: counts in [`HISTOGRAM_BINS`] equal bins from the smallest
/// value to the 99th percentile (the largest value when that is the smallest), the paths above in
/// `overflow`. Absent for a metric with a single value on every path.
#[derive(Clone, Debug, Serialize)]
pub struct MetricHistogram {
    /// The metric's name.
    #[serde(skip)]
    pub name: &'static str,
    /// The counts.
    #[serde(flatten)]
    pub histogram: Histogram,
}

/// Bins of a metric's histogram.
pub const HISTOGRAM_BINS: usize = 24;

/// The histogram of `summary` (see [`MetricHistogram`]), or `None` when it has one value only.
pub fn histogram(summary: &Summary) -> Option<Histogram> {
    let lo = summary.quantile(0.0)?;
    let p99 = summary.quantile(0.99)?;
    let hi = if p99 > lo { p99 } else { summary.quantile(1.0)? };
    if hi <= lo || hi.is_nan() {
        return None;
    }
    summary.histogram(Histogram::uniform(lo, hi, HISTOGRAM_BINS).ok()?.edges().to_vec()).ok()
}

impl RunResult {
    /// One line for every output that was not finite on some paths: those paths are left out of its
    /// statistics, so its mean and percentiles describe only the rest. Empty when every value was
    /// finite, as it should be for any valid scenario.
    pub fn warnings(&self) -> Vec<String> {
        let total = self.header.paths;
        let line = |what: &str, d: &Distribution| {
            (d.non_finite > 0).then(|| {
                format!(
                    "{what} is not finite on {} of {total} paths; its statistics leave them out",
                    d.non_finite
                )
            })
        };
        let metrics = self.metrics.iter().filter_map(|m| line(m.name, &m.stats));
        let projects =
            self.projects.iter().filter_map(|p| line(&format!("the NPV of {}", p.id), &p.npv));
        metrics.chain(projects).collect()
    }

    /// The metric called `name`.
    pub fn metric(&self, name: &str) -> Option<&MetricStats> {
        self.metrics.iter().find(|m| m.name == name)
    }

    /// The probability called `name`.
    pub fn probability(&self, name: &str) -> Option<&ProbabilityStats> {
        self.probabilities.iter().find(|p| p.name == name)
    }

    /// The time-to-event curve called `name`.
    pub fn event(&self, name: &str) -> Option<&EventStats> {
        self.events.iter().find(|e| e.name == name)
    }

    /// The fan chart called `name`.
    pub fn fan(&self, name: &str) -> Option<&Fan> {
        self.series.iter().find(|s| s.name == name)
    }
}

/// Something listed under its name in JSON.
pub(crate) trait Named {
    fn key(&self) -> &'static str;
}

impl Named for MetricStats {
    fn key(&self) -> &'static str {
        self.name
    }
}
impl Named for ProbabilityStats {
    fn key(&self) -> &'static str {
        self.name
    }
}
impl Named for Fan {
    fn key(&self) -> &'static str {
        self.name
    }
}
impl Named for EventStats {
    fn key(&self) -> &'static str {
        self.name
    }
}

impl Named for MetricHistogram {
    fn key(&self) -> &'static str {
        self.name
    }
}

/// A run's histograms serialised as an object keyed by metric name, in the registry's order.
#[derive(Clone, Copy, Debug)]
pub struct Histograms<'a>(pub &'a [MetricHistogram]);

impl Serialize for Histograms<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        keyed(self.0, s)
    }
}

/// Serialises a list as an object keyed by name, in list order.
pub(crate) fn keyed<S: Serializer, T: Named + Serialize>(
    items: &[T],
    s: S,
) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(items.len()))?;
    for item in items {
        map.serialize_entry(item.key(), item)?;
    }
    map.end()
}

/// What the standard errors of a run need to know.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SeContext {
    pub method: SeMethod,
    pub paths: u64,
    pub block_size: u64,
}

impl SeContext {
    /// The between-block standard error of a mean with block means `blocks`. The run's mean weights
    /// the full blocks by their paths and the final partial block (if any) by its own `n_last`:
    ///
    /// `se² = (n_full/n)² · var(full blocks' means)/blocks_full + (n_last/n)² · var(prefix means)`,
    ///
    /// where the prefix means are the full blocks' means over their first `n_last` paths. The partial
    /// block holds the first `n_last` points of a block's stratified design, randomised independently of
    /// every other block, so its mean is distributed as a prefix mean and independent of the rest.
    pub(crate) fn between_blocks(&self, blocks: &BlockMeans) -> Option<f64> {
        let full = blocks.full.count();
        if full < 2 || self.paths == 0 {
            return None;
        }
        let n = self.paths as f64;
        let in_full = (full * self.block_size) as f64;
        let last = n - in_full;
        let mut v = (in_full / n).powi(2) * blocks.full.variance()? / full as f64;
        if last > 0.0 {
            v += (last / n).powi(2) * blocks.prefixes.variance()?;
        }
        Some(v.sqrt())
    }

    /// The paths of the final partial block (0 for none) and how its error enters.
    pub(crate) fn partial_block(&self) -> (u64, SePartialBlock) {
        let last = if self.block_size == 0 { 0 } else { self.paths % self.block_size };
        let how = match (last, self.method) {
            (0, _) => SePartialBlock::None,
            (_, SeMethod::Iid) => SePartialBlock::Iid,
            (_, SeMethod::BetweenBlocks) => SePartialBlock::FullBlockPrefixes,
            (_, SeMethod::None) => SePartialBlock::NotEstimated,
        };
        (last, how)
    }

    /// The standard error by the run's method: `iid` (`sd/√n`), the between-block one `blocks`, or
    /// `NaN` when the run has none yet.
    pub(crate) fn choose(&self, iid: f64, blocks: Option<f64>) -> f64 {
        match (self.method, blocks) {
            (SeMethod::BetweenBlocks, Some(b)) => b,
            (SeMethod::None, _) => f64::NAN,
            _ => iid,
        }
    }

    pub(crate) fn distribution(&self, t: &Tracked) -> Distribution {
        let m = t.summary.moments();
        let se_iid = m.se().unwrap_or(f64::NAN);
        let se_between_blocks = self.between_blocks(&t.blocks);
        let q = |p| t.summary.quantile(p).unwrap_or(f64::NAN);
        Distribution {
            n: m.count(),
            non_finite: m.non_finite(),
            mean: m.mean().unwrap_or(f64::NAN),
            sd: m.sd().unwrap_or(f64::NAN),
            se: self.choose(se_iid, se_between_blocks),
            p5: q(0.05),
            p10: q(0.10),
            p25: q(0.25),
            p50: q(0.50),
            p75: q(0.75),
            p90: q(0.90),
            p95: q(0.95),
            min: m.min().unwrap_or(f64::NAN),
            max: m.max().unwrap_or(f64::NAN),
            quantile_relative_error: t.summary.quantile_relative_error(),
            se_iid,
            se_between_blocks,
        }
    }

    pub(crate) fn chance(&self, t: &TrackedProportion) -> Chance {
        let pr = t.proportion;
        let p = pr.p().unwrap_or(f64::NAN);
        let iid = pr.se().unwrap_or(f64::NAN);
        let blocks = self.between_blocks(&t.blocks);
        let (lo, hi) = pr.wilson(Z95);
        Chance { hits: pr.hits, n: pr.n, p, se: self.choose(iid, blocks), ci95: [lo, hi] }
    }
}

fn time_to_event(t: &TimeToEvent, start: Year, se: &SeContext) -> TimeToEventStats {
    let year = |i: u32| start + i as Year;
    let n = t.count();
    let interval = t.median_year_interval(Z95);
    TimeToEventStats {
        median_year: t.median_year().map(year),
        median_year_ci95: [
            interval.and_then(|i| i.lo).map(year),
            interval.and_then(|i| i.hi).map(year),
        ],
        never: if n > 0 { t.never() as f64 / n as f64 } else { f64::NAN },
        by_horizon: {
            let pr = Proportion::new(n - t.never(), n);
            let (lo, hi) = pr.wilson(Z95);
            Chance {
                hits: pr.hits,
                n,
                p: pr.p().unwrap_or(f64::NAN),
                se: se.choose(pr.se().unwrap_or(f64::NAN), None),
                ci95: [lo, hi],
            }
        },
        by_year: t
            .curve()
            .into_iter()
            .map(|(i, pr)| {
                let (lo, hi) = pr.wilson(Z95);
                ByYear { year: year(i), p: pr.p().unwrap_or(f64::NAN), ci95: [lo, hi] }
            })
            .collect(),
    }
}

/// The report of a run's total.
pub(crate) fn build(
    model: &Model,
    plan: &Plan,
    total: &Stats,
    se: SeContext,
    header: (u64, String, u32, u64),
) -> RunResult {
    let (seed, sampler, block_size, blocks) = header;
    let start = model.time.start_year;
    let histograms = plan
        .metrics
        .iter()
        .zip(&total.metrics)
        .filter_map(|(m, t)| {
            Some(MetricHistogram { name: m.name, histogram: histogram(&t.summary)? })
        })
        .collect();
    let metrics = plan
        .metrics
        .iter()
        .zip(&total.metrics)
        .map(|(m, t)| MetricStats {
            name: m.name,
            unit: m.unit,
            description: m.description,
            stats: se.distribution(t),
        })
        .collect();
    let probabilities = plan
        .probabilities
        .iter()
        .zip(&total.probabilities)
        .map(|(p, t)| ProbabilityStats {
            name: p.name,
            description: p.description,
            chance: se.chance(t),
        })
        .collect();
    let series = plan
        .series
        .iter()
        .zip(&total.series)
        .map(|(s, years)| Fan {
            name: s.name,
            unit: s.unit,
            description: s.description,
            quantile_relative_error: years
                .iter()
                .filter(|acc| acc.summary.count() > 0)
                .map(|acc| acc.summary.quantile_relative_error())
                .fold(0.0, f64::max),
            years: years
                .iter()
                .enumerate()
                .map(|(t, acc)| {
                    let d = se.distribution(acc);
                    FanYear {
                        year: start + t as Year,
                        mean: d.mean,
                        se: d.se,
                        p5: d.p5,
                        p10: d.p10,
                        p25: d.p25,
                        p50: d.p50,
                        p75: d.p75,
                        p90: d.p90,
                        p95: d.p95,
                    }
                })
                .collect(),
        })
        .collect();
    let events = plan
        .events
        .iter()
        .zip(&total.events)
        .map(|(e, t)| EventStats {
            name: e.name,
            description: e.description,
            curve: time_to_event(t, start, &se),
        })
        .collect();
    let projects = total
        .projects
        .iter()
        .enumerate()
        .map(|(e, acc)| {
            let range = crate::metrics::entry_projects(model, e);
            let p = &model.projects[range.start];
            let flow = model.flows.iter().find(|f| f.fees_project == range.start);
            let deposit = &model.deposits[p.deposit];
            (flow, p, deposit, acc)
        })
        .map(|(flow, p, deposit, acc)| ProjectStats {
            id: flow.map_or_else(|| p.id.clone(), |f| format!("licensing-flows.{}", f.id)),
            name: if flow.is_some() { deposit.name.clone() } else { p.name.clone() },
            deposit: deposit.id.clone(),
            start_stage: if flow.is_some() { "flow" } else { p.stage.name() },
            npv: se.distribution(&acc.npv),
            receipts_mean: acc.receipts.mean().unwrap_or(f64::NAN),
            built_by: plan
                .built_by
                .iter()
                .zip(&acc.built_by)
                .map(|(&year, t)| BuiltBy { year, chance: se.chance(t) })
                .collect(),
            first_production: time_to_event(&acc.first_production, start, &se),
            occupied: se.chance(&acc.occupied),
            abandoned: se.chance(&acc.abandoned),
        })
        .collect();
    let (partial_block_paths, se_partial_block) = se.partial_block();
    RunResult {
        header: RunHeader {
            paths: total.paths,
            seed,
            sampler,
            block_size,
            blocks,
            se_method: se.method,
            partial_block_paths,
            se_partial_block,
            start_year: start,
            end_year: model.time.end_year(),
            base_year: model.time.base_year,
        },
        metrics,
        probabilities,
        series,
        events,
        projects,
        histograms,
    }
}
