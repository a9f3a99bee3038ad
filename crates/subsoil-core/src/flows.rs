//! The year's licensing flows: how many permits each flow awards, the fees they pay, and which of them
//! are developed into projects of the flow's pool.
//!
//! A year's count of permits is the quantile of a Poisson distribution (mean: the flow's rate on the path,
//! times its peace multiplier in a year of peace) at Φ(z), where z is the flow's normal for the year; the
//! number developed is the quantile of a binomial distribution (that count, the production probability) at
//! Φ of a second normal. The base case (every normal 0) therefore awards the median count and develops
//! the median number, and two scenarios that share a flow's stream draw the same permits (common random
//! numbers). A developed permit takes the next free project of the pool, which starts licensed and new at
//! the start of the following year, as lowering made it.

use crate::conflict::ConflictPath;
use crate::model::{LicensingFlow, Model};
use crate::outcome::PathOutcome;
use crate::param::Randomness;
use crate::stages::{PathProjects, accessible};
use crate::streams::{K_DEVELOPED, K_PERMITS};
use crate::terms::PathTerms;
use crate::year::PathYear;

/// The standard normal distribution function, Φ(z), to a relative error below 2e-7 (a Chebyshev fit of
/// the complementary error function).
pub fn normal_cdf(z: f64) -> f64 {
    let x = -z / std::f64::consts::SQRT_2;
    let a = x.abs();
    let t = 1.0 / (1.0 + 0.5 * a);
    let poly = -1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let erfc = t * (-a * a + poly).exp();
    0.5 * if x >= 0.0 { erfc } else { 2.0 - erfc }
}

/// The smallest `k` whose Poisson(`mean`) distribution function reaches `u`, at most `max`.
pub fn poisson_quantile(mean: f64, u: f64, max: u32) -> u32 {
    if mean <= 0.0 || !mean.is_finite() {
        return 0;
    }
    let mut pmf = (-mean).exp();
    let mut cdf = pmf;
    let mut k = 0;
    while cdf < u && k < max {
        k += 1;
        pmf *= mean / f64::from(k);
        cdf += pmf;
        if pmf == 0.0 && f64::from(k) > mean {
            // The tail is below what a double holds: the remaining mass is rounding.
            break;
        }
    }
    k
}

/// [`poisson_quantile`] for many `u` at one mean: the distribution function by the same recurrence, kept
/// as far as the quantiles asked have needed it. `poisson_quantile(mean, u, max)` stops at the first `k`
/// whose distribution function reaches `u`, at `max`, or where the probability has underflowed past the
/// mean; the distribution function never falls (each step adds a probability, never below 0), so that
/// `k` is found by searching the kept values, and the same steps extend them, to the same bits.
#[derive(Clone, Debug, Default)]
pub struct PoissonTable {
    /// The mean's bits (the table is empty before a mean is set).
    mean: u64,
    /// The last term's probability.
    pmf: f64,
    /// The distribution function at 0, 1, ….
    cdf: Vec<f64>,
    /// Whether the last term is where [`poisson_quantile`] stops whatever `u` (its probability underflowed
    /// past the mean).
    ended: bool,
}

impl PoissonTable {
    /// What `poisson_quantile(mean, u, max)` returns, the same for every `u` and `max`.
    pub fn quantile(&mut self, mean: f64, u: f64, max: u32) -> u32 {
        if mean <= 0.0 || !mean.is_finite() {
            return 0;
        }
        if self.cdf.is_empty() || self.mean != mean.to_bits() {
            self.mean = mean.to_bits();
            self.pmf = (-mean).exp();
            self.cdf.clear();
            self.cdf.push(self.pmf);
            self.ended = false;
        }
        // The first kept k whose distribution function is not below u (NaN: none is below it).
        let k = self.cdf.partition_point(|c| *c < u);
        if k < self.cdf.len() {
            return (k as u32).min(max);
        }
        // Every kept value is below u: on from the last, as the loop goes.
        loop {
            let last = self.cdf.len() - 1;
            if self.ended || last as u64 >= u64::from(max) {
                return (last as u32).min(max);
            }
            let k = last as u32 + 1;
            self.pmf *= mean / f64::from(k);
            let cdf = self.cdf[last] + self.pmf;
            self.cdf.push(cdf);
            self.ended = self.pmf == 0.0 && f64::from(k) > mean;
            if cdf >= u {
                return k.min(max);
            }
        }
    }
}

/// By licensing flow, the [`PoissonTable`]s of its means of permits on a path: at war and in peace.
#[derive(Clone, Debug, Default)]
pub struct PermitTables {
    tables: Vec<[PoissonTable; 2]>,
}

impl PermitTables {
    /// Flow `k`'s table of the year (`at_war`), made room for.
    fn of(&mut self, k: usize, at_war: bool) -> &mut PoissonTable {
        if self.tables.len() <= k {
            self.tables.resize_with(k + 1, Default::default);
        }
        &mut self.tables[k][usize::from(at_war)]
    }
}

/// The smallest `k` whose binomial(`n`, `p`) distribution function reaches `u`, at most `max`.
pub fn binomial_quantile(n: u32, p: f64, u: f64, max: u32) -> u32 {
    if n == 0 || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n.min(max);
    }
    if p > 0.5 {
        // Counted from the failures, whose first term does not underflow: k successes are n − k failures.
        let failures = binomial_quantile_low(n, 1.0 - p, 1.0 - u);
        return (n - failures).min(max);
    }
    binomial_quantile_low(n, p, u).min(max)
}

/// [`binomial_quantile`] for `p` ≤ 0.5, uncapped.
fn binomial_quantile_low(n: u32, p: f64, u: f64) -> u32 {
    let odds = p / (1.0 - p);
    let mut pmf = (1.0 - p).powi(n as i32);
    let mut cdf = pmf;
    let mut k = 0;
    while cdf < u && k < n {
        pmf *= f64::from(n - k) / f64::from(k + 1) * odds;
        k += 1;
        cdf += pmf;
    }
    k
}

/// The permits flow `f` awards in year `y` and how many of them are developed, on the path `r` describes.
pub fn flow_draws<R: Randomness>(f: &LicensingFlow, r: &R, y: PathYear) -> (u32, u32) {
    flow_draws_on(f, r, y, &mut PoissonTable::default())
}

/// [`flow_draws`] with the count's quantile read from `table` (the flow's table of the year's mean).
fn flow_draws_on<R: Randomness>(
    f: &LicensingFlow,
    r: &R,
    y: PathYear,
    table: &mut PoissonTable,
) -> (u32, u32) {
    let mut mean = f.rate.at(r);
    if !y.at_war {
        mean *= f.peace_multiplier.at(r).max(0.0);
    }
    let u = normal_cdf(r.normal(f.stream, K_PERMITS + y.t));
    let n = table.quantile(mean, u, f.max_permits);
    let p = f.production_probability.at(r);
    let d =
        binomial_quantile(n, p, normal_cdf(r.normal(f.stream, K_DEVELOPED + y.t)), f.max_projects);
    (n, d)
}

/// The year's licensing flows: each flow's permits of the year (none where its region cannot be
/// worked) pay its fee through the flow's fee project, and the developed ones start the next free projects of its pool (licensed, new, with their
/// remaining stages ahead from the next year). Runs after the year's stages, which cleared the fees.
/// `tables` keeps each flow's distribution functions of permits from year to year.
#[allow(clippy::too_many_arguments)]
pub fn flows_year<R: Randomness>(
    model: &Model,
    r: &R,
    terms: &PathTerms,
    y: PathYear,
    conflict: &ConflictPath,
    projects: &mut PathProjects,
    tables: &mut PermitTables,
    out: &mut PathOutcome,
) {
    let h = out.horizon;
    for (k, f) in model.flows.iter().enumerate() {
        // No permits where the flow's region cannot be worked this year (occupied, or at the front
        // during war): the fee project's deposit lies in that region.
        let deposit = model.projects[f.fees_project].deposit;
        if y.t < f.first || y.t > f.last || !accessible(conflict.control(deposit, y.t), y.at_war) {
            continue;
        }
        let (n, d) = flow_draws_on(f, r, y, tables.of(k, y.at_war));
        projects.years[f.fees_project].fee = f64::from(n) * f.fee.at(r) * y.index;
        // The fee project owes the fees this year: operations must visit it.
        projects.busy.insert(f.fees_project);
        let start = projects.flow_used[k] as usize;
        let end = (start + d as usize).min(f.pool_size);
        let excess = terms.leakage.capex_excess;
        for i in f.pool + start..f.pool + end {
            let p = &model.projects[i];
            if i == f.pool {
                projects.states[i].restart(model, p, r, excess);
            } else {
                // The pool's first project started earlier on this path (the pool is used in order),
                // and its plans are this one's.
                let (first, rest) = projects.states.split_at_mut(i);
                rest[0].restart_as(&first[f.pool], p, r, excess);
            }
            // A developed permit's stages move from next year on.
            projects.enlist(i);
        }
        projects.flow_used[k] = end as u32;
        out.permits[k * h + y.t as usize] = n;
        out.developed[k * h + y.t as usize] = (end - start) as u32;
    }
}

/// The projects a finished path `out` has live: the scenario's own, each flow's fee project and the
/// projects its permits developed (the rest of each pool stayed parked).
pub fn live_projects(model: &Model, out: &PathOutcome) -> Vec<usize> {
    let h = out.horizon;
    let used: Vec<u32> =
        (0..model.flows.len()).map(|k| out.developed[k * h..(k + 1) * h].iter().sum()).collect();
    crate::stages::live(model, &used).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_cdf_at_known_points() {
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(1.959_963_985) - 0.975).abs() < 2e-7);
        assert!((normal_cdf(-1.0) - 0.158_655_254).abs() < 2e-7);
    }

    #[test]
    fn poisson_quantile_by_hand() {
        // Poisson(2): P(0) = 0.1353, P(≤1) = 0.4060, P(≤2) = 0.6767, P(≤3) = 0.8571.
        assert_eq!(poisson_quantile(2.0, 0.1, 100), 0);
        assert_eq!(poisson_quantile(2.0, 0.4, 100), 1);
        assert_eq!(poisson_quantile(2.0, 0.5, 100), 2);
        assert_eq!(poisson_quantile(2.0, 0.85, 100), 3);
        assert_eq!(poisson_quantile(2.0, 0.85, 2), 2);
        assert_eq!(poisson_quantile(0.0, 0.99, 100), 0);
        // A large mean: the median of Poisson(400) is 400.
        assert_eq!(poisson_quantile(400.0, 0.5, 1000), 400);
    }

    /// The table gives what the loop gives, for every `u` asked in any order (each search over what
    /// earlier ones kept, each extension from where they stopped), at `max` and past the underflow of
    /// the probabilities, for a new mean after another, and for the same mean at another `max`.
    #[test]
    fn the_poisson_table_gives_the_quantiles_of_the_loop() {
        let mut table = PoissonTable::default();
        let mut us: Vec<f64> = vec![0.5, 0.0, 1.0, f64::NAN, 0.999_999_999_999, 1e-300, 0.3, 0.9];
        // Deterministic scatter over [0, 1), as a year's normals would give.
        us.extend((0..200).map(|i| ((i as f64) * 0.618_033_988_749_895).fract()));
        for mean in [40.0, 2.0, 0.4, 40.0, 750.0, 0.0, -1.0, f64::INFINITY, 1e-9] {
            for max in [u32::MAX, 45, 0, 3] {
                for &u in &us {
                    let want = poisson_quantile(mean, u, max);
                    assert_eq!(table.quantile(mean, u, max), want, "mean {mean}, u {u}, max {max}");
                }
            }
        }
        // Poisson(40) at u = 1: the distribution function rounds short of 1, and the loop stops where
        // the probability underflows past the mean.
        let end = poisson_quantile(40.0, 1.0, u32::MAX);
        assert!(end > 100 && end < u32::MAX, "{end}");
    }

    #[test]
    fn binomial_quantile_by_hand() {
        // Binomial(4, 0.5): P(0) = 1/16, P(≤1) = 5/16, P(≤2) = 11/16.
        assert_eq!(binomial_quantile(4, 0.5, 0.05, 10), 0);
        assert_eq!(binomial_quantile(4, 0.5, 0.3, 10), 1);
        assert_eq!(binomial_quantile(4, 0.5, 0.5, 10), 2);
        assert_eq!(binomial_quantile(4, 0.5, 0.5, 1), 1);
        assert_eq!(binomial_quantile(10, 1.0, 0.1, 20), 10);
        assert_eq!(binomial_quantile(10, 0.0, 0.9, 20), 0);
        // p > 0.5 counts failures: Binomial(4, 0.75) has P(≤2) = 0.2617, P(≤3) = 0.6836.
        assert_eq!(binomial_quantile(4, 0.75, 0.5, 10), 3);
        assert_eq!(binomial_quantile(4, 0.75, 0.2, 10), 2);
    }
}
