//! The Monte Carlo run: paths in fixed blocks, simulated in parallel, reduced in path order.
//!
//! Path `i` belongs to block `i / block_size`, the unit in which Latin hypercube and Sobol stratify
//! and randomise. For parallel work each block is cut into chunks of at most 128 paths, so that even a
//! single block keeps every core busy. A thread simulates a chunk and records each path's outputs as
//! plain numbers in a chunk buffer; finished chunks are absorbed into the run's statistics strictly in
//! chunk order, each block into moments of its own that are merged in block order, so the statistics
//! are the same fold of the same numbers on any number of threads, and bitwise identical. Every random
//! number is a function of `(seed, path, …)`.
//!
//! Memory does not grow with the number of paths: each thread owns one workspace, one path outcome and
//! one buffer of input values, reused for every path; chunk buffers are recycled, and a thread may claim
//! a chunk at most three chunks per thread ahead of the oldest one not yet absorbed (it waits
//! otherwise), which bounds the buffers in use. The statistics themselves are bounded: quantile
//! sketches hold at most 2,048 buckets per sign.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};

use subsoil_core::{Model, PathOutcome, Workspace, simulate};
use subsoil_risk::{CopulaError, Sampler, SamplerError, SamplerKind};
use subsoil_scenario::Scenario;

use crate::accumulate::{Chunk, Plan, Stats};
use crate::draws::{PathRandomness, ScalarDraws, Scratch};
use crate::report::{self, RunResult, SeContext, SeMethod};

/// Most paths in a chunk, the unit of parallel work.
const CHUNK: u64 = 128;

/// Chunks per thread that may be claimed ahead of the oldest one not yet absorbed.
const WINDOW_PER_THREAD: u64 = 3;

/// Default number of paths per block.
pub const DEFAULT_BLOCK_SIZE: u32 = 4096;

/// How to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunConfig {
    /// Number of paths (at least 1).
    pub paths: u64,
    /// Seed of every random number.
    pub seed: u64,
    /// Worker threads; 0 uses every core. Results do not depend on it.
    pub threads: usize,
    /// Sampling scheme of the scalar inputs.
    pub sampler: SamplerKind,
    /// Paths per block (4096 by default; a power of two up to 65,536 for Sobol).
    pub block_size: u32,
}

impl RunConfig {
    /// `paths` paths with `seed`, pseudo-random sampling, every core and the default block size.
    pub fn new(paths: u64, seed: u64) -> RunConfig {
        RunConfig {
            paths,
            seed,
            threads: 0,
            sampler: SamplerKind::Random,
            block_size: DEFAULT_BLOCK_SIZE,
        }
    }
}

/// Why a run could not start.
#[derive(Debug)]
#[non_exhaustive]
pub enum RunError {
    /// The number of paths is 0.
    NoPaths,
    /// A comparison was asked of no scenario.
    NoScenarios,
    /// The block size does not suit the sampler.
    Sampler(SamplerError),
    /// The scenario's correlations between inputs cannot be used.
    Correlations(CopulaError),
    /// The thread pool could not be created.
    Threads(String),
    /// The caller cancelled the run before it ended.
    Cancelled,
    /// Scenarios run side by side are in different currencies (their differences would mix units):
    /// the first's name and currency, then the first other's.
    Currencies([String; 4]),
    /// Scenarios run side by side report money in dollars of different years or cover different
    /// years (their differences and the table's header would mix them): the first, then the first
    /// other that differs.
    Calendars(Box<[Calendar; 2]>),
}

/// What a scenario's results are measured in: its currency, the year of its real dollars and its
/// first and last simulated years.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Calendar {
    /// The scenario's name.
    pub scenario: String,
    /// ISO 4217 code.
    pub currency: String,
    /// The year whose dollars real amounts are in.
    pub base_year: i32,
    /// First simulated year.
    pub start_year: i32,
    /// Last simulated year.
    pub end_year: i32,
}

impl Calendar {
    fn of(s: &Scenario) -> Calendar {
        let t = &s.model.time;
        Calendar {
            scenario: s.name.clone(),
            currency: s.model.currency.clone(),
            base_year: t.base_year,
            start_year: t.start_year,
            end_year: t.end_year(),
        }
    }

    /// `2026 US dollars over 2025-2075`.
    fn describe(&self) -> String {
        let money = if self.currency == "USD" { "US dollars" } else { self.currency.as_str() };
        format!("{} {money} over {}-{}", self.base_year, self.start_year, self.end_year)
    }
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::NoPaths => f.write_str("paths = 0 is invalid; expected at least 1"),
            RunError::NoScenarios => f.write_str("no scenario to compare; expected at least one"),
            RunError::Sampler(e) => write!(f, "{e}"),
            RunError::Correlations(e) => write!(f, "input correlations: {e}"),
            RunError::Threads(e) => write!(f, "cannot start the worker threads: {e}"),
            RunError::Cancelled => f.write_str("the run was cancelled"),
            RunError::Currencies([a, x, b, y]) => write!(
                f,
                "cannot compare scenarios in different currencies: {a} is in {x}, {b} in {y}; write both in one (macro.currency, with macro.exchange-rates for amounts in the other)"
            ),
            RunError::Calendars(pair) => {
                let [a, b] = &**pair;
                write!(
                    f,
                    "compare needs scenarios measured in the same dollars and years: {} is in {}, {} in {}; \
                 run them separately with `subsoil run`",
                    a.scenario,
                    a.describe(),
                    b.scenario,
                    b.describe()
                )
            }
        }
    }
}

impl std::error::Error for RunError {}

/// Runs `scenario` as `config` says.
///
/// # Errors
///
/// See [`RunError`]; a run that starts always finishes.
pub fn run(scenario: &Scenario, config: &RunConfig) -> Result<RunResult, RunError> {
    run_observed(scenario, config, &|_| {})
}

/// Like [`run`], calling `progress(n)` from a worker thread each time `n` more paths are done (a chunk
/// of at most 256 paths; for a progress bar, so it must be cheap). The `n`s add up to the number of
/// paths.
///
/// # Errors
///
/// See [`RunError`].
pub fn run_observed(
    scenario: &Scenario,
    config: &RunConfig,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<RunResult, RunError> {
    let (sampler, pool) = prepare(config)?;
    let draws = drawer(scenario, sampler)?;
    let model = &scenario.model;
    let plan = Plan::new(model);
    let single = Single {
        model,
        plan: &plan,
        draws: &draws,
        seed: config.seed,
        last: partial_block(config),
    };
    let schedule = Schedule::new(config, progress);
    let total = pool.install(|| schedule.drive(&single, pool.current_num_threads()));
    let se = se_context(config, &total);
    Ok(report::build(model, &plan, &total, se, header(config)))
}

/// What the observer of a progressive run wants after a block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// Go on with the next block.
    Continue,
    /// End the run at this block boundary.
    Stop,
}

/// Like [`run`], reporting at every block boundary: `on_block` sees the result of the paths done so
/// far (the first block, then the first two, …, and the whole run), from a worker thread while the
/// others wait, so it should be quick. A result at a boundary of `k` blocks is the result of a run of
/// `k` blocks' paths, byte for byte. [`Flow::Stop`] ends the run there and returns that result.
/// Setting `cancel` stops the workers within one chunk of paths each.
///
/// # Errors
///
/// See [`RunError`]; [`RunError::Cancelled`] when `cancel` was set before the run ended.
pub fn run_progressive(
    scenario: &Scenario,
    config: &RunConfig,
    cancel: &AtomicBool,
    on_block: &(dyn Fn(&RunResult) -> Flow + Sync),
) -> Result<RunResult, RunError> {
    let (sampler, pool) = prepare(config)?;
    let draws = drawer(scenario, sampler)?;
    let model = &scenario.model;
    let plan = Plan::new(model);
    let single = Single {
        model,
        plan: &plan,
        draws: &draws,
        seed: config.seed,
        last: partial_block(config),
    };
    let result_of = |total: &Stats| {
        let so_far = RunConfig { paths: total.paths, ..*config };
        report::build(model, &plan, total, se_context(&so_far, total), header(&so_far))
    };
    let boundary = |total: &Stats| on_block(&result_of(total));
    let schedule = Schedule::new(config, &|_| {}).halted_by(cancel);
    let (total, ended) = pool.install(|| {
        schedule.drive_until(&single, single.total(), pool.current_num_threads(), &boundary)
    });
    if !ended {
        return Err(RunError::Cancelled);
    }
    Ok(result_of(&total))
}

/// Checks `config` and builds its sampler and thread pool: the steps every kind of run starts with.
pub(crate) fn prepare(config: &RunConfig) -> Result<(Sampler, rayon::ThreadPool), RunError> {
    if config.paths == 0 {
        return Err(RunError::NoPaths);
    }
    let sampler = Sampler::with_block_size(config.sampler, config.seed, config.block_size)
        .map_err(RunError::Sampler)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .thread_name(|i| format!("subsoil-worker-{i}"))
        .build()
        .map_err(|e| RunError::Threads(e.to_string()))?;
    Ok((sampler, pool))
}

/// The drawer of `scenario`'s uncertain inputs. The scenario's rank correlations between inputs,
/// `(slot, slot, Spearman ρ)`, go through a Gaussian copula on each path's uniforms.
pub(crate) fn drawer(scenario: &Scenario, sampler: Sampler) -> Result<ScalarDraws, RunError> {
    ScalarDraws::new(&scenario.inputs, sampler, &scenario.rank_correlations)
        .map_err(RunError::Correlations)
}

/// Paths in the final partial block of a run of `config` (0 when every block is full).
pub(crate) fn partial_block(config: &RunConfig) -> u64 {
    config.paths % u64::from(config.block_size)
}

/// How the standard errors of a run of `config` whose total is `total` are estimated.
pub(crate) fn se_context(config: &RunConfig, total: &Stats) -> SeContext {
    let method = if config.sampler == SamplerKind::Random {
        SeMethod::Iid
    } else if total.full_blocks >= 2 {
        SeMethod::BetweenBlocks
    } else {
        SeMethod::None
    };
    SeContext { method, paths: total.paths, block_size: u64::from(config.block_size) }
}

/// Seed, sampler name, block size and number of blocks of a run of `config`.
pub(crate) fn header(config: &RunConfig) -> (u64, String, u32, u64) {
    let blocks = config.paths.div_ceil(u64::from(config.block_size));
    (config.seed, config.sampler.to_string(), config.block_size, blocks)
}

/// Work the scheduler hands out chunk by chunk: how a chunk of paths is simulated and recorded, and how
/// the recorded chunks are folded into a total (in chunk order, one at a time).
pub(crate) trait Work: Sync {
    /// What a thread reuses for every path (workspaces, outcomes, scratch buffers).
    type Local;
    /// The recorded outputs of a chunk of paths; buffers are recycled.
    type Chunk: Send;
    /// The running total.
    type Total: Send;

    /// A thread's state.
    fn local(&self) -> Self::Local;
    /// An empty chunk buffer with room for `paths` paths.
    fn chunk(&self, paths: usize) -> Self::Chunk;
    /// An empty total.
    fn total(&self) -> Self::Total;
    /// Forgets what `chunk` held and records paths `first..end` into it.
    fn simulate(&self, local: &mut Self::Local, first: u64, end: u64, chunk: &mut Self::Chunk);
    /// Folds `chunk` into `total`.
    fn absorb(&self, total: &mut Self::Total, chunk: &Self::Chunk);
    /// Ends a block of `total`; `full` when it held a whole block of paths.
    fn end_block(&self, total: &mut Self::Total, full: bool);
}

/// One scenario's paths, reduced to the statistics of [`Stats`].
pub(crate) struct Single<'a> {
    pub(crate) model: &'a Model,
    pub(crate) plan: &'a Plan,
    pub(crate) draws: &'a ScalarDraws,
    pub(crate) seed: u64,
    /// Paths in the final partial block (0 for none).
    pub(crate) last: u64,
}

impl Work for Single<'_> {
    type Local = (Workspace, PathOutcome, Scratch);
    type Chunk = Chunk;
    type Total = Stats;

    fn local(&self) -> Self::Local {
        (Workspace::new(self.model), PathOutcome::new(self.model, false), self.draws.scratch())
    }

    fn chunk(&self, paths: usize) -> Chunk {
        Chunk::with_capacity(self.plan, paths)
    }

    fn total(&self) -> Stats {
        Stats::with_partial_block(self.plan, self.last)
    }

    fn simulate(&self, local: &mut Self::Local, first: u64, end: u64, chunk: &mut Chunk) {
        let (ws, out, scratch) = local;
        chunk.clear();
        for path in first..end {
            self.draws.fill(path, scratch);
            let r = PathRandomness { seed: self.seed, path, scalars: scratch.values() };
            simulate(self.model, &r, ws, out);
            chunk.record(self.plan, self.model, out);
        }
    }

    fn absorb(&self, total: &mut Stats, chunk: &Chunk) {
        total.absorb(self.plan, chunk);
    }

    fn end_block(&self, total: &mut Stats, full: bool) {
        total.end_block(full);
    }
}

/// Which paths there are, how they fall into blocks and chunks, and whom to tell about progress.
pub(crate) struct Schedule<'a> {
    paths: u64,
    block_size: u64,
    /// The first block run, and the step to the next (`0, 1` for every block; `I, N` for shard `I`
    /// of `N`).
    first_block: u64,
    stride: u64,
    progress: &'a (dyn Fn(u64) + Sync),
    /// Set by the caller to stop the workers.
    cancel: Option<&'a AtomicBool>,
}

/// Finished chunks waiting for their turn, the total so far, and chunk buffers to reuse.
struct Merger<W: Work> {
    total: W::Total,
    /// The next chunk to absorb.
    next: u64,
    /// Paths absorbed in the current block.
    block_paths: u64,
    /// The observer ended the run at a block boundary: nothing more is claimed or absorbed.
    stopped: bool,
    pending: BTreeMap<u64, W::Chunk>,
    free: Vec<W::Chunk>,
}

impl<'a> Schedule<'a> {
    /// The schedule of a run of `config`.
    pub(crate) fn new(config: &RunConfig, progress: &'a (dyn Fn(u64) + Sync)) -> Schedule<'a> {
        Schedule {
            paths: config.paths,
            block_size: u64::from(config.block_size),
            first_block: 0,
            stride: 1,
            progress,
            cancel: None,
        }
    }

    /// The same schedule, whose workers stop claiming chunks once `cancel` is set.
    pub(crate) fn halted_by(self, cancel: &'a AtomicBool) -> Schedule<'a> {
        Schedule { cancel: Some(cancel), ..self }
    }

    fn cancelled(&self) -> bool {
        self.cancel.is_some_and(|c| c.load(Ordering::Relaxed))
    }

    /// The schedule of shard `index` of `count`: blocks `index`, `index + count`, ….
    pub(crate) fn shard(self, index: u64, count: u64) -> Schedule<'a> {
        Schedule { first_block: index, stride: count.max(1), ..self }
    }

    /// Blocks this schedule runs.
    fn blocks(&self) -> u64 {
        let all = self.paths.div_ceil(self.block_size);
        all.saturating_sub(self.first_block).div_ceil(self.stride)
    }

    fn chunks_per_block(&self) -> u64 {
        self.block_size.div_ceil(CHUNK)
    }

    /// Paths `[first, end)` of chunk `c` (empty past the last path).
    fn chunk_range(&self, c: u64) -> (u64, u64) {
        let per = self.chunks_per_block();
        let (block, j) = (self.first_block + (c / per) * self.stride, c % per);
        let block_start = block * self.block_size;
        let block_end = (block_start + self.block_size).min(self.paths);
        let first = (block_start + j * CHUNK).min(block_end);
        (first, (first + CHUNK).min(block_end))
    }

    /// Runs every chunk of `work` on `workers` threads of the current pool and returns the total.
    pub(crate) fn drive<W: Work>(&self, work: &W, workers: usize) -> W::Total {
        self.drive_until(work, work.total(), workers, &|_| Flow::Continue).0
    }

    /// Like [`Schedule::drive`] from the empty total `total`, calling `boundary` with the total at the end of every block; it
    /// may stop the run there. Returns the total and whether the run ended (every path done, or stopped
    /// at a boundary) rather than being cancelled.
    pub(crate) fn drive_until<W: Work>(
        &self,
        work: &W,
        total: W::Total,
        workers: usize,
        boundary: &(dyn Fn(&W::Total) -> Flow + Sync),
    ) -> (W::Total, bool) {
        let workers = workers.max(1);
        let next_chunk = AtomicU64::new(0);
        let merger = Mutex::new(Merger::<W> {
            total,
            next: 0,
            block_paths: 0,
            stopped: false,
            pending: BTreeMap::new(),
            free: Vec::new(),
        });
        let turn = Condvar::new();
        let window = WINDOW_PER_THREAD * workers as u64;
        rayon::scope(|s| {
            for _ in 0..workers {
                s.spawn(|_| self.worker(work, &next_chunk, &merger, &turn, window, boundary));
            }
        });
        let m = merger.into_inner().unwrap_or_else(PoisonError::into_inner);
        let chunks = self.blocks() * self.chunks_per_block();
        let ended = m.stopped || m.next >= chunks;
        (m.total, ended)
    }

    /// One thread: claims chunks in order, simulates them and hands them to the merger.
    fn worker<W: Work>(
        &self,
        work: &W,
        next_chunk: &AtomicU64,
        merger: &Mutex<Merger<W>>,
        turn: &Condvar,
        window: u64,
        boundary: &(dyn Fn(&W::Total) -> Flow + Sync),
    ) {
        let chunks = self.blocks() * self.chunks_per_block();
        let mut local = work.local();
        loop {
            if self.cancelled() {
                turn.notify_all();
                return;
            }
            let c = next_chunk.fetch_add(1, Ordering::Relaxed);
            if c >= chunks {
                return;
            }
            // Wait while this chunk is too far ahead of the oldest unabsorbed one. The thread holding
            // that oldest chunk never waits (its chunk is inside the window), so this cannot deadlock.
            let mut chunk = {
                let mut m = merger.lock().unwrap_or_else(PoisonError::into_inner);
                while c >= m.next + window && !m.stopped && !self.cancelled() {
                    m = turn.wait(m).unwrap_or_else(PoisonError::into_inner);
                }
                if m.stopped || self.cancelled() {
                    turn.notify_all();
                    return;
                }
                m.free.pop().unwrap_or_else(|| work.chunk(CHUNK as usize))
            };
            let (first, end) = self.chunk_range(c);
            work.simulate(&mut local, first, end, &mut chunk);
            if end > first {
                (self.progress)(end - first);
            }
            let mut m = merger.lock().unwrap_or_else(PoisonError::into_inner);
            m.pending.insert(c, chunk);
            self.absorb_ready(work, &mut m, boundary);
            turn.notify_all();
        }
    }

    /// Absorbs every finished chunk that is next in order, ending each block with its last chunk.
    fn absorb_ready<W: Work>(
        &self,
        work: &W,
        m: &mut Merger<W>,
        boundary: &(dyn Fn(&W::Total) -> Flow + Sync),
    ) {
        let per = self.chunks_per_block();
        while !m.stopped
            && !self.cancelled()
            && let Some(chunk) = m.pending.remove(&m.next)
        {
            work.absorb(&mut m.total, &chunk);
            m.free.push(chunk);
            let c = m.next;
            let (first, end) = self.chunk_range(c);
            m.block_paths += end - first;
            m.next += 1;
            if c % per == per - 1 {
                if m.block_paths > 0 {
                    let full = m.block_paths == self.block_size;
                    work.end_block(&mut m.total, full);
                    m.stopped = boundary(&m.total) == Flow::Stop;
                }
                m.block_paths = 0;
            }
        }
    }
}
/// [`RunError::Currencies`] when `scenarios`, to be run side by side, are not all in one currency;
/// [`RunError::Calendars`] when they differ in the year of their dollars or in their first or last
/// year.
pub(crate) fn comparable(scenarios: &[&Scenario]) -> Result<(), RunError> {
    let Some(first) = scenarios.first() else { return Ok(()) };
    if let Some(other) = scenarios.iter().find(|s| s.model.currency != first.model.currency) {
        return Err(RunError::Currencies([
            first.name.clone(),
            first.model.currency.clone(),
            other.name.clone(),
            other.model.currency.clone(),
        ]));
    }
    let calendar = Calendar::of(first);
    let same = |c: &Calendar| {
        (c.base_year, c.start_year, c.end_year)
            == (calendar.base_year, calendar.start_year, calendar.end_year)
    };
    match scenarios.iter().map(|s| Calendar::of(s)).find(|c| !same(c)) {
        None => Ok(()),
        Some(other) => Err(RunError::Calendars(Box::new([calendar, other]))),
    }
}
