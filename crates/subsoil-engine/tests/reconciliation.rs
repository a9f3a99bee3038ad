//! Money is accounted for: on every path of a test run of each built-in deal, the fund's cash recomputed
//! independently from its flows (interest on its cash among them) equals its balance, the fund never pays out or invests cash it does not
//! have, and credited aid never appears as cash.

use subsoil_core::{PathOutcome, Workspace, simulate};
use subsoil_engine::{PathRandomness, SamplerKind, ScalarDraws};
use subsoil_risk::Sampler;
use subsoil_scenario::{Scenario, builtin, load};

/// Paths per deal: enough to meet wars that end early and late, floods and fund co-investments, while the
/// test stays a few seconds in a release build.
const PATHS: u64 = 1_500;
const SEED: u64 = 11;

fn scenario(name: &str, sets: &[&str]) -> Scenario {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    match load(name, &sets) {
        Ok(s) => s,
        Err(e) => panic!("{name}:\n{}", e.render()),
    }
}

/// Runs `paths` paths and hands each outcome to `check`.
fn each_path(s: &Scenario, paths: u64, mut check: impl FnMut(u64, &PathOutcome)) {
    let draws =
        ScalarDraws::new(&s.inputs, Sampler::new(SamplerKind::Random, SEED), &s.rank_correlations)
            .expect("valid correlations");
    let mut scratch = draws.scratch();
    let mut ws = Workspace::new(&s.model);
    let mut out = PathOutcome::new(&s.model, false);
    for path in 0..paths {
        draws.fill(path, &mut scratch);
        let r = PathRandomness { seed: SEED, path, scalars: scratch.values() };
        simulate(&s.model, &r, &mut ws, &mut out);
        check(path, &out);
    }
}

/// Cash recomputed from the flows, year by year, against the fund's balance; never negative.
fn reconcile(name: &str, path: u64, out: &PathOutcome) -> (f64, f64) {
    let mut cash = 0.0;
    let (mut invested, mut contributed) = (0.0, 0.0);
    for (t, y) in out.fund.iter().enumerate() {
        let cash_in: f64 = y.cash_in.iter().sum();
        let paid: f64 = y.payouts.iter().sum();
        cash += y.contributions + cash_in - y.invested + y.distributions_in + y.interest - paid;
        let tol = 1e-6 * (1.0 + cash.abs() + y.contributions + y.invested + paid);
        assert!(
            (cash - y.cash).abs() <= tol,
            "{name}, path {path}, year {t}: recomputed cash {cash} vs balance {}",
            y.cash
        );
        assert!(
            y.cash >= -tol,
            "{name}, path {path}, year {t}: the fund holds negative cash {}",
            y.cash
        );
        assert!(y.invested >= 0.0 && y.distributions_in >= 0.0 && paid >= 0.0);
        invested += y.invested;
        contributed += y.contributions;
    }
    (invested, contributed)
}

#[test]
fn fund_cash_reconciles_on_every_path_of_every_built_in_deal() {
    for name in builtin::scenario_names() {
        let s = scenario(name, &[]);
        let scheduled: f64 = s
            .model
            .deal
            .cash
            .iter()
            .map(|c| c.amount.fixed().expect("built-in cash amounts are fixed"))
            .sum();
        let (mut invested_paths, mut contributing_paths) = (0, 0);
        each_path(&s, PATHS, |path, out| {
            let (invested, contributed) = reconcile(name, path, out);
            invested_paths += usize::from(invested > 0.0);
            contributing_paths += usize::from(contributed > 0.0);
            // Only scheduled cash enters as cash; credits (aid) never do.
            let cash_in: f64 = out.fund.iter().flat_map(|y| y.cash_in).sum();
            assert!(
                (cash_in - scheduled).abs() < 1e-6,
                "{name}, path {path}: cash in {cash_in} vs {scheduled}"
            );
            // Every project's revenue is what buyers paid: the yearly totals add up.
            let by_project: f64 = out.projects.iter().map(|p| p.revenue_real).sum();
            let by_year: f64 = out.years.iter().map(|y| y.revenue_nominal / y.index).sum();
            assert!(
                (by_project - by_year).abs() <= 1e-9 * by_year.abs().max(1.0),
                "{name}, path {path}"
            );
        });
        assert!(contributing_paths > 0, "{name}: no path paid anything into the fund");
        // A fund that keeps its cash for years (a lock-up, or no distributions at all) co-invests on
        // some paths; one that pays out every year invests only from its reserve.
        let keeps_cash = s.model.deal.lock_up_until.is_some() || s.model.deal.tiers.is_empty();
        if s.model.deal.investing.is_some() && keeps_cash {
            assert!(invested_paths > 0, "{name}: the fund never co-invested on {PATHS} paths");
        }
    }
}

#[test]
fn credited_aid_brings_no_cash() {
    // The March draft credits the US with $123bn of past aid. Whatever is credited, the fund's cash is
    // what Ukraine pays in and the projects pay back, never the credit.
    let base = scenario("ukraine-mar-2025-draft", &[]);
    let bigger = scenario("ukraine-mar-2025-draft", &["deal.credits[0].per-year=500e9"]);
    let mut cash_a = Vec::new();
    each_path(&base, 200, |_, out| {
        cash_a.push(out.fund.iter().map(|y| y.contributions).sum::<f64>())
    });
    let mut i = 0;
    each_path(&bigger, 200, |path, out| {
        let credited: f64 = out.fund.iter().map(|y| y.credits.iter().sum::<f64>()).sum();
        assert_eq!(credited, 500e9, "path {path}");
        let contributed: f64 = out.fund.iter().map(|y| y.contributions).sum();
        assert_eq!(contributed, cash_a[i], "path {path}: a credit changed the fund's cash inflows");
        assert!(out.fund.iter().all(|y| y.cash_in.iter().all(|c| *c == 0.0)));
        i += 1;
    });
}

/// The checked mode's ledger: every cash flow as a transfer between named accounts, checked independently
/// of the fast path's outputs.
#[test]
fn the_ledger_balances_on_every_path_of_every_built_in_deal() {
    use subsoil_core::ledger::{Account, Purpose};
    for name in builtin::scenario_names() {
        let s = scenario(name, &[]);
        let draws = ScalarDraws::new(
            &s.inputs,
            Sampler::new(SamplerKind::Random, SEED),
            &s.rank_correlations,
        )
        .expect("valid correlations");
        let mut scratch = draws.scratch();
        let mut ws = Workspace::new(&s.model);
        let mut out = PathOutcome::checked(&s.model);
        for path in 0..150 {
            draws.fill(path, &mut scratch);
            simulate(
                &s.model,
                &PathRandomness { seed: SEED, path, scalars: scratch.values() },
                &mut ws,
                &mut out,
            );
            let l = out.ledger.as_ref().expect("checked mode keeps a ledger");
            let tol = |x: f64| 1e-6 * (1.0 + x.abs());
            for (t, y) in out.years.iter().enumerate() {
                let year = s.model.time.year(t as u32);
                // A project pays out exactly what comes in: buyers and owners in, suppliers, state and
                // owners out.
                for i in 0..s.model.projects.len() {
                    let net = l.net(Account::Project(i), Some(year));
                    assert!(
                        net.abs() < tol(y.revenue_nominal),
                        "{name}, path {path}, {year}: project {i} nets {net}"
                    );
                }
                // The fund's account is its cash, never negative.
                let fund: f64 = l
                    .transfers
                    .iter()
                    .filter(|x| x.year <= year)
                    .map(|x| {
                        (if x.to == Account::Fund { x.amount } else { 0.0 })
                            - (if x.from == Account::Fund { x.amount } else { 0.0 })
                    })
                    .sum();
                // The ledger's sum cancels every amount that went in and out: its rounding grows with
                // their gross total (a few units of the last place of each), not with the cash left.
                let gross: f64 = l
                    .transfers
                    .iter()
                    .filter(|x| {
                        x.year <= year && (x.to == Account::Fund || x.from == Account::Fund)
                    })
                    .map(|x| x.amount.abs())
                    .sum();
                let cash = out.fund[t].cash;
                assert!(
                    (fund - cash).abs() < tol(cash) + 1e-13 * gross,
                    "{name}, path {path}, {year}: ledger {fund} vs fund cash {cash}"
                );
                // Never negative beyond the same rounding (US$1.2e-6 of a US$16.8bn gross was seen on an
                // emptied fund).
                assert!(
                    fund > -(tol(cash) + 1e-13 * gross),
                    "{name}, path {path}, {year}: the fund's account is negative: ledger {fund}, cash {cash}, gross {gross}"
                );
            }
            // Buyers paid every sale; leakage got what the outputs say.
            let sales: f64 = out.years.iter().map(|y| y.revenue_nominal).sum();
            let paid = -l.net(Account::Buyers, None);
            assert!((paid - sales).abs() < tol(paid), "{name}, path {path}: buyers paid {paid}");
            let leaked: f64 = out.years.iter().map(|y| y.leakage_receipts + y.leakage_capex).sum();
            let booked = l.net(Account::Leakage, None);
            assert!(
                (booked - leaked).abs() < tol(leaked),
                "{name}, path {path}: leakage {booked} vs {leaked}"
            );
            // Contributions leave the budget (the host's, from its receipts and from the exogenous
            // streams it receives), or the treasury of another party that receives an exogenous stream
            // or dividends; credits without cash never appear as transfers.
            let contributions: f64 = out.fund.iter().map(|y| y.contributions).sum();
            let host = s.model.deal.host();
            let from_parties: f64 = out
                .fund
                .iter()
                .flat_map(|y| y.from_streams.into_iter().enumerate())
                .filter(|&(p, _)| Some(p) != host)
                .map(|(_, v)| v)
                .sum();
            assert!(
                (l.total(Purpose::Contribution, None, Some(Account::Fund)) - contributions).abs()
                    < tol(contributions)
            );
            let from_budget = contributions - from_parties;
            assert!(
                (l.total(Purpose::Contribution, Some(Account::Budget), Some(Account::Fund))
                    - from_budget)
                    .abs()
                    < tol(contributions)
            );
            let cash_in: f64 = out.fund.iter().flat_map(|y| y.cash_in).sum();
            assert!(
                (l.total(Purpose::CashIn, None, Some(Account::Fund)) - cash_in).abs()
                    < tol(cash_in)
            );
            // Interest comes from the money markets and nowhere else.
            let interest: f64 = out.fund.iter().map(|y| y.interest).sum();
            assert!(
                (l.total(Purpose::Interest, Some(Account::Markets), Some(Account::Fund))
                    - interest)
                    .abs()
                    < tol(interest)
            );
            assert_eq!(l.total(Purpose::Interest, None, None), l.net(Account::Markets, None).abs());
        }
    }
}
