//! `subsoil run`.

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use subsoil_engine::grouped;

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use subsoil_core::BaseCase as Medians;
use subsoil_engine::base_case::DealSummary;
use subsoil_engine::{
    BaseCase, Chance, RunConfig, RunHeader, RunResult, SamplerKind, Unit, base_case,
};
use subsoil_scenario::{Scenario, builtin};

use crate::outputs::{Kind, STATISTICS, Shown, how_run, median_year};
use crate::table::{Align, Table, musd, pct};
use crate::{EXIT_BAD_INPUT, output, style};

/// The cap on paths of `run --until-se` without `--paths` (the default 10,000 is fewer than the 4 blocks
/// of 4,096 the rule runs before it may stop).
pub const UNTIL_SE_PATHS: u64 = 1_000_000;

/// Arguments of `subsoil run`.
#[derive(Args, Debug)]
pub struct RunArgs {
    /// Built-in scenario name or path to a scenario file.
    #[arg(default_value = builtin::DEFAULT_SCENARIO)]
    pub scenario: String,
    /// The base case: every distribution at its median, no yearly random events, median price paths.
    #[arg(long)]
    pub deterministic: bool,
    /// Override a field: `path.to.field=value` (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,
    /// Output format (`csv` with `--yearly` only).
    #[arg(long, value_enum, default_value_t = RunFormat::Table)]
    pub format: RunFormat,
    /// With --deterministic: every year of every project, of the state's receipts and of the fund.
    #[arg(long)]
    pub yearly: bool,
    /// Report every statistic for each value of this discrete uncertain input (as `subsoil inputs`
    /// names it), beside the mixture of all of them, on common random numbers.
    #[arg(long, value_name = "INPUT")]
    pub by: Option<String>,
    /// Run only shard I of N (blocks I, I+N, I+2N, … of the run) and write its mergeable state,
    /// shard.json, into the folder given with --out; `subsoil merge` joins the shards' folders into
    /// the output of the whole run.
    #[arg(long, value_name = "I/N", requires = "dir")]
    pub shard: Option<subsoil_engine::Shard>,
    /// Add blocks of 4,096 paths until the standard error of METRIC's mean (in its unit: dollars for
    /// money) or of a probability (a fraction, or a percentage with `%`) is at most TOL, after at least
    /// 4 blocks; --paths is the cap (1,000,000 when not given). Says how many paths it took.
    #[arg(long, value_name = "METRIC=TOL")]
    pub until_se: Option<String>,
    /// Run the same paths with the deal removed and report what the deal itself causes: projects
    /// built only because the fund co-invests, receipts that exist only because of the deal, and the
    /// host's net position.
    #[arg(long, value_enum, value_name = "CASE", conflicts_with_all = ["deterministic", "by"])]
    pub counterfactual: Option<Counterfactual>,
    /// How the Monte Carlo paths run.
    #[command(flatten)]
    pub mc: McArgs,
    /// Also write the results as files into the folder DIR (summary.json, CSV tables, report.html).
    #[command(flatten)]
    pub out: OutArgs,
}

/// Parses `--until-se METRIC=TOL` against the outputs of `s`.
fn parse_until_se(s: &Scenario, spec: &str) -> Result<(subsoil_engine::MetricRef, f64), String> {
    let Some((name, tol)) = spec.split_once('=') else {
        return Err(format!(
            "--until-se {spec:?}: expected METRIC=TOL, e.g. partner-receipts=5e8 or partner-aid-repaid=0.5%"
        ));
    };
    let metric = subsoil_engine::MetricRef::find(&s.model, name.trim())
        .map_err(|e| format!("--until-se: {e}"))?;
    let tol = tol.trim();
    let (number, scale) = match tol.strip_suffix('%') {
        Some(n) if metric.is_probability() => (n, 0.01),
        Some(_) => {
            return Err(format!(
                "--until-se: a percentage tolerance is for a probability; `{}` is a metric, give its \
                 tolerance in its unit",
                metric.name()
            ));
        }
        None => (tol, 1.0),
    };
    match number.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 => Ok((metric, x * scale)),
        _ => Err(format!("--until-se: tolerance {tol:?} is not a positive number")),
    }
}

/// `--out DIR` and `--force`, shared by `run` and `compare`.
#[derive(Args, Debug, Clone)]
pub struct OutArgs {
    /// Write the results into the folder DIR as well: it appears only once every file is complete.
    #[arg(long = "out", value_name = "DIR")]
    pub dir: Option<std::path::PathBuf>,
    /// With --out: replace DIR if it exists and is not empty.
    #[arg(long, requires = "dir")]
    pub force: bool,
    /// With --out, for a Monte Carlo run: also paths.parquet, one row per path with its sampled inputs
    /// and its scalar outputs (the paths run a second time to write it).
    #[arg(long, requires = "dir")]
    pub per_path: bool,
}

impl OutArgs {
    /// The staging folder for `--out`, when given; an error is printed and becomes the exit status.
    pub fn begin(&self) -> Result<Option<crate::save::Staging>, ExitCode> {
        let Some(dir) = &self.dir else { return Ok(None) };
        crate::save::Staging::begin(dir, self.force).map(Some).map_err(save_failed)
    }
}

/// Prints why saving failed and returns the exit status: 2 for a folder that cannot be used, 1 for a
/// write that failed.
pub fn save_failed(e: crate::save::SaveError) -> ExitCode {
    output::stderr(&format!("error: {}\n", e.message()));
    match e {
        crate::save::SaveError::BadInput(_) => ExitCode::from(EXIT_BAD_INPUT),
        crate::save::SaveError::Io(_) => ExitCode::FAILURE,
    }
}

/// What `--counterfactual` compares a scenario with.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Counterfactual {
    /// The same scenario without its `[deal]`.
    NoDeal,
}

/// Output format of `subsoil run`.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum RunFormat {
    /// A readable table.
    Table,
    /// One JSON object.
    Json,
    /// Comma-separated values, one row per year and figure (with `--yearly`).
    Csv,
}

/// Options of a Monte Carlo run, shared by `run` and `compare`.
#[derive(Args, Debug, Clone, Copy)]
pub struct McArgs {
    /// Number of Monte Carlo paths (1 to 100,000,000); `compare` runs each path under every scenario.
    #[arg(long, value_name = "N", default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=MAX_PATHS))]
    pub paths: u64,
    /// Seed of every random number: the same seed and scenario give the same output (`compare` shares it).
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Worker threads (0 = every core; at most 4 a core and 256). The output does not depend on it.
    #[arg(long, value_name = "T", default_value_t = 0, value_parser = parse_threads)]
    pub threads: usize,
    /// How the uncertain inputs are sampled.
    #[arg(long, value_enum, default_value_t = Sampler::Random)]
    pub sampler: Sampler,
}

impl McArgs {
    /// The engine's configuration for these options.
    pub fn config(&self) -> RunConfig {
        RunConfig {
            paths: self.paths,
            seed: self.seed,
            threads: self.threads,
            sampler: self.sampler.kind(),
            block_size: subsoil_engine::DEFAULT_BLOCK_SIZE,
        }
    }
}

/// Most paths a run accepts ([`subsoil_engine::MAX_PATHS`]).
pub const MAX_PATHS: u64 = subsoil_engine::MAX_PATHS;

/// Parses `--threads` ([`subsoil_engine::thread_limit`]).
fn parse_threads(s: &str) -> Result<usize, String> {
    let n: usize =
        s.trim().parse().map_err(|_| format!("expected a whole number of threads, found {s:?}"))?;
    subsoil_engine::thread_limit(n)?;
    Ok(n)
}

/// Sampling schemes as written on the command line.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Sampler {
    /// Independent pseudo-random uniforms.
    Random,
    /// Latin hypercube, stratified within each block of 4,096 paths.
    #[value(alias = "latin-hypercube")]
    Lhs,
    /// Owen-scrambled Sobol points, randomised per block of 4,096 paths.
    Sobol,
}

impl Sampler {
    /// The engine's sampler.
    pub fn kind(self) -> SamplerKind {
        match self {
            Sampler::Random => SamplerKind::Random,
            Sampler::Lhs => SamplerKind::LatinHypercube,
            Sampler::Sobol => SamplerKind::Sobol,
        }
    }
}

/// What every JSON output starts with: enough to reproduce the run.
#[derive(Serialize)]
pub struct Manifest {
    /// subsoil version.
    pub subsoil_version: &'static str,
    /// Scenario name.
    pub scenario: String,
    /// Hash of the merged scenario and its data files.
    pub scenario_hash: String,
    /// Layers applied.
    pub layers: Vec<String>,
    /// Overrides given with --set.
    pub sets: Vec<String>,
    /// `deterministic` or `monte-carlo`.
    pub mode: &'static str,
    /// What the projects' NPVs count after the horizon (`time.terminal-value`).
    pub terminal_value: &'static str,
    /// When in its year a flow is discounted from (`time.discounting`), for every NPV.
    pub discounting: &'static str,
    /// The ISO 4217 code of the currency every amount is in (`macro.currency`).
    pub currency: String,
    /// In a saved `summary.json` only: the command, the deal's terms and every uncertain input.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub record: Option<crate::save::Record>,
}

impl Manifest {
    /// The manifest of a run of `s`.
    pub fn new(s: &Scenario, sets: &[String], mode: &'static str) -> Manifest {
        Manifest {
            subsoil_version: env!("CARGO_PKG_VERSION"),
            scenario: s.name.clone(),
            scenario_hash: s.hash.clone(),
            layers: s.layers.clone(),
            sets: sets.to_vec(),
            mode,
            terminal_value: s.model.time.terminal_value.name(),
            discounting: s.model.time.discounting.name(),
            currency: s.model.currency.clone(),
            record: None,
        }
    }
}

/// The manifest of a Monte Carlo run: the scenario, and how the run was made (no thread count: the
/// output does not depend on it).
#[derive(Serialize)]
struct MonteCarloManifest<'a> {
    #[serde(flatten)]
    scenario: Manifest,
    #[serde(flatten)]
    run: &'a RunHeader,
}

#[derive(Serialize)]
struct MonteCarloJson<'a> {
    manifest: MonteCarloManifest<'a>,
    units: &'static str,
    /// Outputs that were not finite on some paths (absent when there are none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    warnings: Vec<String>,
    /// With --until-se: the tolerance, the paths it took and the standard error at each block boundary.
    #[serde(skip_serializing_if = "Option::is_none")]
    until_se: Option<&'a subsoil_engine::Convergence>,
    #[serde(flatten)]
    result: &'a RunResult,
    /// In a saved `summary.json` only: each scalar metric's paths counted in bins.
    #[serde(skip_serializing_if = "Option::is_none")]
    histograms: Option<subsoil_engine::Histograms<'a>>,
}

#[derive(Serialize)]
struct DeterministicJson<'a> {
    manifest: Manifest,
    units: &'static str,
    /// Figures that are not finite (absent when there are none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    warnings: Vec<String>,
    #[serde(flatten)]
    base_case: &'a BaseCase,
}

/// Runs `subsoil run`.
pub fn run(args: &RunArgs) -> ExitCode {
    let scenario = match subsoil_scenario::load(&args.scenario, &args.sets) {
        Ok(s) => s,
        Err(e) => {
            output::stderr(&e.render());
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    if args.yearly && !args.deterministic {
        output::stderr(
            "error: --yearly needs --deterministic (a Monte Carlo run reports yearly fan charts in the \
             `series` of its JSON)\n",
        );
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    if args.format == RunFormat::Csv && !args.yearly {
        output::stderr("error: --format csv is for --deterministic --yearly\n");
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    if args.out.per_path && args.deterministic {
        output::stderr(
            "error: --per-path is for a Monte Carlo run (the base case is one path: its figures are in \
             summary.json and yearly.csv)\n",
        );
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    if let Some(shard) = args.shard {
        return crate::shard::run(args, &scenario, shard);
    }
    let until = match &args.until_se {
        Some(_) if args.deterministic || args.by.is_some() || args.counterfactual.is_some() => {
            output::stderr(
                "error: --until-se is for a Monte Carlo run, without --deterministic, --by or \
                 --counterfactual\n",
            );
            return ExitCode::from(EXIT_BAD_INPUT);
        }
        Some(spec) => match parse_until_se(&scenario, spec) {
            Ok(u) => Some(u),
            Err(e) => {
                output::stderr(&format!("error: {e}\n"));
                return ExitCode::from(EXIT_BAD_INPUT);
            }
        },
        None => None,
    };
    if let Some(input) = &args.by {
        return by_case(args, scenario, input);
    }
    if args.counterfactual.is_some() {
        return crate::counterfactual::run(args, &scenario);
    }
    let staging = match args.out.begin() {
        Ok(s) => s,
        Err(code) => return code,
    };
    if !args.deterministic {
        return monte_carlo(args, &scenario, staging, until);
    }
    let (bc, out) = base_case(&scenario);
    let warnings = bc.warnings();
    warn(&warnings);
    if let Some(staging) = staging {
        let y = subsoil_engine::yearly(&scenario, &out);
        let mut manifest = Manifest::new(&scenario, &args.sets, "deterministic");
        manifest.record = Some(crate::save::record(&scenario, command(args)));
        let summary = DeterministicJson {
            manifest,
            units: "real base-year money in the manifest's currency; rates as fractions",
            warnings: warnings.clone(),
            base_case: &bc,
        };
        let inputs = crate::save::input_rows(&scenario);
        let files = crate::save::json(&summary).map(|summary| {
            vec![
                ("summary.json", summary),
                ("yearly.csv", y.to_csv().into_bytes()),
                ("projects.csv", crate::save::base_case_projects_csv(&bc).into_bytes()),
                ("inputs.csv", crate::save::inputs_csv(&inputs).into_bytes()),
            ]
        });
        if let Err(e) = files.and_then(|f| staging.finish(&f)) {
            return save_failed(e);
        }
    }
    if args.yearly {
        let y = subsoil_engine::yearly(&scenario, &out);
        return match args.format {
            RunFormat::Csv => output::stdout(&y.to_csv()),
            RunFormat::Json => {
                #[derive(Serialize)]
                struct YearlyJson<'a> {
                    manifest: Manifest,
                    units: &'static str,
                    #[serde(flatten)]
                    yearly: &'a subsoil_engine::Yearly,
                }
                print_json(&YearlyJson {
                    manifest: Manifest::new(&scenario, &args.sets, "deterministic-yearly"),
                    units: "value: nominal money of the year in the manifest's currency (or the unit given); real: base-year money",
                    yearly: &y,
                })
            }
            RunFormat::Table => {
                let index: Vec<f64> = out.years.iter().map(|y| y.index).collect();
                output::stdout(&in_currency(yearly_table(&scenario, &y, &index), &scenario))
            }
        };
    }
    match args.format {
        RunFormat::Csv => unreachable!("refused above"),
        RunFormat::Json => {
            let out = DeterministicJson {
                manifest: Manifest::new(&scenario, &args.sets, "deterministic"),
                units: "real base-year money in the manifest's currency; rates as fractions",
                warnings,
                base_case: &bc,
            };
            print_json(&out)
        }
        RunFormat::Table => {
            output::stdout(&in_currency(deterministic_table(&scenario, &bc), &scenario))
        }
    }
}

/// The state's receipts and the fund by year, in millions of base-year dollars; `index` is the price
/// index by year index (base year 1).
///
/// The fund's columns add up: its cash at the end of a year is the year before's plus what was paid in
/// (by rule or in cash) and the stakes' dividends, less what it invested and paid out, plus its real
/// interest. The fund holds its cash in nominal dollars, so in base-year dollars the interest it earns is
/// offset by inflation's erosion of that cash: the real interest of year `t` is
/// `(interest_t + cash_{t−1}) / index_t − cash_{t−1} / index_{t−1}` (nominal interest and cash).
fn yearly_table(s: &Scenario, y: &subsoil_engine::Yearly, index: &[f64]) -> String {
    use subsoil_engine::yearly::Scope;
    let mut out = style::bold(&format!(
        "{} — base case by year",
        if s.title.is_empty() { &s.name } else { &s.title }
    ));
    out.push('\n');
    out.push_str(&style::dim(&format!(
        "Money in millions of {} US dollars. Every project's flows, and the same figures in nominal dollars, \
         with --format csv or json.{}",
        y.base_year,
        if s.model.deal.active() {
            " Fund cash = the year before's + paid in (by rule and in cash) + dividends from its stakes \
             − invested − paid out + real interest (its interest less inflation's erosion of the cash it holds)."
        } else {
            ""
        }
    )));
    out.push_str("\n\n");
    let years: Vec<i32> = {
        let mut v: Vec<i32> = y.rows.iter().map(|r| r.year).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let get = |year: i32, scope: Scope, id: &str, item: &str, tag: Option<&str>| -> f64 {
        y.rows
            .iter()
            .filter(|r| r.year == year && r.scope == scope && r.id == id && r.item == item)
            .filter(|r| tag.is_none_or(|t| r.tag == t))
            .filter_map(|r| r.real)
            .sum()
    };
    // Nominal, for the fund's interest on the cash it holds.
    let nominal = |year: i32, item: &str| -> f64 {
        y.rows
            .iter()
            .filter(|r| {
                r.year == year && r.scope == Scope::Fund && r.id.is_empty() && r.item == item
            })
            .map(|r| r.value)
            .sum()
    };
    let mut cols = vec![
        ("year", Align::Right),
        ("new receipts", Align::Right),
        ("existing receipts", Align::Right),
        ("exogenous streams", Align::Right),
        ("leakage", Align::Right),
    ];
    let deal = s.model.deal.active();
    let parties: Vec<&str> = s.model.deal.parties.iter().map(|p| p.id.as_str()).collect();
    let paid_to: Vec<String> = parties.iter().map(|p| format!("paid to {p}")).collect();
    if deal {
        cols.extend([
            ("fund: paid in", Align::Right),
            ("dividends", Align::Right),
            ("invested", Align::Right),
        ]);
        cols.extend(paid_to.iter().map(|h| (h.as_str(), Align::Right)));
        cols.push(("real interest", Align::Right));
        cols.push(("fund cash", Align::Right));
    }
    let mut t = Table::new(&cols);
    let streams = |year: i32, tag: &str| -> f64 {
        subsoil_core::Stream::ALL
            .iter()
            .map(|st| get(year, Scope::State, "", st.name(), Some(tag)))
            .sum()
    };
    // Every exogenous stream, as its receiver gets it.
    let exogenous = |year: i32| -> f64 {
        y.rows
            .iter()
            .filter(|r| r.year == year && r.scope == Scope::State && r.item == "exogenous-stream")
            .filter_map(|r| r.real)
            .sum()
    };
    for &year in &years {
        let mut row = vec![
            year.to_string(),
            musd(streams(year, "new")),
            musd(streams(year, "existing")),
            musd(exogenous(year)),
            musd(get(year, Scope::State, "", "leakage", None)),
        ];
        if deal {
            let cash_in: f64 =
                parties.iter().map(|p| get(year, Scope::Fund, p, "cash-in", None)).sum();
            row.push(musd(get(year, Scope::Fund, "", "contributions", None) + cash_in));
            row.push(musd(get(year, Scope::Fund, "", "distributions-in", None)));
            row.push(musd(get(year, Scope::Fund, "", "invested", None)));
            for p in &parties {
                row.push(musd(get(year, Scope::Fund, p, "payouts", None)));
            }
            let t = (year - s.model.time.start_year) as usize;
            let real_interest = match t.checked_sub(1) {
                Some(before) => {
                    let held = nominal(year - 1, "cash");
                    (nominal(year, "interest") + held) / index[t] - held / index[before]
                }
                None => nominal(year, "interest") / index[t],
            };
            row.push(musd(real_interest));
            row.push(musd(get(year, Scope::Fund, "", "cash", None)));
        }
        t.row(row);
    }
    out.push_str(&t.render());
    out
}

fn deterministic_table(s: &Scenario, bc: &BaseCase) -> String {
    let mut out = String::new();
    out.push_str(&style::bold(&format!(
        "{} — base case",
        if s.title.is_empty() { &s.name } else { &s.title }
    )));
    out.push('\n');
    let ceasefire = if s.model.conflict.at_peace {
        "At peace (no conflict in the scenario).".to_string()
    } else {
        format!(
            "Ceasefire: {}.",
            bc.ceasefire_year.map_or("none within the horizon".to_string(), |y| y.to_string())
        )
    };
    out.push_str(&style::dim(&format!(
        "Every input at its median, no random events, median price paths. {ceasefire} \
         Money in millions of {} US dollars; NPV at the valuation rate to {} ({} discounting). \
         Scenario {} ({}).",
        bc.base_year,
        s.model.time.start_year,
        s.model.time.discounting.name(),
        s.name,
        s.hash
    )));
    out.push_str("\n\n");
    let mut t = Table::new(&[
        ("project", Align::Left),
        ("start", Align::Left),
        ("status", Align::Left),
        ("first prod.", Align::Right),
        ("capex", Align::Right),
        ("NPV", Align::Right),
        ("IRR", Align::Right),
        ("royalty", Align::Right),
        ("new receipts", Align::Right),
        ("existing receipts", Align::Right),
    ]);
    for p in &bc.projects {
        t.row(vec![
            p.id.clone(),
            p.start_stage.clone(),
            p.status.clone(),
            p.first_production.map_or("—".into(), |y| y.to_string()),
            musd(p.capex),
            musd(p.npv),
            pct(p.irr),
            musd(p.royalty),
            musd(p.receipts_new),
            musd(p.receipts_existing),
        ]);
    }
    t.rule();
    let tot = &bc.totals;
    t.row(vec![
        match bc.projects.iter().filter(|p| p.status == "flow").count() {
            0 => format!("total ({} projects)", bc.projects.len()),
            flows => format!("total ({} projects, {flows} flows)", bc.projects.len() - flows),
        },
        String::new(),
        String::new(),
        String::new(),
        musd(tot.capex),
        musd(tot.npv),
        String::new(),
        musd(tot.royalty),
        musd(tot.receipts_new),
        musd(tot.receipts_existing),
    ]);
    out.push_str(&t.render());
    let count = |status: &str| bc.projects.iter().filter(|p| p.status == status).count();
    out.push_str(&format!(
        "\nStatus at {}: {} existing, {} built, {} waiting (ready, but NPV ≤ 0 at the investor's hurdle), \
         {} before a decision, {} occupied, {} abandoned.\n",
        s.model.time.end_year(),
        count("existing"),
        count("built"),
        count("waiting"),
        count("pre-decision"),
        count("occupied"),
        count("abandoned"),
    ));
    out.push_str(&format!(
        "State receipts over {} years: {} new and {} existing (royalty, PSA state share, licence fees, corporate tax).\n",
        s.model.time.horizon,
        musd(tot.receipts_new),
        musd(tot.receipts_existing)
    ));
    if let Some(deal) = &bc.deal {
        out.push('\n');
        out.push_str(&deal_section(s, deal));
    }
    out
}

/// The deal's results in the base case: what the partner gets and when, what the host pays, what the
/// fund holds at the end and who was paid what.
fn deal_section(s: &Scenario, d: &DealSummary) -> String {
    let end = s.model.time.end_year();
    let medians = s.inputs.medians();
    let partner_rate = s.model.rates.partner_discount.at(&Medians { scalars: &medians });
    let party_name = |id: &str| {
        s.model.deal.parties.iter().find(|p| p.id == id).map_or(id.to_string(), |p| p.name.clone())
    };
    let year = |y: Option<i32>| y.map_or(format!("not by {end}"), |y| y.to_string());
    // A deal without a name (`deal.name` is optional) is headed "Deal" alone.
    let heading = if d.name.is_empty() { "Deal".to_string() } else { format!("Deal: {}", d.name) };
    let mut out = style::bold(&heading);
    if let Some(partner) = &d.partner {
        out.push_str(&style::bold(&format!("; partner {}", party_name(partner))));
    }
    out.push('\n');
    let mut t = Table::new(&[("deal output", Align::Left), ("value", Align::Right)]);
    let mut row = |label: String, value: String| t.row(vec![label, value]);
    if d.partner.is_some() {
        row("partner receipts ($m nominal)".into(), musd(d.partner_receipts_nominal));
        row("partner receipts ($m)".into(), musd(d.partner_receipts));
        row(
            "partner capital account, cash and credits ($m nominal)".into(),
            musd(d.partner_capital_nominal),
        );
        row(format!("partner NPV at {} real ($m)", pct(Some(partner_rate))), musd(d.partner_npv));
        row(
            "partner NPV counting its credits as outlays ($m)".into(),
            musd(d.partner_npv_with_credits),
        );
        row("first distribution to the partner".into(), year(d.first_partner_distribution));
        if let Some(target) = d.target_nominal {
            row(format!("deal target, {} $m nominal, reached", musd(target)), year(d.target_year));
        }
        if let Some(aid) = d.aid_given_nominal {
            row(format!("aid given, {} $m nominal, repaid", musd(aid)), year(d.aid_year));
        }
    }
    row("host payments into the fund ($m)".into(), musd(d.host_payments));
    row("host payments, PV at the valuation rate ($m)".into(), musd(d.host_payments_pv));
    row("largest yearly host payment (% of GDP)".into(), pct3(d.host_payments_max_gdp_share));
    row(format!("fund value at {end} ($m)"), musd(d.fund_value_at_horizon));
    for (party, paid) in &d.payouts {
        row(format!("paid out to {} ($m)", party_name(party)), musd(*paid));
    }
    out.push_str(&t.render());
    out.push_str(&format!(
        "Money in millions of {} US dollars unless nominal; the target and the aid given are compared with \
         the partner's cumulative nominal receipts.\n",
        s.model.time.base_year
    ));
    out
}

/// A fraction as a percentage with three decimals (small shares such as payments as a share of GDP).
fn pct3(x: f64) -> String {
    if x.is_finite() { format!("{:.3}%", x * 100.0) } else { "—".into() }
}

/// Prints `value` as pretty JSON on stdout; a value that cannot be written is an internal error.
pub fn print_json<T: Serialize>(value: &T) -> ExitCode {
    match serde_json::to_string_pretty(value) {
        Ok(mut s) => {
            s.push('\n');
            output::stdout(&s)
        }
        Err(e) => {
            output::stderr(&format!("error: cannot write JSON: {e}\n"));
            ExitCode::FAILURE
        }
    }
}

/// The command that reproduces the run of `args` (without `--out` and `--threads`, on which no result
/// depends).
pub fn command(args: &RunArgs) -> String {
    use crate::save::shell_word;
    let mut words = vec!["subsoil".to_string(), "run".to_string(), shell_word(&args.scenario)];
    if args.deterministic {
        words.push("--deterministic".into());
    } else {
        words.extend(mc_words(&args.mc));
    }
    for set in &args.sets {
        words.push("--set".into());
        words.push(shell_word(set));
    }
    words.join(" ")
}

/// The words of a command line that give the Monte Carlo options `mc` (without `--threads`).
pub fn mc_words(mc: &McArgs) -> Vec<String> {
    let sampler = match mc.sampler {
        Sampler::Random => "random",
        Sampler::Lhs => "lhs",
        Sampler::Sobol => "sobol",
    };
    vec![
        "--paths".into(),
        mc.paths.to_string(),
        "--seed".into(),
        mc.seed.to_string(),
        "--sampler".into(),
        sampler.into(),
    ]
}

/// Runs the Monte Carlo simulation and prints its summary.
fn monte_carlo(
    args: &RunArgs,
    scenario: &Scenario,
    staging: Option<crate::save::Staging>,
    until: Option<(subsoil_engine::MetricRef, f64)>,
) -> ExitCode {
    let mut config = args.mc.config();
    let progress = Progress::new(args.mc.paths, config.threads);
    let mut convergence = None;
    let outcome = match until {
        None => subsoil_engine::run_observed(scenario, &config, &|n| progress.advance(n)),
        Some((metric, tol)) => {
            let cancel = AtomicBool::new(false);
            subsoil_engine::run_until_se(scenario, &config, &metric, tol, &cancel).map(|(r, c)| {
                convergence = Some(c);
                r
            })
        }
    };
    progress.finish();
    if let Some(c) = &convergence {
        // Every later step (--per-path) uses the paths the run took.
        config.paths = c.paths;
        if args.format != RunFormat::Table {
            output::stderr(&until_line(c));
        }
    }
    let result = match outcome {
        Ok(r) => r,
        Err(e) => {
            return crate::run::run_failed(&e);
        }
    };
    let warnings = result.warnings();
    warn(&warnings);
    if let Some(staging) = staging {
        let per_path = args.out.per_path.then_some(&config);
        let until = convergence.as_ref();
        if let Err(e) =
            save_monte_carlo(scenario, &args.sets, command(args), &result, staging, per_path, until)
        {
            return save_failed(e);
        }
    }
    print_monte_carlo(scenario, &args.sets, &result, args.format, convergence.as_ref())
}

/// Writes a Monte Carlo run's files into `staging`: summary.json (whose manifest records `command`),
/// report.html, series.csv, projects.csv, inputs.csv, and paths.parquet when `per_path` gives the run's
/// configuration; `until_se` says where a run until a standard error stopped.
pub fn save_monte_carlo(
    scenario: &Scenario,
    sets: &[String],
    command: String,
    result: &RunResult,
    staging: crate::save::Staging,
    per_path: Option<&RunConfig>,
    until_se: Option<&subsoil_engine::Convergence>,
) -> Result<(), crate::save::SaveError> {
    let mut manifest = Manifest::new(scenario, sets, "monte-carlo");
    let mut record = crate::save::record(scenario, command);
    record.map = crate::map::map(scenario, result);
    manifest.record = Some(record);
    let summary = MonteCarloJson {
        manifest: MonteCarloManifest { scenario: manifest, run: &result.header },
        units: "money in real base-year units of the manifest's currency; rates and probabilities as fractions",
        warnings: result.warnings(),
        until_se,
        result,
        histograms: Some(subsoil_engine::Histograms(&result.histograms)),
    };
    let inputs = crate::save::input_rows(scenario);
    let files = crate::save::json(&summary).and_then(|summary| {
        let report = crate::report::html(&summary)?;
        Ok(vec![
            ("summary.json", summary),
            ("report.html", report),
            ("series.csv", crate::save::series_csv(result).into_bytes()),
            ("projects.csv", crate::save::projects_csv(result).into_bytes()),
            ("inputs.csv", crate::save::inputs_csv(&inputs).into_bytes()),
        ])
    });
    let parquet = match per_path {
        Some(config) => crate::per_path::write(scenario, config, &staging.file("paths.parquet")),
        None => Ok(()),
    };
    files.and_then(|f| parquet.and_then(|()| staging.finish(&f)))
}

/// Prints the result of a Monte Carlo run of `scenario` as `format` says (a table, or JSON).
pub fn print_monte_carlo(
    scenario: &Scenario,
    sets: &[String],
    result: &RunResult,
    format: RunFormat,
    until_se: Option<&subsoil_engine::Convergence>,
) -> ExitCode {
    match format {
        RunFormat::Json => print_json(&MonteCarloJson {
            manifest: MonteCarloManifest {
                scenario: Manifest::new(scenario, sets, "monte-carlo"),
                run: &result.header,
            },
            units: "money in real base-year units of the manifest's currency; rates and probabilities as fractions",
            warnings: result.warnings(),
            until_se,
            result,
            histograms: None,
        }),
        RunFormat::Table | RunFormat::Csv => {
            let mut text = monte_carlo_table(scenario, result);
            if let Some(c) = until_se {
                text.push_str(&until_line(c));
            }
            output::stdout(&in_currency(text, scenario))
        }
    }
}

/// A table's text with its money in the scenario's currency: `$` and "US dollars" are kept for US
/// dollars and replaced by the ISO code of any other currency (`$m` becomes `EUR m`).
pub(crate) fn in_currency(text: String, scenario: &Scenario) -> String {
    match scenario.model.currency.as_str() {
        "USD" => text,
        code => text.replace('$', &format!("{code} ")).replace("US dollars", code),
    }
}

/// The sentence that says where a run until a standard error stopped: the tolerance reached, or why
/// not (too few paths for the blocks the rule needs, or a standard error still above the tolerance).
fn until_line(c: &subsoil_engine::Convergence) -> String {
    let stat =
        if c.probability { format!("P({})", c.metric) } else { format!("mean {}", c.metric) };
    let (se, tol) = until_numbers(c);
    let block = u64::from(subsoil_engine::DEFAULT_BLOCK_SIZE);
    let min_blocks = subsoil_engine::MIN_BLOCKS;
    if c.reached {
        format!(
            "--until-se: stopped after {} paths ({} blocks of {}): standard error of {stat} {se} <= {tol}\n",
            grouped(c.paths),
            c.blocks,
            grouped(block),
        )
    } else if c.blocks < min_blocks {
        format!(
            "--until-se: not reached: the path cap of {} paths is fewer than the {min_blocks} blocks of {} \
             ({} paths) the rule runs before a standard error may stop it; raise --paths to at least {} \
             (the standard error of {stat} at the cap: {se}; the tolerance: {tol})\n",
            grouped(c.paths),
            grouped(block),
            grouped(min_blocks * block),
            grouped(min_blocks * block),
        )
    } else {
        format!(
            "--until-se: not reached: the path cap of {} paths ({} blocks) left the standard error of {stat} \
             at {se} > {tol}; raise --paths\n",
            grouped(c.paths),
            c.blocks,
        )
    }
}

/// A run until a standard error's standard error and tolerance, written alike: a probability in percent,
/// a metric in its unit, each to the fewest significant digits (at least three) that tell the two apart.
fn until_numbers(c: &subsoil_engine::Convergence) -> (String, String) {
    let scale = if c.probability { 100.0 } else { 1.0 };
    let write = |x: f64, digits: i32| {
        if !x.is_finite() {
            return "not estimated".to_string();
        }
        let mut s = crate::outputs::significant(x * scale, digits);
        if s.contains('.') {
            s.truncate(s.trim_end_matches('0').trim_end_matches('.').len());
        }
        if c.probability { s + "%" } else { s }
    };
    let mut digits = 3;
    while digits < 17 && c.se != c.tolerance && write(c.se, digits) == write(c.tolerance, digits) {
        digits += 1;
    }
    (write(c.se, digits), write(c.tolerance, digits))
}

/// The JSON `run --format json` prints for a Monte Carlo run of `scenario` with `sets` (what `subsoil
/// serve` answers too).
pub fn monte_carlo_json(
    scenario: &Scenario,
    sets: &[String],
    result: &RunResult,
) -> serde_json::Value {
    let out = MonteCarloJson {
        manifest: MonteCarloManifest {
            scenario: Manifest::new(scenario, sets, "monte-carlo"),
            run: &result.header,
        },
        units: "money in real base-year units of the manifest's currency; rates and probabilities as fractions",
        warnings: result.warnings(),
        until_se: None,
        result,
        histograms: None,
    };
    serde_json::to_value(&out).unwrap_or_default()
}

/// The `summary.json` that `run --out DIR` writes for a Monte Carlo run made by `command` (what the
/// report draws from).
pub fn monte_carlo_summary(
    scenario: &Scenario,
    sets: &[String],
    result: &RunResult,
    command: String,
) -> serde_json::Value {
    let mut manifest = Manifest::new(scenario, sets, "monte-carlo");
    let mut record = crate::save::record(scenario, command);
    record.map = crate::map::map(scenario, result);
    manifest.record = Some(record);
    let out = MonteCarloJson {
        manifest: MonteCarloManifest { scenario: manifest, run: &result.header },
        units: "money in real base-year units of the manifest's currency; rates and probabilities as fractions",
        warnings: result.warnings(),
        until_se: None,
        result,
        histograms: Some(subsoil_engine::Histograms(&result.histograms)),
    };
    serde_json::to_value(&out).unwrap_or_default()
}

/// Says on standard error why a run could not be made, and the exit status for it: worker threads that
/// cannot start are the machine's problem (1), everything else the input's (2).
pub fn run_failed(e: &subsoil_engine::RunError) -> ExitCode {
    output::stderr(&format!("error: {e}\n"));
    match e {
        subsoil_engine::RunError::Threads(_) => ExitCode::FAILURE,
        _ => ExitCode::from(EXIT_BAD_INPUT),
    }
}

/// Prints each warning on standard error, marked so that it stands out from the results.
pub fn warn(warnings: &[String]) {
    for w in warnings {
        output::stderr(&format!("{} {w}\n", style::bold("warning:")));
    }
}

/// A progress bar on standard error, drawn only on a terminal and only once a run has lasted a moment;
/// and, for a long run, one line on standard error saying how long it will take (stdout stays the result).
pub struct Progress {
    bar: ProgressBar,
    start: Instant,
    shown: AtomicBool,
    paths: u64,
    done: AtomicU64,
    estimated: AtomicBool,
    /// Worker threads the run uses.
    workers: u64,
    /// Paths in the first report (a worker's chunk); 0 before it.
    first: AtomicU64,
}

impl Progress {
    /// How long a run goes before its bar appears.
    const DELAY: Duration = Duration::from_millis(300);
    /// How long a run goes before its total time is estimated.
    const ESTIMATE_AFTER: Duration = Duration::from_secs(1);
    /// Estimated total time above which the estimate is printed.
    const LONG: Duration = Duration::from_secs(60);

    /// A hidden bar over `paths` paths, run on `threads` worker threads (0: every core).
    pub fn new(paths: u64, threads: usize) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(paths), ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} {human_pos}/{human_len} paths ({percent}%), ETA {eta} {wide_bar}",
        ) {
            bar.set_style(style);
        }
        Progress {
            bar,
            start: Instant::now(),
            shown: AtomicBool::new(false),
            paths,
            done: AtomicU64::new(0),
            estimated: AtomicBool::new(false),
            workers: workers(threads),
            first: AtomicU64::new(0),
        }
    }

    /// `n` more paths are done.
    pub fn advance(&self, n: u64) {
        self.bar.inc(n);
        let done = self.done.fetch_add(n, Ordering::Relaxed) + n;
        let elapsed = self.start.elapsed();
        if !self.shown.load(Ordering::Relaxed)
            && elapsed >= Self::DELAY
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            // `stderr()` hides itself when standard error is not a terminal.
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        let first = match self.first.compare_exchange(0, n, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => n,
            Err(f) => f,
        };
        if !self.estimated.load(Ordering::Relaxed)
            && elapsed >= Self::ESTIMATE_AFTER
            && every_worker_reported(done, first, self.workers)
            && !self.estimated.swap(true, Ordering::Relaxed)
            && let Some(line) = estimate(self.paths, done, elapsed, Self::LONG)
        {
            self.bar.suspend(|| output::stderr(&line));
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// Worker threads for `threads` as the engine reads it (0: every core).
fn workers(threads: usize) -> u64 {
    let n = if threads == 0 {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    } else {
        threads
    };
    n as u64
}

/// Whether `done` paths are as many as every one of `workers` workers finishing a chunk of `first` paths
/// (the first report's). The workers start their first chunks together, so when the first is reported
/// the others are nearly done too: an estimate taken then counts one chunk's paths for the time of
/// `workers` of them, and overstates the run's time that many times.
fn every_worker_reported(done: u64, first: u64, workers: u64) -> bool {
    done >= first.saturating_mul(workers.max(1))
}

/// The line announcing a long run: `paths` in all, `done` of them in `elapsed`; `None` when the whole
/// run is expected to take at most `long`.
fn estimate(paths: u64, done: u64, elapsed: Duration, long: Duration) -> Option<String> {
    if done == 0 || done >= paths {
        return None;
    }
    let total = elapsed.as_secs_f64() * paths as f64 / done as f64;
    if total <= long.as_secs_f64() {
        return None;
    }
    Some(format!(
        "subsoil: {} paths will take about {} (estimated from the first {} paths in {:.1} s); \
         fewer --paths give a quicker answer with a larger Monte Carlo error\n",
        grouped(paths),
        duration(total),
        grouped(done),
        elapsed.as_secs_f64()
    ))
}

/// A duration in seconds, rounded as a person would say it: `50 s`, `12 min`, `3 h 20 min`, `4 days`.
fn duration(secs: f64) -> String {
    let mins = (secs / 60.0).round();
    if secs < 120.0 {
        format!("{} s", secs.round())
    } else if mins < 120.0 {
        format!("{mins} min")
    } else if secs < 48.0 * 3600.0 {
        let (h, m) = ((mins / 60.0).floor(), mins % 60.0);
        if m == 0.0 { format!("{h} h") } else { format!("{h} h {m} min") }
    } else {
        format!("{} days", (secs / 86_400.0).round())
    }
}

/// For a target or the aid given that fewer than one path in ten reaches: how far short the paths fall
/// and the most of it any path reaches, so that "below 0.04%" is not all that is said.
fn tails(r: &RunResult) -> String {
    let mut out = String::new();
    let cases = [
        (
            "partner-target-reached",
            "partner-target-shortfall",
            "partner-target-share",
            "the target",
        ),
        ("partner-aid-repaid", "partner-aid-shortfall", "partner-aid-share", "the aid given"),
    ];
    for (event, shortfall, share, what) in cases {
        let (Some(p), Some(short), Some(share)) =
            (r.probability(event), r.metric(shortfall), r.metric(share))
        else {
            continue;
        };
        if p.chance.p.is_nan() || p.chance.p >= 0.1 {
            continue;
        }
        let (d, s) = (&short.stats, &share.stats);
        let money = |x: f64| crate::outputs::significant3(x / 1e9);
        let pct = |x: f64| crate::outputs::significant3(x * 100.0);
        out.push_str(&format!(
            "Tail of {what}, reached with P {}: the partner falls short by ${}bn nominal at the median (P10 ${}bn, \
             P90 ${}bn); share of {what} reached: median {}%, P90 {}%, largest on any path {}%\n",
            p.chance.display(),
            money(d.p50),
            money(d.p10),
            money(d.p90),
            pct(s.p50),
            pct(s.p90),
            pct(s.max),
        ));
    }
    out
}

/// A probability as a percentage, compact (for per-project columns).
pub fn p(c: &Chance) -> String {
    if !c.p.is_finite() {
        return "—".into();
    }
    let v = c.p * 100.0;
    if c.hits == 0 {
        "0%".into()
    } else if c.hits == c.n {
        "100%".into()
    } else if v < 0.1 {
        "<0.1%".into()
    } else if v > 99.9 {
        ">99.9%".into()
    } else {
        format!("{v:.1}%")
    }
}

/// One line for each metric whose base case (every input at its median) is far from its Monte Carlo
/// mean, saying why (see [`subsoil_engine::gaps`]); empty when there is none.
fn base_case_gaps(s: &Scenario, r: &RunResult) -> String {
    use subsoil_engine::gaps::{Reason, gaps};
    let mut out = String::new();
    for g in gaps(s, r) {
        let Some(metric) = r.metrics.iter().find(|m| m.name == g.metric) else { continue };
        let (unit, stats) = (metric.unit, &metric.stats);
        let shown = crate::outputs::Shown::new(g.metric, unit);
        let n = |x: f64| (shown.number)(x);
        // Percentiles as the tables write them: to the digits the quantile sketch supports.
        let pc = |x: f64| shown.statistic(crate::outputs::Kind::Percentile, stats, x);
        let why = match &g.reason {
            Reason::Skewed(tail) => format!(
                "the base case is a middling result (in the paths' middle half, P25 {} to P75 {}); \
                 a long {} tail ({} {}) pulls the mean {} the median ({})",
                pc(stats.p25),
                pc(stats.p75),
                if tail.low { "low" } else { "high" },
                if tail.low { "P10" } else { "P90" },
                pc(tail.percentile),
                if tail.low { "below" } else { "above" },
                pc(g.median)
            ),
            Reason::Uneven(None) => format!(
                "median inputs do not give a middling result (the paths' P25 {}, median {}, P75 {}): \
                 it responds unevenly to them (a project is built or not, thresholds in the deal)",
                pc(stats.p25),
                pc(g.median),
                pc(stats.p75)
            ),
            Reason::Uneven(Some(d)) => format!(
                "median inputs do not give a middling result (the paths' P25 {}, median {}, P75 {}); \
                 the base case takes {} = {}, and at {} (probability {}) it gives {}",
                pc(stats.p25),
                pc(g.median),
                pc(stats.p75),
                d.input,
                input_value(s, &d.input, d.median),
                input_value(s, &d.input, d.value),
                crate::outputs::percent3(d.probability)
                    .trim_end_matches('0')
                    .trim_end_matches('.')
                    .to_owned()
                    + "%",
                n(d.metric_there)
            ),
        };
        out.push_str(&style::dim(&format!(
            "{}: base case {} vs mean {}: {why}.",
            shown.label,
            n(g.base_case),
            n(g.mean)
        )));
        out.push('\n');
    }
    out
}

/// A value of the input `name` of `s` with its unit, large numbers in millions or billions.
fn input_value(s: &Scenario, name: &str, x: f64) -> String {
    let unit = s.inputs.slot_of(name).map_or("", |i| s.inputs.list[i as usize].unit.as_str());
    let number = if x.abs() >= 1e9 {
        format!("{} bn", crate::outputs::significant3(x / 1e9))
    } else if x.abs() >= 1e6 {
        format!("{} m", crate::outputs::significant3(x / 1e6))
    } else {
        crate::outputs::significant3(x)
    };
    if unit.is_empty() { number } else { format!("{number} {unit}") }
}

fn monte_carlo_table(s: &Scenario, r: &RunResult) -> String {
    let h = &r.header;
    let mut out = String::new();
    out.push_str(&style::bold(&format!(
        "{} — Monte Carlo, {}",
        if s.title.is_empty() { &s.name } else { &s.title },
        crate::outputs::paths(h.paths)
    )));
    out.push('\n');
    out.push_str(&style::dim(&format!(
        "{} Money in millions of {} US dollars unless nominal; NPV at the valuation rate to {} ({} \
         discounting). Scenario {} ({}).",
        how_run(h),
        h.base_year,
        h.start_year,
        s.model.time.discounting.name(),
        s.name,
        s.hash
    )));
    out.push_str("\n\n");

    let mut columns = vec![("metric", Align::Left)];
    columns.extend(STATISTICS.iter().map(|(name, _, _)| (*name, Align::Right)));
    let mut t = Table::new(&columns);
    for metric in &r.metrics {
        let shown = Shown::new(metric.name, metric.unit);
        let mut row = vec![shown.label.clone()];
        row.extend(shown.statistics(&metric.stats));
        t.row(row);
    }
    out.push_str(&t.render());
    out.push_str(&base_case_gaps(s, r));
    out.push('\n');

    let mut t =
        Table::new(&[("probability", Align::Left), ("estimate [95% interval]", Align::Right)]);
    for pr in &r.probabilities {
        t.row(vec![format!("P({})", pr.name), pr.chance.display()]);
    }
    out.push_str(&t.render());
    for e in &r.events {
        let c = &e.curve;
        out.push_str(&format!(
            "P({} by {}) {}; median year {}\n",
            e.name,
            h.end_year,
            c.by_horizon.display(),
            median_year(c, h.end_year)
        ));
    }
    out.push_str(&tails(r));
    out.push('\n');

    let mut cols: Vec<(String, Align)> =
        vec![("project".into(), Align::Left), ("start".into(), Align::Left)];
    // The milestone years within the horizon; with none (a scenario that starts after 2045), the horizon.
    let milestones = r.projects.first().is_some_and(|first| !first.built_by.is_empty());
    if let Some(first) = r.projects.first() {
        for b in &first.built_by {
            cols.push((format!("P(prod. {})", b.year), Align::Right));
        }
        if !milestones {
            cols.push((format!("P(prod. {})", h.end_year), Align::Right));
        }
    }
    // A country at peace with no site under occupation has no occupied column: it would be 0% throughout.
    let occupation = !s.model.conflict.at_peace || r.projects.iter().any(|pr| pr.occupied.hits > 0);
    for c in ["median 1st prod.", "NPV mean", "NPV P10", "NPV P90", "P(occupied)"] {
        if c != "P(occupied)" || occupation {
            cols.push((c.into(), Align::Right));
        }
    }
    let header: Vec<(&str, Align)> = cols.iter().map(|(c, a)| (c.as_str(), *a)).collect();
    let mut t = Table::new(&header);
    let npv = Shown::new("NPV", Unit::RealUsd);
    for pr in &r.projects {
        let mut row = vec![pr.id.clone(), pr.start_stage.to_string()];
        row.extend(pr.built_by.iter().map(|b| p(&b.chance)));
        if !milestones {
            row.push(p(&pr.first_production.by_horizon));
        }
        row.push(pr.first_production.median_year.map_or("—".into(), |y| y.to_string()));
        row.push(musd(pr.npv.mean));
        row.push(npv.statistic(Kind::Percentile, &pr.npv, pr.npv.p10));
        row.push(npv.statistic(Kind::Percentile, &pr.npv, pr.npv.p90));
        if occupation {
            row.push(p(&pr.occupied));
        }
        t.row(row);
    }
    out.push_str(&t.render());
    out.push_str(&format!(
        "\nP(prod. Y): the project has had output by the end of year Y. Median 1st prod.: the year by \
         which more than half of the paths have output (— if not by {}). 0% and 100%: none or all of \
         the {} paths (--format json gives each share's 95% interval).\n",
        h.end_year,
        grouped(h.paths)
    ));
    out
}

/// `run --by INPUT`: the scenario as it is (every case mixed by its probability) beside one run for each
/// value of the discrete input, on common random numbers.
fn by_case(args: &RunArgs, mut all: Scenario, input: &str) -> ExitCode {
    let refuse = |msg: String| {
        output::stderr(&format!("error: {msg}\n"));
        ExitCode::from(EXIT_BAD_INPUT)
    };
    if args.deterministic || args.yearly {
        return refuse(
            "--by is for a Monte Carlo run (the base case takes every input at its median)".into(),
        );
    }
    let format = match args.format {
        RunFormat::Table => crate::Format::Table,
        RunFormat::Json => crate::Format::Json,
        RunFormat::Csv => return refuse("--format csv is for --deterministic --yearly".into()),
    };
    let cases = match cases_of(&all, input, &args.scenario) {
        Ok(c) => c,
        Err(msg) => return refuse(msg),
    };
    let mut scenarios = Vec::with_capacity(cases.len() + 1);
    let mut names = vec![args.scenario.clone()];
    for (value, p) in &cases {
        let mut sets = args.sets.clone();
        sets.push(format!("{input}={value}"));
        match subsoil_scenario::load(&args.scenario, &sets) {
            Ok(mut s) => {
                let v = subsoil_scenario::quantity::fmt_num(*value);
                s.name = format!("{v} ({:.0}%)", p * 100.0);
                s.title = format!("{input} = {v}");
                scenarios.push(s);
            }
            Err(e) => {
                output::stderr(&e.render());
                return ExitCode::from(EXIT_BAD_INPUT);
            }
        }
        names.push(format!("{}#{input}={value}", args.scenario));
    }
    all.title = format!("every value of {input}, mixed by its probability");
    all.name = "all cases".into();
    scenarios.insert(0, all);
    let compare_args = crate::compare::CompareArgs {
        scenarios: names,
        sets: args.sets.clone(),
        format,
        details: false,
        explain: false,
        mc: args.mc,
        out: args.out.clone(),
        shard: None,
        by: None,
    };
    crate::compare::run_scenarios(&compare_args, scenarios)
}

/// The values of the discrete input `input` of `s` (loaded as `given`) with their probabilities, or why
/// `--by` cannot split on it.
pub fn cases_of(s: &Scenario, input: &str, given: &str) -> Result<Vec<(f64, f64)>, String> {
    let Some(i) = s.inputs.list.iter().find(|i| i.name == input) else {
        return Err(format!(
            "{input:?} is not an uncertain input of {} (`subsoil inputs {given}` lists them)",
            s.name
        ));
    };
    let cases: Vec<(f64, f64)> = match &i.dist {
        subsoil_risk::Dist::Discrete(d) => {
            d.values().iter().copied().zip(d.probabilities()).collect()
        }
        subsoil_risk::Dist::Bernoulli(_) => {
            let p = i.dist.mean();
            vec![(0.0, 1.0 - p), (1.0, p)]
        }
        other => {
            return Err(format!(
                "{input} is a {} input: --by needs a discrete one (values with probabilities)",
                other.kind()
            ));
        }
    };
    if i.field.as_deref() != Some(input) {
        return Err(format!(
            "{input} is one project's copy of a shared default: --by needs an input that --set can fix"
        ));
    }
    Ok(cases)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_runs_are_announced_and_short_ones_are_not() {
        let long = Duration::from_secs(60);
        let line = estimate(100_000_000, 10_000, Duration::from_secs(1), long).expect("long");
        assert!(
            line.starts_with("subsoil: 100,000,000 paths will take about 2 h 47 min"),
            "{line}"
        );
        assert!(line.contains("first 10,000 paths in 1.0 s"), "{line}");
        assert_eq!(estimate(50_000, 10_000, Duration::from_secs(1), long), None);
        assert_eq!(estimate(0, 0, Duration::from_secs(1), long), None);
    }

    #[test]
    fn the_estimate_waits_until_every_worker_has_finished_a_chunk() {
        // Two workers on chunks of 128 paths: the first report alone holds half the work done.
        assert!(!every_worker_reported(128, 128, 2));
        assert!(every_worker_reported(256, 128, 2));
        assert!(every_worker_reported(384, 128, 2));
        assert!(every_worker_reported(128, 128, 1));
        // `compare --explain` of the February draft and the final agreement, 2,000 paths on 2 workers:
        // the first chunk was reported at 40.3 s and the run took 259 s. Estimated from that report
        // alone, 630 s (10 min); from both workers' chunks, 315 s (5 min).
        let long = Duration::from_secs(60);
        let one = estimate(2_000, 128, Duration::from_secs_f64(40.3), long).expect("long");
        assert!(one.contains("about 10 min"), "{one}");
        let both = estimate(2_000, 256, Duration::from_secs_f64(40.3), long).expect("long");
        assert!(both.contains("about 5 min"), "{both}");
        assert_eq!(workers(3), 3);
        assert!(workers(0) >= 1);
    }

    #[test]
    fn durations_read_as_a_person_would_say_them() {
        assert_eq!(duration(61.0), "61 s");
        assert_eq!(duration(600.0), "10 min");
        assert_eq!(duration(7200.0), "2 h");
        assert_eq!(duration(3.0 * 86_400.0), "3 days");
        assert_eq!(grouped(1_234), "1,234");
        assert_eq!(grouped(12), "12");
    }
}
