//! `subsoil sensitivity`: which inputs swing one output: a tornado, rank correlations and grouped
//! variance-based (Sobol) indices.

use std::process::ExitCode;

use clap::{Args, ValueEnum};
use serde::Serialize;
use subsoil_engine::sensitivity::{
    Factors, InputRank, SobolConfig, SobolResult, factors, rank_correlations, sobol,
};
use subsoil_engine::{MetricRef, RunConfig, SensitivityError, Tornado, Unit, tornado_of};
use subsoil_scenario::{FactorGroup, Scenario, builtin};

use crate::outputs::{Shown, significant3};
use crate::run::{Manifest, Progress, print_json};
use crate::table::{Align, Table};
use crate::{EXIT_BAD_INPUT, Format, output, style};

/// Arguments of `subsoil sensitivity`.
#[derive(Args, Debug)]
pub struct SensitivityArgs {
    /// Built-in scenario name or path to a scenario file.
    #[arg(default_value = builtin::DEFAULT_SCENARIO)]
    pub scenario: String,
    /// The output to explain: a scalar metric (its mean) or a probability, named as `subsoil run
    /// --format json` names them.
    #[arg(long, value_name = "NAME")]
    pub metric: String,
    /// Paths of each tornado run and of the rank-correlation run; also the rows of the Sobol design
    /// unless --rows is given.
    #[arg(long, value_name = "N", default_value_t = 1_000, value_parser = clap::value_parser!(u64).range(4..=crate::run::MAX_PATHS))]
    pub paths: u64,
    /// Rows of each of the Sobol design's matrices A and B (the design simulates rows × (factors + 2)
    /// paths).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(4..=crate::run::MAX_PATHS))]
    pub rows: Option<u64>,
    /// Seed of every random number.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Worker threads (0 = every core). The output does not depend on it.
    #[arg(long, value_name = "T", default_value_t = 0)]
    pub threads: usize,
    /// A factor of the Sobol indices: `NAME=PATTERN,PATTERN,...`, where a pattern names inputs and
    /// random streams with `*` for any characters (repeatable; before the scenario's
    /// `[sensitivity.groups]`).
    #[arg(long = "group", value_name = "NAME=PATTERNS")]
    pub groups: Vec<String>,
    /// Bootstrap resamples behind the intervals of the Sobol indices.
    #[arg(long, value_name = "B", default_value_t = 200)]
    pub resamples: usize,
    /// Which analyses to make (comma-separated).
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = [Analysis::Tornado, Analysis::Ranks, Analysis::Sobol])]
    pub analyses: Vec<Analysis>,
    /// Only the inputs matching these patterns in the tornado (`*` for any characters,
    /// comma-separated): two runs per input, so a few inputs give a quick answer on a large scenario.
    #[arg(long, value_name = "PATTERNS", value_delimiter = ',')]
    pub tornado_inputs: Vec<String>,
    /// Rows of the tornado and rank tables (JSON has every input).
    #[arg(long, value_name = "K", default_value_t = 15)]
    pub top: usize,
    /// Override a field: `path.to.field=value` (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// An analysis of `subsoil sensitivity`.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Analysis {
    /// One input at a time at its P10 and P90, on common random numbers.
    Tornado,
    /// Spearman rank correlation of each input with the output over one run.
    Ranks,
    /// Grouped variance-based first-order and total indices.
    Sobol,
}

/// Parses `--group NAME=PATTERN,PATTERN`.
fn parse_group(s: &str) -> Result<FactorGroup, String> {
    let Some((name, patterns)) = s.split_once('=') else {
        return Err(format!("--group {s:?}: expected NAME=PATTERN,PATTERN,..."));
    };
    let name = name.trim();
    let patterns: Vec<String> =
        patterns.split(',').map(str::trim).filter(|p| !p.is_empty()).map(String::from).collect();
    if name.is_empty() || patterns.is_empty() {
        return Err(format!(
            "--group {s:?}: expected NAME=PATTERN,PATTERN,... with a name and at least one pattern"
        ));
    }
    Ok(FactorGroup { name: name.to_string(), patterns })
}

#[derive(Serialize)]
struct Json<'a> {
    manifest: Manifest,
    metric: &'static str,
    /// `mean` of a metric or `probability`.
    statistic: &'static str,
    units: &'static str,
    paths: u64,
    seed: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    tornado: Option<&'a Tornado>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rank_correlations: Option<&'a [InputRank]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sobol: Option<&'a SobolResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    factors: Option<&'a Factors>,
}

/// Runs `subsoil sensitivity`.
pub fn run(args: &SensitivityArgs) -> ExitCode {
    let bad = |msg: String| {
        output::stderr(&format!("error: {msg}\n"));
        ExitCode::from(EXIT_BAD_INPUT)
    };
    let groups = match args.groups.iter().map(|g| parse_group(g)).collect::<Result<Vec<_>, _>>() {
        Ok(g) => g,
        Err(e) => return bad(e),
    };
    let scenario = match subsoil_scenario::load(&args.scenario, &args.sets) {
        Ok(s) => s,
        Err(e) => {
            output::stderr(&e.render());
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    let metric = match MetricRef::find(&scenario.model, &args.metric) {
        Ok(m) => m,
        Err(e) => return bad(e.to_string()),
    };
    // Without uncertain inputs there is nothing to fix at a percentile or to rank; the Sobol
    // indices still share the variance among the random streams.
    let no_inputs = scenario.inputs.list.is_empty();
    let wants = |a: Analysis| {
        args.analyses.contains(&a)
            && match a {
                // A pattern given that matches nothing is refused below.
                Analysis::Tornado => !no_inputs || !args.tornado_inputs.is_empty(),
                Analysis::Ranks => !no_inputs,
                Analysis::Sobol => true,
            }
    };
    let factor_list = if wants(Analysis::Sobol) {
        match factors(&scenario, &groups) {
            // No input and no random stream: nothing to share the variance among.
            Ok(f) if f.list.is_empty() => None,
            Ok(f) => Some(f),
            Err(e) => return bad(e.to_string()),
        }
    } else {
        None
    };
    let config = RunConfig { threads: args.threads, ..RunConfig::new(args.paths, args.seed) };
    let failed = |e: SensitivityError| {
        output::stderr(&format!("error: {e}\n"));
        match e {
            SensitivityError::Run(subsoil_engine::RunError::Threads(_)) => ExitCode::FAILURE,
            _ => ExitCode::from(EXIT_BAD_INPUT),
        }
    };

    let skipped: Vec<&str> = [
        (Analysis::Tornado, !wants(Analysis::Tornado), "a tornado"),
        (Analysis::Ranks, !wants(Analysis::Ranks), "rank correlations"),
        (Analysis::Sobol, factor_list.is_none(), "Sobol indices"),
    ]
    .into_iter()
    .filter(|&(a, skip, _)| skip && args.analyses.contains(&a))
    .map(|(_, _, what)| what)
    .collect();
    let note = (!skipped.is_empty()).then(|| {
        let list = match skipped.as_slice() {
            [one] => (*one).to_string(),
            [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
            [] => String::new(),
        };
        let streams = if factor_list.is_some() {
            "; the Sobol indices share the variance among its random streams"
        } else {
            ""
        };
        format!(
            "{} has no uncertain inputs, so there is nothing to vary for {list}{streams}.",
            scenario.name
        )
    });
    let mut t = None;
    if wants(Analysis::Tornado) {
        let names: Vec<&str> = scenario
            .inputs
            .list
            .iter()
            .map(|i| i.name.as_str())
            .filter(|n| {
                args.tornado_inputs.is_empty()
                    || args.tornado_inputs.iter().any(|p| subsoil_scenario::glob_match(p.trim(), n))
            })
            .collect();
        if names.is_empty() {
            return bad(format!(
                "--tornado-inputs {:?} matches no uncertain input (`subsoil inputs` lists them)",
                args.tornado_inputs.join(",")
            ));
        }
        let progress = Progress::new((names.len() as u64 + 1) * args.paths, config.threads);
        let r = tornado_of(&scenario, &metric, &config, &names, &|n| progress.advance(n));
        progress.finish();
        match r {
            Ok(r) => t = Some(r),
            Err(e) => return failed(e),
        }
    }
    let mut ranks = None;
    if wants(Analysis::Ranks) {
        let progress = Progress::new(args.paths, config.threads);
        let r = rank_correlations(&scenario, &metric, &config, &|n| progress.advance(n));
        progress.finish();
        match r {
            Ok(r) => ranks = Some(r),
            Err(e) => return failed(e),
        }
    }
    let mut indices = None;
    if let Some(f) = &factor_list {
        let rows = args.rows.unwrap_or(args.paths);
        let sc =
            SobolConfig { rows, seed: args.seed, threads: args.threads, resamples: args.resamples };
        let progress = Progress::new(rows, args.threads);
        let r = sobol(&scenario, &metric, f, &sc, &|n| progress.advance(n));
        progress.finish();
        match r {
            Ok(r) => indices = Some(r),
            Err(e) => return failed(e),
        }
    }
    for s in factor_list.iter().flat_map(|f| &f.split) {
        crate::run::warn(&[format!(
            "{} and {} are correlated (ρ = {:.2}) but in different factors ({} and {}): the Sobol \
             indices assume independent factors; put them in one group with --group",
            s.a, s.b, s.rho, s.factor_a, s.factor_b
        )]);
    }
    if let (Some(note), Format::Json) = (&note, args.format) {
        output::stderr(&format!("note: {note}\n"));
    }
    match args.format {
        Format::Json => print_json(&Json {
            manifest: Manifest::new(&scenario, &args.sets, "sensitivity"),
            metric: metric.name(),
            statistic: if metric.is_probability() { "probability" } else { "mean" },
            units: "money in real base-year units of the manifest's currency; probabilities as fractions",
            paths: args.paths,
            seed: args.seed,
            tornado: t.as_ref(),
            rank_correlations: ranks.as_deref(),
            sobol: indices.as_ref(),
            factors: factor_list.as_ref(),
        }),
        Format::Table => output::stdout(&crate::run::in_currency(
            table(
                &scenario,
                args,
                &metric,
                &Found {
                    tornado: t.as_ref(),
                    ranks: ranks.as_deref(),
                    sobol: indices.as_ref(),
                    factors: factor_list.as_ref(),
                    note: note.as_deref(),
                },
            ),
            &scenario,
        )),
    }
}

/// At most `n` characters of `s`, the middle replaced by `…` when it is longer.
fn fit(s: &str, n: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= n {
        return s.to_string();
    }
    let head = (n - 1) / 2;
    let tail = n - 1 - head;
    let mut out: String = chars[..head].iter().collect();
    out.push('…');
    out.extend(&chars[chars.len() - tail..]);
    out
}

/// Widest input or factor name in the tables, so that every table fits in 120 columns.
const NAME: usize = 48;

/// What the analyses found, and a note on those that could not run.
struct Found<'a> {
    tornado: Option<&'a Tornado>,
    ranks: Option<&'a [InputRank]>,
    sobol: Option<&'a SobolResult>,
    factors: Option<&'a Factors>,
    note: Option<&'a str>,
}

fn table(s: &Scenario, args: &SensitivityArgs, metric: &MetricRef, found: &Found<'_>) -> String {
    let Found { tornado, ranks, sobol, factors, note } = *found;
    let (label, number): (String, fn(f64) -> String) = match metric {
        MetricRef::Metric(m) => {
            let shown = Shown::new(m.name, m.unit);
            (shown.label, shown.number)
        }
        MetricRef::Probability(p) => (format!("P({})", p.name), |x: f64| {
            if x.is_finite() { format!("{:.2}%", x * 100.0) } else { "—".into() }
        }),
    };
    let title = if s.title.is_empty() { &s.name } else { &s.title };
    let mut out = style::bold(&format!("{title} — sensitivity of {label}"));
    out.push('\n');
    let money = matches!(metric, MetricRef::Metric(m) if matches!(m.unit, Unit::RealUsd | Unit::NominalUsd));
    let mut runs = String::new();
    if tornado.is_some() || ranks.is_some() {
        runs.push_str(&format!("; {} paths per run", args.paths));
    }
    if let Some(r) = sobol {
        runs.push_str(&format!("; Sobol design of {} rows ({} paths)", r.rows, r.paths));
    }
    out.push_str(&style::dim(&format!(
        "Seed {}, random sampling{runs}.\nScenario {} ({}).{}\n",
        args.seed,
        s.name,
        s.hash,
        if money { "\nMoney in millions of base-year US dollars." } else { "" }
    )));
    if let Some(note) = note {
        let text = crate::compare::wrap(&format!("Note: {note}"), crate::compare::TABLE_WIDTH);
        let rest = text.strip_prefix("Note:").unwrap_or(&text);
        out.push_str(&format!("{}{rest}\n", style::bold("Note:")));
    }
    out.push('\n');
    if let Some(t) = tornado {
        out.push_str(&style::bold(&format!(
            "Tornado: {label} with one input at its P10, then its P90 (common random numbers)"
        )));
        out.push('\n');
        out.push_str(&format!(
            "With every input drawn: {} ± {}\n",
            number(t.base),
            number(t.base_se)
        ));
        let mut tb = Table::new(&[
            ("input", Align::Left),
            ("P10 → P90", Align::Right),
            ("at P10", Align::Right),
            ("at P90", Align::Right),
            ("swing", Align::Right),
            ("± MC error", Align::Right),
        ]);
        for w in t.swings.iter().take(args.top) {
            tb.row(vec![
                fit(&w.input, NAME),
                format!("{} → {}", significant3(w.p10), significant3(w.p90)),
                number(w.at_p10),
                number(w.at_p90),
                number(w.swing),
                number(w.se),
            ]);
        }
        out.push_str(&tb.render());
        let zero = t.swings.iter().filter(|w| w.swing == 0.0).count();
        out.push_str(&style::dim(&format!(
            "{} of {} inputs shown, largest swing first; {zero} move it not at all.\n\n",
            t.swings.len().min(args.top),
            t.swings.len()
        )));
    }
    if let Some(ranks) = ranks {
        out.push_str(&style::bold(&format!(
            "Rank correlations of each input with {label} over {} paths",
            args.paths
        )));
        out.push('\n');
        let mut tb = Table::new(&[
            ("input", Align::Left),
            ("Spearman ρ", Align::Right),
            ("95% interval", Align::Right),
        ]);
        for r in ranks.iter().take(args.top) {
            let ci = if r.rank.rho.is_finite() {
                format!("[{:.3}, {:.3}]", r.rank.ci95[0], r.rank.ci95[1])
            } else {
                "—".into()
            };
            let rho =
                if r.rank.rho.is_finite() { format!("{:.3}", r.rank.rho) } else { "—".into() };
            tb.row(vec![fit(&r.input, NAME), rho, ci]);
        }
        out.push_str(&tb.render());
        out.push_str(&style::dim(&format!(
            "{} of {} inputs shown, largest |ρ| first; — where the input or the output does not vary.\n\n",
            ranks.len().min(args.top),
            ranks.len()
        )));
    }
    if let Some(r) = sobol {
        out.push_str(&style::bold(&format!(
            "Sobol indices of {label}: {} rows, {} paths, {} bootstrap resamples",
            r.rows, r.paths, r.resamples
        )));
        out.push('\n');
        out.push_str(&format!(
            "Variance {}; mean {} over the rows of A and B.\n",
            if money {
                significant3(r.variance / 1e12) + " ($m)²"
            } else {
                significant3(r.variance)
            },
            number(r.mean)
        ));
        let mut tb = Table::new(&[
            ("factor", Align::Left),
            ("inputs", Align::Right),
            ("streams", Align::Right),
            ("first order [95%]", Align::Right),
            ("total [95%]", Align::Right),
        ]);
        let idx = |x: f64, ci: [f64; 2]| {
            if !x.is_finite() {
                return "—".to_string();
            }
            if ci[0].is_finite() {
                format!("{x:.3} [{:.3}, {:.3}]", ci[0], ci[1])
            } else {
                format!("{x:.3}")
            }
        };
        for f in &r.factors {
            let name =
                if f.declared { format!("{} (declared)", f.factor) } else { f.factor.clone() };
            tb.row(vec![
                fit(&name, NAME),
                f.inputs.to_string(),
                f.streams.to_string(),
                idx(f.index.first, f.index.first_ci95),
                idx(f.index.total, f.index.total_ci95),
            ]);
        }
        out.push_str(&tb.render());
        out.push_str(&style::dim(
            "First order: the share of the variance a factor explains alone; total: the share it takes part\n\
             in, alone or with others. Factors are groups of inputs and random streams (--group NAME=PATTERNS\n\
             or [sensitivity.groups]); their members with --format json.\n",
        ));
        if let Some(f) = factors
            && !f.split.is_empty()
        {
            out.push_str(&format!(
                "{} {} correlated pair(s) of inputs or price shocks lie in different factors; the indices\n\
                 assume independent factors (see the warnings).\n",
                style::bold("Note:"),
                f.split.len()
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_parse_and_long_names_keep_both_ends() {
        let g = parse_group("market=products.copper.*, *.capacity").expect("valid");
        assert_eq!(g.name, "market");
        assert_eq!(g.patterns, ["products.copper.*", "*.capacity"]);
        assert!(parse_group("market").is_err());
        assert!(parse_group("=x").is_err());
        assert!(parse_group("m=").is_err());
        assert_eq!(fit("abcdefghij", 5), "ab…ij");
        assert_eq!(fit("abc", 5), "abc");
        assert_eq!(fit("abcdefghij", 6).chars().count(), 6);
    }
}
