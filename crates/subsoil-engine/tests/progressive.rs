//! The progressive run: what it reports at each block boundary, stopping there, and cancelling.
//!
//! Results are compared through their `Debug` text, which writes every float so that it reads back
//! exactly: two results with the same text are the same numbers.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use subsoil_engine::{
    Flow, RunConfig, RunError, RunResult, SamplerKind, SeMethod, run, run_progressive,
};
use subsoil_scenario::Scenario;

fn final_deal() -> Scenario {
    match subsoil_scenario::load("ukraine-final-2025", &[]) {
        Ok(s) => s,
        Err(e) => panic!("the final agreement does not load:\n{}", e.render()),
    }
}

fn config(paths: u64, threads: usize, sampler: SamplerKind) -> RunConfig {
    RunConfig { threads, sampler, block_size: 256, ..RunConfig::new(paths, 7) }
}

fn text(r: &RunResult) -> String {
    format!("{r:?}")
}

fn plain(s: &Scenario, c: &RunConfig) -> String {
    text(&run(s, c).unwrap_or_else(|e| panic!("run failed: {e}")))
}

#[test]
fn each_boundary_reports_the_run_of_that_many_paths() {
    // Three full blocks of 256 and a partial block of 100: the observer sees 256, 512, 768 and 868
    // paths, each exactly the result of a plain run of that many paths, and the call returns the
    // whole run. Latin hypercube, so that blocks matter (stratification and between-block errors).
    let s = final_deal();
    for threads in [1, 2] {
        let seen = Mutex::new(Vec::new());
        let c = config(868, threads, SamplerKind::LatinHypercube);
        let cancel = AtomicBool::new(false);
        let whole = run_progressive(&s, &c, &cancel, &|r| {
            seen.lock().unwrap().push((r.header.paths, text(r)));
            Flow::Continue
        })
        .unwrap_or_else(|e| panic!("progressive run failed: {e}"));
        let seen = seen.into_inner().unwrap();
        let counts: Vec<u64> = seen.iter().map(|(n, _)| *n).collect();
        assert_eq!(counts, [256, 512, 768, 868], "{threads} threads");
        for (n, t) in &seen {
            let c = config(*n, threads, SamplerKind::LatinHypercube);
            assert!(*t == plain(&s, &c), "{threads} threads: boundary at {n} paths differs");
        }
        assert!(text(&whole) == plain(&s, &c), "{threads} threads: the whole run differs");
    }
}

#[test]
fn stopping_at_a_boundary_returns_the_run_of_that_many_paths() {
    let s = final_deal();
    let c = config(4 * 256, 2, SamplerKind::Random);
    let calls = Mutex::new(0);
    let r = run_progressive(&s, &c, &AtomicBool::new(false), &|r| {
        *calls.lock().unwrap() += 1;
        if r.header.paths >= 512 { Flow::Stop } else { Flow::Continue }
    })
    .unwrap_or_else(|e| panic!("progressive run failed: {e}"));
    assert_eq!(r.header.paths, 512);
    assert_eq!(*calls.lock().unwrap(), 2, "nothing is reported after the stop");
    assert!(text(&r) == plain(&s, &config(512, 2, SamplerKind::Random)));
}

#[test]
fn a_cancelled_run_says_so_and_reports_no_later_block() {
    let s = final_deal();
    for threads in [1, 2] {
        // Cancelled from the observer at the first boundary: no later block is reported.
        let c = config(20 * 256, threads, SamplerKind::Random);
        let cancel = AtomicBool::new(false);
        let seen = Mutex::new(Vec::new());
        let r = run_progressive(&s, &c, &cancel, &|r| {
            seen.lock().unwrap().push(r.header.paths);
            cancel.store(true, Ordering::Relaxed);
            Flow::Continue
        });
        assert!(matches!(r, Err(RunError::Cancelled)), "{threads} threads");
        // Once cancelled, nothing more is absorbed, so no second block can end.
        assert_eq!(seen.into_inner().unwrap(), [256], "{threads} threads");
    }
    // Cancelled before it starts.
    let r = run_progressive(
        &s,
        &config(1_000, 2, SamplerKind::Random),
        &AtomicBool::new(true),
        &|_| panic!("no block of a run cancelled before it starts is reported"),
    );
    assert!(matches!(r, Err(RunError::Cancelled)));
}

#[test]
fn a_comparison_can_be_cancelled_and_otherwise_is_the_comparison() {
    use subsoil_engine::{compare, compare_cancellable};
    let a = final_deal();
    let b = match subsoil_scenario::load("ukraine-mar-2025-draft", &[]) {
        Ok(s) => s,
        Err(e) => panic!("the March draft does not load:\n{}", e.render()),
    };
    let c = config(3 * 256 + 10, 2, SamplerKind::Random);
    let whole = compare(&[&a, &b], &c).unwrap_or_else(|e| panic!("{e}"));
    let same = compare_cancellable(&[&a, &b], &c, &AtomicBool::new(false))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(format!("{whole:?}") == format!("{same:?}"));
    let r = compare_cancellable(&[&a, &b], &c, &AtomicBool::new(true));
    assert!(matches!(r, Err(RunError::Cancelled)));
}

#[test]
fn a_stratified_run_gives_no_standard_error_before_its_second_block_and_says_so() {
    // Paths within a Latin hypercube or Sobol block are not independent, so sd/√n does not measure the
    // error of their mean, and the spread between blocks needs two of them. At the first boundary
    // (and within the second block) the run says it has no standard error and reports every one as
    // NaN; from the second full block on they are finite. Random sampling has sd/√n from the start.
    let s = final_deal();
    for sampler in [SamplerKind::LatinHypercube, SamplerKind::Sobol, SamplerKind::Random] {
        let seen = Mutex::new(Vec::new());
        let cancel = AtomicBool::new(false);
        run_progressive(&s, &config(3 * 256, 2, sampler), &cancel, &|r| {
            seen.lock().unwrap().push((r.header.paths, r.header.se_method, ses(r)));
            Flow::Continue
        })
        .unwrap_or_else(|e| panic!("progressive run failed: {e}"));
        for (paths, method, ses) in seen.into_inner().unwrap() {
            let expected = match (sampler, paths) {
                (SamplerKind::Random, _) => SeMethod::Iid,
                (_, 256) => SeMethod::None,
                _ => SeMethod::BetweenBlocks,
            };
            assert_eq!(method, expected, "{sampler} at {paths} paths");
            assert!(ses.len() > 20, "{sampler}: the run reports its standard errors");
            if expected == SeMethod::None {
                assert!(ses.iter().all(|se| se.is_nan()), "{sampler} at {paths}: {ses:?}");
            } else {
                // A metric that is the same on every path (fund-value here) has a zero error; the
                // rest are positive.
                assert!(ses.iter().all(|se| *se >= 0.0), "{sampler} at {paths}: {ses:?}");
                assert!(ses.iter().filter(|se| **se > 0.0).count() > 10, "{sampler} at {paths}");
            }
        }
    }
    // A plain run of one and a half blocks has none either: the partial block does not make a second.
    let r = run(&s, &config(384, 1, SamplerKind::Sobol)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.header.se_method, SeMethod::None);
    assert!(ses(&r).iter().all(|se| se.is_nan()));
}

/// Every standard error a run reports: each metric's, each probability's and each event's by the horizon.
fn ses(r: &RunResult) -> Vec<f64> {
    let metrics = r.metrics.iter().map(|m| m.stats.se);
    let probabilities = r.probabilities.iter().map(|p| p.chance.se);
    let events = r.events.iter().map(|e| e.curve.by_horizon.se);
    metrics.chain(probabilities).chain(events).collect()
}

#[test]
fn per_path_rows_and_shards_can_be_cancelled_and_otherwise_are_the_plain_ones() {
    use subsoil_engine::{
        Rows, Shard, compare_shard, compare_shard_cancellable, per_path, per_path_cancellable,
        run_shard, run_shard_cancellable,
    };
    let s = final_deal();
    let c = config(4 * 256 + 10, 2, SamplerKind::Random);
    let rows_of = |cancel: Option<&AtomicBool>| {
        let mut values: Vec<f64> = Vec::new();
        let mut sink = |rows: &Rows| -> Result<(), String> {
            values.extend_from_slice(&rows.values);
            if let Some(cancel) = cancel {
                cancel.store(true, Ordering::Relaxed);
            }
            Ok(())
        };
        let r = match cancel {
            Some(cancel) => per_path_cancellable(&s, &c, cancel, &mut sink),
            None => per_path(&s, &c, &mut sink),
        };
        (r.map(|inner| inner.is_ok()), values)
    };
    let (plain, all) = rows_of(None);
    assert!(matches!(plain, Ok(true)));
    let never = AtomicBool::new(false);
    let mut same_values: Vec<f64> = Vec::new();
    let same = per_path_cancellable(&s, &c, &never, &mut |rows: &Rows| -> Result<(), String> {
        same_values.extend_from_slice(&rows.values);
        Ok(())
    });
    assert!(matches!(same, Ok(Ok(()))));
    assert!(same_values.iter().map(|v| v.to_bits()).eq(all.iter().map(|v| v.to_bits())));
    // Cancelled by the sink at its first chunk: nothing more is handed over, and the run says so.
    let cancel = AtomicBool::new(false);
    let (stopped, prefix) = rows_of(Some(&cancel));
    assert!(matches!(stopped, Err(RunError::Cancelled)));
    assert_eq!(prefix.len() * 1034, all.len() * 128, "the rows of one chunk (128 paths) of 1,034");
    assert!(prefix.iter().zip(&all).all(|(a, b)| a.to_bits() == b.to_bits()));

    let shard = Shard { index: 1, count: 2 };
    let whole = run_shard(&s, &c, shard, &|_| {}).unwrap_or_else(|e| panic!("{e}"));
    let same =
        run_shard_cancellable(&s, &c, shard, &|_| {}, &never).unwrap_or_else(|e| panic!("{e}"));
    assert!(format!("{whole:?}") == format!("{same:?}"));
    let cancel = AtomicBool::new(false);
    let r =
        run_shard_cancellable(&s, &c, shard, &|_| cancel.store(true, Ordering::Relaxed), &cancel);
    assert!(matches!(r, Err(RunError::Cancelled)));

    let b = match subsoil_scenario::load("ukraine-mar-2025-draft", &[]) {
        Ok(s) => s,
        Err(e) => panic!("the March draft does not load:\n{}", e.render()),
    };
    let whole = compare_shard(&[&s, &b], &c, shard, &|_| {}).unwrap_or_else(|e| panic!("{e}"));
    let same = compare_shard_cancellable(&[&s, &b], &c, shard, &|_| {}, &never)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(format!("{whole:?}") == format!("{same:?}"));
    let r = compare_shard_cancellable(&[&s, &b], &c, shard, &|_| {}, &AtomicBool::new(true));
    assert!(matches!(r, Err(RunError::Cancelled)));
}
