//! The deal's waterfall, checked against arithmetic done by hand on the worked example.
//!
//! In the worked example (tests/data/worked-example) the royalty from new licences is 50 in 2028 and 100
//! in 2029-2031 (project A); half of it goes into the fund: 25, 50, 50, 50.

use subsoil_engine::base_case;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/worked-example");
const TOL: f64 = 1e-9;

fn run(file: &str, sets: &[&str]) -> subsoil_core::PathOutcome {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let s = match subsoil_scenario::load(&format!("{DIR}/{file}"), &sets) {
        Ok(s) => s,
        Err(e) => panic!("{file} does not load:\n{}", e.render()),
    };
    base_case(&s).1
}

fn close(a: f64, b: f64, what: &str) {
    assert!((a - b).abs() < TOL, "{what}: {a} vs {b}");
}

/// Party indexes: parties are ordered by id, so `ua` (host) is 0 and `us` (partner) is 1.
const UA: usize = 0;
const US: usize = 1;

#[test]
fn capital_plus_four_percent_compound_then_the_rest() {
    // The partner is owed 100 from 2026, accruing 4% a year at the start of each later year:
    // 2027: 104; 2028: 108.16, the fund pays its 25 (interest first): principal left 83.16.
    // 2029: 83.16 × 1.04 = 86.4864; 50 paid: 36.4864 left.
    // 2030: 36.4864 × 1.04 = 37.945856 paid; the rest of the 50, 12.054144, goes to the host.
    // 2031: all 50 to the host. Check: 25/1.04² + 50/1.04³ + 37.945856/1.04⁴ = 100.
    let out = run("deal-hurdle.toml", &[]);
    let us: Vec<f64> = out.fund.iter().map(|y| y.payouts[US]).collect();
    let ua: Vec<f64> = out.fund.iter().map(|y| y.payouts[UA]).collect();
    // The running figure of the partner's real receipts is, bit for bit, the sum of its years so far.
    for t in 0..out.fund.len() {
        let sum: f64 =
            out.fund[..=t].iter().zip(&out.years).map(|(f, y)| f.payouts[US] / y.index).sum();
        assert_eq!(out.fund[t].partner_received_real.to_bits(), sum.to_bits(), "year {t}");
    }
    let want_us = [0.0, 0.0, 25.0, 50.0, 37.945856, 0.0, 0.0, 0.0];
    let want_ua = [0.0, 0.0, 0.0, 0.0, 12.054144, 50.0, 0.0, 0.0];
    for t in 0..8 {
        close(us[t], want_us[t], &format!("partner payout, year {}", 2026 + t));
        close(ua[t], want_ua[t], &format!("host payout, year {}", 2026 + t));
    }
    let pv: f64 = us.iter().enumerate().map(|(t, x)| x / 1.04f64.powi(t as i32)).sum();
    close(pv, 100.0, "PV of the partner's receipts at its hurdle");
    // Credited aid brings no cash; all cash comes from contributions and is paid out.
    for y in &out.fund {
        assert_eq!(y.cash_in, [0.0; 4]);
        close(y.cash, 0.0, "fund cash");
    }
    assert_eq!(out.fund[0].credits[US], 100.0);
}

#[test]
fn simple_interest_accrues_on_principal_only() {
    // 2027: 104; 2028: 108; 25 paid (8 interest, 17 principal): 83 principal left.
    // 2029: interest 0.04 × 83 = 3.32 → 86.32 owed; 50 paid → 36.32 principal.
    // 2030: 36.32 + 1.4528 = 37.7728 to the partner, 12.2272 to the host.
    let out = run("deal-hurdle.toml", &["deal.tiers[0].compounding=\"simple\""]);
    close(out.fund[4].payouts[US], 37.7728, "partner 2030");
    close(out.fund[4].payouts[UA], 12.2272, "host 2030");
}

#[test]
fn nothing_is_distributed_before_the_lock_up_ends() {
    // With a lock-up until 2030 the fund holds 25 + 50 = 75, then has 125 in 2030. The partner is owed
    // 100 × 1.04⁴ = 116.985856 in 2030; the host gets the remaining 8.014144, then 50 in 2031.
    let out = run("deal-hurdle.toml", &["deal.lock-up-until=2030"]);
    for t in 0..4 {
        assert_eq!(out.fund[t].payouts, [0.0; 4], "year {}", 2026 + t);
    }
    close(out.fund[3].cash, 75.0, "cash at the end of 2029");
    close(out.fund[4].payouts[US], 116.985856, "partner 2030");
    close(out.fund[4].payouts[UA], 8.014144, "host 2030");
    close(out.fund[5].payouts[UA], 50.0, "host 2031");
}

#[test]
fn a_cap_stops_contributions_exactly_in_the_year_it_is_crossed() {
    // Cap 100: 25 + 50 = 75 by 2029; 2030 would add 50 and cross it, so only 25 is paid; 2031 pays 0.
    let out = run("deal-hurdle.toml", &["deal.contribution-cap=100"]);
    let c: Vec<f64> = out.fund.iter().map(|y| y.contributions).collect();
    let want = [0.0, 0.0, 25.0, 50.0, 25.0, 0.0, 0.0, 0.0];
    for t in 0..8 {
        close(c[t], want[t], &format!("contribution {}", 2026 + t));
    }
    // The same through a rule's own cap.
    let out = run("deal-hurdle.toml", &["deal.contributions[0].cap=100"]);
    close(out.fund[4].contributions, 25.0, "rule cap 2030");
    close(out.fund[5].contributions, 0.0, "rule cap 2031");
}

#[test]
fn pro_rata_by_capital_accounts_counts_credited_aid_without_cash() {
    // Capital: partner 300 of credited aid (no cash); host its contributions.
    // 2028: host capital 25 → of the 25 paid out, 300/325 to the partner = 23.076923…, 25/325 to the host.
    // 2029: host capital 75 → of 50, 300/375 = 40 to the partner, 10 to the host.
    let out = run("deal-prorata.toml", &[]);
    close(out.fund[2].payouts[US], 25.0 * 300.0 / 325.0, "partner 2028");
    close(out.fund[2].payouts[UA], 25.0 * 25.0 / 325.0, "host 2028");
    close(out.fund[3].payouts[US], 40.0, "partner 2029");
    close(out.fund[3].payouts[UA], 10.0, "host 2029");
    assert_eq!(out.capital[US], 300.0);
    close(out.capital[UA], 175.0, "host capital: 25 + 50 + 50 + 50");
}

#[test]
fn a_renewal_counts_as_new_under_one_switch_and_not_the_other() {
    // Project B's PSA (signed 2012) was renewed on 2025-06-01, after the effective date. Its royalty
    // (20 a year in 2027-2029) joins the fund's base only when renewals count as new.
    let stream_royalty_psa =
        |out: &subsoil_core::PathOutcome| -> f64 { out.fund.iter().map(|y| y.contributions).sum() };
    let off = run("deal-hurdle.toml", &[]);
    let on = run("deal-hurdle.toml", &["deal.renewals-count-as-new=true"]);
    close(stream_royalty_psa(&off), 175.0, "new royalty from A only: (50 + 100 × 3) / 2");
    close(stream_royalty_psa(&on), 175.0 + 30.0, "plus half of B's 20 × 3");
}
