//! Every path's scalar inputs and scalar outputs, handed over in path order, for files with one row per
//! path (`--per-path`). The paths are those of [`crate::run()`] with the same configuration: path `i`
//! draws the same inputs and has the same outputs, so the rows describe exactly the run's statistics.
//!
//! Rows are produced in parallel, chunk by chunk, and given to the sink strictly in path order through
//! the run's scheduler; memory stays bounded whatever the number of paths.

use std::sync::atomic::AtomicBool;
use std::sync::{Mutex, PoisonError};

use subsoil_core::{Model, PathOutcome, Workspace, simulate};
use subsoil_scenario::Scenario;

use crate::draws::{PathRandomness, ScalarDraws, Scratch};
use crate::metrics::{METRICS, Metric};
use crate::run::{Flow, RunConfig, RunError, Schedule, Work, drawer, prepare};

/// The columns of a per-path table, besides the path index: the uncertain inputs (named as in the
/// scenario, in slot order) and the scalar outputs that apply to the scenario (named as in the run's
/// `metrics`).
#[derive(Clone, Debug)]
pub struct PathColumns {
    /// Input names.
    pub inputs: Vec<String>,
    /// Output names.
    pub outputs: Vec<&'static str>,
}

impl PathColumns {
    /// The columns of `scenario`.
    pub fn of(scenario: &Scenario) -> PathColumns {
        PathColumns {
            inputs: scenario.inputs.list.iter().map(|i| i.name.clone()).collect(),
            outputs: metrics(&scenario.model).iter().map(|m| m.name).collect(),
        }
    }

    /// Values per row: inputs, then outputs.
    pub fn width(&self) -> usize {
        self.inputs.len() + self.outputs.len()
    }
}

/// Consecutive paths' rows.
#[derive(Clone, Debug, Default)]
pub struct Rows {
    /// Index of the first path.
    pub first: u64,
    /// Number of paths.
    pub paths: usize,
    /// Row after row: each row holds the inputs, then the outputs ([`PathColumns`]).
    pub values: Vec<f64>,
}

/// What receives the rows, chunk after chunk in path order; an error stops the hand-over.
pub type Sink<'a, E> = dyn FnMut(&Rows) -> Result<(), E> + Send + 'a;

/// The scalar outputs reported for `model`, in report order.
fn metrics(model: &Model) -> Vec<&'static Metric> {
    METRICS.iter().filter(|m| (m.applies)(model)).collect()
}

/// Runs the paths of `config` and gives their rows to `sink` in path order. The sink's first error
/// stops the hand-over (the remaining paths still run, but are dropped) and is returned.
///
/// # Errors
///
/// [`RunError`] when the run cannot start; `Ok(Err(e))` with the sink's first error.
pub fn per_path<E: Send>(
    scenario: &Scenario,
    config: &RunConfig,
    sink: &mut Sink<'_, E>,
) -> Result<Result<(), E>, RunError> {
    per_path_cancellable(scenario, config, &AtomicBool::new(false), sink)
}

/// Like [`per_path`], stopping its workers within one chunk of paths once `cancel` is set; the sink
/// has then had the rows of a prefix of the paths.
///
/// # Errors
///
/// As [`per_path`]; [`RunError::Cancelled`] when `cancel` was set before every path was done.
pub fn per_path_cancellable<E: Send>(
    scenario: &Scenario,
    config: &RunConfig,
    cancel: &AtomicBool,
    sink: &mut Sink<'_, E>,
) -> Result<Result<(), E>, RunError> {
    let (sampler, pool) = prepare(config)?;
    let draws = drawer(scenario, sampler)?;
    let model = &scenario.model;
    let work = PerPath {
        model,
        draws: &draws,
        seed: config.seed,
        metrics: metrics(model),
        width: scenario.inputs.list.len() + metrics(model).len(),
        sink: Mutex::new(sink),
    };
    let schedule = Schedule::new(config, &|_| {}).halted_by(cancel);
    let (error, ended) = pool.install(|| {
        schedule.drive_until(&work, work.total(), pool.current_num_threads(), &|_| Flow::Continue)
    });
    if !ended {
        return Err(RunError::Cancelled);
    }
    Ok(error.map_or(Ok(()), Err))
}

/// Rows of paths, handed to a sink in path order.
struct PerPath<'a, 's, E> {
    model: &'a Model,
    draws: &'a ScalarDraws,
    seed: u64,
    metrics: Vec<&'static Metric>,
    width: usize,
    /// Called with each chunk's rows, one chunk at a time (the scheduler absorbs chunks in order).
    sink: Mutex<&'s mut Sink<'s, E>>,
}

impl<E: Send> Work for PerPath<'_, '_, E> {
    type Local = (Workspace, PathOutcome, Scratch);
    type Chunk = Rows;
    /// The sink's first error.
    type Total = Option<E>;

    fn local(&self) -> Self::Local {
        (Workspace::new(self.model), PathOutcome::new(self.model, false), self.draws.scratch())
    }

    fn chunk(&self, paths: usize) -> Rows {
        Rows { first: 0, paths: 0, values: Vec::with_capacity(paths * self.width) }
    }

    fn total(&self) -> Option<E> {
        None
    }

    fn simulate(&self, local: &mut Self::Local, first: u64, end: u64, rows: &mut Rows) {
        let (ws, out, scratch) = local;
        rows.first = first;
        rows.paths = 0;
        rows.values.clear();
        for path in first..end {
            self.draws.fill(path, scratch);
            let r = PathRandomness { seed: self.seed, path, scalars: scratch.values() };
            simulate(self.model, &r, ws, out);
            rows.values.extend_from_slice(scratch.values());
            rows.values.extend(self.metrics.iter().map(|m| m.value(self.model, out)));
            rows.paths += 1;
        }
    }

    fn absorb(&self, error: &mut Option<E>, rows: &Rows) {
        if error.is_some() || rows.paths == 0 {
            return;
        }
        let mut sink = self.sink.lock().unwrap_or_else(PoisonError::into_inner);
        if let Err(e) = (*sink)(rows) {
            *error = Some(e);
        }
    }

    fn end_block(&self, _: &mut Option<E>, _: bool) {}
}
