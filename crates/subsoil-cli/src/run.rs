//! `subsoil run`.

use std::process::ExitCode;

use clap::Args;
use serde::Serialize;
use subsoil_engine::{BaseCase, base_case};
use subsoil_scenario::{Scenario, builtin};

use crate::table::{Align, Table, musd, pct};
use crate::{EXIT_BAD_INPUT, Format, style};

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
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
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
        }
    }
}

#[derive(Serialize)]
struct DeterministicJson<'a> {
    manifest: Manifest,
    units: &'static str,
    #[serde(flatten)]
    base_case: &'a BaseCase,
}

/// Runs `subsoil run`.
pub fn run(args: &RunArgs) -> ExitCode {
    let scenario = match subsoil_scenario::load(&args.scenario, &args.sets) {
        Ok(s) => s,
        Err(e) => {
            eprint!("{}", e.render());
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    if !args.deterministic {
        eprintln!(
            "error: Monte Carlo runs are not available in this version; use --deterministic for the base case"
        );
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    let (bc, _) = base_case(&scenario);
    match args.format {
        Format::Json => {
            let out = DeterministicJson {
                manifest: Manifest::new(&scenario, &args.sets, "deterministic"),
                units: "real base-year US dollars; rates as fractions",
                base_case: &bc,
            };
            match serde_json::to_string_pretty(&out) {
                Ok(s) => println!("{s}"),
                Err(e) => {
                    eprintln!("error: cannot write JSON: {e}");
                    return ExitCode::FAILURE;
                }
            }
        }
        Format::Table => print!("{}", deterministic_table(&scenario, &bc)),
    }
    ExitCode::SUCCESS
}

fn deterministic_table(s: &Scenario, bc: &BaseCase) -> String {
    let mut out = String::new();
    out.push_str(&style::bold(&format!(
        "{} — base case",
        if s.title.is_empty() { &s.name } else { &s.title }
    )));
    out.push('\n');
    let ceasefire =
        bc.ceasefire_year.map_or("none within the horizon".to_string(), |y| y.to_string());
    out.push_str(&style::dim(&format!(
        "Every input at its median, no random events, median price paths. Ceasefire: {ceasefire}. \
         Money in millions of {} US dollars; NPV at the valuation rate to {}. Scenario {} ({}).",
        bc.base_year, s.model.time.start_year, s.name, s.hash
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
        format!("total ({} projects)", bc.projects.len()),
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
    out
}
