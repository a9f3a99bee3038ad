//! Accumulators of a run: what each path is reduced to, and how the run's statistics absorb it.
//!
//! A worker thread simulates a chunk of consecutive paths and writes each path's outputs as plain
//! numbers into a reusable [`Chunk`] (a few hundred numbers per path, in the order the [`Plan`] fixes).
//! The run's [`Stats`] absorbs finished chunks strictly in path order, so every statistic is the same
//! sequential fold of the same values whatever the number of threads, and memory stays at a few chunk
//! buffers plus the statistics themselves (whose quantile sketches are bounded).
//!
//! Besides the path-level statistics, every reported mean keeps the [`Moments`] of its full blocks'
//! means: with Latin hypercube and Sobol sampling the blocks are independent randomisations, and their
//! spread is what the standard error is estimated from. When the run ends with a partial block of
//! `n_last` paths, every mean also keeps the moments of its full blocks' means over their first `n_last`
//! paths: a block's draws depend only on the seed, the block and the position in it, so such a prefix is
//! randomised exactly as the partial block is, and the prefixes' spread is the partial block's error.

use subsoil_core::{Model, PathOutcome, Year};
use subsoil_stats::{Moments, Proportion, Summary, TimeToEvent};

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
            projects: model.projects.len(),
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
        self.values.extend(plan.metrics.iter().map(|m| (m.value)(model, out)));
        for s in &plan.series {
            self.values.extend((0..plan.horizon).map(|t| (s.value)(model, out, t)));
        }
        self.values.extend(out.projects.iter().map(|p| p.npv_real));
        self.values
            .extend(out.projects.iter().map(|p| p.receipts_new_real + p.receipts_existing_real));
        self.flags.extend(plan.probabilities.iter().map(|p| (p.happens)(model, out)));
        for i in 0..plan.projects {
            self.flags.extend(plan.built_by.iter().map(|&y| metrics::built_by(out, i, y)));
            self.flags.push(metrics::occupied(out, i));
            self.flags.push(metrics::abandoned(out, i));
        }
        self.events.extend(plan.events.iter().map(|e| (e.first)(model, out)));
        let start = model.time.start_year;
        self.events
            .extend(out.projects.iter().map(|p| p.first_production.map(|y| (y - start) as u32)));
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
    prefix: Option<f64>,
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
    fn end_block(&mut self, full: bool);
}

/// A scalar's summary, plus the moments of the current block and its block means.
#[derive(Clone, Debug, Default)]
pub struct Tracked {
    /// Every path's value.
    pub summary: Summary,
    /// The current block's values.
    block: Moments,
    /// The means of the full blocks and of their prefixes.
    pub blocks: BlockMeans,
}

impl Tracked {
    #[inline]
    pub(crate) fn push(&mut self, x: f64) {
        self.summary.push(x);
        self.block.push(x);
    }
}

impl Blocked for Tracked {
    fn mark_prefix(&mut self) {
        self.blocks.mark_prefix(self.block.mean());
    }

    fn end_block(&mut self, full: bool) {
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
    /// The state's receipts from the project, new and existing licences, real, net of leakage.
    pub receipts: Moments,
    /// P(built by year), one per [`Plan::built_by`] year.
    pub built_by: Vec<TrackedProportion>,
    /// Year index of first production.
    pub first_production: TimeToEvent,
    /// P(occupied at the horizon).
    pub occupied: TrackedProportion,
    /// P(abandoned).
    pub abandoned: TrackedProportion,
}

/// Everything a run's paths reduce to.
#[derive(Clone, Debug)]
pub struct Stats {
    /// Paths seen.
    pub paths: u64,
    /// Full blocks ended.
    pub full_blocks: u64,
    /// Where the current block stands against the final partial block's length.
    prefix: Prefix,
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
            metrics: vec![Tracked::default(); plan.metrics.len()],
            probabilities: vec![TrackedProportion::default(); plan.probabilities.len()],
            series: vec![vec![Tracked::default(); plan.horizon]; plan.series.len()],
            events: vec![TimeToEvent::new(horizon); plan.events.len()],
            projects: (0..plan.projects)
                .map(|_| ProjectAcc {
                    npv: Tracked::default(),
                    receipts: Moments::new(),
                    built_by: vec![TrackedProportion::default(); plan.built_by.len()],
                    first_production: TimeToEvent::new(horizon),
                    occupied: TrackedProportion::default(),
                    abandoned: TrackedProportion::default(),
                })
                .collect(),
        }
    }

    /// Absorbs the paths of `chunk`, in their order.
    pub fn absorb(&mut self, plan: &Plan, chunk: &Chunk) {
        for p in 0..chunk.paths {
            let (values, flags, events) = chunk.path(plan, p);
            self.absorb_path(plan, values, flags, events);
        }
    }

    fn absorb_path(&mut self, plan: &Plan, values: &[f64], flags: &[bool], events: &[Option<u32>]) {
        self.paths += 1;
        let scalars = self.metrics.iter_mut().chain(self.series.iter_mut().flatten());
        let npvs = self.projects.iter_mut().map(|p| &mut p.npv);
        let mut n = 0;
        for (acc, &x) in scalars.chain(npvs).zip(values) {
            acc.push(x);
            n += 1;
        }
        for (p, &x) in self.projects.iter_mut().zip(&values[n..]) {
            p.receipts.push(x);
        }
        let (probabilities, per_project) = flags.split_at(plan.probabilities.len());
        for (acc, &hit) in self.probabilities.iter_mut().zip(probabilities) {
            acc.push(hit);
        }
        for (p, hits) in self.projects.iter_mut().zip(per_project.chunks(plan.built_by.len() + 2)) {
            let accs = p.built_by.iter_mut().chain([&mut p.occupied, &mut p.abandoned]);
            for (acc, &hit) in accs.zip(hits) {
                acc.push(hit);
            }
        }
        let (dated, first_production) = events.split_at(plan.events.len());
        for (acc, &year) in self.events.iter_mut().zip(dated) {
            acc.push(year);
        }
        for (p, &year) in self.projects.iter_mut().zip(first_production) {
            p.first_production.push(year);
        }
        if self.prefix.step() {
            self.for_each_blocked(&mut |b| b.mark_prefix());
        }
    }

    /// Ends a block: a full block's means feed the between-block standard errors.
    pub fn end_block(&mut self, full: bool) {
        self.full_blocks += u64::from(full);
        self.prefix.end_block();
        self.for_each_blocked(&mut |b| b.end_block(full));
    }

    /// Applies `f` to every mean and probability (once a block, so dynamic dispatch costs nothing).
    fn for_each_blocked(&mut self, f: &mut dyn FnMut(&mut dyn Blocked)) {
        let scalars = self.metrics.iter_mut().chain(self.series.iter_mut().flatten());
        for acc in scalars.chain(self.projects.iter_mut().map(|p| &mut p.npv)) {
            f(acc);
        }
        for acc in &mut self.probabilities {
            f(acc);
        }
        for p in &mut self.projects {
            for acc in p.built_by.iter_mut().chain([&mut p.occupied, &mut p.abandoned]) {
                f(acc);
            }
        }
    }
}
