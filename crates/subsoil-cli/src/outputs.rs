//! How the engine's outputs are written in the tables of `run` and `compare`: one label and one number
//! format per [`Unit`], one order of statistics, one way to write an event's median year and how a run
//! was made. The tables dispatch on the registry's types, never on unit strings or names.

use subsoil_engine::{Distribution, RunHeader, SeMethod, TimeToEventStats, Unit};

use crate::table::musd;

/// Reads one statistic off a distribution.
pub type Pick = fn(&Distribution) -> f64;

/// What a statistic is, which decides how precisely it is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A mean or a standard error: exact moments, written in the unit's format.
    Moment,
    /// A percentile: exact for whole-number metrics (written as whole numbers), else from the
    /// quantile sketch, good to 0.5%, so written to three significant digits.
    Percentile,
}

/// The statistics a table shows of a metric, in order, with their column or row names.
pub const STATISTICS: [(&str, Pick, Kind); 5] = [
    ("mean", |d| d.mean, Kind::Moment),
    ("± MC error", |d| d.se, Kind::Moment),
    ("P10", |d| d.p10, Kind::Percentile),
    ("P50", |d| d.p50, Kind::Percentile),
    ("P90", |d| d.p90, Kind::Percentile),
];

/// A metric as a table shows it: its label (name and unit) and how its numbers are written.
pub struct Shown {
    /// The name, followed by the unit unless it is a count.
    pub label: String,
    /// How one number is written.
    pub number: fn(f64) -> String,
    unit: Unit,
}

impl Shown {
    /// How a metric called `name`, in `unit`, is shown.
    pub fn new(name: &str, unit: Unit) -> Shown {
        let (suffix, number): (&str, fn(f64) -> String) = match unit {
            Unit::RealUsd => (" ($m)", musd),
            Unit::NominalUsd => (" ($m nominal)", musd),
            Unit::ShareOfGdp | Unit::Fraction => (" (%)", percent3),
            Unit::Projects => ("", count),
        };
        Shown { label: format!("{name}{suffix}"), number, unit }
    }

    /// The [`STATISTICS`] of `d`, written.
    pub fn statistics<'a>(&'a self, d: &'a Distribution) -> impl Iterator<Item = String> + 'a {
        STATISTICS.iter().map(move |&(_, pick, kind)| self.statistic(kind, d, pick(d)))
    }

    /// `x`, a statistic of `kind` of `d`, written: moments in the unit's format; percentiles as whole
    /// numbers when exact counts, in the unit's format when otherwise exact, else to the three
    /// significant digits the quantile sketch guarantees (0.5%).
    pub fn statistic(&self, kind: Kind, d: &Distribution, x: f64) -> String {
        if kind == Kind::Moment {
            return (self.number)(x);
        }
        let exact = d.quantile_relative_error == 0.0;
        match (self.unit, exact) {
            (Unit::Projects, true) => whole(x),
            (_, true) => (self.number)(x),
            (Unit::RealUsd | Unit::NominalUsd, false) => significant3(x / 1e6),
            (Unit::ShareOfGdp | Unit::Fraction, false) => significant3(x * 100.0),
            (Unit::Projects, false) => significant3(x),
        }
    }
}

/// A number of paths: `1 path`, `2000 paths`.
pub fn paths(n: u64) -> String {
    format!("{n} path{}", if n == 1 { "" } else { "s" })
}

/// A whole number, e.g. `17`.
pub fn whole(x: f64) -> String {
    if x.is_finite() { format!("{x:.0}") } else { "—".into() }
}

/// `x` rounded to three significant digits, with thousands separators: `3,210`, `12.3`, `0.0123`.
pub fn significant3(x: f64) -> String {
    significant(x, 3)
}

/// `x` rounded to `digits` significant digits (at least 1), with thousands separators: with 4,
/// `727,700`, `12.35`, `0.01230`.
pub fn significant(x: f64, digits: i32) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    if x == 0.0 {
        return "0".into();
    }
    let digits = digits.max(1);
    let round = |v: f64| {
        let e = v.abs().log10().floor() as i32;
        let unit = 10f64.powi(e + 1 - digits);
        ((v / unit).round() * unit, e)
    };
    let (mut r, mut e) = round(x);
    // Rounding may carry into the next power of ten (999.6 → 1,000).
    if r != 0.0 && r.abs().log10().floor() as i32 != e {
        (r, e) = round(r);
    }
    let decimals = (digits - 1 - e).max(0) as usize;
    let s = format!("{:.decimals$}", r.abs());
    let (int, frac) = s.split_once('.').map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if r < 0.0 { "-" } else { "" };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
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
        SeMethod::None => format!(
            "none before 2 full blocks of {} (paths within a {} block are not independent, so sd/√n \
             does not measure the error)",
            h.block_size, h.sampler
        ),
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

    #[test]
    fn one_path_is_singular() {
        assert_eq!(paths(1), "1 path");
        assert_eq!(paths(2000), "2000 paths");
        assert_eq!(paths(0), "0 paths");
    }

    #[test]
    fn sketched_percentiles_have_three_significant_digits() {
        assert_eq!(significant3(3214.6), "3,210");
        assert_eq!(significant3(-3214.6), "-3,210");
        assert_eq!(significant3(1_234_567.0), "1,230,000");
        assert_eq!(significant3(12.345), "12.3");
        assert_eq!(significant3(0.012345), "0.0123");
        assert_eq!(significant3(999.6), "1,000");
        assert_eq!(significant3(9.996), "10.0");
        assert_eq!(significant3(0.0), "0");
        assert_eq!(significant3(f64::NAN), "—");
    }

    fn distribution(x: f64, error: f64) -> Distribution {
        Distribution {
            n: 10,
            non_finite: 0,
            mean: x + 0.04,
            sd: 1.0,
            se: 0.3,
            p5: x,
            p10: x,
            p25: x,
            p50: x,
            p75: x,
            p90: x,
            p95: x,
            min: x,
            max: x,
            quantile_relative_error: error,
            se_iid: 0.3,
            se_between_blocks: None,
        }
    }

    #[test]
    fn counts_print_exact_percentiles_as_whole_numbers() {
        let shown = Shown::new("producing-2035", Unit::Projects);
        let row: Vec<String> = shown.statistics(&distribution(17.0, 0.0)).collect();
        assert_eq!(row, ["17.0", "0.3", "17", "17", "17"]);
        let money = Shown::new("fund-value", Unit::RealUsd);
        let row: Vec<String> = money.statistics(&distribution(3_214.6e6, 0.005)).collect();
        assert_eq!(row, ["3,214.6", "0.0", "3,210", "3,210", "3,210"]);
        let share = Shown::new("gdp", Unit::ShareOfGdp);
        let row: Vec<String> = share.statistics(&distribution(0.001234, 0.005)).collect();
        assert_eq!(row[3], "0.123");
    }
}
