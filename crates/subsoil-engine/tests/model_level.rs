//! Work decided once per model or per workspace rather than once a year on every path gives the same
//! bits as doing it every time:
//!
//! - the price index of a constant inflation rate and the GDP's growth factors are tables of `powi`
//!   kept in the workspace (`series::Powers`) and filled again only when a path's rate differs from
//!   the last one's: a workspace reused for path after path gives what a fresh one gives, on every
//!   built-in and bench scenario (some draw their inflation and growth per path, some fix them);
//! - the markets skip the dominant producers' episodes when no product has one: without one a path
//!   asks for no episode draw and its prices never move by an episode, and with one it does;
//! - a year without an investment decision to take skips the decisions phase: the same outputs as a
//!   traced path, which runs it every year;
//! - the projects' real free cash flows by year are kept with a trace only (no Monte Carlo output reads
//!   them): each is its project-year's traced free cash flow in real terms, and a path without a trace
//!   keeps none.

mod every_scenario;

use std::cell::Cell;

use subsoil_core::model::Dominant;
use subsoil_core::prices::Market;
use subsoil_core::{Model, Param, PathOutcome, Randomness, Workspace, simulate};
use subsoil_engine::{PathRandomness, ScalarDraws};
use subsoil_risk::{Sampler, SamplerKind};
use subsoil_scenario::Scenario;

use every_scenario::{load, scenarios};

const ONE_PROJECT: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../bench/numpy_reference/one-project.toml");

/// Path `path` of `s` run in `ws`, as its debug text (equal texts mean equal bits).
fn path_in(s: &Scenario, path: u64, ws: &mut Workspace) -> String {
    let draws =
        ScalarDraws::new(&s.inputs, Sampler::new(SamplerKind::Random, 11), &s.rank_correlations)
            .expect("correlations");
    let mut scratch = draws.scratch();
    draws.fill(path, &mut scratch);
    let r = PathRandomness { seed: 11, path, scalars: scratch.values() };
    let mut out = PathOutcome::new(&s.model, false);
    simulate(&s.model, &r, ws, &mut out);
    format!("{out:?}")
}

#[test]
fn a_reused_workspace_gives_what_a_fresh_one_gives_after_each_path() {
    let (mut drawn, mut fixed) = (0, 0);
    for (name, s) in scenarios() {
        let m = &s.model;
        let per_path = |p: &Param| !matches!(p, Param::Fixed(_));
        if m.inflation_path.is_none() {
            if per_path(&m.macro_.inflation) || per_path(&m.macro_.gdp_real_growth) {
                drawn += 1;
            } else {
                fixed += 1;
            }
        }
        let mut reused = Workspace::new(m);
        for path in 0..6 {
            let got = path_in(&s, path, &mut reused);
            let want = path_in(&s, path, &mut Workspace::new(m));
            assert!(got == want, "{name}, path {path}: the reused workspace's outcome differs");
        }
    }
    // Both kinds are checked: tables refilled on every path, and tables kept from path to path.
    assert!(drawn >= 1 && fixed >= 1, "{drawn} scenarios draw their rates, {fixed} fix them");
}

/// Passes a path's randomness through and counts the uniforms asked for.
struct Counting<'a> {
    inner: PathRandomness<'a>,
    uniforms: Cell<usize>,
}

impl Randomness for Counting<'_> {
    fn scalar(&self, slot: u32) -> f64 {
        self.inner.scalar(slot)
    }
    fn uniform(&self, stream: u64, k: u32) -> f64 {
        self.uniforms.set(self.uniforms.get() + 1);
        self.inner.uniform(stream, k)
    }
    fn normal(&self, stream: u64, k: u32) -> f64 {
        self.inner.normal(stream, k)
    }
}

/// The uniforms the markets' episodes ask for over the horizon of `model` on a few paths, and whether
/// any price ever moved by an episode.
fn episodes(s: &Scenario, model: &Model) -> (usize, bool) {
    let draws =
        ScalarDraws::new(&s.inputs, Sampler::new(SamplerKind::Random, 5), &s.rank_correlations)
            .expect("correlations");
    let mut scratch = draws.scratch();
    let mut market = Market::new(model.products.len());
    let (mut asked, mut moved) = (0, false);
    for path in 0..200 {
        draws.fill(path, &mut scratch);
        let r = Counting {
            inner: PathRandomness { seed: 5, path, scalars: scratch.values() },
            uniforms: Cell::new(0),
        };
        market.start(model, &r);
        for t in 0..model.time.horizon {
            market.step_episodes(model, &r, t);
            moved |= market.episodes.iter().any(|e| e.multiplier != 1.0);
        }
        asked += r.uniforms.get();
    }
    (asked, moved)
}

#[test]
fn without_a_dominant_producer_no_episode_is_drawn_or_runs() {
    let s = load(ONE_PROJECT);
    assert!(s.model.products.iter().all(|p| p.dominant.is_none()));
    assert_eq!(episodes(&s, &s.model), (0, false));
    // The same product given a dominant producer (floods and export controls, a third of years each):
    // episodes are drawn and run, so the count above is a fact of the model, not of a check that
    // cannot see them.
    let mut with = s.model.clone();
    with.products[0].dominant = Some(Dominant {
        world_supply: None,
        flood_probability: Param::Fixed(0.4),
        flood_drop: Param::Fixed(0.3),
        flood_years: Param::Fixed(2.0),
        export_control_probability: Param::Fixed(0.4),
        export_control_jump: Param::Fixed(0.5),
        export_control_years: Param::Fixed(2.0),
        cut_threshold: Param::Fixed(1.0),
        cut_probability: Param::Fixed(0.0),
        cut_size: Param::Fixed(0.0),
        cut_years: Param::Fixed(1.0),
        stream: 0x5eed,
    });
    let (asked, moved) = episodes(&s, &with);
    assert!(asked > 0 && moved, "{asked} uniforms, an episode ran: {moved}");
}

/// Everything a path writes with and without a trace, as text (`{:?}` of a float gives its exact
/// value).
fn common(out: &PathOutcome) -> String {
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        out.projects,
        out.years,
        out.price_real,
        out.fund,
        out.capital,
        out.fund_value_real,
        out.deal,
        out.permits,
        out.developed
    )
}

/// A year without an investment decision to take skips the decisions phase (with a trace kept it runs
/// every year): the two give the same outputs on every built-in and bench scenario, so the phase does
/// nothing without a candidate and nothing after it reads what it would have reset (the investors'
/// expectations).
#[test]
fn a_year_without_candidates_skips_the_decisions_to_the_same_outputs() {
    for (name, s) in scenarios() {
        let m = &s.model;
        let draws =
            ScalarDraws::new(&s.inputs, Sampler::new(SamplerKind::Random, 3), &s.rank_correlations)
                .expect("correlations");
        let mut scratch = draws.scratch();
        let (mut ws_fast, mut ws_all) = (Workspace::new(m), Workspace::new(m));
        let (mut fast, mut all) = (PathOutcome::new(m, false), PathOutcome::new(m, true));
        for path in 0..20 {
            draws.fill(path, &mut scratch);
            let r = PathRandomness { seed: 3, path, scalars: scratch.values() };
            simulate(m, &r, &mut ws_fast, &mut fast);
            simulate(m, &r, &mut ws_all, &mut all);
            assert!(common(&fast) == common(&all), "{name}, path {path}: the outputs differ");
        }
    }
}

/// With a trace, each project-year's real free cash flow is the traced year's free cash flow times the
/// year's 1 / price index, bit for bit (every live project's every year, zero for the parked projects of
/// the pools); without a trace none is kept. On every built-in and bench scenario, paths reusing one
/// outcome (rows cleared between paths).
#[test]
fn free_cash_flows_by_year_are_kept_with_a_trace_only() {
    for (name, s) in scenarios() {
        let m = &s.model;
        let h = m.time.horizon as usize;
        let draws =
            ScalarDraws::new(&s.inputs, Sampler::new(SamplerKind::Random, 5), &s.rank_correlations)
                .expect("correlations");
        let mut scratch = draws.scratch();
        let (mut ws_fast, mut ws_all) = (Workspace::new(m), Workspace::new(m));
        let (mut fast, mut all) = (PathOutcome::new(m, false), PathOutcome::new(m, true));
        let mut nonzero = 0usize;
        for path in 0..6 {
            draws.fill(path, &mut scratch);
            let r = PathRandomness { seed: 5, path, scalars: scratch.values() };
            simulate(m, &r, &mut ws_fast, &mut fast);
            simulate(m, &r, &mut ws_all, &mut all);
            assert!(fast.fcf_real.is_empty() && fast.fcf_series(0).is_empty(), "{name}");
            let trace = all.trace.as_ref().expect("a trace");
            assert_eq!(all.fcf_real.len(), m.projects.len() * h, "{name}");
            for (slot, (got, f)) in all.fcf_real.iter().zip(trace).enumerate() {
                let want = f.fcf() * (1.0 / all.years[slot % h].index);
                assert_eq!(got.to_bits(), want.to_bits(), "{name}, path {path}, slot {slot}");
                nonzero += usize::from(*got != 0.0);
            }
            assert_eq!(all.fcf_series(0), &all.fcf_real[..h], "{name}");
        }
        assert!(nonzero > 0, "{name}: some project has a cash flow");
    }
}
