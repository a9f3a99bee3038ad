//! A path's terms: every scalar input a path draws once (inflation, tax, rates and premiums, stage terms,
//! leakage, war damage, the fund's investment rule, the economy), read from [`Randomness`] before the first
//! year.

use crate::deal::Deal;
use crate::model::Model;
use crate::param::{Randomness, yearly_probability};
use crate::project::Tax;
use crate::stages::StageTerms;

/// The country-risk premium added to private investors' real hurdle.
#[derive(Clone, Copy, Debug)]
pub struct CountryRisk {
    /// While the war lasts.
    pub war: f64,
    /// In the first `postwar_years` after a ceasefire.
    pub postwar: f64,
    /// In lasting peace.
    pub peace: f64,
    /// Years after a ceasefire at the post-war premium.
    pub postwar_years: u32,
}

impl CountryRisk {
    /// The premium of a year with `years_of_peace` since the latest ceasefire (`u32::MAX` at war;
    /// [`crate::conflict::LASTING_PEACE`] in a scenario without a war, always at the peace premium).
    #[inline]
    pub fn premium(&self, years_of_peace: u32) -> f64 {
        match years_of_peace {
            u32::MAX => self.war,
            since if since < self.postwar_years => self.postwar,
            _ => self.peace,
        }
    }
}

/// War damage to producing operations.
#[derive(Clone, Copy, Debug)]
pub struct WarDamage {
    /// Yearly probability of a strike on an operation in an exposed oblast, while the war lasts.
    pub exposed: f64,
    /// The same elsewhere.
    pub other: f64,
    /// Repair cost after a strike, as a share of the project's initial capex.
    pub repair: f64,
}

/// Leakage on the path.
#[derive(Clone, Copy, Debug)]
pub struct LeakageTerms {
    /// Share of the state's receipts lost before the budget (0–1).
    pub receipts: f64,
    /// Capex lost beyond ordinary overruns, as a fraction of capex (≥ 0).
    pub capex_excess: f64,
}

/// The economy outside the projects: the host country's GDP.
#[derive(Clone, Copy, Debug)]
pub struct EconomyTerms {
    /// Nominal GDP in the base year.
    pub gdp: f64,
    /// Real GDP growth per year.
    pub gdp_growth: f64,
}

/// The path's terms of the fund's co-investment, when the deal invests.
#[derive(Clone, Copy, Debug)]
pub struct InvestingTerms {
    /// Largest share of a project's equity the fund offers.
    pub equity_cap: f64,
    /// Cash the fund keeps, real.
    pub reserve: f64,
    /// The fund's real hurdle.
    pub rate: f64,
}

impl InvestingTerms {
    /// The path's draws of the deal's investment rule, if it invests.
    pub fn draw<R: Randomness>(deal: &Deal, r: &R) -> Option<InvestingTerms> {
        deal.investing.as_ref().map(|inv| InvestingTerms {
            equity_cap: inv.equity_cap.at(r).clamp(0.0, 1.0),
            reserve: inv.reserve.at(r).max(0.0),
            rate: inv.rate.at(r),
        })
    }
}

/// Everything a path draws once.
#[derive(Clone, Copy, Debug)]
pub struct PathTerms {
    /// Yearly US inflation (on an inflation path, the mean investors expect: see
    /// [`crate::series::mean_inflation`]).
    pub inflation: f64,
    /// Fiscal rates.
    pub tax: Tax,
    /// Real rate of the NPVs subsoil reports.
    pub valuation: f64,
    /// Base real hurdle of private investors.
    pub investor_base: f64,
    /// Country-risk premiums.
    pub crp: CountryRisk,
    /// Stages before a decision.
    pub stages: StageTerms,
    /// Leakage.
    pub leakage: LeakageTerms,
    /// War damage.
    pub damage: WarDamage,
    /// The fund's co-investment, if the deal invests.
    pub investing: Option<InvestingTerms>,
    /// The economy.
    pub economy: EconomyTerms,
}

impl PathTerms {
    /// The path's draws.
    pub fn draw<R: Randomness>(model: &Model, r: &R) -> PathTerms {
        let rates = &model.rates;
        let conflict = &model.conflict;
        PathTerms {
            inflation: match &model.inflation_path {
                None => model.macro_.inflation.at(r),
                Some(path) => {
                    let (t, scale) = (model.time, model.macro_.inflation.at(r));
                    crate::series::mean_inflation(path, scale, t.start_year, t.end_year())
                }
            },
            tax: Tax {
                cit_rate: model.fiscal.cit_rate.at(r),
                depreciation_years: model.fiscal.depreciation_years,
            },
            valuation: rates.valuation.at(r),
            investor_base: rates.investor_base.at(r),
            crp: CountryRisk {
                war: rates.crp_war.at(r),
                postwar: rates.crp_postwar.at(r),
                peace: rates.crp_peace.at(r),
                postwar_years: rates.postwar_years,
            },
            stages: StageTerms::draw(model, r),
            leakage: LeakageTerms {
                receipts: model.leakage.receipts.at(r).clamp(0.0, 1.0),
                capex_excess: model.leakage.capex_excess.at(r).max(0.0),
            },
            damage: WarDamage {
                exposed: yearly_probability(conflict.damage_exposed.at(r)),
                other: yearly_probability(conflict.damage_other.at(r)),
                repair: conflict.damage_repair.at(r),
            },
            investing: InvestingTerms::draw(&model.deal, r),
            economy: EconomyTerms {
                gdp: model.macro_.gdp.at(r),
                gdp_growth: model.macro_.gdp_real_growth.at(r),
            },
        }
    }

    /// Private investors' real hurdle in a year with `years_of_peace` since the latest ceasefire
    /// (`u32::MAX` at war): the base hurdle plus the country-risk premium.
    #[inline]
    pub fn private_hurdle(&self, years_of_peace: u32) -> f64 {
        self.investor_base + self.crp.premium(years_of_peace)
    }

    /// The nominal rate of a real rate on this path.
    #[inline]
    pub fn nominal(&self, real: f64) -> f64 {
        (1.0 + real) * (1.0 + self.inflation) - 1.0
    }
}
