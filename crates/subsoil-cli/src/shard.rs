//! `subsoil run --shard I/N --out DIR` and `subsoil merge DIR... [--out DIR]`.
//!
//! A shard's folder holds one file, `shard.json` (docs/shards.md describes it): what the shard ran
//! (the scenario as named on the command line, the `--set` overrides, the command of the whole run,
//! the run's paths, seed, sampler and block size, the scenario's hash) and the engine's
//! [`ShardState`]. `merge` reads every shard, loads the scenario again, and writes what `run` without
//! `--shard` writes, byte for byte.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use serde::{Deserialize, Serialize};
use subsoil_engine::shard::shard_paths;
use subsoil_engine::{Shard, ShardState};
use subsoil_scenario::Scenario;

use crate::run::{OutArgs, Progress, RunArgs, RunFormat, save_failed};
use crate::{EXIT_BAD_INPUT, output};

/// What `shard.json` says it is.
pub const FORMAT: &str = "subsoil-shard";

/// The version of `shard.json`'s layout; a merge reads this version only.
pub const VERSION: u32 = 1;

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
    /// The scenario as named on the command line.
    scenario: String,
    /// The `--set` overrides, in order.
    sets: Vec<String>,
    /// The command of the whole run (what summary.json records).
    command: String,
    /// The engine's state.
    state: ShardState,
}

/// Arguments of `subsoil merge`.
#[derive(Args, Debug)]
pub struct MergeArgs {
    /// The shards' folders (each written by `subsoil run --shard I/N --out DIR`), in any order.
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Output format of what is printed.
    #[arg(long, value_enum, default_value_t = RunFormat::Table)]
    pub format: RunFormat,
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
    let progress = Progress::new(paths.max(1));
    let outcome = subsoil_engine::run_shard(scenario, &config, shard, &|n| progress.advance(n));
    progress.finish();
    let state = match outcome {
        Ok(s) => s,
        Err(e) => {
            output::stderr(&format!("error: {e}\n"));
            return match e {
                subsoil_engine::RunError::Threads(_) => ExitCode::FAILURE,
                _ => ExitCode::from(EXIT_BAD_INPUT),
            };
        }
    };
    let blocks = state.stats.blocks.len();
    let file = ShardFile {
        format: FORMAT.into(),
        version: VERSION,
        subsoil_version: env!("CARGO_PKG_VERSION").into(),
        scenario: args.scenario.clone(),
        sets: args.sets.clone(),
        command: crate::run::command(args),
        state,
    };
    let bytes = match serde_json::to_vec(&file) {
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
    let dir = args.out.dir.as_deref().unwrap_or(Path::new("."));
    output::stdout(&format!(
        "shard {shard}: {paths} of {} paths in {blocks} block{} written to {}\n",
        config.paths,
        if blocks == 1 { "" } else { "s" },
        dir.join(FILE).display()
    ))
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
    if args.format == RunFormat::Csv {
        return bad("--format csv is for --deterministic --yearly");
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
        if (&f.scenario, &f.sets) != (&first.scenario, &first.sets) {
            return bad(&format!(
                "{} ran {} and {} ran {}: shards of different runs",
                first_dir.display(),
                described(first),
                dir.display(),
                described(f)
            ));
        }
    }
    let scenario = match subsoil_scenario::load(&first.scenario, &first.sets) {
        Ok(s) => s,
        Err(e) => {
            output::stderr(&e.render());
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    let staging = match args.out.begin() {
        Ok(s) => s,
        Err(code) => return code,
    };
    let sets = first.sets.clone();
    let command = first.command.clone();
    let states = files.into_iter().map(|(_, f)| f.state).collect();
    let result = match subsoil_engine::merge(&scenario, states) {
        Ok(r) => r,
        Err(e) => return bad(&e.to_string()),
    };
    crate::run::warn(&result.warnings());
    if let Some(staging) = staging
        && let Err(e) =
            crate::run::save_monte_carlo(&scenario, &sets, command, &result, staging, None)
    {
        return save_failed(e);
    }
    crate::run::print_monte_carlo(&scenario, &sets, &result, args.format)
}

/// `ukraine-final-2025 --set a=1` as a shard names its run.
fn described(f: &ShardFile) -> String {
    let mut words = vec![f.scenario.clone()];
    for s in &f.sets {
        words.push(format!("--set {s}"));
    }
    words.join(" ")
}
