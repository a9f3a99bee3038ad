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
