//! Properties on random small scenarios: one to three gold projects on a government-held, a frontline
//! and an occupied deposit, with random but valid economics, conflict and deal terms, written as TOML and
//! loaded as a user's file would be. Each property runs a fixed number of cases from a fixed seed, so the
//! suite's time is bounded and a failure is reproduced by running it again.
//!
//! - the checked mode's ledger balances on every path and year;
//! - valid input gives finite outputs;
//! - results are bitwise identical on one thread and on two;
//! - with the fund's equity cap at 0, raising a contribution share never lowers cumulative contributions
//!   on common random numbers;
//! - a project never built pays no royalty and sells nothing;
//! - a deposit occupied for the whole horizon produces nothing for its host.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use proptest::test_runner::{RngAlgorithm, TestRng, TestRunner};
use subsoil_core::ledger::Account;
use subsoil_core::{PathOutcome, Workspace, simulate};
use subsoil_engine::{PathRandomness, RunConfig, SamplerKind, ScalarDraws, run};
use subsoil_risk::Sampler;
use subsoil_scenario::Scenario;

/// Cases per property.
const CASES: u32 = 64;
/// Seed of the case generator (any fixed value: the cases are the same on every run).
const GENERATOR_SEED: [u8; 32] = *b"subsoil properties, fixed seed!!";
/// Seed of the simulations.
const SEED: u64 = 5;

/// Deposits: `site` held by the government, `front` on the front line, `occ` occupied.
const DEPOSITS: &str = "id,name,name_uk,commodities,oblast,location_kind,lat,lon,coords_approximate,stage,resource_tonnes,grade,contained,control,control_as_of,licence_holder,notes,sources,low_reliability
site,Site,,gold,Kyiv,site,,,false,licensed,,,,ukraine,,,,,false
front,Front,,gold,Donetsk,site,,,false,licensed,,,,frontline,,,,,false
occ,Occupied,,gold,Luhansk,site,,,false,explored,,,,occupied,,,,,false
";

/// One project.
#[derive(Clone, Debug)]
struct Project {
    deposit: &'static str,
    decision: &'static str,
    regime: &'static str,
    construction_years: u32,
    life_years: u32,
    capex: f64,
    capacity: f64,
    opex_share: f64,
}

/// A small scenario.
#[derive(Clone, Debug)]
struct Small {
    horizon: u32,
    inflation: f64,
    investor_base: f64,
    war_premium: f64,
    valuation: f64,
    cit: f64,
    licence_fee: f64,
    price: f64,
    long_run: f64,
    volatility: f64,
    half_life: f64,
    royalty: f64,
    ceasefire_hazard: f64,
    damage: f64,
    licensed_years: u32,
    lock_up: i32,
    royalty_share: f64,
    tax_share: f64,
    cash: f64,
    equity_cap: f64,
    projects: Vec<Project>,
}

fn project() -> impl Strategy<Value = Project> {
    (
        prop::sample::select(vec!["site", "front", "occ"]),
        prop::sample::select(vec!["npv", "always", "never"]),
        prop::sample::select(vec!["royalty", "psa"]),
        0u32..=3,
        1u32..=20,
        1e6..1e9f64,
        1e3..1e6f64,
        0.0..0.9f64,
    )
        .prop_map(
            |(
                deposit,
                decision,
                regime,
                construction_years,
                life_years,
                capex,
                capacity,
                opex_share,
            )| Project {
                deposit,
                decision,
                regime,
                construction_years,
                life_years,
                capex,
                capacity,
                opex_share,
            },
        )
}

fn small() -> impl Strategy<Value = Small> {
    let economy = (
        1u32..=12,
        0.0..0.06f64,
        0.0..0.12f64,
        0.0..0.2f64,
        0.0..0.12f64,
        0.0..0.4f64,
        0.0..1e7f64,
        100.0..5000.0f64,
        0.5..2.0f64,
        0.0..0.5f64,
        1.0..60.0f64,
        0.0..0.3f64,
    );
    let rest = (
        0.0..1.0f64,
        0.0..0.3f64,
        0u32..=2,
        2020i32..2045,
        0.0..=1.0f64,
        0.0..=1.0f64,
        0.0..1e8f64,
        0.0..0.5f64,
        prop::collection::vec(project(), 1..=3),
    );
    (economy, rest).prop_map(|(e, r)| Small {
        horizon: e.0,
        inflation: e.1,
        investor_base: e.2,
        war_premium: e.3,
        valuation: e.4,
        cit: e.5,
        licence_fee: e.6,
        price: e.7,
        long_run: e.7 * e.8,
        volatility: e.9,
        half_life: e.10,
        royalty: e.11,
        ceasefire_hazard: r.0,
        damage: r.1,
        licensed_years: r.2,
        lock_up: r.3,
        royalty_share: r.4,
        tax_share: r.5,
        cash: r.6,
        equity_cap: r.7,
        projects: r.8,
    })
}

impl Small {
    /// The scenario as a file a user would write.
    fn toml(&self) -> String {
        let mut s = format!(
            r#"format-version = 1
[metadata]
name = "property"
[time]
start-year = 2026
horizon-years = {horizon}
[macro]
inflation = {inflation:?}
uah-per-usd = 40.0
gdp = 1e11
[rates]
investor-base = {investor_base:?}
country-risk-premium-war = {war_premium:?}
country-risk-premium-postwar = 0.05
country-risk-premium-peace = 0.02
valuation = {valuation:?}
partner-discount = 0.03
[fiscal]
cit-rate = {cit:?}
psa-cost-recovery-limit = 0.5
psa-state-share = 0.3
licence-fee = {licence_fee:?}
[products.gold]
name = "gold"
unit = "oz"
price = {price:?}
long-run = {long_run:?}
volatility = {volatility:?}
half-life = {half_life:?}
royalty-rate = {royalty:?}
[deposits]
file = "deposits.csv"
[conflict]
ceasefire-hazard = {ceasefire_hazard:?}
damage-hazard-other = {damage:?}
[stages.identified]
duration = 1
[stages.explored]
duration = 1
[stages.tender]
duration = 1
[stages.licensed]
duration = {licensed_years}
[uncertainty]
capex-overrun = {{ dist = "triangular", min = 0.9, mode = 1.0, max = 1.6, unit = "ratio", assumption = "test" }}
[deal]
effective-date = 2025-01-01
unexploited-count-as-new = true
lock-up-until = {lock_up}
[deal.parties.us]
name = "US"
[deal.parties.ukraine]
name = "Ukraine"
host = true
[[deal.contributions]]
stream = "royalty"
receipts = "all"
share = {royalty_share:?}
[[deal.contributions]]
stream = "corporate-tax"
receipts = "new"
share = {tax_share:?}
[[deal.cash]]
party = "us"
year = 2026
amount = {cash:?}
[deal.fund]
equity-cap = {equity_cap:?}
rate = 0.05
[[deal.tiers]]
kind = "pro-rata"
"#,
            horizon = self.horizon,
            inflation = self.inflation,
            investor_base = self.investor_base,
            war_premium = self.war_premium,
            valuation = self.valuation,
            cit = self.cit,
            licence_fee = self.licence_fee,
            price = self.price,
            long_run = self.long_run,
            volatility = self.volatility,
            half_life = self.half_life,
            royalty = self.royalty,
            ceasefire_hazard = self.ceasefire_hazard,
            damage = self.damage,
            licensed_years = self.licensed_years,
            lock_up = self.lock_up,
            royalty_share = self.royalty_share,
            tax_share = self.tax_share,
            cash = self.cash,
            equity_cap = self.equity_cap,
        );
        for (i, p) in self.projects.iter().enumerate() {
            s.push_str(&format!(
                "[projects.p{i}]\ndeposit = \"{}\"\ndecision = \"{}\"\nregime = \"{}\"\nconstruction-years = {}\nlife-years = {}\ncapex = {:?}\n[projects.p{i}.products.gold]\ncapacity = {:?}\nopex = {:?}\n",
                p.deposit,
                p.decision,
                p.regime,
                p.construction_years,
                p.life_years,
                p.capex,
                p.capacity,
                p.opex_share * self.price,
            ));
        }
        s
    }

    /// Writes and loads the scenario with `sets`.
    fn load(&self, sets: &[String]) -> Scenario {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = scratch();
        let path = dir.join(format!("case-{}.toml", N.fetch_add(1, Ordering::Relaxed)));
        std::fs::write(&path, self.toml()).expect("write scenario");
        let loaded = subsoil_scenario::load(path.to_str().expect("UTF-8 path"), sets);
        let _ = std::fs::remove_file(&path);
        loaded.unwrap_or_else(|e| {
            panic!("a generated scenario is valid:\n{}\n{}", self.toml(), e.render())
        })
    }
}

/// This process's scratch folder, with the deposits file (written once, before any test reads it).
fn scratch() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("subsoil-properties-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch folder");
        std::fs::write(dir.join("deposits.csv"), DEPOSITS).expect("write deposits");
        dir
    })
}

fn runner() -> TestRunner {
    let config =
        ProptestConfig { cases: CASES, failure_persistence: None, ..ProptestConfig::default() };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &GENERATOR_SEED))
}

/// Runs `paths` paths of `s` (checked mode when `checked`) and hands each outcome to `each`.
fn paths(
    s: &Scenario,
    paths: u64,
    checked: bool,
    mut each: impl FnMut(u64, &PathOutcome) -> Result<(), TestCaseError>,
) -> Result<(), TestCaseError> {
    let draws =
        ScalarDraws::new(&s.inputs, Sampler::new(SamplerKind::Random, SEED), &s.rank_correlations)
            .expect("valid correlations");
    let mut scratch = draws.scratch();
    let mut ws = Workspace::new(&s.model);
    let mut out =
        if checked { PathOutcome::checked(&s.model) } else { PathOutcome::new(&s.model, false) };
    for path in 0..paths {
        draws.fill(path, &mut scratch);
        simulate(
            &s.model,
            &PathRandomness { seed: SEED, path, scalars: scratch.values() },
            &mut ws,
            &mut out,
        );
        each(path, &out)?;
    }
    Ok(())
}

fn run_property(name: &str, test: impl Fn(&Small) -> Result<(), TestCaseError>) {
    if let Err(e) = runner().run(&small(), |sc| test(&sc)) {
        panic!("{name}: {e}");
    }
}

#[test]
fn the_ledger_balances_on_every_path_and_year() {
    run_property("ledger", |sc| {
        let s = sc.load(&[]);
        paths(&s, 100, true, |path, out| {
            let l = out.ledger.as_ref().expect("checked mode keeps a ledger");
            let tol = |x: f64| 1e-6 * (1.0 + x.abs());
            for (t, y) in out.years.iter().enumerate() {
                let year = s.model.time.year(t as u32);
                for i in 0..s.model.projects.len() {
                    let net = l.net(Account::Project(i), Some(year));
                    prop_assert!(
                        net.abs() < tol(y.revenue_nominal + y.capex_nominal),
                        "path {path}, {year}: project {i} nets {net}"
                    );
                }
                // Cash recomputed from the fund's transfers to date, to rounding of the gross flows.
                let (mut fund, mut gross) = (0.0, 0.0);
                for x in l.transfers.iter().filter(|x| x.year <= year) {
                    if x.to == Account::Fund {
                        fund += x.amount;
                        gross += x.amount.abs();
                    }
                    if x.from == Account::Fund {
                        fund -= x.amount;
                        gross += x.amount.abs();
                    }
                }
                let cash = out.fund[t].cash;
                let tol = 1e-9 * (1.0 + gross);
                prop_assert!(
                    (fund - cash).abs() <= tol,
                    "path {path}, {year}: ledger {fund} vs fund cash {cash}"
                );
                prop_assert!(fund >= -tol, "path {path}, {year}: the fund's account is negative");
            }
            Ok(())
        })
    });
}

#[test]
fn valid_input_gives_finite_outputs() {
    run_property("finite", |sc| {
        let s = sc.load(&[]);
        paths(&s, 64, false, |path, out| {
            let d = &out.deal;
            let scalars = [
                out.fund_value_real,
                d.partner_receipts_nominal,
                d.partner_receipts_real,
                d.partner_capital,
                d.partner_npv_real,
                d.partner_npv_with_credits_real,
                d.host_payments_pv_real,
                d.host_payments_real,
                d.host_payments_max_gdp_share,
            ];
            prop_assert!(scalars.iter().all(|x| x.is_finite()), "path {path}: {scalars:?}");
            for p in &out.projects {
                let xs = [
                    p.capex_nominal,
                    p.capex_real,
                    p.npv_real,
                    p.revenue_real,
                    p.royalty_real,
                    p.receipts_new_real,
                    p.receipts_existing_real,
                    p.fund_share,
                ];
                prop_assert!(xs.iter().all(|x| x.is_finite()), "path {path}: project {xs:?}");
            }
            prop_assert!(
                out.fcf_real.iter().chain(&out.price_real).all(|x| x.is_finite()),
                "path {path}: yearly series"
            );
            prop_assert!(
                out.fund.iter().all(|y| y.cash.is_finite() && y.contributions.is_finite()),
                "path {path}: fund"
            );
            Ok(())
        })?;
        let r = run(&s, &RunConfig { threads: 1, ..RunConfig::new(64, SEED) }).expect("runs");
        prop_assert!(r.warnings().is_empty(), "{:?}", r.warnings());
        Ok(())
    });
}

#[test]
fn results_are_bitwise_identical_on_one_thread_and_on_two() {
    run_property("threads", |sc| {
        let s = sc.load(&[]);
        let config = |threads| RunConfig { threads, block_size: 32, ..RunConfig::new(400, SEED) };
        let one = run(&s, &config(1)).expect("runs");
        let two = run(&s, &config(2)).expect("runs");
        // Debug prints every float in its shortest exact form: equal text is equal bits.
        let text = |r: &subsoil_engine::RunResult| {
            format!(
                "{:?}{:?}{:?}{:?}{:?}",
                r.metrics, r.probabilities, r.series, r.events, r.projects
            )
        };
        prop_assert!(text(&one) == text(&two), "results differ between one and two threads");
        Ok(())
    });
}

/// Cases where the higher share raised contributions on some path (the property is not vacuous).
static RAISED: AtomicUsize = AtomicUsize::new(0);
/// Cases with a project built on some path, and with a project never built on some path.
static BUILT: AtomicUsize = AtomicUsize::new(0);
static UNBUILT: AtomicUsize = AtomicUsize::new(0);

#[test]
fn with_no_co_investment_a_higher_share_never_lowers_contributions() {
    run_property("share", |sc| {
        let sets = |share: f64| {
            vec![
                "deal.fund.equity-cap=0".to_string(),
                format!("deal.contributions[0].share={share:?}"),
            ]
        };
        let lower = sc.royalty_share * 0.5;
        let total = |s: &Scenario| -> Vec<f64> {
            let mut v = Vec::new();
            paths(s, 64, false, |_, out| {
                v.push(out.fund.iter().map(|y| y.contributions).sum());
                Ok(())
            })
            .expect("no check fails here");
            v
        };
        let low = total(&sc.load(&sets(lower)));
        let high = total(&sc.load(&sets(sc.royalty_share)));
        if low.iter().zip(&high).any(|(a, b)| b > a) {
            RAISED.fetch_add(1, Ordering::Relaxed);
        }
        for (path, (a, b)) in low.iter().zip(&high).enumerate() {
            prop_assert!(
                b >= a,
                "path {path}: share {} gives {b}, share {lower} gives {a}",
                sc.royalty_share
            );
        }
        Ok(())
    });
    let raised = RAISED.load(Ordering::Relaxed);
    assert!(raised >= CASES as usize / 4, "only {raised} cases raised contributions");
}

#[test]
fn a_project_never_built_pays_no_royalty_and_an_occupied_deposit_gives_its_host_nothing() {
    run_property("never built, occupied", |sc| {
        let s = sc.load(&[]);
        let (mut built, mut unbuilt) = (false, false);
        paths(&s, 64, false, |path, out| {
            for (i, (p, spec)) in out.projects.iter().zip(&sc.projects).enumerate() {
                built |= p.royalty_real > 0.0;
                unbuilt |= p.decision_year.is_none() && spec.deposit != "occ";
                if p.decision_year.is_none() {
                    prop_assert!(
                        p.royalty_real == 0.0 && p.revenue_real == 0.0 && p.capex_nominal == 0.0,
                        "path {path}: project {i} was never built but {p:?}"
                    );
                }
                if spec.decision == "never" {
                    prop_assert!(
                        p.decision_year.is_none(),
                        "path {path}: project {i} is built against its rule"
                    );
                }
                if spec.deposit == "occ" {
                    prop_assert!(p.occupied, "path {path}: project {i}'s deposit was freed");
                    prop_assert!(
                        p.revenue_real == 0.0
                            && p.royalty_real == 0.0
                            && p.receipts_new_real == 0.0
                            && p.receipts_existing_real == 0.0,
                        "path {path}: project {i} on an occupied deposit gave {p:?}"
                    );
                }
            }
            Ok(())
        })?;
        BUILT.fetch_add(usize::from(built), Ordering::Relaxed);
        UNBUILT.fetch_add(usize::from(unbuilt), Ordering::Relaxed);
        Ok(())
    });
    let (built, unbuilt) = (BUILT.load(Ordering::Relaxed), UNBUILT.load(Ordering::Relaxed));
    assert!(
        built >= 8 && unbuilt >= 8,
        "too few cases with a royalty paid ({built}) or a project unbuilt ({unbuilt})"
    );
}
