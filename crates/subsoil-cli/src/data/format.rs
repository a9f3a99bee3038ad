//! What the listings of `subsoil data` share: the one place a [`Listing`] becomes JSON, CSV or a table,
//! and how values, provenance and long text are written.

use serde::Serialize;
use subsoil_scenario::{Provenance, Scenario};

use super::{DataFormat, Listing};
use crate::style;

/// `listing` of scenario `s` in `format`, or the message for an error.
pub fn write<L: Listing>(s: &Scenario, listing: &L, format: DataFormat) -> Result<String, String> {
    match format {
        DataFormat::Json => json(&Doc { scenario: &s.name, scenario_hash: &s.hash, body: listing }),
        DataFormat::Csv => {
            let mut out = csv_line(L::CSV_HEADER);
            for record in listing.csv_records() {
                let cells: Vec<&str> = record.iter().map(String::as_str).collect();
                out.push_str(&csv_line(&cells));
            }
            Ok(out)
        }
        DataFormat::Table => Ok(listing.table(s)),
    }
}

/// A JSON document: the scenario it describes, then the listing.
#[derive(Serialize)]
struct Doc<'a, B: Serialize> {
    scenario: &'a str,
    scenario_hash: &'a str,
    #[serde(flatten)]
    body: &'a B,
}

fn json<T: Serialize>(v: &T) -> Result<String, String> {
    serde_json::to_string_pretty(v)
        .map(|s| s + "\n")
        .map_err(|e| format!("error: cannot write JSON: {e}\n"))
}

/// One CSV record (RFC 4180: fields with a comma, quote or line break are quoted).
fn csv_line(cells: &[&str]) -> String {
    let quoted: Vec<String> = cells
        .iter()
        .map(|c| {
            if c.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.to_string()
            }
        })
        .collect();
    quoted.join(",") + "\n"
}

/// Provenance kind as printed: `sourced`, `derived`, `assumption`, `unsourced` (or `default`).
pub fn kind(p: &Provenance) -> &'static str {
    match p.kind() {
        "source" => "sourced",
        k => k,
    }
}

/// One-letter provenance mark for tables.
pub fn mark(kind: &str) -> &'static str {
    match kind {
        "sourced" => "s",
        "derived" => "d",
        "assumption" => "a",
        _ => "u",
    }
}

/// A bold heading line followed by a newline.
pub fn heading(s: &str) -> String {
    format!("{}\n", style::bold(s))
}

/// A dimmed note followed by a newline.
pub fn note(s: &str) -> String {
    format!("{}\n", style::dim(s))
}

/// `s` cut to `n` characters with an ellipsis.
pub fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// A number for tables: thousands grouped from 100 up, two decimals below, three significant
/// digits below 1.
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    let a = x.abs();
    let s = if a >= 100.0 {
        let int = format!("{:.0}", a);
        let mut g = String::new();
        for (i, ch) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                g.push(',');
            }
            g.push(ch);
        }
        g
    } else if a >= 1.0 {
        trim(format!("{a:.2}"))
    } else if a == 0.0 {
        "0".into()
    } else {
        let digits = (2 - a.log10().floor() as i32).clamp(0, 12) as usize;
        trim(format!("{a:.digits$}"))
    };
    if x < 0.0 { format!("-{s}") } else { s }
}

/// A fraction as a percentage, up to two decimals.
pub fn percent(x: f64) -> String {
    format!("{}%", trim(format!("{:.2}", x * 100.0)))
}

fn trim(s: String) -> String {
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_when_needed() {
        assert_eq!(csv_line(&["a", "b,c", "say \"hi\"", ""]), "a,\"b,c\",\"say \"\"hi\"\"\",\n");
    }

    #[test]
    fn numbers_read_well_in_tables() {
        assert_eq!(num(17835.0), "17,835");
        assert_eq!(num(2000.0), "2,000");
        assert_eq!(num(25.94), "25.94");
        assert_eq!(num(0.47), "0.47");
        assert_eq!(num(0.0625), "0.0625");
        assert_eq!(percent(0.0625), "6.25%");
        assert_eq!(percent(0.05), "5%");
        assert_eq!(short("abcdef", 4), "abc…");
    }
}
