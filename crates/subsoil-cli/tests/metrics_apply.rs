//! `subsoil compare` and `subsoil run` list only the outputs that apply to the scenarios: the ceasefire's
//! probabilities and curve only where there is a war, the lithium probability only where a project
//! produces lithium. The Congo comparison (at peace, copper and cobalt) lists none of them; the
//! Ukrainian one (at war, lithium projects) lists them all.

mod common;

use common::{subsoil, text};

const WAR_AND_LITHIUM: [&str; 4] =
    ["ceasefire-by-2030", "ceasefire-by-2035", "new-lithium-mine-by-2035", "ceasefire:"];

fn table(args: &[&str]) -> String {
    let out = subsoil(args);
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn the_congo_comparison_leaves_out_war_and_lithium_and_the_ukrainian_one_keeps_them() {
    let congo = table(&["compare", "drc-sicomines-2008", "drc-sicomines-2024", "--paths", "256"]);
    for name in WAR_AND_LITHIUM {
        assert!(!congo.contains(name), "the Congo comparison lists {name}:\n{congo}");
    }
    assert!(congo.contains("new-mine-by-2030"), "{congo}");
    let ukraine =
        table(&["compare", "ukraine-mar-2025-draft", "ukraine-final-2025", "--paths", "256"]);
    for name in WAR_AND_LITHIUM {
        assert!(ukraine.contains(name), "the Ukrainian comparison lacks {name}:\n{ukraine}");
    }
    let out = subsoil(&["run", "drc-sicomines-2024", "--paths", "256", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json = text(&out.stdout);
    for name in ["ceasefire-by-2030", "new-lithium-mine-by-2035", "\"ceasefire\""] {
        assert!(!json.contains(name), "the Congo run lists {name}");
    }
}
