//! The `subsoil` command-line tool: does the math of a minerals-for-aid deal work?

mod claims;
mod compare;
mod counterfactual;
mod data;
mod explain;
mod inputs;
mod map;
mod output;
mod outputs;
mod per_path;
mod report;
mod run;
mod save;
mod sensitivity;
mod serve;
mod shard;
mod solve;
mod style;
mod table;

use std::process::ExitCode;

use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

/// Exit status for bad input (scenario files, flags): nothing was run or written.
pub const EXIT_BAD_INPUT: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "subsoil",
    version,
    about = "Monte Carlo techno-economic simulator of minerals-for-aid deals (flagship: the 2025 US–Ukraine agreement)",
    long_about = "subsoil follows deposits to projects (licensing, investment decision, capex, production, costs, \
taxes) under uncertain prices, war and leakage, into the state's receipts and the deal's fund. Every number in the \
built-in scenarios carries a source or a labelled assumption; any of them can be changed with --set or a scenario file.",
    after_help = "Examples:\n  subsoil run --deterministic\n  subsoil run ukraine-final-2025 --deterministic --format json\n  subsoil check my-scenario.toml\n  subsoil scenarios"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Output format.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// A readable table.
    Table,
    /// One JSON object.
    Json,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run a scenario and print its results.
    #[command(
        after_help = "Examples:\n  subsoil run --deterministic\n  subsoil run ukraine-final-2025 --deterministic --set rates.valuation=0.1\n  subsoil run my-scenario.toml --deterministic --format json > result.json"
    )]
    Run(run::RunArgs),
    /// Run several scenarios on common random numbers and print them side by side, with paired
    /// differences from the first.
    #[command(
        long_about = "Run several scenarios on common random numbers and print them side by side, with paired \
differences from the first.\n\nEvery path runs under each scenario with the same seed and path index; inputs \
the scenarios share (the same name) take the same values, so the difference between two deals is measured path \
by path. Its standard error is printed next to the one two independent runs would have. --set applies to every \
scenario; to change one scenario only, write a file that extends it.",
        after_help = "Examples:\n  subsoil compare ukraine-feb-2025-draft ukraine-feb-2025-framework ukraine-mar-2025-draft ukraine-final-2025\n  subsoil compare ukraine-mar-2025-draft ukraine-final-2025 --paths 50000 --sampler lhs\n  subsoil compare ukraine-final-2025 my-final-variant.toml --set conflict.ceasefire-hazard=0.1 --format json > diff.json\n\nmy-final-variant.toml, a variant of the final agreement with a shorter lock-up:\n  format-version = 1\n  extends = \"ukraine-final-2025\"\n  [metadata]\n  name = \"final-lock-up-2030\"\n  [deal]\n  lock-up-until = 2030"
    )]
    Compare(compare::CompareArgs),
    /// Merge the folders written by `subsoil run --shard I/N --out DIR` (or `compare --shard`) into the
    /// output of the whole run: the same summary.json, CSV files and report.html, byte for byte.
    #[command(
        long_about = "Merge the folders written by `subsoil run --shard I/N --out DIR` (or `subsoil compare … \
--shard I/N --out DIR`) into the output of the whole run: the same table, summary.json, CSV files and report.html \
as without --shard, byte for byte.\n\n\
Every shard of the run must be given once; shards of different runs (scenario, --set, paths, seed, sampler) or \
of another version of subsoil are refused. The scenario is read again as the shards name it (a built-in name, \
or a path relative to where merge runs) and must hash as it did when the shards ran.",
        after_help = "Examples:\n  subsoil run --paths 100000 --shard 0/2 --out part-0\n  subsoil run --paths 100000 --shard 1/2 --out part-1\n  subsoil merge part-0 part-1 --out results\n  subsoil merge part-* --format json > result.json"
    )]
    Merge(shard::MergeArgs),
    /// Which uncertain inputs swing one output: a tornado (each input at its P10 and its P90 on common
    /// random numbers), rank correlations, and grouped variance-based (Sobol) indices.
    #[command(
        long_about = "Which uncertain inputs swing one output, three ways.\n\nTornado: for each uncertain input, two \
runs on common random numbers with the input fixed at its 10th, then its 90th percentile; the swing is the paired \
difference of the output's mean (or probability), with its Monte Carlo error. Rank correlations: Spearman's rho of \
each input with the output over one run. Sobol indices: first-order and total variance shares of factors, groups of \
inputs and yearly random streams (a product's price path, the conflict, every project's capex overrun), by a Saltelli \
design and Jansen's estimators, with bootstrap intervals. Declare groups with --group NAME=PATTERN,... or in the \
scenario's [sensitivity.groups]; inputs in no group fall into default factors (one per product, one per kind of \
project input, the conflict, one per other section). Correlated inputs in different factors are reported.\n\nThe \
tornado costs 2 runs per uncertain input (the default scenario has about 260), the Sobol design rows x (factors + 2) \
paths.",
        after_help = "Examples:\n  subsoil sensitivity --metric partner-receipts\n  subsoil sensitivity --metric partner-target-reached --analyses sobol --rows 4000\n  subsoil sensitivity my-scenario.toml --metric revenue --group market='products.copper.*' --format json > sens.json"
    )]
    Sensitivity(sensitivity::SensitivityArgs),
    /// The value of one field at which a statistic hits a target, by bisection on common random
    /// numbers (the same seed at every value).
    #[command(
        long_about = "The value of one field at which a statistic hits a target, by bisection on common random \
numbers: every evaluation runs the same paths with the same seed, so the statistic is a deterministic function of \
the field. When the statistic does not cross the target between LO and HI, the answer says so, with the statistic \
at both ends. Statistics: mean(METRIC), P(PROBABILITY), P(METRIC >= X) (also >, <=, <).",
        after_help = "Examples:\n  subsoil solve --vary deal.contributions[0].share --range 0.1..1 --target \"P(partner-receipts-nominal >= 500bn) = 0.5\"\n  subsoil solve --vary deal.contributions[0].share --range 0.1..1 --target \"mean(partner-receipts) = 1bn\" --paths 2000\n\nExit status 0 with an answer (found or not reachable), 2 for bad arguments."
    )]
    Solve(solve::SolveArgs),
    /// Judge every claim of the public debate (the built-in claims file) on its statistic: supported,
    /// contradicted, or depends on the scenario or the inputs that swing it.
    #[command(
        after_help = "Examples:\n  subsoil claims\n  subsoil claims --paths 2000 --seed 1 --format markdown > docs/findings.md\n  subsoil claims --only decade-or-more --set deal.lock-up-until=2026"
    )]
    Claims(claims::ClaimsArgs),
    /// Check scenario files and report every problem with its location; runs nothing.
    #[command(
        after_help = "Examples:\n  subsoil check my-scenario.toml\n  subsoil check ukraine-final-2025 --set fiscal.cit-rate=0.2\n\nExit status 0 when every file is valid, 2 otherwise."
    )]
    Check {
        /// Scenario files or built-in names.
        #[arg(required = true)]
        scenarios: Vec<String>,
        /// Override a field: `path.to.field=value` (repeatable).
        #[arg(long = "set", value_name = "PATH=VALUE")]
        sets: Vec<String>,
    },
    /// List the data behind a scenario: deposits, products, or every source with counts by provenance.
    #[command(
        after_help = "Examples:\n  subsoil data deposits --commodity lithium\n  subsoil data deposits --control occupied --format csv > occupied.csv\n  subsoil data products --commodity natural_gas\n  subsoil data sources\n  subsoil data sources --format json --scenario my-scenario.toml"
    )]
    Data(data::DataArgs),
    /// List every uncertain input of a scenario, by the name `--set` and `[[input-correlations]]` use,
    /// with its distribution (p5, median and p95; the mean too with --format json) and source.
    #[command(
        after_help = "Examples:\n  subsoil inputs\n  subsoil inputs ukraine-mar-2025-draft --grep capex-overrun\n  subsoil inputs my-scenario.toml --format json > inputs.json"
    )]
    Inputs(inputs::InputsArgs),
    /// Re-render report.html in a folder written by `subsoil run --out DIR`, from its summary.json,
    /// without running anything.
    #[command(
        after_help = "Example:\n  subsoil run --paths 50000 --out results\n  subsoil report results\n\nThe page is a function of summary.json alone: the same folder gives the same bytes."
    )]
    Report {
        /// The folder: it must hold the summary.json of a Monte Carlo run.
        dir: std::path::PathBuf,
    },
    /// List the built-in scenarios.
    #[command(after_help = "Example:\n  subsoil scenarios")]
    Scenarios {
        /// List the built-in layers a scenario file may extend, with what each brings.
        #[arg(long)]
        layers: bool,
    },
    /// Serve a local web page and JSON API: pick a deal, move the assumptions in dispute, watch the
    /// answers arrive block by block.
    #[command(
        after_help = "Examples:\n  subsoil serve                 # http://127.0.0.1:8080/\n  subsoil serve --port 0        # a free port, printed on start\n  curl -s localhost:8080/api/run -d '{\"scenario\": \"ukraine-final-2025\", \"paths\": 4096}'\n\nThe API is described at /api/openapi.json."
    )]
    Serve(serve::ServeArgs),
    /// Print the scenario reference (every field, unit, default and constraint) as Markdown.
    #[command(after_help = "Example:\n  subsoil reference > docs/scenario-reference.md")]
    Reference,
}

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    match cli.command {
        Command::Run(mut args) => {
            // `--until-se` without `--paths` may run past the default 10,000 paths (the rule needs
            // at least 16,384): its cap is then `run::UNTIL_SE_PATHS`.
            let given = matches.subcommand_matches("run").and_then(|m| m.value_source("paths"));
            if args.until_se.is_some() && given != Some(ValueSource::CommandLine) {
                args.mc.paths = run::UNTIL_SE_PATHS;
            }
            run::run(&args)
        }
        Command::Compare(args) => compare::run(&args),
        Command::Merge(args) => shard::merge(&args),
        Command::Sensitivity(args) => sensitivity::run(&args),
        Command::Solve(args) => solve::run(&args),
        Command::Claims(args) => claims::run(&args),
        Command::Data(args) => data::run(&args),
        Command::Inputs(args) => inputs::run(&args),
        Command::Check { scenarios, sets } => check(&scenarios, &sets),
        Command::Report { dir } => report::run(&dir),
        Command::Serve(args) => serve::run(&args),
        Command::Scenarios { layers: true } => {
            let mut t = table::Table::new(&[
                ("layer", table::Align::Left),
                ("extends", table::Align::Left),
                ("sections", table::Align::Left),
            ]);
            let mut about = String::new();
            for l in subsoil_scenario::builtin::layers() {
                t.row(vec![l.name.to_string(), l.extends.join(", "), l.sections.join(", ")]);
                about.push_str(&format!("{} ({}): {}\n", l.name, l.path, l.about));
            }
            output::stdout(&format!(
                "{}\n{about}\nA file extends a layer with `extends = \"NAME\"`; what it writes replaces what the \
                 layer gives, field by field.\n",
                t.render()
            ))
        }
        Command::Scenarios { layers: false } => {
            let mut t = table::Table::new(&[
                ("scenario", table::Align::Left),
                ("what", table::Align::Left),
            ]);
            for (name, what) in subsoil_scenario::builtin::SCENARIOS {
                t.row(vec![name.to_string(), what.to_string()]);
            }
            output::stdout(&format!(
                "{}\nDefault of `subsoil run`: {}\n",
                t.render(),
                subsoil_scenario::builtin::DEFAULT_SCENARIO
            ))
        }
        Command::Reference => output::stdout(&subsoil_scenario::reference::render()),
    }
}

fn check(scenarios: &[String], sets: &[String]) -> ExitCode {
    let mut bad = false;
    let mut text = String::new();
    for s in scenarios {
        match subsoil_scenario::load(s, sets) {
            Ok(sc) => text.push_str(&format!(
                "{s}: ok ({} products, {} deposits, {} projects{}, {} uncertain inputs; hash {})\n",
                sc.model.products.len(),
                sc.model.deposits.len() - sc.model.flows.len(),
                sc.model.listed_projects(),
                match sc.model.flows.len() {
                    0 => String::new(),
                    n => format!(", {n} licensing flows"),
                },
                sc.inputs.list.len(),
                sc.hash
            )),
            Err(e) => {
                bad = true;
                output::stderr(&e.render());
            }
        }
    }
    output::status(output::stdout(&text), bad)
}
