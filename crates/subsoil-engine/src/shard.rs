//! A run split into shards that run apart (on several machines, as a job array) and merge into the
//! result of the whole run, bit for bit.
//!
//! Shard `I` of `N` runs blocks `I`, `I + N`, `I + 2N`, … of the run (every block whole, so the
//! samplers stratify exactly as in the whole run) and returns its [`ShardState`]: the exact totals of
//! its paths (percentiles, counts, event years) and one [`BlockRecord`] per block (moments and
//! prefix means). [`merge`] adds the exact totals of every shard, then folds the block records in
//! block order, which is what [`crate::run()`] does as it goes: the same floating-point operations on
//! the same numbers, so [`merge`] returns the [`RunResult`] of the unsharded run.

use std::fmt;
use std::str::FromStr;
use std::sync::atomic::AtomicBool;

use serde::{Deserialize, Serialize};
use subsoil_risk::SamplerKind;
use subsoil_scenario::Scenario;

use crate::accumulate::{BlockRecord, Plan, Stats, StatsState};
use crate::report::{self, RunResult};
use crate::run::{
    Flow, RunConfig, RunError, Schedule, Single, drawer, header, partial_block, prepare, se_context,
};

/// Shard `index` of `count` (written `I/N`, with `0 ≤ I < N`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// Which shard, from 0.
    pub index: u64,
    /// How many shards.
    pub count: u64,
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let expected = "expected I/N with 0 <= I < N, such as 0/4";
        let (i, n) = s.split_once('/').ok_or_else(|| format!("`{s}`: {expected}"))?;
        let parse = |x: &str| x.trim().parse::<u64>().map_err(|_| format!("`{s}`: {expected}"));
        let (index, count) = (parse(i)?, parse(n)?);
        if count == 0 || index >= count {
            return Err(format!("`{s}`: {expected}"));
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The run a shard belongs to: everything its result depends on besides the scenario's contents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShardRun {
    /// The hash of each scenario (of the merged scenario and its data files): one for a run, one per
    /// scenario, in order, for a comparison.
    pub scenario_hashes: Vec<String>,
    /// Paths of the whole run.
    pub paths: u64,
    /// Seed.
    pub seed: u64,
    /// Sampler: `random`, `latin-hypercube` or `sobol`.
    pub sampler: String,
    /// Paths per block.
    pub block_size: u32,
}

impl ShardRun {
    pub(crate) fn of(scenarios: &[&Scenario], config: &RunConfig) -> ShardRun {
        ShardRun {
            scenario_hashes: scenarios.iter().map(|s| s.hash.clone()).collect(),
            paths: config.paths,
            seed: config.seed,
            sampler: config.sampler.to_string(),
            block_size: config.block_size,
        }
    }

    /// The configuration of the whole run (on every core).
    pub fn config(&self) -> Result<RunConfig, MergeError> {
        let sampler = match self.sampler.as_str() {
            "random" => SamplerKind::Random,
            "latin-hypercube" => SamplerKind::LatinHypercube,
            "sobol" => SamplerKind::Sobol,
            other => return Err(MergeError::Invalid(format!("unknown sampler `{other}`"))),
        };
        Ok(RunConfig {
            paths: self.paths,
            seed: self.seed,
            threads: 0,
            sampler,
            block_size: self.block_size,
        })
    }
}

/// What a shard hands to the merge.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShardState {
    /// The run it belongs to.
    pub run: ShardRun,
    /// Which shard it is.
    pub shard: Shard,
    /// Its statistics.
    pub stats: StatsState,
}

/// Why shards cannot be merged.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MergeError {
    /// No shard was given.
    None,
    /// Two shards belong to different runs, or a shard to another scenario than the one given.
    Mismatch(String),
    /// A shard appears twice.
    Duplicate(Shard),
    /// Shards of the run are missing (their indices).
    Missing { count: u64, missing: Vec<u64> },
    /// A shard's contents are not what a shard of this run holds.
    Invalid(String),
    /// The run could not be set up.
    Run(String),
}

impl fmt::Display for MergeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MergeError::None => f.write_str("no shard to merge; expected at least one"),
            MergeError::Mismatch(m) | MergeError::Invalid(m) | MergeError::Run(m) => f.write_str(m),
            MergeError::Duplicate(s) => write!(f, "shard {s} is given twice"),
            MergeError::Missing { count, missing } => {
                let list: Vec<String> = missing.iter().map(|i| format!("{i}/{count}")).collect();
                let s = if missing.len() == 1 { "" } else { "s" };
                write!(f, "shard{s} {} of {count} missing", list.join(", "))
            }
        }
    }
}

impl std::error::Error for MergeError {}

/// Runs shard `shard` of the run of `scenario` that `config` describes.
///
/// # Errors
///
/// As [`crate::run()`].
pub fn run_shard(
    scenario: &Scenario,
    config: &RunConfig,
    shard: Shard,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<ShardState, RunError> {
    run_shard_cancellable(scenario, config, shard, progress, &AtomicBool::new(false))
}

/// Like [`run_shard`], stopping its workers within one chunk of paths once `cancel` is set.
///
/// # Errors
///
/// As [`run_shard`]; [`RunError::Cancelled`] when `cancel` was set before the shard was done.
pub fn run_shard_cancellable(
    scenario: &Scenario,
    config: &RunConfig,
    shard: Shard,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) -> Result<ShardState, RunError> {
    let (sampler, pool) = prepare(config)?;
    let draws = drawer(scenario, sampler)?;
    let model = &scenario.model;
    let plan = Plan::new(model);
    let last = partial_block(config);
    let single = Single { model, plan: &plan, draws: &draws, seed: config.seed, last };
    let stats = Stats::for_shard(&plan, last, shard.index, shard.count);
    let schedule =
        Schedule::new(config, progress).shard(shard.index, shard.count).halted_by(cancel);
    let (total, ended) = pool.install(|| {
        schedule.drive_until(&single, stats, pool.current_num_threads(), &|_| Flow::Continue)
    });
    if !ended {
        return Err(RunError::Cancelled);
    }
    Ok(ShardState { run: ShardRun::of(&[scenario], config), shard, stats: total.state() })
}

/// Paths a shard of a run of `config` simulates (for a progress bar).
pub fn shard_paths(config: &RunConfig, shard: Shard) -> u64 {
    let size = u64::from(config.block_size.max(1));
    let blocks = config.paths.div_ceil(size);
    (shard.index..blocks)
        .step_by(usize::try_from(shard.count).unwrap_or(usize::MAX).max(1))
        .map(|b| (config.paths - b * size).min(size))
        .sum()
}

/// Merges the shards of one run of `scenario` into the result of the whole run, as [`crate::run()`]
/// returns it. The shards may come in any order.
///
/// # Errors
///
/// [`MergeError`] when no shard is given, shards of different runs or of another scenario are mixed,
/// a shard is missing or given twice, or a shard's contents do not fit the scenario.
pub fn merge(scenario: &Scenario, shards: Vec<ShardState>) -> Result<RunResult, MergeError> {
    let ids: Vec<(Shard, &ShardRun)> = shards.iter().map(|s| (s.shard, &s.run)).collect();
    let (config, count) = check_shards(&[scenario], &ids)?;
    let model = &scenario.model;
    let plan = Plan::new(model);
    let mut total = Stats::with_partial_block(&plan, partial_block(&config));
    let blocks = config.paths.div_ceil(u64::from(config.block_size));
    let mut records: Vec<Option<BlockRecord>> = (0..blocks).map(|_| None).collect();
    for s in shards {
        let shard = s.shard;
        let layout = s.stats.blocks.iter().map(|r| (r.index, r.full));
        check_blocks(&config, shard, count, layout)?;
        let invalid = |m: String| MergeError::Invalid(format!("shard {shard}: {m}"));
        for r in total.add_exact(s.stats).map_err(invalid)? {
            let i = r.index as usize;
            records[i] = Some(r);
        }
    }
    check_paths(&config, total.paths)?;
    let records: Vec<BlockRecord> = records.into_iter().flatten().collect();
    total.fold_records(&records);
    let se = se_context(&config, &total);
    Ok(report::build(model, &plan, &total, se, header(&config)))
}

/// Checks that `shards` are every shard of one run of `scenarios`, each once, and returns the run's
/// configuration and number of shards.
pub(crate) fn check_shards(
    scenarios: &[&Scenario],
    shards: &[(Shard, &ShardRun)],
) -> Result<(RunConfig, u64), MergeError> {
    let &(first, run) = shards.first().ok_or(MergeError::None)?;
    let hashes: Vec<&str> = scenarios.iter().map(|s| s.hash.as_str()).collect();
    if run.scenario_hashes != hashes {
        let names: Vec<&str> = scenarios.iter().map(|s| s.name.as_str()).collect();
        return Err(MergeError::Mismatch(format!(
            "shard {first} was run on other scenarios (hash {}) than {} (hash {})",
            run.scenario_hashes.join(", "),
            names.join(", "),
            hashes.join(", ")
        )));
    }
    let count = first.count;
    if count > 1 << 20 {
        return Err(MergeError::Invalid(format!("{count} shards is more than a merge accepts")));
    }
    let mut seen = vec![false; count as usize];
    for &(shard, other) in shards {
        if other != run {
            return Err(MergeError::Mismatch(format!(
                "shards {first} and {shard} belong to different runs: {}",
                differences(run, other)
            )));
        }
        if shard.count != count || shard.index >= count {
            return Err(MergeError::Mismatch(format!(
                "shard {first} and shard {shard} split the run differently"
            )));
        }
        let slot = &mut seen[shard.index as usize];
        if *slot {
            return Err(MergeError::Duplicate(shard));
        }
        *slot = true;
    }
    let missing: Vec<u64> = (0..count).filter(|&i| !seen[i as usize]).collect();
    if !missing.is_empty() {
        return Err(MergeError::Missing { count, missing });
    }
    let config = run.config()?;
    prepare_check(&config)?;
    Ok((config, count))
}

/// Checks that a shard holds exactly its blocks, `(index, full)` in order.
pub(crate) fn check_blocks(
    config: &RunConfig,
    shard: Shard,
    count: u64,
    layout: impl Iterator<Item = (u64, bool)>,
) -> Result<(), MergeError> {
    let size = u64::from(config.block_size);
    let blocks = config.paths.div_ceil(size);
    let expected: Vec<u64> = (shard.index..blocks).step_by(count as usize).collect();
    let (got, full): (Vec<u64>, Vec<bool>) = layout.unzip();
    let invalid = |m: String| MergeError::Invalid(format!("shard {shard}: {m}"));
    if got != expected {
        return Err(invalid(format!(
            "it holds blocks {got:?} where shard {shard} runs blocks {expected:?}"
        )));
    }
    for (&b, &f) in got.iter().zip(&full) {
        if f != ((config.paths - b * size).min(size) == size) {
            return Err(invalid(format!("block {b} is marked full wrongly")));
        }
    }
    Ok(())
}

/// Checks that the shards' paths add up to the run's.
pub(crate) fn check_paths(config: &RunConfig, paths: u64) -> Result<(), MergeError> {
    if paths != config.paths {
        return Err(MergeError::Invalid(format!(
            "the shards hold {paths} paths where the run has {}",
            config.paths
        )));
    }
    Ok(())
}

/// Checks that `config` is a valid run (paths, sampler and block size) without starting threads.
fn prepare_check(config: &RunConfig) -> Result<(), MergeError> {
    if config.paths == 0 {
        return Err(MergeError::Run(RunError::NoPaths.to_string()));
    }
    subsoil_risk::Sampler::with_block_size(config.sampler, config.seed, config.block_size)
        .map(|_| ())
        .map_err(|e| MergeError::Run(e.to_string()))
}

/// How two runs differ, as `paths 1000 and 2000, seed 1 and 2`.
fn differences(a: &ShardRun, b: &ShardRun) -> String {
    let mut out = Vec::new();
    if a.scenario_hashes != b.scenario_hashes {
        let (x, y) = (a.scenario_hashes.join(", "), b.scenario_hashes.join(", "));
        out.push(format!("scenario hashes {x} and {y}"));
    }
    if a.paths != b.paths {
        out.push(format!("paths {} and {}", a.paths, b.paths));
    }
    if a.seed != b.seed {
        out.push(format!("seed {} and {}", a.seed, b.seed));
    }
    if a.sampler != b.sampler {
        out.push(format!("sampler {} and {}", a.sampler, b.sampler));
    }
    if a.block_size != b.block_size {
        out.push(format!("block size {} and {}", a.block_size, b.block_size));
    }
    out.join(", ")
}
