//! The checked mode's ledger: every cash flow of a path as a transfer between named accounts.
//!
//! The fast path keeps only what outputs need; with a ledger the same path also records each transfer, so
//! tests can check the books independently: every project's account balances to zero each year (what it
//! receives from buyers and financiers equals what it pays suppliers, the state and its owners), the fund
//! never holds negative cash, and credits without cash never appear as transfers.

use crate::year::Year;

/// An account money moves between.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Account {
    /// The host state's budget.
    Budget,
    /// A party's treasury other than the host's (the US treasury), by party index.
    Party(usize),
    /// The deal's fund.
    Fund,
    /// A project, by index.
    Project(usize),
    /// Private investors in projects.
    Investors,
    /// Buyers of output.
    Buyers,
    /// Suppliers and contractors (operating costs, capital spending, closure).
    Suppliers,
    /// Receipts and capex lost before they reach their destination.
    Leakage,
    /// Where the fund holds its cash (the money markets), which pay its interest.
    Markets,
}

impl Account {
    /// Whether the account may go below zero (it can borrow or is outside the model).
    pub fn can_borrow(self) -> bool {
        !matches!(self, Account::Fund | Account::Project(_) | Account::Leakage)
    }
}

/// What a transfer is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Sales.
    Sales,
    /// Operating costs, capex, sustaining capex, closure.
    Costs,
    /// Royalty, PSA state share, licence fees, corporate tax.
    StateTake,
    /// Lost before arriving.
    Leakage,
    /// Owners financing a project's capital calls.
    CapitalCall,
    /// A project paying its owners.
    Distribution,
    /// The host's contributions from its receipts.
    Contribution,
    /// Scheduled cash paid into the fund.
    CashIn,
    /// The fund paying a party.
    Payout,
    /// Interest on the fund's cash.
    Interest,
}

/// One transfer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Transfer {
    /// Calendar year.
    pub year: Year,
    /// Paying account.
    pub from: Account,
    /// Receiving account.
    pub to: Account,
    /// What for.
    pub purpose: Purpose,
    /// Amount, nominal USD (never negative).
    pub amount: f64,
}

/// Every transfer of a path, in the order made.
#[derive(Clone, Debug, Default)]
pub struct Ledger {
    /// The transfers.
    pub transfers: Vec<Transfer>,
}

impl Ledger {
    /// Records a transfer; zero amounts are skipped and negative ones are turned around.
    pub fn pay(&mut self, year: Year, from: Account, to: Account, purpose: Purpose, amount: f64) {
        if amount > 0.0 {
            self.transfers.push(Transfer { year, from, to, purpose, amount });
        } else if amount < 0.0 {
            self.transfers.push(Transfer { year, from: to, to: from, purpose, amount: -amount });
        }
    }

    /// Net inflow of `account` in `year` (all years when `None`).
    pub fn net(&self, account: Account, year: Option<Year>) -> f64 {
        self.transfers
            .iter()
            .filter(|t| year.is_none_or(|y| t.year == y))
            .map(|t| {
                (if t.to == account { t.amount } else { 0.0 })
                    - (if t.from == account { t.amount } else { 0.0 })
            })
            .sum()
    }

    /// Total of the transfers with this purpose from `from` to `to` (either may be `None` for any).
    pub fn total(&self, purpose: Purpose, from: Option<Account>, to: Option<Account>) -> f64 {
        self.transfers
            .iter()
            .filter(|t| {
                t.purpose == purpose
                    && from.is_none_or(|a| t.from == a)
                    && to.is_none_or(|a| t.to == a)
            })
            .map(|t| t.amount)
            .sum()
    }
}
