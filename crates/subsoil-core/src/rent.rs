//! Royalty (subsoil rent) rates that change over a path: rates given year by year, and changes of the
//! fiscal regime.
//!
//! A project product's royalty rate is one number unless the scenario gives it by year
//! ([`crate::model::ProjectProduct::royalty_by_year`]), in which case the rate of calendar year `y` is the
//! schedule's value in `y` times the rate field's scale. On top of that, the fiscal regime may change
//! ([`RentChanges`]): each year a change happens with the yearly hazard (a uniform on the regime's
//! stream), and from the next year on every rate of a project that is not stabilised
//! ([`crate::model::Project::stabilised`]) is the rate of today's law times the path's factor (a rise) or
//! divided by it (a cut), until the next change. The regime moves between two levels around today's law
//! rather than drifting without bound; a rate never exceeds 1.
//!
//! Investors value a plan at the rates they know when it is realised (the start year's); the changes
//! reach the cash flows of the years they apply to.

use crate::model::{Model, Project};
use crate::param::{Param, Randomness, happens, yearly_probability};
use crate::project::Plan;
use crate::streams::{K_RENT_CHANGE, K_RENT_UP};
use crate::year::Year;

/// Uncertain changes of the fiscal regime's royalty rates.
#[derive(Clone, Copy, Debug)]
pub struct RentChanges {
    /// Yearly hazard of a change of the rates (1/yr).
    pub hazard: Param,
    /// Size of a change: after a rise the rates are today's law times it, after a cut divided by it; at
    /// least 1, drawn once per path (every change on a path has the same size).
    pub factor: Param,
    /// Probability that a change is a rise.
    pub up: Param,
    /// Stream of the yearly draws.
    pub stream: u64,
}

/// The path's factor on royalty rates in each year index, written into `out` (one entry per simulated
/// year). A change drawn in year index `t` applies from `t + 1`, so the first year has factor 1.
pub fn draw_factors<R: Randomness>(model: &Model, r: &R, out: &mut [f64]) {
    let Some(rc) = model.fiscal.rent_changes else {
        out.fill(1.0);
        return;
    };
    let p = yearly_probability(rc.hazard.at(r).max(0.0));
    let size = rc.factor.at(r).max(1.0);
    let up = rc.up.at(r);
    let mut f = 1.0;
    for (t, x) in out.iter_mut().enumerate() {
        *x = f;
        let t = t as u32;
        if happens(r.uniform(rc.stream, K_RENT_CHANGE + t), p) {
            f = if happens(r.uniform(rc.stream, K_RENT_UP + t), up) { size } else { 1.0 / size };
        }
    }
}

/// Whether `p`'s royalty rates can differ from the ones its plan was realised with.
#[inline]
pub fn rates_vary(model: &Model, p: &Project) -> bool {
    p.rates_by_year || (model.fiscal.rent_changes.is_some() && !p.stabilised)
}

/// The royalty rate of `p`'s product `k` in calendar `year` before any change of the regime: its
/// schedule's value times the rate field's scale, or the rate itself.
#[inline]
pub fn base_rate<R: Randomness>(model: &Model, r: &R, p: &Project, k: usize, year: Year) -> f64 {
    let pp = &p.products[k];
    let rate = pp.royalty_rate.unwrap_or(model.products[pp.product].royalty_rate).at(r);
    match pp.royalty_by_year {
        Some(i) => model.royalty_schedules[i as usize].at(year) * rate,
        None => rate,
    }
}

/// Writes the year's royalty rates of `p`'s products into `plan`: the base rate in `year`, times the
/// regime's `factor` unless `p` is stabilised, at most 1.
pub fn set_rates<R: Randomness>(
    model: &Model,
    r: &R,
    p: &Project,
    year: Year,
    factor: f64,
    plan: &mut Plan,
) {
    let f = if p.stabilised { 1.0 } else { factor };
    let n = plan.n;
    for (k, pl) in plan.products[..n].iter_mut().enumerate() {
        pl.royalty = (base_rate(model, r, p, k, year) * f).min(1.0);
    }
}
