//! A run split into shards merges into the whole run bit for bit, for every sampler, whatever the order
//! the shards come in and whether their states went through JSON; a shard missing, given twice, of
//! another run or of another scenario is refused.

use subsoil_engine::shard::{MergeError, Shard, ShardState, merge, run_shard};
use subsoil_engine::{
    CompareShardState, RunConfig, RunResult, SamplerKind, compare, compare_shard, merge_compare,
    run,
};
use subsoil_scenario::Scenario;

fn scenario(name: &str) -> Scenario {
    match subsoil_scenario::load(name, &[]) {
        Ok(s) => s,
        Err(e) => panic!("{name} does not load:\n{}", e.render()),
    }
}

/// 9 full blocks of 256 paths and a partial block of 77: shard 1 of 4 ends with the partial block, and
/// Latin hypercube and Sobol take their standard errors from the blocks and the prefixes.
fn config(sampler: SamplerKind, threads: usize) -> RunConfig {
    RunConfig { threads, sampler, block_size: 256, ..RunConfig::new(9 * 256 + 77, 11) }
}

fn shards(s: &Scenario, config: &RunConfig, n: u64) -> Vec<ShardState> {
    (0..n)
        .map(|index| {
            let state = run_shard(s, config, Shard { index, count: n }, &|_| {})
                .unwrap_or_else(|e| panic!("shard {index}/{n}: {e}"));
            // Through the file format and back.
            let json = serde_json::to_string(&state).expect("state serialises");
            serde_json::from_str(&json).expect("state reads back")
        })
        .collect()
}

/// Equal bits: `Debug` writes every float in its shortest round-trip form.
fn same(a: &RunResult, b: &RunResult) -> bool {
    format!("{a:?}") == format!("{b:?}")
}

#[test]
fn four_shards_merge_into_the_whole_run_for_every_sampler() {
    let s = scenario("ukraine-final-2025");
    for sampler in [SamplerKind::Random, SamplerKind::LatinHypercube, SamplerKind::Sobol] {
        let whole = run(&s, &config(sampler, 2)).expect("run");
        let mut parts = shards(&s, &config(sampler, 1), 4);
        parts.reverse();
        let merged = merge(&s, parts).expect("merge");
        assert!(same(&whole, &merged), "{sampler}: the merge differs from the whole run");
        assert_eq!(merged.header.paths, 9 * 256 + 77);
    }
}

#[test]
fn more_shards_than_blocks_leave_some_empty_and_still_merge() {
    let s = scenario("ukraine-final-2025");
    let c = RunConfig { block_size: 256, ..RunConfig::new(600, 5) };
    let whole = run(&s, &c).expect("run");
    let merged = merge(&s, shards(&s, &c, 5)).expect("merge");
    assert!(same(&whole, &merged));
}

#[test]
fn missing_duplicate_and_foreign_shards_are_refused() {
    let s = scenario("ukraine-final-2025");
    let c = RunConfig { block_size: 256, ..RunConfig::new(1000, 3) };
    let parts = shards(&s, &c, 3);
    let err = merge(&s, vec![parts[0].clone(), parts[2].clone()]).unwrap_err();
    assert_eq!(err, MergeError::Missing { count: 3, missing: vec![1] });
    assert_eq!(err.to_string(), "shard 1/3 of 3 missing");
    let err = merge(&s, vec![parts[0].clone(), parts[1].clone(), parts[1].clone()]).unwrap_err();
    assert_eq!(err.to_string(), "shard 1/3 is given twice");
    assert_eq!(merge(&s, vec![]).unwrap_err(), MergeError::None);
    // Another seed.
    let other = shards(&s, &RunConfig { seed: 4, ..c }, 3);
    let err = merge(&s, vec![parts[0].clone(), other[1].clone(), parts[2].clone()]).unwrap_err();
    assert_eq!(err.to_string(), "shards 0/3 and 1/3 belong to different runs: seed 3 and 4");
    // Another scenario.
    let draft = scenario("ukraine-feb-2025-draft");
    let err = merge(&draft, parts.clone()).unwrap_err();
    assert!(matches!(err, MergeError::Mismatch(_)), "{err}");
    assert!(err.to_string().contains("was run on other scenarios"), "{err}");
    // A shard whose blocks were tampered with.
    let mut bad = parts.clone();
    bad[1].stats.blocks.pop();
    let err = merge(&s, bad).unwrap_err();
    assert_eq!(err.to_string(), "shard 1/3: it holds blocks [] where shard 1/3 runs blocks [1]");
}

#[test]
fn shard_specs_parse_as_i_of_n() {
    assert_eq!("2/4".parse::<Shard>(), Ok(Shard { index: 2, count: 4 }));
    for bad in ["4/4", "1/0", "1", "-1/3", "a/b", ""] {
        let err = bad.parse::<Shard>().unwrap_err();
        assert!(err.ends_with("expected I/N with 0 <= I < N, such as 0/4"), "{bad}: {err}");
    }
}

#[test]
fn a_comparison_in_three_shards_merges_into_the_whole_comparison() {
    let (a, b) = (scenario("ukraine-mar-2025-draft"), scenario("ukraine-final-2025"));
    let both = [&a, &b];
    let c = config(SamplerKind::LatinHypercube, 2);
    let whole = compare(&both, &c).expect("compare");
    let parts: Vec<CompareShardState> = (0..3)
        .rev()
        .map(|index| {
            let state = compare_shard(
                &both,
                &config(SamplerKind::LatinHypercube, 1),
                Shard { index, count: 3 },
                &|_| {},
            )
            .expect("shard");
            serde_json::from_str(&serde_json::to_string(&state).unwrap()).unwrap()
        })
        .collect();
    let merged = merge_compare(&both, parts.clone()).expect("merge");
    assert_eq!(format!("{whole:?}"), format!("{merged:?}"));
    // The scenarios in another order are another comparison.
    let err = merge_compare(&[&b, &a], parts.clone()).unwrap_err();
    assert!(err.to_string().contains("was run on other scenarios"), "{err}");
    let err = merge_compare(&both, parts[..2].to_vec()).unwrap_err();
    assert!(matches!(err, MergeError::Missing { .. }), "{err}");
}
