//! How the engine's outputs are written in the tables of `run` and `compare`: one label and one number
//! format per [`Unit`], one order of statistics, one way to write an event's median year and how a run
//! was made. The tables dispatch on the registry's types, never on unit strings or names.

use subsoil_engine::{Distribution, RunHeader, SeMethod, TimeToEventStats, Unit};

use crate::table::musd;

/// Reads one statistic off a distribution.
pub type Pick = fn(&Distribution) -> f64;

/// The statistics a table shows of a metric, in order, with their column or row names.
pub const STATISTICS: [(&str, Pick); 5] = [
    ("mean", |d| d.mean),
    ("± MC error", |d| d.se),
    ("P10", |d| d.p10),
    ("P50", |d| d.p50),
    ("P90", |d| d.p90),
];

/// A metric as a table shows it: its label (name and unit) and how its numbers are written.
pub struct Shown {
    /// The name, followed by the unit unless it is a count.
    pub label: String,
    /// How one number is written.
    pub number: fn(f64) -> String,
}

impl Shown {
    /// How a metric called `name`, in `unit`, is shown.
    pub fn new(name: &str, unit: Unit) -> Shown {
        let (suffix, number): (&str, fn(f64) -> String) = match unit {
            Unit::RealUsd => (" ($m)", musd),
            Unit::NominalUsd => (" ($m nominal)", musd),
            Unit::ShareOfGdp => (" (%)", percent3),
            Unit::Projects => ("", count),
        };
        Shown { label: format!("{name}{suffix}"), number }
    }

    /// The [`STATISTICS`] of `d`, written.
    pub fn statistics<'a>(&'a self, d: &'a Distribution) -> impl Iterator<Item = String> + 'a {
        STATISTICS.iter().map(move |(_, pick)| (self.number)(pick(d)))
    }
}

/// A count (projects) with one decimal.
pub fn count(x: f64) -> String {
    if x.is_finite() { format!("{x:.1}") } else { "—".into() }
}

/// A fraction as a percentage with three decimals, without the sign (small shares such as payments as
/// a share of GDP).
pub fn percent3(x: f64) -> String {
    if x.is_finite() { format!("{:.3}", x * 100.0) } else { "—".into() }
}

/// A fraction, or a difference of two, in percentage points with two decimals.
pub fn points(x: f64) -> String {
    if x.is_finite() { format!("{:.2}", x * 100.0) } else { "—".into() }
}

/// An event's median year with its 95% interval, `2031 [2030, 2033]`, or `after 2075` when fewer than
/// half of the paths have it by `end`, the last simulated year.
pub fn median_year(c: &TimeToEventStats, end: i32) -> String {
    match c.median_year {
        Some(y) => {
            let lo = c.median_year_ci95[0].map_or("—".to_string(), |y| y.to_string());
            let hi = c.median_year_ci95[1].map_or(format!("after {end}"), |y| y.to_string());
            format!("{y} [{lo}, {hi}]")
        }
        None => format!("after {end}"),
    }
}

/// How a run was made, as the first words of a table's note: `Seed 1, random sampling, standard errors
/// sd/√n.`
pub fn how_run(h: &RunHeader) -> String {
    let se = match h.se_method {
        SeMethod::Iid => "sd/√n".to_string(),
        SeMethod::BetweenBlocks if h.partial_block_paths > 0 => format!(
            "from the spread of {} full blocks of {} (the last {} paths: from the spread of the full \
             blocks' first {})",
            h.blocks - 1,
            h.block_size,
            h.partial_block_paths,
            h.partial_block_paths
        ),
        SeMethod::BetweenBlocks => {
            format!("from the spread of {} blocks of {}", h.blocks, h.block_size)
        }
    };
    format!("Seed {}, {} sampling, standard errors {se}.", h.seed, h.sampler)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_unit_has_its_label() {
        assert_eq!(Shown::new("capex", Unit::RealUsd).label, "capex ($m)");
        assert_eq!(
            Shown::new("partner-capital", Unit::NominalUsd).label,
            "partner-capital ($m nominal)"
        );
        assert_eq!(Shown::new("share", Unit::ShareOfGdp).label, "share (%)");
        assert_eq!(Shown::new("producing-2030", Unit::Projects).label, "producing-2030");
        assert_eq!((Shown::new("share", Unit::ShareOfGdp).number)(0.00123), "0.123");
        assert_eq!((Shown::new("capex", Unit::RealUsd).number)(1.5e9), "1,500.0");
        assert_eq!((Shown::new("n", Unit::Projects).number)(f64::NAN), "—");
    }
}
