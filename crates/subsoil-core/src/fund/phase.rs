//! The fund's year on a path, with its ledger booking.

use super::{FundPath, FundYear};
use crate::deal::Deal;
use crate::ledger::{Account, Ledger, Purpose};
use crate::param::Randomness;
use crate::project::MAX_PRODUCTS;
use crate::receipts::Receipts;
use crate::stages::{ProjectSet, ProjectYear};
use crate::year::{PathYear, Year};

impl FundPath {
    /// The fund's year: contributions from the year's `receipts` (reaching the budget), exogenous
    /// streams and dividends, scheduled cash and credits (at the
    /// year's nominal `prices` where linked to one), earmarked contributions paid to their parties
    /// after the waterfall; the fund's part of each project's free cash flow (`projects`, of which only
    /// those in `flowing` may be non-zero when it is given; their `outputs` are read only by dividends
    /// above a price); the interest on the cash held at the start
    /// of the year; from the lock-up year on, the waterfall above the real `reserve` and what the
    /// distribution policy keeps. Books the transfers when
    /// there is a ledger.
    #[allow(clippy::too_many_arguments)]
    pub fn year<R: Randomness>(
        &mut self,
        deal: &Deal,
        r: &R,
        y: PathYear,
        reserve: f64,
        receipts: &Receipts,
        projects: &[ProjectYear],
        outputs: &[[f64; MAX_PRODUCTS]],
        prices: &[f64],
        flowing: Option<&ProjectSet>,
        mut ledger: Option<&mut Ledger>,
    ) -> FundYear {
        let year = y.year;
        let mut fy = FundYear::default();
        let opening = self.cash;
        let first = y.t == 0;
        self.pay_in(deal, r, year, first, receipts, y.index, projects, outputs, prices, &mut fy);
        match (flowing, ledger.is_some()) {
            // Without a ledger only the projects in `flowing` are visited: every other one's flow is
            // zero.
            (Some(set), false) => {
                let mut at = set.cursor();
                while let Some(i) = set.next(&mut at) {
                    let fcf = projects[i].fcf;
                    if self.moves_money(i, fcf) {
                        self.project_flow(i, fcf, &mut fy);
                    }
                }
            }
            // Every project, and a ledger books the zeros too.
            _ => {
                for (i, py) in projects.iter().enumerate() {
                    if ledger.is_none() && !self.moves_money(i, py.fcf) {
                        continue;
                    }
                    let fund_part = self.project_flow(i, py.fcf, &mut fy);
                    if let Some(l) = ledger.as_deref_mut() {
                        let (p, f) = (Account::Project(i), Account::Fund);
                        let purpose =
                            if py.fcf < 0.0 { Purpose::CapitalCall } else { Purpose::Distribution };
                        l.pay(year, p, f, purpose, fund_part);
                        l.pay(year, p, Account::Investors, purpose, py.fcf - fund_part);
                    }
                }
            }
        }
        // Interest on the cash held at the start of the year, credited before the waterfall. A negative
        // rate (or a real one in deflation) takes at most the cash the fund still has.
        let interest = self.interest(deal, r, opening, y.index).max(-self.cash.max(0.0));
        if interest != 0.0 {
            self.cash += interest;
            fy.interest = interest;
        }
        self.prev_index = y.index;
        if deal.lock_up_until.is_none_or(|lock| year >= lock)
            && let Some(kept) = FundPath::retained(deal, r, y.index)
        {
            // What the policy keeps for co-investment is kept as the reserve is.
            self.distribute(deal, r, reserve * y.index + kept, &mut fy);
        }
        // Earmarked contributions are paid after the waterfall, which never saw them.
        self.pay_earmarked(&mut fy);
        fy.cash = self.cash;
        if let Some(p) = deal.partner {
            // A running sum: the yearly series of what the partner received so far costs one addition a
            // year rather than one per year so far.
            self.partner_received_real += fy.payouts[p] / y.index;
            fy.partner_received_real = self.partner_received_real;
        }
        if let Some(l) = ledger {
            book_fund(l, deal, year, &fy);
        }
        fy
    }
}

/// Books the fund's year: contributions and cash in, payouts out (credits without cash are not transfers).
fn book_fund(l: &mut Ledger, deal: &Deal, year: Year, fy: &FundYear) {
    let treasury =
        |p: usize| if deal.parties[p].host { Account::Budget } else { Account::Party(p) };
    let from_streams: f64 = fy.from_streams.iter().sum();
    l.pay(
        year,
        Account::Budget,
        Account::Fund,
        Purpose::Contribution,
        fy.contributions - from_streams,
    );
    if fy.interest != 0.0 {
        l.pay(year, Account::Markets, Account::Fund, Purpose::Interest, fy.interest);
    }
    for p in 0..deal.parties.len() {
        if fy.from_streams[p] != 0.0 {
            l.pay(year, treasury(p), Account::Fund, Purpose::Contribution, fy.from_streams[p]);
        }
        l.pay(year, treasury(p), Account::Fund, Purpose::CashIn, fy.cash_in[p]);
        l.pay(year, Account::Fund, treasury(p), Purpose::Payout, fy.payouts[p]);
    }
}
