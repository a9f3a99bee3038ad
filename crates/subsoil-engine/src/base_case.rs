//! The deterministic base case: every uncertain input at its median, no yearly random events, prices on
//! their median paths.

use serde::Serialize;
use subsoil_core::{
    BaseCase as Medians, PathOutcome, ProjectOutcome, Stage, Stream, Workspace, simulate,
};
use subsoil_scenario::Scenario;

/// One project's base-case results (real base-year dollars).
#[derive(Clone, Debug, Serialize)]
pub struct ProjectRow {
    /// Project id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Deposit id.
    pub deposit: String,
    /// Stage at the start.
    pub start_stage: String,
    /// How the project ended the horizon: existing, built, waiting, pre-decision, occupied, abandoned.
    pub status: String,
    /// Year of the investment decision, if taken.
    pub decision_year: Option<i32>,
    /// First year with output.
    pub first_production: Option<i32>,
    /// Initial capex spent.
    pub capex: f64,
    /// NPV of the investor's free cash flow at the valuation rate, to the start year.
    pub npv: f64,
    /// Real IRR of the investor's free cash flow, for a project not producing at the start whose flows
    /// start with an outlay, where one exists.
    pub irr: Option<f64>,
    /// Revenue over the horizon.
    pub revenue: f64,
    /// Royalty paid over the horizon.
    pub royalty: f64,
    /// Payments to the state counted as new receipts.
    pub receipts_new: f64,
    /// Payments to the state counted as existing receipts.
    pub receipts_existing: f64,
    /// Whether the project still builds, produces or closes after the horizon.
    pub runs_past_horizon: bool,
    /// Value after the horizon included in `npv` (0 unless the scenario's `time.terminal-value` asks).
    pub terminal_value: f64,
}

/// Totals over all projects (real base-year dollars).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Totals {
    /// Initial capex spent.
    pub capex: f64,
    /// Sum of project NPVs.
    pub npv: f64,
    /// Revenue.
    pub revenue: f64,
    /// Royalty.
    pub royalty: f64,
    /// New receipts.
    pub receipts_new: f64,
    /// Existing receipts.
    pub receipts_existing: f64,
    /// Projects producing in the first simulated year.
    pub producing_first_year: u32,
    /// Projects producing in the last simulated year.
    pub producing_last_year: u32,
}

/// State receipts of one year by stream (real base-year dollars).
#[derive(Clone, Debug, Serialize)]
pub struct YearRow {
    /// Calendar year.
    pub year: i32,
    /// Whether the war lasted through the year.
    pub at_war: bool,
    /// Projects with output.
    pub producing: u32,
    /// Receipts from new licences, by stream name.
    pub new: Vec<(String, f64)>,
    /// Receipts from existing licences, by stream name.
    pub existing: Vec<(String, f64)>,
}

/// The deal's results in the base case. Money real base-year dollars unless it says nominal.
#[derive(Clone, Debug, Serialize)]
pub struct DealSummary {
    /// Deal name.
    pub name: String,
    /// The partner (the aid giver or lender), if any.
    pub partner: Option<String>,
    /// Everything the partner received, nominal.
    pub partner_receipts_nominal: f64,
    /// Everything the partner received, real.
    pub partner_receipts: f64,
    /// The partner's capital account (cash and credits without cash), nominal.
    pub partner_capital_nominal: f64,
    /// The partner's net present value at its discount rate (receipts less cash paid in), to the start year.
    pub partner_npv: f64,
    /// The same counting its credits as its outlays in the years credited (receipts less cash paid in
    /// less credits).
    pub partner_npv_with_credits: f64,
    /// First year the partner received a distribution.
    pub first_partner_distribution: Option<i32>,
    /// First year the partner's cumulative nominal receipts reached the deal's target.
    pub target_year: Option<i32>,
    /// The deal's target (nominal), if it has one.
    pub target_nominal: Option<f64>,
    /// First year the partner's cumulative nominal receipts reached the aid it gave.
    pub aid_year: Option<i32>,
    /// The aid given (nominal), if stated.
    pub aid_given_nominal: Option<f64>,
    /// The host's payments into the fund, undiscounted.
    pub host_payments: f64,
    /// The host's payments into the fund, present value at the valuation rate.
    pub host_payments_pv: f64,
    /// The largest yearly payment as a share of GDP.
    pub host_payments_max_gdp_share: f64,
    /// The fund's value at the horizon (cash plus stakes), real.
    pub fund_value_at_horizon: f64,
    /// Paid out to each party over the horizon, real, by party id.
    pub payouts: Vec<(String, f64)>,
}

/// The base case of a scenario.
#[derive(Clone, Debug, Serialize)]
pub struct BaseCase {
    /// First year of peace after a ceasefire, if within the horizon; `None` also for a scenario
    /// without a conflict, never at war.
    pub ceasefire_year: Option<i32>,
    /// Year whose dollars amounts are in.
    pub base_year: i32,
    /// Per project, in scenario order.
    pub projects: Vec<ProjectRow>,
    /// Totals.
    pub totals: Totals,
    /// Per year.
    pub years: Vec<YearRow>,
    /// The deal, if the scenario has one.
    pub deal: Option<DealSummary>,
}

impl BaseCase {
    /// One line for every figure that is not finite (written `null` in JSON). Empty for any valid
    /// scenario.
    pub fn warnings(&self) -> Vec<String> {
        let mut named: Vec<(String, f64)> = vec![
            ("total capex".into(), self.totals.capex),
            ("total NPV".into(), self.totals.npv),
            ("total revenue".into(), self.totals.revenue),
            ("total royalty".into(), self.totals.royalty),
            ("new receipts".into(), self.totals.receipts_new),
            ("existing receipts".into(), self.totals.receipts_existing),
        ];
        for p in &self.projects {
            named.push((format!("the NPV of {}", p.id), p.npv));
            named.push((format!("the revenue of {}", p.id), p.revenue));
        }
        if let Some(d) = &self.deal {
            named.extend([
                ("partner receipts".into(), d.partner_receipts),
                ("partner NPV".into(), d.partner_npv),
                ("partner NPV with its credits".into(), d.partner_npv_with_credits),
                ("host payments".into(), d.host_payments),
                ("host payments as a share of GDP".into(), d.host_payments_max_gdp_share),
                ("fund value at the horizon".into(), d.fund_value_at_horizon),
            ]);
            named.extend(d.payouts.iter().map(|(p, x)| (format!("payouts to {p}"), *x)));
        }
        let mut out: Vec<String> = named
            .into_iter()
            .filter(|(_, x)| !x.is_finite())
            .map(|(what, _)| format!("{what} is not finite in the base case"))
            .collect();
        let past = self.projects.iter().filter(|p| p.runs_past_horizon).count();
        let counted = self.projects.iter().any(|p| p.terminal_value != 0.0);
        if past > 0 && !counted {
            out.push(format!(
                "{past} of {} projects still run after the horizon; their flows after it are left out \
                 (time.terminal-value = \"expected-flows\" counts them in the NPVs)",
                self.projects.len()
            ));
        }
        out
    }
}

/// Runs the base case; also returns the raw path outcome (with every project-year's flows traced).
pub fn base_case(s: &Scenario) -> (BaseCase, PathOutcome) {
    let m = &s.model;
    let medians = s.inputs.medians();
    let r = Medians { scalars: &medians };
    let mut ws = Workspace::new(m);
    let mut out = PathOutcome::new(m, true);
    simulate(m, &r, &mut ws, &mut out);

    let mut totals = Totals::default();
    let mut projects: Vec<ProjectRow> = m
        .projects
        .iter()
        .take(m.listed_projects())
        .zip(&out.projects)
        .enumerate()
        .map(|(i, (p, o))| {
            let fcf = out.fcf_series(i);
            // An IRR describes an investment: flows that start with an outlay. An operation already
            // producing at the start has no initial investment in the horizon, so it has none, even
            // when its first year's flow is negative (a drilling programme's first wells cost more than
            // the gas they bring that year).
            let invests = p.stage < Stage::Producing;
            let starts_with_outlay = fcf.iter().find(|x| **x != 0.0).is_some_and(|x| *x < 0.0);
            let irr = if invests && starts_with_outlay { subsoil_finance::irr(fcf) } else { None };
            totals.capex += o.capex_real;
            totals.npv += o.npv_real;
            totals.revenue += o.revenue_real;
            totals.royalty += o.royalty_real;
            totals.receipts_new += o.receipts_new_real;
            totals.receipts_existing += o.receipts_existing_real;
            ProjectRow {
                id: p.id.clone(),
                name: p.name.clone(),
                deposit: m.deposits[p.deposit].id.clone(),
                start_stage: p.stage.name().to_string(),
                status: o.status.name().to_string(),
                decision_year: o.decision_year,
                first_production: o.first_production,
                capex: o.capex_real,
                npv: o.npv_real,
                irr,
                revenue: o.revenue_real,
                royalty: o.royalty_real,
                receipts_new: o.receipts_new_real,
                receipts_existing: o.receipts_existing_real,
                runs_past_horizon: o.runs_past_horizon,
                terminal_value: o.terminal_value_real,
            }
        })
        .collect();
    // A licensing flow is one row: its fees and every permit it developed.
    for f in &m.flows {
        let all = &out.projects[f.fees_project..f.pool + f.pool_size];
        let sum = |get: fn(&ProjectOutcome) -> f64| all.iter().map(get).sum::<f64>();
        let row = ProjectRow {
            id: format!("licensing-flows.{}", f.id),
            name: m.deposits[m.projects[f.fees_project].deposit].name.clone(),
            deposit: m.deposits[m.projects[f.fees_project].deposit].id.clone(),
            start_stage: "flow".to_string(),
            status: "flow".to_string(),
            decision_year: all.iter().filter_map(|o| o.decision_year).min(),
            first_production: all.iter().filter_map(|o| o.first_production).min(),
            capex: sum(|o| o.capex_real),
            npv: sum(|o| o.npv_real),
            irr: None,
            revenue: sum(|o| o.revenue_real),
            royalty: sum(|o| o.royalty_real),
            receipts_new: sum(|o| o.receipts_new_real),
            receipts_existing: sum(|o| o.receipts_existing_real),
            runs_past_horizon: all.iter().any(|o| o.runs_past_horizon),
            terminal_value: sum(|o| o.terminal_value_real),
        };
        totals.capex += row.capex;
        totals.npv += row.npv;
        totals.revenue += row.revenue;
        totals.royalty += row.royalty;
        totals.receipts_new += row.receipts_new;
        totals.receipts_existing += row.receipts_existing;
        projects.push(row);
    }
    totals.producing_first_year = out.years.first().map_or(0, |y| y.producing);
    totals.producing_last_year = out.years.last().map_or(0, |y| y.producing);
    let years = out
        .years
        .iter()
        .enumerate()
        .map(|(t, y)| {
            let real = 1.0 / y.index;
            let by = |new: bool| {
                Stream::ALL
                    .iter()
                    .map(|s| (s.name().to_string(), y.receipts.get(*s, new) * real))
                    .collect()
            };
            YearRow {
                year: m.time.year(t as u32),
                at_war: y.at_war,
                producing: y.producing,
                new: by(true),
                existing: by(false),
            }
        })
        .collect();
    let deal = m.deal.active().then(|| {
        let d = &out.deal;
        let r = &r;
        DealSummary {
            name: m.deal.name.clone(),
            partner: m.deal.partner.map(|p| m.deal.parties[p].id.clone()),
            partner_receipts_nominal: d.partner_receipts_nominal,
            partner_receipts: d.partner_receipts_real,
            partner_capital_nominal: d.partner_capital,
            partner_npv: d.partner_npv_real,
            partner_npv_with_credits: d.partner_npv_with_credits_real,
            first_partner_distribution: d.first_partner_distribution,
            target_year: d.target_year,
            target_nominal: m.deal.target.map(|p| p.at(r)),
            aid_year: d.aid_year,
            aid_given_nominal: m.deal.aid_given.map(|p| p.at(r)),
            host_payments: d.host_payments_real,
            host_payments_pv: d.host_payments_pv_real,
            host_payments_max_gdp_share: d.host_payments_max_gdp_share,
            fund_value_at_horizon: out.fund_value_real,
            payouts: m
                .deal
                .parties
                .iter()
                .enumerate()
                .map(|(p, party)| {
                    let total: f64 =
                        out.fund.iter().zip(&out.years).map(|(f, y)| f.payouts[p] / y.index).sum();
                    (party.id.clone(), total)
                })
                .collect(),
        }
    });
    let bc = BaseCase {
        deal,
        ceasefire_year: out.ceasefire_year,
        base_year: m.time.base_year,
        projects,
        totals,
        years,
    };
    (bc, out)
}
