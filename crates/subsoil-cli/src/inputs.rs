//! `subsoil inputs`: every uncertain input of a scenario, by the name `--set` and `input-correlations`
//! use, with its distribution and where it comes from.

use std::process::ExitCode;

use clap::Args;
use serde::Serialize;

use crate::save::{InputRow, input_rows};
use crate::table::{Align, Table};
use crate::{EXIT_BAD_INPUT, Format, output};

/// Arguments of `subsoil inputs`.
#[derive(Args, Debug)]
pub struct InputsArgs {
    /// Built-in scenario name or scenario file (default: the built-in default scenario).
    pub scenario: Option<String>,
    /// Override a field: `path.to.field=value` (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Only inputs whose name contains this text.
    #[arg(long)]
    pub grep: Option<String>,
}

/// Runs `subsoil inputs`.
pub fn run(args: &InputsArgs) -> ExitCode {
    let name = args.scenario.as_deref().unwrap_or(subsoil_scenario::builtin::DEFAULT_SCENARIO);
    let s = match subsoil_scenario::load(name, &args.sets) {
        Ok(s) => s,
        Err(e) => {
            output::stderr(&e.render());
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    let rows: Vec<InputRow> = input_rows(&s)
        .into_iter()
        .filter(|r| args.grep.as_deref().is_none_or(|g| r.name.contains(g)))
        .collect();
    match args.format {
        Format::Json => {
            #[derive(Serialize)]
            struct Out<'a> {
                scenario: &'a str,
                inputs: &'a [InputRow],
            }
            crate::run::print_json(&Out { scenario: &s.name, inputs: &rows })
        }
        Format::Table => {
            let mut t = Table::new(&[
                ("input", Align::Left),
                ("distribution", Align::Left),
                ("p5", Align::Right),
                ("median", Align::Right),
                ("p95", Align::Right),
                ("unit", Align::Left),
                ("--set field", Align::Left),
                ("provenance", Align::Left),
                ("source or reason", Align::Left),
            ]);
            for r in &rows {
                t.row(vec![
                    r.name.clone(),
                    r.distribution.to_string(),
                    sig(r.p5),
                    sig(r.median),
                    sig(r.p95),
                    r.unit.clone(),
                    match &r.field {
                        Some(f) if *f == r.name => "same".to_string(),
                        // The scale of a by-year series.
                        Some(f) if f.strip_suffix(".scale") == Some(r.name.as_str()) => f.clone(),
                        Some(f) => format!("{f} (all projects)"),
                        None => "derived".to_string(),
                    },
                    r.provenance.to_string(),
                    shorten(&r.source, 60),
                ]);
            }
            output::stdout(&format!(
                "{}\n{} uncertain inputs in {}. `--set FIELD=VALUE` fixes one (\"same\": the input's own name); \
                 the names go in [[input-correlations]]; full sources with --format json.\n",
                t.render(),
                rows.len(),
                s.name
            ))
        }
    }
}

/// `text` cut to at most `n` characters, with an ellipsis when cut.
fn shorten(text: &str, n: usize) -> String {
    let text = text.replace('\n', " ");
    if text.chars().count() <= n {
        text
    } else {
        let mut s: String = text.chars().take(n - 1).collect();
        s.push('…');
        s
    }
}

/// `x` to four significant digits, in scientific notation outside 1e-4..1e9.
fn sig(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let mag = x.abs().log10().floor() as i32;
    if !(-4..9).contains(&mag) {
        let s = format!("{x:.3e}");
        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
        let m = if m.contains('.') { m.trim_end_matches('0').trim_end_matches('.') } else { m };
        return format!("{m}e{e}");
    }
    let decimals = (3 - mag).max(0) as usize;
    let s = format!("{x:.decimals$}");
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s }
}

#[cfg(test)]
mod tests {
    use super::sig;

    #[test]
    fn numbers_keep_four_significant_digits() {
        assert_eq!(sig(325_499.326_144), "325499");
        assert_eq!(sig(0.008_573_2), "0.008573");
        assert_eq!(sig(3424.264), "3424");
        assert_eq!(sig(0.025_003), "0.025");
        assert_eq!(sig(2e9), "2e9");
        assert_eq!(sig(-1.234_56e-6), "-1.235e-6");
        assert_eq!(sig(0.0), "0");
    }
}
