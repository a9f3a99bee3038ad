//! Accumulators of a run: everything a block of paths reduces to, and how block results combine.
//!
//! Each block of paths is reduced into a fresh [`Stats`]; the run absorbs block results into its total
//! strictly in block order, so the total is a deterministic function of the blocks, whatever the number
//! of threads. Besides the path-level statistics, every reported mean keeps the [`Moments`] of its full
//! blocks' means: with Latin hypercube and Sobol sampling the blocks are independent randomisations, and
//! their spread is what the standard error is estimated from.

use subsoil_core::{Model, PathOutcome, Year};
use subsoil_stats::{Merge, Moments, Proportion, Summary, TimeToEvent};

use crate::metrics::{
    self, BUILT_BY_YEARS, EVENTS, Event, METRICS, Metric, PROBABILITIES, Probability, SERIES,
    Series, in_horizon,
};

/// The outputs a run computes for one model: the registry entries that apply to its horizon.
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
}

/// A scalar's summary plus the moments of its full blocks' means.
#[derive(Clone, Debug, Default)]
pub struct Tracked {
    /// Every path's value.
    pub summary: Summary,
    /// One value per full block: the block's mean (only in a run's total).
    pub block_means: Moments,
}

impl Tracked {
    #[inline]
    fn push(&mut self, x: f64) {
        self.summary.push(x);
    }

    fn absorb(&mut self, block: &Tracked, full: bool) {
        self.summary.merge(&block.summary);
        if full && let Some(m) = block.summary.moments().mean() {
            self.block_means.push(m);
        }
    }
}

/// A probability plus the moments of its full blocks' proportions.
#[derive(Clone, Debug, Default)]
pub struct TrackedProportion {
    /// Hits out of paths.
    pub proportion: Proportion,
    /// One value per full block: the block's proportion (only in a run's total).
    pub block_means: Moments,
}

impl TrackedProportion {
    #[inline]
    fn push(&mut self, hit: bool) {
        self.proportion.push(hit);
    }

    fn absorb(&mut self, block: &TrackedProportion, full: bool) {
        self.proportion.merge(&block.proportion);
        if full && let Some(p) = block.proportion.p() {
            self.block_means.push(p);
        }
    }
}

/// Per-project accumulators.
#[derive(Clone, Debug)]
pub struct ProjectAcc {
    /// NPV at the valuation rate (real).
    pub npv: Tracked,
    /// P(built by year), one per [`Plan::built_by`] year.
    pub built_by: Vec<TrackedProportion>,
    /// Year index of first production.
    pub first_production: TimeToEvent,
    /// P(occupied and never produced).
    pub occupied: TrackedProportion,
    /// P(abandoned).
    pub abandoned: TrackedProportion,
}

/// Everything a set of paths reduces to.
#[derive(Clone, Debug)]
pub struct Stats {
    /// Paths seen.
    pub paths: u64,
    /// Full blocks absorbed (only in a run's total).
    pub full_blocks: u64,
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
    /// Empty accumulators for `plan`.
    pub fn new(plan: &Plan) -> Stats {
        let horizon = plan.horizon as u32;
        Stats {
            paths: 0,
            full_blocks: 0,
            metrics: vec![Tracked::default(); plan.metrics.len()],
            probabilities: vec![TrackedProportion::default(); plan.probabilities.len()],
            series: vec![vec![Tracked::default(); plan.horizon]; plan.series.len()],
            events: vec![TimeToEvent::new(horizon); plan.events.len()],
            projects: (0..plan.projects)
                .map(|_| ProjectAcc {
                    npv: Tracked::default(),
                    built_by: vec![TrackedProportion::default(); plan.built_by.len()],
                    first_production: TimeToEvent::new(horizon),
                    occupied: TrackedProportion::default(),
                    abandoned: TrackedProportion::default(),
                })
                .collect(),
        }
    }

    /// Adds one path.
    pub fn push(&mut self, plan: &Plan, model: &Model, out: &PathOutcome) {
        self.paths += 1;
        for (acc, m) in self.metrics.iter_mut().zip(&plan.metrics) {
            acc.push((m.value)(model, out));
        }
        for (acc, p) in self.probabilities.iter_mut().zip(&plan.probabilities) {
            acc.push((p.happens)(model, out));
        }
        for (years, s) in self.series.iter_mut().zip(&plan.series) {
            for (t, acc) in years.iter_mut().enumerate() {
                acc.push((s.value)(model, out, t));
            }
        }
        for (acc, e) in self.events.iter_mut().zip(&plan.events) {
            acc.push((e.first)(model, out));
        }
        let start = model.time.start_year;
        for (i, acc) in self.projects.iter_mut().enumerate() {
            let po = &out.projects[i];
            acc.npv.push(po.npv_real);
            for (b, &year) in acc.built_by.iter_mut().zip(&plan.built_by) {
                b.push(metrics::built_by(out, i, year));
            }
            acc.first_production.push(po.first_production.map(|y| (y - start) as u32));
            acc.occupied.push(metrics::occupied(out, i));
            acc.abandoned.push(metrics::abandoned(out, i));
        }
    }

    /// Absorbs the result of the next block; `full` when the block has the run's full block size (only
    /// full blocks feed the between-block standard errors).
    pub fn absorb(&mut self, block: &Stats, full: bool) {
        self.paths += block.paths;
        self.full_blocks += u64::from(full);
        for (a, b) in self.metrics.iter_mut().zip(&block.metrics) {
            a.absorb(b, full);
        }
        for (a, b) in self.probabilities.iter_mut().zip(&block.probabilities) {
            a.absorb(b, full);
        }
        for (a, b) in self.series.iter_mut().zip(&block.series) {
            for (x, y) in a.iter_mut().zip(b) {
                x.absorb(y, full);
            }
        }
        for (a, b) in self.events.iter_mut().zip(&block.events) {
            a.merge(b);
        }
        for (a, b) in self.projects.iter_mut().zip(&block.projects) {
            a.npv.absorb(&b.npv, full);
            for (x, y) in a.built_by.iter_mut().zip(&b.built_by) {
                x.absorb(y, full);
            }
            a.first_production.merge(&b.first_production);
            a.occupied.absorb(&b.occupied, full);
            a.abandoned.absorb(&b.abandoned, full);
        }
    }
}
