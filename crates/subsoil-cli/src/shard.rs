//! `subsoil run|compare --shard I/N --out DIR` and `subsoil merge DIR... [--out DIR]`.
//!
//! A shard's folder holds one file, `shard.json` (docs/shards.md describes it): what the shard ran
//! (`run` or `compare`, the scenarios as named on the command line, the `--set` overrides, the command
//! of the whole run, the run's paths, seed, sampler and block size, the scenarios' hashes) and the
//! engine's state ([`ShardState`] or [`CompareShardState`]). `merge` reads every shard, loads the
//! scenarios again, and writes what `run` or `compare` without `--shard` writes, byte for byte.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use serde::{Deserialize, Serialize};
use subsoil_engine::shard::shard_paths;
use subsoil_engine::{CompareShardState, Shard, ShardState};
use subsoil_scenario::Scenario;

use crate::compare::CompareArgs;
use crate::run::{OutArgs, Progress, RunArgs, RunFormat, save_failed};
use crate::{EXIT_BAD_INPUT, output};

/// What `shard.json` says it is.
pub const FORMAT: &str = "subsoil-shard";

/// The version of `shard.json`'s layout; a merge reads this version only.
pub const VERSION: u32 = 1;

/// What a shard is part of.
const RUN: &str = "run";
const COMPARE: &str = "compare";

/// The name of a shard's file in its folder.
pub const FILE: &str = "shard.json";

/// `shard.json`.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ShardFile {
    format: String,
    version: u32,
    /// The subsoil that ran the shard; a merge needs the same one.
    subsoil_version: String,
    /// `run` or `compare`.
    kind: String,
    /// The scenarios as named on the command line (one for a run).
    scenarios: Vec<String>,
    /// The `--set` overrides, in order.
    sets: Vec<String>,
    /// The command of the whole run (what summary.json records).
    command: String,
    /// The engine's state: a [`ShardState`] for a run, a [`CompareShardState`] for a comparison.
    state: serde_json::Value,
}

/// Arguments of `subsoil merge`.
#[derive(Args, Debug)]
pub struct MergeArgs {
    /// The shards' folders (each written by `subsoil run --shard I/N --out DIR`), in any order.
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Output format of what is printed.
    #[arg(long, value_enum, default_value_t = crate::Format::Table)]
    pub format: crate::Format,
    /// For shards of `subsoil compare`: every statistic and the paired differences in the table.
    #[arg(long)]
    pub details: bool,
    /// Write the whole run's files into a folder.
    #[command(flatten)]
    pub out: OutArgs,
}

fn bad(message: &str) -> ExitCode {
    output::stderr(&format!("error: {message}\n"));
    ExitCode::from(EXIT_BAD_INPUT)
}

/// `subsoil run --shard I/N --out DIR` on the loaded `scenario`.
pub fn run(args: &RunArgs, scenario: &Scenario, shard: Shard) -> ExitCode {
    if args.deterministic {
        return bad("--shard is for a Monte Carlo run (the base case is one path)");
    }
    if args.by.is_some() {
        return bad("--shard does not combine with --by; shard the runs of each value instead");
    }
    if args.until_se.is_some() || args.counterfactual.is_some() {
        return bad("--shard does not combine with --until-se or --counterfactual");
    }
    if args.out.per_path {
        return bad(
            "--per-path does not combine with --shard (the whole run writes paths.parquet in path order)",
        );
    }
    if args.format != RunFormat::Table {
        return bad(
            "--format is for whole runs; a shard's result is its folder, merged by subsoil merge",
        );
    }
    let staging = match args.out.begin() {
        Ok(Some(s)) => s,
        Ok(None) => return bad("--shard needs --out DIR, the folder that receives shard.json"),
        Err(code) => return code,
    };
    let config = args.mc.config();
    let paths = shard_paths(&config, shard);
    let progress = Progress::new(paths.max(1), config.threads);
    let outcome = subsoil_engine::run_shard(scenario, &config, shard, &|n| progress.advance(n));
    progress.finish();
    let state = match outcome {
        Ok(s) => s,
        Err(e) => {
            return crate::run::run_failed(&e);
        }
    };
    let blocks = state.stats.blocks.len();
    let file = ShardFile {
        format: FORMAT.into(),
        version: VERSION,
        subsoil_version: env!("CARGO_PKG_VERSION").into(),
        kind: RUN.into(),
        scenarios: vec![args.scenario.clone()],
        sets: args.sets.clone(),
        command: crate::run::command(args),
        state: serde_json::Value::Null,
    };
    write(args.out.dir.as_deref(), staging, file, &state, shard, (paths, config.paths, blocks))
}

/// Writes `file` with `state` into `staging` and says what the shard ran.
fn write<T: Serialize>(
    dir: Option<&Path>,
    staging: crate::save::Staging,
    mut file: ShardFile,
    state: &T,
    shard: Shard,
    (paths, all, blocks): (u64, u64, usize),
) -> ExitCode {
    let bytes = serde_json::to_value(state).and_then(|v| {
        file.state = v;
        serde_json::to_vec(&file)
    });
    let bytes = match bytes {
        Ok(mut b) => {
            b.push(b'\n');
            b
        }
        Err(e) => {
            output::stderr(&format!("error: cannot write {FILE}: {e}\n"));
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = staging.finish(&[(FILE, bytes)]) {
        return save_failed(e);
    }
    let dir = dir.unwrap_or(Path::new("."));
    output::stdout(&format!(
        "shard {shard}: {paths} of {all} paths in {blocks} block{} written to {}\n",
        if blocks == 1 { "" } else { "s" },
        dir.join(FILE).display()
    ))
}

/// `subsoil compare … --shard I/N --out DIR` on the loaded `scenarios`.
pub fn compare(args: &CompareArgs, scenarios: &[Scenario], shard: Shard) -> ExitCode {
    if args.format != crate::Format::Table || args.details {
        return bad(
            "--format and --details are for whole comparisons; merge the shards with subsoil merge",
        );
    }
    let staging = match args.out.begin() {
        Ok(Some(s)) => s,
        Ok(None) => return bad("--shard needs --out DIR, the folder that receives shard.json"),
        Err(code) => return code,
    };
    let config = args.mc.config();
    let paths = shard_paths(&config, shard);
    let progress = Progress::new(paths.max(1), config.threads);
    let refs: Vec<&Scenario> = scenarios.iter().collect();
    let outcome = subsoil_engine::compare_shard(&refs, &config, shard, &|n| progress.advance(n));
    progress.finish();
    let state = match outcome {
        Ok(s) => s,
        Err(e) => {
            return crate::run::run_failed(&e);
        }
    };
    let blocks = state.members.first().map_or(0, |m| m.blocks.len());
    let file = ShardFile {
        format: FORMAT.into(),
        version: VERSION,
        subsoil_version: env!("CARGO_PKG_VERSION").into(),
        kind: COMPARE.into(),
        scenarios: args.scenarios.clone(),
        sets: args.sets.clone(),
        command: crate::compare::command(args),
        state: serde_json::Value::Null,
    };
    write(args.out.dir.as_deref(), staging, file, &state, shard, (paths, config.paths, blocks))
}

/// Reads and checks `DIR/shard.json`.
fn read(dir: &Path) -> Result<ShardFile, String> {
    let path = dir.join(FILE);
    let shown = path.display();
    let text = std::fs::read_to_string(&path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            format!("{shown}: not found; a shard's folder is written by subsoil run --shard I/N --out DIR")
        } else {
            format!("{shown}: cannot read it: {e}")
        }
    })?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{shown}: not JSON: {e}"))?;
    if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(format!("{shown}: not a subsoil shard (expected \"format\": \"{FORMAT}\")"));
    }
    match value.get("version").and_then(|v| v.as_u64()) {
        Some(v) if v == u64::from(VERSION) => {}
        Some(v) => {
            return Err(format!(
                "{shown}: shard format version {v}; this subsoil reads version {VERSION}"
            ));
        }
        None => return Err(format!("{shown}: no format version")),
    }
    let file: ShardFile =
        serde_json::from_value(value).map_err(|e| format!("{shown}: malformed shard: {e}"))?;
    if file.kind != RUN && file.kind != COMPARE {
        return Err(format!("{shown}: a shard of `{}`; expected run or compare", file.kind));
    }
    if file.scenarios.is_empty() || (file.kind == RUN && file.scenarios.len() != 1) {
        return Err(format!("{shown}: malformed shard: the scenarios do not fit a {}", file.kind));
    }
    let ours = env!("CARGO_PKG_VERSION");
    if file.subsoil_version != ours {
        return Err(format!(
            "{shown}: written by subsoil {}, this is subsoil {ours}; merge with the version that ran the \
             shards",
            file.subsoil_version
        ));
    }
    Ok(file)
}

/// `subsoil merge`.
pub fn merge(args: &MergeArgs) -> ExitCode {
    if args.out.per_path {
        return bad("--per-path is not available to merge: run the whole run with --per-path");
    }
    let mut files = Vec::with_capacity(args.dirs.len());
    for dir in &args.dirs {
        match read(dir) {
            Ok(f) => files.push((dir, f)),
            Err(m) => return bad(&m),
        }
    }
    let (first_dir, first) = &files[0];
    for (dir, f) in &files[1..] {
        if (&f.kind, &f.scenarios, &f.sets) != (&first.kind, &first.scenarios, &first.sets) {
            return bad(&format!(
                "{} ran {} and {} ran {}: shards of different runs",
                first_dir.display(),
                described(first),
                dir.display(),
                described(f)
            ));
        }
    }
    let mut scenarios = Vec::with_capacity(first.scenarios.len());
    for name in &first.scenarios {
        match subsoil_scenario::load(name, &first.sets) {
            Ok(s) => scenarios.push(s),
            Err(e) => {
                output::stderr(&e.render());
                return ExitCode::from(EXIT_BAD_INPUT);
            }
        }
    }
    let (kind, sets, command) = (first.kind.clone(), first.sets.clone(), first.command.clone());
    let mut states = Vec::with_capacity(files.len());
    for (dir, f) in files {
        states.push((dir.join(FILE), f.state));
    }
    if kind == COMPARE {
        let parsed: Result<Vec<CompareShardState>, String> =
            states.into_iter().map(parse).collect();
        let parsed = match parsed {
            Ok(p) => p,
            Err(m) => return bad(&m),
        };
        let refs: Vec<&Scenario> = scenarios.iter().collect();
        let result = match subsoil_engine::merge_compare(&refs, parsed) {
            Ok(r) => r,
            Err(e) => return bad(&e.to_string()),
        };
        let staging = match args.out.begin() {
            Ok(s) => s,
            Err(code) => return code,
        };
        let printed = crate::compare::Printed { format: args.format, details: args.details };
        return crate::compare::finish(&scenarios, &sets, command, &result, staging, printed);
    }
    if args.details {
        return bad("--details is for shards of subsoil compare");
    }
    let parsed: Result<Vec<ShardState>, String> = states.into_iter().map(parse).collect();
    let parsed = match parsed {
        Ok(p) => p,
        Err(m) => return bad(&m),
    };
    let scenario = &scenarios[0];
    let result = match subsoil_engine::merge(scenario, parsed) {
        Ok(r) => r,
        Err(e) => return bad(&e.to_string()),
    };
    let staging = match args.out.begin() {
        Ok(s) => s,
        Err(code) => return code,
    };
    crate::run::warn(&result.warnings());
    if let Some(staging) = staging
        && let Err(e) =
            crate::run::save_monte_carlo(scenario, &sets, command, &result, staging, None, None)
    {
        return save_failed(e);
    }
    let format = match args.format {
        crate::Format::Table => RunFormat::Table,
        crate::Format::Json => RunFormat::Json,
    };
    crate::run::print_monte_carlo(scenario, &sets, &result, format, None)
}

/// The engine's state of a shard, read from the file at `path`.
fn parse<T: serde::de::DeserializeOwned>(
    (path, value): (PathBuf, serde_json::Value),
) -> Result<T, String> {
    serde_json::from_value(value).map_err(|e| format!("{}: malformed shard: {e}", path.display()))
}

/// `ukraine-final-2025 --set a=1` as a shard names its run.
fn described(f: &ShardFile) -> String {
    let mut words = vec![f.kind.clone()];
    words.extend(f.scenarios.iter().cloned());
    for s in &f.sets {
        words.push(format!("--set {s}"));
    }
    words.join(" ")
}
