//! The fund's balances year by year on a traced path.

use super::MAX_PARTIES;
use crate::model::Model;

/// The fund's balances at the end of each year, kept when tracing (`[item * horizon + year]`, nominal).
#[derive(Clone, Debug, Default)]
pub struct FundTrace {
    /// Paid in so far under each contribution rule.
    pub rule_paid: Vec<f64>,
    /// Still owed (principal and interest) under each waterfall tier (0 for tiers that owe nothing).
    pub owed: Vec<f64>,
    /// Capital accounts by party.
    pub capital: Vec<f64>,
    /// Capital the fund has paid into each project so far.
    pub stake_paid: Vec<f64>,
    /// Distributions the fund has received from each project so far.
    pub stake_received: Vec<f64>,
    /// The reserve the fund keeps.
    pub reserve: Vec<f64>,
}

impl FundTrace {
    /// Zeros sized for `model`.
    pub(crate) fn new(model: &Model) -> FundTrace {
        let h = model.time.horizon as usize;
        let d = &model.deal;
        FundTrace {
            rule_paid: vec![0.0; d.contributions.len() * h],
            owed: vec![0.0; d.tiers.len() * h],
            capital: vec![0.0; MAX_PARTIES * h],
            stake_paid: vec![0.0; model.projects.len() * h],
            stake_received: vec![0.0; model.projects.len() * h],
            reserve: vec![0.0; h],
        }
    }
}
