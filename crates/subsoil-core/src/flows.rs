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
    let mut mean = f.rate.at(r);
    if !y.at_war {
        mean *= f.peace_multiplier.at(r).max(0.0);
    }
    let n = poisson_quantile(mean, normal_cdf(r.normal(f.stream, K_PERMITS + y.t)), f.max_permits);
    let p = f.production_probability.at(r);
    let d =
        binomial_quantile(n, p, normal_cdf(r.normal(f.stream, K_DEVELOPED + y.t)), f.max_projects);
    (n, d)
}

/// The year's licensing flows: each flow's permits of the year (none where its region cannot be
/// worked) pay its fee through the flow's fee project, and the developed ones start the next free projects of its pool (licensed, new, with their
/// remaining stages ahead from the next year). Runs after the year's stages, which cleared the fees.
pub fn flows_year<R: Randomness>(
    model: &Model,
    r: &R,
    terms: &PathTerms,
    y: PathYear,
    conflict: &ConflictPath,
    projects: &mut PathProjects,
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
        let (n, d) = flow_draws(f, r, y);
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
