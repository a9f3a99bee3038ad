//! The Slurm launcher (tools/cluster/slurm/): a job array of four shards and the merge job that waits
//! for it, on a real single-node Slurm, give the files of the unsharded run byte for byte.
//!
//! It needs a running Slurm whose configuration `SLURM_CONF` names: `.ci/run` starts one with
//! `tools/cluster/slurm/local-cluster.sh start DIR` and stops it after the tests. Without one the test is
//! skipped with a message, unless `SUBSOIL_SLURM_TESTS=required`, when it fails.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{scratch, subsoil_in, text};

fn slurm_up() -> Result<(), String> {
    if std::env::var_os("SLURM_CONF").is_none() {
        return Err("SLURM_CONF is not set (tools/cluster/slurm/local-cluster.sh start DIR)".into());
    }
    let out = Command::new("sinfo").args(["-h", "-o", "%t"]).output();
    match out {
        Ok(o) if o.status.success() && text(&o.stdout).trim() == "idle" => Ok(()),
        Ok(o) => Err(format!("sinfo says {:?} {:?}", text(&o.stdout), text(&o.stderr))),
        Err(e) => Err(format!("sinfo does not run: {e}")),
    }
}

/// The state of job `id` as `scontrol` reports it (Slurm keeps finished jobs for 300 s).
fn job_states(id: &str) -> Vec<String> {
    let out = Command::new("scontrol").args(["show", "job", id]).output().expect("scontrol runs");
    text(&out.stdout)
        .split_whitespace()
        .filter_map(|w| w.strip_prefix("JobState=").map(str::to_string))
        .collect()
}

fn same_files(a: &Path, b: &Path) {
    for name in ["summary.json", "report.html", "series.csv", "projects.csv", "inputs.csv"] {
        let (x, y) = (std::fs::read(a.join(name)), std::fs::read(b.join(name)));
        let (x, y) = (x.expect("whole run's file"), y.expect("merged file"));
        assert!(x == y, "{name} differs between the whole run and the Slurm merge");
    }
}

#[test]
fn a_job_array_of_four_shards_and_its_merge_equal_the_whole_run() {
    if let Err(why) = slurm_up() {
        if std::env::var("SUBSOIL_SLURM_TESTS").as_deref() == Ok("required") {
            panic!("no Slurm to test the launcher on: {why}");
        }
        eprintln!("skipped: no Slurm to test the launcher on ({why})");
        return;
    }
    let dir = scratch("slurm");
    let run = ["--paths", "13000", "--seed", "9", "--sampler", "lhs"];
    let out = subsoil_in(Some(&dir), &[&["run"][..], &run, &["--out", "whole"]].concat());
    assert!(out.status.success(), "{}", text(&out.stderr));

    let submit = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tools/cluster/slurm/submit.sh");
    let out = Command::new(submit)
        .args(["4", "work", "merged"])
        .args(run)
        .env("SUBSOIL", env!("CARGO_BIN_EXE_subsoil"))
        .current_dir(&dir)
        .output()
        .expect("submit.sh runs");
    assert!(out.status.success(), "submit.sh: {}", text(&out.stderr));
    let said = text(&out.stdout);
    let id = |what: &str| {
        said.lines()
            .find_map(|l| l.strip_prefix(what))
            .map(|s| s.trim().to_string())
            .unwrap_or_else(|| panic!("submit.sh printed no {what}id: {said}"))
    };
    let (array, merge) = (id("array "), id("merge "));

    // Both jobs leave the queue within a few seconds on an idle node; five minutes is far beyond that.
    let start = Instant::now();
    loop {
        let q = Command::new("squeue")
            .args(["-h", "-j", &format!("{array},{merge}")])
            .output()
            .expect("squeue runs");
        if text(&q.stdout).trim().is_empty() {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "jobs still queued: {}",
            text(&q.stdout)
        );
        std::thread::sleep(Duration::from_millis(300));
    }
    let tasks = job_states(&array);
    assert_eq!(tasks.len(), 4, "four array tasks: {tasks:?}");
    assert!(tasks.iter().all(|s| s == "COMPLETED"), "array tasks: {tasks:?}");
    assert_eq!(job_states(&merge), ["COMPLETED"], "merge job; log:\n{}", {
        std::fs::read_to_string(dir.join("work/merge.log")).unwrap_or_default()
    });
    for i in 0..4 {
        assert!(dir.join(format!("work/shard-{i}/shard.json")).is_file(), "shard {i}");
    }
    same_files(&dir.join("whole"), &dir.join("merged"));
}
