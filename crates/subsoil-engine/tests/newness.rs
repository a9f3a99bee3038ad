//! Which receipts are new: restarts of halted operations under the final agreement.
//!
//! The agreement's "new or unexploited" licences do not include operations that produced for years and
//! were halted on the effective date (23 May 2025): Marhanets (halted Oct 2023) and Pobuzke (halted
//! Oct 2022) restart on licences that were exploited, so their receipts are existing unless
//! `deal.restarts-count-as-new` says otherwise.
//!
//! The check is by hand on the deterministic base case: a project's receipts are the state's take of its
//! traced flows (royalty, PSA state share, licence fee, corporate tax), deflated by the year's price
//! index and net of the median receipts leakage; all of it must sit under the tag the rules give, and
//! the switch must move exactly that amount from existing to new.

use subsoil_engine::base_case;
use subsoil_scenario::{Scenario, load};

const RESTARTS: [&str; 2] = ["marhanets-manganese", "pobuzke-ferronickel"];

fn final_agreement(sets: &[&str]) -> Scenario {
    let sets: Vec<String> = sets.iter().map(|s| (*s).to_string()).collect();
    match load("ukraine-final-2025", &sets) {
        Ok(s) => s,
        Err(e) => panic!("the final agreement does not load:\n{}", e.render()),
    }
}

fn median(s: &Scenario, path: &str) -> f64 {
    let q = s.quantities.iter().find(|q| q.path == path);
    q.unwrap_or_else(|| panic!("the scenario has no {path}")).median()
}

/// (licence new?, receipts new, receipts existing, receipts worked out by hand) per restart, real.
fn restarts(s: &Scenario) -> Vec<(bool, f64, f64, f64)> {
    let (_, out) = base_case(s);
    let kept = 1.0 - median(s, "leakage.receipts");
    RESTARTS
        .iter()
        .map(|id| {
            let i = s.model.projects.iter().position(|p| p.id == *id).expect("a restart project");
            let flows = out.flows(i).expect("the base case traces every project-year's flows");
            let by_hand: f64 =
                flows.iter().zip(&out.years).map(|(f, y)| f.state_take() / y.index * kept).sum();
            let po = &out.projects[i];
            (
                s.model.projects[i].licence_new,
                po.receipts_new_real,
                po.receipts_existing_real,
                by_hand,
            )
        })
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn restarts_of_halted_operations_are_existing_unless_the_switch_says_otherwise() {
    let default = restarts(&final_agreement(&[]));
    let switched = restarts(&final_agreement(&["deal.restarts-count-as-new=true"]));
    for (k, id) in RESTARTS.iter().enumerate() {
        let (new, r_new, r_existing, by_hand) = default[k];
        println!("{id}: default new={new} receipts new {r_new:.0} existing {r_existing:.0}");
        assert!(!new, "{id} is a restart: existing under the default");
        assert!(by_hand > 0.0, "{id} pays the state nothing in the base case: nothing to tag");
        assert_eq!(r_new, 0.0, "{id}: no receipts tagged new under the default");
        assert!(close(r_existing, by_hand), "{id}: existing {r_existing} vs by hand {by_hand}");

        let (new, r_new, r_existing, by_hand_switched) = switched[k];
        println!("{id}: switched new={new} receipts new {r_new:.0} existing {r_existing:.0}");
        assert!(new, "{id} is new under deal.restarts-count-as-new");
        assert_eq!(r_existing, 0.0, "{id}: no receipts tagged existing under the switch");
        assert!(close(r_new, by_hand_switched), "{id}: new {r_new} vs by hand {by_hand_switched}");
    }
}

#[test]
fn the_unexploited_switch_does_not_reach_restarts() {
    // The final agreement counts unexploited licences as new; the restarts stay existing all the same,
    // and switching the unexploited rule off changes nothing for them.
    let s = final_agreement(&["deal.unexploited-count-as-new=false"]);
    for (k, id) in RESTARTS.iter().enumerate() {
        assert!(!restarts(&s)[k].0, "{id} is existing whatever the unexploited switch says");
    }
}
