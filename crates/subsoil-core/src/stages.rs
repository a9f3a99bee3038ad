//! A project's state on a path and the stage machine before its investment decision: time in a stage
//! passes only where work is possible, licensing is slower during war, and a project may be abandoned at
//! the end of each stage.

use crate::conflict::ConflictPath;
use crate::model::{Control, Date, DecisionRule, Model, Profile, Project, Regime, Stage};
use crate::param::{Randomness, happens};
use crate::project::{
    AgeTable, ByAge, MAX_PRODUCTS, Ops, Phase, Phasing, Plan, PlanProduct, PsaTerms, Shape,
};
use crate::series::{Outside, Series};
use crate::streams;
use crate::valuation::PlanFlows;
use crate::year::PathYear;

/// A project's state on a path.
#[derive(Clone, Debug)]
pub struct ProjectState {
    /// Current stage.
    pub stage: Stage,
    /// Years left in a pre-decision stage (at peacetime speed).
    pub stage_left: f64,
    /// Whether it holds a licence.
    pub licensed: bool,
    /// Whether its receipts count as new.
    pub new: bool,
    /// Whether it was abandoned at the end of a stage.
    pub abandoned: bool,
    /// Whether it has been ready for a decision on the path.
    pub reached_ready: bool,
    /// Year index it became ready.
    pub ready_since: u32,
    /// Whether the investment decision was taken on the path.
    pub built_in_path: bool,
    /// Physical phase and tax books.
    pub ops: Ops,
    /// The figures as they turn out on the path.
    pub actual: Plan,
    /// The figures an investor decides on.
    pub planned: Plan,
    /// Capex beyond ordinary overruns (leakage), as a share of the actual capex.
    pub capex_excess: f64,
    /// The last valuation that found the project not worth building.
    pub last_no: Option<NotWorthBuilding>,
    /// The fiscal regime's factor for which operations last wrote the actual plan's royalty rates
    /// (`crate::rent::set_rates`), NaN until it does. Rates not given by year are a function of the
    /// factor alone on a path, so operations writes them again only when the factor changes.
    pub rates_factor: f64,
}

/// A valuation that found a project not worth building: the real rate and the observed log prices of its
/// products (in plan order) then.
#[derive(Clone, Copy, Debug)]
pub struct NotWorthBuilding {
    /// The real hurdle of the valuation.
    pub rate: f64,
    /// Observed log prices of the plan's products.
    pub observed: [f64; MAX_PRODUCTS],
}

/// What a project's year holds for the phases after the stages: the licence fee due, and (after
/// operations) its free cash flow, nominal. Its output is kept apart ([`PathProjects::outputs`]), read
/// only by a deal that needs it: the fund's yearly pass over the projects reads these two numbers.
#[derive(Clone, Copy, Debug, Default)]
pub struct ProjectYear {
    /// Licence fee due for a licence awarded this year (operations takes it and leaves 0).
    pub fee: f64,
    /// The year's free cash flow to its owners.
    pub fcf: f64,
}

/// A set of project indexes, iterated in increasing order (the model's order, which every sum over
/// projects follows).
#[derive(Clone, Debug, Default)]
pub struct ProjectSet {
    words: Vec<u64>,
}

impl ProjectSet {
    /// The empty set with room for `n` projects.
    pub fn clear(&mut self, n: usize) {
        self.words.clear();
        self.words.resize(n.div_ceil(64), 0);
    }

    /// Adds project `i`.
    #[inline]
    pub fn insert(&mut self, i: usize) {
        self.words[i / 64] |= 1 << (i % 64);
    }

    /// Removes project `i`.
    #[inline]
    pub fn remove(&mut self, i: usize) {
        self.words[i / 64] &= !(1 << (i % 64));
    }

    /// Whether the set has no project.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|&w| w == 0)
    }

    /// Whether project `i` is in the set.
    #[inline]
    pub fn contains(&self, i: usize) -> bool {
        self.words[i / 64] & (1 << (i % 64)) != 0
    }

    /// The first project in the set at or after `from`, if any: `while let Some(i) = s.next_from(from)`
    /// visits the set in order while the loop adds and removes projects at or before `i`.
    #[inline]
    pub fn next_from(&self, from: usize) -> Option<usize> {
        let mut w = from / 64;
        let mut bits = *self.words.get(w)? & (u64::MAX << (from % 64));
        loop {
            if bits != 0 {
                return Some(w * 64 + bits.trailing_zeros() as usize);
            }
            w += 1;
            bits = *self.words.get(w)?;
        }
    }

    /// A cursor at the start of the set, for [`ProjectSet::next`].
    #[inline]
    pub fn cursor(&self) -> Cursor {
        Cursor { word: 0, bits: self.words.first().copied().unwrap_or(0) }
    }

    /// The set's next project after those `cursor` gave, in increasing order: what
    /// [`ProjectSet::next_from`] would give after the last one, provided the loop removes only the
    /// project it visits and adds none to this set (the cursor keeps the rest of the 64 projects it
    /// read last, so one added or removed there later is not seen). Cheaper than `next_from`: it does not
    /// look the word up again for each project.
    #[inline]
    pub fn next(&self, cursor: &mut Cursor) -> Option<usize> {
        loop {
            if cursor.bits != 0 {
                let at = cursor.bits.trailing_zeros() as usize;
                cursor.bits &= cursor.bits - 1;
                return Some(cursor.word * 64 + at);
            }
            cursor.word += 1;
            cursor.bits = *self.words.get(cursor.word)?;
        }
    }
}

/// A position in a [`ProjectSet`] visited with [`ProjectSet::next`]: the word of 64 projects it reads
/// and those of that word it has not given yet.
#[derive(Clone, Copy, Debug)]
pub struct Cursor {
    word: usize,
    bits: u64,
}

/// The projects of a path: each one's state, each one's current year as the phases pass it on, and the
/// year's candidates for an investment decision.
#[derive(Clone, Debug, Default)]
pub struct PathProjects {
    /// By project, in model order.
    pub states: Vec<ProjectState>,
    /// By project, in model order.
    pub years: Vec<ProjectYear>,
    /// By project, the year's output of each of its plan's products, written by operations when the
    /// deal needs it ([`crate::deal::Deal::uses_output`]); empty otherwise.
    pub outputs: Vec<[f64; MAX_PRODUCTS]>,
    /// Projects ready for a decision this year and workable, in the order decisions are taken.
    pub candidates: Vec<Candidate>,
    /// By project, the price-independent flows of its planned figures, built at its first valuation on
    /// the path.
    pub plan_flows: Vec<PlanFlows>,
    /// The projects the stages phase visits: those in a stage before the investment decision or ready
    /// for it. Every other project is building, producing or closed, and its stages never move again.
    pub staging: ProjectSet,
    /// The projects the operations phase visits when it may skip quiet ones (see `operations_year`): a
    /// superset of those building, producing or closing, owing a fee, or idle with something in their
    /// tax books (a closed project's books no longer count). A project leaves it in a year it is found
    /// quiet; it joins when it is built, owes a fee, or at the start of a path.
    pub busy: ProjectSet,
    /// By licensing flow: the projects of its pool developed so far on the path.
    pub flow_used: Vec<u32>,
    /// By licensing flow: the project of its pool whose plan flows were built first on the path. The
    /// projects of a pool share every figure of their plans (lowering copies one template), so their
    /// planned plans, and so their plan flows, are the same on a path: the others read these.
    pub pool_flows: Vec<Option<usize>>,
    /// By licensing flow: the last full valuation of a project of its pool (its year, hurdle and NPV,
    /// `None` when surely below zero). Its twins valued in the same year at the same hurdle find the
    /// same (same plan, flows, market and expectations), so they read it instead.
    pub pool_valued: Vec<Option<PoolValued>>,
    /// By licensing flow: the last valuation of a project of its pool that ordered the year's
    /// candidates (its year, nominal rate and NPV), read in the same way by its twins.
    pub pool_ordered: Vec<Option<PoolValued>>,
}

/// A valuation of a project of a licensing flow's pool (see [`PathProjects::pool_valued`] and
/// [`PathProjects::pool_ordered`]).
#[derive(Clone, Copy, Debug)]
pub struct PoolValued {
    /// Year index of the valuation.
    pub t: u32,
    /// The rate valued at, as bits: the real hurdle in [`PathProjects::pool_valued`], the nominal rate
    /// in [`PathProjects::pool_ordered`].
    pub rate: u64,
    /// The NPV found, `None` when surely below zero.
    pub npv: Option<f64>,
}

/// The projects live on a path whose licensing flows have developed `used` projects each: the
/// scenario's own, then each flow's fee project and the projects of its pool developed so far. The
/// rest of each pool is parked (closed, with nothing to do).
pub fn live(model: &Model, used: &[u32]) -> impl Iterator<Item = usize> {
    live_ranges(model, used).flatten()
}

/// [`live`] as ranges of consecutive projects, in model order: the scenario's own, then per flow its fee
/// project and the projects of its pool developed so far (a flow's pool follows its fee project).
pub fn live_ranges(model: &Model, used: &[u32]) -> impl Iterator<Item = std::ops::Range<usize>> {
    let flows = model.flows.iter().zip(used.iter().copied());
    std::iter::once(0..model.listed_projects())
        .chain(flows.map(|(f, u)| f.fees_project..f.pool + u as usize))
}

impl PathProjects {
    /// Room for `n` projects.
    pub fn new(n: usize) -> PathProjects {
        PathProjects {
            states: Vec::with_capacity(n),
            years: vec![ProjectYear::default(); n],
            outputs: Vec::new(),
            candidates: Vec::with_capacity(n),
            plan_flows: vec![PlanFlows::default(); n],
            staging: ProjectSet::default(),
            busy: ProjectSet::default(),
            flow_used: Vec::new(),
            pool_flows: Vec::new(),
            pool_valued: Vec::new(),
            pool_ordered: Vec::new(),
        }
    }

    /// Every project at the start of a path; `capex_excess` is the path's capex lost beyond ordinary
    /// overruns, as a fraction of capex.
    pub fn start<R: Randomness>(&mut self, model: &Model, r: &R, capex_excess: f64) {
        let n = model.projects.len();
        let in_place = self.states.len() == n
            && self.years.len() == n
            && self.plan_flows.len() == n
            && self.outputs.len() == if model.deal.uses_output() { n } else { 0 }
            && self.flow_used.len() == model.flows.len();
        if in_place {
            // Restarted in place: a state is large (two plans and a tax book), and moving one in costs
            // more than writing it. The projects of the licensing flows' pools start when a permit is
            // developed; those the last path developed are parked again. Only the projects live on the
            // last path can have left anything in their year or their plan's flows: the rest of each
            // pool stayed parked, as it was parked at the start of that path.
            let listed = model.listed_projects();
            for (st, p) in self.states[..listed].iter_mut().zip(&model.projects[..listed]) {
                st.restart(model, p, r, capex_excess);
            }
            for (f, &u) in model.flows.iter().zip(&self.flow_used) {
                let fees = f.fees_project;
                self.states[fees].restart(model, &model.projects[fees], r, capex_excess);
                for st in &mut self.states[f.pool..f.pool + u as usize] {
                    st.park();
                }
            }
            for i in live(model, &self.flow_used) {
                self.years[i] = ProjectYear::default();
                if let Some(o) = self.outputs.get_mut(i) {
                    *o = [0.0; MAX_PRODUCTS];
                }
                self.plan_flows[i].clear();
            }
        } else {
            self.states.clear();
            for p in &model.projects {
                self.states.push(ProjectState::start(model, p, r, capex_excess));
            }
            for f in &model.flows {
                for st in &mut self.states[f.pool..f.pool + f.pool_size] {
                    st.park();
                }
            }
            self.years.clear();
            self.years.resize(n, ProjectYear::default());
            self.outputs.clear();
            if model.deal.uses_output() {
                self.outputs.resize(n, [0.0; MAX_PRODUCTS]);
            }
            self.plan_flows.resize_with(n, PlanFlows::default);
            for f in &mut self.plan_flows {
                f.clear();
            }
        }
        self.flow_used.clear();
        self.flow_used.resize(model.flows.len(), 0);
        self.pool_flows.clear();
        self.pool_flows.resize(model.flows.len(), None);
        self.pool_valued.clear();
        self.pool_valued.resize(model.flows.len(), None);
        self.pool_ordered.clear();
        self.pool_ordered.resize(model.flows.len(), None);
        self.candidates.clear();
        self.staging.clear(n);
        self.busy.clear(n);
        // A parked project is closed and quiet: neither staging nor busy.
        for i in live(model, &self.flow_used) {
            let st = &self.states[i];
            if st.stage <= Stage::Ready && !st.abandoned {
                self.staging.insert(i);
            }
        }
        self.refresh_busy(model);
    }

    /// Whether project `i` has something for operations to do: building, producing or closing, or idle
    /// with something in its tax books (a closed project's can offset no profit again).
    fn is_busy(&self, i: usize) -> bool {
        let st = &self.states[i];
        match st.ops.phase {
            Phase::Done => false,
            Phase::Idle => !st.ops.tax.is_quiet(),
            _ => true,
        }
    }

    /// Puts every live project that is not quiet into [`PathProjects::busy`] (after the start of a path
    /// has written into the projects' books). A parked project is closed and quiet.
    pub fn refresh_busy(&mut self, model: &Model) {
        for i in live(model, &self.flow_used) {
            if self.is_busy(i) {
                self.busy.insert(i);
            }
        }
    }

    /// Puts project `i`, just started mid-path (a developed permit), in the sets a project starting the
    /// path would be in: [`PathProjects::staging`] before its decision, [`PathProjects::busy`] when it
    /// is not quiet.
    pub fn enlist(&mut self, i: usize) {
        let st = &self.states[i];
        if st.stage <= Stage::Ready && !st.abandoned {
            self.staging.insert(i);
        }
        if self.is_busy(i) {
            self.busy.insert(i);
        }
    }
}

/// A project ready for a decision this year.
#[derive(Clone, Copy, Debug)]
pub struct Candidate {
    /// Year index it became ready.
    pub ready_since: u32,
    /// Sort key after `ready_since` (minus NPV per dollar of capex when the order matters).
    pub key: f64,
    /// Project index.
    pub project: usize,
    /// Its NPV at the private hurdle this year, when the ordering computed it (the decision at that
    /// same hurdle reads it instead of valuing the plan again).
    pub npv_private: Option<f64>,
    /// Whether the fund may invest in it (set by the ordering, which values only the candidates whose
    /// place among these depends on their NPV).
    pub fund_may: bool,
}

/// The path's terms of the stages before a decision.
#[derive(Clone, Copy, Debug)]
pub struct StageTerms {
    /// Licensing (explored and tender stages) is this many times slower during war (≥ 1).
    pub slowdown: f64,
    /// Probability of abandonment at the end of each pre-decision stage.
    pub abandon: [f64; 4],
    /// Default licence fee (real).
    pub licence_fee: f64,
}

impl StageTerms {
    /// The path's draws of the stage terms.
    pub fn draw<R: Randomness>(model: &Model, r: &R) -> StageTerms {
        StageTerms {
            slowdown: model.stages.war_licensing_slowdown.at(r).max(1.0),
            abandon: std::array::from_fn(|i| model.stages.abandon[i].at(r)),
            licence_fee: model.fiscal.licence_fee.at(r),
        }
    }
}

/// Whether work is possible at a deposit under this control.
pub fn accessible(control: Control, at_war: bool) -> bool {
    match control {
        Control::Operable => true,
        Control::Contested => !at_war,
        Control::Occupied => false,
    }
}

impl ProjectState {
    /// A project's state at the start of a path; `capex_excess` is the path's capex lost beyond ordinary
    /// overruns, as a fraction of capex.
    pub fn start<R: Randomness>(
        model: &Model,
        p: &Project,
        r: &R,
        capex_excess: f64,
    ) -> ProjectState {
        let mut st = ProjectState {
            stage: p.stage,
            stage_left: 0.0,
            licensed: p.licensed,
            new: p.licence_new,
            abandoned: false,
            reached_ready: false,
            ready_since: 0,
            built_in_path: false,
            ops: Ops::idle(),
            actual: realise_plan(model, p, r, true),
            planned: realise_plan(model, p, r, false),
            capex_excess: 0.0,
            last_no: None,
            rates_factor: f64::NAN,
        };
        st.restart(model, p, r, capex_excess);
        st
    }

    /// [`ProjectState::start`] in place, over whatever the state held.
    pub fn restart<R: Randomness>(&mut self, model: &Model, p: &Project, r: &R, capex_excess: f64) {
        realise_plan_into(&mut self.actual, model, p, r, true);
        self.actual.capex *= 1.0 + capex_excess;
        realise_plan_into(&mut self.planned, model, p, r, false);
        self.begin(p, r, capex_excess);
    }

    /// [`ProjectState::restart`] of a project whose plans are those of `twin`, restarted on the same
    /// path: a project of a licensing flow's pool, whose figures are all those of the pool's first
    /// project (lowering copies one template), so its plans would be realised to the same bits.
    pub fn restart_as<R: Randomness>(
        &mut self,
        twin: &ProjectState,
        p: &Project,
        r: &R,
        capex_excess: f64,
    ) {
        self.actual.copy_from(&twin.actual);
        self.planned.copy_from(&twin.planned);
        self.begin(p, r, capex_excess);
    }

    /// The rest of [`ProjectState::restart`], once the plans are written.
    fn begin<R: Randomness>(&mut self, p: &Project, r: &R, capex_excess: f64) {
        let mut stage = p.stage;
        if p.licensed && matches!(stage, Stage::Explored | Stage::Tender) {
            stage = Stage::Licensed;
        }
        self.ops.reset();
        match stage {
            Stage::Construction => self.ops.start_building(&self.actual),
            Stage::Producing => {
                let age = p.start_age.unwrap_or(match self.actual.shape {
                    Shape::Ramp { years, .. } => years,
                    Shape::Decline { .. } => 0,
                });
                self.ops.phase = Phase::Producing { age, left: self.actual.life };
            }
            Stage::Closed => self.ops.phase = Phase::Done,
            _ => {}
        }
        self.stage = stage;
        self.stage_left = stage.pre_decision_index().map_or(0.0, |s| p.stage_durations[s].at(r));
        self.licensed = p.licensed;
        self.new = p.licence_new;
        self.abandoned = false;
        self.reached_ready = false;
        self.ready_since = 0;
        self.built_in_path = false;
        self.capex_excess = capex_excess / (1.0 + capex_excess);
        self.last_no = None;
        // The plans were just written (or copied from a twin): their rates are not the operations' yet.
        self.rates_factor = f64::NAN;
    }

    /// Parks a project of a licensing flow's pool until a permit develops it: closed, with nothing to
    /// do (its plans are written when it starts).
    pub fn park(&mut self) {
        self.ops.reset();
        self.ops.phase = Phase::Done;
        self.stage = Stage::Closed;
        self.abandoned = false;
        self.reached_ready = false;
        self.built_in_path = false;
        self.last_no = None;
    }

    /// Moves the project through the stages before its investment decision in year index `t` and returns
    /// whether a licence was awarded. Time in a stage passes only where work is possible; licensing
    /// (explored and tender stages) is slower during war. At the end of each stage the project may be
    /// abandoned. Several short stages may end in one year. A stage of `d` years that starts at the
    /// beginning of year `t` ends at `t + d`, and the next one starts in the year that contains that
    /// moment: a stage of one year delays what follows by one year, one of 1.5 years by one (the next stage
    /// starts half-way through it).
    pub fn advance_stages<R: Randomness>(
        &mut self,
        p: &Project,
        r: &R,
        t: u32,
        accessible: bool,
        at_war: bool,
        terms: &StageTerms,
    ) -> bool {
        let mut awarded = false;
        if !accessible || self.abandoned {
            return false;
        }
        let mut budget = 1.0f64;
        while let Some(s) = self.stage.pre_decision_index() {
            let speed = if at_war && matches!(self.stage, Stage::Explored | Stage::Tender) {
                1.0 / terms.slowdown
            } else {
                1.0
            };
            // The stage ends `need` into the year; it ends in this year only if that is before the year's
            // end (a stage ending exactly at the end of the year ends in the next one).
            let need = self.stage_left.max(0.0) / speed;
            if need >= budget {
                self.stage_left -= budget * speed;
                break;
            }
            budget -= need;
            if happens(r.uniform(p.event_stream, streams::abandon(s, t)), terms.abandon[s]) {
                self.abandoned = true;
                self.stage = Stage::Closed;
                break;
            }
            self.stage = match self.stage {
                Stage::Identified if self.licensed => Stage::Licensed,
                Stage::Identified => Stage::Explored,
                Stage::Explored | Stage::Tender => {
                    self.licensed = true;
                    awarded = true;
                    Stage::Licensed
                }
                _ => Stage::Ready,
            };
            self.stage_left =
                self.stage.pre_decision_index().map_or(0.0, |n| p.stage_durations[n].at(r));
        }
        awarded
    }
}

/// The year's stages before the investment decision, for the projects in [`PathProjects::staging`]. Each
/// project's stages advance where work is possible; a licence awarded this year is new if on or after the
/// deal's effective date (awards are dated mid-year), and its holder pays the fee. Projects ready for a
/// decision and workable become the year's candidates (with a sort key left at 0).
pub fn stages_year<R: Randomness>(
    model: &Model,
    r: &R,
    terms: &StageTerms,
    y: PathYear,
    conflict: &ConflictPath,
    projects: &mut PathProjects,
) {
    let PathProjects { states, years, candidates, staging, busy, .. } = projects;
    let PathYear { t, year, index, at_war } = y;
    candidates.clear();
    // The loop removes only the project it visits from `staging` and adds none (see `ProjectSet::next`).
    let mut at = staging.cursor();
    // Most years of most paths have no project before production: return before the loop's set-up
    // (the path's random keys, the newness date), which the compiler hoists above the loop.
    let mut next = staging.next(&mut at);
    if next.is_none() {
        return;
    }
    while let Some(i) = next {
        next = staging.next(&mut at);
        let p = &model.projects[i];
        let accessible = accessible(conflict.control(p.deposit, t), at_war);
        let st = &mut states[i];
        if st.advance_stages(p, r, t, accessible, at_war, terms) {
            st.new = Date::new(year, 7, 1) >= model.newness.effective;
            years[i].fee = p.licence_fee.map_or(terms.licence_fee, |f| f.at(r)) * index;
            busy.insert(i);
        }
        if st.stage > Stage::Ready || st.abandoned {
            // Abandoned (closed): no stage moves again.
            staging.remove(i);
            continue;
        }
        if st.stage == Stage::Ready {
            if !st.reached_ready {
                st.reached_ready = true;
                st.ready_since = t;
            }
            if accessible && p.decision != DecisionRule::Never {
                candidates.push(Candidate {
                    ready_since: st.ready_since,
                    key: 0.0,
                    project: i,
                    npv_private: None,
                    fund_may: false,
                });
            }
        }
    }
}

/// The project's figures on this path: `actual` applies the path's overrun, opex, output and schedule
/// draws; otherwise the plan an investor decides on.
fn realise_plan<R: Randomness>(model: &Model, p: &Project, r: &R, actual: bool) -> Plan {
    let mut plan = Plan {
        build_years: 0,
        life: 0,
        last_year_share: 1.0,
        capex: 0.0,
        sustaining: 0.0,
        closure: 0.0,
        n: 0,
        products: [PlanProduct::default(); MAX_PRODUCTS],
        shape: Shape::Ramp { years: 0, start: 1.0 },
        psa: None,
        phasing: Phasing::default(),
        by_age: Vec::new(),
        shape_table: Vec::new(),
    };
    realise_plan_into(&mut plan, model, p, r, actual);
    plan
}

/// [`realise_plan`] written into `plan`.
fn realise_plan_into<R: Randomness>(
    plan: &mut Plan,
    model: &Model,
    p: &Project,
    r: &R,
    actual: bool,
) {
    let (overrun, opex_mult, output, slip) = if actual {
        (
            p.capex_overrun.at(r),
            p.opex_multiplier.at(r),
            p.production_factor.at(r),
            p.schedule_slip.at(r).max(0.0),
        )
    } else {
        (1.0, 1.0, 1.0, 0.0)
    };
    let planned_build = p.construction_years.at(r).round().max(0.0);
    let build_years =
        if planned_build > 0.0 { (planned_build * (1.0 + slip)).round() } else { 0.0 };
    let life = p.life_years.at(r).max(0.0);
    plan.build_years = build_years as u32;
    plan.life = life.ceil() as u32;
    plan.last_year_share = if life > life.floor() { life - life.floor() } else { 1.0 };
    plan.capex = p.capex.at(r) * overrun;
    plan.sustaining = p.sustaining_capex.at(r);
    plan.closure = p.closure_cost.at(r);
    plan.n = p.products.len().min(MAX_PRODUCTS);
    plan.phasing = Phasing::of(&p.capex_phasing);
    plan.shape = match p.profile {
        Profile::RampPlateau { ramp_years, ramp_start } => {
            Shape::Ramp { years: ramp_years, start: ramp_start.at(r) }
        }
        Profile::Decline { rate } => Shape::Decline { rate: rate.at(r) },
    };
    plan.psa = match p.regime {
        Regime::Royalty => None,
        Regime::Psa { cost_recovery_limit, state_share } => Some(PsaTerms {
            cost_recovery_limit: cost_recovery_limit.at(r),
            state_share: state_share.at(r),
        }),
    };
    for (k, (pl, pp)) in
        plan.products.iter_mut().zip(p.products.iter().take(MAX_PRODUCTS)).enumerate()
    {
        *pl = PlanProduct {
            product: pp.product,
            capacity: pp.capacity.at(r) * output,
            opex: pp.opex.at(r) * opex_mult,
            // The rate of the start year; operations set each year's (crate::rent).
            royalty: crate::rent::base_rate(model, r, p, k, model.time.start_year),
            payable: pp.payable.at(r),
            selling: pp.selling_costs.at(r),
            royalty_on_nsr: pp.royalty_on_nsr,
        };
    }
    for pl in plan.products.iter_mut().skip(plan.n) {
        *pl = PlanProduct::default();
    }
    if !p.by_age.is_empty() {
        plan.by_age.resize_with(plan.n, ByAge::default);
        for ((b, pl), pp) in plan.by_age.iter_mut().zip(&plan.products).zip(&p.by_age) {
            by_age_into(&mut b.capacity, pp.capacity.as_ref(), pl.capacity);
            by_age_into(&mut b.opex, pp.opex.as_ref(), pl.opex);
        }
    } else {
        plan.by_age.clear();
    }
    // Operations run the actual plan's every production year (from the start age of a project
    // producing at the start), so its shape is computed once for all of them; a planned plan is
    // valued once a path, and computes it as it goes.
    if actual {
        plan.tabulate_shape(p.start_age.unwrap_or(0) + plan.life);
    } else {
        plan.shape_table.clear();
    }
}

/// `table` as `series` (by production year, 1 the first) times `scale`, or the constant `scale` without a
/// series. Reuses the table's room.
fn by_age_into(table: &mut AgeTable, series: Option<&Series>, scale: f64) {
    table.values.clear();
    let Some(s) = series else {
        table.after = scale;
        return;
    };
    let last = s.last().max(0) as u32;
    table.values.extend((0..last).map(|age| s.at(age as i32 + 1) * scale));
    table.after = match s.outside {
        Outside::Hold => s.values.last().copied().unwrap_or(0.0) * scale,
        Outside::Zero => 0.0,
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The set visits its projects in increasing order across word boundaries, and a loop may remove the
    /// project it visits or add earlier ones without skipping or repeating any later one.
    #[test]
    fn a_project_set_is_visited_in_order_while_it_changes() {
        let mut s = ProjectSet::default();
        s.clear(130);
        for i in [129, 0, 63, 64, 70] {
            s.insert(i);
        }
        let mut seen = Vec::new();
        let mut next = s.next_from(0);
        while let Some(i) = next {
            next = s.next_from(i + 1);
            seen.push(i);
            if i == 63 {
                s.remove(63);
                s.insert(1);
            }
        }
        assert_eq!(seen, vec![0, 63, 64, 70, 129]);
        assert!(s.contains(1) && !s.contains(63));
        assert_eq!(s.next_from(130), None);
        s.clear(0);
        assert_eq!(s.next_from(0), None);
    }

    /// The fact the year's loops rely on when they visit a set with a cursor: removing the visited
    /// project, the cursor gives what `next_from` gives, across words; and it does not see a project
    /// added ahead of it in the word it reads (which is why no such loop adds one).
    #[test]
    fn a_cursor_visits_what_next_from_visits_when_the_loop_removes_the_visited_project() {
        let members = [0, 1, 5, 63, 64, 65, 127, 128, 200, 255];
        let (mut a, mut b) = (ProjectSet::default(), ProjectSet::default());
        a.clear(256);
        b.clear(256);
        for i in members {
            a.insert(i);
            b.insert(i);
        }
        let mut by_next_from = Vec::new();
        let mut next = a.next_from(0);
        while let Some(i) = next {
            by_next_from.push(i);
            if i % 2 == 1 {
                a.remove(i);
            }
            next = a.next_from(i + 1);
        }
        let mut by_cursor = Vec::new();
        let mut at = b.cursor();
        while let Some(i) = b.next(&mut at) {
            by_cursor.push(i);
            if i % 2 == 1 {
                b.remove(i);
            }
        }
        assert_eq!(by_cursor, by_next_from);
        assert_eq!(by_cursor, members);
        // An addition ahead of the cursor in its word is not seen; `next_from` would see it.
        let mut at = b.cursor();
        assert_eq!(b.next(&mut at), Some(0));
        b.insert(3);
        assert_eq!(b.next(&mut at), Some(64));
        assert_eq!(b.next_from(1), Some(3));
        let mut empty = ProjectSet::default();
        empty.clear(0);
        assert_eq!(empty.next(&mut empty.cursor()), None);
    }

    /// A set is empty when no word holds a project, whichever word its last project was in.
    #[test]
    fn a_set_is_empty_only_without_a_project_in_any_word() {
        let mut s = ProjectSet::default();
        s.clear(0);
        assert!(s.is_empty());
        s.clear(300);
        assert!(s.is_empty());
        for i in [0, 63, 64, 299] {
            s.insert(i);
            assert!(!s.is_empty(), "with {i}");
            s.remove(i);
            assert!(s.is_empty(), "after removing {i}");
        }
        s.insert(5);
        s.insert(250);
        s.remove(5);
        assert!(!s.is_empty());
    }
}
