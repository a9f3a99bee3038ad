//! `subsoil claims`: every claim of the built-in claims file judged on its statistic (see
//! `subsoil_engine::claims`), as a table, JSON or the Markdown of `docs/findings.md`.

use std::process::ExitCode;

use clap::{Args, ValueEnum};
use serde::Serialize;
use subsoil_engine::claims::{ClaimResult, ClaimsError, Side, Verdict, decides};
use subsoil_engine::metrics::METRICS;
use subsoil_engine::{RunConfig, Unit};
use subsoil_scenario::claims::{Holds, Statistic};

use crate::run::print_json;
use crate::table::{Align, Table};
use crate::{EXIT_BAD_INPUT, output, style};

/// Output formats of `subsoil claims`.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ClaimsFormat {
    /// A readable table.
    Table,
    /// One JSON object.
    Json,
    /// Markdown, as in docs/findings.md.
    Markdown,
}

/// Arguments of `subsoil claims`.
#[derive(Args, Debug)]
pub struct ClaimsArgs {
    /// Monte Carlo paths of every run.
    #[arg(long, value_name = "N", default_value_t = 2_000, value_parser = clap::value_parser!(u64).range(1..=crate::run::MAX_PATHS))]
    pub paths: u64,
    /// Seed of every random number: the same seed gives the same verdicts and numbers.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Worker threads (0 = every core). The output does not depend on it.
    #[arg(long, value_name = "T", default_value_t = 0)]
    pub threads: usize,
    /// Override a field of every scenario the claims are judged under (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,
    /// Judge only the claims with these ids (repeatable).
    #[arg(long = "only", value_name = "ID")]
    pub only: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ClaimsFormat::Table)]
    pub format: ClaimsFormat,
}

/// Runs `subsoil claims`.
pub fn run(args: &ClaimsArgs) -> ExitCode {
    let all = match subsoil_scenario::claims::builtin() {
        Ok(c) => c,
        Err(e) => {
            output::stderr(&format!("error: {e}\n"));
            return ExitCode::FAILURE;
        }
    };
    let unknown: Vec<&String> =
        args.only.iter().filter(|id| !all.iter().any(|c| &c.id == *id)).collect();
    if !unknown.is_empty() {
        let ids: Vec<&str> = all.iter().map(|c| c.id.as_str()).collect();
        output::stderr(&format!(
            "error: no claim {}; the claims are: {}\n",
            unknown.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", "),
            ids.join(", ")
        ));
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    let claims: Vec<_> =
        all.into_iter().filter(|c| args.only.is_empty() || args.only.contains(&c.id)).collect();
    let config = RunConfig { threads: args.threads, ..RunConfig::new(args.paths, args.seed) };
    let results = match subsoil_engine::claims::judge(&claims, &args.sets, &config, &|_, _| {}) {
        Ok(r) => r,
        Err(e) => {
            output::stderr(&format!("error: {e}\n"));
            return match e {
                ClaimsError::Claim(_) => ExitCode::FAILURE,
                ClaimsError::Run(subsoil_engine::RunError::Threads(_)) => ExitCode::FAILURE,
                _ => ExitCode::from(EXIT_BAD_INPUT),
            };
        }
    };
    match args.format {
        ClaimsFormat::Json => print_json(&json(args, &results)),
        ClaimsFormat::Table => output::stdout(&table(args, &results)),
        ClaimsFormat::Markdown => output::stdout(&markdown(args, &results)),
    }
}

/// The command that reproduces the output (`--threads` left out: it changes nothing).
pub fn command(args: &ClaimsArgs, format: &str) -> String {
    let mut words = vec![
        "subsoil claims".to_string(),
        format!("--paths {}", args.paths),
        format!("--seed {}", args.seed),
    ];
    for s in &args.sets {
        words.push(format!("--set {}", crate::save::shell_word(s)));
    }
    for id in &args.only {
        words.push(format!("--only {id}"));
    }
    words.push(format!("--format {format}"));
    words.join(" ")
}

// ----- numbers -----

/// How a statistic's numbers are written.
#[derive(Clone, Copy)]
enum Kind {
    Percent,
    /// A difference of two probabilities, in percentage points.
    Points,
    Money,
    Count,
}

fn kind(stat: &Statistic, value: f64) -> Kind {
    let unit = |name: &str| METRICS.iter().find(|m| m.name == name).map(|m| m.unit);
    match stat {
        Statistic::Mean(m) | Statistic::DifferenceMean(m) => match unit(m) {
            Some(Unit::RealUsd | Unit::NominalUsd) => Kind::Money,
            Some(Unit::Projects) => Kind::Count,
            _ => Kind::Percent,
        },
        Statistic::DifferenceProbability(_) => Kind::Points,
        Statistic::Fact { .. } if value.abs() >= 1e6 => Kind::Money,
        _ => Kind::Percent,
    }
}

fn number(k: Kind, x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    match k {
        Kind::Percent => format!("{}%", crate::outputs::significant3(x * 100.0)),
        Kind::Points => format!("{} pp", crate::outputs::significant3(x * 100.0)),
        Kind::Money if x < 0.0 => format!("-${}bn", crate::outputs::significant3(-x / 1e9)),
        Kind::Money => format!("${}bn", crate::outputs::significant3(x / 1e9)),
        Kind::Count => crate::outputs::significant3(x),
    }
}

fn also_number(spec: &str, x: f64) -> String {
    let metric = spec.split_once(':').map_or(spec, |(_, m)| m);
    number(kind(&Statistic::Mean(metric.to_string()), x), x)
}

fn threshold(r: &ClaimResult) -> String {
    let k = |x: f64| number(kind(&r.claim.statistic, x), x);
    match r.claim.holds {
        Holds::Above(t) => format!("holds above {}", k(t)),
        Holds::Below(t) => format!("holds below {}", k(t)),
        Holds::Between(a, b) => format!("holds within {} – {}", k(a), k(b)),
        Holds::Untested => "—".into(),
    }
}

fn side(s: Side) -> &'static str {
    match s {
        Side::Holds => "holds",
        Side::Fails => "fails",
        Side::Unclear => "unclear",
    }
}

/// `value [lo, hi]`, or the value alone for a fact.
fn interval(r: &ClaimResult, j: &subsoil_engine::claims::Judged) -> String {
    let i = j.interval;
    let k = kind(&r.claim.statistic, i.value);
    if i.lo == i.hi {
        number(k, i.value)
    } else {
        format!("{} [{}, {}]", number(k, i.value), number(k, i.lo), number(k, i.hi))
    }
}

fn swing_line(r: &ClaimResult, s: &subsoil_engine::claims::Swing) -> String {
    let k = kind(&r.claim.statistic, s.at_p10);
    format!(
        "{} under {}: {} at its P10, {} at its P90{}",
        s.input,
        s.scenario,
        number(k, s.at_p10),
        number(k, s.at_p90),
        if decides(&r.claim.holds, s) { " (decides it)" } else { "" }
    )
}

// ----- table -----

fn table(args: &ClaimsArgs, results: &[ClaimResult]) -> String {
    let mut out = style::bold(&format!(
        "Claims from the public debate, each judged on its statistic — Monte Carlo, {} paths a run, seed {}",
        args.paths, args.seed
    ));
    out.push('\n');
    out.push_str(&style::dim(&crate::compare::wrap(
        "Supported or contradicted: the statistic's 95% interval lies on one side of the threshold under every \
         scenario named; otherwise the verdict depends on the scenario or on the inputs that decide it (with \
         the input at its 10th and at its 90th percentile the intervals lie on opposite sides of the \
         threshold), or, when none does, it is not settled at this many paths. Facts are read from the data \
         files. Differences of probabilities are in percentage points (pp). Sources, reasons and swings with \
         --format markdown or json.",
        crate::compare::TABLE_WIDTH,
    )));
    out.push_str("\n\n");
    let mut t = Table::new(&[
        ("claim: statistic", Align::Left),
        ("scenario", Align::Left),
        ("estimate [95%]", Align::Right),
        ("threshold → verdict", Align::Left),
    ]);
    for r in results {
        t.row(vec![
            r.claim.id.clone(),
            String::new(),
            String::new(),
            format!("→ {}", r.verdict.label()),
        ]);
        let stat = format!("  {}", r.claim.statistic.written());
        if r.judged.is_empty() {
            t.row(vec![stat.clone(), "—".into(), "—".into(), threshold(r)]);
        }
        for (n, j) in r.judged.iter().enumerate() {
            let (head, th) =
                if n == 0 { (stat.clone(), threshold(r)) } else { (String::new(), String::new()) };
            t.row(vec![head, j.scenario.clone(), interval(r, j), th]);
        }
    }
    out.push_str(&t.render());
    let count = |f: &dyn Fn(&Verdict) -> bool| results.iter().filter(|r| f(&r.verdict)).count();
    out.push_str(&format!(
        "{} claims: {} supported, {} contradicted, {} depend on the scenario or inputs, {} not settled, {} \
         not tested.\n",
        results.len(),
        count(&|v| *v == Verdict::Supported),
        count(&|v| *v == Verdict::Contradicted),
        count(&|v| matches!(v, Verdict::DependsOn { .. })),
        count(&|v| matches!(v, Verdict::Unsettled { .. })),
        count(&|v| *v == Verdict::Untested),
    ));
    out
}

// ----- markdown -----

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn markdown(args: &ClaimsArgs, results: &[ClaimResult]) -> String {
    let mut out = String::from("# Findings: the claims of the public debate, judged\n\n");
    out.push_str(&format!(
        "Generated by `{}` (subsoil {}); regenerate with `tools/findings.sh`. Do not edit by hand: every \
         number below comes from that command, and `cargo test --release -p subsoil-cli --test claims_cmd` \
         fails when this file differs from its output.\n\n",
        command(args, "markdown"),
        env!("CARGO_PKG_VERSION")
    ));
    out.push_str(
        "Each claim from `../shared/data/claims.md` is encoded in `data/claims.toml` as a statistic, a \
         threshold with its reason, and the scenarios it is judged under. A verdict is computed, never \
         written: **supported** or **contradicted** when the statistic's 95% interval lies on one side of \
         the threshold under every scenario named; otherwise **depends on** the scenario (when the sides \
         differ) or on the inputs that decide it: each input is fixed at its 10th, then its 90th \
         percentile, on common random numbers, and decides the claim when the statistic's two 95% \
         intervals lie on opposite sides of the threshold. When the interval straddles the threshold and \
         no input decides it, the claim is **not settled** at this many paths. Facts are checked against \
         the data files and carry no Monte Carlo error. Money is in real 2026 US dollars unless a metric \
         is nominal; differences of probabilities are in percentage points (pp).\n\n",
    );
    out.push_str("| claim | verdict |\n|---|---|\n");
    for r in results {
        out.push_str(&format!(
            "| [{}](#{}) {} | {} |\n",
            r.claim.id,
            anchor(&r.claim.id),
            cell(&r.claim.claim),
            cell(&r.verdict.label())
        ));
    }
    for r in results {
        out.push_str(&format!("\n## {}\n\n", r.claim.id));
        out.push_str(&format!("> {}\n\n", r.claim.claim));
        out.push_str(&format!("- Source: {}\n", r.claim.source));
        out.push_str(&format!("- Statistic: {}\n", r.claim.statistic.written()));
        if !r.claim.sets.is_empty() {
            out.push_str(&format!("- With: `{}`\n", r.claim.sets.join("`, `")));
        }
        if !r.claim.versus.is_empty() {
            out.push_str(&format!("- Against: `{}`\n", r.claim.versus.join("`, `")));
        }
        out.push_str(&format!("- Threshold: {} — {}\n", threshold(r), r.claim.reason));
        out.push_str(&format!("- **Verdict: {}**\n", r.verdict.label()));
        if !r.judged.is_empty() {
            out.push_str("\n| scenario | estimate [95% interval] | side |");
            let also: Vec<&str> = r.claim.also.iter().map(String::as_str).collect();
            for a in &also {
                out.push_str(&format!(" {a} |"));
            }
            out.push_str("\n|---|---|---|");
            for _ in &also {
                out.push_str("---|");
            }
            out.push('\n');
            for j in &r.judged {
                out.push_str(&format!(
                    "| {} | {} | {} |",
                    j.scenario,
                    interval(r, j),
                    side(j.side)
                ));
                for (spec, v) in &j.also {
                    out.push_str(&format!(" {} |", also_number(spec, *v)));
                }
                out.push('\n');
            }
        }
        if !r.swings.is_empty() {
            out.push_str(
                "\nSwings where the interval straddles the threshold (an input decides the claim when \
                 both ends are clear of it on opposite sides):\n\n",
            );
            for s in &r.swings {
                out.push_str(&format!("- {}\n", swing_line(r, s)));
            }
        }
    }
    out
}

/// GitHub's anchor of a heading.
fn anchor(id: &str) -> String {
    id.chars().filter(|c| c.is_alphanumeric() || *c == '-').collect::<String>().to_lowercase()
}

// ----- JSON -----

#[derive(Serialize)]
struct Json<'a> {
    subsoil_version: &'static str,
    command: String,
    paths: u64,
    seed: u64,
    sets: &'a [String],
    claims: Vec<ClaimJson<'a>>,
}

#[derive(Serialize)]
struct ClaimJson<'a> {
    id: &'a str,
    claim: &'a str,
    source: &'a str,
    statistic: String,
    threshold: String,
    reason: &'a str,
    verdict: String,
    judged: Vec<JudgedJson<'a>>,
    swings: Vec<SwingJson<'a>>,
}

#[derive(Serialize)]
struct JudgedJson<'a> {
    scenario: &'a str,
    value: f64,
    ci95: [f64; 2],
    side: &'static str,
    also: std::collections::BTreeMap<&'a str, f64>,
}

#[derive(Serialize)]
struct SwingJson<'a> {
    scenario: &'a str,
    input: &'a str,
    at_p10: f64,
    at_p90: f64,
    ci95_at_p10: [f64; 2],
    ci95_at_p90: [f64; 2],
    decides: bool,
}

fn json<'a>(args: &'a ClaimsArgs, results: &'a [ClaimResult]) -> Json<'a> {
    Json {
        subsoil_version: env!("CARGO_PKG_VERSION"),
        command: command(args, "json"),
        paths: args.paths,
        seed: args.seed,
        sets: &args.sets,
        claims: results
            .iter()
            .map(|r| ClaimJson {
                id: &r.claim.id,
                claim: &r.claim.claim,
                source: &r.claim.source,
                statistic: r.claim.statistic.written(),
                threshold: threshold(r),
                reason: &r.claim.reason,
                verdict: r.verdict.label(),
                judged: r
                    .judged
                    .iter()
                    .map(|j| JudgedJson {
                        scenario: &j.scenario,
                        value: j.interval.value,
                        ci95: [j.interval.lo, j.interval.hi],
                        side: side(j.side),
                        also: j.also.iter().map(|(k, v)| (k.as_str(), *v)).collect(),
                    })
                    .collect(),
                swings: r
                    .swings
                    .iter()
                    .map(|s| SwingJson {
                        scenario: &s.scenario,
                        input: &s.input,
                        at_p10: s.at_p10,
                        at_p90: s.at_p90,
                        ci95_at_p10: s.ci95_p10,
                        ci95_at_p90: s.ci95_p90,
                        decides: decides(&r.claim.holds, s),
                    })
                    .collect(),
            })
            .collect(),
    }
}
