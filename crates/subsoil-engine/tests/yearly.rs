//! The base case year by year adds up to the run's totals on every built-in scenario.

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
            close(
                y.total(Scope::Fund, "", "contributions", None),
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
