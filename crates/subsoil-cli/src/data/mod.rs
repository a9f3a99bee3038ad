//! `subsoil data`: the data behind a scenario, as a table, CSV or JSON.
//!
//! - `deposits` ([`deposits`]): the deposits file with control status, licence holder and licence
//!   events;
//! - `products` ([`products`]): each product's price, long-run level, volatility, half-life, royalty
//!   rate and the dominant producer's share, each with its provenance kind;
//! - `sources` ([`sources`]): how many values are sourced, derived, assumptions or unsourced, then
//!   every source with the values it supports.
//!
//! Each listing builds one value that is its JSON body and knows its CSV records and its table
//! ([`Listing`]); [`format::write`] turns it into the format asked for. Everything is read through
//! `subsoil_scenario` (the scenario is loaded and validated first), so the command works from any
//! directory on the built-in data.

mod deposits;
mod format;
mod products;
mod sources;

use std::process::ExitCode;

use clap::{Args, ValueEnum};
use serde::Serialize;
use subsoil_scenario::{Scenario, builtin};

use crate::EXIT_BAD_INPUT;

/// What `subsoil data` lists.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum What {
    /// Deposits with control status, licence holder and licence events.
    Deposits,
    /// Products with prices, price-process parameters and royalty rates.
    Products,
    /// Every source with the values it supports, after counts by provenance kind.
    Sources,
}

/// Output format of `subsoil data`.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum DataFormat {
    /// A readable table (long text shortened).
    Table,
    /// Comma-separated values with a header row (RFC 4180), full text.
    Csv,
    /// One JSON object, full text.
    Json,
}

/// Control status filter.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ControlArg {
    /// Held by the host government, work possible (also written `ukraine`).
    #[value(alias = "ukraine")]
    Operable,
    /// On a front line (also written `frontline`).
    #[value(alias = "frontline")]
    Contested,
    /// Occupied.
    Occupied,
    /// Not known.
    Unknown,
}

/// Arguments of `subsoil data`.
#[derive(Args, Debug)]
pub struct DataArgs {
    /// What to list.
    #[arg(value_enum)]
    pub what: What,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DataFormat::Table)]
    pub format: DataFormat,
    /// Only deposits with this commodity (e.g. lithium, rare_earths, natural_gas), or products whose id
    /// or name mentions it.
    #[arg(long, value_name = "COMMODITY")]
    pub commodity: Option<String>,
    /// Only deposits with this control status.
    #[arg(long, value_enum)]
    pub control: Option<ControlArg>,
    /// Scenario whose data to list: a built-in name or a path to a scenario file.
    #[arg(long, default_value = builtin::DEFAULT_SCENARIO)]
    pub scenario: String,
}

/// Runs `subsoil data`. A closed pipe (`subsoil data sources | head`) is not an error.
pub fn run(args: &DataArgs) -> ExitCode {
    let text = match output(args) {
        Ok(text) => text,
        Err(msg) => {
            crate::output::stderr(&msg);
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    crate::output::stdout(&text)
}

/// The text to print, or the message for bad input.
fn output(args: &DataArgs) -> Result<String, String> {
    match (args.what, &args.commodity, args.control) {
        (What::Products, _, Some(_)) => {
            return Err("error: --control applies to `subsoil data deposits` only\n".into());
        }
        (What::Sources, Some(_), _) | (What::Sources, _, Some(_)) => {
            return Err(
                "error: --commodity and --control apply to `subsoil data deposits` and `products`\n"
                    .into(),
            );
        }
        _ => {}
    }
    let scenario = subsoil_scenario::load(&args.scenario, &[]).map_err(|e| e.render())?;
    match args.what {
        What::Deposits => {
            format::write(&scenario, &deposits::listing(&scenario, args)?, args.format)
        }
        What::Products => {
            format::write(&scenario, &products::listing(&scenario, args)?, args.format)
        }
        What::Sources => format::write(&scenario, &sources::listing(args)?, args.format),
    }
}

/// A listing of `subsoil data`: serialised, it is the JSON body (after the scenario's name and hash).
trait Listing: Serialize {
    /// The CSV header.
    const CSV_HEADER: &'static [&'static str];
    /// The CSV records, one per row, each with a field per header column, in full.
    fn csv_records(&self) -> Vec<Vec<String>>;
    /// The readable table, with its heading and notes (long text shortened).
    fn table(&self, s: &Scenario) -> String;
}

/// `lithium`, `Rare earths`, `natural-gas` → `lithium`, `rare_earths`, `natural_gas`.
fn normalise(s: &str) -> String {
    s.trim().to_lowercase().replace(['-', ' '], "_")
}
