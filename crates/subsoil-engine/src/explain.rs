//! What changed between two versions: the difference of every output between scenario A and scenario
//! B shared among the terms in which they differ, as the exact Shapley value.
//!
//! With `k` terms, mixture `S` (a bit mask over the terms) is A with the terms of `S` taken from B, so
//! mixture 0 is A and mixture `2^k − 1` is B (`subsoil_scenario::mix` builds them). Every path is
//! simulated under all `2^k` mixtures on common random numbers, and on each path the change of an
//! output `f` is shared out as
//!
//! `φ_i = Σ_{S ∌ i} |S|! (k − |S| − 1)! / k! · (f(S ∪ {i}) − f(S))`,
//!
//! the average, over every order in which the terms could be switched from A to B, of what switching
//! term `i` changes. The `φ_i` of a path add up to `f(B) − f(A)` on that path (every order switches all
//! terms), so their means add up to the mean difference; when the terms act additively, each `φ_i` is
//! exactly the effect of its term. Each contribution is a mean over paths, and its Monte Carlo error is
//! the standard error of that mean (between blocks for Latin hypercube and Sobol, as a run's). A
//! probability is shared as the mean of its indicator, so its contributions are in probability points.
//!
//! The work goes through the run's scheduler, absorbed in path order, so the result is bitwise
//! identical for any number of threads. A worker keeps one workspace per mixture; the statistics kept
//! are A's and B's full runs and one mean per output and term.

use subsoil_core::{Model, PathOutcome, Workspace, simulate};
use subsoil_scenario::Scenario;

use crate::accumulate::{Chunk, Plan, Prefix, Stats};
use crate::compare::PairedMean;
use crate::draws::{PathRandomness, ScalarDraws, Scratch};
use crate::metrics::{EVENTS, METRICS, PROBABILITIES, Section, Unit};
use crate::report::{self, RunHeader, RunResult};
use crate::run::{self, RunConfig, RunError, Schedule, Work};

/// Most terms [`explain`] shares a difference among (`2^10` mixtures).
pub const MAX_TERMS: usize = 10;

/// What kind of output is explained.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputKind {
    /// A scalar metric, in its unit.
    Metric(Unit),
    /// A probability (its contributions are differences of probabilities, as fractions).
    Probability,
    /// P(the event happens within the horizon).
    Event,
}

/// A mean over paths with its Monte Carlo standard error.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// Mean over paths.
    pub mean: f64,
    /// Its standard error.
    pub se: f64,
}

/// One output's difference between B and A and its shares.
#[derive(Clone, Debug)]
pub struct Explained {
    /// Output name.
    pub name: &'static str,
    /// Its kind and unit.
    pub kind: OutputKind,
    /// Where the output is grouped.
    pub section: Section,
    /// B − A, the mean of the per-path differences.
    pub total: Estimate,
    /// The Shapley contribution of each term, in term order.
    pub terms: Vec<Estimate>,
}

/// Everything [`explain`] reports.
#[derive(Clone, Debug)]
pub struct Explanation {
    /// How the paths were run; years are A's.
    pub header: RunHeader,
    /// Number of terms.
    pub terms: usize,
    /// Scenario A's results (mixture 0), as a run of it reports them.
    pub first: RunResult,
    /// Scenario B's results (the full mixture).
    pub last: RunResult,
    /// Every output that every mixture reports: metrics, then probabilities, then events, in registry
    /// order.
    pub outputs: Vec<Explained>,
}

impl Explanation {
    /// The explained output called `name`.
    pub fn output(&self, name: &str) -> Option<&Explained> {
        self.outputs.iter().find(|o| o.name == name)
    }
}

/// Runs the `2^k` `mixtures` (indexed by their bit masks over `k` terms) on common random numbers and
/// shares the difference of every output between the last and the first among the terms.
///
/// # Errors
///
/// As [`crate::run()`]; [`RunError::NoScenarios`] for an empty list.
///
/// # Panics
///
/// If the number of mixtures is not a power of two up to `2^`[`MAX_TERMS`].
pub fn explain(mixtures: &[&Scenario], config: &RunConfig) -> Result<Explanation, RunError> {
    explain_observed(mixtures, config, &|_| {})
}

/// Like [`explain`], calling `progress(n)` each time `n` more paths are done under every mixture.
///
/// # Errors
///
/// As [`explain`].
///
/// # Panics
///
/// As [`explain`].
pub fn explain_observed(
    mixtures: &[&Scenario],
    config: &RunConfig,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Explanation, RunError> {
    if mixtures.is_empty() {
        return Err(RunError::NoScenarios);
    }
    crate::run::comparable(mixtures)?;
    let n = mixtures.len();
    assert!(
        n.is_power_of_two() && n <= 1 << MAX_TERMS,
        "{n} mixtures: expected 2^k for k up to {MAX_TERMS}"
    );
    let k = n.trailing_zeros() as usize;
    let (sampler, pool) = run::prepare(config)?;
    let members = mixtures
        .iter()
        .map(|s| {
            Ok(Member {
                model: &s.model,
                plan: Plan::new(&s.model),
                draws: run::drawer(s, sampler)?,
            })
        })
        .collect::<Result<Vec<_>, RunError>>()?;
    let outputs = shared_outputs(&members);
    let work = Mixtures {
        weights: weights(k),
        members,
        outputs,
        k,
        seed: config.seed,
        last: run::partial_block(config),
    };
    let schedule = Schedule::new(config, progress);
    let total = pool.install(|| schedule.drive(&work, pool.current_num_threads()));

    let se = run::se_context(config, &total.first);
    let (a, b) = (&work.members[0], &work.members[n - 1]);
    let first = report::build(a.model, &a.plan, &total.first, se, run::header(config));
    let last = report::build(b.model, &b.plan, &total.last, se, run::header(config));
    let estimate = |acc: &PairedMean| {
        let (mean, se) = acc.mean_se(&se);
        Estimate { mean, se }
    };
    let outputs = work
        .outputs
        .iter()
        .zip(total.shares.chunks(k + 1))
        .map(|(o, accs)| Explained {
            name: o.name,
            kind: o.kind,
            section: o.section,
            total: estimate(&accs[0]),
            terms: accs[1..].iter().map(estimate).collect(),
        })
        .collect();
    Ok(Explanation { header: first.header.clone(), terms: k, first, last, outputs })
}

/// The Shapley weight of a coalition of `s` of the other terms, `s! (k − s − 1)! / k!`, for `s` in
/// `0..k`.
fn weights(k: usize) -> Vec<f64> {
    let fact = |n: usize| (1..=n).map(|i| i as f64).product::<f64>();
    (0..k).map(|s| fact(s) * fact(k - s - 1) / fact(k)).collect()
}

/// Shares `total = values[last] − values[0]` of one output among the terms: writes the total, then
/// each term's Shapley value, into `out` (`k + 1` numbers). `values[S]` is the output under mixture `S`.
fn shapley(values: &[f64], weights: &[f64], k: usize, out: &mut [f64]) {
    let n = values.len();
    out[0] = values[n - 1] - values[0];
    for (i, phi) in out[1..].iter_mut().enumerate() {
        let bit = 1usize << i;
        *phi = (0..n)
            .filter(|s| s & bit == 0)
            .map(|s| weights[s.count_ones() as usize] * (values[s | bit] - values[s]))
            .sum();
    }
    debug_assert_eq!(out.len(), k + 1);
}

/// One mixture.
struct Member<'a> {
    model: &'a Model,
    plan: Plan,
    draws: ScalarDraws,
}

/// Where an output sits in a mixture's plan.
#[derive(Clone, Copy, Debug)]
enum Pick {
    Metric(usize),
    Probability(usize),
    Event(usize),
}

impl Pick {
    fn value(self, m: &Member<'_>, out: &PathOutcome) -> f64 {
        let indicator = |hit: bool| if hit { 1.0 } else { 0.0 };
        match self {
            Pick::Metric(i) => m.plan.metrics[i].value(m.model, out),
            Pick::Probability(i) => indicator((m.plan.probabilities[i].happens)(m.model, out)),
            Pick::Event(i) => indicator((m.plan.events[i].first)(m.model, out).is_some()),
        }
    }
}

/// An output every mixture reports, with its place in each mixture's plan.
struct Output {
    name: &'static str,
    kind: OutputKind,
    section: Section,
    picks: Vec<Pick>,
}

/// The outputs every member reports, in registry order.
fn shared_outputs(members: &[Member<'_>]) -> Vec<Output> {
    let mut out = Vec::new();
    let mut add = |name, kind, section, find: &dyn Fn(&Plan) -> Option<Pick>| {
        let picks: Option<Vec<Pick>> = members.iter().map(|m| find(&m.plan)).collect();
        if let Some(picks) = picks {
            out.push(Output { name, kind, section, picks });
        }
    };
    for m in METRICS {
        let find = |p: &Plan| p.metrics.iter().position(|x| x.name == m.name).map(Pick::Metric);
        add(m.name, OutputKind::Metric(m.unit), m.section, &find);
    }
    for q in PROBABILITIES {
        let find =
            |p: &Plan| p.probabilities.iter().position(|x| x.name == q.name).map(Pick::Probability);
        add(q.name, OutputKind::Probability, q.section, &find);
    }
    for e in EVENTS {
        let find = |p: &Plan| p.events.iter().position(|x| x.name == e.name).map(Pick::Event);
        add(e.name, OutputKind::Event, e.section, &find);
    }
    out
}

/// The work: each path under every mixture.
struct Mixtures<'a> {
    members: Vec<Member<'a>>,
    outputs: Vec<Output>,
    weights: Vec<f64>,
    k: usize,
    seed: u64,
    /// Paths in the final partial block (0 for none).
    last: u64,
}

/// A chunk: A's and B's records, and per path and output the total and the terms' shares.
struct MixChunk {
    first: Chunk,
    last: Chunk,
    shares: Vec<f64>,
}

/// The running total.
struct MixTotal {
    first: Stats,
    last: Stats,
    /// Per output: the total, then one per term.
    shares: Vec<PairedMean>,
    prefix: Prefix,
}

impl Work for Mixtures<'_> {
    type Local = (Vec<(Workspace, PathOutcome, Scratch)>, Vec<f64>);
    type Chunk = MixChunk;
    type Total = MixTotal;

    fn local(&self) -> Self::Local {
        let states = self
            .members
            .iter()
            .map(|m| (Workspace::new(m.model), PathOutcome::new(m.model, false), m.draws.scratch()))
            .collect();
        (states, Vec::new())
    }

    fn chunk(&self, paths: usize) -> MixChunk {
        let (a, b) = (&self.members[0], &self.members[self.members.len() - 1]);
        MixChunk {
            first: Chunk::with_capacity(&a.plan, paths),
            last: Chunk::with_capacity(&b.plan, paths),
            shares: Vec::with_capacity(paths * self.outputs.len() * (self.k + 1)),
        }
    }

    fn total(&self) -> MixTotal {
        let (a, b) = (&self.members[0], &self.members[self.members.len() - 1]);
        MixTotal {
            first: Stats::with_partial_block(&a.plan, self.last),
            last: Stats::with_partial_block(&b.plan, self.last),
            shares: vec![PairedMean::default(); self.outputs.len() * (self.k + 1)],
            prefix: Prefix::new(self.last),
        }
    }

    fn simulate(&self, local: &mut Self::Local, first: u64, end: u64, chunk: &mut MixChunk) {
        let (states, values) = local;
        let (n, outs, width) = (self.members.len(), self.outputs.len(), self.k + 1);
        let paths = (end - first) as usize;
        chunk.first.clear();
        chunk.last.clear();
        chunk.shares.clear();
        values.clear();
        values.resize(paths * outs * n, 0.0);
        // One mixture after another over the chunk's paths, so that each keeps its workspace warm (a
        // thousand workspaces visited path by path would not stay in cache); `values` holds every
        // output of every mixture on every path of the chunk, `[path][output][mixture]`.
        for (s, (m, (ws, out, scratch))) in self.members.iter().zip(states.iter_mut()).enumerate() {
            for (p, path) in (first..end).enumerate() {
                m.draws.fill(path, scratch);
                let r = PathRandomness { seed: self.seed, path, scalars: scratch.values() };
                simulate(m.model, &r, ws, out);
                if s == 0 {
                    chunk.first.record(&m.plan, m.model, out);
                }
                if s == n - 1 {
                    chunk.last.record(&m.plan, m.model, out);
                }
                for (o, output) in self.outputs.iter().enumerate() {
                    values[(p * outs + o) * n + s] = output.picks[s].value(m, out);
                }
            }
        }
        let mut shares = vec![0.0; width];
        for by_output in values.chunks(n) {
            shapley(by_output, &self.weights, self.k, &mut shares);
            chunk.shares.extend_from_slice(&shares);
        }
    }

    fn absorb(&self, total: &mut MixTotal, chunk: &MixChunk) {
        let (a, b) = (&self.members[0], &self.members[self.members.len() - 1]);
        total.first.absorb(&a.plan, &chunk.first);
        total.last.absorb(&b.plan, &chunk.last);
        let width = total.shares.len();
        if width == 0 {
            return;
        }
        for path in chunk.shares.chunks(width) {
            for (acc, &x) in total.shares.iter_mut().zip(path) {
                acc.push(x);
            }
            if total.prefix.step() {
                total.shares.iter_mut().for_each(PairedMean::mark_prefix);
            }
        }
    }

    fn end_block(&self, total: &mut MixTotal, full: bool) {
        total.first.end_block(full);
        total.last.end_block(full);
        total.prefix.end_block();
        total.shares.iter_mut().for_each(|acc| acc.end_block(full));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapley_weights_sum_to_one_over_every_order() {
        for k in 1..=MAX_TERMS {
            let w = weights(k);
            // Each coalition size s of the k − 1 others occurs C(k − 1, s) times.
            let mut c = 1.0;
            let mut total = 0.0;
            for (s, ws) in w.iter().enumerate() {
                total += c * ws;
                c = c * (k - 1 - s) as f64 / (s + 1) as f64;
            }
            assert!((total - 1.0).abs() < 1e-12, "k = {k}: {total}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 256,
            rng_seed: proptest::test_runner::RngSeed::Fixed(14),
            ..Default::default()
        })]
        /// On any values of the 2^k mixtures the shares add up to f(B) − f(A), and a term that changes
        /// nothing in any coalition gets exactly 0.
        #[test]
        fn shares_add_up_to_the_difference(
            k in 1usize..=7,
            raw in proptest::collection::vec(-1e9f64..1e9, 128),
            dummy in 0usize..7,
        ) {
            let n = 1usize << k;
            let dummy = dummy % k;
            // Term `dummy` changes nothing: f(S ∪ {dummy}) = f(S).
            let values: Vec<f64> = (0..n).map(|s| raw[s & !(1 << dummy)]).collect();
            let mut out = vec![0.0; k + 1];
            shapley(&values, &weights(k), k, &mut out);
            let sum: f64 = out[1..].iter().sum();
            let scale: f64 = values.iter().map(|v| v.abs()).sum::<f64>().max(1.0);
            proptest::prop_assert!((sum - out[0]).abs() <= 1e-12 * scale * n as f64, "{} vs {}", sum, out[0]);
            proptest::prop_assert_eq!(out[1 + dummy], 0.0);
        }
    }

    #[test]
    fn additive_effects_are_recovered_and_interactions_split_evenly() {
        // f(S) = 3·[0 ∈ S] + 5·[1 ∈ S] + 7·[0, 1 ∈ S]: the interaction 7 is split half and half.
        let values = [10.0, 13.0, 15.0, 25.0];
        let mut out = [0.0; 3];
        shapley(&values, &weights(2), 2, &mut out);
        assert_eq!(out, [15.0, 6.5, 8.5]);
    }
}
