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
//! price observed that year toward the scenario's central long-run level (`simulate.rs`, `expect_for`).

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
