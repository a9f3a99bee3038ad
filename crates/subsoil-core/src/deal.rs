//! A deal as data: who pays into the fund, what the fund does with the money, and who gets what back.
//!
//! Amounts in contracts (cash contributions, credits, caps, targets) are nominal US dollars, as written in
//! contracts; the fund's reserve is real (it keeps its purchasing power).

use crate::param::{Param, Randomness};
use crate::year::Year;

/// A party to the deal.
#[derive(Clone, Debug)]
pub struct Party {
    /// Id, e.g. `us`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Whether this is the host state, whose budget receives the receipts and pays the contributions.
    pub host: bool,
}

/// Which state receipts a contribution rule takes a share of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Base {
    /// Royalty (subsoil rent).
    Royalty,
    /// PSA state share.
    PsaStateShare,
    /// Licence fees.
    LicenceFees,
    /// Corporate income tax from projects.
    CorporateTax,
    /// Royalty + PSA state share + licence fees: all natural-resource revenue.
    ResourceRevenue,
    /// An exogenous stream of money (index into [`Deal::streams`]): revenue no project of the model
    /// produces, received by one party, which pays the contributions from it.
    Exogenous(usize),
    /// Dividends of projects to an equity holder (index into [`Deal::dividends`]), who pays the
    /// contributions from them.
    Dividends(usize),
}

/// The dividends of some projects to one equity holder, as a contribution rule's base.
///
/// Convention: a project's dividends in a year are the positive part of its free cash flow to its
/// owners that year (after royalty, PSA state share, corporate tax, capex, sustaining capex, closure
/// and fees), the same cash the fund's own stakes receive; a year of negative free cash flow (a
/// capital call) pays no dividend and is not carried against later years. The holder receives its
/// equity share of them.
#[derive(Clone, Debug)]
pub struct Dividends {
    /// Model indexes of the projects.
    pub projects: Vec<usize>,
    /// The holder's share of each project's equity.
    pub equity: Param,
    /// Index of the holding party: it receives the dividends, pays the contributions from them and is
    /// credited with them.
    pub holder: usize,
    /// Only the part earned above a price, when given.
    pub above: Option<Above>,
}

/// The part of a holder's dividends earned above a price of one product: for each project, its output
/// of the product in the year times the product's nominal price less `price`, when positive, at most
/// the project's dividends; times the equity share. This is what the dividends gain from the price
/// above the threshold when costs do not move with the price, before payability, royalty and tax on
/// the gain.
#[derive(Clone, Debug)]
pub struct Above {
    /// Model product index.
    pub product: usize,
    /// The threshold, nominal dollars per unit.
    pub price: Param,
    /// For each of [`Dividends::projects`], in order, the product's position in the project's plan
    /// (its output is [`crate::stages::PathProjects::outputs`] there); `None` when the project does not
    /// produce it.
    pub slots: Vec<Option<usize>>,
}

/// A value that follows a product's nominal price in the year: linear between points, flat outside
/// them (the first point's value below its price, the last one's above).
#[derive(Clone, Debug)]
pub struct PriceLink {
    /// Model product index.
    pub product: usize,
    /// (nominal price per unit, value) pairs, prices strictly increasing; at least one.
    pub points: Vec<(f64, f64)>,
}

impl PriceLink {
    /// The value at `price`.
    pub fn at(&self, price: f64) -> f64 {
        let pts = &self.points;
        let Some(&(p0, v0)) = pts.first() else { return 1.0 };
        if price <= p0 {
            return v0;
        }
        for w in pts.windows(2) {
            let ((pa, va), (pb, vb)) = (w[0], w[1]);
            if price <= pb {
                return va + (vb - va) * (price - pa) / (pb - pa);
            }
        }
        pts[pts.len() - 1].1
    }
}

/// An exogenous revenue stream: a yearly series of money a party receives (a country's oil export
/// proceeds, port fees, a pipeline's transit fees), which contribution rules may take as their base.
#[derive(Clone, Debug)]
pub struct Exogenous {
    /// Id, as `[streams.<id>]`.
    pub id: String,
    /// The amount by calendar year, times a factor drawn per path.
    pub amount: crate::series::Scaled,
    /// Growth per year of the amount, compounded from the series' first year (real growth for real
    /// dollars, nominal for nominal).
    pub growth: Param,
    /// Whether the amounts are real base-year dollars (escalated with the path's price index) rather
    /// than nominal.
    pub real: bool,
    /// Index of the receiving party, which pays contributions from the stream and is credited with them.
    pub receiver: usize,
}

impl Exogenous {
    /// The nominal amount received in `year`, on a path whose price index that year is `index`:
    /// `scale × series(year) × (1 + growth)^(year − first year of the series)`, times `index` for real
    /// dollars.
    #[inline]
    pub fn at<R: Randomness>(&self, r: &R, year: Year, index: f64) -> f64 {
        let s = &self.amount.series;
        let a =
            self.amount.scale.at(r) * s.at(year) * (1.0 + self.growth.at(r)).powi(year - s.first);
        if self.real { a * index } else { a }
    }
}

/// Which licences' receipts count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    /// Receipts from new licences only.
    New,
    /// Receipts from existing licences only.
    Existing,
    /// All receipts.
    All,
}

/// A rule moving a share of a stream of the host state's receipts into the fund.
#[derive(Clone, Copy, Debug)]
pub struct Contribution {
    /// Stream.
    pub base: Base,
    /// Which receipts.
    pub which: Which,
    /// Share paid in (with a schedule, a factor on it).
    pub share: Param,
    /// The share by calendar year (index into [`Deal::schedules`]), when it changes by year.
    pub schedule: Option<usize>,
    /// Share of the receipts the state spends operating them, deducted before the share is applied.
    pub net_of_operating_expenses: Param,
    /// First year the rule applies.
    pub from_year: Option<Year>,
    /// Last year the rule applies.
    pub until_year: Option<Year>,
    /// Cumulative nominal cap of this rule.
    pub cap: Option<Param>,
    /// A factor on the share that follows a product's price (index into [`Deal::price_links`]).
    pub price_link: Option<usize>,
    /// The party paid the rule's contributions directly, in the year they come in, outside the
    /// waterfall and whatever the lock-up and reserve (earmarked money that never joins the fund's
    /// cash; no capital account is credited); `None` pays into the fund.
    pub paid_to: Option<usize>,
}

/// A scheduled cash contribution into the fund (nominal); it credits the payer's capital account.
#[derive(Clone, Copy, Debug)]
pub struct Cash {
    /// Index of the paying party.
    pub party: usize,
    /// Year paid.
    pub year: Year,
    /// Amount (nominal USD).
    pub amount: Param,
}

/// A capital-account credit that brings no cash (e.g. counted military aid, past aid).
#[derive(Clone, Copy, Debug)]
pub struct Credit {
    /// Index of the credited party.
    pub party: usize,
    /// First year credited.
    pub from_year: Year,
    /// Last year credited.
    pub until_year: Year,
    /// Amount credited each year (nominal USD).
    pub per_year: Param,
    /// A factor on the amount that follows a product's price in the year credited (index into
    /// [`Deal::price_links`]); credits dated before the first simulated year take its price.
    pub price_link: Option<usize>,
}

/// How the fund invests.
#[derive(Clone, Debug)]
pub struct Investing {
    /// Most of a project's equity the fund takes.
    pub equity_cap: Param,
    /// Cash the fund keeps (real base-year USD).
    pub reserve: Param,
    /// The fund's required real return; blends with the private hurdle by share in the decision.
    pub rate: Param,
    /// Whether only projects whose receipts are new qualify.
    pub new_only: bool,
    /// Products that qualify (model indexes); empty means all.
    pub products: Vec<usize>,
}

/// The rate the fund's cash earns.
#[derive(Clone, Copy, Debug)]
pub struct CashRate {
    /// Yearly rate on the cash held at the start of the year.
    pub rate: Param,
    /// Whether the rate is real (the cash also keeps pace with the path's inflation) rather than nominal.
    pub real: bool,
}

impl Default for CashRate {
    /// Cash earns nothing.
    fn default() -> CashRate {
        CashRate { rate: Param::Fixed(0.0), real: false }
    }
}

/// What the fund pays out once the lock-up is over.
#[derive(Clone, Copy, Debug, Default)]
pub enum Distribution {
    /// Every year, all cash above the reserve and what it owes on its commitments goes down the tiers.
    #[default]
    AllAboveReserve,
    /// The fund keeps cash to co-invest: with `up_to`, it keeps that much (real base-year USD) beyond the
    /// reserve and its commitments and pays out only the cash above; without, it pays out nothing.
    Retain {
        /// Most cash kept for co-investment beyond the reserve and commitments, real base-year USD.
        up_to: Option<Param>,
    },
}

/// One tier of the distribution waterfall, paid in order from the cash above the reserve.
#[derive(Clone, Copy, Debug)]
pub enum Tier {
    /// All to `party` until its capital plus `hurdle` a year (from the credit dates) is returned.
    ReturnCapital {
        /// Index of the party.
        party: usize,
        /// Yearly return on capital.
        hurdle: Param,
        /// Compound (true) or simple interest.
        compound: bool,
        /// Most paid under this tier, cumulative nominal.
        cap: Option<Param>,
    },
    /// Pro rata to the capital accounts.
    ProRata {
        /// Most paid under this tier, cumulative nominal.
        cap: Option<Param>,
    },
    /// Everything left to `party`.
    Rest {
        /// Index of the party.
        party: usize,
    },
}

/// The deal.
#[derive(Clone, Debug, Default)]
pub struct Deal {
    /// Name.
    pub name: String,
    /// Parties; none means the scenario has no fund.
    pub parties: Vec<Party>,
    /// Contribution rules.
    pub contributions: Vec<Contribution>,
    /// Share schedules of contribution rules whose share changes by year.
    pub schedules: Vec<crate::series::Series>,
    /// Exogenous revenue streams contribution rules may take as their base.
    pub streams: Vec<Exogenous>,
    /// Dividends of projects to equity holders that contribution rules take as their base.
    pub dividends: Vec<Dividends>,
    /// Factors that follow prices, of contribution shares and credits.
    pub price_links: Vec<PriceLink>,
    /// Cumulative nominal cap on all contributions from receipts together.
    pub contribution_cap: Option<Param>,
    /// Scheduled cash.
    pub cash: Vec<Cash>,
    /// Capital credits without cash.
    pub credits: Vec<Credit>,
    /// Investment rule, if the fund invests.
    pub investing: Option<Investing>,
    /// No distribution before this year.
    pub lock_up_until: Option<Year>,
    /// What the fund pays out from the lock-up year on.
    pub distribution: Distribution,
    /// The rate the fund's cash earns.
    pub cash_rate: CashRate,
    /// Waterfall tiers, in order; none means the fund retains (reinvests) everything.
    pub tiers: Vec<Tier>,
    /// The deal's target for the partner's cumulative receipts (nominal), if it has one.
    pub target: Option<Param>,
    /// The aid the partner gave, to compare its receipts with (nominal).
    pub aid_given: Option<Param>,
    /// Index of the party whose receipts the deal's headline questions are about (the aid giver or
    /// lender).
    pub partner: Option<usize>,
}

impl Deal {
    /// Whether the scenario has a fund at all.
    pub fn active(&self) -> bool {
        !self.parties.is_empty()
    }

    /// Index of the host state.
    pub fn host(&self) -> Option<usize> {
        self.parties.iter().position(|p| p.host)
    }

    /// Whether a rule takes dividends above a price, which needs each project's output by product.
    pub fn uses_output(&self) -> bool {
        self.dividends.iter().any(|d| d.above.is_some())
    }
}
