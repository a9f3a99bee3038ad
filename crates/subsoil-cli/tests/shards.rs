//! `subsoil run --shard I/N --out DIR` and `subsoil merge`: four shards merge into the folder and the
//! table of the whole run, byte for byte, for every sampler; shards missing, given twice, of another
//! run or not shards at all are refused with exit status 2 and nothing written.

mod common;

use std::path::Path;

use common::{scratch, subsoil_in, text};

/// 4 full blocks of 4,096 paths and a partial block of 500: shard 0 of 4 runs blocks 0 and 4.
const PATHS: &str = "16884";

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = subsoil_in(Some(dir), args);
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    text(&out.stdout)
}

fn refused(dir: &Path, args: &[&str]) -> String {
    let out = subsoil_in(Some(dir), args);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
    assert!(out.stdout.is_empty(), "{args:?} printed {}", text(&out.stdout));
    text(&out.stderr)
}

fn same_files(a: &Path, b: &Path) {
    let names = |d: &Path| {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .expect("folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(names(a), names(b));
    assert_eq!(names(a).len(), 5, "summary.json, report.html and three CSV files");
    for name in names(a) {
        let (x, y) = (std::fs::read(a.join(&name)).unwrap(), std::fs::read(b.join(&name)).unwrap());
        assert!(x == y, "{name} differs between {} and {}", a.display(), b.display());
    }
}

#[test]
fn four_shards_merge_into_the_whole_run_byte_for_byte_for_every_sampler() {
    let dir = scratch("shards-samplers");
    for sampler in ["random", "lhs", "sobol"] {
        let run = ["run", "--paths", PATHS, "--seed", "7", "--sampler", sampler];
        let whole = format!("whole-{sampler}");
        let table = ok(&dir, &[&run[..], &["--out", &whole]].concat());
        let mut parts = Vec::new();
        for i in 0..4 {
            let part = format!("{sampler}-{i}");
            let shard = format!("{i}/4");
            let said = ok(
                &dir,
                &[&run[..], &["--shard", &shard, "--out", &part, "--threads", "1"]].concat(),
            );
            assert!(said.starts_with(&format!("shard {i}/4: ")), "{said}");
            parts.push(part);
        }
        parts.reverse();
        let merged = format!("merged-{sampler}");
        let mut args = vec!["merge"];
        args.extend(parts.iter().map(String::as_str));
        args.extend(["--out", &merged]);
        assert_eq!(ok(&dir, &args), table, "{sampler}: the printed table");
        same_files(&dir.join(&whole), &dir.join(&merged));
    }
}

#[test]
fn missing_duplicate_foreign_and_malformed_shards_are_refused() {
    let dir = scratch("shards-errors");
    let run = ["run", "--paths", "9000", "--seed", "3"];
    for i in 0..3 {
        ok(&dir, &[&run[..], &["--shard", &format!("{i}/3"), "--out", &format!("p{i}")]].concat());
    }
    ok(&dir, &["run", "--paths", "9000", "--seed", "4", "--shard", "1/3", "--out", "seed4"]);
    let err = refused(&dir, &["merge", "p0", "p2", "--out", "m"]);
    assert_eq!(err, "error: shard 1/3 of 3 missing\n");
    let err = refused(&dir, &["merge", "p0", "p1", "p1", "p2", "--out", "m"]);
    assert_eq!(err, "error: shard 1/3 is given twice\n");
    let err = refused(&dir, &["merge", "p0", "seed4", "p2", "--out", "m"]);
    assert_eq!(err, "error: shards 0/3 and 1/3 belong to different runs: seed 3 and 4\n");
    ok(
        &dir,
        &[&run[..], &["--set", "rates.valuation=0.09", "--shard", "1/3", "--out", "set"]].concat(),
    );
    let err = refused(&dir, &["merge", "p0", "set", "p2"]);
    assert!(err.contains("shards of different runs"), "{err}");
    let err = refused(&dir, &["merge", "p0", "nowhere"]);
    assert!(err.contains("nowhere/shard.json: not found"), "{err}");
    std::fs::create_dir(dir.join("other")).unwrap();
    std::fs::write(dir.join("other/shard.json"), "{\"format\": \"something\"}").unwrap();
    let err = refused(&dir, &["merge", "p0", "other"]);
    assert!(err.contains("not a subsoil shard"), "{err}");
    std::fs::write(dir.join("other/shard.json"), "{\"format\": \"subsoil-shard\", \"version\": 9}")
        .unwrap();
    let err = refused(&dir, &["merge", "p0", "other"]);
    assert!(err.contains("shard format version 9; this subsoil reads version 1"), "{err}");
    assert!(!dir.join("m").exists(), "nothing written");
    // --shard needs --out and a Monte Carlo run.
    refused(&dir, &["run", "--paths", "100", "--shard", "0/2"]);
    let err = refused(&dir, &["run", "--deterministic", "--shard", "0/2", "--out", "d"]);
    assert!(err.contains("--shard is for a Monte Carlo run"), "{err}");
    let err = refused(&dir, &["run", "--shard", "2/2", "--out", "d"]);
    assert!(err.contains("expected I/N with 0 <= I < N"), "{err}");
    let explain = ["compare", "ukraine-mar-2025-draft", "ukraine-final-2025", "--explain"];
    let err = refused(&dir, &[&explain[..], &["--shard", "0/2", "--out", "e"]].concat());
    assert_eq!(err, "error: --shard does not combine with --explain\n");
    let err =
        refused(&dir, &["run", "--until-se", "receipts-new=1e9", "--shard", "0/2", "--out", "u"]);
    assert!(err.contains("--shard does not combine with --until-se"), "{err}");
}

#[test]
fn a_comparison_in_shards_merges_into_the_whole_comparison_byte_for_byte() {
    let dir = scratch("shards-compare");
    let compare = [
        "compare",
        "ukraine-mar-2025-draft",
        "ukraine-final-2025",
        "--paths",
        "9000",
        "--sampler",
        "sobol",
    ];
    let table = ok(&dir, &[&compare[..], &["--details", "--out", "whole"]].concat());
    for i in 0..3 {
        let (shard, part) = (format!("{i}/3"), format!("part-{i}"));
        ok(&dir, &[&compare[..], &["--shard", &shard, "--out", &part]].concat());
    }
    let merged = ok(&dir, &["merge", "part-2", "part-0", "part-1", "--details", "--out", "merged"]);
    assert_eq!(merged, table);
    for name in ["summary.json", "report.html", "metrics.csv", "inputs.csv"] {
        let (x, y) = (dir.join("whole").join(name), dir.join("merged").join(name));
        assert!(std::fs::read(x).unwrap() == std::fs::read(y).unwrap(), "{name} differs");
    }
    // A shard of a run and shards of a comparison are different runs.
    ok(&dir, &["run", "--paths", "9000", "--shard", "1/3", "--out", "single"]);
    let err = refused(&dir, &["merge", "part-0", "single", "part-2"]);
    assert!(err.contains("shards of different runs"), "{err}");
}
