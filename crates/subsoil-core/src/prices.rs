//! Price processes: the exact Ornstein–Uhlenbeck step on the log of the real price, and the expectation
//! an investor forms in a given year.
//!
//! With `x = ln(real price)`, mean-reversion speed `κ = ln 2 / half-life`, long-run level `μ = ln(L)` and
//! volatility `σ`, one year ahead
//!
//! `x' = μ + (x − μ)·e^(−κ) + σ·√((1 − e^(−2κ)) / (2κ))·ε`, with ε standard normal,
//!
//! so `L` is the median of the stationary distribution of the price. For κ → 0 (no reversion) the step is a
//! random walk `x' = x + σ·ε`.
//!
//! An investor deciding in a year expects the mean price `exp(E[x] + Var[x]/2)` along the path from the
//! price observed that year toward the scenario's central long-run level (`valuation.rs`).
//!
//! A dominant producer's episodes (a supply flood, export controls, a targeted cut answering new supply)
//! multiply the price for their duration ([`Market::step_episodes`]).

use crate::model::Model;
use crate::param::{Randomness, happens, yearly_probability};
use crate::streams::{K_CONTROLS, K_CUT, K_FLOOD};

/// Parameters of one product's yearly log-price step, precomputed per path.
#[derive(Clone, Copy, Debug, Default)]
pub struct OuStep {
    /// ln of the long-run level.
    pub mu: f64,
    /// e^(−κ): the share of today's deviation left after a year.
    pub decay: f64,
    /// Standard deviation of the yearly shock term.
    pub shock_sd: f64,
}

impl OuStep {
    /// The step for long-run level `long_run` (> 0), volatility `sigma` (per √yr) and half-life in years
    /// (`f64::INFINITY` for a random walk).
    pub fn new(long_run: f64, sigma: f64, half_life: f64) -> OuStep {
        let kappa = if half_life.is_finite() && half_life > 0.0 {
            std::f64::consts::LN_2 / half_life
        } else {
            0.0
        };
        let decay = (-kappa).exp();
        // (1 − e^(−2κ)) / (2κ) → 1 as κ → 0; use expm1 for accuracy at small κ.
        let var_factor = if kappa > 1e-12 { -(-2.0 * kappa).exp_m1() / (2.0 * kappa) } else { 1.0 };
        OuStep { mu: long_run.ln(), decay, shock_sd: sigma * var_factor.sqrt() }
    }

    /// Next year's log price given this year's and a standard normal shock.
    #[inline]
    pub fn step(&self, x: f64, eps: f64) -> f64 {
        self.mu + (x - self.mu) * self.decay + self.shock_sd * eps
    }

    /// Mean of the log price `years` ahead, from `x` today.
    pub fn mean_ahead(&self, x: f64, years: u32) -> f64 {
        self.mu + (x - self.mu) * self.decay.powi(years as i32)
    }

    /// Variance of the log price `years` ahead.
    pub fn variance_ahead(&self, years: u32) -> f64 {
        // Sum of a geometric series of yearly shock variances decayed by decay² per year.
        let d2 = self.decay * self.decay;
        let s2 = self.shock_sd * self.shock_sd;
        if (1.0 - d2).abs() < 1e-15 {
            s2 * years as f64
        } else {
            s2 * (1.0 - d2.powi(years as i32)) / (1.0 - d2)
        }
    }
}

/// The dominant producer's state on one product: the running episode.
#[derive(Clone, Copy, Debug, Default)]
pub struct Episode {
    /// Price multiplier of the running episode (1 when none).
    pub multiplier: f64,
    /// Years the running episode has left.
    pub left: u32,
    /// Whether the targeted cut has been used.
    pub cut_done: bool,
}

/// The markets of one path, by product: log prices, their steps, episodes and this year's prices.
#[derive(Clone, Debug, Default)]
pub struct Market {
    /// Log of the real price before episodes.
    pub log_price: Vec<f64>,
    /// The path's price step.
    pub ou: Vec<OuStep>,
    /// Log of the scenario's central long-run level (what investors expect prices to revert to).
    pub central_mu: Vec<f64>,
    /// This year's nominal price, episodes included.
    pub price_nominal: Vec<f64>,
    /// The dominant producer's running episode.
    pub episodes: Vec<Episode>,
    /// Output of projects built on the path, this year (read next year by the targeted cut).
    pub new_supply: Vec<f64>,
    /// Scratch: this year's correlated shocks.
    shocks: Vec<f64>,
    /// Scratch: one product's correlated shocks by year, at the path's start.
    column: Vec<f64>,
    /// The path's correlated price shocks, drawn at its start: product `k`'s for year index `t` at
    /// `k · drawn_years + t` (`t` ≥ 1; the first year has none).
    drawn: Vec<f64>,
    /// Years per product in `drawn` (0 before a path starts).
    drawn_years: usize,
    /// Each product's price deck, by year index (empty without a deck), and its value past the table.
    decks: Vec<(Vec<f64>, f64)>,
    /// This year's deck level by product (1 without a deck).
    level: Vec<f64>,
    /// Whether any product follows a deck.
    any_deck: bool,
    /// Whether any product has a dominant producer (without one no episode ever runs, and
    /// [`Market::step_episodes`] has nothing to do).
    any_dominant: bool,
    /// The year index the markets are in.
    t: u32,
    /// The price shocks' Cholesky factor without its zeros: each row's non-zero entries as (column,
    /// value) in column order, row `k` at `factor[rows[k]..rows[k + 1]]`.
    factor: Vec<(usize, f64)>,
    rows: Vec<usize>,
}

impl Market {
    /// Markets sized for `products` products.
    pub fn new(products: usize) -> Market {
        Market {
            log_price: vec![0.0; products],
            ou: vec![OuStep::default(); products],
            central_mu: vec![0.0; products],
            price_nominal: vec![0.0; products],
            episodes: vec![Episode::default(); products],
            new_supply: vec![0.0; products],
            shocks: vec![0.0; products],
            column: Vec::new(),
            drawn: Vec::new(),
            drawn_years: 0,
            decks: vec![(Vec::new(), 1.0); products],
            level: vec![1.0; products],
            any_deck: false,
            any_dominant: false,
            t: 0,
            factor: Vec::new(),
            rows: Vec::new(),
        }
    }

    /// Draws the path's start prices and price steps; no episode runs.
    pub fn start<R: Randomness>(&mut self, model: &Model, r: &R) {
        self.any_deck = false;
        self.any_dominant = model.products.iter().any(|p| p.dominant.is_some());
        self.t = 0;
        for (k, p) in model.products.iter().enumerate() {
            self.log_price[k] = p.price.at(r).ln();
            self.ou[k] = OuStep::new(p.long_run.at(r), p.volatility.at(r), p.half_life.at(r));
            self.central_mu[k] = p.long_run_central.ln();
            self.episodes[k] = Episode { multiplier: 1.0, left: 0, cut_done: false };
            self.new_supply[k] = 0.0;
            self.level[k] = 1.0;
            if let Some(deck) = &p.deck {
                self.any_deck = true;
                // The deck by year index through the horizon; investors looking further ahead see it as
                // it stands past the horizon (the series' rule outside its years).
                let (table, after) = &mut self.decks[k];
                table.clear();
                table.extend((0..model.time.horizon).map(|t| deck.at(model.time.year(t))));
                *after = deck.at(model.time.year(model.time.horizon));
            }
        }
        let n = model.products.len();
        // Every year after the first steps every product's price with the normal of its shock stream
        // for that year, so the path's shocks are drawn here in one loop, where the draws do not wait
        // on each other, rather than one per product in each year's long chain of work. A draw depends
        // only on its coordinates (`Randomness`), so the numbers are the same.
        let h = model.time.horizon as usize;
        self.drawn_years = h;
        self.drawn.resize(n * h, 0.0);
        for (k, p) in model.products.iter().enumerate() {
            let row = &mut self.drawn[k * h..(k + 1) * h];
            if let Some(after_first) = row.get_mut(1..) {
                r.normals(p.shock_stream, 1, after_first);
            }
        }
        self.factor.clear();
        self.rows.clear();
        self.rows.push(0);
        for k in 0..n {
            let row = &model.price_cholesky[k * n..k * n + k + 1];
            self.factor
                .extend(row.iter().enumerate().filter(|(_, l)| **l != 0.0).map(|(j, l)| (j, *l)));
            self.rows.push(self.factor.len());
        }
        // Each year's independent shocks z become correlated ones ε = L·z here, for the whole path (a
        // year's step then only reads them): product by product from the last up, so each product's z
        // is read before it is overwritten, each year's sum in the same order as `correlate_shocks`.
        let column = &mut self.column;
        for k in (0..n).rev() {
            column.clear();
            column.resize(h, 0.0);
            for &(j, l) in &self.factor[self.rows[k]..self.rows[k + 1]] {
                let z = &self.drawn[j * h..(j + 1) * h];
                for (e, z) in column.iter_mut().zip(z).skip(1) {
                    *e += l * z;
                }
            }
            if let (Some(row), Some(eps)) =
                (self.drawn.get_mut(k * h + 1..(k + 1) * h), column.get(1..))
            {
                row.copy_from_slice(eps);
            }
        }
    }

    /// ε = L·z for the year's independent shocks z in `shocks`, computed in place from the last row up
    /// so each z is read before it is overwritten. The factor's zeros are left out: each would add a
    /// zero to a sum that starts at +0, which changes no bit of it.
    #[inline]
    fn correlate_shocks(&mut self, n: usize) {
        for k in (0..n).rev() {
            let mut e = 0.0;
            for &(j, l) in &self.factor[self.rows[k]..self.rows[k + 1]] {
                e += l * self.shocks[j];
            }
            self.shocks[k] = e;
        }
    }

    /// Whether product `k` follows a price deck.
    #[inline]
    pub fn has_deck(&self, k: usize) -> bool {
        !self.decks[k].0.is_empty()
    }

    /// Product `k`'s deck level in year index `t` (1 without a deck).
    #[inline]
    pub fn deck(&self, k: usize, t: usize) -> f64 {
        let (table, after) = &self.decks[k];
        if table.is_empty() { 1.0 } else { table.get(t).copied().unwrap_or(*after) }
    }

    /// The year index the markets are in.
    #[inline]
    pub fn year_index(&self) -> u32 {
        self.t
    }

    /// Moves the markets to year index `t`: every deck product's level becomes that year's.
    #[inline]
    pub fn set_year(&mut self, t: u32) {
        self.t = t;
        if self.any_deck {
            for k in 0..self.level.len() {
                if self.has_deck(k) {
                    self.level[k] = self.deck(k, t as usize);
                }
            }
        }
    }

    /// The log of product `k`'s real price as observed this year, the running episode included.
    #[inline]
    pub fn observed(&self, k: usize) -> f64 {
        let m = self.episodes[k].multiplier;
        // Without an episode the multiplier is 1, whose logarithm is 0: no need to take it.
        if m == 1.0 { self.log_price[k] } else { self.log_price[k] + m.ln() }
    }

    /// Product `k`'s real price this year, the running episode included.
    #[inline]
    pub fn real(&self, k: usize) -> f64 {
        self.log_price[k].exp() * self.episodes[k].multiplier * self.level[k]
    }

    /// One year of correlated price shocks (year index `t` > 0).
    pub fn step_prices<R: Randomness>(&mut self, model: &Model, r: &R, t: u32) {
        let n = model.products.len();
        let (h, ti) = (self.drawn_years, t as usize);
        if ti < h {
            // The year's correlated shocks, drawn at the path's start.
            let (log_price, ou) = (&mut self.log_price[..n], &self.ou[..n]);
            for (k, (x, step)) in log_price.iter_mut().zip(ou).enumerate() {
                *x = step.step(*x, self.drawn[k * h + ti]);
            }
            return;
        }
        for k in 0..n {
            self.shocks[k] = r.normal(model.products[k].shock_stream, t);
        }
        self.correlate_shocks(n);
        for k in 0..n {
            self.log_price[k] = self.ou[k].step(self.log_price[k], self.shocks[k]);
        }
    }

    /// The dominant producer's moves in year index `t`: a running episode goes on; otherwise a flood or
    /// export controls may start; a targeted cut may answer last year's new supply.
    pub fn step_episodes<R: Randomness>(&mut self, model: &Model, r: &R, t: u32) {
        if !self.any_dominant {
            return;
        }
        for (k, p) in model.products.iter().enumerate() {
            let Some(d) = &p.dominant else { continue };
            let e = &mut self.episodes[k];
            if e.left > 0 {
                e.left -= 1;
            }
            if e.left == 0 {
                e.multiplier = 1.0;
            }
            // A targeted cut answers the new supply of the previous year.
            if !e.cut_done
                && t > 0
                && let Some(world) = d.world_supply
                && self.new_supply[k] / world.at(r).max(f64::MIN_POSITIVE) > d.cut_threshold.at(r)
            {
                e.cut_done = true;
                if happens(r.uniform(d.stream, K_CUT + t), d.cut_probability.at(r)) {
                    // A cut during a running flood keeps the lower of the two prices.
                    let cut = (1.0 - d.cut_size.at(r)).max(0.01);
                    e.multiplier = if e.left > 0 { e.multiplier.min(cut) } else { cut };
                    e.left = e.left.max(d.cut_years.at(r).round().max(1.0) as u32);
                    continue;
                }
            }
            if e.left > 0 {
                continue;
            }
            if happens(
                r.uniform(d.stream, K_FLOOD + t),
                yearly_probability(d.flood_probability.at(r)),
            ) {
                e.multiplier = (1.0 - d.flood_drop.at(r)).max(0.01);
                e.left = d.flood_years.at(r).round().max(1.0) as u32;
            } else if happens(
                r.uniform(d.stream, K_CONTROLS + t),
                yearly_probability(d.export_control_probability.at(r)),
            ) {
                e.multiplier = 1.0 + d.export_control_jump.at(r);
                e.left = d.export_control_years.at(r).round().max(1.0) as u32;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_life_halves_the_deviation() {
        let s = OuStep::new(100.0, 0.3, 4.0);
        let x0 = 200f64.ln();
        let x4 = s.mean_ahead(x0, 4);
        // After one half-life the log deviation ln(200/100) is halved: price = 100·2^0.5.
        assert!((x4.exp() - 100.0 * 2f64.sqrt()).abs() < 1e-9);
    }

    #[test]
    fn stationary_variance_is_sigma_squared_over_two_kappa() {
        let s = OuStep::new(1.0, 0.4, 2.0);
        let kappa = std::f64::consts::LN_2 / 2.0;
        let v = s.variance_ahead(10_000);
        assert!((v - 0.16 / (2.0 * kappa)).abs() < 1e-12);
    }

    #[test]
    fn without_reversion_the_step_is_a_random_walk() {
        let s = OuStep::new(50.0, 0.2, f64::INFINITY);
        assert_eq!(s.decay, 1.0);
        assert!((s.step(1.0, 1.0) - 1.2).abs() < 1e-15);
        assert!((s.variance_ahead(5) - 0.2).abs() < 1e-12);
    }
}
