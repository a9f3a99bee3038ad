//! The base case year by year adds up to the run's totals on every built-in scenario.

use subsoil_core::deal::Base;
use subsoil_engine::yearly::Scope;
use subsoil_engine::{base_case, yearly};

fn close(a: f64, b: f64, what: &str) {
    // Sums of up to 50 years in a different order: equal to 1e-9 of the size.
    assert!((a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0), "{what}: {a} vs {b}");
}

#[test]
fn every_yearly_column_sums_to_the_runs_total() {
    for (name, _) in subsoil_scenario::builtin::SCENARIOS {
        let s = subsoil_scenario::load(name, &[]).unwrap_or_else(|e| panic!("{}", e.render()));
        let (bc, out) = base_case(&s);
        let y = yearly(&s, &out);
        for p in &bc.projects {
            let sum = |item: &str, tag: Option<&str>| y.total(Scope::Project, &p.id, item, tag);
            close(sum("revenue", None), p.revenue, &format!("{name} {} revenue", p.id));
            close(sum("capex", None), p.capex, &format!("{name} {} capex", p.id));
            close(sum("royalty", None), p.royalty, &format!("{name} {} royalty", p.id));
            close(
                sum("state-receipts", Some("new")),
                p.receipts_new,
                &format!("{name} {} new", p.id),
            );
            close(
                sum("state-receipts", Some("existing")),
                p.receipts_existing,
                &format!("{name} {} existing", p.id),
            );
        }
        let state = |tag: &str| -> f64 {
            subsoil_core::Stream::ALL
                .iter()
                .map(|st| y.total(Scope::State, "", st.name(), Some(tag)))
                .sum()
        };
        close(state("new"), bc.totals.receipts_new, &format!("{name} state new receipts"));
        close(state("existing"), bc.totals.receipts_existing, &format!("{name} state existing"));
        if let Some(d) = &bc.deal {
            // The host pays every contribution but those of other parties from the exogenous streams
            // or dividends they receive.
            let deal = &s.model.deal;
            let host = deal.host();
            let by_others: f64 = (0..deal.contributions.len())
                .filter(|&k| match deal.contributions[k].base {
                    Base::Exogenous(i) => Some(deal.streams[i].receiver) != host,
                    Base::Dividends(i) => Some(deal.dividends[i].holder) != host,
                    _ => false,
                })
                .map(|k| {
                    let id = format!("deal.contributions[{k}]");
                    y.total(Scope::Fund, &id, "contributions-by-rule", None)
                })
                .sum();
            close(
                y.total(Scope::Fund, "", "contributions", None) - by_others,
                d.host_payments,
                &format!("{name} host payments"),
            );
            if let Some(p) = &d.partner {
                close(
                    y.total(Scope::Fund, p, "payouts", None),
                    d.partner_receipts,
                    &format!("{name} partner"),
                );
                let nominal: f64 = y
                    .rows
                    .iter()
                    .filter(|r| r.scope == Scope::Fund && &r.id == p && r.item == "payouts")
                    .map(|r| r.value)
                    .sum();
                close(nominal, d.partner_receipts_nominal, &format!("{name} partner nominal"));
            }
        }
    }
}

#[test]
fn the_fund_by_year_adds_up() {
    // The February draft pays 50% of all resource revenue and 50% of the port dividends: two rules
    // whose yearly amounts add up to the fund's contributions. The fund in the repro of the commitment
    // fault calls 30m a year for three years from one stake.
    let s = subsoil_scenario::load("ukraine-feb-2025-draft", &[]).unwrap();
    let (_, out) = base_case(&s);
    let y = yearly(&s, &out);
    let years: Vec<i32> = (0..s.model.time.horizon).map(|t| s.model.time.year(t)).collect();
    for &year in &years {
        let get = |id: &str, item: &str| -> f64 {
            y.rows
                .iter()
                .filter(|r| {
                    r.year == year && r.scope == Scope::Fund && r.id == id && r.item == item
                })
                .map(|r| r.value)
                .sum()
        };
        let by_rule: f64 = (0..s.model.deal.contributions.len())
            .map(|k| get(&format!("deal.contributions[{k}]"), "contributions-by-rule"))
            .sum();
        close(by_rule, get("", "contributions"), &format!("contributions by rule {year}"));
    }
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/faults/fund-commitments.toml");
    let s = subsoil_scenario::load(dir, &[]).unwrap_or_else(|e| panic!("{}", e.render()));
    let (_, out) = base_case(&s);
    let y = yearly(&s, &out);
    let calls: Vec<f64> = y
        .rows
        .iter()
        .filter(|r| r.scope == Scope::Fund && r.id == "mine" && r.item == "stake-calls")
        .map(|r| r.value)
        .collect();
    for (t, want) in [0.0, 30e6, 30e6, 30e6, 0.0, 0.0].iter().enumerate() {
        close(calls[t], *want, &format!("stake call {}", 2026 + t));
    }
    // The partner's capital account: its 1,000m of cash from 2026 on.
    let capital: Vec<f64> = y
        .rows
        .iter()
        .filter(|r| r.scope == Scope::Fund && r.id == "us" && r.item == "capital-account")
        .map(|r| r.value)
        .collect();
    assert!(capital.iter().all(|c| (*c - 1e9).abs() < 1e-3), "{capital:?}");
}

#[test]
fn the_drafts_take_half_of_the_port_dividends_as_the_state_receives_them() {
    // The built-in data's port dividends: triangular US$34.5m / 55.2m / 62.1m a year in real 2026
    // dollars (the base case takes its median, 34.5 + sqrt(0.5 × 27.6 × 20.7) = 51.4014m), growing 2%
    // a year in real terms from 2026, escalated with the path's price index. The February and March
    // drafts pay half of it into the fund each year, from the host's budget; the framework and the final
    // agreement take none of it.
    let median = 34.5e6 + (0.5f64 * 27.6 * 20.7).sqrt() * 1e6;
    for (name, share) in [
        ("ukraine-feb-2025-draft", 0.5),
        ("ukraine-mar-2025-draft", 0.5),
        ("ukraine-feb-2025-framework", 0.0),
        ("ukraine-final-2025", 0.0),
    ] {
        let s = subsoil_scenario::load(name, &[]).unwrap_or_else(|e| panic!("{}", e.render()));
        let (_, out) = base_case(&s);
        let y = yearly(&s, &out);
        let deal = &s.model.deal;
        let port = deal.streams.iter().position(|st| st.id == "port-dividends").expect(name);
        assert_eq!(Some(deal.streams[port].receiver), deal.host(), "{name}");
        let rules: Vec<usize> = (0..deal.contributions.len())
            .filter(|&k| deal.contributions[k].base == Base::Exogenous(port))
            .collect();
        assert_eq!(rules.len(), usize::from(share > 0.0), "{name}");
        for t in [0usize, 1, 10, 30] {
            let year = 2026 + t as i32;
            let want = median * 1.02f64.powi(t as i32) * out.years[t].index;
            let row = |id: &str, item: &str| -> f64 {
                y.rows
                    .iter()
                    .filter(|r| r.year == year && r.id == id && r.item == item)
                    .map(|r| r.value)
                    .sum()
            };
            close(row("port-dividends", "exogenous-stream"), want, &format!("{name} {year}"));
            for &k in &rules {
                let paid = row(&format!("deal.contributions[{k}]"), "contributions-by-rule");
                close(paid, share * want, &format!("{name} {year} rule {k}"));
            }
        }
    }
}

#[test]
fn the_csv_has_one_row_per_figure_and_year() {
    let s = subsoil_scenario::load("ukraine-final-2025", &[]).unwrap();
    let (_, out) = base_case(&s);
    let y = yearly(&s, &out);
    let csv = y.to_csv();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("year,scope,id,item,tag,unit,value,real"));
    assert_eq!(lines.count(), y.rows.len());
    // Every figure of every year: the number of rows is a multiple of the horizon.
    assert_eq!(y.rows.len() % s.model.time.horizon as usize, 0);
}
