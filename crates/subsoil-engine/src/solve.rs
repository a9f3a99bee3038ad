//! Goal seek: the value of one input at which a statistic of the run hits a target.
//!
//! A [`Statistic`] is the mean over paths of one number per path: a metric, an event's indicator, or
//! the indicator that a metric passes a threshold (`P(partner-receipts-nominal >= 500bn)`). [`estimate`]
//! computes it with its Monte Carlo standard error. [`bisect`] finds where a function of one value,
//! evaluated on common random numbers (the same seed every time, so the statistic is a deterministic
//! function of the value), crosses the target, or says that the target is not reachable in the range,
//! with the statistic at both ends.

use std::fmt;

use serde::Serialize;
use subsoil_core::{Model, PathOutcome, Workspace, simulate};
use subsoil_scenario::Scenario;
use subsoil_stats::Moments;

use crate::draws::{PathRandomness, ScalarDraws, Scratch};
use crate::run::{RunConfig, RunError, Schedule, Work, drawer, prepare};
use crate::sensitivity::MetricRef;

/// How a metric is compared with a threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Comparison {
    /// `>=`
    AtLeast,
    /// `>`
    Above,
    /// `<=`
    AtMost,
    /// `<`
    Below,
}

impl Comparison {
    fn holds(self, x: f64, threshold: f64) -> bool {
        match self {
            Comparison::AtLeast => x >= threshold,
            Comparison::Above => x > threshold,
            Comparison::AtMost => x <= threshold,
            Comparison::Below => x < threshold,
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            Comparison::AtLeast => ">=",
            Comparison::Above => ">",
            Comparison::AtMost => "<=",
            Comparison::Below => "<",
        }
    }
}

/// A statistic of a run: the mean over paths of one number per path.
#[derive(Clone, Copy, Debug)]
pub enum Statistic {
    /// The mean of a metric, or the probability of an event.
    Of(MetricRef),
    /// The probability that a metric compares so with a threshold.
    Exceeds {
        /// The metric.
        metric: MetricRef,
        /// How it is compared.
        comparison: Comparison,
        /// With what.
        threshold: f64,
    },
}

/// A statistic that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatisticError(pub String);

impl fmt::Display for StatisticError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StatisticError {}

/// Reads a number as people write money: `500e9`, `$500bn`, `1.2tn`, `300m`, `2,000`.
pub fn parse_amount(s: &str) -> Option<f64> {
    let t = s.trim().trim_start_matches('$').replace(['_', ','], "");
    let lower = t.to_ascii_lowercase();
    let (digits, scale) = [("tn", 1e12), ("bn", 1e9), ("b", 1e9), ("m", 1e6), ("k", 1e3)]
        .iter()
        .find_map(|(suffix, scale)| lower.strip_suffix(suffix).map(|d| (d.to_string(), *scale)))
        .unwrap_or((lower.clone(), 1.0));
    let x: f64 = digits.trim().parse().ok()?;
    let x = x * scale;
    x.is_finite().then_some(x)
}

impl Statistic {
    /// Reads a statistic of `model`: `NAME` or `mean(NAME)` for a metric's mean, `NAME` or `P(NAME)`
    /// for a probability, `P(METRIC >= X)` (or `>`, `<=`, `<`) for the probability that a metric passes
    /// a threshold, written as [`parse_amount`] reads it.
    ///
    /// # Errors
    ///
    /// A [`StatisticError`] saying what was expected.
    pub fn parse(model: &Model, text: &str) -> Result<Statistic, StatisticError> {
        let t = text.trim();
        let inner = |prefix: &str| {
            t.strip_prefix(prefix)
                .or_else(|| t.strip_prefix(&prefix.to_uppercase()))
                .and_then(|r| r.strip_suffix(')'))
                .map(str::trim)
        };
        let find = |name: &str| {
            MetricRef::find(model, name.trim()).map_err(|e| StatisticError(e.to_string()))
        };
        if let Some(body) = inner("p(") {
            for (sym, comparison) in [
                (">=", Comparison::AtLeast),
                ("<=", Comparison::AtMost),
                (">", Comparison::Above),
                ("<", Comparison::Below),
            ] {
                if let Some((name, x)) = body.split_once(sym) {
                    let metric = find(name)?;
                    if metric.is_probability() {
                        return Err(StatisticError(format!(
                            "`{}` is a probability; compare a metric with a threshold, or write P({})",
                            metric.name(),
                            metric.name()
                        )));
                    }
                    let threshold = parse_amount(x).ok_or_else(|| {
                        StatisticError(format!(
                            "{x:?} is not a number (write e.g. 500e9, $500bn or 0.25)"
                        ))
                    })?;
                    return Ok(Statistic::Exceeds { metric, comparison, threshold });
                }
            }
            let metric = find(body)?;
            if !metric.is_probability() {
                return Err(StatisticError(format!(
                    "`{}` is a metric; write P({} >= X) for a probability, or mean({})",
                    metric.name(),
                    metric.name(),
                    metric.name()
                )));
            }
            return Ok(Statistic::Of(metric));
        }
        if let Some(body) = inner("mean(") {
            let metric = find(body)?;
            if metric.is_probability() {
                return Err(StatisticError(format!(
                    "`{}` is a probability; write P({})",
                    metric.name(),
                    metric.name()
                )));
            }
            return Ok(Statistic::Of(metric));
        }
        Ok(Statistic::Of(find(t)?))
    }

    /// Whether it is a probability.
    pub fn is_probability(&self) -> bool {
        match self {
            Statistic::Of(m) => m.is_probability(),
            Statistic::Exceeds { .. } => true,
        }
    }

    /// The metric it reads.
    pub fn metric(&self) -> &MetricRef {
        match self {
            Statistic::Of(m) | Statistic::Exceeds { metric: m, .. } => m,
        }
    }

    /// As written in outputs: `mean(revenue)`, `P(partner-aid-repaid)`, `P(revenue >= 4000000000)`.
    pub fn label(&self) -> String {
        match self {
            Statistic::Of(m) if m.is_probability() => format!("P({})", m.name()),
            Statistic::Of(m) => format!("mean({})", m.name()),
            Statistic::Exceeds { metric, comparison, threshold } => {
                format!("P({} {} {threshold})", metric.name(), comparison.symbol())
            }
        }
    }

    /// Its number on one path.
    pub fn value(&self, model: &Model, out: &PathOutcome) -> f64 {
        match self {
            Statistic::Of(m) => m.value(model, out),
            Statistic::Exceeds { metric, comparison, threshold } => {
                f64::from(u8::from(comparison.holds(metric.value(model, out), *threshold)))
            }
        }
    }
}

/// A statistic of a run with its Monte Carlo standard error.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Estimate {
    /// The mean over paths.
    pub value: f64,
    /// Its standard error, sd / √n.
    pub se: f64,
    /// Paths with a finite value.
    pub n: u64,
}

/// The statistic over the paths of a run of `config` with pseudo-random sampling (the paths
/// [`crate::run()`] simulates with the same seed).
///
/// # Errors
///
/// As [`crate::run()`].
pub fn estimate(
    scenario: &Scenario,
    config: &RunConfig,
    statistic: &Statistic,
) -> Result<Estimate, RunError> {
    let config = RunConfig { sampler: subsoil_risk::SamplerKind::Random, ..*config };
    let (sampler, pool) = prepare(&config)?;
    let draws = drawer(scenario, sampler)?;
    let work = Mean { model: &scenario.model, draws: &draws, seed: config.seed, statistic };
    let schedule = Schedule::new(&config, &|_| {});
    let m = pool.install(|| schedule.drive(&work, pool.current_num_threads()));
    Ok(Estimate {
        value: m.mean().unwrap_or(f64::NAN),
        se: m.se().unwrap_or(f64::NAN),
        n: m.count(),
    })
}

/// The mean of a statistic over paths, folded in path order.
struct Mean<'a> {
    model: &'a Model,
    draws: &'a ScalarDraws,
    seed: u64,
    statistic: &'a Statistic,
}

impl Work for Mean<'_> {
    type Local = (Workspace, PathOutcome, Scratch);
    type Chunk = Vec<f64>;
    type Total = Moments;

    fn local(&self) -> Self::Local {
        (Workspace::new(self.model), PathOutcome::new(self.model, false), self.draws.scratch())
    }

    fn chunk(&self, paths: usize) -> Vec<f64> {
        Vec::with_capacity(paths)
    }

    fn total(&self) -> Moments {
        Moments::new()
    }

    fn simulate(&self, local: &mut Self::Local, first: u64, end: u64, chunk: &mut Vec<f64>) {
        let (ws, out, scratch) = local;
        chunk.clear();
        for path in first..end {
            self.draws.fill(path, scratch);
            let r = PathRandomness { seed: self.seed, path, scalars: scratch.values() };
            simulate(self.model, &r, ws, out);
            chunk.push(self.statistic.value(self.model, out));
        }
    }

    fn absorb(&self, total: &mut Moments, chunk: &Vec<f64>) {
        for &x in chunk {
            total.push(x);
        }
    }

    fn end_block(&self, _: &mut Moments, _: bool) {}
}

/// One evaluation of a bisection.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Evaluation {
    /// The value of the varied input.
    pub x: f64,
    /// The statistic there.
    pub estimate: Estimate,
}

/// What a bisection found.
#[derive(Clone, Debug, Serialize)]
pub struct Bisection {
    /// The target.
    pub target: f64,
    /// Whether the statistic crosses the target in the range.
    pub reachable: bool,
    /// The value found: the middle of the final bracket, or its end `b` over whole numbers (`None`
    /// when not reachable).
    pub root: Option<f64>,
    /// A rough Monte Carlo error of the root: the statistic's standard error at the bracket over the
    /// slope of the statistic between the ends of the range (`None` when not reachable or flat).
    pub root_se: Option<f64>,
    /// The final bracket `[a, b]`: the statistic is on one side of the target at `a` and on the other
    /// (or on it) at `b`.
    pub bracket: [f64; 2],
    /// Whether only whole numbers were tried (a field that takes whole numbers): the bracket then
    /// closes on two neighbours and `root` is its end `b`, the first whole number from `lo` at which
    /// the statistic reaches the target.
    pub whole_numbers: bool,
    /// The statistic at the ends of the range, `lo` then `hi`.
    pub ends: [Evaluation; 2],
    /// Every evaluation, in order (the two ends first).
    pub evaluations: Vec<Evaluation>,
}

/// Finds where `f` crosses `target` in `[lo, hi]` by bisection, until the bracket is at most `tol`
/// wide or after `max_steps` halvings. `f` must be a deterministic function of its argument (a run on
/// common random numbers); it need not be continuous (a probability on a finite number of paths is a
/// step function), and the bracket then closes on the step.
///
/// # Errors
///
/// The first error of `f`.
pub fn bisect<E>(
    f: impl FnMut(f64) -> Result<Estimate, E>,
    lo: f64,
    hi: f64,
    target: f64,
    tol: f64,
    max_steps: u32,
) -> Result<Bisection, E> {
    bisect_on(f, lo, hi, target, Some(tol), max_steps)
}

/// Like [`bisect`] over the whole numbers from `lo` to `hi` (for a field that takes only whole
/// numbers): each midpoint is rounded, and the bracket closes on two neighbours (or after
/// `max_steps` halvings); `root` is then the bracket's end `b`, the first whole number from `lo` at
/// which the statistic reaches the target.
///
/// # Errors
///
/// The first error of `f`.
pub fn bisect_whole<E>(
    f: impl FnMut(f64) -> Result<Estimate, E>,
    lo: i64,
    hi: i64,
    target: f64,
    max_steps: u32,
) -> Result<Bisection, E> {
    bisect_on(f, lo as f64, hi as f64, target, None, max_steps)
}

/// Bisection until the bracket is at most `tol` wide, or, without `tol`, over whole numbers until it
/// is two neighbours.
fn bisect_on<E>(
    mut f: impl FnMut(f64) -> Result<Estimate, E>,
    lo: f64,
    hi: f64,
    target: f64,
    tol: Option<f64>,
    max_steps: u32,
) -> Result<Bisection, E> {
    let whole_numbers = tol.is_none();
    let flo = f(lo)?;
    let fhi = f(hi)?;
    let ends = [Evaluation { x: lo, estimate: flo }, Evaluation { x: hi, estimate: fhi }];
    let mut evaluations = ends.to_vec();
    let side = |e: &Estimate| (e.value - target).signum();
    let (slo, shi) = (side(&flo), side(&fhi));
    let finite = flo.value.is_finite() && fhi.value.is_finite();
    if finite && (flo.value == target || fhi.value == target || slo != shi) {
        let (mut a, mut b) = (lo, hi);
        let mut sa = slo;
        if flo.value == target {
            b = lo;
        } else if fhi.value == target {
            a = hi;
        }
        let mut steps = 0;
        let open = |a: f64, b: f64| match tol {
            Some(tol) => (b - a).abs() > tol,
            None => (b - a).abs() > 1.0,
        };
        while open(a, b) && steps < max_steps {
            // Between two whole numbers at least 2 apart, the rounded midpoint lies strictly inside.
            let m = if whole_numbers { (0.5 * (a + b)).round() } else { 0.5 * (a + b) };
            let fm = f(m)?;
            evaluations.push(Evaluation { x: m, estimate: fm });
            let sm = side(&fm);
            if fm.value == target {
                a = m;
                b = m;
            } else if sm == sa {
                a = m;
                sa = sm;
            } else {
                b = m;
            }
            steps += 1;
        }
        let slope = (fhi.value - flo.value) / (hi - lo);
        let se_at = evaluations
            .iter()
            .rev()
            .find(|e| e.x == a || e.x == b)
            .map_or(f64::NAN, |e| e.estimate.se);
        let root_se = (se_at / slope.abs()).is_finite().then_some(se_at / slope.abs());
        return Ok(Bisection {
            target,
            reachable: true,
            root: Some(if whole_numbers { b } else { 0.5 * (a + b) }),
            root_se,
            bracket: [a, b],
            whole_numbers,
            ends,
            evaluations,
        });
    }
    Ok(Bisection {
        target,
        reachable: false,
        root: None,
        root_se: None,
        bracket: [lo, hi],
        whole_numbers,
        ends,
        evaluations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(v: f64) -> Result<Estimate, ()> {
        Ok(Estimate { value: v, se: 0.0, n: 1 })
    }

    #[test]
    fn whole_number_bisection_tries_whole_numbers_and_ends_on_two_neighbours() {
        // 10x crosses 75 between 7 and 8.
        let b = bisect_whole(|x| exact(10.0 * x), 2, 40, 75.0, 100).expect("no error");
        assert!(b.whole_numbers && b.reachable);
        assert!(b.evaluations.iter().all(|e| e.x.fract() == 0.0));
        assert_eq!((b.bracket, b.root), ([7.0, 8.0], Some(8.0)));
        // Decreasing, and a target met exactly at a value tried.
        let b = bisect_whole(|x| exact(100.0 - x), 0, 100, 50.0, 100).expect("no error");
        assert_eq!((b.bracket, b.root), ([50.0, 50.0], Some(50.0)));
    }

    #[test]
    fn bisection_closes_on_a_root_and_on_a_step() {
        // 3x − 1 = 0.5 at x = 0.5.
        let b = bisect(|x| exact(3.0 * x - 1.0), 0.0, 2.0, 0.5, 1e-9, 100).expect("no error");
        assert!(b.reachable);
        assert!((b.root.expect("found") - 0.5).abs() < 1e-9);
        // Exact values: no Monte Carlo error on the root.
        assert_eq!(b.root_se, Some(0.0));
        // Decreasing works too.
        let b = bisect(|x| exact(10.0 - x), 0.0, 20.0, 4.0, 1e-9, 100).expect("no error");
        assert!((b.root.expect("found") - 6.0).abs() < 1e-9);
        // A step at 0.3 from 0 to 1: the bracket closes on the step.
        let b = bisect(|x| exact(f64::from(u8::from(x >= 0.3))), 0.0, 1.0, 0.5, 1e-6, 100)
            .expect("no error");
        let [a, c] = b.bracket;
        assert!(a < 0.3 && 0.3 <= c && c - a <= 1e-6, "{a} {c}");
        // Out of reach: both ends on one side, both reported.
        let b = bisect(|x| exact(x * x), 1.0, 2.0, 9.0, 1e-6, 100).expect("no error");
        assert!(!b.reachable && b.root.is_none());
        assert_eq!((b.ends[0].estimate.value, b.ends[1].estimate.value), (1.0, 4.0));
        assert_eq!(b.evaluations.len(), 2);
        // A target met at an end is a root there.
        let b = bisect(exact, 1.0, 2.0, 1.0, 1e-6, 100).expect("no error");
        assert_eq!(b.root, Some(1.0));
    }

    #[test]
    fn amounts_are_read_as_people_write_money() {
        assert_eq!(parse_amount("500e9"), Some(500e9));
        assert_eq!(parse_amount("$500bn"), Some(500e9));
        assert_eq!(parse_amount("1.5tn"), Some(1.5e12));
        assert_eq!(parse_amount("300m"), Some(300e6));
        assert_eq!(parse_amount("2,000"), Some(2000.0));
        assert_eq!(parse_amount("0.25"), Some(0.25));
        assert_eq!(parse_amount("lots"), None);
    }
}
