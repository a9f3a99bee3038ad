//! Published reference values for every function, from `tests/data/finance_cases.json`.
//!
//! The file is a copy of the project's shared validation set: examples from numpy-financial's
//! tests and docstrings, Microsoft's Excel/DAX help, LibreOffice help and other spreadsheet
//! manuals, each with its source, convention note and tolerance. Every case is run; the only
//! cases skipped are those whose `status` marks the documented value as inconsistent with the
//! documented inputs, and those are examined by [`doc_inconsistent_cases_explained`].

use serde_json::Value;
use subsoil_finance::{
    Date, When, irr, irr_all, irr_with_guess, mirr, npv_excel, npv_t0, pmt, sign_changes, xirr,
    xirr_with_guess, xnpv,
};

const CASES: &str = include_str!("data/finance_cases.json");

/// Status value of cases whose published result does not follow from their published inputs.
const DOC_INCONSISTENT: &str = "documented_value_inconsistent_with_documented_inputs";

fn cases() -> Vec<Value> {
    match serde_json::from_str::<Value>(CASES) {
        Ok(Value::Array(cases)) => cases,
        other => panic!("finance_cases.json must hold a JSON array, got {other:?}"),
    }
}

fn id(case: &Value) -> &str {
    case["id"].as_str().unwrap_or("<no id>")
}

/// Which NPV convention a case's source uses, decided from its id prefix.
#[derive(Debug, Clone, Copy, PartialEq)]
enum NpvConvention {
    /// First value at t = 0, undiscounted: [`npv_t0`].
    T0,
    /// First value discounted one period: [`npv_excel`].
    Excel,
}

fn npv_convention(case_id: &str) -> NpvConvention {
    // numpy-financial ("npf-") places values[0] at t = 0, as its convention_note says.
    // Every other source in the file is a spreadsheet-style NPV that discounts the first value
    // one period: MESCIUS SPREAD ("spread-"), Adobe FormCalc ("formcalc-"), Claris FileMaker
    // ("filemaker-"), the Rust `financial` crate, which follows Excel ("rust-financial-"), and
    // LibreOffice ("lo-"). A new prefix must be added here deliberately.
    let prefix_map = [
        ("npf-", NpvConvention::T0),
        ("spread-", NpvConvention::Excel),
        ("formcalc-", NpvConvention::Excel),
        ("filemaker-", NpvConvention::Excel),
        ("rust-financial-", NpvConvention::Excel),
        ("lo-", NpvConvention::Excel),
    ];
    match prefix_map.iter().find(|(prefix, _)| case_id.starts_with(prefix)) {
        Some(&(_, convention)) => convention,
        None => panic!("NPV case {case_id}: map its id prefix to a convention"),
    }
}

fn npv(convention: NpvConvention, rate: f64, values: &[f64]) -> f64 {
    match convention {
        NpvConvention::T0 => npv_t0(rate, values),
        NpvConvention::Excel => npv_excel(rate, values),
    }
}

/// Absolute and relative tolerance of a case: pass when `|got - want| ≤ atol + rtol·|want|`.
#[derive(Debug, Clone, Copy)]
struct Tolerance {
    atol: f64,
    rtol: f64,
}

impl Tolerance {
    fn of(case: &Value) -> Tolerance {
        let tol = &case["tolerance"];
        Tolerance {
            atol: tol["atol"].as_f64().unwrap_or(0.0),
            rtol: tol["rtol"].as_f64().unwrap_or(0.0),
        }
    }
}

fn num(value: &Value, what: &str) -> f64 {
    value.as_f64().unwrap_or_else(|| panic!("{what}: expected a number, got {value}"))
}

fn nums(value: &Value, what: &str) -> Vec<f64> {
    match value.as_array() {
        Some(items) => items.iter().map(|v| num(v, what)).collect(),
        None => panic!("{what}: expected an array of numbers, got {value}"),
    }
}

fn rows(value: &Value, what: &str) -> Vec<Vec<f64>> {
    match value.as_array() {
        Some(items) => items.iter().map(|row| nums(row, what)).collect(),
        None => panic!("{what}: expected an array of arrays, got {value}"),
    }
}

fn dates(value: &Value) -> Vec<Date> {
    let Some(items) = value.as_array() else { panic!("dates: expected an array, got {value}") };
    items
        .iter()
        .map(|d| match d.as_str().map(Date::parse) {
            Some(Ok(date)) => date,
            other => panic!("bad date {d}: {other:?}"),
        })
        .collect()
}

/// Compares one result with one expected value (a number or the string "NaN").
fn check(label: &str, got: Option<f64>, want: &Value, tol: Tolerance) -> Result<(), String> {
    if want.as_str() == Some("NaN") {
        return match got {
            None => Ok(()),
            Some(g) if g.is_nan() => Ok(()),
            Some(g) => Err(format!("{label}: expected NaN/None, got {g}")),
        };
    }
    let want = num(want, label);
    match got {
        Some(g) if (g - want).abs() <= tol.atol + tol.rtol * want.abs() => Ok(()),
        Some(g) => Err(format!(
            "{label}: got {g}, expected {want} (|diff| {:.3e} > atol {} + rtol {})",
            (g - want).abs(),
            tol.atol,
            tol.rtol
        )),
        None => Err(format!("{label}: got None, expected {want}")),
    }
}

/// Checks a two-dimensional expected array against `compute(i, j)`.
fn check_grid(
    label: &str,
    want: &Value,
    tol: Tolerance,
    compute: impl Fn(usize, usize) -> Option<f64>,
) -> Result<(), String> {
    let want_rows = want.as_array().ok_or_else(|| format!("{label}: expected a 2-D array"))?;
    let mut n_checked = 0;
    for (i, row) in want_rows.iter().enumerate() {
        let cells = row.as_array().ok_or_else(|| format!("{label}: row {i} is not an array"))?;
        for (j, cell) in cells.iter().enumerate() {
            check(&format!("{label}[{i}][{j}]"), compute(i, j), cell, tol)?;
            n_checked += 1;
        }
    }
    if n_checked == 0 { Err(format!("{label}: empty expected array")) } else { Ok(()) }
}

fn run_npv(case: &Value) -> Result<(), String> {
    let (inputs, want, tol) = (&case["inputs"], &case["expected"], Tolerance::of(case));
    let convention = npv_convention(id(case));
    if inputs.get("rates").is_some() {
        // Broadcast: expected[i][j] = npv(rates[i], values[j]).
        let rates = nums(&inputs["rates"], "rates");
        let values = rows(&inputs["values"], "values");
        return check_grid(id(case), want, tol, |i, j| Some(npv(convention, rates[i], &values[j])));
    }
    let got = npv(convention, num(&inputs["rate"], "rate"), &nums(&inputs["values"], "values"));
    check(id(case), Some(got), want, tol)
}

fn run_irr(case: &Value) -> Result<(), String> {
    let (inputs, want, tol) = (&case["inputs"], &case["expected"], Tolerance::of(case));
    let values = nums(&inputs["values"], "values");
    let got = match inputs.get("guess").and_then(Value::as_f64) {
        Some(guess) => irr_with_guess(&values, guess),
        None => irr(&values),
    };
    if let Some(property) = want.get("property") {
        // The one property in the file: the NPV at the IRR is zero.
        if property.as_str() != Some("npv(irr(values), values) == 0") {
            return Err(format!("{}: unknown property {property}", id(case)));
        }
        let rate = got.ok_or_else(|| format!("{}: no IRR", id(case)))?;
        return check(id(case), Some(npv_t0(rate, &values)), &Value::from(0.0), tol);
    }
    check(id(case), got, want, tol)
}

fn run_pmt(case: &Value) -> Result<(), String> {
    let (inputs, want, tol) = (&case["inputs"], &case["expected"], Tolerance::of(case));
    let fv = inputs.get("fv").and_then(Value::as_f64).unwrap_or(0.0);
    let when = match (inputs.get("when").and_then(Value::as_str), inputs.get("type")) {
        (Some("begin"), _) => When::Begin,
        (Some("end") | None, None) => When::End,
        (None, Some(t)) if t.as_f64() == Some(1.0) => When::Begin,
        (None, Some(t)) if t.as_f64() == Some(0.0) => When::End,
        other => return Err(format!("{}: unknown payment timing {other:?}", id(case))),
    };
    if inputs["rate"].is_array() {
        // numpy broadcasting: rate is 2-D, nper and pv run along the last axis.
        let rate = rows(&inputs["rate"], "rate");
        let nper = nums(&inputs["nper"], "nper");
        let pv = nums(&inputs["pv"], "pv");
        return check_grid(id(case), want, tol, |i, j| {
            Some(pmt(rate[i][j], nper[j], pv[j], fv, when))
        });
    }
    let got = pmt(
        num(&inputs["rate"], "rate"),
        num(&inputs["nper"], "nper"),
        num(&inputs["pv"], "pv"),
        fv,
        when,
    );
    check(id(case), Some(got), want, tol)
}

fn run_mirr(case: &Value) -> Result<(), String> {
    let (inputs, want, tol) = (&case["inputs"], &case["expected"], Tolerance::of(case));
    if inputs["finance_rate"].is_array() {
        // Broadcast: expected[i][j] = mirr(values[i], finance_rate[j], reinvest_rate[j]).
        let values = rows(&inputs["values"], "values");
        let finance = nums(&inputs["finance_rate"], "finance_rate");
        let reinvest = nums(&inputs["reinvest_rate"], "reinvest_rate");
        return check_grid(id(case), want, tol, |i, j| mirr(&values[i], finance[j], reinvest[j]));
    }
    let got = mirr(
        &nums(&inputs["values"], "values"),
        num(&inputs["finance_rate"], "finance_rate"),
        num(&inputs["reinvest_rate"], "reinvest_rate"),
    );
    check(id(case), got, want, tol)
}

fn run_xirr(case: &Value) -> Result<(), String> {
    let (inputs, want, tol) = (&case["inputs"], &case["expected"], Tolerance::of(case));
    let values = nums(&inputs["values"], "values");
    let dates = dates(&inputs["dates"]);
    let got = match inputs.get("guess").and_then(Value::as_f64) {
        Some(guess) => xirr_with_guess(&values, &dates, guess),
        None => xirr(&values, &dates),
    };
    check(id(case), got, want, tol)
}

fn run_xnpv(case: &Value) -> Result<(), String> {
    let (inputs, want, tol) = (&case["inputs"], &case["expected"], Tolerance::of(case));
    let got = xnpv(
        num(&inputs["rate"], "rate"),
        &nums(&inputs["values"], "values"),
        &dates(&inputs["dates"]),
    );
    check(id(case), Some(got), want, tol)
}

fn run_case(case: &Value) -> Result<(), String> {
    match case["function"].as_str() {
        Some("NPV") => run_npv(case),
        Some("IRR") => run_irr(case),
        Some("PMT") => run_pmt(case),
        Some("MIRR") => run_mirr(case),
        Some("XIRR") => run_xirr(case),
        Some("XNPV") => run_xnpv(case),
        other => Err(format!("{}: no runner for function {other:?}", id(case))),
    }
}

#[test]
fn every_validation_case_passes() {
    let cases = cases();
    let mut failures = Vec::new();
    let mut n_passed = 0;
    let mut skipped = Vec::new();
    for case in &cases {
        match case.get("status").and_then(Value::as_str) {
            Some(DOC_INCONSISTENT) => {
                println!(
                    "SKIP {}: {DOC_INCONSISTENT} (see doc_inconsistent_cases_explained)",
                    id(case)
                );
                skipped.push(id(case).to_owned());
                continue;
            }
            Some(other) => failures.push(format!("{}: unknown status {other}", id(case))),
            None => {}
        }
        match run_case(case) {
            Ok(()) => n_passed += 1,
            Err(message) => failures.push(message),
        }
    }
    println!("{n_passed} cases passed, {} skipped", skipped.len());
    assert!(failures.is_empty(), "failing cases:\n{}", failures.join("\n"));
    assert_eq!(
        skipped,
        ["lo-xirr-01-DOC-INCONSISTENT", "lo-xnpv-01-DOC-INCONSISTENT"],
        "only the two known-faulty cases may be skipped"
    );
    assert_eq!(n_passed + skipped.len(), cases.len());
    assert!(n_passed >= 49, "the validation file seems truncated: {n_passed} cases");
}

#[test]
fn npv_conventions_really_differ_on_the_cases() {
    // Guards the per-prefix mapping: with the other convention the spreadsheet cases would fail
    // (FileMaker example 1 would give 164.758 instead of 156.913).
    let values = [-2000.0, 600.0, 300.0, 500.0, 700.0, 400.0];
    assert!((npv_excel(0.05, &values) - 156.91277445).abs() < 1e-8);
    assert!((npv_t0(0.05, &values) - 164.758).abs() < 1e-3);
}

/// The two LibreOffice XIRR/XNPV help examples print results that their own table does not give.
///
/// Recomputing from the printed inputs gives XIRR ≈ 0.19482 and XNPV(6 %) ≈ 332.57, not 0.1828
/// and 323.02. Both printed results are reproduced, to the printed precision, if the second date
/// is 2001-02-01 instead of 2001-01-02 — a day/month swap — so the table, not the functions, is
/// at fault.
#[test]
fn doc_inconsistent_cases_explained() {
    let cases = cases();
    let find = |wanted: &str| match cases.iter().find(|c| id(c) == wanted) {
        Some(case) => case,
        None => panic!("case {wanted} missing from the validation file"),
    };
    let xirr_case = find("lo-xirr-01-DOC-INCONSISTENT");
    let xnpv_case = find("lo-xnpv-01-DOC-INCONSISTENT");
    for case in [xirr_case, xnpv_case] {
        assert_eq!(case["status"].as_str(), Some(DOC_INCONSISTENT));
    }

    let values = nums(&xirr_case["inputs"]["values"], "values");
    let documented_dates = dates(&xirr_case["inputs"]["dates"]);
    assert_eq!(documented_dates, dates(&xnpv_case["inputs"]["dates"]));
    let documented_rate = num(&xirr_case["expected"], "expected");
    let documented_npv = num(&xnpv_case["expected"], "expected");

    // Independent evaluation of the XNPV definition, straight from the day counts.
    let direct_xnpv = |rate: f64, dates: &[Date]| -> f64 {
        values
            .iter()
            .zip(dates)
            .map(|(v, d)| v / (1.0 + rate).powf(dates[0].days_until(*d) as f64 / 365.0))
            .sum()
    };

    // What the documented inputs give.
    let our_rate = xirr(&values, &documented_dates).unwrap_or(f64::NAN);
    let our_npv = xnpv(0.06, &values, &documented_dates);
    println!("lo-xirr-01: documented {documented_rate}, from documented inputs {our_rate:.6}");
    println!("lo-xnpv-01: documented {documented_npv}, from documented inputs {our_npv:.4}");
    assert!((our_rate - 0.19482).abs() < 5e-5, "{our_rate}");
    assert!((our_npv - 332.57).abs() < 0.005, "{our_npv}");
    assert!((our_npv - direct_xnpv(0.06, &documented_dates)).abs() < 1e-9);
    assert!(direct_xnpv(our_rate, &documented_dates).abs() < 1e-8, "ours is a true root");

    // The documented rate is not a root of the documented flows. Near the root XNPV falls by
    // about 2,300 per unit of rate, so the case's own tolerance (5e-5 on the rate) allows a
    // residual of about 0.11; at 18.28 % it is 27.5, i.e. the rate is off by about 0.012. The
    // flows have a single sign change, so no other root could explain the documented value.
    let residual = direct_xnpv(documented_rate, &documented_dates);
    let slope = (direct_xnpv(our_rate + 1e-6, &documented_dates)
        - direct_xnpv(our_rate - 1e-6, &documented_dates))
        / 2e-6;
    println!("XNPV at the documented rate {documented_rate}: {residual:.2} (should be 0)");
    println!("slope of XNPV at the root: {slope:.1} per unit of rate");
    assert!((slope + 2500.0).abs() < 1000.0, "{slope}");
    assert!(residual.abs() > 100.0 * (tol(xirr_case).atol * slope).abs(), "{residual}");
    assert_eq!(subsoil_finance::xirr_all(&values, &documented_dates).len(), 1);
    assert!((our_npv - documented_npv).abs() > 9.0);

    // With the second date read as 1 February both documented results follow.
    let mut swapped = documented_dates.clone();
    swapped[1] = match Date::parse("2001-02-01") {
        Ok(date) => date,
        Err(e) => panic!("{e}"),
    };
    let swapped_rate = xirr(&values, &swapped).unwrap_or(f64::NAN);
    let swapped_npv = xnpv(0.06, &values, &swapped);
    println!("with 2001-02-01: XIRR {swapped_rate:.6}, XNPV(6 %) {swapped_npv:.4}");
    assert!(
        check("xirr swapped", Some(swapped_rate), &xirr_case["expected"], tol(xirr_case)).is_ok()
    );
    assert!(
        check("xnpv swapped", Some(swapped_npv), &xnpv_case["expected"], tol(xnpv_case)).is_ok()
    );
}

fn tol(case: &Value) -> Tolerance {
    Tolerance::of(case)
}

/// IRR cases whose flows change sign more than once, with every root and the one returned.
#[test]
fn multi_root_cases_follow_the_documented_choice() {
    let mut n_multi = 0;
    println!("{:<28} {:>10}  all roots", "case", "irr");
    for case in cases().iter().filter(|c| c["function"].as_str() == Some("IRR")) {
        let values = nums(&case["inputs"]["values"], "values");
        if sign_changes(&values) <= 1 {
            continue;
        }
        n_multi += 1;
        let roots = irr_all(&values);
        let chosen = irr(&values);
        println!("{:<28} {:>10.6}  {roots:.6?}", id(case), chosen.unwrap_or(f64::NAN));

        // The documented rule, restated: smallest non-negative root, else the largest root.
        let rule = match roots.iter().find(|r| **r >= 0.0) {
            Some(r) => Some(*r),
            None => roots.last().copied(),
        };
        assert_eq!(chosen, rule, "{}", id(case));
        assert!(roots.len() <= sign_changes(&values), "{}: Descartes bound", id(case));
        assert!(roots.windows(2).all(|w| w[0] < w[1]), "{}: not ascending", id(case));
        for r in &roots {
            let scale: f64 =
                values.iter().enumerate().map(|(t, v)| (v / (1.0 + r).powi(t as i32)).abs()).sum();
            assert!(npv_t0(*r, &values).abs() <= 1e-10 * scale, "{}: {r} is no root", id(case));
        }
    }
    assert!(n_multi >= 5, "expected the multi-root cases 04, 06, 07, 08, 09; found {n_multi}");

    // Root lists named in the case notes.
    let expect_roots = |values: &[f64], want: &[f64]| {
        let roots = irr_all(values);
        assert_eq!(roots.len(), want.len(), "{values:?}: {roots:?}");
        for (r, w) in roots.iter().zip(want) {
            assert!((r - w).abs() < 1e-4, "{values:?}: {roots:?} vs {want:?}");
        }
    };
    expect_roots(&[-100.0, 100.0, 0.0, -7.0], &[-0.6789, -0.0833]);
    expect_roots(&[-5.0, 10.5, 1.0, -8.0, 1.0], &[-0.8702, 0.0886, 0.7096]);
}

#[test]
fn trailing_zeros_do_not_change_any_root() {
    let values = [-5.0, 10.5, 1.0, -8.0, 1.0];
    let padded = [-5.0, 10.5, 1.0, -8.0, 1.0, 0.0, 0.0, 0.0];
    assert_eq!(irr_all(&values), irr_all(&padded));
    assert_eq!(irr(&values), irr(&padded));
    assert!(irr(&values).is_some());
}
