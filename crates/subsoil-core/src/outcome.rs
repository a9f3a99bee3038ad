//! What one path produces: per-project results, yearly series and the state's receipts by stream.

pub use crate::fund::FundTrace;
use crate::fund::{FundYear, MAX_PARTIES};
use crate::ledger::Ledger;
use crate::model::{Model, Stage};
use crate::param::Randomness;
use crate::project::Flows;
pub use crate::receipts::{NewExisting, Receipts, Stream};
use crate::year::Year;

/// One simulated year.
#[derive(Clone, Copy, Debug, Default)]
pub struct YearOutcome {
    /// Whether the war lasted through this year.
    pub at_war: bool,
    /// Projects with output this year.
    pub producing: u32,
    /// State receipts, nominal.
    pub receipts: Receipts,
    /// Initial capex spent, nominal.
    pub capex_nominal: f64,
    /// Revenue of all projects, nominal.
    pub revenue_nominal: f64,
    /// State receipts lost to leakage before reaching the budget, nominal.
    pub leakage_receipts: f64,
    /// Capex lost beyond ordinary overruns, nominal (included in `capex_nominal`).
    pub leakage_capex: f64,
    /// The host country's GDP, nominal USD.
    pub gdp_nominal: f64,
    /// Price index of the year (nominal = real × index).
    pub index: f64,
}

/// How a project ended the path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProjectStatus {
    /// Producing or under construction at the start.
    Existing,
    /// An investment decision was taken during the path.
    Built,
    /// Ready for a decision, but it never paid to build.
    Waiting,
    /// Still before a decision at the horizon (stages take time and war stops work).
    PreDecision,
    /// Its deposit is occupied and it never produced on the path.
    Occupied,
    /// Abandoned at the end of a stage.
    Abandoned,
}

impl ProjectStatus {
    /// Name as printed.
    pub fn name(self) -> &'static str {
        match self {
            ProjectStatus::Existing => "existing",
            ProjectStatus::Built => "built",
            ProjectStatus::Waiting => "waiting",
            ProjectStatus::PreDecision => "pre-decision",
            ProjectStatus::Occupied => "occupied",
            ProjectStatus::Abandoned => "abandoned",
        }
    }
}

/// One project's results on a path. `_real` amounts are in base-year dollars.
#[derive(Clone, Copy, Debug)]
pub struct ProjectOutcome {
    /// Status at the horizon.
    pub status: ProjectStatus,
    /// Stage at the horizon.
    pub final_stage: Stage,
    /// Year of the investment decision, if taken during the path.
    pub decision_year: Option<Year>,
    /// First year with output.
    pub first_production: Option<Year>,
    /// Initial capex spent, nominal.
    pub capex_nominal: f64,
    /// Initial capex spent, real.
    pub capex_real: f64,
    /// NPV of the investor's free cash flow at the valuation rate, discounted to the start year, real.
    pub npv_real: f64,
    /// Revenue, real.
    pub revenue_real: f64,
    /// Royalty paid, real.
    pub royalty_real: f64,
    /// Payments to the state counted as new receipts, real.
    pub receipts_new_real: f64,
    /// Payments to the state counted as existing receipts, real.
    pub receipts_existing_real: f64,
    /// Whether the project's deposit is occupied at the horizon.
    pub occupied: bool,
    /// Years in which a strike halted the operation.
    pub strikes: u32,
    /// Share of the equity the fund offered to take at the decision (0 if none).
    pub fund_share: f64,
    /// Whether the project still builds or produces after the horizon (its flows then are left out
    /// unless the scenario's terminal value counts them).
    pub runs_past_horizon: bool,
    /// The terminal value included in `npv_real` (0 unless the scenario asks for one), real, to the start
    /// year.
    pub terminal_value_real: f64,
}

impl ProjectOutcome {
    fn empty() -> ProjectOutcome {
        ProjectOutcome {
            status: ProjectStatus::PreDecision,
            final_stage: Stage::Identified,
            decision_year: None,
            first_production: None,
            capex_nominal: 0.0,
            capex_real: 0.0,
            npv_real: 0.0,
            revenue_real: 0.0,
            royalty_real: 0.0,
            receipts_new_real: 0.0,
            receipts_existing_real: 0.0,
            occupied: false,
            strikes: 0,
            fund_share: 0.0,
            runs_past_horizon: false,
            terminal_value_real: 0.0,
        }
    }
}

/// Everything one path produces.
#[derive(Clone, Debug)]
pub struct PathOutcome {
    /// Number of simulated years.
    pub horizon: usize,
    /// Per project, in model order.
    pub projects: Vec<ProjectOutcome>,
    /// Per simulated year.
    pub years: Vec<YearOutcome>,
    /// Investor free cash flow per project and year, real (`[project * horizon + year]`), kept with a
    /// trace (the base case's table of projects reads it); empty otherwise, where no output reads it and
    /// writing and clearing a row of every live project on every path would cost time for nothing.
    pub fcf_real: Vec<f64>,
    /// Real price per product and year, as sold (episodes included) (`[product * horizon + year]`).
    pub price_real: Vec<f64>,
    /// Every project-year's flows (`[project * horizon + year]`), when tracing is on.
    pub trace: Option<Vec<Flows>>,
    /// With the trace: whether each project-year's payments to the state counted as new receipts.
    pub trace_new: Option<Vec<bool>>,
    /// Share of the state's receipts lost to leakage on this path.
    pub leak_receipts: f64,
    /// With the trace and a deal: the fund's balances at the end of each year.
    pub fund_trace: Option<FundTrace>,
    /// Every transfer between accounts, in the checked mode.
    pub ledger: Option<Ledger>,
    /// First year of peace after a ceasefire, if within the horizon (`None` without a war).
    pub ceasefire_year: Option<Year>,
    /// Times war resumed after a ceasefire.
    pub war_breakdowns: u32,
    /// Index of the settlement outcome in the model, if the war ended.
    pub settlement: Option<usize>,
    /// The fund by year (all zero when the scenario has no deal).
    pub fund: Vec<FundYear>,
    /// Capital accounts at the horizon by party (nominal).
    pub capital: [f64; MAX_PARTIES],
    /// The fund's value at the horizon (cash plus stakes at the valuation rate), real.
    pub fund_value_real: f64,
    /// The deal's headline results.
    pub deal: DealOutcome,
    /// Permits awarded by each licensing flow in each year (`[flow * horizon + year]`).
    pub permits: Vec<u32>,
    /// Of those, the permits developed into projects (`[flow * horizon + year]`).
    pub developed: Vec<u32>,
    /// The project rows (of `projects` and `fcf_real`) the last path may have changed besides the
    /// fields the end of every path writes for every project (status, final stage, occupied): the
    /// projects live on it. Every other row holds what [`PathOutcome::new`] put there and the end of
    /// the path wrote, so [`PathOutcome::reset`] clears these rows alone.
    pub(crate) written: Vec<std::ops::Range<usize>>,
    /// Whether the fund's results (`fund`, `capital`, `fund_value_real`, `deal`) may differ from what
    /// [`PathOutcome::new`] put there: whether the model of the last reset has a deal. A path writes
    /// them only when its model has one (they are the fund's), and [`crate::simulate`] resets the
    /// outcome for its own model first, so [`PathOutcome::reset`] clears them only when this is set.
    fund_written: bool,
}

/// The deal's headline results on a path, for its partner and its host.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct DealOutcome {
    /// Everything the partner received, nominal.
    pub partner_receipts_nominal: f64,
    /// Everything the partner received, real base-year dollars.
    pub partner_receipts_real: f64,
    /// The partner's capital account (cash and credits), nominal.
    pub partner_capital: f64,
    /// The partner's net present value at its discount rate, to the start year, real: receipts less cash
    /// paid in (credits without cash are not cash).
    pub partner_npv_real: f64,
    /// The same counting the partner's credits (aid or loans counted as its capital without cash reaching
    /// the fund) as its outlays in the years credited: receipts less cash paid in less credits.
    pub partner_npv_with_credits_real: f64,
    /// First year the partner received a distribution.
    pub first_partner_distribution: Option<Year>,
    /// First year the partner's cumulative nominal receipts reached the deal's target.
    pub target_year: Option<Year>,
    /// First year the partner's cumulative nominal receipts reached the aid it gave.
    pub aid_year: Option<Year>,
    /// The host's payments into the fund from its receipts, present value at the valuation rate, real.
    pub host_payments_pv_real: f64,
    /// The host's payments into the fund, real, undiscounted.
    pub host_payments_real: f64,
    /// The largest yearly payment as a share of GDP.
    pub host_payments_max_gdp_share: f64,
    /// Everything the deal paid the host party (the fund's distributions to it and payments a rule
    /// directs to it), real, undiscounted; 0 without a host party.
    pub host_receipts_real: f64,
    /// The deal's target on the path (nominal; 0 without one).
    pub target: f64,
    /// The aid the partner gave on the path (nominal; 0 without it).
    pub aid_given: f64,
}

impl DealOutcome {
    /// The deal's headline results from the path's yearly fund flows and economy; `valuation` is the path's
    /// real valuation rate.
    pub fn of_path<R: Randomness>(
        model: &Model,
        r: &R,
        out: &PathOutcome,
        valuation: f64,
    ) -> DealOutcome {
        let deal = &model.deal;
        let partner_rate = model.rates.partner_discount.at(r);
        let target = deal.target.map(|p| p.at(r));
        let aid = deal.aid_given.map(|p| p.at(r));
        let mut d = DealOutcome::default();
        let first = model.time.discounting;
        let (mut disc_partner, mut disc_val) =
            (first.first_year(partner_rate), first.first_year(valuation));
        for (t, (fy, y)) in out.fund.iter().zip(&out.years).enumerate() {
            let year = model.time.year(t as u32);
            let real = 1.0 / y.index;
            if let Some(p) = deal.partner {
                let got = fy.payouts[p];
                d.partner_receipts_nominal += got;
                d.partner_receipts_real += got * real;
                let net = got - fy.cash_in[p];
                d.partner_npv_real += net * real * disc_partner;
                d.partner_npv_with_credits_real += (net - fy.credits[p]) * real * disc_partner;
                if got > 0.0 && d.first_partner_distribution.is_none() {
                    d.first_partner_distribution = Some(year);
                }
                if target.is_some_and(|x| d.partner_receipts_nominal >= x)
                    && d.target_year.is_none()
                {
                    d.target_year = Some(year);
                }
                if aid.is_some_and(|x| d.partner_receipts_nominal >= x) && d.aid_year.is_none() {
                    d.aid_year = Some(year);
                }
            }
            // What other parties pay from the exogenous streams they receive is not the host's payment.
            let host = deal.host();
            if let Some(h) = host {
                d.host_receipts_real += fy.payouts[h] * real;
            }
            let by_others: f64 = (0..deal.parties.len())
                .filter(|&p| Some(p) != host)
                .map(|p| fy.from_streams[p])
                .sum();
            let host_paid = fy.contributions - by_others;
            d.host_payments_real += host_paid * real;
            d.host_payments_pv_real += host_paid * real * disc_val;
            if y.gdp_nominal > 0.0 {
                d.host_payments_max_gdp_share =
                    d.host_payments_max_gdp_share.max(host_paid / y.gdp_nominal);
            }
            disc_partner /= 1.0 + partner_rate;
            disc_val /= 1.0 + valuation;
        }
        d.partner_capital = deal.partner.map_or(0.0, |p| out.capital[p]);
        d.target = target.unwrap_or(0.0);
        d.aid_given = aid.unwrap_or(0.0);
        d
    }
}

impl PathOutcome {
    /// An outcome sized for `model`; `trace` keeps every project-year's flows.
    pub fn new(model: &Model, trace: bool) -> PathOutcome {
        let h = model.time.horizon as usize;
        let n = model.projects.len();
        PathOutcome {
            horizon: h,
            projects: vec![ProjectOutcome::empty(); n],
            years: vec![YearOutcome::default(); h],
            fcf_real: if trace { vec![0.0; n * h] } else { Vec::new() },
            price_real: vec![0.0; model.products.len() * h],
            trace: trace.then(|| vec![Flows::default(); n * h]),
            trace_new: trace.then(|| vec![false; n * h]),
            leak_receipts: 0.0,
            fund_trace: (trace && model.deal.active()).then(|| FundTrace::new(model)),
            ledger: None,
            ceasefire_year: None,
            war_breakdowns: 0,
            settlement: None,
            fund: vec![FundYear::default(); h],
            capital: [0.0; MAX_PARTIES],
            fund_value_real: 0.0,
            deal: DealOutcome::default(),
            permits: vec![0; model.flows.len() * h],
            developed: vec![0; model.flows.len() * h],
            written: Vec::with_capacity(model.flows.len() + 1),
            fund_written: false,
        }
    }

    /// An outcome in the checked mode: every project-year's flows and every transfer between accounts.
    pub fn checked(model: &Model) -> PathOutcome {
        PathOutcome { ledger: Some(Ledger::default()), ..PathOutcome::new(model, true) }
    }

    /// Clears the outcome for another path of the same model.
    pub fn reset(&mut self, model: &Model) {
        let h = model.time.horizon as usize;
        let n = model.projects.len();
        if self.horizon != h
            || self.projects.len() != n
            || self.price_real.len() != model.products.len() * h
            || self.permits.len() != model.flows.len() * h
        {
            let ledger = self.ledger.is_some();
            *self = PathOutcome::new(model, self.trace.is_some());
            if ledger {
                self.ledger = Some(Ledger::default());
            }
            self.fund_written = model.deal.active();
            return;
        }
        if let Some(l) = self.ledger.as_mut() {
            l.transfers.clear();
        }
        for rows in self.written.drain(..) {
            self.projects[rows.clone()].fill(ProjectOutcome::empty());
            if let Some(fcf) = self.fcf_real.get_mut(rows.start * h..rows.end * h) {
                fcf.fill(0.0);
            }
        }
        self.years.fill(YearOutcome::default());
        if let Some(t) = self.trace.as_mut() {
            t.fill(Flows::default());
        }
        if let Some(t) = self.trace_new.as_mut() {
            t.fill(false);
        }
        self.leak_receipts = 0.0;
        self.ceasefire_year = None;
        self.war_breakdowns = 0;
        self.settlement = None;
        if self.fund_written {
            self.fund.fill(FundYear::default());
            self.capital = [0.0; MAX_PARTIES];
            self.fund_value_real = 0.0;
            self.deal = DealOutcome::default();
        }
        self.fund_written = model.deal.active();
        self.permits.fill(0);
        self.developed.fill(0);
    }

    /// The rows of the projects live on the path, in model order: the scenario's own, each flow's fee
    /// project and the projects its permits developed. Every other row is a parked project of a pool:
    /// zero in every amount (never -0.0, so a sum that skips it has the same bits) and without a year.
    /// All rows for an outcome no path has written since its last reset.
    #[inline]
    pub fn live_rows(&self) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
        let all = self.written.is_empty().then_some(0..self.projects.len());
        all.into_iter().chain(self.written.iter().cloned())
    }

    /// The live projects' results in model order (see [`PathOutcome::live_rows`]).
    #[inline]
    pub fn live_projects(&self) -> impl Iterator<Item = (usize, &ProjectOutcome)> + '_ {
        self.live_rows().flat_map(move |rows| rows.clone().zip(&self.projects[rows]))
    }

    /// The live part of `rows` (one listed project, or a flow's fee project and pool): `rows` cut at the
    /// end of the live rows its first row belongs to (see [`PathOutcome::live_rows`]).
    #[inline]
    pub fn live_part(&self, rows: std::ops::Range<usize>) -> std::ops::Range<usize> {
        if self.written.is_empty() {
            return rows;
        }
        let end = self
            .written
            .iter()
            .find(|w| w.contains(&rows.start))
            .map_or(rows.start, |w| w.end.min(rows.end));
        rows.start..end.max(rows.start)
    }

    /// Real free cash flow of project `i` by year: kept with a trace ([`PathOutcome::fcf_real`]), empty
    /// without one.
    pub fn fcf_series(&self, i: usize) -> &[f64] {
        self.fcf_real.get(i * self.horizon..(i + 1) * self.horizon).unwrap_or(&[])
    }

    /// Real price of product `k` by year.
    pub fn price_series(&self, k: usize) -> &[f64] {
        &self.price_real[k * self.horizon..(k + 1) * self.horizon]
    }

    /// Flows of project `i` by year (tracing only).
    pub fn flows(&self, i: usize) -> Option<&[Flows]> {
        self.trace.as_ref().map(|t| &t[i * self.horizon..(i + 1) * self.horizon])
    }

    /// Whether project `i`'s payments to the state counted as new receipts, by year, when tracing is on.
    pub fn new_by_year(&self, i: usize) -> Option<&[bool]> {
        self.trace_new.as_ref().map(|t| &t[i * self.horizon..(i + 1) * self.horizon])
    }
}
