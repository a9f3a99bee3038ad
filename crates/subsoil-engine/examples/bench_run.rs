//! The timing harness of `bench/run.sh`: one Monte Carlo run, or the random-number floor of one.
//!
//! ```text
//! cargo run --release -p subsoil-engine --example bench_run -- run   SCENARIO PATHS THREADS [SEED]
//! cargo run --release -p subsoil-engine --example bench_run -- floor SCENARIO PATHS [SEED]
//! ```
//!
//! `run` times [`subsoil_engine::run`] alone (the scenario is loaded before the clock starts) and prints
//! one line `cpu_us=… wall_us=… paths=… threads=… digest=…`: the process's CPU time (every thread, from
//! `/proc/self/stat`) and wall time of the run, and a digest of the whole result, so that two builds can be
//! checked for identical outputs in the same invocation.
//!
//! `floor` measures the random-number floor: the same uniforms and inverse CDFs, in the same count, by the
//! same code, without the model. For each chunk of 128 paths it first runs the model with a recording
//! [`Randomness`] (untimed) to learn exactly which yearly uniforms and normals each path reads, then
//! replays, timed on the thread's CPU clock, what the engine draws for those paths: the scalar inputs
//! ([`ScalarDraws::fill`]: sampler, copula, quantile functions, clamps) and every recorded yearly draw
//! through [`PathRandomness`]. It prints `cpu_us=… paths=… uniforms_per_path=… normals_per_path=…
//! scalars_per_path=…`. Only Linux's `/proc` is read; elsewhere the CPU figures are 0.
//!
//! This file uses only the engine's public interface, so `bench/run.sh` builds the same harness against a
//! baseline commit.

use std::cell::RefCell;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::hint::black_box;
use std::time::Instant;

use subsoil_core::{PathOutcome, Randomness, Workspace, simulate};
use subsoil_engine::{PathRandomness, RunConfig, ScalarDraws, run};
use subsoil_risk::{Sampler, SamplerKind};

/// CPU time of the whole process (all threads, including finished ones), in microseconds.
fn process_cpu_us() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    // Fields after the command name, which is in parentheses and may contain spaces.
    let Some(rest) = stat.rfind(')').map(|i| &stat[i + 2..]) else { return 0.0 };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name; in clock ticks (1/100 s).
    let tick = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (tick(11) + tick(12)) * 1e4
}

/// CPU time of the calling thread, in microseconds (nanosecond resolution).
fn thread_cpu_us() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|v| v.parse::<f64>().ok()))
        .map_or(0.0, |ns| ns / 1e3)
}

fn arg<T: std::str::FromStr>(args: &[String], i: usize, what: &str, default: Option<T>) -> T {
    match args.get(i).map(|a| a.parse::<T>()) {
        Some(Ok(v)) => v,
        Some(Err(_)) => panic!("{what}: not a number: {}", args[i]),
        None => default.unwrap_or_else(|| panic!("missing argument: {what}")),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = args.first().map_or("", String::as_str);
    let name = args.get(1).map_or("ukraine-final-2025", String::as_str);
    let scenario = match subsoil_scenario::load(name, &[]) {
        Ok(s) => s,
        Err(e) => panic!("the scenario does not load:\n{}", e.render()),
    };
    let paths: u64 = arg(&args, 2, "paths", Some(10_000));
    match mode {
        "run" => {
            let threads: usize = arg(&args, 3, "threads", Some(1));
            let seed: u64 = arg(&args, 4, "seed", Some(1));
            let config = RunConfig { threads, ..RunConfig::new(paths, seed) };
            let (cpu0, wall0) = (process_cpu_us(), Instant::now());
            let result = run(&scenario, &config).unwrap_or_else(|e| panic!("the run failed: {e}"));
            let (cpu, wall) = (process_cpu_us() - cpu0, wall0.elapsed().as_secs_f64() * 1e6);
            let mut h = DefaultHasher::new();
            format!("{result:?}").hash(&mut h);
            println!(
                "cpu_us={cpu:.0} wall_us={wall:.0} paths={paths} threads={threads} digest={:016x}",
                h.finish()
            );
        }
        "floor" => {
            let seed: u64 = arg(&args, 3, "seed", Some(1));
            floor(&scenario, paths, seed);
        }
        _ => panic!(
            "usage: bench_run run SCENARIO PATHS THREADS [SEED] | floor SCENARIO PATHS [SEED]"
        ),
    }
}

/// A yearly draw a path made: its stream, sub-index and whether it was a normal.
type Key = (u64, u32, bool);

/// Passes the path's randomness through and records every yearly draw.
struct Recorder<'a> {
    inner: PathRandomness<'a>,
    log: &'a RefCell<Vec<Key>>,
}

impl Randomness for Recorder<'_> {
    fn scalar(&self, slot: u32) -> f64 {
        self.inner.scalar(slot)
    }
    fn uniform(&self, stream: u64, k: u32) -> f64 {
        self.log.borrow_mut().push((stream, k, false));
        self.inner.uniform(stream, k)
    }
    fn normal(&self, stream: u64, k: u32) -> f64 {
        self.log.borrow_mut().push((stream, k, true));
        self.inner.normal(stream, k)
    }
}

fn floor(scenario: &subsoil_scenario::Scenario, paths: u64, seed: u64) {
    let model = &scenario.model;
    let sampler = Sampler::new(SamplerKind::Random, seed);
    let draws = ScalarDraws::new(&scenario.inputs, sampler, &scenario.rank_correlations)
        .unwrap_or_else(|e| panic!("correlations: {e:?}"));
    let mut scratch = draws.scratch();
    let (mut ws, mut out) = (Workspace::new(model), PathOutcome::new(model, false));
    let log = RefCell::new(Vec::new());
    // Per path of the chunk: where its keys end in `keys`.
    let (mut keys, mut ends) = (Vec::<Key>::new(), Vec::<usize>::new());
    let (mut cpu, mut sink) = (0.0, 0.0);
    let (mut uniforms, mut normals) = (0u64, 0u64);
    let mut first = 0;
    while first < paths {
        let end = (first + 128).min(paths);
        keys.clear();
        ends.clear();
        for path in first..end {
            draws.fill(path, &mut scratch);
            let inner = PathRandomness { seed, path, scalars: scratch.values() };
            log.borrow_mut().clear();
            simulate(model, &Recorder { inner, log: &log }, &mut ws, &mut out);
            keys.extend_from_slice(&log.borrow());
            ends.push(keys.len());
        }
        let start = thread_cpu_us();
        let mut from = 0;
        for (path, &to) in (first..end).zip(&ends) {
            draws.fill(path, &mut scratch);
            let r = PathRandomness { seed, path, scalars: scratch.values() };
            sink += scratch.values().iter().sum::<f64>();
            for &(stream, k, normal) in &keys[from..to] {
                sink += if normal { r.normal(stream, k) } else { r.uniform(stream, k) };
            }
            from = to;
        }
        cpu += thread_cpu_us() - start;
        normals += keys.iter().filter(|k| k.2).count() as u64;
        uniforms += keys.iter().filter(|k| !k.2).count() as u64;
        first = end;
    }
    black_box(sink);
    let n = paths as f64;
    println!(
        "cpu_us={cpu:.0} paths={paths} uniforms_per_path={:.1} normals_per_path={:.1} scalars_per_path={}",
        uniforms as f64 / n,
        normals as f64 / n,
        draws.len()
    );
}
