//! Accuracy of the special functions against 50-digit references (computed with mpmath).

// References keep 20 significant digits; the compiler rounds them to the nearest f64.
#![allow(clippy::excessive_precision)]

use subsoil_risk::special::{beta_inc, beta_inc_inv, ln_gamma, norm_cdf, norm_inv, norm_sf};

fn rel_err(got: f64, want: f64) -> f64 {
    if want == 0.0 { got.abs() } else { ((got - want) / want).abs() }
}

/// `(x, Φ(x))`.
const NORM_CDF: &[(f64, f64)] = &[
    (-37.0, 5.7255712225245768227e-300),
    (-30.0, 4.9067139271481870595e-198),
    (-20.0, 2.7536241186062336951e-89),
    (-12.5, 3.7325642988777133772e-36),
    (-8.0, 6.2209605742717841235e-16),
    (-5.0, 2.8665157187919391167e-7),
    (-3.0, 0.0013498980316300945267),
    (-1.5, 0.066807201268858066004),
    (-0.9, 0.18406012534675948265),
    (-0.5, 0.30853753872598689636),
    (-0.3, 0.38208857781104736693),
    (-0.1, 0.46017216272297101633),
    (0.0, 0.5),
    (0.2, 0.57925970943910302738),
    (0.6, 0.72574688224992641231),
    (1.0, 0.84134474606854294859),
    (2.0, 0.9772498680518207928),
    (3.3, 0.99951657585761622249),
    (5.7, 0.99999999400962859894),
    (8.0, 0.9999999999999993779),
];

#[test]
fn normal_cdf_is_accurate_in_both_tails() {
    for &(x, want) in NORM_CDF {
        let got = norm_cdf(x);
        assert!(rel_err(got, want) < 1e-14, "Φ({x}) = {got:e}, want {want:e}");
        // The survival function mirrors the lower tail with the same relative accuracy.
        let sf = norm_sf(-x);
        assert!(rel_err(sf, want) < 1e-14, "1-Φ({}) = {sf:e}, want {want:e}", -x);
    }
}

/// `(p, Φ⁻¹(p))`.
const NORM_INV: &[(f64, f64)] = &[
    (1e-300, -37.047096299361199237),
    (1e-100, -21.273453560965324294),
    (1e-20, -9.2623400897984075796),
    (1e-12, -7.0344838253011319326),
    (1e-06, -4.7534243088228989573),
    (0.001, -3.0902323061678135354),
    (0.02, -2.0537489106318230443),
    (0.07, -1.4757910281791706856),
    (0.3, -0.52440051270804081597),
    (0.5, 0.0),
    (0.6, 0.25334710313579974132),
    (0.924, 1.43250272082581191),
    (0.98, 2.0537489106318226861),
    (0.999999, 4.7534243088170877657),
    (0.9999999999999999, 8.2095361516013868556),
];

#[test]
fn inverse_normal_matches_references() {
    for &(p, want) in NORM_INV {
        let got = norm_inv(p);
        assert!(rel_err(got, want) < 1e-15 || (got - want).abs() < 1e-16, "Φ⁻¹({p}) = {got}");
    }
}

#[test]
fn inverse_normal_edges_do_not_panic() {
    assert_eq!(norm_inv(0.0), f64::NEG_INFINITY);
    assert_eq!(norm_inv(1.0), f64::INFINITY);
    assert_eq!(norm_inv(-0.5), f64::NEG_INFINITY);
    assert_eq!(norm_inv(2.0), f64::INFINITY);
    assert!(norm_inv(f64::NAN).is_nan());
    assert!(norm_cdf(f64::NAN).is_nan());
    assert_eq!(norm_cdf(f64::INFINITY), 1.0);
    assert_eq!(norm_cdf(f64::NEG_INFINITY), 0.0);
}

/// `(x, ln Γ(x))`.
const LGAMMA: &[(f64, f64)] = &[
    (1e-10, 23.025850929882735237),
    (0.1, 2.252712651734205902),
    (0.5, 0.57236494292470008707),
    (1.0, 0.0),
    (1.5, -0.12078223763524522235),
    (2.0, 0.0),
    (3.7, 1.4280723266653881292),
    (10.0, 12.801827480081469611),
    (19.5, 37.861086508961096992),
    (20.0, 39.339884187199494036),
    (55.5, 166.32150615984036914),
    (1000.0, 5905.2204232091812118),
    (1000000.0, 12815504.56914761166),
];

#[test]
fn ln_gamma_matches_references() {
    for &(x, want) in LGAMMA {
        let got = ln_gamma(x);
        let tol = 1e-14 * want.abs().max(1.0);
        assert!((got - want).abs() < tol, "lnΓ({x}) = {got}, want {want}");
    }
}

/// `(a, b, x, I_x(a, b), 1 - I_x(a, b))`.
const BETA_INC: &[(f64, f64, f64, f64, f64)] = &[
    (2.0, 3.0, 0.1, 0.052300000000000005396, 0.9476999999999999946),
    (2.0, 3.0, 0.9, 0.9963000000000000024, 0.0036999999999999976019),
    (0.5, 0.5, 0.01, 0.063768560858519848583, 0.93623143914148015142),
    (0.5, 0.5, 0.7, 0.6309898804344545864, 0.3690101195655454136),
    (5.0, 1.5, 0.2, 0.00079066357444397647765, 0.99920933642555602352),
    (1.2, 6.8, 0.05, 0.21610598778052466501, 0.78389401221947533499),
    (30.0, 40.0, 0.4, 0.31814380259056298747, 0.68185619740943701253),
    (0.2, 0.3, 0.999, 0.94583205474171713226, 0.05416794525828286774),
    (100.0, 200.0, 0.3, 0.10884306564490975751, 0.89115693435509024249),
    (3.0, 3.0, 1e-05, 9.999850000600002454e-15, 0.99999999999999000015),
];

#[test]
fn incomplete_beta_matches_references() {
    for &(a, b, x, lower, upper) in BETA_INC {
        let (got_lo, got_up) =
            subsoil_risk::special::beta_inc_both(a, b, x, subsoil_risk::special::ln_beta(a, b));
        assert!(rel_err(got_lo, lower) < 1e-13, "I_{x}({a},{b}) = {got_lo:e}, want {lower:e}");
        assert!(rel_err(got_up, upper) < 1e-13, "1-I_{x}({a},{b}) = {got_up:e}, want {upper:e}");
        assert!(rel_err(beta_inc(a, b, x), lower) < 1e-13);
    }
}

#[test]
fn inverse_incomplete_beta_round_trips() {
    let shapes =
        [(2.0, 3.0), (0.5, 0.5), (5.0, 1.5), (1.2, 6.8), (30.0, 40.0), (0.2, 0.3), (1.0, 1.0)];
    let ps = [1e-12, 1e-8, 1e-4, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 1.0 - 1e-4, 1.0 - 1e-8];
    for &(a, b) in &shapes {
        for &p in &ps {
            let x = beta_inc_inv(a, b, p);
            assert!((0.0..=1.0).contains(&x), "inverse out of [0,1] for a={a} b={b} p={p}");
            let back = beta_inc(a, b, x);
            // Compare in the smaller tail, relative to the tail probability.
            let (got, want) = if p < 0.5 { (back, p) } else { (1.0 - back, 1.0 - p) };
            // Where the answer is within an ulp of 1, f64 cannot hold it more precisely: then
            // `p` must lie between the CDF at the neighbouring representable points.
            let bracketed = beta_inc(a, b, x.next_down()) <= p && p <= beta_inc(a, b, x.next_up());
            assert!(rel_err(got, want) < 1e-9 || bracketed, "a={a} b={b} p={p}: x={x}, I_x={back}");
        }
    }
}
