//! Judging the claims of the claims file (`subsoil_scenario::claims`): each claim's statistic under each
//! scenario it names, its 95% interval, and a verdict that is computed, never written.
//!
//! A claim is *supported* when the interval lies on the side of the threshold where the claim holds
//! under every named scenario, *contradicted* when it lies on the other side under every one, and
//! otherwise it *depends on* something: on the scenario, when the interval is clear under each but the
//! sides differ, and on the inputs that decide it, when the interval straddles the threshold. An input
//! decides a claim when the statistic with the input at its 10th percentile and with it at its 90th
//! lies on opposite sides of the threshold, each end's own 95% interval clear of it ([`decides`]).
//! The ends come from the tornado (each input fixed at its 10th, then its 90th percentile, on common
//! random numbers): `subsoil_engine::sensitivity::tornado` over every uncertain input when the claim
//! lists no candidates and its statistic is a mean or a probability, else the same swing over the
//! inputs the claim lists (two runs per input: a few candidates keep a claim within seconds where the
//! built-in scenarios' 459 inputs would take minutes). When the interval straddles the threshold and no
//! input decides the claim, it is *not settled* at the number of paths run.
//! Facts are judged on the data files' numbers, which carry no Monte Carlo error.
//!
//! Runs are shared: every (scenario, overrides) pair runs once, with the same seed, so the whole
//! evaluation is a function of the claims file, the overrides, the number of paths and the seed.

use std::collections::HashMap;

use subsoil_risk::Dist;
use subsoil_scenario::claims::{Claim, Holds, Statistic};
use subsoil_scenario::{LoadError, Scenario};

use crate::compare::compare;
use crate::report::RunResult;
use crate::run::{RunConfig, RunError, run};
use crate::sensitivity::{MetricRef, SensitivityError, tornado};

/// 95% two-sided normal quantile, for intervals of means.
const Z95: f64 = 1.959_963_984_540_054;

/// Inputs swung when a claim lists none.
pub const DEFAULT_SWING: &[&str] = &[
    "rates.investor-base",
    "products.iron-ore.long-run",
    "conflict.ceasefire-hazard",
    "leakage.receipts",
];

/// A statistic's estimate and its 95% interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// The estimate.
    pub value: f64,
    /// Lower end of the 95% interval.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
}

/// Where an interval lies against a claim's threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// Wholly where the claim holds.
    Holds,
    /// Wholly where it does not.
    Fails,
    /// Across the threshold.
    Unclear,
}

/// The claim's statistic under one scenario.
#[derive(Clone, Debug)]
pub struct Judged {
    /// The scenario as the claims file names it (`data` for facts).
    pub scenario: String,
    /// The statistic.
    pub interval: Interval,
    /// Its side.
    pub side: Side,
    /// The claim's further statistics under the scenario, `(as written, value)`.
    pub also: Vec<(String, f64)>,
}

/// One input's swing of a statistic.
#[derive(Clone, Debug)]
pub struct Swing {
    /// The scenario it was measured under.
    pub scenario: String,
    /// The input.
    pub input: String,
    /// The statistic with the input at its 10th percentile.
    pub at_p10: f64,
    /// At its 90th.
    pub at_p90: f64,
    /// The 95% interval of `at_p10` (`NaN` ends when its run has no standard error).
    pub ci95_p10: [f64; 2],
    /// Of `at_p90`.
    pub ci95_p90: [f64; 2],
}

impl Swing {
    /// `at_p90 − at_p10`.
    pub fn swing(&self) -> f64 {
        self.at_p90 - self.at_p10
    }
}

/// Relative tolerance for an end whose Monte Carlo error is not estimated: a billionth of the larger
/// of the value, the threshold and 1. A mean over at most 10^8 paths is rounded by far less (about
/// n · 2^-53 of its size), and a probability moves in steps of 1/paths, far more.
pub const ROUNDING: f64 = 1e-9;

/// Where one end of a swing lies against what the claim says: by its 95% interval, or, when that is not
/// estimated, by its value widened by [`ROUNDING`].
fn end_side(holds: &Holds, value: f64, ci95: [f64; 2]) -> Side {
    let i = if ci95[0].is_finite() && ci95[1].is_finite() {
        Interval { value, lo: ci95[0], hi: ci95[1] }
    } else {
        let scale = match *holds {
            Holds::Above(t) | Holds::Below(t) => t.abs(),
            Holds::Between(a, b) => a.abs().max(b.abs()),
            Holds::Untested => 0.0,
        };
        let tol = ROUNDING * value.abs().max(scale).max(1.0);
        Interval { value, lo: value - tol, hi: value + tol }
    };
    side(holds, &i)
}

/// Whether input swing `s` decides a claim that holds as `holds`: the statistic with the input at its
/// P10 and at its P90 lies on opposite sides of the threshold, each end clear of it by more than its
/// Monte Carlo error.
pub fn decides(holds: &Holds, s: &Swing) -> bool {
    matches!(
        (end_side(holds, s.at_p10, s.ci95_p10), end_side(holds, s.at_p90, s.ci95_p90)),
        (Side::Holds, Side::Fails) | (Side::Fails, Side::Holds)
    )
}

/// A computed verdict.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// The interval is on the claim's side under every scenario.
    Supported,
    /// On the other side under every scenario.
    Contradicted,
    /// Neither: the scenarios that differ (when each is clear) and the inputs that decide it
    /// ([`decides`]).
    DependsOn {
        /// Scenarios where the claim holds, when others contradict it.
        holds_under: Vec<String>,
        /// Scenarios where it fails, when others support it.
        fails_under: Vec<String>,
        /// Inputs that decide the claim where it is unclear, largest swing first (at most three).
        inputs: Vec<String>,
    },
    /// The interval straddles the threshold, the scenarios do not disagree and no input decides it: more
    /// paths may settle it.
    Unsettled {
        /// Paths of each run.
        paths: u64,
    },
    /// The claim has no statistic the model or the data can compute.
    Untested,
}

impl Verdict {
    /// One line: `supported`, `contradicted`, `depends on …`, `not tested`.
    pub fn label(&self) -> String {
        match self {
            Verdict::Supported => "supported".into(),
            Verdict::Contradicted => "contradicted".into(),
            Verdict::Untested => "not tested".into(),
            Verdict::Unsettled { paths } => {
                format!("not settled at {} paths", crate::grouped(*paths))
            }
            Verdict::DependsOn { holds_under, fails_under, inputs } => {
                let mut parts = Vec::new();
                if !holds_under.is_empty() || !fails_under.is_empty() {
                    parts.push(format!(
                        "the scenario (holds under {}; fails under {})",
                        or_none(holds_under),
                        or_none(fails_under)
                    ));
                }
                if !inputs.is_empty() {
                    parts.push(inputs.join(", "));
                }
                format!("depends on {}", parts.join("; "))
            }
        }
    }
}

fn or_none(v: &[String]) -> String {
    if v.is_empty() { "none".into() } else { v.join(", ") }
}

/// A claim with its statistic under each scenario and its verdict.
#[derive(Clone, Debug)]
pub struct ClaimResult {
    /// The claim as the file states it.
    pub claim: Claim,
    /// Its statistic under each scenario, in the order named.
    pub judged: Vec<Judged>,
    /// The swings measured where the verdict was unclear, largest first.
    pub swings: Vec<Swing>,
    /// The verdict.
    pub verdict: Verdict,
}

/// Why the claims could not be judged.
#[derive(Debug)]
pub enum ClaimsError {
    /// A scenario does not load (with `--set` overrides that do not apply, say).
    Load(String, LoadError),
    /// A run could not start.
    Run(RunError),
    /// The claims file asks for something the scenario, its outputs or the data do not have.
    Claim(String),
}

impl std::fmt::Display for ClaimsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClaimsError::Load(name, e) => write!(f, "{name}:\n{}", e.render()),
            ClaimsError::Run(e) => write!(f, "{e}"),
            ClaimsError::Claim(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for ClaimsError {}

impl From<RunError> for ClaimsError {
    fn from(e: RunError) -> Self {
        ClaimsError::Run(e)
    }
}

/// Judges `claims` with the `sets` overrides applied to every scenario, on runs of `config`.
/// `progress(done, total)` is called after each claim.
///
/// # Errors
///
/// See [`ClaimsError`].
pub fn judge(
    claims: &[Claim],
    sets: &[String],
    config: &RunConfig,
    progress: &dyn Fn(usize, usize),
) -> Result<Vec<ClaimResult>, ClaimsError> {
    let mut cache = Cache {
        config: *config,
        sets: sets.to_vec(),
        scenarios: HashMap::new(),
        runs: HashMap::new(),
    };
    let mut out = Vec::with_capacity(claims.len());
    for (i, claim) in claims.iter().enumerate() {
        out.push(judge_one(claim, &mut cache)?);
        progress(i + 1, claims.len());
    }
    Ok(out)
}

/// Loaded scenarios and finished runs, by scenario name and overrides.
struct Cache {
    config: RunConfig,
    sets: Vec<String>,
    scenarios: HashMap<(String, Vec<String>), Scenario>,
    runs: HashMap<(String, Vec<String>), RunResult>,
}

impl Cache {
    fn scenario(&mut self, name: &str, extra: &[String]) -> Result<Scenario, ClaimsError> {
        let mut sets = self.sets.clone();
        sets.extend_from_slice(extra);
        let key = (name.to_string(), sets.clone());
        if let Some(s) = self.scenarios.get(&key) {
            return Ok(s.clone());
        }
        let loaded = match name.strip_suffix("#no-deal") {
            Some(base) => subsoil_scenario::mix::without_deal(base, &sets),
            None => subsoil_scenario::load(name, &sets),
        };
        let s = loaded.map_err(|e| ClaimsError::Load(name.to_string(), e))?;
        self.scenarios.insert(key, s.clone());
        Ok(s)
    }

    fn run(&mut self, name: &str, extra: &[String]) -> Result<RunResult, ClaimsError> {
        let key = (name.to_string(), extra.to_vec());
        if let Some(r) = self.runs.get(&key) {
            return Ok(r.clone());
        }
        let s = self.scenario(name, extra)?;
        let r = run(&s, &self.config)?;
        self.runs.insert(key, r.clone());
        Ok(r)
    }
}

fn judge_one(claim: &Claim, cache: &mut Cache) -> Result<ClaimResult, ClaimsError> {
    let bad = |m: String| ClaimsError::Claim(format!("{}: {m}", claim.id));
    if claim.statistic == Statistic::None {
        return Ok(ClaimResult {
            claim: claim.clone(),
            judged: Vec::new(),
            swings: Vec::new(),
            verdict: Verdict::Untested,
        });
    }
    let mut judged = Vec::new();
    if claim.statistic.is_data() {
        let v = subsoil_scenario::claims::data_value(&claim.statistic)
            .map_err(bad)?
            .unwrap_or(f64::NAN);
        let interval = Interval { value: v, lo: v, hi: v };
        judged.push(Judged {
            scenario: "data".into(),
            interval,
            side: side(&claim.holds, &interval),
            also: Vec::new(),
        });
    } else {
        for name in &claim.scenarios {
            let main = cache.run(name, &claim.sets)?;
            let interval = match &claim.statistic {
                Statistic::DifferenceMean(_) | Statistic::DifferenceProbability(_) => {
                    let a = cache.scenario(name, &claim.sets)?;
                    let b = cache.scenario(name, &claim.versus)?;
                    difference(&claim.statistic, &a, &b, &cache.config)?.ok_or_else(|| {
                        bad(format!("{} is not an output of {name}", claim.statistic.written()))
                    })?
                }
                stat => of_run(stat, &main)
                    .ok_or_else(|| bad(format!("{} is not an output of {name}", stat.written())))?,
            };
            let also = claim
                .also
                .iter()
                .map(|a| {
                    also(a, &main)
                        .map(|v| (a.clone(), v))
                        .ok_or_else(|| bad(format!("{a} is not an output of {name}")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            judged.push(Judged {
                scenario: name.clone(),
                interval,
                side: side(&claim.holds, &interval),
                also,
            });
        }
    }
    let all = |s: Side| judged.iter().all(|j| j.side == s);
    let (verdict, swings) = if all(Side::Holds) {
        (Verdict::Supported, Vec::new())
    } else if all(Side::Fails) {
        (Verdict::Contradicted, Vec::new())
    } else {
        let unclear: Vec<&Judged> = judged.iter().filter(|j| j.side == Side::Unclear).collect();
        let mixed = judged.iter().any(|j| j.side == Side::Holds)
            && judged.iter().any(|j| j.side == Side::Fails);
        let names = |s: Side| {
            judged.iter().filter(|j| j.side == s).map(|j| j.scenario.clone()).collect::<Vec<_>>()
        };
        let (holds_under, fails_under) =
            if mixed { (names(Side::Holds), names(Side::Fails)) } else { (Vec::new(), Vec::new()) };
        let mut swings = Vec::new();
        for j in unclear {
            swings.extend(swing(claim, &j.scenario, cache)?);
        }
        swings.sort_by(|a, b| b.swing().abs().total_cmp(&a.swing().abs()));
        let mut inputs: Vec<String> = Vec::new();
        for s in swings.iter().filter(|s| decides(&claim.holds, s)) {
            if !inputs.contains(&s.input) && inputs.len() < 3 {
                inputs.push(s.input.clone());
            }
        }
        let verdict = if inputs.is_empty() && !mixed {
            Verdict::Unsettled { paths: cache.config.paths }
        } else {
            Verdict::DependsOn { holds_under, fails_under, inputs }
        };
        (verdict, swings)
    };
    Ok(ClaimResult { claim: claim.clone(), judged, swings, verdict })
}

/// Where `i` lies against what the claim says.
fn side(holds: &Holds, i: &Interval) -> Side {
    let (yes, no) = match *holds {
        Holds::Above(t) => (i.lo > t, i.hi < t),
        Holds::Below(t) => (i.hi < t, i.lo > t),
        Holds::Between(a, b) => (i.lo >= a && i.hi <= b, i.hi < a || i.lo > b),
        Holds::Untested => (false, false),
    };
    if !i.value.is_finite() {
        Side::Unclear
    } else if yes {
        Side::Holds
    } else if no {
        Side::Fails
    } else {
        Side::Unclear
    }
}

/// A plain statistic of a run.
fn of_run(stat: &Statistic, r: &RunResult) -> Option<Interval> {
    match stat {
        Statistic::Probability(n) => {
            let c = r.probability(n)?.chance;
            Some(Interval { value: c.p, lo: c.ci95[0], hi: c.ci95[1] })
        }
        Statistic::Mean(m) => {
            let d = &r.metric(m)?.stats;
            Some(Interval { value: d.mean, lo: d.mean - Z95 * d.se, hi: d.mean + Z95 * d.se })
        }
        Statistic::By(e, year) => {
            let curve = &r.event(e)?.curve;
            match curve.by_year.iter().find(|b| b.year == *year) {
                Some(b) => Some(Interval { value: b.p, lo: b.ci95[0], hi: b.ci95[1] }),
                None if *year < r.header.start_year => {
                    Some(Interval { value: 0.0, lo: 0.0, hi: 0.0 })
                }
                None => None,
            }
        }
        _ => None,
    }
}

/// `a − b` of a difference statistic, on common random numbers.
fn difference(
    stat: &Statistic,
    a: &Scenario,
    b: &Scenario,
    config: &RunConfig,
) -> Result<Option<Interval>, ClaimsError> {
    let r = compare(&[b, a], config)?;
    let d = match stat {
        Statistic::DifferenceMean(m) => r.differences[0].metric(m),
        Statistic::DifferenceProbability(n) => r.differences[0].probability(n),
        _ => None,
    };
    Ok(d.map(|d| Interval {
        value: d.mean,
        lo: d.mean - Z95 * d.se_paired,
        hi: d.mean + Z95 * d.se_paired,
    }))
}

/// A further statistic (`p50:METRIC`, `max:METRIC`, …) of a run.
fn also(spec: &str, r: &RunResult) -> Option<f64> {
    let (stat, metric) = spec.split_once(':')?;
    let d = &r.metric(metric)?.stats;
    Some(match stat {
        "mean" => d.mean,
        "p10" => d.p10,
        "p50" => d.p50,
        "p90" => d.p90,
        "max" => d.max,
        "min" => d.min,
        _ => return None,
    })
}

/// The tornado of the claim's statistic under `scenario`, when the statistic is a mean or a probability.
fn full_tornado(
    claim: &Claim,
    scenario: &str,
    cache: &mut Cache,
) -> Result<Option<Vec<Swing>>, ClaimsError> {
    let name = match &claim.statistic {
        Statistic::Mean(n) | Statistic::Probability(n) => n,
        _ => return Ok(None),
    };
    let s = cache.scenario(scenario, &claim.sets)?;
    let Ok(metric) = MetricRef::find(&s.model, name) else { return Ok(None) };
    let t = tornado(&s, &metric, &cache.config, &|_| {}).map_err(|e| match e {
        SensitivityError::Run(e) => ClaimsError::Run(e),
        e => ClaimsError::Claim(format!("{}: {e}", claim.id)),
    })?;
    Ok(Some(
        t.swings
            .into_iter()
            .map(|w| Swing {
                scenario: scenario.to_string(),
                input: w.input,
                at_p10: w.at_p10,
                at_p90: w.at_p90,
                ci95_p10: w.ci95_at_p10,
                ci95_p90: w.ci95_at_p90,
            })
            .collect(),
    ))
}

/// `scenario` with input `name` fixed at its `u`-quantile (clamped to its bounds), if it has the input.
fn fixed(scenario: &Scenario, name: &str, u: f64) -> Option<(Scenario, f64)> {
    // By its name, or a renamed field's former name.
    let slot = scenario.inputs.slot_of(name)? as usize;
    let input = &scenario.inputs.list[slot];
    let value = input.dist.quantile(u).clamp(input.bounds.0, input.bounds.1);
    let mut s = scenario.clone();
    s.inputs.list[slot].dist = Dist::fixed(value).ok()?;
    Some((s, value))
}

/// The swing of the claim's statistic under `scenario`: the full tornado
/// ([`crate::sensitivity::tornado`], every uncertain input) when the claim lists no candidate inputs
/// and its statistic is a mean or a probability; otherwise the same one-at-a-time swing over the
/// candidates (or [`DEFAULT_SWING`]), which also serves the statistics the tornado does not take (a
/// probability by a year, a difference between two cases).
fn swing(claim: &Claim, scenario: &str, cache: &mut Cache) -> Result<Vec<Swing>, ClaimsError> {
    if claim.swing.is_empty()
        && let Some(found) = full_tornado(claim, scenario, cache)?
    {
        return Ok(found);
    }
    let candidates: Vec<String> = if claim.swing.is_empty() {
        DEFAULT_SWING.iter().map(|s| s.to_string()).collect()
    } else {
        claim.swing.clone()
    };
    let config = cache.config;
    let main = cache.scenario(scenario, &claim.sets)?;
    let versus = match claim.statistic {
        Statistic::DifferenceMean(_) | Statistic::DifferenceProbability(_) => {
            Some(cache.scenario(scenario, &claim.versus)?)
        }
        _ => None,
    };
    let mut out = Vec::new();
    for input in candidates {
        let (Some((lo, _)), Some((hi, _))) = (fixed(&main, &input, 0.1), fixed(&main, &input, 0.9))
        else {
            continue;
        };
        let value = |s: &Scenario, v: Option<&Scenario>| -> Result<Interval, ClaimsError> {
            let i = match v {
                Some(v) => difference(&claim.statistic, s, v, &config)?,
                None => of_run(&claim.statistic, &run(s, &config)?),
            };
            Ok(i.unwrap_or(Interval { value: f64::NAN, lo: f64::NAN, hi: f64::NAN }))
        };
        let (v_lo, v_hi) = match &versus {
            Some(v) => {
                let (Some((vlo, _)), Some((vhi, _))) =
                    (fixed(v, &input, 0.1), fixed(v, &input, 0.9))
                else {
                    continue;
                };
                (value(&lo, Some(&vlo))?, value(&hi, Some(&vhi))?)
            }
            None => (value(&lo, None)?, value(&hi, None)?),
        };
        out.push(Swing {
            scenario: scenario.to_string(),
            input,
            at_p10: v_lo.value,
            at_p90: v_hi.value,
            ci95_p10: [v_lo.lo, v_lo.hi],
            ci95_p90: [v_hi.lo, v_hi.hi],
        });
    }
    Ok(out)
}
