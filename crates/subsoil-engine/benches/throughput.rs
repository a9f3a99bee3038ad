//! Paths per second of a Monte Carlo run of the built-in scenario on 1 and 2 threads, and the 2-thread
//! speed-up measured in the same process (so it compares like with like on any machine).
//!
//! Run with `cargo bench -p subsoil-engine`. `SUBSOIL_BENCH_PATHS` sets the number of paths (default
//! 100,000), `SUBSOIL_BENCH_SAMPLER` the sampler (`random`, `lhs` or `sobol`) and `SUBSOIL_BENCH_REPS` how
//! many times each configuration runs (default 1; the fastest counts). The results on 1 and 2 threads
//! must be identical: the bench also checks that.

use std::time::Instant;

use subsoil_engine::{RunConfig, RunResult, SamplerKind, run};

fn timed(scenario: &subsoil_scenario::Scenario, config: &RunConfig, reps: u32) -> (f64, RunResult) {
    let once = || {
        let start = Instant::now();
        match run(scenario, config) {
            Ok(r) => (start.elapsed().as_secs_f64(), r),
            Err(e) => panic!("the bench run failed: {e}"),
        }
    };
    let (mut best, result) = once();
    for _ in 1..reps {
        best = best.min(once().0);
    }
    (best, result)
}

fn main() {
    let paths: u64 =
        std::env::var("SUBSOIL_BENCH_PATHS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let reps: u32 =
        std::env::var("SUBSOIL_BENCH_REPS").ok().and_then(|v| v.parse().ok()).unwrap_or(1);
    let sampler = match std::env::var("SUBSOIL_BENCH_SAMPLER").as_deref() {
        Ok("lhs") => SamplerKind::LatinHypercube,
        Ok("sobol") => SamplerKind::Sobol,
        _ => SamplerKind::Random,
    };
    let scenario = match subsoil_scenario::load("ukraine-final-2025", &[]) {
        Ok(s) => s,
        Err(e) => panic!("the built-in scenario does not load:\n{}", e.render()),
    };
    println!(
        "subsoil-engine throughput: {} ({} projects, {} uncertain inputs, {} years), {paths} paths, {sampler}",
        scenario.name,
        scenario.model.projects.len(),
        scenario.inputs.list.len(),
        scenario.model.time.horizon
    );
    let mut rates = Vec::new();
    let mut results = Vec::new();
    for threads in [1, 2] {
        let config = RunConfig { threads, sampler, ..RunConfig::new(paths, 1) };
        let (secs, result) = timed(&scenario, &config, reps);
        let rate = paths as f64 / secs;
        println!(
            "  {threads} thread{}: {secs:7.3} s  {rate:10.0} paths/s  ({:.1} µs/path/thread)",
            if threads == 1 { " " } else { "s" },
            secs * 1e6 * threads as f64 / paths as f64
        );
        rates.push(rate);
        results.push(format!("{result:?}"));
    }
    println!("  speed-up on 2 threads: {:.2}x", rates[1] / rates[0]);
    assert_eq!(results[0], results[1], "results differ between 1 and 2 threads");
    println!("  results on 1 and 2 threads are identical");
}
