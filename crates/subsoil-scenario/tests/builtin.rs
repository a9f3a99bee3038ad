//! The built-in scenarios load, and every number in them carries its provenance.

use subsoil_scenario::{builtin, load};

#[test]
fn every_builtin_scenario_loads() {
    for name in builtin::scenario_names() {
        if let Err(e) = load(name, &[]) {
            panic!("{name} does not load:\n{}", e.render());
        }
    }
}

/// The engine shares one plan, valuation and decision among a licensing flow's pool (a developed permit
/// copies the pool's first project): that holds only while every project of a pool is the same project
/// but for its id, name and event stream. Fails when lowering gives a pool's projects their own figures.
#[test]
fn a_licensing_flows_pool_holds_copies_of_one_project() {
    let mut checked = 0;
    for name in builtin::scenario_names() {
        let s = load(name, &[]).unwrap_or_else(|e| panic!("{name}: {}", e.render()));
        for flow in &s.model.flows {
            let pool = &s.model.projects[flow.pool..flow.pool + flow.pool_size];
            let bare = |p: &subsoil_core::Project| {
                let mut p = p.clone();
                p.id.clear();
                p.name.clear();
                p.event_stream = 0;
                format!("{p:?}")
            };
            let first = bare(&pool[0]);
            for (k, p) in pool.iter().enumerate() {
                assert_eq!(
                    bare(p),
                    first,
                    "{name}: {} differs from the pool's first project",
                    p.id
                );
                assert_eq!(p.id, format!("licensing-flows.{}.permit-{k}", flow.id));
            }
            // Each has its own stream of events.
            let streams: std::collections::HashSet<u64> =
                pool.iter().map(|p| p.event_stream).collect();
            assert_eq!(streams.len(), pool.len(), "{name}: {} shares event streams", flow.id);
            checked += pool.len();
        }
    }
    assert!(checked > 600, "the built-in flows' pools hold {checked} projects");
}
