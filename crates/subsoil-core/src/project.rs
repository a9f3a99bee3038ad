//! One project's economics year by year: construction, production, costs, royalty, PSA split, tax and
//! closure, in nominal dollars. The same code runs a project on a path and values it for an investment
//! decision (with the plan's figures and the prices expected that year), so the two cannot drift apart.

use crate::tax::TaxBook;

/// Most products one project may have (lowering enforces it).
pub const MAX_PRODUCTS: usize = 8;

/// Most construction years a capex phasing may list (lowering enforces it).
pub const MAX_PHASES: usize = 12;

/// How the initial capex is spread over the construction years: evenly, or by the cumulative shares of
/// a phasing of `n` planned years (`cumulative[i]` is the share spent by the end of planned year `i`,
/// `cumulative[0] = 0`, `cumulative[n] = 1`). A build of `b` years spends in its year `k` the rise of the
/// piecewise-linear cumulative profile from `k / b` to `(k + 1) / b` of the schedule, so a build as
/// planned spends exactly the shares given and a longer or shorter one the same profile stretched.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Phasing {
    /// Number of planned years phased; 0 means evenly.
    pub n: usize,
    /// Cumulative shares, the first `n + 1` used.
    pub cumulative: [f64; MAX_PHASES + 1],
}

impl Phasing {
    /// The phasing of `shares` (each year's share, summing to 1); evenly when empty.
    pub fn of(shares: &[f64]) -> Phasing {
        let mut p = Phasing { n: shares.len().min(MAX_PHASES), ..Phasing::default() };
        for (i, share) in shares.iter().take(p.n).enumerate() {
            p.cumulative[i + 1] = p.cumulative[i] + share;
        }
        p
    }

    /// The share of the capex spent in year `k` of a build of `years` years (at least 1).
    #[inline]
    pub fn share(&self, k: u32, years: u32) -> f64 {
        let years = years.max(1);
        if self.n == 0 {
            return 1.0 / years as f64;
        }
        self.reached((k + 1) as f64 / years as f64) - self.reached(k as f64 / years as f64)
    }

    /// The cumulative share at fraction `x` (0–1) of the schedule.
    fn reached(&self, x: f64) -> f64 {
        let pos = (x * self.n as f64).clamp(0.0, self.n as f64);
        let i = (pos.floor() as usize).min(self.n - 1);
        let frac = pos - i as f64;
        self.cumulative[i] + (self.cumulative[i + 1] - self.cumulative[i]) * frac
    }
}

/// A year's cash flows of one project, nominal USD.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Flows {
    /// Sales: production × price.
    pub revenue: f64,
    /// Cash operating cost.
    pub opex: f64,
    /// Royalty (subsoil rent) paid to the state.
    pub royalty: f64,
    /// PSA cost recovery (a split of revenue, not a payment).
    pub cost_recovery: f64,
    /// PSA state share of profit production, paid to the state.
    pub state_share: f64,
    /// Corporate income tax paid to the state.
    pub cit: f64,
    /// Initial capex spent this year.
    pub capex: f64,
    /// Sustaining capex.
    pub sustaining: f64,
    /// Closure cost.
    pub closure: f64,
    /// Licence fee paid to the state for a licence awarded this year.
    pub licence_fee: f64,
    /// Tax depreciation claimed this year.
    pub depreciation: f64,
    /// Output of each of the plan's products (in the plan's product order).
    pub quantity: [f64; MAX_PRODUCTS],
}

impl Flows {
    /// The investor's free cash flow.
    #[inline]
    pub fn fcf(&self) -> f64 {
        self.revenue
            - self.opex
            - self.royalty
            - self.state_share
            - self.cit
            - self.capex
            - self.sustaining
            - self.closure
            - self.licence_fee
    }

    /// Everything paid to the state.
    #[inline]
    pub fn state_take(&self) -> f64 {
        self.royalty + self.state_share + self.cit + self.licence_fee
    }
}

/// Output profile, realised on a path.
#[derive(Clone, Copy, Debug)]
pub enum Shape {
    /// Ramp from `start` to 1 over `years`, then plateau.
    Ramp {
        /// Ramp-up years.
        years: u32,
        /// First-year share of capacity.
        start: f64,
    },
    /// (1 − rate)^age.
    Decline {
        /// Yearly decline.
        rate: f64,
    },
}

impl Shape {
    /// Share of capacity produced in production year `age` (0 = first).
    #[inline]
    pub fn factor(&self, age: u32) -> f64 {
        match *self {
            Shape::Ramp { years, start } => {
                if age >= years {
                    1.0
                } else {
                    start + (1.0 - start) * age as f64 / years as f64
                }
            }
            Shape::Decline { rate } => (1.0 - rate).powi(age as i32),
        }
    }
}

/// A value by production year realised on a path: production year `age` (0 the first) takes
/// `values[age]`, and every year after those given takes `after`. A constant is a table of no values.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AgeTable {
    /// Values of the first production years.
    pub values: Vec<f64>,
    /// Value after them.
    pub after: f64,
}

impl AgeTable {
    /// The value in production year `age`.
    #[inline]
    pub fn at(&self, age: u32) -> f64 {
        self.values.get(age as usize).copied().unwrap_or(self.after)
    }
}

/// A plan product's output and unit operating cost by production year, where the scenario gives either
/// by production year (`by-production-year`); a constant one is a table of no values.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ByAge {
    /// Output per year.
    pub capacity: AgeTable,
    /// Opex per unit, real.
    pub opex: AgeTable,
}

/// A project's figures realised on one path, real base-year USD (escalated when spent).
#[derive(Clone, Debug)]
pub struct Plan {
    /// Years of construction. With 0, the capex is spent in the first year, which also produces.
    pub build_years: u32,
    /// Years of production, counting a partial last year as one.
    pub life: u32,
    /// Share of a full year produced in the last production year (1 when the life is whole years).
    pub last_year_share: f64,
    /// Initial capex.
    pub capex: f64,
    /// Sustaining capex per production year.
    pub sustaining: f64,
    /// Closure cost.
    pub closure: f64,
    /// Number of products used in `products`.
    pub n: usize,
    /// The products, the first `n` used (see [`Plan::products`]).
    pub products: [PlanProduct; MAX_PRODUCTS],
    /// Output profile.
    pub shape: Shape,
    /// PSA terms, or `None` under the royalty regime.
    pub psa: Option<PsaTerms>,
    /// How the capex is spread over the construction years.
    pub phasing: Phasing,
    /// Output and unit costs by production year, one per product in plan order; empty when every
    /// product's are constant (then `PlanProduct::capacity` and `opex` hold every year).
    pub by_age: Vec<ByAge>,
    /// `shape.factor(age)` for the first production years, each computed by it (so to the same bits),
    /// read instead of computing it again each year; empty when not written (a ramp, or a plan only
    /// valued). Written by [`Plan::tabulate_shape`].
    pub shape_table: Vec<f64>,
}

/// A production-sharing agreement's terms realised on a path.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PsaTerms {
    /// Cost recovery per year at most this share of revenue after royalty.
    pub cost_recovery_limit: f64,
    /// State share of profit production.
    pub state_share: f64,
}

/// One product of a [`Plan`].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PlanProduct {
    /// Model product index.
    pub product: usize,
    /// Output per year at full capacity (after the path's production factor).
    pub capacity: f64,
    /// Opex per unit, real.
    pub opex: f64,
    /// Royalty rate.
    pub royalty: f64,
    /// Share of the output paid for.
    pub payable: f64,
    /// Selling costs per unit of output, real.
    pub selling: f64,
    /// Whether the royalty is on the net smelter return rather than the gross value.
    pub royalty_on_nsr: bool,
}

impl Plan {
    /// The plan's products, in order (their outputs are [`Flows::quantity`] in the same order).
    #[inline]
    pub fn products(&self) -> &[PlanProduct] {
        &self.products[..self.n]
    }

    /// Makes this plan equal to `other`, writing only the products either uses: a plan's products past
    /// its `n` hold [`PlanProduct::default`] (a realised plan writes them so, and rates are written only
    /// for the products used), so those of both past their `n` are equal already. Cheaper than a clone
    /// when a plan has fewer than [`MAX_PRODUCTS`] products.
    pub fn copy_from(&mut self, other: &Plan) {
        // Every field named, so that a new one cannot be forgotten here.
        let Plan {
            build_years,
            life,
            last_year_share,
            capex,
            sustaining,
            closure,
            n,
            products,
            shape,
            psa,
            phasing,
            by_age,
            shape_table,
        } = other;
        let used = self.n.max(*n);
        self.products[..used].copy_from_slice(&products[..used]);
        self.build_years = *build_years;
        self.life = *life;
        self.last_year_share = *last_year_share;
        self.capex = *capex;
        self.sustaining = *sustaining;
        self.closure = *closure;
        self.n = *n;
        self.shape = *shape;
        self.psa = *psa;
        self.phasing = *phasing;
        self.by_age.clone_from(by_age);
        self.shape_table.clone_from(shape_table);
    }

    /// Writes [`Plan::shape_table`] for production years `0..ages` when the output declines (a power
    /// of the yearly rate, the costly shape), and empties it otherwise. Call it after any change of
    /// `shape`.
    pub fn tabulate_shape(&mut self, ages: u32) {
        self.shape_table.clear();
        if let Shape::Decline { .. } = self.shape {
            let shape = self.shape;
            self.shape_table.extend((0..ages).map(|age| shape.factor(age)));
        }
    }

    /// The share of capacity produced in production year `age`: [`Shape::factor`], read from
    /// [`Plan::shape_table`] where it holds the year.
    #[inline]
    pub fn shape_factor(&self, age: u32) -> f64 {
        match self.shape_table.get(age as usize) {
            Some(&f) => f,
            None => self.shape.factor(age),
        }
    }
}

/// Where a project is in its physical life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Not started (before an investment decision).
    Idle,
    /// Construction years left.
    Building(u32),
    /// Producing: years produced so far and years left.
    Producing {
        /// Production years completed.
        age: u32,
        /// Production years left.
        left: u32,
    },
    /// Production ended: closure is spent this year.
    Closing,
    /// Closed.
    Done,
}

/// The physical and tax state of a project.
#[derive(Clone, Copy, Debug)]
pub struct Ops {
    /// Physical phase.
    pub phase: Phase,
    /// Tax books.
    pub tax: TaxBook,
}

/// Fiscal rates realised on a path.
#[derive(Clone, Copy, Debug)]
pub struct Tax {
    /// Corporate income tax rate.
    pub cit_rate: f64,
    /// Straight-line depreciation years.
    pub depreciation_years: u32,
}

impl Ops {
    /// A project before its investment decision.
    pub fn idle() -> Ops {
        Ops { phase: Phase::Idle, tax: TaxBook::default() }
    }

    /// Back to [`Ops::idle`] in place.
    pub fn reset(&mut self) {
        self.phase = Phase::Idle;
        self.tax.reset();
    }

    /// Starts construction. A plan of zero construction years builds and starts producing in its first
    /// year.
    pub fn start_building(&mut self, plan: &Plan) {
        self.phase = Phase::Building(plan.build_years);
    }

    /// Runs one year. `price(k)` is the nominal price of model product `k`; `index` the price index of
    /// the year (nominal = real × index); `can_operate` is false where war or occupation stops work, in
    /// which case nothing is built or produced and no production year is used up.
    #[inline]
    pub fn year<P: Fn(usize) -> f64>(
        &mut self,
        plan: &Plan,
        price: P,
        index: f64,
        tax: Tax,
        can_operate: bool,
    ) -> Flows {
        let mut f = Flows::default();
        self.year_into(plan, price, index, tax, can_operate, &mut f);
        f
    }

    /// [`Ops::year`] written into `f` (whatever it held), which spares the copy of the year's flows on
    /// the path's hot loop.
    #[inline]
    pub fn year_into<P: Fn(usize) -> f64>(
        &mut self,
        plan: &Plan,
        price: P,
        index: f64,
        tax: Tax,
        can_operate: bool,
        f: &mut Flows,
    ) {
        *f = Flows::default();
        if let Phase::Producing { left: 0, .. } = self.phase {
            // Production is over: this is the closing year.
            self.phase = Phase::Closing;
        }
        match self.phase {
            Phase::Idle | Phase::Done => {}
            Phase::Building(left) => {
                if can_operate {
                    f.capex = if plan.phasing.n == 0 {
                        plan.capex * index / plan.build_years.max(1) as f64
                    } else {
                        let k = plan.build_years.saturating_sub(left.max(1));
                        plan.capex * index * plan.phasing.share(k, plan.build_years)
                    };
                    self.tax.capitalised += f.capex;
                    if left == 0 {
                        // Built within the year: it produces this year too.
                        if plan.life == 0 {
                            self.phase = Phase::Closing;
                        } else {
                            self.produce(plan, &price, index, tax, 0, plan.life, f);
                        }
                    } else if left == 1 {
                        self.phase = Phase::Producing { age: 0, left: plan.life };
                    } else {
                        self.phase = Phase::Building(left - 1);
                    }
                }
            }
            Phase::Producing { age, left } => {
                if can_operate {
                    self.produce(plan, &price, index, tax, age, left, f);
                }
            }
            Phase::Closing => {
                // Closure is paid where work is possible; an operator cut off from its site pays nothing.
                if can_operate {
                    f.closure = plan.closure * index;
                    self.phase = Phase::Done;
                }
            }
        }
        self.settle_taxes(plan, tax, f);
    }

    /// A production year with `left` years of production left (this one included), `age` done.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn produce<P: Fn(usize) -> f64>(
        &mut self,
        plan: &Plan,
        price: &P,
        index: f64,
        tax: Tax,
        age: u32,
        left: u32,
        f: &mut Flows,
    ) {
        if age == 0 {
            self.tax.start_depreciating_capitalised(tax.depreciation_years);
        }
        // The last year of a life that is not whole years is a partial year.
        let part = if left == 1 { plan.last_year_share } else { 1.0 };
        let share = plan.shape_factor(age) * part;
        let scheduled = !plan.by_age.is_empty();
        for (k, (pp, quantity)) in plan.products().iter().zip(&mut f.quantity).enumerate() {
            let (capacity, opex) = if scheduled {
                let b = &plan.by_age[k];
                (b.capacity.at(age), b.opex.at(age))
            } else {
                (pp.capacity, pp.opex)
            };
            let q = capacity * share;
            *quantity = q;
            // Gross value of the output, and what the mine is paid for it: the payable share less
            // treatment, refining and freight (the net smelter return; the gross value when sold as is).
            let gross = q * price(pp.product);
            let sales = gross * pp.payable - q * pp.selling * index;
            f.revenue += sales;
            let base = if pp.royalty_on_nsr { sales.max(0.0) } else { gross };
            f.royalty += base * pp.royalty;
            f.opex += q * opex * index;
        }
        f.sustaining = plan.sustaining * index * part;
        self.tax.depreciate(f.sustaining, tax.depreciation_years);
        self.phase = if left <= 1 {
            Phase::Closing
        } else {
            Phase::Producing { age: age + 1, left: left - 1 }
        };
    }

    /// PSA split and corporate income tax for the year's flows; advances the depreciation schedule.
    fn settle_taxes(&mut self, plan: &Plan, tax: Tax, f: &mut Flows) {
        if let Some(PsaTerms { cost_recovery_limit: limit, state_share: share }) = plan.psa {
            let costs = f.capex + f.opex + f.sustaining + f.closure;
            let (recovery, state) = self.tax.psa(f.revenue - f.royalty, costs, limit, share);
            f.cost_recovery = recovery;
            f.state_share = state;
        }
        f.depreciation = self.tax.take_year_depreciation();
        let profit = f.revenue - f.royalty - f.state_share - f.opex - f.depreciation - f.closure;
        f.cit = self.tax.cit(profit, tax.cit_rate);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        Plan {
            build_years: 2,
            life: 3,
            last_year_share: 1.0,
            capex: 100.0,
            sustaining: 0.0,
            closure: 10.0,
            n: 1,
            products: [PlanProduct {
                product: 0,
                capacity: 10.0,
                opex: 2.0,
                royalty: 0.1,
                payable: 1.0,
                selling: 0.0,
                royalty_on_nsr: false,
            }; MAX_PRODUCTS],
            shape: Shape::Ramp { years: 0, start: 1.0 },
            psa: None,
            phasing: Phasing::default(),
            by_age: Vec::new(),
            shape_table: Vec::new(),
        }
    }

    #[test]
    fn phased_capex_is_spent_by_its_shares_and_stretched_over_a_longer_build() {
        let mut p = plan();
        p.phasing = Phasing::of(&[0.2, 0.8]);
        let tax = Tax { cit_rate: 0.0, depreciation_years: 5 };
        let mut ops = Ops::idle();
        ops.start_building(&p);
        let capex: Vec<f64> = (0..3).map(|_| ops.year(&p, |_| 5.0, 1.0, tax, true).capex).collect();
        assert_eq!(capex, [20.0, 80.0, 0.0]);
        // Four years instead of two: cumulative 0, 0.1, 0.2, 0.6, 1.0 at quarters of the schedule.
        let shares: Vec<f64> = (0..4).map(|k| p.phasing.share(k, 4)).collect();
        for (got, want) in shares.iter().zip([0.1, 0.1, 0.4, 0.4]) {
            assert!((got - want).abs() < 1e-12, "{shares:?}");
        }
        // A zero-year build spends all of it in its one year.
        assert!((p.phasing.share(0, 0) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_copied_plan_equals_the_original() {
        // Into a plan with more products (the third left at its default past the copy's n) and back.
        let mut two = plan();
        two.n = 2;
        two.products[1].capacity = 7.0;
        for pp in &mut two.products[2..] {
            *pp = PlanProduct::default();
        }
        let mut three = two.clone();
        three.n = 3;
        three.products[2].capacity = 3.0;
        three.capex = 1.0;
        three.by_age = vec![ByAge::default(); 3];
        three.copy_from(&two);
        assert_eq!(format!("{three:?}"), format!("{two:?}"));
        let mut one = plan();
        one.n = 1;
        for pp in &mut one.products[1..] {
            *pp = PlanProduct::default();
        }
        three.copy_from(&one);
        assert_eq!(format!("{three:?}"), format!("{one:?}"));
    }

    /// The fact production relies on when it reads a declining plan's table: every year of the plan's
    /// life, with the table written for only some of them, has the same flows to the bit as without it.
    #[test]
    fn a_tabulated_shape_gives_the_flows_of_the_computed_one() {
        let tax = Tax { cit_rate: 0.18, depreciation_years: 5 };
        for (rate, ages) in [(0.15, 30), (0.073, 7), (0.5, 0), (1e-9, 3)] {
            let mut p = plan();
            p.life = 25;
            p.shape = Shape::Decline { rate };
            let mut tabulated = p.clone();
            tabulated.tabulate_shape(ages);
            assert_eq!(tabulated.shape_table.len(), ages as usize);
            let (mut a, mut b) = (Ops::idle(), Ops::idle());
            a.start_building(&p);
            b.start_building(&tabulated);
            for year in 0..30 {
                let price = |_| 5.0 + year as f64;
                let want = a.year(&p, price, 1.1, tax, true);
                let got = b.year(&tabulated, price, 1.1, tax, true);
                assert_eq!(format!("{got:?}"), format!("{want:?}"), "rate {rate}, year {year}");
            }
        }
        // A ramp has no table.
        let mut p = plan();
        p.tabulate_shape(10);
        assert!(p.shape_table.is_empty());
    }

    #[test]
    fn ramp_rises_linearly_to_full_output() {
        let s = Shape::Ramp { years: 3, start: 0.4 };
        let f: Vec<f64> = (0..5).map(|a| s.factor(a)).collect();
        for (got, want) in f.iter().zip([0.4, 0.6, 0.8, 1.0, 1.0]) {
            assert!((got - want).abs() < 1e-12);
        }
        assert!((Shape::Decline { rate: 0.1 }.factor(2) - 0.81).abs() < 1e-12);
    }

    #[test]
    fn a_project_builds_produces_and_closes_in_order() {
        let p = plan();
        let tax = Tax { cit_rate: 0.0, depreciation_years: 5 };
        let mut ops = Ops::idle();
        ops.start_building(&p);
        let years: Vec<Flows> = (0..7).map(|_| ops.year(&p, |_| 5.0, 1.0, tax, true)).collect();
        assert_eq!(years[0].capex, 50.0);
        assert_eq!(years[1].capex, 50.0);
        for y in &years[2..5] {
            assert_eq!(y.revenue, 50.0);
            assert_eq!(y.royalty, 5.0);
            assert_eq!(y.opex, 20.0);
        }
        assert_eq!(years[5].closure, 10.0);
        // After closure nothing is paid; the last of five years of depreciation of the capex is still
        // claimed (a loss with nothing to offset).
        assert_eq!(years[6].fcf(), 0.0);
        assert_eq!(years[6].depreciation, 20.0);
        assert_eq!(ops.phase, Phase::Done);
    }

    #[test]
    fn a_halted_year_uses_up_no_production() {
        let p = plan();
        let tax = Tax { cit_rate: 0.0, depreciation_years: 5 };
        let mut ops = Ops::idle();
        ops.start_building(&p);
        ops.year(&p, |_| 5.0, 1.0, tax, true);
        let halted = ops.year(&p, |_| 5.0, 1.0, tax, false);
        assert_eq!(halted.capex, 0.0);
        assert_eq!(ops.phase, Phase::Building(1));
    }
}
