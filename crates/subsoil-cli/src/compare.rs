//! `subsoil compare`: several scenarios on common random numbers, side by side, with paired differences
//! from the first.

use std::process::ExitCode;

use clap::Args;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use subsoil_engine::metrics::Metric;
use subsoil_engine::{
    CompareResult, Difference, Differences, EVENTS, METRICS, PROBABILITIES, RunHeader, RunResult,
    Section,
};
use subsoil_scenario::Scenario;

use crate::outputs::{STATISTICS, Shown, how_run, median_year, points};
use crate::run::{McArgs, Progress, print_json};
use crate::table::{Align, Table};
use crate::{EXIT_BAD_INPUT, Format, output, style};

/// Arguments of `subsoil compare`.
#[derive(Args, Debug)]
pub struct CompareArgs {
    /// Built-in scenario names or scenario files; differences are taken from the first.
    #[arg(required = true, num_args = 2.., value_name = "SCENARIO")]
    pub scenarios: Vec<String>,
    /// Override a field of every scenario: `path.to.field=value` (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// In the table: every statistic and the paired differences, not only the means (a wide table).
    #[arg(long)]
    pub details: bool,
    /// Share the difference of every output between two scenarios among the terms in which they differ
    /// (top-level `[deal]` keys, whole arrays such as `[[deal.tiers]]`, sections outside the deal): the
    /// exact Shapley value over all 2^terms mixtures, on common random numbers, at most 10 terms.
    #[arg(long, conflicts_with = "details")]
    pub explain: bool,
    /// How the Monte Carlo paths run.
    #[command(flatten)]
    pub mc: McArgs,
    /// Also write the results as files into the folder DIR (summary.json, report.html, CSV tables).
    #[command(flatten)]
    pub out: crate::run::OutArgs,
    /// Run only shard I of N (blocks I, I+N, … of every scenario) and write its mergeable state,
    /// shard.json, into the folder given with --out; `subsoil merge` joins the shards.
    #[arg(long, value_name = "I/N", requires = "dir")]
    pub shard: Option<subsoil_engine::Shard>,
    /// Also report every statistic conditional on each value of a discrete uncertain input (e.g.
    /// `deal.credits[0].per-year`): each scenario as it is, followed by one column per value with the
    /// input fixed there, all on common random numbers (as `run --by`).
    #[arg(long, value_name = "INPUT", conflicts_with_all = ["explain", "shard"])]
    pub by: Option<String>,
}

/// The command that reproduces the comparison of `args` (without `--out` and `--threads`).
pub fn command(args: &CompareArgs) -> String {
    use crate::save::shell_word;
    let mut words = vec!["subsoil".to_string(), "compare".to_string()];
    words.extend(args.scenarios.iter().map(|s| shell_word(s)));
    words.extend(crate::run::mc_words(&args.mc));
    if let Some(input) = &args.by {
        words.push("--by".into());
        words.push(shell_word(input));
    }
    for set in &args.sets {
        words.push("--set".into());
        words.push(shell_word(set));
    }
    words.join(" ")
}

/// `metrics.csv` of a comparison: a tidy table, one row per scenario, output and statistic; paired
/// differences from the first scenario under `difference-from-first`.
fn metrics_csv(scenarios: &[Scenario], r: &CompareResult) -> String {
    use std::fmt::Write as _;
    let num = |x: f64| if x.is_finite() { x.to_string() } else { String::new() };
    let mut out = String::from("scenario,kind,output,unit,statistic,value\n");
    for (s, run) in scenarios.iter().zip(&r.runs) {
        let name = crate::save::csv(&s.name);
        for m in &run.metrics {
            let d = &m.stats;
            let stats = [
                ("mean", d.mean),
                ("se", d.se),
                ("sd", d.sd),
                ("p5", d.p5),
                ("p10", d.p10),
                ("p25", d.p25),
                ("p50", d.p50),
                ("p75", d.p75),
                ("p90", d.p90),
                ("p95", d.p95),
            ];
            for (stat, v) in stats {
                let unit = crate::save::csv(m.unit.name());
                let _ = writeln!(out, "{name},metric,{},{unit},{stat},{}", m.name, num(v));
            }
        }
        for p in &run.probabilities {
            let c = &p.chance;
            for (stat, v) in
                [("p", c.p), ("se", c.se), ("ci95_low", c.ci95[0]), ("ci95_high", c.ci95[1])]
            {
                let _ = writeln!(out, "{name},probability,{},fraction,{stat},{}", p.name, num(v));
            }
        }
        for e in &run.events {
            let c = &e.curve.by_horizon;
            for (stat, v) in
                [("p", c.p), ("se", c.se), ("ci95_low", c.ci95[0]), ("ci95_high", c.ci95[1])]
            {
                let _ =
                    writeln!(out, "{name},event-by-horizon,{},fraction,{stat},{}", e.name, num(v));
            }
        }
    }
    out
}

/// `inputs.csv` of a comparison: every scenario's uncertain inputs, with the scenario's name first.
fn inputs_csv(scenarios: &[Scenario]) -> String {
    let mut out = format!("scenario,{}", crate::save::INPUTS_HEADER);
    for s in scenarios {
        crate::save::inputs_csv_rows(&mut out, &crate::save::input_rows(s), Some(&s.name));
    }
    out
}

/// Runs `subsoil compare`.
pub fn run(args: &CompareArgs) -> ExitCode {
    if args.explain && args.shard.is_some() {
        output::stderr("error: --shard does not combine with --explain\n");
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    if args.explain {
        return crate::explain::run(args);
    }
    let mut scenarios = Vec::with_capacity(args.scenarios.len());
    let mut bad = false;
    for name in &args.scenarios {
        match subsoil_scenario::load(name, &args.sets) {
            Ok(s) => scenarios.push(s),
            Err(e) => {
                bad = true;
                output::stderr(&e.render());
            }
        }
    }
    if bad {
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    match &args.by {
        Some(input) => by_case(args, scenarios, input),
        None => run_scenarios(args, scenarios),
    }
}

/// `compare --by INPUT`: each scenario as it is (every case mixed by its probability), followed by one
/// column per value of the discrete input with the input fixed there, all on common random numbers;
/// differences are taken from the first scenario as it is.
fn by_case(args: &CompareArgs, given: Vec<Scenario>, input: &str) -> ExitCode {
    if !given.iter().any(|s| s.inputs.list.iter().any(|i| i.name == input)) {
        output::stderr(&format!(
            "error: {input:?} is an uncertain input of none of the scenarios (`subsoil inputs SCENARIO` lists them)\n"
        ));
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    let mut scenarios = Vec::new();
    for (name, mut all) in args.scenarios.iter().zip(given) {
        // A scenario without the input does not depend on it: it is shown as it is, once.
        if !all.inputs.list.iter().any(|i| i.name == input) {
            scenarios.push(all);
            continue;
        }
        let cases = match crate::run::cases_of(&all, input, name) {
            Ok(c) => c,
            Err(msg) => {
                output::stderr(&format!("error: {msg}\n"));
                return ExitCode::from(EXIT_BAD_INPUT);
            }
        };
        let short = all.name.strip_prefix("ukraine-").unwrap_or(&all.name).to_string();
        let title = all.title.clone();
        all.title = format!("{title}: every value of {input}, mixed by its probability");
        let mut split = Vec::with_capacity(cases.len());
        for (value, p) in &cases {
            let mut sets = args.sets.clone();
            sets.push(format!("{input}={value}"));
            match subsoil_scenario::load(name, &sets) {
                Ok(mut s) => {
                    let v = subsoil_scenario::quantity::fmt_num(*value);
                    s.name = format!("{short} {v} ({:.0}%)", p * 100.0);
                    s.title = format!("{title} with {input} = {v}");
                    split.push(s);
                }
                Err(e) => {
                    output::stderr(&e.render());
                    return ExitCode::from(EXIT_BAD_INPUT);
                }
            }
        }
        scenarios.push(all);
        scenarios.extend(split);
    }
    run_scenarios(args, scenarios)
}

/// Runs loaded `scenarios` on common random numbers as `args` says (their names label the columns).
pub fn run_scenarios(args: &CompareArgs, scenarios: Vec<Scenario>) -> ExitCode {
    if args.out.per_path {
        output::stderr("error: --per-path is for `subsoil run` (one scenario's paths)\n");
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    if let Some(shard) = args.shard {
        return crate::shard::compare(args, &scenarios, shard);
    }
    let staging = match args.out.begin() {
        Ok(s) => s,
        Err(code) => return code,
    };
    let config = args.mc.config();
    let progress = Progress::new(args.mc.paths, config.threads);
    let refs: Vec<&Scenario> = scenarios.iter().collect();
    let outcome = subsoil_engine::compare_observed(&refs, &config, &|n| progress.advance(n));
    progress.finish();
    let result = match outcome {
        Ok(r) => r,
        Err(e) => {
            return crate::run::run_failed(&e);
        }
    };
    let printed = Printed { format: args.format, details: args.details };
    finish(&scenarios, &args.sets, command(args), &result, staging, printed)
}

/// How a comparison is printed.
#[derive(Clone, Copy, Debug)]
pub struct Printed {
    /// Table or JSON.
    pub format: Format,
    /// Every statistic in the table.
    pub details: bool,
}

/// Warns about non-finite outputs, writes the comparison's files into `staging` (summary.json recording
/// `command`, report.html, metrics.csv, inputs.csv) and prints it.
pub fn finish(
    scenarios: &[Scenario],
    sets: &[String],
    command: String,
    result: &CompareResult,
    staging: Option<crate::save::Staging>,
    printed: Printed,
) -> ExitCode {
    for (s, r) in scenarios.iter().zip(&result.runs) {
        let w: Vec<String> = r.warnings().iter().map(|w| format!("{}: {w}", s.name)).collect();
        crate::run::warn(&w);
    }
    if let Some(staging) = staging {
        let summary = json(scenarios, sets, result, Some(command));
        let files = crate::save::json(&summary).and_then(|summary| {
            let report = crate::report::html(&summary)?;
            Ok(vec![
                ("summary.json", summary),
                ("report.html", report),
                ("metrics.csv", metrics_csv(scenarios, result).into_bytes()),
                ("inputs.csv", inputs_csv(scenarios).into_bytes()),
            ])
        });
        if let Err(e) = files.and_then(|f| staging.finish(&f)) {
            return crate::run::save_failed(e);
        }
    }
    match printed.format {
        Format::Json => print_json(&json(scenarios, sets, result, None)),
        Format::Table => output::stdout(&crate::run::in_currency(
            table(scenarios, result, printed.details),
            &scenarios[0],
        )),
    }
}

// ----- JSON -----

/// The JSON `compare --format json` prints (what `subsoil serve` answers too).
pub fn compare_json(
    scenarios: &[Scenario],
    sets: &[String],
    r: &CompareResult,
) -> serde_json::Value {
    serde_json::to_value(json(scenarios, sets, r, None)).unwrap_or_default()
}

#[derive(Serialize)]
struct CompareJson<'a> {
    manifest: Manifest<'a>,
    units: &'static str,
    scenarios: Vec<ScenarioJson<'a>>,
    differences: Vec<DifferencesJson<'a>>,
}

/// How the comparison was made: the run settings shared by every scenario, and each scenario's identity.
#[derive(Serialize)]
struct Manifest<'a> {
    subsoil_version: &'static str,
    mode: &'static str,
    sets: &'a [String],
    #[serde(flatten)]
    run: &'a RunHeader,
    /// In a saved `summary.json` only: the command that reproduces the comparison.
    #[serde(skip_serializing_if = "Option::is_none")]
    command: Option<String>,
    /// The ISO 4217 code of the currency every amount is in (all the scenarios' `macro.currency`).
    currency: &'a str,
    scenarios: Vec<ScenarioId<'a>>,
}

#[derive(Serialize)]
struct ScenarioId<'a> {
    scenario: &'a str,
    title: &'a str,
    scenario_hash: &'a str,
    layers: &'a [String],
    start_year: i32,
    end_year: i32,
    base_year: i32,
    /// In a saved `summary.json` only: the deal's terms and every uncertain input.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    saved: Option<Saved>,
}

/// What a saved comparison records of each scenario.
#[derive(Serialize)]
struct Saved {
    #[serde(skip_serializing_if = "Option::is_none")]
    deal: Option<crate::save::DealTerms>,
    inputs: Vec<crate::save::InputRow>,
}

#[derive(Serialize)]
struct ScenarioJson<'a> {
    scenario: &'a str,
    /// Outputs that were not finite on some paths (absent when there are none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    warnings: Vec<String>,
    metrics: Keyed<'a, subsoil_engine::MetricStats>,
    probabilities: Keyed<'a, subsoil_engine::ProbabilityStats>,
    events: Keyed<'a, subsoil_engine::EventStats>,
}

#[derive(Serialize)]
struct DifferencesJson<'a> {
    scenario: &'a str,
    from: &'a str,
    #[serde(flatten)]
    differences: &'a Differences,
}

/// A list written as a JSON object keyed by each item's name, in list order.
struct Keyed<'a, T>(&'a [T], fn(&T) -> &'static str);

impl<T: Serialize> Serialize for Keyed<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for item in self.0 {
            map.serialize_entry((self.1)(item), item)?;
        }
        map.end()
    }
}

fn json<'a>(
    scenarios: &'a [Scenario],
    sets: &'a [String],
    r: &'a CompareResult,
    command: Option<String>,
) -> CompareJson<'a> {
    let ids = scenarios
        .iter()
        .zip(&r.runs)
        .map(|(s, run)| ScenarioId {
            scenario: &s.name,
            title: &s.title,
            scenario_hash: &s.hash,
            layers: &s.layers,
            start_year: run.header.start_year,
            end_year: run.header.end_year,
            base_year: run.header.base_year,
            saved: command.is_some().then(|| {
                let record = crate::save::record(s, String::new());
                Saved { deal: record.deal, inputs: record.inputs }
            }),
        })
        .collect();
    CompareJson {
        manifest: Manifest {
            subsoil_version: env!("CARGO_PKG_VERSION"),
            mode: "compare",
            sets,
            run: &r.header,
            command,
            currency: scenarios.first().map_or("USD", |s| s.model.currency.as_str()),
            scenarios: ids,
        },
        units: "money in real base-year units of the manifest's currency unless a unit says nominal; rates, probabilities and \
                their differences as fractions",
        scenarios: scenarios
            .iter()
            .zip(&r.runs)
            .map(|(s, run)| ScenarioJson {
                scenario: &s.name,
                warnings: run.warnings(),
                metrics: Keyed(&run.metrics, |m| m.name),
                probabilities: Keyed(&run.probabilities, |p| p.name),
                events: Keyed(&run.events, |e| e.name),
            })
            .collect(),
        differences: r
            .differences
            .iter()
            .map(|d| DifferencesJson {
                scenario: &scenarios[d.scenario].name,
                from: &scenarios[0].name,
                differences: d,
            })
            .collect(),
    }
}

// ----- Table -----

/// Column labels: the scenario names without the part all of them share at the front (`ukraine-…`), and
/// with a position mark where two are the same.
fn labels(scenarios: &[Scenario]) -> Vec<String> {
    let names: Vec<&str> = scenarios.iter().map(|s| s.name.as_str()).collect();
    let first = names[0];
    let mut cut = names.iter().fold(first.len(), |n, name| {
        first.bytes().zip(name.bytes()).take(n).take_while(|(a, b)| a == b).count()
    });
    cut = first[..cut].rfind('-').map_or(0, |i| i + 1);
    let stripped: Vec<&str> = names.iter().map(|n| &n[cut..]).collect();
    let use_stripped = stripped.iter().all(|s| !s.is_empty())
        && stripped.iter().enumerate().all(|(i, s)| !stripped[..i].contains(s));
    let base = if use_stripped { stripped } else { names };
    base.iter()
        .enumerate()
        .map(
            |(i, s)| {
                if base[..i].contains(s) { format!("{s} #{}", i + 1) } else { (*s).to_string() }
            },
        )
        .collect()
}

/// A difference as `+12.3 ± 0.4 (8.9)`: mean, paired standard error, unpaired standard error.
fn difference(d: Option<&Difference>, f: fn(f64) -> String) -> String {
    let Some(d) = d else { return "—".into() };
    let mean = f(d.mean);
    // A "+" only on a difference that shows a digit other than zero.
    let shows = mean.bytes().any(|b| (b'1'..=b'9').contains(&b));
    let sign = if d.mean > 0.0 && shows { "+" } else { "" };
    format!("{sign}{mean} ± {} ({})", f(d.se_paired), f(d.se_unpaired))
}

/// One section of the table: outputs as rows, one column per scenario.
struct Rows<'a> {
    runs: &'a [RunResult],
    diffs: &'a [Differences],
    table: Table,
    /// Whether every statistic is shown (else one line an output: the means).
    details: bool,
}

impl Rows<'_> {
    /// A row: the output's name (or nothing), the statistic, then `cells`.
    fn row(&mut self, head: String, statistic: &str, cells: impl Iterator<Item = String>) {
        let mut row = vec![head, statistic.to_string()];
        row.extend(cells);
        self.table.row(row);
    }

    /// The Δ row: nothing under the first scenario, then each difference from it.
    fn differences(&mut self, statistic: &str, cell: impl Fn(&Differences) -> String) {
        let diffs = self.diffs;
        let cells = std::iter::once(String::new()).chain(diffs.iter().map(cell));
        self.row(String::new(), statistic, cells);
        self.table.row(Vec::new());
    }

    fn metric(&mut self, metric: &Metric) {
        let (runs, name) = (self.runs, metric.name);
        let shown = Shown::new(name, metric.unit);
        let f = shown.number;
        if !self.details {
            let cells = runs.iter().map(|r| {
                r.metric(name)
                    .map_or("—".into(), |m| format!("{} ±{}", f(m.stats.mean), f(m.stats.se)))
            });
            self.table.row(std::iter::once(shown.label.clone()).chain(cells).collect());
            return;
        }
        for (k, (statistic, pick, kind)) in STATISTICS.into_iter().enumerate() {
            let head = if k == 0 { shown.label.clone() } else { String::new() };
            let cells = runs.iter().map(|r| {
                r.metric(name)
                    .map_or("—".into(), |m| shown.statistic(kind, &m.stats, pick(&m.stats)))
            });
            self.row(head, statistic, cells);
        }
        self.differences("Δ mean ± paired (unpaired)", |d| difference(d.metric(name), f));
    }

    fn probability(&mut self, name: &str) {
        let runs = self.runs;
        // As `run` writes it: the estimate and its interval, or a bound when no path or every path
        // has the event.
        let cells =
            runs.iter().map(|r| r.probability(name).map_or("—".into(), |p| p.chance.display()));
        if !self.details {
            self.table.row(std::iter::once(format!("P({name})")).chain(cells).collect());
            return;
        }
        self.row(format!("P({name})"), "estimate [95%]", cells);
        self.differences("Δ pp ± paired (unpaired)", |d| difference(d.probability(name), points));
    }

    fn event(&mut self, name: &str) {
        let runs = self.runs;
        let median = |r: &RunResult| {
            r.event(name).map_or("—".into(), |e| median_year(&e.curve, r.header.end_year))
        };
        if !self.details {
            self.table.row(
                std::iter::once(format!("{name}: median year"))
                    .chain(runs.iter().map(median))
                    .collect(),
            );
            return;
        }
        self.row(name.to_string(), "median year [95%]", runs.iter().map(median));
        let by = runs
            .iter()
            .map(|r| r.event(name).map_or("—".into(), |e| e.curve.by_horizon.display()));
        self.row(String::new(), "P(by the last year)", by);
        self.differences("Δ pp ± paired (unpaired)", |d| difference(d.event(name), points));
    }
}

/// `text` broken into lines of at most `width` characters at spaces.
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let n = word.chars().count();
        if line > 0 && line + 1 + n > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += n;
    }
    out
}

/// Widest line of the compact table, in characters.
pub const TABLE_WIDTH: usize = 120;

fn table(scenarios: &[Scenario], r: &CompareResult, details: bool) -> String {
    let h = &r.header;
    let labels = labels(scenarios);
    let mut out = String::new();
    out.push_str(&style::bold(&format!(
        "Comparison of {} scenarios on common random numbers — Monte Carlo, {}",
        scenarios.len(),
        crate::outputs::paths(h.paths)
    )));
    out.push('\n');
    let note = if details {
        format!(
            "{} Every path runs under each scenario with the same random numbers; Δ is the mean of the \
             per-path differences from {}, ± its standard error, and in brackets the standard error two \
             independent runs would have, sqrt(se_A² + se_B²). Money in millions of {} US dollars unless \
             nominal. — : the output does not apply to the scenario.",
            how_run(h),
            labels[0],
            h.base_year,
        )
    } else {
        format!(
            "{} Every path runs under each scenario with the same random numbers. Means ± their Monte \
             Carlo error; money in millions of {} US dollars unless nominal; — : the output does not \
             apply. Percentiles and the paired differences from {} with --details.",
            how_run(h),
            h.base_year,
            labels[0],
        )
    };
    out.push_str(&style::dim(&if details { note } else { wrap(&note, TABLE_WIDTH) }));
    out.push('\n');
    let width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    for (label, s) in labels.iter().zip(scenarios) {
        let title = if s.title.is_empty() { String::new() } else { format!(": {}", s.title) };
        let pad = " ".repeat(width - label.chars().count());
        let line = format!("  {label}{pad}  {} ({}){title}", s.name, s.hash);
        let line = if details || line.chars().count() <= TABLE_WIDTH {
            line
        } else {
            let mut cut: String = line.chars().take(TABLE_WIDTH - 1).collect();
            cut.push('…');
            cut
        };
        out.push_str(&line);
        out.push('\n');
    }
    out.push('\n');

    // Outputs in registry order, each where at least one scenario reports it.
    let any = |has: &dyn Fn(&RunResult) -> bool| r.runs.iter().any(has);
    for section in [Section::Deal, Section::Projects] {
        let mut columns: Vec<(&str, Align)> = vec![(section.title(), Align::Left)];
        if details {
            columns.push(("", Align::Left));
        }
        columns.extend(labels.iter().map(|l| (l.as_str(), Align::Right)));
        let mut rows =
            Rows { runs: &r.runs, diffs: &r.differences, table: Table::new(&columns), details };
        for m in METRICS.iter().filter(|m| m.section == section) {
            if any(&|run| run.metric(m.name).is_some()) {
                rows.metric(m);
            }
        }
        for p in PROBABILITIES.iter().filter(|p| p.section == section) {
            if any(&|run| run.probability(p.name).is_some()) {
                rows.probability(p.name);
            }
        }
        for e in EVENTS.iter().filter(|e| e.section == section) {
            if any(&|run| run.event(e.name).is_some()) {
                rows.event(e.name);
            }
        }
        out.push_str(&rows.table.render());
    }
    out.push_str(&format!(
        "Probabilities carry 95% Wilson intervals; P(by the last year): the event happens by {}.\n",
        h.end_year
    ));
    out
}
