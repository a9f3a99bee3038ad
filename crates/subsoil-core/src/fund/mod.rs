//! The fund on one path: contributions in, co-investments out, project distributions back, and the
//! waterfall that pays the parties.
//!
//! Conventions, pinned by tests:
//! - Amounts before the first simulated year (the fund's start capital, credits since the effective date)
//!   are booked in the first simulated year; a return-capital tier accrues on them from their own year.
//! - A return-capital balance accrues at the start of each year on what was owed at the end of the
//!   previous one: compound on principal and unpaid interest, simple on principal only. Payments go to
//!   interest first.
//! - Each year: contributions from the year's receipts, then scheduled cash and credits, then the fund pays
//!   its share of its projects' capital calls (never more cash than it has) and receives its share of their
//!   distributions, then, from the lock-up year on, the cash above the reserve and above what it still owes
//!   on its commitments goes down the tiers. A commitment is its share of the planned capex at the decision;
//!   it is settled once the project pays out.
//! - Cash earns the deal's cash rate on what the fund held at the start of the year (the end of the
//!   previous one, after its payouts), credited at the end of the year before the waterfall, so the year's
//!   interest counts toward what is paid out; amounts paid in or out during the year earn nothing that
//!   year (as if they moved at its end). A nominal rate `r` adds `r` × that cash; a real one adds
//!   `(1 + r) × index_t / index_{t-1} - 1` of it, so the cash also keeps pace with the path's inflation.
//!   In the first simulated year the fund starts with nothing, so it earns nothing (cash dated earlier is
//!   booked in that year). Negative interest (a negative rate, or a real rate in deflation) takes at most
//!   the cash the fund still has after the year's capital calls.
//! - After the lock-up, `all-above-reserve` pays out every year all cash above the reserve and the
//!   commitments; `retain` keeps cash for co-investment: up to its cap (real) beyond the reserve and the
//!   commitments, paying out only what is above, or everything without a cap.
//! - The fund's share of a project is its share of the capital paid in so far.
//! - Capital accounts are credited with cash, credits without cash, and the host's contributions; they are
//!   not reduced by distributions. Pro-rata tiers split by them.
//!
//! `phase.rs`: the fund's year on a path and its ledger booking; `value.rs`: its value at the horizon;
//! `trace.rs`: its balances year by year on a traced path.

use crate::deal::{Base, Deal, Distribution, Dividends, Tier, Which};
use crate::param::Randomness;
use crate::project::MAX_PRODUCTS;
use crate::receipts::{Receipts, Stream};
use crate::stages::ProjectYear;
use crate::year::Year;

mod phase;
mod trace;
mod value;

pub use trace::FundTrace;
pub use value::fund_value;

/// Most parties a deal may have (lowering enforces it).
pub const MAX_PARTIES: usize = 4;

/// The fund's stake in one project.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Stake {
    /// Share of the equity the fund offered to take at the decision.
    pub target_share: f64,
    /// The fund's share of the planned capex at the decision (nominal).
    pub committed: f64,
    /// Capital the fund has paid in.
    pub fund_paid: f64,
    /// Capital paid in by all (fund and private).
    pub total_paid: f64,
    /// Distributions the fund has received.
    pub received: f64,
}

impl Stake {
    /// The fund's share of the project's equity now.
    pub fn share(&self) -> f64 {
        if self.total_paid > 0.0 { self.fund_paid / self.total_paid } else { 0.0 }
    }
    /// What the fund still owes of its commitment.
    pub fn outstanding(&self) -> f64 {
        (self.committed - self.fund_paid).max(0.0)
    }
}

/// A year of the fund (nominal USD).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FundYear {
    /// Paid in by the host from its receipts, by the receivers of exogenous streams from them and by
    /// equity holders from their dividends.
    pub contributions: f64,
    /// The part of `contributions` paid from exogenous streams and dividends, by paying party.
    pub from_streams: [f64; MAX_PARTIES],
    /// Scheduled cash paid in, by party.
    pub cash_in: [f64; MAX_PARTIES],
    /// Capital credited without cash, by party.
    pub credits: [f64; MAX_PARTIES],
    /// Paid into projects (the fund's share of capital calls).
    pub invested: f64,
    /// Received from projects.
    pub distributions_in: f64,
    /// Interest the fund's cash earned (see the module's conventions).
    pub interest: f64,
    /// Paid out to the parties, by party.
    pub payouts: [f64; MAX_PARTIES],
    /// Cash at the end of the year.
    pub cash: f64,
    /// The partner's payouts from the first year through this one, real: each year's nominal payout over
    /// its price index, summed in year order from `-0.0` (as `Iterator::sum` does). 0 without a partner.
    pub partner_received_real: f64,
}

/// What a return-capital tier still owes.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Owed {
    /// Principal.
    principal: f64,
    /// Interest.
    interest: f64,
}

/// The fund's state on a path.
#[derive(Clone, Debug, Default)]
pub struct FundPath {
    /// Cash.
    pub cash: f64,
    /// Capital accounts by party (nominal, cumulative).
    pub capital: [f64; MAX_PARTIES],
    /// What each return-capital tier still owes (zero for other tiers).
    owed: Vec<Owed>,
    /// Per tier: cumulative paid.
    tier_paid: Vec<f64>,
    /// Per contribution rule: cumulative paid in.
    rule_paid: Vec<f64>,
    /// Cumulative contributions from receipts.
    contributed: f64,
    /// Stakes by project.
    pub stakes: Vec<Stake>,
    /// The ranges of projects live on the last path, given at its end ([`FundPath::end`]): the only
    /// stakes a path writes, so the only ones [`FundPath::reset`] clears when `ended`.
    written: Vec<std::ops::Range<usize>>,
    /// Whether the last path ended ([`FundPath::end`]); without it (a new fund, or a path cut short)
    /// every stake is cleared.
    ended: bool,
    /// The projects whose commitment may still be outstanding, in project order: every other stake owes
    /// exactly nothing, so [`FundPath::available`] sums over these alone, in the same order, to the same
    /// number.
    open: Vec<usize>,
    /// The partner's payouts so far, real (see [`FundYear::partner_received_real`]).
    partner_received_real: f64,
    /// Contributions of the year earmarked for a party (a rule's `paid_to`), by party, paid out at the
    /// end of the year's fund phase.
    earmarked: [f64; MAX_PARTIES],
    /// The price index of the previous year (1 before the first), for a real cash rate.
    prev_index: f64,
}

impl FundPath {
    /// Resets the fund for a path.
    pub fn reset(&mut self, deal: &Deal, projects: usize) {
        self.cash = 0.0;
        self.capital = [0.0; MAX_PARTIES];
        self.owed.clear();
        self.owed.resize(deal.tiers.len(), Owed::default());
        self.tier_paid.clear();
        self.tier_paid.resize(deal.tiers.len(), 0.0);
        self.rule_paid.clear();
        self.rule_paid.resize(deal.contributions.len(), 0.0);
        self.contributed = 0.0;
        self.partner_received_real = -0.0;
        self.earmarked = [0.0; MAX_PARTIES];
        self.prev_index = 1.0;
        if self.ended && self.stakes.len() == projects {
            for rows in self.written.drain(..) {
                self.stakes[rows].fill(Stake::default());
            }
        } else {
            self.stakes.clear();
            self.stakes.resize(projects, Stake::default());
        }
        self.ended = false;
        self.open.clear();
        // Room for every project, so that no commitment allocates during a path.
        self.open.reserve(projects);
    }

    /// Ends a path on which the projects in `live` (ranges of indexes) were the live ones: the others'
    /// stakes were not written (a parked project has no flow, no decision and no commitment).
    pub fn end(&mut self, live: impl Iterator<Item = std::ops::Range<usize>>) {
        self.written.clear();
        self.written.extend(live);
        self.ended = true;
    }

    /// The fund takes `share` of project `i`'s equity and commits `amount` (nominal) to it.
    pub fn commit(&mut self, i: usize, share: f64, amount: f64) {
        let s = &mut self.stakes[i];
        s.target_share = share;
        s.committed = amount;
        if let Err(at) = self.open.binary_search(&i) {
            self.open.insert(at, i);
        }
    }

    /// Writes the balances at the end of year `t` of a `horizon`-year path into `trace`.
    pub fn record(&self, t: usize, horizon: usize, reserve: f64, trace: &mut FundTrace) {
        for (k, paid) in self.rule_paid.iter().enumerate() {
            trace.rule_paid[k * horizon + t] = *paid;
        }
        for (k, o) in self.owed.iter().enumerate() {
            trace.owed[k * horizon + t] = o.principal + o.interest;
        }
        for (p, c) in self.capital.iter().enumerate() {
            trace.capital[p * horizon + t] = *c;
        }
        for (i, s) in self.stakes.iter().enumerate() {
            trace.stake_paid[i * horizon + t] = s.fund_paid;
            trace.stake_received[i * horizon + t] = s.received;
        }
        trace.reserve[t] = reserve;
    }

    /// Cash the fund may still commit or distribute: cash above the reserve less what it owes on its
    /// commitments.
    pub fn available(&self, reserve: f64) -> f64 {
        // A sum over every stake starts from -0.0 and adds +0.0 for each stake that owes nothing: start
        // where that sum would be, so that skipping those stakes changes no bit.
        let mut owed = if self.stakes.is_empty() { -0.0 } else { 0.0 };
        for &i in &self.open {
            owed += self.stakes[i].outstanding();
        }
        (self.cash - reserve - owed).max(0.0)
    }

    /// Credits `amount` to `party`'s capital account, and to the principal of its return-capital tiers.
    fn credit(
        &mut self,
        deal: &Deal,
        party: usize,
        amount: f64,
        years_of_interest: i32,
        r: &impl Randomness,
    ) {
        self.capital[party] += amount;
        for (k, tier) in deal.tiers.iter().enumerate() {
            if let Tier::ReturnCapital { party: p, hurdle, compound, .. } = *tier
                && p == party
            {
                let h = hurdle.at(r);
                let interest = if years_of_interest <= 0 {
                    0.0
                } else if compound {
                    amount * ((1.0 + h).powi(years_of_interest) - 1.0)
                } else {
                    amount * h * years_of_interest as f64
                };
                self.owed[k].principal += amount;
                self.owed[k].interest += interest;
            }
        }
    }

    /// Contributions from the year's receipts (net of leakage), exogenous streams and dividends (from
    /// `projects`' free cash flows, and above a price their `outputs`, empty when no rule reads them), and
    /// the year's scheduled cash and credits; shares and credits
    /// linked to a price read the year's nominal `prices`. `first` is true in the first simulated year,
    /// which also books everything dated earlier.
    #[allow(clippy::too_many_arguments)]
    pub fn pay_in<R: Randomness>(
        &mut self,
        deal: &Deal,
        r: &R,
        year: Year,
        first: bool,
        receipts: &Receipts,
        index: f64,
        projects: &[ProjectYear],
        outputs: &[[f64; MAX_PRODUCTS]],
        prices: &[f64],
        out: &mut FundYear,
    ) {
        // Interest accrues on what was owed at the end of last year.
        if !first {
            for (k, tier) in deal.tiers.iter().enumerate() {
                if let Tier::ReturnCapital { hurdle, compound, .. } = *tier {
                    let h = hurdle.at(r);
                    let Owed { principal, interest } = self.owed[k];
                    self.owed[k].interest +=
                        if compound { h * (principal + interest) } else { h * principal };
                }
            }
        }
        let host = deal.host();
        let deal_cap = deal.contribution_cap.map(|c| c.at(r));
        for (k, rule) in deal.contributions.iter().enumerate() {
            if rule.from_year.is_some_and(|y| year < y) || rule.until_year.is_some_and(|y| year > y)
            {
                continue;
            }
            let (base, payer) = match rule.base {
                Base::Exogenous(s) => {
                    let st = &deal.streams[s];
                    (st.at(r, year, index), Some(st.receiver))
                }
                Base::Dividends(i) => {
                    let dv = &deal.dividends[i];
                    (dividends(dv, r, projects, outputs, prices), Some(dv.holder))
                }
                b => (stream_base(receipts, b, rule.which), host),
            };
            let mut share = match rule.schedule {
                Some(i) => rule.share.at(r) * deal.schedules[i].at(year),
                None => rule.share.at(r),
            };
            if let Some(l) = rule.price_link {
                let link = &deal.price_links[l];
                share *= link.at(prices[link.product]);
            }
            let mut amount = share * base * (1.0 - rule.net_of_operating_expenses.at(r));
            if let Some(cap) = rule.cap {
                amount = amount.min((cap.at(r) - self.rule_paid[k]).max(0.0));
            }
            if let Some(cap) = deal_cap {
                amount = amount.min((cap - self.contributed).max(0.0));
            }
            if amount <= 0.0 {
                continue;
            }
            self.rule_paid[k] += amount;
            self.contributed += amount;
            out.contributions += amount;
            // Earmarked money passes through: it never joins the fund's cash.
            if rule.paid_to.is_none() {
                self.cash += amount;
            }
            if let Base::Exogenous(_) | Base::Dividends(_) = rule.base
                && let Some(p) = payer
            {
                out.from_streams[p] += amount;
            }
            if let Some(to) = rule.paid_to {
                self.earmarked[to] += amount;
            } else if let Some(h) = payer {
                self.credit(deal, h, amount, 0, r);
            }
        }
        for c in &deal.cash {
            if c.year == year || (first && c.year < year) {
                let amount = c.amount.at(r);
                self.cash += amount;
                out.cash_in[c.party] += amount;
                self.credit(deal, c.party, amount, year - c.year.min(year), r);
            }
        }
        for c in &deal.credits {
            // In the first year, every year of the credit up to now; later, this year if covered.
            let (lo, hi) = if first {
                (c.from_year, c.until_year.min(year))
            } else {
                (c.from_year.max(year), c.until_year.min(year))
            };
            let factor = c.price_link.map(|l| {
                let link = &deal.price_links[l];
                link.at(prices[link.product])
            });
            for y in lo..=hi {
                let amount = match factor {
                    Some(f) => c.per_year.at(r) * f,
                    None => c.per_year.at(r),
                };
                out.credits[c.party] += amount;
                self.credit(deal, c.party, amount, year - y, r);
            }
        }
    }

    /// The fund's part of a project's free cash flow `fcf` this year: its share of a capital call (as
    /// far as its cash goes) or of a distribution. Returns the fund's cash flow with the project (negative
    /// when it pays in).
    #[inline]
    pub fn project_flow(&mut self, i: usize, fcf: f64, out: &mut FundYear) -> f64 {
        let s = &mut self.stakes[i];
        if fcf < 0.0 {
            let call = -fcf;
            s.total_paid += call;
            if s.target_share > 0.0 {
                let pay = (s.target_share * call).min(self.cash.max(0.0));
                s.fund_paid += pay;
                self.cash -= pay;
                out.invested += pay;
                return -pay;
            }
        } else if fcf > 0.0 && s.fund_paid > 0.0 {
            // Capital calls are over once the project pays out: nothing more is owed on the commitment.
            // From here on it owes nothing: what it has paid only grows, and each payout resets the
            // commitment to it.
            s.committed = s.fund_paid;
            if let Ok(at) = self.open.binary_search(&i) {
                self.open.remove(at);
            }
            let got = fcf * s.share();
            s.received += got;
            self.cash += got;
            out.distributions_in += got;
            return got;
        }
        0.0
    }

    /// Whether project `i`'s free cash flow `fcf` of the year moves money to or from the fund
    /// ([`FundPath::project_flow`]): not without a flow, nor a distribution from a project the fund has
    /// paid nothing into. Only a ledger books the others, as zeros.
    #[inline]
    pub fn moves_money(&self, i: usize, fcf: f64) -> bool {
        !(fcf == 0.0 || (fcf > 0.0 && self.stakes[i].fund_paid <= 0.0))
    }

    /// Pays the year's earmarked contributions to their parties (they never joined the fund's cash).
    pub fn pay_earmarked(&mut self, out: &mut FundYear) {
        for (p, e) in self.earmarked.iter_mut().enumerate() {
            if *e > 0.0 {
                out.payouts[p] += *e;
                *e = 0.0;
            }
        }
    }

    /// The interest on `opening`, the cash held at the start of a year whose price index is `index`, at the
    /// deal's cash rate; 0 when the rate and the basis leave the cash as it is.
    pub fn interest<R: Randomness>(&self, deal: &Deal, r: &R, opening: f64, index: f64) -> f64 {
        let rate = deal.cash_rate.rate.at(r);
        let factor =
            if deal.cash_rate.real { (1.0 + rate) * (index / self.prev_index) - 1.0 } else { rate };
        if factor == 0.0 || opening == 0.0 { 0.0 } else { opening * factor }
    }

    /// The cash the distribution policy keeps beyond the reserve and the commitments, in a year whose price
    /// index is `index` (nominal); `None` when it pays out nothing.
    pub fn retained<R: Randomness>(deal: &Deal, r: &R, index: f64) -> Option<f64> {
        match deal.distribution {
            Distribution::AllAboveReserve => Some(0.0),
            Distribution::Retain { up_to: Some(cap) } => Some(cap.at(r).max(0.0) * index),
            Distribution::Retain { up_to: None } => None,
        }
    }

    /// Pays the cash above `reserve` and above what it still owes on its commitments down the tiers.
    pub fn distribute<R: Randomness>(
        &mut self,
        deal: &Deal,
        r: &R,
        reserve: f64,
        out: &mut FundYear,
    ) {
        let mut left = self.available(reserve);
        for (k, tier) in deal.tiers.iter().enumerate() {
            if left <= 0.0 {
                break;
            }
            let cap_left = |cap: Option<crate::param::Param>, paid: f64| {
                cap.map_or(f64::INFINITY, |c| (c.at(r) - paid).max(0.0))
            };
            match *tier {
                Tier::ReturnCapital { party, cap, .. } => {
                    let Owed { principal, interest } = self.owed[k];
                    let pay = left.min(principal + interest).min(cap_left(cap, self.tier_paid[k]));
                    let to_interest = pay.min(interest);
                    self.owed[k] = Owed {
                        principal: principal - (pay - to_interest),
                        interest: interest - to_interest,
                    };
                    self.tier_paid[k] += pay;
                    out.payouts[party] += pay;
                    left -= pay;
                }
                Tier::ProRata { cap } => {
                    let total: f64 = self.capital.iter().sum();
                    if total <= 0.0 {
                        continue;
                    }
                    let pay = left.min(cap_left(cap, self.tier_paid[k]));
                    for p in 0..deal.parties.len() {
                        // The share first: pay × capital can overflow where each is finite.
                        out.payouts[p] += pay * (self.capital[p] / total);
                    }
                    self.tier_paid[k] += pay;
                    left -= pay;
                }
                Tier::Rest { party } => {
                    out.payouts[party] += left;
                    self.tier_paid[k] += left;
                    left = 0.0;
                }
            }
        }
        let paid: f64 = out.payouts.iter().sum();
        self.cash -= paid;
    }
}

/// A holder's dividends in the year: its equity share of the positive part of each project's free cash
/// flow, or, above a price, of the part earned above it (see [`crate::deal::Above`]).
/// `outputs` are the projects' outputs ([`crate::stages::PathProjects::outputs`]), read only above a price.
fn dividends(
    dv: &Dividends,
    r: &impl Randomness,
    projects: &[ProjectYear],
    outputs: &[[f64; MAX_PRODUCTS]],
    prices: &[f64],
) -> f64 {
    let mut sum = 0.0;
    match &dv.above {
        None => {
            for &i in &dv.projects {
                sum += projects[i].fcf.max(0.0);
            }
        }
        Some(a) => {
            let excess = (prices[a.product] - a.price.at(r)).max(0.0);
            for (&i, slot) in dv.projects.iter().zip(&a.slots) {
                if let Some(j) = *slot {
                    sum += (outputs[i][j] * excess).min(projects[i].fcf.max(0.0));
                }
            }
        }
    }
    dv.equity.at(r) * sum
}

/// The part of the year's receipts a rule's base covers.
fn stream_base(receipts: &Receipts, base: Base, which: Which) -> f64 {
    let get = |s: Stream| match which {
        Which::New => receipts.get(s, true),
        Which::Existing => receipts.get(s, false),
        Which::All => receipts.get(s, true) + receipts.get(s, false),
    };
    match base {
        Base::Royalty => get(Stream::Royalty),
        Base::PsaStateShare => get(Stream::PsaStateShare),
        Base::LicenceFees => get(Stream::LicenceFee),
        Base::CorporateTax => get(Stream::CorporateTax),
        Base::ResourceRevenue => {
            get(Stream::Royalty) + get(Stream::PsaStateShare) + get(Stream::LicenceFee)
        }
        Base::Exogenous(_) | Base::Dividends(_) => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fact the fund's phase skips on without a ledger: a distribution from a project the fund has
    /// paid nothing into (no stake, or a commitment not yet called) moves no money and changes no state.
    #[test]
    fn a_distribution_from_a_project_the_fund_paid_nothing_into_moves_nothing() {
        let mut fund = FundPath::default();
        fund.reset(&Deal::default(), 3);
        fund.cash = 50.0;
        // Project 1: committed, nothing called yet; project 2: a capital call paid before, so the
        // distribution moves money (the control).
        fund.commit(1, 0.4, 20.0);
        fund.commit(2, 0.5, 10.0);
        let mut fy = FundYear::default();
        assert_eq!(fund.project_flow(2, -8.0, &mut fy), -4.0);
        for i in [0, 1] {
            let before = format!("{fund:?} {fy:?}");
            assert_eq!(fund.project_flow(i, 12.5, &mut fy).to_bits(), 0.0f64.to_bits());
            assert_eq!(format!("{fund:?} {fy:?}"), before, "project {i}");
        }
        assert_eq!(fund.project_flow(2, 6.0, &mut fy), 3.0);
        assert_eq!(fund.cash, 49.0);
    }
}
