//! Corporate income tax with straight-line depreciation and loss carry-forward, and PSA cost recovery.
//!
//! Conventions (nominal dollars throughout, as in real tax books):
//! - capital spent before production is capitalised and depreciated straight-line over the fiscal
//!   depreciation years from the first production year; sustaining capex and existing book value are
//!   depreciated from the year they are added;
//! - taxable profit = revenue − royalty − PSA state share − opex − depreciation − closure cost;
//! - a loss is carried forward without limit of time and offsets later profit in full (a simplification:
//!   Ukrainian rules have at times capped the yearly use of losses for large taxpayers);
//! - licence fees are not deducted, and the repair of war damage is depreciated from the year after the
//!   strike without joining the PSA cost pool (simplifications; both amounts are small);
//! - under a PSA, each year's costs (capex, opex, sustaining, closure) join the unrecovered cost pool,
//!   then cost recovery = min(pool, limit × (revenue − royalty)); profit production = revenue − royalty −
//!   cost recovery, and the state takes its share of it.

/// Longest depreciation schedule the ring buffer holds (lowering enforces `depreciation_years <= DEP_MAX`).
pub const DEP_MAX: usize = 64;

/// Tax state of one project.
#[derive(Clone, Copy, Debug)]
pub struct TaxBook {
    /// Depreciation due in year `head + k` at index `(head + k) % DEP_MAX`.
    schedule: [f64; DEP_MAX],
    head: usize,
    /// Years from `head` on that may still hold depreciation due; beyond them the schedule is zero.
    pending: usize,
    /// Capital spent before production, waiting to be depreciated.
    pub capitalised: f64,
    /// Loss carried forward.
    pub loss_carried: f64,
    /// Unrecovered PSA cost pool.
    pub psa_pool: f64,
}

impl Default for TaxBook {
    fn default() -> Self {
        TaxBook {
            schedule: [0.0; DEP_MAX],
            head: 0,
            pending: 0,
            capitalised: 0.0,
            loss_carried: 0.0,
            psa_pool: 0.0,
        }
    }
}

impl TaxBook {
    /// Adds `amount` to be depreciated straight-line over `years` years starting with the current year.
    ///
    /// A zero amount (a project without sustaining capex adds one each production year) leaves the
    /// schedule's entries as they are without touching them: an entry is a sum that starts at +0.0, so
    /// it is never -0.0 (a sum is -0.0 only when both terms are), and adding ±0.0 to anything but -0.0
    /// changes no bit. Only `pending` moves, as it would.
    #[inline]
    pub fn depreciate(&mut self, amount: f64, years: u32) {
        let years = (years as usize).clamp(1, DEP_MAX);
        if amount == 0.0 {
            self.pending = self.pending.max(years);
            return;
        }
        let per_year = amount / years as f64;
        for k in 0..years {
            self.schedule[(self.head + k) % DEP_MAX] += per_year;
        }
        self.pending = self.pending.max(years);
    }

    /// Back to an empty book in place.
    pub fn reset(&mut self) {
        // Past its pending years the schedule is all zeros already.
        if self.pending > 0 {
            self.schedule.fill(0.0);
        }
        self.head = 0;
        self.pending = 0;
        self.capitalised = 0.0;
        self.loss_carried = 0.0;
        self.psa_pool = 0.0;
    }

    /// Whether a year without flows would change nothing in the books: no depreciation is scheduled and
    /// no capital waits to be depreciated (a carried loss and a PSA cost pool stay as they are when
    /// there is no profit and no cost).
    #[inline]
    pub fn is_quiet(&self) -> bool {
        self.pending == 0 && self.capitalised == 0.0
    }

    /// Moves the capitalised pre-production capital into the depreciation schedule (first production year).
    pub fn start_depreciating_capitalised(&mut self, years: u32) {
        let c = std::mem::take(&mut self.capitalised);
        if c != 0.0 {
            self.depreciate(c, years);
        }
    }

    /// Ends the current year: returns its depreciation and moves on to the next year.
    pub fn take_year_depreciation(&mut self) -> f64 {
        let d = std::mem::take(&mut self.schedule[self.head]);
        self.head = (self.head + 1) % DEP_MAX;
        self.pending = self.pending.saturating_sub(1);
        d
    }

    /// Corporate income tax on `profit_before_loss` (taxable profit before using carried losses), updating
    /// the carried loss.
    pub fn cit(&mut self, profit_before_loss: f64, rate: f64) -> f64 {
        cit(&mut self.loss_carried, profit_before_loss, rate)
    }

    /// PSA split for one year: adds `costs` to the pool, recovers what the limit allows from
    /// `revenue_after_royalty`, and returns `(cost_recovery, state_share)`.
    pub fn psa(
        &mut self,
        revenue_after_royalty: f64,
        costs: f64,
        limit: f64,
        share: f64,
    ) -> (f64, f64) {
        psa(&mut self.psa_pool, revenue_after_royalty, costs, limit, share)
    }
}

/// Corporate income tax on `profit_before_loss` with the loss carried forward in `loss_carried` (updated):
/// [`TaxBook::cit`] on a book that holds only its carried loss.
#[inline]
pub fn cit(loss_carried: &mut f64, profit_before_loss: f64, rate: f64) -> f64 {
    if profit_before_loss <= 0.0 {
        *loss_carried -= profit_before_loss;
        return 0.0;
    }
    let used = loss_carried.min(profit_before_loss);
    *loss_carried -= used;
    rate * (profit_before_loss - used)
}

/// The PSA split of one year on the unrecovered cost pool `pool` (updated): [`TaxBook::psa`] on a book
/// that holds only its pool.
#[inline]
pub fn psa(
    pool: &mut f64,
    revenue_after_royalty: f64,
    costs: f64,
    limit: f64,
    share: f64,
) -> (f64, f64) {
    *pool += costs;
    let base = revenue_after_royalty.max(0.0);
    let recovery = pool.min(limit * base);
    *pool -= recovery;
    let profit_production = base - recovery;
    (recovery, share * profit_production)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn straight_line_spreads_evenly_from_the_current_year() {
        let mut b = TaxBook::default();
        b.depreciate(100.0, 4);
        let d: Vec<f64> = (0..5).map(|_| b.take_year_depreciation()).collect();
        assert_eq!(d, vec![25.0, 25.0, 25.0, 25.0, 0.0]);
    }

    /// The fact [`TaxBook::depreciate`] skips a zero amount on: the schedule after any sequence of
    /// amounts, zeros of either sign among them, is to the bit the one that adds every amount.
    #[test]
    fn depreciating_zero_changes_no_bit_of_the_schedule() {
        // The schedule as every amount added to it, the zeros too.
        fn add_all(schedule: &mut [f64; DEP_MAX], head: usize, amount: f64, years: usize) {
            for k in 0..years {
                schedule[(head + k) % DEP_MAX] += amount / years as f64;
            }
        }
        let amounts = [0.0, -0.0, 7.0, 0.0, 1e-300, -0.0, 3.5, -7.0, 0.0, 0.1, 0.0];
        let mut book = TaxBook::default();
        let mut reference = [0.0f64; DEP_MAX];
        let mut pending = 0usize;
        for (year, &amount) in amounts.iter().cycle().take(150).enumerate() {
            let years = 1 + year % 9;
            add_all(&mut reference, book.head, amount, years);
            pending = pending.max(years);
            book.depreciate(amount, years as u32);
            let got: Vec<u64> = book.schedule.iter().map(|x| x.to_bits()).collect();
            let want: Vec<u64> = reference.iter().map(|x| x.to_bits()).collect();
            assert_eq!(got, want, "year {year}");
            assert_eq!(book.pending, pending);
            let due = std::mem::take(&mut reference[book.head]);
            assert_eq!(book.take_year_depreciation().to_bits(), due.to_bits());
            pending = pending.saturating_sub(1);
        }
        // No entry is ever -0.0: an entry starts at +0.0, and a sum is -0.0 only when both terms are.
        assert!(book.schedule.iter().all(|x| x.to_bits() != (-0.0f64).to_bits()));
    }

    #[test]
    fn losses_carry_forward_and_offset_later_profit() {
        let mut b = TaxBook::default();
        assert_eq!(b.cit(-30.0, 0.18), 0.0);
        assert_eq!(b.loss_carried, 30.0);
        // 50 of profit: 30 offset by the loss, 20 taxed at 18% = 3.6
        assert!((b.cit(50.0, 0.18) - 3.6).abs() < 1e-12);
        assert_eq!(b.loss_carried, 0.0);
    }

    #[test]
    fn psa_recovers_costs_up_to_the_limit_and_carries_the_rest() {
        let mut b = TaxBook::default();
        // pool 200, revenue after royalty 100, limit 70% → recover 70, profit production 30, state 40% = 12
        let (cr, ss) = b.psa(100.0, 200.0, 0.7, 0.4);
        assert_eq!((cr, ss), (70.0, 12.0));
        assert_eq!(b.psa_pool, 130.0);
    }
}
