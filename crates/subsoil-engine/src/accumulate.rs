//! Accumulators of a run: what each path is reduced to, and how the run's statistics absorb it.
//!
//! A worker thread simulates a chunk of consecutive paths and writes each path's outputs as plain
//! numbers into a reusable [`Chunk`] (a few hundred numbers per path, in the order the [`Plan`] fixes).
//! The run's [`Stats`] absorbs finished chunks strictly in path order, each block's values into that
//! block's own moments, which are merged into the totals in block order when the block ends: every
//! statistic is the same fold of the same values whatever the number of threads, and a run split into
//! shards merges to the same bits (`crate::shard`). Memory stays at a few chunk buffers plus the
//! statistics themselves (whose quantile sketches are bounded).
//!
//! Besides the path-level statistics, every reported mean keeps the [`Moments`] of its full blocks'
//! means: with Latin hypercube and Sobol sampling the blocks are independent randomisations, and their
//! spread is what the standard error is estimated from. When the run ends with a partial block of
//! `n_last` paths, every mean also keeps the moments of its full blocks' means over their first `n_last`
//! paths: a block's draws depend only on the seed, the block and the position in it, so such a prefix is
//! randomised exactly as the partial block is, and the prefixes' spread is the partial block's error.

use serde::{Deserialize, Serialize};
use subsoil_core::{Model, PathOutcome, ProjectOutcome, Year};
use subsoil_stats::{Bits, Merge, Moments, Proportion, Summary, TimeToEvent};

use crate::metrics::{
    self, BUILT_BY_YEARS, EVENTS, Event, METRICS, Metric, PROBABILITIES, Probability, SERIES,
    Series, in_horizon,
};

/// The outputs a run computes for one model: the registry entries that apply to it.
#[derive(Clone, Debug)]
pub struct Plan {
    /// Scalar metrics.
    pub metrics: Vec<&'static Metric>,
    /// Probabilities.
    pub probabilities: Vec<&'static Probability>,
    /// Years of P(built by the year) per project.
    pub built_by: Vec<Year>,
    /// Yearly series.
    pub series: Vec<&'static Series>,
    /// Time-to-event curves.
    pub events: Vec<&'static Event>,
    /// Number of simulated years.
    pub horizon: usize,
    /// Number of projects.
    pub projects: usize,
}

impl Plan {
    /// The plan for `model`: every registry entry that applies to it.
    pub fn new(model: &Model) -> Plan {
        Plan {
            metrics: METRICS.iter().filter(|m| (m.applies)(model)).collect(),
            probabilities: PROBABILITIES.iter().filter(|p| (p.applies)(model)).collect(),
            built_by: BUILT_BY_YEARS.into_iter().filter(|&y| in_horizon(model, y)).collect(),
            series: SERIES.iter().filter(|s| (s.applies)(model)).collect(),
            events: EVENTS.iter().filter(|e| (e.applies)(model)).collect(),
            horizon: model.time.horizon as usize,
            projects: model.listed_projects() + model.flows.len(),
        }
    }

    /// Numbers per path: values (metrics, series by year, project NPVs, project receipts), flags (probabilities, and per
    /// project its built-by years, occupied and abandoned) and event years (events, and per project its
    /// first production).
    fn record_len(&self) -> (usize, usize, usize) {
        (
            self.metrics.len() + self.series.len() * self.horizon + 2 * self.projects,
            self.probabilities.len() + self.projects * (self.built_by.len() + 2),
            self.events.len() + self.projects,
        )
    }
}

/// The outputs of consecutive paths as plain numbers, in the order [`Plan`] fixes. A worker reuses one
/// chunk buffer after another; nothing here allocates once a buffer has held a full chunk.
#[derive(Clone, Debug, Default)]
pub struct Chunk {
    paths: usize,
    values: Vec<f64>,
    flags: Vec<bool>,
    events: Vec<Option<u32>>,
}

impl Chunk {
    /// An empty buffer with room for `paths` paths of `plan`.
    pub fn with_capacity(plan: &Plan, paths: usize) -> Chunk {
        let (v, f, e) = plan.record_len();
        Chunk {
            paths: 0,
            values: Vec::with_capacity(v * paths),
            flags: Vec::with_capacity(f * paths),
            events: Vec::with_capacity(e * paths),
        }
    }

    /// Number of paths recorded.
    pub fn paths(&self) -> usize {
        self.paths
    }

    /// Forgets every path (keeping the memory).
    pub fn clear(&mut self) {
        self.paths = 0;
        self.values.clear();
        self.flags.clear();
        self.events.clear();
    }

    /// The outputs of the chunk's path `p` as recorded for `plan`: values (metrics first, in
    /// [`Plan::metrics`] order), flags (probabilities first) and event years (events first).
    pub(crate) fn path(&self, plan: &Plan, p: usize) -> (&[f64], &[bool], &[Option<u32>]) {
        let (nv, nf, ne) = plan.record_len();
        (
            &self.values[p * nv..(p + 1) * nv],
            &self.flags[p * nf..(p + 1) * nf],
            &self.events[p * ne..(p + 1) * ne],
        )
    }

    /// Records one path's outputs.
    pub fn record(&mut self, plan: &Plan, model: &Model, out: &PathOutcome) {
        self.paths += 1;
        self.values.extend(plan.metrics.iter().map(|m| m.value(model, out)));
        for s in &plan.series {
            (s.values)(model, out, &mut self.values);
        }
        // One entry per listed project, then one per licensing flow (its fees and all its projects; the
        // parked ones add nothing, so only the live part of the pool is visited).
        let entries = 0..plan.projects;
        let live = |e: usize| out.live_part(metrics::entry_projects(model, e));
        let sum = |e: usize, f: fn(&ProjectOutcome) -> f64| -> f64 {
            out.projects[live(e)].iter().map(f).sum()
        };
        self.values.extend(entries.clone().map(|e| sum(e, |p| p.npv_real)));
        self.values.extend(
            entries.clone().map(|e| sum(e, |p| p.receipts_new_real + p.receipts_existing_real)),
        );
        self.flags.extend(plan.probabilities.iter().map(|p| (p.happens)(model, out)));
        for e in entries.clone() {
            let (all, range) = (metrics::entry_projects(model, e), live(e));
            self.flags.extend(
                plan.built_by.iter().map(|&y| range.clone().any(|i| metrics::built_by(out, i, y))),
            );
            self.flags.push(metrics::occupied(out, all.start));
            self.flags.push(all.len() == 1 && metrics::abandoned(out, all.start));
        }
        self.events.extend(plan.events.iter().map(|e| (e.first)(model, out)));
        let start = model.time.start_year;
        self.events.extend(entries.map(|e| {
            out.projects[live(e)]
                .iter()
                .filter_map(|p| p.first_production)
                .min()
                .map(|y| (y - start) as u32)
        }));
    }
}

/// Counts the paths of the current block and says when they reach the length of the run's final
/// partial block (never, when there is none).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Prefix {
    len: u64,
    seen: u64,
}

impl Prefix {
    /// Prefixes of `len` paths; 0 for none.
    pub(crate) fn new(len: u64) -> Prefix {
        Prefix { len, seen: 0 }
    }

    /// Counts one more path of the block; true when it completes the prefix.
    #[inline]
    pub(crate) fn step(&mut self) -> bool {
        self.seen += 1;
        self.seen == self.len
    }

    pub(crate) fn end_block(&mut self) {
        self.seen = 0;
    }
}

/// The means of the full blocks, and their means over the prefix that matches the final partial block
/// (see the module documentation), fed with the current block's mean by its owner.
#[derive(Clone, Debug, Default)]
pub struct BlockMeans {
    pub(crate) prefix: Option<f64>,
    /// One value per full block: the block's mean.
    pub full: Moments,
    /// One value per full block: the mean of its first `n_last` paths, where `n_last` is the size of
    /// the run's final partial block (empty without one).
    pub prefixes: Moments,
}

impl BlockMeans {
    /// The current block has reached the prefix length, with mean `mean` so far.
    pub(crate) fn mark_prefix(&mut self, mean: Option<f64>) {
        self.prefix = mean;
    }

    /// Ends a block whose mean is `mean`; a full block's means are kept.
    pub(crate) fn end_block(&mut self, full: bool, mean: Option<f64>) {
        if full {
            if let Some(m) = mean {
                self.full.push(m);
            }
            if let Some(m) = self.prefix {
                self.prefixes.push(m);
            }
        }
        self.prefix = None;
    }
}

/// An accumulator with block means.
pub(crate) trait Blocked {
    fn mark_prefix(&mut self);
    /// Ends a block outside [`Stats`] (whose blocks end through their records): the same operations
    /// as [`Stats::end_block`] folding the block.
    fn end_block(&mut self, full: bool);
}

/// A scalar's summary, plus the moments of the current block and its block means.
///
/// A path's value goes into the percentiles at once and into the current block's moments; the
/// summary's moments are the blocks' moments merged in block order (see [`Stats`]).
#[derive(Clone, Debug, Default)]
pub struct Tracked {
    /// Every path's value (moments as of the last block folded).
    pub summary: Summary,
    /// The current block's values.
    block: Moments,
    /// The means of the full blocks and of their prefixes.
    pub blocks: BlockMeans,
}

impl Tracked {
    /// Adds a value to the percentiles and the block's moments (what [`Stats::absorb`] does in two
    /// passes for a chunk of paths).
    #[inline]
    pub(crate) fn push(&mut self, x: f64) {
        self.summary.push_quantiles(x);
        self.block.push(x);
    }
}

impl Blocked for Tracked {
    fn mark_prefix(&mut self) {
        self.blocks.mark_prefix(self.block.mean());
    }

    fn end_block(&mut self, full: bool) {
        self.summary.merge_moments(&self.block);
        self.blocks.end_block(full, self.block.mean());
        self.block = Moments::new();
    }
}

/// A probability, plus the current block's count and the block means of its proportion.
#[derive(Clone, Debug, Default)]
pub struct TrackedProportion {
    /// Hits out of paths.
    pub proportion: Proportion,
    block: Proportion,
    /// The proportions of the full blocks and of their prefixes.
    pub blocks: BlockMeans,
}

impl TrackedProportion {
    #[inline]
    pub(crate) fn push(&mut self, hit: bool) {
        self.proportion.push(hit);
        self.block.push(hit);
    }
}

impl Blocked for TrackedProportion {
    fn mark_prefix(&mut self) {
        self.blocks.mark_prefix(self.block.p());
    }

    fn end_block(&mut self, full: bool) {
        self.blocks.end_block(full, self.block.p());
        self.block = Proportion::default();
    }
}

/// Per-project accumulators.
#[derive(Clone, Debug)]
pub struct ProjectAcc {
    /// NPV at the valuation rate (real).
    pub npv: Tracked,
    /// The state's receipts from the project, new and existing licences, real, net of leakage (the
    /// blocks' moments merged in block order).
    pub receipts: Moments,
    /// The same over the current block.
    receipts_block: Moments,
    /// P(built by year), one per [`Plan::built_by`] year.
    pub built_by: Vec<TrackedProportion>,
    /// Year index of first production.
    pub first_production: TimeToEvent,
    /// P(occupied at the horizon).
    pub occupied: TrackedProportion,
    /// P(abandoned).
    pub abandoned: TrackedProportion,
}

/// What one block leaves to be folded in block order: every scalar's moments over the block with
/// its mean over the prefix that matches the final partial block, and every probability's count over
/// the block with its prefix proportion. Everything else a block adds (percentiles, counts of hits,
/// event years) is exact and merges in any order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockRecord {
    /// The block's index in the run (paths `index · block_size ..`).
    pub index: u64,
    /// Whether the block held `block_size` paths.
    pub full: bool,
    /// One per scalar, in [`Stats`]' order: the block's moments and prefix mean.
    pub scalars: Vec<(Moments, Option<Bits>)>,
    /// One per probability, in [`Stats`]' order: the block's count and prefix proportion.
    pub proportions: Vec<(Proportion, Option<Bits>)>,
    /// One per project: the moments of the state's receipts from it over the block.
    pub receipts: Vec<Moments>,
}

/// Everything a run's paths reduce to.
///
/// Within a block every path is absorbed in path order. When a block ends, its [`BlockRecord`] is
/// folded into the totals (moments merged, block means pushed) in block order, or, for a shard of a
/// run, kept so that the merge folds the records of every shard in block order: either way the
/// floating-point operations, and so the bits, are the same.
#[derive(Clone, Debug)]
pub struct Stats {
    /// Paths seen.
    pub paths: u64,
    /// Full blocks folded.
    pub full_blocks: u64,
    /// Where the current block stands against the final partial block's length.
    prefix: Prefix,
    /// The index of the next block to end, and how far apart the blocks of this run are.
    next_block: (u64, u64),
    /// The records of ended blocks, when they are kept rather than folded (a shard).
    kept: Option<Vec<BlockRecord>>,
    /// The current block's moments of every scalar, in the order of a path's values (metrics, series
    /// year by year, projects' NPVs): side by side, so that a path's values are absorbed in one pass
    /// over two arrays (the [`Tracked`] scalars of a `Stats` leave their own `block` empty).
    block: Vec<Moments>,
    /// Scratch of [`Stats::absorb`]: the scalars whose values in the chunk are not all copies of their
    /// block's mean, which go path by path.
    moving: Vec<usize>,
    /// One per [`Plan::metrics`].
    pub metrics: Vec<Tracked>,
    /// One per [`Plan::probabilities`].
    pub probabilities: Vec<TrackedProportion>,
    /// `[series][year]`, one per [`Plan::series`].
    pub series: Vec<Vec<Tracked>>,
    /// One per [`Plan::events`].
    pub events: Vec<TimeToEvent>,
    /// One per project, in model order.
    pub projects: Vec<ProjectAcc>,
}

/// The saved state of a shard's [`Stats`]: its exact totals in [`Stats`]' order (scalars: metrics,
/// series year by year, projects' NPVs; probabilities: probabilities, then per project its built-by
/// years, occupied and abandoned; events: events, then per project its first production) and the
/// records of its blocks, in the order they ran. A scalar's summary holds its percentiles only: its
/// moments are in the block records.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatsState {
    /// Paths absorbed.
    pub paths: u64,
    /// Every scalar's summary.
    pub scalars: Vec<Summary>,
    /// Every probability's count.
    pub proportions: Vec<Proportion>,
    /// Every event's first years.
    pub events: Vec<TimeToEvent>,
    /// The blocks' records.
    pub blocks: Vec<BlockRecord>,
}

impl Stats {
    /// Empty accumulators for `plan`, for a run without a partial block.
    pub fn new(plan: &Plan) -> Stats {
        Stats::with_partial_block(plan, 0)
    }

    /// Empty accumulators for `plan`, for a run whose final partial block holds `last` paths (0 for
    /// none): every full block also keeps its means over its first `last` paths.
    pub fn with_partial_block(plan: &Plan, last: u64) -> Stats {
        let horizon = plan.horizon as u32;
        Stats {
            paths: 0,
            full_blocks: 0,
            prefix: Prefix::new(last),
            next_block: (0, 1),
            kept: None,
            block: vec![Moments::new(); plan.record_len().0 - plan.projects],
            moving: Vec::new(),
            metrics: vec![Tracked::default(); plan.metrics.len()],
            probabilities: vec![TrackedProportion::default(); plan.probabilities.len()],
            series: vec![vec![Tracked::default(); plan.horizon]; plan.series.len()],
            events: vec![TimeToEvent::new(horizon); plan.events.len()],
            projects: (0..plan.projects)
                .map(|_| ProjectAcc {
                    npv: Tracked::default(),
                    receipts: Moments::new(),
                    receipts_block: Moments::new(),
                    built_by: vec![TrackedProportion::default(); plan.built_by.len()],
                    first_production: TimeToEvent::new(horizon),
                    occupied: TrackedProportion::default(),
                    abandoned: TrackedProportion::default(),
                })
                .collect(),
        }
    }

    /// Empty accumulators for a shard that runs blocks `first`, `first + stride`, … of a run whose
    /// final partial block holds `last` paths: ended blocks are kept as records, not folded.
    pub fn for_shard(plan: &Plan, last: u64, first: u64, stride: u64) -> Stats {
        Stats {
            next_block: (first, stride.max(1)),
            kept: Some(Vec::new()),
            ..Stats::with_partial_block(plan, last)
        }
    }

    /// Absorbs the paths of `chunk`, in their order.
    ///
    /// Two passes over the chunk give the same bits as absorbing path after path (tested): the
    /// percentiles take their values one accumulator at a time, runs of equal values at once
    /// (`subsoil_stats::Summary::push_quantiles_many`: a yearly output is the same zero on most paths
    /// in the years before a project is built or after it closes); then the moments, counts and the
    /// prefix mark go path by path, every accumulator seeing the chunk's values in path order, except
    /// the scalars whose values are all copies of their block's mean, whose moments take them at once
    /// (their mean does not move). A sketch's buckets, zeros, extremes and exact integer counts are
    /// the same whatever the order and grouping of its values (tested in `subsoil-stats`).
    pub fn absorb(&mut self, plan: &Plan, chunk: &Chunk) {
        let (nv, _, _) = plan.record_len();
        let paths = chunk.paths;
        // Percentiles first (they do not depend on the order), noting the scalars whose values in the
        // chunk are one run of copies of their block's mean: those add the copies at once, which
        // leaves the bits of adding them path by path and keeps the mean, so any prefix mean inside
        // the chunk is that mean too (`Moments::push_n_at_mean`); the others go path by path.
        let mut moving = std::mem::take(&mut self.moving);
        let mut block = std::mem::take(&mut self.block);
        moving.clear();
        for (i, (acc, m)) in self.scalars_mut().zip(&mut block).enumerate() {
            let runs =
                acc.summary.push_quantiles_many((0..paths).map(|p| chunk.values[p * nv + i]));
            if !(runs == 1 && m.push_n_at_mean(chunk.values[i], paths as u64)) {
                moving.push(i);
            }
        }
        self.block = block;
        for p in 0..paths {
            let (values, flags, events) = chunk.path(plan, p);
            self.absorb_moments(&moving, values, flags, events);
        }
        self.moving = moving;
    }

    /// Absorbs one path's values into everything but the quantile sketches (see [`Stats::absorb`]):
    /// the scalars `moving` (indexes into the path's values) and every other accumulator.
    fn absorb_moments(
        &mut self,
        moving: &[usize],
        values: &[f64],
        flags: &[bool],
        events: &[Option<u32>],
    ) {
        self.paths += 1;
        let n = self.block.len();
        for &i in moving {
            self.block[i].push(values[i]);
        }
        self.absorb_rest(&values[n..], flags, events);
    }

    /// Absorbs what a path adds besides its scalars: the projects' receipts `receipts` (the path's values
    /// after its scalars), its `flags` and `events`, and its place in the final partial block's prefix.
    fn absorb_rest(&mut self, receipts: &[f64], flags: &[bool], events: &[Option<u32>]) {
        for (p, &x) in self.projects.iter_mut().zip(receipts) {
            p.receipts_block.push(x);
        }
        for (acc, &hit) in self.proportions_mut().zip(flags) {
            acc.push(hit);
        }
        for (acc, &year) in self.events_mut().zip(events) {
            acc.push(year);
        }
        if self.prefix.step() {
            self.mark_prefix();
        }
    }

    /// The current block has reached the length of the final partial block: every mean so far is
    /// its prefix mean.
    fn mark_prefix(&mut self) {
        let block = std::mem::take(&mut self.block);
        for (acc, m) in self.scalars_mut().zip(&block) {
            acc.blocks.mark_prefix(m.mean());
        }
        self.block = block;
        self.proportions_mut().for_each(|b| b.mark_prefix());
    }

    /// Absorbs one path completely, as [`Stats::absorb`] did before it worked in two passes: the
    /// reference the two-pass absorption is tested against.
    #[cfg(test)]
    fn absorb_path(&mut self, values: &[f64], flags: &[bool], events: &[Option<u32>]) {
        self.paths += 1;
        let mut block = std::mem::take(&mut self.block);
        let mut n = 0;
        for ((acc, m), &x) in self.scalars_mut().zip(&mut block).zip(values) {
            acc.summary.push_quantiles(x);
            m.push(x);
            n += 1;
        }
        self.block = block;
        self.absorb_rest(&values[n..], flags, events);
    }

    /// Ends a block (`full` when it held a whole block of paths): its record is folded into the
    /// totals, or kept for a shard.
    pub fn end_block(&mut self, full: bool) {
        self.prefix.end_block();
        let (index, stride) = self.next_block;
        self.next_block.0 = index + stride;
        let mut block = std::mem::take(&mut self.block);
        let scalars = self
            .scalars_mut()
            .zip(&mut block)
            .map(|(acc, m)| (std::mem::take(m), acc.blocks.prefix.take().map(Bits)))
            .collect();
        self.block = block;
        let record = BlockRecord {
            index,
            full,
            scalars,
            proportions: self
                .proportions_mut()
                .map(|acc| (std::mem::take(&mut acc.block), acc.blocks.prefix.take().map(Bits)))
                .collect(),
            receipts: self
                .projects
                .iter_mut()
                .map(|p| std::mem::take(&mut p.receipts_block))
                .collect(),
        };
        match &mut self.kept {
            Some(kept) => kept.push(record),
            None => self.fold(&record),
        }
    }

    /// Folds one block's record into the totals: the scalars' moments merge, and a full block's means
    /// feed the between-block standard errors.
    fn fold(&mut self, record: &BlockRecord) {
        self.full_blocks += u64::from(record.full);
        let full = record.full;
        for (acc, (m, prefix)) in self.scalars_mut().zip(&record.scalars) {
            acc.summary.merge_moments(m);
            acc.blocks.mark_prefix(prefix.map(|b| b.0));
            acc.blocks.end_block(full, m.mean());
        }
        for (acc, (p, prefix)) in self.proportions_mut().zip(&record.proportions) {
            acc.blocks.mark_prefix(prefix.map(|b| b.0));
            acc.blocks.end_block(full, p.p());
        }
        for (p, m) in self.projects.iter_mut().zip(&record.receipts) {
            p.receipts.merge(m);
        }
    }

    /// Every scalar accumulator, in the order of a path's values: metrics, series year by year,
    /// projects' NPVs.
    fn scalars_mut(&mut self) -> impl Iterator<Item = &mut Tracked> {
        let series = self.series.iter_mut().flatten();
        self.metrics.iter_mut().chain(series).chain(self.projects.iter_mut().map(|p| &mut p.npv))
    }

    fn scalars(&self) -> impl Iterator<Item = &Tracked> {
        let series = self.series.iter().flatten();
        self.metrics.iter().chain(series).chain(self.projects.iter().map(|p| &p.npv))
    }

    /// Every probability, in the order of a path's flags: probabilities, then per project its
    /// built-by years, occupied and abandoned.
    fn proportions_mut(&mut self) -> impl Iterator<Item = &mut TrackedProportion> {
        let per_project = self
            .projects
            .iter_mut()
            .flat_map(|p| p.built_by.iter_mut().chain([&mut p.occupied, &mut p.abandoned]));
        self.probabilities.iter_mut().chain(per_project)
    }

    fn proportions(&self) -> impl Iterator<Item = &TrackedProportion> {
        let per_project =
            self.projects.iter().flat_map(|p| p.built_by.iter().chain([&p.occupied, &p.abandoned]));
        self.probabilities.iter().chain(per_project)
    }

    /// Every time-to-event count, in the order of a path's event years: events, then per project
    /// its first production.
    fn events_mut(&mut self) -> impl Iterator<Item = &mut TimeToEvent> {
        let per_project = self.projects.iter_mut().map(|p| &mut p.first_production);
        self.events.iter_mut().chain(per_project)
    }

    fn events_all(&self) -> impl Iterator<Item = &TimeToEvent> {
        self.events.iter().chain(self.projects.iter().map(|p| &p.first_production))
    }

    /// The saved state of a shard's statistics (the blocks kept; none when they were folded).
    pub fn state(&self) -> StatsState {
        StatsState {
            paths: self.paths,
            scalars: self.scalars().map(|t| t.summary.clone()).collect(),
            proportions: self.proportions().map(|t| t.proportion).collect(),
            events: self.events_all().cloned().collect(),
            blocks: self.kept.clone().unwrap_or_default(),
        }
    }

    /// Adds the exact totals of a shard's `state` (percentiles, counts, event years, paths) to these
    /// accumulators and returns its block records, to be folded in block order with
    /// [`Stats::fold_records`].
    ///
    /// # Errors
    ///
    /// When the state was not made for `plan`'s outputs (a different scenario or horizon).
    pub fn add_exact(&mut self, state: StatsState) -> Result<Vec<BlockRecord>, String> {
        let (ns, np, ne) =
            (self.scalars().count(), self.proportions().count(), self.events_all().count());
        let shape = (state.scalars.len(), state.proportions.len(), state.events.len());
        if shape != (ns, np, ne) {
            return Err(format!(
                "it holds {} scalars, {} probabilities and {} events where this scenario has {ns}, {np} \
                 and {ne}",
                shape.0, shape.1, shape.2
            ));
        }
        let horizon = self.events.first().map(TimeToEvent::horizon);
        if let Some(h) = horizon
            && let Some(bad) = state.events.iter().find(|e| e.horizon() != h)
        {
            return Err(format!("an event over {} years where the horizon is {h}", bad.horizon()));
        }
        for r in &state.blocks {
            let shape = (r.scalars.len(), r.proportions.len(), r.receipts.len());
            if shape != (ns, np, self.projects.len()) {
                return Err(format!("block {} does not hold one record per output", r.index));
            }
        }
        if let Some(p) = state.proportions.iter().find(|p| p.hits > p.n) {
            return Err(format!("a probability with {} hits out of {} paths", p.hits, p.n));
        }
        self.paths = self
            .paths
            .checked_add(state.paths)
            .ok_or_else(|| "the number of paths overflows".to_string())?;
        for (acc, s) in self.scalars_mut().zip(&state.scalars) {
            acc.summary.merge(s);
        }
        for (acc, p) in self.proportions_mut().zip(&state.proportions) {
            acc.proportion.merge(p);
        }
        for (acc, e) in self.events_mut().zip(&state.events) {
            acc.merge(e);
        }
        Ok(state.blocks)
    }

    /// Folds block records, which must be in block order, into the totals.
    pub fn fold_records(&mut self, records: &[BlockRecord]) {
        for r in records {
            self.fold(r);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draws::{PathRandomness, ScalarDraws};
    use subsoil_core::{Workspace, simulate};
    use subsoil_risk::{Sampler, SamplerKind};

    /// [`Stats::absorb`] sketches a chunk's values one accumulator at a time, after the moments went
    /// path by path; that relies on a sketch's state not depending on the order of its values and on
    /// the prefix being marked at its path, and on a scalar's chunk of copies of its block's mean
    /// being added at once. Chunks of the built-in scenario (every kind of output: metrics, yearly
    /// series with zeros and integers, projects, probabilities, events) and of the one-project bench
    /// scenario (yearly outputs that are zero on every path in most years), with the
    /// prefix of a partial block (37 paths) ending inside a chunk and exactly at a chunk's end, must
    /// give the same bits as absorbing each path whole, in order.
    #[test]
    fn absorbing_a_chunk_in_two_passes_equals_absorbing_path_after_path() {
        let one_project =
            concat!(env!("CARGO_MANIFEST_DIR"), "/../../bench/numpy_reference/one-project.toml");
        for name in ["ukraine-final-2025", one_project] {
            two_passes_equal_path_after_path(name);
        }
    }

    fn two_passes_equal_path_after_path(name: &str) {
        let scenario = match subsoil_scenario::load(name, &[]) {
            Ok(s) => s,
            Err(e) => panic!("{}", e.render()),
        };
        let model = &scenario.model;
        let plan = Plan::new(model);
        let sampler = Sampler::new(SamplerKind::Random, 3);
        let draws = ScalarDraws::new(&scenario.inputs, sampler, &scenario.rank_correlations)
            .expect("the built-in correlations are valid");
        let mut scratch = draws.scratch();
        let (mut ws, mut out) = (Workspace::new(model), PathOutcome::new(model, false));
        // As a shard's, so that every block's moments and prefix means are kept in the saved state.
        let mut two_pass = Stats::for_shard(&plan, 37, 0, 1);
        let mut whole = Stats::for_shard(&plan, 37, 0, 1);
        let mut chunk = Chunk::with_capacity(&plan, 64);
        // Block 0: chunks of 30 and 64 paths (the prefix ends at the chunk's 7th path); block 1: 37
        // paths (it ends with the chunk), then 5.
        let blocks: [&[u64]; 2] = [&[30, 64], &[37, 5]];
        let mut path = 0;
        for (b, sizes) in blocks.iter().enumerate() {
            for &n in *sizes {
                chunk.clear();
                for p in path..path + n {
                    draws.fill(p, &mut scratch);
                    let r = PathRandomness { seed: 3, path: p, scalars: scratch.values() };
                    simulate(model, &r, &mut ws, &mut out);
                    chunk.record(&plan, model, &out);
                }
                path += n;
                two_pass.absorb(&plan, &chunk);
                for p in 0..chunk.paths() {
                    let (values, flags, events) = chunk.path(&plan, p);
                    whole.absorb_path(values, flags, events);
                }
            }
            two_pass.end_block(b == 0);
            whole.end_block(b == 0);
        }
        assert_eq!(whole.paths, 136);
        // The saved state: every percentile's buckets by key, counts, event years and each block's
        // moments and prefix means, bit for bit (a sketch's window in memory may be laid out
        // differently, which no output sees).
        let saved = |s: &Stats| serde_json::to_string(&s.state()).expect("the state serialises");
        let state = whole.state();
        assert_eq!(state.blocks.len(), 2);
        assert!(state.blocks[0].scalars.iter().any(|(_, prefix)| prefix.is_some()));
        assert_eq!(saved(&two_pass), saved(&whole));
    }
}
