//! What a hostile or careless user can do to the command line: close its output early, point it at a
//! full disk, ask for absurd thread counts or path counts, smuggle text through `--set`. None of it may
//! panic; bad input is exit status 2 with nothing on stdout.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{subsoil, text};

/// The binary with styles off.
fn command(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_subsoil"));
    cmd.args(args).env("NO_COLOR", "1");
    cmd
}

/// Runs `args` with standard output a pipe whose reading end is closed before anything is read.
fn with_closed_stdout(args: &[&str]) -> std::process::Output {
    let mut child = command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the subsoil binary runs");
    drop(child.stdout.take());
    child.wait_with_output().expect("subsoil ends")
}

/// Runs `args` with standard output on `/dev/full`, where every write fails with "no space left".
fn with_full_stdout(args: &[&str]) -> std::process::Output {
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
    command(args)
        .stdout(Stdio::from(full))
        .stderr(Stdio::piped())
        .output()
        .expect("the subsoil binary runs")
}

const COMMANDS: &[&[&str]] = &[
    &["run", "--paths", "2000", "--format", "json"],
    &["run", "--paths", "500"],
    &["run", "--deterministic"],
    &["run", "--deterministic", "--format", "json"],
    &["compare", "ukraine-feb-2025-draft", "ukraine-final-2025", "--paths", "200"],
    &[
        "compare",
        "ukraine-feb-2025-draft",
        "ukraine-final-2025",
        "--paths",
        "200",
        "--format",
        "json",
    ],
    &["check", "ukraine-final-2025"],
    &["reference"],
    &["scenarios"],
    &["data", "sources"],
    &["inputs"],
    &["inputs", "--format", "json"],
];

/// Standard error without the run's warnings about its results (they come before any output).
fn without_warnings(err: &str) -> String {
    err.lines().filter(|l| !l.starts_with("warning: ")).map(|l| format!("{l}\n")).collect()
}

#[test]
fn a_closed_pipe_ends_quietly_with_exit_status_0() {
    for args in COMMANDS {
        let out = with_closed_stdout(args);
        let err = without_warnings(&text(&out.stderr));
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?}: a closed pipe is not an error: {err}");
    }
}

#[test]
fn a_full_disk_is_a_clear_error_with_exit_status_1() {
    if !std::path::Path::new("/dev/full").exists() {
        return;
    }
    for args in COMMANDS {
        let out = with_full_stdout(args);
        let err = without_warnings(&text(&out.stderr));
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(
            err.starts_with("error: cannot write the output") && err.contains("space"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn head_of_a_long_json_output_is_not_a_crash() {
    // `subsoil run --paths 2000 --format json | head -1`, as a shell would run it.
    let mut child = command(&["run", "--paths", "2000", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut first).expect("a line");
    assert_eq!(first, "{\n");
    let out = child.wait_with_output().expect("ends");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

#[test]
fn absurd_thread_counts_are_refused_with_exit_status_2() {
    let too_many_for_cores = (4 * cores() + 1).to_string();
    for threads in ["257", "5000", "1000000", too_many_for_cores.as_str()] {
        for cmd in [
            vec!["run", "--paths", "10", "--threads", threads],
            vec!["compare", "ukraine-feb-2025-draft", "ukraine-final-2025", "--threads", threads],
        ] {
            let start = Instant::now();
            let out = subsoil(&cmd);
            let err = text(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{cmd:?}: {err}");
            assert!(out.stdout.is_empty(), "{cmd:?}");
            assert!(err.contains("--threads") && err.contains("at most"), "{cmd:?}: {err}");
            assert!(start.elapsed() < Duration::from_secs(5), "{cmd:?} must be refused at once");
        }
    }
    // Up to four threads a core (and 256) are fine; 0 means every core.
    let most = (4 * cores()).min(256).to_string();
    for threads in ["0", "1", most.as_str()] {
        let out = subsoil(&["run", "--paths", "10", "--threads", threads]);
        assert!(out.status.success(), "--threads {threads}: {}", text(&out.stderr));
    }
}

#[test]
fn a_set_value_with_a_newline_is_refused() {
    let out = subsoil(&[
        "check",
        "ukraine-final-2025",
        "--set",
        "rates.valuation=0.1\n[deal]\nlock-up-until=1000",
    ]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(out.stdout.is_empty());
    assert!(err.contains("--set") && err.contains("newline"), "{err}");
    let out = subsoil(&["run", "--deterministic", "--set", "metadata.title=two\nlines"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
}

#[test]
fn a_run_of_hours_says_how_long_it_will_take() {
    let mut child = command(&["run", "--paths", "100000000", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let line = rx.recv_timeout(Duration::from_secs(60));
    let _ = child.kill();
    let _ = child.wait();
    let line = line.expect("an estimate on stderr within a minute");
    assert!(line.contains("100,000,000 paths") && line.contains("estimated"), "{line}");
    let mut stdout = String::new();
    let _ = std::io::Read::read_to_string(&mut child.stdout.take().expect("stdout"), &mut stdout);
    assert!(stdout.is_empty(), "stdout carries only the result: {stdout}");
}

#[test]
fn a_short_run_says_nothing_about_time() {
    let out = subsoil(&["run", "--paths", "3000"]);
    assert!(out.status.success());
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

/// A layer over the final agreement chaining every uncertain input to the next at rank correlation
/// `rho`; returns its path.
fn chain_of_every_input(dir: &std::path::Path, rho: f64) -> String {
    let out = subsoil(&["inputs", "ukraine-final-2025", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let names: Vec<&str> = v["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .map(|i| i["name"].as_str().expect("name"))
        .collect();
    assert!(names.len() > 200, "{} inputs", names.len());
    let mut body = String::from("format-version = 1\nextends = \"ukraine-final-2025\"\n");
    for w in names.windows(2) {
        body.push_str(&format!(
            "\n[[input-correlations]]\na = \"{}\"\nb = \"{}\"\nrho = {rho}\n",
            w[0], w[1]
        ));
    }
    let path = dir.join(format!("chain-{rho}.toml"));
    std::fs::write(&path, body).expect("write");
    path.to_str().expect("utf-8").to_string()
}

#[test]
fn a_chain_of_correlations_over_every_input_checks_and_runs() {
    let dir = common::scratch("chain");
    let f = chain_of_every_input(&dir, 0.3);
    let out = subsoil(&["check", &f]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let start = Instant::now();
    let out = subsoil(&["run", &f, "--paths", "50", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // Nothing is asserted about time (machines differ); the run is reported for the record.
    eprintln!("run --paths 50 over a chain of every input: {:?}", start.elapsed());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_long_inconsistent_chain_is_refused_by_check_as_by_run() {
    let dir = common::scratch("chain-bad");
    // Normal correlation 0.81 between neighbours of a chain of 400: not positive definite.
    let f = chain_of_every_input(&dir, 0.8);
    for args in [vec!["check", f.as_str()], vec!["run", f.as_str(), "--paths", "50"]] {
        let out = subsoil(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
        assert!(out.stdout.is_empty(), "{args:?}");
        let err = text(&out.stderr);
        assert!(err.contains("chain-0.8.toml:4:1: input-correlations[0]"), "{err}");
        assert!(err.contains("a repair is attempted for at most 200 inputs"), "{err}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn runs_at_the_edges_end_well() {
    for args in [
        &["run", "--paths", "1"][..],
        &["run", "--paths", "1", "--format", "json"],
        &["run", "--paths", "50", "--set", "time.horizon-years=1"],
        &["run", "--paths", "50", "--set", "time.horizon-years=1", "--format", "json"],
        &["run", "--paths", "50", "--set", "deal.contributions=[]"],
        &[
            "run",
            "--paths",
            "50",
            "--set",
            "time.horizon-years=3",
            "--set",
            "deal.lock-up-until=2040",
        ],
        &["compare", "ukraine-feb-2025-draft", "ukraine-final-2025", "--paths", "1"],
    ] {
        let out = subsoil(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out.stderr));
        assert!(!out.stdout.is_empty(), "{args:?}");
        if args.contains(&"json") {
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
            assert!(v["metrics"].is_object(), "{args:?}");
        }
    }
    let out = subsoil(&["run", "--paths", "1"]);
    assert!(text(&out.stdout).contains("Monte Carlo, 1 path\n"), "{}", text(&out.stdout));
    // A zero price is refused where it is written.
    let out =
        subsoil(&["check", "--set", "products.lithium-spodumene.price=0", "ukraine-final-2025"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--set:1:"), "{}", text(&out.stderr));
}
