//! The fund's cash terms, checked against arithmetic done by hand: the rate its cash earns (nominal and
//! real, on the cash held at the start of the year, credited before the waterfall) and what it pays out
//! after the lock-up (`all-above-reserve` or `retain`, with and without a cap).
//!
//! `tests/data/worked-example/deal-cash.toml`: the partner pays 100 into the fund in 2026, nothing else
//! comes in, lock-up until 2030, everything to the partner, 4% a year nominal. `deal-hurdle.toml`: half
//! of the new royalty into the fund (25 in 2028, 50 in 2029-2031), the partner owed 100 credited in 2026
//! plus 4% a year compound, then the rest to the host. Zero inflation unless set.

use subsoil_core::ledger::{Account, Purpose};
use subsoil_core::{PathOutcome, Workspace, simulate};
use subsoil_engine::base_case;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/worked-example");
const TOL: f64 = 1e-9;

fn load(file: &str, sets: &[&str]) -> subsoil_scenario::Scenario {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    match subsoil_scenario::load(&format!("{DIR}/{file}"), &sets) {
        Ok(s) => s,
        Err(e) => panic!("{file} does not load:\n{}", e.render()),
    }
}

fn run(file: &str, sets: &[&str]) -> PathOutcome {
    base_case(&load(file, sets)).1
}

fn close(a: f64, b: f64, what: &str) {
    assert!((a - b).abs() < TOL, "{what}: {a} vs {b}");
}

/// Party indexes: parties are ordered by id, so `ua` (host) is 0 and `us` (partner) is 1.
const UA: usize = 0;
const US: usize = 1;

#[test]
fn cash_earns_its_rate_on_the_opening_balance() {
    // 2026: 100 paid in; the fund held nothing at the start of the year, so it earns nothing.
    // 2027: 100 × 4% = 4 → 104. 2028: 104 × 4% = 4.16 → 108.16. 2029: 4.3264 → 112.4864.
    let out = run("deal-cash.toml", &["deal.lock-up-until=2040"]);
    let want_interest = [0.0, 4.0, 4.16, 4.3264];
    let want_cash = [100.0, 104.0, 108.16, 112.4864];
    for t in 0..4 {
        close(out.fund[t].interest, want_interest[t], &format!("interest {}", 2026 + t));
        close(out.fund[t].cash, want_cash[t], &format!("cash {}", 2026 + t));
    }
    // The rate changes no capital account: the partner's is its 100.
    close(out.capital[US], 100.0, "partner capital");
    // Without [deal.fund-cash] the cash earns nothing: 100 every year.
    let plain =
        run("deal-cash.toml", &["deal.lock-up-until=2040", "deal.fund-cash.interest-rate=0"]);
    assert!(plain.fund.iter().all(|y| y.interest == 0.0 && y.cash == 100.0));
}

#[test]
fn the_years_interest_counts_toward_what_is_paid_out() {
    // Lock-up until 2030: 100, 104, 108.16, 112.4864 held through 2029; in 2030 the interest
    // 112.4864 × 4% = 4.499456 is credited before the waterfall, so the partner receives
    // 100 × 1.04⁴ = 116.985856 and the fund is left with nothing, earning nothing after.
    let out = run("deal-cash.toml", &[]);
    close(out.fund[4].interest, 4.499456, "interest 2030");
    close(out.fund[4].payouts[US], 116.985856, "partner 2030");
    close(out.fund[4].cash, 0.0, "cash 2030");
    for t in 5..8 {
        close(out.fund[t].interest, 0.0, &format!("interest {}", 2026 + t));
        close(out.fund[t].payouts[US], 0.0, &format!("partner {}", 2026 + t));
    }
}

#[test]
fn a_real_rate_also_keeps_pace_with_inflation() {
    // Inflation 2% a year, real rate 4%: each year the cash grows by 1.04 × 1.02 = 1.0608.
    // 2027: 106.08; 2028: 106.08 × 1.0608 = 112.529664, which is 108.16 in base-year dollars, as the
    // nominal rate gave without inflation: 112.529664 / 1.02² = 108.16.
    let sets = [
        "deal.lock-up-until=2040",
        "macro.us-inflation=0.02",
        "deal.fund-cash.interest-basis=\"real\"",
    ];
    let out = run("deal-cash.toml", &sets);
    close(out.fund[1].interest, 6.08, "interest 2027");
    close(out.fund[1].cash, 106.08, "cash 2027");
    close(out.fund[2].interest, 106.08 * 0.0608, "interest 2028");
    close(out.fund[2].cash, 112.529664, "cash 2028");
    close(out.fund[2].cash / out.years[2].index * out.years[0].index, 108.16, "real cash 2028");
    // The same rate nominal: 104, 108.16 nominal, whatever the inflation.
    let out = run("deal-cash.toml", &["deal.lock-up-until=2040", "macro.us-inflation=0.02"]);
    close(out.fund[2].cash, 108.16, "nominal 2028");
}

#[test]
fn interest_joins_the_waterfall_with_contributions() {
    // deal-hurdle with 10% nominal on cash and a lock-up until 2030: end of 2028 25; 2029: 25 × 10% =
    // 2.5 + 50 → 77.5; 2030: 7.75 + 50 → 135.25, of which the partner's 100 × 1.04⁴ = 116.985856 and the
    // host the remaining 18.264144. 2031: nothing held at the start, 50 in, 50 to the host.
    let out =
        run("deal-hurdle.toml", &["deal.lock-up-until=2030", "deal.fund-cash.interest-rate=0.1"]);
    close(out.fund[3].interest, 2.5, "interest 2029");
    close(out.fund[3].cash, 77.5, "cash 2029");
    close(out.fund[4].interest, 7.75, "interest 2030");
    close(out.fund[4].payouts[US], 116.985856, "partner 2030");
    close(out.fund[4].payouts[UA], 18.264144, "host 2030");
    close(out.fund[5].interest, 0.0, "interest 2031");
    close(out.fund[5].payouts[UA], 50.0, "host 2031");
}

#[test]
fn retain_pays_out_nothing_and_keeps_the_cash() {
    // deal-hurdle pays every year by default (25 in 2028, 50 a year after); `retain` without a cap keeps
    // all of it: 25, 75, 125, 175, 175, 175 and pays nothing.
    let out = run("deal-hurdle.toml", &["deal.fund-cash.after-lock-up=\"retain\""]);
    let want = [0.0, 0.0, 25.0, 75.0, 125.0, 175.0, 175.0, 175.0];
    assert_eq!(out.fund.len(), want.len());
    for (t, (y, w)) in out.fund.iter().zip(want).enumerate() {
        close(y.cash, w, &format!("cash {}", 2026 + t));
        assert_eq!(y.payouts, [0.0; 4], "year {}", 2026 + t);
    }
}

#[test]
fn retain_up_to_a_cap_pays_out_only_what_is_above_it() {
    // Cap 60 (real, zero inflation): 2028: 25 kept. 2029: 75, 15 above the cap to the partner, owed
    // 100 × 1.04³ = 112.4864, so 97.4864 left. 2030: 60 + 50 = 110, 50 paid: owed 97.4864 × 1.04 =
    // 101.385856 → 51.385856. 2031: 50 paid: owed 53.44129024 → 3.44129024. 2032-2033: nothing comes
    // in and the 60 stays.
    let sets = ["deal.fund-cash.after-lock-up=\"retain\"", "deal.fund-cash.retain-up-to=60"];
    let out = run("deal-hurdle.toml", &sets);
    let want_us = [0.0, 0.0, 0.0, 15.0, 50.0, 50.0, 0.0, 0.0];
    let want_cash = [0.0, 0.0, 25.0, 60.0, 60.0, 60.0, 60.0, 60.0];
    for t in 0..8 {
        close(out.fund[t].payouts[US], want_us[t], &format!("partner {}", 2026 + t));
        close(out.fund[t].payouts[UA], 0.0, &format!("host {}", 2026 + t));
        close(out.fund[t].cash, want_cash[t], &format!("cash {}", 2026 + t));
    }
    // The cap is real, as the reserve: with 10% inflation (index 1.1^t from 2026) it is 60 × 1.1³ =
    // 79.86 nominal in 2029. The royalty is nominal too: 25 × 1.21 = 30.25 held in 2028 (under the cap
    // of 72.6), 50 × 1.331 = 66.55 more in 2029: 96.8, of which 96.8 - 79.86 = 16.94 is paid out.
    let mut sets = sets.to_vec();
    sets.push("macro.us-inflation=0.1");
    let out = run("deal-hurdle.toml", &sets);
    close(out.fund[2].cash, 30.25, "cash 2028, 10% inflation");
    close(out.fund[3].payouts[US], 16.94, "partner 2029, 10% inflation");
    close(out.fund[3].cash, 79.86, "cash 2029, 10% inflation");
}

#[test]
fn retained_cash_beyond_the_commitments_stays_in_the_fund() {
    // The commitment repro (tests/data/faults): the partner pays 1,000m in 2026, lock-up until 2027, the
    // fund commits 90m to the mine and pays 30m calls in 2027-2029. All above the reserve: 910m out in
    // 2027 (tests/faults.rs). Retaining up to 200m: in 2027 the fund keeps the 60m it still owes plus
    // 200m and pays out 1,000m - 30m - 60m - 200m = 710m; in 2028 and 2029 it pays its calls from what it
    // kept and holds 200m after the last.
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/faults/fund-commitments.toml");
    let sets: Vec<String> = [
        "deal.fund-cash.after-lock-up=\"retain\"",
        "deal.fund-cash.retain-up-to=200e6",
        "time.horizon-years=4",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let s = subsoil_scenario::load(file, &sets).unwrap_or_else(|e| panic!("{}", e.render()));
    let out = base_case(&s).1;
    let us = 1;
    close(out.fund[1].payouts[us] / 1e6, 710.0, "partner 2027 (m)");
    close(out.fund[2].payouts[us], 0.0, "partner 2028");
    close(out.fund[3].payouts[us], 0.0, "partner 2029");
    for t in 1..4 {
        close(out.fund[t].invested / 1e6, 30.0, &format!("call {}", 2026 + t));
    }
    close(out.fund[3].cash / 1e6, 200.0, "cash kept, end of 2029 (m)");
}

#[test]
fn the_ledger_books_the_interest_from_the_markets() {
    // With a ledger, the interest is a transfer from the money markets to the fund, and the fund's
    // account is its cash.
    let s = load("deal-cash.toml", &[]);
    let mut ws = Workspace::new(&s.model);
    let mut out = PathOutcome::checked(&s.model);
    let medians = s.inputs.medians();
    simulate(&s.model, &subsoil_core::BaseCase { scalars: &medians }, &mut ws, &mut out);
    let l = out.ledger.as_ref().expect("checked mode keeps a ledger");
    let interest = l.total(Purpose::Interest, Some(Account::Markets), Some(Account::Fund));
    close(interest, 4.0 + 4.16 + 4.3264 + 4.499456, "interest booked");
    close(l.net(Account::Fund, None), out.fund[7].cash, "the fund's account is its cash");
}

#[test]
fn a_negative_rate_shrinks_the_cash() {
    // -10% a year nominal on deal-cash.toml: 100, 90, 81, 72.9 through 2029.
    let out =
        run("deal-cash.toml", &["deal.lock-up-until=2040", "deal.fund-cash.interest-rate=-0.1"]);
    let want = [100.0, 90.0, 81.0, 72.9];
    for (t, w) in want.iter().enumerate() {
        close(out.fund[t].cash, *w, &format!("cash {}", 2026 + t));
    }
    close(out.fund[1].interest, -10.0, "interest 2027");
}
