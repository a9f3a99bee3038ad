//! The base case year by year: every project's flows, the state's receipts and the deal's fund, as one
//! tidy table (a row per year, subject and item) that people check a deal with and load into their own
//! tools. Money is in nominal dollars of the year, with its value in base-year dollars beside it.

use serde::Serialize;
use subsoil_core::{PathOutcome, Stream};
use subsoil_scenario::Scenario;

/// What a row is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// One project (`id` is the project's id).
    Project,
    /// The state's budget (`id` is empty).
    State,
    /// The deal's fund (`id` is empty, or a party or project the item concerns).
    Fund,
}

impl Scope {
    /// Name as written.
    pub fn name(self) -> &'static str {
        match self {
            Scope::Project => "project",
            Scope::State => "state",
            Scope::Fund => "fund",
        }
    }
}

/// One figure of one year.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// Calendar year.
    pub year: i32,
    /// What it is about.
    pub scope: Scope,
    /// The project, party or product it concerns (empty for the state or the fund as a whole).
    pub id: String,
    /// The item, e.g. `revenue`, `royalty`, `contributions`.
    pub item: &'static str,
    /// `new` or `existing` for receipts, a product id for production, else empty.
    pub tag: String,
    /// Unit of `value`: the scenario's currency (`USD` unless it says otherwise; nominal, of the year)
    /// or a product's unit per year.
    pub unit: String,
    /// The figure.
    pub value: f64,
    /// For money: the figure in base-year dollars.
    pub real: Option<f64>,
}

/// The base case year by year.
#[derive(Clone, Debug, Serialize)]
pub struct Yearly {
    /// Year whose dollars `real` is in.
    pub base_year: i32,
    /// Every row, ordered by scope, then id, then item, then year.
    pub rows: Vec<Row>,
}

impl Yearly {
    /// The rows as CSV (RFC 4180) with a header line.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("year,scope,id,item,tag,unit,value,real\n");
        for r in &self.rows {
            let real = r.real.map_or(String::new(), |x| x.to_string());
            out.push_str(&format!(
                "{},{},{},{},{},{},{},{}\n",
                r.year,
                r.scope.name(),
                csv_field(&r.id),
                r.item,
                csv_field(&r.tag),
                csv_field(&r.unit),
                r.value,
                real
            ));
        }
        out
    }

    /// Sum over the years of `item` for `scope` and `id` (and `tag`, if given), in base-year dollars for
    /// money and in the unit otherwise.
    pub fn total(&self, scope: Scope, id: &str, item: &str, tag: Option<&str>) -> f64 {
        self.rows
            .iter()
            .filter(|r| r.scope == scope && r.id == id && r.item == item)
            .filter(|r| tag.is_none_or(|t| r.tag == t))
            .map(|r| r.real.unwrap_or(r.value))
            .sum()
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Reads one figure of a project-year's flows.
type Read = fn(&subsoil_core::project::Flows) -> f64;

/// Money items of a project-year, with the flow they read.
const PROJECT_MONEY: &[(&str, Read)] = &[
    ("revenue", |f| f.revenue),
    ("opex", |f| f.opex),
    ("capex", |f| f.capex),
    ("sustaining-capex", |f| f.sustaining),
    ("closure", |f| f.closure),
    ("royalty", |f| f.royalty),
    ("psa-cost-recovery", |f| f.cost_recovery),
    ("psa-state-share", |f| f.state_share),
    ("corporate-tax", |f| f.cit),
    ("licence-fee", |f| f.licence_fee),
    ("depreciation", |f| f.depreciation),
    ("free-cash-flow", |f| f.fcf()),
];

/// The year-by-year table of the base case `out` (traced) of `s`.
pub fn yearly(s: &Scenario, out: &PathOutcome) -> Yearly {
    let m = &s.model;
    let mut rows = Vec::new();
    let year = |t: usize| m.time.year(t as u32);
    let index = |t: usize| out.years[t].index;
    let money = |rows: &mut Vec<Row>, t: usize, scope, id: &str, item, tag: &str, value: f64| {
        rows.push(Row {
            year: year(t),
            scope,
            id: id.to_string(),
            item,
            tag: tag.to_string(),
            unit: m.currency.clone(),
            value,
            real: Some(value / index(t)),
        });
    };
    let kept = 1.0 - out.leak_receipts;

    // One entry per listed project, then one per licensing flow summing its fees and the projects its
    // permits developed on the path.
    let live = subsoil_core::flows::live_projects(m, out);
    let listed = m.listed_projects();
    let mut entries: Vec<(String, Vec<usize>)> =
        (0..listed).map(|i| (m.projects[i].id.clone(), vec![i])).collect();
    for f in &m.flows {
        let members =
            live.iter().copied().filter(|&i| i >= f.fees_project && i < f.pool + f.pool_size);
        entries.push((format!("licensing-flows.{}", f.id), members.collect()));
    }
    for (id, members) in &entries {
        let traced: Vec<(&[subsoil_core::project::Flows], &[bool])> =
            members.iter().filter_map(|&i| Some((out.flows(i)?, out.new_by_year(i)?))).collect();
        let (Some(&last), Some(&(first_flows, first_new))) = (members.last(), traced.first())
        else {
            continue;
        };
        let horizon = first_flows.len();
        // A flow's projects share their products; its fee project has none.
        let p = &m.projects[last];
        for (k, pp) in p.products.iter().enumerate().take(subsoil_core::project::MAX_PRODUCTS) {
            let product = &m.products[pp.product];
            for t in 0..horizon {
                rows.push(Row {
                    year: year(t),
                    scope: Scope::Project,
                    id: id.clone(),
                    item: "production",
                    tag: product.id.clone(),
                    unit: format!("{}/yr", product.unit),
                    value: traced.iter().map(|(f, _)| f[t].quantity[k]).sum(),
                    real: None,
                });
            }
        }
        for (item, get) in PROJECT_MONEY {
            for t in 0..horizon {
                let v = traced.iter().map(|(f, _)| get(&f[t])).sum();
                money(&mut rows, t, Scope::Project, id, item, "", v);
            }
        }
        // What the state receives from the project after leakage, tagged new or existing (a flow's
        // receipts are all new).
        for t in 0..horizon {
            let tag = if first_new[t] { "new" } else { "existing" };
            let v = traced.iter().map(|(f, _)| f[t].state_take() * kept).sum();
            money(&mut rows, t, Scope::Project, id, "state-receipts", tag, v);
        }
    }

    for stream in Stream::ALL {
        for tag in ["new", "existing"] {
            for (t, y) in out.years.iter().enumerate() {
                let v = y.receipts.get(stream, tag == "new");
                money(&mut rows, t, Scope::State, "", stream.name(), tag, v);
            }
        }
    }
    for (t, y) in out.years.iter().enumerate() {
        money(&mut rows, t, Scope::State, "", "leakage", "", y.leakage_receipts);
    }
    // Exogenous streams, as their receivers get them (at the base case's medians).
    if !m.deal.streams.is_empty() {
        let medians = s.inputs.medians();
        let r = subsoil_core::BaseCase { scalars: &medians };
        for st in &m.deal.streams {
            for t in 0..out.horizon {
                let v = st.at(&r, year(t), index(t));
                money(&mut rows, t, Scope::State, &st.id, "exogenous-stream", "", v);
            }
        }
    }

    if m.deal.active() {
        let parties = &m.deal.parties;
        for (t, fy) in out.fund.iter().enumerate() {
            money(&mut rows, t, Scope::Fund, "", "contributions", "", fy.contributions);
        }
        for (p, party) in parties.iter().enumerate() {
            for (t, fy) in out.fund.iter().enumerate() {
                money(&mut rows, t, Scope::Fund, &party.id, "cash-in", "", fy.cash_in[p]);
            }
            for (t, fy) in out.fund.iter().enumerate() {
                money(&mut rows, t, Scope::Fund, &party.id, "credits", "", fy.credits[p]);
            }
            for (t, fy) in out.fund.iter().enumerate() {
                money(&mut rows, t, Scope::Fund, &party.id, "payouts", "", fy.payouts[p]);
            }
        }
        for (t, fy) in out.fund.iter().enumerate() {
            money(&mut rows, t, Scope::Fund, "", "invested", "", fy.invested);
        }
        for (t, fy) in out.fund.iter().enumerate() {
            money(&mut rows, t, Scope::Fund, "", "distributions-in", "", fy.distributions_in);
        }
        for (t, fy) in out.fund.iter().enumerate() {
            money(&mut rows, t, Scope::Fund, "", "interest", "", fy.interest);
        }
        for (t, fy) in out.fund.iter().enumerate() {
            money(&mut rows, t, Scope::Fund, "", "cash", "", fy.cash);
        }
        if let Some(ft) = &out.fund_trace {
            let h = out.horizon;
            // A year's flow from a running total.
            let step = |v: &[f64], k: usize, t: usize| {
                v[k * h + t] - if t > 0 { v[k * h + t - 1] } else { 0.0 }
            };
            for k in 0..m.deal.contributions.len() {
                let id = format!("deal.contributions[{k}]");
                for t in 0..h {
                    let v = step(&ft.rule_paid, k, t);
                    money(&mut rows, t, Scope::Fund, &id, "contributions-by-rule", "", v);
                }
            }
            for (p, party) in parties.iter().enumerate() {
                for t in 0..h {
                    let v = ft.capital[p * h + t];
                    money(&mut rows, t, Scope::Fund, &party.id, "capital-account", "", v);
                }
            }
            for (k, tier) in m.deal.tiers.iter().enumerate() {
                if !matches!(tier, subsoil_core::deal::Tier::ReturnCapital { .. }) {
                    continue;
                }
                let id = format!("deal.tiers[{k}]");
                for t in 0..h {
                    money(&mut rows, t, Scope::Fund, &id, "owed", "", ft.owed[k * h + t]);
                }
            }
            for (i, p) in m.projects.iter().enumerate() {
                if ft.stake_paid[i * h + h - 1] == 0.0 {
                    continue;
                }
                for t in 0..h {
                    let v = step(&ft.stake_paid, i, t);
                    money(&mut rows, t, Scope::Fund, &p.id, "stake-calls", "", v);
                }
                for t in 0..h {
                    let v = step(&ft.stake_received, i, t);
                    money(&mut rows, t, Scope::Fund, &p.id, "stake-distributions", "", v);
                }
            }
            for t in 0..h {
                money(&mut rows, t, Scope::Fund, "", "reserve", "", ft.reserve[t]);
            }
        }
    }
    Yearly { base_year: m.time.base_year, rows }
}
