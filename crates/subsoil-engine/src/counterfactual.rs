//! What the deal itself causes: every path run twice on common random numbers, with the deal and with
//! the deal removed, and what differs between the two on the same path.
//!
//! Per path:
//! - the projects whose investment decision is taken with the deal and not without it (built because
//!   the fund co-invests and lowers the hurdle), and those built only without it;
//! - the state's receipts (new and existing, real, net of leakage) with the deal less without it, and
//!   the part of the receipts with the deal that comes from projects built only because of it;
//! - the partner's receipts, which exist only with the deal;
//! - the host's net position: the state's extra receipts, less what the host pays into the fund from
//!   its receipts and in cash, plus what the fund pays out to it (all real, undiscounted). The host's
//!   claim on what the fund still holds at the horizon is not counted; the fund's value is reported
//!   beside it.
//!
//! Both runs' own results come along, as runs of the two scenarios report them.

use subsoil_core::{Model, PathOutcome, Workspace, simulate};
use subsoil_scenario::Scenario;

use crate::accumulate::{Blocked, Chunk, Plan, Prefix, Stats, Tracked, TrackedProportion};
use crate::draws::{PathRandomness, ScalarDraws, Scratch};
use crate::metrics::Unit;
use crate::report::{self, Chance, Distribution, RunHeader, RunResult};
use crate::run::{self, RunConfig, RunError, Schedule, Work};

/// A per-path quantity of the counterfactual.
#[derive(Clone, Copy, Debug)]
pub struct Measure {
    /// Name in outputs.
    pub name: &'static str,
    /// Unit.
    pub unit: Unit,
    /// One sentence for readers.
    pub description: &'static str,
}

/// The quantities, in report order.
pub const MEASURES: &[Measure] = &[
    Measure {
        name: "projects-built-only-with-deal",
        unit: Unit::Projects,
        description: "Projects whose investment decision is taken with the deal and not without it (the fund's co-investment lowers their hurdle).",
    },
    Measure {
        name: "projects-built-only-without-deal",
        unit: Unit::Projects,
        description: "Projects built without the deal and not with it (e.g. the deal takes receipts a project needed, or the fund's choices crowd it out).",
    },
    Measure {
        name: "state-receipts-difference",
        unit: Unit::RealUsd,
        description: "The state's receipts (new and existing licences, net of leakage, before paying into the fund) with the deal less without it.",
    },
    Measure {
        name: "receipts-from-deal-projects",
        unit: Unit::RealUsd,
        description: "The state's receipts with the deal from projects built only because of it.",
    },
    Measure {
        name: "partner-receipts",
        unit: Unit::RealUsd,
        description: "The partner's receipts from the fund (none without the deal).",
    },
    Measure {
        name: "host-payments",
        unit: Unit::RealUsd,
        description: "What the host pays into the fund: its contributions from receipts and its scheduled cash.",
    },
    Measure {
        name: "host-distributions",
        unit: Unit::RealUsd,
        description: "What the fund pays out to the host.",
    },
    Measure {
        name: "host-net",
        unit: Unit::RealUsd,
        description: "The host's net position from the deal: state-receipts-difference − host-payments + host-distributions (its claim on the fund at the horizon not counted).",
    },
    Measure {
        name: "fund-value",
        unit: Unit::RealUsd,
        description: "The fund's value at the horizon with the deal (cash plus stakes), which the parties still hold.",
    },
];

/// One measure's distribution over paths.
#[derive(Clone, Debug)]
pub struct MeasureStats {
    /// Which measure.
    pub measure: &'static Measure,
    /// Its distribution over paths.
    pub stats: Distribution,
}

/// One project's decisions with and without the deal.
#[derive(Clone, Debug)]
pub struct ProjectEffect {
    /// Project id.
    pub id: String,
    /// P(built with the deal and not without it).
    pub only_with: Chance,
    /// P(built without the deal and not with it).
    pub only_without: Chance,
}

/// Everything [`counterfactual`] reports.
#[derive(Clone, Debug)]
pub struct Counterfactual {
    /// How the paths were run.
    pub header: RunHeader,
    /// The scenario with its deal.
    pub with: RunResult,
    /// The same scenario without a deal.
    pub without: RunResult,
    /// The [`MEASURES`], in order.
    pub measures: Vec<MeasureStats>,
    /// P(any project is built only because of the deal).
    pub any_built_only_with: Chance,
    /// Per project, in model order.
    pub projects: Vec<ProjectEffect>,
}

impl Counterfactual {
    /// The measure called `name`.
    pub fn measure(&self, name: &str) -> Option<&Distribution> {
        self.measures.iter().find(|m| m.measure.name == name).map(|m| &m.stats)
    }
}

/// Runs `with` (a scenario with a deal) and `without` (the same without it: its projects must be the
/// same, in the same order) on common random numbers.
///
/// # Errors
///
/// As [`crate::run()`].
///
/// # Panics
///
/// If the two scenarios do not have the same number of projects.
pub fn counterfactual(
    with: &Scenario,
    without: &Scenario,
    config: &RunConfig,
) -> Result<Counterfactual, RunError> {
    counterfactual_observed(with, without, config, &|_| {})
}

/// Like [`counterfactual`], calling `progress(n)` each time `n` more paths are done under both.
///
/// # Errors
///
/// As [`counterfactual`].
///
/// # Panics
///
/// As [`counterfactual`].
pub fn counterfactual_observed(
    with: &Scenario,
    without: &Scenario,
    config: &RunConfig,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Counterfactual, RunError> {
    assert_eq!(with.model.projects.len(), without.model.projects.len(), "the same projects");
    let (sampler, pool) = run::prepare(config)?;
    let member = |s: &Scenario| -> Result<(Plan, ScalarDraws), RunError> {
        Ok((Plan::new(&s.model), run::drawer(s, sampler)?))
    };
    let ((plan_with, draws_with), (plan_without, draws_without)) =
        (member(with)?, member(without)?);
    let work = Pair {
        with: (&with.model, &plan_with, &draws_with),
        without: (&without.model, &plan_without, &draws_without),
        host: with.model.deal.host(),
        seed: config.seed,
        last: run::partial_block(config),
    };
    let schedule = Schedule::new(config, progress);
    let total = pool.install(|| schedule.drive(&work, pool.current_num_threads()));
    let se = run::se_context(config, &total.with);
    let with_run = report::build(&with.model, &plan_with, &total.with, se, run::header(config));
    let without_run =
        report::build(&without.model, &plan_without, &total.without, se, run::header(config));
    let measures = MEASURES
        .iter()
        .zip(&total.measures)
        .map(|(measure, t)| MeasureStats { measure, stats: se.distribution(t) })
        .collect();
    let projects = with
        .model
        .projects
        .iter()
        .zip(total.projects.chunks(2))
        .map(|(p, t)| ProjectEffect {
            id: p.id.clone(),
            only_with: se.chance(&t[0]),
            only_without: se.chance(&t[1]),
        })
        .collect();
    Ok(Counterfactual {
        header: with_run.header.clone(),
        with: with_run,
        without: without_run,
        measures,
        any_built_only_with: se.chance(&total.any),
        projects,
    })
}

/// The [`MEASURES`] of one path, and per project whether it is built only with / only without the
/// deal, from the path's outcomes with and without it.
fn path_effects(
    host: Option<usize>,
    with: &PathOutcome,
    without: &PathOutcome,
    measures: &mut Vec<f64>,
    flags: &mut Vec<bool>,
) {
    let decided = |o: &PathOutcome, i: usize| o.projects[i].decision_year.is_some();
    let receipts = |o: &PathOutcome, i: usize| {
        o.projects[i].receipts_new_real + o.projects[i].receipts_existing_real
    };
    let (mut only_with, mut only_without, mut from_deal) = (0.0, 0.0, 0.0);
    for i in 0..with.projects.len() {
        let (w, wo) = (decided(with, i), decided(without, i));
        if w && !wo {
            only_with += 1.0;
            from_deal += receipts(with, i);
        }
        if wo && !w {
            only_without += 1.0;
        }
        flags.push(w && !wo);
        flags.push(wo && !w);
    }
    let total = |o: &PathOutcome| (0..o.projects.len()).map(|i| receipts(o, i)).sum::<f64>();
    let difference = total(with) - total(without);
    let (mut cash_in, mut distributions) = (0.0, 0.0);
    if let Some(h) = host {
        for (fy, y) in with.fund.iter().zip(&with.years) {
            cash_in += fy.cash_in[h] / y.index;
            distributions += fy.payouts[h] / y.index;
        }
    }
    let payments = with.deal.host_payments_real + cash_in;
    measures.extend([
        only_with,
        only_without,
        difference,
        from_deal,
        with.deal.partner_receipts_real,
        payments,
        distributions,
        difference - payments + distributions,
        with.fund_value_real,
    ]);
}

type Side<'a> = (&'a Model, &'a Plan, &'a ScalarDraws);

struct Pair<'a> {
    with: Side<'a>,
    without: Side<'a>,
    host: Option<usize>,
    seed: u64,
    last: u64,
}

struct PairChunk {
    with: Chunk,
    without: Chunk,
    measures: Vec<f64>,
    flags: Vec<bool>,
}

struct PairTotal {
    with: Stats,
    without: Stats,
    measures: Vec<Tracked>,
    /// Per project: only with, only without.
    projects: Vec<TrackedProportion>,
    any: TrackedProportion,
    prefix: Prefix,
}

impl PairTotal {
    fn blocked(&mut self) -> impl Iterator<Item = &mut dyn Blocked> {
        let m = self.measures.iter_mut().map(|t| t as &mut dyn Blocked);
        let p = self.projects.iter_mut().map(|t| t as &mut dyn Blocked);
        m.chain(p).chain(std::iter::once(&mut self.any as &mut dyn Blocked))
    }
}

impl Work for Pair<'_> {
    type Local = [(Workspace, PathOutcome, Scratch); 2];
    type Chunk = PairChunk;
    type Total = PairTotal;

    fn local(&self) -> Self::Local {
        let state =
            |(m, _, d): Side<'_>| (Workspace::new(m), PathOutcome::new(m, false), d.scratch());
        [state(self.with), state(self.without)]
    }

    fn chunk(&self, paths: usize) -> PairChunk {
        let n = self.with.0.projects.len();
        PairChunk {
            with: Chunk::with_capacity(self.with.1, paths),
            without: Chunk::with_capacity(self.without.1, paths),
            measures: Vec::with_capacity(paths * MEASURES.len()),
            flags: Vec::with_capacity(paths * 2 * n),
        }
    }

    fn total(&self) -> PairTotal {
        PairTotal {
            with: Stats::with_partial_block(self.with.1, self.last),
            without: Stats::with_partial_block(self.without.1, self.last),
            measures: vec![Tracked::default(); MEASURES.len()],
            projects: vec![TrackedProportion::default(); 2 * self.with.0.projects.len()],
            any: TrackedProportion::default(),
            prefix: Prefix::new(self.last),
        }
    }

    fn simulate(&self, local: &mut Self::Local, first: u64, end: u64, chunk: &mut PairChunk) {
        chunk.with.clear();
        chunk.without.clear();
        chunk.measures.clear();
        chunk.flags.clear();
        let [a, b] = local;
        for path in first..end {
            for ((model, plan, draws), (ws, out, scratch), buf) in
                [(self.with, &mut *a, &mut chunk.with), (self.without, &mut *b, &mut chunk.without)]
            {
                draws.fill(path, scratch);
                let r = PathRandomness { seed: self.seed, path, scalars: scratch.values() };
                simulate(model, &r, ws, out);
                buf.record(plan, model, out);
            }
            path_effects(self.host, &a.1, &b.1, &mut chunk.measures, &mut chunk.flags);
        }
    }

    fn absorb(&self, total: &mut PairTotal, chunk: &PairChunk) {
        total.with.absorb(self.with.1, &chunk.with);
        total.without.absorb(self.without.1, &chunk.without);
        let n = 2 * self.with.0.projects.len();
        for p in 0..chunk.with.paths() {
            let values = &chunk.measures[p * MEASURES.len()..(p + 1) * MEASURES.len()];
            for (acc, &x) in total.measures.iter_mut().zip(values) {
                acc.push(x);
            }
            let flags = &chunk.flags[p * n..(p + 1) * n];
            for (acc, &hit) in total.projects.iter_mut().zip(flags) {
                acc.push(hit);
            }
            total.any.push(values[0] > 0.0);
            if total.prefix.step() {
                total.blocked().for_each(|b| b.mark_prefix());
            }
        }
    }

    fn end_block(&self, total: &mut PairTotal, full: bool) {
        total.with.end_block(full);
        total.without.end_block(full);
        total.prefix.end_block();
        total.blocked().for_each(|b| b.end_block(full));
    }
}
