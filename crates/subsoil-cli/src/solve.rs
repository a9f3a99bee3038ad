//! `subsoil solve`: the value of one field at which a statistic hits a target, by bisection on common
//! random numbers.

use std::process::ExitCode;

use clap::Args;
use serde::Serialize;
use subsoil_engine::solve::{Bisection, Estimate, Statistic, parse_amount};
use subsoil_engine::{MetricRef, RunConfig, bisect, bisect_whole, estimate};
use subsoil_scenario::schema::{Ty, field_at};
use subsoil_scenario::{Scenario, builtin};

use crate::outputs::Shown;

use crate::run::{Manifest, print_json};
use crate::{EXIT_BAD_INPUT, Format, output, style};

/// Arguments of `subsoil solve`.
#[derive(Args, Debug)]
pub struct SolveArgs {
    /// Built-in scenario name or path to a scenario file.
    #[arg(default_value = builtin::DEFAULT_SCENARIO)]
    pub scenario: String,
    /// The field to vary, as `--set` writes it (e.g. `deal.contributions[0].share`); an uncertain
    /// input is fixed at each value tried.
    #[arg(long, value_name = "FIELD")]
    pub vary: String,
    /// The range to search, `LO..HI`.
    #[arg(long, value_name = "LO..HI", allow_hyphen_values = true)]
    pub range: String,
    /// `STATISTIC = VALUE`: `mean(METRIC)` (or a metric's name), `P(PROBABILITY)` (or its name), or
    /// `P(METRIC >= X)` (also `>`, `<=`, `<`); X and VALUE as numbers (`500e9`, `$500bn`, `0.5`, `50%`).
    #[arg(long, value_name = "STATISTIC = VALUE")]
    pub target: String,
    /// Paths of each evaluation (the same paths every time).
    #[arg(long, value_name = "N", default_value_t = 4_000, value_parser = clap::value_parser!(u64).range(2..=crate::run::MAX_PATHS))]
    pub paths: u64,
    /// Seed of every random number (the same for every evaluation).
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Worker threads (0 = every core). The output does not depend on it.
    #[arg(long, value_name = "T", default_value_t = 0)]
    pub threads: usize,
    /// Stop when the bracket is at most this wide (default: a thousandth of the range).
    #[arg(long, value_name = "WIDTH")]
    pub tol: Option<f64>,
    /// Most halvings of the range.
    #[arg(long, value_name = "K", default_value_t = 40)]
    pub max_steps: u32,
    /// Override a field: `path.to.field=value` (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `LO..HI` with LO < HI.
fn parse_range(s: &str) -> Result<(f64, f64), String> {
    let (lo, hi) = s
        .split_once("..")
        .ok_or_else(|| format!("--range {s:?}: expected LO..HI, e.g. 0.1..0.9"))?;
    let num = |x: &str| {
        parse_amount(x).ok_or_else(|| format!("--range {s:?}: {:?} is not a number", x.trim()))
    };
    let (lo, hi) = (num(lo)?, num(hi)?);
    if lo >= hi {
        return Err(format!("--range {s:?}: LO must be below HI"));
    }
    Ok((lo, hi))
}

/// The values a field takes, as the schema says: whether only whole numbers, and the bounds.
struct Values {
    whole: bool,
    min: f64,
    max: f64,
}

/// The [`Values`] of the field at `path`; `None` for a field that is not a number.
fn values_of(path: &str) -> Option<Values> {
    let field = field_at(path)?;
    let ty = match &field.ty {
        Ty::Array(inner) if path.ends_with(']') => inner,
        ty => ty,
    };
    match ty {
        Ty::Count { min, max } => Some(Values { whole: true, min: *min as f64, max: *max as f64 }),
        Ty::Quantity(q) => Some(Values { whole: false, min: q.min, max: q.max }),
        _ => None,
    }
}

/// `[0, 1]`, `[0, ∞)`.
fn interval(v: &Values) -> String {
    let lo = if v.min.is_finite() { format!("[{}", g(v.min)) } else { "(-∞".into() };
    let hi = if v.max.is_finite() { format!("{}]", g(v.max)) } else { "∞)".into() };
    format!("{lo}, {hi}")
}

/// Checks `--range` against the values the field `vary` takes.
fn check_range(range: &str, vary: &str, v: &Values, lo: f64, hi: f64) -> Result<(), String> {
    if lo < v.min || hi > v.max {
        return Err(format!("--range {range:?}: {vary} takes values in {}", interval(v)));
    }
    if v.whole
        && let Some(x) = [lo, hi].into_iter().find(|x| x.fract() != 0.0)
    {
        return Err(format!("--range {range:?}: {vary} takes whole numbers; {} is not one", g(x)));
    }
    Ok(())
}

/// Splits `STATISTIC = VALUE` at its last `=` that is not part of `>=` or `<=`.
fn split_target(s: &str) -> Option<(&str, &str)> {
    let b = s.as_bytes();
    let at = (0..b.len()).rev().find(|&i| {
        b[i] == b'='
            && (i == 0 || !matches!(b[i - 1], b'<' | b'>' | b'=' | b'!'))
            && b.get(i + 1) != Some(&b'=')
    })?;
    Some((&s[..at], &s[at + 1..]))
}

/// Reads `--target` against the outputs of `s`.
fn parse_target(s: &Scenario, text: &str) -> Result<(Statistic, f64), String> {
    let (stat, value) = split_target(text).ok_or_else(|| {
        format!(
            "--target {text:?}: expected \"STATISTIC = VALUE\", e.g. \"P(partner-receipts-nominal >= 500bn) = 0.5\""
        )
    })?;
    let statistic =
        Statistic::parse(&s.model, stat).map_err(|e| format!("--target {text:?}: {e}"))?;
    let v = value.trim();
    let value = match v.strip_suffix('%') {
        Some(n) if statistic.is_probability() => parse_amount(n).map(|x| x / 100.0),
        Some(_) => None,
        None => parse_amount(v),
    }
    .ok_or_else(|| format!("--target {text:?}: {v:?} is not a number"))?;
    if statistic.is_probability() && !(0.0..=1.0).contains(&value) {
        return Err(format!(
            "--target {text:?}: a probability is between 0 and 1 (or 0% and 100%), not {v}"
        ));
    }
    Ok((statistic, value))
}

#[derive(Serialize)]
struct Json<'a> {
    manifest: Manifest,
    vary: &'a str,
    range: [f64; 2],
    statistic: String,
    paths: u64,
    seed: u64,
    #[serde(flatten)]
    result: &'a Bisection,
}

/// Runs `subsoil solve`.
pub fn run(args: &SolveArgs) -> ExitCode {
    let bad = |msg: String| {
        output::stderr(&format!("error: {msg}\n"));
        ExitCode::from(EXIT_BAD_INPUT)
    };
    let (lo, hi) = match parse_range(&args.range) {
        Ok(r) => r,
        Err(e) => return bad(e),
    };
    if field_at(&args.vary).is_none() {
        return bad(format!(
            "--vary {:?}: no such field in the scenario schema (see docs/scenario-reference.md; \
             `subsoil inputs` lists the uncertain ones)",
            args.vary
        ));
    }
    let values = values_of(&args.vary);
    if let Some(v) = &values
        && let Err(e) = check_range(&args.range, &args.vary, v, lo, hi)
    {
        return bad(e);
    }
    let whole = values.as_ref().is_some_and(|v| v.whole);
    if let Some(t) = args.tol {
        if whole {
            return bad(format!(
                "--tol {t}: {} takes whole numbers, bisected until two neighbours remain; \
                 leave --tol out",
                args.vary
            ));
        }
        if !(t.is_finite() && t > 0.0) {
            return bad(format!("--tol {t}: expected a positive width"));
        }
    }
    let load = |x: Option<f64>| {
        let mut sets = args.sets.clone();
        if let Some(x) = x {
            sets.push(format!("{}={x}", args.vary));
        }
        subsoil_scenario::load(&args.scenario, &sets)
    };
    let scenario = match load(None) {
        Ok(s) => s,
        Err(e) => {
            output::stderr(&e.render());
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    let (statistic, target) = match parse_target(&scenario, &args.target) {
        Ok(t) => t,
        Err(e) => return bad(e),
    };
    let config = RunConfig { threads: args.threads, ..RunConfig::new(args.paths, args.seed) };
    enum Failure {
        Load(subsoil_scenario::LoadError),
        Run(subsoil_engine::RunError),
    }
    let eval = |x: f64| -> Result<Estimate, Failure> {
        let s = load(Some(x)).map_err(Failure::Load)?;
        estimate(&s, &config, &statistic).map_err(Failure::Run)
    };
    let tol = args.tol.unwrap_or((hi - lo) / 1000.0);
    let result = if whole {
        bisect_whole(eval, lo as i64, hi as i64, target, args.max_steps)
    } else {
        bisect(eval, lo, hi, target, tol, args.max_steps)
    };
    let result = match result {
        Ok(r) => r,
        Err(Failure::Load(e)) => {
            output::stderr(&e.render());
            return ExitCode::from(EXIT_BAD_INPUT);
        }
        Err(Failure::Run(e)) => {
            return crate::run::run_failed(&e);
        }
    };
    match args.format {
        Format::Json => print_json(&Json {
            manifest: Manifest::new(&scenario, &args.sets, "solve"),
            vary: &args.vary,
            range: [lo, hi],
            statistic: statistic.label(),
            paths: args.paths,
            seed: args.seed,
            result: &result,
        }),
        Format::Table => output::stdout(&crate::run::in_currency(
            table(&scenario, args, &statistic, &result),
            &scenario,
        )),
    }
}

fn table(s: &Scenario, args: &SolveArgs, statistic: &Statistic, r: &Bisection) -> String {
    // A mean of a metric in the metric's unit and format, as `run` writes it: `mean(revenue) ($m)`.
    let (stat, number): (String, fn(f64) -> String) = match statistic {
        Statistic::Of(MetricRef::Metric(m)) => {
            let shown = Shown::new(m.name, m.unit);
            let unit = shown.label.strip_prefix(m.name).unwrap_or_default();
            (format!("{}{unit}", statistic.label()), shown.number)
        }
        _ => (statistic.label(), |x| format!("{:.2}%", x * 100.0)),
    };
    let num = |e: &Estimate| {
        if statistic.is_probability() {
            format!("{:.2}% ± {:.2}", e.value * 100.0, e.se * 100.0)
        } else {
            format!("{} ± {}", number(e.value), number(e.se))
        }
    };
    let target = number(r.target);
    let title = if s.title.is_empty() { &s.name } else { &s.title };
    let mut out = style::bold(&format!("{title} — solve {stat} = {target} over {}", args.vary));
    out.push('\n');
    let over = if r.whole_numbers {
        format!(" over whole numbers ({} takes only whole numbers)", args.vary)
    } else {
        String::new()
    };
    out.push_str(&style::dim(&format!(
        "Bisection{over} on common random numbers: {} paths, seed {} at every value. Scenario {} ({}).",
        args.paths, args.seed, s.name, s.hash
    )));
    out.push_str("\n\n");
    // A line for each value of `xs`, with the statistic the last evaluation there found.
    let evaluated_at = |xs: &[f64]| -> String {
        let mut lines = String::new();
        for &x in xs {
            if let Some(e) = r.evaluations.iter().rev().find(|e| e.x == x) {
                let line =
                    format!("  at {} = {}: {stat} = {}\n", args.vary, g(x), num(&e.estimate));
                lines.push_str(&line);
            }
        }
        lines
    };
    let [a, b] = &r.ends;
    match r.root {
        Some(root) if r.whole_numbers => {
            out.push_str(&format!(
                "{} = {} is the first whole number from {} at which {stat} reaches {target} \
                 (bracket [{}, {}], {} evaluations)\n",
                args.vary,
                g(root),
                g(a.x),
                g(r.bracket[0]),
                g(r.bracket[1]),
                r.evaluations.len()
            ));
            let [x, y] = r.bracket;
            let ends = if x == y { vec![x] } else { vec![x, y] };
            out.push_str(&evaluated_at(&ends));
        }
        Some(root) => {
            out.push_str(&format!(
                "{} = {} (bracket [{}, {}], {} evaluations)\n",
                args.vary,
                g(root),
                g(r.bracket[0]),
                g(r.bracket[1]),
                r.evaluations.len()
            ));
            if let Some(se) = r.root_se {
                out.push_str(&format!(
                    "  Monte Carlo error of the value about ± {} (the statistic's standard error over its \
                     slope across the range)\n",
                    g(se)
                ));
            }
            // The evaluations nearest the root on each side.
            out.push_str(&evaluated_at(&r.bracket));
        }
        None => {
            out.push_str(&format!(
                "Not reachable in range: {stat} does not cross {target} between {} and {}.\n",
                g(a.x),
                g(b.x)
            ));
        }
    }
    out.push_str(&format!("  at {} = {} (LO): {stat} = {}\n", args.vary, g(a.x), num(&a.estimate)));
    out.push_str(&format!("  at {} = {} (HI): {stat} = {}\n", args.vary, g(b.x), num(&b.estimate)));
    out
}

/// A number with up to 6 significant digits.
fn g(x: f64) -> String {
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    if x != 0.0 && (x.abs() >= 1e7 || x.abs() < 1e-4) { format!("{x:.6e}") } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_split_at_their_equals_sign_and_ranges_need_lo_below_hi() {
        assert_eq!(split_target("P(x >= 5) = 0.5"), Some(("P(x >= 5) ", " 0.5")));
        assert_eq!(split_target("mean(x)=3"), Some(("mean(x)", "3")));
        assert_eq!(split_target("P(x >= 5)"), None);
        assert_eq!(parse_range("0.1..0.9"), Ok((0.1, 0.9)));
        assert!(parse_range("0.9..0.1").is_err());
        assert!(parse_range("0.1-0.9").is_err());
        assert_eq!(g(0.25), "0.25");
        assert_eq!(g(40000.0), "40000");
    }
}
