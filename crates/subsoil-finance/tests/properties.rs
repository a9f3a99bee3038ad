//! Properties over many generated cash-flow series.
//!
//! Series come from a small fixed-seed linear congruential generator, so every run sees the
//! same inputs and a failure is reproducible from the printed series. Tolerances are relative to
//! `Σ |v_t| / (1+r)^t`, the magnitude of the terms being summed, which bounds the rounding
//! error of any NPV evaluation.

use subsoil_finance::{
    Date, irr, irr_all, irr_with_guess, npv_excel, npv_t0, sign_changes, xirr_all, xnpv,
};

/// Knuth's MMIX linear congruential generator; plenty for shaping test inputs.
struct Lcg(u64);

impl Lcg {
    fn next_u64(&mut self) -> u64 {
        self.0 =
            self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0
    }

    /// Uniform in [0, 1), from the high 53 bits.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1_u64 << 53) as f64
    }

    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize
    }
}

/// A cash-flow series of one of four shapes, cycling with `k`.
fn series(rng: &mut Lcg, k: usize) -> Vec<f64> {
    let n = 2 + rng.below(30);
    match k % 4 {
        // Conventional: investment, then returns (one sign change).
        0 => {
            let mut v = vec![-rng.range(50.0, 500.0)];
            v.extend((1..n).map(|_| rng.range(0.0, 100.0)));
            v
        }
        // Mine-like: capex years, declining margins, closure costs.
        1 => {
            let capex_years = 1 + rng.below(3);
            let closure_years = 1 + rng.below(3);
            let mut v: Vec<f64> = (0..capex_years).map(|_| -rng.range(100.0, 300.0)).collect();
            let peak = rng.range(50.0, 200.0);
            v.extend((0..n).map(|t| peak * (1.0 - t as f64 / (n as f64 + 5.0))));
            v.extend((0..closure_years).map(|_| -rng.range(10.0, 150.0)));
            v
        }
        // Random signs and magnitudes, with some exact zeros.
        2 => {
            (0..n).map(|_| if rng.unit() < 0.15 { 0.0 } else { rng.range(-100.0, 100.0) }).collect()
        }
        // Wide magnitudes: flows spanning six orders of magnitude.
        _ => (0..n)
            .map(|_| {
                let sign = if rng.unit() < 0.5 { -1.0 } else { 1.0 };
                sign * 10_f64.powf(rng.range(-2.0, 4.0))
            })
            .collect(),
    }
}

/// `Σ |v_t| / (1+r)^t`, the scale of rounding error in `npv_t0(r, values)`.
fn npv_scale(rate: f64, values: &[f64]) -> f64 {
    let factor = 1.0 / (1.0 + rate).abs();
    let mut discount = 1.0;
    let mut sum = 0.0;
    for v in values {
        sum += v.abs() * discount;
        discount *= factor;
    }
    sum
}

const N_SERIES: usize = 4000;

#[test]
fn npv_is_zero_at_every_reported_root() {
    let mut rng = Lcg(20_250_430);
    let mut n_with_irr = 0;
    let mut n_multi = 0;
    for k in 0..N_SERIES {
        let values = series(&mut rng, k);
        let roots = irr_all(&values);
        for &r in &roots {
            assert!(r > -1.0, "{values:?}: root {r} not above -1");
            let npv = npv_t0(r, &values);
            assert!(npv.abs() <= 1e-9 * npv_scale(r, &values), "{values:?}: npv({r}) = {npv}");
        }
        if let Some(r) = irr(&values) {
            n_with_irr += 1;
            assert!(roots.contains(&r), "{values:?}: irr {r} not among {roots:?}");
            assert!(npv_t0(r, &values).abs() <= 1e-9 * npv_scale(r, &values), "{values:?}");
        } else {
            assert!(roots.is_empty(), "{values:?}");
        }
        n_multi += usize::from(roots.len() > 1);
    }
    // The generator must actually exercise both the single- and the multi-root paths.
    assert!(n_with_irr > N_SERIES / 2, "{n_with_irr}");
    assert!(n_multi > 100, "{n_multi}");
}

#[test]
fn root_counts_respect_descartes() {
    let mut rng = Lcg(7);
    for k in 0..N_SERIES {
        let values = series(&mut rng, k);
        let roots = irr_all(&values);
        let changes = sign_changes(&values);
        assert!(roots.len() <= changes, "{values:?}: {roots:?}");
        if changes == 1 {
            // One sign change: as r → -1 the last non-zero flow dominates the NPV, as r → ∞
            // the first does; their signs differ, so there is a root, and Descartes allows one.
            assert_eq!(roots.len(), 1, "{values:?}");
        }
        assert!(roots.windows(2).all(|w| w[0] < w[1]), "{values:?}: {roots:?}");
    }
}

/// Brute-force check that no root is missed: every sign change of the NPV on a fine grid of
/// rates must bracket a reported root.
#[test]
fn no_root_is_missed_on_a_fine_grid() {
    let mut rng = Lcg(99);
    // 1 + r = exp(s), s from -8 to 5: rates from -0.99966 to about 147.
    let grid: Vec<f64> =
        (0..=2600).map(|i| (-8.0 + 13.0 * i as f64 / 2600.0).exp() - 1.0).collect();
    for k in 0..1000 {
        let values = series(&mut rng, k);
        let roots = irr_all(&values);
        let signs: Vec<(f64, f64)> = grid
            .iter()
            .map(|&r| (r, npv_t0(r, &values)))
            // Keep only points whose sign is beyond rounding doubt.
            .filter(|&(r, npv)| npv.abs() > 1e-9 * npv_scale(r, &values))
            .collect();
        for w in signs.windows(2) {
            let ((ra, fa), (rb, fb)) = (w[0], w[1]);
            if (fa > 0.0) != (fb > 0.0) {
                assert!(
                    roots.iter().any(|&r| r >= ra && r <= rb),
                    "{values:?}: NPV changes sign in [{ra}, {rb}] but roots are {roots:?}"
                );
            }
        }
    }
}

#[test]
fn excel_npv_is_t0_npv_discounted_one_period() {
    let mut rng = Lcg(3);
    for k in 0..N_SERIES {
        let values = series(&mut rng, k);
        let rate = rng.range(-0.9, 2.0);
        let excel = npv_excel(rate, &values);
        let t0 = npv_t0(rate, &values);
        let tol = 1e-12 * npv_scale(rate, &values);
        assert!((excel - t0 / (1.0 + rate)).abs() <= tol, "{values:?} at {rate}: {excel} vs {t0}");
    }
}

#[test]
fn trailing_zeros_never_change_the_roots() {
    let mut rng = Lcg(11);
    for k in 0..1000 {
        let values = series(&mut rng, k);
        let mut padded = values.clone();
        padded.extend(std::iter::repeat_n(0.0, 1 + rng.below(5)));
        assert_eq!(irr_all(&values), irr_all(&padded), "{values:?}");
    }
}

#[test]
fn guess_picks_the_nearest_root() {
    let mut rng = Lcg(5);
    for k in 0..1000 {
        let values = series(&mut rng, k);
        let roots = irr_all(&values);
        let guess = rng.range(-0.9, 1.0);
        let got = irr_with_guess(&values, guess);
        let best = roots.iter().map(|r| (r - guess).abs()).fold(f64::INFINITY, f64::min);
        match got {
            Some(r) => assert_eq!((r - guess).abs(), best, "{values:?}"),
            None => assert!(roots.is_empty(), "{values:?}"),
        }
    }
}

/// Dated flows every 100 days are periodic flows with a period of 100/365 years, so the annual
/// XIRR roots are the periodic IRR roots compounded: `(1 + r)^(365/100) - 1`.
#[test]
fn xirr_on_regular_dates_matches_compounded_irr() {
    let mut rng = Lcg(17);
    let start = match Date::parse("2025-04-30") {
        Ok(date) => date.day_number(),
        Err(e) => panic!("{e}"),
    };
    for k in 0..500 {
        let values = series(&mut rng, k);
        let dates: Vec<Date> = (0..values.len())
            .map(|i| match Date::from_day_number(start + 100 * i as i64) {
                Some(date) => date,
                None => panic!("date out of range"),
            })
            .collect();
        let annual = xirr_all(&values, &dates);
        let periodic: Vec<f64> =
            irr_all(&values).iter().map(|r| (1.0 + r).powf(3.65) - 1.0).collect();
        assert_eq!(annual.len(), periodic.len(), "{values:?}: {annual:?} vs {periodic:?}");
        for (a, p) in annual.iter().zip(&periodic) {
            assert!(
                (a - p).abs() <= 1e-9 * (1.0 + a.abs()),
                "{values:?}: {annual:?} vs {periodic:?}"
            );
            if 1.0 + a < 1e-6 {
                // Within 1e-6 of -1, `1 + a` keeps only the leading digits of the root (the
                // absolute rounding of `a` is relative to 1), so the residual cannot be small.
                continue;
            }
            let scale: f64 = values
                .iter()
                .zip(&dates)
                .map(|(v, d)| (v / (1.0 + a).powf(dates[0].days_until(*d) as f64 / 365.0)).abs())
                .sum();
            assert!(xnpv(*a, &values, &dates).abs() <= 1e-9 * scale, "{values:?}: {a}");
        }
    }
}
