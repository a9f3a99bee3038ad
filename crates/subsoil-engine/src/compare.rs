//! Several scenarios on common random numbers, with paired differences from the first.
//!
//! Every path is simulated once under each scenario with the same seed and path index. Each scenario
//! draws its own uncertain inputs from its own registry, and a draw is a function of the seed, the path
//! and the input's name, so inputs the scenarios share take the same values on a path: the four deal
//! versions built on one base see the same prices, war and projects, and differ only by their deals.
//! The difference of a metric between two scenarios is then computed path by path, and its standard
//! error comes from the spread of those per-path differences (with Latin hypercube and Sobol sampling,
//! from the spread of the full blocks' mean differences, as a run does). When the scenarios respond
//! alike to the shared randomness, that error is far smaller than the unpaired
//! `sqrt(se_A² + se_B²)` of two independent runs, which the result reports alongside for comparison.
//!
//! The work goes through the run's scheduler: blocks of paths cut into chunks, simulated in parallel
//! and absorbed strictly in path order, so the result is bitwise identical for any number of threads
//! and memory does not grow with the number of paths.
//!
//! ```no_run
//! use subsoil_engine::{RunConfig, compare};
//!
//! let march = subsoil_scenario::load("ukraine-mar-2025-draft", &[])?;
//! let last = subsoil_scenario::load("ukraine-final-2025", &[])?;
//! let result = compare(&[&march, &last], &RunConfig::new(10_000, 1))?;
//! if let Some(d) = result.differences[0].metric("partner-npv") {
//!     println!("final − March draft: {} ± {} (unpaired ± {})", d.mean, d.se_paired, d.se_unpaired);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::sync::atomic::AtomicBool;

use serde::Deserialize;
use serde::Serialize;
use subsoil_core::{Model, PathOutcome, Workspace, simulate};
use subsoil_scenario::Scenario;
use subsoil_stats::{Bits, Merge, Moments};

use crate::accumulate::{BlockMeans, BlockRecord, Chunk, Plan, Prefix, Stats, StatsState};
use crate::draws::{PathRandomness, ScalarDraws, Scratch};
use crate::report::{self, Chance, Distribution, RunHeader, RunResult, SeContext};
use crate::run::{self, RunConfig, RunError, Schedule, Work};
use crate::shard::{self, MergeError, Shard, ShardRun};

/// The paired difference of one output between a scenario and the first one.
#[derive(Clone, Debug, Serialize)]
pub struct Difference {
    /// Output name (a metric, a probability, or an event whose probability within the horizon is
    /// compared).
    #[serde(skip)]
    pub name: &'static str,
    /// Paths on which both values were finite (all of them, unless the model has a bug).
    pub n: u64,
    /// Mean over paths of (this scenario's value − the first scenario's value). For a probability, the
    /// difference of the probabilities.
    pub mean: f64,
    /// Monte Carlo standard error of `mean`, from the per-path differences (between blocks for Latin
    /// hypercube and Sobol, as the run's standard errors).
    pub se_paired: f64,
    /// `sqrt(se_A² + se_B²)` from the two scenarios' own standard errors: what the error would be had
    /// the scenarios been run on independent random numbers.
    pub se_unpaired: f64,
}

/// Paired differences of one scenario from the first, for every output both report.
#[derive(Clone, Debug, Serialize)]
pub struct Differences {
    /// Position of the scenario in the comparison (1 or more; the first is the reference).
    #[serde(skip)]
    pub scenario: usize,
    /// Scalar metrics, in report order.
    #[serde(serialize_with = "report::keyed")]
    pub metrics: Vec<Difference>,
    /// Probabilities, in report order.
    #[serde(serialize_with = "report::keyed")]
    pub probabilities: Vec<Difference>,
    /// Time-to-event curves, compared by P(the event within the horizon).
    #[serde(serialize_with = "report::keyed")]
    pub events: Vec<Difference>,
}

impl Differences {
    /// The difference of the metric called `name`, if both scenarios report it.
    pub fn metric(&self, name: &str) -> Option<&Difference> {
        self.metrics.iter().find(|d| d.name == name)
    }

    /// The difference of the probability called `name`, if both scenarios report it.
    pub fn probability(&self, name: &str) -> Option<&Difference> {
        self.probabilities.iter().find(|d| d.name == name)
    }

    /// The difference of P(event within the horizon) for the event called `name`.
    pub fn event(&self, name: &str) -> Option<&Difference> {
        self.events.iter().find(|d| d.name == name)
    }
}

/// Everything a comparison reports.
#[derive(Clone, Debug)]
pub struct CompareResult {
    /// How the comparison was run (paths, seed, sampler, blocks, standard-error method); years are the
    /// first scenario's.
    pub header: RunHeader,
    /// Each scenario's results, in the order given, as a run of it with the same configuration would
    /// report them.
    pub runs: Vec<RunResult>,
    /// For each scenario after the first, in order, its paired differences from the first.
    pub differences: Vec<Differences>,
}

/// Runs `scenarios` on common random numbers as `config` says. The same scenario may appear more than
/// once.
///
/// # Errors
///
/// [`RunError::NoScenarios`] for an empty list, otherwise as [`crate::run()`].
pub fn compare(scenarios: &[&Scenario], config: &RunConfig) -> Result<CompareResult, RunError> {
    compare_observed(scenarios, config, &|_| {})
}

/// Like [`compare`], calling `progress(n)` from a worker thread each time `n` more paths are done under
/// every scenario.
///
/// # Errors
///
/// As [`compare`].
pub fn compare_observed(
    scenarios: &[&Scenario],
    config: &RunConfig,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<CompareResult, RunError> {
    compare_until(scenarios, config, progress, &AtomicBool::new(false))
}

/// Like [`compare`], stopping its workers within one chunk of paths once `cancel` is set.
///
/// # Errors
///
/// As [`compare`]; [`RunError::Cancelled`] when `cancel` was set before every path was done.
pub fn compare_cancellable(
    scenarios: &[&Scenario],
    config: &RunConfig,
    cancel: &AtomicBool,
) -> Result<CompareResult, RunError> {
    compare_until(scenarios, config, &|_| {}, cancel)
}

fn compare_until(
    scenarios: &[&Scenario],
    config: &RunConfig,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) -> Result<CompareResult, RunError> {
    let (paired, pool) = Paired::new(scenarios, config)?;
    let schedule = Schedule::new(config, progress).halted_by(cancel);
    let ((stats, totals), ended) = pool.install(|| {
        let total = paired.total();
        schedule.drive_until(&paired, total, pool.current_num_threads(), &|_| run::Flow::Continue)
    });
    if !ended {
        return Err(RunError::Cancelled);
    }
    let members: Vec<(&Model, &Plan)> = paired.members.iter().map(|m| (m.model, &m.plan)).collect();
    Ok(finish(&members, &paired.pairs, &stats, &totals, config))
}

/// The comparison's report from its totals.
fn finish(
    members: &[(&Model, &Plan)],
    pairs: &[Pairing],
    stats: &[Stats],
    totals: &[PairTotal],
    config: &RunConfig,
) -> CompareResult {
    let se = run::se_context(config, &stats[0]);
    let runs: Vec<RunResult> = members
        .iter()
        .zip(stats)
        .map(|(&(model, plan), total)| report::build(model, plan, total, se, run::header(config)))
        .collect();
    let differences = pairs
        .iter()
        .zip(totals)
        .enumerate()
        .map(|(i, (pairing, total))| pairing.report(i + 1, total, &runs[0], &runs[i + 1], &se))
        .collect();
    CompareResult { header: runs[0].header.clone(), runs, differences }
}

/// What a shard of a comparison hands to the merge (see [`crate::shard`]): each scenario's statistics
/// and each scenario after the first's paired block records.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompareShardState {
    /// The comparison it belongs to (one hash per scenario).
    pub run: ShardRun,
    /// Which shard it is.
    pub shard: Shard,
    /// One per scenario, in order.
    pub members: Vec<StatsState>,
    /// One per scenario after the first: its paired differences' block records.
    pub pairs: Vec<Vec<PairBlockRecord>>,
}

/// Runs shard `shard` of the comparison of `scenarios` that `config` describes.
///
/// # Errors
///
/// As [`compare`].
pub fn compare_shard(
    scenarios: &[&Scenario],
    config: &RunConfig,
    shard: Shard,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<CompareShardState, RunError> {
    compare_shard_cancellable(scenarios, config, shard, progress, &AtomicBool::new(false))
}

/// Like [`compare_shard`], stopping its workers within one chunk of paths once `cancel` is set.
///
/// # Errors
///
/// As [`compare_shard`]; [`RunError::Cancelled`] when `cancel` was set before the shard was done.
pub fn compare_shard_cancellable(
    scenarios: &[&Scenario],
    config: &RunConfig,
    shard: Shard,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) -> Result<CompareShardState, RunError> {
    let (paired, pool) = Paired::new(scenarios, config)?;
    let last = paired.last;
    let (index, count) = (shard.index, shard.count);
    let stats: Vec<Stats> =
        paired.members.iter().map(|m| Stats::for_shard(&m.plan, last, index, count)).collect();
    let totals: Vec<PairTotal> = paired
        .pairs
        .iter()
        .map(|p| PairTotal {
            next_block: (index, count.max(1)),
            kept: Some(Vec::new()),
            ..p.total(last)
        })
        .collect();
    let schedule = Schedule::new(config, progress).shard(index, count).halted_by(cancel);
    let ((stats, totals), ended) = pool.install(|| {
        let workers = pool.current_num_threads();
        schedule.drive_until(&paired, (stats, totals), workers, &|_| run::Flow::Continue)
    });
    if !ended {
        return Err(RunError::Cancelled);
    }
    Ok(CompareShardState {
        run: ShardRun::of(scenarios, config),
        shard,
        members: stats.iter().map(Stats::state).collect(),
        pairs: totals.into_iter().map(|t| t.kept.unwrap_or_default()).collect(),
    })
}

/// Merges the shards of one comparison of `scenarios` (in the order compared) into the result of the
/// whole comparison, as [`compare`] returns it; the shards may come in any order.
///
/// # Errors
///
/// As [`crate::shard::merge`].
pub fn merge_compare(
    scenarios: &[&Scenario],
    shards: Vec<CompareShardState>,
) -> Result<CompareResult, MergeError> {
    if scenarios.is_empty() {
        return Err(MergeError::Run(RunError::NoScenarios.to_string()));
    }
    let ids: Vec<(Shard, &ShardRun)> = shards.iter().map(|s| (s.shard, &s.run)).collect();
    let (config, count) = shard::check_shards(scenarios, &ids)?;
    let plans: Vec<Plan> = scenarios.iter().map(|s| Plan::new(&s.model)).collect();
    let pairs: Vec<Pairing> = plans[1..].iter().map(|p| Pairing::new(&plans[0], p)).collect();
    let last = run::partial_block(&config);
    let mut stats: Vec<Stats> = plans.iter().map(|p| Stats::with_partial_block(p, last)).collect();
    let mut totals: Vec<PairTotal> = pairs.iter().map(|p| p.total(last)).collect();
    let blocks = config.paths.div_ceil(u64::from(config.block_size)) as usize;
    let mut records: Vec<Vec<Option<BlockRecord>>> = vec![vec![None; blocks]; stats.len()];
    let mut paired: Vec<Vec<Option<PairBlockRecord>>> = vec![vec![None; blocks]; totals.len()];
    for s in shards {
        let shard = s.shard;
        let invalid = |m: String| MergeError::Invalid(format!("shard {shard}: {m}"));
        if s.members.len() != stats.len() || s.pairs.len() != totals.len() {
            return Err(invalid("it does not hold one state per scenario".into()));
        }
        for (m, (total, state)) in stats.iter_mut().zip(s.members).enumerate() {
            let layout = state.blocks.iter().map(|r| (r.index, r.full));
            shard::check_blocks(&config, shard, count, layout)?;
            for r in total.add_exact(state).map_err(invalid)? {
                let i = r.index as usize;
                records[m][i] = Some(r);
            }
        }
        for (p, (total, kept)) in totals.iter().zip(s.pairs).enumerate() {
            let layout = kept.iter().map(|r| (r.index, r.full));
            shard::check_blocks(&config, shard, count, layout)?;
            let width = total.metrics.len() + total.probabilities.len() + total.events.len();
            for r in kept {
                if r.means.len() != width {
                    return Err(invalid(format!(
                        "block {} does not hold every difference",
                        r.index
                    )));
                }
                let i = r.index as usize;
                paired[p][i] = Some(r);
            }
        }
    }
    for (total, records) in stats.iter_mut().zip(records) {
        shard::check_paths(&config, total.paths)?;
        let records: Vec<BlockRecord> = records.into_iter().flatten().collect();
        total.fold_records(&records);
    }
    for (total, records) in totals.iter_mut().zip(paired) {
        for r in records.into_iter().flatten() {
            total.fold(&r);
        }
    }
    let members: Vec<(&Model, &Plan)> = scenarios.iter().map(|s| &s.model).zip(&plans).collect();
    Ok(finish(&members, &pairs, &stats, &totals, &config))
}

/// One scenario of a comparison.
struct Member<'a> {
    model: &'a Model,
    plan: Plan,
    draws: ScalarDraws,
}

/// Which outputs a scenario shares with the first: `(position in the first's record, position in its
/// own)` for metrics, probabilities and events.
struct Pairing {
    metrics: Vec<(usize, usize)>,
    probabilities: Vec<(usize, usize)>,
    events: Vec<(usize, usize)>,
}

impl Pairing {
    fn new(first: &Plan, other: &Plan) -> Pairing {
        fn matched<T>(
            a: &[&T],
            b: &[&T],
            name: impl Fn(&T) -> &'static str,
        ) -> Vec<(usize, usize)> {
            b.iter()
                .enumerate()
                .filter_map(|(j, y)| a.iter().position(|x| name(x) == name(y)).map(|i| (i, j)))
                .collect()
        }
        Pairing {
            metrics: matched(&first.metrics, &other.metrics, |m| m.name),
            probabilities: matched(&first.probabilities, &other.probabilities, |p| p.name),
            events: matched(&first.events, &other.events, |e| e.name),
        }
    }

    /// Empty accumulators for a run whose final partial block holds `last` paths (0 for none).
    fn total(&self, last: u64) -> PairTotal {
        PairTotal {
            metrics: vec![PairedMean::default(); self.metrics.len()],
            probabilities: vec![PairedMean::default(); self.probabilities.len()],
            events: vec![PairedMean::default(); self.events.len()],
            prefix: Prefix::new(last),
            next_block: (0, 1),
            kept: None,
        }
    }

    /// Folds one path: `a` is the first scenario's record of it, `b` this scenario's.
    fn push(&self, total: &mut PairTotal, a: Record<'_>, b: Record<'_>) {
        for (acc, &(i, j)) in total.metrics.iter_mut().zip(&self.metrics) {
            acc.push(b.0[j] - a.0[i]);
        }
        let indicator = |hit: bool| if hit { 1.0 } else { 0.0 };
        for (acc, &(i, j)) in total.probabilities.iter_mut().zip(&self.probabilities) {
            acc.push(indicator(b.1[j]) - indicator(a.1[i]));
        }
        for (acc, &(i, j)) in total.events.iter_mut().zip(&self.events) {
            acc.push(indicator(b.2[j].is_some()) - indicator(a.2[i].is_some()));
        }
        total.step();
    }

    /// The differences of scenario `scenario` (whose run is `b`) from the first (`a`).
    fn report(
        &self,
        scenario: usize,
        total: &PairTotal,
        a: &RunResult,
        b: &RunResult,
        se: &SeContext,
    ) -> Differences {
        let unpaired = |x: f64, y: f64| x.hypot(y);
        let metric = |(acc, &(i, j)): (&PairedMean, &(usize, usize))| {
            let (x, y): (&Distribution, &Distribution) = (&a.metrics[i].stats, &b.metrics[j].stats);
            acc.difference(b.metrics[j].name, se, unpaired(x.se, y.se))
        };
        let probability = |(acc, &(i, j)): (&PairedMean, &(usize, usize))| {
            let (x, y): (&Chance, &Chance) =
                (&a.probabilities[i].chance, &b.probabilities[j].chance);
            acc.difference(b.probabilities[j].name, se, unpaired(x.se, y.se))
        };
        let event = |(acc, &(i, j)): (&PairedMean, &(usize, usize))| {
            let (x, y) = (&a.events[i].curve.by_horizon, &b.events[j].curve.by_horizon);
            acc.difference(b.events[j].name, se, unpaired(x.se, y.se))
        };
        Differences {
            scenario,
            metrics: total.metrics.iter().zip(&self.metrics).map(metric).collect(),
            probabilities: total
                .probabilities
                .iter()
                .zip(&self.probabilities)
                .map(probability)
                .collect(),
            events: total.events.iter().zip(&self.events).map(event).collect(),
        }
    }
}

/// The values, flags and event years of one path under one scenario.
type Record<'a> = (&'a [f64], &'a [bool], &'a [Option<u32>]);

/// The mean of per-path differences, with the moments of the current block and the block means (for
/// the between-block standard error).
#[derive(Clone, Debug, Default)]
pub(crate) struct PairedMean {
    all: Moments,
    block: Moments,
    blocks: BlockMeans,
}

impl PairedMean {
    pub(crate) fn push(&mut self, x: f64) {
        self.block.push(x);
    }

    pub(crate) fn mark_prefix(&mut self) {
        self.blocks.mark_prefix(self.block.mean());
    }

    /// Ends a block outside a [`PairTotal`]: the block's moments merge into the total in block order,
    /// as [`PairTotal::end_block`] folds them.
    pub(crate) fn end_block(&mut self, full: bool) {
        self.all.merge(&self.block);
        self.blocks.end_block(full, self.block.mean());
        self.block = Moments::new();
    }

    /// The mean over paths and its standard error (between blocks where the run uses them).
    pub(crate) fn mean_se(&self, se: &SeContext) -> (f64, f64) {
        let iid = self.all.se().unwrap_or(f64::NAN);
        let blocks = se.between_blocks(&self.blocks);
        (self.all.mean().unwrap_or(f64::NAN), se.choose(iid, blocks))
    }

    fn difference(&self, name: &'static str, se: &SeContext, se_unpaired: f64) -> Difference {
        let iid = self.all.se().unwrap_or(f64::NAN);
        let blocks = se.between_blocks(&self.blocks);
        Difference {
            name,
            n: self.all.count(),
            mean: self.all.mean().unwrap_or(f64::NAN),
            se_paired: se.choose(iid, blocks),
            se_unpaired,
        }
    }
}

/// What one block leaves to a paired total: each paired mean's moments over the block and its mean over
/// the prefix that matches the final partial block (metrics, probabilities, events, in that order).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PairBlockRecord {
    /// The block's index in the run.
    pub index: u64,
    /// Whether the block held `block_size` paths.
    pub full: bool,
    /// One per paired mean.
    pub means: Vec<(Moments, Option<Bits>)>,
}

/// The paired accumulators of one scenario after the first. Each block's differences go into moments of
/// their own, merged into the totals in block order when the block ends (or kept, in a shard), as a
/// run's scalars are.
#[derive(Clone, Debug)]
struct PairTotal {
    metrics: Vec<PairedMean>,
    probabilities: Vec<PairedMean>,
    events: Vec<PairedMean>,
    /// Where the current block stands against the final partial block's length.
    prefix: Prefix,
    /// The index of the next block to end, and the step to the one after.
    next_block: (u64, u64),
    /// The records of ended blocks, when kept rather than folded (a shard).
    kept: Option<Vec<PairBlockRecord>>,
}

impl PairTotal {
    fn all(&mut self) -> impl Iterator<Item = &mut PairedMean> {
        self.metrics.iter_mut().chain(&mut self.probabilities).chain(&mut self.events)
    }

    /// Counts a path folded into every accumulator.
    fn step(&mut self) {
        if self.prefix.step() {
            self.all().for_each(PairedMean::mark_prefix);
        }
    }

    fn end_block(&mut self, full: bool) {
        self.prefix.end_block();
        let (index, stride) = self.next_block;
        self.next_block.0 = index + stride;
        let means = self
            .all()
            .map(|acc| (std::mem::take(&mut acc.block), acc.blocks.prefix.take().map(Bits)))
            .collect();
        let record = PairBlockRecord { index, full, means };
        match &mut self.kept {
            Some(kept) => kept.push(record),
            None => self.fold(&record),
        }
    }

    fn fold(&mut self, record: &PairBlockRecord) {
        for (acc, (m, prefix)) in self.all().zip(&record.means) {
            acc.all.merge(m);
            acc.blocks.mark_prefix(prefix.map(|b| b.0));
            acc.blocks.end_block(record.full, m.mean());
        }
    }
}

/// The work of a comparison: each path under every scenario.
struct Paired<'a> {
    members: Vec<Member<'a>>,
    /// One per scenario after the first.
    pairs: Vec<Pairing>,
    seed: u64,
    /// Paths in the final partial block (0 for none).
    last: u64,
}

impl<'a> Paired<'a> {
    /// The paired work of comparing `scenarios` as `config` says, and the thread pool to run it on.
    fn new(
        scenarios: &[&'a Scenario],
        config: &RunConfig,
    ) -> Result<(Paired<'a>, rayon::ThreadPool), RunError> {
        if scenarios.is_empty() {
            return Err(RunError::NoScenarios);
        }
        run::comparable(scenarios)?;
        let (sampler, pool) = run::prepare(config)?;
        let members = scenarios
            .iter()
            .map(|s| {
                Ok(Member {
                    model: &s.model,
                    plan: Plan::new(&s.model),
                    draws: run::drawer(s, sampler)?,
                })
            })
            .collect::<Result<Vec<_>, RunError>>()?;
        let pairs = members[1..].iter().map(|m| Pairing::new(&members[0].plan, &m.plan)).collect();
        let last = run::partial_block(config);
        Ok((Paired { members, pairs, seed: config.seed, last }, pool))
    }
}

impl Work for Paired<'_> {
    type Local = Vec<(Workspace, PathOutcome, Scratch)>;
    type Chunk = Vec<Chunk>;
    type Total = (Vec<Stats>, Vec<PairTotal>);

    fn local(&self) -> Self::Local {
        self.members
            .iter()
            .map(|m| (Workspace::new(m.model), PathOutcome::new(m.model, false), m.draws.scratch()))
            .collect()
    }

    fn chunk(&self, paths: usize) -> Vec<Chunk> {
        self.members.iter().map(|m| Chunk::with_capacity(&m.plan, paths)).collect()
    }

    fn total(&self) -> Self::Total {
        let stats =
            self.members.iter().map(|m| Stats::with_partial_block(&m.plan, self.last)).collect();
        (stats, self.pairs.iter().map(|p| p.total(self.last)).collect())
    }

    fn simulate(&self, local: &mut Self::Local, first: u64, end: u64, chunk: &mut Vec<Chunk>) {
        // One scenario after another over the chunk's paths, so each keeps its workspace warm; the
        // order does not matter to the result, which only depends on (seed, path).
        for ((m, (ws, out, scratch)), buf) in self.members.iter().zip(local).zip(chunk) {
            buf.clear();
            for path in first..end {
                m.draws.fill(path, scratch);
                let r = PathRandomness { seed: self.seed, path, scalars: scratch.values() };
                simulate(m.model, &r, ws, out);
                buf.record(&m.plan, m.model, out);
            }
        }
    }

    fn absorb(&self, (stats, totals): &mut Self::Total, chunk: &Vec<Chunk>) {
        for ((m, s), buf) in self.members.iter().zip(stats.iter_mut()).zip(chunk) {
            s.absorb(&m.plan, buf);
        }
        let (first, rest) = (&self.members[0], &self.members[1..]);
        for p in 0..chunk[0].paths() {
            let a = chunk[0].path(&first.plan, p);
            for (((m, pairing), total), buf) in
                rest.iter().zip(&self.pairs).zip(totals.iter_mut()).zip(&chunk[1..])
            {
                pairing.push(total, a, buf.path(&m.plan, p));
            }
        }
    }

    fn end_block(&self, (stats, totals): &mut Self::Total, full: bool) {
        for s in stats {
            s.end_block(full);
        }
        for t in totals {
            t.end_block(full);
        }
    }
}

impl report::Named for Difference {
    fn key(&self) -> &'static str {
        self.name
    }
}
